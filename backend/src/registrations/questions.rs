//! The organisers' own questions on the registration form — a text, a single or multiple
//! choice, a consent checkbox ("list me in the directory") — each required or optional, in
//! the conference's languages; and the checking of a registrant's answers against them.

use std::collections::{BTreeMap, BTreeSet};

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::{PgConnection, PgExecutor, PgPool};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::conference::{ConferenceAccess, ConferenceRole, ConferenceSlug};
use crate::error::{AppError, AppResult, ErrorBody, FieldError, Problem};
use crate::http::{AfterRoleCheck, AppJson};
use crate::text::{text_schema, LocalizedText};

/// Most questions on one form.
const MAX_QUESTIONS: usize = 30;
/// Most choices of one question.
const MAX_OPTIONS: usize = 20;
const LABEL_MAX_CHARS: usize = 500;
const OPTION_MAX_CHARS: usize = 200;
/// Longest answer to a text question.
pub const ANSWER_MAX_CHARS: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, sqlx::Type)]
#[sqlx(type_name = "registration_question_kind", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// Answered with a text of at most 2,000 characters.
    Text,
    /// Answered with the index of one option.
    SingleChoice,
    /// Answered with a list of distinct option indexes.
    MultipleChoice,
    /// Answered with `true` or `false`; a required consent must be given (`true`).
    Consent,
}

impl QuestionKind {
    fn has_options(self) -> bool {
        matches!(
            self,
            QuestionKind::SingleChoice | QuestionKind::MultipleChoice
        )
    }
}

/// A question as registrants see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "3b0f2a57-1c4e-4f43-9d71-6f2f8e0c1a11",
    "kind": "consent",
    "label": {"en": "List me in the attendee directory", "fr": "M'inscrire dans l'annuaire des participants"},
    "options": [],
    "required": false
}))]
pub struct Question {
    pub id: Uuid,
    pub kind: QuestionKind,
    pub label: LocalizedText,
    /// The choices of a choice question, answered by index; empty for the other kinds.
    pub options: Vec<LocalizedText>,
    pub required: bool,
}

/// A question as organisers set it; `id` keeps an existing question (and its answers).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({
    "kind": "single_choice",
    "label": {"en": "Which track do you follow?", "fr": "Quel parcours suivez-vous ?"},
    "options": [{"en": "Industry"}, {"en": "Regions"}],
    "required": true
}))]
pub struct QuestionInput {
    #[serde(default)]
    pub id: Option<Uuid>,
    pub kind: QuestionKind,
    #[schema(schema_with = label_schema)]
    pub label: LocalizedText,
    /// 2 to 20 choices for a choice question, none for the other kinds.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub options: Vec<LocalizedText>,
    #[serde(default)]
    pub required: bool,
}

fn label_schema() -> utoipa::openapi::schema::Schema {
    text_schema(LABEL_MAX_CHARS)
}

/// A registrant's answers, by question id: a text, an option's index, a list of option
/// indexes, or `true`/`false`, as the question's kind says.
pub type Answers = BTreeMap<Uuid, Value>;

/// The conference's registration questions, in order.
pub async fn fetch(db: impl PgExecutor<'_>, conference_id: Uuid) -> AppResult<Vec<Question>> {
    let rows = sqlx::query!(
        r#"select id, kind as "kind: QuestionKind", label as "label: LocalizedText",
                  options as "options: sqlx::types::Json<Vec<LocalizedText>>", required
           from registration_questions where conference_id = $1 order by position"#,
        conference_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| Question {
            id: row.id,
            kind: row.kind,
            label: row.label,
            options: row.options.0,
            required: row.required,
        })
        .collect())
}

/// The registration form's questions. Anyone logged in may read them (the form is public).
#[utoipa::path(get, path = "/api/conferences/{slug}/registration-questions", tag = "registrations",
    operation_id = "registration_questions",
    params(ConferenceSlug),
    responses((status = 200, description = "The questions, in order", body = [Question])))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(db): State<PgPool>,
    access: ConferenceAccess,
) -> AppResult<Json<Vec<Question>>> {
    Ok(Json(fetch(&db, access.conference_id).await?))
}

