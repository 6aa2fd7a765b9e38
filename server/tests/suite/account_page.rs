//! The account page's actions over real HTTP: changing the password, downloading everything as
//! JSON, deleting the account with everything in it (one transaction), each for the signed-in
//! person only and each refusing a wrong password without changing anything.

use crate::common::*;
use reqwest::{Client, StatusCode};

const NEW_PASSWORD: &str = "a different horse entirely";

async fn post(s: &TestServer, c: &Client, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    c.post(s.url(path)).form(form).send().await.unwrap()
}

/// Rows of every table that hold this user's data, directly or through their interviews.
fn rows_of(s: &TestServer, user_id: &str) -> i64 {
    let conn = db(s);
    let q = |sql: &str| -> i64 { conn.query_row(sql, [user_id], |r| r.get(0)).unwrap() };
    q("SELECT count(*) FROM Users WHERE user_id = ?1")
        + q("SELECT count(*) FROM Interviews WHERE user_id = ?1")
        + q("SELECT count(*) FROM Messages WHERE user_id = ?1")
        + q(
            "SELECT count(*) FROM Interview_Skills l JOIN Interviews i USING (interview_id) WHERE i.user_id = ?1",
        )
        + q(
            "SELECT count(*) FROM Interview_Questions q JOIN Interviews i USING (interview_id) WHERE i.user_id = ?1",
        )
        + q("SELECT count(*) FROM AI_Feedback f WHERE f.interview_id IN
                 (SELECT interview_id FROM Interviews WHERE user_id = ?1)")
}

fn user_id(s: &TestServer, name: &str) -> String {
    db(s)
        .query_row(
            "SELECT user_id FROM Users WHERE username = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap()
}

/// A finished interview (offline interviewer): questions asked, an answer, a report.
async fn finished(s: &TestServer, c: &Client, title: &str) -> String {
    let i = new_interview(s, c, title, 1, &[2], 3).await;
    turn_ok(s, c, &i.id, "start", None).await;
    turn_ok(
        s,
        c,
        &i.id,
        "answer",
        Some("A dict: hashing gives O(1) lookups on average."),
    )
    .await;
    turn_ok(s, c, &i.id, "end", None).await;
    i.id.to_string()
}

#[tokio::test]
async fn the_password_changes_only_with_the_current_one_and_a_good_new_one() {
    let s = start().await;
    let c = browser();
    register(&s, &c, "petra", PASSWORD).await;

    let wrong = post(
        &s,
        &c,
        "/account/password",
        &[
            ("current_password", "nope nope nope"),
            ("new_password", NEW_PASSWORD),
        ],
    )
    .await;
    assert_eq!(
        location(&wrong),
        "/account?error=wrong_credentials&form=password"
    );
    let weak = post(
        &s,
        &c,
        "/account/password",
        &[("current_password", PASSWORD), ("new_password", "short")],
    )
    .await;
    assert_eq!(
        location(&weak),
        "/account?error=password_short&form=password"
    );
    let html = page(&s, &c, "/account?error=password_short&form=password")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("new-password-hint") && html.contains(r#"id="password-error""#),
        "{html}"
    );
    // Nothing changed: the old password still signs in.
    assert_eq!(
        location(&sign_in(&s, &browser(), "petra", PASSWORD).await),
        "/"
    );

    let before = session_cookie(&wrong);
    let done = post(
        &s,
        &c,
        "/account/password",
        &[
            ("current_password", PASSWORD),
            ("new_password", NEW_PASSWORD),
        ],
    )
    .await;
    assert_eq!(location(&done), "/account?saved=password");
    assert_ne!(
        session_cookie(&done),
        before,
        "a fresh session id after the change"
    );
    assert!(
        page(&s, &c, "/account?saved=password")
            .await
            .text()
            .await
            .unwrap()
            .contains("Your password was changed.")
    );
    assert_eq!(
        location(&sign_in(&s, &browser(), "petra", PASSWORD).await),
        "/signin?error=wrong_credentials&username=petra"
    );
    assert_eq!(
        location(&sign_in(&s, &browser(), "petra", NEW_PASSWORD).await),
        "/"
    );

    // Signed out, nothing to change.
    let anonymous = post(
        &s,
        &browser(),
        "/account/password",
        &[
            ("current_password", PASSWORD),
            ("new_password", NEW_PASSWORD),
        ],
    )
    .await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn all_of_ones_data_downloads_as_json() {
    let s = start().await;
    let c = browser();
    register(&s, &c, "olga", PASSWORD).await;
    let id = finished(&s, &c, "Kept for later").await;
    let other = browser();
    register(&s, &other, "otto", PASSWORD).await;
    finished(&s, &other, "Not Olga's").await;

    let resp = c.get(s.url("/account/export.json")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        resp.headers()["content-disposition"],
        r#"attachment; filename="perfect-pitch-olga.json""#
    );
    let text = resp.text().await.unwrap();
    assert!(
        !text.contains("hashed_password") && !text.contains("$argon2"),
        "no password hash"
    );
    assert!(!text.contains("Not Olga's"), "only her own interviews");
    let data: app::model::AccountExport = serde_json::from_str(&text).unwrap();
    assert_eq!(data.user.username, "olga");
    assert_eq!(data.interviews.len(), 1);
    let kept = &data.interviews[0];
    assert_eq!(kept.interview.id.as_str(), id);
    assert!(
        kept.messages
            .iter()
            .any(|m| m.content.contains("hashing gives O(1)"))
    );
    assert!(kept.report.is_some());
}

#[tokio::test]
async fn deleting_the_account_takes_everything_of_it_and_nothing_else() {
    let s = start().await;
    let c = browser();
    register(&s, &c, "dora", PASSWORD).await;
    finished(&s, &c, "One").await;
    finished(&s, &c, "Two").await;
    let other = browser();
    register(&s, &other, "ezra", PASSWORD).await;
    finished(&s, &other, "Ezra's").await;
    let (dora, ezra) = (user_id(&s, "dora"), user_id(&s, "ezra"));
    let (dora_rows, ezra_rows) = (rows_of(&s, &dora), rows_of(&s, &ezra));
    assert!(dora_rows > 10, "{dora_rows}");

    // Not confirmed, or the wrong password: refused, nothing deleted.
    let unticked = post(&s, &c, "/account/delete", &[("password", PASSWORD)]).await;
    assert_eq!(
        location(&unticked),
        "/account?error=confirm_delete&form=delete"
    );
    let wrong = post(
        &s,
        &c,
        "/account/delete",
        &[("password", "not my password"), ("confirm", "yes")],
    )
    .await;
    assert_eq!(
        location(&wrong),
        "/account?error=wrong_credentials&form=delete"
    );
    assert_eq!(rows_of(&s, &dora), dora_rows);
    let html = page(&s, &c, "/account?error=confirm_delete&form=delete")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Tick the box to confirm"), "{html}");

    let gone = post(
        &s,
        &c,
        "/account/delete",
        &[("password", PASSWORD), ("confirm", "yes")],
    )
    .await;
    assert_eq!(location(&gone), "/?deleted=1");
    assert_eq!(rows_of(&s, &dora), 0);
    let orphans: i64 = db(&s)
        .query_row(
            "SELECT (SELECT count(*) FROM Interview_Questions WHERE interview_id NOT IN (SELECT interview_id FROM Interviews))
                  + (SELECT count(*) FROM Messages WHERE interview_id NOT IN (SELECT interview_id FROM Interviews))",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0);
    assert_eq!(
        rows_of(&s, &ezra),
        ezra_rows,
        "another person's data is untouched"
    );
    // Signed out, and the account cannot sign in again.
    assert_eq!(who(&s, &c).await, None);
    assert_eq!(
        location(&sign_in(&s, &browser(), "dora", PASSWORD).await),
        "/signin?error=wrong_credentials&username=dora"
    );
    let home = page(&s, &c, "/?deleted=1").await.text().await.unwrap();
    assert!(home.contains("Your account and everything in it were deleted."));
}
