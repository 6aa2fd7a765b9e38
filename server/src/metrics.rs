//! A Prometheus text endpoint, `/metrics`: requests and their latency by route and status,
//! replies being written, the interviewer model's latency and tokens, password hashes queued or
//! running, and how long writes wait for the database's one writer. Off unless a token is
//! configured (`--metrics-token`), and then answered only to `Authorization: Bearer <token>`:
//! route names and load figures are not for everyone.
//!
//! Written here rather than with a metrics crate: a handful of counters and histograms do not
//! need a registry, and the exporter crates bring their own HTTP servers.

use crate::AppState;
use app::stats::{Histogram, header};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header as http_header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::Ordering;
use std::time::Instant;

#[derive(Default)]
struct Route {
    latency: Histogram,
    by_status: BTreeMap<u16, u64>,
}

#[derive(Default)]
pub struct Metrics {
    /// By (method, route).
    requests: Mutex<BTreeMap<(String, String), Route>>,
}

impl Metrics {
    fn observe(&self, method: &str, route: &str, status: u16, took: std::time::Duration) {
        let mut requests = self.requests.lock().unwrap_or_else(|p| p.into_inner());
        let r = requests
            .entry((method.to_owned(), route.to_owned()))
            .or_default();
        r.latency.observe(took);
        *r.by_status.entry(status).or_default() += 1;
    }

    /// The exposition text.
    pub fn render(&self, state: &AppState) -> String {
        let mut out = String::new();
        let requests = self.requests.lock().unwrap_or_else(|p| p.into_inner());
        let labels = |method: &str, route: &str| {
            format!("method=\"{method}\",route=\"{}\"", route.escape_default())
        };
        header(
            &mut out,
            "pp_requests_total",
            "counter",
            "Requests answered, by method, route and status.",
        );
        for ((method, route), r) in requests.iter() {
            for (status, n) in &r.by_status {
                let _ = writeln!(
                    out,
                    "pp_requests_total{{{},status=\"{status}\"}} {n}",
                    labels(method, route)
                );
            }
        }
        header(
            &mut out,
            "pp_request_seconds",
            "histogram",
            "Time to the response's head, by method and route.",
        );
        for ((method, route), r) in requests.iter() {
            r.latency
                .render(&mut out, "pp_request_seconds", &labels(method, route));
        }
        drop(requests);

        let live = &state.live;
        single(
            &mut out,
            "pp_replies_writing",
            "gauge",
            "Interviewer replies being written now.",
            live.replies_writing() as u64,
        );
        let model = live.model_stats();
        header(
            &mut out,
            "pp_model_seconds",
            "histogram",
            "Interviewer model calls: time to the first token of a reply, to its end, and a whole report.",
        );
        model.first_token.render(
            &mut out,
            "pp_model_seconds",
            "call=\"reply\",until=\"first_token\"",
        );
        model
            .reply
            .render(&mut out, "pp_model_seconds", "call=\"reply\",until=\"end\"");
        model.report.render(
            &mut out,
            "pp_model_seconds",
            "call=\"report\",until=\"end\"",
        );
        single(
            &mut out,
            "pp_model_reply_tokens_total",
            "counter",
            "Tokens a model streamed in interviewer replies (one per streamed piece).",
            model.reply_tokens.load(Ordering::Relaxed),
        );
        single(
            &mut out,
            "pp_model_failures_total",
            "counter",
            "Model calls that gave no reply or no usable report.",
            model.failed.load(Ordering::Relaxed),
        );
        single(
            &mut out,
            "pp_password_hashes",
            "gauge",
            "Password hashes queued or running now.",
            app::auth::HASHING.in_use() as u64,
        );
        header(
            &mut out,
            "pp_db_write_wait_seconds",
            "histogram",
            "Time a database write waited for the single writer connection.",
        );
        state
            .db
            .write_wait()
            .render(&mut out, "pp_db_write_wait_seconds", "");
        out
    }
}

/// A metric with one value and no labels.
fn single(out: &mut String, name: &str, kind: &str, help: &str, value: u64) {
    header(out, name, kind, help);
    let _ = writeln!(out, "{name} {value}");
}

/// Counts every routed request (after routing, so the route is the pattern, never the id).
pub async fn record(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched".to_owned(), |m| m.as_str().to_owned());
    let method = request.method().to_string();
    let start = Instant::now();
    let response = next.run(request).await;
    state
        .metrics
        .observe(&method, &route, response.status().as_u16(), start.elapsed());
    response
}

/// `GET /metrics`: 404 unless a token is configured, 401 without it.
pub async fn endpoint(State(state): State<AppState>, request: Request) -> Response {
    let Some(token) = state.metrics_token.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = request
        .headers()
        .get(http_header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    // Compared in full whatever the input, so timing does not reveal a prefix.
    let ok = given.is_some_and(|g| {
        g.len() == token.len()
            && g.bytes()
                .zip(token.bytes())
                .fold(0, |a, (x, y)| a | (x ^ y))
                == 0
    });
    if !ok {
        return (
            StatusCode::UNAUTHORIZED,
            [(http_header::WWW_AUTHENTICATE, "Bearer")],
        )
            .into_response();
    }
    let text = state.metrics.render(&state);
    (
        [(http_header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        text,
    )
        .into_response()
}
