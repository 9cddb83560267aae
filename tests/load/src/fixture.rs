//! The load users and their access tokens, made directly in Viaduc's database: thousands
//! of accounts in a few statements and tokens signed with the key the nodes share, so a
//! run measures the real-time layer rather than argon2 and the login route.

use anyhow::Context;
use sqlx::PgPool;
use uuid::Uuid;
use viaduc::auth::tokens::TokenKeys;

use crate::Common;

pub struct Fixture {
    db: PgPool,
    pub conference_id: Uuid,
    /// One access token per load user, each user an attendee of the conference.
    pub tokens: Vec<String>,
}

/// Makes sure `count` load users exist and are attendees of the conference, and signs a
/// token for each (valid 15 minutes, each its own login).
pub async fn prepare(common: &Common, count: usize) -> anyhow::Result<Fixture> {
    let url = common
        .database_url
        .as_deref()
        .context("--database-url (or DATABASE_URL) is needed to create the load users")?;
    let db = PgPool::connect(url).await?;
    let conference_id = sqlx::query_scalar!(
        "select id from conferences where slug = $1",
        common.conference
    )
    .fetch_optional(&db)
    .await?
    .with_context(|| format!("no conference `{}` (run `viaduc demo`)", common.conference))?;
    let secret = sqlx::query_scalar!("select value from app_secrets where name = 'jwt'")
        .fetch_optional(&db)
        .await?
        .context("no signing key yet: start `viaduc serve` once")?;
    let keys = TokenKeys::new(&secret);

    let emails: Vec<String> = (1..=count)
        .map(|n| format!("load-{n:05}@load.viaduc.test"))
        .collect();
    // Nobody logs in as a load user: the hash is of a random password nobody knows.
    let password_hash = viaduc::auth::password::hash(Uuid::new_v4().to_string()).await?;
    sqlx::query!(
        "insert into users (id, email, display_name, password_hash)
         select gen_random_uuid(), email, 'Load ' || n, $2
         from unnest($1::text[]) with ordinality as listed (email, n)
         on conflict (email) do nothing",
        &emails,
        password_hash
    )
    .execute(&db)
    .await?;
    let ids = sqlx::query_scalar!(
        "select u.id from unnest($1::text[]) with ordinality as listed (email, n)
         join users u on u.email = listed.email
         order by listed.n",
        &emails
    )
    .fetch_all(&db)
    .await?;
    sqlx::query!(
        "insert into conference_members (conference_id, user_id, role)
         select $1, unnest($2::uuid[]), 'attendee'
         on conflict (conference_id, user_id) do nothing",
        conference_id,
        &ids
    )
    .execute(&db)
    .await?;
    let tokens = ids
        .into_iter()
        .map(|id| keys.issue(id, Uuid::new_v4()))
        .collect::<Result<_, _>>()?;
    Ok(Fixture {
        db,
        conference_id,
        tokens,
    })
}

impl Fixture {
    /// A new public panel session; its chat room starts empty, at seq 0.
    pub async fn new_panel(&self) -> anyhow::Result<String> {
        let id = Uuid::new_v4();
        sqlx::query!(
            r#"insert into sessions (id, conference_id, kind, title, starts_at, ends_at)
               select $1, id, 'panel', '{"en": "Load test panel"}',
                      (starts_on + time '09:00') at time zone time_zone,
                      (starts_on + time '10:00') at time zone time_zone
               from conferences where id = $2"#,
            id,
            self.conference_id
        )
        .execute(&self.db)
        .await?;
        Ok(format!("session:{id}"))
    }

    /// The room's last seq.
    pub async fn head(&self, room: &str) -> anyhow::Result<i64> {
        let head = sqlx::query_scalar!("select last_seq from rooms where id = $1", room)
            .fetch_optional(&self.db)
            .await?;
        Ok(head.unwrap_or(0))
    }
}
