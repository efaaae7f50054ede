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
    /// Writes, and every transaction that writes anything.
    pool: AnyPool,
    /// Read-only transactions ([`Db::begin_read`]). On SQLite a pool of its own: WAL lets many
    /// readers work while the one writer writes. On PostgreSQL the same pool.
    read_pool: AnyPool,
    backend: Backend,
}

/// How many read-only connections SQLite gets: a few per core is enough to keep the cores busy
/// while one request waits for the writer.
pub const SQLITE_READERS: u32 = 4;

impl Db {
    /// Connects to `sqlite://path?mode=rwc` or `postgres://...`.
    ///
    /// SQLite gets WAL, foreign keys and a busy timeout on every connection, one writer
    /// connection (one writer at a time avoids SQLITE_BUSY on lock upgrades) and
    /// [`SQLITE_READERS`] read-only connections (`query_only`, so a write there fails loudly).
    /// PostgreSQL gets a normal pool that serves both.
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
        Ok(match backend {
            Backend::Sqlite => {
                // The writer first: it creates the file and switches it to WAL.
                let pool = sqlite_pool(1, false).connect_with(opts.clone()).await?;
                let read_pool = sqlite_pool(SQLITE_READERS, true).connect_with(opts).await?;
                Db { pool, read_pool, backend }
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new().max_connections(10).acquire_timeout(ACQUIRE_TIMEOUT).connect_with(opts).await?;
                Db { read_pool: pool.clone(), pool, backend }
            }
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(self.pool.begin().await?)
    }

    /// A read-only transaction: it sees one consistent snapshot and cannot write (SQLite's
    /// `query_only` connection, PostgreSQL's `READ ONLY` transaction). Reads of personal data
    /// in it are logged through the group-committed read log of the app, not in it.
    pub async fn begin_read(&self) -> Result<Tx, StoreError> {
        let mut tx = self.read_pool.begin().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SET TRANSACTION READ ONLY").execute(&mut *tx).await?;
        }
        Ok(tx)
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
        self.read_pool.close().await;
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

/// Pool options for SQLite: WAL, foreign keys, a busy timeout, and a page cache and memory map
/// that hold the hot part of a large database (64 MiB for the writer, 32 MiB per reader; the map
/// of 256 MiB is the operating system's page cache and shared by all).
fn sqlite_pool(connections: u32, read_only: bool) -> AnyPoolOptions {
    AnyPoolOptions::new().max_connections(connections).acquire_timeout(ACQUIRE_TIMEOUT).after_connect(move |conn, _meta| {
        Box::pin(async move {
            conn.execute("PRAGMA journal_mode = WAL").await?;
            conn.execute("PRAGMA foreign_keys = ON").await?;
            conn.execute("PRAGMA busy_timeout = 5000").await?;
            conn.execute("PRAGMA synchronous = NORMAL").await?;
            conn.execute(if read_only { "PRAGMA cache_size = -32768" } else { "PRAGMA cache_size = -65536" }).await?;
            conn.execute("PRAGMA mmap_size = 268435456").await?;
            if read_only {
                conn.execute("PRAGMA query_only = ON").await?;
            }
            Ok(())
        })
    })
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
