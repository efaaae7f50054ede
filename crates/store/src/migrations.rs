//! Migrations per backend, embedded in the binary and kept in lockstep: the same versions and
//! names in `migrations/sqlite` and `migrations/postgres` (a test fails when they differ).

use crate::db::{col, Backend, Db, StoreError};
use crate::query::q;
use sha2::{Digest, Sha256};

pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

macro_rules! migration {
    ($version:expr, $name:literal) => {
        Migration {
            version: $version,
            name: $name,
            sqlite: include_str!(concat!("../migrations/sqlite/", $name, ".sql")),
            postgres: include_str!(concat!("../migrations/postgres/", $name, ".sql")),
        }
    };
}

/// Every migration, in order. Adding one means adding a file to both folders and a line here.
pub const MIGRATIONS: &[Migration] = &[
    migration!(1, "0001_foundation"),
    migration!(2, "0002_policy_signals"),
    migration!(3, "0003_cases"),
    migration!(4, "0004_treffers"),
    migration!(5, "0005_encoded_index"),
    migration!(6, "0006_landelijke_aanpak"),
    migration!(7, "0007_need_to_know"),
    migration!(8, "0008_sign_in_throttling"),
    migration!(9, "0009_audit_seal"),
    migration!(10, "0010_key_fingerprints"),
    migration!(11, "0011_scheduled_jobs"),
    migration!(12, "0012_native_booleans"),
    migration!(13, "0013_region_keys"),
    migration!(14, "0014_timestamps"),
];

/// The advisory lock that PostgreSQL nodes take around each migration step, so that nodes
/// starting at once migrate once (the others wait, then find the step applied).
const MIGRATION_LOCK: i64 = 0x6b6e_6f6f_7070_756e;

fn checksum(sql: &str) -> String {
    hex::encode(Sha256::digest(sql.as_bytes()))
}

/// Begins a migration step's transaction; on PostgreSQL it first waits for the migration lock.
async fn step(db: &Db) -> Result<crate::Tx, StoreError> {
    let mut tx = db.begin().await?;
    if db.backend() == Backend::Postgres {
        q("SELECT pg_advisory_xact_lock($1)").bind(MIGRATION_LOCK).execute(&mut tx).await?;
    }
    Ok(tx)
}

pub(crate) async fn run(db: &Db) -> Result<Vec<String>, StoreError> {
    let mut tx = step(db).await?;
    q("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at BIGINT NOT NULL)").execute(&mut tx).await?;
    tx.commit().await?;
    let mut applied = Vec::new();
    for m in MIGRATIONS {
        let sql = match db.backend() {
            Backend::Sqlite => m.sqlite,
            Backend::Postgres => m.postgres,
        };
        let rebuilds = db.backend() == Backend::Sqlite && sql.contains(REBUILDS_TABLES);
        if rebuilds {
            db.sqlite_foreign_keys(false).await?;
        }
        let done = apply(db, m, sql, rebuilds).await;
        if rebuilds {
            db.sqlite_foreign_keys(true).await?;
        }
        if done? {
            applied.push(m.name.to_string());
        }
    }
    Ok(applied)
}

/// The line that marks an SQLite migration which rebuilds tables (to add a constraint SQLite
/// cannot add in place): it runs with foreign keys off, and the runner checks every foreign key
/// before the step commits.
const REBUILDS_TABLES: &str = "-- knooppunt: rebuilds tables";

/// Applies one migration unless it is already applied (then checks that it is unchanged);
/// true when it was applied now.
async fn apply(db: &Db, m: &Migration, sql: &str, check_keys: bool) -> Result<bool, StoreError> {
    {
        let mut tx = step(db).await?;
        let existing = q("SELECT checksum FROM schema_migrations WHERE version = $1").bind(m.version).fetch_optional(&mut tx).await?;
        if let Some(row) = existing {
            let stored: String = col(&row, "checksum")?;
            if stored != checksum(sql) {
                return Err(StoreError::MigrationChanged { version: m.version, name: m.name.to_string() });
            }
            return Ok(false);
        }
        crate::query::script(&mut tx, sql).await?;
        if check_keys {
            if let Some(r) = q("PRAGMA foreign_key_check").fetch_optional(&mut tx).await? {
                let table: String = col(&r, "table")?;
                return Err(StoreError::Corrupt(format!("migration {} leaves rows of {table} without the row their foreign key names", m.name)));
            }
        }
        // The migration time is informational only; the real clock enters at the edge, so the
        // version number stands in for it here.
        q("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)")
            .bind(m.version)
            .bind(m.name)
            .bind(checksum(sql))
            .bind(0_i64)
            .execute(&mut tx)
            .await?;
        tx.commit().await?;
    }
    Ok(true)
}

/// The versions applied to this database, for `knooppunt migrate --status` and readiness.
pub async fn applied_versions(db: &Db) -> Result<Vec<i64>, StoreError> {
    let mut tx = db.begin_read().await?;
    let rows = q("SELECT version FROM schema_migrations ORDER BY version").fetch_all(&mut tx).await?;
    tx.commit().await?;
    rows.iter().map(|r| col::<i64>(r, "version")).collect()
}

/// True when every embedded migration has been applied.
pub async fn is_current(db: &Db) -> Result<bool, StoreError> {
    let applied = applied_versions(db).await.unwrap_or_default();
    Ok(MIGRATIONS.iter().all(|m| applied.contains(&m.version)))
}
