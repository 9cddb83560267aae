//! Outages on purpose: a node that dies like a crashed process, a private PostgreSQL
//! cluster that can crash and come back (the shared server must not be restarted), and
//! commands caught in them.

use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, PgPool, Postgres, Transaction};
use tempfile::TempDir;
use tokio::runtime::Runtime;
use uuid::Uuid;
use viaduc::db::embedded::EmbeddedPostgres;
use viaduc::realtime::Heartbeat;

use crate::helpers::{spawn_with_heartbeat, Client, TestApp};

/// A pool like the server's, with a short wait for a connection so that an outage shows
/// quickly (`unavailable`) instead of holding commands for long.
pub async fn pool(options: PgConnectOptions) -> PgPool {
    PgPoolOptions::new()
        .max_connections(10)
        .acquire_timeout(Duration::from_secs(2))
        .connect_with(options)
        .await
        .unwrap()
}

/// A node with its own runtime and connection pool: killing it stops every one of its
/// tasks at once, and its sockets close without a close frame, as when a process dies.
pub struct Node {
    pub app: TestApp,
    runtime: Option<Runtime>,
}

impl Node {
    pub async fn start(options: PgConnectOptions) -> Node {
        Node::start_with_heartbeat(options, Heartbeat::default()).await
    }

    pub async fn start_with_heartbeat(options: PgConnectOptions, heartbeat: Heartbeat) -> Node {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let app = runtime
            .spawn(async move { spawn_with_heartbeat(pool(options).await, heartbeat).await })
            .await
            .unwrap();
        Node {
            app,
            runtime: Some(runtime),
        }
    }

    /// The node dies: no goodbye to its clients, no cleanup in the database.
    pub fn kill(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A private, migrated PostgreSQL cluster in a temporary directory. Dropping it (also when
/// a test fails) stops the server, then removes the directory.
pub struct Cluster {
    pub server: EmbeddedPostgres,
    _dir: TempDir,
}

impl Cluster {
    pub async fn start() -> Cluster {
        // Under /tmp (world-traversable): as root, the server runs as the `postgres` user.
        let dir = tempfile::Builder::new()
            .prefix("viaduc-faults-")
            .tempdir_in("/tmp")
            .unwrap();
        std::fs::set_permissions(dir.path(), PermissionsExt::from_mode(0o755)).unwrap();
        let server = EmbeddedPostgres::start(dir.path()).await.unwrap();
        let mut connection = server.connect_options().connect().await.unwrap();
        viaduc::db::MIGRATOR.run(&mut connection).await.unwrap();
        Cluster { server, _dir: dir }
    }
}

/// Sends command `id` until it is acknowledged; meanwhile only `unavailable` is acceptable.
pub async fn until_acked(client: &mut Client, id: Uuid, room: &str, body: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let answer = client
            .command_with_id(id, room, "chat.send", json!({ "body": body }))
            .await;
        if answer["type"] == "ack" {
            return answer;
        }
        assert_eq!(
            (answer["code"].as_str(), answer["retryable"].as_bool()),
            (Some("unavailable"), Some(true)),
            "{answer}"
        );
        assert!(Instant::now() < deadline, "the database never came back");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Locks `room`'s log until the transaction ends: appending to it waits.
pub async fn hold_room(db: &PgPool, room: &str) -> Transaction<'static, Postgres> {
    let mut holder = db.begin().await.unwrap();
    sqlx::query("select 1 from rooms where id = $1 for update")
        .bind(room)
        .execute(&mut *holder)
        .await
        .unwrap();
    holder
}

/// Sends a `chat.send` that gets stuck behind [`hold_room`]; returns its id.
pub async fn send_stuck(client: &mut Client, room: &str, body: &str) -> Uuid {
    let id = Uuid::new_v4();
    client
        .send(
            json!({"type": "command", "id": id, "room": room, "name": "chat.send",
                     "data": {"body": body}}),
        )
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    id
}

pub async fn count_bodies(db: &PgPool, body: &str) -> i64 {
    sqlx::query_scalar("select count(*) from chat_messages where body = $1")
        .bind(body)
        .fetch_one(db)
        .await
        .unwrap()
}
