//! One connection: a single `select!` loop that reads the client's frames, runs its jobs
//! one at a time (subscriptions and commands, see `worker.rs`), writes the room events
//! queued by the hub (merged by seq: buffered while a subscription replays, de-duplicated,
//! gaps refilled from the log), pings, and closes with a code. One task per connection,
//! with one channel: at 10,000 connections every extra task or channel costs megabytes.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use futures_util::{SinkExt, StreamExt};
use governor::{Quota, RateLimiter};
use tokio::sync::mpsc;
use tokio::time::Instant;
use uuid::Uuid;

use super::connections::Kick;
use super::errors::coded_error;
use super::hub::{Outgoing, QUEUE_CAPACITY};
use super::protocol::{close, ClientMsg, ErrorCode};
use super::room::RoomId;
use super::worker::{Job, Reply, Running, Worker, MAX_SUBSCRIPTIONS};
use super::Realtime;

/// Frames written per flush.
const BATCH: usize = 64;
/// How long the closing handshake may take.
const CLOSE_WAIT: Duration = Duration::from_millis(200);
/// Waiting subscriptions and commands; beyond, commands are refused as rate-limited.
const JOBS: usize = 64;
/// Commands per second per connection, and the burst allowed.
const COMMANDS_PER_SEC: u32 = 20;
const COMMAND_BURST: u32 = 40;
/// Subscribing and unsubscribing have a bucket of their own, large enough for a tab that
/// reconnects and subscribes again to every room it had (at most `MAX_SUBSCRIPTIONS`), twice.
const SUBSCRIPTION_BURST: u32 = 2 * MAX_SUBSCRIPTIONS as u32;

/// Where a room stands for this connection.
enum RoomState {
    /// Reading the log; live events wait here, to be merged by seq.
    Pending(Vec<(i64, Utf8Bytes)>),
    /// The last seq sent.
    Live(i64),
}

/// Runs the connection until it closes.
pub async fn serve(
    socket: WebSocket,
    realtime: Realtime,
    user_id: Uuid,
    login_id: Uuid,
    user_name: String,
) {
    let (queue_tx, queue) = mpsc::channel(QUEUE_CAPACITY);
    let (conn_id, subscriber) = realtime
        .hub
        .connections
        .register(login_id, user_id, queue_tx);
    let kick = Arc::clone(&subscriber.kick);
    let mut connection = Connection {
        rooms: HashMap::new(),
        out: Vec::new(),
        worker: Some(Worker::new(
            user_id, user_name, conn_id, subscriber, &realtime,
        )),
        waiting: VecDeque::new(),
        running: None,
        last_seen: Instant::now(),
        idle_timeout: realtime.heartbeat.idle_timeout,
        answer_within: realtime.heartbeat.answer_within,
        commands: RateLimiter::direct(
            Quota::per_second(nonzero(COMMANDS_PER_SEC)).allow_burst(nonzero(COMMAND_BURST)),
        ),
        subscriptions: RateLimiter::direct(
            Quota::per_second(nonzero(COMMANDS_PER_SEC)).allow_burst(nonzero(SUBSCRIPTION_BURST)),
        ),
    };
    connection.run(socket, queue, kick).await;
    realtime.hub.connections.unregister(conn_id);
}

/// A job waiting for the worker; a client's job is answered by `answer_by` at the latest.
struct Waiting {
    job: Job,
    answer_by: Option<Instant>,
}

/// The job the worker runs. When a client's command is still running at its `answer_by`,
/// the client is told to retry (`unavailable`) and the late answer is dropped: the command
/// still runs to its end, and a retry with the same id gets its result.
struct RunningJob {
    future: Running,
    command: Option<(Uuid, RoomId)>,
    answer_by: Option<Instant>,
    /// The client was already told to retry.
    answered: bool,
}

type Limiter = RateLimiter<
    governor::state::NotKeyed,
    governor::state::InMemoryState,
    governor::clock::DefaultClock,
>;