/// Replaces the registration form's questions. Organisers only. Answers already given to
/// a question kept (by `id`) stay; those to a removed question stay in the registrations'
/// record but are no longer shown.
#[utoipa::path(put, path = "/api/conferences/{slug}/registration-questions", tag = "registrations",
    operation_id = "replace_registration_questions",
    params(ConferenceSlug),
    request_body(content = Vec<QuestionInput>, description = "At most 30 questions, in order"),
    responses((status = 200, description = "The questions now", body = [Question]),
              (status = 403, description = "Not an organiser of this conference", body = ErrorBody),
              (status = 422, description = "A question breaks a rule", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn replace(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    body: AfterRoleCheck<AppJson<Vec<QuestionInput>>>,
) -> AppResult<Json<Vec<Question>>> {
    access.require(ConferenceRole::Organiser)?;
    let AppJson(inputs) = body?;
    let questions = checked(inputs)?;
    let mut tx = db.begin().await?;
    store(&mut tx, access.conference_id, &questions).await?;
    crate::audit::record(
        &mut *tx,
        access.conference_id,
        access.user.id,
        "registration.questions",
        serde_json::json!({"count": questions.len()}),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(questions))
}

/// The inputs as questions, each within its bounds; new ones get an id.
fn checked(inputs: Vec<QuestionInput>) -> AppResult<Vec<Question>> {
    if inputs.len() > MAX_QUESTIONS {
        return Err(AppError::field(
            "questions",
            Problem::TooMany { max: MAX_QUESTIONS },
        ));
    }
    let mut seen = BTreeSet::new();
    let mut questions = Vec::with_capacity(inputs.len());
    for (index, input) in inputs.into_iter().enumerate() {
        let field = |name: &str| format!("{index}.{name}");
        let id = input.id.unwrap_or_else(Uuid::new_v4);
        if !seen.insert(id) {
            return Err(AppError::field(&field("id"), Problem::Duplicate));
        }
        let label = input
            .label
            .normalised(&field("label"), LABEL_MAX_CHARS, true)?;
        let wanted = if input.kind.has_options() {
            2..=MAX_OPTIONS
        } else {
            0..=0
        };
        if !wanted.contains(&input.options.len()) {
            let problem = if input.options.len() > *wanted.end() {
                Problem::TooMany { max: *wanted.end() }
            } else {
                Problem::TooShort {
                    min: *wanted.start(),
                }
            };
            return Err(AppError::field(&field("options"), problem));
        }
        let options = input
            .options
            .into_iter()
            .enumerate()
            .map(|(n, option)| {
                option.normalised(&field(&format!("options.{n}")), OPTION_MAX_CHARS, true)
            })
            .collect::<AppResult<Vec<_>>>()?;
        questions.push(Question {
            id,
            kind: input.kind,
            label,
            options,
            required: input.required,
        });
    }
    Ok(questions)
}

async fn store(
    db: &mut PgConnection,
    conference_id: Uuid,
    questions: &[Question],
) -> AppResult<()> {
    let ids: Vec<Uuid> = questions.iter().map(|question| question.id).collect();
    sqlx::query!(
        "delete from registration_questions where conference_id = $1 and id <> all ($2)",
        conference_id,
        &ids
    )
    .execute(&mut *db)
    .await?;
    for (position, question) in (0_i32..).zip(questions) {
        // An id of another conference's question is refused rather than taken over.
        let stored = sqlx::query!(
            "insert into registration_questions (id, conference_id, position, kind, label, options, required)
             values ($1, $2, $3, $4, $5, $6, $7)
             on conflict (id) do update set position = excluded.position, kind = excluded.kind,
                 label = excluded.label, options = excluded.options, required = excluded.required
             where registration_questions.conference_id = excluded.conference_id",
            question.id,
            conference_id,
            position,
            question.kind as QuestionKind,
            &question.label as _,
            sqlx::types::Json(&question.options) as _,
            question.required
        )
        .execute(&mut *db)
        .await?;
        if stored.rows_affected() == 0 {
            return Err(AppError::field(&format!("{position}.id"), Problem::Taken));
        }
    }
    Ok(())
}

/// Checks `answers` against `questions`: each answer of its question's kind and within
/// its bounds, every required question answered (a required consent given), no answer to
/// a question the form does not ask. Blank optional answers are dropped.
pub fn check_answers(questions: &[Question], answers: Answers) -> AppResult<Answers> {
    let mut problems: Vec<FieldError> = Vec::new();
    for id in answers.keys() {
        if !questions.iter().any(|question| question.id == *id) {
            problems.push(
                Problem::Invalid {
                    detail: "no such question".to_owned(),
                }
                .on(format!("answers.{id}")),
            );
        }
    }
    let mut kept = Answers::new();
    for question in questions {
        let field = format!("answers.{}", question.id);
        match answer_of(question, answers.get(&question.id)) {
            Ok(Some(answer)) => {
                kept.insert(question.id, answer);
            }
            Ok(None) if question.required => problems.push(Problem::Required.on(field)),
            Ok(None) => {}
            Err(problem) => problems.push(problem.on(field)),
        }
    }
    if problems.is_empty() {
        Ok(kept)
    } else {
        Err(AppError::invalid(problems))
    }
}

/// One answer, normalised; `None` when it counts as not answered.
fn answer_of(question: &Question, answer: Option<&Value>) -> Result<Option<Value>, Problem> {
    let wrong = |detail: &str| Problem::Invalid {
        detail: detail.to_owned(),
    };
    let Some(answer) = answer.filter(|answer| !answer.is_null()) else {
        return Ok(None);
    };
    let options = question.options.len();
    match question.kind {
        QuestionKind::Text => {
            let text = answer
                .as_str()
                .ok_or_else(|| wrong("a text is expected"))?
                .trim();
            if text.chars().count() > ANSWER_MAX_CHARS {
                return Err(Problem::TooLong {
                    max: ANSWER_MAX_CHARS,
                });
            }
            Ok((!text.is_empty()).then(|| Value::from(text)))
        }
        QuestionKind::SingleChoice => {
            let index = answer
                .as_u64()
                .filter(|index| *index < options as u64)
                .ok_or_else(|| wrong("the index of one of the options is expected"))?;
            Ok(Some(Value::from(index)))
        }
        QuestionKind::MultipleChoice => {
            let indexes = answer
                .as_array()
                .ok_or_else(|| wrong("a list of option indexes is expected"))?;
            let mut chosen = BTreeSet::new();
            for index in indexes {
                let index = index
                    .as_u64()
                    .filter(|index| *index < options as u64)
                    .ok_or_else(|| wrong("the index of one of the options is expected"))?;
                if !chosen.insert(index) {
                    return Err(Problem::Duplicate);
                }
            }
            Ok((!chosen.is_empty()).then(|| Value::from_iter(chosen)))
        }
        QuestionKind::Consent => {
            let given = answer
                .as_bool()
                .ok_or_else(|| wrong("true or false is expected"))?;
            // A required consent not given is a required answer missing.
            Ok((given || !question.required).then(|| Value::from(given)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn question(kind: QuestionKind, options: usize, required: bool) -> Question {
        Question {
            id: Uuid::new_v4(),
            kind,
            label: LocalizedText([("en".to_owned(), "Q".to_owned())].into()),
            options: (0..options)
                .map(|n| LocalizedText([("en".to_owned(), format!("option {n}"))].into()))
                .collect(),
            required,
        }
    }

    fn fields(error: AppError) -> Vec<String> {
        match error {
            AppError::Validation { fields, .. } => fields.into_iter().map(|f| f.field).collect(),
            other => panic!("not a validation error: {other}"),
        }
    }

    #[test]
    fn answers_of_each_kind_are_kept_normalised() {
        let text = question(QuestionKind::Text, 0, false);
        let single = question(QuestionKind::SingleChoice, 3, true);
        let multiple = question(QuestionKind::MultipleChoice, 3, false);
        let consent = question(QuestionKind::Consent, 0, false);
        let questions = [
            text.clone(),
            single.clone(),
            multiple.clone(),
            consent.clone(),
        ];
        let answers = Answers::from([
            (text.id, json!("  textile recycling ")),
            (single.id, json!(2)),
            (multiple.id, json!([2, 0])),
            (consent.id, json!(false)),
        ]);
        let kept = check_answers(&questions, answers).unwrap();
        assert_eq!(kept[&text.id], json!("textile recycling"));
        assert_eq!(kept[&single.id], json!(2));
        assert_eq!(kept[&multiple.id], json!([0, 2]));
        assert_eq!(kept[&consent.id], json!(false));
    }

    #[test]
    fn wrong_missing_and_unknown_answers_are_refused_by_field() {
        let single = question(QuestionKind::SingleChoice, 2, true);
        let multiple = question(QuestionKind::MultipleChoice, 2, false);
        let consent = question(QuestionKind::Consent, 0, true);
        let text = question(QuestionKind::Text, 0, true);
        let stranger = Uuid::new_v4();
        let questions = [
            single.clone(),
            multiple.clone(),
            consent.clone(),
            text.clone(),
        ];
        let answers = Answers::from([
            (single.id, json!(2)),
            (multiple.id, json!([1, 1])),
            (consent.id, json!(false)),
            (text.id, json!("   ")),
            (stranger, json!("x")),
        ]);
        let mut refused = fields(check_answers(&questions, answers).unwrap_err());
        refused.sort();
        let mut expected: Vec<String> = [stranger, single.id, multiple.id, consent.id, text.id]
            .iter()
            .map(|id| format!("answers.{id}"))
            .collect();
        expected.sort();
        assert_eq!(refused, expected);
    }

    #[test]
    fn a_long_text_answer_is_refused() {
        let text = question(QuestionKind::Text, 0, false);
        let long = "x".repeat(ANSWER_MAX_CHARS + 1);
        let answers = Answers::from([(text.id, json!(long))]);
        assert!(check_answers(&[text], answers).is_err());
    }

    #[test]
    fn choice_questions_need_two_options_and_others_none() {
        let input = |kind, options: usize| QuestionInput {
            id: None,
            kind,
            label: LocalizedText([("en".to_owned(), "Q".to_owned())].into()),
            options: (0..options)
                .map(|n| LocalizedText([("en".to_owned(), format!("{n}"))].into()))
                .collect(),
            required: false,
        };
        assert!(checked(vec![input(QuestionKind::SingleChoice, 1)]).is_err());
        assert!(checked(vec![input(QuestionKind::SingleChoice, 21)]).is_err());
        assert!(checked(vec![input(QuestionKind::Consent, 1)]).is_err());
        assert!(checked(vec![
            input(QuestionKind::MultipleChoice, 2),
            input(QuestionKind::Text, 0)
        ])
        .is_ok());
    }
}
