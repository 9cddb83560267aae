//! The demo programme: three days of a European cluster conference, in four languages.

use crate::conference::sessions::{SessionKind, SessionRole, Visibility};

pub struct DemoSession {
    pub day: u32,
    pub start: (u32, u32),
    pub end: (u32, u32),
    pub kind: SessionKind,
    /// English, French, Dutch, German.
    pub title: [&'static str; 4],
    pub description: [&'static str; 4],
    pub languages: &'static [&'static str],
    pub visibility: Visibility,
    pub venue: Option<(&'static str, &'static str)>,
    pub capacity: Option<i32>,
    /// Demo accounts (by index into `people::PEOPLE`, or the role accounts) running it.
    pub people: &'static [(Host, SessionRole)],
}

#[derive(Clone, Copy)]
pub enum Host {
    Moderator,
    Speaker,
    Attendee(usize),
}

use Host::*;
use SessionKind::*;
use SessionRole as R;
use Visibility::*;

const NO_TEXT: [&str; 4] = ["", "", "", ""];

pub const PROGRAMME: &[DemoSession] = &[
    DemoSession { day: 0, start: (9, 0), end: (9, 45), kind: Plenary,
        title: ["Opening plenary: clusters for a resilient Europe", "Plénière d'ouverture : des clusters pour une Europe résiliente", "Openingsplenaire: clusters voor een veerkrachtig Europa", "Eröffnungsplenum: Cluster für ein widerstandsfähiges Europa"],
        description: ["Welcome by the organisers and the European Commission, and the programme of the three days.", "Accueil par les organisateurs et la Commission européenne, et programme des trois journées.", "Welkom door de organisatoren en de Europese Commissie, en het programma van de drie dagen.", "Begrüßung durch die Veranstalter und die Europäische Kommission sowie das Programm der drei Tage."],
        languages: &["en"], visibility: Public, venue: None, capacity: None, people: &[(Moderator, R::Moderator), (Speaker, R::Speaker)] },
    DemoSession { day: 0, start: (10, 0), end: (11, 15), kind: Panel,
        title: ["Cross-border cooperation: lifting the barriers", "Coopération transfrontalière : lever les freins", "Grensoverschrijdende samenwerking: drempels wegwerken", "Grenzüberschreitende Zusammenarbeit: Hürden abbauen"],
        description: ["Cluster managers from France, Belgium and Germany on public procurement rules, confidentiality and the regionalist reflex.", "Des managers de clusters de France, de Belgique et d'Allemagne sur les marchés publics, la confidentialité et le réflexe régionaliste.", "Clustermanagers uit Frankrijk, België en Duitsland over overheidsopdrachten, vertrouwelijkheid en de regionalistische reflex.", "Clustermanager aus Frankreich, Belgien und Deutschland über Vergaberecht, Vertraulichkeit und regionales Denken."],
        languages: &["en", "fr"], visibility: Public, venue: None, capacity: Some(900), people: &[(Moderator, R::Moderator), (Speaker, R::Speaker), (Attendee(0), R::Speaker)] },
    DemoSession { day: 0, start: (11, 30), end: (12, 30), kind: Networking,
        title: ["Speed networking, round 1", "Speed networking, 1er tour", "Speeddating, ronde 1", "Speed-Networking, Runde 1"],
        description: ["Six-minute one-to-one video meetings, matched on sectors, offers and needs.", "Rencontres vidéo individuelles de six minutes, selon les secteurs, offres et besoins.", "Individuele videogesprekken van zes minuten, gematcht op sectoren, aanbod en vraag.", "Sechsminütige Videogespräche unter vier Augen, abgestimmt auf Branchen, Angebote und Bedarf."],
        languages: &["en", "fr", "nl", "de"], visibility: Public, venue: None, capacity: None, people: &[(Moderator, R::Moderator)] },
    DemoSession { day: 0, start: (14, 0), end: (16, 0), kind: WorkingGroup,
        title: ["Workshop: Textile – innovative materials – design", "Atelier : Textile – matériaux innovants – design", "Workshop: Textiel – innoverende materialen – design", "Workshop: Textil – innovative Materialien – Design"],
        description: ["Cross-border workshop of the Eurometropolis innovation clusters platform: barriers to cooperation, financing a joint venture, integrating a company into a cluster across the border. Findings, proposals, roadmap and seven keywords.", "Atelier transfrontalier de la plate-forme des clusters d'innovation de l'Eurométropole : freins à la coopération, financement d'une joint venture, intégration d'une entreprise dans un pôle de l'autre côté de la frontière. Constats, propositions, feuille de route et sept mots-clés.", "Grensoverschrijdende workshop van het platform innovatieclusters van de Eurometropool: remmen op samenwerking, financiering van een joint venture, een onderneming integreren in een pool aan de andere kant van de grens. Vaststellingen, voorstellen, stappenplan en zeven kernwoorden.", "Grenzüberschreitender Workshop der Plattform der Innovationscluster der Eurometropole: Hindernisse, Finanzierung eines Joint Ventures, Integration eines Unternehmens in einen Cluster jenseits der Grenze."],
        languages: &["fr", "nl"], visibility: Public, venue: Some(("Lille", "CCI Grand Lille, Place du Théâtre")), capacity: Some(40), people: &[(Speaker, R::Facilitator), (Attendee(1), R::Facilitator)] },
    DemoSession { day: 0, start: (14, 0), end: (16, 0), kind: WorkingGroup,
        title: ["Workshop: financing cross-border joint ventures", "Atelier : financer une joint venture transfrontalière", "Workshop: grensoverschrijdende joint ventures financieren", "Workshop: grenzüberschreitende Joint Ventures finanzieren"],
        description: ["Interreg, regional funds and private investors: what works for clusters working across a border.", "Interreg, fonds régionaux et investisseurs privés : ce qui fonctionne pour les clusters transfrontaliers.", "Interreg, regionale fondsen en private investeerders: wat werkt voor grensoverschrijdende clusters.", "Interreg, Regionalfonds und private Investoren: was für grenzüberschreitende Cluster funktioniert."],
        languages: &["en"], visibility: Public, venue: None, capacity: Some(40), people: &[(Attendee(2), R::Facilitator)] },
    DemoSession { day: 0, start: (16, 30), end: (17, 30), kind: Panel,
        title: ["The twin transition in clusters: digital and green", "La double transition dans les clusters : numérique et verte", "De dubbele transitie in clusters: digitaal en groen", "Die doppelte Transformation in Clustern: digital und grün"],
        description: NO_TEXT, languages: &["en"], visibility: Public, venue: None, capacity: None, people: &[(Moderator, R::Moderator), (Attendee(3), R::Speaker)] },
    DemoSession { day: 0, start: (18, 0), end: (19, 30), kind: Social,
        title: ["Networking lounge", "Salon de networking", "Netwerklounge", "Networking-Lounge"],
        description: ["Tables of six: join one, leave when you like.", "Tables de six : rejoignez-en une, partez quand vous voulez.", "Tafels van zes: schuif aan en vertrek wanneer je wilt.", "Sechsertische: setzen Sie sich dazu, gehen Sie, wann Sie möchten."],
        languages: &["en", "fr", "nl", "de"], visibility: Public, venue: None, capacity: None, people: &[] },
    DemoSession { day: 1, start: (9, 0), end: (10, 0), kind: Plenary,
        title: ["Keynote: the European cluster landscape in 2026", "Keynote : le paysage européen des clusters en 2026", "Keynote: het Europese clusterlandschap in 2026", "Keynote: die europäische Clusterlandschaft 2026"],
        description: NO_TEXT, languages: &["en"], visibility: Public, venue: None, capacity: None, people: &[(Speaker, R::Speaker), (Moderator, R::Moderator)] },
    DemoSession { day: 1, start: (10, 15), end: (11, 30), kind: Panel,
        title: ["Smart specialisation and regional policy", "Spécialisation intelligente et politique régionale", "Slimme specialisatie en regionaal beleid", "Intelligente Spezialisierung und Regionalpolitik"],
        description: NO_TEXT, languages: &["en", "de"], visibility: Public, venue: None, capacity: None, people: &[(Moderator, R::Moderator), (Attendee(4), R::Speaker)] },
    DemoSession { day: 1, start: (10, 15), end: (11, 30), kind: Panel,
        title: ["CEO round-table (closed session)", "Table ronde des dirigeants (séance fermée)", "Rondetafel van CEO's (besloten sessie)", "CEO-Runde (geschlossene Sitzung)"],
        description: ["By invitation only, under the Chatham House rule.", "Sur invitation uniquement, sous la règle de Chatham House.", "Alleen op uitnodiging, onder de Chatham House-regel.", "Nur auf Einladung, nach der Chatham-House-Regel."],
        languages: &["en"], visibility: InviteOnly, venue: None, capacity: Some(15), people: &[(Moderator, R::Moderator), (Attendee(5), R::Guest), (Attendee(6), R::Guest)] },
    DemoSession { day: 1, start: (11, 45), end: (13, 0), kind: Networking,
        title: ["B2B meetings, block 1", "Rendez-vous B2B, bloc 1", "B2B-meetings, blok 1", "B2B-Meetings, Block 1"],
        description: ["Pre-booked one-to-one meetings between clusters and companies.", "Rendez-vous individuels réservés à l'avance entre clusters et entreprises.", "Vooraf geboekte één-op-één-gesprekken tussen clusters en bedrijven.", "Vorab gebuchte Einzelgespräche zwischen Clustern und Unternehmen."],
        languages: &["en", "fr", "nl", "de"], visibility: Public, venue: None, capacity: None, people: &[] },
    DemoSession { day: 1, start: (14, 0), end: (16, 0), kind: WorkingGroup,
        title: ["Workshop: health and medtech clusters, joint calls", "Atelier : clusters santé et medtech, appels communs", "Workshop: gezondheids- en medtechclusters, gezamenlijke oproepen", "Workshop: Gesundheits- und Medizintechnikcluster, gemeinsame Ausschreibungen"],
        description: NO_TEXT, languages: &["en", "de"], visibility: Public, venue: None, capacity: Some(30), people: &[(Attendee(7), R::Facilitator)] },
    DemoSession { day: 1, start: (14, 0), end: (15, 30), kind: Networking,
        title: ["Speed networking, round 2", "Speed networking, 2e tour", "Speeddating, ronde 2", "Speed-Networking, Runde 2"],
        description: NO_TEXT, languages: &["en", "fr", "nl", "de"], visibility: Public, venue: None, capacity: None, people: &[(Moderator, R::Moderator)] },
    DemoSession { day: 1, start: (15, 0), end: (18, 0), kind: Social,
        title: ["Delegation visit: textile cluster in Lyon", "Visite de délégation : le pôle textile à Lyon", "Delegatiebezoek: textielcluster in Lyon", "Delegationsbesuch: Textilcluster in Lyon"],
        description: ["Hybrid programme: the on-site delegation visits technical textile labs; online attendees follow the live stream.", "Programme hybride : la délégation visite les laboratoires de textiles techniques ; les participants en ligne suivent le direct.", "Hybride programma: de delegatie bezoekt labo's voor technisch textiel; online deelnemers volgen de livestream.", "Hybrides Programm: die Delegation besucht Labore für technische Textilien; Online-Teilnehmende folgen dem Livestream."],
        languages: &["fr", "en"], visibility: Public, venue: Some(("Lyon", "Pôle technique textile, Villeurbanne")), capacity: Some(25), people: &[(Attendee(1), R::Moderator)] },
    DemoSession { day: 1, start: (16, 15), end: (17, 15), kind: Panel,
        title: ["Talent and skills across borders", "Talents et compétences au-delà des frontières", "Talent en vaardigheden over de grenzen heen", "Talente und Kompetenzen über Grenzen hinweg"],
        description: NO_TEXT, languages: &["en", "nl"], visibility: Public, venue: None, capacity: None, people: &[(Moderator, R::Moderator), (Attendee(8), R::Speaker)] },
    DemoSession { day: 2, start: (9, 30), end: (10, 30), kind: Panel,
        title: ["Helping SMEs go international through clusters", "Accompagner l'internationalisation des PME par les clusters", "Kmo's internationaliseren via clusters", "KMU über Cluster internationalisieren"],
        description: NO_TEXT, languages: &["en", "fr"], visibility: Public, venue: None, capacity: None, people: &[(Moderator, R::Moderator), (Attendee(9), R::Speaker)] },
    DemoSession { day: 2, start: (10, 45), end: (12, 0), kind: Networking,
        title: ["B2B meetings, block 2", "Rendez-vous B2B, bloc 2", "B2B-meetings, blok 2", "B2B-Meetings, Block 2"],
        description: NO_TEXT, languages: &["en", "fr", "nl", "de"], visibility: Public, venue: None, capacity: None, people: &[] },
    DemoSession { day: 2, start: (13, 30), end: (14, 30), kind: Award,
        title: ["European Cluster Manager of the Year: the live election", "Manager de cluster européen de l'année : l'élection en direct", "Europese Clustermanager van het Jaar: de live verkiezing", "Europäischer Clustermanager des Jahres: die Live-Wahl"],
        description: ["Meet the shortlisted cluster managers, vote, and see the result revealed live.", "Découvrez les managers sélectionnés, votez et assistez à la proclamation en direct.", "Maak kennis met de genomineerden, stem en zie het resultaat live.", "Lernen Sie die Nominierten kennen, stimmen Sie ab und erleben Sie die Bekanntgabe live."],
        languages: &["en"], visibility: Public, venue: None, capacity: None, people: &[(Moderator, R::Moderator)] },
    DemoSession { day: 2, start: (14, 45), end: (15, 30), kind: Plenary,
        title: ["Outcomes of the working groups and closing", "Conclusions des ateliers et clôture", "Resultaten van de workshops en afsluiting", "Ergebnisse der Workshops und Abschluss"],
        description: NO_TEXT, languages: &["en", "fr"], visibility: Public, venue: None, capacity: None, people: &[(Moderator, R::Moderator), (Speaker, R::Speaker)] },
];
