//! A connection's jobs: subscribing (rights, then the log or a snapshot), resuming after a
//! gap, running a command, re-checking rights after an access change. The socket loop runs
//! them one after the other (so a client's commands apply in the order sent), each in a
//! task of its own: a socket can vanish at any await, and a command that has started must
//! still commit and publish (and a database connection must never go back to the pool
//! inside a transaction, which sqlx does with a future dropped mid-`BEGIN`). Read-only
//! commands, which have nothing to finish, run inside the socket's own task instead (see
//! [`JobCtx::runs_inline`]). The socket loop owns the connection's rooms; a job gets what
//! it needs of them and hands back a `Reply`.

use std::sync::Arc;

use axum::extract::ws::Utf8Bytes;
use futures_util::future::BoxFuture;
use serde_json::Value;
use sqlx::Connection;
use uuid::Uuid;

use super::commands;
use super::errors::{coded_error, error_frame};
use super::feature::{CommandCtx, Features, Viewer};
use super::hub::{event_frame, frame, ConnId, Hub, Subscriber};
use super::log;
use super::presence::Presence;
use super::protocol::{ErrorCode, ServerMsg};
use super::pulse::Pulses;
use super::room::{Rights, RoomId};
use crate::error::{AppError, AppResult};

/// Further behind than this, a subscriber gets a snapshot instead of a replay.
pub const REPLAY_LIMIT: i64 = 1_000;

/// What one connection's jobs share: who is connected, and the node's machinery.
pub struct JobCtx {
    pub user_id: Uuid,
    pub user_name: String,
    pub conn_id: ConnId,
    pub subscriber: Subscriber,
    pub hub: Arc<Hub>,
    pub presence: Arc<Presence>,
    pub pulses: Arc<Pulses>,
    pub features: Arc<Features>,
}

/// A job, with what the socket loop knows of its room when it starts.
#[derive(Debug)]
pub enum Job {
    /// Join a room; `rights` when already joined (a client's repeated subscribe).
    Subscribe {
        room: RoomId,
        since: Option<i64>,
        epoch: Option<Uuid>,
        rights: Option<Rights>,
    },
    /// The loop saw a gap in a live room: read the log from `since`.
    Resume {
        room: RoomId,
        since: i64,
        rights: Rights,
    },
    Command {
        id: Uuid,
        room: RoomId,
        name: String,
        data: Value,
        rights: Rights,
    },
    /// The person's access changed: ask each room's rules again.
    Recheck { rooms: Vec<(RoomId, Rights)> },
}

/// What a job hands back to the socket loop.
#[derive(Debug)]
pub enum Reply {
    Frame(Utf8Bytes),
    /// The room's log was read up to `head`: send `frames`, then live events after `head`.
    /// `rights` are the (new) rights when they were asked for.
    Caught {
        room: RoomId,
        rights: Option<Rights>,
        head: i64,
        frames: Vec<Utf8Bytes>,
    },
    /// The subscription was refused or ended; `frame` says so.
    Gone {
        room: RoomId,
        frame: Utf8Bytes,
    },
    /// A re-check found the same rights: the room goes on as it was.
    Kept {
        room: RoomId,
    },
    /// The outcome of a re-check, one reply per room.
    Rechecked(Vec<Reply>),
}

/// Runs `job` in a task of its own, which no closing socket can cancel. The future's
/// output is `None` if the job panicked; dropping it leaves the job running to its end.
pub fn start(ctx: &Arc<JobCtx>, job: Job) -> tokio::task::JoinHandle<Reply> {
    let ctx = Arc::clone(ctx);
    tokio::spawn(async move { ctx.run(job).await })
}

/// Runs `job` inside the caller's task, when [`JobCtx::runs_inline`] allows it.
pub fn inline(ctx: &Arc<JobCtx>, job: Job) -> BoxFuture<'static, Reply> {
    let ctx = Arc::clone(ctx);
    Box::pin(async move { ctx.run(job).await })
}

impl JobCtx {
    /// Whether `job` may run inside the socket's own task: a read-only command (a feature's
    /// `query`: no transaction, nothing half-done if the socket vanishes mid-way). That
    /// saves a task and a wake-up of the socket's task per command, and a reaction storm
    /// is 900 such commands a second.
    pub fn runs_inline(&self, job: &Job) -> bool {
        match job {
            Job::Command { room, name, .. } => self
                .features
                .for_command(*room, name)
                .is_ok_and(|feature| feature.is_read_only(name)),
            _ => false,
        }
    }

