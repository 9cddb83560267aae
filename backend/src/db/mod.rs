//! The database: connects to `DATABASE_URL` or starts the embedded PostgreSQL, and migrates.

pub mod embedded;

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use secrecy::ExposeSecret;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;

use crate::cli::DatabaseArgs;
use embedded::EmbeddedPostgres;

/// The migrations in `migrations/`, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// An open, migrated database, and the embedded server behind it when there is one.
pub struct Database {
    pub pool: PgPool,
    embedded: Option<EmbeddedPostgres>,
}

impl Database {
    /// Connects (starting the embedded server when no URL is given) and applies migrations.
    pub async fn open(args: &DatabaseArgs) -> anyhow::Result<Self> {
        let (options, embedded) = match &args.database_url {
            Some(url) => (
                PgConnectOptions::from_str(url.expose_secret()).context("invalid DATABASE_URL")?,
                None,
            ),
            None => {
                let server = EmbeddedPostgres::start(&args.data_dir).await?;
                (server.connect_options(), Some(server))
            }
        };
        let pool = PgPoolOptions::new()
            .max_connections(20)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await
            .context("cannot connect to PostgreSQL")?;
        MIGRATOR.run(&pool).await.context("applying migrations")?;
        Ok(Database { pool, embedded })
    }

    /// Closes the pool and stops the embedded server, if any.
    pub async fn close(self) -> anyhow::Result<()> {
        self.pool.close().await;
        if let Some(server) = self.embedded {
            server.stop().await?;
        }
        Ok(())
    }
}
