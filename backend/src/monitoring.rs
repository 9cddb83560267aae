//! `GET /metrics`: operational data, so not public. It answers only a bearer token equal to
//! `--metrics-token`; without one configured the route does not exist (404). It is kept out
//! of the OpenAPI document, which describes the public API.

use axum::extract::State;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::metrics::Readings;
use crate::state::AppState;

/// Prometheus asks for this format and reads it (counters as `_total`, `# EOF` at the end).
const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// The metrics in the OpenMetrics text format, for the holder of the metrics token.
pub async fn scrape(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = &state.metrics_token else {
        return AppError::NotFound("route").into_response();
    };
    if !presents(&headers, token) {
        return ([(WWW_AUTHENTICATE, "Bearer")], AppError::Unauthorized).into_response();
    }
    let hub = &state.realtime.hub;
    let readings = Readings {
        connections: hub.connections.count(),
        rooms: hub.local_rooms().len(),
        pool_open: state.db.size(),
        pool_idle: state.db.num_idle(),
        pool_max: state.db.options().get_max_connections(),
    };
    (
        [(CONTENT_TYPE, OPENMETRICS)],
        state.metrics.encode(readings),
    )
        .into_response()
}

/// Whether the request carries `Authorization: Bearer <token>`. The digests are compared,
/// not the tokens: how long a comparison takes then tells nothing about the token.
fn presents(headers: &HeaderMap, token: &SecretString) -> bool {
    let Some(given) = headers
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, given)| given.trim())
    else {
        return false;
    };
    Sha256::digest(given.as_bytes()) == Sha256::digest(token.expose_secret().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn authorization(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, value.parse().unwrap());
        headers
    }

    #[test]
    fn only_the_bearer_token_itself_is_accepted() {
        let token = SecretString::from("s3cret-token");
        assert!(presents(&authorization("Bearer s3cret-token"), &token));
        assert!(presents(&authorization("bearer s3cret-token"), &token));
        assert!(!presents(&authorization("Bearer s3cret-tokeN"), &token));
        assert!(!presents(&authorization("Bearer s3cret"), &token));
        assert!(!presents(&authorization("Basic s3cret-token"), &token));
        assert!(!presents(&authorization("s3cret-token"), &token));
        assert!(!presents(&HeaderMap::new(), &token));
    }
}
