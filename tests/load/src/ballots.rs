//! The ballot storm: `voters` attendees cast their ballot in one election within `window`
//! seconds, spread evenly, through the REST call the voting booth makes. A voter whose
//! attempt fails (the connection lost, the server or the database away) retries with the
//! same receipt until it is acknowledged, as the booth does. Optionally some voters' first
//! attempt is cut off mid-flight, and a shell command (a restart of the server or of
//! PostgreSQL) runs halfway through the window.
//!
//! Then the load organiser closes and reveals the election, reads the public board and
//! checks it: every acknowledged receipt on it exactly once, no other ballot, the tally
//! equal to the voters, and the board's own verification (recount, audit chain) clean.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};
use clap::Args;
use hyper::{Method, StatusCode};
use serde_json::{json, Value};
use tokio::task::JoinSet;
use tokio::time::Instant;
use uuid::Uuid;
use viaduc::awards::wire::Board;

use crate::crowd::SETTLE;
use crate::http::Api;
use crate::report::{histogram, Report};
use crate::server_stats::cpu_times;
use crate::{fixture, Common};

/// The pause between two attempts of one voter.
const RETRY_PAUSE: Duration = Duration::from_millis(250);

#[derive(Args)]
pub struct BallotsArgs {
    #[command(flatten)]
    pub common: Common,
    /// Attendees casting a ballot, each once.
    #[arg(long, default_value_t = 900)]
    pub voters: usize,
    /// Seconds over which the ballots are spread.
    #[arg(long, default_value_t = 3.0)]
    pub window: f64,
    /// Share of the voters (0 to 1) whose first attempt is cut off a few milliseconds after
    /// it is sent, as when a phone loses its connection; they retry with the same receipt.
    #[arg(long, default_value_t = 0.0)]
    pub drop_rate: f64,
    /// A shell command run halfway through the window, e.g. a restart of the server or of
    /// PostgreSQL. The run waits for it and reports its exit status.
    #[arg(long)]
    pub during: Option<String>,
    /// Seconds a voter keeps retrying before the ballot counts as an error.
    #[arg(long, default_value_t = 60.0)]
    pub retry_for: f64,
}

/// One voter's cast.
struct Cast {
    receipt_hash: String,
    /// The acknowledged attempt's own round trip.
    ack_us: u64,
    /// From the first attempt to the acknowledgement, retries included.
    cast_us: u64,
    attempts: u32,
}

