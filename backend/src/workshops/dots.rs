//! Dot-voting: a facilitator opens a round with N dots per person (several on one note
//! allowed) and closes it. Exact under concurrency: a person's `board_voters` row is locked
//! by each of their dots, and its update refuses past the round's allowance. Dots stay on
//! the notes after the round; a deleted note gives its dots back, a merge keeps a person's
//! larger number of dots on the two notes and gives the rest back.

use sqlx::PgConnection;
use uuid::Uuid;

use super::board::announce_settings;
use super::wire::VoterDots;
use super::wire::{BoardEvent, BoardSettings, DotCounts, Dotted, NoteDots, NoteRef, OpenRound};
use super::{require_facilitator, require_unlocked, require_writer, workshop_room};
use crate::error::{AppError, AppResult, ConflictReason, Problem};
use crate::realtime::feature::CommandCtx;
use crate::realtime::log::{lock_room, EventTx};

const MAX_DOTS: i16 = 20;

/// The board's open round: its id and dots per person.
async fn open_round(db: &mut PgConnection, session_id: Uuid) -> AppResult<(Uuid, i16)> {
    sqlx::query!(
        "select id, dots from board_rounds where session_id = $1 and closed_at is null",
        session_id
    )
    .fetch_optional(db)
    .await?
    .map(|round| (round.id, round.dots))
    .ok_or(AppError::conflict(ConflictReason::NoVotingRound))
}

/// Dots `user_id` has spent in round `round_id`.
pub async fn spent(db: &mut PgConnection, round_id: Uuid, user_id: Uuid) -> AppResult<i64> {
    Ok(sqlx::query_scalar!(
        "select spent from board_voters where round_id = $1 and user_id = $2",
        round_id,
        user_id
    )
    .fetch_optional(db)
    .await?
    .map_or(0, i64::from))
}

/// `user_id`'s dots per note in round `round_id`.
pub async fn mine(
    db: &mut PgConnection,
    round_id: Uuid,
    user_id: Uuid,
) -> AppResult<Vec<NoteDots>> {
    Ok(sqlx::query_as!(
        NoteDots,
        r#"select note_id as id, dots::int8 as "dots!" from board_dots
           where round_id = $1 and user_id = $2"#,
        round_id,
        user_id
    )
    .fetch_all(db)
    .await?)
}

/// Note `id`'s dots from every round.
async fn total(db: &mut PgConnection, id: Uuid) -> AppResult<i64> {
    Ok(sqlx::query_scalar!(
        r#"select coalesce(sum(dots), 0) as "dots!" from board_dots where note_id = $1"#,
        id
    )
    .fetch_one(db)
    .await?)
}

/// Moves one of `ctx`'s dots onto (`+1`) or off (`-1`) note `note`.
async fn change(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    note: NoteRef,
    by: i16,
) -> AppResult<Dotted> {
    require_writer(ctx)?;
    let session_id = ctx.room.id;
    require_unlocked(ctx, etx.conn()).await?;
    let (round_id, allowance) = open_round(etx.conn(), session_id).await?;
    sqlx::query_scalar!(
        "select id from board_notes where id = $1 and session_id = $2",
        note.id,
        session_id
    )
    .fetch_optional(etx.conn())
    .await?
    .ok_or(AppError::NotFound("note"))?;
    sqlx::query!(
        "insert into board_voters (round_id, user_id) values ($1, $2) on conflict do nothing",
        round_id,
        ctx.user_id
    )
    .execute(etx.conn())
    .await?;
    // The person's row, locked: their dots are counted one at a time.
    let spent = sqlx::query_scalar!(
        "update board_voters set spent = spent + $3
         where round_id = $1 and user_id = $2 and spent + $3 between 0 and $4
         returning spent",
        round_id,
        ctx.user_id,
        by,
        allowance
    )
    .fetch_optional(etx.conn())
    .await?;
    let Some(spent) = spent else {
        return Err(AppError::conflict(if by > 0 {
            ConflictReason::NoDotsLeft
        } else {
            ConflictReason::NoDotOnNote
        }));
    };
    let mine = if by > 0 {
        sqlx::query_scalar!(
            "insert into board_dots (round_id, note_id, user_id, dots) values ($1, $2, $3, 1)
             on conflict (round_id, note_id, user_id) do update set dots = board_dots.dots + 1
             returning dots",
            round_id,
            note.id,
            ctx.user_id
        )
        .fetch_one(etx.conn())
        .await?
    } else {
        let left = sqlx::query_scalar!(
            "update board_dots set dots = dots - 1
             where round_id = $1 and note_id = $2 and user_id = $3 returning dots",
            round_id,
            note.id,
            ctx.user_id
        )
        .fetch_optional(etx.conn())
        .await?
        .ok_or(AppError::conflict(ConflictReason::NoDotOnNote))?;
        if left == 0 {
            sqlx::query!(
                "delete from board_dots where round_id = $1 and note_id = $2 and user_id = $3",
                round_id,
                note.id,
                ctx.user_id
            )
            .execute(etx.conn())
            .await?;
        }
        left
    };
    // Counted under the room's lock, which every event of the board takes until its commit:
    // the total includes every dot whose event came before, so the last event is exact.
    lock_room(etx.conn(), workshop_room(session_id)).await?;
    let dots = total(etx.conn(), note.id).await?;
    let remaining = i64::from(allowance - spent);
    let counts = DotCounts {
        notes: vec![NoteDots { id: note.id, dots }],
        voters: vec![VoterDots {
            user_id: ctx.user_id,
            remaining,
        }],
    };
    etx.emit(workshop_room(session_id), &BoardEvent::Dots(counts))
        .await?;
    Ok(Dotted {
        id: note.id,
        dots,
        mine: i64::from(mine),
        remaining,
    })
}

