//! The per-connection worker: runs a connection's subscriptions and commands one after the
//! other (so a client's commands apply in the order sent). It owns the connection's room
//! rights and presence. Each job runs in a task of its own, spawned while it runs: a socket
//! can vanish at any await, and a command that has started must still commit and publish
//! (and a database connection must never go back to the pool inside a transaction, which
//! sqlx does with a future dropped mid-`BEGIN`). The socket loop only waits for the answer.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use axum::extract::ws::Utf8Bytes;
use serde_json::Value;
use sqlx::Connection;
use uuid::Uuid;

use super::commands::{self, CommandCtx};
use super::errors::{coded_error, error_frame};
use super::hub::{event_frame, frame, ConnId, Hub, Subscriber};
use super::log;
use super::presence::{Presence, PresenceGuard};
use super::protocol::{ErrorCode, ServerMsg};
use super::room::{self, RoomAccess, RoomId};
use crate::error::{AppError, AppResult};

/// Subscriptions per connection.
pub const MAX_SUBSCRIPTIONS: usize = 50;
/// Further behind than this, a subscriber gets a snapshot instead of a replay.
pub const REPLAY_LIMIT: i64 = 1_000;

/// What the socket loop asks of the worker.
#[derive(Debug)]
pub enum Job {
    Subscribe {
        room: RoomId,
        since: Option<i64>,
        epoch: Option<Uuid>,
    },
    /// The loop saw a gap in a live room: read the log from `since`.
    Resume {
        room: RoomId,
        since: i64,
    },
    Unsubscribe {
        room: RoomId,
    },
    Command {
        id: Uuid,
        room: RoomId,
        name: String,
        data: Value,
    },
    /// The user is no longer a member of this conference: end the subscriptions to its rooms.
    Removed {
        conference_id: Uuid,
    },
}

/// What a job hands back to the socket loop.
#[derive(Debug)]
pub enum Reply {
    Frame(Utf8Bytes),
    /// The room's log was read up to `head`: send `frames`, then live events after `head`.
    Caught {
        room: RoomId,
        head: i64,
        frames: Vec<Utf8Bytes>,
    },
    /// The subscription was refused or ended; `frame` says so.
    Gone {
        room: RoomId,
        frame: Utf8Bytes,
    },
    /// Subscriptions ended from outside (a removal from the conference); each frame says so.
    Left(Vec<(RoomId, Utf8Bytes)>),
}

/// A job under way: the worker and the reply once it is done, `None` if the job panicked.
/// Dropping it leaves the job running to its end.
pub type Running = Pin<Box<dyn Future<Output = Option<(Worker, Reply)>> + Send>>;

pub struct Worker {
    pub user_id: Uuid,
    pub user_name: String,
    pub conn_id: ConnId,
    pub subscriber: Subscriber,
    pub hub: Arc<Hub>,
    pub presence: Arc<Presence>,
    /// The rooms this connection joined.
    rooms: HashMap<RoomId, Joined>,
    /// A room registered with the hub whose subscription is still being read from the log.
    joining: Option<RoomId>,
}

struct Joined {
    access: RoomAccess,
    _presence: Option<PresenceGuard>,
}

/// Leaving the hub's rooms when the connection ends, even in the middle of a job.
impl Drop for Worker {
    fn drop(&mut self) {
        for room in self.rooms.keys().chain(&self.joining) {
            self.hub.unsubscribe(*room, self.conn_id);
        }
    }
}

impl Worker {
    pub fn new(
        user_id: Uuid,
        user_name: String,
        conn_id: ConnId,
        subscriber: Subscriber,
        realtime: &super::Realtime,
    ) -> Worker {
        Worker {
            user_id,
            user_name,
            conn_id,
            subscriber,
            hub: Arc::clone(&realtime.hub),
            presence: Arc::clone(&realtime.presence),
            rooms: HashMap::new(),
            joining: None,
        }
    }

    /// Starts `job` in a task of its own, which no closing socket can cancel. Only while it
    /// runs: the database calls make it a large future that an idle connection should not keep.
    pub fn start(mut self, job: Job) -> Running {
        let task = tokio::spawn(async move {
            let reply = self.handle(job).await;
            (self, reply)
        });
        Box::pin(async move {
            task.await
                .inspect_err(|error| tracing::error!(?error, "a connection's job panicked"))
                .ok()
        })
    }

