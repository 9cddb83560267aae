//! Room rights, chat moderation, announcements, notifications and slow clients.

use std::time::Duration;

use serde_json::{json, Value};
use sqlx::PgPool;
use viaduc::notifications::{notify, USER_ROOM};
use viaduc::private_rooms;
use viaduc::realtime::log::EventTx;
use viaduc::realtime::room::RoomId;

use crate::helpers::*;
use crate::metrics::{sample, scrape, spawn_scrapable};

#[sqlx::test(migrations = "../migrations")]
async fn attendees_cannot_enter_invite_only_private_or_other_peoples_rooms(db: PgPool) {
    let app = spawn(db.clone()).await;
    let conference = conference(&db).await;
    let secret = session(&db, conference, "invite_only").await;
    let (_, ana_token) = member_user(&app, conference, "Ana", "attendee").await;
    let (bo, _) = member_user(&app, conference, "Bo", "attendee").await;
    let (mod_id, mod_token) = member_user(&app, conference, "Mo", "moderator").await;
    let pair = {
        let mut tx = db.begin().await.unwrap();
        let room = private_rooms::create(&mut tx, conference, "networking", &[bo, mod_id])
            .await
            .unwrap();
        tx.commit().await.unwrap();
        room
    };
    let mut ana_client = Client::connect(&app, &ana_token).await;
    for room in [
        format!("session:{secret}"),
        pair.to_string(),
        format!("user:{bo}"),
    ] {
        ana_client
            .send(json!({"type": "subscribe", "room": room}))
            .await;
        let refused = ana_client.recv().await;
        assert_eq!(
            (refused["type"].as_str(), refused["code"].as_str()),
            (Some("error"), Some("not_found")),
            "{room}"
        );
    }
    let mut mod_client = Client::connect(&app, &mod_token).await;
    assert_eq!(
        mod_client
            .subscribe(&format!("session:{secret}"), None)
            .await
            .last()
            .unwrap()["type"],
        "subscribed"
    );
    assert_eq!(
        mod_client
            .subscribe(&pair.to_string(), None)
            .await
            .last()
            .unwrap()["type"],
        "subscribed"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn moderators_hide_mute_and_slow_down_while_attendees_cannot(db: PgPool) {
    let app = spawn(db.clone()).await;
    let (conference, room) = public_panel(&db).await;
    let (ana, ana_token) = member_user(&app, conference, "Ana", "attendee").await;
    let (_, mo_token) = member_user(&app, conference, "Mo", "moderator").await;
    let mut ana_client = Client::connect(&app, &ana_token).await;
    let mut mo_client = Client::connect(&app, &mo_token).await;
    ana_client.subscribe(&room, None).await;
    mo_client.subscribe(&room, None).await;

    // A broken rule comes with its field, code and parameters, for the UI to word.
    let long = "x".repeat(2001);
    let refused = ana_client
        .command(&room, "chat.send", json!({"body": long}))
        .await;
    assert_eq!(
        (
            &refused["code"],
            &refused["fields"][0]["field"],
            &refused["fields"][0]["code"]
        ),
        (&json!("validation"), &json!("body"), &json!("too_long")),
        "{refused}"
    );
    let refused = mo_client
        .command(&room, "chat.slow_mode", json!({"seconds": 99_999}))
        .await;
    assert_eq!(
        refused["fields"],
        json!([{"field": "seconds", "code": "out_of_range", "params": {"min": 0, "max": 3600},
                "message": "must be between 0 and 3600"}]),
        "{refused}"
    );
    let sent = ana_client
        .command(
            &room,
            "chat.send",
            json!({"body": "see https://example.eu <b>"}),
        )
        .await;
    let message_id = sent["data"]["id"].clone();
    assert_eq!(
        ana_client
            .command(&room, "chat.hide", json!({"id": message_id}))
            .await["code"],
        "forbidden"
    );
    assert_eq!(
        mo_client
            .command(&room, "chat.hide", json!({"id": message_id}))
            .await["type"],
        "ack"
    );
    let history = ana_client.command(&room, "chat.history", json!({})).await;
    assert_eq!(history["data"]["messages"], json!([]));
    let history = mo_client.command(&room, "chat.history", json!({})).await;
    assert_eq!(history["data"]["messages"][0]["hidden"], true);

    mo_client
        .command(&room, "chat.slow_mode", json!({"seconds": 30}))
        .await;
    assert_eq!(
        ana_client
            .command(&room, "chat.send", json!({"body": "again"}))
            .await["code"],
        "rate_limited"
    );
    mo_client
        .command(&room, "chat.slow_mode", json!({"seconds": 0}))
        .await;
    mo_client
        .command(&room, "chat.mute", json!({"user_id": ana, "minutes": 5}))
        .await;
    assert_eq!(
        ana_client
            .command(&room, "chat.send", json!({"body": "again"}))
            .await["code"],
        "forbidden"
    );
    // A moderator arriving later sees whom to unmute; attendees do not see the list.
    let mut late_mo = Client::connect(&app, &mo_token).await;
    let state = snapshot_state(late_mo.subscribe(&room, None).await);
    assert_eq!(state["chat"]["muted"], json!([ana]));
    let mut late_ana = Client::connect(&app, &ana_token).await;
    let state = snapshot_state(late_ana.subscribe(&room, None).await);
    assert_eq!(state["chat"].get("muted"), None);
    mo_client
        .command(&room, "chat.unmute", json!({"user_id": ana}))
        .await;
    let ok = ana_client
        .command(&room, "chat.send", json!({"body": "again"}))
        .await;
    assert_eq!(ok["type"], "ack");
    assert_eq!(
        ana_client
            .command(&room, "chat.delete", json!({"id": ok["data"]["id"]}))
            .await["type"],
        "ack"
    );
    // Deleting someone else's message is not possible.
    let mo_message = mo_client
        .command(&room, "chat.send", json!({"body": "mine"}))
        .await;
    let refused = ana_client
        .command(
            &room,
            "chat.delete",
            json!({"id": mo_message["data"]["id"]}),
        )
        .await;
    assert_eq!(refused["code"], "not_found");

    let people = mo_client.command(&room, "presence.list", json!({})).await;
    assert_eq!(people["type"], "ack");
    assert_eq!(
        ana_client.command(&room, "presence.list", json!({})).await["code"],
        "forbidden"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn history_pages_backwards_through_the_chat(db: PgPool) {
    let app = spawn(db.clone()).await;
    let (conference, room) = public_panel(&db).await;
    let (_, token) = member_user(&app, conference, "Ana", "attendee").await;
    let mut client = Client::connect(&app, &token).await;
    client.subscribe(&room, None).await;
    for n in 0..5 {
        client
            .command(&room, "chat.send", json!({"body": format!("m{n}")}))
            .await;
    }
    let page = client
        .command(&room, "chat.history", json!({"limit": 3}))
        .await;
    let bodies: Vec<&str> = page["data"]["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["body"].as_str().unwrap())
        .collect();
    assert_eq!(
        (bodies, page["data"]["more"].as_bool()),
        (vec!["m4", "m3", "m2"], Some(true))
    );
    let before = page["data"]["messages"][2]["id"].clone();
    let page = client
        .command(&room, "chat.history", json!({"limit": 3, "before": before}))
        .await;
    let bodies: Vec<&str> = page["data"]["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["body"].as_str().unwrap())
        .collect();
    assert_eq!(
        (bodies, page["data"]["more"].as_bool()),
        (vec!["m1", "m0"], Some(false))
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn announcements_reach_everyone_and_late_joiners_see_them(db: PgPool) {
    let app = spawn(db.clone()).await;
    let conference = conference(&db).await;
    let room = format!("conference:{conference}");
    let (_, org_token) = member_user(&app, conference, "Olga", "organiser").await;
    let (_, ana_token) = member_user(&app, conference, "Ana", "attendee").await;
    let mut org_client = Client::connect(&app, &org_token).await;
    let mut ana_client = Client::connect(&app, &ana_token).await;
    org_client.subscribe(&room, None).await;
    ana_client.subscribe(&room, None).await;
    let refused = ana_client
        .command(&room, "announcement.publish", json!({"body": "hi"}))
        .await;
    assert_eq!(refused["code"], "forbidden");
    org_client
        .command(
            &room,
            "announcement.publish",
            json!({"body": "Plenary starts in 5 minutes"}),
        )
        .await;
    let event = ana_client.recv().await;
    assert_eq!(
        (event["name"].as_str(), event["data"]["body"].as_str()),
        (
            Some("announcement.published"),
            Some("Plenary starts in 5 minutes")
        )
    );

    let mut late = Client::connect(&app, &ana_token).await;
    let snapshot = late.subscribe(&room, None).await;
    assert_eq!(
        snapshot[0]["state"]["announcement"]["current"][0]["body"],
        "Plenary starts in 5 minutes"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn notifications_arrive_in_the_personal_room_with_an_unread_count(db: PgPool) {
    let app = spawn(db.clone()).await;
    let (ana, token) = user(&app, "Ana").await;
    let mut client = Client::connect(&app, &token).await;
    let room = format!("user:{ana}");
    let snapshot = client.subscribe(&room, None).await;
    assert_eq!(snapshot[0]["state"]["notification"]["unread"], 0);
    let mut etx = EventTx::begin(&db).await.unwrap();
    let id = notify(&mut etx, ana, "meeting.requested", json!({"from": "Bo"}))
        .await
        .unwrap();
    etx.commit(&app.state.realtime.hub).await.unwrap();
    let event = client.recv().await;
    assert_eq!(
        (event["name"].as_str(), event["data"]["unread"].as_i64()),
        (Some("notification.created"), Some(1))
    );
    let read = client
        .command(&room, "notification.read", json!({"id": id}))
        .await;
    assert_eq!(read["data"]["unread"], 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_stalled_client_is_cut_while_the_others_keep_receiving(db: PgPool) {
    let app = spawn_scrapable(db.clone()).await;
    let (ana, ana_token) = user(&app, "Ana").await;
    let room = RoomId::new(USER_ROOM, ana);
    let mut stalled = Client::connect(&app, &ana_token).await;
    stalled.subscribe(&room.to_string(), None).await;
    let mut healthy = Client::connect(&app, &ana_token).await;
    healthy.subscribe(&room.to_string(), None).await;
    assert_eq!(app.state.realtime.hub.connections.count(), 2);
    let big = "y".repeat(60_000);
    let started = std::time::Instant::now();
    for batch in 0..20 {
        let mut etx = EventTx::begin(&db).await.unwrap();
        for _ in 0..50 {
            etx.append(room, "test.filler", json!({"fill": big}))
                .await
                .unwrap();
        }
        etx.commit(&app.state.realtime.hub).await.unwrap();
        // The healthy client keeps up with every event, in order.
        let mut received = 0;
        while received < 50 {
            let event = healthy.recv().await;
            assert_eq!(event["seq"], batch * 50 + received + 1);
            received += 1;
        }
    }
    assert!(started.elapsed() < Duration::from_secs(30));
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        app.state.realtime.hub.connections.count(),
        1,
        "the stalled client was not cut"
    );
    let metrics = scrape(&app).await;
    assert_eq!(
        sample(&metrics, "viaduc_ws_slow_disconnects_total"),
        Some(1.0)
    );
    drop(stalled);
}

/// The state in the snapshot among a subscription's answers.
fn snapshot_state(messages: Vec<Value>) -> Value {
    let mut snapshot = messages
        .into_iter()
        .find(|message| message["type"] == "snapshot")
        .expect("a snapshot");
    snapshot["state"].take()
}
