//! The OpenAPI document: served, valid OpenAPI 3.1, and covering every route.

use axum::http::StatusCode;
use sqlx::PgPool;

use crate::helpers::{state, Client};

#[sqlx::test(migrations = "../migrations")]
async fn openapi_document_is_served_and_valid(db: PgPool) {
    let state = state(db);
    let mut client = Client::new(&state);
    let reply = client.get("/api/openapi.json").await;
    assert_eq!(reply.status, StatusCode::OK);
    let spec = oas3::from_json(&reply.text).expect("a valid OpenAPI 3.1 document");
    assert!(spec.openapi.starts_with("3.1"));
    let paths = spec.paths.expect("paths");
    for path in [
        "/api/auth/signup",
        "/api/auth/login",
        "/api/auth/refresh",
        "/api/auth/logout",
        "/api/me",
        "/api/me/profile",
        "/api/sectors",
        "/api/conferences",
        "/api/conferences/{slug}",
        "/api/conferences/{slug}/join",
        "/api/conferences/{slug}/members",
        "/api/conferences/{slug}/members/{user_id}",
        "/api/conferences/{slug}/sessions",
        "/api/conferences/{slug}/sessions/{id}",
        "/api/conferences/{slug}/sessions/{id}/people",
        "/api/conferences/{slug}/sessions/{id}/bookmark",
        "/api/conferences/{slug}/schedule",
        "/api/conferences/{slug}/schedule.ics",
        "/healthz",
        "/readyz",
    ] {
        assert!(
            paths.contains_key(path),
            "{path} is missing from the OpenAPI document"
        );
    }
    // Members are managed on one path: a role is set with PUT, a member removed with DELETE.
    let member = &paths["/api/conferences/{slug}/members/{user_id}"];
    assert!(member.put.is_some() && member.delete.is_some());
    // Every schema a route refers to is defined.
    let components = spec.components.expect("components");
    for schema in [
        "Session",
        "SessionInput",
        "Me",
        "Profile",
        "ErrorBody",
        "Conference",
    ] {
        assert!(
            components.schemas.contains_key(schema),
            "schema {schema} missing"
        );
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn unknown_api_routes_get_a_json_404(db: PgPool) {
    let state = state(db);
    let mut client = Client::new(&state);
    let reply = client.get("/api/nothing-here").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.body["error"]["code"], "not_found");
}
