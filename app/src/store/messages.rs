//! The conversation of an interview.

use super::{NOW_SQL, Result, StoreError, parse_enum};
use crate::model::{InterviewStatus, Message, Role};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

pub const MAX_MESSAGE_CHARS: usize = 20_000;

/// Appends a message at the end of an interview's conversation and returns it. The position is
/// taken inside the write transaction, so concurrent appends cannot share one. Finished
/// interviews (completed or cancelled) take no more messages.
pub fn append_message(
    conn: &mut Connection,
    interview_id: &str,
    role: Role,
    content: &str,
) -> Result<Message> {
    if content.trim().is_empty() {
        return Err(StoreError::Invalid("a message must not be empty".into()));
    }
    let len = content.chars().count();
    if len > MAX_MESSAGE_CHARS {
        return Err(StoreError::Invalid(format!(
            "a message must be at most {MAX_MESSAGE_CHARS} characters (got {len})"
        )));
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let (user_id, status): (String, InterviewStatus) = tx
        .query_row(
            "SELECT user_id, status FROM Interviews WHERE interview_id = ?1",
            [interview_id],
            |r| Ok((r.get(0)?, parse_enum(r, 1)?)),
        )
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("interview {interview_id}")))?;
    if matches!(
        status,
        InterviewStatus::Completed | InterviewStatus::Cancelled
    ) {
        return Err(StoreError::Conflict(format!(
            "this interview is {} and takes no more messages",
            status.label().to_lowercase()
        )));
    }
    let id = uuid::Uuid::now_v7().to_string();
    let message = tx
        .prepare_cached(&format!(
            "INSERT INTO Messages (message_id, interview_id, user_id, seq, role, content,
                                   timestamp, created_at)
             VALUES (?1, ?2, ?3,
                     (SELECT coalesce(max(seq), 0) + 1 FROM Messages WHERE interview_id = ?2),
                     ?4, ?5, {NOW_SQL}, {NOW_SQL})
             RETURNING message_id, interview_id, seq, role, content, created_at"
        ))?
        .query_row(
            params![id, interview_id, user_id, role.as_str(), content],
            message_from_row,
        )?;
    tx.execute(
        &format!("UPDATE Interviews SET updated_at = {NOW_SQL} WHERE interview_id = ?1"),
        [interview_id],
    )?;
    tx.commit()?;
    Ok(message)
}

fn message_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Message> {
    Ok(Message {
        id: r.get(0)?,
        interview_id: r.get(1)?,
        seq: r.get(2)?,
        role: parse_enum(r, 3)?,
        content: r.get(4)?,
        created_at: r.get(5)?,
    })
}

/// An interview's finished messages in conversation order. An unknown interview is `NotFound`.
pub fn list_messages(conn: &Connection, interview_id: &str) -> Result<Vec<Message>> {
    let found: bool = conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM Interviews WHERE interview_id = ?1)",
        [interview_id],
        |r| r.get(0),
    )?;
    if !found {
        return Err(StoreError::NotFound(format!("interview {interview_id}")));
    }
    let mut stmt = conn.prepare_cached(
        "SELECT message_id, interview_id, seq, role, content, created_at FROM Messages
         WHERE interview_id = ?1 AND processing_status = 'completed' ORDER BY seq",
    )?;
    let rows = stmt.query_map([interview_id], message_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
