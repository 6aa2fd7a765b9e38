-- Perfect Pitch schema: the tables of the interview-types-and-skills plan (§2) plus the Users,
-- Messages, Interview_Questions and AI_Feedback tables of its ER diagram.
-- Plain SQLite that Cloudflare D1 also accepts: no extensions, no PRAGMAs (the server turns
-- foreign keys on per connection).

CREATE TABLE Users (
    user_id TEXT PRIMARY KEY,
    username TEXT UNIQUE NOT NULL COLLATE NOCASE,
    email TEXT UNIQUE COLLATE NOCASE,
    hashed_password TEXT,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
);

CREATE TABLE Interview_Types (
    interview_type_id INTEGER PRIMARY KEY AUTOINCREMENT,
    type_name TEXT UNIQUE NOT NULL,
    description TEXT,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
);
CREATE INDEX idx_interview_types_type_name ON Interview_Types(type_name);

CREATE TABLE Skills (
    skill_id INTEGER PRIMARY KEY AUTOINCREMENT,
    skill_name TEXT UNIQUE NOT NULL,
    description TEXT,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
);
CREATE INDEX idx_skills_skill_name ON Skills(skill_name);

CREATE TABLE Interviews (
    interview_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    title TEXT,
    status TEXT NOT NULL CHECK(status IN ('pending', 'in_progress', 'completed', 'cancelled', 'error')),
    interview_type_id INTEGER,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
    started_at TIMESTAMP,
    completed_at TIMESTAMP,
    FOREIGN KEY (user_id) REFERENCES Users(user_id) ON DELETE CASCADE,
    FOREIGN KEY (interview_type_id) REFERENCES Interview_Types(interview_type_id) ON DELETE SET NULL
);
CREATE INDEX idx_interviews_user_id ON Interviews(user_id);
CREATE INDEX idx_interviews_status ON Interviews(status);
CREATE INDEX idx_interviews_interview_type_id ON Interviews(interview_type_id);
-- The history page lists one user's interviews newest first (created_at DESC, rowid DESC):
-- scanning this index backwards gives exactly that order, with no sort.
CREATE INDEX idx_interviews_user_created ON Interviews(user_id, created_at);

CREATE TABLE Interview_Skills (
    interview_id TEXT NOT NULL,
    skill_id INTEGER NOT NULL,
    PRIMARY KEY (interview_id, skill_id),
    FOREIGN KEY (interview_id) REFERENCES Interviews(interview_id) ON DELETE CASCADE,
    FOREIGN KEY (skill_id) REFERENCES Skills(skill_id) ON DELETE CASCADE
);
CREATE INDEX idx_interview_skills_interview_id ON Interview_Skills(interview_id);
CREATE INDEX idx_interview_skills_skill_id ON Interview_Skills(skill_id);

CREATE TABLE Questions (
    question_id INTEGER PRIMARY KEY AUTOINCREMENT,
    skill_id INTEGER,
    question_text TEXT NOT NULL,
    difficulty_level TEXT CHECK(difficulty_level IN ('easy', 'medium', 'hard')),
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
    FOREIGN KEY (skill_id) REFERENCES Skills(skill_id) ON DELETE SET NULL
);
CREATE INDEX idx_questions_skill_id ON Questions(skill_id);

CREATE TABLE Interview_Type_Suggested_Skills (
    interview_type_id INTEGER NOT NULL,
    skill_id INTEGER NOT NULL,
    PRIMARY KEY (interview_type_id, skill_id),
    FOREIGN KEY (interview_type_id) REFERENCES Interview_Types(interview_type_id) ON DELETE CASCADE,
    FOREIGN KEY (skill_id) REFERENCES Skills(skill_id) ON DELETE CASCADE
);
CREATE INDEX idx_itss_interview_type_id ON Interview_Type_Suggested_Skills(interview_type_id);
CREATE INDEX idx_itss_skill_id ON Interview_Type_Suggested_Skills(skill_id);

-- The ER diagram's Messages, plus `seq`: the original app could not guarantee order on reload,
-- so order is an explicit per-interview counter rather than a timestamp.
CREATE TABLE Messages (
    message_id TEXT PRIMARY KEY,
    interview_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    seq INTEGER NOT NULL CHECK(seq >= 1),
    role TEXT NOT NULL CHECK(role IN ('interviewer', 'candidate', 'system')),
    content TEXT NOT NULL,
    timestamp TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
    audio_url TEXT,
    processing_status TEXT NOT NULL DEFAULT 'completed'
        CHECK(processing_status IN ('pending', 'completed', 'failed')),
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
    UNIQUE (interview_id, seq),
    FOREIGN KEY (interview_id) REFERENCES Interviews(interview_id) ON DELETE CASCADE,
    FOREIGN KEY (user_id) REFERENCES Users(user_id) ON DELETE CASCADE
);
CREATE INDEX idx_messages_user_id ON Messages(user_id);

CREATE TABLE Interview_Questions (
    interview_question_id TEXT PRIMARY KEY,
    interview_id TEXT NOT NULL,
    question_bank_id INTEGER,
    question_text_snapshot TEXT NOT NULL,
    order_in_interview INTEGER NOT NULL CHECK(order_in_interview >= 1),
    timestamp_asked TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
    ai_question_message_id TEXT UNIQUE,
    user_answer_message_id TEXT UNIQUE,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
    UNIQUE (interview_id, order_in_interview),
    FOREIGN KEY (interview_id) REFERENCES Interviews(interview_id) ON DELETE CASCADE,
    FOREIGN KEY (question_bank_id) REFERENCES Questions(question_id) ON DELETE SET NULL,
    FOREIGN KEY (ai_question_message_id) REFERENCES Messages(message_id) ON DELETE SET NULL,
    FOREIGN KEY (user_answer_message_id) REFERENCES Messages(message_id) ON DELETE SET NULL
);
CREATE INDEX idx_interview_questions_bank_id ON Interview_Questions(question_bank_id);

-- One report entry per interview and skill.
CREATE TABLE AI_Feedback (
    feedback_id TEXT PRIMARY KEY,
    interview_id TEXT NOT NULL,
    skill_id INTEGER NOT NULL,
    rating INTEGER NOT NULL CHECK(rating BETWEEN 1 AND 5),
    strengths TEXT NOT NULL DEFAULT '',
    areas_for_improvement TEXT NOT NULL DEFAULT '',
    feedback_text TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
    UNIQUE (interview_id, skill_id),
    FOREIGN KEY (interview_id) REFERENCES Interviews(interview_id) ON DELETE CASCADE,
    FOREIGN KEY (skill_id) REFERENCES Skills(skill_id) ON DELETE CASCADE
);
CREATE INDEX idx_ai_feedback_skill_id ON AI_Feedback(skill_id);
