// The same cases as the server's own tests (backend/src/awards/count.rs), worked out by hand.
// With the election 0…e1, the candidates' lots are, in order:
//   2: 083abca2…  <  4: 12bff1d0…  <  1: c0c08eaa…  <  3: c5dcfc96…
// so a tie for the win between 1 and 2 goes to 2, and a tie for elimination between 2 and 3
// eliminates 3.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ElectionResult } from '../api';
import { ballotsDigest, count, lot, sameResult } from './count';

const id = (n: number): string => `00000000-0000-0000-0000-${n.toString(16).padStart(12, '0')}`;
const E = id(0xe1);
const [A, B, C, D] = [id(1), id(2), id(3), id(4)] as [string, string, string, string];
const votes = (result: ElectionResult, round: number): [string, number][] =>
  result.rounds[round]!.counts.map((c) => [c.candidate_id, c.votes]);
const times = <T>(n: number, ballot: T): T[] => Array.from({ length: n }, () => ballot);

describe('the lot', () => {
  it('is the SHA-256 of "<election>:<candidate>" in lower-case hex', () => {
    expect(lot(E, A)).toBe('c0c08eaa27de4b0486bccf5ff96956bbc9499db534aac164881e3bf792620a2a');
    expect(lot(E, B)).toBe('083abca27f537c4b3df5812f7cbe7ee0032094893eef9df5aa9e2d22ba4b6e68');
    const nil = '00000000-0000-0000-0000-000000000000';
    expect(lot(nil, nil)).toBe(createHash('sha256').update(`${nil}:${nil}`).digest('hex'));
    expect(lot(E.toUpperCase(), A.toUpperCase())).toBe(lot(E, A));
  });
});

describe('plurality', () => {
  it('counts first choices, most votes first, equal votes in the candidates’ order', () => {
    const result = count(E, 'plurality', [A, B, C], [[A], [B], [B], [C], [B]]);
    expect(result).toEqual({
      method: 'plurality',
      ballots: 5,
      winner: B,
      tie_broken_by_lot: false,
      rounds: [{ counts: [{ candidate_id: B, votes: 3 }, { candidate_id: A, votes: 1 }, { candidate_id: C, votes: 1 }], eliminated: null, exhausted: 0 }],
    });
  });

  it('gives a tie for the win to the lowest lot, whatever the candidates’ order', () => {
    const result = count(E, 'plurality', [A, B], [[A], [B]]);
    expect(result.winner).toBe(B);
    expect(result.tie_broken_by_lot).toBe(true);
    expect(count(E, 'plurality', [B, A], [[A], [B]]).winner).toBe(B);
    // A tie among the others is no tie for the win.
    expect(count(E, 'plurality', [A, B, C], [[A], [A], [B], [C]]).tie_broken_by_lot).toBe(false);
  });

  it('has no winner without ballots', () => {
    const result = count(E, 'plurality', [A, B], []);
    expect(result.winner).toBeNull();
    expect(result.tie_broken_by_lot).toBe(false);
    expect(votes(result, 0)).toEqual([[A, 0], [B, 0]]);
  });
});

