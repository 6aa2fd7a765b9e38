//! Server functions: thin wrappers that find the signed-in user, check ownership, call one store
//! function and turn its error into a status and a message fit for the user. Business rules
//! live in `store`, `auth` and `validate`.

mod account;
mod catalog;
mod interviews;
mod live;

pub use account::*;
pub use catalog::*;
pub use interviews::*;
pub use live::*;

use leptos::prelude::ServerFnError;

/// The prefix of every server function's URL; `/api/v1` is the JSON API's.
pub const SERVER_FN_PREFIX: &str = "/fn";

#[cfg(feature = "ssr")]
pub(crate) fn db() -> Result<crate::store::Db, ServerFnError> {
    leptos::prelude::use_context::<crate::store::Db>()
        .ok_or_else(|| ServerFnError::new("the store is not available"))
}

/// The HTTP status that fits a store error.
#[cfg(feature = "ssr")]
pub fn status_of(e: &crate::store::StoreError) -> axum::http::StatusCode {
    use crate::store::StoreError::*;
    use axum::http::StatusCode;
    match e {
        NotFound(_) => StatusCode::NOT_FOUND,
        Duplicate { .. } | Conflict(_) => StatusCode::CONFLICT,
        Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        Busy => StatusCode::SERVICE_UNAVAILABLE,
        Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

#[cfg(feature = "ssr")]
fn set_status(status: axum::http::StatusCode) {
    if let Some(resp) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(status);
    }
}

/// A store error as the user should read it, with its HTTP status set on the response;
/// internal details stay in the log.
#[cfg(feature = "ssr")]
pub(crate) fn user_error(e: crate::store::StoreError) -> ServerFnError {
    set_status(status_of(&e));
    ServerFnError::new(e.to_string())
}

/// The signed-in user, if any.
#[cfg(feature = "ssr")]
pub(crate) async fn signed_in_user() -> Result<Option<crate::model::User>, ServerFnError> {
    let session: tower_sessions::Session = leptos_axum::extract()
        .await
        .map_err(|_| ServerFnError::new("sessions are not available"))?;
    crate::auth::session_user(&db()?, &session)
        .await
        .map_err(user_error)
}

/// The signed-in user, or 401 "Sign in to continue."
#[cfg(feature = "ssr")]
pub(crate) async fn require_user() -> Result<crate::model::User, ServerFnError> {
    match signed_in_user().await? {
        Some(user) => Ok(user),
        None => {
            set_status(axum::http::StatusCode::UNAUTHORIZED);
            Err(ServerFnError::new(NOT_SIGNED_IN))
        }
    }
}

pub const NOT_SIGNED_IN: &str = "Sign in to continue.";

/// Runs `f` on the writer for an interview the signed-in user owns; anyone else's is 404.
#[cfg(feature = "ssr")]
pub(crate) async fn with_owned_interview<T: Send + 'static>(
    interview_id: String,
    f: impl FnOnce(&mut rusqlite::Connection, &str) -> crate::store::Result<T> + Send + 'static,
) -> Result<T, ServerFnError> {
    let user = require_user().await?;
    db()?
        .write(move |c| {
            crate::store::ensure_owner(c, &user.id, &interview_id)?;
            f(c, &interview_id)
        })
        .await
        .map_err(user_error)
}

/// Reads an interview the signed-in user owns; anyone else's is 404.
#[cfg(feature = "ssr")]
pub(crate) async fn read_owned_interview<T: Send + 'static>(
    interview_id: String,
    f: impl FnOnce(&rusqlite::Connection, &str) -> crate::store::Result<T> + Send + 'static,
) -> Result<T, ServerFnError> {
    let user = require_user().await?;
    db()?
        .read(move |c| {
            crate::store::ensure_owner(c, &user.id, &interview_id)?;
            f(c, &interview_id)
        })
        .await
        .map_err(user_error)
}
