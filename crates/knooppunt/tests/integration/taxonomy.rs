//! The phenomenon taxonomy: seeded from the national priorities, maintained by the LIEC only
//! (every mistake named, stale versions refused, audited), retired terms refused to new
//! registrations with their replacement named, settings on cases, and each region's focus list
//! set by its own RIEC manager — through the API and the pages, on both databases.

use crate::cases::{world, EINDHOVEN};
use anyhow::{anyhow, Result};
use axum::http::Method;
use knooppunt_domain::Role;
use knooppunt_testkit::{db_test, TestApp, TestResponse};
use serde_json::{json, Value};

fn ok(r: TestResponse) -> Result<Value> {
    if r.status != 200 && r.status != 201 {
        return Err(anyhow!("expected 200 or 201, got {}: {}", r.status, r.body));
    }
    r.json()
}

fn names(p: &Value) -> Vec<String> {
    let mut n: Vec<String> = p["invalidParams"].as_array().into_iter().flatten().filter_map(|e| e["name"].as_str().map(String::from)).collect();
    n.sort();
    n
}

fn find<'a>(list: &'a Value, code: &str) -> Option<&'a Value> {
    list.as_array().and_then(|a| a.iter().find(|x| x["code"] == code))
}

/// The seed: clusters over every seeded phenomenon, the settings axis apart; the cases'
/// phenomena are the taxonomy's.
async fn the_taxonomy_is_seeded_from_the_national_priorities(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    let clusters = ok(t.api(Method::GET, "/api/v1/fenomeenclusters", Some(&w.gemeente.token), None).await?)?;
    let phenomena = ok(t.api(Method::GET, "/api/v1/fenomenen", Some(&w.gemeente.token), None).await?)?;
    let settings = ok(t.api(Method::GET, "/api/v1/omgevingen", Some(&w.gemeente.token), None).await?)?;
    assert!(clusters.as_array().is_some_and(|a| a.len() >= 5), "{clusters}");
    for code in ["hennepteelt", "witwassen", "mensenhandel", "omg", "synthetische-drugs", "zorgfraude", "vastgoed", "buitengebied"] {
        let p = find(&phenomena, code).ok_or_else(|| anyhow!("no {code}: {phenomena}"))?;
        let cluster = p["cluster"].as_str().ok_or_else(|| anyhow!("{code} has no cluster"))?;
        assert!(find(&clusters, cluster).is_some(), "{cluster}");
        assert_eq!(p["geldtNu"], true, "{p}");
    }
    let hennep = find(&phenomena, "hennepteelt").ok_or_else(|| anyhow!("no hennepteelt"))?;
    assert!(hennep["synoniemen"].as_array().is_some_and(|s| s.iter().any(|x| x == "cannabis")), "{hennep}");
    assert_eq!(hennep["naamEngels"], "Organised cannabis cultivation");
    for code in ["buitengebied", "havens-logistiek", "vakantieparken", "horeca", "zorg", "vastgoed"] {
        assert!(find(&settings, code).is_some(), "no setting {code}: {settings}");
    }
    // Every phenomenon a case or desk signal can refer to sits in a cluster.
    assert_eq!(t.count("SELECT COUNT(*) FROM phenomena WHERE cluster_id IS NULL").await?, 0);
    let page = t.page("/fenomenen", Some(&w.gemeente)).await?;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Drugscriminaliteit") && page.body.contains("Georganiseerde hennepteelt") && page.body.contains("Havens en logistiek"), "{}", page.body);
    assert!(!page.body.contains("Fenomeen toevoegen"), "a partner is offered maintenance");
    Ok(())
}

db_test!(the_taxonomy_is_seeded_from_the_national_priorities);

