//! The PostgreSQL store (feature `postgres`): for several app servers on one database. This
//! first part is its schema: the migrations in `migrations/postgres/`, applied at start-up
//! each once (under an advisory lock, so nodes starting together do not race), and the
//! catalogue's rows copied from the SQLite migrations, so both stores start from one source.

use super::{Result, StoreError};
use include_dir::{Dir, include_dir};
use tokio_postgres::{Client, NoTls};

static PG_MIGRATIONS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../migrations/postgres");

/// The step that copies the catalogue, in order among the files.
const CATALOGUE_STEP: &str = "0002_catalogue_from_sqlite";

/// Any key no other advisory lock of the app uses: held while migrating.
const MIGRATION_LOCK: i64 = 0x5050_4d49_4752;

/// The catalogue's tables in an order that satisfies their foreign keys, with the identity
/// column of each table that has one.
const CATALOGUE: &[(&str, Option<&str>)] = &[
    ("interview_types", Some("interview_type_id")),
    ("skills", Some("skill_id")),
    ("skill_aliases", None),
    ("interview_type_suggested_skills", None),
    ("questions", Some("question_id")),
    ("question_key_points", None),
    ("question_probes", None),
    ("question_interview_types", None),
];

fn pg_error(e: tokio_postgres::Error) -> StoreError {
    StoreError::Internal(format!("postgres: {e}"))
}

/// Connects to `url` (`postgres://user@host/db`, or a socket directory as `?host=/path`),
/// driving the connection on its own task.
pub async fn connect(url: &str) -> Result<Client> {
    let (client, connection) = tokio_postgres::connect(url, NoTls)
        .await
        .map_err(pg_error)?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::error!(error = %e, "postgres connection ended");
        }
    });
    Ok(client)
}

/// The migration steps by name, in order: the SQL files and the catalogue copy.
pub fn steps() -> Vec<String> {
    let mut names: Vec<String> = PG_MIGRATIONS
        .files()
        .filter_map(|f| f.path().file_name()?.to_str())
        .filter(|n| n.ends_with(".sql"))
        .map(|n| n.trim_end_matches(".sql").to_owned())
        .chain([CATALOGUE_STEP.to_owned()])
        .collect();
    names.sort();
    names
}

/// Applies the steps not yet applied, each in its own transaction; returns their names.
pub async fn migrate(client: &mut Client) -> Result<Vec<String>> {
    client
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                 version TEXT PRIMARY KEY,
                 applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
        )
        .await
        .map_err(pg_error)?;
    let mut applied = Vec::new();
    for step in steps() {
        let tx = client.transaction().await.map_err(pg_error)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await
            .map_err(pg_error)?;
        let done = tx
            .query_opt(
                "SELECT 1 FROM schema_migrations WHERE version = $1",
                &[&step],
            )
            .await
            .map_err(pg_error)?
            .is_some();
        if done {
            continue;
        }
        if step == CATALOGUE_STEP {
            copy_catalogue(&tx).await?;
        } else {
            let file = PG_MIGRATIONS
                .get_file(format!("{step}.sql"))
                .and_then(|f| f.contents_utf8())
                .ok_or_else(|| StoreError::Internal(format!("migration {step} unreadable")))?;
            tx.batch_execute(file)
                .await
                .map_err(|e| StoreError::Internal(format!("migration {step}: {e}")))?;
        }
        tx.execute(
            "INSERT INTO schema_migrations (version) VALUES ($1)",
            &[&step],
        )
        .await
        .map_err(pg_error)?;
        tx.commit().await.map_err(pg_error)?;
        tracing::info!(migration = step, "postgres migration applied");
        applied.push(step);
    }
    Ok(applied)
}

/// Copies the catalogue's rows, ids included, from a database the SQLite migrations build in
/// memory; then moves each identity past the highest id copied.
async fn copy_catalogue(tx: &tokio_postgres::Transaction<'_>) -> Result<()> {
    use futures::SinkExt;
    let mut sqlite = rusqlite::Connection::open_in_memory()?;
    crate::store::migrate(&mut sqlite)?;
    for (table, identity) in CATALOGUE {
        let columns: Vec<String> = tx
            .query(
                "SELECT column_name::text FROM information_schema.columns
                 WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
                &[table],
            )
            .await
            .map_err(pg_error)?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let list = columns.join(", ");
        let mut text = String::new();
        let mut stmt = sqlite.prepare(&format!("SELECT {list} FROM {table}"))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            for i in 0..columns.len() {
                if i > 0 {
                    text.push('\t');
                }
                copy_value(&mut text, row.get_ref(i)?);
            }
            text.push('\n');
        }
        let sink = tx
            .copy_in(&format!("COPY {table} ({list}) FROM STDIN"))
            .await
            .map_err(pg_error)?;
        futures::pin_mut!(sink);
        sink.send(bytes::Bytes::from(text))
            .await
            .map_err(pg_error)?;
        sink.finish().await.map_err(pg_error)?;
        if let Some(id) = identity {
            tx.execute(
                &format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', '{id}'),
                                   coalesce(max({id}), 0) + 1, false) FROM {table}"
                ),
                &[],
            )
            .await
            .map_err(pg_error)?;
        }
    }
    Ok(())
}

/// One value in COPY's text format: `\N` for NULL, and backslash, tab and line breaks escaped.
fn copy_value(out: &mut String, value: rusqlite::types::ValueRef<'_>) {
    use rusqlite::types::ValueRef;
    match value {
        ValueRef::Null => out.push_str("\\N"),
        ValueRef::Integer(i) => out.push_str(&i.to_string()),
        ValueRef::Real(f) => out.push_str(&f.to_string()),
        ValueRef::Text(t) => {
            for c in String::from_utf8_lossy(t).chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\t' => out.push_str("\\t"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    c => out.push(c),
                }
            }
        }
        ValueRef::Blob(b) => {
            out.push_str("\\\\x");
            for byte in b {
                out.push_str(&format!("{byte:02x}"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_escapes_what_would_break_a_row() {
        use rusqlite::types::ValueRef;
        let mut out = String::new();
        for v in [
            ValueRef::Text(b"a\tb\nc\\d"),
            ValueRef::Null,
            ValueRef::Integer(-7),
            ValueRef::Blob(&[0, 255]),
        ] {
            copy_value(&mut out, v);
            out.push('|');
        }
        assert_eq!(out, "a\\tb\\nc\\\\d|\\N|-7|\\\\x00ff|");
    }

    #[test]
    fn the_catalogue_is_copied_after_the_schema() {
        let steps = steps();
        assert_eq!(steps[0], "0001_schema");
        assert_eq!(steps[1], CATALOGUE_STEP);
    }
}
