//! HTTP handlers for sign-up, login, refresh, logout and `me`.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use axum_extra::extract::cookie::{Cookie, SameSite};
use axum_extra::extract::CookieJar;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::tokens::{self, NewRefreshToken};
use super::{normalise_email, password, AuthUser, ClientIp, ACCESS_COOKIE, REFRESH_COOKIE};
use crate::conference::{memberships_of, Membership};
use crate::error::{AppError, AppResult, ErrorBody, Problem};
use crate::http::AppJson;
use crate::state::AppState;

// The `schema` bounds repeat the `validate` ones and `password::check_policy`'s
// (10 to 128 characters): tests/api/openapi.rs checks they agree with what the server does.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({
    "email": "anna.peeters@flandersfood.be",
    "password": "textile-lille-2026",
    "display_name": "Anna Peeters"
}))]
pub struct SignupRequest {
    /// Stored lower-cased, without the spaces around it.
    #[validate(email, length(max = 254))]
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    /// 10 to 128 characters, not a well-known password nor the e-mail address.
    #[schema(min_length = 10, max_length = 128)]
    pub password: String,
    /// The name other attendees see; not blank.
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub display_name: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"email": "attendee@demo.viaduc.eu", "password": "viaduc-demo-2026"}))]
pub struct LoginRequest {
    #[validate(length(min = 1, max = 254))]
    #[schema(min_length = 1, max_length = 254)]
    pub email: String,
    #[validate(length(min = 1, max = 1024))]
    #[schema(min_length = 1, max_length = 1024)]
    pub password: String,
}

/// The logged-in account and its roles.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0b5cdbb5-6f0e-4a59-9d55-2d1e0c7a51f3",
    "email": "attendee@demo.viaduc.eu",
    "display_name": "Anna Peeters",
    "is_platform_organiser": false,
    "memberships": [{
        "conference_id": "5f1d4c1e-8a47-4d0c-9a55-0b0a3f5e7c21",
        "conference_slug": "ecc-2026",
        "role": "attendee"
    }]
}))]
pub struct Me {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    /// May create conferences.
    pub is_platform_organiser: bool,
    pub memberships: Vec<Membership>,
}

/// Loads `Me` for a user id; `Unauthorized` when the account no longer exists.
pub async fn find_me(db: &PgPool, user_id: Uuid) -> AppResult<Me> {
    let user = sqlx::query!(
        "select email, display_name, is_platform_organiser from users where id = $1",
        user_id
    )
    .fetch_optional(db)
    .await?
    .ok_or(AppError::Unauthorized)?;
    Ok(Me {
        id: user_id,
        email: user.email,
        display_name: user.display_name,
        is_platform_organiser: user.is_platform_organiser,
        memberships: memberships_of(db, user_id).await?,
    })
}

/// Creates an account and logs it in.
#[utoipa::path(post, path = "/api/auth/signup", tag = "auth", request_body = SignupRequest, security(()),
    responses((status = 201, description = "The new account, logged in (cookies set)", body = Me),
              (status = 409, description = "An account with this e-mail address exists", body = ErrorBody),
              (status = 422, description = "A field breaks a rule", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn signup(
    State(state): State<AppState>,
    jar: CookieJar,
    AppJson(mut request): AppJson<SignupRequest>,
) -> AppResult<(StatusCode, CookieJar, Json<Me>)> {
    request.email = normalise_email(&request.email);
    request.validate()?;
    let email = request.email.clone();
    password::check_policy(&request.password, &email)?;
    let display_name = request.display_name.trim().to_owned();
    if display_name.is_empty() {
        return Err(AppError::field("display_name", Problem::Required));
    }
    let password_hash = password::hash(request.password).await?;

    let user_id = Uuid::new_v4();
    let mut tx = state.db.begin().await?;
    sqlx::query!(
        "insert into users (id, email, display_name, password_hash) values ($1, $2, $3, $4)",
        user_id,
        email,
        display_name,
        password_hash
    )
    .execute(&mut *tx)
    .await
    .map_err(AppError::on_constraint("users_email_key", || {
        AppError::Taken { field: "email" }
    }))?;
    crate::profiles::create_empty(&mut *tx, user_id).await?;
    tx.commit().await?;

    let jar = start_login(&state, jar, user_id, Uuid::new_v4()).await?;
    Ok((
        StatusCode::CREATED,
        jar,
        Json(find_me(&state.db, user_id).await?),
    ))
}

/// Logs in with e-mail and password.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginRequest, security(()),
    responses((status = 200, description = "Logged in (cookies set)", body = Me),
              (status = 401, description = "Wrong e-mail or password", body = ErrorBody),
              (status = 422, description = "E-mail or password missing or too long", body = ErrorBody),
              (status = 429, description = "Too many attempts; see `Retry-After`", body = ErrorBody,
               headers(("retry-after" = u64, description = "Seconds to wait")))))]
#[tracing::instrument(skip_all)]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    jar: CookieJar,
    AppJson(request): AppJson<LoginRequest>,
) -> AppResult<(CookieJar, Json<Me>)> {
    request.validate()?;
    let email = normalise_email(&request.email);
    state.login_limiter.check(client, &email)?;
    let user = sqlx::query!(
        "select id, password_hash from users where email = $1",
        email
    )
    .fetch_optional(&state.db)
    .await?;
    let (user_id, stored_hash) = match user {
        Some(user) => (Some(user.id), Some(user.password_hash)),
        None => (None, None),
    };
    let matches = password::verify(request.password, stored_hash).await?;
    let user_id = match (matches, user_id) {
        (true, Some(user_id)) => user_id,
        _ => return Err(AppError::InvalidCredentials),
    };
    let jar = start_login(&state, jar, user_id, Uuid::new_v4()).await?;
    Ok((jar, Json(find_me(&state.db, user_id).await?)))
}

