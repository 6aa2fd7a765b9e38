//! A stand-in for an OpenAI-compatible model server, over real HTTP on a random port. It
//! speaks the chat-completions protocol — server-sent `chat.completion.chunk` events ending in
//! `data: [DONE]` for streamed requests, a `chat.completion` object otherwise — and answers
//! each request with the next scripted behaviour, so tests can make it fail on purpose.

#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use futures::StreamExt;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone, Debug)]
pub enum Script {
    /// Streams these pieces, each after `gap`, then a finish reason and `[DONE]`.
    Stream { pieces: Vec<String>, gap: Duration },
    /// Answers this status with an OpenAI-style error body.
    Status(u16),
    /// Accepts the request and never answers.
    Hang,
    /// Streams these pieces and then closes the connection with no finish reason.
    Cut(Vec<String>),
    /// Streams these pieces and then breaks the connection (the body never ends properly).
    Reset(Vec<String>),
    /// A non-streamed completion whose message content is this text.
    Content(String),
    /// Streams pieces whose text is the time they were sent (µs since `epoch`), each a
    /// sentence, for latency.
    Timed { count: usize, gap: Duration },
}

#[derive(Clone)]
pub struct MockLlm {
    pub base_url: String,
    state: Arc<Mock>,
}

struct Mock {
    scripts: Mutex<VecDeque<Script>>,
    fallback: Script,
    requests: Mutex<Vec<serde_json::Value>>,
    pub epoch: Instant,
}

impl MockLlm {
    /// Starts the mock; requests beyond the queued scripts get a short normal reply.
    pub async fn start() -> MockLlm {
        let state = Arc::new(Mock {
            scripts: Mutex::new(VecDeque::new()),
            fallback: Script::Stream {
                pieces: words("Thank you. Here is the next question."),
                gap: Duration::ZERO,
            },
            requests: Mutex::new(Vec::new()),
            epoch: Instant::now(),
        });
        let app = Router::new()
            .route("/v1/chat/completions", post(completions))
            .route("/scripts", post(push_script))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        // Like a real model server, it writes each chunk at once (no Nagle delay).
        let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
            let _ = tcp.set_nodelay(true);
        });
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        MockLlm {
            base_url: format!("http://{addr}/v1"),
            state,
        }
    }

    pub fn push(&self, s: Script) {
        self.state.scripts.lock().unwrap().push_back(s);
    }

    /// The JSON bodies received so far.
    pub fn requests(&self) -> Vec<serde_json::Value> {
        self.state.requests.lock().unwrap().clone()
    }

    pub fn epoch(&self) -> Instant {
        self.state.epoch
    }
}

/// A script as JSON, for the mock run as a process of its own (`examples/mock_model.rs`, which
/// the browser tests start): `{"say": "Hello."}`, `{"status": 500}`, `{"cut": "Thank you"}`.
#[derive(serde::Deserialize)]
#[serde(rename_all = "lowercase")]
enum ScriptJson {
    Say(String),
    Status(u16),
    Cut(String),
    Hang,
}

/// `POST /scripts`: queues the next behaviour.
async fn push_script(
    State(m): State<Arc<Mock>>,
    axum::Json(s): axum::Json<ScriptJson>,
) -> StatusCode {
    let script = match s {
        ScriptJson::Say(text) => Script::Stream {
            pieces: words(&text),
            gap: Duration::ZERO,
        },
        ScriptJson::Status(code) if StatusCode::from_u16(code).is_ok() => Script::Status(code),
        ScriptJson::Status(_) => return StatusCode::UNPROCESSABLE_ENTITY,
        ScriptJson::Cut(text) => Script::Cut(words(&text)),
        ScriptJson::Hang => Script::Hang,
    };
    m.scripts.lock().unwrap().push_back(script);
    StatusCode::NO_CONTENT
}

pub fn words(text: &str) -> Vec<String> {
    text.split_inclusive(' ').map(str::to_owned).collect()
}

/// The usage (prompt, completion) the mock reports for every non-streamed completion.
pub const REPORT_TOKENS: (u64, u64) = (500, 200);

/// The prompt tokens the mock reports for every streamed request.
pub const PROMPT_TOKENS: u64 = 100;

