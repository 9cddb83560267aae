/**
 * Turning any thrown value into a message the user can read in their language: the
 * server's error codes and per-field rule codes (with their numbers) are worded in the
 * UI language; the server's English `message` is only the fallback for a code this UI
 * does not know yet.
 */
import { ApiError, type Conflict, type ConflictReason, type ErrorCode, type FieldCode, type FieldError } from './api';
import { formatDateRange } from './time';

export type Translate = (key: string, options?: { values?: Record<string, string | number> }) => string;

/** How the UI words each server error code (plus `network`, the client's own). */
const CODE_KEYS: Record<ErrorCode | 'network', string> = {
  unauthorized: 'errors.unauthorized',
  invalid_credentials: 'errors.invalid_credentials',
  forbidden: 'errors.forbidden',
  not_found: 'errors.not_found',
  conflict: 'errors.conflict',
  validation: 'errors.validation',
  bad_request: 'errors.bad_request',
  payload_too_large: 'errors.payload_too_large',
  rate_limited: 'errors.rate_limited',
  unavailable: 'errors.unavailable',
  internal: 'errors.generic',
  network: 'errors.network',
};

/** How the UI words a failed real-time command by its code (docs/realtime.md), beyond `CODE_KEYS`. */
const LIVE_CODE_KEYS: Record<string, string> = {
  too_many_subscriptions: 'errors.too_many_rooms',
  not_subscribed: 'errors.live_unavailable',
  timeout: 'errors.no_answer',
  closed: 'errors.live_unavailable',
};

/** The i18n keys of the server error codes, for the locale test. */
export const ERROR_CODE_KEYS: readonly string[] = [...Object.values(CODE_KEYS), ...Object.values(LIVE_CODE_KEYS)];

/** Every field rule the server has; each is worded under `field_errors.<code>`. */
const FIELD_CODE_SET: ReadonlySet<string> = new Set(
  Object.keys({
    required: true,
    required_in_a_language: true,
    too_short: true,
    too_long: true,
    out_of_range: true,
    too_many: true,
    duplicate: true,
    email: true,
    too_common: true,
    same_as_email: true,
    language_code: true,
    country_code: true,
    unknown_sector: true,
    time_zone: true,
    slug: true,
    web_address: true,
    ends_before_start: true,
    max_hours: true,
    max_days: true,
    outside_conference: true,
    not_member: true,
    taken: true,
    session_room: true,
    invalid: true,
  } satisfies Record<FieldCode, true>),
);

/** The i18n keys of the field rules, for the locale test. */
export const FIELD_CODE_KEYS: readonly string[] = [...FIELD_CODE_SET].map((code) => `field_errors.${code}`);

/** Every reason the server gives for a conflict; each is worded under `conflicts.<reason>`. */
const CONFLICT_REASONS = Object.keys({
  last_organiser: true,
  command_id_reused: true,
  too_many_questions: true,
  already_upvoted: true,
  not_upvoted: true,
  question_answered: true,
  only_pending_approved: true,
  question_hidden: true,
  only_listed_answering: true,
  only_listed_answered: true,
  merged_question_fixed: true,
  merge_into_itself: true,
  merge_target: true,
  too_many_polls: true,
  only_draft_edited: true,
  only_draft_opened: true,
  only_open_closed: true,
  poll_closed: true,
  poll_answered: true,
  hand_already_raised: true,
  hand_not_raised: true,
  not_invited: true,
  only_raised_invited: true,
  too_many_elections: true,
  election_closed: true,
  only_closing_time_while_voting: true,
  not_the_next_phase: true,
  too_few_candidates: true,
  empty_roll: true,
  nominations_closed: true,
  too_many_nominations: true,
  nominations_fixed: true,
  voting_not_open: true,
  roll_not_frozen: true,
  shortlist_fixed: true,
  shortlist_not_open: true,
  too_many_candidates: true,
  board_not_published: true,
  board_locked: true,
  too_many_sections: true,
  too_many_notes: true,
  keywords_section_takes_no_notes: true,
  merged_note_too_long: true,
  no_voting_round: true,
  voting_round_open: true,
  no_dots_left: true,
  no_dot_on_note: true,
  too_many_keywords: true,
  keyword_already_proposed: true,
  moderator_called_recently: true,
  synthesis_too_large: true,
  synthesis_not_empty: true,
  synthesis_empty: true,
  synthesis_unchanged: true,
  too_many_versions: true,
  rapporteur_not_in_group: true,
  conference_full: true,
  already_registered: true,
  already_member: true,
  registration_rejected: true,
  no_offer: true,
  decision_not_allowed: true,
  capacity_below_taken: true,
  delegation_seats_beyond_capacity: true,
  delegation_seats_in_use: true,
  link_expired: true,
} satisfies Record<ConflictReason, true>);

