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
import type { Conflict, ErrorBody, FieldError } from './api/errors';
import type { components, operations } from './api/schema';

export type { Conflict, ConflictReason, ErrorCode, FieldCode, FieldError, FieldParams } from './api/errors';

// Every wire type is the server's word: its OpenAPI document, committed as `./api/openapi.json`
// and turned into `./api/schema.d.ts`. Neither is edited by hand; after a backend change run
// `UPDATE_OPENAPI=1 cargo test -p viaduc openapi_json` and then `npm run gen:api` (tests on
// both sides fail while either is stale).
type Schemas = components['schemas'];

/** Language code (ISO 639-1) → text in that language. */
export type LocalizedText = Schemas['LocalizedText'];

export type ConferenceRole = Schemas['ConferenceRole'];
export type SessionKind = Schemas['SessionKind'];
export type Visibility = Schemas['Visibility'];
export type SessionRole = Schemas['SessionRole'];

/** Every value of a union of strings, in the order given; the compiler refuses a missing or unknown one. */
function allOf<T extends string>(values: Record<T, true>): readonly T[] {
  return Object.keys(values) as T[];
}

export const SESSION_KINDS = allOf<SessionKind>({
  plenary: true,
  panel: true,
  working_group: true,
  networking: true,
  award: true,
  social: true,
});
export const SESSION_ROLES = allOf<SessionRole>({ moderator: true, speaker: true, facilitator: true, guest: true });
export const CONFERENCE_ROLES = allOf<ConferenceRole>({ attendee: true, speaker: true, moderator: true, organiser: true });

export type Membership = Schemas['Membership'];
export type Me = Schemas['Me'];
/** `GET /api/auth/session`: the logged-in account, or `null` for a visitor. */
export type CurrentLogin = Schemas['CurrentLogin'];
export type Profile = Schemas['Profile'];
export type Sector = Schemas['Sector'];
/** Dates are `YYYY-MM-DD`; `time_zone` is an IANA zone, e.g. `Europe/Brussels`. */
export type ConferenceSummary = Schemas['ConferenceSummary'];
export type Conference = Schemas['Conference'];
export type ConferenceInput = Schemas['ConferenceInput'];
export type Member = Schemas['Member'];
export type Venue = Schemas['Venue'];
export type SessionPerson = Schemas['SessionPerson'];
export type SpeakerCard = Schemas['SpeakerCard'];
/** `starts_at` and `ends_at` are RFC 3339, UTC. */
export type Session = Schemas['Session'];
export type SessionInput = Schemas['SessionInput'];
export type PersonAssignment = Schemas['PersonAssignment'];

// The elections (awards/).
export type ElectionPhase = Schemas['Phase'];
export type ElectionMethod = Schemas['Method'];
export type Election = Schemas['Election'];
export type ElectionInput = Schemas['ElectionInput'];
export type Candidate = Schemas['Candidate'];
export type CandidateInput = Schemas['CandidateInput'];
export type Nomination = Schemas['Nomination'];
export type NominationInput = Schemas['NominationInput'];
export type Roll = Schemas['Roll'];
export type BallotInput = Schemas['BallotInput'];
export type BallotRecorded = Schemas['BallotRecorded'];
/** The public bulletin board of a revealed election: `viaduc election verify` checks it. */
export type Board = Schemas['Board'];
export type ElectionResult = Schemas['ElectionResult'];

// The working groups (workshops/).
/** A working group's seats, one's own place, and for who runs it everyone seated and waiting. */
export type Seats = Schemas['Seats'];
export type SeatHolder = Schemas['SeatHolder'];

// Registrations (registrations/).
export type RegistrationStatus = Schemas['RegistrationStatus'];
export type ApprovalMode = Schemas['ApprovalMode'];
export type PublicConferenceSummary = Schemas['PublicConferenceSummary'];
/** A conference's public page: what it is, the programme's preview, the form's questions. */
export type PublicConference = Schemas['PublicConference'];
export type ProgrammeItem = Schemas['ProgrammeItem'];
export type Question = Schemas['Question'];
export type QuestionInput = Schemas['QuestionInput'];
export type QuestionKind = Schemas['QuestionKind'];
/** Answers by question id: a text, an option's index, a list of indexes, or true/false. */
export type Answers = Record<string, string | number | number[] | boolean>;
export type MyRegistration = Schemas['MyRegistration'];
export type RegistrationSettings = Schemas['RegistrationSettings'];
export type RegistrationState = Schemas['RegistrationState'];
export type SeatCount = Schemas['SeatCount'];
export type RegistrationRow = Schemas['RegistrationRow'];
export type RegistrationPage = Schemas['RegistrationPage'];
export type Decision = Schemas['Decision'];
export type Delegation = Schemas['Delegation'];
export type DelegationInput = Schemas['DelegationInput'];
export type DelegationPortal = Schemas['DelegationPortal'];
export type DelegationInvite = Schemas['DelegationInvite'];
export type OutboxPage = Schemas['OutboxPage'];
export type ImportReport = Schemas['ImportReport'];
export type OutboxMessage = Schemas['OutboxMessage'];
type RegistrationQuery = NonNullable<operations['list_registrations']['parameters']['query']>;
/** The organisers' filter of the registrations list; empty values filter nothing. */
export type RegistrationFilter = { [K in keyof RegistrationQuery]?: RegistrationQuery[K] | '' };
export const REGISTRATION_STATUSES = allOf<RegistrationStatus>({
  pending: true,
  approved: true,
  waitlisted: true,
  offered: true,
  rejected: true,
  cancelled: true,
});

