//! Accounts (server only): registration, credential checks and the signed-in user.
//! Passwords are hashed with Argon2id (password-auth's PHC strings) on a blocking thread, and
//! are never logged or returned.

use crate::model::User;
use crate::store::{self, Db, NewUser, StoreError};
use crate::validate::{self, AccountError};
use std::sync::LazyLock;
use tower_sessions::Session;

/// The session key that holds the signed-in user's id.
pub const SESSION_USER_KEY: &str = "uid";

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("{0}")]
    Account(AccountError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<AccountError> for AuthError {
    fn from(e: AccountError) -> Self {
        AuthError::Account(e)
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AuthError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| StoreError::Internal(format!("hashing task failed: {e}")).into())
}

/// Creates an account. Every rule is checked before anything is stored.
pub async fn register(
    db: &Db,
    username: &str,
    email: &str,
    password: &str,
) -> Result<User, AuthError> {
    let username = validate::username(username)?;
    let email = validate::email(email)?;
    validate::new_password(password, &username)?;
    let password = password.to_owned();
    let hash = blocking(move || password_auth::generate_hash(password)).await?;
    db.write(move |c| {
        store::create_user(
            c,
            &NewUser {
                username: &username,
                email: email.as_deref(),
                hashed_password: Some(&hash),
            },
        )
    })
    .await
    .map_err(|e| match e {
        StoreError::Duplicate {
            entity: "email", ..
        } => AccountError::EmailTaken.into(),
        StoreError::Duplicate { .. } => AccountError::UsernameTaken.into(),
        other => other.into(),
    })
}

/// A hash to verify against when the user does not exist, so that an unknown username costs
/// the same time as a wrong password and cannot be told apart by timing.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| password_auth::generate_hash("not a real password"));

/// The user whose credentials these are, or `WrongCredentials` for an unknown user and for a
/// wrong password alike.
pub async fn verify_credentials(
    db: &Db,
    username: &str,
    password: &str,
) -> Result<User, AuthError> {
    let name = username.trim().to_owned();
    let found = db
        .read(move |c| store::get_user_by_username(c, &name))
        .await?;
    let password = password.to_owned();
    let (user, hash) = match found {
        Some((user, Some(hash))) => (Some(user), hash),
        _ => (None, DUMMY_HASH.clone()),
    };
    let matches = blocking(move || password_auth::verify_password(password, &hash).is_ok()).await?;
    match user {
        Some(user) if matches => Ok(user),
        _ => Err(AccountError::WrongCredentials.into()),
    }
}

/// Makes `user` the session's user under a fresh session id (against session fixation).
pub async fn start_session(session: &Session, user: &User) -> Result<(), AuthError> {
    session
        .cycle_id()
        .await
        .and(session.insert(SESSION_USER_KEY, &user.id).await)
        .map_err(|e| StoreError::Internal(format!("session: {e}")).into())
}

/// The signed-in user, if the session has one whose account still exists.
pub async fn session_user(db: &Db, session: &Session) -> Result<Option<User>, StoreError> {
    let Some(user_id) = session
        .get::<String>(SESSION_USER_KEY)
        .await
        .map_err(|e| StoreError::Internal(format!("session: {e}")))?
    else {
        return Ok(None);
    };
    db.read(move |c| store::get_user_by_id(c, &user_id)).await
}

/// Creates the demo account if it does not exist yet; an existing one is left as it is.
pub async fn ensure_demo_account(db: &Db, username: &str, password: &str) -> Result<(), AuthError> {
    let name = username.to_owned();
    if db
        .read(move |c| store::get_user_by_username(c, &name))
        .await?
        .is_some()
    {
        return Ok(());
    }
    match register(db, username, "", password).await {
        Ok(_) | Err(AuthError::Account(AccountError::UsernameTaken)) => Ok(()),
        Err(e) => Err(e),
    }
}
