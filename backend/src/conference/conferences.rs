//! Conferences: list, read, create, update, join.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sqlx::{PgExecutor, PgPool};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::ToSchema;
use uuid::Uuid;

use super::access::{set_member_role, ConferenceAccess, ConferenceRole, ConferenceSlug};
use crate::auth::AuthUser;
use crate::error::{AppError, AppResult, ErrorBody, Problem};
use crate::http::{AfterRoleCheck, AppJson};
use crate::text::{
    check_languages, description_schema, nonempty_language_list_schema,
    normalise_title_and_description, title_schema, LocalizedText,
};

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
#[schema(example = json!({
    "id": "5f1d4c1e-8a47-4d0c-9a55-0b0a3f5e7c21",
    "slug": "ecc-2026",
    "title": {"en": "European Cluster Conference 2026", "fr": "Conférence européenne des clusters 2026"},
    "starts_on": "2026-12-08",
    "ends_on": "2026-12-10",
    "time_zone": "Europe/Brussels",
    "languages": ["en", "fr", "nl", "de"],
    "description": {"en": "Three days of panels, working groups and networking."},
    "my_role": "attendee"
}))]
pub struct Conference {
    #[serde(flatten)]
    pub summary: ConferenceSummary,
    pub description: LocalizedText,
    /// `null` when the caller is not a member.
    #[schema(required = true)]
    pub my_role: Option<ConferenceRole>,
}

/// What organisers set on a conference.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({
    "title": {"en": "European Cluster Conference 2026", "fr": "Conférence européenne des clusters 2026"},
    "description": {"en": "Three days of panels, working groups and networking."},
    "starts_on": "2026-12-08",
    "ends_on": "2026-12-10",
    "time_zone": "Europe/Brussels",
    "languages": ["en", "fr", "nl", "de"]
}))]
pub struct ConferenceInput {
    #[schema(schema_with = title_schema)]
    pub title: LocalizedText,
    #[serde(default)]
    #[schema(schema_with = description_schema)]
    pub description: LocalizedText,
    pub starts_on: NaiveDate,
    /// The last day: on or after `starts_on`, at most 31 days later.
    pub ends_on: NaiveDate,
    #[schema(schema_with = time_zone_schema)]
    pub time_zone: String,
    #[schema(schema_with = nonempty_language_list_schema)]
    pub languages: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({
    "slug": "ecc-2027",
    "title": {"en": "European Cluster Conference 2027"},
    "starts_on": "2027-11-16",
    "ends_on": "2027-11-18",
    "time_zone": "Europe/Brussels",
    "languages": ["en", "fr"]
}))]
pub struct NewConference {
    /// URL name: 3 to 60 lower-case letters, digits and dashes, not starting or ending with a
    /// dash (`check_slug`).
    #[schema(
        pattern = "^[a-z0-9][a-z0-9-]{1,58}[a-z0-9]$",
        min_length = 3,
        max_length = 60
    )]
    pub slug: String,
    #[serde(flatten)]
    pub input: ConferenceInput,
}

/// The IANA time zones `chrono_tz` knows: exactly the names `normalised` accepts.
fn time_zone_schema() -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some("An IANA time zone, e.g. `Europe/Brussels`"))
        .enum_values(Some(chrono_tz::TZ_VARIANTS.iter().map(|zone| zone.name())))
        .examples(["Europe/Brussels"])
        .into()
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
        let (title, description) = normalise_title_and_description(self.title, self.description)?;
        Ok(ConferenceInput {
            title,
            description,
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

/// Every published conference, and the drafts the caller organises, soonest first.
#[utoipa::path(get, path = "/api/conferences", tag = "conferences",
    responses((status = 200, description = "At most 500 conferences", body = [ConferenceSummary])))]
#[tracing::instrument(skip_all)]
pub async fn list_conferences(
    State(db): State<PgPool>,
    user: AuthUser,
) -> AppResult<Json<Vec<ConferenceSummary>>> {
    let conferences = sqlx::query_as!(
        ConferenceSummary,
        r#"select c.id, c.slug, c.title as "title: LocalizedText", c.starts_on, c.ends_on, c.time_zone, c.languages
           from conferences c
           where c.published
              or exists (select 1 from users u where u.id = $1 and u.is_platform_organiser)
              or exists (select 1 from conference_members m
                          where m.conference_id = c.id and m.user_id = $1 and m.role = 'organiser')
           order by c.starts_on, c.slug limit 500"#,
        user.id
    )
    .fetch_all(&db)
    .await?;
    Ok(Json(conferences))
}

/// Creates a conference; the creator becomes its organiser. Platform organisers only.
#[utoipa::path(post, path = "/api/conferences", tag = "conferences", request_body = NewConference,
    responses((status = 201, description = "The new conference", body = Conference),
              (status = 403, description = "Not a platform organiser", body = ErrorBody),
              (status = 409, description = "The slug is taken", body = ErrorBody),
              (status = 422, description = "A field breaks a rule", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn create_conference(
    State(db): State<PgPool>,
    user: AuthUser,
    body: AfterRoleCheck<AppJson<NewConference>>,
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
    let AppJson(new) = body?;
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
    params(ConferenceSlug),
    responses((status = 200, description = "The conference", body = Conference)))]
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
    params(ConferenceSlug),
    request_body = ConferenceInput,
    responses((status = 200, description = "The updated conference", body = Conference),
              (status = 403, description = "Not an organiser of this conference", body = ErrorBody),
              (status = 422, description = "A field breaks a rule", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn update_conference(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    body: AfterRoleCheck<AppJson<ConferenceInput>>,
) -> AppResult<Json<Conference>> {
    access.require(ConferenceRole::Organiser)?;
    let AppJson(input) = body?;
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
