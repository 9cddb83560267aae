//! Setting up an election, and reading one as a member sees it.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::json;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::candidates::candidates_of;
use super::wire::{Election, ElectionInput, Phase};
use super::{announce, chain, row, rows_of, turnout, ElectionRow, Lock};
use crate::conference::{ConferenceAccess, ConferenceRole, ConferenceSlug};
use crate::error::{AppError, AppResult, ConflictReason, ErrorBody, Problem};
use crate::http::{AfterRoleCheck, AppJson, AppPath};
use crate::realtime::log::EventTx;
use crate::realtime::Realtime;
use crate::text::normalise_title_and_description;

/// Elections one conference may hold.
const MAX_ELECTIONS: i64 = 20;

/// The election as `user_id` sees it: the result only once revealed.
pub async fn view(db: &mut PgConnection, row: &ElectionRow, user_id: Uuid) -> AppResult<Election> {
    let (roll_size, turnout) = turnout(db, row).await?;
    let mine = sqlx::query!(
        r#"select exists (select 1 from election_roll where election_id = $1 and user_id = $2) as "on_roll!",
                  exists (select 1 from election_participation where election_id = $1 and user_id = $2) as "voted!""#,
        row.id,
        user_id
    )
    .fetch_one(&mut *db)
    .await?;
    Ok(Election {
        id: row.id,
        title: row.title.clone(),
        description: row.description.clone(),
        method: row.method,
        phase: row.phase,
        opens_at: row.opens_at,
        closes_at: row.closes_at,
        candidates: candidates_of(db, row.id).await?,
        roll_size,
        turnout,
        on_roll: mine.on_roll,
        voted: mine.voted,
        result: row.result.clone().filter(|_| row.phase == Phase::Revealed),
        audit_head: chain::head(db, row.id).await?,
    })
}