/** The i18n keys of the conflict reasons, for the locale test. */
export const CONFLICT_KEYS: readonly string[] = CONFLICT_REASONS.map((reason) => `conflicts.${reason}`);

/** A conflict's reason in the UI language, or null for a reason this UI does not know yet. */
function conflictMessage(conflict: Conflict | null | undefined, t: Translate): string | null {
  if (!conflict || !CONFLICT_REASONS.includes(conflict.reason)) return null;
  return t(`conflicts.${conflict.reason}`, { values: conflict.max === undefined ? {} : { max: conflict.max } });
}

/** Field and rule pairs that deserve their own wording (`field.code` → key). */
const SPECIFIC_KEYS: Record<string, string> = {
  'email.taken': 'errors.email_taken',
  'ballot.taken': 'awards.already_voted',
};

/** One field problem in the UI language, e.g. `Enter a number from 1 to 100,000.` */
export function fieldMessage(error: FieldError, t: Translate, locale: string): string {
  const key =
    SPECIFIC_KEYS[`${error.field}.${error.code}`] ??
    (FIELD_CODE_SET.has(error.code) ? `field_errors.${error.code}` : undefined);
  if (!key) return error.message;
  const values: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(error.params ?? {})) {
    if (typeof value === 'string' || typeof value === 'number') values[name] = value;
  }
  if (error.params?.starts_on && error.params.ends_on) {
    values.dates = formatDateRange(error.params.starts_on, error.params.ends_on, locale);
  }
  return t(key, { values });
}

/** The field problems of an error, worded, by field name (the first problem of each field). */
export function fieldMessages(err: unknown, t: Translate, locale: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (err instanceof ApiError) {
    for (const f of err.fields) out[f.field] ??= fieldMessage(f, t, locale);
  }
  return out;
}

/** The message for an error as a whole (a banner), whatever was thrown. */
export function errorMessage(err: unknown, t: Translate): string {
  if (err instanceof ApiError) {
    const conflict = conflictMessage(err.conflict, t);
    if (conflict) return conflict;
    const key = (CODE_KEYS as Record<string, string | undefined>)[err.code];
    if (key) return t(key);
    // Not one of our bodies (a proxy's page): word it by its status.
    if (err.status === 429) return t('errors.rate_limited');
    if (err.status === 403) return t('errors.forbidden');
    if (err.status === 404) return t('errors.not_found');
    if (err.status === 413) return t('errors.payload_too_large');
    if (err.status === 502 || err.status === 503 || err.status === 504) return t('errors.unavailable');
    return t('errors.generic');
  }
  if (typeof err === 'string') return err;
  return t('errors.generic');
}

/**
 * The banner for an error on a form that shows the problems of the fields in `placed`
 * beside them: empty when every problem is shown there, so nothing is said twice;
 * otherwise the problems no field shows, or the error as a whole.
 */
export function bannerMessage(err: unknown, t: Translate, locale: string, placed: readonly string[] = []): string {
  if (err == null) return '';
  if (!(err instanceof ApiError) || err.fields.length === 0) return errorMessage(err, t);
  const elsewhere = err.fields.filter((f) => !placed.includes(f.field));
  return [...new Set(elsewhere.map((f) => fieldMessage(f, t, locale)))].join(' ');
}

/**
 * The message for a failed real-time command or room (a `RealtimeError`: `code` and
 * `fields`): each broken rule worded by its code and numbers, or the code as a whole.
 */
export function liveErrorMessage(err: unknown, t: Translate, locale: string): string {
  const e = err as { code?: unknown; fields?: readonly FieldError[]; conflict?: Conflict | null } | null;
  if (typeof e?.code !== 'string') return t('errors.generic');
  if (e.fields?.length) return [...new Set(e.fields.map((f) => fieldMessage(f, t, locale)))].join(' ');
  const conflict = conflictMessage(e.conflict, t);
  if (conflict) return conflict;
  const key = LIVE_CODE_KEYS[e.code] ?? (CODE_KEYS as Record<string, string | undefined>)[e.code];
  return t(key ?? 'errors.generic');
}
