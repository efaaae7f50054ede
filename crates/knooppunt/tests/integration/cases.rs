//! Case files through the API: the whole process, need-to-know per item, bad input, and the
//! property test that the SQL visibility filter and the policy decision agree.

use anyhow::{anyhow, Result};
use axum::http::Method;
use knooppunt_domain::Role;
use knooppunt_testkit::{db_test, Actor, TestApp, TestResponse};
use serde_json::{json, Value};

pub(crate) const EINDHOVEN: &str = "GM0772";

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

fn version(v: &Value) -> i64 {
    v["versie"].as_i64().unwrap_or(-1)
}

fn names(p: &Value) -> Vec<String> {
    p["invalidParams"].as_array().into_iter().flatten().filter_map(|e| e["name"].as_str().map(String::from)).collect()
}

pub(crate) struct World {
    pub gemeente: Actor,
    pub analist: Actor,
    pub manager: Actor,
    pub politie: Actor,
    pub belasting: Actor,
    pub douane: Actor,
    pub other_region: Actor,
    pub liec: Actor,
    pub politie_limburg: Actor,
}

pub(crate) async fn world(t: &mut TestApp) -> Result<World> {
    Ok(World {
        gemeente: t.actor(Role::PartnerEmployee).await?,
        analist: t.actor(Role::RiecAnalyst).await?,
        manager: t.actor(Role::RiecManager).await?,
        politie: t.actor_in("agent.jansen", "Nationale Politie", Role::PartnerEmployee).await?,
        belasting: t.actor_in("inspecteur.smit", "Belastingdienst", Role::PartnerEmployee).await?,
        douane: t.actor_in("douanier.bos", "Douane", Role::PartnerEmployee).await?,
        other_region: t.actor_in_region("analist.limburg", "RIEC-bureau Limburg", Role::RiecAnalyst, "limburg").await?,
        liec: t.actor(Role::LiecCoordinator).await?,
        politie_limburg: t.actor_in_region("agent.limburg", "Nationale Politie", Role::PartnerEmployee, "limburg").await?,
    })
}

/// Registers a signal and opens a case with the police and the tax office admitted; returns
/// the case id.
pub(crate) async fn open_case(t: &mut TestApp, w: &World) -> Result<i64> {
    let c = ok(post(t, "/api/v1/signalen", &w.gemeente, json!({"titel": "Nagelstudio met veel contant geld", "omschrijving": "Een nagelstudio aan de Markt draait omzet zonder klanten.", "gemeente": EINDHOVEN, "fenomenen": ["witwassen"]})).await?)?;
    let id = c["id"].as_i64().ok_or_else(|| anyhow!("no id"))?;
    let steps = format!("/api/v1/casussen/{id}/_stappen");
    let c = ok(post(t, &steps, &w.analist, json!({"stap": "wegen", "versie": version(&c)})).await?)?;
    let c = ok(post(t, &steps, &w.analist, json!({"stap": "casus-openen", "toelichting": "Past in het convenant: witwassen.", "versie": version(&c)})).await?)?;
    assert_eq!(c["fase"], "casus");
    let politie = t.organisation("Nationale Politie").await?;
    let belasting = t.organisation("Belastingdienst").await?;
    for org in [politie, belasting] {
        ok(post(t, &format!("/api/v1/casussen/{id}/deelnemers"), &w.analist, json!({"organisatieId": org, "reden": "need-to-know: eigen interventiemogelijkheden"})).await?)?;
    }
    Ok(id)
}

/// Six fiscal interventions of the tax office (admitted) in case `case`: five completed with
/// € 1.000 collected each (the first also € 250 seized), one stopped.
pub(crate) async fn six_fiscal_interventions(t: &TestApp, w: &World, case: i64) -> Result<()> {
    let belasting = t.organisation("Belastingdienst").await?;
    let path = format!("/api/v1/casussen/{case}");
    for i in 0..6 {
        let c = ok(t
            .api(Method::POST, &format!("{path}/interventies"), Some(&w.analist.token), Some(json!({"soort": "fiscaal", "partnerId": belasting, "bevoegdheid": "AWR art. 47"})))
            .await?)?;
        let v = c["interventies"].as_array().and_then(|a| a.last()).cloned().ok_or_else(|| anyhow!("no intervention"))?;
        let vpath = format!("{path}/interventies/{}", v["id"]);
        let c = ok(t.api(Method::PATCH, &vpath, Some(&w.belasting.token), Some(json!({"status": "toegezegd", "versie": version(&v)}))).await?)?;
        let v = c["interventies"].as_array().into_iter().flatten().find(|x| x["id"] == v["id"]).cloned().unwrap_or_default();
        let body = match i {
            5 => json!({"status": "gestopt", "redenGestopt": "Onderneming opgeheven.", "versie": version(&v)}),
            0 => json!({"status": "afgerond", "geind": "1.000,00", "beslagen": "250,00", "versie": version(&v)}),
            _ => json!({"status": "afgerond", "geind": "1.000,00", "versie": version(&v)}),
        };
        ok(t.api(Method::PATCH, &vpath, Some(&w.belasting.token), Some(body)).await?)?;
    }
    Ok(())
}

fn item_body(title: &str) -> Value {
    json!({"titel": title, "inhoud": "De eigenaar J. van der Berg rijdt in een auto op naam van de studio.", "grondslag": "wpg-20", "doel": "integrale-aanpak", "betrouwbaarheid": "betrouwbaar", "rubricering": "vertrouwelijk"})
}

