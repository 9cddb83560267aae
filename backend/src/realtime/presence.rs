//! Presence: who is in a room, counted across nodes. Ephemeral, never in the event log.
//! Each node writes its own rows (`presence`, keyed by node) and a heartbeat
//! (`realtime_nodes`); counts ignore nodes whose heartbeat stopped. A guard held by the
//! subscription announces the leave when it is dropped. Who came at all, first and last
//! seen, is kept durably beside it (`room_attendance`).

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use sqlx::PgPool;
use tokio::sync::Notify;
use uuid::Uuid;

use super::bus::{self, PRESENCE_CHANNEL};
use super::commands::Attendee;
use super::hub::Hub;
use super::room::RoomId;
use crate::error::AppResult;

const FLUSH_EVERY: Duration = Duration::from_millis(200);
/// Most people an attendance list holds (the platform is built for 10,000 at once).
pub const MAX_ATTENDEES: i64 = 10_000;
const HEARTBEAT_EVERY: Duration = Duration::from_secs(5);

type Key = (RoomId, Uuid);

pub struct Presence {
    hub: Arc<Hub>,
    /// Local connections per (room, user).
    local: Mutex<HashMap<Key, usize>>,
    /// (room, user) pairs whose local presence changed since the last flush.
    changed: Mutex<HashSet<Key>>,
    /// Rooms to recount (a node announced a change, or the database came back).
    recount: Mutex<HashSet<RoomId>>,
    /// The node's heartbeat row must be written again before anything is counted.
    beat_first: AtomicBool,
    wake: Notify,
}

/// Held while a connection is in a room; dropping it leaves.
pub struct PresenceGuard {
    presence: Arc<Presence>,
    key: Key,
}

