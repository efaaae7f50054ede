//! The LIEC Field Lab Hub through the API and the UI: the LIEC opens a lab (bad input listed
//! field by field, nothing stored; nobody else may) hosted by a municipality, adds the police as
//! partner and moves it through the phases; the lab's organisations record decisions and run an
//! experiment with indicators and a scaling decision, others in the network only read; a
//! private member sees no lab; the final product is offered as a knowledge item in one step.

use anyhow::{anyhow, Result};
use axum::http::Method;
use knooppunt_domain::Role;
use knooppunt_testkit::{db_test, TestApp, TestResponse};
use serde_json::{json, Value};

fn ok(r: TestResponse) -> Result<Value> {
    if r.status != 200 && r.status != 201 {
        return Err(anyhow!("expected 200/201, got {}: {}", r.status, r.body));
    }
    r.json()
}

async fn the_liec_runs_a_lab_and_its_organisations_work_in_it(mut t: TestApp) -> Result<()> {
    let liec = t.actor(Role::LiecCoordinator).await?;
    let gemeente = t.actor(Role::PartnerEmployee).await?; // Gemeente Eindhoven
    let police = t.actor_in("agent.lab", "Nationale Politie", Role::PartnerEmployee).await?;
    let analyst = t.actor(Role::RiecAnalyst).await?;
    let notary = t.private_member("notaris.lab", "Koninklijke Notariële Beroepsorganisatie").await?;
    let eindhoven = t.organisation("Gemeente Eindhoven").await?;
    let politie = t.organisation("Nationale Politie").await?;
    let rows = "SELECT (SELECT COUNT(*) FROM field_labs) + (SELECT COUNT(*) FROM field_lab_partners) + (SELECT COUNT(*) FROM field_lab_records) \
                + (SELECT COUNT(*) FROM field_lab_experiments) + (SELECT COUNT(*) FROM field_lab_indicators)";

    // Bad input: every field named, nothing stored; only the LIEC opens labs.
    let p = t.api(Method::POST, "/api/v1/fieldlabs", Some(&liec.token), Some(json!({"titel": " ", "regio": "atlantis"}))).await?.assert_problem(422)?;
    for field in ["titel", "probleem", "regio", "organisatieId"] {
        assert!(p.to_string().contains(field), "{field}: {p}");
    }
    let body = json!({"titel": "Vakantieparken", "probleem": "Permanente bewoning en drugsafval.", "regio": "oost-brabant", "organisatieId": eindhoven});
    t.api(Method::POST, "/api/v1/fieldlabs", Some(&gemeente.token), Some(body.clone())).await?.assert_problem(403)?;
    assert_eq!(t.count(rows).await?, 0);

    let l = ok(t.api(Method::POST, "/api/v1/fieldlabs", Some(&liec.token), Some(body)).await?)?;
    let id = l["id"].as_i64().ok_or_else(|| anyhow!("no id: {l}"))?;
    assert_eq!(l["fase"], "intake", "{l}");
    let base = format!("/api/v1/fieldlabs/{id}");

    // The police become a partner (the LIEC only); then it works in the lab, the analyst reads.
    t.api(Method::POST, &format!("{base}/partners"), Some(&gemeente.token), Some(json!({"organisatieId": politie, "rol": "uitvoerder"}))).await?.assert_problem(403)?;
    t.api(Method::POST, &format!("{base}/vastleggingen"), Some(&police.token), Some(json!({"soort": "besluit", "titel": "Mag ik?"}))).await?.assert_problem(403)?;
    ok(t.api(Method::POST, &format!("{base}/partners"), Some(&liec.token), Some(json!({"organisatieId": politie, "rol": "uitvoerder"}))).await?)?;
    t.api(Method::POST, &format!("{base}/partners"), Some(&liec.token), Some(json!({"organisatieId": politie, "rol": "uitvoerder"}))).await?.assert_problem(409)?;
    let p = t.api(Method::POST, &format!("{base}/vastleggingen"), Some(&police.token), Some(json!({"soort": "notulen", "titel": ""}))).await?.assert_problem(422)?;
    assert!(p.to_string().contains("soort") && p.to_string().contains("titel"), "{p}");
    ok(t.api(Method::POST, &format!("{base}/vastleggingen"), Some(&police.token), Some(json!({"soort": "besluit", "titel": "ZQXLABDECISION"}))).await?)?;
    t.api(Method::POST, &format!("{base}/vastleggingen"), Some(&analyst.token), Some(json!({"soort": "besluit", "titel": "Mag ik?"}))).await?.assert_problem(403)?;

    // Phases: the LIEC, with optimistic versions.
    let v = ok(t.api(Method::GET, &base, Some(&analyst.token), None).await?)?;
    t.api(Method::POST, &format!("{base}/_fase"), Some(&gemeente.token), Some(json!({"fase": "experiment", "versie": v["versie"]}))).await?.assert_problem(403)?;
    t.api(Method::POST, &format!("{base}/_fase"), Some(&liec.token), Some(json!({"fase": "bestaat-niet", "versie": v["versie"]}))).await?.assert_problem(422)?;
    t.api(Method::POST, &format!("{base}/_fase"), Some(&liec.token), Some(json!({"fase": "experiment", "versie": 1}))).await?.assert_problem(409)?;
    let v = ok(t.api(Method::POST, &format!("{base}/_fase"), Some(&liec.token), Some(json!({"fase": "experiment", "versie": v["versie"]}))).await?)?;
    assert_eq!(v["fase"], "experiment");

    // An experiment with indicators, by the host municipality; results and the decision later.
    let bad = json!({"hypothese": "", "interventietype": "toverstaf", "vanaf": "2026-12-01", "tot": "2026-11-01", "opzet": "gevoel"});
    let p = t.api(Method::POST, &format!("{base}/experimenten"), Some(&gemeente.token), Some(bad)).await?.assert_problem(422)?;
    for field in ["hypothese", "interventietype", "plaats", "tot", "opzet"] {
        assert!(p.to_string().contains(field), "{field}: {p}");
    }
    let x = json!({"hypothese": "Een parkregisseur vermindert niet-ingeschreven bewoning.", "interventietype": "integrale-controle", "plaats": "Drie parken", "vanaf": "01-12-2026", "tot": "2027-06-01", "opzet": "beide", "dpia": true});
    let v = ok(t.api(Method::POST, &format!("{base}/experimenten"), Some(&gemeente.token), Some(x)).await?)?;
    let xid = v["experimenten"][0]["id"].as_i64().unwrap_or(0);
    let v =
        ok(t.api(Method::POST, &format!("{base}/experimenten/{xid}/indicatoren"), Some(&police.token), Some(json!({"naam": "Meldingen per maand", "nulmeting": "2"}))).await?)?;
    let iid = v["experimenten"][0]["indicatoren"][0]["id"].as_i64().unwrap_or(0);
    t.api(Method::POST, &format!("{base}/experimenten/999/indicatoren"), Some(&police.token), Some(json!({"naam": "X", "nulmeting": "1"}))).await?.assert_problem(404)?;
    ok(t.api(Method::PUT, &format!("{base}/indicatoren/{iid}"), Some(&police.token), Some(json!({"resultaat": "7"}))).await?)?;
    let mut done = v["experimenten"][0].clone();
    let update = json!({"hypothese": done["hypothese"], "interventietype": "integrale-controle", "plaats": "Drie parken", "vanaf": "2026-12-01", "tot": "2027-06-01",
        "opzet": "beide", "dpia": true, "lessen": "Vaste gezichten werken.", "opschaling": "opschalen", "versie": done["versie"]});
    let v = ok(t.api(Method::PUT, &format!("{base}/experimenten/{xid}"), Some(&gemeente.token), Some(update.clone())).await?)?;
    done = v["experimenten"][0].clone();
    assert_eq!((done["opschaling"].as_str(), done["indicatoren"][0]["resultaat"].as_str()), (Some("opschalen"), Some("7")), "{v}");
    t.api(Method::PUT, &format!("{base}/experimenten/{xid}"), Some(&gemeente.token), Some(update)).await?.assert_problem(409)?;

    // The hub shows the lab's phase and results to the network; a private member sees nothing.
    let hub = ok(t.api(Method::GET, "/api/v1/fieldlabs", Some(&analyst.token), None).await?)?;
    assert_eq!((hub["fieldlabs"][0]["experimenten"].as_i64(), hub["fieldlabs"][0]["opgeschaald"].as_i64()), (Some(1), Some(1)), "{hub}");
    let page = t.page(&format!("/fieldlabs/{id}"), Some(&analyst)).await?;
    assert!(page.body.contains("ZQXLABDECISION") && page.body.contains("Opschalen en delen") && !page.body.contains("Experiment starten"), "the analyst reads, no forms");
    assert!(t.page(&format!("/fieldlabs/{id}"), Some(&police)).await?.body.contains("Experiment starten"));
    assert_eq!(t.page(&format!("/fieldlabs/{id}"), Some(&notary)).await?.status, 404);
    assert_eq!(t.page("/fieldlabs", Some(&notary)).await?.status, 200);
    assert!(!t.page("/fieldlabs", Some(&notary)).await?.body.contains("Vakantieparken"));

    // The final product becomes a knowledge item for review, once.
    let product = json!({"titel": "Lessen uit het field lab vakantieparken", "samenvatting": "Wat werkte.", "tekst": "Vaste gezichten werken.", "publiek": "netwerk"});
    t.api(Method::POST, &format!("{base}/_eindproduct"), Some(&gemeente.token), Some(product.clone())).await?.assert_problem(403)?;
    let o = ok(t.api(Method::POST, &format!("{base}/_eindproduct"), Some(&liec.token), Some(product.clone())).await?)?;
    let item = o["kennisitemId"].as_i64().unwrap_or(0);
    assert_eq!(o["fieldlab"]["eindproductId"].as_i64(), Some(item), "{o}");
    assert_eq!(t.count(&format!("SELECT COUNT(*) FROM knowledge_items WHERE id = {item} AND kind = 'fieldlabproduct' AND state = 'ter-beoordeling'")).await?, 1);
    t.api(Method::POST, &format!("{base}/_eindproduct"), Some(&liec.token), Some(product)).await?.assert_problem(409)?;
    Ok(())
}
db_test!(the_liec_runs_a_lab_and_its_organisations_work_in_it);

