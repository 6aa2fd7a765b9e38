-- The per-user request-rate limits (GCRA: each key's theoretical arrival time) where several
-- app servers share them. The PostgreSQL store keeps them here (its migration 0006); a SQLite
-- server keeps them in memory, since a write per API request through SQLite's one writer
-- would cost more than it protects. The table is here so both schemas stay the same.
CREATE TABLE Rate_Limits (
    key TEXT PRIMARY KEY,
    tat TIMESTAMP NOT NULL
);
CREATE INDEX idx_rate_limits_tat ON Rate_Limits (tat);
