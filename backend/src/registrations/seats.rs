//! The seats and the state machine every registration change goes through.
//!
//! A seat is held by an approved registration, or by an offered one (a waitlisted person
//! offered a seat that frees up, until they take it or the offer runs out). The
//! conference's capacity covers both kinds of seat: its delegations' seats, held for them
//! whether used or not, and the open seats everyone else takes. Every change that takes or
//! frees a seat runs under the conference row's lock ([`lock_rules`]), so two people can
//! never take the last seat, and a freed seat is offered to exactly one person, the first
//! on the waitlist ([`offer_open_seats`]): a promotion is never a race of the whole list.
//!
//! Membership follows approval: entering `approved` makes the person an attendee of the
//! conference, leaving it takes them out (staff keep the roles organisers gave them), and
//! their live rooms learn of it within a second (`access_changes`).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::PgConnection;
use utoipa::ToSchema;
use uuid::Uuid;

use super::mail::StatusMail;
use crate::access_changes;
use crate::error::{AppError, AppResult, ConflictReason};
use crate::mail;
use crate::notifications::notify;
use crate::realtime::hub::Hub;
use crate::realtime::log::EventTx;
use crate::text::LocalizedText;

/// Where a registration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, sqlx::Type)]
#[sqlx(type_name = "registration_status", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum RegistrationStatus {
    /// Waiting for an organiser's decision (manual approval).
    Pending,
    /// A member of the conference.
    Approved,
    /// On the waitlist, in order, for a seat to free up.
    Waitlisted,
    /// Offered a seat that freed up, until `offer_expires_at`.
    Offered,
    Rejected,
    /// Cancelled by the registrant, or an offer they declined or let run out.
    Cancelled,
}

impl RegistrationStatus {
    fn holds_a_seat(self) -> bool {
        matches!(
            self,
            RegistrationStatus::Approved | RegistrationStatus::Offered
        )
    }
}

/// Whether organisers approve each registration or the server does, while seats last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, sqlx::Type)]
#[sqlx(type_name = "approval_mode", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum ApprovalMode {
    Automatic,
    Manual,
}

/// The conference's rules, read under its row lock.
pub(super) struct SeatRules {
    pub(super) conference_id: Uuid,
    pub(super) capacity: Option<i32>,
    pub(super) approval: ApprovalMode,
    pub(super) offer_hours: i32,
}

/// Locks the conference's row for the rest of the transaction (every change to its seats
/// takes this lock first) and reads its rules.
pub(super) async fn lock_rules(db: &mut PgConnection, conference_id: Uuid) -> AppResult<SeatRules> {
    let row = sqlx::query!(
        r#"select capacity, approval as "approval: ApprovalMode", offer_hours
           from conferences where id = $1 for update"#,
        conference_id
    )
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound("conference"))?;
    Ok(SeatRules {
        conference_id,
        capacity: row.capacity,
        approval: row.approval,
        offer_hours: row.offer_hours,
    })
}

/// How the conference's seats are used, read under its lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct SeatCount {
    /// `null` for no limit.
    #[schema(required = true)]
    pub capacity: Option<i32>,
    /// Seats held by approved or offered registrants, on open and delegation seats alike.
    pub taken: i64,
    /// Seats held for delegations, used or not.
    pub held_for_delegations: i64,
    /// Seats taken on open seats (not a delegation's).
    pub taken_open: i64,
    /// Open seats free now; `null` for no limit.
    #[schema(required = true)]
    pub open: Option<i64>,
    pub waitlisted: i64,
}

pub(super) async fn count(db: &mut PgConnection, rules: &SeatRules) -> AppResult<SeatCount> {
    let row = sqlx::query!(
        r#"select
             (select count(*) from registrations
               where conference_id = $1 and status in ('approved', 'offered')) as "taken!",
             (select count(*) from registrations
               where conference_id = $1 and status in ('approved', 'offered') and not delegation_seat) as "open_taken!",
             (select coalesce(sum(seats), 0) from delegations where conference_id = $1) as "held!",
             (select count(*) from registrations
               where conference_id = $1 and status = 'waitlisted') as "waitlisted!""#,
        rules.conference_id
    )
    .fetch_one(db)
    .await?;
    Ok(SeatCount {
        capacity: rules.capacity,
        taken: row.taken,
        held_for_delegations: row.held,
        taken_open: row.open_taken,
        open: rules
            .capacity
            .map(|capacity| (i64::from(capacity) - row.held - row.open_taken).max(0)),
        waitlisted: row.waitlisted,
    })
}

