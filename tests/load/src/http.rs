//! Viaduc's REST API as the load generator calls it: JSON over HTTP/1.1 with a bearer
//! token, on hyper's pooled client (each request may open its own connection, as each
//! browser does).

use std::time::Duration;

use anyhow::{bail, Context};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, StatusCode};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::Value;

/// How long one request may take before it counts as lost.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub struct Api {
    client: Client<HttpConnector, Full<Bytes>>,
    /// `http://host:port`, without a trailing slash.
    base: String,
}

/// An answer: its status and its JSON body (`null` when it has none).
pub struct Answer {
    pub status: StatusCode,
    pub body: Value,
}

impl Api {
    /// The API of the server whose WebSocket is at `ws_url` (`ws://host:port/ws`).
    pub fn of_websocket(ws_url: &str) -> anyhow::Result<Api> {
        let rest = ws_url
            .strip_prefix("ws://")
            .context("the server's URL must start with ws://")?;
        let authority = rest.split('/').next().unwrap_or(rest);
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        Ok(Api {
            client: Client::builder(TokioExecutor::new()).build(connector),
            base: format!("http://{authority}"),
        })
    }

    /// Sends `method path` with `body` as `token`'s user; transport errors and a request
    /// that outlives [`REQUEST_TIMEOUT`] are errors, any status is an answer.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<&Value>,
    ) -> anyhow::Result<Answer> {
        let request = Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(
                body.map(Value::to_string).unwrap_or_default(),
            )))?;
        let exchange = async {
            let response = self.client.request(request).await?;
            let status = response.status();
            let bytes = response.into_body().collect().await?.to_bytes();
            let body = if bytes.is_empty() {
                Value::Null
            } else {
                serde_json::from_slice(&bytes).with_context(|| {
                    format!("{status}: not JSON: {}", String::from_utf8_lossy(&bytes))
                })?
            };
            anyhow::Ok(Answer { status, body })
        };
        tokio::time::timeout(REQUEST_TIMEOUT, exchange)
            .await
            .context("no answer in time")?
    }

    /// [`Api::call`] that must answer `expected`; returns the body.
    pub async fn expect(
        &self,
        expected: StatusCode,
        method: Method,
        path: &str,
        token: &str,
        body: Option<&Value>,
    ) -> anyhow::Result<Value> {
        let answer = self.call(method.clone(), path, token, body).await?;
        if answer.status != expected {
            bail!("{method} {path}: {} {}", answer.status, answer.body);
        }
        Ok(answer.body)
    }
}
