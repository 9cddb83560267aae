//! Q&A questions: reading one with its count, how each room sees it, and what the
//! attendees do — ask, upvote, take an upvote back — with the snapshot parts.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::backstage::backstage_room;
use super::wire::{AskQuestion, BackstageEvent, BackstageSnapshot, ModeratedQuestion};
use super::wire::{PublicQuestion, QaEvent, QaSnapshot, QuestionRef, QuestionStatus, Vote};
use super::Qa;
use crate::chat;
use crate::conference::live::session_room;
use crate::error::{AppError, AppResult, ConflictReason, Problem};
use crate::realtime::feature::{bounded_text, CommandCtx, Viewer};
use crate::realtime::log::EventTx;
use crate::realtime::room::MODERATOR;
use crate::text::is_language_code;

/// Longest question, in characters.
pub const MAX_QUESTION_CHARS: usize = 500;
/// Questions of one person waiting or on the list at once, per session.
const MAX_OPEN_QUESTIONS: i64 = 10;
/// Most questions in a snapshot (the latest).
const SNAPSHOT_LIMIT: i64 = 1_000;

/// A question as stored, with its author's name and its upvotes.
#[derive(Debug, Clone)]
pub struct Question {
    pub id: Uuid,
    pub body: String,
    pub language: String,
    pub author_id: Uuid,
    pub author_name: String,
    pub anonymous: bool,
    pub status: QuestionStatus,
    pub edited: bool,
    pub merged_into: Option<Uuid>,
    pub votes: i64,
    pub created_at: DateTime<Utc>,
}

impl Question {
    pub fn public(&self) -> PublicQuestion {
        let shown = !self.anonymous;
        PublicQuestion {
            id: self.id,
            body: self.body.clone(),
            language: self.language.clone(),
            author_id: shown.then_some(self.author_id),
            author_name: shown.then(|| self.author_name.clone()),
            status: self.status,
            edited: self.edited,
            votes: self.votes,
            asked_at: self.created_at,
        }
    }

    pub fn moderated(&self) -> ModeratedQuestion {
        ModeratedQuestion {
            id: self.id,
            body: self.body.clone(),
            language: self.language.clone(),
            author_id: self.author_id,
            author_name: self.author_name.clone(),
            anonymous: self.anonymous,
            status: self.status,
            edited: self.edited,
            merged_into: self.merged_into,
            votes: self.votes,
            asked_at: self.created_at,
        }
    }
}

/// The select list of a [`Question`], over `questions q`.
macro_rules! question_query {
    ($filter:literal, $($arg:expr),*) => {
        sqlx::query_as!(
            Question,
            r#"select q.id, q.body, q.language, q.author_id, u.display_name as author_name,
                      q.anonymous, q.status as "status: QuestionStatus", q.edited, q.merged_into,
                      (select count(*) from question_votes v where v.question_id = q.id) as "votes!",
                      q.created_at
               from questions q join users u on u.id = q.author_id
               where "# + $filter,
            $($arg),*
        )
    };
}

/// Question `id` of session `session_id`, locked until the end of the transaction.
pub async fn locked(db: &mut PgConnection, session_id: Uuid, id: Uuid) -> AppResult<Question> {
    question_query!(
        "q.session_id = $1 and q.id = $2 for update of q",
        session_id,
        id
    )
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound("question"))
}

/// Tells both rooms of the session that `question` appeared or changed: moderators see it
/// whatever its status; attendees see it while it is listed, and its leaving the list.
pub async fn publish(etx: &mut EventTx, session_id: Uuid, question: &Question) -> AppResult<()> {
    let moderated = BackstageEvent::Question(question.moderated());
    etx.emit(backstage_room(session_id), &moderated).await?;
    let public = match question.status {
        QuestionStatus::Pending => return Ok(()),
        QuestionStatus::Hidden | QuestionStatus::Merged => {
            QaEvent::Removed(QuestionRef { id: question.id })
        }
        _ => QaEvent::Question(question.public()),
    };
    etx.emit(session_room(session_id), &public).await?;
    Ok(())
}

