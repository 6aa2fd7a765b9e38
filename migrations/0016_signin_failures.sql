-- The sign-in slowdown's counts (server/src/throttle.rs): failed password checks per client
-- address, per account from an address and per account, in the shared database so that every
-- app server on it slows the same guesser. Rows older than the slowdown's memory are swept.
CREATE TABLE Signin_Failures (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL CHECK (failures >= 0),
    last_failure TIMESTAMP NOT NULL
);
CREATE INDEX idx_signin_failures_last ON Signin_Failures(last_failure);
