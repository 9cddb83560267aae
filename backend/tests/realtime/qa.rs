//! A panel's Q&A (`qa.*`): asking, pre-moderation and the backstage, upvotes counted
//! exactly and reaching screens coalesced, moderation, and what survives a restart.

use std::time::Duration;

use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

use crate::helpers::*;

fn qa_state(messages: &[Value]) -> Value {
    snapshot_part(messages, "qa")
}

async fn ask(client: &mut Client, room: &str, body: &str, anonymous: bool) -> Value {
    let answer = client
        .command(
            room,
            "qa.ask",
            json!({"body": body, "language": "fr", "anonymous": anonymous}),
        )
        .await;
    assert_eq!(answer["type"], "ack", "{answer}");
    answer["data"].clone()
}

#[sqlx::test(migrations = "../migrations")]
async fn questions_reach_everyone_and_anonymous_ones_name_their_author_only_backstage(db: PgPool) {
    let app = spawn(db.clone()).await;
    let (conference, room) = public_panel(&db).await;
    let (ana, ana_token) = member_user(&app, conference, "Ana", "attendee").await;
    let (_, bo_token) = member_user(&app, conference, "Bo", "attendee").await;
    let (_, mo_token) = member_user(&app, conference, "Mo", "moderator").await;
    let mut ana_client = Client::connect(&app, &ana_token).await;
    ana_client.subscribe(&room, None).await;
    let mut bo_client = Client::connect(&app, &bo_token).await;
    bo_client.subscribe(&room, None).await;
    let mut mo_client = Client::connect(&app, &mo_token).await;
    mo_client.subscribe(&backstage_of(&room), None).await;

    let named = ask(
        &mut ana_client,
        &room,
        "Comment financer les clusters ?",
        false,
    )
    .await;
    assert_eq!(named["status"], "approved");
    assert_eq!(named["author_id"], json!(ana));
    let seen = next_event(&mut bo_client, "qa.question").await;
    assert_eq!(seen["body"], "Comment financer les clusters ?");
    assert_eq!(seen["language"], "fr");
    assert_eq!(seen["author_name"], "Ana");

    let anonymous = ask(&mut ana_client, &room, "Et les régions ?", true).await;
    assert_eq!(anonymous["author_id"], Value::Null);
    let seen = next_event(&mut bo_client, "qa.question").await;
    assert_eq!(seen["id"], anonymous["id"]);
    assert_eq!(
        (&seen["author_id"], &seen["author_name"]),
        (&Value::Null, &Value::Null)
    );
    next_event(&mut mo_client, "qa.moderated").await;
    let moderated = next_event(&mut mo_client, "qa.moderated").await;
    assert_eq!(moderated["id"], anonymous["id"]);
    assert_eq!(
        (
            moderated["author_name"].as_str(),
            moderated["anonymous"].as_bool()
        ),
        (Some("Ana"), Some(true))
    );

    // A reload: the author's own questions are marked as theirs, anonymous or not.
    let mut again = Client::connect(&app, &ana_token).await;
    let state = qa_state(&again.subscribe(&room, None).await);
    assert_eq!(state["questions"].as_array().unwrap().len(), 2);
    assert_eq!(state["mine"].as_array().unwrap().len(), 2);
    assert_eq!(state["questions"][1]["author_id"], Value::Null);
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_questions_and_attendees_moderating_are_refused_and_change_nothing(db: PgPool) {
    let app = spawn(db.clone()).await;
    let (conference, room) = public_panel(&db).await;
    let (ana, ana_token) = member_user(&app, conference, "Ana", "attendee").await;
    let (_, mo_token) = member_user(&app, conference, "Mo", "moderator").await;
    let mut ana_client = Client::connect(&app, &ana_token).await;
    ana_client.subscribe(&room, None).await;

    let too_long = "x".repeat(501);
    for (data, field) in [
        (json!({"body": too_long, "language": "en"}), "body"),
        (json!({"body": "   ", "language": "en"}), "body"),
        (json!({"body": "ok?", "language": "english"}), "language"),
    ] {
        let refused = ana_client.command(&room, "qa.ask", data).await;
        assert_eq!(error_code(&refused), ("error", "validation"), "{refused}");
        assert_eq!(refused["fields"][0]["field"], field);
    }
    let refused = ana_client
        .command(&room, "qa.ask", json!({"body": 3}))
        .await;
    assert_eq!(error_code(&refused), ("error", "bad_request"));

    // The backstage does not exist for an attendee.
    ana_client
        .send(json!({"type": "subscribe", "room": backstage_of(&room)}))
        .await;
    assert_eq!(error_code(&ana_client.recv().await), ("error", "not_found"));

    let question = ask(&mut ana_client, &room, "Why?", false).await;
    for (name, data) in [
        ("qa.approve", json!({"id": question["id"]})),
        ("qa.hide", json!({"id": question["id"]})),
        ("qa.answering", json!({"id": question["id"]})),
        ("qa.edit", json!({"id": question["id"], "body": "How?"})),
        ("qa.premoderation", json!({"on": true})),
    ] {
        let refused = ana_client.command(&room, name, data).await;
        assert_eq!(error_code(&refused), ("error", "forbidden"), "{name}");
    }

    // Muted in the chat, quiet in the Q&A too.
    let mut mo_client = Client::connect(&app, &mo_token).await;
    mo_client.subscribe(&room, None).await;
    let muted = mo_client
        .command(&room, "chat.mute", json!({"user_id": ana}))
        .await;
    assert_eq!(muted["type"], "ack");
    let refused = ana_client
        .command(
            &room,
            "qa.ask",
            json!({"body": "Still there?", "language": "en"}),
        )
        .await;
    assert_eq!(error_code(&refused), ("error", "forbidden"));

    let stored: i64 = sqlx::query_scalar("select count(*) from questions")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(stored, 1);
    let status: String = sqlx::query_scalar("select status::text from questions")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(status, "approved");
}

#[sqlx::test(migrations = "../migrations")]
async fn with_premoderation_a_question_waits_seen_by_its_author_and_backstage_until_approved(
    db: PgPool,
) {
    let app = spawn(db.clone()).await;
    let (conference, room) = public_panel(&db).await;
    let (_, ana_token) = member_user(&app, conference, "Ana", "attendee").await;
    let (_, bo_token) = member_user(&app, conference, "Bo", "attendee").await;
    let (_, mo_token) = member_user(&app, conference, "Mo", "moderator").await;
    let mut mo_client = Client::connect(&app, &mo_token).await;
    mo_client.subscribe(&backstage_of(&room), None).await;
    let on = mo_client
        .command(
            &backstage_of(&room),
            "qa.premoderation",
            json!({"on": true}),
        )
        .await;
    assert_eq!(on["type"], "ack", "{on}");

    let mut ana_client = Client::connect(&app, &ana_token).await;
    let state = qa_state(&ana_client.subscribe(&room, None).await);
    assert_eq!(state["premoderation"], true);
    let pending = ask(&mut ana_client, &room, "Une question ?", false).await;
    assert_eq!(pending["status"], "pending");
    let moderated = next_event(&mut mo_client, "qa.moderated").await;
    assert_eq!(
        (&moderated["id"], moderated["status"].as_str()),
        (&pending["id"], Some("pending"))
    );

    let mut bo_client = Client::connect(&app, &bo_token).await;
    let state = qa_state(&bo_client.subscribe(&room, None).await);
    assert_eq!(state["questions"], json!([]));
    let mut ana_again = Client::connect(&app, &ana_token).await;
    let state = qa_state(&ana_again.subscribe(&room, None).await);
    assert_eq!(state["questions"][0]["status"], "pending");
    // Nobody votes for what they cannot see.
    let refused = bo_client
        .command(&room, "qa.upvote", json!({"id": pending["id"]}))
        .await;
    assert_eq!(error_code(&refused), ("error", "not_found"));

    let approved = mo_client
        .command(
            &backstage_of(&room),
            "qa.approve",
            json!({"id": pending["id"]}),
        )
        .await;
    assert_eq!(approved["type"], "ack", "{approved}");
    let seen = next_event(&mut bo_client, "qa.question").await;
    assert_eq!(
        (&seen["id"], seen["status"].as_str()),
        (&pending["id"], Some("approved"))
    );
    let again = mo_client
        .command(
            &backstage_of(&room),
            "qa.approve",
            json!({"id": pending["id"]}),
        )
        .await;
    assert_eq!(error_code(&again), ("error", "conflict"));
    assert_eq!(
        again["conflict"],
        json!({"reason": "only_pending_approved"})
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn one_upvote_per_person_counted_exactly_under_concurrency_and_shown_coalesced(db: PgPool) {
    let app = spawn(db.clone()).await;
    let (conference, room) = public_panel(&db).await;
    let (_, ana_token) = member_user(&app, conference, "Ana", "attendee").await;
    let mut ana_client = Client::connect(&app, &ana_token).await;
    ana_client.subscribe(&room, None).await;
    let question = ask(&mut ana_client, &room, "Who funds it?", false).await;
    let id = question["id"].clone();

    let first = ana_client
        .command(&room, "qa.upvote", json!({"id": id}))
        .await;
    assert_eq!(first["data"], json!({"id": id, "voted": true, "votes": 1}));
    let twice = ana_client
        .command(&room, "qa.upvote", json!({"id": id}))
        .await;
    assert_eq!(error_code(&twice), ("error", "conflict"));
    let back = ana_client
        .command(&room, "qa.unvote", json!({"id": id}))
        .await;
    assert_eq!(back["data"], json!({"id": id, "voted": false, "votes": 0}));
    let again = ana_client
        .command(&room, "qa.unvote", json!({"id": id}))
        .await;
    assert_eq!(error_code(&again), ("error", "conflict"));

    // Forty people vote at once, each from their own connection.
    let mut voters = Vec::new();
    for n in 0..40 {
        let (_, token) = member_user(&app, conference, &format!("Voter {n}"), "attendee").await;
        let mut client = Client::connect(&app, &token).await;
        client.subscribe(&room, None).await;
        voters.push(client);
    }
    let votes = voters.iter_mut().map(|client| {
        let room = room.clone();
        let id = id.clone();
        async move { client.command(&room, "qa.upvote", json!({"id": id})).await }
    });
    let answers = futures_util::future::join_all(votes).await;
    assert!(
        answers.iter().all(|answer| answer["type"] == "ack"),
        "{answers:?}"
    );

    // The watcher sees the exact final count, in far fewer events than votes.
    let mut count_events = 0;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(3);
    loop {
        assert!(tokio::time::Instant::now() < deadline, "no final count");
        let counts = next_event(&mut ana_client, "qa.votes").await;
        count_events += 1;
        if counts["counts"] == json!([{"id": id, "votes": 40}]) {
            break;
        }
    }
    assert!(
        count_events < 20,
        "{count_events} count events for 41 votes"
    );
    let stored: i64 = sqlx::query_scalar("select count(*) from question_votes")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(stored, 40);
    let state = qa_state(&voters[0].subscribe(&room, None).await);
    assert_eq!(state["questions"][0]["votes"], 40);
    assert_eq!(state["voted"], json!([id]));
}

#[sqlx::test(migrations = "../migrations")]
async fn moderators_answer_one_at_a_time_edit_hide_and_merge_without_counting_a_voter_twice(
    db: PgPool,
) {
    let app = spawn(db.clone()).await;
    let (conference, room) = public_panel(&db).await;
    let (_, ana_token) = member_user(&app, conference, "Ana", "attendee").await;
    let (_, bo_token) = member_user(&app, conference, "Bo", "attendee").await;
    let (_, mo_token) = member_user(&app, conference, "Mo", "moderator").await;
    let mut ana_client = Client::connect(&app, &ana_token).await;
    ana_client.subscribe(&room, None).await;
    let mut bo_client = Client::connect(&app, &bo_token).await;
    bo_client.subscribe(&room, None).await;
    let mut mo_client = Client::connect(&app, &mo_token).await;
    mo_client.subscribe(&room, None).await;
    let kept = ask(&mut ana_client, &room, "Fundign for clusters?", false).await["id"].clone();
    let duplicate =
        ask(&mut bo_client, &room, "How are clusters funded?", false).await["id"].clone();
    for (client, id) in [(0, &kept), (0, &duplicate), (1, &duplicate)] {
        let client = if client == 0 {
            &mut ana_client
        } else {
            &mut bo_client
        };
        let vote = client.command(&room, "qa.upvote", json!({"id": id})).await;
        assert_eq!(vote["type"], "ack");
    }

    let edited = mo_client
        .command(
            &room,
            "qa.edit",
            json!({"id": kept, "body": "Funding for clusters?"}),
        )
        .await;
    assert_eq!(edited["type"], "ack", "{edited}");
    let merged = mo_client
        .command(&room, "qa.merge", json!({"id": duplicate, "into": kept}))
        .await;
    assert_eq!(merged["data"], json!({"id": kept}));
    let removed = next_event(&mut bo_client, "qa.removed").await;
    assert_eq!(removed["id"], duplicate);
    let updated = next_event(&mut bo_client, "qa.question").await;
    assert_eq!(
        (
            &updated["id"],
            updated["votes"].as_i64(),
            updated["edited"].as_bool()
        ),
        (&kept, Some(2), Some(true))
    );
    assert_eq!(updated["body"], "Funding for clusters?");
    let into_itself = mo_client
        .command(&room, "qa.merge", json!({"id": kept, "into": kept}))
        .await;
    assert_eq!(error_code(&into_itself), ("error", "conflict"));

    let other = ask(&mut bo_client, &room, "What about SMEs?", false).await["id"].clone();
    for id in [&kept, &other] {
        let answering = mo_client
            .command(&room, "qa.answering", json!({"id": id}))
            .await;
        assert_eq!(answering["type"], "ack", "{answering}");
    }
    let statuses: Vec<(Uuid, String)> =
        sqlx::query_as("select id, status::text from questions order by created_at")
            .fetch_all(&db)
            .await
            .unwrap();
    let status_of = |id: &Value| {
        let id: Uuid = serde_json::from_value(id.clone()).unwrap();
        statuses.iter().find(|(of, _)| *of == id).unwrap().1.clone()
    };
    assert_eq!(
        [status_of(&kept), status_of(&duplicate), status_of(&other)],
        ["answered", "merged", "answering"]
    );
    let hidden = mo_client
        .command(&room, "qa.hide", json!({"id": other}))
        .await;
    assert_eq!(hidden["type"], "ack");
    let answered_vote = ana_client
        .command(&room, "qa.upvote", json!({"id": kept}))
        .await;
    assert_eq!(error_code(&answered_vote), ("error", "conflict"));

    // Everything is durable: a new server on the same database shows the same list.
    let restarted = spawn(db.clone()).await;
    let mut reloaded = Client::connect(&restarted, &bo_token).await;
    let state = qa_state(&reloaded.subscribe(&room, None).await);
    let listed: Vec<(&Value, &Value, &Value)> = state["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|question| (&question["id"], &question["status"], &question["votes"]))
        .collect();
    assert_eq!(listed, [(&kept, &json!("answered"), &json!(2))]);
    assert_eq!(state["voted"], json!([kept]));
}
