import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Realtime, RealtimeError, type SocketLike } from './realtime.svelte';

class FakeSocket implements SocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: unknown[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(): void {
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(msg: unknown): void {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
  drop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

let ids = 0;
function client(extra: Partial<ConstructorParameters<typeof Realtime>[0]> = {}) {
  return new Realtime({
    url: () => 'ws://test/ws',
    createSocket: (url) => new FakeSocket(url),
    random: () => 0,
    newId: () => `id-${++ids}`,
    ...extra,
  });
}
const last = () => FakeSocket.all[FakeSocket.all.length - 1]!;

beforeEach(() => {
  FakeSocket.all = [];
  ids = 0;
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe('Realtime', () => {
  it('subscribes on open, applies the snapshot and events in seq order', () => {
    const rt = client();
    const seen: unknown[] = [];
    rt.subscribe('session:a', {
      snapshot: (s) => seen.push(['snapshot', s]),
      event: (name, data) => seen.push([name, data]),
      presence: (n) => seen.push(['presence', n]),
      signal: (name, counts) => seen.push([name, counts]),
    });
    const ws = last();
    ws.open();
    expect(rt.online).toBe(true);
    expect(ws.sent).toEqual([{ type: 'subscribe', room: 'session:a' }]);
    ws.receive({ type: 'snapshot', room: 'session:a', epoch: 'e', seq: 4, state: { messages: [] } });
    ws.receive({ type: 'subscribed', room: 'session:a', epoch: 'e', seq: 4, recovered: false });
    ws.receive({ type: 'event', room: 'session:a', seq: 4, name: 'old', data: 0 });
    ws.receive({ type: 'event', room: 'session:a', seq: 5, name: 'new', data: 1 });
    ws.receive({ type: 'event', room: 'session:a', seq: 5, name: 'dup', data: 2 });
    ws.receive({ type: 'presence', room: 'session:a', count: 3 });
    ws.receive({ type: 'signal', room: 'session:a', name: 'reaction.burst', counts: { clap: 2 } });
    ws.receive({ type: 'signal', room: 'session:b', name: 'reaction.burst', counts: { clap: 9 } });
    expect(seen).toEqual([
      ['snapshot', { messages: [] }],
      ['new', 1],
      ['presence', 3],
      ['reaction.burst', { clap: 2 }],
    ]);
  });

  it('reconnects with back-off and resumes with since/epoch, resending commands with the same id', async () => {
    const rt = client();
    rt.subscribe('session:a', {});
    let ws = last();
    ws.open();
    ws.receive({ type: 'snapshot', room: 'session:a', epoch: 'e', seq: 7, state: {} });
    ws.receive({ type: 'subscribed', room: 'session:a', epoch: 'e', seq: 7, recovered: false });
    const done = rt.command('session:a', 'chat.send', { body: 'hi' });
    expect(ws.sent.at(-1)).toEqual({ type: 'command', id: 'id-1', room: 'session:a', name: 'chat.send', data: { body: 'hi' } });
    ws.drop(4009);
    expect(rt.online).toBe(false);
    expect(rt.status).toBe('reconnecting');
    expect(FakeSocket.all.length).toBe(1);
    vi.advanceTimersByTime(250);
    ws = last();
    expect(FakeSocket.all.length).toBe(2);
    ws.open();
    expect(ws.sent).toEqual([{ type: 'subscribe', room: 'session:a', since: 7, epoch: 'e' }]);
    ws.receive({ type: 'subscribed', room: 'session:a', epoch: 'e', seq: 7, recovered: true });
    expect(ws.sent.at(-1)).toMatchObject({ type: 'command', id: 'id-1' });
    ws.receive({ type: 'ack', id: 'id-1', data: { id: 'm1' } });
    await expect(done).resolves.toEqual({ id: 'm1' });
  });

  it('rejects commands on error and on timeout', async () => {
    const rt = client({ commandTimeoutMs: 1000 });
    rt.subscribe('session:a', {});
    const ws = last();
    ws.open();
    ws.receive({ type: 'snapshot', room: 'session:a', epoch: 'e', seq: 0, state: {} });
    ws.receive({ type: 'subscribed', room: 'session:a', epoch: 'e', seq: 0, recovered: false });
    const muted = rt.command('session:a', 'chat.send', { body: 'x' });
    ws.receive({ type: 'error', id: 'id-1', code: 'forbidden', message: 'muted', retryable: false });
    await expect(muted).rejects.toMatchObject({ code: 'forbidden', fields: [] });
    const tooSlow = rt.command('session:a', 'chat.slow_mode', { seconds: 99999 });
    const broken = { field: 'seconds', code: 'out_of_range', params: { min: 0, max: 3600 }, message: 'must be between 0 and 3600' };
    ws.receive({ type: 'error', id: 'id-2', room: 'session:a', code: 'validation', message: 'seconds: …', fields: [broken], retryable: false });
    await expect(tooSlow).rejects.toMatchObject({ code: 'validation', fields: [broken] });
    const slow = rt.command('session:a', 'chat.send', { body: 'y' });
    vi.advanceTimersByTime(1000);
    await expect(slow).rejects.toBeInstanceOf(RealtimeError);
    await expect(slow).rejects.toMatchObject({ code: 'timeout' });
  });

  it('asks again for a subscription refused for now, and reports a final refusal', () => {
    const rt = client();
    const errors: string[] = [];
    rt.subscribe('session:a', { error: (e) => errors.push(e.code) });
    rt.subscribe('session:secret', { error: (e) => errors.push(e.code) });
    const ws = last();
    ws.open();
    ws.sent.length = 0;
    ws.receive({ type: 'error', room: 'session:a', code: 'unavailable', message: 'retry', retryable: true });
    ws.receive({ type: 'error', room: 'session:secret', code: 'not_found', message: 'no', retryable: false });
    expect(ws.sent).toEqual([]);
    vi.advanceTimersByTime(1000);
    expect(ws.sent).toEqual([{ type: 'subscribe', room: 'session:a' }]);
    expect(errors).toEqual(['not_found']);
  });

  it('resyncs from a snapshot after a gap', () => {
    const rt = client();
    rt.subscribe('session:a', {});
    const ws = last();
    ws.open();
    ws.receive({ type: 'snapshot', room: 'session:a', epoch: 'e', seq: 1, state: {} });
    ws.receive({ type: 'event', room: 'session:a', seq: 3, name: 'x', data: null });
    expect(ws.sent.at(-1)).toEqual({ type: 'subscribe', room: 'session:a' });
  });

  it('stops on a final close code and reports the lost login', () => {
    const lost = vi.fn();
    const rt = client({ onAuthLost: lost });
    rt.subscribe('session:a', {});
    last().open();
    last().drop(4001);
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all.length).toBe(1);
    expect(rt.status).toBe('closed');
    expect(lost).toHaveBeenCalledOnce();
  });

  it('treats a refused upgrade as final when the API says we are logged out', async () => {
    const rt = client({ checkAuth: () => Promise.resolve(false) });
    rt.subscribe('session:a', {});
    last().drop(1006);
    await vi.runAllTimersAsync();
    expect(FakeSocket.all.length).toBe(1);
    expect(rt.status).toBe('closed');
  });

  it('unsubscribes when the last listener leaves', () => {
    const rt = client();
    const off = rt.subscribe('session:a', {});
    last().open();
    off();
    expect(last().sent.at(-1)).toEqual({ type: 'unsubscribe', room: 'session:a' });
  });
});
