//! A person's own registration: register (through a delegation's code or not), see where
//! it stands, take or decline a seat offered from the waitlist, cancel.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use utoipa::ToSchema;
use uuid::Uuid;

use super::delegations::delegation_by_code;
use super::mail::mail_language;
use super::questions::{self, Answers};
use super::seats::{self, lock_rules, move_to, Placed, RegistrationStatus};
use crate::conference::{ConferenceAccess, ConferenceSlug};
use crate::error::{AppError, AppResult, ConflictReason, ErrorBody, Problem};
use crate::http::{AfterRoleCheck, AppJson};
use crate::realtime::log::EventTx;
use crate::realtime::Realtime;
use crate::text::is_language_code;

/// The caller's registration.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0c8f2a57-1c4e-4f43-9d71-6f2f8e0c1a11",
    "status": "waitlisted",
    "delegation": null,
    "answers": {},
    "waitlist_position": 12,
    "offer_expires_at": null,
    "created_at": "2026-11-20T09:30:00Z"
}))]
pub struct MyRegistration {
    pub id: Uuid,
    pub status: RegistrationStatus,
    /// The delegation they registered through, by name.
    #[schema(required = true)]
    pub delegation: Option<String>,
    #[schema(value_type = std::collections::HashMap<String, serde_json::Value>)]
    pub answers: Answers,
    /// Their place on the waitlist (1 is next), while waitlisted.
    #[schema(required = true)]
    pub waitlist_position: Option<i64>,
    /// Until when the seat offered to them is held, while offered.
    #[schema(required = true)]
    pub offer_expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// A registration request.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"answers": {}, "delegation_code": "FLANDERS-7QX2"}))]
pub struct RegistrationInput {
    /// Answers to the form's questions (`GET …/registration-questions`), by question id: a
    /// text, an option's index, a list of option indexes, or true/false.
    #[serde(default)]
    #[schema(value_type = std::collections::HashMap<String, serde_json::Value>)]
    pub answers: Answers,
    /// A delegation's invite code: its members are approved at once, up to its seats.
    #[serde(default)]
    #[schema(max_length = 40)]
    pub delegation_code: Option<String>,
    /// The language the registrant reads (ISO 639-1), for the e-mails about their
    /// registration; English when it is not one of the platform's.
    #[serde(default)]
    #[schema(example = "fr", pattern = "^[a-z]{2}$")]
    pub language: Option<String>,
}

/// Whether the registrant takes the seat offered to them.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"accept": true}))]
pub struct OfferReply {
    pub accept: bool,
}

pub(super) async fn load(
    db: &mut PgConnection,
    conference_id: Uuid,
    user_id: Uuid,
) -> AppResult<Option<MyRegistration>> {
    let row = sqlx::query!(
        r#"select r.id, r.status as "status: RegistrationStatus", d.name as "delegation?",
                  r.answers as "answers: sqlx::types::Json<Answers>", r.offer_expires_at, r.created_at,
                  case when r.status = 'waitlisted' then
                      (select count(*) from registrations w
                        where w.conference_id = r.conference_id and w.status = 'waitlisted'
                          and (w.waitlisted_at, w.created_at) <= (r.waitlisted_at, r.created_at))
                  end as waitlist_position
           from registrations r left join delegations d on d.id = r.delegation_id
           where r.conference_id = $1 and r.user_id = $2"#,
        conference_id,
        user_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|row| MyRegistration {
        id: row.id,
        status: row.status,
        delegation: row.delegation,
        answers: row.answers.0,
        waitlist_position: row.waitlist_position,
        offer_expires_at: row.offer_expires_at,
        created_at: row.created_at,
    }))
}

async fn placed(
    db: &mut PgConnection,
    conference_id: Uuid,
    user_id: Uuid,
) -> AppResult<Option<Placed>> {
    Ok(sqlx::query_as!(
        Placed,
        r#"select id, user_id, status as "status: RegistrationStatus", delegation_seat from registrations
           where conference_id = $1 and user_id = $2"#,
        conference_id,
        user_id
    )
    .fetch_optional(db)
    .await?)
}

