//! The node's hub: which local connection is in which room, and how an event reaches
//! them — serialized once, shared as bytes, pushed to bounded per-connection queues (the
//! pump in `pump.rs` decides when). A connection whose queue is full is cut ("slow") and
//! catches up by replay when it reconnects.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::ws::Utf8Bytes;
use sqlx::PgPool;
use tokio::sync::{mpsc, Notify};
use uuid::Uuid;

use super::connections::{Connections, Kick, Recheck};
use super::log::LoggedEvent;
use super::protocol::{close, ServerMsg};
use super::pulse::Counts;
use super::pump::{run_pump, PumpMsg};
use super::room::RoomId;
use crate::metrics::Metrics;

/// Frames waiting for one connection; beyond this the connection is cut as slow.
pub const QUEUE_CAPACITY: usize = 512;

pub type ConnId = u64;

/// One event as every local subscriber receives it: serialized once, shared.
#[derive(Debug)]
pub struct SharedEvent {
    pub room: RoomId,
    pub seq: i64,
    pub frame: Utf8Bytes,
}

/// What the hub pushes down a connection's queue. A pointer: the queue reserves 32 slots
/// up front for every connection, so its items are kept small.
#[derive(Debug)]
pub enum Outgoing {
    Event(Arc<SharedEvent>),
    Ephemeral(Arc<Utf8Bytes>),
    /// Time to ping the client (and to check that it still answers).
    Ping,
    /// Someone's access changed: re-check the rights in these rooms.
    Recheck(Box<Recheck>),
}

/// The handle the hub keeps for one subscribed connection.
#[derive(Clone)]
pub struct Subscriber {
    pub queue: mpsc::Sender<Outgoing>,
    pub kick: Arc<Kick>,
}

impl Subscriber {
    /// Queues an item; false (and the connection is told to close) when it is full.
    pub fn offer(&self, item: Outgoing) -> bool {
        match self.queue.try_send(item) {
            Ok(()) => true,
            Err(mpsc::error::TrySendError::Full(_)) => {
                self.kick.close_with(close::SLOW);
                false
            }
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        }
    }
}

#[derive(Default)]
pub(super) struct RoomEntry {
    pub(super) subscribers: HashMap<ConnId, Subscriber>,
    /// The last seq delivered here; `None` until the first subscriber saw the head.
    pub(super) cursor: Option<i64>,
    /// Other nodes advanced the room before the cursor was known.
    pub(super) dirty: bool,
    presence: Option<i64>,
}

impl RoomEntry {
    pub(super) fn deliver(&mut self, event: &LoggedEvent, metrics: &Metrics) {
        metrics.delivered(self.subscribers.len());
        let shared = Arc::new(SharedEvent {
            room: event.room,
            seq: event.seq,
            frame: event_frame(event),
        });
        self.subscribers
            .retain(|_, subscriber| subscriber.offer(Outgoing::Event(Arc::clone(&shared))));
        self.cursor = Some(event.seq);
    }

    /// Sends every subscriber a frame that is not logged (presence, pulses).
    fn send_ephemeral(&mut self, message: &ServerMsg) {
        let frame = Arc::new(frame(message));
        self.subscribers
            .retain(|_, subscriber| subscriber.offer(Outgoing::Ephemeral(Arc::clone(&frame))));
    }
}

/// Serializes an event once; every subscriber gets the same bytes.
pub fn event_frame(event: &LoggedEvent) -> Utf8Bytes {
    frame(&ServerMsg::Event {
        room: event.room.to_string(),
        seq: event.seq,
        name: event.name.clone(),
        data: event.data.clone(),
    })
}

pub fn frame(message: &ServerMsg) -> Utf8Bytes {
    serde_json::to_string(message)
        .expect("server messages always serialize")
        .into()
}

pub struct Hub {
    pub node_id: Uuid,
    db: PgPool,
    rooms: Mutex<HashMap<RoomId, RoomEntry>>,
    /// The open connections of this node.
    pub connections: Connections,
    pub metrics: Arc<Metrics>,
    pump: mpsc::UnboundedSender<PumpMsg>,
    /// Rooms this node advanced, for the coalescing notifier.
    pub(super) advanced: Mutex<HashSet<RoomId>>,
    pub(super) advanced_signal: Notify,
}

