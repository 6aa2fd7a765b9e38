//! The Perfect Pitch server: configuration, start-up and the axum router.

pub mod account;
pub mod api;
pub mod auth;
pub mod config;
pub mod export;
pub mod limits;
pub mod metrics;
pub mod reply;
pub mod security;
pub mod sessions;
pub mod setup;
pub mod telemetry;
pub mod throttle;

/// mimalloc instead of glibc's allocator: rendering a page allocates and frees thousands of
/// small blocks, and glibc's malloc and free were a fifth of the server's time under load
/// (`scripts/bench-http.sh`, profiled with perf).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use app::ai::live::Live;
use app::store::{Db, Location};
use app::{App, shell};
use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, FromRef, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use config::Config;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use sessions::DbSessionStore;
use std::path::Path;
use std::sync::Arc;
use throttle::{Throttle, ThrottlePolicy};
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

/// What every handler can reach. Every extractor and middleware layer clones it for each
/// request, so it is one `Arc` (cloning the fields one by one showed in profiles).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// Leptos's handlers take their options from the state.
impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> LeptosOptions {
        state.leptos_options.clone()
    }
}

/// The parts of [`AppState`].
pub struct Shared {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub throttle: Arc<Throttle>,
    pub live: Live,
    pub limits: Arc<limits::RateLimits>,
    /// Take the client address from X-Forwarded-For (`--trust-proxy`).
    pub trust_proxy: bool,
    pub metrics: Arc<metrics::Metrics>,
    /// `/metrics` answers only with this bearer token; off when `None`.
    pub metrics_token: Option<Arc<str>>,
}

/// Settings of the running app that tests vary.
#[derive(Clone, Debug)]
pub struct AppOptions {
    /// Mark the session cookie `Secure` (when served over https).
    pub secure_cookies: bool,
    pub throttle: ThrottlePolicy,
    pub interviewer: config::Interviewer,
    pub rates: limits::RatePolicy,
    pub trust_proxy: bool,
    /// Serve `/metrics` to this bearer token (`--metrics-token`); off when `None`.
    pub metrics_token: Option<String>,
    pub model_limits: app::ai::live::ModelLimits,
    /// This app server's name among those sharing the database (`--node-id`): start-up
    /// removes only this node's unfinished turns.
    pub node_id: String,
    /// PostgreSQL's pool size and statement timeout (unused on SQLite).
    pub pg: app::store::PgOptions,
}

/// Leptos settings: from the settings file when it exists (cargo-leptos's LEPTOS_* variables
/// still override it), otherwise from the environment alone.
pub fn leptos_options(settings_file: &Path) -> Result<LeptosOptions, String> {
    let conf = if settings_file.exists() {
        leptos_config::get_configuration(settings_file.to_str())
    } else {
        leptos_config::get_configuration(None)
    };
    let mut options = conf.map(|c| c.leptos_options).map_err(|e| {
        format!(
            "cannot read Leptos settings {}: {e}",
            settings_file.display()
        )
    })?;
    // Hashed file names come from the hash file cargo-leptos writes beside the binary; Leptos
    // panics on the first page when it is missing (a binary copied on its own, a test), so
    // without it the plain names are used, revalidated instead of cached for a year.
    if options.hash_files {
        let beside_binary = std::env::current_exe()
            .ok()
            .and_then(|p| p.parent().map(|d| d.join(options.hash_file.as_ref())));
        if !beside_binary.is_some_and(|p| p.exists()) {
            tracing::warn!(
                "no {} beside the binary: serving the site's files under their plain names",
                options.hash_file
            );
            options.hash_files = false;
        }
    }
    Ok(options)
}

