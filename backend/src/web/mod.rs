//! Serves the built Svelte frontend (`frontend/dist`), embedded in release builds and read
//! from disk in debug builds, with `index.html` for every client-side route. `npm run build`
//! stores a brotli and a gzip copy beside every text file that shrinks (`x.js.br`,
//! `x.js.gz`); each request gets the copy its `Accept-Encoding` prefers.

mod encoding;

use std::borrow::Cow;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

use crate::error::AppError;
use crate::http::Site;
use crate::panels::embed::frame_origins;
use encoding::{Accepted, Encoding};

/// The built frontend, `frontend/dist`.
#[derive(RustEmbed)]
#[folder = "../frontend/dist"]
#[allow_missing = true]
pub(crate) struct Dist;

/// The fallback route: API paths that matched nothing get a JSON 404, anything else is a
/// static file of `F` or the single-page app.
pub async fn serve_frontend<F: RustEmbed>(
    State(site): State<Arc<Site>>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let path = uri.path().trim_start_matches('/');
    if path.starts_with("api/") || path == "api" || path == "ws" {
        return AppError::NotFound("route").into_response();
    }
    let accepted = Accepted::from_headers(&headers);
    let file = (!path.is_empty())
        .then(|| stored_file::<F>(path, &accepted))
        .flatten();
    let Some(mut page) = file.or_else(|| stored_file::<F>("index.html", &accepted)) else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "The frontend is not built: run `npm run build` in frontend/.",
        )
            .into_response();
    };
    let html = page
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|kind| kind.as_bytes().starts_with(b"text/html"));
    if html {
        if let Ok(policy) = HeaderValue::from_str(&content_security_policy(&site)) {
            page.headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, policy);
        }
    }
    page
}

/// What the single-page app may load: its own scripts and styles, images and media from
/// anywhere over https (speakers' photos, HLS segments), frames only from the stage's
/// players (`panels::embed`), and no page may frame it.
fn content_security_policy(site: &Site) -> String {
    let frames = frame_origins(&site.embed_origins).join(" ");
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' https: data:; media-src 'self' https: blob:; \
         connect-src 'self' https:; worker-src 'self' blob:; frame-src {frames}; \
         frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
    )
}

/// The file at `path` in the encoding the request prefers, if `F` has it.
fn stored_file<F: RustEmbed>(path: &str, accepted: &Accepted) -> Option<Response> {
    let original = F::get(path)?;
    let copies: Vec<(Encoding, Cow<'static, [u8]>)> = Encoding::COMPRESSED
        .into_iter()
        .filter_map(|encoding| {
            F::get(&format!("{path}{}", encoding.suffix())).map(|copy| (encoding, copy.data))
        })
        .collect();
    let chosen = accepted.choose(|encoding| copies.iter().any(|(stored, _)| *stored == encoding));
    let has_copies = !copies.is_empty();
    let body = copies
        .into_iter()
        .find(|(stored, _)| *stored == chosen)
        .map_or(original.data, |(_, data)| data);

    let content_type = if path.ends_with(".html") {
        "text/html; charset=utf-8".to_owned()
    } else {
        mime_guess::from_path(path)
            .first_or_octet_stream()
            .to_string()
    };
    // Vite puts a content hash in every file name under assets/: such a file never changes.
    let cache = if path.starts_with("assets/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let mut response = (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, cache.to_owned()),
        ],
        Body::from(body),
    )
        .into_response();
    let response_headers = response.headers_mut();
    if let Some(coding) = chosen.content_encoding() {
        response_headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
    }
    // Caches must keep one answer per Accept-Encoding for a file that has copies.
    if has_copies {
        response_headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    Some(response)
}
