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
    let rows = "SELECT (SELECT COUNT(*) FROM field_labs) + (SELECT COUNT(*) FROM field_lab_records) + (SELECT COUNT(*) FROM field_lab_files) \
                + (SELECT COUNT(*) FROM field_lab_phases) + CAST((SELECT SUM(version) FROM field_labs) AS BIGINT)";
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
        let r = crate::signals::upload(&t, &format!("/api/v1/fieldlabs/{id}/vastleggingen/999/bestanden"), Some(&who.token), None, None, "a.pdf", b"%PDF-1.7\n%%EOF").await?;
        assert_eq!(r.status, if manager { 404 } else { 403 }, "{role:?}: {}", r.body);
        assert_eq!(t.api(Method::GET, "/api/v1/fieldlab-fasen", Some(&who.token), None).await?.status, 200, "{role:?}");
        assert_eq!(t.page("/fieldlabs/fasen", Some(&who)).await?.status, 200, "{role:?}");
        let r = t.api(Method::POST, "/api/v1/fieldlab-fasen", Some(&who.token), Some(json!({"naam": ""}))).await?;
        assert_eq!(r.status, if manager { 422 } else { 403 }, "{role:?}: {}", r.body);
        let r = t.api(Method::DELETE, "/api/v1/fieldlab-fasen/intake", Some(&who.token), None).await?;
        assert_eq!(r.status, if manager { 409 } else { 403 }, "{role:?}: {}", r.body);
    }
    assert_eq!(t.count(rows).await?, before, "nothing changed");
    Ok(())
}
db_test!(every_role_meets_the_field_lab_endpoints_as_policy_says);

