//! The agenda: sessions of every kind, who runs them, and who may see them.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{PgExecutor, PgPool};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::access::{ConferenceAccess, ConferenceRole, ConferenceSlug};
use super::notices;
use crate::error::{AppError, AppResult, ErrorBody, Problem};
use crate::http::{AfterRoleCheck, AppJson, AppPath, AppQuery};
use crate::realtime::log::EventTx;
use crate::realtime::Realtime;
use crate::text::{
    check_languages, description_schema, language_list_schema, normalise_title_and_description,
    title_schema, LocalizedText,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, sqlx::Type)]
#[sqlx(type_name = "session_kind", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum SessionKind {
    Plenary,
    Panel,
    WorkingGroup,
    Networking,
    Award,
    Social,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, sqlx::Type)]
#[sqlx(type_name = "session_visibility", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    Public,
    /// Only the people assigned to the session (and moderators, organisers) see it.
    InviteOnly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, sqlx::Type)]
#[sqlx(type_name = "session_role", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum SessionRole {
    Moderator,
    Speaker,
    Facilitator,
    /// An invited participant of an invite-only session.
    Guest,
}

/// Moderators and organisers see every session, invite-only ones included.
pub fn sees_every_session(role: Option<ConferenceRole>) -> bool {
    role.is_some_and(|role| role >= ConferenceRole::Moderator)
}

/// Whether a person with `role` in the conference, and `session_role` in this session,
/// sees a session of `visibility`. The agenda's SQL filter follows the same rule.
pub fn sees_session(
    visibility: Visibility,
    role: Option<ConferenceRole>,
    session_role: Option<SessionRole>,
) -> bool {
    role.is_some()
        && (visibility == Visibility::Public || session_role.is_some() || sees_every_session(role))
}

/// Where a hybrid session takes place physically; a blank city means online only.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Venue {
    #[schema(max_length = 100, example = "Lyon")]
    pub city: String,
    /// Blank for none.
    #[schema(max_length = 300, example = "Techtera, 91 rue Saint-Maurice")]
    pub address: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SessionPerson {
    pub user_id: Uuid,
    pub display_name: String,
    pub role: SessionRole,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = session_example)]
pub struct Session {
    pub id: Uuid,
    pub kind: SessionKind,
    pub title: LocalizedText,
    pub description: LocalizedText,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// `null` for no limit.
    #[schema(required = true)]
    pub capacity: Option<i32>,
    /// Spoken languages.
    pub languages: Vec<String>,
    #[schema(required = true)]
    pub stream_url: Option<String>,
    pub visibility: Visibility,
    /// `null` for an online-only session.
    #[schema(required = true)]
    pub venue: Option<Venue>,
    pub people: Vec<SessionPerson>,
    /// Whether the caller has it in their personal schedule.
    pub bookmarked: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = session_input_example)]
pub struct SessionInput {
    pub kind: SessionKind,
    #[schema(schema_with = title_schema)]
    pub title: LocalizedText,
    #[serde(default)]
    #[schema(schema_with = description_schema)]
    pub description: LocalizedText,
    /// On one of the conference's days, in its time zone.
    pub starts_at: DateTime<Utc>,
    /// After `starts_at`, at most 24 hours later.
    pub ends_at: DateTime<Utc>,
    #[schema(minimum = 1, maximum = 100_000)]
    pub capacity: Option<i32>,
    #[serde(default)]
    #[schema(schema_with = language_list_schema)]
    pub languages: Vec<String>,
    /// An `http://` or `https://` address without spaces; blank for none.
    #[schema(max_length = 2000)]
    pub stream_url: Option<String>,
    pub visibility: Visibility,
    pub venue: Option<Venue>,
}

/// The OpenAPI document's example of a session as an organiser sends it...
fn session_input_example() -> serde_json::Value {
    serde_json::json!({
        "kind": "panel",
        "title": {"en": "Clusters and the twin transition", "fr": "Les clusters et la double transition"},
        "description": {"en": "How clusters help their members go green and digital."},
        "starts_at": "2026-12-08T13:00:00Z",
        "ends_at": "2026-12-08T14:00:00Z",
        "capacity": 900,
        "languages": ["en", "fr"],
        "stream_url": "https://peertube.example.eu/w/twin-transition",
        "visibility": "public",
        "venue": null
    })
}