/// One registration as the state machine needs it.
#[derive(Debug, Clone)]
pub(super) struct Placed {
    pub(super) id: Uuid,
    pub(super) user_id: Uuid,
    pub(super) status: RegistrationStatus,
    pub(super) delegation_seat: bool,
}

/// Where a new registration starts: on a delegation seat while the delegation has one,
/// otherwise approved while open seats last and nobody waits before them (automatic
/// approval), waitlisted when they are gone, or pending an organiser (manual approval).
pub(super) async fn starting_status(
    db: &mut PgConnection,
    rules: &SeatRules,
    delegation_seat_free: bool,
) -> AppResult<(RegistrationStatus, bool)> {
    if delegation_seat_free {
        return Ok((RegistrationStatus::Approved, true));
    }
    if rules.approval == ApprovalMode::Manual {
        return Ok((RegistrationStatus::Pending, false));
    }
    let seats = count(db, rules).await?;
    let seat_free = seats.open.is_none_or(|open| open > 0) && seats.waitlisted == 0;
    Ok((
        if seat_free {
            RegistrationStatus::Approved
        } else {
            RegistrationStatus::Waitlisted
        },
        false,
    ))
}

/// Moves `registration` to `to` under the conference's lock: keeps the membership in step,
/// tells the person, and offers any seat this frees to the waitlist. A move to `approved`
/// that needs an open seat when none is free is refused (`conference_full`).
pub(super) async fn move_to(
    etx: &mut EventTx,
    rules: &SeatRules,
    registration: &Placed,
    to: RegistrationStatus,
) -> AppResult<()> {
    let from = registration.status;
    if from == to {
        return Ok(());
    }
    let needs_open_seat =
        to == RegistrationStatus::Approved && !from.holds_a_seat() && !registration.delegation_seat;
    if needs_open_seat && count(etx.conn(), rules).await?.open == Some(0) {
        return Err(AppError::conflict(ConflictReason::ConferenceFull));
    }
    // A delegation seat given up is the delegation's again, not an open one.
    let delegation_seat = registration.delegation_seat && to.holds_a_seat();
    let offer_expires_at = (to == RegistrationStatus::Offered)
        .then(|| Utc::now() + Duration::hours(i64::from(rules.offer_hours)));
    sqlx::query!(
        r#"update registrations
           set status = $2, delegation_seat = $3, offer_expires_at = $4, updated_at = now(),
               waitlisted_at = case when $2::registration_status = 'waitlisted' then now() else waitlisted_at end
           where id = $1"#,
        registration.id,
        to as RegistrationStatus,
        delegation_seat,
        offer_expires_at
    )
    .execute(etx.conn())
    .await?;
    if to == RegistrationStatus::Approved {
        sqlx::query!(
            "insert into conference_members (conference_id, user_id, role) values ($1, $2, 'attendee')
             on conflict (conference_id, user_id) do nothing",
            rules.conference_id,
            registration.user_id
        )
        .execute(etx.conn())
        .await?;
    } else if from == RegistrationStatus::Approved {
        sqlx::query!(
            "delete from conference_members where conference_id = $1 and user_id = $2 and role = 'attendee'",
            rules.conference_id,
            registration.user_id
        )
        .execute(etx.conn())
        .await?;
    }
    if to == RegistrationStatus::Approved || from == RegistrationStatus::Approved {
        access_changes::person(etx.conn(), registration.user_id, Some(rules.conference_id)).await?;
    }
    tell(
        etx,
        rules.conference_id,
        registration.user_id,
        to,
        offer_expires_at,
    )
    .await?;
    if from.holds_a_seat() && !to.holds_a_seat() && !registration.delegation_seat {
        offer_open_seats(etx, rules).await?;
    }
    Ok(())
}

