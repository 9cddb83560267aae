/**
 * The election's forms as plain data: an election (its title and description in each of
 * the conference's languages, the method, voting opened and closed at a time typed in the
 * conference's zone), a nomination, and a candidate; each checked and turned into its API
 * input, problems as i18n keys.
 */
import type { Candidate, CandidateInput, Conference, Election, ElectionInput, ElectionMethod, Nomination, NominationInput } from '../api';
import { utcToZonedLocal, zonedLocalToUtc } from '../time';

/** Longest nomination or candidate statement, in characters (as the server counts them). */
export const MAX_STATEMENT_CHARS = 1_500;
export const MAX_NAME_CHARS = 200;
export const MAX_COUNTRY_CHARS = 100;

/** Characters as the server counts them (Unicode scalar values, not UTF-16 units). */
export function charCount(text: string): number {
  return [...text].length;
}

export type Problems = Record<string, string>;
export type Checked<T> = { ok: true; input: T } | { ok: false; problems: Problems };

function trimmed(text: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(text)
      .map(([k, v]) => [k, v.trim()] as const)
      .filter(([, v]) => v !== ''),
  );
}

function byLanguage(langs: readonly string[], text: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(langs.map((l) => [l, text[l] ?? '']));
}

function isWebAddress(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

export interface ElectionDraft {
  title: Record<string, string>;
  description: Record<string, string>;
  method: ElectionMethod;
  /** `YYYY-MM-DDTHH:mm` in the conference's zone, or '' for "by hand". */
  opens: string;
  closes: string;
}

export function emptyElectionDraft(conference: Pick<Conference, 'languages'>): ElectionDraft {
  return { title: byLanguage(conference.languages), description: byLanguage(conference.languages), method: 'plurality', opens: '', closes: '' };
}

export function electionDraft(election: Election, conference: Pick<Conference, 'languages' | 'time_zone'>): ElectionDraft {
  const langs = [...new Set([...conference.languages, ...Object.keys(election.title), ...Object.keys(election.description)])];
  return {
    title: byLanguage(langs, election.title),
    description: byLanguage(langs, election.description),
    method: election.method,
    opens: election.opens_at ? utcToZonedLocal(election.opens_at, conference.time_zone) : '',
    closes: election.closes_at ? utcToZonedLocal(election.closes_at, conference.time_zone) : '',
  };
}

export function electionInput(draft: ElectionDraft, timeZone: string): Checked<ElectionInput> {
  const problems: Problems = {};
  const title = trimmed(draft.title);
  if (Object.keys(title).length === 0) problems.title = 'awards.error_title';
  const opens = draft.opens ? zonedLocalToUtc(draft.opens, timeZone) : null;
  const closes = draft.closes ? zonedLocalToUtc(draft.closes, timeZone) : null;
  if (draft.opens && !opens) problems.opens_at = 'awards.error_time';
  if (draft.closes && !closes) problems.closes_at = 'awards.error_time';
  if (opens && closes && Date.parse(closes) <= Date.parse(opens)) problems.closes_at = 'awards.error_closes_before_opens';
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return { ok: true, input: { title, description: trimmed(draft.description), method: draft.method, opens_at: opens, closes_at: closes } };
}

export interface NominationDraft {
  name: string;
  cluster: string;
  organisation: string;
  country: string;
  statement: string;
}

export function emptyNomination(): NominationDraft {
  return { name: '', cluster: '', organisation: '', country: '', statement: '' };
}

function checkPerson(draft: { name: string; cluster: string; organisation: string; country: string }, problems: Problems): void {
  if (!draft.name.trim()) problems.name = 'awards.error_name';
  else if (charCount(draft.name.trim()) > MAX_NAME_CHARS) problems.name = 'awards.error_too_long';
  if (charCount(draft.cluster.trim()) > MAX_NAME_CHARS) problems.cluster = 'awards.error_too_long';
  if (charCount(draft.organisation.trim()) > MAX_NAME_CHARS) problems.organisation = 'awards.error_too_long';
  if (charCount(draft.country.trim()) > MAX_COUNTRY_CHARS) problems.country = 'awards.error_too_long';
}

export function nominationInput(draft: NominationDraft): Checked<NominationInput> {
  const problems: Problems = {};
  checkPerson(draft, problems);
  if (charCount(draft.statement.trim()) > MAX_STATEMENT_CHARS) problems.statement = 'awards.error_statement_long';
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return {
    ok: true,
    input: {
      name: draft.name.trim(),
      cluster: draft.cluster.trim(),
      organisation: draft.organisation.trim(),
      country: draft.country.trim(),
      statement: draft.statement.trim(),
    },
  };
}

export interface CandidateDraft {
  nomination_id: string | null;
  name: string;
  cluster: string;
  organisation: string;
  country: string;
  photo_url: string;
  statement: Record<string, string>;
}

/**
 * A candidate's draft: from scratch, from a nomination (its statement, written in no
 * particular language, goes under `lang`), or from a candidate being edited.
 */
export function candidateDraft(
  langs: readonly string[],
  from: { nomination: Nomination; lang: string } | { candidate: Candidate } | null = null,
): CandidateDraft {
  if (from && 'candidate' in from) {
    const c = from.candidate;
    const all = [...new Set([...langs, ...Object.keys(c.statement)])];
    return { nomination_id: null, name: c.name, cluster: c.cluster, organisation: c.organisation, country: c.country, photo_url: c.photo_url ?? '', statement: byLanguage(all, c.statement) };
  }
  if (from) {
    const n = from.nomination;
    return {
      nomination_id: n.id,
      name: n.name,
      cluster: n.cluster,
      organisation: n.organisation,
      country: n.country,
      photo_url: '',
      statement: byLanguage(langs, n.statement ? { [from.lang]: n.statement } : {}),
    };
  }
  return { nomination_id: null, name: '', cluster: '', organisation: '', country: '', photo_url: '', statement: byLanguage(langs) };
}

export function candidateInput(draft: CandidateDraft): Checked<CandidateInput> {
  const problems: Problems = {};
  checkPerson(draft, problems);
  const photo = draft.photo_url.trim();
  if (photo && !isWebAddress(photo)) problems.photo_url = 'awards.error_photo_url';
  const statement = trimmed(draft.statement);
  for (const [lang, text] of Object.entries(statement)) {
    if (charCount(text) > MAX_STATEMENT_CHARS) problems[`statement.${lang}`] = 'awards.error_statement_long';
  }
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return {
    ok: true,
    input: {
      nomination_id: draft.nomination_id,
      name: draft.name.trim(),
      cluster: draft.cluster.trim(),
      organisation: draft.organisation.trim(),
      country: draft.country.trim(),
      photo_url: photo || null,
      statement,
    },
  };
}