/// Sessions live in the same SQLite file as everything else, so they survive a restart, and
/// are written through the app's own `Db` (`sessions::DbSessionStore`).
fn session_layer(db: &Db, secure: bool) -> SessionManagerLayer<DbSessionStore> {
    let store = DbSessionStore::new(db.clone());
    tokio::spawn({
        use tower_sessions::ExpiredDeletion;
        let store = store.clone();
        async move {
            loop {
                if let Err(e) = store.delete_expired().await {
                    tracing::error!(error = %e, "expired-session clean-up failed");
                }
                tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
            }
        }
    });
    SessionManagerLayer::new(store)
        .with_name("pp_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(secure)
        .with_expiry(Expiry::OnInactivity(sessions::LIFETIME))
}

/// The route list, generated once per process. While Leptos generates it, it suppresses
/// resource loading process-wide (leptos-rs/leptos#4773), so a page rendering at that moment
/// would wait forever; generating it once, before any server in the process serves, rules that
/// out (tests start many servers in one process).
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The whole application on a database (a SQLite file or a PostgreSQL URL): pages, server functions, account routes, health
/// check and static files, behind sessions and security headers.
pub async fn app(
    leptos_options: LeptosOptions,
    database: impl Into<Location>,
    options: AppOptions,
) -> Result<(Router, Db), String> {
    app_with(leptos_options, database, options, Router::new()).await
}

/// [`app`] with `extra` routes of the embedder's, behind the same middleware (the tests add
/// one that panics).
pub async fn app_with(
    leptos_options: LeptosOptions,
    database: impl Into<Location>,
    options: AppOptions,
    extra: Router<AppState>,
) -> Result<(Router, Db), String> {
    let database = database.into();
    let db = Db::connect(&database, options.pg)
        .await
        .map_err(|e| format!("cannot open database {database}: {e:?}"))?;
    // Replies this node was writing when it last stopped will never finish; those of other
    // nodes on the same database are theirs until their leases run out.
    let dropped = db
        .expire_turns(Some(&options.node_id))
        .await
        .map_err(|e| format!("cannot recover interrupted turns: {e}"))?;
    if dropped > 0 {
        tracing::warn!(
            messages = dropped,
            "removed turns cut short by the last shutdown"
        );
    }
    tokio::spawn({
        let db = db.clone();
        async move {
            loop {
                tokio::time::sleep(app::store::TURN_LEASE_RENEWAL).await;
                match db.expire_turns(None).await {
                    Ok(0) => {}
                    Ok(n) => tracing::warn!(messages = n, "removed turns whose lease ran out"),
                    Err(e) => tracing::warn!(error = %e, "could not sweep lapsed turns"),
                }
            }
        }
    });
    let live = Live::with_limits(
        db.clone(),
        options.interviewer.provider()?,
        options.model_limits,
        options.node_id.clone(),
    );
    let sessions = session_layer(&db, options.secure_cookies);
    let state = AppState(Arc::new(Shared {
        leptos_options,
        db: db.clone(),
        throttle: Arc::new(Throttle::new(options.throttle, db.clone())),
        live: live.clone(),
        limits: Arc::new(limits::RateLimits::new(options.rates)),
        trust_proxy: options.trust_proxy,
        metrics: Arc::new(metrics::Metrics::default()),
        metrics_token: options.metrics_token.map(Arc::from),
    }));
    tokio::spawn({
        let (limits, db) = (state.limits.clone(), state.db.clone());
        let forget_after = options.throttle.forget_after;
        async move {
            loop {
                tokio::time::sleep(std::time::Duration::from_secs(60)).await;
                limits.tidy();
                if let Err(e) = db.forget_old_failures(forget_after).await {
                    tracing::warn!(error = %e, "could not forget old sign-in failures");
                }
                if let Err(e) = db.forget_recovered_rates().await {
                    tracing::warn!(error = %e, "could not forget recovered rate limits");
                }
            }
        }
    });
    let routes = route_list();
    let shell_options = state.leptos_options.clone();
    let context_db = state.db.clone();
    let context_live = state.live.clone();
    let (fallback_db, fallback_live) = (state.db.clone(), state.live.clone());
    let (api_routes, _) = api::routes();
    // The site's files, served directly: Leptos's fallback handler rebuilds each request from
    // its URL, dropping If-Modified-Since, so it could never answer 304.
    let pkg = format!("/{}", state.leptos_options.site_pkg_dir);
    let hashed_files = state.leptos_options.hash_files;
    let pkg_dir =
        Path::new(&*state.leptos_options.site_root).join(&*state.leptos_options.site_pkg_dir);
    let router = Router::new()
        .nest_service(
            &pkg,
            tower_http::services::ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        )
        .nest("/api/v1", api_routes)
        .route("/healthz", get(health))
        .route("/metrics", get(metrics::endpoint))
        .route(
            "/auth/register",
            post(auth::register).layer(DefaultBodyLimit::max(auth::MAX_FORM_BYTES)),
        )
        .route(
            "/auth/signin",
            post(auth::sign_in).layer(DefaultBodyLimit::max(auth::MAX_FORM_BYTES)),
        )
        .route("/auth/signout", post(auth::sign_out))
        .route("/account/password", post(account::change_password))
        .route("/account/delete", post(account::delete))
        .route("/account/export.json", get(account::export))
        .route("/interviews/new", post(setup::create))
        .route("/interviews/{id}/edit", post(setup::edit))
        .route("/interviews/{id}/reply", get(reply::follow))
        .route("/interviews/{id}/report.md", get(export::report))
        .merge(extra)
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(context_db.clone());
                provide_context(context_live.clone());
                security::page_csp();
            },
            move || shell(shell_options.clone()),
        )
        // The 404 page is a page too: it gets the context and the CSP nonce its hydration
        // script needs.
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(
            move || {
                provide_context(fallback_db.clone());
                provide_context(fallback_live.clone());
                security::page_csp();
            },
            shell,
        ))
        // Inside the session layer: the limits are per signed-in user.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            limits::limit,
        ))
        .layer(sessions)
        .layer(axum::middleware::from_fn(server_fn_status))
        .layer(axum::middleware::from_fn(security::same_origin_only))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            limits::client_addr,
        ))
        .layer(axum::middleware::from_fn(security::headers))
        .layer(axum::middleware::from_fn_with_state(
            hashed_files,
            cache_assets,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::record,
        ))
        // HTML and JSON compressed; the reply stream (text/event-stream) and images are not
        // (tower-http's default predicate), nor files already precompressed at build.
        .layer(tower_http::compression::CompressionLayer::new())
        // A handler that panics answers 500 (and the panic is logged); the connection and the
        // server go on.
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        // The access log: one line per request at `info` with its id, method, route, status
        // and latency — never headers, so never the session cookie.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    let id = req
                        .headers()
                        .get(REQUEST_ID)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    let route = req
                        .extensions()
                        .get::<axum::extract::MatchedPath>()
                        .map_or_else(|| req.uri().path(), |m| m.as_str());
                    tracing::info_span!(
                        "request",
                        id = %id,
                        method = %req.method(),
                        route = %route.escape_debug(),
                    )
                })
                .on_request(())
                .on_response(
                    tower_http::trace::DefaultOnResponse::new()
                        .level(tracing::Level::INFO)
                        .latency_unit(tower_http::LatencyUnit::Micros),
                ),
        )
        // Every request and response carries an id (the client's, or a new UUID), which the
        // access log shows.
        .layer(tower_http::request_id::PropagateRequestIdLayer::new(
            REQUEST_ID,
        ))
        .layer(tower_http::request_id::SetRequestIdLayer::new(
            REQUEST_ID,
            tower_http::request_id::MakeRequestUuid,
        ))
        .with_state(state);
    Ok((router, db))
}

