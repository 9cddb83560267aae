//! The hand-raise queue: attendees raise and lower their hand; the session's moderators see
//! the queue in the order hands were raised, invite one to speak (who then sees the
//! speakers' room link and accepts, or lowers their hand), dismiss one, or lower them all.
//! The queue goes to the backstage as a whole, coalesced (at most a few times a second, see
//! `realtime/coalesce.rs`: 900 hands raised at once are not 900 copies of a growing queue);
//! each person hears of their own hand at once in their `user:` room, so 900 hands are never
//! 900 events to 900 screens.

use sqlx::PgConnection;
use uuid::Uuid;

use super::backstage::{backstage_room, BACKSTAGE};
use super::wire::{HandEvent, HandQueue, HandRef, HandSnapshot, HandStatus, OwnHand};
use super::wire::{RaisedHand, SpeakersLink};
use super::{require_moderator, stage, Hands};
use crate::error::{AppError, AppResult, ConflictReason, Problem};
use crate::notifications::USER_ROOM;
use crate::realtime::feature::{CommandCtx, Viewer};
use crate::realtime::log::EventTx;
use crate::realtime::room::{RoomId, MODERATOR};

const MAX_LINK_CHARS: usize = 2_000;

async fn queue(db: &mut PgConnection, session_id: Uuid) -> AppResult<Vec<RaisedHand>> {
    Ok(sqlx::query_as!(
        RaisedHand,
        r#"select h.user_id, u.display_name as name, h.status as "status: HandStatus", h.raised_at
           from hands h join users u on u.id = h.user_id
           where h.session_id = $1 order by h.raised_at, h.user_id"#,
        session_id
    )
    .fetch_all(db)
    .await?)
}

async fn status_of(
    db: &mut PgConnection,
    session_id: Uuid,
    user_id: Uuid,
) -> AppResult<Option<HandStatus>> {
    Ok(sqlx::query_scalar!(
        r#"select status as "status: HandStatus" from hands where session_id = $1 and user_id = $2"#,
        session_id,
        user_id
    )
    .fetch_optional(db)
    .await?)
}

/// Tells `user_id` their own hand, and the backstage (coalesced) the new queue.
async fn changed(
    hands: &Hands,
    etx: &mut EventTx,
    session_id: Uuid,
    user_id: Uuid,
) -> AppResult<OwnHand> {
    let status = status_of(etx.conn(), session_id, user_id).await?;
    etx.touch(&hands.queue, backstage_room(session_id), session_id);
    let own = OwnHand { session_id, status };
    etx.emit(RoomId::new(USER_ROOM, user_id), &HandEvent::Mine(own))
        .await?;
    Ok(own)
}

pub async fn raise(hands: &Hands, ctx: &CommandCtx<'_>, etx: &mut EventTx) -> AppResult<OwnHand> {
    let session_id = ctx.room.id;
    let raised = sqlx::query!(
        "insert into hands (session_id, user_id) values ($1, $2) on conflict do nothing",
        session_id,
        ctx.user_id
    )
    .execute(etx.conn())
    .await?
    .rows_affected();
    if raised == 0 {
        return Err(AppError::conflict(ConflictReason::HandAlreadyRaised));
    }
    changed(hands, etx, session_id, ctx.user_id).await
}

pub async fn lower(hands: &Hands, ctx: &CommandCtx<'_>, etx: &mut EventTx) -> AppResult<OwnHand> {
    let session_id = ctx.room.id;
    let lowered = sqlx::query!(
        "delete from hands where session_id = $1 and user_id = $2",
        session_id,
        ctx.user_id
    )
    .execute(etx.conn())
    .await?
    .rows_affected();
    if lowered == 0 {
        return Err(AppError::conflict(ConflictReason::HandNotRaised));
    }
    changed(hands, etx, session_id, ctx.user_id).await
}

pub async fn accept(hands: &Hands, ctx: &CommandCtx<'_>, etx: &mut EventTx) -> AppResult<OwnHand> {
    let session_id = ctx.room.id;
    let accepted = sqlx::query!(
        "update hands set status = 'accepted' where session_id = $1 and user_id = $2 and status = 'invited'",
        session_id,
        ctx.user_id
    )
    .execute(etx.conn())
    .await?
    .rows_affected();
    if accepted == 0 {
        return Err(AppError::conflict(ConflictReason::NotInvited));
    }
    changed(hands, etx, session_id, ctx.user_id).await
}

