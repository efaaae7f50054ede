//! Backups of an SQLite database while it is in use.

use crate::db::{col, Backend, Db, StoreError};
use crate::query::q;
use std::path::Path;

/// Writes a consistent copy of the whole SQLite database to `out` (`VACUUM INTO`: one read
/// transaction, so writers that commit meanwhile are either wholly in it or not at all).
pub async fn sqlite_snapshot(db: &Db, out: &Path) -> Result<(), StoreError> {
    if db.backend() != Backend::Sqlite {
        return Err(StoreError::Corrupt("a snapshot is only made of SQLite; use pg_dump for PostgreSQL".into()));
    }
    let path = out.to_str().ok_or_else(|| StoreError::Corrupt(format!("path {} is not UTF-8", out.display())))?;
    // VACUUM cannot run inside a transaction: straight on a connection of its own.
    db.sqlite_vacuum_into(path).await?;
    Ok(())
}

/// SQLite's own check of every page and index; `Corrupt` with its first finding when it fails.
pub async fn integrity_check(db: &Db) -> Result<(), StoreError> {
    if db.backend() != Backend::Sqlite {
        return Ok(());
    }
    let mut tx = db.begin_read().await?;
    let row = q("PRAGMA integrity_check").fetch_one(&mut tx).await?;
    tx.commit().await?;
    let verdict: String = col(&row, "integrity_check")?;
    if verdict == "ok" {
        Ok(())
    } else {
        Err(StoreError::Corrupt(verdict))
    }
}
