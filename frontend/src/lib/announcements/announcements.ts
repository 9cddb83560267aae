/**
 * The announcements of one room (`conference:<id>` or `session:<id>`) and what a reader has
 * dismissed, kept pure so they can be unit-tested. Lists are newest first.
 */
import type { Announcement, AnnouncementEvent, AnnouncementsSnapshot } from './live';

/** The room's current announcements from its snapshot (the server sends them oldest first). */
export function announcementsFromSnapshot(state: unknown): Announcement[] {
  const part = (state as { announcement?: AnnouncementsSnapshot } | null)?.announcement;
  return newestFirst(part?.current ?? []);
}

function newestFirst(list: readonly Announcement[]): Announcement[] {
  return [...list].sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || (a.id < b.id ? 1 : -1));
}

/** Applies one room event; events of other features leave the list as it is. */
export function applyAnnouncementEvent(list: Announcement[], name: string, data: unknown): Announcement[] {
  if (!name.startsWith('announcement.')) return list;
  const event = { name, data } as AnnouncementEvent;
  switch (event.name) {
    case 'announcement.published':
      if (list.some((a) => a.id === event.data.id)) return list;
      return newestFirst([event.data, ...list]);
    case 'announcement.withdrawn':
      return list.filter((a) => a.id !== event.data.id);
  }
}

/** How many dismissed ids a browser remembers: older ones were withdrawn long ago. */
export const REMEMBERED_DISMISSALS = 200;

/** The dismissed ids as stored (a JSON array); anything else counts as none. */
export function parseDismissed(stored: string | null): string[] {
  try {
    const ids: unknown = JSON.parse(stored ?? '[]');
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

/** `ids` with `id` added last, keeping the latest `REMEMBERED_DISMISSALS`. */
export function withDismissed(ids: readonly string[], id: string): string[] {
  return [...ids.filter((x) => x !== id), id].slice(-REMEMBERED_DISMISSALS);
}
