//! The signed-in user's interviews (`/interviews`), filtered by URL.

use super::{Catalog, CurrentUser, ErrorNote, RequireUser, catalog_resource, for_signed_in};
use crate::api::{AppError, my_interviews};
use crate::model::{
    Interview, InterviewFilter, InterviewPage, InterviewStatus, InterviewType, Skill, iso_utc,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn InterviewsPage() -> impl IntoView {
    // Resources live here, outside every <Suspense> (see `SetupPage`); the list loads only for
    // a signed-in user, so a visitor is simply redirected.
    let user = expect_context::<CurrentUser>();
    let query = use_query_map();
    // The filters live in the URL, so a filtered view can be bookmarked and Back restores it.
    let filter = Memo::new(move |_| {
        let q = query.get();
        let pairs = ["type", "skill", "status", "q", "page"]
            .into_iter()
            .flat_map(|k| {
                q.get_all(k)
                    .unwrap_or_default()
                    .into_iter()
                    .map(move |v| (k, v))
            });
        InterviewFilter::from_query(pairs).0
    });
    let page = Resource::new(
        move || filter.get(),
        move |f| for_signed_in(user, move || my_interviews(f)),
    );
    let catalog = catalog_resource();
    view! {
        <Title text="My interviews" />
        <RequireUser>
            <InterviewList filter page catalog />
        </RequireUser>
    }
}

#[component]
fn InterviewList(
    filter: Memo<InterviewFilter>,
    page: Resource<Result<Option<InterviewPage>, AppError>>,
    catalog: Catalog,
) -> impl IntoView {
    view! {
        <section class="panel">
            <div class="panel-head">
                <h1>"My interviews"</h1>
                <a class="button" href="/interviews/new">"New interview"</a>
            </div>
            <Suspense fallback=|| ()>
                {Suspend::new(async move { match catalog.await {
                    Ok((types, skills)) => view! { <Filters types skills filter /> }.into_any(),
                    Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                }})}
            </Suspense>
            <Transition fallback=|| view! { <p class="loading">"Loading your interviews…"</p> }>
                {Suspend::new(async move { match page.await.map(|p| p.unwrap_or_else(empty_page)) {
                    Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                    Ok(p) if p.interviews.is_empty() && filter.get().is_filtered() => view! {
                        <p class="empty">"Nothing matches these filters. "<a href="/interviews">"Clear the filters"</a></p>
                    }.into_any(),
                    Ok(p) if p.interviews.is_empty() && p.total > 0 => view! {
                        <p class="empty">{format!("There is no page {}. ", p.page)}<a href="/interviews">"Back to the first page"</a></p>
                    }.into_any(),
                    Ok(p) if p.interviews.is_empty() => view! {
                        <p class="empty">"No interviews yet. "<a href="/interviews/new">"Set up your first one."</a></p>
                    }.into_any(),
                    Ok(p) => view! { <Results page=p filter=filter.get() /> }.into_any(),
                }})}
            </Transition>
        </section>
    }
}

#[component]
fn Filters(
    types: Vec<InterviewType>,
    skills: Vec<Skill>,
    filter: Memo<InterviewFilter>,
) -> impl IntoView {
    let chosen_skills = move || filter.with(|f| f.skill_ids.len());
    view! {
        <FollowsUrl>
        // `autocomplete="off"`: a reload or Back must not bring back edits that were never
        // applied; the form shows the filters of the URL.
        <form method="get" action="/interviews" class="filters" role="search" aria-label="Filter interviews" autocomplete="off">
            <div class="filter-row">
                <div class="stack">
                    <label for="filter-q">"Title"</label>
                    <input id="filter-q" name="q" type="search" placeholder="Search titles…"
                        value=move || filter.with(|f| f.title_query.clone().unwrap_or_default())
                        prop:value=move || filter.with(|f| f.title_query.clone().unwrap_or_default()) />
                </div>
                <div class="stack">
                    <label for="filter-type">"Type"</label>
                    <select id="filter-type" name="type">
                        <option value="" selected=move || filter.with(|f| f.interview_type_id.is_none())
                            prop:selected=move || filter.with(|f| f.interview_type_id.is_none())>"All types"</option>
                        {types.into_iter().map(|t| {
                            let id = t.id;
                            view! {
                                <option value=id.to_string() selected=move || filter.with(|f| f.interview_type_id == Some(id))
                                    prop:selected=move || filter.with(|f| f.interview_type_id == Some(id))>
                                    {t.name}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                </div>
                <div class="stack">
                    <label for="filter-status">"Status"</label>
                    <select id="filter-status" name="status">
                        <option value="" selected=move || filter.with(|f| f.status.is_none())
                            prop:selected=move || filter.with(|f| f.status.is_none())>"Any status"</option>
                        {InterviewStatus::ALL.iter().map(|s| {
                            let s = *s;
                            view! {
                                <option value=s.as_str() selected=move || filter.with(|f| f.status == Some(s))
                                    prop:selected=move || filter.with(|f| f.status == Some(s))>{s.label()}</option>
                            }
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <details class="skill-filter">
                <summary>{move || match chosen_skills() { 0 => "Skills".to_owned(), n => format!("Skills ({n} chosen)") }}</summary>
                <p class="hint">"Shows interviews that have every chosen skill."</p>
                <ul class="checklist">
                    {skills.into_iter().map(|s| {
                        let id = s.id;
                        view! {
                            <li>
                                <label>
                                    <input type="checkbox" name="skill" value=id.to_string()
                                        checked=move || filter.with(|f| f.skill_ids.contains(&id))
                                        prop:checked=move || filter.with(|f| f.skill_ids.contains(&id)) />
                                    <span class="skill-name">{s.name}</span>
                                </label>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </details>
            <div class="filter-actions">
                <button type="submit" class="primary">"Apply filters"</button>
                <a href="/interviews">"Clear"</a>
            </div>
        </form>
        </FollowsUrl>
    }
}

/// Back and Forward may show a page as it was left (the browser's page cache), with filter
/// edits that were never applied; this puts the form back to what its URL says.
#[island]
fn FollowsUrl(children: Children) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let handle = window_event_listener(leptos::ev::pageshow, |ev| {
            if !ev.persisted() {
                return;
            }
            let form = document()
                .query_selector("form.filters")
                .ok()
                .flatten()
                .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok());
            if let Some(form) = form {
                // Back to the values the server rendered from the URL.
                form.reset();
            }
        });
        on_cleanup(move || handle.remove());
    }
    #[cfg(feature = "hydrate")]
    Effect::new(|_| super::clock::localise_times());
    children()
}

#[component]
fn Results(page: InterviewPage, filter: InterviewFilter) -> impl IntoView {
    let link_to = move |n: u32| {
        let q = InterviewFilter {
            page: n,
            ..filter.clone()
        }
        .to_query();
        if q.is_empty() {
            "/interviews".to_owned()
        } else {
            format!("/interviews?{q}")
        }
    };
    let pages = page.page_count();
    let current = page.page;
    view! {
        <p class="hint" aria-live="polite">
            {match page.total { 1 => "1 interview".to_owned(), n => format!("{n} interviews") }}
        </p>
        <ul class="interview-list">
            {page.interviews.into_iter().map(|i| view! { <li><InterviewSummary interview=i /></li> }).collect_view()}
        </ul>
        {(pages > 1).then(|| view! {
            <nav class="pager" aria-label="Pages">
                {(current > 1).then(|| view! { <a href=link_to(current - 1) rel="prev">"← Newer"</a> })}
                <span>{format!("Page {current} of {pages}")}</span>
                {(current < pages).then(|| view! { <a href=link_to(current + 1) rel="next">"Older →"</a> })}
            </nav>
        })}
    }
}

fn empty_page() -> InterviewPage {
    InterviewPage {
        interviews: Vec::new(),
        total: 0,
        page: 1,
        per_page: 0,
    }
}

/// "2026-11-25 14:03:09.123" → "2026-11-25 14:03".
/// A stored UTC time, in UTC on the server; the browser shows it in the reader's zone
/// (`clock::localise_times`, run when the page's island hydrates).
#[component]
fn LocalTime(at: String) -> impl IntoView {
    let utc: String = at.chars().take(16).collect();
    view! { <time datetime=iso_utc(&at) data-local="">{format!("{utc} UTC")}</time> }
}

#[component]
fn InterviewSummary(interview: Interview) -> impl IntoView {
    let href = format!("/interviews/{}", interview.id);
    let action = match interview.status {
        InterviewStatus::Completed => "Read the report",
        InterviewStatus::Pending => "Start",
        InterviewStatus::InProgress | InterviewStatus::Error => "Continue",
        InterviewStatus::Cancelled => "View",
    };
    let title = interview.display_title();
    view! {
        <div class="summary-main">
            <a class="interview-title" href=href.clone()>{title.clone()}</a>
            <span class=format!("status status-{}", interview.status)>{interview.status.label()}</span>
        </div>
        <span class="type">{interview.type_label()}</span>
        <ul class="badges" aria-label="Skills">
            {interview.skills.into_iter().map(|s| view! { <li class="badge">{s.name}</li> }).collect_view()}
        </ul>
        <p class="dates">
            "Created "<LocalTime at=interview.created_at />
            {interview.completed_at.map(|c| view! { " · Completed "<LocalTime at=c /> })}
        </p>
        <a class="action" href=href aria-label=format!("{action}: {title}")>{action}</a>
    }
}
