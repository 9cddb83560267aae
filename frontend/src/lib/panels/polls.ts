/**
 * A session's polls as the page holds them: from the snapshot, kept up to date by events
 * (coalesced counts included), with one's own answers. Pure, so it can be unit-tested.
 */
import type { Poll, PollAnswer, PollEvent, PollSnapshot } from './live';

export const MAX_OPTIONS = 10;
export const MAX_OPTION_CHARS = 200;
export const MAX_POLL_QUESTION_CHARS = 300;

export interface PollsState {
  /** In the order they were created. */
  polls: Poll[];
  /** One's own answers, by poll id. */
  mine: Record<string, number[]>;
}

export function fromSnapshot(part: PollSnapshot | undefined): PollsState {
  const mine: Record<string, number[]> = {};
  for (const answer of part?.mine ?? []) mine[answer.id] = answer.choices;
  return { polls: part?.polls ?? [], mine };
}

export function applyEvent(state: PollsState, event: PollEvent): PollsState {
  switch (event.name) {
    case 'poll.poll': {
      const at = state.polls.findIndex((p) => p.id === event.data.id);
      const polls = [...state.polls];
      if (at < 0) polls.push(event.data);
      else polls[at] = event.data;
      return { ...state, polls };
    }
    case 'poll.removed':
      return { ...state, polls: state.polls.filter((p) => p.id !== event.data.id) };
    case 'poll.counts': {
      const { id, answers, counts } = event.data;
      return { ...state, polls: state.polls.map((p) => (p.id === id ? { ...p, answers, counts } : p)) };
    }
  }
}

/** One's own answer as the server acknowledged it. */
export function answered(state: PollsState, answer: PollAnswer): PollsState {
  return { ...state, mine: { ...state.mine, [answer.id]: answer.choices } };
}

/** Whole percentages of `counts` against the number of people who answered. */
export function percentages(poll: Poll): number[] {
  const counts = poll.counts ?? [];
  return counts.map((count) => (poll.answers > 0 ? Math.round((100 * count) / poll.answers) : 0));
}

/** The options of a draft being written: trimmed, without empty lines. */
export function cleanOptions(options: readonly string[]): string[] {
  return options.map((o) => o.trim()).filter((o) => o !== '');
}
