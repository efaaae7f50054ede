//! The log lifecycle: the audit log and the processing log are exported per calendar month as
//! JSON Lines (the processing log in the fields of Logboek Dataverwerkingen), and months that
//! ended long enough ago leave the hot database as archive files with a manifest signed with the
//! audit key; `audit verify` then proves the chain across the archived parts and the hot rows.
//!
//! Files are written next to each other in one folder the operator names: `<log>-<JJJJ-MM>-<first>.jsonl`
//! and `<…>.manifest.json`. A part's rows leave the database only after its file is complete
//! and synced, in one transaction with its manifest and the audit line that records the move.

use crate::{App, AppError, Ctx, Object, Outcome};
use chrono::{Datelike, TimeZone, Utc};
use knooppunt_domain::Invalid;
use knooppunt_policy::Action;
use knooppunt_store::audit::{self, AuditEntry, AuditRow, ChainProblem, GENESIS};
use knooppunt_store::logarchive::{self, Log, Manifest};
use knooppunt_store::processing::ProcessingLine;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

/// Rows read from the database per page while a part is written.
const PAGE: i64 = 5_000;

/// A calendar month in UTC, the period of an archived part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Period {
    year: i32,
    month: u32,
}

impl Period {
    /// `JJJJ-MM`.
    pub fn parse(text: &str) -> Result<Period, Invalid> {
        let bad = || Invalid::one("periode", "Geef een maand als JJJJ-MM, bijvoorbeeld 2026-10.");
        let (y, m) = text.trim().split_once('-').ok_or_else(bad)?;
        let (year, month) = (y.parse::<i32>().map_err(|_| bad())?, m.parse::<u32>().map_err(|_| bad())?);
        if y.len() != 4 || m.len() != 2 || !(1..=12).contains(&month) || !(2000..=2999).contains(&year) {
            return Err(bad());
        }
        Ok(Period { year, month })
    }

    /// The month that holds `at` (milliseconds since the epoch).
    pub fn of(at: i64) -> Period {
        let d = Utc.timestamp_millis_opt(at).single().unwrap_or_default();
        Period { year: d.year(), month: d.month() }
    }

    pub fn next(self) -> Period {
        if self.month == 12 {
            Period { year: self.year + 1, month: 1 }
        } else {
            Period { year: self.year, month: self.month + 1 }
        }
    }

    /// `months` before this one.
    pub fn back(self, months: u32) -> Period {
        let index = self.year * 12 + self.month as i32 - 1 - months as i32;
        Period { year: index.div_euclid(12), month: index.rem_euclid(12) as u32 + 1 }
    }

    pub fn start(self) -> i64 {
        Utc.with_ymd_and_hms(self.year, self.month, 1, 0, 0, 0).single().map(|d| d.timestamp_millis()).unwrap_or_default()
    }

    /// The start of the next month (exclusive end).
    pub fn end(self) -> i64 {
        self.next().start()
    }

    pub fn label(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
}

/// One audit row as a line of an archive file: every field the hash and the seal cover.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct AuditLine {
    seq: i64,
    at: i64,
    time: String,
    actor: String,
    actor_user_id: Option<i64>,
    organisation_id: Option<i64>,
    action: String,
    object_type: String,
    object_id: String,
    result: String,
    source: String,
    trace_id: String,
    detail: String,
    prev_hash: String,
    hash: String,
    mac: String,
}

impl AuditLine {
    fn of(r: &AuditRow) -> AuditLine {
        let e = &r.entry;
        AuditLine {
            seq: r.seq,
            at: e.at,
            time: rfc3339(e.at),
            actor: e.actor.clone(),
            actor_user_id: e.actor_user_id,
            organisation_id: e.organisation_id,
            action: e.action.clone(),
            object_type: e.object_type.clone(),
            object_id: e.object_id.clone(),
            result: e.result.clone(),
            source: e.source.clone(),
            trace_id: e.trace_id.clone(),
            detail: e.detail.clone(),
            prev_hash: r.prev_hash.clone(),
            hash: r.hash.clone(),
            mac: r.mac.clone(),
        }
    }

