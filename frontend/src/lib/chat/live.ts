// Generated from backend/src/chat/wire.rs by ts-rs. Do not edit.
// Regenerate: UPDATE_LIVE_TS=1 cargo test -p viaduc live_ts

export type ChatCommand = { "name": "chat.send", "data": SendMessage } | { "name": "chat.delete", "data": MessageRef } | { "name": "chat.hide", "data": MessageRef } | { "name": "chat.slow_mode", "data": SlowMode } | { "name": "chat.mute", "data": Mute } | { "name": "chat.unmute", "data": Unmuted } | { "name": "chat.history", "data": HistoryRequest };

export type ChatEvent = { "name": "chat.sent", "data": ChatMessage } | { "name": "chat.deleted", "data": MessageRef } | { "name": "chat.hidden", "data": MessageRef } | { "name": "chat.slow_mode", "data": SlowMode } | { "name": "chat.muted", "data": Muted } | { "name": "chat.unmuted", "data": Unmuted };

export type ChatMessage = { id: string, author_id: string, author_name: string, body: string, 
/**
 * Hidden by a moderator (only moderators still see it).
 */
hidden: boolean, at: string, };

export type SendMessage = { 
/**
 * 1 to 2,000 characters, trimmed.
 */
body: string, };

export type MessageRef = { id: string, };

export type SlowMode = { 
/**
 * Seconds between two messages of one person, 0 to 3,600.
 */
seconds: number, };

export type Mute = { user_id: string, 
/**
 * 1 to 43,200 (30 days); a day when absent.
 */
minutes?: number, };

export type Muted = { user_id: string, until: string, };

export type Unmuted = { user_id: string, };

export type HistoryRequest = { 
/**
 * Messages before this one (default: the latest).
 */
before?: string, 
/**
 * 1 to 100 (default 50).
 */
limit?: number, };

export type HistoryPage = { 
/**
 * Newest first.
 */
messages: Array<ChatMessage>, 
/**
 * Older messages remain.
 */
more: boolean, };

export type ChatSnapshot = { 
/**
 * The latest page, oldest first.
 */
messages: Array<ChatMessage>, slow_mode_secs: number, 
/**
 * For moderators: who is muted now (to unmute them after a reload).
 */
muted?: Array<string>, };
