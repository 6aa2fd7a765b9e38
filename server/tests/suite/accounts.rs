//! Accounts and sessions over real HTTP: registration, sign-in, sign-out, session rotation,
//! the sign-in slowdown, security headers, and that no password or hash ever leaves the server.

use crate::common::*;
use reqwest::StatusCode;
use server::AppOptions;
use server::throttle::ThrottlePolicy;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// Every log line of this test binary, at debug level and above.
fn captured_logs() -> Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let writer = buffer.clone();
        tracing_subscriber::fmt()
            // The server's own filter at its most verbose.
            .with_env_filter(server::telemetry::filter("debug"))
            .with_ansi(false)
            .with_writer(move || LogWriter(writer.clone()))
            .init();
        buffer
    })
    .clone()
}

struct LogWriter(Arc<Mutex<Vec<u8>>>);
impl Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn register_signs_in_and_redirects_with_a_safe_cookie() {
    let s = start().await;
    let c = browser();
    let resp = register(&s, &c, "ada", PASSWORD).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&resp), "/interviews");
    let cookie = session_cookie(&resp).expect("session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "not Secure over http: {cookie}");
    assert_eq!(who(&s, &c).await.as_deref(), Some("ada"));
}

#[tokio::test]
async fn the_cookie_is_secure_when_the_server_serves_https() {
    let s = start_with(AppOptions {
        secure_cookies: true,
        ..default_options()
    })
    .await;
    let resp = register(&s, &browser(), "ada", PASSWORD).await;
    assert!(session_cookie(&resp).unwrap().contains("Secure"));
}

