//! Landelijke Fenomeentafels through the API and the UI: the LIEC opens a table on real estate
//! with a notaries' association as private member and the police as public member, records
//! its mandate (two versions), a meeting with attendance and an action that becomes a
//! bestuurlijk signaal; the private member reaches the table, its work and the group's
//! knowledge and nothing of case data; the rest of the network sees the table's face but not
//! its meetings and actions; an organisation that left the table loses its work and its group
//! knowledge; bad input is listed field by field and changes nothing; every step is audited.

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

/// Publishes a knowledge item for `group` (the table's knowledge group); its id.
async fn publish_for_group(t: &mut TestApp, title: &str, group: &str) -> Result<i64> {
    let editor = t.actor(Role::KnowledgeEditor).await?;
    let liec = t.actor(Role::LiecCoordinator).await?;
    let body = json!({"soort": "tafelproduct", "productsoort": "fenomeenbeeld", "titel": title, "samenvatting": "Fenomeenbeeld vastgoed.", "publiek": "groep", "groep": group, "fenomenen": ["vastgoed"]});
    let id = ok(post(t, "/api/v1/kennisitems", &editor, body).await?)?["id"].as_i64().ok_or_else(|| anyhow!("no id"))?;
    ok(post(t, &format!("/api/v1/kennisitems/{id}/_stappen"), &editor, json!({"stap": "indienen", "versie": 1})).await?)?;
    ok(post(t, &format!("/api/v1/kennisitems/{id}/_stappen"), &liec, json!({"stap": "publiceren", "versie": 1})).await?)?;
    Ok(id)
}

