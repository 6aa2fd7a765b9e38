//! The practice loop over real HTTP: three completed interviews with known ratings give the
//! progress page's series and trends, and "practise weak skills" pre-fills the setup page.
//! The interviews are made through the setup server function; their completion and reports are
//! written into the same SQLite file the way the report step writes them.

use crate::common::*;
use reqwest::{Client, StatusCode};

const GO: i64 = 4;
const PYTHON: i64 = 2;
const SQL: i64 = 10;
const JAVASCRIPT: i64 = 1;

/// A completed technical interview `days_ago`, rated `(skill, rating)`.
async fn rated(s: &TestServer, c: &Client, title: &str, days_ago: u32, ratings: &[(i64, u8)]) {
    let skills: Vec<i64> = ratings.iter().map(|r| r.0).collect();
    let interview = new_interview(s, c, title, 1, &skills, 3).await;
    let id = interview.id.as_str();
    let mut sql = String::new();
    for (skill, rating) in ratings {
        sql += &format!(
            "INSERT INTO AI_Feedback (feedback_id, interview_id, skill_id, rating, answered)
             VALUES ('{id}-{skill}', '{id}', {skill}, {rating}, 1);"
        );
    }
    let done = "UPDATE Interviews SET status = 'completed', completed_at =";
    execute_each(
        &s.database,
        &format!(
            "{done} strftime('%Y-%m-%d %H:%M:%f', 'now', '-{days_ago} days')
             WHERE interview_id = '{id}'; {sql}"
        ),
        &format!(
            "{done} pp_now() - make_interval(days => {days_ago})
             WHERE interview_id = '{id}'; {sql}"
        ),
    )
    .await;
}

async fn html(s: &TestServer, c: &Client, path: &str) -> String {
    let resp = page(s, c, path).await;
    assert_eq!(resp.status(), StatusCode::OK, "{path}");
    resp.text().await.unwrap()
}

/// The part of the page from a skill card's heading to the next card.
fn card<'a>(html: &'a str, skill: &str) -> &'a str {
    let start = html
        .find(&format!(">{skill}</h2>"))
        .unwrap_or_else(|| panic!("no card for {skill}"));
    let rest = &html[start..];
    &rest[..rest.find("</li>").unwrap()]
}

