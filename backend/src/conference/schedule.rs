//! Personal schedules: bookmarks and the `.ics` calendar export.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use icalendar::{Calendar, Component, EventLike};
use serde::Deserialize;
use sqlx::PgPool;
use utoipa::IntoParams;
use uuid::Uuid;

use super::access::{ConferenceAccess, ConferenceSlug};
use super::conferences::load_conference;
use super::sessions::{fetch_session, fetch_sessions, Session, SessionFilter};
use crate::error::{AppResult, ErrorBody};
use crate::http::{AppPath, AppQuery, Site};
use crate::text::reader_language;

/// Adds a session to the caller's schedule.
#[utoipa::path(put, path = "/api/conferences/{slug}/sessions/{id}/bookmark", tag = "sessions",
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The session's id")),
    responses((status = 204, description = "In the schedule"),
              (status = 404, description = "No such session (or not visible to the caller)", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn add_bookmark(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    AppPath((_slug, id)): AppPath<(String, Uuid)>,
) -> AppResult<StatusCode> {
    // Only a session the caller may see can be bookmarked.
    fetch_session(&db, &access, id).await?;
    sqlx::query!(
        "insert into bookmarks (user_id, session_id) values ($1, $2) on conflict do nothing",
        access.user.id,
        id
    )
    .execute(&db)
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes a session from the caller's schedule.
#[utoipa::path(delete, path = "/api/conferences/{slug}/sessions/{id}/bookmark", tag = "sessions",
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The session's id")),
    responses((status = 204, description = "Not in the schedule (any more)")))]
#[tracing::instrument(skip_all)]
pub async fn remove_bookmark(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    AppPath((_slug, id)): AppPath<(String, Uuid)>,
) -> AppResult<StatusCode> {
    sqlx::query!(
        "delete from bookmarks b using sessions s
         where b.session_id = s.id and s.conference_id = $1 and b.user_id = $2 and b.session_id = $3",
        access.conference_id,
        access.user.id,
        id
    )
    .execute(&db)
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's bookmarked sessions.
#[utoipa::path(get, path = "/api/conferences/{slug}/schedule", tag = "sessions",
    params(ConferenceSlug),
    responses((status = 200, description = "The bookmarked sessions, by start time", body = [Session])))]
#[tracing::instrument(skip_all)]
pub async fn my_schedule(
    State(db): State<PgPool>,
    access: ConferenceAccess,
) -> AppResult<Json<Vec<Session>>> {
    Ok(Json(fetch_sessions(&db, &access, bookmarked()).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CalendarOptions {
    /// Language of titles and descriptions (ISO 639-1), e.g. the interface language; a text
    /// missing in it comes in the conference's first language that has it.
    #[param(example = "nl", pattern = "^[a-z]{2}$")]
    pub lang: Option<String>,
}

/// The caller's schedule as an iCalendar file.
#[utoipa::path(get, path = "/api/conferences/{slug}/schedule.ics", tag = "sessions",
    params(ConferenceSlug, CalendarOptions),
    responses((status = 200, description = "An iCalendar file (attachment)", content_type = "text/calendar",
               body = String, example = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n...\r\nEND:VCALENDAR\r\n")))]
#[tracing::instrument(skip_all)]
pub async fn my_schedule_ics(
    State(db): State<PgPool>,
    State(site): State<Arc<Site>>,
    access: ConferenceAccess,
    AppQuery(options): AppQuery<CalendarOptions>,
) -> AppResult<impl IntoResponse> {
    let lang = reader_language(options.lang.as_deref())?;
    let conference = load_conference(&db, access.conference_id, access.role).await?;
    let sessions = fetch_sessions(&db, &access, bookmarked()).await?;
    // The reader's language first, then the conference's own, in its order.
    let mut languages: Vec<&str> = lang.into_iter().collect();
    languages.extend(conference.summary.languages.iter().map(String::as_str));
    let slug = &conference.summary.slug;

    let mut calendar = Calendar::new();
    calendar.name(conference.summary.title.best(&languages));
    calendar.timezone(conference.summary.time_zone.as_str());
    for session in &sessions {
        let url = format!("{}/c/{slug}/sessions/{}", site.public_url, session.id);
        let location = match &session.venue {
            Some(venue) if venue.address.is_empty() => venue.city.clone(),
            Some(venue) => format!("{}, {}", venue.address, venue.city),
            None => url.clone(),
        };
        calendar.push(
            icalendar::Event::new()
                .uid(&format!("{}@viaduc", session.id))
                .summary(session.title.best(&languages))
                .description(session.description.best(&languages))
                .starts(session.starts_at)
                .ends(session.ends_at)
                .location(&location)
                .url(&url)
                .done(),
        );
    }
    let body = calendar.done().to_string();
    let disposition = format!("attachment; filename=\"{slug}-schedule.ics\"");
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    ))
}

fn bookmarked() -> SessionFilter {
    SessionFilter {
        bookmarked_only: true,
        ..SessionFilter::default()
    }
}
