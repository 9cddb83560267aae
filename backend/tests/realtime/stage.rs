//! A panel's stage (`stage.*`): the live state and the pinned message, set by moderators and
//! shown on every screen at once, kept across a restart.

use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::*;

#[sqlx::test(migrations = "../migrations")]
async fn the_moderator_sets_the_live_state_and_a_pin_for_every_screen(db: PgPool) {
    let app = spawn(db.clone()).await;
    let (conference, room) = public_panel(&db).await;
    let (_, ana_token) = member_user(&app, conference, "Ana", "attendee").await;
    let (_, mo_token) = member_user(&app, conference, "Mo", "moderator").await;
    let mut ana = Client::connect(&app, &ana_token).await;
    let state = snapshot_part(&ana.subscribe(&room, None).await, "stage");
    assert_eq!(
        state,
        json!({"state": "upcoming", "break_message": null, "pinned": null, "embed": null})
    );
    let mut mo = Client::connect(&app, &mo_token).await;
    mo.subscribe(&room, None).await;

    let live = mo
        .command(&room, "stage.set", json!({"state": "live"}))
        .await;
    assert_eq!(live["data"]["state"], "live", "{live}");
    assert_eq!(next_event(&mut ana, "stage.changed").await["state"], "live");
    let pause = json!({"state": "break", "message": "  Back at 11:00  "});
    assert_eq!(mo.command(&room, "stage.set", pause).await["type"], "ack");
    let changed = next_event(&mut ana, "stage.changed").await;
    assert_eq!(
        (changed["state"].as_str(), changed["break_message"].as_str()),
        (Some("break"), Some("Back at 11:00"))
    );
    let pinned = mo
        .command(
            &room,
            "stage.pin",
            json!({"text": "Slides: https://example.eu/slides"}),
        )
        .await;
    assert_eq!(
        pinned["data"]["pinned"],
        "Slides: https://example.eu/slides"
    );
    assert_eq!(pinned["data"]["state"], "break", "pinning keeps the state");

    // Refused, and nothing changes.
    let too_long = json!({"state": "break", "message": "x".repeat(301)});
    let refused = mo.command(&room, "stage.set", too_long).await;
    assert_eq!(
        (error_code(&refused), refused["fields"][0]["field"].as_str()),
        (("error", "validation"), Some("message"))
    );
    let refused = mo
        .command(&room, "stage.set", json!({"state": "paused"}))
        .await;
    assert_eq!(error_code(&refused), ("error", "bad_request"));
    let refused = ana
        .command(&room, "stage.set", json!({"state": "ended"}))
        .await;
    assert_eq!(error_code(&refused), ("error", "forbidden"));
    let refused = ana
        .command(&room, "stage.pin", json!({"text": "mine"}))
        .await;
    assert_eq!(error_code(&refused), ("error", "forbidden"));

    // A new server on the same database: the same stage.
    let restarted = spawn(db.clone()).await;
    let mut again = Client::connect(&restarted, &ana_token).await;
    let state = snapshot_part(&again.subscribe(&room, None).await, "stage");
    assert_eq!(
        state,
        json!({"state": "break", "break_message": "Back at 11:00", "pinned": "Slides: https://example.eu/slides", "embed": null})
    );
    // The session's stream URL, as the stage shows it.
    sqlx::query(
        "update sessions set stream_url = 'https://vimeo.com/76979871' where id = $1::text::uuid",
    )
    .bind(room.trim_start_matches("session:"))
    .execute(&db)
    .await
    .unwrap();
    let mut reloaded = Client::connect(&restarted, &ana_token).await;
    let state = snapshot_part(&reloaded.subscribe(&room, None).await, "stage");
    assert_eq!(
        state["embed"],
        json!({"kind": "frame", "src": "https://player.vimeo.com/video/76979871", "media": false})
    );
    let unpinned = mo.command(&room, "stage.pin", json!({})).await;
    assert_eq!(unpinned["data"]["pinned"], Value::Null);
}

/// The one stage queue, backstage: its fairness rule, and who has had the floor — once,
/// whether by a question answered or a hand invited — kept for a later snapshot.
#[sqlx::test(migrations = "../migrations")]
async fn the_stage_queue_knows_its_rule_and_who_had_the_floor(db: PgPool) {
    let app = spawn(db.clone()).await;
    let (conference, room) = public_panel(&db).await;
    let (ana_id, ana_token) = member_user(&app, conference, "Ana", "attendee").await;
    let (bo_id, bo_token) = member_user(&app, conference, "Bo", "attendee").await;
    let (_, mo_token) = member_user(&app, conference, "Mo", "moderator").await;
    let backstage = backstage_of(&room);
    let mut mo = Client::connect(&app, &mo_token).await;
    let first = mo.subscribe(&backstage, None).await;
    assert_eq!(
        snapshot_part(&first, "stage"),
        json!({"fair": false, "heard": []})
    );
    // A second screen of the moderator's watches the backstage (one's own events may come
    // before or after the ack).
    let mut watch = Client::connect(&app, &mo_token).await;
    watch.subscribe(&backstage, None).await;
    let mut ana = Client::connect(&app, &ana_token).await;
    ana.subscribe(&room, None).await;
    let mut bo = Client::connect(&app, &bo_token).await;
    bo.subscribe(&room, None).await;

    let refused = ana
        .command(&room, "stage.fairness", json!({"fair": true}))
        .await;
    assert_eq!(error_code(&refused), ("error", "forbidden"));
    let fair = mo
        .command(&backstage, "stage.fairness", json!({"fair": true}))
        .await;
    assert_eq!(fair["data"], json!({"fair": true}), "{fair}");
    assert_eq!(
        next_event(&mut watch, "stage.rule").await,
        json!({"fair": true})
    );

    let ask = |body: &str| json!({"body": body, "language": "en", "anonymous": false});
    let question: Value = ana.command(&room, "qa.ask", ask("First?")).await;
    let second: Value = ana.command(&room, "qa.ask", ask("Second?")).await;
    let answering = |answer: &Value| json!({"id": answer["data"]["id"]});
    let now = mo
        .command(&backstage, "qa.answering", answering(&question))
        .await;
    assert_eq!(now["type"], "ack", "{now}");
    assert_eq!(
        next_event(&mut watch, "stage.heard").await,
        json!({"user_id": ana_id})
    );
    bo.command(&room, "hand.raise", json!({})).await;
    let invited = mo
        .command(&backstage, "hand.invite", json!({"user_id": bo_id}))
        .await;
    assert_eq!(invited["type"], "ack", "{invited}");
    assert_eq!(
        next_event(&mut watch, "stage.heard").await,
        json!({"user_id": bo_id})
    );
    // Ana's second question: she had the floor already, and is listed once.
    mo.command(&backstage, "qa.answering", answering(&second))
        .await;

    let mut later = Client::connect(&app, &mo_token).await;
    let again = later.subscribe(&backstage, None).await;
    assert_eq!(
        snapshot_part(&again, "stage"),
        json!({"fair": true, "heard": [ana_id, bo_id]})
    );
}
