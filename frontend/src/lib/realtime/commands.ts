/**
 * The commands sent and not answered yet, by their client-chosen id. Each settles exactly
 * once: on its `ack` or `error`, on its timeout, or when its room or the connection goes away.
 */
import { RealtimeError } from './error';

/** A command as it goes on the wire (and again, with the same id, after a reconnect). */
export interface Command {
  id: string;
  room: string;
  name: string;
  data: unknown;
}

export interface PendingCommand extends Command {
  resolve: (data: unknown) => void;
  reject: (error: RealtimeError) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class PendingCommands {
  #byId = new Map<string, PendingCommand>();

  /** Waits for `command`'s answer; it fails with `timeout` when none comes within `timeoutMs`. */
  add(command: Command, timeoutMs: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.settle(command.id)?.reject(new RealtimeError('timeout', 'no answer', true));
      }, timeoutMs);
      this.#byId.set(command.id, { ...command, resolve, reject, timer });
    });
  }

  get(id: string): PendingCommand | undefined {
    return this.#byId.get(id);
  }

  /** The commands of `room` still waiting, in the order they were sent. */
  inRoom(room: string): PendingCommand[] {
    return [...this.#byId.values()].filter((p) => p.room === room);
  }

  /** Stops waiting for `id`; the caller resolves or rejects what it returns. */
  settle(id: string): PendingCommand | undefined {
    const p = this.#byId.get(id);
    if (!p) return undefined;
    this.#byId.delete(id);
    clearTimeout(p.timer);
    return p;
  }

  /** Fails with `closed` every waiting command, or only those of `room`. */
  abandon(reason: string, room?: string): void {
    for (const p of [...this.#byId.values()]) {
      if (room === undefined || p.room === room) this.settle(p.id)?.reject(new RealtimeError('closed', reason));
    }
  }
}
