//! `viaduc serve`: opens the database, builds the state, serves until Ctrl-C or SIGTERM.

use std::net::SocketAddr;

use anyhow::Context;
use axum::serve::ListenerExt;
use rand::RngCore;
use secrecy::ExposeSecret;
use sqlx::PgPool;
use tokio::net::TcpListener;

use crate::cli::ServeArgs;
use crate::db::Database;
use crate::http::Site;
use crate::mail::{Sender, SmtpSettings};
use crate::realtime::Heartbeat;
use crate::state::{AppState, Settings};

/// HS256 keys shorter than the hash output weaken it.
const MIN_JWT_SECRET_BYTES: usize = 32;

pub async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let database = Database::open(&args.database).await?;
    let result = run(&args, &database.pool).await;
    database.close().await?;
    result
}

async fn run(args: &ServeArgs, db: &PgPool) -> anyhow::Result<()> {
    let demo_logins = if args.demo {
        Some(crate::demo::load(db).await?)
    } else {
        None
    };
    // An empty value (e.g. `VIADUC_JWT_SECRET=` in an env file) means "not given".
    let given_secret = args
        .jwt_secret
        .as_ref()
        .map(|secret| secret.expose_secret().as_bytes().to_vec())
        .filter(|secret| !secret.is_empty());
    let jwt_secret = match given_secret {
        Some(secret) if secret.len() < MIN_JWT_SECRET_BYTES => {
            anyhow::bail!("VIADUC_JWT_SECRET must be at least {MIN_JWT_SECRET_BYTES} bytes long")
        }
        Some(secret) => secret,
        None => stored_jwt_secret(db).await?,
    };
    let listener = TcpListener::bind(args.bind)
        .await
        .with_context(|| format!("cannot listen on {}", args.bind))?;
    let bound = listener.local_addr()?;
    let public_url = args
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{bound}"));
    let settings = Settings {
        site: Site {
            secure_cookies: public_url.starts_with("https://"),
            public_url: public_url.clone(),
            trust_proxy: args.trust_proxy,
            embed_origins: embed_origins(&args.embed_origins)?,
        },
        heartbeat: Heartbeat::default(),
        // An empty value means "not given", as for the JWT secret.
        metrics_token: args
            .metrics_token
            .clone()
            .filter(|token| !token.expose_secret().is_empty()),
    };
    // An empty value means "not given" here too.
    let smtp_url = args
        .smtp_url
        .as_ref()
        .map(|url| url.expose_secret().to_owned())
        .filter(|url| !url.is_empty());
    if let Some(url) = smtp_url {
        let smtp = SmtpSettings {
            url,
            from: args.mail_from.clone(),
        };
        let sender = Sender::new(db.clone(), &smtp, &public_url).context("the SMTP settings")?;
        tokio::spawn(sender.run());
    } else {
        tracing::info!("no SMTP server set (VIADUC_SMTP_URL): e-mails wait in the outbox");
    }
    let mut state = AppState::new(db.clone(), &jwt_secret, settings);
    state.realtime.allow_origins(&args.allowed_origins);
    let app = crate::app(state);
    tracing::info!(%bound, %public_url, "Viaduc is listening");
    if let Some(logins) = &demo_logins {
        crate::demo::print_logins(logins, Some(&public_url));
    }
    // Without TCP_NODELAY, Nagle's algorithm holds a small WebSocket frame back until the
    // previous one is acknowledged, and delayed ACKs make that up to 40 ms.
    let listener = listener.tap_io(|tcp| {
        if let Err(error) = tcp.set_nodelay(true) {
            tracing::warn!(?error, "could not set TCP_NODELAY");
        }
    });
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    tracing::info!("shutting down");
    Ok(())
}

/// The access-token signing key: generated once, then read from the database.
async fn stored_jwt_secret(db: &PgPool) -> anyhow::Result<Vec<u8>> {
    let mut fresh = vec![0u8; 64];
    rand::rngs::OsRng.fill_bytes(&mut fresh);
    // Two nodes starting together race here: `on conflict do nothing` keeps the first one.
    sqlx::query!(
        "insert into app_secrets (name, value) values ('jwt', $1) on conflict (name) do nothing",
        fresh
    )
    .execute(db)
    .await?;
    let stored = sqlx::query_scalar!("select value from app_secrets where name = 'jwt'")
        .fetch_one(db)
        .await?;
    Ok(stored)
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("installing the SIGTERM handler");
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate.recv() => {}
    }
}

/// The `--embed-origins` as browsers write origins; an entry that is not an http(s) address
/// stops the start, rather than framing something unexpected or nothing at all.
fn embed_origins(given: &[String]) -> anyhow::Result<Vec<String>> {
    given
        .iter()
        .filter(|origin| !origin.trim().is_empty())
        .map(|origin| {
            crate::realtime::gateway::origin_of(origin)
                .filter(|origin| origin.starts_with("https://") || origin.starts_with("http://"))
                .with_context(|| format!("--embed-origins: {origin} is not an http(s) origin"))
        })
        .collect()
}
