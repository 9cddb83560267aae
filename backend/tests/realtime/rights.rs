//! Rights that follow changes live: a role changed, a session's people changed, a session
//! gone — each re-checked on every node within a second, without reconnecting.

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::*;

/// The roles named by the last `subscribed` among `messages`.
fn roles(messages: &[Value]) -> Vec<String> {
    let subscribed = messages
        .iter()
        .rev()
        .find(|message| message["type"] == "subscribed")
        .expect("a subscribed");
    let mut roles: Vec<String> = subscribed["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|role| role.as_str().unwrap().to_owned())
        .collect();
    roles.sort();
    roles
}

async fn set_role(app: &TestApp, conference: uuid::Uuid, who: uuid::Uuid, role: &str, by: &str) {
    let path = format!("/api/conferences/{conference}/members/{who}");
    let body = json!({ "role": role }).to_string();
    let response = raw_http(app, "PUT", &path, Some(by), Some(body)).await;
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_demoted_moderator_loses_moderator_commands_within_a_second_and_regains_them(db: PgPool) {
    let first = spawn(db.clone()).await;
    let second = spawn(db.clone()).await;
    let conference = conference(&db).await;
    let room = format!("session:{}", session(&db, conference, "public").await);
    let (_, olga_token) = member_user(&first, conference, "Olga", "organiser").await;
    let (mo, mo_token) = member_user(&first, conference, "Mo", "moderator").await;
    let (_, ana_token) = member_user(&first, conference, "Ana", "attendee").await;
    let mut ana = Client::connect(&first, &ana_token).await;
    ana.subscribe(&room, None).await;
    let sent = ana
        .command(&room, "chat.send", json!({"body": "first"}))
        .await;
    let message = sent["data"]["id"].clone();
    let mut mo_client = Client::connect(&second, &mo_token).await;
    assert_eq!(
        roles(&mo_client.subscribe(&room, None).await),
        ["moderator"]
    );

    let started = Instant::now();
    set_role(&first, conference, mo, "attendee", &olga_token).await;
    let answers = mo_client.recv_until("subscribed").await;
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(roles(&answers), ["attendee"]);
    let snapshot = answers
        .iter()
        .find(|answer| answer["type"] == "snapshot")
        .expect("a snapshot seen with the new rights");
    assert_eq!(snapshot["state"]["chat"].get("muted"), None);
    let refused = mo_client
        .command(&room, "chat.hide", json!({"id": message}))
        .await;
    assert_eq!(
        (refused["type"].as_str(), refused["code"].as_str()),
        (Some("error"), Some("forbidden"))
    );
    // Events keep flowing in order after the re-check.
    ana.command(&room, "chat.send", json!({"body": "second"}))
        .await;
    let next = mo_client.recv().await;
    assert_eq!(
        (next["name"].as_str(), next["data"]["body"].as_str()),
        (Some("chat.sent"), Some("second"))
    );

    set_role(&first, conference, mo, "moderator", &olga_token).await;
    let answers = mo_client.recv_until("subscribed").await;
    assert_eq!(roles(&answers), ["moderator"]);
    let hidden = mo_client
        .command(&room, "chat.hide", json!({"id": message}))
        .await;
    assert_eq!(hidden["type"], "ack", "{hidden}");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_session_role_gives_its_rights_at_once_and_a_deleted_session_closes_its_room(db: PgPool) {
    let app = spawn(db.clone()).await;
    let conference = conference(&db).await;
    let session_id = session(&db, conference, "public").await;
    let room = format!("session:{session_id}");
    let (_, olga_token) = member_user(&app, conference, "Olga", "organiser").await;
    let (ana, ana_token) = member_user(&app, conference, "Ana", "attendee").await;
    let mut ana_client = Client::connect(&app, &ana_token).await;
    assert_eq!(
        roles(&ana_client.subscribe(&room, None).await),
        ["attendee"]
    );

    let path = format!("/api/conferences/{conference}/sessions/{session_id}/people");
    let people = json!([{ "user_id": ana, "role": "facilitator" }]).to_string();
    let response = raw_http(&app, "PUT", &path, Some(&olga_token), Some(people)).await;
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    let answers = ana_client.recv_until("subscribed").await;
    assert_eq!(roles(&answers), ["attendee", "facilitator", "moderator"]);
    let slow = ana_client
        .command(&room, "chat.slow_mode", json!({"seconds": 10}))
        .await;
    assert_eq!(slow["type"], "ack", "{slow}");

    let path = format!("/api/conferences/{conference}/sessions/{session_id}");
    assert_eq!(http_status(&app, "DELETE", &path, &olga_token).await, 204);
    // The slow-mode event may come before or after its ack: skip events.
    let mut ended = ana_client.recv().await;
    while ended["type"] == "event" {
        ended = ana_client.recv().await;
    }
    assert_eq!(
        (
            ended["type"].as_str(),
            ended["room"].as_str(),
            ended["code"].as_str()
        ),
        (Some("error"), Some(room.as_str()), Some("forbidden"))
    );
}