#[tokio::test]
async fn registration_errors_are_specific_and_store_nothing() {
    let s = start().await;
    register(&s, &browser(), "ada", PASSWORD).await;
    let cases = [
        ("ADA", PASSWORD, "error=username_taken"),
        ("x", PASSWORD, "error=username_length"),
        ("no spaces", PASSWORD, "error=username_chars"),
        ("bob", "short", "error=password_short"),
        ("bob", &"long enough ".repeat(11), "error=password_long"),
        ("bob", "password1234", "error=password_weak"),
        ("bob", "bob-bob-bob-bob", "error=password_weak"),
    ];
    for (username, password, expected) in cases {
        let c = browser();
        let resp = register(&s, &c, username, password).await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        let to = location(&resp);
        assert!(
            to.starts_with("/register?") && to.contains(expected),
            "{username}: {to}"
        );
        assert!(
            !to.contains("password="),
            "the password never goes back into a URL: {to}"
        );
        assert!(to.contains("next=%2Finterviews"), "next is kept: {to}");
        assert_eq!(who(&s, &c).await, None);
    }
    let c = browser();
    let resp = c
        .post(s.url("/auth/register"))
        .form(&[
            ("username", "carol"),
            ("email", "not-an-email"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert!(location(&resp).contains("error=email_invalid&username=carol&email=not-an-email"));

    // The page shows the message beside the field it concerns.
    let html = page(&s, &c, "/register?error=username_taken&username=ADA")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("That username is taken."), "{html}");
    assert!(html.contains(r#"id="username-error""#));
    // A made-up code shows nothing.
    let html = page(&s, &c, "/register?error=%3Cb%3Ehi")
        .await
        .text()
        .await
        .unwrap();
    assert!(!html.contains("field-error"));

    let users = query_i64(&s.database, "SELECT count(*) FROM Users").await;
    assert_eq!(users, 1);
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_answer() {
    let s = start().await;
    register(&s, &browser(), "ada", PASSWORD).await;
    let c = browser();
    let wrong = sign_in(&s, &c, "ada", "not the password").await;
    let unknown = sign_in(&s, &c, "nobody", "not the password").await;
    assert_eq!(wrong.status(), unknown.status());
    assert_eq!(
        location(&wrong),
        "/signin?error=wrong_credentials&username=ada"
    );
    assert_eq!(
        location(&unknown),
        "/signin?error=wrong_credentials&username=nobody"
    );
    assert_eq!(who(&s, &c).await, None);

    let ok = sign_in(&s, &c, "ADA", PASSWORD).await;
    assert_eq!(location(&ok), "/", "usernames match regardless of case");
    assert_eq!(who(&s, &c).await.as_deref(), Some("ada"));
}

#[tokio::test]
async fn sign_in_goes_back_to_next_but_never_off_site() {
    let s = start().await;
    register(&s, &browser(), "ada", PASSWORD).await;
    for (next, expected) in [
        ("/interviews/abc?x=1", "/interviews/abc?x=1"),
        ("https://evil.example/", "/"),
        ("//evil.example", "/"),
    ] {
        let resp = browser()
            .post(s.url("/auth/signin"))
            .form(&[("username", "ada"), ("password", PASSWORD), ("next", next)])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&resp), expected, "next={next}");
    }
}

#[tokio::test]
async fn the_session_id_changes_at_sign_in_and_dies_at_sign_out() {
    let s = start().await;
    let c = browser();
    let first = session_cookie(&register(&s, &c, "ada", PASSWORD).await).unwrap();
    register(&s, &browser(), "bob", PASSWORD).await;

    // Signing in again (as someone else) on the same browser gets a new id; the old one is dead.
    let second = session_cookie(&sign_in(&s, &c, "bob", PASSWORD).await).unwrap();
    let id = |cookie: &str| cookie.split(';').next().unwrap().to_owned();
    assert_ne!(id(&first), id(&second));
    let replay = |cookie: String| {
        let url = s.url("/fn/current_user");
        async move {
            let body = reqwest::Client::new()
                .post(url)
                .header("cookie", cookie)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            serde_json::from_str::<Option<app::model::User>>(&body)
                .unwrap()
                .map(|u| u.username)
        }
    };
    assert_eq!(
        replay(id(&first)).await,
        None,
        "the pre-sign-in id no longer works"
    );
    assert_eq!(replay(id(&second)).await.as_deref(), Some("bob"));

    // Sign out ends the session on the server: the old cookie, replayed, is nobody.
    let out = c.post(s.url("/auth/signout")).send().await.unwrap();
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&out), "/");
    assert_eq!(who(&s, &c).await, None);
    assert_eq!(replay(id(&second)).await, None);
}

#[tokio::test]
async fn sessions_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = fresh_database(dir.path()).await;
    let s = start_on(&db, default_options()).await;
    let c = browser();
    register(&s, &c, "ada", PASSWORD).await;
    s.stop().await;
    let stored = query_i64(&db, "SELECT count(*) FROM tower_sessions").await;
    assert_eq!(stored, 1, "the session is stored in the database file");
    // A new server on the same file; cookies are not port-scoped, so the jar sends it along.
    let s = start_on(&db, default_options()).await;
    assert_eq!(who(&s, &c).await.as_deref(), Some("ada"));
    s.stop().await;
}

#[tokio::test]
async fn repeated_failures_are_slowed_down_per_account_and_per_address() {
    let policy = ThrottlePolicy {
        free_failures: 3,
        base_delay: Duration::from_millis(1500),
        max_delay: Duration::from_secs(3),
        forget_after: Duration::from_secs(60),
    };
    let s = start_with(AppOptions {
        throttle: policy,
        ..default_options()
    })
    .await;
    register(&s, &browser(), "ada", PASSWORD).await;
    let c = browser();
    for _ in 0..3 {
        let resp = sign_in(&s, &c, "ada", "guess").await;
        assert!(location(&resp).contains("error=wrong_credentials"));
    }
    // Now even the right password must wait a little…
    let resp = sign_in(&s, &c, "ada", PASSWORD).await;
    let to = location(&resp);
    assert!(
        to.contains("error=too_many_attempts") && to.contains("retry=2"),
        "{to}"
    );
    assert_eq!(who(&s, &c).await, None);
    // …and so must guesses at other accounts from the same address.
    let resp = sign_in(&s, &c, "someone-else", "guess").await;
    assert!(location(&resp).contains("error=too_many_attempts"));
    let html = page(&s, &c, &to).await.text().await.unwrap();
    assert!(html.contains(
        "Too many failed attempts. Wait a little and try again. Try again in 2 seconds."
    ));

    // …but only a little: after the delay the real user gets in.
    tokio::time::sleep(Duration::from_millis(1600)).await;
    let resp = sign_in(&s, &c, "ada", PASSWORD).await;
    assert_eq!(location(&resp), "/");
    assert_eq!(who(&s, &c).await.as_deref(), Some("ada"));
}

