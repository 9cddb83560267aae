//! Conferences: list, read, create, update, join.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sqlx::{PgExecutor, PgPool};
use utoipa::ToSchema;
use uuid::Uuid;

use super::access::{set_member_role, ConferenceAccess, ConferenceRole};
use super::text::{check_languages, LocalizedText};
use crate::auth::AuthUser;
use crate::error::{AppError, AppResult, ErrorBody, Problem};
use crate::http::AppJson;

/// A conference as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConferenceSummary {
    pub id: Uuid,
    pub slug: String,
    pub title: LocalizedText,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// IANA time zone the programme is set in, e.g. `Europe/Brussels`.
    pub time_zone: String,
    pub languages: Vec<String>,
}

/// A conference with the caller's role in it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Conference {
    #[serde(flatten)]
    pub summary: ConferenceSummary,
    pub description: LocalizedText,
    pub my_role: Option<ConferenceRole>,
}

/// What organisers set on a conference.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ConferenceInput {
    pub title: LocalizedText,
    #[serde(default)]
    pub description: LocalizedText,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub time_zone: String,
    pub languages: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewConference {
    /// URL name: 3 to 60 lower-case letters, digits and dashes.
    pub slug: String,
    #[serde(flatten)]
    pub input: ConferenceInput,
}

impl ConferenceInput {
    fn normalised(self) -> AppResult<Self> {
        if self.ends_on < self.starts_on {
            return Err(AppError::field("ends_on", Problem::EndsBeforeStart));
        }
        if (self.ends_on - self.starts_on).num_days() > MAX_CONFERENCE_DAYS {
            return Err(AppError::field(
                "ends_on",
                Problem::MaxDays {
                    max: MAX_CONFERENCE_DAYS,
                },
            ));
        }
        if self.time_zone.parse::<chrono_tz::Tz>().is_err() {
            return Err(AppError::field("time_zone", Problem::TimeZone));
        }
        check_languages("languages", &self.languages)?;
        if self.languages.is_empty() {
            return Err(AppError::field("languages", Problem::Required));
        }
        Ok(ConferenceInput {
            title: self.title.normalised("title", 200, true)?,
            description: self.description.normalised("description", 10_000, false)?,
            ..self
        })
    }
}

/// Days a conference may last beyond its first.
const MAX_CONFERENCE_DAYS: i64 = 31;
const SLUG_CHARS: std::ops::RangeInclusive<usize> = 3..=60;

fn check_slug(slug: &str) -> AppResult<()> {
    let valid = SLUG_CHARS.contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-');
    if valid {
        Ok(())
    } else {
        Err(AppError::field(
            "slug",
            Problem::Slug {
                min: *SLUG_CHARS.start(),
                max: *SLUG_CHARS.end(),
            },
        ))
    }
}

/// Loads one conference with the caller's role.
pub async fn load_conference(
    db: impl PgExecutor<'_>,
    conference_id: Uuid,
    my_role: Option<ConferenceRole>,
) -> AppResult<Conference> {
    let row = sqlx::query!(
        r#"select id, slug, title as "title: LocalizedText",
                  description as "description: LocalizedText",
                  starts_on, ends_on, time_zone, languages
           from conferences where id = $1"#,
        conference_id
    )
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound("conference"))?;
    Ok(Conference {
        summary: ConferenceSummary {
            id: row.id,
            slug: row.slug,
            title: row.title,
            starts_on: row.starts_on,
            ends_on: row.ends_on,
            time_zone: row.time_zone,
            languages: row.languages,
        },
        description: row.description,
        my_role,
    })
}