/// The setup form's checkbox item for a skill.
fn option(html: &str, skill_id: i64) -> &str {
    let marker = format!(r#"name="skill_ids" value="{skill_id}""#);
    let at = html.find(&marker).expect("no checkbox for the skill");
    let rest = &html[at..];
    &rest[..rest.find("</li>").unwrap()]
}

#[tokio::test]
async fn three_rated_interviews_give_series_trends_and_a_weak_skill_setup() {
    let s = start().await;
    let c = browser();
    register(&s, &c, "pia", PASSWORD).await;

    let empty = html(&s, &c, "/progress").await;
    assert!(empty.contains("No ratings yet"), "{empty}");
    let no_focus = html(&s, &c, "/interviews/new?focus=weak").await;
    assert!(no_focus.contains("no ratings yet"), "{no_focus}");

    rated(
        &s,
        &c,
        "Monday",
        3,
        &[(GO, 2), (PYTHON, 4), (SQL, 3), (JAVASCRIPT, 5)],
    )
    .await;
    rated(
        &s,
        &c,
        "Tuesday",
        2,
        &[(GO, 3), (PYTHON, 3), (SQL, 3), (JAVASCRIPT, 5)],
    )
    .await;
    rated(&s, &c, "Wednesday", 1, &[(GO, 4), (PYTHON, 2), (SQL, 3)]).await;

    let progress = html(&s, &c, "/progress").await;
    let go = card(&progress, "Go");
    assert!(
        go.contains("Latest 4/5") && go.contains("Improving"),
        "{go}"
    );
    assert!(go.contains("3 answered questions"), "{go}");
    assert!(
        go.contains("<polyline"),
        "the chart is drawn on the server: {go}"
    );
    // The table behind the chart, oldest first, each row linking its interview.
    let rows: Vec<&str> = go.split("<tr>").skip(2).collect();
    assert_eq!(rows.len(), 3, "{go}");
    assert!(rows[0].contains("Monday") && rows[0].contains("2/5"));
    assert!(rows[2].contains("Wednesday") && rows[2].contains("4/5"));
    let python = card(&progress, "Python");
    assert!(python.contains("Latest 2/5") && python.contains("Slipping"));
    assert!(card(&progress, "Databases (SQL)").contains("Flat"));
    assert!(card(&progress, "JavaScript").contains("Latest 5/5"));
    assert!(progress.contains(r#"href="/interviews/new?focus=weak""#));

    // Filters: another type has no ratings; the last 36 hours hold only Wednesday.
    let other = html(&s, &c, "/progress?type=2").await;
    assert!(other.contains("No ratings match these filters"), "{other}");
    let week = html(&s, &c, "/progress?days=7").await;
    assert!(card(&week, "Go").contains("Latest 4/5"));

    // Practise weak skills: the three lowest by latest rating, each with its reason; the
    // strong skill is left out, and the type is kept.
    let setup = html(&s, &c, "/interviews/new?focus=weak&interview_type_id=1").await;
    assert!(
        setup.contains("Pre-filled with your lowest-rated skills"),
        "{setup}"
    );
    let python = option(&setup, PYTHON);
    assert!(python.contains("checked"), "{python}");
    assert!(
        python.contains("latest rating 2/5 (3 ratings, slipping)"),
        "{python}"
    );
    assert!(option(&setup, SQL).contains("checked"));
    assert!(option(&setup, SQL).contains("latest rating 3/5 (3 ratings, flat)"));
    assert!(option(&setup, GO).contains("checked"));
    let js = option(&setup, JAVASCRIPT);
    assert!(!js.contains("checked") && !js.contains("Practise:"), "{js}");
    assert!(
        setup.contains(r#"<option value="1" selected"#),
        "the type is kept"
    );

    // Adaptive difficulty: each skill's level from its ratings, shown before starting.
    // Go 2, 3, 4: down to easy, one good rating is not yet a run. JavaScript 5, 5: hard.
    let setup = html(&s, &c, "/interviews/new?difficulty=adaptive").await;
    let level = |id| option(&setup, id).to_owned();
    assert!(
        level(GO).contains("Adaptive: easy (from your ratings 2, 3, 4)"),
        "{}",
        level(GO)
    );
    assert!(level(PYTHON).contains("Adaptive: easy (from your ratings 4, 3, 2)"));
    assert!(level(SQL).contains("Adaptive: medium (from your ratings 3, 3, 3)"));
    assert!(level(JAVASCRIPT).contains("Adaptive: hard (from your ratings 5, 5)"));
    assert!(
        level(5).contains("Adaptive: medium (no ratings yet)"),
        "problem solving"
    );

    // Created (the no-JS post) and started: the levels are kept and the plan follows them.
    let resp = c
        .post(s.url("/interviews/new"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("title=Adaptive&interview_type_id=1&skill_ids=4&skill_ids=1&question_count=3&difficulty=adaptive")
        .send()
        .await
        .unwrap();
    let id = location(&resp)
        .trim_start_matches("/interviews/")
        .to_owned();
    let page = html(&s, &c, &format!("/interviews/{id}")).await;
    assert!(
        page.contains("Adaptive: Go easy, JavaScript hard"),
        "{page}"
    );
    turn_ok(&s, &c, &id, "start", None).await;
    let planned: Vec<(i64, String)> = {
        let conn = db(&s);
        let mut stmt = conn
            .prepare(
                "SELECT q.skill_id, q.difficulty_level
                 FROM Interviews i, json_each(i.question_plan) AS p
                 JOIN Questions q ON q.question_id = p.value
                 WHERE i.interview_id = ?1 ORDER BY p.key",
            )
            .unwrap();
        stmt.query_map([&id], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(planned.len(), 3, "{planned:?}");
    for (skill, level) in &planned[..2] {
        let want = if *skill == GO { "easy" } else { "hard" };
        assert_eq!(level, want, "{planned:?}");
    }
}

#[tokio::test]
async fn progress_is_only_ever_the_signed_in_users_own() {
    let s = start().await;
    let c = browser();
    register(&s, &c, "ivy", PASSWORD).await;
    rated(&s, &c, "Ivy's", 1, &[(GO, 1)]).await;
    let other = browser();
    register(&s, &other, "max", PASSWORD).await;
    let theirs = html(&s, &other, "/progress").await;
    assert!(
        theirs.contains("No ratings yet") && !theirs.contains("Ivy"),
        "{theirs}"
    );
    let visitor = page(&s, &browser(), "/progress").await;
    let body = visitor.text().await.unwrap();
    assert!(!body.contains("Ivy") && !body.contains("Latest 1/5"));
}

#[tokio::test]
async fn a_long_history_shows_its_latest_ratings_and_counts_them_all() {
    let s = start().await;
    let c = browser();
    register(&s, &c, "longtime", PASSWORD).await;
    for day in (1..=30).rev() {
        // Old interviews rated 1, the latest ten rated 4.
        let rating = if day <= 10 { 4 } else { 1 };
        rated(&s, &c, &format!("Day {day}"), day, &[(GO, rating)]).await;
    }
    let html = html(&s, &c, "/progress").await;
    let go = card(&html, "Go");
    assert!(
        go.contains("Ratings of Go, the latest 24 of 30, oldest first"),
        "{go}"
    );
    assert!(go.contains("The chart shows the latest 24 of 30 ratings."));
    assert_eq!(go.matches("<circle").count(), 24);
    assert_eq!(go.split("<tr>").skip(2).count(), 24);
    assert!(
        go.contains("30 answered questions"),
        "every rating still counts"
    );
    assert!(
        go.contains("Day 1<") && !go.contains("Day 30<"),
        "the oldest are left out"
    );
}
