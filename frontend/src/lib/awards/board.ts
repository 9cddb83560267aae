/**
 * The public bulletin board as the page reads it: finding one's ballot by receipt, the
 * list's filter, and the recount against the announced result.
 */
import type { Board } from '../api';
import { ballotsDigest, count, sameResult } from './count';
import { namesOf } from './elections';
import { receiptHash } from './receipt';

type Ballot = Board['ballots'][number];

/** The ballot whose receipt hash is the hash of `code`, or null. */
export function findBallot(board: Board, code: string): Ballot | null {
  const hash = receiptHash(code);
  return board.ballots.find((b) => b.receipt_hash === hash) ?? null;
}

/** A ballot's choices by candidate name, best first. */
export function choiceNames(ballot: Ballot, names: ReadonlyMap<string, string>): string[] {
  return ballot.ranking.map((id) => names.get(id) ?? id);
}

/** Ballots whose receipt hash starts with `query` (hex), or that name a candidate matching it. */
export function filterBallots(board: Board, query: string): Ballot[] {
  const q = query.trim().toLowerCase();
  if (!q) return board.ballots;
  const names = namesOf(board.election.candidates);
  return board.ballots.filter(
    (b) => b.receipt_hash.startsWith(q) || b.ranking.some((id) => names.get(id)?.toLowerCase().includes(q)),
  );
}

/** Recounts every ballot of the board with the published rules; `matches`: the same result as announced. */
export function recount(board: Board): { result: ReturnType<typeof count>; matches: boolean } {
  const { election } = board;
  const result = count(
    ballotsDigest(board.ballots),
    election.method,
    election.candidates.map((c) => c.id),
    board.ballots.map((b) => b.ranking),
  );
  return { result, matches: sameResult(result, board.result) };
}

/** The board's file name, for `viaduc election verify`. */
export function boardFileName(board: Board): string {
  return `election-${board.election.id}-board.json`;
}