/// ...and as it is read back.
fn session_example() -> serde_json::Value {
    let mut session = session_input_example();
    if let serde_json::Value::Object(fields) = &mut session {
        fields.extend([
            ("id".into(), "9e2f7c4a-3b1d-4e8f-a6c5-1d2e3f4a5b6c".into()),
            (
                "people".into(),
                serde_json::json!([{
                    "user_id": "0b5cdbb5-6f0e-4a59-9d55-2d1e0c7a51f3",
                    "display_name": "Marie Dubois",
                    "role": "moderator"
                }]),
            ),
            ("bookmarked".into(), false.into()),
        ]);
    }
    session
}

const MAX_CAPACITY: i32 = 100_000;
const MAX_URL_CHARS: usize = 2_000;
const MAX_SESSION_HOURS: i64 = 24;
const MAX_CITY_CHARS: usize = 100;
const MAX_ADDRESS_CHARS: usize = 300;

impl SessionInput {
    /// Checks every field against the rules and the conference's dates.
    async fn normalised(self, db: &PgPool, conference_id: Uuid) -> AppResult<Self> {
        if self.ends_at <= self.starts_at {
            return Err(AppError::field("ends_at", Problem::EndsBeforeStart));
        }
        if self.ends_at - self.starts_at > chrono::Duration::hours(MAX_SESSION_HOURS) {
            return Err(AppError::field(
                "ends_at",
                Problem::MaxHours {
                    max: MAX_SESSION_HOURS,
                },
            ));
        }
        let conference = sqlx::query!(
            "select starts_on, ends_on, time_zone from conferences where id = $1",
            conference_id
        )
        .fetch_one(db)
        .await?;
        let zone: chrono_tz::Tz = conference
            .time_zone
            .parse()
            .map_err(|_| anyhow::anyhow!("stored time zone {} is invalid", conference.time_zone))?;
        let local_day = self.starts_at.with_timezone(&zone).date_naive();
        if local_day < conference.starts_on || local_day > conference.ends_on {
            return Err(AppError::field(
                "starts_at",
                Problem::OutsideConference {
                    starts_on: conference.starts_on,
                    ends_on: conference.ends_on,
                },
            ));
        }
        if let Some(capacity) = self.capacity {
            if !(1..=MAX_CAPACITY).contains(&capacity) {
                return Err(AppError::field(
                    "capacity",
                    Problem::OutOfRange {
                        min: 1,
                        max: MAX_CAPACITY.into(),
                    },
                ));
            }
        }
        check_languages("languages", &self.languages)?;
        // Lengths are counted as sent, like the `maxLength` of the OpenAPI document.
        if self
            .stream_url
            .as_ref()
            .is_some_and(|url| url.chars().count() > MAX_URL_CHARS)
        {
            return Err(AppError::field(
                "stream_url",
                Problem::TooLong { max: MAX_URL_CHARS },
            ));
        }
        if let Some(venue) = &self.venue {
            for (field, text, max) in [
                ("venue.city", &venue.city, MAX_CITY_CHARS),
                ("venue.address", &venue.address, MAX_ADDRESS_CHARS),
            ] {
                if text.chars().count() > max {
                    return Err(AppError::field(field, Problem::TooLong { max }));
                }
            }
        }
        let stream_url = self
            .stream_url
            .map(|url| url.trim().to_owned())
            .filter(|url| !url.is_empty());
        if let Some(url) = &stream_url {
            let web_url = url.starts_with("https://") || url.starts_with("http://");
            if !web_url || url.contains(char::is_whitespace) {
                return Err(AppError::field("stream_url", Problem::WebAddress));
            }
        }
        let venue = match self.venue {
            Some(venue) if !venue.city.trim().is_empty() => Some(Venue {
                city: venue.city.trim().to_owned(),
                address: venue.address.trim().to_owned(),
            }),
            _ => None,
        };
        let (title, description) = normalise_title_and_description(self.title, self.description)?;
        Ok(SessionInput {
            title,
            description,
            stream_url,
            venue,
            ..self
        })
    }
}

/// Which sessions to load for a viewer.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SessionFilter {
    /// Only sessions of this kind.
    pub kind: Option<SessionKind>,
    /// Only sessions held in this spoken language (ISO 639-1).
    #[param(example = "fr")]
    pub language: Option<String>,
    #[serde(skip)]
    #[param(ignore)]
    pub session_id: Option<Uuid>,
    #[serde(skip)]
    #[param(ignore)]
    pub bookmarked_only: bool,
}