struct Connection {
    rooms: HashMap<RoomId, RoomState>,
    out: Vec<Message>,
    /// The worker, while no job runs (a running job holds it).
    worker: Option<Worker>,
    waiting: VecDeque<Waiting>,
    running: Option<RunningJob>,
    /// When the client last sent a frame.
    last_seen: Instant,
    /// Without any frame from the client for this long, the connection is closed (checked
    /// at each of the node's pings, see `connections::run_pinger`).
    idle_timeout: Duration,
    /// Every command and subscription is answered within this time (see `Waiting`).
    answer_within: Duration,
    commands: Limiter,
    subscriptions: Limiter,
}

impl Connection {
    async fn run(
        &mut self,
        mut socket: WebSocket,
        mut queue: mpsc::Receiver<Outgoing>,
        kick: Arc<Kick>,
    ) {
        // One long-lived future for the kick, polled by reference: re-creating it on every
        // turn of the loop would register it again for every delivered frame.
        let kicked = kick.given();
        tokio::pin!(kicked);
        // The socket is not split into halves: reads happen only inside the `select!` and
        // writes only after it, and a split socket takes a lock on every read and write.
        let code = loop {
            let deadline = self.next_deadline();
            let ended = tokio::select! {
                _ = &mut kicked => Some(kick_code(&kick)),
                item = queue.recv() => match item {
                    Some(item) => {
                        let mut ended = self.outgoing(item);
                        while ended.is_none() && self.out.len() < BATCH {
                            match queue.try_recv() {
                                Ok(item) => ended = self.outgoing(item),
                                Err(_) => break,
                            }
                        }
                        ended
                    }
                    None => Some(close::GOING_AWAY),
                },
                done = finished(&mut self.running) => match done {
                    Some((worker, reply)) => {
                        self.worker = Some(worker);
                        reply.and_then(|reply| self.reply(reply))
                    }
                    None => Some(close::INTERNAL),
                },
                _ = tokio::time::sleep_until(deadline.unwrap_or_else(Instant::now)), if deadline.is_some() => {
                    self.answer_overdue();
                    None
                }
                incoming = socket.next() => {
                    self.last_seen = Instant::now();
                    match incoming {
                        Some(Ok(Message::Text(text))) => {
                            self.incoming(&text);
                            None
                        }
                        Some(Ok(Message::Binary(_))) => Some(close::UNSUPPORTED),
                        Some(Ok(Message::Ping(_) | Message::Pong(_))) => None,
                        Some(Ok(Message::Close(_))) => {
                            // The WebSocket library queued the echo of the client's close
                            // frame (RFC 6455, 5.5.1); writing it out completes the handshake.
                            let _ = tokio::time::timeout(CLOSE_WAIT, socket.flush()).await;
                            return;
                        }
                        Some(Err(_)) | None => return,
                    }
                }
            };
            if let Some(code) = ended {
                break code;
            }
            if self.running.is_none() {
                self.running = self.next_job();
            }
            if !self.out.is_empty() {
                let write = async {
                    for message in self.out.drain(..) {
                        socket.feed(message).await?;
                    }
                    socket.flush().await
                };
                tokio::select! {
                    written = write => if written.is_err() { return },
                    // A stalled client cannot be written to: cut it without waiting.
                    _ = &mut kicked => break kick_code(&kick),
                }
            }
        };
        let bye = Message::Close(Some(CloseFrame {
            code,
            reason: Utf8Bytes::from_static(reason(code)),
        }));
        let _ = tokio::time::timeout(CLOSE_WAIT, socket.send(bye)).await;
    }

    /// A frame from the hub; `Some(code)` ends the connection.
    fn outgoing(&mut self, item: Outgoing) -> Option<u16> {
        match item {
            Outgoing::Ephemeral(frame) => {
                self.out.push(Message::Text((*frame).clone()));
                None
            }
            Outgoing::Event(event) => self.event(event.room, event.seq, event.frame.clone()),
            Outgoing::Ping if self.last_seen.elapsed() > self.idle_timeout => Some(close::IDLE),
            Outgoing::Ping => {
                self.out.push(Message::Ping(Default::default()));
                None
            }
            Outgoing::Removed(conference_id) => self.job(Job::Removed {
                conference_id: *conference_id,
            }),
        }
    }

