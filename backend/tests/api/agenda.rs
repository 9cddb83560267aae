//! The agenda: validation, filters, bookmarks and the `.ics` export.

use axum::http::{Method, StatusCode};
use icalendar::{Component, EventLike};
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::{conference_with_organiser, session_body, state, Client};

#[sqlx::test(migrations = "../migrations")]
async fn session_validation_errors(db: PgPool) {
    let state = state(db);
    let mut organiser = conference_with_organiser(&state).await;
    let with = |field: &str, value: Value| {
        let mut body = session_body();
        body[field] = value;
        body
    };
    // Each refusal: the field, the rule's code and numbers, and the English fallback.
    let cases = [
        (
            with("ends_at", json!("2026-12-08T08:00:00Z")),
            json!({"field": "ends_at", "code": "ends_before_start", "message": "must be after the start"}),
        ),
        (
            with("ends_at", json!("2026-12-09T09:01:00Z")),
            json!({"field": "ends_at", "code": "max_hours", "params": {"max": 24},
                   "message": "must be at most 24 hours after the start"}),
        ),
        (
            {
                let mut body = with("starts_at", json!("2027-01-05T09:00:00Z"));
                body["ends_at"] = json!("2027-01-05T10:00:00Z");
                body
            },
            json!({"field": "starts_at", "code": "outside_conference",
                   "params": {"starts_on": "2026-12-08", "ends_on": "2026-12-10"},
                   "message": "must fall within the conference (2026-12-08 to 2026-12-10)"}),
        ),
        (
            with("title", json!({"en": "x".repeat(201)})),
            json!({"field": "title", "code": "too_long", "params": {"max": 200},
                   "message": "must be at most 200 characters"}),
        ),
        (
            with("title", json!({"en": "   "})),
            json!({"field": "title", "code": "required_in_a_language",
                   "message": "is required in at least one language"}),
        ),
        (
            with("title", json!({"english": "Opening"})),
            json!({"field": "title", "code": "language_code", "params": {"value": "english"},
                   "message": "`english` is not a two-letter language code"}),
        ),
        (
            with("capacity", json!(0)),
            json!({"field": "capacity", "code": "out_of_range", "params": {"min": 1, "max": 100_000},
                   "message": "must be between 1 and 100000"}),
        ),
        (
            with("capacity", json!(200_000)),
            json!({"field": "capacity", "code": "out_of_range", "params": {"min": 1, "max": 100_000},
                   "message": "must be between 1 and 100000"}),
        ),
        (
            with("languages", json!(["fr", "fr"])),
            json!({"field": "languages", "code": "duplicate", "message": "lists an entry twice"}),
        ),
        (
            with("stream_url", json!("javascript:alert(1)")),
            json!({"field": "stream_url", "code": "web_address", "message": "must be an http(s) address"}),
        ),
        (
            with("venue", json!({"city": "x".repeat(101), "address": ""})),
            json!({"field": "venue.city", "code": "too_long", "params": {"max": 100},
                   "message": "must be at most 100 characters"}),
        ),
    ];
    for (body, expected) in cases {
        let reply = organiser.post("/api/conferences/ecc/sessions", body).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{expected}: {}",
            reply.text
        );
        assert_eq!(
            reply.body["error"]["fields"],
            json!([expected]),
            "{}",
            reply.text
        );
    }
    let unknown_kind = organiser
        .post(
            "/api/conferences/ecc/sessions",
            with("kind", json!("karaoke")),
        )
        .await;
    assert_eq!(unknown_kind.status, StatusCode::UNPROCESSABLE_ENTITY);
    let kind = &unknown_kind.body["error"]["fields"][0];
    assert_eq!(
        (&kind["field"], &kind["code"]),
        (&json!("kind"), &json!("invalid"))
    );
    assert!(kind["message"]
        .as_str()
        .unwrap()
        .starts_with("unknown variant `karaoke`"));
    // A venue carries its address, blank for none, as the server sends it back.
    let no_address = organiser
        .post(
            "/api/conferences/ecc/sessions",
            with("venue", json!({"city": "Lille"})),
        )
        .await;
    assert_eq!(no_address.status, StatusCode::UNPROCESSABLE_ENTITY);
    let venue = &no_address.body["error"]["fields"][0];
    assert_eq!(
        (&venue["field"], &venue["code"]),
        (&json!("venue"), &json!("invalid"))
    );
    assert!(venue["message"]
        .as_str()
        .unwrap()
        .starts_with("missing field `address`"));

    let oversize = organiser
        .post(
            "/api/conferences/ecc/sessions",
            with("description", json!({"en": "x".repeat(2 * 1024 * 1024)})),
        )
        .await;
    assert_eq!(oversize.status, StatusCode::PAYLOAD_TOO_LARGE);

    let bad_id = organiser
        .get("/api/conferences/ecc/sessions/not-a-uuid")
        .await;
    assert_eq!(bad_id.status, StatusCode::NOT_FOUND);
    assert_eq!(bad_id.body["error"]["code"], "not_found");

    // None of the refused requests left a session behind.
    assert_eq!(
        organiser.get("/api/conferences/ecc/sessions").await.body,
        json!([])
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn create_update_and_filter_the_agenda(db: PgPool) {
    let state = state(db);
    let mut organiser = conference_with_organiser(&state).await;
    let panel = organiser
        .post("/api/conferences/ecc/sessions", session_body())
        .await;
    assert_eq!(panel.body["title"]["fr"], "Coopération transfrontalière");
    assert_eq!(panel.body["bookmarked"], false);

    let mut workshop = session_body();
    workshop["kind"] = json!("working_group");
    workshop["title"] = json!({"fr": "Atelier textile", "nl": "Workshop textiel"});
    workshop["languages"] = json!(["fr", "nl"]);
    workshop["starts_at"] = json!("2026-12-09T13:00:00Z");
    workshop["ends_at"] = json!("2026-12-09T15:00:00Z");
    workshop["venue"] = json!({"city": "Lille", "address": "Place du Théâtre"});
    let workshop = organiser
        .post("/api/conferences/ecc/sessions", workshop)
        .await;
    assert_eq!(
        workshop.body["venue"],
        json!({"city": "Lille", "address": "Place du Théâtre"})
    );

    let all = organiser.get("/api/conferences/ecc/sessions").await.body;
    let titles: Vec<&Value> = all.as_array().unwrap().iter().map(|s| &s["kind"]).collect();
    assert_eq!(titles, [&json!("panel"), &json!("working_group")]);
    let dutch = organiser
        .get("/api/conferences/ecc/sessions?language=nl")
        .await
        .body;
    assert_eq!(dutch.as_array().unwrap().len(), 1);
    assert_eq!(dutch[0]["id"], workshop.body["id"]);
    let panels = organiser
        .get("/api/conferences/ecc/sessions?kind=panel")
        .await
        .body;
    assert_eq!(panels[0]["id"], panel.body["id"]);
    let bad_filter = organiser
        .get("/api/conferences/ecc/sessions?kind=karaoke")
        .await;
    assert_eq!(bad_filter.status, StatusCode::BAD_REQUEST);

    let mut changed = session_body();
    changed["capacity"] = json!(null);
    changed["stream_url"] = json!("");
    let path = format!(
        "/api/conferences/ecc/sessions/{}",
        panel.body["id"].as_str().unwrap()
    );
    let updated = organiser.put(&path, changed).await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.text);
    assert_eq!(updated.body["capacity"], json!(null));
    assert_eq!(updated.body["stream_url"], json!(null));
}