pub async fn run(args: BallotsArgs) -> anyhow::Result<Report> {
    if args.voters == 0 || args.window <= 0.0 || !(0.0..=1.0).contains(&args.drop_rate) {
        bail!("--voters and --window must be positive, --drop-rate between 0 and 1");
    }
    let common = &args.common;
    let fixture = fixture::prepare(common, args.voters).await?;
    let organiser = fixture.organiser_token().await?;
    let api = Api::of_websocket(&common.url)?;
    let (path, candidates) = open_election(&api, &common.conference, &organiser).await?;

    let ready = Instant::now();
    let start = ready + SETTLE;
    let give_up = Duration::from_secs_f64(args.retry_for);
    let ballot_path = Arc::new(format!("{path}/ballot"));
    let mut voters = JoinSet::new();
    for (index, token) in fixture.tokens.iter().cloned().enumerate() {
        let (api, ballot_path) = (api.clone(), ballot_path.clone());
        let at = start + Duration::from_secs_f64(args.window * index as f64 / args.voters as f64);
        let ballot = json!({"ranking": [candidates[index % candidates.len()]],
                            "receipt_hash": receipt_hash()});
        let cut_after = cut_first_attempt(index, args.drop_rate);
        voters.spawn(async move {
            tokio::time::sleep_until(at).await;
            cast(&api, &ballot_path, &token, &ballot, cut_after, at + give_up).await
        });
    }
    let cpu_start = cpu_times(&common.server_pids)?;
    let fault = args.during.clone().map(|command| {
        let at = start + Duration::from_secs_f64(args.window / 2.0);
        tokio::spawn(async move {
            tokio::time::sleep_until(at).await;
            let began = Instant::now();
            let status = tokio::process::Command::new("sh")
                .arg("-c")
                .arg(&command)
                .status()
                .await;
            (status, began.elapsed())
        })
    });

    let (mut acks, mut casts) = (histogram(), histogram());
    let (mut errors, mut first_error, mut retried) = (0u64, None, 0u64);
    let mut acknowledged = BTreeSet::new();
    while let Some(result) = voters.join_next().await {
        match result.map_err(anyhow::Error::from).and_then(|cast| cast) {
            Ok(cast) => {
                let _ = acks.record(cast.ack_us.max(1));
                let _ = casts.record(cast.cast_us.max(1));
                retried += u64::from(cast.attempts > 1);
                acknowledged.insert(cast.receipt_hash);
            }
            Err(error) => {
                errors += 1;
                first_error.get_or_insert(error.to_string());
            }
        }
    }
    let cpu = cpu_times(&common.server_pids)? - cpu_start;
    let storm = start.elapsed().as_secs_f64();
    let fault = match fault {
        Some(task) => {
            let (status, took) = task.await?;
            let code = status?.code().unwrap_or(-1);
            Some((code, took))
        }
        None => None,
    };

    let board = close_and_publish(&api, &path, &organiser).await?;
    let problems = viaduc::awards::verify(&board);
    let on_board: BTreeSet<&str> = board
        .ballots
        .iter()
        .map(|ballot| ballot.receipt_hash.as_str())
        .collect();
    let lost = acknowledged
        .iter()
        .filter(|receipt| !on_board.contains(receipt.as_str()))
        .count();
    let unacknowledged = on_board
        .iter()
        .filter(|receipt| !acknowledged.contains(**receipt))
        .count();
    let twice = board.ballots.len() - on_board.len();

    let parameters = json!({"voters": args.voters, "window": args.window,
                            "drop_rate": args.drop_rate, "during": args.during});
    let mut report = Report::new(common, "ballots", parameters);
    report.latency("ack", &acks);
    report.latency("cast to ack (with retries)", &casts);
    report.add("acknowledged", acknowledged.len() as f64, "");
    report.add("errors", errors as f64, "");
    report.add("voters who retried", retried as f64, "");
    report.add("storm until the last ack", storm, "s");
    report.add("ballots on the board", board.ballots.len() as f64, "");
    report.add("acknowledged but not on the board", lost as f64, "");
    report.add(
        "on the board, never acknowledged",
        unacknowledged as f64,
        "",
    );
    report.add("on the board twice", twice as f64, "");
    report.add("tally", board.result.ballots as f64, "");
    report.add(
        "tally = acknowledged voters",
        f64::from(u8::from(board.result.ballots == acknowledged.len() as i64)),
        "",
    );
    report.add(
        "board verifies (recount, chain)",
        f64::from(u8::from(problems.is_empty())),
        "",
    );
    if !common.server_pids.is_empty() {
        report.add("server CPU", cpu.user + cpu.system, "s");
    }
    if let Some((code, took)) = fault {
        report.add("fault command exit status", f64::from(code), "");
        report.add("fault command took", took.as_secs_f64(), "s");
    }
    for problem in &problems {
        eprintln!("board: {problem}");
    }
    if let Some(error) = first_error {
        eprintln!("first error: {error}");
    }
    Ok(report)
}

