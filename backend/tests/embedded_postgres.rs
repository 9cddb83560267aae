//! The embedded PostgreSQL: created on first start, reused, and stopped on request.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use sqlx::{ConnectOptions, Connection};
use viaduc::db::embedded::EmbeddedPostgres;

#[tokio::test]
async fn embedded_postgres_starts_serves_and_stops() {
    // Under /tmp (world-traversable), as the server may run as the `postgres` user.
    let data_dir = tempfile::Builder::new()
        .prefix("viaduc-embedded-")
        .tempdir_in("/tmp")
        .expect("temp dir");
    std::fs::set_permissions(
        data_dir.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .expect("chmod");

    let server = EmbeddedPostgres::start(data_dir.path())
        .await
        .expect("first start (initdb)");
    let mut connection = server
        .connect_options()
        .connect()
        .await
        .expect("connect over the socket");
    let answer: i32 = sqlx::query_scalar("select 41 + 1")
        .fetch_one(&mut connection)
        .await
        .unwrap();
    assert_eq!(answer, 42);
    connection.close().await.unwrap();
    viaduc::db::MIGRATOR
        .run(&mut server.connect_options().connect().await.unwrap())
        .await
        .expect("migrations apply");
    server.stop().await.expect("stop");

    // A second start reuses the cluster (no initdb) and keeps the data.
    let server = EmbeddedPostgres::start(data_dir.path())
        .await
        .expect("second start");
    let mut connection = server.connect_options().connect().await.unwrap();
    let sectors: i64 = sqlx::query_scalar("select count(*) from sectors")
        .fetch_one(&mut connection)
        .await
        .unwrap();
    assert_eq!(sectors, 20);
    connection.close().await.unwrap();

    // A second process (say `viaduc admin` beside `viaduc serve`) shares the running server
    // and leaves it running when it finishes.
    let second = EmbeddedPostgres::start(data_dir.path())
        .await
        .expect("shared start");
    second.stop().await.expect("a shared stop is a no-op");
    assert!(server.is_running().await, "the owner's server is still up");

    let options = server.connect_options();
    server.stop().await.expect("stop again");
    assert!(
        options.connect().await.is_err(),
        "the server is gone after stop"
    );
}
