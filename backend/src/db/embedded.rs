//! A private PostgreSQL cluster inside Viaduc's data directory, for a first run with
//! nothing to set up.
//!
//! It uses the server binaries already on the machine (`initdb`, `pg_ctl`), listens on a
//! Unix socket only (no TCP port to collide with), and is stopped when Viaduc exits.
//! PostgreSQL refuses to run as root, so when Viaduc runs as root the cluster belongs to
//! the unprivileged `postgres` system user and the server runs as that user.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use anyhow::{bail, Context};
use nix::unistd::{Gid, Uid, User};
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection};
use tokio::process::Command;

/// The superuser created by `initdb`, and the database Viaduc uses.
const SUPERUSER: &str = "viaduc";
const DATABASE: &str = "viaduc";
/// Unix socket paths are limited to 107 bytes; the socket file name adds 13.
const MAX_SOCKET_DIR_LEN: usize = 90;

/// A running embedded cluster. Dropping it without `stop` stops the server anyway.
pub struct EmbeddedPostgres {
    bin_dir: PathBuf,
    cluster_dir: PathBuf,
    socket_dir: PathBuf,
    run_as: Option<User>,
    /// False when another Viaduc process had already started this cluster (say, `serve`
    /// while `viaduc admin` runs): we must then leave it running when we finish.
    owned: bool,
    stopped: bool,
}

impl EmbeddedPostgres {
    /// Starts (creating on first use) the cluster in `<data_dir>/postgres`.
    pub async fn start(data_dir: &Path) -> anyhow::Result<Self> {
        let bin_dir = find_server_binaries()?;
        std::fs::create_dir_all(data_dir)
            .with_context(|| format!("cannot create data directory {}", data_dir.display()))?;
        let data_dir = data_dir.canonicalize()?;
        let cluster_dir = data_dir.join("postgres");
        let socket_dir = data_dir.join("run");
        if socket_dir.as_os_str().len() > MAX_SOCKET_DIR_LEN {
            bail!(
                "the data directory path {} is too long for a Unix socket; choose a shorter --data-dir",
                data_dir.display()
            );
        }
        let run_as = unprivileged_user()?;
        for dir in [&cluster_dir, &socket_dir] {
            std::fs::create_dir_all(dir)?;
            if let Some(user) = &run_as {
                nix::unistd::chown(dir.as_path(), Some(user.uid), Some(user.gid))?;
            }
        }
        if let Some(user) = &run_as {
            check_reachable_by(user, &cluster_dir).await?;
        }
        let mut server = EmbeddedPostgres {
            bin_dir,
            cluster_dir,
            socket_dir,
            run_as,
            owned: true,
            stopped: false,
        };
        if !server.cluster_dir.join("PG_VERSION").exists() {
            tracing::info!(dir = %server.cluster_dir.display(), "creating the embedded PostgreSQL cluster");
            server
                .run(
                    "initdb",
                    &[
                        "-D".as_ref(),
                        server.cluster_dir.as_os_str(),
                        "-U".as_ref(),
                        SUPERUSER.as_ref(),
                        "--auth=trust".as_ref(),
                        "--encoding=UTF8".as_ref(),
                        "--no-locale".as_ref(),
                    ],
                )
                .await?;
        }
        if server.is_running().await {
            tracing::info!("the embedded PostgreSQL is already running; sharing it");
            server.owned = false;
        } else {
            server.pg_ctl_start().await?;
        }
        server.create_database().await?;
        tracing::info!(socket = %server.socket_dir.display(), "embedded PostgreSQL ready");
        Ok(server)
    }

    /// How to connect: over the Unix socket, as the cluster's superuser.
    pub fn connect_options(&self) -> PgConnectOptions {
        self.admin_options().database(DATABASE)
    }

