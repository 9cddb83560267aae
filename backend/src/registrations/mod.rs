//! Registrations: the conference's public page, the registration form with the organisers'
//! own questions, approval (automatic or manual), the capacity and its waitlist with seats
//! offered in turn, delegations that register together, and the organisers' list with
//! decisions on many registrations at once.
//!
//! - `seats.rs`: the state machine every change goes through, under the conference's lock;
//! - `mine.rs`: a person's own registration;
//! - `manage.rs`: the organisers' list and decisions, `export.rs` the list as CSV and
//!   `import.rs` registrations from CSV (with invitations to the new accounts);
//! - `delegations.rs`: delegations and their lead's portal;
//! - `questions.rs`: the form's questions and the answers' checks;
//! - `settings.rs`: published, capacity, approval mode, offer time;
//! - `public.rs`: the public page;
//! - `mail.rs`: the e-mails a registrant is sent (through the outbox, `crate::mail`), and
//!   `outbox.rs` the organisers' view of them.
//!
//! Only an approved registration makes someone a member of the conference: the roll of an
//! election, the agenda and every live room follow membership.

mod delegations;
mod export;
mod import;
mod mail;
mod manage;
mod mine;
mod outbox;
mod public;
mod questions;
mod seats;
mod settings;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRef;
use sqlx::PgPool;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use seats::{expire_offers, ApprovalMode, RegistrationStatus};

use crate::auth::tokens::TokenKeys;
use crate::http::Site;
use crate::realtime::feature::LiveFeature;
use crate::realtime::hub::Hub;
use crate::realtime::Realtime;

pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    PgPool: FromRef<S>,
    Arc<TokenKeys>: FromRef<S>,
    Realtime: FromRef<S>,
    Arc<Site>: FromRef<S>,
{
    OpenApiRouter::new()
        .routes(routes!(public::list))
        .routes(routes!(public::show))
        .routes(routes!(settings::show, settings::update))
        .routes(routes!(questions::list, questions::replace))
        .routes(routes!(mine::mine, mine::register, mine::cancel))
        .routes(routes!(mine::reply_to_offer))
        .routes(routes!(manage::list))
        .routes(routes!(manage::decide))
        .routes(routes!(export::export))
        .routes(routes!(import::import))
        .routes(routes!(delegations::list, delegations::create))
        .routes(routes!(delegations::update, delegations::delete))
        .routes(routes!(delegations::portal))
        .routes(routes!(delegations::release))
        .routes(routes!(delegations::invite))
        .routes(routes!(outbox::list))
}

/// How often each node looks for seat offers that ran out.
const OFFER_CLOCK: Duration = Duration::from_secs(30);

/// Registrations on the real-time seam: no room of their own yet, but the node's clock
/// that passes expired offers on (a registrant hears of every change in their own room,
/// through notifications).
pub struct Registrations;

impl LiveFeature for Registrations {
    fn name(&self) -> &'static str {
        "registration"
    }

    fn start(&self, hub: &Arc<Hub>) {
        let hub = Arc::clone(hub);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(OFFER_CLOCK);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(error) = seats::expire_offers(&hub).await {
                    tracing::warn!(%error, "expired seat offers not passed on, retrying");
                }
            }
        });
    }
}
