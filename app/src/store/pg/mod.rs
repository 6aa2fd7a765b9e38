//! The PostgreSQL store (feature `postgres`): for several app servers on one database.
//!
//! Its functions mirror the SQLite store's, file for file (`catalog.rs`, `interviews.rs`, …),
//! and are synchronous like them: they take a [`PgTx`] (the blocking `postgres` client's
//! transaction) and [`PgStore`] runs them on tokio's blocking threads, with a pool of
//! connections. Where SQLite's single writer made a read-then-write safe, a PostgreSQL write
//! takes a row lock first (the interview's, for anything that changes one interview), so
//! several app servers writing at once cannot interleave.
//!
//! `schema.rs` holds the migrations (`migrations/postgres/`) and the catalogue copied from
//! the SQLite migrations, so both stores start from one source.

mod catalog;
mod conn;
mod interviews;
mod messages;
mod pieces;
mod progress;
mod rates;
mod schema;
mod sessions;
mod signin;
mod turns;
mod users;

pub use catalog::*;
pub use interviews::*;
pub use messages::*;
pub use pieces::publish_piece;
pub use progress::*;
pub use rates::*;
pub use schema::{connect, migrate, steps};
pub use sessions::*;
pub use signin::*;
/// The async client, for tools and tests that talk to the database themselves.
pub use tokio_postgres;
pub use turns::*;
pub use users::*;

use super::{Result, StoreError};
use postgres::NoTls;
use r2d2_postgres::PostgresConnectionManager;
use std::sync::Arc;
use std::time::Duration;

pub use conn::PgTx;

/// A transaction reached through a shared reference (see [`PgStore::transaction`]): what
/// [`crate::store::Tx`] holds on PostgreSQL.
pub trait TxAccess {
    fn with(&self, f: &mut dyn FnMut(&mut PgTx<'_>));
}

impl TxAccess for std::cell::RefCell<PgTx<'_>> {
    fn with(&self, f: &mut dyn FnMut(&mut PgTx<'_>)) {
        f(&mut self.borrow_mut())
    }
}

type Pool = r2d2::Pool<conn::Manager>;

/// How the app talks to PostgreSQL: connections in the pool, and how long one statement may
/// run before the server cancels it (so a stuck query cannot hold a connection for ever).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PgSettings {
    pub pool_size: u32,
    pub statement_timeout: Duration,
}

impl Default for PgSettings {
    fn default() -> Self {
        PgSettings {
            pool_size: 8,
            statement_timeout: Duration::from_secs(10),
        }
    }
}

/// A pool of connections to one PostgreSQL database, migrated.
#[derive(Clone)]
pub struct PgStore {
    pool: Arc<PoolOwner>,
    /// Callers wait here, as tasks, for a connection, not as blocking threads.
    slots: Arc<tokio::sync::Semaphore>,
    /// How long writes waited for a connection.
    write_wait: Arc<crate::stats::Histogram>,
    /// Replies' pieces published by any node, as this node's listen connection receives them.
    pieces: tokio::sync::broadcast::Sender<crate::store::ReplyPiece>,
}

/// Owns the pool so that its connections close on a thread of their own: each blocking
/// client holds a small tokio runtime, which may not be dropped inside an async task (as the
/// last `Db` often is, at the end of a test).
struct PoolOwner(Option<Pool>);

impl Drop for PoolOwner {
    fn drop(&mut self) {
        if let Some(pool) = self.0.take() {
            std::thread::spawn(move || drop(pool));
        }
    }
}

impl PgStore {
    /// Connects to `url`, applies the migrations not yet applied and starts the pool.
    pub async fn open(url: &str, settings: PgSettings) -> Result<PgStore> {
        let mut client = connect(url).await?;
        migrate(&mut client).await?;
        drop(client);
        let (pieces, _) = tokio::sync::broadcast::channel(pieces::QUEUE);
        PgStore::listen(url.to_owned(), pieces.clone());
        let mut config: postgres::Config = url
            .parse()
            .map_err(|e| StoreError::Internal(format!("bad PostgreSQL URL: {e}")))?;
        config.options(&format!(
            "-c statement_timeout={} -c TimeZone=UTC",
            settings.statement_timeout.as_millis()
        ));
        let manager = conn::Manager(PostgresConnectionManager::new(config, NoTls));
        let size = settings.pool_size.max(1);
        // The pool's first connections are opened here, by the blocking client: not on a task.
        let pool = super::run_blocking(move || {
            r2d2::Pool::builder()
                .max_size(size)
                .min_idle(Some(1))
                .connection_timeout(Duration::from_secs(10))
                .build(manager)
                .map_err(StoreError::from)
        })
        .await?;
        Ok(PgStore {
            pool: Arc::new(PoolOwner(Some(pool))),
            slots: Arc::new(tokio::sync::Semaphore::new(size as usize)),
            write_wait: Arc::default(),
            pieces,
        })
    }

    fn pool(&self) -> Pool {
        self.pool.0.clone().expect("the pool lives until dropped")
    }