    fn row(self) -> AuditRow {
        AuditRow {
            seq: self.seq,
            entry: AuditEntry {
                at: self.at,
                actor: self.actor,
                actor_user_id: self.actor_user_id,
                organisation_id: self.organisation_id,
                action: self.action,
                object_type: self.object_type,
                object_id: self.object_id,
                result: self.result,
                source: self.source,
                trace_id: self.trace_id,
                detail: self.detail,
            },
            prev_hash: self.prev_hash,
            hash: self.hash,
            mac: self.mac,
        }
    }
}

fn rfc3339(at: i64) -> String {
    Utc.timestamp_millis_opt(at).single().map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)).unwrap_or_default()
}

/// A processing-log line as a record of Logboek Dataverwerkingen (draft of the standard): the
/// trace and span, the action's name and status, its time, the processing activity as a URI in
/// the register, the pseudonymised data subject and the kind of identifier, and knooppunt's
/// own attributes (who acted) under `knooppunt.`.
pub fn ldv_record(l: &ProcessingLine) -> serde_json::Value {
    let status = match l.status.as_str() {
        "ok" => "Ok",
        "mislukt" | "fout" => "Error",
        _ => "Unset",
    };
    let time = rfc3339(l.at);
    json!({
        "trace_id": l.trace_id,
        "span_id": l.span_id,
        "parent_span_id": l.parent_span_id,
        "name": l.activity_code,
        "status": status,
        "start_time": time,
        "end_time": time,
        "resource": { "attributes": { "service.name": "knooppunt", "service.version": env!("CARGO_PKG_VERSION") } },
        "attributes": {
            "dpl.core.processing_activity_id": format!("urn:knooppunt:verwerkingsactiviteit:{}", l.activity_code),
            "dpl.core.data_subject_id": l.subject_pseudonym,
            "dpl.core.data_subject_id_type": l.subject_type,
            "knooppunt.actor": l.actor,
            "knooppunt.organisation_id": l.organisation_id,
        }
    })
}

/// A file being written: lines go to `<name>.tmp` and are hashed on the way; `finish` syncs it
/// and gives it its name.
struct PartFile {
    dir: PathBuf,
    name: String,
    tmp: PathBuf,
    out: std::io::BufWriter<std::fs::File>,
    sha: Sha256,
    lines: i64,
}

/// A file once written: its name, number of lines and SHA-256.
struct Written {
    name: String,
    lines: i64,
    sha256: String,
}

impl PartFile {
    fn create(dir: &Path, name: String) -> Result<PartFile, AppError> {
        let tmp = dir.join(format!("{name}.tmp"));
        let file = std::fs::File::create(&tmp).map_err(|e| io(&tmp, e))?;
        Ok(PartFile { dir: dir.to_path_buf(), name, tmp, out: std::io::BufWriter::new(file), sha: Sha256::new(), lines: 0 })
    }

    fn line(&mut self, value: &impl serde::Serialize) -> Result<(), AppError> {
        let mut text = serde_json::to_vec(value).map_err(|e| AppError::Internal(e.to_string()))?;
        text.push(b'\n');
        self.sha.update(&text);
        self.lines += 1;
        self.out.write_all(&text).map_err(|e| io(&self.tmp, e))
    }

    /// Syncs the file and renames it into place.
    fn finish(self) -> Result<Written, AppError> {
        let file = self.out.into_inner().map_err(|e| io(&self.tmp, e.into_error()))?;
        file.sync_all().map_err(|e| io(&self.tmp, e))?;
        let target = self.dir.join(&self.name);
        std::fs::rename(&self.tmp, &target).map_err(|e| io(&target, e))?;
        if let Ok(d) = std::fs::File::open(&self.dir) {
            let _ = d.sync_all();
        }
        Ok(Written { name: self.name, lines: self.lines, sha256: hex::encode(self.sha.finalize()) })
    }
}

