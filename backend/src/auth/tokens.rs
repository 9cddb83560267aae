//! Access tokens (short-lived JWT) and refresh tokens (random, stored hashed, rotated on use).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::PgExecutor;
use uuid::Uuid;

use crate::error::{AppError, AppResult};

pub const ACCESS_TOKEN_TTL: Duration = Duration::minutes(15);
pub const REFRESH_TOKEN_TTL: Duration = Duration::days(30);
const AUDIENCE: &str = "viaduc";
const ISSUER: &str = "viaduc";

/// What an access token says: who, and which login (refresh-token family) it belongs to.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    /// The login id (the refresh-token family); logging out revokes it. The claim keeps the
    /// registered short name `sid`.
    pub sid: Uuid,
    pub aud: String,
    pub iss: String,
    pub iat: i64,
    pub exp: i64,
}

/// Signing and verification keys, with the algorithm pinned to HS256.
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl TokenKeys {
    pub fn new(secret: &[u8]) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_audience(&[AUDIENCE]);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "aud", "iss", "sub"]);
        validation.leeway = 5;
        // We issue no `nbf`, but one that a forger adds must still be a number in the past:
        // jsonwebtoken checks it only when asked (a string `nbf` was once taken as absent).
        validation.validate_nbf = true;
        TokenKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
        }
    }

    /// Signs an access token valid for [`ACCESS_TOKEN_TTL`].
    pub fn issue(&self, user_id: Uuid, login_id: Uuid) -> AppResult<String> {
        let now = Utc::now();
        self.sign(&Claims {
            sub: user_id,
            sid: login_id,
            aud: AUDIENCE.to_owned(),
            iss: ISSUER.to_owned(),
            iat: now.timestamp(),
            exp: (now + ACCESS_TOKEN_TTL).timestamp(),
        })
    }

    /// Signs arbitrary claims (tests use it to forge expired or malformed tokens).
    pub fn sign(&self, claims: &impl Serialize) -> AppResult<String> {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .map_err(|error| AppError::Internal(error.into()))
    }

    /// Checks signature, algorithm, expiry, audience and issuer.
    pub fn verify(&self, token: &str) -> AppResult<Claims> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|_| AppError::Unauthorized)
    }
}

/// A new refresh token: the value for the cookie and the hash for the database.
pub struct NewRefreshToken {
    pub value: String,
    pub hash: Vec<u8>,
}

impl NewRefreshToken {
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let value = URL_SAFE_NO_PAD.encode(bytes);
        let hash = hash_refresh_token(&value);
        NewRefreshToken { value, hash }
    }
}

pub fn hash_refresh_token(value: &str) -> Vec<u8> {
    Sha256::digest(value.as_bytes()).to_vec()
}

/// Stores a refresh token of `family_id` for `user_id`.
pub async fn store_refresh_token(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    family_id: Uuid,
    token: &NewRefreshToken,
) -> AppResult<()> {
    sqlx::query!(
        "insert into refresh_tokens (id, user_id, family_id, token_hash, expires_at)
         values ($1, $2, $3, $4, $5)",
        Uuid::new_v4(),
        user_id,
        family_id,
        token.hash,
        Utc::now() + REFRESH_TOKEN_TTL,
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The login a refresh token belonged to.
pub struct RefreshedLogin {
    pub user_id: Uuid,
    pub family_id: Uuid,
}

/// Marks the presented token used and returns its login. A token that was already used
/// means it leaked (or a client replayed it): the whole family is revoked.
pub async fn consume_refresh_token(db: &sqlx::PgPool, value: &str) -> AppResult<RefreshedLogin> {
    let hash = hash_refresh_token(value);
    let mut tx = db.begin().await?;
    let consumed = sqlx::query_as!(
        RefreshedLogin,
        "update refresh_tokens set used_at = now()
         where token_hash = $1 and used_at is null and revoked_at is null and expires_at > now()
         returning user_id, family_id",
        hash
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(login) = consumed else {
        let reused = sqlx::query_scalar!(
            "select family_id from refresh_tokens where token_hash = $1 and used_at is not null",
            hash
        )
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(family_id) = reused {
            tracing::warn!(%family_id, "a rotated refresh token was presented again; revoking its login");
            revoke_family(&mut *tx, family_id).await?;
            tx.commit().await?;
        }
        return Err(AppError::Unauthorized);
    };
    tx.commit().await?;
    Ok(login)
}

/// Revokes every refresh token of a login (logout, or detected reuse).
pub async fn revoke_family(db: impl PgExecutor<'_>, family_id: Uuid) -> AppResult<()> {
    // The login's sockets close on every node (see `access_changes`).
    sqlx::query!(
        "with revoked as (
             update refresh_tokens set revoked_at = now()
             where family_id = $1 and revoked_at is null returning family_id)
         select record_access_change(null, family_id, null, null)
         from (select distinct family_id from revoked) as logins",
        family_id
    )
    .fetch_all(db)
    .await?;
    Ok(())
}

/// Revokes the login that `value` belongs to, whatever its state.
pub async fn revoke_by_token(db: impl PgExecutor<'_>, value: &str) -> AppResult<()> {
    sqlx::query!(
        "with revoked as (
             update refresh_tokens set revoked_at = now()
             where revoked_at is null
               and family_id = (select family_id from refresh_tokens where token_hash = $1)
             returning family_id)
         select record_access_change(null, family_id, null, null)
         from (select distinct family_id from revoked) as logins",
        hash_refresh_token(value)
    )
    .fetch_all(db)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_reject_tampering() {
        let keys = TokenKeys::new(b"a test secret that is long enough!!");
        let (user, login) = (Uuid::new_v4(), Uuid::new_v4());
        let token = keys.issue(user, login).unwrap();
        let claims = keys.verify(&token).unwrap();
        assert_eq!((claims.sub, claims.sid), (user, login));

        let other_keys = TokenKeys::new(b"another secret, not the server's one");
        assert!(other_keys.verify(&token).is_err());
        let mut tampered = token.clone();
        tampered.pop();
        tampered.push(if token.ends_with('A') { 'B' } else { 'A' });
        assert!(keys.verify(&tampered).is_err());
    }

    #[test]
    fn alg_none_is_refused() {
        let keys = TokenKeys::new(b"a test secret that is long enough!!");
        let token = keys.issue(Uuid::new_v4(), Uuid::new_v4()).unwrap();
        let payload = token.split('.').nth(1).unwrap();
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        assert!(keys.verify(&format!("{header}.{payload}.")).is_err());
    }
}