/// Offers each free open seat to the next person on the waitlist, first come first
/// offered. Called whenever open seats may have freed up.
pub(super) async fn offer_open_seats(etx: &mut EventTx, rules: &SeatRules) -> AppResult<()> {
    let Some(open) = count(etx.conn(), rules).await?.open else {
        // No limit: everyone waiting may come. (A waitlist only exists under a limit, but
        // the limit may have been lifted since.)
        return offer_to_next(etx, rules, i64::MAX).await;
    };
    offer_to_next(etx, rules, open).await
}

async fn offer_to_next(etx: &mut EventTx, rules: &SeatRules, seats: i64) -> AppResult<()> {
    if seats <= 0 {
        return Ok(());
    }
    let next = sqlx::query!(
        "select id, user_id from registrations
         where conference_id = $1 and status = 'waitlisted'
         order by waitlisted_at, created_at limit $2",
        rules.conference_id,
        seats
    )
    .fetch_all(etx.conn())
    .await?;
    let offer_expires_at = Utc::now() + Duration::hours(i64::from(rules.offer_hours));
    for person in next {
        sqlx::query!(
            "update registrations set status = 'offered', offer_expires_at = $2, updated_at = now()
             where id = $1",
            person.id,
            offer_expires_at
        )
        .execute(etx.conn())
        .await?;
        tell(
            etx,
            rules.conference_id,
            person.user_id,
            RegistrationStatus::Offered,
            Some(offer_expires_at),
        )
        .await?;
    }
    Ok(())
}

/// Tells the registrant where their registration stands now: a notification in their own
/// room (their status page and bell update at once) and an e-mail in their language, both
/// in the change's transaction.
async fn tell(
    etx: &mut EventTx,
    conference_id: Uuid,
    user_id: Uuid,
    status: RegistrationStatus,
    offer_expires_at: Option<DateTime<Utc>>,
) -> AppResult<()> {
    let row = sqlx::query!(
        r#"select c.slug, c.title as "title: LocalizedText", c.time_zone, u.email, u.display_name, r.language
           from registrations r
           join conferences c on c.id = r.conference_id
           join users u on u.id = r.user_id
           where r.conference_id = $1 and r.user_id = $2"#,
        conference_id,
        user_id
    )
    .fetch_one(etx.conn())
    .await?;
    let email = StatusMail {
        conference_id,
        slug: &row.slug,
        conference_title: row.title.best(&[row.language.as_str(), "en"]),
        time_zone: row.time_zone.parse().unwrap_or(chrono_tz::UTC),
        to_email: &row.email,
        to_name: &row.display_name,
        language: &row.language,
        status,
        offer_expires_at,
    }
    .email();
    mail::enqueue(etx.conn(), &email).await?;
    let data = json!({
        "conference_slug": row.slug,
        "conference_title": row.title,
        "status": status,
        "offer_expires_at": offer_expires_at,
    });
    notify(etx, user_id, "registration.status", data).await?;
    Ok(())
}

/// Ends the offers that ran out, passing each seat to the next person on the waitlist.
/// Every node's clock runs it; the conference's lock keeps two nodes from passing one seat
/// twice.
pub async fn expire_offers(hub: &Hub) -> AppResult<()> {
    let due = sqlx::query_scalar!(
        "select distinct conference_id from registrations
         where status = 'offered' and offer_expires_at <= now()"
    )
    .fetch_all(hub.db())
    .await?;
    for conference_id in due {
        let mut etx = EventTx::begin(hub.db()).await?;
        let rules = lock_rules(etx.conn(), conference_id).await?;
        let expired = sqlx::query_as!(
            Placed,
            r#"select id, user_id, status as "status: RegistrationStatus", delegation_seat from registrations
               where conference_id = $1 and status = 'offered' and offer_expires_at <= now()"#,
            conference_id
        )
        .fetch_all(etx.conn())
        .await?;
        for registration in &expired {
            move_to(
                &mut etx,
                &rules,
                registration,
                RegistrationStatus::Cancelled,
            )
            .await?;
        }
        etx.commit(hub).await?;
    }
    Ok(())
}
