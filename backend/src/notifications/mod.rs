//! Notifications: each person's `user:<id>` room (only they may enter it). [`notify`]
//! writes one inside the caller's transaction; the unread count travels with every change.

pub mod wire;

use async_trait::async_trait;
use serde_json::Value;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::realtime::feature::{
    parse_command, to_json, typescript_module, CommandCtx, LiveFeature, RoomRules, Viewer,
};
use crate::realtime::log::EventTx;
use crate::realtime::room::{Rights, RoomId, RoomKind};
use wire::{
    Created, Notification, NotificationCommand, NotificationEvent, NotificationsSnapshot,
    ReadNotifications,
};

/// A person's own room.
pub const USER_ROOM: RoomKind = RoomKind::new("user");
/// The role of the one person in their `user:` room.
pub const OWNER: &str = "owner";

const LATEST: i64 = 30;

/// Notifications as a live feature; it brings the `user:` room.
pub struct Notifications;

#[async_trait]
impl LiveFeature for Notifications {
    fn name(&self) -> &'static str {
        "notification"
    }

    fn room_kinds(&self) -> Vec<Box<dyn RoomRules>> {
        vec![Box::new(OwnRoom)]
    }

    fn rooms(&self) -> &'static [RoomKind] {
        &[USER_ROOM]
    }

    async fn command(
        &self,
        ctx: &CommandCtx<'_>,
        etx: &mut EventTx,
        command: &str,
        data: Value,
    ) -> AppResult<Value> {
        let ids = match parse_command(command, data)? {
            NotificationCommand::Read(one) => {
                sqlx::query_scalar!(
                    "update notifications set read_at = now()
                     where id = $1 and user_id = $2 and read_at is null returning id",
                    one.id,
                    ctx.user_id
                )
                .fetch_all(etx.conn())
                .await?
            }
            NotificationCommand::ReadAll(_) => {
                sqlx::query_scalar!(
                    "update notifications set read_at = now()
                     where user_id = $1 and read_at is null returning id",
                    ctx.user_id
                )
                .fetch_all(etx.conn())
                .await?
            }
        };
        let read = ReadNotifications {
            ids,
            unread: unread(etx.conn(), ctx.user_id).await?,
        };
        if !read.ids.is_empty() {
            etx.emit(ctx.room, &NotificationEvent::Read(read.clone()))
                .await?;
        }
        to_json(&read)
    }

    async fn snapshot(
        &self,
        db: &mut PgConnection,
        _room: RoomId,
        viewer: &Viewer<'_>,
    ) -> AppResult<Value> {
        let latest = sqlx::query_as!(
            Notification,
            r#"select id, kind, data, read_at is not null as "read!", created_at as at
               from notifications where user_id = $1 order by created_at desc, id desc limit $2"#,
            viewer.user_id,
            LATEST
        )
        .fetch_all(&mut *db)
        .await?;
        let unread = unread(db, viewer.user_id).await?;
        to_json(&NotificationsSnapshot { latest, unread })
    }

    fn typescript(&self) -> Option<(String, String)> {
        Some(typescript_module(
            "notifications",
            &wire::typescript_decls(),
        ))
    }
}

struct OwnRoom;

#[async_trait]
impl RoomRules for OwnRoom {
    fn kind(&self) -> RoomKind {
        USER_ROOM
    }

    /// One's notifications are nobody's business: the count is not shown.
    fn counts_presence(&self) -> bool {
        false
    }

    async fn enter(&self, _db: &PgPool, user_id: Uuid, owner: Uuid) -> AppResult<Rights> {
        if owner != user_id {
            return Err(AppError::NotFound("room"));
        }
        Ok(Rights {
            conference_id: None,
            roles: vec![OWNER],
        })
    }
}

/// Notifies `user_id` (e.g. `kind = "member.role_changed"`), in the caller's transaction.
pub async fn notify(etx: &mut EventTx, user_id: Uuid, kind: &str, data: Value) -> AppResult<Uuid> {
    let id = Uuid::new_v4();
    let at = sqlx::query_scalar!(
        "insert into notifications (id, user_id, kind, data) values ($1, $2, $3, $4)
         returning created_at",
        id,
        user_id,
        kind,
        data
    )
    .fetch_one(etx.conn())
    .await?;
    let unread = unread(etx.conn(), user_id).await?;
    let notification = Notification {
        id,
        kind: kind.to_owned(),
        data,
        read: false,
        at,
    };
    let created = Created {
        notification,
        unread,
    };
    etx.emit(
        RoomId::new(USER_ROOM, user_id),
        &NotificationEvent::Created(created),
    )
    .await?;
    Ok(id)
}

async fn unread(db: &mut PgConnection, user_id: Uuid) -> AppResult<i64> {
    Ok(sqlx::query_scalar!(
        r#"select count(*) as "count!" from notifications where user_id = $1 and read_at is null"#,
        user_id
    )
    .fetch_one(db)
    .await?)
}
