//! Intervention sheets: every type starts with one; the LIEC writes new versions (every
//! mistake named, stale versions refused, history kept and readable, audited), everyone else
//! reads; the outcomes so far are counted over the finished interventions and protected —
//! through the API and the pages, on both databases.

use crate::cases::{open_case, six_fiscal_interventions, world};
use anyhow::{anyhow, Result};
use axum::http::Method;
use knooppunt_testkit::{db_test, TestApp, TestResponse};
use serde_json::{json, Value};

fn ok(r: TestResponse) -> Result<Value> {
    if r.status != 200 && r.status != 201 {
        return Err(anyhow!("expected 200 or 201, got {}: {}", r.status, r.body));
    }
    r.json()
}

async fn the_liec_keeps_the_intervention_sheets_and_everyone_reads_them(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    // Every type of the catalogue starts with a sheet.
    let types = ok(t.api(Method::GET, "/api/v1/interventietypen", Some(&w.gemeente.token), None).await?)?;
    for ty in types.as_array().into_iter().flatten() {
        let code = ty["code"].as_str().unwrap_or_default();
        let s = ok(t.api(Method::GET, &format!("/api/v1/interventietypen/{code}/interventieblad"), Some(&w.gemeente.token), None).await?)?;
        assert_eq!(s["versie"], 1, "{code}: {s}");
        assert!(!s["wat"].as_str().unwrap_or_default().is_empty() && !s["grondslag"].as_str().unwrap_or_default().is_empty(), "{s}");
    }
    let path = "/api/v1/interventietypen/13b-opiumwet/interventieblad";
    let first = ok(t.api(Method::GET, path, Some(&w.gemeente.token), None).await?)?;
    assert!(first["grondslag"].as_str().is_some_and(|g| g.contains("Opiumwet, art. 13b")), "{first}");

    // Only the LIEC writes; every mistake is named; the version is required and checked.
    let change = json!({"wat": "Sluiting van een pand bij drugshandel.", "grondslag": "Opiumwet, art. 13b", "uitvoerder": "burgemeester", "jurisprudentie": "ECLI:NL:RVS:2024:100", "toelichting": "Uitspraak 2024 toegevoegd", "versie": 1});
    for who in [&w.gemeente, &w.analist, &w.manager] {
        t.api(Method::POST, path, Some(&who.token), Some(change.clone())).await?.assert_problem(403)?;
    }
    let p = t.api(Method::POST, path, Some(&w.liec.token), Some(json!({"wat": " ", "versie": 1}))).await?.assert_problem(422)?;
    let mut names: Vec<&str> = p["invalidParams"].as_array().into_iter().flatten().filter_map(|e| e["name"].as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, vec!["grondslag", "toelichting", "uitvoerder", "wat"], "{p}");
    t.api(Method::POST, path, Some(&w.liec.token), Some(json!({"wat": "x", "grondslag": "x", "uitvoerder": "x", "toelichting": "x"}))).await?.assert_problem(422)?;
    let second = ok(t.api(Method::POST, path, Some(&w.liec.token), Some(change.clone())).await?)?;
    assert_eq!((second["versie"].as_i64(), second["nieuwsteVersie"].as_i64()), (Some(2), Some(2)), "{second}");
    assert_eq!(second["versies"].as_array().map(Vec::len), Some(2));
    assert_eq!(second["versies"][0]["toelichting"], "Uitspraak 2024 toegevoegd");
    t.api(Method::POST, path, Some(&w.liec.token), Some(change.clone())).await?.assert_problem(409)?;
    let mut beyond = change;
    beyond["versie"] = json!(i64::MAX);
    t.api(Method::POST, path, Some(&w.liec.token), Some(beyond)).await?.assert_problem(409)?;
    // The first version stays readable as it was.
    let old = ok(t.api(Method::GET, &format!("{path}?versie=1"), Some(&w.gemeente.token), None).await?)?;
    assert_eq!(old["wat"], first["wat"]);
    t.api(Method::GET, &format!("{path}?versie=9"), Some(&w.gemeente.token), None).await?.assert_problem(404)?;
    t.api(Method::GET, "/api/v1/interventietypen/bestaat-niet/interventieblad", Some(&w.gemeente.token), None).await?.assert_problem(404)?;
    assert_eq!(t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'interventieblad-gewijzigd'").await?, 1);

    // The pages: a partner reads without a form; the LIEC writes with a Dutch error first.
    let page = t.page("/interventies/13b-opiumwet", Some(&w.gemeente)).await?;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Sluiting van een pand bij drugshandel.") && page.body.contains("Versie 1") && !page.body.contains("Nieuwe versie schrijven"), "{}", page.body);
    let list = t.page("/interventies", Some(&w.gemeente)).await?.body;
    assert!(list.contains("/interventies/bibob") && !list.contains("nog geen interventieblad"), "{list}");
    let bad = t.form("/interventies/13b-opiumwet", Some(&w.liec), &[("wat", "Sluiting."), ("versie", "2")], None).await?;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("Noem de wettelijke grondslag.") && bad.body.contains("Zeg kort wat u verandert."), "{}", bad.body);
    let done = t
        .form(
            "/interventies/13b-opiumwet",
            Some(&w.liec),
            &[("wat", "Sluiting."), ("grondslag", "Opiumwet"), ("uitvoerder", "burgemeester"), ("toelichting", "Korter"), ("versie", "2")],
            None,
        )
        .await?;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(t.page("/interventies/13b-opiumwet?versie=abc", Some(&w.gemeente)).await?.status, 404);
    Ok(())
}