/// The name of a part's file: `<log>-<JJJJ-MM>-<first>[-export].jsonl`.
fn part_name(log: Log, period: Period, first: i64, export: bool) -> String {
    format!("{}-{}-{first}{}.jsonl", log.code(), period.label(), if export { "-export" } else { "" })
}

fn io(path: &Path, e: std::io::Error) -> AppError {
    AppError::Internal(format!("{}: {e}", path.display()))
}

fn write_manifest(dir: &Path, m: &Manifest) -> Result<(), AppError> {
    let name = m.file_name.trim_end_matches(".jsonl").to_string() + ".manifest.json";
    let mut f = PartFile::create(dir, name)?;
    f.line(m)?;
    f.finish().map(|_| ())
}

/// What was written or moved.
#[derive(Debug, Clone, Default)]
pub struct ArchiveReport {
    pub parts: Vec<Manifest>,
}

/// What the archive files say when checked against their manifests.
#[derive(Debug, Clone, Default)]
pub struct ArchiveCheck {
    pub parts: usize,
    pub rows: i64,
    pub problem: Option<ChainProblem>,
    /// The hashes of the archived audit rows that were asked for (for checkpoints).
    pub hashes: HashMap<i64, String>,
}

/// The logs by month: what is archived and what is still in the hot database.
#[derive(Debug, Clone, Default)]
pub struct LogOverview {
    pub archived: Vec<Manifest>,
    /// Month, audit rows, processing lines in the hot database (newest first).
    pub hot: Vec<(String, i64, i64)>,
    /// Months that end at least this many months ago leave the hot database.
    pub keep_months: u32,
}

impl App {
    /// Writes the audit part and the processing lines of `period` to `dir` as JSON Lines with
    /// a signed manifest each, and removes nothing. Audited.
    pub async fn export_logs(&self, ctx: &Ctx, period: &str, dir: &Path) -> Result<ArchiveReport, AppError> {
        let p = self.authorize(ctx, Action::ViewAudit, &Object::new("logboek", period)).await?;
        let period = Period::parse(period)?;
        let mut report = ArchiveReport::default();
        let mut tx = self.begin_read().await?;
        let first = logarchive::first_audit_from(&mut tx, period.start()).await?;
        let part = match first {
            Some(first) => logarchive::audit_part_end(&mut tx, first, period.end()).await?.map(|(last, n)| (first, last, n)),
            None => None,
        };
        crate::commit(tx).await?;
        if let Some((first, last, _)) = part {
            report.parts.push(self.write_audit_part(dir, period, first, last, &p.label, true).await?);
        }
        if let Some(m) = self.write_processing_part(dir, period, &p.label, true).await? {
            report.parts.push(m);
        }
        for m in &report.parts {
            write_manifest(dir, m)?;
        }
        let detail = format!("{} exporteerde {} delen ({} regels)", period.label(), report.parts.len(), report.parts.iter().map(|m| m.row_count).sum::<i64>());
        self.audit_alone(None, ctx, "logboek-geexporteerd", &Object::new("logboek", period.label()), Outcome::Ok, &detail).await?;
        Ok(report)
    }

