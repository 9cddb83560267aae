//! The public bulletin board of a revealed election — every ballot by its receipt hash, the
//! result and the audit chain — and its verification: `viaduc election verify BOARD.json`
//! recounts it with the server's own rules, compares with the announced result, and checks
//! the chain and that the chain's record of the close matches these ballots.
//!
//! The board is public from the reveal, not from the close: before that it would tell the
//! result the moderator has not announced yet.

use std::path::Path;

use axum::extract::State;
use axum::Json;
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

use super::ballots::check_ranking;
use super::chain;
use super::count::{count, hex};
use super::wire::{Board, BoardBallot, BoardElection, Phase};
use super::{candidate_names, rows_of, turnout};
use crate::conference::ConferenceSlug;
use crate::error::{AppError, AppResult, ConflictReason, ErrorBody};
use crate::http::AppPath;

/// The version of the board's format.
pub const FORMAT: &str = "viaduc-election-board/1";

/// SHA-256 (hex) of the lines `"<receipt hash> <id>,<id>,…\n"` of `ballots`, in order.
pub fn ballots_digest(ballots: &[BoardBallot]) -> String {
    let mut hasher = Sha256::new();
    for ballot in ballots {
        let ranking: Vec<String> = ballot.ranking.iter().map(Uuid::to_string).collect();
        hasher.update(format!("{} {}\n", ballot.receipt_hash, ranking.join(",")));
    }
    hex(&hasher.finalize())
}

