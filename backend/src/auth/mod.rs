//! Accounts and logins: sign-up, login, token refresh, logout, `me` and the session, and the extractors
//! every other feature uses to know who is calling.

pub mod admin;
mod extractors;
pub mod password;
pub mod rate_limit;
mod routes;
pub mod tokens;

pub use extractors::{AuthUser, ClientIp};
pub use routes::{find_me, Me};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

/// Cookie carrying the short-lived access token.
pub const ACCESS_COOKIE: &str = "viaduc_access";
/// Cookie carrying the refresh token; only sent to `/api/auth`.
pub const REFRESH_COOKIE: &str = "viaduc_refresh";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(routes::signup))
        .routes(routes!(routes::login))
        .routes(routes!(routes::refresh))
        .routes(routes!(routes::logout))
        .routes(routes!(routes::me))
        .routes(routes!(routes::session))
}

/// Normalises an e-mail address for storage and comparison.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}
