//! A live feature plugs into the core from its own code and one registration line: here a
//! test's own feature brings a room kind the core and the database have never heard of,
//! a command and a snapshot part, beside chat in the same session room.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;
use viaduc::conference::live::SESSION_ROOM;
use viaduc::error::AppResult;
use viaduc::realtime::feature::{
    parse_command, to_json, CommandCtx, LiveFeature, RoomRules, Viewer,
};
use viaduc::realtime::log::EventTx;
use viaduc::realtime::room::{Rights, RoomId, RoomKind};

use crate::helpers::*;

const ECHO_ROOM: RoomKind = RoomKind::new("echo_chamber");

struct Echo;

#[derive(Deserialize)]
#[serde(tag = "name", content = "data")]
enum EchoCommand {
    #[serde(rename = "echo.say")]
    Say { text: String },
}

#[derive(Serialize)]
#[serde(tag = "name", content = "data")]
enum EchoEvent {
    #[serde(rename = "echo.said")]
    Said { text: String },
}

struct EchoRoom;

#[async_trait]
impl RoomRules for EchoRoom {
    fn kind(&self) -> RoomKind {
        ECHO_ROOM
    }

    async fn enter(&self, _db: &PgPool, _user_id: Uuid, _id: Uuid) -> AppResult<Rights> {
        Ok(Rights {
            conference_id: None,
            roles: vec!["listener"],
        })
    }
}

#[async_trait]
impl LiveFeature for Echo {
    fn name(&self) -> &'static str {
        "echo"
    }

    fn room_kinds(&self) -> Vec<Box<dyn RoomRules>> {
        vec![Box::new(EchoRoom)]
    }

    fn rooms(&self) -> &'static [RoomKind] {
        &[ECHO_ROOM, SESSION_ROOM]
    }

    async fn command(
        &self,
        ctx: &CommandCtx<'_>,
        etx: &mut EventTx,
        command: &str,
        data: Value,
    ) -> AppResult<Value> {
        let EchoCommand::Say { text } = parse_command(command, data)?;
        etx.emit(ctx.room, &EchoEvent::Said { text: text.clone() })
            .await?;
        to_json(&json!({ "echoed": text }))
    }

    async fn snapshot(
        &self,
        db: &mut PgConnection,
        room: RoomId,
        viewer: &Viewer<'_>,
    ) -> AppResult<Value> {
        let said = sqlx::query_scalar::<_, i64>(
            "select count(*) from room_events where room_id = $1 and name = 'echo.said'",
        )
        .bind(room.to_string())
        .fetch_one(db)
        .await?;
        to_json(&json!({ "said": said, "roles": viewer.rights.roles }))
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_feature_brings_its_room_kind_commands_and_snapshot_with_one_registration(db: PgPool) {
    let features = viaduc::state::live_features(&[]).with(Echo);
    let app = spawn_node(db.clone(), |_| {}, features).await;
    let (_, token) = user(&app, "Ana").await;
    let mut client = Client::connect(&app, &token).await;
    let room = format!("echo_chamber:{}", Uuid::new_v4());
    client.subscribe(&room, None).await;
    let id = Uuid::new_v4();
    client
        .send(
            json!({"type": "command", "id": id, "room": room, "name": "echo.say",
                     "data": {"text": "hello"}}),
        )
        .await;
    // The ack and the event come in either order.
    let (mut ack, mut event) = (None, None);
    while ack.is_none() || event.is_none() {
        let message = client.recv().await;
        match message["type"].as_str() {
            Some("ack") => ack = Some(message),
            Some("event") => event = Some(message),
            _ => panic!("unexpected {message}"),
        }
    }
    assert_eq!(ack.unwrap()["data"], json!({"echoed": "hello"}));
    let event = event.unwrap();
    assert_eq!(
        (
            event["seq"].as_i64(),
            event["name"].as_str(),
            event["data"]["text"].as_str()
        ),
        (Some(1), Some("echo.said"), Some("hello"))
    );
    // Chat does not take part in this kind of room.
    let refused = client
        .command(&room, "chat.send", json!({"body": "hi"}))
        .await;
    assert_eq!(refused["code"], "not_found");
    let mut late = Client::connect(&app, &token).await;
    let answers = late.subscribe(&room, None).await;
    assert_eq!(
        answers[0]["state"],
        json!({"echo": {"said": 1, "roles": ["listener"]}})
    );

    // In a session room, the feature's part sits beside chat's and announcements'.
    let conference = conference(&db).await;
    let (_, member_token) = member_user(&app, conference, "Bo", "attendee").await;
    let session = format!("session:{}", session(&db, conference, "public").await);
    let mut member = Client::connect(&app, &member_token).await;
    let answers = member.subscribe(&session, None).await;
    let mut parts: Vec<&String> = answers[0]["state"].as_object().unwrap().keys().collect();
    parts.sort();
    assert_eq!(
        parts,
        [
            "announcement",
            "chat",
            "echo",
            "hand",
            "poll",
            "qa",
            "stage"
        ]
    );
}
