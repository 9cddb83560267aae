//! The reaction storm: `clients` attendees in one panel room each send a reaction every
//! `1/rate` seconds for `duration` seconds (900 clients at rate 1: 900 reactions a second),
//! while a few of them chat at `chat-rate` messages a second in the same room. Measures how
//! many `reaction.burst` signals each screen received per second (the server aggregates:
//! at most 2), whether the people counted in them add up to the reactions sent, the chat's
//! delivery latency during the storm, and the server's CPU as a share of one core.

use std::collections::{BTreeMap, HashMap};
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
use crate::crowd::{self, SETTLE};
use crate::report::{histogram, Report};
use crate::{fixture, Common};

/// Clients that also chat, sharing `chat-rate` between them.
const CHAT_SENDERS: usize = 10;
/// How long screens keep listening after the storm, for the last bursts.
const DRAIN: Duration = Duration::from_millis(1_500);
const REACTIONS: [&str; 5] = ["clap", "heart", "laugh", "thinking", "thumbs_up"];

#[derive(Args)]
pub struct ReactArgs {
    #[command(flatten)]
    pub common: Common,
    /// Attendees in the room, each reacting.
    #[arg(long, default_value_t = 900)]
    pub clients: usize,
    /// Reactions per second per attendee (0: none, the chat's baseline).
    #[arg(long, default_value_t = 1.0)]
    pub rate: f64,
    /// Seconds the storm lasts.
    #[arg(long, default_value_t = 10.0)]
    pub duration: f64,
    /// Chat messages per second in the same room during the storm (0: none).
    #[arg(long, default_value_t = 50.0)]
    pub chat_rate: f64,
    /// Connections being set up at the same time.
    #[arg(long, default_value_t = 100)]
    pub connect_concurrency: usize,
}

/// What one screen saw.
struct Screen {
    reactions_sent: u64,
    reactions_acked: u64,
    reaction_acks: Histogram<u64>,
    chat_sent: u64,
    chat_delivery: Histogram<u64>,
    /// `reaction.burst` signals received in each second since the start.
    bursts_per_second: BTreeMap<u64, u64>,
    /// People counted in every burst received, summed.
    people_counted: u64,
}

/// One client's schedule: how often and from when it reacts and, for a chat sender, chats.
struct Schedule {
    react: Option<(Duration, Duration)>,
    chat: Option<(Duration, Duration)>,
    duration: Duration,
}

pub async fn run(args: ReactArgs) -> anyhow::Result<Report> {
    if args.clients == 0 || args.duration <= 0.0 || args.rate < 0.0 || args.chat_rate < 0.0 {
        bail!("--clients and --duration must be positive, --rate and --chat-rate not negative");
    }
    let common = &args.common;
    let fixture = fixture::prepare(common, args.clients).await?;
    let room = fixture.new_panel().await?;
    let (clients, rate, chat_rate) = (args.clients, args.rate, args.chat_rate);
    let senders = CHAT_SENDERS.min(clients);
    let duration = Duration::from_secs_f64(args.duration);
    let storm_room = room.clone();
    let act = move |index: usize, ws: Ws, start: Instant| {
        let schedule = Schedule {
            react: (rate > 0.0).then(|| {
                let every = Duration::from_secs_f64(1.0 / rate);
                (
                    every,
                    Duration::from_secs_f64(index as f64 / clients as f64 / rate),
                )
            }),
            chat: (chat_rate > 0.0 && index < senders).then(|| {
                let every = Duration::from_secs_f64(senders as f64 / chat_rate);
                (every, Duration::from_secs_f64(index as f64 / chat_rate))
            }),
            duration,
        };
        watch(ws, storm_room.clone(), index, start, schedule)
    };
    let outcome = crowd::gather(common, &fixture, &room, args.connect_concurrency, act).await?;

    let (mut sent, mut acked, mut chat_sent, mut errors) = (0, 0, 0, 0u64);
    let (mut acks, mut chat) = (histogram(), histogram());
    let (mut worst_second, mut people, mut first_error) = (0, Vec::new(), None);
    for screen in outcome.results {
        let screen = match screen {
            Ok(screen) => screen,
            Err(error) => {
                errors += 1;
                first_error.get_or_insert(error.to_string());
                continue;
            }
        };
        sent += screen.reactions_sent;
        acked += screen.reactions_acked;
        chat_sent += screen.chat_sent;
        acks.add(&screen.reaction_acks)?;
        chat.add(&screen.chat_delivery)?;
        worst_second = worst_second.max(
            screen
                .bursts_per_second
                .values()
                .copied()
                .max()
                .unwrap_or(0),
        );
        people.push(screen.people_counted);
    }
    people.sort_unstable();
    let median_people = people.get(people.len() / 2).copied().unwrap_or(0);

    let parameters = json!({
        "clients": args.clients, "rate": args.rate, "duration": args.duration,
        "chat_rate": args.chat_rate,
    });
    let mut report = Report::new(common, "react", parameters);
    report.add("reactions sent", sent as f64, "");
    report.add("reactions acknowledged", acked as f64, "");
    report.latency("reaction ack", &acks);
    report.add("errors", errors as f64, "");
    report.add(
        "bursts per second on a screen (max)",
        worst_second as f64,
        "",
    );
    report.add(
        "people counted on a screen (median)",
        median_people as f64,
        "",
    );
    report.add(
        "counted / sent",
        if sent > 0 {
            median_people as f64 / sent as f64
        } else {
            0.0
        },
        "",
    );
    report.add("chat messages sent", chat_sent as f64, "");
    report.latency("chat delivery", &chat);
    let cpu = outcome.server_cpu;
    report.add("server CPU", cpu.user + cpu.system, "s");
    // Over the storm's own seconds, though the count runs on while the screens drain: the
    // share is not flattered by the quiet tail.
    let share = |seconds: f64| 100.0 * seconds / args.duration;
    report.add(
        "server CPU share of one core",
        share(cpu.user + cpu.system),
        "%",
    );
    report.add("  of which in user space", share(cpu.user), "%");
    report.add("  of which in the kernel", share(cpu.system), "%");
    if let Some(error) = first_error {
        eprintln!("first error: {error}");
    }
    Ok(report)
}

