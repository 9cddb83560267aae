//! API tests: the real router against a fresh PostgreSQL database per test.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod agenda;
mod auth;
mod cancellation;
mod elections;
mod frontend;
mod helpers;
mod mail;
mod notices;
mod openapi;
mod profiles;
mod registrations;
mod roles;
