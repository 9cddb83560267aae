//! Who moderates, speaks, facilitates or is invited to a session.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use sqlx::PgPool;
use utoipa::ToSchema;
use uuid::Uuid;

use super::read::people_of;
use super::write::lock_session;
use super::{fetch_session, Session, SessionRole};
use crate::conference::{live, notices};
use crate::conference::{ConferenceAccess, ConferenceRole, ConferenceSlug};
use crate::error::{AppError, AppResult, ErrorBody, Problem};
use crate::http::{AfterRoleCheck, AppJson, AppPath};
use crate::realtime::log::EventTx;
use crate::realtime::Realtime;

#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"user_id": "0b5cdbb5-6f0e-4a59-9d55-2d1e0c7a51f3", "role": "speaker"}))]
pub struct PersonAssignment {
    pub user_id: Uuid,
    pub role: SessionRole,
}

const MAX_PEOPLE_PER_SESSION: usize = 100;

/// Sets who moderates, speaks, facilitates or is invited. Organisers only.
#[utoipa::path(put, path = "/api/conferences/{slug}/sessions/{id}/people", tag = "sessions",
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The session's id")),
    request_body(content = [PersonAssignment],
                 description = "Everyone assigned to the session: at most 100, each person once, all members"),
    responses((status = 200, description = "The session with its people", body = Session),
              (status = 403, description = "Not an organiser of this conference", body = ErrorBody),
              (status = 404, description = "No such session", body = ErrorBody),
              (status = 422, description = "A person is listed twice, is not a member, or too many", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn set_people(
    State(db): State<PgPool>,
    State(realtime): State<Realtime>,
    access: ConferenceAccess,
    AppPath((_slug, id)): AppPath<(String, Uuid)>,
    body: AfterRoleCheck<AppJson<Vec<PersonAssignment>>>,
) -> AppResult<Json<Session>> {
    access.require(ConferenceRole::Organiser)?;
    let AppJson(people) = body?;
    if people.len() > MAX_PEOPLE_PER_SESSION {
        return Err(AppError::field(
            "people",
            Problem::TooMany {
                max: MAX_PEOPLE_PER_SESSION,
            },
        ));
    }
    let user_ids: Vec<Uuid> = people.iter().map(|person| person.user_id).collect();
    let roles: Vec<SessionRole> = people.iter().map(|person| person.role).collect();
    let mut distinct = user_ids.clone();
    distinct.sort();
    distinct.dedup();
    if distinct.len() != user_ids.len() {
        return Err(AppError::field("people", Problem::Duplicate));
    }
    let mut etx = EventTx::begin(&db).await?;
    let tx = etx.conn();
    lock_session(tx, access.conference_id, id).await?;
    let members = sqlx::query_scalar!(
        r#"select count(*) as "count!" from conference_members where conference_id = $1 and user_id = any ($2)"#,
        access.conference_id,
        &user_ids
    )
    .fetch_one(&mut *tx)
    .await?;
    if members != user_ids.len() as i64 {
        return Err(AppError::field("people", Problem::NotMember));
    }
    let before = people_of(&mut *tx, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    sqlx::query!("delete from session_people where session_id = $1", id)
        .execute(&mut *tx)
        .await?;
    sqlx::query!(
        "insert into session_people (session_id, user_id, role)
         select $1, * from unnest ($2::uuid[], $3::session_role[])",
        id,
        &user_ids,
        &roles as &[SessionRole]
    )
    .execute(&mut *tx)
    .await?;
    live::session_access_changed(&mut *tx, id).await?;
    crate::audit::record(
        &mut *tx,
        access.conference_id,
        access.user.id,
        "session.set_people",
        serde_json::json!({"session_id": id, "count": user_ids.len()}),
    )
    .await?;
    let now: Vec<(Uuid, SessionRole)> = user_ids.into_iter().zip(roles).collect();
    notices::session_assigned(&mut etx, id, &before, &now).await?;
    etx.commit(&realtime.hub).await?;
    Ok(Json(fetch_session(&db, &access, id).await?))
}
