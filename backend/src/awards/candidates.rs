//! The shortlist: organisers pick the candidates, from the nominations or not, and present
//! them (a photo, a statement in several languages) until voting opens.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::json;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::wire::MAX_STATEMENT_CHARS;
use super::wire::{Candidate, CandidateInput, Phase, MAX_COUNTRY_CHARS, MAX_NAME_CHARS};
use super::{announce, chain, row, ElectionRow, Lock};
use crate::conference::{ConferenceAccess, ConferenceRole, ConferenceSlug};
use crate::error::{AppError, AppResult, ConflictReason, ErrorBody, Problem};
use crate::http::{AfterRoleCheck, AppJson, AppPath};
use crate::realtime::feature::bounded_text;
use crate::realtime::log::EventTx;
use crate::realtime::Realtime;
use crate::text::web_address;

/// Candidates one election may have.
const MAX_CANDIDATES: i64 = 50;

/// The election's candidates, in ballot order.
pub async fn candidates_of(db: &mut PgConnection, election: Uuid) -> AppResult<Vec<Candidate>> {
    let rows = sqlx::query!(
        r#"select id, name, cluster, organisation, country, photo_url,
                  statement as "statement: sqlx::types::Json<crate::text::LocalizedText>"
           from election_candidates where election_id = $1 order by created_at, id"#,
        election
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| Candidate {
            id: row.id,
            name: row.name,
            cluster: row.cluster,
            organisation: row.organisation,
            country: row.country,
            photo_url: row.photo_url,
            statement: row.statement.0,
        })
        .collect())
}

/// An optional short text: trimmed, at most `max` characters.
pub fn optional_text(field: &str, text: &str, max: usize) -> AppResult<String> {
    let text = text.trim();
    if text.chars().count() > max {
        return Err(AppError::field(field, Problem::TooLong { max }));
    }
    Ok(text.to_owned())
}

/// The input checked and trimmed.
fn checked(input: CandidateInput) -> AppResult<CandidateInput> {
    Ok(CandidateInput {
        nomination_id: input.nomination_id,
        name: bounded_text("name", &input.name, MAX_NAME_CHARS)?,
        cluster: optional_text("cluster", &input.cluster, MAX_NAME_CHARS)?,
        organisation: optional_text("organisation", &input.organisation, MAX_NAME_CHARS)?,
        country: optional_text("country", &input.country, MAX_COUNTRY_CHARS)?,
        photo_url: web_address("photo_url", input.photo_url)?,
        statement: input
            .statement
            .normalised("statement", MAX_STATEMENT_CHARS, false)?,
    })
}

/// The election, locked, if its shortlist may still change.
async fn shortlist_open(
    etx: &mut EventTx,
    access: &ConferenceAccess,
    id: Uuid,
) -> AppResult<ElectionRow> {
    let row = row(etx.conn(), access.conference_id, id, Lock::Update).await?;
    if row.phase > Phase::Shortlist {
        return Err(AppError::conflict(ConflictReason::ShortlistFixed));
    }
    if row.phase < Phase::Shortlist {
        return Err(AppError::conflict(ConflictReason::ShortlistNotOpen));
    }
    Ok(row)
}

/// Writes the chain entry for a change of the shortlist, tells the room and commits.
async fn finish(
    mut etx: EventTx,
    realtime: &Realtime,
    access: &ConferenceAccess,
    election: Uuid,
    action: &str,
    detail: serde_json::Value,
) -> AppResult<()> {
    chain::append(etx.conn(), election, Some(access.user.id), action, detail).await?;
    announce(&mut etx, access.conference_id, election).await?;
    etx.commit(&realtime.hub).await
}

async fn read(db: &mut PgConnection, election: Uuid, id: Uuid) -> AppResult<Candidate> {
    candidates_of(db, election)
        .await?
        .into_iter()
        .find(|candidate| candidate.id == id)
        .ok_or(AppError::NotFound("candidate"))
}

fn described(candidate: &Candidate) -> serde_json::Value {
    json!({"id": candidate.id, "name": candidate.name, "cluster": candidate.cluster,
        "organisation": candidate.organisation, "country": candidate.country,
        "photo_url": candidate.photo_url, "statement": candidate.statement})
}

