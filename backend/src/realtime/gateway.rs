//! `/ws`: the WebSocket upgrade. The caller is authenticated before upgrading (the access
//! cookie, an `Authorization: Bearer` header, or a single-use ticket for non-browser
//! clients), the `Origin` must be on an exact allowlist, and the socket gets explicit limits.

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{Query, State};
use axum::http::header::ORIGIN;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{socket, Realtime};
use crate::auth::AuthUser;
use crate::error::{AppError, AppResult, ErrorBody};

/// Largest message (and frame) a client may send.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;
/// Per-connection read buffer: axum's 128 KiB default would cost that much RSS per socket.
/// Clients send small frames (commands, pongs); a longer message takes a few more reads.
const READ_BUFFER_BYTES: usize = 512;
/// Outgoing frames are gathered up to this many bytes before a write. The buffer keeps the
/// largest size it ever reached for the life of the connection, so axum's 128 KiB default
/// would leave every socket that once caught up on a replay holding 128 KiB.
const WRITE_BUFFER_BYTES: usize = 4096;
/// Pending outgoing bytes before writes fail (the hub's queue bound comes first).
const MAX_WRITE_BUFFER_BYTES: usize = 1024 * 1024;
const TICKET_SECONDS: i64 = 30;

#[derive(Debug, Deserialize)]
pub struct WsParams {
    ticket: Option<String>,
}

/// A single-use ticket that authenticates one `/ws?ticket=…` upgrade within 30 seconds.
#[derive(Debug, Serialize, ToSchema)]
pub struct Ticket {
    pub ticket: String,
    pub expires_in_secs: i64,
}

/// Issues a WebSocket ticket for clients that cannot send the access cookie.
#[utoipa::path(post, path = "/api/realtime/ticket", tag = "realtime",
    responses((status = 200, body = Ticket), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn ticket(State(db): State<PgPool>, user: AuthUser) -> AppResult<Json<Ticket>> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let ticket = URL_SAFE_NO_PAD.encode(bytes);
    sqlx::query!(
        "insert into ws_tickets (token_hash, user_id, login_id, expires_at)
         values ($1, $2, $3, now() + make_interval(secs => $4))",
        Sha256::digest(ticket.as_bytes()).to_vec(),
        user.id,
        user.login_id,
        TICKET_SECONDS as f64
    )
    .execute(&db)
    .await?;
    Ok(Json(Ticket {
        ticket,
        expires_in_secs: TICKET_SECONDS,
    }))
}

/// Upgrades to the real-time protocol (see `docs/realtime.md`).
#[tracing::instrument(skip_all)]
pub async fn upgrade(
    State(db): State<PgPool>,
    State(realtime): State<Realtime>,
    headers: HeaderMap,
    Query(params): Query<WsParams>,
    user: Option<AuthUser>,
    ws: WebSocketUpgrade,
) -> AppResult<Response> {
    let origin = headers
        .get(ORIGIN)
        .map(|value| value.to_str().unwrap_or_default());
    if let Some(origin) = origin {
        if !realtime.origin_allowed(origin) {
            return Err(AppError::Forbidden("this origin may not open a WebSocket"));
        }
    }
    let (user_id, login_id) = match (params.ticket, user) {
        (Some(ticket), _) => redeem(&db, &ticket).await?,
        // A browser always sends Origin: a cookie without one is not from our pages.
        (None, Some(user)) if origin.is_some() || headers.contains_key("authorization") => {
            (user.id, user.login_id)
        }
        _ => return Err(AppError::Unauthorized),
    };
    let account = sqlx::query!(
        "select display_name,
                exists (select 1 from refresh_tokens where family_id = $2 and revoked_at is not null) as \"revoked!\"
         from users where id = $1",
        user_id,
        login_id
    )
    .fetch_optional(&db)
    .await?
    .ok_or(AppError::Unauthorized)?;
    if account.revoked {
        return Err(AppError::Unauthorized);
    }
    Ok(ws
        .read_buffer_size(READ_BUFFER_BYTES)
        .max_message_size(MAX_MESSAGE_BYTES)
        .max_frame_size(MAX_MESSAGE_BYTES)
        .write_buffer_size(WRITE_BUFFER_BYTES)
        .max_write_buffer_size(MAX_WRITE_BUFFER_BYTES)
        .on_upgrade(move |socket| {
            socket::serve(socket, realtime, user_id, login_id, account.display_name)
        }))
}

async fn redeem(db: &PgPool, ticket: &str) -> AppResult<(Uuid, Uuid)> {
    let row = sqlx::query!(
        "delete from ws_tickets where token_hash = $1 and expires_at > now()
         returning user_id, login_id",
        Sha256::digest(ticket.as_bytes()).to_vec()
    )
    .fetch_optional(db)
    .await?
    .ok_or(AppError::Unauthorized)?;
    Ok((row.user_id, row.login_id))
}

/// `scheme://host[:port]` of a URL, lowercased: the form browsers send in `Origin`.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.trim().split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty()).then(|| format!("{scheme}://{host}").to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::origin_of;

    #[test]
    fn origins_are_scheme_host_and_port() {
        assert_eq!(
            origin_of("https://Events.example.eu/app/").as_deref(),
            Some("https://events.example.eu")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8080").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(origin_of("events.example.eu"), None);
    }
}
