//! Ballots cast through faults: clients whose connection drops mid-request and who retry
//! with the same receipt, a node killed and replaced mid-storm, PostgreSQL crashed and
//! restarted mid-storm. No acknowledged ballot is lost, none is counted twice, and the
//! published board recounts to the announced result.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use serde_json::{json, Value};
use sqlx::PgPool;
use tokio::io::AsyncWriteExt;
use tokio::task::JoinSet;
use tokio::time::Instant;
use uuid::Uuid;
use viaduc::awards::wire::Board;

use crate::helpers::*;
use crate::outages::*;

const VOTERS: usize = 40;
/// The ballots are spread over this long; the fault strikes halfway.
const WINDOW: Duration = Duration::from_secs(2);

/// Where the voters send their ballots: the node now serving.
type Serving = Arc<RwLock<SocketAddr>>;

/// An exchange with the node at `addr` as `token`'s user: the status and the JSON body,
/// or `None` when the node (or its answer) is not there.
async fn call(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: &str,
    body: &Value,
) -> Option<(u16, Value)> {
    let headers = format!("authorization: Bearer {token}\r\n");
    let request = http_request(addr, method, path, &headers, &body.to_string());
    let response = try_http(addr, &request).await.ok()?;
    let status = response.get(9..12)?.parse().ok()?;
    let (_, body) = response.split_once("\r\n\r\n")?;
    Some((status, serde_json::from_str(body).unwrap_or(Value::Null)))
}

async fn expect(addr: SocketAddr, method: &str, path: &str, token: &str, body: Value) -> Value {
    let (status, answer) = call(addr, method, path, token, &body).await.unwrap();
    assert!(
        (200..300).contains(&status),
        "{method} {path}: {status} {answer}"
    );
    answer
}

/// A conference with `VOTERS` attendees and an election open for voting with three
/// candidates: the election's path, the candidates, the organiser's and the voters' tokens.
async fn open_election(app: &TestApp) -> (String, Vec<Value>, String, Vec<String>) {
    let conference = conference(&app.state.db).await;
    let (_, organiser) = member_user(app, conference, "Olga", "organiser").await;
    let mut voters = Vec::new();
    for n in 0..VOTERS {
        voters.push(
            member_user(app, conference, &format!("Voter {n}"), "attendee")
                .await
                .1,
        );
    }
    let title = json!({"title": {"en": "European Cluster Manager of the Year"}});
    let created = expect(
        app.addr,
        "POST",
        &format!("/api/conferences/{conference}/elections"),
        &organiser,
        title,
    )
    .await;
    let path = format!(
        "/api/conferences/{conference}/elections/{}",
        created["id"].as_str().unwrap()
    );
    expect(
        app.addr,
        "POST",
        &format!("{path}/phase"),
        &organiser,
        json!({"phase": "shortlist"}),
    )
    .await;
    let mut candidates = Vec::new();
    for name in ["Ana Peeters", "Luc Moreau", "Eva Schmidt"] {
        let candidate = json!({"name": name, "statement": {"en": "Opened the cluster."}});
        let added = expect(
            app.addr,
            "POST",
            &format!("{path}/candidates"),
            &organiser,
            candidate,
        )
        .await;
        candidates.push(added["id"].clone());
    }
    expect(
        app.addr,
        "POST",
        &format!("{path}/phase"),
        &organiser,
        json!({"phase": "voting"}),
    )
    .await;
    (path, candidates, organiser, voters)
}

