//! Server functions: thin wrappers that take the store from context, call one store function
//! and turn its error into a message fit for the user. Business rules live in `store`.

mod catalog;

pub use catalog::*;

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

/// A store error as the user should read it, with its HTTP status set on the response;
/// internal details stay in the log.
#[cfg(feature = "ssr")]
pub(crate) fn user_error(e: crate::store::StoreError) -> ServerFnError {
    if let Some(resp) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(status_of(&e));
    }
    ServerFnError::new(e.to_string())
}
