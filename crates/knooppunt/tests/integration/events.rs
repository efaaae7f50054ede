//! The LIEC's events through the API and the UI: an organiser plans an event (bad input listed
//! field by field, nothing stored; nobody else may); signed-in people register until it is
//! full, the next waits, a cancellation moves the longest waiting up at once and tells them;
//! the attendee list (names, e-mail addresses) is the organisers' alone and its reading is
//! logged per registration; public events are seen without signing in, network events not;
//! weeks after the event the purge erases the registrants' personal data.

use anyhow::{anyhow, Result};
use axum::http::Method;
use knooppunt_domain::Role;
use knooppunt_testkit::{db_test, Actor, TestApp, TestResponse};
use serde_json::{json, Value};

const DAY_MS: i64 = 86_400_000;

fn ok(r: TestResponse) -> Result<Value> {
    if r.status != 200 && r.status != 201 {
        return Err(anyhow!("expected 200/201, got {}: {}", r.status, r.body));
    }
    r.json()
}

fn event(title: &str, day: &str, capacity: i64, audience: &str) -> Value {
    json!({"soort": "masterclass", "titel": title, "datum": day, "begintijd": "13:30", "eindtijd": "17:00", "plaats": "Den Haag", "capaciteit": capacity, "publiek": audience})
}

/// Registers `who` through the UI form; the status it lands in (the notice code of the redirect).
async fn register(t: &TestApp, id: i64, who: &Actor) -> Result<String> {
    let r = t.form(&format!("/bijeenkomsten/{id}/aanmelden"), Some(who), &[("opmerking", "")], None).await?;
    let location = r.headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    if r.status != 303 {
        return Ok(r.status.as_u16().to_string());
    }
    Ok(location.split("melding=").nth(1).and_then(|s| s.split('#').next()).unwrap_or_default().to_string())
}

