//! The working groups' wire types: the board's commands, results, events and snapshot
//! part, and the seats' REST payloads. The TypeScript twin
//! (`frontend/src/lib/workshops/live.ts`) is generated from the live ones.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::text::LocalizedText;

/// A board command in a working group's room (`workshop:<session id>`):
/// `{"name": "board.add_note", "data": {...}}`. Participants write; facilitators (the
/// session's facilitators and moderators, the conference's moderators and organisers) also
/// arrange the board.
#[derive(Debug, Deserialize, TS)]
#[serde(tag = "name", content = "data")]
pub enum BoardCommand {
    /// Result: the new [`Note`].
    #[serde(rename = "board.add_note")]
    AddNote(NewNote),
    /// One's own note, or any note for facilitators. Result: the [`Note`] as changed.
    #[serde(rename = "board.edit_note")]
    EditNote(EditNote),
    /// One's own note, or any note for facilitators. Result: [`NoteRef`].
    #[serde(rename = "board.delete_note")]
    DeleteNote(NoteRef),
    /// Facilitators: into another section. Result: the [`Note`] as moved.
    #[serde(rename = "board.move_note")]
    MoveNote(MoveNote),
    /// Facilitators: colour, pin and group. Result: the [`Note`] as arranged.
    #[serde(rename = "board.arrange_note")]
    ArrangeNote(ArrangeNote),
    /// Facilitators: a duplicate joins another note, its text appended and its dots added
    /// (a person who dotted both keeps the larger number, the rest back to spend).
    /// Result: the [`Note`] kept.
    #[serde(rename = "board.merge_notes")]
    MergeNotes(MergeNotes),
    /// One dot on a note, while a round is open and dots are left. Result: [`Dotted`].
    #[serde(rename = "board.dot")]
    Dot(NoteRef),
    /// Takes one of one's dots on a note back. Result: [`Dotted`].
    #[serde(rename = "board.undot")]
    Undot(NoteRef),
    /// Facilitators: opens a dot-voting round. Result: [`BoardSettings`].
    #[serde(rename = "board.open_round")]
    OpenRound(OpenRound),
    /// Facilitators: closes the open round (its dots stay on the notes). Result: [`BoardSettings`].
    #[serde(rename = "board.close_round")]
    CloseRound(Empty),
    /// Proposes a keyword for the cloud (at most the board's allowance). Result: [`MyKeywords`].
    #[serde(rename = "board.propose_keyword")]
    ProposeKeyword(Keyword),
    /// Takes one's keyword back. Result: [`MyKeywords`].
    #[serde(rename = "board.withdraw_keyword")]
    WithdrawKeyword(Keyword),
    /// Facilitators. Result: [`SectionRef`].
    #[serde(rename = "board.add_section")]
    AddSection(NewSection),
    /// Facilitators: renames it and sets its prompt questions. Result: [`SectionRef`].
    #[serde(rename = "board.edit_section")]
    EditSection(EditSection),
    /// Facilitators: to another place in the order. Result: [`SectionRef`].
    #[serde(rename = "board.move_section")]
    MoveSection(MoveSection),
    /// Facilitators: the section and its notes. Result: [`SectionRef`].
    #[serde(rename = "board.remove_section")]
    RemoveSection(SectionRef),
    /// Facilitators: lock the board, let observers read. Result: [`BoardSettings`].
    #[serde(rename = "board.settings")]
    Settings(SettingsChange),
    /// Facilitators: a countdown on every screen (0 seconds clears it). Result: [`BoardSettings`].
    #[serde(rename = "board.timer")]
    Timer(SetTimer),
    /// Anyone on the board: tells the session's moderators someone needs them (once a
    /// minute). Result: [`Called`].
    #[serde(rename = "board.call_moderator")]
    CallModerator(Empty),
}

