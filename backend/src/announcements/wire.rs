//! Announcements' wire types; the TypeScript twin (`frontend/src/lib/announcements/live.ts`)
//! is generated from them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// A command in a conference room (organisers).
#[derive(Debug, Deserialize, TS)]
#[serde(tag = "name", content = "data")]
pub enum AnnouncementCommand {
    /// Result: [`AnnouncementRef`].
    #[serde(rename = "announcement.publish")]
    Publish(Publish),
    /// Result: [`AnnouncementRef`].
    #[serde(rename = "announcement.withdraw")]
    Withdraw(AnnouncementRef),
}

/// A durable change, in the conference room or the session room it targets.
#[derive(Debug, Serialize, TS)]
#[serde(tag = "name", content = "data")]
pub enum AnnouncementEvent {
    #[serde(rename = "announcement.published")]
    Published(Announcement),
    #[serde(rename = "announcement.withdrawn")]
    Withdrawn(AnnouncementRef),
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Announcement {
    pub id: Uuid,
    pub body: String,
    /// `None` when the author's account is gone.
    pub author_name: Option<String>,
    /// The session room it targets; `None`: everyone in the conference.
    pub room: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, TS)]
pub struct Publish {
    /// 1 to 2,000 characters, trimmed.
    pub body: String,
    /// A session room of this conference (`session:<id>`); absent: everyone.
    #[serde(default)]
    #[ts(optional)]
    pub room: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
pub struct AnnouncementRef {
    pub id: Uuid,
}

/// Announcements' part of a room snapshot: those shown in the room now.
#[derive(Debug, Serialize, TS)]
pub struct AnnouncementsSnapshot {
    /// Oldest first.
    pub current: Vec<Announcement>,
}

pub fn typescript_decls() -> Vec<String> {
    let cfg = crate::realtime::feature::ts_config();
    vec![
        AnnouncementCommand::decl(&cfg),
        AnnouncementEvent::decl(&cfg),
        Announcement::decl(&cfg),
        Publish::decl(&cfg),
        AnnouncementRef::decl(&cfg),
        AnnouncementsSnapshot::decl(&cfg),
    ]
}
