//! Code Geel through the API and the UI: the knowledge editors make an edition (bad input
//! listed field by field, a taken number refused, nothing stored; nobody else may), write its
//! articles and publish it; a concept is the editors' alone; a published edition gives visitors
//! its public articles, the network also those for the network — in the web edition, the
//! printable edition, the PDF and the API alike.

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

async fn editors_write_and_publish_and_each_reader_reads_their_articles(mut t: TestApp) -> Result<()> {
    let editor = t.actor(Role::KnowledgeEditor).await?;
    let liec = t.actor(Role::LiecCoordinator).await?;
    let analyst = t.actor(Role::RiecAnalyst).await?;
    let notary = t.private_member("notaris.kaan", "Koninklijke Notariële Beroepsorganisatie").await?;
    let rows = "SELECT (SELECT COUNT(*) FROM magazine_editions) + (SELECT COUNT(*) FROM magazine_articles)";

    // Bad input: every field named, nothing stored; only the editors write.
    let p = t.api(Method::POST, "/api/v1/code-geel-edities", Some(&editor.token), Some(json!({"nummer": 0, "jaargang": 1850, "themanummer": true}))).await?.assert_problem(422)?;
    for field in ["nummer", "jaargang", "thema"] {
        assert!(p.to_string().contains(field), "{field}: {p}");
    }
    t.api(Method::POST, "/api/v1/code-geel-edities", Some(&analyst.token), Some(json!({"nummer": 1, "jaargang": 2026}))).await?.assert_problem(403)?;
    assert_eq!(t.count(rows).await?, 0);

    // A theme issue in concept, with a public and a network article.
    let body = json!({"nummer": 4, "jaargang": 2026, "thema": "Buitengebied", "themanummer": true, "inleiding": "Over het buitengebied."});
    let e = ok(t.api(Method::POST, "/api/v1/code-geel-edities", Some(&editor.token), Some(body)).await?)?;
    let id = e["id"].as_i64().ok_or_else(|| anyhow!("no id: {e}"))?;
    let again = t.api(Method::POST, "/api/v1/code-geel-edities", Some(&editor.token), Some(json!({"nummer": 4, "jaargang": 2026}))).await?.assert_problem(422)?;
    assert!(again.to_string().contains("nummer"), "{again}");
    let base = format!("/api/v1/code-geel-edities/{id}");
    let p = t
        .api(Method::POST, &format!("{base}/artikelen"), Some(&editor.token), Some(json!({"titel": " ", "themas": ["bestaat-niet"], "publiek": "iedereen"})))
        .await?
        .assert_problem(422)?;
    for field in ["titel", "intro", "tekst", "themas", "publiek"] {
        assert!(p.to_string().contains(field), "{field}: {p}");
    }
    let public = json!({"titel": "ZQXPUBTITLE Een schuur vol vaten", "intro": "Een boer vertelt.", "tekst": "Eerste alinea.\n\nTweede alinea.", "themas": ["synthetische-drugs"], "publiek": "openbaar"});
    ok(t.api(Method::POST, &format!("{base}/artikelen"), Some(&editor.token), Some(public)).await?)?;
    let network = json!({"titel": "ZQXNETTITLE Zo pakte de regio het aan", "intro": "Een aanpak.", "tekst": "ZQXNETBODY"});
    let e = ok(t.api(Method::POST, &format!("{base}/artikelen"), Some(&editor.token), Some(network)).await?)?;
    assert_eq!(e["artikelen"].as_array().map(Vec::len), Some(2), "{e}");
    assert_eq!(e["artikelen"][1]["publiek"], "netwerk", "the network is the default: {e}");

    // A concept is the editors' alone.
    for (who, status) in [(Some(&editor), 200), (Some(&liec), 200), (Some(&analyst), 404), (None, 404)] {
        assert_eq!(t.api(Method::GET, &base, who.map(|a| a.token.as_str()), None).await?.status, status);
    }
    assert_eq!(t.page(&format!("/code-geel/{id}"), Some(&analyst)).await?.status, 404);
    assert!(!t.page("/code-geel", None).await?.body.contains("themanummer Buitengebied"));

    // Published: visitors and private members read the public article, the network both.
    t.api(Method::POST, &format!("{base}/_status"), Some(&analyst.token), Some(json!({"gepubliceerd": true, "versie": e["versie"]}))).await?.assert_problem(404)?;
    let e = ok(t.api(Method::POST, &format!("{base}/_status"), Some(&liec.token), Some(json!({"gepubliceerd": true, "versie": e["versie"]}))).await?)?;
    assert_eq!((e["status"].as_str(), e["gepubliceerdOp"].as_str()), (Some("gepubliceerd"), Some("2026-11-28")), "{e}");
    let anon = ok(t.api(Method::GET, &base, None, None).await?)?;
    assert_eq!(anon["artikelen"].as_array().map(Vec::len), Some(1), "{anon}");
    assert!(!anon.to_string().contains("ZQXNET"), "{anon}");
    let net = ok(t.api(Method::GET, &base, Some(&analyst.token), None).await?)?;
    assert_eq!(net["artikelen"].as_array().map(Vec::len), Some(2), "{net}");
    let list = ok(t.api(Method::GET, "/api/v1/code-geel-edities", None, None).await?)?;
    assert_eq!(list["edities"][0]["artikelen"], 1, "counts only what the reader reads: {list}");
    for (who, sees_network) in [(None, false), (Some(&notary), false), (Some(&analyst), true)] {
        for path in [format!("/code-geel/{id}"), format!("/code-geel/{id}/afdruk")] {
            let page = t.page(&path, who).await?;
            assert_eq!(page.status, 200, "{path}");
            assert!(page.body.contains("ZQXPUBTITLE") && page.body.contains("Tweede alinea."), "{path}");
            assert_eq!(page.body.contains("ZQXNET"), sees_network, "{path}");
        }
        let pdf = t.page(&format!("/code-geel/{id}/code-geel.pdf"), who).await?;
        assert_eq!(pdf.status, 200);
        assert!(pdf.bytes.starts_with(b"%PDF"));
        assert_eq!(pdf.headers.get("content-type").and_then(|v| v.to_str().ok()), Some("application/pdf"));
    }
    let shown = t.page(&format!("/code-geel/{id}"), None).await?.body;
    assert!(shown.contains("inloggen"), "a visitor is told the network's articles need signing in");

    // Editing: a stale version is refused; taking back makes it a concept again.
    t.api(Method::PUT, &base, Some(&editor.token), Some(json!({"nummer": 4, "jaargang": 2026, "thema": "Buitengebied", "themanummer": true, "versie": 1})))
        .await?
        .assert_problem(409)?;
    let aid = net["artikelen"][1]["id"].as_i64().unwrap_or(0);
    let changed = json!({"titel": "ZQXNETTITLE Zo pakte Oost-Brabant het aan", "intro": "Een aanpak.", "tekst": "Nieuw.", "publiek": "openbaar", "volgorde": 1});
    let e = ok(t.api(Method::PUT, &format!("{base}/artikelen/{aid}"), Some(&editor.token), Some(changed)).await?)?;
    assert_eq!(e["artikelen"][0]["id"].as_i64(), Some(aid), "moved to the front: {e}");
    let e = ok(t.api(Method::POST, &format!("{base}/_status"), Some(&editor.token), Some(json!({"gepubliceerd": false, "versie": e["versie"]}))).await?)?;
    assert_eq!(e["status"], "concept");
    assert_eq!(t.api(Method::GET, &base, None, None).await?.status, 404);
    assert_eq!(t.count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'code-geel-%'").await?, 6);
    Ok(())
}
db_test!(editors_write_and_publish_and_each_reader_reads_their_articles);

async fn every_role_meets_the_magazine_endpoints_as_policy_says(mut t: TestApp) -> Result<()> {
    let editor = t.actor(Role::KnowledgeEditor).await?;
    let e = ok(t.api(Method::POST, "/api/v1/code-geel-edities", Some(&editor.token), Some(json!({"nummer": 1, "jaargang": 2027}))).await?)?;
    let id = e["id"].as_i64().unwrap_or(0);
    let rows = "SELECT (SELECT COUNT(*) FROM magazine_editions) + (SELECT COUNT(*) FROM magazine_articles) + CAST((SELECT SUM(version) FROM magazine_editions) AS BIGINT)";
    let before = t.count(rows).await?;
    for role in Role::ALL {
        let who = t.actor(role).await?;
        let writer = matches!(role, Role::LiecCoordinator | Role::KnowledgeEditor);
        let l = ok(t.api(Method::GET, "/api/v1/code-geel-edities", Some(&who.token), None).await?)?;
        assert_eq!(l["edities"].as_array().map(Vec::len), Some(usize::from(writer)), "{role:?}: a concept is the editors'");
        let r = t.api(Method::POST, &format!("/api/v1/code-geel-edities/{id}/artikelen"), Some(&who.token), Some(json!({"titel": ""}))).await?;
        assert_eq!(r.status, if writer { 422 } else { 404 }, "{role:?}: {}", r.body);
        let r = t.api(Method::POST, "/api/v1/code-geel-edities", Some(&who.token), Some(json!({"nummer": 0}))).await?;
        assert_eq!(r.status, if writer { 422 } else { 403 }, "{role:?}: {}", r.body);
        assert_eq!(t.page(&format!("/code-geel/{id}"), Some(&who)).await?.status, if writer { 200 } else { 404 }, "{role:?}");
    }
    assert_eq!(t.count(rows).await?, before, "nothing changed");
    Ok(())
}
db_test!(every_role_meets_the_magazine_endpoints_as_policy_says);
