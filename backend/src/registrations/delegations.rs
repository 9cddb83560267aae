//! Delegations: a federation or a region registering together ("Flemish industry
//! federations", "Bourgogne-Franche-Comté"). An organiser sets its seats — held for it out
//! of the conference's capacity — and its invite code; its members register with the code
//! and are approved at once while seats last. Its lead has a portal: the seats used and
//! left, the members and where each stands, and releasing a member's seat for a substitute.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use rand::Rng;
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use utoipa::ToSchema;
use uuid::Uuid;

use super::seats::{self, lock_rules, move_to, Placed, RegistrationStatus, SeatRules};
use crate::conference::{ConferenceAccess, ConferenceRole, ConferenceSlug};
use crate::error::{AppError, AppResult, ConflictReason, ErrorBody, Problem};
use crate::http::{AfterRoleCheck, AppJson, AppPath};
use crate::realtime::log::EventTx;
use crate::realtime::Realtime;

/// A delegation with its seats in use.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "4e0a1c6b-8f1e-4b77-9c2d-1f0f5b9c2a10",
    "name": "Flemish industry federations",
    "seats": 12,
    "code": "K7QX2M9PLA",
    "lead": {"user_id": "0b5cdbb5-6f0e-4a59-9d55-2d1e0c7a51f3", "display_name": "Anna Peeters", "email": "anna@example.eu"},
    "used": 5
}))]
pub struct Delegation {
    pub id: Uuid,
    pub name: String,
    pub seats: i32,
    /// The invite code its members register with.
    pub code: String,
    #[schema(required = true)]
    pub lead: Option<DelegationLead>,
    /// Seats its approved (or offered) members hold.
    pub used: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DelegationLead {
    pub user_id: Uuid,
    pub display_name: String,
    pub email: String,
}

/// What organisers set on a delegation.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"name": "Flemish industry federations", "seats": 12, "lead_email": "anna@example.eu"}))]
pub struct DelegationInput {
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(minimum = 1, maximum = 1000)]
    pub seats: i32,
    /// The lead's account e-mail; blank or null for none yet.
    #[serde(default)]
    #[schema(max_length = 254)]
    pub lead_email: Option<String>,
}

/// A member of a delegation, as its lead sees them.
#[derive(Debug, Serialize, ToSchema)]
pub struct DelegationMember {
    pub registration_id: Uuid,
    pub display_name: String,
    pub email: String,
    pub organisation: String,
    pub status: RegistrationStatus,
    /// On one of the delegation's seats (beyond them, members register as everyone does).
    pub on_delegation_seat: bool,
}

/// The lead's portal.
#[derive(Debug, Serialize, ToSchema)]
pub struct DelegationPortal {
    pub conference_slug: String,
    pub delegation: Delegation,
    pub seats_left: i64,
    pub members: Vec<DelegationMember>,
}

/// A delegation found by its invite code, for the registration form.
#[derive(Debug, Serialize, ToSchema)]
pub struct DelegationInvite {
    pub name: String,
    pub seats_left: i64,
}

const NAME_MAX_CHARS: usize = 200;
const MAX_SEATS: i32 = 1000;
/// Most delegations per conference.
const MAX_DELEGATIONS: i64 = 500;
/// Invite codes: 10 characters without look-alikes (no 0/O, 1/I/L), about 49 bits.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const CODE_LEN: usize = 10;

fn new_code() -> String {
    let mut rng = rand::rngs::OsRng;
    (0..CODE_LEN)
        .map(|_| char::from(CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())]))
        .collect()
}

/// The delegation with invite `code` in the conference, with its seats in use.
pub(super) async fn delegation_by_code(
    db: &mut PgConnection,
    conference_id: Uuid,
    code: &str,
) -> AppResult<Option<Delegation>> {
    Ok(fetch(db, conference_id, None, Some(&code.to_uppercase()))
        .await?
        .pop())
}

async fn fetch(
    db: &mut PgConnection,
    conference_id: Uuid,
    id: Option<Uuid>,
    code: Option<&str>,
) -> AppResult<Vec<Delegation>> {
    let rows = sqlx::query!(
        r#"select d.id, d.name, d.seats, d.code, d.lead_id, u.display_name as "lead_name?", u.email as "lead_email?",
                  (select count(*) from registrations r
                    where r.delegation_id = d.id and r.delegation_seat and r.status in ('approved', 'offered')) as "used!"
           from delegations d left join users u on u.id = d.lead_id
           where d.conference_id = $1 and ($2::uuid is null or d.id = $2) and ($3::text is null or d.code = $3)
           order by d.name"#,
        conference_id,
        id,
        code
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| Delegation {
            id: row.id,
            name: row.name,
            seats: row.seats,
            code: row.code,
            lead: match (row.lead_id, row.lead_name, row.lead_email) {
                (Some(user_id), Some(display_name), Some(email)) => Some(DelegationLead {
                    user_id,
                    display_name,
                    email,
                }),
                _ => None,
            },
            used: row.used,
        })
        .collect())
}

