import { describe, expect, it } from 'vitest';
import {
  announcementsFromSnapshot,
  applyAnnouncementEvent,
  parseDismissed,
  REMEMBERED_DISMISSALS,
  withDismissed,
} from './announcements';
import type { Announcement } from './live';

const at = (minute: number): string => `2026-12-08T09:${String(minute).padStart(2, '0')}:00Z`;
const announcement = (id: string, minute: number): Announcement => ({ id, body: `Body ${id}`, author_name: 'Odile', room: null, at: at(minute) });
const ids = (list: Announcement[]): string[] => list.map((a) => a.id);

describe('announcements of a room', () => {
  it('shows the snapshot newest first', () => {
    const state = { announcement: { current: [announcement('a', 1), announcement('b', 5), announcement('c', 3)] } };
    expect(ids(announcementsFromSnapshot(state))).toEqual(['b', 'c', 'a']);
  });

  it('reads the announcements beside the chat of a session room, and nothing from other rooms', () => {
    expect(ids(announcementsFromSnapshot({ chat: { messages: [], slow_mode_secs: 0 }, announcement: { current: [announcement('s', 2)] } }))).toEqual(['s']);
    expect(announcementsFromSnapshot({ notification: { latest: [], unread: 0 } })).toEqual([]);
    expect(announcementsFromSnapshot(null)).toEqual([]);
  });

  it('puts a published one first, once, and drops a withdrawn one', () => {
    let list = announcementsFromSnapshot({ announcement: { current: [announcement('a', 1)] } });
    list = applyAnnouncementEvent(list, 'announcement.published', announcement('b', 7));
    list = applyAnnouncementEvent(list, 'announcement.published', announcement('b', 7));
    expect(ids(list)).toEqual(['b', 'a']);
    list = applyAnnouncementEvent(list, 'announcement.withdrawn', { id: 'a' });
    expect(ids(list)).toEqual(['b']);
  });

  it('leaves the list alone for the events of other features', () => {
    const list = [announcement('a', 1)];
    expect(applyAnnouncementEvent(list, 'chat.sent', { id: 'a' })).toBe(list);
  });
});

describe('dismissed announcements', () => {
  it('reads only a stored list of ids', () => {
    expect(parseDismissed('["a","b",3]')).toEqual(['a', 'b']);
    expect(parseDismissed('{"a":1}')).toEqual([]);
    expect(parseDismissed('not json')).toEqual([]);
    expect(parseDismissed(null)).toEqual([]);
  });

  it('remembers each id once and forgets the oldest beyond the limit', () => {
    expect(withDismissed(['a', 'b'], 'a')).toEqual(['b', 'a']);
    const many = Array.from({ length: REMEMBERED_DISMISSALS }, (_, i) => `id${i}`);
    const kept = withDismissed(many, 'new');
    expect(kept).toHaveLength(REMEMBERED_DISMISSALS);
    expect(kept[0]).toBe('id1');
    expect(kept.at(-1)).toBe('new');
  });
});