async fn the_whole_process_through_the_api(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    let id = open_case(&mut t, &w).await?;
    let case = format!("/api/v1/casussen/{id}");
    let belasting_org = t.organisation("Belastingdienst").await?;
    let politie_org = t.organisation("Nationale Politie").await?;

    // The history on the case page names the steps in Dutch, not by their codes.
    let page = t.page(&format!("/casussen/{id}"), Some(&w.analist)).await?;
    assert!(page.body.contains("Casus openen → Casus"), "{}", page.body);
    assert!(!page.body.contains("casus-openen →") && !page.body.contains("wegen →"), "{}", page.body);

    // The source municipality is a participant; the analyst is case team.
    assert_eq!(ok(get(&t, &case, &w.gemeente).await?)?["toegang"], "deelnemer");
    assert_eq!(ok(get(&t, &case, &w.analist).await?)?["toegang"], "casusteam");

    // The police adds an item: the team and the police see it, the tax office does not.
    let item = ok(post(&t, &format!("{case}/informatiebijdragen"), &w.politie, item_body("Bestuurlijke rapportage")).await?)?;
    let iid = item["id"].as_i64().ok_or_else(|| anyhow!("no item id"))?;
    let item_path = format!("{case}/informatiebijdragen/{iid}");
    ok(get(&t, &item_path, &w.analist).await?)?;
    get(&t, &item_path, &w.belasting).await?.assert_problem(404)?;
    let seen = ok(get(&t, &case, &w.belasting).await?)?;
    assert_eq!(seen["informatiebijdragen"].as_array().map(Vec::len), Some(0));
    // The tax office cannot release what it did not supply.
    post(&t, &format!("{item_path}/vrijgaven"), &w.belasting, json!({"organisatieId": belasting_org})).await?.assert_problem(404)?;
    // The police releases it; now the tax office sees it.
    ok(post(&t, &format!("{item_path}/vrijgaven"), &w.politie, json!({"organisatieId": belasting_org})).await?)?;
    ok(get(&t, &item_path, &w.belasting).await?)?;
    assert_eq!(ok(get(&t, &case, &w.belasting).await?)?["informatiebijdragen"].as_array().map(Vec::len), Some(1));
    // The tax office may not pass it on, and may not withdraw it.
    post(&t, &format!("{item_path}/vrijgaven"), &w.belasting, json!({"organisatieId": politie_org})).await?.assert_problem(403)?;
    // Withdrawal ends access again; a second withdrawal is a conflict.
    ok(post(&t, &format!("{item_path}/vrijgaven/_intrekken"), &w.politie, json!({"organisatieId": belasting_org})).await?)?;
    get(&t, &item_path, &w.belasting).await?.assert_problem(404)?;
    post(&t, &format!("{item_path}/vrijgaven/_intrekken"), &w.politie, json!({"organisatieId": belasting_org})).await?.assert_problem(409)?;
    ok(post(&t, &format!("{item_path}/vrijgaven"), &w.politie, json!({"organisatieId": belasting_org})).await?)?;

    // Two edits of the same version: the second is a conflict, no lost update.
    let mut edit = item_body("Bestuurlijke rapportage (aangevuld)");
    edit["versie"] = json!(version(&item));
    ok(t.api(Method::PATCH, &item_path, Some(&w.politie.token), Some(edit.clone())).await?)?;
    t.api(Method::PATCH, &item_path, Some(&w.politie.token), Some(edit)).await?.assert_problem(409)?;

    // Subjects: validated identifiers, all errors listed; duplicates are offered.
    let p = post(&t, &format!("{case}/betrokkenen"), &w.analist, json!({"soort": "persoon", "geslachtsnaam": "Berg", "bsn": "123456789", "geboortedatum": "1984-02-30"}))
        .await?
        .assert_problem(422)?;
    let n = names(&p);
    assert!(n.contains(&"bsn".to_string()) && n.contains(&"geboortedatum".to_string()), "{n:?}");
    post(&t, &format!("{case}/betrokkenen"), &w.analist, json!({"soort": "adres", "postcode": "0123 AB", "huisnummer": "12"})).await?.assert_problem(422)?;
    post(&t, &format!("{case}/betrokkenen"), &w.analist, json!({"soort": "rekening", "iban": "NL91ABNA0417164301"})).await?.assert_problem(422)?;
    let person = ok(post(
        &t,
        &format!("{case}/betrokkenen"),
        &w.analist,
        json!({"soort": "persoon", "voornamen": "Johannes", "voorvoegsel": "van der", "geslachtsnaam": "Berg", "bsn": "111222333", "geboortedatum": "1971-05-04"}),
    )
    .await?)?;
    assert_eq!(person["naam"], "Johannes van der Berg");
    let dup = post(&t, &format!("{case}/betrokkenen"), &w.politie, json!({"soort": "persoon", "voornamen": "Johannes", "voorvoegsel": "van der", "geslachtsnaam": "Berg"}))
        .await?
        .assert_problem(409)?;
    assert!(dup["detail"].as_str().is_some_and(|d| d.contains("Johannes van der Berg")), "{dup}");
    let company =
        ok(post(&t, &format!("{case}/betrokkenen"), &w.analist, json!({"soort": "rechtspersoon", "handelsnaam": "Nagelstudio Glans", "rechtsvorm": "B.V.", "kvk": "12345678"}))
            .await?)?;
    let rel = post(&t, &format!("{case}/relaties"), &w.analist, json!({"van": person["id"], "naar": company["id"], "soort": "bestuurder-van", "vanaf": "2020-01-01"})).await?;
    assert_eq!(ok(rel)?["relaties"].as_array().map(Vec::len), Some(1));

    // Subject search: in scope for the team and participants, nothing for other regions.
    let hits = ok(post(&t, "/api/v1/betrokkenen/_zoek", &w.analist, json!({"zoekterm": "Jan van der Berg"})).await?)?["resultaten"].clone();
    assert_eq!(hits.as_array().map(Vec::len), Some(1), "a name in natural order finds the surname: {hits}");
    let hits = ok(post(&t, "/api/v1/betrokkenen/_zoek", &w.analist, json!({"zoekterm": "Berg"})).await?)?["resultaten"].clone();
    assert_eq!(hits.as_array().map(Vec::len), Some(1), "{hits}");
    let hits = ok(post(&t, "/api/v1/betrokkenen/_zoek", &w.belasting, json!({"zoekterm": "111222333"})).await?)?["resultaten"].clone();
    assert_eq!(hits.as_array().map(Vec::len), Some(1), "{hits}");
    for outsider in [&w.other_region, &w.douane, &w.liec, &w.politie_limburg] {
        let hits = ok(post(&t, "/api/v1/betrokkenen/_zoek", outsider, json!({"zoekterm": "Berg"})).await?)?["resultaten"].clone();
        assert!(hits.as_array().is_some_and(|h| h.is_empty()), "{} sees {hits}", outsider.username);
    }
    post(&t, "/api/v1/betrokkenen/_zoek", &w.analist, json!({"zoekterm": "B"})).await?.assert_problem(422)?;

    // An information request, answered by the tax office; the police declines with a reason.
    let deadline = "2026-12-12";
    let c = ok(post(
        &t,
        &format!("{case}/uitvragen"),
        &w.analist,
        json!({"vragen": "Welke aangiften en aanslagen zijn er?", "termijn": deadline, "partners": [belasting_org, politie_org]}),
    )
    .await?)?;
    let rid = c["uitvragen"][0]["id"].as_i64().ok_or_else(|| anyhow!("no request"))?;
    let settle = format!("{case}/uitvragen/{rid}/_afhandelen");
    let mut answer = item_body("Fiscale gegevens");
    answer["grondslag"] = json!("awr-43c");
    let c = ok(post(&t, &settle, &w.belasting, json!({"antwoord": answer})).await?)?;
    assert_eq!(c["uitvragen"][0]["partners"].as_array().map(Vec::len), Some(1), "a partner sees only its own line");
    assert_eq!(c["uitvragen"][0]["partners"][0]["status"], "beantwoord");
    post(&t, &settle, &w.belasting, json!({"reden": "nogmaals"})).await?.assert_problem(409)?;
    post(&t, &settle, &w.politie, json!({})).await?.assert_problem(422)?;
    ok(post(&t, &settle, &w.politie, json!({"reden": "Lopend strafrechtelijk onderzoek."})).await?)?;
    post(&t, &settle, &w.douane, json!({"reden": "x"})).await?.assert_problem(404)?;
    // The answer is the tax office's item: the police does not see it.
    let c = ok(get(&t, &case, &w.politie).await?)?;
    assert!(c["informatiebijdragen"].as_array().into_iter().flatten().all(|i| i["titel"] != "Fiscale gegevens"));

    // Advice: drafted by the analyst, approved by the manager only.
    let c = ok(post(
        &t,
        &format!("{case}/adviezen"),
        &w.analist,
        json!({"bevindingen": "Omzet past niet bij de activiteit.", "voorstellen": "Gemeente: Bibob. Belastingdienst: boekenonderzoek."}),
    )
    .await?)?;
    let n = c["adviezen"][0]["versie"].as_i64().unwrap_or(0);
    post(&t, &format!("{case}/adviezen/{n}/_goedkeuren"), &w.analist, json!({})).await?.assert_problem(403)?;
    let c = ok(post(&t, &format!("{case}/adviezen/{n}/_goedkeuren"), &w.manager, json!({})).await?)?;
    assert_eq!(c["adviezen"][0]["status"], "goedgekeurd");
    post(&t, &format!("{case}/adviezen/{n}/_goedkeuren"), &w.manager, json!({})).await?.assert_problem(409)?;

    // Interventions: proposed by the team, carried out by the partner, with an outcome.
    let c = ok(post(&t, &format!("{case}/interventies"), &w.analist, json!({"soort": "fiscaal", "partnerId": belasting_org, "bevoegdheid": "AWR art. 47"})).await?)?;
    let v = &c["interventies"][0];
    let vid = v["id"].as_i64().unwrap_or(0);
    let vpath = format!("{case}/interventies/{vid}");
    let c = ok(t.api(Method::PATCH, &vpath, Some(&w.belasting.token), Some(json!({"status": "toegezegd", "versie": version(v)}))).await?)?;
    let v = &c["interventies"][0];
    let p = t.api(Method::PATCH, &vpath, Some(&w.belasting.token), Some(json!({"status": "gestopt", "geind": "twaalf", "versie": version(v)}))).await?.assert_problem(422)?;
    let n = names(&p);
    assert!(n.contains(&"geind".to_string()) && n.contains(&"redenGestopt".to_string()), "{n:?}");
    t.api(Method::PATCH, &vpath, Some(&w.politie.token), Some(json!({"status": "afgerond", "versie": version(v)}))).await?.assert_problem(403)?;
    let c = ok(t
        .api(
            Method::PATCH,
            &vpath,
            Some(&w.belasting.token),
            Some(json!({"status": "afgerond", "geind": "12.500,00", "besluit": "Navorderingsaanslag opgelegd", "einddatum": "2026-11-28", "versie": version(v)})),
        )
        .await?)?;
    assert_eq!(c["interventies"][0]["geindCent"], 1_250_000);
    // A meeting linked to the intervention.
    let c = ok(post(
        &t,
        &format!("{case}/overleggen"),
        &w.analist,
        json!({"aanwezigen": "RIEC, gemeente, politie, Belastingdienst", "agenda": "Interventiestrategie", "besluiten": "Fiscale aanpak eerst.", "interventies": [vid]}),
    )
    .await?)?;
    assert_eq!(c["overleggen"][0]["interventies"], json!([vid]));

    // Closing needs an evaluation; a step the phase does not allow is a conflict.
    let c = ok(get(&t, &case, &w.analist).await?)?;
    let p = post(&t, &format!("{case}/_stappen"), &w.analist, json!({"stap": "afsluiten", "versie": version(&c)})).await?.assert_problem(422)?;
    assert_eq!(names(&p), vec!["evaluatie".to_string()]);
    post(&t, &format!("{case}/_stappen"), &w.analist, json!({"stap": "wegen", "versie": version(&c)})).await?.assert_problem(409)?;
    post(&t, &format!("{case}/_stappen"), &w.politie, json!({"stap": "afsluiten", "toelichting": "x", "versie": version(&c)})).await?.assert_problem(403)?;
    let closed =
        ok(post(&t, &format!("{case}/_stappen"), &w.analist, json!({"stap": "afsluiten", "toelichting": "€ 12.500 geïnd; pand gesloten.", "versie": version(&c)})).await?)?;
    assert_eq!(closed["fase"], "afgesloten");
    // Stale version: conflict.
    post(&t, &format!("{case}/_stappen"), &w.analist, json!({"stap": "afsluiten", "toelichting": "x", "versie": version(&c)})).await?.assert_problem(409)?;
    Ok(())
}
db_test!(the_whole_process_through_the_api);

