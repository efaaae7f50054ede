//! The database handle: backend chosen by URL at start-up.

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, Executor};
use std::str::FromStr;
use std::time::Duration;

/// A transaction; every use case runs in exactly one.
pub type Tx = sqlx::Transaction<'static, sqlx::Any>;
/// A connection borrowed from a transaction (`&mut *tx`).
pub type Conn = AnyConnection;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("unsupported database URL '{0}': use sqlite://... or postgres://...")]
    UnsupportedUrl(String),
    #[error("migration {version} ({name}) was changed after it was applied")]
    MigrationChanged { version: i64, name: String },
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// True when a unique constraint refused the write (a duplicate the caller can fix): SQLSTATE
    /// 23505 on PostgreSQL, SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY (2067 / 1555) on SQLite.
    pub fn is_unique_violation(&self) -> bool {
        match self {
            StoreError::Sqlx(sqlx::Error::Database(e)) => e.is_unique_violation() || matches!(e.code().as_deref(), Some("23505" | "2067" | "1555")),
            _ => false,
        }
    }

    /// For a unique violation, the column it was about, as the user calls it (`naam`,
    /// `gebruikersnaam`, …), when it is one people type; otherwise `None`.
    pub fn duplicate_field(&self) -> Option<&'static str> {
        let StoreError::Sqlx(sqlx::Error::Database(e)) = self else { return None };
        // PostgreSQL names the constraint (`organisations_name_key`), SQLite the column
        // (`UNIQUE constraint failed: organisations.name`).
        let about = e.constraint().map(str::to_string).unwrap_or_else(|| e.message().to_string());
        const FIELDS: [(&str, &str); 5] = [("username", "gebruikersnaam"), ("cbs_code", "CBS-code"), ("reference", "kenmerk"), ("code", "code"), ("name", "naam")];
        FIELDS.iter().find(|(column, _)| about.contains(&format!(".{column}")) || about.contains(&format!("_{column}_key"))).map(|(_, label)| *label)
    }

    /// True when the database could not be reached in time (pool timeout, connection refused or
    /// lost): nobody's mistake, answered as "try again shortly".
    pub fn is_unavailable(&self) -> bool {
        matches!(self, StoreError::Sqlx(sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) | sqlx::Error::WorkerCrashed))
    }
}

/// How long a request waits for a database connection before it is answered 503.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
}

impl Db {
    /// Connects to `sqlite://path?mode=rwc` or `postgres://...`.
    ///
    /// SQLite gets WAL, foreign keys and a busy timeout on every connection, and a pool of one
    /// connection: every use case writes (at least its audit line), and one writer at a time
    /// avoids SQLITE_BUSY on lock upgrades. PostgreSQL gets a normal pool.
    pub async fn connect(url: &str) -> Result<Db, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_string()));
        };
        let opts = AnyConnectOptions::from_str(url)?;
        let pool = match backend {
            Backend::Sqlite => {
                AnyPoolOptions::new()
                    .max_connections(1)
                    .acquire_timeout(ACQUIRE_TIMEOUT)
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            conn.execute("PRAGMA journal_mode = WAL").await?;
                            conn.execute("PRAGMA foreign_keys = ON").await?;
                            conn.execute("PRAGMA busy_timeout = 5000").await?;
                            conn.execute("PRAGMA synchronous = NORMAL").await?;
                            // The one connection serves every request: give it a page cache that
                            // holds the hot part of a large database (64 MiB) and map the file
                            // (256 MiB) so reads beyond the cache avoid a system call per page.
                            conn.execute("PRAGMA cache_size = -65536").await?;
                            conn.execute("PRAGMA mmap_size = 268435456").await?;
                            Ok(())
                        })
                    })
                    .connect_with(opts)
                    .await?
            }
            Backend::Postgres => AnyPoolOptions::new().max_connections(10).acquire_timeout(ACQUIRE_TIMEOUT).connect_with(opts).await?,
        };
        Ok(Db { pool, backend })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(self.pool.begin().await?)
    }

    /// A cheap round trip for readiness checks.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Whether the connection to the database is encrypted (PostgreSQL over TLS); SQLite is a
    /// file, so `false`.
    pub async fn is_encrypted(&self) -> Result<bool, StoreError> {
        if self.backend == Backend::Sqlite {
            return Ok(false);
        }
        let row = sqlx::query("SELECT CASE WHEN ssl THEN 1 ELSE 0 END AS encrypted FROM pg_stat_ssl WHERE pid = pg_backend_pid()").fetch_optional(&self.pool).await?;
        Ok(match row {
            Some(r) => col::<i32>(&r, "encrypted")? == 1,
            None => false,
        })
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Runs the pending migrations of this backend.
    pub async fn migrate(&self) -> Result<Vec<String>, StoreError> {
        crate::migrations::run(self).await
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }
}

/// Shorthand for a row column read with the column named in the error.
pub(crate) fn col<'r, T>(row: &'r sqlx::any::AnyRow, name: &str) -> Result<T, StoreError>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    use sqlx::Row;
    Ok(row.try_get::<T, _>(name)?)
}

/// Reads a boolean column. PostgreSQL has BOOLEAN; SQLite stores 0/1 in an INTEGER column
/// (sqlx's Any driver cannot map SQLite's BOOLEAN declared type).
pub(crate) fn flag(row: &sqlx::any::AnyRow, name: &str) -> Result<bool, StoreError> {
    use sqlx::Row;
    match row.try_get::<bool, _>(name) {
        Ok(b) => Ok(b),
        Err(_) => Ok(row.try_get::<i64, _>(name)? != 0),
    }
}
