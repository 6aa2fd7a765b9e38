//! Server configuration: flags, each also settable by an environment variable.

use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser, Debug, Clone)]
#[command(
    name = "perfect-pitch",
    version,
    about = "Perfect Pitch: practise job interviews with an AI interviewer.",
    long_about = "Perfect Pitch: practise job interviews with an AI interviewer.\n\n\
        Every flag can also be set with the environment variable shown beside it. With no \
        configuration at all the server stores its data in a SQLite file under ./data and \
        listens on the address in Leptos.toml (127.0.0.1:3000)."
)]
pub struct Config {
    /// Address to listen on [default: the site-addr of the Leptos settings, 127.0.0.1:3000].
    #[arg(long, env = "PP_ADDR")]
    pub addr: Option<SocketAddr>,

    /// SQLite database file; created, with its folder, when missing.
    #[arg(
        long,
        env = "PP_DATABASE",
        default_value = "data/perfect-pitch.sqlite3"
    )]
    pub database: PathBuf,

    /// Log filter in tracing's EnvFilter syntax, e.g. "info" or "server=debug,tower_http=debug".
    #[arg(long, env = "PP_LOG", default_value = "info")]
    pub log: String,

    /// Mark the session cookie Secure; set this when the site is served over https.
    #[arg(long, env = "PP_SECURE_COOKIES")]
    pub secure_cookies: bool,

    /// Create the demo account (see DEMO_USERNAME) at start-up if it does not exist.
    #[arg(long, env = "PP_DEMO_ACCOUNT")]
    pub demo_account: bool,

    /// Leptos settings read when the server is started on its own; under cargo-leptos its
    /// LEPTOS_* variables take precedence.
    #[arg(long, env = "PP_LEPTOS_CONFIG", default_value = "Leptos.toml")]
    pub leptos_config: PathBuf,
}

/// The demo account `--demo-account` creates (named in the README).
pub const DEMO_USERNAME: &str = "demo";
pub const DEMO_PASSWORD: &str = "practice makes perfect";
