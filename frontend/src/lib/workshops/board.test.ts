import { describe, expect, it } from 'vitest';
import type { BoardSettings, BoardSnapshot, CloudWord, Note, Section } from './live';
import {
  applyEvent,
  cloudSize,
  dotted,
  editedSection,
  formatCountdown,
  fromSnapshot,
  groupNotes,
  keywordsChanged,
  keywordSpelling,
  notesOf,
  promptLines,
  replacedBy,
  secondsLeft,
  sortedNotes,
} from './board';

const ME = 'me';
const ana = { id: 'ana', name: 'Ana' };

const section = (id: string): Section => ({ id, kind: 'notes', title: { en: id }, prompts: [] });

const note = (id: string, extra: Partial<Note> = {}): Note => ({
  id,
  section_id: 'questions',
  author: ana,
  body: `Note ${id}`,
  language: 'fr',
  colour: 'yellow',
  pinned: false,
  group_label: null,
  version: 1,
  edited_by: null,
  overwrote: null,
  dots: 0,
  created_at: '2026-12-03T10:00:00Z',
  ...extra,
});

const settings = (extra: Partial<BoardSettings> = {}): BoardSettings => ({
  locked: false,
  observers: false,
  keywords_per_person: 3,
  round: null,
  timer: null,
  ...extra,
});

const round = { id: 'r1', dots: 5, opened_at: '2026-12-03T10:00:00Z' };

function snapshot(extra: Partial<BoardSnapshot> = {}): BoardSnapshot {
  return {
    settings: settings(),
    sections: [section('questions'), section('findings')],
    notes: [note('a'), note('b', { section_id: 'findings' })],
    cloud: { words: [] },
    mine: { remaining_dots: null, dots: [], keywords: [] },
    ...extra,
  };
}

describe('board state', () => {
  it('starts from the snapshot with one’s own dots and keywords', () => {
    const state = fromSnapshot(
      snapshot({
        settings: settings({ round }),
        mine: { remaining_dots: 3, dots: [{ id: 'a', dots: 2 }], keywords: ['decloisonnement'] },
      }),
    );
    expect(state.remainingDots).toBe(3);
    expect(state.myDots).toEqual({ a: 2 });
    expect(state.myKeywords).toEqual(['decloisonnement']);
    expect(notesOf(state, 'findings').map((n) => n.id)).toEqual(['b']);
  });

  it('upserts notes by id and drops removed ones', () => {
    let state = fromSnapshot(snapshot());
    state = applyEvent(state, { name: 'board.note', data: note('a', { body: 'Changed', version: 2 }) }, ME);
    state = applyEvent(state, { name: 'board.note', data: note('c') }, ME);
    expect(state.notes.map((n) => [n.id, n.body])).toEqual([
      ['a', 'Changed'],
      ['b', 'Note b'],
      ['c', 'Note c'],
    ]);
    state = applyEvent(state, { name: 'board.note_removed', data: { id: 'b', merged_into: null } }, ME);
    expect(state.notes.map((n) => n.id)).toEqual(['a', 'c']);
  });

  it('moves a note between sections by its event', () => {
    let state = fromSnapshot(snapshot());
    state = applyEvent(state, { name: 'board.note', data: note('a', { section_id: 'findings' }) }, ME);
    expect(notesOf(state, 'questions')).toEqual([]);
    expect(notesOf(state, 'findings').map((n) => n.id)).toEqual(['a', 'b']);
  });

  it('drops the notes of a section that left the list', () => {
    let state = fromSnapshot(snapshot());
    state = applyEvent(state, { name: 'board.sections', data: { sections: [section('questions')] } }, ME);
    expect(state.sections.map((s) => s.id)).toEqual(['questions']);
    expect(state.notes.map((n) => n.id)).toEqual(['a']);
    // A late event for a note of the removed section does not bring it back.
    state = applyEvent(state, { name: 'board.note', data: note('b', { section_id: 'findings' }) }, ME);
    expect(state.notes.map((n) => n.id)).toEqual(['a']);
  });

  it('applies dot counts, and one’s dots left only from one’s own voter entry', () => {
    let state = fromSnapshot(snapshot({ settings: settings({ round }), mine: { remaining_dots: 5, dots: [], keywords: [] } }));
    state = applyEvent(
      state,
      { name: 'board.dots', data: { notes: [{ id: 'a', dots: 7 }], voters: [{ user_id: 'someone', remaining: 0 }] } },
      ME,
    );
    expect(state.notes.find((n) => n.id === 'a')?.dots).toBe(7);
    expect(state.remainingDots).toBe(5);
    state = applyEvent(state, { name: 'board.dots', data: { notes: [], voters: [{ user_id: ME, remaining: 2 }] } }, ME);
    expect(state.remainingDots).toBe(2);
  });

  it('takes one’s own dot from the command’s answer', () => {
    let state = fromSnapshot(snapshot({ settings: settings({ round }), mine: { remaining_dots: 5, dots: [], keywords: [] } }));
    state = dotted(state, { id: 'a', dots: 3, mine: 2, remaining: 3 });
    expect(state.myDots).toEqual({ a: 2 });
    expect(state.remainingDots).toBe(3);
    expect(state.notes.find((n) => n.id === 'a')?.dots).toBe(3);
    state = dotted(state, { id: 'a', dots: 1, mine: 0, remaining: 5 });
    expect(state.myDots).toEqual({});
  });

  it('keeps the larger of one’s dots when two notes merge, and forgets a deleted note’s', () => {
    let state = fromSnapshot(
      snapshot({
        settings: settings({ round }),
        mine: { remaining_dots: 0, dots: [{ id: 'a', dots: 2 }, { id: 'b', dots: 3 }], keywords: [] },
      }),
    );
    state = applyEvent(state, { name: 'board.note_removed', data: { id: 'a', merged_into: 'b' } }, ME);
    expect(state.myDots).toEqual({ b: 3 });
    state = applyEvent(state, { name: 'board.note_removed', data: { id: 'b', merged_into: null } }, ME);
    expect(state.myDots).toEqual({});
  });

  it('starts one’s dots afresh when a round opens or closes, not when other settings change', () => {
    let state = fromSnapshot(snapshot());
    state = applyEvent(state, { name: 'board.settings', data: settings({ round }) }, ME);
    expect(state.remainingDots).toBe(5);
    state = dotted(state, { id: 'a', dots: 1, mine: 1, remaining: 4 });
    state = applyEvent(state, { name: 'board.settings', data: settings({ round, locked: true }) }, ME);
    expect(state.remainingDots).toBe(4);
    expect(state.myDots).toEqual({ a: 1 });
    expect(state.settings.locked).toBe(true);
    state = applyEvent(state, { name: 'board.settings', data: settings() }, ME);
    expect(state.remainingDots).toBeNull();
    expect(state.myDots).toEqual({});
  });

  it('follows the keyword cloud and one’s own keywords', () => {
    let state = fromSnapshot(snapshot());
    const words: CloudWord[] = [{ word: 'Décloisonnement', folded: 'decloisonnement', people: 2 }];
    state = applyEvent(state, { name: 'board.keywords', data: { words } }, ME);
    state = keywordsChanged(state, { folded: ['decloisonnement', 'confiance'] });
    expect(state.cloud).toEqual(words);
    expect(state.myKeywords.map((k) => keywordSpelling(k, state.cloud))).toEqual(['Décloisonnement', 'confiance']);
  });
});

