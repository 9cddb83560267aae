//! Conferences and their agenda: who is a member with which role, the sessions, and each
//! person's bookmarked schedule.

mod access;
mod conferences;
pub mod live;
mod members;
mod notices;
mod schedule;
pub mod sessions;
pub mod text;

pub use access::{
    effective_role, memberships_of, role_in, set_member_role, ConferenceAccess, ConferenceRole,
    ConferenceSlug, Membership,
};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(
            conferences::list_conferences,
            conferences::create_conference
        ))
        .routes(routes!(
            conferences::get_conference,
            conferences::update_conference
        ))
        .routes(routes!(conferences::join_conference))
        .routes(routes!(members::list_members))
        .routes(routes!(members::set_role, members::remove_member))
        .routes(routes!(sessions::list_sessions, sessions::create_session))
        .routes(routes!(
            sessions::get_session,
            sessions::update_session,
            sessions::delete_session
        ))
        .routes(routes!(sessions::set_people))
        .routes(routes!(schedule::add_bookmark, schedule::remove_bookmark))
        .routes(routes!(schedule::my_schedule))
        .routes(routes!(schedule::my_schedule_ics))
}
