//! Landelijke aanpak through the API and the UI: the LIEC opens an approach and asks cases of
//! two regions; each case joins only with its owner's consent (or is refused with a reason);
//! participants, actions and progress; figures; a third region learns nothing (404), and every
//! step is audited.

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

/// Opens a case in the municipality's region by its RIEC analyst; returns (id, reference).
async fn case_in(t: &TestApp, analyst: &Actor, municipality: &str, title: &str) -> Result<(i64, String)> {
    let c = ok(post(
        t,
        "/api/v1/signalen",
        analyst,
        json!({"titel": title, "omschrijving": "Signaal over een motorclub met vastgoed.", "gemeente": municipality, "fenomenen": ["vastgoed"]}),
    )
    .await?)?;
    let id = c["id"].as_i64().ok_or_else(|| anyhow!("no id"))?;
    let steps = format!("/api/v1/casussen/{id}/_stappen");
    let c = ok(post(t, &steps, analyst, json!({"stap": "wegen", "versie": c["versie"]})).await?)?;
    let c = ok(post(t, &steps, analyst, json!({"stap": "casus-openen", "toelichting": "Past in het convenant.", "versie": c["versie"]})).await?)?;
    Ok((id, c["kenmerk"].as_str().unwrap_or_default().to_string()))
}