pub fn question_text(body: &str) -> AppResult<String> {
    bounded_text("body", body, MAX_QUESTION_CHARS)
}

pub async fn ask(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    ask: AskQuestion,
) -> AppResult<PublicQuestion> {
    let session_id = ctx.room.id;
    let body = question_text(&ask.body)?;
    if !is_language_code(&ask.language) {
        let problem = Problem::LanguageCode {
            value: ask.language,
        };
        return Err(AppError::field("language", problem));
    }
    let moderator = ctx.rights.has(MODERATOR);
    let db = etx.conn();
    if !moderator && chat::is_muted(&mut *db, session_room(session_id), ctx.user_id).await? {
        return Err(AppError::Forbidden("a moderator muted you in this session"));
    }
    let open = sqlx::query_scalar!(
        r#"select count(*) as "open!" from questions
           where session_id = $1 and author_id = $2 and status in ('pending', 'approved')"#,
        session_id,
        ctx.user_id
    )
    .fetch_one(&mut *db)
    .await?;
    if open >= MAX_OPEN_QUESTIONS {
        return Err(AppError::over_limit(
            ConflictReason::TooManyQuestions,
            MAX_OPEN_QUESTIONS,
        ));
    }
    let status = if !moderator && premoderation(&mut *db, session_id).await? {
        QuestionStatus::Pending
    } else {
        QuestionStatus::Approved
    };
    let id = Uuid::new_v4();
    let created_at = sqlx::query_scalar!(
        "insert into questions (id, session_id, author_id, body, language, anonymous, status)
         values ($1, $2, $3, $4, $5, $6, $7) returning created_at",
        id,
        session_id,
        ctx.user_id,
        body,
        ask.language,
        ask.anonymous.unwrap_or(false),
        status as QuestionStatus
    )
    .fetch_one(&mut *db)
    .await?;
    let question = Question {
        id,
        body,
        language: ask.language,
        author_id: ctx.user_id,
        author_name: ctx.user_name.to_owned(),
        anonymous: ask.anonymous.unwrap_or(false),
        status,
        edited: false,
        merged_into: None,
        votes: 0,
        created_at,
    };
    publish(etx, session_id, &question).await?;
    Ok(question.public())
}

/// Whether new questions of session `session_id` wait for approval.
pub async fn premoderation(db: &mut PgConnection, session_id: Uuid) -> AppResult<bool> {
    let on = sqlx::query_scalar!(
        "select premoderation from qa_settings where session_id = $1",
        session_id
    )
    .fetch_optional(db)
    .await?;
    Ok(on.unwrap_or(false))
}

/// One upvote per person per question: the primary key refuses a second one, even from
/// two tabs at once.
pub async fn upvote(
    qa: &Qa,
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    question: QuestionRef,
) -> AppResult<Vote> {
    let session_id = ctx.room.id;
    votable(etx.conn(), session_id, question.id).await?;
    let added = sqlx::query!(
        "insert into question_votes (question_id, user_id) values ($1, $2)
         on conflict do nothing",
        question.id,
        ctx.user_id
    )
    .execute(etx.conn())
    .await?
    .rows_affected();
    if added == 0 {
        return Err(AppError::conflict(ConflictReason::AlreadyUpvoted));
    }
    counted(qa, etx, session_id, question.id, true).await
}

pub async fn unvote(
    qa: &Qa,
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    question: QuestionRef,
) -> AppResult<Vote> {
    let session_id = ctx.room.id;
    votable(etx.conn(), session_id, question.id).await?;
    let removed = sqlx::query!(
        "delete from question_votes where question_id = $1 and user_id = $2",
        question.id,
        ctx.user_id
    )
    .execute(etx.conn())
    .await?
    .rows_affected();
    if removed == 0 {
        return Err(AppError::conflict(ConflictReason::NotUpvoted));
    }
    counted(qa, etx, session_id, question.id, false).await
}

