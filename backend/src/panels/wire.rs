//! The panels' wire types: the stage's, Q&A's, the polls' and the hands' commands and their results,
//! their events, their snapshot parts, and the reactions. The TypeScript twin (`frontend/src/lib/panels/live.ts`) is generated from them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// A Q&A command in a session's room: `{"name": "qa.ask", "data": {...}}`. Moderators'
/// commands may be sent in the session's room or its backstage.
#[derive(Debug, Deserialize, TS)]
#[serde(tag = "name", content = "data")]
pub enum QaCommand {
    /// Result: the new [`PublicQuestion`]; pending when pre-moderation is on.
    #[serde(rename = "qa.ask")]
    Ask(AskQuestion),
    /// Result: [`Vote`].
    #[serde(rename = "qa.upvote")]
    Upvote(QuestionRef),
    /// Takes one's upvote back. Result: [`Vote`].
    #[serde(rename = "qa.unvote")]
    Unvote(QuestionRef),
    /// Moderators: a pending question is shown to everyone. Result: [`QuestionRef`].
    #[serde(rename = "qa.approve")]
    Approve(QuestionRef),
    /// Moderators: taken off the list (any status). Result: [`QuestionRef`].
    #[serde(rename = "qa.hide")]
    Hide(QuestionRef),
    /// Moderators: the one now being answered (the previous one becomes answered).
    /// Result: [`QuestionRef`].
    #[serde(rename = "qa.answering")]
    Answering(QuestionRef),
    /// Moderators. Result: [`QuestionRef`].
    #[serde(rename = "qa.answered")]
    Answered(QuestionRef),
    /// Moderators: corrects a question's text; it shows as edited. Result: [`QuestionRef`].
    #[serde(rename = "qa.edit")]
    Edit(EditQuestion),
    /// Moderators: a duplicate joins another question, with its votes (a person who voted
    /// for both counts once). Result: [`QuestionRef`] of the question kept.
    #[serde(rename = "qa.merge")]
    Merge(MergeQuestions),
    /// Moderators: new questions wait for approval, or not. Result: [`Premoderation`].
    #[serde(rename = "qa.premoderation")]
    Premoderation(Premoderation),
}

/// A durable change of a session's Q&A. In the session's room questions appear as
/// [`PublicQuestion`]s (no author for an anonymous one, never a pending or hidden one); in
/// its backstage as [`ModeratedQuestion`]s.
#[derive(Debug, Serialize, TS)]
#[serde(tag = "name", content = "data")]
pub enum QaEvent {
    /// A question appeared or changed: replace it by id.
    #[serde(rename = "qa.question")]
    Question(PublicQuestion),
    /// A question left the list (hidden, or merged into another).
    #[serde(rename = "qa.removed")]
    Removed(QuestionRef),
    /// The latest upvote counts, coalesced (a few events per second at most).
    #[serde(rename = "qa.votes")]
    Votes(VoteCounts),
    #[serde(rename = "qa.premoderation")]
    Premoderation(Premoderation),
}

/// A durable change in a session's backstage (its moderators' room).
#[derive(Debug, Serialize, TS)]
#[serde(tag = "name", content = "data")]
pub enum BackstageEvent {
    /// A question appeared or changed (any status): replace it by id.
    #[serde(rename = "qa.moderated")]
    Question(ModeratedQuestion),
    #[serde(rename = "qa.votes")]
    Votes(VoteCounts),
    #[serde(rename = "qa.premoderation")]
    Premoderation(Premoderation),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, sqlx::Type)]
#[sqlx(type_name = "question_status", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum QuestionStatus {
    /// Waits for a moderator (pre-moderation); only its author and moderators see it.
    Pending,
    Approved,
    /// Being answered now (one at a time).
    Answering,
    Answered,
    Hidden,
    /// Joined another question.
    Merged,
}

