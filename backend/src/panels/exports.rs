//! What the people who run a session take home from it: every question with its votes (CSV
//! and Markdown), the polls' results (CSV) and who came (CSV), with headings and words in
//! the reader's language. CSV cells that a spreadsheet would run as a formula are
//! neutralised.

use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use sqlx::PgPool;
use utoipa::IntoParams;
use uuid::Uuid;

use super::wire::QuestionStatus;
use crate::conference::live::{session_rights, session_room};
use crate::conference::sessions::fetch_session;
use crate::conference::{ConferenceAccess, ConferenceSlug};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::http::files::{csv_file, download, time};
use crate::http::{AppPath, AppQuery};
use crate::realtime::room::MODERATOR;
use crate::text::{in_platform_language, reader_language};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportOptions {
    /// The reader's language (ISO 639-1) for headings and words; English otherwise. Titles
    /// come in it when they have it.
    #[param(example = "fr", pattern = "^[a-z]{2}$")]
    pub lang: Option<String>,
}

/// The words of an export, in one language.
struct Words {
    question: &'static str,
    votes: &'static str,
    status: &'static str,
    language: &'static str,
    asked_by: &'static str,
    anonymous: &'static str,
    edited: &'static str,
    asked_at: &'static str,
    yes: &'static str,
    no: &'static str,
    questions_of: &'static str,
    no_questions: &'static str,
    poll: &'static str,
    option: &'static str,
    answers: &'static str,
    percent: &'static str,
    people_answering: &'static str,
    name: &'static str,
    first_seen: &'static str,
    last_seen: &'static str,
    here_now: &'static str,
    /// pending, approved, answering, answered, hidden, merged.
    statuses: [&'static str; 6],
    /// draft, open, closed.
    poll_statuses: [&'static str; 3],
}

const EN: Words = Words {
    question: "Question",
    votes: "Votes",
    status: "Status",
    language: "Language",
    asked_by: "Asked by",
    anonymous: "Anonymous",
    edited: "Edited",
    asked_at: "Asked at (UTC)",
    yes: "yes",
    no: "no",
    questions_of: "Questions",
    no_questions: "No questions were asked.",
    poll: "Poll",
    option: "Option",
    answers: "Answers",
    percent: "Percent of people answering",
    people_answering: "People answering",
    name: "Name",
    first_seen: "First seen (UTC)",
    last_seen: "Last seen (UTC)",
    here_now: "Here now",
    statuses: [
        "waiting for approval",
        "approved",
        "now answering",
        "answered",
        "hidden",
        "merged",
    ],
    poll_statuses: ["draft", "open", "closed"],
};

const FR: Words = Words {
    question: "Question",
    votes: "Votes",
    status: "Statut",
    language: "Langue",
    asked_by: "Posée par",
    anonymous: "Anonyme",
    edited: "Modifiée",
    asked_at: "Posée le (UTC)",
    yes: "oui",
    no: "non",
    questions_of: "Questions",
    no_questions: "Aucune question n'a été posée.",
    poll: "Sondage",
    option: "Option",
    answers: "Réponses",
    percent: "Pourcentage des participants",
    people_answering: "Participants",
    name: "Nom",
    first_seen: "Première présence (UTC)",
    last_seen: "Dernière présence (UTC)",
    here_now: "Présent maintenant",
    statuses: [
        "en attente d'approbation",
        "approuvée",
        "en cours de réponse",
        "répondue",
        "masquée",
        "fusionnée",
    ],
    poll_statuses: ["brouillon", "ouvert", "clos"],
};

const NL: Words = Words {
    question: "Vraag",
    votes: "Stemmen",
    status: "Status",
    language: "Taal",
    asked_by: "Gesteld door",
    anonymous: "Anoniem",
    edited: "Bewerkt",
    asked_at: "Gesteld op (UTC)",
    yes: "ja",
    no: "nee",
    questions_of: "Vragen",
    no_questions: "Er werden geen vragen gesteld.",
    poll: "Peiling",
    option: "Optie",
    answers: "Antwoorden",
    percent: "Percentage van de deelnemers",
    people_answering: "Deelnemers",
    name: "Naam",
    first_seen: "Eerst gezien (UTC)",
    last_seen: "Laatst gezien (UTC)",
    here_now: "Nu aanwezig",
    statuses: [
        "wacht op goedkeuring",
        "goedgekeurd",
        "wordt nu beantwoord",
        "beantwoord",
        "verborgen",
        "samengevoegd",
    ],
    poll_statuses: ["concept", "open", "gesloten"],
};

const DE: Words = Words {
    question: "Frage",
    votes: "Stimmen",
    status: "Status",
    language: "Sprache",
    asked_by: "Gestellt von",
    anonymous: "Anonym",
    edited: "Bearbeitet",
    asked_at: "Gestellt am (UTC)",
    yes: "ja",
    no: "nein",
    questions_of: "Fragen",
    no_questions: "Es wurden keine Fragen gestellt.",
    poll: "Umfrage",
    option: "Option",
    answers: "Antworten",
    percent: "Prozent der Teilnehmenden",
    people_answering: "Teilnehmende",
    name: "Name",
    first_seen: "Zuerst gesehen (UTC)",
    last_seen: "Zuletzt gesehen (UTC)",
    here_now: "Jetzt anwesend",
    statuses: [
        "wartet auf Freigabe",
        "freigegeben",
        "wird gerade beantwortet",
        "beantwortet",
        "ausgeblendet",
        "zusammengeführt",
    ],
    poll_statuses: ["Entwurf", "offen", "geschlossen"],
};

fn words(language: Option<&str>) -> &'static Words {
    in_platform_language(language, [&EN, &FR, &NL, &DE])
}

impl Words {
    fn status(&self, status: QuestionStatus) -> &'static str {
        let index = match status {
            QuestionStatus::Pending => 0,
            QuestionStatus::Approved => 1,
            QuestionStatus::Answering => 2,
            QuestionStatus::Answered => 3,
            QuestionStatus::Hidden => 4,
            QuestionStatus::Merged => 5,
        };
        self.statuses[index]
    }

