//! A working group's synthesis: the facilitators and the rapporteurs they name write it
//! together, live, in one collaborative document (a Yjs CRDT, `document.rs`), pre-filled
//! from the board (`prefill.rs`), and publish frozen versions of it (`versions.rs`) to the
//! conference's Outcomes page (`outcomes.rs`, REST), where organisers also gather every
//! group's into one conference synthesis (`gather.rs`).
//!
//! It takes part in the working group's room (`workshop:<session id>`, brought by the
//! board). Each edit is one command: the update is checked and applied to the stored
//! document in the command's transaction and goes out as a durable room event, so the log
//! gives every screen the edits in order, exactly once, across reconnects; a snapshot
//! carries the whole document as one update.

mod document;
mod editing;
mod gather;
mod outcomes;
mod prefill;
mod versions;
pub mod wire;

use std::sync::Arc;

use async_trait::async_trait;
use axum::extract::FromRef;
use serde_json::Value;
use sqlx::{PgConnection, PgPool};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::wire::Empty;
use super::WORKSHOP_ROOM;
use crate::auth::tokens::TokenKeys;
use crate::error::{AppError, AppResult};
use crate::http::Site;
use crate::realtime::feature::{
    parse_command, to_json, typescript_module, CommandCtx, LiveFeature, Viewer,
};
use crate::realtime::log::EventTx;
use crate::realtime::room::{RoomId, RoomKind, MODERATOR};
use wire::SynthesisCommand;

/// The Outcomes page's REST routes.
pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    PgPool: FromRef<S>,
    Arc<TokenKeys>: FromRef<S>,
    Arc<Site>: FromRef<S>,
{
    OpenApiRouter::new()
        .routes(routes!(outcomes::list))
        .routes(routes!(outcomes::set_visibility))
        .routes(routes!(outcomes::group))
        .routes(routes!(outcomes::markdown))
        .routes(routes!(gather::conference_synthesis))
}

/// The facilitators' commands ask for this.
fn require_facilitator(ctx: &CommandCtx<'_>) -> AppResult<()> {
    ctx.rights.require(
        MODERATOR,
        "only the working group's facilitators can do this",
    )
}

/// The synthesis as a live feature, in the working group's room.
pub struct Syntheses;

#[async_trait]
impl LiveFeature for Syntheses {
    fn name(&self) -> &'static str {
        "synthesis"
    }

    fn rooms(&self) -> &'static [RoomKind] {
        &[WORKSHOP_ROOM]
    }

    fn is_read_only(&self, command: &str) -> bool {
        command == "synthesis.candidates"
    }

    async fn query(&self, ctx: &CommandCtx<'_>, command: &str, data: Value) -> AppResult<Value> {
        match parse_command(command, data)? {
            SynthesisCommand::Candidates(Empty {}) => to_json(&editing::candidates(ctx).await?),
            _ => Err(AppError::NotFound("command")),
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
            SynthesisCommand::Edit(edit) => to_json(&editing::edit(ctx, etx, edit).await?),
            SynthesisCommand::Prefill(it) => to_json(&editing::prefill(ctx, etx, it).await?),
            SynthesisCommand::Rapporteurs(it) => {
                to_json(&editing::name_rapporteurs(ctx, etx, it).await?)
            }
            SynthesisCommand::Publish(Empty {}) => to_json(&versions::publish(ctx, etx).await?),
            // Read-only: never reaches here (see `is_read_only`).
            SynthesisCommand::Candidates(_) => Err(AppError::NotFound("command")),
        }
    }

    async fn snapshot(
        &self,
        db: &mut PgConnection,
        room: RoomId,
        _viewer: &Viewer<'_>,
    ) -> AppResult<Value> {
        to_json(&editing::snapshot(db, room.id).await?)
    }

    fn typescript(&self) -> Option<(String, String)> {
        Some(typescript_module(
            "workshops/synthesis",
            &wire::typescript_decls(),
        ))
    }
}
