//! Hostile traffic over real HTTP: requests forged by other sites, oversized fields, bursts of
//! password guesses and floods of sign-ins.

use crate::common::*;
use reqwest::StatusCode;

/// Posts the sign-in form as a browser on `site` would, with the headers it sends.
async fn forged_sign_in(s: &TestServer, headers: &[(&str, &str)]) -> reqwest::Response {
    let c = browser();
    let mut req = c
        .post(s.url("/auth/signin"))
        .form(&[("username", "mallory"), ("password", PASSWORD)]);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.unwrap()
}

#[tokio::test]
async fn another_site_cannot_sign_a_visitor_in_or_make_changes() {
    let s = start().await;
    let attacker = browser();
    register(&s, &attacker, "mallory", PASSWORD).await;
    let host = s.base.trim_start_matches("http://").to_owned();
    let other_port = format!("http://{}:1", host.split(':').next().unwrap());

    // Login CSRF: the attacker's page posts its own credentials from the victim's browser.
    for headers in [
        vec![("sec-fetch-site", "cross-site")],
        vec![("sec-fetch-site", "same-site")],
        vec![("origin", "https://evil.example")],
        vec![("origin", other_port.as_str())],
        vec![("origin", "null")],
    ] {
        let resp = forged_sign_in(&s, &headers).await;
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{headers:?}");
        assert_eq!(session_cookie(&resp), None, "no session for {headers:?}");
    }
    // The same form from the site itself, from a typed address, or from a script works.
    let own_origin = s.base.clone();
    for headers in [
        vec![("sec-fetch-site", "same-origin")],
        vec![("sec-fetch-site", "none")],
        vec![("origin", own_origin.as_str())],
        vec![],
    ] {
        let resp = forged_sign_in(&s, &headers).await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{headers:?}");
        assert!(session_cookie(&resp).is_some(), "{headers:?}");
    }

    // A signed-in victim: server functions, the JSON API and form posts refuse cross-site
    // writes, and nothing changes.
    let victim = browser();
    register(&s, &victim, "victim", PASSWORD).await;
    let created = victim
        .post(s.url("/api/v1/interviews"))
        .header("sec-fetch-site", "cross-site")
        .json(&serde_json::json!({"title": "Forged", "interview_type_id": 1, "skill_ids": [1]}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::FORBIDDEN);
    let body: serde_json::Value = created.json().await.unwrap();
    assert_eq!(body["error"]["code"], "cross_site");
    let forged_fn = victim
        .post(s.url("/fn/setup_interview"))
        .header("origin", "https://evil.example")
        .form(&[
            ("input[title]", "Forged"),
            ("input[interview_type_id]", "1"),
            ("input[skill_ids][0]", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged_fn.status(), StatusCode::FORBIDDEN);
    let signed_out = victim
        .post(s.url("/auth/signout"))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(signed_out.status(), StatusCode::FORBIDDEN);
    assert_eq!(who(&s, &victim).await.as_deref(), Some("victim"));
    let list = victim
        .get(s.url("/api/v1/interviews"))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), StatusCode::OK, "reading is not refused");
    let list: serde_json::Value = list.json().await.unwrap();
    assert_eq!(
        list["total"], 0,
        "the forged interview was not created: {list}"
    );
    s.stop().await;
}

#[tokio::test]
async fn oversized_and_forged_fields_are_refused_before_they_are_logged_or_echoed() {
    let s = start().await;
    let c = browser();
    // A megabyte-long name never gets in.
    let huge = "a".repeat(1 << 20);
    let resp = sign_in(&s, &c, &huge, PASSWORD).await;
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // Names no account can have — too long, or with a line break that would forge a log line
    // — are turned away without being echoed.
    for name in [
        "b".repeat(200),
        "ada\n2026-01-01 INFO forged line".to_owned(),
    ] {
        let resp = sign_in(&s, &c, &name, PASSWORD).await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        let to = location(&resp);
        assert!(to.starts_with("/signin?error=wrong_credentials"), "{to}");
        assert!(
            to.len() < 100 && !to.contains("forged") && !to.contains("bbbb"),
            "{to}"
        );
    }
    let long_next = format!("/interviews?{}", "x".repeat(5000));
    let resp = c
        .post(s.url("/auth/register"))
        .form(&[
            ("username", "c".repeat(300).as_str()),
            ("password", "short"),
            ("next", long_next.as_str()),
        ])
        .send()
        .await
        .unwrap();
    let to = location(&resp);
    assert!(to.starts_with("/register?error=username_length"), "{to}");
    assert!(to.len() < 100, "nothing oversized is echoed: {}", to.len());
    s.stop().await;
}

/// A slowdown whose waits are long next to a burst's spread on a loaded machine: two free
/// failures, then 10 s doubling. Tests wait by moving the failures' time back
/// ([`wait_out_the_slowdown`]), so the burst's own window (20 s) is never outlived.
fn long_slowdown() -> server::throttle::ThrottlePolicy {
    server::throttle::ThrottlePolicy {
        free_failures: 2,
        base_delay: std::time::Duration::from_secs(10),
        max_delay: std::time::Duration::from_secs(60),
        forget_after: std::time::Duration::from_secs(15 * 60),
    }
}

/// Every counted failure happened 11 s earlier than it did: the wait after two is over.
async fn wait_out_the_slowdown(database: &app::store::Location) {
    execute_each(
        database,
        "UPDATE Signin_Failures SET last_failure =
             strftime('%Y-%m-%d %H:%M:%f', last_failure, '-11 seconds')",
        "UPDATE Signin_Failures SET last_failure = last_failure - interval '11 seconds'",
    )
    .await;
}

/// How many of the sign-in attempts' answers were checked rather than told to wait.
fn checked(answers: &[String]) -> usize {
    answers
        .iter()
        .filter(|to| !to.contains("too_many_attempts"))
        .count()
}

/// The slowdown's counts live in the database, so two app servers on one database slow the
/// same guesser: a burst spread over both still gets one check (on SQLite, two servers on one
/// file; on PostgreSQL, two nodes on one database).
#[tokio::test]
async fn guesses_spread_over_two_servers_on_one_database_get_one_check() {
    let options = |node: &str| server::AppOptions {
        throttle: long_slowdown(),
        node_id: node.into(),
        ..default_options()
    };
    let a = start_with(options("node-a")).await;
    let b = start_on(&a.database, options("node-b")).await;
    register(&a, &browser(), "ada", PASSWORD).await;
    // One failure on each server: the free failures are used up on both.
    for s in [&a, &b] {
        let to = location(&sign_in(s, &browser(), "ada", "wrong guess 1234").await);
        assert!(to.contains("wrong_credentials"), "{to}");
    }
    let to = location(&sign_in(&b, &browser(), "ada", "wrong guess 5678").await);
    assert!(
        to.contains("too_many_attempts"),
        "node B knows of A's failure: {to}"
    );
    wait_out_the_slowdown(&a.database).await;
    let answers = futures::future::join_all((0..16).map(|n| {
        let (s, c) = (if n % 2 == 0 { &a } else { &b }, browser());
        let guess = if n == 9 {
            PASSWORD.to_owned()
        } else {
            format!("wrong guess {n:04}")
        };
        async move { location(&sign_in(s, &c, "ada", &guess).await) }
    }))
    .await;
    assert_eq!(checked(&answers), 1, "{answers:?}");
    b.stop().await;
    a.stop().await;
}

#[tokio::test]
async fn guesses_sent_together_after_the_wait_get_one_check() {
    let s = start_with(server::AppOptions {
        throttle: long_slowdown(),
        ..default_options()
    })
    .await;
    let owner = browser();
    register(&s, &owner, "ada", PASSWORD).await;
    let guesser = browser();
    for _ in 0..2 {
        let to = location(&sign_in(&s, &guesser, "ada", "wrong guess 1234").await);
        assert!(to.contains("wrong_credentials"), "{to}");
    }
    wait_out_the_slowdown(&s.database).await;
    // Sixteen guesses at once, the right one among them.
    let guesses: Vec<String> = (0..16)
        .map(|n| {
            if n == 9 {
                PASSWORD.to_owned()
            } else {
                format!("wrong guess {n:04}")
            }
        })
        .collect();
    let answers = futures::future::join_all(guesses.iter().map(|g| {
        let c = browser();
        let s = &s;
        async move { location(&sign_in(s, &c, "ada", g).await) }
    }))
    .await;
    assert_eq!(checked(&answers), 1, "{answers:?}");
    s.stop().await;
}

#[tokio::test]
async fn concurrent_registrations_all_succeed() {
    let s = start_with(server::AppOptions {
        rates: server::limits::RatePolicy {
            register: server::limits::Rate {
                burst: 1000,
                per: std::time::Duration::from_secs(60),
            },
            ..Default::default()
        },
        ..default_options()
    })
    .await;
    let results = futures::future::join_all((0..64).map(|n| {
        let s = &s;
        async move {
            let c = browser();
            let resp = register(s, &c, &format!("user{n:02}"), PASSWORD).await;
            (resp.status(), location(&resp), who(s, &c).await)
        }
    }))
    .await;
    for (n, (status, to, user)) in results.iter().enumerate() {
        assert_eq!(*status, StatusCode::SEE_OTHER, "{n}: {to}");
        assert_eq!(to, "/interviews", "{n}");
        assert_eq!(user.as_deref(), Some(format!("user{n:02}").as_str()));
    }
    let accounts: i64 = db(&s)
        .query_row("SELECT count(*) FROM Users", [], |r| r.get(0))
        .unwrap();
    assert_eq!(accounts, 64);
    s.stop().await;
}

/// Makes every insert into `table` fail, as a full disk would, on either store (the trigger is
/// `refuse_{table}`).
async fn refuse_inserts(database: &app::store::Location, table: &str) {
    execute_each(
        database,
        &format!(
            "CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table}
             BEGIN SELECT RAISE(ABORT, 'disk full'); END;"
        ),
        &format!(
            "CREATE FUNCTION disk_full_{table}() RETURNS trigger LANGUAGE plpgsql AS
                 $$ BEGIN RAISE EXCEPTION 'disk full'; END $$;
             CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table}
                 FOR EACH ROW EXECUTE FUNCTION disk_full_{table}();"
        ),
    )
    .await;
}

