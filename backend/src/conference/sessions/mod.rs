//! The agenda: sessions of every kind, who runs them, and who may see them.
//!
//! The types and the visibility rules live here; an organiser's input and its checks, the
//! reads, the writes and the assignment of people each have their own file.

pub(super) mod cards;
mod input;
pub(super) mod people;
pub(super) mod read;
pub(super) mod write;

pub use input::SessionInput;
pub use read::people_of;
pub use read::{fetch_session, fetch_sessions, SessionFilter};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::access::ConferenceRole;
use crate::text::LocalizedText;

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
    /// From their profile; empty when they gave none.
    pub organisation: String,
    /// Their speaker card (`PUT …/members/{user_id}/card`): a photo, or none for initials.
    #[schema(required = true)]
    pub photo_url: Option<String>,
    /// Their speaker card's short bio, by language.
    pub bio: LocalizedText,
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

/// ...and as it is read back.
fn session_example() -> serde_json::Value {
    let mut session = input::session_input_example();
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
