//! Durable events: order, replay after a drop, snapshots, and commands applied once.

use serde_json::json;
use sqlx::PgPool;
use tokio_tungstenite::tungstenite::Message;
use uuid::Uuid;

use crate::helpers::*;

async fn panel(app: &TestApp) -> (String, String, String) {
    let conference = conference(&app.state.db).await;
    let session = session(&app.state.db, conference, "public").await;
    let (ana, ana_token) = user(app, "Ana").await;
    let (bo, bo_token) = user(app, "Bo").await;
    member(&app.state.db, conference, ana, "attendee").await;
    member(&app.state.db, conference, bo, "attendee").await;
    (format!("session:{session}"), ana_token, bo_token)
}

#[sqlx::test(migrations = "../migrations")]
async fn a_client_dropped_mid_stream_resumes_without_gap_or_duplicate(db: PgPool) {
    let app = spawn(db).await;
    let (room, ana_token, bo_token) = panel(&app).await;
    let mut sender = Client::connect(&app, &bo_token).await;
    sender.subscribe(&room, None).await;
    let mut reader = Client::connect(&app, &ana_token).await;
    let first = reader.subscribe(&room, None).await;
    assert_eq!(first[0]["type"], "snapshot");
    assert_eq!(first.last().unwrap()["recovered"], false);

    for n in 1..=5 {
        let ack = sender
            .command(&room, "chat.send", json!({"body": format!("m{n}")}))
            .await;
        assert_eq!(ack["type"], "ack", "{ack}");
    }
    let mut seen = Vec::new();
    while seen.len() < 2 {
        seen.extend(seqs(&[reader.recv().await]));
    }
    assert_eq!(seen, vec![1, 2]);
    drop(reader); // the network goes away, no close frame

    for n in 6..=8 {
        sender
            .command(&room, "chat.send", json!({"body": format!("m{n}")}))
            .await;
    }
    let mut reader = Client::connect(&app, &ana_token).await;
    let resumed = reader.subscribe(&room, Some(2)).await;
    assert_eq!(seqs(&resumed), vec![3, 4, 5, 6, 7, 8]);
    let bodies: Vec<&str> = resumed
        .iter()
        .filter_map(|m| m["data"]["body"].as_str())
        .collect();
    assert_eq!(bodies, vec!["m3", "m4", "m5", "m6", "m7", "m8"]);
    assert_eq!(resumed.last().unwrap()["recovered"], true);
    assert_eq!(resumed.last().unwrap()["seq"], 8);

    sender
        .command(&room, "chat.send", json!({"body": "m9"}))
        .await;
    assert_eq!(seqs(&[reader.recv().await]), vec![9]);
}

#[sqlx::test(migrations = "../migrations")]
async fn live_events_during_a_replay_are_neither_lost_nor_duplicated(db: PgPool) {
    let app = spawn(db).await;
    let (room, ana_token, bo_token) = panel(&app).await;
    let mut sender = Client::connect(&app, &bo_token).await;
    sender.subscribe(&room, None).await;
    for n in 0..30 {
        sender
            .command(&room, "chat.send", json!({"body": format!("early {n}")}))
            .await;
    }
    // Subscribe from 0 while the sender keeps writing: the replay and the live stream overlap.
    let writer_room = room.clone();
    let writer = tokio::spawn(async move {
        for n in 0..20 {
            sender
                .command(
                    &writer_room,
                    "chat.send",
                    json!({"body": format!("late {n}")}),
                )
                .await;
        }
    });
    let mut reader = Client::connect(&app, &ana_token).await;
    let mut messages = reader.subscribe(&room, Some(0)).await;
    writer.await.unwrap();
    while seqs(&messages).last() != Some(&50) {
        messages.push(reader.recv().await);
    }
    assert_eq!(seqs(&messages), (1..=50).collect::<Vec<_>>());
}

#[sqlx::test(migrations = "../migrations")]
async fn a_command_retried_after_a_drop_is_applied_once(db: PgPool) {
    let app = spawn(db).await;
    let (room, ana_token, _) = panel(&app).await;
    let id = Uuid::new_v4();
    let mut client = Client::connect(&app, &ana_token).await;
    client.subscribe(&room, None).await;
    let first = client
        .command_with_id(id, &room, "chat.send", json!({"body": "once"}))
        .await;
    drop(client);
    let mut client = Client::connect(&app, &ana_token).await;
    let replay = client.subscribe(&room, Some(0)).await;
    assert_eq!(seqs(&replay), vec![1]);
    let retry = client
        .command_with_id(id, &room, "chat.send", json!({"body": "once"}))
        .await;
    assert_eq!(first["type"], "ack");
    assert_eq!(retry["data"], first["data"]);
    let count: i64 = sqlx::query_scalar("select count(*) from chat_messages")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(count, 1);
    // The same id for a different command, or the same command with another body, is a
    // conflict, not a silent success; the same body written otherwise is the same command.
    let reused = client
        .command_with_id(id, &room, "chat.delete", json!({"id": Uuid::new_v4()}))
        .await;
    assert_eq!(reused["code"], "conflict");
    let other_body = client
        .command_with_id(id, &room, "chat.send", json!({"body": "twice"}))
        .await;
    assert_eq!(other_body["code"], "conflict", "{other_body}");
    client
        .send_raw(Message::text(format!(
            r#"{{"type":"command","id":"{id}","room":"{room}","name":"chat.send","data":{{ "body" : "once" }}}}"#
        )))
        .await;
    assert_eq!(client.answer(id).await["data"], first["data"]);
}

