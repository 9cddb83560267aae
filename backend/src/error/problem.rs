//! What can be wrong with one field: every validation rule's stable code, its parameters and
//! its English wording. The UI translates by `code` and `params`; the English `message` is the
//! fallback for clients that do not know a code.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// One broken rule on one field, as the server reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, TS)]
pub struct FieldError {
    /// The field's name in the request body, e.g. `password` or `venue.city`.
    pub field: String,
    pub code: FieldCode,
    #[serde(default, skip_serializing_if = "FieldParams::is_empty")]
    #[ts(optional = nullable)]
    pub params: FieldParams,
    /// The problem in English, e.g. `must be at most 200 characters`.
    pub message: String,
}

/// Which rule a field breaks. Stable: clients translate by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum FieldCode {
    Required,
    /// Multilingual text with no text in any language.
    RequiredInALanguage,
    /// Fewer than `min` characters.
    TooShort,
    /// More than `max` characters.
    TooLong,
    /// A number outside `min`..=`max`.
    OutOfRange,
    /// A list longer than `max`.
    TooMany,
    /// A list naming the same entry twice.
    Duplicate,
    Email,
    /// A password found in the list of common passwords.
    TooCommon,
    SameAsEmail,
    /// `value` is not an ISO 639-1 language code.
    LanguageCode,
    CountryCode,
    UnknownSector,
    TimeZone,
    /// `min` to `max` lower-case letters, digits and dashes.
    Slug,
    WebAddress,
    EndsBeforeStart,
    /// A session longer than `max` hours.
    MaxHours,
    /// A conference longer than `max` days.
    MaxDays,
    /// A session starting outside the conference's days `starts_on` to `ends_on`.
    OutsideConference,
    NotMember,
    /// Another record already has this value (an e-mail address, a slug).
    Taken,
    SessionRoom,
    /// The value has the wrong type or shape; `message` says how.
    Invalid,
}

/// The numbers and values a rule's message mentions; only those that apply are present.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema, TS)]
pub struct FieldParams {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub min: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub max: Option<i64>,
    /// The offending value, e.g. a language code.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub value: Option<String>,
    /// The conference's first day, `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub starts_on: Option<String>,
    /// The conference's last day, `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ends_on: Option<String>,
}

impl FieldParams {
    fn is_empty(&self) -> bool {
        *self == FieldParams::default()
    }

    fn min_max(min: impl TryInto<i64>, max: impl TryInto<i64>) -> Self {
        FieldParams {
            min: min.try_into().ok(),
            max: max.try_into().ok(),
            ..FieldParams::default()
        }
    }

    fn max(max: impl TryInto<i64>) -> Self {
        FieldParams {
            max: max.try_into().ok(),
            ..FieldParams::default()
        }
    }
}

/// A broken rule with what its message needs; handlers say `AppError::field(name, problem)`.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    Required,
    RequiredInALanguage,
    TooShort {
        min: usize,
    },
    TooLong {
        max: usize,
    },
    OutOfRange {
        min: i64,
        max: i64,
    },
    TooMany {
        max: usize,
    },
    Duplicate,
    Email,
    TooCommon,
    SameAsEmail,
    LanguageCode {
        value: String,
    },
    CountryCode,
    UnknownSector,
    TimeZone,
    Slug {
        min: usize,
        max: usize,
    },
    WebAddress,
    EndsBeforeStart,
    MaxHours {
        max: i64,
    },
    MaxDays {
        max: i64,
    },
    OutsideConference {
        starts_on: NaiveDate,
        ends_on: NaiveDate,
    },
    NotMember,
    Taken,
    SessionRoom,
    /// `detail` is the parser's own English explanation.
    Invalid {
        detail: String,
    },
}

