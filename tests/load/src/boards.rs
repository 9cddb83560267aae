//! Breakouts: `boards` working-group boards of `per_board` participants each, all at
//! once, every participant acting once every `interval` seconds — adding a note, dotting a
//! note it has seen, editing its own note, in turn. Measures, on every other screen of the
//! same board, the time from a command's sending to its event's arrival, and checks at the
//! end that the dots each screen shows, and the dots acknowledged, equal those stored.
//! With `--chat-floor` every action is a chat message in the group's session room instead:
//! the same durable writes and fan-out at their smallest, the floor the board is measured
//! against in the same run.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{bail, Context};
use clap::Args;
use futures_util::{SinkExt, StreamExt};
use hdrhistogram::Histogram;
use serde_json::{json, Value};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use uuid::Uuid;

use crate::client::{now_us, Ws};
use crate::crowd::SETTLE;
use crate::report::{histogram, Report};
use crate::{crowd, fixture, Common};

#[derive(Args)]
pub struct BoardsArgs {
    #[command(flatten)]
    pub common: Common,
    /// Boards open at once.
    #[arg(long, default_value_t = 15)]
    pub boards: usize,
    /// Participants on each board.
    #[arg(long, default_value_t = 60)]
    pub per_board: usize,
    /// Seconds between two actions of one participant.
    #[arg(long, default_value_t = 2.0)]
    pub interval: f64,
    /// Seconds of activity.
    #[arg(long, default_value_t = 10.0)]
    pub duration: f64,
    /// Connections being set up at the same time.
    #[arg(long, default_value_t = 100)]
    pub connect_concurrency: usize,
    /// Send chat messages in each group's session room instead of board commands.
    #[arg(long)]
    pub chat_floor: bool,
}

/// Screens read on this long after the last action, for its events to arrive.
const DRAIN: Duration = Duration::from_secs(3);
/// Dots per person in the round: more than anyone spends in a run.
const DOTS: i16 = 20;

/// When each participant last sent a command (µs on the shared clock), by user: a screen
/// times an event from its actor's send.
type SentAt = Arc<Mutex<HashMap<Uuid, u64>>>;

/// What one screen saw.
struct Seen {
    board: usize,
    /// Delivery times of the other participants' actions.
    latencies: Histogram<u64>,
    acked: u64,
    dots_acked: u64,
    errors: u64,
    /// The dots it shows on each note at the end.
    dots: HashMap<Uuid, i64>,
}

