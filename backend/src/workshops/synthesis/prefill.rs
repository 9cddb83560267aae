//! The synthesis' first draft, from the board: the sections in order with their titles,
//! each section's notes by dots (most first), the keyword cloud as a list, and the
//! organisations and countries of the people seated. Profiles record no consent to be
//! named, so the draft names nobody. Each note's point ends with a link back to it
//! (`note:<id>`), which the conference synthesis follows to the group and note.

use std::collections::BTreeSet;
use std::fmt::Write;

use sqlx::PgConnection;
use uuid::Uuid;

use crate::error::AppResult;
use crate::text::LocalizedText;
use crate::workshops::keywords;

/// The draft's own words, in one language.
struct Words {
    language: &'static str,
    dot: &'static str,
    dots: &'static str,
    no_notes: &'static str,
    no_keywords: &'static str,
    taking_part: &'static str,
    people: &'static str,
    person: &'static str,
    no_organisation: &'static str,
}

const WORDS: [Words; 4] = [
    Words {
        language: "en",
        dot: "dot",
        dots: "dots",
        no_notes: "No notes.",
        no_keywords: "No keywords.",
        taking_part: "Taking part",
        people: "people seated",
        person: "person seated",
        no_organisation: "Organisation not given",
    },
    Words {
        language: "fr",
        dot: "gommette",
        dots: "gommettes",
        no_notes: "Aucune note.",
        no_keywords: "Aucun mot-clé.",
        taking_part: "Participants",
        people: "personnes inscrites",
        person: "personne inscrite",
        no_organisation: "Organisation non renseignée",
    },
    Words {
        language: "nl",
        dot: "stip",
        dots: "stippen",
        no_notes: "Geen notities.",
        no_keywords: "Geen trefwoorden.",
        taking_part: "Deelnemers",
        people: "deelnemers",
        person: "deelnemer",
        no_organisation: "Organisatie niet opgegeven",
    },
    Words {
        language: "de",
        dot: "Punkt",
        dots: "Punkte",
        no_notes: "Keine Notizen.",
        no_keywords: "Keine Schlagwörter.",
        taking_part: "Teilnehmende",
        people: "Teilnehmende",
        person: "Teilnehmende Person",
        no_organisation: "Organisation nicht angegeben",
    },
];

fn words(language: &str) -> &'static Words {
    WORDS
        .iter()
        .find(|words| words.language == language)
        .unwrap_or(&WORDS[0])
}

/// The link a point carries back to the note it came from.
pub fn note_link(note_id: Uuid) -> String {
    format!("note:{note_id}")
}

/// Session `session_id`'s board as a Markdown draft in `language`.
pub async fn from_board(
    db: &mut PgConnection,
    session_id: Uuid,
    language: &str,
) -> AppResult<String> {
    let words = words(language);
    let preferred = [language, "en"];
    let title = sqlx::query_scalar!(
        r#"select title as "title: LocalizedText" from sessions where id = $1"#,
        session_id
    )
    .fetch_one(&mut *db)
    .await?;
    let mut out = format!("# {}\n", title.best(&preferred));
    let sections = sqlx::query!(
        r#"select id, kind::text as "kind!", title as "title: LocalizedText"
           from board_sections where session_id = $1 order by position"#,
        session_id
    )
    .fetch_all(&mut *db)
    .await?;
    let notes = sqlx::query!(
        r#"select n.id, n.section_id, n.body, coalesce(sum(d.dots), 0)::int as "dots!"
           from board_notes n left join board_dots d on d.note_id = n.id
           where n.session_id = $1
           group by n.id
           order by 4 desc, n.pinned desc, n.created_at, n.id"#,
        session_id
    )
    .fetch_all(&mut *db)
    .await?;
    for section in sections {
        let _ = write!(out, "\n## {}\n\n", section.title.best(&preferred));
        if section.kind == "keywords" {
            let cloud = keywords::cloud(db, session_id).await?;
            for word in &cloud.words {
                let _ = writeln!(out, "- {} ({})", word.word, word.people);
            }
            if cloud.words.is_empty() {
                let _ = writeln!(out, "_{}_", words.no_keywords);
            }
            continue;
        }
        let mut any = false;
        for note in notes.iter().filter(|note| note.section_id == section.id) {
            any = true;
            let dots = if note.dots == 1 {
                words.dot
            } else {
                words.dots
            };
            // A note's own line breaks stay inside its list item.
            let body = note.body.trim().replace('\n', "\n  ");
            let link = note_link(note.id);
            let _ = writeln!(out, "- {body} · {} {dots} [↗]({link})", note.dots);
        }
        if !any {
            let _ = writeln!(out, "_{}_", words.no_notes);
        }
    }
    out.push_str(&taking_part(db, session_id, words).await?);
    Ok(out)
}

/// The organisations and countries of the people seated, without names.
async fn taking_part(db: &mut PgConnection, session_id: Uuid, words: &Words) -> AppResult<String> {
    let seated = sqlx::query!(
        r#"select coalesce(p.organisation, '') as "organisation!", p.country
           from workshop_seats s left join profiles p on p.user_id = s.user_id
           where s.session_id = $1 and s.status = 'seated'"#,
        session_id
    )
    .fetch_all(db)
    .await?;
    let mut out = format!("\n## {}\n\n", words.taking_part);
    let count = seated.len();
    let people = if count == 1 {
        words.person
    } else {
        words.people
    };
    let _ = writeln!(out, "{count} {people}.\n");
    let organisations: BTreeSet<(String, String)> = seated
        .into_iter()
        .map(|row| {
            let organisation = row.organisation.trim();
            let organisation = if organisation.is_empty() {
                words.no_organisation.to_owned()
            } else {
                organisation.to_owned()
            };
            (row.country.unwrap_or_default(), organisation)
        })
        .collect();
    for (country, organisation) in organisations {
        if country.is_empty() {
            let _ = writeln!(out, "- {organisation}");
        } else {
            let _ = writeln!(out, "- {organisation} ({country})");
        }
    }
    Ok(out)
}
