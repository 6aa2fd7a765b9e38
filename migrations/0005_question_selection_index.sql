-- Question selection reads only (skill, difficulty, id) for a whole skill pool and fetches the
-- text of the few questions it picks; this index answers the first read without touching rows.
CREATE INDEX idx_questions_skill_difficulty ON Questions(skill_id, difficulty_level, question_id);
