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

    /// Where the data lives: a SQLite file (created, with its folder, when missing; `sqlite:`
    /// before the path is allowed), or a PostgreSQL database as `postgres://user:pass@host/db`
    /// (or `postgres://user@/db?host=/socket/dir`) for several app servers on one database; a
    /// server built with `--features postgres` only.
    #[arg(
        long,
        env = "PP_DATABASE",
        default_value = "data/perfect-pitch.sqlite3",
        hide_env_values = true
    )]
    pub database: app::store::Location,

    /// PostgreSQL only: connections each app server keeps in its pool.
    #[arg(long, env = "PP_DATABASE_POOL_SIZE", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=200))]
    pub database_pool_size: u32,

    /// PostgreSQL only: seconds one statement may run before the database cancels it (the
    /// request then answers 503).
    #[arg(long, env = "PP_DATABASE_STATEMENT_TIMEOUT", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub database_statement_timeout: u64,

    /// Log filter in tracing's EnvFilter syntax, e.g. "info" or "server=debug,tower_http=debug".
    #[arg(long, env = "PP_LOG", default_value = "info")]
    pub log: String,

    /// This server's name among app servers sharing one database; each needs its own, kept
    /// across restarts [default: the host name and the port, e.g. "web-1:3000"].
    #[arg(long, env = "PP_NODE_ID")]
    pub node_id: Option<String>,

    /// Mark the session cookie Secure; set this when the site is served over https.
    #[arg(long, env = "PP_SECURE_COOKIES")]
    pub secure_cookies: bool,

    /// Behind a reverse proxy that appends the client's address to X-Forwarded-For: take the
    /// client address from there (its last entry) for the per-address limits.
    #[arg(long, env = "PP_TRUST_PROXY")]
    pub trust_proxy: bool,

    /// Serve Prometheus metrics at /metrics to requests with `Authorization: Bearer <token>`;
    /// off when unset. Never logged.
    #[arg(long, env = "PP_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,

    /// Calls that make the interviewer work (turns, report regeneration) each signed-in user
    /// may make per minute.
    #[arg(long, env = "PP_MODEL_CALLS_PER_MINUTE", default_value_t = crate::limits::RatePolicy::default().model.burst, value_parser = clap::value_parser!(u32).range(1..))]
    pub model_calls_per_minute: u32,

    /// JSON API requests (`/api/v1`) each signed-in user may make per minute.
    #[arg(long, env = "PP_API_REQUESTS_PER_MINUTE", default_value_t = crate::limits::RatePolicy::default().api.burst, value_parser = clap::value_parser!(u32).range(1..))]
    pub api_requests_per_minute: u32,

    /// Create the demo account (see DEMO_USERNAME) at start-up if it does not exist.
    #[arg(long, env = "PP_DEMO_ACCOUNT")]
    pub demo_account: bool,

    /// Who interviews: "offline" (no network, no model) or "openai" (any OpenAI-compatible
    /// chat-completions server, set with the --openai-* flags).
    #[arg(long, env = "PP_INTERVIEWER", value_enum, default_value_t = InterviewerKind::Offline)]
    pub interviewer: InterviewerKind,

    /// Base URL of the OpenAI-compatible server, up to and including /v1.
    #[arg(
        long,
        env = "PP_OPENAI_BASE_URL",
        default_value = "https://api.openai.com/v1"
    )]
    pub openai_base_url: String,

    /// Model name sent to that server.
    #[arg(long, env = "PP_OPENAI_MODEL", default_value = "gpt-4o-mini")]
    pub openai_model: String,

    /// API key for that server (never logged).
    #[arg(long, env = "PP_OPENAI_API_KEY", hide_env_values = true)]
    pub openai_api_key: Option<String>,

    /// Seconds to wait for the model's first words, and between two pieces of a reply.
    #[arg(long, env = "PP_MODEL_TIMEOUT_SECS", default_value_t = 30)]
    pub model_timeout_secs: u64,

    /// The most tokens a model may write for one reply (`max_tokens`); a report may have six
    /// times as many.
    #[arg(long, env = "PP_MODEL_MAX_TOKENS", default_value_t = 200, value_parser = clap::value_parser!(u32).range(16..=4096))]
    pub model_max_tokens: u32,

    /// Sampling temperature sent to the model (reports use at most 0.3).
    #[arg(long, env = "PP_MODEL_TEMPERATURE", default_value_t = 0.7)]
    pub model_temperature: f32,

    /// Model calls running at once across the server; up to four times as many more wait,
    /// and past that a turn answers that the interviewer is busy.
    #[arg(long, env = "PP_MODEL_CONCURRENCY", default_value_t = app::ai::live::ModelLimits::default().concurrent)]
    pub model_concurrency: usize,

    /// Tokens one interview's model calls may use; past it the interview goes on with the
    /// offline interviewer's words and rules, and its report says so.
    #[arg(long, env = "PP_MODEL_TOKEN_BUDGET", default_value_t = app::ai::live::ModelLimits::default().token_budget)]
    pub model_token_budget: u64,

    /// Pause between the offline interviewer's words, in milliseconds, so its replies read as
    /// they are written; 0 writes them at once.
    #[arg(long, env = "PP_OFFLINE_WORD_DELAY_MS", default_value_t = 25)]
    pub offline_word_delay_ms: u64,

    /// Leptos settings read when the server is started on its own; under cargo-leptos its
    /// LEPTOS_* variables take precedence.
    #[arg(long, env = "PP_LEPTOS_CONFIG", default_value = "Leptos.toml")]
    pub leptos_config: PathBuf,
}

