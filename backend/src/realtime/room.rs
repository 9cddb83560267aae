//! Room names (`session:<id>`, `private:<id>`, `user:<id>`, `conference:<id>`) and who may
//! enter each room.

use std::fmt;
use std::str::FromStr;

use sqlx::PgPool;
use uuid::Uuid;

use crate::conference::sessions::{SessionRole, Visibility};
use crate::conference::ConferenceRole;
use crate::error::{AppError, AppResult};

/// A room: a session's live space, a private room of a few people, a person's
/// notifications, or a whole conference (announcements to everyone connected).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RoomId {
    Session(Uuid),
    Private(Uuid),
    User(Uuid),
    Conference(Uuid),
}

impl RoomId {
    /// Rooms with chat: session rooms and private rooms.
    pub fn has_chat(self) -> bool {
        matches!(self, RoomId::Session(_) | RoomId::Private(_))
    }

    /// Rooms whose presence is counted (not a person's notifications).
    pub fn has_presence(self) -> bool {
        !matches!(self, RoomId::User(_))
    }
}

impl fmt::Display for RoomId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RoomId::Session(id) => write!(f, "session:{id}"),
            RoomId::Private(id) => write!(f, "private:{id}"),
            RoomId::User(id) => write!(f, "user:{id}"),
            RoomId::Conference(id) => write!(f, "conference:{id}"),
        }
    }
}

impl FromStr for RoomId {
    type Err = AppError;

    fn from_str(value: &str) -> AppResult<Self> {
        let bad = || AppError::NotFound("room");
        let (kind, id) = value.split_once(':').ok_or_else(bad)?;
        let id = Uuid::parse_str(id).map_err(|_| bad())?;
        // Only the canonical (lowercase, hyphenated) spelling names a room.
        if id.to_string() != value[kind.len() + 1..] {
            return Err(bad());
        }
        match kind {
            "session" => Ok(RoomId::Session(id)),
            "private" => Ok(RoomId::Private(id)),
            "user" => Ok(RoomId::User(id)),
            "conference" => Ok(RoomId::Conference(id)),
            _ => Err(bad()),
        }
    }
}

/// What the caller may do in a room they entered.
#[derive(Debug, Clone, Copy)]
pub struct RoomAccess {
    /// The conference the room belongs to (`None` for a personal room).
    pub conference_id: Option<Uuid>,
    /// Moderate chat, see who is present.
    pub moderator: bool,
    /// Publish announcements (organisers).
    pub organiser: bool,
}

/// Checks that `user_id` may enter `room`. Rooms one may not see are `NotFound`, so that
/// an invite-only session or another pair's room stays secret.
#[tracing::instrument(skip_all, fields(%room))]
pub async fn authorize(db: &PgPool, user_id: Uuid, room: RoomId) -> AppResult<RoomAccess> {
    match room {
        RoomId::User(owner) if owner == user_id => Ok(RoomAccess {
            conference_id: None,
            moderator: false,
            organiser: false,
        }),
        RoomId::User(_) => Err(AppError::NotFound("room")),
        RoomId::Conference(conference_id) => {
            let role = conference_role(db, conference_id, user_id)
                .await?
                .ok_or(AppError::NotFound("room"))?;
            Ok(RoomAccess {
                conference_id: Some(conference_id),
                moderator: role >= ConferenceRole::Moderator,
                organiser: role >= ConferenceRole::Organiser,
            })
        }
        RoomId::Session(session_id) => session_access(db, session_id, user_id).await,
        RoomId::Private(room_id) => {
            let row = sqlx::query!(
                "select r.conference_id from private_rooms r
                 join private_room_members m on m.room_id = r.id and m.user_id = $2
                 where r.id = $1",
                room_id,
                user_id
            )
            .fetch_optional(db)
            .await?
            .ok_or(AppError::NotFound("room"))?;
            // Leaving the conference (removal) closes its private rooms too.
            conference_role(db, row.conference_id, user_id)
                .await?
                .ok_or(AppError::NotFound("room"))?;
            Ok(RoomAccess {
                conference_id: Some(row.conference_id),
                moderator: false,
                organiser: false,
            })
        }
    }
}

async fn session_access(db: &PgPool, session_id: Uuid, user_id: Uuid) -> AppResult<RoomAccess> {
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
    let role = conference_role(db, row.conference_id, user_id)
        .await?
        .ok_or(AppError::NotFound("room"))?;
    let staff = role >= ConferenceRole::Moderator;
    if row.visibility == Visibility::InviteOnly && row.session_role.is_none() && !staff {
        return Err(AppError::NotFound("room"));
    }
    let runs_session = matches!(
        row.session_role,
        Some(SessionRole::Moderator | SessionRole::Facilitator)
    );
    Ok(RoomAccess {
        conference_id: Some(row.conference_id),
        moderator: staff || runs_session,
        organiser: role >= ConferenceRole::Organiser,
    })
}

/// The user's role in a conference; platform organisers are organisers everywhere.
async fn conference_role(
    db: &PgPool,
    conference_id: Uuid,
    user_id: Uuid,
) -> AppResult<Option<ConferenceRole>> {
    let row = sqlx::query!(
        r#"select u.is_platform_organiser, m.role as "role?: ConferenceRole"
           from users u
           left join conference_members m on m.conference_id = $1 and m.user_id = u.id
           where u.id = $2 and exists (select 1 from conferences where id = $1)"#,
        conference_id,
        user_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.and_then(|row| {
        if row.is_platform_organiser {
            Some(ConferenceRole::Organiser)
        } else {
            row.role
        }
    }))
}

/// Creates a private room for `members` (a networking pair, a B2B meeting).
pub async fn create_private_room(
    tx: &mut sqlx::PgConnection,
    conference_id: Uuid,
    purpose: &str,
    members: &[Uuid],
) -> AppResult<RoomId> {
    let id = Uuid::new_v4();
    sqlx::query!(
        "insert into private_rooms (id, conference_id, purpose) values ($1, $2, $3)",
        id,
        conference_id,
        purpose
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into private_room_members (room_id, user_id) select $1, unnest($2::uuid[])",
        id,
        members
    )
    .execute(&mut *tx)
    .await?;
    Ok(RoomId::Private(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_names_round_trip_and_reject_noise() {
        let id = Uuid::new_v4();
        for room in [
            RoomId::Session(id),
            RoomId::Private(id),
            RoomId::User(id),
            RoomId::Conference(id),
        ] {
            assert_eq!(room.to_string().parse::<RoomId>().unwrap(), room);
        }
        assert!(format!("session:{}", id.simple())
            .parse::<RoomId>()
            .is_err());
        assert!(format!("lobby:{id}").parse::<RoomId>().is_err());
        assert!("session".parse::<RoomId>().is_err());
    }
}