    /// Runs `f` in a read-only transaction that sees one snapshot (`REPEATABLE READ`).
    pub async fn read<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut PgTx<'_>) -> Result<T> + Send + 'static,
    {
        self.run(true, f).await
    }

    /// Runs `f` in a read-write transaction (`READ COMMITTED`; the functions take the row
    /// locks they need), committed when it succeeds.
    pub async fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut PgTx<'_>) -> Result<T> + Send + 'static,
    {
        self.run(false, f).await
    }

    async fn run<T, F>(&self, read_only: bool, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut PgTx<'_>) -> Result<T> + Send + 'static,
    {
        let queued = std::time::Instant::now();
        let _slot = super::acquire(&self.slots).await?;
        let pool = self.pool();
        let write_wait = (!read_only).then(|| self.write_wait.clone());
        super::run_blocking(move || {
            let mut conn = pool.get()?;
            if let Some(wait) = write_wait {
                wait.observe(queued.elapsed());
            }
            let mut tx = conn.begin(read_only)?;
            let out = f(&mut tx)?;
            tx.commit()?;
            Ok(out)
        })
        .await
    }

    /// Runs `f` in a read-write transaction it reaches through a cell, so that a handle
    /// holding only a shared reference ([`crate::store::Tx`]) can use it; committed when `f`
    /// succeeds.
    pub async fn transaction<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&dyn TxAccess) -> Result<T> + Send + 'static,
    {
        let queued = std::time::Instant::now();
        let _slot = super::acquire(&self.slots).await?;
        let pool = self.pool();
        let write_wait = self.write_wait.clone();
        super::run_blocking(move || {
            let mut conn = pool.get()?;
            write_wait.observe(queued.elapsed());
            let cell = std::cell::RefCell::new(conn.begin(false)?);
            let out = f(&cell)?;
            cell.into_inner().commit()?;
            Ok(out)
        })
        .await
    }

    /// Pieces of replies being written on any node, from now on.
    pub fn reply_pieces(&self) -> tokio::sync::broadcast::Receiver<crate::store::ReplyPiece> {
        self.pieces.subscribe()
    }

    pub fn write_wait(&self) -> &crate::stats::Histogram {
        &self.write_wait
    }

    /// The number of migration steps applied: the schema's version.
    pub async fn schema_version(&self) -> Result<i64> {
        self.read(|c| {
            Ok(c.query_one("SELECT count(*) FROM schema_migrations", &[])?
                .get(0))
        })
        .await
    }
}

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> Self {
        use postgres::error::SqlState;
        if let Some(code) = e.code()
            && [
                SqlState::T_R_SERIALIZATION_FAILURE,
                SqlState::T_R_DEADLOCK_DETECTED,
                SqlState::QUERY_CANCELED,
                SqlState::LOCK_NOT_AVAILABLE,
            ]
            .contains(code)
        {
            tracing::warn!(error = %e, "postgres busy");
            return StoreError::Busy;
        }
        tracing::error!(error = %e, "postgres error");
        StoreError::Internal(format!("postgres: {e}"))
    }
}

/// True when `e` is a unique or primary key violation.
pub(crate) fn is_unique_violation(e: &postgres::Error) -> bool {
    e.code() == Some(&postgres::error::SqlState::UNIQUE_VIOLATION)
}

/// Reads a text column holding one of the model's string enums.
pub(crate) fn parse_enum<T: std::str::FromStr<Err = String>>(
    row: &postgres::Row,
    idx: usize,
) -> Result<T> {
    let text: String = row.try_get(idx)?;
    text.parse()
        .map_err(|e: String| StoreError::Internal(format!("column {idx}: {e}")))
}

/// The typed ids travel as the columns' types: TEXT for users and interviews, BIGINT for the
/// catalogue.
macro_rules! pg_id {
    ($name:ty, $inner:ty) => {
        impl<'a> postgres::types::FromSql<'a> for $name {
            fn from_sql(
                ty: &postgres::types::Type,
                raw: &'a [u8],
            ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
                <$inner>::from_sql(ty, raw).map(Self)
            }
            fn accepts(ty: &postgres::types::Type) -> bool {
                <$inner as postgres::types::FromSql>::accepts(ty)
            }
        }

        impl postgres::types::ToSql for $name {
            fn to_sql(
                &self,
                ty: &postgres::types::Type,
                out: &mut bytes::BytesMut,
            ) -> std::result::Result<
                postgres::types::IsNull,
                Box<dyn std::error::Error + Sync + Send>,
            > {
                self.0.to_sql(ty, out)
            }
            fn accepts(ty: &postgres::types::Type) -> bool {
                <$inner as postgres::types::ToSql>::accepts(ty)
            }
            postgres::types::to_sql_checked!();
        }
    };
}
pg_id!(crate::model::UserId, String);
pg_id!(crate::model::InterviewId, String);
pg_id!(crate::model::InterviewTypeId, i64);
pg_id!(crate::model::SkillId, i64);
pg_id!(crate::model::QuestionId, i64);
