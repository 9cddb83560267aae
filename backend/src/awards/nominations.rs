//! Nominations: attendees propose cluster managers while nominations are open; organisers
//! merge duplicates (the one merged away counts as a supporter of the one kept).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::json;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::candidates::optional_text;
use super::wire::{MergeInto, Nomination, NominationInput, Phase};
use super::wire::{MAX_COUNTRY_CHARS, MAX_NAME_CHARS, MAX_STATEMENT_CHARS};
use super::{chain, row, Lock};
use crate::conference::{ConferenceAccess, ConferenceRole, ConferenceSlug};
use crate::error::{AppError, AppResult, ConflictReason, ErrorBody};
use crate::http::{AfterRoleCheck, AppJson, AppPath};
use crate::realtime::feature::bounded_text;

/// Nominations one person may make in one election, and one election may receive.
const MAX_PER_PERSON: i64 = 10;
const MAX_PER_ELECTION: i64 = 2_000;

/// The election's nominations that were not merged away, with their supporters; who
/// nominated only for organisers.
async fn nominations_of(
    db: &mut PgConnection,
    election: Uuid,
    viewer: Uuid,
    organiser: bool,
) -> AppResult<Vec<Nomination>> {
    let rows = sqlx::query!(
        r#"select n.id, n.name, n.cluster, n.organisation, n.country, n.statement, u.display_name,
                  1 + (select count(*) from election_nominations m where m.merged_into = n.id) as "supporters!",
                  (n.nominated_by = $2 or exists (select 1 from election_nominations m
                     where m.merged_into = n.id and m.nominated_by = $2)) as "mine!"
           from election_nominations n join users u on u.id = n.nominated_by
           where n.election_id = $1 and n.merged_into is null
           order by n.created_at, n.id"#,
        election,
        viewer
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| Nomination {
            id: row.id,
            name: row.name,
            cluster: row.cluster,
            organisation: row.organisation,
            country: row.country,
            statement: row.statement,
            supporters: row.supporters,
            mine: row.mine,
            nominated_by: organiser.then_some(row.display_name),
        })
        .collect())
}

async fn one(
    db: &mut PgConnection,
    access: &ConferenceAccess,
    election: Uuid,
    id: Uuid,
) -> AppResult<Nomination> {
    let organiser = access.is_at_least(ConferenceRole::Organiser);
    nominations_of(db, election, access.user.id, organiser)
        .await?
        .into_iter()
        .find(|nomination| nomination.id == id)
        .ok_or(AppError::NotFound("nomination"))
}

