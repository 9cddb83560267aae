//! The wire protocol of `/ws`: what clients send, what the server answers, the error codes
//! and the close codes. The TypeScript twin (`frontend/src/lib/realtime/protocol.ts`) is
//! generated from these types by [`typescript`]; a test fails when it is stale.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;
use uuid::Uuid;

use super::commands::{Attendance, Attendee, PresentPeople, PresentPerson};
use super::pulse::Counts;
use crate::error::{Conflict, FieldError};

/// A message from the client (a JSON text frame).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMsg {
    /// Join a room. With `since` (and the `epoch` it belongs to) the server replays what
    /// was missed; without, or when too far behind, it sends a snapshot.
    Subscribe {
        room: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        since: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        epoch: Option<Uuid>,
    },
    Unsubscribe {
        room: String,
    },
    /// Ask for a change. `id` is chosen by the client and reused on retry: a retried
    /// command is answered with the original result, never applied twice.
    Command {
        id: Uuid,
        room: String,
        name: String,
        #[serde(default)]
        #[ts(type = "unknown")]
        data: Value,
    },
}

/// A message from the server (a JSON text frame).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMsg {
    /// A command succeeded; `data` is its result.
    Ack {
        id: Uuid,
        #[ts(type = "unknown")]
        data: Value,
    },
    /// A command or a subscription failed. `id` names the command, `room` the subscription.
    Error {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        id: Option<Uuid>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        room: Option<String>,
        code: ErrorCode,
        message: String,
        /// For `validation`: what is wrong with each field of the command's `data`, with
        /// the rule's code and parameters, as in the REST error body.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        #[ts(optional = nullable)]
        fields: Vec<FieldError>,
        /// For `conflict`: the clash's reason, as in the REST error body.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        conflict: Option<Conflict>,
        /// Sending the same command (same id) again later may succeed.
        retryable: bool,
    },
    /// A durable change in a room; `seq` grows by one per event in the room.
    Event {
        room: String,
        seq: i64,
        name: String,
        #[ts(type = "unknown")]
        data: Value,
    },
    /// The room's state as of `seq`; events with a greater `seq` follow.
    Snapshot {
        room: String,
        epoch: Uuid,
        seq: i64,
        #[ts(type = "unknown")]
        state: Value,
    },
    /// The subscription is live. `recovered`: the missed events were replayed (true) or a
    /// snapshot replaced them (false). `roles`: the caller's rights in the room (e.g.
    /// `moderator`, `organiser`); sent again with a new snapshot when they change.
    Subscribed {
        room: String,
        epoch: Uuid,
        seq: i64,
        recovered: bool,
        roles: Vec<String>,
    },
    Unsubscribed {
        room: String,
    },
    /// Ephemeral: how many people are in the room now (across every node).
    Presence {
        room: String,
        count: i64,
    },
    /// Ephemeral: how many people sent each key of a feature's signal (`reaction.burst`:
    /// 👏 ❤️ …) in the last half second, across every node. Never logged nor replayed.
    Signal {
        room: String,
        name: String,
        #[ts(type = "Record<string, number>")]
        counts: Counts,
    },
}

/// Why a command or subscription failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The frame was not a valid message.
    BadRequest,
    Forbidden,
    NotFound,
    /// The input breaks a rule (e.g. a chat message over 2,000 characters).
    Validation,
    Conflict,
    /// Too many commands (token bucket, 20/s, burst 40) or chat slow mode: wait, then retry.
    RateLimited,
    /// At most 50 subscriptions per connection.
    TooManySubscriptions,
    /// Commands need a subscription to their room first.
    NotSubscribed,
    /// The database is away or slow for a moment (also when a command could not be answered
    /// within the answer time, see `docs/realtime.md`): retry with the same id.
    Unavailable,
    Internal,
}

impl ErrorCode {
    pub fn retryable(self) -> bool {
        matches!(
            self,
            ErrorCode::RateLimited | ErrorCode::Unavailable | ErrorCode::Internal
        )
    }
}

