//! `viaduc-load`: drives Viaduc's `/ws` (or a socket.io baseline) with many clients and
//! reports connect time, delivery latency, throughput, loss, duplicates, errors and the
//! server's CPU and memory. `BENCHMARKS.md` lists the commands and their results;
//! `tests/load/bench.sh` runs them all.

pub mod ballots;
pub mod boards;
pub mod chat;
mod client;
mod crowd;
mod fixture;
pub mod floor;
mod http;
pub mod idle;
mod listener;
pub mod react;
pub mod report;
mod server_stats;
mod socketio;
pub mod summary;
pub mod synthesis;
pub mod vote;

use std::net::IpAddr;
use std::path::PathBuf;

use clap::Args;

/// What every scenario needs to reach the server(s) under test.
#[derive(Args, Clone)]
pub struct Common {
    /// WebSocket URL of the server (`ws://host:port/ws`, or the socket.io server's URL).
    #[arg(long, default_value = "ws://127.0.0.1:8080/ws")]
    pub url: String,
    /// Viaduc's database: the load users are created there and their tokens signed with
    /// the node's stored key (argon2 and logins are not what is measured).
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// The conference whose members the load users become.
    #[arg(long, default_value = "ecc-2026")]
    pub conference: String,
    /// Server processes whose CPU time and RSS are reported (repeatable).
    #[arg(long = "server-pid")]
    pub server_pids: Vec<u32>,
    /// Local addresses to connect from, round-robin (each allows ~28k ports).
    #[arg(long = "source", value_delimiter = ',')]
    pub sources: Vec<IpAddr>,
    /// A name for this run in the report.
    #[arg(long, default_value = "run")]
    pub label: String,
    /// Appends the report as one JSON line to this file.
    #[arg(long)]
    pub json: Option<PathBuf>,
}
