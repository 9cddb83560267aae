//! Setting a password through a single-use link sent by e-mail: a forgotten password's reset
//! (asked for by the person), or the invitation to an account someone else created (an
//! organiser's import). Only the token's SHA-256 is stored; a link works once and until it
//! expires, and setting the password ends every login of the account.
//!
//! Asking for a reset answers the same whether or not the address has an account, so the
//! form tells nobody who is registered; it shares the login's rate limits.

use axum::extract::State;
use axum::http::StatusCode;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{Duration, Utc};
use rand::RngCore;
use serde::Deserialize;
use sqlx::PgConnection;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::{normalise_email, password, tokens, AuthState};
use crate::error::{AppError, AppResult, ConflictReason, ErrorBody, Problem};
use crate::http::{AppJson, ClientIp};
use crate::mail::{self, html, Email, SITE};
use crate::text::is_language_code;

/// What a link is for, and how long it lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "account_token_purpose", rename_all = "snake_case")]
pub enum Purpose {
    PasswordReset,
    Invitation,
}

impl Purpose {
    fn lifetime(self) -> Duration {
        match self {
            Purpose::PasswordReset => Duration::hours(1),
            Purpose::Invitation => Duration::days(14),
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"email": "anna.peeters@flandersfood.be", "language": "nl"}))]
pub struct ResetRequest {
    #[validate(length(min = 1, max = 254))]
    #[schema(min_length = 1, max_length = 254)]
    pub email: String,
    /// The language the e-mail is written in (ISO 639-1); English when it is not one of the
    /// platform's.
    #[serde(default)]
    #[schema(pattern = "^[a-z]{2}$")]
    pub language: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"token": "q3Vb…", "password": "textile-lille-2026"}))]
pub struct SetPassword {
    /// The token from the e-mailed link.
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub token: String,
    /// 10 to 128 characters, not a well-known password nor the e-mail address.
    #[schema(min_length = 10, max_length = 128)]
    pub password: String,
}

/// A fresh single-use link for `user_id`: the token to put in the link (only its hash is
/// stored). For a reset, the account's earlier reset links stop working.
pub async fn issue(db: &mut PgConnection, user_id: Uuid, purpose: Purpose) -> AppResult<String> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    if purpose == Purpose::PasswordReset {
        sqlx::query!(
            "update account_tokens set used_at = now()
             where user_id = $1 and purpose = 'password_reset' and used_at is null",
            user_id
        )
        .execute(&mut *db)
        .await?;
    }
    sqlx::query!(
        "insert into account_tokens (token_hash, user_id, purpose, expires_at) values ($1, $2, $3, $4)",
        tokens::hash_refresh_token(&token),
        user_id,
        purpose as Purpose,
        Utc::now() + purpose.lifetime()
    )
    .execute(&mut *db)
    .await?;
    Ok(token)
}

/// The link to set a password with `token`, starting with the site's address.
pub fn link(token: &str) -> String {
    format!("{SITE}/set-password?token={token}")
}

/// Sends a link to set a new password to the account with this address, if there is one.
#[utoipa::path(post, path = "/api/auth/password-reset", tag = "auth", request_body = ResetRequest, security(()),
    operation_id = "request_password_reset",
    responses((status = 202, description = "If the address has an account, a link is on its way"),
              (status = 422, description = "No address, or not a language code", body = ErrorBody),
              (status = 429, description = "Too many attempts; see `Retry-After`", body = ErrorBody,
               headers(("retry-after" = u64, description = "Seconds to wait")))))]
