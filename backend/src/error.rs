//! The one error type every handler returns, and its JSON body.
//!
//! Every failure becomes `{"error": {"code": "...", "message": "...", "fields": {...}}}` with
//! a stable `code`, so clients can branch on it and people can read the message.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

/// What went wrong, in terms a client can act on.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("authentication required")]
    Unauthorized,
    #[error("invalid e-mail or password")]
    InvalidCredentials,
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Conflict(String),
    /// Input that parsed but breaks a rule; `fields` maps field names to what is wrong.
    #[error("{message}")]
    Validation {
        message: String,
        fields: BTreeMap<String, String>,
    },
    /// A body or query that could not be parsed at all.
    #[error("{0}")]
    BadRequest(String),
    #[error("the request body is too large")]
    PayloadTooLarge,
    #[error("too many attempts, try again in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    /// The database is unreachable; the client may retry.
    #[error("the service is temporarily unavailable, try again")]
    Unavailable,
    #[error("database error")]
    Database(#[source] sqlx::Error),
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

/// The JSON error body, documented in the OpenAPI spec.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `validation`, `not_found`, `rate_limited`.
    pub code: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
}

impl AppError {
    /// A validation error on a single field.
    pub fn field(field: &str, problem: impl Into<String>) -> Self {
        let problem = problem.into();
        AppError::Validation {
            message: format!("{field}: {problem}"),
            fields: BTreeMap::from([(field.to_owned(), problem)]),
        }
    }

    /// Input that carries U+0000, which no stored text can hold (PostgreSQL refuses it).
    pub fn nul_character() -> Self {
        AppError::Validation {
            message: "text must not contain the character U+0000".into(),
            fields: BTreeMap::new(),
        }
    }

    /// Turns a violation of the named constraint into `mapped`, leaving other errors as they are.
    pub fn on_constraint<'a>(
        constraint: &'a str,
        mapped: impl FnOnce() -> AppError + 'a,
    ) -> impl FnOnce(sqlx::Error) -> AppError + 'a {
        move |error| match &error {
            sqlx::Error::Database(db) if db.constraint() == Some(constraint) => mapped(),
            _ => AppError::from(error),
        }
    }

    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            AppError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            AppError::InvalidCredentials => (StatusCode::UNAUTHORIZED, "invalid_credentials"),
            AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            AppError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            AppError::Validation { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "validation"),
            AppError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            AppError::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            AppError::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            AppError::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            AppError::Database(_) | AppError::Internal(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, "internal")
            }
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            // Connection-level failures mean the database is away (restart, network):
            // tell the client to retry instead of reporting an internal error.
            sqlx::Error::Io(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Tls(_) => AppError::Unavailable,
            // So is the server ending the connection (fast shutdown, restart, an administrator,
            // a failover: 57P01–57P03, class 08): retrying is safe, commands carry their id.
            sqlx::Error::Database(error)
                if error.code().is_some_and(|code| connection_lost(&code)) =>
            {
                AppError::Unavailable
            }
            // PostgreSQL cannot store U+0000, which JSON can carry (`"\u0000"`): in text it is
            // an invalid byte sequence (22021), in jsonb an untranslatable character (22P05).
            sqlx::Error::Database(error)
                if matches!(error.code().as_deref(), Some("22021" | "22P05")) =>
            {
                AppError::nul_character()
            }
            sqlx::Error::RowNotFound => AppError::NotFound("record"),
            other => AppError::Database(other),
        }
    }
}

/// SQLSTATEs meaning the server dropped or refused the connection, not that the query failed.
fn connection_lost(code: &str) -> bool {
    code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03")
}

impl From<validator::ValidationErrors> for AppError {
    fn from(errors: validator::ValidationErrors) -> Self {
        let fields: BTreeMap<String, String> = errors
            .field_errors()
            .into_iter()
            .map(|(field, problems)| {
                let problem = problems
                    .first()
                    .and_then(|p| p.message.as_ref().map(|m| m.to_string()))
                    .unwrap_or_else(|| "is invalid".to_owned());
                (field.to_string(), problem)
            })
            .collect();
        let message = fields
            .iter()
            .map(|(field, problem)| format!("{field}: {problem}"))
            .collect::<Vec<_>>()
            .join("; ");
        AppError::Validation { message, fields }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if status.is_server_error() {
            tracing::error!(error = ?self, "request failed");
        }
        let fields = match &self {
            AppError::Validation { fields, .. } => fields.clone(),
            _ => BTreeMap::new(),
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code,
                message: self.to_string(),
                fields,
            },
        };
        let mut response = (status, Json(body)).into_response();
        if let AppError::RateLimited { retry_after_secs } = self {
            response
                .headers_mut()
                .insert("retry-after", retry_after_secs.into());
        }
        response
    }
}

pub type AppResult<T> = Result<T, AppError>;
