//! The OpenAPI document: served, valid OpenAPI 3.1, covering every route, and telling the
//! truth about authentication, parameters and bodies (the server is asked, route by route).

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

use crate::helpers::{conference_with_organiser, state, Client};

/// Every operation of the document: (method, path template, operation object).
fn operations(spec: &Value) -> Vec<(Method, String, Value)> {
    let mut found = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (name, operation) in item.as_object().unwrap() {
            let method = Method::from_bytes(name.to_uppercase().as_bytes()).unwrap();
            found.push((method, path.clone(), operation.clone()));
        }
    }
    found
}

fn is_public(operation: &Value) -> bool {
    operation["security"]
        .as_array()
        .is_some_and(|requirements| requirements.contains(&json!({})))
}

fn has_json_body(operation: &Value) -> bool {
    operation["requestBody"]["content"]["application/json"].is_object()
}

/// The template filled in: the conference `ecc`, an id that names nothing, version 1.
fn concrete(path: &str) -> String {
    let nothing = Uuid::new_v4().to_string();
    path.replace("{slug}", "ecc")
        .replace("{number}", "1")
        .replace("{id}", &nothing)
        .replace("{user_id}", &nothing)
        .replace("{candidate_id}", &nothing)
        .replace("{nomination_id}", &nothing)
}

