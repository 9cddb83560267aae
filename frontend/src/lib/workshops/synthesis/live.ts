// Generated from backend/src/workshops/synthesis/wire.rs by ts-rs. Do not edit.
// Regenerate: UPDATE_LIVE_TS=1 cargo test -p viaduc live_ts

export type SynthesisCommand = { "name": "synthesis.edit", "data": Edit } | { "name": "synthesis.prefill", "data": Prefill } | { "name": "synthesis.rapporteurs", "data": NameRapporteurs } | { "name": "synthesis.publish", "data": Empty } | { "name": "synthesis.candidates", "data": Empty };

export type SynthesisEvent = { "name": "synthesis.updated", "data": DocumentUpdate } | { "name": "synthesis.rapporteurs", "data": Rapporteurs } | { "name": "synthesis.published", "data": Version };

export type Edit = { 
/**
 * A Yjs update (lib0 v1 encoding), base64; at most 32 KiB decoded.
 */
update: string, };

export type Prefill = { 
/**
 * The language of the headings and words (ISO 639-1); English when Viaduc does not
 * speak it. Section titles come in it when they have it.
 */
language: string, };

export type NameRapporteurs = { 
/**
 * At most 10 people.
 */
user_ids: Array<string>, };

export type Empty = Record<symbol, never>;

export type DocumentUpdate = { 
/**
 * A Yjs update, base64.
 */
update: string, 
/**
 * Who made it (a writer's edits, or the pre-fill by a facilitator).
 */
by: string, };

export type Edited = { 
/**
 * Its encoded size; at most 256 KiB.
 */
bytes: number, };

export type Person = { id: string, name: string, };

export type Rapporteurs = { rapporteurs: Array<Person>, };

export type Candidates = { 
/**
 * The seated participants and the session's people, by name.
 */
people: Array<Person>, };

export type Version = { 
/**
 * 1, 2, 3… per working group.
 */
number: number, published_at: string, published_by: string, };

export type SynthesisSnapshot = { 
/**
 * The whole document as one Yjs update, base64: apply it to the local document (local
 * edits not yet sent survive; send what the server lacks).
 */
state: string, rapporteurs: Array<Person>, 
/**
 * Oldest first.
 */
versions: Array<Version>, };