/// WebSocket close codes the server uses. See `docs/realtime.md`.
pub mod close {
    /// The server is shutting down: reconnect (to another node) and resume.
    pub const GOING_AWAY: u16 = 1001;
    /// A binary frame: the protocol is JSON text only. Final.
    pub const UNSUPPORTED: u16 = 1003;
    /// The login ended (logout, revoked): final until the user logs in again.
    pub const UNAUTHORIZED: u16 = 4001;
    /// The server failed unexpectedly: reconnect and resume.
    pub const INTERNAL: u16 = 1011;
    /// The client fell behind (its outgoing queue filled): reconnect and resume.
    pub const SLOW: u16 = 4008;
    /// No pong within the idle timeout: reconnect and resume.
    pub const IDLE: u16 = 4009;
}

/// The generated TypeScript module: every wire type, in one file.
pub fn typescript() -> String {
    let cfg = ts_rs::Config::new().with_large_int("number");
    let decls = [
        ClientMsg::decl(&cfg),
        ServerMsg::decl(&cfg),
        ErrorCode::decl(&cfg),
        PresentPeople::decl(&cfg),
        PresentPerson::decl(&cfg),
        Attendance::decl(&cfg),
        Attendee::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from backend/src/realtime/protocol.rs by ts-rs. Do not edit.\n\
         // Regenerate: UPDATE_PROTOCOL_TS=1 cargo test -p viaduc protocol_ts\n\n\
         import type { Conflict, FieldError } from '../api/errors';\n\n",
    );
    for decl in decls {
        out.push_str("export ");
        out.push_str(&decl);
        out.push_str("\n\n");
    }
    out.push_str(&format!(
        "export const CloseCode = {{\n  GoingAway: {},\n  Unsupported: {},\n  \
         Internal: {},\n  Unauthorized: {},\n  Slow: {},\n  Idle: {},\n}} as const;\n",
        close::GOING_AWAY,
        close::UNSUPPORTED,
        close::INTERNAL,
        close::UNAUTHORIZED,
        close::SLOW,
        close::IDLE
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_messages_parse_from_the_documented_envelope() {
        let subscribe: ClientMsg =
            serde_json::from_str(r#"{"type":"subscribe","room":"session:x","since":41}"#).unwrap();
        assert!(matches!(
            subscribe,
            ClientMsg::Subscribe {
                since: Some(41),
                epoch: None,
                ..
            }
        ));
        let id = Uuid::new_v4();
        let command: ClientMsg = serde_json::from_str(&format!(
            r#"{{"type":"command","id":"{id}","room":"r","name":"chat.send","data":{{"body":"hi"}}}}"#
        ))
        .unwrap();
        match command {
            ClientMsg::Command {
                id: got,
                name,
                data,
                ..
            } => {
                assert_eq!(
                    (got, name.as_str(), data["body"].as_str()),
                    (id, "chat.send", Some("hi"))
                );
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(serde_json::from_str::<ClientMsg>(r#"{"type":"shout"}"#).is_err());
    }

    #[test]
    fn server_messages_serialize_to_the_documented_envelope() {
        let event = ServerMsg::Event {
            room: "session:x".into(),
            seq: 42,
            name: "chat.sent".into(),
            data: serde_json::json!({"body": "hi"}),
        };
        assert_eq!(
            serde_json::to_string(&event).unwrap(),
            r#"{"type":"event","room":"session:x","seq":42,"name":"chat.sent","data":{"body":"hi"}}"#
        );
        let error = ServerMsg::Error {
            id: None,
            room: None,
            code: ErrorCode::RateLimited,
            message: "slow down".into(),
            fields: Vec::new(),
            conflict: None,
            retryable: true,
        };
        assert_eq!(
            serde_json::to_string(&error).unwrap(),
            r#"{"type":"error","code":"rate_limited","message":"slow down","retryable":true}"#
        );
    }

    /// Fails when `frontend/src/lib/realtime/protocol.ts` does not match these types.
    #[test]
    fn protocol_ts_is_up_to_date() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../frontend/src/lib/realtime/protocol.ts"
        );
        let generated = typescript();
        if std::env::var_os("UPDATE_PROTOCOL_TS").is_some() {
            std::fs::create_dir_all(std::path::Path::new(path).parent().unwrap()).unwrap();
            std::fs::write(path, &generated).unwrap();
        }
        let on_disk = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            on_disk == generated,
            "{path} is stale; run: UPDATE_PROTOCOL_TS=1 cargo test -p viaduc protocol_ts"
        );
    }
}