type SessionQuery = NonNullable<operations['list_sessions']['parameters']['query']>;
/** The agenda's filter: an empty value (the "all" choice of a select) filters nothing. */
export type SessionFilter = { [K in keyof SessionQuery]?: SessionQuery[K] | '' };

/**
 * An error answered by the API (or a network failure, with status 0 and code `network`).
 * `code` is one of the server's `ErrorCode`s, `network`, or `http_<status>` for a body that
 * is not ours (a proxy's error page); `fields` says what is wrong with each field.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: readonly FieldError[];
  /** For `conflict`: why the change clashes with the current state. */
  readonly conflict: Conflict | null;

  constructor(status: number, code: string, message: string, fields: readonly FieldError[] = [], conflict: Conflict | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.conflict = conflict;
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
  let conflict: Conflict | null = null;
  try {
    const err = ((await res.json()) as Partial<ErrorBody> | null)?.error as Partial<ErrorBody['error']> | undefined;
    if (err && typeof err === 'object') {
      if (typeof err.code === 'string') code = err.code;
      if (typeof err.message === 'string') message = err.message;
      if (Array.isArray(err.fields)) fields = err.fields.filter(isFieldError);
      if (typeof err.conflict?.reason === 'string') conflict = err.conflict;
    }
  } catch {
    // Not JSON (a proxy error page, say): keep the status-based error.
  }
  return new ApiError(res.status, code, message, fields, conflict);
}

/** A body sent as it is (a CSV file, say) rather than as JSON. */
export interface RawBody {
  contentType: string;
  text: string;
}

function isRaw(body: unknown): body is RawBody {
  return typeof (body as RawBody | null)?.contentType === 'string' && typeof (body as RawBody).text === 'string';
}