async fn every_role_meets_the_field_lab_endpoints_as_policy_says(mut t: TestApp) -> Result<()> {
    let liec = t.actor(Role::LiecCoordinator).await?;
    let host = t.organisation("Nationale Politie").await?;
    let body = json!({"titel": "Grensgebied", "probleem": "Opslag van precursoren.", "regio": "oost-brabant", "organisatieId": host});
    let id = ok(t.api(Method::POST, "/api/v1/fieldlabs", Some(&liec.token), Some(body)).await?)?["id"].as_i64().unwrap_or(0);
    let rows = "SELECT (SELECT COUNT(*) FROM field_labs) + (SELECT COUNT(*) FROM field_lab_records) + CAST((SELECT SUM(version) FROM field_labs) AS BIGINT)";
    let before = t.count(rows).await?;
    for role in Role::ALL {
        let who = t.actor(role).await?;
        let manager = role == Role::LiecCoordinator;
        let l = ok(t.api(Method::GET, "/api/v1/fieldlabs", Some(&who.token), None).await?)?;
        assert_eq!(l["fieldlabs"].as_array().map(Vec::len), Some(1), "{role:?}: the network sees every lab");
        assert_eq!(t.page(&format!("/fieldlabs/{id}"), Some(&who)).await?.status, 200, "{role:?}");
        // None of these actors belongs to the host organisation: only the LIEC may write.
        let r = t.api(Method::POST, &format!("/api/v1/fieldlabs/{id}/vastleggingen"), Some(&who.token), Some(json!({"soort": "", "titel": ""}))).await?;
        assert_eq!(r.status, if manager { 422 } else { 403 }, "{role:?}: {}", r.body);
        let r = t.api(Method::POST, &format!("/api/v1/fieldlabs/{id}/_fase"), Some(&who.token), Some(json!({"fase": "intake", "versie": 1}))).await?;
        assert_eq!(r.status, if manager { 409 } else { 403 }, "{role:?}: {}", r.body);
    }
    assert_eq!(t.count(rows).await?, before, "nothing changed");
    Ok(())
}
db_test!(every_role_meets_the_field_lab_endpoints_as_policy_says);
