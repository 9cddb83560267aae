//! The idle scenario: many authenticated connections, each subscribed to the conference's
//! room as an open browser tab is, doing nothing but answering pings. Measures how long
//! they take to connect and what they cost the server in memory.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use futures_util::StreamExt;
use serde_json::json;
use tokio::sync::{watch, Semaphore};
use tokio::time::Instant;

use crate::chat::pick_source;
use crate::client::{open, Target};
use crate::report::{histogram, Report};
use crate::server_stats::rss_bytes;
use crate::{fixture, Common};

#[derive(Args)]
pub struct IdleArgs {
    #[command(flatten)]
    pub common: Common,
    #[arg(long, default_value_t = 10_000)]
    pub clients: usize,
    /// Seconds to stay connected once everyone is in (the server pings every 15 s).
    #[arg(long, default_value_t = 20.0)]
    pub hold: f64,
    /// Connections being set up at the same time.
    #[arg(long, default_value_t = 200)]
    pub connect_concurrency: usize,
}

pub async fn run(args: IdleArgs) -> anyhow::Result<Report> {
    let common = &args.common;
    let fixture = fixture::prepare(common, args.clients).await?;
    let target = Arc::new(Target::Viaduc {
        room: format!("conference:{}", fixture.conference_id),
    });
    let pids = &common.server_pids;
    let rss_before = rss_bytes(pids)?;
    let slots = Arc::new(Semaphore::new(args.connect_concurrency.max(1)));
    let still_open = Arc::new(AtomicUsize::new(0));
    let (stop_tx, stop) = watch::channel(false);

    let started = Instant::now();
    let mut tasks = Vec::with_capacity(args.clients);
    for (index, token) in fixture.tokens.iter().enumerate() {
        let (url, token) = (common.url.clone(), token.clone());
        let source = pick_source(&common.sources, index);
        let (target, slots, still_open) = (target.clone(), slots.clone(), still_open.clone());
        let mut stop = stop.clone();
        tasks.push(tokio::spawn(async move {
            let begun = Instant::now();
            let mut ws = {
                let _slot = slots.acquire().await;
                let mut ws = open(&url, source, Some(&token)).await?;
                target.join(&mut ws, None).await?;
                ws
            };
            let took = begun.elapsed();
            still_open.fetch_add(1, Ordering::Relaxed);
            // Reading answers the server's pings; the connection stays until told to stop.
            let closed_early = loop {
                tokio::select! {
                    _ = stop.changed() => break false,
                    frame = ws.next() => if !matches!(frame, Some(Ok(_))) { break true },
                }
            };
            if closed_early {
                still_open.fetch_sub(1, Ordering::Relaxed);
            }
            let _ = ws.close(None).await;
            anyhow::Ok(took)
        }));
    }
    let all_open = crate::chat::wait_until(Duration::from_secs(300), || {
        still_open.load(Ordering::Relaxed) == args.clients || tasks.iter().any(|t| t.is_finished())
    })
    .await;
    let setup_secs = started.elapsed().as_secs_f64();
    let rss_connected = rss_bytes(pids)?;
    tokio::time::sleep(Duration::from_secs_f64(args.hold)).await;
    let rss_held = rss_bytes(pids)?;
    let open_at_end = still_open.load(Ordering::Relaxed);
    stop_tx.send_replace(true);

    let mut connect = histogram();
    let mut failures = 0;
    let mut first_failure = None;
    for task in tasks {
        match task.await? {
            Ok(took) => {
                let _ = connect.record(took.as_micros() as u64);
            }
            Err(error) => {
                failures += 1;
                first_failure.get_or_insert(format!("{error:#}"));
            }
        }
    }
    if let Some(first) = first_failure {
        println!("first failure: {first}");
    }
    let parameters = json!({ "clients": args.clients, "hold": args.hold,
        "sources": common.sources.len().max(1) });
    let mut report = Report::new(common, "idle", parameters);
    report.add("connected", (args.clients - failures) as f64, "");
    report.add("failed", failures as f64, "");
    report.add("all connected", f64::from(u8::from(all_open)), "bool");
    report.add("still open after hold", open_at_end as f64, "");
    report.add("setup time", setup_secs, "s");
    report.latency("connect+subscribe", &connect);
    if !pids.is_empty() {
        report.add("server RSS before", rss_before as f64 / 1e6, "MB");
        report.add("server RSS connected", rss_connected as f64 / 1e6, "MB");
        report.add("server RSS after hold", rss_held as f64 / 1e6, "MB");
        report.add(
            "server RSS per connection",
            rss_held.saturating_sub(rss_before) as f64 / args.clients as f64 / 1e3,
            "KB",
        );
    }
    Ok(report)
}
