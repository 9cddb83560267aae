//! The board as a whole: made on first entry with the default sections, its settings (lock,
//! observers, keywords per person), the countdown, "call a moderator", and the snapshot.

use chrono::Utc;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::wire::{BoardEvent, BoardSettings, BoardSnapshot, Called, Mine, Round, SectionKind};
use super::wire::{SetTimer, SettingsChange, Timer};
use super::{dots, keywords, notes, require_facilitator, require_writer, sections};
use crate::error::{AppError, AppResult, ConflictReason, Problem};
use crate::notifications::notify;
use crate::realtime::feature::CommandCtx;
use crate::realtime::log::EventTx;
use crate::text::LocalizedText;

/// The sections of the real cross-border workshop in `shared/seeds/001_*`, in the four
/// languages of the UI.
const DEFAULT_SECTIONS: [(SectionKind, [(&str, &str); 4]); 5] = [
    (
        SectionKind::Notes,
        [
            ("en", "Questions"),
            ("fr", "Questions"),
            ("nl", "Vragen"),
            ("de", "Fragen"),
        ],
    ),
    (
        SectionKind::Notes,
        [
            ("en", "Findings"),
            ("fr", "Constats"),
            ("nl", "Vaststellingen"),
            ("de", "Erkenntnisse"),
        ],
    ),
    (
        SectionKind::Notes,
        [
            ("en", "Proposals"),
            ("fr", "Propositions"),
            ("nl", "Voorstellen"),
            ("de", "Vorschläge"),
        ],
    ),
    (
        SectionKind::Notes,
        [
            ("en", "Roadmap & commitments"),
            ("fr", "Feuille de route et engagements"),
            ("nl", "Routekaart en engagementen"),
            ("de", "Fahrplan und Zusagen"),
        ],
    ),
    (
        SectionKind::Keywords,
        [
            ("en", "Keywords"),
            ("fr", "Mots-clés"),
            ("nl", "Trefwoorden"),
            ("de", "Schlüsselwörter"),
        ],
    ),
];

/// Longest countdown.
const MAX_TIMER_SECONDS: i32 = 4 * 60 * 60;
const MAX_TIMER_LABEL_CHARS: usize = 100;
/// One call to the moderators per person per board in this time.
const CALL_INTERVAL_SECONDS: f64 = 60.0;

/// Makes session `session_id`'s board with the default sections unless it exists; returns
/// whether it lets observers read. Two first entries at once make one board.
pub async fn ensure(db: &PgPool, session_id: Uuid) -> AppResult<bool> {
    if let Some(observers) = sqlx::query_scalar!(
        "select observers from boards where session_id = $1",
        session_id
    )
    .fetch_optional(db)
    .await?
    {
        return Ok(observers);
    }
    let mut tx = db.begin().await?;
    insert(&mut tx, session_id).await?;
    tx.commit().await?;
    Ok(false)
}

/// Makes session `session_id`'s board with the default sections, unless it exists.
pub async fn insert(db: &mut PgConnection, session_id: Uuid) -> AppResult<()> {
    let made = sqlx::query!(
        "insert into boards (session_id) values ($1) on conflict do nothing",
        session_id
    )
    .execute(&mut *db)
    .await?;
    if made.rows_affected() == 1 {
        for (position, (kind, titles)) in (0..).zip(DEFAULT_SECTIONS) {
            let title = LocalizedText(
                titles
                    .iter()
                    .map(|(language, text)| (language.to_string(), text.to_string()))
                    .collect(),
            );
            sections::insert(db, session_id, position, kind, &title, &[]).await?;
        }
    }
    Ok(())
}

pub async fn is_locked(db: &mut PgConnection, session_id: Uuid) -> AppResult<bool> {
    Ok(sqlx::query_scalar!(
        "select locked from boards where session_id = $1",
        session_id
    )
    .fetch_optional(db)
    .await?
    .unwrap_or(false))
}

/// The board's settings, with its open round and countdown.
pub async fn read_settings(db: &mut PgConnection, session_id: Uuid) -> AppResult<BoardSettings> {
    let row = sqlx::query!(
        "select locked, observers, keywords_per_person, timer_ends_at, timer_label
         from boards where session_id = $1",
        session_id
    )
    .fetch_optional(&mut *db)
    .await?
    .ok_or(AppError::NotFound("board"))?;
    let round = sqlx::query_as!(
        Round,
        "select id, dots, opened_at from board_rounds where session_id = $1 and closed_at is null",
        session_id
    )
    .fetch_optional(&mut *db)
    .await?;
    let timer = row
        .timer_ends_at
        .filter(|ends_at| *ends_at > Utc::now())
        .map(|ends_at| Timer {
            ends_at,
            label: row.timer_label,
        });
    Ok(BoardSettings {
        locked: row.locked,
        observers: row.observers,
        keywords_per_person: row.keywords_per_person,
        round,
        timer,
    })
}

