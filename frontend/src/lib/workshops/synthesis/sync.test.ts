import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { SynthesisSnapshot } from './live';
import { applyMeta, canWrite, metaOf } from './meta';
import { fromBase64, SynthesisSync, toBase64 } from './sync';

/** The room as the server keeps it: every accepted edit is stored and relayed to all. */
class FakeRoom {
  readonly doc = new Y.Doc();
  readonly clients: SynthesisSync[] = [];
  /** Edits held back (a slow network) until `deliver`. */
  held: (() => void)[] = [];
  hold = false;
  failNext: unknown = null;

  sends = 0;

  join(): SynthesisSync {
    const client: SynthesisSync = new SynthesisSync(
      (update) =>
        new Promise((resolve, reject) => {
          this.sends++;
          const run = () => {
            if (this.failNext) {
              const error = this.failNext;
              this.failNext = null;
              reject(error);
              return;
            }
            Y.applyUpdate(this.doc, fromBase64(update));
            for (const other of this.clients) other.remote(update);
            resolve({ bytes: 0 });
          };
          if (this.hold) this.held.push(run);
          else queueMicrotask(run);
        }),
      (error) => {
        throw error;
      },
      5,
    );
    client.snapshot(this.snapshot());
    client.setLive(true);
    this.clients.push(client);
    return client;
  }

  snapshot(): SynthesisSnapshot {
    return { state: toBase64(Y.encodeStateAsUpdate(this.doc)), rapporteurs: [], versions: [] };
  }

  deliver(): void {
    const held = this.held;
    this.held = [];
    for (const run of held) run();
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('SynthesisSync', () => {
  it('converges when two people type at the same place at once', async () => {
    const room = new FakeRoom();
    const ana = room.join();
    const ben = room.join();
    room.hold = true;
    for (const letter of 'abcde') {
      ana.text.insert(0, letter);
      ben.text.insert(0, letter.toUpperCase());
      room.deliver();
      await settle();
    }
    room.hold = false;
    room.deliver();
    for (let i = 0; i < 10 && (ana.unsent || ben.unsent); i++) await settle();
    const server = room.doc.getText('markdown').toString();
    expect(ana.text.toString()).toBe(server);
    expect(ben.text.toString()).toBe(server);
    expect([...server].sort().join('')).toBe('ABCDEabcde');
  });

  it('keeps an edit that was not delivered and sends it again, in order, when live', async () => {
    const room = new FakeRoom();
    const ana = room.join();
    room.failNext = { code: 'timeout', retryable: false };
    ana.text.insert(0, 'Findings');
    await settle();
    expect(room.doc.getText('markdown').toString()).toBe('');
    ana.text.insert(8, ': funding');
    const until = Date.now() + 1000;
    while (ana.unsent && Date.now() < until) await settle();
    expect(room.doc.getText('markdown').toString()).toBe('Findings: funding');
    // The first try, and one more with both edits merged.
    expect(room.sends).toBe(2);
  });

  it('sends from a snapshot what the server lacks', async () => {
    const room = new FakeRoom();
    const ana = room.join();
    // Known in this browser (say, an edit whose command was given up) but not on the server.
    const elsewhere = new Y.Doc();
    elsewhere.getText('markdown').insert(0, 'Proposals');
    ana.remote(toBase64(Y.encodeStateAsUpdate(elsewhere)));
    expect(ana.unsent).toBe(false);
    ana.snapshot(room.snapshot());
    for (let i = 0; i < 10 && ana.unsent; i++) await settle();
    expect(room.doc.getText('markdown').toString()).toBe('Proposals');
  });

  it('reports an edit the server refused, and goes on', async () => {
    const room = new FakeRoom();
    const refused: unknown[] = [];
    const ana = new SynthesisSync(
      () => Promise.reject({ code: 'forbidden', retryable: false }),
      (error) => refused.push(error),
    );
    ana.snapshot(room.snapshot());
    ana.setLive(true);
    ana.text.insert(0, 'x');
    await settle();
    expect(refused).toEqual([{ code: 'forbidden', retryable: false }]);
    expect(ana.unsent).toBe(false);
  });

  it('round-trips base64 of any size', () => {
    const bytes = new Uint8Array(100_000).map((_, i) => i % 251);
    expect(fromBase64(toBase64(bytes))).toEqual(bytes);
  });
});

describe('the synthesis meta', () => {
  const part: SynthesisSnapshot = { state: '', rapporteurs: [], versions: [] };
  const version = { number: 1, published_at: '2026-12-03T10:00:00Z', published_by: 'Fay' };

  it('follows rapporteurs and versions, once each', () => {
    let meta = metaOf(part);
    meta = applyMeta(meta, { name: 'synthesis.rapporteurs', data: { rapporteurs: [{ id: 'a', name: 'Ana' }] } });
    meta = applyMeta(meta, { name: 'synthesis.published', data: version });
    meta = applyMeta(meta, { name: 'synthesis.published', data: version });
    expect(meta.versions).toEqual([version]);
    expect(canWrite(['participant'], meta, 'a')).toBe(true);
    expect(canWrite(['participant'], meta, 'b')).toBe(false);
    expect(canWrite(['moderator'], meta, 'b')).toBe(true);
  });
});