/// Sessions of a conference the viewer may see, with their people, by start time.
pub async fn fetch_sessions(
    db: &PgPool,
    viewer: &ConferenceAccess,
    filter: SessionFilter,
) -> AppResult<Vec<Session>> {
    let sees_everything = sees_every_session(viewer.role);
    let rows = sqlx::query!(
        r#"select s.id, s.kind as "kind: SessionKind", s.title as "title: LocalizedText",
                  s.description as "description: LocalizedText", s.starts_at, s.ends_at,
                  s.capacity, s.languages, s.stream_url, s.visibility as "visibility: Visibility",
                  s.venue_city, s.venue_address,
                  exists (select 1 from bookmarks b where b.session_id = s.id and b.user_id = $2) as "bookmarked!"
           from sessions s
           where s.conference_id = $1
             and (s.visibility = 'public' or $3
                  or exists (select 1 from session_people p where p.session_id = s.id and p.user_id = $2))
             and ($4::session_kind is null or s.kind = $4)
             and ($5::text is null or $5 = any (s.languages))
             and ($6::uuid is null or s.id = $6)
             and (not $7 or exists (select 1 from bookmarks b where b.session_id = s.id and b.user_id = $2))
           order by s.starts_at, s.id
           limit 2000"#,
        viewer.conference_id,
        viewer.user.id,
        sees_everything,
        filter.kind as Option<SessionKind>,
        filter.language,
        filter.session_id,
        filter.bookmarked_only
    )
    .fetch_all(db)
    .await?;
    let ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
    let mut people = people_of(db, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|row| Session {
            people: people.remove(&row.id).unwrap_or_default(),
            id: row.id,
            kind: row.kind,
            title: row.title,
            description: row.description,
            starts_at: row.starts_at,
            ends_at: row.ends_at,
            capacity: row.capacity,
            languages: row.languages,
            stream_url: row.stream_url,
            visibility: row.visibility,
            venue: row.venue_city.map(|city| Venue {
                city,
                address: row.venue_address.unwrap_or_default(),
            }),
            bookmarked: row.bookmarked,
        })
        .collect())
}

async fn people_of(
    db: impl PgExecutor<'_>,
    session_ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<SessionPerson>>> {
    let rows = sqlx::query!(
        r#"select p.session_id, p.user_id, u.display_name, p.role as "role: SessionRole"
           from session_people p join users u on u.id = p.user_id
           where p.session_id = any ($1)
           order by p.role, u.display_name"#,
        session_ids
    )
    .fetch_all(db)
    .await?;
    let mut people: HashMap<Uuid, Vec<SessionPerson>> = HashMap::new();
    for row in rows {
        people
            .entry(row.session_id)
            .or_default()
            .push(SessionPerson {
                user_id: row.user_id,
                display_name: row.display_name,
                role: row.role,
            });
    }
    Ok(people)
}

/// One session the viewer may see; `NotFound` otherwise (an invite-only session stays secret).
pub async fn fetch_session(
    db: &PgPool,
    viewer: &ConferenceAccess,
    session_id: Uuid,
) -> AppResult<Session> {
    let filter = SessionFilter {
        session_id: Some(session_id),
        ..SessionFilter::default()
    };
    fetch_sessions(db, viewer, filter)
        .await?
        .pop()
        .ok_or(AppError::NotFound("session"))
}

/// The agenda, filtered by kind and spoken language.
#[utoipa::path(get, path = "/api/conferences/{slug}/sessions", tag = "sessions",
    params(ConferenceSlug, SessionFilter),
    responses((status = 200, description = "The sessions the caller may see, by start time", body = [Session])))]
#[tracing::instrument(skip_all)]
pub async fn list_sessions(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    AppQuery(filter): AppQuery<SessionFilter>,
) -> AppResult<Json<Vec<Session>>> {
    Ok(Json(fetch_sessions(&db, &access, filter).await?))
}

/// One session.
#[utoipa::path(get, path = "/api/conferences/{slug}/sessions/{id}", tag = "sessions",
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The session's id")),
    responses((status = 200, description = "The session", body = Session)))]