/// The speakers' room, for who is invited to speak (or runs the session).
pub async fn link(ctx: &CommandCtx<'_>) -> AppResult<SpeakersLink> {
    let mut conn = ctx.hub.db().acquire().await?;
    let db = &mut *conn;
    let session_id = ctx.room.id;
    let invited = matches!(
        status_of(db, session_id, ctx.user_id).await?,
        Some(HandStatus::Invited | HandStatus::Accepted)
    );
    if !invited && !ctx.rights.has(MODERATOR) {
        return Err(AppError::Forbidden(
            "only invited speakers see the speakers' room",
        ));
    }
    Ok(SpeakersLink {
        url: speakers_url(db, session_id).await?,
    })
}

async fn speakers_url(db: &mut PgConnection, session_id: Uuid) -> AppResult<Option<String>> {
    let url = sqlx::query_scalar!(
        "select speakers_url from stages where session_id = $1",
        session_id
    )
    .fetch_optional(db)
    .await?;
    Ok(url.flatten())
}

pub async fn invite(
    hands: &Hands,
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    hand: HandRef,
) -> AppResult<HandRef> {
    require_moderator(ctx)?;
    let session_id = ctx.room.id;
    let invited = sqlx::query!(
        "update hands set status = 'invited' where session_id = $1 and user_id = $2 and status = 'raised'",
        session_id,
        hand.user_id
    )
    .execute(etx.conn())
    .await?
    .rows_affected();
    if invited == 0 {
        return Err(AppError::conflict(ConflictReason::OnlyRaisedInvited));
    }
    stage::heard(etx, session_id, hand.user_id).await?;
    changed(hands, etx, session_id, hand.user_id).await?;
    Ok(hand)
}

pub async fn dismiss(
    hands: &Hands,
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    hand: HandRef,
) -> AppResult<HandRef> {
    require_moderator(ctx)?;
    let session_id = ctx.room.id;
    let dismissed = sqlx::query!(
        "delete from hands where session_id = $1 and user_id = $2",
        session_id,
        hand.user_id
    )
    .execute(etx.conn())
    .await?
    .rows_affected();
    if dismissed == 0 {
        return Err(AppError::NotFound("hand"));
    }
    changed(hands, etx, session_id, hand.user_id).await?;
    Ok(hand)
}

pub async fn lower_all(
    hands: &Hands,
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
) -> AppResult<HandQueue> {
    require_moderator(ctx)?;
    let session_id = ctx.room.id;
    let lowered = sqlx::query_scalar!(
        "delete from hands where session_id = $1 returning user_id",
        session_id
    )
    .fetch_all(etx.conn())
    .await?;
    etx.touch(&hands.queue, backstage_room(session_id), session_id);
    for user_id in lowered {
        let own = OwnHand {
            session_id,
            status: None,
        };
        etx.emit(RoomId::new(USER_ROOM, user_id), &HandEvent::Mine(own))
            .await?;
    }
    Ok(HandQueue { hands: Vec::new() })
}

/// The queue of each session touched, to its backstage.
pub async fn tally(etx: &mut EventTx, room: RoomId, sessions: Vec<Uuid>) -> AppResult<()> {
    for session_id in sessions {
        let hands = queue(etx.conn(), session_id).await?;
        etx.emit(room, &HandEvent::Queue(HandQueue { hands }))
            .await?;
    }
    Ok(())
}

pub async fn set_link(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    link: SpeakersLink,
) -> AppResult<SpeakersLink> {
    require_moderator(ctx)?;
    let url = link
        .url
        .as_deref()
        .map(str::trim)
        .filter(|url| !url.is_empty());
    if let Some(url) = url {
        let web = url.starts_with("https://") || url.starts_with("http://");
        if !web || url.chars().count() > MAX_LINK_CHARS {
            return Err(AppError::field("url", Problem::WebAddress));
        }
    }
    sqlx::query!(
        "insert into stages (session_id, speakers_url) values ($1, $2)
         on conflict (session_id) do update set speakers_url = $2",
        ctx.room.id,
        url
    )
    .execute(etx.conn())
    .await?;
    Ok(SpeakersLink {
        url: url.map(str::to_owned),
    })
}

/// One's own hand in the session room; backstage, the queue and the speakers' link.
pub async fn snapshot(
    db: &mut PgConnection,
    room: RoomId,
    viewer: &Viewer<'_>,
) -> AppResult<HandSnapshot> {
    let mine = status_of(db, room.id, viewer.user_id).await?;
    if room.kind != BACKSTAGE {
        return Ok(HandSnapshot {
            mine,
            queue: None,
            speakers_url: None,
        });
    }
    Ok(HandSnapshot {
        mine,
        queue: Some(queue(db, room.id).await?),
        speakers_url: speakers_url(db, room.id).await?,
    })
}
