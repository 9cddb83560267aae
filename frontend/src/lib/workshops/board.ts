/**
 * A working group's board as the page holds it: the snapshot, kept up to date by the room's
 * `board.*` events and by the answers to one's own commands; how notes are ordered and
 * grouped in a section, how the keyword cloud is weighted, and when one's own edit of a note
 * was replaced by someone else's. Pure, so it can be unit-tested.
 */
import type {
  BoardEvent,
  BoardSettings,
  BoardSnapshot,
  CloudWord,
  Dotted,
  MyKeywords,
  Note,
  NoteColour,
  Section,
  Timer,
} from './live';

/** The server's bound on a note's text (`notes.rs`). */
export const MAX_NOTE_CHARS = 1000;
/** The server's bound on a keyword (`keywords.rs`). */
export const MAX_KEYWORD_CHARS = 40;
/** The server's bound on a group label (`notes.rs`). */
export const MAX_GROUP_LABEL_CHARS = 60;
/** Dots per person a facilitator may hand out in a round (`dots.rs`). */
export const MAX_ROUND_DOTS = 20;

/** Every colour a note can have, in the order the facilitator picks them. */
export const NOTE_COLOURS = ['yellow', 'pink', 'blue', 'green', 'orange', 'purple'] as const satisfies readonly NoteColour[];

export interface BoardState {
  settings: BoardSettings;
  /** In their order on the board. */
  sections: Section[];
  /** Oldest first, as the snapshot has them; new ones at the end. */
  notes: Note[];
  /** Most proposed first. */
  cloud: CloudWord[];
  /** One's dots left in the open round; `null` when no round is open. */
  remainingDots: number | null;
  /** One's dots per note id in the open round. */
  myDots: Record<string, number>;
  /** One's keywords, folded, in the order proposed. */
  myKeywords: string[];
}

export function fromSnapshot(part: BoardSnapshot): BoardState {
  return {
    settings: part.settings,
    sections: part.sections,
    notes: part.notes,
    cloud: part.cloud.words,
    remainingDots: part.mine.remaining_dots,
    myDots: Object.fromEntries(part.mine.dots.map((d) => [d.id, d.dots])),
    myKeywords: part.mine.keywords,
  };
}

/** Replaces a note by id, or adds it at the end; a note of a section the board no longer has is left out. */
function upsert(state: BoardState, note: Note): Note[] {
  const { notes } = state;
  if (!state.sections.some((s) => s.id === note.section_id)) return notes.filter((n) => n.id !== note.id);
  const at = notes.findIndex((n) => n.id === note.id);
  if (at < 0) return [...notes, note];
  const next = [...notes];
  next[at] = note;
  return next;
}

function withoutKey(record: Record<string, number>, key: string): Record<string, number> {
  const { [key]: _gone, ...rest } = record;
  return rest;
}

/** One's dots after note `id` left the board: merged, one keeps the larger of the two numbers (as the server counts). */
function dotsAfterRemoval(myDots: Record<string, number>, id: string, mergedInto: string | null): Record<string, number> {
  const rest = withoutKey(myDots, id);
  const mine = myDots[id] ?? 0;
  if (mergedInto === null || mine === 0) return rest;
  return { ...rest, [mergedInto]: Math.max(mine, rest[mergedInto] ?? 0) };
}

/** New settings; a round that opened or closed starts one's own dots afresh. */
function withSettings(state: BoardState, settings: BoardSettings): BoardState {
  const sameRound = (state.settings.round?.id ?? null) === (settings.round?.id ?? null);
  if (sameRound) return { ...state, settings };
  return { ...state, settings, remainingDots: settings.round?.dots ?? null, myDots: {} };
}

/** Applies one event of the room; `me` is the viewer's user id (their dots left are in `board.dots`). */
export function applyEvent(state: BoardState, event: BoardEvent, me: string | null): BoardState {
  switch (event.name) {
    case 'board.note':
      return { ...state, notes: upsert(state, event.data) };
    case 'board.note_removed': {
      const { id, merged_into } = event.data;
      return {
        ...state,
        notes: state.notes.filter((n) => n.id !== id),
        myDots: dotsAfterRemoval(state.myDots, id, merged_into),
      };
    }
    case 'board.dots': {
      const counts = new Map(event.data.notes.map((n) => [n.id, n.dots]));
      const mine = event.data.voters.find((v) => v.user_id === me);
      return {
        ...state,
        notes: state.notes.map((n) => (counts.has(n.id) ? { ...n, dots: counts.get(n.id)! } : n)),
        remainingDots: mine && state.settings.round ? mine.remaining : state.remainingDots,
      };
    }
    case 'board.sections': {
      const sections = event.data.sections;
      const kept = new Set(sections.map((s) => s.id));
      return { ...state, sections, notes: state.notes.filter((n) => kept.has(n.section_id)) };
    }
    case 'board.settings':
      return withSettings(state, event.data);
    case 'board.keywords':
      return { ...state, cloud: event.data.words };
  }
}