/// The LIEC adds and changes terms; others are refused and nothing changes; every mistake is
/// named; a stale version is 409; a retired phenomenon is refused to new registrations (naming
/// its replacement) but stays with what recorded it.
async fn the_liec_maintains_the_taxonomy_and_retired_terms_point_to_their_replacement(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    let before = t.count("SELECT COUNT(*) FROM phenomena").await?;
    for who in [&w.gemeente, &w.analist, &w.manager] {
        t.api(Method::POST, "/api/v1/fenomenen", Some(&who.token), Some(json!({"naam": "Cocaïne via havens", "cluster": "drugs"}))).await?.assert_problem(403)?;
    }
    assert_eq!(t.count("SELECT COUNT(*) FROM phenomena").await?, before);
    let p = t
        .api(Method::POST, "/api/v1/fenomenen", Some(&w.liec.token), Some(json!({"naam": " ", "cluster": "geen", "geldigVanaf": "31-02-2026", "vervangenDoor": "onbekend"})))
        .await?
        .assert_problem(422)?;
    assert_eq!(names(&p), vec!["cluster", "geldigVanaf", "naam", "vervangenDoor"], "{p}");
    // A look-alike of an existing name is the same name.
    let p = t.api(Method::POST, "/api/v1/fenomenen", Some(&w.liec.token), Some(json!({"naam": "GEORGANISEERDE  hennepteelt", "cluster": "drugs"}))).await?.assert_problem(422)?;
    assert_eq!(names(&p), vec!["naam"], "{p}");
    assert_eq!(t.count("SELECT COUNT(*) FROM phenomena").await?, before);

    let added = ok(t
        .api(
            Method::POST,
            "/api/v1/fenomenen",
            Some(&w.liec.token),
            Some(json!({"naam": "Cocaïnesmokkel via havens", "naamEngels": "Cocaine smuggling through ports", "cluster": "drugs", "synoniemen": ["uithalers", "coke", "Coke"], "bron": "Landelijk programma havens"})),
        )
        .await?)?;
    assert_eq!((added["code"].as_str(), added["cluster"].as_str()), (Some("cocainesmokkel-via-havens"), Some("drugs")), "{added}");
    assert_eq!(added["synoniemen"], json!(["uithalers", "coke"]), "look-alike synonyms are one: {added}");
    assert_eq!(added["geldigVanaf"], "2026-11-28");

    // The old phenomenon is retired in favour of the new one; a stale version changes nothing.
    let all = ok(t.api(Method::GET, "/api/v1/fenomenen", Some(&w.liec.token), None).await?)?;
    let old = find(&all, "drugshandel").ok_or_else(|| anyhow!("no drugshandel"))?.clone();
    let retire = json!({"naam": old["naam"], "cluster": "drugs", "geldigTot": "01-11-2026", "vervangenDoor": "cocainesmokkel-via-havens", "versie": old["versie"]});
    let p = t.api(Method::PATCH, "/api/v1/fenomenen/drugshandel", Some(&w.liec.token), Some(json!({"naam": "x", "cluster": "drugs"}))).await?.assert_problem(422)?;
    assert_eq!(names(&p), vec!["versie"], "{p}");
    let changed = ok(t.api(Method::PATCH, "/api/v1/fenomenen/drugshandel", Some(&w.liec.token), Some(retire.clone())).await?)?;
    assert_eq!((changed["geldtNu"].as_bool(), changed["vervangenDoor"].as_str()), (Some(false), Some("cocainesmokkel-via-havens")), "{changed}");
    t.api(Method::PATCH, "/api/v1/fenomenen/drugshandel", Some(&w.liec.token), Some(retire)).await?.assert_problem(409)?;
    t.api(Method::PATCH, "/api/v1/fenomenen/bestaat-niet", Some(&w.liec.token), Some(json!({"naam": "x", "cluster": "drugs", "versie": 1}))).await?.assert_problem(404)?;

    // New registrations may not use it; the message names the replacement.
    let p = t
        .api(
            Method::POST,
            "/api/v1/signalen",
            Some(&w.gemeente.token),
            Some(json!({"titel": "Loods bij de haven", "omschrijving": "Containers worden 's nachts geopend.", "gemeente": EINDHOVEN, "fenomenen": ["drugshandel"], "omgevingen": ["havens-logistiek"]})),
        )
        .await?
        .assert_problem(422)?;
    let message = p["invalidParams"][0]["reason"].as_str().unwrap_or_default().to_string();
    assert!(message.contains("geldt niet meer") && message.contains("Cocaïnesmokkel via havens"), "{p}");
    let form = t.page("/casussen/nieuw", Some(&w.gemeente)).await?.body;
    assert!(form.contains("Cocaïnesmokkel via havens") && !form.contains("Drugshandel en -smokkel"), "the form offers a retired phenomenon");
    // With the new one and a setting it registers; the case names both.
    let p = t
        .api(
            Method::POST,
            "/api/v1/signalen",
            Some(&w.gemeente.token),
            Some(json!({"titel": "Loods bij de haven", "omschrijving": "Containers worden 's nachts geopend.", "gemeente": EINDHOVEN, "fenomenen": ["cocainesmokkel-via-havens"], "omgevingen": ["havens-logistiek", "onbekend"]})),
        )
        .await?
        .assert_problem(422)?;
    assert_eq!(names(&p), vec!["omgevingen"], "{p}");
    let c = ok(t
        .api(
            Method::POST,
            "/api/v1/signalen",
            Some(&w.gemeente.token),
            Some(json!({"titel": "Loods bij de haven", "omschrijving": "Containers worden 's nachts geopend.", "gemeente": EINDHOVEN, "fenomenen": ["cocainesmokkel-via-havens"], "omgevingen": ["havens-logistiek"]})),
        )
        .await?)?;
    assert_eq!((c["fenomenen"].clone(), c["omgevingen"].clone()), (json!(["cocainesmokkel-via-havens"]), json!(["havens-logistiek"])), "{c}");
    let id = c["id"].as_i64().ok_or_else(|| anyhow!("no id"))?;
    let page = t.page(&format!("/casussen/{id}"), Some(&w.gemeente)).await?.body;
    assert!(page.contains("Cocaïnesmokkel via havens") && page.contains("Havens en logistiek"), "{page}");

    // The figures count signals by setting: one signal is a small count, hidden.
    let f = ok(t.api(Method::GET, "/api/v1/cijfers?jaar=2026", Some(&w.analist.token), None).await?)?;
    let table = f["tabellen"].as_array().into_iter().flatten().find(|x| x["indicator"] == "signalen-omgeving").cloned().ok_or_else(|| anyhow!("no table: {f}"))?;
    let column = table["kolommen"].as_array().into_iter().flatten().position(|c| c["code"] == "havens-logistiek").ok_or_else(|| anyhow!("no column: {table}"))?;
    let row = table["rijen"].as_array().into_iter().flatten().find(|r| r["naam"] == "RIEC Oost-Brabant").cloned().ok_or_else(|| anyhow!("no row: {table}"))?;
    assert!(row["waarden"][column].is_null(), "one signal is shown: {table}");

    // Audited, with who changed it.
    let lines = t.strings("SELECT detail FROM audit_log WHERE action = 'taxonomie-gewijzigd' ORDER BY seq").await?;
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[1].contains("geldt tot 2026-11-01"), "{lines:?}");
    let page = t.page("/fenomenen", Some(&w.liec)).await?.body;
    assert!(page.contains("vervallen op 01-11-2026; vervangen door Cocaïnesmokkel via havens") && page.contains("Fenomeen toevoegen"), "{page}");
    Ok(())
}

