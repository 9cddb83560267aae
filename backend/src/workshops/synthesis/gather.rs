//! The conference synthesis for the plenary report-back: the latest published synthesis of
//! every working group gathered into one Markdown document, each group under its own
//! heading with a link to its page of the Outcomes, and each point that came from a sticky
//! note linked to that group's board and note (unlike breakout rooms whose notes vanish
//! when they close, or results that no longer say which meeting produced them).

use std::fmt::Write;
use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use sqlx::PgPool;
use utoipa::IntoParams;
use uuid::Uuid;

use super::outcomes::{markdown_attachment, readable};
use crate::auth::AuthUser;
use crate::conference::ConferenceSlug;
use crate::error::{AppResult, ErrorBody};
use crate::http::{AppPath, AppQuery, Site};
use crate::text::{reader_language, LocalizedText};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GatherOptions {
    /// The reader's language (ISO 639-1) for the words and titles; English otherwise.
    #[param(example = "fr", pattern = "^[a-z]{2}$")]
    pub lang: Option<String>,
}

struct Words {
    conference_synthesis: &'static str,
    version: &'static str,
    published_by: &'static str,
    group_page: &'static str,
    nothing_yet: &'static str,
}

fn words(language: Option<&str>) -> Words {
    match language {
        Some("fr") => Words {
            conference_synthesis: "Synthèse de la conférence",
            version: "Version",
            published_by: "publiée par",
            group_page: "Page du groupe",
            nothing_yet: "Aucun groupe de travail n'a encore publié de synthèse.",
        },
        Some("nl") => Words {
            conference_synthesis: "Synthese van de conferentie",
            version: "Versie",
            published_by: "gepubliceerd door",
            group_page: "Pagina van de groep",
            nothing_yet: "Nog geen werkgroep heeft een synthese gepubliceerd.",
        },
        Some("de") => Words {
            conference_synthesis: "Synthese der Konferenz",
            version: "Fassung",
            published_by: "veröffentlicht von",
            group_page: "Seite der Gruppe",
            nothing_yet: "Noch keine Arbeitsgruppe hat eine Synthese veröffentlicht.",
        },
        _ => Words {
            conference_synthesis: "Conference synthesis",
            version: "Version",
            published_by: "published by",
            group_page: "The group's page",
            nothing_yet: "No working group has published a synthesis yet.",
        },
    }
}

/// Where a group's points lead: its page of the Outcomes, and its board's notes.
struct GroupLinks<'a> {
    title: &'a str,
    /// `<site>/c/<slug>`.
    conference_url: &'a str,
    session_id: Uuid,
}

/// A group's Markdown inside the conference synthesis: without its own title (the first
/// line when it is a top-level heading: the group's heading says it), its headings one
/// level down, and each `note:<id>` link pointing at the note on the group's board, named
/// after the group.
fn nested(markdown: &str, links: &GroupLinks<'_>) -> String {
    let note_url = format!(
        "{}/sessions/{}#note-",
        links.conference_url, links.session_id
    );
    let mut out = String::with_capacity(markdown.len() + 64);
    let mut in_code = false;
    let markdown = markdown.trim_start();
    let body = match markdown.split_once('\n') {
        Some((first, rest)) if first.starts_with("# ") => rest.trim_start_matches('\n'),
        None if markdown.starts_with("# ") => "",
        _ => markdown,
    };
    for line in body.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        }
        if !in_code && line.starts_with('#') && line.trim_start_matches('#').starts_with(' ') {
            let level = line.len() - line.trim_start_matches('#').len();
            if level < 6 {
                out.push('#');
            }
        }
        let line = if in_code {
            line.to_owned()
        } else {
            line.replace("[↗](note:", &format!("[↗ {}](note:", links.title))
                .replace("](note:", &format!("]({note_url}"))
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[utoipa::path(get, path = "/api/conferences/{slug}/outcomes/synthesis.md", tag = "outcomes",
    operation_id = "conference_synthesis",
    security((), ("access_cookie" = []), ("bearer_token" = [])),
    params(ConferenceSlug, GatherOptions),
    responses((status = 200, description = "Every working group's latest synthesis in one document, each point linked to its group and note (attachment)",
               content_type = "text/markdown", body = String),
              (status = 401, description = "Not logged in, and the outcomes are not public", body = ErrorBody),
              (status = 403, description = "Not a member, and the outcomes are not public", body = ErrorBody),
              (status = 404, description = "No such conference", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn conference_synthesis(
    State(db): State<PgPool>,
    State(site): State<Arc<Site>>,
    user: Option<AuthUser>,
    AppPath(slug): AppPath<String>,
    AppQuery(options): AppQuery<GatherOptions>,
) -> AppResult<Response> {
    let readable = readable(&db, &slug, user.as_ref()).await?;
    let language = reader_language(options.lang.as_deref())?;
    let preferred = [language.unwrap_or("en"), "en"];
    let words = words(language);
    let conference_title = sqlx::query_scalar!(
        r#"select title as "title: LocalizedText" from conferences where id = $1"#,
        readable.conference_id
    )
    .fetch_one(&db)
    .await?;
    let conference_url = format!("{}/c/{slug}", site.public_url.trim_end_matches('/'));
    let mut out = format!(
        "# {} — {}\n",
        conference_title.best(&preferred),
        words.conference_synthesis
    );
    let groups = readable.latest_of_each(&db).await?;
    if groups.is_empty() {
        let _ = write!(out, "\n_{}_\n", words.nothing_yet);
    }
    for group in &groups {
        let title = group.title.best(&preferred);
        let version = &group.latest.version;
        let _ = write!(
            out,
            "\n## {title}\n\n_{} {}, {} {} {}_ · [{}]({conference_url}/outcomes#group-{})\n\n",
            words.version,
            version.number,
            version.published_at.format("%Y-%m-%d"),
            words.published_by,
            version.published_by,
            words.group_page,
            group.session_id
        );
        let links = GroupLinks {
            title,
            conference_url: &conference_url,
            session_id: group.session_id,
        };
        out.push_str(&nested(&group.latest.markdown, &links));
    }
    Ok(markdown_attachment(format!("{slug}-synthesis.md"), out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_nests_one_level_down_and_its_points_lead_to_their_notes() {
        let note = Uuid::nil();
        let markdown = format!(
            "# Skills\n\n## Findings\n\n- Shared training · 3 dots [↗](note:{note})\n\
             ```\n# not a heading\n```\n###### Deep\n"
        );
        let session_id = Uuid::from_u128(7);
        let links = GroupLinks {
            title: "Skills",
            conference_url: "https://viaduc.example/c/ecc-2026",
            session_id,
        };
        assert_eq!(
            nested(&markdown, &links),
            format!(
                "### Findings\n\n- Shared training · 3 dots \
                 [↗ Skills](https://viaduc.example/c/ecc-2026/sessions/{session_id}#note-{note})\n\
                 ```\n# not a heading\n```\n###### Deep\n"
            )
        );
    }
}
