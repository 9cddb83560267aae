import { describe, expect, it } from 'vitest';
import type { ElectionResult } from '../api';
import {
  applyElectionEvent,
  electionsFromSnapshot,
  initials,
  mayMoveOn,
  namesOf,
  newlyRevealed,
  nextPhase,
  resultBars,
  roundRows,
  turnoutPercent,
} from './elections';
import type { ElectionLive } from './live';

const live = (id: string, over: Partial<ElectionLive> = {}): ElectionLive => ({
  id,
  title: { en: `Election ${id}` },
  phase: 'voting',
  method: 'plurality',
  roll_size: 874,
  turnout: 0,
  result: null,
  candidates: [],
  audit_head: '0'.repeat(64),
  ...over,
});

describe('phases', () => {
  it('only move forward, one step at a time', () => {
    expect(nextPhase('nominations')).toBe('shortlist');
    expect(nextPhase('closed')).toBe('revealed');
    expect(nextPhase('revealed')).toBeNull();
  });

  it('are moved on by organisers, and from the shortlist on by moderators too', () => {
    expect(mayMoveOn('nominations', 'organiser')).toBe(true);
    expect(mayMoveOn('nominations', 'moderator')).toBe(false);
    expect(mayMoveOn('shortlist', 'moderator')).toBe(true);
    expect(mayMoveOn('closed', 'moderator')).toBe(true);
    expect(mayMoveOn('voting', 'speaker')).toBe(false);
    expect(mayMoveOn('voting', 'attendee')).toBe(false);
    expect(mayMoveOn('revealed', 'organiser')).toBe(false);
    expect(mayMoveOn('voting', null)).toBe(false);
  });
});

describe('the live elections', () => {
  it('start from the snapshot and follow phase changes and the turnout', () => {
    let list = electionsFromSnapshot({ election: { elections: [live('a'), live('b', { phase: 'shortlist', roll_size: null, turnout: null })] } });
    expect(list.map((e) => e.id)).toEqual(['a', 'b']);
    list = applyElectionEvent(list, 'election.turnout', { id: 'a', turnout: 312, roll_size: 874 });
    expect(list[0]).toMatchObject({ turnout: 312, roll_size: 874 });
    list = applyElectionEvent(list, 'election.changed', live('b', { phase: 'voting', roll_size: 10, turnout: 0 }));
    expect(list[1]?.phase).toBe('voting');
    list = applyElectionEvent(list, 'election.changed', live('c', { phase: 'nominations' }));
    expect(list.map((e) => e.id)).toEqual(['a', 'b', 'c']);
    expect(applyElectionEvent(list, 'announcement.published', {})).toBe(list);
    expect(electionsFromSnapshot({ announcement: {} })).toEqual([]);
    expect(electionsFromSnapshot(null)).toEqual([]);
  });

  it('tell a reveal seen happen from one of long ago', () => {
    const before = new Map([
      ['a', 'closed' as const],
      ['b', 'revealed' as const],
    ]);
    const next = [live('a', { phase: 'revealed' }), live('b', { phase: 'revealed' }), live('c', { phase: 'revealed' })];
    expect(newlyRevealed(before, next).map((e) => e.id)).toEqual(['a']);
  });

  it('word the turnout as a share of the roll', () => {
    expect(turnoutPercent(312, 874)).toBeCloseTo(35.7, 1);
    expect(turnoutPercent(0, 874)).toBe(0);
    expect(turnoutPercent(5, 0)).toBe(0);
    expect(turnoutPercent(null, null)).toBe(0);
  });
});

const names = namesOf([
  { id: 'a', name: 'Ana Peeters' },
  { id: 'b', name: 'Bram Vos' },
  { id: 'c', name: 'Chiara Ferrari' },
]);

describe('the result', () => {
  it('shows plurality as bars with the votes and whole percentages', () => {
    const result: ElectionResult = {
      method: 'plurality',
      ballots: 3,
      winner: 'b',
      tie_broken_by_lot: false,
      rounds: [{ counts: [{ candidate_id: 'b', votes: 2 }, { candidate_id: 'a', votes: 1 }, { candidate_id: 'c', votes: 0 }], eliminated: null, exhausted: 0 }],
    };
    expect(resultBars(result, names)).toEqual([
      { id: 'b', name: 'Bram Vos', votes: 2, percent: 67, winner: true },
      { id: 'a', name: 'Ana Peeters', votes: 1, percent: 33, winner: false },
      { id: 'c', name: 'Chiara Ferrari', votes: 0, percent: 0, winner: false },
    ]);
  });

  it('shows a run-off as rows by how far each got, a column per round', () => {
    const result: ElectionResult = {
      method: 'ranked',
      ballots: 9,
      winner: 'b',
      tie_broken_by_lot: false,
      rounds: [
        { counts: [{ candidate_id: 'a', votes: 4 }, { candidate_id: 'b', votes: 3 }, { candidate_id: 'c', votes: 2 }], eliminated: 'c', exhausted: 0 },
        { counts: [{ candidate_id: 'b', votes: 5 }, { candidate_id: 'a', votes: 4 }], eliminated: null, exhausted: 0 },
      ],
    };
    expect(roundRows(result, names)).toEqual([
      { id: 'b', name: 'Bram Vos', winner: true, votes: [3, 5], eliminatedIn: null },
      { id: 'a', name: 'Ana Peeters', winner: false, votes: [4, 4], eliminatedIn: null },
      { id: 'c', name: 'Chiara Ferrari', winner: false, votes: [2, null], eliminatedIn: 0 },
    ]);
  });

  it('gives a candidate without a photo their initials', () => {
    expect(initials('Ana Peeters')).toBe('AP');
    expect(initials('  Sanne de Vries ')).toBe('SV');
    expect(initials('Ainhoa')).toBe('A');
    expect(initials('élodie martin')).toBe('ÉM');
  });
});