/// A slowdown that cannot keep its counts lets no password be checked: otherwise a guesser
/// who makes the database slow or full would guess unslowed.
#[tokio::test]
async fn when_the_slowdown_cannot_count_no_password_is_checked() {
    let s = start().await;
    register(&s, &browser(), "ada", PASSWORD).await;
    refuse_inserts(&s.database, "signin_failures").await;
    for password in [PASSWORD, "wrong guess 1234"] {
        let c = browser();
        let resp = sign_in(&s, &c, "ada", password).await;
        assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(resp.headers()["retry-after"], "1");
        assert_eq!(session_cookie(&resp), None);
        assert_eq!(who(&s, &c).await, None);
    }
    s.stop().await;
}

#[tokio::test]
async fn registration_and_its_session_are_one_unit() {
    let s = start().await;
    // The session table refuses every new row, as a full disk would.
    refuse_inserts(&s.database, "tower_sessions").await;
    let c = browser();
    let resp = register(&s, &c, "grace", PASSWORD).await;
    assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(
        resp.text().await.unwrap().contains("Please try again"),
        "a message to act on"
    );
    let accounts = |s: &TestServer| -> i64 {
        db(s)
            .query_row("SELECT count(*) FROM Users", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(accounts(&s), 0, "no account without its session");
    assert_eq!(who(&s, &c).await, None);

    // Once sessions can be stored again, the same name registers and is signed in, with one
    // session row: the one written with the account.
    execute_each(
        &s.database,
        "DROP TRIGGER refuse_tower_sessions",
        "DROP TRIGGER refuse_tower_sessions ON tower_sessions",
    )
    .await;
    let resp = register(&s, &c, "grace", PASSWORD).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{}", location(&resp));
    assert_eq!(location(&resp), "/interviews");
    assert_eq!(who(&s, &c).await.as_deref(), Some("grace"));
    assert_eq!(accounts(&s), 1);
    let sessions: i64 = db(&s)
        .query_row("SELECT count(*) FROM tower_sessions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(sessions, 1);

    // Registering again from a signed-in browser replaces its session rather than adding one.
    let resp = register(&s, &c, "grace2", PASSWORD).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(who(&s, &c).await.as_deref(), Some("grace2"));
    let sessions: i64 = db(&s)
        .query_row("SELECT count(*) FROM tower_sessions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(sessions, 1);
    s.stop().await;
}

#[tokio::test]
async fn a_handler_that_panics_answers_500_and_the_server_goes_on() {
    let boom = axum::Router::new().route(
        "/boom",
        axum::routing::get(|| async {
            if std::hint::black_box(true) {
                panic!("a bug in a handler");
            }
            "never"
        }),
    );
    let s = start_with_routes(boom).await;
    // One client, so the same kept-alive connection serves the request after the panic.
    let c = reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .build()
        .unwrap();
    for _ in 0..3 {
        let resp = c.get(s.url("/boom")).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(resp.headers().contains_key("x-request-id"));
        let ok = c.get(s.url("/healthz")).send().await.unwrap();
        assert_eq!(ok.status(), StatusCode::OK);
    }
    s.stop().await;
}

fn tight(model: u32, api: u32, register: u32, trust_proxy: bool) -> server::AppOptions {
    let minute = std::time::Duration::from_secs(60);
    let rate = |burst| server::limits::Rate { burst, per: minute };
    server::AppOptions {
        rates: server::limits::RatePolicy {
            model: rate(model),
            api: rate(api),
            register: rate(register),
        },
        trust_proxy,
        ..default_options()
    }
}

#[tokio::test]
async fn calls_that_make_the_interviewer_work_are_limited_per_user() {
    let s = start_with(tight(3, 1000, 1000, false)).await;
    let (ada, bob) = (browser(), browser());
    register(&s, &ada, "ada", PASSWORD).await;
    register(&s, &bob, "bob", PASSWORD).await;
    let i = new_interview(&s, &ada, "Loop", 1, &[1, 2], 3).await;
    turn_ok(&s, &ada, &i.id, "start", None).await;
    turn_ok(&s, &ada, &i.id, "hint", None).await;
    turn_ok(&s, &ada, &i.id, "skip", None).await;
    let resp = ada
        .post(s.url("/fn/take_turn"))
        .form(&[("interview_id", i.id.as_str()), ("action", "skip")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = resp.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=61).contains(&retry), "{retry}");
    assert_eq!(
        live(&s, &ada, &i.id).await.progress.current,
        2,
        "nothing happened"
    );
    // Another user is not held back by ada's calls.
    let j = new_interview(&s, &bob, "Loop", 1, &[1, 2], 3).await;
    turn_ok(&s, &bob, &j.id, "start", None).await;
    s.stop().await;
}

/// On PostgreSQL the limits live in the shared database: a user's API calls spread over two
/// servers count once. (A SQLite server keeps its limits in memory: there this shows each
/// server counting only its own.)
#[tokio::test]
async fn a_users_calls_spread_over_two_servers_count_once_on_postgres() {
    let a = start_with(server::AppOptions {
        node_id: "node-a".into(),
        ..tight(1000, 5, 1000, false)
    })
    .await;
    let b = start_on(
        &a.database,
        server::AppOptions {
            node_id: "node-b".into(),
            ..tight(1000, 5, 1000, false)
        },
    )
    .await;
    let ada = browser();
    register(&a, &ada, "ada", PASSWORD).await;
    let list = |s: &TestServer| ada.get(s.url("/api/v1/interviews")).send();
    for s in [&a, &b, &a, &b, &a] {
        assert_eq!(list(s).await.unwrap().status(), StatusCode::OK);
    }
    let sixth = list(&b).await.unwrap();
    let shared = matches!(a.database, app::store::Location::Postgres(_));
    if shared {
        assert_eq!(
            sixth.status(),
            StatusCode::TOO_MANY_REQUESTS,
            "counted on A and B"
        );
        let retry: u64 = sixth.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(
            (1..=13).contains(&retry),
            "one request's worth of a minute: {retry}"
        );
        assert_eq!(
            list(&a).await.unwrap().status(),
            StatusCode::TOO_MANY_REQUESTS
        );
    } else {
        assert_eq!(sixth.status(), StatusCode::OK, "B counts only its own");
    }
    // Another user is not held back by ada's calls, on either server.
    let bob = browser();
    register(&b, &bob, "bob", PASSWORD).await;
    let resp = bob.get(a.url("/api/v1/interviews")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    b.stop().await;
    a.stop().await;
}

#[tokio::test]
async fn matching_a_job_ad_counts_against_the_same_limit_by_either_door() {
    let s = start_with(tight(2, 1000, 1000, false)).await;
    let ada = browser();
    register(&s, &ada, "ada", PASSWORD).await;
    let (status, _) = call(&s, &ada, "match_job_ad", &[("ad", "Python developer")]).await;
    assert_eq!(status, StatusCode::OK);
    let form = page(&s, &ada, "/interviews/new?job_ad=Python+developer").await;
    assert_eq!(form.status(), StatusCode::OK);
    let (status, _) = call(&s, &ada, "match_job_ad", &[("ad", "Python developer")]).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let form = page(&s, &ada, "/interviews/new?job_ad=Python+developer").await;
    assert_eq!(form.status(), StatusCode::TOO_MANY_REQUESTS);
    // The setup page itself, without an ad, is not limited.
    assert_eq!(
        page(&s, &ada, "/interviews/new").await.status(),
        StatusCode::OK
    );
    s.stop().await;
}

#[tokio::test]
async fn the_json_api_is_limited_per_user_with_a_json_error() {
    let s = start_with(tight(1000, 5, 1000, false)).await;
    let ada = browser();
    register(&s, &ada, "ada", PASSWORD).await;
    for _ in 0..5 {
        let resp = ada.get(s.url("/api/v1/skills")).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
    }
    let resp = ada.get(s.url("/api/v1/skills")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(resp.headers().contains_key("retry-after"));
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    s.stop().await;
}

/// Registers `name` through a proxy that says the client is `forwarded`.
async fn register_via(s: &TestServer, name: &str, forwarded: &str) -> StatusCode {
    browser()
        .post(s.url("/auth/register"))
        .header("x-forwarded-for", forwarded)
        .form(&[("username", name), ("password", PASSWORD)])
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn registration_is_limited_per_address_and_a_trusted_proxy_names_the_address() {
    // Without --trust-proxy, X-Forwarded-For is ignored: one address, two registrations.
    let s = start_with(tight(1000, 1000, 2, false)).await;
    let post = |name, forwarded| register_via(&s, name, forwarded);
    assert_eq!(post("one", "198.51.100.1").await, StatusCode::SEE_OTHER);
    assert_eq!(post("two", "198.51.100.2").await, StatusCode::SEE_OTHER);
    assert_eq!(
        post("three", "198.51.100.3").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    s.stop().await;

    // Behind a trusted proxy each forwarded address has its own allowance; the proxy's last
    // entry counts, not what the client claims before it.
    let s = start_with(tight(1000, 1000, 2, true)).await;
    let post = |name, forwarded| register_via(&s, name, forwarded);
    assert_eq!(
        post("aa1", "10.0.0.9, 198.51.100.1").await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        post("aa2", "10.0.0.8, 198.51.100.1").await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        post("aa3", "10.0.0.7, 198.51.100.1").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(post("bb1", "198.51.100.2").await, StatusCode::SEE_OTHER);
    s.stop().await;
}

#[tokio::test]
async fn registration_does_not_reveal_which_emails_have_accounts() {
    let s = start().await;
    let register_with = |name: &'static str, email: &'static str| {
        let s = &s;
        async move {
            let c = browser();
            let resp = c
                .post(s.url("/auth/register"))
                .form(&[("username", name), ("email", email), ("password", PASSWORD)])
                .send()
                .await
                .unwrap();
            (resp.status(), location(&resp), who(s, &c).await)
        }
    };
    let first = register_with("owner", "owner@example.com").await;
    let probe = register_with("prober", "owner@example.com").await;
    let fresh = register_with("other", "fresh@example.com").await;
    // The probe is answered exactly like a registration with an unused address.
    assert_eq!((first.0, first.1.as_str()), (StatusCode::SEE_OTHER, "/"));
    assert_eq!((probe.0, probe.1.as_str()), (fresh.0, fresh.1.as_str()));
    assert_eq!(probe.2.as_deref(), Some("prober"));
    // The address stays with its owner; the prober's account has none.
    let emails: Vec<(String, Option<String>)> = db(&s)
        .prepare("SELECT username, email FROM Users ORDER BY username")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(
        emails,
        [
            ("other".into(), Some("fresh@example.com".into())),
            ("owner".into(), Some("owner@example.com".into())),
            ("prober".into(), None),
        ]
    );
    s.stop().await;
}