    async fn handle(&mut self, job: Job) -> Reply {
        match job {
            Job::Subscribe { room, since, epoch } => {
                let subscribed = self.subscribe(room, since, epoch).await;
                if let Some(room) = self.joining.take() {
                    self.hub.unsubscribe(room, self.conn_id);
                }
                match subscribed {
                    Ok(reply) => reply,
                    Err(error) => Reply::Gone {
                        room,
                        frame: error_frame(None, Some(room), error),
                    },
                }
            }
            Job::Resume { room, since } => match self.rooms.get(&room) {
                Some(joined) => match self
                    .catch_up(room, Some(since), None, joined.access, false)
                    .await
                {
                    Ok(reply) => reply,
                    Err(error) => Reply::Gone {
                        room,
                        frame: error_frame(None, Some(room), error),
                    },
                },
                None => Reply::Frame(frame(&ServerMsg::Unsubscribed {
                    room: room.to_string(),
                })),
            },
            Job::Unsubscribe { room } => {
                if self.rooms.remove(&room).is_some() {
                    self.hub.unsubscribe(room, self.conn_id);
                }
                Reply::Gone {
                    room,
                    frame: frame(&ServerMsg::Unsubscribed {
                        room: room.to_string(),
                    }),
                }
            }
            Job::Command {
                id,
                room,
                name,
                data,
            } => {
                let Some(joined) = self.rooms.get(&room) else {
                    return Reply::Frame(coded_error(
                        Some(id),
                        Some(&room.to_string()),
                        ErrorCode::NotSubscribed,
                        "subscribe to the room first",
                    ));
                };
                let ctx = CommandCtx {
                    user_id: self.user_id,
                    user_name: &self.user_name,
                    room,
                    access: joined.access,
                    hub: &self.hub,
                    presence: &self.presence,
                };
                let command = commands::execute(&ctx, id, &name, data);
                Reply::Frame(match self.hub.metrics.time_command(command).await {
                    Ok(data) => frame(&ServerMsg::Ack { id, data }),
                    Err(error) => error_frame(Some(id), Some(room), error),
                })
            }
            Job::Removed { conference_id } => self.leave(conference_id),
        }
    }

    /// Ends the subscriptions to the rooms of `conference_id`, each with a `forbidden` error.
    fn leave(&mut self, conference_id: Uuid) -> Reply {
        let gone: Vec<RoomId> = self
            .rooms
            .iter()
            .filter(|(_, joined)| joined.access.conference_id == Some(conference_id))
            .map(|(room, _)| *room)
            .collect();
        Reply::Left(
            gone.into_iter()
                .map(|room| {
                    self.rooms.remove(&room);
                    self.hub.unsubscribe(room, self.conn_id);
                    let error =
                        AppError::Forbidden("you are no longer a member of this conference");
                    (room, error_frame(None, Some(room), error))
                })
                .collect(),
        )
    }

    async fn subscribe(
        &mut self,
        room: RoomId,
        since: Option<i64>,
        epoch: Option<Uuid>,
    ) -> AppResult<Reply> {
        let access = match self.rooms.get(&room) {
            Some(joined) => joined.access,
            None if self.rooms.len() >= MAX_SUBSCRIPTIONS => {
                return Ok(Reply::Gone {
                    room,
                    frame: coded_error(
                        None,
                        Some(&room.to_string()),
                        ErrorCode::TooManySubscriptions,
                        "at most 50 subscriptions per connection",
                    ),
                })
            }
            None => room::authorize(self.hub.db(), self.user_id, room).await?,
        };
        // Registered before reading the log: events committed meanwhile wait in the
        // socket loop's buffer and are merged by seq.
        if !self.rooms.contains_key(&room) {
            self.joining = Some(room);
        }
        self.hub
            .subscribe(room, self.conn_id, self.subscriber.clone());
        let mut reply = self.catch_up(room, since, epoch, access, true).await?;
        self.joining = None;
        self.rooms.entry(room).or_insert_with(|| Joined {
            access,
            _presence: room
                .has_presence()
                .then(|| self.presence.join(room, self.user_id)),
        });
        if let (Reply::Caught { frames, .. }, Some(count)) = (&mut reply, self.hub.presence(room)) {
            frames.push(frame(&ServerMsg::Presence {
                room: room.to_string(),
                count,
            }));
        }
        Ok(reply)
    }

    /// Replays the log after `since` when it can, a snapshot otherwise.
    async fn catch_up(
        &self,
        room: RoomId,
        since: Option<i64>,
        epoch: Option<Uuid>,
        access: RoomAccess,
        announce: bool,
    ) -> AppResult<Reply> {
        let mut conn = self.hub.db().acquire().await?;
        log::ensure_room(&mut *conn, room).await?;
        let mut tx = conn.begin().await?;
        sqlx::query!("set transaction isolation level repeatable read, read only")
            .execute(&mut *tx)
            .await?;
        let head = log::head(&mut *tx, room).await?;
        let replayable = since.filter(|since| {
            epoch.is_none_or(|epoch| epoch == head.epoch)
                && *since >= 0
                && *since <= head.seq
                && head.seq - since <= REPLAY_LIMIT
        });
        let mut frames = Vec::new();
        let mut recovered = false;
        if let Some(since) = replayable {
            let events = log::replay(&mut *tx, room, since, head.seq).await?;
            if events.len() as i64 == head.seq - since {
                frames.extend(events.iter().map(event_frame));
                recovered = true;
            }
        }
        if !recovered {
            let state = commands::snapshot(&mut tx, room, self.user_id, access).await?;
            frames.push(frame(&ServerMsg::Snapshot {
                room: room.to_string(),
                epoch: head.epoch,
                seq: head.seq,
                state,
            }));
        }
        tx.commit().await?;
        self.hub.seed(room, head.seq);
        if announce || !recovered {
            frames.push(frame(&ServerMsg::Subscribed {
                room: room.to_string(),
                epoch: head.epoch,
                seq: head.seq,
                recovered,
            }));
        }
        Ok(Reply::Caught {
            room,
            head: head.seq,
            frames,
        })
    }
}
