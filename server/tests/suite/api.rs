//! The JSON API against the real router over HTTP.

use crate::common::*;
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

async fn req(
    s: &TestServer,
    c: &Client,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut r = c.request(method, s.url(&format!("/api/v1{path}")));
    if let Some(b) = body {
        r = r.json(&b);
    }
    let resp = r.send().await.unwrap();
    let status = resp.status();
    let text = resp.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn signed_in(s: &TestServer, name: &str) -> Client {
    let c = browser();
    register(s, &c, name, PASSWORD).await;
    c
}

fn error_code(v: &Value) -> &str {
    v["error"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("not an API error: {v}"))
}

fn error_message(v: &Value) -> &str {
    v["error"]["message"].as_str().unwrap()
}

async fn create(s: &TestServer, c: &Client) -> String {
    let (status, v) = req(
        s,
        c,
        Method::POST,
        "/interviews",
        Some(json!({"title": "API loop", "interview_type_id": 1, "skill_ids": [1, 2, 3]})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    v["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn catalogue_routes() {
    let s = start().await;
    let c = signed_in(&s, "ada").await;
    let (status, v) = req(&s, &c, Method::GET, "/interview-types", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v.as_array().unwrap().len(), 4);
    let (status, v) = req(&s, &c, Method::GET, "/skills", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v.as_array().unwrap().len(), 17);
    let (status, v) = req(
        &s,
        &c,
        Method::GET,
        "/interview-types/2/suggested-skills",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Communication", "Leadership", "Teamwork"]);
    let (status, v) = req(
        &s,
        &c,
        Method::GET,
        "/interview-types/99/suggested-skills",
        None,
    )
    .await;
    assert_eq!(
        (status, error_code(&v)),
        (StatusCode::NOT_FOUND, "not_found")
    );
    let (status, v) = req(
        &s,
        &c,
        Method::GET,
        "/interview-types/abc/suggested-skills",
        None,
    )
    .await;
    assert_eq!(
        (status, error_code(&v)),
        (StatusCode::BAD_REQUEST, "invalid_input")
    );
}

#[tokio::test]
async fn creating_with_the_plans_body_and_every_validation_error() {
    let s = start().await;
    let c = signed_in(&s, "ada").await;
    let (status, v) = req(
        &s,
        &c,
        Method::POST,
        "/interviews",
        Some(json!({"title": "  Plan body ", "interview_type_id": 1, "skill_ids": [1, 2, 3]})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(v["title"], "Plan body");
    assert_eq!(v["status"], "pending");
    assert_eq!(v["question_count"], 6);
    assert_eq!(v["difficulty"], "mixed");
    assert_eq!(v["skills"].as_array().unwrap().len(), 3);

    let cases = [
        (
            json!({"title": "", "interview_type_id": 1, "skill_ids": [1]}),
            "title: Give the interview a title.",
        ),
        (
            json!({"title": "t".repeat(121), "interview_type_id": 1, "skill_ids": [1]}),
            "title: Keep the title",
        ),
        (
            json!({"title": "x", "interview_type_id": 99, "skill_ids": [1]}),
            "interview_type_id: That interview type no longer exists",
        ),
        (
            json!({"title": "x", "interview_type_id": 1, "skill_ids": []}),
            "skill_ids: Choose at least one skill.",
        ),
        (
            json!({"title": "x", "interview_type_id": 1, "skill_ids": [1, 999]}),
            "skill_ids: One of the chosen skills",
        ),
        (
            json!({"title": "x", "interview_type_id": 1, "skill_ids": (1..=11).collect::<Vec<_>>()}),
            "skill_ids: Choose at most 10",
        ),
        (
            json!({"title": "x", "interview_type_id": 1, "skill_ids": [1], "question_count": 2}),
            "question_count: Choose between 3 and 12",
        ),
    ];
    for (body, expected) in cases {
        let (status, v) = req(&s, &c, Method::POST, "/interviews", Some(body.clone())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(error_code(&v), "invalid_input");
        assert!(error_message(&v).starts_with(expected), "{body}: {v}");
    }
    let (_, v) = req(&s, &c, Method::GET, "/interviews", None).await;
    assert_eq!(v["total"], 1, "no failed create stored anything");
}

#[tokio::test]
async fn malformed_bodies_are_400_or_422_naming_the_field_never_500() {
    let s = start().await;
    let c = signed_in(&s, "ada").await;
    let raw = |body: &'static str, content_type: &'static str| {
        let c = c.clone();
        let url = s.url("/api/v1/interviews");
        async move {
            let resp = c
                .post(url)
                .header("content-type", content_type)
                .body(body)
                .send()
                .await
                .unwrap();
            (resp.status(), resp.json::<Value>().await.unwrap())
        }
    };
    let (status, v) = raw("{not json", "application/json").await;
    assert_eq!(
        (status, error_code(&v)),
        (StatusCode::BAD_REQUEST, "malformed_json")
    );
    let (status, v) = raw(
        r#"{"title":"x","interview_type_id":"one","skill_ids":[1]}"#,
        "application/json",
    )
    .await;
    assert_eq!(
        (status, error_code(&v)),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input")
    );
    assert!(error_message(&v).contains("interview_type_id"), "{v}");
    let (status, v) = raw(
        r#"{"title":"x","interview_type_id":1,"skill_ids":[1],"colour":"red"}"#,
        "application/json",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_message(&v).contains("colour"), "{v}");
    let (status, v) = raw(r#"{"title":"x","skill_ids":[1]}"#, "application/json").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_message(&v).contains("interview_type_id"), "{v}");
    let (status, v) = raw("title=x", "application/x-www-form-urlencoded").await;
    assert_eq!(
        (status, error_code(&v)),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
    );
    let (status, v) = req(&s, &c, Method::GET, "/interviews?status=done", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error_message(&v).contains("unknown status 'done'"), "{v}");
}

#[tokio::test]
async fn reading_listing_changing_and_deleting_an_interview() {
    let s = start().await;
    let c = signed_in(&s, "ada").await;
    let id = create(&s, &c).await;

    let (status, v) = req(&s, &c, Method::GET, &format!("/interviews/{id}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["interview_type"]["name"], "Technical");

    let (status, v) = req(
        &s,
        &c,
        Method::GET,
        "/interviews?type=1&skill=2&q=api",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["total"], 1);
    let (_, v) = req(&s, &c, Method::GET, "/interviews?type=2", None).await;
    assert_eq!(v["total"], 0);

    let (status, v) = req(
        &s,
        &c,
        Method::PATCH,
        &format!("/interviews/{id}"),
        Some(json!({"title": "Renamed", "interview_type_id": 3})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(
        (v["title"].as_str(), v["interview_type"]["name"].as_str()),
        (Some("Renamed"), Some("System Design"))
    );
    let (status, v) = req(
        &s,
        &c,
        Method::PATCH,
        &format!("/interviews/{id}"),
        Some(json!({})),
    )
    .await;
    assert_eq!(
        (status, error_code(&v)),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input")
    );
    let (status, _) = req(
        &s,
        &c,
        Method::PATCH,
        &format!("/interviews/{id}"),
        Some(json!({"interview_type_id": 99, "title": "Nope"})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, v) = req(&s, &c, Method::GET, &format!("/interviews/{id}"), None).await;
    assert_eq!(v["title"], "Renamed", "a failed PATCH changed nothing");

    let (status, v) = req(
        &s,
        &c,
        Method::PUT,
        &format!("/interviews/{id}/skills/4"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v.as_array().unwrap().len(), 4);
    let (status, v) = req(
        &s,
        &c,
        Method::PUT,
        &format!("/interviews/{id}/skills/4"),
        None,
    )
    .await;
    assert_eq!(
        (status, v.as_array().unwrap().len()),
        (StatusCode::OK, 4),
        "idempotent"
    );
    let (status, _) = req(
        &s,
        &c,
        Method::PUT,
        &format!("/interviews/{id}/skills/999"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, v) = req(
        &s,
        &c,
        Method::DELETE,
        &format!("/interviews/{id}/skills/4"),
        None,
    )
    .await;
    assert_eq!((status, v.as_array().unwrap().len()), (StatusCode::OK, 3));
    let (status, _) = req(
        &s,
        &c,
        Method::DELETE,
        &format!("/interviews/{id}/skills/4"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, _) = req(&s, &c, Method::DELETE, &format!("/interviews/{id}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, v) = req(&s, &c, Method::GET, &format!("/interviews/{id}"), None).await;
    assert_eq!(
        (status, error_code(&v)),
        (StatusCode::NOT_FOUND, "not_found")
    );
}

#[tokio::test]
async fn another_users_interview_is_404_on_every_route_and_signed_out_is_401() {
    let s = start().await;
    let ada = signed_in(&s, "ada").await;
    let bob = signed_in(&s, "bob").await;
    let id = create(&s, &ada).await;
    let attempts = [
        (Method::GET, format!("/interviews/{id}"), None),
        (
            Method::PATCH,
            format!("/interviews/{id}"),
            Some(json!({"title": "Mine"})),
        ),
        (Method::PUT, format!("/interviews/{id}/skills/4"), None),
        (Method::DELETE, format!("/interviews/{id}/skills/1"), None),
        (Method::DELETE, format!("/interviews/{id}"), None),
    ];
    for (method, path, body) in attempts.clone() {
        let (status, v) = req(&s, &bob, method.clone(), &path, body.clone()).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}");
        let (_, missing) = req(
            &s,
            &bob,
            method.clone(),
            &path.replace(&id, "no-such-id"),
            body,
        )
        .await;
        assert_eq!(
            v.to_string().replace(&id, "no-such-id"),
            missing.to_string(),
            "{method} {path}"
        );
    }
    let (_, v) = req(&s, &bob, Method::GET, "/interviews", None).await;
    assert_eq!(v["total"], 0);
    let (_, v) = req(&s, &ada, Method::GET, &format!("/interviews/{id}"), None).await;
    assert_eq!(
        (v["title"].as_str(), v["skills"].as_array().unwrap().len()),
        (Some("API loop"), 3),
        "untouched"
    );

    let stranger = browser();
    for (method, path, body) in attempts {
        let (status, v) = req(&s, &stranger, method, &path, body).await;
        assert_eq!(
            (status, error_code(&v)),
            (StatusCode::UNAUTHORIZED, "unauthorized")
        );
    }
    let (status, _) = req(&s, &stranger, Method::GET, "/skills", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// The routes the issue asks for, as (method, path) in OpenAPI form.
const EXPECTED: [(&str, &str); 10] = [
    ("get", "/interview-types"),
    ("get", "/interview-types/{id}/suggested-skills"),
    ("get", "/skills"),
    ("post", "/interviews"),
    ("get", "/interviews"),
    ("get", "/interviews/{id}"),
    ("patch", "/interviews/{id}"),
    ("delete", "/interviews/{id}"),
    ("put", "/interviews/{id}/skills/{skill_id}"),
    ("delete", "/interviews/{id}/skills/{skill_id}"),
];

#[tokio::test]
async fn the_openapi_document_and_the_router_describe_the_same_routes() {
    let s = start().await;
    let c = signed_in(&s, "ada").await;
    let (status, doc) = req(&s, &browser(), Method::GET, "/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let mut documented: Vec<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| {
            ops.as_object()
                .unwrap()
                .keys()
                .map(move |m| (m.clone(), path.clone()))
        })
        .collect();
    documented.sort();
    let mut expected: Vec<(String, String)> = EXPECTED
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    expected.sort();
    assert_eq!(
        documented, expected,
        "the document lists exactly the API's routes"
    );
    assert!(doc["components"]["securitySchemes"]["session"].is_object());

    // Every documented operation is served (never the API's "no such route" fallback)…
    let id = create(&s, &c).await;
    let mut ordered = documented.clone();
    // Add the skill before removing it, and delete the interview last.
    ordered.sort_by_key(|(m, p)| match (m.as_str(), p.as_str()) {
        ("put", _) => 0,
        ("delete", "/interviews/{id}/skills/{skill_id}") => 2,
        ("delete", "/interviews/{id}") => 3,
        _ => 1,
    });
    for (method, path) in &ordered {
        let concrete = if path.starts_with("/interview-types/") {
            path.replace("{id}", "1")
        } else {
            path.replace("{id}", &id).replace("{skill_id}", "5")
        };
        let body = match method.as_str() {
            "post" => Some(json!({"title": "x", "interview_type_id": 1, "skill_ids": [1]})),
            "patch" => Some(json!({"title": "y"})),
            _ => None,
        };
        let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let (status, v) = req(&s, &c, m, &concrete, body).await;
        let fallback = v["error"]["message"] == "there is no such API route"
            || status == StatusCode::METHOD_NOT_ALLOWED;
        assert!(
            !fallback,
            "{method} {path} is documented but not routed: {status} {v}"
        );
        assert!(status.is_success(), "{method} {path}: {status} {v}");
    }
    // …and what is not documented is not served.
    for (method, path) in [
        (Method::GET, "/nothing"),
        (Method::POST, "/skills"),
        (Method::PUT, "/interviews"),
    ] {
        let (status, v) = req(&s, &c, method.clone(), path, None).await;
        assert!(
            matches!(
                status,
                StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED
            ),
            "{method} {path}: {status}"
        );
        assert!(
            v["error"]["code"].is_string(),
            "JSON error for {method} {path}: {v}"
        );
    }
}

#[tokio::test]
async fn a_started_interviews_type_cannot_be_changed_but_a_typeless_one_can_be_given_one() {
    let s = start().await;
    let c = signed_in(&s, "ada").await;
    let id = create(&s, &c).await;
    turn_ok(&s, &c, &id, "start", None).await;
    let (status, v) = req(
        &s,
        &c,
        Method::PATCH,
        &format!("/interviews/{id}"),
        Some(json!({"title": "Renamed", "interview_type_id": 4})),
    )
    .await;
    assert_eq!((status, error_code(&v)), (StatusCode::CONFLICT, "conflict"));
    assert!(
        error_message(&v).contains("fixed once it has started"),
        "{v}"
    );
    let (_, v) = req(&s, &c, Method::GET, &format!("/interviews/{id}"), None).await;
    assert_eq!(
        (v["title"].as_str(), v["interview_type"]["name"].as_str()),
        (Some("API loop"), Some("Technical")),
        "nothing changed"
    );
    // The title alone may still change.
    let (status, v) = req(
        &s,
        &c,
        Method::PATCH,
        &format!("/interviews/{id}"),
        Some(json!({"title": "Renamed"})),
    )
    .await;
    assert_eq!(
        (status, v["title"].as_str()),
        (StatusCode::OK, Some("Renamed"))
    );

    // An older, completed interview without a type is given one (plan §6).
    let old = create(&s, &c).await;
    execute(
        &s.database,
        &format!(
            "UPDATE Interviews SET interview_type_id = NULL, status = 'completed'
             WHERE interview_id = '{old}'"
        ),
    )
    .await;
    let (status, v) = req(
        &s,
        &c,
        Method::PATCH,
        &format!("/interviews/{old}"),
        Some(json!({"interview_type_id": 2})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["interview_type"]["name"], "Behavioral");
}
