/**
 * Typed REST client for the Viaduc backend.
 *
 * Every call goes through `request`, which sends JSON with the access cookie,
 * turns error bodies into an `ApiError`, and on a 401 (outside the auth routes)
 * resumes the login once through `GET /api/auth/session` (the current login) and
 * retries. That endpoint answers 200 even when nobody is logged in, so a visitor's
 * browser logs no failed request. When the login cannot be resumed, the handler registered with `onAuthLost`
 * is called (the app sends the user to login).
 */
import type { ErrorBody, FieldError } from './api/errors';

export type { ErrorCode, FieldCode, FieldError, FieldParams } from './api/errors';

/** Language code (ISO 639-1) → text in that language. */
export type LocalizedText = Record<string, string>;

export type ConferenceRole = 'attendee' | 'speaker' | 'moderator' | 'organiser';
export type SessionKind = 'plenary' | 'panel' | 'working_group' | 'networking' | 'award' | 'social';
export type Visibility = 'public' | 'invite_only';
export type SessionRole = 'moderator' | 'speaker' | 'facilitator' | 'guest';

export const SESSION_KINDS: readonly SessionKind[] = [
  'plenary',
  'panel',
  'working_group',
  'networking',
  'award',
  'social',
];
export const SESSION_ROLES: readonly SessionRole[] = ['moderator', 'speaker', 'facilitator', 'guest'];
export const CONFERENCE_ROLES: readonly ConferenceRole[] = ['attendee', 'speaker', 'moderator', 'organiser'];

/** `GET /api/me/conferences`: one of the caller's conferences and their role in it. */
export interface Membership {
  conference_id: string;
  conference_slug: string;
  role: ConferenceRole;
}

export interface Me {
  id: string;
  email: string;
  display_name: string;
  is_platform_organiser: boolean;
}

/** `GET /api/auth/session`: the logged-in account, or `null` for a visitor. */
export interface CurrentLogin {
  user: Me | null;
}

export interface Profile {
  organisation: string;
  cluster: string;
  country: string | null;
  sectors: string[];
  languages: string[];
  offers: string;
  seeks: string;
  bio: string;
}

export interface Sector {
  code: string;
  name: LocalizedText;
}

export interface ConferenceSummary {
  id: string;
  slug: string;
  title: LocalizedText;
  /** `YYYY-MM-DD` */
  starts_on: string;
  /** `YYYY-MM-DD` */
  ends_on: string;
  /** IANA time zone, e.g. `Europe/Brussels`. */
  time_zone: string;
  languages: string[];
}

export interface Conference extends ConferenceSummary {
  description: LocalizedText;
  my_role: ConferenceRole | null;
}

export interface ConferenceInput {
  title: LocalizedText;
  description: LocalizedText;
  starts_on: string;
  ends_on: string;
  time_zone: string;
  languages: string[];
}

export interface Member {
  user_id: string;
  display_name: string;
  email: string;
  role: ConferenceRole;
  organisation: string;
  country: string | null;
}

export interface Venue {
  city: string;
  address: string;
}

export interface SessionPerson {
  user_id: string;
  display_name: string;
  role: SessionRole;
}

export interface Session {
  id: string;
  kind: SessionKind;
  title: LocalizedText;
  description: LocalizedText;
  /** RFC 3339, UTC. */
  starts_at: string;
  /** RFC 3339, UTC. */
  ends_at: string;
  capacity: number | null;
  languages: string[];
  stream_url: string | null;
  visibility: Visibility;
  venue: Venue | null;
  people: SessionPerson[];
  bookmarked: boolean;
}

export type SessionInput = Omit<Session, 'id' | 'people' | 'bookmarked'>;

export interface SessionFilter {
  kind?: SessionKind | '';
  language?: string;
}

/**
 * An error answered by the API (or a network failure, with status 0 and code `network`).
 * `code` is one of the server's `ErrorCode`s, `network`, or `http_<status>` for a body that
 * is not ours (a proxy's error page); `fields` says what is wrong with each field.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: readonly FieldError[];

  constructor(status: number, code: string, message: string, fields: readonly FieldError[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

type AuthLostHandler = () => void;
let authLost: AuthLostHandler = () => {};

/** Registers what to do when the login is gone and cannot be resumed. */
export function onAuthLost(handler: AuthLostHandler): void {
  authLost = handler;
}

const AUTH_PREFIX = '/api/auth/';
const CURRENT_LOGIN_PATH = '/api/auth/session';
let resuming: Promise<boolean> | null = null;

/** One attempt at a time: concurrent 401s wait for the same one. True when a user is back. */
function resumeOnce(): Promise<boolean> {
  resuming ??= send('GET', CURRENT_LOGIN_PATH, undefined)
    .then(async (r) => r.ok && ((await r.json()) as CurrentLogin).user !== null)
    .catch(() => false)
    .finally(() => {
      resuming = null;
    });
  return resuming;
}

function isFieldError(value: unknown): value is FieldError {
  const f = value as Partial<FieldError> | null;
  return typeof f?.field === 'string' && typeof f.code === 'string' && typeof f.message === 'string';
}

