//! Counting the ballots: plurality, and ranked choice by instant run-off, with one
//! reproducible tie-break rule. Pure functions: the server counts at close with them, and
//! `viaduc election verify` recounts a published board with the same ones.
//!
//! The lot: each candidate's lot is the SHA-256 (hex) of `"<ballots digest>:<candidate id>"`,
//! the digest being the board's (`board::ballots_digest`, fixed by the close). A tie for
//! the win goes to the lowest lot; a tie for elimination eliminates the highest. Anyone can
//! recompute it from the board; nobody knows it before the last ballot is in, so an
//! organiser cannot steer it by re-adding a candidate under a new id.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::wire::{CandidateVotes, ElectionResult, Method, Round};

/// The lot of `candidate` in a count whose ballots have digest `seed` (see the module's
/// documentation).
pub fn lot(seed: &str, candidate: Uuid) -> String {
    hex(&Sha256::digest(format!("{seed}:{candidate}")))
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut out, byte| {
        let _ = write!(out, "{byte:02x}");
        out
    })
}

/// Counts `ballots` (each a ranking of candidate ids, best first) for `candidates`, ties
/// broken by the lot drawn from `seed`, the ballots' digest. Ids on a ballot that are not
/// candidates are skipped (the server never stores them).
pub fn count(
    seed: &str,
    method: Method,
    candidates: &[Uuid],
    ballots: &[Vec<Uuid>],
) -> ElectionResult {
    let lots: BTreeMap<Uuid, String> = candidates
        .iter()
        .map(|&candidate| (candidate, lot(seed, candidate)))
        .collect();
    let mut continuing: Vec<Uuid> = candidates.to_vec();
    let mut rounds = Vec::new();
    let mut tie_broken_by_lot = false;
    let winner = loop {
        let (counts, exhausted) = tally_round(&continuing, ballots);
        let live: i64 = counts.iter().map(|count| count.votes).sum();
        let top = counts.first().map_or(0, |count| count.votes);
        let decided = match method {
            Method::Plurality => true,
            // More than half of the ballots still in play, or nobody left to eliminate.
            Method::Ranked => 2 * top > live || continuing.len() <= 1,
        };
        if decided || live == 0 {
            let leaders: Vec<Uuid> = counts
                .iter()
                .filter(|count| count.votes == top)
                .map(|count| count.candidate_id)
                .collect();
            rounds.push(Round {
                counts,
                eliminated: None,
                exhausted,
            });
            if live == 0 {
                break None;
            }
            tie_broken_by_lot |= leaders.len() > 1;
            break leaders.into_iter().min_by_key(|candidate| &lots[candidate]);
        }
        let fewest = counts.last().map_or(0, |count| count.votes);
        let last: Vec<Uuid> = counts
            .iter()
            .filter(|count| count.votes == fewest)
            .map(|count| count.candidate_id)
            .collect();
        tie_broken_by_lot |= last.len() > 1;
        let eliminated = last
            .into_iter()
            .max_by_key(|candidate| &lots[candidate])
            .expect("a round with live votes has candidates");
        continuing.retain(|&candidate| candidate != eliminated);
        rounds.push(Round {
            counts,
            eliminated: Some(eliminated),
            exhausted,
        });
    };
    ElectionResult {
        method,
        ballots: ballots.len() as i64,
        winner,
        tie_broken_by_lot,
        rounds,
    }
}

