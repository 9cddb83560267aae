//! The echo floor: the reaction storm's I/O and nothing else. A current-thread tokio
//! runtime serves N connections; each client sends one small command a second (spread
//! evenly over the second across clients), the server answers each with a small ack and
//! sends every client an aggregated burst frame `--bursts` times a second. Its CPU, user and
//! kernel apart, is the floor to set beside Viaduc's measured CPU for the same storm in the
//! same run: what a server that only does this socket I/O costs, readiness polling, timers
//! and the wake-ups of each loopback write included. Plain newline-delimited TCP: WebSocket
//! framing adds a few bytes a frame and no system calls.

use std::net::TcpListener;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::{oneshot, Mutex};
use tokio::time::sleep_until;

use super::{join, pin, ThreadCpu};
use crate::report::Report;
use crate::Common;

#[derive(Args)]
pub struct EchoArgs {
    #[command(flatten)]
    pub common: Common,
    /// Connections, each sending one command a second (the storm's attendees).
    #[arg(long, default_value_t = 900)]
    pub sockets: usize,
    /// Burst frames the server sends every connection per second.
    #[arg(long, default_value_t = 2)]
    pub bursts: u64,
    #[arg(long, default_value_t = 10.0)]
    pub seconds: f64,
    /// The core the server's thread is pinned to (the server's, in `bench.sh`).
    #[arg(long, default_value_t = 0)]
    pub writer_cpu: usize,
}

/// Sizes on the wire, newline included: a `reaction.send` command, its ack, a burst. The
/// first byte tells the client which frame it read.
const COMMAND: &[u8; 60] = &frame(b'c');
const ACK: &[u8; 60] = &frame(b'a');
const BURST: &[u8; 120] = &frame(b'b');

const fn frame<const SIZE: usize>(kind: u8) -> [u8; SIZE] {
    let mut frame = [b'x'; SIZE];
    frame[0] = kind;
    frame[SIZE - 1] = b'\n';
    frame
}

/// What one client sent and read.
#[derive(Default)]
struct Tally {
    commands: u64,
    acks: u64,
    bursts: u64,
}

pub async fn run_echo(args: EchoArgs) -> anyhow::Result<Report> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;
    let (sockets, bursts, seconds, cpu) = (
        args.sockets,
        args.bursts.max(1),
        args.seconds,
        args.writer_cpu,
    );
    let rounds = (bursts as f64 * seconds) as u64;
    let (started_tx, started) = oneshot::channel();
    // Accepting as the clients connect: the listen backlog is short.
    let server = std::thread::spawn(move || {
        pin(cpu)?;
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
            .block_on(serve(
                listener,
                sockets,
                (bursts, rounds),
                seconds,
                started_tx,
            ))
    });
    let mut streams = Vec::with_capacity(sockets);
    for _ in 0..sockets {
        streams.push(tokio::net::TcpStream::connect(address).await?);
    }
    let Ok(start) = started.await else {
        join(server, "the server").await?;
        anyhow::bail!("the server stopped before its clients were connected");
    };
    let clients: Vec<_> = streams
        .into_iter()
        .enumerate()
        .map(|(index, stream)| {
            let offset = Duration::from_secs_f64(index as f64 / sockets as f64);
            tokio::spawn(client(stream, start + offset, start, seconds, rounds))
        })
        .collect();
    let mut total = Tally::default();
    for client in clients {
        let tally = client.await??;
        total.commands += tally.commands;
        total.acks += tally.acks;
        total.bursts += tally.bursts;
    }
    let (cpu, window, answered) = join(server, "the server").await?;

    let bursts_expected = rounds * sockets as u64;
    let all_received = total.acks == total.commands && total.bursts == bursts_expected;
    let window = window.as_secs_f64();
    let frames = total.commands + total.acks + bursts_expected;
    let parameters = json!({
        "sockets": sockets, "bursts": bursts, "seconds": seconds,
        "command": COMMAND.len(), "ack": ACK.len(), "burst": BURST.len(),
    });
    let mut report = Report::new(&args.common, "echo-floor", parameters);
    report.add("commands sent", total.commands as f64, "");
    report.add("commands answered by the server", answered as f64, "");
    report.add("acks received", total.acks as f64, "");
    report.add("bursts received", total.bursts as f64, "");
    report.add("bursts expected", bursts_expected as f64, "");
    report.add("all received", f64::from(u8::from(all_received)), "bool");
    report.add("commands per second", total.commands as f64 / window, "/s");
    report.add(
        "frames per second (read and written)",
        frames as f64 / window,
        "/s",
    );
    let percent = |time: Duration| time.as_secs_f64() * 100.0 / window;
    report.add("server CPU", percent(cpu.total()), "% of one core");
    report.add(
        "— of which in user space",
        percent(cpu.user),
        "% of one core",
    );
    report.add(
        "— of which in the kernel",
        percent(cpu.system),
        "% of one core",
    );
    report.add(
        "server CPU per frame",
        cpu.total().as_secs_f64() * 1e6 / frames.max(1) as f64,
        "µs",
    );
    Ok(report)
}

