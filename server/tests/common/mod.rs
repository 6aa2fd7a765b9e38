//! A real server on a random port with a fresh database, and HTTP clients that keep cookies.
//!
//! The database is a SQLite file in a temporary folder; with `PP_TEST_POSTGRES` set (the URL of
//! a PostgreSQL cluster, in a build with `--features postgres`), it is a new database on that
//! cluster instead, copied from a migrated template: the same tests, on the other store.

#![allow(dead_code)] // each test binary uses a different part

pub mod local_model;
pub mod mock_llm;

use app::store::Location;
use reqwest::header::{ACCEPT, LOCATION};
use reqwest::{Client, Response, StatusCode, redirect};
use server::throttle::ThrottlePolicy;
use server::{AppOptions, ConnectionLimits, app_with, leptos_options, serve_with};
use std::path::Path;
use std::time::Duration;
use tokio::sync::oneshot;

pub struct TestServer {
    pub base: String,
    pub database: Location,
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
        pg: Default::default(),
    }
}

pub async fn start() -> TestServer {
    start_with(default_options()).await
}

pub async fn start_with(options: AppOptions) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let database = fresh_database(dir.path()).await;
    let mut s = start_on(&database, options).await;
    s._dir = Some(dir);
    s
}

/// The PostgreSQL cluster the tests run on, if any (`PP_TEST_POSTGRES`).
pub fn test_postgres() -> Option<String> {
    std::env::var("PP_TEST_POSTGRES")
        .ok()
        .filter(|u| !u.is_empty())
}

/// A new, empty (migrated) database: a SQLite file in `dir`, or a PostgreSQL database on the
/// test cluster.
pub async fn fresh_database(dir: &Path) -> Location {
    match test_postgres() {
        None => Location::Sqlite(dir.join("test.sqlite3")),
        Some(cluster) => postgres::fresh(&cluster).await,
    }
}

#[cfg(not(feature = "postgres"))]
mod postgres {
    pub async fn fresh(_: &str) -> app::store::Location {
        panic!("PP_TEST_POSTGRES is set, but these tests were built without `--features postgres`")
    }

    pub async fn query_i64(_: &str, _: &str) -> i64 {
        unreachable!()
    }

    pub async fn execute(_: &str, _: &str) {
        unreachable!()
    }

    pub async fn query_text(_: &str, _: &str) -> String {
        unreachable!()
    }

    pub type Table = (String, Vec<String>, Vec<Vec<Option<String>>>);

    pub async fn tables(_: &str) -> Vec<Table> {
        unreachable!()
    }
}

#[cfg(feature = "postgres")]
mod postgres {
    use app::store::{Location, pg};
    use std::sync::atomic::{AtomicU32, Ordering};

    /// `url` with its database name replaced by `name`.
    fn with_database(url: &str, name: &str) -> String {
        let (main, query) = url.split_once('?').unwrap_or((url, ""));
        let (server, _) = main.rsplit_once('/').expect("a database in the URL");
        format!("{server}/{name}?{query}")
    }

