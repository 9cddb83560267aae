//! The audit log of organiser and moderator actions.

use serde_json::Value;
use sqlx::PgExecutor;
use uuid::Uuid;

use crate::error::AppResult;

/// Records that `actor` did `action` (e.g. `session.update`) in a conference.
pub async fn record(
    db: impl PgExecutor<'_>,
    conference_id: Uuid,
    actor: Uuid,
    action: &str,
    details: Value,
) -> AppResult<()> {
    sqlx::query!(
        "insert into audit_log (conference_id, actor_id, action, details) values ($1, $2, $3, $4)",
        conference_id,
        actor,
        action,
        details
    )
    .execute(db)
    .await?;
    Ok(())
}
