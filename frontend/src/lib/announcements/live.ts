// Generated from backend/src/announcements/wire.rs by ts-rs. Do not edit.
// Regenerate: UPDATE_LIVE_TS=1 cargo test -p viaduc live_ts

export type AnnouncementCommand = { "name": "announcement.publish", "data": Publish } | { "name": "announcement.withdraw", "data": AnnouncementRef };

export type AnnouncementEvent = { "name": "announcement.published", "data": Announcement } | { "name": "announcement.withdrawn", "data": AnnouncementRef };

export type Announcement = { id: string, body: string, 
/**
 * `None` when the author's account is gone.
 */
author_name: string | null, 
/**
 * The session room it targets; `None`: everyone in the conference.
 */
room: string | null, at: string, };

export type Publish = { 
/**
 * 1 to 2,000 characters, trimmed.
 */
body: string, 
/**
 * A session room of this conference (`session:<id>`); absent: everyone.
 */
room?: string, };

export type AnnouncementRef = { id: string, };

export type AnnouncementsSnapshot = { 
/**
 * Oldest first.
 */
current: Array<Announcement>, };
