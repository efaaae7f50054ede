//! The hash-chained audit log and the processing log.

use anyhow::{anyhow, Result};
use axum::body::Body;
use axum::http::{Method, Request};
use knooppunt_domain::Role;
use knooppunt_store::audit::ChainProblem;
use knooppunt_testkit::{db_test, TestApp};

async fn verify(t: &TestApp) -> Result<Option<ChainProblem>> {
    let report = t.app.verify_audit_chain(&t.operator(), |_, _| {}).await.map_err(|e| anyhow!(e.to_string()))?;
    Ok(report.problem)
}

/// Fills the log with some real lines.
async fn busy(t: &mut TestApp) -> Result<i64> {
    let admin = t.actor(Role::Administrator).await?;
    t.actor(Role::Auditor).await?;
    t.api(Method::GET, "/api/v1/gebruikers", Some(&admin.token), None).await?;
    t.count("SELECT MAX(seq) FROM audit_log").await
}

async fn untouched_chain_verifies_and_every_tampering_is_named(mut t: TestApp) -> Result<()> {
    let last = busy(&mut t).await?;
    assert!(last > 5);
    assert_eq!(verify(&t).await?, None);

    t.sql("UPDATE audit_log SET detail = 'vervalst' WHERE seq = 3").await?;
    assert_eq!(verify(&t).await?, Some(ChainProblem::Changed { seq: 3 }));

    let mut t2 = TestApp::new(t.backend).await?;
    busy(&mut t2).await?;
    t2.sql("DELETE FROM audit_log WHERE seq = 4").await?;
    assert_eq!(verify(&t2).await?, Some(ChainProblem::Removed { seq: 4 }));

    let mut t3 = TestApp::new(t.backend).await?;
    let last3 = busy(&mut t3).await?;
    t3.sql(&format!("DELETE FROM audit_log WHERE seq = {last3}")).await?;
    assert_eq!(verify(&t3).await?, Some(ChainProblem::Removed { seq: last3 }));

    let mut t4 = TestApp::new(t.backend).await?;
    let last4 = busy(&mut t4).await?;
    let fake = last4 + 1;
    t4.sql(&format!(
        "INSERT INTO audit_log (seq, at, actor, action, object_type, object_id, result, source, trace_id, detail, prev_hash, hash) \
         SELECT {fake}, at, 'indringer', 'niets', 'x', '1', 'ok', 'x', 'x', '', hash, hash FROM audit_log WHERE seq = {last4}"
    ))
    .await?;
    assert_eq!(verify(&t4).await?, Some(ChainProblem::Inserted { seq: fake }));

    let mut t5 = TestApp::new(t.backend).await?;
    busy(&mut t5).await?;
    // A row swapped in between, with the seq of a deleted one but a made-up previous hash.
    t5.sql("UPDATE audit_log SET prev_hash = 'ab' WHERE seq = 2").await?;
    assert_eq!(verify(&t5).await?, Some(ChainProblem::Inserted { seq: 2 }));
    Ok(())
}
db_test!(untouched_chain_verifies_and_every_tampering_is_named);

