//! The upgrade (origin, authentication), protocol errors, limits, heartbeat and logout.

use std::time::Duration;

use serde_json::json;
use sqlx::PgPool;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
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
    // Every error names the frame it answers: its command id and its room.
    let id = Uuid::new_v4();
    client
        .send(json!({"type": "command", "id": id, "room": "session:x", "name": 7}))
        .await;
    let error = client.recv().await;
    assert_eq!(
        (&error["code"], &error["id"], &error["room"]),
        (&json!("bad_request"), &json!(id), &json!("session:x"))
    );
    client
        .send(json!({"type": "subscribe", "room": "lobby:1"}))
        .await;
    let error = client.recv().await;
    assert_eq!(
        (&error["code"], &error["room"]),
        (&json!("not_found"), &json!("lobby:1"))
    );
    let answer = client
        .command_with_id(id, "lobby:1", "chat.send", json!({"body": "hi"}))
        .await;
    assert_eq!(
        (&answer["code"], &answer["room"]),
        (&json!("not_found"), &json!("lobby:1"))
    );
    let room = format!("session:{}", Uuid::new_v4());
    let answer = client
        .command_with_id(id, &room, "chat.send", json!({"body": "hi"}))
        .await;
    assert_eq!(
        (&answer["code"], &answer["room"]),
        (&json!("not_subscribed"), &json!(room))
    );
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
    let sent: Vec<Uuid> = (0..60).map(|_| Uuid::new_v4()).collect();
    for id in &sent {
        client
            .send(
                json!({"type": "command", "id": id, "room": room, "name": "notification.read_all"}),
            )
            .await;
    }
    // Each command is answered once, and each refusal names its command and room, so the
    // client knows exactly which ones to send again.
    let mut answered = Vec::new();
    let mut limited = 0;
    for _ in 0..60 {
        let message = client.recv().await;
        if message["code"] == "rate_limited" {
            limited += 1;
            assert_eq!(message["room"], json!(room), "{message}");
        }
        answered.push(message["id"].as_str().unwrap().parse::<Uuid>().unwrap());
    }
    answered.sort();
    let mut expected = sent.clone();
    expected.sort();
    assert_eq!(answered, expected);
    assert!((15..=21).contains(&limited), "{limited} of 60 were limited");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_tab_that_reconnects_subscribes_again_to_all_its_rooms_at_once(db: PgPool) {
    let app = spawn(db.clone()).await;
    let conference = conference(&db).await;
    let (_, token) = member_user(&app, conference, "Ana", "attendee").await;
    let mut rooms = Vec::new();
    for _ in 0..50 {
        rooms.push(format!(
            "session:{}",
            session(&db, conference, "public").await
        ));
    }
    // A few commands first, as a busy tab sends, then the burst of subscriptions.
    let mut client = Client::connect(&app, &token).await;
    for room in &rooms[..2] {
        client.subscribe(room, None).await;
        client
            .command(room, "chat.send", json!({"body": "hi"}))
            .await;
    }
    drop(client);
    let mut client = Client::connect(&app, &token).await;
    for room in &rooms {
        client
            .send(json!({"type": "subscribe", "room": room, "since": 0}))
            .await;
    }
    let mut subscribed = Vec::new();
    while subscribed.len() < rooms.len() {
        let message = client.recv().await;
        assert_ne!(message["type"], "error", "{message}");
        if message["type"] == "subscribed" {
            subscribed.push(message["room"].as_str().unwrap().to_owned());
        }
    }
    subscribed.sort();
    rooms.sort();
    assert_eq!(subscribed, rooms);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_client_that_closes_gets_the_close_frame_back(db: PgPool) {
    let app = spawn(db).await;
    let (_, token) = user(&app, "Ana").await;
    let mut client = Client::connect(&app, &token).await;
    client
        .send_raw(Message::Close(Some(CloseFrame {
            code: CloseCode::Normal,
            reason: "bye".into(),
        })))
        .await;
    assert_eq!(client.close_code(Duration::from_secs(2)).await, Some(1000));
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
        ..Heartbeat::default()
    };
    let app = spawn_with_heartbeat(db, heartbeat).await;
    let (_, token) = user(&app, "Ana").await;
    let mut answering = Client::connect(&app, &token).await;
    let (silent, answered) = tokio::join!(
        close_code_of_a_silent_socket(&app, &token),
        // Reading answers the server's pings (tungstenite sends the pongs).
        answering.close_code(Duration::from_millis(1500)),
    );
    assert_eq!(silent, Some(4009));
    assert_eq!(answered, None);
    assert_eq!(app.state.realtime.hub.connections.count(), 1);
    // The answering one is still served.
    answering
        .send(json!({"type": "unsubscribe", "room": "nonsense"}))
        .await;
    assert_eq!(answering.recv().await["code"], "not_found");
}

/// Opens a WebSocket by hand and never sends a byte after the upgrade, not even a pong;
/// returns the code of the close frame the server ends it with.
async fn close_code_of_a_silent_socket(app: &TestApp, token: &str) -> Option<u16> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let request = format!(
        "GET /ws HTTP/1.1\r\nhost: {}\r\nupgrade: websocket\r\nconnection: Upgrade\r\n\
         sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\nsec-websocket-version: 13\r\n\
         origin: {}\r\ncookie: viaduc_access={token}\r\n\r\n",
        app.addr,
        app.origin()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut bytes = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut bytes))
        .await
        .expect("the server never closed the silent socket")
        .unwrap();
    assert!(bytes.starts_with(b"HTTP/1.1 101"));
    let head_end = bytes.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    // Server frames are unmasked, and these are short: a 7-bit length after the opcode.
    let mut frames = &bytes[head_end..];
    while let [first, length, rest @ ..] = frames {
        let (payload, next) = rest.split_at(usize::from(*length).min(rest.len()));
        if first & 0x0f == 0x8 {
            return payload
                .get(..2)
                .map(|code| u16::from_be_bytes([code[0], code[1]]));
        }
        frames = next;
    }
    None
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
