//! Sign-up, login, logout, tokens, refresh rotation and rate limits.

use axum::http::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;
use viaduc::auth::tokens::Claims;

use crate::helpers::{state, Client, PASSWORD};

#[sqlx::test(migrations = "../migrations")]
async fn signup_login_me_logout(db: PgPool) {
    let state = state(db);
    let mut anna = Client::new(&state);
    let id = anna.signup("  Anna@Cluster.EU ", "Anna Janssens").await;

    let me = anna.get("/api/me").await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(
        me.body,
        json!({"id": id, "email": "anna@cluster.eu", "display_name": "Anna Janssens",
               "is_platform_organiser": false})
    );

    let mut other_browser = Client::new(&state);
    let login = other_browser
        .post(
            "/api/auth/login",
            json!({"email": "ANNA@cluster.eu", "password": PASSWORD}),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK);
    let set_cookies: Vec<_> = login
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert!(set_cookies.iter().any(|c| c.starts_with("viaduc_access=")
        && c.contains("HttpOnly")
        && c.contains("SameSite=Lax")));
    assert!(set_cookies
        .iter()
        .any(|c| c.starts_with("viaduc_refresh=") && c.contains("Path=/api/auth")));

    let logout = other_browser
        .request(axum::http::Method::POST, "/api/auth/logout", None)
        .await;
    assert_eq!(logout.status, StatusCode::NO_CONTENT);
    assert_eq!(
        other_browser.get("/api/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    // Logging out in one browser does not log out the other.
    assert_eq!(anna.get("/api/me").await.status, StatusCode::OK);
}

#[sqlx::test(migrations = "../migrations")]
async fn signup_rules(db: PgPool) {
    let state = state(db);
    let mut client = Client::new(&state);
    client.signup("anna@cluster.eu", "Anna").await;

    let duplicate = client
        .post(
            "/api/auth/signup",
            json!({"email": "ANNA@cluster.eu", "password": PASSWORD, "display_name": "A"}),
        )
        .await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);
    assert_eq!(duplicate.body["error"]["code"], "conflict");
    assert_eq!(
        duplicate.body["error"]["fields"],
        json!([{"field": "email", "code": "taken", "message": "is already taken"}])
    );

    // Each refusal names its field, its rule and the rule's numbers, for the UI to translate.
    let cases = [
        (
            json!({"email": "b@cluster.eu", "password": "short", "display_name": "B"}),
            json!({"field": "password", "code": "too_short", "params": {"min": 10},
                   "message": "must be at least 10 characters"}),
        ),
        (
            json!({"email": "b@cluster.eu", "password": "1234567890", "display_name": "B"}),
            json!({"field": "password", "code": "too_common",
                   "message": "is too common, choose another"}),
        ),
        (
            json!({"email": "b@cluster.eu", "password": "B@Cluster.eu", "display_name": "B"}),
            json!({"field": "password", "code": "same_as_email",
                   "message": "must not be your e-mail address"}),
        ),
        (
            json!({"email": "not-an-email", "password": PASSWORD, "display_name": "B"}),
            json!({"field": "email", "code": "email", "message": "must be a valid e-mail address"}),
        ),
        (
            json!({"email": "b@cluster.eu", "password": PASSWORD, "display_name": ""}),
            json!({"field": "display_name", "code": "required", "message": "is required"}),
        ),
        (
            json!({"email": "b@cluster.eu", "password": PASSWORD, "display_name": "x".repeat(101)}),
            json!({"field": "display_name", "code": "too_long", "params": {"max": 100},
                   "message": "must be at most 100 characters"}),
        ),
    ];
    for (body, expected) in cases {
        let reply = client.post("/api/auth/signup", body).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.text
        );
        assert_eq!(reply.body["error"]["code"], "validation");
        assert_eq!(
            reply.body["error"]["fields"],
            json!([expected]),
            "{}",
            reply.text
        );
    }
    let common = client
        .post(
            "/api/auth/signup",
            json!({"email": "b@cluster.eu", "password": "1234567890", "display_name": "B"}),
        )
        .await;
    assert_eq!(
        common.body["error"]["message"],
        "password: is too common, choose another"
    );

    let malformed = client
        .send(
            axum::http::Request::post("/api/auth/signup")
                .header("content-type", "application/json")
                .body(axum::body::Body::from("{not json"))
                .unwrap(),
        )
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert_eq!(malformed.body["error"]["code"], "bad_request");
}