/// One round: each ballot counts for its highest-ranked continuing candidate. Returns the
/// continuing candidates' votes, most first (equal votes in the candidates' order), and how
/// many ballots had no continuing candidate left.
fn tally_round(continuing: &[Uuid], ballots: &[Vec<Uuid>]) -> (Vec<CandidateVotes>, i64) {
    let mut votes: BTreeMap<Uuid, i64> = continuing.iter().map(|&id| (id, 0)).collect();
    let mut exhausted = 0;
    for ballot in ballots {
        match ballot.iter().find(|choice| votes.contains_key(choice)) {
            Some(choice) => *votes.entry(*choice).or_default() += 1,
            None => exhausted += 1,
        }
    }
    let mut counts: Vec<CandidateVotes> = continuing
        .iter()
        .map(|&candidate_id| CandidateVotes {
            candidate_id,
            votes: votes[&candidate_id],
        })
        .collect();
    // A stable sort keeps the candidates' order among equals.
    counts.sort_by_key(|count| std::cmp::Reverse(count.votes));
    (counts, exhausted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: u128) -> Vec<Uuid> {
        (1..=n).map(Uuid::from_u128).collect()
    }

    fn votes(result: &ElectionResult, round: usize) -> Vec<(Uuid, i64)> {
        result.rounds[round]
            .counts
            .iter()
            .map(|count| (count.candidate_id, count.votes))
            .collect()
    }

    const SEED: &str = "5eed";

    #[test]
    fn plurality_counts_first_choices() {
        let c = ids(3);
        let ballots = vec![vec![c[0]], vec![c[1]], vec![c[1]], vec![c[2]], vec![c[1]]];
        let result = count(SEED, Method::Plurality, &c, &ballots);
        assert_eq!(result.winner, Some(c[1]));
        assert_eq!(result.ballots, 5);
        assert!(!result.tie_broken_by_lot);
        assert_eq!(votes(&result, 0), vec![(c[1], 3), (c[0], 1), (c[2], 1)]);
    }

    #[test]
    fn a_tie_for_the_win_goes_to_the_lowest_lot() {
        let c = ids(2);
        let ballots = vec![vec![c[0]], vec![c[1]]];
        let result = count(SEED, Method::Plurality, &c, &ballots);
        let expected = if lot(SEED, c[0]) < lot(SEED, c[1]) {
            c[0]
        } else {
            c[1]
        };
        assert_eq!(result.winner, Some(expected));
        assert!(result.tie_broken_by_lot);
        // The same inputs always give the same winner, whatever the candidates' order.
        let reversed = vec![c[1], c[0]];
        let again = count(SEED, Method::Plurality, &reversed, &ballots);
        assert_eq!(again.winner, Some(expected));
    }

    #[test]
    fn no_ballots_no_winner() {
        let c = ids(2);
        let result = count(SEED, Method::Ranked, &c, &[]);
        assert_eq!(result.winner, None);
        assert_eq!(result.rounds.len(), 1);
    }

    /// A: 4 first choices, B: 3, C: 2 (both C ballots rank B second). Nobody has a majority
    /// of 9; C is eliminated; B then has 5 of 9 and wins, although A led the first round.
    #[test]
    fn instant_run_off_transfers_the_eliminated_candidates_ballots() {
        let c = ids(3);
        let (a, b, cc) = (c[0], c[1], c[2]);
        let mut ballots = vec![vec![a, b]; 4];
        ballots.extend(vec![vec![b, a]; 3]);
        ballots.extend(vec![vec![cc, b]; 2]);
        let result = count(SEED, Method::Ranked, &c, &ballots);
        assert_eq!(result.rounds.len(), 2);
        assert_eq!(votes(&result, 0), vec![(a, 4), (b, 3), (cc, 2)]);
        assert_eq!(result.rounds[0].eliminated, Some(cc));
        assert_eq!(votes(&result, 1), vec![(b, 5), (a, 4)]);
        assert_eq!(result.rounds[1].eliminated, None);
        assert_eq!(result.winner, Some(b));
        assert!(!result.tie_broken_by_lot);
    }

    /// Ballots that rank only eliminated candidates are exhausted and no longer count
    /// towards the majority: A 3, B 2, C 2 (C ballots rank nobody else). The tie for last
    /// place between B and C is broken by lot; after it A has a majority of what is left.
    #[test]
    fn exhausted_ballots_and_a_tie_for_elimination() {
        let c = ids(3);
        let (a, b, cc) = (c[0], c[1], c[2]);
        let mut ballots = vec![vec![a]; 3];
        ballots.extend(vec![vec![b]; 2]);
        ballots.extend(vec![vec![cc]; 2]);
        let result = count(SEED, Method::Ranked, &c, &ballots);
        let first_out = if lot(SEED, b) > lot(SEED, cc) { b } else { cc };
        assert_eq!(result.rounds[0].eliminated, Some(first_out));
        assert!(result.tie_broken_by_lot);
        assert_eq!(result.rounds[1].exhausted, 2);
        // A has 3 of the 5 ballots still in play: a majority.
        assert_eq!(result.winner, Some(a));
        assert_eq!(result.rounds.len(), 2);
    }

    /// A majority in the first round ends the count at once.
    #[test]
    fn a_first_round_majority_wins_at_once() {
        let c = ids(3);
        let ballots = vec![vec![c[2], c[0]], vec![c[2]], vec![c[0]]];
        let result = count(SEED, Method::Ranked, &c, &ballots);
        assert_eq!(result.rounds.len(), 1);
        assert_eq!(result.winner, Some(c[2]));
    }

    #[test]
    fn the_lot_is_the_hash_of_the_ballots_digest_and_the_candidate() {
        let lot = lot("5eed", Uuid::nil());
        let expected = hex(&Sha256::digest("5eed:00000000-0000-0000-0000-000000000000"));
        assert_eq!(lot, expected);
        assert_eq!(lot.len(), 64);
    }

    /// Other ballots, another draw: the same tie can fall either way, so nobody can know
    /// the lot before the close.
    #[test]
    fn the_lot_changes_with_the_ballots() {
        let c = ids(2);
        let winners: std::collections::BTreeSet<_> = (0..32)
            .filter_map(|n| {
                count(
                    &format!("{n}"),
                    Method::Plurality,
                    &c,
                    &[vec![c[0]], vec![c[1]]],
                )
                .winner
            })
            .collect();
        assert_eq!(winners.len(), 2);
    }
}