#[tracing::instrument(skip_all)]
pub async fn get_session(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    AppPath((_slug, id)): AppPath<(String, Uuid)>,
) -> AppResult<Json<Session>> {
    Ok(Json(fetch_session(&db, &access, id).await?))
}

/// Adds a session to the agenda. Organisers only.
#[utoipa::path(post, path = "/api/conferences/{slug}/sessions", tag = "sessions",
    params(ConferenceSlug), request_body = SessionInput,
    responses((status = 201, description = "The new session", body = Session),
              (status = 403, description = "Not an organiser of this conference", body = ErrorBody),
              (status = 422, description = "A field breaks a rule", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn create_session(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    body: AfterRoleCheck<AppJson<SessionInput>>,
) -> AppResult<(StatusCode, Json<Session>)> {
    access.require(ConferenceRole::Organiser)?;
    let AppJson(input) = body?;
    let input = input.normalised(&db, access.conference_id).await?;
    let id = Uuid::new_v4();
    let mut tx = db.begin().await?;
    write_session(&mut tx, access.conference_id, id, &input).await?;
    // Its visibility may have changed: who is in its live room is asked again.
    super::live::session_access_changed(&mut tx, id).await?;
    crate::audit::record(
        &mut *tx,
        access.conference_id,
        access.user.id,
        "session.create",
        serde_json::json!({"session_id": id}),
    )
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(fetch_session(&db, &access, id).await?),
    ))
}

