/**
 * A person's notifications (their `user:` room) and how each kind reads as a sentence in
 * the reader's language, kept pure so they can be unit-tested. Lists are newest first.
 */
import { CONFERENCE_ROLES, REGISTRATION_STATUSES, SESSION_ROLES, type LocalizedText } from '../api';
import type { Translate } from '../errors';
import { localized } from '../localized';
import type { Notification, NotificationEvent, NotificationsSnapshot, ReadNotifications } from './live';

/** As many as the server keeps in the snapshot. */
export const LATEST = 30;

export interface NotificationsState {
  /** Newest first. */
  items: Notification[];
  unread: number;
}

/** The room's snapshot: the latest notifications (newest first) and the unread count. */
export function notificationsFromSnapshot(state: unknown): NotificationsState {
  const part = (state as { notification?: NotificationsSnapshot } | null)?.notification;
  return { items: part?.latest ?? [], unread: part?.unread ?? 0 };
}

/** Marks `ids` read and takes the server's count (from the event or a command's result). */
export function markRead(state: NotificationsState, read: ReadNotifications): NotificationsState {
  const ids = new Set(read.ids);
  return {
    items: state.items.map((n) => (ids.has(n.id) && !n.read ? { ...n, read: true } : n)),
    unread: read.unread,
  };
}

/** Applies one event of the room. */
export function applyNotificationEvent(state: NotificationsState, name: string, data: unknown): NotificationsState {
  if (!name.startsWith('notification.')) return state;
  const event = { name, data } as NotificationEvent;
  switch (event.name) {
    case 'notification.created': {
      const { notification, unread } = event.data;
      const rest = state.items.filter((n) => n.id !== notification.id);
      return { items: [notification, ...rest].slice(0, LATEST), unread };
    }
    case 'notification.read':
      return markRead(state, event.data);
  }
}

/** A notification as the reader sees it: a sentence, and where it leads (if anywhere). */
export interface Described {
  text: string;
  href: string | null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function title(value: unknown, locale: string): string | null {
  return value && typeof value === 'object' ? text(localized(value as LocalizedText, locale)) : null;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | null {
  return allowed.includes(value as T) ? (value as T) : null;
}

const enc = encodeURIComponent;

/** Kinds the UI words; any other (or one with unexpected data) gets the generic sentence. */
const KINDS: Record<string, (data: Record<string, unknown>, t: Translate, locale: string) => Described | null> = {
  'member.role_changed': (d, t, locale) => {
    const slug = text(d.conference_slug);
    const conference = title(d.conference_title, locale);
    const role = oneOf(d.role, CONFERENCE_ROLES);
    if (!slug || !conference || !role) return null;
    return {
      text: t('notifications.role_changed', { values: { conference, role: t(`role.${role}`) } }),
      href: `/c/${enc(slug)}`,
    };
  },
  'session.assigned': (d, t, locale) => {
    const slug = text(d.conference_slug);
    const id = text(d.session_id);
    const session = title(d.session_title, locale);
    const role = oneOf(d.role, SESSION_ROLES);
    if (!slug || !id || !session || !role) return null;
    return {
      text: t('notifications.session_assigned', { values: { session, role: t(`session_role.${role}`) } }),
      href: `/c/${enc(slug)}/sessions/${enc(id)}`,
    };
  },
  // Where one's registration stands now (approved, waitlisted, offered a seat…).
  'registration.status': (d, t, locale) => {
    const slug = text(d.conference_slug);
    const conference = title(d.conference_title, locale);
    const status = oneOf(d.status, REGISTRATION_STATUSES);
    if (!slug || !conference || !status) return null;
    return {
      text: t(`notifications.registration_${status}`, { values: { conference } }),
      href: `/c/${enc(slug)}/register`,
    };
  },
  // A seat in a working group, freed by someone who withdrew: the board is open to them now.
  'workshop.seat': (d, t, locale) => {
    const session = title(d.title, locale);
    if (!session) return null;
    return { text: t('notifications.workshop_seat', { values: { session } }), href: sessionHref(d) };
  },
  // Someone on a working group's board needs a moderator.
  'workshop.call': (d, t) => {
    const name = text(d.by);
    if (!name) return null;
    return { text: t('notifications.workshop_call', { values: { name } }), href: sessionHref(d) };
  },
};

/** The session a notification is about, when its data names the conference too. */
function sessionHref(d: Record<string, unknown>): string | null {
  const slug = text(d.conference_slug);
  const id = text(d.session_id);
  return slug && id ? `/c/${enc(slug)}/sessions/${enc(id)}` : null;
}

export function describeNotification(n: Notification, t: Translate, locale: string): Described {
  const known = Object.hasOwn(KINDS, n.kind) ? KINDS[n.kind]!(n.data ?? {}, t, locale) : null;
  return known ?? { text: t('notifications.generic'), href: null };
}
