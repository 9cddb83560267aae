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
    /// The load users, in the order of their tokens.
    pub user_ids: Vec<Uuid>,
    keys: TokenKeys,
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
        .iter()
        .map(|id| keys.issue(*id, Uuid::new_v4()))
        .collect::<Result<_, _>>()?;
    Ok(Fixture {
        db,
        conference_id,
        tokens,
        user_ids: ids,
        keys,
    })
}

impl Fixture {
    /// A token of the load organiser, an organiser of the conference (made on first use).
    pub async fn organiser_token(&self) -> anyhow::Result<String> {
        let password_hash = viaduc::auth::password::hash(Uuid::new_v4().to_string()).await?;
        let id = sqlx::query_scalar!(
            "insert into users (id, email, display_name, password_hash)
             values (gen_random_uuid(), 'load-organiser@load.viaduc.test', 'Load organiser', $1)
             on conflict (email) do update set email = excluded.email
             returning id",
            password_hash
        )
        .fetch_one(&self.db)
        .await?;
        sqlx::query!(
            "insert into conference_members (conference_id, user_id, role) values ($1, $2, 'organiser')
             on conflict (conference_id, user_id) do update set role = 'organiser'",
            self.conference_id,
            id
        )
        .execute(&self.db)
        .await?;
        Ok(self.keys.issue(id, Uuid::new_v4())?)
    }

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

    /// A question on the list of `room`'s session, asked by the first load user.
    pub async fn new_question(&self, room: &str) -> anyhow::Result<Uuid> {
        let id = Uuid::new_v4();
        sqlx::query!(
            "insert into questions (id, session_id, author_id, body, language, anonymous, status)
             values ($1, $2, $3, 'Who funds cross-border clusters?', 'en', false, 'approved')",
            id,
            session_of(room)?,
            self.user_ids.first().context("no load user")?
        )
        .execute(&self.db)
        .await?;
        Ok(id)
    }

    /// An open single-choice poll of three options in `room`'s session.
    pub async fn new_poll(&self, room: &str) -> anyhow::Result<Uuid> {
        let id = Uuid::new_v4();
        let mut tx = self.db.begin().await?;
        sqlx::query!(
            "insert into polls (id, session_id, question, multiple, changeable, status)
             values ($1, $2, 'Where next year?', false, false, 'open')",
            id,
            session_of(room)?
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "insert into poll_options (poll_id, position, label)
             select $1, position - 1, label
             from unnest(array['Lille', 'Gent', 'Aachen']) with ordinality as o (label, position)",
            id
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// `boards` new working-group sessions, each with `per_board` of the load users seated
    /// (in order), one section and a dot-voting round of `dots` per person open: their rooms
    /// and sections.
    pub async fn new_boards(
        &self,
        boards: usize,
        per_board: usize,
        dots: i16,
    ) -> anyhow::Result<Vec<(String, Uuid)>> {
        let mut rooms = Vec::with_capacity(boards);
        for (board, seated) in self.user_ids.chunks(per_board).take(boards).enumerate() {
            let id = Uuid::new_v4();
            let mut tx = self.db.begin().await?;
            sqlx::query!(
                r#"insert into sessions (id, conference_id, kind, title, starts_at, ends_at)
                   select $1, id, 'working_group', jsonb_build_object('en', 'Load board ' || $3::int),
                          (starts_on + time '14:00') at time zone time_zone,
                          (starts_on + time '15:00') at time zone time_zone
                   from conferences where id = $2"#,
                id,
                self.conference_id,
                board as i32
            )
            .execute(&mut *tx)
            .await?;
            sqlx::query!(
                "insert into workshop_seats (session_id, user_id, status)
                 select $1, unnest($2::uuid[]), 'seated'",
                id,
                seated
            )
            .execute(&mut *tx)
            .await?;
            sqlx::query!("insert into boards (session_id) values ($1)", id)
                .execute(&mut *tx)
                .await?;
            let section = Uuid::new_v4();
            sqlx::query!(
                r#"insert into board_sections (id, session_id, position, kind, title)
                   values ($2, $1, 0, 'notes', '{"en": "Proposals"}')"#,
                id,
                section
            )
            .execute(&mut *tx)
            .await?;
            sqlx::query!(
                "insert into board_rounds (id, session_id, dots) values (gen_random_uuid(), $1, $2)",
                id,
                dots
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            rooms.push((format!("workshop:{id}"), section));
        }
        Ok(rooms)
    }

    /// The dots on each note of board `room`, as stored.
    pub async fn stored_dots(&self, room: &str) -> anyhow::Result<Vec<(Uuid, i64)>> {
        let id: Uuid = room
            .strip_prefix("workshop:")
            .context("not a board room")?
            .parse()?;
        Ok(sqlx::query!(
            r#"select n.id, coalesce(sum(d.dots), 0)::int8 as "dots!" from board_notes n
               left join board_dots d on d.note_id = n.id
               where n.session_id = $1 group by n.id"#,
            id
        )
        .fetch_all(&self.db)
        .await?
        .into_iter()
        .map(|row| (row.id, row.dots))
        .collect())
    }

    /// Names `writers` the rapporteurs of working group `room`, so they write its synthesis.
    pub async fn name_rapporteurs(&self, room: &str, writers: &[Uuid]) -> anyhow::Result<()> {
        let id: Uuid = room
            .strip_prefix("workshop:")
            .context("not a board room")?
            .parse()?;
        sqlx::query!(
            "insert into synthesis_rapporteurs (session_id, user_id) select $1, unnest($2::uuid[])",
            id,
            writers
        )
        .execute(&self.db)
        .await?;
        Ok(())
    }

    /// The synthesis of working group `room` as stored: one encoded Yjs update.
    pub async fn stored_synthesis(&self, room: &str) -> anyhow::Result<Vec<u8>> {
        let id: Uuid = room
            .strip_prefix("workshop:")
            .context("not a board room")?
            .parse()?;
        let state = sqlx::query_scalar!("select state from syntheses where session_id = $1", id)
            .fetch_optional(&self.db)
            .await?;
        Ok(state.unwrap_or_default())
    }

    /// The upvotes of question `id`, or the answers of poll `id`, as stored.
    pub async fn stored_votes(&self, id: Uuid) -> anyhow::Result<i64> {
        let count = sqlx::query_scalar!(
            r#"select (select count(*) from question_votes where question_id = $1)
                    + (select count(*) from poll_answers where poll_id = $1) as "count!""#,
            id
        )
        .fetch_one(&self.db)
        .await?;
        Ok(count)
    }

    /// The room's last seq.
    pub async fn head(&self, room: &str) -> anyhow::Result<i64> {
        let head = sqlx::query_scalar!("select last_seq from rooms where id = $1", room)
            .fetch_optional(&self.db)
            .await?;
        Ok(head.unwrap_or(0))
    }
}

/// The session id of room `session:<id>`.
fn session_of(room: &str) -> anyhow::Result<Uuid> {
    let id = room
        .strip_prefix("session:")
        .context("not a session room")?;
    Ok(id.parse()?)
}
