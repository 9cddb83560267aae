//! The synthesis editor: `writers` rapporteurs typing into one working group's document at
//! `rate` characters a second each, `readers` more people watching it, for `duration`
//! seconds. Each writer behaves as the browser does (`frontend/.../synthesis/sync.ts`): a
//! keystroke is a Yjs edit of its own copy, sent at once as a `synthesis.edit` unless one
//! is on its way, in which case the keystrokes typed meanwhile go merged in the next.
//! Measures, on every screen but the typist's, the time from a keystroke to the moment
//! that screen's copy holds it (a Yjs client's clock counts its characters, so a screen
//! knows which keystrokes an update brought); and checks at the end that every screen's
//! text is the stored document's.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{bail, Context};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use clap::Args;
use futures_util::{SinkExt, StreamExt};
use hdrhistogram::Histogram;
use serde_json::{json, Value};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use uuid::Uuid;
use yrs::updates::decoder::Decode;
use yrs::{ClientID, Doc, GetString, ReadTxn, Text, Transact, Update};

use crate::client::{now_us, Ws};
use crate::crowd::SETTLE;
use crate::report::{histogram, Report};
use crate::{crowd, fixture, Common};

#[derive(Args)]
pub struct SynthesisArgs {
    #[command(flatten)]
    pub common: Common,
    /// People typing at once.
    #[arg(long, default_value_t = 5)]
    pub writers: usize,
    /// People only watching the document.
    #[arg(long, default_value_t = 25)]
    pub readers: usize,
    /// Characters a second each writer types.
    #[arg(long, default_value_t = 5.0)]
    pub rate: f64,
    /// Seconds of typing.
    #[arg(long, default_value_t = 20.0)]
    pub duration: f64,
    /// Characters the document holds before the typing starts (a pre-filled draft): every
    /// edit is applied to the whole stored document.
    #[arg(long, default_value_t = 20_000)]
    pub initial_chars: usize,
}

/// Screens read on this long after the last keystroke, for its edits to arrive.
const DRAIN: Duration = Duration::from_secs(3);
/// The shared text's name (`document.rs`).
const TEXT: &str = "markdown";

/// When each writer typed each character: by its Yjs client id, the keystroke at clock `n`
/// at index `n` (µs on the shared clock).
type Typed = Arc<Mutex<HashMap<ClientID, Vec<u64>>>>;

/// What one screen saw.
struct Seen {
    latencies: Histogram<u64>,
    keystrokes: u64,
    edits_acked: u64,
    errors: u64,
    text: String,
}

pub async fn run(args: SynthesisArgs) -> anyhow::Result<Report> {
    if args.writers == 0 || args.rate <= 0.0 || args.duration <= 0.0 {
        bail!("--writers, --rate and --duration must be positive");
    }
    let common = &args.common;
    let people = args.writers + args.readers;
    let fixture = fixture::prepare(common, people).await?;
    let (room, _) = fixture
        .new_boards(1, people, 1)
        .await?
        .pop()
        .context("no working group")?;
    fixture
        .name_rapporteurs(&room, &fixture.user_ids[..args.writers])
        .await?;
    let rooms = vec![room.clone(); people];
    let draft: Arc<str> = STANDARD.encode(draft(args.initial_chars)).into();
    let typed: Typed = Arc::default();
    let plan = Plan {
        writers: args.writers,
        every: Duration::from_secs_f64(1.0 / args.rate),
        duration: Duration::from_secs_f64(args.duration),
    };
    let act_room = room.clone();
    let act = move |index: usize, ws: Ws, start: Instant| {
        let screen = Screen {
            index,
            room: act_room.clone(),
            doc: Doc::new(),
            typed: typed.clone(),
            draft: (index == 0).then(|| draft.clone()),
        };
        async move { screen.work(ws, start, plan).await }
    };
    let outcome = crowd::gather_in(common, &fixture, &rooms, 50, act).await?;

    let stored = Doc::new();
    let state = fixture.stored_synthesis(&room).await?;
    if !state.is_empty() {
        stored
            .transact_mut()
            .apply_update(Update::decode_v1(&state)?)?;
    }
    let stored_text = stored
        .get_or_insert_text(TEXT)
        .get_string(&stored.transact());
    let mut latencies = histogram();
    let (mut keystrokes, mut acked, mut errors, mut failed, mut identical) = (0, 0, 0, 0, 0);
    let mut first_error = None;
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
        keystrokes += seen.keystrokes;
        acked += seen.edits_acked;
        errors += seen.errors;
        identical += u64::from(seen.text == stored_text);
    }
    let cpu = outcome.server_cpu.user + outcome.server_cpu.system;
    let parameters = json!({"writers": args.writers, "readers": args.readers,
                            "rate": args.rate, "duration": args.duration,
                            "initial_chars": args.initial_chars});
    let mut report = Report::new(common, "synthesis", parameters);
    report.latency("keystroke to every other screen", &latencies);
    report.add("keystroke deliveries timed", latencies.len() as f64, "");
    report.add("keystrokes typed", keystrokes as f64, "");
    report.add("characters stored", stored_text.chars().count() as f64, "");
    report.add("document stored", state.len() as f64 / 1024.0, "KiB");
    report.add("edits acknowledged", acked as f64, "");
    report.add("errors", errors as f64, "");
    report.add("screens failed", failed as f64, "");
    report.add("screens identical to the stored text", identical as f64, "");
    report.add("server CPU", cpu, "s");
    if let Some(error) = first_error {
        eprintln!("first error: {error}");
    }
    Ok(report)
}

#[derive(Clone, Copy)]
struct Plan {
    writers: usize,
    every: Duration,
    duration: Duration,
}

