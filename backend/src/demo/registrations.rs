//! The demo conference's registrations: everyone already in it registered and approved, a
//! registration form with the organisers' questions, a capacity, and the Flemish delegation
//! of `../shared/seeds/000_*` with the demo attendee as its lead.

use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use super::localized;

/// Seats for attendees at the demo conference.
const CAPACITY: i32 = 1200;
/// The Flemish delegation's seats and invite code (fixed, so the README can name it).
const DELEGATION_SEATS: i32 = 12;
pub const DELEGATION_CODE: &str = "FLANDERS26";

pub async fn load(
    tx: &mut PgConnection,
    conference_id: Uuid,
    lead_id: Uuid,
    belgian_attendees: &[Uuid],
) -> anyhow::Result<()> {
    sqlx::query!(
        "update conferences set capacity = $2 where id = $1",
        conference_id,
        CAPACITY
    )
    .execute(&mut *tx)
    .await?;
    let delegation_id = Uuid::new_v4();
    sqlx::query!(
        "insert into delegations (id, conference_id, name, seats, code, lead_id) values ($1, $2, $3, $4, $5, $6)",
        delegation_id,
        conference_id,
        "Flemish industry federations",
        DELEGATION_SEATS,
        DELEGATION_CODE,
        lead_id
    )
    .execute(&mut *tx)
    .await?;
    let questions = [
        (
            "consent",
            [
                "List me in the attendee directory",
                "M'inscrire dans l'annuaire des participants",
                "Mij opnemen in de deelnemerslijst",
                "Mich ins Teilnehmerverzeichnis aufnehmen",
            ],
            json!([]),
        ),
        (
            "consent",
            [
                "Show my organisation in the working groups' syntheses",
                "Montrer mon organisation dans les synthèses des ateliers",
                "Mijn organisatie tonen in de syntheses van de werkgroepen",
                "Meine Organisation in den Synthesen der Arbeitsgruppen nennen",
            ],
            json!([]),
        ),
        (
            "single_choice",
            [
                "Which track do you follow?",
                "Quel parcours suivez-vous ?",
                "Welk traject volgt u?",
                "Welchem Themenstrang folgen Sie?",
            ],
            json!([
                localized([
                    "Industry and clusters",
                    "Industrie et clusters",
                    "Industrie en clusters",
                    "Industrie und Cluster"
                ]),
                localized([
                    "Regions and policy",
                    "Régions et politiques",
                    "Regio's en beleid",
                    "Regionen und Politik"
                ]),
            ]),
        ),
        (
            "text",
            [
                "What would you like to find at the conference?",
                "Que souhaitez-vous trouver à la conférence ?",
                "Wat hoopt u op de conferentie te vinden?",
                "Was möchten Sie auf der Konferenz finden?",
            ],
            json!([]),
        ),
    ];
    let mut directory_question = None;
    for (position, (kind, label, options)) in (0_i32..).zip(questions) {
        let id = Uuid::new_v4();
        directory_question.get_or_insert(id);
        sqlx::query(
            "insert into registration_questions (id, conference_id, position, kind, label, options, required)
             values ($1, $2, $3, $4::registration_question_kind, $5, $6, false)",
        )
        .bind(id)
        .bind(conference_id)
        .bind(position)
        .bind(kind)
        .bind(sqlx::types::Json(localized(label)))
        .bind(options)
        .execute(&mut *tx)
        .await?;
    }
    // Everyone in the conference registered, said yes to the directory, and was approved;
    // the Belgian attendees and the lead through the Flemish delegation.
    let answers = json!({ directory_question.unwrap_or_default().to_string(): true });
    let mut delegates: Vec<Uuid> = belgian_attendees.to_vec();
    delegates.push(lead_id);
    delegates.truncate(DELEGATION_SEATS as usize);
    sqlx::query!(
        "insert into registrations (id, conference_id, user_id, status, answers, delegation_id, delegation_seat)
         select gen_random_uuid(), conference_id, user_id, 'approved', $2,
                case when user_id = any ($3) then $4::uuid end, user_id = any ($3)
         from conference_members where conference_id = $1",
        conference_id,
        answers,
        &delegates,
        delegation_id
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}
