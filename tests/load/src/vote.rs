//! The vote storm: `clients` attendees in one panel room all upvote the same question (or,
//! with `--poll`, answer the same poll) within `window` seconds, spread evenly. Measures
//! each vote's acknowledgement, the count stored (it must be exactly `clients`), how long
//! after the last acknowledgement every screen shows the final count, how many count events
//! each screen received (coalesced: a few per second, not one per vote), and the server's CPU.

use std::time::Duration;

use anyhow::{bail, Context};
use clap::Args;
use futures_util::{SinkExt, StreamExt};
use hdrhistogram::Histogram;
use serde_json::{json, Value};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use uuid::Uuid;

use crate::client::{now_us, number_after, Target, Ws};
use crate::crowd::SETTLE;
use crate::report::{histogram, Report};
use crate::{crowd, fixture, Common};

/// How long screens may take to show the final count after the last acknowledgement.
const SETTLE_DEADLINE: Duration = Duration::from_secs(10);

#[derive(Args)]
pub struct VoteArgs {
    #[command(flatten)]
    pub common: Common,
    /// Attendees in the room, each voting once.
    #[arg(long, default_value_t = 900)]
    pub clients: usize,
    /// Seconds over which the votes are spread.
    #[arg(long, default_value_t = 2.0)]
    pub window: f64,
    /// Answer a poll (`poll.answer`) instead of upvoting a question (`qa.upvote`).
    #[arg(long)]
    pub poll: bool,
    /// Chat messages per second in the same room during the storm, from ten more attendees
    /// (0: none); every voter's screen times their delivery.
    #[arg(long, default_value_t = 0.0)]
    pub chat_rate: f64,
    /// Connections being set up at the same time.
    #[arg(long, default_value_t = 100)]
    pub connect_concurrency: usize,
}

/// Attendees who chat beside the storm, sharing `--chat-rate`.
const CHAT_SENDERS: usize = 10;
/// How long the chat goes on after the last vote.
const CHAT_AFTER: Duration = Duration::from_secs(1);

/// What one client saw.
struct Seen {
    ack_us: u64,
    acked_at: Instant,
    /// When this screen first showed the final count.
    final_at: Instant,
    count_events: u64,
    /// Delivery times of the chat messages this screen received while it followed the storm.
    chat: Histogram<u64>,
}

pub async fn run(args: VoteArgs) -> anyhow::Result<Report> {
    if args.clients == 0 || args.window <= 0.0 || args.chat_rate < 0.0 {
        bail!("--clients and --window must be positive, --chat-rate not negative");
    }
    let common = &args.common;
    let chatters = if args.chat_rate > 0.0 {
        CHAT_SENDERS
    } else {
        0
    };
    let fixture = fixture::prepare(common, args.clients + chatters).await?;
    let room = fixture.new_panel().await?;
    let target_id = if args.poll {
        fixture.new_poll(&room).await?
    } else {
        fixture.new_question(&room).await?
    };
    let expected = args.clients as i64;
    let (clients, window, poll, chat_rate) = (args.clients, args.window, args.poll, args.chat_rate);
    let vote_room = room.clone();
    let act = move |index: usize, mut ws: Ws, start: Instant| {
        let room = vote_room.clone();
        async move {
            let start = start + SETTLE;
            if index >= clients {
                // One of the chatters: its messages reach every voter's screen.
                let sender = index - clients;
                let every = Duration::from_secs_f64(CHAT_SENDERS as f64 / chat_rate);
                let first = start + Duration::from_secs_f64(sender as f64 / chat_rate);
                let end = start + Duration::from_secs_f64(window) + CHAT_AFTER;
                let target = Target::Viaduc { room };
                crowd::chat_until(ws, &target, sender, first, every, end).await?;
                return Ok(None);
            }
            let offset = Duration::from_secs_f64(window * index as f64 / clients as f64);
            let command_id = Uuid::new_v4();
            let (name, data) = if poll {
                (
                    "poll.answer",
                    json!({"id": target_id, "choices": [index % 3]}),
                )
            } else {
                ("qa.upvote", json!({"id": target_id}))
            };
            let command = json!({"type": "command", "id": command_id, "room": room, "name": name, "data": data});
            let vote = Message::text(command.to_string());
            vote_and_follow(
                &mut ws,
                vote,
                command_id,
                start + offset,
                target_id,
                expected,
            )
            .await
            .map(Some)
        }
    };
    let outcome = crowd::gather(common, &fixture, &room, args.connect_concurrency, act).await?;

    let (mut acks, mut chat) = (histogram(), histogram());
    let mut count_events = Vec::new();
    let (mut errors, mut first_error, mut last_final, mut all_final) = (0u64, None, None, true);
    let mut last_ack: Option<Instant> = None;
    for seen in outcome.results {
        let seen = match seen {
            Ok(Some(seen)) => seen,
            Ok(None) => continue,
            Err(error) => {
                errors += 1;
                first_error.get_or_insert(error.to_string());
                all_final = false;
                continue;
            }
        };
        last_ack = last_ack.max(Some(seen.acked_at));
        let _ = acks.record(seen.ack_us.max(1));
        last_final = last_final.max(Some(seen.final_at));
        count_events.push(seen.count_events);
        chat.add(&seen.chat)?;
    }
    let cpu = outcome.server_cpu.user + outcome.server_cpu.system;
    let stored = fixture.stored_votes(target_id).await?;
    count_events.sort_unstable();

    let parameters = json!({"clients": args.clients, "window": args.window, "poll": args.poll,
                            "chat_rate": args.chat_rate});
    let mut report = Report::new(common, "vote", parameters);
    report.latency("ack", &acks);
    report.add("acknowledged", acks.len() as f64, "");
    report.add("errors", errors as f64, "");
    report.add("stored", stored as f64, "");
    report.add(
        "stored exactly",
        f64::from(u8::from(stored == expected)),
        "",
    );
    report.add(
        "every screen at the final count",
        f64::from(u8::from(all_final)),
        "",
    );
    if let (Some(at), Some(last_ack)) = (last_final, last_ack) {
        let settle = at.saturating_duration_since(last_ack).as_secs_f64() * 1e3;
        report.add(
            "final count on every screen after the last ack",
            settle,
            "ms",
        );
    }
    report.add(
        "count events per screen (median)",
        count_events
            .get(count_events.len() / 2)
            .copied()
            .unwrap_or(0) as f64,
        "",
    );
    report.add("server CPU", cpu, "s");
    if chatters > 0 {
        report.add("chat messages timed", chat.len() as f64, "");
        report.latency("chat delivery", &chat);
    }
    if let Some(error) = first_error {
        eprintln!("first error: {error}");
    }
    Ok(report)
}

