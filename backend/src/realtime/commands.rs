//! Commands and snapshots: runs a client's command in its room through the feature that
//! owns it — once, however often the client retries the same id — and assembles a room's
//! snapshot from the parts of the features that take part in it.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value};
use sqlx::PgConnection;
use ts_rs::TS;
use uuid::Uuid;

use super::feature::{to_json, CommandCtx, Features, Viewer};
use super::log::EventTx;
use super::presence;
use super::room::{RoomId, MODERATOR};
use crate::error::{AppError, AppResult, ConflictReason};

/// The core's own commands (moderators): who is in the room now, and who came at all.
const PRESENCE_LIST: &str = "presence.list";
const PRESENCE_ATTENDANCE: &str = "presence.attendance";

/// The result of `presence.list`.
#[derive(Debug, Serialize, TS)]
pub struct PresentPeople {
    pub count: usize,
    pub people: Vec<PresentPerson>,
}

#[derive(Debug, Serialize, TS)]
pub struct PresentPerson {
    pub user_id: Uuid,
    pub display_name: String,
}

/// The result of `presence.attendance`: everyone who came to the room, in order of arrival.
#[derive(Debug, Serialize, TS)]
pub struct Attendance {
    pub here_now: usize,
    pub came: usize,
    pub people: Vec<Attendee>,
}

#[derive(Debug, Serialize, TS)]
pub struct Attendee {
    pub user_id: Uuid,
    pub display_name: String,
    pub first_seen: DateTime<Utc>,
    /// When they last left (for someone here now, when they last came back).
    pub last_seen: DateTime<Utc>,
    pub here: bool,
}

/// Who runs `command` in `room`, for the metrics: the owning feature's name, `core` for
/// the core's own, `unknown` for a command nobody takes.
pub fn owner(features: &Features, room: RoomId, command: &str) -> &'static str {
    if [PRESENCE_LIST, PRESENCE_ATTENDANCE].contains(&command) {
        return CORE;
    }
    features
        .for_command(room, command)
        .map_or(UNKNOWN, |feature| feature.name())
}

/// The metric names of commands no feature owns.
pub const CORE: &str = "core";
const UNKNOWN: &str = "unknown";

/// Runs command `id`. A write command is recorded under the caller and its id, in the
/// transaction that applies it: a retry finds the record and gets the original result.
#[tracing::instrument(skip_all, fields(room = %ctx.room, name))]
pub async fn execute(
    features: &Features,
    ctx: &CommandCtx<'_>,
    id: Uuid,
    name: &str,
    data: Value,
) -> AppResult<Value> {
    match name {
        PRESENCE_LIST => return presence_list(ctx).await,
        PRESENCE_ATTENDANCE => return attendance(ctx).await,
        _ => {}
    }
    let feature = features.for_command(ctx.room, name)?;
    if feature.is_read_only(name) {
        return feature.query(ctx, name, data).await;
    }
    let room = ctx.room.to_string();
    let mut etx = EventTx::begin(ctx.hub.db()).await?;
    // A concurrent retry waits here on the primary key until the first attempt ends.
    let fresh = sqlx::query!(
        "insert into commands (user_id, id, room_id, name, data_hash)
         values ($1, $2, $3, $4, sha256(convert_to($5::jsonb::text, 'UTF8')))
         on conflict (user_id, id) do nothing",
        ctx.user_id,
        id,
        room,
        name,
        data
    )
    .execute(etx.conn())
    .await?
    .rows_affected()
        == 1;
    if !fresh {
        // Answered from the record, but only for the same command: an id reused for another
        // body would otherwise be told its new request succeeded.
        let stored = sqlx::query!(
            r#"select room_id, name, result,
                      coalesce(data_hash = sha256(convert_to($3::jsonb::text, 'UTF8')), true)
                        as "same_data!"
               from commands where user_id = $1 and id = $2"#,
            ctx.user_id,
            id,
            data
        )
        .fetch_one(etx.conn())
        .await?;
        if stored.room_id != room || stored.name != name || !stored.same_data {
            return Err(AppError::conflict(ConflictReason::CommandIdReused));
        }
        return Ok(stored.result);
    }
    let result = feature.command(ctx, &mut etx, name, data).await?;
    sqlx::query!(
        "update commands set result = $3 where user_id = $1 and id = $2",
        ctx.user_id,
        id,
        result
    )
    .execute(etx.conn())
    .await?;
    etx.commit(ctx.hub).await?;
    Ok(result)
}

async fn presence_list(ctx: &CommandCtx<'_>) -> AppResult<Value> {
    ctx.rights
        .require(MODERATOR, "only moderators may see who is here")?;
    let people: Vec<PresentPerson> = ctx
        .presence
        .list(ctx.room)
        .await?
        .into_iter()
        .map(|(user_id, display_name)| PresentPerson {
            user_id,
            display_name,
        })
        .collect();
    to_json(&PresentPeople {
        count: people.len(),
        people,
    })
}

async fn attendance(ctx: &CommandCtx<'_>) -> AppResult<Value> {
    ctx.rights
        .require(MODERATOR, "only moderators may see who came")?;
    let people = presence::attendance(ctx.hub.db(), ctx.room).await?;
    to_json(&Attendance {
        here_now: people.iter().filter(|person| person.here).count(),
        came: people.len(),
        people,
    })
}

/// The state of `room` for a newcomer, keyed by feature (`{"chat": {…}, "announcements":
/// {…}}`), read in the caller's repeatable-read transaction together with the head seq.
pub async fn snapshot(
    features: &Features,
    db: &mut PgConnection,
    room: RoomId,
    viewer: &Viewer<'_>,
) -> AppResult<Value> {
    let mut state = Map::new();
    for feature in features.in_room(room) {
        let part = feature.snapshot(&mut *db, room, viewer).await?;
        // A feature without state (reactions, say) adds no part.
        if !part.is_null() {
            state.insert(feature.name().to_owned(), part);
        }
    }
    Ok(Value::Object(state))
}
