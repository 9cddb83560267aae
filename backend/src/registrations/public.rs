//! The conference's public face, readable without logging in: what the event is, its
//! programme and speakers as a preview, and whether seats are left — the page the register
//! button lives on. A conference not yet published is a draft only its organisers see.

use axum::extract::State;
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::PgPool;
use utoipa::ToSchema;
use uuid::Uuid;

use super::questions::{self, Question};
use super::seats::{self, ApprovalMode, SeatRules};
use crate::auth::AuthUser;
use crate::conference::sessions::{people_of, SessionKind, SessionPerson, SessionRole};
use crate::conference::{effective_role, ConferenceRole, ConferenceSlug};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::http::AppPath;
use crate::text::LocalizedText;

/// A published conference as listed on the front page.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicConferenceSummary {
    pub slug: String,
    pub title: LocalizedText,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub time_zone: String,
    pub languages: Vec<String>,
}

/// A session in the programme's preview: no stream, no venue address, only its people on
/// stage (speakers and moderators).
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeItem {
    pub id: Uuid,
    pub kind: SessionKind,
    pub title: LocalizedText,
    pub description: LocalizedText,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub languages: Vec<String>,
    pub speakers: Vec<SessionPerson>,
}

/// How registration works at this conference right now.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationOpening {
    pub approval: ApprovalMode,
    /// Open seats left; `null` for no limit. At 0, new registrants are waitlisted.
    #[schema(required = true)]
    pub open_seats: Option<i64>,
    pub questions: Vec<Question>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicConference {
    #[serde(flatten)]
    pub summary: PublicConferenceSummary,
    pub description: LocalizedText,
    /// False for a draft (seen by its organisers only).
    pub published: bool,
    pub registration: RegistrationOpening,
    pub programme: Vec<ProgrammeItem>,
}

/// The published conferences, soonest first.
#[utoipa::path(get, path = "/api/public/conferences", tag = "registrations",
    operation_id = "list_public_conferences",
    security(()),
    responses((status = 200, description = "At most 500 published conferences", body = [PublicConferenceSummary])))]
#[tracing::instrument(skip_all)]
pub async fn list(State(db): State<PgPool>) -> AppResult<Json<Vec<PublicConferenceSummary>>> {
    let conferences = sqlx::query_as!(
        PublicConferenceSummary,
        r#"select slug, title as "title: LocalizedText", starts_on, ends_on, time_zone, languages
           from conferences where published order by starts_on, slug limit 500"#
    )
    .fetch_all(&db)
    .await?;
    Ok(Json(conferences))
}

/// A conference's public page. A draft is found by its organisers only.
#[utoipa::path(get, path = "/api/public/conferences/{slug}", tag = "registrations",
    operation_id = "public_conference",
    security((), ("access_cookie" = []), ("bearer_token" = [])),
    params(ConferenceSlug),
    responses((status = 200, description = "The conference's public page", body = PublicConference),
              (status = 404, description = "No such conference, or a draft", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn show(
    State(db): State<PgPool>,
    user: Option<AuthUser>,
    AppPath(slug): AppPath<String>,
) -> AppResult<Json<PublicConference>> {
    let mut conn = db.acquire().await?;
    let row = sqlx::query!(
        r#"select c.id, c.slug, c.title as "title: LocalizedText", c.description as "description: LocalizedText",
                  c.starts_on, c.ends_on, c.time_zone, c.languages, c.published, c.capacity,
                  c.approval as "approval: ApprovalMode", c.offer_hours,
                  coalesce(u.is_platform_organiser, false) as "platform_organiser!",
                  m.role as "role?: ConferenceRole"
           from conferences c
           left join users u on u.id = $2
           left join conference_members m on m.conference_id = c.id and m.user_id = $2
           where c.slug = $1"#,
        slug,
        user.map(|user| user.id)
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound("conference"))?;
    let organiser =
        effective_role(row.platform_organiser, row.role) == Some(ConferenceRole::Organiser);
    if !row.published && !organiser {
        return Err(AppError::NotFound("conference"));
    }
    let rules = SeatRules {
        conference_id: row.id,
        capacity: row.capacity,
        approval: row.approval,
        offer_hours: row.offer_hours,
    };
    let open_seats = seats::count(&mut conn, &rules).await?.open;
    let questions = questions::fetch(&mut *conn, row.id).await?;
    let sessions = sqlx::query!(
        r#"select id, kind as "kind: SessionKind", title as "title: LocalizedText",
                  description as "description: LocalizedText", starts_at, ends_at, languages
           from sessions where conference_id = $1 and visibility = 'public'
           order by starts_at, id limit 2000"#,
        row.id
    )
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<Uuid> = sessions.iter().map(|session| session.id).collect();
    let mut people = people_of(&mut *conn, &ids).await?;
    let programme = sessions
        .into_iter()
        .map(|session| ProgrammeItem {
            speakers: people
                .remove(&session.id)
                .unwrap_or_default()
                .into_iter()
                .filter(|person| {
                    matches!(person.role, SessionRole::Speaker | SessionRole::Moderator)
                })
                .collect(),
            id: session.id,
            kind: session.kind,
            title: session.title,
            description: session.description,
            starts_at: session.starts_at,
            ends_at: session.ends_at,
            languages: session.languages,
        })
        .collect();
    Ok(Json(PublicConference {
        summary: PublicConferenceSummary {
            slug: row.slug,
            title: row.title,
            starts_on: row.starts_on,
            ends_on: row.ends_on,
            time_zone: row.time_zone,
            languages: row.languages,
        },
        description: row.description,
        published: row.published,
        registration: RegistrationOpening {
            approval: row.approval,
            open_seats,
            questions,
        },
        programme,
    }))
}
