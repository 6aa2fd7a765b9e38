//! Request-rate limits (the `governor` crate's keyed GCRA limiters): per signed-in user — per
//! address when signed out — on the calls that make the interviewer work (a turn, a report
//! regenerated) and on the JSON API; per address on registration. Over the limit a request
//! answers 429 with `Retry-After`, before any work is done.
//!
//! Servers on PostgreSQL keep the limits' state in the shared database (`Db::take_rate`), so
//! a user's requests spread over several servers count once; a SQLite server keeps it in
//! memory (a write per API request through SQLite's one writer would cost more than it saves).
//!
//! The client address is the socket's, or — with `--trust-proxy`, behind a reverse proxy that
//! appends to `X-Forwarded-For` — the last address in that header (the one the proxy saw;
//! earlier entries are the client's own claims and cannot be trusted).

use crate::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::time::Duration;

/// How often each kind of call may be made: `per` replenishes `burst` calls.
#[derive(Clone, Copy, Debug)]
pub struct Rate {
    pub burst: u32,
    pub per: Duration,
}

#[derive(Clone, Copy, Debug)]
pub struct RatePolicy {
    /// Turns and report regeneration, per user.
    pub model: Rate,
    /// Any `/api/v1` request, per user.
    pub api: Rate,
    /// Registrations, per address.
    pub register: Rate,
}

/// `--model-calls-per-minute` and `--api-requests-per-minute` (`config.rs`) default to these
/// (their period is a minute).
impl Default for RatePolicy {
    fn default() -> Self {
        RatePolicy {
            model: Rate {
                burst: 20,
                per: Duration::from_secs(60),
            },
            api: Rate {
                burst: 300,
                per: Duration::from_secs(60),
            },
            // Enough for a class behind one address, far too few for a flood.
            register: Rate {
                burst: 60,
                per: Duration::from_secs(3600),
            },
        }
    }
}

fn limiter(rate: Rate) -> DefaultKeyedRateLimiter<String> {
    let burst = NonZeroU32::new(rate.burst.max(1)).expect("at least 1");
    let quota = Quota::with_period(rate.per / burst.get())
        .unwrap_or_else(|| Quota::per_second(burst))
        .allow_burst(burst);
    DefaultKeyedRateLimiter::keyed(quota)
}

pub struct RateLimits {
    policy: RatePolicy,
    model: DefaultKeyedRateLimiter<String>,
    api: DefaultKeyedRateLimiter<String>,
    register: DefaultKeyedRateLimiter<String>,
}

/// The kinds of call limited, each with its own limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Model,
    Api,
    Register,
}

impl RateLimits {
    pub fn new(p: RatePolicy) -> RateLimits {
        RateLimits {
            policy: p,
            model: limiter(p.model),
            api: limiter(p.api),
            register: limiter(p.register),
        }
    }

    /// Takes one call of `kind` for `key`: `Ok`, or how long to wait. In the database when
    /// the store shares limits between servers, else in this server's memory. If the
    /// database cannot be asked, the call goes ahead: it needs the same database and fails
    /// on its own.
    async fn take(&self, db: &app::store::Db, kind: Kind, key: &str) -> Result<(), Duration> {
        let (limiter, rate, name) = match kind {
            Kind::Model => (&self.model, self.policy.model, "model"),
            Kind::Api => (&self.api, self.policy.api, "api"),
            Kind::Register => (&self.register, self.policy.register, "register"),
        };
        match db
            .take_rate(&format!("{name}:{key}"), rate.burst, rate.per)
            .await
        {
            Ok(Some(verdict)) => verdict,
            Ok(None) => limiter.check_key(&key.to_owned()).map_err(|not_until| {
                not_until.wait_time_from(governor::clock::Clock::now(
                    &governor::clock::DefaultClock::default(),
                ))
            }),
            Err(e) => {
                tracing::warn!(error = %e, "the shared rate limits could not be read");
                Ok(())
            }
        }
    }

    /// Forgets keys whose limits have fully recovered (called now and then, so the maps stay
    /// small under a flood of addresses).
    pub fn tidy(&self) {
        for l in [&self.model, &self.api, &self.register] {
            l.retain_recent();
            l.shrink_to_fit();
        }
    }
}

/// The client's address as this server trusts it; put in every request's extensions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub Option<IpAddr>);

/// Works out [`ClientAddr`]: the socket's address, or the proxy's last `X-Forwarded-For` entry
/// when the proxy is trusted.
pub async fn client_addr(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let socket = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(a)| a.ip());
    let forwarded = state
        .trust_proxy
        .then(|| {
            request
                .headers()
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .last()
                .and_then(|a| a.trim().parse::<IpAddr>().ok())
        })
        .flatten();
    request
        .extensions_mut()
        .insert(ClientAddr(forwarded.or(socket)));
    next.run(request).await
}

/// Refuses a request over its limit with 429 and `Retry-After`.
pub async fn limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let post = request.method() == Method::POST;
    // Everything that may call the model: a turn, a report, and matching a job ad (by its
    // server function, or by the setup page's GET form rendering it on the server).
    let job_ad_page = path == "/interviews/new"
        && request
            .uri()
            .query()
            .is_some_and(|q| q.split('&').any(|p| p.starts_with("job_ad=")));
    let which = if (post
        && matches!(
            path,
            "/fn/take_turn" | "/fn/regenerate_report" | "/fn/match_job_ad"
        ))
        || job_ad_page
    {
        Some((Kind::Model, false))
    } else if path.starts_with("/api/v1/") {
        Some((Kind::Api, false))
    } else if post && path == "/auth/register" {
        Some((Kind::Register, true))
    } else {
        None
    };
    let Some((kind, by_address)) = which else {
        return next.run(request).await;
    };
    let addr = request
        .extensions()
        .get::<ClientAddr>()
        .and_then(|a| a.0)
        .map_or_else(|| "unknown".to_owned(), |a| a.to_string());
    let user = if by_address {
        None
    } else {
        match request.extensions().get::<tower_sessions::Session>() {
            Some(session) => session
                .get::<String>(app::auth::SESSION_USER_KEY)
                .await
                .ok()
                .flatten(),
            None => None,
        }
    };
    let key = match user {
        Some(id) => format!("user:{id}"),
        None => format!("ip:{addr}"),
    };
    match state.limits.take(&state.db, kind, &key).await {
        Ok(()) => next.run(request).await,
        Err(wait) => too_many(request.uri().path(), wait),
    }
}

fn too_many(path: &str, wait: Duration) -> Response {
    let seconds = wait.as_secs() + 1;
    let message = format!("Too many requests. Please wait {seconds} seconds and try again.");
    let mut response = if path.starts_with("/api/") {
        crate::api::ApiError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", message)
            .into_response()
    } else {
        (StatusCode::TOO_MANY_REQUESTS, message).into_response()
    };
    if let Ok(v) = HeaderValue::from_str(&seconds.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    response
}
