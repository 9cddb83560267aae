/**
 * The reconnecting real-time socket (docs/realtime.md): one WebSocket per tab at `/ws`,
 * per-room resume with `since`/`epoch`, events applied strictly in `seq` order, snapshots
 * replacing room state, and commands with a client-chosen id that are resent with the same
 * id after a reconnect until they are acknowledged, rejected or time out.
 */
import type { ClientMsg, ServerMsg } from './realtime/protocol';
import { api } from './api';
import { auth } from './auth/auth.svelte';
import { PendingCommands, type Command } from './realtime/commands';
import { RealtimeError } from './realtime/error';
import { backoffDelay, isFinalClose, RoomCursor } from './realtime/sync';

export { RealtimeError };

/** The subset of the browser WebSocket the client uses (a fake one in tests). */
export interface SocketLike {
  readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface RoomHandlers {
  /** The room's whole state at the current seq: replace what you hold. */
  snapshot?(state: unknown): void;
  /** A durable event, in seq order, exactly once per seq. */
  event?(name: string, data: unknown): void;
  /** People present now (ephemeral, the latest wins). */
  presence?(count: number): void;
  /** A feature's ephemeral pulse (e.g. `reaction.burst`): how many people sent each key in
   * the last window. Never replayed: missed while away means missed. */
  signal?(name: string, counts: Record<string, number>): void;
  /** The subscription is live (after a snapshot or a replay), with the caller's roles in
   * the room (e.g. `moderator`, `organiser`); called again when they change. */
  subscribed?(recovered: boolean, roles: string[]): void;
  /** The room refused us (e.g. `not_found`) or another room-level error. */
  error?(error: RealtimeError): void;
}

export type Status = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface RealtimeOptions {
  url?: () => string;
  createSocket?: (url: string) => SocketLike;
  random?: () => number;
  commandTimeoutMs?: number;
  /** Called on close code 4001 (login ended): the app sends the user to login. */
  onAuthLost?: () => void;
  /** When the upgrade fails before opening: false means "not logged in" (final). */
  checkAuth?: () => Promise<boolean>;
  newId?: () => string;
}

interface Room {
  cursor: RoomCursor;
  listeners: Set<RoomHandlers>;
  /** The server confirmed the subscription on the current socket. */
  live: boolean;
}

const OPEN = 1;

function defaultUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}

export class Realtime {
  /** True while the socket is open. */
  online = $state(false);
  status = $state<Status>('idle');
  /** A connection-level error without a command id or room (e.g. `rate_limited`). */
  lastError = $state<RealtimeError | null>(null);

  #opts: Required<Omit<RealtimeOptions, 'checkAuth' | 'onAuthLost'>> & Pick<RealtimeOptions, 'checkAuth' | 'onAuthLost'>;
  #ws: SocketLike | null = null;
  #rooms = new Map<string, Room>();
  #pending = new PendingCommands();
  #attempt = 0;
  #reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  #opened = false;

