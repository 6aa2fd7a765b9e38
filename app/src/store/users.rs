//! User rows. Authentication (password hashing, sessions) lives elsewhere; this module only
//! stores what it is given.

use super::{Result, StoreError, is_unique_violation};
use crate::model::User;
use crate::validate;
use rusqlite::{Connection, OptionalExtension, params};

/// A new account. `hashed_password` is a PHC string made by the caller, never a password.
#[derive(Clone, Debug)]
pub struct NewUser<'a> {
    pub username: &'a str,
    pub email: Option<&'a str>,
    pub hashed_password: Option<&'a str>,
}

pub(crate) fn check_username(username: &str) -> Result<String> {
    validate::username(username).map_err(|e| StoreError::Invalid(e.to_string()))
}

pub(crate) fn check_email(email: Option<&str>) -> Result<Option<String>> {
    validate::email(email.unwrap_or_default()).map_err(|e| StoreError::Invalid(e.to_string()))
}

pub fn create_user(conn: &Connection, new: &NewUser<'_>) -> Result<User> {
    let username = check_username(new.username)?;
    let email = check_email(new.email)?;
    let id = uuid::Uuid::new_v4().to_string();
    conn.query_row(
        "INSERT INTO Users (user_id, username, email, hashed_password) VALUES (?1, ?2, ?3, ?4)
         RETURNING user_id, username, email, created_at",
        params![id, username, email, new.hashed_password],
        user_from_row,
    )
    .map_err(|e| {
        if !is_unique_violation(&e) {
            return e.into();
        }
        // Both username and email are unique; say which one clashed.
        if e.to_string().contains("Users.email") {
            StoreError::Duplicate {
                entity: "email",
                name: email.clone().unwrap_or_default(),
            }
        } else {
            StoreError::Duplicate {
                entity: "username",
                name: username.clone(),
            }
        }
    })
}

fn user_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: r.get(0)?,
        username: r.get(1)?,
        email: r.get(2)?,
        created_at: r.get(3)?,
    })
}

/// A user and their stored password hash, found by username (any case).
pub fn get_user_by_username(
    conn: &Connection,
    username: &str,
) -> Result<Option<(User, Option<String>)>> {
    Ok(conn
        .prepare_cached(
            "SELECT user_id, username, email, created_at, hashed_password FROM Users
             WHERE username = ?1",
        )?
        .query_row([username.trim()], |r| Ok((user_from_row(r)?, r.get(4)?)))
        .optional()?)
}

pub fn get_user_by_id(conn: &Connection, user_id: &str) -> Result<Option<User>> {
    Ok(conn
        .prepare_cached(
            "SELECT user_id, username, email, created_at FROM Users WHERE user_id = ?1",
        )?
        .query_row([user_id], user_from_row)
        .optional()?)
}

/// Replaces a user's password hash (a PHC string made by the caller).
pub fn set_password_hash(conn: &Connection, user_id: &str, hash: &str) -> Result<()> {
    let changed = conn
        .prepare_cached(&format!(
            "UPDATE Users SET hashed_password = ?2, updated_at = {} WHERE user_id = ?1",
            super::NOW_SQL
        ))?
        .execute(params![user_id, hash])?;
    if changed == 0 {
        return Err(StoreError::NotFound(format!("user {user_id}")));
    }
    Ok(())
}

/// Deletes a user and everything of theirs: their interviews, and with them (by the schema's
/// cascades) every message, question, skill link and report. One statement, so all of it or
/// none. Their sessions name a user that no longer exists and so sign no one in.
pub fn delete_user(conn: &Connection, user_id: &str) -> Result<()> {
    let deleted = conn
        .prepare_cached("DELETE FROM Users WHERE user_id = ?1")?
        .execute([user_id])?;
    if deleted == 0 {
        return Err(StoreError::NotFound(format!("user {user_id}")));
    }
    Ok(())
}

/// Everything stored about a user, for them to download: the account (never the password
/// hash) and every interview with its conversation and report, oldest first.
pub fn export_user(conn: &Connection, user_id: &str) -> Result<crate::model::AccountExport> {
    let user = get_user_by_id(conn, user_id)?
        .ok_or_else(|| StoreError::NotFound(format!("user {user_id}")))?;
    let ids: Vec<String> = conn
        .prepare_cached(
            "SELECT interview_id FROM Interviews WHERE user_id = ?1
             ORDER BY created_at, interview_id",
        )?
        .query_map([user_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut interviews = Vec::with_capacity(ids.len());
    for id in ids {
        let state = super::turn_state(conn, &id)?;
        let report = super::load_report(conn, &state)?;
        interviews.push(crate::model::InterviewExport {
            interview: state.interview,
            messages: state.messages,
            report,
        });
    }
    Ok(crate::model::AccountExport { user, interviews })
}
