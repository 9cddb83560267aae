//! The demo conference: `viaduc demo` (or `serve --demo`) loads a three-day European
//! cluster conference with about 60 attendees and its election shortlisted, so the product
//! can be explored at once.

mod election;
mod people;
mod programme;
mod registrations;
mod workshop;

use chrono::{NaiveDate, TimeZone};
use sqlx::PgPool;
use uuid::Uuid;

use crate::conference::sessions::SessionKind;
use crate::conference::{set_member_role, ConferenceRole};
use crate::text::LocalizedText;
use people::CLUSTERS;
use programme::{Host, PROGRAMME};

pub const DEMO_SLUG: &str = "ecc-2026";
pub const DEMO_PASSWORD: &str = "viaduc-demo-2026";
const DEMO_TIME_ZONE: chrono_tz::Tz = chrono_tz::Europe::Brussels;
const LANGUAGES: [&str; 4] = ["en", "fr", "nl", "de"];

/// The accounts to try each role with.
pub struct DemoLogins {
    pub accounts: Vec<(ConferenceRole, String)>,
    pub password: &'static str,
}

/// The account of each role: (role, e-mail, display name, whether platform organiser).
const ROLE_ACCOUNTS: [(ConferenceRole, &str, &str); 4] = [
    (
        ConferenceRole::Organiser,
        "organiser@demo.viaduc.eu",
        "Odile Organiser",
    ),
    (
        ConferenceRole::Moderator,
        "moderator@demo.viaduc.eu",
        "Maarten Moderator",
    ),
    (
        ConferenceRole::Speaker,
        "speaker@demo.viaduc.eu",
        "Sabine Speaker",
    ),
    (
        ConferenceRole::Attendee,
        "attendee@demo.viaduc.eu",
        "Aurélie Attendee",
    ),
];

