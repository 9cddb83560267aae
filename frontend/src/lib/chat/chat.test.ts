import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../realtime/protocol';
import { applyEvent, charCount, chatErrorMessage, fromSnapshot, linkify, prependHistory, type ChatMessage } from './chat';

const msg = (id: string, body = id): ChatMessage => ({ id, author_id: 'u', author_name: 'U', body, hidden: false, at: '2026-01-01T00:00:00Z' });

describe('chat state', () => {
  it('keeps the muted list a moderator gets in the snapshot', () => {
    expect(fromSnapshot({ messages: [], slow_mode_secs: 0, muted: ['u1', 'u2'] }).muted).toEqual(['u1', 'u2']);
    expect(fromSnapshot({ messages: [], slow_mode_secs: 0 }).muted).toEqual([]);
    expect(fromSnapshot(undefined).messages).toEqual([]);
  });

  it('starts from the snapshot and applies events', () => {
    let s = fromSnapshot({ messages: [msg('a')], slow_mode_secs: 0 });
    s = applyEvent(s, { name: 'chat.sent', data: msg('b') }, false);
    s = applyEvent(s, { name: 'chat.sent', data: msg('b') }, false);
    expect(s.messages.map((m) => m.id)).toEqual(['a', 'b']);
    s = applyEvent(s, { name: 'chat.deleted', data: { id: 'a' } }, false);
    expect(s.messages.map((m) => m.id)).toEqual(['b']);
    s = applyEvent(s, { name: 'chat.slow_mode', data: { seconds: 30 } }, false);
    expect(s.slowModeSecs).toBe(30);
    s = applyEvent(s, { name: 'chat.muted', data: { user_id: 'x', until: '2026-01-02T00:00:00Z' } }, false);
    expect(s.muted).toEqual(['x']);
    s = applyEvent(s, { name: 'chat.unmuted', data: { user_id: 'x' } }, false);
    expect(s.muted).toEqual([]);
  });

  it('keeps hidden messages for moderators only', () => {
    const s = fromSnapshot({ messages: [msg('a')], slow_mode_secs: 0 });
    expect(applyEvent(s, { name: 'chat.hidden', data: { id: 'a' } }, true).messages[0]!.hidden).toBe(true);
    expect(applyEvent(s, { name: 'chat.hidden', data: { id: 'a' } }, false).messages).toEqual([]);
  });

  it('prepends history pages given newest first', () => {
    const s = prependHistory(fromSnapshot({ messages: [msg('c')], slow_mode_secs: 0 }), { messages: [msg('c'), msg('b'), msg('a')], more: false });
    expect(s.messages.map((m) => m.id)).toEqual(['a', 'b', 'c']);
    expect(s.more).toBe(false);
  });
});

describe('linkify', () => {
  it('links only http(s) URLs and leaves trailing punctuation out', () => {
    expect(linkify('see https://example.org/a?b=1. and javascript:alert(1) ftp://x')).toEqual([
      { text: 'see ' },
      { text: 'https://example.org/a?b=1', href: 'https://example.org/a?b=1' },
      { text: '. and javascript:alert(1) ftp://x' },
    ]);
    expect(linkify('<b>no html</b>')).toEqual([{ text: '<b>no html</b>' }]);
  });

  it('counts characters like the server', () => {
    expect(charCount('é😀')).toBe(2);
  });
});

describe('chat errors', () => {
  const t = (key: string, options?: { values?: Record<string, string | number> }): string =>
    options?.values ? `[${key} ${JSON.stringify(options.values)}]` : `[${key}]`;

  it('words every protocol error code', () => {
    const codes: Record<ErrorCode, string> = {
      bad_request: '[errors.bad_request]',
      forbidden: '[errors.forbidden]',
      not_found: '[chat.error_not_found]',
      validation: '[errors.validation]',
      conflict: '[errors.conflict]',
      rate_limited: '[chat.error_rate_limited]',
      too_many_subscriptions: '[chat.error_too_many_rooms]',
      not_subscribed: '[chat.error_not_found]',
      unavailable: '[errors.unavailable]',
      internal: '[chat.error_generic]',
    };
    for (const [code, expected] of Object.entries(codes)) {
      expect(chatErrorMessage(code as ErrorCode, 'chat.hide', 0, t), code).toBe(expected);
    }
    expect(chatErrorMessage('timeout', 'chat.hide', 0, t)).toBe('[chat.error_timeout]');
  });

  it('explains a refused message by what refuses messages', () => {
    expect(chatErrorMessage('forbidden', 'chat.send', 0, t)).toBe('[chat.error_muted]');
    expect(chatErrorMessage('validation', 'chat.send', 0, t)).toBe('[chat.error_too_long {"max":2000}]');
    expect(chatErrorMessage('rate_limited', 'chat.send', 30, t)).toBe('[chat.error_slow_mode {"seconds":30}]');
    expect(chatErrorMessage('rate_limited', 'chat.send', 0, t)).toBe('[chat.error_rate_limited]');
  });
});
