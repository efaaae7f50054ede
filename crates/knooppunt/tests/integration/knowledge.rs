//! Knowledge items: the editors write them through the workflow (every mistake named, four
//! eyes on publishing, stale versions refused, audited); each audience reads exactly its items
//! — through lists, counts, facets, single items and pages, signed in or not — on both databases.

use crate::signals::upload;
use anyhow::{anyhow, Result};
use axum::http::Method;
use knooppunt_domain::Role;
use knooppunt_testkit::{db_test, TestApp, TestResponse};
use serde_json::{json, Value};

pub(crate) fn ok(r: TestResponse) -> Result<Value> {
    if r.status != 200 && r.status != 201 {
        return Err(anyhow!("expected 200 or 201, got {}: {}", r.status, r.body));
    }
    r.json()
}

pub(crate) fn names(p: &Value) -> Vec<String> {
    let mut v: Vec<String> = p["invalidParams"].as_array().into_iter().flatten().filter_map(|e| e["name"].as_str().map(String::from)).collect();
    v.sort();
    v
}

fn titles(list: &Value) -> Vec<String> {
    let mut v: Vec<String> = list["items"].as_array().into_iter().flatten().filter_map(|i| i["titel"].as_str().map(String::from)).collect();
    v.sort();
    v
}

async fn each_audience_reads_exactly_its_published_knowledge(mut t: TestApp) -> Result<()> {
    let editor = t.actor(Role::KnowledgeEditor).await?;
    let liec = t.actor(Role::LiecCoordinator).await?;
    let gemeente = t.actor(Role::PartnerEmployee).await?;
    let bank = t.private_member("t.bank", "Vereniging van Testbanken").await?;
    let bank_org = t.organisation("Vereniging van Testbanken").await?;

    // Only the editors write; every mistake is named at once.
    let item = json!({"soort": "handreiking", "titel": "Handreiking 13b", "samenvatting": "Sluiten bij drugshandel.", "publiek": "netwerk"});
    t.api(Method::POST, "/api/v1/kennisitems", Some(&gemeente.token), Some(item.clone())).await?.assert_problem(403)?;
    let p = t
        .api(Method::POST, "/api/v1/kennisitems", Some(&editor.token), Some(json!({"soort": "jurisprudentie", "publiek": "groep", "fenomenen": ["bestaat-niet"]})))
        .await?
        .assert_problem(422)?;
    assert_eq!(names(&p), vec!["ecli", "fenomenen", "groep", "samenvatting", "titel"], "{p}");
    let p = t
        .api(Method::POST, "/api/v1/kennisitems", Some(&editor.token), Some(json!({"soort": "x", "titel": "t", "samenvatting": "s", "publiek": "iedereen", "ecli": "ECLI:NL"})))
        .await?
        .assert_problem(422)?;
    assert_eq!(names(&p), vec!["ecli", "publiek", "soort"], "{p}");

    // A knowledge group with the private member's organisation.
    let g = ok(t.api(Method::POST, "/api/v1/kennisgroepen", Some(&editor.token), Some(json!({"naam": "Fenomeentafel Witwassen", "leden": [bank_org]}))).await?)?;
    assert_eq!(g["code"], "fenomeentafel-witwassen");
    t.api(Method::POST, "/api/v1/kennisgroepen", Some(&editor.token), Some(json!({"naam": "fenomeentafel  witwassen", "leden": [bank_org]}))).await?.assert_problem(422)?;

    // Four items, one per audience.
    let mut ids = Vec::new();
    for (title, audience, group, kind, ecli) in [
        ("Nieuws voor iedereen", "openbaar", "", "nieuws", ""),
        ("Handreiking 13b", "netwerk", "", "handreiking", ""),
        ("Tafelproduct witwassen", "groep", "fenomeentafel-witwassen", "tafelproduct", ""),
        ("Uitspraak sluiting woning", "redactie", "", "jurisprudentie", "ecli:nl:rvs:2022:1389"),
    ] {
        let product = if kind == "tafelproduct" { "fenomeenbeeld" } else { "" };
        let body = json!({"soort": kind, "titel": title, "samenvatting": "Samenvatting.", "publiek": audience, "groep": group, "ecli": ecli, "productsoort": product, "fenomenen": ["witwassen"], "partnertypen": ["gemeente"]});
        let created = ok(t.api(Method::POST, "/api/v1/kennisitems", Some(&editor.token), Some(body)).await?)?;
        assert_eq!((created["status"].as_str(), created["versie"].as_i64()), (Some("concept"), Some(1)), "{created}");
        ids.push(created["id"].as_i64().unwrap_or_default());
    }
    let dup = json!({"soort": "jurisprudentie", "titel": "Nog eens", "samenvatting": "s", "publiek": "netwerk", "ecli": "ECLI:NL:RVS:2022:1389"});
    assert_eq!(names(&t.api(Method::POST, "/api/v1/kennisitems", Some(&editor.token), Some(dup)).await?.assert_problem(422)?), vec!["ecli"]);
    // A table's product says what it is; no other kind has a product type.
    let untyped = json!({"soort": "tafelproduct", "titel": "Zonder soort", "samenvatting": "s", "publiek": "netwerk"});
    assert_eq!(names(&t.api(Method::POST, "/api/v1/kennisitems", Some(&editor.token), Some(untyped)).await?.assert_problem(422)?), vec!["productsoort"]);
    let typed = json!({"soort": "nieuws", "titel": "Met soort", "samenvatting": "s", "publiek": "netwerk", "productsoort": "aanpak"});
    assert_eq!(names(&t.api(Method::POST, "/api/v1/kennisitems", Some(&editor.token), Some(typed)).await?.assert_problem(422)?), vec!["productsoort"]);
    let wrong = json!({"soort": "tafelproduct", "titel": "Verkeerde soort", "samenvatting": "s", "publiek": "netwerk", "productsoort": "gedicht"});
    assert_eq!(names(&t.api(Method::POST, "/api/v1/kennisitems", Some(&editor.token), Some(wrong)).await?.assert_problem(422)?), vec!["productsoort"]);

    // Concepts are the editors' alone: nothing of them anywhere else, counts and facets included.
    let seen = ok(t.api(Method::GET, "/api/v1/kennisitems", Some(&gemeente.token), None).await?)?;
    assert_eq!((seen["totaal"].as_i64(), seen["facetten"]["soort"].as_array().map(Vec::len)), (Some(0), Some(0)), "{seen}");
    t.api(Method::GET, &format!("/api/v1/kennisitems/{}", ids[0]), None, None).await?.assert_problem(404)?;
    assert_eq!(ok(t.api(Method::GET, "/api/v1/kennisitems", Some(&editor.token), None).await?)?["totaal"], 4);

    // The workflow: offered for review, returned only with a reason, published by somebody else.
    let step =
        |id: i64, stap: &str, versie: i64, toelichting: &str| (format!("/api/v1/kennisitems/{id}/_stappen"), json!({"stap": stap, "versie": versie, "toelichting": toelichting}));
    let (path, body) = step(ids[0], "publiceren", 1, "");
    assert!(t.api(Method::POST, &path, Some(&editor.token), Some(body)).await?.assert_problem(409)?["detail"].as_str().is_some_and(|d| d.contains("concept")));
    let (path, body) = step(ids[0], "indienen", 2, "");
    t.api(Method::POST, &path, Some(&editor.token), Some(body)).await?.assert_problem(409)?;
    for id in &ids {
        let (path, body) = step(*id, "indienen", 1, "");
        assert_eq!(ok(t.api(Method::POST, &path, Some(&editor.token), Some(body)).await?)?["status"], "ter-beoordeling");
    }
    let home = t.page("/", Some(&liec)).await?.body;
    assert!(home.contains("Kennisitems om te beoordelen en te publiceren") && home.contains("4 kennisitems"), "{home}");
    let (path, body) = step(ids[0], "terugsturen", 1, "");
    assert_eq!(names(&t.api(Method::POST, &path, Some(&liec.token), Some(body)).await?.assert_problem(422)?), vec!["toelichting"]);
    let (path, body) = step(ids[0], "publiceren", 1, "");
    t.api(Method::POST, &path, Some(&editor.token), Some(body)).await?.assert_problem(403)?;
    for id in &ids {
        let (path, body) = step(*id, "publiceren", 1, "");
        let done = ok(t.api(Method::POST, &path, Some(&liec.token), Some(body)).await?)?;
        assert_eq!((done["status"].as_str(), done["stappen"].as_array().map(Vec::len)), (Some("gepubliceerd"), Some(2)), "{done}");
    }

    // Each audience: its items, its counts, its facets — never more.
    let anonymous = ok(t.api(Method::GET, "/api/v1/kennisitems", None, None).await?)?;
    assert_eq!((titles(&anonymous), anonymous["totaal"].as_i64()), (vec!["Nieuws voor iedereen".to_string()], Some(1)), "{anonymous}");
    assert_eq!(anonymous["facetten"]["fenomeen"][0]["aantal"], 1);
    let partner = ok(t.api(Method::GET, "/api/v1/kennisitems", Some(&gemeente.token), None).await?)?;
    assert_eq!(titles(&partner), vec!["Handreiking 13b", "Nieuws voor iedereen"], "{partner}");
    assert_eq!((partner["totaal"].as_i64(), partner["facetten"]["partnertype"][0]["aantal"].as_i64()), (Some(2), Some(2)));
    assert!(partner["items"][0].get("status").is_none(), "{partner}");
    let all = ok(t.api(Method::GET, "/api/v1/kennisitems?fenomeen=witwassen", Some(&editor.token), None).await?)?;
    assert_eq!(all["totaal"], 4);
    for (i, id) in ids.iter().enumerate() {
        let path = format!("/api/v1/kennisitems/{id}");
        assert_eq!(t.api(Method::GET, &path, None, None).await?.status, if i == 0 { 200 } else { 404 }, "anonymous {i}");
        assert_eq!(t.api(Method::GET, &path, Some(&gemeente.token), None).await?.status, if i < 2 { 200 } else { 404 }, "partner {i}");
    }
    let read = ok(t.api(Method::GET, &format!("/api/v1/kennisitems/{}", ids[1]), Some(&gemeente.token), None).await?)?;
    assert!(
        read.get("status").is_none()
            && read.get("publiek").is_none()
            && read["versies"].as_array().is_some_and(|v| v.is_empty())
            && read["stappen"].as_array().is_some_and(|v| v.is_empty()),
        "{read}"
    );
    t.api(Method::GET, "/api/v1/kennisitems?soort=onzin", Some(&gemeente.token), None).await?.assert_problem(422)?;
    for bad in ["pagina=0", "pagina=9223372036854775807", "jaar=99999", "pagina=abc"] {
        let r = t.api(Method::GET, &format!("/api/v1/kennisitems?{bad}"), Some(&gemeente.token), None).await?;
        assert!(r.status == 400 || r.status == 422, "{bad}: {}", r.status);
    }
    assert_eq!(t.page("/kennis?pagina=9223372036854775807", None).await?.status, 400);

    // The private member (no role, no case data) reads the public and its group's item, on the pages.
    let list = t.page("/kennis", Some(&bank)).await?;
    assert_eq!(list.status, 200);
    assert!(
        list.body.contains("Nieuws voor iedereen") && list.body.contains("Tafelproduct witwassen") && !list.body.contains("Handreiking 13b") && !list.body.contains("Uitspraak"),
        "{}",
        list.body
    );
    assert!(!list.body.contains("href=\"/signalen\"") && !list.body.contains("href=\"/landelijke-aanpakken\""), "the network's menu for a member without a role");
    assert_eq!(t.page(&format!("/kennis/{}", ids[2]), Some(&bank)).await?.status, 200);
    assert_eq!(t.page(&format!("/kennis/{}", ids[1]), Some(&bank)).await?.status, 404);
    let visitor = t.page("/kennis", None).await?;
    assert!(visitor.status == 200 && visitor.body.contains("Nieuws voor iedereen") && !visitor.body.contains("Tafelproduct"), "{}", visitor.body);
    assert_eq!(t.page(&format!("/kennis/{}", ids[1]), None).await?.status, 404);

    // Attachments: the text of a PDF is found for search, a broken PDF is kept with the reason,
    // an executable is refused; each reads the files of the items it reads, no one else.
    let pdf = knooppunt_pdf::render(&knooppunt_pdf::Document {
        title: "Handreiking".into(),
        language: "nl".into(),
        blocks: vec![knooppunt_pdf::Block::Paragraph("Damocles bij een hennepkwekerij in het buitengebied.".into())],
        footer: String::new(),
    })?;
    let public_files = format!("/api/v1/kennisitems/{}/bijlagen", ids[0]);
    let network_files = format!("/api/v1/kennisitems/{}/bijlagen", ids[1]);
    upload(&t, &public_files, Some(&gemeente.token), None, None, "handreiking.pdf", &pdf).await?.assert_problem(403)?;
    let with = ok(upload(&t, &public_files, Some(&editor.token), None, None, "handreiking.pdf", &pdf).await?)?;
    assert_eq!((with["bijlagen"][0]["naam"].as_str(), with["bijlagen"][0]["tekstGevonden"].as_bool()), (Some("handreiking.pdf"), Some(true)), "{with}");
    let broken = ok(upload(&t, &network_files, Some(&editor.token), None, None, "kapot.pdf", b"%PDF-1.7\n%%EOF").await?)?;
    assert_eq!(broken["bijlagen"][0]["tekstGevonden"], false, "{broken}");
    assert_eq!(names(&upload(&t, &network_files, Some(&editor.token), None, None, "tool.exe", b"MZ\x90\x00").await?.assert_problem(422)?), vec!["bestand"]);
    assert_eq!(t.count("SELECT COUNT(*) FROM knowledge_attachments WHERE text LIKE '%hennepkwekerij%'").await?, 1);
    assert_eq!(t.count("SELECT COUNT(*) FROM knowledge_attachments WHERE text = '' AND text_note LIKE '%PDF%'").await?, 1);
    let public_file = format!("{public_files}/{}", with["bijlagen"][0]["id"]);
    let network_file = format!("{network_files}/{}", broken["bijlagen"][0]["id"]);
    let got = t.api(Method::GET, &public_file, None, None).await?;
    assert_eq!((got.status, got.content_type()), (axum::http::StatusCode::OK, "application/pdf"));
    t.api(Method::GET, &network_file, None, None).await?.assert_problem(404)?;
    assert_eq!(t.api(Method::GET, &network_file, Some(&gemeente.token), None).await?.status, 200);
    assert_eq!(t.page(&format!("/kennis/{}/bijlagen/{}", ids[1], broken["bijlagen"][0]["id"]), None).await?.status, 404);
    assert_eq!(t.page(&format!("/kennis/{}/bijlagen/{}", ids[0], with["bijlagen"][0]["id"]), None).await?.status, 200);
    t.api(Method::GET, &format!("{public_files}/{}", broken["bijlagen"][0]["id"]), None, None).await?.assert_problem(404)?;

    // A new version: stale refused, history for the editors, archiving ends edits.
    let change = json!({"soort": "handreiking", "titel": "Handreiking 13b Opiumwet", "samenvatting": "Sluiten bij drugshandel.", "publiek": "netwerk", "toelichting": "Titel verduidelijkt", "versie": 1});
    let changed = ok(t.api(Method::PUT, &format!("/api/v1/kennisitems/{}", ids[1]), Some(&editor.token), Some(change.clone())).await?)?;
    assert_eq!((changed["versie"].as_i64(), changed["versies"].as_array().map(Vec::len)), (Some(2), Some(2)), "{changed}");
    t.api(Method::PUT, &format!("/api/v1/kennisitems/{}", ids[1]), Some(&editor.token), Some(change)).await?.assert_problem(409)?;
    let (path, body) = step(ids[1], "archiveren", 2, "Vervangen");
    ok(t.api(Method::POST, &path, Some(&editor.token), Some(body)).await?)?;
    assert_eq!(ok(t.api(Method::GET, "/api/v1/kennisitems", Some(&gemeente.token), None).await?)?["totaal"], 1);

    // The pages of the editors: the form names every mistake in Dutch; the steps are buttons.
    let bad = t.form("/kennis", Some(&editor), &[("soort", "handreiking"), ("publiek", "netwerk")], None).await?;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("Geef het kennisitem een titel.") && bad.body.contains("Vat in een paar zinnen samen"), "{}", bad.body);
    let made = t
        .form(
            "/kennis",
            Some(&editor),
            &[("soort", "nieuws"), ("titel", "Bericht"), ("samenvatting", "Kort."), ("publiek", "openbaar"), ("fenomenen", "witwassen"), ("fenomenen", "omg")],
            None,
        )
        .await?;
    assert_eq!(made.status, 303, "{}", made.body);
    let page = t.page(made.location(), Some(&editor)).await?;
    assert!(page.body.contains("Ter beoordeling aanbieden") && page.body.contains("Witwassen"), "{}", page.body);
    assert_eq!(t.page("/kennis/nieuw", Some(&gemeente)).await?.status, 403);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM audit_log WHERE action IN ('kennisitem-aangemaakt', 'kennisitem-stap', 'kennisitem-gewijzigd', 'kennisgroep-aangemaakt', 'kennisitem-bijlage-toegevoegd')").await?,
        5 + 9 + 1 + 1 + 2
    );
    Ok(())
}