/// Tells the room the settings as they now stand; the command's result.
pub async fn announce_settings(etx: &mut EventTx, session_id: Uuid) -> AppResult<BoardSettings> {
    let settings = read_settings(etx.conn(), session_id).await?;
    etx.emit(
        super::workshop_room(session_id),
        &BoardEvent::Settings(settings.clone()),
    )
    .await?;
    Ok(settings)
}

pub async fn settings(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    change: SettingsChange,
) -> AppResult<BoardSettings> {
    require_facilitator(ctx)?;
    if !(1..=20).contains(&change.keywords_per_person) {
        return Err(AppError::field(
            "keywords_per_person",
            Problem::OutOfRange { min: 1, max: 20 },
        ));
    }
    let session_id = ctx.room.id;
    let before = sqlx::query_scalar!(
        "select observers from boards where session_id = $1 for update",
        session_id
    )
    .fetch_one(etx.conn())
    .await?;
    sqlx::query!(
        "update boards set locked = $2, observers = $3, keywords_per_person = $4
         where session_id = $1",
        session_id,
        change.locked,
        change.observers,
        change.keywords_per_person
    )
    .execute(etx.conn())
    .await?;
    if before != change.observers {
        // Observers come in or are shown out.
        crate::access_changes::room(etx.conn(), &ctx.room.to_string()).await?;
    }
    announce_settings(etx, session_id).await
}

pub async fn timer(
    ctx: &CommandCtx<'_>,
    etx: &mut EventTx,
    timer: SetTimer,
) -> AppResult<BoardSettings> {
    require_facilitator(ctx)?;
    if !(0..=MAX_TIMER_SECONDS).contains(&timer.seconds) {
        return Err(AppError::field(
            "seconds",
            Problem::OutOfRange {
                min: 0,
                max: MAX_TIMER_SECONDS.into(),
            },
        ));
    }
    let label = match timer.label.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(label) => Some(crate::realtime::feature::bounded_text(
            "label",
            label,
            MAX_TIMER_LABEL_CHARS,
        )?),
    };
    let ends_at =
        (timer.seconds > 0).then(|| Utc::now() + chrono::Duration::seconds(timer.seconds.into()));
    sqlx::query!(
        "update boards set timer_ends_at = $2, timer_label = $3 where session_id = $1",
        ctx.room.id,
        ends_at,
        label
    )
    .execute(etx.conn())
    .await?;
    announce_settings(etx, ctx.room.id).await
}

/// Notifies the session's moderators (or, when it has none, the conference's moderators
/// and organisers) that someone on the board needs them.
pub async fn call_moderator(ctx: &CommandCtx<'_>, etx: &mut EventTx) -> AppResult<Called> {
    require_writer(ctx)?;
    let session_id = ctx.room.id;
    let recent = sqlx::query_scalar!(
        r#"select extract(epoch from now() - called_at)::float8 as "seconds!"
           from board_calls where session_id = $1 and user_id = $2 for update"#,
        session_id,
        ctx.user_id
    )
    .fetch_optional(etx.conn())
    .await?;
    if recent.is_some_and(|seconds| seconds < CALL_INTERVAL_SECONDS) {
        return Err(AppError::conflict(ConflictReason::ModeratorCalledRecently));
    }
    sqlx::query!(
        "insert into board_calls (session_id, user_id) values ($1, $2)
         on conflict (session_id, user_id) do update set called_at = now()",
        session_id,
        ctx.user_id
    )
    .execute(etx.conn())
    .await?;
    let moderators = sqlx::query_scalar!(
        r#"select coalesce(
               (select array_agg(user_id) from session_people
                where session_id = $1 and role = 'moderator'),
               (select array_agg(m.user_id) from conference_members m
                join sessions s on s.conference_id = m.conference_id
                where s.id = $1 and m.role in ('moderator', 'organiser')),
               '{}') as "moderators!""#,
        session_id
    )
    .fetch_one(etx.conn())
    .await?;
    let mut data = super::seats::notice(etx.conn(), session_id).await?;
    data["by"] = ctx.user_name.into();
    for moderator in &moderators {
        notify(etx, *moderator, "workshop.call", data.clone()).await?;
    }
    Ok(Called {
        moderators: moderators.len() as i64,
    })
}

/// The board as `viewer_id` sees it.
pub async fn snapshot(
    db: &mut PgConnection,
    session_id: Uuid,
    viewer_id: Uuid,
) -> AppResult<BoardSnapshot> {
    let settings = read_settings(db, session_id).await?;
    let sections = sections::all(db, session_id).await?;
    let notes = notes::all(db, session_id).await?;
    let cloud = keywords::cloud(db, session_id).await?;
    let round = settings.round.as_ref().map(|round| (round.id, round.dots));
    let mine = Mine {
        remaining_dots: match round {
            Some((round_id, allowance)) => {
                Some(i64::from(allowance) - dots::spent(db, round_id, viewer_id).await?)
            }
            None => None,
        },
        dots: match round {
            Some((round_id, _)) => dots::mine(db, round_id, viewer_id).await?,
            None => Vec::new(),
        },
        keywords: keywords::mine(db, session_id, viewer_id).await?,
    };
    Ok(BoardSnapshot {
        settings,
        sections,
        notes,
        cloud,
        mine,
    })
}
