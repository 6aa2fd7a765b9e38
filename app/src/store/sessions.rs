//! Session rows: an opaque record per session id, with its expiry (Unix seconds). The session
//! layer (`server/src/sessions.rs`) encodes and decodes the records.

use super::Result;
use rusqlite::{Connection, OptionalExtension, params};

/// Inserts a new session; `false` when the id is taken (the caller picks another).
pub fn create_session(conn: &Connection, id: &str, data: &[u8], expiry: i64) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "INSERT INTO tower_sessions (id, data, expiry_date) VALUES (?1, ?2, ?3)
             ON CONFLICT(id) DO NOTHING",
        )?
        .execute(params![id, data, expiry])?;
    Ok(n == 1)
}

/// Inserts or replaces a session.
pub fn save_session(conn: &Connection, id: &str, data: &[u8], expiry: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO tower_sessions (id, data, expiry_date) VALUES (?1, ?2, ?3)
         ON CONFLICT(id) DO UPDATE SET data = excluded.data, expiry_date = excluded.expiry_date",
    )?
    .execute(params![id, data, expiry])?;
    Ok(())
}

/// A session's record, unless it is missing or expired at `now`.
pub fn load_session(conn: &Connection, id: &str, now: i64) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .prepare_cached("SELECT data FROM tower_sessions WHERE id = ?1 AND expiry_date > ?2")?
        .query_row(params![id, now], |r| r.get(0))
        .optional()?)
}

pub fn delete_session(conn: &Connection, id: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM tower_sessions WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// Removes sessions expired at `now`; returns how many.
pub fn delete_expired_sessions(conn: &Connection, now: i64) -> Result<usize> {
    Ok(conn
        .prepare_cached("DELETE FROM tower_sessions WHERE expiry_date <= ?1")?
        .execute([now])?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::test_db;

    #[test]
    fn sessions_are_created_once_saved_loaded_until_they_expire_and_deleted() {
        let db = test_db();
        let c = &db.conn;
        assert!(create_session(c, "s1", b"one", 100).unwrap());
        assert!(
            !create_session(c, "s1", b"other", 100).unwrap(),
            "a taken id"
        );
        assert_eq!(
            load_session(c, "s1", 50).unwrap().as_deref(),
            Some(&b"one"[..])
        );
        save_session(c, "s1", b"two", 200).unwrap();
        assert_eq!(
            load_session(c, "s1", 150).unwrap().as_deref(),
            Some(&b"two"[..])
        );
        assert_eq!(load_session(c, "s1", 200).unwrap(), None, "expired");
        create_session(c, "s2", b"x", 300).unwrap();
        assert_eq!(delete_expired_sessions(c, 250).unwrap(), 1);
        delete_session(c, "s2").unwrap();
        assert_eq!(load_session(c, "s2", 0).unwrap(), None);
    }
}