async fn outsiders_learn_nothing_and_are_audited(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    let id = open_case(&mut t, &w).await?;
    let case = format!("/api/v1/casussen/{id}");
    let item = ok(post(&t, &format!("{case}/informatiebijdragen"), &w.politie, item_body("Rapportage")).await?)?;
    let iid = item["id"].as_i64().unwrap_or(0);
    let missing = 999_999;
    for outsider in [&w.other_region, &w.douane, &w.liec, &w.politie_limburg] {
        let before_audit = t.count("SELECT COUNT(*) FROM audit_log WHERE result = 'geweigerd'").await?;
        let real = get(&t, &case, outsider).await?.assert_problem(404)?;
        let fake = get(&t, &format!("/api/v1/casussen/{missing}"), outsider).await?.assert_problem(404)?;
        // The same answer for an existing and a non-existing case: nothing leaks.
        assert_eq!(real["detail"], fake["detail"], "{}", outsider.username);
        assert_eq!(real["title"], fake["title"]);
        get(&t, &format!("{case}/informatiebijdragen/{iid}"), outsider).await?.assert_problem(404)?;
        post(&t, &format!("{case}/betrokkenen"), outsider, json!({"soort": "voertuig", "kenteken": "12-ABC-3"})).await?.assert_problem(404)?;
        let list = ok(get(&t, "/api/v1/casussen", outsider).await?)?;
        assert_eq!(list["totaal"], 0, "{} sees {list}", outsider.username);
        let after = t.count("SELECT COUNT(*) FROM audit_log WHERE result = 'geweigerd'").await?;
        assert!(after >= before_audit + 3, "every attempt is audited ({before_audit} -> {after})");
    }
    // The list for the team and for the participant.
    assert_eq!(ok(get(&t, "/api/v1/casussen", &w.analist).await?)?["totaal"], 1);
    assert_eq!(ok(get(&t, "/api/v1/casussen?fase=casus&fenomeen=witwassen", &w.politie).await?)?["totaal"], 1);
    assert_eq!(ok(get(&t, "/api/v1/casussen?fase=afgesloten", &w.politie).await?)?["totaal"], 0);
    let p = get(&t, "/api/v1/casussen?fase=bestaatniet&gemeente=GM9999&regio=nergens", &w.analist).await?.assert_problem(422)?;
    assert_eq!(names(&p).len(), 3, "{p}");
    // Removing the police ends its access at once.
    let politie_org = t.organisation("Nationale Politie").await?;
    ok(post(&t, &format!("{case}/deelnemers/_verwijderen"), &w.analist, json!({"organisatieId": politie_org, "reden": "Geen rol meer"})).await?)?;
    get(&t, &case, &w.politie).await?.assert_problem(404)?;
    get(&t, &format!("{case}/informatiebijdragen/{iid}"), &w.politie).await?.assert_problem(404)?;
    Ok(())
}
db_test!(outsiders_learn_nothing_and_are_audited);