/// Every conference, soonest first.
#[utoipa::path(get, path = "/api/conferences", tag = "conferences",
    responses((status = 200, body = [ConferenceSummary]), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list_conferences(
    State(db): State<PgPool>,
    _user: AuthUser,
) -> AppResult<Json<Vec<ConferenceSummary>>> {
    let conferences = sqlx::query_as!(
        ConferenceSummary,
        r#"select id, slug, title as "title: LocalizedText", starts_on, ends_on, time_zone, languages
           from conferences order by starts_on, slug limit 500"#
    )
    .fetch_all(&db)
    .await?;
    Ok(Json(conferences))
}

/// Creates a conference; the creator becomes its organiser. Platform organisers only.
#[utoipa::path(post, path = "/api/conferences", tag = "conferences", request_body = NewConference,
    responses((status = 201, body = Conference), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn create_conference(
    State(db): State<PgPool>,
    user: AuthUser,
    AppJson(new): AppJson<NewConference>,
) -> AppResult<(StatusCode, Json<Conference>)> {
    let may_create = sqlx::query_scalar!(
        "select is_platform_organiser from users where id = $1",
        user.id
    )
    .fetch_optional(&db)
    .await?
    .unwrap_or(false);
    if !may_create {
        return Err(AppError::Forbidden(
            "only platform organisers create conferences",
        ));
    }
    check_slug(&new.slug)?;
    let input = new.input.normalised()?;
    let id = Uuid::new_v4();
    let mut tx = db.begin().await?;
    sqlx::query!(
        "insert into conferences (id, slug, title, description, starts_on, ends_on, time_zone, languages)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
        id,
        new.slug,
        &input.title as _,
        &input.description as _,
        input.starts_on,
        input.ends_on,
        input.time_zone,
        &input.languages
    )
    .execute(&mut *tx)
    .await
    .map_err(AppError::on_constraint("conferences_slug_key", || {
        AppError::Taken { field: "slug" }
    }))?;
    set_member_role(&mut *tx, id, user.id, ConferenceRole::Organiser).await?;
    crate::audit::record(
        &mut *tx,
        id,
        user.id,
        "conference.create",
        serde_json::json!({"slug": new.slug}),
    )
    .await?;
    let conference = load_conference(&mut *tx, id, Some(ConferenceRole::Organiser)).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(conference)))
}

/// One conference, with the caller's role in it.
#[utoipa::path(get, path = "/api/conferences/{slug}", tag = "conferences",
    params(("slug" = String, Path)),
    responses((status = 200, body = Conference), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn get_conference(
    State(db): State<PgPool>,
    access: ConferenceAccess,
) -> AppResult<Json<Conference>> {
    Ok(Json(
        load_conference(&db, access.conference_id, access.role).await?,
    ))
}

/// Updates a conference. Organisers only.
#[utoipa::path(put, path = "/api/conferences/{slug}", tag = "conferences",
    params(("slug" = String, Path)), request_body = ConferenceInput,
    responses((status = 200, body = Conference), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn update_conference(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    AppJson(input): AppJson<ConferenceInput>,
) -> AppResult<Json<Conference>> {
    access.require(ConferenceRole::Organiser)?;
    let input = input.normalised()?;
    let mut tx = db.begin().await?;
    sqlx::query!(
        "update conferences set title = $2, description = $3, starts_on = $4, ends_on = $5,
                time_zone = $6, languages = $7, updated_at = now()
         where id = $1",
        access.conference_id,
        &input.title as _,
        &input.description as _,
        input.starts_on,
        input.ends_on,
        input.time_zone,
        &input.languages
    )
    .execute(&mut *tx)
    .await?;
    crate::audit::record(
        &mut *tx,
        access.conference_id,
        access.user.id,
        "conference.update",
        serde_json::json!({}),
    )
    .await?;
    let conference = load_conference(&mut *tx, access.conference_id, access.role).await?;
    tx.commit().await?;
    Ok(Json(conference))
}

/// Joins a conference as an attendee (no change for existing members).
#[utoipa::path(post, path = "/api/conferences/{slug}/join", tag = "conferences",
    params(("slug" = String, Path)),
    responses((status = 200, body = Conference), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn join_conference(
    State(db): State<PgPool>,
    access: ConferenceAccess,
) -> AppResult<Json<Conference>> {
    let role = match access.role {
        Some(role) => role,
        None => {
            sqlx::query!(
                "insert into conference_members (conference_id, user_id, role) values ($1, $2, 'attendee')
                 on conflict (conference_id, user_id) do nothing",
                access.conference_id,
                access.user.id
            )
            .execute(&db)
            .await?;
            ConferenceRole::Attendee
        }
    };
    Ok(Json(
        load_conference(&db, access.conference_id, Some(role)).await?,
    ))
}
