-- The adaptive difficulty: each skill of an interview asked at its own level, chosen from the
-- person's recent ratings when the interview is set up. The `difficulty` column's CHECK cannot
-- be widened without rebuilding the table (and every table referring to it), so an adaptive
-- interview stores 'mixed' there with `adaptive` set; the store maps the pair to the one
-- setting. `difficulty_level` is NULL unless the interview is adaptive.
ALTER TABLE Interviews ADD COLUMN adaptive INTEGER NOT NULL DEFAULT 0 CHECK (adaptive IN (0, 1));
ALTER TABLE Interview_Skills ADD COLUMN difficulty_level TEXT
    CHECK (difficulty_level IN ('easy', 'medium', 'hard'));