db_test!(the_liec_keeps_the_intervention_sheets_and_everyone_reads_them);

/// The outcomes so far: five completed and one stopped fiscal intervention; a count under five
/// is hidden, and so much else that it cannot be derived; an amount only over five
/// contributors.
async fn a_sheets_outcomes_are_counted_and_protected(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    let case = open_case(&mut t, &w).await?;
    six_fiscal_interventions(&t, &w, case).await?;
    let s = ok(t.api(Method::GET, "/api/v1/interventietypen/fiscaal/interventieblad", Some(&w.gemeente.token), None).await?)?;
    let o = &s["opbrengst"];
    assert!(o["gestopt"].is_null(), "one stopped intervention is shown: {o}");
    assert!(o["afgerond"].is_null() || o["samen"].is_null(), "the stopped one can be derived: {o}");
    assert_eq!(o["geindEuro"], 5000, "{o}");
    assert!(o["inBeslagEuro"].is_null(), "an amount of one intervention is shown: {o}");
    for v in o.as_object().into_iter().flat_map(|m| m.values()) {
        assert!(!v.as_u64().is_some_and(|n| (1..5).contains(&n)), "a small count is shown: {o}");
    }
    // Another type without finished interventions shows zeros, never hidden.
    let b = ok(t.api(Method::GET, "/api/v1/interventietypen/bibob/interventieblad", Some(&w.gemeente.token), None).await?)?;
    assert_eq!((b["opbrengst"]["afgerond"].as_u64(), b["opbrengst"]["samen"].as_u64()), (Some(0), Some(0)), "{b}");
    let page = t.page("/interventies/fiscaal", Some(&w.gemeente)).await?.body;
    assert!(page.contains("× (afgeschermd)") && page.contains("€ 5.000"), "{page}");
    Ok(())
}

db_test!(a_sheets_outcomes_are_counted_and_protected);

/// A search finds the catalogue's sheets that hold its words (stems, synonyms, the newest
/// version), in the API and beside the knowledge search's first page, for signed-in users.
async fn a_search_finds_the_sheets_that_hold_its_words(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    let found = |v: &Value| v.as_array().into_iter().flatten().filter_map(|h| h["code"].as_str().map(String::from)).collect::<Vec<_>>();
    let search = |words: &str| format!("/api/v1/interventiebladen?zoek={}", words.replace(' ', "%20"));
    // A word of one sheet; a synonym the editors keep (13b/Damocles); two words of one sheet
    // before sheets holding one of them.
    let bibob = ok(t.api(Method::GET, &search("bibob"), Some(&w.gemeente.token), None).await?)?;
    assert_eq!(found(&bibob).first().map(String::as_str), Some("bibob"), "{bibob}");
    assert!(bibob[0]["naam"].as_str().is_some_and(|n| !n.is_empty()) && bibob[0]["wat"].as_str().is_some_and(|n| n.contains("vergunning")), "{bibob}");
    let damocles = ok(t.api(Method::GET, &search("damocles"), Some(&w.gemeente.token), None).await?)?;
    assert_eq!(found(&damocles).first().map(String::as_str), Some("13b-opiumwet"), "{damocles}");
    let club = ok(t.api(Method::GET, &search("verbod motorclubs"), Some(&w.analist.token), None).await?)?;
    assert_eq!(found(&club).first().map(String::as_str), Some("civiel-verbod"), "{club}");
    assert!(found(&club).len() <= 3);
    assert_eq!(ok(t.api(Method::GET, &search("zzzxyq"), Some(&w.gemeente.token), None).await?)?, json!([]));
    // The newest version is searched.
    let path = "/api/v1/interventietypen/stopgesprek/interventieblad";
    let change =
        json!({"wat": "Een gesprek met de eigenaar van een zonnepark.", "grondslag": "Gemeentewet", "uitvoerder": "burgemeester", "toelichting": "Zonneparken", "versie": 1});
    ok(t.api(Method::POST, path, Some(&w.liec.token), Some(change)).await?)?;
    assert_eq!(found(&ok(t.api(Method::GET, &search("zonneparken"), Some(&w.gemeente.token), None).await?)?), vec!["stopgesprek"]);
    // Mistakes are named; without a token nothing.
    for bad in ["/api/v1/interventiebladen", "/api/v1/interventiebladen?zoek=%20"] {
        let p = t.api(Method::GET, bad, Some(&w.gemeente.token), None).await?.assert_problem(422)?;
        assert_eq!(p["invalidParams"][0]["name"], "zoek", "{p}");
    }
    let long = search(&"woning ".repeat(40));
    let p = t.api(Method::GET, &long, Some(&w.gemeente.token), None).await?.assert_problem(422)?;
    assert_eq!(p["invalidParams"][0]["name"], "zoek", "{p}");
    t.api(Method::GET, &search("bibob"), None, None).await?.assert_problem(401)?;

    // Beside the first page of the knowledge search, for a signed-in user only.
    let page = t.page("/kennis?zoek=henepkwekerij+13b", Some(&w.gemeente)).await?;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Uit de interventiecatalogus") && page.body.contains("href=\"/interventies/13b-opiumwet\""), "{}", page.body);
    assert!(!t.page("/kennis?zoek=13b", None).await?.body.contains("Uit de interventiecatalogus"));
    assert!(!t.page("/kennis?zoek=13b&pagina=2", Some(&w.gemeente)).await?.body.contains("Uit de interventiecatalogus"));
    Ok(())
}

db_test!(a_search_finds_the_sheets_that_hold_its_words);
