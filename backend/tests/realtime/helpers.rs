//! Test helpers: a real server on port 0, fixtures, and a WebSocket client.

use std::net::SocketAddr;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use sqlx::PgPool;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use uuid::Uuid;
use viaduc::http::Site;
use viaduc::realtime::feature::Features;
use viaduc::realtime::Heartbeat;
use viaduc::{AppState, Settings};

pub struct TestApp {
    pub addr: SocketAddr,
    pub state: AppState,
}

impl TestApp {
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// Starts a node on `db`; several calls on one database make several nodes.
pub async fn spawn(db: PgPool) -> TestApp {
    spawn_with_heartbeat(db, Heartbeat::default()).await
}

/// Starts a node that pings and times out idle sockets as `heartbeat` says.
pub async fn spawn_with_heartbeat(db: PgPool, heartbeat: Heartbeat) -> TestApp {
    spawn_with(db, |settings| settings.heartbeat = heartbeat).await
}

/// Starts a node whose settings `configure` adjusts (the defaults are a test node's).
pub async fn spawn_with(db: PgPool, configure: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_node(db, configure, viaduc::state::live_features(&[])).await
}

/// Starts a node serving `features`, with settings as `configure` adjusts them.
pub async fn spawn_node(
    db: PgPool,
    configure: impl FnOnce(&mut Settings),
    features: Features,
) -> TestApp {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut settings = Settings {
        site: Site {
            public_url: format!("http://{addr}"),
            secure_cookies: false,
            trust_proxy: false,
            embed_origins: Vec::new(),
        },
        heartbeat: Heartbeat::default(),
        metrics_token: None,
    };
    configure(&mut settings);
    let secret = b"a test secret that is long enough!!";
    let state = AppState::with_features(db, secret, settings, features);
    let app = viaduc::app(state.clone());
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    TestApp { addr, state }
}

/// A user and an access token for them.
pub async fn user(app: &TestApp, name: &str) -> (Uuid, String) {
    let id = Uuid::new_v4();
    sqlx::query(
        "insert into users (id, email, display_name, password_hash) values ($1, $2, $3, 'x')",
    )
    .bind(id)
    .bind(format!("{id}@example.eu"))
    .bind(name)
    .execute(&app.state.db)
    .await
    .unwrap();
    let token = app.state.keys.issue(id, Uuid::new_v4()).unwrap();
    (id, token)
}

pub async fn conference(db: &PgPool) -> Uuid {
    let id = Uuid::new_v4();
    sqlx::query(
        "insert into conferences (id, slug, title, starts_on, ends_on, time_zone, languages)
         values ($1, $2, '{\"en\":\"ECC\"}', '2026-05-01', '2026-05-02', 'Europe/Brussels', '{en}')",
    )
    .bind(id)
    .bind(id.to_string())
    .execute(db)
    .await
    .unwrap();
    id
}

/// A conference with one public panel: the conference and the panel's room.
pub async fn public_panel(db: &PgPool) -> (Uuid, String) {
    let conference = conference(db).await;
    let room = format!("session:{}", session(db, conference, "public").await);
    (conference, room)
}

/// A user who is a member of `conference` with `role`, and an access token for them.
pub async fn member_user(
    app: &TestApp,
    conference: Uuid,
    name: &str,
    role: &str,
) -> (Uuid, String) {
    let (id, token) = user(app, name).await;
    member(&app.state.db, conference, id, role).await;
    (id, token)
}

pub async fn member(db: &PgPool, conference: Uuid, user: Uuid, role: &str) {
    sqlx::query(&format!(
        "insert into conference_members (conference_id, user_id, role) values ($1, $2, '{role}')"
    ))
    .bind(conference)
    .bind(user)
    .execute(db)
    .await
    .unwrap();
}

pub async fn session(db: &PgPool, conference: Uuid, visibility: &str) -> Uuid {
    let id = Uuid::new_v4();
    sqlx::query(&format!(
        "insert into sessions (id, conference_id, kind, title, starts_at, ends_at, visibility)
         values ($1, $2, 'panel', '{{\"en\":\"Panel\"}}', now(), now() + interval '1 hour', '{visibility}')"
    ))
    .bind(id)
    .bind(conference)
    .execute(db)
    .await
    .unwrap();
    id
}

pub struct Client {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

const WAIT: Duration = Duration::from_secs(5);

impl Client {
    pub async fn connect(app: &TestApp, token: &str) -> Client {
        Client::try_connect(app, token, &app.origin())
            .await
            .unwrap()
    }

    pub async fn try_connect(
        app: &TestApp,
        token: &str,
        origin: &str,
    ) -> Result<Client, tokio_tungstenite::tungstenite::Error> {
        let mut request = format!("ws://{}/ws", app.addr)
            .into_client_request()
            .unwrap();
        request
            .headers_mut()
            .insert("cookie", format!("viaduc_access={token}").parse().unwrap());
        request
            .headers_mut()
            .insert("origin", origin.parse().unwrap());
        let (ws, _) = tokio_tungstenite::connect_async(request).await?;
        Ok(Client { ws })
    }

    pub async fn send(&mut self, message: Value) {
        self.ws
            .send(Message::text(message.to_string()))
            .await
            .unwrap();
    }

    pub async fn send_raw(&mut self, message: Message) {
        self.ws.send(message).await.unwrap();
    }

    /// The next JSON message (skipping presence updates).
    pub async fn recv(&mut self) -> Value {
        self.try_recv().await.expect("the connection ended")
    }

