//! `/auth/register`, `/auth/signin`, `/auth/signout`: plain HTML form posts, so accounts work
//! without JavaScript. Each answers 303 See Other: to `next` on success, or back to the form
//! with an error code (never free text) and the non-secret fields on failure.

use crate::AppState;
use app::auth::{self, AuthError};
use app::validate::{AccountError, local_path};
use axum::Extension;
use axum::Form;
use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::net::SocketAddr;
use tower_sessions::Session;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SignInForm {
    username: String,
    password: String,
    next: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RegisterForm {
    username: String,
    email: String,
    password: String,
    next: String,
}

fn after_sign_in(next: &str) -> Redirect {
    Redirect::to(local_path(next).unwrap_or("/"))
}

/// Back to a form with an error code and the fields worth keeping (never the password).
fn back_to(
    page: &str,
    error: AccountError,
    fields: &[(&str, &str)],
    extra: &[(&str, String)],
) -> Response {
    let mut query: Vec<(&str, &str)> = vec![("error", error.code())];
    query.extend(fields.iter().filter(|(_, v)| !v.is_empty()));
    query.extend(extra.iter().map(|(k, v)| (*k, v.as_str())));
    let qs = serde_urlencoded::to_string(&query).unwrap_or_default();
    Redirect::to(&format!("{page}?{qs}")).into_response()
}

fn internal(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "account request failed");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong on our side. Please try again.",
    )
        .into_response()
}

pub async fn register(
    State(state): State<AppState>,
    session: Session,
    Form(form): Form<RegisterForm>,
) -> Response {
    let keep = [
        ("username", form.username.trim()),
        ("email", form.email.trim()),
        ("next", form.next.as_str()),
    ];
    match auth::register(&state.db, &form.username, &form.email, &form.password).await {
        Ok(user) => {
            if let Err(e) = auth::start_session(&session, &user).await {
                return internal(e);
            }
            tracing::info!(user = %user.id, "registered");
            after_sign_in(&form.next).into_response()
        }
        Err(AuthError::Account(e)) => back_to("/register", e, &keep, &[]),
        Err(AuthError::Store(e)) => internal(e),
    }
}

pub async fn sign_in(
    State(state): State<AppState>,
    // Absent when the router is driven without a socket (in-process tests).
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    session: Session,
    Form(form): Form<SignInForm>,
) -> Response {
    let account_key = format!("user:{}", form.username.trim().to_lowercase());
    let address_key = format!(
        "ip:{}",
        connect
            .map(|Extension(ConnectInfo(a))| a.ip().to_string())
            .unwrap_or_default()
    );
    let keys = [account_key.clone(), address_key];
    let keep = [
        ("username", form.username.trim()),
        ("next", form.next.as_str()),
    ];

    if let Some(wait) = state.throttle.retry_after(&keys) {
        tracing::warn!(account = %account_key, "sign-in throttled");
        let seconds = wait.as_secs() + 1;
        return back_to(
            "/signin",
            AccountError::TooManyAttempts,
            &keep,
            &[("retry", seconds.to_string())],
        );
    }
    match auth::verify_credentials(&state.db, &form.username, &form.password).await {
        Ok(user) => {
            state.throttle.record_success(&account_key);
            if let Err(e) = auth::start_session(&session, &user).await {
                return internal(e);
            }
            tracing::info!(user = %user.id, "signed in");
            after_sign_in(&form.next).into_response()
        }
        Err(AuthError::Account(e)) => {
            state.throttle.record_failure(&keys);
            tracing::info!(account = %account_key, "sign-in failed");
            back_to("/signin", e, &keep, &[])
        }
        Err(AuthError::Store(e)) => internal(e),
    }
}

pub async fn sign_out(session: Session) -> Response {
    // flush() deletes the session from the store and expires the cookie.
    match session.flush().await {
        Ok(()) => Redirect::to("/").into_response(),
        Err(e) => internal(e),
    }
}
