//! A flood of sign-ins costs bounded memory: password hashes (19 MiB each) run on a bounded
//! pool, and requests beyond its queue are refused at once with 503 and `Retry-After`.
//! Alone in its own test binary, so that the process's memory is this test's.

mod common;

use common::*;
use reqwest::StatusCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// This process's resident memory in MiB (Linux).
fn rss_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    kb / 1024
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_failed_sign_ins_stay_under_300_mb() {
    let s = start_with(server::AppOptions {
        // Nothing throttled: every request reaches the password check.
        throttle: server::throttle::ThrottlePolicy {
            free_failures: u32::MAX,
            ..Default::default()
        },
        ..default_options()
    })
    .await;
    // Warm up what every request touches (the session store, the route list, the dummy hash).
    sign_in(&s, &browser(), "nobody", "wrong password 123").await;
    let before = rss_mib();
    let peak = Arc::new(AtomicU64::new(before));
    let sampler = {
        let peak = peak.clone();
        tokio::spawn(async move {
            loop {
                peak.fetch_max(rss_mib(), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
    };
    // One client (many connections): 200 clients would measure the clients' own memory.
    let c = browser();
    let statuses = futures::future::join_all((0..200).map(|n| {
        let (s, c) = (&s, &c);
        async move {
            let resp = sign_in(s, c, &format!("nobody{n}"), "wrong password 123").await;
            let retry = resp.headers().get("retry-after").is_some();
            (resp.status(), retry)
        }
    }))
    .await;
    sampler.abort();
    let peak = peak.load(Ordering::Relaxed);
    let checked = statuses
        .iter()
        .filter(|(s, _)| *s == StatusCode::SEE_OTHER)
        .count();
    let busy = statuses
        .iter()
        .filter(|(s, retry)| *s == StatusCode::SERVICE_UNAVAILABLE && *retry)
        .count();
    println!(
        "200 concurrent failed sign-ins: {checked} checked, {busy} told to retry; \
         memory {before} MiB before, peak {peak} MiB"
    );
    assert_eq!(checked + busy, 200, "{statuses:?}");
    assert!(checked >= 2, "some were checked");
    assert!(peak < 300, "peak {peak} MiB");
    // Afterwards the pool is free again: a sign-in is checked.
    let resp = sign_in(&s, &browser(), "nobody", "wrong password 123").await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    s.stop().await;
}
