//! Polls: the session's moderators draft them ahead (seen only backstage), open them for
//! everyone, show or hide the results, close them; attendees answer once (per option for a
//! multiple-choice poll), changing their answer until it closes when the poll allows it.
//! Counts reach both rooms coalesced (see `realtime/coalesce.rs`).

use std::collections::HashMap;

use sqlx::PgConnection;
use uuid::Uuid;

use super::backstage::{backstage_room, BACKSTAGE};
use super::wire::{EditPoll, Poll, PollAnswer, PollCounts, PollDraft, PollEvent, PollRef};
use super::wire::{PollSnapshot, PollStatus, ShowResults};
use super::{require_moderator, Polls};
use crate::conference::live::session_room;
use crate::error::{AppError, AppResult, ConflictReason, Problem};
use crate::realtime::feature::{bounded_text, CommandCtx, Viewer};
use crate::realtime::log::EventTx;
use crate::realtime::room::RoomId;

const MAX_QUESTION_CHARS: usize = 300;
const MAX_OPTION_CHARS: usize = 200;
const MAX_OPTIONS: usize = 10;
/// Polls one session may have.
const MAX_POLLS: i64 = 100;

/// A draft's question and options, trimmed and within bounds.
fn checked(draft: &PollDraft) -> AppResult<(String, Vec<String>)> {
    let question = bounded_text("question", &draft.question, MAX_QUESTION_CHARS)?;
    if draft.options.len() < 2 {
        return Err(AppError::field("options", Problem::TooShort { min: 2 }));
    }
    if draft.options.len() > MAX_OPTIONS {
        let too_many = Problem::TooMany { max: MAX_OPTIONS };
        return Err(AppError::field("options", too_many));
    }
    let options = draft
        .options
        .iter()
        .map(|option| bounded_text("options", option, MAX_OPTION_CHARS))
        .collect::<AppResult<Vec<_>>>()?;
    Ok((question, options))
}

/// Poll `id` of session `session_id`, locked until the end of the transaction.
async fn locked(db: &mut PgConnection, session_id: Uuid, id: Uuid) -> AppResult<Poll> {
    sqlx::query_scalar!(
        "select id from polls where id = $1 and session_id = $2 for update",
        id,
        session_id
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::NotFound("poll"))?;
    read(db, session_id, id).await
}

/// A poll's own columns and how many answered it, before its options and counts.
struct PollRow {
    id: Uuid,
    question: String,
    multiple: bool,
    changeable: bool,
    status: PollStatus,
    results_shown: bool,
    answers: i64,
}

/// The select list of a [`PollRow`], over `polls p`.
macro_rules! poll_rows {
    ($filter:literal, $($arg:expr),*) => {
        sqlx::query_as!(
            PollRow,
            r#"select p.id, p.question, p.multiple, p.changeable,
                      p.status as "status: PollStatus", p.results_shown,
                      (select count(*) from poll_answers a where a.poll_id = p.id) as "answers!"
               from polls p
               where "# + $filter,
            $($arg),*
        )
    };
}

/// Poll `id` of session `session_id` with its options and counts.
async fn read(db: &mut PgConnection, session_id: Uuid, id: Uuid) -> AppResult<Poll> {
    let row = poll_rows!("p.id = $1 and p.session_id = $2", id, session_id)
        .fetch_optional(&mut *db)
        .await?
        .ok_or(AppError::NotFound("poll"))?;
    let mut polls = with_options(db, vec![row]).await?;
    polls.pop().ok_or(AppError::NotFound("poll"))
}

/// `rows` with their options in order and how many chose each, in one query for them all.
async fn with_options(db: &mut PgConnection, rows: Vec<PollRow>) -> AppResult<Vec<Poll>> {
    let ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
    let options = sqlx::query!(
        r#"select o.poll_id, o.label, count(c.user_id) as "chosen!"
           from poll_options o
           left join poll_choices c on c.poll_id = o.poll_id and c.position = o.position
           where o.poll_id = any($1)
           group by o.poll_id, o.position
           order by o.poll_id, o.position"#,
        &ids
    )
    .fetch_all(db)
    .await?;
    let mut by_poll: HashMap<Uuid, (Vec<String>, Vec<i64>)> = HashMap::new();
    for option in options {
        let (labels, counts) = by_poll.entry(option.poll_id).or_default();
        labels.push(option.label);
        counts.push(option.chosen);
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let (options, counts) = by_poll.remove(&row.id).unwrap_or_default();
            Poll {
                id: row.id,
                question: row.question,
                options,
                multiple: row.multiple,
                changeable: row.changeable,
                status: row.status,
                results_shown: row.results_shown,
                answers: row.answers,
                counts: Some(counts),
            }
        })
        .collect())
}

/// The poll as attendees see it: no counts while the results are hidden.
fn public(poll: &Poll) -> Poll {
    Poll {
        counts: poll.counts.clone().filter(|_| poll.results_shown),
        ..poll.clone()
    }
}

