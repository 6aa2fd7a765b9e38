//! The sign-in slowdown's counts, as `store/signin.rs`.

use super::PgTx;
use crate::store::{FailureCount, Result};
use std::time::Duration;

/// The counts of `keys` that have any.
pub fn failure_counts(c: &mut PgTx<'_>, keys: &[String]) -> Result<Vec<FailureCount>> {
    let rows = c.query(
        "SELECT key, failures,
                greatest(0, (extract(epoch FROM pp_now() - last_failure) * 1000)::BIGINT)
         FROM signin_failures WHERE key = ANY($1)",
        &[&keys],
    )?;
    Ok(rows
        .iter()
        .map(|r| FailureCount {
            key: r.get(0),
            failures: r.get::<_, i32>(1).max(0) as u32,
            since_last: Duration::from_millis(r.get::<_, i64>(2) as u64),
        })
        .collect())
}

/// Counts one more failure for each key now; a count whose last failure is `forget_after` old
/// starts again from one. The keys are taken in order, so two attempts counting the same keys
/// at once cannot deadlock.
pub fn add_failures(c: &mut PgTx<'_>, keys: &[String], forget_after: Duration) -> Result<()> {
    let mut keys = keys.to_vec();
    keys.sort();
    keys.dedup();
    let forget_ms = forget_after.as_millis() as i64;
    for key in &keys {
        c.execute(
            "INSERT INTO signin_failures (key, failures, last_failure) VALUES ($1, 1, pp_now())
             ON CONFLICT (key) DO UPDATE SET
                 failures = CASE
                     WHEN extract(epoch FROM pp_now() - signin_failures.last_failure) * 1000 >= $2::bigint
                     THEN 1 ELSE signin_failures.failures + 1 END,
                 last_failure = pp_now()",
            &[key, &forget_ms],
        )?;
    }
    Ok(())
}

/// Runs one sign-in attempt on `keys` (`f`: its read of the counts and write of its failure)
/// so that attempts on the same keys from any server go one at a time. The unit is already one
/// transaction here; this locks the keys (those that exist, and the key space of those that do
/// not) for the rest of it, as the SQLite store's immediate transaction does.
pub fn as_one_attempt<'a, T>(
    c: &mut PgTx<'a>,
    keys: &[String],
    f: impl FnOnce(&mut PgTx<'a>) -> Result<T>,
) -> Result<T> {
    lock_keys(c, keys)?;
    f(c)
}

fn lock_keys(c: &mut PgTx<'_>, keys: &[String]) -> Result<()> {
    let mut keys = keys.to_vec();
    keys.sort();
    keys.dedup();
    for key in &keys {
        c.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended('signin:' || $1::text, 0))",
            &[key],
        )?;
    }
    Ok(())
}

/// A right password: `clear` keys go, and each of `take_one` loses one failure.
pub fn forgive_failures(c: &mut PgTx<'_>, clear: &[String], take_one: &[String]) -> Result<()> {
    c.execute("DELETE FROM signin_failures WHERE key = ANY($1)", &[&clear])?;
    c.execute(
        "UPDATE signin_failures SET failures = greatest(failures - 1, 0) WHERE key = ANY($1)",
        &[&take_one],
    )?;
    Ok(())
}

/// Forgets counts whose last failure is older than `forget_after`; how many.
pub fn forget_old_failures(c: &mut PgTx<'_>, forget_after: Duration) -> Result<usize> {
    let forget_ms = forget_after.as_millis() as i64;
    Ok(c.execute(
        "DELETE FROM signin_failures
         WHERE extract(epoch FROM pp_now() - last_failure) * 1000 >= $1::bigint",
        &[&forget_ms],
    )? as usize)
}
