//! Losing access: someone removed from a conference loses its rooms on every node, and
//! keeps the rest of their connection.

use std::time::{Duration, Instant};

use serde_json::json;
use sqlx::PgPool;
use viaduc::private_rooms;

use crate::helpers::*;

#[sqlx::test(migrations = "../migrations")]
async fn a_removed_member_loses_the_conference_rooms_on_every_node_within_a_second(db: PgPool) {
    let first = spawn(db.clone()).await;
    let second = spawn(db.clone()).await;
    let conference = conference(&db).await;
    let session = format!("session:{}", session(&db, conference, "public").await);
    let lobby = format!("conference:{conference}");
    let (_, olga_token) = member_user(&first, conference, "Olga", "organiser").await;
    let (ana, ana_token) = member_user(&first, conference, "Ana", "attendee").await;
    let (bo, bo_token) = member_user(&first, conference, "Bo", "attendee").await;
    let pair = {
        let mut tx = db.begin().await.unwrap();
        let room = private_rooms::create(&mut tx, conference, "networking", &[ana, bo])
            .await
            .unwrap();
        tx.commit().await.unwrap();
        room.to_string()
    };
    let own = format!("user:{ana}");
    let mut ana_client = Client::connect(&second, &ana_token).await;
    for room in [&session, &lobby, &pair, &own] {
        assert_eq!(
            ana_client.subscribe(room, None).await.last().unwrap()["type"],
            "subscribed"
        );
    }
    let mut olga_client = Client::connect(&first, &olga_token).await;
    olga_client.subscribe(&session, None).await;
    let mut bo_client = Client::connect(&second, &bo_token).await;
    bo_client.subscribe(&session, None).await;

    let started = Instant::now();
    let path = format!("/api/conferences/{conference}/members/{ana}");
    assert_eq!(http_status(&first, "DELETE", &path, &olga_token).await, 204);
    let mut ended = Vec::new();
    while ended.len() < 3 {
        let message = ana_client.recv().await;
        assert_eq!(
            (
                message["type"].as_str(),
                message["code"].as_str(),
                message["retryable"].as_bool()
            ),
            (Some("error"), Some("forbidden"), Some(false)),
            "{message}"
        );
        ended.push(message["room"].as_str().unwrap().to_owned());
    }
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "took {:?}",
        started.elapsed()
    );
    ended.sort();
    let mut expected = vec![session.clone(), lobby.clone(), pair.clone()];
    expected.sort();
    assert_eq!(ended, expected);

    // The socket stays open: the person's own room still answers.
    let read = ana_client
        .command(&own, "notification.read_all", json!({}))
        .await;
    assert_eq!(read["type"], "ack", "{read}");
    let refused = ana_client
        .command(&session, "chat.send", json!({"body": "still there?"}))
        .await;
    assert_eq!(refused["code"], "not_subscribed");
    for room in [&session, &lobby, &pair] {
        ana_client
            .send(json!({"type": "subscribe", "room": room}))
            .await;
        let again = ana_client.recv().await;
        assert_eq!(again["code"], "not_found", "{room}: {again}");
    }
    // The others keep talking, across nodes.
    let sent = bo_client
        .command(&session, "chat.send", json!({"body": "still here"}))
        .await;
    assert_eq!(sent["type"], "ack", "{sent}");
    let event = olga_client.recv().await;
    assert_eq!(event["data"]["body"], "still here");
}
