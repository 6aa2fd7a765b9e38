//! The real local model (`scripts/model-server.py`: SmolLM2-135M-Instruct through llama.cpp's
//! OpenAI-compatible server, installed by `scripts/setup.sh --model`) on a free port, for the
//! real-model test and benchmark.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// The model name the server answers to.
pub const MODEL: &str = "SmolLM2-135M-Instruct.Q4_1";

/// The model server, stopped when dropped.
pub struct ModelServer {
    child: Child,
    /// Up to and including `/v1`.
    pub base_url: String,
}

impl Drop for ModelServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the model server on two threads and waits until it answers.
pub fn start_model() -> ModelServer {
    let python = "../.local-model/venv/bin/python";
    assert!(
        std::path::Path::new(python).exists(),
        "the local model is not installed: run scripts/setup.sh --model"
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(python)
        .args(["../scripts/model-server.py", "--port", &port.to_string()])
        .args(["--threads", "2", "--parallel", "2"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the model server");
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    assert!(line.starts_with("ready "), "the model server said {line:?}");
    ModelServer {
        child,
        base_url: line["ready ".len()..].trim().to_owned(),
    }
}

/// The app's settings with the OpenAI-compatible interviewer pointed at `model`.
pub fn app_options(model: &ModelServer, max_tokens: u32) -> server::AppOptions {
    server::AppOptions {
        interviewer: server::config::Interviewer::OpenAi(app::ai::openai::OpenAiSettings {
            base_url: model.base_url.clone(),
            model: MODEL.into(),
            api_key: None,
            // A tiny model on two threads writes a report in seconds, but slower under load.
            timeout: std::time::Duration::from_secs(60),
            max_tokens,
            temperature: 0.7,
        }),
        ..super::default_options()
    }
}
