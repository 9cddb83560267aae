//! The chat scenario: `clients` listeners and `senders` talkers in one room, the talkers
//! sending `rate` messages per second between them. Optionally every listener is dropped
//! at once mid-run (`--storm-after`) and reconnects, resuming from its last seq.
//! Measures connect time, delivery latency (from the send time each message carries),
//! deliveries per second, loss and duplicates, and the server's CPU per delivery and RSS.

use std::net::IpAddr;
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};
use clap::Args;
use hdrhistogram::Histogram;
use serde_json::json;
use tokio::sync::{mpsc, watch, Semaphore};
use tokio::time::Instant;

use crate::client::Target;
use crate::listener::{run_client, ClientPlan, Outcome, Phase};
use crate::report::{histogram, Report};
use crate::server_stats::{cpu_seconds, rss_bytes};
use crate::{fixture, socketio, Common};

/// How long the listeners may take to receive everything once sending stopped.
const DRAIN_DEADLINE: Duration = Duration::from_secs(20);

#[derive(Args)]
pub struct ChatArgs {
    #[command(flatten)]
    pub common: Common,
    /// Clients that only listen.
    #[arg(long, default_value_t = 850)]
    pub clients: usize,
    /// Further clients in the room that also send.
    #[arg(long, default_value_t = 50)]
    pub senders: usize,
    /// Messages per second, all senders together.
    #[arg(long, default_value_t = 50.0)]
    pub rate: f64,
    /// Message body size in bytes.
    #[arg(long, default_value_t = 200)]
    pub size: usize,
    /// Seconds of sending.
    #[arg(long, default_value_t = 20.0)]
    pub seconds: f64,
    /// Senders connect here instead of `--url` (a second node).
    #[arg(long)]
    pub send_url: Option<String>,
    /// After this many seconds of sending, drop every listener's connection at once;
    /// they reconnect and resume from their last seq.
    #[arg(long)]
    pub storm_after: Option<f64>,
    /// `--url` is a socket.io 4 broadcast server (tests/load/socketio), not Viaduc.
    #[arg(long)]
    pub socketio: bool,
    /// Connections being set up at the same time.
    #[arg(long, default_value_t = 100)]
    pub connect_concurrency: usize,
}

/// What every client task reads.
pub struct Shared {
    pub target: Target,
    pub senders: usize,
    pub size: usize,
    pub phase: watch::Receiver<Phase>,
    pub storm: watch::Receiver<u32>,
    pub connect_slots: Semaphore,
    /// Per client: the last seq (Viaduc) or the number of messages received (socket.io).
    pub progress: Vec<AtomicI64>,
    pub sent: AtomicU64,
    /// Senders that saw the end of the sending phase and will send no more.
    pub senders_stopped: AtomicUsize,
    /// Commands answered with an ack or an error.
    pub answered: AtomicU64,
}

