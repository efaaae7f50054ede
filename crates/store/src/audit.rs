//! The append-only, hash-chained audit log (BIO 8.15.01: who, organisation, action, object,
//! result, source address, time; never secrets).
//!
//! Each row's hash covers its fields and the previous row's hash. `audit_head` holds the newest
//! sequence number and hash; every append updates it first, which takes a row lock on
//! PostgreSQL and so serialises appends: the chain cannot fork. Appends run inside the caller's
//! transaction, so an action and its audit line commit or roll back together.
//!
//! A plain hash chain proves nothing against someone who can rewrite every row and the head.
//! So every row is also sealed: `mac = HMAC-SHA256(key, "rij:<seq>:<hash>")` under an
//! [`AuditKey`] that lives outside the database, and signed checkpoints of the head
//! ([`checkpoint`]), kept outside the database too, reveal a chain cut back to an earlier head.
//! `docs/SECURITY.md` states the threat model.

use crate::db::{col, Conn, Db, StoreError};
use crate::query::{col_at, q, time, Row};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The key that seals audit rows and checkpoints. Kept outside the database (a file or an
/// environment variable on the app nodes); never logged.
#[derive(Clone)]
pub struct AuditKey(Vec<u8>);

impl AuditKey {
    pub fn new(bytes: Vec<u8>) -> Self {
        AuditKey(bytes)
    }

    pub(crate) fn mac(&self, text: &str) -> String {
        let Ok(mut m) = Hmac::<Sha256>::new_from_slice(&self.0) else {
            // HMAC accepts keys of any length; this branch cannot be taken.
            return String::new();
        };
        m.update(text.as_bytes());
        hex::encode(m.finalize().into_bytes())
    }

    fn seal(&self, seq: i64, hash: &str) -> String {
        self.mac(&format!("rij:{seq}:{hash}"))
    }
}

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey(..)")
    }
}

/// A signed statement of the head at one moment: `seq` had `hash`. Exported outside the
/// database, it shows later whether the chain was cut back or rewritten up to that point.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
    pub at: i64,
    pub mac: String,
}

impl Checkpoint {
    fn text(seq: i64, hash: &str, at: i64) -> String {
        format!("checkpoint:{seq}:{hash}:{at}")
    }
}

/// The checkpoint of the current head, signed with `key`.
pub async fn checkpoint(db: &Db, key: &AuditKey, at: i64) -> Result<Checkpoint, StoreError> {
    let mut tx = db.begin_read().await?;
    let head = q("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(&mut tx).await?;
    tx.commit().await?;
    let (seq, hash): (i64, String) = (col(&head, "seq")?, col(&head, "hash")?);
    Ok(Checkpoint { mac: key.mac(&Checkpoint::text(seq, &hash, at)), seq, hash, at })
}

/// What a checkpoint says about the chain now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckpointProblem {
    /// The checkpoint was not signed with this key (forged or another installation).
    Forged { seq: i64 },
    /// The row of the checkpoint is gone: the chain was cut back below it.
    Cut { seq: i64 },
    /// The row is there with another hash: the chain was rewritten up to it.
    Rewritten { seq: i64 },
    /// The row lies in an archived part and the archive was not given to check it against.
    InArchive { seq: i64 },
}

impl std::fmt::Display for CheckpointProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CheckpointProblem::Forged { seq } => write!(f, "controlepunt {seq} is niet met deze auditsleutel ondertekend"),
            CheckpointProblem::Cut { seq } => write!(f, "de keten is ingekort: rij {seq} van controlepunt {seq} ontbreekt"),
            CheckpointProblem::Rewritten { seq } => write!(f, "de keten is herschreven: rij {seq} wijkt af van het controlepunt"),
            CheckpointProblem::InArchive { seq } => write!(f, "rij {seq} van controlepunt {seq} is gearchiveerd; geef de archiefmap (--archief) om het te controleren"),
        }
    }
}

