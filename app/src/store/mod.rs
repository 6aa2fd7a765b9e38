//! The interview store: every read and write of the SQLite database.
//!
//! Functions here are synchronous and take a `rusqlite::Connection`, so plain `#[test]`s reach
//! them. Async callers go through [`Db`], which runs them on tokio's blocking threads with a
//! pool of read-only connections and one writer (SQLite allows one writer at a time; queueing
//! writers here, rather than in SQLite's busy handler, is what keeps concurrent requests from
//! failing with "database is locked").

mod catalog;
mod interviews;
mod messages;
#[cfg(feature = "postgres")]
pub mod pg;
mod progress;
mod sessions;
mod signin;
mod turns;
mod units;
mod users;

pub use catalog::*;
pub use interviews::*;
pub use messages::*;
pub use progress::*;
/// The connection type store functions take, for callers that pass closures to [`Db`].
pub use rusqlite::Connection;
pub use sessions::*;
pub use signin::*;
pub use turns::*;
pub use units::{Checked, ReplyPiece, StoreHealth, Tx};
pub use users::*;

use crate::model::{InterviewId, UserId};
use include_dir::{Dir, include_dir};
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::{ErrorCode, OpenFlags};
use rusqlite_migration::{M, Migrations};
use std::path::Path;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

/// What can go wrong in the store. The `Display` text is safe to show a user; SQLite's own
/// messages only ever reach the log.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("{0} not found")]
    NotFound(String),
    #[error("{entity} '{name}' is already taken")]
    Duplicate { entity: &'static str, name: String },
    #[error("{0}")]
    Invalid(String),
    /// The request is well-formed but the current state forbids it (e.g. reopening a completed
    /// interview).
    #[error("{0}")]
    Conflict(String),
    #[error("the database is busy, please try again")]
    Busy,
    #[error("internal storage error")]
    Internal(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The typed ids are TEXT in the database.
macro_rules! sql_text_id {
    ($name:ty) => {
        impl rusqlite::types::FromSql for $name {
            fn column_result(
                v: rusqlite::types::ValueRef<'_>,
            ) -> rusqlite::types::FromSqlResult<Self> {
                String::column_result(v).map(Into::into)
            }
        }

        impl rusqlite::types::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                self.0.to_sql()
            }
        }
    };
}
sql_text_id!(crate::model::UserId);
sql_text_id!(crate::model::InterviewId);

/// The catalogue's ids are INTEGER in the database.
macro_rules! sql_int_id {
    ($name:ty) => {
        impl rusqlite::types::FromSql for $name {
            fn column_result(
                v: rusqlite::types::ValueRef<'_>,
            ) -> rusqlite::types::FromSqlResult<Self> {
                i64::column_result(v).map(|n| Self(n))
            }
        }

        impl rusqlite::types::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                self.0.to_sql()
            }
        }
    };
}
sql_int_id!(crate::model::InterviewTypeId);
sql_int_id!(crate::model::SkillId);
sql_int_id!(crate::model::QuestionId);

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        if let rusqlite::Error::SqliteFailure(f, _) = &e
            && matches!(f.code, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
        {
            tracing::warn!(error = %e, "sqlite busy");
            return StoreError::Busy;
        }
        tracing::error!(error = %e, "sqlite error");
        StoreError::Internal(e.to_string())
    }
}

impl From<r2d2::Error> for StoreError {
    fn from(e: r2d2::Error) -> Self {
        tracing::error!(error = %e, "connection pool error");
        StoreError::Busy
    }
}

/// True when `e` is a UNIQUE or PRIMARY KEY constraint failure.
pub(crate) fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
            || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY)
}

/// Today's time with milliseconds, as SQLite writes it. Used for every timestamp the store sets
/// so that rows made within one second still sort in the order they were made.
pub(crate) const NOW_SQL: &str = "strftime('%Y-%m-%d %H:%M:%f', 'now')";

static MIGRATIONS_DIR: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../migrations");