/// The caller's registration, wherever it stands.
#[utoipa::path(get, path = "/api/conferences/{slug}/registration", tag = "registrations",
    operation_id = "my_registration",
    params(ConferenceSlug),
    responses((status = 200, description = "The caller's registration", body = MyRegistration),
              (status = 404, description = "No such conference, or the caller has not registered", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn mine(
    State(db): State<PgPool>,
    access: ConferenceAccess,
) -> AppResult<Json<MyRegistration>> {
    let mut conn = db.acquire().await?;
    load(&mut conn, access.conference_id, access.user.id)
        .await?
        .map(Json)
        .ok_or(AppError::NotFound("registration"))
}

/// Registers the caller. Through a delegation's code they are approved at once while the
/// delegation has seats; otherwise automatic approval approves them while open seats last
/// (and nobody waits before them) and waitlists them after, and manual approval leaves
/// them pending an organiser. Someone who cancelled may register again.
#[utoipa::path(post, path = "/api/conferences/{slug}/registration", tag = "registrations",
    operation_id = "register",
    params(ConferenceSlug),
    request_body = RegistrationInput,
    responses((status = 201, description = "Registered: the registration as it stands", body = MyRegistration),
              (status = 404, description = "No such conference (or not published yet), or no such delegation code", body = ErrorBody),
              (status = 409, description = "Already registered or a member, or declined by the organisers", body = ErrorBody),
              (status = 422, description = "An answer breaks a rule", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn register(
    State(db): State<PgPool>,
    State(realtime): State<Realtime>,
    access: ConferenceAccess,
    body: AfterRoleCheck<AppJson<RegistrationInput>>,
) -> AppResult<(StatusCode, Json<MyRegistration>)> {
    let AppJson(input) = body?;
    if input
        .language
        .as_deref()
        .is_some_and(|language| !is_language_code(language))
    {
        return Err(AppError::field(
            "language",
            Problem::LanguageCode {
                value: input.language.clone().unwrap_or_default(),
            },
        ));
    }
    let mut etx = EventTx::begin(&db).await?;
    let published = sqlx::query_scalar!(
        "select published from conferences where id = $1",
        access.conference_id
    )
    .fetch_one(etx.conn())
    .await?;
    if !published {
        return Err(AppError::NotFound("conference"));
    }
    let questions = questions::fetch(etx.conn(), access.conference_id).await?;
    let answers = questions::check_answers(&questions, input.answers)?;
    let rules = lock_rules(etx.conn(), access.conference_id).await?;
    let existing = placed(etx.conn(), access.conference_id, access.user.id).await?;
    match existing.as_ref().map(|placed| placed.status) {
        None if access.role.is_some() => {
            return Err(AppError::conflict(ConflictReason::AlreadyMember))
        }
        None | Some(RegistrationStatus::Cancelled) => {}
        Some(RegistrationStatus::Rejected) => {
            return Err(AppError::conflict(ConflictReason::RegistrationRejected))
        }
        Some(_) => return Err(AppError::conflict(ConflictReason::AlreadyRegistered)),
    }
    let delegation = match input.delegation_code.as_deref().map(str::trim) {
        Some(code) if !code.is_empty() => Some(
            delegation_by_code(etx.conn(), access.conference_id, code)
                .await?
                .ok_or(AppError::NotFound("delegation"))?,
        ),
        _ => None,
    };
    let delegation_seat_free = delegation
        .as_ref()
        .is_some_and(|delegation| delegation.used < i64::from(delegation.seats));
    let (status, delegation_seat) =
        seats::starting_status(etx.conn(), &rules, delegation_seat_free).await?;
    let delegation_id = delegation.as_ref().map(|delegation| delegation.id);
    let language = mail_language(input.language.as_deref().unwrap_or_default());
    // Placed first as cancelled, then moved: the move keeps membership and notices in step.
    let id = sqlx::query_scalar!(
        r#"insert into registrations (id, conference_id, user_id, status, delegation_id, delegation_seat, answers, language)
           values ($1, $2, $3, 'cancelled', $4, $5, $6, $7)
           on conflict (conference_id, user_id) do update
             set delegation_id = excluded.delegation_id, delegation_seat = excluded.delegation_seat,
                 answers = excluded.answers, language = excluded.language, created_at = now(), updated_at = now()
           returning id"#,
        Uuid::new_v4(),
        access.conference_id,
        access.user.id,
        delegation_id,
        delegation_seat,
        sqlx::types::Json(&answers) as _,
        language
    )
    .fetch_one(etx.conn())
    .await?;
    let fresh = Placed {
        id,
        user_id: access.user.id,
        status: RegistrationStatus::Cancelled,
        delegation_seat,
    };
    move_to(&mut etx, &rules, &fresh, status).await?;
    crate::audit::record(
        etx.conn(),
        access.conference_id,
        access.user.id,
        "registration.create",
        serde_json::json!({"registration_id": id, "status": status, "delegation_id": delegation_id}),
    )
    .await?;
    let registration = load(etx.conn(), access.conference_id, access.user.id)
        .await?
        .ok_or(AppError::NotFound("registration"))?;
    etx.commit(&realtime.hub).await?;
    Ok((StatusCode::CREATED, Json(registration)))
}

/// Takes or declines the seat offered to the caller from the waitlist. Declining cancels
/// the registration; the seat goes to the next person waiting.
#[utoipa::path(post, path = "/api/conferences/{slug}/registration/offer", tag = "registrations",
    operation_id = "reply_to_offer",
    params(ConferenceSlug),
    request_body = OfferReply,
    responses((status = 200, description = "The registration now", body = MyRegistration),
              (status = 404, description = "No such conference, or the caller has not registered", body = ErrorBody),
              (status = 409, description = "No seat is on offer to the caller (or the offer ran out)", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn reply_to_offer(
    State(db): State<PgPool>,
    State(realtime): State<Realtime>,
    access: ConferenceAccess,
    body: AfterRoleCheck<AppJson<OfferReply>>,
) -> AppResult<Json<MyRegistration>> {
    let AppJson(reply) = body?;
    let mut etx = EventTx::begin(&db).await?;
    let rules = lock_rules(etx.conn(), access.conference_id).await?;
    let registration = placed(etx.conn(), access.conference_id, access.user.id)
        .await?
        .ok_or(AppError::NotFound("registration"))?;
    let offer_open = sqlx::query_scalar!(
        r#"select offer_expires_at > now() as "open!" from registrations where id = $1 and status = 'offered'"#,
        registration.id
    )
    .fetch_optional(etx.conn())
    .await?
    .unwrap_or(false);
    if !offer_open {
        return Err(AppError::conflict(ConflictReason::NoOffer));
    }
    let to = if reply.accept {
        RegistrationStatus::Approved
    } else {
        RegistrationStatus::Cancelled
    };
    move_to(&mut etx, &rules, &registration, to).await?;
    crate::audit::record(
        etx.conn(),
        access.conference_id,
        access.user.id,
        "registration.offer_reply",
        serde_json::json!({"registration_id": registration.id, "accept": reply.accept}),
    )
    .await?;
    let now = load(etx.conn(), access.conference_id, access.user.id)
        .await?
        .ok_or(AppError::NotFound("registration"))?;
    etx.commit(&realtime.hub).await?;
    Ok(Json(now))
}

/// Cancels the caller's registration; a seat it held goes to the next person waiting.
#[utoipa::path(delete, path = "/api/conferences/{slug}/registration", tag = "registrations",
    operation_id = "cancel_registration",
    params(ConferenceSlug),
    responses((status = 204, description = "Cancelled"),
              (status = 404, description = "No such conference, or the caller has not registered", body = ErrorBody),
              (status = 409, description = "Declined by the organisers: nothing to cancel", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn cancel(
    State(db): State<PgPool>,
    State(realtime): State<Realtime>,
    access: ConferenceAccess,
) -> AppResult<StatusCode> {
    let mut etx = EventTx::begin(&db).await?;
    let rules = lock_rules(etx.conn(), access.conference_id).await?;
    let registration = placed(etx.conn(), access.conference_id, access.user.id)
        .await?
        .ok_or(AppError::NotFound("registration"))?;
    if registration.status == RegistrationStatus::Rejected {
        return Err(AppError::conflict(ConflictReason::RegistrationRejected));
    }
    move_to(
        &mut etx,
        &rules,
        &registration,
        RegistrationStatus::Cancelled,
    )
    .await?;
    crate::audit::record(
        etx.conn(),
        access.conference_id,
        access.user.id,
        "registration.cancel",
        serde_json::json!({"registration_id": registration.id}),
    )
    .await?;
    etx.commit(&realtime.hub).await?;
    Ok(StatusCode::NO_CONTENT)
}
