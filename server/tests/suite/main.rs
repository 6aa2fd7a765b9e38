//! The server's integration tests, one binary (linking leptos and axum once, not once per
//! file): each module drives real servers on random ports over real HTTP. `memory.rs` stays a
//! binary of its own, because it measures its own process's memory.
//!
//! `local_model`'s tests are ignored by plain `cargo test` (they need the model installed);
//! `scripts/test.sh` runs them with `cargo test -p server --test suite local_model -- --ignored`.

#[path = "../common/mod.rs"]
mod common;

mod account_page;
mod accounts;
mod api;
mod connections;
mod crash;
mod export;
mod history;
mod hostile;
mod http;
mod interview;
mod layering;
mod local_model;
mod model;
mod ownership;
mod progress;
mod settings;
mod setup;
mod timer;
