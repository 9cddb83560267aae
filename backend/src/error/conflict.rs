//! Why a change clashes with the current state: each clash's stable reason, the limit it
//! names if any, and its English wording. The UI words it by `reason` (and `max`) in the
//! reader's language; the English is the fallback for clients that do not know a reason.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// A clash, as the server reports it (`error.conflict`, also in `error` frames).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
pub struct Conflict {
    pub reason: ConflictReason,
    /// The limit reached, for the reasons that name one (`too_many_…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub max: Option<i64>,
}

/// Which clash. Stable: clients translate by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum ConflictReason {
    /// Demoting or removing the conference's last organiser.
    LastOrganiser,
    /// A command id sent again with another command.
    CommandIdReused,
    // Panels: questions.
    TooManyQuestions,
    AlreadyUpvoted,
    NotUpvoted,
    QuestionAnswered,
    OnlyPendingApproved,
    QuestionHidden,
    OnlyListedAnswering,
    OnlyListedAnswered,
    MergedQuestionFixed,
    MergeIntoItself,
    MergeTarget,
    // Panels: polls.
    TooManyPolls,
    OnlyDraftEdited,
    OnlyDraftOpened,
    OnlyOpenClosed,
    PollClosed,
    PollAnswered,
    // Panels: hands.
    HandAlreadyRaised,
    HandNotRaised,
    NotInvited,
    OnlyRaisedInvited,
    // Awards.
    TooManyElections,
    ElectionClosed,
    OnlyClosingTimeWhileVoting,
    NotTheNextPhase,
    TooFewCandidates,
    EmptyRoll,
    NominationsClosed,
    TooManyNominations,
    NominationsFixed,
    VotingNotOpen,
    RollNotFrozen,
    ShortlistFixed,
    ShortlistNotOpen,
    TooManyCandidates,
    BoardNotPublished,
    // Working groups.
    BoardLocked,
    TooManySections,
    TooManyNotes,
    KeywordsSectionTakesNoNotes,
    MergedNoteTooLong,
    NoVotingRound,
    VotingRoundOpen,
    NoDotsLeft,
    NoDotOnNote,
    TooManyKeywords,
    KeywordAlreadyProposed,
    ModeratorCalledRecently,
    // Working groups: the synthesis.
    SynthesisTooLarge,
    SynthesisNotEmpty,
    SynthesisEmpty,
    SynthesisUnchanged,
    TooManyVersions,
    RapporteurNotInGroup,
    // Registrations.
    ConferenceFull,
    AlreadyRegistered,
    AlreadyMember,
    RegistrationRejected,
    NoOffer,
    DecisionNotAllowed,
    CapacityBelowTaken,
    DelegationSeatsBeyondCapacity,
    DelegationSeatsInUse,
    // Accounts.
    LinkExpired,
}

impl Conflict {
    pub fn new(reason: ConflictReason) -> Self {
        Conflict { reason, max: None }
    }

    /// A clash with the limit `max` (of polls, questions, candidates…).
    pub fn over(reason: ConflictReason, max: impl TryInto<i64>) -> Self {
        Conflict {
            reason,
            max: max.try_into().ok(),
        }
    }
}