function send(method: string, path: string, body: unknown): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const init: RequestInit = { method, credentials: 'same-origin', headers };
  if (isRaw(body)) {
    headers['Content-Type'] = body.contentType;
    init.body = body.text;
  } else if (body !== undefined) {
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
    request<Me>('POST', '/api/auth/signup', { email, password, display_name } satisfies Schemas['SignupRequest']),
  login: (email: string, password: string) =>
    request<Me>('POST', '/api/auth/login', { email, password } satisfies Schemas['LoginRequest']),
  logout: () => request<void>('POST', '/api/auth/logout'),
  /** E-mails a link to choose a new password, if the address has an account (always 202). */
  requestPasswordReset: (email: string, language: string) =>
    request<void>('POST', '/api/auth/password-reset', { email, language } satisfies Schemas['ResetRequest']),
  setPassword: (token: string, password: string) =>
    request<void>('POST', '/api/auth/set-password', { token, password } satisfies Schemas['SetPassword']),
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
  members: (slug: string, q?: string, role?: ConferenceRole) =>
    request<Member[]>('GET', `/api/conferences/${enc(slug)}/members${query({ q, role })}`),
  setMemberRole: (slug: string, userId: string, role: ConferenceRole) =>
    request<Member>('PUT', `/api/conferences/${enc(slug)}/members/${enc(userId)}`, { role } satisfies Schemas['RoleChange']),
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
  setSessionPeople: (slug: string, id: string, people: PersonAssignment[]) =>
    request<Session>('PUT', `/api/conferences/${enc(slug)}/sessions/${enc(id)}/people`, people),
  /** How a member is presented on the sessions they are on: photo and bio (organisers). */
  setSpeakerCard: (slug: string, userId: string, card: SpeakerCard) =>
    request<SpeakerCard>('PUT', `/api/conferences/${enc(slug)}/members/${enc(userId)}/card`, card),
  bookmark: (slug: string, id: string, on: boolean) =>
    request<void>(on ? 'PUT' : 'DELETE', `/api/conferences/${enc(slug)}/sessions/${enc(id)}/bookmark`),
  schedule: (slug: string) => request<Session[]>('GET', `/api/conferences/${enc(slug)}/schedule`),
  /** The calendar file, its titles and descriptions in `lang` where the sessions have it. */
  scheduleIcsUrl: (slug: string, lang: string) => `/api/conferences/${enc(slug)}/schedule.ics${query({ lang })}`,
  /** A session's export for the people who run it, its headings and words in `lang`. */
  sessionExportUrl: (slug: string, id: string, file: SessionExport, lang: string) =>
    `/api/conferences/${enc(slug)}/sessions/${enc(id)}/${file}${query({ lang })}`,

  elections: (slug: string) => request<Election[]>('GET', elections(slug)),
  election: (slug: string, id: string) => request<Election>('GET', elections(slug, id)),
  createElection: (slug: string, input: ElectionInput) => request<Election>('POST', elections(slug), input),
  updateElection: (slug: string, id: string, input: ElectionInput) =>
    request<Election>('PUT', elections(slug, id), input),
  /** Moves the election on to `phase`, the next one. */
  setElectionPhase: (slug: string, id: string, phase: ElectionPhase) =>
    request<Election>('POST', elections(slug, id, 'phase'), { phase } satisfies Schemas['PhaseChange']),
  nominations: (slug: string, id: string) => request<Nomination[]>('GET', elections(slug, id, 'nominations')),
  nominate: (slug: string, id: string, input: NominationInput) =>
    request<Nomination>('POST', elections(slug, id, 'nominations'), input),
  /** Merges a duplicate nomination into another; answers the one kept. */
  mergeNomination: (slug: string, id: string, nomination: string, into: string) =>
    request<Nomination>('POST', elections(slug, id, `nominations/${enc(nomination)}/merge`), {
      into,
    } satisfies Schemas['MergeInto']),
  addCandidate: (slug: string, id: string, input: CandidateInput) =>
    request<Candidate>('POST', elections(slug, id, 'candidates'), input),
  updateCandidate: (slug: string, id: string, candidate: string, input: CandidateInput) =>
    request<Candidate>('PUT', elections(slug, id, `candidates/${enc(candidate)}`), input),
  removeCandidate: (slug: string, id: string, candidate: string) =>
    request<void>('DELETE', elections(slug, id, `candidates/${enc(candidate)}`)),
  /** The frozen roll (organisers, from the opening of the vote). */
  roll: (slug: string, id: string) => request<Roll>('GET', elections(slug, id, 'roll')),
  /** Casts a ballot; the same receipt again (a retry) is answered 200 and counted once. */
  castBallot: (slug: string, id: string, ballot: BallotInput) =>
    request<BallotRecorded>('POST', elections(slug, id, 'ballot'), ballot),
  /** The public board of a revealed election (no login needed). */
  board: (slug: string, id: string) => request<Board>('GET', elections(slug, id, 'board')),
  boardUrl: (slug: string, id: string) => elections(slug, id, 'board'),
  publicConferences: () => request<PublicConferenceSummary[]>('GET', '/api/public/conferences'),
  publicConference: (slug: string) => request<PublicConference>('GET', `/api/public/conferences/${enc(slug)}`),
  myRegistration: (slug: string) => request<MyRegistration>('GET', registration(slug)),
  /** Registers in `language` (the UI's), which the e-mails about the registration are written in. */
  register: (slug: string, answers: Answers, language: string, delegation_code?: string) =>
    request<MyRegistration>('POST', registration(slug), {
      answers,
      language,
      delegation_code,
    } satisfies Schemas['RegistrationInput']),
  cancelRegistration: (slug: string) => request<void>('DELETE', registration(slug)),
  /** Takes (or declines) the seat offered from the waitlist. */
  replyToOffer: (slug: string, accept: boolean) =>
    request<MyRegistration>('POST', registration(slug, 'offer'), { accept } satisfies Schemas['OfferReply']),
  delegationInvite: (slug: string, code: string) =>
    request<DelegationInvite>('GET', `/api/conferences/${enc(slug)}/delegations/by-code/${enc(code)}`),
  registrationSettings: (slug: string) =>
    request<RegistrationState>('GET', `/api/conferences/${enc(slug)}/registration-settings`),
  saveRegistrationSettings: (slug: string, settings: RegistrationSettings) =>
    request<RegistrationState>('PUT', `/api/conferences/${enc(slug)}/registration-settings`, settings),
  registrationQuestions: (slug: string) =>
    request<Question[]>('GET', `/api/conferences/${enc(slug)}/registration-questions`),
  saveRegistrationQuestions: (slug: string, questions: QuestionInput[]) =>
    request<Question[]>('PUT', `/api/conferences/${enc(slug)}/registration-questions`, questions),
  registrations: (slug: string, filter: RegistrationFilter = {}) =>
    request<RegistrationPage>(
      'GET',
      `/api/conferences/${enc(slug)}/registrations${query(filterParams(filter))}`,
    ),
  /** Approves, rejects or waitlists many registrations at once: all or none. */
  decide: (slug: string, registration_ids: string[], decision: Decision) =>
    request<Schemas['Decided']>('POST', `/api/conferences/${enc(slug)}/registrations/decisions`, {
      registration_ids,
      decision,
    } satisfies Schemas['Decisions']),
  /** The registrations matching `filter` as a CSV download, headings in `lang`. */
  registrationsCsvUrl: (slug: string, filter: RegistrationFilter, lang: string) =>
    `/api/conferences/${enc(slug)}/registrations.csv${query({
      ...filterParams(filter),
      lang,
    })}`,
  /** Imports registrations from a CSV file; with `skipBadRows`, the good rows of a file with bad ones. */
  importRegistrations: (slug: string, csv: string, skipBadRows: boolean) =>
    request<ImportReport>(
      'POST',
      `/api/conferences/${enc(slug)}/registrations/import${query({ skip_bad_rows: skipBadRows ? 'true' : undefined })}`,
      { contentType: 'text/csv', text: csv } satisfies RawBody,
    ),
  outbox: (slug: string, page: number) =>
    request<OutboxPage>('GET', `/api/conferences/${enc(slug)}/outbox${query({ page: String(page) })}`),
  delegations: (slug: string) => request<Delegation[]>('GET', delegations(slug)),
  createDelegation: (slug: string, input: DelegationInput) => request<Delegation>('POST', delegations(slug), input),
  updateDelegation: (slug: string, id: string, input: DelegationInput) =>
    request<Delegation>('PUT', delegations(slug, id), input),
  deleteDelegation: (slug: string, id: string) => request<void>('DELETE', delegations(slug, id)),
  delegationPortal: (slug: string, id: string) => request<DelegationPortal>('GET', delegations(slug, id, 'portal')),
  /** Cancels a member's registration so a substitute can take the seat with the code. */
  releaseDelegationSeat: (slug: string, id: string, registrationId: string) =>
    request<DelegationPortal>('POST', delegations(slug, id, `members/${enc(registrationId)}/release`)),
  seats: (slug: string, id: string) => request<Seats>('GET', seats(slug, id)),
  /** A seat, or a place on the waitlist when the working group is full; again changes nothing. */
  signUp: (slug: string, id: string) => request<Seats>('POST', seats(slug, id)),
  /** Gives one's seat or waitlist place back; the first person waiting takes a freed seat. */
  withdraw: (slug: string, id: string) => request<Seats>('DELETE', seats(slug, id)),
};

