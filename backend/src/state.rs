//! The state shared by every handler. Features name the parts they read (`State<PgPool>`,
//! `State<Arc<Site>>`, `State<AuthState>`, …) and this struct provides each through `FromRef`.

use std::sync::Arc;

use axum::extract::FromRef;
use sqlx::PgPool;

use crate::auth::rate_limit::LoginLimiter;
use crate::auth::tokens::TokenKeys;
use crate::auth::AuthState;
use crate::http::Site;
use crate::realtime::{Heartbeat, Realtime};

#[derive(Clone, FromRef)]
pub struct AppState {
    pub db: PgPool,
    pub keys: Arc<TokenKeys>,
    pub login_limiter: Arc<LoginLimiter>,
    pub site: Arc<Site>,
    pub realtime: Realtime,
}

impl FromRef<AppState> for AuthState {
    fn from_ref(state: &AppState) -> Self {
        AuthState {
            db: state.db.clone(),
            keys: Arc::clone(&state.keys),
            login_limiter: Arc::clone(&state.login_limiter),
            site: Arc::clone(&state.site),
        }
    }
}

/// Settings derived from the command line.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How people reach the server.
    pub site: Site,
    /// How WebSockets are kept alive.
    pub heartbeat: Heartbeat,
}

impl AppState {
    /// Builds the state and starts the real-time background tasks (needs a Tokio runtime).
    pub fn new(db: PgPool, jwt_secret: &[u8], settings: Settings) -> Self {
        AppState {
            realtime: Realtime::start(db.clone(), &settings),
            db,
            keys: Arc::new(TokenKeys::new(jwt_secret)),
            login_limiter: Arc::new(LoginLimiter::default()),
            site: Arc::new(settings.site),
        }
    }
}
