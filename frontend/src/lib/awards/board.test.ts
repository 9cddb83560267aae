import { describe, expect, it } from 'vitest';
import type { Board } from '../api';
import { boardFileName, choiceNames, filterBallots, findBallot, recount } from './board';
import { ballotsDigest, count } from './count';
import { namesOf } from './elections';
import { newReceipt } from './receipt';

const A = '00000000-0000-0000-0000-000000000001';
const B = '00000000-0000-0000-0000-000000000002';
const E = '00000000-0000-0000-0000-0000000000e1';
const mine = newReceipt((b) => b.fill(1));
const other = newReceipt((b) => b.fill(2));
const third = newReceipt((b) => b.fill(3));

function board(): Board {
  const ballots = [
    { receipt_hash: mine.hash, ranking: [A] },
    { receipt_hash: other.hash, ranking: [B] },
    { receipt_hash: third.hash, ranking: [A] },
  ].sort((x, y) => (x.receipt_hash < y.receipt_hash ? -1 : 1));
  return {
    format: 'viaduc-election-board/1',
    election: {
      id: E,
      conference: 'ecc-2026',
      title: { en: 'Cluster Manager of the Year' },
      method: 'plurality',
      roll_size: 5,
      candidates: [
        { id: A, name: 'Ana Peeters' },
        { id: B, name: 'Bram Vos' },
      ],
    },
    ballots,
    result: count(ballotsDigest(ballots), 'plurality', [A, B], ballots.map((b) => b.ranking)),
    audit: [],
  };
}

describe('the board', () => {
  it('finds one’s ballot from the receipt code as typed back', () => {
    const b = board();
    const found = findBallot(b, mine.code.toLowerCase().replace(/-/g, ' '));
    expect(found?.receipt_hash).toBe(mine.hash);
    expect(choiceNames(found!, namesOf(b.election.candidates))).toEqual(['Ana Peeters']);
    expect(findBallot(b, newReceipt((x) => x.fill(9)).code)).toBeNull();
  });

  it('filters the ballots by receipt hash or by a candidate’s name', () => {
    const b = board();
    expect(filterBallots(b, other.hash.slice(0, 8).toUpperCase()).map((x) => x.receipt_hash)).toEqual([other.hash]);
    expect(filterBallots(b, 'ana')).toHaveLength(2);
    expect(filterBallots(b, ' ')).toHaveLength(3);
  });

  it('recounts to the announced result, and says when it does not', () => {
    const b = board();
    expect(recount(b)).toMatchObject({ matches: true, result: { winner: A } });
    const forged = { ...b, result: { ...b.result, winner: B } };
    expect(recount(forged).matches).toBe(false);
    const stuffed = { ...b, ballots: [...b.ballots, { receipt_hash: 'f'.repeat(64), ranking: [B] }] };
    expect(recount(stuffed).matches).toBe(false);
    expect(boardFileName(b)).toBe(`election-${E}-board.json`);
  });
});
