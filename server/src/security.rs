//! Security headers on every response.
//!
//! Pages get a Content-Security-Policy with the per-render nonce Leptos puts on its inline
//! hydration script (set in `page_csp`); everything else gets the same policy without a nonce.
//! `'wasm-unsafe-eval'` lets the hydration bundle compile; nothing else runs inline.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::LazyLock;

/// cargo-leptos's live reload talks over a websocket; allowed only under `cargo leptos watch`.
/// Read once: the environment does not change while the server runs.
static CONNECT_SRC: LazyLock<&'static str> = LazyLock::new(|| {
    if std::env::var_os("LEPTOS_WATCH").is_some() {
        "'self' ws: wss:"
    } else {
        "'self'"
    }
});

fn policy(nonce: Option<&str>) -> String {
    let script = match nonce {
        Some(n) => format!("'self' 'nonce-{n}' 'wasm-unsafe-eval'"),
        None => "'self' 'wasm-unsafe-eval'".to_owned(),
    };
    format!(
        "default-src 'self'; script-src {script}; style-src 'self'; img-src 'self' data:; \
         connect-src {}; font-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'",
        *CONNECT_SRC
    )
}

/// Responses other than pages share one policy, made once.
static DEFAULT_POLICY: LazyLock<Option<HeaderValue>> =
    LazyLock::new(|| HeaderValue::from_str(&policy(None)).ok());

/// Called while a page renders: the CSP that admits this render's inline script.
pub fn page_csp() {
    use leptos::prelude::use_context;
    if let (Some(nonce), Some(resp)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) && let Ok(value) = HeaderValue::from_str(&policy(Some(&nonce)))
    {
        resp.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

pub async fn headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    if !h.contains_key(header::CONTENT_SECURITY_POLICY)
        && let Some(value) = DEFAULT_POLICY.clone()
    {
        h.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// Refuses unsafe requests (anything but GET, HEAD, OPTIONS, TRACE) that a browser says come
/// from another origin, with 403: login CSRF and cross-site changes, from other sites and from
/// same-site neighbours (another port, a sibling subdomain) alike.
///
/// Browsers send `Sec-Fetch-Site`; it is trusted when present ("same-origin" and "none" — typed
/// or bookmarked — pass). Older browsers send only `Origin`, whose host must be this request's
/// `Host`. A request with neither (curl, scripts, server-to-server) is not a browser acting for
/// someone else and passes, so the JSON API and the forms keep working from the command line.
pub async fn same_origin_only(request: Request, next: Next) -> Response {
    use axum::http::{Method, StatusCode};
    let method = request.method();
    if matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    ) {
        return next.run(request).await;
    }
    let h = request.headers();
    let text = |name: header::HeaderName| h.get(name).and_then(|v| v.to_str().ok());
    let cross = match text(header::HeaderName::from_static("sec-fetch-site")) {
        Some(site) => !matches!(site, "same-origin" | "none"),
        None => match text(header::ORIGIN) {
            Some(origin) => {
                let origin_host = origin.split_once("://").map(|(_, rest)| rest);
                origin_host.is_none() || origin_host != text(header::HOST)
            }
            None => false,
        },
    };
    if !cross {
        return next.run(request).await;
    }
    let path = request.uri().path().to_owned();
    tracing::warn!(method = %request.method(), path = %path.escape_debug(), "cross-site request refused");
    let message = "This request came from another site, so it was refused.";
    if path.starts_with("/api/") {
        crate::api::ApiError::new(StatusCode::FORBIDDEN, "cross_site", message).into_response()
    } else {
        (StatusCode::FORBIDDEN, message).into_response()
    }
}
