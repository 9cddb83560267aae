//! Accounts and logins: sign-up, login, token refresh, logout, the current login and `me`,
//! setting a password through an e-mailed link (`reset.rs`), and the extractor every other
//! feature uses to know who is calling.
//!
//! A login is one refresh-token family: it starts at sign-up or login, every refresh rotates
//! its token, logout revokes it. (A "session" in Viaduc is an agenda item, never a login.)
//! This layer knows accounts only: what a person may do in a conference is the conference
//! feature's business.

mod extractors;
mod logins;
pub mod password;
pub mod rate_limit;
pub mod reset;
mod routes;
pub mod tokens;

pub use extractors::AuthUser;
pub use routes::Me;

use std::sync::Arc;

use axum::extract::FromRef;
use sqlx::PgPool;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::Site;
use rate_limit::LoginLimiter;
use tokens::TokenKeys;

/// Cookie carrying the short-lived access token.
pub const ACCESS_COOKIE: &str = "viaduc_access";
/// Cookie carrying the refresh token; only sent to `/api/auth`.
pub const REFRESH_COOKIE: &str = "viaduc_refresh";

/// What the auth routes read: the application's state provides it through `FromRef`.
#[derive(Clone, FromRef)]
pub struct AuthState {
    pub db: PgPool,
    pub keys: Arc<TokenKeys>,
    pub login_limiter: Arc<LoginLimiter>,
    pub site: Arc<Site>,
}

pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    AuthState: FromRef<S>,
    PgPool: FromRef<S>,
    Arc<TokenKeys>: FromRef<S>,
    Arc<Site>: FromRef<S>,
{
    OpenApiRouter::new()
        .routes(routes!(routes::signup))
        .routes(routes!(routes::login))
        .routes(routes!(routes::refresh))
        .routes(routes!(routes::logout))
        .routes(routes!(routes::me))
        .routes(routes!(routes::current_login))
        .routes(routes!(reset::request_reset))
        .routes(routes!(reset::set_password))
}

/// Normalises an e-mail address for storage and comparison.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}
