//! A working group's synthesis (`synthesis.*`): who writes it, bad updates refused, two
//! writers typing at once converging, nothing lost or doubled across a reconnect, the
//! pre-fill from the board, publishing versions, and the Outcomes page's routes.

use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;
use yrs::updates::decoder::Decode;
use yrs::{Doc, GetString, Text, Transact, Update};

use crate::helpers::*;

/// A working group: its conference, room, and a facilitator, two seated participants and a
/// member without a seat, each logged in.
struct Group {
    conference: Uuid,
    session: Uuid,
    room: String,
    facilitator: String,
    ana: (Uuid, String),
    ben: (Uuid, String),
    outsider: (Uuid, String),
}

async fn group(app: &TestApp, db: &PgPool) -> Group {
    let conference = conference(db).await;
    let session = Uuid::new_v4();
    sqlx::query(
        "insert into sessions (id, conference_id, kind, title, starts_at, ends_at, capacity)
         values ($1, $2, 'working_group', '{\"en\":\"Skills\",\"fr\":\"Compétences\"}',
                 now(), now() + interval '1 hour', 20)",
    )
    .bind(session)
    .bind(conference)
    .execute(db)
    .await
    .unwrap();
    let (facilitator_id, facilitator) = member_user(app, conference, "Fay", "attendee").await;
    sqlx::query(
        "insert into session_people (session_id, user_id, role) values ($1, $2, 'facilitator')",
    )
    .bind(session)
    .bind(facilitator_id)
    .execute(db)
    .await
    .unwrap();
    let ana = member_user(app, conference, "Ana", "attendee").await;
    let ben = member_user(app, conference, "Ben", "attendee").await;
    for seated in [ana.0, ben.0] {
        sqlx::query(
            "insert into workshop_seats (session_id, user_id, status) values ($1, $2, 'seated')",
        )
        .bind(session)
        .bind(seated)
        .execute(db)
        .await
        .unwrap();
    }
    let outsider = member_user(app, conference, "Oto", "attendee").await;
    Group {
        conference,
        session,
        room: format!("workshop:{session}"),
        facilitator,
        ana,
        ben,
        outsider,
    }
}

/// A person in the room with their own copy of the document, as a browser keeps it.
struct Writer {
    client: Client,
    doc: Doc,
    room: String,
}

impl Writer {
    async fn join(app: &TestApp, token: &str, room: &str) -> Writer {
        Writer::joined(Client::connect(app, token).await, room)
            .await
            .0
    }

    /// Subscribes `client` to `room`; also returns the `subscribed` message (its seq and
    /// epoch are what a reconnecting browser remembers).
    async fn joined(mut client: Client, room: &str) -> (Writer, Value) {
        let subscribed = client.subscribe(room, None).await;
        let writer = Writer {
            client,
            doc: Doc::new(),
            room: room.to_owned(),
        };
        writer.apply(
            snapshot_part(&subscribed, "synthesis")["state"]
                .as_str()
                .unwrap(),
        );
        (writer, subscribed.last().unwrap().clone())
    }

    fn apply(&self, base64: &str) {
        let update = Update::decode_v1(&STANDARD.decode(base64).unwrap()).unwrap();
        self.doc.transact_mut().apply_update(update).unwrap();
    }

    fn text(&self) -> String {
        let text = self.doc.get_or_insert_text("markdown");
        text.get_string(&self.doc.transact())
    }

    /// Types `typed` at `index` (clamped to the end) and returns the update to send.
    fn type_at(&self, index: u32, typed: &str) -> String {
        let text = self.doc.get_or_insert_text("markdown");
        let mut txn = self.doc.transact_mut();
        let index = index.min(text.len(&txn));
        text.insert(&mut txn, index, typed);
        STANDARD.encode(txn.encode_update_v1())
    }

