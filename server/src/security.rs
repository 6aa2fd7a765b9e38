//! Security headers on every response.
//!
//! Pages get a Content-Security-Policy with the per-render nonce Leptos puts on its inline
//! hydration script (set in `page_csp`); everything else gets the same policy without a nonce.
//! `'wasm-unsafe-eval'` lets the hydration bundle compile; nothing else runs inline.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
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
