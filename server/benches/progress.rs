//! How long the progress page takes to render on the server for a person with a long history:
//! 500 completed interviews over all 17 skills (three skills each, a rating per skill), then
//! `GET /progress` over real HTTP, one request at a time, with and without filters. The home
//! page (a server-rendered page with no data of its own) is measured in the same run as the
//! baseline.
//!
//! Run: `cargo bench -p server --bench progress`. Target (issue 14): p50 under 5 ms.

#[path = "../tests/common/mod.rs"]
mod common;

use common::*;
use std::time::{Duration, Instant};

const INTERVIEWS: usize = 500;
const SKILLS: i64 = 17;
const REQUESTS: usize = 300;

/// Writes `INTERVIEWS` completed interviews with reports for `user_id`, as the report step
/// writes them, one per day going back.
fn seed(s: &TestServer, user_id: &str) {
    let mut conn = db(s);
    let tx = conn.transaction().unwrap();
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    for i in 0..INTERVIEWS {
        let id = format!("bench-{i:04}");
        let type_id = 1 + next(4) as i64;
        tx.execute(
            "INSERT INTO Interviews (interview_id, user_id, title, status, interview_type_id,
                 created_at, updated_at, started_at, completed_at)
             VALUES (?1, ?2, ?3, 'completed', ?4, datetime('now', ?5), datetime('now', ?5),
                 datetime('now', ?5), datetime('now', ?5))",
            rusqlite::params![
                id,
                user_id,
                format!("Practice {i}"),
                type_id,
                format!("-{} days", INTERVIEWS - i)
            ],
        )
        .unwrap();
        let first = next(SKILLS as u64) as i64;
        for k in 0..3 {
            let skill = 1 + (first + k * 5) % SKILLS;
            tx.execute(
                "INSERT INTO Interview_Skills (interview_id, skill_id) VALUES (?1, ?2)",
                rusqlite::params![id, skill],
            )
            .unwrap();
            tx.execute(
                "INSERT INTO AI_Feedback (feedback_id, interview_id, skill_id, rating, answered, planned)
                 VALUES (?1, ?2, ?3, ?4, 2, 2)",
                rusqlite::params![format!("{id}-{skill}"), id, skill, 1 + next(5) as i64],
            )
            .unwrap();
        }
    }
    tx.commit().unwrap();
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

async fn measure(s: &TestServer, c: &reqwest::Client, path: &str, must_contain: &str) -> Duration {
    for _ in 0..20 {
        page(s, c, path).await.text().await.unwrap();
    }
    let mut times = Vec::with_capacity(REQUESTS);
    for _ in 0..REQUESTS {
        let started = Instant::now();
        let resp = page(s, c, path).await;
        assert_eq!(resp.status(), reqwest::StatusCode::OK, "{path}");
        let body = resp.text().await.unwrap();
        times.push(started.elapsed());
        assert!(body.contains(must_contain), "{path}: no {must_contain:?}");
    }
    times.sort();
    let (p50, p90, p99) = (
        percentile(&times, 0.5),
        percentile(&times, 0.9),
        percentile(&times, 0.99),
    );
    println!(
        "{path:<32} p50 {:>6.2} ms  p90 {:>6.2} ms  p99 {:>6.2} ms",
        p50.as_secs_f64() * 1e3,
        p90.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3
    );
    p50
}

#[tokio::main]
async fn main() {
    let s = start().await;
    let c = browser();
    register(&s, &c, "historian", PASSWORD).await;
    let user_id: String = db(&s)
        .query_row(
            "SELECT user_id FROM Users WHERE username = 'historian'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    seed(&s, &user_id);
    println!(
        "\n{INTERVIEWS} completed interviews over {SKILLS} skills, {REQUESTS} requests each, one at a time:"
    );
    let home = measure(&s, &c, "/", "Perfect Pitch").await;
    let all = measure(&s, &c, "/progress", "Practise weak skills").await;
    measure(&s, &c, "/progress?type=1&days=90", "progress-card").await;
    println!(
        "\n/progress p50 is {:.1}× the home page's; target p50 under 5 ms: {}",
        all.as_secs_f64() / home.as_secs_f64(),
        if all < Duration::from_millis(5) {
            "met"
        } else {
            "MISSED"
        }
    );
    s.stop().await;
}
