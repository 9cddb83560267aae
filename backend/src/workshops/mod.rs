//! Working groups: where a conference produces something. A working-group session has
//! seats (`seats.rs`: sign-up, a waitlist promoted in order) and a live board in its own
//! room, `workshop:<session id>`, that only the people seated, its facilitators (the
//! session's facilitators and moderators, the conference's moderators and organisers) and,
//! when the facilitator allows it, observers may enter:
//! - sections (`sections.rs`), by default those of a real cross-border workshop
//!   (`board.rs`): Questions · Findings · Proposals · Roadmap & commitments · Keywords;
//! - sticky notes (`notes.rs`) with their language, and the facilitators' tools;
//! - dot-voting rounds (`dots.rs`), exact under concurrency;
//! - the keyword cloud (`keywords.rs`), folding case and accents.
//!
//! Every event carries state read inside its command's transaction (a note's dots, the
//! cloud, the sections). A board's events are serialized by its room's row, locked from a
//! command's first event to its commit; counts (dots, the cloud) are read after taking that
//! lock, so each event includes every change whose event came before it, and the last one
//! is exact. Commands take their row locks in one order, so they cannot deadlock: the
//! board's row, then notes (by id), then voters' rows, then authors' rows, then the room.

mod board;
mod dots;
mod keywords;
mod notes;
mod seats;
mod sections;
pub mod seed;
pub mod synthesis;
pub mod wire;

use std::sync::Arc;

use async_trait::async_trait;
use axum::extract::FromRef;
use serde_json::Value;
use sqlx::{PgConnection, PgPool};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::auth::tokens::TokenKeys;
use crate::conference::live::session_rights;
use crate::error::{AppError, AppResult, ConflictReason};
use crate::realtime::feature::{
    parse_command, to_json, typescript_module, CommandCtx, LiveFeature, RoomRules, Viewer,
};
use crate::realtime::log::EventTx;
use crate::realtime::room::{Rights, RoomId, RoomKind, MODERATOR};
use crate::realtime::Realtime;
use wire::BoardCommand;

/// A working group's room: its board, and later its synthesis.
pub const WORKSHOP_ROOM: RoomKind = RoomKind::new("workshop");
/// Room roles beside the session's: someone with a seat writes on the board; an observer
/// only reads it. Who runs the session (`moderator`) facilitates.
pub const PARTICIPANT: &str = "participant";
pub const OBSERVER: &str = "observer";

pub fn workshop_room(session_id: Uuid) -> RoomId {
    RoomId::new(WORKSHOP_ROOM, session_id)
}

/// The working groups' REST routes: seats.
pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    PgPool: FromRef<S>,
    Arc<TokenKeys>: FromRef<S>,
    Realtime: FromRef<S>,
{
    OpenApiRouter::new().routes(routes!(seats::show, seats::sign_up, seats::withdraw))
}

/// Whoever may write on the board: a participant or a facilitator.
fn require_writer(ctx: &CommandCtx<'_>) -> AppResult<()> {
    if ctx.rights.has(PARTICIPANT) || ctx.rights.has(MODERATOR) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "only the people seated in this working group can write on its board",
        ))
    }
}

/// The facilitators' tools ask for this.
fn require_facilitator(ctx: &CommandCtx<'_>) -> AppResult<()> {
    ctx.rights.require(
        MODERATOR,
        "only the working group's facilitators can do this",
    )
}

/// A participant's change on a locked board is refused; facilitators still arrange it.
async fn require_unlocked(ctx: &CommandCtx<'_>, db: &mut PgConnection) -> AppResult<()> {
    if ctx.rights.has(MODERATOR) {
        return Ok(());
    }
    if board::is_locked(db, ctx.room.id).await? {
        return Err(AppError::conflict(ConflictReason::BoardLocked));
    }
    Ok(())
}

/// The working group's room.
struct Workshop;

#[async_trait]
impl RoomRules for Workshop {
    fn kind(&self) -> RoomKind {
        WORKSHOP_ROOM
    }