pub async fn run(args: BoardsArgs) -> anyhow::Result<Report> {
    if args.boards == 0 || args.per_board < 2 || args.interval <= 0.0 || args.duration <= 0.0 {
        bail!("--boards, --interval and --duration must be positive, --per-board at least 2");
    }
    let common = &args.common;
    let fixture = fixture::prepare(common, args.boards * args.per_board).await?;
    let boards = fixture
        .new_boards(args.boards, args.per_board, DOTS)
        .await?;
    let room_of = |board: &str| {
        if args.chat_floor {
            board.replacen("workshop:", "session:", 1)
        } else {
            board.to_owned()
        }
    };
    let rooms: Vec<String> = (0..fixture.tokens.len())
        .map(|index| room_of(&boards[index / args.per_board].0))
        .collect();
    let sections: Vec<Uuid> = (0..fixture.tokens.len())
        .map(|index| boards[index / args.per_board].1)
        .collect();
    let sent_at: SentAt = Arc::default();
    let user_ids = Arc::new(fixture.user_ids.clone());
    let plan = Plan {
        chat_floor: args.chat_floor,
        per_board: args.per_board,
        interval: Duration::from_secs_f64(args.interval),
        duration: Duration::from_secs_f64(args.duration),
    };
    let act_rooms = rooms.clone();
    let act = move |index: usize, ws: Ws, start: Instant| {
        let participant = Participant {
            index,
            me: user_ids[index],
            room: act_rooms[index].clone(),
            section: sections[index],
            sent_at: sent_at.clone(),
        };
        async move { participant.work(ws, start, plan).await }
    };
    let outcome = crowd::gather_in(common, &fixture, &rooms, args.connect_concurrency, act).await?;

    let mut latencies = histogram();
    let (mut acked, mut errors, mut failed, mut agreeing) = (0u64, 0u64, 0u64, 0u64);
    let mut dots_acked = vec![0u64; boards.len()];
    let mut first_error = None;
    let mut stored = Vec::with_capacity(boards.len());
    for (room, _) in &boards {
        stored.push(fixture.stored_dots(room).await?);
    }
    for seen in outcome.results {
        let seen = match seen {
            Ok(seen) => seen,
            Err(error) => {
                failed += 1;
                first_error.get_or_insert(error.to_string());
                continue;
            }
        };
        latencies.add(&seen.latencies)?;
        acked += seen.acked;
        errors += seen.errors;
        dots_acked[seen.board] += seen.dots_acked;
        let agrees = stored[seen.board]
            .iter()
            .all(|(note, dots)| seen.dots.get(note).copied().unwrap_or(0) == *dots);
        agreeing += u64::from(agrees);
    }
    let exact = stored
        .iter()
        .zip(&dots_acked)
        .all(|(notes, acked)| notes.iter().map(|(_, dots)| *dots).sum::<i64>() == *acked as i64);
    let cpu = outcome.server_cpu.user + outcome.server_cpu.system;

    let parameters = json!({"boards": args.boards, "per_board": args.per_board,
                            "interval": args.interval, "duration": args.duration,
                            "chat_floor": args.chat_floor});
    let mut report = Report::new(common, "boards", parameters);
    report.latency("delivery to the board's other screens", &latencies);
    report.add("deliveries timed", latencies.len() as f64, "");
    report.add("actions acknowledged", acked as f64, "");
    report.add("actions per second", acked as f64 / args.duration, "/s");
    report.add("errors", errors as f64, "");
    report.add("screens failed", failed as f64, "");
    report.add(
        "dots stored = dots acknowledged",
        f64::from(u8::from(exact)),
        "",
    );
    report.add("screens showing the stored dots", agreeing as f64, "");
    report.add("server CPU", cpu, "s");
    if let Some(error) = first_error {
        eprintln!("first error: {error}");
    }
    Ok(report)
}

/// The rhythm every participant follows.
#[derive(Clone, Copy)]
struct Plan {
    chat_floor: bool,
    per_board: usize,
    interval: Duration,
    duration: Duration,
}

/// One participant's screen and hands.
struct Participant {
    index: usize,
    me: Uuid,
    room: String,
    /// The section its notes go to.
    section: Uuid,
    sent_at: SentAt,
}

/// What a command sent waits to be answered as.
#[derive(Clone, Copy, PartialEq)]
enum Action {
    Add,
    Dot,
    Edit,
    Chat,
}

