//! The conference's live rooms: `conference:<id>` (everyone in the conference) and
//! `session:<id>` (a session's live space), who may enter them and with which roles — from
//! the same rules as the REST routes (`effective_role`, `sees_session`).

use async_trait::async_trait;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::sessions::{sees_session, SessionRole, Visibility};
use super::{role_in, ConferenceRole};
use crate::access_changes;
use crate::error::{AppError, AppResult};
use crate::realtime::feature::{LiveFeature, RoomRules};
use crate::realtime::room::{Rights, RoomId, RoomKind, MODERATOR};

/// Everyone in a conference: announcements to all.
pub const CONFERENCE_ROOM: RoomKind = RoomKind::new("conference");
/// A session's live space: its chat, announcements, and later Q&A, polls, hands.
pub const SESSION_ROOM: RoomKind = RoomKind::new("session");

/// Room roles. Conference roles are cumulative upwards (an organiser also moderates);
/// `moderator` (the core's word) runs a room: chat moderation, who is present.
pub const ATTENDEE: &str = "attendee";
pub const SPEAKER: &str = "speaker";
pub const ORGANISER: &str = "organiser";
/// Roles in one session, from its people.
pub const SESSION_MODERATOR: &str = "session_moderator";
pub const SESSION_SPEAKER: &str = "session_speaker";
pub const FACILITATOR: &str = "facilitator";
pub const GUEST: &str = "guest";

/// The room of session `id`.
pub fn session_room(id: Uuid) -> RoomId {
    RoomId::new(SESSION_ROOM, id)
}

/// Records that the rights in session `id`'s room changed (its people, its visibility, or
/// it is gone): every node asks its subscribers' rights again.
pub async fn session_access_changed(tx: &mut PgConnection, id: Uuid) -> AppResult<()> {
    access_changes::room(tx, &session_room(id).to_string()).await
}

/// The conference's rooms as a live feature: it brings room kinds, no commands.
pub struct ConferenceRooms;

#[async_trait]
impl LiveFeature for ConferenceRooms {
    fn name(&self) -> &'static str {
        "conference"
    }

    fn room_kinds(&self) -> Vec<Box<dyn RoomRules>> {
        vec![Box::new(WholeConference), Box::new(SessionSpace)]
    }
}

/// The roles a conference role gives in every room of the conference.
fn conference_roles(role: ConferenceRole) -> Vec<&'static str> {
    match role {
        ConferenceRole::Attendee => vec![ATTENDEE],
        ConferenceRole::Speaker => vec![SPEAKER],
        ConferenceRole::Moderator => vec![MODERATOR],
        ConferenceRole::Organiser => vec![MODERATOR, ORGANISER],
    }
}

struct WholeConference;

#[async_trait]
impl RoomRules for WholeConference {
    fn kind(&self) -> RoomKind {
        CONFERENCE_ROOM
    }

    async fn enter(&self, db: &PgPool, user_id: Uuid, conference_id: Uuid) -> AppResult<Rights> {
        let role = role_in(db, conference_id, user_id)
            .await?
            .ok_or(AppError::NotFound("room"))?;
        Ok(Rights {
            conference_id: Some(conference_id),
            roles: conference_roles(role),
        })
    }
}

struct SessionSpace;

#[async_trait]
impl RoomRules for SessionSpace {
    fn kind(&self) -> RoomKind {
        SESSION_ROOM
    }

    async fn enter(&self, db: &PgPool, user_id: Uuid, session_id: Uuid) -> AppResult<Rights> {
        session_rights(db, user_id, session_id).await
    }
}

/// The roles of `user_id` in session `session_id`'s rooms (its live space and the features'
/// rooms of it): their conference role's, their role among its people, and `moderator`
/// for who runs it. `NotFound` for a session they may not see.
pub async fn session_rights(db: &PgPool, user_id: Uuid, session_id: Uuid) -> AppResult<Rights> {
    let row = sqlx::query!(
        r#"select s.conference_id, s.visibility as "visibility: Visibility",
                  p.role as "session_role?: SessionRole"
           from sessions s
           left join session_people p on p.session_id = s.id and p.user_id = $2
           where s.id = $1"#,
        session_id,
        user_id
    )
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound("room"))?;
    let role = role_in(db, row.conference_id, user_id).await?;
    if !sees_session(row.visibility, role, row.session_role) {
        return Err(AppError::NotFound("room"));
    }
    let mut roles = role.map(conference_roles).unwrap_or_default();
    let (session_role, runs_session) = match row.session_role {
        Some(SessionRole::Moderator) => (Some(SESSION_MODERATOR), true),
        Some(SessionRole::Facilitator) => (Some(FACILITATOR), true),
        Some(SessionRole::Speaker) => (Some(SESSION_SPEAKER), false),
        Some(SessionRole::Guest) => (Some(GUEST), false),
        None => (None, false),
    };
    roles.extend(session_role);
    if runs_session && !roles.contains(&MODERATOR) {
        roles.push(MODERATOR);
    }
    Ok(Rights {
        conference_id: Some(row.conference_id),
        roles,
    })
}