async fn reads_are_audited_with_one_processing_line_per_subject(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    let id = open_case(&mut t, &w).await?;
    let case = format!("/api/v1/casussen/{id}");
    for (soort, extra) in [("persoon", json!({"geslachtsnaam": "Visser"})), ("voertuig", json!({"kenteken": "12-ABC-3"})), ("rekening", json!({"iban": "NL91ABNA0417164300"}))] {
        let mut body = extra;
        body["soort"] = json!(soort);
        ok(post(&t, &format!("{case}/betrokkenen"), &w.analist, body).await?)?;
    }
    let audit_before = t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'casus-bekeken'").await?;
    let lines_before = t.count("SELECT COUNT(*) FROM processing_log").await?;
    ok(get(&t, &case, &w.politie).await?)?;
    assert_eq!(t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'casus-bekeken'").await?, audit_before + 1);
    assert_eq!(t.count("SELECT COUNT(*) FROM processing_log").await?, lines_before + 3);
    let hits = ok(post(&t, "/api/v1/betrokkenen/_zoek", &w.analist, json!({"zoekterm": "NL91 ABNA 0417 1643 00"})).await?)?["resultaten"].clone();
    assert_eq!(hits.as_array().map(Vec::len), Some(1), "{hits}");
    assert_eq!(t.count("SELECT COUNT(*) FROM processing_log").await?, lines_before + 4);
    Ok(())
}
db_test!(reads_are_audited_with_one_processing_line_per_subject);

async fn a_privacy_officer_finds_one_subjects_processing_by_number(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    let id = open_case(&mut t, &w).await?;
    let case = format!("/api/v1/casussen/{id}");
    for (name, bsn) in [("Visser", "111222333"), ("Bakker", "123456782")] {
        ok(post(&t, &format!("{case}/betrokkenen"), &w.analist, json!({"soort": "persoon", "geslachtsnaam": name, "bsn": bsn})).await?)?;
    }
    // Every read of the case logs both subjects: more than one page of lines for each.
    for _ in 0..55 {
        ok(get(&t, &case, &w.politie).await?)?;
    }
    let pseudonym = |id: i64| t.app.pseudonym(&knooppunt_app::DataSubject { kind: "betrokkene", id: id.to_string() });
    let visser = pseudonym(t.count("SELECT id FROM subjects WHERE bsn = '111222333'").await?);
    let bakker = pseudonym(t.count("SELECT id FROM subjects WHERE bsn = '123456782'").await?);
    let lines = t.count(&format!("SELECT COUNT(*) FROM processing_log WHERE subject_pseudonym = '{visser}'")).await?;
    assert!(lines > 55, "{lines}");
    let officer = t.actor(Role::PrivacyOfficer).await?;
    let searched = "SELECT COUNT(*) FROM audit_log WHERE action = 'verwerkingenlogboek-doorzocht'";

    // The number as people write it; the lines of that subject only, a page at a time.
    let first = t.form("/verwerkingen", Some(&officer), &[("soort", "bsn"), ("nummer", "111 222 333")], None).await?;
    assert_eq!(first.status, 200, "{}", first.body);
    assert!(first.body.contains(&format!("1 registratie van een betrokkene; het logboek bevat {lines} verwerkingen (pagina 1 van 2)")), "{}", first.body);
    assert_eq!(first.body.matches(&visser[..16]).count(), 50);
    assert!(!first.body.contains(&bakker[..16]));
    assert!(first.body.contains("Volgende pagina") && !first.body.contains("Vorige pagina"));
    let second = t.form("/verwerkingen", Some(&officer), &[("soort", "bsn"), ("nummer", "111222333"), ("pagina", "1")], None).await?;
    assert!(second.body.contains("(pagina 2 van 2)") && second.body.contains("Vorige pagina"), "{}", second.body);
    // The log shows the search itself under the subject's pseudonym (the newest line, first
    // on page one of the next search).
    assert_eq!(t.count(searched).await?, 2);
    assert_eq!(t.count(&format!("SELECT COUNT(*) FROM processing_log WHERE activity_code = 'verwerkingen-betrokkene' AND subject_pseudonym = '{visser}'")).await?, 2);
    // A number without a subject: said plainly, audited.
    let none = t.form("/verwerkingen", Some(&officer), &[("soort", "kvk"), ("nummer", "12345678")], None).await?;
    assert!(none.body.contains("Geen betrokkene met dit nummer"), "{}", none.body);
    assert_eq!(t.count(searched).await?, 3);
    // The number is kept nowhere.
    for (table, column) in [("audit_log", "detail"), ("audit_log", "object_id"), ("processing_log", "subject_pseudonym"), ("processing_log", "actor")] {
        for number in ["111222333", "111 222 333", "12345678"] {
            assert_eq!(t.count(&format!("SELECT COUNT(*) FROM {table} WHERE {column} LIKE '%{number}%'")).await?, 0, "{number} in {table}.{column}");
        }
    }
    // Bad input: a Dutch message per field, nothing written.
    let lines_now = t.count("SELECT COUNT(*) FROM processing_log").await?;
    let bad = t.form("/verwerkingen", Some(&officer), &[("soort", "paspoort"), ("nummer", "123"), ("pagina", "x")], None).await?;
    assert_eq!(bad.status, 400);
    for message in ["Kies BSN of KvK-nummer.", "Kies een pagina vanaf 0."] {
        assert!(bad.body.contains(message), "{message}: {}", bad.body);
    }
    let bad_bsn = t.form("/verwerkingen", Some(&officer), &[("soort", "bsn"), ("nummer", "123456789")], None).await?;
    assert_eq!(bad_bsn.status, 400);
    assert!(bad_bsn.body.contains("id=\"nummer-fout\""), "{}", bad_bsn.body);
    assert_eq!(t.count(searched).await?, 3);
    assert_eq!(t.count("SELECT COUNT(*) FROM processing_log").await?, lines_now);
    // Only the privacy officer and the auditor search; others learn nothing.
    let refused = t.form("/verwerkingen", Some(&w.analist), &[("soort", "bsn"), ("nummer", "111222333")], None).await?;
    assert_eq!(refused.status, 403);
    assert!(!refused.body.contains("registratie") && !refused.body.contains(&visser[..16]));
    Ok(())
}
db_test!(a_privacy_officer_finds_one_subjects_processing_by_number);

async fn item_attachments_are_checked_and_follow_the_release(mut t: TestApp) -> Result<()> {
    use crate::signals::upload;
    let w = world(&mut t).await?;
    let id = open_case(&mut t, &w).await?;
    let item = ok(post(&t, &format!("/api/v1/casussen/{id}/informatiebijdragen"), &w.politie, item_body("Rapportage met bijlage")).await?)?;
    let iid = item["id"].as_i64().unwrap_or(0);
    let api = format!("/api/v1/casussen/{id}/informatiebijdragen/{iid}/bijlagen");
    let pdf = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF";
    let r = upload(&t, &api, Some(&w.politie.token), None, None, "rapportage.pdf", pdf).await?;
    let d = ok(r)?;
    assert_eq!(d["bijlagen"][0]["mediatype"], "application/pdf");
    assert_eq!(d["bijlagen"][0]["sha256"].as_str().map(str::len), Some(64));
    let aid = d["bijlagen"][0]["id"].as_i64().unwrap_or(0);
    // A refused type, markup posing as text and a file over the limit: 400, nothing stored.
    let before = t.count("SELECT COUNT(*) FROM item_attachments").await?;
    for (name, data) in [("rapportage.pdf", b"MZ\x90\x00\x03".to_vec()), ("notitie.txt", b"<html><script>x</script>".to_vec()), ("groot.txt", vec![b'a'; 10 * 1024 * 1024 + 1])] {
        let p = upload(&t, &api, Some(&w.politie.token), None, None, name, &data).await?.assert_problem(422)?;
        assert_eq!(p["invalidParams"][0]["name"], "bestand", "{name}");
    }
    assert_eq!(t.count("SELECT COUNT(*) FROM item_attachments").await?, before);
    // Only the supplier adds attachments; the tax office neither sees nor downloads them yet.
    upload(&t, &api, Some(&w.analist.token), None, None, "x.pdf", pdf).await?.assert_problem(403)?;
    let download = format!("{api}/{aid}");
    get(&t, &download, &w.belasting).await?.assert_problem(404)?;
    let tax = t.organisation("Belastingdienst").await?;
    ok(post(&t, &format!("/api/v1/casussen/{id}/informatiebijdragen/{iid}/vrijgaven"), &w.politie, json!({"organisatieId": tax})).await?)?;
    let r = get(&t, &download, &w.belasting).await?;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type(), "application/pdf");
    Ok(())
}
db_test!(item_attachments_are_checked_and_follow_the_release);

