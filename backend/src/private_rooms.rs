//! Private rooms (`private:<id>`): a room for a few people — a networking pair, a B2B
//! meeting. Only its members may enter, and only while they belong to its conference.

use async_trait::async_trait;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::conference::role_in;
use crate::error::{AppError, AppResult};
use crate::realtime::feature::{LiveFeature, RoomRules};
use crate::realtime::room::{Rights, RoomId, RoomKind};

pub const PRIVATE_ROOM: RoomKind = RoomKind::new("private");
/// The role of every member of a private room.
pub const MEMBER: &str = "member";

/// Private rooms as a live feature: it brings the room kind; chat takes part in it.
pub struct PrivateRooms;

#[async_trait]
impl LiveFeature for PrivateRooms {
    fn name(&self) -> &'static str {
        "private"
    }

    fn room_kinds(&self) -> Vec<Box<dyn RoomRules>> {
        vec![Box::new(PrivateRoomRules)]
    }
}

struct PrivateRoomRules;

#[async_trait]
impl RoomRules for PrivateRoomRules {
    fn kind(&self) -> RoomKind {
        PRIVATE_ROOM
    }

    async fn enter(&self, db: &PgPool, user_id: Uuid, room_id: Uuid) -> AppResult<Rights> {
        let conference_id = sqlx::query_scalar!(
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
        role_in(db, conference_id, user_id)
            .await?
            .ok_or(AppError::NotFound("room"))?;
        Ok(Rights {
            conference_id: Some(conference_id),
            roles: vec![MEMBER],
        })
    }
}

/// Creates a private room for `members` (a networking pair, a B2B meeting).
pub async fn create(
    tx: &mut PgConnection,
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
    Ok(RoomId::new(PRIVATE_ROOM, id))
}
