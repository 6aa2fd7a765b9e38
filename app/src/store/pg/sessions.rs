//! Session rows, as `store/sessions.rs`.

use super::PgTx;
use crate::store::Result;

/// Inserts a new session; `false` when the id is taken (the caller picks another).
pub fn create_session(c: &mut PgTx<'_>, id: &str, data: &[u8], expiry: i64) -> Result<bool> {
    let n = c.execute(
        "INSERT INTO tower_sessions (id, data, expiry_date) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO NOTHING",
        &[&id, &data, &expiry],
    )?;
    Ok(n == 1)
}

/// Inserts or replaces a session.
pub fn save_session(c: &mut PgTx<'_>, id: &str, data: &[u8], expiry: i64) -> Result<()> {
    c.execute(
        "INSERT INTO tower_sessions (id, data, expiry_date) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET data = excluded.data, expiry_date = excluded.expiry_date",
        &[&id, &data, &expiry],
    )?;
    Ok(())
}

/// A session's record, unless it is missing or expired at `now`.
pub fn load_session(c: &mut PgTx<'_>, id: &str, now: i64) -> Result<Option<Vec<u8>>> {
    Ok(c.query_opt(
        "SELECT data FROM tower_sessions WHERE id = $1 AND expiry_date > $2",
        &[&id, &now],
    )?
    .map(|r| r.get(0)))
}

pub fn delete_session(c: &mut PgTx<'_>, id: &str) -> Result<()> {
    c.execute("DELETE FROM tower_sessions WHERE id = $1", &[&id])?;
    Ok(())
}

/// Removes sessions expired at `now`; returns how many.
pub fn delete_expired_sessions(c: &mut PgTx<'_>, now: i64) -> Result<usize> {
    Ok(c.execute(
        "DELETE FROM tower_sessions WHERE expiry_date <= $1",
        &[&now],
    )? as usize)
}