/// Checks exported checkpoints against the chain; the first problem, if any.
/// A checkpoint in an archived part is checked against `archived` (sequence number → hash, read
/// from the archive files); without it, that is a problem of its own, never a silent pass.
pub async fn check_checkpoints(
    db: &Db,
    key: &AuditKey,
    checkpoints: &[Checkpoint],
    archived: &std::collections::HashMap<i64, String>,
) -> Result<Option<CheckpointProblem>, StoreError> {
    let mut tx = db.begin_read().await?;
    let parts = crate::logarchive::manifests(&mut tx, crate::logarchive::Log::Audit).await?;
    let archived_up_to = parts.last().map(|m| m.last_seq).unwrap_or(0);
    for cp in checkpoints {
        if key.mac(&Checkpoint::text(cp.seq, &cp.hash, cp.at)) != cp.mac {
            return Ok(Some(CheckpointProblem::Forged { seq: cp.seq }));
        }
        if cp.seq == 0 {
            continue;
        }
        if cp.seq <= archived_up_to {
            match archived.get(&cp.seq) {
                None => return Ok(Some(CheckpointProblem::InArchive { seq: cp.seq })),
                Some(h) if *h != cp.hash => return Ok(Some(CheckpointProblem::Rewritten { seq: cp.seq })),
                Some(_) => continue,
            }
        }
        let row = q("SELECT hash FROM audit_log WHERE seq = $1").bind(cp.seq).fetch_optional(&mut tx).await?;
        match row {
            None => return Ok(Some(CheckpointProblem::Cut { seq: cp.seq })),
            Some(r) if col::<String>(&r, "hash")? != cp.hash => return Ok(Some(CheckpointProblem::Rewritten { seq: cp.seq })),
            Some(_) => {}
        }
    }
    Ok(None)
}

/// Seals the rows written before the key existed (empty `mac`); returns how many. Run when a
/// node starts; rows sealed this way are as trustworthy as the database was until then.
pub async fn seal_unsealed(db: &Db, key: &AuditKey) -> Result<u64, StoreError> {
    let mut sealed = 0u64;
    loop {
        let mut tx = db.begin().await?;
        let rows = q("SELECT seq, hash FROM audit_log WHERE mac = '' ORDER BY seq LIMIT 1000").fetch_all(&mut tx).await?;
        if rows.is_empty() {
            tx.commit().await?;
            return Ok(sealed);
        }
        for r in &rows {
            let (seq, hash): (i64, String) = (col(r, "seq")?, col(r, "hash")?);
            q("UPDATE audit_log SET mac = $1 WHERE seq = $2 AND mac = ''").bind(key.seal(seq, &hash)).bind(seq).execute(&mut tx).await?;
            sealed += 1;
        }
        tx.commit().await?;
    }
}

/// Does the chain hold sealed rows (then a new key would make them all fail verification)?
pub async fn has_sealed_rows(db: &Db) -> Result<bool, StoreError> {
    let mut tx = db.begin_read().await?;
    let sealed = q("SELECT TRUE AS x FROM audit_log WHERE mac <> '' LIMIT 1").fetch_optional(&mut tx).await?.is_some();
    tx.commit().await?;
    Ok(sealed)
}

/// What an audit line says. `detail` is free text without personal data or secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: i64,
    pub actor: String,
    pub actor_user_id: Option<i64>,
    pub organisation_id: Option<i64>,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    /// `ok`, `geweigerd` (denied) or `mislukt` (failed).
    pub result: String,
    pub source: String,
    pub trace_id: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub seq: i64,
    pub entry: AuditEntry,
    pub prev_hash: String,
    pub hash: String,
    /// The seal under the audit key (empty on a row written before the key existed).
    pub mac: String,
}

fn hash_of(seq: i64, e: &AuditEntry, prev_hash: &str) -> String {
    // A JSON array is an unambiguous encoding of the fields (no separator collisions).
    let canonical =
        serde_json::json!([seq, e.at, e.actor, e.actor_user_id, e.organisation_id, e.action, e.object_type, e.object_id, e.result, e.source, e.trace_id, e.detail, prev_hash]);
    hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
}

/// Appends one line, sealed with `key`, within the caller's transaction; returns its sequence
/// number.
pub async fn append(c: &mut Conn, key: &AuditKey, e: &AuditEntry) -> Result<i64, StoreError> {
    append_many(c, key, std::slice::from_ref(e)).await
}