async fn one(db: &mut PgConnection, conference_id: Uuid, id: Uuid) -> AppResult<Delegation> {
    fetch(db, conference_id, Some(id), None)
        .await?
        .pop()
        .ok_or(AppError::NotFound("delegation"))
}

/// The input checked, with the lead's account id.
async fn checked(
    db: &mut PgConnection,
    input: DelegationInput,
) -> AppResult<(String, i32, Option<Uuid>)> {
    let name = input.name.trim().to_owned();
    if name.is_empty() {
        return Err(AppError::field("name", Problem::Required));
    }
    if name.chars().count() > NAME_MAX_CHARS {
        return Err(AppError::field(
            "name",
            Problem::TooLong {
                max: NAME_MAX_CHARS,
            },
        ));
    }
    if !(1..=MAX_SEATS).contains(&input.seats) {
        return Err(AppError::field(
            "seats",
            Problem::OutOfRange {
                min: 1,
                max: MAX_SEATS.into(),
            },
        ));
    }
    let lead = match input
        .lead_email
        .as_deref()
        .map(|email| email.trim().to_lowercase())
    {
        Some(email) if !email.is_empty() => Some(
            sqlx::query_scalar!("select id from users where email = $1", email)
                .fetch_optional(db)
                .await?
                .ok_or(AppError::field(
                    "lead_email",
                    Problem::Invalid {
                        detail: "no account has this e-mail address".to_owned(),
                    },
                ))?,
        ),
        _ => None,
    };
    Ok((name, input.seats, lead))
}

/// Refuses seats the conference cannot hold: with a capacity, the seats held for every
/// delegation and those taken on open seats must fit in it.
async fn check_fits(db: &mut PgConnection, rules: &SeatRules) -> AppResult<()> {
    let seats = seats::count(db, rules).await?;
    let held = seats.held_for_delegations + seats.taken_open;
    if seats
        .capacity
        .is_some_and(|capacity| held > i64::from(capacity))
    {
        return Err(AppError::conflict(
            ConflictReason::DelegationSeatsBeyondCapacity,
        ));
    }
    Ok(())
}

