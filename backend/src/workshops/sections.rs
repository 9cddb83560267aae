//! A board's sections: the facilitators add, rename, reorder and remove them, and seed them
//! with prompt questions. Any change sends the whole ordered list (at most 50).

use sqlx::types::Json;
use sqlx::PgConnection;
use uuid::Uuid;

use super::wire::{BoardEvent, EditSection, MoveSection, NewSection, Section, SectionKind};
use super::wire::{SectionRef, Sections};
use super::{dots, require_facilitator, workshop_room};
use crate::error::{AppError, AppResult, ConflictReason, Problem};
use crate::realtime::feature::CommandCtx;
use crate::realtime::log::EventTx;
use crate::text::LocalizedText;

const MAX_SECTIONS: i64 = 50;
const MAX_TITLE_CHARS: usize = 200;
const MAX_PROMPTS: usize = 10;
const MAX_PROMPT_CHARS: usize = 500;

/// Writes a section row (the default ones too).
pub async fn insert(
    db: &mut PgConnection,
    session_id: Uuid,
    position: i32,
    kind: SectionKind,
    title: &LocalizedText,
    prompts: &[LocalizedText],
) -> AppResult<Uuid> {
    let id = Uuid::new_v4();
    sqlx::query!(
        "insert into board_sections (id, session_id, position, kind, title, prompts)
         values ($1, $2, $3, $4, $5, $6)",
        id,
        session_id,
        position,
        kind as SectionKind,
        Json(title) as _,
        Json(prompts) as _
    )
    .execute(db)
    .await?;
    Ok(id)
}

/// The board's sections in order.
pub async fn all(db: &mut PgConnection, session_id: Uuid) -> AppResult<Vec<Section>> {
    Ok(sqlx::query!(
        r#"select id, kind as "kind: SectionKind", title as "title: Json<LocalizedText>",
                  prompts as "prompts: Json<Vec<LocalizedText>>"
           from board_sections where session_id = $1 order by position"#,
        session_id
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|row| Section {
        id: row.id,
        kind: row.kind,
        title: row.title.0,
        prompts: row.prompts.0,
    })
    .collect())
}

/// Section `id` of the board, which must exist; its kind.
pub async fn kind_of(db: &mut PgConnection, session_id: Uuid, id: Uuid) -> AppResult<SectionKind> {
    sqlx::query_scalar!(
        r#"select kind as "kind: SectionKind" from board_sections where id = $1 and session_id = $2"#,
        id,
        session_id
    )
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound("section"))
}

/// The sections change one command at a time: each event's list includes the changes before it.
async fn lock_board(db: &mut PgConnection, session_id: Uuid) -> AppResult<()> {
    sqlx::query!(
        "select session_id from boards where session_id = $1 for update",
        session_id
    )
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound("board"))?;
    Ok(())
}

/// Tells the room the sections as they now stand.
async fn announce(etx: &mut EventTx, session_id: Uuid) -> AppResult<()> {
    let sections = all(etx.conn(), session_id).await?;
    etx.emit(
        workshop_room(session_id),
        &BoardEvent::Sections(Sections { sections }),
    )
    .await?;
    Ok(())
}

fn checked_title(title: LocalizedText) -> AppResult<LocalizedText> {
    title.normalised("title", MAX_TITLE_CHARS, true)
}

pub async fn add(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    section: NewSection,
) -> AppResult<SectionRef> {
    require_facilitator(ctx)?;
    let title = checked_title(section.title)?;
    let session_id = ctx.room.id;
    lock_board(etx.conn(), session_id).await?;
    let count = sqlx::query_scalar!(
        r#"select count(*) as "n!" from board_sections where session_id = $1"#,
        session_id
    )
    .fetch_one(etx.conn())
    .await?;
    if count >= MAX_SECTIONS {
        return Err(AppError::over_limit(
            ConflictReason::TooManySections,
            MAX_SECTIONS,
        ));
    }
    let kind = section.kind.unwrap_or(SectionKind::Notes);
    let position = i32::try_from(count).unwrap_or(i32::MAX);
    let id = insert(etx.conn(), session_id, position, kind, &title, &[]).await?;
    announce(etx, session_id).await?;
    Ok(SectionRef { id })
}

