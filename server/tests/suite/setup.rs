//! The setup form over real HTTP: the no-JS post and the server function apply the same rules,
//! store nothing on bad input, and store the chosen question count and difficulty.

use crate::common::*;
use app::api::SetupOutcome;
use reqwest::StatusCode;

async fn count_interviews(s: &TestServer) -> i64 {
    query_i64(&s.database, "SELECT count(*) FROM Interviews").await
}

async fn post_form(s: &TestServer, c: &reqwest::Client, body: &str) -> reqwest::Response {
    c.post(s.url("/interviews/new"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_form_post_creates_an_interview_and_goes_to_it() {
    let s = start().await;
    let c = browser();
    register(&s, &c, "ada", PASSWORD).await;
    let resp = post_form(&s, &c, "title=Final+round&interview_type_id=1&skill_ids=1&skill_ids=4&question_count=8&difficulty=hard").await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let to = location(&resp);
    let id = to
        .strip_prefix("/interviews/")
        .expect("goes to the interview")
        .to_owned();
    let (status, body) = get_interview(&s, &c, &id).await;
    assert_eq!(status, StatusCode::OK);
    let interview: app::model::Interview = serde_json::from_str(&body).unwrap();
    assert_eq!(interview.title.as_deref(), Some("Final round"));
    assert_eq!(interview.interview_type.unwrap().name, "Technical");
    assert_eq!(
        interview
            .skills
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>(),
        ["Go", "JavaScript"]
    );
    assert_eq!(
        (interview.question_count, interview.difficulty),
        (8, app::model::DifficultySetting::Hard)
    );
    let html = page(&s, &c, &to).await.text().await.unwrap();
    assert!(html.contains("8 questions · Hard"), "{html}");
}

#[tokio::test]
async fn bad_input_comes_back_beside_its_fields_and_stores_nothing() {
    let s = start().await;
    let c = browser();
    register(&s, &c, "ada", PASSWORD).await;
    let long_title = "t".repeat(121);
    let cases = [
        (
            format!("title={long_title}&interview_type_id=1&skill_ids=1"),
            "errors=title_long",
        ),
        (
            "title=+++&interview_type_id=1&skill_ids=1".to_owned(),
            "errors=title_empty",
        ),
        ("title=x&skill_ids=1".to_owned(), "errors=type_missing"),
        (
            "title=x&interview_type_id=99&skill_ids=1".to_owned(),
            "errors=type_unknown",
        ),
        (
            "title=x&interview_type_id=one&skill_ids=1".to_owned(),
            "errors=type_unknown",
        ),
        (
            "title=x&interview_type_id=1".to_owned(),
            "errors=skills_none",
        ),
        (
            "title=x&interview_type_id=1&skill_ids=999".to_owned(),
            "errors=skill_unknown",
        ),
        (
            format!(
                "title=x&interview_type_id=1{}",
                (1..=11)
                    .map(|i| format!("&skill_ids={i}"))
                    .collect::<String>()
            ),
            "errors=skills_too_many",
        ),
        (
            "title=x&interview_type_id=1&skill_ids=1&question_count=2".to_owned(),
            "errors=question_count",
        ),
        (
            "title=x&interview_type_id=1&skill_ids=1&question_count=300".to_owned(),
            "errors=question_count",
        ),
    ];
    for (body, expected) in cases {
        let resp = post_form(&s, &c, &body).await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{body}");
        let to = location(&resp);
        assert!(
            to.starts_with("/interviews/new?") && to.contains(expected),
            "{body} → {to}"
        );
    }
    assert_eq!(count_interviews(&s).await, 0);

    // The page shows each message beside its field and keeps what was typed.
    let resp = post_form(
        &s,
        &c,
        "title=Kept+title&interview_type_id=2&question_count=2",
    )
    .await;
    let html = page(&s, &c, &location(&resp)).await.text().await.unwrap();
    assert!(
        html.contains(r#"id="skill_ids-error""#) && html.contains("Choose at least one skill.")
    );
    assert!(
        html.contains(r#"id="question_count-error""#)
            && html.contains("Choose between 3 and 12 questions.")
    );
    assert!(html.contains(r#"value="Kept title""#));
    assert!(html.contains(r#"<option value="2" selected"#), "type kept");
}

#[tokio::test]
async fn the_server_function_uses_the_same_rules() {
    let s = start().await;
    let c = browser();
    register(&s, &c, "ada", PASSWORD).await;
    let args = |title: &str, skills: &[&str]| {
        let mut a = vec![
            ("input[title]".to_owned(), title.to_owned()),
            ("input[interview_type_id]".to_owned(), "3".to_owned()),
            ("input[question_count]".to_owned(), "5".to_owned()),
            ("input[difficulty]".to_owned(), "easy".to_owned()),
        ];
        for (i, s) in skills.iter().enumerate() {
            a.push((format!("input[skill_ids][{i}]"), s.to_string()));
        }
        a
    };
    let as_pairs = |a: &Vec<(String, String)>| {
        a.iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<Vec<_>>()
    };
    let send = |a: Vec<(String, String)>| {
        let c = c.clone();
        let url = s.url("/fn/setup_interview");
        async move { c.post(url).form(&a).send().await.unwrap() }
    };
    let resp = send(as_pairs(&args("", &[]))).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let outcome: SetupOutcome = resp.json().await.unwrap();
    assert_eq!(
        outcome,
        SetupOutcome::Invalid(vec!["title_empty".into(), "skills_none".into()])
    );
    assert_eq!(count_interviews(&s).await, 0);

    let resp = send(as_pairs(&args("Design round", &["8", "12"]))).await;
    let outcome: SetupOutcome = resp.json().await.unwrap();
    let SetupOutcome::Saved(interview) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(interview.interview_type.unwrap().name, "System Design");
    assert_eq!(interview.question_count, 5);
    assert_eq!(count_interviews(&s).await, 1);
}

#[tokio::test]
async fn signed_out_visitors_are_sent_to_sign_in() {
    let s = start().await;
    let c = browser();
    let resp = post_form(&s, &c, "title=x&interview_type_id=1&skill_ids=1").await;
    assert_eq!(location(&resp), "/signin?next=%2Finterviews%2Fnew");
    let resp = page(&s, &c, "/interviews/new").await;
    assert_eq!(location(&resp), "/signin?next=%2Finterviews%2Fnew");
    assert_eq!(count_interviews(&s).await, 0);
}

#[tokio::test]
async fn type_and_skills_can_be_changed_afterwards_by_the_owner_only() {
    let s = start().await;
    let ada = browser();
    register(&s, &ada, "ada", PASSWORD).await;
    let resp = post_form(&s, &ada, "title=Old+loop&interview_type_id=1&skill_ids=1").await;
    let page_url = location(&resp);
    let id = page_url.trim_start_matches("/interviews/").to_owned();
    let edit = |c: &reqwest::Client, body: &str| {
        let c = c.clone();
        let url = s.url(&format!("/interviews/{id}/edit"));
        let body = body.to_owned();
        async move {
            c.post(url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .unwrap()
        }
    };
    let current = |c: reqwest::Client| {
        let s = &s;
        let id = id.clone();
        async move {
            let (_, body) = get_interview(s, &c, &id).await;
            serde_json::from_str::<app::model::Interview>(&body).unwrap()
        }
    };
    let before = current(ada.clone()).await;

    // Invalid: errors come back beside the fields and nothing changes.
    let resp = edit(&ada, "interview_type_id=&skill_ids=999").await;
    assert_eq!(
        location(&resp),
        format!("{page_url}?edit_errors=type_missing%2Cskill_unknown")
    );
    assert_eq!(current(ada.clone()).await, before);
    let html = page(&s, &ada, &location(&resp)).await.text().await.unwrap();
    assert!(
        html.contains("Choose an interview type.")
            && html.contains("One of the chosen skills no longer exists")
    );

    // Someone else: 404, nothing changes.
    let bob = browser();
    register(&s, &bob, "bob", PASSWORD).await;
    let resp = edit(&bob, "interview_type_id=2&skill_ids=6").await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert_eq!(current(ada.clone()).await, before);

    // The owner: saved, and the page shows it.
    let resp = edit(&ada, "interview_type_id=2&skill_ids=6&skill_ids=13").await;
    assert_eq!(location(&resp), format!("{page_url}?saved=1"));
    let after = current(ada.clone()).await;
    assert_eq!(after.interview_type.unwrap().name, "Behavioral");
    assert_eq!(
        after
            .skills
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>(),
        ["Communication", "Leadership"]
    );
    let html = page(&s, &ada, &location(&resp)).await.text().await.unwrap();
    assert!(html.contains("Your changes are saved."));
}

/// The setup page opened from a pasted job ad (the GET form, as without JavaScript).
async fn from_ad(s: &TestServer, c: &reqwest::Client, ad: &str) -> String {
    let resp = c
        .get(s.url("/interviews/new"))
        .query(&[("job_ad", ad)])
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        StatusCode::OK,
        "{:?}",
        resp.headers().get("location")
    );
    resp.text().await.unwrap()
}

/// The checkbox item of a skill on the setup page.
fn skill_item(html: &str, skill_id: i64) -> &str {
    let at = html
        .find(&format!(r#"name="skill_ids" value="{skill_id}""#))
        .expect("no checkbox for the skill");
    let rest = &html[at..];
    &rest[..rest.find("</li>").unwrap()]
}

#[tokio::test]
async fn a_pasted_job_ad_pre_selects_its_skills_and_type_with_the_phrases() {
    let s = start().await;
    let c = browser();
    register(&s, &c, "jody", PASSWORD).await;
    let ad = "Senior Backend Engineer\n\nYou will build services in Golang on PostgreSQL, \
              design gRPC APIs, and mentor two engineers. We go the extra mile.";
    let html = from_ad(&s, &c, ad).await;
    assert!(
        html.contains("the phrases that matched are beside each"),
        "{html}"
    );
    let go = skill_item(&html, 4);
    assert!(
        go.contains("checked") && go.contains("In the ad: “Golang”"),
        "{go}"
    );
    let sql = skill_item(&html, 10);
    assert!(
        sql.contains("checked") && sql.contains("“PostgreSQL”"),
        "{sql}"
    );
    assert!(
        skill_item(&html, 12).contains("checked"),
        "API design (gRPC)"
    );
    assert!(skill_item(&html, 13).contains("“mentor”"), "leadership");
    // Not asked for: Python; Java is not found inside JavaScript-free text either.
    assert!(!skill_item(&html, 2).contains("checked"));
    // An engineer's ad: the technical type, and the ad kept in its box.
    assert!(html.contains(r#"<option value="1" selected"#), "{html}");
    assert!(html.contains("You will build services in Golang"));
    // Nothing is stored until the form is submitted.
    assert_eq!(count_interviews(&s).await, 0);
}

#[tokio::test]
async fn an_overlong_or_skill_free_job_ad_is_said_plainly() {
    let s = start().await;
    let c = browser();
    register(&s, &c, "kit", PASSWORD).await;
    let long = "Golang ".repeat(2_000);
    let html = from_ad(&s, &c, &long).await;
    assert!(
        html.contains("The job ad is 14000 characters long; paste at most 8000."),
        "{html}"
    );
    assert!(
        !skill_item(&html, 4).contains("checked"),
        "nothing pre-filled"
    );
    let html = from_ad(&s, &c, "Baker wanted for our sourdough bakery.").await;
    assert!(
        html.contains("None of our skills were found in the job ad"),
        "{html}"
    );
}