/// A draft of `chars` characters as one Yjs update, made by a client that types nothing
/// timed afterwards.
fn draft(chars: usize) -> Vec<u8> {
    let doc = Doc::new();
    let text = doc.get_or_insert_text(TEXT);
    let mut txn = doc.transact_mut();
    let line = "- A finding of the working group, written on the board and kept in the draft.\n";
    let body: String = line.chars().cycle().take(chars).collect();
    text.insert(&mut txn, 0, &body);
    txn.encode_update_v1()
}

/// One person's screen (and, for a writer, hands) with its copy of the document.
struct Screen {
    index: usize,
    room: String,
    doc: Doc,
    typed: Typed,
    /// The first screen sends the draft before the typing starts.
    draft: Option<Arc<str>>,
}

impl Screen {
    async fn work(self, mut ws: Ws, start: Instant, plan: Plan) -> anyhow::Result<Seen> {
        let writer = self.index < plan.writers;
        // Writers start spread over one keystroke's time, not in step.
        let spread = plan
            .every
            .mul_f64(self.index as f64 / plan.writers.max(1) as f64);
        let begin = start + SETTLE;
        let (end, stop) = (begin + plan.duration, begin + plan.duration + DRAIN);
        let mut next = begin + spread;
        let mut seen = Seen {
            latencies: histogram(),
            keystrokes: 0,
            edits_acked: 0,
            errors: 0,
            text: String::new(),
        };
        let me = self.doc.client_id();
        let mut waiting: Vec<Vec<u8>> = Vec::new();
        let mut in_flight: Option<Uuid> = None;
        let mut clocks: HashMap<ClientID, u32> = HashMap::new();
        if let Some(draft) = &self.draft {
            let id = Uuid::new_v4();
            let command = json!({"type": "command", "id": id, "room": self.room,
                                 "name": "synthesis.edit", "data": {"update": &**draft}});
            ws.send(Message::text(command.to_string())).await?;
            in_flight = Some(id);
        }
        loop {
            tokio::select! {
                frame = ws.next() => {
                    let frame = frame.context("the connection closed")??;
                    let Message::Text(text) = frame else { continue };
                    let value: Value = serde_json::from_str(&text)?;
                    match value["type"].as_str() {
                        Some("ack" | "error")
                            if in_flight.is_some() && value["id"].as_str().and_then(|id| id.parse().ok()) == in_flight =>
                        {
                            if value["type"] == "ack" { seen.edits_acked += 1 } else { seen.errors += 1 }
                            in_flight = self.send_waiting(&mut ws, &mut waiting).await?;
                        }
                        Some("event") if value["name"] == "synthesis.updated" => {
                            let update = STANDARD.decode(value["data"]["update"].as_str().unwrap_or_default())?;
                            self.doc.transact_mut().apply_update(Update::decode_v1(&update)?)?;
                            self.time_new_keystrokes(me, &mut clocks, &mut seen)?;
                        }
                        _ => {}
                    }
                }
                () = tokio::time::sleep_until(next), if writer && next < end => {
                    let share = self.index as f64 / plan.writers as f64;
                    waiting.push(self.type_one(me, seen.keystrokes, share)?);
                    seen.keystrokes += 1;
                    if in_flight.is_none() {
                        in_flight = self.send_waiting(&mut ws, &mut waiting).await?;
                    }
                    next += plan.every;
                }
                () = tokio::time::sleep_until(stop) => break,
            }
        }
        seen.text = self
            .doc
            .get_or_insert_text(TEXT)
            .get_string(&self.doc.transact());
        Ok(seen)
    }

    /// Types one character at `share` of the way through the text (each writer its own
    /// share, so they write in different places, as people in one document do).
    fn type_one(&self, me: ClientID, n: u64, share: f64) -> anyhow::Result<Vec<u8>> {
        let text = self.doc.get_or_insert_text(TEXT);
        let mut txn = self.doc.transact_mut();
        let len = text.len(&txn);
        let at = (f64::from(len) * share) as u32;
        let letter = char::from(b'a' + (n % 26) as u8);
        text.insert(&mut txn, at.min(len), &letter.to_string());
        let update = txn.encode_update_v1();
        drop(txn);
        self.typed
            .lock()
            .map_err(|_| anyhow::anyhow!("poisoned"))?
            .entry(me)
            .or_default()
            .push(now_us());
        Ok(update)
    }

    /// Sends the keystrokes waiting, merged into one edit; its id, if any were waiting.
    async fn send_waiting(
        &self,
        ws: &mut Ws,
        waiting: &mut Vec<Vec<u8>>,
    ) -> anyhow::Result<Option<Uuid>> {
        if waiting.is_empty() {
            return Ok(None);
        }
        let merged = yrs::merge_updates_v1(waiting.iter().map(Vec::as_slice))?;
        waiting.clear();
        let id = Uuid::new_v4();
        let command = json!({"type": "command", "id": id, "room": self.room,
                             "name": "synthesis.edit", "data": {"update": STANDARD.encode(merged)}});
        ws.send(Message::text(command.to_string())).await?;
        Ok(Some(id))
    }

    /// Times the other writers' keystrokes this screen's copy holds since it last looked.
    fn time_new_keystrokes(
        &self,
        me: ClientID,
        clocks: &mut HashMap<ClientID, u32>,
        seen: &mut Seen,
    ) -> anyhow::Result<()> {
        let now = now_us();
        let vector = self.doc.transact().state_vector();
        let typed = self.typed.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
        for (client, times) in typed.iter().filter(|(client, _)| **client != me) {
            let held = vector.get(client);
            let before = clocks.insert(*client, held).unwrap_or(0);
            for at in times.iter().take(held as usize).skip(before as usize) {
                let _ = seen.latencies.record(now.saturating_sub(*at).max(1));
            }
        }
        Ok(())
    }
}
