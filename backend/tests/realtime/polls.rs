//! A panel's polls (`poll.*`): drafted backstage, opened for everyone, answered once (or
//! changed when allowed), results shown or hidden, counted exactly and coalesced, closed.

use std::time::Duration;

use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::*;

async fn draft(moderator: &mut Client, room: &str, data: Value) -> Value {
    let created = moderator
        .command(&backstage_of(room), "poll.create", data)
        .await;
    assert_eq!(created["type"], "ack", "{created}");
    created["data"]["id"].clone()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_draft_stays_backstage_until_opened_and_bad_polls_are_refused(db: PgPool) {
    let app = spawn(db.clone()).await;
    let (conference, room) = public_panel(&db).await;
    let (_, ana_token) = member_user(&app, conference, "Ana", "attendee").await;
    let (_, mo_token) = member_user(&app, conference, "Mo", "moderator").await;
    let mut mo = Client::connect(&app, &mo_token).await;
    mo.subscribe(&backstage_of(&room), None).await;
    let mut ana = Client::connect(&app, &ana_token).await;
    ana.subscribe(&room, None).await;

    let eleven: Vec<String> = (0..11).map(|n| format!("option {n}")).collect();
    for (data, field) in [
        (
            json!({"question": "Which?", "options": ["only one"]}),
            "options",
        ),
        (json!({"question": "Which?", "options": eleven}), "options"),
        (
            json!({"question": "Which?", "options": ["a", "x".repeat(201)]}),
            "options",
        ),
        (json!({"question": " ", "options": ["a", "b"]}), "question"),
    ] {
        let refused = mo.command(&backstage_of(&room), "poll.create", data).await;
        assert_eq!(error_code(&refused), ("error", "validation"), "{refused}");
        assert_eq!(refused["fields"][0]["field"], field);
    }
    let refused = ana
        .command(
            &room,
            "poll.create",
            json!({"question": "Mine?", "options": ["a", "b"]}),
        )
        .await;
    assert_eq!(error_code(&refused), ("error", "forbidden"));

    let id = draft(
        &mut mo,
        &room,
        json!({"question": "Which priority first?", "options": ["Skills", "Funding", "Data"]}),
    )
    .await;
    let backstage = snapshot_part(&mo.subscribe(&backstage_of(&room), None).await, "poll");
    let drafted = &backstage["polls"][0];
    assert_eq!(
        (drafted["status"].as_str(), &drafted["counts"]),
        (Some("draft"), &json!([0, 0, 0]))
    );
    // Attendees neither see nor answer a draft.
    let mut late = Client::connect(&app, &ana_token).await;
    assert_eq!(
        snapshot_part(&late.subscribe(&room, None).await, "poll")["polls"],
        json!([])
    );
    let early = ana
        .command(&room, "poll.answer", json!({"id": id, "choices": [0]}))
        .await;
    assert_eq!(error_code(&early), ("error", "not_found"));

    let edited = mo
        .command(
            &backstage_of(&room),
            "poll.edit",
            json!({"id": id, "question": "Which priority comes first?", "options": ["Skills", "Funding"], "multiple": true}),
        )
        .await;
    assert_eq!(edited["type"], "ack", "{edited}");
    let opened = mo
        .command(&backstage_of(&room), "poll.open", json!({"id": id}))
        .await;
    assert_eq!(opened["type"], "ack", "{opened}");
    let twice = mo
        .command(&backstage_of(&room), "poll.open", json!({"id": id}))
        .await;
    assert_eq!(error_code(&twice), ("error", "conflict"));
    let shown = next_event(&mut ana, "poll.poll").await;
    assert_eq!(shown["question"], "Which priority comes first?");
    assert_eq!(shown["options"], json!(["Skills", "Funding"]));
    assert_eq!(
        (shown["multiple"].as_bool(), &shown["counts"]),
        (Some(true), &Value::Null)
    );
    let not_editable = mo
        .command(
            &backstage_of(&room),
            "poll.edit",
            json!({"id": id, "question": "Too late?", "options": ["a", "b"]}),
        )
        .await;
    assert_eq!(error_code(&not_editable), ("error", "conflict"));
}

#[sqlx::test(migrations = "../migrations")]
async fn answers_are_counted_once_shown_when_the_moderator_shows_them_and_stop_at_close(
    db: PgPool,
) {
    let app = spawn(db.clone()).await;
    let (conference, room) = public_panel(&db).await;
    let (_, mo_token) = member_user(&app, conference, "Mo", "moderator").await;
    let mut mo = Client::connect(&app, &mo_token).await;
    mo.subscribe(&backstage_of(&room), None).await;
    let single = draft(
        &mut mo,
        &room,
        json!({"question": "Where next year?", "options": ["Lille", "Gent", "Aachen"]}),
    )
    .await;
    let changeable = draft(
        &mut mo,
        &room,
        json!({"question": "Topics?", "options": ["AI", "Energy", "Health"], "multiple": true, "changeable": true}),
    )
    .await;
    for id in [&single, &changeable] {
        let opened = mo
            .command(&backstage_of(&room), "poll.open", json!({"id": id}))
            .await;
        assert_eq!(opened["type"], "ack");
    }

    // Thirty people answer the single-choice poll at once: 10 for each city.
    let mut voters = Vec::new();
    for n in 0..30 {
        let (_, token) = member_user(&app, conference, &format!("Voter {n}"), "attendee").await;
        let mut client = Client::connect(&app, &token).await;
        client.subscribe(&room, None).await;
        voters.push(client);
    }
    let answers = voters.iter_mut().enumerate().map(|(n, client)| {
        let room = room.clone();
        let single = single.clone();
        async move {
            client
                .command(
                    &room,
                    "poll.answer",
                    json!({"id": single, "choices": [n % 3]}),
                )
                .await
        }
    });
    let answers = futures_util::future::join_all(answers).await;
    assert!(
        answers.iter().all(|answer| answer["type"] == "ack"),
        "{answers:?}"
    );

    // Hidden results: attendees learn how many answered, not what.
    let watcher = &mut voters[0];
    let deadline = tokio::time::Instant::now() + Duration::from_secs(3);
    loop {
        assert!(tokio::time::Instant::now() < deadline, "no final count");
        let counts = next_event(watcher, "poll.counts").await;
        assert_eq!(counts["counts"], Value::Null);
        if counts["answers"] == 30 {
            break;
        }
    }
    loop {
        let counts = next_event(&mut mo, "poll.counts").await;
        if counts["answers"] == 30 {
            assert_eq!(counts["counts"], json!([10, 10, 10]));
            break;
        }
    }
    let shown = mo
        .command(
            &backstage_of(&room),
            "poll.results",
            json!({"id": single, "shown": true}),
        )
        .await;
    assert_eq!(shown["type"], "ack");
    let poll = next_event(watcher, "poll.poll").await;
    assert_eq!(
        (&poll["answers"], &poll["counts"]),
        (&json!(30), &json!([10, 10, 10]))
    );

    // One answer per person; a changeable poll takes a new one; bad choices change nothing.
    let again = watcher
        .command(&room, "poll.answer", json!({"id": single, "choices": [1]}))
        .await;
    assert_eq!(error_code(&again), ("error", "conflict"));
    for choices in [json!([]), json!([3]), json!([0, 0]), json!([-1])] {
        let bad = watcher
            .command(
                &room,
                "poll.answer",
                json!({"id": changeable, "choices": choices}),
            )
            .await;
        assert_eq!(error_code(&bad), ("error", "validation"), "{choices}");
    }
    let two = json!({"id": changeable, "choices": [2, 0]});
    assert_eq!(
        watcher.command(&room, "poll.answer", two).await["data"]["choices"],
        json!([0, 2])
    );
    let changed = json!({"id": changeable, "choices": [1]});
    assert_eq!(
        watcher.command(&room, "poll.answer", changed).await["type"],
        "ack"
    );
    let picked: Vec<i16> = sqlx::query_scalar(
        "select position from poll_choices where poll_id = $1::text::uuid order by position",
    )
    .bind(changeable.as_str().unwrap())
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(picked, [1]);

    let closed = mo
        .command(&backstage_of(&room), "poll.close", json!({"id": single}))
        .await;
    assert_eq!(closed["type"], "ack");
    let late = voters[1]
        .command(&room, "poll.answer", json!({"id": single, "choices": [0]}))
        .await;
    assert_eq!(error_code(&late), ("error", "conflict"));

    // A reload, on a restarted server: the closed poll keeps its shown results and one's answer.
    let restarted = spawn(db.clone()).await;
    let (_, token) = member_user(&restarted, conference, "Newcomer", "attendee").await;
    let mut newcomer = Client::connect(&restarted, &token).await;
    let state = snapshot_part(&newcomer.subscribe(&room, None).await, "poll");
    assert_eq!(state["polls"][0]["status"], "closed");
    assert_eq!(state["polls"][0]["counts"], json!([10, 10, 10]));
    assert_eq!(state["polls"][1]["counts"], Value::Null);
    let mut first = Client::connect(&restarted, &mo_token).await;
    let backstage = snapshot_part(&first.subscribe(&backstage_of(&room), None).await, "poll");
    assert_eq!(backstage["polls"][1]["counts"], json!([0, 1, 0]));
}
