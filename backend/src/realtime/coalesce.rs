//! Counts that change at a high rate — upvotes, poll answers, turnout — are exact in the
//! database and acknowledged to their author at once, but reach screens coalesced
//! (invariant 10 of DESIGN.md): one event per vote in a 900-person room would be 810,000
//! deliveries. A command marks what it changed (`EventTx::touch`); once it has committed,
//! this node's tally task wakes, waits out the rest of a short window, and appends to each
//! room touched one event with the exact counts of everything touched since — read under
//! the room's lock, so a later event never carries older counts, whichever node writes it.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use tokio::sync::Notify;
use uuid::Uuid;

use super::hub::Hub;
use super::log::{self, EventTx};
use super::room::RoomId;
use crate::error::AppResult;

/// At most one count event per room in this time.
pub const WINDOW: Duration = Duration::from_millis(250);

/// What a feature counts: it appends the event that carries the counts.
#[async_trait]
pub trait Tally: Send + Sync + 'static {
    /// Appends to `room`, in `etx` (which holds the room's lock), one event with the exact
    /// counts of `items`.
    async fn tally(&self, etx: &mut EventTx, room: RoomId, items: Vec<Uuid>) -> AppResult<()>;
}

/// The items touched since the last tally, by room.
#[derive(Default)]
pub struct Coalesced {
    touched: Mutex<HashMap<RoomId, HashSet<Uuid>>>,
    wake: Notify,
}

impl Coalesced {
    /// `item` of `room` changed and its change committed.
    pub(super) fn touch(&self, room: RoomId, item: Uuid) {
        self.lock().entry(room).or_default().insert(item);
        self.wake.notify_one();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<RoomId, HashSet<Uuid>>> {
        self.touched
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The node's tally task: runs for the life of the process.
    pub async fn run(self: Arc<Self>, hub: Arc<Hub>, tally: impl Tally) {
        loop {
            self.wake.notified().await;
            tokio::time::sleep(WINDOW).await;
            let touched = std::mem::take(&mut *self.lock());
            for (room, items) in touched {
                if let Err(error) = tally_room(&hub, &tally, room, &items).await {
                    // Counted again at the next window (the database may be away).
                    tracing::warn!(%room, %error, "counts not published, retrying");
                    for item in items {
                        self.touch(room, item);
                    }
                }
            }
        }
    }
}

async fn tally_room(
    hub: &Hub,
    tally: &impl Tally,
    room: RoomId,
    items: &HashSet<Uuid>,
) -> AppResult<()> {
    let mut etx = EventTx::begin(hub.db()).await?;
    log::lock_room(etx.conn(), room).await?;
    let items = items.iter().copied().collect();
    tally.tally(&mut etx, room, items).await?;
    etx.commit(hub).await
}
