//! The load generator against a real node: a small chat run and a small reconnect storm
//! must deliver every message exactly once, small vote storms must count every vote once
//! and bring every screen to the final count, a small ballot storm with dropped requests
//! must put every acknowledged ballot on the board once, small breakouts must show every
//! screen the dots stored and acknowledged, the floors must deliver every
//! frame they write, and the reports must say so.

#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;

use clap::Parser;
use sqlx::postgres::PgConnectOptions;
use sqlx::PgPool;
use viaduc::http::Site;
use viaduc::state::{AppState, Settings};
use viaduc_load::ballots::{self, BallotsArgs};
use viaduc_load::boards::{self, BoardsArgs};
use viaduc_load::chat::{self, ChatArgs};
use viaduc_load::floor::{self, EchoArgs, FloorArgs};
use viaduc_load::react::{self, ReactArgs};
use viaduc_load::report::Report;
use viaduc_load::vote::{self, VoteArgs};

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    chat: ChatArgs,
}

const SECRET: &[u8] = b"the load test's signing key, long enough";

/// Starts a node on `db` with a conference `load-test`; returns its `/ws` URL and the
/// database URL the load generator uses.
async fn node(db: &PgPool, options: &PgConnectOptions) -> (String, String) {
    sqlx::query("insert into app_secrets (name, value) values ('jwt', $1)")
        .bind(SECRET)
        .execute(db)
        .await
        .unwrap();
    sqlx::query(
        "insert into conferences (id, slug, title, starts_on, ends_on, time_zone, languages)
         values (gen_random_uuid(), 'load-test', '{\"en\": \"Load\"}', '2026-12-08', '2026-12-10',
                 'Europe/Brussels', '{en}')",
    )
    .execute(db)
    .await
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let settings = Settings {
        site: Site {
            public_url: format!("http://{addr}"),
            secure_cookies: false,
            trust_proxy: false,
            embed_origins: Vec::new(),
        },
        heartbeat: Default::default(),
        metrics_token: None,
    };
    let app = viaduc::app(AppState::new(db.clone(), SECRET, settings));
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    let base = std::env::var("DATABASE_URL").unwrap();
    let (server, _) = base.rsplit_once('/').unwrap();
    let database = options.get_database().unwrap();
    (format!("ws://{addr}/ws"), format!("{server}/{database}"))
}

async fn chat_run(db: PgPool, extra: &[&str]) -> Report {
    let options = db.connect_options();
    let (url, database_url) = node(&db, &options).await;
    let mut argv = node_argv(&url, &database_url);
    argv.extend_from_slice(&[
        "--clients",
        "40",
        "--senders",
        "4",
        "--rate",
        "40",
        "--seconds",
        "2",
    ]);
    argv.extend_from_slice(extra);
    let report = chat::run(Cli::parse_from(argv).chat).await.unwrap();
    report.print().unwrap();
    report
}

fn figure(report: &Report, name: &str) -> f64 {
    report
        .metric(name)
        .unwrap_or_else(|| panic!("no `{name}` in the report"))
}

#[sqlx::test(migrator = "viaduc::db::MIGRATOR")]
async fn every_message_reaches_every_client_once(db: PgPool) {
    let report = chat_run(db, &[]).await;
    assert_eq!(figure(&report, "connections"), 44.0);
    assert_eq!(figure(&report, "command errors"), 0.0);
    let sent = figure(&report, "messages sent");
    // About 80 at 40/s for 2 s; fewer when the machine is busy with other tests.
    assert!(sent >= 20.0, "{sent} messages in 2 s at 40/s");
    assert_eq!(figure(&report, "deliveries"), sent * 44.0);
    assert_eq!(figure(&report, "deliveries expected"), sent * 44.0);
    assert_eq!(figure(&report, "lost"), 0.0);
    assert_eq!(figure(&report, "duplicates"), 0.0);
    assert_eq!(figure(&report, "all delivered"), 1.0);
    assert!(figure(&report, "delivery latency p50") > 0.0);
}

