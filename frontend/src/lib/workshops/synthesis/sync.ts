/**
 * The synthesis document in this browser: a Yjs document kept in step with the room.
 * Remote edits (`synthesis.updated` events, and the snapshot's whole state) are merged in;
 * local edits are sent as `synthesis.edit` commands, one batch at a time (edits typed
 * while one is on its way are merged into the next), and an edit that could not be
 * delivered (connection lost, command timed out) is kept and sent again once the room is
 * live: Yjs updates are idempotent, so a duplicate changes nothing and nothing typed is
 * lost. Pure apart from Yjs, so it can be unit-tested without a socket.
 */
import * as Y from 'yjs';
import type { SynthesisSnapshot } from './live';

/** The shared text's name (`document.rs`: `TEXT`). */
export const TEXT = 'markdown';
/** The server's bound on one update, decoded (`document.rs`: `MAX_UPDATE_BYTES`). */
export const MAX_UPDATE_BYTES = 32 * 1024;

/** Marks changes that came from the room, so they are not sent back. */
const REMOTE = Symbol('remote');

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** An edit's failure that says nothing about the edit itself: send it again later. */
function undelivered(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const failure = error as { code?: string; retryable?: boolean };
  return failure.retryable === true || failure.code === 'timeout' || failure.code === 'closed';
}

/** Whether `local` holds changes made by a client beyond what `server` (a state vector) has. */
function isAhead(local: Map<number, number>, server: Map<number, number>): boolean {
  for (const [client, clock] of local) {
    if (clock > (server.get(client) ?? 0)) return true;
  }
  return false;
}

export class SynthesisSync {
  readonly doc = new Y.Doc();
  readonly text = this.doc.getText(TEXT);
  #send: (update: string) => Promise<unknown>;
  #rejected: (error: unknown) => void;
  #waiting: Uint8Array[] = [];
  #inFlight = false;
  #live = false;
  #retryMs: number;
  #retry: ReturnType<typeof setTimeout> | null = null;
  /** Hears whether local edits wait for the server, each time that may have changed. */
  onUnsent: ((unsent: boolean) => void) | null = null;

  /**
   * `send` delivers one `synthesis.edit` (its base64 update) and settles with its answer;
   * `rejected` hears of an edit the server refused (too long, no longer a writer); an edit
   * not delivered is tried again after `retryMs`.
   */
  constructor(send: (update: string) => Promise<unknown>, rejected: (error: unknown) => void, retryMs = 1000) {
    this.#send = send;
    this.#rejected = rejected;
    this.#retryMs = retryMs;
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === REMOTE) return;
      this.#waiting.push(update);
      this.#flush();
    });
  }

  /** Local edits not yet acknowledged by the server. */
  get unsent(): boolean {
    return this.#inFlight || this.#retry !== null || this.#waiting.length > 0;
  }

  /** The room's whole document: merged into this one (edits not yet sent survive), and
   * whatever only this browser has is sent (an edit whose answer never came). */
  snapshot(part: SynthesisSnapshot): void {
    const server = fromBase64(part.state);
    Y.applyUpdate(this.doc, server, REMOTE);
    const serverVector = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(server));
    const localVector = Y.decodeStateVector(Y.encodeStateVector(this.doc));
    if (isAhead(localVector, serverVector)) {
      this.#waiting.push(Y.encodeStateAsUpdate(this.doc, Y.encodeStateVectorFromUpdate(server)));
    }
    this.#flush();
  }

  /** Someone's edit, as the room relays it (one's own too: applying it again is harmless). */
  remote(update: string): void {
    Y.applyUpdate(this.doc, fromBase64(update), REMOTE);
  }

  /** The room is subscribed (`true`) or the connection is gone (`false`). */
  setLive(live: boolean): void {
    this.#live = live;
    this.#flush();
  }

  #flush(): void {
    this.#sendNext();
    this.onUnsent?.(this.unsent);
  }

  #sendNext(): void {
    if (!this.#live || this.#inFlight || this.#retry || this.#waiting.length === 0) return;
    const batch = this.#waiting.length === 1 ? this.#waiting[0]! : Y.mergeUpdates(this.#waiting);
    this.#waiting = [];
    this.#inFlight = true;
    this.#send(toBase64(batch)).then(
      () => {
        this.#inFlight = false;
        this.#flush();
      },
      (error: unknown) => {
        this.#inFlight = false;
        if (undelivered(error)) {
          // Ahead of anything typed since, so the order of one's edits is kept.
          this.#waiting.unshift(batch);
          this.#retry = setTimeout(() => {
            this.#retry = null;
            this.#flush();
          }, this.#retryMs);
          this.onUnsent?.(true);
        } else {
          this.#rejected(error);
          this.#flush();
        }
      },
    );
  }

  destroy(): void {
    this.#live = false;
    if (this.#retry) clearTimeout(this.#retry);
    this.doc.destroy();
  }
}