    /// The session's rights, with `participant` for a seat or `observer` when the
    /// facilitator lets members read; to anyone else, and for any other kind of session,
    /// it does not exist. The board is made on the first entry.
    async fn enter(&self, db: &PgPool, user_id: Uuid, session_id: Uuid) -> AppResult<Rights> {
        let mut rights = session_rights(db, user_id, session_id).await?;
        if !seats::is_working_group(db, session_id).await? {
            return Err(AppError::NotFound("room"));
        }
        let observers = board::ensure(db, session_id).await?;
        if seats::is_seated(db, session_id, user_id).await? {
            rights.roles.push(PARTICIPANT);
        } else if !rights.has(MODERATOR) {
            if !observers {
                return Err(AppError::NotFound("room"));
            }
            rights.roles.push(OBSERVER);
        }
        Ok(rights)
    }
}

/// The board as a live feature; it brings the workshop room.
pub struct Boards;

#[async_trait]
impl LiveFeature for Boards {
    fn name(&self) -> &'static str {
        "board"
    }

    fn room_kinds(&self) -> Vec<Box<dyn RoomRules>> {
        vec![Box::new(Workshop)]
    }

    fn rooms(&self) -> &'static [RoomKind] {
        &[WORKSHOP_ROOM]
    }

    async fn command(
        &self,
        ctx: &CommandCtx<'_>,
        etx: &mut EventTx,
        command: &str,
        data: Value,
    ) -> AppResult<Value> {
        match parse_command(command, data)? {
            BoardCommand::AddNote(note) => to_json(&notes::add(ctx, etx, note).await?),
            BoardCommand::EditNote(edit) => to_json(&notes::edit(ctx, etx, edit).await?),
            BoardCommand::DeleteNote(note) => to_json(&notes::delete(ctx, etx, note).await?),
            BoardCommand::MoveNote(to) => to_json(&notes::move_to(ctx, etx, to).await?),
            BoardCommand::ArrangeNote(it) => to_json(&notes::arrange(ctx, etx, it).await?),
            BoardCommand::MergeNotes(merge) => to_json(&notes::merge(ctx, etx, merge).await?),
            BoardCommand::Dot(note) => to_json(&dots::dot(ctx, etx, note).await?),
            BoardCommand::Undot(note) => to_json(&dots::undot(ctx, etx, note).await?),
            BoardCommand::OpenRound(round) => to_json(&dots::open(ctx, etx, round).await?),
            BoardCommand::CloseRound(_) => to_json(&dots::close(ctx, etx).await?),
            BoardCommand::ProposeKeyword(word) => {
                to_json(&keywords::propose(ctx, etx, word).await?)
            }
            BoardCommand::WithdrawKeyword(word) => {
                to_json(&keywords::withdraw(ctx, etx, word).await?)
            }
            BoardCommand::AddSection(section) => to_json(&sections::add(ctx, etx, section).await?),
            BoardCommand::EditSection(edit) => to_json(&sections::edit(ctx, etx, edit).await?),
            BoardCommand::MoveSection(to) => to_json(&sections::move_to(ctx, etx, to).await?),
            BoardCommand::RemoveSection(it) => to_json(&sections::remove(ctx, etx, it).await?),
            BoardCommand::Settings(change) => to_json(&board::settings(ctx, etx, change).await?),
            BoardCommand::Timer(timer) => to_json(&board::timer(ctx, etx, timer).await?),
            BoardCommand::CallModerator(_) => to_json(&board::call_moderator(ctx, etx).await?),
        }
    }

    async fn snapshot(
        &self,
        db: &mut PgConnection,
        room: RoomId,
        viewer: &Viewer<'_>,
    ) -> AppResult<Value> {
        to_json(&board::snapshot(db, room.id, viewer.user_id).await?)
    }

    fn typescript(&self) -> Option<(String, String)> {
        Some(typescript_module("workshops", &wire::typescript_decls()))
    }
}
