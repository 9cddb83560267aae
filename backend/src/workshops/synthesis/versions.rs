//! Published versions: publishing freezes the document's Markdown as the next version
//! (1, 2, 3…), who published it and when; every version is kept.

use sqlx::PgConnection;
use uuid::Uuid;

use super::editing::locked;
use super::require_facilitator;
use super::wire::{PublishedVersion, SynthesisEvent, Version};
use crate::error::{AppError, AppResult, ConflictReason};
use crate::realtime::feature::CommandCtx;
use crate::realtime::log::EventTx;

/// Versions one working group may publish.
const MAX_VERSIONS: i64 = 100;

pub async fn publish(ctx: &CommandCtx<'_>, etx: &mut EventTx) -> AppResult<Version> {
    require_facilitator(ctx)?;
    let session_id = ctx.room.id;
    // The document's lock also serialises the version numbers.
    let markdown = locked(etx.conn(), session_id).await?.markdown();
    let markdown = markdown.trim();
    if markdown.is_empty() {
        return Err(AppError::conflict(ConflictReason::SynthesisEmpty));
    }
    let last = sqlx::query!(
        r#"select count(*) as "count!", max(number) as number,
                  (select markdown from synthesis_versions
                   where session_id = $1 order by number desc limit 1) as latest
           from synthesis_versions where session_id = $1"#,
        session_id
    )
    .fetch_one(etx.conn())
    .await?;
    if last.latest.as_deref() == Some(markdown) {
        return Err(AppError::conflict(ConflictReason::SynthesisUnchanged));
    }
    if last.count >= MAX_VERSIONS {
        return Err(AppError::over_limit(
            ConflictReason::TooManyVersions,
            MAX_VERSIONS,
        ));
    }
    let version = sqlx::query_as!(
        Version,
        r#"insert into synthesis_versions
               (session_id, number, markdown, published_by, published_by_name)
           values ($1, $2, $3, $4, $5)
           returning number, published_at, published_by_name as published_by"#,
        session_id,
        last.number.unwrap_or(0) + 1,
        markdown,
        ctx.user_id,
        ctx.user_name
    )
    .fetch_one(etx.conn())
    .await?;
    etx.emit(ctx.room, &SynthesisEvent::Published(version.clone()))
        .await?;
    Ok(version)
}

/// Session `session_id`'s versions, oldest first.
pub async fn list(db: &mut PgConnection, session_id: Uuid) -> AppResult<Vec<Version>> {
    let versions = sqlx::query_as!(
        Version,
        r#"select number, published_at, published_by_name as published_by
           from synthesis_versions where session_id = $1 order by number"#,
        session_id
    )
    .fetch_all(db)
    .await?;
    Ok(versions)
}

/// Session `session_id`'s versions with their text, newest first.
pub async fn texts(db: &mut PgConnection, session_id: Uuid) -> AppResult<Vec<PublishedVersion>> {
    let rows = sqlx::query!(
        r#"select number, published_at, published_by_name, markdown
           from synthesis_versions where session_id = $1 order by number desc"#,
        session_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| PublishedVersion {
            version: Version {
                number: row.number,
                published_at: row.published_at,
                published_by: row.published_by_name,
            },
            markdown: row.markdown,
        })
        .collect())
}
