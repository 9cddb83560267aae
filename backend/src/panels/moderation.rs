//! What a session's moderators do with its questions: approve, hide, mark the one being
//! answered and the answered ones, correct a typo, merge a duplicate, turn pre-moderation
//! on or off. Every change reaches both rooms (see `questions::publish`).

use uuid::Uuid;

use super::backstage::backstage_room;
use super::questions::{locked, publish, question_text, Question};
use super::wire::{BackstageEvent, EditQuestion, MergeQuestions, Premoderation, QaEvent};
use super::wire::{QuestionRef, QuestionStatus};
use super::{require_moderator, stage};
use crate::conference::live::session_room;
use crate::error::{AppError, AppResult, ConflictReason};
use crate::realtime::feature::CommandCtx;
use crate::realtime::log::EventTx;

/// Sets question `id`'s status when it is one of `from`, and tells both rooms.
async fn move_to(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    id: Uuid,
    from: &[QuestionStatus],
    to: QuestionStatus,
    refusal: ConflictReason,
) -> AppResult<QuestionRef> {
    require_moderator(ctx)?;
    let session_id = ctx.room.id;
    let mut question = locked(etx.conn(), session_id, id).await?;
    if !from.contains(&question.status) {
        return Err(AppError::conflict(refusal));
    }
    if to == QuestionStatus::Answering {
        finish_answering(etx, session_id).await?;
        stage::heard(etx, session_id, question.author_id).await?;
    }
    set_status(etx, &mut question, to).await?;
    publish(etx, session_id, &question).await?;
    Ok(QuestionRef { id })
}

async fn set_status(
    etx: &mut EventTx,
    question: &mut Question,
    to: QuestionStatus,
) -> AppResult<()> {
    sqlx::query!(
        "update questions set status = $2 where id = $1",
        question.id,
        to as QuestionStatus
    )
    .execute(etx.conn())
    .await?;
    question.status = to;
    Ok(())
}

/// The question being answered, if any, is answered now (one at a time).
async fn finish_answering(etx: &mut EventTx, session_id: Uuid) -> AppResult<()> {
    let current = sqlx::query_scalar!(
        "select id from questions where session_id = $1 and status = 'answering'",
        session_id
    )
    .fetch_optional(etx.conn())
    .await?;
    if let Some(id) = current {
        let mut question = locked(etx.conn(), session_id, id).await?;
        set_status(etx, &mut question, QuestionStatus::Answered).await?;
        publish(etx, session_id, &question).await?;
    }
    Ok(())
}

pub async fn approve(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    question: QuestionRef,
) -> AppResult<QuestionRef> {
    let refusal = ConflictReason::OnlyPendingApproved;
    move_to(
        ctx,
        etx,
        question.id,
        &[QuestionStatus::Pending],
        QuestionStatus::Approved,
        refusal,
    )
    .await
}

pub async fn hide(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    question: QuestionRef,
) -> AppResult<QuestionRef> {
    use QuestionStatus::*;
    let refusal = ConflictReason::QuestionHidden;
    move_to(
        ctx,
        etx,
        question.id,
        &[Pending, Approved, Answering, Answered],
        Hidden,
        refusal,
    )
    .await
}

pub async fn answering(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    question: QuestionRef,
) -> AppResult<QuestionRef> {
    use QuestionStatus::*;
    let refusal = ConflictReason::OnlyListedAnswering;
    move_to(
        ctx,
        etx,
        question.id,
        &[Approved, Answered],
        Answering,
        refusal,
    )
    .await
}

pub async fn answered(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    question: QuestionRef,
) -> AppResult<QuestionRef> {
    use QuestionStatus::*;
    let refusal = ConflictReason::OnlyListedAnswered;
    move_to(
        ctx,
        etx,
        question.id,
        &[Approved, Answering],
        Answered,
        refusal,
    )
    .await
}

pub async fn edit(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    edit: EditQuestion,
) -> AppResult<QuestionRef> {
    require_moderator(ctx)?;
    let session_id = ctx.room.id;
    let body = question_text(&edit.body)?;
    let mut question = locked(etx.conn(), session_id, edit.id).await?;
    if question.status == QuestionStatus::Merged {
        return Err(AppError::conflict(ConflictReason::MergedQuestionFixed));
    }
    sqlx::query!(
        "update questions set body = $2, edited = true where id = $1",
        edit.id,
        body
    )
    .execute(etx.conn())
    .await?;
    question.body = body;
    question.edited = true;
    publish(etx, session_id, &question).await?;
    Ok(QuestionRef { id: edit.id })
}

/// The duplicate's voters vote for the question kept; someone who voted for both counts once.
pub async fn merge(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    merge: MergeQuestions,
) -> AppResult<QuestionRef> {
    require_moderator(ctx)?;
    if merge.id == merge.into {
        return Err(AppError::conflict(ConflictReason::MergeIntoItself));
    }
    let session_id = ctx.room.id;
    // Locked in id order, so two merges of the same pair cannot deadlock.
    let (first, second) = if merge.id < merge.into {
        (merge.id, merge.into)
    } else {
        (merge.into, merge.id)
    };
    let first = locked(etx.conn(), session_id, first).await?;
    let second = locked(etx.conn(), session_id, second).await?;
    let (mut duplicate, kept) = if first.id == merge.id {
        (first, second)
    } else {
        (second, first)
    };
    use QuestionStatus::*;
    if matches!(duplicate.status, Merged) || matches!(kept.status, Merged | Hidden | Pending) {
        return Err(AppError::conflict(ConflictReason::MergeTarget));
    }
    sqlx::query!(
        "insert into question_votes (question_id, user_id)
         select $2, user_id from question_votes where question_id = $1
         on conflict do nothing",
        duplicate.id,
        kept.id
    )
    .execute(etx.conn())
    .await?;
    sqlx::query!(
        "delete from question_votes where question_id = $1",
        duplicate.id
    )
    .execute(etx.conn())
    .await?;
    sqlx::query!(
        "update questions set status = 'merged', merged_into = $2 where id = $1",
        duplicate.id,
        kept.id
    )
    .execute(etx.conn())
    .await?;
    duplicate.status = Merged;
    duplicate.merged_into = Some(kept.id);
    duplicate.votes = 0;
    publish(etx, session_id, &duplicate).await?;
    let kept = locked(etx.conn(), session_id, kept.id).await?;
    publish(etx, session_id, &kept).await?;
    Ok(QuestionRef { id: kept.id })
}

pub async fn premoderation(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    setting: Premoderation,
) -> AppResult<Premoderation> {
    require_moderator(ctx)?;
    let session_id = ctx.room.id;
    sqlx::query!(
        "insert into qa_settings (session_id, premoderation) values ($1, $2)
         on conflict (session_id) do update set premoderation = $2",
        session_id,
        setting.on
    )
    .execute(etx.conn())
    .await?;
    etx.emit(session_room(session_id), &QaEvent::Premoderation(setting))
        .await?;
    etx.emit(
        backstage_room(session_id),
        &BackstageEvent::Premoderation(setting),
    )
    .await?;
    Ok(setting)
}
