//! The conference's outbox as its organisers read it: every e-mail written to its
//! registrants, newest first, whether it was sent (and how many attempts it took, and why
//! the last one failed). Without SMTP configured, this is where the messages wait.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::conference::{ConferenceAccess, ConferenceRole, ConferenceSlug};
use crate::error::{AppError, AppResult, ErrorBody, Problem};
use crate::http::{AfterRoleCheck, AppQuery, Site};
use crate::mail::SITE;

const PER_PAGE: i64 = 50;

#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxMessage {
    pub id: Uuid,
    pub to_email: String,
    pub to_name: String,
    pub language: String,
    /// What it tells, e.g. `registration.approved`.
    pub template: String,
    pub subject: String,
    /// The text version, as it is sent.
    pub text: String,
    pub created_at: DateTime<Utc>,
    /// `null` while it waits.
    #[schema(required = true)]
    pub sent_at: Option<DateTime<Utc>>,
    pub attempts: i32,
    #[schema(required = true)]
    pub last_error: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxPage {
    pub total: i64,
    pub waiting: i64,
    pub page: i64,
    pub per_page: i64,
    pub messages: Vec<OutboxMessage>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    /// From 1.
    #[param(minimum = 1)]
    pub page: Option<i64>,
}

/// The conference's e-mails, newest first, 50 a page. Organisers only.
#[utoipa::path(get, path = "/api/conferences/{slug}/outbox", tag = "registrations",
    operation_id = "conference_outbox",
    params(ConferenceSlug, OutboxQuery),
    responses((status = 200, description = "One page of the outbox", body = OutboxPage),
              (status = 403, description = "Not an organiser of this conference", body = ErrorBody),
              (status = 422, description = "Not a page", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(db): State<PgPool>,
    State(site): State<Arc<Site>>,
    access: ConferenceAccess,
    query: AfterRoleCheck<AppQuery<OutboxQuery>>,
) -> AppResult<Json<OutboxPage>> {
    access.require(ConferenceRole::Organiser)?;
    let AppQuery(query) = query?;
    let page = query.page.unwrap_or(1);
    if !(1..=100_000).contains(&page) {
        return Err(AppError::field(
            "page",
            Problem::OutOfRange {
                min: 1,
                max: 100_000,
            },
        ));
    }
    let counts = sqlx::query!(
        r#"select count(*) as "total!", count(*) filter (where sent_at is null) as "waiting!"
           from outbox where conference_id = $1"#,
        access.conference_id
    )
    .fetch_one(&db)
    .await?;
    let rows = sqlx::query!(
        "select id, to_email, to_name, language, template, subject, text_body, created_at, sent_at, attempts, last_error
         from outbox where conference_id = $1 order by created_at desc, id limit $2 offset $3",
        access.conference_id,
        PER_PAGE,
        (page - 1) * PER_PAGE
    )
    .fetch_all(&db)
    .await?;
    let site_url = site.public_url.trim_end_matches('/');
    Ok(Json(OutboxPage {
        total: counts.total,
        waiting: counts.waiting,
        page,
        per_page: PER_PAGE,
        messages: rows
            .into_iter()
            .map(|row| OutboxMessage {
                id: row.id,
                to_email: row.to_email,
                to_name: row.to_name,
                language: row.language,
                template: row.template,
                subject: row.subject,
                text: row.text_body.replace(SITE, site_url),
                created_at: row.created_at,
                sent_at: row.sent_at,
                attempts: row.attempts,
                last_error: row.last_error,
            })
            .collect(),
    }))
}
