//! Adding, replacing and removing sessions. Organisers only.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use sqlx::PgPool;
use uuid::Uuid;

use super::{fetch_session, Session, SessionInput, SessionKind, Visibility};
use crate::conference::live;
use crate::conference::{ConferenceAccess, ConferenceRole, ConferenceSlug};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::http::{AfterRoleCheck, AppJson, AppPath};

/// Adds a session to the agenda. Organisers only.
#[utoipa::path(post, path = "/api/conferences/{slug}/sessions", tag = "sessions",
    params(ConferenceSlug), request_body = SessionInput,
    responses((status = 201, description = "The new session", body = Session),
              (status = 403, description = "Not an organiser of this conference", body = ErrorBody),
              (status = 422, description = "A field breaks a rule", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn create_session(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    body: AfterRoleCheck<AppJson<SessionInput>>,
) -> AppResult<(StatusCode, Json<Session>)> {
    access.require(ConferenceRole::Organiser)?;
    let AppJson(input) = body?;
    let input = input.normalised(&db, access.conference_id).await?;
    let id = Uuid::new_v4();
    let mut tx = db.begin().await?;
    write_session(&mut tx, access.conference_id, id, &input).await?;
    crate::audit::record(
        &mut *tx,
        access.conference_id,
        access.user.id,
        "session.create",
        serde_json::json!({"session_id": id}),
    )
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(fetch_session(&db, &access, id).await?),
    ))
}

/// Replaces a session's details. Organisers only.
#[utoipa::path(put, path = "/api/conferences/{slug}/sessions/{id}", tag = "sessions",
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The session's id")),
    request_body = SessionInput,
    responses((status = 200, description = "The updated session", body = Session),
              (status = 403, description = "Not an organiser of this conference", body = ErrorBody),
              (status = 404, description = "No such session", body = ErrorBody),
              (status = 422, description = "A field breaks a rule", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn update_session(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    AppPath((_slug, id)): AppPath<(String, Uuid)>,
    body: AfterRoleCheck<AppJson<SessionInput>>,
) -> AppResult<Json<Session>> {
    access.require(ConferenceRole::Organiser)?;
    let AppJson(input) = body?;
    let input = input.normalised(&db, access.conference_id).await?;
    let mut tx = db.begin().await?;
    lock_session(&mut tx, access.conference_id, id).await?;
    write_session(&mut tx, access.conference_id, id, &input).await?;
    // Its visibility may have changed: who is in its live room is asked again.
    live::session_access_changed(&mut tx, id).await?;
    crate::audit::record(
        &mut *tx,
        access.conference_id,
        access.user.id,
        "session.update",
        serde_json::json!({"session_id": id}),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(fetch_session(&db, &access, id).await?))
}

/// Locks a session row for the rest of the transaction (serialising concurrent edits);
/// `NotFound` when the conference has no such session.
pub(super) async fn lock_session(
    tx: &mut sqlx::PgConnection,
    conference_id: Uuid,
    id: Uuid,
) -> AppResult<()> {
    sqlx::query_scalar!(
        "select id from sessions where id = $1 and conference_id = $2 for update",
        id,
        conference_id
    )
    .fetch_optional(tx)
    .await?
    .ok_or(AppError::NotFound("session"))?;
    Ok(())
}

/// Inserts a session, or replaces every field of the existing one with that id.
async fn write_session(
    tx: &mut sqlx::PgConnection,
    conference_id: Uuid,
    id: Uuid,
    input: &SessionInput,
) -> AppResult<()> {
    sqlx::query!(
        "insert into sessions (id, conference_id, kind, title, description, starts_at, ends_at, capacity,
                               languages, stream_url, visibility, venue_city, venue_address)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         on conflict (id) do update set kind = $3, title = $4, description = $5, starts_at = $6,
             ends_at = $7, capacity = $8, languages = $9, stream_url = $10, visibility = $11,
             venue_city = $12, venue_address = $13, updated_at = now()",
        id,
        conference_id,
        input.kind as SessionKind,
        &input.title as _,
        &input.description as _,
        input.starts_at,
        input.ends_at,
        input.capacity,
        &input.languages,
        input.stream_url,
        input.visibility as Visibility,
        input.venue.as_ref().map(|venue| venue.city.clone()),
        input.venue.as_ref().map(|venue| venue.address.clone()),
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// Removes a session from the agenda. Organisers only.
#[utoipa::path(delete, path = "/api/conferences/{slug}/sessions/{id}", tag = "sessions",
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The session's id")),
    responses((status = 204, description = "Removed"),
              (status = 403, description = "Not an organiser of this conference", body = ErrorBody),
              (status = 404, description = "No such session", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn delete_session(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    AppPath((_slug, id)): AppPath<(String, Uuid)>,
) -> AppResult<StatusCode> {
    access.require(ConferenceRole::Organiser)?;
    let mut tx = db.begin().await?;
    let deleted = sqlx::query!(
        "delete from sessions where id = $1 and conference_id = $2",
        id,
        access.conference_id
    )
    .execute(&mut *tx)
    .await?;
    if deleted.rows_affected() == 0 {
        return Err(AppError::NotFound("session"));
    }
    live::session_access_changed(&mut tx, id).await?;
    crate::audit::record(
        &mut *tx,
        access.conference_id,
        access.user.id,
        "session.delete",
        serde_json::json!({"session_id": id}),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
