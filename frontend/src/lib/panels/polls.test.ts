import { describe, expect, it } from 'vitest';
import type { Poll } from './live';
import { answered, applyEvent, cleanOptions, fromSnapshot, percentages } from './polls';

const poll = (id: string, over: Partial<Poll> = {}): Poll => ({
  id,
  question: `Poll ${id}?`,
  options: ['Lille', 'Gent', 'Aachen'],
  multiple: false,
  changeable: false,
  status: 'open',
  results_shown: false,
  answers: 0,
  counts: null,
  ...over,
});

describe('polls state', () => {
  it('starts from the snapshot with one’s own answers by poll', () => {
    const state = fromSnapshot({ polls: [poll('a')], mine: [{ id: 'a', choices: [2] }] });
    expect(state.mine).toEqual({ a: [2] });
    expect(fromSnapshot(undefined)).toEqual({ polls: [], mine: {} });
  });

  it('replaces, adds and removes polls, and applies coalesced counts', () => {
    let state = fromSnapshot({ polls: [poll('a')], mine: [] });
    state = applyEvent(state, { name: 'poll.poll', data: poll('b') });
    state = applyEvent(state, { name: 'poll.poll', data: poll('a', { status: 'closed' }) });
    expect(state.polls.map((p) => [p.id, p.status])).toEqual([
      ['a', 'closed'],
      ['b', 'open'],
    ]);
    state = applyEvent(state, { name: 'poll.counts', data: { id: 'b', answers: 900, counts: null } });
    expect(state.polls[1]).toMatchObject({ answers: 900, counts: null });
    state = applyEvent(state, { name: 'poll.counts', data: { id: 'b', answers: 900, counts: [450, 300, 150] } });
    expect(state.polls[1]?.counts).toEqual([450, 300, 150]);
    state = applyEvent(state, { name: 'poll.removed', data: { id: 'a' } });
    expect(state.polls.map((p) => p.id)).toEqual(['b']);
    expect(answered(state, { id: 'b', choices: [0] }).mine).toEqual({ b: [0] });
  });

  it('words percentages against the people who answered (several choices may pass 100 %)', () => {
    expect(percentages(poll('a', { answers: 3, counts: [1, 2, 0] }))).toEqual([33, 67, 0]);
    expect(percentages(poll('a', { multiple: true, answers: 2, counts: [2, 2, 1] }))).toEqual([100, 100, 50]);
    expect(percentages(poll('a', { answers: 0, counts: [0, 0, 0] }))).toEqual([0, 0, 0]);
    expect(percentages(poll('a'))).toEqual([]);
  });

  it('keeps the options a moderator filled in', () => {
    expect(cleanOptions([' Skills ', '', '  ', 'Data'])).toEqual(['Skills', 'Data']);
  });
});
