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
        let product = if kind == "tafelproduct" { "rapportage" } else { "" };
        let b = json!({"soort": kind, "titel": title, "samenvatting": summary, "tekst": body, "publiek": audience, "groep": group, "ecli": ecli, "productsoort": product, "fenomenen": [theme]});
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

    // A phenomenon renamed: its items are found by the new name at once (their text holds it).
    assert_eq!(search(&t, Some(&gemeente), "zqxwitwasnaam").await?["totaal"], 0);
    let all = ok(t.api(Method::GET, "/api/v1/fenomenen", Some(&liec.token), None).await?)?;
    let old = all.as_array().into_iter().flatten().find(|p| p["code"] == "witwassen").cloned().unwrap_or_default();
    let renamed = json!({"naam": "Witwassen zqxwitwasnaam", "cluster": old["cluster"], "versie": old["versie"]});
    ok(t.api(Method::PATCH, "/api/v1/fenomenen/witwassen", Some(&liec.token), Some(renamed)).await?)?;
    let found = search(&t, Some(&gemeente), "zqxwitwasnaam").await?;
    assert_eq!(in_order(&found), vec!["Witwassen via vastgoed", "Evenredigheid bij woningsluiting"]);
    // …and shown by it at once: the items' phenomena and the facet (the copy holds the names).
    let named = |v: &Value| v.as_array().into_iter().flatten().any(|x| x == "Witwassen zqxwitwasnaam" || x["naam"] == "Witwassen zqxwitwasnaam");
    assert!(found["items"].as_array().into_iter().flatten().all(|i| named(&i["fenomenen"])), "{found}");
    assert!(named(&found["facetten"]["fenomeen"]), "{found}");

    // A new analyser rebuilds the index from the items (and finds the same).
    t.sql("DELETE FROM knowledge_postings").await?;
    t.sql("UPDATE search_index_state SET analyser = 'oud'").await?;
    assert_eq!(t.app.prepare_search().await.map_err(|e| anyhow::anyhow!(e.to_string()))?, 6);
    assert_eq!(t.app.prepare_search().await.map_err(|e| anyhow::anyhow!(e.to_string()))?, 0, "built once");
    assert_eq!(in_order(&search(&t, Some(&gemeente), "hennep").await?), vec!["Sluiting van een hennepkwekerij", "Cannabis op vakantieparken"]);
    Ok(())
}
db_test!(search_finds_words_parts_synonyms_typos_and_references_and_nothing_hidden);

/// A word list with a skewed use: word `i` is picked about 1/(i+1) as often.
const WORDS: [&str; 12] = ["woning", "sluiting", "vergunning", "hennep", "witwassen", "vastgoed", "haven", "chalet", "uitbuiting", "boekhouding", "transport", "stroman"];

fn text(seed: &mut u64, words: usize) -> String {
    let mut out = Vec::new();
    for _ in 0..words {
        *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let r = (*seed >> 33) % 1000;
        // 1/(i+1) weights over twelve words, as cumulative thresholds per mille.
        let i = [322, 483, 590, 671, 735, 789, 835, 875, 911, 943, 972, 1000].iter().position(|t| r < *t).unwrap_or(0);
        out.push(WORDS[i]);
    }
    out.join(" ")
}

/// Every posting carries its item's bucket and the counts per bucket equal a recount.
async fn counts_agree(t: &TestApp) -> Result<()> {
    let stray = t
        .count(
            "SELECT COUNT(*) FROM knowledge_postings p JOIN knowledge_items k ON k.id = p.item_id \
             WHERE p.audience <> CASE WHEN k.state = 'gepubliceerd' THEN k.audience ELSE 'redactie' END \
             OR p.group_id <> CASE WHEN k.state = 'gepubliceerd' AND k.audience = 'groep' THEN COALESCE(k.group_id, 0) ELSE 0 END",
        )
        .await?;
    assert_eq!(stray, 0, "postings in another bucket than their item");
    let recount = t
        .strings(
            "SELECT x FROM (SELECT term || '|' || audience || '|' || CAST(group_id AS TEXT) || '|' || CAST(COUNT(*) AS TEXT) AS x FROM knowledge_postings GROUP BY term, audience, group_id \
             UNION ALL SELECT '|' || audience || '|' || CAST(group_id AS TEXT) || '|' || CAST(COUNT(DISTINCT item_id) AS TEXT) AS x FROM knowledge_postings GROUP BY audience, group_id) r ORDER BY x",
        )
        .await?;
    let kept = t.strings("SELECT term || '|' || audience || '|' || CAST(group_id AS TEXT) || '|' || CAST(n AS TEXT) FROM knowledge_term_counts WHERE n <> 0 ORDER BY 1").await?;
    assert_eq!(kept, recount);
    Ok(())
}