/// The demo account `--demo-account` creates (named in the README).
pub const DEMO_USERNAME: &str = "demo";
pub const DEMO_PASSWORD: &str = "practice makes perfect";

impl Config {
    /// `--node-id`, or the host's name and the port this server listens on: distinct for
    /// servers on different hosts or ports, and the same after a restart.
    pub fn node_id(&self, addr: SocketAddr) -> String {
        self.node_id.clone().unwrap_or_else(|| {
            let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
                .map(|h| h.trim().to_owned())
                .ok()
                .filter(|h| !h.is_empty())
                .unwrap_or_else(|| "localhost".into());
            format!("{host}:{}", addr.port())
        })
    }

    /// PostgreSQL's pool and timeout, as these flags set them.
    pub fn pg_options(&self) -> app::store::PgOptions {
        app::store::PgOptions {
            pool_size: self.database_pool_size,
            statement_timeout: std::time::Duration::from_secs(self.database_statement_timeout),
        }
    }

    /// What the model may cost, as these flags set it.
    pub fn model_limits(&self) -> app::ai::live::ModelLimits {
        app::ai::live::ModelLimits {
            concurrent: self.model_concurrency.max(1),
            queue: self.model_concurrency.max(1) * 4,
            token_budget: self.model_token_budget,
        }
    }

    /// The request-rate limits these flags set.
    pub fn rates(&self) -> crate::limits::RatePolicy {
        let minute = std::time::Duration::from_secs(60);
        crate::limits::RatePolicy {
            model: crate::limits::Rate {
                burst: self.model_calls_per_minute,
                per: minute,
            },
            api: crate::limits::Rate {
                burst: self.api_requests_per_minute,
                per: minute,
            },
            ..Default::default()
        }
    }

    /// The interviewer these flags choose.
    pub fn interviewer(&self) -> Interviewer {
        match self.interviewer {
            InterviewerKind::Openai => Interviewer::OpenAi(app::ai::openai::OpenAiSettings {
                base_url: self.openai_base_url.clone(),
                model: self.openai_model.clone(),
                api_key: self.openai_api_key.clone(),
                timeout: std::time::Duration::from_secs(self.model_timeout_secs.max(1)),
                max_tokens: self.model_max_tokens,
                temperature: self.model_temperature.clamp(0.0, 2.0),
            }),
            InterviewerKind::Offline => Interviewer::Offline {
                word_delay: std::time::Duration::from_millis(self.offline_word_delay_ms),
            },
        }
    }
}

/// Which interviewer `--interviewer` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum InterviewerKind {
    /// No network, no model: the offline rules.
    Offline,
    /// Any OpenAI-compatible chat-completions server.
    Openai,
}

/// Which interviewer to run, with its settings.
#[derive(Clone, Debug)]
pub enum Interviewer {
    Offline { word_delay: std::time::Duration },
    OpenAi(app::ai::openai::OpenAiSettings),
}

impl Default for Interviewer {
    fn default() -> Self {
        Interviewer::Offline {
            word_delay: std::time::Duration::ZERO,
        }
    }
}

impl Interviewer {
    pub fn provider(&self) -> Result<app::ai::Provider, String> {
        Ok(match self {
            Interviewer::Offline { word_delay } => {
                app::ai::Provider::Offline(app::ai::offline::Offline {
                    word_delay: *word_delay,
                })
            }
            Interviewer::OpenAi(s) => {
                app::ai::Provider::OpenAi(Box::new(app::ai::openai::OpenAiProvider::new(s)?))
            }
        })
    }
}
