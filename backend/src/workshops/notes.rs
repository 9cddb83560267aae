//! Sticky notes: participants add, edit and delete their own; facilitators edit, move,
//! arrange (colour, pin, group) and merge any. Two edits of one note made at once: the
//! later (by the room's seq) wins, and its event names whose text it replaced, so that
//! person is told.

use sqlx::PgConnection;
use uuid::Uuid;

use super::wire::{
    ArrangeNote, BoardEvent, EditNote, MergeNotes, MoveNote, NewNote, Note, NoteColour, NoteRef,
    NoteRemoved, Person, SectionKind,
};
use super::{dots, require_facilitator, require_unlocked, require_writer, sections, workshop_room};
use crate::error::{AppError, AppResult, ConflictReason, Problem};
use crate::realtime::feature::{bounded_text, CommandCtx};
use crate::realtime::log::EventTx;
use crate::realtime::room::MODERATOR;
use crate::text::is_language_code;

pub const MAX_NOTE_CHARS: usize = 1000;
/// Notes one person may have on one board (also the `board_authors` constraint).
const MAX_NOTES_PER_PERSON: i64 = 200;
const MAX_GROUP_LABEL_CHARS: usize = 60;

/// A note's columns, names and dots, before it becomes a [`Note`].
struct NoteRow {
    id: Uuid,
    section_id: Uuid,
    author_id: Option<Uuid>,
    author_name: Option<String>,
    body: String,
    language: String,
    colour: NoteColour,
    pinned: bool,
    group_label: Option<String>,
    version: i32,
    edited_by: Option<Uuid>,
    editor_name: Option<String>,
    created_at: chrono::DateTime<chrono::Utc>,
    dots: i64,
}

/// The select list of a [`NoteRow`], over `board_notes n`, filtered by `$filter`.
macro_rules! note_rows {
    ($filter:literal, $($arg:expr),*) => {
        sqlx::query_as!(
            NoteRow,
            r#"select n.id, n.section_id, n.author_id, a.display_name as "author_name?", n.body,
                      n.language, n.colour as "colour: NoteColour", n.pinned, n.group_label,
                      n.version, n.edited_by, e.display_name as "editor_name?", n.created_at,
                      coalesce((select sum(d.dots) from board_dots d where d.note_id = n.id), 0)
                          as "dots!"
               from board_notes n
               left join users a on a.id = n.author_id
               left join users e on e.id = n.edited_by
               where "# + $filter,
            $($arg),*
        )
    };
}

impl From<NoteRow> for Note {
    fn from(row: NoteRow) -> Note {
        Note {
            id: row.id,
            section_id: row.section_id,
            author: person(row.author_id, row.author_name),
            body: row.body,
            language: row.language,
            colour: row.colour,
            pinned: row.pinned,
            group_label: row.group_label,
            version: row.version,
            edited_by: person(row.edited_by, row.editor_name),
            overwrote: None,
            dots: row.dots,
            created_at: row.created_at,
        }
    }
}

/// Note `id` of board `session_id`.
async fn one(db: &mut PgConnection, session_id: Uuid, id: Uuid) -> AppResult<Note> {
    note_rows!("n.id = $1 and n.session_id = $2", id, session_id)
        .fetch_optional(db)
        .await?
        .map(Note::from)
        .ok_or(AppError::NotFound("note"))
}

fn person(id: Option<Uuid>, name: Option<String>) -> Option<Person> {
    Some(Person {
        id: id?,
        name: name?,
    })
}

/// Every note of the board, oldest first.
pub async fn all(db: &mut PgConnection, session_id: Uuid) -> AppResult<Vec<Note>> {
    Ok(
        note_rows!("n.session_id = $1 order by n.created_at, n.id", session_id)
            .fetch_all(db)
            .await?
            .into_iter()
            .map(Note::from)
            .collect(),
    )
}

/// Note `id` of the board, locked until the end of the transaction.
async fn locked(db: &mut PgConnection, session_id: Uuid, id: Uuid) -> AppResult<Note> {
    sqlx::query_scalar!(
        "select id from board_notes where id = $1 and session_id = $2 for update",
        id,
        session_id
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::NotFound("note"))?;
    one(db, session_id, id).await
}

/// Tells the room note `id` as it now stands (with `overwrote`), and returns it.
async fn announce(
    etx: &mut EventTx,
    session_id: Uuid,
    id: Uuid,
    overwrote: Option<Uuid>,
) -> AppResult<Note> {
    // Already locked by the command (or new): read, not locked again.
    let mut note = one(etx.conn(), session_id, id).await?;
    note.overwrote = overwrote;
    etx.emit(workshop_room(session_id), &BoardEvent::Note(note.clone()))
        .await?;
    Ok(note)
}