/// An attacker with database access but without the audit key: rewriting a row and
/// recomputing every later hash and the head is found by the seals; cutting the newest rows and
/// moving the head back is found by an exported checkpoint; a forged checkpoint is refused.
async fn someone_with_database_access_cannot_rewrite_the_chain_unnoticed(mut t: TestApp) -> Result<()> {
    let last = busy(&mut t).await?;
    let op = t.operator();
    let checkpoint = t.app.audit_checkpoint(&op).await.map_err(|e| anyhow!(e.to_string()))?;
    assert_eq!(t.app.check_audit_checkpoints(&op, std::slice::from_ref(&checkpoint), &Default::default()).await.map_err(|e| anyhow!(e.to_string()))?, None);

    // The plain hash of a row, as anyone can compute it without the key.
    async fn plain_hash(t: &TestApp, seq: i64, prev: &str) -> Result<String> {
        use sha2::{Digest, Sha256};
        // The time in milliseconds, as the chain hashes it (PostgreSQL holds a TIMESTAMPTZ).
        let at = match t.app.db().backend() {
            knooppunt_store::Backend::Sqlite => "CAST(at AS TEXT)",
            knooppunt_store::Backend::Postgres => "CAST(CAST(EXTRACT(EPOCH FROM at) * 1000 AS BIGINT) AS TEXT)",
        };
        let f = t
            .strings(&format!(
                "SELECT {at} || '|' || actor || '|' || COALESCE(CAST(actor_user_id AS TEXT), '') || '|' || COALESCE(CAST(organisation_id AS TEXT), '') || '|' || action || '|' || object_type || '|' || object_id || '|' || result || '|' || source || '|' || trace_id || '|' || detail FROM audit_log WHERE seq = {seq}"
            ))
            .await?
            .pop()
            .unwrap_or_default();
        let v: Vec<&str> = f.splitn(11, '|').collect();
        let num = |s: &str| s.parse::<i64>().ok();
        let canonical = serde_json::json!([seq, num(v[0]), v[1], num(v[2]), num(v[3]), v[4], v[5], v[6], v[7], v[8], v[9], v[10], prev]);
        Ok(hex::encode(Sha256::digest(canonical.to_string().as_bytes())))
    }
    // The attacker's hash function is the real one: it reproduces an untouched row's hash.
    let prev4 = t.strings("SELECT prev_hash FROM audit_log WHERE seq = 4").await?.pop().unwrap_or_default();
    assert_eq!(plain_hash(&t, 4, &prev4).await?, t.strings("SELECT hash FROM audit_log WHERE seq = 4").await?.pop().unwrap_or_default());
    // Rewrite row 3 and rebuild the plain hash chain after it, as the old scheme allowed.
    t.sql("UPDATE audit_log SET detail = 'vervalst' WHERE seq = 3").await?;
    let head = t.count("SELECT seq FROM audit_head").await?;
    let mut prev = t.strings("SELECT prev_hash FROM audit_log WHERE seq = 3").await?.pop().unwrap_or_default();
    for seq in 3..=head {
        let hash = plain_hash(&t, seq, &prev).await?;
        t.sql(&format!("UPDATE audit_log SET prev_hash = '{prev}', hash = '{hash}' WHERE seq = {seq}")).await?;
        prev = hash;
    }
    t.sql(&format!("UPDATE audit_head SET hash = '{prev}'")).await?;
    assert_eq!(verify(&t).await?, Some(ChainProblem::Changed { seq: 3 }), "the seal of the rewritten row does not match");

    // Cut the newest rows and move the head back: the chain itself is consistent, the
    // checkpoint is not.
    let mut t2 = TestApp::new(t.backend).await?;
    let last2 = busy(&mut t2).await?;
    let op2 = t2.operator();
    let cp = t2.app.audit_checkpoint(&op2).await.map_err(|e| anyhow!(e.to_string()))?;
    let keep = last2 - 2;
    let keep_hash = t2.strings(&format!("SELECT hash FROM audit_log WHERE seq = {keep}")).await?.pop().unwrap_or_default();
    t2.sql(&format!("DELETE FROM audit_log WHERE seq > {keep}")).await?;
    t2.sql(&format!("UPDATE audit_head SET seq = {keep}, hash = '{keep_hash}'")).await?;
    assert_eq!(verify(&t2).await?, None, "a cut chain is consistent by itself");
    let problem = t2.app.check_audit_checkpoints(&op2, std::slice::from_ref(&cp), &Default::default()).await.map_err(|e| anyhow!(e.to_string()))?;
    assert!(matches!(problem, Some(knooppunt_store::audit::CheckpointProblem::Cut { .. })), "{problem:?}");
    // A checkpoint made up without the key is refused.
    let forged = knooppunt_store::audit::Checkpoint { seq: keep, hash: keep_hash, at: cp.at, mac: "0".repeat(64) };
    let problem = t2.app.check_audit_checkpoints(&op2, &[forged], &Default::default()).await.map_err(|e| anyhow!(e.to_string()))?;
    assert!(matches!(problem, Some(knooppunt_store::audit::CheckpointProblem::Forged { .. })), "{problem:?}");
    assert!(last > 5);
    Ok(())
}
db_test!(someone_with_database_access_cannot_rewrite_the_chain_unnoticed);

async fn reading_a_person_writes_one_processing_line_per_subject_in_the_trace(mut t: TestApp) -> Result<()> {
    let admin = t.actor(Role::Administrator).await?;
    let subject = t.actor(Role::PartnerEmployee).await?;
    let trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    let req = Request::builder()
        .method(Method::GET)
        .uri(format!("/api/v1/gebruikers/{}", subject.user_id))
        .header("authorization", format!("Bearer {}", admin.token))
        .header("traceparent", format!("00-{trace}-00f067aa0ba902b7-01"))
        .body(Body::empty())?;
    let r = t.send(req).await?;
    assert_eq!(r.status, 200, "{}", r.body);
    let back = r.headers.get("traceparent").and_then(|v| v.to_str().ok()).unwrap_or("");
    assert!(back.starts_with(&format!("00-{trace}-")), "trace id propagated: {back}");
    assert_eq!(
        t.count(&format!("SELECT COUNT(*) FROM processing_log WHERE trace_id = '{trace}' AND parent_span_id = '00f067aa0ba902b7' AND activity_code = 'accountbeheer'")).await?,
        1
    );
    // The pseudonym is not the id itself.
    assert_eq!(t.count(&format!("SELECT COUNT(*) FROM processing_log WHERE subject_pseudonym = '{}'", subject.user_id)).await?, 0);
    assert_eq!(t.count(&format!("SELECT COUNT(*) FROM audit_log WHERE action = 'gebruiker-bekeken' AND trace_id = '{trace}'")).await?, 1);
    // A list writes one line per person on it.
    let users = t.count("SELECT COUNT(*) FROM users").await?;
    let before = t.count("SELECT COUNT(*) FROM processing_log").await?;
    t.api(Method::GET, "/api/v1/gebruikers", Some(&admin.token), None).await?;
    assert_eq!(t.count("SELECT COUNT(*) FROM processing_log").await? - before, users);
    // A malformed traceparent starts a new trace instead of failing.
    let req = Request::builder().uri("/api/v1/regios").header("authorization", format!("Bearer {}", admin.token)).header("traceparent", "rommel").body(Body::empty())?;
    assert_eq!(t.send(req).await?.status, 200);
    Ok(())
}
db_test!(reading_a_person_writes_one_processing_line_per_subject_in_the_trace);

