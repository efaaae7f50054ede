//! Requests of data subjects across joint controllers: registered by the partner that received
//! it (never by the RIEC), sent to every partner that supplied data about the person, each of
//! which answers for itself and sees only its own line; the deadline and its one extension; the
//! answer per partner in its name; nothing of it reaches a partner that was not asked.

use crate::cases::{open_case, world};
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
    if r.status != 200 {
        return Err(anyhow!("expected 200, got {}: {}", r.status, r.body));
    }
    r.json()
}

fn names(p: &Value) -> Vec<String> {
    let mut n: Vec<String> = p["invalidParams"].as_array().into_iter().flatten().filter_map(|e| e["name"].as_str().map(String::from)).collect();
    n.sort();
    n
}

async fn a_request_reaches_every_partner_that_supplied_data_and_each_answers_for_itself(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    let privacy = t.actor(Role::PrivacyOfficer).await?;
    let id = open_case(&mut t, &w).await?;
    let case = format!("/api/v1/casussen/{id}");
    // The municipality records the person; the police supplies an item; the tax office takes
    // part but supplies nothing about the person.
    ok(post(
        &t,
        &format!("{case}/betrokkenen"),
        &w.gemeente,
        json!({"soort": "persoon", "voornamen": "Dirk", "geslachtsnaam": "Verzoeker", "bsn": "111222333", "geboortedatum": "1970-01-02"}),
    )
    .await?)?;
    let item = json!({"titel": "Waarneming bij de studio", "inhoud": "Dirk Verzoeker haalt dagelijks contant geld op.", "grondslag": "wpg-20", "doel": "integrale-aanpak", "betrouwbaarheid": "betrouwbaar", "rubricering": "vertrouwelijk"});
    ok(post(&t, &format!("{case}/informatiebijdragen"), &w.politie, item).await?)?;

    // Every error at once, nothing registered; the RIEC cannot register (no legal personality).
    let bad = json!({"soort": "inzage", "ontvangenOp": "01-01-2030", "nummersoort": "bsn", "nummer": "123456788", "naam": "", "identiteitVastgesteld": false, "identiteitstoelichting": ""});
    let p = post(&t, "/api/v1/verzoeken-betrokkenen", &w.gemeente, bad).await?.assert_problem(422)?;
    assert_eq!(names(&p), vec!["identiteit", "identiteitstoelichting", "naam", "nummer", "ontvangen"]);
    assert_eq!(t.count("SELECT COUNT(*) FROM subject_requests").await?, 0);
    let good = json!({"soort": "inzage", "ontvangenOp": "28-11-2026", "nummersoort": "bsn", "nummer": "111222333", "naam": "D. Verzoeker", "identiteitVastgesteld": true,
        "identiteitstoelichting": "Paspoort getoond aan de balie", "vraag": "Welke gegevens hebben jullie over mij?"});
    post(&t, "/api/v1/verzoeken-betrokkenen", &w.analist, good.clone()).await?.assert_problem(403)?;
    let r = ok(post(&t, "/api/v1/verzoeken-betrokkenen", &w.gemeente, good).await?)?;
    let rid = r["id"].as_i64().ok_or_else(|| anyhow!("no id"))?;
    assert_eq!(r["termijn"], "2026-12-28", "one month after receipt");
    let asked: Vec<&str> = r["partners"].as_array().into_iter().flatten().filter_map(|p| p["organisatie"].as_str()).collect();
    assert_eq!(asked, vec!["Gemeente Eindhoven", "Nationale Politie"], "the suppliers, not the tax office, not the RIEC bureau");
    assert!(r["partners"][1]["geleverd"].as_str().is_some_and(|g| g.contains("1 informatiebijdrage")), "{r}");
    let path = format!("/api/v1/verzoeken-betrokkenen/{rid}");
    // The police is told ("there is something for you"); a partner not asked is not.
    let told = |user: &str| format!("SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = '{user}' AND n.kind = 'verzoek-betrokkene'");
    assert_eq!(t.count(&told(&w.politie.username)).await?, 1);
    assert_eq!(t.count(&told(&w.belasting.username)).await?, 0);

    // The police sees the request and only its own line; partners not asked learn nothing.
    let home = t.page("/", Some(&w.politie)).await?.body;
    assert!(home.contains("Verzoeken van betrokkenen waarop uw organisatie moet reageren</a>: 1 verzoek"), "{home}");
    let seen = ok(get(&t, &path, &w.politie).await?)?;
    assert_eq!(seen["partners"].as_array().map(Vec::len), Some(1));
    assert_eq!((seen["magBehandelen"].as_bool(), seen["magStandpuntVastleggen"].as_bool()), (Some(false), Some(true)));
    // (The request is addressed to the organisation, the controller: the police's employees in
    // another region see it too.)
    ok(get(&t, &path, &w.politie_limburg).await?)?;
    for outsider in [&w.belasting, &w.douane] {
        get(&t, &path, outsider).await?.assert_problem(404)?;
        assert!(ok(get(&t, "/api/v1/verzoeken-betrokkenen", outsider).await?)?.as_array().is_some_and(Vec::is_empty), "{}", outsider.username);
    }
    for no_scope in [&w.analist, &w.liec, &w.other_region] {
        get(&t, &path, no_scope).await?.assert_problem(403)?;
        // A refused write answers at once (found by schemathesis: the refusal's audit line waited
        // for the open transaction on SQLite and the request ended in a 503).
        post(&t, &format!("{path}/standpunten"), no_scope, json!({"standpunt": "verstrekken"})).await?.assert_problem(403)?;
        post(&t, &format!("{path}/_verlengen"), no_scope, json!({"maanden": 1, "reden": "x"})).await?.assert_problem(403)?;
        post(&t, &format!("{path}/_afronden"), no_scope, json!({})).await?.assert_problem(403)?;
    }

    // Each partner answers for itself: a restriction needs a ground and a note.
    let positions = format!("{path}/standpunten");
    let p = post(&t, &positions, &w.politie, json!({"standpunt": "beperken"})).await?.assert_problem(422)?;
    assert_eq!(names(&p), vec!["grond", "toelichting"]);
    ok(post(&t, &positions, &w.politie, json!({"standpunt": "beperken", "grond": "lopend-onderzoek", "toelichting": "Er loopt een strafrechtelijk onderzoek."})).await?)?;
    post(&t, &positions, &w.belasting, json!({"standpunt": "verstrekken"})).await?.assert_problem(404)?;
    ok(post(&t, &positions, &w.gemeente, json!({"standpunt": "verstrekken"})).await?)?;

    // The deadline: extended once, by one or two months, by the receiver, with a reason.
    let extend = format!("{path}/_verlengen");
    post(&t, &extend, &w.politie, json!({"maanden": 2, "reden": "Complex"})).await?.assert_problem(403)?;
    let p = post(&t, &extend, &w.gemeente, json!({"maanden": 3, "reden": ""})).await?.assert_problem(422)?;
    assert_eq!(names(&p), vec!["maanden", "reden"]);
    let e = ok(post(&t, &extend, &w.gemeente, json!({"maanden": 2, "reden": "Gegevens van meerdere partners"})).await?)?;
    assert_eq!(e["termijn"], "2027-02-28");
    post(&t, &extend, &w.gemeente, json!({"maanden": 1, "reden": "Nog eens"})).await?.assert_problem(409)?;

    // The analyst and the police read the case: processing lines about the person's record.
    ok(get(&t, &case, &w.analist).await?)?;
    ok(get(&t, &case, &w.politie).await?)?;
    assert!(t.count("SELECT COUNT(*) FROM processing_log WHERE organisation_id = (SELECT id FROM organisations WHERE name = 'Nationale Politie')").await? >= 1);

    // The answer, per partner in its name: what the municipality holds; the police's restriction.
    get(&t, &format!("{path}/antwoord"), &w.politie).await?.assert_problem(403)?;
    let a = ok(get(&t, &format!("{path}/antwoord"), &w.gemeente).await?)?;
    let gemeente = &a["partners"][0];
    assert_eq!((gemeente["organisatie"].as_str(), gemeente["standpunt"].as_str()), (Some("Gemeente Eindhoven"), Some("verstrekken")));
    assert_eq!(gemeente["registraties"][0]["naam"], "Dirk Verzoeker");
    let politie = &a["partners"][1];
    assert_eq!((politie["standpunt"].as_str(), politie["grond"].as_str()), (Some("beperken"), Some("lopend-onderzoek")));
    assert!(politie["informatiebijdragen"].as_array().is_some_and(Vec::is_empty), "a restricting partner's data stay out: {a}");
    assert!(!a.to_string().contains("contant geld"), "{a}");
    // Who processed the municipality's record of the person: organisations and activities from
    // the processing log, never a person who acted; nothing for a restricting partner.
    let processed = gemeente["verwerkingen"].as_array().cloned().unwrap_or_default();
    assert!(
        processed.iter().any(|v| v["verwerking"] == "casusdossier-inzien" && v["organisatie"].as_str().is_some_and(|o| o.starts_with("RIEC")) && v["aantal"].as_i64() >= Some(1)),
        "{a}"
    );
    assert!(politie["verwerkingen"].as_array().is_some_and(Vec::is_empty), "{a}");
    // The police restricted (an ongoing investigation): its own reading stays out of the answer.
    assert!(!processed.iter().any(|v| v["organisatie"] == "Nationale Politie"), "{a}");
    assert!(!a.to_string().contains(&w.analist.username), "{a}");
    let page = t.page(&format!("/verzoeken-betrokkenen/{rid}/antwoord"), Some(&w.gemeente)).await?;
    assert!(page.body.contains("Wie uw gegevens van Gemeente Eindhoven heeft verwerkt"), "{}", page.body);

    // The answer as a PDF, from the page and from the API (Accept: application/pdf), read back by
    // an independent reader: each partner's decision in its name, what the municipality holds,
    // who processed it; nothing of the restricting police's data.
    let pdf = t.page(&format!("/verzoeken-betrokkenen/{rid}/antwoord.pdf"), Some(&w.gemeente)).await?;
    assert_eq!((pdf.status.as_u16(), pdf.content_type()), (200, "application/pdf"));
    let req = axum::http::Request::builder()
        .uri(format!("{path}/antwoord"))
        .header("authorization", format!("Bearer {}", w.gemeente.token))
        .header("accept", "application/pdf")
        .body(axum::body::Body::empty())?;
    let api_pdf = t.send(req).await?;
    assert_eq!((api_pdf.status.as_u16(), api_pdf.content_type()), (200, "application/pdf"));
    for bytes in [&pdf.bytes, &api_pdf.bytes] {
        assert!(bytes.starts_with(b"%PDF-"));
        let text = knooppunt_testkit::pdf_text(bytes)?;
        for expected in [
            "Antwoord op uw verzoek VB-",
            "D. Verzoeker",
            "Gemeente Eindhoven",
            "Verstrekken",
            "Dirk Verzoeker",
            "Nationale Politie",
            "Beperken met een grond",
            "lopend onderzoek",
            "Er loopt een strafrechtelijk onderzoek.",
            "Inzien van een casusdossier",
            "pagina 1 van 1",
        ] {
            assert!(text.to_lowercase().contains(&expected.to_lowercase()), "{expected} not in the PDF:\n{text}");
        }
        assert!(!text.contains("contant geld"), "{text}");
    }
    assert_eq!(t.page(&format!("/verzoeken-betrokkenen/{rid}/antwoord.pdf"), Some(&w.politie)).await?.status.as_u16(), 403);
    // The privacy officer sees every request; reading the answer is logged per record read.
    ok(get(&t, &format!("{path}/antwoord"), &privacy).await?)?;
    assert!(t.count("SELECT COUNT(*) FROM processing_log WHERE activity_code = 'verzoek-betrokkene'").await? >= 4);

    // Closing, then nothing changes any more.
    let closed = ok(post(&t, &format!("{path}/_afronden"), &w.gemeente, json!({})).await?)?;
    assert!(closed["afgerondOp"].is_string());
    post(&t, &positions, &w.politie, json!({"standpunt": "geen-gegevens"})).await?.assert_problem(409)?;
    let home = t.page("/", Some(&w.politie)).await?.body;
    assert!(home.contains("Verzoeken van betrokkenen waarop uw organisatie moet reageren</a>: 0 verzoeken"), "{home}");

    // Nothing archived yet: the answer has no note about the log archive. Once the month's
    // processing lines are archived, the lists of who processed cover only the time since,
    // and the answer says so in the API, on the page and in the PDF.
    assert!(a["verwerkingenVanaf"].is_null() && a["mededelingLogarchief"].is_null(), "{a}");
    crate::logs::at_months(&t, 3);
    let dir = crate::logs::folder(&t, "verzoek")?;
    t.app.archive_logs(&t.operator(), &dir, 1, |_| {}).await.map_err(|e| anyhow!(e.to_string()))?;
    let a = ok(get(&t, &format!("{path}/antwoord"), &w.gemeente).await?)?;
    assert!(a["verwerkingenVanaf"].is_string(), "{a}");
    assert!(a["partners"][0]["verwerkingen"].as_array().is_some_and(Vec::is_empty), "the archived lines are not in the hot log: {a}");
    let note = "Oudere verwerkingen staan in het gearchiveerde verwerkingenlogboek";
    assert!(a["mededelingLogarchief"].as_str().is_some_and(|n| n.contains(note)), "{a}");
    let gemeente = t.signed_in_again(&w.gemeente).await?;
    assert!(t.page(&format!("/verzoeken-betrokkenen/{rid}/antwoord"), Some(&gemeente)).await?.body.contains(note));
    let pdf = t.page(&format!("/verzoeken-betrokkenen/{rid}/antwoord.pdf"), Some(&gemeente)).await?;
    let text = knooppunt_testkit::pdf_text(&pdf.bytes)?.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("gearchiveerde verwerkingenlogboek"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
db_test!(a_request_reaches_every_partner_that_supplied_data_and_each_answers_for_itself);

async fn the_request_pages_work_without_javascript(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    let form = t.page("/verzoeken-betrokkenen/nieuw", Some(&w.gemeente)).await?;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("value=\"28-11-2026\""), "today is filled in");
    let fields =
        [("soort", "inzage"), ("ontvangen", "28-11-2026"), ("nummersoort", "bsn"), ("nummer", "111222333"), ("naam", "D. Verzoeker"), ("identiteitstoelichting", "Paspoort")];
    let bad = t.form("/verzoeken-betrokkenen/nieuw", Some(&w.gemeente), &fields, None).await?;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("Stel eerst de identiteit van de verzoeker vast") && bad.body.contains("value=\"D. Verzoeker\""), "{}", bad.body);
    let mut all = fields.to_vec();
    all.push(("identiteit", "ja"));
    let done = t.form("/verzoeken-betrokkenen/nieuw", Some(&w.gemeente), &all, None).await?;
    assert_eq!(done.status, 303);
    let page = t.page(done.location().split('?').next().unwrap_or(""), Some(&w.gemeente)).await?;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Standpunt van uw organisatie vastleggen") && page.body.contains("28-12-2026"), "{}", page.body);
    let rid = done.location().trim_start_matches("/verzoeken-betrokkenen/").split('?').next().unwrap_or("").to_string();
    let bad = t.form(&format!("/verzoeken-betrokkenen/{rid}/standpunt"), Some(&w.gemeente), &[("standpunt", "beperken"), ("grond", "wpg"), ("toelichting", "")], None).await?;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("Licht de beperking toe"), "{}", bad.body);
    let list = t.page("/verzoeken-betrokkenen", Some(&w.gemeente)).await?;
    assert!(list.body.contains("VB-2026-") && list.body.contains("0 van 1"), "{}", list.body);
    assert_eq!(t.page("/verzoeken-betrokkenen", Some(&w.analist)).await?.status, 403);
    // The daily reminder: nothing while the deadline is far; within a week of it the partner
    // that has not answered (here the receiver itself) is told; once a day across the nodes.
    let told = format!("SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = '{}' AND n.kind = 'verzoek-betrokkene'", w.gemeente.username);
    assert_eq!(t.app.subject_request_reminders_if_due().await?, Some(0));
    t.clock.advance_minutes(24 * 60 * 24);
    assert_eq!(t.count(&told).await?, 0);
    assert!(t.app.subject_request_reminders_if_due().await?.is_some_and(|n| n >= 1));
    assert_eq!(t.count(&told).await?, 1);
    assert_eq!(t.app.subject_request_reminders_if_due().await?, None);
    Ok(())
}
db_test!(the_request_pages_work_without_javascript);
