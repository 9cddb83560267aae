//! One load client's connection: opening the WebSocket (from a chosen local address, with
//! a small read buffer so 10,000 of them fit), joining the room, composing chat messages
//! that carry their send time, and recognising what comes back — for Viaduc's protocol
//! and, through `socketio`, for the socket.io baseline.

use std::net::{IpAddr, SocketAddr};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::{lookup_host, TcpSocket, TcpStream};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;
use uuid::Uuid;

use crate::socketio;

pub type Ws = WebSocketStream<TcpStream>;

/// How long joining (handshake, subscribe, replay) may take before it counts as an error.
const JOIN_TIMEOUT: Duration = Duration::from_secs(30);

/// Microseconds since the load generator started: the clock every message carries.
pub fn now_us() -> u64 {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_micros() as u64
}

/// Opens a WebSocket to `url`, from `source` when given, with `Authorization: Bearer`.
pub async fn open(url: &str, source: Option<IpAddr>, bearer: Option<&str>) -> anyhow::Result<Ws> {
    let mut request = url.into_client_request()?;
    if let Some(token) = bearer {
        request.headers_mut().insert(
            "authorization",
            HeaderValue::from_str(&format!("Bearer {token}"))?,
        );
    }
    let uri = request.uri();
    let host = uri.host().context("the URL has no host")?;
    let port = uri.port_u16().unwrap_or(80);
    let address: SocketAddr = lookup_host((host, port))
        .await?
        .next()
        .context("the host does not resolve")?;
    let socket = if address.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    if let Some(source) = source {
        socket.bind(SocketAddr::new(source, 0))?;
    }
    let stream = socket.connect(address).await?;
    stream.set_nodelay(true)?;
    let config = WebSocketConfig::default()
        .read_buffer_size(4096)
        .write_buffer_size(0);
    let (ws, _) =
        tokio_tungstenite::client_async_with_config(request, stream, Some(config)).await?;
    Ok(ws)
}

/// Which server the clients talk to.
#[derive(Clone)]
pub enum Target {
    Viaduc { room: String },
    SocketIo,
}

/// Where a client stands in the room's stream, for resuming.
#[derive(Clone, Debug, Default)]
pub struct Position {
    pub seq: i64,
    pub epoch: Option<String>,
}

/// A frame from the server, reduced to what the load generator counts.
#[derive(Debug, PartialEq)]
pub enum Incoming {
    /// A chat message: its room seq (Viaduc) or sender and number (socket.io), and when it
    /// was sent.
    Chat {
        seq: Option<i64>,
        origin: Option<(usize, u64)>,
        sent_us: Option<u64>,
    },
    Snapshot {
        seq: i64,
        epoch: String,
    },
    Subscribed {
        seq: i64,
        epoch: String,
    },
    Ack,
    Error(String),
    /// socket.io's heartbeat: answer with a pong packet.
    HeartbeatPing,
    Other,
}

impl Target {
    /// After `open`: joins the room. For Viaduc, subscribes with `since`/`epoch` and
    /// returns the replayed chat frames and the position reached (`recovered` false when
    /// the server sent a snapshot instead of the missed events).
    pub async fn join(
        &self,
        ws: &mut Ws,
        from: Option<&Position>,
    ) -> anyhow::Result<(Position, Vec<Incoming>, bool)> {
        match self {
            Target::SocketIo => {
                socketio::handshake(ws).await?;
                Ok((Position::default(), Vec::new(), true))
            }
            Target::Viaduc { room } => {
                let subscribe = json!({
                    "type": "subscribe",
                    "room": room,
                    "since": from.map(|position| position.seq),
                    "epoch": from.and_then(|position| position.epoch.clone()),
                });
                ws.send(Message::text(subscribe.to_string())).await?;
                tokio::time::timeout(JOIN_TIMEOUT, wait_subscribed(ws))
                    .await
                    .map_err(|_| anyhow!("no `subscribed` within {JOIN_TIMEOUT:?}"))?
            }
        }
    }

