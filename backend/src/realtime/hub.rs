//! The node's hub: which local connection is in which room, and the pump that delivers
//! each room's events in seq order — serialized once, shared as bytes, pushed to bounded
//! per-connection queues. A connection whose queue is full is cut ("slow") and catches up
//! by replay when it reconnects.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::extract::ws::Utf8Bytes;
use sqlx::PgPool;
use tokio::sync::{mpsc, Notify};
use uuid::Uuid;

use super::connections::{Connections, Kick};
use super::log::{self, LoggedEvent};
use super::protocol::{close, ServerMsg};
use super::room::RoomId;

/// Frames waiting for one connection; beyond this the connection is cut as slow.
pub const QUEUE_CAPACITY: usize = 512;
/// Rows read from the log per catch-up query.
const CATCH_UP_BATCH: i64 = 2_000;
/// How often every local room's head is compared with the log (a missed NOTIFY costs at
/// most this much latency).
const SWEEP_EVERY: Duration = Duration::from_secs(1);

pub type ConnId = u64;

/// What the hub pushes down a connection's queue.
#[derive(Debug, Clone)]
pub enum Outgoing {
    Event {
        room: RoomId,
        seq: i64,
        frame: Utf8Bytes,
    },
    Ephemeral(Utf8Bytes),
}

/// The handle the hub keeps for one subscribed connection.
#[derive(Clone)]
pub struct Subscriber {
    pub queue: mpsc::Sender<Outgoing>,
    pub kick: Kick,
}

impl Subscriber {
    /// Queues a frame; false (and the connection is told to close) when it is full.
    fn offer(&self, item: Outgoing) -> bool {
        match self.queue.try_send(item) {
            Ok(()) => true,
            Err(mpsc::error::TrySendError::Full(_)) => {
                self.kick.send_replace(Some(close::SLOW));
                false
            }
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        }
    }
}

#[derive(Default)]
struct RoomEntry {
    subscribers: HashMap<ConnId, Subscriber>,
    /// The last seq delivered here; `None` until the first subscriber saw the head.
    cursor: Option<i64>,
    /// Other nodes advanced the room before the cursor was known.
    dirty: bool,
    presence: Option<i64>,
}

