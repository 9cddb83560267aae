//! Room names and rights. A room is `<kind>:<uuid>` (`session:…`, `user:…`): one generic
//! rule, checked here and by the `rooms_id_format` constraint, so a feature that brings a
//! new kind of room needs no change of the core. Which kinds exist, and who may enter them,
//! the features say (see `feature.rs`).

use std::fmt;
use std::str::FromStr;

use uuid::Uuid;

use crate::error::{AppError, AppResult};

/// Longest room kind, in bytes (the kind is kept inline so a room id stays `Copy`).
const MAX_KIND: usize = 15;

/// The kind part of a room name: 1 to 15 of `a-z` and `_`, starting with a letter.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct RoomKind {
    len: u8,
    bytes: [u8; MAX_KIND],
}

impl RoomKind {
    /// A kind from a constant; an invalid name fails the build (`const` evaluation).
    pub const fn new(name: &'static str) -> RoomKind {
        match RoomKind::parse(name) {
            Some(kind) => kind,
            None => panic!("a room kind is 1 to 15 of a-z and _, starting with a letter"),
        }
    }

    const fn parse(name: &str) -> Option<RoomKind> {
        let given = name.as_bytes();
        if given.is_empty() || given.len() > MAX_KIND || !given[0].is_ascii_lowercase() {
            return None;
        }
        let mut bytes = [0u8; MAX_KIND];
        let mut at = 0;
        while at < given.len() {
            if !(given[at].is_ascii_lowercase() || given[at] == b'_') {
                return None;
            }
            bytes[at] = given[at];
            at += 1;
        }
        Some(RoomKind {
            len: given.len() as u8,
            bytes,
        })
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII letters and `_` are ever stored.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }
}

impl fmt::Debug for RoomKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A room: its kind and the id of what it belongs to (a session, a person, a conference…).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RoomId {
    pub kind: RoomKind,
    pub id: Uuid,
}

impl RoomId {
    pub const fn new(kind: RoomKind, id: Uuid) -> RoomId {
        RoomId { kind, id }
    }
}

impl fmt::Display for RoomId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind.as_str(), self.id)
    }
}

impl FromStr for RoomId {
    type Err = AppError;

    /// Parses the syntax only; whether such a room exists is the feature's to say.
    fn from_str(value: &str) -> AppResult<Self> {
        let bad = || AppError::NotFound("room");
        let (kind, id) = value.split_once(':').ok_or_else(bad)?;
        let kind = RoomKind::parse(kind).ok_or_else(bad)?;
        let parsed = Uuid::parse_str(id).map_err(|_| bad())?;
        // Only the canonical (lowercase, hyphenated) spelling names a room.
        if parsed.to_string() != id {
            return Err(bad());
        }
        Ok(RoomId::new(kind, parsed))
    }
}

/// The role of whoever runs a room (moderates its chat, sees who is present). Room kinds
/// grant it; features and the core's `presence.list` check it.
pub const MODERATOR: &str = "moderator";

/// What a person may do in a room they entered: their roles there, computed by the room
/// kind's owner from the same rules its REST routes use, and sent to the client in
/// `subscribed`. Roles are cumulative words (an organiser also holds `moderator`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rights {
    /// The conference the room belongs to (`None` for a personal room).
    pub conference_id: Option<Uuid>,
    pub roles: Vec<&'static str>,
}

impl Rights {
    pub fn has(&self, role: &str) -> bool {
        self.roles.contains(&role)
    }

    /// `Forbidden` with `message` unless the person holds `role` here.
    pub fn require(&self, role: &str, message: &'static str) -> AppResult<()> {
        if self.has(role) {
            Ok(())
        } else {
            Err(AppError::Forbidden(message))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SESSION: RoomKind = RoomKind::new("session");

    #[test]
    fn room_names_round_trip_and_reject_noise() {
        let id = Uuid::new_v4();
        let room = RoomId::new(SESSION, id);
        assert_eq!(room.to_string(), format!("session:{id}"));
        assert_eq!(room.to_string().parse::<RoomId>().unwrap(), room);
        let pair = RoomId::new(RoomKind::new("networking_pair"), id);
        assert_eq!(pair.to_string().parse::<RoomId>().unwrap(), pair);
        for bad in [
            format!("session:{}", id.simple()),
            format!("session:{}", id.to_string().to_uppercase()),
            format!("Session:{id}"),
            format!("_x:{id}"),
            format!("a_kind_too_long_now:{id}"),
            format!(":{id}"),
            "session".to_owned(),
        ] {
            assert!(bad.parse::<RoomId>().is_err(), "{bad}");
        }
    }
}
