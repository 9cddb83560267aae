//! The caller's own conferences and their role in each.

use axum::extract::State;
use axum::Json;
use serde::Serialize;
use sqlx::PgPool;
use utoipa::ToSchema;
use uuid::Uuid;

use super::access::ConferenceRole;
use crate::auth::AuthUser;
use crate::error::AppResult;

/// One of the caller's conferences.
#[derive(Debug, Serialize, ToSchema)]
pub struct Membership {
    pub conference_id: Uuid,
    pub conference_slug: String,
    pub role: ConferenceRole,
}

/// The conferences the caller has joined, soonest first, with their role in each.
#[utoipa::path(get, path = "/api/me/conferences", tag = "conferences",
    responses((status = 200, description = "The caller's memberships", body = [Membership],
        example = json!([{
            "conference_id": "5f1d4c1e-8a47-4d0c-9a55-0b0a3f5e7c21",
            "conference_slug": "ecc-2026",
            "role": "attendee"
        }]))))]
#[tracing::instrument(skip_all)]
pub async fn my_memberships(
    State(db): State<PgPool>,
    user: AuthUser,
) -> AppResult<Json<Vec<Membership>>> {
    let memberships = sqlx::query_as!(
        Membership,
        r#"select m.conference_id, c.slug as conference_slug, m.role as "role: ConferenceRole"
           from conference_members m join conferences c on c.id = m.conference_id
           where m.user_id = $1 order by c.starts_on"#,
        user.id
    )
    .fetch_all(&db)
    .await?;
    Ok(Json(memberships))
}