/// The server, on its own thread: accepts every connection, tells the clients when the
/// window starts, answers commands and sends `rounds` bursts, `bursts` a second, for
/// `seconds`, then serves the clients until they hang up. Returns its CPU time and the
/// window's length (both to the window's end) and the commands it answered.
async fn serve(
    listener: TcpListener,
    sockets: usize,
    (bursts, rounds): (u64, u64),
    seconds: f64,
    started: oneshot::Sender<Instant>,
) -> anyhow::Result<(ThreadCpu, Duration, u64)> {
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let answered = Arc::new(AtomicU64::new(0));
    let mut connections = tokio::task::JoinSet::new();
    let mut writers = Vec::with_capacity(sockets);
    for _ in 0..sockets {
        let (stream, _) = listener.accept().await?;
        stream.set_nodelay(true)?;
        let (read, write) = stream.into_split();
        let write = Arc::new(Mutex::new(write));
        writers.push(Arc::clone(&write));
        connections.spawn(answer(read, write, Arc::clone(&answered)));
    }
    let cpu_before = ThreadCpu::now()?;
    let start = Instant::now();
    // The clients are gone if nobody listens: the window is measured all the same.
    let _ = started.send(start);
    for round in 0..rounds {
        sleep_until((start + Duration::from_micros(round * 1_000_000 / bursts)).into()).await;
        for write in &writers {
            // A client that hung up is counted short on its side.
            let _ = write.lock().await.write_all(BURST).await;
        }
    }
    sleep_until((start + Duration::from_secs_f64(seconds)).into()).await;
    let (cpu, window) = (ThreadCpu::now()? - cpu_before, start.elapsed());
    while connections.join_next().await.is_some() {}
    Ok((cpu, window, answered.load(Ordering::Relaxed)))
}

/// One connection on the server: an ack written for every command read, until EOF.
async fn answer(
    mut read: OwnedReadHalf,
    write: Arc<Mutex<OwnedWriteHalf>>,
    answered: Arc<AtomicU64>,
) {
    let mut buffer = [0u8; 4096];
    while let Ok(length @ 1..) = read.read(&mut buffer).await {
        let commands = buffer[..length]
            .iter()
            .filter(|&&byte| byte == b'\n')
            .count();
        for _ in 0..commands {
            if write.lock().await.write_all(ACK).await.is_err() {
                return;
            }
        }
        answered.fetch_add(commands as u64, Ordering::Relaxed);
    }
}

/// How long past the window the clients stay connected: no hang-up lands in the server's
/// measured window.
const LINGER: Duration = Duration::from_millis(200);

/// One client: a command at `first` and every second after it while the window lasts,
/// every frame read until it has its acks and `rounds` bursts and the window is over (or
/// 10 s after the window); then it hangs up.
async fn client(
    stream: tokio::net::TcpStream,
    first: Instant,
    start: Instant,
    seconds: f64,
    rounds: u64,
) -> anyhow::Result<Tally> {
    let end = start + Duration::from_secs_f64(seconds);
    let (hang_up, give_up) = (end + LINGER, end + Duration::from_secs(10));
    let (read, mut write) = stream.into_split();
    let mut frames = BufReader::new(read);
    let (mut line, mut next, mut tally) = (Vec::new(), first, Tally::default());
    loop {
        let lingering = Instant::now() < hang_up;
        if !lingering && next >= end && tally.acks >= tally.commands && tally.bursts >= rounds {
            break;
        }
        tokio::select! {
            read = frames.read_until(b'\n', &mut line) => {
                if !matches!(read, Ok(1..)) {
                    break;
                }
                match line.first() {
                    Some(b'a') => tally.acks += 1,
                    Some(b'b') => tally.bursts += 1,
                    _ => {}
                }
                line.clear();
            }
            () = sleep_until(next.into()), if next < end => {
                write.write_all(COMMAND).await?;
                tally.commands += 1;
                next += Duration::from_secs(1);
            }
            () = sleep_until(hang_up.into()), if lingering => {}
            () = sleep_until(give_up.into()) => break,
        }
    }
    Ok(tally)
}
