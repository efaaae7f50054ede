//! The network's figures: the counting rules against a hand-built world with known answers, on
//! both databases; small counts hidden in every field of the answer; who may read them.

use crate::cases::{world, EINDHOVEN};
use anyhow::{anyhow, Result};
use axum::http::Method;
use knooppunt_domain::Role;
use knooppunt_testkit::{db_test, TestApp, TestResponse};
use serde_json::{json, Value};

fn ok(r: TestResponse) -> Result<Value> {
    if r.status != 200 {
        return Err(anyhow!("expected 200, got {}: {}", r.status, r.body));
    }
    r.json()
}

fn version(v: &Value) -> i64 {
    v["versie"].as_i64().unwrap_or(-1)
}

/// The table of `code` in a `/cijfers` answer.
fn table<'a>(f: &'a Value, code: &str) -> Result<&'a Value> {
    f["tabellen"].as_array().into_iter().flatten().find(|t| t["indicator"] == code).ok_or_else(|| anyhow!("no table {code} in {f}"))
}

/// The value in row `row` (a region or other row name; "Nederland" for the national totals) and
/// column `column` (a column code, or "totaal").
fn at(t: &Value, row: &str, column: &str) -> Result<Value> {
    let r = if row == "Nederland" && !t["landelijk"].is_null() {
        &t["landelijk"]
    } else {
        t["rijen"].as_array().into_iter().flatten().find(|r| r["naam"] == row).ok_or_else(|| anyhow!("no row {row} in {t}"))?
    };
    if column == "totaal" {
        return Ok(r["totaal"].clone());
    }
    let i = t["kolommen"].as_array().into_iter().flatten().position(|c| c["code"] == column).ok_or_else(|| anyhow!("no column {column} in {t}"))?;
    Ok(r["waarden"][i].clone())
}

