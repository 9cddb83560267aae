//! One connection: a single `select!` loop that reads the client's frames, runs its jobs
//! one at a time (subscriptions, commands, re-checks: see `jobs.rs`), writes the room
//! events queued by the hub (merged by seq: buffered while a subscription replays,
//! de-duplicated, gaps refilled from the log), pings, and closes with a code. One task per
//! connection, with one channel: at 10,000 connections every extra task or channel costs
//! megabytes. The loop owns the connection's rooms, in one map.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use futures_util::{SinkExt, StreamExt};
use governor::{Quota, RateLimiter};
use tokio::sync::mpsc;
use tokio::time::Instant;
use uuid::Uuid;

mod requests;
mod rooms;

use super::connections::Kick;
use super::errors::coded_error;
use super::hub::{Outgoing, QUEUE_CAPACITY};
use super::jobs::JobCtx;
use super::protocol::{close, ClientMsg, ErrorCode};
use super::room::RoomId;
use super::Realtime;
use crate::metrics::Metrics;
use requests::{finished, Request, RunningJob, Waiting};
use rooms::Rooms;

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
/// Subscriptions per connection.
pub const MAX_SUBSCRIPTIONS: usize = 50;

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
        rooms: Rooms::default(),
        out: Vec::new(),
        jobs: Arc::new(JobCtx {
            user_id,
            user_name,
            conn_id,
            subscriber,
            hub: Arc::clone(&realtime.hub),
            presence: Arc::clone(&realtime.presence),
            pulses: Arc::clone(&realtime.pulses),
            features: Arc::clone(&realtime.features),
        }),
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
    connection
        .run(socket, queue, kick, &realtime.hub.metrics)
        .await;
    realtime.hub.connections.unregister(conn_id);
}

type Limiter = RateLimiter<
    governor::state::NotKeyed,
    governor::state::InMemoryState,
    governor::clock::DefaultClock,
>;

struct Connection {
    rooms: Rooms,
    out: Vec<Message>,
    jobs: Arc<JobCtx>,
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

/// Leaving the hub's rooms when the connection ends, even in the middle of a job.
impl Drop for Connection {
    fn drop(&mut self) {
        for room in self.rooms.ids() {
            self.jobs.hub.unsubscribe(room, self.jobs.conn_id);
        }
    }
}

impl Connection {
    async fn run(
        &mut self,
        mut socket: WebSocket,
        mut queue: mpsc::Receiver<Outgoing>,
        kick: Arc<Kick>,
        metrics: &Metrics,
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
                    Some(reply) => reply.and_then(|reply| self.reply(reply)),
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
            while self.running.is_none() && !self.waiting.is_empty() {
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
        if code == close::SLOW {
            metrics.cut_as_slow();
        }
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
            Outgoing::Recheck(scope) => self.queue_own(Request::Recheck(*scope)),
        }
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
        let request = match message {
            ClientMsg::Subscribe { since, epoch, .. } => {
                if !self.rooms.contains(&room) && self.rooms.len() >= MAX_SUBSCRIPTIONS {
                    let most = "at most 50 subscriptions per connection";
                    self.refuse(None, Some(room_name), ErrorCode::TooManySubscriptions, most);
                    return;
                }
                // A room subscribed again keeps its delivery until the job starts (see
                // `next_job`): its buffered events must not be lost.
                self.rooms.join(room);
                Request::Subscribe { room, since, epoch }
            }
            ClientMsg::Unsubscribe { .. } => Request::Unsubscribe { room },
            ClientMsg::Command { id, name, data, .. } => Request::Command {
                id,
                room,
                name,
                data,
            },
        };
        self.waiting.push_back(Waiting {
            request,
            answer_by: Some(Instant::now() + self.answer_within),
        });
    }

    /// Answers a client's frame with an error, naming the frame.
    fn refuse(&mut self, id: Option<Uuid>, room: Option<&str>, code: ErrorCode, message: &str) {
        self.out
            .push(Message::Text(coded_error(id, room, code, message)));
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
