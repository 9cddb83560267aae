//! Chat in session rooms and private rooms: send, delete one's own message, history by
//! page, and moderation (hide, slow mode, mute). Messages are plain text of at most 2,000
//! characters; clients render links as text with `rel="noopener nofollow ugc"`.
//! The worked example of a live feature in `docs/realtime.md`.

mod messages;
mod moderation;
pub use moderation::is_muted;
pub mod wire;

use async_trait::async_trait;
use serde_json::Value;
use sqlx::PgConnection;

use crate::conference::live::SESSION_ROOM;
use crate::error::AppResult;
use crate::private_rooms::PRIVATE_ROOM;
use crate::realtime::feature::{
    parse_command, to_json, typescript_module, CommandCtx, LiveFeature, Viewer,
};
use crate::realtime::log::EventTx;
use crate::realtime::room::RoomId;
use wire::ChatCommand;

/// Chat as a live feature.
pub struct Chat;

#[async_trait]
impl LiveFeature for Chat {
    fn name(&self) -> &'static str {
        "chat"
    }

    fn rooms(&self) -> &'static [crate::realtime::room::RoomKind] {
        &[SESSION_ROOM, PRIVATE_ROOM]
    }

    fn is_read_only(&self, command: &str) -> bool {
        command == "chat.history"
    }

    async fn query(&self, ctx: &CommandCtx<'_>, command: &str, data: Value) -> AppResult<Value> {
        match parse_command(command, data)? {
            ChatCommand::History(request) => to_json(&messages::history(ctx, request).await?),
            _ => Err(crate::error::AppError::NotFound("command")),
        }
    }

    async fn command(
        &self,
        ctx: &CommandCtx<'_>,
        etx: &mut EventTx,
        command: &str,
        data: Value,
    ) -> AppResult<Value> {
        match parse_command(command, data)? {
            ChatCommand::Send(message) => to_json(&messages::send(ctx, etx, message).await?),
            ChatCommand::Delete(message) => to_json(&messages::delete(ctx, etx, message).await?),
            ChatCommand::Hide(message) => to_json(&moderation::hide(ctx, etx, message).await?),
            ChatCommand::SlowMode(slow) => to_json(&moderation::slow_mode(ctx, etx, slow).await?),
            ChatCommand::Mute(mute) => to_json(&moderation::mute(ctx, etx, mute).await?),
            ChatCommand::Unmute(who) => to_json(&moderation::unmute(ctx, etx, who).await?),
            // Read-only: never reaches here (see `is_read_only`).
            ChatCommand::History(_) => Err(crate::error::AppError::NotFound("command")),
        }
    }

    async fn snapshot(
        &self,
        db: &mut PgConnection,
        room: RoomId,
        viewer: &Viewer<'_>,
    ) -> AppResult<Value> {
        to_json(&messages::snapshot(db, room, viewer).await?)
    }

    fn typescript(&self) -> Option<(String, String)> {
        Some(typescript_module("chat", &wire::typescript_decls()))
    }
}
