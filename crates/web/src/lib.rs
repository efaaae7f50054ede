//! HTTP for knooppunt: the Dutch server-rendered UI (`ui`) and the JSON API (`api`).
//!
//! This crate knows nothing about SQL and decides no access itself: every handler builds a
//! [`knooppunt_app::Ctx`] and calls a use case, which asks policy. Middleware adds the trace
//! context, the session or bearer principal, security headers, `API-Version`, metrics, and
//! turns every bare error response into problem+json (API) or a Dutch page (UI).

pub mod api;
mod assets;
mod context;
mod metrics;
mod problem;
pub mod server;
pub mod ui;

use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::get;
use axum::Router;
use knooppunt_app::App;
use std::sync::Arc;

pub use context::RequestCtx;
pub use metrics::Metrics;

/// Largest request body accepted (JSON and forms).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

#[derive(Clone)]
pub struct WebConfig {
    /// Set `Secure` on cookies and send HSTS: the public address is https.
    pub tls: bool,
    /// The version string shown in the footer and `/health`.
    pub version: &'static str,
    /// The bearer token that opens `/metrics`; without one `/metrics` does not exist (404).
    pub metrics_token: Option<String>,
    /// The proxies (addresses or networks) whose `Forwarded` / `X-Forwarded-For` is believed;
    /// from anyone else those headers are ignored and the socket's address is the source.
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub config: Arc<WebConfig>,
    pub metrics: Arc<Metrics>,
}

/// The whole HTTP surface, used by `main` and by the tests alike.
pub fn router(app: App, config: WebConfig) -> Router {
    let state = AppState { app, config: Arc::new(config), metrics: Arc::new(Metrics::new()) };
    Router::new()
        .merge(ui::routes())
        .nest("/api/v1", api::routes())
        .route("/health/live", get(health_live))
        .route("/health/ready", get(health_ready))
        .route("/metrics", get(metrics::render))
        .route("/static/{*file}", get(assets::serve))
        .route("/favicon.ico", get(assets::favicon))
        .fallback(context::fallback)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(state.clone(), context::middleware))
        .with_state(state)
}

async fn health_live() -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({ "status": "ok" }))
}

async fn health_ready(axum::extract::State(s): axum::extract::State<AppState>) -> axum::response::Response {
    use axum::response::IntoResponse;
    // A probe must get its answer quickly, also when the database does not answer at all.
    let ready = tokio::time::timeout(std::time::Duration::from_secs(3), s.app.readiness()).await.unwrap_or(Err(knooppunt_app::AppError::Unavailable));
    match ready {
        Ok(()) => axum::Json(serde_json::json!({ "status": "ok", "database": s.app.db().backend().name() })).into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            (axum::http::StatusCode::SERVICE_UNAVAILABLE, axum::Json(serde_json::json!({ "status": "niet gereed" }))).into_response()
        }
    }
}
