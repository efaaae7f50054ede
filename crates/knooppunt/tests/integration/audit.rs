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