/// The note's author, or a facilitator, may change it; a participant not on a locked board.
async fn require_may_change(ctx: &CommandCtx<'_>, etx: &mut EventTx, note: &Note) -> AppResult<()> {
    require_writer(ctx)?;
    let own = note
        .author
        .as_ref()
        .is_some_and(|author| author.id == ctx.user_id);
    if !own && !ctx.rights.has(MODERATOR) {
        return Err(AppError::Forbidden(
            "only its author or a facilitator can change this note",
        ));
    }
    require_unlocked(ctx, etx.conn()).await
}

fn checked_body(body: &str) -> AppResult<String> {
    bounded_text("body", body, MAX_NOTE_CHARS)
}

fn checked_language(language: &str) -> AppResult<()> {
    if is_language_code(language) {
        Ok(())
    } else {
        Err(AppError::field(
            "language",
            Problem::LanguageCode {
                value: language.chars().take(16).collect(),
            },
        ))
    }
}

/// Section `id` exists on the board and takes notes (not keywords).
async fn require_notes_section(db: &mut PgConnection, session_id: Uuid, id: Uuid) -> AppResult<()> {
    if sections::kind_of(db, session_id, id).await? != SectionKind::Notes {
        return Err(AppError::conflict(
            ConflictReason::KeywordsSectionTakesNoNotes,
        ));
    }
    Ok(())
}

/// Counts a note to `user_id` (or, with `-1`, one less), refusing past the allowance.
async fn count_note(
    db: &mut PgConnection,
    session_id: Uuid,
    user_id: Uuid,
    change: i16,
) -> AppResult<()> {
    let counted = sqlx::query_scalar!(
        "insert into board_authors (session_id, user_id, notes) values ($1, $2, greatest($3::smallint, 0::smallint))
         on conflict (session_id, user_id) do update set notes = board_authors.notes + $3
         where board_authors.notes + $3 between 0 and $4
         returning notes",
        session_id,
        user_id,
        change,
        MAX_NOTES_PER_PERSON as i16
    )
    .fetch_optional(db)
    .await?;
    if counted.is_none() && change > 0 {
        return Err(AppError::over_limit(
            ConflictReason::TooManyNotes,
            MAX_NOTES_PER_PERSON,
        ));
    }
    Ok(())
}

/// A note as its author wrote it.
pub struct Written<'a> {
    pub section_id: Uuid,
    pub body: &'a str,
    pub language: &'a str,
    pub colour: NoteColour,
}

/// Writes `author`'s note, counted to their allowance (the demo's too).
pub async fn insert(
    db: &mut PgConnection,
    session_id: Uuid,
    author: Uuid,
    note: &Written<'_>,
) -> AppResult<Uuid> {
    count_note(db, session_id, author, 1).await?;
    let id = Uuid::new_v4();
    sqlx::query!(
        "insert into board_notes (id, session_id, section_id, author_id, body, language, colour)
         values ($1, $2, $3, $4, $5, $6, $7)",
        id,
        session_id,
        note.section_id,
        author,
        note.body,
        note.language,
        note.colour as NoteColour
    )
    .execute(db)
    .await?;
    Ok(id)
}

pub async fn add(ctx: &CommandCtx<'_>, etx: &mut EventTx, new: NewNote) -> AppResult<Note> {
    require_writer(ctx)?;
    let body = checked_body(&new.body)?;
    checked_language(&new.language)?;
    let session_id = ctx.room.id;
    require_unlocked(ctx, etx.conn()).await?;
    require_notes_section(etx.conn(), session_id, new.section_id).await?;
    let colour = new.colour.unwrap_or(NoteColour::Yellow);
    let written = Written {
        section_id: new.section_id,
        body: &body,
        language: &new.language,
        colour,
    };
    let id = insert(etx.conn(), session_id, ctx.user_id, &written).await?;
    announce(etx, session_id, id, None).await
}

pub async fn edit(ctx: &CommandCtx<'_>, etx: &mut EventTx, edit: EditNote) -> AppResult<Note> {
    let body = checked_body(&edit.body)?;
    checked_language(&edit.language)?;
    let session_id = ctx.room.id;
    let note = locked(etx.conn(), session_id, edit.id).await?;
    require_may_change(ctx, etx, &note).await?;
    // Someone else changed it after the version this edit was made on: this later write
    // wins, and they are told their text was replaced.
    let last_editor = note
        .edited_by
        .as_ref()
        .or(note.author.as_ref())
        .map(|person| person.id);
    let overwrote = last_editor.filter(|id| edit.version < note.version && *id != ctx.user_id);
    let own = note
        .author
        .as_ref()
        .is_some_and(|author| author.id == ctx.user_id);
    sqlx::query!(
        "update board_notes set body = $2, language = $3, version = version + 1, edited_by = $4
         where id = $1",
        edit.id,
        body,
        edit.language,
        (!own).then_some(ctx.user_id)
    )
    .execute(etx.conn())
    .await?;
    announce(etx, session_id, edit.id, overwrote).await
}

