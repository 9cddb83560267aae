/**
 * The conference's elections kept live over the tab's real-time connection (the
 * conference room's `election` part), for the banner, the election pages and the stage.
 * Phase changes are also told to a handler, the reveal apart: a reveal seen happen while
 * the page was open is the one the banner celebrates. Every election seen closed or revealed
 * leaves its anchor in this browser (see `anchor.ts`), for the board page to check.
 */
import { untrack } from 'svelte';
import { SvelteSet } from 'svelte/reactivity';
import type { ElectionPhase } from '../api';
import { auth } from '../auth/auth.svelte';
import { realtime } from '../realtime.svelte';
import { rememberSeen } from './anchor';
import { applyElectionEvent, electionsFromSnapshot, newlyRevealed } from './elections';
import type { ElectionLive } from './live';

export interface LiveElectionHandlers {
  /** An election moved to another phase than the one last seen (not on the first snapshot). */
  changed?(election: ElectionLive): void;
  /** An election was revealed while the page was open. */
  revealed?(election: ElectionLive): void;
}

export class LiveElections {
  readonly room: string;
  /** `null` until the snapshot arrives. */
  list = $state<ElectionLive[] | null>(null);
  /** The room refused us (not a member, or removed from the conference). */
  unavailable = $state(false);
  #seen = new Map<string, ElectionPhase>();
  #handlers: LiveElectionHandlers;

  constructor(conferenceId: string, handlers: LiveElectionHandlers = {}) {
    this.room = `conference:${conferenceId}`;
    this.#handlers = handlers;
  }

  /** One election, live. */
  get(id: string): ElectionLive | undefined {
    return this.list?.find((e) => e.id === id);
  }

  /** Starts listening; returns the function that stops. Tracks nothing when run in an effect. */
  watch(): () => void {
    return untrack(() => this.#subscribe());
  }

  #subscribe(): () => void {
    if (realtime.status === 'closed' && auth.me) realtime.reopen();
    return realtime.subscribe(this.room, {
      snapshot: (state) => this.#update(electionsFromSnapshot(state)),
      event: (name, data) => {
        if (this.list && name.startsWith('election.')) this.#update(applyElectionEvent(this.list, name, data));
      },
      error: (e) => {
        if (e.code === 'not_found' || e.code === 'forbidden') {
          this.list = null;
          this.unavailable = true;
        }
      },
    });
  }

  #update(next: ElectionLive[]): void {
    const revealed = newlyRevealed(this.#seen, next);
    const changed = next.filter((e) => this.#seen.has(e.id) && this.#seen.get(e.id) !== e.phase);
    this.#seen = new Map(next.map((e) => [e.id, e.phase]));
    this.list = next;
    for (const e of next) rememberSeen(e);
    for (const e of changed) this.#handlers.changed?.(e);
    for (const e of revealed) this.#handlers.revealed?.(e);
  }
}

/** Elections this tab has seen its person vote in (the banner stops saying "vote now"). */
export const votedHere = new SvelteSet<string>();
