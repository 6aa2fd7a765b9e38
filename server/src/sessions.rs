//! The session store: tower-sessions records kept in the app's own SQLite file through `Db`,
//! so session writes queue behind the one writer like every other write (a second connection
//! with its own deferred transactions failed with "database is locked" under concurrent
//! sign-ins). Records are MessagePack, as the store used before wrote them.
//!
//! Registration writes the account and its session in one transaction
//! ([`create_signed_in`]); the request's `Session` then adopts that row ([`adopt`]) rather than
//! writing another once the response is on its way, which could fail after the account was
//! made (the retry would then say the name is taken).

use app::model::User;
use app::store::{self, Db, StoreError};
use tower_sessions::Session;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

/// How long a session lasts without a request (each request that changes it starts again).
pub const LIFETIME: time::Duration = time::Duration::days(14);

/// Set in a session's data, only by [`adopt`], to the id of the row registration already wrote
/// for it: [`SessionStore::create`] takes that id and writes nothing. Never stored.
const STORED_AS: &str = "__stored_as";

/// Writes a new session signed in as `user`, on `conn` (inside the registration's
/// transaction), and returns its id.
pub fn create_signed_in(tx: &store::Tx<'_>, user: &User) -> Result<Id, StoreError> {
    let mut record = Record {
        id: Id::default(),
        data: Default::default(),
        expiry_date: time::OffsetDateTime::now_utc() + LIFETIME,
    };
    record.data.insert(
        app::auth::SESSION_USER_KEY.to_owned(),
        serde_json::Value::String(user.id.0.clone()),
    );
    let data = encode(&record).map_err(|e| StoreError::Internal(e.to_string()))?;
    let (id, expiry) = (record.id.to_string(), record.expiry_date.unix_timestamp());
    if tx.create_session(&id, &data, expiry)? {
        Ok(record.id)
    } else {
        Err(StoreError::Internal("a new session id was taken".into()))
    }
}

/// Makes the request's `session` the one [`create_signed_in`] stored as `id`: a new id for
/// the browser (the old session, if any, is deleted), signed in as `user`. The session layer's
/// save at the end of the request then writes nothing.
pub async fn adopt(session: &Session, id: Id, user: &User) -> Result<(), StoreError> {
    let failed = |e: tower_sessions::session::Error| StoreError::Internal(format!("session: {e}"));
    if session.id().is_some() {
        // Deletes the old session; a failure leaves it to expire, and the browser still gets
        // the new cookie.
        if let Err(e) = session.cycle_id().await {
            tracing::warn!(error = %e, "could not delete the session replaced by registration");
        }
    }
    session
        .insert(app::auth::SESSION_USER_KEY, &user.id)
        .await
        .map_err(failed)?;
    session
        .insert(STORED_AS, id.to_string())
        .await
        .map_err(failed)
}

#[derive(Clone)]
pub struct DbSessionStore {
    db: Db,
}

impl DbSessionStore {
    pub fn new(db: Db) -> DbSessionStore {
        DbSessionStore { db }
    }
}

impl std::fmt::Debug for DbSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbSessionStore")
    }
}

fn backend(e: StoreError) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

fn encode(record: &Record) -> session_store::Result<Vec<u8>> {
    rmp_serde::to_vec(record).map_err(|e| session_store::Error::Encode(e.to_string()))
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

#[async_trait::async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        if let Some(stored) = record.data.remove(STORED_AS) {
            // Written with the account by registration; see `adopt`.
            if let Some(id) = stored.as_str().and_then(|s| s.parse().ok()) {
                record.id = id;
                return Ok(());
            }
        }
        loop {
            let (id, data, expiry) = (
                record.id.to_string(),
                encode(record)?,
                record.expiry_date.unix_timestamp(),
            );
            let created = self
                .db
                .create_session(id, data, expiry)
                .await
                .map_err(backend)?;
            if created {
                return Ok(());
            }
            // A taken id (vanishingly rare with 128 random bits): draw another.
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = if record.data.contains_key(STORED_AS) {
            let mut plain = record.clone();
            plain.data.remove(STORED_AS);
            encode(&plain)?
        } else {
            encode(record)?
        };
        let (id, expiry) = (record.id.to_string(), record.expiry_date.unix_timestamp());
        self.db
            .save_session(id, data, expiry)
            .await
            .map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let id = id.to_string();
        let data = self.db.load_session(id, now()).await.map_err(backend)?;
        data.map(|d| {
            rmp_serde::from_slice(&d).map_err(|e| session_store::Error::Decode(e.to_string()))
        })
        .transpose()
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        let id = id.to_string();
        self.db.delete_session(id).await.map_err(backend)
    }
}

#[async_trait::async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        self.db
            .delete_expired_sessions(now())
            .await
            .map(|_| ())
            .map_err(backend)
    }
}
