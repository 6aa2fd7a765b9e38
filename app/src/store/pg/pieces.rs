//! Replies' pieces between app servers: the node writing a reply publishes each piece with
//! `NOTIFY`, and every node keeps one connection that `LISTEN`s and hands the pieces to its
//! followers. A piece names its reply and its byte offset in the reply's text, so a follower
//! that started from the saved text applies exactly what follows it, and one that missed
//! pieces (a lost listen connection, a full queue) waits for the next save instead of showing
//! a gap.

use super::{PgStore, PgTx};
use crate::store::{ReplyPiece, Result, StoreError};
use futures::StreamExt;
use tokio::sync::broadcast;
use tokio_postgres::AsyncMessage;

/// The channel the pieces travel on.
const CHANNEL: &str = "pp_reply_pieces";

/// PostgreSQL refuses a payload of 8,000 bytes or more; a piece's text is cut well below it
/// (the JSON around it and escaped characters take the rest).
const MAX_PIECE_BYTES: usize = 3_000;

/// Pieces received but not yet taken by a slow follower, per node.
pub(super) const QUEUE: usize = 1024;

/// Publishes `text`, found at byte `offset` of reply `reply`'s text, in pieces small enough
/// for a notification; delivered when the transaction commits.
pub fn publish_piece(c: &mut PgTx<'_>, reply: &str, offset: usize, text: &str) -> Result<()> {
    for (start, part) in cut(text) {
        let piece = ReplyPiece {
            reply: reply.to_owned(),
            offset: offset + start,
            text: part.to_owned(),
        };
        let payload = serde_json::to_string(&piece)
            .map_err(|e| StoreError::Internal(format!("a reply piece: {e}")))?;
        c.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &payload])?;
    }
    Ok(())
}

/// `text` in parts of at most [`MAX_PIECE_BYTES`], cut between characters, each with its
/// byte offset.
fn cut(text: &str) -> Vec<(usize, &str)> {
    let mut parts = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let mut end = (start + MAX_PIECE_BYTES).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        parts.push((start, &text[start..end]));
        start = end;
    }
    parts
}

impl PgStore {
    /// Starts the node's listening connection: it hands every piece published by any node to
    /// `pieces`, and connects again (after a second) whenever the connection is lost.
    pub(super) fn listen(url: String, pieces: broadcast::Sender<ReplyPiece>) {
        tokio::spawn(async move {
            loop {
                if let Err(e) = listen_once(&url, &pieces).await {
                    tracing::warn!(error = %e, "the reply pieces' listen connection was lost");
                }
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            }
        });
    }
}

async fn listen_once(
    url: &str,
    pieces: &broadcast::Sender<ReplyPiece>,
) -> std::result::Result<(), tokio_postgres::Error> {
    let (client, mut connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
    let mut messages = futures::stream::poll_fn(move |cx| connection.poll_message(cx));
    let statement = format!("LISTEN {CHANNEL}");
    let listen = client.batch_execute(&statement);
    tokio::pin!(listen);
    let mut listening = false;
    loop {
        tokio::select! {
            done = &mut listen, if !listening => {
                done?;
                listening = true;
            }
            message = messages.next() => match message {
                Some(Ok(AsyncMessage::Notification(n))) => {
                    match serde_json::from_str::<ReplyPiece>(n.payload()) {
                        // No follower on this node is fine: the piece is dropped.
                        Ok(piece) => _ = pieces.send(piece),
                        Err(e) => tracing::warn!(error = %e, "an unreadable reply piece"),
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e),
                None => return Ok(()),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_piece_is_cut_at_characters_under_the_payload_limit() {
        // Three-byte characters, so a cut at the byte limit would fall inside one.
        let text = "€".repeat(2_500);
        let cuts = cut(&text);
        assert!(cuts.len() > 1);
        assert!(
            cuts.iter()
                .all(|(start, part)| text[*start..].starts_with(part))
        );
        let cuts: Vec<&str> = cuts.into_iter().map(|(_, part)| part).collect();
        assert_eq!(cuts.concat(), text);
        for cut in cuts {
            let payload = serde_json::to_string(&ReplyPiece {
                reply: "m".repeat(36),
                offset: usize::MAX,
                text: cut.to_owned(),
            })
            .unwrap();
            assert!(payload.len() < 8_000, "{}", payload.len());
        }
    }
}
