//! Password hashing (argon2id with OWASP's parameters) and the password policy.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::{AppError, AppResult, Problem};

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Lower-cased passwords that are refused whatever their length.
const COMMON_PASSWORDS: &str = include_str!("common-passwords.txt");

/// argon2id, 19 MiB, 2 iterations, 1 lane (OWASP Password Storage Cheat Sheet).
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("static argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Checks the password policy: length, and not a well-known password or the e-mail itself.
pub fn check_policy(password: &str, email: &str) -> AppResult<()> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(AppError::field(
            "password",
            Problem::TooShort {
                min: MIN_PASSWORD_CHARS,
            },
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(AppError::field(
            "password",
            Problem::TooLong {
                max: MAX_PASSWORD_CHARS,
            },
        ));
    }
    let lowered = password.to_lowercase();
    if COMMON_PASSWORDS.lines().any(|common| common == lowered) {
        return Err(AppError::field("password", Problem::TooCommon));
    }
    if lowered == email.to_lowercase() {
        return Err(AppError::field("password", Problem::SameAsEmail));
    }
    Ok(())
}

/// Hashes on a blocking thread: argon2 takes tens of milliseconds of CPU by design.
pub async fn hash(password: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|error| anyhow::anyhow!("hashing failed: {error}"))
    })
    .await
    .map_err(anyhow::Error::from)?
    .map_err(AppError::from)
}

/// Verifies on a blocking thread. With no stored hash (unknown account) it still spends
/// the same work, so response times do not reveal which e-mails are registered.
pub async fn verify(password: String, stored_hash: Option<String>) -> AppResult<bool> {
    tokio::task::spawn_blocking(move || {
        let stored = stored_hash.unwrap_or_else(|| DUMMY_HASH.to_owned());
        let parsed = PasswordHash::new(&stored)
            .map_err(|error| anyhow::anyhow!("stored hash is malformed: {error}"))?;
        let matches = hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok::<_, anyhow::Error>(matches && stored != DUMMY_HASH)
    })
    .await
    .map_err(anyhow::Error::from)?
    .map_err(AppError::from)
}

/// A valid argon2id hash of a random string nobody knows; never matches (see [`verify`]).
/// Accounts whose password is not set yet (an organiser's import invited them) store it.
pub const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0VbZCd7t4wGXg0d3wq0uoNsbUjP4nUlbSpQG+OaXc8U";

#[cfg(test)]
mod tests {
    use super::*;

    use crate::error::FieldCode;

    fn refusal(password: &str, email: &str) -> Option<FieldCode> {
        match check_policy(password, email) {
            Err(AppError::Validation { fields, .. }) => Some(fields[0].code),
            _ => None,
        }
    }

    #[test]
    fn policy_refuses_short_common_and_email_passwords() {
        assert_eq!(refusal("short", "a@b.eu"), Some(FieldCode::TooShort));
        assert_eq!(refusal("Password123", "a@b.eu"), Some(FieldCode::TooCommon));
        assert_eq!(refusal("1234567890", "a@b.eu"), Some(FieldCode::TooCommon));
        assert_eq!(
            refusal("anna@cluster.eu", "anna@cluster.eu"),
            Some(FieldCode::SameAsEmail)
        );
        assert_eq!(
            refusal(&"x".repeat(129), "a@b.eu"),
            Some(FieldCode::TooLong)
        );
        assert!(check_policy("textile-lille-2026", "a@b.eu").is_ok());
    }

    #[tokio::test]
    async fn hash_then_verify() {
        let hash = hash("textile-lille-2026".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("textile-lille-2026".into(), Some(hash.clone()))
            .await
            .unwrap());
        assert!(!verify("wrong-password".into(), Some(hash)).await.unwrap());
        assert!(!verify("anything-at-all".into(), None).await.unwrap());
    }
}
