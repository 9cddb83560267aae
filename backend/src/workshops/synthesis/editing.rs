//! Writing the synthesis: the writers' edits, the facilitators' pre-fill from the board,
//! who the rapporteurs are, and the room's snapshot of it all.

use sqlx::PgConnection;
use uuid::Uuid;

use super::document::{self, Document};
use super::prefill;
use super::require_facilitator;
use super::versions;
use super::wire::{
    Candidates, DocumentUpdate, Edit, Edited, NameRapporteurs, Prefill, Rapporteurs,
    SynthesisEvent, SynthesisSnapshot,
};
use crate::error::{AppError, AppResult, ConflictReason, Problem};
use crate::realtime::feature::CommandCtx;
use crate::realtime::log::EventTx;
use crate::realtime::room::MODERATOR;
use crate::text::is_language_code;
use crate::workshops::wire::Person;

/// Rapporteurs one working group may have.
const MAX_RAPPORTEURS: usize = 10;

/// The facilitators and the rapporteurs write; everyone else in the room reads.
async fn require_writer(ctx: &CommandCtx<'_>, db: &mut PgConnection) -> AppResult<()> {
    if ctx.rights.has(MODERATOR) || is_rapporteur(db, ctx.room.id, ctx.user_id).await? {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "only the facilitators and the rapporteurs they name can write the synthesis",
        ))
    }
}

async fn is_rapporteur(db: &mut PgConnection, session_id: Uuid, user_id: Uuid) -> AppResult<bool> {
    let found = sqlx::query_scalar!(
        r#"select exists (select 1 from synthesis_rapporteurs
                          where session_id = $1 and user_id = $2) as "found!""#,
        session_id,
        user_id
    )
    .fetch_one(db)
    .await?;
    Ok(found)
}

/// Session `session_id`'s document, locked until the end of the transaction (made empty
/// on first use), so edits of one document apply one after the other.
pub(super) async fn locked(db: &mut PgConnection, session_id: Uuid) -> AppResult<Document> {
    let state = sqlx::query_scalar!(
        "insert into syntheses (session_id, state) values ($1, '')
         on conflict (session_id) do update set updated_at = syntheses.updated_at
         returning state",
        session_id
    )
    .fetch_one(db)
    .await?;
    Document::load(&state)
}

/// Stores `document` and sends `update` (the change it just took) to every screen.
async fn store(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    document: &Document,
    update: &[u8],
) -> AppResult<Edited> {
    let state = document.state();
    sqlx::query!(
        "update syntheses set state = $2, updated_at = now() where session_id = $1",
        ctx.room.id,
        state
    )
    .execute(etx.conn())
    .await?;
    let event = SynthesisEvent::Updated(DocumentUpdate {
        update: document::encode(update),
        by: ctx.user_id,
    });
    etx.emit(ctx.room, &event).await?;
    Ok(Edited {
        bytes: i64::try_from(state.len()).unwrap_or(i64::MAX),
    })
}

pub async fn edit(ctx: &CommandCtx<'_>, etx: &mut EventTx, edit: Edit) -> AppResult<Edited> {
    let update = document::decode("update", &edit.update)?;
    require_writer(ctx, etx.conn()).await?;
    let document = locked(etx.conn(), ctx.room.id).await?;
    document.apply_client_update(&update)?;
    store(ctx, etx, &document, &update).await
}

pub async fn prefill(ctx: &CommandCtx<'_>, etx: &mut EventTx, it: Prefill) -> AppResult<Edited> {
    require_facilitator(ctx)?;
    if !is_language_code(&it.language) {
        let value = it.language.chars().take(16).collect();
        return Err(AppError::field("language", Problem::LanguageCode { value }));
    }
    let document = locked(etx.conn(), ctx.room.id).await?;
    if !document.markdown().trim().is_empty() {
        return Err(AppError::conflict(ConflictReason::SynthesisNotEmpty));
    }
    let markdown = prefill::from_board(etx.conn(), ctx.room.id, &it.language).await?;
    let update = document.append(&markdown);
    store(ctx, etx, &document, &update).await
}

/// Who may be named: the people seated in the group and the session's own people.
async fn candidate_people(db: &mut PgConnection, session_id: Uuid) -> AppResult<Vec<Person>> {
    let people = sqlx::query_as!(
        Person,
        r#"select u.id, u.display_name as name
           from users u
           where u.id in (select user_id from workshop_seats
                          where session_id = $1 and status = 'seated'
                          union
                          select user_id from session_people where session_id = $1)
           order by u.display_name, u.id"#,
        session_id
    )
    .fetch_all(db)
    .await?;
    Ok(people)
}

pub async fn candidates(ctx: &CommandCtx<'_>) -> AppResult<Candidates> {
    require_facilitator(ctx)?;
    let mut db = ctx.hub.db().acquire().await?;
    Ok(Candidates {
        people: candidate_people(&mut db, ctx.room.id).await?,
    })
}

pub async fn name_rapporteurs(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    named: NameRapporteurs,
) -> AppResult<Rapporteurs> {
    require_facilitator(ctx)?;
    let mut user_ids = named.user_ids;
    user_ids.sort();
    user_ids.dedup();
    if user_ids.len() > MAX_RAPPORTEURS {
        let too_many = Problem::TooMany {
            max: MAX_RAPPORTEURS,
        };
        return Err(AppError::field("user_ids", too_many));
    }
    // Serialises namings with the edits they rule.
    locked(etx.conn(), ctx.room.id).await?;
    let candidates = candidate_people(etx.conn(), ctx.room.id).await?;
    if !user_ids
        .iter()
        .all(|id| candidates.iter().any(|person| person.id == *id))
    {
        return Err(AppError::conflict(ConflictReason::RapporteurNotInGroup));
    }
    sqlx::query!(
        "delete from synthesis_rapporteurs where session_id = $1 and user_id <> all($2)",
        ctx.room.id,
        &user_ids
    )
    .execute(etx.conn())
    .await?;
    sqlx::query!(
        "insert into synthesis_rapporteurs (session_id, user_id, named_by)
         select $1, unnest($2::uuid[]), $3
         on conflict do nothing",
        ctx.room.id,
        &user_ids,
        ctx.user_id
    )
    .execute(etx.conn())
    .await?;
    let rapporteurs = Rapporteurs {
        rapporteurs: rapporteurs(etx.conn(), ctx.room.id).await?,
    };
    etx.emit(ctx.room, &SynthesisEvent::Rapporteurs(rapporteurs.clone()))
        .await?;
    Ok(rapporteurs)
}

async fn rapporteurs(db: &mut PgConnection, session_id: Uuid) -> AppResult<Vec<Person>> {
    let people = sqlx::query_as!(
        Person,
        r#"select u.id, u.display_name as name
           from synthesis_rapporteurs r join users u on u.id = r.user_id
           where r.session_id = $1
           order by u.display_name, u.id"#,
        session_id
    )
    .fetch_all(db)
    .await?;
    Ok(people)
}

pub async fn snapshot(db: &mut PgConnection, session_id: Uuid) -> AppResult<SynthesisSnapshot> {
    let state = sqlx::query_scalar!(
        "select state from syntheses where session_id = $1",
        session_id
    )
    .fetch_optional(&mut *db)
    .await?;
    // The stored state is already one encoded update of the whole document; an empty
    // document is the empty update.
    let state = match state {
        Some(state) if !state.is_empty() => state,
        _ => Document::new().state(),
    };
    Ok(SynthesisSnapshot {
        state: document::encode(&state),
        rapporteurs: rapporteurs(db, session_id).await?,
        versions: versions::list(db, session_id).await?,
    })
}
