//! Migrations per backend, embedded with `sqlx::migrate!` and kept in lockstep: the same
//! versions and names in `migrations/sqlite` and `migrations/postgres` (a test fails when they
//! differ, and another compares the migrated schemas themselves).
//!
//! They are applied through sqlx's `Migrate` on one connection: on PostgreSQL under sqlx's
//! advisory lock, so nodes that start at once migrate once (the others wait, then find every
//! step applied); each step in one transaction with its row in `_sqlx_migrations`. A SQLite step
//! that rebuilds tables (marked `-- knooppunt: rebuilds tables`) runs with foreign keys off, as
//! SQLite's procedure for schema changes asks; such a step checks the keys itself before it
//! commits. Databases migrated by the runner before sqlx's (table `schema_migrations`) are taken
//! over once: each applied version is checked against its file and recorded in sqlx's table.

use crate::db::{Backend, Db, StoreError};
use sha2::{Digest, Sha256};
use sqlx::migrate::{Migrate, MigrateError, Migrator};

pub static SQLITE: Migrator = sqlx::migrate!("migrations/sqlite");
pub static POSTGRES: Migrator = sqlx::migrate!("migrations/postgres");

/// One migration as both backends have it.
#[derive(Debug, Clone)]
pub struct Migration {
    pub version: i64,
    /// The file name without `.sql` (`0001_foundation`).
    pub name: String,
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

/// The file a migration came from, without `.sql` (`0001_foundation`).
pub fn file_name(m: &sqlx::migrate::Migration) -> String {
    format!("{:04}_{}", m.version, m.description.replace(' ', "_"))
}

fn sql(m: &'static sqlx::migrate::Migration) -> &'static str {
    match &m.sql {
        std::borrow::Cow::Borrowed(s) => s,
        std::borrow::Cow::Owned(s) => s.as_str(),
    }
}

/// Every migration, in order, with the text of each backend (a version missing on one backend
/// has empty text there; the lockstep test fails on it).
pub fn migrations() -> Vec<Migration> {
    SQLITE
        .iter()
        .map(|m| Migration { version: m.version, name: file_name(m), sqlite: sql(m), postgres: POSTGRES.iter().find(|p| p.version == m.version).map(sql).unwrap_or("") })
        .collect()
}

/// The marker of a SQLite migration that rebuilds tables.
const REBUILDS_TABLES: &str = "-- knooppunt: rebuilds tables";

fn checksum(sql: &str) -> String {
    hex::encode(Sha256::digest(sql.as_bytes()))
}

fn migrate_error(e: MigrateError, migrator: &Migrator) -> StoreError {
    match e {
        MigrateError::VersionMismatch(version) | MigrateError::VersionMissing(version) => {
            let name = migrator.iter().find(|m| m.version == version).map(file_name).unwrap_or_default();
            StoreError::MigrationChanged { version, name }
        }
        MigrateError::Execute(e) | MigrateError::ExecuteMigration(e, _) => StoreError::Sqlx(e),
        other => StoreError::Corrupt(format!("migration: {other}")),
    }
}

/// The body of a run, for one concrete connection type (the same text for both backends).
macro_rules! run_on {
    ($conn:expr, $migrator:expr, $sqlite:expr, $old_table:expr) => {{
        let conn = $conn;
        let migrator: &Migrator = $migrator;
        conn.lock().await.map_err(|e| migrate_error(e, migrator))?;
        let result = async {
            conn.ensure_migrations_table().await.map_err(|e| migrate_error(e, migrator))?;
            // Take over a database the earlier runner migrated: its versions, checked against
            // the files, become sqlx's rows.
            let has_old: Option<(String,)> = sqlx::query_as($old_table).fetch_optional(&mut *conn).await?;
            if has_old.is_some() {
                let rows: Vec<(i64, String)> = sqlx::query_as("SELECT version, checksum FROM schema_migrations ORDER BY version").fetch_all(&mut *conn).await?;
                for (version, stored) in rows {
                    let Some(m) = migrator.iter().find(|m| m.version == version) else {
                        return Err(StoreError::MigrationChanged { version, name: String::new() });
                    };
                    if checksum(sql(m)) != stored {
                        return Err(StoreError::MigrationChanged { version, name: file_name(m) });
                    }
                    sqlx::query(
                        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES ($1, $2, TRUE, $3, -1) ON CONFLICT (version) DO NOTHING",
                    )
                    .bind(m.version)
                    .bind(&*m.description)
                    .bind(&*m.checksum)
                    .execute(&mut *conn)
                    .await?;
                }
                sqlx::query("DROP TABLE schema_migrations").execute(&mut *conn).await?;
            }
            if let Some(version) = conn.dirty_version().await.map_err(|e| migrate_error(e, migrator))? {
                return Err(StoreError::Corrupt(format!("migration {version} was left half-applied")));
            }
            let applied = conn.list_applied_migrations().await.map_err(|e| migrate_error(e, migrator))?;
            let mut done = Vec::new();
            for m in migrator.iter() {
                match applied.iter().find(|a| a.version == m.version) {
                    Some(a) if a.checksum != m.checksum => return Err(StoreError::MigrationChanged { version: m.version, name: file_name(m) }),
                    Some(_) => {}
                    None => {
                        let rebuilds = $sqlite && sql(m).contains(REBUILDS_TABLES);
                        if rebuilds {
                            sqlx::query("PRAGMA foreign_keys = OFF").execute(&mut *conn).await?;
                        }
                        let applied = conn.apply(m).await.map_err(|e| migrate_error(e, migrator));
                        if rebuilds {
                            sqlx::query("PRAGMA foreign_keys = ON").execute(&mut *conn).await?;
                        }
                        applied?;
                        done.push(file_name(m));
                    }
                }
            }
            Ok(done)
        }
        .await;
        conn.unlock().await.map_err(|e| migrate_error(e, migrator))?;
        result
    }};
}

pub(crate) async fn run(db: &Db) -> Result<Vec<String>, StoreError> {
    match db.migration_connection().await? {
        crate::db::MigrationConnection::Sqlite(mut conn) => {
            run_on!(&mut *conn, &SQLITE, true, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
        }
        crate::db::MigrationConnection::Postgres(mut conn) => {
            run_on!(&mut *conn, &POSTGRES, false, "SELECT CAST(to_regclass('schema_migrations') AS TEXT) WHERE to_regclass('schema_migrations') IS NOT NULL")
        }
    }
}

/// The versions applied to this database, for `knooppunt migrate --status` and readiness.
pub async fn applied_versions(db: &Db) -> Result<Vec<i64>, StoreError> {
    let mut tx = db.begin_read().await?;
    let rows = crate::query::q("SELECT version FROM _sqlx_migrations WHERE success = TRUE ORDER BY version").fetch_all(&mut tx).await?;
    tx.commit().await?;
    rows.iter().map(|r| crate::query::col::<i64>(r, "version")).collect()
}

/// True when every embedded migration has been applied.
pub async fn is_current(db: &Db) -> Result<bool, StoreError> {
    let applied = applied_versions(db).await.unwrap_or_default();
    let migrator = match db.backend() {
        Backend::Sqlite => &SQLITE,
        Backend::Postgres => &POSTGRES,
    };
    Ok(migrator.iter().all(|m| applied.contains(&m.version)))
}
