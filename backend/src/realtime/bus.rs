//! PostgreSQL as the bus between nodes. After commit a node NOTIFYs — outside the write
//! transaction and coalesced, since NOTIFY takes a global lock at commit — naming the rooms
//! that advanced; every node LISTENs and reads the new rows from the log. The listener
//! reconnects after a database restart and catches up from the log. The same listener
//! carries access changes (`access_changes`): a logout closes the login's sockets, a changed
//! role or a removal has the person's rooms re-checked, within the NOTIFY's delivery.

use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::PgListener;
use uuid::Uuid;

use super::connections::Recheck;
use super::hub::Hub;
use super::presence::Presence;
use super::protocol::close;
use super::pulse::{Pulses, PULSE_CHANNEL};
use super::room::RoomId;
use crate::access_changes::{self, AccessChange};
use crate::error::AppResult;

pub const ROOMS_CHANNEL: &str = "viaduc_rooms";
pub const PRESENCE_CHANNEL: &str = "viaduc_presence";
/// Changes are gathered this long before one NOTIFY names them all.
const COALESCE: Duration = Duration::from_millis(2);
/// NOTIFY payloads must stay under 8,000 bytes.
const MAX_PAYLOAD: usize = 7_000;

/// `<node id>|room,room,...` payloads, each under the size limit.
pub fn payloads(node_id: Uuid, rooms: impl IntoIterator<Item = RoomId>) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = format!("{node_id}|");
    let header = current.len();
    for room in rooms {
        let name = room.to_string();
        if current.len() + name.len() + 1 > MAX_PAYLOAD {
            out.push(std::mem::replace(&mut current, format!("{node_id}|")));
        }
        if current.len() > header {
            current.push(',');
        }
        current.push_str(&name);
    }
    if current.len() > header {
        out.push(current);
    }
    out
}

/// The sender and the rooms of a payload.
fn parse_payload(payload: &str) -> Option<(Uuid, Vec<RoomId>)> {
    let (node, rooms) = payload.split_once('|')?;
    let rooms = rooms
        .split(',')
        .filter_map(|room| room.parse().ok())
        .collect();
    Some((node.parse().ok()?, rooms))
}

/// Sends `pg_notify(channel, payload)` for each payload.
pub async fn notify(db: &sqlx::PgPool, channel: &str, payloads: &[String]) -> sqlx::Result<()> {
    for payload in payloads {
        sqlx::query!("select pg_notify($1, $2)", channel, payload)
            .execute(db)
            .await?;
    }
    Ok(())
}

/// Announces the rooms this node advanced, a few milliseconds' worth at a time.
#[tracing::instrument(skip_all)]
pub async fn run_notifier(hub: Arc<Hub>) {
    loop {
        hub.advanced_signal.notified().await;
        tokio::time::sleep(COALESCE).await;
        let rooms: Vec<RoomId> = std::mem::take(
            &mut *hub
                .advanced
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        )
        .into_iter()
        .collect();
        if rooms.is_empty() {
            continue;
        }
        if let Err(error) = notify(
            hub.db(),
            ROOMS_CHANNEL,
            &payloads(hub.node_id, rooms.iter().copied()),
        )
        .await
        {
            // The other nodes' sweeps will find these rooms anyway; keep them for the next try.
            tracing::warn!(?error, "NOTIFY failed");
            hub.advanced
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .extend(rooms);
            tokio::time::sleep(Duration::from_millis(500)).await;
            hub.advanced_signal.notify_one();
        }
    }
}

