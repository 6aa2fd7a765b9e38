//! The report of a completed interview: per-skill ratings, each question's outcome with the
//! key points shown or missed and a strong answer, and regenerating it.

use super::super::Alert;
use super::conversation::Conversation;
use crate::api::RegenerateReport;
use crate::model::{DifficultySetting, QuestionOutcome, Report};
use leptos::prelude::*;

#[component]
pub(super) fn ReportView(talk: Conversation) -> impl IntoView {
    let state = talk.state;
    let regen = ServerAction::<RegenerateReport>::new();
    let regenerating = regen.pending();
    let regen_error = move || regen.value().get()?.err().map(|e| e.to_string());
    // Each time a regeneration ends, show the interview as it now is.
    Effect::new(move |_| {
        if regen.version().get() > 0 && !regen.pending().get() {
            talk.reload();
        }
    });
    let regenerate = move |_| {
        regen.dispatch(RegenerateReport {
            interview_id: talk.id.get_value(),
        });
    };
    view! {
        <section class="panel report" aria-labelledby="report-title">
            <h2 id="report-title">"Feedback report"</h2>
            {move || state.with(|s| s.report.is_some()).then(|| view! {
                <p class="report-actions no-print">
                    <a href=format!("/interviews/{}/report.md", talk.id.get_value()) download>"Download as Markdown"</a>
                    <button type="button" class="link" on:click=move |_| { let _ = window().print(); }>
                        "Print or save as PDF"
                    </button>
                </p>
            })}
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
            {move || regen_error().map(|e| view! { <Alert message=e /> })}
            {move || state.with(|s| {
                (s.interview.difficulty == DifficultySetting::Adaptive)
                    .then(|| format!("Asked at the levels your ratings chose. {}.", s.interview.difficulty_label()))
            }).map(|levels| view! { <p class="hint">{levels}</p> })}
            {move || match state.with(|s| s.report.clone()) {
                Some(r) => view! {
                    <ReportBody report=r offline=state.with_untracked(|s| s.interviewer.offline)
                        limit=state.with_untracked(|s| s.interview.answer_seconds) />
                }.into_any(),
                None => view! {
                    <p class="empty">"There is no report yet."</p>
                }.into_any(),
            }}
            {move || (state.with(|s| s.report.is_none() || s.report_error.is_some() || s.report_fallback.is_some())).then(|| view! {
                <button type="button" class="primary" disabled=move || regenerating.get() on:click=regenerate>
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
fn ReportBody(report: Report, offline: bool, limit: Option<u16>) -> impl IntoView {
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
                        {q.time_label(limit).map(|t| view! {
                            <p class="answer-time" class:over=q.answer_seconds.zip(limit).is_some_and(|(took, l)| took > u32::from(l))>{t}</p>
                        })}
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