/// Appends `entries` in order, sealed with `key`, within the caller's transaction: one head
/// update reserves their sequence numbers, multi-row inserts write them, one update moves the
/// head. Returns the sequence number of the last (0 when `entries` is empty).
pub async fn append_many(c: &mut Conn, key: &AuditKey, entries: &[AuditEntry]) -> Result<i64, StoreError> {
    if entries.is_empty() {
        return Ok(0);
    }
    let n = i64::try_from(entries.len()).map_err(|_| StoreError::Corrupt("too many audit lines in one append".into()))?;
    let head = q("UPDATE audit_head SET seq = seq + $1 WHERE id = 1 RETURNING seq, hash").bind(n).fetch_one(&mut *c).await?;
    let last: i64 = col(&head, "seq")?;
    let mut prev: String = col(&head, "hash")?;
    let mut rows = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        let seq = last - n + 1 + i as i64;
        let hash = hash_of(seq, e, &prev);
        let mac = key.seal(seq, &hash);
        rows.push((seq, e, std::mem::replace(&mut prev, hash.clone()), hash, mac));
    }
    // Few statement shapes (16, 8, 4, 2 or 1 rows of 15 binds), as in the processing log.
    let mut rest = rows.as_slice();
    while !rest.is_empty() {
        let size = [16usize, 8, 4, 2, 1].into_iter().find(|k| *k <= rest.len()).unwrap_or(1);
        let (chunk, tail) = rest.split_at(size);
        rest = tail;
        let mut sql = format!("INSERT INTO audit_log ({AUDIT_COLS}) VALUES ");
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            let placeholders: Vec<String> = (1..=15).map(|k| format!("${}", i * 15 + k)).collect();
            sql.push('(');
            sql.push_str(&placeholders.join(", "));
            sql.push(')');
        }
        let mut q = q(&sql);
        for (seq, e, prev_hash, hash, mac) in chunk {
            q = q
                .bind(*seq)
                .bind_at(e.at)
                .bind(&e.actor)
                .bind(e.actor_user_id)
                .bind(e.organisation_id)
                .bind(&e.action)
                .bind(&e.object_type)
                .bind(&e.object_id)
                .bind(&e.result)
                .bind(&e.source)
                .bind(&e.trace_id)
                .bind(&e.detail)
                .bind(prev_hash)
                .bind(hash)
                .bind(mac);
        }
        q.execute(&mut *c).await?;
    }
    q("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(&prev).execute(&mut *c).await?;
    Ok(last)
}

pub(crate) const AUDIT_COLS: &str = "seq, at, actor, actor_user_id, organisation_id, action, object_type, object_id, result, source, trace_id, detail, prev_hash, hash, mac";

/// Does `row` (read back from an archive) hold: its hash covers its fields and its link, and its
/// seal is this key's?
pub fn row_holds(key: &AuditKey, row: &AuditRow) -> bool {
    hash_of(row.seq, &row.entry, &row.prev_hash) == row.hash && key.seal(row.seq, &row.hash) == row.mac
}

pub(crate) fn audit_row(r: &Row) -> Result<AuditRow, StoreError> {
    Ok(AuditRow {
        seq: col(r, "seq")?,
        entry: AuditEntry {
            at: time(r, "at")?,
            actor: col(r, "actor")?,
            actor_user_id: col(r, "actor_user_id")?,
            organisation_id: col(r, "organisation_id")?,
            action: col(r, "action")?,
            object_type: col(r, "object_type")?,
            object_id: col(r, "object_id")?,
            result: col(r, "result")?,
            source: col(r, "source")?,
            trace_id: col(r, "trace_id")?,
            detail: col(r, "detail")?,
        },
        prev_hash: col(r, "prev_hash")?,
        hash: col(r, "hash")?,
        mac: col(r, "mac")?,
    })
}

#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    pub action: Option<String>,
    /// Part of the actor's label (a user name or `token:<name>`), case-insensitive.
    pub actor: Option<String>,
    pub organisation_id: Option<i64>,
    pub object_type: Option<String>,
    /// One object: its kind (`object_type`) and id.
    pub object_id: Option<String>,
    pub result: Option<String>,
    /// From this moment (inclusive), milliseconds since the epoch.
    pub from: Option<i64>,
    /// Until this moment (exclusive).
    pub until: Option<i64>,
    /// Only rows with `seq` below this (paging backwards from the newest).
    pub before_seq: Option<i64>,
    pub limit: i64,
}

