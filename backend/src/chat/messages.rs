//! Chat messages: sending (within mutes and slow mode), deleting one's own, pages of
//! history, and the room's snapshot part.

use sqlx::PgConnection;
use uuid::Uuid;

use super::wire::{ChatEvent, ChatMessage, ChatSnapshot, HistoryPage, HistoryRequest};
use super::wire::{MessageRef, SendMessage};
use crate::error::{AppError, AppResult};
use crate::realtime::feature::{posted_text, CommandCtx, Viewer};
use crate::realtime::log::EventTx;
use crate::realtime::room::{RoomId, MODERATOR};

const PAGE: i64 = 50;

pub async fn send(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    message: SendMessage,
) -> AppResult<MessageRef> {
    let body = posted_text(&message.body)?;
    let room = ctx.room.to_string();
    // Moderators are above mutes and slow mode.
    if !ctx.rights.has(MODERATOR) {
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
    etx.emit(ctx.room, &ChatEvent::Sent(message)).await?;
    Ok(MessageRef { id })
}

pub async fn delete(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    message: MessageRef,
) -> AppResult<MessageRef> {
    let done = sqlx::query!(
        "update chat_messages set deleted_at = now()
         where id = $1 and room_id = $2 and author_id = $3 and deleted_at is null",
        message.id,
        ctx.room.to_string(),
        ctx.user_id
    )
    .execute(etx.conn())
    .await?;
    message_changed(ctx, etx, done.rows_affected(), ChatEvent::Deleted(message)).await?;
    Ok(message)
}

/// After an update of a message: announces `event` if a row changed, else the message is
/// not there (or not the caller's to change).
pub async fn message_changed(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    rows_changed: u64,
    event: ChatEvent,
) -> AppResult<()> {
    if rows_changed == 0 {
        return Err(AppError::NotFound("message"));
    }
    etx.emit(ctx.room, &event).await?;
    Ok(())
}

/// Older messages, newest first, before message `before` (or the latest).
pub async fn history(ctx: &CommandCtx<'_>, request: HistoryRequest) -> AppResult<HistoryPage> {
    let limit = request.limit.unwrap_or(PAGE).clamp(1, 100);
    let mut conn = ctx.hub.db().acquire().await?;
    let mut messages = page(
        &mut conn,
        ctx.room,
        ctx.rights.has(MODERATOR),
        request.before,
        limit + 1,
    )
    .await?;
    let more = messages.len() as i64 > limit;
    messages.truncate(limit as usize);
    Ok(HistoryPage { messages, more })
}

async fn page(
    db: &mut PgConnection,
    room: RoomId,
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
        room.to_string(),
        moderator,
        before,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows)
}

/// The latest page (oldest first), the slow mode, and for moderators whom they muted.
pub async fn snapshot(
    db: &mut PgConnection,
    room: RoomId,
    viewer: &Viewer<'_>,
) -> AppResult<ChatSnapshot> {
    let moderator = viewer.rights.has(MODERATOR);
    let mut messages = page(&mut *db, room, moderator, None, PAGE).await?;
    messages.reverse();
    let name = room.to_string();
    let slow_mode_secs = sqlx::query_scalar!(
        "select slow_mode_secs from chat_settings where room_id = $1",
        name
    )
    .fetch_optional(&mut *db)
    .await?
    .unwrap_or(0);
    let muted = if moderator {
        Some(
            sqlx::query_scalar!(
                "select user_id from chat_mutes where room_id = $1 and until > now()
                 order by user_id",
                name
            )
            .fetch_all(&mut *db)
            .await?,
        )
    } else {
        None
    };
    Ok(ChatSnapshot {
        messages,
        slow_mode_secs,
        muted,
    })
}