#[tokio::test]
async fn every_response_carries_security_headers() {
    let s = start().await;
    let c = browser();
    for path in ["/", "/signin", "/healthz", "/favicon.svg", "/no/such/page"] {
        let resp = page(&s, &c, path).await;
        let h = resp.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
    }
    // A page's policy admits exactly the nonce on its inline hydration script (a page with
    // an island: the setup page, which sends a visitor to sign in first).
    register(&s, &c, "ada", PASSWORD).await;
    let (nonce, html) = csp_nonce_and_html(page(&s, &c, "/interviews/new").await).await;
    assert!(
        html.contains(&format!(r#"<script type="module" nonce="{nonce}">"#)),
        "hydration script carries the nonce"
    );
    let again = page(&s, &c, "/").await;
    assert!(
        !again.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains(&nonce),
        "a fresh nonce per page"
    );
}

#[tokio::test]
async fn no_response_or_log_line_carries_a_password_or_its_hash() {
    let logs = captured_logs();
    let s = start().await;
    let secret = "a very secret phrase 4417";
    let c = browser();
    let mut seen = String::new();
    let resp = register(&s, &c, "ada", secret).await;
    seen += &format!("{:?}", resp.headers());
    for resp in [
        sign_in(&s, &browser(), "ada", "wrong password 1").await,
        sign_in(&s, &browser(), "ada", secret).await,
        register(&s, &browser(), "ada", secret).await,
    ] {
        seen += &format!("{:?}", resp.headers());
        seen += &resp.text().await.unwrap();
    }
    for path in ["/", "/interviews", "/signin"] {
        seen += &page(&s, &c, path).await.text().await.unwrap();
    }
    seen += &call(&s, &c, "current_user", &[]).await.1;
    let hash = query_text(&s.database, "SELECT hashed_password FROM Users").await;
    assert!(hash.starts_with("$argon2id$"), "Argon2id: {hash}");
    let logs = String::from_utf8(logs.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("signed in"), "logs were captured");
    for (what, text) in [("responses", &seen), ("logs", &logs)] {
        assert!(!text.contains(secret), "password in {what}");
        assert!(
            !text.contains("wrong password 1"),
            "failed password in {what}"
        );
        assert!(
            !text.contains(&hash) && !text.contains("$argon2"),
            "hash in {what}"
        );
    }
}

#[tokio::test]
async fn pages_that_need_a_user_send_visitors_to_sign_in_and_back() {
    let s = start().await;
    let c = browser();
    let resp = page(&s, &c, "/interviews/some-id?tab=report").await;
    assert_eq!(resp.status(), StatusCode::FOUND);
    assert_eq!(
        location(&resp),
        "/signin?next=%2Finterviews%2Fsome-id%3Ftab%3Dreport"
    );
    let html = page(&s, &c, "/signin?next=%2Finterviews")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(r#"name="next" value="/interviews""#),
        "the form carries next"
    );

    register(&s, &c, "ada", PASSWORD).await;
    let resp = page(&s, &c, "/interviews").await;
    assert_eq!(resp.status(), StatusCode::OK);
    let html = resp.text().await.unwrap();
    assert!(html.contains("No interviews yet."));
    assert!(html.contains("Signed in as <strong>ada</strong>"));
}

#[tokio::test]
async fn the_demo_account_is_created_once() {
    let s = start().await;
    let db = app::store::Db::connect(&s.database, Default::default())
        .await
        .unwrap();
    for _ in 0..2 {
        app::auth::ensure_demo_account(
            &db,
            server::config::DEMO_USERNAME,
            server::config::DEMO_PASSWORD,
        )
        .await
        .unwrap();
    }
    let c = browser();
    let resp = sign_in(
        &s,
        &c,
        server::config::DEMO_USERNAME,
        server::config::DEMO_PASSWORD,
    )
    .await;
    assert_eq!(location(&resp), "/");
    assert_eq!(who(&s, &c).await.as_deref(), Some("demo"));
}
