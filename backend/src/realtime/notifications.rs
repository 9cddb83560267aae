//! Notifications: each person's `user:<id>` room, for later features (meeting requests,
//! reminders). [`notify`] writes one inside the caller's transaction; the unread count
//! travels with every change.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{json, Value};
use sqlx::PgConnection;
use uuid::Uuid;

use super::commands::{parse, CommandCtx};
use super::log::EventTx;
use super::room::RoomId;
use crate::error::AppResult;

const LATEST: i64 = 30;

#[derive(Debug, Serialize)]
pub struct Notification {
    pub id: Uuid,
    pub kind: String,
    pub data: Value,
    pub read: bool,
    pub at: DateTime<Utc>,
}

#[derive(serde::Deserialize)]
struct Read {
    id: Uuid,
}

/// Notifies `user_id` (e.g. `kind = "meeting.requested"`), in the caller's transaction.
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
    etx.append(
        RoomId::User(user_id),
        "notification.created",
        json!({ "notification": notification, "unread": unread }),
    )
    .await?;
    Ok(id)
}

/// A write command in one's own room; `None` when `name` is not a notification command.
pub async fn handle(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    name: &str,
    data: Value,
) -> AppResult<Option<Value>> {
    let ids = match name {
        "notification.read" => {
            let id = parse::<Read>(data)?.id;
            sqlx::query_scalar!(
                "update notifications set read_at = now()
                 where id = $1 and user_id = $2 and read_at is null returning id",
                id,
                ctx.user_id
            )
            .fetch_all(etx.conn())
            .await?
        }
        "notification.read_all" => {
            sqlx::query_scalar!(
                "update notifications set read_at = now()
                 where user_id = $1 and read_at is null returning id",
                ctx.user_id
            )
            .fetch_all(etx.conn())
            .await?
        }
        _ => return Ok(None),
    };
    let unread = unread(etx.conn(), ctx.user_id).await?;
    let data = json!({ "ids": ids, "unread": unread });
    if !ids.is_empty() {
        etx.append(ctx.room, "notification.read", data.clone())
            .await?;
    }
    Ok(Some(data))
}

async fn unread(db: &mut PgConnection, user_id: Uuid) -> AppResult<i64> {
    Ok(sqlx::query_scalar!(
        r#"select count(*) as "count!" from notifications where user_id = $1 and read_at is null"#,
        user_id
    )
    .fetch_one(db)
    .await?)
}

/// The latest notifications and the unread count.
pub async fn snapshot(db: &mut PgConnection, user_id: Uuid) -> AppResult<Value> {
    let latest = sqlx::query_as!(
        Notification,
        r#"select id, kind, data, read_at is not null as "read!", created_at as at
           from notifications where user_id = $1 order by created_at desc, id desc limit $2"#,
        user_id,
        LATEST
    )
    .fetch_all(&mut *db)
    .await?;
    let unread = unread(db, user_id).await?;
    Ok(json!({ "notifications": latest, "unread": unread }))
}
