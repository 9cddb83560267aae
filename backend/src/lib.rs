//! Viaduc: online European cluster conferences.
//!
//! The modules form layers, each using only its own layer and those below it
//! (`backend/tests/layers.rs` keeps it so):
//! - shared pieces: [`error`], [`http`], [`db`], [`audit`], [`telemetry`], [`cli`], [`text`];
//! - [`auth`]: accounts and logins, knowing nothing of conferences;
//! - features: [`profiles`], [`conference`], [`registrations`], [`workshops`] ([`realtime`], being split into a core and its
//!   features, is not placed yet);
//! - the application, wiring everything: this file ([`app`]), [`state`], [`server`],
//!   [`api_doc`], [`admin`], [`demo`] and the frontend's files.
//!
//! `main.rs` parses the command line; [`server::serve`] wires the database and the HTTP
//! server; [`app`] builds the router from one router per feature.

pub mod access_changes;
pub mod admin;
pub mod announcements;
pub mod api_doc;
pub mod audit;
pub mod auth;
pub mod awards;
pub mod chat;
pub mod cli;
pub mod conference;
pub mod db;
pub mod demo;
pub mod error;
pub mod http;
pub mod mail;
pub mod metrics;
mod monitoring;
pub mod notifications;
pub mod panels;
pub mod private_rooms;
pub mod profiles;
pub mod realtime;
pub mod registrations;
pub mod server;
pub mod state;
pub mod telemetry;
pub mod text;
mod web;
pub mod workshops;

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, MatchedPath};
use axum::http::Request;
use axum::routing::get;
use axum::{Json, Router};
use rust_embed::RustEmbed;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use state::{AppState, Settings};

/// Largest request body accepted by any route.
const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The whole application: API routes, the OpenAPI document, `/metrics` and the frontend.
pub fn app(state: AppState) -> Router {
    app_with_frontend::<web::Dist>(state)
}

/// [`app`] serving the frontend's files from `F` instead of the built `frontend/dist`: the
/// tests of static serving use a fixture of their own, whether or not the frontend is built.
pub fn app_with_frontend<F: RustEmbed + 'static>(state: AppState) -> Router {
    let (api_routes, api_doc) = api_routes_and_doc();
    let api_doc = Arc::new(api_doc);
    api_routes
        .route(
            "/api/openapi.json",
            get(move || async move { Json(api_doc.as_ref().clone()) }),
        )
        .route("/metrics", get(monitoring::scrape))
        .fallback(web::serve_frontend::<F>)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&state.metrics),
            metrics::track_requests,
        ))
        .layer(axum::middleware::from_fn(
            http::completion::run_to_completion,
        ))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                let route = request
                    .extensions()
                    .get::<MatchedPath>()
                    .map(MatchedPath::as_str)
                    .unwrap_or("fallback");
                tracing::info_span!("http", method = %request.method(), route)
            }),
        )
        .with_state(state)
}

/// The API routes and their finished OpenAPI document, with the error answers each route's
/// shape implies (see [`http::openapi::add_implied_responses`]).
pub fn api_routes_and_doc() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (routes, mut doc) = api_router().split_for_parts();
    http::openapi::add_implied_responses(&mut doc);
    (routes, doc)
}

/// Every documented route, with its OpenAPI description.
pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(api_doc::ApiDoc::openapi())
        .routes(routes!(http::healthz))
        .routes(routes!(http::readyz))
        .merge(auth::router())
        .merge(profiles::router())
        .merge(conference::router())
        .merge(panels::router())
        .merge(awards::router())
        .merge(registrations::router())
        .merge(workshops::router())
        .merge(workshops::synthesis::router())
        .merge(realtime::router())
}
