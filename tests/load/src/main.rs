//! `viaduc-load` command line: see `tests/load/bench.sh` and `BENCHMARKS.md`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use viaduc_load::{ballots, boards, chat, floor, idle, react, summary, synthesis, vote};

#[derive(Parser)]
#[command(about = "Load generator for Viaduc's real-time layer")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Many clients in one room, some of them sending chat messages at a steady rate.
    Chat(chat::ChatArgs),
    /// Many authenticated connections that only stay connected.
    Idle(idle::IdleArgs),
    /// Every attendee of a panel upvotes one question (or answers one poll) within seconds.
    Vote(vote::VoteArgs),
    /// Every attendee of a panel reacts every second while a few chat in the same room.
    React(react::ReactArgs),
    /// Every attendee casts a ballot in one election within seconds, then the board is checked.
    Ballots(ballots::BallotsArgs),
    /// Breakouts: many working-group boards at once, every participant acting every few seconds.
    Boards(boards::BoardsArgs),
    /// The synthesis editor: a few people typing into one document, many watching it.
    Synthesis(synthesis::SynthesisArgs),
    /// The kernel's share: one thread writing frames to many loopback sockets.
    Floor(floor::FloorArgs),
    /// The kernel's share of the reaction storm: a server on the server's core that only
    /// reads one command a second from each socket, acks each and sends every socket bursts.
    EchoFloor(floor::EchoArgs),
    /// Medians per label of a results file written with `--json`, and the comparisons.
    Summary { results: PathBuf },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Chat(args) => chat::run(args).await?.print(),
        Command::Idle(args) => idle::run(args).await?.print(),
        Command::Vote(args) => vote::run(args).await?.print(),
        Command::React(args) => react::run(args).await?.print(),
        Command::Ballots(args) => ballots::run(args).await?.print(),
        Command::Boards(args) => boards::run(args).await?.print(),
        Command::Synthesis(args) => synthesis::run(args).await?.print(),
        Command::Floor(args) => floor::run(args).await?.print(),
        Command::EchoFloor(args) => floor::run_echo(args).await?.print(),
        Command::Summary { results } => summary::print(&results),
    }
}