/// A new election in `conference` with three candidates, open for voting (its roll frozen
/// with every attendee, the load users among them); its path and the candidates' ids.
async fn open_election(
    api: &Api,
    conference: &str,
    organiser: &str,
) -> anyhow::Result<(String, Vec<Value>)> {
    let title = json!({"title": {"en": format!("Load election {}", Uuid::new_v4())}});
    let created = api
        .expect(
            StatusCode::CREATED,
            Method::POST,
            &format!("/api/conferences/{conference}/elections"),
            organiser,
            Some(&title),
        )
        .await?;
    let id = created["id"].as_str().context("the election has no id")?;
    let path = format!("/api/conferences/{conference}/elections/{id}");
    move_to(api, &path, organiser, "shortlist").await?;
    let mut candidates = Vec::new();
    for name in ["Ana Peeters", "Luc Moreau", "Eva Schmidt"] {
        let candidate = json!({"name": name, "cluster": "Photonics", "country": "BE",
                               "statement": {"en": "Opened the cluster to three regions."}});
        let added = api
            .expect(
                StatusCode::CREATED,
                Method::POST,
                &format!("{path}/candidates"),
                organiser,
                Some(&candidate),
            )
            .await?;
        candidates.push(added["id"].clone());
    }
    move_to(api, &path, organiser, "voting").await?;
    Ok((path, candidates))
}

async fn move_to(api: &Api, path: &str, organiser: &str, phase: &str) -> anyhow::Result<()> {
    api.expect(
        StatusCode::OK,
        Method::POST,
        &format!("{path}/phase"),
        organiser,
        Some(&json!({ "phase": phase })),
    )
    .await?;
    Ok(())
}

/// Closes and reveals the election at `path`, and reads its public board.
async fn close_and_publish(api: &Api, path: &str, organiser: &str) -> anyhow::Result<Board> {
    move_to(api, path, organiser, "closed").await?;
    move_to(api, path, organiser, "revealed").await?;
    let board = api
        .expect(
            StatusCode::OK,
            Method::GET,
            &format!("{path}/board"),
            organiser,
            None,
        )
        .await?;
    Ok(serde_json::from_value(board)?)
}

/// Casts `ballot` until it is acknowledged or `give_up` passes. With `cut_after`, the first
/// attempt is abandoned that long after it is sent (its connection dropped). A refusal
/// (4xx) is an error: a retry with the same receipt must succeed.
async fn cast(
    api: &Api,
    path: &str,
    token: &str,
    ballot: &Value,
    cut_after: Option<Duration>,
    give_up: Instant,
) -> anyhow::Result<Cast> {
    let first = Instant::now();
    let mut attempts = 0;
    if let Some(after) = cut_after {
        attempts += 1;
        let _ =
            tokio::time::timeout(after, api.call(Method::POST, path, token, Some(ballot))).await;
    }
    loop {
        attempts += 1;
        let sent = Instant::now();
        match api.call(Method::POST, path, token, Some(ballot)).await {
            Ok(answer) if answer.status == StatusCode::OK => {
                return Ok(Cast {
                    receipt_hash: ballot["receipt_hash"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                    ack_us: sent.elapsed().as_micros() as u64,
                    cast_us: first.elapsed().as_micros() as u64,
                    attempts,
                });
            }
            Ok(answer) if !answer.status.is_server_error() => {
                bail!("refused: {} {}", answer.status, answer.body)
            }
            // The server or its database is away: the booth tries again.
            Ok(_) | Err(_) => {}
        }
        if Instant::now() >= give_up {
            bail!("not acknowledged after {attempts} attempts");
        }
        tokio::time::sleep(RETRY_PAUSE).await;
    }
}

/// A receipt hash as the booth sends it: 64 lower-case hex digits (the server cannot tell
/// it from the SHA-256 of a receipt code, and does not need to).
fn receipt_hash() -> String {
    format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple())
}

/// Whether voter `index`'s first attempt is cut off, and after how long: a `share` of the
/// voters, spread evenly, cut after 0 to 19 ms (before the answer, or just after it).
fn cut_first_attempt(index: usize, share: f64) -> Option<Duration> {
    let in_share = |n: usize| (n as f64 * share).floor();
    (in_share(index + 1) > in_share(index)).then(|| Duration::from_millis((index % 20) as u64))
}
