//! Reactions (`reaction.send`): ephemeral pulses, aggregated by the server into `signal`
//! frames of counts per reaction, across nodes; a person counts once per window; nothing is
//! logged.

use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::*;

/// The next `reaction.burst` signal's counts (skipping anything else).
async fn next_burst(client: &mut Client) -> Value {
    loop {
        let message = client.recv().await;
        if message["type"] == "signal" && message["name"] == "reaction.burst" {
            return message["counts"].clone();
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn reactions_reach_every_screen_aggregated_across_nodes(db: PgPool) {
    let first = spawn(db.clone()).await;
    let second = spawn(db.clone()).await;
    let (conference, room) = public_panel(&db).await;
    let (_, ana_token) = member_user(&first, conference, "Ana", "attendee").await;
    let (_, bo_token) = member_user(&first, conference, "Bo", "attendee").await;
    let (_, cy_token) = member_user(&first, conference, "Cy", "attendee").await;
    let mut ana = Client::connect(&first, &ana_token).await;
    let mut bo = Client::connect(&first, &bo_token).await;
    let mut cy = Client::connect(&second, &cy_token).await;
    for client in [&mut ana, &mut bo, &mut cy] {
        client.subscribe(&room, None).await;
    }

    let clap = json!({"reaction": "clap"});
    let sent = ana.command(&room, "reaction.send", clap.clone()).await;
    assert_eq!(sent["data"]["counted"], true, "{sent}");
    // The same person clapping again in the same window counts once.
    let again = ana.command(&room, "reaction.send", clap.clone()).await;
    assert_eq!(again["data"]["counted"], false, "{again}");
    assert_eq!(
        bo.command(&room, "reaction.send", clap).await["type"],
        "ack"
    );
    let heart = bo
        .command(&room, "reaction.send", json!({"reaction": "heart"}))
        .await;
    assert_eq!(heart["type"], "ack");

    // The first node's screens see its own window; the second node's see it too, in a
    // window of their own.
    for client in [&mut ana, &mut bo, &mut cy] {
        assert_eq!(next_burst(client).await, json!({"clap": 2, "heart": 1}));
    }
    // And the other way round.
    cy.command(&room, "reaction.send", json!({"reaction": "thumbs_up"}))
        .await;
    assert_eq!(next_burst(&mut bo).await, json!({"thumbs_up": 1}));
    assert_eq!(next_burst(&mut cy).await, json!({"thumbs_up": 1}));

    // Nothing was logged: no event, no command recorded.
    let logged: (i64, i64) = sqlx::query_as(
        "select (select count(*) from room_events where room_id = $1),
                (select count(*) from commands where name = 'reaction.send')",
    )
    .bind(&room)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(logged, (0, 0));
}

#[sqlx::test(migrations = "../migrations")]
async fn reactions_outside_the_fixed_set_or_the_session_are_refused(db: PgPool) {
    let app = spawn(db.clone()).await;
    let (conference, room) = public_panel(&db).await;
    let (ana_id, ana_token) = member_user(&app, conference, "Ana", "attendee").await;
    let mut ana = Client::connect(&app, &ana_token).await;
    ana.subscribe(&room, None).await;
    for data in [
        json!({"reaction": "poop"}),
        json!({"reaction": 1}),
        json!({}),
        json!({"reaction": "clap", "extra": "x".repeat(100)}),
    ] {
        let refused = ana.command(&room, "reaction.send", data.clone()).await;
        if data.get("extra").is_some() {
            // Unknown fields are ignored, as in every command.
            assert_eq!(refused["type"], "ack", "{refused}");
        } else {
            assert_eq!(error_code(&refused), ("error", "bad_request"), "{data}");
        }
    }
    // Reactions belong to sessions: not in one's own user room.
    let own = format!("user:{ana_id}");
    ana.subscribe(&own, None).await;
    let elsewhere = ana
        .command(&own, "reaction.send", json!({"reaction": "clap"}))
        .await;
    assert_eq!(error_code(&elsewhere), ("error", "not_found"));
}