pub async fn dot(ctx: &CommandCtx<'_>, etx: &mut EventTx, note: NoteRef) -> AppResult<Dotted> {
    change(ctx, etx, note, 1).await
}

pub async fn undot(ctx: &CommandCtx<'_>, etx: &mut EventTx, note: NoteRef) -> AppResult<Dotted> {
    change(ctx, etx, note, -1).await
}

pub async fn open(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    round: OpenRound,
) -> AppResult<BoardSettings> {
    require_facilitator(ctx)?;
    if !(1..=MAX_DOTS).contains(&round.dots) {
        return Err(AppError::field(
            "dots",
            Problem::OutOfRange {
                min: 1,
                max: MAX_DOTS.into(),
            },
        ));
    }
    let session_id = ctx.room.id;
    // One round at a time (also the unique index).
    sqlx::query!(
        "select session_id from boards where session_id = $1 for update",
        session_id
    )
    .fetch_one(etx.conn())
    .await?;
    if open_round(etx.conn(), session_id).await.is_ok() {
        return Err(AppError::conflict(ConflictReason::VotingRoundOpen));
    }
    sqlx::query!(
        "insert into board_rounds (id, session_id, dots) values ($1, $2, $3)",
        Uuid::new_v4(),
        session_id,
        round.dots
    )
    .execute(etx.conn())
    .await?;
    announce_settings(etx, session_id).await
}

pub async fn close(ctx: &CommandCtx<'_>, etx: &mut EventTx) -> AppResult<BoardSettings> {
    require_facilitator(ctx)?;
    let session_id = ctx.room.id;
    let (round_id, _) = open_round(etx.conn(), session_id).await?;
    sqlx::query!(
        "update board_rounds set closed_at = now() where id = $1",
        round_id
    )
    .execute(etx.conn())
    .await?;
    announce_settings(etx, session_id).await
}

/// Gives the dots on notes `ids` (locked) back to their voters; those of the open round,
/// to tell.
pub async fn refund_notes(db: &mut PgConnection, ids: &[Uuid]) -> AppResult<Vec<Uuid>> {
    Ok(sqlx::query_scalar!(
        "update board_voters v set spent = v.spent - d.dots
         from (select round_id, user_id, sum(dots)::smallint as dots from board_dots
               where note_id = any($1) group by round_id, user_id) d
         where d.round_id = v.round_id and d.user_id = v.user_id
         returning (select v.user_id from board_rounds r where r.id = v.round_id and r.closed_at is null)",
        ids
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .flatten()
    .collect())
}

/// Moves note `duplicate`'s dots onto note `kept`: a person who dotted both, in a round,
/// keeps the larger number and gets the rest back. Those of the open round, to tell.
pub async fn merge_into(
    db: &mut PgConnection,
    duplicate: Uuid,
    kept: Uuid,
) -> AppResult<Vec<Uuid>> {
    let refunded = sqlx::query_scalar!(
        "update board_voters v set spent = v.spent - least(a.dots, b.dots)
         from board_dots a
         join board_dots b on b.round_id = a.round_id and b.user_id = a.user_id and b.note_id = $2
         where a.note_id = $1 and v.round_id = a.round_id and v.user_id = a.user_id
         returning (select v.user_id from board_rounds r where r.id = v.round_id and r.closed_at is null)",
        duplicate,
        kept
    )
    .fetch_all(&mut *db)
    .await?;
    sqlx::query!(
        "insert into board_dots (round_id, note_id, user_id, dots)
         select round_id, $2, user_id, dots from board_dots where note_id = $1
         on conflict (round_id, note_id, user_id)
         do update set dots = greatest(board_dots.dots, excluded.dots)",
        duplicate,
        kept
    )
    .execute(&mut *db)
    .await?;
    sqlx::query!("delete from board_dots where note_id = $1", duplicate)
        .execute(&mut *db)
        .await?;
    Ok(refunded.into_iter().flatten().collect())
}

/// Tells the room the dots `voters` now have left in the open round.
pub async fn announce_voters(
    etx: &mut EventTx,
    session_id: Uuid,
    mut voters: Vec<Uuid>,
) -> AppResult<()> {
    voters.sort_unstable();
    voters.dedup();
    if voters.is_empty() {
        return Ok(());
    }
    let (round_id, allowance) = open_round(etx.conn(), session_id).await?;
    let mut left = Vec::with_capacity(voters.len());
    for user_id in voters {
        let remaining = i64::from(allowance) - spent(etx.conn(), round_id, user_id).await?;
        left.push(VoterDots { user_id, remaining });
    }
    let counts = DotCounts {
        notes: Vec::new(),
        voters: left,
    };
    etx.emit(workshop_room(session_id), &BoardEvent::Dots(counts))
        .await?;
    Ok(())
}