async fn reference_lists_and_the_catalogue_are_configurable(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    let list = ok(get(&t, "/api/v1/grondslagen", &w.politie).await?)?;
    assert!(list.as_array().is_some_and(|l| l.iter().any(|x| x["code"] == "wpg-20" && x["partnertype"] == "politie")), "{list}");
    assert!(ok(get(&t, "/api/v1/interventietypen", &w.politie).await?)?.as_array().is_some_and(|l| l.len() >= 13));
    // Only the LIEC (or an administrator) edits; bad input lists every error.
    post(&t, "/api/v1/grondslagen", &w.politie, json!({"code": "wet-x", "naam": "Wet X"})).await?.assert_problem(403)?;
    let p = post(&t, "/api/v1/grondslagen", &w.liec, json!({"code": "Wet X!", "naam": "", "partnertype": "koning"})).await?.assert_problem(422)?;
    assert_eq!(names(&p).len(), 3, "{p}");
    let list = ok(post(&t, "/api/v1/grondslagen", &w.liec, json!({"code": "wgs-art-3", "naam": "WGS art. 3", "partnertype": "gemeente"})).await?)?;
    assert!(list.as_array().is_some_and(|l| l.iter().any(|x| x["code"] == "wgs-art-3")));
    ok(post(&t, "/api/v1/doelen", &w.liec, json!({"code": "afpakken", "naam": "Afpakken van crimineel vermogen"})).await?)?;
    ok(post(
        &t,
        "/api/v1/interventietypen",
        &w.liec,
        json!({"code": "kansspelen", "naam": "Handhaving Wet op de kansspelen", "categorie": "bestuurlijk", "uitvoerder": "Kansspelautoriteit"}),
    )
    .await?)?;
    post(&t, "/api/v1/interventietypen", &w.analist, json!({"code": "x", "naam": "x", "categorie": "x", "uitvoerder": "x"})).await?.assert_problem(403)?;
    // The new entries can be used at once.
    let id = open_case(&mut t, &w).await?;
    let mut body = item_body("Volgens de nieuwe grondslag");
    body["grondslag"] = json!("wgs-art-3");
    body["doel"] = json!("afpakken");
    ok(post(&t, &format!("/api/v1/casussen/{id}/informatiebijdragen"), &w.politie, body).await?)?;
    Ok(())
}
db_test!(reference_lists_and_the_catalogue_are_configurable);

