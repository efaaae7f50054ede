//! The knowledge search on both databases: compounds, synonyms (kept by the editors), typos,
//! ECLI numbers and article references; the same ranked results on SQLite and PostgreSQL (one
//! expected order for both); and nothing of an item a reader may not see — not a result, a
//! count, a facet, a snippet or a correction — reaches that reader.

use crate::knowledge::{names, ok};
use anyhow::Result;
use axum::http::Method;
use knooppunt_domain::Role;
use knooppunt_testkit::{db_test, Actor, TestApp};
use serde_json::{json, Value};

fn in_order(list: &Value) -> Vec<String> {
    list["items"].as_array().into_iter().flatten().filter_map(|i| i["titel"].as_str().map(String::from)).collect()
}

async fn search(t: &TestApp, who: Option<&Actor>, words: &str) -> Result<Value> {
    let path = format!("/api/v1/kennisitems?zoek={}", urlencode(words));
    ok(t.api(Method::GET, &path, who.map(|a| a.token.as_str()), None).await?)
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn search_finds_words_parts_synonyms_typos_and_references_and_nothing_hidden(mut t: TestApp) -> Result<()> {
    let editor = t.actor(Role::KnowledgeEditor).await?;
    let liec = t.actor(Role::LiecCoordinator).await?;
    let gemeente = t.actor(Role::PartnerEmployee).await?;
    let bank = t.private_member("t.bank", "Vereniging van Testbanken").await?;
    let bank_org = t.organisation("Vereniging van Testbanken").await?;
    ok(t.api(Method::POST, "/api/v1/kennisgroepen", Some(&editor.token), Some(json!({"naam": "Tafel Hennep", "leden": [bank_org]}))).await?)?;

    let items = [
        (
            "Sluiting van een hennepkwekerij",
            "handreiking",
            "netwerk",
            "",
            "",
            "De burgemeester sluit de woning op grond van art. 13b Opiumwet.",
            "Na de ruiming van een kwekerij volgt de sluiting van het pand.",
        ),
        ("Cannabis op vakantieparken", "nieuws", "openbaar", "", "", "Recreatieparken worden gebruikt voor teelt.", "Cannabis wordt gekweekt in chalets op vakantieparken."),
        (
            "Evenredigheid bij woningsluiting",
            "jurisprudentie",
            "openbaar",
            "",
            "ECLI:NL:RVS:2022:1389",
            "De Afdeling over de evenredigheidstoets.",
            "Ook een woning mag worden gesloten als de handelshoeveelheid er lag.",
        ),
        ("Witwassen via vastgoed", "factsheet", "netwerk", "", "", "Contante aankopen van panden.", "Vastgoed is gevoelig voor witwassen."),
        ("Tafelproduct zqxsearchgroup", "tafelproduct", "groep", "tafel-hennep", "", "Alleen voor de tafel: hennepkwekerij en zqxsearchgroup.", ""),
    ];
    let step = |id: i64, stap: &str| (format!("/api/v1/kennisitems/{id}/_stappen"), json!({"stap": stap, "versie": 1, "toelichting": ""}));
    for (title, kind, audience, group, ecli, summary, body) in items {
        // The themes are searched too: only the cannabis items carry hennepteelt.
        let theme = if title.contains("ennep") || title.contains("annabis") || !group.is_empty() { "hennepteelt" } else { "witwassen" };
        let b = json!({"soort": kind, "titel": title, "samenvatting": summary, "tekst": body, "publiek": audience, "groep": group, "ecli": ecli, "fenomenen": [theme]});
        let id = ok(t.api(Method::POST, "/api/v1/kennisitems", Some(&editor.token), Some(b)).await?)?["id"].as_i64().unwrap_or_default();
        let (path, body) = step(id, "indienen");
        ok(t.api(Method::POST, &path, Some(&editor.token), Some(body)).await?)?;
        let (path, body) = step(id, "publiceren");
        ok(t.api(Method::POST, &path, Some(&liec.token), Some(body)).await?)?;
    }
    // A concept nobody but the editors sees.
    let concept = json!({"soort": "nieuws", "titel": "Concept zqxsearchconcept", "samenvatting": "zqxsearchconcept over hennepkwekerij", "publiek": "openbaar"});
    ok(t.api(Method::POST, "/api/v1/kennisitems", Some(&editor.token), Some(concept)).await?)?;

    // A typo and an article: the guide first, with the correction named and the words marked.
    let r = search(&t, Some(&gemeente), "henepkwekerij 13b").await?;
    assert_eq!(in_order(&r).first().map(String::as_str), Some("Sluiting van een hennepkwekerij"), "{r}");
    assert_eq!(r["ookGezochtOp"][0], json!({"getypt": "henepkwekerij", "gezocht": "hennepkwekerij"}), "{r}");
    let marked: Vec<&str> = r["items"][0]["uitsnede"].as_array().into_iter().flatten().filter(|p| p["gemarkeerd"] == true).filter_map(|p| p["tekst"].as_str()).collect();
    assert!(marked.contains(&"13b"), "{r}");
    // One expected order for both databases: the ranking is integer arithmetic on both.
    let r = search(&t, Some(&gemeente), "hennep").await?;
    assert_eq!(in_order(&r), vec!["Sluiting van een hennepkwekerij", "Cannabis op vakantieparken"], "{r}");
    assert_eq!(r["totaal"], 2);
    let r = search(&t, Some(&gemeente), "wiet sluiting").await?;
    assert_eq!(in_order(&r), vec!["Sluiting van een hennepkwekerij", "Cannabis op vakantieparken", "Evenredigheid bij woningsluiting"], "{r}");
    // ECLI numbers and articles are found exactly.
    let r = search(&t, None, "ecli:nl:rvs:2022:1389").await?;
    assert_eq!((in_order(&r), r["totaal"].as_i64()), (vec!["Evenredigheid bij woningsluiting".to_string()], Some(1)), "{r}");
    let r = search(&t, Some(&gemeente), "art. 13b Opiumwet").await?;
    assert_eq!(in_order(&r), vec!["Sluiting van een hennepkwekerij"], "{r}");
    // Compounds: a part finds the whole ("woning" finds "woningsluiting" too).
    let r = search(&t, None, "woning").await?;
    assert_eq!(in_order(&r), vec!["Evenredigheid bij woningsluiting"], "{r}");
    assert_eq!(search(&t, Some(&gemeente), "woning").await?["totaal"], 2);

    // Hidden items: no result, count, facet, snippet or correction, for any hidden word.
    for (who, word) in
        [(Some(&gemeente), "zqxsearchgroup"), (Some(&gemeente), "zqxsearchgrup"), (None, "zqxsearchgroup"), (Some(&gemeente), "zqxsearchconcept"), (None, "zqxsearchconcep")]
    {
        let r = search(&t, who, word).await?;
        assert_eq!(r["totaal"], 0, "{word}: {r}");
        assert!(r["facetten"]["soort"].as_array().is_some_and(Vec::is_empty) && r.get("ookGezochtOp").is_none(), "{word}: {r}");
        assert!(!r.to_string().contains("zqxsearch"), "{word}: {r}");
    }
    let r = search(&t, Some(&gemeente), "hennepkwekerij").await?;
    assert!(!r.to_string().contains("zqxsearch"), "{r}");
    let page = t.page("/kennis?zoek=zqxsearchgrup", Some(&gemeente)).await?.body;
    assert!(!page.contains("zqxsearchgroup") && page.contains("0 kennisitems"), "{page}");
    // The group's member (a private member: pages, no token) finds the group item, corrected,
    // and only public items besides.
    let page = t.page("/kennis?zoek=zqxsearchgrup", Some(&bank)).await?.body;
    assert!(page.contains("Tafelproduct zqxsearchgroup") && page.contains("1 kennisitem voor"), "{page}");
    assert!(page.contains("Ook gezocht op ‘zqxsearchgroup’"), "{page}");
    let page = t.page("/kennis?zoek=hennepkwekerij", Some(&bank)).await?.body;
    assert!(page.contains("Tafelproduct zqxsearchgroup") && !page.contains("Sluiting van een hennepkwekerij"), "the network's guide is not the bank's: {page}");
    let page = t.page("/kennis?zoek=zqxsearchconcep", Some(&bank)).await?.body;
    assert!(!page.contains("zqxsearchconcept") && page.contains("0 kennisitems"), "{page}");
    // The editors find concepts.
    assert_eq!(search(&t, Some(&editor), "zqxsearchconcept").await?["totaal"], 1);

    // The page: the search box on every page, results with marked snippets and the correction.
    assert!(t.page("/", Some(&gemeente)).await?.body.contains("name=\"zoek\""));
    let page = t.page("/kennis?zoek=henepkwekerij+13b", Some(&gemeente)).await?.body;
    assert!(page.contains("<mark>13b</mark>") && page.contains("Ook gezocht op ‘hennepkwekerij’ (voor ‘henepkwekerij’)"), "{page}");
    let long = "a".repeat(201);
    assert_eq!(t.page(&format!("/kennis?zoek={long}"), Some(&gemeente)).await?.status, 400);
    assert_eq!(names(&t.api(Method::GET, &format!("/api/v1/kennisitems?zoek={long}"), Some(&gemeente.token), None).await?.assert_problem(422)?), vec!["zoek"]);

    // Synonyms: the editors keep them; a new group counts at the next search.
    assert_eq!(search(&t, Some(&gemeente), "bungalowpark").await?["totaal"], 0);
    t.api(Method::POST, "/api/v1/zoeksynoniemen", Some(&gemeente.token), Some(json!({"woorden": ["bungalowpark", "vakantiepark"]}))).await?.assert_problem(403)?;
    let bad = t.api(Method::POST, "/api/v1/zoeksynoniemen", Some(&editor.token), Some(json!({"woorden": ["bungalowpark"]}))).await?.assert_problem(422)?;
    assert_eq!(names(&bad), vec!["woorden"]);
    let g = ok(t.api(Method::POST, "/api/v1/zoeksynoniemen", Some(&editor.token), Some(json!({"woorden": ["bungalowpark", "vakantiepark"]}))).await?)?;
    assert_eq!(in_order(&search(&t, Some(&gemeente), "bungalowpark").await?), vec!["Cannabis op vakantieparken"]);
    let path = format!("/api/v1/zoeksynoniemen/{}", g["id"]);
    ok(t.api(Method::PUT, &path, Some(&editor.token), Some(json!({"woorden": ["bungalowpark", "chaletpark"], "versie": 1}))).await?)?;
    t.api(Method::PUT, &path, Some(&editor.token), Some(json!({"woorden": ["bungalowpark", "vakantiepark"], "versie": 1}))).await?.assert_problem(409)?;
    assert_eq!(search(&t, Some(&gemeente), "bungalowpark").await?["totaal"], 0);
    assert_eq!(t.api(Method::DELETE, &format!("{path}?versie=2"), Some(&editor.token), None).await?.status, 204);
    let form = t.form("/kennis/synoniemen", Some(&editor), &[("woorden", "de")], None).await?;
    assert!(form.status == 400 && form.body.contains("Geef ten minste twee woorden"), "{}", form.body);
    assert_eq!(t.form("/kennis/synoniemen", Some(&editor), &[("woorden", "motorbende, outlaw bikers")], None).await?.status, 303);
    assert!(t.page("/kennis/synoniemen", Some(&editor)).await?.body.contains("motorbende, outlaw bikers"));
    assert_eq!(t.page("/kennis/synoniemen", Some(&gemeente)).await?.status, 403);
    assert_eq!(t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'zoeksynoniemen-gewijzigd'").await?, 4);

    // A new analyser rebuilds the index from the items (and finds the same).
    t.sql("DELETE FROM knowledge_postings").await?;
    t.sql("UPDATE search_index_state SET analyser = 'oud'").await?;
    assert_eq!(t.app.prepare_search().await.map_err(|e| anyhow::anyhow!(e.to_string()))?, 6);
    assert_eq!(t.app.prepare_search().await.map_err(|e| anyhow::anyhow!(e.to_string()))?, 0, "built once");
    assert_eq!(in_order(&search(&t, Some(&gemeente), "hennep").await?), vec!["Sluiting van een hennepkwekerij", "Cannabis op vakantieparken"]);
    Ok(())
}
db_test!(search_finds_words_parts_synonyms_typos_and_references_and_nothing_hidden);
