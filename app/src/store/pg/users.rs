//! User rows, as `store/users.rs` (whose rules on names and emails both use).

use super::{PgTx, is_unique_violation};
use crate::model::User;
use crate::store::{NewUser, Result, StoreError, check_email, check_username};

const USER_COLUMNS: &str = "user_id, username, email, pp_time(created_at)";

fn user_from_row(r: &postgres::Row) -> User {
    User {
        id: r.get(0),
        username: r.get(1),
        email: r.get(2),
        created_at: r.get(3),
    }
}

pub fn create_user(c: &mut PgTx<'_>, new: &NewUser<'_>) -> Result<User> {
    let username = check_username(new.username)?;
    let email = check_email(new.email)?;
    let id = uuid::Uuid::new_v4().to_string();
    // A savepoint, so a clash leaves the caller's transaction usable (PostgreSQL aborts a
    // transaction on any failed statement).
    let mut sp = c.transaction()?;
    let row = sp.query_one(
        &format!(
            "INSERT INTO users (user_id, username, email, hashed_password)
             VALUES ($1, $2, $3, $4) RETURNING {USER_COLUMNS}"
        ),
        &[&id, &username, &email, &new.hashed_password],
    );
    match row {
        Ok(row) => {
            sp.commit()?;
            Ok(user_from_row(&row))
        }
        Err(e) if is_unique_violation(&e) => {
            drop(sp);
            // Both username and email are unique; say which one clashed.
            let constraint = e.as_db_error().and_then(|d| d.constraint()).unwrap_or("");
            Err(if constraint.contains("email") {
                StoreError::Duplicate {
                    entity: "email",
                    name: email.unwrap_or_default(),
                }
            } else {
                StoreError::Duplicate {
                    entity: "username",
                    name: username,
                }
            })
        }
        Err(e) => Err(e.into()),
    }
}

/// A user and their stored password hash, found by username (any case).
pub fn get_user_by_username(
    c: &mut PgTx<'_>,
    username: &str,
) -> Result<Option<(User, Option<String>)>> {
    Ok(c.query_opt(
        &format!(
            "SELECT {USER_COLUMNS}, hashed_password FROM users WHERE lower(username) = lower($1)"
        ),
        &[&username.trim()],
    )?
    .map(|r| (user_from_row(&r), r.get(4))))
}

pub fn get_user_by_id(c: &mut PgTx<'_>, user_id: &str) -> Result<Option<User>> {
    Ok(c.query_opt(
        &format!("SELECT {USER_COLUMNS} FROM users WHERE user_id = $1"),
        &[&user_id],
    )?
    .map(|r| user_from_row(&r)))
}

/// Replaces a user's password hash (a PHC string made by the caller).
pub fn set_password_hash(c: &mut PgTx<'_>, user_id: &str, hash: &str) -> Result<()> {
    let changed = c.execute(
        "UPDATE users SET hashed_password = $2, updated_at = pp_now() WHERE user_id = $1",
        &[&user_id, &hash],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound(format!("user {user_id}")));
    }
    Ok(())
}

/// Deletes a user and everything of theirs (the schema's cascades), in one statement.
pub fn delete_user(c: &mut PgTx<'_>, user_id: &str) -> Result<()> {
    let deleted = c.execute("DELETE FROM users WHERE user_id = $1", &[&user_id])?;
    if deleted == 0 {
        return Err(StoreError::NotFound(format!("user {user_id}")));
    }
    Ok(())
}

/// Everything stored about a user, for them to download, as the SQLite store's.
pub fn export_user(c: &mut PgTx<'_>, user_id: &str) -> Result<crate::model::AccountExport> {
    let user = get_user_by_id(c, user_id)?
        .ok_or_else(|| StoreError::NotFound(format!("user {user_id}")))?;
    let ids: Vec<String> = c
        .query(
            "SELECT interview_id FROM interviews WHERE user_id = $1
             ORDER BY created_at, interview_id",
            &[&user_id],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut interviews = Vec::with_capacity(ids.len());
    for id in ids {
        let state = super::turn_state(c, &id)?;
        let report = super::load_report(c, &state)?;
        interviews.push(crate::model::InterviewExport {
            interview: state.interview,
            messages: state.messages,
            report,
        });
    }
    Ok(crate::model::AccountExport { user, interviews })
}
