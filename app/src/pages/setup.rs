//! The setup page: title, interview type, skills (the type's suggestions pre-selected and listed
//! first, with a search box), number of questions and difficulty.
//!
//! Hydrated, the form validates with the shared rules and calls `setup_interview`; with
//! JavaScript off it posts to `/interviews/new`, which answers with a redirect to the new
//! interview or back here with the error codes and the entered values in the query.

use super::{Catalog, ErrorNote, RequireUser, catalog_resource, hydrated_signal};
use crate::api::{SetupOutcome, list_suggested_skills, setup_interview};
use crate::model::{DifficultySetting, InterviewType, QUESTION_COUNTS, Skill};
use crate::selection::{Selection, matches_search, suggested_first};
use crate::validate::{self, MAX_SKILLS, MAX_TITLE_CHARS, SetupError, SetupInput};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SetupPage() -> impl IntoView {
    // Resources are created here, outside every <Suspense>: Leptos may build Suspense children
    // more than once on the server, and a resource created there would not line up with the
    // browser's when hydrating.
    let catalog = catalog_resource();
    view! {
        <RequireUser>
            <SetupLoader catalog />
        </RequireUser>
    }
}

#[component]
fn SetupLoader(catalog: Catalog) -> impl IntoView {
    view! {
        <section class="panel">
            <h1>"Set up an interview"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Loading interview types and skills…"</p> }>
                {move || catalog.get().map(|r| match r {
                    Ok((types, skills)) => {
                        let (initial, errors) = initial_from_query();
                        let errors = errors.iter().map(|e| e.code().to_owned()).collect();
                        view! { <SetupForm types skills initial errors /> }.into_any()
                    }
                    Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

/// Values and errors a no-JS submission brought back in the query (in the form's own keys,
/// `SetupInput::to_pairs`).
fn initial_from_query() -> (SetupInput, Vec<SetupError>) {
    let q = use_query_map().get_untracked();
    let (input, _) = SetupInput::from_pairs(q.clone());
    let errors = q
        .get("errors")
        .unwrap_or_default()
        .split(',')
        .filter_map(SetupError::from_code)
        .collect();
    (input, errors)
}

/// The form, hydrated on its own (an island): `initial` and the error codes in `errors` are
/// what a submission without JavaScript brought back.
#[island]
fn SetupForm(
    types: Vec<InterviewType>,
    skills: Vec<Skill>,
    initial: SetupInput,
    errors: Vec<String>,
) -> impl IntoView {
    let hydrated = hydrated_signal();
    let initial_errors: Vec<SetupError> = errors
        .iter()
        .filter_map(|c| SetupError::from_code(c))
        .collect();
    let title = RwSignal::new(initial.title.clone());
    let type_id = RwSignal::new(initial.interview_type_id);
    let selection = RwSignal::new(Selection {
        selected: initial.skill_ids.iter().copied().collect(),
        picked: initial.skill_ids.iter().copied().collect(),
        dropped: Default::default(),
    });
    let suggested = RwSignal::new(Vec::<i64>::new());
    let search = RwSignal::new(String::new());
    let question_count = RwSignal::new(initial.question_count.to_string());
    let difficulty = RwSignal::new(initial.difficulty);
    let errors = RwSignal::new(initial_errors);
    let server_error = RwSignal::new(None::<String>);
    let submitting = RwSignal::new(false);

    let type_ids: Vec<i64> = types.iter().map(|t| t.id).collect();
    let skill_ids: Vec<i64> = skills.iter().map(|s| s.id).collect();
    let descriptions: Vec<(i64, String)> = types
        .iter()
        .map(|t| (t.id, t.description.clone().unwrap_or_default()))
        .collect();

    // Choosing a type fetches its suggestions and re-applies them to the selection. A reply
    // for a type that is no longer chosen (the user switched again meanwhile) is ignored.
    let choose_type = move |id: Option<i64>| {
        type_id.set(id);
        errors.update(|e| e.retain(|e| e.field() != "interview_type_id"));
        let Some(id) = id else {
            suggested.set(Vec::new());
            selection.update(|s| s.switch_type(&[]));
            return;
        };
        spawn_local(async move {
            if let Ok(list) = list_suggested_skills(id).await
                && type_id.get_untracked() == Some(id)
            {
                let ids: Vec<i64> = list.iter().map(|s| s.id).collect();
                selection.update(|s| s.switch_type(&ids));
                suggested.set(ids);
            }
        });
    };

    let error_for = move |field: &'static str| {
        move || {
            errors
                .get()
                .into_iter()
                .find(|e| e.field() == field)
                .map(|e| view! { <p class="field-error" id=format!("{field}-error") role="alert">{e.to_string()}</p> })
        }
    };
    let invalid = move |field: &'static str| {
        move || errors.get().iter().any(|e| e.field() == field).to_string()
    };

    let on_submit = {
        let (type_ids, skill_ids) = (type_ids.clone(), skill_ids.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let input = SetupInput {
                title: title.get_untracked(),
                interview_type_id: type_id.get_untracked(),
                skill_ids: selection.with_untracked(|s| s.selected.iter().copied().collect()),
                question_count: question_count.get_untracked().trim().parse().unwrap_or(0),
                difficulty: difficulty.get_untracked(),
            };
            let found = validate::setup(&input, &type_ids, &skill_ids);
            server_error.set(None);
            if !found.is_empty() {
                errors.set(found);
                return;
            }
            errors.set(Vec::new());
            submitting.set(true);
            spawn_local(async move {
                match setup_interview(input).await {
                    Ok(SetupOutcome::Saved(interview)) => {
                        super::go_to(&format!("/interviews/{}", interview.id))
                    }
                    Ok(SetupOutcome::Invalid(codes)) => errors.set(
                        codes
                            .iter()
                            .filter_map(|c| SetupError::from_code(c))
                            .collect(),
                    ),
                    Err(e) => server_error.set(Some(e.to_string())),
                }
                submitting.set(false);
            });
        }
    };

    let names: Vec<String> = skills.iter().map(|s| s.name.clone()).collect();
    let ordered = move || suggested_first(&skills, |s| s.id, &suggested.get());
    let selected_count = move || selection.with(|s| s.selected.len());
    let description = move || {
        type_id.get().and_then(|id| {
            descriptions
                .iter()
                .find(|(t, _)| *t == id)
                .map(|(_, d)| d.clone())
        })
    };

    view! {
        <form method="post" action="/interviews/new" class="stack setup" novalidate on:submit=on_submit
            data-hydrated=move || hydrated.get().to_string()>
            {move || server_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}

            <label for="title">"Title"</label>
            <input id="title" name="title" type="text" autocomplete="off"
                placeholder="e.g. Backend engineer, final round"
                prop:value=move || title.get() value=initial.title.clone()
                on:input=move |ev| title.set(event_target_value(&ev))
                aria-invalid=invalid("title") aria-describedby="title-count" />
            <p class="hint" id="title-count" aria-live="polite">
                {move || format!("{} / {MAX_TITLE_CHARS} characters", title.with(|t| t.trim().chars().count()))}
            </p>
            {error_for("title")}

            <label for="interview_type_id">"Interview type"</label>
            <select id="interview_type_id" name="interview_type_id"
                aria-invalid=invalid("interview_type_id") aria-describedby="type-description"
                on:change=move |ev| choose_type(event_target_value(&ev).parse().ok())>
                <option value="" selected=initial.interview_type_id.is_none()>"Choose a type…"</option>
                {types.iter().map(|t| {
                    let id = t.id;
                    view! {
                        <option value=id.to_string() selected=initial.interview_type_id == Some(id)
                            prop:selected=move || type_id.get() == Some(id)>
                            {t.name.clone()}
                        </option>
                    }
                }).collect_view()}
            </select>
            <p class="hint" id="type-description">
                {move || description().unwrap_or_else(|| "The type sets the interview's style and suggests skills.".into())}
            </p>
            {error_for("interview_type_id")}

            <fieldset class="skills" aria-describedby="skills-count">
                <legend>"Skills"</legend>
                <label for="skill-search" class="visually-hidden">"Filter skills"</label>
                <input id="skill-search" type="search" placeholder="Filter skills…" autocomplete="off"
                    on:input=move |ev| search.set(event_target_value(&ev)) />
                <p class="hint" id="skills-count" aria-live="polite">
                    {move || format!("{} selected (up to {MAX_SKILLS})", selected_count())}
                </p>
                {error_for("skill_ids")}
                <ul class="checklist">
                    <For each=ordered key=|s| s.id let:skill>
                        {
                            let id = skill.id;
                            let name = skill.name.clone();
                            let shown = move || matches_search(&name, &search.get());
                            let is_suggested = move || suggested.get().contains(&id);
                            let initially = initial.skill_ids.contains(&id);
                            view! {
                                <li class:suggested=is_suggested hidden=move || !shown()>
                                    <label>
                                        <input type="checkbox" name="skill_ids" value=id.to_string()
                                            checked=initially
                                            prop:checked=move || selection.with(|s| s.selected.contains(&id))
                                            on:change=move |ev| {
                                                selection.update(|s| s.toggle(id, event_target_checked(&ev)));
                                                errors.update(|e| e.retain(|e| e.field() != "skill_ids"));
                                            } />
                                        <span class="skill-name">{skill.name.clone()}</span>
                                        <Show when=is_suggested><span class="badge">"Suggested"</span></Show>
                                    </label>
                                </li>
                            }
                        }
                    </For>
                </ul>
                <p class="empty" hidden=move || { let q = search.get(); names.iter().any(|n| matches_search(n, &q)) }>
                    "No skill matches that filter."
                </p>
            </fieldset>

            <div class="row">
                <div class="stack">
                    <label for="question_count">"Number of questions"</label>
                    <input id="question_count" name="question_count" type="number"
                        min=QUESTION_COUNTS.start().to_string() max=QUESTION_COUNTS.end().to_string()
                        value=initial.question_count.to_string()
                        prop:value=move || question_count.get()
                        on:input=move |ev| question_count.set(event_target_value(&ev))
                        aria-invalid=invalid("question_count") />
                    {error_for("question_count")}
                </div>
                <div class="stack">
                    <label for="difficulty">"Difficulty"</label>
                    <select id="difficulty" name="difficulty"
                        on:change=move |ev| difficulty.set(event_target_value(&ev).parse().unwrap_or(DifficultySetting::Mixed))>
                        {DifficultySetting::ALL.iter().map(|d| view! {
                            <option value=d.as_str() selected=*d == initial.difficulty>{d.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
            </div>

            <button type="submit" class="primary" disabled=move || submitting.get()>
                {move || if submitting.get() { "Creating…" } else { "Create interview" }}
            </button>
        </form>
    }
}
