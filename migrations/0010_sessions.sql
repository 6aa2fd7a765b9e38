-- Sessions, written through the app's own connection (its single writer) rather than a second
-- connection of a session-store crate, whose deferred transactions failed with "database is
-- locked" under concurrent sign-ins. Same table and columns as before, so sessions survive the
-- change: the id, the record (MessagePack), and when it expires (Unix seconds).
CREATE TABLE IF NOT EXISTS tower_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    data BLOB NOT NULL,
    expiry_date INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_tower_sessions_expiry ON tower_sessions(expiry_date);
