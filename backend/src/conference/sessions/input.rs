//! What an organiser sends to create or replace a session, and the checks it must pass.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use sqlx::PgPool;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{SessionKind, Venue, Visibility};
use crate::error::{AppError, AppResult, Problem};
use crate::text::{
    check_languages, description_schema, language_list_schema, normalise_title_and_description,
    title_schema, web_address, LocalizedText,
};

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
pub(super) fn session_input_example() -> serde_json::Value {
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

const MAX_CAPACITY: i32 = 100_000;

const MAX_SESSION_HOURS: i64 = 24;
const MAX_CITY_CHARS: usize = 100;
const MAX_ADDRESS_CHARS: usize = 300;

impl SessionInput {
    /// Checks every field against the rules and the conference's dates.
    pub(super) async fn normalised(self, db: &PgPool, conference_id: Uuid) -> AppResult<Self> {
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
        let stream_url = web_address("stream_url", self.stream_url)?;
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