/// A durable change of a board, for everyone in its room.
#[derive(Debug, Serialize, TS)]
#[serde(tag = "name", content = "data")]
pub enum BoardEvent {
    /// A note appeared or changed: replace it by id.
    #[serde(rename = "board.note")]
    Note(Note),
    /// A note left the board (deleted, or merged into another).
    #[serde(rename = "board.note_removed")]
    NoteRemoved(NoteRemoved),
    /// Dot counts that changed.
    #[serde(rename = "board.dots")]
    Dots(DotCounts),
    /// The sections, in order (any change of one sends them all: there are at most 50).
    #[serde(rename = "board.sections")]
    Sections(Sections),
    #[serde(rename = "board.settings")]
    Settings(BoardSettings),
    /// The keyword cloud as it now stands.
    #[serde(rename = "board.keywords")]
    Keywords(KeywordCloud),
}

#[derive(Debug, Default, Deserialize, TS)]
pub struct Empty {}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
pub struct NoteRef {
    pub id: Uuid,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
pub struct SectionRef {
    pub id: Uuid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, sqlx::Type)]
#[sqlx(type_name = "note_colour", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum NoteColour {
    Yellow,
    Pink,
    Blue,
    Green,
    Orange,
    Purple,
}

#[derive(Debug, Deserialize, TS)]
pub struct NewNote {
    pub section_id: Uuid,
    /// 1 to 1,000 characters, trimmed.
    pub body: String,
    /// The language it is written in (ISO 639-1); the author's UI language by default.
    pub language: String,
    #[serde(default)]
    #[ts(optional)]
    pub colour: Option<NoteColour>,
}

#[derive(Debug, Deserialize, TS)]
pub struct EditNote {
    pub id: Uuid,
    /// 1 to 1,000 characters, trimmed.
    pub body: String,
    pub language: String,
    /// The note's version the edit was made on: if someone changed it since, this edit
    /// still wins (the later write) and the event names whose text it replaced.
    pub version: i32,
}

#[derive(Debug, Deserialize, TS)]
pub struct MoveNote {
    pub id: Uuid,
    pub section_id: Uuid,
}

#[derive(Debug, Deserialize, TS)]
pub struct ArrangeNote {
    pub id: Uuid,
    pub colour: NoteColour,
    pub pinned: bool,
    /// A group label (1 to 60 characters), or none.
    pub group_label: Option<String>,
}

#[derive(Debug, Deserialize, TS)]
pub struct MergeNotes {
    /// The duplicate, which leaves the board.
    pub id: Uuid,
    /// The note kept.
    pub into: Uuid,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Person {
    pub id: Uuid,
    pub name: String,
}

/// A sticky note.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Note {
    pub id: Uuid,
    pub section_id: Uuid,
    /// `None` once the author's account is gone.
    pub author: Option<Person>,
    pub body: String,
    pub language: String,
    pub colour: NoteColour,
    pub pinned: bool,
    pub group_label: Option<String>,
    /// Bumped by every change of its text.
    pub version: i32,
    /// Who last changed its text, when not its author.
    pub edited_by: Option<Person>,
    /// The person whose concurrent edit this version replaced (they are told).
    pub overwrote: Option<Uuid>,
    /// Dots from every round.
    pub dots: i64,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, TS)]
pub struct NoteRemoved {
    pub id: Uuid,
    /// The note it joined, when merged.
    pub merged_into: Option<Uuid>,
}

#[derive(Debug, Serialize, TS)]
pub struct NoteDots {
    pub id: Uuid,
    pub dots: i64,
}

/// Dot counts that changed, and the dots left in the open round of the people whose
/// allowance changed (a vote, or dots given back by a deleted or merged note).
#[derive(Debug, Serialize, TS)]
pub struct DotCounts {
    pub notes: Vec<NoteDots>,
    pub voters: Vec<VoterDots>,
}

#[derive(Debug, Serialize, TS)]
pub struct VoterDots {
    pub user_id: Uuid,
    pub remaining: i64,
}

