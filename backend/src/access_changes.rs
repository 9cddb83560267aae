//! Changes of someone's rights, recorded in the change's own transaction (the
//! `record_access_change` SQL function: a row in `access_changes` and a NOTIFY on
//! [`CHANNEL`] delivered at commit). Whoever changes rights writes one; the real-time core
//! reads them and re-checks the live subscriptions concerned on every node.

use serde::Deserialize;
use sqlx::PgExecutor;
use uuid::Uuid;

use crate::error::AppResult;

/// The NOTIFY channel; each payload is one `access_changes` row as JSON.
pub const CHANNEL: &str = "viaduc_access";

/// One recorded change, as announced.
#[derive(Debug, Clone, Deserialize)]
pub struct AccessChange {
    pub id: i64,
    pub user_id: Option<Uuid>,
    pub login_id: Option<Uuid>,
    pub conference_id: Option<Uuid>,
    pub room_id: Option<String>,
}

/// `user_id`'s rights changed, in one conference's rooms or (`None`) everywhere.
pub async fn person(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    conference_id: Option<Uuid>,
) -> AppResult<()> {
    sqlx::query_scalar!(
        "select record_access_change($1, null, $2, null)",
        user_id,
        conference_id
    )
    .fetch_one(db)
    .await?;
    Ok(())
}

/// The rights of everyone in `room` changed (e.g. a session became invite-only); the other
/// rooms of the same thing (`<kind>:<same id>`, such as the session's backstage) too.
pub async fn room(db: impl PgExecutor<'_>, room: &str) -> AppResult<()> {
    sqlx::query_scalar!("select record_access_change(null, null, null, $1)", room)
        .fetch_one(db)
        .await?;
    Ok(())
}

/// The changes after `after_id`, oldest first, for a listener that was away.
pub async fn since(db: impl PgExecutor<'_>, after_id: i64) -> AppResult<Vec<AccessChange>> {
    Ok(sqlx::query_as!(
        AccessChange,
        "select id, user_id, login_id, conference_id, room_id from access_changes
         where id > $1 order by id limit 10000",
        after_id
    )
    .fetch_all(db)
    .await?)
}

/// The id of the latest change (0 when there is none).
pub async fn latest(db: impl PgExecutor<'_>) -> AppResult<i64> {
    Ok(
        sqlx::query_scalar!(r#"select coalesce(max(id), 0) as "id!" from access_changes"#)
            .fetch_one(db)
            .await?,
    )
}
