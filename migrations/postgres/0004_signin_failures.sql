-- As the SQLite migration 0016: the sign-in slowdown's counts, shared by every app server.
CREATE TABLE signin_failures (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL CHECK (failures >= 0),
    last_failure TIMESTAMP(3) NOT NULL
);
CREATE INDEX idx_signin_failures_last ON signin_failures (last_failure);