    /// Stops the server (fast shutdown: clients are disconnected, data is flushed), unless
    /// another process started it.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        self.stopped = true;
        if !self.owned {
            return Ok(());
        }
        self.run("pg_ctl", &self.stop_args("fast")).await?;
        tracing::info!("embedded PostgreSQL stopped");
        Ok(())
    }

    /// Stops the server the way a crash would (`pg_ctl stop -m immediate`: no checkpoint,
    /// clients cut off; the next start runs crash recovery). With [`Self::start_again`] this
    /// is `pg_ctl restart -m immediate` with the outage held open, for fault tests.
    pub async fn crash(&self) -> anyhow::Result<()> {
        self.run("pg_ctl", &self.stop_args("immediate")).await
    }

    /// Starts the server again after [`Self::crash`].
    pub async fn start_again(&self) -> anyhow::Result<()> {
        self.pg_ctl_start().await
    }

    /// Whether a server is running on this cluster.
    pub async fn is_running(&self) -> bool {
        self.command("pg_ctl")
            .arg("status")
            .arg("-D")
            .arg(&self.cluster_dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .await
            .is_ok_and(|status| status.success())
    }

    async fn pg_ctl_start(&self) -> anyhow::Result<()> {
        let log = self.socket_dir.join("postgres.log");
        // pg_ctl hands `-o` to a shell, hence the single quotes.
        let options = format!(
            "-c listen_addresses='' -c unix_socket_directories='{}'",
            self.socket_dir.display()
        );
        self.run(
            "pg_ctl",
            &[
                "start".as_ref(),
                "-D".as_ref(),
                self.cluster_dir.as_os_str(),
                "-l".as_ref(),
                log.as_os_str(),
                "-w".as_ref(),
                "-t".as_ref(),
                "60".as_ref(),
                "-o".as_ref(),
                options.as_ref(),
            ],
        )
        .await
        .with_context(|| format!("see {} for the server's log", log.display()))
    }

    async fn create_database(&self) -> anyhow::Result<()> {
        let mut connection = self.admin_options().database("postgres").connect().await?;
        let exists: bool =
            sqlx::query_scalar("select exists (select 1 from pg_database where datname = $1)")
                .bind(DATABASE)
                .fetch_one(&mut connection)
                .await?;
        if !exists {
            sqlx::query(&format!("create database {DATABASE}"))
                .execute(&mut connection)
                .await?;
        }
        connection.close().await?;
        Ok(())
    }

    fn admin_options(&self) -> PgConnectOptions {
        PgConnectOptions::new()
            .socket(&self.socket_dir)
            .username(SUPERUSER)
    }

    fn stop_args<'a>(&'a self, mode: &'a str) -> [&'a std::ffi::OsStr; 6] {
        [
            "stop".as_ref(),
            "-D".as_ref(),
            self.cluster_dir.as_os_str(),
            "-m".as_ref(),
            mode.as_ref(),
            "-w".as_ref(),
        ]
    }

    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(self.bin_dir.join(program));
        if let Some(user) = &self.run_as {
            command.uid(user.uid.as_raw()).gid(user.gid.as_raw());
            command.env("HOME", &user.dir);
        }
        // The server must not inherit a working directory the unprivileged user cannot read.
        command.current_dir(&self.cluster_dir);
        command.stdin(Stdio::null()).kill_on_drop(false);
        command
    }

    async fn run(&self, program: &str, args: &[&std::ffi::OsStr]) -> anyhow::Result<()> {
        let output = self
            .command(program)
            .args(args)
            .output()
            .await
            .with_context(|| format!("cannot run {program}"))?;
        if !output.status.success() {
            bail!(
                "{program} failed ({}): {}{}",
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        Ok(())
    }
}

impl Drop for EmbeddedPostgres {
    fn drop(&mut self) {
        if self.stopped || !self.owned {
            return;
        }
        // Last resort on an error path: never leave a server running behind us.
        let mut command = std::process::Command::new(self.bin_dir.join("pg_ctl"));
        command
            .args(self.stop_args("fast"))
            .current_dir(&self.cluster_dir);
        if let Some(user) = &self.run_as {
            use std::os::unix::process::CommandExt;
            command.uid(user.uid.as_raw()).gid(user.gid.as_raw());
        }
        let _ = command.stdout(Stdio::null()).stderr(Stdio::null()).status();
    }
}

/// The directory holding `initdb` and `pg_ctl`: from `PATH`, else the newest
/// `/usr/lib/postgresql/<version>/bin`.
pub fn find_server_binaries() -> anyhow::Result<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default();
    if let Some(dir) = on_path
        .into_iter()
        .find(|dir| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file())
    {
        return Ok(dir);
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    versions.sort();
    match versions.pop() {
        Some((_, bin)) => Ok(bin),
        None => bail!(
            "no PostgreSQL server binaries found (initdb, pg_ctl). Install them, e.g. \
             `apt-get install postgresql`, or point Viaduc at a server with DATABASE_URL"
        ),
    }
}

/// Fails clearly when `user` cannot write `dir`, typically because a parent directory such
/// as `/root` is closed to other users.
async fn check_reachable_by(user: &User, dir: &Path) -> anyhow::Result<()> {
    let reachable = Command::new("test")
        .arg("-w")
        .arg(dir)
        .uid(user.uid.as_raw())
        .gid(user.gid.as_raw())
        .status()
        .await
        .is_ok_and(|status| status.success());
    if !reachable {
        bail!(
            "the `{}` user, which runs the embedded PostgreSQL, cannot reach {}: a parent directory \
             is closed to other users. Choose a --data-dir (VIADUC_DATA_DIR) such as /var/lib/viaduc",
            user.name,
            dir.display()
        );
    }
    Ok(())
}

/// The account the server runs as when Viaduc runs as root; `None` otherwise.
fn unprivileged_user() -> anyhow::Result<Option<User>> {
    if !Uid::effective().is_root() {
        return Ok(None);
    }
    match User::from_name("postgres")? {
        Some(user) if user.uid.is_root() || user.gid == Gid::from_raw(0) => {
            bail!("the `postgres` user must not be root")
        }
        Some(user) => Ok(Some(user)),
        None => bail!(
            "PostgreSQL refuses to run as root and there is no `postgres` user to run it as: \
             create one (`useradd --system postgres`) or run Viaduc as an ordinary user"
        ),
    }
}