/// Tells both rooms that `poll` appeared or changed; a draft only backstage.
async fn publish(etx: &mut EventTx, session_id: Uuid, poll: &Poll) -> AppResult<()> {
    etx.emit(backstage_room(session_id), &PollEvent::Poll(poll.clone()))
        .await?;
    if poll.status != PollStatus::Draft {
        etx.emit(session_room(session_id), &PollEvent::Poll(public(poll)))
            .await?;
    }
    Ok(())
}

async fn write_options(db: &mut PgConnection, id: Uuid, options: &[String]) -> AppResult<()> {
    sqlx::query!("delete from poll_options where poll_id = $1", id)
        .execute(&mut *db)
        .await?;
    for (position, label) in (0i16..).zip(options) {
        sqlx::query!(
            "insert into poll_options (poll_id, position, label) values ($1, $2, $3)",
            id,
            position,
            label
        )
        .execute(&mut *db)
        .await?;
    }
    Ok(())
}

pub async fn create(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    draft: PollDraft,
) -> AppResult<PollRef> {
    require_moderator(ctx)?;
    let (question, options) = checked(&draft)?;
    let session_id = ctx.room.id;
    let existing = sqlx::query_scalar!(
        r#"select count(*) as "polls!" from polls where session_id = $1"#,
        session_id
    )
    .fetch_one(etx.conn())
    .await?;
    if existing >= MAX_POLLS {
        return Err(AppError::over_limit(
            ConflictReason::TooManyPolls,
            MAX_POLLS,
        ));
    }
    let id = Uuid::new_v4();
    sqlx::query!(
        "insert into polls (id, session_id, question, multiple, changeable) values ($1, $2, $3, $4, $5)",
        id,
        session_id,
        question,
        draft.multiple.unwrap_or(false),
        draft.changeable.unwrap_or(false)
    )
    .execute(etx.conn())
    .await?;
    write_options(etx.conn(), id, &options).await?;
    let poll = locked(etx.conn(), session_id, id).await?;
    publish(etx, session_id, &poll).await?;
    Ok(PollRef { id })
}

pub async fn edit(ctx: &CommandCtx<'_>, etx: &mut EventTx, edit: EditPoll) -> AppResult<PollRef> {
    require_moderator(ctx)?;
    let (question, options) = checked(&edit.draft)?;
    let session_id = ctx.room.id;
    let poll = locked(etx.conn(), session_id, edit.id).await?;
    if poll.status != PollStatus::Draft {
        return Err(AppError::conflict(ConflictReason::OnlyDraftEdited));
    }
    sqlx::query!(
        "update polls set question = $2, multiple = $3, changeable = $4 where id = $1",
        edit.id,
        question,
        edit.draft.multiple.unwrap_or(false),
        edit.draft.changeable.unwrap_or(false)
    )
    .execute(etx.conn())
    .await?;
    write_options(etx.conn(), edit.id, &options).await?;
    let poll = locked(etx.conn(), session_id, edit.id).await?;
    publish(etx, session_id, &poll).await?;
    Ok(PollRef { id: edit.id })
}

pub async fn delete(ctx: &CommandCtx<'_>, etx: &mut EventTx, poll: PollRef) -> AppResult<PollRef> {
    require_moderator(ctx)?;
    let session_id = ctx.room.id;
    let found = locked(etx.conn(), session_id, poll.id).await?;
    sqlx::query!("delete from polls where id = $1", poll.id)
        .execute(etx.conn())
        .await?;
    etx.emit(backstage_room(session_id), &PollEvent::Removed(poll))
        .await?;
    if found.status != PollStatus::Draft {
        etx.emit(session_room(session_id), &PollEvent::Removed(poll))
            .await?;
    }
    Ok(poll)
}

/// Moves poll `id` from `from` to `to`, and tells both rooms.
async fn move_to(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    id: Uuid,
    from: PollStatus,
    to: PollStatus,
) -> AppResult<PollRef> {
    require_moderator(ctx)?;
    let session_id = ctx.room.id;
    let mut poll = locked(etx.conn(), session_id, id).await?;
    if poll.status != from {
        let refusal = match to {
            PollStatus::Open => ConflictReason::OnlyDraftOpened,
            _ => ConflictReason::OnlyOpenClosed,
        };
        return Err(AppError::conflict(refusal));
    }
    sqlx::query!(
        "update polls set status = $2 where id = $1",
        id,
        to as PollStatus
    )
    .execute(etx.conn())
    .await?;
    poll.status = to;
    publish(etx, session_id, &poll).await?;
    Ok(PollRef { id })
}

pub async fn open(ctx: &CommandCtx<'_>, etx: &mut EventTx, poll: PollRef) -> AppResult<PollRef> {
    move_to(ctx, etx, poll.id, PollStatus::Draft, PollStatus::Open).await
}

pub async fn close(ctx: &CommandCtx<'_>, etx: &mut EventTx, poll: PollRef) -> AppResult<PollRef> {
    move_to(ctx, etx, poll.id, PollStatus::Open, PollStatus::Closed).await
}

