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

export type PollCommand = { "name": "poll.create", "data": PollDraft } | { "name": "poll.edit", "data": EditPoll } | { "name": "poll.delete", "data": PollRef } | { "name": "poll.open", "data": PollRef } | { "name": "poll.close", "data": PollRef } | { "name": "poll.results", "data": ShowResults } | { "name": "poll.answer", "data": PollAnswer };

export type PollEvent = { "name": "poll.poll", "data": Poll } | { "name": "poll.removed", "data": PollRef } | { "name": "poll.counts", "data": PollCounts };

export type PollStatus = "draft" | "open" | "closed";

export type PollDraft = { 
/**
 * 1 to 300 characters.
 */
question: string, 
/**
 * 2 to 10 options of 1 to 200 characters each.
 */
options: Array<string>, 
/**
 * Several options may be chosen.
 */
multiple?: boolean, 
/**
 * An answer may be changed until the poll closes.
 */
changeable?: boolean, };

export type EditPoll = { id: string, 
/**
 * 1 to 300 characters.
 */
question: string, 
/**
 * 2 to 10 options of 1 to 200 characters each.
 */
options: Array<string>, 
/**
 * Several options may be chosen.
 */
multiple?: boolean, 
/**
 * An answer may be changed until the poll closes.
 */
changeable?: boolean, };

export type PollRef = { id: string, };

export type ShowResults = { id: string, shown: boolean, };

export type PollAnswer = { id: string, choices: Array<number>, };

export type Poll = { id: string, question: string, 
/**
 * In their order; a choice is an index into them.
 */
options: Array<string>, multiple: boolean, changeable: boolean, status: PollStatus, results_shown: boolean, 
/**
 * How many people answered.
 */
answers: number, 
/**
 * Per option, how many chose it; `None` while the results are hidden (to attendees).
 */
counts: Array<number> | null, };

export type PollCounts = { id: string, answers: number, 
/**
 * `None` while the results are hidden (to attendees).
 */
counts: Array<number> | null, };

export type PollSnapshot = { polls: Array<Poll>, mine: Array<PollAnswer>, };

export type StageCommand = { "name": "stage.set", "data": SetStage } | { "name": "stage.pin", "data": PinMessage } | { "name": "stage.fairness", "data": QueueRule };

export type StageEvent = { "name": "stage.changed", "data": Stage };

export type StageState = "upcoming" | "live" | "break" | "ended";

export type SetStage = { state: StageState, 
/**
 * For a break: 1 to 300 characters ("back at 11:00"); ignored otherwise.
 */
message?: string, };

export type PinMessage = { 
/**
 * 1 to 500 characters; absent or empty unpins.
 */
text?: string, };

export type Stage = { state: StageState, break_message: string | null, pinned: string | null, };

export type StageView = { 
/**
 * The stream, as the session's stream URL is shown (none without one).
 */
embed: Embed | null, state: StageState, break_message: string | null, pinned: string | null, };

export type QueueRule = { 
/**
 * People who have not had the floor yet come first.
 */
fair: boolean, };

export type StageBackstageEvent = { "name": "stage.rule", "data": QueueRule } | { "name": "stage.heard", "data": Heard };

export type Heard = { user_id: string, };

export type StageBackstage = { fair: boolean, heard: Array<string>, };

export type Embed = { "kind": "frame", src: string, media: boolean, } | { "kind": "hls", src: string, } | { "kind": "link", href: string, };

export type HandCommand = { "name": "hand.raise", "data": NoData } | { "name": "hand.lower", "data": NoData } | { "name": "hand.accept", "data": NoData } | { "name": "hand.link", "data": NoData } | { "name": "hand.invite", "data": HandRef } | { "name": "hand.dismiss", "data": HandRef } | { "name": "hand.lower_all", "data": NoData } | { "name": "hand.set_link", "data": SpeakersLink };

export type NoData = Record<symbol, never>;

export type HandEvent = { "name": "hand.queue", "data": HandQueue } | { "name": "hand.mine", "data": OwnHand };

export type HandStatus = "raised" | "invited" | "accepted";

export type HandRef = { user_id: string, };

export type OwnHand = { session_id: string, status: HandStatus | null, };

export type RaisedHand = { user_id: string, name: string, status: HandStatus, raised_at: string, };

export type HandQueue = { hands: Array<RaisedHand>, };

export type SpeakersLink = { 
/**
 * An http(s) address of at most 2,000 characters.
 */
url?: string, };

export type HandSnapshot = { mine: HandStatus | null, queue?: Array<RaisedHand>, speakers_url?: string, };

export type ReactionCommand = { "name": "reaction.send", "data": SendReaction };

export type Reaction = "clap" | "heart" | "laugh" | "thinking" | "thumbs_up";

export type SendReaction = { reaction: Reaction, };

export type ReactionSent = { 
/**
 * False when the same person had already sent this reaction in the current half
 * second: counted once.
 */
counted: boolean, };
