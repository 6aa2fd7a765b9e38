//! The first page: the interview types and skills from the database. Choosing a type
//! highlights the skills it suggests (the setup page grows from this). Server-rendered only:
//! the page loads no script.

use super::ErrorNote;
use crate::api::list_suggested_skills;
use crate::model::{InterviewType, InterviewTypeId, Skill, SkillId};
use crate::selection::suggested_first;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn HomePage() -> impl IntoView {
    // The chosen type is in the URL (`/?type=1`): the type buttons submit a plain GET form, so
    // the page needs no script, and a chosen type can be bookmarked.
    let query = use_query_map();
    let chosen = Memo::new(move |_| {
        query.with(|q| {
            q.get("type")
                .and_then(|t| t.parse::<InterviewTypeId>().ok())
        })
    });
    let catalog = super::catalog_resource();
    let suggested = Resource::new(
        move || chosen.get(),
        |type_id| async move {
            match type_id {
                Some(id) => list_suggested_skills(id).await,
                None => Ok(Vec::new()),
            }
        },
    );
    let deleted = query.with_untracked(|q| q.get("deleted").is_some());
    view! {
        <Title text="Practise job interviews" />
        <div class="home">
            {deleted.then(|| view! {
                <p class="notice" role="status">"Your account and everything in it were deleted."</p>
            })}
            <section class="hero">
                <h1>"Practise the interview before it counts."</h1>
                <p class="lead">
                    "Pick an interview type and the skills you want to be tested on. "
                    "An interviewer asks questions from a bank written for each skill, "
                    "follows up, and writes you a report per skill."
                </p>
                <p><a class="button" href="/interviews/new">"Set up an interview"</a></p>
            </section>
            <Suspense fallback=|| view! { <p class="loading">"Loading interview types and skills…"</p> }>
                {Suspend::new(async move {
                    match (catalog.await, suggested.await) {
                        (Ok((types, skills)), Ok(suggested)) => {
                            let suggested: Vec<SkillId> = suggested.iter().map(|s| s.id).collect();
                            view! { <Catalogue types skills chosen=chosen.get_untracked() suggested /> }.into_any()
                        }
                        (Err(e), _) | (_, Err(e)) => view! { <ErrorNote error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Catalogue(
    types: Vec<InterviewType>,
    skills: Vec<Skill>,
    chosen: Option<InterviewTypeId>,
    suggested: Vec<SkillId>,
) -> impl IntoView {
    let summary = match chosen {
        None => "Every skill in the question bank.".to_owned(),
        Some(_) => format!("{} suggested for this type, listed first.", suggested.len()),
    };
    view! {
        <section class="panel" aria-labelledby="types-heading" id="types">
            <h2 id="types-heading">"Interview types"</h2>
            <p class="hint">"Choose a type to see the skills it suggests."</p>
            {if types.is_empty() {
                view! { <p class="empty">"No interview types have been set up yet."</p> }.into_any()
            } else {
                view! { <TypeList types chosen /> }.into_any()
            }}
        </section>

        <section class="panel" aria-labelledby="skills-heading">
            <h2 id="skills-heading">"Skills"</h2>
            <p class="hint" role="status">{summary}</p>
            {if skills.is_empty() {
                view! { <p class="empty">"No skills have been set up yet."</p> }.into_any()
            } else {
                view! { <SkillList skills suggested /> }.into_any()
            }}
        </section>
    }
}

/// Each type is a submit button of a GET form: choosing one loads `/?type=N`; choosing the
/// chosen one again clears the choice.
#[component]
fn TypeList(types: Vec<InterviewType>, chosen: Option<InterviewTypeId>) -> impl IntoView {
    view! {
        <form method="get" action="/#types">
            <ul class="type-list">
                {types
                    .into_iter()
                    .map(|t| {
                        let pressed = chosen == Some(t.id);
                        let value = if pressed { String::new() } else { t.id.to_string() };
                        view! {
                            <li>
                                <button type="submit" name="type" value=value class="type-card"
                                    aria-pressed=pressed.to_string()>
                                    <span class="type-name">{t.name}</span>
                                    <span class="type-description">{t.description.unwrap_or_default()}</span>
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </form>
    }
}

#[component]
fn SkillList(skills: Vec<Skill>, suggested: Vec<SkillId>) -> impl IntoView {
    view! {
        <ul class="skill-list">
            {suggested_first(&skills, |s| s.id, &suggested).into_iter().map(|skill| {
                let is_suggested = suggested.contains(&skill.id);
                let name = skill.name.clone();
                view! {
                    <li class="skill" class:suggested=is_suggested data-skill=name>
                        <span class="skill-name">{skill.name}</span>
                        {is_suggested.then(|| view! { <span class="badge">"Suggested"</span> })}
                        <span class="skill-description">{skill.description.unwrap_or_default()}</span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
