//! The registrations as a spreadsheet: every registration matching the organisers' filter,
//! with its profile and one column per question of the form, headings and answers in the
//! reader's language. Cells a spreadsheet would run as a formula are neutralised.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use serde_json::Value;
use sqlx::PgPool;
use utoipa::IntoParams;

use super::manage::{matching, RegistrationFilter};
use super::questions::{self, Question, QuestionKind};
use super::seats::RegistrationStatus;
use crate::conference::{ConferenceAccess, ConferenceRole, ConferenceSlug};
use crate::error::{AppResult, ErrorBody};
use crate::http::files::{csv_file, download, time};
use crate::http::{AfterRoleCheck, AppPath, AppQuery};
use crate::text::{in_platform_language, reader_language};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportLanguage {
    /// The reader's language (ISO 639-1) for headings and answers; English otherwise.
    #[param(example = "fr", pattern = "^[a-z]{2}$")]
    pub lang: Option<String>,
}

/// The words of the export, in one language.
struct Words {
    name: &'static str,
    email: &'static str,
    organisation: &'static str,
    cluster: &'static str,
    country: &'static str,
    status: &'static str,
    delegation: &'static str,
    role: &'static str,
    registered_at: &'static str,
    yes: &'static str,
    no: &'static str,
    /// pending, approved, waitlisted, offered, rejected, cancelled.
    statuses: [&'static str; 6],
    /// attendee, speaker, moderator, organiser.
    roles: [&'static str; 4],
}

const EN: Words = Words {
    name: "Name",
    email: "E-mail",
    organisation: "Organisation",
    cluster: "Cluster",
    country: "Country",
    status: "Status",
    delegation: "Delegation",
    role: "Role",
    registered_at: "Registered at (UTC)",
    yes: "yes",
    no: "no",
    statuses: [
        "pending",
        "approved",
        "waitlisted",
        "offered a seat",
        "rejected",
        "cancelled",
    ],
    roles: ["attendee", "speaker", "moderator", "organiser"],
};

const FR: Words = Words {
    name: "Nom",
    email: "E-mail",
    organisation: "Organisation",
    cluster: "Cluster",
    country: "Pays",
    status: "Statut",
    delegation: "Délégation",
    role: "Rôle",
    registered_at: "Inscrit le (UTC)",
    yes: "oui",
    no: "non",
    statuses: [
        "en attente",
        "validée",
        "liste d'attente",
        "place proposée",
        "refusée",
        "annulée",
    ],
    roles: ["participant", "intervenant", "modérateur", "organisateur"],
};

const NL: Words = Words {
    name: "Naam",
    email: "E-mail",
    organisation: "Organisatie",
    cluster: "Cluster",
    country: "Land",
    status: "Status",
    delegation: "Delegatie",
    role: "Rol",
    registered_at: "Ingeschreven op (UTC)",
    yes: "ja",
    no: "nee",
    statuses: [
        "in afwachting",
        "goedgekeurd",
        "wachtlijst",
        "plaats aangeboden",
        "geweigerd",
        "geannuleerd",
    ],
    roles: ["deelnemer", "spreker", "moderator", "organisator"],
};

const DE: Words = Words {
    name: "Name",
    email: "E-Mail",
    organisation: "Organisation",
    cluster: "Cluster",
    country: "Land",
    status: "Status",
    delegation: "Delegation",
    role: "Rolle",
    registered_at: "Angemeldet am (UTC)",
    yes: "ja",
    no: "nein",
    statuses: [
        "wartet auf Freigabe",
        "freigegeben",
        "Warteliste",
        "Platz angeboten",
        "abgelehnt",
        "storniert",
    ],
    roles: ["Teilnehmende", "Sprecher", "Moderation", "Veranstalter"],
};

fn words(language: Option<&str>) -> &'static Words {
    in_platform_language(language, [&EN, &FR, &NL, &DE])
}

impl Words {
    fn status(&self, status: RegistrationStatus) -> &'static str {
        let index = match status {
            RegistrationStatus::Pending => 0,
            RegistrationStatus::Approved => 1,
            RegistrationStatus::Waitlisted => 2,
            RegistrationStatus::Offered => 3,
            RegistrationStatus::Rejected => 4,
            RegistrationStatus::Cancelled => 5,
        };
        self.statuses[index]
    }

