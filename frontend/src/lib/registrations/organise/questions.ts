/**
 * The registration form's questions as the organisers edit them: a draft per question with
 * its wording in each language and, for a choice, its choices; checked here with the
 * server's rules and sent back as a whole, each stored question with its `id` so the
 * answers already given to it are kept.
 */
import type { LocalizedText, Question, QuestionInput, QuestionKind } from '../../api';

export const QUESTION_KINDS: readonly QuestionKind[] = ['text', 'single_choice', 'multiple_choice', 'consent'];
export const MAX_QUESTIONS = 30;
export const MAX_OPTIONS = 20;
export const MIN_OPTIONS = 2;
export const LABEL_MAX_CHARS = 500;
export const OPTION_MAX_CHARS = 200;

export interface QuestionDraft {
  /** Keys the list while editing: the stored question's id, or a local one for a new question. */
  key: string;
  /** The stored question's id; `null` until saved. */
  id: string | null;
  kind: QuestionKind;
  /** Language → wording; every language of the form has an entry, maybe blank. */
  label: Record<string, string>;
  /** The choices of a choice question, each by language. Kept while the kind is another. */
  options: Record<string, string>[];
  required: boolean;
}

/** A problem found here: the i18n key of its message, with its values. */
export interface Problem {
  key: string;
  values?: Record<string, number>;
}

let made = 0;

export function hasOptions(kind: QuestionKind): boolean {
  return kind === 'single_choice' || kind === 'multiple_choice';
}

/** The conference's languages, then any other one a stored question is worded in. */
export function questionLanguages(conferenceLanguages: readonly string[], questions: readonly Question[]): string[] {
  const used = questions.flatMap((q) => [...Object.keys(q.label), ...q.options.flatMap((o) => Object.keys(o))]);
  const langs = [...new Set([...conferenceLanguages, ...used])];
  return langs.length ? langs : ['en'];
}

function blank(langs: readonly string[]): Record<string, string> {
  return Object.fromEntries(langs.map((l) => [l, '']));
}

function filled(text: LocalizedText, langs: readonly string[]): Record<string, string> {
  return { ...blank(langs), ...text };
}

export function draftOf(q: Question, langs: readonly string[]): QuestionDraft {
  return {
    key: q.id,
    id: q.id,
    kind: q.kind,
    label: filled(q.label, langs),
    options: q.options.map((o) => filled(o, langs)),
    required: q.required,
  };
}

export function emptyQuestion(langs: readonly string[]): QuestionDraft {
  return { key: `new-${++made}`, id: null, kind: 'text', label: blank(langs), options: [], required: false };
}

export function emptyOption(langs: readonly string[]): Record<string, string> {
  return blank(langs);
}

/** The question with another kind: a choice question starts with two blank choices. */
export function withKind(draft: QuestionDraft, kind: QuestionKind, langs: readonly string[]): QuestionDraft {
  const options = [...draft.options];
  if (hasOptions(kind)) while (options.length < MIN_OPTIONS) options.push(blank(langs));
  return { ...draft, kind, options };
}

/** `list` with the item at `from` moved to `to` (both within the list). */
export function moved<T>(list: readonly T[], from: number, to: number): T[] {
  const out = [...list];
  if (from < 0 || from >= out.length || to < 0 || to >= out.length) return out;
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item!);
  return out;
}

function trimmed(text: Record<string, string>): LocalizedText {
  return Object.fromEntries(
    Object.entries(text)
      .map(([l, t]) => [l, t.trim()] as const)
      .filter(([, t]) => t !== ''),
  );
}

/** What the server is sent: blank languages left out, choices only for a choice question. */
export function toInput(draft: QuestionDraft): QuestionInput {
  return {
    ...(draft.id ? { id: draft.id } : {}),
    kind: draft.kind,
    label: trimmed(draft.label),
    options: hasOptions(draft.kind) ? draft.options.map(trimmed) : [],
    required: draft.required,
  };
}

/**
 * The drafts' problems by the server's field names (`0.label`, `1.options`,
 * `1.options.0`), so ours and the server's are shown in the same places.
 */
export function problemsOf(drafts: readonly QuestionDraft[]): Record<string, Problem> {
  const out: Record<string, Problem> = {};
  drafts.forEach((d, i) => {
    const input = toInput(d);
    if (Object.keys(input.label).length === 0) out[`${i}.label`] = { key: 'field_errors.required_in_a_language' };
    if (!hasOptions(d.kind)) return;
    if (d.options.length < MIN_OPTIONS) out[`${i}.options`] = { key: 'organise_registrations.options_too_few' };
    (input.options ?? []).forEach((o, n) => {
      if (Object.keys(o).length === 0) out[`${i}.options.${n}`] = { key: 'field_errors.required_in_a_language' };
    });
  });
  return out;
}

/** The fields the editor shows problems beside (the rest go to the banner). */
export function placedFields(drafts: readonly QuestionDraft[]): string[] {
  return drafts.flatMap((d, i) => [`${i}.label`, `${i}.options`, ...d.options.map((_, n) => `${i}.options.${n}`)]);
}
