//! Logging through `tracing`.

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber. A filter that does not parse is reported and replaced by
/// "info" rather than stopping the server.
pub fn init(filter: &str) {
    let env_filter = EnvFilter::try_new(filter).unwrap_or_else(|e| {
        eprintln!("invalid log filter {filter:?} ({e}); using \"info\"");
        EnvFilter::new("info")
    });
    // `try_init` so tests that start several servers in one process do not panic.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(env_filter)
        .with_target(true)
        .try_init();
}
