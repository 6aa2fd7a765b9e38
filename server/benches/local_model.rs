//! The real local model (SmolLM2-135M through llama.cpp's OpenAI-compatible server), asked for
//! an interview's opening reply, called directly and through the app, in one run on one model
//! server: time to the first token (through the app: to the first text shown, which is the
//! first whole sentence — `ai/bridge.rs`) and tokens per second of the model's writing.
//!
//! Run: `scripts/setup.sh --model && cargo bench -p server --bench local_model`.

#[path = "../tests/common/mod.rs"]
mod common;

use app::ai::{Ack, BriefQuestion, Step, TurnBrief, prompt};
use common::local_model::{MODEL, app_options, start_model};
use common::*;
use futures::StreamExt;
use std::time::{Duration, Instant};

const RUNS: usize = 8;
const MAX_TOKENS: u32 = 200;

struct Sample {
    first: Duration,
    tokens: u64,
    writing: Duration,
}

fn brief() -> TurnBrief {
    TurnBrief {
        step: Step::Greet,
        action: app::model::TurnAction::Start,
        type_name: "Technical".into(),
        type_description: Some("Assesses coding and problem solving.".into()),
        skills: vec!["JavaScript".into(), "Python".into()],
        total: 3,
        current: None,
        next: Some(BriefQuestion {
            order: 1,
            text: "What is the difference between a list and a tuple?".into(),
            skill: Some("Python".into()),
        }),
        candidate_text: None,
        history: vec![],
        follow_up: None,
        hint: None,
        ack: Ack::None,
        answered: 0,
    }
}

/// One streamed completion straight from the model server.
async fn direct(base_url: &str) -> Sample {
    let body = serde_json::json!({
        "model": MODEL,
        "stream": true,
        "stream_options": {"include_usage": true},
        "max_tokens": MAX_TOKENS,
        "temperature": 0.7,
        "messages": [{"role": "system", "content": prompt::system_prompt(&brief())}],
    });
    let started = Instant::now();
    let resp = reqwest::Client::new()
        .post(format!("{base_url}/chat/completions"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let mut bytes = resp.bytes_stream();
    let (mut first, mut tokens, mut buf) = (None, 0u64, String::new());
    while let Some(chunk) = bytes.next().await {
        buf.push_str(&String::from_utf8_lossy(&chunk.unwrap()));
        while let Some(end) = buf.find("\n\n") {
            let event: String = buf.drain(..end + 2).collect();
            let Some(data) = event.trim().strip_prefix("data: ") else {
                continue;
            };
            let Ok(v) = serde_json::from_str::<serde_json::Value>(data) else {
                continue;
            };
            if v["choices"][0]["delta"]["content"]
                .as_str()
                .is_some_and(|c| !c.is_empty())
            {
                first.get_or_insert_with(|| started.elapsed());
            }
            if let Some(n) = v["usage"]["completion_tokens"].as_u64() {
                tokens = n;
            }
        }
    }
    let first = first.expect("a token");
    Sample {
        first,
        tokens,
        writing: started.elapsed() - first,
    }
}

fn completion_tokens(s: &TestServer, id: &str) -> i64 {
    db(s)
        .query_row(
            "SELECT completion_tokens FROM Interviews WHERE interview_id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap()
}

/// One opening turn through the app, read from the reply stream as the browser reads it.
async fn through_app(s: &TestServer, c: &reqwest::Client, n: usize) -> Sample {
    let i = new_interview(s, c, &format!("Bench {n}"), 1, &[1, 2], 3).await;
    let before = completion_tokens(s, &i.id);
    let started = Instant::now();
    let (status, body) = turn(s, c, &i.id, "start", None).await;
    assert_eq!(status, reqwest::StatusCode::OK, "{body}");
    let mut first = None;
    follow_reply(s, c, &i.id, |name, data| {
        if (name == "snapshot" || name == "token") && !data.is_empty() {
            first.get_or_insert_with(|| started.elapsed());
        }
        assert_ne!(name, "failed", "{data}");
    })
    .await;
    let done = started.elapsed();
    wait_idle(s, c, &i.id).await;
    let after = completion_tokens(s, &i.id);
    let first = first.expect("text shown");
    Sample {
        first,
        tokens: (after - before) as u64,
        writing: done - first,
    }
}

fn summary(name: &str, samples: &mut [Sample]) -> (f64, f64) {
    samples.sort_by_key(|s| s.first);
    let first = samples[samples.len() / 2].first.as_secs_f64() * 1000.0;
    let tokens: u64 = samples.iter().map(|s| s.tokens).sum();
    let writing: f64 = samples
        .iter()
        .map(|s| (s.writing + s.first).as_secs_f64())
        .sum();
    let rate = tokens as f64 / writing;
    println!(
        "  {name:<14} first text p50 {first:>7.1} ms   {rate:>6.1} tokens/s   ({tokens} tokens over {} replies)",
        samples.len()
    );
    (first, rate)
}

#[tokio::main]
async fn main() {
    let model = start_model();
    let s = start_with(app_options(&model, MAX_TOKENS)).await;
    let c = browser();
    register(&s, &c, "bench", PASSWORD).await;
    // A warm-up of each, so neither pays for loading the model into the cache.
    direct(&model.base_url).await;
    through_app(&s, &c, 0).await;
    let (mut d, mut a) = (Vec::new(), Vec::new());
    for n in 1..=RUNS {
        d.push(direct(&model.base_url).await);
        a.push(through_app(&s, &c, n).await);
    }
    println!("opening reply, real local model ({MODEL}, {RUNS} runs each, alternating):");
    let (df, dr) = summary("direct", &mut d);
    let (af, ar) = summary("through the app", &mut a);
    println!(
        "  the app: first text x{:.2} the direct first token (a sentence, not a token); \
         tokens/s x{:.2} (request to last token; the app stops the model at its first question)",
        af / df,
        ar / dr
    );
    s.stop().await;
}
