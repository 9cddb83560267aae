//! One client of the chat scenario: joins the room, sends on its schedule if it is a
//! sender, and counts every chat message it receives — latency, duplicates and gaps by
//! seq (Viaduc) or by sender and number (socket.io). When its connection is dropped it
//! reconnects and resumes from its last seq, as the browser client does.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use hdrhistogram::Histogram;
use tokio::sync::mpsc;
use tokio::time::{Instant, Interval};
use tokio_tungstenite::tungstenite::Message;

use crate::chat::Shared;
use crate::client::{now_us, open, Incoming, Position, Target, Ws};
use crate::report::histogram;

/// Attempts to reconnect before a client gives up.
const RECONNECT_ATTEMPTS: u32 = 50;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Phase {
    Setup,
    Sending,
    Draining,
    Done,
}

pub struct ClientPlan {
    pub index: usize,
    pub url: String,
    pub source: Option<std::net::IpAddr>,
    pub token: Option<String>,
    /// Sender number, interval between its messages and delay of its first one.
    pub sends: Option<(usize, Duration, Duration)>,
}

/// What one client saw.
pub struct Outcome {
    pub latency: Histogram<u64>,
    pub connect: Duration,
    pub resumes: Vec<Duration>,
    pub received: u64,
    pub duplicates: u64,
    pub replayed: u64,
    pub unrecovered: u64,
    pub sent: u64,
    pub errors: u64,
    pub first_error: Option<String>,
    position: Position,
    /// socket.io: the last number seen from each sender.
    last_by_sender: Vec<u64>,
}

pub async fn run_client(
    shared: Arc<Shared>,
    plan: ClientPlan,
    ready: mpsc::Sender<Result<(), String>>,
) -> Outcome {
    let mut outcome = Outcome {
        latency: histogram(),
        connect: Duration::ZERO,
        resumes: Vec::new(),
        received: 0,
        duplicates: 0,
        replayed: 0,
        unrecovered: 0,
        sent: 0,
        errors: 0,
        first_error: None,
        position: Position::default(),
        last_by_sender: vec![0; shared.senders],
    };
    let started = Instant::now();
    let first = {
        let _slot = shared.connect_slots.acquire().await;
        outcome.connect(&shared, &plan, false).await
    };
    let mut ws = match first {
        Ok(ws) => ws,
        Err(error) => {
            let _ = ready.send(Err(format!("{error:#}"))).await;
            return outcome;
        }
    };
    outcome.connect = started.elapsed();
    let _ = ready.send(Ok(())).await;

    let mut phase = shared.phase.clone();
    let mut storm = shared.storm.clone();
    let mut ticker: Option<Interval> = None;
    let mut number = 0;
    loop {
        tokio::select! {
            changed = phase.changed() => {
                if changed.is_err() {
                    break;
                }
                match *phase.borrow_and_update() {
                    Phase::Sending => {
                        ticker = plan.sends.map(|(_, every, offset)| {
                            tokio::time::interval_at(Instant::now() + offset, every)
                        });
                    }
                    Phase::Draining => {
                        ticker = None;
                        if plan.sends.is_some() {
                            shared.senders_stopped.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    Phase::Done => break,
                    Phase::Setup => {}
                }
            }
            _ = storm.changed(), if plan.sends.is_none() => {
                drop(ws);
                let dropped = Instant::now();
                let Some(again) = outcome.reconnect(&shared, &plan).await else { return outcome };
                ws = again;
                outcome.resumes.push(dropped.elapsed());
            }
            _ = tick(&mut ticker) => {
                if let Some((sender, _, _)) = plan.sends {
                    number += 1;
                    let frame = shared.target.chat_frame(sender, number, shared.size);
                    if let Err(error) = ws.send(frame).await {
                        outcome.error(format!("send failed: {error}"));
                    }
                    outcome.sent += 1;
                    shared.sent.fetch_add(1, Ordering::Relaxed);
                }
            }
            frame = ws.next() => match frame {
                Some(Ok(Message::Text(text))) => match shared.target.classify(&text) {
                    Incoming::HeartbeatPing => {
                        let _ = ws.send(Message::text("3")).await;
                    }
                    incoming => outcome.track(&shared, &plan, incoming, true),
                },
                Some(Ok(_)) => {}
                Some(Err(_)) | None => {
                    outcome.error(format!("client {} lost its connection", plan.index));
                    let Some(again) = outcome.reconnect(&shared, &plan).await else { return outcome };
                    ws = again;
                }
            },
        }
    }
    let _ = ws.close(None).await;
    outcome
}

async fn tick(ticker: &mut Option<Interval>) {
    match ticker {
        Some(ticker) => {
            ticker.tick().await;
        }
        None => std::future::pending().await,
    }
}

impl Outcome {
    /// Opens a connection and joins the room (resuming from the last position if asked).
    async fn connect(
        &mut self,
        shared: &Shared,
        plan: &ClientPlan,
        resume: bool,
    ) -> anyhow::Result<Ws> {
        let mut ws = open(&plan.url, plan.source, plan.token.as_deref()).await?;
        let from = resume.then(|| self.position.clone());
        let (joined, replayed, recovered) = shared.target.join(&mut ws, from.as_ref()).await?;
        for chat in replayed {
            self.track(shared, plan, chat, false);
        }
        if resume && !recovered {
            self.unrecovered += 1;
        }
        // A snapshot skips what was missed: those messages were never delivered.
        self.position.seq = self.position.seq.max(joined.seq);
        self.position.epoch = joined.epoch;
        shared.progress[plan.index].fetch_max(self.position.seq, Ordering::Relaxed);
        Ok(ws)
    }

    async fn reconnect(&mut self, shared: &Shared, plan: &ClientPlan) -> Option<Ws> {
        let resume = matches!(shared.target, Target::Viaduc { .. });
        for _ in 0..RECONNECT_ATTEMPTS {
            match self.connect(shared, plan, resume).await {
                Ok(ws) => return Some(ws),
                Err(error) => {
                    self.error(format!("reconnecting: {error:#}"));
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
        None
    }

    fn track(&mut self, shared: &Shared, plan: &ClientPlan, incoming: Incoming, live: bool) {
        match incoming {
            Incoming::Chat {
                seq,
                origin,
                sent_us,
            } => {
                self.received += 1;
                if !live {
                    self.replayed += 1;
                } else if let Some(sent) = sent_us {
                    let _ = self.latency.record(now_us().saturating_sub(sent).max(1));
                }
                let progress = &shared.progress[plan.index];
                if let Some(seq) = seq {
                    if seq <= self.position.seq {
                        self.duplicates += 1;
                    } else {
                        self.position.seq = seq;
                        progress.store(seq, Ordering::Relaxed);
                    }
                } else if let Some((sender, number)) = origin {
                    match self.last_by_sender.get_mut(sender) {
                        Some(last) if number > *last => {
                            *last = number;
                            progress.fetch_add(1, Ordering::Relaxed);
                        }
                        _ => self.duplicates += 1,
                    }
                }
            }
            Incoming::Ack => {
                shared.answered.fetch_add(1, Ordering::Relaxed);
            }
            Incoming::Error(message) => {
                shared.answered.fetch_add(1, Ordering::Relaxed);
                self.error(message);
            }
            _ => {}
        }
    }

    fn error(&mut self, message: String) {
        self.errors += 1;
        self.first_error.get_or_insert(message);
    }
}
