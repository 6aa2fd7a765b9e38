//! The PostgreSQL schema against the SQLite one, on a real PostgreSQL: a throw-away cluster
//! (`scripts/postgres.sh`) started here in a temporary directory and stopped at the end. Both
//! schemas hold the same tables and columns and the same catalogue rows; migrations apply
//! each once; names that SQLite compares without case are unique without case here too.
//!
//! Needs PostgreSQL (`scripts/setup.sh --postgres`) and the feature:
//! `cargo test -p app --features postgres --test postgres_schema`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// A cluster of our own, stopped when dropped.
struct Cluster {
    dir: tempfile::TempDir,
    url: String,
}

impl Cluster {
    fn start() -> Cluster {
        let dir = tempfile::tempdir().unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/postgres.sh");
        let out = Command::new(&script)
            .arg("start")
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "scripts/postgres.sh start: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let url = String::from_utf8(out.stdout).unwrap().trim().to_owned();
        Cluster { dir, url }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/postgres.sh");
        let _ = Command::new(script)
            .arg("stop")
            .arg(self.dir.path())
            .status();
    }
}

/// Each table's columns, lower-case, in order.
type Tables = BTreeMap<String, Vec<String>>;

fn sqlite_tables(conn: &rusqlite::Connection) -> Tables {
    let names: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    names
        .into_iter()
        .map(|t| {
            let columns = conn
                .prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")
                .unwrap()
                .query_map([&t], |r| r.get::<_, String>(0))
                .unwrap()
                .map(|c| c.unwrap().to_lowercase())
                .collect();
            (t.to_lowercase(), columns)
        })
        .collect()
}

async fn pg_tables(client: &tokio_postgres::Client) -> Tables {
    let mut tables = Tables::new();
    for row in client
        .query(
            "SELECT table_name::text, column_name::text FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name <> 'schema_migrations'
             ORDER BY table_name, ordinal_position",
            &[],
        )
        .await
        .unwrap()
    {
        tables.entry(row.get(0)).or_default().push(row.get(1));
    }
    tables
}

#[tokio::test]
async fn both_stores_hold_the_same_tables_columns_and_catalogue() {
    let cluster = Cluster::start();
    let mut client = app::store::pg::connect(&cluster.url).await.unwrap();

    let applied = app::store::pg::migrate(&mut client).await.unwrap();
    assert_eq!(
        applied,
        app::store::pg::steps(),
        "a new database gets every step"
    );
    let again = app::store::pg::migrate(&mut client).await.unwrap();
    assert!(again.is_empty(), "each step applies once: {again:?}");

    let dir = tempfile::tempdir().unwrap();
    let sqlite = app::store::open_connection(&dir.path().join("s.sqlite3")).unwrap();
    let (lite, pg) = (sqlite_tables(&sqlite), pg_tables(&client).await);
    let names = |t: &Tables| t.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&lite), names(&pg), "the same tables");
    for (table, columns) in &lite {
        let mut a = columns.clone();
        let mut b = pg[table].clone();
        a.sort();
        b.sort();
        assert_eq!(a, b, "the columns of {table}");
    }

    // The catalogue's rows, every column but the time each was made, as text.
    for (table, order) in [
        ("interview_types", "interview_type_id"),
        ("skills", "skill_id"),
        ("skill_aliases", "skill_id, alias"),
        (
            "interview_type_suggested_skills",
            "interview_type_id, skill_id",
        ),
        ("questions", "question_id"),
        ("question_key_points", "question_id, position"),
        ("question_probes", "question_id, position"),
        ("question_interview_types", "question_id, interview_type_id"),
    ] {
        let columns: Vec<&String> = lite[table].iter().filter(|c| *c != "created_at").collect();
        let as_text = |cast: &str| {
            columns
                .iter()
                .map(|c| format!("coalesce({c}{cast}, '∅')"))
                .collect::<Vec<_>>()
                .join(" || '¦' || ")
        };
        let lite_rows: Vec<String> = sqlite
            .prepare(&format!(
                "SELECT {} FROM {table} ORDER BY {order}",
                as_text("")
            ))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let pg_rows: Vec<String> = client
            .query(
                &format!("SELECT {} FROM {table} ORDER BY {order}", as_text("::text")),
                &[],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert!(!lite_rows.is_empty(), "{table} has seed rows");
        assert_eq!(lite_rows.len(), pg_rows.len(), "{table}: row count");
        assert_eq!(lite_rows, pg_rows, "{table}: rows");
    }

    // New rows take ids after the copied ones, and names are unique without case.
    let next: i64 = client
        .query_one(
            "INSERT INTO skills (skill_name) VALUES ('Rust') RETURNING skill_id",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    let highest: i64 = sqlite
        .query_row("SELECT max(skill_id) FROM Skills", [], |r| r.get(0))
        .unwrap();
    assert_eq!(next, highest + 1);
    for (sql, what) in [
        (
            "INSERT INTO skills (skill_name) VALUES ('PYTHON')",
            "a skill",
        ),
        (
            "INSERT INTO interview_types (type_name) VALUES ('technical')",
            "a type",
        ),
        (
            "INSERT INTO users (user_id, username) VALUES ('a', 'Ann'), ('b', 'ANN')",
            "a user",
        ),
    ] {
        let err = client.execute(sql, &[]).await.unwrap_err();
        assert_eq!(
            err.code(),
            Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION),
            "{what} differing only in case: {err}"
        );
    }
}
