//! Failures as `error` frames: the protocol's error code for each `AppError`. Every error
//! that answers a client's frame names it (`id`, `room`), so the client knows what to retry.

use axum::extract::ws::Utf8Bytes;
use uuid::Uuid;

use super::hub::frame;
use super::protocol::{ErrorCode, ServerMsg};
use super::room::RoomId;
use crate::error::AppError;

/// An error frame with this code, naming the frame it answers: its command `id` and its
/// `room` as the client wrote it (also when the room name was not valid).
pub fn coded_error(
    id: Option<Uuid>,
    room: Option<&str>,
    code: ErrorCode,
    message: &str,
) -> Utf8Bytes {
    frame(&ServerMsg::Error {
        id,
        room: room.map(str::to_owned),
        code,
        message: message.to_owned(),
        fields: Vec::new(),
        conflict: None,
        retryable: code.retryable(),
    })
}

/// An `AppError` as a protocol error.
pub fn error_frame(id: Option<Uuid>, room: Option<RoomId>, error: AppError) -> Utf8Bytes {
    let code = match &error {
        AppError::Unauthorized | AppError::InvalidCredentials | AppError::Forbidden(_) => {
            ErrorCode::Forbidden
        }
        AppError::NotFound(_) => ErrorCode::NotFound,
        AppError::Conflict(_) | AppError::Taken { .. } => ErrorCode::Conflict,
        AppError::Validation { .. } => ErrorCode::Validation,
        AppError::BadRequest(_) | AppError::PayloadTooLarge => ErrorCode::BadRequest,
        AppError::RateLimited { .. } => ErrorCode::RateLimited,
        AppError::Unavailable => ErrorCode::Unavailable,
        AppError::Database(_) | AppError::Internal(_) => {
            tracing::error!(?error, "command failed");
            ErrorCode::Internal
        }
    };
    let message = error.to_string();
    let conflict = error.conflict_reason();
    let fields = match error {
        AppError::Validation { fields, .. } => fields,
        _ => Vec::new(),
    };
    frame(&ServerMsg::Error {
        id,
        room: room.map(|room| room.to_string()),
        code,
        message,
        fields,
        conflict,
        retryable: code.retryable(),
    })
}
