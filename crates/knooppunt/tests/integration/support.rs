//! Specialist support through the API and the UI: a RIEC legal adviser asks 13b support naming a
//! case by its reference (a case of another region is refused, nothing of it travels), with the
//! Bibob deadline calculated; the LIEC takes it on, asks for information, answers; the region
//! adds, closes; the LIEC offers the answer, anonymised, as a question-and-answer item that
//! another editor publishes and the network reads. Other regions and partners see nothing; bad
//! input is listed field by field and changes nothing; every step is audited and notified.

use crate::signals::upload;
use crate::treffers::case_in;
use anyhow::{anyhow, Result};
use axum::http::Method;
use knooppunt_domain::Role;
use knooppunt_testkit::{db_test, Actor, TestApp, TestResponse};
use serde_json::{json, Value};

async fn post(t: &TestApp, path: &str, who: &Actor, body: Value) -> Result<TestResponse> {
    t.api(Method::POST, path, Some(&who.token), Some(body)).await
}

async fn get(t: &TestApp, path: &str, who: &Actor) -> Result<TestResponse> {
    t.api(Method::GET, path, Some(&who.token), None).await
}

fn ok(r: TestResponse) -> Result<Value> {
    if r.status != 200 && r.status != 201 {
        return Err(anyhow!("expected 200/201, got {}: {}", r.status, r.body));
    }
    r.json()
}

async fn step(t: &TestApp, id: i64, who: &Actor, stap: &str, tekst: &str) -> Result<TestResponse> {
    let v = ok(get(t, &format!("/api/v1/ondersteuningsvragen/{id}"), who).await?)?;
    post(t, &format!("/api/v1/ondersteuningsvragen/{id}/_stap"), who, json!({"stap": stap, "versie": v["versie"], "tekst": tekst})).await
}