/** `/api/conferences/{slug}/elections[/{id}[/{rest}]]`; `rest` is already encoded. */
function elections(slug: string, id?: string, rest?: string): string {
  const base = `/api/conferences/${enc(slug)}/elections`;
  if (!id) return base;
  return `${base}/${enc(id)}${rest ? '/' + rest : ''}`;
}

/** The registrations filter as query parameters; empty values filter nothing. */
function filterParams(filter: RegistrationFilter): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(filter).map(([k, v]) => [k, v === '' || v == null ? undefined : String(v)]));
}

/** `/api/conferences/{slug}/registration[/{rest}]`. */
function registration(slug: string, rest?: string): string {
  return `/api/conferences/${enc(slug)}/registration${rest ? '/' + rest : ''}`;
}

/** `/api/conferences/{slug}/delegations[/{id}[/{rest}]]`; `rest` is already encoded. */
function delegations(slug: string, id?: string, rest?: string): string {
  const base = `/api/conferences/${enc(slug)}/delegations`;
  if (!id) return base;
  return `${base}/${enc(id)}${rest ? '/' + rest : ''}`;
}

/** `/api/conferences/{slug}/sessions/{id}/seats`. */
function seats(slug: string, id: string): string {
  return `/api/conferences/${enc(slug)}/sessions/${enc(id)}/seats`;
}

/** The files a session's moderators can download. */
export const SESSION_EXPORTS = ['questions.csv', 'questions.md', 'polls.csv', 'attendance.csv'] as const;
export type SessionExport = (typeof SESSION_EXPORTS)[number];
