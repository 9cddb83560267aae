// Generated from backend/src/workshops/wire.rs by ts-rs. Do not edit.
// Regenerate: UPDATE_LIVE_TS=1 cargo test -p viaduc live_ts

export type Empty = Record<symbol, never>;

export type NoteRef = { id: string, };

export type SectionRef = { id: string, };

export type NoteColour = "yellow" | "pink" | "blue" | "green" | "orange" | "purple";

export type NewNote = { section_id: string, 
/**
 * 1 to 1,000 characters, trimmed.
 */
body: string, 
/**
 * The language it is written in (ISO 639-1); the author's UI language by default.
 */
language: string, colour?: NoteColour, };

export type EditNote = { id: string, 
/**
 * 1 to 1,000 characters, trimmed.
 */
body: string, language: string, 
/**
 * The note's version the edit was made on: if someone changed it since, this edit
 * still wins (the later write) and the event names whose text it replaced.
 */
version: number, };

export type MoveNote = { id: string, section_id: string, };

export type ArrangeNote = { id: string, colour: NoteColour, pinned: boolean, 
/**
 * A group label (1 to 60 characters), or none.
 */
group_label: string | null, };

export type MergeNotes = { 
/**
 * The duplicate, which leaves the board.
 */
id: string, 
/**
 * The note kept.
 */
into: string, };

export type OpenRound = { 
/**
 * Dots per person, 1 to 20.
 */
dots: number, };

export type Keyword = { 
/**
 * 1 to 40 characters, trimmed.
 */
word: string, };

export type SectionKind = "notes" | "keywords";

export type NewSection = { 
/**
 * Per language, each 1 to 200 characters.
 */
title: Record<string, string>, kind?: SectionKind, };

export type EditSection = { id: string, title: Record<string, string>, 
/**
 * At most 10, each text at most 500 characters.
 */
prompts: Array<Record<string, string>>, };

export type MoveSection = { id: string, 
/**
 * Its new place, from 0.
 */
position: number, };

export type SettingsChange = { locked: boolean, observers: boolean, 
/**
 * Keywords each participant may propose, 1 to 20.
 */
keywords_per_person: number, };

export type SetTimer = { 
/**
 * From now; 0 clears the timer. At most 4 hours.
 */
seconds: number, label?: string, };

export type BoardCommand = { "name": "board.add_note", "data": NewNote } | { "name": "board.edit_note", "data": EditNote } | { "name": "board.delete_note", "data": NoteRef } | { "name": "board.move_note", "data": MoveNote } | { "name": "board.arrange_note", "data": ArrangeNote } | { "name": "board.merge_notes", "data": MergeNotes } | { "name": "board.dot", "data": NoteRef } | { "name": "board.undot", "data": NoteRef } | { "name": "board.open_round", "data": OpenRound } | { "name": "board.close_round", "data": Empty } | { "name": "board.propose_keyword", "data": Keyword } | { "name": "board.withdraw_keyword", "data": Keyword } | { "name": "board.add_section", "data": NewSection } | { "name": "board.edit_section", "data": EditSection } | { "name": "board.move_section", "data": MoveSection } | { "name": "board.remove_section", "data": SectionRef } | { "name": "board.settings", "data": SettingsChange } | { "name": "board.timer", "data": SetTimer } | { "name": "board.call_moderator", "data": Empty };

export type Person = { id: string, name: string, };

export type Note = { id: string, section_id: string, 
/**
 * `None` once the author's account is gone.
 */
author: Person | null, body: string, language: string, colour: NoteColour, pinned: boolean, group_label: string | null, 
/**
 * Bumped by every change of its text.
 */
version: number, 
/**
 * Who last changed its text, when not its author.
 */
edited_by: Person | null, 
/**
 * The person whose concurrent edit this version replaced (they are told).
 */
overwrote: string | null, 
/**
 * Dots from every round.
 */
dots: number, created_at: string, };

export type NoteRemoved = { id: string, 
/**
 * The note it joined, when merged.
 */
merged_into: string | null, };

export type NoteDots = { id: string, dots: number, };

export type VoterDots = { user_id: string, remaining: number, };

export type DotCounts = { notes: Array<NoteDots>, voters: Array<VoterDots>, };

export type Dotted = { id: string, 
/**
 * The note's dots, all rounds.
 */
dots: number, 
/**
 * One's own dots on this note in the open round.
 */
mine: number, 
/**
 * One's dots left to spend in the open round.
 */
remaining: number, };

export type Section = { id: string, kind: SectionKind, title: Record<string, string>, 
/**
 * Prompt questions, each in several languages.
 */
prompts: Array<Record<string, string>>, };

export type Sections = { sections: Array<Section>, };

export type Round = { id: string, dots: number, opened_at: string, };

export type Timer = { ends_at: string, label: string | null, };

export type BoardSettings = { locked: boolean, observers: boolean, keywords_per_person: number, 
/**
 * The open dot-voting round, if any.
 */
round: Round | null, timer: Timer | null, };

export type CloudWord = { word: string, folded: string, people: number, };

export type KeywordCloud = { 
/**
 * Most proposed first.
 */
words: Array<CloudWord>, };

export type MyKeywords = { 
/**
 * As one wrote them, folded.
 */
folded: Array<string>, };

export type Called = { 
/**
 * How many moderators were told.
 */
moderators: number, };

export type BoardEvent = { "name": "board.note", "data": Note } | { "name": "board.note_removed", "data": NoteRemoved } | { "name": "board.dots", "data": DotCounts } | { "name": "board.sections", "data": Sections } | { "name": "board.settings", "data": BoardSettings } | { "name": "board.keywords", "data": KeywordCloud };

export type Mine = { 
/**
 * Dots left in the open round.
 */
remaining_dots: number | null, 
/**
 * One's dots per note in the open round.
 */
dots: Array<NoteDots>, 
/**
 * One's keywords, folded.
 */
keywords: Array<string>, };

export type BoardSnapshot = { settings: BoardSettings, sections: Array<Section>, notes: Array<Note>, cloud: KeywordCloud, mine: Mine, };

export type SeatCounts = { seated: number, waitlisted: number, };

export type SeatsEvent = { "name": "workshop.seats", "data": SeatCounts };
