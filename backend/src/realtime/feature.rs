//! The seam between the real-time core and the live features, in the manner of Phoenix
//! channels: a feature declares, in one `impl LiveFeature`, the room kinds it brings (who
//! may enter, whether presence is counted), the kinds of room it takes part in, its
//! commands (named `<feature>.<verb>`), its part of a room's snapshot (under its name) and
//! its generated TypeScript. The application registers each feature with one line
//! (`state.rs`); the core imports none of them. `docs/realtime.md` walks through one.

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::hub::Hub;
use super::log::EventTx;
use super::presence::Presence;
use super::pulse::Pulses;
use super::room::{Rights, RoomId, RoomKind};
use crate::error::{AppError, AppResult, Problem};

/// A kind of room a feature brings.
#[async_trait]
pub trait RoomRules: Send + Sync + 'static {
    fn kind(&self) -> RoomKind;

    /// Whether the people in such a room are counted (`presence` frames).
    fn counts_presence(&self) -> bool {
        true
    }

    /// The rights of `user_id` in room `id` of this kind. A room the person may not see is
    /// `NotFound` (not `Forbidden`), so an invite-only session or another pair's room stays
    /// secret. Asked at subscribe and again whenever the person's access changes.
    async fn enter(&self, db: &PgPool, user_id: Uuid, id: Uuid) -> AppResult<Rights>;
}

/// Who runs a command, where, and with which rights.
pub struct CommandCtx<'a> {
    pub user_id: Uuid,
    pub user_name: &'a str,
    pub room: RoomId,
    pub rights: &'a Rights,
    pub hub: &'a Hub,
    pub presence: &'a Arc<Presence>,
    pub pulses: &'a Arc<Pulses>,
}

/// Who asks for a room's snapshot.
pub struct Viewer<'a> {
    pub user_id: Uuid,
    pub rights: &'a Rights,
}

/// One live feature.
#[async_trait]
pub trait LiveFeature: Send + Sync + 'static {
    /// Its commands are `<name>.<verb>`; its snapshot part is keyed `<name>`.
    fn name(&self) -> &'static str;

    /// The kinds of room this feature brings (most bring none and join others' rooms).
    fn room_kinds(&self) -> Vec<Box<dyn RoomRules>> {
        Vec::new()
    }

    /// The kinds of room this feature takes part in (its commands and snapshot part).
    fn rooms(&self) -> &'static [RoomKind] {
        &[]
    }

    /// Commands that change nothing durable — reads, and ephemeral pulses such as reactions:
    /// they are neither recorded nor run in a write transaction.
    fn is_read_only(&self, _command: &str) -> bool {
        false
    }

    /// Runs such a `command` (see [`LiveFeature::is_read_only`]).
    async fn query(&self, _ctx: &CommandCtx<'_>, _command: &str, _data: Value) -> AppResult<Value> {
        Err(AppError::NotFound("command"))
    }

    /// Runs write `command` in `etx`, the transaction that also records it and appends
    /// its events; they reach the room after commit.
    async fn command(
        &self,
        _ctx: &CommandCtx<'_>,
        _etx: &mut EventTx,
        _command: &str,
        _data: Value,
    ) -> AppResult<Value> {
        Err(AppError::NotFound("command"))
    }

    /// This feature's part of `room`'s snapshot, read in the subscriber's repeatable-read
    /// transaction together with the room's head.
    async fn snapshot(
        &self,
        _db: &mut PgConnection,
        _room: RoomId,
        _viewer: &Viewer<'_>,
    ) -> AppResult<Value> {
        Ok(Value::Null)
    }

    /// Starts the feature's own tasks on this node (a tally of coalesced counts, say),
    /// once, when the node starts.
    fn start(&self, _hub: &Arc<Hub>) {}

    /// Its wire types as a TypeScript module: the path under the repository and the text
    /// (see [`typescript_module`]).
    fn typescript(&self) -> Option<(String, String)> {
        None
    }
}

/// The registered features, looked up by room kind and command name.
#[derive(Default)]
pub struct Features {
    features: Vec<Arc<dyn LiveFeature>>,
    kinds: BTreeMap<&'static str, Arc<dyn RoomRules>>,
}

impl Features {
    pub fn new() -> Features {
        Features::default()
    }

    /// Registers `feature` and the room kinds it brings.
    pub fn with(mut self, feature: impl LiveFeature) -> Features {
        for kind in feature.room_kinds() {
            let name = kind.kind();
            let previous = self.kinds.insert(leak(name), Arc::from(kind));
            assert!(previous.is_none(), "room kind {name:?} registered twice");
        }
        let name = feature.name();
        assert!(
            self.features.iter().all(|other| other.name() != name),
            "live feature {name} registered twice"
        );
        self.features.push(Arc::new(feature));
        self
    }

