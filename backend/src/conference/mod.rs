//! Conferences and their agenda: who is a member with which role, the sessions, and each
//! person's bookmarked schedule.

mod access;
mod conferences;
pub mod live;
mod members;
mod memberships;
mod notices;
mod schedule;
pub mod sessions;

pub use access::{
    effective_role, role_in, set_member_role, ConferenceAccess, ConferenceRole, ConferenceSlug,
};

use std::sync::Arc;

use axum::extract::FromRef;
use sqlx::PgPool;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::tokens::TokenKeys;
use crate::http::Site;
use crate::realtime::Realtime;

pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    PgPool: FromRef<S>,
    Arc<TokenKeys>: FromRef<S>,
    Arc<Site>: FromRef<S>,
    Realtime: FromRef<S>,
{
    OpenApiRouter::new()
        .routes(routes!(
            conferences::list_conferences,
            conferences::create_conference
        ))
        .routes(routes!(
            conferences::get_conference,
            conferences::update_conference
        ))
        .routes(routes!(memberships::my_memberships))
        .routes(routes!(members::list_members))
        .routes(routes!(members::set_role, members::remove_member))
        .routes(routes!(
            sessions::read::list_sessions,
            sessions::write::create_session
        ))
        .routes(routes!(
            sessions::read::get_session,
            sessions::write::update_session,
            sessions::write::delete_session
        ))
        .routes(routes!(sessions::people::set_people))
        .routes(routes!(sessions::cards::set_card))
        .routes(routes!(schedule::add_bookmark, schedule::remove_bookmark))
        .routes(routes!(schedule::my_schedule))
        .routes(routes!(schedule::my_schedule_ics))
}
