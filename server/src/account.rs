//! The account page's actions, plain form posts like signing in (they work without
//! JavaScript): changing the password, deleting the account with everything in it, and
//! downloading all of one's data as JSON. Each password check goes through the sign-in
//! slowdown (`auth::under_slowdown`), so a stolen session cannot be used to guess the password.

use crate::AppState;
use crate::api::{ApiError, ApiUser};
use crate::auth::{back_to, under_slowdown};
use crate::limits::ClientAddr;
use app::api::AppError;
use app::auth;
use app::validate::AccountError;
use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Deserialize)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
}

#[derive(Deserialize)]
pub struct DeleteForm {
    password: String,
    /// The "I understand" box.
    #[serde(default)]
    confirm: Option<String>,
}

pub async fn change_password(
    State(state): State<AppState>,
    client: Option<Extension<ClientAddr>>,
    session: Session,
    ApiUser(user): ApiUser,
    Form(form): Form<PasswordForm>,
) -> Response {
    let change =
        auth::change_password(&state.db, &user, &form.current_password, &form.new_password);
    let keep = [("form", "password")];
    if let Err(refused) =
        under_slowdown(&state, client, &user.username, "/account", &keep, change).await
    {
        return refused;
    }
    // A new session id: a session taken before the change does not outlive it.
    if let Err(e) = auth::start_session(&session, &user).await {
        return crate::internal_error("could not renew the session", e);
    }
    tracing::info!(user = %user.id, "password changed");
    Redirect::to("/account?saved=password").into_response()
}

pub async fn delete(
    State(state): State<AppState>,
    client: Option<Extension<ClientAddr>>,
    session: Session,
    ApiUser(user): ApiUser,
    Form(form): Form<DeleteForm>,
) -> Response {
    if form.confirm.is_none() {
        return back_to(
            "/account",
            AccountError::ConfirmDelete,
            &[("form", "delete")],
            &[],
        );
    }
    let delete = auth::delete_account(&state.db, &user, &form.password);
    let keep = [("form", "delete")];
    if let Err(refused) =
        under_slowdown(&state, client, &user.username, "/account", &keep, delete).await
    {
        return refused;
    }
    tracing::info!(user = %user.id, "account deleted");
    // The account is gone; so is this session (its cookie expires).
    if let Err(e) = session.flush().await {
        tracing::warn!(error = %e, "could not delete the session of a deleted account");
    }
    Redirect::to("/?deleted=1").into_response()
}

pub async fn export(State(state): State<AppState>, ApiUser(user): ApiUser) -> Response {
    match state.db.export_user(&user.id).await {
        Ok(data) => match serde_json::to_string_pretty(&data) {
            Ok(json) => (
                [
                    (CONTENT_TYPE, "application/json".to_owned()),
                    (
                        CONTENT_DISPOSITION,
                        format!(
                            "attachment; filename=\"perfect-pitch-{}.json\"",
                            user.username
                        ),
                    ),
                ],
                json,
            )
                .into_response(),
            Err(e) => crate::internal_error("could not write the export", e),
        },
        Err(e) => ApiError::from(AppError::from(e)).into_response(),
    }
}
