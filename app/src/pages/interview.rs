//! One interview's page (`/interviews/{id}`): its header, the live conversation and report
//! (`live/`), and the type-and-skills form until it starts. Someone else's interview shows
//! "not found", exactly as a missing one.

use super::live::LiveView;
use super::{
    Catalog, CurrentUser, ErrorNote, FieldError, RequireUser, catalog_resource, for_signed_in,
};
use crate::api::{AppError, interview_live};
use crate::model::{
    Interview, InterviewId, InterviewStatus, InterviewType, LiveInterview, Skill, SkillId,
};
use crate::validate::SetupError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn InterviewPage() -> impl IntoView {
    // Resources live here, outside every <Suspense> (see `SetupPage`).
    let user = expect_context::<CurrentUser>();
    let params = use_params_map();
    let interview = Resource::new(
        move || InterviewId::from(params.read().get("id").unwrap_or_default()),
        move |id| for_signed_in(user, move || interview_live(id)),
    );
    let catalog = catalog_resource();
    view! {
        <RequireUser>
            <InterviewDetail interview catalog />
        </RequireUser>
    }
}

#[component]
fn InterviewDetail(
    interview: Resource<Result<Option<LiveInterview>, AppError>>,
    catalog: Catalog,
) -> impl IntoView {
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading the interview…"</p> }>
            {Suspend::new(async move {
                match (interview.await, catalog.await) {
                    (Ok(None), _) => ().into_any(),
                    (Ok(Some(live)), Ok((types, skills))) => {
                        // What the edit form's plain post brought back.
                        let query = use_query_map().get_untracked();
                        let edit_errors: Vec<String> = query
                            .get("edit_errors")
                            .unwrap_or_default()
                            .split(',')
                            .filter(|c| SetupError::from_code(c).is_some())
                            .map(str::to_owned)
                            .collect();
                        let saved = query.get("saved").is_some();
                        let title = live.interview.display_title();
                        view! {
                            <Title text=title />
                            <InterviewView live types skills edit_errors saved />
                        }.into_any()
                    }
                    (Err(e), _) | (_, Err(e)) => view! { <ErrorNote error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The interview, hydrated on its own (an island): its header follows the conversation, and
/// the edit form shows until the interview starts.
#[cfg_attr(feature = "split", island(lazy))]
#[cfg_attr(not(feature = "split"), island)]
fn InterviewView(
    live: LiveInterview,
    types: Vec<InterviewType>,
    skills: Vec<Skill>,
    edit_errors: Vec<String>,
    saved: bool,
) -> impl IntoView {
    let i = live.interview.clone();
    let interviewer = live.interviewer.name.clone();
    // The interview as the conversation moves it on (status, progress, report).
    let state = RwSignal::new(live);
    let editable = i.clone();
    let errors: Vec<SetupError> = edit_errors
        .iter()
        .filter_map(|c| SetupError::from_code(c))
        .collect();
    view! {
        <section class="panel">
            <h1>{i.display_title()}</h1>
            <p class="meta">
                <span class="type">{i.type_label()}</span>
                " · "
                <span class="status">{move || state.with(|s| s.interview.status.label())}</span>
                " · "
                <span class="settings">
                    {format!("{} questions · {}", i.question_count, i.difficulty_label())}
                    {i.answer_seconds.map(|s| format!(" · {} per answer", crate::model::duration_label(u32::from(s))))}
                </span>
            </p>
            <h2>"Skills"</h2>
            <ul class="badges">
                {i.skills.iter().map(|s| view! { <li class="badge">{s.name.clone()}</li> }).collect_view()}
            </ul>
            <p class="interviewer">{format!("Interviewer: {interviewer}")}</p>
        </section>
        <LiveView state />
        // Type and skills change only before the start: the questions are chosen from the
        // skills, and the report rates them.
        {move || (state.with(|s| s.interview.status) == InterviewStatus::Pending).then(|| {
            view! {
                <EditTypeAndSkills interview=editable.clone() types=types.clone()
                    skills=skills.clone() errors=errors.clone() saved />
            }
        })}
    }
}

/// Changes the type and skills after setting up, until the interview starts. A plain form
/// post, so it works the same with or without JavaScript.
#[component]
fn EditTypeAndSkills(
    interview: Interview,
    types: Vec<InterviewType>,
    skills: Vec<Skill>,
    errors: Vec<SetupError>,
    saved: bool,
) -> impl IntoView {
    let current_type = interview.interview_type.as_ref().map(|t| t.id);
    let current_skills: Vec<SkillId> = interview.skills.iter().map(|s| s.id).collect();
    let action = format!("/interviews/{}/edit", interview.id);
    let open = !errors.is_empty();
    let error_for = |field: &'static str| {
        errors.iter().find(|e| e.field() == field).map(|e| {
            view! { <FieldError id=format!("edit-{field}-error") message=e.to_string() /> }
        })
    };
    view! {
        {saved.then(|| view! { <p class="notice" role="status">"Your changes are saved."</p> })}
        <details class="panel edit" open=open>
            <summary>"Change type or skills"</summary>
            <form method="post" action=action class="stack">
                <label for="edit-type">"Interview type"</label>
                <select id="edit-type" name="interview_type_id">
                    <option value="" selected=current_type.is_none()>"Choose a type…"</option>
                    {types.into_iter().map(|t| view! {
                        <option value=t.id.to_string() selected=current_type == Some(t.id)>{t.name}</option>
                    }).collect_view()}
                </select>
                {error_for("interview_type_id")}
                <fieldset class="skills">
                    <legend>"Skills"</legend>
                    {error_for("skill_ids")}
                    <ul class="checklist">
                        {skills.into_iter().map(|s| view! {
                            <li>
                                <label>
                                    <input type="checkbox" name="skill_ids" value=s.id.to_string()
                                        checked=current_skills.contains(&s.id) />
                                    <span class="skill-name">{s.name}</span>
                                </label>
                            </li>
                        }).collect_view()}
                    </ul>
                </fieldset>
                <button type="submit" class="primary">"Save changes"</button>
            </form>
        </details>
    }
}
