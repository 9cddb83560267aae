/** Chat room state, text handling and error wording, kept pure so it can be unit-tested. */
import type { Translate } from '../errors';
import type { ErrorCode } from '../realtime/protocol';
import type { ChatEvent, ChatMessage, ChatSnapshot, HistoryPage } from './live';

export const MAX_CHARS = 2000;

export type { ChatMessage } from './live';

export interface ChatState {
  /** Oldest first. */
  messages: ChatMessage[];
  slowModeSecs: number;
  /** Users muted in this room (moderators get the list in the snapshot). */
  muted: string[];
  /** Whether older messages may exist before `messages[0]`. */
  more: boolean;
}

/** Chat's part of the room snapshot (absent in a room without chat). */
export function fromSnapshot(part: ChatSnapshot | undefined, pageSize = 50): ChatState {
  const messages = part?.messages ?? [];
  return { messages, slowModeSecs: part?.slow_mode_secs ?? 0, muted: part?.muted ?? [], more: messages.length >= pageSize };
}

/** Applies one chat event. Moderators keep hidden messages (marked), others drop them. */
export function applyEvent(state: ChatState, event: ChatEvent, moderator: boolean): ChatState {
  switch (event.name) {
    case 'chat.sent': {
      const m = event.data;
      if (state.messages.some((x) => x.id === m.id)) return state;
      return { ...state, messages: [...state.messages, m] };
    }
    case 'chat.deleted':
      return { ...state, messages: state.messages.filter((m) => m.id !== event.data.id) };
    case 'chat.hidden':
      return {
        ...state,
        messages: moderator
          ? state.messages.map((m) => (m.id === event.data.id ? { ...m, hidden: true } : m))
          : state.messages.filter((m) => m.id !== event.data.id),
      };
    case 'chat.slow_mode':
      return { ...state, slowModeSecs: event.data.seconds };
    case 'chat.muted': {
      const who = event.data.user_id;
      return state.muted.includes(who) ? state : { ...state, muted: [...state.muted, who] };
    }
    case 'chat.unmuted':
      return { ...state, muted: state.muted.filter((u) => u !== event.data.user_id) };
  }
}

/** Older messages from `chat.history` (newest first) go in front, without duplicates. */
export function prependHistory(state: ChatState, page: HistoryPage): ChatState {
  const known = new Set(state.messages.map((m) => m.id));
  const older = [...page.messages].reverse().filter((m) => !known.has(m.id));
  return { ...state, messages: [...older, ...state.messages], more: page.more };
}

export type Segment = { text: string } | { text: string; href: string };

const URL_RE = /\bhttps?:\/\/[^\s<>"']+/gi;

/** Splits plain text into text and link segments; only http(s) URLs become links. */
export function linkify(body: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const match of body.matchAll(URL_RE)) {
    let raw = match[0];
    // Trailing punctuation usually ends the sentence, not the URL.
    const trimmed = raw.replace(/[.,;:!?)\]}]+$/, '');
    raw = trimmed;
    const start = match.index;
    let href: string | null = null;
    try {
      const url = new URL(raw);
      if (url.protocol === 'http:' || url.protocol === 'https:') href = url.href;
    } catch {
      href = null;
    }
    if (!href) continue;
    if (start > last) out.push({ text: body.slice(last, start) });
    out.push({ text: raw, href });
    last = start + raw.length;
  }
  if (last < body.length) out.push({ text: body.slice(last) });
  return out;
}

/** Characters as the server counts them (Unicode scalar values). */
export function charCount(text: string): number {
  return [...text].length;
}

/**
 * What a failed chat command (`command`) or subscription (`null`) tells the reader, for
 * every protocol error code. `slowModeSecs` is the slow mode that applies to the reader
 * (none for moderators).
 */
export function chatErrorMessage(
  code: ErrorCode | 'timeout' | 'closed',
  command: string | null,
  slowModeSecs: number,
  t: Translate,
): string {
  const sending = command === 'chat.send';
  const byCode: Record<ErrorCode | 'timeout' | 'closed', () => string> = {
    rate_limited: () =>
      sending && slowModeSecs > 0
        ? t('chat.error_slow_mode', { values: { seconds: slowModeSecs } })
        : t('chat.error_rate_limited'),
    // Sending is refused to the muted; other commands to those without the role.
    forbidden: () => (sending ? t('chat.error_muted') : t('errors.forbidden')),
    // The send box keeps messages short, so a refused send was too long.
    validation: () => (sending ? t('chat.error_too_long', { values: { max: MAX_CHARS } }) : t('errors.validation')),
    timeout: () => t('chat.error_timeout'),
    not_found: () => t('chat.error_not_found'),
    not_subscribed: () => t('chat.error_not_found'),
    too_many_subscriptions: () => t('chat.error_too_many_rooms'),
    conflict: () => t('errors.conflict'),
    bad_request: () => t('errors.bad_request'),
    unavailable: () => t('errors.unavailable'),
    internal: () => t('chat.error_generic'),
    closed: () => t('chat.disconnected'),
  };
  return byCode[code]();
}
