//! Barrier models: the editors build a model's steps and parts (every mistake named, stale
//! versions refused, published barriers kept), it is read with the item's audience, and a case's
//! interventions name the barrier they raise, counted per barrier with small counts hidden — on
//! both databases, through the API and the pages.

use crate::cases::{open_case, world};
use crate::knowledge::{names, ok};
use anyhow::{anyhow, Result};
use axum::http::Method;
use knooppunt_domain::Role;
use knooppunt_testkit::{db_test, TestApp};
use serde_json::{json, Value};

fn parts(model: &Value) -> Vec<Value> {
    model["stappen"].as_array().into_iter().flatten().flat_map(|s| s["onderdelen"].as_array().cloned().unwrap_or_default()).collect()
}

async fn a_barrier_model_is_built_read_by_its_audience_and_named_by_interventions(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    let editor = t.actor(Role::KnowledgeEditor).await?;
    let bank = t.private_member("t.bank", "Vereniging van Testbanken").await?;
    let item = ok(t
        .api(
            Method::POST,
            "/api/v1/kennisitems",
            Some(&editor.token),
            Some(json!({"soort": "barrieremodel", "titel": "Barrièremodel hennepteelt", "samenvatting": "Zeven stappen.", "publiek": "netwerk", "fenomenen": ["hennepteelt"]})),
        )
        .await?)?;
    let id = item["id"].as_i64().ok_or_else(|| anyhow!("no id"))?;
    let base = format!("/api/v1/kennisitems/{id}/barrieremodel");

    // Only editors build; every mistake named; a stale version is refused; nothing changes.
    t.api(Method::POST, &format!("{base}/stappen"), Some(&w.gemeente.token), Some(json!({"titel": "Werving", "versie": 1}))).await?.assert_problem(403)?;
    assert_eq!(names(&t.api(Method::POST, &format!("{base}/stappen"), Some(&editor.token), Some(json!({"versie": 1}))).await?.assert_problem(422)?), vec!["titel"]);
    t.api(Method::POST, &format!("{base}/stappen"), Some(&editor.token), Some(json!({"titel": "Werving"}))).await?.assert_problem(422)?;
    t.api(Method::POST, &format!("{base}/stappen"), Some(&editor.token), Some(json!({"titel": "Werving", "versie": 7}))).await?.assert_problem(409)?;
    let m = ok(t.api(Method::GET, &base, Some(&editor.token), None).await?)?;
    assert_eq!((m["versie"].as_i64(), m["stappen"].as_array().map(Vec::len)), (Some(1), Some(0)), "{m}");
    // Another kind of item has no model.
    let news =
        ok(t.api(Method::POST, "/api/v1/kennisitems", Some(&editor.token), Some(json!({"soort": "nieuws", "titel": "N", "samenvatting": "S", "publiek": "netwerk"}))).await?)?;
    t.api(Method::GET, &format!("/api/v1/kennisitems/{}/barrieremodel", news["id"]), Some(&editor.token), None).await?.assert_problem(404)?;

    let mut version = 1;
    for title in ["Huisvesting", "Financiering", "Afzet"] {
        let m = ok(t.api(Method::POST, &format!("{base}/stappen"), Some(&editor.token), Some(json!({"titel": title, "versie": version}))).await?)?;
        version = m["versie"].as_i64().unwrap_or_default();
    }
    let m = ok(t.api(Method::GET, &base, Some(&editor.token), None).await?)?;
    let step = |m: &Value, i: usize| m["stappen"][i]["id"].as_i64().unwrap_or_default();
    // Financiering comes first; Afzet (no parts) goes.
    let m = ok(t.api(Method::POST, &format!("{base}/stappen/{}/_verplaatsen", step(&m, 1)), Some(&editor.token), Some(json!({"richting": "eerder", "versie": version}))).await?)?;
    version += 1;
    t.api(Method::POST, &format!("{base}/stappen/{}/_verplaatsen", step(&m, 0)), Some(&editor.token), Some(json!({"richting": "eerder", "versie": version})))
        .await?
        .assert_problem(409)?;
    let m = ok(t.api(Method::DELETE, &format!("{base}/stappen/{}?versie={version}", step(&m, 2)), Some(&editor.token), None).await?)?;
    version += 1;
    let titles: Vec<&str> = m["stappen"].as_array().into_iter().flatten().filter_map(|s| s["titel"].as_str()).collect();
    assert_eq!(titles, vec!["Financiering", "Huisvesting"], "{m}");
    assert_eq!(m["stappen"][1]["positie"], 2);
    let (financing, housing) = (step(&m, 0), step(&m, 1));

    // Parts: each kind asks its own fields, all named at once.
    let add = |s: i64| format!("{base}/stappen/{s}/onderdelen");
    let p = t.api(Method::POST, &add(housing), Some(&editor.token), Some(json!({"soort": "facilitator", "versie": version}))).await?.assert_problem(422)?;
    assert_eq!(names(&p), vec!["actor", "bewust", "omschrijving"], "{p}");
    let p = t
        .api(
            Method::POST,
            &add(housing),
            Some(&editor.token),
            Some(json!({"soort": "signaal", "omschrijving": "Afgeplakte ramen", "waargenomenDoor": ["wijkagent"], "versie": version})),
        )
        .await?
        .assert_problem(422)?;
    assert_eq!(names(&p), vec!["waargenomenDoor"], "{p}");
    let p = t
        .api(
            Method::POST,
            &add(housing),
            Some(&editor.token),
            Some(json!({"soort": "barriere", "omschrijving": "Sluiting", "interventietype": "x", "verantwoordelijke": "y", "versie": version})),
        )
        .await?
        .assert_problem(422)?;
    assert_eq!(names(&p), vec!["grondslag", "interventietype", "verantwoordelijke"], "{p}");
    t.api(Method::POST, &add(987_654), Some(&editor.token), Some(json!({"soort": "gelegenheid", "omschrijving": "Leegstand", "versie": version}))).await?.assert_problem(404)?;
    for body in [
        json!({"soort": "facilitator", "omschrijving": "Verhuurder zonder controle", "actor": "verhuurder", "bewust": "onbewust"}),
        json!({"soort": "gelegenheid", "omschrijving": "Leegstaande schuren"}),
        json!({"soort": "signaal", "omschrijving": "Afgeplakte ramen", "waargenomenDoor": ["gemeente", "politie", "gemeente"]}),
        json!({"soort": "barriere", "omschrijving": "Sluiting van het pand", "interventietype": "13b-opiumwet", "verantwoordelijke": "gemeente", "grondslag": "Opiumwet, art. 13b"}),
    ] {
        let mut body = body;
        body["versie"] = json!(version);
        let m = ok(t.api(Method::POST, &add(housing), Some(&editor.token), Some(body)).await?)?;
        version = m["versie"].as_i64().unwrap_or_default();
    }
    let m = ok(t
        .api(
            Method::POST,
            &add(financing),
            Some(&editor.token),
            Some(json!({"soort": "barriere", "omschrijving": "Navordering", "interventietype": "fiscaal", "verantwoordelijke": "belastingdienst", "grondslag": "AWR", "versie": version})),
        )
        .await?)?;
    version = m["versie"].as_i64().unwrap_or_default();
    let all = parts(&m);
    assert_eq!(all.len(), 5, "{m}");
    let signal = all.iter().find(|p| p["soort"] == "signaal").cloned().unwrap_or_default();
    assert_eq!(signal["waargenomenDoor"], json!(["gemeente", "politie"]));
    let closing = all.iter().find(|p| p["omschrijving"] == "Sluiting van het pand").and_then(|p| p["id"].as_i64()).unwrap_or_default();
    let tax = all.iter().find(|p| p["omschrijving"] == "Navordering").and_then(|p| p["id"].as_i64()).unwrap_or_default();
    let facilitator = all.iter().find(|p| p["soort"] == "facilitator").and_then(|p| p["id"].as_i64()).unwrap_or_default();
    // Every change is a version of the item, with what changed.
    let it = ok(t.api(Method::GET, &format!("/api/v1/kennisitems/{id}"), Some(&editor.token), None).await?)?;
    assert_eq!(it["versie"].as_i64(), Some(version));
    assert!(it["versies"].as_array().is_some_and(|v| v.iter().any(|x| x["toelichting"] == "barrière toegevoegd aan stap 1")), "{it}");

    // A concept model is the editors' alone: no model, no barriers to name.
    t.api(Method::GET, &base, Some(&w.gemeente.token), None).await?.assert_problem(404)?;
    assert_eq!(ok(t.api(Method::GET, "/api/v1/barrieres", Some(&w.analist.token), None).await?)?, json!([]));

    // Published by somebody else; the network reads it, the bank member (no network) does not.
    let liec = &w.liec;
    ok(t.api(Method::POST, &format!("/api/v1/kennisitems/{id}/_stappen"), Some(&editor.token), Some(json!({"stap": "indienen", "versie": version}))).await?)?;
    ok(t.api(Method::POST, &format!("/api/v1/kennisitems/{id}/_stappen"), Some(&liec.token), Some(json!({"stap": "publiceren", "versie": version}))).await?)?;
    assert_eq!(parts(&ok(t.api(Method::GET, &base, Some(&w.gemeente.token), None).await?)?).len(), 5);
    t.api(Method::GET, &base, None, None).await?.assert_problem(404)?;
    let choices = ok(t.api(Method::GET, "/api/v1/barrieres", Some(&w.analist.token), None).await?)?;
    assert_eq!(choices.as_array().map(Vec::len), Some(2), "{choices}");

    // A model with steps stays a barrier model.
    let it = ok(t.api(Method::GET, &format!("/api/v1/kennisitems/{id}"), Some(&editor.token), None).await?)?;
    let body = json!({"soort": "nieuws", "titel": "Anders", "samenvatting": "S.", "publiek": "netwerk", "toelichting": "andere soort", "versie": it["versie"]});
    assert_eq!(names(&t.api(Method::PUT, &format!("/api/v1/kennisitems/{id}"), Some(&editor.token), Some(body)).await?.assert_problem(422)?), vec!["soort"]);

    // A published barrier stays; another part may go.
    let p = t.api(Method::DELETE, &format!("{base}/onderdelen/{closing}?versie={version}"), Some(&editor.token), None).await?.assert_problem(409)?;
    assert!(p["detail"].as_str().is_some_and(|d| d.contains("gepubliceerd")), "{p}");
    let m = ok(t.api(Method::DELETE, &format!("{base}/onderdelen/{facilitator}?versie={version}"), Some(&editor.token), None).await?)?;
    assert_eq!(parts(&m).len(), 4);

    // Interventions name the barrier they raise; an unknown one is refused by name.
    let case = open_case(&mut t, &w).await?;
    let belasting = t.organisation("Belastingdienst").await?;
    let path = format!("/api/v1/casussen/{case}/interventies");
    let p = t
        .api(Method::POST, &path, Some(&w.analist.token), Some(json!({"soort": "fiscaal", "partnerId": belasting, "bevoegdheid": "AWR", "barriereId": 424_242})))
        .await?
        .assert_problem(422)?;
    assert_eq!(names(&p), vec!["barriere"]);
    for _ in 0..6 {
        ok(t.api(Method::POST, &path, Some(&w.analist.token), Some(json!({"soort": "fiscaal", "partnerId": belasting, "bevoegdheid": "AWR", "barriereId": tax}))).await?)?;
    }
    let c =
        ok(t.api(Method::POST, &path, Some(&w.analist.token), Some(json!({"soort": "13b-opiumwet", "partnerId": belasting, "bevoegdheid": "13b", "barriereId": closing}))).await?)?;
    let named: Vec<i64> = c["interventies"].as_array().into_iter().flatten().filter_map(|v| v["barriereId"].as_i64()).collect();
    assert_eq!(named.len(), 7, "{c}");
    let page = t.page(&format!("/casussen/{case}"), Some(&w.analist)).await?.body;
    assert!(page.contains("barrière: stap 2 Huisvesting: Sluiting van het pand"), "{page}");

    // Per barrier the interventions that raise it; one is too few to show.
    let m = ok(t.api(Method::GET, &base, Some(&w.gemeente.token), None).await?)?;
    let count = |desc: &str| parts(&m).into_iter().find(|p| p["omschrijving"] == desc).map(|p| p["interventies"].clone()).unwrap_or_default();
    assert_eq!((count("Navordering"), count("Sluiting van het pand")), (json!(6), Value::Null), "{m}");

    // The pages: matrix, table, print view; the editor's forms name mistakes in Dutch.
    let page = t.page(&format!("/kennis/{id}/barrieremodel"), Some(&w.gemeente)).await?;
    assert_eq!(page.status, 200);
    for expected in ["Financiering", "Facilitatoren", "Barrières", "opgeworpen door 6 interventies", "aantal interventies afgeschermd", "te zien voor: Gemeente, Nationale Politie"]
    {
        assert!(page.body.contains(expected), "{expected}: {}", page.body);
    }
    assert!(!page.body.contains("Stap toevoegen"), "no editing for readers");
    assert!(t.page(&format!("/kennis/{id}/barrieremodel/afdruk"), Some(&w.gemeente)).await?.body.contains("Druk deze pagina af"));
    assert_eq!(t.page(&format!("/kennis/{id}/barrieremodel"), Some(&bank)).await?.status, 404);
    let page = t.page(&format!("/kennis/{id}/barrieremodel"), Some(&editor)).await?;
    assert!(page.body.contains("Stap toevoegen") && page.body.contains("blijft staan"), "{}", page.body);
    assert_eq!(t.page(&format!("/kennis/{id}/barrieremodel/stappen/{housing}/onderdelen"), Some(&editor)).await?.status, 200);
    let r = t
        .form(&format!("/kennis/{id}/barrieremodel/stappen/{housing}/onderdelen"), Some(&editor), &[("onderdeel", "signaal"), ("versie", &(version + 1).to_string())], None)
        .await?;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("Beschrijf het onderdeel.") && r.body.contains("Kies minstens één partnertype"), "{}", r.body);
    let r = t.form(&format!("/kennis/{id}/barrieremodel/stappen"), Some(&editor), &[("titel", "Afzet en transport"), ("versie", &(version + 1).to_string())], None).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(t.page(&format!("/kennis/{id}/barrieremodel/stappen/nieuw"), Some(&w.gemeente)).await?.status, 403);

    // Audited: three steps added, one moved, one removed, five parts added, one removed, one
    // step added through the page.
    assert_eq!(t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'barrieremodel-gewijzigd'").await?, 12);
    Ok(())
}

db_test!(a_barrier_model_is_built_read_by_its_audience_and_named_by_interventions);
