//! Retention: rules as data the privacy officer confirms (every change audited); cases become due
//! exactly when their rule says; extensions and legal holds keep them; destruction leaves no
//! trace of the person in any table, index or attachment, writes a destruction record and keeps
//! the figures; the due list is scoped (a RIEC manager sees the RIEC's regions only).

use crate::cases::{open_case, world, EINDHOVEN};
use crate::treffers::case_in;
use anyhow::{anyhow, Result};
use axum::http::Method;
use knooppunt_domain::Role;
use knooppunt_testkit::{db_test, Actor, ManualClock, TestApp, TestResponse};
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

/// A 2xx answer's JSON (creating answers 201 in some places, 200 in others).
fn made(r: TestResponse) -> Result<Value> {
    if !r.status.is_success() {
        return Err(anyhow!("expected 2xx, got {}: {}", r.status, r.body));
    }
    r.json()
}

fn names(p: &Value) -> Vec<String> {
    p["invalidParams"].as_array().into_iter().flatten().filter_map(|e| e["name"].as_str().map(String::from)).collect()
}

/// Moves the test clock to `months` calendar months after its start, plus `ms`.
fn at_months(t: &TestApp, months: u32, ms: i64) {
    let start = chrono::DateTime::from_timestamp_millis(ManualClock::START).unwrap_or_default();
    let target = start.checked_add_months(chrono::Months::new(months)).unwrap_or(start).timestamp_millis() + ms;
    let now = t.app.now();
    t.clock.advance_ms(target - now);
}

/// Each rule's code and number of due cases, for `who`.
async fn due(t: &TestApp, who: &Actor) -> Result<Vec<(String, i64)>> {
    let d = ok(get(t, "/api/v1/bewaartermijnen/_verstreken", who).await?)?;
    Ok(d["perRegel"].as_array().into_iter().flatten().map(|g| (g["regel"]["code"].as_str().unwrap_or("").to_string(), g["totaal"].as_i64().unwrap_or(-1))).collect())
}

fn count_of(due: &[(String, i64)], code: &str) -> i64 {
    due.iter().find(|(c, _)| c == code).map_or(-1, |(_, n)| *n)
}

async fn step(t: &TestApp, who: &Actor, id: i64, stap: &str, note: &str) -> Result<Value> {
    let c = ok(get(t, &format!("/api/v1/casussen/{id}"), who).await?)?;
    ok(post(t, &format!("/api/v1/casussen/{id}/_stappen"), who, json!({"stap": stap, "toelichting": note, "versie": c["versie"]})).await?)
}

async fn signal(t: &TestApp, who: &Actor, title: &str) -> Result<i64> {
    let c = ok(post(t, "/api/v1/signalen", who, json!({"titel": title, "omschrijving": "Een signaal om te wegen.", "gemeente": EINDHOVEN, "fenomenen": ["witwassen"]})).await?)?;
    c["id"].as_i64().ok_or_else(|| anyhow!("no id"))
}

async fn the_rules_are_data_the_privacy_officer_confirms(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    let privacy = t.actor(Role::PrivacyOfficer).await?;
    let rules = ok(get(&t, "/api/v1/bewaartermijnen", &privacy).await?)?;
    let codes: Vec<&str> = rules.as_array().into_iter().flatten().filter_map(|r| r["code"].as_str()).collect();
    assert_eq!(
        codes,
        vec![
            "signaal-afgewezen",
            "pre-casus-beeindigd",
            "casus-afgesloten",
            "bestuurlijk-signaal-afgesloten",
            "landelijke-aanpak-afgerond",
            "informatie-ingetrokken",
            "ondersteuningsvraag-gesloten"
        ]
    );
    assert!(rules.as_array().into_iter().flatten().all(|r| r["standaard"] == true), "seeded rules are marked as defaults: {rules}");
    // The RIEC manager applies them (reads); partners, analysts and the LIEC have nothing to do here.
    ok(get(&t, "/api/v1/bewaartermijnen", &w.manager).await?)?;
    for who in [&w.gemeente, &w.analist, &w.politie, &w.liec] {
        get(&t, "/api/v1/bewaartermijnen", who).await?.assert_problem(403)?;
        get(&t, "/api/v1/bewaartermijnen/_verstreken", who).await?.assert_problem(403)?;
        assert_eq!(t.page("/bewaartermijnen", Some(who)).await?.status, 403, "{}", who.username);
    }

    // Every error at once, nothing changed.
    let path = "/api/v1/bewaartermijnen/casus-afgesloten";
    let p = t.api(Method::PATCH, path, Some(&privacy.token), Some(json!({"termijn": 0, "actie": "weggooien", "bron": " ", "versie": 1}))).await?.assert_problem(422)?;
    let mut n = names(&p);
    n.sort();
    assert_eq!(n, vec!["actie", "bron", "termijn"], "{p}");
    let after = ok(get(&t, "/api/v1/bewaartermijnen", &privacy).await?)?;
    assert_eq!(after, rules);
    // Only the privacy officer decides; the manager is refused and nothing changes.
    let change = json!({"termijn": 84, "actie": "vernietigen", "bron": "Privacyprotocol RIECs-LIEC, art. 12 (bevestigd 2026)", "versie": 1});
    t.api(Method::PATCH, path, Some(&w.manager.token), Some(change.clone())).await?.assert_problem(403)?;
    let r = ok(t.api(Method::PATCH, path, Some(&privacy.token), Some(change.clone())).await?)?;
    assert_eq!((r["termijnMaanden"].as_i64(), r["actie"].as_str(), r["standaard"].as_bool()), (Some(84), Some("vernietigen"), Some(false)));
    assert!(r["vastgesteldDoor"].as_str().is_some_and(|by| by.contains(&privacy.username)), "{r}");
    // A stale version is a conflict; an unknown rule does not exist.
    t.api(Method::PATCH, path, Some(&privacy.token), Some(change.clone())).await?.assert_problem(409)?;
    t.api(Method::PATCH, "/api/v1/bewaartermijnen/zomaar", Some(&privacy.token), Some(change)).await?.assert_problem(404)?;
    // The change is audited with the old and new values, in Dutch.
    let lines = t.strings("SELECT detail FROM audit_log WHERE action = 'bewaartermijn-vastgesteld'").await?;
    assert_eq!(lines, vec!["Casus afgesloten: 84 maanden, vernietigen (was 60 maanden, beoordelen)".to_string()]);

    // The pages: the table marks defaults; the form shows errors in Dutch and keeps the input.
    let page = t.page("/bewaartermijnen", Some(&privacy)).await?;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Standaardtermijn, nog niet bevestigd") && page.body.contains("84 maanden") && page.body.contains("href=\"/bewaartermijnen/signaal-afgewezen\""),
        "{}",
        page.body
    );
    let form = t.page("/bewaartermijnen/signaal-afgewezen", Some(&privacy)).await?;
    assert_eq!(form.status, 200);
    let bad = t.form("/bewaartermijnen/signaal-afgewezen", Some(&privacy), &[("termijn", "zes"), ("actie", "vernietigen"), ("bron", "Eigen keuze"), ("versie", "1")], None).await?;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("Vul een heel aantal maanden in") && bad.body.contains("value=\"zes\""), "{}", bad.body);
    let good = t.form("/bewaartermijnen/signaal-afgewezen", Some(&privacy), &[("termijn", "3"), ("actie", "vernietigen"), ("bron", "Eigen keuze"), ("versie", "1")], None).await?;
    assert_eq!(good.status, 303);
    assert_eq!(t.page("/bewaartermijnen/signaal-afgewezen", Some(&w.manager)).await?.status, 403);
    Ok(())
}
db_test!(the_rules_are_data_the_privacy_officer_confirms);