/// Loads the demo conference unless it is there already.
pub async fn load(db: &PgPool) -> anyhow::Result<DemoLogins> {
    let logins = DemoLogins {
        accounts: ROLE_ACCOUNTS
            .iter()
            .map(|(role, email, _)| (*role, (*email).to_owned()))
            .collect(),
        password: DEMO_PASSWORD,
    };
    let exists = sqlx::query_scalar!("select id from conferences where slug = $1", DEMO_SLUG)
        .fetch_optional(db)
        .await?;
    if exists.is_some() {
        tracing::info!("the demo conference is already loaded");
        return Ok(logins);
    }
    // One hash for every demo account: they share the published demo password.
    let password_hash = crate::auth::password::hash(DEMO_PASSWORD.to_owned()).await?;
    let mut tx = db.begin().await?;
    let conference_id = Uuid::new_v4();
    let first_day = NaiveDate::from_ymd_opt(2026, 12, 8).expect("valid date");
    sqlx::query!(
        "insert into conferences (id, slug, title, description, starts_on, ends_on, time_zone, languages, published)
         values ($1, $2, $3, $4, $5, $6, $7, $8, true)",
        conference_id,
        DEMO_SLUG,
        &localized([
            "European Cluster Conference 2026",
            "Conférence européenne des clusters 2026",
            "Europese Clusterconferentie 2026",
            "Europäische Clusterkonferenz 2026",
        ]) as _,
        &localized([
            "Three days online for cluster organisations, regions and companies from all over Europe: panels, working groups, speed networking, B2B meetings and the European Cluster Manager of the Year.",
            "Trois jours en ligne pour les clusters, les régions et les entreprises de toute l'Europe : tables rondes, ateliers, speed networking, rendez-vous B2B et le prix du manager de cluster européen de l'année.",
            "Drie dagen online voor clusterorganisaties, regio's en bedrijven uit heel Europa: panels, workshops, speeddating, B2B-meetings en de Europese Clustermanager van het Jaar.",
            "Drei Tage online für Clusterorganisationen, Regionen und Unternehmen aus ganz Europa: Podien, Arbeitsgruppen, Speed-Networking, B2B-Meetings und der Europäische Clustermanager des Jahres.",
        ]) as _,
        first_day,
        first_day + chrono::Days::new(2),
        DEMO_TIME_ZONE.name(),
        &LANGUAGES.map(String::from)
    )
    .execute(&mut *tx)
    .await?;

    let mut role_ids = Vec::new();
    for (role, email, name) in ROLE_ACCOUNTS {
        let id = insert_user(
            &mut tx,
            email,
            name,
            &password_hash,
            role == ConferenceRole::Organiser,
        )
        .await?;
        set_member_role(&mut *tx, conference_id, id, role).await?;
        role_ids.push(id);
    }
    sqlx::query!(
        "update profiles set organisation = 'Viaduc demo', country = 'BE', languages = '{en,fr,nl,de}'
         where user_id = any ($1)",
        &role_ids
    )
    .execute(&mut *tx)
    .await?;

    let mut attendee_ids = Vec::new();
    let mut belgian_ids = Vec::new();
    for cluster in CLUSTERS {
        for (first, last) in cluster.members {
            let email = format!("{}.{}@demo.viaduc.eu", ascii_slug(first), ascii_slug(last));
            let id = insert_user(
                &mut tx,
                &email,
                &format!("{first} {last}"),
                &password_hash,
                false,
            )
            .await?;
            set_member_role(&mut *tx, conference_id, id, ConferenceRole::Attendee).await?;
            sqlx::query!(
                "update profiles set organisation = $2, cluster = $3, country = $4, languages = $5,
                        offers = $6, seeks = $7
                 where user_id = $1",
                id,
                cluster.organisation,
                cluster.name,
                cluster.country,
                &cluster
                    .languages
                    .iter()
                    .map(|l| l.to_string())
                    .collect::<Vec<_>>(),
                cluster.offers,
                cluster.seeks
            )
            .execute(&mut *tx)
            .await?;
            sqlx::query!(
                "insert into profile_sectors (user_id, sector_code) select $1, unnest ($2::text[])",
                id,
                &cluster
                    .sectors
                    .iter()
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>()
            )
            .execute(&mut *tx)
            .await?;
            attendee_ids.push(id);
            if cluster.country == "BE" {
                belgian_ids.push(id);
            }
        }
    }

    let host_id = |host: Host| match host {
        Host::Moderator => role_ids[1],
        Host::Speaker => role_ids[2],
        Host::Attendee(index) => attendee_ids[index * 4 % attendee_ids.len()],
    };
    let mut first_workshop = None;
    for session in PROGRAMME {
        let day = first_day + chrono::Days::new(session.day.into());
        let at = |(hour, minute): (u32, u32)| {
            DEMO_TIME_ZONE
                .from_local_datetime(&day.and_hms_opt(hour, minute, 0).expect("valid time"))
                .single()
                .expect("no daylight-saving change during the programme")
                .to_utc()
        };
        let session_id = Uuid::new_v4();
        sqlx::query!(
            "insert into sessions (id, conference_id, kind, title, description, starts_at, ends_at, capacity,
                                   languages, visibility, venue_city, venue_address)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            session_id,
            conference_id,
            session.kind as _,
            &localized(session.title) as _,
            &localized(session.description) as _,
            at(session.start),
            at(session.end),
            session.capacity,
            &session.languages.iter().map(|l| l.to_string()).collect::<Vec<_>>(),
            session.visibility as _,
            session.venue.map(|(city, _)| city),
            session.venue.map(|(_, address)| address),
        )
        .execute(&mut *tx)
        .await?;
        if session.kind == SessionKind::WorkingGroup {
            first_workshop.get_or_insert(session_id);
        }
        for (host, role) in session.people {
            sqlx::query!(
                "insert into session_people (session_id, user_id, role) values ($1, $2, $3)",
                session_id,
                host_id(*host),
                *role as _
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    election::load(&mut tx, conference_id, role_ids[0], &attendee_ids).await?;
    registrations::load(&mut tx, conference_id, role_ids[3], &belgian_ids).await?;
    if let Some(session_id) = first_workshop {
        // The demo attendee and eleven cluster members around the textile workshop's table.
        let seated: Vec<Uuid> = std::iter::once(role_ids[3])
            .chain(attendee_ids.iter().copied().take(11))
            .collect();
        workshop::load(&mut tx, session_id, &seated).await?;
    }
    tx.commit().await?;
    tracing::info!(
        attendees = attendee_ids.len() + role_ids.len(),
        sessions = PROGRAMME.len(),
        "demo conference loaded"
    );
    Ok(logins)
}

async fn insert_user(
    tx: &mut sqlx::PgConnection,
    email: &str,
    display_name: &str,
    password_hash: &str,
    platform_organiser: bool,
) -> anyhow::Result<Uuid> {
    let id = Uuid::new_v4();
    sqlx::query!(
        "insert into users (id, email, display_name, password_hash, is_platform_organiser)
         values ($1, $2, $3, $4, $5)",
        id,
        email,
        display_name,
        password_hash,
        platform_organiser
    )
    .execute(&mut *tx)
    .await?;
    crate::profiles::create_empty(&mut *tx, id).await?;
    Ok(id)
}

fn localized(texts: [&str; 4]) -> LocalizedText {
    LocalizedText(
        LANGUAGES
            .iter()
            .zip(texts)
            .filter(|(_, text)| !text.is_empty())
            .map(|(language, text)| (language.to_string(), text.to_string()))
            .collect(),
    )
}

/// `Léa` → `lea`, `de Vries` → `devries`: for demo e-mail addresses.
fn ascii_slug(name: &str) -> String {
    name.chars()
        .filter_map(|c| match c {
            'é' | 'è' | 'ê' => Some('e'),
            'ó' | 'ô' => Some('o'),
            'ú' => Some('u'),
            'í' => Some('i'),
            'ã' | 'á' => Some('a'),
            'ś' => Some('s'),
            'ń' => Some('n'),
            'ł' => Some('l'),
            c if c.is_ascii_alphabetic() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// Prints where to go and how to log in.
pub fn print_logins(logins: &DemoLogins, url: Option<&str>) {
    println!();
    println!("Viaduc demo conference \"{DEMO_SLUG}\" is ready.");
    if let Some(url) = url {
        println!("  Open {url}/c/{DEMO_SLUG}");
    }
    for (role, email) in &logins.accounts {
        println!("  {:<10} {email}", format!("{role:?}").to_lowercase());
    }
    println!("  password for every demo account: {}", logins.password);
    println!();
}
