//! The connection loop under slow and idle clients: half-open and idle connections are closed
//! by the header-read timeout, the number of connections served at once is capped, and a reply
//! stream longer than the timeout keeps flowing.

use crate::common::*;
use server::ConnectionLimits;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn limits(header_ms: u64, max_connections: usize) -> ConnectionLimits {
    ConnectionLimits {
        header_read_timeout: Duration::from_millis(header_ms),
        max_connections,
        shutdown_grace: Duration::from_secs(1),
    }
}

/// How long until the server closes `tcp` (reads until end of stream), at most `within`.
async fn closed_after(tcp: &mut TcpStream, within: Duration) -> Option<Duration> {
    let start = Instant::now();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(within.saturating_sub(start.elapsed()), tcp.read(&mut buf)).await
        {
            Ok(Ok(0)) | Ok(Err(_)) => return Some(start.elapsed()),
            Ok(Ok(_)) => continue,
            Err(_) => return None,
        }
    }
}

#[tokio::test]
async fn half_open_and_idle_connections_are_closed_by_the_timeout() {
    let s = start_with_limits(default_options(), limits(300, 64)).await;
    let addr = s.base.trim_start_matches("http://").to_owned();
    // Half-open: a request whose headers never finish.
    let mut half = TcpStream::connect(&addr).await.unwrap();
    half.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    // Silent: connected, nothing sent.
    let mut silent = TcpStream::connect(&addr).await.unwrap();
    // Idle after a request on a kept-alive connection.
    let mut idle = TcpStream::connect(&addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    for (name, tcp) in [
        ("half-open", &mut half),
        ("silent", &mut silent),
        ("idle", &mut idle),
    ] {
        let closed = closed_after(tcp, Duration::from_secs(3)).await;
        assert!(closed.is_some(), "the {name} connection was kept open");
    }
    s.stop().await;
}

#[tokio::test]
async fn connections_beyond_the_cap_wait_until_one_closes() {
    let s = start_with_limits(default_options(), limits(2_000, 2)).await;
    let addr = s.base.trim_start_matches("http://").to_owned();
    let hold_a = TcpStream::connect(&addr).await.unwrap();
    let hold_b = TcpStream::connect(&addr).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let quick = reqwest::Client::builder()
        .timeout(Duration::from_millis(400))
        .build()
        .unwrap();
    assert!(
        quick.get(s.url("/healthz")).send().await.is_err(),
        "a third connection was served while two were open"
    );
    drop(hold_a);
    drop(hold_b);
    let patient = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let resp = patient.get(s.url("/healthz")).send().await.unwrap();
    assert_eq!(resp.status(), reqwest::StatusCode::OK);
    s.stop().await;
}

#[tokio::test]
async fn a_reply_stream_outlasts_the_header_timeout() {
    let slow = server::AppOptions {
        interviewer: server::config::Interviewer::Offline {
            word_delay: Duration::from_millis(40),
        },
        ..default_options()
    };
    let s = start_with_limits(slow, limits(300, 64)).await;
    let c = browser();
    register(&s, &c, "ada", PASSWORD).await;
    let i = new_interview(&s, &c, "Loop", 1, &[1, 2], 3).await;
    let (status, body) = turn(&s, &c, &i.id, "start", None).await;
    assert_eq!(status, reqwest::StatusCode::OK, "{body}");
    // The greeting streams word by word for well over a second on one connection, with a
    // 300 ms header timeout.
    let start = Instant::now();
    let events = reply_events(&s, &c, &i.id).await;
    let took = start.elapsed();
    assert!(took > Duration::from_millis(900), "{took:?}");
    assert_eq!(events.last().unwrap().0, "done", "{events:?}");
    assert!(events.iter().filter(|(name, _)| name == "token").count() > 20);
    s.stop().await;
}