async fn a_national_approach_links_cases_with_their_owners_consent(mut t: TestApp) -> Result<()> {
    let liec = t.actor(Role::LiecCoordinator).await?;
    let rotterdam = t.actor_in_region("analist.rotterdam", "RIEC-bureau Rotterdam", Role::RiecAnalyst, "rotterdam").await?;
    let noord = t.actor_in_region("manager.noord", "RIEC-bureau Noord-Nederland", Role::RiecManager, "noord-nederland").await?;
    let limburg = t.actor_in_region("analist.limburg", "RIEC-bureau Limburg", Role::RiecAnalyst, "limburg").await?;
    let politie = t.actor_in_region("agent.oost", "Nationale Politie", Role::PartnerEmployee, "oost-brabant").await?;
    let (rdam, rdam_ref) = case_in(&t, &rotterdam, "GM0599", "Clubhuis en vastgoed in Rotterdam").await?;
    let (nn, nn_ref) = case_in(&t, &noord, "GM0014", "Chapter in Groningen").await?;

    // Only the LIEC opens an approach; bad input lists every field.
    post(&t, "/api/v1/landelijke-aanpakken", &rotterdam, json!({"titel": "x", "omschrijving": "y"})).await?.assert_problem(403)?;
    let p = post(&t, "/api/v1/landelijke-aanpakken", &liec, json!({"titel": " ", "omschrijving": ""})).await?.assert_problem(422)?;
    assert!(p.to_string().contains("titel") && p.to_string().contains("omschrijving"), "{p}");
    let a = ok(post(
        &t,
        "/api/v1/landelijke-aanpakken",
        &liec,
        json!({"titel": "Chapter Noord van een motorclub", "omschrijving": "Vastgoed en horeca rond het chapter, in twee regio's."}),
    )
    .await?)?;
    let aid = a["id"].as_i64().ok_or_else(|| anyhow!("no id"))?;
    let base = format!("/api/v1/landelijke-aanpakken/{aid}");

    // The LIEC asks both cases. No oracle: an unknown reference gets exactly the answer a real
    // one gets, and the LIEC sees pending requests by reference only, without region or id.
    ok(post(&t, &format!("{base}/casussen"), &liec, json!({"casusKenmerk": rdam_ref})).await?)?;
    let v = ok(post(&t, &format!("{base}/casussen"), &liec, json!({"casusKenmerk": nn_ref})).await?)?;
    assert_eq!(v["cijfers"]["openVerzoeken"], 2);
    assert_eq!(v["cijfers"]["deelnemendeCasussen"], 0);
    let unknown = ok(post(&t, &format!("{base}/casussen"), &liec, json!({"casusKenmerk": "CAS-2026-99999"})).await?)?;
    assert_eq!(unknown["casussen"], json!([]), "pending requests show no case: {unknown}");
    let asked = unknown["gevraagdeKenmerken"].as_array().cloned().unwrap_or_default();
    assert_eq!(asked.len(), 3, "{unknown}");
    let keys = |x: &serde_json::Value| x.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
    assert!(asked.iter().all(|a| keys(a) == keys(&asked[0])), "every asked reference looks alike: {unknown}");
    assert!(!unknown.to_string().contains("Rotterdam") && !unknown.to_string().contains("Noord-Nederland"), "no region before the owner decides: {unknown}");
    assert_eq!(unknown["cijfers"]["openVerzoeken"], 3);
    post(&t, &format!("{base}/casussen"), &liec, json!({"casusKenmerk": rdam_ref})).await?.assert_problem(409)?;
    post(&t, &format!("{base}/casussen"), &liec, json!({"casusKenmerk": "CAS-2026-99999"})).await?.assert_problem(409)?;
    post(&t, &format!("{base}/casussen"), &liec, json!({"casusKenmerk": "geen kenmerk!"})).await?.assert_problem(422)?;
    post(&t, &format!("{base}/casussen"), &rotterdam, json!({"casusKenmerk": rdam_ref})).await?.assert_problem(403)?;

    // Each owner finds the request for its own case on "Mijn werk", nobody else does.
    let waiting = "Verzoeken om deel te nemen aan een landelijke aanpak</a>: ";
    for (who, n) in [(&rotterdam, "1 casus"), (&noord, "1 casus"), (&limburg, "0 casussen")] {
        let home = t.page("/", Some(who)).await?.body;
        assert!(home.contains(&format!("{waiting}{n}")), "{}: {home}", who.username);
    }
    assert!(!t.page("/", Some(&politie)).await?.body.contains(waiting));
    // And is told so under "Meldingen" (the ask of an unknown reference tells nobody).
    let told = "Het LIEC vraagt een casus van uw regio om mee te doen aan een landelijke aanpak.";
    for (who, n) in [(&rotterdam, 1), (&noord, 1), (&limburg, 0), (&politie, 0), (&liec, 0)] {
        assert_eq!(t.page("/meldingen", Some(who)).await?.body.matches(&format!("<strong>{told}")).count(), n, "{}", who.username);
    }
    // Each owner sees the request for its own case only, and decides.
    let r_view = ok(get(&t, &base, &rotterdam).await?)?;
    let refs: Vec<&str> = r_view["casussen"].as_array().into_iter().flatten().filter_map(|c| c["casusKenmerk"].as_str()).collect();
    assert_eq!(refs, [rdam_ref.as_str()], "{r_view}");
    assert_eq!(r_view["casussen"][0]["uBesluit"], true);
    // Rotterdam does not even learn that Noord-Nederland's case was asked.
    post(&t, &format!("{base}/casussen/{nn}/_besluit"), &rotterdam, json!({"akkoord": true})).await?.assert_problem(404)?;
    ok(post(&t, &format!("{base}/casussen/{rdam}/_besluit"), &rotterdam, json!({"akkoord": true})).await?)?;
    assert!(t.page("/", Some(&rotterdam)).await?.body.contains(&format!("{waiting}0 casussen")));
    let p = post(&t, &format!("{base}/casussen/{nn}/_besluit"), &noord, json!({"akkoord": false})).await?.assert_problem(422)?;
    assert!(p.to_string().contains("reden"), "{p}");
    let n_view = ok(post(&t, &format!("{base}/casussen/{nn}/_besluit"), &noord, json!({"akkoord": false, "reden": "Lopend strafrechtelijk onderzoek; later opnieuw."})).await?)?;
    // Noord-Nederland now sees the joined Rotterdam case (reference and region) and its own refusal.
    let refs: Vec<&str> = n_view["casussen"].as_array().into_iter().flatten().filter_map(|c| c["casusKenmerk"].as_str()).collect();
    assert_eq!(refs.len(), 2, "{n_view}");
    assert!(!n_view.to_string().contains("Clubhuis en vastgoed"), "no case contents: {n_view}");

    // Participants, actions and progress.
    let politie_org = t.organisation("Nationale Politie").await?;
    ok(post(&t, &format!("{base}/deelnemers"), &liec, json!({"organisatieId": politie_org, "rol": "strafrechtelijk onderzoek"})).await?)?;
    post(&t, &format!("{base}/deelnemers"), &liec, json!({"organisatieId": politie_org, "rol": "nog eens"})).await?.assert_problem(409)?;
    let p = post(&t, &format!("{base}/deelnemers"), &liec, json!({"organisatieId": 999_999, "rol": ""})).await?.assert_problem(422)?;
    assert!(p.to_string().contains("organisatieId") && p.to_string().contains("rol"), "{p}");
    let p = post(&t, &format!("{base}/acties"), &liec, json!({"titel": "", "deadline": "morgen"})).await?.assert_problem(422)?;
    assert!(p.to_string().contains("titel") && p.to_string().contains("deadline"), "{p}");
    let v = ok(post(
        &t,
        &format!("{base}/acties"),
        &liec,
        json!({"titel": "Vergunningen horeca naast het clubhuis toetsen (Bibob)", "eigenaar": "Gemeente Rotterdam", "deadline": "2027-03-01"}),
    )
    .await?)?;
    let action = v["acties"][0]["id"].as_i64().ok_or_else(|| anyhow!("no action"))?;
    let open_actions = "Open acties in landelijke aanpakken</a>: ";
    let home = t.page("/", Some(&liec)).await?.body;
    assert!(home.contains(&format!("{open_actions}1 actie")), "{home}");
    assert!(!t.page("/", Some(&rotterdam)).await?.body.contains(open_actions));
    // The police take part, so they see the approach and may report the action done.
    let seen = ok(get(&t, "/api/v1/landelijke-aanpakken", &politie).await?)?;
    assert_eq!(seen["aanpakken"].as_array().map(Vec::len), Some(1));
    ok(post(&t, &format!("{base}/acties/{action}/_gereed"), &politie, json!({})).await?)?;
    post(&t, &format!("{base}/acties/{action}/_gereed"), &politie, json!({})).await?.assert_problem(409)?;
    assert!(t.page("/", Some(&liec)).await?.body.contains(&format!("{open_actions}0 acties")));
    let version = ok(get(&t, &base, &liec).await?)?["versie"].as_i64().unwrap_or(0);
    post(&t, &format!("{base}/_voortgang"), &liec, json!({"voortgang": "Eerste toets gedaan.", "status": "lopend", "versie": version - 1})).await?.assert_problem(409)?;
    let v = ok(post(&t, &format!("{base}/_voortgang"), &liec, json!({"voortgang": "Eerste toets gedaan.", "status": "lopend", "versie": version})).await?)?;
    assert_eq!(v["voortgang"], "Eerste toets gedaan.");
    let f = &v["cijfers"];
    // The unknown reference stays pending: nobody will ever decide on it.
    assert_eq!((f["deelnemendeCasussen"].as_i64(), f["regios"].as_i64(), f["geweigerd"].as_i64(), f["openVerzoeken"].as_i64()), (Some(1), Some(1), Some(1), Some(1)), "{v}");
    // Noord-Nederland's figures count only what it sees: the joined case and its own refusal.
    let nf = ok(get(&t, &base, &noord).await?)?;
    assert_eq!((nf["cijfers"]["deelnemendeCasussen"].as_i64(), nf["cijfers"]["geweigerd"].as_i64(), nf["cijfers"]["openVerzoeken"].as_i64()), (Some(1), Some(1), Some(0)), "{nf}");
    assert_eq!(nf["gevraagdeKenmerken"], json!([]));
    // The police see the joined case only: no refusal of another region, no pending requests.
    let pf = ok(get(&t, &base, &politie).await?)?;
    assert_eq!((pf["cijfers"]["geweigerd"].as_i64(), pf["cijfers"]["openVerzoeken"].as_i64()), (Some(0), Some(0)), "{pf}");
    assert!(!pf.to_string().contains(&nn_ref), "{pf}");
    assert_eq!((f["deelnemers"].as_i64(), f["openActies"].as_i64(), f["gereedActies"].as_i64()), (Some(1), Some(0), Some(1)));

    // A third region learns nothing: an empty list and the same 404 as for a missing approach.
    let l = ok(get(&t, "/api/v1/landelijke-aanpakken", &limburg).await?)?;
    assert_eq!(l["aanpakken"].as_array().map(Vec::len), Some(0));
    get(&t, &base, &limburg).await?.assert_problem(404)?;
    get(&t, "/api/v1/landelijke-aanpakken/987654", &limburg).await?.assert_problem(404)?;
    post(&t, &format!("{base}/casussen/{rdam}/_besluit"), &limburg, json!({"akkoord": false, "reden": "x"})).await?.assert_problem(404)?;

    // The UI: the same without JavaScript, with Dutch errors.
    let page = t.page(&format!("/landelijke-aanpakken/{aid}"), Some(&liec)).await?;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Chapter Noord van een motorclub") && page.body.contains(&rdam_ref), "{}", page.body);
    let bad = t.form("/landelijke-aanpakken", Some(&liec), &[("titel", ""), ("omschrijving", "")], Some(&liec.csrf)).await?;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("Vul de titel in."), "{}", bad.body);
    let opened = t.form("/landelijke-aanpakken", Some(&liec), &[("titel", "Vastgoednetwerk Zuid"), ("omschrijving", "Panden via stromannen.")], Some(&liec.csrf)).await?;
    assert_eq!(opened.status, 303);
    let bad = t.form(&format!("/landelijke-aanpakken/{aid}/casussen/{nn}/besluit"), Some(&noord), &[("besluit", "weigeren"), ("reden", "")], Some(&noord.csrf)).await?;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("Geef een reden voor de weigering."));
    let page = t.page("/landelijke-aanpakken", Some(&limburg)).await?;
    assert!(page.status == 200 && !page.body.contains("Chapter Noord"));
    assert_eq!(t.page(&format!("/landelijke-aanpakken/{aid}"), Some(&limburg)).await?.status, 404);

    for action in [
        "landelijke-aanpak-geopend",
        "landelijke-aanpak-casus-gevraagd",
        "landelijke-aanpak-casus-besloten",
        "landelijke-aanpak-bekeken",
        "landelijke-aanpak-actie-gereed",
        "landelijke-aanpak-voortgang",
    ] {
        assert!(t.count(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}'")).await? >= 1, "{action} audited");
    }
    assert!(t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'toegang-geweigerd' AND object_type = 'landelijke-aanpak'").await? >= 3);

    // Guessing references is throttled per account (the same for real and unknown ones), and
    // the refusal is audited.
    let z = ok(post(&t, "/api/v1/landelijke-aanpakken", &liec, json!({"titel": "Raden", "omschrijving": "Throttle"})).await?)?;
    let zbase = format!("/api/v1/landelijke-aanpakken/{}", z["id"].as_i64().unwrap_or(0));
    let mut refused = None;
    for n in 0..40 {
        let r = post(&t, &format!("{zbase}/casussen"), &liec, json!({"casusKenmerk": format!("CAS-2026-{:05}", 50_000 + n)})).await?;
        if r.status != 200 {
            refused = Some((n, r.status));
            break;
        }
    }
    let (n, status) = refused.ok_or_else(|| anyhow!("forty guesses were not throttled"))?;
    assert_eq!(status, 429);
    assert!(n <= 30, "throttled after {n} asks");
    assert!(t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'toegang-geweigerd' AND detail LIKE '%casusverzoeken%'").await? >= 1);
    Ok(())
}
db_test!(a_national_approach_links_cases_with_their_owners_consent);