async fn an_event_fills_the_next_waits_and_moves_up_when_someone_cancels(mut t: TestApp) -> Result<()> {
    let liec = t.actor(Role::LiecCoordinator).await?;
    let analyst = t.actor(Role::RiecAnalyst).await?;
    let jurist = t.actor(Role::RiecLegalAdviser).await?;
    let police = t.actor(Role::PartnerEmployee).await?;
    let notary = t.private_member("notaris.kaan", "Koninklijke Notariële Beroepsorganisatie").await?;
    let rows = "SELECT (SELECT COUNT(*) FROM events) + (SELECT COUNT(*) FROM event_registrations)";

    // Bad input: every field named, nothing stored; only the organisers plan events.
    let bad = json!({"soort": "borrel", "titel": " ", "datum": "31-02-2026", "begintijd": "25:00", "eindtijd": "09:00", "capaciteit": 0, "bewaartermijnWeken": 99});
    let p = t.api(Method::POST, "/api/v1/bijeenkomsten", Some(&liec.token), Some(bad)).await?.assert_problem(422)?;
    for field in ["soort", "titel", "datum", "begintijd", "plaats", "capaciteit", "bewaartermijnWeken"] {
        assert!(p.to_string().contains(field), "{field}: {p}");
    }
    t.api(Method::POST, "/api/v1/bijeenkomsten", Some(&analyst.token), Some(event("Mag ik?", "2026-12-10", 2, "netwerk"))).await?.assert_problem(403)?;
    assert_eq!(t.count(rows).await?, 0);

    // A network masterclass for two, ten days ahead (the test clock stands at 28 November).
    let e = ok(t.api(Method::POST, "/api/v1/bijeenkomsten", Some(&liec.token), Some(event("ZQXEVENT Masterclass Bibob", "08-12-2026", 2, "netwerk"))).await?)?;
    let id = e["id"].as_i64().ok_or_else(|| anyhow!("no id: {e}"))?;
    assert_eq!((e["aanmeldenVanaf"].as_str(), e["aanmeldenTot"].as_str(), e["wissenOp"].as_str()), (Some("2026-11-28"), Some("2026-12-07"), Some("2027-01-05")), "{e}");

    // Two get a place, the third waits; nobody registers twice; a private member does not see a
    // network event at all.
    assert_eq!(register(&t, id, &analyst).await?, "bevestigd");
    assert_eq!(register(&t, id, &jurist).await?, "bevestigd");
    assert_eq!(register(&t, id, &police).await?, "wachtlijst");
    assert_eq!(register(&t, id, &analyst).await?, "409");
    assert_eq!(register(&t, id, &notary).await?, "404");
    assert_eq!(t.page(&format!("/bijeenkomsten/{id}"), Some(&notary)).await?.status, 404);
    let page = t.page(&format!("/bijeenkomsten/{id}"), Some(&police)).await?.body;
    assert!(page.contains("U staat op de wachtlijst, als nummer 1"), "{page}");
    let e = ok(t.api(Method::GET, &format!("/api/v1/bijeenkomsten/{id}"), Some(&analyst.token), None).await?)?;
    assert_eq!((e["aangemeld"].as_i64(), e["wachtlijst"].as_i64()), (Some(2), Some(1)), "{e}");
    // Fewer places than are taken cannot be set.
    let mut less = event("ZQXEVENT Masterclass Bibob", "2026-12-08", 1, "netwerk");
    less["versie"] = e["versie"].clone();
    t.api(Method::PUT, &format!("/api/v1/bijeenkomsten/{id}"), Some(&liec.token), Some(less)).await?.assert_problem(422)?;
    // The organisers' work list names the coming event with a waiting list; others have no such line.
    let work = t.page("/", Some(&liec)).await?.body;
    assert!(work.contains("Komende bijeenkomsten met een wachtlijst") && work.contains("1 bijeenkomst"), "{work}");
    assert!(!t.page("/", Some(&analyst)).await?.body.contains("met een wachtlijst"));

    // The analyst cancels: the police officer moves up at once and is told.
    let r = t.form(&format!("/bijeenkomsten/{id}/afmelden"), Some(&analyst), &[], None).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(t.page(&format!("/bijeenkomsten/{id}"), Some(&police)).await?.body.contains("van de wachtlijst geplaatst"));
    assert_eq!(t.count(&format!("SELECT COUNT(*) FROM notifications WHERE kind = 'bijeenkomst-plaats' AND user_id = {}", police.user_id)).await?, 1);
    assert_eq!(t.form(&format!("/bijeenkomsten/{id}/afmelden"), Some(&analyst), &[], None).await?.status, 409, "cancelled already");

    // The attendee list: the organisers only, and each registration read is logged.
    for (who, status) in [(&analyst, 403), (&police, 403), (&jurist, 403)] {
        t.api(Method::GET, &format!("/api/v1/bijeenkomsten/{id}/deelnemers"), Some(&who.token), None).await?.assert_problem(status)?;
        assert_eq!(t.page(&format!("/bijeenkomsten/{id}/deelnemers.csv"), Some(who)).await?.status, status);
    }
    assert_eq!(t.page(&format!("/bijeenkomsten/{id}/deelnemers"), Some(&notary)).await?.status, 404);
    let l = ok(t.api(Method::GET, &format!("/api/v1/bijeenkomsten/{id}/deelnemers"), Some(&liec.token), None).await?)?;
    let statuses: Vec<&str> = l["deelnemers"].as_array().map(|a| a.iter().filter_map(|d| d["status"].as_str()).collect()).unwrap_or_default();
    assert_eq!(statuses, ["bevestigd", "bevestigd", "geannuleerd"], "{l}");
    assert!(l["deelnemers"][0]["eMailadres"].as_str().is_some_and(|m| m.contains('@')), "{l}");
    assert_eq!(t.count("SELECT COUNT(*) FROM processing_log WHERE activity_code = 'bijeenkomsten'").await?, 3);
    let csv = t.page(&format!("/bijeenkomsten/{id}/deelnemers.csv"), Some(&liec)).await?;
    assert_eq!(csv.status, 200);
    assert!(csv.body.starts_with("naam;organisatie;e-mailadres;status") && csv.body.contains("Afgemeld"), "{}", csv.body);

    // A public event is seen without signing in; the network's is not, nor its title.
    ok(t.api(Method::POST, "/api/v1/bijeenkomsten", Some(&liec.token), Some(event("ZQXPUBLIC Themamiddag buitengebied", "2026-12-20", 100, "openbaar"))).await?)?;
    let anonymous = t.page("/bijeenkomsten", None).await?;
    assert_eq!(anonymous.status, 200);
    assert!(anonymous.body.contains("ZQXPUBLIC") && !anonymous.body.contains("ZQXEVENT"), "{}", anonymous.body);
    let l = ok(t.api(Method::GET, "/api/v1/bijeenkomsten", None, None).await?)?;
    assert_eq!(l["bijeenkomsten"].as_array().map(Vec::len), Some(1), "{l}");
    assert_eq!(t.api(Method::GET, &format!("/api/v1/bijeenkomsten/{id}"), None, None).await?.status, 404);
    assert!(t.page("/bijeenkomsten", Some(&notary)).await?.body.contains("ZQXPUBLIC"));

    // Four weeks after the event the registrants' personal data go; the counts stay.
    t.clock.advance_ms(39 * DAY_MS);
    let purged = t.app.purge().await.map_err(|e| anyhow!(e.to_string()))?;
    assert_eq!(purged.registrations, 3);
    assert_eq!(t.count(&format!("SELECT COUNT(*) FROM event_registrations WHERE event_id = {id} AND (name <> '' OR email <> '' OR user_id IS NOT NULL)")).await?, 0);
    assert_eq!(t.count(&format!("SELECT COUNT(*) FROM event_registrations WHERE event_id = {id} AND status = 'bevestigd'")).await?, 2);
    assert_eq!(t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'bijeenkomst-aanmeldingen-gewist'").await?, 1);
    assert_eq!(t.app.purge().await.map_err(|e| anyhow!(e.to_string()))?.registrations, 0, "once");
    Ok(())
}
db_test!(an_event_fills_the_next_waits_and_moves_up_when_someone_cancels);

async fn every_role_meets_the_event_endpoints_as_policy_says(mut t: TestApp) -> Result<()> {
    let liec = t.actor(Role::LiecCoordinator).await?;
    let e = ok(t.api(Method::POST, "/api/v1/bijeenkomsten", Some(&liec.token), Some(event("ZQXNETWORK Aftrap", "2026-12-10", 5, "netwerk"))).await?)?;
    let id = e["id"].as_i64().unwrap_or(0);
    let rows = "SELECT (SELECT COUNT(*) FROM events) + (SELECT COUNT(*) FROM event_registrations) + CAST((SELECT SUM(version) FROM events) AS BIGINT)";
    let before = t.count(rows).await?;
    for role in Role::ALL {
        let who = t.actor(role).await?;
        let organiser = matches!(role, Role::LiecCoordinator | Role::KnowledgeEditor);
        let l = ok(t.api(Method::GET, "/api/v1/bijeenkomsten", Some(&who.token), None).await?)?;
        assert_eq!(l["bijeenkomsten"].as_array().map(Vec::len), Some(1), "{role:?}: every role is in the network");
        let r = t.api(Method::GET, &format!("/api/v1/bijeenkomsten/{id}/deelnemers"), Some(&who.token), None).await?;
        assert_eq!(r.status, if organiser { 200 } else { 403 }, "{role:?}: {}", r.body);
        let r = t.api(Method::PUT, &format!("/api/v1/bijeenkomsten/{id}"), Some(&who.token), Some(json!({"titel": "", "versie": 1}))).await?;
        assert_eq!(r.status, if organiser { 422 } else { 403 }, "{role:?}: {}", r.body);
        let r = t.page(&format!("/bijeenkomsten/{id}/wijzigen"), Some(&who)).await?;
        assert_eq!(r.status, if organiser { 200 } else { 403 }, "{role:?}");
    }
    assert_eq!(t.count(rows).await?, before, "nothing changed");
    Ok(())
}
db_test!(every_role_meets_the_event_endpoints_as_policy_says);
