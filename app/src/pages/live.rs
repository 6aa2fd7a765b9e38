//! The live part of the interview page: the conversation, the reply as it streams, the answer
//! box with hint/skip/end, and the report.

use crate::api::{cancel_interview, interview_live, regenerate_report, take_turn};
use crate::model::{
    InterviewStatus, LiveInterview, MAX_ANSWER_CHARS, Message, QuestionOutcome, Report, Role,
    TurnAction,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The reply being written, as this page sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))] // streamed only in the browser
enum Reply {
    Idle,
    /// Waiting for the first words.
    Thinking,
    Streaming(String),
}

#[component]
pub fn LiveView(state: RwSignal<LiveInterview>) -> impl IntoView {
    let id = state.with_untracked(|s| s.interview.id.clone());
    let reply = RwSignal::new(Reply::Idle);
    let error = RwSignal::new(None::<String>);
    let draft = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    // The last turn asked for, with its key, so "Try again" can send the very same turn: if the
    // server had taken it after all (a lost response), the key makes the resend harmless.
    let last = StoredValue::new(None::<LastTurn>);

    let reload = {
        let id = id.clone();
        move || {
            let id = id.clone();
            spawn_local(async move {
                match interview_live(id).await {
                    Ok(l) => state.set(l),
                    Err(e) => error.set(Some(e.to_string())),
                }
            });
        }
    };
    let follow = {
        let id = id.clone();
        let reload = reload.clone();
        move || follow_reply(&id, reply, error, busy, draft, last, reload.clone())
    };
    let send_turn = {
        let id = id.clone();
        let follow = follow.clone();
        move |turn: LastTurn| {
            if busy.get_untracked() {
                return;
            }
            busy.set(true);
            error.set(None);
            last.set_value(Some(turn.clone()));
            let id = id.clone();
            let follow = follow.clone();
            spawn_local(async move {
                let LastTurn { action, text, key } = turn;
                match take_turn(id, action, text.clone(), Some(key)).await {
                    Ok(started) => {
                        let shown = match action {
                            TurnAction::Answer => text,
                            other => other.spoken().map(str::to_owned),
                        };
                        state.update(|s| {
                            // A turn taken earlier is already in the conversation (or will be
                            // once the reply that follows is stored); do not show it twice.
                            s.pending_answer = if started { shown } else { None };
                            s.replying = true;
                        });
                        draft.set(String::new());
                        reply.set(Reply::Thinking);
                        follow();
                    }
                    Err(e) => {
                        busy.set(false);
                        error.set(Some(e.to_string()));
                    }
                }
            });
        }
    };
    let act = {
        let send_turn = send_turn.clone();
        move |action: TurnAction, text: Option<String>| {
            send_turn(LastTurn {
                action,
                text,
                key: new_turn_key(),
            })
        }
    };
    // A reply already being written when the page loads (another tab, or a reload mid-reply):
    // follow it. Effects run only in the browser.
    {
        let follow = follow.clone();
        Effect::new(move |_| {
            if state.with_untracked(|s| s.replying) {
                busy.set(true);
                reply.set(Reply::Thinking);
                follow();
            }
        });
    }

    let status = move || state.with(|s| s.interview.status);
    let hydrated = super::hydrated_signal();
    let act_start = act.clone();
    let id_cancel = id.clone();
    let id_regen = id.clone();
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
            // Always in the page so screen readers know the region before words arrive; busy
            // while streaming so the reply is read once it is whole.
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
            {move || error.get().map(|e| view! {
                <div class="turn-error" role="alert">
                    <p class="error">{e}</p>
                    {last.get_value().map(|turn| {
                        let send_turn = send_turn.clone();
                        view! {
                            <button type="button" class="secondary" on:click=move |_| send_turn(turn.clone())>"Try again"</button>
                        }
                    })}
                </div>
            })}
            {move || match status() {
                InterviewStatus::Pending => {
                    let act_start = act_start.clone();
                    view! {
                        <div class="start">
                            <p>{move || format!(
                                "The interviewer will greet you, then ask the first of {} questions. Ask for a hint or skip whenever you like.",
                                state.with(|s| s.progress.total)
                            )}</p>
                            <button type="button" class="primary" disabled=move || busy.get()
                                on:click=move |_| act_start(TurnAction::Start, None)>"Start the interview"</button>
                        </div>
                    }.into_any()
                }
                InterviewStatus::InProgress => view! {
                    <Composer state draft busy error act=act.clone() id=id_cancel.clone() />
                }.into_any(),
                _ => ().into_any(),
            }}
        </section>
        {move || (status() == InterviewStatus::Completed).then(|| {
            let id_regen = id_regen.clone();
            let reload = reload.clone();
            view! { <ReportView state id=id_regen reload /> }
        })}
        {move || (status() == InterviewStatus::Cancelled).then(|| view! {
            <p class="notice muted" role="status">"This interview was cancelled, so it has no report."</p>
        })}
    }
}