    /// A database per test server, copied from a template migrated once per test run (the
    /// catalogue copy takes a second; the template copy a few milliseconds).
    pub async fn fresh(cluster: &str) -> Location {
        static TEMPLATE: tokio::sync::Mutex<bool> = tokio::sync::Mutex::const_new(false);
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let mut ready = TEMPLATE.lock().await;
        let admin = pg::connect(&with_database(cluster, "postgres"))
            .await
            .unwrap();
        let template = format!("pp_template_{}", std::process::id());
        if !*ready {
            admin
                .batch_execute(&format!("CREATE DATABASE {template}"))
                .await
                .unwrap();
            let mut client = pg::connect(&with_database(cluster, &template))
                .await
                .unwrap();
            pg::migrate(&mut client).await.unwrap();
            *ready = true;
        }
        let name = format!(
            "pp_test_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        // The template's own connection may take a moment to close after its client is dropped;
        // until it has, PostgreSQL refuses to copy the template.
        let mut tries = 0;
        while let Err(e) = admin
            .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
            .await
        {
            tries += 1;
            assert!(tries < 50, "cannot copy the template: {e}");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        Location::Postgres(with_database(cluster, &name))
    }

    pub async fn query_i64(url: &str, sql: &str) -> i64 {
        let client = pg::connect(url).await.unwrap();
        client.query_one(sql, &[]).await.unwrap().get(0)
    }

    pub async fn execute(url: &str, sql: &str) {
        let client = pg::connect(url).await.unwrap();
        client.batch_execute(sql).await.unwrap();
    }

    pub async fn query_text(url: &str, sql: &str) -> String {
        let client = pg::connect(url).await.unwrap();
        client.query_one(sql, &[]).await.unwrap().get(0)
    }

    /// A table's name, its columns, and its rows as text (NULL as `None`).
    pub type Table = (String, Vec<String>, Vec<Vec<Option<String>>>);

    /// Every table of the app's with its rows as text, as SQLite holds them: booleans as
    /// 0 and 1, times as `pp_time` writes them.
    pub async fn tables(url: &str) -> Vec<Table> {
        use pg::tokio_postgres::SimpleQueryMessage;
        let client = pg::connect(url).await.unwrap();
        let names: Vec<String> = client
            .query(
                "SELECT table_name::text FROM information_schema.tables
                 WHERE table_schema = 'public' AND table_name <> 'schema_migrations'
                 ORDER BY 1",
                &[],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        let mut out = Vec::new();
        for table in names {
            let columns: Vec<(String, String)> = client
                .query(
                    "SELECT column_name::text, data_type::text FROM information_schema.columns
                     WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
                    &[&table],
                )
                .await
                .unwrap()
                .iter()
                .map(|r| (r.get(0), r.get(1)))
                .collect();
            let select: Vec<String> = columns
                .iter()
                .map(|(name, ty)| match ty.as_str() {
                    "boolean" => format!("{name}::int"),
                    t if t.starts_with("timestamp") => format!("pp_time({name})"),
                    _ => name.clone(),
                })
                .collect();
            let rows = client
                .simple_query(&format!("SELECT {} FROM {table}", select.join(", ")))
                .await
                .unwrap()
                .into_iter()
                .filter_map(|m| match m {
                    SimpleQueryMessage::Row(row) => Some(
                        (0..row.len())
                            .map(|i| row.get(i).map(str::to_owned))
                            .collect(),
                    ),
                    _ => None,
                })
                .collect();
            out.push((table, columns.into_iter().map(|c| c.0).collect(), rows));
        }
        out
    }
}

/// The one number `sql` (written for both stores) selects from the server's database.
pub async fn query_i64(database: &Location, sql: &str) -> i64 {
    match database {
        Location::Sqlite(path) => rusqlite::Connection::open(path)
            .unwrap()
            .query_row(sql, [], |r| r.get(0))
            .unwrap(),
        Location::Postgres(url) => postgres::query_i64(url, sql).await,
    }
}

/// The one text `sql` (written for both stores) selects from the server's database.
pub async fn query_text(database: &Location, sql: &str) -> String {
    match database {
        Location::Sqlite(path) => rusqlite::Connection::open(path)
            .unwrap()
            .query_row(sql, [], |r| r.get(0))
            .unwrap(),
        Location::Postgres(url) => postgres::query_text(url, sql).await,
    }
}

/// Runs `sql` (statements written for both stores) on the server's database.
pub async fn execute(database: &Location, sql: &str) {
    match database {
        Location::Sqlite(path) => rusqlite::Connection::open(path)
            .unwrap()
            .execute_batch(sql)
            .unwrap(),
        Location::Postgres(url) => postgres::execute(url, sql).await,
    }
}

/// A server on an existing database (to show what survives a restart).
pub async fn start_on(database: &Location, options: AppOptions) -> TestServer {
    start_limited(database, options, ConnectionLimits::default()).await
}

/// A server with its own connection limits, on a fresh database.
pub async fn start_with_limits(options: AppOptions, limits: ConnectionLimits) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let database = fresh_database(dir.path()).await;
    let mut s = start_limited(&database, options, limits).await;
    s._dir = Some(dir);
    s
}

async fn start_limited(
    database: &Location,
    options: AppOptions,
    limits: ConnectionLimits,
) -> TestServer {
    start_full(database, options, limits, axum::Router::new()).await
}

/// A server with routes of the test's own behind the app's middleware, on a fresh database.
pub async fn start_with_routes(extra: axum::Router<server::AppState>) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let database = fresh_database(dir.path()).await;
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
    database: &Location,
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
        database: database.clone(),
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
///
/// On PostgreSQL it is a read-only copy in memory: every table's rows copied into the SQLite
/// schema (which has the same tables and columns, `app/tests/postgres_schema.rs`), so a check
/// is written once, in one dialect, and reads the same on both stores. Changes go through
/// [`execute`] or [`execute_each`] instead.
pub fn db(s: &TestServer) -> rusqlite::Connection {
    match &s.database {
        Location::Sqlite(path) => rusqlite::Connection::open(path).unwrap(),
        Location::Postgres(url) => {
            let url = url.clone();
            // The async client on a runtime of its own: `db` is called from synchronous
            // helpers inside the tests' runtime.
            let tables = std::thread::spawn(move || {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap()
                    .block_on(postgres::tables(&url))
            })
            .join()
            .unwrap();
            let mut conn = rusqlite::Connection::open_in_memory().unwrap();
            app::store::migrate(&mut conn).unwrap();
            conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
            for (table, columns, rows) in tables {
                conn.execute(&format!("DELETE FROM {table}"), []).unwrap();
                let marks = vec!["?"; columns.len()].join(", ");
                let mut insert = conn
                    .prepare(&format!(
                        "INSERT INTO {table} ({}) VALUES ({marks})",
                        columns.join(", ")
                    ))
                    .unwrap();
                for row in rows {
                    // Numbers arrive as text; the columns' affinity makes them numbers again.
                    insert.execute(rusqlite::params_from_iter(row)).unwrap();
                }
            }
            conn.execute_batch("PRAGMA query_only = ON").unwrap();
            conn
        }
    }
}

/// The store `/healthz` should name for this server's database, and its schema version.
pub fn store_and_schema(database: &Location) -> (&'static str, usize) {
    match database {
        Location::Sqlite(_) => ("sqlite", app::store::migration_files().len()),
        #[cfg(feature = "postgres")]
        Location::Postgres(_) => ("postgres", app::store::pg::steps().len()),
        #[cfg(not(feature = "postgres"))]
        Location::Postgres(_) => unreachable!("no PostgreSQL store in this build"),
    }
}

/// Runs a change written for each store's dialect (`sqlite`, `postgres`) on the server's
/// database: for the few checks that move time or inject a fault.
pub async fn execute_each(database: &Location, sqlite: &str, postgres: &str) {
    match database {
        Location::Sqlite(_) => execute(database, sqlite).await,
        Location::Postgres(_) => execute(database, postgres).await,
    }
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
