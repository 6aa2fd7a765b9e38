//! The page's side of a conversation: the interview as last loaded, the reply being written,
//! the last turn asked for and what the answer box holds — all signals, so a `Conversation`
//! is `Copy` and every handler holds it whole. Taking a turn, following its reply and
//! reloading the state happen here; the components only show it.

use super::stream::{self, StreamEvent, new_turn_key};
use super::{LastTurn, Reply};
use crate::api::{interview_live, take_turn};
use crate::model::{InterviewId, LiveInterview, TurnAction};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[derive(Clone, Copy)]
pub(super) struct Conversation {
    pub id: StoredValue<InterviewId>,
    pub state: RwSignal<LiveInterview>,
    pub reply: RwSignal<Reply>,
    pub error: RwSignal<Option<String>>,
    pub draft: RwSignal<String>,
    pub busy: RwSignal<bool>,
    /// The last turn asked for, with its key, so "Try again" can send the very same turn: if
    /// the server had taken it after all (a lost response), the key makes the resend harmless.
    pub last: StoredValue<Option<LastTurn>>,
}

impl Conversation {
    pub fn new(state: RwSignal<LiveInterview>) -> Conversation {
        Conversation {
            id: StoredValue::new(state.with_untracked(|s| s.interview.id.clone())),
            state,
            reply: RwSignal::new(Reply::Idle),
            error: RwSignal::new(None),
            draft: RwSignal::new(String::new()),
            busy: RwSignal::new(false),
            last: StoredValue::new(None),
        }
    }

    /// Loads the interview's state again (after a reply is stored, or failed).
    pub fn reload(self) {
        spawn_local(async move {
            match interview_live(self.id.get_value()).await {
                Ok(l) => self.state.set(l),
                Err(e) => self.error.set(Some(e.to_string())),
            }
        });
    }

    /// Follows the reply being written until it is stored or fails.
    pub fn follow(self) {
        spawn_local(async move {
            stream::follow(&self.id.get_value(), move |e| self.apply(e)).await;
        });
    }

    /// What each event of the reply stream does to the page.
    fn apply(self, event: StreamEvent) {
        match event {
            StreamEvent::Snapshot(t) if t.is_empty() => self.reply.set(Reply::Thinking),
            StreamEvent::Snapshot(t) => self.reply.set(Reply::Streaming(t)),
            StreamEvent::Token(piece) => self.reply.update(|r| match r {
                Reply::Streaming(t) => t.push_str(&piece),
                other => *other = Reply::Streaming(piece),
            }),
            StreamEvent::Done => {
                self.busy.set(false);
                self.reload();
                self.reply.set(Reply::Idle);
            }
            StreamEvent::Failed(why) => {
                self.busy.set(false);
                self.error.set(Some(why));
                self.reply.set(Reply::Idle);
                // Nothing was stored: give the answer back to edit or resend.
                if let Some(LastTurn {
                    action: TurnAction::Answer,
                    text: Some(t),
                    ..
                }) = self.last.get_value()
                {
                    self.draft.set(t);
                }
                self.reload();
            }
            StreamEvent::Lost => {
                self.busy.set(false);
                self.reply.set(Reply::Idle);
                self.error.set(Some(
                    "The connection to the interviewer was lost. Reload the page to see the reply."
                        .into(),
                ));
            }
        }
    }

    /// Asks for a new turn (a fresh key).
    pub fn act(self, action: TurnAction, text: Option<String>) {
        self.send(LastTurn {
            action,
            text,
            key: new_turn_key(),
        });
    }

    /// Sends `turn` (again, for "Try again"), then follows its reply. One at a time.
    pub fn send(self, turn: LastTurn) {
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        self.error.set(None);
        self.last.set_value(Some(turn.clone()));
        spawn_local(async move {
            let LastTurn { action, text, key } = turn;
            match take_turn(self.id.get_value(), action, text.clone(), Some(key)).await {
                Ok(started) => {
                    let shown = match action {
                        TurnAction::Answer => text,
                        other => other.spoken().map(str::to_owned),
                    };
                    self.state.update(|s| {
                        // A turn taken earlier is already in the conversation (or will be once
                        // the reply that follows is stored); do not show it twice.
                        s.pending_answer = if started { shown } else { None };
                        s.replying = true;
                    });
                    self.draft.set(String::new());
                    self.reply.set(Reply::Thinking);
                    self.follow();
                }
                Err(e) => {
                    self.busy.set(false);
                    self.error.set(Some(e.to_string()));
                }
            }
        });
    }
}