/// One's dot on a note, as it stands after the command.
#[derive(Debug, Serialize, TS)]
pub struct Dotted {
    pub id: Uuid,
    /// The note's dots, all rounds.
    pub dots: i64,
    /// One's own dots on this note in the open round.
    pub mine: i64,
    /// One's dots left to spend in the open round.
    pub remaining: i64,
}

#[derive(Debug, Deserialize, TS)]
pub struct OpenRound {
    /// Dots per person, 1 to 20.
    pub dots: i16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, sqlx::Type)]
#[sqlx(type_name = "board_section_kind", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    /// Sticky notes.
    Notes,
    /// The keyword cloud.
    Keywords,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Section {
    pub id: Uuid,
    pub kind: SectionKind,
    #[ts(type = "Record<string, string>")]
    pub title: LocalizedText,
    /// Prompt questions, each in several languages.
    #[ts(type = "Array<Record<string, string>>")]
    pub prompts: Vec<LocalizedText>,
}

#[derive(Debug, Serialize, TS)]
pub struct Sections {
    pub sections: Vec<Section>,
}

#[derive(Debug, Deserialize, TS)]
pub struct NewSection {
    /// Per language, each 1 to 200 characters.
    #[ts(type = "Record<string, string>")]
    pub title: LocalizedText,
    #[serde(default)]
    #[ts(optional)]
    pub kind: Option<SectionKind>,
}

#[derive(Debug, Deserialize, TS)]
pub struct EditSection {
    pub id: Uuid,
    #[ts(type = "Record<string, string>")]
    pub title: LocalizedText,
    /// At most 10, each text at most 500 characters.
    #[ts(type = "Array<Record<string, string>>")]
    pub prompts: Vec<LocalizedText>,
}

#[derive(Debug, Deserialize, TS)]
pub struct MoveSection {
    pub id: Uuid,
    /// Its new place, from 0.
    pub position: i32,
}

#[derive(Debug, Deserialize, TS)]
pub struct SettingsChange {
    pub locked: bool,
    pub observers: bool,
    /// Keywords each participant may propose, 1 to 20.
    pub keywords_per_person: i16,
}

#[derive(Debug, Deserialize, TS)]
pub struct SetTimer {
    /// From now; 0 clears the timer. At most 4 hours.
    pub seconds: i32,
    #[serde(default)]
    #[ts(optional)]
    pub label: Option<String>,
}

/// An open dot-voting round.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Round {
    pub id: Uuid,
    pub dots: i16,
    pub opened_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Timer {
    pub ends_at: DateTime<Utc>,
    pub label: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct BoardSettings {
    pub locked: bool,
    pub observers: bool,
    pub keywords_per_person: i16,
    /// The open dot-voting round, if any.
    pub round: Option<Round>,
    pub timer: Option<Timer>,
}

#[derive(Debug, Deserialize, TS)]
pub struct Keyword {
    /// 1 to 40 characters, trimmed.
    pub word: String,
}

/// A word of the cloud: its most common spelling and how many people proposed it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CloudWord {
    pub word: String,
    pub folded: String,
    pub people: i64,
}

#[derive(Debug, Serialize, TS)]
pub struct KeywordCloud {
    /// Most proposed first.
    pub words: Vec<CloudWord>,
}

#[derive(Debug, Serialize, TS)]
pub struct MyKeywords {
    /// As one wrote them, folded.
    pub folded: Vec<String>,
}

#[derive(Debug, Serialize, TS)]
pub struct Called {
    /// How many moderators were told.
    pub moderators: i64,
}

/// What one viewer has of their own on the board.
#[derive(Debug, Serialize, TS)]
pub struct Mine {
    /// Dots left in the open round.
    pub remaining_dots: Option<i64>,
    /// One's dots per note in the open round.
    pub dots: Vec<NoteDots>,
    /// One's keywords, folded.
    pub keywords: Vec<String>,
}

