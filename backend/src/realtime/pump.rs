//! The hub's pump: one task per node that delivers each local room's events in seq order.
//! Events committed here arrive directly; rooms other nodes advanced, or whose cursor
//! fell behind, are read from the log; a sweep every second catches a missed NOTIFY.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;

use super::hub::Hub;
use super::log::{self, LoggedEvent};
use super::room::RoomId;

/// Rows read from the log per catch-up query.
const CATCH_UP_BATCH: i64 = 2_000;
/// How often every local room's head is compared with the log (a missed NOTIFY costs at
/// most this much latency).
const SWEEP_EVERY: Duration = Duration::from_secs(1);

/// What the hub tells its pump.
pub(super) enum PumpMsg {
    Local(Vec<LoggedEvent>),
    Advanced(Vec<RoomId>),
    ResyncAll,
    Seed(RoomId, i64),
}

impl Hub {
    /// Reads from the log what local rooms miss and delivers it in order.
    pub(super) async fn catch_up(&self, rooms: HashSet<RoomId>) {
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
            let events = match log::after_cursors(self.db(), &cursors, CATCH_UP_BATCH).await {
                Ok(events) => events,
                Err(error) => {
                    // The sweep retries once the database answers again.
                    tracing::warn!(?error, "reading the room log failed");
                    return;
                }
            };
            let full = events.len() as i64 >= CATCH_UP_BATCH;
            let mut entries = self.rooms();
            for (event, age_secs) in &events {
                if let Some(entry) = entries.get_mut(&event.room) {
                    if entry.cursor == Some(event.seq - 1) {
                        self.metrics.bus_lag(*age_secs);
                        entry.deliver(event, &self.metrics);
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
        match log::heads(self.db(), &rooms).await {
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
pub(super) async fn run_pump(hub: Arc<Hub>, mut inbox: mpsc::UnboundedReceiver<PumpMsg>) {
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
                        Some(cursor) if event.seq == cursor + 1 => {
                            entry.deliver(&event, &hub.metrics)
                        }
                        Some(_) => {
                            fetch.insert(event.room);
                        }
                        None => entry.deliver(&event, &hub.metrics),
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
