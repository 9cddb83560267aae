//! Members of a conference as organisers manage them: the list, roles, and removal.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgExecutor, PgPool};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::access::{ConferenceAccess, ConferenceRole, ConferenceSlug};
use super::notices;
use crate::access_changes;
use crate::error::{AppError, AppResult, ConflictReason, ErrorBody};
use crate::http::{AfterRoleCheck, AppJson, AppPath, AppQuery};
use crate::realtime::log::EventTx;
use crate::realtime::Realtime;

/// A member as organisers see them.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "user_id": "0b5cdbb5-6f0e-4a59-9d55-2d1e0c7a51f3",
    "display_name": "Anna Peeters",
    "email": "attendee@demo.viaduc.eu",
    "role": "attendee",
    "organisation": "Flanders' FOOD",
    "country": "BE"
}))]
pub struct Member {
    pub user_id: Uuid,
    pub display_name: String,
    pub email: String,
    pub role: ConferenceRole,
    pub organisation: String,
    #[schema(required = true)]
    pub country: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MemberFilter {
    /// Matches name, e-mail or organisation (case-insensitive; the first 100 characters count).
    #[param(example = "textile")]
    pub q: Option<String>,
    /// Only members with this role.
    pub role: Option<ConferenceRole>,
}

/// Members of a conference, filtered. Organisers only.
#[utoipa::path(get, path = "/api/conferences/{slug}/members", tag = "conferences",
    params(ConferenceSlug, MemberFilter),
    responses((status = 200, description = "At most 200 members, by name", body = [Member]),
              (status = 403, description = "Not an organiser of this conference", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list_members(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    filter: AfterRoleCheck<AppQuery<MemberFilter>>,
) -> AppResult<Json<Vec<Member>>> {
    access.require(ConferenceRole::Organiser)?;
    let AppQuery(filter) = filter?;
    let pattern = filter
        .q
        .map(|q| q.trim().chars().take(100).collect::<String>())
        .filter(|q| !q.is_empty())
        .map(|q| {
            format!(
                "%{}%",
                q.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            )
        });
    let members = fetch_members(&db, access.conference_id, pattern, filter.role, None).await?;
    Ok(Json(members))
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"role": "moderator"}))]
pub struct RoleChange {
    pub role: ConferenceRole,
}