/// Exchanges the refresh cookie for a new access token and a new refresh token.
#[utoipa::path(post, path = "/api/auth/refresh", tag = "auth", security(()),
    responses((status = 200, description = "New tokens (cookies set)", body = Me),
              (status = 401, description = "No valid refresh cookie", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn refresh(
    State(state): State<AppState>,
    jar: CookieJar,
) -> AppResult<(CookieJar, Json<Me>)> {
    let (jar, user_id) = rotate_refresh_token(&state, jar).await?;
    Ok((jar, Json(find_me(&state.db, user_id).await?)))
}

/// Who is logged in, if anyone.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionInfo {
    /// The logged-in account; `null` for an anonymous visitor (always present).
    #[schema(required = true)]
    pub user: Option<Me>,
}

/// The current login, for a page that wants to know who is there without failing for an
/// anonymous visitor: always 200. With an expired access token it resumes the login from the
/// refresh cookie (rotating it, as `POST /api/auth/refresh` does); with neither, or a refresh
/// token that is no longer valid, `user` is `null` and the cookies are cleared.
#[utoipa::path(get, path = "/api/auth/session", tag = "auth", security(()),
    responses((status = 200, body = SessionInfo,
        description = "The logged-in account, or `{\"user\": null}` for an anonymous visitor")))]
#[tracing::instrument(skip_all)]
pub async fn session(
    State(state): State<AppState>,
    user: Option<AuthUser>,
    jar: CookieJar,
) -> AppResult<impl IntoResponse> {
    let mut jar = jar;
    let user_id = match user {
        Some(user) => Some(user.id),
        None if jar.get(REFRESH_COOKIE).is_some() => unless_unauthorized(
            rotate_refresh_token(&state, jar.clone()).await,
        )?
        .map(|(rotated, user_id)| {
            jar = rotated;
            user_id
        }),
        None => None,
    };
    let me = match user_id {
        Some(user_id) => unless_unauthorized(find_me(&state.db, user_id).await)?,
        None => None,
    };
    // Stale cookies go, so the next page load has nothing to try.
    if me.is_none() {
        jar = clear_cookies(&state, jar);
    }
    let no_store = [(header::CACHE_CONTROL, "no-store")];
    Ok((jar, no_store, Json(SessionInfo { user: me })))
}

/// `None` for `Unauthorized`, which for the session means "nobody is logged in".
fn unless_unauthorized<T>(result: AppResult<T>) -> AppResult<Option<T>> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(AppError::Unauthorized) => Ok(None),
        Err(other) => Err(other),
    }
}

/// Consumes the refresh cookie and starts the next access token and refresh token of its
/// login; `Unauthorized` without a valid refresh cookie.
async fn rotate_refresh_token(state: &AppState, jar: CookieJar) -> AppResult<(CookieJar, Uuid)> {
    let presented = jar
        .get(REFRESH_COOKIE)
        .map(|cookie| cookie.value().to_owned())
        .ok_or(AppError::Unauthorized)?;
    let login = tokens::consume_refresh_token(&state.db, &presented).await?;
    let jar = start_login(state, jar, login.user_id, login.family_id).await?;
    Ok((jar, login.user_id))
}

/// Ends this login: its refresh tokens are revoked and the cookies cleared.
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth", security(()),
    responses((status = 204, description = "Logged out (cookies cleared), also when not logged in")))]
#[tracing::instrument(skip_all)]
pub async fn logout(
    State(state): State<AppState>,
    user: Option<AuthUser>,
    jar: CookieJar,
) -> AppResult<(StatusCode, CookieJar)> {
    if let Some(cookie) = jar.get(REFRESH_COOKIE) {
        tokens::revoke_by_token(&state.db, cookie.value()).await?;
    }
    if let Some(user) = user {
        tokens::revoke_family(&state.db, user.session_id).await?;
    }
    Ok((StatusCode::NO_CONTENT, clear_cookies(&state, jar)))
}

/// Removes both login cookies.
fn clear_cookies(state: &AppState, jar: CookieJar) -> CookieJar {
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

/// The logged-in account.
#[utoipa::path(get, path = "/api/me", tag = "auth",
    responses((status = 200, description = "The caller's account", body = Me)))]
#[tracing::instrument(skip_all)]
pub async fn me(State(state): State<AppState>, user: AuthUser) -> AppResult<Json<Me>> {
    Ok(Json(find_me(&state.db, user.id).await?))
}

/// Issues a fresh access token and refresh token for a login and sets both cookies.
async fn start_login(
    state: &AppState,
    jar: CookieJar,
    user_id: Uuid,
    family_id: Uuid,
) -> AppResult<CookieJar> {
    let refresh_token = NewRefreshToken::generate();
    tokens::store_refresh_token(&state.db, user_id, family_id, &refresh_token).await?;
    let access_token = state.keys.issue(user_id, family_id)?;
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

fn cookie(
    state: &AppState,
    name: &'static str,
    value: String,
    path: &'static str,
    max_age: time::Duration,
) -> Cookie<'static> {
    Cookie::build((name, value))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.secure_cookies)
        .path(path)
        .max_age(max_age)
        .build()
}
