//! Moving an election forward — by hand, or by the node's clock at the scheduled times —
//! and the live turnout while voting is open.
//!
//! Opening freezes the roll. Closing counts the ballots (the result stays hidden), writes
//! the ballot count and a digest of the board into the chain, and rewrites the ballots in
//! receipt-hash order and the participation in voter order: rows cast together were
//! written by one transaction, next to each other, which an operator could otherwise pair
//! up (`docs/election.md`). Revealing publishes the result to every screen in one event.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::Json;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::board::ballots_digest;
use super::count::{count, hex};
use super::elections::view;
use super::wire::{BoardBallot, Election, ElectionEvent, Phase, PhaseChange, Turnout};
use super::{announce, chain, conference_room, row, ElectionRow, Lock};
use crate::conference::{ConferenceAccess, ConferenceRole, ConferenceSlug};
use crate::error::{AppError, AppResult, ConflictReason, ErrorBody};
use crate::http::{AfterRoleCheck, AppJson, AppPath};
use crate::realtime::hub::Hub;
use crate::realtime::log::EventTx;
use crate::realtime::Realtime;

/// The phase after `phase`, and who may move an election there.
fn next(phase: Phase) -> Option<(Phase, ConferenceRole)> {
    match phase {
        Phase::Nominations => Some((Phase::Shortlist, ConferenceRole::Organiser)),
        Phase::Shortlist => Some((Phase::Voting, ConferenceRole::Moderator)),
        Phase::Voting => Some((Phase::Closed, ConferenceRole::Moderator)),
        Phase::Closed => Some((Phase::Revealed, ConferenceRole::Moderator)),
        Phase::Revealed => None,
    }
}

