//! The demo's textile workshop, as the real cross-border workshop of the Eurometropolis
//! innovation clusters platform left it (`shared/seeds/001_*`): its four questions, its
//! findings, proposals and roadmap in French and Dutch, the dots of a first round, and its
//! keywords. The demo attendee has a seat, so their login opens the board.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::workshops::seed::{filled_board, DemoBoard};

const QUESTIONS: usize = 0;
const FINDINGS: usize = 1;
const PROPOSALS: usize = 2;
const ROADMAP: usize = 3;

const PROMPTS: &[[(&str, &str); 2]] = &[
    [("fr", "Freins et barrières à lever pour aller plus loin dans la coopération transfrontalière"),
     ("nl", "Weg te werken remmen en barrières om verder te gaan in de grensoverschrijdende samenwerking")],
    [("fr", "Comment financer une joint venture transfrontalière ?"),
     ("nl", "Hoe een grensoverschrijdende joint venture financieren?")],
    [("fr", "Comment intégrer une entreprise dans un pôle de l'autre côté de la frontière ?"),
     ("nl", "Hoe een onderneming integreren in een competentiepool aan de andere kant van de grens?")],
    [("fr", "Autres aspects et propositions pour faire fonctionner un cluster transfrontalier « textile – matériaux innovants – design »"),
     ("nl", "Andere aspecten en voorstellen om een grensoverschrijdende cluster « textiel – innoverende materialen – design » te laten functioneren")],
];

/// (section, text, language, dots).
const NOTES: &[(usize, &str, &str, i16)] = &[
    (QUESTIONS, "Quelle valeur ajoutée pour la plate-forme des clusters d'innovation de l'Eurométropole ?", "fr", 2),
    (QUESTIONS, "Wat zijn we bereid te doen om het platform te ondersteunen?", "nl", 1),
    (FINDINGS, "Une plate-forme d'innovation pas seulement technologique, qui fasse évoluer le service ou le produit", "fr", 3),
    (FINDINGS, "Travail plus facile entre France et Wallonie qu'entre Wallonie et Flandre", "fr", 2),
    (FINDINGS, "Moeilijk om de gesprekspartners aan de andere kant van de grens te vinden", "nl", 4),
    (FINDINGS, "Règles de marchés publics divergentes", "fr", 3),
    (FINDINGS, "Confidentialité problématique", "fr", 0),
    (FINDINGS, "Weinig kennis van de grensoverschrijdende initiatieven", "nl", 1),
    (FINDINGS, "Avoir l'envie de travailler ensemble !", "fr", 2),
    (FINDINGS, "Complexité administrative, réflexe régionaliste", "fr", 1),
    (PROPOSALS, "Veille et apprentissage : des journées thématiques trans-sectorielles pour « ouvrir les yeux »", "fr", 3),
    (PROPOSALS, "Bedrijvenbestanden bundelen om beter te communiceren: één volledige databank van de actoren", "nl", 4),
    (PROPOSALS, "Dissémination : un prix aux entreprises qui innovent en coopération, un label Eurométropole", "fr", 2),
    (PROPOSALS, "Fonctionnement : simplifier les procédures, avancer sur la réglementation des marchés publics", "fr", 2),
    (ROADMAP, "1er chantier transversal : le design (Design Regio, 3.pode, Wallonie Design, Lille Métropole)", "fr", 2),
    (ROADMAP, "Ouvrir la gouvernance du pôle Up-tex aux partenaires belges, vers un cluster textile transfrontalier", "fr", 3),
    (ROADMAP, "Invest in Eurometropolis: samen buitenlandse investeerders aantrekken", "nl", 1),
    (ROADMAP, "Eurométropole guichet unique : une plate-forme à quatre comptoirs (projets, finances, savoir-faire, appels à projets)", "fr", 0),
];

/// The seven keywords of the seed's workshop (and its "visibility"), each with how many
/// people proposed it.
const KEYWORDS: &[(&str, usize)] = &[
    ("Décloisonnement", 6),
    ("Comptoir", 5),
    ("Viaduc", 4),
    ("Vitrine", 4),
    ("Transversal", 3),
    ("Creuset", 3),
    ("Connaissance", 2),
    ("Communication", 2),
    ("Élévateur", 1),
    ("Visibilité", 1),
];

/// Seats `people` in the workshop `session_id` and fills its board.
pub async fn load(db: &mut PgConnection, session_id: Uuid, people: &[Uuid]) -> anyhow::Result<()> {
    let contents = DemoBoard {
        prompts: &[(QUESTIONS, PROMPTS)],
        notes: NOTES,
        keywords: KEYWORDS,
    };
    filled_board(db, session_id, people, &contents).await?;
    Ok(())
}
