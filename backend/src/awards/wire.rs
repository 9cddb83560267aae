//! The election's wire types: the REST bodies (in the OpenAPI document) and the live
//! snapshot part and events of the conference room (their TypeScript twin,
//! `frontend/src/lib/awards/live.ts`, is generated). The result crosses both.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::text::LocalizedText;

/// Longest nominee's or candidate's name, cluster and organisation, in characters.
pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_COUNTRY_CHARS: usize = 100;
/// Longest nomination statement, in characters.
pub const MAX_STATEMENT_CHARS: usize = 1_500;

/// Where an election stands; it only moves forward.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    ToSchema,
    TS,
    sqlx::Type,
)]
#[sqlx(type_name = "election_phase", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Attendees nominate cluster managers.
    Nominations,
    /// Organisers pick and present the candidates.
    Shortlist,
    /// The roll is frozen; people on it vote.
    Voting,
    /// No more ballots; the count is done and hidden.
    Closed,
    /// Everyone sees the result; the board is public.
    Revealed,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS, sqlx::Type, Default,
)]
#[sqlx(type_name = "election_method", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// One choice each; most votes wins.
    #[default]
    Plurality,
    /// A ranking each, counted by instant run-off.
    Ranked,
}

/// An election as organisers set it up.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"title": {"en": "European Cluster Manager of the Year", "fr": "Manager de cluster européen de l'année"},
    "description": {}, "method": "plurality", "opens_at": null, "closes_at": null}))]
pub struct ElectionInput {
    #[schema(schema_with = crate::text::title_schema)]
    pub title: LocalizedText,
    #[serde(default)]
    #[schema(schema_with = crate::text::description_schema)]
    pub description: LocalizedText,
    #[serde(default)]
    pub method: Method,
    /// Voting opens by itself at this time (from the shortlist).
    #[serde(default)]
    pub opens_at: Option<DateTime<Utc>>,
    /// Voting closes by itself at this time.
    #[serde(default)]
    pub closes_at: Option<DateTime<Utc>>,
}

/// An election as a member sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Election {
    pub id: Uuid,
    pub title: LocalizedText,
    pub description: LocalizedText,
    pub method: Method,
    pub phase: Phase,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    /// The shortlist (empty during nominations).
    pub candidates: Vec<Candidate>,
    /// People on the roll, from the opening of the vote.
    pub roll_size: Option<i64>,
    /// How many of them have voted, from the opening of the vote; never partial results.
    pub turnout: Option<i64>,
    /// The caller is on the roll.
    pub on_roll: bool,
    /// The caller has voted.
    pub voted: bool,
    /// Once revealed.
    pub result: Option<ElectionResult>,
    /// The hash of the audit chain's last entry: a screen that keeps the one it saw at the
    /// close can check that the published board's chain still holds it.
    pub audit_head: String,
}

/// A phase to move to: the next one.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"phase": "voting"}))]
pub struct PhaseChange {
    pub phase: Phase,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Candidate {
    pub id: Uuid,
    pub name: String,
    pub cluster: String,
    pub organisation: String,
    pub country: String,
    pub photo_url: Option<String>,
    pub statement: LocalizedText,
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"nomination_id": null, "name": "Ana Peeters", "cluster": "Flanders Photonics",
    "organisation": "Photonics Vlaanderen", "country": "BE", "photo_url": null,
    "statement": {"en": "Built the first cross-border photonics pilot line.", "fr": "A monté la première ligne pilote transfrontalière."}}))]
pub struct CandidateInput {
    /// The nomination this candidate comes from, if any.
    #[serde(default)]
    pub nomination_id: Option<Uuid>,
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub cluster: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub organisation: String,
    #[serde(default)]
    #[schema(max_length = 100)]
    pub country: String,
    /// An http(s) address; none shows the initials.
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub photo_url: Option<String>,
    /// At most 1,500 characters per language.
    #[serde(default)]
    #[schema(schema_with = statement_schema)]
    pub statement: LocalizedText,
}

fn statement_schema() -> utoipa::openapi::schema::Schema {
    crate::text::text_schema(MAX_STATEMENT_CHARS)
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"name": "Ana Peeters", "cluster": "Flanders Photonics", "organisation": "Photonics Vlaanderen",
    "country": "BE", "statement": "She opened our cluster to three neighbouring regions."}))]
