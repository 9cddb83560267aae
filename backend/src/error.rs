//! The one error type every handler returns, and its JSON body.
//!
//! Every failure becomes `{"error": {"code": "...", "message": "...", "fields": [...]}}` with
//! a stable `code`, so clients can branch on it, and, for input that breaks a rule, one entry
//! per field with the rule's own code and parameters, so the UI can say it in the reader's
//! language. `message` is English, for clients that know no code.

mod conflict;
mod problem;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use ts_rs::TS;
use utoipa::ToSchema;

pub use conflict::{Conflict, ConflictReason};
pub use problem::{FieldCode, FieldError, FieldParams, Problem};

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
    /// The change clashes with the current state, for the reason given.
    #[error("{0}")]
    Conflict(Conflict),
    /// Another record already holds this field's value (an e-mail address, a slug).
    #[error("{field}: is already taken")]
    Taken { field: &'static str },
    /// Input that parsed but breaks a rule, with what is wrong with each field.
    #[error("{message}")]
    Validation {
        message: String,
        fields: Vec<FieldError>,
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

/// The JSON error body, documented in the OpenAPI spec; its TypeScript twin is generated.
#[derive(Debug, Serialize, ToSchema, TS)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema, TS)]
pub struct ErrorDetail {
    pub code: ErrorCode,
    /// What went wrong, in English.
    pub message: String,
    /// For `validation` (and `conflict` on one field): what is wrong with each field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(optional = nullable)]
    pub fields: Vec<FieldError>,
    /// For `conflict`: the clash's reason (absent when it concerns a field: see `fields`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub conflict: Option<Conflict>,
}

/// Stable machine-readable code of a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Not logged in, or the login has expired.
    Unauthorized,
    InvalidCredentials,
    /// Logged in, but the caller's role does not allow this.
    Forbidden,
    NotFound,
    /// The change clashes with the current state (e.g. an e-mail address already registered).
    Conflict,
    /// The input breaks a rule: see `fields`.
    Validation,
    /// The body or query could not be parsed.
    BadRequest,
    PayloadTooLarge,
    /// Too many attempts: wait `Retry-After` seconds.
    RateLimited,
    /// The database is away for a moment: retry.
    Unavailable,
    Internal,
}

impl AppError {
    /// A clash with the current state, for `reason`.
    pub fn conflict(reason: ConflictReason) -> Self {
        AppError::Conflict(Conflict::new(reason))
    }

    /// A clash with the limit `max` (of polls, questions, candidates…).
    pub fn over_limit(reason: ConflictReason, max: impl TryInto<i64>) -> Self {
        AppError::Conflict(Conflict::over(reason, max))
    }

    /// The reason of a clash with the current state, if this is one.
    pub fn conflict_reason(&self) -> Option<Conflict> {
        match self {
            AppError::Conflict(conflict) => Some(*conflict),
            _ => None,
        }
    }

    /// A validation error on a single field.
    pub fn field(field: &str, problem: Problem) -> Self {
        AppError::invalid(vec![problem.on(field)])
    }

    /// A validation error on one or more fields; the message lists them in English.
    pub fn invalid(fields: Vec<FieldError>) -> Self {
        let message = fields
            .iter()
            .map(|error| format!("{}: {}", error.field, error.message))
            .collect::<Vec<_>>()
            .join("; ");
        AppError::Validation { message, fields }
    }

    /// A body that breaks the expected shape as a whole (a missing field, say).
    pub fn invalid_body(message: String) -> Self {
        AppError::Validation {
            message,
            fields: Vec::new(),
        }
    }

    /// Input that carries U+0000, which no stored text can hold (PostgreSQL refuses it).
    pub fn nul_character() -> Self {
        AppError::Validation {
            message: "text must not contain the character U+0000".into(),
            fields: Vec::new(),
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

    fn status_and_code(&self) -> (StatusCode, ErrorCode) {
        match self {
            AppError::Unauthorized => (StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized),
            AppError::InvalidCredentials => {
                (StatusCode::UNAUTHORIZED, ErrorCode::InvalidCredentials)
            }
            AppError::Forbidden(_) => (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, ErrorCode::NotFound),
            AppError::Conflict(_) | AppError::Taken { .. } => {
                (StatusCode::CONFLICT, ErrorCode::Conflict)
            }
            AppError::Validation { .. } => {
                (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Validation)
            }
            AppError::BadRequest(_) => (StatusCode::BAD_REQUEST, ErrorCode::BadRequest),
            AppError::PayloadTooLarge => {
                (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::PayloadTooLarge)
            }
            AppError::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited),
            AppError::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::Unavailable),
            AppError::Database(_) | AppError::Internal(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal)
            }
        }
    }

    /// What is wrong with each field, when the failure concerns fields.
    fn field_errors(&self) -> Vec<FieldError> {
        match self {
            AppError::Validation { fields, .. } => fields.clone(),
            AppError::Taken { field } => vec![Problem::Taken.on(*field)],
            _ => Vec::new(),
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
        let mut fields: Vec<FieldError> = errors
            .field_errors()
            .into_iter()
            .filter_map(|(field, problems)| Some(validator_problem(problems.first()?).on(field)))
            .collect();
        fields.sort_by(|a, b| a.field.cmp(&b.field));
        AppError::invalid(fields)
    }
}

/// Our rule for one of `validator`'s: `email`, or `length` told apart by the value's length.
fn validator_problem(error: &validator::ValidationError) -> Problem {
    let limit = |name: &str| {
        error
            .params
            .get(name)
            .and_then(serde_json::Value::as_u64)
            .and_then(|limit| usize::try_from(limit).ok())
    };
    let length = error
        .params
        .get("value")
        .and_then(serde_json::Value::as_str)
        .map(|value| value.chars().count());
    match (error.code.as_ref(), length, limit("min"), limit("max")) {
        ("email", ..) => Problem::Email,
        ("length", Some(0), Some(_), _) => Problem::Required,
        ("length", Some(length), Some(min), _) if length < min => Problem::TooShort { min },
        ("length", _, _, Some(max)) => Problem::TooLong { max },
        _ => Problem::Invalid {
            detail: "is invalid".to_owned(),
        },
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if status.is_server_error() {
            tracing::error!(error = ?self, "request failed");
        }
        let body = ErrorBody {
            error: ErrorDetail {
                code,
                message: self.to_string(),
                fields: self.field_errors(),
                conflict: self.conflict_reason(),
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

/// The generated TypeScript module of the error body (`frontend/src/lib/api/errors.ts`).
pub fn typescript() -> String {
    let cfg = ts_rs::Config::new().with_large_int("number");
    let decls = [
        ErrorBody::decl(&cfg),
        ErrorDetail::decl(&cfg),
        ErrorCode::decl(&cfg),
        FieldError::decl(&cfg),
        FieldCode::decl(&cfg),
        FieldParams::decl(&cfg),
        Conflict::decl(&cfg),
        ConflictReason::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from backend/src/error.rs by ts-rs. Do not edit.\n\
         // Regenerate: UPDATE_ERRORS_TS=1 cargo test -p viaduc errors_ts\n",
    );
    for decl in decls {
        out.push_str("\nexport ");
        out.push_str(&decl);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_ts_matches_the_rust_types() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../frontend/src/lib/api/errors.ts"
        );
        if std::env::var_os("UPDATE_ERRORS_TS").is_some() {
            std::fs::write(path, typescript()).expect("frontend/src/lib/api/ is writable");
        }
        let on_disk = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            on_disk == typescript(),
            "{path} is stale; run: UPDATE_ERRORS_TS=1 cargo test -p viaduc errors_ts"
        );
    }

    #[test]
    fn a_field_error_carries_its_code_params_and_english_message() {
        let body = serde_json::to_value(
            Problem::OutOfRange {
                min: 1,
                max: 100_000,
            }
            .on("capacity"),
        )
        .expect("serialisable");
        assert_eq!(
            body,
            serde_json::json!({"field": "capacity", "code": "out_of_range",
                "params": {"min": 1, "max": 100_000}, "message": "must be between 1 and 100000"})
        );
        let bare = serde_json::to_value(Problem::TooCommon.on("password")).expect("serialisable");
        assert_eq!(
            bare,
            serde_json::json!({"field": "password", "code": "too_common",
                "message": "is too common, choose another"})
        );
    }
}
