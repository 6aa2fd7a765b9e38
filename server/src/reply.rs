//! `GET /interviews/{id}/reply`: the reply being written, as server-sent events.
//!
//! Events: `snapshot` (the reply so far, first), `token` (each new piece), then `done` (stored)
//! or `failed` (nothing stored; the data is the message to show). `idle` when no reply is being
//! written. Data is always a JSON string, so newlines survive — and never empty, because
//! browsers drop events whose data is empty. A follower that disconnects does not
//! stop the reply; one that connects mid-reply starts from the snapshot. A reply another
//! server on the same database writes is followed from the text that server saves
//! (`Live::follow_anywhere`).

use crate::AppState;
use crate::api::OwnedInterview;
use app::ai::live::{ReplyProgress, ReplyState};
use app::model::ReplyEvent;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::Stream;
use std::convert::Infallible;
use tokio::sync::watch;

pub async fn follow(
    State(state): State<AppState>,
    OwnedInterview(_, id): OwnedInterview,
) -> Response {
    match state.live.follow_anywhere(&id).await {
        Ok(Some(rx)) => Sse::new(events(rx))
            .keep_alive(KeepAlive::default())
            .into_response(),
        Ok(None) => Sse::new(futures::stream::once(async {
            Ok::<_, Infallible>(json_event(ReplyEvent::Idle, ""))
        }))
        .into_response(),
        Err(e) => crate::api::ApiError::from(e).into_response(),
    }
}

enum Phase {
    New,
    Streaming,
    Over,
}

/// The reply's progress as events: the whole text so far, then only what is new.
pub fn events(
    rx: watch::Receiver<ReplyProgress>,
) -> impl Stream<Item = Result<Event, Infallible>> + Send {
    futures::stream::unfold(
        (rx, 0usize, Phase::New),
        |(mut rx, sent, phase)| async move {
            loop {
                let (delta, len, state) = {
                    let p = rx.borrow_and_update();
                    (p.text[sent..].to_owned(), p.text.len(), p.state.clone())
                };
                let event = match phase {
                    Phase::Over => return None,
                    Phase::New => json_event(ReplyEvent::Snapshot, &delta),
                    Phase::Streaming if !delta.is_empty() => json_event(ReplyEvent::Token, &delta),
                    Phase::Streaming => match state {
                        ReplyState::Done => {
                            let e = json_event(ReplyEvent::Done, "");
                            return Some((Ok(e), (rx, len, Phase::Over)));
                        }
                        ReplyState::Failed(why) => {
                            let e = json_event(ReplyEvent::Failed, &why);
                            return Some((Ok(e), (rx, len, Phase::Over)));
                        }
                        ReplyState::Writing => {
                            if rx.changed().await.is_err()
                                && rx.borrow().state == ReplyState::Writing
                            {
                                // The writer vanished without a verdict (it panicked).
                                let e = json_event(
                                    ReplyEvent::Failed,
                                    "The reply was interrupted. Please try again.",
                                );
                                return Some((Ok(e), (rx, len, Phase::Over)));
                            }
                            continue;
                        }
                    },
                };
                return Some((Ok(event), (rx, len, Phase::Streaming)));
            }
        },
    )
}

fn json_event(event: ReplyEvent, text: &str) -> Event {
    Event::default()
        .event(event.name())
        .data(serde_json::to_string(text).unwrap_or_default())
}