pub async fn list(c: &mut Conn, f: &AuditFilter) -> Result<Vec<AuditRow>, StoreError> {
    // The actor matches as a substring; LIKE's own wildcards in the text are escaped.
    let actor = f.actor.as_ref().map(|a| format!("%{}%", a.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")));
    let rows = q(format!(
        "SELECT {AUDIT_COLS} FROM audit_log WHERE (CAST($1 AS TEXT) IS NULL OR action = $1) AND (CAST($2 AS TEXT) IS NULL OR LOWER(actor) LIKE $2 ESCAPE '\\') \
         AND (CAST($3 AS TEXT) IS NULL OR object_type = $3) AND (CAST($4 AS TEXT) IS NULL OR result = $4) AND (CAST($5 AS BIGINT) IS NULL OR seq < $5) \
         AND (CAST($7 AS BIGINT) IS NULL OR organisation_id = $7) AND (CAST($8 AS TEXT) IS NULL OR object_id = $8) AND (CAST($9 AS TIMESTAMPTZ) IS NULL OR at >= $9) AND (CAST($10 AS TIMESTAMPTZ) IS NULL OR at < $10) \
         ORDER BY seq DESC LIMIT $6"
    ))
    .bind(f.action.clone())
    .bind(actor)
    .bind(f.object_type.clone())
    .bind(f.result.clone())
    .bind(f.before_seq)
    .bind(f.limit)
    .bind(f.organisation_id)
    .bind(f.object_id.clone())
    .bind_at(f.from)
    .bind_at(f.until)
    .fetch_all(&mut *c)
    .await?;
    rows.iter().map(audit_row).collect()
}

/// How many lines of `action` (one of those the partial index `audit_log_attention` holds) were
/// written from `from` on.
pub async fn count_since(c: &mut Conn, action: &str, from: i64) -> Result<i64, StoreError> {
    let r = q("SELECT COUNT(*) AS n FROM audit_log WHERE action IN ('toegang-geweigerd', 'casus-geexporteerd') AND action = $1 AND at >= $2")
        .bind(action)
        .bind_at(from)
        .fetch_one(&mut *c)
        .await?;
    col(&r, "n")
}

/// The distinct object kinds in the log, for the viewer's filter.
pub async fn object_types(c: &mut Conn) -> Result<Vec<String>, StoreError> {
    let rows = q("SELECT DISTINCT object_type FROM audit_log ORDER BY object_type").fetch_all(&mut *c).await?;
    rows.iter().map(|r| col(r, "object_type")).collect()
}

/// The distinct actions in the log, for the viewer's filter.
pub async fn actions(c: &mut Conn) -> Result<Vec<String>, StoreError> {
    let rows = q("SELECT DISTINCT action FROM audit_log ORDER BY action").fetch_all(&mut *c).await?;
    rows.iter().map(|r| col(r, "action")).collect()
}

/// What is wrong with the chain, at the first row where it goes wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainProblem {
    /// The row's content no longer matches its hash.
    Changed { seq: i64 },
    /// A row is missing (deleted) before the row that follows it.
    Removed { seq: i64 },
    /// A row that the chain does not account for (inserted by hand).
    Inserted { seq: i64 },
    /// An archived part's manifest was not signed with this key, or was changed.
    ArchiveForged { period: String },
    /// The archived parts do not follow on each other (or the hot rows on them) at `seq`.
    ArchiveGap { seq: i64 },
    /// An archive file is missing, or differs from its signed manifest.
    ArchiveFile { file: String, why: String },
}

impl std::fmt::Display for ChainProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainProblem::Changed { seq } => write!(f, "rij {seq} is gewijzigd"),
            ChainProblem::Removed { seq } => write!(f, "rij {seq} is verwijderd"),
            ChainProblem::Inserted { seq } => write!(f, "rij {seq} is ingevoegd buiten de keten"),
            ChainProblem::ArchiveForged { period } => write!(f, "het archiefmanifest van {period} is niet met deze auditsleutel ondertekend of is gewijzigd"),
            ChainProblem::ArchiveGap { seq } => write!(f, "de gearchiveerde delen sluiten niet op elkaar aan bij rij {seq}"),
            ChainProblem::ArchiveFile { file, why } => write!(f, "archiefbestand {file}: {why}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    pub rows_checked: i64,
    pub head_seq: i64,
    pub head_hash: String,
    pub problem: Option<ChainProblem>,
}

/// Walks the whole chain in pages and reports the first problem: a broken link or hash, or a
/// seal that does not match under `key` (a row rewritten by someone without the key).
pub async fn verify(db: &Db, key: &AuditKey, mut progress: impl FnMut(i64, i64)) -> Result<VerifyReport, StoreError> {
    let mut tx = db.begin().await?;
    let head = q("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(&mut tx).await?;
    let head_seq: i64 = col(&head, "seq")?;
    let head_hash: String = col(&head, "hash")?;
    let mut expected_seq = 1_i64;
    let mut prev = GENESIS.to_string();
    let mut checked = 0_i64;
    let report = |checked, problem| VerifyReport { rows_checked: checked, head_seq, head_hash: head_hash.clone(), problem };
    // The archived parts, by their signed manifests: each follows on the one before, and the
    // hot rows follow on the last. (Their files are checked by `app`, which reads them.)
    for m in crate::logarchive::manifests(&mut tx, crate::logarchive::Log::Audit).await? {
        if !m.holds(key) {
            return Ok(report(checked, Some(ChainProblem::ArchiveForged { period: m.period })));
        }
        if m.first_seq != expected_seq || m.first_prev_hash != prev || m.last_seq < m.first_seq || m.row_count != m.last_seq - m.first_seq + 1 {
            return Ok(report(checked, Some(ChainProblem::ArchiveGap { seq: expected_seq })));
        }
        expected_seq = m.last_seq + 1;
        prev = m.last_hash;
    }
    loop {
        let rows = q(format!("SELECT {AUDIT_COLS} FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT 1000")).bind(expected_seq).fetch_all(&mut tx).await?;
        if rows.is_empty() {
            break;
        }
        for r in &rows {
            let row = audit_row(r)?;
            if row.seq > head_seq {
                return Ok(report(checked, Some(ChainProblem::Inserted { seq: row.seq })));
            }
            if row.seq != expected_seq {
                return Ok(report(checked, Some(ChainProblem::Removed { seq: expected_seq })));
            }
            if row.prev_hash != prev {
                // The link to the previous row is broken: this row was put in its place.
                return Ok(report(checked, Some(ChainProblem::Inserted { seq: row.seq })));
            }
            if hash_of(row.seq, &row.entry, &row.prev_hash) != row.hash || key.seal(row.seq, &row.hash) != row.mac {
                return Ok(report(checked, Some(ChainProblem::Changed { seq: row.seq })));
            }
            prev = row.hash;
            expected_seq += 1;
            checked += 1;
        }
        progress(checked, head_seq);
    }
    // Rows before the head's sequence number that are gone (the newest ones deleted).
    if expected_seq <= head_seq {
        return Ok(report(checked, Some(ChainProblem::Removed { seq: expected_seq })));
    }
    if prev != head_hash {
        return Ok(report(checked, Some(ChainProblem::Changed { seq: head_seq })));
    }
    tx.commit().await?;
    Ok(report(checked, None))
}

/// Raw SQL access for tests that tamper with the chain the way an attacker would.
pub async fn execute_raw(db: &Db, sql: &str) -> Result<u64, StoreError> {
    let mut tx = db.begin().await?;
    let r = q(sql).execute(&mut tx).await?;
    tx.commit().await?;
    Ok(r.rows_affected())
}

/// A raw count (`SELECT COUNT(*) AS n ...`), for tests that compare two databases.
pub async fn count_raw(db: &Db, sql: &str) -> Result<i64, StoreError> {
    let mut tx = db.begin_read().await?;
    let row = q(sql).fetch_one(&mut tx).await?;
    tx.commit().await?;
    col(&row, "n")
}

/// Every row of a raw query as text (each column cast to text by the query), for tests that
/// introspect the schema.
pub async fn text_rows_raw(db: &Db, sql: &str) -> Result<Vec<Vec<String>>, StoreError> {
    let mut tx = db.begin_read().await?;
    let rows = q(sql).fetch_all(&mut tx).await?;
    tx.commit().await?;
    rows.iter()
        .map(|r| {
            (0..r.len())
                .map(|i| {
                    col_at::<String>(r, i)
                        .or_else(|_| col_at::<i64>(r, i).map(|n| n.to_string()))
                        .or_else(|_| col_at::<bool>(r, i).map(|b| if b { "1".into() } else { "0".into() }))
                })
                .collect::<Result<Vec<String>, StoreError>>()
        })
        .collect()
}
