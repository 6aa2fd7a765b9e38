-- The live interview: the questions fixed when it starts, what happened to each asked question,
-- and a report in which a skill nobody answered is "not rated" rather than scored.

-- JSON array of Questions ids chosen at start, so later turns ask the same plan even as the
-- user's history (which the choice avoids) changes.
ALTER TABLE Interviews ADD COLUMN question_plan TEXT;
-- Why the last report could not be written (a model's malformed output); NULL when it was.
ALTER TABLE Interviews ADD COLUMN report_error TEXT;

-- Snapshots beside question_text_snapshot: the bank row may be deleted later.
ALTER TABLE Interview_Questions ADD COLUMN skill_id INTEGER
    REFERENCES Skills(skill_id) ON DELETE SET NULL;
ALTER TABLE Interview_Questions ADD COLUMN difficulty_level TEXT
    CHECK (difficulty_level IN ('easy', 'medium', 'hard'));
-- At most one follow-up per question: the interviewer's message and the candidate's answer.
ALTER TABLE Interview_Questions ADD COLUMN follow_up_message_id TEXT
    REFERENCES Messages(message_id) ON DELETE SET NULL;
ALTER TABLE Interview_Questions ADD COLUMN follow_up_answer_message_id TEXT
    REFERENCES Messages(message_id) ON DELETE SET NULL;
ALTER TABLE Interview_Questions ADD COLUMN hints INTEGER NOT NULL DEFAULT 0 CHECK (hints >= 0);
ALTER TABLE Interview_Questions ADD COLUMN skipped INTEGER NOT NULL DEFAULT 0
    CHECK (skipped IN (0, 1));
-- The report's note on this question; rating NULL when it was not answered.
ALTER TABLE Interview_Questions ADD COLUMN rating INTEGER CHECK (rating BETWEEN 1 AND 5);
ALTER TABLE Interview_Questions ADD COLUMN note TEXT;

-- AI_Feedback.rating becomes nullable ("not rated": no question on the skill was answered).
-- SQLite cannot drop NOT NULL in place, so the table is rebuilt.
CREATE TABLE AI_Feedback_rebuilt (
    feedback_id TEXT PRIMARY KEY,
    interview_id TEXT NOT NULL,
    skill_id INTEGER NOT NULL,
    rating INTEGER CHECK(rating BETWEEN 1 AND 5),
    strengths TEXT NOT NULL DEFAULT '',
    areas_for_improvement TEXT NOT NULL DEFAULT '',
    feedback_text TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
    UNIQUE (interview_id, skill_id),
    FOREIGN KEY (interview_id) REFERENCES Interviews(interview_id) ON DELETE CASCADE,
    FOREIGN KEY (skill_id) REFERENCES Skills(skill_id) ON DELETE CASCADE
);
INSERT INTO AI_Feedback_rebuilt SELECT feedback_id, interview_id, skill_id, rating, strengths,
    areas_for_improvement, feedback_text, created_at FROM AI_Feedback;
DROP TABLE AI_Feedback;
ALTER TABLE AI_Feedback_rebuilt RENAME TO AI_Feedback;
CREATE INDEX idx_ai_feedback_skill_id ON AI_Feedback(skill_id);

-- "Questions this user met recently": the asked questions of an interview, found by bank id.
CREATE INDEX idx_interview_questions_interview ON Interview_Questions(interview_id, question_bank_id);