    /// Moves every month that ended at least `keep_months` (at least 1) months ago out of the
    /// hot database into `dir`: per log and month a file, its signed manifest beside it and in
    /// the database, the rows removed in the transaction that records the manifest. Stops at the
    /// first problem (a broken chain is never archived). Audited per part.
    pub async fn archive_logs(&self, ctx: &Ctx, dir: &Path, keep_months: u32, mut progress: impl FnMut(&Manifest)) -> Result<ArchiveReport, AppError> {
        let p = self.authorize(ctx, Action::ArchiveLogs, &Object::new("logboek", "archief")).await?;
        if keep_months == 0 || keep_months > 1200 {
            return Err(Invalid::one("maanden", "Houd ten minste 1 en hoogstens 1200 maanden in de database.").into());
        }
        let cutoff = Period::of(self.now()).back(keep_months).start();
        let mut report = ArchiveReport::default();
        loop {
            let mut tx = self.begin_read().await?;
            let oldest = logarchive::oldest_audit(&mut tx).await?;
            let parts = logarchive::manifests(&mut tx, Log::Audit).await?;
            let part = match oldest {
                Some((seq, at)) if Period::of(at).end() <= cutoff => {
                    logarchive::audit_part_end(&mut tx, seq, Period::of(at).end()).await?.map(|(last, _)| (Period::of(at), seq, last))
                }
                _ => None,
            };
            crate::commit(tx).await?;
            let Some((period, first, last)) = part else { break };
            if first != parts.last().map(|m| m.last_seq + 1).unwrap_or(1) {
                return Err(AppError::Conflict(format!(
                    "De auditketen begint in de database bij rij {first}, niet waar het archief ophoudt; controleer eerst met knooppunt audit verify."
                )));
            }
            let m = self.write_audit_part(dir, period, first, last, &p.label, false).await?;
            self.record_part(ctx, dir, &m).await?;
            progress(&m);
            report.parts.push(m);
        }
        loop {
            let mut tx = self.begin_read().await?;
            let oldest = logarchive::oldest_processing(&mut tx).await?;
            crate::commit(tx).await?;
            let Some(period) = oldest.map(Period::of).filter(|p| p.end() <= cutoff) else { break };
            let Some(m) = self.write_processing_part(dir, period, &p.label, false).await? else { break };
            self.record_part(ctx, dir, &m).await?;
            progress(&m);
            report.parts.push(m);
        }
        Ok(report)
    }

    async fn record_part(&self, ctx: &Ctx, dir: &Path, m: &Manifest) -> Result<(), AppError> {
        write_manifest(dir, m)?;
        let mut tx = self.begin().await?;
        logarchive::record(&mut tx, m).await?;
        let detail = format!("{} {}: {} regels naar {} (sha256 {})", m.log, m.period, m.row_count, m.file_name, m.file_sha256);
        self.audit(&mut tx, ctx, "logboek-gearchiveerd", &Object::new("logboek", &m.file_name), Outcome::Ok, &detail).await?;
        crate::commit(tx).await
    }

    /// Writes audit rows `first..=last` to a file, checking each row's hash, seal and link on
    /// the way; the signed manifest of what was written.
    async fn write_audit_part(&self, dir: &Path, period: Period, first: i64, last: i64, by: &str, export: bool) -> Result<Manifest, AppError> {
        let mut file = PartFile::create(dir, part_name(Log::Audit, period, first, export))?;
        let (mut after, mut prev, mut first_prev) = (first - 1, None::<String>, String::new());
        loop {
            let mut tx = self.begin_read().await?;
            let rows = logarchive::audit_page(&mut tx, after, last, PAGE).await?;
            crate::commit(tx).await?;
            let Some(end) = rows.last().map(|r| r.seq) else { break };
            for r in &rows {
                let linked = prev.as_ref().is_none_or(|p| *p == r.prev_hash);
                if r.seq != after + 1 || !linked || !audit::row_holds(&self.config.audit_key, r) {
                    return Err(AppError::Conflict(format!("Auditrij {} klopt niet met de keten; er is niets gearchiveerd. Controleer met knooppunt audit verify.", r.seq)));
                }
                if prev.is_none() {
                    first_prev = r.prev_hash.clone();
                }
                file.line(&AuditLine::of(r))?;
                prev = Some(r.hash.clone());
                after = r.seq;
            }
            after = end;
        }
        let written = file.finish()?;
        let first_prev = if written.lines == 0 { GENESIS.into() } else { first_prev };
        Ok(self.signed_manifest(Log::Audit, period, (first, after), written, (first_prev, prev.unwrap_or_default()), by))
    }

