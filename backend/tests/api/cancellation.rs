//! Requests whose client goes away midway: the request still completes, and the pooled
//! connection it used never reaches the next request inside an open transaction.

use std::time::Duration;

use axum::http::{Method, StatusCode};
use serde_json::json;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

use crate::helpers::{state, Client};

#[sqlx::test(migrations = "../migrations")]
async fn requests_abandoned_midway_never_harm_the_next_ones(db: PgPool) {
    // One connection for the requests (the real-time bus's LISTEN holds the other): a
    // transaction leaked by an abandoned request would swallow the rest.
    let one = PgPoolOptions::new()
        .max_connections(2)
        .connect_with(db.connect_options().as_ref().clone())
        .await
        .unwrap();
    let state = state(one);
    let mut anna = Client::new(&state);
    anna.signup("anna@cluster.eu", "Anna").await;
    let iterations: u32 = 300;
    for n in 0..iterations {
        // Saving a profile is one transaction (fields and sectors); drop it anywhere in it.
        let profile = json!({"organisation": format!("left {n}"), "cluster": "", "country": "BE",
                             "sectors": ["textiles"], "languages": ["fr"], "offers": "", "seeks": "",
                             "bio": ""});
        let after = Duration::from_micros(u64::from(n * 37 % 3_500));
        anna.abandon(Method::PUT, "/api/me/profile", profile, after)
            .await;
        let ticket = anna.post("/api/realtime/ticket", json!({})).await;
        assert_eq!(
            ticket.status,
            StatusCode::OK,
            "iteration {n}: {}",
            ticket.text
        );
    }
    // Every ticket handed out is committed: another connection sees each of them.
    let tickets: i64 = sqlx::query_scalar("select count(*) from ws_tickets")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(tickets, i64::from(iterations));
    // The last abandoned save ran to its end, fields and sectors together.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (organisation, sectors): (String, i64) = sqlx::query_as(
        "select p.organisation, (select count(*) from profile_sectors s where s.user_id = p.user_id)
         from profiles p",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!((organisation.as_str(), sectors), ("left 299", 1));
}
