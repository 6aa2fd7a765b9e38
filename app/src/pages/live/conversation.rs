//! The page's side of a conversation: the interview as last loaded, the reply being written,
//! the last turn asked for and what the answer box holds — all signals, so a `Conversation`
//! is `Copy` and every handler holds it whole. Taking a turn (a `ServerAction`), following its
//! reply and reloading the state happen here; the components only show it.

use super::stream::{self, StreamEvent, new_turn_key};
use super::{LastTurn, Reply};
use crate::api::{TakeTurn, interview_live};
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
    /// Deciding a turn: the server call, pending until the turn is taken or refused.
    turn: ServerAction<TakeTurn>,
    /// Following a reply, from the turn's start (or the page's load mid-reply) until it is
    /// stored, fails or the stream is lost: the part of a turn after its call.
    pub following: RwSignal<bool>,
    /// A turn is under way, in either part: the buttons wait.
    pub busy: Signal<bool>,
    /// The last turn asked for, with its key, so "Try again" can send the very same turn: if
    /// the server had taken it after all (a lost response), the key makes the resend harmless.
    pub last: StoredValue<Option<LastTurn>>,
}

impl Conversation {
    pub fn new(state: RwSignal<LiveInterview>) -> Conversation {
        let turn = ServerAction::<TakeTurn>::new();
        let following = RwSignal::new(false);
        let talk = Conversation {
            id: StoredValue::new(state.with_untracked(|s| s.interview.id.clone())),
            state,
            reply: RwSignal::new(Reply::Idle),
            error: RwSignal::new(None),
            draft: RwSignal::new(String::new()),
            turn,
            following,
            busy: Signal::derive(move || turn.pending().get() || following.get()),
            last: StoredValue::new(None),
        };
        Effect::new(move |_| talk.decided());
        talk
    }

    /// Loads the interview's state again (after a reply is stored, or failed). If a reply is
    /// being written by then (a turn sent from another tab, perhaps through another server),
    /// it is followed too.
    pub fn reload(self) {
        spawn_local(async move {
            match interview_live(self.id.get_value()).await {
                Ok(l) => {
                    let replying = l.replying;
                    self.state.set(l);
                    if replying && !self.following.get_untracked() {
                        self.follow_pending();
                    }
                }
                Err(e) => self.error.set(Some(e.to_string())),
            }
        });
    }

    /// Follows a reply the page did not ask for (being written when the page loaded, or by
    /// then), showing the interviewer thinking until it arrives.
    pub fn follow_pending(self) {
        self.following.set(true);
        self.reply.set(Reply::Thinking);
        self.follow();
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
                self.following.set(false);
                self.reload();
                self.reply.set(Reply::Idle);
            }
            StreamEvent::Failed(why) => {
                self.following.set(false);
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
                self.following.set(false);
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

    /// Sends `turn` (again, for "Try again"); [`Conversation::decided`] follows its reply.
    /// One at a time.
    pub fn send(self, turn: LastTurn) {
        if self.busy.get_untracked() {
            return;
        }
        self.error.set(None);
        let call = TakeTurn {
            interview_id: self.id.get_value(),
            action: turn.action,
            text: turn.text.clone(),
            turn_key: Some(turn.key.clone()),
        };
        // Kept before the call: `decided` reads it when the answer comes.
        self.last.set_value(Some(turn));
        self.turn.dispatch(call);
    }

    /// The server's answer to the turn: follow its reply, or say why it was refused.
    fn decided(self) {
        let Some(answer) = self.turn.value().get() else {
            return;
        };
        match answer {
            Ok(started) => {
                let Some(LastTurn { action, text, .. }) = self.last.get_value() else {
                    return;
                };
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
                self.following.set(true);
                self.follow();
            }
            Err(e) => self.error.set(Some(e.to_string())),
        }
    }
}
