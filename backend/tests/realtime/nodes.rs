//! Two nodes on one database behave as one: messages and presence cross over.

use std::time::Duration;

use serde_json::json;
use sqlx::PgPool;

use crate::helpers::*;

#[sqlx::test(migrations = "../migrations")]
async fn a_client_on_each_node_sees_the_others_messages_in_order(db: PgPool) {
    let first = spawn(db.clone()).await;
    let second = spawn(db.clone()).await;
    let (conference, room) = public_panel(&db).await;
    let (_, ana_token) = member_user(&first, conference, "Ana", "attendee").await;
    let (_, bo_token) = member_user(&first, conference, "Bo", "attendee").await;
    let mut on_first = Client::connect(&first, &ana_token).await;
    let mut on_second = Client::connect(&second, &bo_token).await;
    on_first.subscribe(&room, None).await;
    on_second.subscribe(&room, None).await;

    let started = std::time::Instant::now();
    on_first
        .command(&room, "chat.send", json!({"body": "from the first node"}))
        .await;
    let event = on_second.recv().await;
    assert_eq!(
        (event["seq"].as_i64(), event["data"]["body"].as_str()),
        (Some(1), Some("from the first node"))
    );
    assert!(started.elapsed() < Duration::from_millis(500));
    for n in 0..10 {
        let (client, body) = if n % 2 == 0 {
            (&mut on_second, "second")
        } else {
            (&mut on_first, "first")
        };
        // Not waiting for the ack here: the events are counted below.
        let id = uuid::Uuid::new_v4();
        let command = json!({"type": "command", "id": id, "room": room, "name": "chat.send", "data": {"body": body}});
        client.send(command).await;
    }
    let mut seen_first = Vec::new();
    let mut seen_second = Vec::new();
    while seen_first.last() != Some(&11) {
        seen_first.extend(seqs(&[on_first.recv().await]));
    }
    while seen_second.last() != Some(&11) {
        seen_second.extend(seqs(&[on_second.recv().await]));
    }
    // The first node's own seq 1 may arrive after its ack.
    seen_first.retain(|seq| *seq > 1);
    assert_eq!(seen_first, (2..=11).collect::<Vec<_>>());
    assert_eq!(seen_second, (2..=11).collect::<Vec<_>>());
}

#[sqlx::test(migrations = "../migrations")]
async fn presence_counts_people_on_every_node(db: PgPool) {
    let first = spawn(db.clone()).await;
    let second = spawn(db.clone()).await;
    let (conference, room) = public_panel(&db).await;
    let (_, ana_token) = member_user(&first, conference, "Ana", "attendee").await;
    let (_, bo_token) = member_user(&first, conference, "Bo", "moderator").await;
    let mut on_first = Client::connect(&first, &ana_token).await;
    on_first.subscribe(&room, None).await;
    let mut on_second = Client::connect(&second, &bo_token).await;
    on_second.subscribe(&room, None).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let count = first.state.realtime.hub.presence(room.parse().unwrap());
        if count == Some(2) && second.state.realtime.hub.presence(room.parse().unwrap()) == Some(2)
        {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "presence stuck at {count:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let people = on_second.command(&room, "presence.list", json!({})).await;
    assert_eq!(people["data"]["count"], 2);
    on_first.close().await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while second.state.realtime.hub.presence(room.parse().unwrap()) != Some(1) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the leave did not cross nodes"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
