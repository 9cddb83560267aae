import { describe, expect, it } from 'vitest';
import { addToRanking, ballotRanking, moveInRanking, removeFromRanking } from './booth';

describe('the ranking a voter builds', () => {
  it('adds each candidate once, moves them and removes them', () => {
    let r = addToRanking([], 'a');
    r = addToRanking(r, 'b');
    r = addToRanking(r, 'c');
    expect(addToRanking(r, 'b')).toEqual(['a', 'b', 'c']);
    r = moveInRanking(r, 'c', -1);
    expect(r).toEqual(['a', 'c', 'b']);
    expect(moveInRanking(r, 'a', -1)).toEqual(['a', 'c', 'b']);
    expect(moveInRanking(r, 'b', 1)).toEqual(['a', 'c', 'b']);
    r = moveInRanking(r, 'a', 1);
    expect(r).toEqual(['c', 'a', 'b']);
    expect(removeFromRanking(r, 'a')).toEqual(['c', 'b']);
  });
});

describe('the ballot', () => {
  const candidates = ['a', 'b', 'c'];
  it('holds exactly one candidate for plurality', () => {
    expect(ballotRanking('plurality', 'b', ['a'], candidates)).toEqual(['b']);
    expect(ballotRanking('plurality', null, ['a'], candidates)).toBeNull();
    expect(ballotRanking('plurality', 'z', [], candidates)).toBeNull();
  });

  it('holds one to all candidates, each once, for ranked choice', () => {
    expect(ballotRanking('ranked', null, ['c', 'a'], candidates)).toEqual(['c', 'a']);
    expect(ballotRanking('ranked', 'a', [], candidates)).toBeNull();
    expect(ballotRanking('ranked', null, ['a', 'a'], candidates)).toBeNull();
    expect(ballotRanking('ranked', null, ['a', 'z'], candidates)).toBeNull();
  });
});
