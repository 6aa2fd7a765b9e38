//! The conversation of an interview, as `store/messages.rs`: what the app reads of it. (The
//! SQLite store's `append_message` is used by tests only; turns write their messages
//! themselves.)

use super::{PgTx, parse_enum};
use crate::model::Message;
use crate::store::{Result, StoreError};

/// The columns [`message_from_row`] reads.
pub(crate) const MESSAGE_COLUMNS: &str =
    "message_id, interview_id, seq, role, content, pp_time(created_at)";

/// A message from [`MESSAGE_COLUMNS`].
pub(crate) fn message_from_row(r: &postgres::Row) -> Result<Message> {
    Ok(Message {
        id: r.try_get(0)?,
        interview_id: r.try_get(1)?,
        // INTEGER in the schema.
        seq: i64::from(r.try_get::<_, i32>(2)?),
        role: parse_enum(r, 3)?,
        content: r.try_get(4)?,
        created_at: r.try_get(5)?,
    })
}

/// An interview's finished messages in conversation order. An unknown interview is `NotFound`.
pub fn list_messages(c: &mut PgTx<'_>, interview_id: &str) -> Result<Vec<Message>> {
    let found: bool = c
        .query_one(
            "SELECT EXISTS(SELECT 1 FROM interviews WHERE interview_id = $1)",
            &[&interview_id],
        )?
        .get(0);
    if !found {
        return Err(StoreError::NotFound(format!("interview {interview_id}")));
    }
    c.query(
        &format!(
            "SELECT {MESSAGE_COLUMNS} FROM messages
             WHERE interview_id = $1 AND processing_status = 'completed' ORDER BY seq"
        ),
        &[&interview_id],
    )?
    .iter()
    .map(message_from_row)
    .collect()
}
