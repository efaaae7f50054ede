//! The log lifecycle: a month of both logs exported as JSON Lines (the processing log in the
//! fields of Logboek Dataverwerkingen); finished months archived out of the hot database with
//! signed manifests; `audit verify` proving the chain across the archive and the hot rows, and
//! naming every kind of tampering with the files or the manifests; checkpoints in archived
//! parts checked against the archive.

use crate::cases::{open_case, world, World};
use anyhow::{anyhow, Result};
use axum::http::Method;
use knooppunt_store::audit::{ChainProblem, CheckpointProblem};
use knooppunt_testkit::{db_test, ManualClock, TestApp};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn e(e: knooppunt_app::AppError) -> anyhow::Error {
    anyhow!(e.to_string())
}

pub(crate) fn at_months(t: &TestApp, months: u32) {
    let start = chrono::DateTime::from_timestamp_millis(ManualClock::START).unwrap_or_default();
    let target = start.checked_add_months(chrono::Months::new(months)).unwrap_or(start).timestamp_millis();
    t.clock.advance_ms(target - t.app.now());
}

pub(crate) fn folder(t: &TestApp, name: &str) -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("knooppunt-logs-{name}-{}-{:?}-{}", std::process::id(), t.backend, t.app.now()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn lines(path: &Path) -> Result<Vec<Value>> {
    std::fs::read_to_string(path)?.lines().map(|l| serde_json::from_str(l).map_err(|e| anyhow!("{e}: {l}"))).collect()
}

async fn chain(t: &TestApp) -> Result<Option<ChainProblem>> {
    Ok(t.app.verify_audit_chain(&t.operator(), |_, _| {}).await.map_err(e)?.problem)
}

/// A case with a person in it, read by the analyst: audit rows and processing lines.
async fn activity(t: &mut TestApp, w: &World) -> Result<()> {
    let id = open_case(t, w).await?;
    let person = json!({"soort": "persoon", "voornamen": "Karel", "geslachtsnaam": "Logboek", "geboortedatum": "1971-03-04", "bsn": "111222333"});
    let r = t.api(Method::POST, &format!("/api/v1/casussen/{id}/betrokkenen"), Some(&w.analist.token), Some(person)).await?;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = t.api(Method::GET, &format!("/api/v1/casussen/{id}"), Some(&w.analist.token), None).await?;
    assert_eq!(r.status, 200, "{}", r.body);
    Ok(())
}

/// The same actors with fresh sessions (the clock jumped past their expiry).
async fn world_again(t: &TestApp, w: &World) -> Result<World> {
    Ok(World {
        gemeente: t.signed_in_again(&w.gemeente).await?,
        analist: t.signed_in_again(&w.analist).await?,
        manager: t.signed_in_again(&w.manager).await?,
        politie: t.signed_in_again(&w.politie).await?,
        belasting: t.signed_in_again(&w.belasting).await?,
        douane: t.signed_in_again(&w.douane).await?,
        other_region: t.signed_in_again(&w.other_region).await?,
        liec: t.signed_in_again(&w.liec).await?,
        politie_limburg: t.signed_in_again(&w.politie_limburg).await?,
    })
}

async fn logs_are_exported_archived_and_verified_across_the_archive(mut t: TestApp) -> Result<()> {
    let op = t.operator();
    let w = world(&mut t).await?;
    activity(&mut t, &w).await?;
    let november = knooppunt_app::logarchive::Period::of(t.app.now()).label();
    let checkpoint = t.app.audit_checkpoint(&op).await.map_err(e)?;
    at_months(&t, 3);
    let w = world_again(&t, &w).await?;
    activity(&mut t, &w).await?;
    let hot_before = t.count("SELECT COUNT(*) AS n FROM audit_log").await?;
    let processing_before = t.count("SELECT COUNT(*) AS n FROM processing_log").await?;
    assert!(processing_before > 0);

    // Export: both logs of November, nothing removed; the processing log as LDV records.
    let out = folder(&t, "export")?;
    let export = t.app.export_logs(&op, &november, &out).await.map_err(e)?;
    assert_eq!(export.parts.len(), 2, "{export:?}");
    assert_eq!(t.count("SELECT COUNT(*) AS n FROM processing_log").await?, processing_before);
    let processing = export.parts.iter().find(|m| m.log == "verwerkingen").ok_or_else(|| anyhow!("no processing part"))?;
    let records = lines(&out.join(&processing.file_name))?;
    assert_eq!(records.len() as i64, processing.row_count);
    for r in &records {
        for field in ["trace_id", "span_id", "name", "status", "start_time", "end_time"] {
            assert!(r[field].is_string(), "{field} in {r}");
        }
        assert_eq!(r["trace_id"].as_str().map(str::len), Some(32), "{r}");
        assert_eq!(r["span_id"].as_str().map(str::len), Some(16), "{r}");
        let a = &r["attributes"];
        assert!(a["dpl.core.processing_activity_id"].as_str().is_some_and(|u| u.starts_with("urn:knooppunt:verwerkingsactiviteit:")), "{r}");
        assert_eq!(a["dpl.core.data_subject_id"].as_str().map(str::len), Some(64), "pseudonymised: {r}");
        assert!(a["dpl.core.data_subject_id_type"].is_string(), "{r}");
        assert!(!r.to_string().contains("111222333") && !r.to_string().contains("Logboek\""), "no clear identifier: {r}");
    }
    assert!(out.join(processing.file_name.replace(".jsonl", ".manifest.json")).exists());
    assert!(export.parts.iter().all(|m| m.mac.len() == 64), "signed");

    // Only the operator on the server archives; the auditor in the app is refused.
    let auditor = t.actor(knooppunt_domain::Role::Auditor).await?;
    let principal = t.app.api_token(&auditor.token).await.map_err(e)?.ok_or_else(|| anyhow!("token not found"))?;
    let auditor_ctx = knooppunt_app::Ctx { principal: Some(principal), ..t.anonymous() };
    let dir = folder(&t, "archive")?;
    assert!(matches!(t.app.archive_logs(&auditor_ctx, &dir, 1, |_| {}).await, Err(knooppunt_app::AppError::Forbidden(_))));
    assert!(matches!(t.app.archive_logs(&op, &dir, 0, |_| {}).await, Err(knooppunt_app::AppError::Invalid(_))));

    // Archive what ended at least a month ago: November's rows leave the database.
    let report = t.app.archive_logs(&op, &dir, 1, |_| {}).await.map_err(e)?;
    let logs: Vec<(&str, &str)> = report.parts.iter().map(|m| (m.log.as_str(), m.period.as_str())).collect();
    assert_eq!(logs, vec![("audit", november.as_str()), ("verwerkingen", november.as_str())]);
    let archived_audit = report.parts[0].row_count;
    assert!(archived_audit > 10);
    assert_eq!(t.count("SELECT COUNT(*) AS n FROM log_archives").await?, 2);
    // November's rows are gone from the database, later ones stay; the move is itself audited.
    let last = report.parts[0].last_seq;
    assert_eq!(t.count(&format!("SELECT COUNT(*) AS n FROM audit_log WHERE seq <= {last}")).await?, 0);
    assert!(t.count("SELECT COUNT(*) AS n FROM audit_log").await? > hot_before - archived_audit);
    assert_eq!(t.count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'logboek-gearchiveerd'").await?, 2);
    assert!(t.count("SELECT COUNT(*) AS n FROM processing_log").await? < processing_before);
    let still = t.app.archive_logs(&op, &dir, 1, |_| {}).await.map_err(e)?;
    assert!(still.parts.is_empty(), "a second run moves nothing: {still:?}");

    // The chain verifies across the archive (manifests) and the hot rows; the files row by row.
    assert_eq!(chain(&t).await?, None);
    let check = t.app.verify_log_archives(&op, &dir, &[checkpoint.seq]).await.map_err(e)?;
    assert_eq!(check.problem, None);
    assert_eq!(check.parts, 2);
    assert_eq!(check.hashes.get(&checkpoint.seq), Some(&checkpoint.hash));

    // A checkpoint in the archive is checked against it, never passed silently.
    let none = Default::default();
    let cps = std::slice::from_ref(&checkpoint);
    assert_eq!(t.app.check_audit_checkpoints(&op, cps, &none).await.map_err(e)?, Some(CheckpointProblem::InArchive { seq: checkpoint.seq }));
    assert_eq!(t.app.check_audit_checkpoints(&op, cps, &check.hashes).await.map_err(e)?, None);

    // Tampering with an archive file is named.
    let audit_file = dir.join(&report.parts[0].file_name);
    let original = std::fs::read_to_string(&audit_file)?;
    std::fs::write(&audit_file, original.replacen("\"result\":\"ok\"", "\"result\":\"geweigerd\"", 1))?;
    let check = t.app.verify_log_archives(&op, &dir, &[]).await.map_err(e)?;
    assert!(matches!(check.problem, Some(ChainProblem::Changed { .. })), "{:?}", check.problem);
    let mut cut: Vec<&str> = original.lines().collect();
    cut.pop();
    std::fs::write(&audit_file, cut.join("\n") + "\n")?;
    let check = t.app.verify_log_archives(&op, &dir, &[]).await.map_err(e)?;
    assert!(matches!(check.problem, Some(ChainProblem::ArchiveFile { .. })), "{:?}", check.problem);
    std::fs::remove_file(&audit_file)?;
    let check = t.app.verify_log_archives(&op, &dir, &[]).await.map_err(e)?;
    assert!(matches!(check.problem, Some(ChainProblem::ArchiveFile { .. })), "{:?}", check.problem);
    std::fs::write(&audit_file, &original)?;
    let processing_file = dir.join(&report.parts[1].file_name);
    let text = std::fs::read_to_string(&processing_file)?;
    std::fs::write(&processing_file, text.replacen("\"Ok\"", "\"Unset\"", 1))?;
    let check = t.app.verify_log_archives(&op, &dir, &[]).await.map_err(e)?;
    assert!(matches!(check.problem, Some(ChainProblem::ArchiveFile { .. })), "{:?}", check.problem);
    std::fs::write(&processing_file, &text)?;
    assert_eq!(t.app.verify_log_archives(&op, &dir, &[]).await.map_err(e)?.problem, None);

    // Tampering with a manifest in the database (without the key) or removing it is named.
    t.sql("UPDATE log_archives SET row_count = row_count - 1 WHERE log = 'audit'").await?;
    assert!(matches!(chain(&t).await?, Some(ChainProblem::ArchiveForged { .. })));
    t.sql("UPDATE log_archives SET row_count = row_count + 1 WHERE log = 'audit'").await?;
    assert_eq!(chain(&t).await?, None);
    t.sql("DELETE FROM log_archives WHERE log = 'audit'").await?;
    assert_eq!(chain(&t).await?, Some(ChainProblem::Removed { seq: 1 }));

    let _ = std::fs::remove_dir_all(&out);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
db_test!(logs_are_exported_archived_and_verified_across_the_archive);

async fn the_logs_page_shows_archived_and_hot_months_to_the_auditor_only(mut t: TestApp) -> Result<()> {
    let op = t.operator();
    let w = world(&mut t).await?;
    activity(&mut t, &w).await?;
    at_months(&t, 3);
    let dir = folder(&t, "page")?;
    t.app.archive_logs(&op, &dir, 1, |_| {}).await.map_err(e)?;
    let auditor = t.actor(knooppunt_domain::Role::Auditor).await?;
    let privacy = t.actor(knooppunt_domain::Role::PrivacyOfficer).await?;
    let analyst = t.signed_in_again(&w.analist).await?;
    for who in [&auditor, &privacy] {
        let page = t.page("/logboeken", Some(who)).await?;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains("Gearchiveerd") && page.body.contains("november 2026"), "{}", page.body);
        let api = t.api(Method::GET, "/api/v1/logboeken", Some(&who.token), None).await?;
        assert_eq!(api.status, 200, "{}", api.body);
        let v = api.json()?;
        assert_eq!(v["gearchiveerd"].as_array().map(Vec::len), Some(2), "{v}");
        assert!(v["gearchiveerd"][0]["sha256"].as_str().is_some_and(|s| s.len() == 64), "{v}");
    }
    assert_eq!(t.page("/logboeken", Some(&analyst)).await?.status, 403);
    assert_eq!(t.api(Method::GET, "/api/v1/logboeken", Some(&analyst.token), None).await?.status, 403);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
db_test!(the_logs_page_shows_archived_and_hot_months_to_the_auditor_only);

/// The processing log's partitions on PostgreSQL, by name.
async fn partitions(t: &TestApp) -> Result<Vec<String>> {
    t.strings("SELECT CAST(c.relname AS TEXT) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass('processing_log') ORDER BY 1").await
}

/// On PostgreSQL each month of the processing log is a partition of its own, made ahead for this
/// month and the next (once an hour across the nodes); archiving a month drops its partition
/// after its lines are written and signed, and the archive still verifies line by line. A
/// month whose lines already sit in the default partition stays there (and leaves by a ranged
/// delete). SQLite has no partitions: there the month is an index range.
async fn processing_months_are_partitions_on_postgres(mut t: TestApp) -> Result<()> {
    let op = t.operator();
    let postgres = t.app.db().backend().name() == "postgres";
    let made = t.app.prepare_log_months_if_due().await.map_err(e)?;
    assert_eq!(made, Some(if postgres { 2 } else { 0 }));
    assert_eq!(t.app.prepare_log_months_if_due().await.map_err(e)?, None, "once an hour across the nodes");
    if postgres {
        assert_eq!(partitions(&t).await?, ["processing_log_2026_11", "processing_log_2026_12", "processing_log_default"]);
    }
    let w = world(&mut t).await?;
    activity(&mut t, &w).await?;
    let lines = t.count("SELECT COUNT(*) FROM processing_log").await?;
    assert!(lines > 0);
    if postgres {
        assert_eq!(t.count("SELECT COUNT(*) FROM processing_log_2026_11").await?, lines, "November's lines are in November's partition");
        assert_eq!(t.count("SELECT COUNT(*) FROM processing_log_default").await?, 0);
    }

    // In March a line lands in the default partition (no March partition was made); March's
    // partition is then not made, April's is.
    at_months(&t, 4);
    let w = world_again(&t, &w).await?;
    let r = t.api(Method::GET, "/api/v1/casussen", Some(&w.analist.token), None).await?;
    assert_eq!(r.status, 200, "{}", r.body);
    activity(&mut t, &w).await?;
    t.clock.advance_ms(3_600_001);
    assert_eq!(t.app.prepare_log_months_if_due().await.map_err(e)?, Some(if postgres { 1 } else { 0 }));
    if postgres {
        assert!(t.count("SELECT COUNT(*) FROM processing_log_default").await? > 0);
        assert_eq!(partitions(&t).await?, ["processing_log_2026_11", "processing_log_2026_12", "processing_log_2027_04", "processing_log_default"]);
    }

    // Archiving November drops its partition; the archive verifies and the hot log keeps March.
    let dir = folder(&t, "partitions")?;
    let report = t.app.archive_logs(&op, &dir, 1, |_| {}).await.map_err(e)?;
    assert!(report.parts.iter().any(|m| m.log == "verwerkingen" && m.row_count == lines), "{report:?}");
    if postgres {
        assert_eq!(partitions(&t).await?, ["processing_log_2026_12", "processing_log_2027_04", "processing_log_default"]);
    }
    assert!(t.count("SELECT COUNT(*) FROM processing_log").await? > 0);
    assert_eq!(chain(&t).await?, None);
    let check = t.app.verify_log_archives(&op, &dir, &[]).await.map_err(e)?;
    assert_eq!(check.problem, None);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
db_test!(processing_months_are_partitions_on_postgres);
