//! Notifications' wire types; the TypeScript twin
//! (`frontend/src/lib/notifications/live.ts`) is generated from them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;
use uuid::Uuid;

/// A command in one's own `user:` room.
#[derive(Debug, Deserialize, TS)]
#[serde(tag = "name", content = "data")]
pub enum NotificationCommand {
    /// Result: [`ReadNotifications`].
    #[serde(rename = "notification.read")]
    Read(NotificationRef),
    /// Result: [`ReadNotifications`].
    #[serde(rename = "notification.read_all")]
    ReadAll(ReadAll),
}

/// `notification.read_all` takes no data (`{}`).
#[derive(Debug, Default, Deserialize, TS)]
pub struct ReadAll {}

#[derive(Debug, Serialize, TS)]
#[serde(tag = "name", content = "data")]
pub enum NotificationEvent {
    #[serde(rename = "notification.created")]
    Created(Created),
    #[serde(rename = "notification.read")]
    Read(ReadNotifications),
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Notification {
    pub id: Uuid,
    /// What happened, e.g. `member.role_changed`; the client words it from `data`.
    pub kind: String,
    #[ts(type = "Record<string, unknown>")]
    pub data: Value,
    pub read: bool,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Serialize, TS)]
pub struct Created {
    pub notification: Notification,
    pub unread: i64,
}

#[derive(Debug, Clone, Copy, Deserialize, TS)]
pub struct NotificationRef {
    pub id: Uuid,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ReadNotifications {
    /// The notifications that became read.
    pub ids: Vec<Uuid>,
    pub unread: i64,
}

/// Notifications' part of the `user:` room's snapshot.
#[derive(Debug, Serialize, TS)]
pub struct NotificationsSnapshot {
    /// The latest 30, newest first.
    pub latest: Vec<Notification>,
    pub unread: i64,
}

pub fn typescript_decls() -> Vec<String> {
    let cfg = crate::realtime::feature::ts_config();
    vec![
        NotificationCommand::decl(&cfg),
        ReadAll::decl(&cfg),
        NotificationEvent::decl(&cfg),
        Notification::decl(&cfg),
        Created::decl(&cfg),
        NotificationRef::decl(&cfg),
        ReadNotifications::decl(&cfg),
        NotificationsSnapshot::decl(&cfg),
    ]
}
