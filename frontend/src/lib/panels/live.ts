// Generated from backend/src/panels/wire.rs by ts-rs. Do not edit.
// Regenerate: UPDATE_LIVE_TS=1 cargo test -p viaduc live_ts

export type QaCommand = { "name": "qa.ask", "data": AskQuestion } | { "name": "qa.upvote", "data": QuestionRef } | { "name": "qa.unvote", "data": QuestionRef } | { "name": "qa.approve", "data": QuestionRef } | { "name": "qa.hide", "data": QuestionRef } | { "name": "qa.answering", "data": QuestionRef } | { "name": "qa.answered", "data": QuestionRef } | { "name": "qa.edit", "data": EditQuestion } | { "name": "qa.merge", "data": MergeQuestions } | { "name": "qa.premoderation", "data": Premoderation };

export type QaEvent = { "name": "qa.question", "data": PublicQuestion } | { "name": "qa.removed", "data": QuestionRef } | { "name": "qa.votes", "data": VoteCounts } | { "name": "qa.premoderation", "data": Premoderation };

export type BackstageEvent = { "name": "qa.moderated", "data": ModeratedQuestion } | { "name": "qa.votes", "data": VoteCounts } | { "name": "qa.premoderation", "data": Premoderation };

export type QuestionStatus = "pending" | "approved" | "answering" | "answered" | "hidden" | "merged";

export type AskQuestion = { 
/**
 * 1 to 500 characters, trimmed.
 */
body: string, 
/**
 * The language it is written in (ISO 639-1, such as `fr`).
 */
language: string, 
/**
 * Other attendees do not see who asked (moderators do).
 */
anonymous?: boolean, };

export type QuestionRef = { id: string, };

export type EditQuestion = { id: string, 
/**
 * 1 to 500 characters, trimmed.
 */
body: string, };

export type MergeQuestions = { 
/**
 * The duplicate, which leaves the list.
 */
id: string, 
/**
 * The question kept.
 */
into: string, };

export type Premoderation = { on: boolean, };

export type Vote = { id: string, voted: boolean, 
/**
 * The count after this vote; everyone else sees it with the next [`VoteCounts`].
 */
votes: number, };

export type VoteCounts = { counts: Array<VoteCount>, };

export type VoteCount = { id: string, votes: number, };

export type PublicQuestion = { id: string, body: string, language: string, 
/**
 * `None` for an anonymous question.
 */
author_id: string | null, author_name: string | null, status: QuestionStatus, edited: boolean, votes: number, asked_at: string, };

export type ModeratedQuestion = { id: string, body: string, language: string, author_id: string, author_name: string, anonymous: boolean, status: QuestionStatus, edited: boolean, merged_into: string | null, votes: number, asked_at: string, };

export type QaSnapshot = { premoderation: boolean, 
/**
 * Approved, being answered and answered questions, and the viewer's own pending ones;
 * oldest first.
 */
questions: Array<PublicQuestion>, 
/**
 * The questions the viewer upvoted.
 */
voted: Array<string>, 
/**
 * The viewer's own questions (an anonymous one shows no author, even to them).
 */
mine: Array<string>, };

export type BackstageSnapshot = { premoderation: boolean, questions: Array<ModeratedQuestion>, };
