-- How long and how hard an interview is, chosen on the setup page. Existing interviews get
-- the defaults: six questions of mixed difficulty.
ALTER TABLE Interviews ADD COLUMN question_count INTEGER NOT NULL DEFAULT 6
    CHECK (question_count BETWEEN 3 AND 12);
ALTER TABLE Interviews ADD COLUMN difficulty TEXT NOT NULL DEFAULT 'mixed'
    CHECK (difficulty IN ('easy', 'medium', 'hard', 'mixed'));
