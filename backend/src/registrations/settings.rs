//! How a conference takes registrations: published or still a draft, its capacity, manual
//! or automatic approval, and how long a seat offered from the waitlist is held.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use utoipa::ToSchema;

use super::seats::{self, lock_rules, ApprovalMode, SeatCount};
use crate::conference::{ConferenceAccess, ConferenceRole, ConferenceSlug};
use crate::error::{AppError, AppResult, ConflictReason, ErrorBody, Problem};
use crate::http::{AfterRoleCheck, AppJson};
use crate::realtime::log::EventTx;
use crate::realtime::Realtime;

const MAX_CAPACITY: i32 = 100_000;
const OFFER_HOURS: std::ops::RangeInclusive<i32> = 1..=336;

/// What organisers set.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"published": true, "capacity": 900, "approval": "automatic", "offer_hours": 48}))]
pub struct RegistrationSettings {
    /// Until published, the conference is a draft only its organisers see.
    pub published: bool,
    /// Seats for attendees; `null` for no limit. Always present: a PUT sets every setting.
    #[serde(deserialize_with = "Option::deserialize")]
    #[schema(required = true, minimum = 1, maximum = 100000)]
    pub capacity: Option<i32>,
    pub approval: ApprovalMode,
    /// How long someone offered a seat from the waitlist has to take it, in hours.
    #[schema(minimum = 1, maximum = 336)]
    pub offer_hours: i32,
}

/// The settings with the seats as they are used now.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationState {
    pub settings: RegistrationSettings,
    pub seats: SeatCount,
}

async fn current(db: &mut PgConnection, conference_id: uuid::Uuid) -> AppResult<RegistrationState> {
    let settings = sqlx::query_as!(
        RegistrationSettings,
        r#"select published, capacity, approval as "approval: ApprovalMode", offer_hours
           from conferences where id = $1"#,
        conference_id
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::NotFound("conference"))?;
    let rules = seats::SeatRules {
        conference_id,
        capacity: settings.capacity,
        approval: settings.approval,
        offer_hours: settings.offer_hours,
    };
    let seats = seats::count(db, &rules).await?;
    Ok(RegistrationState { settings, seats })
}

/// The conference's registration settings and seats. Organisers only.
#[utoipa::path(get, path = "/api/conferences/{slug}/registration-settings", tag = "registrations",
    operation_id = "registration_settings",
    params(ConferenceSlug),
    responses((status = 200, description = "The settings and seats", body = RegistrationState),
              (status = 403, description = "Not an organiser of this conference", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn show(
    State(db): State<PgPool>,
    access: ConferenceAccess,
) -> AppResult<Json<RegistrationState>> {
    access.require(ConferenceRole::Organiser)?;
    let mut conn = db.acquire().await?;
    Ok(Json(current(&mut conn, access.conference_id).await?))
}

/// Sets how the conference takes registrations. Organisers only. A capacity may not fall
/// below the seats taken and held for delegations; seats it adds are offered to the waitlist.
#[utoipa::path(put, path = "/api/conferences/{slug}/registration-settings", tag = "registrations",
    operation_id = "update_registration_settings",
    params(ConferenceSlug),
    request_body = RegistrationSettings,
    responses((status = 200, description = "The settings and seats now", body = RegistrationState),
              (status = 403, description = "Not an organiser of this conference", body = ErrorBody),
              (status = 409, description = "The capacity is below the seats taken and held", body = ErrorBody),
              (status = 422, description = "A field breaks a rule", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn update(
    State(db): State<PgPool>,
    State(realtime): State<Realtime>,
    access: ConferenceAccess,
    body: AfterRoleCheck<AppJson<RegistrationSettings>>,
) -> AppResult<Json<RegistrationState>> {
    access.require(ConferenceRole::Organiser)?;
    let AppJson(settings) = body?;
    if settings
        .capacity
        .is_some_and(|capacity| !(1..=MAX_CAPACITY).contains(&capacity))
    {
        return Err(AppError::field(
            "capacity",
            Problem::OutOfRange {
                min: 1,
                max: MAX_CAPACITY.into(),
            },
        ));
    }
    if !OFFER_HOURS.contains(&settings.offer_hours) {
        return Err(AppError::field(
            "offer_hours",
            Problem::OutOfRange {
                min: (*OFFER_HOURS.start()).into(),
                max: (*OFFER_HOURS.end()).into(),
            },
        ));
    }
    let mut etx = EventTx::begin(&db).await?;
    lock_rules(etx.conn(), access.conference_id).await?;
    sqlx::query!(
        "update conferences set published = $2, capacity = $3, approval = $4, offer_hours = $5, updated_at = now()
         where id = $1",
        access.conference_id,
        settings.published,
        settings.capacity,
        settings.approval as ApprovalMode,
        settings.offer_hours
    )
    .execute(etx.conn())
    .await?;
    let rules = lock_rules(etx.conn(), access.conference_id).await?;
    let seats = seats::count(etx.conn(), &rules).await?;
    let held = seats.held_for_delegations + seats.taken_open;
    if settings
        .capacity
        .is_some_and(|capacity| held > i64::from(capacity))
    {
        return Err(AppError::conflict(ConflictReason::CapacityBelowTaken));
    }
    seats::offer_open_seats(&mut etx, &rules).await?;
    crate::audit::record(
        etx.conn(),
        access.conference_id,
        access.user.id,
        "registration.settings",
        serde_json::to_value(&settings).map_err(anyhow::Error::from)?,
    )
    .await?;
    let state = current(etx.conn(), access.conference_id).await?;
    etx.commit(&realtime.hub).await?;
    Ok(Json(state))
}