describe('notes in a section', () => {
  it('shows pinned first, then most dots, then oldest', () => {
    const notes = [
      note('old', { created_at: '2026-12-03T10:00:00Z' }),
      note('new', { created_at: '2026-12-03T10:05:00Z' }),
      note('dotted', { dots: 4, created_at: '2026-12-03T10:09:00Z' }),
      note('pinned', { pinned: true, created_at: '2026-12-03T10:10:00Z' }),
    ];
    expect(sortedNotes(notes).map((n) => n.id)).toEqual(['pinned', 'dotted', 'old', 'new']);
  });

  it('gathers notes under their group label where the group’s first note stands', () => {
    const sorted = sortedNotes([
      note('a', { dots: 5, group_label: 'Finance' }),
      note('b', { dots: 4 }),
      note('c', { dots: 3, group_label: 'Trust' }),
      note('d', { dots: 2, group_label: 'Finance' }),
      note('e', { dots: 1 }),
    ]);
    expect(groupNotes(sorted).map((g) => [g.label, g.notes.map((n) => n.id)])).toEqual([
      ['Finance', ['a', 'd']],
      [null, ['b', 'e']],
      ['Trust', ['c']],
    ]);
  });
});

describe('an edit replaced by someone else’s', () => {
  it('names who wrote the version that replaced one’s own', () => {
    const facilitator = { id: 'fac', name: 'Fatou' };
    expect(replacedBy(note('a', { overwrote: ME, edited_by: facilitator }), ME)).toBe('Fatou');
    expect(replacedBy(note('a', { overwrote: ME }), ME)).toBe('Ana');
    expect(replacedBy(note('a', { overwrote: 'someone else', edited_by: facilitator }), ME)).toBeNull();
    expect(replacedBy(note('a'), ME)).toBeNull();
  });
});

describe('the keyword cloud and the countdown', () => {
  it('sizes words by how many people proposed them', () => {
    const words: CloudWord[] = [
      { word: 'a', folded: 'a', people: 5 },
      { word: 'b', folded: 'b', people: 3 },
      { word: 'c', folded: 'c', people: 1 },
    ];
    expect(words.map((w) => cloudSize(w, words))).toEqual([2, 1.5, 1]);
    expect(cloudSize(words[0]!, [words[0]!])).toBe(1.5);
  });

  it('counts down in whole seconds and formats them', () => {
    const timer = { ends_at: '2026-12-03T10:10:00Z', label: null };
    expect(secondsLeft(timer, Date.parse('2026-12-03T10:05:00.500Z'))).toBe(300);
    expect(secondsLeft(timer, Date.parse('2026-12-03T10:11:00Z'))).toBe(0);
    expect(formatCountdown(300)).toBe('5:00');
    expect(formatCountdown(59)).toBe('0:59');
    expect(formatCountdown(3725)).toBe('1:02:05');
  });
});

describe('a section edited in one language', () => {
  it('replaces that language’s title and prompts and keeps the others beside them', () => {
    const questions: Section = {
      ...section('questions'),
      title: { en: 'Questions', fr: 'Questions' },
      prompts: [
        { en: 'What slows cooperation?', fr: 'Quels freins ?' },
        { en: 'How to finance it?', fr: 'Comment financer ?' },
      ],
    };
    expect(promptLines(questions, 'fr')).toBe('Quels freins ?\nComment financer ?');
    expect(editedSection(questions, 'fr', ' Les questions ', 'Quels freins à la coopération ?\n\n')).toEqual({
      title: { en: 'Questions', fr: 'Les questions' },
      prompts: [{ en: 'What slows cooperation?', fr: 'Quels freins à la coopération ?' }],
    });
  });
});