    async fn run(&self, job: Job) -> Reply {
        match job {
            Job::Subscribe {
                room,
                since,
                epoch,
                rights,
            } => {
                let subscribed = self.subscribe(room, since, epoch, rights).await;
                subscribed.unwrap_or_else(|error| {
                    self.hub.unsubscribe(room, self.conn_id);
                    Reply::Gone {
                        room,
                        frame: error_frame(None, Some(room), error),
                    }
                })
            }
            Job::Resume {
                room,
                since,
                rights,
            } => self
                .catch_up(room, Some(since), None, &rights, false)
                .await
                .unwrap_or_else(|error| Reply::Gone {
                    room,
                    frame: error_frame(None, Some(room), error),
                }),
            Job::Command {
                id,
                room,
                name,
                data,
                rights,
            } => {
                let ctx = CommandCtx {
                    user_id: self.user_id,
                    user_name: &self.user_name,
                    room,
                    rights: &rights,
                    hub: &self.hub,
                    presence: &self.presence,
                    pulses: &self.pulses,
                };
                let owner = commands::owner(&self.features, room, &name);
                let command = commands::execute(&self.features, &ctx, id, &name, data);
                Reply::Frame(match self.hub.metrics.time_command(owner, command).await {
                    Ok(data) => frame(&ServerMsg::Ack { id, data }),
                    Err(error) => error_frame(Some(id), Some(room), error),
                })
            }
            Job::Recheck { rooms } => {
                let mut replies = Vec::new();
                for (room, rights) in rooms {
                    replies.push(self.recheck(room, rights).await);
                }
                Reply::Rechecked(replies)
            }
        }
    }

    /// The rights of this person in `room`, from the rules of the room's kind.
    async fn enter(&self, room: RoomId) -> AppResult<Rights> {
        self.features
            .rules(room)?
            .enter(self.hub.db(), self.user_id, room.id)
            .await
    }

    async fn subscribe(
        &self,
        room: RoomId,
        since: Option<i64>,
        epoch: Option<Uuid>,
        known: Option<Rights>,
    ) -> AppResult<Reply> {
        let asked = known.is_none();
        let rights = match known {
            Some(rights) => rights,
            None => self.enter(room).await?,
        };
        // Registered before reading the log: events committed meanwhile wait in the
        // socket loop's buffer and are merged by seq.
        self.hub
            .subscribe(room, self.conn_id, self.subscriber.clone());
        if self.subscriber.queue.is_closed() {
            // The socket closed while this job ran; it will not unsubscribe any more.
            self.hub.unsubscribe(room, self.conn_id);
        }
        let mut reply = self.catch_up(room, since, epoch, &rights, true).await?;
        if let Reply::Caught {
            rights: given,
            frames,
            ..
        } = &mut reply
        {
            *given = asked.then_some(rights);
            if let Some(count) = self.hub.presence(room) {
                frames.push(frame(&ServerMsg::Presence {
                    room: room.to_string(),
                    count,
                }));
            }
        }
        Ok(reply)
    }

    /// Asks the room's rules again. Lost access ends the subscription (`forbidden`); other
    /// rights bring a new snapshot, as seen with them, and a `subscribed` naming them.
    async fn recheck(&self, room: RoomId, rights: Rights) -> Reply {
        let lost = |error: AppError| {
            self.hub.unsubscribe(room, self.conn_id);
            Reply::Gone {
                room,
                frame: error_frame(None, Some(room), error),
            }
        };
        let now = match self.enter(room).await {
            Ok(now) if now == rights => return Reply::Kept { room },
            Ok(now) => now,
            Err(AppError::NotFound(_) | AppError::Forbidden(_)) => {
                return lost(AppError::Forbidden("you may no longer enter this room"))
            }
            Err(error) => return lost(error),
        };
        match self.catch_up(room, None, None, &now, true).await {
            Ok(Reply::Caught {
                room, head, frames, ..
            }) => Reply::Caught {
                room,
                rights: Some(now),
                head,
                frames,
            },
            Ok(other) => other,
            Err(error) => lost(error),
        }
    }

    /// Replays the log after `since` when it can, a snapshot otherwise.
    async fn catch_up(
        &self,
        room: RoomId,
        since: Option<i64>,
        epoch: Option<Uuid>,
        rights: &Rights,
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
            let viewer = Viewer {
                user_id: self.user_id,
                rights,
            };
            let state = commands::snapshot(&self.features, &mut tx, room, &viewer).await?;
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
                roles: rights.roles.iter().map(|role| (*role).to_owned()).collect(),
            }));
        }
        Ok(Reply::Caught {
            room,
            rights: None,
            head: head.seq,
            frames,
        })
    }
}

/// The answer to an unsubscribe.
pub fn unsubscribed(room: RoomId) -> Utf8Bytes {
    frame(&ServerMsg::Unsubscribed {
        room: room.to_string(),
    })
}

/// A command refused before it ran: the room was not joined.
pub fn not_subscribed(id: Uuid, room: RoomId) -> Utf8Bytes {
    coded_error(
        Some(id),
        Some(&room.to_string()),
        ErrorCode::NotSubscribed,
        "subscribe to the room first",
    )
}
