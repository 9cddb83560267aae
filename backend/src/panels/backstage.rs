//! A session's backstage (`backstage:<session id>`): the room of the people who run it —
//! its moderators, facilitators and the conference's moderators and organisers. It carries
//! what attendees must not see: questions waiting for approval, and who asked an anonymous
//! question.

use async_trait::async_trait;
use sqlx::PgPool;
use uuid::Uuid;

use crate::conference::live::session_rights;
use crate::error::{AppError, AppResult};
use crate::realtime::feature::RoomRules;
use crate::realtime::room::{Rights, RoomId, RoomKind, MODERATOR};

pub const BACKSTAGE: RoomKind = RoomKind::new("backstage");

pub fn backstage_room(session_id: Uuid) -> RoomId {
    RoomId::new(BACKSTAGE, session_id)
}

pub struct Backstage;

#[async_trait]
impl RoomRules for Backstage {
    fn kind(&self) -> RoomKind {
        BACKSTAGE
    }

    /// The people in it are the session's crew, not its audience.
    fn counts_presence(&self) -> bool {
        false
    }

    /// The session's rights, for those who run it; to anyone else it does not exist.
    async fn enter(&self, db: &PgPool, user_id: Uuid, session_id: Uuid) -> AppResult<Rights> {
        let rights = session_rights(db, user_id, session_id).await?;
        if !rights.has(MODERATOR) {
            return Err(AppError::NotFound("room"));
        }
        Ok(rights)
    }
}
