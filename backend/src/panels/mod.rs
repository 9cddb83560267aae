//! Panels: what happens in a plenary or panel session beside its chat. So far:
//! - moderated Q&A (`qa.*`): attendees ask (optionally anonymously, tagged with the
//!   language) and upvote; moderators approve when pre-moderation is on, hide, mark "now
//!   answering" and answered, edit, merge duplicates;
//! - polls (`poll.*`): drafted ahead, opened, answered, shown, closed;
//! - the stage (`stage.*`): the live state on every screen and a pinned message, and
//!   backstage the one stage queue's rule and who has had the floor;
//! - the hand-raise queue (`hand.*`): raise, invite to speak, accept, dismiss;
//! - reactions (`reaction.*`): ephemeral, aggregated by the server (`realtime/pulse.rs`);
//! - the downloads of the people who run a session (`exports.rs`): questions, polls and
//!   attendance.
//!
//! Both live in the session's room (`session:<id>`) as attendees see them and in its
//! backstage (`backstage:<id>`) as moderators see them. Upvotes and poll counts reach
//! screens coalesced (`realtime/coalesce.rs`).

mod backstage;
pub mod embed;
mod exports;
mod hands;
mod moderation;
mod polls;
mod questions;
mod reactions;
mod stage;
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
use crate::conference::live::SESSION_ROOM;
use crate::error::AppResult;
use crate::realtime::coalesce::{Coalesced, Tally};
use crate::realtime::feature::{
    parse_command, to_json, typescript_module, CommandCtx, LiveFeature, RoomRules, Viewer,
};
use crate::realtime::hub::Hub;
use crate::realtime::log::EventTx;
use crate::realtime::room::{RoomId, RoomKind, MODERATOR};
use backstage::{Backstage, BACKSTAGE};
use wire::VoteCounts;
use wire::{
    BackstageEvent, HandCommand, PollCommand, QaCommand, QaEvent, ReactionCommand, StageCommand,
};

/// The panels' REST routes: the session's downloads.
pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    PgPool: FromRef<S>,
    Arc<TokenKeys>: FromRef<S>,
{
    OpenApiRouter::new()
        .routes(routes!(exports::questions_csv))
        .routes(routes!(exports::questions_markdown))
        .routes(routes!(exports::polls_csv))
        .routes(routes!(exports::attendance_csv))
}

/// Every command that runs the session (moderation, polls, the stage) asks for this.
fn require_moderator(ctx: &CommandCtx<'_>) -> AppResult<()> {
    ctx.rights
        .require(MODERATOR, "only the session's moderators can do this")
}

/// Q&A as a live feature.
#[derive(Default)]
pub struct Qa {
    /// Upvotes whose counts wait for the next coalesced event.
    votes: Arc<Coalesced>,
}

#[async_trait]
impl LiveFeature for Qa {
    fn name(&self) -> &'static str {
        "qa"
    }

    fn room_kinds(&self) -> Vec<Box<dyn RoomRules>> {
        vec![Box::new(Backstage)]
    }

    fn rooms(&self) -> &'static [RoomKind] {
        &[SESSION_ROOM, BACKSTAGE]
    }

    fn start(&self, hub: &Arc<Hub>) {
        tokio::spawn(Arc::clone(&self.votes).run(Arc::clone(hub), VoteTally));
    }

    async fn command(
        &self,
        ctx: &CommandCtx<'_>,
        etx: &mut EventTx,
        command: &str,
        data: Value,
    ) -> AppResult<Value> {
        match parse_command(command, data)? {
            QaCommand::Ask(ask) => to_json(&questions::ask(ctx, etx, ask).await?),
            QaCommand::Upvote(it) => to_json(&questions::upvote(self, ctx, etx, it).await?),
            QaCommand::Unvote(it) => to_json(&questions::unvote(self, ctx, etx, it).await?),
            QaCommand::Approve(it) => to_json(&moderation::approve(ctx, etx, it).await?),
            QaCommand::Hide(it) => to_json(&moderation::hide(ctx, etx, it).await?),
            QaCommand::Answering(it) => to_json(&moderation::answering(ctx, etx, it).await?),
            QaCommand::Answered(it) => to_json(&moderation::answered(ctx, etx, it).await?),
            QaCommand::Edit(edit) => to_json(&moderation::edit(ctx, etx, edit).await?),
            QaCommand::Merge(merge) => to_json(&moderation::merge(ctx, etx, merge).await?),
            QaCommand::Premoderation(on) => {
                to_json(&moderation::premoderation(ctx, etx, on).await?)
            }
        }
    }

    async fn snapshot(
        &self,
        db: &mut PgConnection,
        room: RoomId,
        viewer: &Viewer<'_>,
    ) -> AppResult<Value> {
        if room.kind == BACKSTAGE {
            to_json(&questions::backstage_snapshot(db, room.id).await?)
        } else {
            to_json(&questions::snapshot(db, room.id, viewer).await?)
        }
    }

    fn typescript(&self) -> Option<(String, String)> {
        Some(typescript_module("panels", &wire::typescript_decls()))
    }
}

