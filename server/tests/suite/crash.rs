//! The crash test: the server binary, as a process, killed with SIGKILL while several clients
//! create interviews; after each restart on the same database every create it acknowledged
//! (201) is there. Runs on SQLite and, in the PostgreSQL pass, on PostgreSQL.

use crate::common::*;
use reqwest::{Client, StatusCode};
use serde_json::json;
use std::collections::HashSet;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const ROUNDS: usize = 5;
const WRITERS: usize = 8;

/// The server binary on `database`, on a free port; its base URL once it answers.
async fn spawn(database: &app::store::Location) -> (Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let database = match database {
        app::store::Location::Sqlite(path) => path.display().to_string(),
        app::store::Location::Postgres(url) => url.clone(),
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_perfect-pitch"))
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .args(["--database", &database])
        .args(["--leptos-config", "../Leptos.toml"])
        .args(["--node-id", "crash-test"])
        .env("PP_API_REQUESTS_PER_MINUTE", "1000000")
        .env("PP_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    for _ in 0..300 {
        if let Ok(r) = reqwest::get(format!("{base}/healthz")).await
            && r.status() == StatusCode::OK
        {
            return (child, base);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the server did not start on {database}");
}

/// Every interview id the user's list holds, page by page.
async fn listed(c: &Client, base: &str) -> HashSet<String> {
    let mut ids = HashSet::new();
    for page in 1.. {
        let v: serde_json::Value = c
            .get(format!("{base}/api/v1/interviews?per_page=100&page={page}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let items = v["interviews"].as_array().unwrap();
        ids.extend(items.iter().map(|i| i["id"].as_str().unwrap().to_owned()));
        if items.len() < 100 {
            break;
        }
    }
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_acknowledged_write_is_lost_when_the_server_is_killed() {
    let dir = tempfile::tempdir().unwrap();
    let database = fresh_database(dir.path()).await;
    let c = browser();
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    for round in 0..ROUNDS {
        let (mut child, base) = spawn(&database).await;
        if round == 0 {
            let resp = c
                .post(format!("{base}/auth/register"))
                .form(&[("username", "crash"), ("password", PASSWORD)])
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        }
        // Every create acknowledged before the kill must survive it.
        let before = listed(&c, &base).await;
        let missing: Vec<_> = acknowledged
            .lock()
            .unwrap()
            .iter()
            .filter(|id| !before.contains(*id))
            .cloned()
            .collect();
        assert!(missing.is_empty(), "round {round}: lost {missing:?}");
        let writers: Vec<_> = (0..WRITERS)
            .map(|w| {
                let (c, base, acknowledged) = (c.clone(), base.clone(), acknowledged.clone());
                tokio::spawn(async move {
                    for n in 0.. {
                        let body = json!({
                            "title": format!("crash {round}.{w}.{n}"),
                            "interview_type_id": 1,
                            "skill_ids": [1, 2, 3],
                        });
                        let Ok(resp) = c
                            .post(format!("{base}/api/v1/interviews"))
                            .json(&body)
                            .send()
                            .await
                        else {
                            return;
                        };
                        if resp.status() != StatusCode::CREATED {
                            return;
                        }
                        let Ok(v) = resp.json::<serde_json::Value>().await else {
                            return;
                        };
                        let id = v["id"].as_str().unwrap().to_owned();
                        acknowledged.lock().unwrap().push(id);
                    }
                })
            })
            .collect();
        // Killed at a different moment each round, mid-load.
        tokio::time::sleep(Duration::from_millis(400 + 150 * round as u64)).await;
        child.kill().unwrap();
        child.wait().unwrap();
        for w in writers {
            w.await.unwrap();
        }
    }
    let (mut child, base) = spawn(&database).await;
    let after = listed(&c, &base).await;
    let acknowledged = acknowledged.lock().unwrap().clone();
    let lost: Vec<_> = acknowledged
        .iter()
        .filter(|id| !after.contains(*id))
        .collect();
    child.kill().unwrap();
    child.wait().unwrap();
    println!(
        "{} creates acknowledged over {ROUNDS} kills on {}; {} lost",
        acknowledged.len(),
        store_and_schema(&database).0,
        lost.len()
    );
    assert!(acknowledged.len() > ROUNDS * WRITERS, "the load ran");
    assert!(lost.is_empty(), "lost {lost:?}");
}
