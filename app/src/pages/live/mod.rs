//! The live part of the interview page: the conversation, the reply as it streams
//! (`stream.rs`, the only browser-only module), the answer box (`composer.rs`) with its
//! countdown (`timer.rs`) and the report (`report.rs`).

mod composer;
mod conversation;
mod report;
mod stream;
mod timer;

use crate::model::{InterviewStatus, LiveInterview, Message, Role, TurnAction};
use composer::Composer;
use conversation::Conversation;
use leptos::prelude::*;
use report::ReportView;

/// The reply being written, as this page sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Reply {
    Idle,
    /// Waiting for the first words.
    Thinking,
    Streaming(String),
}

#[component]
pub fn LiveView(state: RwSignal<LiveInterview>) -> impl IntoView {
    let talk = Conversation::new(state);
    // A reply already being written when the page loads (another tab, or a reload mid-reply):
    // follow it. Effects run only in the browser.
    Effect::new(move |_| {
        if state.with_untracked(|s| s.replying) {
            talk.follow_pending();
        }
    });
    let status = move || state.with(|s| s.interview.status);
    let hydrated = super::hydrated_signal();
    view! {
        <section class="panel live" aria-labelledby="conversation-title" data-hydrated=move || hydrated.get().to_string()>
            <div class="panel-head">
                <h2 id="conversation-title">"Conversation"</h2>
                <p class="progress" data-testid="progress">{move || progress_text(&state.get())}</p>
            </div>
            {move || state.with(|s| s.interviewer.offline).then(|| view! {
                <p class="offline-note">
                    "You are practising with the offline interviewer: it needs no network or AI model, asks the planned questions, follows up when an answer misses the question or its key points, and scores each answer against what the question asks by the rules shown with the report."
                </p>
            })}
            // Not <noscript>: its content parses differently with scripting on, which breaks
            // hydration. Shown until the page is live.
            {move || (!hydrated.get()).then(|| view! {
                <p class="hint needs-js">"The live interview needs JavaScript; without it you can read the conversation and the report."</p>
            })}
            <Messages state />
            <ReplyRegion reply=talk.reply />
            <TurnError talk />
            {move || match status() {
                InterviewStatus::Pending => view! { <StartPanel talk /> }.into_any(),
                InterviewStatus::InProgress => view! { <Composer talk /> }.into_any(),
                _ => ().into_any(),
            }}
        </section>
        {move || (status() == InterviewStatus::Completed).then(|| view! { <ReportView talk /> })}
        {move || (status() == InterviewStatus::Cancelled).then(|| view! {
            <p class="notice muted" role="status">"This interview was cancelled, so it has no report."</p>
        })}
    }
}

#[component]
fn Messages(state: RwSignal<LiveInterview>) -> impl IntoView {
    view! {
        <ol class="conversation" aria-label="Messages">
            <For
                each=move || state.with(|s| s.messages.clone())
                key=|m: &Message| m.id.clone()
                children=|m: Message| view! { <MessageItem role=m.role content=m.content /> }
            />
            {move || state.with(|s| s.pending_answer.clone()).map(|t| view! {
                <MessageItem role=Role::Candidate content=t />
            })}
        </ol>
    }
}

/// The reply being written. Always in the page so screen readers know the region before
/// words arrive; busy while streaming so the reply is read once it is whole.
#[component]
fn ReplyRegion(reply: RwSignal<Reply>) -> impl IntoView {
    view! {
        <div
            class="msg msg-interviewer live-reply"
            id="live-reply"
            aria-live="polite"
            aria-busy=move || (reply.get() != Reply::Idle).to_string()
            data-state=move || match reply.get() { Reply::Idle => "idle", Reply::Thinking => "thinking", Reply::Streaming(_) => "streaming" }
        >
            {move || match reply.get() {
                Reply::Idle => ().into_any(),
                Reply::Thinking => view! {
                    <p class="who">"Interviewer"</p>
                    <p class="thinking"><span class="dots" aria-hidden="true"></span>"The interviewer is thinking…"</p>
                }.into_any(),
                Reply::Streaming(t) => view! {
                    <p class="who">"Interviewer"</p>
                    {paragraphs(&t)}
                }.into_any(),
            }}
        </div>
    }
}

/// Why the last turn failed, with "Try again" sending that very turn again.
#[component]
fn TurnError(talk: Conversation) -> impl IntoView {
    move || {
        talk.error.get().map(|e| {
            view! {
                <div class="turn-error" role="alert">
                    <p class="error">{e}</p>
                    {talk.last.get_value().map(|turn| view! {
                        <button type="button" class="secondary" on:click=move |_| talk.send(turn.clone())>"Try again"</button>
                    })}
                </div>
            }
        })
    }
}

#[component]
fn StartPanel(talk: Conversation) -> impl IntoView {
    view! {
        <div class="start">
            <p>{move || format!(
                "The interviewer will greet you, then ask the first of {} questions. Ask for a hint or skip whenever you like.",
                talk.state.with(|s| s.progress.total)
            )}</p>
            <button type="button" class="primary" disabled=move || talk.busy.get()
                on:click=move |_| talk.act(TurnAction::Start, None)>"Start the interview"</button>
        </div>
    }
}

/// A turn as the page asked for it.
#[derive(Clone, Debug)]
pub(super) struct LastTurn {
    action: TurnAction,
    text: Option<String>,
    /// Made once per turn; a resend of the same turn carries the same key.
    key: String,
}

fn progress_text(s: &LiveInterview) -> String {
    match s.interview.status {
        InterviewStatus::Pending => format!("{} questions", s.progress.total),
        InterviewStatus::Completed => format!(
            "Finished · {} of {} questions asked",
            s.progress.current, s.progress.total
        ),
        _ if s.progress.current == 0 => format!("{} questions", s.progress.total),
        _ => format!("Question {} of {}", s.progress.current, s.progress.total),
    }
}

fn paragraphs(text: &str) -> impl IntoView + use<> {
    text.split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| view! { <p>{p.to_owned()}</p> })
        .collect_view()
}

#[component]
fn MessageItem(role: Role, content: String) -> impl IntoView {
    let (class, who) = match role {
        Role::Interviewer => ("msg msg-interviewer", "Interviewer"),
        Role::Candidate => ("msg msg-candidate", "You"),
        Role::System => ("msg msg-system", "Note"),
    };
    view! {
        <li class=class>
            <p class="who">{who}</p>
            {paragraphs(&content)}
        </li>
    }
}
