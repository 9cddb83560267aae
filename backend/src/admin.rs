//! `viaduc admin create-organiser`: bootstrap the first organiser of a deployment (an
//! account, and optionally its role in a conference).

use anyhow::{bail, Context};
use secrecy::ExposeSecret;
use uuid::Uuid;

use crate::auth::{normalise_email, password};
use crate::cli::CreateOrganiserArgs;
use crate::conference::ConferenceRole;
use crate::db::Database;

pub async fn create_organiser(args: CreateOrganiserArgs) -> anyhow::Result<()> {
    let database = Database::open(&args.database).await?;
    let result = promote_or_create(&database.pool, &args).await;
    database.close().await?;
    result
}

async fn promote_or_create(db: &sqlx::PgPool, args: &CreateOrganiserArgs) -> anyhow::Result<()> {
    let email = normalise_email(&args.email);
    let existing = sqlx::query_scalar!("select id from users where email = $1", email)
        .fetch_optional(db)
        .await?;
    let user_id = match existing {
        Some(id) => {
            sqlx::query!(
                "update users set is_platform_organiser = true, updated_at = now() where id = $1",
                id
            )
            .execute(db)
            .await?;
            println!("{email} is now a platform organiser");
            id
        }
        None => {
            let Some(secret) = &args.password else {
                bail!("no account for {email}: give --password (or VIADUC_ADMIN_PASSWORD) to create it");
            };
            let password = secret.expose_secret().to_owned();
            password::check_policy(&password, &email)?;
            let hash = password::hash(password).await?;
            let id = Uuid::new_v4();
            sqlx::query!(
                "insert into users (id, email, display_name, password_hash, is_platform_organiser)
                 values ($1, $2, $3, $4, true)",
                id,
                email,
                args.display_name,
                hash
            )
            .execute(db)
            .await?;
            println!("created platform organiser {email}");
            id
        }
    };
    if let Some(slug) = &args.conference {
        let conference_id = sqlx::query_scalar!("select id from conferences where slug = $1", slug)
            .fetch_optional(db)
            .await?
            .with_context(|| format!("no conference with slug {slug}"))?;
        crate::conference::set_member_role(db, conference_id, user_id, ConferenceRole::Organiser)
            .await?;
        println!("{email} is organiser of {slug}");
    }
    Ok(())
}
