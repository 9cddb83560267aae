//! The upgrade (origin, authentication), protocol errors, limits, heartbeat and logout.

use std::time::Duration;

use serde_json::json;
use sqlx::PgPool;
use tokio_tungstenite::tungstenite::{Error, Message};
use uuid::Uuid;
use viaduc::realtime::Heartbeat;

use crate::helpers::*;

#[sqlx::test(migrations = "../migrations")]
async fn a_foreign_origin_or_no_login_is_refused_before_the_upgrade(db: PgPool) {
    let app = spawn(db).await;
    let (_, token) = user(&app, "Ana").await;
    match Client::try_connect(&app, &token, "https://evil.example").await {
        Err(Error::Http(response)) => assert_eq!(response.status(), 403),
        other => panic!("expected 403, got {:?}", other.map(|_| ())),
    }
    match Client::try_connect(&app, "not-a-token", &app.origin()).await {
        Err(Error::Http(response)) => assert_eq!(response.status(), 401),
        other => panic!("expected 401, got {:?}", other.map(|_| ())),
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_frames_get_coded_errors_and_binary_closes(db: PgPool) {
    let app = spawn(db).await;
    let (_, token) = user(&app, "Ana").await;
    let mut client = Client::connect(&app, &token).await;
    client.send_raw(Message::text("{not json")).await;
    let error = client.recv().await;
    assert_eq!(
        (error["type"].as_str(), error["code"].as_str()),
        (Some("error"), Some("bad_request"))
    );
    client
        .send(json!({"type": "subscribe", "room": "lobby:1"}))
        .await;
    assert_eq!(client.recv().await["code"], "not_found");
    let id = Uuid::new_v4();
    let room = format!("session:{}", Uuid::new_v4());
    let answer = client
        .command_with_id(id, &room, "chat.send", json!({"body": "hi"}))
        .await;
    assert_eq!(answer["code"], "not_subscribed");
    client.send_raw(Message::binary(vec![1, 2, 3])).await;
    assert_eq!(client.close_code(Duration::from_secs(2)).await, Some(1003));
}

#[sqlx::test(migrations = "../migrations")]
async fn commands_beyond_the_token_bucket_are_rate_limited(db: PgPool) {
    let app = spawn(db).await;
    let (id, token) = user(&app, "Ana").await;
    let mut client = Client::connect(&app, &token).await;
    let room = format!("user:{id}");
    client.subscribe(&room, None).await;
    for _ in 0..60 {
        client
            .send(json!({"type": "command", "id": Uuid::new_v4(), "room": room, "name": "notification.read_all"}))
            .await;
    }
    let mut limited = 0;
    for _ in 0..60 {
        let message = client.recv().await;
        if message["code"] == "rate_limited" {
            limited += 1;
        }
    }
    assert!((15..=21).contains(&limited), "{limited} of 60 were limited");
}

#[sqlx::test(migrations = "../migrations")]
async fn logging_out_closes_the_sockets_of_that_login_within_a_second(db: PgPool) {
    let app = spawn(db).await;
    let http = reqwest_like_signup(&app).await;
    let mut client = Client::connect(&app, &http).await;
    let started = std::time::Instant::now();
    let status = http_status(&app, "POST", "/api/auth/logout", &http).await;
    assert_eq!(status, 204);
    assert_eq!(
        client.close_code(Duration::from_millis(1500)).await,
        Some(4001)
    );
    assert!(started.elapsed() < Duration::from_millis(1500));
    // The revoked login cannot open a new socket either.
    assert!(Client::try_connect(&app, &http, &app.origin())
        .await
        .is_err());
}

#[sqlx::test(migrations = "../migrations")]
async fn clients_that_answer_pings_stay_and_silent_ones_are_closed_as_idle(db: PgPool) {
    let heartbeat = Heartbeat {
        ping_every: Duration::from_millis(200),
        idle_timeout: Duration::from_millis(500),
    };
    let app = spawn_with_heartbeat(db, heartbeat).await;
    let (_, token) = user(&app, "Ana").await;
    let mut answering = Client::connect(&app, &token).await;
    let mut silent = Client::connect(&app, &token).await;
    assert_eq!(app.state.realtime.hub.connections.count(), 2);
    // Reading answers the server's pings (tungstenite sends the pongs).
    assert_eq!(
        answering.close_code(Duration::from_millis(1500)).await,
        None
    );
    // The silent client read nothing meanwhile: the server gave up on it. (Its close code,
    // 4009, cannot be read here: reading the pings before it makes the client answer a
    // closed socket, which resets the connection.)
    assert_eq!(app.state.realtime.hub.connections.count(), 1);
    assert_eq!(silent.close_code(Duration::from_millis(500)).await, None);
    // The answering one is still served.
    answering
        .send(json!({"type": "unsubscribe", "room": "nonsense"}))
        .await;
    assert_eq!(answering.recv().await["code"], "not_found");
}

/// Signs up through the API and returns the access token from the cookie.
async fn reqwest_like_signup(app: &TestApp) -> String {
    let body = json!({"email": "ana@example.eu", "password": "a long enough passphrase 42", "display_name": "Ana"});
    let response = raw_http(
        app,
        "POST",
        "/api/auth/signup",
        None,
        Some(body.to_string()),
    )
    .await;
    assert!(response.starts_with("HTTP/1.1 201"), "{response}");
    response
        .lines()
        .find_map(|line| line.strip_prefix("set-cookie: viaduc_access="))
        .and_then(|rest| rest.split(';').next())
        .unwrap()
        .to_owned()
}