  constructor(opts: RealtimeOptions = {}) {
    this.#opts = {
      url: opts.url ?? defaultUrl,
      createSocket: opts.createSocket ?? ((url) => new WebSocket(url) as unknown as SocketLike),
      random: opts.random ?? Math.random,
      commandTimeoutMs: opts.commandTimeoutMs ?? 10_000,
      newId: opts.newId ?? (() => crypto.randomUUID()),
      onAuthLost: opts.onAuthLost,
      checkAuth: opts.checkAuth,
    };
  }

  /** Listens to `room`, connecting if needed. Returns the function that stops listening. */
  subscribe(room: string, handlers: RoomHandlers): () => void {
    let entry = this.#rooms.get(room);
    if (!entry) {
      entry = { cursor: new RoomCursor(), listeners: new Set(), live: false };
      this.#rooms.set(room, entry);
      entry.listeners.add(handlers);
      this.#send(entry.cursor.subscribeMsg(room));
    } else {
      entry.listeners.add(handlers);
      // A late listener needs the whole state: ask for a fresh snapshot (it replaces everyone's).
      entry.cursor.reset();
      entry.live = false;
      this.#send(entry.cursor.subscribeMsg(room));
    }
    this.connect();
    const mine = entry;
    return () => {
      mine.listeners.delete(handlers);
      if (mine.listeners.size === 0 && this.#rooms.get(room) === mine) {
        this.#rooms.delete(room);
        this.#send({ type: 'unsubscribe', room });
        this.#pending.abandon('unsubscribed', room);
      }
    };
  }

  /**
   * Sends a command; resolves with the `ack` data, rejects with the `error` (or `timeout`).
   * Until acknowledged it is resent with the same id after every reconnect.
   */
  command(room: string, name: string, data: unknown = {}): Promise<unknown> {
    const command: Command = { id: this.#opts.newId(), room, name, data };
    const answer = this.#pending.add(command, this.#opts.commandTimeoutMs);
    if (this.#rooms.get(room)?.live) this.#sendCommand(command);
    return answer;
  }

  /** Sends a feature's typed command (e.g. a `ChatCommand`); see [`command`]. */
  send(room: string, command: { name: string; data: unknown }): Promise<unknown> {
    return this.command(room, command.name, command.data);
  }

  /** Opens the socket if it is not open or opening (also cancels a scheduled reconnect). */
  connect(): void {
    if (this.#ws || this.status === 'closed') return;
    if (this.#reconnectTimer) {
      clearTimeout(this.#reconnectTimer);
      this.#reconnectTimer = null;
    }
    this.status = this.#attempt === 0 ? 'connecting' : 'reconnecting';
    this.#opened = false;
    const ws = this.#opts.createSocket(this.#opts.url());
    this.#ws = ws;
    ws.onopen = () => {
      if (this.#ws !== ws) return;
      this.#opened = true;
      this.#attempt = 0;
      this.online = true;
      this.status = 'open';
      this.lastError = null;
      for (const [name, room] of this.#rooms) ws.send(JSON.stringify(room.cursor.subscribeMsg(name)));
    };
    ws.onmessage = (ev) => {
      if (this.#ws !== ws || typeof ev.data !== 'string') return;
      let msg: ServerMsg;
      try {
        msg = JSON.parse(ev.data) as ServerMsg;
      } catch {
        return;
      }
      this.#receive(msg);
    };
    ws.onerror = () => {};
    ws.onclose = (ev) => {
      if (this.#ws !== ws) return;
      this.#dropped(ev.code);
    };
  }

  /** After a final close (e.g. logged in again): start over. */
  reopen(): void {
    if (this.status !== 'closed') return;
    this.status = 'idle';
    this.#attempt = 0;
    if (this.#rooms.size > 0) this.connect();
  }

  /** Closes for good (e.g. logout). Pending commands are rejected. */
  close(): void {
    this.status = 'closed';
    this.online = false;
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = null;
    const ws = this.#ws;
    this.#ws = null;
    ws?.close(1000);
    this.#pending.abandon('connection closed');
  }

  #dropped(code: number): void {
    const neverOpened = !this.#opened;
    this.#ws = null;
    this.online = false;
    for (const room of this.#rooms.values()) room.live = false;
    if (isFinalClose(code)) {
      this.close();
      if (code === 4001) this.#opts.onAuthLost?.();
      return;
    }
    this.status = 'reconnecting';
    const check = this.#opts.checkAuth;
    if (neverOpened && check) {
      // A refused upgrade (401/403) looks like a network loss to the browser: ask the API.
      void check().then(
        (ok) => {
          if (ok) this.#schedule();
          else this.close();
        },
        () => this.#schedule(),
      );
    } else {
      this.#schedule();
    }
  }

  #schedule(): void {
    if (this.status === 'closed' || this.#ws || this.#reconnectTimer) return;
    const delay = backoffDelay(this.#attempt++, this.#opts.random);
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      this.connect();
    }, delay);
  }

  #receive(msg: ServerMsg): void {
    switch (msg.type) {
      case 'ack':
        this.#pending.settle(msg.id)?.resolve(msg.data);
        return;
      case 'error': {
        const error = new RealtimeError(msg.code, msg.message, msg.retryable, msg.fields, msg.conflict ?? null);
        if (msg.id !== undefined) {
          const p = this.#pending.get(msg.id);
          if (!p) return;
          if (msg.code === 'unavailable') {
            // The database is restarting: retry the same id shortly (the timeout still runs).
            setTimeout(() => {
              if (this.#pending.get(p.id) === p && this.#rooms.get(p.room)?.live) this.#sendCommand(p);
            }, 1_000);
            return;
          }
          this.#pending.settle(msg.id)?.reject(error);
        } else if (msg.room !== undefined) {
          const room = this.#rooms.get(msg.room);
          if (room && msg.retryable) {
            // The subscription was refused for now (database away, too many at once): ask again.
            setTimeout(() => {
              if (this.#rooms.get(msg.room!) === room && !room.live) this.#send(room.cursor.subscribeMsg(msg.room!));
            }, 1_000);
            return;
          }
          for (const h of room?.listeners ?? []) h.error?.(error);
        } else {
          this.lastError = error;
        }
        return;
      }
      case 'snapshot': {
        const room = this.#rooms.get(msg.room);
        if (!room) return;
        room.cursor.snapshot(msg.epoch, msg.seq);
        for (const h of room.listeners) h.snapshot?.(msg.state);
        return;
      }
      case 'event': {
        const room = this.#rooms.get(msg.room);
        if (!room) return;
        const verdict = room.cursor.event(msg.seq);
        if (verdict === 'apply') for (const h of room.listeners) h.event?.(msg.name, msg.data);
        else if (verdict === 'gap') this.#resync(msg.room, room);
        return;
      }
      case 'subscribed': {
        const room = this.#rooms.get(msg.room);
        if (!room) return;
        if (room.cursor.subscribed(msg.epoch, msg.seq) === 'gap') {
          this.#resync(msg.room, room);
          return;
        }
        room.live = true;
        for (const h of room.listeners) h.subscribed?.(msg.recovered, msg.roles);
        for (const p of this.#pending.inRoom(msg.room)) this.#sendCommand(p);
        return;
      }
      case 'presence': {
        for (const h of this.#rooms.get(msg.room)?.listeners ?? []) h.presence?.(msg.count);
        return;
      }
      case 'signal': {
        for (const h of this.#rooms.get(msg.room)?.listeners ?? []) h.signal?.(msg.name, msg.counts);
        return;
      }
      case 'unsubscribed':
        return;
    }
  }

  /** Out of step: start over from a snapshot. */
  #resync(name: string, room: Room): void {
    room.cursor.reset();
    room.live = false;
    this.#send(room.cursor.subscribeMsg(name));
  }

  #sendCommand(p: Command): void {
    this.#send({ type: 'command', id: p.id, room: p.room, name: p.name, data: p.data });
  }

  #send(msg: ClientMsg): void {
    const ws = this.#ws;
    if (ws && ws.readyState === OPEN) ws.send(JSON.stringify(msg));
  }
}

/** The tab's connection. Login lost → the app's guard sends the user to login. */
export const realtime = new Realtime({
  onAuthLost: () => {
    auth.me = null;
  },
  checkAuth: async () => {
    try {
      // The current login's answer resumes an expired access token, and says 200 either way.
      if ((await api.currentLogin()).user) return true;
      auth.me = null;
      return false;
    } catch {
      return true; // the server is away: keep trying
    }
  },
});
