//! How people reach this server: its public URL, whether over https, whether through our
//! own reverse proxy, and so the caller's address (`ClientIp`).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRef, FromRequestParts};
use axum::http::request::Parts;

use crate::error::AppError;

/// The deployment's public face, from the command line; handlers read it as `State<Arc<Site>>`.
#[derive(Debug, Clone)]
pub struct Site {
    /// The URL people reach the server at, e.g. `https://events.example.eu`.
    pub public_url: String,
    /// Mark cookies `Secure` (when served over https).
    pub secure_cookies: bool,
    /// Trust `X-Forwarded-For` from the reverse proxy.
    pub trust_proxy: bool,
    /// Origins (`https://host[:port]`) a session's stage may frame besides the built-in
    /// players: the deployment's PeerTube, Jitsi or BigBlueButton servers.
    pub embed_origins: Vec<String>,
}

/// The client's address: the socket peer, or the right-most `X-Forwarded-For` entry
/// (the one our own proxy appended) when the server is configured to trust its proxy.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

impl<S> FromRequestParts<S> for ClientIp
where
    S: Send + Sync,
    Arc<Site>: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let site = Arc::<Site>::from_ref(state);
        let forwarded = site
            .trust_proxy
            .then(|| parts.headers.get("x-forwarded-for"))
            .flatten()
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.rsplit(',').next())
            .and_then(|last| last.trim().parse::<IpAddr>().ok());
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip());
        Ok(ClientIp(
            forwarded
                .or(peer)
                .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)),
        ))
    }
}