#[derive(Debug, Deserialize, TS)]
pub struct AskQuestion {
    /// 1 to 500 characters, trimmed.
    pub body: String,
    /// The language it is written in (ISO 639-1, such as `fr`).
    pub language: String,
    /// Other attendees do not see who asked (moderators do).
    #[serde(default)]
    #[ts(optional)]
    pub anonymous: Option<bool>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
pub struct QuestionRef {
    pub id: Uuid,
}

#[derive(Debug, Deserialize, TS)]
pub struct EditQuestion {
    pub id: Uuid,
    /// 1 to 500 characters, trimmed.
    pub body: String,
}

#[derive(Debug, Deserialize, TS)]
pub struct MergeQuestions {
    /// The duplicate, which leaves the list.
    pub id: Uuid,
    /// The question kept.
    pub into: Uuid,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
pub struct Premoderation {
    pub on: bool,
}

/// One's own upvote of a question, as it stands after the command.
#[derive(Debug, Clone, Copy, Serialize, TS)]
pub struct Vote {
    pub id: Uuid,
    pub voted: bool,
    /// The count after this vote; everyone else sees it with the next [`VoteCounts`].
    pub votes: i64,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct VoteCounts {
    pub counts: Vec<VoteCount>,
}

#[derive(Debug, Clone, Copy, Serialize, TS)]
pub struct VoteCount {
    pub id: Uuid,
    pub votes: i64,
}

/// A question as attendees see it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PublicQuestion {
    pub id: Uuid,
    pub body: String,
    pub language: String,
    /// `None` for an anonymous question.
    pub author_id: Option<Uuid>,
    pub author_name: Option<String>,
    pub status: QuestionStatus,
    pub edited: bool,
    pub votes: i64,
    pub asked_at: DateTime<Utc>,
}

/// A question as moderators see it: with its author, also when anonymous.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ModeratedQuestion {
    pub id: Uuid,
    pub body: String,
    pub language: String,
    pub author_id: Uuid,
    pub author_name: String,
    pub anonymous: bool,
    pub status: QuestionStatus,
    pub edited: bool,
    pub merged_into: Option<Uuid>,
    pub votes: i64,
    pub asked_at: DateTime<Utc>,
}

/// Q&A's part of a session room's snapshot.
#[derive(Debug, Serialize, TS)]
pub struct QaSnapshot {
    pub premoderation: bool,
    /// Approved, being answered and answered questions, and the viewer's own pending ones;
    /// oldest first.
    pub questions: Vec<PublicQuestion>,
    /// The questions the viewer upvoted.
    pub voted: Vec<Uuid>,
    /// The viewer's own questions (an anonymous one shows no author, even to them).
    pub mine: Vec<Uuid>,
}

/// Q&A's part of a backstage snapshot: every question, oldest first.
#[derive(Debug, Serialize, TS)]
pub struct BackstageSnapshot {
    pub premoderation: bool,
    pub questions: Vec<ModeratedQuestion>,
}

/// A poll command in a session's room: `{"name": "poll.answer", "data": {...}}`. All but
/// `poll.answer` are the moderators'; they may be sent in the session's room or its backstage.
#[derive(Debug, Deserialize, TS)]
#[serde(tag = "name", content = "data")]
pub enum PollCommand {
    /// A draft, seen only backstage until opened. Result: [`PollRef`].
    #[serde(rename = "poll.create")]
    Create(PollDraft),
    /// A draft's question and options. Result: [`PollRef`].
    #[serde(rename = "poll.edit")]
    Edit(EditPoll),
    /// Result: [`PollRef`].
    #[serde(rename = "poll.delete")]
    Delete(PollRef),
    /// A draft appears for everyone. Result: [`PollRef`].
    #[serde(rename = "poll.open")]
    Open(PollRef),
    /// No more answers; the results stay as they are. Result: [`PollRef`].
    #[serde(rename = "poll.close")]
    Close(PollRef),
    /// Everyone sees the result bars, or not. Result: [`PollRef`].
    #[serde(rename = "poll.results")]
    Results(ShowResults),
    /// Anyone, while the poll is open. Result: [`PollAnswer`].
    #[serde(rename = "poll.answer")]
    Answer(PollAnswer),
}

/// A durable change of a session's polls. The session's room sees open and closed polls
/// (their counts only while the results are shown); the backstage sees drafts too, and
/// every count.
#[derive(Debug, Serialize, TS)]
#[serde(tag = "name", content = "data")]
pub enum PollEvent {
    /// A poll appeared or changed: replace it by id.
    #[serde(rename = "poll.poll")]
    Poll(Poll),
    #[serde(rename = "poll.removed")]
    Removed(PollRef),
    /// The latest counts, coalesced (a few events per second at most).
    #[serde(rename = "poll.counts")]
    Counts(PollCounts),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, sqlx::Type)]
