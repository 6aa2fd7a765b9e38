-- As the SQLite migration 0017: the per-user request-rate limits, shared by every app server
-- (each key's theoretical arrival time, GCRA).
CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY,
    tat TIMESTAMP(3) NOT NULL
);
CREATE INDEX idx_rate_limits_tat ON rate_limits (tat);
