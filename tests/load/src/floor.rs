//! The floor: what the kernel alone charges on this machine for a server's socket I/O,
//! measured on a thread pinned to the server's core while a tokio runtime on this process's
//! core plays the clients. Two patterns:
//!
//! - `floor`: one thread writes a frame of the given size to each of N loopback TCP sockets
//!   at the fan-out rates. Its CPU time per write is what any server pays for one delivery
//!   before doing any work of its own (Viaduc and socket.io alike).
//! - `echo-floor`: the reaction storm's I/O and nothing else. A current-thread tokio runtime
//!   serves N connections; each client sends one small command a second (spread evenly
//!   over the second across clients), the server answers each with a small ack and sends
//!   every client an aggregated burst frame `--bursts` times a second. Its CPU, user and
//!   kernel apart, is the floor to set beside Viaduc's measured CPU for the same storm in
//!   the same run: what a server that only does this socket I/O costs, readiness polling,
//!   timers and the wake-ups of each loopback write included. Plain newline-delimited TCP:
//!   WebSocket framing adds a few bytes a frame and no system calls.

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::ops::Sub;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use nix::sched::{sched_setaffinity, CpuSet};
use nix::sys::resource::{getrusage, UsageWho};
use nix::unistd::Pid;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::{oneshot, Mutex};
use tokio::time::sleep_until;

use crate::report::Report;
use crate::Common;

#[derive(Args)]
pub struct FloorArgs {
    #[command(flatten)]
    pub common: Common,
    /// Receiving sockets (as many as the fan-out's subscribers).
    #[arg(long, default_value_t = 1_000)]
    pub sockets: usize,
    /// Writes to every socket per second.
    #[arg(long, default_value_t = 100)]
    pub rate: u64,
    /// Bytes per write: the size of one event frame on the wire.
    #[arg(long, default_value_t = 450)]
    pub size: usize,
    #[arg(long, default_value_t = 10.0)]
    pub seconds: f64,
    /// The core the writing thread is pinned to (the server's, in `bench.sh`).
    #[arg(long, default_value_t = 0)]
    pub writer_cpu: usize,
}

pub async fn run(args: FloorArgs) -> anyhow::Result<Report> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;
    let (sockets, rate, size, seconds, cpu) = (
        args.sockets,
        args.rate.max(1),
        args.size,
        args.seconds,
        args.writer_cpu,
    );
    // Accepting as the readers connect: the listen backlog is short.
    let writer =
        std::thread::spawn(move || write_rounds(&listener, sockets, rate, size, seconds, cpu));
    let received = Arc::new(AtomicU64::new(0));
    let mut readers = Vec::with_capacity(args.sockets);
    for _ in 0..args.sockets {
        let mut stream = tokio::net::TcpStream::connect(address).await?;
        let received = Arc::clone(&received);
        readers.push(tokio::spawn(async move {
            let mut buffer = vec![0u8; 4096];
            while let Ok(read @ 1..) = stream.read(&mut buffer).await {
                received.fetch_add(read as u64, Ordering::Relaxed);
            }
        }));
    }
    let (writes, cpu) = join(writer, "the writing thread").await?;
    let expected = writes * size as u64;
    let all_read = crate::chat::wait_until(Duration::from_secs(30), || {
        received.load(Ordering::Relaxed) >= expected
    })
    .await;
    for reader in readers {
        reader.abort();
    }

    let parameters = json!({ "sockets": sockets, "rate": rate, "size": size, "seconds": seconds });
    let mut report = Report::new(&args.common, "floor", parameters);
    report.add("writes", writes as f64, "");
    report.add("all read", f64::from(u8::from(all_read)), "bool");
    report.add(
        "writer CPU per write",
        cpu.total().as_secs_f64() * 1e6 / writes.max(1) as f64,
        "µs",
    );
    Ok(report)
}

/// Accepts the sockets, then writes one frame to each of them `rate` times a second.
/// Returns the number of writes and the thread's CPU time while writing.
fn write_rounds(
    listener: &TcpListener,
    sockets: usize,
    rate: u64,
    size: usize,
    seconds: f64,
    cpu: usize,
) -> anyhow::Result<(u64, ThreadCpu)> {
    pin(cpu)?;
    let mut streams: Vec<TcpStream> = (0..sockets)
        .map(|_| {
            let (stream, _) = listener.accept()?;
            stream.set_nodelay(true)?;
            Ok(stream)
        })
        .collect::<std::io::Result<_>>()?;
    let frame = vec![b'x'; size];
    let rounds = (rate as f64 * seconds) as u64;
    let cpu_before = ThreadCpu::now()?;
    let started = Instant::now();
    for round in 0..rounds {
        let due = started + Duration::from_micros(round * 1_000_000 / rate);
        std::thread::sleep(due.saturating_duration_since(Instant::now()));
        for stream in &mut streams {
            stream.write_all(&frame)?;
        }
    }
    Ok((rounds * sockets as u64, ThreadCpu::now()? - cpu_before))
}

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

/// Pins the calling thread to one core.
fn pin(cpu: usize) -> anyhow::Result<()> {
    let mut cores = CpuSet::new();
    cores.set(cpu)?;
    sched_setaffinity(Pid::from_raw(0), &cores).context("pinning the server's thread")
}

/// Waits, off the runtime's threads, for a thread that returns a result.
async fn join<T: Send + 'static>(
    thread: JoinHandle<anyhow::Result<T>>,
    what: &str,
) -> anyhow::Result<T> {
    tokio::task::spawn_blocking(move || thread.join())
        .await?
        .map_err(|_| anyhow::anyhow!("{what} panicked"))?
}

/// The calling thread's CPU time, in user space and in the kernel.
#[derive(Clone, Copy)]
struct ThreadCpu {
    user: Duration,
    system: Duration,
}

impl ThreadCpu {
    fn now() -> anyhow::Result<Self> {
        let usage = getrusage(UsageWho::RUSAGE_THREAD)?;
        let time = |time: nix::sys::time::TimeVal| {
            Duration::from_secs(time.tv_sec() as u64) + Duration::from_micros(time.tv_usec() as u64)
        };
        Ok(ThreadCpu {
            user: time(usage.user_time()),
            system: time(usage.system_time()),
        })
    }

    fn total(self) -> Duration {
        self.user + self.system
    }
}

impl Sub for ThreadCpu {
    type Output = ThreadCpu;

    fn sub(self, before: ThreadCpu) -> ThreadCpu {
        ThreadCpu {
            user: self.user.saturating_sub(before.user),
            system: self.system.saturating_sub(before.system),
        }
    }
}
