//! A panel's hand-raise queue (`hand.*`): raised in order, invited to speak with the
//! speakers' room shown to the invited only, accepted, dismissed, all lowered; each person
//! hears of their own hand in their `user:` room, the backstage sees the queue.

use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::*;

fn names(queue: &Value) -> Vec<(String, String)> {
    queue["hands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hand| {
            (
                hand["name"].as_str().unwrap().to_owned(),
                hand["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn pair(name: &str, status: &str) -> (String, String) {
    (name.to_owned(), status.to_owned())
}

#[sqlx::test(migrations = "../migrations")]
async fn hands_queue_in_order_and_only_the_invited_see_the_speakers_room(db: PgPool) {
    let app = spawn(db.clone()).await;
    let (conference, room) = public_panel(&db).await;
    let (ana_id, ana_token) = member_user(&app, conference, "Ana", "attendee").await;
    let (bo_id, bo_token) = member_user(&app, conference, "Bo", "attendee").await;
    let (_, mo_token) = member_user(&app, conference, "Mo", "moderator").await;
    let mut mo = Client::connect(&app, &mo_token).await;
    let backstage = backstage_of(&room);
    mo.subscribe(&backstage, None).await;
    let mut ana = Client::connect(&app, &ana_token).await;
    ana.subscribe(&room, None).await;
    ana.subscribe(&format!("user:{ana_id}"), None).await;
    let mut bo = Client::connect(&app, &bo_token).await;
    bo.subscribe(&room, None).await;
    bo.subscribe(&format!("user:{bo_id}"), None).await;

    let raised = ana.command(&room, "hand.raise", json!({})).await;
    assert_eq!(raised["data"]["status"], "raised", "{raised}");
    assert_eq!(
        error_code(&ana.command(&room, "hand.raise", Value::Null).await),
        ("error", "conflict")
    );
    assert_eq!(
        names(&next_event(&mut mo, "hand.queue").await),
        [pair("Ana", "raised")]
    );
    assert_eq!(
        bo.command(&room, "hand.raise", json!({})).await["type"],
        "ack"
    );
    assert_eq!(
        names(&next_event(&mut mo, "hand.queue").await),
        [pair("Ana", "raised"), pair("Bo", "raised")]
    );

    for (name, data) in [
        ("hand.invite", json!({"user_id": bo_id})),
        ("hand.dismiss", json!({"user_id": bo_id})),
        ("hand.lower_all", json!({})),
        ("hand.set_link", json!({"url": "https://meet.jit.si/mine"})),
    ] {
        let refused = ana.command(&room, name, data).await;
        assert_eq!(error_code(&refused), ("error", "forbidden"), "{name}");
    }
    let bad = mo
        .command(
            &backstage,
            "hand.set_link",
            json!({"url": "javascript:alert(1)"}),
        )
        .await;
    assert_eq!(
        (error_code(&bad), bad["fields"][0]["field"].as_str()),
        (("error", "validation"), Some("url"))
    );
    let link = json!({"url": "https://meet.jit.si/ecc-panel-speakers"});
    assert_eq!(
        mo.command(&backstage, "hand.set_link", link).await["type"],
        "ack"
    );

    // Only the invited person sees the link.
    assert_eq!(
        error_code(&bo.command(&room, "hand.link", json!({})).await),
        ("error", "forbidden")
    );
    let invited = mo
        .command(&backstage, "hand.invite", json!({"user_id": ana_id}))
        .await;
    assert_eq!(invited["type"], "ack", "{invited}");
    // Ana's own "raised" may come before or after her command's ack: skip it.
    loop {
        let mine = next_event(&mut ana, "hand.mine").await;
        if mine["status"] != "raised" {
            assert_eq!(mine["status"], "invited");
            break;
        }
    }
    let shown = ana.command(&room, "hand.link", json!({})).await;
    assert_eq!(
        shown["data"]["url"],
        "https://meet.jit.si/ecc-panel-speakers"
    );
    assert_eq!(
        bo.command(&room, "hand.accept", json!({})).await["code"],
        "conflict"
    );
    assert_eq!(
        ana.command(&room, "hand.accept", json!({})).await["data"]["status"],
        "accepted"
    );
    let queue = loop {
        let queue = next_event(&mut mo, "hand.queue").await;
        if names(&queue)[0].1 == "accepted" {
            break queue;
        }
    };
    assert_eq!(
        names(&queue),
        [pair("Ana", "accepted"), pair("Bo", "raised")]
    );

    // Dismissed, Bo hears it in their own room; a new server shows the same queue.
    assert_eq!(
        mo.command(&backstage, "hand.dismiss", json!({"user_id": bo_id}))
            .await["type"],
        "ack"
    );
    loop {
        if next_event(&mut bo, "hand.mine").await["status"] == Value::Null {
            break;
        }
    }
    let restarted = spawn(db.clone()).await;
    let mut mo_again = Client::connect(&restarted, &mo_token).await;
    let state = snapshot_part(&mo_again.subscribe(&backstage, None).await, "hand");
    assert_eq!(state["queue"].as_array().unwrap().len(), 1);
    assert_eq!(
        state["speakers_url"],
        "https://meet.jit.si/ecc-panel-speakers"
    );
    let mut ana_again = Client::connect(&restarted, &ana_token).await;
    let state = snapshot_part(&ana_again.subscribe(&room, None).await, "hand");
    assert_eq!(state, json!({"mine": "accepted"}));

    let all = mo.command(&backstage, "hand.lower_all", json!({})).await;
    assert_eq!(all["data"], json!({"hands": []}));
    let lowered: i64 = sqlx::query_scalar("select count(*) from hands")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(lowered, 0);
}
