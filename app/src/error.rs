//! The one error type of the app: what every server function answers with, what the pages
//! match on, and what the HTTP side turns into a status, a code and a message. Each variant's
//! text is written for the person reading it; details of internal failures stay in the log.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// What was not found ("interview 42"); someone else's is not found too.
    #[error("{0} not found")]
    NotFound(String),
    #[error("Sign in to continue.")]
    Unauthorized,
    #[error("That request came from another site and was refused.")]
    Forbidden,
    /// The request is well-formed but the current state forbids it (say, changing the skills
    /// of an interview that has started); the text says which rule.
    #[error("{0}")]
    Conflict(String),
    /// The input breaks a rule; the text says which.
    #[error("{0}")]
    Invalid(String),
    /// The request could not be read at all (a missing or undecodable argument).
    #[error("{0}")]
    Malformed(String),
    #[error("The server is busy. Please try again in a moment.")]
    Busy,
    #[error("Too many requests. Please wait a minute and try again.")]
    RateLimited,
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    /// The browser could not reach the server or read its answer (the detail is for the
    /// console, not the page).
    #[error("Could not reach the server. Check your connection and try again.")]
    Unreachable(String),
}

impl AppError {
    pub fn not_found(what: impl Into<String>) -> AppError {
        AppError::NotFound(what.into())
    }

    /// The HTTP status this error answers with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound(_) => 404,
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::Conflict(_) => 409,
            AppError::Invalid(_) => 422,
            AppError::Malformed(_) => 400,
            AppError::Busy => 503,
            AppError::RateLimited => 429,
            AppError::Internal => 500,
            AppError::Unreachable(_) => 502,
        }
    }

    /// [`AppError::status`] as axum's type, for the server's responses.
    #[cfg(feature = "ssr")]
    pub fn status_code(&self) -> axum::http::StatusCode {
        axum::http::StatusCode::from_u16(self.status())
            .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// The stable, machine-readable code the JSON API puts beside the message.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound(_) => "not_found",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden => "cross_site",
            AppError::Conflict(_) => "conflict",
            AppError::Invalid(_) => "invalid_input",
            AppError::Malformed(_) => "malformed_request",
            AppError::Busy => "unavailable",
            AppError::RateLimited => "rate_limited",
            AppError::Internal => "internal",
            AppError::Unreachable(_) => "unreachable",
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(e: ServerFnErrorErr) -> AppError {
        match e {
            // Arguments the server could not read: the caller's mistake, said as such.
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::MissingArg(m) => {
                AppError::Malformed(format!("The request could not be read: {m}"))
            }
            ServerFnErrorErr::Request(m)
            | ServerFnErrorErr::Deserialization(m)
            | ServerFnErrorErr::Serialization(m) => AppError::Unreachable(m),
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "server function failed");
                #[cfg(not(feature = "ssr"))]
                let _ = other;
                AppError::Internal
            }
        }
    }
}

#[cfg(feature = "ssr")]
impl From<crate::store::StoreError> for AppError {
    fn from(e: crate::store::StoreError) -> AppError {
        use crate::store::StoreError;
        match e {
            StoreError::NotFound(what) => AppError::NotFound(what),
            StoreError::Duplicate { .. } | StoreError::Conflict(_) => {
                AppError::Conflict(e.to_string())
            }
            StoreError::Invalid(m) => AppError::Invalid(m),
            StoreError::Busy => AppError::Busy,
            // Already logged where it arose, in the store.
            StoreError::Internal(_) => AppError::Internal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_the_server_function_encoding() {
        for e in [
            AppError::not_found("interview"),
            AppError::Conflict("The interview has started.".into()),
            AppError::Invalid("Pick at least one skill.".into()),
            AppError::Unauthorized,
            AppError::Internal,
        ] {
            assert_eq!(AppError::de(e.ser()), e);
        }
    }

    #[test]
    fn unreadable_arguments_are_the_callers_mistake() {
        let e = AppError::from_server_fn_error(ServerFnErrorErr::Args("missing field".into()));
        assert_eq!(e.status(), 400);
        assert_eq!(
            AppError::not_found("interview 7").to_string(),
            "interview 7 not found"
        );
    }
}