/// Moves an election to its next phase: organisers end the nominations; moderators and
/// organisers open voting, close it and reveal the result.
#[utoipa::path(post, path = "/api/conferences/{slug}/elections/{id}/phase", tag = "awards",
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The election's id")),
    request_body = PhaseChange,
    responses((status = 200, description = "The election in its new phase", body = Election),
              (status = 403, description = "Not allowed to move this election on", body = ErrorBody),
              (status = 404, description = "No such election", body = ErrorBody),
              (status = 409, description = "Not the next phase, or fewer than two candidates to open voting", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn change_phase(
    State(db): State<PgPool>,
    State(realtime): State<Realtime>,
    access: ConferenceAccess,
    AppPath((_slug, id)): AppPath<(String, Uuid)>,
    body: AfterRoleCheck<AppJson<PhaseChange>>,
) -> AppResult<Json<Election>> {
    access.require(ConferenceRole::Moderator)?;
    let AppJson(PhaseChange { phase }) = body?;
    let mut etx = EventTx::begin(&db).await?;
    let row = row(etx.conn(), access.conference_id, id, Lock::Update).await?;
    let Some((to, who)) = next(row.phase).filter(|(to, _)| *to == phase) else {
        return Err(AppError::conflict(ConflictReason::NotTheNextPhase));
    };
    access.require(who)?;
    move_to(&mut etx, &row, to, Some(access.user.id)).await?;
    let row = super::row(etx.conn(), access.conference_id, id, Lock::None).await?;
    let election = view(etx.conn(), &row, access.user.id).await?;
    etx.commit(&realtime.hub).await?;
    if to == Phase::Closed {
        vacuum(db);
    }
    Ok(Json(election))
}

/// Moves locked election `row` to `to` (the next phase), in `etx`, and tells every screen.
async fn move_to(
    etx: &mut EventTx,
    row: &ElectionRow,
    to: Phase,
    actor: Option<Uuid>,
) -> AppResult<()> {
    let detail = match to {
        Phase::Nominations => json!({}),
        Phase::Shortlist => json!({}),
        Phase::Voting => open(etx.conn(), row).await?,
        Phase::Closed => close(etx.conn(), row).await?,
        Phase::Revealed => json!({"result": row.result}),
    };
    enter(etx.conn(), row.id, to, actor, detail).await?;
    announce(etx, row.conference_id, row.id).await
}

/// Puts election `id` in phase `to`, with its audit entry (`detail`, by `actor`).
pub(super) async fn enter(
    db: &mut PgConnection,
    id: Uuid,
    to: Phase,
    actor: Option<Uuid>,
    detail: serde_json::Value,
) -> AppResult<()> {
    sqlx::query!(
        "update elections set phase = $2 where id = $1",
        id,
        to as Phase
    )
    .execute(&mut *db)
    .await?;
    let action = match to {
        Phase::Nominations => "election.nominations",
        Phase::Shortlist => "election.shortlist",
        Phase::Voting => "election.opened",
        Phase::Closed => "election.closed",
        Phase::Revealed => "election.revealed",
    };
    chain::append(db, id, actor, action, detail).await
}

/// Freezes the roll: every attendee and speaker of the conference. Returns the chain's
/// record of it: its size and a digest of who is on it.
async fn open(db: &mut PgConnection, row: &ElectionRow) -> AppResult<serde_json::Value> {
    let candidates = sqlx::query_scalar!(
        r#"select count(*) as "n!" from election_candidates where election_id = $1"#,
        row.id
    )
    .fetch_one(&mut *db)
    .await?;
    if candidates < 2 {
        return Err(AppError::conflict(ConflictReason::TooFewCandidates));
    }
    let roll = sqlx::query_scalar!(
        "insert into election_roll (election_id, user_id)
         select $1, user_id from conference_members
         where conference_id = $2 and role in ('attendee', 'speaker')
         order by user_id
         returning user_id",
        row.id,
        row.conference_id
    )
    .fetch_all(&mut *db)
    .await?;
    if roll.is_empty() {
        return Err(AppError::conflict(ConflictReason::EmptyRoll));
    }
    let mut sorted: Vec<String> = roll.iter().map(Uuid::to_string).collect();
    sorted.sort();
    let digest = hex(&Sha256::digest(sorted.join("\n")));
    Ok(json!({"roll_size": roll.len(), "roll_digest": digest}))
}

/// Counts, stores the hidden result and rewrites the ballots and the participation in an
/// order that tells nothing. Returns the chain's record: the count of ballots and the
/// board's digest.
async fn close(db: &mut PgConnection, row: &ElectionRow) -> AppResult<serde_json::Value> {
    let ballots = sqlx::query_as!(
        BoardBallot,
        "delete from election_ballots where election_id = $1 returning receipt_hash, ranking",
        row.id
    )
    .fetch_all(&mut *db)
    .await?;
    let mut ballots = ballots;
    ballots.sort_by(|a, b| a.receipt_hash.cmp(&b.receipt_hash));
    let (hashes, rankings): (Vec<String>, Vec<String>) = ballots
        .iter()
        .map(|ballot| {
            (
                ballot.receipt_hash.clone(),
                ranking_literal(&ballot.ranking),
            )
        })
        .unzip();
    sqlx::query!(
        "insert into election_ballots (election_id, receipt_hash, ranking)
         select $1, hash, ranking::uuid[] from unnest($2::text[], $3::text[]) as b(hash, ranking)",
        row.id,
        &hashes,
        &rankings
    )
    .execute(&mut *db)
    .await?;
    let voters = sqlx::query_scalar!(
        "delete from election_participation where election_id = $1 returning user_id",
        row.id
    )
    .fetch_all(&mut *db)
    .await?;
    let mut voters = voters;
    voters.sort();
    sqlx::query!(
        "insert into election_participation (election_id, user_id) select $1, unnest($2::uuid[])",
        row.id,
        &voters
    )
    .execute(&mut *db)
    .await?;
    let candidates = sqlx::query_scalar!(
        "select id from election_candidates where election_id = $1 order by created_at, id",
        row.id
    )
    .fetch_all(&mut *db)
    .await?;
    let rankings: Vec<Vec<Uuid>> = ballots
        .iter()
        .map(|ballot| ballot.ranking.clone())
        .collect();
    let digest = ballots_digest(&ballots);
    let result = count(&digest, row.method, &candidates, &rankings);
    // With the phase: the result exists exactly from the close on (a constraint).
    sqlx::query!(
        "update elections set result = $2, phase = 'closed' where id = $1",
        row.id,
        sqlx::types::Json(&result) as _
    )
    .execute(&mut *db)
    .await?;
    Ok(json!({
        "ballots": ballots.len(),
        "voters": voters.len(),
        "ballots_digest": digest,
    }))
}

/// A ranking as a PostgreSQL array literal, for `unnest` of text arrays.
fn ranking_literal(ranking: &[Uuid]) -> String {
    let ids: Vec<String> = ranking.iter().map(Uuid::to_string).collect();
    format!("{{{}}}", ids.join(","))
}

/// Asks PostgreSQL to reclaim the space of the ballots' old rows (their order and
/// transaction ids), once the close has committed. Best effort: the operator's own vacuum
/// does it otherwise (`docs/election.md`).
fn vacuum(db: PgPool) {
    tokio::spawn(async move {
        if let Err(error) = sqlx::query("vacuum election_ballots, election_participation")
            .execute(&db)
            .await
        {
            tracing::warn!(%error, "vacuum after an election's close failed");
        }
    });
}

/// The node's clock: every second, opens and closes the votes whose time has come, and
/// publishes the turnout of open votes that changed (at most once a second per election,
/// whichever node does it). Runs for the life of the process.
pub async fn run_clock(hub: Arc<Hub>) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(error) = scheduled(&hub).await {
            tracing::warn!(%error, "scheduled election changes not made, retrying");
        }
        if let Err(error) = publish_turnout(&hub).await {
            tracing::warn!(%error, "turnout not published, retrying");
        }
    }
}