#[sqlx::test(migrations = "../migrations")]
async fn wrong_password_and_unknown_account_look_the_same(db: PgPool) {
    let state = state(db);
    let mut client = Client::new(&state);
    client.signup("anna@cluster.eu", "Anna").await;
    let mut stranger = Client::new(&state);
    let wrong = stranger
        .post(
            "/api/auth/login",
            json!({"email": "anna@cluster.eu", "password": "not-the-password"}),
        )
        .await;
    let unknown = stranger
        .post(
            "/api/auth/login",
            json!({"email": "nobody@cluster.eu", "password": "not-the-password"}),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(wrong.body["error"]["code"], "invalid_credentials");
    assert!(stranger.cookie("viaduc_access").is_none());
}

#[sqlx::test(migrations = "../migrations")]
async fn login_attempts_are_rate_limited_per_account(db: PgPool) {
    let state = state(db);
    Client::new(&state).signup("anna@cluster.eu", "Anna").await;
    let mut attacker = Client::new(&state);
    for _ in 0..5 {
        let reply = attacker
            .post(
                "/api/auth/login",
                json!({"email": "anna@cluster.eu", "password": "guess-guess-guess"}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let limited = attacker
        .post(
            "/api/auth/login",
            json!({"email": "anna@cluster.eu", "password": PASSWORD}),
        )
        .await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.body["error"]["code"], "rate_limited");
    assert!(limited.headers.get("retry-after").is_some());
}

#[sqlx::test(migrations = "../migrations")]
async fn login_attempts_are_rate_limited_per_address(db: PgPool) {
    let state = state(db);
    let mut attacker = Client::new(&state);
    // 60 attempts a minute per address: the budget refills one per second, so a fast run of
    // attempts across many accounts hits the limit shortly after the 60th.
    let mut refused_at = None;
    for attempt in 0..120 {
        let email = format!("person{attempt}@cluster.eu");
        let reply = attacker
            .post(
                "/api/auth/login",
                json!({"email": email, "password": "guess-guess-guess"}),
            )
            .await;
        if reply.status == StatusCode::TOO_MANY_REQUESTS {
            refused_at = Some(attempt);
            break;
        }
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let refused_at = refused_at.expect("the address was never limited");
    assert!(
        (60..100).contains(&refused_at),
        "limited after {refused_at} attempts"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn expired_tampered_and_foreign_tokens_are_refused(db: PgPool) {
    let state = state(db);
    let mut anna = Client::new(&state);
    let id: Uuid = anna
        .signup("anna@cluster.eu", "Anna")
        .await
        .parse()
        .unwrap();
    let now = chrono::Utc::now().timestamp();
    let claims = |iat: i64, exp: i64, aud: &str| Claims {
        sub: id,
        sid: Uuid::new_v4(),
        aud: aud.into(),
        iss: "viaduc".into(),
        iat,
        exp,
    };
    let bearer = |token: String| {
        axum::http::Request::get("/api/me")
            .header("authorization", format!("Bearer {token}"))
            .body(axum::body::Body::empty())
            .unwrap()
    };
    let mut api_client = Client::new(&state);

    let valid = state.keys.sign(&claims(now, now + 600, "viaduc")).unwrap();
    assert_eq!(
        api_client.send(bearer(valid.clone())).await.status,
        StatusCode::OK
    );

    let expired = state
        .keys
        .sign(&claims(now - 3600, now - 60, "viaduc"))
        .unwrap();
    assert_eq!(
        api_client.send(bearer(expired)).await.status,
        StatusCode::UNAUTHORIZED
    );

    let wrong_audience = state
        .keys
        .sign(&claims(now, now + 600, "elsewhere"))
        .unwrap();
    assert_eq!(
        api_client.send(bearer(wrong_audience)).await.status,
        StatusCode::UNAUTHORIZED
    );

    let (head, _) = valid.rsplit_once('.').unwrap();
    let tampered = format!("{head}.{}", "A".repeat(43));
    assert_eq!(
        api_client.send(bearer(tampered)).await.status,
        StatusCode::UNAUTHORIZED
    );

    let foreign = viaduc::auth::tokens::TokenKeys::new(b"some other deployment's secret")
        .sign(&claims(now, now + 600, "viaduc"))
        .unwrap();
    let reply = api_client.send(bearer(foreign)).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.body["error"]["code"], "unauthorized");
}

/// CVE-2026-25537: jsonwebtoken before 10.3 took an `exp` or `nbf` that is not a number as
/// absent, so a token with `"nbf": "<far future>"` or `"exp": "<any string>"` passed.
#[sqlx::test(migrations = "../migrations")]
async fn tokens_whose_times_are_strings_are_refused(db: PgPool) {
    let state = state(db);
    let mut anna = Client::new(&state);
    let id = anna.signup("anna@cluster.eu", "Anna").await;
    let now = chrono::Utc::now().timestamp();
    let me_with = |times: Value| {
        let mut claims = json!({
            "sub": id, "sid": Uuid::new_v4(), "aud": "viaduc", "iss": "viaduc", "iat": now
        });
        claims
            .as_object_mut()
            .unwrap()
            .extend(times.as_object().unwrap().clone());
        let token = state.keys.sign(&claims).unwrap();
        axum::http::Request::get("/api/me")
            .header("authorization", format!("Bearer {token}"))
            .body(axum::body::Body::empty())
            .unwrap()
    };
    let mut api_client = Client::new(&state);
    // The same claims with numbers are accepted: only the types differ below.
    let numbers = me_with(json!({"exp": now + 600, "nbf": now - 60}));
    assert_eq!(api_client.send(numbers).await.status, StatusCode::OK);
    for times in [
        json!({"exp": "9999999999"}),
        json!({"exp": "9999999999", "nbf": now - 60}),
        json!({"exp": now + 600, "nbf": "9999999999"}),
        json!({"exp": now + 600, "nbf": "0"}),
        json!({"exp": now + 600, "nbf": now + 3600}),
    ] {
        let reply = api_client.send(me_with(times.clone())).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{times}");
        assert_eq!(reply.body["error"]["code"], "unauthorized");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn refresh_rotates_and_reuse_revokes_the_login(db: PgPool) {
    let state = state(db);
    let mut anna = Client::new(&state);
    anna.signup("anna@cluster.eu", "Anna").await;
    let first_refresh = anna.cookie("viaduc_refresh").unwrap();

    let refreshed = anna
        .request(axum::http::Method::POST, "/api/auth/refresh", None)
        .await;
    assert_eq!(refreshed.status, StatusCode::OK);
    assert_eq!(refreshed.body["email"], "anna@cluster.eu");
    let second_refresh = anna.cookie("viaduc_refresh").unwrap();
    assert_ne!(first_refresh, second_refresh);

    // A thief replays the first (already used) token: refused, and the login is revoked.
    let mut thief = Client::new(&state);
    thief.cookies.push(("viaduc_refresh".into(), first_refresh));
    let replay = thief
        .request(axum::http::Method::POST, "/api/auth/refresh", None)
        .await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED);

    // So the legitimate holder's newest token no longer works either.
    let after = anna
        .request(axum::http::Method::POST, "/api/auth/refresh", None)
        .await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrations = "../migrations")]
async fn logout_revokes_the_refresh_token(db: PgPool) {
    let state = state(db);
    let mut anna = Client::new(&state);
    anna.signup("anna@cluster.eu", "Anna").await;
    let refresh = anna.cookie("viaduc_refresh").unwrap();
    anna.request(axum::http::Method::POST, "/api/auth/logout", None)
        .await;
    let mut replay = Client::new(&state);
    replay.cookies.push(("viaduc_refresh".into(), refresh));
    let reply = replay
        .request(axum::http::Method::POST, "/api/auth/refresh", None)
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_current_login_answers_visitors_quietly_and_resumes_logins(db: PgPool) {
    let state = state(db);
    let mut visitor = Client::new(&state);
    let anonymous = visitor.get("/api/auth/session").await;
    assert_eq!(anonymous.status, StatusCode::OK);
    assert_eq!(anonymous.body, json!({"user": null}));
    assert_eq!(anonymous.headers["cache-control"], "no-store");

    let mut anna = Client::new(&state);
    let id = anna.signup("anna@cluster.eu", "Anna").await;
    let known = anna.get("/api/auth/session").await;
    assert_eq!(known.status, StatusCode::OK);
    assert_eq!(known.body["user"]["id"], id.as_str());
    assert_eq!(known.body["user"]["display_name"], "Anna");

    // The access token expired (its cookie is gone): the refresh cookie resumes the login,
    // rotated like `POST /api/auth/refresh` does.
    let old_refresh = anna.cookie("viaduc_refresh").unwrap();
    anna.cookies.retain(|(name, _)| name != "viaduc_access");
    let resumed = anna.get("/api/auth/session").await;
    assert_eq!(resumed.status, StatusCode::OK);
    assert_eq!(resumed.body["user"]["id"], id.as_str());
    assert!(anna.cookie("viaduc_access").is_some());
    assert_ne!(anna.cookie("viaduc_refresh").unwrap(), old_refresh);
    assert_eq!(anna.get("/api/me").await.status, StatusCode::OK);

    // A refresh token that is no longer valid: nobody, still 200, and the stale cookie goes.
    let mut stale = Client::new(&state);
    stale
        .cookies
        .push(("viaduc_refresh".into(), "no-such-token".into()));
    let gone = stale.get("/api/auth/session").await;
    assert_eq!(gone.status, StatusCode::OK);
    assert_eq!(gone.body, json!({"user": null}));
    assert_eq!(stale.cookie("viaduc_refresh"), None);

    // Documented, with its visitor answer, for independent clients.
    let spec = visitor.get("/api/openapi.json").await.body;
    assert_eq!(
        spec["paths"]["/api/auth/session"]["get"]["responses"]["200"]["content"]
            ["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/CurrentLogin"})
    );
    assert_eq!(
        spec["components"]["schemas"]["CurrentLogin"]["required"],
        json!(["user"])
    );
}

/// The token of the last password link e-mailed to `email`, read from the outbox.
async fn mailed_token(db: &PgPool, email: &str) -> String {
    let text: String = sqlx::query_scalar(
        "select text_body from outbox where to_email = $1 order by created_at desc limit 1",
    )
    .bind(email)
    .fetch_one(db)
    .await
    .unwrap();
    let start = text.find("token=").expect("a link with a token") + "token=".len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_forgotten_password_is_reset_once_through_the_mailed_link(db: PgPool) {
    let state = state(db.clone());
    let mut anna = Client::new(&state);
    anna.signup("anna@cluster.eu", "Anna").await;
    let mut visitor = Client::new(&state);

    // The same answer whether the address has an account or not.
    for email in ["anna@cluster.eu", "nobody@cluster.eu"] {
        let asked = visitor
            .post(
                "/api/auth/password-reset",
                json!({"email": email, "language": "nl"}),
            )
            .await;
        assert_eq!(asked.status, StatusCode::ACCEPTED, "{}", asked.text);
    }
    let mailed: Vec<(String, String, String)> =
        sqlx::query_as("select to_email, language, subject from outbox")
            .fetch_all(&db)
            .await
            .unwrap();
    assert_eq!(
        mailed,
        [(
            "anna@cluster.eu".into(),
            "nl".into(),
            "Een nieuw Viaduc-wachtwoord kiezen".into()
        )]
    );
    let token = mailed_token(&db, "anna@cluster.eu").await;
    let stored: Vec<u8> = sqlx::query_scalar("select token_hash from account_tokens")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_ne!(stored, token.as_bytes(), "only the token's hash is kept");

    let weak = visitor
        .post(
            "/api/auth/set-password",
            json!({"token": token, "password": "short"}),
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    let set = visitor
        .post(
            "/api/auth/set-password",
            json!({"token": token, "password": "flax-and-hemp-2027"}),
        )
        .await;
    assert_eq!(set.status, StatusCode::NO_CONTENT, "{}", set.text);
    let again = visitor
        .post(
            "/api/auth/set-password",
            json!({"token": token, "password": "flax-and-hemp-2028"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.body["error"]["conflict"]["reason"], "link_expired");

    // Every login of the account ended; the new password logs in, the old one no more.
    let refreshed = anna.post("/api/auth/refresh", json!({})).await;
    assert_eq!(refreshed.status, StatusCode::UNAUTHORIZED);
    let old = visitor
        .post(
            "/api/auth/login",
            json!({"email": "anna@cluster.eu", "password": PASSWORD}),
        )
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    let new = visitor
        .post(
            "/api/auth/login",
            json!({"email": "anna@cluster.eu", "password": "flax-and-hemp-2027"}),
        )
        .await;
    assert_eq!(new.status, StatusCode::OK, "{}", new.text);

    // A link past its hour is refused.
    visitor
        .post(
            "/api/auth/password-reset",
            json!({"email": "anna@cluster.eu"}),
        )
        .await;
    let late = mailed_token(&db, "anna@cluster.eu").await;
    sqlx::query(
        "update account_tokens set expires_at = now() - interval '1 second' where used_at is null",
    )
    .execute(&db)
    .await
    .unwrap();
    let expired = visitor
        .post(
            "/api/auth/set-password",
            json!({"token": late, "password": "flax-and-hemp-2029"}),
        )
        .await;
    assert_eq!(expired.status, StatusCode::CONFLICT);
}