pub struct NominationInput {
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub cluster: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub organisation: String,
    #[serde(default)]
    #[schema(max_length = 100)]
    pub country: String,
    #[serde(default)]
    #[schema(max_length = 1500)]
    pub statement: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Nomination {
    pub id: Uuid,
    pub name: String,
    pub cluster: String,
    pub organisation: String,
    pub country: String,
    pub statement: String,
    /// This nomination and those merged into it.
    pub supporters: i64,
    /// The caller made it, or one merged into it.
    pub mine: bool,
    /// Who nominated (organisers only).
    pub nominated_by: Option<String>,
}

/// Merges a duplicate nomination into another.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"into": "0b5cdbb5-6f0e-4a59-9d55-2d1e0c7a51f3"}))]
pub struct MergeInto {
    pub into: Uuid,
}

/// The frozen electoral roll.
#[derive(Debug, Serialize, ToSchema)]
pub struct Roll {
    pub size: i64,
    pub voters: Vec<RollEntry>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RollEntry {
    pub user_id: Uuid,
    pub display_name: String,
}

/// A ballot: candidates in order of preference (exactly one for plurality), and the
/// SHA-256 of the receipt code the voter's browser made (the code itself never leaves it).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"ranking": ["0b5cdbb5-6f0e-4a59-9d55-2d1e0c7a51f3"],
    "receipt_hash": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}))]
pub struct BallotInput {
    #[schema(min_items = 1, max_items = 50)]
    pub ranking: Vec<Uuid>,
    #[schema(pattern = "^[0-9a-f]{64}$")]
    pub receipt_hash: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BallotRecorded {
    pub receipt_hash: String,
}

/// The count of an election, round by round (one round for plurality).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, TS)]
pub struct ElectionResult {
    pub method: Method,
    pub ballots: i64,
    /// None without ballots.
    pub winner: Option<Uuid>,
    /// A tie (for the win or an elimination) was broken by the lot.
    pub tie_broken_by_lot: bool,
    pub rounds: Vec<Round>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, TS)]
pub struct Round {
    /// The continuing candidates, most votes first.
    pub counts: Vec<CandidateVotes>,
    /// Who this round eliminated (none in the deciding round).
    pub eliminated: Option<Uuid>,
    /// Ballots with no continuing candidate left.
    pub exhausted: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, TS)]
pub struct CandidateVotes {
    pub candidate_id: Uuid,
    pub votes: i64,
}

/// The public bulletin board of a revealed election: every ballot by its receipt hash,
/// the result and the audit chain. `viaduc election verify` checks one.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Board {
    /// `viaduc-election-board/1`.
    pub format: String,
    pub election: BoardElection,
    /// Sorted by receipt hash.
    pub ballots: Vec<BoardBallot>,
    pub result: ElectionResult,
    pub audit: Vec<AuditEntry>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BoardElection {
    pub id: Uuid,
    /// The conference's slug.
    pub conference: String,
    pub title: LocalizedText,
    pub method: Method,
    pub roll_size: i64,
    pub candidates: Vec<CandidateName>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, TS)]
pub struct CandidateName {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BoardBallot {
    pub receipt_hash: String,
    pub ranking: Vec<Uuid>,
}

/// One entry of the hash chain: `hash = sha256(prev_hash || body)`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AuditEntry {
    pub seq: i32,
    /// The entry as JSON text, verbatim: `{"seq", "election", "at", "actor", "action", "detail"}`,
    /// `actor` being `{"id", "name"}` of who acted (null for the schedule).
    pub body: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The conference room's `election` part: its elections as every screen follows them.
#[derive(Debug, Serialize, TS)]
pub struct ElectionsSnapshot {
    pub elections: Vec<ElectionLive>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ElectionLive {
    pub id: Uuid,
    #[ts(type = "Record<string, string>")]
    pub title: LocalizedText,
    pub phase: Phase,
    pub method: Method,
    pub roll_size: Option<i64>,
    pub turnout: Option<i64>,
    pub result: Option<ElectionResult>,
    pub candidates: Vec<CandidateName>,
    /// The hash of the audit chain's last entry, as every screen saw it.
    pub audit_head: String,
}

/// What the conference room hears of its elections.
#[derive(Debug, Serialize, TS)]
#[serde(tag = "name", content = "data")]
pub enum ElectionEvent {
    /// An election appeared or moved on — its reveal is this one event, carrying the result.
    #[serde(rename = "election.changed")]
    Changed(ElectionLive),
    /// How many have voted, at most once a second while voting is open.
    #[serde(rename = "election.turnout")]
    Turnout(Turnout),
}

#[derive(Debug, Serialize, TS)]
pub struct Turnout {
    pub id: Uuid,
    pub turnout: i64,
    pub roll_size: i64,
}

pub fn typescript_decls() -> Vec<String> {
    use crate::realtime::feature::ts_config;
    let cfg = ts_config();
    vec![
        ElectionEvent::decl(&cfg),
        ElectionsSnapshot::decl(&cfg),
        ElectionLive::decl(&cfg),
        Turnout::decl(&cfg),
        Phase::decl(&cfg),
        Method::decl(&cfg),
        ElectionResult::decl(&cfg),
        Round::decl(&cfg),
        CandidateVotes::decl(&cfg),
        CandidateName::decl(&cfg),
    ]
}
