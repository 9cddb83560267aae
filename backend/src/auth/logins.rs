//! A login's cookies: starting a login sets the access and refresh cookies, a refresh
//! rotates them, ending it clears them.

use axum_extra::extract::cookie::{Cookie, SameSite};
use axum_extra::extract::CookieJar;
use uuid::Uuid;

use super::tokens::{self, NewRefreshToken};
use super::{AuthState, ACCESS_COOKIE, REFRESH_COOKIE};
use crate::error::{AppError, AppResult};

/// Issues a fresh access token and refresh token for the login `login_id` of `user_id` and
/// sets both cookies.
pub async fn start(
    state: &AuthState,
    jar: CookieJar,
    user_id: Uuid,
    login_id: Uuid,
) -> AppResult<CookieJar> {
    let refresh_token = NewRefreshToken::generate();
    tokens::store_refresh_token(&state.db, user_id, login_id, &refresh_token).await?;
    let access_token = state.keys.issue(user_id, login_id)?;
    let access_ttl = time::Duration::seconds(tokens::ACCESS_TOKEN_TTL.num_seconds());
    let refresh_ttl = time::Duration::seconds(tokens::REFRESH_TOKEN_TTL.num_seconds());
    Ok(jar
        .add(cookie(state, ACCESS_COOKIE, access_token, "/", access_ttl))
        .add(cookie(
            state,
            REFRESH_COOKIE,
            refresh_token.value,
            "/api/auth",
            refresh_ttl,
        )))
}

/// Consumes the refresh cookie and starts the next access token and refresh token of its
/// login; `Unauthorized` without a valid refresh cookie.
pub async fn rotate(state: &AuthState, jar: CookieJar) -> AppResult<(CookieJar, Uuid)> {
    let presented = jar
        .get(REFRESH_COOKIE)
        .map(|cookie| cookie.value().to_owned())
        .ok_or(AppError::Unauthorized)?;
    let login = tokens::consume_refresh_token(&state.db, &presented).await?;
    let jar = start(state, jar, login.user_id, login.family_id).await?;
    Ok((jar, login.user_id))
}

/// Removes both login cookies.
pub fn clear_cookies(state: &AuthState, jar: CookieJar) -> CookieJar {
    jar.remove(cookie(
        state,
        ACCESS_COOKIE,
        String::new(),
        "/",
        time::Duration::ZERO,
    ))
    .remove(cookie(
        state,
        REFRESH_COOKIE,
        String::new(),
        "/api/auth",
        time::Duration::ZERO,
    ))
}

fn cookie(
    state: &AuthState,
    name: &'static str,
    value: String,
    path: &'static str,
    max_age: time::Duration,
) -> Cookie<'static> {
    Cookie::build((name, value))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.site.secure_cookies)
        .path(path)
        .max_age(max_age)
        .build()
}
