//! Attendee profiles (organisation, cluster, country, sectors, languages, offers and
//! seeks) and the sector taxonomy they draw from.

mod countries;

use std::sync::Arc;

use axum::extract::{FromRef, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use sqlx::{PgExecutor, PgPool};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub use countries::is_country_code;

use crate::auth::tokens::TokenKeys;
use crate::auth::AuthUser;
use crate::error::{AppError, AppResult, ErrorBody, Problem};
use crate::http::AppJson;
use crate::text::{check_languages, language_list_schema, LocalizedText};

pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    PgPool: FromRef<S>,
    Arc<TokenKeys>: FromRef<S>,
{
    OpenApiRouter::new()
        .routes(routes!(get_my_profile, update_my_profile))
        .routes(routes!(list_sectors))
}

// Lengths are counted as sent, spaces included, as the `maxLength`s say.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[schema(example = json!({
    "organisation": "Techtera",
    "cluster": "Techtera textile cluster",
    "country": "FR",
    "sectors": ["textiles", "advanced_materials"],
    "languages": ["fr", "en"],
    "offers": "Recycled fibres and a pilot line for functional textiles",
    "seeks": "Designers and furniture makers for a cross-border project",
    "bio": "Innovation manager at Techtera in Lyon."
}))]
pub struct Profile {
    #[schema(max_length = 200)]
    pub organisation: String,
    #[schema(max_length = 200)]
    pub cluster: String,
    /// ISO 3166-1 alpha-2, e.g. `BE` (case and surrounding spaces are ignored); blank or
    /// null for none. Always present, as the other fields: a PUT replaces the whole profile.
    #[serde(deserialize_with = "Option::deserialize")]
    #[schema(required = true)]
    pub country: Option<String>,
    /// Sector codes from `GET /api/sectors`.
    #[schema(max_items = 10)]
    pub sectors: Vec<String>,
    /// Spoken languages, ISO 639-1.
    #[schema(schema_with = language_list_schema)]
    pub languages: Vec<String>,
    #[schema(max_length = 2000)]
    pub offers: String,
    #[schema(max_length = 2000)]
    pub seeks: String,
    #[schema(max_length = 2000)]
    pub bio: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Sector {
    pub code: String,
    pub name: LocalizedText,
}

const MAX_SECTORS: usize = 10;

impl Profile {
    fn normalised(self) -> AppResult<Self> {
        let short = |field: &str, value: String, max: usize| -> AppResult<String> {
            if value.chars().count() > max {
                return Err(AppError::field(field, Problem::TooLong { max }));
            }
            Ok(value.trim().to_owned())
        };
        let country = self
            .country
            .map(|code| code.trim().to_uppercase())
            .filter(|code| !code.is_empty());
        if let Some(code) = &country {
            if !is_country_code(code) {
                return Err(AppError::field("country", Problem::CountryCode));
            }
        }
        check_languages("languages", &self.languages)?;
        if self.sectors.len() > MAX_SECTORS {
            return Err(AppError::field(
                "sectors",
                Problem::TooMany { max: MAX_SECTORS },
            ));
        }
        Ok(Profile {
            organisation: short("organisation", self.organisation, 200)?,
            cluster: short("cluster", self.cluster, 200)?,
            country,
            sectors: self.sectors,
            languages: self.languages,
            offers: short("offers", self.offers, 2000)?,
            seeks: short("seeks", self.seeks, 2000)?,
            bio: short("bio", self.bio, 2000)?,
        })
    }
}

/// Creates the empty profile of a new account, for a caller that fills it in with SQL (the
/// demo). Others need not: a person without a profile row has the empty profile.
pub async fn create_empty(db: impl PgExecutor<'_>, user_id: Uuid) -> AppResult<()> {
    sqlx::query!(
        "insert into profiles (user_id) values ($1) on conflict do nothing",
        user_id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Loads a person's profile; the empty one until they save theirs.
pub async fn load(db: &PgPool, user_id: Uuid) -> AppResult<Profile> {
    let row = sqlx::query!(
        r#"select organisation, cluster, country, languages, offers, seeks, bio,
                  array(select sector_code from profile_sectors s where s.user_id = p.user_id order by sector_code)
                      as "sectors!"
           from profiles p where user_id = $1"#,
        user_id
    )
    .fetch_optional(db)
    .await?;
    let Some(row) = row else {
        return Ok(Profile::default());
    };
    Ok(Profile {
        organisation: row.organisation,
        cluster: row.cluster,
        country: row.country,
        sectors: row.sectors,
        languages: row.languages,
        offers: row.offers,
        seeks: row.seeks,
        bio: row.bio,
    })
}

/// Saves a person's profile (one transaction: fields and sectors together).
pub async fn save(db: &PgPool, user_id: Uuid, profile: Profile) -> AppResult<Profile> {
    let profile = profile.normalised()?;
    let mut tx = db.begin().await?;
    sqlx::query!(
        "insert into profiles (user_id, organisation, cluster, country, languages, offers, seeks, bio)
         values ($1, $2, $3, $4, $5, $6, $7, $8)
         on conflict (user_id) do update set organisation = $2, cluster = $3, country = $4,
             languages = $5, offers = $6, seeks = $7, bio = $8, updated_at = now()",
        user_id,
        profile.organisation,
        profile.cluster,
        profile.country,
        &profile.languages,
        profile.offers,
        profile.seeks,
        profile.bio
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("delete from profile_sectors where user_id = $1", user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query!(
        "insert into profile_sectors (user_id, sector_code) select $1, unnest ($2::text[]) on conflict do nothing",
        user_id,
        &profile.sectors
    )
    .execute(&mut *tx)
    .await
    .map_err(|error| match &error {
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
            AppError::field("sectors", Problem::UnknownSector)
        }
        _ => AppError::from(error),
    })?;
    tx.commit().await?;
    load(db, user_id).await
}

/// The caller's profile.
#[utoipa::path(get, path = "/api/me/profile", tag = "profiles",
    responses((status = 200, description = "The caller's profile", body = Profile)))]
#[tracing::instrument(skip_all)]
pub async fn get_my_profile(State(db): State<PgPool>, user: AuthUser) -> AppResult<Json<Profile>> {
    Ok(Json(load(&db, user.id).await?))
}

/// Replaces the caller's profile.
#[utoipa::path(put, path = "/api/me/profile", tag = "profiles", request_body = Profile,
    responses((status = 200, description = "The saved profile", body = Profile),
              (status = 422, description = "A field breaks a rule, or an unknown sector", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn update_my_profile(
    State(db): State<PgPool>,
    user: AuthUser,
    AppJson(profile): AppJson<Profile>,
) -> AppResult<Json<Profile>> {
    Ok(Json(save(&db, user.id, profile).await?))
}

/// The sector taxonomy, in display order.
#[utoipa::path(get, path = "/api/sectors", tag = "profiles", security(()),
    responses((status = 200, description = "Every sector", body = [Sector])))]
#[tracing::instrument(skip_all)]
pub async fn list_sectors(State(db): State<PgPool>) -> AppResult<Json<Vec<Sector>>> {
    let sectors = sqlx::query_as!(
        Sector,
        r#"select code, name as "name: LocalizedText" from sectors order by position"#
    )
    .fetch_all(&db)
    .await?;
    Ok(Json(sectors))
}
