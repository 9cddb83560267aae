/**
 * The notification payloads on the wire (backend/src/realtime/notifications.rs), written by
 * hand until they are generated from the Rust types.
 */

export interface Notification {
  id: string;
  /** What happened, e.g. `member.role_changed`; `data` depends on it. */
  kind: string;
  data: Record<string, unknown>;
  read: boolean;
  /** RFC 3339 */
  at: string;
}

/** `notification.created` data. */
export interface NotificationCreated {
  notification: Notification;
  unread: number;
}

/** `notification.read` data, and the result of the `notification.read` / `notification.read_all` commands. */
export interface NotificationsRead {
  ids: string[];
  unread: number;
}