/// Reads this screen — from the start, so chat messages are timed when they arrive — sends
/// the vote at `vote_at`, and reads on until the vote is acknowledged and the screen shows
/// `expected`.
async fn vote_and_follow(
    ws: &mut Ws,
    vote: Message,
    command_id: Uuid,
    vote_at: Instant,
    target: Uuid,
    expected: i64,
) -> anyhow::Result<Seen> {
    let (mut acked, mut final_at, mut count_events) = (None, None, 0);
    let mut chat = histogram();
    let mut vote = Some(vote);
    let mut sent = None;
    let deadline = vote_at + SETTLE_DEADLINE + Duration::from_secs(5);
    loop {
        if let (Some((ack_us, acked_at)), Some(final_at)) = (acked, final_at) {
            return Ok(Seen {
                ack_us,
                acked_at,
                final_at,
                count_events,
                chat,
            });
        }
        let frame = tokio::select! {
            frame = tokio::time::timeout_at(deadline, ws.next()) => frame
                .map_err(|_| anyhow::anyhow!("no final count in time"))?
                .context("the connection closed")??,
            () = tokio::time::sleep_until(vote_at), if vote.is_some() => {
                ws.send(vote.take().context("the vote")?).await?;
                sent = Some(Instant::now());
                continue;
            }
        };
        let Message::Text(text) = frame else { continue };
        if let Some(sent_us) = number_after(&text, r#""body":"t="#) {
            let _ = chat.record(now_us().saturating_sub(sent_us).max(1));
            continue;
        }
        let value: Value = serde_json::from_str(&text)?;
        match value["type"].as_str() {
            Some("ack") if value["id"] == json!(command_id) => {
                let sent: Instant = sent.context("an answer before the vote")?;
                acked = Some((sent.elapsed().as_micros() as u64, Instant::now()));
            }
            Some("error") if value["id"] == json!(command_id) => {
                bail!("{}: {}", value["code"], value["message"]);
            }
            Some("event") => {
                if let Some(count) = count_in(&value, target) {
                    count_events += 1;
                    if count >= expected && final_at.is_none() {
                        final_at = Some(Instant::now());
                    }
                }
            }
            _ => {}
        }
    }
}

/// The count of `target` an event carries: `qa.votes` lists questions, `poll.counts` one poll.
fn count_in(event: &Value, target: Uuid) -> Option<i64> {
    let data = &event["data"];
    match event["name"].as_str()? {
        "qa.votes" => data["counts"]
            .as_array()?
            .iter()
            .find(|count| count["id"] == json!(target))?["votes"]
            .as_i64(),
        "poll.counts" if data["id"] == json!(target) => data["answers"].as_i64(),
        _ => None,
    }
}
