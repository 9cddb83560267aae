//! A board written without the commands but as they write it (each note and keyword
//! counted to its author): the demo conference's textile workshop (`viaduc demo`) arrives
//! with the notes, dots and keywords of the real cross-border workshop in
//! `shared/seeds/001_*`, so a facilitator can go on from there.

use sqlx::PgConnection;
use uuid::Uuid;

use super::wire::{NoteColour, SeatStatus, SectionKind};
use super::{board, keywords, notes, sections};
use crate::error::AppResult;
use crate::text::LocalizedText;

/// A prompt question in two languages: `[("fr", "…"), ("nl", "…")]`.
pub type Prompt<'a> = [(&'a str, &'a str); 2];

/// A note: its section (by position), text, language and dots.
pub type DemoNote<'a> = (usize, &'a str, &'a str, i16);

/// A board's contents: per section (by position), its prompt questions; its notes; the
/// keywords, each with how many people proposed it.
pub struct DemoBoard<'a> {
    pub prompts: &'a [(usize, &'a [Prompt<'a>])],
    pub notes: &'a [DemoNote<'a>],
    pub keywords: &'a [(&'a str, usize)],
}

/// Seats `people` in working group `session_id` and fills its board with `contents`, the
/// notes' authors and the keywords' proposers taken from `people` in turn.
pub async fn filled_board(
    db: &mut PgConnection,
    session_id: Uuid,
    people: &[Uuid],
    contents: &DemoBoard<'_>,
) -> AppResult<()> {
    sqlx::query!(
        "insert into workshop_seats (session_id, user_id, status)
         select $1, unnest($2::uuid[]), $3",
        session_id,
        people,
        SeatStatus::Seated as SeatStatus
    )
    .execute(&mut *db)
    .await?;
    board::insert(db, session_id).await?;
    sqlx::query!(
        "update boards set keywords_per_person = 5 where session_id = $1",
        session_id
    )
    .execute(&mut *db)
    .await?;
    let sections = sections::all(db, session_id).await?;
    for (at, prompts) in contents.prompts {
        let prompts: Vec<LocalizedText> = prompts
            .iter()
            .map(|texts| {
                LocalizedText(
                    texts
                        .iter()
                        .map(|(language, text)| (language.to_string(), text.to_string()))
                        .collect(),
                )
            })
            .collect();
        sqlx::query!(
            "update board_sections set prompts = $2 where id = $1",
            sections[*at].id,
            sqlx::types::Json(&prompts) as _
        )
        .execute(&mut *db)
        .await?;
    }
    // The dots of a round already closed: the group voted before the break.
    let round = Uuid::new_v4();
    sqlx::query!(
        "insert into board_rounds (id, session_id, dots, closed_at) values ($1, $2, 3, now())",
        round,
        session_id
    )
    .execute(&mut *db)
    .await?;
    let colours = [
        NoteColour::Yellow,
        NoteColour::Blue,
        NoteColour::Green,
        NoteColour::Pink,
    ];
    let mut voter = 0;
    for (n, (at, body, language, dots)) in contents.notes.iter().enumerate() {
        let section = &sections[*at];
        debug_assert_eq!(section.kind, SectionKind::Notes);
        let written = notes::Written {
            section_id: section.id,
            body,
            language,
            colour: colours[*at % colours.len()],
        };
        let id = notes::insert(db, session_id, people[n % people.len()], &written).await?;
        for _ in 0..*dots {
            let user_id = people[voter % people.len()];
            voter += 1;
            sqlx::query!(
                "insert into board_voters (round_id, user_id, spent) values ($1, $2, 1)
                 on conflict (round_id, user_id) do update set spent = board_voters.spent + 1",
                round,
                user_id
            )
            .execute(&mut *db)
            .await?;
            sqlx::query!(
                "insert into board_dots (round_id, note_id, user_id, dots) values ($1, $2, $3, 1)
                 on conflict (round_id, note_id, user_id) do update set dots = board_dots.dots + 1",
                round,
                id,
                user_id
            )
            .execute(&mut *db)
            .await?;
        }
    }
    let mut proposer = 0;
    for (word, people_count) in contents.keywords {
        for _ in 0..*people_count {
            keywords::insert(db, session_id, people[proposer % people.len()], word).await?;
            proposer += 1;
        }
    }
    Ok(())
}
