//! The state shared by every handler. Features name the parts they read (`State<PgPool>`,
//! `State<Arc<Site>>`, `State<AuthState>`, …) and this struct provides each through `FromRef`.

use std::sync::Arc;

use axum::extract::FromRef;
use secrecy::SecretString;
use sqlx::PgPool;

use crate::auth::rate_limit::LoginLimiter;
use crate::auth::tokens::TokenKeys;
use crate::auth::AuthState;
use crate::http::Site;
use crate::metrics::Metrics;
use crate::realtime::feature::Features;
use crate::realtime::{Heartbeat, Realtime};
use crate::{
    announcements, awards, chat, conference, notifications, panels, private_rooms, registrations,
    workshops,
};

/// The live features, each registered with one line: their rooms, commands and snapshots
/// plug into the real-time core (see `docs/realtime.md`, "Adding a live feature").
/// `embed_origins`: the origins a stage may frame besides the built-in players.
pub fn live_features(embed_origins: &[String]) -> Features {
    Features::new()
        .with(conference::live::ConferenceRooms)
        .with(private_rooms::PrivateRooms)
        .with(notifications::Notifications)
        .with(chat::Chat)
        .with(announcements::Announcements)
        .with(panels::Qa::default())
        .with(panels::Polls::default())
        .with(panels::LiveStage::new(embed_origins))
        .with(panels::Hands::default())
        .with(panels::Reactions)
        .with(awards::Elections)
        .with(workshops::Boards)
        .with(workshops::synthesis::Syntheses)
        .with(registrations::Registrations)
}

#[derive(Clone, FromRef)]
pub struct AppState {
    pub db: PgPool,
    pub keys: Arc<TokenKeys>,
    pub login_limiter: Arc<LoginLimiter>,
    pub site: Arc<Site>,
    pub realtime: Realtime,
    pub metrics: Arc<Metrics>,
    /// The bearer token `GET /metrics` asks for (see `Settings`).
    pub metrics_token: Option<Arc<SecretString>>,
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
    /// The bearer token `GET /metrics` asks for; without one, there is no `/metrics`.
    pub metrics_token: Option<SecretString>,
}

impl AppState {
    /// Builds the state and starts the real-time background tasks (needs a Tokio runtime).
    pub fn new(db: PgPool, jwt_secret: &[u8], settings: Settings) -> Self {
        let features = live_features(&settings.site.embed_origins);
        AppState::with_features(db, jwt_secret, settings, features)
    }

    /// [`AppState::new`] serving other live features (a test's own, say).
    pub fn with_features(
        db: PgPool,
        jwt_secret: &[u8],
        settings: Settings,
        features: Features,
    ) -> Self {
        let metrics = Arc::new(Metrics::new());
        AppState {
            realtime: Realtime::start(
                db.clone(),
                &settings.site.public_url,
                settings.heartbeat,
                features,
                Arc::clone(&metrics),
            ),
            metrics,
            db,
            keys: Arc::new(TokenKeys::new(jwt_secret)),
            login_limiter: Arc::new(LoginLimiter::default()),
            site: Arc::new(settings.site),
            metrics_token: settings.metrics_token.map(Arc::new),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::live_features;

    /// Fails when a feature's generated TypeScript (`frontend/src/lib/<feature>/live.ts`)
    /// does not match its wire types.
    #[test]
    fn live_ts_is_up_to_date() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        let update = std::env::var_os("UPDATE_LIVE_TS").is_some();
        let mut stale = Vec::new();
        for feature in live_features(&[]).all() {
            let Some((path, generated)) = feature.typescript() else {
                continue;
            };
            let path = std::path::Path::new(root).join(path);
            if update {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, &generated).unwrap();
            }
            if std::fs::read_to_string(&path).unwrap_or_default() != generated {
                stale.push(path.display().to_string());
            }
        }
        assert!(
            stale.is_empty(),
            "stale: {stale:?}; run: UPDATE_LIVE_TS=1 cargo test -p viaduc live_ts"
        );
    }
}