async fn auditor_reads_the_log_and_checks_the_chain_in_the_ui(mut t: TestApp) -> Result<()> {
    let auditor = t.actor(Role::Auditor).await?;
    let page = t.page("/audit?actie=inloggen", Some(&auditor)).await?;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("t.auditor"));
    let r = t.form("/audit/controleren", Some(&auditor), &[], None).await?;
    assert!(r.body.contains("De keten is in orde"), "{}", r.body);
    t.sql("UPDATE audit_log SET actor = 'iemand anders' WHERE seq = 2").await?;
    let r = t.form("/audit/controleren", Some(&auditor), &[], None).await?;
    assert!(r.body.contains("De keten is verbroken: rij 2 is gewijzigd"), "{}", r.body);
    Ok(())
}
db_test!(auditor_reads_the_log_and_checks_the_chain_in_the_ui);

/// The rows of the audit page: every `<tr>` of its table body.
fn audit_rows(body: &str) -> Vec<&str> {
    body.split("<tbody").nth(1).unwrap_or_default().split("</tbody>").next().unwrap_or_default().split("<tr").skip(1).collect()
}

async fn the_auditor_filters_pages_and_exports_the_log(mut t: TestApp) -> Result<()> {
    busy(&mut t).await?;
    let auditor = t.actor(Role::Auditor).await?;
    // By action: only sign-ins, named in Dutch.
    let page = t.page("/audit?actie=inloggen", Some(&auditor)).await?;
    assert_eq!(page.status, 200);
    let rows = audit_rows(&page.body);
    assert!(!rows.is_empty() && rows.iter().all(|r| r.contains(">Inloggen<")), "{rows:?}");
    // By who (part of the name, any case) and by period.
    let rows_of = |body: &str| audit_rows(body).len();
    let mine = t.page("/audit?wie=AUDITOR", Some(&auditor)).await?;
    assert!(rows_of(&mine.body) > 0 && audit_rows(&mine.body).iter().all(|r| r.contains("t.auditor")), "{}", mine.body);
    let all_time = t.page("/audit?van=01-01-1990&tot=31-12-2099", Some(&auditor)).await?;
    assert!(rows_of(&all_time.body) > 0);
    let future = t.page("/audit?van=2100-01-01", Some(&auditor)).await?;
    assert_eq!((future.status.as_u16(), rows_of(&future.body)), (200, 0));
    // A wrong date or page is named at its field, with 400 and no rows; nothing breaks.
    let wrong = t.page("/audit?van=31-02-2026&voor=abc", Some(&auditor)).await?;
    assert_eq!(wrong.status, 400);
    assert!(wrong.body.contains("geen bestaande datum") && wrong.body.contains("Deze pagina bestaat niet"), "{}", wrong.body);
    // Paging: the next page starts below the last line shown and keeps the filter.
    for _ in 0..110 {
        t.page("/account", Some(&auditor)).await?;
    }
    let first = t.page("/audit?actie=eigen-account-bekeken", Some(&auditor)).await?;
    assert_eq!(audit_rows(&first.body).len(), 100);
    let next = first.body.split("href=\"/audit?").nth(1).and_then(|r| r.split('"').next()).ok_or_else(|| anyhow!("no link to older lines"))?.replace("&amp;", "&");
    assert!(next.contains("actie=eigen-account-bekeken") && next.contains("voor="), "{next}");
    let second = t.page(&format!("/audit?{next}"), Some(&auditor)).await?;
    let older = audit_rows(&second.body);
    assert!(!older.is_empty() && older.iter().all(|r| r.contains("Eigen account bekeken")), "{older:?}");
    // The export holds what the filter selects, and is itself audited.
    let csv = t.page("/audit.csv?actie=inloggen", Some(&auditor)).await?;
    assert_eq!((csv.status.as_u16(), csv.content_type()), (200, "text/csv; charset=utf-8"));
    let lines: Vec<&str> = csv.body.lines().collect();
    assert!(lines[0].starts_with("nr;moment;wie;actie"));
    assert!(lines.len() > 1 && lines[1..].iter().all(|l| l.contains("\"Inloggen\"")), "{}", csv.body);
    assert_eq!(t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'auditlog-geexporteerd'").await?, 1);
    Ok(())
}
db_test!(the_auditor_filters_pages_and_exports_the_log);
