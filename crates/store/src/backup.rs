//! Backups of an SQLite database while it is in use.

use crate::db::{col, Backend, Db, StoreError};
use std::path::Path;

/// Writes a consistent copy of the whole SQLite database to `out` (`VACUUM INTO`: one read
/// transaction, so writers that commit meanwhile are either wholly in it or not at all).
pub async fn sqlite_snapshot(db: &Db, out: &Path) -> Result<(), StoreError> {
    if db.backend() != Backend::Sqlite {
        return Err(StoreError::Corrupt("a snapshot is only made of SQLite; use pg_dump for PostgreSQL".into()));
    }
    let path = out.to_str().ok_or_else(|| StoreError::Corrupt(format!("path {} is not UTF-8", out.display())))?;
    sqlx::query("VACUUM INTO $1").bind(path).execute(db.pool()).await?;
    Ok(())
}

/// SQLite's own check of every page and index; `Corrupt` with its first finding when it fails.
pub async fn integrity_check(db: &Db) -> Result<(), StoreError> {
    if db.backend() != Backend::Sqlite {
        return Ok(());
    }
    let row = sqlx::query("PRAGMA integrity_check").fetch_one(db.pool()).await?;
    let verdict: String = col(&row, "integrity_check")?;
    if verdict == "ok" {
        Ok(())
    } else {
        Err(StoreError::Corrupt(verdict))
    }
}