/// A failure on our side: logged with `context`, answered 500 with words a person can act on
/// (never the error's own text).
pub(crate) fn internal_error(context: &str, e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "{context}");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong on our side. Please try again.",
    )
        .into_response()
}

/// An app error as a plain-text answer with its own status, for form posts made without
/// JavaScript (the JSON API uses `api::ApiError`).
pub(crate) fn plain_error(e: app::api::AppError) -> Response {
    (e.status_code(), e.to_string()).into_response()
}

const REQUEST_ID: axum::http::HeaderName = axum::http::HeaderName::from_static("x-request-id");

/// How browsers may cache the site's files (`/pkg/…`). With hashed names (`hash-files`, the
/// default) a file's name changes whenever its content does, so a browser keeps it for a year
/// without asking. Without, the names stay the same from build to build, so a browser asks
/// each time (`no-cache`), sending the file's date, and gets 304 while it is unchanged.
async fn cache_assets(State(hashed): State<bool>, request: Request, next: Next) -> Response {
    let asset = request.uri().path().starts_with("/pkg/");
    let mut response = next.run(request).await;
    let status = response.status();
    if asset && (status.is_success() || status == StatusCode::NOT_MODIFIED) {
        let policy = if hashed {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        response.headers_mut().insert(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static(policy),
        );
    }
    response
}

/// Server functions answer every failure with 500 and the error in the body; the body is an
/// [`AppError`](app::api::AppError), so the response gets that error's own status (404 for
/// someone else's interview, 400 for arguments that cannot be read, …).
async fn server_fn_status(request: Request, next: Next) -> Response {
    let is_server_fn = request.uri().path().starts_with("/fn/");
    let response = next.run(request).await;
    if !is_server_fn
        || response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response
            .headers()
            .contains_key(leptos::server_fn::error::SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    use leptos::server_fn::error::FromServerFnError;
    parts.status = app::api::AppError::de(bytes.clone()).status_code();
    Response::from_parts(parts, Body::from(bytes))
}

/// Ready when the database answers a query.
/// Ready when the database answers a query: 200 with the store, its schema version and this
/// server's node name as JSON, 503 when the database does not answer.
async fn health(State(state): State<AppState>) -> Response {
    match state.db.health().await {
        Ok(store) => axum::Json(serde_json::json!({
            "status": "ok",
            "store": store.store,
            "schema": store.schema,
            "node": state.live.node(),
        }))
        .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: the database does not answer");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(serde_json::json!({"status": "unavailable", "store": "sqlite"})),
            )
                .into_response()
        }
    }
}

