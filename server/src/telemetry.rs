//! Logging through `tracing`.

use tracing_subscriber::EnvFilter;

/// Libraries whose debug lines carry the data of a query (the PostgreSQL client logs every
/// statement with its parameters: password hashes, session records, answers): kept at `info`
/// whatever the filter asks, unless it names them itself.
const QUIET: &[&str] = &["tokio_postgres"];

/// The filter `filter` asks for, with [`QUIET`]'s libraries held at `info`. A filter that
/// does not parse is reported and replaced by "info" rather than stopping the server.
pub fn filter(filter: &str) -> EnvFilter {
    let mut env_filter = EnvFilter::try_new(filter).unwrap_or_else(|e| {
        eprintln!("invalid log filter {filter:?} ({e}); using \"info\"");
        EnvFilter::new("info")
    });
    for target in QUIET.iter().filter(|t| !filter.contains(*t)) {
        env_filter = env_filter.add_directive(format!("{target}=info").parse().expect("valid"));
    }
    env_filter
}

/// Installs the global subscriber with [`filter`].
pub fn init(filter: &str) {
    let env_filter = self::filter(filter);
    // `try_init` so tests that start several servers in one process do not panic.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(env_filter)
        .with_target(true)
        .try_init();
}
