//! The database handle: backend chosen by URL at start-up, each with its own typed driver.

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool};
use std::ops::{Deref, DerefMut};
use std::str::FromStr;
use std::time::Duration;

pub use crate::query::{col, Row};

/// An open transaction on either backend; store functions take `&mut Conn` and run their
/// statements with [`crate::query::q`].
#[derive(Debug)]
pub enum Conn {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

impl Conn {
    pub fn backend(&self) -> Backend {
        match self {
            Conn::Sqlite(_) => Backend::Sqlite,
            Conn::Postgres(_) => Backend::Postgres,
        }
    }
}

/// A transaction; every use case runs in exactly one. `&mut *tx` is the [`Conn`] that store
/// functions take.
#[derive(Debug)]
pub struct Tx(Conn);

impl Tx {
    pub async fn commit(self) -> Result<(), StoreError> {
        match self.0 {
            Conn::Sqlite(tx) => tx.commit().await?,
            Conn::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }

    pub async fn rollback(self) -> Result<(), StoreError> {
        match self.0 {
            Conn::Sqlite(tx) => tx.rollback().await?,
            Conn::Postgres(tx) => tx.rollback().await?,
        }
        Ok(())
    }
}

impl Deref for Tx {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.0
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.0
    }
}

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

pub(crate) enum MigrationConnection {
    Sqlite(sqlx::pool::PoolConnection<Sqlite>),
    Postgres(sqlx::pool::PoolConnection<Postgres>),
}

/// The pools of one backend.
#[derive(Clone, Debug)]
enum Pools {
    /// One writer connection (one writer at a time avoids SQLITE_BUSY on lock upgrades) and a
    /// pool of read-only connections: WAL lets many readers work while the writer writes.
    Sqlite { writer: SqlitePool, readers: SqlitePool },
    /// One pool serves writes and read-only transactions.
    Postgres(PgPool),
}

#[derive(Clone, Debug)]
pub struct Db {
    pools: Pools,
}

/// How many read-only connections SQLite gets: a few per core is enough to keep the cores busy
/// while one request waits for the writer.
pub const SQLITE_READERS: u32 = 4;

/// How many connections the PostgreSQL pool holds unless the operator says otherwise
/// ([`Db::connect_sized`]): the cores plus one, at least three. Requests beyond it wait in the
/// pool's queue rather than as server processes competing for the cores. On two cores, with
/// the server on the same machine and three statements per search, 3 connections gave the
/// knowledge search under 16 clients the shortest tail at the same throughput as 4 and 5
/// (median p99 18.8 ms against 20.8 and 22.9 ms; docs/benchmarks.md, eighth round); 10 took
/// 52–63 ms. A server on machines of its own wants more (its cores times two, plus disks).
/// No use case holds two connections at once — the whole test suite passes on a pool of one
/// (`KNOOPPUNT_TEST_POSTGRES_CONNECTIONS=1`) — so a small pool cannot deadlock.
pub fn postgres_connections() -> u32 {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    u32::try_from(cores + 1).unwrap_or(u32::MAX).clamp(3, 64)
}

impl Db {
    /// Connects to `sqlite://path?mode=rwc` or `postgres://...` (with `sslmode` and
    /// `sslrootcert` in the URL for TLS).
    ///
    /// SQLite gets WAL, foreign keys and a busy timeout on every connection, one writer
    /// connection and [`SQLITE_READERS`] read-only connections (`query_only`, so a write there
    /// fails loudly). PostgreSQL gets a normal pool that serves both.
    pub async fn connect(url: &str) -> Result<Db, StoreError> {
        Db::connect_sized(url, postgres_connections()).await
    }