async fn scheduled(hub: &Hub) -> AppResult<()> {
    let due = sqlx::query!(
        r#"select id, conference_id from elections
           where (phase = 'shortlist' and opens_at <= now()) or (phase = 'voting' and closes_at <= now())"#
    )
    .fetch_all(hub.db())
    .await?;
    for election in due {
        let mut etx = EventTx::begin(hub.db()).await?;
        let row = row(
            etx.conn(),
            election.conference_id,
            election.id,
            Lock::Update,
        )
        .await?;
        // Another node, or a moderator, may have moved it meanwhile.
        let now = chrono::Utc::now();
        let to = match row.phase {
            Phase::Shortlist if row.opens_at.is_some_and(|at| at <= now) => Phase::Voting,
            Phase::Voting if row.closes_at.is_some_and(|at| at <= now) => Phase::Closed,
            _ => continue,
        };
        match move_to(&mut etx, &row, to, None).await {
            Ok(()) => {
                etx.commit(hub).await?;
                if to == Phase::Closed {
                    vacuum(hub.db().clone());
                }
            }
            Err(AppError::Conflict(reason)) => {
                // It cannot open (too few candidates): the schedule is dropped, once.
                drop(etx);
                tracing::warn!(election = %row.id, %reason, "scheduled opening dropped");
                sqlx::query!("update elections set opens_at = null where id = $1", row.id)
                    .execute(hub.db())
                    .await?;
            }
            Err(error) => return Err(error),
        }
    }
    Ok(())
}

/// Publishes the turnout of every open vote whose count changed and was last published
/// more than a second ago: one event per election, never partial results.
async fn publish_turnout(hub: &Hub) -> AppResult<()> {
    let mut etx = EventTx::begin(hub.db()).await?;
    let changed = sqlx::query!(
        r#"with counts as (
               select e.id,
                      (select count(*) from election_participation p where p.election_id = e.id)::int as voted,
                      (select count(*) from election_roll r where r.election_id = e.id)::int as roll
               from elections e where e.phase = 'voting')
           update elections e set turnout_published = c.voted, turnout_published_at = now()
           from counts c
           where e.id = c.id and e.turnout_published <> c.voted
             and e.turnout_published_at < now() - interval '1 second'
           returning e.id, e.conference_id, c.voted as "voted!", c.roll as "roll!""#
    )
    .fetch_all(etx.conn())
    .await?;
    if changed.is_empty() {
        return Ok(());
    }
    for election in changed {
        let turnout = Turnout {
            id: election.id,
            turnout: election.voted.into(),
            roll_size: election.roll.into(),
        };
        etx.emit(
            conference_room(election.conference_id),
            &ElectionEvent::Turnout(turnout),
        )
        .await?;
    }
    etx.commit(hub).await
}
