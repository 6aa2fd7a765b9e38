//! The session store: tower-sessions records kept in the app's own SQLite file through `Db`,
//! so session writes queue behind the one writer like every other write (a second connection
//! with its own deferred transactions failed with "database is locked" under concurrent
//! sign-ins). Records are MessagePack, as the store used before wrote them.

use app::store::{self, Db, StoreError};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

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
        loop {
            let (id, data, expiry) = (
                record.id.to_string(),
                encode(record)?,
                record.expiry_date.unix_timestamp(),
            );
            let created = self
                .db
                .write(move |c| store::create_session(c, &id, &data, expiry))
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
        let (id, data, expiry) = (
            record.id.to_string(),
            encode(record)?,
            record.expiry_date.unix_timestamp(),
        );
        self.db
            .write(move |c| store::save_session(c, &id, &data, expiry))
            .await
            .map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let id = id.to_string();
        let data = self
            .db
            .read(move |c| store::load_session(c, &id, now()))
            .await
            .map_err(backend)?;
        data.map(|d| {
            rmp_serde::from_slice(&d).map_err(|e| session_store::Error::Decode(e.to_string()))
        })
        .transpose()
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        let id = id.to_string();
        self.db
            .write(move |c| store::delete_session(c, &id))
            .await
            .map_err(backend)
    }
}

#[async_trait::async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        self.db
            .write(|c| store::delete_expired_sessions(c, now()))
            .await
            .map(|_| ())
            .map_err(backend)
    }
}
