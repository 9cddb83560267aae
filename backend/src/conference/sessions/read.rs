//! Reading the agenda: the sessions a viewer may see, with their people.

use std::collections::HashMap;

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use sqlx::{PgExecutor, PgPool};
use utoipa::IntoParams;
use uuid::Uuid;

use super::{
    sees_every_session, Session, SessionKind, SessionPerson, SessionRole, Venue, Visibility,
};
use crate::conference::{ConferenceAccess, ConferenceRole, ConferenceSlug};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::http::{AfterRoleCheck, AppPath, AppQuery};
use crate::text::LocalizedText;

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

/// The people of each of `session_ids`, by role and name.
pub async fn people_of(
    db: impl PgExecutor<'_>,
    session_ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<SessionPerson>>> {
    let rows = sqlx::query!(
        r#"select p.session_id, p.user_id, u.display_name, p.role as "role: SessionRole",
                  coalesce(pr.organisation, '') as "organisation!", c.photo_url as "photo_url?",
                  coalesce(c.bio, '{}') as "bio!: LocalizedText"
           from session_people p
           join sessions s on s.id = p.session_id
           join users u on u.id = p.user_id
           left join profiles pr on pr.user_id = p.user_id
           left join speaker_cards c on c.conference_id = s.conference_id and c.user_id = p.user_id
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
                organisation: row.organisation,
                photo_url: row.photo_url,
                bio: row.bio,
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

/// The agenda, filtered by kind and spoken language. Members only: until their registration
/// is approved, people see the public programme (`GET /api/public/conferences/{slug}`).
#[utoipa::path(get, path = "/api/conferences/{slug}/sessions", tag = "sessions",
    params(ConferenceSlug, SessionFilter),
    responses((status = 200, description = "The sessions the caller may see, by start time", body = [Session]),
              (status = 403, description = "Not a member of this conference", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list_sessions(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    filter: AfterRoleCheck<AppQuery<SessionFilter>>,
) -> AppResult<Json<Vec<Session>>> {
    access.require(ConferenceRole::Attendee)?;
    let AppQuery(filter) = filter?;
    Ok(Json(fetch_sessions(&db, &access, filter).await?))
}

/// One session.
#[utoipa::path(get, path = "/api/conferences/{slug}/sessions/{id}", tag = "sessions",
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The session's id")),
    responses((status = 200, description = "The session", body = Session),
              (status = 403, description = "Not a member of this conference", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn get_session(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    AppPath((_slug, id)): AppPath<(String, Uuid)>,
) -> AppResult<Json<Session>> {
    access.require(ConferenceRole::Attendee)?;
    Ok(Json(fetch_session(&db, &access, id).await?))
}