async function toApiError(res: Response): Promise<ApiError> {
  let code = 'http_' + res.status;
  let message = res.statusText || 'Request failed';
  let fields: FieldError[] = [];
  try {
    const err = ((await res.json()) as Partial<ErrorBody> | null)?.error as Partial<ErrorBody['error']> | undefined;
    if (err && typeof err === 'object') {
      if (typeof err.code === 'string') code = err.code;
      if (typeof err.message === 'string') message = err.message;
      if (Array.isArray(err.fields)) fields = err.fields.filter(isFieldError);
    }
  } catch {
    // Not JSON (a proxy error page, say): keep the status-based error.
  }
  return new ApiError(res.status, code, message, fields);
}

function send(method: string, path: string, body: unknown): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const init: RequestInit = { method, credentials: 'same-origin', headers };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  return fetch(path, init).catch((e: unknown) => {
    throw new ApiError(0, 'network', e instanceof Error ? e.message : 'Network error');
  });
}

/** Sends one request; see the module comment for the 401 handling. */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res = await send(method, path, body);
  if (res.status === 401 && !path.startsWith(AUTH_PREFIX)) {
    if (await resumeOnce()) {
      res = await send(method, path, body);
    }
    if (res.status === 401) {
      const err = await toApiError(res);
      authLost();
      throw err;
    }
  }
  if (!res.ok) throw await toApiError(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

const enc = encodeURIComponent;

function query(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? '?' + s : '';
}

export const api = {
  signup: (email: string, password: string, display_name: string) =>
    request<Me>('POST', '/api/auth/signup', { email, password, display_name }),
  login: (email: string, password: string) => request<Me>('POST', '/api/auth/login', { email, password }),
  logout: () => request<void>('POST', '/api/auth/logout'),
  me: () => request<Me>('GET', '/api/me'),
  /** Who is logged in, resuming an expired access token; never a 401. */
  currentLogin: () => request<CurrentLogin>('GET', CURRENT_LOGIN_PATH),
  myConferences: () => request<Membership[]>('GET', '/api/me/conferences'),

  profile: () => request<Profile>('GET', '/api/me/profile'),
  saveProfile: (p: Profile) => request<Profile>('PUT', '/api/me/profile', p),
  sectors: () => request<Sector[]>('GET', '/api/sectors'),

  conferences: () => request<ConferenceSummary[]>('GET', '/api/conferences'),
  conference: (slug: string) => request<Conference>('GET', `/api/conferences/${enc(slug)}`),
  updateConference: (slug: string, input: ConferenceInput) =>
    request<Conference>('PUT', `/api/conferences/${enc(slug)}`, input),
  join: (slug: string) => request<Conference>('POST', `/api/conferences/${enc(slug)}/join`),
  members: (slug: string, q?: string, role?: ConferenceRole) =>
    request<Member[]>('GET', `/api/conferences/${enc(slug)}/members${query({ q, role })}`),
  setMemberRole: (slug: string, userId: string, role: ConferenceRole) =>
    request<Member>('PUT', `/api/conferences/${enc(slug)}/members/${enc(userId)}`, { role }),
  /** Organisers only; the person's live subscriptions to the conference's rooms end too. */
  removeMember: (slug: string, userId: string) =>
    request<void>('DELETE', `/api/conferences/${enc(slug)}/members/${enc(userId)}`),

  sessions: (slug: string, filter: SessionFilter = {}) =>
    request<Session[]>(
      'GET',
      `/api/conferences/${enc(slug)}/sessions${query({ kind: filter.kind || undefined, language: filter.language })}`,
    ),
  session: (slug: string, id: string) =>
    request<Session>('GET', `/api/conferences/${enc(slug)}/sessions/${enc(id)}`),
  createSession: (slug: string, input: SessionInput) =>
    request<Session>('POST', `/api/conferences/${enc(slug)}/sessions`, input),
  updateSession: (slug: string, id: string, input: SessionInput) =>
    request<Session>('PUT', `/api/conferences/${enc(slug)}/sessions/${enc(id)}`, input),
  deleteSession: (slug: string, id: string) =>
    request<void>('DELETE', `/api/conferences/${enc(slug)}/sessions/${enc(id)}`),
  setSessionPeople: (slug: string, id: string, people: { user_id: string; role: SessionRole }[]) =>
    request<Session>('PUT', `/api/conferences/${enc(slug)}/sessions/${enc(id)}/people`, people),
  bookmark: (slug: string, id: string, on: boolean) =>
    request<void>(on ? 'PUT' : 'DELETE', `/api/conferences/${enc(slug)}/sessions/${enc(id)}/bookmark`),
  schedule: (slug: string) => request<Session[]>('GET', `/api/conferences/${enc(slug)}/schedule`),
  /** The calendar file, its titles and descriptions in `lang` where the sessions have it. */
  scheduleIcsUrl: (slug: string, lang: string) => `/api/conferences/${enc(slug)}/schedule.ics${query({ lang })}`,
};
