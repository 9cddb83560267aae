//! A session's stage: its live state (upcoming, live, break with a message, ended) and a
//! pinned message, set by its moderators and shown on every screen at once; and, backstage,
//! the rule of the one stage queue and who has had the floor (the queue itself is the
//! approved questions and the raised hands, which the backstage already follows).

use sqlx::PgConnection;
use uuid::Uuid;

use super::backstage::backstage_room;
use super::embed::embed;
use super::require_moderator;
use super::wire::{
    Heard, PinMessage, QueueRule, SetStage, Stage, StageBackstage, StageBackstageEvent, StageEvent,
    StageState, StageView,
};
use crate::conference::live::session_room;
use crate::error::AppResult;
use crate::realtime::feature::{bounded_text, CommandCtx};
use crate::realtime::log::EventTx;

const MAX_BREAK_MESSAGE_CHARS: usize = 300;
const MAX_PINNED_CHARS: usize = 500;

/// The stage of session `session_id` (a session nobody set yet is upcoming).
pub async fn read(db: &mut PgConnection, session_id: Uuid) -> AppResult<Stage> {
    let stage = sqlx::query_as!(
        Stage,
        r#"select state as "state: StageState", break_message, pinned
           from stages where session_id = $1"#,
        session_id
    )
    .fetch_optional(db)
    .await?;
    Ok(stage.unwrap_or(Stage {
        state: StageState::Upcoming,
        break_message: None,
        pinned: None,
    }))
}

pub async fn set(ctx: &CommandCtx<'_>, etx: &mut EventTx, set: SetStage) -> AppResult<Stage> {
    require_moderator(ctx)?;
    let message = match (set.state, set.message.as_deref().map(str::trim)) {
        (StageState::Break, Some(text)) if !text.is_empty() => {
            Some(bounded_text("message", text, MAX_BREAK_MESSAGE_CHARS)?)
        }
        _ => None,
    };
    let stage = sqlx::query_as!(
        Stage,
        r#"insert into stages (session_id, state, break_message) values ($1, $2, $3)
           on conflict (session_id) do update set state = $2, break_message = $3
           returning state as "state: StageState", break_message, pinned"#,
        ctx.room.id,
        set.state as StageState,
        message
    )
    .fetch_one(etx.conn())
    .await?;
    changed(etx, ctx.room.id, stage).await
}

pub async fn pin(ctx: &CommandCtx<'_>, etx: &mut EventTx, pin: PinMessage) -> AppResult<Stage> {
    require_moderator(ctx)?;
    let text = match pin.text.as_deref().map(str::trim) {
        Some(text) if !text.is_empty() => Some(bounded_text("text", text, MAX_PINNED_CHARS)?),
        _ => None,
    };
    let stage = sqlx::query_as!(
        Stage,
        r#"insert into stages (session_id, pinned) values ($1, $2)
           on conflict (session_id) do update set pinned = $2
           returning state as "state: StageState", break_message, pinned"#,
        ctx.room.id,
        text
    )
    .fetch_one(etx.conn())
    .await?;
    changed(etx, ctx.room.id, stage).await
}

pub async fn fairness(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    rule: QueueRule,
) -> AppResult<QueueRule> {
    require_moderator(ctx)?;
    sqlx::query!(
        "insert into stages (session_id, fair_queue) values ($1, $2)
         on conflict (session_id) do update set fair_queue = $2",
        ctx.room.id,
        rule.fair
    )
    .execute(etx.conn())
    .await?;
    etx.emit(
        backstage_room(ctx.room.id),
        &StageBackstageEvent::Rule(rule.clone()),
    )
    .await?;
    Ok(rule)
}

/// `user_id` has the floor in session `session_id` (their question answered, or invited to
/// speak); the backstage hears of it the first time.
pub async fn heard(etx: &mut EventTx, session_id: Uuid, user_id: Uuid) -> AppResult<()> {
    let first = sqlx::query!(
        "insert into stage_speakers (session_id, user_id) values ($1, $2) on conflict do nothing",
        session_id,
        user_id
    )
    .execute(etx.conn())
    .await?
    .rows_affected()
        == 1;
    if first {
        etx.emit(
            backstage_room(session_id),
            &StageBackstageEvent::Heard(Heard { user_id }),
        )
        .await?;
    }
    Ok(())
}

/// The stage queue's rule and who had the floor, for the backstage snapshot.
pub async fn backstage(db: &mut PgConnection, session_id: Uuid) -> AppResult<StageBackstage> {
    let fair = sqlx::query_scalar!(
        "select fair_queue from stages where session_id = $1",
        session_id
    )
    .fetch_optional(&mut *db)
    .await?
    .unwrap_or(false);
    let heard = sqlx::query_scalar!(
        "select user_id from stage_speakers where session_id = $1 order by first_heard_at",
        session_id
    )
    .fetch_all(db)
    .await?;
    Ok(StageBackstage { fair, heard })
}

/// The stage and its stream, for the snapshot: `allowed` are the origins the operator
/// lets the stage frame.
pub async fn view(
    db: &mut PgConnection,
    session_id: Uuid,
    allowed: &[String],
) -> AppResult<StageView> {
    let stream_url =
        sqlx::query_scalar!("select stream_url from sessions where id = $1", session_id)
            .fetch_optional(&mut *db)
            .await?
            .flatten();
    Ok(StageView {
        stage: read(db, session_id).await?,
        embed: stream_url.and_then(|url| embed(&url, allowed)),
    })
}

async fn changed(etx: &mut EventTx, session_id: Uuid, stage: Stage) -> AppResult<Stage> {
    etx.emit(
        session_room(session_id),
        &StageEvent::Changed(stage.clone()),
    )
    .await?;
    Ok(stage)
}