    fn yes_no(&self, value: bool) -> &'static str {
        if value {
            self.yes
        } else {
            self.no
        }
    }
}

/// A session the caller runs, and the words and title of its export.
struct Export {
    session_id: Uuid,
    title: String,
    /// The file name's stem: `<conference slug>-<first 8 characters of the session id>`.
    stem: String,
    words: &'static Words,
}

/// The session if the caller runs it (holds `moderator` in it); otherwise it does not
/// exist for them (attendees must not learn who asked, or who came).
async fn export_of(
    db: &PgPool,
    access: &ConferenceAccess,
    slug: &str,
    session_id: Uuid,
    options: &ExportOptions,
) -> AppResult<Export> {
    let language = reader_language(options.lang.as_deref())?;
    let session = fetch_session(db, access, session_id).await?;
    let rights = session_rights(db, access.user.id, session_id).await?;
    if !rights.has(MODERATOR) {
        return Err(AppError::Forbidden(
            "only the session's moderators can export it",
        ));
    }
    let preferred: Vec<&str> = language.into_iter().chain(["en"]).collect();
    let short = session_id.simple().to_string();
    Ok(Export {
        session_id,
        title: session.title.best(&preferred).to_owned(),
        stem: format!("{slug}-{}", &short[..8]),
        words: words(language),
    })
}

/// `rows` as the CSV attachment `<stem>-<what>.csv`.
fn csv_download(export: &Export, what: &str, rows: Vec<Vec<String>>) -> AppResult<Response> {
    let file_name = format!("{}-{what}.csv", export.stem);
    let body = csv_file(rows)?;
    Ok(download("text/csv; charset=utf-8", file_name, body))
}

struct ExportedQuestion {
    body: String,
    votes: i64,
    status: QuestionStatus,
    language: String,
    author: String,
    anonymous: bool,
    edited: bool,
    created_at: DateTime<Utc>,
}

