//! Working groups: seats and their waitlist (REST), who enters the board's room, and every
//! board command (`board.*`) with its refusals; dots exact under concurrency, merges
//! without counting a voter twice, keywords folded, and the board surviving a restart.

use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

use crate::helpers::*;

/// A working-group session of `conference` with `capacity` seats: its id.
async fn working_group(db: &PgPool, conference: Uuid, capacity: Option<i32>) -> Uuid {
    let id = Uuid::new_v4();
    sqlx::query(
        "insert into sessions (id, conference_id, kind, title, starts_at, ends_at, capacity)
         values ($1, $2, 'working_group', '{\"en\":\"Textile\",\"fr\":\"Textile\"}', now(),
                 now() + interval '1 hour', $3)",
    )
    .bind(id)
    .bind(conference)
    .bind(capacity)
    .execute(db)
    .await
    .unwrap();
    id
}

fn seats_path(conference: Uuid, session: Uuid) -> String {
    // Test conferences use their id as slug.
    format!("/api/conferences/{conference}/sessions/{session}/seats")
}

/// An HTTP answer's status and JSON body.
async fn http_json(app: &TestApp, method: &str, path: &str, token: &str) -> (u16, Value) {
    let response = raw_http(app, method, path, Some(token), None).await;
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let status = head[9..12].parse().unwrap();
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

async fn sign_up(app: &TestApp, conference: Uuid, session: Uuid, token: &str) -> Value {
    let (status, seats) = http_json(app, "POST", &seats_path(conference, session), token).await;
    assert_eq!(status, 200, "{seats}");
    seats
}

/// A seated participant, connected and subscribed to the board: their id and client.
async fn participant(app: &TestApp, conference: Uuid, session: Uuid, name: &str) -> (Uuid, Client) {
    let (id, token) = member_user(app, conference, name, "attendee").await;
    let seats = sign_up(app, conference, session, &token).await;
    assert_eq!(seats["mine"]["status"], "seated", "{seats}");
    let mut client = Client::connect(app, &token).await;
    let subscribed = client.subscribe(&format!("workshop:{session}"), None).await;
    assert_eq!(
        subscribed.last().unwrap()["type"],
        "subscribed",
        "{subscribed:?}"
    );
    (id, client)
}

/// A facilitator of the session (its people), connected and subscribed.
async fn facilitator(app: &TestApp, conference: Uuid, session: Uuid) -> (Uuid, Client) {
    let (id, token) = member_user(app, conference, "Fatou", "attendee").await;
    sqlx::query(
        "insert into session_people (session_id, user_id, role) values ($1, $2, 'facilitator')",
    )
    .bind(session)
    .bind(id)
    .execute(&app.state.db)
    .await
    .unwrap();
    let mut client = Client::connect(app, &token).await;
    client.subscribe(&format!("workshop:{session}"), None).await;
    (id, client)
}

async fn acked(client: &mut Client, room: &str, name: &str, data: Value) -> Value {
    let answer = client.command(room, name, data).await;
    assert_eq!(answer["type"], "ack", "{name}: {answer}");
    answer["data"].clone()
}

/// The board's snapshot as `token`'s owner sees it on a fresh subscription.
async fn board_of(app: &TestApp, token: &str, room: &str) -> Value {
    let mut client = Client::connect(app, token).await;
    let messages = client.subscribe(room, None).await;
    snapshot_part(&messages, "board")
}

/// The answer to subscribing to `room`: `subscribed`, or the `error` refusing it.
async fn enter(client: &mut Client, room: &str) -> Value {
    client
        .send(json!({"type": "subscribe", "room": room, "since": null, "epoch": null}))
        .await;
    loop {
        let message = client.recv().await;
        if message["type"] == "subscribed" || message["type"] == "error" {
            return message;
        }
    }
}

async fn section_id(client: &mut Client, room: &str, at: usize) -> String {
    // The sections come with the snapshot; a fresh subscription reads them.
    let messages = client.subscribe(room, None).await;
    snapshot_part(&messages, "board")["sections"][at]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[sqlx::test(migrations = "../migrations")]
async fn seats_fill_then_a_waitlist_is_promoted_in_order_and_notified(db: PgPool) {
    let app = spawn(db.clone()).await;
    let conference = conference(&db).await;
    let session = working_group(&db, conference, Some(2)).await;
    let path = seats_path(conference, session);
    let mut tokens = Vec::new();
    for name in ["Ana", "Ben", "Cleo", "Dirk"] {
        tokens.push(member_user(&app, conference, name, "attendee").await);
    }
    let statuses: Vec<Value> = {
        let mut statuses = Vec::new();
        for (_, token) in &tokens {
            statuses.push(sign_up(&app, conference, session, token).await["mine"].clone());
        }
        statuses
    };
    assert_eq!(statuses[0]["status"], "seated");
    assert_eq!(statuses[1]["status"], "seated");
    assert_eq!(statuses[2], json!({"status": "waitlisted", "position": 1}));
    assert_eq!(statuses[3], json!({"status": "waitlisted", "position": 2}));
    // Signing up again changes nothing.
    let again = sign_up(&app, conference, session, &tokens[2].1).await;
    assert_eq!(again["mine"]["position"], 1);
    assert_eq!(again["people"], Value::Null, "the list is for who runs it");

    // Cleo, waiting, cannot enter the board.
    let mut cleo = Client::connect(&app, &tokens[2].1).await;
    let refused = enter(&mut cleo, &format!("workshop:{session}")).await;
    assert_eq!(refused["code"], "not_found", "{refused}");

    // The session's room hears the seats change (the group's chat is there).
    let mut ben = Client::connect(&app, &tokens[1].1).await;
    ben.subscribe(&format!("session:{session}"), None).await;
    let (status, seats) = http_json(&app, "DELETE", &path, &tokens[0].1).await;
    assert_eq!(status, 200);
    let changed = next_event(&mut ben, "workshop.seats").await;
    assert_eq!(changed, json!({"seated": 2, "waitlisted": 1}));
    assert_eq!(seats["mine"], Value::Null);
    assert_eq!(
        (seats["seated"].as_i64(), seats["waitlisted"].as_i64()),
        (Some(2), Some(1))
    );
    let (_, cleo_seat) = http_json(&app, "GET", &path, &tokens[2].1).await;
    assert_eq!(cleo_seat["mine"]["status"], "seated");
    let (_, dirk_seat) = http_json(&app, "GET", &path, &tokens[3].1).await;
    assert_eq!(
        dirk_seat["mine"],
        json!({"status": "waitlisted", "position": 1})
    );
    let kinds: Vec<String> =
        sqlx::query_scalar("select kind from notifications where user_id = $1")
            .bind(tokens[2].0)
            .fetch_all(&db)
            .await
            .unwrap();
    assert_eq!(kinds, ["workshop.seat"]);
    // Promoted, Cleo enters the board at once.
    let entered = cleo.subscribe(&format!("workshop:{session}"), None).await;
    assert_eq!(entered.last().unwrap()["type"], "subscribed", "{entered:?}");
    assert!(entered.last().unwrap()["roles"]
        .as_array()
        .unwrap()
        .contains(&json!("participant")));

    // A seat the organiser adds goes to Dirk, who waited, not to Eve, who just came.
    sqlx::query("update sessions set capacity = 3 where id = $1")
        .bind(session)
        .execute(&db)
        .await
        .unwrap();
    let (_, eve) = member_user(&app, conference, "Eve", "attendee").await;
    let eve_seat = sign_up(&app, conference, session, &eve).await;
    assert_eq!(
        eve_seat["mine"],
        json!({"status": "waitlisted", "position": 1})
    );
    let (_, dirk_seat) = http_json(&app, "GET", &path, &tokens[3].1).await;
    assert_eq!(dirk_seat["mine"]["status"], "seated");

    // Nothing to give back twice; a panel has no seats; a stranger sees nothing.
    assert_eq!(http_json(&app, "DELETE", &path, &tokens[0].1).await.0, 404);
    let panel = session_of_kind(&db, conference).await;
    assert_eq!(
        http_json(&app, "POST", &seats_path(conference, panel), &tokens[0].1)
            .await
            .0,
        404
    );
    let (_, stranger) = user(&app, "Stranger").await;
    assert_eq!(http_json(&app, "GET", &path, &stranger).await.0, 404);
}

async fn session_of_kind(db: &PgPool, conference: Uuid) -> Uuid {
    session(db, conference, "public").await
}

#[sqlx::test(migrations = "../migrations")]
async fn concurrent_withdrawals_promote_each_waiting_person_once(db: PgPool) {
    let app = spawn(db.clone()).await;
    let conference = conference(&db).await;
    let session = working_group(&db, conference, Some(6)).await;
    let mut people = Vec::new();
    for n in 0..12 {
        let (id, token) = member_user(&app, conference, &format!("P{n}"), "attendee").await;
        sign_up(&app, conference, session, &token).await;
        people.push((id, token));
    }
    let path = seats_path(conference, session);
    let withdrawals = people[..6].iter().map(|(_, token)| {
        let (app, path, token) = (&app, &path, token.clone());
        async move { http_json(app, "DELETE", path, &token).await.0 }
    });
    let statuses = futures_util::future::join_all(withdrawals).await;
    assert!(statuses.iter().all(|status| *status == 200), "{statuses:?}");
    let seated: Vec<Uuid> = sqlx::query_scalar(
        "select user_id from workshop_seats where session_id = $1 and status = 'seated' order by user_id",
    )
    .bind(session)
    .fetch_all(&db)
    .await
    .unwrap();
    let mut waiting: Vec<Uuid> = people[6..].iter().map(|(id, _)| *id).collect();
    waiting.sort();
    assert_eq!(
        seated, waiting,
        "exactly the six waiting took the six seats"
    );
    let notified: i64 =
        sqlx::query_scalar("select count(*) from notifications where kind = 'workshop.seat'")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(notified, 6);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_board_opens_with_the_default_sections_and_admits_observers_only_when_allowed(
    db: PgPool,
) {
    let app = spawn(db.clone()).await;
    let conference = conference(&db).await;
    let session = working_group(&db, conference, None).await;
    let room = format!("workshop:{session}");
    let (_, mut ana) = participant(&app, conference, session, "Ana").await;
    let (_, mut fatou) = facilitator(&app, conference, session).await;
    let (_, olga_token) = member_user(&app, conference, "Olga", "attendee").await;

    let mut olga = Client::connect(&app, &olga_token).await;
    let refused = enter(&mut olga, &room).await;
    assert_eq!(
        refused["code"], "not_found",
        "no board for someone without a seat"
    );
    let messages = ana.subscribe(&room, None).await;
    let board = snapshot_part(&messages, "board");
    let titles: Vec<&str> = board["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|section| section["title"]["fr"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Questions",
            "Constats",
            "Propositions",
            "Feuille de route et engagements",
            "Mots-clés"
        ]
    );
    assert_eq!(board["sections"][4]["kind"], "keywords");
    assert_eq!(board["settings"]["locked"], false);

    let refused = ana
        .command(
            &room,
            "board.settings",
            json!({"locked": true, "observers": true, "keywords_per_person": 3}),
        )
        .await;
    assert_eq!(error_code(&refused), ("error", "forbidden"));
    acked(
        &mut fatou,
        &room,
        "board.settings",
        json!({"locked": false, "observers": true, "keywords_per_person": 3}),
    )
    .await;
    let entered = olga.subscribe(&room, None).await;
    let roles = entered.last().unwrap()["roles"].clone();
    assert!(
        roles.as_array().unwrap().contains(&json!("observer")),
        "{entered:?}"
    );
    let section = snapshot_part(&entered, "board")["sections"][0]["id"].clone();
    let refused = olga
        .command(
            &room,
            "board.add_note",
            json!({"section_id": section, "body": "Hi", "language": "en"}),
        )
        .await;
    assert_eq!(
        error_code(&refused),
        ("error", "forbidden"),
        "an observer only reads"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn notes_are_written_by_their_authors_arranged_by_facilitators_and_refused_when_bad(
    db: PgPool,
) {
    let app = spawn(db.clone()).await;
    let conference = conference(&db).await;
    let session = working_group(&db, conference, None).await;
    let room = format!("workshop:{session}");
    let (ana_id, mut ana) = participant(&app, conference, session, "Ana").await;
    let (_, mut ben) = participant(&app, conference, session, "Ben").await;
    let (fatou_id, mut fatou) = facilitator(&app, conference, session).await;
    let questions = section_id(&mut ana, &room, 0).await;
    let keywords = section_id(&mut ana, &room, 4).await;
    let findings = section_id(&mut ana, &room, 1).await;

    for (data, field) in [
        (
            json!({"section_id": questions, "body": "x".repeat(1001), "language": "fr"}),
            "body",
        ),
        (
            json!({"section_id": questions, "body": "  ", "language": "fr"}),
            "body",
        ),
        (
            json!({"section_id": questions, "body": "Ok", "language": "french"}),
            "language",
        ),
    ] {
        let refused = ana.command(&room, "board.add_note", data).await;
        assert_eq!(error_code(&refused), ("error", "validation"), "{refused}");
        assert_eq!(refused["fields"][0]["field"], field);
    }
    let refused = ana
        .command(
            &room,
            "board.add_note",
            json!({"section_id": Uuid::new_v4(), "body": "Ok", "language": "fr"}),
        )
        .await;
    assert_eq!(error_code(&refused), ("error", "not_found"));
    let refused = ana
        .command(
            &room,
            "board.add_note",
            json!({"section_id": keywords, "body": "Ok", "language": "fr"}),
        )
        .await;
    assert_eq!(
        refused["conflict"]["reason"], "keywords_section_takes_no_notes",
        "{refused}"
    );

    let note = acked(
        &mut ana,
        &room,
        "board.add_note",
        json!({"section_id": questions, "body": "Comment financer une joint venture transfrontalière ?", "language": "fr"}),
    )
    .await;
    assert_eq!(note["author"]["id"], json!(ana_id));
    assert_eq!(
        (note["version"].as_i64(), note["dots"].as_i64()),
        (Some(1), Some(0))
    );
    let seen = next_event(&mut ben, "board.note").await;
    assert_eq!(seen["id"], note["id"]);
    let id = note["id"].clone();

    let refused = ben
        .command(
            &room,
            "board.edit_note",
            json!({"id": id, "body": "Mine now", "language": "en", "version": 1}),
        )
        .await;
    assert_eq!(error_code(&refused), ("error", "forbidden"));
    let refused = ben
        .command(&room, "board.delete_note", json!({"id": id}))
        .await;
    assert_eq!(error_code(&refused), ("error", "forbidden"));
    let refused = ben
        .command(
            &room,
            "board.move_note",
            json!({"id": id, "section_id": findings}),
        )
        .await;
    assert_eq!(error_code(&refused), ("error", "forbidden"));

    // Ana and the facilitator edit the same version at once: the later write wins, and the
    // event tells Ana whose text replaced hers.
    let mine = acked(
        &mut ana,
        &room,
        "board.edit_note",
        json!({"id": id, "body": "Comment financer une JV transfrontalière ?", "language": "fr", "version": 1}),
    )
    .await;
    assert_eq!(mine["version"], 2);
    assert_eq!(mine["overwrote"], Value::Null);
    let theirs = acked(
        &mut fatou,
        &room,
        "board.edit_note",
        json!({"id": id, "body": "Hoe een grensoverschrijdende joint venture financieren?", "language": "nl", "version": 1}),
    )
    .await;
    assert_eq!(theirs["version"], 3);
    assert_eq!(theirs["overwrote"], json!(ana_id));
    assert_eq!(theirs["edited_by"]["id"], json!(fatou_id));
    assert_eq!(theirs["language"], "nl");

    let arranged = acked(
        &mut fatou,
        &room,
        "board.arrange_note",
        json!({"id": id, "colour": "blue", "pinned": true, "group_label": "Financement"}),
    )
    .await;
    assert_eq!(
        (arranged["colour"].as_str(), arranged["pinned"].as_bool()),
        (Some("blue"), Some(true))
    );
    let moved = acked(
        &mut fatou,
        &room,
        "board.move_note",
        json!({"id": id, "section_id": findings}),
    )
    .await;
    assert_eq!(moved["section_id"].as_str(), Some(findings.as_str()));
    let refused = fatou
        .command(
            &room,
            "board.move_note",
            json!({"id": id, "section_id": keywords}),
        )
        .await;
    assert_eq!(
        refused["conflict"]["reason"],
        "keywords_section_takes_no_notes"
    );

    // A locked board refuses participants, not facilitators.
    acked(
        &mut fatou,
        &room,
        "board.settings",
        json!({"locked": true, "observers": false, "keywords_per_person": 3}),
    )
    .await;
    let refused = ana
        .command(
            &room,
            "board.add_note",
            json!({"section_id": questions, "body": "Late", "language": "fr"}),
        )
        .await;
    assert_eq!(refused["conflict"]["reason"], "board_locked", "{refused}");
    let refused = ana
        .command(&room, "board.delete_note", json!({"id": id}))
        .await;
    assert_eq!(refused["conflict"]["reason"], "board_locked");
    acked(
        &mut fatou,
        &room,
        "board.add_note",
        json!({"section_id": questions, "body": "Synthèse", "language": "fr"}),
    )
    .await;
    acked(
        &mut fatou,
        &room,
        "board.settings",
        json!({"locked": false, "observers": false, "keywords_per_person": 3}),
    )
    .await;
    acked(&mut ana, &room, "board.delete_note", json!({"id": id})).await;
    let removed = next_event(&mut ben, "board.note_removed").await;
    assert_eq!(removed["id"], id);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_person_may_have_at_most_200_notes_on_a_board(db: PgPool) {
    let app = spawn(db.clone()).await;
    let conference = conference(&db).await;
    let session = working_group(&db, conference, None).await;
    let room = format!("workshop:{session}");
    let (ana_id, mut ana) = participant(&app, conference, session, "Ana").await;
    let questions = section_id(&mut ana, &room, 0).await;
    // 199 written directly, the 200th and 201st through the command.
    sqlx::query(
        "insert into board_notes (id, session_id, section_id, author_id, body, language)
         select gen_random_uuid(), $1, $2, $3, 'n' || n, 'en' from generate_series(1, 199) n",
    )
    .bind(session)
    .bind(Uuid::parse_str(&questions).unwrap())
    .bind(ana_id)
    .execute(&db)
    .await
    .unwrap();
    sqlx::query("insert into board_authors (session_id, user_id, notes) values ($1, $2, 199)")
        .bind(session)
        .bind(ana_id)
        .execute(&db)
        .await
        .unwrap();
    acked(
        &mut ana,
        &room,
        "board.add_note",
        json!({"section_id": questions, "body": "200", "language": "en"}),
    )
    .await;
    let refused = ana
        .command(
            &room,
            "board.add_note",
            json!({"section_id": questions, "body": "201", "language": "en"}),
        )
        .await;
    assert_eq!(
        refused["conflict"],
        json!({"reason": "too_many_notes", "max": 200}),
        "{refused}"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn dots_are_exact_under_concurrency_and_only_while_a_round_is_open(db: PgPool) {
    let app = spawn(db.clone()).await;
    let conference = conference(&db).await;
    let session = working_group(&db, conference, None).await;
    let room = format!("workshop:{session}");
    let (_, mut fatou) = facilitator(&app, conference, session).await;
    let questions = section_id(&mut fatou, &room, 0).await;
    let note = acked(
        &mut fatou,
        &room,
        "board.add_note",
        json!({"section_id": questions, "body": "Financer", "language": "fr"}),
    )
    .await;
    let note_id = note["id"].clone();

    let mut voters = Vec::new();
    for n in 0..12 {
        voters.push(
            participant(&app, conference, session, &format!("V{n}"))
                .await
                .1,
        );
    }
    let refused = voters[0]
        .command(&room, "board.dot", json!({"id": note_id}))
        .await;
    assert_eq!(refused["conflict"]["reason"], "no_voting_round");
    let refused = voters[0]
        .command(&room, "board.open_round", json!({"dots": 3}))
        .await;
    assert_eq!(error_code(&refused), ("error", "forbidden"));
    let refused = fatou
        .command(&room, "board.open_round", json!({"dots": 21}))
        .await;
    assert_eq!(error_code(&refused), ("error", "validation"));
    let settings = acked(&mut fatou, &room, "board.open_round", json!({"dots": 3})).await;
    assert_eq!(settings["round"]["dots"], 3);
    let refused = fatou
        .command(&room, "board.open_round", json!({"dots": 3}))
        .await;
    assert_eq!(refused["conflict"]["reason"], "voting_round_open");

    // Every voter sends five dots at once, all voters at once: three count each.
    let storms = voters.iter_mut().map(|voter| {
        let (room, note_id) = (&room, &note_id);
        async move {
            let ids: Vec<Uuid> = (0..5).map(|_| Uuid::new_v4()).collect();
            for id in &ids {
                voter
                    .send(json!({"type": "command", "id": id, "room": room, "name": "board.dot", "data": {"id": note_id}}))
                    .await;
            }
            let mut acks = 0;
            let mut no_dots = 0;
            for id in ids {
                let answer = voter.answer(id).await;
                if answer["type"] == "ack" {
                    acks += 1;
                } else {
                    assert_eq!(answer["conflict"]["reason"], "no_dots_left", "{answer}");
                    no_dots += 1;
                }
            }
            (acks, no_dots)
        }
    });
    let results = futures_util::future::join_all(storms).await;
    assert!(
        results.iter().all(|result| *result == (3, 2)),
        "{results:?}"
    );
    let total: i64 = sqlx::query_scalar("select sum(dots)::int8 from board_dots")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(total, 36);
    // Each event's total includes every dot before it: the last one a screen gets is exact.
    let mut last = Value::Null;
    for _ in 0..36 {
        last = next_event(&mut fatou, "board.dots").await;
    }
    assert_eq!(last["notes"][0]["dots"], 36, "{last}");

    let taken_back = acked(&mut voters[0], &room, "board.undot", json!({"id": note_id})).await;
    assert_eq!(
        (
            taken_back["dots"].as_i64(),
            taken_back["mine"].as_i64(),
            taken_back["remaining"].as_i64()
        ),
        (Some(35), Some(2), Some(1))
    );
    acked(&mut fatou, &room, "board.close_round", json!({})).await;
    let refused = voters[1]
        .command(&room, "board.undot", json!({"id": note_id}))
        .await;
    assert_eq!(refused["conflict"]["reason"], "no_voting_round");
    let messages = voters[1].subscribe(&room, None).await;
    let board = snapshot_part(&messages, "board");
    assert_eq!(board["notes"][0]["dots"], 35, "dots stay after the round");
    assert_eq!(board["settings"]["round"], Value::Null);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_merge_adds_the_dots_without_counting_a_voter_twice(db: PgPool) {
    let app = spawn(db.clone()).await;
    let conference = conference(&db).await;
    let session = working_group(&db, conference, None).await;
    let room = format!("workshop:{session}");
    let (_, mut fatou) = facilitator(&app, conference, session).await;
    let (ana_id, mut ana) = participant(&app, conference, session, "Ana").await;
    let (_, mut ben) = participant(&app, conference, session, "Ben").await;
    let proposals = section_id(&mut ana, &room, 2).await;
    let duplicate = acked(
        &mut ana,
        &room,
        "board.add_note",
        json!({"section_id": proposals, "body": "Un guichet unique", "language": "fr"}),
    )
    .await["id"]
        .clone();
    let kept = acked(
        &mut ben,
        &room,
        "board.add_note",
        json!({"section_id": proposals, "body": "Eén loket", "language": "nl"}),
    )
    .await["id"]
        .clone();
    acked(&mut fatou, &room, "board.open_round", json!({"dots": 5})).await;
    for _ in 0..2 {
        acked(&mut ana, &room, "board.dot", json!({"id": duplicate})).await;
    }
    acked(&mut ana, &room, "board.dot", json!({"id": kept})).await;
    acked(&mut ben, &room, "board.dot", json!({"id": duplicate})).await;

    let refused = fatou
        .command(
            &room,
            "board.merge_notes",
            json!({"id": kept, "into": kept}),
        )
        .await;
    assert_eq!(refused["conflict"]["reason"], "merge_into_itself");
    let refused = ana
        .command(
            &room,
            "board.merge_notes",
            json!({"id": duplicate, "into": kept}),
        )
        .await;
    assert_eq!(error_code(&refused), ("error", "forbidden"));
    let merged = acked(
        &mut fatou,
        &room,
        "board.merge_notes",
        json!({"id": duplicate, "into": kept}),
    )
    .await;
    // Ana: max(2, 1) = 2, Ben: 1.
    assert_eq!(merged["dots"], 3);
    assert_eq!(merged["body"], "Eén loket\n\nUn guichet unique");
    let mut refunds = None;
    while refunds.is_none() {
        let dots = next_event(&mut ben, "board.dots").await;
        refunds = dots["voters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|voter| voter["user_id"] == json!(ana_id))
            .cloned();
    }
    assert_eq!(refunds.unwrap()["remaining"], 3, "Ana spent 3, gets 1 back");
    let messages = ana.subscribe(&room, None).await;
    let board = snapshot_part(&messages, "board");
    assert_eq!(board["notes"].as_array().unwrap().len(), 1);
    assert_eq!(board["mine"]["remaining_dots"], 3);
    assert_eq!(board["mine"]["dots"], json!([{"id": kept, "dots": 2}]));
}

#[sqlx::test(migrations = "../migrations")]
async fn keywords_fold_case_and_accents_within_the_allowance(db: PgPool) {
    let app = spawn(db.clone()).await;
    let conference = conference(&db).await;
    let session = working_group(&db, conference, None).await;
    let room = format!("workshop:{session}");
    let (_, mut ana) = participant(&app, conference, session, "Ana").await;
    let (_, mut ben) = participant(&app, conference, session, "Ben").await;
    let (_, mut fatou) = facilitator(&app, conference, session).await;
    acked(
        &mut fatou,
        &room,
        "board.settings",
        json!({"locked": false, "observers": false, "keywords_per_person": 2}),
    )
    .await;

    acked(
        &mut ana,
        &room,
        "board.propose_keyword",
        json!({"word": "Décloisonnement"}),
    )
    .await;
    let mine = acked(
        &mut ben,
        &room,
        "board.propose_keyword",
        json!({"word": "decloisonnement"}),
    )
    .await;
    assert_eq!(mine["folded"], json!(["decloisonnement"]));
    let refused = ana
        .command(
            &room,
            "board.propose_keyword",
            json!({"word": "DÉCLOISONNEMENT"}),
        )
        .await;
    assert_eq!(refused["conflict"]["reason"], "keyword_already_proposed");
    acked(
        &mut ana,
        &room,
        "board.propose_keyword",
        json!({"word": "Confiance"}),
    )
    .await;
    let refused = ana
        .command(
            &room,
            "board.propose_keyword",
            json!({"word": "Vertrouwen"}),
        )
        .await;
    assert_eq!(
        refused["conflict"],
        json!({"reason": "too_many_keywords", "max": 2})
    );
    let refused = ana
        .command(
            &room,
            "board.propose_keyword",
            json!({"word": "x".repeat(41)}),
        )
        .await;
    assert_eq!(error_code(&refused), ("error", "validation"));

    let cloud = loop {
        let cloud = next_event(&mut fatou, "board.keywords").await;
        if cloud["words"].as_array().unwrap().len() == 2 {
            break cloud;
        }
    };
    assert_eq!(cloud["words"][0]["folded"], "decloisonnement");
    assert_eq!(cloud["words"][0]["people"], 2);
    assert_eq!(cloud["words"][1]["word"], "Confiance");

    acked(
        &mut ana,
        &room,
        "board.withdraw_keyword",
        json!({"word": "confiance"}),
    )
    .await;
    acked(
        &mut ana,
        &room,
        "board.propose_keyword",
        json!({"word": "Vertrouwen"}),
    )
    .await;
    let refused = ana
        .command(&room, "board.withdraw_keyword", json!({"word": "Nope"}))
        .await;
    assert_eq!(error_code(&refused), ("error", "not_found"));
}

#[sqlx::test(migrations = "../migrations")]
async fn facilitators_shape_the_sections_and_run_the_clock(db: PgPool) {
    let app = spawn(db.clone()).await;
    let conference = conference(&db).await;
    let session = working_group(&db, conference, None).await;
    let room = format!("workshop:{session}");
    let (_, mut ana) = participant(&app, conference, session, "Ana").await;
    let (moderator_id, _) = member_user(&app, conference, "Mod", "attendee").await;
    sqlx::query(
        "insert into session_people (session_id, user_id, role) values ($1, $2, 'moderator')",
    )
    .bind(session)
    .bind(moderator_id)
    .execute(&db)
    .await
    .unwrap();
    let (_, mut fatou) = facilitator(&app, conference, session).await;

    let refused = ana
        .command(
            &room,
            "board.add_section",
            json!({"title": {"en": "Risks"}}),
        )
        .await;
    assert_eq!(error_code(&refused), ("error", "forbidden"));
    let refused = fatou
        .command(&room, "board.add_section", json!({"title": {"en": " "}}))
        .await;
    assert_eq!(error_code(&refused), ("error", "validation"));
    let added = acked(
        &mut fatou,
        &room,
        "board.add_section",
        json!({"title": {"en": "Risks", "fr": "Risques"}}),
    )
    .await;
    let risks = added["id"].clone();
    let sections = next_event(&mut ana, "board.sections").await;
    assert_eq!(sections["sections"].as_array().unwrap().len(), 6);
    acked(
        &mut fatou,
        &room,
        "board.move_section",
        json!({"id": risks, "position": 0}),
    )
    .await;
    let prompts = json!([
        {"fr": "Freins et barrières à lever", "nl": "Weg te werken remmen en barrières"},
        {"fr": "Comment financer une joint venture transfrontalière ?", "nl": "Hoe een grensoverschrijdende joint venture financieren?"}
    ]);
    acked(
        &mut fatou,
        &room,
        "board.edit_section",
        json!({"id": risks, "title": {"en": "Barriers"}, "prompts": prompts}),
    )
    .await;
    let refused = fatou
        .command(
            &room,
            "board.move_section",
            json!({"id": risks, "position": 6}),
        )
        .await;
    assert_eq!(error_code(&refused), ("error", "validation"));
    let messages = ana.subscribe(&room, None).await;
    let board = snapshot_part(&messages, "board");
    assert_eq!(board["sections"][0]["title"], json!({"en": "Barriers"}));
    assert_eq!(board["sections"][0]["prompts"], prompts);
    assert_eq!(board["sections"][1]["title"]["en"], "Questions");
    let note = acked(&mut ana, &room, "board.add_note", json!({"section_id": risks, "body": "Règles de marchés publics divergentes", "language": "fr"})).await;
    acked(
        &mut fatou,
        &room,
        "board.remove_section",
        json!({"id": risks}),
    )
    .await;
    let messages = ana.subscribe(&room, None).await;
    let board = snapshot_part(&messages, "board");
    assert_eq!(board["sections"].as_array().unwrap().len(), 5);
    assert!(board["notes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n["id"] != note["id"]));

    let refused = fatou
        .command(&room, "board.timer", json!({"seconds": 4 * 3600 + 1}))
        .await;
    assert_eq!(error_code(&refused), ("error", "validation"));
    let settings = acked(
        &mut fatou,
        &room,
        "board.timer",
        json!({"seconds": 600, "label": "Propositions"}),
    )
    .await;
    assert_eq!(settings["timer"]["label"], "Propositions");
    let settings = acked(&mut fatou, &room, "board.timer", json!({"seconds": 0})).await;
    assert_eq!(settings["timer"], Value::Null);

    let called = acked(&mut ana, &room, "board.call_moderator", json!({})).await;
    assert_eq!(called["moderators"], 1);
    let refused = ana.command(&room, "board.call_moderator", json!({})).await;
    assert_eq!(refused["conflict"]["reason"], "moderator_called_recently");
    let kinds: Vec<String> =
        sqlx::query_scalar("select kind from notifications where user_id = $1")
            .bind(moderator_id)
            .fetch_all(&db)
            .await
            .unwrap();
    assert_eq!(kinds, ["workshop.call"]);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_board_survives_a_restart_and_a_reconnect_replays_what_was_missed(db: PgPool) {
    let app = spawn(db.clone()).await;
    let conference = conference(&db).await;
    let session = working_group(&db, conference, None).await;
    let room = format!("workshop:{session}");
    let (ana_id, ana_token) = member_user(&app, conference, "Ana", "attendee").await;
    sign_up(&app, conference, session, &ana_token).await;
    let (_, mut ben) = participant(&app, conference, session, "Ben").await;
    let mut ana = Client::connect(&app, &ana_token).await;
    let messages = ana.subscribe(&room, None).await;
    let head = messages.last().unwrap()["seq"].as_i64().unwrap_or(0);
    let questions = snapshot_part(&messages, "board")["sections"][0]["id"].clone();
    ana.close().await;

    let note = acked(&mut ben, &room, "board.add_note", json!({"section_id": questions, "body": "Avoir l'envie de travailler ensemble !", "language": "fr"})).await;
    let mut ana = Client::connect(&app, &ana_token).await;
    let replayed = ana.subscribe(&room, Some(head)).await;
    let notes: Vec<&Value> = replayed
        .iter()
        .filter(|message| message["type"] == "event" && message["name"] == "board.note")
        .collect();
    assert_eq!(notes.len(), 1, "{replayed:?}");
    assert_eq!(notes[0]["data"]["id"], note["id"]);

    drop(app);
    let restarted = spawn(db.clone()).await;
    let token = restarted.state.keys.issue(ana_id, Uuid::new_v4()).unwrap();
    let board = board_of(&restarted, &token, &room).await;
    assert_eq!(
        board["notes"][0]["body"],
        "Avoir l'envie de travailler ensemble !"
    );
}