/// Sets a member's role. Organisers only; the last organiser cannot be demoted.
#[utoipa::path(put, path = "/api/conferences/{slug}/members/{user_id}", tag = "conferences",
    params(ConferenceSlug, ("user_id" = Uuid, Path, description = "The member's account id")),
    request_body = RoleChange,
    responses((status = 200, description = "The member with the new role", body = Member),
              (status = 403, description = "Not an organiser of this conference", body = ErrorBody),
              (status = 404, description = "No such member", body = ErrorBody),
              (status = 409, description = "This would leave the conference without an organiser", body = ErrorBody),
              (status = 422, description = "Not a role", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn set_role(
    State(db): State<PgPool>,
    State(realtime): State<Realtime>,
    access: ConferenceAccess,
    AppPath((_slug, user_id)): AppPath<(String, Uuid)>,
    body: AfterRoleCheck<AppJson<RoleChange>>,
) -> AppResult<Json<Member>> {
    access.require(ConferenceRole::Organiser)?;
    let AppJson(change) = body?;
    let mut etx = EventTx::begin(&db).await?;
    let tx = etx.conn();
    if change.role != ConferenceRole::Organiser {
        keep_an_organiser(tx, access.conference_id, user_id).await?;
    }
    let before = fetch_members(&mut *tx, access.conference_id, None, None, Some(user_id)).await?;
    let updated = sqlx::query!(
        "update conference_members set role = $3, updated_at = now() where conference_id = $1 and user_id = $2",
        access.conference_id,
        user_id,
        change.role as ConferenceRole
    )
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(AppError::NotFound("member"));
    }
    // Their live rooms take the new role within a second (see `access_changes`).
    access_changes::person(&mut *tx, user_id, Some(access.conference_id)).await?;
    crate::audit::record(
        &mut *tx,
        access.conference_id,
        access.user.id,
        "member.set_role",
        serde_json::json!({"user_id": user_id, "role": change.role}),
    )
    .await?;
    let member = fetch_members(&mut *tx, access.conference_id, None, None, Some(user_id))
        .await?
        .pop()
        .ok_or(AppError::NotFound("member"))?;
    // Organisers who change their own role know it already.
    let changed = before.first().is_some_and(|old| old.role != member.role);
    if changed && user_id != access.user.id {
        notices::role_changed(&mut etx, access.conference_id, user_id, member.role).await?;
    }
    etx.commit(&realtime.hub).await?;
    Ok(Json(member))
}

/// Removes a member from a conference. Organisers only; the last organiser cannot be
/// removed. The person's live subscriptions to the conference's rooms end within a second,
/// on every node (see `docs/realtime.md`).
#[utoipa::path(delete, path = "/api/conferences/{slug}/members/{user_id}", tag = "conferences",
    params(ConferenceSlug, ("user_id" = Uuid, Path, description = "The member's account id")),
    responses((status = 204, description = "Removed"),
              (status = 403, description = "Not an organiser of this conference", body = ErrorBody),
              (status = 404, description = "No such member", body = ErrorBody),
              (status = 409, description = "This would leave the conference without an organiser", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn remove_member(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    AppPath((_slug, user_id)): AppPath<(String, Uuid)>,
) -> AppResult<StatusCode> {
    access.require(ConferenceRole::Organiser)?;
    let mut tx = db.begin().await?;
    keep_an_organiser(&mut tx, access.conference_id, user_id).await?;
    let role = sqlx::query_scalar!(
        r#"delete from conference_members where conference_id = $1 and user_id = $2
           returning role as "role: ConferenceRole""#,
        access.conference_id,
        user_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound("member"))?;
    // Their live subscriptions to the conference's rooms end within a second.
    access_changes::person(&mut *tx, user_id, Some(access.conference_id)).await?;
    crate::audit::record(
        &mut *tx,
        access.conference_id,
        access.user.id,
        "member.remove",
        serde_json::json!({"user_id": user_id, "role": role}),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Refuses a change that would leave the conference without an organiser, `user_id` being
/// the one who stops being one. Locks the organiser rows, so two organisers demoting or
/// removing each other cannot both succeed.
async fn keep_an_organiser(
    tx: &mut PgConnection,
    conference_id: Uuid,
    user_id: Uuid,
) -> AppResult<()> {
    let organisers = sqlx::query_scalar!(
        "select user_id from conference_members where conference_id = $1 and role = 'organiser' for update",
        conference_id
    )
    .fetch_all(tx)
    .await?;
    if organisers == [user_id] {
        return Err(AppError::conflict(ConflictReason::LastOrganiser));
    }
    Ok(())
}

/// Members matching an optional ILIKE pattern, role and user id.
async fn fetch_members(
    db: impl PgExecutor<'_>,
    conference_id: Uuid,
    pattern: Option<String>,
    role: Option<ConferenceRole>,
    user_id: Option<Uuid>,
) -> AppResult<Vec<Member>> {
    let members = sqlx::query_as!(
        Member,
        r#"select u.id as user_id, u.display_name, u.email, m.role as "role: ConferenceRole",
                  coalesce(p.organisation, '') as "organisation!", p.country
           from conference_members m
           join users u on u.id = m.user_id
           left join profiles p on p.user_id = u.id
           where m.conference_id = $1
             and ($2::text is null or u.display_name ilike $2 or u.email ilike $2 or p.organisation ilike $2)
             and ($3::conference_role is null or m.role = $3)
             and ($4::uuid is null or m.user_id = $4)
           order by u.display_name
           limit 200"#,
        conference_id,
        pattern,
        role as Option<ConferenceRole>,
        user_id
    )
    .fetch_all(db)
    .await?;
    Ok(members)
}
