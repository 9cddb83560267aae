//! The durable per-room event log (`rooms`, `room_events`): appending inside the
//! transaction that makes the change, publishing after commit, and reading it back for
//! replay and cross-node forwarding.

use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;
use sqlx::{PgConnection, PgExecutor, PgPool, Postgres, Transaction};
use uuid::Uuid;

use super::coalesce::Coalesced;
use super::hub::Hub;
use super::room::RoomId;
use crate::error::{AppError, AppResult};

/// One event written to the log.
#[derive(Debug, Clone)]
pub struct LoggedEvent {
    pub room: RoomId,
    pub seq: i64,
    pub name: String,
    pub data: Value,
}

/// A write transaction that may append room events; they are broadcast only once the
/// transaction has committed (nobody sees what is not durable).
pub struct EventTx {
    tx: Transaction<'static, Postgres>,
    appended: Vec<LoggedEvent>,
    /// Counts changed, to reach their rooms coalesced after commit (see `coalesce.rs`).
    touched: Vec<(Arc<Coalesced>, RoomId, Uuid)>,
}

impl EventTx {
    pub async fn begin(db: &PgPool) -> AppResult<Self> {
        Ok(EventTx {
            tx: db.begin().await?,
            appended: Vec::new(),
            touched: Vec::new(),
        })
    }

    /// The connection, for the change itself.
    pub fn conn(&mut self) -> &mut PgConnection {
        &mut self.tx
    }

    /// Appends `event` to `room` and returns its seq. Events are a feature's enum, tagged
    /// adjacently (`#[serde(tag = "name", content = "data")]`): the tag is the event's name.
    pub async fn emit<E: Serialize>(&mut self, room: RoomId, event: &E) -> AppResult<i64> {
        let not_tagged = || AppError::Internal(anyhow::anyhow!("events are tagged enums"));
        let Value::Object(mut tagged) =
            serde_json::to_value(event).map_err(|error| AppError::Internal(error.into()))?
        else {
            return Err(not_tagged());
        };
        let Some(Value::String(name)) = tagged.remove("name") else {
            return Err(not_tagged());
        };
        let data = tagged.remove("data").unwrap_or(Value::Null);
        self.append(room, &name, data).await
    }

    /// Bumping `rooms.last_seq` locks the room's row until commit, so seqs are gapless and
    /// follow commit order.
    pub async fn append(&mut self, room: RoomId, name: &str, data: Value) -> AppResult<i64> {
        let seq = sqlx::query_scalar!(
            r#"with head as (
                   insert into rooms (id, last_seq) values ($1, 1)
                   on conflict (id) do update set last_seq = rooms.last_seq + 1
                   returning last_seq)
               insert into room_events (room_id, seq, name, data)
               select $1, last_seq, $2, $3 from head
               returning seq"#,
            room.to_string(),
            name,
            data
        )
        .fetch_one(&mut *self.tx)
        .await?;
        self.appended.push(LoggedEvent {
            room,
            seq,
            name: name.to_owned(),
            data,
        });
        Ok(seq)
    }

    /// Marks `item`'s count in `room` as changed: once this transaction has committed, the
    /// new count reaches the room coalesced with others (see `coalesce.rs`).
    pub fn touch(&mut self, counts: &Arc<Coalesced>, room: RoomId, item: Uuid) {
        self.touched.push((Arc::clone(counts), room, item));
    }

    /// Commits, then hands the appended events to the hub (local subscribers and the
    /// other nodes) and the touched counts to their tally.
    pub async fn commit(self, hub: &Hub) -> AppResult<()> {
        self.tx.commit().await?;
        hub.published(self.appended);
        for (counts, room, item) in self.touched {
            counts.touch(room, item);
        }
        Ok(())
    }
}

/// Waits for, and holds until commit, the lock of `room`'s row: the one appending to the
/// room takes it too, so what is read after it is at least as new as any earlier event.
pub async fn lock_room(db: &mut PgConnection, room: RoomId) -> AppResult<()> {
    sqlx::query!(
        "select last_seq from rooms where id = $1 for update",
        room.to_string()
    )
    .fetch_optional(db)
    .await?;
    Ok(())
}

/// A room's epoch and the seq of its last event (0 for a room without events).
#[derive(Debug, Clone, Copy)]
pub struct Head {
    pub epoch: Uuid,
    pub seq: i64,
}

