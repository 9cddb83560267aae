//! A connection's requests, taken one at a time: what waits (with the time it must be
//! answered by), the job that runs, and the answers owed when the database is slow.

use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;

use axum::extract::ws::Message;
use futures_util::future::BoxFuture;
use futures_util::FutureExt;
use tokio::time::Instant;
use uuid::Uuid;

use super::super::connections::Recheck;
use super::super::jobs::{self, Job, Reply};
use super::super::protocol::{close, ErrorCode};
use super::super::room::RoomId;
use super::rooms::{Delivery, Joined, Rooms};
use super::{Connection, JOBS};

/// What waits for its turn; a client's request is answered by `answer_by` at the latest.
pub(super) struct Waiting {
    pub(super) request: Request,
    pub(super) answer_by: Option<Instant>,
}

/// A request, turned into a [`Job`] when its turn comes (with the room's rights as they
/// are then).
#[derive(Debug)]
pub(super) enum Request {
    Subscribe {
        room: RoomId,
        since: Option<i64>,
        epoch: Option<Uuid>,
    },
    Unsubscribe {
        room: RoomId,
    },
    Command {
        id: Uuid,
        room: RoomId,
        name: String,
        data: serde_json::Value,
    },
    Resume {
        room: RoomId,
        since: i64,
    },
    Recheck(Recheck),
}

/// The job under way. When a client's command is still running at its `answer_by`, the
/// client is told to retry (`unavailable`) and the late answer is dropped: the command
/// still runs to its end, and a retry with the same id gets its result.
pub(super) struct RunningJob {
    task: Task,
    command: Option<(Uuid, RoomId)>,
    answer_by: Option<Instant>,
    /// The client was already told to retry.
    answered: bool,
}

/// Where a job runs: in a task of its own, or, for a read-only command, inside the socket's
/// task (see `JobCtx::runs_inline`).
enum Task {
    Spawned(tokio::task::JoinHandle<Reply>),
    Inline(BoxFuture<'static, Reply>),
}

impl Connection {
    /// Queues a request the server itself makes; a connection too busy to take it is cut.
    pub(super) fn queue_own(&mut self, request: Request) -> Option<u16> {
        if self.waiting.len() >= JOBS {
            return Some(close::SLOW);
        }
        self.waiting.push_back(Waiting {
            request,
            answer_by: None,
        });
        None
    }

    /// Starts the next waiting request as a job; requests answered at once (an unsubscribe,
    /// a command in a room not joined) start nothing.
    pub(super) fn next_job(&mut self) -> Option<RunningJob> {
        let Waiting { request, answer_by } = self.waiting.pop_front()?;
        let rights_in =
            |rooms: &Rooms, room: &RoomId| rooms.get(room).and_then(|joined| joined.rights.clone());
        let (job, command) = match request {
            Request::Subscribe { room, since, epoch } => {
                let rights = rights_in(&self.rooms, &room);
                // A live room subscribed again gets a fresh snapshot: its events wait for it
                // (a room still being joined already waits).
                if let Some(joined) = self.rooms.get_mut(&room) {
                    if let Delivery::Live(last) = joined.delivery {
                        joined.delivery = Joined::pending(Some(last));
                    }
                }
                let job = Job::Subscribe {
                    room,
                    since,
                    epoch,
                    rights,
                };
                (job, None)
            }
            Request::Unsubscribe { room } => {
                if self.rooms.remove(&room).is_some() {
                    self.jobs.hub.unsubscribe(room, self.jobs.conn_id);
                }
                self.out.push(Message::Text(jobs::unsubscribed(room)));
                return None;
            }
            Request::Command {
                id,
                room,
                name,
                data,
            } => {
                let Some(rights) = rights_in(&self.rooms, &room) else {
                    self.out.push(Message::Text(jobs::not_subscribed(id, room)));
                    return None;
                };
                let job = Job::Command {
                    id,
                    room,
                    name,
                    data,
                    rights,
                };
                (job, Some((id, room)))
            }
            Request::Resume { room, since } => {
                let rights = rights_in(&self.rooms, &room)?;
                (
                    Job::Resume {
                        room,
                        since,
                        rights,
                    },
                    None,
                )
            }
            Request::Recheck(scope) => {
                let rooms = self.hold_for_recheck(&scope);
                if rooms.is_empty() {
                    return None;
                }
                (Job::Recheck { rooms }, None)
            }
        };
        let task = if self.jobs.runs_inline(&job) {
            Task::Inline(jobs::inline(&self.jobs, job))
        } else {
            Task::Spawned(jobs::start(&self.jobs, job))
        };
        Some(RunningJob {
            task,
            answer_by: answer_by.filter(|_| command.is_some()),
            command,
            answered: false,
        })
    }

    /// When the next answer falls due, if one is owed.
    pub(super) fn next_deadline(&self) -> Option<Instant> {
        let running = self.running.as_ref().and_then(|running| running.answer_by);
        self.waiting
            .iter()
            .filter_map(|waiting| waiting.answer_by)
            .chain(running)
            .min()
    }

    /// Tells the client to retry what could not be answered in time (the database is slow
    /// or away): waiting requests are dropped unstarted, a running command goes on (see
    /// `RunningJob`).
    pub(super) fn answer_overdue(&mut self) {
        let now = Instant::now();
        let late = "no answer in time: the database is slow or away, retry";
        let (overdue, waiting): (VecDeque<Waiting>, VecDeque<Waiting>) = self
            .waiting
            .drain(..)
            .partition(|waiting| waiting.answer_by.is_some_and(|by| by <= now));
        self.waiting = waiting;
        for Waiting { request, .. } in overdue {
            let (id, room) = match request {
                Request::Command { id, room, .. } => (Some(id), room),
                Request::Subscribe { room, .. } => {
                    // The client subscribes again when it retries.
                    if self.rooms.remove(&room).is_some() {
                        self.jobs.hub.unsubscribe(room, self.jobs.conn_id);
                    }
                    (None, room)
                }
                _ => continue,
            };
            self.refuse(id, Some(&room.to_string()), ErrorCode::Unavailable, late);
        }
        let Some(running) = &mut self.running else {
            return;
        };
        if let (Some((id, room)), Some(by)) = (running.command, running.answer_by) {
            if by <= now {
                running.answer_by = None;
                running.answered = true;
                self.refuse(
                    Some(id),
                    Some(&room.to_string()),
                    ErrorCode::Unavailable,
                    late,
                );
            }
        }
    }
}

/// The running job's reply, `None` inside when that was already given (see `RunningJob`);
/// `None` if the job panicked. Never ready while no job runs. Polled by reference, so a
/// turn of the loop that ends elsewhere leaves the job where it was.
pub(super) async fn finished(running: &mut Option<RunningJob>) -> Option<Option<Reply>> {
    let Some(job) = running.as_mut() else {
        return std::future::pending().await;
    };
    let done = match &mut job.task {
        Task::Spawned(handle) => handle.await.map_err(|error| error.to_string()),
        Task::Inline(future) => AssertUnwindSafe(future.as_mut())
            .catch_unwind()
            .await
            .map_err(|_| "panicked inline".to_owned()),
    };
    let answered = job.answered;
    *running = None;
    match done {
        Ok(reply) => Some((!answered).then_some(reply)),
        Err(error) => {
            tracing::error!(%error, "a connection's job panicked");
            None
        }
    }
}