/// The files of `migrations/`, sorted by name, as (file name, SQL).
pub fn migration_files() -> Vec<(&'static str, &'static str)> {
    let mut files: Vec<_> = MIGRATIONS_DIR
        .files()
        .filter_map(|f| {
            let name = f.path().file_name()?.to_str()?;
            name.ends_with(".sql")
                .then(|| (name, f.contents_utf8().expect("migrations are UTF-8")))
        })
        .collect();
    files.sort_by_key(|(name, _)| *name);
    files
}

static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    Migrations::new(
        migration_files()
            .into_iter()
            .map(|(_, sql)| M::up(sql))
            .collect(),
    )
});

/// Applies every migration not yet applied, in file-name order. rusqlite_migration records the
/// schema version in the database header (`user_version`), so each file runs once.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    MIGRATIONS.to_latest(conn).map_err(|e| {
        tracing::error!(error = %e, "migration failed");
        StoreError::Internal(format!("migration failed: {e}"))
    })
}

/// Settings every connection needs: foreign keys are off by default in SQLite and must be
/// turned on per connection.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // The query planner stability guarantee: a cached statement keeps its plan whatever values
    // are bound. Without it SQLite (3.53, bundled) treats a bound LIMIT or OFFSET as a value
    // the plan may depend on and compiles the statement again after every new binding: the
    // paged list was re-parsed and re-planned on each request.
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

/// Opens a single read-write connection with migrations applied: for tests, tools and
/// benchmarks that need no pool.
pub fn open_connection(path: &Path) -> Result<Connection> {
    let mut conn = Connection::open(path)?;
    configure(&conn)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    migrate(&mut conn)?;
    Ok(conn)
}

/// The async face of the store: the units of work (`units.rs`) on the engine chosen at start.
#[derive(Clone)]
pub struct Db {
    engine: Engine,
}

#[derive(Clone)]
enum Engine {
    Sqlite(SqliteStore),
    #[cfg(feature = "postgres")]
    Postgres(pg::PgStore),
}

/// Where the data lives, as the `--database` setting names it: a file path (or `sqlite:` and
/// a path) for SQLite, a `postgres://` or `postgresql://` URL for PostgreSQL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    Sqlite(std::path::PathBuf),
    Postgres(String),
}

impl std::str::FromStr for Location {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let s = s.trim();
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            return Ok(Location::Postgres(s.to_owned()));
        }
        let path = s
            .strip_prefix("sqlite://")
            .or_else(|| s.strip_prefix("sqlite:"));
        match path.unwrap_or(s) {
            "" => {
                Err("the database setting is empty: give a file path or a postgres:// URL".into())
            }
            path => Ok(Location::Sqlite(path.into())),
        }
    }
}

impl std::fmt::Display for Location {
    /// The location as logs may show it: a PostgreSQL URL without its password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Sqlite(path) => write!(f, "{}", path.display()),
            // postgres://user:password@host/db: the password never reaches a log.
            Location::Postgres(url) => {
                if let Some((scheme, rest)) = url.split_once("://")
                    && let Some((auth, host)) = rest.rsplit_once('@')
                    && let Some((user, _)) = auth.split_once(':')
                {
                    write!(f, "{scheme}://{user}:…@{host}")
                } else {
                    f.write_str(url)
                }
            }
        }
    }
}

impl From<&Path> for Location {
    fn from(path: &Path) -> Self {
        Location::Sqlite(path.to_owned())
    }
}

impl From<&std::path::PathBuf> for Location {
    fn from(path: &std::path::PathBuf) -> Self {
        Location::Sqlite(path.clone())
    }
}

impl From<&Location> for Location {
    fn from(location: &Location) -> Self {
        location.clone()
    }
}