/// Adds a candidate to the shortlist. Organisers only, during the shortlist.
#[utoipa::path(post, path = "/api/conferences/{slug}/elections/{id}/candidates", tag = "awards",
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The election's id")),
    request_body = CandidateInput,
    responses((status = 201, description = "The new candidate", body = Candidate),
              (status = 403, description = "Not an organiser of this conference", body = ErrorBody),
              (status = 404, description = "No such election or nomination", body = ErrorBody),
              (status = 409, description = "Not during the shortlist, or the shortlist is full", body = ErrorBody),
              (status = 422, description = "A name missing, a text too long, or not a web address", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn add(
    State(db): State<PgPool>,
    State(realtime): State<Realtime>,
    access: ConferenceAccess,
    AppPath((_slug, election)): AppPath<(String, Uuid)>,
    body: AfterRoleCheck<AppJson<CandidateInput>>,
) -> AppResult<(StatusCode, Json<Candidate>)> {
    access.require(ConferenceRole::Organiser)?;
    let AppJson(input) = body?;
    let input = checked(input)?;
    let mut etx = EventTx::begin(&db).await?;
    shortlist_open(&mut etx, &access, election).await?;
    let existing = sqlx::query_scalar!(
        r#"select count(*) as "n!" from election_candidates where election_id = $1"#,
        election
    )
    .fetch_one(etx.conn())
    .await?;
    if existing >= MAX_CANDIDATES {
        return Err(AppError::over_limit(
            ConflictReason::TooManyCandidates,
            MAX_CANDIDATES,
        ));
    }
    check_nomination(etx.conn(), election, input.nomination_id).await?;
    let candidate = insert(etx.conn(), election, access.user.id, &input).await?;
    announce(&mut etx, access.conference_id, election).await?;
    etx.commit(&realtime.hub).await?;
    Ok((StatusCode::CREATED, Json(candidate)))
}

/// Inserts candidate `input` on `election`'s shortlist, with the audit entry of its
/// addition by `actor`.
pub(super) async fn insert(
    db: &mut PgConnection,
    election: Uuid,
    actor: Uuid,
    input: &CandidateInput,
) -> AppResult<Candidate> {
    let id = Uuid::new_v4();
    sqlx::query!(
        "insert into election_candidates
           (id, election_id, nomination_id, name, cluster, organisation, country, photo_url, statement)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        id,
        election,
        input.nomination_id,
        input.name,
        input.cluster,
        input.organisation,
        input.country,
        input.photo_url,
        sqlx::types::Json(&input.statement) as _
    )
    .execute(&mut *db)
    .await?;
    let candidate = read(db, election, id).await?;
    chain::append(
        db,
        election,
        Some(actor),
        "candidate.added",
        described(&candidate),
    )
    .await?;
    Ok(candidate)
}

async fn check_nomination(
    db: &mut PgConnection,
    election: Uuid,
    nomination: Option<Uuid>,
) -> AppResult<()> {
    let Some(nomination) = nomination else {
        return Ok(());
    };
    sqlx::query_scalar!(
        "select id from election_nominations where id = $1 and election_id = $2",
        nomination,
        election
    )
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound("nomination"))?;
    Ok(())
}

/// Changes how a candidate is presented. Organisers only, during the shortlist.
#[utoipa::path(put, path = "/api/conferences/{slug}/elections/{id}/candidates/{candidate_id}", tag = "awards",
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The election's id"),
           ("candidate_id" = Uuid, Path, description = "The candidate's id")),
    request_body = CandidateInput,
    responses((status = 200, description = "The candidate as changed", body = Candidate),
              (status = 403, description = "Not an organiser of this conference", body = ErrorBody),
              (status = 404, description = "No such election, candidate or nomination", body = ErrorBody),
              (status = 409, description = "Not during the shortlist", body = ErrorBody),
              (status = 422, description = "A name missing, a text too long, or not a web address", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn edit(
    State(db): State<PgPool>,
    State(realtime): State<Realtime>,
    access: ConferenceAccess,
    AppPath((_slug, election, id)): AppPath<(String, Uuid, Uuid)>,
    body: AfterRoleCheck<AppJson<CandidateInput>>,
) -> AppResult<Json<Candidate>> {
    access.require(ConferenceRole::Organiser)?;
    let AppJson(input) = body?;
    let input = checked(input)?;
    let mut etx = EventTx::begin(&db).await?;
    shortlist_open(&mut etx, &access, election).await?;
    check_nomination(etx.conn(), election, input.nomination_id).await?;
    let updated = sqlx::query!(
        "update election_candidates set nomination_id = $3, name = $4, cluster = $5, organisation = $6,
           country = $7, photo_url = $8, statement = $9
         where id = $1 and election_id = $2",
        id,
        election,
        input.nomination_id,
        input.name,
        input.cluster,
        input.organisation,
        input.country,
        input.photo_url,
        sqlx::types::Json(&input.statement) as _
    )
    .execute(etx.conn())
    .await?;
    if updated.rows_affected() == 0 {
        return Err(AppError::NotFound("candidate"));
    }
    let candidate = read(etx.conn(), election, id).await?;
    finish(
        etx,
        &realtime,
        &access,
        election,
        "candidate.edited",
        described(&candidate),
    )
    .await?;
    Ok(Json(candidate))
}

/// Takes a candidate off the shortlist. Organisers only, during the shortlist.
#[utoipa::path(delete, path = "/api/conferences/{slug}/elections/{id}/candidates/{candidate_id}", tag = "awards",
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The election's id"),
           ("candidate_id" = Uuid, Path, description = "The candidate's id")),
    responses((status = 204, description = "Removed"),
              (status = 403, description = "Not an organiser of this conference", body = ErrorBody),
              (status = 404, description = "No such election or candidate", body = ErrorBody),
              (status = 409, description = "Not during the shortlist", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn remove(
    State(db): State<PgPool>,
    State(realtime): State<Realtime>,
    access: ConferenceAccess,
    AppPath((_slug, election, id)): AppPath<(String, Uuid, Uuid)>,
) -> AppResult<StatusCode> {
    access.require(ConferenceRole::Organiser)?;
    let mut etx = EventTx::begin(&db).await?;
    shortlist_open(&mut etx, &access, election).await?;
    let candidate = read(etx.conn(), election, id).await?;
    sqlx::query!("delete from election_candidates where id = $1", id)
        .execute(etx.conn())
        .await?;
    let detail = json!({"id": candidate.id, "name": candidate.name});
    finish(
        etx,
        &realtime,
        &access,
        election,
        "candidate.removed",
        detail,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
