//! Just enough of the socket.io 4 protocol (Engine.IO 4 over a WebSocket) to compare
//! Viaduc with a socket.io broadcast server (`tests/load/socketio/server.mjs`): the open
//! packet, joining the default namespace, heartbeats and `chat` events.

use anyhow::bail;
use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::Message;

use crate::client::{number_after, Incoming, Ws};

/// The URL path socket.io serves WebSockets on.
pub const PATH: &str = "/socket.io/?EIO=4&transport=websocket";

/// Waits for Engine.IO's open packet, then connects to the default namespace.
pub async fn handshake(ws: &mut Ws) -> anyhow::Result<()> {
    let mut opened = false;
    while let Some(frame) = ws.next().await {
        let Message::Text(text) = frame? else {
            continue;
        };
        match text.as_str() {
            open if open.starts_with('0') && !opened => {
                opened = true;
                ws.send(Message::text("40")).await?;
            }
            connected if connected.starts_with("40") => return Ok(()),
            "2" => ws.send(Message::text("3")).await?,
            other => bail!("unexpected socket.io packet: {other:.80}"),
        }
    }
    bail!("the connection closed during the socket.io handshake")
}

/// `42["chat","<body>"]`: an event packet (Engine.IO message 4, Socket.IO event 2).
pub fn chat_frame(body: &str) -> Message {
    let packet = serde_json::to_string(&("chat", body)).unwrap_or_default();
    Message::text(format!("42{packet}"))
}

pub fn classify(text: &str) -> Incoming {
    if text == "2" {
        return Incoming::HeartbeatPing;
    }
    if !text.starts_with("42") {
        return Incoming::Other;
    }
    let origin = number_after(text, " s=").and_then(|sender| {
        let after = text.find(" s=")? + 3;
        let n = number_after(&text[after..], "/")?;
        Some((usize::try_from(sender).ok()?, n))
    });
    Incoming::Chat {
        seq: None,
        origin,
        sent_us: number_after(text, "\"t="),
    }
}

/// The URL of a socket.io server's WebSocket endpoint.
pub fn endpoint(base: &str) -> anyhow::Result<String> {
    let base = base.trim_end_matches('/');
    if !base.starts_with("ws://") {
        bail!("socket.io URL must start with ws://");
    }
    Ok(format!("{base}{PATH}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chat_events_carry_sender_number_and_time() {
        assert_eq!(
            classify(r#"42["chat","t=99 s=12/345 xxxx"]"#),
            Incoming::Chat {
                seq: None,
                origin: Some((12, 345)),
                sent_us: Some(99)
            }
        );
        assert_eq!(classify("2"), Incoming::HeartbeatPing);
        assert!(endpoint("http://x").is_err());
    }
}