db_test!(each_audience_reads_exactly_its_published_knowledge);

/// The start page: a user follows themes and sees per theme the newest items they may read
/// (published ones only); a wrong choice is named; an editor's returned concept is a work line.
async fn the_start_page_shows_the_followed_themes_and_the_editors_returned_work(mut t: TestApp) -> Result<()> {
    let editor = t.actor(Role::KnowledgeEditor).await?;
    let liec = t.actor(Role::LiecCoordinator).await?;
    let gemeente = t.actor(Role::PartnerEmployee).await?;
    let mut ids = Vec::new();
    for (title, theme) in [("Hennep een", "hennepteelt"), ("Hennep twee", "hennepteelt"), ("Geld wit", "witwassen"), ("Hennep concept", "hennepteelt")] {
        let body = json!({"soort": "handreiking", "titel": title, "samenvatting": "S.", "publiek": "netwerk", "fenomenen": [theme]});
        ids.push(ok(t.api(Method::POST, "/api/v1/kennisitems", Some(&editor.token), Some(body)).await?)?["id"].as_i64().unwrap_or_default());
    }
    for id in &ids[..3] {
        ok(t.api(Method::POST, &format!("/api/v1/kennisitems/{id}/_stappen"), Some(&editor.token), Some(json!({"stap": "indienen", "versie": 1}))).await?)?;
    }
    // The editor offers the last one herself (signed in, not through a system client's token).
    assert_eq!(t.form(&format!("/kennis/{}/stap", ids[3]), Some(&editor), &[("stap", "indienen"), ("versie", "1")], None).await?.status, 303);
    for id in &ids[..3] {
        ok(t.api(Method::POST, &format!("/api/v1/kennisitems/{id}/_stappen"), Some(&liec.token), Some(json!({"stap": "publiceren", "versie": 1}))).await?)?;
    }
    let body = json!({"stap": "terugsturen", "versie": 1, "toelichting": "Een voorbeeld erbij."});
    ok(t.api(Method::POST, &format!("/api/v1/kennisitems/{}/_stappen", ids[3]), Some(&liec.token), Some(body)).await?)?;

    // Nothing followed yet: an invitation to choose.
    let start = t.page("/kennis", Some(&gemeente)).await?.body;
    assert!(start.contains("U volgt nog geen thema") && start.contains("Nieuwste kennis"), "{start}");
    assert!(!t.page("/kennis", None).await?.body.contains("Uw thema"), "visitors follow nothing");
    let bad = t.form("/kennis/mijn-themas", Some(&gemeente), &[("fenomenen", "bestaat-niet")], None).await?;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("Onbekend fenomeen &#39;bestaat-niet&#39;."), "{}", bad.body);
    let r = t.form("/kennis/mijn-themas", Some(&gemeente), &[("fenomenen", "hennepteelt")], None).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let start = t.page("/kennis?melding=themas", Some(&gemeente)).await?.body;
    let themes = start.split("id=\"mijn-themas\"").nth(1).and_then(|x| x.split("</section>").next()).unwrap_or_default().to_string();
    assert!(themes.contains("Hennep een") && themes.contains("Hennep twee"), "{themes}");
    assert!(!themes.contains("Geld wit") && !themes.contains("Hennep concept"), "{themes}");
    assert!(start.contains("Uw thema&#39;s zijn opgeslagen"), "{start}");
    // With a selection the page is a list, without the themes.
    assert!(!t.page("/kennis?soort=handreiking", Some(&gemeente)).await?.body.contains("id=\"mijn-themas\""));

    // The editor's returned concept is her work; the LIEC's review queue is empty again.
    let home = t.page("/", Some(&editor)).await?.body;
    assert!(home.contains("Uw kennisitems die terugkwamen om aan te vullen") && home.contains("1 kennisitem"), "{home}");
    assert_eq!(t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'kennisthemas-gekozen'").await?, 1);
    Ok(())
}
db_test!(the_start_page_shows_the_followed_themes_and_the_editors_returned_work);
