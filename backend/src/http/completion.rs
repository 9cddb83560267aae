//! Requests run to completion. hyper drops a handler's future when its client goes away,
//! and a future dropped in the middle of a database transaction can hand its connection
//! back to the pool with the transaction still open (sqlx, when the drop falls between
//! sending `BEGIN` and reading its answer): the next request to borrow that connection
//! then writes into a transaction nobody commits. So every request runs in a task of its
//! own, which finishes whatever happens to the client; only the wait for it is dropped.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

/// Middleware: runs the rest of the request in its own task.
pub async fn run_to_completion(request: Request, next: Next) -> Response {
    match tokio::spawn(next.run(request)).await {
        Ok(response) => response,
        Err(error) => AppError::Internal(anyhow::anyhow!("the request's task failed: {error}"))
            .into_response(),
    }
}