impl RoomEntry {
    fn deliver(&mut self, event: &LoggedEvent) {
        let frame = event_frame(event);
        self.subscribers.retain(|_, subscriber| {
            subscriber.offer(Outgoing::Event {
                room: event.room,
                seq: event.seq,
                frame: frame.clone(),
            })
        });
        self.cursor = Some(event.seq);
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

enum PumpMsg {
    Local(Vec<LoggedEvent>),
    Advanced(Vec<RoomId>),
    ResyncAll,
    Seed(RoomId, i64),
}

pub struct Hub {
    pub node_id: Uuid,
    db: PgPool,
    rooms: Mutex<HashMap<RoomId, RoomEntry>>,
    /// The open connections of this node.
    pub connections: Connections,
    pump: mpsc::UnboundedSender<PumpMsg>,
    /// Rooms this node advanced, for the coalescing notifier.
    pub(super) advanced: Mutex<HashSet<RoomId>>,
    pub(super) advanced_signal: Notify,
}

impl Hub {
    /// Creates the hub and starts its pump.
    pub fn start(db: PgPool) -> Arc<Hub> {
        let (pump, pump_rx) = mpsc::unbounded_channel();
        let hub = Arc::new(Hub {
            node_id: Uuid::new_v4(),
            db,
            rooms: Mutex::default(),
            connections: Connections::default(),
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

    fn rooms(&self) -> MutexGuard<'_, HashMap<RoomId, RoomEntry>> {
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
        let frame = frame(&ServerMsg::Presence {
            room: room.to_string(),
            count,
        });
        entry
            .subscribers
            .retain(|_, subscriber| subscriber.offer(Outgoing::Ephemeral(frame.clone())));
    }

    /// Reads from the log what local rooms miss and delivers it in order.
    async fn catch_up(&self, rooms: HashSet<RoomId>) {
        loop {
            let cursors: Vec<(RoomId, i64)> = {
                let entries = self.rooms();
                rooms
                    .iter()
                    .filter_map(|room| Some((*room, entries.get(room)?.cursor?)))
                    .collect()
            };
            if cursors.is_empty() {
                return;
            }
            let events = match log::after_cursors(&self.db, &cursors, CATCH_UP_BATCH).await {
                Ok(events) => events,
                Err(error) => {
                    // The sweep retries once the database answers again.
                    tracing::warn!(?error, "reading the room log failed");
                    return;
                }
            };
            let full = events.len() as i64 >= CATCH_UP_BATCH;
            let mut entries = self.rooms();
            for event in &events {
                if let Some(entry) = entries.get_mut(&event.room) {
                    if entry.cursor == Some(event.seq - 1) {
                        entry.deliver(event);
                    }
                }
            }
            if !full {
                return;
            }
        }
    }

    /// Finds local rooms whose log advanced without us hearing about it.
    async fn sweep(&self) {
        let known: HashMap<RoomId, i64> = self
            .rooms()
            .iter()
            .filter_map(|(room, entry)| Some((*room, entry.cursor?)))
            .collect();
        if known.is_empty() {
            return;
        }
        let rooms: Vec<RoomId> = known.keys().copied().collect();
        match log::heads(&self.db, &rooms).await {
            Ok(heads) => {
                let behind: HashSet<RoomId> = heads
                    .into_iter()
                    .filter(|(room, head)| known.get(room).is_some_and(|cursor| head > cursor))
                    .map(|(room, _)| room)
                    .collect();
                if !behind.is_empty() {
                    self.catch_up(behind).await;
                }
            }
            Err(error) => tracing::debug!(?error, "sweep skipped: database unavailable"),
        }
    }
}

#[tracing::instrument(skip_all)]
async fn run_pump(hub: Arc<Hub>, mut inbox: mpsc::UnboundedReceiver<PumpMsg>) {
    let mut sweep = tokio::time::interval(SWEEP_EVERY);
    sweep.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let first = tokio::select! {
            message = inbox.recv() => match message {
                Some(message) => message,
                None => return,
            },
            _ = sweep.tick() => {
                hub.sweep().await;
                continue;
            }
        };
        let mut batch = vec![first];
        while batch.len() < 1024 {
            match inbox.try_recv() {
                Ok(message) => batch.push(message),
                Err(_) => break,
            }
        }
        let fetch = apply_batch(&hub, batch);
        if !fetch.is_empty() {
            hub.catch_up(fetch).await;
        }
    }
}

/// Delivers what can be delivered in order right now; returns the rooms to read from the log.
fn apply_batch(hub: &Hub, batch: Vec<PumpMsg>) -> HashSet<RoomId> {
    let mut fetch = HashSet::new();
    let mut rooms = hub.rooms();
    for message in batch {
        match message {
            PumpMsg::Local(events) => {
                for event in events {
                    let Some(entry) = rooms.get_mut(&event.room) else {
                        continue;
                    };
                    match entry.cursor {
                        Some(cursor) if event.seq <= cursor => {}
                        Some(cursor) if event.seq == cursor + 1 => entry.deliver(&event),
                        Some(_) => {
                            fetch.insert(event.room);
                        }
                        None => entry.deliver(&event),
                    }
                }
            }
            PumpMsg::Advanced(advanced) => {
                for room in advanced {
                    if let Some(entry) = rooms.get_mut(&room) {
                        if entry.cursor.is_some() {
                            fetch.insert(room);
                        } else {
                            entry.dirty = true;
                        }
                    }
                }
            }
            PumpMsg::ResyncAll => {
                fetch.extend(
                    rooms
                        .iter()
                        .filter(|(_, e)| e.cursor.is_some())
                        .map(|(r, _)| *r),
                );
            }
            PumpMsg::Seed(room, seq) => {
                if let Some(entry) = rooms.get_mut(&room) {
                    if entry.cursor.is_none() {
                        entry.cursor = Some(seq);
                        if std::mem::take(&mut entry.dirty) {
                            fetch.insert(room);
                        }
                    }
                }
            }
        }
    }
    fetch
}