describe('instant run-off', () => {
  // A: 4 first choices, B: 3, C: 2 (both rank B second). Nobody has more than half of 9;
  // C goes; B then has 5 of 9 and wins, although A led the first round.
  it('transfers the eliminated candidate’s ballots to their next choice', () => {
    const ballots = [...times(4, [A, B]), ...times(3, [B, A]), ...times(2, [C, B])];
    const result = count(E, 'ranked', [A, B, C], ballots);
    expect(votes(result, 0)).toEqual([[A, 4], [B, 3], [C, 2]]);
    expect(result.rounds[0]!.eliminated).toBe(C);
    expect(votes(result, 1)).toEqual([[B, 5], [A, 4]]);
    expect(result.rounds[1]!.eliminated).toBeNull();
    expect(result.winner).toBe(B);
    expect(result.tie_broken_by_lot).toBe(false);
    expect(result.ballots).toBe(9);
  });

  // A 3, B 2, C 2, nobody ranks a second. B and C tie for last: C has the higher lot and
  // goes; its 2 ballots are exhausted, and A's 3 of the 5 still in play are a majority.
  it('eliminates the highest lot on a tie for last, and leaves exhausted ballots out of the majority', () => {
    const ballots = [...times(3, [A]), ...times(2, [B]), ...times(2, [C])];
    const result = count(E, 'ranked', [A, B, C], ballots);
    expect(result.rounds[0]).toMatchObject({ eliminated: C, exhausted: 0 });
    expect(votes(result, 1)).toEqual([[A, 3], [B, 2]]);
    expect(result.rounds[1]).toMatchObject({ eliminated: null, exhausted: 2 });
    expect(result.winner).toBe(A);
    expect(result.tie_broken_by_lot).toBe(true);
  });

  // 1 against 1 is not more than half: one of them must go, by lot (A, c0c0… > 083a…),
  // and B is the last one standing.
  it('breaks an even final by eliminating the highest lot', () => {
    const result = count(E, 'ranked', [A, B], [[A], [B]]);
    expect(result.rounds.map((r) => r.eliminated)).toEqual([A, null]);
    expect(votes(result, 1)).toEqual([[B, 1]]);
    expect(result.rounds[1]!.exhausted).toBe(1);
    expect(result.winner).toBe(B);
    expect(result.tie_broken_by_lot).toBe(true);
  });

  it('ends at once with a first-round majority, and skips ids that are not candidates', () => {
    const result = count(E, 'ranked', [A, B, C], [[C, A], [D, C], [A]]);
    expect(result.rounds).toHaveLength(1);
    expect(votes(result, 0)).toEqual([[C, 2], [A, 1], [B, 0]]);
    expect(result.winner).toBe(C);
  });

  // D 4, A 3 (A only), B 2 (then A), C 1 (then B, then A). Round 1: C goes, its ballot to B.
  // Round 2: D 4, A 3, B 3: A and B tie for last, A has the higher lot (c0c0… > 083a…) and
  // goes; A's own ballots rank nobody else and are exhausted. Round 3: D 4 of the 7 still in
  // play, more than half: D wins.
  it('runs round after round, a tie for last broken by lot on the way', () => {
    const ballots = [...times(4, [D]), ...times(3, [A]), ...times(2, [B, A]), [C, B, A]];
    const result = count(E, 'ranked', [A, B, C, D], ballots);
    expect(result.rounds.map((r) => r.eliminated)).toEqual([C, A, null]);
    expect(votes(result, 0)).toEqual([[D, 4], [A, 3], [B, 2], [C, 1]]);
    expect(votes(result, 1)).toEqual([[D, 4], [A, 3], [B, 3]]);
    expect(votes(result, 2)).toEqual([[D, 4], [B, 3]]);
    expect(result.rounds.map((r) => r.exhausted)).toEqual([0, 0, 3]);
    expect(result.winner).toBe(D);
    expect(result.tie_broken_by_lot).toBe(true);
  });
});

describe('comparing results', () => {
  it('ignores the order of equal votes and nothing else', () => {
    const ours = count(E, 'plurality', [A, B, C], [[A], [B], [C], [A]]);
    const theirs = count(E, 'plurality', [C, B, A], [[A], [B], [C], [A]]);
    expect(votes(ours, 0)).not.toEqual(votes(theirs, 0));
    expect(sameResult(ours, theirs)).toBe(true);
    expect(sameResult(ours, { ...ours, winner: B })).toBe(false);
    expect(sameResult(ours, { ...ours, ballots: 5 })).toBe(false);
    expect(sameResult(ours, { ...ours, rounds: [{ ...ours.rounds[0]!, exhausted: 1 }] })).toBe(false);
  });

  it('digests the ballots as the server does, the lot seed', () => {
    const ballots = [{ receipt_hash: 'ab', ranking: [A, B] }, { receipt_hash: 'cd', ranking: [C] }];
    const expected = createHash('sha256').update(`ab ${A},${B}\ncd ${C}\n`).digest('hex');
    expect(ballotsDigest(ballots)).toBe(expected);
  });
});
