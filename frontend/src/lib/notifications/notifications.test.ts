import { describe, expect, it } from 'vitest';
import type { Translate } from '../errors';
import {
  applyNotificationEvent,
  describeNotification,
  LATEST,
  markRead,
  notificationsFromSnapshot,
} from './notifications';
import type { Notification } from './live';

const note = (id: string, read = false, kind = 'member.role_changed', data: Record<string, unknown> = {}): Notification => ({
  id,
  kind,
  data,
  read,
  at: '2026-12-08T09:00:00Z',
});
const ids = (items: Notification[]): string[] => items.map((n) => n.id);

describe('notifications state', () => {
  it('starts from the snapshot (newest first) with its unread count', () => {
    const s = notificationsFromSnapshot({ notification: { latest: [note('b'), note('a', true)], unread: 1 } });
    expect(ids(s.items)).toEqual(['b', 'a']);
    expect(s.unread).toBe(1);
    expect(notificationsFromSnapshot(undefined)).toEqual({ items: [], unread: 0 });
  });

  it('puts a new one first, once, keeps the latest only, and takes the server count', () => {
    const full = notificationsFromSnapshot({ notification: { latest: Array.from({ length: LATEST }, (_, i) => note(`n${i}`)), unread: LATEST } });
    let s = applyNotificationEvent(full, 'notification.created', { notification: note('new'), unread: LATEST + 1 });
    s = applyNotificationEvent(s, 'notification.created', { notification: note('new'), unread: LATEST + 1 });
    expect(s.items).toHaveLength(LATEST);
    expect(ids(s.items).slice(0, 2)).toEqual(['new', 'n0']);
    expect(s.unread).toBe(LATEST + 1);
  });

  it('marks read from the event and from a command result alike', () => {
    const s = notificationsFromSnapshot({ notification: { latest: [note('b'), note('a')], unread: 2 } });
    const viaEvent = applyNotificationEvent(s, 'notification.read', { ids: ['a'], unread: 1 });
    expect(viaEvent.items.map((n) => n.read)).toEqual([false, true]);
    expect(viaEvent.unread).toBe(1);
    expect(markRead(viaEvent, { ids: ['a', 'b'], unread: 0 })).toEqual({
      items: [
        { ...note('b'), read: true },
        { ...note('a'), read: true },
      ],
      unread: 0,
    });
  });
});

describe('notification sentences', () => {
  const t: Translate = (key, options) => (options?.values ? `[${key} ${JSON.stringify(options.values)}]` : `[${key}]`);
  const title = { en: 'European Cluster Conference', fr: 'Conférence européenne des clusters' };

  it('words a role change with the conference title in the reader language and links to it', () => {
    const n = note('r', false, 'member.role_changed', { conference_slug: 'ecc 2026', conference_title: title, role: 'moderator' });
    expect(describeNotification(n, t, 'fr-FR')).toEqual({
      text: '[notifications.role_changed {"conference":"Conférence européenne des clusters","role":"[role.moderator]"}]',
      href: '/c/ecc%202026',
    });
  });

  it('words a session assignment and links to the session', () => {
    const n = note('s', false, 'session.assigned', {
      conference_slug: 'ecc-2026',
      session_id: 'a1b2',
      session_title: { en: 'Cross-border cooperation' },
      role: 'speaker',
    });
    expect(describeNotification(n, t, 'nl')).toEqual({
      text: '[notifications.session_assigned {"session":"Cross-border cooperation","role":"[session_role.speaker]"}]',
      href: '/c/ecc-2026/sessions/a1b2',
    });
  });

  it('words a working group’s freed seat and a call for a moderator, with a link when the conference is named', () => {
    const seat = note('w', false, 'workshop.seat', { session_id: 's1', title: { en: 'Cross-border workshop', fr: 'Atelier transfrontalier' } });
    expect(describeNotification(seat, t, 'fr')).toEqual({
      text: '[notifications.workshop_seat {"session":"Atelier transfrontalier"}]',
      href: null,
    });
    const call = note('c', false, 'workshop.call', { session_id: 's1', conference_slug: 'ecc-2026', by: 'Aurélie' });
    expect(describeNotification(call, t, 'en')).toEqual({
      text: '[notifications.workshop_call {"name":"Aurélie"}]',
      href: '/c/ecc-2026/sessions/s1',
    });
    expect(describeNotification(note('x', false, 'workshop.call', { session_id: 's1' }), t, 'en').text).toBe('[notifications.generic]');
  });

  it('gives unknown kinds and unexpected data the generic sentence, without a link', () => {
    const generic = { text: '[notifications.generic]', href: null };
    expect(describeNotification(note('m', false, 'meeting.requested', { from: 'Bo' }), t, 'en')).toEqual(generic);
    expect(describeNotification(note('x', false, 'member.role_changed', { conference_slug: 'ecc', role: 'king' }), t, 'en')).toEqual(generic);
    expect(describeNotification(note('p', false, 'toString'), t, 'en')).toEqual(generic);
  });
});