/// The workshop room's `board` part.
#[derive(Debug, Serialize, TS)]
pub struct BoardSnapshot {
    pub settings: BoardSettings,
    pub sections: Vec<Section>,
    pub notes: Vec<Note>,
    pub cloud: KeywordCloud,
    pub mine: Mine,
}

// Seats: REST, and their event.

/// In the working group's session room (where its chat is): its seats changed, so screens
/// read them again (one's place on the waitlist is one's own).
#[derive(Debug, Serialize, TS)]
#[serde(tag = "name", content = "data")]
pub enum SeatsEvent {
    #[serde(rename = "workshop.seats")]
    Changed(SeatCounts),
}

#[derive(Debug, Serialize, TS)]
pub struct SeatCounts {
    pub seated: i64,
    pub waitlisted: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, sqlx::Type)]
#[sqlx(type_name = "seat_status", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum SeatStatus {
    Seated,
    Waitlisted,
}

/// One's own place in a working group.
#[derive(Debug, Serialize, ToSchema)]
pub struct MySeat {
    pub status: SeatStatus,
    /// On the waitlist: 1 for the next one promoted.
    pub position: Option<i64>,
}

/// Someone with a seat or on the waitlist, as the facilitators see them.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeatHolder {
    pub user_id: Uuid,
    pub name: String,
    pub organisation: Option<String>,
    pub country: Option<String>,
    pub status: SeatStatus,
    pub queued_at: DateTime<Utc>,
}

/// A working group's seats.
#[derive(Debug, Serialize, ToSchema)]
pub struct Seats {
    /// `None`: no limit.
    pub capacity: Option<i32>,
    pub seated: i64,
    pub waitlisted: i64,
    /// One's own seat or place on the waitlist, if any.
    pub mine: Option<MySeat>,
    /// Whether one may enter the board without a seat (facilitators, moderators,
    /// organisers), or read it as an observer.
    pub runs_it: bool,
    pub observers: bool,
    /// Everyone seated and waiting, in order: for those who run it only.
    pub people: Option<Vec<SeatHolder>>,
}

/// The TypeScript declarations of the live types, dependencies first.
pub fn typescript_decls() -> Vec<String> {
    use crate::realtime::feature::ts_config;
    let cfg = ts_config();
    vec![
        Empty::decl(&cfg),
        NoteRef::decl(&cfg),
        SectionRef::decl(&cfg),
        NoteColour::decl(&cfg),
        NewNote::decl(&cfg),
        EditNote::decl(&cfg),
        MoveNote::decl(&cfg),
        ArrangeNote::decl(&cfg),
        MergeNotes::decl(&cfg),
        OpenRound::decl(&cfg),
        Keyword::decl(&cfg),
        SectionKind::decl(&cfg),
        NewSection::decl(&cfg),
        EditSection::decl(&cfg),
        MoveSection::decl(&cfg),
        SettingsChange::decl(&cfg),
        SetTimer::decl(&cfg),
        BoardCommand::decl(&cfg),
        Person::decl(&cfg),
        Note::decl(&cfg),
        NoteRemoved::decl(&cfg),
        NoteDots::decl(&cfg),
        VoterDots::decl(&cfg),
        DotCounts::decl(&cfg),
        Dotted::decl(&cfg),
        Section::decl(&cfg),
        Sections::decl(&cfg),
        Round::decl(&cfg),
        Timer::decl(&cfg),
        BoardSettings::decl(&cfg),
        CloudWord::decl(&cfg),
        KeywordCloud::decl(&cfg),
        MyKeywords::decl(&cfg),
        Called::decl(&cfg),
        BoardEvent::decl(&cfg),
        Mine::decl(&cfg),
        BoardSnapshot::decl(&cfg),
        SeatCounts::decl(&cfg),
        SeatsEvent::decl(&cfg),
    ]
}
