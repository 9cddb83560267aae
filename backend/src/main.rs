//! The `viaduc` binary: parses the command line and hands over to the library.

use clap::Parser;
use viaduc::cli::{AdminCommand, Cli, Command, ElectionCommand};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    viaduc::telemetry::init();
    let cli = Cli::parse();
    match cli.command {
        Command::Serve(args) => viaduc::server::serve(args).await,
        Command::Migrate(args) => {
            let database = viaduc::db::Database::open(&args).await?;
            database.close().await
        }
        Command::Demo(args) => {
            let database = viaduc::db::Database::open(&args.database).await?;
            let result = viaduc::demo::load(&database.pool).await;
            database.close().await?;
            viaduc::demo::print_logins(&result?, None);
            Ok(())
        }
        Command::Admin(AdminCommand::CreateOrganiser(args)) => {
            viaduc::admin::create_organiser(args).await
        }
        Command::Election(ElectionCommand::Verify { board }) => viaduc::awards::verify_file(&board),
    }
}