db_test!(the_liec_maintains_the_taxonomy_and_retired_terms_point_to_their_replacement);

/// The pages: the LIEC adds a setting through the form (a Dutch error first), changes it; a
/// partner gets 403 on the forms.
async fn the_taxonomy_pages_add_and_change_terms(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    assert_eq!(t.page("/fenomenen/nieuw?soort=omgeving", Some(&w.gemeente)).await?.status, 403);
    assert_eq!(t.page("/fenomenen/fenomeen/hennepteelt", Some(&w.gemeente)).await?.status, 403);
    assert_eq!(t.page("/fenomenen/fenomeen/bestaat-niet", Some(&w.liec)).await?.status, 404);
    let form = t.page("/fenomenen/nieuw?soort=omgeving", Some(&w.liec)).await?;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("Omgeving toevoegen") && !form.body.contains("Kies een cluster"), "{}", form.body);
    let bad = t.form("/fenomenen/nieuw", Some(&w.liec), &[("soort", "omgeving"), ("naam", ""), ("geldigTot", "morgen")], None).await?;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("Geef de Nederlandse naam.") && bad.body.contains("is geen datum"), "{}", bad.body);
    let done = t.form("/fenomenen/nieuw", Some(&w.liec), &[("soort", "omgeving"), ("naam", "Jachthavens"), ("synoniemen", "marina; jachthaven")], None).await?;
    assert_eq!(done.status, 303, "{}", done.body);
    let edit = t.page("/fenomenen/omgeving/jachthavens", Some(&w.liec)).await?;
    assert!(edit.body.contains("Omgeving wijzigen: Jachthavens") && edit.body.contains("marina; jachthaven"), "{}", edit.body);
    let version = edit.body.split("name=\"versie\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or_default().to_string();
    let done = t.form("/fenomenen/omgeving/jachthavens", Some(&w.liec), &[("naam", "Jachthavens en marina's"), ("versie", &version)], None).await?;
    assert_eq!(done.status, 303, "{}", done.body);
    let stale = t.form("/fenomenen/omgeving/jachthavens", Some(&w.liec), &[("naam", "Jachthavens"), ("versie", &version)], None).await?;
    assert_eq!(stale.status, 409);
    assert!(stale.body.contains("Iemand anders heeft dit omgeving intussen gewijzigd") || stale.body.contains("intussen gewijzigd"), "{}", stale.body);
    let settings = ok(t.api(Method::GET, "/api/v1/omgevingen", Some(&w.gemeente.token), None).await?)?;
    assert_eq!(find(&settings, "jachthavens").map(|s| s["naam"].clone()), Some(json!("Jachthavens en marina's")), "{settings}");
    Ok(())
}