    /// The manifest of a written part, signed with the audit key: its range, its file, and for
    /// the audit log the chain's hash before the first and of the last row.
    fn signed_manifest(&self, log: Log, period: Period, (first, last): (i64, i64), file: Written, (first_prev_hash, last_hash): (String, String), by: &str) -> Manifest {
        let mut m = Manifest {
            log: log.code().into(),
            period: period.label(),
            period_start_at: period.start(),
            period_end_at: period.end(),
            first_seq: first,
            last_seq: last,
            row_count: file.lines,
            first_prev_hash,
            last_hash,
            file_name: file.name,
            file_sha256: file.sha256,
            archived_at: self.now(),
            archived_by: by.into(),
            mac: String::new(),
        };
        m.sign(&self.config.audit_key);
        m
    }

    /// Writes the processing lines of `period` to a file as Logboek Dataverwerkingen records;
    /// the signed manifest, or nothing when the month has no lines.
    async fn write_processing_part(&self, dir: &Path, period: Period, by: &str, export: bool) -> Result<Option<Manifest>, AppError> {
        let mut file: Option<PartFile> = None;
        let (mut after, mut first) = (0_i64, None::<i64>);
        loop {
            let mut tx = self.begin_read().await?;
            let rows = logarchive::processing_page(&mut tx, period.start(), period.end(), after, PAGE).await?;
            crate::commit(tx).await?;
            let Some((end, _)) = rows.last() else { break };
            after = *end;
            for (id, l) in &rows {
                let f = match file.as_mut() {
                    Some(f) => f,
                    None => {
                        first = Some(*id);
                        file.insert(PartFile::create(dir, part_name(Log::Processing, period, *id, export))?)
                    }
                };
                f.line(&ldv_record(l))?;
            }
        }
        let (Some(file), Some(first)) = (file, first) else { return Ok(None) };
        Ok(Some(self.signed_manifest(Log::Processing, period, (first, after), file.finish()?, (String::new(), String::new()), by)))
    }