/// The SQLite engine: four read-only connections and one writer on one file.
#[derive(Clone)]
struct SqliteStore {
    readers: r2d2::Pool<SqliteConnectionManager>,
    writer: Arc<Mutex<Connection>>,
    /// Callers wait here, as tasks, for a connection (and writers for a blocking thread): a
    /// burst of requests once became one blocking thread each (each with its stack and
    /// allocator arena), all waiting on four connections.
    read_slots: Arc<tokio::sync::Semaphore>,
    write_slot: Arc<tokio::sync::Semaphore>,
    /// How long writes waited for the writer: the one queue every change goes through.
    write_wait: Arc<crate::stats::Histogram>,
}

/// Read-only connections in the pool.
const READERS: u32 = 4;

impl Db {
    /// Opens (creating if needed) the SQLite database file, applies migrations and starts the
    /// pool.
    pub fn open(path: &Path) -> Result<Db> {
        Ok(Db {
            engine: Engine::Sqlite(SqliteStore::open(path)?),
        })
    }

    /// Opens the store `location` names: SQLite's file, or a PostgreSQL database (migrated,
    /// with a pool of `pg.pool_size` connections).
    pub async fn connect(location: &Location, pg: PgOptions) -> Result<Db> {
        match location {
            Location::Sqlite(path) => Db::open(path),
            #[cfg(feature = "postgres")]
            Location::Postgres(url) => Ok(Db {
                engine: Engine::Postgres(pg::PgStore::open(url, pg).await?),
            }),
            #[cfg(not(feature = "postgres"))]
            Location::Postgres(_) => {
                let _ = pg;
                Err(StoreError::Internal(
                    "this build has no PostgreSQL store: build the server with `--features postgres`"
                        .into(),
                ))
            }
        }
    }

    /// The SQLite store's own read and write, for its tests.
    #[cfg(test)]
    fn sqlite(&self) -> &SqliteStore {
        match &self.engine {
            Engine::Sqlite(s) => s,
            #[cfg(feature = "postgres")]
            Engine::Postgres(_) => unreachable!("the SQLite tests open SQLite files"),
        }
    }

    #[cfg(test)]
    pub(crate) async fn read<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        self.sqlite().read(f).await
    }

    #[cfg(test)]
    pub(crate) async fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        self.sqlite().write(f).await
    }

    /// Time from asking to write until a writing connection was in hand.
    pub fn write_wait(&self) -> &crate::stats::Histogram {
        match &self.engine {
            Engine::Sqlite(s) => &s.write_wait,
            #[cfg(feature = "postgres")]
            Engine::Postgres(p) => p.write_wait(),
        }
    }
}

/// PostgreSQL's settings (pool size, statement timeout); without the `postgres` feature there
/// are none to give.
#[cfg(feature = "postgres")]
pub use pg::PgSettings as PgOptions;
#[cfg(not(feature = "postgres"))]
#[derive(Clone, Copy, Debug, Default)]
pub struct PgOptions {
    pub pool_size: u32,
    pub statement_timeout: Duration,
}

impl SqliteStore {
    fn open(path: &Path) -> Result<SqliteStore> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::Internal(format!("cannot create {}: {e}", dir.display()))
            })?;
        }
        let writer = open_connection(path)?;
        let manager = SqliteConnectionManager::file(path)
            .with_flags(OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .with_init(|c| {
                configure(c)?;
                c.pragma_update(None, "query_only", "ON")
            });
        let readers = r2d2::Pool::builder()
            .max_size(READERS)
            .connection_timeout(Duration::from_secs(10))
            .build(manager)?;
        Ok(SqliteStore {
            readers,
            writer: Arc::new(Mutex::new(writer)),
            read_slots: Arc::new(tokio::sync::Semaphore::new(READERS as usize)),
            write_slot: Arc::new(tokio::sync::Semaphore::new(1)),
            write_wait: Arc::default(),
        })
    }

    /// Runs `f` with a read-only connection, inside one read transaction:
    /// everything `f` reads comes from the same snapshot. Without it each statement sees the
    /// latest commit, and a read of several tables could mix the states before and after a
    /// write — say, an interview still in progress whose closing reply is already stored.
    async fn read<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        // On the calling task, not a blocking thread: a read is an indexed query over pages
        // the OS has cached, tens of microseconds, and handing it to another thread and back
        // cost more than that (two context switches). Moving reads here took the JSON list of
        // 50 interviews from 1,806 to 4,339 requests a second (scripts/bench-http.sh). A slot
        // guarantees a free connection, so `get` never waits.
        let _slot = acquire(&self.read_slots).await?;
        let conn = self.readers.get()?;
        let snapshot = conn.unchecked_transaction()?;
        let out = f(&snapshot)?;
        snapshot.commit()?;
        Ok(out)
    }

    /// Runs `f` with the writer connection on a blocking thread; writers queue for it.
    async fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        let writer = self.writer.clone();
        let queued = std::time::Instant::now();
        let _slot = acquire(&self.write_slot).await?;
        let write_wait = self.write_wait.clone();
        run_blocking(move || {
            write_wait.observe(queued.elapsed());
            // A panic while holding the lock poisons it; the connection itself is still sound
            // (any open transaction was rolled back when it was dropped).
            let mut conn = writer.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut conn)
        })
        .await
    }
}

