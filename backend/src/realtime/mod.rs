//! The real-time core: the `/ws` gateway, the typed protocol, rooms and rights, the durable
//! per-room event log with resume, presence, pulses, the node's hub and the PostgreSQL bus between
//! nodes. Live features (chat, announcements, notifications, …) live in their own folders
//! and plug in through `feature.rs`; the core imports none of them. The protocol is
//! documented in `docs/realtime.md`.

pub mod bus;
pub mod coalesce;
pub mod commands;
pub mod connections;
mod errors;
pub mod feature;
pub mod gateway;
pub mod hub;
mod jobs;
pub mod log;
pub mod presence;
pub mod protocol;
pub mod pulse;
mod pump;
pub mod room;
mod socket;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRef;
use axum::routing::get;
use sqlx::PgPool;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::tokens::TokenKeys;
use crate::metrics::Metrics;
use feature::Features;
use hub::Hub;
use presence::Presence;
use pulse::Pulses;

/// The node's real-time machinery, shared by every connection.
#[derive(Clone)]
pub struct Realtime {
    pub hub: Arc<Hub>,
    pub presence: Arc<Presence>,
    pub pulses: Arc<Pulses>,
    pub features: Arc<Features>,
    pub heartbeat: Heartbeat,
    origins: Arc<Vec<String>>,
}

/// How WebSockets are kept alive: every connection is pinged every `ping_every`, and one
/// from which nothing came for `idle_timeout` is closed (seen at a ping). The server, in
/// turn, answers every command and subscription within `answer_within` (an ack, or a
/// retryable `unavailable` while the database is slow or away).
#[derive(Debug, Clone, Copy)]
pub struct Heartbeat {
    pub ping_every: Duration,
    pub idle_timeout: Duration,
    pub answer_within: Duration,
}

impl Default for Heartbeat {
    fn default() -> Self {
        Heartbeat {
            ping_every: Duration::from_secs(15),
            idle_timeout: Duration::from_secs(45),
            // Longer than the pool's 5 s wait for a connection, so that a command queued
            // behind another still gets the database's own answer when it can.
            answer_within: Duration::from_secs(8),
        }
    }
}

impl Realtime {
    /// Starts the hub, presence, the notifier, the listener, the pinger and the log pruner,
    /// serving `features`. WebSockets are accepted from the origin of `public_url`.
    pub fn start(
        db: PgPool,
        public_url: &str,
        heartbeat: Heartbeat,
        features: Features,
        metrics: Arc<Metrics>,
    ) -> Self {
        let names = features.all().map(|feature| feature.name());
        metrics.expect_commands(names.chain([commands::CORE]));
        let hub = Hub::start(db.clone(), metrics);
        let presence = Presence::start(Arc::clone(&hub));
        let pulses = Pulses::start(Arc::clone(&hub));
        tokio::spawn(bus::run_notifier(Arc::clone(&hub)));
        tokio::spawn(bus::run_listener(
            Arc::clone(&hub),
            Arc::clone(&presence),
            Arc::clone(&pulses),
        ));
        tokio::spawn(connections::run_pinger(
            Arc::clone(&hub),
            heartbeat.ping_every,
        ));
        tokio::spawn(log::run_pruner(db.clone()));
        for feature in features.all() {
            feature.start(&hub);
        }
        Realtime {
            hub,
            presence,
            pulses,
            features: Arc::new(features),
            heartbeat,
            origins: Arc::new(gateway::origin_of(public_url).into_iter().collect()),
        }
    }

    /// Also accepts WebSockets from these origins (e.g. the Vite dev server).
    pub fn allow_origins(&mut self, extra: &[String]) {
        let mut origins = (*self.origins).clone();
        origins.extend(extra.iter().filter_map(|origin| gateway::origin_of(origin)));
        self.origins = Arc::new(origins);
    }

    pub fn origin_allowed(&self, origin: &str) -> bool {
        gateway::origin_of(origin).is_some_and(|origin| self.origins.contains(&origin))
    }
}

pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    PgPool: FromRef<S>,
    Arc<TokenKeys>: FromRef<S>,
    Realtime: FromRef<S>,
{
    OpenApiRouter::new()
        .routes(routes!(gateway::ticket))
        .route("/ws", get(gateway::upgrade))
}
