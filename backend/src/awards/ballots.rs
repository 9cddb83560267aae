//! Casting a ballot, and the frozen roll.
//!
//! A ballot is a REST call, not a live command: the real-time core records each command
//! under its caller (to answer retries), which would tie a voter to a choice. One
//! transaction inserts the voter's participation (its primary key refuses a second vote)
//! and the ballot, which carries no voter and no time — only the ranking and the hash of
//! the receipt code the voter's browser made. Nothing here logs, returns or emits both.

use axum::extract::State;
use axum::Json;
use sqlx::PgPool;
use uuid::Uuid;

use super::wire::{BallotInput, BallotRecorded, Method, Phase, Roll, RollEntry};
use super::{row, Lock};
use crate::conference::{ConferenceAccess, ConferenceRole, ConferenceSlug};
use crate::error::{AppError, AppResult, ConflictReason, ErrorBody, Problem};
use crate::http::{AfterRoleCheck, AppJson, AppPath};

/// Whether `hash` is a SHA-256 in lower-case hex.
fn is_receipt_hash(hash: &str) -> bool {
    hash.len() == 64
        && hash
            .bytes()
            .all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'))
}

/// Checks `ranking` against the shortlist: exactly one candidate for plurality; for ranked
/// choice one or more, each once. The board's verification applies it to every ballot.
pub(super) fn check_ranking(
    method: Method,
    ranking: &[Uuid],
    candidates: &[Uuid],
) -> AppResult<()> {
    if ranking.is_empty() {
        return Err(AppError::field("ranking", Problem::Required));
    }
    if method == Method::Plurality && ranking.len() > 1 {
        return Err(AppError::field("ranking", Problem::TooMany { max: 1 }));
    }
    let mut seen = Vec::with_capacity(ranking.len());
    for choice in ranking {
        if !candidates.contains(choice) {
            let detail = "names someone who is not on the ballot".into();
            return Err(AppError::field("ranking", Problem::Invalid { detail }));
        }
        if seen.contains(choice) {
            return Err(AppError::field("ranking", Problem::Duplicate));
        }
        seen.push(*choice);
    }
    Ok(())
}