    /// [`Db::connect`] with a PostgreSQL pool of `postgres_connections` (at least one; SQLite
    /// keeps its one writer and [`SQLITE_READERS`] readers).
    pub async fn connect_sized(url: &str, postgres_connections: u32) -> Result<Db, StoreError> {
        if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)?;
            // The writer first: it creates the file and switches it to WAL.
            let writer = sqlite_pool(1).connect_with(sqlite_options(opts.clone(), false)).await?;
            let readers = sqlite_pool(SQLITE_READERS).connect_with(sqlite_options(opts, true)).await?;
            Ok(Db { pools: Pools::Sqlite { writer, readers } })
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            // Plans made for the values of each execution: a generic plan cannot see that
            // `$1 OR …` (the editor's flag) is false and reads far more than a reader's own
            // rows; and no JIT, which costs more than it saves on statements of milliseconds.
            let opts = PgConnectOptions::from_str(url)?.options([("plan_cache_mode", "force_custom_plan"), ("jit", "off")]);
            let pool = PgPoolOptions::new().max_connections(postgres_connections.max(1)).acquire_timeout(ACQUIRE_TIMEOUT).connect_with(opts).await?;
            Ok(Db { pools: Pools::Postgres(pool) })
        } else {
            Err(StoreError::UnsupportedUrl(url.to_string()))
        }
    }

    pub fn backend(&self) -> Backend {
        match self.pools {
            Pools::Sqlite { .. } => Backend::Sqlite,
            Pools::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(Tx(match &self.pools {
            Pools::Sqlite { writer, .. } => Conn::Sqlite(writer.begin().await?),
            Pools::Postgres(pool) => Conn::Postgres(pool.begin().await?),
        }))
    }

    /// A read-only transaction: it sees one consistent snapshot and cannot write (SQLite's
    /// `query_only` connection, PostgreSQL's `READ ONLY` transaction). Reads of personal data
    /// in it are logged through the group-committed read log of the app, not in it.
    pub async fn begin_read(&self) -> Result<Tx, StoreError> {
        Ok(Tx(match &self.pools {
            Pools::Sqlite { readers, .. } => Conn::Sqlite(readers.begin().await?),
            Pools::Postgres(pool) => Conn::Postgres(pool.begin_with("BEGIN READ ONLY").await?),
        }))
    }

    /// A read-only transaction (as [`Db::begin_read`]) whose statements PostgreSQL may run
    /// with a plan it keeps (`plan_cache_mode = auto` instead of the connection's
    /// `force_custom_plan`): for a use case whose statements look rows up by key or read
    /// small tables, where planning each execution costs more than running it — an unnarrowed
    /// knowledge search spends most of its time in the database planning otherwise. Sent with
    /// the `BEGIN`, in one round trip.
    pub async fn begin_read_planned(&self) -> Result<Tx, StoreError> {
        Ok(Tx(match &self.pools {
            Pools::Sqlite { readers, .. } => Conn::Sqlite(readers.begin().await?),
            Pools::Postgres(pool) => Conn::Postgres(pool.begin_with("BEGIN READ ONLY; SET LOCAL plan_cache_mode = auto").await?),
        }))
    }

    /// A cheap round trip for readiness checks.
    pub async fn ping(&self) -> Result<(), StoreError> {
        match &self.pools {
            Pools::Sqlite { writer, .. } => {
                sqlx::query("SELECT 1").execute(writer).await?;
            }
            Pools::Postgres(pool) => {
                sqlx::query("SELECT 1").execute(pool).await?;
            }
        }
        Ok(())
    }

    /// Whether the connection to the database is encrypted (PostgreSQL over TLS); SQLite is a
    /// file, so `false`.
    pub async fn is_encrypted(&self) -> Result<bool, StoreError> {
        let Pools::Postgres(pool) = &self.pools else { return Ok(false) };
        let ssl: Option<bool> = sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").fetch_optional(pool).await?;
        Ok(ssl.unwrap_or(false))
    }

    /// After a destruction: on SQLite (which overwrites deleted content, `secure_delete`) the
    /// write-ahead log, which still holds the pages as they were, is checkpointed and truncated;
    /// on PostgreSQL the tables that held the destroyed rows are vacuumed, so their index entries
    /// and dead row versions are cleaned up now rather than whenever autovacuum comes by.
    pub async fn reclaim_after_destruction(&self) -> Result<(), StoreError> {
        match &self.pools {
            Pools::Sqlite { writer, .. } => {
                let mut conn = writer.acquire().await?;
                sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut *conn).await?;
            }
            Pools::Postgres(pool) => {
                let mut conn = pool.acquire().await?;
                sqlx::query(
                    "VACUUM (ANALYZE) subjects, relations, subject_match_keys, match_queue, subject_encodings, treffers, case_links, items, item_releases, \
                     item_attachments, information_requests, request_recipients, advice_versions, interventions, meetings, case_events, cases",
                )
                .execute(&mut *conn)
                .await?;
            }
        }
        Ok(())
    }

    /// SQLite's `VACUUM INTO`: a consistent copy of the database at `path`, written outside
    /// any transaction (VACUUM refuses to run inside one).
    pub(crate) async fn sqlite_vacuum_into(&self, path: &str) -> Result<(), StoreError> {
        let Pools::Sqlite { writer, .. } = &self.pools else {
            return Err(StoreError::Corrupt("VACUUM INTO is SQLite only".into()));
        };
        // On the writer: SQLite refuses VACUUM INTO on a query_only connection. It reads one
        // snapshot, so writes wait for the copy.
        let mut conn = writer.acquire().await?;
        sqlx::query("VACUUM INTO $1").bind(path).execute(&mut *conn).await?;
        Ok(())
    }

    /// A connection of its own for the migration runner (outside any transaction: the runner
    /// takes the lock and opens a transaction per step).
    pub(crate) async fn migration_connection(&self) -> Result<MigrationConnection, StoreError> {
        Ok(match &self.pools {
            Pools::Sqlite { writer, .. } => MigrationConnection::Sqlite(writer.acquire().await?),
            Pools::Postgres(pool) => MigrationConnection::Postgres(pool.acquire().await?),
        })
    }

    pub async fn close(&self) {
        match &self.pools {
            Pools::Sqlite { writer, readers } => {
                readers.close().await;
                writer.close().await;
            }
            Pools::Postgres(pool) => pool.close().await,
        }
    }

    /// Runs the pending migrations of this backend.
    pub async fn migrate(&self) -> Result<Vec<String>, StoreError> {
        crate::migrations::run(self).await
    }
}

/// Connection options for SQLite: WAL, foreign keys, a busy timeout, and a page cache that holds
/// the hot part of a large database (64 MiB for the writer, 32 MiB per reader). No memory map:
/// every commit of the read log makes each reader drop and re-map what it had mapped, which cost
/// more than reading through the page cache (docs/benchmarks.md, "Fast audited reads").
fn sqlite_options(opts: SqliteConnectOptions, read_only: bool) -> SqliteConnectOptions {
    let opts = opts
        .journal_mode(SqliteJournalMode::Wal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5))
        .synchronous(SqliteSynchronous::Normal)
        .pragma("cache_size", if read_only { "-32768" } else { "-65536" })
        .pragma("mmap_size", "0")
        // Destroyed personal data is overwritten in the file, not only unlinked (retention).
        .pragma("secure_delete", "ON");
    if read_only {
        opts.pragma("query_only", "ON")
    } else {
        opts
    }
}

fn sqlite_pool(connections: u32) -> SqlitePoolOptions {
    SqlitePoolOptions::new().max_connections(connections).acquire_timeout(ACQUIRE_TIMEOUT)
}
