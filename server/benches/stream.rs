//! How long a sentence takes from the model server to the browser's stream.
//!
//! A local mock model server (`tests/common/mock_llm.rs`, the real chat-completions streaming
//! protocol over real HTTP) writes the time it sent each piece into the piece, each piece a
//! sentence (the model's words are shown a sentence at a time once checked, `ai/bridge.rs`,
//! at most three per reply). The app server,
//! configured with the OpenAI-compatible interviewer, receives it through async-openai, passes it
//! to the turn's followers, and sends it on `GET /interviews/{id}/reply`; a streaming HTTP client
//! reads that and notes the time of arrival. The difference is the latency our path adds on top
//! of the model's own speed (including one extra local HTTP hop, to the mock).
//!
//! Run: `cargo bench -p server --bench stream`. Target: p99 under 5 ms.

#[path = "../tests/common/mod.rs"]
mod common;

use app::ai::openai::OpenAiSettings;
use common::mock_llm::{MockLlm, Script};
use common::*;
use server::AppOptions;
use server::config::Interviewer;
use std::time::Duration;

const TOKENS: usize = 3;
const TURNS: usize = 100;

#[tokio::main]
async fn main() {
    let mock = MockLlm::start().await;
    let s = start_with(AppOptions {
        interviewer: Interviewer::OpenAi(OpenAiSettings {
            base_url: mock.base_url.clone(),
            model: "mock-model".into(),
            api_key: None,
            timeout: Duration::from_secs(10),
            max_tokens: 4096,
            temperature: 0.7,
        }),
        // A hundred turns in a few seconds: far past a person's per-minute limit.
        rates: server::limits::RatePolicy {
            model: server::limits::Rate {
                burst: 1000,
                per: Duration::from_secs(60),
            },
            ..Default::default()
        },
        ..default_options()
    })
    .await;
    let c = browser();
    register(&s, &c, "bench", PASSWORD).await;
    let mut latencies: Vec<u128> = Vec::new();
    for t in 0..TURNS {
        let i = new_interview(&s, &c, &format!("Bench {t}"), 1, &[1, 2], 3).await;
        mock.push(Script::Timed {
            count: TOKENS,
            gap: Duration::from_millis(2),
        });
        let (status, body) = turn(&s, &c, &i.id, "start", None).await;
        assert_eq!(status, reqwest::StatusCode::OK, "{body}");
        follow_reply(&s, &c, &i.id, |name, data| {
            let arrived = mock.epoch().elapsed().as_micros();
            // The snapshot holds what was sent before we connected: not a live piece.
            if name == "token" {
                for sent in data
                    .split('<')
                    .filter_map(|p| p.split('>').next()?.parse::<u128>().ok())
                {
                    latencies.push(arrived - sent);
                }
            }
            assert_ne!(name, "failed", "{data}");
        })
        .await;
        wait_idle(&s, &c, &i.id).await;
    }
    latencies.sort_unstable();
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q) as usize] as f64 / 1000.0;
    println!(
        "sentence latency, mock model server → browser stream ({} sentences over {TURNS} replies):",
        latencies.len()
    );
    println!(
        "  p50 {:.3} ms   p90 {:.3} ms   p99 {:.3} ms   max {:.3} ms",
        at(0.5),
        at(0.9),
        at(0.99),
        at(1.0)
    );
    println!(
        "  target: p99 under 5 ms — {}",
        if at(0.99) < 5.0 { "met" } else { "NOT met" }
    );
    s.stop().await;
}
