//! A connection's rooms, in one map: each room's rights and presence, and where its events
//! stand (merged by seq: buffered while the log is read, de-duplicated, a gap refilled).

use axum::extract::ws::{Message, Utf8Bytes};

use super::super::connections::Recheck;
use super::super::hub::QUEUE_CAPACITY;
use super::super::jobs::Reply;
use super::super::presence::PresenceGuard;
use super::super::protocol::close;
use super::super::room::{Rights, RoomId};
use super::requests::Request;
use super::Connection;

/// Where a room's events stand for this connection.
pub(super) enum Delivery {
    /// Reading the log; live events wait here, to be merged by seq. `live`: the last seq
    /// sent before, when a live room is being re-checked.
    Pending {
        buffer: Vec<(i64, Utf8Bytes)>,
        live: Option<i64>,
    },
    /// The last seq sent.
    Live(i64),
}

/// A connection's rooms, the one map of them: at most `MAX_SUBSCRIPTIONS` and mostly one or
/// two, so a list searched in order and sized to fit. At that size it is smaller than a hash
/// map and quicker to search than a key is to hash, and every delivery looks its room up.
#[derive(Default)]
pub(super) struct Rooms(Vec<(RoomId, Joined)>);

impl Rooms {
    pub(super) fn get(&self, room: &RoomId) -> Option<&Joined> {
        self.0
            .iter()
            .find(|(id, _)| id == room)
            .map(|(_, joined)| joined)
    }

    pub(super) fn get_mut(&mut self, room: &RoomId) -> Option<&mut Joined> {
        let found = self.0.iter_mut().find(|(id, _)| id == room);
        found.map(|(_, joined)| joined)
    }

    pub(super) fn contains(&self, room: &RoomId) -> bool {
        self.get(room).is_some()
    }

    pub(super) fn len(&self) -> usize {
        self.0.len()
    }

    /// Adds `room`, not yet subscribed, unless it is already here.
    pub(super) fn join(&mut self, room: RoomId) {
        if !self.contains(&room) {
            // Grown one by one: subscribing is rare, and most connections stay at one room.
            self.0.reserve_exact(1);
            self.0.push((room, Joined::new()));
        }
    }

    pub(super) fn remove(&mut self, room: &RoomId) -> Option<Joined> {
        let at = self.0.iter().position(|(id, _)| id == room)?;
        Some(self.0.swap_remove(at).1)
    }

    pub(super) fn ids(&self) -> impl Iterator<Item = RoomId> + '_ {
        self.0.iter().map(|(id, _)| *id)
    }
}

/// A room of this connection.
pub(super) struct Joined {
    pub(super) delivery: Delivery,
    /// The person's rights here; `None` until the first subscription is through.
    pub(super) rights: Option<Rights>,
    /// Held while in the room, for rooms that count presence.
    pub(super) _presence: Option<PresenceGuard>,
}

impl Joined {
    fn new() -> Joined {
        Joined {
            delivery: Joined::pending(None),
            rights: None,
            _presence: None,
        }
    }

    pub(super) fn pending(live: Option<i64>) -> Delivery {
        Delivery::Pending {
            buffer: Vec::new(),
            live,
        }
    }
}

impl Connection {
    /// Event `seq` of `room`: sent if it is the next one, buffered while the room replays,
    /// dropped if already sent; a gap makes the room resume from the log.
    pub(super) fn event(&mut self, room: RoomId, seq: i64, frame: Utf8Bytes) -> Option<u16> {
        let joined = self.rooms.get_mut(&room)?;
        match &mut joined.delivery {
            Delivery::Pending { buffer, .. } if buffer.len() >= QUEUE_CAPACITY => {
                return Some(close::SLOW)
            }
            Delivery::Pending { buffer, .. } => buffer.push((seq, frame)),
            Delivery::Live(last) if seq <= *last => {}
            Delivery::Live(last) if seq == *last + 1 => {
                *last = seq;
                self.out.push(Message::Text(frame));
            }
            Delivery::Live(last) => {
                let since = *last;
                joined.delivery = Delivery::Pending {
                    buffer: vec![(seq, frame)],
                    live: None,
                };
                return self.queue_own(Request::Resume { room, since });
            }
        }
        None
    }

    pub(super) fn reply(&mut self, reply: Reply) -> Option<u16> {
        match reply {
            Reply::Frame(frame) => self.out.push(Message::Text(frame)),
            Reply::Gone { room, frame } => {
                self.rooms.remove(&room);
                self.out.push(Message::Text(frame));
            }
            Reply::Kept { room } => {
                let last = match self.rooms.get(&room).map(|joined| &joined.delivery) {
                    Some(Delivery::Pending {
                        live: Some(last), ..
                    }) => *last,
                    _ => return None,
                };
                return self.go_live(room, last);
            }
            Reply::Rechecked(replies) => {
                for reply in replies {
                    if let Some(code) = self.reply(reply) {
                        return Some(code);
                    }
                }
            }
            Reply::Caught {
                room,
                rights,
                head,
                frames,
            } => {
                self.out.extend(frames.into_iter().map(Message::Text));
                let joined = self.rooms.get_mut(&room)?;
                if let Some(rights) = rights {
                    if joined._presence.is_none() && self.jobs.features.counts_presence(room) {
                        joined._presence = Some(self.jobs.presence.join(room, self.jobs.user_id));
                    }
                    joined.rights = Some(rights);
                }
                return self.go_live(room, head);
            }
        }
        None
    }

    /// The room's log was sent up to `head`: the events it buffered meanwhile follow.
    fn go_live(&mut self, room: RoomId, head: i64) -> Option<u16> {
        let joined = self.rooms.get_mut(&room)?;
        let Delivery::Pending { buffer, .. } =
            std::mem::replace(&mut joined.delivery, Delivery::Live(head))
        else {
            return None;
        };
        let mut buffer = buffer;
        buffer.sort_by_key(|(seq, _)| *seq);
        for (seq, frame) in buffer {
            if let Some(code) = self.event(room, seq, frame) {
                return Some(code);
            }
        }
        None
    }

    /// The live rooms `scope` names, with their rights; their events wait until the
    /// re-check is through (it may bring a new snapshot).
    pub(super) fn hold_for_recheck(&mut self, scope: &Recheck) -> Vec<(RoomId, Rights)> {
        let mut held = Vec::new();
        for (room, joined) in &mut self.rooms.0 {
            let (Delivery::Live(last), Some(rights)) = (&joined.delivery, &joined.rights) else {
                continue;
            };
            if scope.covers(*room, rights) {
                held.push((*room, rights.clone()));
                joined.delivery = Joined::pending(Some(*last));
            }
        }
        held
    }
}