async fn cases_become_due_when_their_rule_says_and_holds_and_extensions_keep_them(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    let privacy = t.actor(Role::PrivacyOfficer).await?;
    let manager_limburg = t.actor_in_region("manager.limburg", "RIEC-bureau Limburg", Role::RiecManager, "limburg").await?;
    // A rejected signal (6 months), a pre-case that ended (12), a case that was closed (60).
    let rejected = signal(&t, &w.analist, "Kapsalon zonder klanten").await?;
    step(&t, &w.analist, rejected, "afwijzen", "Geen aanwijzingen voor ondermijning.").await?;
    let pre = signal(&t, &w.analist, "Autoverhuur met contant geld").await?;
    step(&t, &w.analist, pre, "pre-casus-openen", "Eerst meer informatie.").await?;
    step(&t, &w.analist, pre, "afsluiten", "Geen vervolg nodig.").await?;
    let closed = open_case(&mut t, &w).await?;
    step(&t, &w.analist, closed, "afsluiten", "Aanpak afgerond.").await?;
    let open = open_case(&mut t, &w).await?;
    assert_eq!(
        due(&t, &privacy).await?,
        vec![
            ("signaal-afgewezen".into(), 0),
            ("pre-casus-beeindigd".into(), 0),
            ("casus-afgesloten".into(), 0),
            ("bestuurlijk-signaal-afgesloten".into(), 0),
            ("landelijke-aanpak-afgerond".into(), 0),
            ("informatie-ingetrokken".into(), 0),
            ("ondersteuningsvraag-gesloten".into(), 0)
        ]
    );

    // Exactly at six calendar months (the steps happened at the clock's start) the rejected
    // signal is due, a minute earlier not.
    at_months(&t, 6, -60_000);
    assert_eq!(count_of(&due(&t, &privacy).await?, "signaal-afgewezen"), 0);
    at_months(&t, 6, 0);
    let d = due(&t, &privacy).await?;
    assert_eq!((count_of(&d, "signaal-afgewezen"), count_of(&d, "pre-casus-beeindigd")), (1, 0));
    // "Mijn werk" leads the privacy officer and the region's manager to it; Limburg's manager has none.
    let privacy = t.signed_in_again(&privacy).await?;
    let manager = t.signed_in_again(&w.manager).await?;
    let manager_limburg = t.signed_in_again(&manager_limburg).await?;
    for who in [&privacy, &manager] {
        let home = t.page("/", Some(who)).await?.body;
        assert!(home.contains("Afgesloten dossiers waarvan de bewaartermijn is verstreken</a>: 1 dossier"), "{}: {home}", who.username);
    }
    let home = t.page("/", Some(&manager_limburg)).await?.body;
    assert!(home.contains("Afgesloten dossiers waarvan de bewaartermijn is verstreken</a>: 0 dossiers"), "{home}");
    assert_eq!(due(&t, &manager_limburg).await?.iter().map(|(_, n)| n).sum::<i64>(), 0);
    // What the list shows: reference, region, date — not the title.
    let list = t.page("/bewaartermijnen/te-beoordelen", Some(&privacy)).await?;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("RIEC Oost-Brabant") && !list.body.contains("Kapsalon"), "{}", list.body);

    // A legal hold blocks: the case leaves the list and cannot be destroyed.
    post(&t, "/api/v1/bewaarplichten", &w.analist, json!({"casussen": [rejected], "grond": "rechtszaak", "reden": "Bezwaar loopt"})).await?.assert_problem(403)?;
    let p = post(&t, "/api/v1/bewaarplichten", &privacy, json!({"casussen": [], "grond": "zomaar", "reden": ""})).await?.assert_problem(422)?;
    let mut n = names(&p);
    n.sort();
    assert_eq!(n, vec!["casussen", "grond", "reden"]);
    // Limburg's manager cannot reach an Oost-Brabant case; an open case has no retention yet.
    post(&t, "/api/v1/bewaarplichten", &manager_limburg, json!({"casussen": [rejected], "grond": "rechtszaak", "reden": "Zaak 123"})).await?.assert_problem(422)?;
    post(&t, "/api/v1/bewaarplichten", &privacy, json!({"casussen": [open], "grond": "rechtszaak", "reden": "Zaak 123"})).await?.assert_problem(422)?;
    ok(post(&t, "/api/v1/bewaarplichten", &privacy, json!({"casussen": [rejected], "grond": "rechtszaak", "reden": "Beroep bij de rechtbank, zaak AWB 26/123"})).await?)?;
    assert_eq!(count_of(&due(&t, &privacy).await?, "signaal-afgewezen"), 0);
    let v = ok(get(&t, "/api/v1/bewaartermijnen/_verstreken", &privacy).await?)?;
    let holds = v["bewaarplichten"].as_array().cloned().unwrap_or_default();
    assert_eq!(holds.len(), 1);
    let p = post(&t, "/api/v1/vernietigingen", &privacy, json!({"casussen": [rejected], "bevestigd": true})).await?.assert_problem(422)?;
    assert!(p.to_string().contains("bewaarplicht"), "{p}");
    // Lifting needs a reason; then the case is due again.
    let hold_id = holds[0]["id"].as_i64().unwrap_or(0);
    post(&t, &format!("/api/v1/bewaarplichten/{hold_id}/_opheffen"), &privacy, json!({"reden": ""})).await?.assert_problem(422)?;
    post(&t, &format!("/api/v1/bewaarplichten/{hold_id}/_opheffen"), &manager_limburg, json!({"reden": "Klaar"})).await?.assert_problem(404)?;
    ok(post(&t, &format!("/api/v1/bewaarplichten/{hold_id}/_opheffen"), &privacy, json!({"reden": "Uitspraak onherroepelijk"})).await?)?;
    assert_eq!(count_of(&due(&t, &privacy).await?, "signaal-afgewezen"), 1);

    // An extension keeps it until the day, with a reason; a day in the past is refused.
    let p = post(&t, "/api/v1/verlengingen", &w.manager, json!({"casussen": [rejected], "tot": "01-01-2020", "reden": ""})).await?.assert_problem(422)?;
    let mut n = names(&p);
    n.sort();
    assert_eq!(n, vec!["reden", "tot"]);
    ok(post(&t, "/api/v1/verlengingen", &w.manager, json!({"casussen": [rejected], "tot": "01-09-2027", "reden": "Nieuwe melding over hetzelfde pand"})).await?)?;
    assert_eq!(count_of(&due(&t, &privacy).await?, "signaal-afgewezen"), 0);
    at_months(&t, 12, 0);
    let d = due(&t, &privacy).await?;
    assert_eq!((count_of(&d, "signaal-afgewezen"), count_of(&d, "pre-casus-beeindigd"), count_of(&d, "casus-afgesloten")), (1, 1, 0));
    at_months(&t, 60, 0);
    assert_eq!(count_of(&due(&t, &privacy).await?, "casus-afgesloten"), 1);

    let privacy = t.signed_in_again(&privacy).await?;
    // Through the UI, without JavaScript: a batch decision that misses its reason is shown
    // again with the choice kept; then the hold is placed.
    let form = [("besluit", "bewaarplicht"), ("grond", "onderzoek"), ("reden", ""), ("casussen", &*pre.to_string())];
    let bad = t.form("/bewaartermijnen/te-beoordelen", Some(&privacy), &form, None).await?;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("Beschrijf de bewaarplicht") && bad.body.contains(&format!("value=\"{pre}\" checked")), "{}", bad.body);
    let form = [("besluit", "bewaarplicht"), ("grond", "onderzoek"), ("reden", "Strafrechtelijk onderzoek loopt"), ("casussen", &*pre.to_string())];
    assert_eq!(t.form("/bewaartermijnen/te-beoordelen", Some(&privacy), &form, None).await?.status, 303);
    assert_eq!(count_of(&due(&t, &privacy).await?, "pre-casus-beeindigd"), 0);
    // The operator's dry run lists, and decides nothing.
    let op = t.operator();
    let dry = t.app.retention_due(&op).await?;
    assert_eq!(dry.groups.iter().map(|g| g.total).sum::<i64>(), 2);
    assert!(!dry.can_decide);
    assert!(t
        .app
        .destroy_cases(&op, &knooppunt_app::retention::DestroyInput { cases: vec![rejected], signals: vec![], approaches: vec![], items: vec![], support: vec![], confirmed: true })
        .await
        .is_err());
    // The daily check runs once a day across nodes and is audited.
    assert!(t.app.retention_check_if_due().await?.is_some());
    assert!(t.app.retention_check_if_due().await?.is_none());
    assert_eq!(t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'bewaartermijnen-gecontroleerd'").await?, 1);
    // The auditor reads the line in words, not codes (found by the e2e code scan).
    let detail = t.strings("SELECT detail FROM audit_log WHERE action = 'bewaartermijnen-gecontroleerd'").await?.join("");
    assert!(detail.contains("Signaal afgewezen: ") && !detail.contains("signaal-afgewezen"), "{detail}");
    Ok(())
}
db_test!(cases_become_due_when_their_rule_says_and_holds_and_extensions_keep_them);

