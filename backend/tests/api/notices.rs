//! What members are told when organisers change their place: the notification rows the
//! role and session-people routes write with their change.

use axum::http::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::{conference_with_organiser, session_body, state, Client};

/// `(kind, data)` of each notification of `user_id`, oldest first.
/// What `user_id` was told about their place in the conference (what they hear of their
/// registration is `registrations.rs`'s to check).
async fn notifications_of(db: &PgPool, user_id: &str) -> Vec<(String, Value)> {
    sqlx::query_as(
        "select kind, data from notifications
         where user_id = $1::uuid and kind <> 'registration.status' order by created_at, id",
    )
    .bind(user_id)
    .fetch_all(db)
    .await
    .unwrap()
}

async fn attendee(state: &viaduc::AppState, email: &str, name: &str) -> (Client, String) {
    let mut client = Client::new(state);
    let id = client.signup(email, name).await;
    let joined = client
        .post("/api/conferences/ecc/registration", json!({}))
        .await;
    assert_eq!(joined.status, StatusCode::CREATED, "{}", joined.text);
    (client, id)
}

#[sqlx::test(migrations = "../migrations")]
async fn a_member_whose_role_changes_is_told_once(db: PgPool) {
    let state = state(db.clone());
    let mut organiser = conference_with_organiser(&state).await;
    let (_anna, anna_id) = attendee(&state, "anna@cluster.eu", "Anna").await;
    let path = format!("/api/conferences/ecc/members/{anna_id}");

    let promoted = organiser.put(&path, json!({"role": "moderator"})).await;
    assert_eq!(promoted.status, StatusCode::OK, "{}", promoted.text);
    // The same role again changes nothing, so it says nothing.
    organiser.put(&path, json!({"role": "moderator"})).await;

    assert_eq!(
        notifications_of(&db, &anna_id).await,
        [(
            "member.role_changed".to_owned(),
            json!({
                "conference_slug": "ecc",
                "conference_title": {"en": "European Cluster Conference", "fr": "Conférence européenne des clusters"},
                "role": "moderator"
            })
        )]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn people_newly_on_a_session_are_told_with_their_role(db: PgPool) {
    let state = state(db.clone());
    let mut organiser = conference_with_organiser(&state).await;
    let (_anna, anna) = attendee(&state, "anna@cluster.eu", "Anna").await;
    let (_bram, bram) = attendee(&state, "bram@cluster.eu", "Bram").await;
    let created = organiser
        .post("/api/conferences/ecc/sessions", session_body())
        .await;
    let session_id = created.body["id"].as_str().unwrap().to_owned();
    let people = format!("/api/conferences/ecc/sessions/{session_id}/people");
    let assigned = |role: &str| {
        (
            "session.assigned".to_owned(),
            json!({
                "conference_slug": "ecc",
                "session_id": session_id,
                "session_title": {"en": "Cross-border cooperation", "fr": "Coopération transfrontalière"},
                "role": role
            }),
        )
    };

    let first = organiser
        .put(&people, json!([{"user_id": anna, "role": "speaker"}]))
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    // Anna stays a speaker (not told again); Bram joins as moderator.
    organiser
        .put(
            &people,
            json!([{"user_id": anna, "role": "speaker"}, {"user_id": bram, "role": "moderator"}]),
        )
        .await;
    // Anna becomes the moderator: a new role is a new assignment. Bram leaves: no notice.
    organiser
        .put(&people, json!([{"user_id": anna, "role": "moderator"}]))
        .await;

    assert_eq!(
        notifications_of(&db, &anna).await,
        [assigned("speaker"), assigned("moderator")]
    );
    assert_eq!(notifications_of(&db, &bram).await, [assigned("moderator")]);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_refused_change_tells_nobody(db: PgPool) {
    let state = state(db.clone());
    let mut organiser = conference_with_organiser(&state).await;
    let (_anna, anna) = attendee(&state, "anna@cluster.eu", "Anna").await;
    let created = organiser
        .post("/api/conferences/ecc/sessions", session_body())
        .await;
    let people = format!(
        "/api/conferences/ecc/sessions/{}/people",
        created.body["id"].as_str().unwrap()
    );
    // A stranger in the list refuses the whole change, Anna's assignment included.
    let refused = organiser
        .put(
            &people,
            json!([{"user_id": anna, "role": "speaker"},
                   {"user_id": "00000000-0000-4000-8000-000000000000", "role": "guest"}]),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text
    );
    assert_eq!(notifications_of(&db, &anna).await, []);
}
