//! The role matrix: who may read and change what in a conference.

use axum::http::StatusCode;
use serde_json::json;
use sqlx::PgPool;

use crate::helpers::{conference_with_organiser, session_body, state, Client};

#[sqlx::test(migrations = "../migrations")]
async fn attendees_read_organisers_write(db: PgPool) {
    let state = state(db);
    let mut organiser = conference_with_organiser(&state).await;
    let mut attendee = Client::new(&state);
    let attendee_id = attendee.signup("anna@cluster.eu", "Anna").await;

    // Before joining: the conference is visible, with no role.
    let before = attendee.get("/api/conferences/ecc").await;
    assert_eq!(before.body["my_role"], json!(null));
    let joined = attendee
        .post("/api/conferences/ecc/registration", json!({}))
        .await;
    assert_eq!(joined.body["status"], "approved", "{}", joined.text);
    let after = attendee.get("/api/conferences/ecc").await;
    assert_eq!(after.body["my_role"], "attendee");

    let created = organiser
        .post("/api/conferences/ecc/sessions", session_body())
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let session = format!(
        "/api/conferences/ecc/sessions/{}",
        created.body["id"].as_str().unwrap()
    );

    // Attendees read the agenda...
    assert_eq!(
        attendee
            .get("/api/conferences/ecc/sessions")
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(attendee.get(&session).await.status, StatusCode::OK);
    // ...but cannot change it, nor the conference, nor see the member list.
    let forbidden = [
        attendee
            .post("/api/conferences/ecc/sessions", session_body())
            .await,
        attendee.put(&session, session_body()).await,
        attendee.delete(&session).await,
        attendee.put(&format!("{session}/people"), json!([])).await,
        attendee.get("/api/conferences/ecc/members").await,
        attendee
            .put(
                &format!("/api/conferences/ecc/members/{attendee_id}"),
                json!({"role": "organiser"}),
            )
            .await,
        attendee
            .put(
                "/api/conferences/ecc",
                json!({"title": {"en": "Mine"}, "starts_on": "2026-12-08",
                "ends_on": "2026-12-10", "time_zone": "Europe/Brussels", "languages": ["en"]}),
            )
            .await,
        attendee
            .post(
                "/api/conferences",
                json!({"slug": "mine", "title": {"en": "Mine"}, "starts_on": "2026-12-08",
                "ends_on": "2026-12-10", "time_zone": "Europe/Brussels", "languages": ["en"]}),
            )
            .await,
    ];
    for reply in forbidden {
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.text);
        assert_eq!(reply.body["error"]["code"], "forbidden");
    }

    // Anonymous callers get 401 everywhere but the health checks.
    let mut anonymous = Client::new(&state);
    assert_eq!(
        anonymous.get("/api/conferences/ecc/sessions").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(anonymous.get("/healthz").await.status, StatusCode::OK);
    assert_eq!(anonymous.get("/readyz").await.status, StatusCode::OK);

    // The organiser promotes the attendee to moderator: still no agenda editing.
    let promoted = organiser
        .put(
            &format!("/api/conferences/ecc/members/{attendee_id}"),
            json!({"role": "moderator"}),
        )
        .await;
    assert_eq!(promoted.body["role"], "moderator");
    assert_eq!(
        attendee.delete(&session).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        organiser.delete(&session).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(organiser.get(&session).await.status, StatusCode::NOT_FOUND);
}

#[sqlx::test(migrations = "../migrations")]
async fn my_conferences_list_the_joined_ones_with_their_role(db: PgPool) {
    let state = state(db);
    let mut organiser = conference_with_organiser(&state).await;
    let mut attendee = Client::new(&state);
    attendee.signup("anna@cluster.eu", "Anna").await;
    let nothing_yet = attendee.get("/api/me/conferences").await;
    assert_eq!(nothing_yet.status, StatusCode::OK);
    assert_eq!(nothing_yet.body, json!([]));

    attendee
        .post("/api/conferences/ecc/registration", json!({}))
        .await;
    let conference_id = attendee.get("/api/conferences/ecc").await.body["id"].clone();
    assert_eq!(
        attendee.get("/api/me/conferences").await.body,
        json!([{"conference_id": conference_id, "conference_slug": "ecc", "role": "attendee"}])
    );
    assert_eq!(
        organiser.get("/api/me/conferences").await.body,
        json!([{"conference_id": conference_id, "conference_slug": "ecc", "role": "organiser"}])
    );
    assert_eq!(
        Client::new(&state).get("/api/me/conferences").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_last_organiser_cannot_be_demoted(db: PgPool) {
    let state = state(db);
    let mut organiser = conference_with_organiser(&state).await;
    let me = organiser.get("/api/me").await;
    let id = me.body["id"].as_str().unwrap();
    // Platform organisers may manage any conference, so use an ordinary organiser.
    sqlx::query("update users set is_platform_organiser = false")
        .execute(&state.db)
        .await
        .unwrap();
    let reply = organiser
        .put(
            &format!("/api/conferences/ecc/members/{id}"),
            json!({"role": "attendee"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.text);
}

#[sqlx::test(migrations = "../migrations")]
async fn organisers_remove_members_but_never_the_last_organiser(db: PgPool) {
    let state = state(db);
    let mut organiser = conference_with_organiser(&state).await;
    let me = organiser.get("/api/me").await;
    let organiser_path = format!(
        "/api/conferences/ecc/members/{}",
        me.body["id"].as_str().unwrap()
    );
    let mut attendee = Client::new(&state);
    let attendee_id = attendee.signup("anna@cluster.eu", "Anna").await;
    attendee
        .post("/api/conferences/ecc/registration", json!({}))
        .await;
    let attendee_path = format!("/api/conferences/ecc/members/{attendee_id}");

    let refused = attendee.delete(&organiser_path).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text);
    assert_eq!(refused.body["error"]["code"], "forbidden");
    let unknown = organiser
        .delete(&format!(
            "/api/conferences/ecc/members/{}",
            uuid::Uuid::new_v4()
        ))
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.text);
    assert_eq!(unknown.body["error"]["code"], "not_found");
    // Platform organisers may manage any conference, so use an ordinary organiser.
    sqlx::query("update users set is_platform_organiser = false")
        .execute(&state.db)
        .await
        .unwrap();
    let last = organiser.delete(&organiser_path).await;
    assert_eq!(last.status, StatusCode::CONFLICT, "{}", last.text);
    assert_eq!(last.body["error"]["code"], "conflict");
    // The reason, for the UI to word in the reader's language.
    assert_eq!(
        last.body["error"]["conflict"],
        json!({"reason": "last_organiser"})
    );

    let removed = organiser.delete(&attendee_path).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{}", removed.text);
    let members = organiser.get("/api/conferences/ecc/members").await;
    let names: Vec<&str> = members
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|member| member["display_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Odile"]);
    assert_eq!(
        attendee.get("/api/conferences/ecc").await.body["my_role"],
        json!(null)
    );
    assert_eq!(
        organiser.delete(&attendee_path).await.status,
        StatusCode::NOT_FOUND
    );
    let audit: Vec<serde_json::Value> =
        sqlx::query_scalar("select details from audit_log where action = 'member.remove'")
            .fetch_all(&state.db)
            .await
            .unwrap();
    assert_eq!(audit, [json!({"user_id": attendee_id, "role": "attendee"})]);
}

#[sqlx::test(migrations = "../migrations")]
async fn invite_only_sessions_are_hidden_from_the_uninvited(db: PgPool) {
    let state = state(db);
    let mut organiser = conference_with_organiser(&state).await;
    let mut guest = Client::new(&state);
    let guest_id = guest.signup("ceo@cluster.eu", "CEO").await;
    guest
        .post("/api/conferences/ecc/registration", json!({}))
        .await;
    let mut other = Client::new(&state);
    other.signup("anna@cluster.eu", "Anna").await;
    other
        .post("/api/conferences/ecc/registration", json!({}))
        .await;

    let mut closed = session_body();
    closed["visibility"] = json!("invite_only");
    closed["title"] = json!({"en": "CEO round-table"});
    let created = organiser
        .post("/api/conferences/ecc/sessions", closed)
        .await;
    let id = created.body["id"].as_str().unwrap().to_owned();
    let people = organiser
        .put(
            &format!("/api/conferences/ecc/sessions/{id}/people"),
            json!([{"user_id": guest_id, "role": "guest"}]),
        )
        .await;
    assert_eq!(people.status, StatusCode::OK, "{}", people.text);
    assert_eq!(people.body["people"][0]["display_name"], "CEO");

    assert_eq!(
        guest
            .get("/api/conferences/ecc/sessions")
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        other.get("/api/conferences/ecc/sessions").await.body,
        json!([])
    );
    let hidden = other
        .get(&format!("/api/conferences/ecc/sessions/{id}"))
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    let bookmark = other
        .request(
            axum::http::Method::PUT,
            &format!("/api/conferences/ecc/sessions/{id}/bookmark"),
            None,
        )
        .await;
    assert_eq!(bookmark.status, StatusCode::NOT_FOUND);
}

/// Speaker cards: organisers set a member's photo and bio; every session they are on shows
/// them with the organisation from their profile; bad input and attendees are refused.
#[sqlx::test(migrations = "../migrations")]
async fn organisers_present_speakers_with_a_card_on_their_sessions(db: PgPool) {
    let state = state(db);
    let mut organiser = conference_with_organiser(&state).await;
    let mut speaker = Client::new(&state);
    let speaker_id = speaker.signup("ana@cluster.eu", "Ana Speaker").await;
    speaker
        .post("/api/conferences/ecc/registration", json!({}))
        .await;
    let profile = speaker
        .put(
            "/api/me/profile",
            json!({"organisation": "Flanders' FOOD", "cluster": "", "country": "BE", "sectors": [],
                   "languages": ["nl"], "offers": "", "seeks": "", "bio": ""}),
        )
        .await;
    assert_eq!(profile.status, StatusCode::OK, "{}", profile.text);
    let created = organiser
        .post("/api/conferences/ecc/sessions", session_body())
        .await;
    let id = created.body["id"].as_str().unwrap().to_owned();
    organiser
        .put(
            &format!("/api/conferences/ecc/sessions/{id}/people"),
            json!([{"user_id": speaker_id, "role": "speaker"}]),
        )
        .await;
    let card_path = format!("/api/conferences/ecc/members/{speaker_id}/card");

    let session = organiser
        .get(&format!("/api/conferences/ecc/sessions/{id}"))
        .await;
    let person = &session.body["people"][0];
    assert_eq!(person["organisation"], "Flanders' FOOD");
    assert_eq!(
        (&person["photo_url"], &person["bio"]),
        (&json!(null), &json!({}))
    );

    let card = json!({"photo_url": " https://cluster.example.eu/ana.jpg ",
                      "bio": {"en": "Runs the food cluster.", "fr": "Dirige le cluster agroalimentaire.", "nl": "  "}});
    let saved = organiser.put(&card_path, card).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
    assert_eq!(
        saved.body,
        json!({"photo_url": "https://cluster.example.eu/ana.jpg",
               "bio": {"en": "Runs the food cluster.", "fr": "Dirige le cluster agroalimentaire."}})
    );
    let shown = speaker
        .get(&format!("/api/conferences/ecc/sessions/{id}"))
        .await;
    assert_eq!(
        shown.body["people"][0]["photo_url"],
        "https://cluster.example.eu/ana.jpg"
    );
    assert_eq!(
        shown.body["people"][0]["bio"]["fr"],
        "Dirige le cluster agroalimentaire."
    );

    for (bad, field) in [
        (json!({"photo_url": "javascript:alert(1)"}), "photo_url"),
        (json!({"bio": {"en": "x".repeat(1_001)}}), "bio"),
        (json!({"bio": {"english": "x"}}), "bio"),
    ] {
        let refused = organiser.put(&card_path, bad).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.text
        );
        assert_eq!(refused.body["error"]["fields"][0]["field"], field);
    }
    // serde would read `[]` as a card of defaults: it is not an object, so it is refused.
    let refused = organiser.put(&card_path, json!([])).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text
    );
    let nobody = organiser
        .put(
            &format!("/api/conferences/ecc/members/{}/card", uuid::Uuid::new_v4()),
            json!({}),
        )
        .await;
    assert_eq!(nobody.status, StatusCode::NOT_FOUND);
    let attendee = speaker.put(&card_path, json!({})).await;
    assert_eq!(attendee.status, StatusCode::FORBIDDEN);
}