/// Posts the lab page's record form (multipart) as `a`, with a file if given.
async fn record_form(t: &TestApp, id: i64, a: &knooppunt_testkit::Actor, fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Result<TestResponse> {
    let mut all = vec![("_csrf", a.csrf.as_str())];
    all.extend_from_slice(fields);
    let (ct, body) = crate::signals::multipart_form(&all, file);
    let req = axum::http::Request::builder().method(Method::POST).uri(format!("/fieldlabs/{id}/vastleggingen")).header("content-type", ct).header("cookie", &a.cookie);
    t.send(req.body(axum::body::Body::from(body))?).await
}

async fn documents_carry_their_files_to_the_network_only(mut t: TestApp) -> Result<()> {
    let liec = t.actor(Role::LiecCoordinator).await?;
    let gemeente = t.actor(Role::PartnerEmployee).await?; // Gemeente Eindhoven, the host
    let analyst = t.actor(Role::RiecAnalyst).await?;
    let notary = t.private_member("notaris.doc", "Koninklijke Notariële Beroepsorganisatie").await?;
    let eindhoven = t.organisation("Gemeente Eindhoven").await?;
    let body = json!({"titel": "Vakantieparken", "probleem": "Permanente bewoning.", "regio": "oost-brabant", "organisatieId": eindhoven});
    let id = ok(t.api(Method::POST, "/api/v1/fieldlabs", Some(&liec.token), Some(body)).await?)?["id"].as_i64().unwrap_or(0);
    let pdf = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF";
    let files = "SELECT (SELECT COUNT(*) FROM field_lab_files) + (SELECT COUNT(*) FROM field_lab_records)";

    // The UI form: a document with its file, in one step; a refused file or a missing title
    // stores nothing and says why in Dutch; the CSRF token is required; the analyst may not.
    let doc = [("soort", "document"), ("titel", "Probleemanalyse"), ("tekst", "De analyse van de drie parken.")];
    let r = record_form(&t, id, &gemeente, &[("soort", "document"), ("titel", "")], Some(("analyse.exe", b"MZ\x90\x00"))).await?;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("Geef het besluit of document een titel") && r.body.contains("Dit soort bestand wordt niet aangenomen"), "{}", r.body);
    let r = record_form(&t, id, &analyst, &doc, Some(("analyse.pdf", pdf))).await?;
    assert_eq!(r.status, 403);
    let (ct, b) = crate::signals::multipart_form(&doc, Some(("analyse.pdf", pdf)));
    let req = axum::http::Request::builder().method(Method::POST).uri(format!("/fieldlabs/{id}/vastleggingen")).header("content-type", ct).header("cookie", &gemeente.cookie);
    assert_eq!(t.send(req.body(axum::body::Body::from(b))?).await?.status, 403, "no CSRF token");
    assert_eq!(t.count(files).await?, 0);
    let r = record_form(&t, id, &gemeente, &doc, Some(("analyse.pdf", pdf))).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    // A decision without a file is fine too.
    assert_eq!(record_form(&t, id, &gemeente, &[("soort", "besluit"), ("titel", "Gestart")], None).await?.status, 303);
    assert_eq!(t.count(files).await?, 3);

    // The network reads the file; the private member and other labs learn nothing.
    let v = ok(t.api(Method::GET, &format!("/api/v1/fieldlabs/{id}"), Some(&analyst.token), None).await?)?;
    let rec = v["vastleggingen"].as_array().and_then(|a| a.iter().find(|r| r["titel"] == "Probleemanalyse")).cloned().unwrap_or_default();
    assert_eq!((rec["bestanden"][0]["naam"].as_str(), rec["bestanden"][0]["mediatype"].as_str()), (Some("analyse.pdf"), Some("application/pdf")), "{v}");
    let fid = rec["bestanden"][0]["id"].as_i64().unwrap_or(0);
    let rid = rec["id"].as_i64().unwrap_or(0);
    let page = t.page(&format!("/fieldlabs/{id}"), Some(&analyst)).await?;
    assert!(page.body.contains(&format!("/fieldlabs/{id}/bestanden/{fid}")) && page.body.contains("analyse.pdf"));
    let r = t.page(&format!("/fieldlabs/{id}/bestanden/{fid}"), Some(&analyst)).await?;
    assert_eq!((r.status.as_u16(), r.content_type()), (200, "application/pdf"));
    let r = t.api(Method::GET, &format!("/api/v1/fieldlabs/{id}/bestanden/{fid}"), Some(&analyst.token), None).await?;
    assert_eq!((r.status.as_u16(), r.content_type()), (200, "application/pdf"));
    assert_eq!(t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'field-lab-bestand-gelezen'").await?, 2);
    assert_eq!(t.page(&format!("/fieldlabs/{id}/bestanden/{fid}"), Some(&notary)).await?.status, 404);
    let other = json!({"titel": "Haven", "probleem": "Opslag.", "regio": "zeeland-west-brabant", "organisatieId": eindhoven});
    let other = ok(t.api(Method::POST, "/api/v1/fieldlabs", Some(&liec.token), Some(other)).await?)?["id"].as_i64().unwrap_or(0);
    t.api(Method::GET, &format!("/api/v1/fieldlabs/{other}/bestanden/{fid}"), Some(&analyst.token), None).await?.assert_problem(404)?;

    // The API adds a file to an existing record; not to another lab's record, not by others.
    let api = format!("/api/v1/fieldlabs/{id}/vastleggingen/{rid}/bestanden");
    let r = crate::signals::upload(&t, &api, Some(&gemeente.token), None, None, "bijlage.pdf", pdf).await?;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = crate::signals::upload(&t, &api, Some(&analyst.token), None, None, "bijlage.pdf", pdf).await?;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = crate::signals::upload(&t, &format!("/api/v1/fieldlabs/{other}/vastleggingen/{rid}/bestanden"), Some(&liec.token), None, None, "x.pdf", pdf).await?;
    assert_eq!(r.status, 404, "{}", r.body);
    t.api(Method::POST, &api, Some(&gemeente.token), Some(json!({"bestand": "x"}))).await?.assert_problem(415)?;
    assert_eq!(t.count("SELECT COUNT(*) FROM field_lab_files").await?, 2);
    Ok(())
}
db_test!(documents_carry_their_files_to_the_network_only);

async fn the_liec_keeps_the_phases_of_the_hub(mut t: TestApp) -> Result<()> {
    let liec = t.actor(Role::LiecCoordinator).await?;
    let analyst = t.actor(Role::RiecAnalyst).await?;
    let notary = t.private_member("notaris.fase", "Koninklijke Notariële Beroepsorganisatie").await?;
    let names = |v: &Value| v["fasen"].as_array().map(|a| a.iter().filter_map(|p| p["naam"].as_str().map(String::from)).collect::<Vec<_>>()).unwrap_or_default();
    let v = ok(t.api(Method::GET, "/api/v1/fieldlab-fasen", Some(&analyst.token), None).await?)?;
    assert_eq!(names(&v).len(), 6, "{v}");
    let phases = "SELECT COUNT(*) + CAST(SUM(ordinal) AS BIGINT) FROM field_lab_phases";
    let before = t.count(phases).await?;

    // Only the LIEC keeps them; bad input is listed and changes nothing.
    t.api(Method::POST, "/api/v1/fieldlab-fasen", Some(&analyst.token), Some(json!({"naam": "Borging"}))).await?.assert_problem(403)?;
    t.api(Method::DELETE, "/api/v1/fieldlab-fasen/intake", Some(&analyst.token), None).await?.assert_problem(403)?;
    let p = t.api(Method::POST, "/api/v1/fieldlab-fasen", Some(&liec.token), Some(json!({"naam": "Intake", "plaats": 99}))).await?.assert_problem(422)?;
    assert!(p.to_string().contains("naam") && p.to_string().contains("plaats"), "{p}");
    assert_eq!(t.count(phases).await?, before);

    // Add one in second place, rename and move another, remove one that is not in use.
    let v = ok(t.api(Method::POST, "/api/v1/fieldlab-fasen", Some(&liec.token), Some(json!({"naam": "Verkenning met partners", "plaats": 2}))).await?)?;
    assert_eq!(names(&v)[..3], ["Intake", "Verkenning met partners", "Probleemanalyse"], "{v}");
    let v = ok(t.api(Method::PUT, "/api/v1/fieldlab-fasen/evaluatie", Some(&liec.token), Some(json!({"naam": "Evaluatie en lessen", "plaats": 1}))).await?)?;
    assert_eq!(names(&v)[..2], ["Evaluatie en lessen", "Intake"], "{v}");
    assert_eq!(v["fasen"][0]["code"], "evaluatie", "the code stays");
    t.api(Method::PUT, "/api/v1/fieldlab-fasen/bestaat-niet", Some(&liec.token), Some(json!({"naam": "X"}))).await?.assert_problem(404)?;

    // A phase a lab is in stays (a new lab opens in the first, now "Evaluatie en lessen"); one
    // that no lab is in and nothing was recorded in can go.
    let host = t.organisation("Gemeente Eindhoven").await?;
    let lab = json!({"titel": "Parken", "probleem": "Bewoning.", "regio": "oost-brabant", "organisatieId": host});
    ok(t.api(Method::POST, "/api/v1/fieldlabs", Some(&liec.token), Some(lab)).await?)?;
    let p = t.api(Method::DELETE, "/api/v1/fieldlab-fasen/evaluatie", Some(&liec.token), None).await?.assert_problem(409)?;
    assert!(p.to_string().contains("in gebruik"), "{p}");
    let r = t.api(Method::DELETE, "/api/v1/fieldlab-fasen/verkenning-met-partners", Some(&liec.token), None).await?;
    assert_eq!(r.status, 204, "{}", r.body);
    let v = ok(t.api(Method::GET, "/api/v1/fieldlab-fasen", Some(&analyst.token), None).await?)?;
    assert_eq!(names(&v).len(), 6);
    let ordinals = t.strings("SELECT CAST(ordinal AS TEXT) FROM field_lab_phases ORDER BY ordinal").await?;
    assert_eq!(ordinals, ["1", "2", "3", "4", "5", "6"], "renumbered without gaps");
    assert_eq!(t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'field-lab-fasen'").await?, 3);

    // The UI: the network reads, the LIEC's forms are there and name errors per field.
    let page = t.page("/fieldlabs/fasen", Some(&analyst)).await?;
    assert!(page.status == 200 && page.body.contains("Evaluatie en lessen") && !page.body.contains("Fase toevoegen"), "{}", page.body);
    assert_eq!(t.page("/fieldlabs/fasen", Some(&notary)).await?.status, 404);
    let r = t.form("/fieldlabs/fasen/intake", Some(&liec), &[("actie", "opslaan"), ("naam-intake", ""), ("positie-intake", "0")], None).await?;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("href=\"#naam-intake\"") && r.body.contains("href=\"#positie-intake\""), "{}", r.body);
    let r = t.form("/fieldlabs/fasen", Some(&liec), &[("naam", "Borging"), ("positie", "")], None).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = t.form("/fieldlabs/fasen/evaluatie", Some(&liec), &[("actie", "verwijderen")], None).await?;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("in gebruik"));
    assert!(t.page("/fieldlabs/fasen", Some(&liec)).await?.body.contains("Borging"));
    Ok(())
}
db_test!(the_liec_keeps_the_phases_of_the_hub);
