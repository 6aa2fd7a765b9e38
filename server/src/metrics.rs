//! A Prometheus text endpoint, `/metrics`: requests and their latency by route and status,
//! replies being written, and password hashes queued or running. Off unless a token is
//! configured (`--metrics-token`), and then answered only to `Authorization: Bearer <token>`:
//! route names and load figures are not for everyone.
//!
//! Written here rather than with a metrics crate: a handful of counters and one histogram do
//! not need a registry, and the exporter crates bring their own HTTP servers.

use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Instant;

/// Upper bounds (seconds) of the latency histogram's buckets.
const BUCKETS: [f64; 9] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1.0, 5.0];

#[derive(Default)]
struct Series {
    count: u64,
    sum: f64,
    /// Requests at or under each bound in `BUCKETS`.
    buckets: [u64; BUCKETS.len()],
}

#[derive(Default)]
pub struct Metrics {
    /// By (method, route, status).
    requests: Mutex<BTreeMap<(String, String, u16), Series>>,
}

impl Metrics {
    fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let mut requests = self.requests.lock().unwrap_or_else(|p| p.into_inner());
        let s = requests
            .entry((method.to_owned(), route.to_owned(), status))
            .or_default();
        s.count += 1;
        s.sum += seconds;
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                s.buckets[i] += 1;
            }
        }
    }

    /// The exposition text.
    pub fn render(&self, replies_writing: usize, hashes_in_use: usize) -> String {
        let mut out = String::new();
        let requests = self.requests.lock().unwrap_or_else(|p| p.into_inner());
        out.push_str("# HELP pp_requests_total Requests answered, by method, route and status.\n");
        out.push_str("# TYPE pp_requests_total counter\n");
        for ((method, route, status), s) in requests.iter() {
            let _ = writeln!(
                out,
                "pp_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {}",
                route.escape_default(),
                s.count
            );
        }
        out.push_str(
            "# HELP pp_request_seconds Time to the response's head, by method and route.\n",
        );
        out.push_str("# TYPE pp_request_seconds histogram\n");
        let mut by_route: BTreeMap<(&str, &str), Series> = BTreeMap::new();
        for ((method, route, _), s) in requests.iter() {
            let t = by_route.entry((method, route)).or_default();
            t.count += s.count;
            t.sum += s.sum;
            for (i, b) in s.buckets.iter().enumerate() {
                t.buckets[i] += b;
            }
        }
        for ((method, route), s) in &by_route {
            let labels = format!("method=\"{method}\",route=\"{}\"", route.escape_default());
            for (bound, n) in BUCKETS.iter().zip(s.buckets) {
                let _ = writeln!(
                    out,
                    "pp_request_seconds_bucket{{{labels},le=\"{bound}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "pp_request_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                s.count
            );
            let _ = writeln!(out, "pp_request_seconds_sum{{{labels}}} {}", s.sum);
            let _ = writeln!(out, "pp_request_seconds_count{{{labels}}} {}", s.count);
        }
        out.push_str("# HELP pp_replies_writing Interviewer replies being written now.\n");
        out.push_str("# TYPE pp_replies_writing gauge\n");
        let _ = writeln!(out, "pp_replies_writing {replies_writing}");
        out.push_str("# HELP pp_password_hashes Password hashes queued or running now.\n");
        out.push_str("# TYPE pp_password_hashes gauge\n");
        let _ = writeln!(out, "pp_password_hashes {hashes_in_use}");
        out
    }
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
    state.metrics.observe(
        &method,
        &route,
        response.status().as_u16(),
        start.elapsed().as_secs_f64(),
    );
    response
}

/// `GET /metrics`: 404 unless a token is configured, 401 without it.
pub async fn endpoint(State(state): State<AppState>, request: Request) -> Response {
    let Some(token) = state.metrics_token.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
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
            [(header::WWW_AUTHENTICATE, "Bearer")],
        )
            .into_response();
    }
    let text = state
        .metrics
        .render(state.live.replies_writing(), app::auth::HASHING.in_use());
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response()
}
