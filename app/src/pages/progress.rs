//! The progress page (`/progress`): per skill, its ratings over time as a chart drawn on the
//! server (an SVG; no script, nothing inline for the CSP to refuse), the trend, the latest level
//! and the answers behind it, with the same numbers as a table for screen readers. Filtered by
//! interview type and time range through the URL (a GET form).

use super::{CurrentUser, ErrorNote, RequireUser, catalog_resource, for_signed_in};
use crate::api::my_progress;
use crate::model::{InterviewType, InterviewTypeId, iso_utc};
use crate::progress::{ProgressFilter, RANGES, RatingPoint, SkillProgress, weak_skills};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ProgressPage() -> impl IntoView {
    let user = expect_context::<CurrentUser>();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query.with(|q| ProgressFilter {
            interview_type_id: q.get("type").and_then(|t| t.parse().ok()),
            days: q
                .get("days")
                .and_then(|d| d.parse().ok())
                .filter(|d| RANGES.iter().any(|(r, _)| *r == Some(*d))),
        })
    });
    let skills = Resource::new(
        move || filter.get(),
        move |f| for_signed_in(user, move || my_progress(f)),
    );
    let catalog = catalog_resource();
    view! {
        <Title text="Progress" />
        <RequireUser>
            <section class="panel">
                <h1>"Progress"</h1>
                <Suspense fallback=|| ()>
                    {Suspend::new(async move { match catalog.await {
                        Ok((types, _)) => view! { <Filters types filter=filter.get() /> }.into_any(),
                        Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                    }})}
                </Suspense>
                <Suspense fallback=|| view! { <p class="loading">"Loading your ratings…"</p> }>
                    {Suspend::new(async move { match skills.await {
                        Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                        Ok(list) => {
                            let list = list.unwrap_or_default();
                            view! { <Skills list filter=filter.get() /> }.into_any()
                        }
                    }})}
                </Suspense>
            </section>
        </RequireUser>
    }
}