/// Limits of the connection loop.
#[derive(Clone, Copy, Debug)]
pub struct ConnectionLimits {
    /// A client must send a request's headers within this time, also the next request on an
    /// idle kept-alive connection; otherwise the connection is closed. Half-open and idle
    /// connections cannot pile up. A response being streamed (a reply) is not affected.
    pub header_read_timeout: std::time::Duration,
    /// Connections served at once; more wait in the listen queue until one closes.
    pub max_connections: usize,
    /// How long shutdown waits for open connections (streams) before it stops anyway.
    pub shutdown_grace: std::time::Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            header_read_timeout: std::time::Duration::from_secs(10),
            max_connections: 1024,
            shutdown_grace: std::time::Duration::from_secs(10),
        }
    }
}

/// Serves `router` on `listener` with the default [`ConnectionLimits`].
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, router, ConnectionLimits::default(), shutdown).await
}

/// Serves `router` on `listener`: each connection with its client address (for the sign-in
/// slowdown), no Nagle, a header-read timeout, at most `max_connections` at once, and a
/// graceful shutdown.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    router: Router,
    limits: ConnectionLimits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use axum::extract::ConnectInfo;
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    use hyper_util::server::conn::auto::Builder;
    use hyper_util::service::TowerToHyperService;
    use tower::ServiceExt;

    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(limits.header_read_timeout)
        .keep_alive_timeout(limits.header_read_timeout);
    let slots = Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (tcp, addr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // No Nagle: a streamed reply is many small writes, and Nagle with delayed ACKs holds
        // some of them back for ~40 ms (measured by benches/stream.rs).
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!(error = %e, "cannot set TCP_NODELAY");
        }
        let service = router.clone().map_request(
            move |mut req: axum::http::Request<hyper::body::Incoming>| {
                req.extensions_mut().insert(ConnectInfo(addr));
                req
            },
        );
        let (builder, watcher) = (builder.clone(), graceful.watcher());
        tokio::spawn(async move {
            // The first bytes tell HTTP/1 from HTTP/2, and no timer runs while they are awaited:
            // a client that connects and says nothing is closed here.
            // (`peek`, not `readable`: readiness can be reported before any byte arrives.)
            let mut first = [0u8; 1];
            if !matches!(
                tokio::time::timeout(limits.header_read_timeout, tcp.peek(&mut first)).await,
                Ok(Ok(1))
            ) {
                drop(slot);
                return;
            }
            let connection = builder.serve_connection_with_upgrades(
                TokioIo::new(tcp),
                TowerToHyperService::new(service),
            );
            if let Err(e) = watcher.watch(connection.into_owned()).await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
            drop(slot);
        });
    }
    drop(listener);
    if tokio::time::timeout(limits.shutdown_grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still open at shutdown were closed");
    }
    Ok(())
}

/// Opens the store and serves until Ctrl-C or SIGTERM.
pub async fn run(config: Config) -> Result<(), String> {
    let mut leptos_options = leptos_options(&config.leptos_config)?;
    if let Some(addr) = config.addr {
        leptos_options.site_addr = addr;
    }
    let addr = leptos_options.site_addr;
    let options = AppOptions {
        secure_cookies: config.secure_cookies,
        throttle: ThrottlePolicy::default(),
        interviewer: config.interviewer(),
        rates: config.rates(),
        trust_proxy: config.trust_proxy,
        metrics_token: config.metrics_token.clone(),
        model_limits: config.model_limits(),
        node_id: config.node_id(addr),
        pg: config.pg_options(),
    };
    let (router, db) = app(leptos_options, &config.database, options).await?;
    tracing::info!(database = %config.database, "store ready, migrations applied");
    if config.demo_account {
        app::auth::ensure_demo_account(&db, config::DEMO_USERNAME, config::DEMO_PASSWORD)
            .await
            .map_err(|e| format!("cannot create the demo account: {e}"))?;
        tracing::info!(
            "demo account ready: username {:?}, password {:?}",
            config::DEMO_USERNAME,
            config::DEMO_PASSWORD
        );
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    tracing::info!("listening on http://{addr}");
    serve(listener, router, shutdown_signal())
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