/// Replaces a session's details. Organisers only.
#[utoipa::path(put, path = "/api/conferences/{slug}/sessions/{id}", tag = "sessions",
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The session's id")),
    request_body = SessionInput,
    responses((status = 200, description = "The updated session", body = Session),
              (status = 403, description = "Not an organiser of this conference", body = ErrorBody),
              (status = 404, description = "No such session", body = ErrorBody),
              (status = 422, description = "A field breaks a rule", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn update_session(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    AppPath((_slug, id)): AppPath<(String, Uuid)>,
    body: AfterRoleCheck<AppJson<SessionInput>>,
) -> AppResult<Json<Session>> {
    access.require(ConferenceRole::Organiser)?;
    let AppJson(input) = body?;
    let input = input.normalised(&db, access.conference_id).await?;
    let mut tx = db.begin().await?;
    lock_session(&mut tx, access.conference_id, id).await?;
    write_session(&mut tx, access.conference_id, id, &input).await?;
    // Its visibility may have changed: who is in its live room is asked again.
    super::live::session_access_changed(&mut tx, id).await?;
    crate::audit::record(
        &mut *tx,
        access.conference_id,
        access.user.id,
        "session.update",
        serde_json::json!({"session_id": id}),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(fetch_session(&db, &access, id).await?))
}

/// Locks a session row for the rest of the transaction (serialising concurrent edits);
/// `NotFound` when the conference has no such session.
async fn lock_session(tx: &mut sqlx::PgConnection, conference_id: Uuid, id: Uuid) -> AppResult<()> {
    sqlx::query_scalar!(
        "select id from sessions where id = $1 and conference_id = $2 for update",
        id,
        conference_id
    )
    .fetch_optional(tx)
    .await?
    .ok_or(AppError::NotFound("session"))?;
    Ok(())
}

/// Inserts a session, or replaces every field of the existing one with that id.
async fn write_session(
    tx: &mut sqlx::PgConnection,
    conference_id: Uuid,
    id: Uuid,
    input: &SessionInput,
) -> AppResult<()> {
    sqlx::query!(
        "insert into sessions (id, conference_id, kind, title, description, starts_at, ends_at, capacity,
                               languages, stream_url, visibility, venue_city, venue_address)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         on conflict (id) do update set kind = $3, title = $4, description = $5, starts_at = $6,
             ends_at = $7, capacity = $8, languages = $9, stream_url = $10, visibility = $11,
             venue_city = $12, venue_address = $13, updated_at = now()",
        id,
        conference_id,
        input.kind as SessionKind,
        &input.title as _,
        &input.description as _,
        input.starts_at,
        input.ends_at,
        input.capacity,
        &input.languages,
        input.stream_url,
        input.visibility as Visibility,
        input.venue.as_ref().map(|venue| venue.city.clone()),
        input.venue.as_ref().map(|venue| venue.address.clone()),
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// Removes a session from the agenda. Organisers only.
#[utoipa::path(delete, path = "/api/conferences/{slug}/sessions/{id}", tag = "sessions",
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The session's id")),
    responses((status = 204, description = "Removed"),
              (status = 403, description = "Not an organiser of this conference", body = ErrorBody),
              (status = 404, description = "No such session", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn delete_session(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    AppPath((_slug, id)): AppPath<(String, Uuid)>,
) -> AppResult<StatusCode> {
    access.require(ConferenceRole::Organiser)?;
    let mut tx = db.begin().await?;
    let deleted = sqlx::query!(
        "delete from sessions where id = $1 and conference_id = $2",
        id,
        access.conference_id
    )
    .execute(&mut *tx)
    .await?;
    if deleted.rows_affected() == 0 {
        return Err(AppError::NotFound("session"));
    }
    super::live::session_access_changed(&mut tx, id).await?;
    crate::audit::record(
        &mut *tx,
        access.conference_id,
        access.user.id,
        "session.delete",
        serde_json::json!({"session_id": id}),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"user_id": "0b5cdbb5-6f0e-4a59-9d55-2d1e0c7a51f3", "role": "speaker"}))]
pub struct PersonAssignment {
    pub user_id: Uuid,
    pub role: SessionRole,
}

const MAX_PEOPLE_PER_SESSION: usize = 100;

/// Sets who moderates, speaks, facilitates or is invited. Organisers only.
#[utoipa::path(put, path = "/api/conferences/{slug}/sessions/{id}/people", tag = "sessions",
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The session's id")),
    request_body(content = [PersonAssignment],
                 description = "Everyone assigned to the session: at most 100, each person once, all members"),
    responses((status = 200, description = "The session with its people", body = Session),
              (status = 403, description = "Not an organiser of this conference", body = ErrorBody),
              (status = 404, description = "No such session", body = ErrorBody),
              (status = 422, description = "A person is listed twice, is not a member, or too many", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn set_people(
    State(db): State<PgPool>,
    State(realtime): State<Realtime>,
    access: ConferenceAccess,
    AppPath((_slug, id)): AppPath<(String, Uuid)>,
    body: AfterRoleCheck<AppJson<Vec<PersonAssignment>>>,
) -> AppResult<Json<Session>> {
    access.require(ConferenceRole::Organiser)?;
    let AppJson(people) = body?;
    if people.len() > MAX_PEOPLE_PER_SESSION {
        return Err(AppError::field(
            "people",
            Problem::TooMany {
                max: MAX_PEOPLE_PER_SESSION,
            },
        ));
    }
    let user_ids: Vec<Uuid> = people.iter().map(|person| person.user_id).collect();
    let roles: Vec<SessionRole> = people.iter().map(|person| person.role).collect();
    let mut distinct = user_ids.clone();
    distinct.sort();
    distinct.dedup();
    if distinct.len() != user_ids.len() {
        return Err(AppError::field("people", Problem::Duplicate));
    }
    let mut etx = EventTx::begin(&db).await?;
    let tx = etx.conn();
    lock_session(tx, access.conference_id, id).await?;
    let members = sqlx::query_scalar!(
        r#"select count(*) as "count!" from conference_members where conference_id = $1 and user_id = any ($2)"#,
        access.conference_id,
        &user_ids
    )
    .fetch_one(&mut *tx)
    .await?;
    if members != user_ids.len() as i64 {
        return Err(AppError::field("people", Problem::NotMember));
    }
    let before = people_of(&mut *tx, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    sqlx::query!("delete from session_people where session_id = $1", id)
        .execute(&mut *tx)
        .await?;
    sqlx::query!(
        "insert into session_people (session_id, user_id, role)
         select $1, * from unnest ($2::uuid[], $3::session_role[])",
        id,
        &user_ids,
        &roles as &[SessionRole]
    )
    .execute(&mut *tx)
    .await?;
    super::live::session_access_changed(&mut *tx, id).await?;
    crate::audit::record(
        &mut *tx,
        access.conference_id,
        access.user.id,
        "session.set_people",
        serde_json::json!({"session_id": id, "count": user_ids.len()}),
    )
    .await?;
    let now: Vec<(Uuid, SessionRole)> = user_ids.into_iter().zip(roles).collect();
    notices::session_assigned(&mut etx, id, &before, &now).await?;
    etx.commit(&realtime.hub).await?;
    Ok(Json(fetch_session(&db, &access, id).await?))
}
