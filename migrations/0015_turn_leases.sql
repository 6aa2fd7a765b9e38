-- A pending turn's lease: which app server (node) is writing its reply and until when. The
-- node renews it while it writes; start-up removes only its own pending turns (it is not
-- writing them any more) and a periodic sweep removes those whose lease ran out, so a node
-- that restarts no longer removes the turns other nodes on the same database are writing.
-- Rows from before leases have none and count as lapsed.
ALTER TABLE Messages ADD COLUMN lease_owner TEXT;
ALTER TABLE Messages ADD COLUMN lease_until TIMESTAMP;