#[tracing::instrument(skip_all)]
pub async fn request_reset(
    State(state): State<AuthState>,
    ClientIp(client): ClientIp,
    AppJson(request): AppJson<ResetRequest>,
) -> AppResult<StatusCode> {
    request.validate()?;
    if let Some(language) = request.language.as_deref().filter(|l| !is_language_code(l)) {
        return Err(AppError::field(
            "language",
            Problem::LanguageCode {
                value: language.to_owned(),
            },
        ));
    }
    let email = normalise_email(&request.email);
    state.login_limiter.check(client, &email)?;
    let mut tx = state.db.begin().await?;
    let user = sqlx::query!("select id, display_name from users where email = $1", email)
        .fetch_optional(&mut *tx)
        .await?;
    if let Some(user) = user {
        let token = issue(&mut tx, user.id, Purpose::PasswordReset).await?;
        let language = request.language.as_deref().unwrap_or("en");
        let words = reset_words(language);
        let hello = words.hello.replace("{name}", &user.display_name);
        let link = link(&token);
        let email = Email {
            conference_id: None,
            to_email: email,
            to_name: user.display_name,
            language: words.language.to_owned(),
            template: "account.password_reset",
            subject: words.subject.to_owned(),
            text: format!("{hello}\n\n{}\n\n{link}\n\n{}\n", words.body, words.ignore),
            html: format!(
                "<p>{}</p>\n<p>{}</p>\n<p><a href=\"{link}\">{}</a></p>\n<p>{}</p>\n",
                html(&hello),
                html(words.body),
                html(words.action),
                html(words.ignore)
            ),
        };
        mail::enqueue(&mut *tx, &email).await?;
    }
    tx.commit().await?;
    Ok(StatusCode::ACCEPTED)
}

/// Sets the account's password with a link's token; the link stops working and every
/// login of the account ends.
#[utoipa::path(post, path = "/api/auth/set-password", tag = "auth", request_body = SetPassword, security(()),
    operation_id = "set_password",
    responses((status = 204, description = "The password is set: log in with it"),
              (status = 409, description = "The link was used already, or expired", body = ErrorBody),
              (status = 422, description = "The password breaks the policy", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn set_password(
    State(state): State<AuthState>,
    AppJson(request): AppJson<SetPassword>,
) -> AppResult<StatusCode> {
    request.validate()?;
    let mut tx = state.db.begin().await?;
    let found = sqlx::query!(
        "select t.user_id, u.email from account_tokens t join users u on u.id = t.user_id
         where t.token_hash = $1 and t.used_at is null and t.expires_at > now()
         for update of t",
        tokens::hash_refresh_token(&request.token)
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::conflict(ConflictReason::LinkExpired))?;
    password::check_policy(&request.password, &found.email)?;
    let password_hash = password::hash(request.password).await?;
    sqlx::query!(
        "update users set password_hash = $2, updated_at = now() where id = $1",
        found.user_id,
        password_hash
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update account_tokens set used_at = now() where token_hash = $1",
        tokens::hash_refresh_token(&request.token)
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update refresh_tokens set revoked_at = now() where user_id = $1 and revoked_at is null",
        found.user_id
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The reset e-mail's words in one language.
struct ResetWords {
    language: &'static str,
    subject: &'static str,
    hello: &'static str,
    body: &'static str,
    action: &'static str,
    ignore: &'static str,
}

fn reset_words(language: &str) -> &'static ResetWords {
    match language {
        "fr" => &ResetWords {
            language: "fr",
            subject: "Choisir un nouveau mot de passe Viaduc",
            hello: "Bonjour {name},",
            body: "Vous avez demandé à changer votre mot de passe. Ce lien fonctionne une fois, pendant une heure :",
            action: "Choisir un nouveau mot de passe",
            ignore: "Si vous n'avez rien demandé, ignorez ce message : votre mot de passe ne change pas.",
        },
        "nl" => &ResetWords {
            language: "nl",
            subject: "Een nieuw Viaduc-wachtwoord kiezen",
            hello: "Beste {name},",
            body: "U vroeg om uw wachtwoord te wijzigen. Deze link werkt één keer, een uur lang:",
            action: "Een nieuw wachtwoord kiezen",
            ignore: "Vroeg u niets? Negeer dan dit bericht: uw wachtwoord blijft hetzelfde.",
        },
        "de" => &ResetWords {
            language: "de",
            subject: "Ein neues Viaduc-Passwort wählen",
            hello: "Hallo {name},",
            body: "Sie haben gebeten, Ihr Passwort zu ändern. Dieser Link funktioniert einmal, eine Stunde lang:",
            action: "Ein neues Passwort wählen",
            ignore: "Wenn Sie nichts angefordert haben, ignorieren Sie diese Nachricht: Ihr Passwort bleibt unverändert.",
        },
        _ => &ResetWords {
            language: "en",
            subject: "Choose a new Viaduc password",
            hello: "Hello {name},",
            body: "You asked to change your password. This link works once, for an hour:",
            action: "Choose a new password",
            ignore: "If you did not ask, ignore this message: your password stays as it is.",
        },
    }
}