    /// The next JSON message (skipping presence updates), or `None` once the connection has
    /// ended (a close frame, or the server gone without one).
    pub async fn try_recv(&mut self) -> Option<Value> {
        loop {
            let message = tokio::time::timeout(WAIT, self.ws.next())
                .await
                .expect("timed out waiting for a message");
            match message {
                Some(Ok(Message::Text(text))) => {
                    let value: Value = serde_json::from_str(&text).unwrap();
                    if value["type"] != "presence" {
                        return Some(value);
                    }
                }
                Some(Ok(Message::Close(_)) | Err(_)) | None => return None,
                Some(Ok(_)) => {}
            }
        }
    }

    /// Messages up to and including the first one of `kind`.
    pub async fn recv_until(&mut self, kind: &str) -> Vec<Value> {
        let mut seen = Vec::new();
        loop {
            let message = self.recv().await;
            let done = message["type"] == kind;
            seen.push(message);
            if done {
                return seen;
            }
        }
    }

    /// Subscribes and returns what came before and with `subscribed`.
    pub async fn subscribe(&mut self, room: &str, since: Option<i64>) -> Vec<Value> {
        self.resume(room, since, None).await
    }

    /// Subscribes from what a reconnecting client remembers: the last seq and its epoch.
    pub async fn resume(
        &mut self,
        room: &str,
        since: Option<i64>,
        epoch: Option<&str>,
    ) -> Vec<Value> {
        self.send(json!({"type": "subscribe", "room": room, "since": since, "epoch": epoch}))
            .await;
        self.recv_until("subscribed").await
    }

    /// Sends a command and waits for its answer (ack or error), skipping events.
    pub async fn command_with_id(
        &mut self,
        id: Uuid,
        room: &str,
        name: &str,
        data: Value,
    ) -> Value {
        self.send(json!({"type": "command", "id": id, "room": room, "name": name, "data": data}))
            .await;
        self.answer(id).await
    }

    /// The answer (ack or error) to command `id`, skipping events.
    pub async fn answer(&mut self, id: Uuid) -> Value {
        loop {
            let message = self.recv().await;
            if (message["type"] == "ack" || message["type"] == "error")
                && message["id"] == json!(id)
            {
                return message;
            }
        }
    }

    pub async fn command(&mut self, room: &str, name: &str, data: Value) -> Value {
        self.command_with_id(Uuid::new_v4(), room, name, data).await
    }

    /// The close code the server sent, waiting at most `within`.
    pub async fn close_code(&mut self, within: Duration) -> Option<u16> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            match tokio::time::timeout_at(deadline, self.ws.next()).await {
                Ok(Some(Ok(Message::Close(frame)))) => return frame.map(|f| f.code.into()),
                Ok(Some(Ok(_))) => continue,
                _ => return None,
            }
        }
    }

    pub async fn close(mut self) {
        let _ = self.ws.close(None).await;
    }
}

/// The status of an authenticated request without a body.
pub async fn http_status(app: &TestApp, method: &str, path: &str, token: &str) -> u16 {
    let response = raw_http(app, method, path, Some(token), None).await;
    response[9..12].parse().unwrap()
}

/// A minimal HTTP/1.1 exchange (the tests need no HTTP client crate), logged in with
/// `token` as a browser is (the access cookie).
pub async fn raw_http(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<String>,
) -> String {
    let cookie = token
        .map(|t| format!("cookie: viaduc_access={t}\r\n"))
        .unwrap_or_default();
    raw_http_with_headers(app, method, path, &cookie, body).await
}

/// [`raw_http`] with `headers` (each line ending in `\r\n`) instead of the cookie.
pub async fn raw_http_with_headers(
    app: &TestApp,
    method: &str,
    path: &str,
    headers: &str,
    body: Option<String>,
) -> String {
    let request = http_request(app.addr, method, path, headers, &body.unwrap_or_default());
    try_http(app.addr, &request).await.unwrap()
}

/// The text of an HTTP/1.1 request to `addr`, the connection closed after the answer.
pub fn http_request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &str,
    body: &str,
) -> String {
    format!(
        "{method} {path} HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\n{headers}content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// Sends `request` to `addr` and reads the whole answer; a server that is down, or that
/// dies mid-answer, is an error rather than a panic (the fault tests retry).
pub async fn try_http(addr: SocketAddr, request: &str) -> std::io::Result<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = TcpStream::connect(addr).await?;
    stream.write_all(request.as_bytes()).await?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await?;
    Ok(response)
}

/// Seqs of the `event` messages among `messages`.
pub fn seqs(messages: &[Value]) -> Vec<i64> {
    messages
        .iter()
        .filter(|message| message["type"] == "event")
        .map(|message| message["seq"].as_i64().unwrap())
        .collect()
}

/// Feature `feature`'s part of the snapshot among `messages`.
pub fn snapshot_part(messages: &[Value], feature: &str) -> Value {
    let snapshot = messages
        .iter()
        .find(|message| message["type"] == "snapshot")
        .expect("a snapshot");
    snapshot["state"][feature].clone()
}

/// The backstage of session room `room` (`session:<id>` → `backstage:<id>`).
pub fn backstage_of(room: &str) -> String {
    room.replacen("session:", "backstage:", 1)
}

/// The data of the next event named `name`, skipping other messages.
pub async fn next_event(client: &mut Client, name: &str) -> Value {
    loop {
        let message = client.recv().await;
        if message["type"] == "event" && message["name"] == name {
            return message["data"].clone();
        }
    }
}

/// An answer's type and error code (`("ack", "")` for an ack).
pub fn error_code(answer: &Value) -> (&str, &str) {
    (
        answer["type"].as_str().unwrap_or_default(),
        answer["code"].as_str().unwrap_or_default(),
    )
}