/// The conference's elections.
#[utoipa::path(get, path = "/api/conferences/{slug}/elections", tag = "awards", operation_id = "list_elections",
    params(ConferenceSlug),
    responses((status = 200, description = "The conference's elections, oldest first", body = [Election]),
              (status = 403, description = "Not a member of this conference", body = ErrorBody),
              (status = 404, description = "No such conference", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(db): State<PgPool>,
    access: ConferenceAccess,
) -> AppResult<Json<Vec<Election>>> {
    access.require(ConferenceRole::Attendee)?;
    let mut conn = db.acquire().await?;
    let mut elections = Vec::new();
    for row in rows_of(&mut conn, access.conference_id).await? {
        elections.push(view(&mut conn, &row, access.user.id).await?);
    }
    Ok(Json(elections))
}

#[utoipa::path(get, path = "/api/conferences/{slug}/elections/{id}", tag = "awards",
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The election's id")),
    responses((status = 200, description = "The election", body = Election),
              (status = 403, description = "Not a member of this conference", body = ErrorBody),
              (status = 404, description = "No such election", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn show(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    AppPath((_slug, id)): AppPath<(String, Uuid)>,
) -> AppResult<Json<Election>> {
    access.require(ConferenceRole::Attendee)?;
    let mut conn = db.acquire().await?;
    let row = row(&mut conn, access.conference_id, id, Lock::None).await?;
    Ok(Json(view(&mut conn, &row, access.user.id).await?))
}

/// The input checked: a title, bounded texts, a schedule that ends after it starts.
fn checked(input: ElectionInput) -> AppResult<ElectionInput> {
    let (title, description) = normalise_title_and_description(input.title, input.description)?;
    if let (Some(opens), Some(closes)) = (input.opens_at, input.closes_at) {
        if closes <= opens {
            return Err(AppError::field("closes_at", Problem::EndsBeforeStart));
        }
    }
    Ok(ElectionInput {
        title,
        description,
        ..input
    })
}

/// Inserts election `input` into `conference`, in nominations, with the audit entry of its
/// creation by `actor`; returns its id.
pub(super) async fn insert(
    db: &mut PgConnection,
    conference: Uuid,
    actor: Uuid,
    input: &ElectionInput,
) -> AppResult<Uuid> {
    let id = Uuid::new_v4();
    sqlx::query!(
        "insert into elections (id, conference_id, title, description, method, opens_at, closes_at)
         values ($1, $2, $3, $4, $5, $6, $7)",
        id,
        conference,
        sqlx::types::Json(&input.title) as _,
        sqlx::types::Json(&input.description) as _,
        input.method as _,
        input.opens_at,
        input.closes_at
    )
    .execute(&mut *db)
    .await?;
    audit(db, id, actor, "election.created", input).await?;
    Ok(id)
}

/// The audit entry `action` of election `id`, created or changed by `actor` as `input` says.
async fn audit(
    db: &mut PgConnection,
    id: Uuid,
    actor: Uuid,
    action: &str,
    input: &ElectionInput,
) -> AppResult<()> {
    let detail = json!({"title": input.title, "method": input.method,
        "opens_at": input.opens_at, "closes_at": input.closes_at});
    chain::append(db, id, Some(actor), action, detail).await
}

/// Ends a creation or change of election `id`: the live update to every screen, and the
/// election as the organiser now sees it, in the same transaction.
async fn announced(
    mut etx: EventTx,
    realtime: &Realtime,
    access: &ConferenceAccess,
    id: Uuid,
) -> AppResult<Election> {
    announce(&mut etx, access.conference_id, id).await?;
    let row = row(etx.conn(), access.conference_id, id, Lock::None).await?;
    let election = view(etx.conn(), &row, access.user.id).await?;
    etx.commit(&realtime.hub).await?;
    Ok(election)
}

/// Creates an election, in nominations. Organisers only.
#[utoipa::path(post, path = "/api/conferences/{slug}/elections", tag = "awards",
    params(ConferenceSlug),
    request_body = ElectionInput,
    responses((status = 201, description = "The new election", body = Election),
              (status = 403, description = "Not an organiser of this conference", body = ErrorBody),
              (status = 404, description = "No such conference", body = ErrorBody),
              (status = 409, description = "The conference has as many elections as it may", body = ErrorBody),
              (status = 422, description = "A title missing or too long, or a schedule that ends before it starts", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn create(
    State(db): State<PgPool>,
    State(realtime): State<Realtime>,
    access: ConferenceAccess,
    body: AfterRoleCheck<AppJson<ElectionInput>>,
) -> AppResult<(StatusCode, Json<Election>)> {
    access.require(ConferenceRole::Organiser)?;
    let AppJson(input) = body?;
    let input = checked(input)?;
    let mut etx = EventTx::begin(&db).await?;
    // One creation at a time per conference, so the limit holds.
    sqlx::query!(
        "select id from conferences where id = $1 for update",
        access.conference_id
    )
    .fetch_one(etx.conn())
    .await?;
    let existing = sqlx::query_scalar!(
        r#"select count(*) as "n!" from elections where conference_id = $1"#,
        access.conference_id
    )
    .fetch_one(etx.conn())
    .await?;
    if existing >= MAX_ELECTIONS {
        return Err(AppError::over_limit(
            ConflictReason::TooManyElections,
            MAX_ELECTIONS,
        ));
    }
    let id = insert(etx.conn(), access.conference_id, access.user.id, &input).await?;
    let election = announced(etx, &realtime, &access, id).await?;
    Ok((StatusCode::CREATED, Json(election)))
}

/// Changes an election's title, description, method or schedule. Organisers only; the
/// method only before voting opens, the schedule until voting closes.
#[utoipa::path(put, path = "/api/conferences/{slug}/elections/{id}", tag = "awards",
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The election's id")),
    request_body = ElectionInput,
    responses((status = 200, description = "The election as changed", body = Election),
              (status = 403, description = "Not an organiser of this conference", body = ErrorBody),
              (status = 404, description = "No such election", body = ErrorBody),
              (status = 409, description = "Too late in the election for this change", body = ErrorBody),
              (status = 422, description = "A title missing or too long, or a schedule that ends before it starts", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn update(
    State(db): State<PgPool>,
    State(realtime): State<Realtime>,
    access: ConferenceAccess,
    AppPath((_slug, id)): AppPath<(String, Uuid)>,
    body: AfterRoleCheck<AppJson<ElectionInput>>,
) -> AppResult<Json<Election>> {
    access.require(ConferenceRole::Organiser)?;
    let AppJson(input) = body?;
    let input = checked(input)?;
    let mut etx = EventTx::begin(&db).await?;
    let before = row(etx.conn(), access.conference_id, id, Lock::Update).await?;
    if before.phase >= Phase::Closed {
        return Err(AppError::conflict(ConflictReason::ElectionClosed));
    }
    if before.phase == Phase::Voting
        && (input.method != before.method
            || input.title != before.title
            || input.opens_at != before.opens_at)
    {
        return Err(AppError::conflict(
            ConflictReason::OnlyClosingTimeWhileVoting,
        ));
    }
    sqlx::query!(
        "update elections set title = $2, description = $3, method = $4, opens_at = $5, closes_at = $6
         where id = $1",
        id,
        sqlx::types::Json(&input.title) as _,
        sqlx::types::Json(&input.description) as _,
        input.method as _,
        input.opens_at,
        input.closes_at
    )
    .execute(etx.conn())
    .await?;
    audit(etx.conn(), id, access.user.id, "election.updated", &input).await?;
    let election = announced(etx, &realtime, &access, id).await?;
    Ok(Json(election))
}