/** A note as one's own command returned it (the event follows; applying both is harmless). */
export function noteChanged(state: BoardState, note: Note): BoardState {
  return { ...state, notes: upsert(state, note) };
}

/** One's dot as the server counted it. */
export function dotted(state: BoardState, dot: Dotted): BoardState {
  const myDots = dot.mine > 0 ? { ...state.myDots, [dot.id]: dot.mine } : withoutKey(state.myDots, dot.id);
  return {
    ...state,
    notes: state.notes.map((n) => (n.id === dot.id ? { ...n, dots: dot.dots } : n)),
    myDots,
    remainingDots: dot.remaining,
  };
}

/** One's keywords as the server holds them after proposing or withdrawing one. */
export function keywordsChanged(state: BoardState, mine: MyKeywords): BoardState {
  return { ...state, myKeywords: mine.folded };
}

/** The order notes are shown in a section: pinned first, then most dots, then oldest. */
export function sortedNotes(notes: readonly Note[]): Note[] {
  return [...notes].sort(
    (a, b) =>
      Number(b.pinned) - Number(a.pinned) ||
      b.dots - a.dots ||
      a.created_at.localeCompare(b.created_at) ||
      a.id.localeCompare(b.id),
  );
}

/** The notes of section `sectionId`, in the order they are shown. */
export function notesOf(state: BoardState, sectionId: string): Note[] {
  return sortedNotes(state.notes.filter((n) => n.section_id === sectionId));
}

export interface NoteGroup {
  /** `null`: the notes in no group. */
  label: string | null;
  notes: Note[];
}

/** Notes (already sorted) gathered under their group label, each group where its first note stands. */
export function groupNotes(sorted: readonly Note[]): NoteGroup[] {
  const groups = new Map<string | null, Note[]>();
  for (const note of sorted) {
    const label = note.group_label ?? null;
    const group = groups.get(label);
    if (group) group.push(note);
    else groups.set(label, [note]);
  }
  return [...groups].map(([label, notes]) => ({ label, notes }));
}

/**
 * The name of the person whose edit replaced one's own, when a `board.note` event says so
 * (its `overwrote` is the viewer); `null` otherwise.
 */
export function replacedBy(note: Note, me: string | null): string | null {
  if (me === null || note.overwrote !== me) return null;
  return (note.edited_by ?? note.author)?.name ?? '';
}

/**
 * A cloud word's font size in rem: 1 for the least proposed, up to 2 for the most (larger
 * would break long words such as "Décloisonnement" in a phone-wide column).
 */
export function cloudSize(word: CloudWord, words: readonly CloudWord[]): number {
  const people = words.map((w) => w.people);
  const least = Math.min(...people);
  const most = Math.max(...people);
  if (most === least) return 1.5;
  return Math.round((1 + (word.people - least) / (most - least)) * 100) / 100;
}

/** How one's own keyword is shown: the cloud's spelling of it, or the folded form. */
export function keywordSpelling(folded: string, cloud: readonly CloudWord[]): string {
  return cloud.find((w) => w.folded === folded)?.word ?? folded;
}

/** Whole seconds left on the countdown at `nowMs` (0 once it has run out). */
export function secondsLeft(timer: Timer, nowMs: number): number {
  return Math.max(0, Math.ceil((Date.parse(timer.ends_at) - nowMs) / 1000));
}

/** `m:ss`, or `h:mm:ss` from an hour. */
export function formatCountdown(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/**
 * A section's title and prompt questions after a facilitator edited them in `language`: that
 * language's title and prompts (one a line, blank lines dropped) are replaced, the texts of
 * the other languages kept beside the prompt at the same place.
 */
export function editedSection(
  section: Section,
  language: string,
  title: string,
  promptLines: string,
): { title: Record<string, string>; prompts: Record<string, string>[] } {
  const lines = promptLines
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return {
    title: { ...section.title, [language]: title.trim() },
    prompts: lines.map((line, at) => ({ ...section.prompts[at], [language]: line })),
  };
}

/** A section's prompts in `language`, one a line, for editing. */
export function promptLines(section: Section, language: string): string {
  return section.prompts.map((prompt) => prompt[language] ?? '').join('\n');
}
