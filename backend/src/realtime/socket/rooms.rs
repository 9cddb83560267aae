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

/// A room of this connection: the one map of its rooms.
pub(super) struct Joined {
    pub(super) delivery: Delivery,
    /// The person's rights here; `None` until the first subscription is through.
    pub(super) rights: Option<Rights>,
    /// Held while in the room, for rooms that count presence.
    pub(super) _presence: Option<PresenceGuard>,
}

impl Joined {
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
        for (room, joined) in &mut self.rooms {
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