/// The upvote counts of the questions touched, in the room they were touched for.
struct VoteTally;

#[async_trait]
impl Tally for VoteTally {
    async fn tally(&self, etx: &mut EventTx, room: RoomId, items: Vec<Uuid>) -> AppResult<()> {
        let counts = VoteCounts {
            counts: questions::vote_counts(etx.conn(), &items).await?,
        };
        if room.kind == BACKSTAGE {
            etx.emit(room, &BackstageEvent::Votes(counts)).await?;
        } else {
            etx.emit(room, &QaEvent::Votes(counts)).await?;
        }
        Ok(())
    }
}

/// Polls as a live feature.
#[derive(Default)]
pub struct Polls {
    /// Answers whose counts wait for the next coalesced event.
    counts: Arc<Coalesced>,
}

#[async_trait]
impl LiveFeature for Polls {
    fn name(&self) -> &'static str {
        "poll"
    }

    fn rooms(&self) -> &'static [RoomKind] {
        &[SESSION_ROOM, BACKSTAGE]
    }

    fn start(&self, hub: &Arc<Hub>) {
        tokio::spawn(Arc::clone(&self.counts).run(Arc::clone(hub), PollTally));
    }

    async fn command(
        &self,
        ctx: &CommandCtx<'_>,
        etx: &mut EventTx,
        command: &str,
        data: Value,
    ) -> AppResult<Value> {
        match parse_command(command, data)? {
            PollCommand::Create(draft) => to_json(&polls::create(ctx, etx, draft).await?),
            PollCommand::Edit(edit) => to_json(&polls::edit(ctx, etx, edit).await?),
            PollCommand::Delete(poll) => to_json(&polls::delete(ctx, etx, poll).await?),
            PollCommand::Open(poll) => to_json(&polls::open(ctx, etx, poll).await?),
            PollCommand::Close(poll) => to_json(&polls::close(ctx, etx, poll).await?),
            PollCommand::Results(show) => to_json(&polls::results(ctx, etx, show).await?),
            PollCommand::Answer(answer) => to_json(&polls::answer(self, ctx, etx, answer).await?),
        }
    }

    async fn snapshot(
        &self,
        db: &mut PgConnection,
        room: RoomId,
        viewer: &Viewer<'_>,
    ) -> AppResult<Value> {
        to_json(&polls::snapshot(db, room, viewer).await?)
    }
}

/// The counts of the polls answered, as the room they were touched for may see them.
struct PollTally;

#[async_trait]
impl Tally for PollTally {
    async fn tally(&self, etx: &mut EventTx, room: RoomId, items: Vec<Uuid>) -> AppResult<()> {
        polls::tally(etx, room, items).await
    }
}

/// The stage as a live feature.
pub struct LiveStage {
    /// The origins the operator lets a stage frame (`--embed-origins`).
    embed_origins: Arc<[String]>,
}

impl LiveStage {
    pub fn new(embed_origins: &[String]) -> LiveStage {
        LiveStage {
            embed_origins: embed_origins.into(),
        }
    }
}

