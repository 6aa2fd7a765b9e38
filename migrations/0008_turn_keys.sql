-- A key the browser makes for each turn it asks for, kept on the turn's interviewer message, so
-- that a request sent again (a lost response, a double click, a retry) is recognised as the same
-- turn instead of answering the next question with it.
ALTER TABLE Messages ADD COLUMN turn_key TEXT;
CREATE UNIQUE INDEX idx_messages_turn_key ON Messages(interview_id, turn_key)
    WHERE turn_key IS NOT NULL;