    /// Sends an edit and waits for its answer, applying others' edits meanwhile.
    async fn edit(&mut self, update: String) -> Value {
        let id = Uuid::new_v4();
        let room = self.room.clone();
        self.client
            .send(
                json!({"type": "command", "id": id, "room": room, "name": "synthesis.edit",
                         "data": {"update": update}}),
            )
            .await;
        loop {
            let message = self.client.recv().await;
            if message["type"] == "event" && message["name"] == "synthesis.updated" {
                self.apply(message["data"]["update"].as_str().unwrap());
            } else if message["id"] == json!(id) {
                return message;
            }
        }
    }

    async fn publish(&mut self) -> Value {
        let room = self.room.clone();
        self.client
            .command(&room, "synthesis.publish", json!({}))
            .await
    }

    /// Applies the room's `synthesis.updated` events until the document reads `expected`.
    async fn until_text(&mut self, expected: &str) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while self.text() != expected {
            assert!(
                tokio::time::Instant::now() < deadline,
                "stuck at {:?}",
                self.text()
            );
            let update = next_event(&mut self.client, "synthesis.updated").await;
            self.apply(update["update"].as_str().unwrap());
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn only_facilitators_and_the_rapporteurs_they_name_write(db: PgPool) {
    let app = spawn(db.clone()).await;
    let group = group(&app, &db).await;
    let mut fay = Writer::join(&app, &group.facilitator, &group.room).await;
    let mut ana = Writer::join(&app, &group.ana.1, &group.room).await;
    let update = ana.type_at(0, "Ana was here");
    let refused = ana.edit(update.clone()).await;
    assert_eq!(error_code(&refused), ("error", "forbidden"), "{refused}");
    for (name, data) in [
        ("synthesis.publish", json!({})),
        ("synthesis.prefill", json!({"language": "en"})),
        ("synthesis.rapporteurs", json!({"user_ids": [group.ana.0]})),
        ("synthesis.candidates", json!({})),
    ] {
        let refused = ana.client.command(&group.room, name, data).await;
        assert_eq!(
            error_code(&refused),
            ("error", "forbidden"),
            "{name}: {refused}"
        );
    }

    let room = group.room.clone();
    let candidates = fay
        .client
        .command(&room, "synthesis.candidates", json!({}))
        .await;
    let names: Vec<&str> = candidates["data"]["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|person| person["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Ana", "Ben", "Fay"]);
    let refused = fay
        .client
        .command(
            &room,
            "synthesis.rapporteurs",
            json!({"user_ids": [group.outsider.0]}),
        )
        .await;
    assert_eq!(error_code(&refused), ("error", "conflict"), "{refused}");
    assert_eq!(refused["conflict"]["reason"], "rapporteur_not_in_group");

    let named = fay
        .client
        .command(
            &room,
            "synthesis.rapporteurs",
            json!({"user_ids": [group.ana.0, group.ana.0]}),
        )
        .await;
    assert_eq!(
        named["data"]["rapporteurs"],
        json!([{"id": group.ana.0, "name": "Ana"}])
    );
    let told = next_event(&mut ana.client, "synthesis.rapporteurs").await;
    assert_eq!(told["rapporteurs"][0]["name"], "Ana");
    let accepted = ana.edit(update).await;
    assert_eq!(accepted["type"], "ack", "{accepted}");
    fay.until_text("Ana was here").await;

    // Named no more: refused again.
    fay.client
        .command(&room, "synthesis.rapporteurs", json!({"user_ids": []}))
        .await;
    let update = ana.type_at(0, "!");
    let refused = ana.edit(update).await;
    assert_eq!(error_code(&refused), ("error", "forbidden"), "{refused}");
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_updates_are_refused_with_a_clear_error_and_change_nothing(db: PgPool) {
    let app = spawn(db.clone()).await;
    let group = group(&app, &db).await;
    let mut fay = Writer::join(&app, &group.facilitator, &group.room).await;
    let truncated = {
        let full = STANDARD.decode(fay.type_at(0, "lost")).unwrap();
        STANDARD.encode(&full[..full.len() / 2])
    };
    fay.doc = Doc::new();
    for (update, code, says) in [
        ("not base64 ☃".to_owned(), "bad_request", "not base64"),
        (
            STANDARD.encode([0xffu8; 40]),
            "bad_request",
            "not a valid Yjs update",
        ),
        (truncated, "bad_request", "not a valid Yjs update"),
        (STANDARD.encode(vec![0u8; 33 * 1024]), "validation", ""),
    ] {
        let refused = fay.edit(update).await;
        assert_eq!(error_code(&refused), ("error", code), "{refused}");
        assert!(
            refused["message"].as_str().unwrap().contains(says),
            "{refused}"
        );
        assert_eq!(refused["room"], group.room);
    }
    let refused = fay
        .client
        .command(&group.room, "synthesis.edit", json!({"update": 42}))
        .await;
    assert_eq!(error_code(&refused), ("error", "bad_request"), "{refused}");

    // The socket carries on, and the document never saw the bad ones.
    let update = fay.type_at(0, "Findings");
    assert_eq!(fay.edit(update).await["type"], "ack");
    let late = Writer::join(&app, &group.ana.1, &group.room).await;
    assert_eq!(late.text(), "Findings");
}

#[sqlx::test(migrations = "../migrations")]
async fn two_writers_typing_at_once_end_with_the_same_document(db: PgPool) {
    let app = spawn(db.clone()).await;
    let group = group(&app, &db).await;
    let mut fay = Writer::join(&app, &group.facilitator, &group.room).await;
    let room = group.room.clone();
    fay.client
        .command(
            &room,
            "synthesis.rapporteurs",
            json!({"user_ids": [group.ana.0]}),
        )
        .await;
    let ana = Writer::join(&app, &group.ana.1, &group.room).await;

    // Each types 40 characters, one a keystroke, without waiting for the other's edits,
    // both at the start of the text: the worst case for interleaving.
    let typist = |mut writer: Writer, letter: char| async move {
        for _ in 0..40 {
            let update = writer.type_at(0, &letter.to_string());
            let answer = writer.edit(update).await;
            assert_eq!(answer["type"], "ack", "{answer}");
        }
        writer
    };
    let (mut fay, mut ana) = tokio::join!(typist(fay, 'f'), typist(ana, 'a'));
    // Each applies the rest of the other's edits as the room delivers them.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    for writer in [&mut fay, &mut ana] {
        while writer.text().len() < 80 {
            assert!(
                tokio::time::Instant::now() < deadline,
                "{:?}",
                writer.text()
            );
            let update = next_event(&mut writer.client, "synthesis.updated").await;
            writer.apply(update["update"].as_str().unwrap());
        }
    }
    let everything = fay.text();
    assert_eq!(ana.text(), everything);
    assert_eq!(everything.matches('f').count(), 40);
    assert_eq!(everything.matches('a').count(), 40);
    // The server's copy, as a newcomer's snapshot shows it, is the same.
    let ben = Writer::join(&app, &group.ben.1, &group.room).await;
    assert_eq!(ben.text(), everything);
}

#[sqlx::test(migrations = "../migrations")]
async fn an_edit_resent_after_a_reconnect_is_applied_once_and_missed_edits_replay(db: PgPool) {
    let app = spawn(db.clone()).await;
    let group = group(&app, &db).await;
    let room = group.room.clone();
    let fay = Writer::join(&app, &group.facilitator, &room).await;
    let (watcher, subscribed) =
        Writer::joined(Client::connect(&app, &group.ana.1).await, &room).await;
    let epoch = subscribed["epoch"].as_str().unwrap().to_owned();
    let seen = subscribed["seq"].as_i64().unwrap();
    let Writer {
        client,
        doc: watched,
        ..
    } = watcher;
    client.close().await;

    // The facilitator's edit goes out, and the connection drops before the answer.
    let id = Uuid::new_v4();
    let update = fay.type_at(0, "Roadmap: ");
    let Writer {
        mut client,
        doc: typed,
        ..
    } = fay;
    client
        .send(
            json!({"type": "command", "id": id, "room": room, "name": "synthesis.edit",
                     "data": {"update": update}}),
        )
        .await;
    client.close().await;
    let mut client = Client::connect(&app, &group.facilitator).await;
    client.subscribe(&room, None).await;
    let again = client
        .command_with_id(id, &room, "synthesis.edit", json!({"update": update}))
        .await;
    assert_eq!(again["type"], "ack", "{again}");
    let mut fay = Writer {
        client,
        doc: typed,
        room: room.clone(),
    };
    let update = fay.type_at(99, "2027");
    assert_eq!(fay.edit(update).await["type"], "ack");

    // The watcher comes back with what it remembers: the edits it missed, in order, once.
    let mut client = Client::connect(&app, &group.ana.1).await;
    let replayed = client.resume(&room, Some(seen), Some(&epoch)).await;
    assert_eq!(replayed.last().unwrap()["recovered"], true, "{replayed:?}");
    let updates: Vec<&Value> = replayed
        .iter()
        .filter(|message| message["name"] == "synthesis.updated")
        .collect();
    assert_eq!(updates.len(), 2, "{replayed:?}");
    let watcher = Writer {
        client,
        doc: watched,
        room: room.clone(),
    };
    for update in updates {
        watcher.apply(update["data"]["update"].as_str().unwrap());
    }
    assert_eq!(watcher.text(), "Roadmap: 2027");
    let late = Writer::join(&app, &group.ben.1, &room).await;
    assert_eq!(late.text(), "Roadmap: 2027");
}

/// A board of two sections, notes with dots, keywords and profiles; returns a note's id.
async fn fill_board(db: &PgPool, group: &Group) -> (Uuid, Uuid) {
    let s = group.session;
    sqlx::query("delete from board_sections where session_id = $1")
        .bind(s)
        .execute(db)
        .await
        .unwrap();
    let (findings, keywords) = (Uuid::new_v4(), Uuid::new_v4());
    sqlx::query(
        "insert into board_sections (id, session_id, position, kind, title) values
         ($1, $3, 0, 'notes', '{\"en\":\"Findings\",\"fr\":\"Constats\"}'),
         ($2, $3, 1, 'keywords', '{\"en\":\"Keywords\",\"fr\":\"Mots-clés\"}')",
    )
    .bind(findings)
    .bind(keywords)
    .bind(s)
    .execute(db)
    .await
    .unwrap();
    let (few, many) = (Uuid::new_v4(), Uuid::new_v4());
    sqlx::query(
        "insert into board_notes (id, session_id, section_id, author_id, body, language) values
         ($1, $3, $4, $5, 'Too few shared trainings', 'en'),
         ($2, $3, $4, $6, E'Les clusters se connaissent mal\nde part et d''autre', 'fr')",
    )
    .bind(few)
    .bind(many)
    .bind(s)
    .bind(findings)
    .bind(group.ana.0)
    .bind(group.ben.0)
    .execute(db)
    .await
    .unwrap();
    let round = Uuid::new_v4();
    sqlx::query(
        "insert into board_rounds (id, session_id, dots, closed_at) values ($1, $2, 3, now())",
    )
    .bind(round)
    .bind(s)
    .execute(db)
    .await
    .unwrap();
    sqlx::query(
        "insert into board_dots (round_id, note_id, user_id, dots) values
         ($1, $2, $4, 1), ($1, $3, $4, 2), ($1, $3, $5, 1)",
    )
    .bind(round)
    .bind(few)
    .bind(many)
    .bind(group.ana.0)
    .bind(group.ben.0)
    .execute(db)
    .await
    .unwrap();
    sqlx::query(
        "insert into board_keywords (session_id, user_id, folded, word) values
         ($1, $2, 'decloisonnement', 'Décloisonnement'), ($1, $3, 'decloisonnement', 'décloisonnement'),
         ($1, $3, 'confiance', 'Confiance')",
    )
    .bind(s)
    .bind(group.ana.0)
    .bind(group.ben.0)
    .execute(db)
    .await
    .unwrap();
    sqlx::query(
        "insert into profiles (user_id, organisation, country) values
         ($1, 'Techtera', 'FR'), ($2, 'Flanders Make', 'BE')",
    )
    .bind(group.ana.0)
    .bind(group.ben.0)
    .execute(db)
    .await
    .unwrap();
    (few, many)
}

#[sqlx::test(migrations = "../migrations")]
async fn the_prefill_lays_out_the_board_by_dots_without_names(db: PgPool) {
    let app = spawn(db.clone()).await;
    let group = group(&app, &db).await;
    let mut fay = Writer::join(&app, &group.facilitator, &group.room).await;
    let (few, many) = fill_board(&db, &group).await;
    let room = group.room.clone();
    let refused = fay
        .client
        .command(&room, "synthesis.prefill", json!({"language": "français"}))
        .await;
    assert_eq!(refused["fields"][0]["code"], "language_code", "{refused}");
    let filled = fay
        .client
        .command(&room, "synthesis.prefill", json!({"language": "fr"}))
        .await;
    assert_eq!(filled["type"], "ack", "{filled}");
    let expected = format!(
        "# Compétences\n\n## Constats\n\n\
         - Les clusters se connaissent mal\n  de part et d'autre · 3 gommettes [↗](note:{many})\n\
         - Too few shared trainings · 1 gommette [↗](note:{few})\n\n\
         ## Mots-clés\n\n- Décloisonnement (2)\n- Confiance (1)\n\n\
         ## Participants\n\n2 personnes inscrites.\n\n- Flanders Make (BE)\n- Techtera (FR)\n"
    );
    let late = Writer::join(&app, &group.ben.1, &group.room).await;
    assert_eq!(late.text(), expected);
    assert!(!expected.contains("Ana") && !expected.contains("Ben"));

    let again = fay
        .client
        .command(&room, "synthesis.prefill", json!({"language": "en"}))
        .await;
    assert_eq!(
        again["conflict"]["reason"], "synthesis_not_empty",
        "{again}"
    );
}

/// The body of an HTTP answer, after its headers.
fn body_of(response: &str) -> &str {
    response.split_once("\r\n\r\n").map_or("", |(_, body)| body)
}

/// The JSON answer to a GET of `path`, logged in with `token` or not.
async fn get_json(app: &TestApp, path: &str, token: Option<&str>) -> Value {
    let response = raw_http(app, "GET", path, token, None).await;
    serde_json::from_str(body_of(&response)).unwrap_or_else(|_| panic!("{response}"))
}

#[sqlx::test(migrations = "../migrations")]
async fn published_versions_are_kept_and_read_on_the_outcomes_page(db: PgPool) {
    let app = spawn(db.clone()).await;
    let group = group(&app, &db).await;
    let mut fay = Writer::join(&app, &group.facilitator, &group.room).await;
    let refused = fay.publish().await;
    assert_eq!(
        refused["conflict"]["reason"], "synthesis_empty",
        "{refused}"
    );
    let update = fay.type_at(0, "# Skills\n\n- Share trainings");
    fay.edit(update).await;
    let first = fay.publish().await;
    assert_eq!(first["data"]["number"], 1, "{first}");
    assert_eq!(first["data"]["published_by"], "Fay");
    let refused = fay.publish().await;
    assert_eq!(
        refused["conflict"]["reason"], "synthesis_unchanged",
        "{refused}"
    );
    let update = fay.type_at(999, " across borders");
    fay.edit(update).await;
    let second = fay.publish().await;
    assert_eq!(second["data"]["number"], 2, "{second}");
    let mut ana = Client::connect(&app, &group.ana.1).await;
    let subscribed = ana.subscribe(&group.room, None).await;
    let versions = &snapshot_part(&subscribed, "synthesis")["versions"];
    assert_eq!(versions.as_array().unwrap().len(), 2, "{versions}");

    let slug = group.conference;
    let outcomes = format!("/api/conferences/{slug}/outcomes");
    let listed = get_json(&app, &outcomes, Some(&group.ana.1)).await;
    assert_eq!(listed["public"], false);
    assert_eq!(listed["groups"][0]["versions"], 2);
    assert_eq!(
        listed["groups"][0]["latest"]["markdown"],
        "# Skills\n\n- Share trainings across borders"
    );
    let group_path = format!("{outcomes}/{}", group.session);
    let versions = get_json(&app, &group_path, Some(&group.ana.1)).await;
    let numbers: Vec<&Value> = versions["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|version| &version["number"])
        .collect();
    assert_eq!(numbers, [&json!(2), &json!(1)]);
    assert_eq!(
        versions["versions"][1]["markdown"],
        "# Skills\n\n- Share trainings"
    );
    let download = raw_http(
        &app,
        "GET",
        &format!(
            "/api/conferences/{slug}/outcomes/{}/versions/1/synthesis.md",
            group.session
        ),
        Some(&group.ana.1),
        None,
    )
    .await;
    assert!(
        download.contains("content-type: text/markdown"),
        "{download}"
    );
    assert_eq!(body_of(&download), "# Skills\n\n- Share trainings\n");
    let missing = format!(
        "/api/conferences/{slug}/outcomes/{}/versions/3/synthesis.md",
        group.session
    );
    assert_eq!(http_status(&app, "GET", &missing, &group.ana.1).await, 404);
}

#[sqlx::test(migrations = "../migrations")]
async fn outcomes_are_for_members_until_the_organisers_make_them_public(db: PgPool) {
    let app = spawn(db.clone()).await;
    let group = group(&app, &db).await;
    let mut fay = Writer::join(&app, &group.facilitator, &group.room).await;
    let (few, _) = fill_board(&db, &group).await;
    let room = group.room.clone();
    fay.client
        .command(&room, "synthesis.prefill", json!({"language": "en"}))
        .await;
    fay.publish().await;
    let slug = group.conference;
    let outcomes = format!("/api/conferences/{slug}/outcomes");
    let gathered = format!("/api/conferences/{slug}/outcomes/synthesis.md");
    let (_, stranger) = user(&app, "Stranger").await;
    let (_, organiser) = member_user(&app, group.conference, "Org", "organiser").await;
    for path in [&outcomes, &gathered] {
        assert_eq!(&raw_http(&app, "GET", path, None, None).await[9..12], "401");
        assert_eq!(http_status(&app, "GET", path, &stranger).await, 403);
        assert_eq!(http_status(&app, "GET", path, &group.outsider.1).await, 200);
    }
    let visibility = format!("{outcomes}/visibility");
    let public = Some(json!({"public": true}).to_string());
    let refused = raw_http(&app, "PUT", &visibility, Some(&group.ana.1), public.clone()).await;
    assert_eq!(&refused[9..12], "403");
    let set = raw_http(&app, "PUT", &visibility, Some(&organiser), public).await;
    assert_eq!(&set[9..12], "200", "{set}");
    let anonymous = get_json(&app, &outcomes, None).await;
    assert_eq!(anonymous["public"], true);
    assert_eq!(anonymous["groups"][0]["title"]["en"], "Skills");

    // The conference synthesis: the group under its heading, its points linked to its notes.
    let gathered = raw_http(&app, "GET", &gathered, None, None).await;
    let body = body_of(&gathered);
    assert!(
        body.starts_with("# ECC — Conference synthesis\n\n## Skills\n\n_Version 1, "),
        "{body}"
    );
    let note_link = format!(
        "[↗ Skills]({}/c/{slug}/sessions/{}#note-{few})",
        app.origin(),
        group.session
    );
    assert!(
        body.contains(&format!("- Too few shared trainings · 1 dot {note_link}")),
        "{body}"
    );
    assert!(body.contains("\n### Findings\n"), "{body}");

    // An invite-only group's outcomes stay as secret as the session itself.
    sqlx::query("update sessions set visibility = 'invite_only' where id = $1")
        .bind(group.session)
        .execute(&db)
        .await
        .unwrap();
    for (reader, groups) in [
        (None, 0),
        (Some(&group.outsider.1), 0),
        (Some(&organiser), 1),
    ] {
        let listed = get_json(&app, &outcomes, reader.map(String::as_str)).await;
        assert_eq!(
            listed["groups"].as_array().unwrap().len(),
            groups,
            "{listed}"
        );
    }
    let versions = format!("{outcomes}/{}", group.session);
    assert_eq!(
        http_status(&app, "GET", &versions, &group.outsider.1).await,
        404
    );
}