/// The ranking reads postings best first and stops early; it must give exactly what ranking
/// every posting gives, for every kind of reader, page and filter — and the counts it keeps
/// per audience must stay equal to a recount as items are published, moved and archived.
async fn the_ranking_stops_early_and_agrees_with_ranking_everything(mut t: TestApp) -> Result<()> {
    use knooppunt_policy::knowledge::{indexer_scope, knowledge_scope};
    use knooppunt_policy::{Actor as PolicyActor, Principal, RoleGrant};
    use knooppunt_store::knowledge::{self as items, ItemContent, ItemFilter, VISIBLE};
    use knooppunt_store::query::{col, q};
    let editor = t.actor(Role::KnowledgeEditor).await?;
    let liec = t.actor(Role::LiecCoordinator).await?;
    let member = t.organisation("Douane").await?;
    let outsider = t.organisation("Nationale Politie").await?;
    // Read before the transaction: a test, like a use case, holds one connection at a time.
    let phenomena: Vec<i64> = t.strings("SELECT CAST(id AS TEXT) FROM phenomena ORDER BY id").await?.iter().filter_map(|s| s.parse().ok()).collect();
    let mut tx = t.app.db().begin().await?;
    let (g1, g2) = (items::insert_group(&mut tx, "t1", "Tafel 1", "", 0).await?, items::insert_group(&mut tx, "t2", "Tafel 2", "", 0).await?);
    items::set_members(&mut tx, g1, &[member]).await?;
    let mut seed = 7u64;
    for i in 0..1_250i64 {
        let (audience, group) = match i % 6 {
            0 => ("openbaar", None),
            1 => ("groep", Some(g1)),
            2 => ("groep", Some(g2)),
            _ => ("netwerk", None),
        };
        let n = 3 + usize::try_from(i % 17).unwrap_or(0);
        let content = ItemContent {
            kind: if i % 4 == 0 { "nieuws" } else { "handreiking" }.into(),
            title: text(&mut seed, 2),
            summary: text(&mut seed, n),
            body: text(&mut seed, 3 * n),
            ecli: None,
            audience: audience.into(),
            group_id: group,
            region_id: None,
            product_type: String::new(),
        };
        let id = items::insert(&mut tx, &content, "test", 0).await?;
        // Facets to count: a phenomenon and partner types on some items.
        if i % 3 == 0 {
            let partner_types = if i % 2 == 0 { vec!["gemeente".to_string(), "politie".to_string()] } else { vec!["belastingdienst".to_string()] };
            let phenomena = phenomena.iter().skip(usize::try_from(i % 5).unwrap_or(0)).take(1 + usize::try_from(i % 2).unwrap_or(0)).copied().collect();
            items::set_terms(&mut tx, id, &items::ItemTerms { phenomena, settings: vec![], partner_types }).await?;
        }
        if i % 7 != 0 {
            items::set_state(&mut tx, id, 1, "concept", "gepubliceerd", Some("test"), 0).await?;
        }
    }
    tx.commit().await?;
    t.sql("UPDATE search_index_state SET analyser = ''").await?;
    assert_eq!(t.app.prepare_search().await.map_err(|e| anyhow::anyhow!(e.to_string()))?, 1_250);
    counts_agree(&t).await?;
    // Another node's copy of the index in memory, read now: the changes below reach it only
    // through the generations it catches up with.
    let replica = knooppunt_store::replica::Replica::default();
    let mut tx = t.app.db().begin_read().await?;
    let scope = indexer_scope();
    let woning = ItemFilter { terms: vec!["woning".into()], ..ItemFilter::default() };
    replica.view(&mut tx, &scope, true).await?.matches(&mut tx, &woning, 1).await?;
    tx.commit().await?;
    // Changes through the app keep the buckets and counts: a new item offered, published and
    // archived, another left a concept.
    let step = |id: i64, stap: &str, versie: i64| (format!("/api/v1/kennisitems/{id}/_stappen"), json!({"stap": stap, "versie": versie, "toelichting": ""}));
    for (title, publish) in [("woning hennep vergunning", true), ("hennep stroman", false)] {
        let b = json!({"soort": "nieuws", "titel": title, "samenvatting": "woning", "publiek": "netwerk"});
        let id = ok(t.api(Method::POST, "/api/v1/kennisitems", Some(&editor.token), Some(b)).await?)?["id"].as_i64().unwrap_or_default();
        if publish {
            for (who, stap, versie) in [(&editor, "indienen", 1), (&liec, "publiceren", 1)] {
                let (path, body) = step(id, stap, versie);
                ok(t.api(Method::POST, &path, Some(&who.token), Some(body)).await?)?;
            }
            counts_agree(&t).await?;
            let (path, body) = step(id, "archiveren", 1);
            ok(t.api(Method::POST, &path, Some(&liec.token), Some(body)).await?)?;
        }
    }
    counts_agree(&t).await?;
    // The other node's copy catches up: the two items the app indexed after it was read (both
    // holding "woning", neither published now) are there for the editor, and for nobody else.
    let mut tx = t.app.db().begin_read().await?;
    for scope in [indexer_scope(), knowledge_scope(None)] {
        let mut copied = replica.view(&mut tx, &scope, true).await?.matches(&mut tx, &woning, 100_000).await?;
        let mut stored = items::matches(&mut tx, &scope, &woning, 100_000).await?;
        copied.sort_unstable();
        stored.sort_unstable();
        assert_eq!(copied, stored, "{scope:?}");
    }
    tx.commit().await?;
    // A word most items hold is counted up to the bound; the facets then name values uncounted.
    let r = search(&t, Some(&editor), "woning").await?;
    assert_eq!((r["totaal"].as_i64(), r["meerDanTotaal"].as_bool()), (Some(1000), Some(true)), "{}", r["totaal"]);
    let kinds = r["facetten"]["soort"].as_array().cloned().unwrap_or_default();
    assert!(!kinds.is_empty() && kinds.iter().all(|f| f["aantal"].is_null()), "{kinds:?}");
    let page = t.page("/kennis?zoek=woning", Some(&editor)).await?.body;
    assert!(page.contains("Meer dan 1.000 kennisitems voor ‘woning’, pagina 1; verfijn met de filters"), "{page}");
    // A rarer word exactly, for the reader's own items.
    let r = search(&t, Some(&editor), "stroman").await?;
    assert_eq!((r["totaal"].as_i64(), r["meerDanTotaal"].as_bool()), (Some(t.count("SELECT COUNT(*) FROM knowledge_postings WHERE term = 'stroman'").await?), Some(false)));
    let sum: i64 = r["facetten"]["soort"].as_array().into_iter().flatten().filter_map(|f| f["aantal"].as_i64()).sum();
    assert_eq!(Some(sum), r["totaal"].as_i64());

    let reader = |org: i64| Principal {
        actor: PolicyActor::User(9_999),
        label: "lezer".into(),
        organisation_id: Some(org),
        roles: vec![RoleGrant { role: Role::PartnerEmployee, region_id: None }],
    };
    let scopes = [indexer_scope(), knowledge_scope(Some(&reader(member))), knowledge_scope(Some(&reader(outsider))), knowledge_scope(None)];
    let terms = t.strings("SELECT term FROM knowledge_postings GROUP BY term ORDER BY COUNT(*) DESC, term").await?;
    let w = |i: usize, weight: i64, concept: i64| (terms[i].clone(), weight, concept);
    let queries = [
        vec![w(0, 1000, 0)],
        vec![w(0, 1000, 0), w(1, 1400, 1)],
        vec![w(3, 1000, 0), w(5, 800, 0), w(0, 300, 1)],
        vec![w(10, 2000, 0), w(2, 700, 1), w(1, 600, 2), w(0, 500, 3)],
        vec![w(11, 1000, 0), w(7, 1000, 1)],
    ];
    let filters = [ItemFilter::default(), ItemFilter { kind: Some("nieuws".into()), ..ItemFilter::default() }];
    let mut checked = 0;
    let every: Vec<i64> = t.strings("SELECT CAST(id AS TEXT) FROM knowledge_items").await?.iter().filter_map(|s| s.parse().ok()).collect();
    for scope in &scopes {
        for weights in &queries {
            for f in &filters {
                // Every posting ranked: the statement the early stop replaces.
                let rows: Vec<String> = (0..weights.len())
                    .map(|i| format!("SELECT CAST(${} AS TEXT) AS term, CAST(${} AS BIGINT) AS weight, CAST(${} AS BIGINT) AS concept", 5 + 3 * i, 6 + 3 * i, 7 + 3 * i))
                    .collect();
                let mut all = q(format!(
                    "WITH w AS ({}), b AS (SELECT p.item_id, w.concept, MAX(p.impact * w.weight) AS best FROM knowledge_postings p JOIN w ON w.term = p.term GROUP BY p.item_id, w.concept), \
                     h AS (SELECT b.item_id, CAST(SUM(b.best) AS BIGINT) AS score, COUNT(*) AS concepts FROM b GROUP BY b.item_id) \
                     SELECT k.id, h.score, h.concepts FROM knowledge_items k JOIN h ON h.item_id = k.id WHERE {VISIBLE} AND (CAST($4 AS TEXT) IS NULL OR k.kind = $4) \
                     ORDER BY h.concepts DESC, h.score DESC, k.id DESC",
                    rows.join(" UNION ALL ")
                ))
                .bind(scope.editor())
                .bind(scope.network())
                .bind(scope.organisation_id().unwrap_or(-1))
                .bind(f.kind.clone());
                for (term, weight, concept) in weights {
                    all = all.bind(term.as_str()).bind(*weight).bind(*concept);
                }
                let mut tx = t.app.db().begin_read().await?;
                let expected: Vec<(i64, i64, i64)> =
                    all.fetch_all(&mut tx).await?.iter().map(|r| Ok((col(r, "id")?, col(r, "score")?, col(r, "concepts")?))).collect::<Result<_>>()?;
                let with_terms = ItemFilter { terms: weights.iter().map(|w| w.0.clone()).collect(), ..f.clone() };
                let view = replica.view(&mut tx, scope, true).await?;
                for (limit, offset) in [(10, 0), (10, 10), (3, 0), (25, 40)] {
                    let got: Vec<(i64, i64, i64)> = items::search(&mut tx, scope, f, weights, limit, offset).await?.into_iter().map(|r| (r.row.id, r.score, r.concepts)).collect();
                    let want: Vec<(i64, i64, i64)> = expected.iter().skip(offset as usize).take(limit as usize).copied().collect();
                    assert_eq!(got, want, "scope {scope:?}, weights {weights:?}, filter {:?}, page ({limit}, {offset})", f.kind);
                    let copied: Vec<(i64, i64, i64)> =
                        view.search(&mut tx, &with_terms, weights, limit, offset).await?.into_iter().map(|r| (r.row.id, r.score, r.concepts)).collect();
                    assert_eq!(copied, want, "the copy in memory: scope {scope:?}, weights {weights:?}, filter {:?}, page ({limit}, {offset})", f.kind);
                    checked += usize::from(!want.is_empty());
                }
                let mut from_copy = view.matches(&mut tx, &with_terms, 100_000).await?;
                let mut from_db = items::matches(&mut tx, scope, &with_terms, 100_000).await?;
                from_copy.sort_unstable();
                from_db.sort_unstable();
                assert_eq!(from_copy, from_db, "matches: scope {scope:?}, weights {weights:?}, filter {:?}", f.kind);
                // Facets over the matches (and over every item, so hidden ones are left out).
                for ids in [&from_db, &every] {
                    let (copied, stored) = (view.facets(&mut tx, ids).await?, items::facets(&mut tx, scope, ids).await?);
                    assert_eq!(copied, stored, "facets: scope {scope:?}, weights {weights:?}, filter {:?}", f.kind);
                    assert_eq!(view.themes(&mut tx, ids).await?, items::themes_of(&mut tx, scope, ids).await?, "themes: scope {scope:?}");
                }
                // The reader's statistics equal a count over the items the reader sees.
                let list: Vec<&str> = weights.iter().map(|w| w.0.as_str()).collect();
                let (n, df) = knooppunt_store::search::frequencies(&mut tx, scope, &list).await?;
                assert_eq!(view.frequencies(&mut tx, &list).await?, (n, df.clone()), "the copy's statistics for {scope:?}");
                let seen = q(format!("SELECT COUNT(DISTINCT p.item_id) AS n FROM knowledge_postings p JOIN knowledge_items k ON k.id = p.item_id WHERE {VISIBLE}"))
                    .bind(scope.editor())
                    .bind(scope.network())
                    .bind(scope.organisation_id().unwrap_or(-1))
                    .fetch_one(&mut tx)
                    .await?;
                assert_eq!(n, col::<i64>(&seen, "n")?);
                for term in &list {
                    let c = q(format!("SELECT COUNT(*) AS n FROM knowledge_postings p JOIN knowledge_items k ON k.id = p.item_id WHERE {VISIBLE} AND p.term = $4"))
                        .bind(scope.editor())
                        .bind(scope.network())
                        .bind(scope.organisation_id().unwrap_or(-1))
                        .bind(*term)
                        .fetch_one(&mut tx)
                        .await?;
                    assert_eq!(df.get(*term).copied().unwrap_or(0), col::<i64>(&c, "n")?, "{term} for {scope:?}");
                }
                tx.commit().await?;
            }
        }
    }
    assert!(checked > 100, "{checked} pages compared");

    // Every other filter, alone and together, answered by the copy as by the database.
    let text = |s: &str| Some(s.to_string());
    let narrowed = [
        ItemFilter { state: text("concept"), ..ItemFilter::default() },
        ItemFilter { phenomenon_id: phenomena.get(1).copied(), ..ItemFilter::default() },
        ItemFilter { partner_type: text("politie"), ..ItemFilter::default() },
        ItemFilter { year: Some(1970), ..ItemFilter::default() },
        ItemFilter { year: Some(2025), ..ItemFilter::default() },
        ItemFilter { kind: text("nieuws"), state: text("gepubliceerd"), partner_type: text("belastingdienst"), year: Some(1970), ..ItemFilter::default() },
        ItemFilter { phenomenon_id: Some(-5), ..ItemFilter::default() },
    ];
    let mut found = 0;
    let mut tx = t.app.db().begin_read().await?;
    for scope in &scopes {
        let view = replica.view(&mut tx, scope, true).await?;
        for weights in &queries {
            for f in &narrowed {
                let with_terms = ItemFilter { terms: weights.iter().map(|w| w.0.clone()).collect(), ..f.clone() };
                let stored: Vec<(i64, i64, i64)> = items::search(&mut tx, scope, f, weights, 10, 0).await?.into_iter().map(|r| (r.row.id, r.score, r.concepts)).collect();
                let copied: Vec<(i64, i64, i64)> = view.search(&mut tx, &with_terms, weights, 10, 0).await?.into_iter().map(|r| (r.row.id, r.score, r.concepts)).collect();
                assert_eq!(copied, stored, "filter {f:?}, scope {scope:?}, weights {weights:?}");
                let mut from_copy = view.matches(&mut tx, &with_terms, 100_000).await?;
                let mut from_db = items::matches(&mut tx, scope, &with_terms, 100_000).await?;
                from_copy.sort_unstable();
                from_db.sort_unstable();
                assert_eq!(from_copy, from_db, "matches: filter {f:?}, scope {scope:?}, weights {weights:?}");
                found += usize::from(!stored.is_empty());
            }
        }
    }
    tx.commit().await?;
    assert!(found > 40, "{found} filtered pages found something");
    Ok(())
}

