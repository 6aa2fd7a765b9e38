//! A real server on a random port with a fresh SQLite file, and HTTP clients that keep cookies.

#![allow(dead_code)] // each test binary uses a different part

pub mod local_model;
pub mod mock_llm;

use reqwest::header::{ACCEPT, LOCATION};
use reqwest::{Client, Response, StatusCode, redirect};
use server::throttle::ThrottlePolicy;
use server::{AppOptions, ConnectionLimits, app_with, leptos_options, serve_with};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::sync::oneshot;

pub struct TestServer {
    pub base: String,
    pub database: PathBuf,
    stop: Option<oneshot::Sender<()>>,
    handle: Option<tokio::task::JoinHandle<()>>,
    _dir: Option<tempfile::TempDir>,
}

pub fn default_options() -> AppOptions {
    AppOptions {
        secure_cookies: false,
        throttle: ThrottlePolicy::default(),
        interviewer: server::config::Interviewer::default(),
        rates: server::limits::RatePolicy::default(),
        trust_proxy: false,
        metrics_token: None,
        model_limits: Default::default(),
        node_id: "test-node".into(),
    }
}

pub async fn start() -> TestServer {
    start_with(default_options()).await
}

pub async fn start_with(options: AppOptions) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("test.sqlite3");
    let mut s = start_on(&database, options).await;
    s._dir = Some(dir);
    s
}

/// A server on an existing database file (to show what survives a restart).
pub async fn start_on(database: &Path, options: AppOptions) -> TestServer {
    start_limited(database, options, ConnectionLimits::default()).await
}

/// A server with its own connection limits, on a fresh database.
pub async fn start_with_limits(options: AppOptions, limits: ConnectionLimits) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("test.sqlite3");
    let mut s = start_limited(&database, options, limits).await;
    s._dir = Some(dir);
    s
}

async fn start_limited(
    database: &Path,
    options: AppOptions,
    limits: ConnectionLimits,
) -> TestServer {
    start_full(database, options, limits, axum::Router::new()).await
}

/// A server with routes of the test's own behind the app's middleware, on a fresh database.
pub async fn start_with_routes(extra: axum::Router<server::AppState>) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("test.sqlite3");
    let mut s = start_full(
        &database,
        default_options(),
        ConnectionLimits::default(),
        extra,
    )
    .await;
    s._dir = Some(dir);
    s
}

async fn start_full(
    database: &Path,
    options: AppOptions,
    limits: ConnectionLimits,
    extra: axum::Router<server::AppState>,
) -> TestServer {
    let leptos_options = leptos_options(Path::new("../Leptos.toml")).unwrap();
    let (router, _db) = app_with(leptos_options, database, options, extra)
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let handle = tokio::spawn(async move {
        serve_with(listener, router, limits, async {
            let _ = stopped.await;
        })
        .await
        .unwrap();
    });
    TestServer {
        base: format!("http://{addr}"),
        database: database.to_owned(),
        stop: Some(stop),
        handle: Some(handle),
        _dir: None,
    }
}

