//! The first page: the interview types and skills from the database. Choosing a type
//! highlights the skills it suggests (the setup page grows from this).

use super::{ErrorNote, hydrated_signal};
use crate::api::{list_interview_types, list_skills, list_suggested_skills};
use crate::model::{InterviewType, Skill};
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let hydrated = hydrated_signal();
    let types = Resource::new(|| (), |_| list_interview_types());
    let skills = Resource::new(|| (), |_| list_skills());
    let chosen_type = RwSignal::new(None::<i64>);
    let suggested = Resource::new(
        move || chosen_type.get(),
        |type_id| async move {
            match type_id {
                Some(id) => list_suggested_skills(id).await,
                None => Ok(Vec::new()),
            }
        },
    );
    // Derived, not a Memo: it is then read inside the <Suspense>/<Transition> that shows it, as
    // Leptos requires for resources during hydration.
    let suggested_ids = Signal::derive(move || {
        suggested
            .get()
            .and_then(Result::ok)
            .map(|skills| skills.iter().map(|s| s.id).collect::<Vec<_>>())
            .unwrap_or_default()
    });

    view! {
        <div class="home" data-hydrated=move || hydrated.get().to_string()>
            <section class="hero">
                <h1>"Practise the interview before it counts."</h1>
                <p class="lead">
                    "Pick an interview type and the skills you want to be tested on. "
                    "An interviewer asks questions from a bank written for each skill, "
                    "follows up, and writes you a report per skill."
                </p>
                <p><a class="button" href="/interviews/new">"Set up an interview"</a></p>
            </section>

            <section class="panel" aria-labelledby="types-heading">
                <h2 id="types-heading">"Interview types"</h2>
                <p class="hint">"Choose a type to see the skills it suggests."</p>
                <Suspense fallback=|| view! { <p class="loading">"Loading interview types…"</p> }>
                    {move || types.get().map(|result| match result {
                        Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                        Ok(list) if list.is_empty() => {
                            view! { <p class="empty">"No interview types have been set up yet."</p> }.into_any()
                        }
                        Ok(list) => view! { <TypeList types=list chosen=chosen_type /> }.into_any(),
                    })}
                </Suspense>
            </section>

            <section class="panel" aria-labelledby="skills-heading">
                <h2 id="skills-heading">"Skills"</h2>
                <p class="hint" aria-live="polite">
                    <Transition fallback=|| "Every skill in the question bank.">
                        {move || match suggested.get() {
                            Some(Err(e)) => e.to_string(),
                            _ if chosen_type.get().is_none() => "Every skill in the question bank.".to_owned(),
                            _ => format!("{} suggested for this type, listed first.", suggested_ids.get().len()),
                        }}
                    </Transition>
                </p>
                <Suspense fallback=|| view! { <p class="loading">"Loading skills…"</p> }>
                    {move || skills.get().map(|result| match result {
                        Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                        Ok(list) if list.is_empty() => {
                            view! { <p class="empty">"No skills have been set up yet."</p> }.into_any()
                        }
                        Ok(list) => view! { <SkillList skills=list suggested=suggested_ids /> }.into_any(),
                    })}
                </Suspense>
            </section>
        </div>
    }
}

#[component]
fn TypeList(types: Vec<InterviewType>, chosen: RwSignal<Option<i64>>) -> impl IntoView {
    view! {
        <ul class="type-list">
            {types
                .into_iter()
                .map(|t| {
                    let id = t.id;
                    view! {
                        <li>
                            <button
                                type="button"
                                class="type-card"
                                aria-pressed=move || (chosen.get() == Some(id)).to_string()
                                on:click=move |_| {
                                    chosen.update(|c| *c = if *c == Some(id) { None } else { Some(id) })
                                }
                            >
                                <span class="type-name">{t.name}</span>
                                <span class="type-description">{t.description.unwrap_or_default()}</span>
                            </button>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
fn SkillList(skills: Vec<Skill>, suggested: Signal<Vec<i64>>) -> impl IntoView {
    // Suggested skills first, each group keeping the store's name order.
    let ordered = move || {
        let ids = suggested.get();
        let mut list = skills.clone();
        list.sort_by_key(|s| !ids.contains(&s.id));
        list
    };
    view! {
        <ul class="skill-list">
            <For each=ordered key=|s| s.id let:skill>
                {
                    let id = skill.id;
                    let name = skill.name.clone();
                    let is_suggested = move || suggested.get().contains(&id);
                    view! {
                        <li class="skill" class:suggested=is_suggested data-skill=name>
                            <span class="skill-name">{skill.name}</span>
                            <Show when=is_suggested>
                                <span class="badge">"Suggested"</span>
                            </Show>
                            <span class="skill-description">{skill.description.unwrap_or_default()}</span>
                        </li>
                    }
                }
            </For>
        </ul>
    }
}