impl Participant {
    /// Acts every `plan.interval` (participants spread over it) for `plan.duration`, reading
    /// the board all along and for [`DRAIN`] after.
    async fn work(self, mut ws: Ws, start: Instant, plan: Plan) -> anyhow::Result<Seen> {
        let spread = plan
            .interval
            .mul_f64((self.index % plan.per_board) as f64 / plan.per_board as f64);
        let begin = start + SETTLE;
        let (end, stop) = (begin + plan.duration, begin + plan.duration + DRAIN);
        let mut next = begin + spread;
        let mut seen = Seen {
            board: self.index / plan.per_board,
            latencies: histogram(),
            acked: 0,
            dots_acked: 0,
            errors: 0,
            dots: HashMap::new(),
        };
        let mut pending: HashMap<Uuid, Action> = HashMap::new();
        let mut notes: Vec<Uuid> = Vec::new();
        let mut mine: Option<(Uuid, i64)> = None;
        let mut step = self.index;
        loop {
            tokio::select! {
                frame = ws.next() => {
                    let frame = frame.context("the connection closed")??;
                    let Message::Text(text) = frame else { continue };
                    let value: Value = serde_json::from_str(&text)?;
                    self.read(&value, &mut seen, &mut pending, &mut notes, &mut mine);
                }
                () = tokio::time::sleep_until(next), if next < end => {
                    let action = match step % 3 {
                        _ if plan.chat_floor => Action::Chat,
                        1 if !notes.is_empty() => Action::Dot,
                        2 if mine.is_some() => Action::Edit,
                        _ => Action::Add,
                    };
                    let (name, data) = match (action, mine) {
                        (Action::Chat, _) => ("chat.send", json!({
                            "body": format!("Message {step} of participant {}", self.index)})),
                        (Action::Dot, _) => ("board.dot", json!({"id": notes[(self.index * 7 + step * 13) % notes.len()]})),
                        (Action::Edit, Some((id, version))) => ("board.edit_note", json!({
                            "id": id, "version": version, "language": "en",
                            "body": format!("Edited by {} at step {step}", self.index)})),
                        _ => ("board.add_note", json!({
                            "section_id": self.section, "language": "en",
                            "body": format!("Proposal {step} of participant {}", self.index)})),
                    };
                    let id = Uuid::new_v4();
                    pending.insert(id, action);
                    let command = json!({"type": "command", "id": id, "room": self.room, "name": name, "data": data});
                    self.sent_at.lock().map_err(|_| anyhow::anyhow!("poisoned"))?.insert(self.me, now_us());
                    ws.send(Message::text(command.to_string())).await?;
                    step += 1;
                    next += plan.interval;
                }
                () = tokio::time::sleep_until(stop) => return Ok(seen),
            }
        }
    }

    /// Takes in one frame: an answer to one of ours, or a board event (timed when another
    /// participant's).
    fn read(
        &self,
        value: &Value,
        seen: &mut Seen,
        pending: &mut HashMap<Uuid, Action>,
        notes: &mut Vec<Uuid>,
        mine: &mut Option<(Uuid, i64)>,
    ) {
        let kind = value["type"].as_str().unwrap_or_default();
        if kind == "ack" || kind == "error" {
            let Some(action) = value["id"]
                .as_str()
                .and_then(|id| id.parse().ok())
                .and_then(|id| pending.remove(&id))
            else {
                return;
            };
            if kind == "error" {
                seen.errors += 1;
                return;
            }
            seen.acked += 1;
            match action {
                Action::Chat => {}
                Action::Dot => seen.dots_acked += 1,
                Action::Add | Action::Edit => {
                    if let (Some(id), Some(version)) = (
                        uuid_at(&value["data"]["id"]),
                        value["data"]["version"].as_i64(),
                    ) {
                        *mine = Some((id, version));
                    }
                }
            }
            return;
        }
        if kind != "event" {
            return;
        }
        let data = &value["data"];
        let actor = match value["name"].as_str() {
            Some("board.note") => {
                let Some(id) = uuid_at(&data["id"]) else {
                    return;
                };
                if !notes.contains(&id) {
                    notes.push(id);
                }
                seen.dots.insert(id, data["dots"].as_i64().unwrap_or(0));
                uuid_at(&data["edited_by"]["id"]).or_else(|| uuid_at(&data["author"]["id"]))
            }
            Some("board.dots") => {
                for note in data["notes"].as_array().into_iter().flatten() {
                    if let (Some(id), Some(dots)) = (uuid_at(&note["id"]), note["dots"].as_i64()) {
                        seen.dots.insert(id, dots);
                    }
                }
                uuid_at(&data["voters"][0]["user_id"])
            }
            Some("chat.sent") => uuid_at(&data["author_id"]),
            _ => None,
        };
        let Some(actor) = actor.filter(|actor| *actor != self.me) else {
            return;
        };
        let sent = self
            .sent_at
            .lock()
            .ok()
            .and_then(|sent| sent.get(&actor).copied());
        if let Some(sent) = sent {
            let _ = seen.latencies.record(now_us().saturating_sub(sent).max(1));
        }
    }
}

fn uuid_at(value: &Value) -> Option<Uuid> {
    value.as_str()?.parse().ok()
}
