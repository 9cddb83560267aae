/**
 * The Outcomes page's REST calls (`backend/src/workshops/synthesis/outcomes.rs`, `gather.rs`)
 * and how a published version's date is shown.
 */
import { ApiError, request } from '../../api';
import type { components } from '../../api/schema';

type Schemas = components['schemas'];
export type Outcomes = Schemas['Outcomes'];
export type GroupOutcome = Schemas['GroupOutcome'];
export type GroupVersions = Schemas['GroupVersions'];
export type PublishedVersion = Schemas['PublishedVersion'];

const enc = encodeURIComponent;
const base = (slug: string) => `/api/conferences/${enc(slug)}/outcomes`;

export const outcomesApi = {
  /** The latest published synthesis of each working group. */
  list: (slug: string) => request<Outcomes>('GET', base(slug)),
  /** Every version of one group's synthesis, newest first. */
  group: (slug: string, session: string) => request<GroupVersions>('GET', `${base(slug)}/${enc(session)}`),
  /** Organisers: the Outcomes page readable without login, or not. */
  setPublic: (slug: string, on: boolean) =>
    request<Schemas['OutcomesVisibility']>('PUT', `${base(slug)}/visibility`, { public: on }),
  versionUrl: (slug: string, session: string, number: number) =>
    `${base(slug)}/${enc(session)}/versions/${number}/synthesis.md`,
  conferenceSynthesisUrl: (slug: string, lang: string) => `${base(slug)}/synthesis.md?lang=${enc(lang)}`,
  /** The conference synthesis' Markdown, to show on the page. */
  async conferenceSynthesis(slug: string, lang: string): Promise<string> {
    const res = await fetch(outcomesApi.conferenceSynthesisUrl(slug, lang), { credentials: 'same-origin' });
    if (!res.ok) throw new ApiError(res.status, 'internal', res.statusText);
    return res.text();
  },
};

/** When a version was published, in the conference's time zone (`3 Dec 2026, 14:05`). */
export function formatPublished(iso: string, timeZone: string, locale: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(at);
}