#[component]
fn Filters(types: Vec<InterviewType>, filter: ProgressFilter) -> impl IntoView {
    view! {
        <form method="get" action="/progress" class="filters" role="search" aria-label="Filter progress">
            <div class="filter-row">
                <div class="stack">
                    <label for="progress-type">"Type"</label>
                    <select id="progress-type" name="type">
                        <option value="" selected=filter.interview_type_id.is_none()>"All types"</option>
                        {types.into_iter().map(|t| view! {
                            <option value=t.id.to_string() selected=filter.interview_type_id == Some(t.id)>{t.name}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="stack">
                    <label for="progress-days">"Time range"</label>
                    <select id="progress-days" name="days">
                        {RANGES.iter().map(|(days, label)| view! {
                            <option value=days.map(|d| d.to_string()).unwrap_or_default()
                                selected=filter.days == *days>{*label}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit">"Apply"</button>
            </div>
        </form>
    }
}

#[component]
fn Skills(list: Vec<SkillProgress>, filter: ProgressFilter) -> impl IntoView {
    if list.is_empty() {
        let filtered = filter != ProgressFilter::default();
        return if filtered {
            view! { <p class="empty">"No ratings match these filters. "<a href="/progress">"Show all"</a></p> }
                .into_any()
        } else {
            view! {
                <p class="empty">
                    "No ratings yet. A skill is rated in the report at the end of an interview, once you have answered a question on it. "
                    <a href="/interviews/new">"Set up an interview"</a>" and finish it to see your first rating here."
                </p>
            }
            .into_any()
        };
    }
    let practise = practise_href(filter.interview_type_id);
    view! {
        <p class="practise">
            <a class="button" href=practise>"Practise weak skills"</a>
            <span class="hint">{format!(
                " Sets up an interview on your lowest-rated skills: {}.",
                weak_skills(&list).iter().map(|w| w.name.clone()).collect::<Vec<_>>().join(", ")
            )}</span>
        </p>
        <ul class="progress-list">
            {list.into_iter().map(|s| view! { <SkillCard skill=s /> }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The setup page, pre-filled with the weak skills (it works out which, and says why).
pub fn practise_href(type_id: Option<InterviewTypeId>) -> String {
    match type_id {
        Some(t) => format!("/interviews/new?focus=weak&interview_type_id={t}"),
        None => "/interviews/new?focus=weak".to_owned(),
    }
}

#[component]
fn SkillCard(mut skill: SkillProgress) -> impl IntoView {
    let heading = format!("progress-{}", skill.skill_id);
    // The latest ratings only: more points than this do not fit a card's chart legibly, nor
    // read well as a table; the trend and totals still count them all.
    let total = skill.points.len();
    let points = skill.points.split_off(total.saturating_sub(SHOWN_POINTS));
    let caption = if total > points.len() {
        format!(
            "Ratings of {}, the latest {} of {total}, oldest first",
            skill.name,
            points.len()
        )
    } else {
        format!("Ratings of {}, oldest first", skill.name)
    };
    let answered = match skill.answered {
        1 => "1 answered question".to_owned(),
        n => format!("{n} answered questions"),
    };
    view! {
        <li class="progress-card">
            <h2 id=heading>{skill.name.clone()}</h2>
            <p class="progress-facts">
                <span class="level">{format!("Latest {}/5", skill.latest)}</span>
                <span class=format!("trend {}", skill.trend.class())>{skill.trend.label()}</span>
                <span class="hint">{answered}</span>
            </p>
            <Chart points=points.clone() />
            {(total > SHOWN_POINTS).then(|| view! {
                <p class="hint">{format!("The chart shows the latest {SHOWN_POINTS} of {total} ratings.")}</p>
            })}
            <RatingsTable caption points />
        </li>
    }
}

/// How many of a skill's latest ratings its chart and table show.
pub const SHOWN_POINTS: usize = 24;

/// The chart's drawing area, in SVG units; the CSS scales it to the card's width.
const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 130.0;
const LEFT: f64 = 26.0;
const RIGHT: f64 = 10.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 12.0;

fn x_of(i: usize, n: usize) -> f64 {
    if n <= 1 {
        return LEFT + (WIDTH - LEFT - RIGHT) / 2.0;
    }
    LEFT + i as f64 * (WIDTH - LEFT - RIGHT) / (n - 1) as f64
}

fn y_of(rating: u8) -> f64 {
    TOP + f64::from(5 - rating.clamp(1, 5)) * (HEIGHT - TOP - BOTTOM) / 4.0
}

/// The ratings as a line over the 1–5 scale, oldest on the left. Hidden from screen readers,
/// which read the table instead; each point's tooltip names its interview and date.
#[component]
fn Chart(points: Vec<RatingPoint>) -> impl IntoView {
    let n = points.len();
    let line = points
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{:.1},{:.1}", x_of(i, n), y_of(p.rating)))
        .collect::<Vec<_>>()
        .join(" ");
    view! {
        <svg class="chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") aria-hidden="true" focusable="false">
            {(1..=5u8).map(|r| view! {
                <line class="grid" x1=LEFT y1=y_of(r) x2=WIDTH - RIGHT y2=y_of(r) />
                <text class="axis" x=LEFT - 8.0 y=y_of(r) + 4.0 text-anchor="end">{r}</text>
            }).collect_view()}
            <polyline class="line" points=line />
            {points.into_iter().enumerate().map(|(i, p)| view! {
                <circle class="point" cx=x_of(i, n) cy=y_of(p.rating) r="4">
                    <title>{format!("{}/5 — {} ({})", p.rating, p.title, date(&p.at))}</title>
                </circle>
            }).collect_view()}
        </svg>
    }
}

#[component]
fn RatingsTable(caption: String, points: Vec<RatingPoint>) -> impl IntoView {
    view! {
        // Hidden on its wrapper: a table is never narrower than its content, whatever its
        // width, so hiding the table itself made the page scroll sideways at 360 px.
        <div class="visually-hidden">
        <table>
            <caption>{caption}</caption>
            <thead><tr><th scope="col">"Date"</th><th scope="col">"Interview"</th><th scope="col">"Rating"</th><th scope="col">"Answered"</th></tr></thead>
            <tbody>
                {points.into_iter().map(|p| view! {
                    <tr>
                        <td><time datetime=iso_utc(&p.at)>{date(&p.at)}</time></td>
                        <td><a href=format!("/interviews/{}", p.interview_id)>{p.title}</a></td>
                        <td>{format!("{}/5", p.rating)}</td>
                        <td>{p.answered}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
}

/// `YYYY-MM-DD` of a stored UTC time.
fn date(at: &str) -> String {
    at.chars().take(10).collect()
}
