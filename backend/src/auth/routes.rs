//! HTTP handlers for sign-up, login, refresh, logout, the current login and `me`.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use axum_extra::extract::CookieJar;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::{logins, normalise_email, password, tokens, AuthState, AuthUser, REFRESH_COOKIE};
use crate::error::{AppError, AppResult, ErrorBody, Problem};
use crate::http::{AppJson, ClientIp};

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

/// The logged-in account. Its roles in conferences are `GET /api/me/conferences`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0b5cdbb5-6f0e-4a59-9d55-2d1e0c7a51f3",
    "email": "attendee@demo.viaduc.eu",
    "display_name": "Anna Peeters",
    "is_platform_organiser": false
}))]
pub struct Me {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    /// May create conferences.
    pub is_platform_organiser: bool,
}

/// Loads `Me` for a user id; `Unauthorized` when the account no longer exists.
async fn find_me(db: &PgPool, user_id: Uuid) -> AppResult<Me> {
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
    })
}

/// Creates an account and logs it in.
#[utoipa::path(post, path = "/api/auth/signup", tag = "auth", request_body = SignupRequest, security(()),
    responses((status = 201, description = "The new account, logged in (cookies set)", body = Me),
              (status = 409, description = "An account with this e-mail address exists", body = ErrorBody),
              (status = 422, description = "A field breaks a rule", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn signup(
    State(state): State<AuthState>,
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
    sqlx::query!(
        "insert into users (id, email, display_name, password_hash) values ($1, $2, $3, $4)",
        user_id,
        email,
        display_name,
        password_hash
    )
    .execute(&state.db)
    .await
    .map_err(AppError::on_constraint("users_email_key", || {
        AppError::Taken { field: "email" }
    }))?;

    let jar = logins::start(&state, jar, user_id, Uuid::new_v4()).await?;
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
    State(state): State<AuthState>,
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
    let jar = logins::start(&state, jar, user_id, Uuid::new_v4()).await?;
    Ok((jar, Json(find_me(&state.db, user_id).await?)))
}

/// Exchanges the refresh cookie for a new access token and a new refresh token.
#[utoipa::path(post, path = "/api/auth/refresh", tag = "auth", security(()),
    responses((status = 200, description = "New tokens (cookies set)", body = Me),
              (status = 401, description = "No valid refresh cookie", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn refresh(
    State(state): State<AuthState>,
    jar: CookieJar,
) -> AppResult<(CookieJar, Json<Me>)> {
    let (jar, user_id) = logins::rotate(&state, jar).await?;
    Ok((jar, Json(find_me(&state.db, user_id).await?)))
}

/// Who is logged in, if anyone.
#[derive(Debug, Serialize, ToSchema)]
pub struct CurrentLogin {
    /// The logged-in account; `null` for an anonymous visitor (always present).
    #[schema(required = true)]
    pub user: Option<Me>,
}

// The path keeps the name existing clients call; what it answers is the current login.
/// The current login, for a page that wants to know who is there without failing for an
/// anonymous visitor: always 200. With an expired access token it resumes the login from the
/// refresh cookie (rotating it, as `POST /api/auth/refresh` does); with neither, or a refresh
/// token that is no longer valid, `user` is `null` and the cookies are cleared.
#[utoipa::path(get, path = "/api/auth/session", tag = "auth", security(()),
    responses((status = 200, body = CurrentLogin,
        description = "The logged-in account, or `{\"user\": null}` for an anonymous visitor")))]
#[tracing::instrument(skip_all)]
pub async fn current_login(
    State(state): State<AuthState>,
    user: Option<AuthUser>,
    jar: CookieJar,
) -> AppResult<impl IntoResponse> {
    let mut jar = jar;
    let user_id = match user {
        Some(user) => Some(user.id),
        None if jar.get(REFRESH_COOKIE).is_some() => unless_unauthorized(
            logins::rotate(&state, jar.clone()).await,
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
        jar = logins::clear_cookies(&state, jar);
    }
    let no_store = [(header::CACHE_CONTROL, "no-store")];
    Ok((jar, no_store, Json(CurrentLogin { user: me })))
}

/// `None` for `Unauthorized`, which for the current login means "nobody is logged in".
fn unless_unauthorized<T>(result: AppResult<T>) -> AppResult<Option<T>> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(AppError::Unauthorized) => Ok(None),
        Err(other) => Err(other),
    }
}

/// Ends this login: its refresh tokens are revoked and the cookies cleared.
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth", security(()),
    responses((status = 204, description = "Logged out (cookies cleared), also when not logged in")))]
#[tracing::instrument(skip_all)]
pub async fn logout(
    State(state): State<AuthState>,
    user: Option<AuthUser>,
    jar: CookieJar,
) -> AppResult<(StatusCode, CookieJar)> {
    if let Some(cookie) = jar.get(REFRESH_COOKIE) {
        tokens::revoke_by_token(&state.db, cookie.value()).await?;
    }
    if let Some(user) = user {
        tokens::revoke_family(&state.db, user.login_id).await?;
    }
    Ok((StatusCode::NO_CONTENT, logins::clear_cookies(&state, jar)))
}

/// The logged-in account.
#[utoipa::path(get, path = "/api/me", tag = "auth",
    responses((status = 200, description = "The caller's account", body = Me)))]
#[tracing::instrument(skip_all)]
pub async fn me(State(db): State<PgPool>, user: AuthUser) -> AppResult<Json<Me>> {
    Ok(Json(find_me(&db, user.id).await?))
}
