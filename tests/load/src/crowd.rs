//! A crowd: one connection per load user, all in one panel room, released at one instant —
//! the shape of every storm scenario (votes, reactions).

use std::future::Future;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use anyhow::Context;
use futures_util::{SinkExt, StreamExt};
use tokio::sync::{Barrier, Semaphore};
use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::chat::pick_source;
use crate::client::{open, Target, Ws};
use crate::fixture::Fixture;
use crate::server_stats::{cpu_times, CpuTimes};
use crate::Common;

/// Storms start this long after the crowd is released: 900 tasks waking at once are the
/// load generator's own burst, not the workload.
pub const SETTLE: Duration = Duration::from_secs(1);

/// What the crowd did: each client's result and the server's CPU seconds from the start
/// until the last client finished.
pub struct Outcome<T> {
    pub results: Vec<anyhow::Result<T>>,
    pub server_cpu: CpuTimes,
}

/// Opens one connection per fixture user into `room`, at most `concurrency` being set up
/// at once. When all have joined (or failed to), starts the server's CPU clock and runs
/// `act(index, ws, start)` in each, `start` being the same instant for all.
pub async fn gather<T, F, Fut>(
    common: &Common,
    fixture: &Fixture,
    room: &str,
    concurrency: usize,
    act: F,
) -> anyhow::Result<Outcome<T>>
where
    F: Fn(usize, Ws, Instant) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = anyhow::Result<T>> + Send,
    T: Send + 'static,
{
    let rooms = vec![room.to_owned(); fixture.tokens.len()];
    gather_in(common, fixture, &rooms, concurrency, act).await
}

/// [`gather`] with each fixture user in a room of its own choosing: `rooms[index]`.
pub async fn gather_in<T, F, Fut>(
    common: &Common,
    fixture: &Fixture,
    rooms: &[String],
    concurrency: usize,
    act: F,
) -> anyhow::Result<Outcome<T>>
where
    F: Fn(usize, Ws, Instant) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = anyhow::Result<T>> + Send,
    T: Send + 'static,
{
    let clients = fixture.tokens.len();
    let joined = Arc::new(Barrier::new(clients + 1));
    let go = Arc::new(Barrier::new(clients + 1));
    let slots = Arc::new(Semaphore::new(concurrency.max(1)));
    let start = Arc::new(OnceLock::<Instant>::new());
    let mut tasks = JoinSet::new();
    for (index, token) in fixture.tokens.iter().cloned().enumerate() {
        let (url, room) = (common.url.clone(), rooms[index].clone());
        let (joined, go, slots, start) = (joined.clone(), go.clone(), slots.clone(), start.clone());
        let source = pick_source(&common.sources, index);
        let act = act.clone();
        tasks.spawn(async move {
            let connected = async {
                let _slot = slots.acquire().await?;
                let mut ws = open(&url, source, Some(&token)).await?;
                Target::Viaduc { room }.join(&mut ws, None).await?;
                anyhow::Ok(ws)
            }
            .await;
            // A client that failed to join still meets the others, or they would wait forever.
            joined.wait().await;
            go.wait().await;
            let ws = connected?;
            let start = *start.get().context("no start time")?;
            act(index, ws, start).await
        });
    }
    joined.wait().await;
    let cpu_start = cpu_times(&common.server_pids)?;
    let _ = start.set(Instant::now());
    go.wait().await;
    let mut results = Vec::with_capacity(clients);
    while let Some(result) = tasks.join_next().await {
        results
            .push(result.unwrap_or_else(|panic| Err(anyhow::anyhow!("client panicked: {panic}"))));
    }
    let server_cpu = cpu_times(&common.server_pids)? - cpu_start;
    Ok(Outcome {
        results,
        server_cpu,
    })
}

/// A client that only chats beside a storm: message after message every `every` from
/// `first` until `end`, reading (and dropping) what the room sends meanwhile. Its messages
/// carry their send time; the storm's screens time their delivery.
pub async fn chat_until(
    mut ws: Ws,
    target: &Target,
    sender: usize,
    first: Instant,
    every: Duration,
    end: Instant,
) -> anyhow::Result<()> {
    let mut next = first;
    let mut sent = 0;
    while next < end {
        tokio::select! {
            frame = ws.next() => {
                frame.context("the connection closed")??;
            }
            () = tokio::time::sleep_until(next) => {
                ws.send(target.chat_frame(sender, sent, 100)).await?;
                sent += 1;
                next += every;
            }
        }
    }
    Ok(())
}
