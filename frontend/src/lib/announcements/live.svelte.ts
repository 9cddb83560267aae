/** The current announcements of one room, kept live over the tab's real-time connection. */
import { untrack } from 'svelte';
import { auth } from '../auth/auth.svelte';
import { realtime } from '../realtime.svelte';
import { announcementsFromSnapshot, applyAnnouncementEvent } from './announcements';
import type { Announcement } from './live';

export class LiveAnnouncements {
  readonly room: string;
  /** Newest first; `null` until the snapshot arrives. */
  list = $state<Announcement[] | null>(null);
  /** The room refused us (not a member, or removed from the conference). */
  unavailable = $state(false);

  constructor(room: string) {
    this.room = room;
  }

  /** Starts listening; returns the function that stops. Tracks nothing when run in an effect. */
  watch(): () => void {
    return untrack(() => this.#subscribe());
  }

  #subscribe(): () => void {
    if (realtime.status === 'closed' && auth.me) realtime.reopen();
    return realtime.subscribe(this.room, {
      snapshot: (state) => {
        this.list = announcementsFromSnapshot(state);
      },
      event: (name, data) => {
        if (this.list) this.list = applyAnnouncementEvent(this.list, name, data);
      },
      error: (e) => {
        if (e.code === 'not_found' || e.code === 'forbidden') {
          this.list = null;
          this.unavailable = true;
        }
      },
    });
  }
}