/// Reacts (and chats) on schedule while recording what the screen receives.
async fn watch(
    mut ws: Ws,
    room: String,
    index: usize,
    start: Instant,
    schedule: Schedule,
) -> anyhow::Result<Screen> {
    let mut screen = Screen {
        reactions_sent: 0,
        reactions_acked: 0,
        reaction_acks: histogram(),
        chat_sent: 0,
        chat_delivery: histogram(),
        bursts_per_second: BTreeMap::new(),
        people_counted: 0,
    };
    let start = start + SETTLE;
    let end = start + schedule.duration;
    let mut next_reaction = schedule.react.map(|(_, offset)| start + offset);
    let mut next_chat = schedule.chat.map(|(_, offset)| start + offset);
    let target = Target::Viaduc { room: room.clone() };
    // Reactions waiting for their ack, by command id.
    let mut waiting: HashMap<Uuid, Instant> = HashMap::new();
    let next_wake = |reaction: Option<Instant>, chat: Option<Instant>| {
        let next_send = [reaction, chat].into_iter().flatten().min();
        next_send.filter(|at| *at < end).unwrap_or(end + DRAIN)
    };
    // One timer for the whole run, moved after each send: a new one per received frame
    // would cost the load generator more than the frames themselves.
    let wake = tokio::time::sleep_until(next_wake(next_reaction, next_chat));
    tokio::pin!(wake);
    loop {
        tokio::select! {
            frame = ws.next() => {
                let frame = frame.context("the connection closed")??;
                let Message::Text(text) = frame else { continue };
                receive(&text, start, &mut waiting, &mut screen)?;
            }
            () = &mut wake => {
                let now = Instant::now();
                if now >= end + DRAIN {
                    return Ok(screen);
                }
                if next_chat.is_some_and(|chat| chat <= now) {
                    let (every, _) = schedule.chat.context("a chat schedule")?;
                    ws.send(target.chat_frame(index, screen.chat_sent, 100)).await?;
                    screen.chat_sent += 1;
                    next_chat = next_chat.map(|chat| chat + every);
                }
                if next_reaction.is_some_and(|at| at <= now) {
                    let (every, _) = schedule.react.context("a reaction schedule")?;
                    let id = Uuid::new_v4();
                    let reaction = REACTIONS[(index + screen.reactions_sent as usize) % REACTIONS.len()];
                    let command = json!({"type": "command", "id": id, "room": room,
                        "name": "reaction.send", "data": {"reaction": reaction}});
                    ws.send(Message::text(command.to_string())).await?;
                    waiting.insert(id, now);
                    screen.reactions_sent += 1;
                    next_reaction = next_reaction.map(|at| at + every);
                }
                wake.as_mut().reset(next_wake(next_reaction, next_chat));
            }
        }
    }
}

/// Records one frame: a chat event's delivery time, a burst, an ack of a reaction.
fn receive(
    text: &str,
    start: Instant,
    waiting: &mut HashMap<Uuid, Instant>,
    screen: &mut Screen,
) -> anyhow::Result<()> {
    if text.starts_with(r#"{"type":"event""#) {
        if let Some(sent_us) = number_after(text, r#""body":"t="#) {
            let _ = screen
                .chat_delivery
                .record(now_us().saturating_sub(sent_us).max(1));
        }
        return Ok(());
    }
    let value: Value = serde_json::from_str(text)?;
    match value["type"].as_str() {
        Some("signal") if value["name"] == "reaction.burst" => {
            let second = start.elapsed().as_secs();
            *screen.bursts_per_second.entry(second).or_default() += 1;
            let counts = value["counts"].as_object().context("burst counts")?;
            screen.people_counted += counts.values().filter_map(Value::as_u64).sum::<u64>();
        }
        Some("ack") => {
            let id = value["id"].as_str().and_then(|id| id.parse().ok());
            if let Some(sent) = id.and_then(|id: Uuid| waiting.remove(&id)) {
                screen.reactions_acked += 1;
                let _ = screen
                    .reaction_acks
                    .record((sent.elapsed().as_micros() as u64).max(1));
            }
        }
        Some("error") => bail!("{}: {}", value["code"], value["message"]),
        _ => {}
    }
    Ok(())
}