pub async fn edit(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    edit: EditSection,
) -> AppResult<SectionRef> {
    require_facilitator(ctx)?;
    let title = checked_title(edit.title)?;
    if edit.prompts.len() > MAX_PROMPTS {
        return Err(AppError::field(
            "prompts",
            Problem::TooMany { max: MAX_PROMPTS },
        ));
    }
    let prompts = edit
        .prompts
        .into_iter()
        .map(|prompt| prompt.normalised("prompts", MAX_PROMPT_CHARS, true))
        .collect::<AppResult<Vec<_>>>()?;
    let session_id = ctx.room.id;
    lock_board(etx.conn(), session_id).await?;
    kind_of(etx.conn(), session_id, edit.id).await?;
    sqlx::query!(
        "update board_sections set title = $2, prompts = $3 where id = $1",
        edit.id,
        Json(&title) as _,
        Json(&prompts) as _
    )
    .execute(etx.conn())
    .await?;
    announce(etx, session_id).await?;
    Ok(SectionRef { id: edit.id })
}

pub async fn move_to(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    to: MoveSection,
) -> AppResult<SectionRef> {
    require_facilitator(ctx)?;
    let session_id = ctx.room.id;
    lock_board(etx.conn(), session_id).await?;
    let mut order: Vec<Uuid> = all(etx.conn(), session_id)
        .await?
        .into_iter()
        .map(|section| section.id)
        .collect();
    let from = order
        .iter()
        .position(|id| *id == to.id)
        .ok_or(AppError::NotFound("section"))?;
    let last = order.len() - 1;
    let position = usize::try_from(to.position)
        .ok()
        .filter(|position| *position <= last)
        .ok_or(AppError::field(
            "position",
            Problem::OutOfRange {
                min: 0,
                max: last as i64,
            },
        ))?;
    let moved = order.remove(from);
    order.insert(position, moved);
    write_order(etx.conn(), &order).await?;
    announce(etx, session_id).await?;
    Ok(SectionRef { id: to.id })
}

/// Numbers the sections 0, 1, 2… in `order` (the unique position is checked at commit).
async fn write_order(db: &mut PgConnection, order: &[Uuid]) -> AppResult<()> {
    let positions: Vec<i32> = (0..).take(order.len()).collect();
    sqlx::query!(
        "update board_sections s set position = o.position
         from unnest($1::uuid[], $2::int[]) as o (id, position) where s.id = o.id",
        order,
        &positions
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn remove(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    section: SectionRef,
) -> AppResult<SectionRef> {
    require_facilitator(ctx)?;
    let session_id = ctx.room.id;
    lock_board(etx.conn(), session_id).await?;
    kind_of(etx.conn(), session_id, section.id).await?;
    // Its notes go with it: locked first (as a dot or a note's deletion takes them before
    // the voters' and authors' rows), their dots back to their voters, the allowance back to
    // their authors. Screens drop the notes of a section that left the list.
    let notes = sqlx::query_scalar!(
        "select id from board_notes where section_id = $1 order by id for update",
        section.id
    )
    .fetch_all(etx.conn())
    .await?;
    let voters = dots::refund_notes(etx.conn(), &notes).await?;
    sqlx::query!(
        "with gone as (delete from board_notes where section_id = $1 returning author_id)
         update board_authors a set notes = a.notes - counted.n
         from (select author_id, count(*)::smallint as n from gone
               where author_id is not null group by author_id) counted
         where a.session_id = $2 and a.user_id = counted.author_id",
        section.id,
        session_id
    )
    .execute(etx.conn())
    .await?;
    sqlx::query!("delete from board_sections where id = $1", section.id)
        .execute(etx.conn())
        .await?;
    let order: Vec<Uuid> = all(etx.conn(), session_id)
        .await?
        .into_iter()
        .map(|section| section.id)
        .collect();
    write_order(etx.conn(), &order).await?;
    announce(etx, session_id).await?;
    dots::announce_voters(etx, session_id, voters).await?;
    Ok(section)
}
