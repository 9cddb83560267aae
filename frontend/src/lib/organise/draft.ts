/**
 * The organiser's session form as plain data: building it from a session, checking it,
 * turning it into the API's SessionInput (local times in the conference zone → UTC),
 * and placing the server's validation errors next to the right inputs.
 */
import type { Conference, Session, SessionInput, SessionKind, Visibility } from '../api';
import { utcToZonedLocal, zonedLocalToUtc } from '../time';

export interface SessionDraft {
  kind: SessionKind;
  title: Record<string, string>;
  description: Record<string, string>;
  /** `YYYY-MM-DDTHH:mm`, wall-clock time in the conference's zone. */
  start: string;
  end: string;
  capacity: string;
  languages: string[];
  stream_url: string;
  visibility: Visibility;
  city: string;
  address: string;
}

/** Form field → message (an i18n key for client problems, words for server ones). */
export type Problems = Record<string, string>;

/** The languages the content inputs are shown for: the conference's, plus any the session already uses. */
export function contentLanguages(conference: Pick<Conference, 'languages'>, session?: Session | null): string[] {
  const extra = session
    ? [...Object.keys(session.title), ...Object.keys(session.description)].filter(
        (l) => !conference.languages.includes(l),
      )
    : [];
  return [...new Set([...conference.languages, ...extra])];
}

export function emptyDraft(conference: Pick<Conference, 'languages' | 'starts_on'>): SessionDraft {
  return {
    kind: 'panel',
    title: Object.fromEntries(conference.languages.map((l) => [l, ''])),
    description: Object.fromEntries(conference.languages.map((l) => [l, ''])),
    start: `${conference.starts_on}T09:00`,
    end: `${conference.starts_on}T10:00`,
    capacity: '',
    languages: conference.languages.slice(0, 1),
    stream_url: '',
    visibility: 'public',
    city: '',
    address: '',
  };
}

export function draftFromSession(session: Session, conference: Pick<Conference, 'languages' | 'time_zone'>): SessionDraft {
  const langs = contentLanguages(conference, session);
  return {
    kind: session.kind,
    title: Object.fromEntries(langs.map((l) => [l, session.title[l] ?? ''])),
    description: Object.fromEntries(langs.map((l) => [l, session.description[l] ?? ''])),
    start: utcToZonedLocal(session.starts_at, conference.time_zone),
    end: utcToZonedLocal(session.ends_at, conference.time_zone),
    capacity: session.capacity == null ? '' : String(session.capacity),
    languages: [...session.languages],
    stream_url: session.stream_url ?? '',
    visibility: session.visibility,
    city: session.venue?.city ?? '',
    address: session.venue?.address ?? '',
  };
}

function nonEmpty(text: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(text)
      .map(([k, v]) => [k, v.trim()] as const)
      .filter(([, v]) => v !== ''),
  );
}

function isWebUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

export type DraftResult = { ok: true; input: SessionInput } | { ok: false; problems: Problems };

/** Checks the draft and converts it; problems carry i18n keys. */
export function draftToInput(draft: SessionDraft, timeZone: string): DraftResult {
  const problems: Problems = {};
  const title = nonEmpty(draft.title);
  if (Object.keys(title).length === 0) problems.title = 'organise.error_title';

  const startsAt = zonedLocalToUtc(draft.start, timeZone);
  const endsAt = zonedLocalToUtc(draft.end, timeZone);
  if (!startsAt) problems.start = 'organise.error_time';
  if (!endsAt) problems.end = 'organise.error_time';
  if (startsAt && endsAt && Date.parse(endsAt) <= Date.parse(startsAt)) problems.end = 'organise.error_end_before_start';

  let capacity: number | null = null;
  const cap = draft.capacity.trim();
  if (cap !== '') {
    if (!/^\d+$/.test(cap) || Number(cap) < 1) problems.capacity = 'organise.error_capacity';
    else capacity = Number(cap);
  }

  if (draft.languages.length === 0) problems.languages = 'organise.error_languages';

  const stream = draft.stream_url.trim();
  if (stream && !isWebUrl(stream)) problems.stream_url = 'organise.error_url';

  const city = draft.city.trim();
  const address = draft.address.trim();
  if (address && !city) problems.city = 'organise.error_address_without_city';

  if (Object.keys(problems).length > 0 || !startsAt || !endsAt) return { ok: false, problems };
  return {
    ok: true,
    input: {
      kind: draft.kind,
      title,
      description: nonEmpty(draft.description),
      starts_at: startsAt,
      ends_at: endsAt,
      capacity,
      languages: [...draft.languages],
      stream_url: stream || null,
      visibility: draft.visibility,
      venue: city ? { city, address } : null,
    },
  };
}

const ALIASES: Record<string, string> = {
  starts_at: 'start',
  start: 'start',
  ends_at: 'end',
  end: 'end',
  venue: 'city',
  'venue.city': 'city',
  city: 'city',
  'venue.address': 'address',
  address: 'address',
  kind: 'kind',
  title: 'title',
  description: 'description',
  capacity: 'capacity',
  languages: 'languages',
  stream_url: 'stream_url',
  visibility: 'visibility',
};

/**
 * Places the server's `fields` on form fields; keys the form has no input for
 * are returned in `other`, to be shown in the error summary.
 */
export function placeServerFields(
  fields: Record<string, string>,
  contentLangs: readonly string[],
): { byField: Problems; other: [string, string][] } {
  const byField: Problems = {};
  const other: [string, string][] = [];
  for (const [key, message] of Object.entries(fields)) {
    const m = /^(title|description)[.[](\w+)\]?$/.exec(key);
    if (m && contentLangs.includes(m[2]!)) {
      byField[`${m[1]}.${m[2]}`] = message;
      continue;
    }
    const field = ALIASES[key];
    if (field) byField[field] = message;
    else other.push([key, message]);
  }
  return { byField, other };
}

/** The DOM id of a form field (`title.fr` → `sf-title-fr`). */
export function fieldId(field: string): string {
  return 'sf-' + field.replace(/[^\w]/g, '-');
}

/** What the form's inputs need to know of the problems: each field's message, and its `aria-describedby`. */
export interface FieldProblems {
  /** The field's problem in words; empty when there is none. */
  message(field: string): string;
  /** The ids describing the field's input: its hint, then its problem. */
  describedBy(field: string, hintId?: string): string | undefined;
}

export function fieldProblems(message: (field: string) => string): FieldProblems {
  return {
    message,
    describedBy(field, hintId) {
      const ids = [hintId ?? '', message(field) ? fieldId(field) + '-error' : ''].filter(Boolean);
      return ids.length ? ids.join(' ') : undefined;
    },
  };
}
