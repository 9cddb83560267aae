//! Integration tests of the real-time core: a real server on port 0, WebSocket clients,
//! a fresh database per test.

#![allow(clippy::unwrap_used)]

mod boards;
mod cancellation;
mod crew;
mod election_faults;
mod faults;
mod features;
mod gateway;
mod hands;
mod helpers;
mod membership;
mod metrics;
mod nodes;
mod notices;
mod outages;
mod plug_in;
mod polls;
mod qa;
mod reactions;
mod resume;
mod rights;
mod stage;
mod synthesis;
