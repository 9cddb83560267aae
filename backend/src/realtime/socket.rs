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
use super::worker::{Job, Reply, Running, Worker};
use super::Realtime;

/// Frames written per flush.
const BATCH: usize = 64;
/// Waiting subscriptions and commands; beyond, commands are refused as rate-limited.
const JOBS: usize = 64;

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
    session_id: Uuid,
    user_name: String,
) {
    let (queue_tx, queue) = mpsc::channel(QUEUE_CAPACITY);
    let (conn_id, subscriber) = realtime
        .hub
        .connections
        .register(session_id, user_id, queue_tx);
    let kick = Arc::clone(&subscriber.kick);
    let mut connection = Connection {
        rooms: HashMap::new(),
        out: Vec::new(),
        worker: Some(Worker::new(
            user_id, user_name, conn_id, subscriber, &realtime,
        )),
        waiting: VecDeque::new(),
        last_seen: Instant::now(),
        idle_timeout: realtime.heartbeat.idle_timeout,
    };
    connection.run(socket, queue, kick).await;
    realtime.hub.connections.unregister(conn_id);
}

struct Connection {
    rooms: HashMap<RoomId, RoomState>,
    out: Vec<Message>,
    /// The worker, while no job runs (a running job holds it).
    worker: Option<Worker>,
    waiting: VecDeque<Job>,
    /// When the client last sent a frame.
    last_seen: Instant,
    /// Without any frame from the client for this long, the connection is closed (checked
    /// at each of the node's pings, see `connections::run_pinger`).
    idle_timeout: Duration,
}

impl Connection {
    async fn run(
        &mut self,
        mut socket: WebSocket,
        mut queue: mpsc::Receiver<Outgoing>,
        kick: Arc<Kick>,
    ) {
        let limiter = RateLimiter::direct(Quota::per_second(nonzero(20)).allow_burst(nonzero(40)));
        // One long-lived future for the kick, polled by reference: re-creating it on every
        // turn of the loop would register it again for every delivered frame.
        let kicked = kick.given();
        tokio::pin!(kicked);
        let mut running: Option<Running> = None;
        // The socket is not split into halves: reads happen only inside the `select!` and
        // writes only after it, and a split socket takes a lock on every read and write.
        let code = loop {
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
                (worker, reply) = finished(&mut running) => {
                    self.worker = Some(worker);
                    self.reply(reply)
                }
                incoming = socket.next() => {
                    self.last_seen = Instant::now();
                    match incoming {
                        Some(Ok(Message::Text(text))) => {
                            if limiter.check().is_err() {
                                self.out.push(Message::Text(coded_error(None, ErrorCode::RateLimited, "too many messages: at most 20 per second")));
                            } else {
                                self.incoming(&text);
                            }
                            None
                        }
                        Some(Ok(Message::Binary(_))) => Some(close::UNSUPPORTED),
                        Some(Ok(Message::Ping(_) | Message::Pong(_))) => None,
                        Some(Ok(Message::Close(_)) | Err(_)) | None => return,
                    }
                }
            };
            if let Some(code) = ended {
                break code;
            }
            if running.is_none() {
                running = self.next_job();
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
        let _ = tokio::time::timeout(Duration::from_millis(200), socket.send(bye)).await;
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
                let message = format!("not a valid message: {error}");
                self.out.push(Message::Text(coded_error(
                    None,
                    ErrorCode::BadRequest,
                    &message,
                )));
                return;
            }
        };
        let (id, room) = match &message {
            ClientMsg::Command { id, room, .. } => (Some(*id), room),
            ClientMsg::Subscribe { room, .. } | ClientMsg::Unsubscribe { room } => (None, room),
        };
        let Ok(room) = room.parse::<RoomId>() else {
            self.out.push(Message::Text(coded_error(
                id,
                ErrorCode::NotFound,
                "no such room",
            )));
            return;
        };
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
        if self.waiting.len() >= JOBS {
            if let Job::Subscribe { room, .. } = job {
                self.rooms.remove(&room);
            }
            self.out.push(Message::Text(coded_error(
                id,
                ErrorCode::RateLimited,
                "too many requests in flight",
            )));
        } else {
            self.waiting.push_back(job);
        }
    }

    /// Queues a job the server itself needs; a connection too busy to take it is cut.
    fn job(&mut self, job: Job) -> Option<u16> {
        if self.waiting.len() >= JOBS {
            return Some(close::SLOW);
        }
        self.waiting.push_back(job);
        None
    }

    /// Starts the next waiting job, if the worker is free.
    fn next_job(&mut self) -> Option<Running> {
        match (self.worker.take(), self.waiting.pop_front()) {
            (Some(worker), Some(job)) => Some(worker.start(job)),
            (worker, job) => {
                self.worker = worker;
                self.waiting.extend(job);
                None
            }
        }
    }
}

/// The running job's result; never ready while none runs. Polled by reference, so a turn
/// of the loop that ends elsewhere leaves the job where it was.
async fn finished(running: &mut Option<Running>) -> (Worker, Reply) {
    let Some(job) = running.as_mut() else {
        return std::future::pending().await;
    };
    let done = job.await;
    *running = None;
    done
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
        _ => "going away",
    }
}