#[sqlx(type_name = "poll_status", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum PollStatus {
    Draft,
    Open,
    Closed,
}

#[derive(Debug, Deserialize, TS)]
pub struct PollDraft {
    /// 1 to 300 characters.
    pub question: String,
    /// 2 to 10 options of 1 to 200 characters each.
    pub options: Vec<String>,
    /// Several options may be chosen.
    #[serde(default)]
    #[ts(optional)]
    pub multiple: Option<bool>,
    /// An answer may be changed until the poll closes.
    #[serde(default)]
    #[ts(optional)]
    pub changeable: Option<bool>,
}

#[derive(Debug, Deserialize, TS)]
pub struct EditPoll {
    pub id: Uuid,
    #[serde(flatten)]
    pub draft: PollDraft,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
pub struct PollRef {
    pub id: Uuid,
}

#[derive(Debug, Clone, Copy, Deserialize, TS)]
pub struct ShowResults {
    pub id: Uuid,
    pub shown: bool,
}

/// One's answer: the positions of the options chosen (one for a single-choice poll).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct PollAnswer {
    pub id: Uuid,
    pub choices: Vec<i16>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Poll {
    pub id: Uuid,
    pub question: String,
    /// In their order; a choice is an index into them.
    pub options: Vec<String>,
    pub multiple: bool,
    pub changeable: bool,
    pub status: PollStatus,
    pub results_shown: bool,
    /// How many people answered.
    pub answers: i64,
    /// Per option, how many chose it; `None` while the results are hidden (to attendees).
    pub counts: Option<Vec<i64>>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct PollCounts {
    pub id: Uuid,
    pub answers: i64,
    /// `None` while the results are hidden (to attendees).
    pub counts: Option<Vec<i64>>,
}

/// The polls' part of a snapshot: open and closed polls (and drafts, backstage), oldest
/// first, and the viewer's own answers.
#[derive(Debug, Serialize, TS)]
pub struct PollSnapshot {
    pub polls: Vec<Poll>,
    pub mine: Vec<PollAnswer>,
}

/// A stage command of the session's moderators: `{"name": "stage.set", "data": {...}}`.
#[derive(Debug, Deserialize, TS)]
#[serde(tag = "name", content = "data")]
pub enum StageCommand {
    /// The live state on every screen. Result: [`Stage`].
    #[serde(rename = "stage.set")]
    Set(SetStage),
    /// The pinned message (none to unpin). Result: [`Stage`].
    #[serde(rename = "stage.pin")]
    Pin(PinMessage),
    /// The rule of the one stage queue (approved questions and raised hands, in order).
    /// Result: [`QueueRule`].
    #[serde(rename = "stage.fairness")]
    Fairness(QueueRule),
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct QueueRule {
    /// People who have not had the floor yet come first.
    pub fair: bool,
}

/// A durable change of the stage queue, in the session's backstage.
#[derive(Debug, Serialize, TS)]
#[serde(tag = "name", content = "data")]
pub enum StageBackstageEvent {
    #[serde(rename = "stage.rule")]
    Rule(QueueRule),
    /// Someone had the floor for the first time in the session: their question is being
    /// answered, or they were invited to speak.
    #[serde(rename = "stage.heard")]
    Heard(Heard),
}

#[derive(Debug, Serialize, TS)]
pub struct Heard {
    pub user_id: Uuid,
}

/// The stage's part of a backstage snapshot: the queue's rule and who had the floor.
#[derive(Debug, Serialize, TS)]
pub struct StageBackstage {
    pub fair: bool,
    pub heard: Vec<Uuid>,
}

/// A durable change of a session's stage.
#[derive(Debug, Serialize, TS)]
#[serde(tag = "name", content = "data")]
pub enum StageEvent {
    #[serde(rename = "stage.changed")]
    Changed(Stage),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, sqlx::Type)]
#[sqlx(type_name = "stage_state", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum StageState {
    /// Not started: screens count down to the session's start.
    Upcoming,
    Live,
    /// A pause, with its message.
    Break,
    Ended,
}

#[derive(Debug, Deserialize, TS)]
pub struct SetStage {
    pub state: StageState,
    /// For a break: 1 to 300 characters ("back at 11:00"); ignored otherwise.
    #[serde(default)]
    #[ts(optional)]
    pub message: Option<String>,
}

#[derive(Debug, Deserialize, TS)]
pub struct PinMessage {
    /// 1 to 500 characters; absent or empty unpins.
    #[serde(default)]
    #[ts(optional)]
    pub text: Option<String>,
}

/// The stage as every screen shows it (what `stage.changed` carries).
#[derive(Debug, Clone, Serialize, TS)]
pub struct Stage {
    pub state: StageState,
    pub break_message: Option<String>,
    pub pinned: Option<String>,
}

/// The stage's part of the session room's snapshot: the stage and its stream.
#[derive(Debug, Serialize, TS)]
pub struct StageView {
    #[serde(flatten)]
    pub stage: Stage,
    /// The stream, as the session's stream URL is shown (none without one).
    pub embed: Option<super::embed::Embed>,
}

/// A hand-raise command in a session's room: `{"name": "hand.raise", "data": {}}`.
/// `hand.invite`, `hand.dismiss`, `hand.lower_all` and `hand.set_link` are the moderators'.
#[derive(Debug, Deserialize, TS)]
#[serde(tag = "name", content = "data")]
pub enum HandCommand {
    /// Joins the queue. Result: [`OwnHand`].
    #[serde(rename = "hand.raise")]
    Raise(NoData),
    /// Leaves the queue (also an invitation one no longer takes). Result: [`OwnHand`].
    #[serde(rename = "hand.lower")]
    Lower(NoData),
    /// The invited person takes the invitation to speak. Result: [`OwnHand`].
    #[serde(rename = "hand.accept")]
    Accept(NoData),
    /// Read-only, for an invited person (and moderators): the speakers' room.
    /// Result: [`SpeakersLink`].
    #[serde(rename = "hand.link")]
    Link(NoData),
    /// Moderators: invites a raised hand to speak. Result: [`HandRef`].
    #[serde(rename = "hand.invite")]
    Invite(HandRef),
    /// Moderators: takes a hand off the queue. Result: [`HandRef`].
    #[serde(rename = "hand.dismiss")]
    Dismiss(HandRef),
    /// Moderators: lowers every hand. Result: [`HandQueue`] (empty).
    #[serde(rename = "hand.lower_all")]
    LowerAll(NoData),
    /// Moderators: where invited speakers join; none removes it. Result: [`SpeakersLink`].
    #[serde(rename = "hand.set_link")]
    SetLink(SpeakersLink),
}

/// A command without data.
#[derive(Debug, Default, Deserialize, TS)]
pub struct NoData {}

/// A durable change of the hand queue: the whole queue to the backstage, and to each person
/// concerned their own hand in their `user:` room (never one event per hand to everyone).
#[derive(Debug, Serialize, TS)]
#[serde(tag = "name", content = "data")]
pub enum HandEvent {
    /// Backstage: the queue as it now is.
    #[serde(rename = "hand.queue")]
    Queue(HandQueue),
    /// In the person's own room: their hand in a session.
    #[serde(rename = "hand.mine")]
    Mine(OwnHand),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, sqlx::Type)]