impl TestServer {
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(h) = self.handle.take() {
            let _ = tokio::time::timeout(Duration::from_secs(5), h).await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// A browser-like client: keeps cookies, does not follow redirects (tests look at them).
pub fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(redirect::Policy::none())
        .build()
        .unwrap()
}

pub fn location(resp: &Response) -> String {
    resp.headers()
        .get(LOCATION)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

pub fn session_cookie(resp: &Response) -> Option<String> {
    resp.headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("pp_session="))
}

pub async fn register(s: &TestServer, c: &Client, username: &str, password: &str) -> Response {
    c.post(s.url("/auth/register"))
        .form(&[
            ("username", username),
            ("password", password),
            ("next", "/interviews"),
        ])
        .send()
        .await
        .unwrap()
}

pub async fn sign_in(s: &TestServer, c: &Client, username: &str, password: &str) -> Response {
    c.post(s.url("/auth/signin"))
        .form(&[("username", username), ("password", password)])
        .send()
        .await
        .unwrap()
}

/// Calls a server function with url-encoded arguments (serde_qs keys such as `skill_ids[0]`).
pub async fn call(
    s: &TestServer,
    c: &Client,
    name: &str,
    args: &[(&str, &str)],
) -> (StatusCode, String) {
    let resp = c
        .post(s.url(&format!("/fn/{name}")))
        .form(args)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    (status, resp.text().await.unwrap())
}

/// `GET /api/v1/interviews/{id}` as `c`: the status and the body.
pub async fn get_interview(s: &TestServer, c: &Client, id: &str) -> (StatusCode, String) {
    let resp = c
        .get(s.url(&format!("/api/v1/interviews/{id}")))
        .send()
        .await
        .unwrap();
    let status = resp.status();
    (status, resp.text().await.unwrap())
}

/// A page as a browser asks for it.
pub async fn page(s: &TestServer, c: &Client, path: &str) -> Response {
    c.get(s.url(path))
        .header(ACCEPT, "text/html,application/xhtml+xml")
        .send()
        .await
        .unwrap()
}

pub async fn who(s: &TestServer, c: &Client) -> Option<String> {
    let (status, body) = call(s, c, "current_user", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let user: Option<app::model::User> = serde_json::from_str(&body).unwrap();
    user.map(|u| u.username)
}

pub const PASSWORD: &str = "correct horse battery staple";

/// An interview made through the setup server function, as the hydrated form does.
pub async fn new_interview(
    s: &TestServer,
    c: &Client,
    title: &str,
    type_id: i64,
    skill_ids: &[i64],
    question_count: u8,
) -> app::model::Interview {
    let type_id = type_id.to_string();
    let count = question_count.to_string();
    let skills: Vec<(String, String)> = skill_ids
        .iter()
        .enumerate()
        .map(|(i, id)| (format!("input[skill_ids][{i}]"), id.to_string()))
        .collect();
    let mut args: Vec<(&str, &str)> = vec![
        ("input[title]", title),
        ("input[interview_type_id]", &type_id),
        ("input[question_count]", &count),
        ("input[difficulty]", "mixed"),
    ];
    args.extend(skills.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let (status, body) = call(s, c, "setup_interview", &args).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    match serde_json::from_str(&body).unwrap() {
        app::api::SetupOutcome::Saved(interview) => *interview,
        other => panic!("not created: {other:?}"),
    }
}

/// Takes a turn; the reply is written in the background.
pub async fn turn(
    s: &TestServer,
    c: &Client,
    id: &str,
    action: &str,
    text: Option<&str>,
) -> (StatusCode, String) {
    turn_keyed(s, c, id, action, text, None).await
}

/// Takes a turn with the key the browser makes for it (`None`: no key, as older pages sent).
pub async fn turn_keyed(
    s: &TestServer,
    c: &Client,
    id: &str,
    action: &str,
    text: Option<&str>,
    key: Option<&str>,
) -> (StatusCode, String) {
    let mut args = vec![("interview_id", id), ("action", action)];
    if let Some(t) = text {
        args.push(("text", t));
    }
    if let Some(k) = key {
        args.push(("turn_key", k));
    }
    call(s, c, "take_turn", &args).await
}

pub async fn live(s: &TestServer, c: &Client, id: &str) -> app::model::LiveInterview {
    let (status, body) = call(s, c, "interview_live", &[("interview_id", id)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_str(&body).unwrap()
}

/// The interview once no reply is being written (at most 20 s).
pub async fn wait_idle(s: &TestServer, c: &Client, id: &str) -> app::model::LiveInterview {
    for _ in 0..400 {
        let l = live(s, c, id).await;
        if !l.replying {
            return l;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the reply never finished");
}

/// Takes a turn that must be accepted and waits for its reply.
pub async fn turn_ok(
    s: &TestServer,
    c: &Client,
    id: &str,
    action: &str,
    text: Option<&str>,
) -> app::model::LiveInterview {
    let (status, body) = turn(s, c, id, action, text).await;
    assert_eq!(status, StatusCode::OK, "{action}: {body}");
    wait_idle(s, c, id).await
}

/// Opens the reply stream and reads events (name, data decoded from JSON) until the stream
/// ends or a final event arrives.
pub async fn reply_events(s: &TestServer, c: &Client, id: &str) -> Vec<(String, String)> {
    let mut events = Vec::new();
    follow_reply(s, c, id, |name, data| {
        events.push((name.to_owned(), data.to_owned()))
    })
    .await;
    events
}

/// Opens the reply stream and hands each event (name, data decoded from JSON) to `on` as it
/// arrives, until the stream ends or a final event (done, failed, idle) has been handed over.
pub async fn follow_reply(s: &TestServer, c: &Client, id: &str, mut on: impl FnMut(&str, &str)) {
    use futures::StreamExt;
    let resp = c
        .get(s.url(&format!("/interviews/{id}/reply")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let mut body = resp.bytes_stream();
    let mut buf = String::new();
    while let Some(chunk) = body.next().await {
        buf.push_str(&String::from_utf8_lossy(&chunk.unwrap()));
        while let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            if let Some((name, data)) = parse_event(&block) {
                on(&name, &data);
                if app::model::ReplyEvent::from_name(&name).is_some_and(|e| e.is_final()) {
                    return;
                }
            }
        }
    }
}

pub fn parse_event(block: &str) -> Option<(String, String)> {
    let mut name = None;
    let mut data = Vec::new();
    for line in block.lines() {
        if let Some(v) = line.strip_prefix("event:") {
            name = Some(v.trim().to_owned());
        } else if let Some(v) = line.strip_prefix("data:") {
            data.push(v.strip_prefix(' ').unwrap_or(v).to_owned());
        }
    }
    let data = data.join("\n");
    let decoded = serde_json::from_str::<String>(&data).unwrap_or(data);
    name.map(|n| (n, decoded))
}

/// Direct read access to the test database, to check what is stored.
pub fn db(s: &TestServer) -> rusqlite::Connection {
    rusqlite::Connection::open(&s.database).unwrap()
}

pub fn count(s: &TestServer, sql: &str, id: &str) -> i64 {
    db(s).query_row(sql, [id], |r| r.get(0)).unwrap()
}

/// The bank's model answer to the interview's current question: an answer that shows its key
/// points, so the interviewer moves on without a follow-up.
pub fn strong_answer(s: &TestServer, interview_id: &str) -> String {
    db(s)
        .query_row(
            "SELECT q.model_answer FROM Interview_Questions iq
             JOIN Questions q ON q.question_id = iq.question_bank_id
             WHERE iq.interview_id = ?1 ORDER BY iq.order_in_interview DESC LIMIT 1",
            [interview_id],
            |r| r.get(0),
        )
        .unwrap()
}

/// The current question's probes and hint, as the bank has them.
pub fn current_rubric(s: &TestServer, interview_id: &str) -> (Vec<String>, String) {
    let conn = db(s);
    let bank_id: i64 = conn
        .query_row(
            "SELECT question_bank_id FROM Interview_Questions WHERE interview_id = ?1
             ORDER BY order_in_interview DESC LIMIT 1",
            [interview_id],
            |r| r.get(0),
        )
        .unwrap();
    let probes = conn
        .prepare("SELECT probe_text FROM Question_Probes WHERE question_id = ?1")
        .unwrap()
        .query_map([bank_id], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let hint = conn
        .query_row(
            "SELECT hint FROM Questions WHERE question_id = ?1",
            [bank_id],
            |r| r.get(0),
        )
        .unwrap();
    (probes, hint)
}

/// The nonce of a page's Content-Security-Policy and the page's HTML.
pub async fn csp_nonce_and_html(resp: Response) -> (String, String) {
    let csp = resp.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap_or_else(|| panic!("no nonce in {csp}"))
        .to_owned();
    (nonce, resp.text().await.unwrap())
}

/// The questions asked so far, in order, as the server words them ("Question 2 of 3, on Go:
/// …"), from the stored rows.
pub fn planned_questions(s: &TestServer, id: &str) -> Vec<String> {
    let conn = db(s);
    let total: i64 = conn
        .query_row(
            "SELECT coalesce(json_array_length(question_plan), question_count)
             FROM Interviews WHERE interview_id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT iq.order_in_interview, iq.question_text_snapshot, sk.skill_name
             FROM Interview_Questions iq LEFT JOIN Skills sk ON sk.skill_id = iq.skill_id
             WHERE iq.interview_id = ?1 ORDER BY iq.order_in_interview",
        )
        .unwrap();
    stmt.query_map([id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })
    .unwrap()
    .map(|r| match r.unwrap() {
        (n, text, Some(skill)) => format!("Question {n} of {total}, on {skill}: {text}"),
        (n, text, None) => format!("Question {n} of {total}: {text}"),
    })
    .collect()
}
