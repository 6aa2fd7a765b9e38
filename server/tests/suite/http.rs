//! The real router on a random port, a fresh SQLite file, real HTTP.

use crate::common::start;

fn client() -> reqwest::Client {
    reqwest::Client::new()
}

#[tokio::test]
async fn health_check_answers_when_the_database_does() {
    let s = start().await;
    let resp = client()
        .get(format!("{}/healthz", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let v: serde_json::Value = resp.json().await.unwrap();
    let (store, schema) = crate::common::store_and_schema(&s.database);
    assert_eq!(
        v,
        serde_json::json!({"status": "ok", "store": store, "schema": schema, "node": "test-node"})
    );
}

#[tokio::test]
async fn the_first_page_is_rendered_on_the_server_from_the_database() {
    let s = start().await;
    let resp = client().get(format!("{}/", s.base)).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = resp.text().await.unwrap();
    for name in ["Technical", "Behavioral", "System Design", "Product Sense"] {
        assert!(
            html.contains(&format!("<span class=\"type-name\">{name}</span>")),
            "{name} missing"
        );
    }
    // Complete HTML, not a loading state for a script to fill in (pages work without JS).
    assert!(
        !html.contains("Loading interview types"),
        "fallback sent instead of data"
    );
    assert!(!html.contains("<template"), "content streamed out of order");
    // Skill names are escaped into the page, not pasted raw.
    assert!(html.contains("Algorithms &amp; Data Structures"));
    assert_eq!(
        html.matches("class=\"skill\"").count() + html.matches("class=\"skill suggested\"").count(),
        17
    );
    // A page without an island loads no script: it is complete as HTML.
    assert!(
        !html.contains("/pkg/perfect-pitch.js") && !html.contains(".wasm"),
        "the first page loads a script"
    );
}

#[tokio::test]
async fn server_functions_answer_with_data_and_fitting_errors() {
    let s = start().await;
    let resp = client()
        .post(format!("{}/fn/suggested_skills", s.base))
        .form(&[("interview_type_id", "2")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let skills: Vec<app::model::Skill> = resp.json().await.unwrap();
    let names: Vec<_> = skills.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Communication", "Leadership", "Teamwork"]);

    let resp = client()
        .post(format!("{}/fn/suggested_skills", s.base))
        .form(&[("interview_type_id", "99")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    assert_eq!(
        resp.json::<app::api::AppError>().await.unwrap(),
        app::api::AppError::not_found("interview type 99")
    );

    let resp = client()
        .post(format!("{}/fn/catalog", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let (types, skills): (Vec<app::model::InterviewType>, Vec<app::model::Skill>) =
        resp.json().await.unwrap();
    assert_eq!((types.len(), skills.len()), (4, 17));
}

#[tokio::test]
async fn unknown_pages_answer_404() {
    let s = start().await;
    let resp = client()
        .get(format!("{}/no/such/page", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    assert!(resp.text().await.unwrap().contains("Not found"));
}

#[tokio::test]
async fn the_404_page_has_the_nonce_its_script_needs() {
    let s = crate::common::start().await;
    // Under /interviews/, where pages hold islands, so the 404 page loads the script too.
    let resp = crate::common::page(&s, &crate::common::browser(), "/interviews/no/such/page").await;
    assert_eq!(resp.status(), reqwest::StatusCode::NOT_FOUND);
    let (nonce, html) = crate::common::csp_nonce_and_html(resp).await;
    assert!(
        html.contains(&format!(r#"<script type="module" nonce="{nonce}">"#)),
        "the script's nonce differs"
    );
    assert!(html.contains("Not found"));
    s.stop().await;
}

#[tokio::test]
async fn pages_and_json_are_compressed_but_the_reply_stream_is_not() {
    let s = crate::common::start().await;
    let c = client();
    let page = c
        .get(s.url("/"))
        .header("accept", "text/html")
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), reqwest::StatusCode::OK);
    assert_eq!(page.headers()["content-encoding"], "br");
    let json = c
        .post(s.url("/fn/catalog"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(json.headers()["content-encoding"], "gzip");
    // Without Accept-Encoding nothing is compressed.
    let plain = c.get(s.url("/")).send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());

    let b = crate::common::browser();
    crate::common::register(&s, &b, "ada", crate::common::PASSWORD).await;
    let i = crate::common::new_interview(&s, &b, "Loop", 1, &[1, 2], 3).await;
    crate::common::turn_ok(&s, &b, &i.id, "start", None).await;
    let stream = b
        .get(s.url(&format!("/interviews/{}/reply", i.id)))
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    assert!(stream.headers().get("content-encoding").is_none());
    s.stop().await;
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let s = crate::common::start().await;
    let c = client();
    let fresh = c.get(s.url("/healthz")).send().await.unwrap();
    let id = fresh.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let again = c.get(s.url("/healthz")).send().await.unwrap();
    assert_ne!(again.headers()["x-request-id"].to_str().unwrap(), id);
    let given = c
        .get(s.url("/healthz"))
        .header("x-request-id", "trace-me-42")
        .send()
        .await
        .unwrap();
    assert_eq!(given.headers()["x-request-id"], "trace-me-42");
    s.stop().await;
}

#[tokio::test]
async fn metrics_are_off_by_default_and_behind_a_token_when_on() {
    let s = crate::common::start().await;
    let off = client().get(s.url("/metrics")).send().await.unwrap();
    assert_eq!(off.status(), reqwest::StatusCode::NOT_FOUND);
    s.stop().await;

    let s = crate::common::start_with(server::AppOptions {
        metrics_token: Some("s3cret-token".into()),
        ..crate::common::default_options()
    })
    .await;
    let c = client();
    for _ in 0..3 {
        c.get(s.url("/healthz")).send().await.unwrap();
    }
    let b = crate::common::browser();
    crate::common::register(&s, &b, "ada", crate::common::PASSWORD).await;
    let i = crate::common::new_interview(&s, &b, "Loop", 1, &[1], 3).await;
    crate::common::page(&s, &b, &format!("/interviews/{}", i.id)).await;
    // One reply and one report from the (offline) interviewer.
    crate::common::turn_ok(&s, &b, &i.id, "start", None).await;
    crate::common::turn_ok(&s, &b, &i.id, "end", None).await;
    for auth in [None, Some("Bearer wrong-token!"), Some("s3cret-token")] {
        let mut req = c.get(s.url("/metrics"));
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        assert_eq!(
            req.send().await.unwrap().status(),
            reqwest::StatusCode::UNAUTHORIZED
        );
    }
    let text = c
        .get(s.url("/metrics"))
        .header("authorization", "Bearer s3cret-token")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains(r#"pp_requests_total{method="GET",route="/healthz",status="200"} 3"#),
        "{text}"
    );
    assert!(text.contains(r#"pp_request_seconds_count{method="GET",route="/healthz"} 3"#));
    assert!(
        text.contains(r#"route="/interviews/{id}""#),
        "routes by pattern: {text}"
    );
    assert!(!text.contains(i.id.as_str()), "never an interview's id");
    assert!(text.contains("pp_replies_writing 0"));
    assert!(text.contains("pp_password_hashes "));
    // The interviewer's calls: two replies (the opening and the closing) and one report.
    let value = |line: &str| -> f64 {
        let found = text.lines().find(|l| l.starts_with(line));
        let found = found.unwrap_or_else(|| panic!("no {line}: {text}"));
        found.rsplit(' ').next().unwrap().parse().unwrap()
    };
    assert_eq!(
        value(r#"pp_model_seconds_count{call="reply",until="end"}"#),
        2.0
    );
    assert_eq!(
        value(r#"pp_model_seconds_count{call="reply",until="first_token"}"#),
        2.0
    );
    assert_eq!(
        value(r#"pp_model_seconds_count{call="report",until="end"}"#),
        1.0
    );
    assert_eq!(
        value("pp_model_reply_tokens_total"),
        0.0,
        "the offline interviewer spends no model tokens"
    );
    assert_eq!(value("pp_model_failures_total"), 0.0);
    // Registration, the interview, two turns and the sessions: every write waited its turn.
    assert!(value("pp_db_write_wait_seconds_count") >= 5.0, "{text}");
    assert!(text.contains(r#"pp_db_write_wait_seconds_bucket{le="+Inf"}"#));
    s.stop().await;
}