#[sqlx(type_name = "hand_status", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum HandStatus {
    Raised,
    /// A moderator invited them to speak.
    Invited,
    /// They took the invitation.
    Accepted,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
pub struct HandRef {
    pub user_id: Uuid,
}

/// One's own hand in a session: `status` is `None` when it is down.
#[derive(Debug, Clone, Copy, Serialize, TS)]
pub struct OwnHand {
    pub session_id: Uuid,
    pub status: Option<HandStatus>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct RaisedHand {
    pub user_id: Uuid,
    pub name: String,
    pub status: HandStatus,
    pub raised_at: DateTime<Utc>,
}

/// The queue, in the order hands were raised.
#[derive(Debug, Clone, Serialize, TS)]
pub struct HandQueue {
    pub hands: Vec<RaisedHand>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SpeakersLink {
    /// An http(s) address of at most 2,000 characters.
    #[serde(default)]
    #[ts(optional)]
    pub url: Option<String>,
}

/// The hands' part of a snapshot: one's own hand in the session room; the queue and the
/// speakers' link backstage.
#[derive(Debug, Serialize, TS)]
pub struct HandSnapshot {
    pub mine: Option<HandStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub queue: Option<Vec<RaisedHand>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub speakers_url: Option<String>,
}

/// A reaction command in a session's room: `{"name": "reaction.send", "data": {"reaction":
/// "clap"}}`. Reactions are ephemeral: screens receive `signal` frames named
/// `reaction.burst`, whose counts are keyed by [`Reaction`].
#[derive(Debug, Deserialize, TS)]
#[serde(tag = "name", content = "data")]
pub enum ReactionCommand {
    /// Result: [`ReactionSent`].
    #[serde(rename = "reaction.send")]
    Send(SendReaction),
}

/// The fixed set of reactions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Reaction {
    Clap,
    Heart,
    Laugh,
    Thinking,
    ThumbsUp,
}

#[derive(Debug, Deserialize, TS)]
pub struct SendReaction {
    pub reaction: Reaction,
}

#[derive(Debug, Serialize, TS)]
pub struct ReactionSent {
    /// False when the same person had already sent this reaction in the current half
    /// second: counted once.
    pub counted: bool,
}

/// The declarations of the generated module.
pub fn typescript_decls() -> Vec<String> {
    use crate::realtime::feature::ts_config;
    let cfg = ts_config();
    vec![
        QaCommand::decl(&cfg),
        QaEvent::decl(&cfg),
        BackstageEvent::decl(&cfg),
        QuestionStatus::decl(&cfg),
        AskQuestion::decl(&cfg),
        QuestionRef::decl(&cfg),
        EditQuestion::decl(&cfg),
        MergeQuestions::decl(&cfg),
        Premoderation::decl(&cfg),
        Vote::decl(&cfg),
        VoteCounts::decl(&cfg),
        VoteCount::decl(&cfg),
        PublicQuestion::decl(&cfg),
        ModeratedQuestion::decl(&cfg),
        QaSnapshot::decl(&cfg),
        BackstageSnapshot::decl(&cfg),
        PollCommand::decl(&cfg),
        PollEvent::decl(&cfg),
        PollStatus::decl(&cfg),
        PollDraft::decl(&cfg),
        EditPoll::decl(&cfg),
        PollRef::decl(&cfg),
        ShowResults::decl(&cfg),
        PollAnswer::decl(&cfg),
        Poll::decl(&cfg),
        PollCounts::decl(&cfg),
        PollSnapshot::decl(&cfg),
        StageCommand::decl(&cfg),
        StageEvent::decl(&cfg),
        StageState::decl(&cfg),
        SetStage::decl(&cfg),
        PinMessage::decl(&cfg),
        Stage::decl(&cfg),
        StageView::decl(&cfg),
        QueueRule::decl(&cfg),
        StageBackstageEvent::decl(&cfg),
        Heard::decl(&cfg),
        StageBackstage::decl(&cfg),
        super::embed::Embed::decl(&cfg),
        HandCommand::decl(&cfg),
        NoData::decl(&cfg),
        HandEvent::decl(&cfg),
        HandStatus::decl(&cfg),
        HandRef::decl(&cfg),
        OwnHand::decl(&cfg),
        RaisedHand::decl(&cfg),
        HandQueue::decl(&cfg),
        SpeakersLink::decl(&cfg),
        HandSnapshot::decl(&cfg),
        ReactionCommand::decl(&cfg),
        Reaction::decl(&cfg),
        SendReaction::decl(&cfg),
        ReactionSent::decl(&cfg),
    ]
}
