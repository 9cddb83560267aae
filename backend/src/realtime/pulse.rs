//! Pulses: ephemeral signals that many people send at once — 900 people clapping — reach
//! screens as a few aggregated frames per second, never one frame per click, and are never
//! logged. A feature adds each person's signal (`Pulses::add`); every `WINDOW` the node
//! tells the other nodes what it gathered (one NOTIFY) and sends its local subscribers one
//! `signal` frame per room with everything gathered here and received from the other nodes
//! since the last window. Someone who sends the same signal twice in one window is counted
//! once, so a count is "how many people", and a stuck key cannot flood the room.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::Notify;
use uuid::Uuid;

use super::bus;
use super::hub::Hub;
use super::room::RoomId;

pub const PULSE_CHANNEL: &str = "viaduc_pulses";
/// At most one `signal` frame per room and signal in this time, on each node.
pub const WINDOW: Duration = Duration::from_millis(500);
/// NOTIFY payloads must stay under 8,000 bytes.
const MAX_PAYLOAD: usize = 7_000;

/// How many people sent each key (👏, ❤️, …) of one signal in one room during a window.
pub type Counts = BTreeMap<String, u32>;

/// What one node gathered in one room during a window, as it crosses to the other nodes.
#[derive(Debug, Serialize, Deserialize)]
struct Batch {
    room: String,
    signal: String,
    counts: Counts,
}

#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    node: Uuid,
    batches: Vec<Batch>,
}

type Signal = (RoomId, &'static str);

#[derive(Default)]
struct Gathered {
    /// Who sent which key, per room and signal, on this node.
    local: HashMap<Signal, HashSet<(Uuid, &'static str)>>,
    /// What the other nodes gathered, per room and signal.
    remote: HashMap<(RoomId, String), Counts>,
}

pub struct Pulses {
    hub: Arc<Hub>,
    gathered: Mutex<Gathered>,
    wake: Notify,
}

impl Pulses {
    /// Starts the node's window task.
    pub fn start(hub: Arc<Hub>) -> Arc<Pulses> {
        let pulses = Arc::new(Pulses {
            hub,
            gathered: Mutex::default(),
            wake: Notify::new(),
        });
        tokio::spawn(Arc::clone(&pulses).run());
        pulses
    }

    fn lock(&self) -> MutexGuard<'_, Gathered> {
        self.gathered
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// `person` sent `key` of `signal` in `room`; false when they already had in this window.
    pub fn add(&self, room: RoomId, signal: &'static str, key: &'static str, person: Uuid) -> bool {
        let added = self
            .lock()
            .local
            .entry((room, signal))
            .or_default()
            .insert((person, key));
        self.wake.notify_one();
        added
    }

    /// Another node's window (a NOTIFY payload); this node's own are ignored.
    pub fn received(&self, payload: &str) {
        let Ok(payload) = serde_json::from_str::<Payload>(payload) else {
            tracing::warn!("unreadable pulse payload");
            return;
        };
        if payload.node == self.hub.node_id {
            return;
        }
        let mut gathered = self.lock();
        for batch in payload.batches {
            let Ok(room) = batch.room.parse() else {
                continue;
            };
            add_counts(
                gathered.remote.entry((room, batch.signal)).or_default(),
                &batch.counts,
            );
        }
        drop(gathered);
        self.wake.notify_one();
    }

    async fn run(self: Arc<Self>) {
        loop {
            self.wake.notified().await;
            tokio::time::sleep(WINDOW).await;
            let Gathered { local, remote } = std::mem::take(&mut *self.lock());
            let mine: Vec<(Signal, Counts)> = local
                .into_iter()
                .map(|(signal, senders)| {
                    let mut counts = Counts::new();
                    for (_, key) in senders {
                        *counts.entry(key.to_owned()).or_default() += 1;
                    }
                    (signal, counts)
                })
                .collect();
            self.tell_other_nodes(&mine).await;
            let mut all = remote;
            for ((room, signal), counts) in mine {
                add_counts(all.entry((room, signal.to_owned())).or_default(), &counts);
            }
            for ((room, signal), counts) in all {
                self.hub.signal(room, signal, &counts);
            }
        }
    }

    /// Sends this window's batches to the other nodes. Pulses are ephemeral: a failed
    /// NOTIFY loses them on the other nodes, and is not retried.
    async fn tell_other_nodes(&self, gathered: &[(Signal, Counts)]) {
        if gathered.is_empty() {
            return;
        }
        let batches: Vec<Batch> = gathered
            .iter()
            .map(|((room, signal), counts)| Batch {
                room: room.to_string(),
                signal: (*signal).to_owned(),
                counts: counts.clone(),
            })
            .collect();
        let payloads = payloads(self.hub.node_id, &batches);
        if let Err(error) = bus::notify(self.hub.db(), PULSE_CHANNEL, &payloads).await {
            tracing::debug!(?error, "pulses not sent to the other nodes");
        }
    }
}

fn add_counts(into: &mut Counts, counts: &Counts) {
    for (key, count) in counts {
        *into.entry(key.clone()).or_default() += count;
    }
}

/// The batches as NOTIFY payloads (`{"node": …, "batches": […]}`), each under the size
/// limit.
fn payloads(node: Uuid, batches: &[Batch]) -> Vec<String> {
    let head = format!("{{\"node\":\"{node}\",\"batches\":[");
    let mut out = Vec::new();
    let mut current = head.clone();
    for batch in batches {
        let text = serde_json::to_string(batch).expect("pulse batches always serialize");
        if current.len() > head.len() && current.len() + text.len() + 2 > MAX_PAYLOAD {
            current.push_str("]}");
            out.push(std::mem::replace(&mut current, head.clone()));
        }
        if current.len() > head.len() {
            current.push(',');
        }
        current.push_str(&text);
    }
    if current.len() > head.len() {
        current.push_str("]}");
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::realtime::room::RoomKind;

    #[test]
    fn payloads_split_under_the_limit_and_parse_back() {
        let node = Uuid::new_v4();
        let batches: Vec<Batch> = (0..300)
            .map(|n| Batch {
                room: RoomId::new(RoomKind::new("session"), Uuid::new_v4()).to_string(),
                signal: "reaction.burst".into(),
                counts: Counts::from([("clap".into(), n), ("heart".into(), 1)]),
            })
            .collect();
        let payloads = payloads(node, &batches);
        assert!(payloads.len() > 1);
        assert!(payloads.iter().all(|payload| payload.len() <= MAX_PAYLOAD));
        let parsed: Vec<u32> = payloads
            .iter()
            .flat_map(|text| {
                let payload: Payload = serde_json::from_str(text).unwrap();
                assert_eq!(payload.node, node);
                payload.batches
            })
            .map(|batch| batch.counts["clap"])
            .collect();
        assert_eq!(parsed, (0..300).collect::<Vec<u32>>());
    }
}
