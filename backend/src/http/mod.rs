//! Shared HTTP pieces: the JSON, query and path extractors with our error body, the
//! deployment's public face and the client's address, health checks, OpenAPI shaping.

pub mod completion;
pub mod files;
pub mod openapi;
mod site;

pub use site::{ClientIp, Site};

use axum::extract::rejection::{JsonDataError, JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::Json;
use sqlx::PgPool;

use crate::error::{AppError, AppResult, ErrorBody, Problem};

/// `Json` whose rejection is an [`AppError`], so a malformed body gets the same error shape
/// as every other failure.
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct AppJson<T>(pub T);

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonDataError(error) => invalid_json_data(&error),
            other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge,
            other => AppError::BadRequest(other.body_text()),
        }
    }
}

/// A body of the wrong shape: a field error on the path serde names (`kind`, `venue.city`),
/// or, when the body as a whole is wrong, a validation error without fields.
fn invalid_json_data(error: &JsonDataError) -> AppError {
    let located = std::error::Error::source(error)
        .and_then(std::error::Error::source)
        .and_then(|inner| inner.downcast_ref::<serde_path_to_error::Error<serde_json::Error>>());
    match located {
        Some(located) if located.path().to_string() != "." => AppError::field(
            &located.path().to_string(),
            Problem::Invalid {
                detail: located.inner().to_string(),
            },
        ),
        _ => AppError::invalid_body(error.body_text()),
    }
}

/// An extractor whose failure the handler reports itself, after its role check: an attendee
/// calling an organiser route learns 403 whatever the body or the query say, and only the
/// people allowed to call it learn what is wrong with their input.
pub type AfterRoleCheck<T> = Result<T, AppError>;

/// `Query` whose rejection is an [`AppError`]. A query that carries U+0000 (`%00`) breaks a
/// rule (422) as it does in a body: PostgreSQL refuses it as a parameter.
#[derive(Debug)]
pub struct AppQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for AppQuery<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        if query.contains("%00") {
            return Err(AppError::nul_character());
        }
        let Query(value) = Query::<T>::from_request_parts(parts, state).await?;
        Ok(AppQuery(value))
    }
}

impl From<QueryRejection> for AppError {
    fn from(rejection: QueryRejection) -> Self {
        AppError::BadRequest(rejection.body_text())
    }
}

/// `Path` whose rejection is an [`AppError`]: a malformed id names nothing, so it is a 404
/// like any other unknown address.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct AppPath<T>(pub T);

impl From<PathRejection> for AppError {
    fn from(rejection: PathRejection) -> Self {
        match rejection {
            PathRejection::FailedToDeserializePathParams(_) => AppError::NotFound("resource"),
            other => AppError::Internal(anyhow::anyhow!("path extraction: {}", other.body_text())),
        }
    }
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "ops", security(()),
    responses((status = 200, description = "The process answers", body = String, example = "ok")))]
pub async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the database answers.
#[utoipa::path(get, path = "/readyz", tag = "ops", security(()),
    responses(
        (status = 200, description = "The database answers", content_type = "application/json",
         body = String, example = json!("ready")),
        (status = 503, description = "The database does not answer", body = ErrorBody)))]
pub async fn readyz(State(db): State<PgPool>) -> AppResult<(StatusCode, Json<&'static str>)> {
    sqlx::query("select 1")
        .execute(&db)
        .await
        .map_err(|_| AppError::Unavailable)?;
    Ok((StatusCode::OK, Json("ready")))
}
