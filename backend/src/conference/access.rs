//! Who may do what in a conference: the role enum, the `ConferenceAccess` guard every
//! conference route uses, and giving someone a role.

use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use serde::{Deserialize, Serialize};
use sqlx::{PgExecutor, PgPool};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::tokens::TokenKeys;
use crate::auth::AuthUser;
use crate::error::{AppError, AppResult};

/// A person's role in one conference, from least to most rights.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema, sqlx::Type,
)]
#[sqlx(type_name = "conference_role", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum ConferenceRole {
    Attendee,
    Speaker,
    Moderator,
    Organiser,
}

/// The `{slug}` path segment that names a conference, as documented on every conference route.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ConferenceSlug {
    /// The conference's URL name.
    #[param(example = "ecc-2026")]
    pub slug: String,
}

/// The caller and their role in the conference named by the `{slug}` path segment.
#[derive(Debug, Clone)]
pub struct ConferenceAccess {
    pub conference_id: Uuid,
    pub user: AuthUser,
    /// `None` when the caller has not joined the conference.
    pub role: Option<ConferenceRole>,
}

impl ConferenceAccess {
    /// The caller's role, if it is at least `minimum`; `Forbidden` otherwise.
    pub fn require(&self, minimum: ConferenceRole) -> AppResult<ConferenceRole> {
        match self.role {
            Some(role) if role >= minimum => Ok(role),
            Some(_) => Err(AppError::Forbidden(
                "your role in this conference does not allow this",
            )),
            None => Err(AppError::Forbidden("join this conference first")),
        }
    }

    pub fn is_at_least(&self, minimum: ConferenceRole) -> bool {
        self.role.is_some_and(|role| role >= minimum)
    }
}

impl<S> FromRequestParts<S> for ConferenceAccess
where
    S: Send + Sync,
    Arc<TokenKeys>: FromRef<S>,
    PgPool: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let user = AuthUser::from_request_parts(parts, state).await?;
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound("conference"))?;
        let slug = params
            .iter()
            .find_map(|(name, value)| (name == "slug").then(|| value.to_owned()))
            // No slug holds U+0000, and PostgreSQL would refuse it as a parameter.
            .filter(|slug| !slug.contains('\0'))
            .ok_or(AppError::NotFound("conference"))?;
        let db = PgPool::from_ref(state);
        let found = sqlx::query!(
            r#"select c.id, u.is_platform_organiser, m.role as "role?: ConferenceRole"
               from conferences c
               join users u on u.id = $2
               left join conference_members m on m.conference_id = c.id and m.user_id = u.id
               where c.slug = $1"#,
            slug,
            user.id
        )
        .fetch_optional(&db)
        .await?
        .ok_or(AppError::NotFound("conference"))?;
        Ok(ConferenceAccess {
            conference_id: found.id,
            user,
            role: effective_role(found.is_platform_organiser, found.role),
        })
    }
}

/// A person's role in a conference: their membership's, except that platform organisers,
/// who run the deployment, are organisers of every conference.
pub fn effective_role(
    platform_organiser: bool,
    member_role: Option<ConferenceRole>,
) -> Option<ConferenceRole> {
    if platform_organiser {
        Some(ConferenceRole::Organiser)
    } else {
        member_role
    }
}

/// `user_id`'s role in conference `conference_id` (see [`effective_role`]); `None` when
/// they are not a member or there is no such conference.
pub async fn role_in(
    db: impl PgExecutor<'_>,
    conference_id: Uuid,
    user_id: Uuid,
) -> AppResult<Option<ConferenceRole>> {
    let row = sqlx::query!(
        r#"select u.is_platform_organiser, m.role as "role?: ConferenceRole"
           from users u
           left join conference_members m on m.conference_id = $1 and m.user_id = u.id
           where u.id = $2 and exists (select 1 from conferences where id = $1)"#,
        conference_id,
        user_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.and_then(|row| effective_role(row.is_platform_organiser, row.role)))
}

/// Gives `user_id` the role `role` in a conference, joining it if needed.
pub async fn set_member_role(
    db: impl PgExecutor<'_>,
    conference_id: Uuid,
    user_id: Uuid,
    role: ConferenceRole,
) -> AppResult<()> {
    sqlx::query!(
        "insert into conference_members (conference_id, user_id, role) values ($1, $2, $3)
         on conflict (conference_id, user_id) do update set role = excluded.role, updated_at = now()",
        conference_id,
        user_id,
        role as ConferenceRole
    )
    .execute(db)
    .await?;
    Ok(())
}