/// Only a question on the list, not yet answered, takes votes.
async fn votable(db: &mut PgConnection, session_id: Uuid, id: Uuid) -> AppResult<()> {
    let status = sqlx::query_scalar!(
        r#"select status as "status: QuestionStatus" from questions where id = $1 and session_id = $2"#,
        id,
        session_id
    )
    .fetch_optional(db)
    .await?;
    match status {
        Some(QuestionStatus::Approved | QuestionStatus::Answering) => Ok(()),
        Some(QuestionStatus::Answered) => Err(AppError::conflict(ConflictReason::QuestionAnswered)),
        // A pending or hidden question is not shown: as if it did not exist.
        _ => Err(AppError::NotFound("question")),
    }
}

/// The caller's vote as it now stands; the count reaches both rooms coalesced.
async fn counted(
    qa: &Qa,
    etx: &mut EventTx,
    session_id: Uuid,
    id: Uuid,
    voted: bool,
) -> AppResult<Vote> {
    let votes = vote_count(etx.conn(), id).await?;
    etx.touch(&qa.votes, session_room(session_id), id);
    etx.touch(&qa.votes, backstage_room(session_id), id);
    Ok(Vote { id, voted, votes })
}

async fn vote_count(db: &mut PgConnection, id: Uuid) -> AppResult<i64> {
    let votes = sqlx::query_scalar!(
        r#"select count(*) as "votes!" from question_votes where question_id = $1"#,
        id
    )
    .fetch_one(db)
    .await?;
    Ok(votes)
}

/// The exact counts of `ids`.
pub async fn vote_counts(
    db: &mut PgConnection,
    ids: &[Uuid],
) -> AppResult<Vec<super::wire::VoteCount>> {
    Ok(sqlx::query_as!(
        super::wire::VoteCount,
        r#"select q.id, count(v.user_id) as "votes!"
           from questions q left join question_votes v on v.question_id = q.id
           where q.id = any($1) group by q.id order by q.id"#,
        ids
    )
    .fetch_all(db)
    .await?)
}

/// The session room's part: what attendees see, and the viewer's own votes and questions.
pub async fn snapshot(
    db: &mut PgConnection,
    session_id: Uuid,
    viewer: &Viewer<'_>,
) -> AppResult<QaSnapshot> {
    let mut questions = question_query!(
        "q.session_id = $1
           and (q.status in ('approved', 'answering', 'answered')
                or (q.status = 'pending' and q.author_id = $2))
         order by q.created_at desc, q.id limit $3",
        session_id,
        viewer.user_id,
        SNAPSHOT_LIMIT
    )
    .fetch_all(&mut *db)
    .await?;
    questions.reverse();
    let voted = sqlx::query_scalar!(
        "select v.question_id from question_votes v join questions q on q.id = v.question_id
         where q.session_id = $1 and v.user_id = $2",
        session_id,
        viewer.user_id
    )
    .fetch_all(&mut *db)
    .await?;
    let mine = questions
        .iter()
        .filter(|question| question.author_id == viewer.user_id)
        .map(|question| question.id)
        .collect();
    Ok(QaSnapshot {
        premoderation: premoderation(db, session_id).await?,
        questions: questions.iter().map(Question::public).collect(),
        voted,
        mine,
    })
}

/// The backstage part: every question but the merged ones, as moderators see them.
pub async fn backstage_snapshot(
    db: &mut PgConnection,
    session_id: Uuid,
) -> AppResult<BackstageSnapshot> {
    let mut questions = question_query!(
        "q.session_id = $1 and q.status <> 'merged'
         order by q.created_at desc, q.id limit $2",
        session_id,
        SNAPSHOT_LIMIT
    )
    .fetch_all(&mut *db)
    .await?;
    questions.reverse();
    Ok(BackstageSnapshot {
        premoderation: premoderation(db, session_id).await?,
        questions: questions.iter().map(Question::moderated).collect(),
    })
}