    /// The frame that sends chat message number `n` of sender `sender`, `size` bytes long.
    pub fn chat_frame(&self, sender: usize, n: u64, size: usize) -> Message {
        let mut body = format!("t={} s={sender}/{n} ", now_us());
        body.extend(std::iter::repeat_n('x', size.saturating_sub(body.len())));
        match self {
            Target::SocketIo => socketio::chat_frame(&body),
            Target::Viaduc { room } => Message::text(
                json!({
                    "type": "command",
                    "id": Uuid::new_v4(),
                    "room": room,
                    "name": "chat.send",
                    "data": { "body": body },
                })
                .to_string(),
            ),
        }
    }

    pub fn classify(&self, text: &str) -> Incoming {
        match self {
            Target::SocketIo => socketio::classify(text),
            Target::Viaduc { .. } => classify_viaduc(text),
        }
    }
}

async fn wait_subscribed(ws: &mut Ws) -> anyhow::Result<(Position, Vec<Incoming>, bool)> {
    let mut replayed = Vec::new();
    let mut recovered = true;
    while let Some(frame) = ws.next().await {
        let Message::Text(text) = frame? else {
            continue;
        };
        match classify_viaduc(&text) {
            chat @ Incoming::Chat { .. } => replayed.push(chat),
            Incoming::Snapshot { .. } => recovered = false,
            Incoming::Subscribed { seq, epoch } => {
                let position = Position {
                    seq,
                    epoch: Some(epoch),
                };
                return Ok((position, replayed, recovered));
            }
            Incoming::Error(message) => bail!("subscribe refused: {message}"),
            _ => {}
        }
    }
    bail!("the connection closed while subscribing")
}

/// Viaduc frames. Chat events — nearly all the traffic — are read without building a JSON
/// tree: the server writes `type` first and the body starts with the send time.
fn classify_viaduc(text: &str) -> Incoming {
    if text.starts_with(r#"{"type":"event""#) {
        return Incoming::Chat {
            seq: number_after(text, r#""seq":"#).map(|seq| seq as i64),
            origin: None,
            sent_us: number_after(text, r#""body":"t="#),
        };
    }
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return Incoming::Other;
    };
    let seq = value["seq"].as_i64().unwrap_or_default();
    let epoch = value["epoch"].as_str().unwrap_or_default().to_owned();
    match value["type"].as_str() {
        Some("snapshot") => Incoming::Snapshot { seq, epoch },
        Some("subscribed") => Incoming::Subscribed { seq, epoch },
        Some("ack") => Incoming::Ack,
        Some("error") => Incoming::Error(format!("{}: {}", value["code"], value["message"])),
        _ => Incoming::Other,
    }
}

/// The unsigned number right after `marker` in `text`.
pub fn number_after(text: &str, marker: &str) -> Option<u64> {
    let start = text.find(marker)? + marker.len();
    let digits = text[start..].bytes().take_while(u8::is_ascii_digit).count();
    text[start..start + digits].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chat_events_are_read_without_a_json_tree() {
        let frame = r#"{"type":"event","room":"session:x","seq":42,"name":"chat.sent","data":{"id":"a","author_id":"b","author_name":"Load 1","body":"t=123456 s=3/9 xxxx","hidden":false,"at":"2026-12-08T09:00:00Z"}}"#;
        let target = Target::Viaduc {
            room: "session:x".into(),
        };
        assert_eq!(
            target.classify(frame),
            Incoming::Chat {
                seq: Some(42),
                origin: None,
                sent_us: Some(123_456)
            }
        );
        assert_eq!(
            target.classify(
                r#"{"type":"subscribed","room":"r","epoch":"e","seq":7,"recovered":true}"#
            ),
            Incoming::Subscribed {
                seq: 7,
                epoch: "e".into()
            }
        );
    }

    #[test]
    fn messages_have_the_requested_size() {
        let frame = Target::SocketIo.chat_frame(2, 5, 200);
        let Message::Text(text) = frame else {
            panic!("a text frame")
        };
        assert_eq!(text.len(), 200 + r#"42["chat",""]"#.len());
    }
}