impl std::fmt::Display for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use ConflictReason::*;
        let max = self.max.unwrap_or_default();
        let english = match self.reason {
            LastOrganiser => "a conference needs at least one organiser",
            CommandIdReused => "this command id was used for another command",
            TooManyQuestions => {
                return write!(
                    f,
                    "at most {max} of your questions can wait or be listed at once"
                )
            }
            AlreadyUpvoted => "you already upvoted this question",
            NotUpvoted => "you have not upvoted this question",
            QuestionAnswered => "this question was already answered",
            OnlyPendingApproved => "only a question waiting for approval can be approved",
            QuestionHidden => "this question is already hidden or merged",
            OnlyListedAnswering => "only a listed question can be answered now",
            OnlyListedAnswered => "only a listed question can be marked answered",
            MergedQuestionFixed => "a merged question cannot be edited",
            MergeIntoItself => "nothing can be merged into itself",
            MergeTarget => "only a question on the list can take a duplicate, and a merged one cannot be merged again",
            TooManyPolls => return write!(f, "a session has at most {max} polls"),
            OnlyDraftEdited => "only a draft poll can be edited",
            OnlyDraftOpened => "only a draft poll can be opened",
            OnlyOpenClosed => "only an open poll can be closed",
            PollClosed => "this poll is closed",
            PollAnswered => "you already answered this poll",
            HandAlreadyRaised => "your hand is already raised",
            HandNotRaised => "your hand is not raised",
            NotInvited => "nobody invited you to speak",
            OnlyRaisedInvited => "only a raised hand can be invited",
            TooManyElections => return write!(f, "a conference holds at most {max} elections"),
            ElectionClosed => "a closed election cannot be changed",
            OnlyClosingTimeWhileVoting => "while voting is open, only the closing time can change",
            NotTheNextPhase => "an election can only move to its next phase",
            TooFewCandidates => "voting needs at least two candidates on the shortlist",
            EmptyRoll => "nobody is on the roll: the conference has no attendees",
            NominationsClosed => "nominations are closed",
            TooManyNominations => {
                return write!(f, "one person may make at most {max} nominations")
            }
            NominationsFixed => "nominations are fixed once voting has opened",
            VotingNotOpen => "voting is not open",
            RollNotFrozen => "the roll is frozen when voting opens",
            ShortlistFixed => "the shortlist is fixed once voting has opened",
            ShortlistNotOpen => "move the election on to the shortlist first",
            TooManyCandidates => return write!(f, "an election has at most {max} candidates"),
            BoardNotPublished => "the board is published with the result, at the reveal",
            BoardLocked => "the facilitator has locked this board",
            TooManySections => return write!(f, "a board has at most {max} sections"),
            TooManyNotes => return write!(f, "one person may have at most {max} notes on a board"),
            KeywordsSectionTakesNoNotes => "this section holds the keyword cloud, not notes",
            MergedNoteTooLong => {
                return write!(f, "the two notes together would be longer than {max} characters")
            }
            NoVotingRound => "no dot-voting round is open",
            VotingRoundOpen => "a dot-voting round is already open",
            NoDotsLeft => "you have no dots left in this round",
            NoDotOnNote => "you have no dot on this note in this round",
            TooManyKeywords => return write!(f, "you may propose at most {max} keywords"),
            KeywordAlreadyProposed => "you already proposed this keyword",
            ModeratorCalledRecently => "you called a moderator less than a minute ago",
            SynthesisTooLarge => return write!(f, "the synthesis may be at most {max} bytes long"),
            SynthesisNotEmpty => "the synthesis already has text: only an empty one is pre-filled",
            SynthesisEmpty => "an empty synthesis cannot be published",
            SynthesisUnchanged => "the synthesis has not changed since its last published version",
            TooManyVersions => return write!(f, "a synthesis has at most {max} published versions"),
            RapporteurNotInGroup => {
                "rapporteurs are chosen among the people seated in the working group and the session's people"
            }
            ConferenceFull => "no seat is free: the conference is full",
            AlreadyRegistered => "you are already registered for this conference",
            AlreadyMember => "you are already a member of this conference",
            RegistrationRejected => "the organisers declined this registration",
            NoOffer => "no seat is on offer to you, or the offer ran out",
            DecisionNotAllowed => "a cancelled registration cannot be decided on, and only the registrant takes an offer",
            CapacityBelowTaken => "the capacity cannot be below the seats taken and held for delegations",
            DelegationSeatsBeyondCapacity => "the conference's free seats cannot hold this many delegation seats",
            DelegationSeatsInUse => "a delegation cannot have fewer seats than its members use",
            LinkExpired => "this link was used already or has expired: ask for a new one",
        };
        f.write_str(english)
    }
}