    /// Event `seq` of `room`: sent if it is the next one, buffered while the room replays,
    /// dropped if already sent; a gap makes the room resume from the log.
    fn event(&mut self, room: RoomId, seq: i64, frame: Utf8Bytes) -> Option<u16> {
        match self.rooms.get_mut(&room)? {
            RoomState::Pending(buffer) if buffer.len() >= QUEUE_CAPACITY => {
                return Some(close::SLOW)
            }
            RoomState::Pending(buffer) => buffer.push((seq, frame)),
            RoomState::Live(last) if seq <= *last => {}
            RoomState::Live(last) if seq == *last + 1 => {
                *last = seq;
                self.out.push(Message::Text(frame));
            }
            RoomState::Live(last) => {
                let since = *last;
                self.rooms
                    .insert(room, RoomState::Pending(vec![(seq, frame)]));
                return self.job(Job::Resume { room, since });
            }
        }
        None
    }

    fn reply(&mut self, reply: Reply) -> Option<u16> {
        match reply {
            Reply::Frame(frame) => self.out.push(Message::Text(frame)),
            Reply::Gone { room, frame } => self.gone(room, frame),
            Reply::Left(rooms) => {
                for (room, frame) in rooms {
                    self.gone(room, frame);
                }
            }
            Reply::Caught { room, head, frames } => {
                self.out.extend(frames.into_iter().map(Message::Text));
                let Some(RoomState::Pending(buffer)) = self.rooms.remove(&room) else {
                    return None;
                };
                self.rooms.insert(room, RoomState::Live(head));
                let mut buffer = buffer;
                buffer.sort_by_key(|(seq, _)| *seq);
                for (seq, frame) in buffer {
                    if let Some(code) = self.event(room, seq, frame) {
                        return Some(code);
                    }
                }
            }
        }
        None
    }

    /// The room's subscription ended; `frame` tells the client.
    fn gone(&mut self, room: RoomId, frame: Utf8Bytes) {
        self.rooms.remove(&room);
        self.out.push(Message::Text(frame));
    }

    fn incoming(&mut self, text: &str) {
        let message: ClientMsg = match serde_json::from_str(text) {
            Ok(message) => message,
            Err(error) => {
                let (id, room) = subject_of(text);
                let message = format!("not a valid message: {error}");
                self.refuse(id, room.as_deref(), ErrorCode::BadRequest, &message);
                return;
            }
        };
        let (id, room_name) = match &message {
            ClientMsg::Command { id, room, .. } => (Some(*id), room.as_str()),
            ClientMsg::Subscribe { room, .. } | ClientMsg::Unsubscribe { room } => {
                (None, room.as_str())
            }
        };
        let limiter = match message {
            ClientMsg::Command { .. } => &self.commands,
            _ => &self.subscriptions,
        };
        if limiter.check().is_err() {
            let limit = "too many messages: at most 20 per second";
            self.refuse(id, Some(room_name), ErrorCode::RateLimited, limit);
            return;
        }
        let Ok(room) = room_name.parse::<RoomId>() else {
            self.refuse(id, Some(room_name), ErrorCode::NotFound, "no such room");
            return;
        };
        if self.waiting.len() >= JOBS {
            let busy = "too many requests in flight";
            self.refuse(id, Some(room_name), ErrorCode::RateLimited, busy);
            return;
        }
        let job = match message {
            ClientMsg::Subscribe { since, epoch, .. } => {
                self.rooms.insert(room, RoomState::Pending(Vec::new()));
                Job::Subscribe { room, since, epoch }
            }
            ClientMsg::Unsubscribe { .. } => Job::Unsubscribe { room },
            ClientMsg::Command { id, name, data, .. } => Job::Command {
                id,
                room,
                name,
                data,
            },
        };
        self.waiting.push_back(Waiting {
            job,
            answer_by: Some(Instant::now() + self.answer_within),
        });
    }