#[sqlx::test(migrations = "../migrations")]
async fn bookmarks_make_a_schedule_and_an_ics_calendar(db: PgPool) {
    let state = state(db);
    let mut organiser = conference_with_organiser(&state).await;
    let first = organiser
        .post("/api/conferences/ecc/sessions", session_body())
        .await
        .body;
    let mut later = session_body();
    later["title"] = json!({"en": "Smart specialisation", "fr": "Spécialisation intelligente"});
    later["starts_at"] = json!("2026-12-10T08:00:00Z");
    later["ends_at"] = json!("2026-12-10T09:00:00Z");
    later["venue"] = json!({"city": "Lyon", "address": ""});
    later["description"] = json!({"en": "Regions choose their strengths.",
                                  "fr": "Les régions choisissent leurs forces."});
    let second = organiser
        .post("/api/conferences/ecc/sessions", later)
        .await
        .body;

    let mut anna = Client::new(&state);
    anna.signup("anna@cluster.eu", "Anna").await;
    anna.post("/api/conferences/ecc/registration", json!({}))
        .await;
    for session in [&first, &second] {
        let path = format!(
            "/api/conferences/ecc/sessions/{}/bookmark",
            session["id"].as_str().unwrap()
        );
        assert_eq!(
            anna.request(Method::PUT, &path, None).await.status,
            StatusCode::NO_CONTENT
        );
        // Bookmarking twice is harmless.
        assert_eq!(
            anna.request(Method::PUT, &path, None).await.status,
            StatusCode::NO_CONTENT
        );
    }
    let schedule = anna.get("/api/conferences/ecc/schedule").await.body;
    assert_eq!(schedule.as_array().unwrap().len(), 2);
    assert_eq!(schedule[0]["bookmarked"], true);
    // The organiser's own schedule is separate.
    assert_eq!(
        organiser.get("/api/conferences/ecc/schedule").await.body,
        json!([])
    );

    let ics = anna.get("/api/conferences/ecc/schedule.ics?lang=fr").await;
    assert_eq!(ics.status, StatusCode::OK);
    assert!(ics.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let calendar: icalendar::Calendar = ics.text.parse().expect("a valid iCalendar file");
    let events: Vec<&icalendar::Event> = calendar
        .components
        .iter()
        .filter_map(|component| match component {
            icalendar::CalendarComponent::Event(event) => Some(event),
            _ => None,
        })
        .collect();
    assert_eq!(events.len(), 2);
    assert_eq!(
        events[0].get_summary(),
        Some("Coopération transfrontalière")
    );
    assert_eq!(events[1].get_summary(), Some("Spécialisation intelligente"));
    assert_eq!(
        events[1].get_description(),
        Some("Les régions choisissent leurs forces.")
    );
    // A text missing in the reader's language comes in the conference's first language.
    assert_eq!(events[0].get_description(), Some("Lifting the barriers."));
    assert_eq!(
        calendar_texts(
            &anna
                .get("/api/conferences/ecc/schedule.ics?lang=de")
                .await
                .text
        ),
        [
            (
                "Cross-border cooperation".to_owned(),
                "Lifting the barriers.".to_owned()
            ),
            (
                "Smart specialisation".to_owned(),
                "Regions choose their strengths.".to_owned()
            ),
        ]
    );
    let bad = anna
        .get("/api/conferences/ecc/schedule.ics?lang=french")
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        bad.body["error"]["fields"],
        json!([{"field": "lang", "code": "language_code", "params": {"value": "french"},
                "message": "`french` is not a two-letter language code"}])
    );
    assert_eq!(events[1].get_location(), Some("Lyon"));
    assert_eq!(
        events[0].get_start(),
        Some(icalendar::DatePerhapsTime::DateTime(
            icalendar::CalendarDateTime::Utc("2026-12-08T09:00:00Z".parse().unwrap())
        ))
    );
    assert_eq!(
        events[0].get_uid(),
        Some(format!("{}@viaduc", first["id"].as_str().unwrap()).as_str())
    );

    let path = format!(
        "/api/conferences/ecc/sessions/{}/bookmark",
        first["id"].as_str().unwrap()
    );
    assert_eq!(anna.delete(&path).await.status, StatusCode::NO_CONTENT);
    assert_eq!(
        anna.get("/api/conferences/ecc/schedule")
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

/// The (title, description) of each event of an iCalendar file.
fn calendar_texts(ics: &str) -> Vec<(String, String)> {
    let calendar: icalendar::Calendar = ics.parse().expect("a valid iCalendar file");
    calendar
        .components
        .iter()
        .filter_map(|component| match component {
            icalendar::CalendarComponent::Event(event) => Some((
                event.get_summary()?.to_owned(),
                event.get_description()?.to_owned(),
            )),
            _ => None,
        })
        .collect()
}
