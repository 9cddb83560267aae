/**
 * A session's Q&A as the page holds it: questions from the snapshot, kept up to date by
 * events, one's own votes, and the order they are shown in. Pure, so it can be unit-tested.
 * The attendee's list (session room) and the moderator's (backstage) share the logic.
 */
import type {
  BackstageEvent,
  BackstageSnapshot,
  ModeratedQuestion,
  PublicQuestion,
  QaEvent,
  QaSnapshot,
  QuestionStatus,
  Vote,
  VoteCount,
} from './live';

export const MAX_QUESTION_CHARS = 500;

export type Sort = 'votes' | 'newest';

export interface QaState<Q extends PublicQuestion | ModeratedQuestion> {
  premoderation: boolean;
  /** By id, in the order they were asked. */
  questions: Q[];
  /** The questions this person upvoted. */
  voted: string[];
  /** This person's own questions. */
  mine: string[];
}

export type AudienceQa = QaState<PublicQuestion>;
export type BackstageQa = QaState<ModeratedQuestion>;

export function fromSnapshot(part: QaSnapshot | undefined): AudienceQa {
  return {
    premoderation: part?.premoderation ?? false,
    questions: part?.questions ?? [],
    voted: part?.voted ?? [],
    mine: part?.mine ?? [],
  };
}

export function fromBackstage(part: BackstageSnapshot | undefined): BackstageQa {
  return { premoderation: part?.premoderation ?? false, questions: part?.questions ?? [], voted: [], mine: [] };
}

/** Replaces a question by id, or adds it at the end. */
function upsert<Q extends { id: string }>(questions: Q[], question: Q): Q[] {
  const at = questions.findIndex((q) => q.id === question.id);
  if (at < 0) return [...questions, question];
  const next = [...questions];
  next[at] = question;
  return next;
}

function withCounts<Q extends { id: string; votes: number }>(questions: Q[], counts: VoteCount[]): Q[] {
  const byId = new Map(counts.map((c) => [c.id, c.votes]));
  return questions.map((q) => (byId.has(q.id) ? { ...q, votes: byId.get(q.id)! } : q));
}

export function applyEvent(state: AudienceQa, event: QaEvent): AudienceQa {
  switch (event.name) {
    case 'qa.question':
      return { ...state, questions: upsert(state.questions, event.data) };
    case 'qa.removed':
      return { ...state, questions: state.questions.filter((q) => q.id !== event.data.id) };
    case 'qa.votes':
      return { ...state, questions: withCounts(state.questions, event.data.counts) };
    case 'qa.premoderation':
      return { ...state, premoderation: event.data.on };
  }
}

export function applyBackstageEvent(state: BackstageQa, event: BackstageEvent): BackstageQa {
  switch (event.name) {
    case 'qa.moderated':
      return { ...state, questions: upsert(state.questions, event.data) };
    case 'qa.votes':
      return { ...state, questions: withCounts(state.questions, event.data.counts) };
    case 'qa.premoderation':
      return { ...state, premoderation: event.data.on };
  }
}

/** One's own new question, from the ask command's answer (a pending one has no event). */
export function asked(state: AudienceQa, question: PublicQuestion): AudienceQa {
  return { ...state, questions: upsert(state.questions, question), mine: [...state.mine, question.id] };
}

/** One's own vote as the server acknowledged it: the count is the one after it. */
export function voted(state: AudienceQa, vote: Vote): AudienceQa {
  const others = state.voted.filter((id) => id !== vote.id);
  return {
    ...state,
    voted: vote.voted ? [...others, vote.id] : others,
    questions: withCounts(state.questions, [{ id: vote.id, votes: vote.votes }]),
  };
}

const rank: Record<QuestionStatus, number> = { answering: 0, pending: 1, approved: 1, answered: 2, hidden: 3, merged: 4 };

/**
 * The order questions are shown in: the one being answered first, answered ones last, the
 * rest by votes (ties: older first) or newest first.
 */
export function sorted<Q extends PublicQuestion | ModeratedQuestion>(questions: Q[], sort: Sort): Q[] {
  return [...questions].sort((a, b) => {
    const byStatus = rank[a.status] - rank[b.status];
    if (byStatus !== 0) return byStatus;
    if (sort === 'votes' && a.votes !== b.votes) return b.votes - a.votes;
    const byTime = a.asked_at.localeCompare(b.asked_at);
    return sort === 'newest' ? -byTime : byTime;
  });
}
