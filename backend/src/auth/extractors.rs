//! Who is calling: the `AuthUser` extractor every feature uses.

use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts, OptionalFromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use uuid::Uuid;

use super::tokens::TokenKeys;
use super::ACCESS_COOKIE;
use crate::error::AppError;

/// The authenticated caller, from the access-token cookie or an `Authorization: Bearer` header.
#[derive(Debug, Clone, Copy)]
pub struct AuthUser {
    pub id: Uuid,
    /// The login this request belongs to (see `tokens::Claims::sid`).
    pub login_id: Uuid,
}

impl<S> FromRequestParts<S> for AuthUser
where
    S: Send + Sync,
    Arc<TokenKeys>: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let keys = Arc::<TokenKeys>::from_ref(state);
        let token = bearer_token(parts)
            .or_else(|| {
                CookieJar::from_headers(&parts.headers)
                    .get(ACCESS_COOKIE)
                    .map(|cookie| cookie.value().to_owned())
            })
            .ok_or(AppError::Unauthorized)?;
        let claims = keys.verify(&token)?;
        Ok(AuthUser {
            id: claims.sub,
            login_id: claims.sid,
        })
    }
}

/// `Option<AuthUser>`: `None` for an anonymous caller or an invalid token.
impl<S> OptionalFromRequestParts<S> for AuthUser
where
    S: Send + Sync,
    Arc<TokenKeys>: FromRef<S>,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        Ok(
            <AuthUser as FromRequestParts<S>>::from_request_parts(parts, state)
                .await
                .ok(),
        )
    }
}

fn bearer_token(parts: &Parts) -> Option<String> {
    let value = parts.headers.get(AUTHORIZATION)?.to_str().ok()?;
    let token = value.strip_prefix("Bearer ")?.trim();
    (!token.is_empty()).then(|| token.to_owned())
}
