//! Command-line interface: every setting is a flag with an environment variable twin.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use secrecy::SecretString;

#[derive(Debug, Parser)]
#[command(
    name = "viaduc",
    version,
    about = "Online European cluster conferences"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (HTTP API, WebSocket, and the built frontend).
    Serve(ServeArgs),
    /// Apply the database migrations and exit.
    Migrate(DatabaseArgs),
    /// Load the demo conference (idempotent) and print the demo logins.
    Demo(DemoArgs),
    /// Administrative tasks.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Elections: check a published bulletin board.
    #[command(subcommand)]
    Election(ElectionCommand),
}

#[derive(Debug, Subcommand)]
pub enum ElectionCommand {
    /// Recount a bulletin board (downloaded from an election's board page), compare it with
    /// the announced result and check its audit chain. Fails if anything is wrong.
    Verify {
        /// The board's JSON file.
        board: PathBuf,
    },
}

/// Where the data lives. Without `--database-url`, Viaduc runs its own PostgreSQL
/// inside `--data-dir`.
#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// PostgreSQL connection URL. When absent, an embedded PostgreSQL is started.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<SecretString>,
    /// Directory for the embedded PostgreSQL cluster.
    #[arg(long, env = "VIADUC_DATA_DIR", default_value = "viaduc-data")]
    pub data_dir: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Address and port to listen on.
    #[arg(long, env = "VIADUC_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// The URL people use to reach this server (cookies become `Secure` when it is https).
    /// Defaults to `http://<bind>`.
    #[arg(long, env = "VIADUC_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Secret for signing access tokens. When absent, one is generated on first start and
    /// kept in the database, so every node of a deployment shares it.
    #[arg(long, env = "VIADUC_JWT_SECRET")]
    pub jwt_secret: Option<SecretString>,
    /// Trust the right-most `X-Forwarded-For` entry as the client address (behind a proxy).
    #[arg(long, env = "VIADUC_TRUST_PROXY", default_value_t = false)]
    pub trust_proxy: bool,
    /// Origins a session's stage may embed besides YouTube, Vimeo and meet.jit.si
    /// (comma-separated, e.g. `https://peertube.example.eu,https://bbb.example.eu`): they
    /// also make the Content-Security-Policy's `frame-src`.
    #[arg(long, env = "VIADUC_EMBED_ORIGINS", value_delimiter = ',')]
    pub embed_origins: Vec<String>,
    /// More origins allowed to open `/ws` besides the public URL's (comma-separated, e.g.
    /// the Vite dev server `http://localhost:5173`).
    #[arg(long, env = "VIADUC_ALLOWED_ORIGINS", value_delimiter = ',')]
    pub allowed_origins: Vec<String>,
    /// Bearer token that `GET /metrics` (Prometheus) asks for. Without it, there is no
    /// `/metrics`.
    #[arg(long, env = "VIADUC_METRICS_TOKEN")]
    pub metrics_token: Option<SecretString>,
    /// Load the demo conference before serving.
    #[arg(long, env = "VIADUC_DEMO", default_value_t = false)]
    pub demo: bool,
    /// The SMTP server e-mails go through, as a URL: `smtp://localhost:2525`,
    /// `smtp://user:password@mail.example.eu:587?tls=required`, `smtps://mail.example.eu`.
    /// Without it nothing is sent: the organisers read the outbox in the UI.
    #[arg(long, env = "VIADUC_SMTP_URL")]
    pub smtp_url: Option<SecretString>,
    /// The e-mails' sender.
    #[arg(
        long,
        env = "VIADUC_MAIL_FROM",
        default_value = "Viaduc <no-reply@localhost>"
    )]
    pub mail_from: String,
}

#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a platform organiser (who may create conferences), or promote an existing account.
    CreateOrganiser(CreateOrganiserArgs),
}

#[derive(Debug, Clone, Args)]
pub struct CreateOrganiserArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[arg(long, env = "VIADUC_ADMIN_EMAIL")]
    pub email: String,
    /// Password for a new account (ignored when the account exists).
    #[arg(long, env = "VIADUC_ADMIN_PASSWORD")]
    pub password: Option<SecretString>,
    #[arg(long, env = "VIADUC_ADMIN_NAME", default_value = "Organiser")]
    pub display_name: String,
    /// Also make the account organiser of this conference (by slug).
    #[arg(long)]
    pub conference: Option<String>,
}