    fn role(&self, role: ConferenceRole) -> &'static str {
        let index = match role {
            ConferenceRole::Attendee => 0,
            ConferenceRole::Speaker => 1,
            ConferenceRole::Moderator => 2,
            ConferenceRole::Organiser => 3,
        };
        self.roles[index]
    }

    /// An answer as the reader reads it: the text, the chosen options' labels, yes or no.
    fn answer(&self, question: &Question, answer: Option<&Value>, preferred: &[&str]) -> String {
        let option = |index: &Value| {
            index
                .as_u64()
                .and_then(|index| question.options.get(index as usize))
                .map(|option| option.best(preferred).to_owned())
                .unwrap_or_default()
        };
        match (question.kind, answer) {
            (_, None) => String::new(),
            (QuestionKind::Text, Some(text)) => text.as_str().unwrap_or_default().to_owned(),
            (QuestionKind::SingleChoice, Some(index)) => option(index),
            (QuestionKind::MultipleChoice, Some(indexes)) => indexes
                .as_array()
                .map(|indexes| indexes.iter().map(option).collect::<Vec<_>>().join("; "))
                .unwrap_or_default(),
            (QuestionKind::Consent, Some(given)) => if given.as_bool().unwrap_or(false) {
                self.yes
            } else {
                self.no
            }
            .to_owned(),
        }
    }
}

/// The registrations matching the filter as CSV, all of them (not a page). Organisers only.
#[utoipa::path(get, path = "/api/conferences/{slug}/registrations.csv", tag = "registrations",
    operation_id = "export_registrations",
    params(ConferenceSlug, RegistrationFilter, ExportLanguage),
    responses((status = 200, description = "The registrations, with their profiles and answers", content_type = "text/csv", body = String),
              (status = 403, description = "Not an organiser of this conference", body = ErrorBody),
              (status = 422, description = "A filter breaks a rule", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn export(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    AppPath(slug): AppPath<String>,
    filter: AfterRoleCheck<AppQuery<RegistrationFilter>>,
    language: AfterRoleCheck<AppQuery<ExportLanguage>>,
) -> AppResult<Response> {
    access.require(ConferenceRole::Organiser)?;
    let AppQuery(filter) = filter?;
    filter.check()?;
    let AppQuery(language) = language?;
    let language = reader_language(language.lang.as_deref())?;
    let preferred: Vec<&str> = language.into_iter().chain(["en"]).collect();
    let words = words(language);
    let questions = questions::fetch(&db, access.conference_id).await?;
    let (_, registrations) = matching(&db, access.conference_id, &filter, None).await?;
    let mut header: Vec<String> = [
        words.name,
        words.email,
        words.organisation,
        words.cluster,
        words.country,
        words.status,
        words.delegation,
        words.role,
        words.registered_at,
    ]
    .map(str::to_owned)
    .into();
    header.extend(
        questions
            .iter()
            .map(|question| question.label.best(&preferred).to_owned()),
    );
    let mut rows = vec![header];
    for registration in registrations {
        let mut row = vec![
            registration.display_name,
            registration.email,
            registration.organisation,
            registration.cluster,
            registration.country.unwrap_or_default(),
            words.status(registration.status).to_owned(),
            registration.delegation.unwrap_or_default(),
            registration
                .role
                .map(|role| words.role(role).to_owned())
                .unwrap_or_default(),
            time(registration.created_at),
        ];
        row.extend(questions.iter().map(|question| {
            words.answer(question, registration.answers.get(&question.id), &preferred)
        }));
        rows.push(row);
    }
    Ok(download(
        "text/csv; charset=utf-8",
        format!("{slug}-registrations.csv"),
        csv_file(rows)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_names_every_status_and_role() {
        for words in [&EN, &FR, &NL, &DE] {
            assert!(words.statuses.iter().all(|status| !status.is_empty()));
            assert!(words.roles.iter().all(|role| !role.is_empty()));
        }
    }
}