/// The conference's delegations. Organisers only.
#[utoipa::path(get, path = "/api/conferences/{slug}/delegations", tag = "registrations",
    operation_id = "list_delegations",
    params(ConferenceSlug),
    responses((status = 200, description = "The delegations, by name", body = [Delegation]),
              (status = 403, description = "Not an organiser of this conference", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(db): State<PgPool>,
    access: ConferenceAccess,
) -> AppResult<Json<Vec<Delegation>>> {
    access.require(ConferenceRole::Organiser)?;
    let mut conn = db.acquire().await?;
    Ok(Json(
        fetch(&mut conn, access.conference_id, None, None).await?,
    ))
}

/// Creates a delegation with a fresh invite code. Organisers only.
#[utoipa::path(post, path = "/api/conferences/{slug}/delegations", tag = "registrations",
    operation_id = "create_delegation",
    params(ConferenceSlug),
    request_body = DelegationInput,
    responses((status = 201, description = "The new delegation", body = Delegation),
              (status = 403, description = "Not an organiser of this conference", body = ErrorBody),
              (status = 409, description = "The name is taken, or the conference cannot hold the seats", body = ErrorBody),
              (status = 422, description = "A field breaks a rule", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn create(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    body: AfterRoleCheck<AppJson<DelegationInput>>,
) -> AppResult<(StatusCode, Json<Delegation>)> {
    access.require(ConferenceRole::Organiser)?;
    let AppJson(input) = body?;
    let mut tx = db.begin().await?;
    let (name, seats, lead) = checked(&mut tx, input).await?;
    let rules = lock_rules(&mut tx, access.conference_id).await?;
    let existing = sqlx::query_scalar!(
        r#"select count(*) as "count!" from delegations where conference_id = $1"#,
        access.conference_id
    )
    .fetch_one(&mut *tx)
    .await?;
    if existing >= MAX_DELEGATIONS {
        return Err(AppError::field(
            "name",
            Problem::TooMany {
                max: MAX_DELEGATIONS as usize,
            },
        ));
    }
    let id = Uuid::new_v4();
    sqlx::query!(
        "insert into delegations (id, conference_id, name, seats, code, lead_id) values ($1, $2, $3, $4, $5, $6)",
        id,
        access.conference_id,
        name,
        seats,
        new_code(),
        lead
    )
    .execute(&mut *tx)
    .await
    .map_err(AppError::on_constraint("delegations_name_key", || AppError::Taken { field: "name" }))?;
    check_fits(&mut tx, &rules).await?;
    crate::audit::record(
        &mut *tx,
        access.conference_id,
        access.user.id,
        "delegation.create",
        serde_json::json!({"delegation_id": id, "seats": seats}),
    )
    .await?;
    let delegation = one(&mut tx, access.conference_id, id).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(delegation)))
}

/// Renames a delegation, changes its seats (never below those in use) or its lead.
/// Organisers only. Seats given back are offered to the waitlist.
#[utoipa::path(put, path = "/api/conferences/{slug}/delegations/{id}", tag = "registrations",
    operation_id = "update_delegation",
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The delegation's id")),
    request_body = DelegationInput,
    responses((status = 200, description = "The delegation now", body = Delegation),
              (status = 403, description = "Not an organiser of this conference", body = ErrorBody),
              (status = 404, description = "No such delegation", body = ErrorBody),
              (status = 409, description = "The name is taken, or the seats are in use or beyond the capacity", body = ErrorBody),
              (status = 422, description = "A field breaks a rule", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn update(
    State(db): State<PgPool>,
    State(realtime): State<Realtime>,
    access: ConferenceAccess,
    AppPath((_slug, id)): AppPath<(String, Uuid)>,
    body: AfterRoleCheck<AppJson<DelegationInput>>,
) -> AppResult<Json<Delegation>> {
    access.require(ConferenceRole::Organiser)?;
    let AppJson(input) = body?;
    let mut etx = EventTx::begin(&db).await?;
    let (name, seats, lead) = checked(etx.conn(), input).await?;
    let rules = lock_rules(etx.conn(), access.conference_id).await?;
    let before = one(etx.conn(), access.conference_id, id).await?;
    if i64::from(seats) < before.used {
        return Err(AppError::conflict(ConflictReason::DelegationSeatsInUse));
    }
    sqlx::query!(
        "update delegations set name = $2, seats = $3, lead_id = $4 where id = $1",
        id,
        name,
        seats,
        lead
    )
    .execute(etx.conn())
    .await
    .map_err(AppError::on_constraint("delegations_name_key", || {
        AppError::Taken { field: "name" }
    }))?;
    check_fits(etx.conn(), &rules).await?;
    seats::offer_open_seats(&mut etx, &rules).await?;
    crate::audit::record(
        etx.conn(),
        access.conference_id,
        access.user.id,
        "delegation.update",
        serde_json::json!({"delegation_id": id, "seats": seats}),
    )
    .await?;
    let delegation = one(etx.conn(), access.conference_id, id).await?;
    etx.commit(&realtime.hub).await?;
    Ok(Json(delegation))
}

/// Deletes a delegation. Organisers only. Its members keep their registrations, on open
/// seats; the seats it held and did not use are offered to the waitlist.
#[utoipa::path(delete, path = "/api/conferences/{slug}/delegations/{id}", tag = "registrations",
    operation_id = "delete_delegation",
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The delegation's id")),
    responses((status = 204, description = "Deleted"),
              (status = 403, description = "Not an organiser of this conference", body = ErrorBody),
              (status = 404, description = "No such delegation", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn delete(
    State(db): State<PgPool>,
    State(realtime): State<Realtime>,
    access: ConferenceAccess,
    AppPath((_slug, id)): AppPath<(String, Uuid)>,
) -> AppResult<StatusCode> {
    access.require(ConferenceRole::Organiser)?;
    let mut etx = EventTx::begin(&db).await?;
    let rules = lock_rules(etx.conn(), access.conference_id).await?;
    one(etx.conn(), access.conference_id, id).await?;
    sqlx::query!(
        "update registrations set delegation_seat = false where delegation_id = $1",
        id
    )
    .execute(etx.conn())
    .await?;
    sqlx::query!("delete from delegations where id = $1", id)
        .execute(etx.conn())
        .await?;
    seats::offer_open_seats(&mut etx, &rules).await?;
    crate::audit::record(
        etx.conn(),
        access.conference_id,
        access.user.id,
        "delegation.delete",
        serde_json::json!({"delegation_id": id}),
    )
    .await?;
    etx.commit(&realtime.hub).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Only the delegation's lead and the conference's organisers see its portal.
async fn require_lead(
    db: &mut PgConnection,
    access: &ConferenceAccess,
    id: Uuid,
) -> AppResult<Delegation> {
    let delegation = one(db, access.conference_id, id).await?;
    let is_lead = delegation
        .lead
        .as_ref()
        .is_some_and(|lead| lead.user_id == access.user.id);
    if !is_lead && !access.is_at_least(ConferenceRole::Organiser) {
        // Another delegation's portal stays secret.
        return Err(AppError::NotFound("delegation"));
    }
    Ok(delegation)
}

/// A delegation's portal: seats used and left, and its members. Its lead and organisers.
#[utoipa::path(get, path = "/api/conferences/{slug}/delegations/{id}/portal", tag = "registrations",
    operation_id = "delegation_portal",
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The delegation's id")),
    responses((status = 200, description = "The portal", body = DelegationPortal),
              (status = 404, description = "No such delegation, or the caller does not lead it", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn portal(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    AppPath((slug, id)): AppPath<(String, Uuid)>,
) -> AppResult<Json<DelegationPortal>> {
    let mut conn = db.acquire().await?;
    let delegation = require_lead(&mut conn, &access, id).await?;
    let members = sqlx::query_as!(
        DelegationMember,
        r#"select r.id as registration_id, u.display_name, u.email,
                  coalesce(p.organisation, '') as "organisation!", r.status as "status: RegistrationStatus",
                  r.delegation_seat as on_delegation_seat
           from registrations r join users u on u.id = r.user_id left join profiles p on p.user_id = r.user_id
           where r.delegation_id = $1
           order by r.status = 'cancelled', u.display_name"#,
        id
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(Json(DelegationPortal {
        conference_slug: slug,
        seats_left: (i64::from(delegation.seats) - delegation.used).max(0),
        delegation,
        members,
    }))
}

/// Releases a member's seat so a substitute can take it with the code: their registration
/// is cancelled. The delegation's lead and organisers.
#[utoipa::path(post, path = "/api/conferences/{slug}/delegations/{id}/members/{registration_id}/release", tag = "registrations",
    operation_id = "release_delegation_seat",
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The delegation's id"),
           ("registration_id" = Uuid, Path, description = "The member's registration")),
    responses((status = 200, description = "The portal now", body = DelegationPortal),
              (status = 404, description = "No such delegation or member, or the caller does not lead it", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn release(
    State(db): State<PgPool>,
    State(realtime): State<Realtime>,
    access: ConferenceAccess,
    AppPath((slug, id, registration_id)): AppPath<(String, Uuid, Uuid)>,
) -> AppResult<Json<DelegationPortal>> {
    let mut etx = EventTx::begin(&db).await?;
    require_lead(etx.conn(), &access, id).await?;
    let rules = lock_rules(etx.conn(), access.conference_id).await?;
    let member = sqlx::query_as!(
        Placed,
        r#"select id, user_id, status as "status: RegistrationStatus", delegation_seat from registrations
           where id = $1 and delegation_id = $2"#,
        registration_id,
        id
    )
    .fetch_optional(etx.conn())
    .await?
    .ok_or(AppError::NotFound("member"))?;
    if member.status != RegistrationStatus::Rejected {
        move_to(&mut etx, &rules, &member, RegistrationStatus::Cancelled).await?;
    }
    crate::audit::record(
        etx.conn(),
        access.conference_id,
        access.user.id,
        "delegation.release",
        serde_json::json!({"delegation_id": id, "registration_id": registration_id}),
    )
    .await?;
    etx.commit(&realtime.hub).await?;
    portal(State(db), access, AppPath((slug, id))).await
}

/// A delegation by its invite code, for the registration form: its name and seats left.
#[utoipa::path(get, path = "/api/conferences/{slug}/delegations/by-code/{code}", tag = "registrations",
    operation_id = "delegation_invite",
    params(ConferenceSlug, ("code" = String, Path, description = "The invite code")),
    responses((status = 200, description = "The delegation", body = DelegationInvite),
              (status = 404, description = "No delegation has this code here", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn invite(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    AppPath((_slug, code)): AppPath<(String, String)>,
) -> AppResult<Json<DelegationInvite>> {
    let mut conn = db.acquire().await?;
    let code: String = code.chars().take(40).collect();
    let delegation = delegation_by_code(&mut conn, access.conference_id, code.trim())
        .await?
        .ok_or(AppError::NotFound("delegation"))?;
    Ok(Json(DelegationInvite {
        seats_left: (i64::from(delegation.seats) - delegation.used).max(0),
        name: delegation.name,
    }))
}