db_test!(the_taxonomy_pages_add_and_change_terms);

/// A region's focus list: set by its own RIEC manager (or the LIEC), refused to another
/// region's manager and to an analyst, phenomena that apply today only.
async fn a_regions_focus_is_set_by_its_own_manager(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    let done = ok(t.api(Method::PUT, "/api/v1/speerpunten/oost-brabant", Some(&w.manager.token), Some(json!({"fenomenen": ["synthetische-drugs", "hennepteelt"]}))).await?)?;
    let ob = done.as_array().and_then(|a| a.iter().find(|r| r["regio"] == "oost-brabant")).cloned().ok_or_else(|| anyhow!("{done}"))?;
    let mut got: Vec<String> = ob["fenomenen"].as_array().into_iter().flatten().filter_map(|x| x.as_str().map(String::from)).collect();
    got.sort();
    assert_eq!(got, vec!["hennepteelt", "synthetische-drugs"]);
    assert_eq!(ob["wijzigbaar"], true);
    let p = t.api(Method::PUT, "/api/v1/speerpunten/oost-brabant", Some(&w.manager.token), Some(json!({"fenomenen": ["onbekend"]}))).await?.assert_problem(422)?;
    assert_eq!(names(&p), vec!["fenomenen"]);
    t.api(Method::PUT, "/api/v1/speerpunten/oost-brabant", Some(&w.manager.token), Some(json!({}))).await?.assert_problem(422)?;
    t.api(Method::PUT, "/api/v1/speerpunten/limburg", Some(&w.manager.token), Some(json!({"fenomenen": ["omg"]}))).await?.assert_problem(403)?;
    t.api(Method::PUT, "/api/v1/speerpunten/oost-brabant", Some(&w.analist.token), Some(json!({"fenomenen": []}))).await?.assert_problem(403)?;
    t.api(Method::PUT, "/api/v1/speerpunten/nergens", Some(&w.liec.token), Some(json!({"fenomenen": []}))).await?.assert_problem(404)?;
    ok(t.api(Method::PUT, "/api/v1/speerpunten/limburg", Some(&w.liec.token), Some(json!({"fenomenen": ["omg"]}))).await?)?;
    let manager_limburg = t.actor_in_region("t.manager.limburg", "RIEC-bureau Limburg", Role::RiecManager, "limburg").await?;
    let page = t.page("/fenomenen/speerpunten/oost-brabant", Some(&manager_limburg)).await?;
    assert_eq!(page.status, 403);
    let form = t.form("/fenomenen/speerpunten/limburg", Some(&manager_limburg), &[("fenomenen", "omg"), ("fenomenen", "witwassen")], None).await?;
    assert_eq!(form.status, 303, "{}", form.body);
    let overview = t.page("/fenomenen", Some(&w.gemeente)).await?.body;
    assert!(overview.contains("Outlaw motorcycle gangs (OMG&#x27;s), Witwassen") || overview.contains("Witwassen en financieel-economische criminaliteit"), "{overview}");
    assert_eq!(t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'speerpunten-vastgesteld'").await?, 3);
    assert!(t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'toegang-geweigerd'").await? >= 2);
    Ok(())
}

db_test!(a_regions_focus_is_set_by_its_own_manager);