/// Removes note `id` (already locked): its author's allowance and its voters' dots come back.
async fn remove(
    etx: &mut EventTx,
    session_id: Uuid,
    note: &Note,
    merged_into: Option<Uuid>,
) -> AppResult<()> {
    // Voters' rows before the author's, as a section's removal takes them.
    let voters = dots::refund_notes(etx.conn(), &[note.id]).await?;
    if let Some(author) = &note.author {
        count_note(etx.conn(), session_id, author.id, -1).await?;
    }
    sqlx::query!("delete from board_notes where id = $1", note.id)
        .execute(etx.conn())
        .await?;
    let removed = NoteRemoved {
        id: note.id,
        merged_into,
    };
    etx.emit(workshop_room(session_id), &BoardEvent::NoteRemoved(removed))
        .await?;
    dots::announce_voters(etx, session_id, voters).await
}

pub async fn delete(ctx: &CommandCtx<'_>, etx: &mut EventTx, it: NoteRef) -> AppResult<NoteRef> {
    let session_id = ctx.room.id;
    let note = locked(etx.conn(), session_id, it.id).await?;
    require_may_change(ctx, etx, &note).await?;
    remove(etx, session_id, &note, None).await?;
    Ok(it)
}

pub async fn move_to(ctx: &CommandCtx<'_>, etx: &mut EventTx, to: MoveNote) -> AppResult<Note> {
    require_facilitator(ctx)?;
    let session_id = ctx.room.id;
    locked(etx.conn(), session_id, to.id).await?;
    require_notes_section(etx.conn(), session_id, to.section_id).await?;
    sqlx::query!(
        "update board_notes set section_id = $2 where id = $1",
        to.id,
        to.section_id
    )
    .execute(etx.conn())
    .await?;
    announce(etx, session_id, to.id, None).await
}

pub async fn arrange(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    arrange: ArrangeNote,
) -> AppResult<Note> {
    require_facilitator(ctx)?;
    let group_label = match arrange.group_label.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(label) => Some(bounded_text("group_label", label, MAX_GROUP_LABEL_CHARS)?),
    };
    let session_id = ctx.room.id;
    locked(etx.conn(), session_id, arrange.id).await?;
    sqlx::query!(
        "update board_notes set colour = $2, pinned = $3, group_label = $4 where id = $1",
        arrange.id,
        arrange.colour as NoteColour,
        arrange.pinned,
        group_label
    )
    .execute(etx.conn())
    .await?;
    announce(etx, session_id, arrange.id, None).await
}

pub async fn merge(ctx: &CommandCtx<'_>, etx: &mut EventTx, merge: MergeNotes) -> AppResult<Note> {
    require_facilitator(ctx)?;
    if merge.id == merge.into {
        return Err(AppError::conflict(ConflictReason::MergeIntoItself));
    }
    let session_id = ctx.room.id;
    // Locked in a fixed order, so two merges of the same pair cannot deadlock.
    let (first, second) = if merge.id < merge.into {
        (merge.id, merge.into)
    } else {
        (merge.into, merge.id)
    };
    let first = locked(etx.conn(), session_id, first).await?;
    let second = locked(etx.conn(), session_id, second).await?;
    let (duplicate, kept) = if first.id == merge.id {
        (first, second)
    } else {
        (second, first)
    };
    let body = format!("{}\n\n{}", kept.body, duplicate.body);
    if body.chars().count() > MAX_NOTE_CHARS {
        return Err(AppError::over_limit(
            ConflictReason::MergedNoteTooLong,
            MAX_NOTE_CHARS,
        ));
    }
    sqlx::query!(
        "update board_notes set body = $2, version = version + 1 where id = $1",
        kept.id,
        body
    )
    .execute(etx.conn())
    .await?;
    let voters = dots::merge_into(etx.conn(), duplicate.id, kept.id).await?;
    remove(etx, session_id, &duplicate, Some(kept.id)).await?;
    dots::announce_voters(etx, session_id, voters).await?;
    announce(etx, session_id, kept.id, None).await
}