    /// The rules of `room`'s kind; `NotFound` for a kind no feature brings.
    pub fn rules(&self, room: RoomId) -> AppResult<&dyn RoomRules> {
        self.kinds
            .get(room.kind.as_str())
            .map(|rules| rules.as_ref())
            .ok_or(AppError::NotFound("room"))
    }

    /// Whether `room`'s kind counts presence (unknown kinds do not).
    pub fn counts_presence(&self, room: RoomId) -> bool {
        self.rules(room).is_ok_and(|rules| rules.counts_presence())
    }

    /// The feature that owns `command` (by its prefix) and takes part in `room`.
    pub fn for_command(&self, room: RoomId, command: &str) -> AppResult<&dyn LiveFeature> {
        let prefix = command
            .split_once('.')
            .map_or(command, |(prefix, _)| prefix);
        self.in_room(room)
            .find(|feature| feature.name() == prefix)
            .ok_or(AppError::NotFound("command"))
    }

    /// The features that take part in `room`, in registration order.
    pub fn in_room(&self, room: RoomId) -> impl Iterator<Item = &dyn LiveFeature> {
        self.features
            .iter()
            .map(|feature| feature.as_ref())
            .filter(move |feature| feature.rooms().contains(&room.kind))
    }

    pub fn all(&self) -> impl Iterator<Item = &dyn LiveFeature> {
        self.features.iter().map(|feature| feature.as_ref())
    }
}

/// A kind's name for the lookup map, kept for the life of the process (a few per feature,
/// registered once).
fn leak(kind: RoomKind) -> &'static str {
    Box::leak(kind.as_str().to_owned().into_boxed_str())
}

/// Reads a command from its name and data into the feature's command enum (serde's
/// adjacently tagged `{"name", "data"}`): an unknown name is `NotFound`, bad data a
/// `BadRequest` saying what is wrong.
pub fn parse_command<C: DeserializeOwned>(name: &str, data: Value) -> AppResult<C> {
    // A command sent without data has empty data.
    let data = if data.is_null() {
        Value::Object(Default::default())
    } else {
        data
    };
    let envelope = serde_json::json!({ "name": name, "data": data });
    serde_json::from_value(envelope).map_err(|error| {
        // serde words an unknown tag this way for every enum; an unknown value inside the
        // data (a state that does not exist, say) names that value instead.
        if error
            .to_string()
            .starts_with(&format!("unknown variant `{name}`"))
        {
            AppError::NotFound("command")
        } else {
            AppError::BadRequest(format!("invalid data: {error}"))
        }
    })
}

/// Longest chat message or announcement, in characters.
pub const MAX_POST_CHARS: usize = 2_000;

/// A posted text (a chat message, an announcement) in field `body`: trimmed, 1 to
/// [`MAX_POST_CHARS`] characters.
pub fn posted_text(body: &str) -> AppResult<String> {
    bounded_text("body", body, MAX_POST_CHARS)
}

/// The text of `field`, trimmed: 1 to `max` characters.
pub fn bounded_text(field: &str, text: &str, max: usize) -> AppResult<String> {
    let text = text.trim();
    let chars = text.chars().count();
    if chars == 0 {
        return Err(AppError::field(field, Problem::Required));
    }
    if chars > max {
        return Err(AppError::field(field, Problem::TooLong { max }));
    }
    Ok(text.to_owned())
}

/// A command's typed result, or a snapshot part, as JSON.
pub fn to_json<T: Serialize>(value: &T) -> AppResult<Value> {
    serde_json::to_value(value).map_err(|error| AppError::Internal(error.into()))
}

/// The TypeScript module of the wire types in `backend/src/<folder>/wire.rs`, generated by
/// ts-rs from `decls`: its path, `frontend/src/lib/<folder>/live.ts`, and its text.
pub fn typescript_module(folder: &str, decls: &[String]) -> (String, String) {
    let mut out = format!(
        "// Generated from backend/src/{folder}/wire.rs by ts-rs. Do not edit.\n\
         // Regenerate: UPDATE_LIVE_TS=1 cargo test -p viaduc live_ts\n\n"
    );
    for decl in decls {
        out.push_str("export ");
        out.push_str(decl);
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    (format!("frontend/src/lib/{folder}/live.ts"), out)
}

/// The ts-rs settings every generated module shares.
pub fn ts_config() -> ts_rs::Config {
    ts_rs::Config::new().with_large_int("number")
}
