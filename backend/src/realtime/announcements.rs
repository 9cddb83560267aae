//! Announcements: organisers publish to everyone connected to the conference (the
//! `conference:<id>` room) or to one session room. They are persisted, so a late joiner
//! finds the current ones in the room's snapshot.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sqlx::PgConnection;
use uuid::Uuid;

use super::commands::{event_data, message_body, parse, CommandCtx};
use super::log::EventTx;
use super::room::RoomId;
use crate::error::{AppError, AppResult, Problem};

#[derive(Debug, Serialize)]
pub struct Announcement {
    pub id: Uuid,
    pub body: String,
    pub author_name: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Deserialize)]
struct Publish {
    body: String,
    /// A session room of this conference; absent: everyone connected.
    #[serde(default)]
    room: Option<String>,
}

#[derive(Deserialize)]
struct Withdraw {
    id: Uuid,
}

/// A write command in a conference room; `None` when `name` is not an announcement command.
pub async fn handle(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    name: &str,
    data: Value,
) -> AppResult<Option<Value>> {
    let RoomId::Conference(conference_id) = ctx.room else {
        return Ok(None);
    };
    match name {
        "announcement.publish" => {
            ctx.require_organiser()?;
            let request = parse::<Publish>(data)?;
            let body = message_body(&request.body)?;
            let target = match request.room {
                None => ctx.room,
                Some(room) => {
                    let room: RoomId = room.parse()?;
                    let RoomId::Session(session_id) = room else {
                        return Err(AppError::field("room", Problem::SessionRoom));
                    };
                    sqlx::query_scalar!(
                        "select id from sessions where id = $1 and conference_id = $2",
                        session_id,
                        conference_id
                    )
                    .fetch_optional(etx.conn())
                    .await?
                    .ok_or(AppError::NotFound("room"))?;
                    room
                }
            };
            let id = Uuid::new_v4();
            let stored_room = (target != ctx.room).then(|| target.to_string());
            let at = sqlx::query_scalar!(
                "insert into announcements (id, conference_id, room_id, author_id, body)
                 values ($1, $2, $3, $4, $5) returning created_at",
                id,
                conference_id,
                stored_room,
                ctx.user_id,
                body
            )
            .fetch_one(etx.conn())
            .await?;
            let announcement = Announcement {
                id,
                body,
                author_name: Some(ctx.user_name.to_owned()),
                at,
            };
            let data = event_data(&announcement)?;
            etx.append(target, "announcement.published", data).await?;
            crate::audit::record(
                etx.conn(),
                conference_id,
                ctx.user_id,
                "announcement.publish",
                json!({ "id": id, "room": target.to_string() }),
            )
            .await?;
            Ok(Some(json!({ "id": id })))
        }
        "announcement.withdraw" => {
            ctx.require_organiser()?;
            let id = parse::<Withdraw>(data)?.id;
            let room = sqlx::query_scalar!(
                "update announcements set withdrawn_at = now()
                 where id = $1 and conference_id = $2 and withdrawn_at is null returning room_id",
                id,
                conference_id
            )
            .fetch_optional(etx.conn())
            .await?
            .ok_or(AppError::NotFound("announcement"))?;
            let target = match room {
                Some(room) => room.parse()?,
                None => ctx.room,
            };
            etx.append(target, "announcement.withdrawn", json!({ "id": id }))
                .await?;
            Ok(Some(json!({ "id": id })))
        }
        _ => Ok(None),
    }
}

/// The announcements currently shown in `room` (oldest first).
pub async fn current(db: &mut PgConnection, room: RoomId) -> AppResult<Vec<Announcement>> {
    let (conference_id, room_name) = match room {
        RoomId::Conference(id) => (Some(id), None),
        other => (None, Some(other.to_string())),
    };
    let rows = sqlx::query_as!(
        Announcement,
        "select a.id, a.body, u.display_name as \"author_name?\", a.created_at as at
         from announcements a left join users u on u.id = a.author_id
         where a.withdrawn_at is null
           and (($1::uuid is not null and a.conference_id = $1 and a.room_id is null)
                or ($2::text is not null and a.room_id = $2))
         order by a.created_at, a.id limit 20",
        conference_id,
        room_name
    )
    .fetch_all(db)
    .await?;
    Ok(rows)
}
