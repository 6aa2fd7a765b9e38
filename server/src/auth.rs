//! `/auth/register`, `/auth/signin`, `/auth/signout`: plain HTML form posts, so accounts work
//! without JavaScript. Each answers 303 See Other: to `next` on success, or back to the form
//! with an error code (never free text) and the non-secret fields on failure.

use crate::AppState;
use crate::limits::ClientAddr;
use crate::sessions;
use crate::throttle::Hold;
use app::auth::{self, AuthError};
use app::validate::{self, AccountError, MAX_EMAIL_CHARS, USERNAME_CHARS, local_path};
use axum::Extension;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
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

/// The largest account form accepted (413 above it): generous for the longest valid fields.
pub const MAX_FORM_BYTES: usize = 8 * 1024;

/// The longest `next` kept: longer ones are dropped rather than echoed into a header.
const MAX_NEXT_CHARS: usize = 512;

fn after_sign_in(next: &str) -> Redirect {
    Redirect::to(local_path(next).unwrap_or("/"))
}

/// A field is echoed back to the form only when it is within its limit, so an oversized value
/// never reaches a `Location` header.
fn echo(value: &str, max_chars: usize) -> &str {
    if value.chars().count() <= max_chars {
        value
    } else {
        ""
    }
}

/// Back to a form with an error code and the fields worth keeping (never the password).
pub(crate) fn back_to(
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
    crate::internal_error("account request failed", e)
}

/// Every password hasher is busy: refused at once, to be retried in a moment.
fn busy() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(axum::http::header::RETRY_AFTER, "1")],
        "The server cannot check passwords right now. Please try again in a moment.",
    )
        .into_response()
}

fn failed(e: AuthError, page: &str, keep: &[(&str, &str)]) -> Response {
    match e {
        AuthError::Account(e) => back_to(page, e, keep, &[]),
        AuthError::Busy => busy(),
        AuthError::Store(e) => internal(e),
    }
}

pub async fn register(
    State(state): State<AppState>,
    session: Session,
    Form(form): Form<RegisterForm>,
) -> Response {
    let keep = [
        (
            "username",
            echo(form.username.trim(), *USERNAME_CHARS.end()),
        ),
        ("email", echo(form.email.trim(), MAX_EMAIL_CHARS)),
        ("next", echo(&form.next, MAX_NEXT_CHARS)),
    ];
    // The current session is read now, so that after the account exists nothing needs the
    // store but the transaction that creates it.
    if let Err(e) = session.get_value(auth::SESSION_USER_KEY).await {
        return internal(e);
    }
    let registered = auth::register_with(
        &state.db,
        &form.username,
        &form.email,
        &form.password,
        sessions::create_signed_in,
    )
    .await;
    match registered {
        Ok((user, session_id)) => {
            if let Err(e) = sessions::adopt(&session, session_id, &user).await {
                return internal(e);
            }
            tracing::info!(user = %user.id, "registered");
            after_sign_in(&form.next).into_response()
        }
        Err(e) => failed(e, "/register", &keep),
    }
}

pub async fn sign_in(
    State(state): State<AppState>,
    // Absent when the router is driven without its middleware (in-process tests).
    client: Option<Extension<ClientAddr>>,
    session: Session,
    Form(form): Form<SignInForm>,
) -> Response {
    let next = echo(&form.next, MAX_NEXT_CHARS);
    // A name no account can have is refused before it is logged, counted or echoed.
    let Ok(username) = validate::username(&form.username) else {
        return back_to(
            "/signin",
            AccountError::WrongCredentials,
            &[("next", next)],
            &[],
        );
    };
    let keep = [("username", username.as_str()), ("next", next)];
    let check = auth::verify_credentials(&state.db, &username, &form.password);
    let user = match under_slowdown(&state, client, &username, "/signin", &keep, check).await {
        Ok(user) => user,
        Err(refused) => return refused,
    };
    if let Err(e) = auth::start_session(&session, &user).await {
        return internal(e);
    }
    tracing::info!(user = %user.id, "signed in");
    after_sign_in(&form.next).into_response()
}

/// Runs `check`, a check of `username`'s password, under the sign-in slowdown: refused at
/// once (back to `page` with `keep` and the wait) while the account or the address must wait,
/// recorded as a success when it passes, and back to `page` with the reason when it fails.
/// Every password check goes through here: signing in and the account page's actions.
pub(crate) async fn under_slowdown<T>(
    state: &AppState,
    // Absent when the router is driven without its middleware (in-process tests).
    client: Option<Extension<ClientAddr>>,
    username: &str,
    page: &str,
    keep: &[(&str, &str)],
    check: impl std::future::Future<Output = Result<T, AuthError>>,
) -> Result<T, Response> {
    let account = username.to_lowercase();
    let address = client
        .and_then(|Extension(ClientAddr(a))| a)
        .map(|a| a.to_string())
        .unwrap_or_default();
    match state.throttle.begin(&account, &address).await {
        Ok(()) => {}
        Err(Hold::Wait(wait)) => {
            tracing::warn!(account = %account, page, "password check throttled");
            return Err(back_to(
                page,
                AccountError::TooManyAttempts,
                keep,
                &[("retry", (wait.as_secs() + 1).to_string())],
            ));
        }
        Err(Hold::Unavailable) => return Err(busy()),
    }
    match check.await {
        Ok(value) => {
            state.throttle.succeeded(&account, &address).await;
            Ok(value)
        }
        Err(e) => {
            if matches!(e, AuthError::Account(AccountError::WrongCredentials)) {
                tracing::info!(account = %account, page, "password check failed");
            }
            Err(failed(e, page, keep))
        }
    }
}

pub async fn sign_out(session: Session) -> Response {
    // flush() deletes the session from the store and expires the cookie.
    match session.flush().await {
        Ok(()) => Redirect::to("/").into_response(),
        Err(e) => internal(e),
    }
}
