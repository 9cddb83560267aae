//! Content in several languages: `{"en": "Opening plenary", "fr": "Plénière d'ouverture"}`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sqlx::types::Json;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use crate::error::{AppError, AppResult, Problem};

/// Most languages one text may carry.
const MAX_LANGUAGES: usize = 12;
/// Longest title, in characters (as sent, spaces included).
const TITLE_MAX_CHARS: usize = 200;
/// Longest description, in characters (as sent, spaces included).
const DESCRIPTION_MAX_CHARS: usize = 10_000;
/// [`is_language_code`] as a JSON Schema pattern.
const LANGUAGE_CODE_PATTERN: &str = "^[a-z]{2}$";

/// A text keyed by ISO 639-1 language code.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LocalizedText(pub BTreeMap<String, String>);

// The schemas below state in the OpenAPI document exactly what `normalised` and
// `check_languages` refuse, so generated clients and fuzzers know the rules.
impl PartialSchema for LocalizedText {
    fn schema() -> RefOr<Schema> {
        text_map(None, 0).into()
    }
}

impl ToSchema for LocalizedText {}

fn text_map(max_chars: Option<usize>, min_languages: usize) -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some("Texts keyed by ISO 639-1 language code"))
        .property_names(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(LANGUAGE_CODE_PATTERN)),
        ))
        .additional_properties(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(max_chars),
        ))
        .min_properties((min_languages > 0).then_some(min_languages))
        .max_properties(Some(MAX_LANGUAGES))
        .examples([serde_json::json!({"en": "Opening plenary", "fr": "Plénière d'ouverture"})])
        .into()
}

/// Checks a required title and an optional description, with their bounds.
pub fn normalise_title_and_description(
    title: LocalizedText,
    description: LocalizedText,
) -> AppResult<(LocalizedText, LocalizedText)> {
    Ok((
        title.normalised("title", TITLE_MAX_CHARS, true)?,
        description.normalised("description", DESCRIPTION_MAX_CHARS, false)?,
    ))
}

/// A required title: at least one language, not blank in all of them.
pub fn title_schema() -> Schema {
    text_map(Some(TITLE_MAX_CHARS), 1)
}

/// An optional description.
pub fn description_schema() -> Schema {
    text_map(Some(DESCRIPTION_MAX_CHARS), 0)
}

/// An optional text in several languages, each at most `max_chars` characters.
pub fn text_schema(max_chars: usize) -> Schema {
    text_map(Some(max_chars), 0)
}

/// A list of distinct language codes, as [`check_languages`] accepts it.
pub fn language_list_schema() -> Schema {
    language_list(0)
}

/// A list of distinct language codes naming at least one.
pub fn nonempty_language_list_schema() -> Schema {
    language_list(1)
}

fn language_list(min_items: usize) -> Schema {
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(LANGUAGE_CODE_PATTERN)),
        )
        .min_items((min_items > 0).then_some(min_items))
        .max_items(Some(MAX_LANGUAGES))
        .unique_items(true)
        .examples([serde_json::json!(["en", "fr"])])
        .into()
}

impl LocalizedText {
    /// Checks language codes and lengths; trims the texts and drops empty ones.
    pub fn normalised(self, field: &str, max_chars: usize, required: bool) -> AppResult<Self> {
        if self.0.len() > MAX_LANGUAGES {
            return Err(AppError::field(
                field,
                Problem::TooMany { max: MAX_LANGUAGES },
            ));
        }
        let mut texts = BTreeMap::new();
        for (language, text) in self.0 {
            if !is_language_code(&language) {
                return Err(AppError::field(
                    field,
                    Problem::LanguageCode { value: language },
                ));
            }
            // Counted as sent, like the `maxLength` of the OpenAPI document.
            if text.chars().count() > max_chars {
                return Err(AppError::field(field, Problem::TooLong { max: max_chars }));
            }
            let text = text.trim();
            if !text.is_empty() {
                texts.insert(language, text.to_owned());
            }
        }
        if required && texts.is_empty() {
            return Err(AppError::field(field, Problem::RequiredInALanguage));
        }
        Ok(LocalizedText(texts))
    }

    /// The text in the first of `preferred` that has one, else in any language.
    pub fn best<'a>(&'a self, preferred: &[&str]) -> &'a str {
        preferred
            .iter()
            .find_map(|language| self.0.get(*language))
            .or_else(|| self.0.values().next())
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// The one of `texts` — in English, French, Dutch and German, the languages the platform
/// itself writes in (e-mails, exports) — in `language`; English for any other language.
pub fn in_platform_language<T: ?Sized>(
    language: Option<&str>,
    texts: [&'static T; 4],
) -> &'static T {
    let [english, french, dutch, german] = texts;
    match language {
        Some("fr") => french,
        Some("nl") => dutch,
        Some("de") => german,
        _ => english,
    }
}

