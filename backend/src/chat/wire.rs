//! Chat's wire types: its commands and their results, its events, its snapshot part. The
//! TypeScript twin (`frontend/src/lib/chat/live.ts`) is generated from them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// A command in a chat room: `{"name": "chat.send", "data": {...}}`.
#[derive(Debug, Deserialize, TS)]
#[serde(tag = "name", content = "data")]
pub enum ChatCommand {
    /// Result: [`MessageRef`] of the new message.
    #[serde(rename = "chat.send")]
    Send(SendMessage),
    /// One's own message. Result: [`MessageRef`].
    #[serde(rename = "chat.delete")]
    Delete(MessageRef),
    /// Moderators. Result: [`MessageRef`].
    #[serde(rename = "chat.hide")]
    Hide(MessageRef),
    /// Moderators; 0 turns it off. Result: [`SlowMode`].
    #[serde(rename = "chat.slow_mode")]
    SlowMode(SlowMode),
    /// Moderators. Result: [`Muted`].
    #[serde(rename = "chat.mute")]
    Mute(Mute),
    /// Moderators. Result: [`Unmuted`].
    #[serde(rename = "chat.unmute")]
    Unmute(Unmuted),
    /// Read-only: older messages. Result: [`HistoryPage`].
    #[serde(rename = "chat.history")]
    History(HistoryRequest),
}

/// A durable change in a chat room.
#[derive(Debug, Serialize, TS)]
#[serde(tag = "name", content = "data")]
pub enum ChatEvent {
    #[serde(rename = "chat.sent")]
    Sent(ChatMessage),
    #[serde(rename = "chat.deleted")]
    Deleted(MessageRef),
    #[serde(rename = "chat.hidden")]
    Hidden(MessageRef),
    #[serde(rename = "chat.slow_mode")]
    SlowMode(SlowMode),
    #[serde(rename = "chat.muted")]
    Muted(Muted),
    #[serde(rename = "chat.unmuted")]
    Unmuted(Unmuted),
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ChatMessage {
    pub id: Uuid,
    pub author_id: Uuid,
    pub author_name: String,
    pub body: String,
    /// Hidden by a moderator (only moderators still see it).
    pub hidden: bool,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, TS)]
pub struct SendMessage {
    /// 1 to 2,000 characters, trimmed.
    pub body: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
pub struct MessageRef {
    pub id: Uuid,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
pub struct SlowMode {
    /// Seconds between two messages of one person, 0 to 3,600.
    pub seconds: i32,
}

#[derive(Debug, Deserialize, TS)]
pub struct Mute {
    pub user_id: Uuid,
    /// 1 to 43,200 (30 days); a day when absent.
    #[serde(default)]
    #[ts(optional)]
    pub minutes: Option<i64>,
}

#[derive(Debug, Clone, Copy, Serialize, TS)]
pub struct Muted {
    pub user_id: Uuid,
    pub until: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
pub struct Unmuted {
    pub user_id: Uuid,
}

#[derive(Debug, Default, Deserialize, TS)]
pub struct HistoryRequest {
    /// Messages before this one (default: the latest).
    #[serde(default)]
    #[ts(optional)]
    pub before: Option<Uuid>,
    /// 1 to 100 (default 50).
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, TS)]
pub struct HistoryPage {
    /// Newest first.
    pub messages: Vec<ChatMessage>,
    /// Older messages remain.
    pub more: bool,
}

/// Chat's part of a room snapshot.
#[derive(Debug, Serialize, TS)]
pub struct ChatSnapshot {
    /// The latest page, oldest first.
    pub messages: Vec<ChatMessage>,
    pub slow_mode_secs: i32,
    /// For moderators: who is muted now (to unmute them after a reload).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub muted: Option<Vec<Uuid>>,
}

/// The declarations of the generated module.
pub fn typescript_decls() -> Vec<String> {
    use crate::realtime::feature::ts_config;
    let cfg = ts_config();
    vec![
        ChatCommand::decl(&cfg),
        ChatEvent::decl(&cfg),
        ChatMessage::decl(&cfg),
        SendMessage::decl(&cfg),
        MessageRef::decl(&cfg),
        SlowMode::decl(&cfg),
        Mute::decl(&cfg),
        Muted::decl(&cfg),
        Unmuted::decl(&cfg),
        HistoryRequest::decl(&cfg),
        HistoryPage::decl(&cfg),
        ChatSnapshot::decl(&cfg),
    ]
}
