//! The per-user request-rate limits in the shared database, so every app server counts the
//! same requests: GCRA, as the `governor` crate a single server uses, kept as each key's
//! theoretical arrival time (`tat`).

use super::PgTx;
use crate::store::Result;
use std::time::Duration;

/// Takes one request for `key` under a limit of `burst` requests per `per`: `Ok(())`, or how
/// long until one is allowed. One statement, so requests on several servers at once are
/// counted one by one (the row's lock orders them).
pub fn take_rate(
    c: &mut PgTx<'_>,
    key: &str,
    burst: u32,
    per: Duration,
) -> Result<std::result::Result<(), Duration>> {
    let burst = burst.max(1);
    // The emission interval, and the tolerance that lets `burst` requests through at once.
    let interval_ms = per.as_secs_f64() * 1000.0 / f64::from(burst);
    let tolerance_ms = interval_ms * f64::from(burst - 1);
    let taken = c.query_opt(
        "INSERT INTO rate_limits AS r (key, tat)
         VALUES ($1, pp_now() + $2::float8 * interval '1 millisecond')
         ON CONFLICT (key) DO UPDATE
             SET tat = greatest(r.tat, pp_now()) + $2::float8 * interval '1 millisecond'
             WHERE greatest(r.tat, pp_now()) - pp_now() <= $3::float8 * interval '1 millisecond'
         RETURNING 1",
        &[&key, &interval_ms, &tolerance_ms],
    )?;
    if taken.is_some() {
        return Ok(Ok(()));
    }
    let ahead_ms: f64 = c
        .query_one(
            "SELECT (extract(epoch FROM tat - pp_now()) * 1000)::float8 FROM rate_limits
             WHERE key = $1",
            &[&key],
        )?
        .get(0);
    Ok(Err(Duration::from_secs_f64(
        ((ahead_ms - tolerance_ms) / 1000.0).max(0.001),
    )))
}

/// Forgets keys whose limits have fully recovered; how many.
pub fn forget_recovered_rates(c: &mut PgTx<'_>) -> Result<usize> {
    Ok(c.execute("DELETE FROM rate_limits WHERE tat < pp_now()", &[])? as usize)
}