async fn counting_rules_give_the_known_answers_and_small_counts_stay_hidden(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    let sg = t.actor(Role::SteeringGroupMember).await?;
    let municipality = ok(t.api(Method::GET, &format!("/api/v1/gemeenten/{EINDHOVEN}"), Some(&w.analist.token), None).await?)?;
    let region = ok(t.api(Method::GET, &format!("/api/v1/regios/{}", municipality["regio"].as_str().unwrap_or("")), Some(&w.analist.token), None).await?)?;
    let region_name = region["naam"].as_str().unwrap_or("").to_string();
    assert!(!region_name.is_empty(), "{region}");
    let belasting = t.organisation("Belastingdienst").await?;

    // Seven signals from the municipality: one rejected, one pre-case, five cases, of which one
    // is closed again. Five interventions completed (each with €1,000 collected, one also with
    // €250 seized) and one stopped.
    let mut cases = Vec::new();
    for i in 0..7 {
        let c = ok(t
            .api(
                Method::POST,
                "/api/v1/signalen",
                Some(&w.gemeente.token),
                Some(json!({"titel": format!("Signaal {i}"), "omschrijving": "Een signaal om te tellen.", "gemeente": EINDHOVEN, "fenomenen": ["witwassen"]})),
            )
            .await?)?;
        let id = c["id"].as_i64().ok_or_else(|| anyhow!("no id"))?;
        let steps = format!("/api/v1/casussen/{id}/_stappen");
        let (stap, note) = match i {
            0 => ("afwijzen", "Past niet in het convenant."),
            1 => ("pre-casus-openen", "Eerst verkennen."),
            _ => ("casus-openen", "Past in het convenant."),
        };
        let c = ok(t.api(Method::POST, &steps, Some(&w.analist.token), Some(json!({"stap": "wegen", "versie": version(&c)}))).await?)?;
        let c = ok(t.api(Method::POST, &steps, Some(&w.analist.token), Some(json!({"stap": stap, "toelichting": note, "versie": version(&c)}))).await?)?;
        cases.push((id, c));
    }
    let case = cases[2].0;
    let path = format!("/api/v1/casussen/{case}");
    ok(t.api(Method::POST, &format!("{path}/deelnemers"), Some(&w.analist.token), Some(json!({"organisatieId": belasting, "reden": "eigen interventiemogelijkheden"}))).await?)?;
    crate::cases::six_fiscal_interventions(&t, &w, case).await?;
    let c = ok(t.api(Method::GET, &format!("/api/v1/casussen/{}", cases[6].0), Some(&w.analist.token), None).await?)?;
    ok(t.api(
        Method::POST,
        &format!("/api/v1/casussen/{}/_stappen", cases[6].0),
        Some(&w.analist.token),
        Some(json!({"stap": "afsluiten", "toelichting": "Aanpak afgerond.", "versie": version(&c)})),
    )
    .await?)?;

    let f = ok(t.api(Method::GET, "/api/v1/cijfers?jaar=2026", Some(&w.analist.token), None).await?)?;
    assert_eq!(f["drempel"], 5);
    let r = region_name.as_str();
    // Signals by source: seven from a municipality, shown.
    let source = table(&f, "signalen-bron")?;
    assert_eq!(at(source, r, "gemeente")?, 7, "{source}");
    assert_eq!(at(source, r, "totaal")?, 7);
    assert_eq!(at(source, "Nederland", "totaal")?, 7);
    // Weighing: five cases shown; one rejection and one pre-case hidden, and neither can be
    // recomputed (the total is shown, so both stay hidden together).
    let weighing = table(&f, "weging")?;
    assert_eq!(at(weighing, r, "casus")?, 5, "{weighing}");
    assert_eq!(at(weighing, r, "afgewezen")?, Value::Null);
    assert_eq!(at(weighing, r, "pre-casus")?, Value::Null);
    assert_eq!(at(weighing, "Nederland", "afgewezen")?, Value::Null);
    assert_eq!(at(weighing, r, "totaal")?, 7);
    // Case flow: separate measures without row totals; one closed is hidden, five running shown
    // (one pre-case and five cases, one of them closed).
    let flow = table(&f, "casussen")?;
    assert_eq!(flow["heeftRijtotalen"], false);
    assert_eq!(at(flow, r, "casus")?, 5, "{flow}");
    assert_eq!(at(flow, r, "afgesloten")?, Value::Null);
    assert_eq!(at(flow, r, "lopend")?, 5);
    assert_eq!(at(flow, r, "totaal")?, Value::Null);
    // Interventions: three breakdowns of the same six, their totals the same numbers.
    let category = table(&f, "interventies-soort")?;
    let outcome = table(&f, "interventies-uitkomst")?;
    let partner = table(&f, "interventies-partner")?;
    assert_eq!(at(category, r, "fiscaal")?, 6, "{category}");
    assert_eq!(at(partner, r, "belastingdienst")?, 6, "{partner}");
    // One stopped is hidden; five completed would give it away next to the total of six, so
    // they are hidden too, in the region and nationally; the totals stay.
    assert_eq!(at(outcome, r, "gestopt")?, Value::Null, "{outcome}");
    assert_eq!(at(outcome, r, "afgerond")?, Value::Null);
    assert_eq!(at(outcome, "Nederland", "afgerond")?, Value::Null);
    // Regions without interventions show their zeros.
    assert_eq!(at(outcome, "RIEC Rotterdam", "afgerond")?, 0);
    // By instrument of the catalogue: the tax investigation, six times.
    let instrument = table(&f, "interventies-middel")?;
    assert_eq!(at(instrument, r, "fiscaal")?, 6, "{instrument}");
    for tb in [category, outcome, partner, instrument] {
        assert_eq!(at(tb, r, "totaal")?, 6);
    }
    // The course through the year: everything happened in one quarter, nothing in the others;
    // the totals are the year's.
    let trend = table(&f, "verloop")?;
    let rows: Vec<&str> = trend["rijen"].as_array().into_iter().flatten().filter_map(|r| r["naam"].as_str()).collect();
    assert_eq!(rows, vec!["1e kwartaal", "2e kwartaal", "3e kwartaal", "4e kwartaal"], "{trend}");
    let busy: Vec<&str> = rows.iter().copied().filter(|q| at(trend, q, "signalen").is_ok_and(|v| v != 0)).collect();
    assert_eq!(busy.len(), 1, "{trend}");
    for (column, n) in [("signalen", 7), ("casussen", 5), ("interventies", 6)] {
        assert_eq!(at(trend, busy[0], column)?, n, "{trend}");
        assert_eq!(at(trend, "Nederland", column)?, n, "{trend}");
    }
    // Amounts: €5,000 collected from five interventions is shown; €250 seized from one is not.
    let amounts = table(&f, "bedragen")?;
    assert_eq!(at(amounts, r, "geind")?, 5000, "{amounts}");
    assert_eq!(at(amounts, r, "beslag")?, Value::Null);
    assert_eq!(amounts["kolommen"][0]["eenheid"], "euro");
    // No hidden value leaks through another field: the answer holds no 1, 2, 3 or 4 at all.
    let leaked: Vec<u64> = f["tabellen"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|t| t["rijen"].as_array().into_iter().flatten().chain(t["landelijk"].as_object().map(|_| &t["landelijk"])))
        .flat_map(|r| r["waarden"].as_array().into_iter().flatten().chain([&r["totaal"]]).filter_map(Value::as_u64).collect::<Vec<_>>())
        .filter(|v| (1..5).contains(v))
        .collect();
    assert!(leaked.is_empty(), "small counts shown: {leaked:?}");

    // Another year has none of it.
    let before = ok(t.api(Method::GET, "/api/v1/cijfers?jaar=2025", Some(&w.analist.token), None).await?)?;
    assert_eq!(at(table(&before, "signalen-bron")?, "Nederland", "totaal")?, 0);
    // The quarter the work happened in has it; the first quarter does not.
    let q4 = ok(t.api(Method::GET, "/api/v1/cijfers?jaar=2026&kwartaal=4", Some(&sg.token), None).await?)?;
    assert_eq!(at(table(&q4, "signalen-bron")?, r, "gemeente")?, 7);
    let q1 = ok(t.api(Method::GET, "/api/v1/cijfers?jaar=2026&kwartaal=1", Some(&sg.token), None).await?)?;
    assert_eq!(at(table(&q1, "signalen-bron")?, r, "totaal")?, 0);

    // Bad periods are 400 with every mistake named; partners read no live figures.
    let p = t.api(Method::GET, "/api/v1/cijfers?jaar=1999&kwartaal=5", Some(&w.analist.token), None).await?.assert_problem(400)?;
    let names: Vec<&str> = p["invalidParams"].as_array().into_iter().flatten().filter_map(|e| e["name"].as_str()).collect();
    assert_eq!(names, vec!["jaar", "kwartaal"], "{p}");
    t.api(Method::GET, "/api/v1/cijfers?jaar=2026", Some(&w.politie.token), None).await?.assert_problem(403)?;

    // The page shows the same: chart and table, the hidden values as ×, the CSV with empty
    // cells; the definitions are public.
    let page = t.page("/cijfers?jaar=2026", Some(&w.analist)).await?;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Signalen naar aanbrenger") && page.body.contains("<svg") && page.body.contains("afgeschermd"), "{}", page.body);
    for chart in ["Lijndiagram van signalen geregistreerd", "Gestapeld staafdiagram per regio", "Kleine grafieken per regio", "Staafdiagram van het totaal per regio"] {
        assert!(page.body.contains(chart), "{chart}");
    }
    // A quarter's course is by month: the busy quarter's months hold the seven signals.
    let quarter = ok(t.api(Method::GET, &format!("/api/v1/cijfers?jaar=2026&kwartaal={}", &busy[0][..1]), Some(&w.analist.token), None).await?)?;
    let months = table(&quarter, "verloop")?;
    assert_eq!(months["rijen"].as_array().map(Vec::len), Some(3), "{months}");
    assert_eq!(at(months, "Nederland", "signalen")?, 7, "{months}");
    let bad = t.page("/cijfers?jaar=twintig", Some(&w.analist)).await?;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("Geef een jaar van vier cijfers"), "{}", bad.body);
    let csv = t.page("/cijfers/export/weging?jaar=2026", Some(&w.analist)).await?;
    assert_eq!(csv.status, 200);
    assert!(csv.body.contains(&format!("\"{r}\";;;5;7")), "{}", csv.body);
    assert_eq!(t.page("/cijfers/definities/weging", None).await?.status, 200);
    assert_eq!(t.page("/cijfers/definities/onbekend", None).await?.status, 404);
    assert_eq!(t.page("/cijfers?jaar=2026", Some(&w.politie)).await?.status, 403);
    Ok(())
}