async fn two_people_editing_one_item_in_the_ui_lose_nothing(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    let id = open_case(&mut t, &w).await?;
    let item = ok(post(&t, &format!("/api/v1/casussen/{id}/informatiebijdragen"), &w.politie, item_body("Eerste versie")).await?)?;
    let iid = item["id"].as_i64().unwrap_or(0);
    let path = format!("/casussen/{id}/informatie/{iid}/bewerken");
    let form = t.page(&path, Some(&w.politie)).await?;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("Eerste versie"));
    let fields = |title: &'static str| {
        vec![
            ("titel", title),
            ("inhoud", "Tekst"),
            ("grondslag", "wpg-20"),
            ("doel", "integrale-aanpak"),
            ("betrouwbaarheid", "betrouwbaar"),
            ("rubricering", "intern"),
            ("versie", "1"),
        ]
    };
    let first = t.form(&path, Some(&w.politie), &fields("Versie van collega A"), None).await?;
    assert_eq!(first.status, 303, "{}", first.body);
    // Collega B saves from the same version: refused with a Dutch message; A's text stays.
    let second = t.form(&path, Some(&w.politie), &fields("Versie van collega B"), None).await?;
    assert_eq!(second.status, 409);
    assert!(second.body.contains("Iemand anders heeft dit intussen gewijzigd"));
    let now = ok(get(&t, &format!("/api/v1/casussen/{id}/informatiebijdragen/{iid}"), &w.politie).await?)?;
    assert_eq!(now["titel"], "Versie van collega A");
    // Bad input in the UI: every error on the form, status 400.
    let bad = t.form(&path, Some(&w.politie), &[("titel", ""), ("versie", "2")], None).await?;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("Geef de bijdrage een titel") && bad.body.contains("Kies de grondslag"));
    Ok(())
}
db_test!(two_people_editing_one_item_in_the_ui_lose_nothing);

async fn a_partner_registers_with_its_own_riec_and_can_follow_the_signal(mut t: TestApp) -> Result<()> {
    // An officer in Limburg brings a signal about a municipality in Oost-Brabant. The case would
    // belong to the Oost-Brabant RIEC, where the officer's role does not reach: refused (before,
    // the case was made and the officer got a 404 for it), with the way out in the reason.
    let agent = t.actor_in_region("agent.limburg", "Nationale Politie", Role::PartnerEmployee, "limburg").await?;
    let before = t.count("SELECT COUNT(*) FROM cases").await?;
    let body = json!({"titel": "Drugslab in een schuur", "omschrijving": "Meldingen van stank en verkeer bij een schuur.", "gemeente": "GM0772"});
    let p = post(&t, "/api/v1/signalen", &agent, body.clone()).await?.assert_problem(403)?;
    assert!(p["detail"].as_str().is_some_and(|d| d.contains("eigen regio")), "{p}");
    assert_eq!(t.count("SELECT COUNT(*) FROM cases").await?, before);
    // In the UI the form stays, with the reason at the region field.
    let form = t.form("/casussen/nieuw", Some(&agent), &[("titel", "Drugslab in een schuur"), ("omschrijving", "Meldingen van stank."), ("gemeente", "GM0772")], None).await?;
    assert_eq!(form.status, 403);
    assert!(form.body.contains("eigen regio") && form.body.contains("Drugslab in een schuur"), "{}", form.body);
    assert_eq!(t.count("SELECT COUNT(*) FROM cases").await?, before);
    // Through its own RIEC, with the reason: registered, and the officer sees it.
    let mut own = body.clone();
    own["regio"] = json!("limburg");
    own["regioReden"] = json!("De melder werkt in Limburg; het RIEC Limburg brengt het in bij Oost-Brabant.");
    let r = post(&t, "/api/v1/signalen", &agent, own).await?;
    assert_eq!(r.status, 200, "{}", r.body);
    let id = r.json()?["id"].as_i64().ok_or_else(|| anyhow!("no id"))?;
    assert_eq!(get(&t, &format!("/api/v1/casussen/{id}"), &agent).await?.status, 200);
    // For a municipality of its own region nothing changes.
    let local = json!({"titel": "Shisha lounge", "omschrijving": "Wisselende eigenaren.", "gemeente": "GM0935"});
    assert_eq!(post(&t, "/api/v1/signalen", &agent, local).await?.status, 200);
    Ok(())
}
db_test!(a_partner_registers_with_its_own_riec_and_can_follow_the_signal);

async fn a_municipality_registers_with_its_own_municipality_chosen(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    // Someone of Gemeente Eindhoven finds Eindhoven chosen; the police, a national partner, none.
    let form = t.page("/casussen/nieuw", Some(&w.gemeente)).await?;
    assert_eq!(form.status, 200);
    assert!(form.body.contains(&format!("<option value=\"{EINDHOVEN}\" selected>")), "Eindhoven not chosen");
    let police = t.page("/casussen/nieuw", Some(&w.politie)).await?;
    assert_eq!(police.status, 200);
    assert!(!police.body.contains(" selected>Eindhoven"), "a municipality chosen for the police");
    assert!(police.body.contains("<option value=\"\" selected>Kies de gemeente</option>"));
    Ok(())
}
db_test!(a_municipality_registers_with_its_own_municipality_chosen);

