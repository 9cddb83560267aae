//! Speaker cards: how a conference presents a person on the sessions they are on — a photo
//! (or their initials) and a short bio in several languages, set by organisers; the name
//! and the organisation come from the person's account and profile.

use axum::extract::State;
use axum::Json;
use serde::de::value::MapAccessDeserializer;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::conference::{ConferenceAccess, ConferenceRole, ConferenceSlug};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::http::{AfterRoleCheck, AppJson, AppPath};
use crate::text::web_address;
use crate::text::{text_schema, LocalizedText};

/// Longest bio, per language, in characters.
const MAX_BIO_CHARS: usize = 1_000;

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"photo_url": "https://cluster.example.eu/team/ana.jpg",
    "bio": {"en": "Manages the Flemish photonics cluster.", "fr": "Dirige le cluster flamand de la photonique."}}))]
pub struct SpeakerCard {
    /// An http(s) address of at most 2,000 characters; none shows the person's initials.
    #[serde(default)]
    pub photo_url: Option<String>,
    /// At most 1,000 characters per language.
    #[serde(default)]
    #[schema(schema_with = bio_schema)]
    pub bio: LocalizedText,
}

// By hand, to take an object only: a derived struct whose fields all have defaults also
// takes `[]` (serde's sequence form of a struct), which the API must refuse.
impl<'de> Deserialize<'de> for SpeakerCard {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Fields {
            #[serde(default)]
            photo_url: Option<String>,
            #[serde(default)]
            bio: LocalizedText,
        }
        struct ObjectOnly;
        impl<'de> Visitor<'de> for ObjectOnly {
            type Value = Fields;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Fields, A::Error> {
                Fields::deserialize(MapAccessDeserializer::new(map))
            }
        }
        let fields = deserializer.deserialize_map(ObjectOnly)?;
        Ok(SpeakerCard {
            photo_url: fields.photo_url,
            bio: fields.bio,
        })
    }
}

fn bio_schema() -> utoipa::openapi::schema::Schema {
    text_schema(MAX_BIO_CHARS)
}

/// Sets how a member is presented on the sessions they are on. Organisers only.
#[utoipa::path(put, path = "/api/conferences/{slug}/members/{user_id}/card", tag = "sessions",
    params(ConferenceSlug, ("user_id" = Uuid, Path, description = "The member's account id")),
    request_body = SpeakerCard,
    responses((status = 200, description = "The card as stored", body = SpeakerCard),
              (status = 403, description = "Not an organiser of this conference", body = ErrorBody),
              (status = 404, description = "No such member", body = ErrorBody),
              (status = 422, description = "Not a web address, or a bio too long", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn set_card(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    AppPath((_slug, user_id)): AppPath<(String, Uuid)>,
    body: AfterRoleCheck<AppJson<SpeakerCard>>,
) -> AppResult<Json<SpeakerCard>> {
    access.require(ConferenceRole::Organiser)?;
    let AppJson(card) = body?;
    let card = SpeakerCard {
        photo_url: web_address("photo_url", card.photo_url)?,
        bio: card.bio.normalised("bio", MAX_BIO_CHARS, false)?,
    };
    let mut tx = db.begin().await?;
    let member = sqlx::query_scalar!(
        "select true from conference_members where conference_id = $1 and user_id = $2",
        access.conference_id,
        user_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    if member.is_none() {
        return Err(AppError::NotFound("member"));
    }
    sqlx::query!(
        "insert into speaker_cards (conference_id, user_id, photo_url, bio) values ($1, $2, $3, $4)
         on conflict (conference_id, user_id)
         do update set photo_url = $3, bio = $4, updated_at = now()",
        access.conference_id,
        user_id,
        card.photo_url,
        &card.bio as &LocalizedText
    )
    .execute(&mut *tx)
    .await?;
    crate::audit::record(
        &mut *tx,
        access.conference_id,
        access.user.id,
        "member.set_card",
        serde_json::json!({"user_id": user_id}),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(card))
}
