-- What the interviewer's model cost an interview (tokens over every turn and report, as the
-- model server reported them), and why its report came from the offline rules instead of the
-- model (NULL when it did not).
ALTER TABLE Interviews ADD COLUMN prompt_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE Interviews ADD COLUMN completion_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE Interviews ADD COLUMN report_fallback TEXT;
