//! Chat moderation: hiding a message, slow mode, muting someone for a while. Moderators
//! only (the room's `moderator` role).

use chrono::Utc;
use sqlx::PgConnection;
use uuid::Uuid;

use super::messages::message_changed;
use super::wire::{ChatEvent, MessageRef, Mute, Muted, SlowMode, Unmuted};
use crate::error::{AppError, AppResult, Problem};
use crate::realtime::feature::CommandCtx;
use crate::realtime::log::EventTx;
use crate::realtime::room::{RoomId, MODERATOR};

const LONGEST_SLOW_MODE_SECS: i32 = 3600;
const LONGEST_MUTE_MINUTES: i64 = 60 * 24 * 30;

fn require_moderator(ctx: &CommandCtx<'_>) -> AppResult<()> {
    ctx.rights.require(MODERATOR, "only moderators may do this")
}

pub async fn hide(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    message: MessageRef,
) -> AppResult<MessageRef> {
    require_moderator(ctx)?;
    let done = sqlx::query!(
        "update chat_messages set hidden_at = now(), hidden_by = $3
         where id = $1 and room_id = $2 and hidden_at is null",
        message.id,
        ctx.room.to_string(),
        ctx.user_id
    )
    .execute(etx.conn())
    .await?;
    message_changed(ctx, etx, done.rows_affected(), ChatEvent::Hidden(message)).await?;
    Ok(message)
}

pub async fn slow_mode(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    slow: SlowMode,
) -> AppResult<SlowMode> {
    require_moderator(ctx)?;
    if !(0..=LONGEST_SLOW_MODE_SECS).contains(&slow.seconds) {
        let range = Problem::OutOfRange {
            min: 0,
            max: i64::from(LONGEST_SLOW_MODE_SECS),
        };
        return Err(AppError::field("seconds", range));
    }
    sqlx::query!(
        "insert into chat_settings (room_id, slow_mode_secs) values ($1, $2)
         on conflict (room_id) do update set slow_mode_secs = $2, updated_at = now()",
        ctx.room.to_string(),
        slow.seconds
    )
    .execute(etx.conn())
    .await?;
    etx.emit(ctx.room, &ChatEvent::SlowMode(slow)).await?;
    Ok(slow)
}

pub async fn mute(ctx: &CommandCtx<'_>, etx: &mut EventTx, mute: Mute) -> AppResult<Muted> {
    require_moderator(ctx)?;
    let minutes = mute.minutes.unwrap_or(60 * 24);
    if !(1..=LONGEST_MUTE_MINUTES).contains(&minutes) {
        let range = Problem::OutOfRange {
            min: 1,
            max: LONGEST_MUTE_MINUTES,
        };
        return Err(AppError::field("minutes", range));
    }
    let until = Utc::now() + chrono::Duration::minutes(minutes);
    sqlx::query!(
        "insert into chat_mutes (room_id, user_id, muted_by, until) values ($1, $2, $3, $4)
         on conflict (room_id, user_id) do update set until = $4, muted_by = $3",
        ctx.room.to_string(),
        mute.user_id,
        ctx.user_id,
        until
    )
    .execute(etx.conn())
    .await?;
    let muted = Muted {
        user_id: mute.user_id,
        until,
    };
    etx.emit(ctx.room, &ChatEvent::Muted(muted)).await?;
    Ok(muted)
}

pub async fn unmute(ctx: &CommandCtx<'_>, etx: &mut EventTx, who: Unmuted) -> AppResult<Unmuted> {
    require_moderator(ctx)?;
    sqlx::query!(
        "delete from chat_mutes where room_id = $1 and user_id = $2",
        ctx.room.to_string(),
        who.user_id
    )
    .execute(etx.conn())
    .await?;
    etx.emit(ctx.room, &ChatEvent::Unmuted(who)).await?;
    Ok(who)
}

/// Whether a moderator muted `user_id` in `room` (other features of the room, such as a
/// panel's Q&A, keep a muted person quiet too).
pub async fn is_muted(db: &mut PgConnection, room: RoomId, user_id: Uuid) -> AppResult<bool> {
    let muted = sqlx::query_scalar!(
        r#"select exists(select 1 from chat_mutes
                         where room_id = $1 and user_id = $2 and until > now()) as "muted!""#,
        room.to_string(),
        user_id
    )
    .fetch_one(db)
    .await?;
    Ok(muted)
}
