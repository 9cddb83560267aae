/**
 * The one stage queue: approved questions and raised hands in one ordered list the person
 * running the stage works through — in the order they came, or with the fairness rule,
 * people who have not had the floor yet first. Pure.
 */
import type { ModeratedQuestion, RaisedHand } from './live';

export type QueueItem =
  | { kind: 'question'; key: string; question: ModeratedQuestion; who: string; since: string; heard: boolean }
  | { kind: 'hand'; key: string; hand: RaisedHand; who: string; since: string; heard: boolean };

/** On stage now: the question being answered and the hands invited or speaking. */
export function onStage(questions: ModeratedQuestion[], hands: RaisedHand[]): QueueItem[] {
  return items(
    questions.filter((q) => q.status === 'answering'),
    hands.filter((h) => h.status !== 'raised'),
    new Set(),
  );
}

/** Waiting, in the order the stage takes them. */
export function stageQueue(questions: ModeratedQuestion[], hands: RaisedHand[], heard: ReadonlySet<string>, fair: boolean): QueueItem[] {
  const waiting = items(
    questions.filter((q) => q.status === 'approved'),
    hands.filter((h) => h.status === 'raised'),
    heard,
  );
  return waiting.sort((a, b) => (fair ? Number(a.heard) - Number(b.heard) : 0) || a.since.localeCompare(b.since) || a.key.localeCompare(b.key));
}

function items(questions: ModeratedQuestion[], hands: RaisedHand[], heard: ReadonlySet<string>): QueueItem[] {
  return [
    ...questions.map((question): QueueItem => ({
      kind: 'question',
      key: `q:${question.id}`,
      question,
      who: question.author_name,
      since: question.asked_at,
      heard: heard.has(question.author_id),
    })),
    ...hands.map((hand): QueueItem => ({
      kind: 'hand',
      key: `h:${hand.user_id}`,
      hand,
      who: hand.name,
      since: hand.raised_at,
      heard: heard.has(hand.user_id),
    })),
  ];
}
