//! Chat in session rooms and private rooms: send, delete one's own message, history by
//! page, and moderation (hide, slow mode, mute). Messages are plain text of at most 2,000
//! characters; clients render links as text with `rel="noopener nofollow ugc"`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sqlx::PgConnection;
use uuid::Uuid;

use super::commands::{event_data, message_body, parse, CommandCtx};
use super::log::EventTx;
use crate::error::{AppError, AppResult, Problem};

const PAGE: i64 = 50;

#[derive(Debug, Serialize)]
pub struct ChatMessage {
    pub id: Uuid,
    pub author_id: Uuid,
    pub author_name: String,
    pub body: String,
    pub hidden: bool,
    pub at: DateTime<Utc>,
}

#[derive(Deserialize)]
struct Send {
    body: String,
}

#[derive(Deserialize)]
struct MessageRef {
    id: Uuid,
}

#[derive(Deserialize)]
struct SlowMode {
    seconds: i32,
}

#[derive(Deserialize)]
struct Mute {
    user_id: Uuid,
    #[serde(default)]
    minutes: Option<i64>,
}

#[derive(Deserialize)]
struct History {
    #[serde(default)]
    before: Option<Uuid>,
    #[serde(default)]
    limit: Option<i64>,
}

/// A write command in a chat room; `None` when `name` is not a chat command.
pub async fn handle(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    name: &str,
    data: Value,
) -> AppResult<Option<Value>> {
    let room = ctx.room.to_string();
    let result = match name {
        "chat.send" => send(ctx, etx, parse::<Send>(data)?.body).await?,
        "chat.delete" => {
            let id = parse::<MessageRef>(data)?.id;
            let done = sqlx::query!(
                "update chat_messages set deleted_at = now()
                 where id = $1 and room_id = $2 and author_id = $3 and deleted_at is null",
                id,
                room,
                ctx.user_id
            )
            .execute(etx.conn())
            .await?;
            message_changed(ctx, etx, done.rows_affected(), "chat.deleted", id).await?
        }
        "chat.hide" => {
            ctx.require_moderator()?;
            let id = parse::<MessageRef>(data)?.id;
            let done = sqlx::query!(
                "update chat_messages set hidden_at = now(), hidden_by = $3
                 where id = $1 and room_id = $2 and hidden_at is null",
                id,
                room,
                ctx.user_id
            )
            .execute(etx.conn())
            .await?;
            message_changed(ctx, etx, done.rows_affected(), "chat.hidden", id).await?
        }
        "chat.slow_mode" => {
            ctx.require_moderator()?;
            let seconds = parse::<SlowMode>(data)?.seconds;
            if !(0..=3600).contains(&seconds) {
                return Err(AppError::field(
                    "seconds",
                    Problem::OutOfRange { min: 0, max: 3600 },
                ));
            }
            sqlx::query!(
                "insert into chat_settings (room_id, slow_mode_secs) values ($1, $2)
                 on conflict (room_id) do update set slow_mode_secs = $2, updated_at = now()",
                room,
                seconds
            )
            .execute(etx.conn())
            .await?;
            let data = json!({ "seconds": seconds });
            etx.append(ctx.room, "chat.slow_mode", data.clone()).await?;
            data
        }
        "chat.mute" => {
            ctx.require_moderator()?;
            let mute = parse::<Mute>(data)?;
            let minutes = mute.minutes.unwrap_or(60 * 24);
            if !(1..=60 * 24 * 30).contains(&minutes) {
                return Err(AppError::field(
                    "minutes",
                    Problem::OutOfRange {
                        min: 1,
                        max: 60 * 24 * 30,
                    },
                ));
            }
            let until = Utc::now() + chrono::Duration::minutes(minutes);
            sqlx::query!(
                "insert into chat_mutes (room_id, user_id, muted_by, until) values ($1, $2, $3, $4)
                 on conflict (room_id, user_id) do update set until = $4, muted_by = $3",
                room,
                mute.user_id,
                ctx.user_id,
                until
            )
            .execute(etx.conn())
            .await?;
            let data = json!({ "user_id": mute.user_id, "until": until });
            etx.append(ctx.room, "chat.muted", data.clone()).await?;
            data
        }
        "chat.unmute" => {
            ctx.require_moderator()?;
            let user_id = parse::<Mute>(data)?.user_id;
            sqlx::query!(
                "delete from chat_mutes where room_id = $1 and user_id = $2",
                room,
                user_id
            )
            .execute(etx.conn())
            .await?;
            let data = json!({ "user_id": user_id });
            etx.append(ctx.room, "chat.unmuted", data.clone()).await?;
            data
        }
        _ => return Ok(None),
    };
    Ok(Some(result))
}

