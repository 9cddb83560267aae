//! `GET /metrics`: what a scrape shows after a client's visit, across two nodes, and who
//! may scrape.

use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

use crate::helpers::*;

pub const TOKEN: &str = "a metrics token for the scraper";

/// A node whose `/metrics` answers [`TOKEN`].
pub async fn spawn_scrapable(db: PgPool) -> TestApp {
    spawn_with(db, |settings| settings.metrics_token = Some(TOKEN.into())).await
}

/// The status, headers and body of `GET /metrics` sent with `authorization`.
pub async fn scrape_with(app: &TestApp, authorization: Option<&str>) -> (u16, String, String) {
    let header = authorization
        .map(|value| format!("authorization: {value}\r\n"))
        .unwrap_or_default();
    let response = raw_http_with_headers(app, "GET", "/metrics", &header, None).await;
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    (
        head[9..12].parse().unwrap(),
        head.to_lowercase(),
        body.to_owned(),
    )
}

/// The exposition, scraped with the right token.
pub async fn scrape(app: &TestApp) -> String {
    let (status, head, body) = scrape_with(app, Some(&format!("Bearer {TOKEN}"))).await;
    assert_eq!(status, 200, "{body}");
    assert!(head.contains("content-type: application/openmetrics-text; version=1.0.0"));
    assert!(body.ends_with("# EOF\n"));
    body
}

/// The value of one series (name and labels exactly as exposed), if it is there.
pub fn sample(exposition: &str, series: &str) -> Option<f64> {
    exposition
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.rsplit_once(' '))
        .find(|(name, _)| *name == series)
        .map(|(_, value)| value.parse().unwrap())
}

/// Sends a command and reads on until both its ack and the event it made have come.
async fn chat_and_see_it(client: &mut Client, room: &str) {
    let id = Uuid::new_v4();
    client
        .send(json!({"type": "command", "id": id, "room": room, "name": "chat.send", "data": {"body": "hello"}}))
        .await;
    let (mut acked, mut seen) = (false, false);
    while !(acked && seen) {
        let message = client.recv().await;
        acked |= message["type"] == "ack" && message["id"] == json!(id);
        seen |= message["type"] == "event" && message["seq"] == 1;
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_scrape_counts_a_clients_connection_room_command_and_event(db: PgPool) {
    let app = spawn_scrapable(db.clone()).await;
    let (conference, room) = public_panel(&db).await;
    let (_, token) = member_user(&app, conference, "Ana", "attendee").await;
    let mut client = Client::connect(&app, &token).await;
    client.subscribe(&room, None).await;
    chat_and_see_it(&mut client, &room).await;

    let metrics = scrape(&app).await;
    let value = |series: &str| sample(&metrics, series);
    assert_eq!(value("viaduc_ws_connections"), Some(1.0));
    assert_eq!(value("viaduc_realtime_rooms"), Some(1.0));
    assert_eq!(value("viaduc_realtime_events_published_total"), Some(1.0));
    assert_eq!(value("viaduc_realtime_deliveries_total"), Some(1.0));
    assert_eq!(value("viaduc_ws_slow_disconnects_total"), Some(0.0));
    assert_eq!(
        value(r#"viaduc_realtime_command_duration_seconds_count{feature="chat",outcome="ok"}"#),
        Some(1.0)
    );
    assert_eq!(
        value(r#"viaduc_realtime_command_duration_seconds_count{feature="chat",outcome="error"}"#),
        Some(0.0)
    );
    // The event went to the only subscriber straight from the commit, not through the log.
    assert_eq!(value("viaduc_realtime_bus_lag_seconds_count"), Some(0.0));
    assert_eq!(
        value(
            r#"viaduc_http_request_duration_seconds_count{method="GET",route="/ws",status="101"}"#
        ),
        Some(1.0)
    );
    let max = f64::from(app.state.db.options().get_max_connections());
    assert_eq!(value("viaduc_db_connections_max"), Some(max));
    let in_use = value("viaduc_db_connections_in_use").unwrap();
    let idle = value("viaduc_db_connections_idle").unwrap();
    assert!(
        in_use >= 0.0 && idle >= 0.0 && in_use + idle <= max,
        "{in_use} + {idle}"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_bus_lag_is_measured_where_an_event_arrives_from_another_node(db: PgPool) {
    let first = spawn_scrapable(db.clone()).await;
    let second = spawn_scrapable(db.clone()).await;
    let (conference, room) = public_panel(&db).await;
    let (_, ana_token) = member_user(&first, conference, "Ana", "attendee").await;
    let (_, bo_token) = member_user(&first, conference, "Bo", "attendee").await;
    let mut on_first = Client::connect(&first, &ana_token).await;
    let mut on_second = Client::connect(&second, &bo_token).await;
    on_first.subscribe(&room, None).await;
    on_second.subscribe(&room, None).await;
    chat_and_see_it(&mut on_first, &room).await;
    assert_eq!(on_second.recv().await["seq"], 1);

    let on_first = scrape(&first).await;
    let on_second = scrape(&second).await;
    let published = "viaduc_realtime_events_published_total";
    assert_eq!(sample(&on_first, published), Some(1.0));
    assert_eq!(sample(&on_second, published), Some(0.0));
    let lags = "viaduc_realtime_bus_lag_seconds_count";
    assert_eq!(sample(&on_first, lags), Some(0.0));
    assert_eq!(sample(&on_second, lags), Some(1.0));
    let lag = sample(&on_second, "viaduc_realtime_bus_lag_seconds_sum").unwrap();
    assert!((0.0..2.0).contains(&lag), "lag {lag} s");
}

#[sqlx::test(migrations = "../migrations")]
async fn metrics_answer_their_token_only_and_nobody_when_none_is_set(db: PgPool) {
    let app = spawn_scrapable(db.clone()).await;
    for authorization in [None, Some("Bearer the wrong token"), Some(TOKEN)] {
        let (status, head, body) = scrape_with(&app, authorization).await;
        assert_eq!(status, 401, "{authorization:?}");
        assert!(head.contains("www-authenticate: bearer"));
        let body: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(body["error"]["code"], "unauthorized");
    }

    let closed = spawn(db).await;
    let (status, _, body) = scrape_with(&closed, Some(&format!("Bearer {TOKEN}"))).await;
    assert_eq!(status, 404);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["error"]["code"], "not_found");
}
