//! All integration tests of knooppunt in one binary (one link, fast to build). Every storage
//! test runs on SQLite and, when KNOOPPUNT_TEST_POSTGRES_URL is set, on PostgreSQL.

mod access;
mod api;
mod approaches;
mod audit;
mod auth;
mod barriers;
mod case_access;
mod case_policy;
mod cases;
mod cli;
mod events;
mod fieldlabs;
mod figures;
mod knowledge;
mod knowledge_policy;
mod logs;
mod magazine;
mod network;
mod notifications;
mod reads;
mod repo_rules;
mod retention;
mod scanner;
mod search;
mod server;
mod sheets;
mod signals;
mod statements;
mod storage;
mod subject_requests;
mod support;
mod tables;
mod taxonomy;
mod treffers;
