//! The synthesis' wire types: its live commands, results, events and snapshot part in a
//! working group's room, and the Outcomes page's REST payloads. The TypeScript twin of the
//! live ones (`frontend/src/lib/workshops/synthesis/live.ts`) is generated from them.
//! Yjs updates travel as base64 text inside the JSON frames.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::text::LocalizedText;
use crate::workshops::wire::{Empty, Person};

/// A synthesis command in a working group's room (`workshop:<session id>`):
/// `{"name": "synthesis.edit", "data": {...}}`. The facilitators (who hold `moderator`)
/// and the rapporteurs they name write; everyone in the room reads.
#[derive(Debug, Deserialize, TS)]
#[serde(tag = "name", content = "data")]
pub enum SynthesisCommand {
    /// Writers: one's local edits, as one encoded Yjs update (several merged are fine; the
    /// same one twice changes nothing). Result: [`Edited`].
    #[serde(rename = "synthesis.edit")]
    Edit(Edit),
    /// Facilitators: fills an empty document from the board (sections in order, notes by
    /// dots, the keyword cloud, who took part), worded in `language`. Result: [`Edited`].
    #[serde(rename = "synthesis.prefill")]
    Prefill(Prefill),
    /// Facilitators: the rapporteurs, replacing the list (seated participants or the
    /// session's people). Result: [`Rapporteurs`].
    #[serde(rename = "synthesis.rapporteurs")]
    Rapporteurs(NameRapporteurs),
    /// Facilitators: freezes the document as the next published version. Result: [`Version`].
    #[serde(rename = "synthesis.publish")]
    Publish(Empty),
    /// Facilitators, read-only: who may be named rapporteur. Result: [`Candidates`].
    #[serde(rename = "synthesis.candidates")]
    Candidates(Empty),
}

/// A durable change of the synthesis.
#[derive(Debug, Serialize, TS)]
#[serde(tag = "name", content = "data")]
pub enum SynthesisEvent {
    /// Someone's edits: apply the update to the local document (again is harmless).
    #[serde(rename = "synthesis.updated")]
    Updated(DocumentUpdate),
    /// The rapporteurs now.
    #[serde(rename = "synthesis.rapporteurs")]
    Rapporteurs(Rapporteurs),
    /// A version was published.
    #[serde(rename = "synthesis.published")]
    Published(Version),
}

#[derive(Debug, Deserialize, TS)]
pub struct Edit {
    /// A Yjs update (lib0 v1 encoding), base64; at most 32 KiB decoded.
    pub update: String,
}

#[derive(Debug, Deserialize, TS)]
pub struct Prefill {
    /// The language of the headings and words (ISO 639-1); English when Viaduc does not
    /// speak it. Section titles come in it when they have it.
    pub language: String,
}

#[derive(Debug, Deserialize, TS)]
pub struct NameRapporteurs {
    /// At most 10 people.
    pub user_ids: Vec<Uuid>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct DocumentUpdate {
    /// A Yjs update, base64.
    pub update: String,
    /// Who made it (a writer's edits, or the pre-fill by a facilitator).
    pub by: Uuid,
}

/// The document after an edit.
#[derive(Debug, Clone, Copy, Serialize, TS)]
pub struct Edited {
    /// Its encoded size; at most 256 KiB.
    pub bytes: i64,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Rapporteurs {
    pub rapporteurs: Vec<Person>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Candidates {
    /// The seated participants and the session's people, by name.
    pub people: Vec<Person>,
}

/// A published version, without its text (the Outcomes page has it).
#[derive(Debug, Clone, Serialize, TS, ToSchema)]
pub struct Version {
    /// 1, 2, 3… per working group.
    pub number: i32,
    pub published_at: DateTime<Utc>,
    pub published_by: String,
}

/// The synthesis' part of a working group room's snapshot.
#[derive(Debug, Serialize, TS)]
pub struct SynthesisSnapshot {
    /// The whole document as one Yjs update, base64: apply it to the local document (local
    /// edits not yet sent survive; send what the server lacks).
    pub state: String,
    pub rapporteurs: Vec<Person>,
    /// Oldest first.
    pub versions: Vec<Version>,
}

/// A published version with its text.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublishedVersion {
    #[serde(flatten)]
    pub version: Version,
    pub markdown: String,
}

/// One working group on the Outcomes page, with its latest published version.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupOutcome {
    pub session_id: Uuid,
    pub title: LocalizedText,
    pub starts_at: DateTime<Utc>,
    /// How many versions were published.
    pub versions: i32,
    pub latest: PublishedVersion,
}

/// A conference's Outcomes page.
#[derive(Debug, Serialize, ToSchema)]
pub struct Outcomes {
    /// Readable without logging in (the organisers' choice).
    pub public: bool,
    /// The working groups that published a synthesis, in programme order.
    pub groups: Vec<GroupOutcome>,
}

/// Every published version of one working group's synthesis, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupVersions {
    pub session_id: Uuid,
    pub title: LocalizedText,
    pub versions: Vec<PublishedVersion>,
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"public": true}))]
pub struct OutcomesVisibility {
    /// Anyone with the link may read the published syntheses, without logging in.
    pub public: bool,
}

/// The live types, as TypeScript declarations.
pub fn typescript_decls() -> Vec<String> {
    use crate::realtime::feature::ts_config;
    let cfg = ts_config();
    vec![
        SynthesisCommand::decl(&cfg),
        SynthesisEvent::decl(&cfg),
        Edit::decl(&cfg),
        Prefill::decl(&cfg),
        NameRapporteurs::decl(&cfg),
        Empty::decl(&cfg),
        DocumentUpdate::decl(&cfg),
        Edited::decl(&cfg),
        Person::decl(&cfg),
        Rapporteurs::decl(&cfg),
        Candidates::decl(&cfg),
        Version::decl(&cfg),
        SynthesisSnapshot::decl(&cfg),
    ]
}
