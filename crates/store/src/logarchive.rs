//! The log lifecycle: the audit log and the processing log leave the hot database per calendar
//! month (UTC) as JSON Lines files; what stays behind is a manifest per part (`log_archives`),
//! signed with the audit key, that `audit::verify` uses to prove the chain across the archived
//! parts and the hot rows.
//!
//! A part is read in pages (memory stays bounded), written by the caller, and then removed in
//! one transaction that records its manifest; the removal must take exactly as many rows as
//! were written, or nothing happens. Only months that ended at least a month ago are archived,
//! so no node writes into a part while it is moved (a clock would have to be a month off).

use crate::audit::{audit_row, AuditKey, AuditRow, AUDIT_COLS, GENESIS};
use crate::db::{col, Conn, StoreError};
use crate::processing::{line, ProcessingLine, LINE};
use crate::query::{q, time, Row};

/// Which log a part holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Log {
    Audit,
    Processing,
}

impl Log {
    pub fn code(self) -> &'static str {
        match self {
            Log::Audit => "audit",
            Log::Processing => "verwerkingen",
        }
    }

    pub fn parse(s: &str) -> Option<Log> {
        match s {
            "audit" => Some(Log::Audit),
            "verwerkingen" => Some(Log::Processing),
            _ => None,
        }
    }
}

/// What the hot database keeps of an archived part, and the manifest file beside it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    /// `audit` or `verwerkingen`.
    pub log: String,
    /// `JJJJ-MM`.
    pub period: String,
    pub period_start_at: i64,
    pub period_end_at: i64,
    /// Audit: the first and last sequence number; processing log: the lowest and highest id.
    pub first_seq: i64,
    pub last_seq: i64,
    pub row_count: i64,
    /// Audit: the chain's hash before the first row and of the last row; empty otherwise.
    pub first_prev_hash: String,
    pub last_hash: String,
    pub file_name: String,
    pub file_sha256: String,
    pub archived_at: i64,
    pub archived_by: String,
    /// HMAC-SHA256 under the audit key over every field above.
    pub mac: String,
}

impl Manifest {
    fn text(&self) -> String {
        serde_json::json!([
            "archief",
            self.log,
            self.period,
            self.period_start_at,
            self.period_end_at,
            self.first_seq,
            self.last_seq,
            self.row_count,
            self.first_prev_hash,
            self.last_hash,
            self.file_name,
            self.file_sha256,
            self.archived_at,
            self.archived_by
        ])
        .to_string()
    }

    /// Signs the manifest with the audit key.
    pub fn sign(&mut self, key: &AuditKey) {
        self.mac = key.mac(&self.text());
    }

    /// Was the manifest signed with this key, unchanged since?
    pub fn holds(&self, key: &AuditKey) -> bool {
        !self.mac.is_empty() && key.mac(&self.text()) == self.mac
    }
}

const MANIFEST_COLS: &str =
    "log, period, period_start_at, period_end_at, first_seq, last_seq, row_count, first_prev_hash, last_hash, file_name, file_sha256, archived_at, archived_by, mac";

fn manifest(r: &Row) -> Result<Manifest, StoreError> {
    Ok(Manifest {
        log: col(r, "log")?,
        period: col(r, "period")?,
        period_start_at: time(r, "period_start_at")?,
        period_end_at: time(r, "period_end_at")?,
        first_seq: col(r, "first_seq")?,
        last_seq: col(r, "last_seq")?,
        row_count: col(r, "row_count")?,
        first_prev_hash: col(r, "first_prev_hash")?,
        last_hash: col(r, "last_hash")?,
        file_name: col(r, "file_name")?,
        file_sha256: col(r, "file_sha256")?,
        archived_at: time(r, "archived_at")?,
        archived_by: col(r, "archived_by")?,
        mac: col(r, "mac")?,
    })
}

/// Every archived part of one log, oldest first.
pub async fn manifests(c: &mut Conn, log: Log) -> Result<Vec<Manifest>, StoreError> {
    let rows = q(format!("SELECT {MANIFEST_COLS} FROM log_archives WHERE log = $1 ORDER BY first_seq")).bind(log.code()).fetch_all(&mut *c).await?;
    rows.iter().map(manifest).collect()
}

/// The end of the newest archived period of the processing log: lines before it are no longer
/// in the hot database (`None` when nothing was archived).
pub async fn processing_archived_until(c: &mut Conn) -> Result<Option<i64>, StoreError> {
    let r = q("SELECT MAX(period_end_at) AS until FROM log_archives WHERE log = 'verwerkingen'").fetch_one(&mut *c).await?;
    time(&r, "until")
}

