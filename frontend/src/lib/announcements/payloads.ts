/**
 * The announcement payloads on the wire (backend/src/realtime/announcements.rs), written by
 * hand until they are generated from the Rust types.
 */

/** One current announcement: `announcement.published` data, and each entry of the snapshot. */
export interface Announcement {
  id: string;
  body: string;
  /** `null` when the author's account is gone. */
  author_name: string | null;
  /** RFC 3339 */
  at: string;
}

/** `announcement.withdrawn` data. */
export interface AnnouncementWithdrawn {
  id: string;
}

/** `announcement.publish` data: `room` absent for everyone in the conference, else `session:<id>`. */
export interface PublishAnnouncement {
  body: string;
  room?: string;
}