db_test!(counting_rules_give_the_known_answers_and_small_counts_stay_hidden);

async fn signals(t: &TestApp, who: &knooppunt_testkit::Actor, n: usize) -> Result<()> {
    for i in 0..n {
        ok(t.api(
            Method::POST,
            "/api/v1/signalen",
            Some(&who.token),
            Some(json!({"titel": format!("Signaal {i}"), "omschrijving": "Een signaal om te tellen.", "gemeente": EINDHOVEN})),
        )
        .await?)?;
    }
    Ok(())
}

async fn the_liec_adopts_a_finished_year_and_its_figures_stay_as_adopted(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    signals(&t, &w.gemeente, 7).await?;
    // The year is not over yet: nothing to adopt.
    let p =
        t.api(Method::POST, "/api/v1/jaarverslagen/2026/_vaststellen", Some(&w.liec.token), Some(json!({"voorwoord": "Een jaar van samenwerking."}))).await?.assert_problem(422)?;
    assert_eq!(p["invalidParams"][0]["name"], "jaar", "{p}");
    // A month later it is; the draft shows the live figures, to the LIEC only.
    let month = 40 * 24 * 3_600_000;
    t.clock.advance_ms(month);
    let liec = t.signed_in_again(&w.liec).await?;
    let analist = t.signed_in_again(&w.analist).await?;
    let draft = t.page("/jaarverslag/2026/concept", Some(&liec)).await?;
    assert_eq!(draft.status, 200);
    assert!(draft.body.contains("Concept jaarverslag") && draft.body.contains("vaststellen"), "{}", draft.body);
    assert_eq!(t.page("/jaarverslag/2026/concept", Some(&analist)).await?.status, 403);
    assert_eq!(t.page("/jaarverslag/2026", None).await?.status, 404, "a draft is not public");
    // A foreword is required; a partner cannot adopt.
    let p = t.api(Method::POST, "/api/v1/jaarverslagen/2026/_vaststellen", Some(&w.liec.token), Some(json!({}))).await?.assert_problem(422)?;
    assert_eq!(p["invalidParams"][0]["name"], "voorwoord", "{p}");
    t.api(Method::POST, "/api/v1/jaarverslagen/2026/_vaststellen", Some(&w.manager.token), Some(json!({"voorwoord": "x"}))).await?.assert_problem(403)?;
    let bad = t.form("/jaarverslag/2026/vaststellen", Some(&liec), &[("voorwoord", "")], None).await?;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("Schrijf een voorwoord"), "{}", bad.body);
    // Adopted through the page.
    let r = t.form("/jaarverslag/2026/vaststellen", Some(&liec), &[("voorwoord", "Een jaar van samenwerking.\n\nDank aan alle partners.")], None).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let adopted = ok(t.api(Method::GET, "/api/v1/jaarverslagen/2026", Some(&w.analist.token), None).await?)?;
    assert_eq!(adopted["vastgesteldDoor"], w.liec.username.as_str());
    assert_eq!(table(&adopted["cijfers"], "signalen-bron")?["landelijk"]["totaal"], 7);
    // A late registration in 2026 changes the live figures, not the adopted report.
    t.clock.advance_ms(-month);
    signals(&t, &w.gemeente, 1).await?;
    t.clock.advance_ms(month);
    let live = ok(t.api(Method::GET, "/api/v1/cijfers?jaar=2026", Some(&w.liec.token), None).await?)?;
    assert_eq!(table(&live, "signalen-bron")?["landelijk"]["totaal"], 8);
    let again = ok(t.api(Method::GET, "/api/v1/jaarverslagen/2026", Some(&w.analist.token), None).await?)?;
    assert_eq!(again["cijfers"], adopted["cijfers"]);
    // Adopted once: a second adoption changes nothing.
    t.api(Method::POST, "/api/v1/jaarverslagen/2026/_vaststellen", Some(&w.liec.token), Some(json!({"voorwoord": "Anders."}))).await?.assert_problem(409)?;
    // Public: the page, the PDF and CSV, without signing in.
    let page = t.page("/jaarverslag/2026", None).await?;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Dank aan alle partners.") && page.body.contains("Vastgesteld door het LIEC") && page.body.contains("registreren niet overal op dezelfde manier"),
        "{}",
        page.body
    );
    let list = t.page("/jaarverslag", None).await?;
    assert!(list.body.contains("/jaarverslag/2026"), "{}", list.body);
    let pdf = t.page("/jaarverslag/2026/jaarverslag.pdf", None).await?;
    assert_eq!(pdf.status, 200);
    let text = knooppunt_testkit::pdf_text(&pdf.bytes)?;
    assert!(text.contains("Jaarverslag RIEC-LIEC 2026") && text.contains("Dank aan alle partners.") && text.contains("Signalen naar aanbrenger"), "{text}");
    let csv = t.page("/jaarverslag/2026/export/signalen-bron", None).await?;
    assert_eq!(csv.status, 200);
    assert!(csv.body.contains(";7\r\n"), "{}", csv.body);
    let listed = ok(t.api(Method::GET, "/api/v1/jaarverslagen", Some(&w.gemeente.token), None).await?)?;
    assert_eq!(listed[0]["jaar"], 2026);
    Ok(())
}

