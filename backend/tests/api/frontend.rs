//! Static files: the copy the browser's `Accept-Encoding` prefers (brotli, gzip, or the file
//! itself), with `Content-Encoding`, `Vary` and cache headers, through the real router.
//!
//! The files come from `fixture-dist/`, laid out as `npm run build` lays out
//! `frontend/dist` (the `.br` and `.gz` copies made with Node's zlib at the build's levels),
//! so these tests do not depend on the frontend having been built first.

use std::io::Read;

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use rust_embed::RustEmbed;
use sqlx::PgPool;
use tower::ServiceExt;

use crate::helpers::state;

#[derive(RustEmbed)]
#[folder = "tests/api/fixture-dist"]
struct Fixture;

const SCRIPT: &str = "/assets/app-B7rT1yQe.js";
const SCRIPT_BYTES: &[u8] = include_bytes!("fixture-dist/assets/app-B7rT1yQe.js");
const INDEX_BYTES: &[u8] = include_bytes!("fixture-dist/index.html");
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const CHROMIUM: &str = "gzip, deflate, br, zstd";

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: header::HeaderName) -> Option<&str> {
        self.headers.get(name).map(|value| value.to_str().unwrap())
    }

    /// The body as the browser reads it, after undoing `Content-Encoding`.
    fn decoded(&self) -> Vec<u8> {
        let mut decoded = Vec::new();
        match self.header(header::CONTENT_ENCODING) {
            Some("br") => brotli_decompressor::Decompressor::new(&self.body[..], 4096)
                .read_to_end(&mut decoded)
                .unwrap(),
            Some("gzip") => flate2::read::GzDecoder::new(&self.body[..])
                .read_to_end(&mut decoded)
                .unwrap(),
            None => return self.body.clone(),
            Some(other) => panic!("unexpected Content-Encoding {other}"),
        };
        decoded
    }
}

async fn get(db: &PgPool, path: &str, accept_encoding: Option<&str>) -> Reply {
    let mut request = Request::get(path);
    if let Some(value) = accept_encoding {
        request = request.header(header::ACCEPT_ENCODING, value);
    }
    let app = viaduc::app_with_frontend::<Fixture>(state(db.clone()));
    let response = app
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    Reply {
        status: response.status(),
        headers: response.headers().clone(),
        body: response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_browser_gets_the_script_in_brotli(db: PgPool) {
    let reply = get(&db, SCRIPT, Some(CHROMIUM)).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header(header::CONTENT_ENCODING), Some("br"));
    assert_eq!(reply.header(header::VARY), Some("accept-encoding"));
    assert_eq!(reply.header(header::CONTENT_TYPE), Some("text/javascript"));
    assert_eq!(reply.header(header::CACHE_CONTROL), Some(IMMUTABLE));
    assert_eq!(
        reply.body.len(),
        701,
        "the stored brotli copy, not the 1763-byte file"
    );
    assert_eq!(reply.decoded(), SCRIPT_BYTES);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_client_without_brotli_gets_gzip(db: PgPool) {
    for accept in ["gzip", "gzip, deflate", "br;q=0.5, gzip", "br;q=0, *"] {
        let reply = get(&db, SCRIPT, Some(accept)).await;
        assert_eq!(reply.status, StatusCode::OK, "{accept}");
        assert_eq!(
            reply.header(header::CONTENT_ENCODING),
            Some("gzip"),
            "{accept}"
        );
        assert_eq!(reply.header(header::VARY), Some("accept-encoding"));
        assert_eq!(reply.header(header::CACHE_CONTROL), Some(IMMUTABLE));
        assert_eq!(reply.body.len(), 817, "{accept}");
        assert_eq!(reply.decoded(), SCRIPT_BYTES, "{accept}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_client_without_either_gets_the_file_itself(db: PgPool) {
    for accept in [
        None,
        Some(""),
        Some("identity"),
        Some("deflate"),
        Some("br;q=0, gzip;q=0"),
    ] {
        let reply = get(&db, SCRIPT, accept).await;
        assert_eq!(reply.status, StatusCode::OK, "{accept:?}");
        assert_eq!(reply.header(header::CONTENT_ENCODING), None, "{accept:?}");
        // The answer still depends on the header: a cache must not hand it to a browser.
        assert_eq!(reply.header(header::VARY), Some("accept-encoding"));
        assert_eq!(reply.header(header::CONTENT_TYPE), Some("text/javascript"));
        assert_eq!(reply.header(header::CACHE_CONTROL), Some(IMMUTABLE));
        assert_eq!(reply.body, SCRIPT_BYTES, "{accept:?}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn every_page_of_the_app_is_the_compressed_index_never_cached(db: PgPool) {
    for path in ["/", "/c/ecc-2026/sessions/42", "/index.html"] {
        let reply = get(&db, path, Some(CHROMIUM)).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert_eq!(reply.header(header::CONTENT_ENCODING), Some("br"), "{path}");
        assert_eq!(reply.header(header::VARY), Some("accept-encoding"));
        assert_eq!(
            reply.header(header::CONTENT_TYPE),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(reply.header(header::CACHE_CONTROL), Some("no-cache"));
        assert_eq!(reply.decoded(), INDEX_BYTES, "{path}");
        // Scripts of its own only; frames only from the stage's players; framed by nobody.
        let policy = reply.header(header::CONTENT_SECURITY_POLICY).unwrap();
        for part in [
            "script-src 'self';",
            "frame-src https://www.youtube-nocookie.com https://player.vimeo.com https://meet.jit.si;",
            "frame-ancestors 'none';",
        ] {
            assert!(policy.contains(part), "{part} in {policy}");
        }
    }
    let gzip = get(&db, "/c/ecc-2026", Some("gzip")).await;
    assert_eq!(gzip.header(header::CONTENT_ENCODING), Some("gzip"));
    assert_eq!(gzip.decoded(), INDEX_BYTES);
}

#[sqlx::test(migrations = "../migrations")]
async fn an_image_is_sent_as_it_is(db: PgPool) {
    // The build stores no copies of a PNG (already compressed): nothing varies.
    let reply = get(&db, "/assets/logo-Kc93mZpA.png", Some(CHROMIUM)).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header(header::CONTENT_ENCODING), None);
    assert_eq!(reply.header(header::VARY), None);
    assert_eq!(reply.header(header::CONTENT_TYPE), Some("image/png"));
    assert_eq!(reply.header(header::CACHE_CONTROL), Some(IMMUTABLE));
    assert_eq!(
        reply.body,
        include_bytes!("fixture-dist/assets/logo-Kc93mZpA.png")
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn unknown_api_paths_stay_json_errors(db: PgPool) {
    let reply = get(&db, "/api/nothing-here", Some(CHROMIUM)).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.header(header::CONTENT_ENCODING), None);
    let body: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
    assert_eq!(body["error"]["code"], "not_found");
}
