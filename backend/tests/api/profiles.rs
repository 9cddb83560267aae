//! Profiles and the sector taxonomy.

use axum::http::StatusCode;
use serde_json::json;
use sqlx::PgPool;

use crate::helpers::{state, Client};

#[sqlx::test(migrations = "../migrations")]
async fn edit_own_profile(db: PgPool) {
    let state = state(db);
    let mut anna = Client::new(&state);
    anna.signup("anna@cluster.eu", "Anna").await;
    let empty = anna.get("/api/me/profile").await;
    assert_eq!(empty.body["organisation"], "");
    assert_eq!(empty.body["country"], json!(null));

    let profile = json!({
        "organisation": " Flanders Design Cluster ", "cluster": "Materials & Design", "country": "be",
        "sectors": ["textiles", "design"], "languages": ["nl", "fr", "en"],
        "offers": "Design coaching", "seeks": "French textile partners", "bio": "Product developer."
    });
    let saved = anna.put("/api/me/profile", profile).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
    assert_eq!(saved.body["organisation"], "Flanders Design Cluster");
    assert_eq!(saved.body["country"], "BE");
    assert_eq!(saved.body["sectors"], json!(["design", "textiles"]));
    assert_eq!(anna.get("/api/me/profile").await.body, saved.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn profile_validation(db: PgPool) {
    let state = state(db);
    let mut anna = Client::new(&state);
    anna.signup("anna@cluster.eu", "Anna").await;
    let base = json!({"organisation": "", "cluster": "", "country": null, "sectors": [], "languages": [],
                      "offers": "", "seeks": "", "bio": ""});
    let cases = [
        (
            "country",
            json!("UK"),
            json!({"field": "country", "code": "country_code",
                   "message": "must be an ISO 3166 country code such as BE"}),
        ),
        (
            "sectors",
            json!(["rocket_science"]),
            json!({"field": "sectors", "code": "unknown_sector", "message": "contains an unknown sector"}),
        ),
        (
            "sectors",
            json!(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"]),
            json!({"field": "sectors", "code": "too_many", "params": {"max": 10},
                   "message": "lists more than 10"}),
        ),
        (
            "languages",
            json!(["english"]),
            json!({"field": "languages", "code": "language_code", "params": {"value": "english"},
                   "message": "`english` is not a two-letter language code"}),
        ),
        (
            "bio",
            json!("x".repeat(2001)),
            json!({"field": "bio", "code": "too_long", "params": {"max": 2000},
                   "message": "must be at most 2000 characters"}),
        ),
    ];
    for (field, value, expected) in cases {
        let mut body = base.clone();
        body[field] = value;
        let reply = anna.put("/api/me/profile", body).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            reply.text
        );
        assert_eq!(
            reply.body["error"]["fields"],
            json!([expected]),
            "{}",
            reply.text
        );
    }
    // A PUT replaces the whole profile: `country` is sent too, `null` for none.
    let mut without_country = base.clone();
    without_country.as_object_mut().unwrap().remove("country");
    let reply = anna.put("/api/me/profile", without_country).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.body["error"]["code"], "validation");
    assert!(reply.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("missing field `country`"));
    // Nothing was half-written by the refused updates.
    assert_eq!(anna.get("/api/me/profile").await.body["sectors"], json!([]));
}

#[sqlx::test(migrations = "../migrations")]
async fn sectors_are_localised(db: PgPool) {
    let state = state(db);
    let mut anna = Client::new(&state);
    anna.signup("anna@cluster.eu", "Anna").await;
    let sectors = anna.get("/api/sectors").await.body;
    let textiles = sectors
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == "textiles")
        .unwrap();
    assert_eq!(textiles["name"]["nl"], "Textiel en mode");
    assert_eq!(textiles["name"]["de"], "Textil und Mode");
}
