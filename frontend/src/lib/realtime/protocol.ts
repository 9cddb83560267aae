// Generated from backend/src/realtime/protocol.rs by ts-rs. Do not edit.
// Regenerate: UPDATE_PROTOCOL_TS=1 cargo test -p viaduc protocol_ts

import type { Conflict, FieldError } from '../api/errors';

export type ClientMsg = { "type": "subscribe", room: string, since?: number, epoch?: string, } | { "type": "unsubscribe", room: string, } | { "type": "command", id: string, room: string, name: string, data: unknown, };

export type ServerMsg = { "type": "ack", id: string, data: unknown, } | { "type": "error", id?: string, room?: string, code: ErrorCode, message: string, 
/**
 * For `validation`: what is wrong with each field of the command's `data`, with
 * the rule's code and parameters, as in the REST error body.
 */
fields?: Array<FieldError>, 
/**
 * For `conflict`: the clash's reason, as in the REST error body.
 */
conflict?: Conflict, 
/**
 * Sending the same command (same id) again later may succeed.
 */
retryable: boolean, } | { "type": "event", room: string, seq: number, name: string, data: unknown, } | { "type": "snapshot", room: string, epoch: string, seq: number, state: unknown, } | { "type": "subscribed", room: string, epoch: string, seq: number, recovered: boolean, roles: Array<string>, } | { "type": "unsubscribed", room: string, } | { "type": "presence", room: string, count: number, } | { "type": "signal", room: string, name: string, counts: Record<string, number>, };

export type ErrorCode = "bad_request" | "forbidden" | "not_found" | "validation" | "conflict" | "rate_limited" | "too_many_subscriptions" | "not_subscribed" | "unavailable" | "internal";

export type PresentPeople = { count: number, people: Array<PresentPerson>, };

export type PresentPerson = { user_id: string, display_name: string, };

export type Attendance = { here_now: number, came: number, people: Array<Attendee>, };

export type Attendee = { user_id: string, display_name: string, first_seen: string, 
/**
 * When they last left (for someone here now, when they last came back).
 */
last_seen: string, here: boolean, };

export const CloseCode = {
  GoingAway: 1001,
  Unsupported: 1003,
  Internal: 1011,
  Unauthorized: 4001,
  Slow: 4008,
  Idle: 4009,
} as const;