impl Drop for PresenceGuard {
    fn drop(&mut self) {
        let mut local = lock(&self.presence.local);
        if let Some(count) = local.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                local.remove(&self.key);
                lock(&self.presence.changed).insert(self.key);
                self.presence.wake.notify_one();
            }
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Presence {
    pub fn start(hub: Arc<Hub>) -> Arc<Presence> {
        let presence = Arc::new(Presence {
            hub,
            local: Mutex::default(),
            changed: Mutex::default(),
            recount: Mutex::default(),
            beat_first: AtomicBool::new(false),
            wake: Notify::new(),
        });
        tokio::spawn(run(Arc::clone(&presence)));
        presence
    }

    pub fn join(self: &Arc<Self>, room: RoomId, user: Uuid) -> PresenceGuard {
        let key = (room, user);
        let mut local = lock(&self.local);
        let count = local.entry(key).or_default();
        *count += 1;
        if *count == 1 {
            lock(&self.changed).insert(key);
            self.wake.notify_one();
        }
        PresenceGuard {
            presence: Arc::clone(self),
            key,
        }
    }

    /// Another node changed presence in these rooms.
    pub fn recount(&self, rooms: Vec<RoomId>) {
        lock(&self.recount).extend(rooms);
        self.wake.notify_one();
    }

    /// The database came back (its unlogged tables may be empty): write everything again,
    /// the heartbeat first, as counts ignore the rows of a node without one.
    pub fn resync(&self) {
        self.beat_first.store(true, Ordering::Relaxed);
        let keys: Vec<Key> = lock(&self.local).keys().copied().collect();
        lock(&self.changed).extend(keys);
        self.wake.notify_one();
    }

    /// Who is in `room` now, across nodes: (user id, display name).
    pub async fn list(&self, room: RoomId) -> AppResult<Vec<(Uuid, String)>> {
        let rows = sqlx::query!(
            "select distinct u.id, u.display_name from presence p
             join realtime_nodes n on n.id = p.node_id and n.seen_at > now() - interval '30 seconds'
             join users u on u.id = p.user_id
             where p.room_id = $1 order by u.display_name, u.id",
            room.to_string()
        )
        .fetch_all(self.hub.db())
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| (row.id, row.display_name))
            .collect())
    }

    /// Writes local changes, tells the other nodes, and recounts what needs recounting.
    async fn flush(&self) -> AppResult<()> {
        if self.beat_first.swap(false, Ordering::Relaxed) {
            if let Err(error) = self.heartbeat().await {
                self.beat_first.store(true, Ordering::Relaxed);
                return Err(error);
            }
        }
        let changed: Vec<Key> = lock(&self.changed).drain().collect();
        if !changed.is_empty() {
            if let Err(error) = self.write(&changed).await {
                lock(&self.changed).extend(changed);
                return Err(error);
            }
            let rooms: HashSet<RoomId> = changed.iter().map(|(room, _)| *room).collect();
            let payloads = bus::payloads(self.hub.node_id, rooms.iter().copied());
            bus::notify(self.hub.db(), PRESENCE_CHANNEL, &payloads).await?;
            lock(&self.recount).extend(rooms);
        }
        let rooms: Vec<RoomId> = lock(&self.recount).drain().collect();
        if !rooms.is_empty() {
            if let Err(error) = self.count(&rooms).await {
                lock(&self.recount).extend(rooms);
                return Err(error);
            }
        }
        Ok(())
    }

    async fn write(&self, changed: &[Key]) -> AppResult<()> {
        let (mut joined, mut left) = (Vec::new(), Vec::new());
        {
            let local = lock(&self.local);
            for key in changed {
                if local.contains_key(key) {
                    &mut joined
                } else {
                    &mut left
                }
                .push(*key);
            }
        }
        let split = |keys: &[Key]| -> (Vec<String>, Vec<Uuid>) {
            keys.iter()
                .map(|(room, user)| (room.to_string(), *user))
                .unzip()
        };
        let (rooms, users) = split(&joined);
        sqlx::query!(
            "insert into presence (node_id, room_id, user_id)
             select $1, * from unnest($2::text[], $3::uuid[]) on conflict do nothing",
            self.hub.node_id,
            &rooms,
            &users
        )
        .execute(self.hub.db())
        .await?;
        // Who came at all, first and last seen (durable, unlike presence).
        sqlx::query!(
            "insert into room_attendance (room_id, user_id)
             select * from unnest($1::text[], $2::uuid[])
             on conflict (room_id, user_id) do update set last_seen = now()",
            &rooms,
            &users
        )
        .execute(self.hub.db())
        .await?;
        let (rooms, users) = split(&left);
        sqlx::query!(
            "with gone as (
               delete from presence p using unnest($2::text[], $3::uuid[]) as l(room_id, user_id)
               where p.node_id = $1 and p.room_id = l.room_id and p.user_id = l.user_id
               returning p.room_id, p.user_id)
             update room_attendance a set last_seen = now()
             from gone where a.room_id = gone.room_id and a.user_id = gone.user_id",
            self.hub.node_id,
            &rooms,
            &users
        )
        .execute(self.hub.db())
        .await?;
        Ok(())
    }

    async fn count(&self, rooms: &[RoomId]) -> AppResult<()> {
        let local: HashSet<RoomId> = self.hub.local_rooms().into_iter().collect();
        let names: Vec<String> = rooms
            .iter()
            .filter(|room| local.contains(room))
            .map(RoomId::to_string)
            .collect();
        if names.is_empty() {
            return Ok(());
        }
        let counts = sqlx::query!(
            r#"select r.room_id as "room_id!", count(distinct p.user_id) as "count!"
               from unnest($1::text[]) as r(room_id)
               left join (presence p join realtime_nodes n
                          on n.id = p.node_id and n.seen_at > now() - interval '30 seconds')
                 on p.room_id = r.room_id
               group by r.room_id"#,
            &names
        )
        .fetch_all(self.hub.db())
        .await?;
        for row in counts {
            self.hub.set_presence(row.room_id.parse()?, row.count);
        }
        Ok(())
    }

    async fn heartbeat(&self) -> AppResult<()> {
        sqlx::query!(
            "insert into realtime_nodes (id) values ($1)
             on conflict (id) do update set seen_at = now()",
            self.hub.node_id
        )
        .execute(self.hub.db())
        .await?;
        // A dead node's people were last seen when the node was.
        let swept = sqlx::query!(
            "with dead as (delete from realtime_nodes where seen_at < now() - interval '60 seconds'
                           returning id, seen_at),
                  gone as (delete from presence where node_id in (select id from dead)
                           returning room_id, user_id, node_id)
             update room_attendance a set last_seen = greatest(a.last_seen, dead.seen_at)
             from gone join dead on dead.id = gone.node_id
             where a.room_id = gone.room_id and a.user_id = gone.user_id"
        )
        .execute(self.hub.db())
        .await?;
        if swept.rows_affected() > 0 {
            self.recount(self.hub.local_rooms());
        }
        Ok(())
    }
}

/// Who came to `room` at all, in order of arrival: first and last seen, and whether they are
/// here now (on any live node). At most [`MAX_ATTENDEES`].
pub async fn attendance(db: &PgPool, room: RoomId) -> AppResult<Vec<Attendee>> {
    let people = sqlx::query_as!(
        Attendee,
        r#"select a.user_id, u.display_name, a.first_seen, a.last_seen,
                      exists (select 1 from presence p
                              join realtime_nodes n
                                on n.id = p.node_id and n.seen_at > now() - interval '30 seconds'
                              where p.room_id = a.room_id and p.user_id = a.user_id) as "here!"
               from room_attendance a join users u on u.id = a.user_id
               where a.room_id = $1
               order by a.first_seen, u.display_name, a.user_id
               limit $2"#,
        room.to_string(),
        MAX_ATTENDEES
    )
    .fetch_all(db)
    .await?;
    Ok(people)
}

#[tracing::instrument(skip_all)]
async fn run(presence: Arc<Presence>) {
    let mut heartbeat = tokio::time::interval(HEARTBEAT_EVERY);
    loop {
        tokio::select! {
            _ = heartbeat.tick() => {
                if let Err(error) = presence.heartbeat().await {
                    tracing::debug!(?error, "presence heartbeat failed");
                }
            }
            _ = presence.wake.notified() => {
                tokio::time::sleep(FLUSH_EVERY).await;
            }
        }
        if let Err(error) = presence.flush().await {
            tracing::debug!(?error, "presence flush failed; retrying");
            tokio::time::sleep(Duration::from_millis(500)).await;
            presence.wake.notify_one();
        }
    }
}