/// The oldest audit row still in the hot database: its sequence number and time.
pub async fn oldest_audit(c: &mut Conn) -> Result<Option<(i64, i64)>, StoreError> {
    let r = q("SELECT seq, at FROM audit_log ORDER BY seq LIMIT 1").fetch_optional(&mut *c).await?;
    r.map(|r| Ok((col(&r, "seq")?, time(&r, "at")?))).transpose()
}

/// The first audit row written from `start` on.
pub async fn first_audit_from(c: &mut Conn, start: i64) -> Result<Option<i64>, StoreError> {
    let r = q("SELECT seq FROM audit_log WHERE at >= $1 ORDER BY seq LIMIT 1").bind_at(start).fetch_optional(&mut *c).await?;
    r.map(|r| col(&r, "seq")).transpose()
}

/// The time of the oldest line still in the hot processing log.
pub async fn oldest_processing(c: &mut Conn) -> Result<Option<i64>, StoreError> {
    let r = q("SELECT at FROM processing_log ORDER BY at LIMIT 1").fetch_optional(&mut *c).await?;
    r.map(|r| time(&r, "at")).transpose()
}

/// The last sequence number of the audit rows from `from_seq` on written before `end_at`, and
/// how many rows `from_seq..=last` holds.
pub async fn audit_part_end(c: &mut Conn, from_seq: i64, end_at: i64) -> Result<Option<(i64, i64)>, StoreError> {
    let r = q("SELECT MAX(seq) AS last FROM audit_log WHERE seq >= $1 AND at < $2").bind(from_seq).bind_at(end_at).fetch_one(&mut *c).await?;
    let Some(last) = col::<Option<i64>>(&r, "last")? else {
        return Ok(None);
    };
    let n = q("SELECT COUNT(*) AS n FROM audit_log WHERE seq >= $1 AND seq <= $2").bind(from_seq).bind(last).fetch_one(&mut *c).await?;
    Ok(Some((last, col(&n, "n")?)))
}

/// A page of audit rows `after < seq <= last`, in order.
pub async fn audit_page(c: &mut Conn, after: i64, last: i64, limit: i64) -> Result<Vec<AuditRow>, StoreError> {
    let rows = q(format!("SELECT {AUDIT_COLS} FROM audit_log WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3")).bind(after).bind(last).bind(limit).fetch_all(&mut *c).await?;
    rows.iter().map(audit_row).collect()
}

/// A page of processing lines of `start <= at < end` with an id above `after`, by id, with
/// their ids.
pub async fn processing_page(c: &mut Conn, start: i64, end: i64, after: i64, limit: i64) -> Result<Vec<(i64, ProcessingLine)>, StoreError> {
    let rows = q(format!("SELECT id, {LINE} FROM processing_log WHERE at >= $1 AND at < $2 AND id > $3 ORDER BY id LIMIT $4"))
        .bind_at(start)
        .bind_at(end)
        .bind(after)
        .bind(limit)
        .fetch_all(&mut *c)
        .await?;
    rows.iter().map(|r| Ok((col(r, "id")?, line(r)?))).collect()
}

/// How many lines of the hot processing log and audit rows lie in `start <= at < end`.
pub async fn hot_counts(c: &mut Conn, start: i64, end: i64) -> Result<(i64, i64), StoreError> {
    let a = q("SELECT COUNT(*) AS n FROM audit_log WHERE at >= $1 AND at < $2").bind_at(start).bind_at(end).fetch_one(&mut *c).await?;
    let p = q("SELECT COUNT(*) AS n FROM processing_log WHERE at >= $1 AND at < $2").bind_at(start).bind_at(end).fetch_one(&mut *c).await?;
    Ok((col(&a, "n")?, col(&p, "n")?))
}

/// PostgreSQL: the month partition of the processing log for the month of `now` and the next
/// one, created ahead so that each month's lines live in their own table (migration 0024); a
/// month of which the default partition already holds lines stays there. Returns how many of the
/// two months have their partition. SQLite has no partitions: `0`.
pub async fn ensure_processing_months(c: &mut Conn, now: i64) -> Result<i64, StoreError> {
    if c.backend() != crate::Backend::Postgres {
        return Ok(0);
    }
    // PostgreSQL only (the statement check prepares literal statements on both backends).
    let sql = "SELECT CAST((CASE WHEN knooppunt_processing_month($1) THEN 1 ELSE 0 END) \
         + (CASE WHEN knooppunt_processing_month($1 + INTERVAL '1 month') THEN 1 ELSE 0 END) AS BIGINT) AS n";
    let r = q(sql).bind_at(now).fetch_one(&mut *c).await?;
    col(&r, "n")
}

