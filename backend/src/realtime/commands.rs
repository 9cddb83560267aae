//! Commands and snapshots: runs a client's command in its room — once, however often the
//! client retries the same id — and builds the snapshot of a room's state.

use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use sqlx::PgConnection;
use uuid::Uuid;

use super::hub::Hub;
use super::log::EventTx;
use super::presence::Presence;
use super::room::{RoomAccess, RoomId};
use super::{announcements, chat, notifications};
use crate::error::{AppError, AppResult, Problem};

/// Who runs a command, where, and with which rights.
pub struct CommandCtx<'a> {
    pub user_id: Uuid,
    pub user_name: &'a str,
    pub room: RoomId,
    pub access: RoomAccess,
    pub hub: &'a Hub,
    pub presence: &'a Arc<Presence>,
}

impl CommandCtx<'_> {
    pub fn require_moderator(&self) -> AppResult<()> {
        if self.access.moderator {
            Ok(())
        } else {
            Err(AppError::Forbidden("only moderators may do this"))
        }
    }

    pub fn require_organiser(&self) -> AppResult<()> {
        if self.access.organiser {
            Ok(())
        } else {
            Err(AppError::Forbidden("only organisers may do this"))
        }
    }
}

/// Longest chat message or announcement, in characters.
pub const MAX_BODY_CHARS: usize = 2_000;

/// A chat message or announcement body: trimmed, 1 to [`MAX_BODY_CHARS`] characters.
pub fn message_body(body: &str) -> AppResult<String> {
    let body = body.trim();
    let chars = body.chars().count();
    if chars == 0 || chars > MAX_BODY_CHARS {
        let problem = if chars == 0 {
            Problem::Required
        } else {
            Problem::TooLong {
                max: MAX_BODY_CHARS,
            }
        };
        return Err(AppError::field("body", problem));
    }
    Ok(body.to_owned())
}

/// A record as event data.
pub fn event_data<T: serde::Serialize>(record: &T) -> AppResult<Value> {
    serde_json::to_value(record).map_err(|error| AppError::Internal(error.into()))
}

/// Reads a command's `data`.
pub fn parse<T: DeserializeOwned>(data: Value) -> AppResult<T> {
    serde_json::from_value(data)
        .map_err(|error| AppError::BadRequest(format!("invalid data: {error}")))
}

/// Runs command `id`. A write command is recorded under the caller and its id, in the
/// transaction that applies it: a retry finds the record and gets the original result.
#[tracing::instrument(skip_all, fields(room = %ctx.room, name))]
pub async fn execute(ctx: &CommandCtx<'_>, id: Uuid, name: &str, data: Value) -> AppResult<Value> {
    match (ctx.room.has_chat(), name) {
        (true, "chat.history") => return chat::history(ctx, data).await,
        (_, "presence.list") => return presence_list(ctx).await,
        _ => {}
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
            return Err(AppError::Conflict(
                "this command id was used for another command".into(),
            ));
        }
        return Ok(stored.result);
    }
    let result = match ctx.room {
        RoomId::Session(_) | RoomId::Private(_) => chat::handle(ctx, &mut etx, name, data).await?,
        RoomId::Conference(_) => announcements::handle(ctx, &mut etx, name, data).await?,
        RoomId::User(_) => notifications::handle(ctx, &mut etx, name, data).await?,
    }
    .ok_or(AppError::NotFound("command"))?;
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
    ctx.require_moderator()?;
    let people: Vec<Value> = ctx
        .presence
        .list(ctx.room)
        .await?
        .into_iter()
        .map(|(id, name)| json!({ "user_id": id, "display_name": name }))
        .collect();
    Ok(json!({ "count": people.len(), "people": people }))
}

/// The state of `room` for a newcomer, read in the caller's (repeatable-read) transaction
/// together with the head seq, so the two agree.
pub async fn snapshot(
    db: &mut PgConnection,
    room: RoomId,
    user_id: Uuid,
    access: RoomAccess,
) -> AppResult<Value> {
    let name = room.to_string();
    Ok(match room {
        RoomId::Session(_) | RoomId::Private(_) => {
            let mut state = chat::snapshot(&mut *db, &name, access.moderator).await?;
            state["announcements"] = json!(announcements::current(db, room).await?);
            state
        }
        RoomId::Conference(_) => {
            json!({ "announcements": announcements::current(db, room).await? })
        }
        RoomId::User(_) => notifications::snapshot(db, user_id).await?,
    })
}
