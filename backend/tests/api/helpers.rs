//! A test client that drives `viaduc::app` in-process and keeps cookies like a browser.

use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use sqlx::PgPool;
use tower::ServiceExt;
use viaduc::http::Site;
use viaduc::{AppState, Settings};

pub const PASSWORD: &str = "textile-lille-2026";

pub fn state(db: PgPool) -> AppState {
    AppState::new(
        db,
        b"test secret for signing access tokens",
        Settings {
            site: Site {
                public_url: "http://viaduc.test".into(),
                secure_cookies: false,
                trust_proxy: false,
                embed_origins: Vec::new(),
            },
            heartbeat: Default::default(),
            metrics_token: None,
        },
    )
}

/// One browser: its own cookie jar against the shared app.
#[derive(Clone)]
pub struct Client {
    app: Router,
    pub cookies: Vec<(String, String)>,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Client {
    pub fn new(state: &AppState) -> Self {
        Client {
            app: viaduc::app(state.clone()),
            cookies: Vec::new(),
        }
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }

    pub async fn request(&mut self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let request = self.build(method, path, body);
        self.send(request).await
    }

    /// Starts a request and drops it after `after`, as hyper does when the client goes away.
    pub async fn abandon(&self, method: Method, path: &str, body: Value, after: Duration) {
        let request = self.build(method, path, Some(body));
        let _ = tokio::time::timeout(after, self.app.clone().oneshot(request)).await;
    }

    /// A request with this browser's cookies.
    fn build(&self, method: Method, path: &str, body: Option<Value>) -> Request<Body> {
        let mut builder = Request::builder().method(method).uri(path);
        if !self.cookies.is_empty() {
            let cookie_header = self
                .cookies
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect::<Vec<_>>()
                .join("; ");
            builder = builder.header(header::COOKIE, cookie_header);
        }
        match body {
            Some(body) => builder
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string())),
            None => builder.body(Body::empty()),
        }
        .expect("valid request")
    }

    pub async fn send(&mut self, request: Request<Body>) -> Reply {
        let response = self.app.clone().oneshot(request).await.expect("infallible");
        for set_cookie in response.headers().get_all(header::SET_COOKIE) {
            let set_cookie = set_cookie.to_str().expect("ascii cookie");
            let pair = set_cookie.split(';').next().unwrap_or_default();
            let (name, value) = pair.split_once('=').expect("name=value");
            self.cookies.retain(|(n, _)| n != name);
            let expired = set_cookie.contains("Max-Age=0");
            if !expired {
                self.cookies.push((name.to_owned(), value.to_owned()));
            }
        }
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
            text,
        }
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        self.request(Method::GET, path, None).await
    }

    pub async fn post(&mut self, path: &str, body: Value) -> Reply {
        self.request(Method::POST, path, Some(body)).await
    }

    pub async fn put(&mut self, path: &str, body: Value) -> Reply {
        self.request(Method::PUT, path, Some(body)).await
    }

    pub async fn delete(&mut self, path: &str) -> Reply {
        self.request(Method::DELETE, path, None).await
    }

    /// Signs up (and so logs in) a new account; returns its id.
    pub async fn signup(&mut self, email: &str, name: &str) -> String {
        let reply = self
            .post(
                "/api/auth/signup",
                json!({"email": email, "password": PASSWORD, "display_name": name}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
        reply.body["id"].as_str().expect("id").to_owned()
    }
}

/// A conference `ecc` (8–10 December 2026, Brussels time) run by a fresh organiser.
pub async fn conference_with_organiser(state: &AppState) -> Client {
    let mut organiser = Client::new(state);
    let id = organiser.signup("odile@cluster.eu", "Odile").await;
    sqlx::query("update users set is_platform_organiser = true where id = $1::uuid")
        .bind(&id)
        .execute(&state.db)
        .await
        .expect("promote");
    let reply = organiser
        .post(
            "/api/conferences",
            json!({
                "slug": "ecc",
                "title": {"en": "European Cluster Conference", "fr": "Conférence européenne des clusters"},
                "starts_on": "2026-12-08", "ends_on": "2026-12-10",
                "time_zone": "Europe/Brussels", "languages": ["en", "fr"]
            }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    let published = organiser
        .put(
            "/api/conferences/ecc/registration-settings",
            json!({"published": true, "capacity": null, "approval": "automatic", "offer_hours": 48}),
        )
        .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.text);
    organiser
}

/// A valid session body, to be tweaked by each test.
pub fn session_body() -> Value {
    json!({
        "kind": "panel",
        "title": {"en": "Cross-border cooperation", "fr": "Coopération transfrontalière"},
        "description": {"en": "Lifting the barriers."},
        "starts_at": "2026-12-08T09:00:00Z",
        "ends_at": "2026-12-08T10:15:00Z",
        "capacity": 900,
        "languages": ["en", "fr"],
        "stream_url": "https://peertube.example.eu/w/abc",
        "visibility": "public",
        "venue": null
    })
}