/// The planted values: every one must be gone from every table after destruction.
/// (The BSN is also in the Limburg case, which keeps it: checked separately.)
const PLANTED: &[&str] = &["Zwanenburgh", "Quirijntje", "NL91ABNA0417164300", "Plantagehof", "Vossenkuil Holding", "XK-482-P", "PLANTGEHEIM"];

/// Every (table, column) holding one of `needles`, on either backend: text columns compared
/// as text, binary columns (attachments) byte for byte.
async fn traces(t: &TestApp, needles: &[&str]) -> Result<Vec<String>> {
    let postgres = t.app.db().backend().name() == "postgres";
    let columns = if postgres {
        t.strings("SELECT table_name || '.' || column_name || '.' || data_type FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY 1").await?
    } else {
        t.strings("SELECT m.name || '.' || p.name || '.' || LOWER(p.type) FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY 1").await?
    };
    let mut found = Vec::new();
    for c in columns {
        let mut parts = c.splitn(3, '.');
        let (table, column, kind) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        if table.starts_with("_sqlx") || table.starts_with("sqlite_") {
            continue;
        }
        for needle in needles {
            let sql = if kind == "bytea" {
                format!("SELECT COUNT(*) FROM {table} WHERE position(convert_to('{needle}', 'UTF8') in \"{column}\") > 0")
            } else if kind == "blob" {
                format!("SELECT COUNT(*) FROM {table} WHERE instr(\"{column}\", CAST('{needle}' AS BLOB)) > 0")
            } else {
                format!("SELECT COUNT(*) FROM {table} WHERE CAST(\"{column}\" AS TEXT) LIKE '%{needle}%'")
            };
            if t.count(&sql).await? > 0 {
                found.push(format!("{table}.{column}: {needle}"));
            }
        }
    }
    Ok(found)
}

/// What the figures count: cases per phase and region, interventions per type and status with
/// their amounts, participants, phenomena, requests and advice versions.
async fn figures(t: &TestApp) -> Result<Vec<String>> {
    let mut out = t.strings("SELECT phase || ':' || CAST(region_id AS TEXT) || ':' || CAST(COUNT(*) AS TEXT) FROM cases GROUP BY phase, region_id ORDER BY 1").await?;
    out.extend(
        t.strings(
            "SELECT CAST(type_id AS TEXT) || ':' || status || ':' || CAST(COUNT(*) AS TEXT) || ':' || CAST(COALESCE(SUM(collected_cents), 0) AS TEXT) \
             FROM interventions GROUP BY type_id, status ORDER BY 1",
        )
        .await?,
    );
    for table in ["case_participants", "case_phenomena", "information_requests", "request_recipients", "advice_versions", "meetings", "case_events"] {
        out.push(format!("{table}:{}", t.count(&format!("SELECT COUNT(*) FROM {table}")).await?));
    }
    Ok(out)
}