pub async fn results(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    show: ShowResults,
) -> AppResult<PollRef> {
    require_moderator(ctx)?;
    let session_id = ctx.room.id;
    let mut poll = locked(etx.conn(), session_id, show.id).await?;
    sqlx::query!(
        "update polls set results_shown = $2 where id = $1",
        show.id,
        show.shown
    )
    .execute(etx.conn())
    .await?;
    poll.results_shown = show.shown;
    publish(etx, session_id, &poll).await?;
    Ok(PollRef { id: show.id })
}

/// One answer per person per poll (the primary key of `poll_answers`), each option once
/// (that of `poll_choices`); a changeable poll's answer is replaced. The poll's row is
/// shared-locked, so a poll being closed takes no answer after it.
pub async fn answer(
    polls: &Polls,
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    answer: PollAnswer,
) -> AppResult<PollAnswer> {
    let session_id = ctx.room.id;
    let row = sqlx::query!(
        r#"select p.multiple, p.changeable, p.status as "status: PollStatus",
                  (select count(*) from poll_options o where o.poll_id = p.id) as "options!"
           from polls p where p.id = $1 and p.session_id = $2
           for share"#,
        answer.id,
        session_id
    )
    .fetch_optional(etx.conn())
    .await?;
    let poll = match row {
        Some(row) if row.status == PollStatus::Open => row,
        Some(row) if row.status == PollStatus::Closed => {
            return Err(AppError::conflict(ConflictReason::PollClosed))
        }
        // A draft is not shown: as if it did not exist.
        _ => return Err(AppError::NotFound("poll")),
    };
    let mut choices = answer.choices.clone();
    choices.sort_unstable();
    choices.dedup();
    let in_range = choices
        .iter()
        .all(|choice| (0..poll.options).contains(&i64::from(*choice)));
    let allowed = if poll.multiple { poll.options } else { 1 };
    if choices.is_empty() || choices.len() != answer.choices.len() || !in_range {
        let problem = Problem::Invalid {
            detail: "each choice is the position of one of the poll's options, once".into(),
        };
        return Err(AppError::field("choices", problem));
    }
    if choices.len() as i64 > allowed {
        let too_many = Problem::TooMany {
            max: allowed as usize,
        };
        return Err(AppError::field("choices", too_many));
    }
    let fresh = sqlx::query!(
        "insert into poll_answers (poll_id, user_id) values ($1, $2) on conflict do nothing",
        answer.id,
        ctx.user_id
    )
    .execute(etx.conn())
    .await?
    .rows_affected()
        == 1;
    if !fresh {
        if !poll.changeable {
            return Err(AppError::conflict(ConflictReason::PollAnswered));
        }
        sqlx::query!(
            "delete from poll_choices where poll_id = $1 and user_id = $2",
            answer.id,
            ctx.user_id
        )
        .execute(etx.conn())
        .await?;
    }
    sqlx::query!(
        "insert into poll_choices (poll_id, user_id, position) select $1, $2, unnest($3::int2[])",
        answer.id,
        ctx.user_id,
        &choices
    )
    .execute(etx.conn())
    .await?;
    etx.touch(&polls.counts, session_room(session_id), answer.id);
    etx.touch(&polls.counts, backstage_room(session_id), answer.id);
    Ok(PollAnswer {
        id: answer.id,
        choices,
    })
}

/// The counts of the polls touched, as `room` may see them.
pub async fn tally(etx: &mut EventTx, room: RoomId, ids: Vec<Uuid>) -> AppResult<()> {
    for id in ids {
        let Ok(poll) = read(etx.conn(), room.id, id).await else {
            // Deleted meanwhile.
            continue;
        };
        let shown = room.kind == BACKSTAGE || poll.results_shown;
        let counts = PollCounts {
            id,
            answers: poll.answers,
            counts: poll.counts.filter(|_| shown),
        };
        etx.emit(room, &PollEvent::Counts(counts)).await?;
    }
    Ok(())
}

/// A room's polls: everything backstage; in the session's room the open and closed ones,
/// with the viewer's own answers.
pub async fn snapshot(
    db: &mut PgConnection,
    room: RoomId,
    viewer: &Viewer<'_>,
) -> AppResult<PollSnapshot> {
    let backstage = room.kind == BACKSTAGE;
    let rows = poll_rows!(
        "p.session_id = $1 and ($2 or p.status <> 'draft') order by p.created_at, p.id",
        room.id,
        backstage
    )
    .fetch_all(&mut *db)
    .await?;
    let polls = with_options(db, rows).await?;
    let polls = if backstage {
        polls
    } else {
        polls.iter().map(public).collect()
    };
    let chosen = sqlx::query!(
        r#"select c.poll_id, array_agg(c.position order by c.position) as "choices!"
           from poll_choices c join polls p on p.id = c.poll_id
           where p.session_id = $1 and c.user_id = $2 group by c.poll_id"#,
        room.id,
        viewer.user_id
    )
    .fetch_all(db)
    .await?;
    let mine = chosen
        .into_iter()
        .map(|row| PollAnswer {
            id: row.poll_id,
            choices: row.choices,
        })
        .collect();
    Ok(PollSnapshot { polls, mine })
}
