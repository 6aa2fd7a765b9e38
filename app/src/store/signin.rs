//! The sign-in slowdown's counts (`server/src/throttle.rs` holds its rules): failures per key,
//! with the time of the last, in the shared database.

use super::{NOW_SQL, Result};
use rusqlite::{Connection, params};
use std::time::Duration;

/// A key's count and how long ago its last failure was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailureCount {
    pub key: String,
    pub failures: u32,
    pub since_last: Duration,
}

/// The counts of `keys` that have any.
pub fn failure_counts(conn: &Connection, keys: &[String]) -> Result<Vec<FailureCount>> {
    let mut stmt = conn.prepare_cached(
        "SELECT key, failures,
                max(0, CAST((julianday('now') - julianday(last_failure)) * 86400000 AS INTEGER))
         FROM Signin_Failures WHERE key IN (SELECT value FROM json_each(?1))",
    )?;
    let keys = serde_json::to_string(keys).unwrap_or_default();
    let rows = stmt
        .query_map([keys], |r| {
            Ok(FailureCount {
                key: r.get(0)?,
                failures: r.get(1)?,
                since_last: Duration::from_millis(r.get::<_, i64>(2)? as u64),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Counts one more failure for each key now; a count whose last failure is `forget_after` old
/// starts again from one.
pub fn add_failures(conn: &Connection, keys: &[String], forget_after: Duration) -> Result<()> {
    let mut stmt = conn.prepare_cached(&format!(
        "INSERT INTO Signin_Failures (key, failures, last_failure) VALUES (?1, 1, {NOW_SQL})
         ON CONFLICT (key) DO UPDATE SET
             failures = CASE WHEN (julianday('now') - julianday(last_failure)) * 86400000 >= ?2
                             THEN 1 ELSE failures + 1 END,
             last_failure = {NOW_SQL}"
    ))?;
    for key in keys {
        stmt.execute(params![key, forget_after.as_millis() as i64])?;
    }
    Ok(())
}

/// A right password: `clear` keys go, and each of `take_one` loses one failure.
pub fn forgive_failures(conn: &Connection, clear: &[String], take_one: &[String]) -> Result<()> {
    for key in clear {
        conn.prepare_cached("DELETE FROM Signin_Failures WHERE key = ?1")?
            .execute([key])?;
    }
    for key in take_one {
        conn.prepare_cached(
            "UPDATE Signin_Failures SET failures = max(failures - 1, 0) WHERE key = ?1",
        )?
        .execute([key])?;
    }
    Ok(())
}

/// Forgets counts whose last failure is older than `forget_after`; how many.
pub fn forget_old_failures(conn: &Connection, forget_after: Duration) -> Result<usize> {
    Ok(conn
        .prepare_cached(
            "DELETE FROM Signin_Failures
             WHERE (julianday('now') - julianday(last_failure)) * 86400000 >= ?1",
        )?
        .execute([forget_after.as_millis() as i64])?)
}

/// Runs one sign-in attempt's read of the counts and write of its failure (`f`) as one
/// immediate transaction. One server's writer takes attempts one at a time anyway, but servers
/// sharing the file each have their own: in separate statements, attempts sent to both at once
/// read the same counts and all went ahead. (PostgreSQL's store locks `keys` instead; the
/// immediate transaction already orders every attempt here.)
pub fn as_one_attempt<T>(
    conn: &mut Connection,
    _keys: &[String],
    f: impl FnOnce(&Connection) -> Result<T>,
) -> Result<T> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let out = f(&tx)?;
    tx.commit()?;
    Ok(out)
}