/// Casts one ballot per voter, spread over [`WINDOW`], to whichever node `serving` names.
/// Every fourth voter's first attempt is sent and its connection dropped at once. A voter
/// retries with the same receipt until acknowledged; a refusal fails the test. Each cast
/// ends with its acknowledged receipt hash and how many attempts were answered otherwise
/// (not counting a dropped first one).
fn storm(
    serving: &Serving,
    path: &str,
    candidates: &[Value],
    voters: &[String],
) -> JoinSet<(String, u32)> {
    let start = Instant::now();
    let mut casts = JoinSet::new();
    for (index, token) in voters.iter().cloned().enumerate() {
        let serving = serving.clone();
        let path = format!("{path}/ballot");
        let receipt: String = format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple());
        let ballot =
            json!({"ranking": [candidates[index % candidates.len()]], "receipt_hash": receipt});
        let at = start + WINDOW * index as u32 / voters.len() as u32;
        casts.spawn(async move {
            tokio::time::sleep_until(at).await;
            if index % 4 == 0 {
                let addr = *serving.read().unwrap();
                let headers = format!("authorization: Bearer {token}\r\n");
                let request = http_request(addr, "POST", &path, &headers, &ballot.to_string());
                if let Ok(mut stream) = tokio::net::TcpStream::connect(addr).await {
                    let _ = stream.write_all(request.as_bytes()).await;
                }
            }
            let give_up = Instant::now() + Duration::from_secs(30);
            let mut failed = 0;
            loop {
                let addr = *serving.read().unwrap();
                match call(addr, "POST", &path, &token, &ballot).await {
                    Some((200, _)) => return (receipt, failed),
                    Some((status, body)) if status < 500 => {
                        panic!("a retry refused: {status} {body}")
                    }
                    _ => assert!(Instant::now() < give_up, "never acknowledged"),
                }
                failed += 1;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        });
    }
    casts
}

/// Waits for every cast, closes and reveals the election, and checks the board: exactly
/// the acknowledged ballots, once each, the tally equal to the voters, and the board's own
/// verification clean.
async fn check_board(
    addr: SocketAddr,
    path: &str,
    organiser: &str,
    mut casts: JoinSet<(String, u32)>,
) {
    let (mut acknowledged, mut caught) = (BTreeSet::new(), 0);
    while let Some(cast) = casts.join_next().await {
        let (receipt, failed) = cast.unwrap();
        acknowledged.insert(receipt);
        caught += usize::from(failed > 0);
    }
    assert_eq!(acknowledged.len(), VOTERS);
    assert!(
        caught > 0,
        "the fault struck no ballot: it came too late or too early"
    );
    expect(
        addr,
        "POST",
        &format!("{path}/phase"),
        organiser,
        json!({"phase": "closed"}),
    )
    .await;
    expect(
        addr,
        "POST",
        &format!("{path}/phase"),
        organiser,
        json!({"phase": "revealed"}),
    )
    .await;
    let (status, board) = call(
        addr,
        "GET",
        &format!("{path}/board"),
        organiser,
        &Value::Null,
    )
    .await
    .unwrap();
    assert_eq!(status, 200, "{board}");
    let board: Board = serde_json::from_value(board).unwrap();
    let on_board: BTreeSet<String> = board
        .ballots
        .iter()
        .map(|b| b.receipt_hash.clone())
        .collect();
    assert_eq!(
        board.ballots.len(),
        VOTERS,
        "one ballot per voter, none twice"
    );
    assert_eq!(on_board, acknowledged, "exactly the acknowledged ballots");
    assert_eq!(board.result.ballots, VOTERS as i64);
    assert_eq!(viaduc::awards::verify(&board), Vec::<String>::new());
}

#[sqlx::test(migrations = "../migrations")]
async fn ballots_through_client_drops_and_a_node_killed_mid_storm_count_once_each(db: PgPool) {
    let options = (*db.connect_options()).clone();
    let mut first = Node::start(options.clone()).await;
    let (path, candidates, organiser, voters) = open_election(&first.app).await;
    let serving: Serving = Arc::new(RwLock::new(first.app.addr));
    let casts = storm(&serving, &path, &candidates, &voters);

    tokio::time::sleep(WINDOW / 2).await;
    first.kill();
    // A replacement takes a moment to come up: ballots meanwhile find nobody.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let second = Node::start(options).await;
    *serving.write().unwrap() = second.app.addr;

    check_board(second.app.addr, &path, &organiser, casts).await;
}

#[tokio::test]
async fn ballots_through_a_database_crash_mid_storm_count_once_each() {
    let cluster = Cluster::start().await;
    let node = Node::start(cluster.server.connect_options()).await;
    let (path, candidates, organiser, voters) = open_election(&node.app).await;
    let serving: Serving = Arc::new(RwLock::new(node.app.addr));
    let casts = storm(&serving, &path, &candidates, &voters);

    tokio::time::sleep(WINDOW / 2).await;
    cluster.server.crash().await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    cluster.server.start_again().await.unwrap();

    check_board(node.app.addr, &path, &organiser, casts).await;
}
