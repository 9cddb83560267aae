//! The floor: what the kernel alone charges on this machine for a server's socket I/O,
//! measured on a thread pinned to the server's core while a tokio runtime on this process's
//! core plays the clients. Two patterns:
//!
//! - `floor`: one thread writes a frame of the given size to each of N loopback TCP sockets
//!   at the fan-out rates. Its CPU time per write is what any server pays for one delivery
//!   before doing any work of its own (Viaduc and socket.io alike).
//! - `echo-floor` (`echo.rs`): the reaction storm's I/O and nothing else.

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
use tokio::io::AsyncReadExt;

use crate::report::Report;
use crate::Common;

mod echo;
pub use echo::{run_echo, EchoArgs};

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
