//! The signed-in user's interviews and one interview's page. Both need a user; someone else's
//! interview shows "not found", exactly as a missing one.

use super::{NotFound, RequireUser, error_text};
use crate::api::{my_interview, my_interviews};
use crate::model::{Interview, InterviewFilter};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn InterviewsPage() -> impl IntoView {
    view! {
        <RequireUser>
            <InterviewList />
        </RequireUser>
    }
}

#[component]
fn InterviewList() -> impl IntoView {
    let page = Resource::new(|| (), |_| my_interviews(InterviewFilter::default()));
    view! {
        <section class="panel">
            <div class="panel-head">
                <h1>"My interviews"</h1>
                <a class="button" href="/interviews/new">"New interview"</a>
            </div>
            <Suspense fallback=|| view! { <p class="loading">"Loading your interviews…"</p> }>
                {move || page.get().map(|r| match r {
                    Err(e) => view! { <p class="error" role="alert">{error_text(&e)}</p> }.into_any(),
                    Ok(p) if p.interviews.is_empty() => view! {
                        <p class="empty">"No interviews yet. "<a href="/interviews/new">"Set up your first one."</a></p>
                    }.into_any(),
                    Ok(p) => view! {
                        <ul class="interview-list">
                            {p.interviews.into_iter().map(|i| view! { <li><InterviewSummary interview=i /></li> }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn InterviewSummary(interview: Interview) -> impl IntoView {
    let href = format!("/interviews/{}", interview.id);
    view! {
        <a class="interview-title" href=href>{interview.title.unwrap_or_else(|| "Untitled interview".into())}</a>
        <span class="status">{interview.status.label()}</span>
        <span class="type">{interview.interview_type.map(|t| t.name).unwrap_or_else(|| "No type".into())}</span>
        <ul class="badges" aria-label="Skills">
            {interview.skills.into_iter().map(|s| view! { <li class="badge">{s.name}</li> }).collect_view()}
        </ul>
    }
}

#[component]
pub fn InterviewPage() -> impl IntoView {
    view! {
        <RequireUser>
            <InterviewDetail />
        </RequireUser>
    }
}

#[component]
fn InterviewDetail() -> impl IntoView {
    let params = use_params_map();
    let interview = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        my_interview,
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading the interview…"</p> }>
            {move || interview.get().map(|r| match r {
                Ok(i) => view! {
                    <section class="panel">
                        <h1>{i.title.clone().unwrap_or_else(|| "Untitled interview".into())}</h1>
                        <p class="meta">
                            <span class="type">{i.interview_type.as_ref().map(|t| t.name.clone()).unwrap_or_else(|| "No type".into())}</span>
                            " · "
                            <span class="status">{i.status.label()}</span>
                            " · "
                            <span class="settings">
                                {format!("{} questions, {}", i.question_count, i.difficulty.label().to_lowercase())}
                            </span>
                        </p>
                        <h2>"Skills"</h2>
                        <ul class="badges">
                            {i.skills.iter().map(|s| view! { <li class="badge">{s.name.clone()}</li> }).collect_view()}
                        </ul>
                    </section>
                }.into_any(),
                Err(e) if error_text(&e).ends_with("not found") => view! { <NotFound /> }.into_any(),
                Err(e) => view! { <p class="error" role="alert">{error_text(&e)}</p> }.into_any(),
            })}
        </Suspense>
    }
}