#[sqlx::test(migrator = "viaduc::db::MIGRATOR")]
async fn dropped_listeners_resume_without_gap_or_duplicate(db: PgPool) {
    let report = chat_run(db, &["--storm-after", "1"]).await;
    assert_eq!(figure(&report, "reconnected"), 40.0);
    assert_eq!(figure(&report, "resumed from snapshot"), 0.0);
    assert_eq!(figure(&report, "lost"), 0.0);
    assert_eq!(figure(&report, "duplicates"), 0.0);
    assert_eq!(figure(&report, "all delivered"), 1.0);
}

/// The load generator's arguments that reach a test node.
fn node_argv<'a>(url: &'a str, database_url: &'a str) -> Vec<&'a str> {
    vec![
        "viaduc-load",
        "--url",
        url,
        "--database-url",
        database_url,
        "--conference",
        "load-test",
    ]
}

#[derive(Parser)]
struct VoteCli {
    #[command(flatten)]
    vote: VoteArgs,
}

async fn vote_run(db: PgPool, extra: &[&str]) -> Report {
    let options = db.connect_options();
    let (url, database_url) = node(&db, &options).await;
    let mut argv = node_argv(&url, &database_url);
    argv.extend_from_slice(&["--clients", "40", "--window", "1"]);
    argv.extend_from_slice(extra);
    let report = vote::run(VoteCli::parse_from(argv).vote).await.unwrap();
    report.print().unwrap();
    report
}

/// Every vote acknowledged and stored once, every screen at the final count, coalesced.
fn counted_once_on_every_screen(report: &Report) {
    assert_eq!(figure(report, "acknowledged"), 40.0);
    assert_eq!(figure(report, "errors"), 0.0);
    assert_eq!(figure(report, "stored"), 40.0);
    assert_eq!(figure(report, "every screen at the final count"), 1.0);
    // Coalesced: far fewer count events than votes reach each screen.
    assert!(figure(report, "count events per screen (median)") < 20.0);
}

#[sqlx::test(migrator = "viaduc::db::MIGRATOR")]
async fn an_upvote_storm_counts_every_vote_once_on_every_screen(db: PgPool) {
    // With chat beside it: the voters' screens time the messages.
    let report = vote_run(db, &["--chat-rate", "20"]).await;
    counted_once_on_every_screen(&report);
    assert!(figure(&report, "chat messages timed") > 0.0);
}

#[sqlx::test(migrator = "viaduc::db::MIGRATOR")]
async fn a_poll_storm_counts_every_answer_once_on_every_screen(db: PgPool) {
    counted_once_on_every_screen(&vote_run(db, &["--poll"]).await);
}

#[derive(Parser)]
struct BallotsCli {
    #[command(flatten)]
    ballots: BallotsArgs,
}

/// A quarter of the voters lose their first request mid-flight and retry with the same
/// receipt: every ballot acknowledged, on the board exactly once, and the board verifies.
#[sqlx::test(migrator = "viaduc::db::MIGRATOR")]
async fn a_ballot_storm_with_dropped_requests_puts_every_ballot_on_the_board_once(db: PgPool) {
    let options = db.connect_options();
    let (url, database_url) = node(&db, &options).await;
    let mut argv = node_argv(&url, &database_url);
    argv.extend_from_slice(&["--voters", "40", "--window", "1", "--drop-rate", "0.25"]);
    let report = ballots::run(BallotsCli::parse_from(argv).ballots)
        .await
        .unwrap();
    report.print().unwrap();
    assert_eq!(figure(&report, "acknowledged"), 40.0);
    assert_eq!(figure(&report, "errors"), 0.0);
    assert_eq!(figure(&report, "voters who retried"), 10.0);
    assert_eq!(figure(&report, "ballots on the board"), 40.0);
    assert_eq!(figure(&report, "acknowledged but not on the board"), 0.0);
    assert_eq!(figure(&report, "on the board twice"), 0.0);
    assert_eq!(figure(&report, "tally = acknowledged voters"), 1.0);
    assert_eq!(figure(&report, "board verifies (recount, chain)"), 1.0);
}

#[derive(Parser)]
struct BoardsCli {
    #[command(flatten)]
    boards: BoardsArgs,
}

