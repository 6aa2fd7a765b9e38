//! Server functions: thin wrappers that find the signed-in user, check ownership, call one store
//! function and turn its error into a status and a message fit for the user. Business rules
//! live in `store`, `auth` and `validate`.

mod account;
mod catalog;
mod interviews;
mod live;
mod progress;

pub use account::*;
pub use catalog::*;
pub use interviews::*;
pub use live::*;
pub use progress::*;

pub use crate::error::AppError;

#[cfg(feature = "ssr")]
pub(crate) fn db() -> Result<crate::store::Db, AppError> {
    from_context()
}

/// A service the server put in the server functions' context (`Db`, `Live`); its absence is
/// a wiring mistake, logged, and `Internal` to the caller.
#[cfg(feature = "ssr")]
pub(crate) fn from_context<T: Clone + Send + Sync + 'static>() -> Result<T, AppError> {
    leptos::prelude::use_context::<T>().ok_or_else(|| {
        tracing::error!(
            service = std::any::type_name::<T>(),
            "missing from the server function's context"
        );
        AppError::Internal
    })
}

/// The signed-in user, if any.
#[cfg(feature = "ssr")]
pub(crate) async fn signed_in_user() -> Result<Option<crate::model::User>, AppError> {
    let session: tower_sessions::Session = leptos_axum::extract().await.map_err(|_| {
        tracing::error!("no session layer in front of a server function");
        AppError::Internal
    })?;
    Ok(crate::auth::session_user(&db()?, &session).await?)
}

/// The signed-in user, or `Unauthorized`.
#[cfg(feature = "ssr")]
pub(crate) async fn require_user() -> Result<crate::model::User, AppError> {
    signed_in_user().await?.ok_or(AppError::Unauthorized)
}
