import { describe, expect, it } from 'vitest';
import type { ModeratedQuestion, PublicQuestion } from './live';
import { applyBackstageEvent, applyEvent, asked, fromBackstage, fromSnapshot, sorted, voted } from './qa';

const question = (id: string, votes = 0, status: PublicQuestion['status'] = 'approved', minute = 0): PublicQuestion => ({
  id,
  body: `Question ${id}?`,
  language: 'fr',
  author_id: 'u',
  author_name: 'Ana',
  status,
  edited: false,
  votes,
  asked_at: `2026-12-02T10:${String(minute).padStart(2, '0')}:00Z`,
});

describe('Q&A state', () => {
  it('starts from the snapshot, or empty in a room without Q&A', () => {
    const state = fromSnapshot({ premoderation: true, questions: [question('a')], voted: ['a'], mine: [] });
    expect(state.premoderation).toBe(true);
    expect(state.voted).toEqual(['a']);
    expect(fromSnapshot(undefined).questions).toEqual([]);
  });

  it('replaces a changed question by id, drops a removed one and applies coalesced counts', () => {
    let state = fromSnapshot({ premoderation: false, questions: [question('a'), question('b')], voted: [], mine: [] });
    state = applyEvent(state, { name: 'qa.question', data: { ...question('a'), edited: true, body: 'Fixed?' } });
    state = applyEvent(state, { name: 'qa.question', data: question('c') });
    expect(state.questions.map((q) => [q.id, q.body])).toEqual([
      ['a', 'Fixed?'],
      ['b', 'Question b?'],
      ['c', 'Question c?'],
    ]);
    state = applyEvent(state, { name: 'qa.removed', data: { id: 'b' } });
    state = applyEvent(state, { name: 'qa.votes', data: { counts: [{ id: 'c', votes: 900 }, { id: 'gone', votes: 3 }] } });
    expect(state.questions.map((q) => [q.id, q.votes])).toEqual([
      ['a', 0],
      ['c', 900],
    ]);
    state = applyEvent(state, { name: 'qa.premoderation', data: { on: true } });
    expect(state.premoderation).toBe(true);
  });

  it('keeps one’s own question and vote as acknowledged', () => {
    let state = fromSnapshot(undefined);
    state = asked(state, question('mine', 0, 'pending'));
    expect(state.mine).toEqual(['mine']);
    state = asked(state, question('a'));
    state = voted(state, { id: 'a', voted: true, votes: 5 });
    expect(state.voted).toEqual(['a']);
    expect(state.questions.find((q) => q.id === 'a')?.votes).toBe(5);
    state = voted(state, { id: 'a', voted: false, votes: 4 });
    expect(state.voted).toEqual([]);
  });

  it('puts the question being answered first and answered ones last, then by votes or time', () => {
    const list = [
      question('old', 3, 'approved', 1),
      question('done', 50, 'answered', 2),
      question('top', 9, 'approved', 3),
      question('now', 0, 'answering', 4),
      question('new', 3, 'approved', 5),
    ];
    expect(sorted(list, 'votes').map((q) => q.id)).toEqual(['now', 'top', 'old', 'new', 'done']);
    expect(sorted(list, 'newest').map((q) => q.id)).toEqual(['now', 'new', 'top', 'old', 'done']);
  });

  it('follows the backstage, where every question keeps its author', () => {
    const moderated: ModeratedQuestion = {
      ...question('p', 0, 'pending'),
      author_id: 'u',
      author_name: 'Ana',
      anonymous: true,
      merged_into: null,
    };
    let state = fromBackstage({ premoderation: true, questions: [] });
    state = applyBackstageEvent(state, { name: 'qa.moderated', data: moderated });
    state = applyBackstageEvent(state, { name: 'qa.moderated', data: { ...moderated, status: 'approved' } });
    state = applyBackstageEvent(state, { name: 'qa.votes', data: { counts: [{ id: 'p', votes: 2 }] } });
    expect(state.questions).toEqual([{ ...moderated, status: 'approved', votes: 2 }]);
  });
});
