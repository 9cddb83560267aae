//! Sockets that vanish at any moment: a command that has started runs to completion and is
//! published whoever is still connected, and no pooled database connection is ever handed
//! to the next user inside a transaction (sqlx returns a connection whose future was
//! dropped mid-`BEGIN` to the pool with the transaction still open).

use std::time::Duration;

use serde_json::json;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

use crate::helpers::*;
use crate::outages::{count_bodies, hold_room, send_stuck};

/// How many sockets the drop test abandons; `VIADUC_DROP_ITERATIONS` runs it longer.
fn iterations() -> u32 {
    std::env::var("VIADUC_DROP_ITERATIONS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(1_000)
}

/// A node whose commands share a single pooled connection (the bus's LISTEN holds the
/// pool's other one for good): a connection leaked inside a transaction would be the one
/// every later command runs on.
async fn node_with_one_connection(db: &PgPool) -> TestApp {
    let one = PgPoolOptions::new()
        .max_connections(2)
        .connect_with(db.connect_options().as_ref().clone())
        .await
        .unwrap();
    spawn(one).await
}

/// Sends a chat message and returns its answer. On a quiet machine the loop below outpaces
/// the 20 commands per second a connection may send: a `rate_limited` command is sent again
/// with its id after a pause, as the protocol says.
async fn send_within_rate(client: &mut Client, room: &str, body: &str) -> serde_json::Value {
    let id = uuid::Uuid::new_v4();
    loop {
        let answer = client
            .command_with_id(id, room, "chat.send", json!({ "body": body }))
            .await;
        if answer["code"] != "rate_limited" {
            return answer;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn sockets_dropped_at_any_point_of_a_command_never_harm_other_users(db: PgPool) {
    let app = node_with_one_connection(&db).await;
    let (conference, room) = public_panel(&db).await;
    let (_, leaver_token) = member_user(&app, conference, "Leaver", "attendee").await;
    let (_, steady_token) = member_user(&app, conference, "Steady", "attendee").await;
    let mut steady = Client::connect(&app, &steady_token).await;
    steady.subscribe(&room, None).await;
    let iterations = iterations();
    for n in 0..iterations {
        let mut leaver = Client::connect(&app, &leaver_token).await;
        leaver
            .send(json!({"type": "subscribe", "room": room}))
            .await;
        leaver
            .send(
                json!({"type": "command", "id": uuid::Uuid::new_v4(), "room": room,
                         "name": "chat.send", "data": {"body": format!("left {n}")}}),
            )
            .await;
        // 0 to 3.5 ms: before, inside and after the subscription's and the command's
        // transactions, as the independent client that found the defect did.
        tokio::time::sleep(Duration::from_micros(u64::from(n * 37 % 3_500))).await;
        drop(leaver);
        let answer = send_within_rate(&mut steady, &room, &format!("steady {n}")).await;
        assert_eq!(answer["type"], "ack", "iteration {n}: {answer}");
    }

    // Every acknowledged message is committed: another connection sees all of them.
    let steady_count: i64 =
        sqlx::query_scalar("select count(*) from chat_messages where body like 'steady %'")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(steady_count, i64::from(iterations));
    // Nothing is left open, and whatever a leaver's command changed is in the log once.
    let idle_in_transaction: i64 = sqlx::query_scalar(
        "select count(*) from pg_stat_activity
         where datname = current_database() and state like 'idle in transaction%'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(idle_in_transaction, 0);
    let (messages, events): (i64, i64) = sqlx::query_as(
        "select (select count(*) from chat_messages where room_id = $1),
                (select count(*) from room_events where room_id = $1 and name = 'chat.sent')",
    )
    .bind(&room)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(messages, events);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_command_whose_socket_is_gone_still_commits_and_reaches_the_room(db: PgPool) {
    let app = node_with_one_connection(&db).await;
    let (conference, room) = public_panel(&db).await;
    let (_, leaver_token) = member_user(&app, conference, "Leaver", "attendee").await;
    let (_, watcher_token) = member_user(&app, conference, "Watcher", "attendee").await;
    let mut watcher = Client::connect(&app, &watcher_token).await;
    watcher.subscribe(&room, None).await;
    let mut leaver = Client::connect(&app, &leaver_token).await;
    leaver.subscribe(&room, None).await;

    // The command waits on the room's lock (held from another connection), its socket goes.
    let holder = hold_room(&db, &room).await;
    send_stuck(&mut leaver, &room, "sent, then gone").await;
    drop(leaver);
    tokio::time::sleep(Duration::from_millis(100)).await;
    holder.commit().await.unwrap();

    let event = watcher.recv().await;
    assert_eq!(
        (event["type"].as_str(), event["data"]["body"].as_str()),
        (Some("event"), Some("sent, then gone")),
        "{event}"
    );
    assert_eq!(count_bodies(&db, "sent, then gone").await, 1);
}