impl Problem {
    /// The wire form of this problem on `field`.
    pub fn on(self, field: impl Into<String>) -> FieldError {
        let none = FieldParams::default;
        let (code, params, message) = match self {
            Problem::Required => (FieldCode::Required, none(), "is required".to_owned()),
            Problem::RequiredInALanguage => (
                FieldCode::RequiredInALanguage,
                none(),
                "is required in at least one language".to_owned(),
            ),
            Problem::TooShort { min } => (
                FieldCode::TooShort,
                FieldParams {
                    min: i64::try_from(min).ok(),
                    ..none()
                },
                format!("must be at least {min} characters"),
            ),
            Problem::TooLong { max } => (
                FieldCode::TooLong,
                FieldParams::max(max),
                format!("must be at most {max} characters"),
            ),
            Problem::OutOfRange { min, max } => (
                FieldCode::OutOfRange,
                FieldParams::min_max(min, max),
                format!("must be between {min} and {max}"),
            ),
            Problem::TooMany { max } => (
                FieldCode::TooMany,
                FieldParams::max(max),
                format!("lists more than {max}"),
            ),
            Problem::Duplicate => (
                FieldCode::Duplicate,
                none(),
                "lists an entry twice".to_owned(),
            ),
            Problem::Email => (
                FieldCode::Email,
                none(),
                "must be a valid e-mail address".to_owned(),
            ),
            Problem::TooCommon => (
                FieldCode::TooCommon,
                none(),
                "is too common, choose another".to_owned(),
            ),
            Problem::SameAsEmail => (
                FieldCode::SameAsEmail,
                none(),
                "must not be your e-mail address".to_owned(),
            ),
            Problem::LanguageCode { value } => {
                let message = format!("`{value}` is not a two-letter language code");
                let params = FieldParams {
                    value: Some(value),
                    ..none()
                };
                (FieldCode::LanguageCode, params, message)
            }
            Problem::CountryCode => (
                FieldCode::CountryCode,
                none(),
                "must be an ISO 3166 country code such as BE".to_owned(),
            ),
            Problem::UnknownSector => (
                FieldCode::UnknownSector,
                none(),
                "contains an unknown sector".to_owned(),
            ),
            Problem::TimeZone => (
                FieldCode::TimeZone,
                none(),
                "must be an IANA time zone such as Europe/Brussels".to_owned(),
            ),
            Problem::Slug { min, max } => (
                FieldCode::Slug,
                FieldParams::min_max(min, max),
                format!("use {min} to {max} lower-case letters, digits and dashes"),
            ),
            Problem::WebAddress => (
                FieldCode::WebAddress,
                none(),
                "must be an http(s) address".to_owned(),
            ),
            Problem::EndsBeforeStart => (
                FieldCode::EndsBeforeStart,
                none(),
                "must be after the start".to_owned(),
            ),
            Problem::MaxHours { max } => (
                FieldCode::MaxHours,
                FieldParams::max(max),
                format!("must be at most {max} hours after the start"),
            ),
            Problem::MaxDays { max } => (
                FieldCode::MaxDays,
                FieldParams::max(max),
                format!("must be at most {max} days after the start"),
            ),
            Problem::OutsideConference { starts_on, ends_on } => (
                FieldCode::OutsideConference,
                FieldParams {
                    starts_on: Some(starts_on.to_string()),
                    ends_on: Some(ends_on.to_string()),
                    ..none()
                },
                format!("must fall within the conference ({starts_on} to {ends_on})"),
            ),
            Problem::NotMember => (
                FieldCode::NotMember,
                none(),
                "everyone must be a member of the conference".to_owned(),
            ),
            Problem::Taken => (FieldCode::Taken, none(), "is already taken".to_owned()),
            Problem::SessionRoom => (
                FieldCode::SessionRoom,
                none(),
                "must be a session room".to_owned(),
            ),
            Problem::Invalid { detail } => (FieldCode::Invalid, none(), detail),
        };
        FieldError {
            field: field.into(),
            code,
            params,
            message,
        }
    }
}
