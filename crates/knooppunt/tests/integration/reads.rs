//! The read path: read-only transactions and the group-committed read log. Many reads run side
//! by side; each one answers only after its own audit line and processing-log lines are
//! committed, also when requests around it are cancelled; the chain stays whole.

use crate::cases::{open_case, world};
use anyhow::{anyhow, Result};
use axum::http::Method;
use knooppunt_app::{Ctx, Trace};
use knooppunt_testkit::{db_test, TestApp};
use serde_json::json;

async fn ctx_of(t: &TestApp, token: &str, trace_id: &str) -> Result<Ctx> {
    let principal = t.app.api_token(token).await.map_err(|e| anyhow!(e.to_string()))?.ok_or_else(|| anyhow!("token not found"))?;
    Ok(Ctx { principal: Some(principal), source: "127.0.0.1".into(), trace: Trace { trace_id: trace_id.into(), span_id: "00f067aa0ba902b7".into(), parent_span_id: None } })
}

async fn concurrent_reads_answer_only_after_their_own_lines_are_committed(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    let id = open_case(&mut t, &w).await?;
    for name in ["Visser", "Visscher", "de Visser"] {
        let r = t.api(Method::POST, &format!("/api/v1/casussen/{id}/betrokkenen"), Some(&w.analist.token), Some(json!({"soort": "persoon", "geslachtsnaam": name}))).await?;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let audit_before = t.count("SELECT COUNT(*) FROM audit_log").await?;
    let lines_before = t.count("SELECT COUNT(*) FROM processing_log").await?;

    // 48 searches at once; every third is cancelled right after it started (a client that
    // went away), possibly while it carries the lines of others to the database.
    let mut tasks = Vec::new();
    for i in 0..48 {
        let trace = format!("{i:032x}");
        let ctx = ctx_of(&t, &w.analist.token, &trace).await?;
        let app = t.app.clone();
        let handle = tokio::spawn(async move { app.search_subjects(&ctx, "Visser").await.map(|s| s.hits.len()) });
        if i % 3 == 2 {
            tokio::task::yield_now().await;
            handle.abort();
        }
        tasks.push((trace, handle));
    }
    let mut answered = 0;
    for (trace, handle) in tasks {
        let Ok(result) = handle.await else { continue };
        let hits = result.map_err(|e| anyhow!(e.to_string()))?;
        assert!(hits >= 1, "search found nothing");
        answered += 1;
        // Answered: its audit line and one processing line per subject shown are committed.
        let audit = t.count(&format!("SELECT COUNT(*) FROM audit_log WHERE trace_id = '{trace}' AND action = 'betrokkenen-gezocht'")).await?;
        assert_eq!(audit, 1, "trace {trace}");
        let lines = t.count(&format!("SELECT COUNT(*) FROM processing_log WHERE trace_id = '{trace}'")).await?;
        assert_eq!(lines, hits as i64, "trace {trace}");
    }
    assert!(answered >= 32, "only {answered} of 48 answered");
    // No line without a request: at most one audit line per search that ran.
    let written = t.count("SELECT COUNT(*) FROM audit_log").await? - audit_before;
    assert!(written >= answered && written <= 48, "{written} audit lines for {answered} answers");
    assert!(t.count("SELECT COUNT(*) FROM processing_log").await? > lines_before);
    let report = t.app.verify_audit_chain(&t.operator(), |_, _| {}).await.map_err(|e| anyhow!(e.to_string()))?;
    assert_eq!(report.problem, None);
    Ok(())
}
db_test!(concurrent_reads_answer_only_after_their_own_lines_are_committed);

async fn a_read_only_transaction_cannot_write(t: TestApp) -> Result<()> {
    for planned in [false, true] {
        let mut tx = if planned { t.app.db().begin_read_planned().await? } else { t.app.db().begin_read().await? };
        let refused = knooppunt_store::query::q("UPDATE audit_head SET seq = seq + 1 WHERE id = 1").execute(&mut tx).await;
        assert!(refused.is_err(), "a write in a read-only transaction was accepted (planned: {planned})");
        drop(tx);
    }
    // The writer still writes.
    let mut tx = t.app.db().begin().await?;
    knooppunt_store::query::q("UPDATE audit_head SET seq = seq WHERE id = 1").execute(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}
db_test!(a_read_only_transaction_cannot_write);

async fn subject_search_finds_companies_by_their_whole_name(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    let id = open_case(&mut t, &w).await?;
    let path = format!("/api/v1/casussen/{id}/betrokkenen");
    let add = |body: serde_json::Value| t.api(Method::POST, &path, Some(&w.analist.token), Some(body));
    assert_eq!(add(json!({"soort": "rechtspersoon", "handelsnaam": "Autohandel de Kempen", "rechtsvorm": "B.V."})).await?.status, 200);
    assert_eq!(add(json!({"soort": "persoon", "voornamen": "Jan", "voorvoegsel": "van der", "geslachtsnaam": "Kempen"})).await?.status, 200);
    let search = |q: &'static str| t.api(Method::POST, "/api/v1/betrokkenen/_zoek", Some(&w.analist.token), Some(json!({"zoekterm": q})));
    let names =
        |v: serde_json::Value| -> Vec<String> { v["resultaten"].as_array().into_iter().flatten().filter_map(|h| h["betrokkene"]["naam"].as_str().map(String::from)).collect() };
    // The company by its name as written, with its "de"; the person by the name in natural order.
    let company = names(search("Autohandel de Kempen").await?.json()?);
    assert_eq!(company.first().map(String::as_str), Some("Autohandel de Kempen B.V."), "{company:?}");
    let person = names(search("Jan van der Kempen").await?.json()?);
    assert!(person.iter().any(|n| n == "Jan van der Kempen"), "{person:?}");
    assert!(!person.iter().any(|n| n.starts_with("Autohandel")), "{person:?}");
    Ok(())
}
db_test!(subject_search_finds_companies_by_their_whole_name);

async fn subject_search_finds_an_address_by_postcode_and_number(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    let id = open_case(&mut t, &w).await?;
    let r = t
        .api(
            Method::POST,
            &format!("/api/v1/casussen/{id}/betrokkenen"),
            Some(&w.analist.token),
            Some(json!({"soort": "adres", "straat": "Markt", "huisnummer": "12", "postcode": "5611 AB", "plaats": "Eindhoven"})),
        )
        .await?;
    assert_eq!(r.status, 200, "{}", r.body);
    for q in ["5611 AB 12", "5611ab 12", "5611 ab"] {
        let found = t.api(Method::POST, "/api/v1/betrokkenen/_zoek", Some(&w.analist.token), Some(json!({"zoekterm": q}))).await?.json()?;
        let names: Vec<String> = found["resultaten"].as_array().into_iter().flatten().filter_map(|h| h["betrokkene"]["naam"].as_str().map(String::from)).collect();
        assert!(names.iter().any(|n| n.contains("Markt 12")), "{q}: {names:?}");
    }
    Ok(())
}
db_test!(subject_search_finds_an_address_by_postcode_and_number);

async fn subject_search_finds_people_and_companies_by_street(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    let id = open_case(&mut t, &w).await?;
    let path = format!("/api/v1/casussen/{id}/betrokkenen");
    for body in [
        json!({"soort": "persoon", "voornamen": "Anna", "geslachtsnaam": "Visser", "straat": "Sint-Jansstraat", "huisnummer": "12-A", "postcode": "5211 AB", "plaats": "'s-Hertogenbosch"}),
        json!({"soort": "rechtspersoon", "handelsnaam": "Bouwbedrijf Rijnmond", "straat": "Oude Gracht", "huisnummer": "3", "postcode": "3511 AA", "plaats": "Utrecht"}),
        json!({"soort": "persoon", "voornamen": "Piet", "geslachtsnaam": "Gracht"}),
    ] {
        let r = t.api(Method::POST, &path, Some(&w.analist.token), Some(body)).await?;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let search = |q: &'static str| t.api(Method::POST, "/api/v1/betrokkenen/_zoek", Some(&w.analist.token), Some(json!({"zoekterm": q})));
    let names =
        |v: serde_json::Value| -> Vec<String> { v["resultaten"].as_array().into_iter().flatten().filter_map(|h| h["betrokkene"]["naam"].as_str().map(String::from)).collect() };
    // However the street is written: with or without hyphen and spaces, with the number or not.
    for q in ["Sint-Jansstraat 12-A", "sint jansstraat 12a", "Sint Jansstraat", "sintjansstraat 12"] {
        let found = names(search(q).await?.json()?);
        assert_eq!(found, vec!["Anna Visser".to_string()], "{q}");
    }
    for q in ["Oude Gracht 3", "Oudegracht"] {
        let found = names(search(q).await?.json()?);
        assert!(found.iter().any(|n| n.starts_with("Bouwbedrijf Rijnmond")), "{q}: {found:?}");
    }
    // A name is still a name: "Gracht" finds the person, not the company on the Oude Gracht.
    let found = names(search("Gracht").await?.json()?);
    assert_eq!(found, vec!["Piet Gracht".to_string()]);
    // Another number on the street is another address.
    assert!(names(search("Sint-Jansstraat 14").await?.json()?).is_empty());
    Ok(())
}
db_test!(subject_search_finds_people_and_companies_by_street);
