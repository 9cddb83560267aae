//! Awards: the conference's elections, such as the "European Cluster Manager of the Year".
//! Attendees nominate, organisers shortlist, the people on the frozen roll vote with a
//! secret ballot and keep a receipt, moderators close and reveal the result on every screen
//! at once, and anyone can recount the public board. `docs/election.md` holds the threat
//! model; in short:
//! - a ballot is cast over REST, not as a live command: the core records commands with
//!   their caller, which would link a voter to a choice (`ballots.rs`);
//! - participation (who voted) and ballots (what was chosen, by receipt hash) are separate
//!   rows with nothing in common but the election; the close rewrites both in an order
//!   that tells nothing (`phases.rs`);
//! - every step is in an append-only hash chain (`chain.rs`), published with the board
//!   (`board.rs`), which `viaduc election verify` recounts with the same rules (`count.rs`).
//!
//! Live, the conference room (`conference:<id>`) carries each election's phase, its
//! turnout (at most once a second) and, in one event, the reveal.

mod ballots;
mod board;
mod candidates;
mod chain;
pub mod count;
mod elections;
mod nominations;
mod phases;
pub mod seed;
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
use crate::conference::live::CONFERENCE_ROOM;
use crate::error::{AppError, AppResult};
use crate::realtime::feature::{to_json, typescript_module, LiveFeature, Viewer};
use crate::realtime::hub::Hub;
use crate::realtime::log::EventTx;
use crate::realtime::room::{RoomId, RoomKind};
use crate::realtime::Realtime;
use crate::text::LocalizedText;
use wire::{CandidateName, ElectionEvent, ElectionLive, ElectionResult, ElectionsSnapshot};
use wire::{Method, Phase};

pub use board::{verify, verify_file};

/// The elections' REST routes.
pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    PgPool: FromRef<S>,
    Arc<TokenKeys>: FromRef<S>,
    Realtime: FromRef<S>,
{
    OpenApiRouter::new()
        .routes(routes!(elections::list, elections::create))
        .routes(routes!(elections::show, elections::update))
        .routes(routes!(phases::change_phase))
        .routes(routes!(nominations::list, nominations::nominate))
        .routes(routes!(nominations::merge))
        .routes(routes!(candidates::add))
        .routes(routes!(candidates::edit, candidates::remove))
        .routes(routes!(ballots::roll))
        .routes(routes!(ballots::cast))
        .routes(routes!(board::board))
}

/// Elections as a live feature: their part of the conference room, and the node's clock
/// that opens and closes scheduled votes and publishes the turnout.
pub struct Elections;

#[async_trait]
impl LiveFeature for Elections {
    fn name(&self) -> &'static str {
        "election"
    }

    fn rooms(&self) -> &'static [RoomKind] {
        &[CONFERENCE_ROOM]
    }

    async fn snapshot(
        &self,
        db: &mut PgConnection,
        room: RoomId,
        _viewer: &Viewer<'_>,
    ) -> AppResult<Value> {
        let mut elections = Vec::new();
        for row in rows_of(db, room.id).await? {
            elections.push(live(db, &row).await?);
        }
        to_json(&ElectionsSnapshot { elections })
    }

    fn start(&self, hub: &Arc<Hub>) {
        tokio::spawn(phases::run_clock(Arc::clone(hub)));
    }

    fn typescript(&self) -> Option<(String, String)> {
        Some(typescript_module("awards", &wire::typescript_decls()))
    }
}

/// An election's row.
struct ElectionRow {
    id: Uuid,
    conference_id: Uuid,
    title: LocalizedText,
    description: LocalizedText,
    method: Method,
    phase: Phase,
    opens_at: Option<chrono::DateTime<chrono::Utc>>,
    closes_at: Option<chrono::DateTime<chrono::Utc>>,
    result: Option<ElectionResult>,
}