/// Every question of the session, most voted first.
async fn questions(db: &PgPool, session_id: Uuid) -> AppResult<Vec<ExportedQuestion>> {
    Ok(sqlx::query_as!(
        ExportedQuestion,
        r#"select q.body, q.status as "status: QuestionStatus", q.language, q.anonymous, q.edited,
                  q.created_at, u.display_name as author,
                  (select count(*) from question_votes v where v.question_id = q.id) as "votes!"
           from questions q join users u on u.id = q.author_id
           where q.session_id = $1
           order by 8 desc, q.created_at, q.id"#,
        session_id
    )
    .fetch_all(db)
    .await?)
}

/// Every question of the session with its votes, as CSV.
#[utoipa::path(get, path = "/api/conferences/{slug}/sessions/{id}/questions.csv", tag = "panels",
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The session's id"), ExportOptions),
    responses((status = 200, description = "The questions, most voted first (attachment)",
               content_type = "text/csv", body = String),
              (status = 403, description = "Not one of the session's moderators", body = ErrorBody),
              (status = 404, description = "No such session (or not visible to the caller)", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn questions_csv(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    AppPath((slug, id)): AppPath<(String, Uuid)>,
    AppQuery(options): AppQuery<ExportOptions>,
) -> AppResult<Response> {
    let export = export_of(&db, &access, &slug, id, &options).await?;
    let w = export.words;
    let mut rows = vec![[
        w.question,
        w.votes,
        w.status,
        w.language,
        w.asked_by,
        w.anonymous,
        w.edited,
        w.asked_at,
    ]
    .map(str::to_owned)
    .to_vec()];
    for q in questions(&db, export.session_id).await? {
        rows.push(vec![
            q.body,
            q.votes.to_string(),
            w.status(q.status).to_owned(),
            q.language,
            q.author,
            w.yes_no(q.anonymous).to_owned(),
            w.yes_no(q.edited).to_owned(),
            time(q.created_at),
        ]);
    }
    csv_download(&export, "questions", rows)
}

/// Every question of the session with its votes, as a Markdown list.
#[utoipa::path(get, path = "/api/conferences/{slug}/sessions/{id}/questions.md", tag = "panels",
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The session's id"), ExportOptions),
    responses((status = 200, description = "The questions, most voted first (attachment)",
               content_type = "text/markdown", body = String),
              (status = 403, description = "Not one of the session's moderators", body = ErrorBody),
              (status = 404, description = "No such session (or not visible to the caller)", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn questions_markdown(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    AppPath((slug, id)): AppPath<(String, Uuid)>,
    AppQuery(options): AppQuery<ExportOptions>,
) -> AppResult<Response> {
    let export = export_of(&db, &access, &slug, id, &options).await?;
    let w = export.words;
    let questions = questions(&db, export.session_id).await?;
    let mut out = format!("# {} — {}\n\n", w.questions_of, export.title);
    if questions.is_empty() {
        out.push_str(w.no_questions);
        out.push('\n');
    }
    for (rank, q) in questions.iter().enumerate() {
        let author = if q.anonymous {
            format!(
                "{} ({})",
                markdown_text(&q.author),
                w.anonymous.to_lowercase()
            )
        } else {
            markdown_text(&q.author)
        };
        // One line per question: line breaks in a question would start new list items.
        let body = q.body.split_whitespace().collect::<Vec<_>>().join(" ");
        out.push_str(&format!(
            "{}. **{}** · {} {} · {} · {} · `{}`{}\n",
            rank + 1,
            markdown_text(&body),
            q.votes,
            w.votes.to_lowercase(),
            w.status(q.status),
            author,
            q.language,
            if q.edited {
                format!(" · {}", w.edited.to_lowercase())
            } else {
                String::new()
            }
        ));
    }
    let file_name = format!("{}-questions.md", export.stem);
    Ok(download(
        "text/markdown; charset=utf-8",
        file_name,
        out.into_bytes(),
    ))
}

/// Text as Markdown shows it literally (no emphasis, links or HTML of its own).
fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\`*_{}[]()<>#+-.!|~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The results of every poll of the session, one row per option, as CSV.
#[utoipa::path(get, path = "/api/conferences/{slug}/sessions/{id}/polls.csv", tag = "panels",
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The session's id"), ExportOptions),
    responses((status = 200, description = "The polls' results (attachment)",
               content_type = "text/csv", body = String),
              (status = 403, description = "Not one of the session's moderators", body = ErrorBody),
              (status = 404, description = "No such session (or not visible to the caller)", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn polls_csv(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    AppPath((slug, id)): AppPath<(String, Uuid)>,
    AppQuery(options): AppQuery<ExportOptions>,
) -> AppResult<Response> {
    let export = export_of(&db, &access, &slug, id, &options).await?;
    let w = export.words;
    let results = sqlx::query!(
        r#"select p.question, p.status as "status: super::wire::PollStatus", o.label,
                  (select count(*) from poll_choices c
                   where c.poll_id = o.poll_id and c.position = o.position) as "chosen!",
                  (select count(*) from poll_answers a where a.poll_id = p.id) as "answering!"
           from polls p join poll_options o on o.poll_id = p.id
           where p.session_id = $1
           order by p.created_at, p.id, o.position"#,
        export.session_id
    )
    .fetch_all(&db)
    .await?;
    let mut rows = vec![[
        w.poll,
        w.status,
        w.option,
        w.answers,
        w.percent,
        w.people_answering,
    ]
    .map(str::to_owned)
    .to_vec()];
    for row in results {
        let percent = if row.answering > 0 {
            format!("{:.1}", 100.0 * row.chosen as f64 / row.answering as f64)
        } else {
            "0.0".to_owned()
        };
        let status = match row.status {
            super::wire::PollStatus::Draft => 0,
            super::wire::PollStatus::Open => 1,
            super::wire::PollStatus::Closed => 2,
        };
        rows.push(vec![
            row.question,
            w.poll_statuses[status].to_owned(),
            row.label,
            row.chosen.to_string(),
            percent,
            row.answering.to_string(),
        ]);
    }
    csv_download(&export, "polls", rows)
}

/// Who came to the session, first and last seen, as CSV.
#[utoipa::path(get, path = "/api/conferences/{slug}/sessions/{id}/attendance.csv", tag = "panels",
    params(ConferenceSlug, ("id" = Uuid, Path, description = "The session's id"), ExportOptions),
    responses((status = 200, description = "Everyone who came, in order of arrival (attachment)",
               content_type = "text/csv", body = String),
              (status = 403, description = "Not one of the session's moderators", body = ErrorBody),
              (status = 404, description = "No such session (or not visible to the caller)", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn attendance_csv(
    State(db): State<PgPool>,
    access: ConferenceAccess,
    AppPath((slug, id)): AppPath<(String, Uuid)>,
    AppQuery(options): AppQuery<ExportOptions>,
) -> AppResult<Response> {
    let export = export_of(&db, &access, &slug, id, &options).await?;
    let w = export.words;
    let people =
        crate::realtime::presence::attendance(&db, session_room(export.session_id)).await?;
    let mut rows = vec![[w.name, w.first_seen, w.last_seen, w.here_now]
        .map(str::to_owned)
        .to_vec()];
    for person in people {
        rows.push(vec![
            person.display_name,
            time(person.first_seen),
            time(person.last_seen),
            w.yes_no(person.here).to_owned(),
        ]);
    }
    csv_download(&export, "attendance", rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_shows_text_literally() {
        assert_eq!(
            markdown_text("*bold* [link](x) <b>"),
            r"\*bold\* \[link\]\(x\) \<b\>"
        );
    }

    #[test]
    fn every_language_names_every_status() {
        for words in [&EN, &FR, &NL, &DE] {
            assert!(words.statuses.iter().all(|status| !status.is_empty()));
            assert_eq!(words.yes_no(true), words.yes);
        }
    }
}
