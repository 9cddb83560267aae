//! Announcements: organisers publish to everyone connected to the conference (the
//! `conference:<id>` room) or to one session room, and withdraw them. They are persisted,
//! so a late joiner finds the current ones in the room's snapshot.

pub mod wire;

use async_trait::async_trait;
use serde_json::{json, Value};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::conference::live::{session_room, CONFERENCE_ROOM, ORGANISER, SESSION_ROOM};
use crate::error::{AppError, AppResult, Problem};
use crate::realtime::feature::{
    parse_command, posted_text, to_json, typescript_module, CommandCtx, LiveFeature, Viewer,
};
use crate::realtime::log::EventTx;
use crate::realtime::room::{RoomId, RoomKind};
use wire::{
    Announcement, AnnouncementCommand, AnnouncementEvent, AnnouncementRef, AnnouncementsSnapshot,
    Publish,
};

/// Announcements as a live feature.
pub struct Announcements;

#[async_trait]
impl LiveFeature for Announcements {
    fn name(&self) -> &'static str {
        "announcement"
    }

    fn rooms(&self) -> &'static [RoomKind] {
        &[CONFERENCE_ROOM, SESSION_ROOM]
    }

    async fn command(
        &self,
        ctx: &CommandCtx<'_>,
        etx: &mut EventTx,
        command: &str,
        data: Value,
    ) -> AppResult<Value> {
        // Published from the conference's room, to it or to one of its sessions.
        if ctx.room.kind != CONFERENCE_ROOM {
            return Err(AppError::NotFound("command"));
        }
        ctx.rights
            .require(ORGANISER, "only organisers may do this")?;
        match parse_command(command, data)? {
            AnnouncementCommand::Publish(publish) => {
                to_json(&publish_one(ctx, etx, publish).await?)
            }
            AnnouncementCommand::Withdraw(one) => to_json(&withdraw(ctx, etx, one).await?),
        }
    }

    async fn snapshot(
        &self,
        db: &mut PgConnection,
        room: RoomId,
        _viewer: &Viewer<'_>,
    ) -> AppResult<Value> {
        to_json(&AnnouncementsSnapshot {
            current: current(db, room).await?,
        })
    }

    fn typescript(&self) -> Option<(String, String)> {
        Some(typescript_module(
            "announcements",
            &wire::typescript_decls(),
        ))
    }
}

async fn publish_one(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    publish: Publish,
) -> AppResult<AnnouncementRef> {
    let conference_id = ctx.room.id;
    let body = posted_text(&publish.body)?;
    let target = match publish.room {
        None => ctx.room,
        Some(room) => {
            let room: RoomId = room.parse()?;
            if room.kind != SESSION_ROOM {
                return Err(AppError::field("room", Problem::SessionRoom));
            }
            sqlx::query_scalar!(
                "select id from sessions where id = $1 and conference_id = $2",
                room.id,
                conference_id
            )
            .fetch_optional(etx.conn())
            .await?
            .ok_or(AppError::NotFound("room"))?;
            session_room(room.id)
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
        room: stored_room,
        at,
    };
    etx.emit(target, &AnnouncementEvent::Published(announcement))
        .await?;
    crate::audit::record(
        etx.conn(),
        conference_id,
        ctx.user_id,
        "announcement.publish",
        json!({ "id": id, "room": target.to_string() }),
    )
    .await?;
    Ok(AnnouncementRef { id })
}

async fn withdraw(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    one: AnnouncementRef,
) -> AppResult<AnnouncementRef> {
    let room = sqlx::query_scalar!(
        "update announcements set withdrawn_at = now()
         where id = $1 and conference_id = $2 and withdrawn_at is null returning room_id",
        one.id,
        ctx.room.id
    )
    .fetch_optional(etx.conn())
    .await?
    .ok_or(AppError::NotFound("announcement"))?;
    let target = match room {
        Some(room) => room.parse()?,
        None => ctx.room,
    };
    etx.emit(target, &AnnouncementEvent::Withdrawn(one)).await?;
    Ok(one)
}

/// The announcements currently shown in `room` (oldest first).
async fn current(db: &mut PgConnection, room: RoomId) -> AppResult<Vec<Announcement>> {
    let (conference_id, room_name) = if room.kind == CONFERENCE_ROOM {
        (Some(room.id), None)
    } else {
        (None, Some(room.to_string()))
    };
    let rows = sqlx::query_as!(
        Announcement,
        "select a.id, a.body, u.display_name as \"author_name?\", a.room_id as room,
                a.created_at as at
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