db_test!(the_ranking_stops_early_and_agrees_with_ranking_everything);

/// The log of the index's changes is pruned as it grows: a node's copy older than the pruned
/// generations reads everything again and answers as the database does; a copy that is not
/// reads the synonyms again only when a generation noted a change of them.
async fn a_copy_behind_the_pruned_log_reads_everything_again(mut t: TestApp) -> Result<()> {
    use knooppunt_policy::knowledge::indexer_scope;
    use knooppunt_store::knowledge::{self as items, ItemFilter};
    use knooppunt_store::replica::Replica;
    use knooppunt_store::search::{self as index, EVERYTHING, REFERENCE};
    let editor = t.actor(Role::KnowledgeEditor).await?;
    let create = |title: &str| json!({"soort": "nieuws", "titel": title, "samenvatting": "Een bericht over zonne-energie.", "publiek": "netwerk"});
    ok(t.api(Method::POST, "/api/v1/kennisitems", Some(&editor.token), Some(create("Zonnepark op een boerenerf"))).await?)?;
    let scope = indexer_scope();
    let (behind, current) = (Replica::default(), Replica::default());
    let mut tx = t.app.db().begin_read().await?;
    let g0 = index::generation(&mut tx).await?;
    for r in [&behind, &current] {
        r.view(&mut tx, &scope, true).await?;
    }
    tx.commit().await?;

    // An item and a synonym group change after both copies were read.
    let id = ok(t.api(Method::POST, "/api/v1/kennisitems", Some(&editor.token), Some(create("Zonnepark als dekmantel"))).await?)?["id"].as_i64().unwrap_or_default();
    ok(t.api(Method::POST, "/api/v1/zoeksynoniemen", Some(&editor.token), Some(json!({"woorden": ["zonnepark", "zonneweide"]}))).await?)?;
    let mut tx = t.app.db().begin_read().await?;
    let now = index::generation(&mut tx).await?;
    let noted = index::changed_since(&mut tx, g0, now).await?;
    assert_eq!(noted, vec![REFERENCE, id], "generations {g0}..{now}");
    // The current copy catches up from the log: the new item, and the new group.
    let view = current.view(&mut tx, &scope, true).await?;
    assert!(view.synonyms(&mut tx).await?.iter().any(|g| g.contains("zonneweide")));
    let zonnepark = ItemFilter { terms: vec!["zonnepark".into()], ..ItemFilter::default() };
    assert_eq!(view.matches(&mut tx, &zonnepark, 10).await?.len(), 2);
    tx.commit().await?;

    // Pruned through the current generation: the log no longer reaches back to `g0`.
    let mut tx = t.app.db().begin().await?;
    index::prune_log(&mut tx, now).await?;
    tx.commit().await?;
    assert_eq!(t.count(&format!("SELECT COUNT(*) FROM knowledge_index_log WHERE generation <= {now}")).await?, 0);
    let mut tx = t.app.db().begin_read().await?;
    assert_eq!(index::changed_since(&mut tx, g0, now).await?, vec![EVERYTHING]);
    assert_eq!(index::changed_since(&mut tx, now, now).await?, Vec::<i64>::new(), "a copy at the pruned generation is not behind");
    // The copy behind reads everything: the same items and synonyms as the database.
    let view = behind.view(&mut tx, &scope, true).await?;
    let mut copied = view.matches(&mut tx, &zonnepark, 10).await?;
    let mut stored = items::matches(&mut tx, &scope, &zonnepark, 10).await?;
    copied.sort_unstable();
    stored.sort_unstable();
    assert_eq!((copied.len(), copied), (2, stored));
    let synonyms: Vec<String> = index::synonyms(&mut tx).await?.into_iter().map(|g| g.words).collect();
    assert_eq!(view.synonyms(&mut tx).await?, synonyms);
    tx.commit().await?;
    Ok(())
}

db_test!(a_copy_behind_the_pruned_log_reads_everything_again);
