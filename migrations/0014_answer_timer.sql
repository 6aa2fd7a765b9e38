-- The optional per-question timer: how long the person gave themselves to answer each
-- question, in seconds (NULL: no timer). The setup offers 1, 2, 3, 5 and 10 minutes; the
-- CHECK holds the outer bounds so a later choice needs no table rebuild.
ALTER TABLE Interviews ADD COLUMN answer_seconds INTEGER
    CHECK (answer_seconds IS NULL OR answer_seconds BETWEEN 30 AND 3600);