/// ISO 639-1: two lower-case letters.
pub fn is_language_code(code: &str) -> bool {
    code.len() == 2 && code.bytes().all(|b| b.is_ascii_lowercase())
}

/// How much of a bad `lang` the error repeats.
const MAX_ECHOED_CHARS: usize = 16;

/// The reader's language of a download (`?lang=`, the interface language), checked.
pub fn reader_language(lang: Option<&str>) -> AppResult<Option<&str>> {
    match lang {
        Some(lang) if !is_language_code(lang) => Err(AppError::field(
            "lang",
            Problem::LanguageCode {
                value: lang.chars().take(MAX_ECHOED_CHARS).collect(),
            },
        )),
        lang => Ok(lang),
    }
}

/// Validates a list of language codes (at most `MAX_LANGUAGES`, no duplicates).
pub fn check_languages(field: &str, languages: &[String]) -> AppResult<()> {
    if languages.len() > MAX_LANGUAGES {
        return Err(AppError::field(
            field,
            Problem::TooMany { max: MAX_LANGUAGES },
        ));
    }
    if let Some(bad) = languages.iter().find(|code| !is_language_code(code)) {
        return Err(AppError::field(
            field,
            Problem::LanguageCode { value: bad.clone() },
        ));
    }
    let mut sorted = languages.to_vec();
    sorted.sort();
    sorted.dedup();
    if sorted.len() != languages.len() {
        return Err(AppError::field(field, Problem::Duplicate));
    }
    Ok(())
}

// Stored as `jsonb`: these impls let queries read and bind it directly.
impl sqlx::Type<sqlx::Postgres> for LocalizedText {
    fn type_info() -> sqlx::postgres::PgTypeInfo {
        <Json<BTreeMap<String, String>> as sqlx::Type<sqlx::Postgres>>::type_info()
    }

    fn compatible(ty: &sqlx::postgres::PgTypeInfo) -> bool {
        <Json<BTreeMap<String, String>> as sqlx::Type<sqlx::Postgres>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, sqlx::Postgres> for LocalizedText {
    fn decode(value: sqlx::postgres::PgValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        let Json(texts) =
            <Json<BTreeMap<String, String>> as sqlx::Decode<sqlx::Postgres>>::decode(value)?;
        Ok(LocalizedText(texts))
    }
}

impl sqlx::Encode<'_, sqlx::Postgres> for LocalizedText {
    fn encode_by_ref(
        &self,
        buf: &mut sqlx::postgres::PgArgumentBuffer,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        <Json<&BTreeMap<String, String>> as sqlx::Encode<sqlx::Postgres>>::encode_by_ref(
            &Json(&self.0),
            buf,
        )
    }
}

/// Longest web address, in characters.
const MAX_URL_CHARS: usize = 2_000;

/// An optional web address in `field`: trimmed (empty is none), http(s), no spaces, at most
/// 2,000 characters as sent (like the `maxLength` of the OpenAPI document).
pub fn web_address(field: &str, url: Option<String>) -> AppResult<Option<String>> {
    let Some(url) = url else {
        return Ok(None);
    };
    if url.chars().count() > MAX_URL_CHARS {
        return Err(AppError::field(
            field,
            Problem::TooLong { max: MAX_URL_CHARS },
        ));
    }
    let url = url.trim();
    if url.is_empty() {
        return Ok(None);
    }
    let web = url.starts_with("https://") || url.starts_with("http://");
    if !web || url.contains(char::is_whitespace) {
        return Err(AppError::field(field, Problem::WebAddress));
    }
    Ok(Some(url.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(pairs: &[(&str, &str)]) -> LocalizedText {
        LocalizedText(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn normalising_trims_drops_empty_and_checks_codes() {
        let normalised = text(&[("en", "  Opening "), ("fr", " ")])
            .normalised("title", 10, true)
            .unwrap();
        assert_eq!(normalised, text(&[("en", "Opening")]));
        assert!(text(&[("fr", "  ")]).normalised("title", 10, true).is_err());
        assert!(text(&[("EN", "x")]).normalised("title", 10, true).is_err());
        assert!(text(&[("en", "eleven char")])
            .normalised("title", 10, true)
            .is_err());
    }

    #[test]
    fn best_follows_preference_then_falls_back() {
        let title = text(&[("en", "Opening"), ("fr", "Ouverture")]);
        assert_eq!(title.best(&["nl", "fr"]), "Ouverture");
        assert_eq!(title.best(&["de"]), "Opening");
        assert_eq!(LocalizedText::default().best(&["en"]), "");
    }

    #[test]
    fn language_lists_are_checked() {
        assert!(check_languages("languages", &["en".into(), "fr".into()]).is_ok());
        assert!(check_languages("languages", &["en".into(), "en".into()]).is_err());
        assert!(check_languages("languages", &["english".into()]).is_err());
    }
}
