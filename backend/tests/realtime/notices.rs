//! Notifications written by REST routes reach the person's `user:` room live, after commit.

use serde_json::json;
use sqlx::PgPool;

use crate::helpers::*;

#[sqlx::test(migrations = "../migrations")]
async fn a_role_change_rings_the_members_bell(db: PgPool) {
    let app = spawn(db.clone()).await;
    let conference = conference(&db).await;
    let (_, organiser) = member_user(&app, conference, "Odile", "organiser").await;
    let (anna, anna_token) = member_user(&app, conference, "Anna", "attendee").await;
    let mut bell = Client::connect(&app, &anna_token).await;
    bell.subscribe(&format!("user:{anna}"), None).await;

    let reply = raw_http(
        &app,
        "PUT",
        &format!("/api/conferences/{conference}/members/{anna}"),
        Some(&organiser),
        Some(json!({"role": "speaker"}).to_string()),
    )
    .await;
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");

    let event = bell.recv().await;
    assert_eq!(event["name"], "notification.created");
    assert_eq!(event["data"]["unread"], 1);
    let notification = &event["data"]["notification"];
    assert_eq!(
        (
            &notification["kind"],
            &notification["data"],
            &notification["read"]
        ),
        (
            &json!("member.role_changed"),
            &json!({"conference_slug": conference.to_string(), "conference_title": {"en": "ECC"}, "role": "speaker"}),
            &json!(false)
        )
    );
}