/// A request with `client`'s cookies and any body, well-formed or not.
fn request(
    client: &Client,
    method: &Method,
    path: &str,
    content_type: &str,
    body: &str,
) -> Request<Body> {
    let cookies = client
        .cookies
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("; ");
    Request::builder()
        .method(method.clone())
        .uri(path)
        .header("content-type", content_type)
        .header("cookie", cookies)
        .body(Body::from(body.to_owned()))
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn parameters_security_and_error_answers_are_declared(db: PgPool) {
    let state = state(db);
    let spec = Client::new(&state).get("/api/openapi.json").await.body;
    let schemes = &spec["components"]["securitySchemes"];
    assert_eq!(
        schemes["access_cookie"],
        json!({"type": "apiKey", "in": "cookie", "name": "viaduc_access",
               "description": "The access token, set HttpOnly by login, signup and refresh."})
    );
    assert_eq!(schemes["bearer_token"]["scheme"], "bearer");
    assert_eq!(
        spec["security"],
        json!([{"access_cookie": []}, {"bearer_token": []}])
    );
    let operations = operations(&spec);
    assert_eq!(operations.len(), 81);
    for (method, path, operation) in &operations {
        let at = format!("{method} {path}");
        for parameter in operation["parameters"].as_array().into_iter().flatten() {
            let name = parameter["name"].as_str().unwrap();
            match parameter["in"].as_str().unwrap() {
                "path" => assert!(path.contains(&format!("{{{name}}}")), "{at}: {name}"),
                "query" => assert_eq!(parameter["required"], json!(false), "{at}: {name}"),
                other => panic!("{at}: {name} is in {other}"),
            }
        }
        let responses = &operation["responses"];
        let mut expected = vec![];
        if !is_public(operation) {
            expected.push("401");
        }
        if path.contains('{') {
            expected.push("404");
        }
        let has_query = operation["parameters"]
            .as_array()
            .is_some_and(|parameters| parameters.iter().any(|p| p["in"] == "query"));
        if has_query || has_json_body(operation) {
            expected.extend(["400", "422"]);
        }
        if has_json_body(operation) {
            expected.push("413");
        }
        for status in expected {
            assert_eq!(
                responses[status]["content"]["application/json"]["schema"],
                json!({"$ref": "#/components/schemas/ErrorBody"}),
                "{at} does not document {status}"
            );
        }
        if has_json_body(operation) {
            let body = &operation["requestBody"]["content"]["application/json"];
            let schema = &body["schema"];
            let example = match schema["$ref"].as_str() {
                Some(reference) => {
                    let name = reference.rsplit('/').next().unwrap();
                    spec["components"]["schemas"][name]["example"].clone()
                }
                None => spec["components"]["schemas"]["PersonAssignment"]["example"].clone(),
            };
            assert!(example.is_object(), "{at}: no example for its body");
        }
    }
    // The rules the server enforces, as the server enforces them.
    let schemas = &spec["components"]["schemas"];
    let slug = &schemas["NewConference"]["allOf"];
    assert!(slug
        .to_string()
        .contains(r#""pattern":"^[a-z0-9][a-z0-9-]{1,58}[a-z0-9]$""#));
    let session = &schemas["SessionInput"]["properties"];
    assert_eq!(session["title"]["additionalProperties"]["maxLength"], 200);
    assert_eq!(session["title"]["minProperties"], 1);
    assert_eq!(session["title"]["maxProperties"], 12);
    assert_eq!(session["title"]["propertyNames"]["pattern"], "^[a-z]{2}$");
    assert_eq!(
        session["description"]["additionalProperties"]["maxLength"],
        10_000
    );
    assert_eq!(session["capacity"]["minimum"], 1);
    assert_eq!(session["capacity"]["maximum"], 100_000);
    assert_eq!(session["languages"]["uniqueItems"], true);
    assert_eq!(session["languages"]["items"]["pattern"], "^[a-z]{2}$");
    let signup = &schemas["SignupRequest"]["properties"];
    assert_eq!(signup["email"]["format"], "email");
    assert_eq!(
        (
            &signup["password"]["minLength"],
            &signup["password"]["maxLength"]
        ),
        (&json!(10), &json!(128))
    );
    assert_eq!(schemas["Profile"]["properties"]["sectors"]["maxItems"], 10);
}

/// What the document promises is what the server answers: 401 without a token on every
/// route that needs one, 400 for a body that is not JSON, and 403 before any look at the
/// body on the routes an attendee may not call.
#[sqlx::test(migrations = "../migrations")]
async fn the_server_answers_as_documented(db: PgPool) {
    let state = state(db);
    let mut organiser = conference_with_organiser(&state).await;
    let mut attendee = Client::new(&state);
    attendee.signup("anna@cluster.eu", "Anna").await;
    let joined = attendee
        .post("/api/conferences/ecc/registration", json!({}))
        .await;
    assert_eq!(joined.status, StatusCode::CREATED);
    let mut anonymous = Client::new(&state);
    let spec = anonymous.get("/api/openapi.json").await.body;

    let mut forbidden_checked = 0;
    for (method, path, operation) in operations(&spec) {
        let at = format!("{method} {path}");
        let url = concrete(&path);
        if !is_public(&operation) {
            let unauthenticated = request(&anonymous, &method, &url, "application/json", "{}");
            let reply = anonymous.send(unauthenticated).await;
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{at}");
            assert_eq!(reply.body["error"]["code"], "unauthorized", "{at}");
        }
        if has_json_body(&operation) {
            for (content_type, body) in [("text/plain", "{}"), ("application/json", "not json")] {
                let unreadable = request(&organiser, &method, &url, content_type, body);
                let reply = organiser.send(unreadable).await;
                assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{at} {content_type}");
                assert_eq!(reply.body["error"]["code"], "bad_request", "{at}");
            }
        }
        // A session's downloads are refused by the session's own staffing, which a made-up
        // id does not have (a 404 first); `realtime/crew.rs` checks their 403. An election's
        // routes refuse by its phase and roll as well as by role: `elections.rs` checks them.
        // The Outcomes refuse non-members (an attendee reads them): `realtime/synthesis.rs`.
        // The agenda refuses non-members, which this attendee is not: `registrations.rs` checks it.
        let by_session =
            ["panels", "awards", "outcomes"].contains(&operation["tags"][0].as_str().unwrap_or(""));
        let by_membership = operation["responses"]["403"]["description"]
            .as_str()
            .is_some_and(|description| description.starts_with("Not a member"));
        if operation["responses"]["403"].is_object() && !by_session && !by_membership {
            for body in ["{}", "{not json", r#"{"role": "organiser"}"#] {
                let not_allowed = request(&attendee, &method, &url, "application/json", body);
                let reply = attendee.send(not_allowed).await;
                assert_eq!(reply.status, StatusCode::FORBIDDEN, "{at} {body}");
                assert_eq!(reply.body["error"]["code"], "forbidden", "{at}");
            }
            forbidden_checked += 1;
        }
    }
    // Creating a conference, updating it, listing, changing and removing members, setting a
    // speaker card, and creating, updating, deleting and staffing sessions; reading and setting
    // the registration settings, setting the questions, listing, deciding on and exporting
    // registrations, importing them, listing, creating, updating and deleting delegations,
    // reading the outbox.
    assert_eq!(forbidden_checked, 22);

    // An organiser's own bad query is a documented 400, not a 500.
    let reply = organiser
        .get("/api/conferences/ecc/members?role=president")
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);

    let ready = anonymous.get("/readyz").await;
    assert_eq!(ready.status, StatusCode::OK);
    assert_eq!(ready.headers["content-type"], "application/json");
    assert_eq!(ready.body, json!("ready"));
    let documented = &spec["paths"]["/readyz"]["get"]["responses"]["200"]["content"];
    assert!(documented["application/json"].is_object());
}

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
        "/api/auth/session",
        "/api/me",
        "/api/me/profile",
        "/api/me/conferences",
        "/api/sectors",
        "/api/conferences",
        "/api/conferences/{slug}",
        "/api/conferences/{slug}/registration",
        "/api/conferences/{slug}/registrations",
        "/api/public/conferences/{slug}",
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
        "CurrentLogin",
        "Membership",
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

/// Found by schemathesis: PostgreSQL cannot store U+0000, which JSON and URLs can carry.
/// It breaks a rule (422) wherever it comes, and names no conference; never a 500.
#[sqlx::test(migrations = "../migrations")]
async fn the_character_u0000_is_refused_as_input(db: PgPool) {
    let state = state(db);
    let mut organiser = conference_with_organiser(&state).await;
    let reply = organiser
        .put(
            "/api/me/profile",
            json!({"organisation": "Tech\u{0}tera", "cluster": "", "country": null, "sectors": [],
                   "languages": [], "offers": "", "seeks": "", "bio": ""}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reply.body["error"]["message"],
        "text must not contain the character U+0000"
    );
    // In a multilingual text, stored as jsonb.
    let mut session = crate::helpers::session_body();
    session["description"]["fr"] = json!("Lever les\u{0} obstacles");
    let reply = organiser
        .post("/api/conferences/ecc/sessions", session)
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    for query in [
        "members?q=a%00b",
        "sessions?language=%00",
        "schedule.ics?lang=nl%00",
    ] {
        let reply = organiser
            .get(&format!("/api/conferences/ecc/{query}"))
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(reply.body["error"]["code"], "validation");
    }
    let reply = organiser.get("/api/conferences/ec%00c").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    // The profile was left as it was.
    let profile = organiser.get("/api/me/profile").await;
    assert_eq!(profile.body["organisation"], "");
}