async fn mijn_werk_counts_what_waits_within_what_each_may_see(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    let mut ids = Vec::new();
    for title in ["Loods met verduisterde ramen", "Kapsalon zonder klanten"] {
        let c =
            ok(post(&t, "/api/v1/signalen", &w.gemeente, json!({"titel": title, "omschrijving": "Valt op bij controle.", "gemeente": EINDHOVEN, "fenomenen": ["witwassen"]}))
                .await?)?;
        ids.push((c["id"].as_i64().unwrap_or(0), version(&c)));
    }
    let analyst = t.page("/", Some(&w.analist)).await?.body;
    assert!(analyst.contains("Signalen te wegen in RIEC Oost-Brabant</a>: 2 signalen wachten"), "{analyst}");
    assert!(analyst.contains("href=\"/casussen?regio=oost-brabant&#38;fase=signaal\""), "{analyst}");
    // Weighing one takes it off the list.
    let (id, v) = ids[0];
    ok(post(&t, &format!("/api/v1/casussen/{id}/_stappen"), &w.analist, json!({"stap": "wegen", "versie": v})).await?)?;
    let analyst = t.page("/", Some(&w.analist)).await?.body;
    assert!(analyst.contains("Signalen te wegen in RIEC Oost-Brabant</a>: 1 signaal wacht"), "{analyst}");
    // Another region's analyst counts only its own region; the municipality sees what it follows.
    let limburg = t.page("/", Some(&w.other_region)).await?.body;
    assert!(limburg.contains("Signalen te wegen in RIEC Limburg</a>: 0 signalen wachten") && !limburg.contains("Oost-Brabant</a>"), "{limburg}");
    let gemeente = t.page("/", Some(&w.gemeente)).await?.body;
    assert!(gemeente.contains("Casussen waaraan uw organisatie deelneemt</a>: 2 casussen") && !gemeente.contains("Signalen te wegen"), "{gemeente}");
    assert!(t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'werklijst-bekeken'").await? >= 4);
    Ok(())
}
db_test!(mijn_werk_counts_what_waits_within_what_each_may_see);

async fn mijn_werk_leads_managers_and_partners_to_their_work_until_it_is_done(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    let id = open_case(&mut t, &w).await?;
    let case = format!("/api/v1/casussen/{id}");
    let belasting_org = t.organisation("Belastingdienst").await?;
    let home = |who: &'static str| {
        let actor = match who {
            "manager" => &w.manager,
            _ => &w.belasting,
        };
        t.page("/", Some(actor))
    };
    // Nothing waits yet.
    assert!(home("manager").await?.body.contains("Adviezen goed te keuren in RIEC Oost-Brabant</a>: 0 casussen"));
    let tax = home("belasting").await?.body;
    assert!(tax.contains("Uitvragen aan uw organisatie te beantwoorden</a>: 0 casussen"), "{tax}");
    assert!(tax.contains("Interventies van uw organisatie om over te rapporteren</a>: 0 casussen"), "{tax}");

    // A draft advice waits for the manager; the link lists that case.
    let c = ok(post(&t, &format!("{case}/adviezen"), &w.analist, json!({"bevindingen": "Omzet past niet.", "voorstellen": "Bibob."})).await?)?;
    let n = c["adviezen"][0]["versie"].as_i64().unwrap_or(0);
    let manager = home("manager").await?.body;
    assert!(manager.contains("Adviezen goed te keuren in RIEC Oost-Brabant</a>: 1 casus"), "{manager}");
    assert!(manager.contains("href=\"/casussen?regio=oost-brabant&#38;werk=advies\""), "{manager}");
    let list = t.page("/casussen?regio=oost-brabant&werk=advies", Some(&w.manager)).await?;
    assert!(list.body.contains(&format!("href=\"/casussen/{id}\"")) && list.body.contains("1 casus"), "{}", list.body);
    assert_eq!(ok(get(&t, "/api/v1/casussen?werk=advies", &w.manager).await?)?["totaal"], 1);
    // A participant learns nothing of a draft: not through the filter, not through its counts.
    assert_eq!(ok(get(&t, "/api/v1/casussen?werk=advies", &w.belasting).await?)?["totaal"], 0);
    assert!(!home("belasting").await?.body.contains("Adviezen"));
    ok(post(&t, &format!("{case}/adviezen/{n}/_goedkeuren"), &w.manager, json!({})).await?)?;
    assert!(home("manager").await?.body.contains("Adviezen goed te keuren in RIEC Oost-Brabant</a>: 0 casussen"));

    // A request to the tax office waits until it is answered.
    let c = ok(post(&t, &format!("{case}/uitvragen"), &w.analist, json!({"vragen": "Welke aanslagen?", "termijn": "2026-12-12", "partners": [belasting_org]})).await?)?;
    let rid = c["uitvragen"][0]["id"].as_i64().unwrap_or(0);
    assert!(home("belasting").await?.body.contains("Uitvragen aan uw organisatie te beantwoorden</a>: 1 casus"));
    let list = t.page("/casussen?werk=uitvraag", Some(&w.belasting)).await?;
    assert!(list.body.contains(&format!("href=\"/casussen/{id}\"")), "{}", list.body);
    assert_eq!(ok(get(&t, "/api/v1/casussen?werk=uitvraag", &w.politie).await?)?["totaal"], 0, "the police was not asked");
    ok(post(&t, &format!("{case}/uitvragen/{rid}/_afhandelen"), &w.belasting, json!({"reden": "Geen gegevens."})).await?)?;
    assert!(home("belasting").await?.body.contains("Uitvragen aan uw organisatie te beantwoorden</a>: 0 casussen"));

    // An intervention the tax office carries out waits for its report until it is finished.
    let c = ok(post(&t, &format!("{case}/interventies"), &w.analist, json!({"soort": "fiscaal", "partnerId": belasting_org, "bevoegdheid": "AWR art. 47"})).await?)?;
    let v = &c["interventies"][0];
    let vpath = format!("{case}/interventies/{}", v["id"].as_i64().unwrap_or(0));
    assert!(home("belasting").await?.body.contains("Interventies van uw organisatie om over te rapporteren</a>: 1 casus"));
    assert_eq!(ok(get(&t, "/api/v1/casussen?werk=interventie", &w.belasting).await?)?["totaal"], 1);
    ok(t.api(Method::PATCH, &vpath, Some(&w.belasting.token), Some(json!({"status": "gestopt", "redenGestopt": "Geen grond.", "versie": version(v)}))).await?)?;
    assert!(home("belasting").await?.body.contains("Interventies van uw organisatie om over te rapporteren</a>: 0 casussen"));

    // An item the tax office supplied waits to be released while others take part; once
    // released to the police it no longer does. Nobody else sees it as work.
    let released = "Bijdragen van uw organisatie die u nog aan niemand hebt vrijgegeven</a>: ";
    assert!(home("belasting").await?.body.contains(&format!("{released}0 casussen")));
    let c = ok(post(&t, &format!("{case}/informatiebijdragen"), &w.belasting, item_body("Aanslagen van de studio")).await?)?;
    let item = c["id"].as_i64().or_else(|| c["informatiebijdragen"].as_array().and_then(|a| a.last()).and_then(|i| i["id"].as_i64())).unwrap_or(0);
    assert!(home("belasting").await?.body.contains(&format!("{released}1 casus")));
    assert_eq!(ok(get(&t, "/api/v1/casussen?werk=vrijgeven", &w.belasting).await?)?["totaal"], 1);
    assert_eq!(ok(get(&t, "/api/v1/casussen?werk=vrijgeven", &w.politie).await?)?["totaal"], 0, "the police supplied nothing");
    let list = t.page("/casussen?werk=vrijgeven", Some(&w.belasting)).await?;
    assert!(list.body.contains(&format!("href=\"/casussen/{id}\"")), "{}", list.body);
    let politie_org = t.organisation("Nationale Politie").await?;
    ok(post(&t, &format!("{case}/informatiebijdragen/{item}/vrijgaven"), &w.belasting, json!({"organisatieId": politie_org})).await?)?;
    assert!(home("belasting").await?.body.contains(&format!("{released}0 casussen")));

    // Empty is no filter (as the API document says); an unknown kind of work is a clear error.
    ok(get(&t, "/api/v1/casussen?werk=", &w.manager).await?)?;
    let p = get(&t, "/api/v1/casussen?werk=koffie", &w.manager).await?.assert_problem(422)?;
    assert!(p.to_string().contains("werk"), "{p}");
    let page = t.page("/casussen?werk=koffie", Some(&w.manager)).await?;
    assert_eq!(page.status, 400);
    assert!(page.body.contains("Onbekend soort werk"), "{}", page.body);
    Ok(())
}
db_test!(mijn_werk_leads_managers_and_partners_to_their_work_until_it_is_done);