async fn a_phenomenon_table_runs_with_public_and_private_members(mut t: TestApp) -> Result<()> {
    let liec = t.actor(Role::LiecCoordinator).await?;
    let analyst = t.actor_in_region("analist.rotterdam", "RIEC-bureau Rotterdam", Role::RiecAnalyst, "rotterdam").await?;
    let police = t.actor_in_region("agent.rotterdam", "Nationale Politie", Role::PartnerEmployee, "rotterdam").await?;
    let notary = t.private_member("notaris.kaan", "Koninklijke Notariële Beroepsorganisatie").await?;
    let bank = t.private_member("bank.jansen", "Voorbeeldbank N.V.").await?;
    let org_notaries = t.organisation("Koninklijke Notariële Beroepsorganisatie").await?;
    let org_police = t.organisation("Nationale Politie").await?;
    let org_bank = t.organisation("Voorbeeldbank N.V.").await?;
    let (case, _) = case_in(&t, &analyst, "GM0599", "Panden via stromannen").await?;

    // Only the LIEC opens a table; bad input lists every field and changes nothing.
    post(&t, "/api/v1/fenomeentafels", &analyst, json!({"naam": "x", "fenomeen": "vastgoed"})).await?.assert_problem(403)?;
    let p = post(&t, "/api/v1/fenomeentafels", &liec, json!({"naam": " ", "fenomeen": "bestaat-niet"})).await?.assert_problem(422)?;
    assert!(p.to_string().contains("naam") && p.to_string().contains("fenomeen"), "{p}");
    assert_eq!(t.count("SELECT COUNT(*) FROM phenomenon_tables").await?, 0);
    let v = ok(post(&t, "/api/v1/fenomeentafels", &liec, json!({"naam": "Ondermijning in de vastgoedketen", "fenomeen": "vastgoed"})).await?)?;
    let tid = v["id"].as_i64().ok_or_else(|| anyhow!("no id"))?;
    assert_eq!((v["status"].as_str(), v["fenomeen"].as_str()), (Some("kwartiermaken"), Some("vastgoed")), "{v}");
    let group = v["kennisgroep"].as_str().unwrap_or_default().to_string();
    assert!(!group.is_empty(), "{v}");
    let p = post(&t, "/api/v1/fenomeentafels", &liec, json!({"naam": "Tweede vastgoedtafel", "fenomeen": "vastgoed"})).await?.assert_problem(422)?;
    assert!(p.to_string().contains("al een tafel"), "one running table per phenomenon: {p}");
    let base = format!("/api/v1/fenomeentafels/{tid}");

    // The mandate, versioned; the newest is in force.
    let p = post(&t, &format!("{base}/opdrachten"), &liec, json!({"tekst": "", "vastgesteldDoor": "", "vastgesteldOp": "31-02-2026"})).await?.assert_problem(422)?;
    for field in ["tekst", "vastgesteldDoor", "vastgesteldOp"] {
        assert!(p.to_string().contains(field), "{field}: {p}");
    }
    ok(post(
        &t,
        &format!("{base}/opdrachten"),
        &liec,
        json!({"tekst": "Knelpunten in de vastgoedketen in beeld.", "vastgesteldDoor": "Landelijk Strategisch Overleg", "vastgesteldOp": "12-03-2026"}),
    )
    .await?)?;
    let v = ok(post(
        &t,
        &format!("{base}/opdrachten"),
        &liec,
        json!({"tekst": "Ook de notariële keten.", "vastgesteldDoor": "Landelijk Strategisch Overleg", "vastgesteldOp": "2026-06-01"}),
    )
    .await?)?;
    assert_eq!(v["opdrachten"][0]["versie"], 2);
    assert_eq!(v["opdrachten"][0]["vastgesteldOp"], "2026-06-01");
    assert_eq!(v["opdrachten"][1]["tekst"], "Knelpunten in de vastgoedketen in beeld.");

    // Members: a private and a public one; the same organisation twice is a conflict.
    let p = post(&t, &format!("{base}/leden"), &liec, json!({"organisatieId": 999999, "sector": "anders", "rol": ""})).await?.assert_problem(422)?;
    for field in ["organisatieId", "sector", "rol"] {
        assert!(p.to_string().contains(field), "{field}: {p}");
    }
    ok(post(&t, &format!("{base}/leden"), &liec, json!({"organisatieId": org_notaries, "sector": "privaat", "rol": "lid"})).await?)?;
    let v = ok(post(&t, &format!("{base}/leden"), &liec, json!({"organisatieId": org_police, "sector": "publiek", "rol": "voorzitter", "vanaf": "01-04-2026"})).await?)?;
    assert_eq!(v["leden"].as_array().map(Vec::len), Some(2), "{v}");
    post(&t, &format!("{base}/leden"), &liec, json!({"organisatieId": org_police, "sector": "publiek", "rol": "lid"})).await?.assert_problem(409)?;
    post(&t, &format!("{base}/leden"), &police, json!({"organisatieId": org_bank, "sector": "privaat", "rol": "lid"})).await?.assert_problem(403)?;

    // Status: active from today; a stale version is a conflict.
    let version = v["versie"].as_i64().unwrap_or(0);
    let v = ok(post(&t, &format!("{base}/_status"), &liec, json!({"status": "actief", "versie": version})).await?)?;
    assert_eq!(v["status"], "actief");
    assert!(!v["gestartOp"].as_str().unwrap_or_default().is_empty(), "{v}");
    post(&t, &format!("{base}/_status"), &liec, json!({"status": "beeindigd", "versie": version})).await?.assert_problem(409)?;

    // A meeting: only members can be present; then an action owned by the notaries.
    let p = post(&t, &format!("{base}/overleggen"), &liec, json!({"datum": "", "agenda": "", "aanwezig": [org_bank]})).await?.assert_problem(422)?;
    for field in ["datum", "agenda", "aanwezig"] {
        assert!(p.to_string().contains(field), "{field}: {p}");
    }
    ok(post(&t, &format!("{base}/overleggen"), &liec, json!({"datum": "2026-05-12", "agenda": "ZQXAGENDA", "besluiten": "ZQXDECISION", "aanwezig": [org_notaries, org_police]}))
        .await?)?;
    let p = post(&t, &format!("{base}/acties"), &liec, json!({"soort": "iets", "titel": "", "trekkerId": org_bank, "deadline": "morgen"})).await?.assert_problem(422)?;
    for field in ["soort", "titel", "trekkerId", "deadline"] {
        assert!(p.to_string().contains(field), "{field}: {p}");
    }
    let v = ok(post(
        &t,
        &format!("{base}/acties"),
        &liec,
        json!({"soort": "wet-en-regelgeving", "titel": "ZQXACTION notaris mag ongebruikelijke transacties niet delen", "trekkerId": org_notaries, "deadline": "2026-09-01"}),
    )
    .await?)?;
    let action = v["werk"]["acties"][0]["id"].as_i64().ok_or_else(|| anyhow!("no action: {v}"))?;
    assert_eq!(v["werk"]["overleggen"][0]["aanwezig"].as_array().map(Vec::len), Some(2));

    // The action becomes a draft bestuurlijk signaal of the LIEC, once.
    post(&t, &format!("{base}/acties/{action}/_signaal"), &police, json!({})).await?.assert_problem(403)?;
    let s = ok(post(&t, &format!("{base}/acties/{action}/_signaal"), &liec, json!({})).await?)?;
    let signal = s["signaalId"].as_i64().ok_or_else(|| anyhow!("no signal: {s}"))?;
    let reference = s["tafel"]["werk"]["acties"][0]["signaalKenmerk"].as_str().unwrap_or_default().to_string();
    assert!(reference.starts_with("BS-"), "{s}");
    post(&t, &format!("{base}/acties/{action}/_signaal"), &liec, json!({})).await?.assert_problem(409)?;
    let sig = ok(get(&t, &format!("/api/v1/bestuurlijke-signalen/{signal}"), &liec).await?)?;
    assert_eq!(sig["kenmerk"].as_str(), Some(reference.as_str()), "{sig}");
    assert!(sig.to_string().contains("ZQXACTION") && sig.to_string().contains("vastgoed"), "{sig}");

    // The police (a member) see the work and report nothing they do not own; the analyst (the
    // network) sees the face only; a bank that is not at the table sees nothing.
    let pv = ok(get(&t, &base, &police).await?)?;
    assert!(pv["werk"]["overleggen"][0]["agenda"] == "ZQXAGENDA", "{pv}");
    assert_eq!(pv["werk"]["acties"][0]["uMeldt"], false);
    post(&t, &format!("{base}/acties/{action}/_status"), &police, json!({"status": "afgerond"})).await?.assert_problem(403)?;
    let av = ok(get(&t, &base, &analyst).await?)?;
    assert!(av["werk"].is_null() && !av.to_string().contains("ZQX"), "{av}");
    assert_eq!(av["leden"].as_array().map(Vec::len), Some(2));
    post(&t, &format!("{base}/acties/{action}/_status"), &analyst, json!({"status": "afgerond"})).await?.assert_problem(404)?;
    let l = ok(get(&t, "/api/v1/fenomeentafels", &analyst).await?)?;
    assert_eq!(l["tafels"].as_array().map(Vec::len), Some(1));

    // National figures about the phenomenon: one dossier in Rotterdam, five in Noord-Nederland.
    // Nothing from 1 to 4 is shown, nor a total that gives the hidden one away.
    let noord = t.actor_in_region("analist.noord", "RIEC-bureau Noord-Nederland", Role::RiecAnalyst, "noord-nederland").await?;
    for n in 0..5 {
        case_in(&t, &noord, "GM0014", &format!("Vastgoed in Groningen {n}")).await?;
    }
    let f = ok(get(&t, &base, &police).await?)?["cijfers"].clone();
    let numbers = |v: &Value| -> Vec<i64> { v.to_string().split(|c: char| !c.is_ascii_digit()).filter_map(|d| d.parse().ok()).collect() };
    let figures = json!([f["dossiers"], f["dossiersLandelijk"], f["interventies"], f["interventiesTotaal"]]);
    assert!(numbers(&figures).iter().all(|n| *n == 0 || *n >= 5), "a count from 1 to 4 is shown: {f}");
    let row = |part: &str| f["dossiers"].as_array().and_then(|r| r.iter().find(|r| r["naam"].as_str().unwrap_or("").contains(part)).cloned()).unwrap_or_default();
    assert!(row("Rotterdam")["totaal"].is_null() && row("Rotterdam")["aantallen"][2].is_null(), "{f}");
    assert!(row("Noord-Nederland")["aantallen"][2].is_null() || f["dossiersLandelijk"]["aantallen"][2].is_null(), "5 and 6 give the 1 away: {f}");
    assert!(row("Noord-Nederland")["totaal"].is_null() || f["dossiersLandelijk"]["totaal"].is_null(), "5 and 6 give the 1 away: {f}");
    assert_eq!(f["dossiers"].as_array().map(Vec::len), Some(10), "every region is a row: {f}");
    assert_eq!((f["bedragen"]["geind"].as_u64(), f["interventiesTotaal"].as_u64()), (Some(0), Some(0)), "no intervention finished yet: {f}");
    let page = t.page(&format!("/fenomeentafels/{tid}"), Some(&notary)).await?;
    assert!(page.body.contains("Dossiers per regio en fase") && page.body.contains("×"), "{}", page.body);

    // The private notary: the table and its work in the UI, reports its own action, nothing of
    // a case, the group's product but not the network's knowledge.
    let page = t.page("/fenomeentafels", Some(&notary)).await?;
    assert!(page.status == 200 && page.body.contains("Ondermijning in de vastgoedketen"), "{}", page.body);
    let page = t.page(&format!("/fenomeentafels/{tid}"), Some(&notary)).await?;
    assert!(page.status == 200 && page.body.contains("ZQXAGENDA") && page.body.contains("ZQXDECISION"), "{}", page.body);
    let r = t.form(&format!("/fenomeentafels/{tid}/acties/{action}/status"), Some(&notary), &[("status", "lopend")], None).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = t.form(&format!("/fenomeentafels/{tid}/leden"), Some(&notary), &[("organisatieId", &org_bank.to_string()), ("sector", "privaat"), ("rol", "lid")], None).await?;
    assert_eq!(r.status, 403);
    for path in [format!("/casussen/{case}"), format!("/casussen/{case}/dossier"), format!("/casussen/{case}/analyse")] {
        assert_eq!(t.page(&path, Some(&notary)).await?.status, 404, "{path}");
    }
    let list = t.page("/casussen", Some(&notary)).await?;
    assert!(!list.body.contains("Panden via stromannen") && !list.body.contains(&format!("/casussen/{case}")), "{}", list.body);
    let product = publish_for_group(&mut t, "ZQXPRODUCT fenomeenbeeld vastgoed", &group).await?;
    assert_eq!(t.page(&format!("/kennis/{product}"), Some(&notary)).await?.status, 200);
    assert_eq!(t.page(&format!("/kennis/{product}"), Some(&bank)).await?.status, 404);
    let page = t.page(&format!("/fenomeentafels/{tid}"), Some(&notary)).await?.body;
    assert!(page.contains("ZQXPRODUCT") && page.contains("<h3 class=\"utrecht-heading-3\">Fenomeenbeeld</h3>"), "the table lists its product under its type: {page}");
    let page = t.page("/fenomeentafels", Some(&bank)).await?;
    assert!(page.status == 200 && !page.body.contains("vastgoedketen"), "{}", page.body);
    assert_eq!(t.page(&format!("/fenomeentafels/{tid}"), Some(&bank)).await?.status, 404);

    // The police leave: their work and the group's product are gone for them; the table's face
    // stays theirs as part of the network.
    let v = ok(get(&t, &base, &liec).await?)?;
    let police_member = v["leden"].as_array().and_then(|l| l.iter().find(|m| m["organisatieId"] == org_police)).and_then(|m| m["id"].as_i64()).unwrap_or(0);
    ok(post(&t, &format!("{base}/leden/{police_member}/_beeindigen"), &liec, json!({})).await?)?;
    post(&t, &format!("{base}/leden/{police_member}/_beeindigen"), &liec, json!({})).await?.assert_problem(409)?;
    let pv = ok(get(&t, &base, &police).await?)?;
    assert!(pv["werk"].is_null() && !pv.to_string().contains("ZQXAGENDA"), "{pv}");
    get(&t, &format!("/api/v1/kennisitems/{product}"), &police).await?.assert_problem(404)?;
    let page = t.page(&format!("/fenomeentafels/{tid}"), Some(&police)).await?;
    assert!(page.status == 200 && !page.body.contains("ZQXPRODUCT") && !page.body.contains("ZQXAGENDA"), "{}", page.body);
    assert_eq!(t.page(&format!("/kennis/{product}"), Some(&notary)).await?.status, 200);

    // The UI: Dutch errors without JavaScript.
    let bad = t.form("/fenomeentafels", Some(&liec), &[("naam", ""), ("fenomeen", "")], None).await?;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("Geef de tafel een naam") && bad.body.contains("Kies het fenomeen van de tafel."), "{}", bad.body);
    let bad = t.form(&format!("/fenomeentafels/{tid}/overleggen"), Some(&liec), &[("datum", "12-13-2026"), ("agenda", "x")], None).await?;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("geen bestaande datum"), "{}", bad.body);
    let opened = t.form("/fenomeentafels", Some(&liec), &[("naam", "Landelijke Fenomeentafel Zorgfraude"), ("fenomeen", "zorgfraude")], None).await?;
    assert_eq!(opened.status, 303);
    get(&t, "/api/v1/fenomeentafels/abc", &liec).await?.assert_problem(404)?;

    for action in [
        "fenomeentafel-geopend",
        "fenomeentafel-opdracht",
        "fenomeentafel-lid-toegevoegd",
        "fenomeentafel-lid-beeindigd",
        "fenomeentafel-status",
        "fenomeentafel-overleg",
        "fenomeentafel-actie",
        "fenomeentafel-actie-status",
        "fenomeentafel-actie-signaal",
        "fenomeentafel-bekeken",
        "fenomeentafels-bekeken",
    ] {
        assert!(t.count(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}'")).await? >= 1, "{action} audited");
    }
    assert!(t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'toegang-geweigerd' AND object_type = 'fenomeentafel'").await? >= 3);

    // A table the coordinator opens in the UI names them as people know them, not by account.
    let r = t.form("/fenomeentafels", Some(&liec), &[("naam", "Witwassen via cryptobedrijven"), ("fenomeen", "witwassen")], None).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = t.page(r.location(), Some(&liec)).await?;
    assert!(page.body.contains("Test LIEC-coördinator") && !page.body.contains(">t.liec"), "{}", page.body);
    Ok(())
}
db_test!(a_phenomenon_table_runs_with_public_and_private_members);

/// Every role, a private member and nobody against every table endpoint: reads as policy says,
/// mutations with invalid input (an allowed caller gets 422, or 404/409 where the thing named
/// does not exist; a refused one 403 or 404) — and nothing changes.
async fn every_role_meets_the_table_endpoints_as_policy_says(mut t: TestApp) -> Result<()> {
    let liec = t.actor(Role::LiecCoordinator).await?;
    let eindhoven = t.organisation("Gemeente Eindhoven").await?;
    let v = ok(post(&t, "/api/v1/fenomeentafels", &liec, json!({"naam": "Tafel zorgfraude", "fenomeen": "zorgfraude"})).await?)?;
    let tid = v["id"].as_i64().ok_or_else(|| anyhow!("no id"))?;
    let base = format!("/api/v1/fenomeentafels/{tid}");
    ok(post(&t, &format!("{base}/leden"), &liec, json!({"organisatieId": eindhoven, "sector": "publiek", "rol": "lid"})).await?)?;
    let v = ok(post(&t, &format!("{base}/acties"), &liec, json!({"soort": "informatiedeling", "titel": "Delen met zorgkantoren", "trekkerId": eindhoven})).await?)?;
    let action = v["werk"]["acties"][0]["id"].as_i64().ok_or_else(|| anyhow!("no action"))?;
    let rows = "SELECT (SELECT COUNT(*) FROM phenomenon_tables) + (SELECT COUNT(*) FROM phenomenon_table_members) + (SELECT COUNT(*) FROM phenomenon_table_mandates) \
                + (SELECT COUNT(*) FROM phenomenon_table_meetings) + (SELECT COUNT(*) FROM phenomenon_table_actions) + (SELECT COUNT(*) FROM policy_signals)";
    let before = t.count(rows).await?;
    let version = v["versie"].as_i64().unwrap_or(0);
    for role in Role::ALL {
        let who = t.actor(role).await?;
        let manager = role == Role::LiecCoordinator;
        // Members of the table: the accounts of Gemeente Eindhoven.
        let member = matches!(role, Role::PartnerEmployee | Role::SteeringGroupMember);
        let l = ok(get(&t, "/api/v1/fenomeentafels", &who).await?)?;
        assert_eq!(l["tafels"].as_array().map(Vec::len), Some(1), "{role:?}");
        let d = ok(get(&t, &base, &who).await?)?;
        assert_eq!(d["werk"].is_object(), manager || member, "{role:?}: {d}");
        let refused = if manager { 422 } else { 403 };
        let cases: Vec<(String, Value, u16)> = vec![
            ("/api/v1/fenomeentafels".into(), json!({"naam": ""}), refused),
            (format!("{base}/_status"), json!({"status": "x", "versie": version}), refused),
            (format!("{base}/opdrachten"), json!({}), refused),
            (format!("{base}/leden"), json!({}), refused),
            (format!("{base}/leden/999999/_beeindigen"), json!({}), if manager { 409 } else { 403 }),
            (format!("{base}/overleggen"), json!({}), refused),
            (format!("{base}/acties"), json!({}), refused),
            (format!("{base}/acties/{action}/_status"), json!({"status": "x"}), if manager || member { 422 } else { 404 }),
            (format!("{base}/acties/999999/_signaal"), json!({}), if manager { 404 } else { 403 }),
        ];
        for (path, body, status) in cases {
            let r = post(&t, &path, &who, body).await?;
            r.assert_problem(status).map_err(|e| anyhow!("{role:?} POST {path}: {e}"))?;
        }
        let page = t.page(&format!("/fenomeentafels/{tid}"), Some(&who)).await?;
        assert_eq!(page.status, 200, "{role:?}");
        assert_eq!(page.body.contains("Delen met zorgkantoren"), manager || member, "{role:?}");
        assert_eq!(page.body.contains("Een lid toevoegen"), manager, "{role:?}");
    }
    // A private member of another organisation, and nobody.
    let outsider = t.private_member("lid.elders", "Brancheorganisatie Zorg").await?;
    assert_eq!(t.page(&format!("/fenomeentafels/{tid}"), Some(&outsider)).await?.status, 404);
    let r = t.form(&format!("/fenomeentafels/{tid}/acties/{action}/status"), Some(&outsider), &[("status", "afgerond")], None).await?;
    assert_eq!(r.status, 404);
    get(&t, &base, &knooppunt_testkit::Actor { token: String::new(), ..liec.clone() }).await?.assert_problem(401)?;
    assert_eq!(t.page(&format!("/fenomeentafels/{tid}"), None).await?.status, 303);
    assert_eq!(t.count(rows).await?, before, "refused and invalid requests change nothing");
    Ok(())
}
db_test!(every_role_meets_the_table_endpoints_as_policy_says);

/// For random case worlds (dossiers about the phenomenon spread over three regions, some still
/// a signal, some a case), the table's published figures show no count from 1 to 4 and let no
/// hidden entry be worked back from what is shown, totals included.
async fn the_table_figures_give_no_small_count_away(t: TestApp) -> Result<()> {
    let backend = t.app.db().backend();
    drop(t);
    for seed in [3u64, 17, 2026] {
        let mut t = TestApp::new(backend).await?;
        let liec = t.actor(Role::LiecCoordinator).await?;
        let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        let mut draw = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let regions = [("rotterdam", "GM0599"), ("noord-nederland", "GM0014"), ("limburg", "GM0935")];
        let mut made = 0;
        for (code, municipality) in regions {
            let analyst = t.actor_in_region(&format!("analist.{code}"), &format!("RIEC-bureau {}", title(code)), Role::RiecAnalyst, code).await?;
            for n in 0..draw(9) {
                if draw(3) == 0 {
                    ok(post(
                        &t,
                        "/api/v1/signalen",
                        &analyst,
                        json!({"titel": format!("Signaal {n}"), "omschrijving": "Vastgoed.", "gemeente": municipality, "fenomenen": ["vastgoed"]}),
                    )
                    .await?)?;
                } else {
                    case_in(&t, &analyst, municipality, &format!("Casus {n}")).await?;
                }
                made += 1;
            }
        }
        let v = ok(post(&t, "/api/v1/fenomeentafels", &liec, json!({"naam": "Tafel vastgoed", "fenomeen": "vastgoed"})).await?)?;
        let f = &v["cijfers"];
        // The augmented grid: regions and the national row, phases and the total column.
        let mut grid: Vec<Vec<Option<u64>>> = Vec::new();
        for row in f["dossiers"].as_array().cloned().unwrap_or_default().iter().chain([&f["dossiersLandelijk"]]) {
            let mut cells: Vec<Option<u64>> = row["aantallen"].as_array().map(|a| a.iter().map(Value::as_u64).collect()).unwrap_or_default();
            cells.push(row["totaal"].as_u64());
            grid.push(cells);
        }
        let (rows, columns) = (grid.len(), grid.first().map(Vec::len).unwrap_or(0));
        assert_eq!((rows, columns), (11, 5), "{f}");
        let shown: Vec<u64> = grid.iter().flatten().filter_map(|c| *c).collect();
        assert!(shown.iter().all(|v| *v == 0 || *v >= 5), "world {seed} ({made} dossiers): a count from 1 to 4 is shown: {f}");
        let hidden: Vec<(usize, usize)> = (0..rows).flat_map(|i| (0..columns).map(move |j| (i, j))).filter(|(i, j)| grid[*i][*j].is_none()).collect();
        let derivable = knooppunt_figures::disclosure::derivable(rows, columns, &hidden);
        assert!(derivable.is_empty(), "world {seed}: hidden entries {derivable:?} follow from the shown ones: {f}");
        if made > 0 && made < 5 {
            assert!(grid[rows - 1][columns - 1].is_none(), "world {seed}: a national total below 5 is shown: {f}");
        }
    }
    Ok(())
}
db_test!(the_table_figures_give_no_small_count_away);

/// "noord-nederland" → "Noord-Nederland".
fn title(code: &str) -> String {
    code.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join("-")
}