async fn acquire(slots: &tokio::sync::Semaphore) -> Result<tokio::sync::SemaphorePermit<'_>> {
    slots
        .acquire()
        .await
        .map_err(|_| StoreError::Internal("the store is closed".into()))
}

async fn run_blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(f).await.map_err(|e| {
        tracing::error!(error = %e, "store task failed");
        StoreError::Internal(format!("store task failed: {e}"))
    })?
}

/// Reads a column holding one of the model's string enums.
pub(crate) fn parse_enum<T: std::str::FromStr<Err = String>>(
    row: &rusqlite::Row<'_>,
    idx: usize,
) -> rusqlite::Result<T> {
    let text: String = row.get(idx)?;
    text.parse().map_err(|e: String| {
        rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, e.into())
    })
}

/// A JSON array of ids, for `json_each(?)` — one bound parameter however many ids.
pub(crate) fn id_array<T: std::fmt::Display>(ids: &[T]) -> String {
    let parts: Vec<String> = ids.iter().map(ToString::to_string).collect();
    format!("[{}]", parts.join(","))
}

/// Trims `value` and checks its length in characters.
pub(crate) fn checked_text(what: &str, value: &str, max: usize) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(StoreError::Invalid(format!("{what} must not be empty")));
    }
    let len = value.chars().count();
    if len > max {
        return Err(StoreError::Invalid(format!(
            "{what} must be at most {max} characters (got {len})"
        )));
    }
    Ok(value.to_owned())
}

/// Optional free text: blank becomes `None`.
pub(crate) fn checked_optional_text(
    what: &str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => checked_text(what, v, max).map(Some),
    }
}

#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// A fresh migrated database in a temporary directory (a real file, WAL and all).
    pub struct TestDb {
        pub conn: Connection,
        pub dir: tempfile::TempDir,
    }

    pub fn test_db() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let conn = open_connection(&dir.path().join("test.sqlite3")).unwrap();
        TestDb { conn, dir }
    }

    pub fn skill_id(conn: &Connection, name: &str) -> crate::model::SkillId {
        conn.query_row(
            "SELECT skill_id FROM Skills WHERE skill_name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap()
    }

    pub fn type_id(conn: &Connection, name: &str) -> crate::model::InterviewTypeId {
        conn.query_row(
            "SELECT interview_type_id FROM Interview_Types WHERE type_name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap()
    }

    /// A user without a password, named `name`.
    pub fn user(conn: &Connection, name: &str) -> crate::model::UserId {
        create_user(
            conn,
            &NewUser {
                username: name,
                email: None,
                hashed_password: None,
            },
        )
        .unwrap()
        .id
    }

    pub fn count(conn: &Connection, sql: &str) -> i64 {
        conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }
}

#[cfg(test)]
mod bank_tests;
#[cfg(test)]
mod progress_tests;
#[cfg(test)]
mod tests;