/// A turn as the page asked for it.
#[derive(Clone, Debug)]
struct LastTurn {
    action: TurnAction,
    text: Option<String>,
    /// Made once per turn; a resend of the same turn carries the same key.
    key: String,
}

/// A fresh turn key: 128 random bits as hex. Only uniqueness within one interview matters, not
/// secrecy, so `Math.random` does (`crypto.randomUUID` is missing on plain-http origins).
fn new_turn_key() -> String {
    #[cfg(feature = "hydrate")]
    {
        (0..4)
            .map(|_| format!("{:08x}", (js_sys::Math::random() * 4_294_967_296.0) as u32))
            .collect()
    }
    // Turns are only ever asked for from the browser.
    #[cfg(not(feature = "hydrate"))]
    String::new()
}

/// Opens the reply stream and applies its events until the reply is stored or fails.
#[allow(clippy::too_many_arguments)]
fn follow_reply(
    id: &str,
    reply: RwSignal<Reply>,
    error: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
    draft: RwSignal<String>,
    last: StoredValue<Option<LastTurn>>,
    reload: impl Fn() + Clone + 'static,
) {
    #[cfg(feature = "hydrate")]
    {
        use crate::model::ReplyEvent;
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;
        let Ok(source) = web_sys::EventSource::new(&format!("/interviews/{id}/reply")) else {
            error.set(Some(
                "Your browser could not open the reply stream. Reload the page.".into(),
            ));
            busy.set(false);
            return;
        };
        let data = |e: &web_sys::Event| -> String {
            e.dyn_ref::<web_sys::MessageEvent>()
                .and_then(|m| m.data().as_string())
                .and_then(|d| js_sys::JSON::parse(&d).ok())
                .and_then(|v| v.as_string())
                .unwrap_or_default()
        };
        let on = |name: &str, f: Box<dyn FnMut(web_sys::Event)>| {
            let cb = Closure::wrap(f);
            let _ = source.add_event_listener_with_callback(name, cb.as_ref().unchecked_ref());
            // Lives as long as the page: a handful per interview.
            cb.forget();
        };
        on(
            ReplyEvent::Snapshot.name(),
            Box::new(move |e| {
                let t = data(&e);
                reply.set(if t.is_empty() {
                    Reply::Thinking
                } else {
                    Reply::Streaming(t)
                });
            }),
        );
        on(
            ReplyEvent::Token.name(),
            Box::new(move |e| {
                let piece = data(&e);
                reply.update(|r| match r {
                    Reply::Streaming(t) => t.push_str(&piece),
                    other => *other = Reply::Streaming(piece),
                });
            }),
        );
        let finish = {
            let source = source.clone();
            move || {
                source.close();
                busy.set(false);
            }
        };
        for name in [ReplyEvent::Done.name(), ReplyEvent::Idle.name()] {
            let finish = finish.clone();
            let reload = reload.clone();
            on(
                name,
                Box::new(move |_| {
                    finish();
                    reload();
                    reply.set(Reply::Idle);
                }),
            );
        }
        {
            let finish = finish.clone();
            let reload = reload.clone();
            on(
                ReplyEvent::Failed.name(),
                Box::new(move |e| {
                    finish();
                    error.set(Some(data(&e)));
                    reply.set(Reply::Idle);
                    // Nothing was stored: give the answer back to edit or resend.
                    if let Some(LastTurn {
                        action: TurnAction::Answer,
                        text: Some(t),
                        ..
                    }) = last.get_value()
                    {
                        draft.set(t);
                    }
                    reload();
                }),
            );
        }
        // EventSource reconnects by itself after a dropped connection and the server replays
        // the reply from its start; only a closed stream is final.
        let src = source.clone();
        on(
            "error",
            Box::new(move |_| {
                if src.ready_state() == web_sys::EventSource::CLOSED {
                    finish();
                    reply.set(Reply::Idle);
                    error.set(Some("The connection to the interviewer was lost. Reload the page to see the reply.".into()));
                }
            }),
        );
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (id, reply, error, busy, draft, last, reload);
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

#[component]
fn Composer(
    state: RwSignal<LiveInterview>,
    draft: RwSignal<String>,
    busy: RwSignal<bool>,
    error: RwSignal<Option<String>>,
    act: impl Fn(TurnAction, Option<String>) + Clone + Send + Sync + 'static,
    id: String,
) -> impl IntoView {
    let send = {
        let act = act.clone();
        move || {
            let text = draft.get_untracked();
            if !text.trim().is_empty() {
                act(TurnAction::Answer, Some(text));
            }
        }
    };
    let count = move || draft.with(|d| d.chars().count());
    let (hint, skip, end) = (act.clone(), act.clone(), act.clone());
    let on_submit = {
        let send = send.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            send();
        }
    };
    // Cancelling throws the interview away (no report), so it asks once more first.
    let confirming = RwSignal::new(false);
    // Keyboard users land on the safe choice when the question appears.
    let keep_going = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if confirming.get()
            && let Some(button) = keep_going.get()
        {
            let _ = button.focus();
        }
    });
    let cancel = move |_| {
        let id = id.clone();
        confirming.set(false);
        spawn_local(async move {
            match cancel_interview(id).await {
                Ok(i) => state.update(|s| s.interview = i),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <form class="composer" on:submit=on_submit>
            <label for="answer">
                {move || { if state.with(|s| s.progress.in_follow_up) { "Your answer to the follow-up" } else { "Your answer" } }}
            </label>
            <textarea
                id="answer"
                name="answer"
                rows="5"
                maxlength=MAX_ANSWER_CHARS.to_string()
                aria-describedby="answer-help answer-count"
                prop:value=move || draft.get()
                on:input=move |ev| draft.set(event_target_value(&ev))
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
            <div class="composer-actions">
                <button type="submit" class="primary" disabled=move || busy.get() || draft.with(|d| d.trim().is_empty())>"Send answer"</button>
                <button type="button" class="secondary" disabled=move || busy.get() || state.with(|s| s.progress.hint_used)
                    on:click=move |_| hint(TurnAction::Hint, None)>
                    {move || { if state.with(|s| s.progress.hint_used) { "Hint given" } else { "Ask for a hint" } }}
                </button>
                <button type="button" id="skip" class="secondary" disabled=move || busy.get()
                    on:click=move |_| skip(TurnAction::Skip, None)>"Skip question"</button>
                <button type="button" class="secondary" disabled=move || busy.get()
                    on:click=move |_| end(TurnAction::End, None)>"End interview"</button>
                <button type="button" class="link danger" disabled=move || busy.get() || confirming.get()
                    on:click=move |_| confirming.set(true)>"Cancel without a report"</button>
            </div>
            {move || confirming.get().then(|| {
                let cancel = cancel.clone();
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
            })}
        </form>
    }
}

#[component]
fn ReportView(
    state: RwSignal<LiveInterview>,
    id: String,
    reload: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let regenerating = RwSignal::new(false);
    let regen_error = RwSignal::new(None::<String>);
    let regenerate = move |_| {
        let id = id.clone();
        let reload = reload.clone();
        regenerating.set(true);
        spawn_local(async move {
            if let Err(e) = regenerate_report(id).await {
                regen_error.set(Some(e.to_string()));
            }
            regenerating.set(false);
            reload();
        });
    };
    view! {
        <section class="panel report" aria-labelledby="report-title">
            <h2 id="report-title">"Feedback report"</h2>
            {move || state.with(|s| s.report_error.clone()).map(|e| view! {
                <div role="alert">
                    <p class="error">{format!("The report could not be written. {e}")}</p>
                </div>
            })}
            {move || state.with(|s| s.report_fallback.clone()).map(|why| view! {
                <p class="notice" role="status">
                    {format!("Scored by the offline rules because the model's report was unusable. {why}")}
                </p>
            })}
            {move || regen_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {move || match state.with(|s| s.report.clone()) {
                Some(r) => view! { <ReportBody report=r offline=state.with_untracked(|s| s.interviewer.offline) /> }.into_any(),
                None => view! {
                    <p class="empty">"There is no report yet."</p>
                }.into_any(),
            }}
            {move || (state.with(|s| s.report.is_none() || s.report_error.is_some() || s.report_fallback.is_some())).then(|| view! {
                <button type="button" class="primary" disabled=move || regenerating.get() on:click=regenerate.clone()>
                    {move || { if regenerating.get() { "Writing the report…" } else { "Regenerate the report" } }}
                </button>
            })}
        </section>
    }
}

/// A question's key points, each marked as shown or missed by the answer.
#[component]
fn KeyPoints(points: Vec<crate::model::KeyPointResult>) -> impl IntoView {
    (!points.is_empty()).then(|| {
        view! {
            <ul class="key-points" aria-label="Key points">
                {points.into_iter().map(|p| {
                    let (class, mark, label) = if p.covered {
                        ("covered", "✓", "Covered: ")
                    } else {
                        ("missed", "✗", "Missed: ")
                    };
                    view! {
                        <li class=class>
                            <span aria-hidden="true">{mark}" "</span>
                            <span class="visually-hidden">{label}</span>
                            {p.point}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    })
}

#[component]
fn ReportBody(report: Report, offline: bool) -> impl IntoView {
    view! {
        <ul class="skill-reports">
            {report.skills.into_iter().map(|s| {
                let rating = s.rating;
                view! {
                    <li class="skill-report">
                        <h3>{s.skill.name.clone()}</h3>
                        <p class="rating" data-rating=rating.map(|r| r.to_string()).unwrap_or_default()>
                            {match rating {
                                Some(r) => view! {
                                    <span class="stars" aria-hidden="true">{"★".repeat(r as usize)}{"☆".repeat(5 - r as usize)}</span>
                                    <span>{format!(" {r} out of 5")}</span>
                                }.into_any(),
                                None => view! { <span>"Not rated"</span> }.into_any(),
                            }}
                        </p>
                        {s.answered.zip(s.planned).map(|(a, p)| view! { <p class="answered">{format!("Answered {a} of {p}")}</p> })}
                        {(!s.summary.is_empty()).then(|| view! { <p>{s.summary.clone()}</p> })}
                        <dl>
                            {(!s.strengths.is_empty()).then(|| view! { <dt>"Strengths"</dt><dd>{s.strengths.clone()}</dd> })}
                            {(!s.areas_for_improvement.is_empty()).then(|| view! { <dt>"To improve"</dt><dd>{s.areas_for_improvement.clone()}</dd> })}
                        </dl>
                    </li>
                }
            }).collect_view()}
        </ul>
        <h3>"Question by question"</h3>
        <ol class="question-reports">
            {report.questions.into_iter().map(|q| {
                let outcome = match q.outcome {
                    QuestionOutcome::Answered => match q.rating {
                        Some(r) => format!("Answered · {r} out of 5"),
                        None => "Answered · not assessed".into(),
                    },
                    QuestionOutcome::Skipped => "Skipped · not answered".into(),
                    QuestionOutcome::NotAnswered => "Not answered".into(),
                };
                view! {
                    <li class=format!("question-report outcome-{}", q.outcome)>
                        <p class="question-text">{q.text.clone()}</p>
                        <p class="meta">
                            {q.skill_name.clone().map(|s| format!("{s} · ")).unwrap_or_default()}
                            <span class="outcome">{outcome}</span>
                            {(q.hints > 0).then_some(" · with a hint")}
                            {q.follow_up.then_some(" · with a follow-up")}
                        </p>
                        {(!q.note.is_empty()).then(|| view! { <p class="note">{q.note.clone()}</p> })}
                        <KeyPoints points=q.key_points.clone() />
                        {q.model_answer.clone().map(|m| view! {
                            <details class="model-answer">
                                <summary>"A strong answer"</summary>
                                <p>{m}</p>
                            </details>
                        })}
                    </li>
                }
            }).collect_view()}
        </ol>
        {offline.then(|| view! {
            <details class="rules">
                <summary>"How the offline interviewer scores"</summary>
                <ul>
                    {crate::scoring::explanation().into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                </ul>
            </details>
        })}
    }
}
