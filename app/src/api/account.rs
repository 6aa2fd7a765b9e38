//! Who is signed in. Registering, signing in and out are plain form posts handled by the
//! server's `/auth/*` routes, so they work without JavaScript.

use super::AppError;
use crate::model::User;
use leptos::server;

#[server(prefix = "/fn", endpoint = "current_user")]
pub async fn current_user() -> Result<Option<User>, AppError> {
    super::signed_in_user().await
}
