//! `knooppunt-bench --scenario logs`: the log lifecycle at volume. On a database of its own,
//! `--lines` processing-log lines and a tenth as many audit rows (sealed, chained, through the
//! store's own writers) are written in one month four months back; then the month is exported
//! (JSON Lines, Logboek Dataverwerkingen fields), archived (files written and synced, rows
//! removed in one transaction with the signed manifest) and the archive verified row by row.
//! Reports time, rows per second, file sizes and the peak resident memory of each step.

use anyhow::{anyhow, Result};
use knooppunt_app::logarchive::Period;
use knooppunt_app::App;
use knooppunt_store::audit::{self, AuditEntry, AuditKey};
use knooppunt_store::processing::{self, ProcessingLine};
use knooppunt_store::Db;
use std::time::Instant;

/// Writes the month's lines unless they are there already.
async fn prepare(db: &Db, key: &AuditKey, start: i64, lines: usize) -> Result<()> {
    if super::scalar(db, "SELECT COUNT(*) FROM processing_log").await? >= lines as i64 {
        return Ok(());
    }
    let started = Instant::now();
    let month_ms = 27 * 86_400_000_i64;
    let per_tx = 20_000;
    let mut written = 0;
    while written < lines {
        let n = per_tx.min(lines - written);
        let batch: Vec<ProcessingLine> = (written..written + n)
            .map(|i| ProcessingLine {
                trace_id: format!("{:032x}", i / 3),
                span_id: format!("{:016x}", i),
                parent_span_id: None,
                activity_code: "casusdossier-inzien".into(),
                subject_type: "betrokkene".into(),
                subject_pseudonym: format!("{:064x}", i % 50_000),
                status: "ok".into(),
                actor: format!("medewerker{}", i % 700),
                organisation_id: None,
                at: start + (i as i64 * month_ms) / lines as i64,
            })
            .collect();
        let entries: Vec<AuditEntry> = (written..written + n)
            .step_by(10)
            .map(|i| AuditEntry {
                at: start + (i as i64 * month_ms) / lines as i64,
                actor: format!("medewerker{}", i % 700),
                actor_user_id: None,
                organisation_id: None,
                action: "casus-bekeken".into(),
                object_type: "casus".into(),
                object_id: (i % 90_000).to_string(),
                result: "ok".into(),
                source: "10.0.0.1".into(),
                trace_id: format!("{:032x}", i / 3),
                detail: String::new(),
            })
            .collect();
        let mut tx = db.begin().await?;
        processing::append_many(&mut tx, &batch).await?;
        audit::append_many(&mut tx, key, &entries).await?;
        tx.commit().await?;
        written += n;
    }
    eprintln!("{lines} verwerkingsregels en {} auditregels geschreven in {:.1} s", lines / 10, started.elapsed().as_secs_f64());
    Ok(())
}

fn peak_mb() -> f64 {
    super::vm("VmHWM:").map(|kb| kb as f64 / 1024.0).unwrap_or(f64::NAN)
}

fn size_mb(dir: &std::path::Path) -> f64 {
    std::fs::read_dir(dir).map(|d| d.filter_map(|e| e.ok()?.metadata().ok()).map(|m| m.len()).sum::<u64>()).unwrap_or(0) as f64 / 1_048_576.0
}

pub async fn run(app: &App, db: &Db, args: &super::Args) -> Result<()> {
    let month = Period::of(app.now()).back(4);
    prepare(db, &app.config().audit_key, month.start(), args.lines).await?;
    let lines = super::scalar(db, "SELECT COUNT(*) FROM processing_log").await?;
    let rows = super::scalar(db, "SELECT COUNT(*) FROM audit_log").await?;
    let op = app.operator_ctx("bench");
    let out = std::path::PathBuf::from(&args.data_dir).join(format!("logs-{}", args.backend));
    let _ = std::fs::remove_dir_all(&out);
    let (export_dir, archive_dir) = (out.join("export"), out.join("archief"));
    std::fs::create_dir_all(&export_dir)?;
    std::fs::create_dir_all(&archive_dir)?;
    println!("### {} — {lines} verwerkingsregels, {rows} auditregels in {}\n", args.backend, month.label());
    println!("| stap | tijd (s) | regels per seconde | bestanden (MB) | piek-RSS (MB) |");
    println!("|---|---:|---:|---:|---:|");
    super::reset_peak();
    let t = Instant::now();
    let e = app.export_logs(&op, &month.label(), &export_dir).await.map_err(|e| anyhow!(e.to_string()))?;
    let secs = t.elapsed().as_secs_f64();
    let n: i64 = e.parts.iter().map(|m| m.row_count).sum();
    println!("| export van de maand (JSON Lines, niets verwijderd) | {secs:.1} | {:.0} | {:.0} | {:.0} |", n as f64 / secs, size_mb(&export_dir), peak_mb());
    super::reset_peak();
    let t = Instant::now();
    let a = app.archive_logs(&op, &archive_dir, 1, |_| {}).await.map_err(|e| anyhow!(e.to_string()))?;
    let secs = t.elapsed().as_secs_f64();
    let n: i64 = a.parts.iter().map(|m| m.row_count).sum();
    println!("| archiveren (bestanden, manifest, rijen verwijderd) | {secs:.1} | {:.0} | {:.0} | {:.0} |", n as f64 / secs, size_mb(&archive_dir), peak_mb());
    super::reset_peak();
    let t = Instant::now();
    let check = app.verify_log_archives(&op, &archive_dir, &[]).await.map_err(|e| anyhow!(e.to_string()))?;
    let secs = t.elapsed().as_secs_f64();
    if let Some(p) = check.problem {
        return Err(anyhow!("archief klopt niet: {p}"));
    }
    println!("| archief controleren (elke rij: hash, zegel, keten) | {secs:.1} | {:.0} | | {:.0} |", check.rows as f64 / secs, peak_mb());
    let t = Instant::now();
    let report = app.verify_audit_chain(&op, |_, _| {}).await.map_err(|e| anyhow!(e.to_string()))?;
    println!("| auditketen controleren (manifesten en rijen in de database) | {:.1} | | | {:.0} |", t.elapsed().as_secs_f64(), peak_mb());
    if report.problem.is_some() {
        return Err(anyhow!("auditketen klopt niet"));
    }
    let left = super::scalar(db, "SELECT COUNT(*) FROM processing_log").await?;
    println!("\nIn de database na archiveren: {left} verwerkingsregels.\n");
    let _ = std::fs::remove_dir_all(&out);
    Ok(())
}