#[utoipa::path(get, path = "/api/conferences/{slug}/elections/{id}/nominations", tag = "awards", operation_id = "list_nominations",
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The election's id")),
    responses((status = 200, description = "The nominations, oldest first, duplicates merged", body = [Nomination]),
              (status = 403, description = "Not a member of this conference", body = ErrorBody),
              (status = 404, description = "No such election", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    AppPath((_slug, election)): AppPath<(String, Uuid)>,
) -> AppResult<Json<Vec<Nomination>>> {
    access.require(ConferenceRole::Attendee)?;
    let mut conn = db.acquire().await?;
    row(&mut conn, access.conference_id, election, Lock::None).await?;
    let organiser = access.is_at_least(ConferenceRole::Organiser);
    Ok(Json(
        nominations_of(&mut conn, election, access.user.id, organiser).await?,
    ))
}

/// Nominates a cluster manager. Members, while nominations are open.
#[utoipa::path(post, path = "/api/conferences/{slug}/elections/{id}/nominations", tag = "awards",
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The election's id")),
    request_body = NominationInput,
    responses((status = 201, description = "The nomination", body = Nomination),
              (status = 403, description = "Not a member of this conference", body = ErrorBody),
              (status = 404, description = "No such election", body = ErrorBody),
              (status = 409, description = "Nominations are closed, or too many nominations", body = ErrorBody),
              (status = 422, description = "A name missing or a text too long", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn nominate(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    AppPath((_slug, election)): AppPath<(String, Uuid)>,
    body: AfterRoleCheck<AppJson<NominationInput>>,
) -> AppResult<(StatusCode, Json<Nomination>)> {
    access.require(ConferenceRole::Attendee)?;
    let AppJson(input) = body?;
    let name = bounded_text("name", &input.name, MAX_NAME_CHARS)?;
    let cluster = optional_text("cluster", &input.cluster, MAX_NAME_CHARS)?;
    let organisation = optional_text("organisation", &input.organisation, MAX_NAME_CHARS)?;
    let country = optional_text("country", &input.country, MAX_COUNTRY_CHARS)?;
    let statement = optional_text("statement", &input.statement, MAX_STATEMENT_CHARS)?;
    let mut tx = db.begin().await?;
    // Shared: nominations go in side by side, but not past a change of phase.
    let row = row(&mut tx, access.conference_id, election, Lock::Share).await?;
    if row.phase != Phase::Nominations {
        return Err(AppError::conflict(ConflictReason::NominationsClosed));
    }
    let counts = sqlx::query!(
        r#"select count(*) filter (where nominated_by = $2) as "mine!", count(*) as "all!"
           from election_nominations where election_id = $1"#,
        election,
        access.user.id
    )
    .fetch_one(&mut *tx)
    .await?;
    if counts.mine >= MAX_PER_PERSON || counts.all >= MAX_PER_ELECTION {
        return Err(AppError::over_limit(
            ConflictReason::TooManyNominations,
            MAX_PER_PERSON,
        ));
    }
    let nominee = NominationInput {
        name,
        cluster,
        organisation,
        country,
        statement,
    };
    let id = insert(&mut tx, election, access.user.id, &nominee).await?;
    let nomination = one(&mut tx, &access, election, id).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(nomination)))
}

/// Inserts `nominee` (checked) as nominated by `by` in `election`; returns its id.
pub(super) async fn insert(
    db: &mut PgConnection,
    election: Uuid,
    by: Uuid,
    nominee: &NominationInput,
) -> AppResult<Uuid> {
    let id = Uuid::new_v4();
    sqlx::query!(
        "insert into election_nominations (id, election_id, nominated_by, name, cluster, organisation, country, statement)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
        id,
        election,
        by,
        nominee.name,
        nominee.cluster,
        nominee.organisation,
        nominee.country,
        nominee.statement
    )
    .execute(db)
    .await?;
    Ok(id)
}

/// Merges a duplicate nomination into another: it and its supporters count for the one
/// kept. Organisers only, before voting opens.
#[utoipa::path(post, path = "/api/conferences/{slug}/elections/{id}/nominations/{nomination_id}/merge", tag = "awards",
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The election's id"),
           ("nomination_id" = Uuid, Path, description = "The duplicate")),
    request_body = MergeInto,
    responses((status = 200, description = "The nomination kept", body = Nomination),
              (status = 403, description = "Not an organiser of this conference", body = ErrorBody),
              (status = 404, description = "No such election or nomination", body = ErrorBody),
              (status = 409, description = "Voting has opened, or a nomination merged into itself", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn merge(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    AppPath((_slug, election, duplicate)): AppPath<(String, Uuid, Uuid)>,
    body: AfterRoleCheck<AppJson<MergeInto>>,
) -> AppResult<Json<Nomination>> {
    access.require(ConferenceRole::Organiser)?;
    let AppJson(MergeInto { into }) = body?;
    if into == duplicate {
        return Err(AppError::conflict(ConflictReason::MergeIntoItself));
    }
    let mut tx = db.begin().await?;
    let row = row(&mut tx, access.conference_id, election, Lock::Update).await?;
    if row.phase > Phase::Shortlist {
        return Err(AppError::conflict(ConflictReason::NominationsFixed));
    }
    let both = sqlx::query_scalar!(
        r#"select count(*) as "n!" from election_nominations
           where election_id = $1 and id = any($2) and merged_into is null"#,
        election,
        &[duplicate, into][..]
    )
    .fetch_one(&mut *tx)
    .await?;
    if both != 2 {
        return Err(AppError::NotFound("nomination"));
    }
    // The duplicate's own supporters follow it, so merges never chain.
    sqlx::query!(
        "update election_nominations set merged_into = $2 where id = $1 or merged_into = $1",
        duplicate,
        into
    )
    .execute(&mut *tx)
    .await?;
    let detail = json!({"nomination": duplicate, "into": into});
    chain::append(
        &mut tx,
        election,
        Some(access.user.id),
        "nomination.merged",
        detail,
    )
    .await?;
    let kept = one(&mut tx, &access, election, into).await?;
    tx.commit().await?;
    Ok(Json(kept))
}
