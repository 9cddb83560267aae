// Generated from backend/src/notifications/wire.rs by ts-rs. Do not edit.
// Regenerate: UPDATE_LIVE_TS=1 cargo test -p viaduc live_ts

export type NotificationCommand = { "name": "notification.read", "data": NotificationRef } | { "name": "notification.read_all", "data": ReadAll };

export type ReadAll = Record<symbol, never>;

export type NotificationEvent = { "name": "notification.created", "data": Created } | { "name": "notification.read", "data": ReadNotifications };

export type Notification = { id: string, 
/**
 * What happened, e.g. `member.role_changed`; the client words it from `data`.
 */
kind: string, data: Record<string, unknown>, read: boolean, at: string, };

export type Created = { notification: Notification, unread: number, };

export type NotificationRef = { id: string, };

export type ReadNotifications = { 
/**
 * The notifications that became read.
 */
ids: Array<string>, unread: number, };

export type NotificationsSnapshot = { 
/**
 * The latest 30, newest first.
 */
latest: Array<Notification>, unread: number, };
