/**
 * The pure parts of the real-time client (no socket, no runes), unit-tested on their own:
 * the reconnect back-off and the per-room resume bookkeeping of docs/realtime.md.
 */
import type { ClientMsg } from './protocol';

/**
 * Delay before reconnect attempt `attempt` (0-based): exponential from `base`, capped at
 * `cap`, with "equal jitter" (half fixed, half random) so tabs do not reconnect in lockstep.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random, base = 500, cap = 15_000): number {
  const ceiling = Math.min(cap, base * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Close codes after which reconnecting cannot help (docs/realtime.md, "Close codes"). */
export function isFinalClose(code: number): boolean {
  return code === 1003 || code === 4001;
}

/** What to do with an event: apply it, ignore it (already applied), or resync (a gap). */
export type EventVerdict = 'apply' | 'stale' | 'gap';

/** Per room: the epoch and the last seq applied. */
export class RoomCursor {
  epoch: string | undefined = undefined;
  seq: number | undefined = undefined;

  /** The subscribe frame: with `since`/`epoch` once we hold state, so the server can replay. */
  subscribeMsg(room: string): ClientMsg {
    if (this.seq === undefined || this.epoch === undefined) return { type: 'subscribe', room };
    return { type: 'subscribe', room, since: this.seq, epoch: this.epoch };
  }

  /** A snapshot replaces the room's state: take its epoch and seq. */
  snapshot(epoch: string, seq: number): void {
    this.epoch = epoch;
    this.seq = seq;
  }

  /** Apply only `seq` = last + 1; smaller ones were applied already. */
  event(seq: number): EventVerdict {
    if (this.seq === undefined) return 'gap';
    if (seq <= this.seq) return 'stale';
    if (seq !== this.seq + 1) return 'gap';
    this.seq = seq;
    return 'apply';
  }

  /** After the replay (or snapshot) the server confirms its head: we must be there. */
  subscribed(epoch: string, seq: number): 'ok' | 'gap' {
    if (this.epoch !== epoch || this.seq !== seq) return 'gap';
    return 'ok';
  }

  /** Forget everything: the next subscribe asks for a snapshot. */
  reset(): void {
    this.epoch = undefined;
    this.seq = undefined;
  }
}