pub async fn run(args: ChatArgs) -> anyhow::Result<Report> {
    if args.senders == 0 || args.rate <= 0.0 || args.seconds <= 0.0 {
        bail!("--senders, --rate and --seconds must be positive");
    }
    if args.socketio && args.storm_after.is_some() {
        bail!("socket.io has no resume: --storm-after is for Viaduc only");
    }
    let common = &args.common;
    let total = args.clients + args.senders;
    let (target, tokens, fixture, url, send_url) = if args.socketio {
        let url = socketio::endpoint(&common.url)?;
        let send_url = args
            .send_url
            .as_deref()
            .map(socketio::endpoint)
            .transpose()?;
        (Target::SocketIo, vec![None; total], None, url, send_url)
    } else {
        let fixture = fixture::prepare(common, total).await?;
        let room = fixture.new_panel().await?;
        let tokens = fixture.tokens.iter().cloned().map(Some).collect();
        let (url, send_url) = (common.url.clone(), args.send_url.clone());
        (
            Target::Viaduc { room },
            tokens,
            Some(fixture),
            url,
            send_url,
        )
    };

    let (phase_tx, phase) = watch::channel(Phase::Setup);
    let (storm_tx, storm) = watch::channel(0u32);
    let shared = Arc::new(Shared {
        target: target.clone(),
        senders: args.senders,
        size: args.size,
        phase,
        storm,
        connect_slots: Semaphore::new(args.connect_concurrency.max(1)),
        progress: (0..total).map(|_| AtomicI64::new(0)).collect(),
        sent: AtomicU64::new(0),
        senders_stopped: AtomicUsize::new(0),
        answered: AtomicU64::new(0),
    });
    let pids = &common.server_pids;
    let rss_before = rss_bytes(pids)?;

    let setup = Instant::now();
    let (ready_tx, mut ready) = mpsc::channel(total);
    let mut tasks = Vec::with_capacity(total);
    for (index, token) in tokens.into_iter().enumerate() {
        let sender = index.checked_sub(args.clients);
        let plan = ClientPlan {
            index,
            url: match (&send_url, sender) {
                (Some(send_url), Some(_)) => send_url.clone(),
                _ => url.clone(),
            },
            source: pick_source(&common.sources, index),
            token,
            sends: sender.map(|number| {
                let every = Duration::from_secs_f64(args.senders as f64 / args.rate);
                let offset = Duration::from_secs_f64(number as f64 / args.rate);
                (number, every, offset)
            }),
        };
        tasks.push(tokio::spawn(run_client(
            Arc::clone(&shared),
            plan,
            ready_tx.clone(),
        )));
    }
    for _ in 0..total {
        let joined = ready.recv().await.context("a client task ended")?;
        joined.map_err(|error| anyhow::anyhow!("a client could not join: {error}"))?;
    }
    let setup_secs = setup.elapsed().as_secs_f64();
    let rss_connected = rss_bytes(pids)?;

    let cpu_start = cpu_seconds(pids)?;
    let started = Instant::now();
    phase_tx.send_replace(Phase::Sending);
    match args.storm_after {
        Some(after) if after < args.seconds => {
            tokio::time::sleep(Duration::from_secs_f64(after)).await;
            storm_tx.send_modify(|generation| *generation += 1);
            tokio::time::sleep(Duration::from_secs_f64(args.seconds - after)).await;
        }
        _ => tokio::time::sleep(Duration::from_secs_f64(args.seconds)).await,
    }
    phase_tx.send_replace(Phase::Draining);
    let expected_each = expected_per_client(&shared, fixture.as_ref(), &target).await?;
    let drained = wait_until(DRAIN_DEADLINE, || {
        shared
            .progress
            .iter()
            .all(|progress| progress.load(Ordering::Relaxed) >= expected_each)
    })
    .await;
    let window = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds(pids)? - cpu_start;
    let rss_end = rss_bytes(pids)?;
    phase_tx.send_replace(Phase::Done);

    let mut outcomes = Vec::with_capacity(total);
    for task in tasks {
        outcomes.push(task.await?);
    }
    let totals = Totals::of(&outcomes);
    let expected = expected_each as u64 * total as u64;
    let parameters = json!({
        "clients": args.clients, "senders": args.senders, "rate": args.rate,
        "size": args.size, "seconds": args.seconds, "storm_after": args.storm_after,
        "server": if args.socketio { "socket.io" } else { "viaduc" },
        "second_node": args.send_url.is_some(),
    });
    let mut report = Report::new(common, "chat", parameters);
    report.add("connections", total as f64, "");
    report.latency("connect+join", &totals.connect);
    report.add("setup time", setup_secs, "s");
    report.add("messages sent", totals.sent as f64, "");
    report.add("command errors", totals.errors as f64, "");
    report.add("deliveries", totals.unique as f64, "");
    report.add("deliveries expected", expected as f64, "");
    report.add("lost", expected.saturating_sub(totals.unique) as f64, "");
    report.add("duplicates", totals.duplicates as f64, "");
    report.add("all delivered", f64::from(u8::from(drained)), "bool");
    report.add("deliveries per second", totals.unique as f64 / window, "/s");
    report.latency("delivery latency", &totals.latency);
    if let Some(first) = &totals.first_error {
        println!("first error: {first}");
    }
    if args.storm_after.is_some() {
        report.add("reconnected", totals.resume.len() as f64, "");
        report.latency("drop to resumed", &totals.resume);
        report.add("replayed on resume", totals.replayed as f64, "");
        report.add("resumed from snapshot", totals.unrecovered as f64, "");
    }
    if !pids.is_empty() {
        report.add("server CPU", cpu, "s");
        report.add(
            "server CPU per delivery",
            cpu * 1e6 / totals.unique.max(1) as f64,
            "µs",
        );
        report.add("server RSS before", rss_before as f64 / 1e6, "MB");
        report.add("server RSS connected", rss_connected as f64 / 1e6, "MB");
        report.add("server RSS at end", rss_end as f64 / 1e6, "MB");
        report.add(
            "server RSS per connection",
            rss_connected.saturating_sub(rss_before) as f64 / total as f64 / 1e3,
            "KB",
        );
    }
    Ok(report)
}

