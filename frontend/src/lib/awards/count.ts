/**
 * The recount, in the browser, with the server's own rules (backend/src/awards/count.rs):
 * plurality, and ranked choice by instant run-off, with the reproducible lot for ties.
 * The board's "Recount" runs it on every published ballot and compares with the result.
 *
 * The lot: each candidate's lot is the SHA-256 (hex) of `"<ballots digest>:<candidate id>"`
 * (lower case), the digest being the board's (`ballotsDigest`): nobody knows it before the
 * last ballot is in. A tie for the win goes to the lowest lot; a tie for elimination
 * eliminates the highest.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { ElectionMethod, ElectionResult } from '../api';

type Round = ElectionResult['rounds'][number];
type Votes = Round['counts'][number];

/** The lot of `candidate` in a count whose ballots have digest `seed`. */
export function lot(seed: string, candidate: string): string {
  return bytesToHex(sha256(utf8ToBytes(`${seed.toLowerCase()}:${candidate.toLowerCase()}`)));
}

/** SHA-256 (hex) of the lines `"<receipt hash> <id>,<id>,…\n"` of `ballots`, in order: the server's `ballots_digest`. */
export function ballotsDigest(ballots: readonly { receipt_hash: string; ranking: readonly string[] }[]): string {
  const lines = ballots.map((b) => `${b.receipt_hash} ${b.ranking.join(',')}\n`).join('');
  return bytesToHex(sha256(utf8ToBytes(lines)));
}

/**
 * Counts `ballots` (each a ranking of candidate ids, best first) for `candidates`, ties
 * broken by the lot drawn from `seed` (the ballots' digest), in the
 * order the board lists them (equal votes keep that order). Ids that are not candidates
 * are skipped.
 */
export function count(
  seed: string,
  method: ElectionMethod,
  candidates: readonly string[],
  ballots: readonly (readonly string[])[],
): ElectionResult {
  const lots = new Map(candidates.map((c) => [c, lot(seed, c)]));
  const byLot = (a: string, b: string): number => (lots.get(a)! < lots.get(b)! ? -1 : lots.get(a)! > lots.get(b)! ? 1 : 0);
  let continuing = [...candidates];
  const rounds: Round[] = [];
  let tieBrokenByLot = false;
  let winner: string | null;
  for (;;) {
    const { counts, exhausted } = tallyRound(continuing, ballots);
    const live = counts.reduce((sum, c) => sum + c.votes, 0);
    const top = counts[0]?.votes ?? 0;
    // More than half of the ballots still in play, or nobody left to eliminate.
    const decided = method === 'plurality' || 2 * top > live || continuing.length <= 1;
    if (decided || live === 0) {
      rounds.push({ counts, eliminated: null, exhausted });
      if (live === 0) {
        winner = null;
        break;
      }
      const leaders = counts.filter((c) => c.votes === top).map((c) => c.candidate_id);
      tieBrokenByLot ||= leaders.length > 1;
      winner = leaders.sort(byLot)[0]!;
      break;
    }
    const fewest = counts.at(-1)?.votes ?? 0;
    const last = counts.filter((c) => c.votes === fewest).map((c) => c.candidate_id);
    tieBrokenByLot ||= last.length > 1;
    const eliminated = last.sort(byLot).at(-1)!;
    continuing = continuing.filter((c) => c !== eliminated);
    rounds.push({ counts, eliminated, exhausted });
  }
  return { method, ballots: ballots.length, winner, tie_broken_by_lot: tieBrokenByLot, rounds };
}

/** One round: each ballot counts for its highest-ranked continuing candidate. */
function tallyRound(continuing: readonly string[], ballots: readonly (readonly string[])[]): { counts: Votes[]; exhausted: number } {
  const votes = new Map(continuing.map((c) => [c, 0]));
  let exhausted = 0;
  for (const ballot of ballots) {
    const choice = ballot.find((c) => votes.has(c));
    if (choice === undefined) exhausted++;
    else votes.set(choice, votes.get(choice)! + 1);
  }
  // Array.prototype.sort is stable: equal votes keep the candidates' order.
  const counts = continuing.map((candidate_id) => ({ candidate_id, votes: votes.get(candidate_id)! }));
  counts.sort((a, b) => b.votes - a.votes);
  return { counts, exhausted };
}

/**
 * Whether two results say the same: the winner, the lot, the number of ballots and every
 * round's votes, elimination and exhausted ballots. Candidates with equal votes may be
 * listed in either order.
 */
export function sameResult(a: ElectionResult, b: ElectionResult): boolean {
  const round = (r: Round): string =>
    JSON.stringify([
      [...r.counts].sort((x, y) => y.votes - x.votes || (x.candidate_id < y.candidate_id ? -1 : 1)).map((c) => [c.candidate_id, c.votes]),
      r.eliminated,
      r.exhausted,
    ]);
  return (
    a.method === b.method &&
    a.ballots === b.ballots &&
    a.winner === b.winner &&
    a.tie_broken_by_lot === b.tie_broken_by_lot &&
    a.rounds.length === b.rounds.length &&
    a.rounds.every((r, i) => round(r) === round(b.rounds[i]!))
  );
}