#[sqlx::test(migrations = "../migrations")]
async fn too_far_behind_or_another_epoch_gets_a_snapshot(db: PgPool) {
    let app = spawn(db).await;
    let (room, ana_token, _) = panel(&app).await;
    let mut client = Client::connect(&app, &ana_token).await;
    client.subscribe(&room, None).await;
    client
        .command(&room, "chat.send", json!({"body": "hello"}))
        .await;
    let mut late = Client::connect(&app, &ana_token).await;
    late.send(json!({"type": "subscribe", "room": room, "since": 0, "epoch": Uuid::new_v4()}))
        .await;
    let answer = late.recv_until("subscribed").await;
    assert_eq!(answer[0]["type"], "snapshot");
    assert_eq!(answer[0]["seq"], 1);
    assert_eq!(answer[0]["state"]["chat"]["messages"][0]["body"], "hello");
    assert_eq!(answer.last().unwrap()["recovered"], false);
}

#[sqlx::test(migrations = "../migrations")]
async fn pruning_keeps_the_replay_window_and_recent_commands(db: PgPool) {
    let app = spawn(db.clone()).await;
    let (room, ana_token, _) = panel(&app).await;
    // 1,010 events written two days ago, and two command results: one old, one fresh.
    sqlx::query("insert into rooms (id, last_seq) values ($1, 1010)")
        .bind(&room)
        .execute(&db)
        .await
        .unwrap();
    sqlx::query(
        "insert into room_events (room_id, seq, name, data, created_at)
         select $1, seq, 'chat.sent', '{}', now() - interval '2 days'
         from generate_series(1, 1010) seq",
    )
    .bind(&room)
    .execute(&db)
    .await
    .unwrap();
    let ana: Uuid = sqlx::query_scalar("select id from users where display_name = 'Ana'")
        .fetch_one(&db)
        .await
        .unwrap();
    sqlx::query(
        "insert into commands (user_id, id, room_id, name, created_at)
         values ($1, gen_random_uuid(), $2, 'chat.send', now() - interval '2 days'),
                ($1, gen_random_uuid(), $2, 'chat.send', now())",
    )
    .bind(ana)
    .bind(&room)
    .execute(&db)
    .await
    .unwrap();

    let pruned = viaduc::realtime::log::prune(&db).await.unwrap();
    assert_eq!(pruned, (10, 1));
    let oldest: i64 = sqlx::query_scalar("select min(seq) from room_events where room_id = $1")
        .bind(&room)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(oldest, 11);
    // A client 1,000 events behind is still replayed, not sent a snapshot.
    let mut client = Client::connect(&app, &ana_token).await;
    let epoch: Uuid = sqlx::query_scalar("select epoch from rooms where id = $1")
        .bind(&room)
        .fetch_one(&db)
        .await
        .unwrap();
    client
        .send(json!({"type": "subscribe", "room": room, "since": 10, "epoch": epoch}))
        .await;
    let answer = client.recv_until("subscribed").await;
    let replayed = seqs(&answer);
    assert_eq!(replayed.first(), Some(&11));
    assert_eq!(replayed.len(), 1000);
    assert_eq!(answer.last().unwrap()["recovered"], true);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_room_subscribed_twice_at_once_stays_live(db: PgPool) {
    // Parts of one page (the chat and the session's announcements) listen to one room: the
    // browser sends the next subscribe before the first is answered.
    let app = spawn(db).await;
    let (room, ana_token, bo_token) = panel(&app).await;
    let mut reader = Client::connect(&app, &ana_token).await;
    for _ in 0..3 {
        reader
            .send(json!({"type": "subscribe", "room": room}))
            .await;
    }
    for _ in 0..3 {
        let subscribed = reader.recv_until("subscribed").await;
        assert_eq!(subscribed.last().unwrap()["room"], room.as_str());
    }

    let mut sender = Client::connect(&app, &bo_token).await;
    sender.subscribe(&room, None).await;
    let ack = sender
        .command(&room, "chat.send", json!({"body": "still here?"}))
        .await;
    assert_eq!(ack["type"], "ack", "{ack}");
    let event = reader.recv().await;
    assert_eq!(
        (event["seq"].as_i64(), event["data"]["body"].as_str()),
        (Some(1), Some("still here?"))
    );
}
