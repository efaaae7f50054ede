//! Persistence for knooppunt over SQLite (embedded default) and PostgreSQL (production).
//!
//! Both backends are real: each runs on its own typed sqlx driver (`SqlitePool`, `PgPool`;
//! see [`db`]); a statement is written once, in SQL both understand with `$n` placeholders, and
//! prepared by the driver of the connection it runs on ([`query`]); one migration folder per
//! backend, kept in lockstep. This crate knows nothing about HTTP, sessions' cookies or policy
//! decisions: it stores and returns rows. Reads of case data take a scope that only the policy
//! crate can construct (added with the case files).

pub mod accounts;
pub mod approaches;
pub mod audit;
pub mod backup;
pub mod barriers;
pub mod cases;
pub mod db;
pub mod events;
pub mod fieldlabs;
pub mod figures;
pub mod jobs;
pub mod keys;
pub mod knowledge;
pub mod logarchive;
pub mod magazine;
pub mod migrations;
pub mod network;
pub mod notifications;
pub mod policy_signals;
pub mod processing;
pub mod query;
mod ranking;
pub mod replica;
pub mod reports;
pub mod retention;
pub mod search;
pub mod sessions;
pub mod sheets;
pub mod steering;
pub mod subject_requests;
pub mod support;
pub mod tables;
pub mod taxonomy;
pub mod tokens;
pub mod treffers;

pub use db::{Backend, Conn, Db, StoreError, Tx};
