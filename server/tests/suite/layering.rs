//! The layers, checked on the source: SQLite's library (`rusqlite`) and its connection are
//! named only in the store (`app/src/store/`); everything else asks `Db` for named units of
//! work (`list_interviews`, `check_owner`, `complete_turn`, …) or, for a turn, gets the
//! store's own `Tx`. `Db`'s connection-taking methods are private to the store, so the
//! compiler holds that part. Pages never reach the store: they call server functions.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every source file of the app and the server, as (path from the repository root, text).
fn sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut files = Vec::new();
    rust_files(&root.join("app/src"), &mut files);
    rust_files(&root.join("server/src"), &mut files);
    assert!(files.len() > 40, "found only {} files", files.len());
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            (rel, text)
        })
        .collect()
}

#[test]
fn rusqlite_and_its_connection_are_named_only_in_the_store() {
    let outside: Vec<String> = sources()
        .into_iter()
        .filter(|(path, _)| !path.starts_with("app/src/store/"))
        .filter(|(_, text)| text.contains("rusqlite") || text.contains("store::Connection"))
        .map(|(path, _)| path)
        .collect();
    assert!(
        outside.is_empty(),
        "rusqlite outside the store: {outside:?}"
    );
}

#[test]
fn pages_never_reach_the_store() {
    let reaching: Vec<String> = sources()
        .into_iter()
        .filter(|(path, _)| path.starts_with("app/src/pages/"))
        .filter(|(_, text)| text.contains("store::") || text.contains("crate::store"))
        .map(|(path, _)| path)
        .collect();
    assert!(
        reaching.is_empty(),
        "pages that use the store: {reaching:?}"
    );
}
