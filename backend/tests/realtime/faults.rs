//! Faults: the database crashing and coming back mid-session, and a node dying under its
//! clients. Nothing acknowledged is lost, nothing is applied or delivered twice.

use std::time::{Duration, Instant};

use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;
use viaduc::realtime::Heartbeat;

use crate::helpers::*;
use crate::outages::*;

#[tokio::test]
async fn a_database_crash_mid_session_loses_nothing_and_applies_each_command_once() {
    let cluster = Cluster::start().await;
    let db = pool(cluster.server.connect_options()).await;
    let first = Node::start(cluster.server.connect_options()).await;
    let second = Node::start(cluster.server.connect_options()).await;
    let (conference, room) = public_panel(&db).await;
    let (_, ana_token) = member_user(&first.app, conference, "Ana", "attendee").await;
    let (_, bo_token) = member_user(&first.app, conference, "Bo", "attendee").await;
    let mut on_first = Client::connect(&first.app, &ana_token).await;
    let mut on_second = Client::connect(&second.app, &bo_token).await;
    let joined = on_first.subscribe(&room, None).await;
    let epoch = joined.last().unwrap()["epoch"].as_str().unwrap().to_owned();
    on_second.subscribe(&room, None).await;
    for n in 1..=3 {
        let ack = on_first
            .command(&room, "chat.send", json!({"body": format!("before {n}")}))
            .await;
        assert_eq!(ack["type"], "ack", "{ack}");
    }
    let mut seen_second = Vec::new();
    while seen_second.len() < 3 {
        seen_second.extend(seqs(&[on_second.recv().await]));
    }

    // A command caught mid-transaction by the crash.
    let holder = hold_room(&db, &room).await;
    let caught = send_stuck(&mut on_first, &room, "caught").await;
    cluster.server.crash().await.unwrap();
    drop(holder);
    let unavailable = Some("unavailable");
    let answer = on_first.answer(caught).await;
    assert_eq!(answer["code"].as_str(), unavailable, "{answer}");
    // Commands during the outage fail on both nodes, on the same sockets: retry them later.
    let during = Uuid::new_v4();
    let answer = on_first
        .command_with_id(during, &room, "chat.send", json!({"body": "during"}))
        .await;
    assert_eq!(
        (answer["code"].as_str(), answer["retryable"].as_bool()),
        (unavailable, Some(true)),
        "{answer}"
    );
    let answer = on_second
        .command(&room, "chat.send", json!({"body": "elsewhere"}))
        .await;
    assert_eq!(answer["code"].as_str(), unavailable, "{answer}");

    cluster.server.start_again().await.unwrap();
    until_acked(&mut on_first, caught, &room, "caught").await;
    let acked = until_acked(&mut on_first, during, &room, "during").await;
    let again = on_first
        .command_with_id(during, &room, "chat.send", json!({"body": "during"}))
        .await;
    assert_eq!(again, acked, "a retry is answered, not applied again");
    for (body, count) in [("caught", 1), ("during", 1), ("elsewhere", 0)] {
        assert_eq!(count_bodies(&db, body).await, count, "{body}");
    }
    // The other node's client got the new events on its old socket, right after the others.
    while seen_second.len() < 5 {
        seen_second.extend(seqs(&[on_second.recv().await]));
    }
    assert_eq!(seen_second, vec![1, 2, 3, 4, 5]);

    // Both nodes LISTEN again, and messages cross over faster than the 1 s sweep would.
    let listening = "select count(*) from pg_stat_activity where query like $1";
    until_count(&db, listening, "LISTEN %", 2, Duration::from_secs(10)).await;
    // The crash emptied the unlogged presence tables; the nodes write their rows again,
    // heartbeat first, as soon as they listen again (not at the next 5 s heartbeat).
    let present = "select count(distinct p.user_id) from presence p
                   join realtime_nodes n on n.id = p.node_id where p.room_id = $1";
    until_count(&db, present, &room, 2, Duration::from_millis(1500)).await;
    for n in 6..=10 {
        let started = Instant::now();
        on_second
            .command(&room, "chat.send", json!({"body": format!("after {n}")}))
            .await;
        loop {
            let message = on_first.recv().await;
            if message["type"] == "event" && message["seq"] == n {
                break;
            }
        }
        assert!(
            started.elapsed() < Duration::from_millis(500),
            "seq {n} took {:?} to cross",
            started.elapsed()
        );
    }

    // `pg_ctl restart -m immediate` while a client keeps writing: every command it sends is
    // retried with its id until acknowledged, and lands exactly once.
    let writing_room = room.clone();
    let writing = tokio::spawn(async move {
        for n in 0..20 {
            let body = format!("stream {n}");
            until_acked(&mut on_second, Uuid::new_v4(), &writing_room, &body).await;
        }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    cluster.server.crash().await.unwrap();
    cluster.server.start_again().await.unwrap();
    writing.await.unwrap();

    // Everything acknowledged is in the log once, in order, without a gap.
    let mut late = Client::connect(&second.app, &ana_token).await;
    let replay = late.resume(&room, Some(0), Some(&epoch)).await;
    assert_eq!(seqs(&replay), (1..=30).collect::<Vec<_>>());
    let bodies: Vec<&str> = replay
        .iter()
        .filter_map(|message| message["data"]["body"].as_str())
        .collect();
    assert_eq!(
        &bodies[..5],
        ["before 1", "before 2", "before 3", "caught", "during"]
    );
    let streamed: Vec<String> = (0..20).map(|n| format!("stream {n}")).collect();
    assert_eq!(&bodies[10..], streamed);
    assert_eq!(replay.last().unwrap()["recovered"], true);
}

#[sqlx::test(migrations = "../migrations")]
async fn clients_of_a_dead_node_resume_on_the_other_without_loss_or_duplicates(db: PgPool) {
    let survivor = spawn(db.clone()).await;
    let mut doomed = Node::start((*db.connect_options()).clone()).await;
    let (conference, room) = public_panel(&db).await;
    let (ana, ana_token) = user(&survivor, "Ana").await;
    let (bo, bo_token) = user(&survivor, "Bo").await;
    let (cy, cy_token) = user(&survivor, "Cy").await;
    for person in [ana, bo, cy] {
        member(&db, conference, person, "attendee").await;
    }
    let mut reader = Client::connect(&doomed.app, &ana_token).await;
    let joined = reader.subscribe(&room, None).await;
    let epoch = joined.last().unwrap()["epoch"].as_str().unwrap().to_owned();
    let mut dying_writer = Client::connect(&doomed.app, &bo_token).await;
    dying_writer.subscribe(&room, None).await;
    let mut writer = Client::connect(&survivor, &cy_token).await;
    writer.subscribe(&room, None).await;

    // The survivor's client keeps writing through the whole failure.
    let writing_room = room.clone();
    let writing = tokio::spawn(async move {
        for n in 0..40 {
            let ack = writer
                .command(
                    &writing_room,
                    "chat.send",
                    json!({"body": format!("cy {n}")}),
                )
                .await;
            assert_eq!(ack["type"], "ack", "{ack}");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    });
    let mut seen = Vec::new();
    while seen.len() < 10 {
        seen.extend(seqs(&[reader.recv().await]));
    }
    // A command in flight when the node dies: applied or not, its retry must apply it once.
    let id = Uuid::new_v4();
    dying_writer
        .send(
            json!({"type": "command", "id": id, "room": room, "name": "chat.send",
                     "data": {"body": "last words"}}),
        )
        .await;
    doomed.kill();
    while let Some(message) = reader.try_recv().await {
        seen.extend(seqs(&[message]));
    }

    let mut reader = Client::connect(&survivor, &ana_token).await;
    let resumed = reader
        .resume(&room, seen.last().copied(), Some(&epoch))
        .await;
    assert_eq!(resumed.last().unwrap()["recovered"], true, "{resumed:?}");
    seen.extend(seqs(&resumed));
    let mut retrying = Client::connect(&survivor, &bo_token).await;
    retrying.subscribe(&room, None).await;
    let retried = retrying
        .command_with_id(id, &room, "chat.send", json!({"body": "last words"}))
        .await;
    assert_eq!(retried["type"], "ack", "{retried}");
    writing.await.unwrap();

    // 40 from the survivor's writer and the dying writer's one.
    while seen.last() != Some(&41) {
        seen.extend(seqs(&[reader.recv().await]));
    }
    assert_eq!(seen, (1..=41).collect::<Vec<_>>());
    assert_eq!(count_bodies(&db, "last words").await, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_command_whose_connection_the_database_ends_is_unavailable_then_applied_once(db: PgPool) {
    let app = spawn(db.clone()).await;
    let (conference, room) = public_panel(&db).await;
    let (_, token) = member_user(&app, conference, "Ana", "attendee").await;
    let mut client = Client::connect(&app, &token).await;
    client.subscribe(&room, None).await;
    client
        .command(&room, "chat.send", json!({"body": "first"}))
        .await;
    // What a fast shutdown, an administrator or a failover does to a busy connection.
    let holder = hold_room(&db, &room).await;
    let id = send_stuck(&mut client, &room, "ended").await;
    let ended: Vec<bool> = sqlx::query_scalar(
        "select pg_terminate_backend(pid) from pg_stat_activity
         where datname = current_database() and wait_event_type = 'Lock'",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(ended, [true]);
    let answer = client.answer(id).await;
    assert_eq!(
        (answer["code"].as_str(), answer["retryable"].as_bool()),
        (Some("unavailable"), Some(true)),
        "{answer}"
    );
    holder.rollback().await.unwrap();
    let acked = until_acked(&mut client, id, &room, "ended").await;
    assert_eq!(acked["type"], "ack");
    assert_eq!(count_bodies(&db, "ended").await, 1);
    let replay = Client::connect(&app, &token)
        .await
        .subscribe(&room, Some(0))
        .await;
    assert_eq!(seqs(&replay), [1, 2]);
}

#[tokio::test]
async fn every_command_is_answered_in_time_while_the_database_is_away() {
    let cluster = Cluster::start().await;
    let db = pool(cluster.server.connect_options()).await;
    // Longer than the pool's wait for a connection (2 s here), as in production (8 s, 5 s).
    let answer_within = Duration::from_secs(3);
    let heartbeat = Heartbeat {
        answer_within,
        ..Heartbeat::default()
    };
    let node = Node::start_with_heartbeat(cluster.server.connect_options(), heartbeat).await;
    let (conference, room) = public_panel(&db).await;
    let (_, token) = member_user(&node.app, conference, "Ana", "attendee").await;
    let mut client = Client::connect(&node.app, &token).await;
    client.subscribe(&room, None).await;

    cluster.server.crash().await.unwrap();
    let sent: Vec<Uuid> = (0..8).map(|_| Uuid::new_v4()).collect();
    let started = Instant::now();
    for id in &sent {
        client
            .send(
                json!({"type": "command", "id": id, "room": room, "name": "chat.send",
                         "data": {"body": id}}),
            )
            .await;
    }
    // Each one is answered, retryable, while the database is still down: not one after the
    // other at the pool's pace (8 x 2 s), and not only when it comes back.
    let mut answered = Vec::new();
    while answered.len() < sent.len() {
        let answer = client.recv().await;
        assert_eq!(
            (
                answer["code"].as_str(),
                answer["retryable"].as_bool(),
                &answer["room"]
            ),
            (Some("unavailable"), Some(true), &json!(room)),
            "{answer}"
        );
        answered.push(answer["id"].as_str().unwrap().parse::<Uuid>().unwrap());
    }
    let waited = started.elapsed();
    assert!(
        waited < answer_within + Duration::from_secs(2),
        "the last answer took {waited:?}"
    );
    answered.sort();
    let mut expected = sent.clone();
    expected.sort();
    assert_eq!(answered, expected);

    // Retried once the database is back, each lands exactly once.
    cluster.server.start_again().await.unwrap();
    for id in &sent {
        until_acked(&mut client, *id, &room, &id.to_string()).await;
    }
    for id in &sent {
        assert_eq!(count_bodies(&db, &id.to_string()).await, 1);
    }
}

/// Polls `sql` (with one text parameter) until it counts `expected`; fails after `within`.
async fn until_count(db: &PgPool, sql: &str, parameter: &str, expected: i64, within: Duration) {
    let deadline = Instant::now() + within;
    loop {
        let count: i64 = sqlx::query_scalar(sql)
            .bind(parameter)
            .fetch_one(db)
            .await
            .unwrap();
        if count == expected {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{count} instead of {expected} after {within:?}: {sql}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
