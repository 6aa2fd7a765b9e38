//! The mock model server as a process of its own, for the browser tests
//! (`end2end/tests/model.spec.js`): an OpenAI-compatible chat-completions server on a random
//! local port that answers each request with the next behaviour queued by `POST /scripts`
//! (see `tests/common/mock_llm.rs`). Prints its base URL on the first line of its output and
//! serves until it is killed.

#[path = "../tests/common/mock_llm.rs"]
mod mock_llm;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mock = mock_llm::MockLlm::start().await;
    println!("{}", mock.base_url);
    futures::future::pending::<()>().await;
}
