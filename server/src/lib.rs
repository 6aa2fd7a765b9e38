//! The Perfect Pitch server: configuration, start-up and the axum router.

pub mod config;
pub mod telemetry;

use app::store::Db;
use app::{App, shell};
use axum::Router;
use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::routing::get;
use config::Config;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::path::Path;
use tower_http::trace::TraceLayer;

/// What every handler can reach.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
}

/// Leptos settings: from the settings file when it exists (cargo-leptos's LEPTOS_* variables
/// still override it), otherwise from the environment alone.
pub fn leptos_options(settings_file: &Path) -> Result<LeptosOptions, String> {
    let conf = if settings_file.exists() {
        leptos_config::get_configuration(settings_file.to_str())
    } else {
        leptos_config::get_configuration(None)
    };
    conf.map(|c| c.leptos_options).map_err(|e| {
        format!(
            "cannot read Leptos settings {}: {e}",
            settings_file.display()
        )
    })
}

/// The whole application: pages, server functions, health check and static files.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let db = state.db.clone();
    let options = state.leptos_options.clone();
    Router::new()
        .route("/healthz", get(health))
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(db.clone()),
            move || shell(options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Ready when the database answers a query.
async fn health(State(db): State<Db>) -> (StatusCode, &'static str) {
    match db
        .read(|c| app::store::get_interview_types(c).map(|_| ()))
        .await
    {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    }
}

/// Opens the store and serves until Ctrl-C or SIGTERM.
pub async fn run(config: Config) -> Result<(), String> {
    let mut leptos_options = leptos_options(&config.leptos_config)?;
    if let Some(addr) = config.addr {
        leptos_options.site_addr = addr;
    }
    let db = Db::open(&config.database)
        .map_err(|e| format!("cannot open database {}: {e:?}", config.database.display()))?;
    tracing::info!(database = %config.database.display(), "store ready, migrations applied");

    let addr = leptos_options.site_addr;
    let app = router(AppState { leptos_options, db });
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    tracing::info!("listening on http://{addr}");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| format!("server error: {e}"))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
