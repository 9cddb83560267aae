//! Serves the built Svelte frontend (`frontend/dist`), embedded in release builds and read
//! from disk in debug builds, with `index.html` for every client-side route. `npm run build`
//! stores a brotli and a gzip copy beside every text file that shrinks (`x.js.br`,
//! `x.js.gz`); each request gets the copy its `Accept-Encoding` prefers.

mod encoding;

use std::borrow::Cow;

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

use crate::error::AppError;
use encoding::{Accepted, Encoding};

/// The built frontend, `frontend/dist`.
#[derive(RustEmbed)]
#[folder = "../frontend/dist"]
#[allow_missing = true]
pub(crate) struct Dist;

/// The fallback route: API paths that matched nothing get a JSON 404, anything else is a
/// static file of `F` or the single-page app.
pub async fn serve_frontend<F: RustEmbed>(uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path().trim_start_matches('/');
    if path.starts_with("api/") || path == "api" || path == "ws" {
        return AppError::NotFound("route").into_response();
    }
    let accepted = Accepted::from_headers(&headers);
    if !path.is_empty() {
        if let Some(file) = stored_file::<F>(path, &accepted) {
            return file;
        }
    }
    stored_file::<F>("index.html", &accepted).unwrap_or_else(|| {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "The frontend is not built: run `npm run build` in frontend/.",
        )
            .into_response()
    })
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