/// Three boards of eight participants acting every half second: every action answered
/// without error, delivered to the other screens, the dots exact on every screen.
#[sqlx::test(migrator = "viaduc::db::MIGRATOR")]
async fn small_breakouts_deliver_every_action_and_count_the_dots_exactly(db: PgPool) {
    let options = db.connect_options();
    let (url, database_url) = node(&db, &options).await;
    let mut argv = node_argv(&url, &database_url);
    argv.extend_from_slice(&[
        "--boards",
        "3",
        "--per-board",
        "8",
        "--interval",
        "0.5",
        "--duration",
        "3",
    ]);
    let report = boards::run(BoardsCli::parse_from(argv).boards)
        .await
        .unwrap();
    report.print().unwrap();
    assert_eq!(figure(&report, "errors"), 0.0);
    assert_eq!(figure(&report, "screens failed"), 0.0);
    // 24 participants, 6 actions each, each seen by the 7 others of its board.
    assert_eq!(figure(&report, "actions acknowledged"), 144.0);
    assert_eq!(figure(&report, "deliveries timed"), 144.0 * 7.0);
    assert_eq!(figure(&report, "dots stored = dots acknowledged"), 1.0);
    assert_eq!(figure(&report, "screens showing the stored dots"), 24.0);
}

#[derive(Parser)]
struct ReactCli {
    #[command(flatten)]
    react: ReactArgs,
}

/// A small reaction storm with chat beside it: every reaction acknowledged, every person
/// counted once on every screen, in at most two bursts a second, and every chat message
/// delivered.
#[sqlx::test(migrator = "viaduc::db::MIGRATOR")]
async fn a_reaction_storm_reaches_screens_aggregated_beside_the_chat(db: PgPool) {
    let options = db.connect_options();
    let (url, database_url) = node(&db, &options).await;
    let mut argv = node_argv(&url, &database_url);
    argv.extend_from_slice(&["--clients", "40", "--duration", "3", "--chat-rate", "10"]);
    let report = react::run(ReactCli::parse_from(argv).react).await.unwrap();
    report.print().unwrap();
    assert_eq!(figure(&report, "errors"), 0.0);
    assert_eq!(figure(&report, "reactions sent"), 120.0);
    assert_eq!(figure(&report, "reactions acknowledged"), 120.0);
    assert_eq!(figure(&report, "counted / sent"), 1.0);
    // Windows of half a second: two bursts in a second, three when a late one lands beside.
    assert!(figure(&report, "bursts per second on a screen (max)") <= 3.0);
    assert_eq!(figure(&report, "chat messages sent"), 30.0);
}

#[derive(Parser)]
struct FloorCli {
    #[command(flatten)]
    floor: FloorArgs,
}

#[tokio::test]
async fn the_floor_writes_every_frame_and_times_the_writer() {
    let args = FloorCli::parse_from([
        "floor",
        "--sockets",
        "20",
        "--rate",
        "20",
        "--seconds",
        "0.5",
        "--size",
        "300",
    ])
    .floor;
    let report = floor::run(args).await.unwrap();
    assert_eq!(report.metric("writes"), Some(200.0));
    assert_eq!(report.metric("all read"), Some(1.0));
    assert!(report.metric("writer CPU per write").unwrap() >= 0.0);
}

#[derive(Parser)]
struct EchoCli {
    #[command(flatten)]
    echo: EchoArgs,
}

/// 20 clients for 1 s: one command each, answered, and two bursts each.
#[tokio::test]
async fn the_echo_floor_answers_every_command_and_times_the_server() {
    let args = EchoCli::parse_from(["echo-floor", "--sockets", "20", "--seconds", "1"]).echo;
    let report = floor::run_echo(args).await.unwrap();
    report.print().unwrap();
    assert_eq!(report.metric("commands sent"), Some(20.0));
    assert_eq!(report.metric("commands answered by the server"), Some(20.0));
    assert_eq!(report.metric("acks received"), Some(20.0));
    assert_eq!(report.metric("bursts received"), Some(40.0));
    assert_eq!(report.metric("bursts expected"), Some(40.0));
    assert_eq!(report.metric("all received"), Some(1.0));
    assert!(report.metric("server CPU").unwrap() >= 0.0);
    assert!(report.metric("— of which in the kernel").unwrap() >= 0.0);
}
