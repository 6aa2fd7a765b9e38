//! Two users: the second can neither read, list, change, answer nor delete the first one's
//! interview through any server function or page; each answers 404 exactly as for a missing
//! interview. The first still can.

use crate::common::*;
use app::api::AppError;
use reqwest::{Client, StatusCode};

/// Ada's interview, made through the setup server function as the hydrated form does.
async fn adas_interview(s: &TestServer, ada: &Client) -> app::model::Interview {
    let (status, body) = call(
        s,
        ada,
        "setup_interview",
        &[
            ("input[title]", "Ada's backend loop"),
            ("input[interview_type_id]", "1"),
            ("input[skill_ids][0]", "1"),
            ("input[skill_ids][1]", "2"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    match serde_json::from_str(&body).unwrap() {
        app::api::SetupOutcome::Saved(interview) => *interview,
        other => panic!("not created: {other:?}"),
    }
}

/// Every server function that touches one interview, with arguments for it.
fn touching(id: &str) -> Vec<(&'static str, Vec<(String, String)>)> {
    let a = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    vec![
        ("cancel_interview", a(&[("interview_id", id)])),
        ("interview_live", a(&[("interview_id", id)])),
        ("take_turn", a(&[("interview_id", id), ("action", "start")])),
        (
            "take_turn",
            a(&[
                ("interview_id", id),
                ("action", "answer"),
                ("text", "My answer"),
            ]),
        ),
        ("regenerate_report", a(&[("interview_id", id)])),
    ]
}

async fn call_owned(
    s: &TestServer,
    c: &Client,
    name: &str,
    args: &[(String, String)],
) -> (StatusCode, String) {
    let pairs: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    call(s, c, name, &pairs).await
}

#[tokio::test]
async fn another_users_interview_is_not_found_everywhere() {
    let s = start().await;
    let ada = browser();
    let bob = browser();
    register(&s, &ada, "ada", PASSWORD).await;
    register(&s, &bob, "bob", PASSWORD).await;
    let interview = adas_interview(&s, &ada).await;
    let before = serde_json::to_string(&interview).unwrap();

    for (name, args) in touching(&interview.id) {
        let (status, body) = call_owned(&s, &bob, name, &args).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{name}: {body}");
        // Exactly what a missing interview answers, id aside.
        let missing_args: Vec<(String, String)> = args
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    if k == "interview_id" {
                        "no-such-id".into()
                    } else {
                        v.clone()
                    },
                )
            })
            .collect();
        let (missing_status, missing_body) = call_owned(&s, &bob, name, &missing_args).await;
        assert_eq!(missing_status, StatusCode::NOT_FOUND, "{name}");
        assert_eq!(
            body.replace(interview.id.as_str(), "no-such-id"),
            missing_body,
            "{name}"
        );
    }

    // Bob's list does not include it.
    let (status, body) = call(&s, &bob, "my_interviews", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let page: app::model::InterviewPage = serde_json::from_str(&body).unwrap();
    assert_eq!(page.total, 0);

    // The page says "Not found", with the status a missing one gets.
    let theirs = page_of(&s, &bob, &format!("/interviews/{}", interview.id)).await;
    let missing = page_of(&s, &bob, "/interviews/no-such-id").await;
    assert_eq!(theirs.0, StatusCode::NOT_FOUND);
    assert_eq!(missing.0, StatusCode::NOT_FOUND);
    assert!(
        theirs.1.contains("Not found")
            && !theirs.1.contains("Ada&#x27;s backend loop")
            && !theirs.1.contains("backend loop")
    );

    // Nothing Bob tried changed anything.
    let (status, body) = get_interview(&s, &ada, &interview.id).await;
    assert_eq!(status, StatusCode::OK);
    let after: app::model::Interview = serde_json::from_str(&body).unwrap();
    assert_eq!(serde_json::to_string(&after).unwrap(), before);
}

async fn page_of(s: &TestServer, c: &Client, path: &str) -> (StatusCode, String) {
    let resp = page(s, c, path).await;
    (resp.status(), resp.text().await.unwrap())
}

#[tokio::test]
async fn the_owner_can_do_all_of_it() {
    let s = start().await;
    let ada = browser();
    register(&s, &ada, "ada", PASSWORD).await;
    let interview = adas_interview(&s, &ada).await;

    let (status, html) = page_of(&s, &ada, &format!("/interviews/{}", interview.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Ada&#x27;s backend loop") || html.contains("Ada's backend loop"),
        "{html}"
    );

    for (name, args) in touching(&interview.id) {
        if name == "cancel_interview" {
            continue; // cancelling would end the interview before the answer below
        }
        let (status, body) = call_owned(&s, &ada, name, &args).await;
        if name == "regenerate_report" {
            // Past the ownership check: refused only because the interview is not completed.
            assert_eq!(status, StatusCode::CONFLICT, "{name}: {body}");
            continue;
        }
        assert_eq!(status, StatusCode::OK, "{name}: {body}");
        if name == "take_turn" {
            wait_idle(&s, &ada, &interview.id).await;
        }
    }
    let (status, _) = get_interview(&s, &ada, &interview.id).await;
    assert_eq!(status, StatusCode::OK, "still there: nothing above deletes");
}

#[tokio::test]
async fn signed_out_callers_get_401() {
    let s = start().await;
    let ada = browser();
    register(&s, &ada, "ada", PASSWORD).await;
    let interview = adas_interview(&s, &ada).await;
    let stranger = browser();
    for (name, args) in touching(&interview.id) {
        let (status, body) = call_owned(&s, &stranger, name, &args).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{name}");
        assert_eq!(
            serde_json::from_str::<AppError>(&body).ok(),
            Some(AppError::Unauthorized),
            "{name}: {body}"
        );
    }
    let (status, _) = call(&s, &stranger, "my_interviews", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = call(
        &s,
        &stranger,
        "setup_interview",
        &[("input[title]", "x"), ("input[skill_ids][0]", "1")],
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn malformed_arguments_are_400_and_invalid_ones_422() {
    let s = start().await;
    let ada = browser();
    register(&s, &ada, "ada", PASSWORD).await;
    let (status, body) = call(
        &s,
        &ada,
        "setup_interview",
        &[("input[title]", "x"), ("input[interview_type_id]", "one")],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) = call(&s, &ada, "interview_live", &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("interview_id"), "names the field: {body}");
    let interview = adas_interview(&s, &ada).await;
    turn_ok(&s, &ada, &interview.id, "start", None).await;
    let (status, body) = turn(&s, &ada, &interview.id, "answer", Some("   ")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("Write an answer first"), "{body}");
    let (status, body) = call(&s, &ada, "interview_live", &[("interview_id", "nope")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(
        serde_json::from_str::<AppError>(&body).ok(),
        Some(AppError::not_found("interview nope")),
        "{body}"
    );
}