/// After an update of message `id`: announces `event` if a row changed, else the message
/// is not there (or not the caller's to change).
async fn message_changed(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    rows_changed: u64,
    event: &str,
    id: Uuid,
) -> AppResult<Value> {
    if rows_changed == 0 {
        return Err(AppError::NotFound("message"));
    }
    let data = json!({ "id": id });
    etx.append(ctx.room, event, data.clone()).await?;
    Ok(data)
}

async fn send(ctx: &CommandCtx<'_>, etx: &mut EventTx, body: String) -> AppResult<Value> {
    let body = message_body(&body)?;
    let room = ctx.room.to_string();
    if !ctx.access.moderator {
        let limits = sqlx::query!(
            r#"select
                 (select until from chat_mutes where room_id = $1 and user_id = $2 and until > now()) as muted_until,
                 coalesce((select slow_mode_secs from chat_settings where room_id = $1), 0) as "slow_mode_secs!",
                 (select extract(epoch from now() - max(created_at))::float8 from chat_messages
                   where room_id = $1 and author_id = $2) as since_last"#,
            room,
            ctx.user_id
        )
        .fetch_one(etx.conn())
        .await?;
        if limits.muted_until.is_some() {
            return Err(AppError::Forbidden("a moderator muted you in this room"));
        }
        let wait = f64::from(limits.slow_mode_secs) - limits.since_last.unwrap_or(f64::MAX);
        if wait > 0.0 {
            return Err(AppError::RateLimited {
                retry_after_secs: wait.ceil() as u64,
            });
        }
    }
    let id = Uuid::new_v4();
    let at = sqlx::query_scalar!(
        "insert into chat_messages (id, room_id, author_id, body) values ($1, $2, $3, $4)
         returning created_at",
        id,
        room,
        ctx.user_id,
        body
    )
    .fetch_one(etx.conn())
    .await?;
    let message = ChatMessage {
        id,
        author_id: ctx.user_id,
        author_name: ctx.user_name.to_owned(),
        body,
        hidden: false,
        at,
    };
    let data = event_data(&message)?;
    etx.append(ctx.room, "chat.sent", data).await?;
    Ok(json!({ "id": id }))
}

/// Older messages, newest first, before message `before` (or the latest).
pub async fn history(ctx: &CommandCtx<'_>, data: Value) -> AppResult<Value> {
    let request = parse::<History>(data)?;
    let limit = request.limit.unwrap_or(PAGE).clamp(1, 100);
    let mut conn = ctx.hub.db().acquire().await?;
    let messages = page(
        &mut conn,
        &ctx.room.to_string(),
        ctx.access.moderator,
        request.before,
        limit + 1,
    )
    .await?;
    let more = messages.len() as i64 > limit;
    let messages: Vec<ChatMessage> = messages.into_iter().take(limit as usize).collect();
    Ok(json!({ "messages": messages, "more": more }))
}

async fn page(
    db: &mut PgConnection,
    room: &str,
    moderator: bool,
    before: Option<Uuid>,
    limit: i64,
) -> AppResult<Vec<ChatMessage>> {
    let rows = sqlx::query_as!(
        ChatMessage,
        r#"select m.id, m.author_id, u.display_name as author_name, m.body,
                  m.hidden_at is not null as "hidden!", m.created_at as at
           from chat_messages m join users u on u.id = m.author_id
           where m.room_id = $1 and m.deleted_at is null and ($2 or m.hidden_at is null)
             and ($3::uuid is null or (m.created_at, m.id) <
                  (select created_at, id from chat_messages where id = $3 and room_id = $1))
           order by m.created_at desc, m.id desc limit $4"#,
        room,
        moderator,
        before,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows)
}

/// The chat part of a room snapshot: the latest page (oldest first) and the slow mode.
pub async fn snapshot(db: &mut PgConnection, room: &str, moderator: bool) -> AppResult<Value> {
    let mut messages = page(&mut *db, room, moderator, None, PAGE).await?;
    messages.reverse();
    let slow_mode_secs = sqlx::query_scalar!(
        "select slow_mode_secs from chat_settings where room_id = $1",
        room
    )
    .fetch_optional(&mut *db)
    .await?
    .unwrap_or(0);
    let mut state = json!({ "messages": messages, "slow_mode_secs": slow_mode_secs });
    // Moderators need to know whom they muted to unmute them after a reload.
    if moderator {
        state["muted"] = json!(
            sqlx::query_scalar!(
            "select user_id from chat_mutes where room_id = $1 and until > now() order by user_id",
            room
        )
            .fetch_all(&mut *db)
            .await?
        );
    }
    Ok(state)
}