/// Casts the caller's ballot. People on the roll, while voting is open. A retry with the
/// same receipt (after a lost connection, say) succeeds and counts once; another ballot
/// is refused.
#[utoipa::path(post, path = "/api/conferences/{slug}/elections/{id}/ballot", tag = "awards",
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The election's id")),
    request_body = BallotInput,
    responses((status = 200, description = "The ballot is recorded (now, or by an earlier attempt with this receipt)", body = BallotRecorded),
              (status = 403, description = "Not on this election's roll", body = ErrorBody),
              (status = 404, description = "No such election", body = ErrorBody),
              (status = 409, description = "Voting is not open, or the caller has already voted (field `ballot`)", body = ErrorBody),
              (status = 422, description = "Not a receipt hash, or a ranking that does not fit the shortlist", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn cast(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    AppPath((_slug, id)): AppPath<(String, Uuid)>,
    body: AfterRoleCheck<AppJson<BallotInput>>,
) -> AppResult<Json<BallotRecorded>> {
    access.require(ConferenceRole::Attendee)?;
    let AppJson(ballot) = body?;
    if !is_receipt_hash(&ballot.receipt_hash) {
        let detail = "must be a SHA-256 in lower-case hex".into();
        return Err(AppError::field("receipt_hash", Problem::Invalid { detail }));
    }
    let mut tx = db.begin().await?;
    // Shared with other ballots, exclusive of a close: no ballot lands after the count.
    let election = row(&mut tx, access.conference_id, id, Lock::Share).await?;
    let closed_by_time = election
        .closes_at
        .is_some_and(|at| at <= chrono::Utc::now());
    if election.phase != Phase::Voting || closed_by_time {
        return Err(AppError::conflict(ConflictReason::VotingNotOpen));
    }
    let candidates = sqlx::query_scalar!(
        "select id from election_candidates where election_id = $1",
        id
    )
    .fetch_all(&mut *tx)
    .await?;
    check_ranking(election.method, &ballot.ranking, &candidates)?;
    let on_roll = sqlx::query_scalar!(
        r#"select exists (select 1 from election_roll where election_id = $1 and user_id = $2) as "on!""#,
        id,
        access.user.id
    )
    .fetch_one(&mut *tx)
    .await?;
    if !on_roll {
        return Err(AppError::Forbidden("you are not on this election's roll"));
    }
    // A concurrent second attempt waits here on the primary key until the first ends.
    let first = sqlx::query!(
        "insert into election_participation (election_id, user_id) values ($1, $2)
         on conflict do nothing",
        id,
        access.user.id
    )
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !first {
        // A retry holds the receipt of the ballot already cast, with the same choice.
        let same = sqlx::query_scalar!(
            r#"select exists (select 1 from election_ballots
                 where election_id = $1 and receipt_hash = $2 and ranking = $3) as "same!""#,
            id,
            ballot.receipt_hash,
            &ballot.ranking
        )
        .fetch_one(&mut *tx)
        .await?;
        return if same {
            Ok(Json(BallotRecorded {
                receipt_hash: ballot.receipt_hash,
            }))
        } else {
            Err(AppError::Taken { field: "ballot" })
        };
    }
    sqlx::query!(
        "insert into election_ballots (election_id, receipt_hash, ranking) values ($1, $2, $3)",
        id,
        ballot.receipt_hash,
        &ballot.ranking
    )
    .execute(&mut *tx)
    .await
    .map_err(AppError::on_constraint("election_ballots_pkey", || {
        // Someone else's receipt: make a new one (the whole cast is undone).
        AppError::Taken {
            field: "receipt_hash",
        }
    }))?;
    tx.commit().await?;
    Ok(Json(BallotRecorded {
        receipt_hash: ballot.receipt_hash,
    }))
}

/// The frozen roll. Organisers only, once voting has opened.
#[utoipa::path(get, path = "/api/conferences/{slug}/elections/{id}/roll", tag = "awards",
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The election's id")),
    responses((status = 200, description = "Who is on the roll, by name", body = Roll),
              (status = 403, description = "Not an organiser of this conference", body = ErrorBody),
              (status = 404, description = "No such election", body = ErrorBody),
              (status = 409, description = "Voting has not opened: there is no roll yet", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn roll(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    AppPath((_slug, id)): AppPath<(String, Uuid)>,
) -> AppResult<Json<Roll>> {
    access.require(ConferenceRole::Organiser)?;
    let mut conn = db.acquire().await?;
    let election = row(&mut conn, access.conference_id, id, Lock::None).await?;
    if election.phase < Phase::Voting {
        return Err(AppError::conflict(ConflictReason::RollNotFrozen));
    }
    let voters = sqlx::query_as!(
        RollEntry,
        "select u.id as user_id, u.display_name from election_roll r join users u on u.id = r.user_id
         where r.election_id = $1 order by u.display_name, u.id",
        id
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(Json(Roll {
        size: voters.len() as i64,
        voters,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipt_hashes_are_lower_case_sha256_hex() {
        assert!(is_receipt_hash(&"a".repeat(64)));
        assert!(!is_receipt_hash(&"A".repeat(64)));
        assert!(!is_receipt_hash(&"a".repeat(63)));
        assert!(!is_receipt_hash(&"g".repeat(64)));
    }

    #[test]
    fn rankings_fit_the_method_and_the_shortlist() {
        let (a, b, c) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let shortlist = [a, b];
        assert!(check_ranking(Method::Plurality, &[a], &shortlist).is_ok());
        assert!(check_ranking(Method::Plurality, &[a, b], &shortlist).is_err());
        assert!(check_ranking(Method::Plurality, &[], &shortlist).is_err());
        assert!(check_ranking(Method::Plurality, &[c], &shortlist).is_err());
        assert!(check_ranking(Method::Ranked, &[b, a], &shortlist).is_ok());
        assert!(check_ranking(Method::Ranked, &[b], &shortlist).is_ok());
        assert!(check_ranking(Method::Ranked, &[a, a], &shortlist).is_err());
    }
}