#[async_trait]
impl LiveFeature for LiveStage {
    fn name(&self) -> &'static str {
        "stage"
    }

    fn rooms(&self) -> &'static [RoomKind] {
        &[SESSION_ROOM, BACKSTAGE]
    }

    async fn command(
        &self,
        ctx: &CommandCtx<'_>,
        etx: &mut EventTx,
        command: &str,
        data: Value,
    ) -> AppResult<Value> {
        match parse_command(command, data)? {
            StageCommand::Set(set) => to_json(&stage::set(ctx, etx, set).await?),
            StageCommand::Pin(pin) => to_json(&stage::pin(ctx, etx, pin).await?),
            StageCommand::Fairness(rule) => to_json(&stage::fairness(ctx, etx, rule).await?),
        }
    }

    async fn snapshot(
        &self,
        db: &mut PgConnection,
        room: RoomId,
        _viewer: &Viewer<'_>,
    ) -> AppResult<Value> {
        if room.kind == BACKSTAGE {
            to_json(&stage::backstage(db, room.id).await?)
        } else {
            to_json(&stage::view(db, room.id, &self.embed_origins).await?)
        }
    }
}

/// The hand-raise queue as a live feature.
#[derive(Default)]
pub struct Hands {
    /// Sessions whose queue waits for the next coalesced event to their backstage.
    queue: Arc<Coalesced>,
}

#[async_trait]
impl LiveFeature for Hands {
    fn name(&self) -> &'static str {
        "hand"
    }

    fn rooms(&self) -> &'static [RoomKind] {
        &[SESSION_ROOM, BACKSTAGE]
    }

    fn is_read_only(&self, command: &str) -> bool {
        command == "hand.link"
    }

    fn start(&self, hub: &Arc<Hub>) {
        tokio::spawn(Arc::clone(&self.queue).run(Arc::clone(hub), QueueTally));
    }

    async fn query(&self, ctx: &CommandCtx<'_>, command: &str, data: Value) -> AppResult<Value> {
        match parse_command(command, data)? {
            HandCommand::Link(_) => to_json(&hands::link(ctx).await?),
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
            HandCommand::Raise(_) => to_json(&hands::raise(self, ctx, etx).await?),
            HandCommand::Lower(_) => to_json(&hands::lower(self, ctx, etx).await?),
            HandCommand::Accept(_) => to_json(&hands::accept(self, ctx, etx).await?),
            HandCommand::Invite(hand) => to_json(&hands::invite(self, ctx, etx, hand).await?),
            HandCommand::Dismiss(hand) => to_json(&hands::dismiss(self, ctx, etx, hand).await?),
            HandCommand::LowerAll(_) => to_json(&hands::lower_all(self, ctx, etx).await?),
            HandCommand::SetLink(link) => to_json(&hands::set_link(ctx, etx, link).await?),
            // Read-only: never reaches here (see `is_read_only`).
            HandCommand::Link(_) => Err(crate::error::AppError::NotFound("command")),
        }
    }

    async fn snapshot(
        &self,
        db: &mut PgConnection,
        room: RoomId,
        viewer: &Viewer<'_>,
    ) -> AppResult<Value> {
        to_json(&hands::snapshot(db, room, viewer).await?)
    }
}

/// The queue of each session touched, to its backstage.
struct QueueTally;

#[async_trait]
impl Tally for QueueTally {
    async fn tally(&self, etx: &mut EventTx, room: RoomId, items: Vec<Uuid>) -> AppResult<()> {
        hands::tally(etx, room, items).await
    }
}

/// Reactions as a live feature: its one command writes nothing durable.
pub struct Reactions;

#[async_trait]
impl LiveFeature for Reactions {
    fn name(&self) -> &'static str {
        "reaction"
    }

    fn rooms(&self) -> &'static [RoomKind] {
        &[SESSION_ROOM]
    }

    fn is_read_only(&self, _command: &str) -> bool {
        true
    }

    async fn query(&self, ctx: &CommandCtx<'_>, command: &str, data: Value) -> AppResult<Value> {
        match parse_command(command, data)? {
            ReactionCommand::Send(reaction) => to_json(&reactions::send(ctx, reaction)),
        }
    }
}