async fn the_case_page_shows_long_lists_a_page_at_a_time(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    let id = open_case(&mut t, &w).await?;
    for n in 0..30u8 {
        let name = format!("Lijst{}{}", char::from(b'a' + n / 26), char::from(b'a' + n % 26));
        ok(post(&t, &format!("/api/v1/casussen/{id}/betrokkenen"), &w.analist, json!({"soort": "persoon", "voornamen": "Piet", "geslachtsnaam": name})).await?)?;
    }
    let rows = |body: &str| body.matches("Piet Lijst").count();
    let first = t.page(&format!("/casussen/{id}"), Some(&w.analist)).await?;
    assert_eq!(first.status, 200);
    assert_eq!(rows(&first.body), 25);
    assert!(first.body.contains("30 betrokkenen (pagina 1 van 2)"), "{}", first.body);
    assert!(first.body.contains("href=\"?betrokkenen=2#betrokkenen\">Volgende betrokkenen</a>"), "{}", first.body);
    assert!(!first.body.contains("Vorige betrokkenen"));
    // The summary counts all of them.
    assert!(first.body.contains("href=\"#betrokkenen\">30</a>"), "{}", first.body);
    let second = t.page(&format!("/casussen/{id}?betrokkenen=2"), Some(&w.analist)).await?;
    assert_eq!(rows(&second.body), 5);
    assert!(second.body.contains("(pagina 2 van 2)") && second.body.contains("Vorige betrokkenen") && !second.body.contains("Volgende betrokkenen"));
    // A page beyond the end shows the last; nonsense shows the first.
    assert_eq!(rows(&t.page(&format!("/casussen/{id}?betrokkenen=99"), Some(&w.analist)).await?.body), 5);
    let odd = t.page(&format!("/casussen/{id}?betrokkenen=twee"), Some(&w.analist)).await?;
    assert_eq!((odd.status.as_u16(), rows(&odd.body)), (200, 25));
    // The printable dossier keeps the whole list.
    assert_eq!(rows(&t.page(&format!("/casussen/{id}/dossier"), Some(&w.analist)).await?.body), 30);
    Ok(())
}
db_test!(the_case_page_shows_long_lists_a_page_at_a_time);

async fn the_network_picture_filters_by_kind_and_period_and_the_timeline_keeps_order(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    let id = open_case(&mut t, &w).await?;
    let case = format!("/api/v1/casussen/{id}");
    let subjects = format!("{case}/betrokkenen");
    let add = |body: Value| post(&t, &subjects, &w.analist, body);
    let person = ok(add(json!({"soort": "persoon", "voornamen": "Jan Willem", "voorvoegsel": "van den", "geslachtsnaam": "Heuvelrugbergen"})).await?)?;
    let company = ok(add(json!({"soort": "rechtspersoon", "handelsnaam": "Nagelstudio Glans", "rechtsvorm": "B.V."})).await?)?;
    let old = ok(add(json!({"soort": "rechtspersoon", "handelsnaam": "Oude Holding", "rechtsvorm": "B.V."})).await?)?;
    ok(post(&t, &format!("{case}/relaties"), &w.analist, json!({"van": person["id"], "naar": company["id"], "soort": "bestuurder-van", "vanaf": "2024-01-01"})).await?)?;
    ok(post(&t, &format!("{case}/relaties"), &w.analist, json!({"van": person["id"], "naar": old["id"], "soort": "eigenaar-van", "vanaf": "2010-01-01", "tot": "2015-12-31"}))
        .await?)?;
    let base = format!("/casussen/{id}/analyse");
    // The whole name under its node, both relations drawn.
    let all = t.page(&base, Some(&w.analist)).await?;
    assert_eq!(all.status, 200);
    assert!(all.body.contains(">Jan Willem van den Heuvelrugbergen</text>"), "{}", all.body);
    assert!(all.body.contains("3 betrokkenen van 3 en 2 relaties in beeld"), "{}", all.body);
    // Only persons: the companies and the relations to them go.
    let persons = t.page(&format!("{base}?soort=persoon"), Some(&w.analist)).await?;
    assert!(persons.body.contains("1 betrokkene van 3 en 0 relaties in beeld"), "{}", persons.body);
    assert!(!persons.body.contains(">Nagelstudio Glans B.V.</text>"));
    // A period: only the relation valid then.
    let recent = t.page(&format!("{base}?vanaf=01-01-2025&tot=31-12-2025"), Some(&w.analist)).await?;
    assert!(recent.body.contains("3 betrokkenen van 3 en 1 relatie in beeld"), "{}", recent.body);
    assert!(recent.body.contains(">is bestuurder van</text>") && !recent.body.contains(">is eigenaar van</text>"), "{}", recent.body);
    // Bad dates: a Dutch message per field, the picture unfiltered.
    let bad = t.page(&format!("{base}?vanaf=31-02-2025&tot=gisteren"), Some(&w.analist)).await?;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("id=\"vanaf-fout\"") && bad.body.contains("id=\"tot-fout\""), "{}", bad.body);
    let reversed = t.page(&format!("{base}?vanaf=01-01-2025&tot=01-01-2024"), Some(&w.analist)).await?;
    assert!(reversed.status == 400 && reversed.body.contains("De periode eindigt vóór ze begint"), "{}", reversed.body);
    // The timeline: dates as people write them, in date order, phases in the order gone through.
    let timeline = &all.body[all.body.find("Gebeurtenissen op datum").unwrap_or(0)..];
    let at = |s: &str| timeline.find(s).unwrap_or(usize::MAX);
    assert!(at("01-01-2010") < at("31-12-2015") && at("31-12-2015") < at("01-01-2024"), "{timeline}");
    assert!(at("Fase signaal") < at("Fase casus"), "{timeline}");
    assert!(!timeline.contains("2024-01-01"), "{timeline}");
    Ok(())
}
db_test!(the_network_picture_filters_by_kind_and_period_and_the_timeline_keeps_order);