/// Creates `room`'s row (its epoch) unless it exists.
pub async fn ensure_room(db: impl PgExecutor<'_>, room: RoomId) -> AppResult<()> {
    sqlx::query!(
        "insert into rooms (id) values ($1) on conflict (id) do nothing",
        room.to_string()
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The head of `room`'s log (see [`ensure_room`]).
pub async fn head(db: impl PgExecutor<'_>, room: RoomId) -> AppResult<Head> {
    let row = sqlx::query!(
        "select epoch, last_seq from rooms where id = $1",
        room.to_string()
    )
    .fetch_one(db)
    .await?;
    Ok(Head {
        epoch: row.epoch,
        seq: row.last_seq,
    })
}

/// Events of `room` with `since < seq <= until`, in order.
pub async fn replay(
    db: impl PgExecutor<'_>,
    room: RoomId,
    since: i64,
    until: i64,
) -> AppResult<Vec<LoggedEvent>> {
    let rows = sqlx::query!(
        "select seq, name, data from room_events
         where room_id = $1 and seq > $2 and seq <= $3 order by seq",
        room.to_string(),
        since,
        until
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| LoggedEvent {
            room,
            seq: row.seq,
            name: row.name,
            data: row.data,
        })
        .collect())
}

/// Events after each room's cursor, ordered by room then seq, at most `limit` rows, each
/// with its age in seconds: from `created_at` (the start of the transaction that wrote it,
/// so a little before its commit) to the moment this query read it, both by the database's
/// clock.
pub async fn after_cursors(
    db: &PgPool,
    cursors: &[(RoomId, i64)],
    limit: i64,
) -> AppResult<Vec<(LoggedEvent, f64)>> {
    let (names, seqs): (Vec<String>, Vec<i64>) = cursors
        .iter()
        .map(|(room, seq)| (room.to_string(), *seq))
        .unzip();
    let rows = sqlx::query!(
        r#"select e.room_id, e.seq, e.name, e.data,
                  extract(epoch from clock_timestamp() - e.created_at)::float8 as "age_secs!"
         from unnest($1::text[], $2::bigint[]) as c(room_id, cursor)
         join room_events e on e.room_id = c.room_id and e.seq > c.cursor
         order by e.room_id, e.seq limit $3"#,
        &names,
        &seqs,
        limit
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| {
            let event = LoggedEvent {
                room: row.room_id.parse()?,
                seq: row.seq,
                name: row.name,
                data: row.data,
            };
            Ok((event, row.age_secs))
        })
        .collect()
}

/// The head seq of each of `rooms` that has a log.
pub async fn heads(db: &PgPool, rooms: &[RoomId]) -> AppResult<Vec<(RoomId, i64)>> {
    let names: Vec<String> = rooms.iter().map(RoomId::to_string).collect();
    let rows = sqlx::query!("select id, last_seq from rooms where id = any($1)", &names)
        .fetch_all(db)
        .await?;
    rows.into_iter()
        .map(|row| Ok((row.id.parse()?, row.last_seq)))
        .collect()
}

/// How long events beyond the replay window, and command results, are kept.
const RETENTION_SECS: f64 = 24.0 * 3600.0;

/// Deletes what nobody can ask for any more: events older than a day that lie beyond the
/// replay window of their room (a client that far behind gets a snapshot), and the results
/// of commands older than a day (a client retries within seconds). Returns the number of
/// events and commands deleted.
pub async fn prune(db: &PgPool) -> sqlx::Result<(u64, u64)> {
    let events = sqlx::query!(
        "delete from room_events e using rooms r
         where e.room_id = r.id and e.seq <= r.last_seq - $1
           and e.created_at < now() - make_interval(secs => $2)",
        super::jobs::REPLAY_LIMIT,
        RETENTION_SECS
    )
    .execute(db)
    .await?
    .rows_affected();
    let commands = sqlx::query!(
        "delete from commands where created_at < now() - make_interval(secs => $1)",
        RETENTION_SECS
    )
    .execute(db)
    .await?
    .rows_affected();
    Ok((events, commands))
}

/// Prunes the log every hour (every node does; the deletes are idempotent).
pub async fn run_pruner(db: PgPool) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every.tick().await;
        match prune(&db).await {
            Ok((events, commands)) => tracing::info!(events, commands, "pruned the room log"),
            Err(error) => tracing::warn!(?error, "pruning the room log failed"),
        }
    }
}