async fn destruction_leaves_no_trace_of_the_person_and_keeps_the_figures(mut t: TestApp) -> Result<()> {
    use crate::signals::upload;
    let w = world(&mut t).await?;
    let privacy = t.actor(Role::PrivacyOfficer).await?;
    let limburg = t.actor_in_region("analist2.limburg", "RIEC-bureau Limburg", Role::RiecAnalyst, "limburg").await?;
    let id = open_case(&mut t, &w).await?;
    let case = format!("/api/v1/casussen/{id}");
    let belasting = t.organisation("Belastingdienst").await?;
    // The person, a company at the same address, a car and an account, related.
    let person = json!({"soort": "persoon", "voornamen": "Quirijntje", "geslachtsnaam": "Zwanenburgh", "bsn": "111222333", "geboortedatum": "1981-04-12",
        "straat": "Plantagehof", "postcode": "5611 AB", "huisnummer": "7", "plaats": "Eindhoven"});
    let p = ok(post(&t, &format!("{case}/betrokkenen"), &w.analist, person.clone()).await?)?;
    let c = ok(post(&t, &format!("{case}/betrokkenen"), &w.analist, json!({"soort": "rechtspersoon", "handelsnaam": "Vossenkuil Holding", "rechtsvorm": "B.V.", "kvk": "12345678", "straat": "Plantagehof", "postcode": "5611 AB", "huisnummer": "7"})).await?)?;
    ok(post(&t, &format!("{case}/betrokkenen"), &w.analist, json!({"soort": "voertuig", "kenteken": "XK-482-P"})).await?)?;
    ok(post(&t, &format!("{case}/betrokkenen"), &w.analist, json!({"soort": "rekening", "iban": "NL91ABNA0417164300"})).await?)?;
    ok(post(&t, &format!("{case}/relaties"), &w.analist, json!({"van": p["id"], "naar": c["id"], "soort": "bestuurder-van"})).await?)?;
    // An item with an attachment, a request, advice, an intervention with an amount, a meeting.
    let item = json!({"titel": "Rapportage Zwanenburgh", "inhoud": "Zwanenburgh rijdt in de XK-482-P. PLANTGEHEIM", "grondslag": "wpg-20", "doel": "integrale-aanpak", "betrouwbaarheid": "betrouwbaar", "rubricering": "vertrouwelijk"});
    let item = ok(post(&t, &format!("{case}/informatiebijdragen"), &w.politie, item).await?)?;
    let iid = item["id"].as_i64().unwrap_or(0);
    ok(upload(
        &t,
        &format!("{case}/informatiebijdragen/{iid}/bijlagen"),
        Some(&w.politie.token),
        None,
        None,
        "zwanenburgh.txt",
        b"Verslag over Quirijntje Zwanenburgh, PLANTGEHEIM.",
    )
    .await?)?;
    ok(post(&t, &format!("{case}/uitvragen"), &w.analist, json!({"vragen": "Wat weet u van Zwanenburgh?", "termijn": "2026-12-12", "partners": [belasting]})).await?)?;
    ok(post(&t, &format!("{case}/adviezen"), &w.analist, json!({"bevindingen": "Zwanenburgh is bestuurder van Vossenkuil Holding.", "voorstellen": "Bibob bij Plantagehof 7."}))
        .await?)?;
    let v = ok(post(&t, &format!("{case}/interventies"), &w.analist, json!({"soort": "fiscaal", "partnerId": belasting, "bevoegdheid": "AWR art. 47"})).await?)?;
    let v = &v["interventies"][0];
    let vpath = format!("{case}/interventies/{}", v["id"].as_i64().unwrap_or(0));
    let v = ok(t.api(Method::PATCH, &vpath, Some(&w.belasting.token), Some(json!({"status": "toegezegd", "versie": v["versie"]}))).await?)?;
    let v = &v["interventies"][0];
    let done = json!({"status": "afgerond", "geind": "12.500,00", "besluit": "Aanslag aan Zwanenburgh opgelegd", "einddatum": "2026-11-28", "versie": v["versie"]});
    ok(t.api(Method::PATCH, &vpath, Some(&w.belasting.token), Some(done)).await?)?;
    ok(post(&t, &format!("{case}/overleggen"), &w.analist, json!({"aanwezigen": "RIEC, Quirijntje Zwanenburgh (advocaat)", "agenda": "Zwanenburgh", "besluiten": "PLANTGEHEIM"}))
        .await?)?;
    // The same person in a Limburg case: a hit between the regions.
    let (other, _) = case_in(&t, &limburg, "GM0935", "Horeca in Maastricht").await?;
    ok(post(&t, &format!("/api/v1/casussen/{other}/betrokkenen"), &limburg, json!({"soort": "persoon", "voornamen": "Henk", "geslachtsnaam": "Anders", "bsn": "111222333"}))
        .await?)?;
    assert!(t.app.process_match_queue().await?.new_hits >= 1);
    step(&t, &w.analist, id, "afsluiten", "Aanpak van Zwanenburgh afgerond; PLANTGEHEIM.").await?;
    assert!(!traces(&t, PLANTED).await?.is_empty(), "the scanner finds what was planted");
    let before = figures(&t).await?;

    // Not due yet: refused, nothing changed. Due: confirmation is required.
    post(&t, "/api/v1/vernietigingen", &privacy, json!({"casussen": [id], "bevestigd": true})).await?.assert_problem(422)?;
    at_months(&t, 61, 0);
    let p = post(&t, "/api/v1/vernietigingen", &privacy, json!({"casussen": [id]})).await?.assert_problem(422)?;
    assert_eq!(names(&p), vec!["bevestigd"]);
    post(&t, "/api/v1/vernietigingen", &w.analist, json!({"casussen": [id], "bevestigd": true})).await?.assert_problem(403)?;
    assert_eq!(ok(post(&t, "/api/v1/vernietigingen", &privacy, json!({"casussen": [id], "bevestigd": true})).await?)?["aantal"], 1);

    // No trace of the person in any table, index, attachment or encoding.
    assert_eq!(traces(&t, PLANTED).await?, Vec::<String>::new());
    assert_eq!(t.count(&format!("SELECT COUNT(*) FROM subjects WHERE case_id = {id}")).await?, 0);
    assert_eq!(t.count(&format!("SELECT COUNT(*) FROM subjects WHERE bsn = '111222333' AND case_id <> {other}")).await?, 0);
    assert_eq!(t.count(&format!("SELECT COUNT(*) FROM subject_match_keys WHERE subject_id NOT IN (SELECT id FROM subjects WHERE case_id = {other})")).await?, 0);
    assert_eq!(t.count("SELECT COUNT(*) FROM treffers").await?, 0, "the hit on the other side was about the destroyed subject too");
    // The figures are unchanged (the history gained its one line: "vernietigd").
    let expected: Vec<String> = before
        .iter()
        .map(|s| match s.strip_prefix("case_events:") {
            Some(n) => format!("case_events:{}", n.parse::<i64>().unwrap_or(0) + 1),
            None => s.clone(),
        })
        .collect();
    assert_eq!(figures(&t).await?, expected);
    // The destruction record: what, how many, which rule, who — no personal data, no reference.
    let v = ok(get(&t, "/api/v1/bewaartermijnen/_verstreken", &privacy).await?)?;
    let r = &v["vernietigingen"][0];
    assert_eq!(
        (r["regel"].as_str(), r["dossiers"].as_i64(), r["betrokkenen"].as_i64(), r["informatiebijdragen"].as_i64(), r["bijlagen"].as_i64()),
        (Some("casus-afgesloten"), Some(1), Some(4), Some(1), Some(1))
    );
    assert!(r["besloten"].as_str().is_some_and(|by| by.contains(&privacy.username)), "{r}");
    assert!(!r.to_string().contains("CAS-"), "{r}");
    assert_eq!(t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'casus-vernietigd'").await?, 1);
    // The case remains as a shell the team still sees in the list, without contents.
    let c = ok(get(&t, &case, &w.analist).await?)?;
    assert_eq!(c["titel"], "Vernietigd dossier");
    assert_eq!(c["betrokkenen"].as_array().map(Vec::len).unwrap_or(0), 0);
    // Destroying twice is refused (it is no longer there to destroy).
    post(&t, "/api/v1/vernietigingen", &privacy, json!({"casussen": [id], "bevestigd": true})).await?.assert_problem(422)?;
    // The page shows the record.
    let privacy = t.signed_in_again(&privacy).await?;
    let page = t.page("/bewaartermijnen/te-beoordelen", Some(&privacy)).await?.body;
    assert!(page.contains("1 dossier: 4 betrokkenen, 1 informatiebijdrage, 1 bijlage"), "{page}");
    let _ = person;
    Ok(())
}
db_test!(destruction_leaves_no_trace_of_the_person_and_keeps_the_figures);

async fn the_register_of_processing_activities_follows_the_configuration(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    let privacy = t.actor(Role::PrivacyOfficer).await?;
    let auditor = t.actor(Role::Auditor).await?;
    let r = ok(get(&t, "/api/v1/verwerkingsregister", &privacy).await?)?;
    let activities = t.count("SELECT COUNT(*) FROM processing_activities").await?;
    let entries = r["verwerkingen"].as_array().cloned().unwrap_or_default();
    assert_eq!(entries.len() as i64, activities);
    // Every field art. 30 asks for is filled in, for every activity.
    for e in &entries {
        for field in ["verwerkingsverantwoordelijken", "doel", "grondslag", "betrokkenen", "persoonsgegevens", "ontvangers", "doorgifte", "bewaartermijn", "beveiliging"] {
            assert!(e[field].as_str().is_some_and(|v| v.len() > 10), "{field} of {}: {e}", e["code"]);
        }
    }
    let case = |r: &Value| r["verwerkingen"].as_array().into_iter().flatten().find(|e| e["code"] == "casusdossier-inzien").cloned().unwrap_or_default();
    let before = case(&r);
    assert!(before["bewaartermijn"].as_str().is_some_and(|b| b.contains("Signaal afgewezen: 6 maanden, daarna vernietigen (standaardtermijn, nog niet bevestigd)")), "{before}");
    assert!(before["verwerkingsverantwoordelijken"].as_str().is_some_and(|v| v.contains("art. 26 AVG")), "{before}");
    assert!(before["ontvangers"].as_str().is_some_and(|v| v.contains("Belastingdienst")), "{before}");
    assert!(r["partners"].as_array().into_iter().flatten().any(|p| p["partnertype"] == "Gemeente" && p["organisaties"].as_i64().unwrap_or(0) > 300), "{}", r["partners"]);
    // A confirmed rule changes the register without anyone typing it twice.
    let change = json!({"termijn": 3, "actie": "vernietigen", "bron": "Privacyprotocol, art. 9", "versie": 1});
    ok(t.api(Method::PATCH, "/api/v1/bewaartermijnen/signaal-afgewezen", Some(&privacy.token), Some(change)).await?)?;
    let after = case(&ok(get(&t, "/api/v1/verwerkingsregister", &auditor).await?)?);
    assert!(after["bewaartermijn"].as_str().is_some_and(|b| b.contains("Signaal afgewezen: 3 maanden, daarna vernietigen;")), "{after}");
    // The privacy officer and the auditor; nobody else.
    for who in [&w.analist, &w.manager, &w.gemeente, &w.liec] {
        get(&t, "/api/v1/verwerkingsregister", who).await?.assert_problem(403)?;
        assert_eq!(t.page("/verwerkingsregister", Some(who)).await?.status, 403);
    }
    // The page and the CSV, with the same content.
    let page = t.page("/verwerkingsregister", Some(&privacy)).await?;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Register van verwerkingsactiviteiten") && page.body.contains("Inzien van een casusdossier") && page.body.contains("3 maanden"), "{}", page.body);
    let csv = t.page("/verwerkingsregister.csv", Some(&privacy)).await?;
    assert_eq!(csv.status, 200);
    assert!(csv.body.starts_with("verwerking;verwerkingsverantwoordelijken;doel;grondslag;"), "{}", csv.body);
    assert!(csv.body.lines().count() as i64 > activities, "{}", csv.body);
    assert!(t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'verwerkingsregister-bekeken'").await? >= 4);
    Ok(())
}
db_test!(the_register_of_processing_activities_follows_the_configuration);

/// What the figures of the signal desk count: signals per state, ministries, phenomena, steps.
async fn signal_figures(t: &TestApp) -> Result<Vec<String>> {
    let mut out = t.strings("SELECT reference || ':' || state FROM policy_signals ORDER BY 1").await?;
    for table in ["policy_signal_ministries", "policy_signal_phenomena", "policy_signal_events"] {
        out.push(format!("{table}:{}", t.count(&format!("SELECT COUNT(*) FROM {table}")).await?));
    }
    Ok(out)
}

/// The national desk's administrative signals have their own rule: a signal that was not
/// accepted (or closed, or merged) becomes due when the period has passed since; a hold keeps
/// it; only the privacy officer (a national scope) sees and decides them, a RIEC manager does
/// not; destruction removes the texts, messages and attachments from every table and keeps what
/// the figures count (reference, state, dates, ministries, phenomena, steps).
async fn a_desk_signal_is_due_after_its_period_and_destruction_removes_its_texts(mut t: TestApp) -> Result<()> {
    use crate::signals::{signal_body, signal_in_state, upload};
    use knooppunt_domain::policy_signal::SignalState;
    let agent = t.actor_in("agent.loket", "Nationale Politie", Role::PartnerEmployee).await?;
    let desk = t.actor(Role::SignalDeskOfficer).await?;
    let privacy = t.actor(Role::PrivacyOfficer).await?;
    let manager = t.actor(Role::RiecManager).await?;
    let id = signal_in_state(&t, &agent, &desk, SignalState::Draft, signal_body("Markering LOKETGEHEIM in de tekst.")).await?;
    let pdf = b"%PDF-1.7\n% LOKETBIJLAGE\n1 0 obj<<>>endobj\n%%EOF";
    assert_eq!(upload(&t, &format!("/api/v1/bestuurlijke-signalen/{id}/bijlagen"), Some(&agent.token), None, None, "notitie.pdf", pdf).await?.status, 200);
    for (step, who) in [("indienen", &agent), ("beoordelen", &desk), ("niet-aanvaarden", &desk)] {
        if step == "niet-aanvaarden" {
            ok(post(&t, &format!("/api/v1/bestuurlijke-signalen/{id}/berichten"), &agent, json!({"bericht": "Bericht met LOKETBERICHT erin."})).await?)?;
        }
        ok(post(&t, &format!("/api/v1/bestuurlijke-signalen/{id}/_stappen"), who, json!({"stap": step, "toelichting": "Valt buiten LOKETREDEN het loket."})).await?)?;
    }
    let planted = ["LOKETGEHEIM", "LOKETBIJLAGE", "LOKETBERICHT", "LOKETREDEN", "GEHEIME-BRON-Onderzoek-Zandloper", "Contactpersoon-Xyzzy"];
    assert!(traces(&t, &planted).await?.len() >= planted.len(), "the scanner finds what was planted");
    let before = signal_figures(&t).await?;

    // Not due the day before the period (60 months) has passed; due on the day.
    let due_signals = |d: &[(String, i64)]| count_of(d, "bestuurlijk-signaal-afgesloten");
    at_months(&t, 60, -86_400_000);
    let privacy = t.signed_in_again(&privacy).await?;
    assert_eq!(due_signals(&due(&t, &privacy).await?), 0);
    at_months(&t, 60, 3_600_000);
    assert_eq!(due_signals(&due(&t, &privacy).await?), 1);
    // A RIEC manager's scope holds no desk signals: no group, and a decision is refused.
    assert_eq!(due_signals(&due(&t, &manager).await?), -1);
    let p = post(&t, "/api/v1/bewaarplichten", &manager, json!({"signalen": [id], "grond": "rechtszaak", "reden": "Zaak 123"})).await?.assert_problem(422)?;
    assert_eq!(names(&p), vec!["signalen"]);

    // A hold keeps it; lifted, it is due again.
    ok(post(&t, "/api/v1/bewaarplichten", &privacy, json!({"signalen": [id], "grond": "rechtszaak", "reden": "Beroep bij de rechtbank"})).await?)?;
    assert_eq!(due_signals(&due(&t, &privacy).await?), 0);
    let p = post(&t, "/api/v1/vernietigingen", &privacy, json!({"signalen": [id], "bevestigd": true})).await?.assert_problem(422)?;
    assert_eq!(names(&p), vec!["signalen"]);
    let v = ok(get(&t, "/api/v1/bewaartermijnen/_verstreken", &privacy).await?)?;
    let hold = v["bewaarplichten"].as_array().and_then(|h| h.iter().find(|h| h["objectsoort"] == "bestuurlijk-signaal")).cloned().unwrap_or_default();
    ok(post(&t, &format!("/api/v1/bewaarplichten/{}/_opheffen", hold["id"]), &privacy, json!({"reden": "Uitspraak gedaan"})).await?)?;
    assert_eq!(due_signals(&due(&t, &privacy).await?), 1);

    // The due page offers it under its own rule, with its own field.
    let privacy = t.signed_in_again(&privacy).await?;
    let page = t.page("/bewaartermijnen/te-beoordelen", Some(&privacy)).await?.body;
    assert!(page.contains(&format!("name=\"signalen\" value=\"{id}\"")), "{page}");

    // Destruction: nothing planted remains anywhere; the figures are unchanged; a record.
    assert_eq!(ok(post(&t, "/api/v1/vernietigingen", &privacy, json!({"signalen": [id], "bevestigd": true})).await?)?["aantal"], 1);
    assert_eq!(traces(&t, &planted).await?, Vec::<String>::new());
    assert_eq!(signal_figures(&t).await?, before);
    let v = ok(get(&t, "/api/v1/bewaartermijnen/_verstreken", &privacy).await?)?;
    let r = &v["vernietigingen"][0];
    assert_eq!(
        (r["objectsoort"].as_str(), r["dossiers"].as_i64(), r["informatiebijdragen"].as_i64(), r["bijlagen"].as_i64()),
        (Some("bestuurlijk-signaal"), Some(1), Some(1), Some(1)),
        "{r}"
    );
    assert_eq!(due_signals(&due(&t, &privacy).await?), 0);
    post(&t, "/api/v1/vernietigingen", &privacy, json!({"signalen": [id], "bevestigd": true})).await?.assert_problem(422)?;
    assert_eq!(t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'bestuurlijk-signaal-vernietigd'").await?, 1);
    Ok(())
}
db_test!(a_desk_signal_is_due_after_its_period_and_destruction_removes_its_texts);

/// A national approach that ended falls under its own rule from the moment it ended (a
/// reopened approach is not due); only the privacy officer decides; destruction empties its
/// texts and keeps its status, cases, participants and actions as counts and states.
async fn an_ended_national_approach_is_due_after_its_period_and_destruction_empties_its_texts(mut t: TestApp) -> Result<()> {
    let liec = t.actor(Role::LiecCoordinator).await?;
    let privacy = t.actor(Role::PrivacyOfficer).await?;
    let manager = t.actor(Role::RiecManager).await?;
    let a = made(post(&t, "/api/v1/landelijke-aanpakken", &liec, json!({"titel": "Aanpak AANPAKTITEL", "omschrijving": "Rond de AANPAKOMSCHRIJVING."})).await?)?;
    let id = a["id"].as_i64().ok_or_else(|| anyhow!("no id"))?;
    let base = format!("/api/v1/landelijke-aanpakken/{id}");
    made(post(&t, &format!("{base}/acties"), &liec, json!({"titel": "Toetsen bij AANPAKACTIE", "eigenaar": "Gemeente Rotterdam", "deadline": "2027-03-01"})).await?)?;
    let progress = |status: &str, version: i64| json!({"voortgang": "Stand: AANPAKVOORTGANG.", "status": status, "versie": version});
    let version = ok(get(&t, &base, &liec).await?)?["versie"].as_i64().unwrap_or(0);
    let v = ok(post(&t, &format!("{base}/_voortgang"), &liec, progress("afgerond", version)).await?)?;
    let planted = ["AANPAKTITEL", "AANPAKOMSCHRIJVING", "AANPAKACTIE", "AANPAKVOORTGANG"];
    assert!(traces(&t, &planted).await?.len() >= planted.len());
    let figures = || t.strings("SELECT status || ':' || CAST((SELECT COUNT(*) FROM national_approach_actions x WHERE x.approach_id = a.id) AS TEXT) FROM national_approaches a");
    let before = figures().await?;
    let due_approaches = |d: &[(String, i64)]| count_of(d, "landelijke-aanpak-afgerond");

    // Reopened and finished again later: the period runs from the last end.
    let v = ok(post(&t, &format!("{base}/_voortgang"), &liec, progress("lopend", v["versie"].as_i64().unwrap_or(0))).await?)?;
    at_months(&t, 1, 0);
    let liec = t.signed_in_again(&liec).await?;
    ok(post(&t, &format!("{base}/_voortgang"), &liec, progress("afgerond", v["versie"].as_i64().unwrap_or(0))).await?)?;
    at_months(&t, 61, -86_400_000);
    assert_eq!(due_approaches(&due(&t, &privacy).await?), 0, "sixty months from the last end, not the first");
    at_months(&t, 61, 3_600_000);
    assert_eq!(due_approaches(&due(&t, &privacy).await?), 1);
    assert_eq!(due_approaches(&due(&t, &manager).await?), -1, "a RIEC manager's scope holds no national approaches");
    let p = post(&t, "/api/v1/vernietigingen", &manager, json!({"aanpakken": [id], "bevestigd": true})).await?.assert_problem(422)?;
    assert_eq!(names(&p), vec!["aanpakken"]);

    // Extended, it is not due; destruction then refused.
    ok(post(&t, "/api/v1/verlengingen", &privacy, json!({"aanpakken": [id], "tot": "2032-06-01", "reden": "Evaluatie loopt"})).await?)?;
    assert_eq!(due_approaches(&due(&t, &privacy).await?), 0);
    post(&t, "/api/v1/vernietigingen", &privacy, json!({"aanpakken": [id], "bevestigd": true})).await?.assert_problem(422)?;
    at_months(&t, 80, 0);
    assert_eq!(due_approaches(&due(&t, &privacy).await?), 1, "due again when the extension ended");

    assert_eq!(ok(post(&t, "/api/v1/vernietigingen", &privacy, json!({"aanpakken": [id], "bevestigd": true})).await?)?["aantal"], 1);
    assert_eq!(traces(&t, &planted).await?, Vec::<String>::new());
    assert_eq!(figures().await?, before);
    let v = ok(get(&t, "/api/v1/bewaartermijnen/_verstreken", &privacy).await?)?;
    let r = &v["vernietigingen"][0];
    assert_eq!((r["objectsoort"].as_str(), r["dossiers"].as_i64(), r["informatiebijdragen"].as_i64()), (Some("landelijke-aanpak"), Some(1), Some(1)), "{r}");
    assert_eq!(t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'landelijke-aanpak-vernietigd'").await?, 1);
    Ok(())
}
db_test!(an_ended_national_approach_is_due_after_its_period_and_destruction_empties_its_texts);

/// An item its supplier withdraws: only the supplier may, with a reason; every release ends at
/// once and nobody changes or releases it again; it falls under its own rule from the moment
/// it was withdrawn, in its case's region (the region's manager decides, another region's does
/// not see it); a hold blocks; destruction removes its texts and attachments, keeps a tombstone
/// and the figures, and writes a destruction record.
async fn a_withdrawn_item_ends_its_releases_and_is_destroyed_after_its_period(mut t: TestApp) -> Result<()> {
    use crate::signals::upload;
    let w = world(&mut t).await?;
    let privacy = t.actor(Role::PrivacyOfficer).await?;
    let limburg = t.actor_in_region("manager.limburg", "RIEC-bureau Limburg", Role::RiecManager, "limburg").await?;
    let id = open_case(&mut t, &w).await?;
    let case = format!("/api/v1/casussen/{id}");
    let belasting = t.organisation("Belastingdienst").await?;
    let body = json!({"titel": "Rapport INTREKTITEL", "inhoud": "Waarneming INTREKINHOUD.", "grondslag": "wpg-20", "doel": "integrale-aanpak",
        "betrouwbaarheid": "betrouwbaar", "rubricering": "vertrouwelijk", "voorwaarden": "Niet verder INTREKVOORWAARDE"});
    let item = ok(post(&t, &format!("{case}/informatiebijdragen"), &w.politie, body.clone()).await?)?;
    let iid = item["id"].as_i64().ok_or_else(|| anyhow!("no item id"))?;
    let path = format!("{case}/informatiebijdragen/{iid}");
    let file = b"Verslag van de waarneming, INTREKBIJLAGE.";
    let r = upload(&t, &format!("{path}/bijlagen"), Some(&w.politie.token), None, None, "rapport.txt", file).await?;
    assert_eq!(r.status, 200, "{}", r.body);
    ok(post(&t, &format!("{path}/vrijgaven"), &w.politie, json!({"organisatieId": belasting})).await?)?;
    ok(get(&t, &path, &w.belasting).await?)?;
    let planted = ["INTREKTITEL", "INTREKINHOUD", "INTREKVOORWAARDE", "INTREKBIJLAGE", "INTREKREDEN"];

    // Only the supplier withdraws, and says why.
    post(&t, &format!("{path}/_intrekken"), &w.belasting, json!({"reden": "Niet van ons"})).await?.assert_problem(403)?;
    post(&t, &format!("{path}/_intrekken"), &w.analist, json!({"reden": "Niet van ons"})).await?.assert_problem(403)?;
    let p = post(&t, &format!("{path}/_intrekken"), &w.politie, json!({"reden": "  "})).await?.assert_problem(422)?;
    assert_eq!(names(&p), vec!["reden"]);
    assert!(ok(get(&t, &path, &w.analist).await?)?["ingetrokkenOp"].is_null(), "a refused withdrawal changes nothing");
    let d = ok(post(&t, &format!("{path}/_intrekken"), &w.politie, json!({"reden": "Grondslag INTREKREDEN vervallen"})).await?)?;
    assert!(d["ingetrokkenOp"].is_string(), "{d}");
    assert!(d["vrijgaven"][0]["ingetrokkenOp"].is_string(), "every release ends: {d}");
    assert_eq!(d["vrijgegevenAan"], json!([]));
    get(&t, &path, &w.belasting).await?.assert_problem(404)?;
    assert_eq!(ok(get(&t, &case, &w.belasting).await?)?["informatiebijdragen"], json!([]));
    let seen = ok(get(&t, &path, &w.analist).await?)?;
    assert!(seen["redenIntrekking"].as_str().is_some_and(|r| r.contains("INTREKREDEN")), "the team sees why: {seen}");
    let page = t.page(&format!("/casussen/{id}/informatie/{iid}"), Some(&w.analist)).await?;
    assert!(page.body.contains("heeft deze bijdrage op") && page.body.contains("Gebruik de informatie niet meer"), "{}", page.body);
    let history = t.page(&format!("/casussen/{id}"), Some(&w.belasting)).await?;
    assert!(!history.body.contains("Bijdrage ingetrokken door de leverancier"), "a former recipient is not told about the item");

    // Withdrawn means fixed: no release, change, attachment or second withdrawal.
    post(&t, &format!("{path}/vrijgaven"), &w.politie, json!({"organisatieId": belasting})).await?.assert_problem(409)?;
    let mut edit = body.clone();
    edit["versie"] = ok(get(&t, &path, &w.politie).await?)?["versie"].clone();
    t.api(Method::PATCH, &path, Some(&w.politie.token), Some(edit)).await?.assert_problem(409)?;
    let r = upload(&t, &format!("{path}/bijlagen"), Some(&w.politie.token), None, None, "nog.txt", file).await?;
    assert_eq!(r.status, 409, "{}", r.body);
    post(&t, &format!("{path}/_intrekken"), &w.politie, json!({"reden": "Nogmaals"})).await?.assert_problem(409)?;
    assert!(traces(&t, &planted).await?.len() >= planted.len(), "the scanner finds what is planted");
    let before = figures(&t).await?;

    // Due exactly when its period (three months by default) has passed, in its case's region.
    let due_items = |d: &[(String, i64)]| count_of(d, "informatie-ingetrokken");
    at_months(&t, 3, -3_600_000);
    assert_eq!(due_items(&due(&t, &privacy).await?), 0);
    at_months(&t, 3, 3_600_000);
    assert_eq!(due_items(&due(&t, &privacy).await?), 1);
    assert_eq!(due_items(&due(&t, &w.manager).await?), 1, "the region's manager decides");
    assert_eq!(due_items(&due(&t, &limburg).await?), 0, "another region's manager does not see it");
    let p = post(&t, "/api/v1/vernietigingen", &limburg, json!({"bijdragen": [iid], "bevestigd": true})).await?.assert_problem(422)?;
    assert_eq!(names(&p), vec!["bijdragen"]);

    // A legal hold blocks destruction until it is lifted.
    ok(post(&t, "/api/v1/bewaarplichten", &privacy, json!({"bijdragen": [iid], "grond": "onderzoek", "reden": "Lopend onderzoek"})).await?)?;
    assert_eq!(due_items(&due(&t, &privacy).await?), 0);
    let p = post(&t, "/api/v1/vernietigingen", &w.manager, json!({"bijdragen": [iid], "bevestigd": true})).await?.assert_problem(422)?;
    assert!(p["invalidParams"][0]["reason"].as_str().is_some_and(|r| r.contains("bewaarplicht")), "{p}");
    let v = ok(get(&t, "/api/v1/bewaartermijnen/_verstreken", &w.manager).await?)?;
    let hold = v["bewaarplichten"].as_array().into_iter().flatten().find(|h| h["objectsoort"] == "informatiebijdrage").cloned().unwrap_or_default();
    assert_eq!(hold["casusId"].as_i64(), Some(iid), "{v}");
    let page = t.page("/bewaartermijnen/te-beoordelen", Some(&t.signed_in_again(&w.manager).await?)).await?;
    assert!(page.body.contains(&format!("bijdrage {iid} in")), "{}", page.body);
    ok(post(&t, &format!("/api/v1/bewaarplichten/{}/_opheffen", hold["id"]), &w.manager, json!({"reden": "Onderzoek afgerond"})).await?)?;
    assert_eq!(due_items(&due(&t, &w.manager).await?), 1);

    // Destroyed: no trace of its texts or attachment; a tombstone and the figures stay.
    assert_eq!(ok(post(&t, "/api/v1/vernietigingen", &w.manager, json!({"bijdragen": [iid], "bevestigd": true})).await?)?["aantal"], 1);
    assert_eq!(traces(&t, &planted).await?, Vec::<String>::new());
    assert_eq!(figures(&t).await?, before);
    let gone = ok(get(&t, &path, &w.politie).await?)?;
    assert!(gone["vernietigdOp"].is_string() && gone["inhoud"] == "" && gone["bijlagen"] == json!([]), "{gone}");
    assert_eq!(due_items(&due(&t, &privacy).await?), 0);
    let v = ok(get(&t, "/api/v1/bewaartermijnen/_verstreken", &privacy).await?)?;
    let r = &v["vernietigingen"][0];
    assert_eq!((r["objectsoort"].as_str(), r["dossiers"].as_i64(), r["bijlagen"].as_i64()), (Some("informatiebijdrage"), Some(1), Some(1)), "{r}");
    assert_eq!(t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'informatiebijdrage-vernietigd'").await?, 1);
    Ok(())
}
db_test!(a_withdrawn_item_ends_its_releases_and_is_destroyed_after_its_period);

/// A support request the region closed falls under its own rule from that moment, in the asking
/// region (its manager decides, another region's does not see it); an extension keeps it;
/// destruction removes the question, the messages' texts and the attachments, keeps what the
/// figures count, and writes a destruction record.
async fn a_closed_support_request_is_destroyed_after_its_period(mut t: TestApp) -> Result<()> {
    let liec = t.actor(Role::LiecCoordinator).await?;
    let privacy = t.actor(Role::PrivacyOfficer).await?;
    let jurist = t.actor_in_region("jurist.steun", "RIEC-bureau Rotterdam", Role::RiecLegalAdviser, "rotterdam").await?;
    let manager = t.actor_in_region("manager.steun", "RIEC-bureau Rotterdam", Role::RiecManager, "rotterdam").await?;
    let noord = t.actor_in_region("manager.noord", "RIEC-bureau Noord-Nederland", Role::RiecManager, "noord-nederland").await?;
    let v = made(post(&t, "/api/v1/ondersteuningsvragen", &jurist, json!({"domein": "bibob", "vraag": "Over de heer STEUNVRAAG: mag de burgemeester weigeren?"})).await?)?;
    let id = v["id"].as_i64().ok_or_else(|| anyhow!("no id: {v}"))?;
    let base = format!("/api/v1/ondersteuningsvragen/{id}");
    let r = crate::signals::upload(&t, &format!("{base}/bijlagen"), Some(&jurist.token), None, None, "brief.txt", b"Brief aan STEUNBIJLAGE.").await?;
    assert_eq!(r.status, 201, "{}", r.body);
    let step = |who: Actor, stap: &'static str, tekst: &'static str| {
        let (t, base) = (&t, base.clone());
        async move {
            let v = ok(get(t, &base, &who).await?)?;
            made(post(t, &format!("{base}/_stap"), &who, json!({"stap": stap, "versie": v["versie"], "tekst": tekst})).await?)
        }
    };
    step(liec.clone(), "oppakken", "").await?;
    step(liec.clone(), "beantwoorden", "Ja, als STEUNANTWOORD blijkt.").await?;
    step(jurist.clone(), "sluiten", "").await?;
    let planted = ["STEUNVRAAG", "STEUNBIJLAGE", "STEUNANTWOORD"];
    assert!(traces(&t, &planted).await?.len() >= planted.len());
    let figures = || {
        t.strings("SELECT reference || ':' || domain || ':' || status || ':' || CAST((SELECT COUNT(*) FROM support_messages m WHERE m.request_id = s.id) AS TEXT) FROM support_requests s")
    };
    let before = figures().await?;
    let rule = |d: &[(String, i64)]| count_of(d, "ondersteuningsvraag-gesloten");

    at_months(&t, 24, -86_400_000);
    assert_eq!(rule(&due(&t, &privacy).await?), 0, "not before two years");
    at_months(&t, 24, 3_600_000);
    assert_eq!(rule(&due(&t, &privacy).await?), 1);
    assert_eq!(rule(&due(&t, &manager).await?), 1, "the asking region's manager decides");
    assert_eq!(rule(&due(&t, &noord).await?), 0, "another region's does not see it");
    let p = post(&t, "/api/v1/vernietigingen", &noord, json!({"ondersteuningsvragen": [id], "bevestigd": true})).await?.assert_problem(422)?;
    assert_eq!(names(&p), vec!["ondersteuningsvragen"]);

    // Extended, it is not due and cannot be destroyed; due again when the extension ends.
    ok(post(&t, "/api/v1/verlengingen", &manager, json!({"ondersteuningsvragen": [id], "tot": "2029-06-01", "reden": "Bezwaar loopt nog"})).await?)?;
    assert_eq!(rule(&due(&t, &manager).await?), 0);
    post(&t, "/api/v1/vernietigingen", &manager, json!({"ondersteuningsvragen": [id], "bevestigd": true})).await?.assert_problem(422)?;
    at_months(&t, 32, 0);
    assert_eq!(rule(&due(&t, &manager).await?), 1);

    // The UI lists it under its own rule, with its own field.
    let manager = t.signed_in_again(&manager).await?;
    let jurist = t.signed_in_again(&jurist).await?;
    let page = t.page("/bewaartermijnen/te-beoordelen", Some(&manager)).await?;
    assert!(page.body.contains("Ondersteuningsvraag gesloten") && page.body.contains("name=\"ondersteuningsvragen\""), "{}", page.body);
    let r = t.form("/bewaartermijnen/te-beoordelen", Some(&manager), &[("besluit", "vernietigen"), ("ondersteuningsvragen", &id.to_string()), ("bevestigd", "ja")], None).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(traces(&t, &planted).await?, Vec::<String>::new());
    assert_eq!(figures().await?, before);
    let v = ok(get(&t, "/api/v1/bewaartermijnen/_verstreken", &manager).await?)?;
    let r = &v["vernietigingen"][0];
    assert_eq!((r["objectsoort"].as_str(), r["dossiers"].as_i64(), r["bijlagen"].as_i64()), (Some("ondersteuningsvraag"), Some(1), Some(1)), "{r}");
    assert_eq!(t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'ondersteuningsvraag-vernietigd'").await?, 1);
    let page = t.page(&format!("/ondersteuning/{id}"), Some(&jurist)).await?;
    assert!(page.status == 200 && page.body.contains("Vernietigde ondersteuningsvraag"), "{}", page.body);
    let liec = t.signed_in_again(&liec).await?;
    assert_eq!(get(&t, &format!("{base}/kennisitem-concept"), &liec).await?.status, 409, "a destroyed answer is no question and answer");
    Ok(())
}
db_test!(a_closed_support_request_is_destroyed_after_its_period);