async fn a_riec_asks_the_liec_answers_and_the_answer_becomes_knowledge(mut t: TestApp) -> Result<()> {
    let liec = t.actor(Role::LiecCoordinator).await?;
    let editor = t.actor(Role::KnowledgeEditor).await?;
    let jurist = t.actor_in_region("jurist.rotterdam", "RIEC-bureau Rotterdam", Role::RiecLegalAdviser, "rotterdam").await?;
    let analyst = t.actor_in_region("analist.rotterdam", "RIEC-bureau Rotterdam", Role::RiecAnalyst, "rotterdam").await?;
    let noord = t.actor_in_region("jurist.noord", "RIEC-bureau Noord-Nederland", Role::RiecLegalAdviser, "noord-nederland").await?;
    let police = t.actor_in_region("agent.rotterdam", "Nationale Politie", Role::PartnerEmployee, "rotterdam").await?;
    let (_, reference) = case_in(&t, &analyst, "GM0599", "ZQXCASE hennep in een bedrijfspand").await?;
    let rows = "SELECT (SELECT COUNT(*) FROM support_requests) + (SELECT COUNT(*) FROM support_messages) + (SELECT COUNT(*) FROM support_attachments)";

    // Bad input: every field listed, nothing stored. A case of another region, or a Bibob
    // calculation outside the Bibob domain, is refused too.
    let p =
        post(&t, "/api/v1/ondersteuningsvragen", &jurist, json!({"domein": "", "vraag": " ", "casusKenmerk": "CAS 12", "gewenstOp": "31-02-2026"})).await?.assert_problem(422)?;
    for field in ["domein", "vraag", "casusKenmerk", "gewenstOp"] {
        assert!(p.to_string().contains(field), "{field}: {p}");
    }
    let p = post(&t, "/api/v1/ondersteuningsvragen", &noord, json!({"domein": "13b-opiumwet", "vraag": "Sluiten?", "casusKenmerk": reference})).await?.assert_problem(422)?;
    assert!(p.to_string().contains("casusKenmerk") && !p.to_string().contains("ZQXCASE"), "{p}");
    let p = post(&t, "/api/v1/ondersteuningsvragen", &jurist, json!({"domein": "awb", "vraag": "Termijn?", "bibob": {"ontvangenOp": "2026-01-07", "verlengingWeken": 5}}))
        .await?
        .assert_problem(422)?;
    assert!(p.to_string().contains("ontvangenOp"), "{p}");
    let p = post(&t, "/api/v1/ondersteuningsvragen", &jurist, json!({"domein": "bibob", "vraag": "Termijn?", "bibob": {"ontvangenOp": "2026-01-07", "verlengingWeken": 5}}))
        .await?
        .assert_problem(422)?;
    assert!(p.to_string().contains("verlengingWeken"), "{p}");
    post(&t, "/api/v1/ondersteuningsvragen", &police, json!({"domein": "bibob", "vraag": "Mag ik?"})).await?.assert_problem(403)?;
    post(&t, "/api/v1/ondersteuningsvragen", &liec, json!({"domein": "bibob", "vraag": "Mag ik?"})).await?.assert_problem(403)?;
    assert_eq!(t.count(rows).await?, 0);

    // The question, with the Bibob deadline calculated: 7 January + 8 weeks + 4 weeks + 10 days
    // suspended = Saturday 11 April, so Monday 13 April.
    let body = json!({
        "domein": "bibob",
        "vraag": "Mag de burgemeester sluiten? Het gaat om de heer Jansen, bereikbaar op 06-12345678.",
        "casusKenmerk": reference.to_lowercase(),
        "bibob": {"ontvangenOp": "07-01-2026", "verlengingWeken": 4, "opschortingen": [{"van": "2026-01-10", "tot": "2026-01-20"}]}
    });
    let v = ok(post(&t, "/api/v1/ondersteuningsvragen", &jurist, body).await?)?;
    let id = v["id"].as_i64().ok_or_else(|| anyhow!("no id"))?;
    assert_eq!((v["status"].as_str(), v["termijnOp"].as_str(), v["casusKenmerk"].as_str()), (Some("ingediend"), Some("2026-04-13"), Some(reference.as_str())), "{v}");
    assert!(v["termijnBerekening"].as_str().is_some_and(|b| b.contains("zaterdag")), "{v}");
    assert!(!v.to_string().contains("ZQXCASE"), "no case contents travel: {v}");
    assert_eq!(v["stappen"], json!(["intrekken"]), "{v}");
    assert!(t.count("SELECT COUNT(*) FROM notifications WHERE kind = 'ondersteuning'").await? >= 1, "the LIEC is told");
    let base = format!("/api/v1/ondersteuningsvragen/{id}");

    // Who sees it: the asking region's RIEC and the LIEC; not another region, not a partner.
    for (who, sees) in [(&liec, true), (&analyst, true), (&noord, false), (&police, false), (&editor, false)] {
        let l = ok(get(&t, "/api/v1/ondersteuningsvragen", who).await?)?;
        assert_eq!(l["vragen"].as_array().map(Vec::len), Some(usize::from(sees)), "{l}");
        assert_eq!(get(&t, &base, who).await?.status, if sees { 200 } else { 404 });
        assert_eq!(t.page(&format!("/ondersteuning/{id}"), Some(who)).await?.status, if sees { 200 } else { 404 });
    }

    // The workflow: each side its own steps, in order, with optimistic versions.
    step(&t, id, &jurist, "oppakken", "").await?.assert_problem(403)?;
    step(&t, id, &liec, "beantwoorden", "Ja.").await?.assert_problem(409)?;
    ok(step(&t, id, &liec, "oppakken", "").await?)?;
    step(&t, id, &liec, "informatie-vragen", " ").await?.assert_problem(422)?;
    ok(step(&t, id, &liec, "informatie-vragen", "Is er eerder gewaarschuwd?").await?)?;
    post(&t, &format!("{base}/_stap"), &jurist, json!({"stap": "informatie-geven", "versie": 1, "tekst": "Nee."})).await?.assert_problem(409)?;
    let v = ok(step(&t, id, &jurist, "informatie-geven", "Nee, geen eerdere waarschuwing.").await?)?;
    assert_eq!(v["status"], "in-behandeling", "{v}");
    ok(step(&t, id, &liec, "beantwoorden", "Ja, mits evenredig. Bel zo nodig mw. de Vries op 010-1234567 of mail info@riec.example.").await?)?;
    let v = ok(step(&t, id, &jurist, "sluiten", "").await?)?;
    assert_eq!(v["status"], "gesloten", "{v}");
    assert_eq!(v["berichten"].as_array().map(Vec::len), Some(5), "{v}");

    // Attachments stay with the two sides.
    upload(&t, &format!("{base}/bijlagen"), Some(&jurist.token), None, None, "notitie.txt", b"Een notitie.").await?.assert_problem(409)?;
    let open = ok(post(&t, "/api/v1/ondersteuningsvragen", &jurist, json!({"domein": "awb", "vraag": "Bezwaartermijn bij een last onder dwangsom?"})).await?)?;
    let open_id = open["id"].as_i64().unwrap_or(0);
    let v = ok(upload(&t, &format!("/api/v1/ondersteuningsvragen/{open_id}/bijlagen"), Some(&jurist.token), None, None, "notitie.txt", b"ZQXFILE").await?)?;
    let file = format!("/api/v1/ondersteuningsvragen/{open_id}/bijlagen/{}", v["bijlagen"][0]["id"]);
    assert_eq!(get(&t, &file, &liec).await?.status, 200);
    assert_eq!(get(&t, &file, &noord).await?.status, 404);
    upload(&t, &format!("/api/v1/ondersteuningsvragen/{open_id}/bijlagen"), Some(&noord.token), None, None, "x.txt", b"x").await?.assert_problem(404)?;

    // The answer as knowledge: anonymised, refused while something identifying is left, offered
    // for review, published by another editor, read by the network.
    get(&t, &format!("{base}/kennisitem-concept"), &jurist).await?.assert_problem(403)?;
    let d = ok(get(&t, &format!("{base}/kennisitem-concept"), &liec).await?)?;
    let (q, a) = (d["vraag"].as_str().unwrap_or_default().to_string(), d["antwoord"].as_str().unwrap_or_default().to_string());
    assert!(!q.contains("Jansen") && !q.contains("06-12345678") && q.contains("[naam]"), "{d}");
    assert!(!a.contains("Vries") && !a.contains("010-1234567") && !a.contains("info@") && a.contains("[e-mailadres]"), "{d}");
    let p = post(&t, &format!("{base}/_kennisitem"), &liec, json!({"titel": "Sluiten bij hennep", "vraag": q, "antwoord": "Bel 06-12345678."})).await?.assert_problem(422)?;
    assert!(p.to_string().contains("antwoord"), "{p}");
    assert_eq!(t.count("SELECT COUNT(*) FROM knowledge_items").await?, 0);
    let r = ok(post(&t, &format!("{base}/_kennisitem"), &liec, json!({"titel": "Sluiten bij hennep in een bedrijfspand", "vraag": q, "antwoord": a})).await?)?;
    let item = r["kennisitemId"].as_i64().ok_or_else(|| anyhow!("no item"))?;
    post(&t, &format!("{base}/_kennisitem"), &liec, json!({"titel": "Nog eens", "vraag": q, "antwoord": a})).await?.assert_problem(409)?;
    let k = ok(get(&t, &format!("/api/v1/kennisitems/{item}"), &liec).await?)?;
    assert_eq!((k["soort"].as_str(), k["status"].as_str()), (Some("vraag-en-antwoord"), Some("ter-beoordeling")), "{k}");
    assert!(!k.to_string().contains(&reference), "{k}");
    post(&t, &format!("/api/v1/kennisitems/{item}/_stappen"), &liec, json!({"stap": "publiceren", "versie": 1})).await?.assert_problem(403)?;
    ok(post(&t, &format!("/api/v1/kennisitems/{item}/_stappen"), &editor, json!({"stap": "publiceren", "versie": 1})).await?)?;
    assert_eq!(get(&t, &format!("/api/v1/kennisitems/{item}"), &police).await?.status, 200);

    // The calculator, API and UI; bad input is a 400 with the field.
    let b = ok(get(&t, "/api/v1/bibob-termijn?ontvangenOp=2026-01-07&verlengingWeken=4&opschortingen=2026-01-10/2026-01-20", &police).await?)?;
    assert_eq!(b["termijnOp"], "2026-04-13", "{b}");
    let p = get(&t, "/api/v1/bibob-termijn?ontvangenOp=gisteren&verlengingWeken=9", &police).await?.assert_problem(422)?;
    assert!(p.to_string().contains("ontvangenOp") && p.to_string().contains("verlengingWeken"), "{p}");
    let page = t.page("/ondersteuning/bibob-termijn?ontvangenOp=2026-01-07&verlengingWeken=4&opschortingVan=2026-01-10&opschortingTot=2026-01-20", Some(&jurist)).await?;
    assert!(page.status == 200 && page.body.contains("13-04-2026"), "{}", page.status);
    assert_eq!(t.page("/ondersteuning/bibob-termijn?ontvangenOp=31-02-2026", Some(&jurist)).await?.status, 400);

    // The UI: the list, asking through the form, bad input on the form.
    let list = t.page("/ondersteuning", Some(&jurist)).await?;
    assert!(list.body.contains(&v["kenmerk"].as_str().unwrap_or("?").to_string()) && list.body.contains("Ondersteuning vragen"));
    let bad = t.form("/ondersteuning", Some(&jurist), &[("vraagDomein", ""), ("vraag", "")], None).await?;
    assert!(bad.status == 400 && bad.body.contains("Kies het domein") && bad.body.contains("Stel uw vraag"), "{}", bad.status);
    let asked = t.form("/ondersteuning", Some(&jurist), &[("vraagDomein", "ict"), ("vraag", "Hoe koppelen we ons zaaksysteem?")], None).await?;
    assert_eq!(asked.status, 303);
    assert_eq!(t.page("/ondersteuning", Some(&police)).await?.status, 200);
    assert!(!t.page("/ondersteuning", Some(&police)).await?.body.contains("OND-"));
    get(&t, "/api/v1/ondersteuningsvragen/abc", &liec).await?.assert_problem(404)?;

    for action in [
        "ondersteuningsvraag-gesteld",
        "ondersteuningsvraag-stap",
        "ondersteuningsvraag-bekeken",
        "ondersteuningsvragen-bekeken",
        "ondersteuningsvraag-bijlage",
        "ondersteuningsvraag-bijlage-gelezen",
        "ondersteuningsvraag-kennisitem",
    ] {
        assert!(t.count(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}'")).await? >= 1, "{action} audited");
    }
    assert!(t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'toegang-geweigerd' AND object_type = 'ondersteuningsvraag'").await? >= 3);
    Ok(())
}
db_test!(a_riec_asks_the_liec_answers_and_the_answer_becomes_knowledge);

/// Every role and a private member against every support endpoint: reads as policy says; a
/// step nobody could take now answers 404 to whoever does not see the request, 409 to who does
/// — and nothing changes. Overdue requests show on the LIEC's overdue list and work list.
async fn every_role_meets_the_support_endpoints_as_policy_says(mut t: TestApp) -> Result<()> {
    let asker = t.actor(Role::RiecLegalAdviser).await?;
    let liec = t.actor(Role::LiecCoordinator).await?;
    let v = ok(post(&t, "/api/v1/ondersteuningsvragen", &asker, json!({"domein": "communicatie", "vraag": "Een bewonersbrief?"})).await?)?;
    let id = v["id"].as_i64().ok_or_else(|| anyhow!("no id"))?;
    let base = format!("/api/v1/ondersteuningsvragen/{id}");
    let rows = "SELECT (SELECT COUNT(*) FROM support_requests) + (SELECT COUNT(*) FROM support_messages) + (SELECT COUNT(*) FROM support_attachments) \
                + CAST((SELECT SUM(version) FROM support_requests) AS BIGINT) + CAST((SELECT SUM(target_days) FROM support_targets) AS BIGINT)";
    let before = t.count(rows).await?;
    let notary = t.private_member("notaris.kaan", "Koninklijke Notariële Beroepsorganisatie").await?;
    let mut everyone = vec![(None, notary)];
    for role in Role::ALL {
        everyone.push((Some(role), t.actor(role).await?));
    }
    for (role, who) in &everyone {
        let sees = matches!(role, Some(Role::LiecCoordinator | Role::RiecAnalyst | Role::RiecLegalAdviser | Role::RiecAccountManager | Role::RiecManager));
        assert_eq!(t.page(&format!("/ondersteuning/{id}"), Some(who)).await?.status, if sees { 200 } else { 404 }, "{role:?}");
        if role.is_none() {
            // A private member has no API token; its pages say the same.
            assert!(!t.page("/ondersteuning", Some(who)).await?.body.contains("OND-"));
            continue;
        }
        let l = get(&t, "/api/v1/ondersteuningsvragen", who).await?;
        let count = l.json().ok().and_then(|v| v["vragen"].as_array().map(Vec::len)).unwrap_or(0);
        assert_eq!(count, usize::from(sees), "{role:?}: {}", l.body);
        assert_eq!(get(&t, &base, who).await?.status, if sees { 200 } else { 404 }, "{role:?}");
        let r = post(&t, &format!("{base}/_stap"), who, json!({"stap": "sluiten", "versie": 999, "tekst": ""})).await?;
        assert_eq!(r.status, if sees { 409 } else { 404 }, "{role:?}: {}", r.body);
        let r = get(&t, &format!("{base}/kennisitem-concept"), who).await?;
        assert_eq!(
            r.status,
            if *role == Some(Role::LiecCoordinator) {
                409
            } else if sees {
                403
            } else {
                404
            },
            "{role:?}: {}",
            r.body
        );
        let r = t.api(Method::PUT, "/api/v1/ondersteuningsdoorlooptijden/ict", Some(&who.token), Some(json!({"dagen": 0}))).await?;
        assert_eq!(r.status, if *role == Some(Role::LiecCoordinator) { 422 } else { 403 }, "{role:?}: {}", r.body);
    }
    assert_eq!(t.count(rows).await?, before, "nothing changed");

    // Past its due date the request is on the LIEC's overdue list and work list.
    t.sql("UPDATE support_requests SET due_on = '2020-01-01'").await?;
    let late = ok(get(&t, "/api/v1/ondersteuningsvragen?teLaat=true", &liec).await?)?;
    assert_eq!((late["vragen"].as_array().map(Vec::len), late["vragen"][0]["teLaat"].as_bool()), (Some(1), Some(true)), "{late}");
    assert!(t.page("/", Some(&liec)).await?.body.contains("over de doorlooptijd"));
    get(&t, "/api/v1/ondersteuningsvragen?status=bestaat-niet", &liec).await?.assert_problem(422)?;
    ok(t.api(Method::PUT, "/api/v1/ondersteuningsdoorlooptijden/ict", Some(&liec.token), Some(json!({"dagen": 7}))).await?)?;
    assert_eq!(t.count("SELECT target_days FROM support_targets WHERE domain = 'ict'").await?, 7);
    Ok(())
}
db_test!(every_role_meets_the_support_endpoints_as_policy_says);