/// Election `id` of conference `conference_id`; with `lock`, locked until the end of the
/// transaction (every change takes this lock, a ballot shares it).
async fn row(
    db: &mut PgConnection,
    conference_id: Uuid,
    id: Uuid,
    lock: Lock,
) -> AppResult<ElectionRow> {
    let lock = match lock {
        Lock::None => "",
        Lock::Share => "for share",
        Lock::Update => "for update",
    };
    let query = format!(
        "select id, conference_id, title, description, method, phase, opens_at, closes_at, result
         from elections where id = $1 and conference_id = $2 {lock}"
    );
    let row: Option<RawRow> = sqlx::query_as(&query)
        .bind(id)
        .bind(conference_id)
        .fetch_optional(db)
        .await?;
    row.ok_or(AppError::NotFound("election"))?.parse()
}

#[derive(Clone, Copy)]
enum Lock {
    None,
    Share,
    Update,
}

/// The conference's elections, oldest first.
async fn rows_of(db: &mut PgConnection, conference_id: Uuid) -> AppResult<Vec<ElectionRow>> {
    let rows: Vec<RawRow> = sqlx::query_as(
        "select id, conference_id, title, description, method, phase, opens_at, closes_at, result
         from elections where conference_id = $1 order by created_at, id",
    )
    .bind(conference_id)
    .fetch_all(db)
    .await?;
    rows.into_iter().map(RawRow::parse).collect()
}

#[derive(sqlx::FromRow)]
struct RawRow {
    id: Uuid,
    conference_id: Uuid,
    title: sqlx::types::Json<LocalizedText>,
    description: sqlx::types::Json<LocalizedText>,
    method: Method,
    phase: Phase,
    opens_at: Option<chrono::DateTime<chrono::Utc>>,
    closes_at: Option<chrono::DateTime<chrono::Utc>>,
    result: Option<sqlx::types::Json<ElectionResult>>,
}

impl RawRow {
    fn parse(self) -> AppResult<ElectionRow> {
        Ok(ElectionRow {
            id: self.id,
            conference_id: self.conference_id,
            title: self.title.0,
            description: self.description.0,
            method: self.method,
            phase: self.phase,
            opens_at: self.opens_at,
            closes_at: self.closes_at,
            result: self.result.map(|result| result.0),
        })
    }
}

/// The roll's size and the turnout, once voting has opened. While voting, the turnout is
/// the one last published (at most once a second), not the live count: polling cannot
/// time one voter's ballot.
async fn turnout(
    db: &mut PgConnection,
    row: &ElectionRow,
) -> AppResult<(Option<i64>, Option<i64>)> {
    if row.phase < Phase::Voting {
        return Ok((None, None));
    }
    let counts = sqlx::query!(
        r#"select (select count(*) from election_roll where election_id = $1) as "roll!",
                  case when e.phase = 'voting' then e.turnout_published::bigint
                       else (select count(*) from election_participation where election_id = $1)
                  end as "voted!"
           from elections e where e.id = $1"#,
        row.id
    )
    .fetch_one(db)
    .await?;
    Ok((Some(counts.roll), Some(counts.voted)))
}

/// The shortlist's names, in ballot order.
async fn candidate_names(db: &mut PgConnection, election: Uuid) -> AppResult<Vec<CandidateName>> {
    Ok(sqlx::query_as!(
        CandidateName,
        "select id, name from election_candidates where election_id = $1 order by created_at, id",
        election
    )
    .fetch_all(db)
    .await?)
}

/// The election as the conference room shows it: the result only once revealed.
async fn live(db: &mut PgConnection, row: &ElectionRow) -> AppResult<ElectionLive> {
    let (roll_size, turnout) = turnout(db, row).await?;
    Ok(ElectionLive {
        id: row.id,
        title: row.title.clone(),
        phase: row.phase,
        method: row.method,
        roll_size,
        turnout,
        result: row.result.clone().filter(|_| row.phase == Phase::Revealed),
        candidates: candidate_names(db, row.id).await?,
        audit_head: chain::head(db, row.id).await?,
    })
}

fn conference_room(conference_id: Uuid) -> RoomId {
    RoomId::new(CONFERENCE_ROOM, conference_id)
}

/// Tells every screen of the conference that election `id` changed.
async fn announce(etx: &mut EventTx, conference_id: Uuid, id: Uuid) -> AppResult<()> {
    let row = row(etx.conn(), conference_id, id, Lock::None).await?;
    let live = live(etx.conn(), &row).await?;
    etx.emit(
        conference_room(conference_id),
        &ElectionEvent::Changed(live),
    )
    .await?;
    Ok(())
}
