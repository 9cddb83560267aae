//! PostgreSQL as the bus between nodes. After commit a node NOTIFYs — outside the write
//! transaction and coalesced, since NOTIFY takes a global lock at commit — naming the rooms
//! that advanced; every node LISTENs and reads the new rows from the log. The listener
//! reconnects after a database restart and catches up from the log. A watcher acts on lost
//! access on every node: it closes the sockets of revoked logins (logout) and ends the
//! subscriptions of people removed from a conference.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::postgres::PgListener;
use uuid::Uuid;

use super::hub::Hub;
use super::presence::Presence;
use super::protocol::close;
use super::room::RoomId;

pub const ROOMS_CHANNEL: &str = "viaduc_rooms";
pub const PRESENCE_CHANNEL: &str = "viaduc_presence";
/// Changes are gathered this long before one NOTIFY names them all.
const COALESCE: Duration = Duration::from_millis(2);
/// NOTIFY payloads must stay under 8,000 bytes.
const MAX_PAYLOAD: usize = 7_000;
const ACCESS_POLL: Duration = Duration::from_millis(500);

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
pub async fn run_listener(hub: Arc<Hub>, presence: Arc<Presence>) {
    let mut backoff = Duration::from_millis(100);
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
        if let Err(error) = listener.listen_all([ROOMS_CHANNEL, PRESENCE_CHANNEL]).await {
            tracing::warn!(?error, "LISTEN failed; retrying");
            tokio::time::sleep(backoff).await;
            continue;
        }
        backoff = Duration::from_millis(100);
        tracing::info!("listening for other nodes");
        hub.resync();
        presence.resync();
        loop {
            match listener.try_recv().await {
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

/// Acts, within about half a second, on access lost on any node: closes the sockets of
/// revoked logins (logout), and ends the subscriptions of people removed from a conference
/// to its rooms.
#[tracing::instrument(skip_all)]
pub async fn run_access_watcher(hub: Arc<Hub>) {
    let mut since: Option<DateTime<Utc>> = None;
    let mut tick = tokio::time::interval(ACCESS_POLL);
    loop {
        tick.tick().await;
        let now = match sqlx::query_scalar!(r#"select now() as "now!""#)
            .fetch_one(hub.db())
            .await
        {
            Ok(now) => now,
            Err(_) => continue,
        };
        let Some(from) = since else {
            since = Some(now);
            continue;
        };
        // The overlap covers transactions that committed late with an earlier timestamp.
        let from = from - chrono::Duration::seconds(5);
        if revoke_logins(&hub, from).await.is_ok() && end_memberships(&hub, from).await.is_ok() {
            since = Some(now);
        }
    }
}

async fn revoke_logins(hub: &Hub, from: DateTime<Utc>) -> sqlx::Result<()> {
    let revoked: HashSet<Uuid> = sqlx::query_scalar!(
        "select distinct family_id from refresh_tokens where revoked_at > $1",
        from
    )
    .fetch_all(hub.db())
    .await?
    .into_iter()
    .collect();
    if !revoked.is_empty() {
        hub.connections.close_logins(&revoked, close::UNAUTHORIZED);
    }
    Ok(())
}

/// Removals are read from the audit log (`member.remove`, written with the removal); a
/// person who is a member again, or a platform organiser, keeps their rooms.
async fn end_memberships(hub: &Hub, from: DateTime<Utc>) -> sqlx::Result<()> {
    let removed = sqlx::query!(
        r#"select distinct a.conference_id as "conference_id!", u.id as user_id
           from audit_log a
           join users u on u.id = (a.details->>'user_id')::uuid
           where a.action = 'member.remove' and a.created_at > $1
             and not u.is_platform_organiser
             and not exists (select 1 from conference_members m
                             where m.conference_id = a.conference_id and m.user_id = u.id)"#,
        from
    )
    .fetch_all(hub.db())
    .await?;
    for removal in removed {
        hub.connections
            .end_membership(removal.user_id, removal.conference_id);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_split_under_the_limit_and_parse_back() {
        let node = Uuid::new_v4();
        let rooms: Vec<RoomId> = (0..400).map(|_| RoomId::Session(Uuid::new_v4())).collect();
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