    /// Checks every archived part's file in `dir` against its signed manifest: the SHA-256, the
    /// number of lines, and for the audit log every row's hash, seal and link, from the first
    /// row of the chain to the last archived one. Returns the hashes of the rows in `wanted`
    /// (checkpoints that fall in the archive). Audited.
    pub async fn verify_log_archives(&self, ctx: &Ctx, dir: &Path, wanted: &[i64]) -> Result<ArchiveCheck, AppError> {
        self.authorize(ctx, Action::ViewAudit, &Object::new("logboek", "archief")).await?;
        let mut tx = self.begin_read().await?;
        let audit_parts = logarchive::manifests(&mut tx, Log::Audit).await?;
        let processing_parts = logarchive::manifests(&mut tx, Log::Processing).await?;
        crate::commit(tx).await?;
        let mut check = ArchiveCheck { parts: audit_parts.len() + processing_parts.len(), ..ArchiveCheck::default() };
        let (mut expected, mut prev) = (1_i64, GENESIS.to_string());
        'parts: for m in audit_parts.iter().chain(processing_parts.iter()) {
            if !m.holds(&self.config.audit_key) {
                check.problem = Some(ChainProblem::ArchiveForged { period: m.period.clone() });
                break;
            }
            let path = dir.join(&m.file_name);
            let file_problem = |why: String| Some(ChainProblem::ArchiveFile { file: m.file_name.clone(), why });
            let Ok(file) = std::fs::File::open(&path) else {
                check.problem = file_problem("ontbreekt".into());
                break;
            };
            let is_audit = m.log == Log::Audit.code();
            let (mut sha, mut lines) = (Sha256::new(), 0_i64);
            for line in std::io::BufReader::new(file).split(b'\n') {
                let line = line.map_err(|e| io(&path, e))?;
                sha.update(&line);
                sha.update(b"\n");
                lines += 1;
                if is_audit {
                    let Ok(row) = serde_json::from_slice::<AuditLine>(&line).map(AuditLine::row) else {
                        check.problem = file_problem(format!("regel {lines} is geen auditrij"));
                        break 'parts;
                    };
                    if row.seq != expected || row.prev_hash != prev {
                        check.problem = Some(ChainProblem::ArchiveGap { seq: expected });
                        break 'parts;
                    }
                    if !audit::row_holds(&self.config.audit_key, &row) {
                        check.problem = Some(ChainProblem::Changed { seq: row.seq });
                        break 'parts;
                    }
                    if wanted.contains(&row.seq) {
                        check.hashes.insert(row.seq, row.hash.clone());
                    }
                    expected += 1;
                    prev = row.hash;
                } else if serde_json::from_slice::<serde_json::Value>(&line).is_err() {
                    check.problem = file_problem(format!("regel {lines} is geen JSON"));
                    break 'parts;
                }
            }
            if hex::encode(sha.finalize()) != m.file_sha256 || lines != m.row_count || (is_audit && prev != m.last_hash) {
                check.problem = file_problem("wijkt af van het ondertekende manifest".into());
                break;
            }
            check.rows += lines;
        }
        let (outcome, detail) = match &check.problem {
            None => (Outcome::Ok, format!("{} delen, {} regels in orde", check.parts, check.rows)),
            Some(p) => (Outcome::Failed, p.to_string()),
        };
        self.audit_alone(None, ctx, "logarchief-gecontroleerd", &Object::new("logboek", "archief"), outcome, &detail).await?;
        Ok(check)
    }

    /// The logs by month for the auditor and the privacy officer: archived parts and what the
    /// hot database holds. Viewing is audited.
    /// PostgreSQL: creates the processing log's month partitions for this month and the next,
    /// at most once an hour across the nodes (`None` when another node or an earlier run did it).
    /// Returns how many of the two months have their own partition. SQLite: `Some(0)`.
    pub async fn prepare_log_months_if_due(&self) -> Result<Option<i64>, AppError> {
        let now = self.now();
        let mut tx = self.begin().await?;
        if !knooppunt_store::jobs::claim(&mut tx, "logmaanden", now, 3_600_000).await? {
            crate::commit(tx).await?;
            return Ok(None);
        }
        let n = logarchive::ensure_processing_months(&mut tx, now).await?;
        crate::commit(tx).await?;
        Ok(Some(n))
    }

    pub async fn log_overview(&self, ctx: &Ctx) -> Result<LogOverview, AppError> {
        self.authorize(ctx, Action::ViewProcessingLog, &Object::new("logboek", "*")).await?;
        let mut tx = self.begin_read().await?;
        let mut archived = logarchive::manifests(&mut tx, Log::Audit).await?;
        archived.extend(logarchive::manifests(&mut tx, Log::Processing).await?);
        archived.sort_by(|a, b| b.period.cmp(&a.period).then(a.log.cmp(&b.log)));
        let oldest = [logarchive::oldest_audit(&mut tx).await?.map(|(_, at)| at), logarchive::oldest_processing(&mut tx).await?].into_iter().flatten().min();
        let mut hot = Vec::new();
        if let Some(oldest) = oldest {
            let now = Period::of(self.now());
            // At most five years of months; anything older shows in its oldest month's line.
            let mut p = now;
            while p >= Period::of(oldest) && hot.len() < 60 {
                let (a, l) = logarchive::hot_counts(&mut tx, p.start(), p.end()).await?;
                if a + l > 0 {
                    hot.push((p.label(), a, l));
                }
                p = p.back(1);
            }
        }
        crate::commit(tx).await?;
        self.log_plain_read(ctx, "logboeken-bekeken", &Object::new("logboek", "*"), "").await?;
        Ok(LogOverview { archived, hot, keep_months: self.config.log_keep_months })
    }
}