/// LISTENs for the other nodes, reconnecting with back-off; after every (re)connection the
/// hub re-reads the log so nothing published during the gap is missed.
#[tracing::instrument(skip_all)]
pub async fn run_listener(hub: Arc<Hub>, presence: Arc<Presence>, pulses: Arc<Pulses>) {
    let mut backoff = Duration::from_millis(100);
    // The last access change acted on; `None` until the first connection.
    let mut access_seen: Option<i64> = None;
    loop {
        let mut listener = match PgListener::connect_with(hub.db()).await {
            Ok(listener) => listener,
            Err(error) => {
                tracing::warn!(?error, "cannot connect the listener; retrying");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(2));
                continue;
            }
        };
        let channels = [
            ROOMS_CHANNEL,
            PRESENCE_CHANNEL,
            PULSE_CHANNEL,
            access_changes::CHANNEL,
        ];
        if let Err(error) = listener.listen_all(channels).await {
            tracing::warn!(?error, "LISTEN failed; retrying");
            tokio::time::sleep(backoff).await;
            continue;
        }
        if let Err(error) = catch_up_access(&hub, &mut access_seen).await {
            tracing::warn!(?error, "cannot read the access changes; reconnecting");
            tokio::time::sleep(backoff).await;
            continue;
        }
        backoff = Duration::from_millis(100);
        tracing::info!("listening for other nodes");
        hub.resync();
        presence.resync();
        loop {
            match listener.try_recv().await {
                Ok(Some(notification)) if notification.channel() == access_changes::CHANNEL => {
                    match serde_json::from_str::<AccessChange>(notification.payload()) {
                        Ok(change) => {
                            access_seen = access_seen.max(Some(change.id));
                            act_on(&hub, change);
                        }
                        Err(error) => tracing::warn!(?error, "unreadable access change"),
                    }
                }
                Ok(Some(notification)) if notification.channel() == PULSE_CHANNEL => {
                    pulses.received(notification.payload());
                }
                Ok(Some(notification)) => {
                    let Some((node, rooms)) = parse_payload(notification.payload()) else {
                        continue;
                    };
                    if node == hub.node_id {
                        continue;
                    }
                    if notification.channel() == PRESENCE_CHANNEL {
                        presence.recount(rooms);
                    } else {
                        hub.advanced_elsewhere(rooms);
                    }
                }
                Ok(None) | Err(_) => {
                    tracing::warn!("the listener lost its connection; reconnecting");
                    break;
                }
            }
        }
    }
}

/// Acts on one access change: a login that ended closes its sockets; a person's changed
/// rights are re-checked on their connections; a room's, on its subscribers.
fn act_on(hub: &Hub, change: AccessChange) {
    if let Some(login_id) = change.login_id {
        hub.connections.close_login(login_id, close::UNAUTHORIZED);
    }
    if let Some(user_id) = change.user_id {
        let scope = change
            .conference_id
            .map_or(Recheck::All, Recheck::Conference);
        hub.connections.recheck_person(user_id, scope);
    } else if let Some(room) = change.room_id.and_then(|room| room.parse::<RoomId>().ok()) {
        hub.recheck_rooms_of(room.id);
    }
}

/// Reads the access changes after `*seen` (those announced while the listener was away).
async fn catch_up_access(hub: &Hub, seen: &mut Option<i64>) -> AppResult<()> {
    let Some(after) = *seen else {
        *seen = Some(access_changes::latest(hub.db()).await?);
        return Ok(());
    };
    for change in access_changes::since(hub.db(), after).await? {
        *seen = Some(change.id);
        act_on(hub, change);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::realtime::room::RoomKind;

    #[test]
    fn payloads_split_under_the_limit_and_parse_back() {
        let node = Uuid::new_v4();
        let rooms: Vec<RoomId> = (0..400)
            .map(|_| RoomId::new(RoomKind::new("session"), Uuid::new_v4()))
            .collect();
        let payloads = payloads(node, rooms.iter().copied());
        assert!(payloads.len() > 1);
        assert!(payloads.iter().all(|payload| payload.len() <= MAX_PAYLOAD));
        let parsed: Vec<RoomId> = payloads
            .iter()
            .flat_map(|payload| {
                let (from, rooms) = parse_payload(payload).unwrap();
                assert_eq!(from, node);
                rooms
            })
            .collect();
        assert_eq!(parsed, rooms);
    }
}