fn usage_chunk(prompt: u64, completion: u64) -> String {
    let v = serde_json::json!({
        "id": "chatcmpl-mock",
        "object": "chat.completion.chunk",
        "created": 1_700_000_000,
        "model": "mock-model",
        "choices": [],
        "usage": {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion},
    });
    format!("data: {v}\n\n")
}

fn chunk(content: Option<&str>, finish: Option<&str>) -> String {
    let v = serde_json::json!({
        "id": "chatcmpl-mock",
        "object": "chat.completion.chunk",
        "created": 1_700_000_000,
        "model": "mock-model",
        "choices": [{
            "index": 0,
            "delta": match content { Some(c) => serde_json::json!({"role": "assistant", "content": c}), None => serde_json::json!({}) },
            "finish_reason": finish,
        }],
    });
    format!("data: {v}\n\n")
}

async fn completions(State(m): State<Arc<Mock>>, body: String) -> Response {
    let request: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    m.requests.lock().unwrap().push(request.clone());
    let script = m
        .scripts
        .lock()
        .unwrap()
        .pop_front()
        .unwrap_or_else(|| m.fallback.clone());
    let streamed = request["stream"].as_bool().unwrap_or(false);
    let epoch = m.epoch;
    let sse = |pieces: futures::stream::BoxStream<'static, String>| {
        Response::builder()
            .header("content-type", "text/event-stream")
            .body(Body::from_stream(futures::StreamExt::map(
                pieces,
                Ok::<_, std::io::Error>,
            )))
            .unwrap()
    };
    match script {
        Script::Status(code) => (
            StatusCode::from_u16(code).unwrap(),
            [("content-type", "application/json")],
            r#"{"error":{"message":"scripted failure","type":"server_error","param":null,"code":null}}"#,
        )
            .into_response(),
        Script::Hang => futures::future::pending::<Response>().await,
        Script::Content(text) if !streamed => axum::Json(serde_json::json!({
            "id": "chatcmpl-mock",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": "mock-model",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": REPORT_TOKENS.0, "completion_tokens": REPORT_TOKENS.1, "total_tokens": REPORT_TOKENS.0 + REPORT_TOKENS.1},
        }))
        .into_response(),
        Script::Content(text) => sse(Box::pin(futures::stream::iter(vec![
            chunk(Some(&text), None),
            chunk(None, Some("stop")),
            "data: [DONE]\n\n".to_owned(),
        ]))),
        Script::Stream { pieces, gap } => {
            let mut events: Vec<String> = pieces.iter().map(|p| chunk(Some(p), None)).collect();
            events.push(chunk(None, Some("stop")));
            // As OpenAI and llama.cpp do when asked: a last chunk with the usage and no choices.
            if request["stream_options"]["include_usage"] == true {
                events.push(usage_chunk(PROMPT_TOKENS, pieces.len() as u64));
            }
            events.push("data: [DONE]\n\n".to_owned());
            sse(Box::pin(futures::stream::unfold(
                events.into_iter(),
                move |mut it| async move {
                    let e = it.next()?;
                    if !gap.is_zero() {
                        tokio::time::sleep(gap).await;
                    }
                    Some((e, it))
                },
            )))
        }
        Script::Cut(pieces) => {
            let events: Vec<String> = pieces.iter().map(|p| chunk(Some(p), None)).collect();
            sse(Box::pin(futures::stream::iter(events)))
        }
        Script::Reset(pieces) => {
            let text: String = pieces.iter().map(|p| chunk(Some(p), None)).collect();
            // The words go out first; the break comes a moment later, mid-body (failing at
            // once would abort before the response head, which is "unreachable" instead).
            let events = futures::stream::once(async move { Ok(text) }).chain(
                futures::stream::once(async {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    Err(std::io::Error::other("connection broken on purpose"))
                }),
            );
            Response::builder()
                .header("content-type", "text/event-stream")
                .body(Body::from_stream(events))
                .unwrap()
        }
        Script::Timed { count, gap } => sse(Box::pin(futures::stream::unfold(
            0usize,
            move |i| async move {
                if i > count {
                    return None;
                }
                if i == count {
                    return Some((chunk(None, Some("stop")) + "data: [DONE]\n\n", i + 1));
                }
                tokio::time::sleep(gap).await;
                let sent = epoch.elapsed().as_micros();
                // A sentence of its own: a model's bridge is shown a sentence at a time.
                Some((chunk(Some(&format!("<{sent}>.\n")), None), i + 1))
            },
        ))),
    }
}
