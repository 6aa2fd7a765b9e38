//! The answer box: the answer (Enter sends, Shift+Enter is a new line), a hint, a skip, ending
//! early and cancelling (asked first).

use super::conversation::Conversation;
use super::timer::AnswerTimer;
use crate::api::CancelInterview;
use crate::model::{MAX_ANSWER_CHARS, TurnAction};
use leptos::prelude::*;

#[component]
pub(super) fn Composer(talk: Conversation) -> impl IntoView {
    let send = move || {
        let text = talk.draft.get_untracked();
        if !text.trim().is_empty() {
            talk.act(TurnAction::Answer, Some(text));
        }
    };
    // Cancelling throws the interview away (no report), so it asks once more first. The action
    // lives here, not in the question, which is gone as soon as it is answered.
    let confirming = RwSignal::new(false);
    let cancelling = ServerAction::<CancelInterview>::new();
    Effect::new(move |_| match cancelling.value().get() {
        Some(Ok(i)) => talk.state.update(|s| s.interview = i),
        Some(Err(e)) => talk.error.set(Some(e.to_string())),
        None => {}
    });
    view! {
        <form class="composer" on:submit=move |ev| { ev.prevent_default(); send(); }>
            <AnswerTimer talk />
            <AnswerBox talk send />
            <div class="composer-actions">
                <button type="submit" class="primary" disabled=move || talk.busy.get() || talk.draft.with(|d| d.trim().is_empty())>"Send answer"</button>
                <TurnButtons talk />
                <button type="button" class="link danger" disabled=move || talk.busy.get() || confirming.get()
                    on:click=move |_| confirming.set(true)>"Cancel without a report"</button>
            </div>
            {move || confirming.get().then(|| view! { <ConfirmCancel talk confirming cancelling /> })}
        </form>
    }
}

#[component]
fn AnswerBox(talk: Conversation, send: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let count = move || talk.draft.with(|d| d.chars().count());
    let follow_up = move || talk.state.with(|s| s.progress.in_follow_up);
    view! {
        <label for="answer">
            {move || if follow_up() { "Your answer to the follow-up" } else { "Your answer" }}
        </label>
        <textarea
            id="answer"
            name="answer"
            rows="5"
            maxlength=MAX_ANSWER_CHARS.to_string()
            aria-describedby="answer-help answer-count"
            prop:value=move || talk.draft.get()
            on:input=move |ev| talk.draft.set(event_target_value(&ev))
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                // Enter sends; Shift+Enter is a new line; never mid-composition (IME).
                if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
                    ev.prevent_default();
                    send();
                }
            }
        ></textarea>
        <div class="composer-meta">
            <p id="answer-help" class="hint">"Enter sends · Shift+Enter starts a new line"</p>
            <p id="answer-count" class=move || { if count() > MAX_ANSWER_CHARS * 9 / 10 { "count near-limit" } else { "count" } }>
                {move || format!("{} / {MAX_ANSWER_CHARS}", count())}
            </p>
        </div>
    }
}

/// A hint, a skip, or ending early: turns without an answer.
#[component]
fn TurnButtons(talk: Conversation) -> impl IntoView {
    let hint_used = move || talk.state.with(|s| s.progress.hint_used);
    view! {
        <button type="button" class="secondary" disabled=move || talk.busy.get() || hint_used()
            on:click=move |_| talk.act(TurnAction::Hint, None)>
            {move || if hint_used() { "Hint given" } else { "Ask for a hint" }}
        </button>
        <button type="button" id="skip" class="secondary" disabled=move || talk.busy.get()
            on:click=move |_| talk.act(TurnAction::Skip, None)>"Skip question"</button>
        <button type="button" class="secondary" disabled=move || talk.busy.get()
            on:click=move |_| talk.act(TurnAction::End, None)>"End interview"</button>
    }
}

/// "Cancel this interview?", with the safe choice focused for keyboard users and Escape to back
/// out.
#[component]
fn ConfirmCancel(
    talk: Conversation,
    confirming: RwSignal<bool>,
    cancelling: ServerAction<CancelInterview>,
) -> impl IntoView {
    let keep_going = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = keep_going.get() {
            let _ = button.focus();
        }
    });
    let cancel = move |_| {
        cancelling.dispatch(CancelInterview {
            interview_id: talk.id.get_value(),
        });
        confirming.set(false);
    };
    view! {
        <div class="confirm" role="group" aria-labelledby="confirm-cancel"
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                // Escape backs out, as from any question the page asks.
                if ev.key() == "Escape" {
                    ev.prevent_default();
                    confirming.set(false);
                }
            }>
            <p id="confirm-cancel">"Cancel this interview? It ends here, without a report, and cannot be resumed."</p>
            <button type="button" class="danger-solid" on:click=cancel>"Yes, cancel it"</button>
            <button type="button" class="secondary" node_ref=keep_going on:click=move |_| confirming.set(false)>"Keep going"</button>
        </div>
    }
}