db_test!(the_liec_adopts_a_finished_year_and_its_figures_stay_as_adopted);

async fn a_steering_group_sees_its_dashboard_and_nothing_of_a_case(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    let sg = t.actor(Role::SteeringGroupMember).await?;
    let id = crate::cases::open_case(&mut t, &w).await?;
    signals(&t, &w.gemeente, 5).await?;
    let case = ok(t.api(Method::GET, &format!("/api/v1/casussen/{id}"), Some(&w.analist.token), None).await?)?;
    let reference = case["kenmerk"].as_str().unwrap_or("").to_string();
    assert!(!reference.is_empty(), "{case}");
    // An intervention escalated to the steering group.
    let belasting = t.organisation("Belastingdienst").await?;
    let c = ok(t
        .api(
            Method::POST,
            &format!("/api/v1/casussen/{id}/interventies"),
            Some(&w.analist.token),
            Some(json!({"soort": "fiscaal", "partnerId": belasting, "bevoegdheid": "AWR art. 47"})),
        )
        .await?)?;
    let v = &c["interventies"][0];
    let escalated = json!({"escalatie": "De partner wacht al maanden op een besluit.", "versie": v["versie"]});
    ok(t.api(Method::PATCH, &format!("/api/v1/casussen/{id}/interventies/{}", v["id"]), Some(&w.belasting.token), Some(escalated)).await?)?;

    let d = ok(t.api(Method::GET, "/api/v1/stuurgroep?jaar=2026", Some(&sg.token), None).await?)?;
    assert_eq!(d["bord"], "oost-brabant", "{d}");
    let signals_key = &d["kerncijfers"][0];
    assert_eq!(signals_key["naam"], "Signalen geregistreerd");
    assert_eq!(signals_key["stuurgroep"], 6);
    assert_eq!(signals_key["landelijk"], 6);
    assert_eq!(d["escalaties"][0]["reden"], "De partner wacht al maanden op een besluit.");
    let body = d.to_string();
    assert!(!body.contains(&reference) && !body.contains("Nagelstudio"), "the dashboard names a case: {body}");

    // Objectives: every mistake named; a good one shows its progress.
    let p = t
        .api(Method::POST, "/api/v1/stuurgroep/doelen", Some(&sg.token), Some(json!({"bord": "oost-brabant", "jaar": 2026, "maatstaf": "geheim", "streefwaarde": 0})))
        .await?
        .assert_problem(422)?;
    let mut names: Vec<&str> = p["invalidParams"].as_array().into_iter().flatten().filter_map(|e| e["name"].as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, vec!["maatstaf", "omschrijving", "streefwaarde"], "{p}");
    let d = ok_created(
        t.api(
            Method::POST,
            "/api/v1/stuurgroep/doelen",
            Some(&sg.token),
            Some(json!({"bord": "oost-brabant", "jaar": 2026, "maatstaf": "signalen-bron", "streefwaarde": 12, "omschrijving": "Meer signalen van gemeenten."})),
        )
        .await?,
    )?;
    assert_eq!(d["doelen"][0]["stand"], 6, "{d}");
    assert_eq!(d["doelen"][0]["maatstafNaam"], "Signalen geregistreerd");
    // Decisions.
    let p = t
        .api(Method::POST, "/api/v1/stuurgroep/besluiten", Some(&sg.token), Some(json!({"bord": "oost-brabant", "datum": "31-02-2026", "besluit": ""})))
        .await?
        .assert_problem(422)?;
    assert_eq!(p["invalidParams"].as_array().map(Vec::len), Some(2), "{p}");
    let d = ok_created(
        t.api(
            Method::POST,
            "/api/v1/stuurgroep/besluiten",
            Some(&sg.token),
            Some(json!({"bord": "oost-brabant", "datum": "2026-11-27", "besluit": "De gemeente besluit binnen vier weken.", "eigenaar": "Gemeente Eindhoven"})),
        )
        .await?,
    )?;
    assert_eq!(d["besluiten"][0]["besluit"], "De gemeente besluit binnen vier weken.");

    // Nothing of a case, nor another region's board; the RIEC manager prepares the meeting.
    t.api(Method::GET, &format!("/api/v1/casussen/{id}"), Some(&sg.token), None).await?.assert_problem(404)?;
    assert_eq!(t.page(&format!("/casussen/{id}"), Some(&sg)).await?.status, 404);
    t.api(Method::GET, "/api/v1/stuurgroep?bord=limburg", Some(&sg.token), None).await?.assert_problem(403)?;
    t.api(Method::GET, "/api/v1/stuurgroep?bord=landelijk", Some(&sg.token), None).await?.assert_problem(403)?;
    t.api(Method::GET, "/api/v1/stuurgroep", Some(&w.analist.token), None).await?.assert_problem(403)?;
    let m = ok(t.api(Method::GET, "/api/v1/stuurgroep", Some(&w.manager.token), None).await?)?;
    assert_eq!(m["doelen"][0]["omschrijving"], "Meer signalen van gemeenten.");
    // The Stuurgroep LIEC's board is national.
    let n = ok(t.api(Method::GET, "/api/v1/stuurgroep?bord=landelijk", Some(&w.liec.token), None).await?)?;
    assert_eq!(n["naam"], "Stuurgroep LIEC");
    assert!(n["escalaties"].as_array().is_some_and(Vec::is_empty) && n["doelen"].as_array().is_some_and(Vec::is_empty), "{n}");
    assert!(n["landelijkeTabellen"].as_array().is_some_and(|a| a.len() == 3), "{n}");

    // The page and the meeting pack.
    let page = t.page("/stuurgroep?jaar=2026", Some(&sg)).await?;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Meer signalen van gemeenten.") && page.body.contains("De partner wacht al maanden op een besluit."), "{}", page.body);
    let bad = t.form("/stuurgroep/besluiten", Some(&sg), &[("bord", "oost-brabant"), ("jaar", "2026"), ("datum", ""), ("besluit", "")], None).await?;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("Geef de datum van het besluit."), "{}", bad.body);
    let pdf = t.page("/stuurgroep/vergaderstuk.pdf?bord=oost-brabant&jaar=2026", Some(&sg)).await?;
    assert_eq!(pdf.status, 200);
    let text = knooppunt_testkit::pdf_text(&pdf.bytes)?;
    assert!(text.contains("Kerncijfers") && text.contains("De gemeente besluit binnen vier weken.") && text.contains("Escalaties"), "{text}");
    assert!(!text.contains(&reference), "the meeting pack names a case");
    Ok(())
}

