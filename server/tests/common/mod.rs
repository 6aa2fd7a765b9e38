//! A real server on a random port with a fresh SQLite file, and HTTP clients that keep cookies.

#![allow(dead_code)] // each test binary uses a different part

use reqwest::header::{ACCEPT, LOCATION};
use reqwest::{Client, Response, StatusCode, redirect};
use server::throttle::ThrottlePolicy;
use server::{AppOptions, app, leptos_options, serve};
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
    let leptos_options = leptos_options(Path::new("../Leptos.toml")).unwrap();
    let (router, _db) = app(leptos_options, database, options).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let handle = tokio::spawn(async move {
        serve(listener, router, async {
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