/// The month partitions of the processing log that exist (PostgreSQL; empty on SQLite), by name.
pub async fn processing_partitions(c: &mut Conn) -> Result<Vec<String>, StoreError> {
    if c.backend() != crate::Backend::Postgres {
        return Ok(Vec::new());
    }
    let sql = "SELECT CAST(c.relname AS TEXT) AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid \
         WHERE i.inhparent = to_regclass('processing_log') AND c.relname <> 'processing_log_default' ORDER BY 1";
    let rows = q(sql).fetch_all(&mut *c).await?;
    rows.iter().map(|r| col(r, "name")).collect()
}

/// PostgreSQL: drops the month partition of an archived part when it holds exactly the part's
/// lines; `None` when the month has no partition of its own (then the rows are deleted).
async fn drop_processing_month(c: &mut Conn, m: &Manifest) -> Result<Option<i64>, StoreError> {
    if c.backend() != crate::Backend::Postgres {
        return Ok(None);
    }
    let sql = "SELECT knooppunt_drop_processing_month($1, $2, $3, $4, $5) AS n";
    let r = q(sql).bind_at(m.period_start_at).bind_at(m.period_end_at).bind(m.first_seq).bind(m.last_seq).bind(m.row_count).fetch_one(&mut *c).await?;
    let n: i64 = col(&r, "n")?;
    Ok((n >= 0).then_some(n))
}

/// Records the signed manifest of a written part and removes its rows from the hot database,
/// in the caller's transaction. The removal must take exactly `row_count` rows (and, for the
/// audit log, follow on the previous part), otherwise `StoreError::Corrupt` and the caller
/// rolls back.
pub async fn record(c: &mut Conn, m: &Manifest) -> Result<(), StoreError> {
    let removed = match Log::parse(&m.log) {
        Some(Log::Audit) => {
            let prev = q("SELECT last_seq, last_hash FROM log_archives WHERE log = 'audit' ORDER BY first_seq DESC LIMIT 1").fetch_optional(&mut *c).await?;
            let (prev_last, prev_hash) = match prev {
                Some(r) => (col::<i64>(&r, "last_seq")?, col::<String>(&r, "last_hash")?),
                None => (0, GENESIS.to_string()),
            };
            if m.first_seq != prev_last + 1 || m.first_prev_hash != prev_hash {
                return Err(StoreError::Corrupt(format!("audit part from {} does not follow the archived chain (up to {prev_last})", m.first_seq)));
            }
            q("DELETE FROM audit_log WHERE seq >= $1 AND seq <= $2").bind(m.first_seq).bind(m.last_seq).execute(&mut *c).await?.rows_affected()
        }
        Some(Log::Processing) => match drop_processing_month(c, m).await? {
            Some(dropped) => u64::try_from(dropped).unwrap_or(u64::MAX),
            None => q("DELETE FROM processing_log WHERE at >= $1 AND at < $2 AND id >= $3 AND id <= $4")
                .bind_at(m.period_start_at)
                .bind_at(m.period_end_at)
                .bind(m.first_seq)
                .bind(m.last_seq)
                .execute(&mut *c)
                .await?
                .rows_affected(),
        },
        None => return Err(StoreError::Corrupt(format!("unknown log {}", m.log))),
    };
    if i64::try_from(removed).ok() != Some(m.row_count) {
        return Err(StoreError::Corrupt(format!("{} part {}: {removed} rows to remove, {} written", m.log, m.period, m.row_count)));
    }
    q(format!("INSERT INTO log_archives ({MANIFEST_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"))
        .bind(&m.log)
        .bind(&m.period)
        .bind_at(m.period_start_at)
        .bind_at(m.period_end_at)
        .bind(m.first_seq)
        .bind(m.last_seq)
        .bind(m.row_count)
        .bind(&m.first_prev_hash)
        .bind(&m.last_hash)
        .bind(&m.file_name)
        .bind(&m.file_sha256)
        .bind_at(m.archived_at)
        .bind(&m.archived_by)
        .bind(&m.mac)
        .execute(&mut *c)
        .await?;
    Ok(())
}
