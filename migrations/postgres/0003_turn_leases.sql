-- As the SQLite migration 0015: a pending turn's lease (the node writing its reply, and until
-- when), renewed while it writes.
ALTER TABLE messages ADD COLUMN lease_owner TEXT;
ALTER TABLE messages ADD COLUMN lease_until TIMESTAMP(3);
