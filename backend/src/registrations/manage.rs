//! Organisers' registrations list — searched, filtered by status, country, cluster,
//! delegation and answer, a page at a time — and decisions on many registrations at once
//! (approve, reject, waitlist), each batch in one transaction and one audit entry.

use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::questions::Answers;
use super::seats::{lock_rules, move_to, Placed, RegistrationStatus};
use crate::conference::{ConferenceAccess, ConferenceRole, ConferenceSlug};
use crate::error::{AppError, AppResult, ConflictReason, ErrorBody, Problem};
use crate::http::{AfterRoleCheck, AppJson, AppQuery};
use crate::realtime::log::EventTx;
use crate::realtime::Realtime;

/// Most registrations decided on in one request.
const MAX_BATCH: usize = 1000;
const MAX_PER_PAGE: i64 = 200;

/// A registration as organisers see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub display_name: String,
    pub email: String,
    pub organisation: String,
    pub cluster: String,
    #[schema(required = true)]
    pub country: Option<String>,
    pub status: RegistrationStatus,
    #[schema(required = true)]
    pub delegation_id: Option<Uuid>,
    #[schema(required = true)]
    pub delegation: Option<String>,
    /// Their role in the conference, once a member.
    #[schema(required = true)]
    pub role: Option<ConferenceRole>,
    #[schema(value_type = std::collections::HashMap<String, serde_json::Value>)]
    pub answers: Answers,
    #[schema(required = true)]
    pub offer_expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One page of registrations, with how many match in all.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationPage {
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub registrations: Vec<RegistrationRow>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegistrationFilter {
    /// Matches name, e-mail or organisation (case-insensitive; the first 100 characters count).
    pub q: Option<String>,
    pub status: Option<RegistrationStatus>,
    /// ISO 3166-1 alpha-2.
    #[param(example = "BE")]
    pub country: Option<String>,
    /// Matches the cluster named in the profile (case-insensitive, part of it).
    pub cluster: Option<String>,
    pub delegation_id: Option<Uuid>,
    /// With `answer`: only registrations whose answer to this question is `answer`.
    pub question_id: Option<Uuid>,
    /// A text answer as given, an option's index, or `true`/`false` for a consent.
    pub answer: Option<String>,
}

/// Which page of the list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// From 1.
    #[param(minimum = 1)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

impl RegistrationFilter {
    /// An answer filter names both the question and the answer.
    pub(super) fn check(&self) -> AppResult<()> {
        if self.question_id.is_some() != self.answer.is_some() {
            return Err(AppError::field("answer", Problem::Required));
        }
        Ok(())
    }
}

/// `%text%` for ILIKE, with its wildcards escaped; `None` for a blank text.
pub(super) fn like_pattern(text: Option<&str>) -> Option<String> {
    let text: String = text?.trim().chars().take(100).collect();
    (!text.is_empty()).then(|| {
        format!(
            "%{}%",
            text.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        )
    })
}

/// The registrations matching `filter`, a page of them (all with `per_page` = `None`).
pub(super) async fn matching(
    db: &PgPool,
    conference_id: Uuid,
    filter: &RegistrationFilter,
    page: Option<(i64, i64)>,
) -> AppResult<(i64, Vec<RegistrationRow>)> {
    let (limit, offset) = match page {
        Some((page, per_page)) => (per_page, (page - 1) * per_page),
        None => (i64::MAX, 0),
    };
    let question = filter.question_id.map(|id| id.to_string());
    let rows = sqlx::query!(
        r#"select r.id, r.user_id, u.display_name, u.email,
                  coalesce(p.organisation, '') as "organisation!", coalesce(p.cluster, '') as "cluster!",
                  p.country, r.status as "status: RegistrationStatus", r.delegation_id, d.name as "delegation?",
                  m.role as "role?: ConferenceRole", r.answers as "answers: sqlx::types::Json<Answers>",
                  r.offer_expires_at, r.created_at, r.updated_at, count(*) over () as "total!"
           from registrations r
           join users u on u.id = r.user_id
           left join profiles p on p.user_id = r.user_id
           left join delegations d on d.id = r.delegation_id
           left join conference_members m on m.conference_id = r.conference_id and m.user_id = r.user_id
           where r.conference_id = $1
             and ($2::text is null or u.display_name ilike $2 or u.email ilike $2 or p.organisation ilike $2)
             and ($3::registration_status is null or r.status = $3)
             and ($4::text is null or p.country = upper($4))
             and ($5::text is null or p.cluster ilike $5)
             and ($6::uuid is null or r.delegation_id = $6)
             and ($7::text is null or r.answers ->> $7 = $8
                  or case when jsonb_typeof(r.answers -> $7) = 'array'
                          then exists (select 1 from jsonb_array_elements_text(r.answers -> $7) chosen (v) where chosen.v = $8)
                          else false end)
           order by r.created_at, r.id
           limit $9 offset $10"#,
        conference_id,
        like_pattern(filter.q.as_deref()),
        filter.status as Option<RegistrationStatus>,
        filter.country.as_deref().map(str::trim).filter(|country| !country.is_empty()),
        like_pattern(filter.cluster.as_deref()),
        filter.delegation_id,
        question,
        filter.answer.as_deref().unwrap_or_default(),
        limit,
        offset
    )
    .fetch_all(db)
    .await?;
    let total = rows.first().map_or(0, |row| row.total);
    Ok((
        total,
        rows.into_iter()
            .map(|row| RegistrationRow {
                id: row.id,
                user_id: row.user_id,
                display_name: row.display_name,
                email: row.email,
                organisation: row.organisation,
                cluster: row.cluster,
                country: row.country,
                status: row.status,
                delegation_id: row.delegation_id,
                delegation: row.delegation,
                role: row.role,
                answers: row.answers.0,
                offer_expires_at: row.offer_expires_at,
                created_at: row.created_at,
                updated_at: row.updated_at,
            })
            .collect(),
    ))
}

/// The conference's registrations, filtered, oldest first, a page at a time. Organisers only.
#[utoipa::path(get, path = "/api/conferences/{slug}/registrations", tag = "registrations",
    operation_id = "list_registrations",
    params(ConferenceSlug, RegistrationFilter, Paging),
    responses((status = 200, description = "One page of the matching registrations", body = RegistrationPage),
              (status = 403, description = "Not an organiser of this conference", body = ErrorBody),
              (status = 422, description = "A filter breaks a rule", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    filter: AfterRoleCheck<AppQuery<RegistrationFilter>>,
    paging: AfterRoleCheck<AppQuery<Paging>>,
) -> AppResult<Json<RegistrationPage>> {
    access.require(ConferenceRole::Organiser)?;
    let AppQuery(filter) = filter?;
    let AppQuery(paging) = paging?;
    let page = paging.page.unwrap_or(1);
    let per_page = paging.per_page.unwrap_or(50);
    if !(1..=1_000_000).contains(&page) {
        return Err(AppError::field(
            "page",
            Problem::OutOfRange {
                min: 1,
                max: 1_000_000,
            },
        ));
    }
    if !(1..=MAX_PER_PAGE).contains(&per_page) {
        return Err(AppError::field(
            "per_page",
            Problem::OutOfRange {
                min: 1,
                max: MAX_PER_PAGE,
            },
        ));
    }
    filter.check()?;
    let (total, registrations) =
        matching(&db, access.conference_id, &filter, Some((page, per_page))).await?;
    Ok(Json(RegistrationPage {
        total,
        page,
        per_page,
        registrations,
    }))
}

/// What organisers decide on registrations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Needs an open seat for each (delegation members keep theirs).
    Approve,
    Reject,
    /// To the end of the waitlist; a seat they held is offered to the first waiting.
    Waitlist,
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"registration_ids": ["0c8f2a57-1c4e-4f43-9d71-6f2f8e0c1a11"], "decision": "approve"}))]
pub struct Decisions {
    #[schema(min_items = 1, max_items = 1000)]
    pub registration_ids: Vec<Uuid>,
    pub decision: Decision,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Decided {
    /// Registrations whose status changed (those already there are left as they were).
    pub changed: usize,
}

/// Decides on many registrations at once: all or none. Organisers only. Approving more
/// people than there are open seats changes nothing (`conference_full`); a cancelled
/// registration cannot be decided on.
#[utoipa::path(post, path = "/api/conferences/{slug}/registrations/decisions", tag = "registrations",
    operation_id = "decide_registrations",
    params(ConferenceSlug),
    request_body = Decisions,
    responses((status = 200, description = "Decided", body = Decided),
              (status = 403, description = "Not an organiser of this conference", body = ErrorBody),
              (status = 404, description = "A registration is not this conference's", body = ErrorBody),
              (status = 409, description = "Not enough open seats, or a registration was cancelled", body = ErrorBody),
              (status = 422, description = "No registrations, or too many at once", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn decide(
    State(db): State<PgPool>,
    State(realtime): State<Realtime>,
    access: ConferenceAccess,
    body: AfterRoleCheck<AppJson<Decisions>>,
) -> AppResult<Json<Decided>> {
    access.require(ConferenceRole::Organiser)?;
    let AppJson(decisions) = body?;
    let mut ids = decisions.registration_ids;
    if ids.is_empty() {
        return Err(AppError::field("registration_ids", Problem::Required));
    }
    if ids.len() > MAX_BATCH {
        return Err(AppError::field(
            "registration_ids",
            Problem::TooMany { max: MAX_BATCH },
        ));
    }
    ids.sort();
    ids.dedup();
    let mut etx = EventTx::begin(&db).await?;
    let rules = lock_rules(etx.conn(), access.conference_id).await?;
    let registrations = sqlx::query_as!(
        Placed,
        r#"select id, user_id, status as "status: RegistrationStatus", delegation_seat from registrations
           where conference_id = $1 and id = any ($2) order by created_at, id"#,
        access.conference_id,
        &ids
    )
    .fetch_all(etx.conn())
    .await?;
    if registrations.len() != ids.len() {
        return Err(AppError::NotFound("registration"));
    }
    let to = match decisions.decision {
        Decision::Approve => RegistrationStatus::Approved,
        Decision::Reject => RegistrationStatus::Rejected,
        Decision::Waitlist => RegistrationStatus::Waitlisted,
    };
    let mut changed = 0;
    for registration in &registrations {
        if registration.status == RegistrationStatus::Cancelled {
            return Err(AppError::conflict(ConflictReason::DecisionNotAllowed));
        }
        if registration.status != to {
            move_to(&mut etx, &rules, registration, to).await?;
            changed += 1;
        }
    }
    crate::audit::record(
        etx.conn(),
        access.conference_id,
        access.user.id,
        "registration.decide",
        serde_json::json!({"decision": decisions.decision, "registration_ids": ids, "changed": changed}),
    )
    .await?;
    etx.commit(&realtime.hub).await?;
    Ok(Json(Decided { changed }))
}