impl Hub {
    /// Creates the hub and starts its pump.
    pub fn start(db: PgPool, metrics: Arc<Metrics>) -> Arc<Hub> {
        let (pump, pump_rx) = mpsc::unbounded_channel();
        let hub = Arc::new(Hub {
            node_id: Uuid::new_v4(),
            db,
            rooms: Mutex::default(),
            connections: Connections::default(),
            metrics,
            pump,
            advanced: Mutex::default(),
            advanced_signal: Notify::new(),
        });
        tokio::spawn(run_pump(Arc::clone(&hub), pump_rx));
        hub
    }

    pub fn db(&self) -> &PgPool {
        &self.db
    }

    pub(super) fn rooms(&self) -> MutexGuard<'_, HashMap<RoomId, RoomEntry>> {
        self.rooms
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn subscribe(&self, room: RoomId, id: ConnId, subscriber: Subscriber) {
        self.rooms()
            .entry(room)
            .or_default()
            .subscribers
            .insert(id, subscriber);
    }

    pub fn unsubscribe(&self, room: RoomId, id: ConnId) {
        let mut rooms = self.rooms();
        if let Some(entry) = rooms.get_mut(&room) {
            entry.subscribers.remove(&id);
            if entry.subscribers.is_empty() {
                rooms.remove(&room);
            }
        }
    }

    /// Tells the pump the head a new subscriber saw, so it knows where to read from.
    pub fn seed(&self, room: RoomId, seq: i64) {
        let _ = self.pump.send(PumpMsg::Seed(room, seq));
    }

    /// Events committed on this node: deliver locally, tell the other nodes.
    pub fn published(&self, events: Vec<LoggedEvent>) {
        if events.is_empty() {
            return;
        }
        self.metrics.published(events.len());
        self.advanced
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .extend(events.iter().map(|event| event.room));
        self.advanced_signal.notify_one();
        let _ = self.pump.send(PumpMsg::Local(events));
    }

    /// Another node advanced these rooms.
    pub fn advanced_elsewhere(&self, rooms: Vec<RoomId>) {
        let _ = self.pump.send(PumpMsg::Advanced(rooms));
    }

    /// Re-read every local room from the log (after the listener reconnected).
    pub fn resync(&self) {
        let _ = self.pump.send(PumpMsg::ResyncAll);
    }

    /// Re-checks the rights of every local subscriber of the rooms of `id` (a session's room
    /// and its backstage, say), once per connection.
    pub fn recheck_rooms_of(&self, id: Uuid) {
        let mut concerned = HashMap::new();
        for (room, entry) in self.rooms().iter() {
            if room.id == id {
                concerned.extend(
                    entry
                        .subscribers
                        .iter()
                        .map(|(conn, sub)| (*conn, sub.clone())),
                );
            }
        }
        for subscriber in concerned.values() {
            subscriber.offer(Outgoing::Recheck(Box::new(Recheck::RoomsOf(id))));
        }
    }

    /// Local rooms (with at least one subscriber).
    pub fn local_rooms(&self) -> Vec<RoomId> {
        self.rooms().keys().copied().collect()
    }

    /// The presence count last broadcast in `room`.
    pub fn presence(&self, room: RoomId) -> Option<i64> {
        self.rooms().get(&room).and_then(|entry| entry.presence)
    }

    /// Broadcasts a new presence count when it changed.
    pub fn set_presence(&self, room: RoomId, count: i64) {
        let mut rooms = self.rooms();
        let Some(entry) = rooms.get_mut(&room) else {
            return;
        };
        if entry.presence == Some(count) {
            return;
        }
        entry.presence = Some(count);
        entry.send_ephemeral(&ServerMsg::Presence {
            room: room.to_string(),
            count,
        });
    }

    /// Sends the local subscribers of `room` a pulse's aggregated `counts` (see `pulse.rs`).
    pub fn signal(&self, room: RoomId, name: String, counts: &Counts) {
        if let Some(entry) = self.rooms().get_mut(&room) {
            entry.send_ephemeral(&ServerMsg::Signal {
                room: room.to_string(),
                name,
                counts: counts.clone(),
            });
        }
    }
}