fn ok_created(r: TestResponse) -> Result<Value> {
    if r.status != 201 {
        return Err(anyhow!("expected 201, got {}: {}", r.status, r.body));
    }
    r.json()
}

db_test!(a_steering_group_sees_its_dashboard_and_nothing_of_a_case);

/// Bottlenecks: a region's stuurgroep raises one (every mistake named), passes it on to the
/// Stuurgroep LIEC, which sees it with the region and solves it; another region's board sees
/// nothing of it (404). The Stuurgroep LIEC lists the national approaches without their titles.
async fn bottlenecks_pass_from_a_region_to_the_stuurgroep_liec(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    let sg = t.actor(Role::SteeringGroupMember).await?;
    let p = t
        .api(Method::POST, "/api/v1/stuurgroep/knelpunten", Some(&sg.token), Some(json!({"bord": "oost-brabant", "soort": "geheim", "omschrijving": " ", "datum": "31-02-2026"})))
        .await?
        .assert_problem(422)?;
    let mut names: Vec<&str> = p["invalidParams"].as_array().into_iter().flatten().filter_map(|e| e["name"].as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, vec!["datum", "omschrijving", "soort"], "{p}");
    let text = "De gemeente mag fiscale gegevens niet gebruiken voor de Bibob-toets.";
    let d = ok_created(
        t.api(
            Method::POST,
            "/api/v1/stuurgroep/knelpunten",
            Some(&sg.token),
            Some(json!({"bord": "oost-brabant", "soort": "informatiedeling", "omschrijving": text, "eigenaar": "RIEC-bureau"})),
        )
        .await?,
    )?;
    let k = d["knelpunten"][0].clone();
    assert_eq!(k["omschrijving"], text, "{d}");
    assert_eq!((k["stand"].as_str(), k["soortNaam"].as_str(), k["doorgezetOp"].is_null()), (Some("open"), Some("Informatiedeling"), true), "{k}");
    let kid = k["id"].as_i64().ok_or_else(|| anyhow!("no id"))?;
    let path = format!("/api/v1/stuurgroep/knelpunten/{kid}");

    // Not yet on the national board; solving needs a word on how; a stale version is 409.
    let n = ok(t.api(Method::GET, "/api/v1/stuurgroep?bord=landelijk", Some(&w.liec.token), None).await?)?;
    assert!(n["knelpunten"].as_array().is_some_and(Vec::is_empty), "{n}");
    let p = t.api(Method::PATCH, &path, Some(&sg.token), Some(json!({"bord": "oost-brabant", "stand": "opgelost", "versie": k["versie"]}))).await?.assert_problem(422)?;
    assert_eq!(p["invalidParams"][0]["name"], "toelichting", "{p}");
    t.api(Method::PATCH, &path, Some(&sg.token), Some(json!({"bord": "oost-brabant", "stand": "open"}))).await?.assert_problem(422)?;
    let d = ok(t.api(Method::PATCH, &path, Some(&sg.token), Some(json!({"bord": "oost-brabant", "stand": "open", "doorzetten": true, "versie": k["versie"]}))).await?)?;
    assert!(d["knelpunten"][0]["doorgezetOp"].is_string(), "{d}");
    t.api(Method::PATCH, &path, Some(&sg.token), Some(json!({"bord": "oost-brabant", "stand": "open", "versie": k["versie"]}))).await?.assert_problem(409)?;

    // It waits on "Mijn werk" of both boards.
    let home = t.page("/", Some(&w.liec)).await?.body;
    assert!(home.contains("Open knelpunten van de Stuurgroep LIEC</a>: 1 knelpunt"), "{home}");
    let told = t.page("/meldingen", Some(&w.liec)).await?.body;
    assert!(told.contains("Een regionale stuurgroep heeft een knelpunt doorgezet naar de Stuurgroep LIEC."), "{told}");
    let home = t.page("/", Some(&sg)).await?.body;
    assert!(home.contains("Open knelpunten van de Stuurgroep RIEC Oost-Brabant</a>: 1 knelpunt"), "{home}");
    // The Stuurgroep LIEC sees it with the region, may not pass it on further, and solves it.
    let n = ok(t.api(Method::GET, "/api/v1/stuurgroep?bord=landelijk", Some(&w.liec.token), None).await?)?;
    let seen = n["knelpunten"][0].clone();
    assert_eq!((seen["omschrijving"].as_str(), seen["regio"].as_str()), (Some(text), Some("RIEC Oost-Brabant")), "{n}");
    let p = t
        .api(Method::PATCH, &path, Some(&w.liec.token), Some(json!({"bord": "landelijk", "stand": "open", "doorzetten": true, "versie": seen["versie"]})))
        .await?
        .assert_problem(422)?;
    assert_eq!(p["invalidParams"][0]["name"], "doorzetten", "{p}");
    let how = "Het ministerie past de regeling aan; tot dan vraagt de gemeente toestemming.";
    let n = ok(t.api(Method::PATCH, &path, Some(&w.liec.token), Some(json!({"bord": "landelijk", "stand": "opgelost", "toelichting": how, "versie": seen["versie"]}))).await?)?;
    assert_eq!(n["knelpunten"][0]["stand"], "opgelost", "{n}");
    let d = ok(t.api(Method::GET, "/api/v1/stuurgroep", Some(&w.manager.token), None).await?)?;
    assert_eq!(d["knelpunten"][0]["toelichting"], how, "the region sees how it was solved: {d}");

    // Another region's board neither sees nor changes it: 404, as for one that does not exist.
    let other = t.actor_in_region("t.sg.limburg", "Gemeente Eindhoven", Role::SteeringGroupMember, "limburg").await?;
    let l = ok(t.api(Method::GET, "/api/v1/stuurgroep", Some(&other.token), None).await?)?;
    assert!(l["knelpunten"].as_array().is_some_and(Vec::is_empty), "{l}");
    t.api(Method::PATCH, &path, Some(&other.token), Some(json!({"bord": "limburg", "stand": "open", "versie": 3}))).await?.assert_problem(404)?;
    t.api(Method::PATCH, "/api/v1/stuurgroep/knelpunten/999999", Some(&other.token), Some(json!({"bord": "limburg", "stand": "open", "versie": 1}))).await?.assert_problem(404)?;
    t.api(Method::PATCH, "/api/v1/stuurgroep/knelpunten/abc", Some(&other.token), Some(json!({"bord": "limburg", "stand": "open", "versie": 1}))).await?.assert_problem(404)?;
    assert_eq!(t.page(&format!("/stuurgroep/knelpunten/{kid}?bord=limburg"), Some(&other)).await?.status, 404);

    // The pages: the list, the form with a Dutch error, the meeting pack.
    let page = t.page(&format!("/stuurgroep/knelpunten/{kid}?bord=oost-brabant"), Some(&sg)).await?;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(text) && page.body.contains("Doorgezet naar de Stuurgroep LIEC op"), "{}", page.body);
    let bad = t.form("/stuurgroep/knelpunten", Some(&sg), &[("bord", "oost-brabant"), ("jaar", "2026"), ("knelpunt-soort", ""), ("knelpunt-omschrijving", "")], None).await?;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("Kies waar het knelpunt over gaat.") && bad.body.contains(r##"href="#knelpunt-soort""##), "{}", bad.body);
    let pdf = t.page("/stuurgroep/vergaderstuk.pdf?bord=landelijk&jaar=2026", Some(&w.liec)).await?;
    let pack = knooppunt_testkit::pdf_text(&pdf.bytes)?;
    assert!(pack.contains("Knelpunten") && pack.contains("Landelijke aanpakken"), "{pack}");

    // National approaches: listed for the Stuurgroep LIEC without their titles.
    let title = "Chapter Noord van een motorclub";
    ok_created(
        t.api(Method::POST, "/api/v1/landelijke-aanpakken", Some(&w.liec.token), Some(json!({"titel": title, "omschrijving": "Vastgoed en horeca rond het chapter."}))).await?,
    )?;
    let n = ok(t.api(Method::GET, "/api/v1/stuurgroep?bord=landelijk", Some(&w.liec.token), None).await?)?;
    let a = &n["landelijkeAanpakken"][0];
    assert_eq!((a["stand"].as_str(), a["regios"].as_i64(), a["actiesOpen"].as_i64()), (Some("lopend"), Some(0), Some(0)), "{n}");
    assert!(!n.to_string().contains(title), "the board names an approach: {n}");
    assert!(d["landelijkeAanpakken"].as_array().is_some_and(Vec::is_empty), "a region's board lists no approaches");
    Ok(())
}

db_test!(bottlenecks_pass_from_a_region_to_the_stuurgroep_liec);