/// Once the senders stopped: what every client must have reached — the room's head seq
/// (Viaduc) or the number of messages sent (socket.io).
async fn expected_per_client(
    shared: &Shared,
    fixture: Option<&fixture::Fixture>,
    target: &Target,
) -> anyhow::Result<i64> {
    // A sender may be sending as the phase ends: count only once every sender stopped.
    wait_until(Duration::from_secs(10), || {
        shared.senders_stopped.load(Ordering::Relaxed) >= shared.senders
    })
    .await;
    // Commands still in flight are answered within a moment.
    let sent = shared.sent.load(Ordering::Relaxed);
    wait_until(Duration::from_secs(10), || {
        matches!(target, Target::SocketIo) || shared.answered.load(Ordering::Relaxed) >= sent
    })
    .await;
    match (target, fixture) {
        (Target::Viaduc { room }, Some(fixture)) => fixture.head(room).await,
        _ => Ok(sent as i64),
    }
}

/// Polls `done` every 20 ms until it holds (true) or the deadline passes (false).
pub async fn wait_until(deadline: Duration, done: impl Fn() -> bool) -> bool {
    let until = Instant::now() + deadline;
    while !done() {
        if Instant::now() > until {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    true
}

pub fn pick_source(sources: &[IpAddr], index: usize) -> Option<IpAddr> {
    (!sources.is_empty()).then(|| sources[index % sources.len()])
}

/// The clients' outcomes added up.
struct Totals {
    connect: Histogram<u64>,
    latency: Histogram<u64>,
    resume: Histogram<u64>,
    sent: u64,
    errors: u64,
    unique: u64,
    duplicates: u64,
    replayed: u64,
    unrecovered: u64,
    first_error: Option<String>,
}

impl Totals {
    fn of(outcomes: &[Outcome]) -> Self {
        let mut totals = Totals {
            connect: histogram(),
            latency: histogram(),
            resume: histogram(),
            sent: 0,
            errors: 0,
            unique: 0,
            duplicates: 0,
            replayed: 0,
            unrecovered: 0,
            first_error: None,
        };
        for outcome in outcomes {
            let _ = totals.latency.add(&outcome.latency);
            let _ = totals.connect.record(outcome.connect.as_micros() as u64);
            for resume in &outcome.resumes {
                let _ = totals.resume.record(resume.as_micros() as u64);
            }
            totals.sent += outcome.sent;
            totals.errors += outcome.errors;
            totals.unique += outcome.received - outcome.duplicates;
            totals.duplicates += outcome.duplicates;
            totals.replayed += outcome.replayed;
            totals.unrecovered += outcome.unrecovered;
            if totals.first_error.is_none() {
                totals.first_error.clone_from(&outcome.first_error);
            }
        }
        totals
    }
}
