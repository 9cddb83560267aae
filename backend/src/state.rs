//! The state shared by every handler.

use std::sync::Arc;

use axum::extract::FromRef;
use secrecy::SecretString;
use sqlx::PgPool;

use crate::auth::rate_limit::LoginLimiter;
use crate::auth::tokens::TokenKeys;
use crate::metrics::Metrics;
use crate::realtime::{Heartbeat, Realtime};

#[derive(Clone, FromRef)]
pub struct AppState {
    pub db: PgPool,
    pub keys: Arc<TokenKeys>,
    pub login_limiter: Arc<LoginLimiter>,
    pub settings: Arc<Settings>,
    pub realtime: Realtime,
    pub metrics: Arc<Metrics>,
}

/// Settings handlers need, derived from the command line.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The URL people reach the server at, e.g. `https://events.example.eu`.
    pub public_url: String,
    /// Mark cookies `Secure` (when served over https).
    pub secure_cookies: bool,
    /// Trust `X-Forwarded-For` from the reverse proxy.
    pub trust_proxy: bool,
    /// How WebSockets are kept alive.
    pub heartbeat: Heartbeat,
    /// The bearer token `GET /metrics` asks for; without one, there is no `/metrics`.
    pub metrics_token: Option<SecretString>,
}

impl AppState {
    /// Builds the state and starts the real-time background tasks (needs a Tokio runtime).
    pub fn new(db: PgPool, jwt_secret: &[u8], settings: Settings) -> Self {
        let metrics = Arc::new(Metrics::new());
        AppState {
            realtime: Realtime::start(db.clone(), &settings, Arc::clone(&metrics)),
            metrics,
            db,
            keys: Arc::new(TokenKeys::new(jwt_secret)),
            login_limiter: Arc::new(LoginLimiter::default()),
            settings: Arc::new(settings),
        }
    }
}