    /// Answers a client's frame with an error, naming the frame.
    fn refuse(&mut self, id: Option<Uuid>, room: Option<&str>, code: ErrorCode, message: &str) {
        self.out
            .push(Message::Text(coded_error(id, room, code, message)));
    }

    /// Queues a job the server itself needs; a connection too busy to take it is cut.
    fn job(&mut self, job: Job) -> Option<u16> {
        if self.waiting.len() >= JOBS {
            return Some(close::SLOW);
        }
        self.waiting.push_back(Waiting {
            job,
            answer_by: None,
        });
        None
    }

    /// Starts the next waiting job, if the worker is free.
    fn next_job(&mut self) -> Option<RunningJob> {
        let worker = self.worker.take()?;
        let Some(Waiting { job, answer_by }) = self.waiting.pop_front() else {
            self.worker = Some(worker);
            return None;
        };
        let command = match &job {
            Job::Command { id, room, .. } => Some((*id, *room)),
            _ => None,
        };
        Some(RunningJob {
            future: worker.start(job),
            answer_by: answer_by.filter(|_| command.is_some()),
            command,
            answered: false,
        })
    }

    /// When the next answer falls due, if one is owed.
    fn next_deadline(&self) -> Option<Instant> {
        let running = self.running.as_ref().and_then(|running| running.answer_by);
        self.waiting
            .iter()
            .filter_map(|waiting| waiting.answer_by)
            .chain(running)
            .min()
    }

    /// Tells the client to retry what could not be answered in time (the database is slow
    /// or away): waiting jobs are dropped unstarted, a running command goes on (see
    /// `RunningJob`).
    fn answer_overdue(&mut self) {
        let now = Instant::now();
        let late = "no answer in time: the database is slow or away, retry";
        let (overdue, waiting): (VecDeque<Waiting>, VecDeque<Waiting>) = self
            .waiting
            .drain(..)
            .partition(|waiting| waiting.answer_by.is_some_and(|by| by <= now));
        self.waiting = waiting;
        for Waiting { job, .. } in overdue {
            let (id, room) = match job {
                Job::Command { id, room, .. } => (Some(id), room),
                Job::Subscribe { room, .. } => {
                    self.rooms.remove(&room);
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

/// The `id` and `room` of a frame that is not a valid message, as far as they can be read,
/// so the error can name it.
fn subject_of(text: &str) -> (Option<Uuid>, Option<String>) {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        return (None, None);
    };
    let id = value["id"].as_str().and_then(|id| id.parse().ok());
    let room = value["room"].as_str().map(str::to_owned);
    (id, room)
}

/// The running job's result, without its reply when that was already given (see
/// `RunningJob`); `None` if the job panicked. Never ready while no job runs. Polled by
/// reference, so a turn of the loop that ends elsewhere leaves the job where it was.
async fn finished(running: &mut Option<RunningJob>) -> Option<(Worker, Option<Reply>)> {
    let Some(job) = running.as_mut() else {
        return std::future::pending().await;
    };
    let done = (&mut job.future).await;
    let answered = job.answered;
    *running = None;
    done.map(|(worker, reply)| (worker, (!answered).then_some(reply)))
}

/// Why the connection was told to close ("going away" when no code was given).
fn kick_code(kick: &Kick) -> u16 {
    kick.code().unwrap_or(close::GOING_AWAY)
}

fn nonzero(value: u32) -> std::num::NonZeroU32 {
    std::num::NonZeroU32::new(value).unwrap_or(std::num::NonZeroU32::MIN)
}

fn reason(code: u16) -> &'static str {
    match code {
        close::SLOW => "slow: reconnect and resume",
        close::IDLE => "idle timeout",
        close::UNAUTHORIZED => "logged out",
        close::UNSUPPORTED => "text frames only",
        close::INTERNAL => "internal error: reconnect and resume",
        _ => "going away",
    }
}