/// The board of a revealed election. Public: no login needed, so anyone can recount.
#[utoipa::path(get, path = "/api/conferences/{slug}/elections/{id}/board", tag = "awards",
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The election's id")),
    security(()),
    responses((status = 200, description = "Every ballot by receipt hash, the result and the audit chain", body = Board),
              (status = 404, description = "No such election", body = ErrorBody),
              (status = 409, description = "The result is not revealed yet: the board is published with it", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn board(
    State(db): State<PgPool>,
    AppPath((slug, id)): AppPath<(String, Uuid)>,
) -> AppResult<Json<Board>> {
    if slug.contains('\0') {
        return Err(AppError::NotFound("election"));
    }
    let mut tx = db.begin().await?;
    let conference_id = sqlx::query_scalar!("select id from conferences where slug = $1", slug)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound("election"))?;
    let row = rows_of(&mut tx, conference_id)
        .await?
        .into_iter()
        .find(|row| row.id == id)
        .ok_or(AppError::NotFound("election"))?;
    if row.phase != Phase::Revealed {
        return Err(AppError::conflict(ConflictReason::BoardNotPublished));
    }
    let result = row.result.clone().ok_or(AppError::NotFound("election"))?;
    let (roll_size, _) = turnout(&mut tx, &row).await?;
    let ballots = sqlx::query_as!(
        BoardBallot,
        "select receipt_hash, ranking from election_ballots where election_id = $1 order by receipt_hash",
        id
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(Json(Board {
        format: FORMAT.to_owned(),
        election: BoardElection {
            id,
            conference: slug,
            title: row.title.clone(),
            method: row.method,
            roll_size: roll_size.unwrap_or(0),
            candidates: candidate_names(&mut tx, id).await?,
        },
        ballots,
        result,
        audit: chain::entries(&mut tx, id).await?,
    }))
}

/// What is wrong with `board`; nothing for a board that checks out.
pub fn verify(board: &Board) -> Vec<String> {
    let mut problems = Vec::new();
    if board.format != FORMAT {
        problems.push(format!("the format is {:?}, not {FORMAT:?}", board.format));
    }
    let sorted = board
        .ballots
        .windows(2)
        .all(|pair| pair[0].receipt_hash < pair[1].receipt_hash);
    if !sorted {
        problems.push("the ballots are not sorted by receipt hash, or one is listed twice".into());
    }
    let candidates: Vec<Uuid> = board.election.candidates.iter().map(|c| c.id).collect();
    let unfit = board
        .ballots
        .iter()
        .filter(|ballot| {
            check_ranking(board.election.method, &ballot.ranking, &candidates).is_err()
        })
        .count();
    if unfit > 0 {
        problems.push(format!(
            "{unfit} ballots name someone who is not a candidate, someone twice, or do not fit the method"
        ));
    }
    let digest = ballots_digest(&board.ballots);
    let rankings: Vec<Vec<Uuid>> = board.ballots.iter().map(|b| b.ranking.clone()).collect();
    let recount = count(&digest, board.election.method, &candidates, &rankings);
    if recount != board.result {
        problems.push(format!(
            "the recount ({}) differs from the announced result ({})",
            summary(&recount),
            summary(&board.result)
        ));
    }
    problems.extend(chain::check(board.election.id, &board.audit));
    let bodies: Vec<Value> = board
        .audit
        .iter()
        .filter_map(|entry| serde_json::from_str(&entry.body).ok())
        .collect();
    let find = |action: &str| bodies.iter().rev().find(|body| body["action"] == action);
    match find("election.closed") {
        Some(closed) => {
            let detail = &closed["detail"];
            if detail["ballots_digest"] != digest.as_str() {
                problems
                    .push("the ballots differ from those the chain recorded at the close".into());
            }
            if detail["ballots"] != board.ballots.len() {
                problems.push(format!(
                    "the chain recorded {} ballots at the close; the board lists {}",
                    detail["ballots"],
                    board.ballots.len()
                ));
            }
            // One participation per ballot: none was slipped in without a voter.
            if detail["voters"] != detail["ballots"] {
                problems.push(format!(
                    "the chain recorded {} voters and {} ballots at the close",
                    detail["voters"], detail["ballots"]
                ));
            }
        }
        None => problems.push("the chain does not record the close".into()),
    }
    match find("election.revealed") {
        Some(revealed) if revealed["detail"]["result"] == serde_json::json!(board.result) => {}
        Some(_) => {
            problems.push("the result differs from the one the chain recorded at the reveal".into())
        }
        None => problems.push("the chain does not record the reveal".into()),
    }
    match find("election.opened") {
        Some(opened) if opened["detail"]["roll_size"] == board.election.roll_size => {}
        Some(_) => problems
            .push("the roll's size differs from the one the chain recorded at the opening".into()),
        None => problems.push("the chain does not record the opening".into()),
    }
    if i64::try_from(board.ballots.len()).unwrap_or(i64::MAX) > board.election.roll_size {
        problems.push("there are more ballots than people on the roll".into());
    }
    problems
}

/// `winner (ballots)`, for a message.
fn summary(result: &super::wire::ElectionResult) -> String {
    let winner = result
        .winner
        .map_or("no winner".to_owned(), |id| id.to_string());
    format!("{winner}, {} ballots", result.ballots)
}

/// `viaduc election verify BOARD.json`: prints what it checked, and fails on any problem.
pub fn verify_file(path: &Path) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(path)?;
    let board: Board = serde_json::from_str(&text)?;
    let problems = verify(&board);
    let name = |id: Uuid| {
        board
            .election
            .candidates
            .iter()
            .find(|candidate| candidate.id == id)
            .map_or(id.to_string(), |candidate| candidate.name.clone())
    };
    println!(
        "{}: {} ballots of a roll of {}, {} audit entries",
        board.election.title.best(&["en"]),
        board.ballots.len(),
        board.election.roll_size,
        board.audit.len()
    );
    for (number, round) in (1..).zip(&board.result.rounds) {
        let counts: Vec<String> = round
            .counts
            .iter()
            .map(|count| format!("{} {}", name(count.candidate_id), count.votes))
            .collect();
        println!("round {number}: {}", counts.join(", "));
    }
    if let Some(winner) = board.result.winner {
        println!("winner: {}", name(winner));
    }
    if problems.is_empty() {
        println!("OK: the recount matches the announced result, and the audit chain is intact");
        Ok(())
    } else {
        for problem in &problems {
            eprintln!("FAILED: {problem}");
        }
        anyhow::bail!("the board does not verify ({} problems)", problems.len())
    }
}
