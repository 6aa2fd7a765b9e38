//! The per-question timer over real HTTP: set through the JSON API (only the offered choices),
//! counted by the server while a question waits for its answer, and the time each answer took
//! in the report and its Markdown — timed or not.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn create(s: &TestServer, c: &reqwest::Client, body: Value) -> (StatusCode, Value) {
    let resp = c
        .post(s.url("/api/v1/interviews"))
        .json(&body)
        .send()
        .await
        .unwrap();
    (resp.status(), resp.json().await.unwrap())
}

/// Makes the current question look asked `seconds` ago, as if the person had been thinking.
async fn asked_ago(s: &TestServer, id: &str, seconds: u32) {
    let question = format!(
        "WHERE interview_id = '{id}' AND order_in_interview =
             (SELECT max(order_in_interview) FROM Interview_Questions WHERE interview_id = '{id}')"
    );
    execute_each(
        &s.database,
        &format!(
            "UPDATE Interview_Questions SET timestamp_asked =
                 strftime('%Y-%m-%d %H:%M:%f', 'now', '-{seconds} seconds') {question}"
        ),
        &format!(
            "UPDATE Interview_Questions SET timestamp_asked =
                 pp_now() - make_interval(secs => {seconds}) {question}"
        ),
    )
    .await;
}

#[tokio::test]
async fn a_timed_question_counts_down_and_the_report_says_how_long_each_answer_took() {
    let s = start().await;
    let c = browser();
    register(&s, &c, "tess", PASSWORD).await;
    let base =
        json!({"title": "Timed", "interview_type_id": 1, "skill_ids": [2], "question_count": 3});

    // Only the offered choices; a refused one stores nothing.
    for bad in [45, 90, 7200] {
        let mut body = base.clone();
        body["answer_seconds"] = json!(bad);
        let (status, v) = create(&s, &c, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .contains("answer_seconds"),
            "{v}"
        );
    }
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM Interviews WHERE title = ?1",
            "Timed"
        ),
        0
    );

    let mut body = base.clone();
    body["answer_seconds"] = json!(120);
    let (status, v) = create(&s, &c, body).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(v["answer_seconds"], 120);
    let id = v["id"].as_str().unwrap().to_owned();
    let shown = page(&s, &c, &format!("/interviews/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(shown.contains("2 min per answer"), "the setting is shown");

    let l = live(&s, &c, &id).await;
    assert_eq!(
        l.progress.answer_clock, None,
        "no clock before the first question"
    );
    let l = turn_ok(&s, &c, &id, "start", None).await;
    let clock = l
        .progress
        .answer_clock
        .expect("the first question is timed");
    assert_eq!(clock.limit_seconds, 120);
    assert!(clock.waited_seconds <= 3, "{clock:?}");
    // The page's countdown starts from the server's count.
    let html = page(&s, &c, &format!("/interviews/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("left for this answer"),
        "no countdown in the page"
    );

    asked_ago(&s, &id, 150).await;
    let clock = live(&s, &c, &id).await.progress.answer_clock.unwrap();
    assert!((150..=153).contains(&clock.waited_seconds), "{clock:?}");
    let html = page(&s, &c, &format!("/interviews/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Time is up (0:3"), "the page says time is up");

    // Time running out refuses nothing: the answer is taken and timed.
    turn_ok(&s, &c, &id, "answer", Some(&strong_answer(&s, &id))).await;
    let done = turn_ok(&s, &c, &id, "end", None).await;
    assert_eq!(
        done.progress.answer_clock, None,
        "a finished interview has no clock"
    );
    let first = &done.report.expect("a report").questions[0];
    let took = first.answer_seconds.expect("the answer's time");
    assert!((150..=154).contains(&took), "took {took} s");
    assert_eq!(
        first.time_label(Some(120)).unwrap(),
        format!("Answered in 2 min {} s, over the 2 min limit", took - 120)
    );
    let md = page(&s, &c, &format!("/interviews/{id}/report.md"))
        .await
        .text()
        .await
        .unwrap();
    assert!(md.contains("- Time per answer: 2 min\n"), "{md}");
    assert!(md.contains(", over the 2 min limit_"), "{md}");
}

#[tokio::test]
async fn an_untimed_interview_has_no_clock_but_still_reports_each_answers_time() {
    let s = start().await;
    let c = browser();
    register(&s, &c, "uma", PASSWORD).await;
    let i = new_interview(&s, &c, "Untimed", 1, &[2], 3).await;
    assert_eq!(i.answer_seconds, None);
    let id = i.id.as_str();
    let l = turn_ok(&s, &c, id, "start", None).await;
    assert_eq!(l.progress.answer_clock, None);
    asked_ago(&s, id, 40).await;
    turn_ok(&s, &c, id, "answer", Some(&strong_answer(&s, id))).await;
    let done = turn_ok(&s, &c, id, "end", None).await;
    let first = &done.report.unwrap().questions[0];
    assert!(
        (40..=43).contains(&first.answer_seconds.unwrap()),
        "{first:?}"
    );
    assert!(first.time_label(None).unwrap().starts_with("Answered in 4"));
    let md = page(&s, &c, &format!("/interviews/{id}/report.md"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!md.contains("Time per answer"), "{md}");
    assert!(!md.contains("over the"), "{md}");
}
