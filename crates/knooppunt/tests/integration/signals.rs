//! The Landelijk Loket Bestuurlijke Signalen: the workflow through the API, bad input, and
//! need-to-know for the source and the contact.

use crate::notifications::waiting;
use anyhow::{anyhow, Result};
use axum::http::Method;
use knooppunt_domain::policy_signal::SignalState;
use knooppunt_domain::Role;
use knooppunt_policy::signals::{decide_signal, SignalAction, SignalFacts};
use knooppunt_testkit::{db_test, Actor, TestApp};
use serde_json::{json, Value};

const SOURCE: &str = "GEHEIME-BRON-Onderzoek-Zandloper";
const CONTACT: &str = "Contactpersoon-Xyzzy";

pub(crate) fn signal_body(extra_text: &str) -> Value {
    json!({
        "titel": "Vakantieparken als dekmantel voor hennepteelt",
        "juridischProces": "Omgevingsvergunning voor recreatieparken.",
        "zwakkePlek": format!("Permanente bewoning wordt niet gecontroleerd. {extra_text}"),
        "structureel": "Het speelt in veel gemeenten tegelijk.",
        "aanbevelingen": "Bibob-toets bij verkoop van parken.",
        "bron": SOURCE,
        "contact": CONTACT,
        "fenomenen": ["hennepteelt", "buitengebied"],
        "ministeries": ["jenv", "vro"]
    })
}

async fn police(t: &mut TestApp) -> Result<Actor> {
    t.actor_in("agent.de.vries", "Nationale Politie", Role::PartnerEmployee).await
}

async fn post(t: &TestApp, path: &str, who: &Actor, body: Value) -> Result<knooppunt_testkit::TestResponse> {
    t.api(Method::POST, path, Some(&who.token), Some(body)).await
}

async fn workflow_from_draft_to_closed(mut t: TestApp) -> Result<()> {
    let agent = police(&mut t).await?;
    let desk = t.actor(Role::SignalDeskOfficer).await?;
    let created = post(&t, "/api/v1/bestuurlijke-signalen", &agent, signal_body("De huurder met BSN 111222333 woont er al jaren.")).await?;
    assert_eq!(created.status, 200, "{}", created.body);
    let s = created.json()?;
    let id = s["id"].as_i64().ok_or_else(|| anyhow!("no id"))?;
    assert_eq!(s["status"], "concept");
    assert_eq!(s["persoonsgegevens"][0]["soort"], "BSN");
    let path = format!("/api/v1/bestuurlijke-signalen/{id}");
    let steps = format!("{path}/_stappen");

    // Submitting with a BSN in the text is refused with a warning; nothing changes.
    let p = post(&t, &steps, &agent, json!({"stap": "indienen"})).await?.assert_problem(422)?;
    assert_eq!(p["invalidParams"][0]["name"], "persoonsgegevens");
    assert!(p["invalidParams"][0]["reason"].as_str().is_some_and(|r| r.contains("11•••••33") && !r.contains("111222333")));
    // The submitter redacts (with the version read), and submits.
    let version = s["versie"].as_i64().unwrap_or(0);
    let mut redacted = signal_body("");
    redacted["versie"] = json!(version);
    let r = t.api(Method::PATCH, &path, Some(&agent.token), Some(redacted.clone())).await?;
    assert_eq!(r.status, 200, "{}", r.body);
    // A second save with the old version is a conflict: no lost update.
    t.api(Method::PATCH, &path, Some(&agent.token), Some(redacted)).await?.assert_problem(409)?;
    let r = post(&t, &steps, &agent, json!({"stap": "indienen"})).await?;
    assert_eq!(r.json()?["status"], "ingediend", "{}", r.body);

    // A step the state does not allow, and a step that is not the submitter's.
    post(&t, &steps, &desk, json!({"stap": "aanbieden"})).await?.assert_problem(409)?;
    post(&t, &steps, &agent, json!({"stap": "beoordelen"})).await?.assert_problem(403)?;
    assert_eq!(post(&t, &steps, &desk, json!({"stap": "beoordelen"})).await?.json()?["status"], "in-beoordeling");

    // Question and answer.
    post(&t, &format!("{path}/berichten"), &desk, json!({"bericht": "In welke gemeenten speelt dit?"})).await?;
    let r = post(&t, &format!("{path}/berichten"), &agent, json!({"bericht": "In vier gemeenten."})).await?.json()?;
    assert_eq!(r["berichten"].as_array().map(Vec::len), Some(2));
    assert_eq!(r["berichten"][0]["vanLoket"], true);
    post(&t, &format!("{path}/berichten"), &agent, json!({"bericht": ""})).await?.assert_problem(422)?;

    // Accept, then offer: an unknown ministry and a missing letter are listed together.
    assert_eq!(post(&t, &steps, &desk, json!({"stap": "aanvaarden"})).await?.json()?["status"], "aanvaard");
    let p = post(&t, &steps, &desk, json!({"stap": "aanbieden", "ministeries": ["nergens"], "datum": "morgen"})).await?.assert_problem(422)?;
    let names: Vec<&str> = p["invalidParams"].as_array().into_iter().flatten().filter_map(|e| e["name"].as_str()).collect();
    assert!(names.contains(&"ministeries") && names.contains(&"brief") && names.contains(&"datum"), "{names:?}");
    let desk_ctx = match t.app.session(desk.cookie.trim_start_matches("kp_sessie=")).await.map_err(|e| anyhow!(e.to_string()))? {
        knooppunt_app::auth::SessionLookup::Valid(info) => knooppunt_app::Ctx { principal: Some(info.principal.clone()), ..t.anonymous() },
        _ => return Err(anyhow!("no desk session")),
    };
    let letter = t.app.signal_letter(&desk_ctx, id, &["jenv".into()]).await.map_err(|e| anyhow!(e.to_string()))?;
    assert!(letter.contains("Ministerie van Justitie en Veiligheid") && letter.contains("Vakantieparken"));
    let r = post(&t, &steps, &desk, json!({"stap": "aanbieden", "ministeries": ["jenv"], "tekst": letter, "datum": "2026-11-01"})).await?.json()?;
    assert_eq!(r["status"], "aangeboden");
    assert_eq!(r["aangebodenAan"], json!(["jenv"]));
    assert_eq!(r["teLaat"], false);
    // Eight weeks later the response is overdue and the desk's overview says so.
    t.clock.advance_minutes(60 * 24 * 60);
    let o = t.api(Method::GET, "/api/v1/bestuurlijke-signalen/_overzicht", Some(&desk.token), None).await?.json()?;
    assert_eq!(o["teLaat"][0]["id"], id);
    let r = post(&t, &steps, &desk, json!({"stap": "reactie-vastleggen", "tekst": "De minister neemt het over.", "datum": "2026-12-15"})).await?.json()?;
    assert_eq!(r["status"], "reactie-ontvangen");
    assert_eq!(post(&t, &steps, &desk, json!({"stap": "sluiten"})).await?.json()?["status"], "gesloten");
    // A reply on a closed signal is refused.
    post(&t, &format!("{path}/berichten"), &agent, json!({"bericht": "Nog een vraag"})).await?.assert_problem(409)?;
    let o = t.api(Method::GET, "/api/v1/bestuurlijke-signalen/_overzicht", Some(&desk.token), None).await?.json()?;
    assert_eq!(o["totaal"], 1);
    assert_eq!(o["gemiddeldeReactietermijnDagen"], 44.0);
    assert_eq!(o["perMinisterie"][0]["naam"], "Ministerie van Justitie en Veiligheid");
    // Every step is in the audit log.
    assert!(t.count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'signaal-%'").await? >= 8);
    Ok(())
}
db_test!(workflow_from_draft_to_closed);

async fn bad_input_is_listed_and_changes_nothing(mut t: TestApp) -> Result<()> {
    let agent = police(&mut t).await?;
    let before = t.count("SELECT COUNT(*) FROM policy_signals").await?;
    let p = post(&t, "/api/v1/bestuurlijke-signalen", &agent, json!({"titel": "", "ministeries": ["atlantis"], "fenomenen": ["x"], "vertrouwelijkheid": "geheim"}))
        .await?
        .assert_problem(422)?;
    let names: Vec<&str> = p["invalidParams"].as_array().into_iter().flatten().filter_map(|e| e["name"].as_str()).collect();
    for n in ["titel", "ministeries", "fenomenen", "vertrouwelijkheid"] {
        assert!(names.contains(&n), "{n} in {names:?}");
    }
    post(&t, "/api/v1/bestuurlijke-signalen", &agent, json!({"titel": "x", "kleur": "rood"})).await?.assert_problem(400)?;
    assert_eq!(t.count("SELECT COUNT(*) FROM policy_signals").await?, before);
    // A draft without the required parts cannot be submitted; every missing part is listed.
    let s = post(&t, "/api/v1/bestuurlijke-signalen", &agent, json!({"titel": "Alleen een titel"})).await?.json()?;
    let p = post(&t, &format!("/api/v1/bestuurlijke-signalen/{}/_stappen", s["id"]), &agent, json!({"stap": "indienen"})).await?.assert_problem(422)?;
    assert!(p["invalidParams"].as_array().is_some_and(|a| a.len() >= 6), "{p}");
    post(&t, &format!("/api/v1/bestuurlijke-signalen/{}/_stappen", s["id"]), &agent, json!({"stap": "vliegen"})).await?.assert_problem(422)?;
    // A role that may not submit.
    let auditor = t.actor(Role::Auditor).await?;
    post(&t, "/api/v1/bestuurlijke-signalen", &auditor, signal_body("")).await?.assert_problem(403)?;
    Ok(())
}
db_test!(bad_input_is_listed_and_changes_nothing);

/// Brings a new signal of `who` to `target` through the real workflow.
pub(crate) async fn signal_in_state(t: &TestApp, who: &Actor, desk: &Actor, target: SignalState, body: Value) -> Result<i64> {
    let s = post(t, "/api/v1/bestuurlijke-signalen", who, body).await?.json()?;
    let id = s["id"].as_i64().ok_or_else(|| anyhow!("no id: {s}"))?;
    let steps = format!("/api/v1/bestuurlijke-signalen/{id}/_stappen");
    let path: &[(&str, bool)] = match target {
        SignalState::Draft => &[],
        SignalState::Submitted => &[("indienen", false)],
        SignalState::InAssessment => &[("indienen", false), ("beoordelen", true)],
        SignalState::Returned => &[("indienen", false), ("beoordelen", true), ("terugsturen", true)],
        SignalState::NotAccepted => &[("indienen", false), ("beoordelen", true), ("niet-aanvaarden", true)],
        SignalState::Accepted => &[("indienen", false), ("beoordelen", true), ("aanvaarden", true)],
        SignalState::Offered => &[("indienen", false), ("beoordelen", true), ("aanvaarden", true), ("aanbieden", true)],
        SignalState::Closed => &[("indienen", false), ("beoordelen", true), ("aanvaarden", true), ("sluiten", true)],
        _ => return Err(anyhow!("not used")),
    };
    for (step, by_desk) in path {
        let actor = if *by_desk { desk } else { who };
        let body = json!({"stap": step, "toelichting": "reden", "ministeries": ["jenv"], "tekst": "brief"});
        let r = post(t, &steps, actor, body).await?;
        if r.status != 200 {
            return Err(anyhow!("{step}: {}", r.body));
        }
    }
    Ok(id)
}

async fn source_and_contact_stay_with_the_desk_and_the_submitter(mut t: TestApp) -> Result<()> {
    let agent = police(&mut t).await?;
    let colleague = t.actor_in("agent.bakker", "Nationale Politie", Role::RiecAnalyst).await?;
    let desk = t.actor(Role::SignalDeskOfficer).await?;
    let mut ids = Vec::new();
    for state in [
        SignalState::Draft,
        SignalState::Submitted,
        SignalState::InAssessment,
        SignalState::Returned,
        SignalState::NotAccepted,
        SignalState::Accepted,
        SignalState::Offered,
        SignalState::Closed,
    ] {
        ids.push((state, signal_in_state(&t, &agent, &desk, state, signal_body("")).await?));
    }
    let mut outsiders = Vec::new();
    for role in Role::ALL {
        if role != Role::SignalDeskOfficer {
            outsiders.push(t.actor(role).await?);
        }
    }
    let mut failures = Vec::new();
    let leaks = |body: &str| body.contains(SOURCE) || body.contains(CONTACT);
    for (state, id) in &ids {
        let api = format!("/api/v1/bestuurlijke-signalen/{id}");
        let ui = format!("/signalen/{id}");
        for insider in [&agent, &colleague, &desk] {
            let r = t.api(Method::GET, &api, Some(&insider.token), None).await?;
            if r.status != 200 || !leaks(&r.body) {
                failures.push(format!("{} should see source of {state:?} via API ({})", insider.username, r.status));
            }
            let r = t.page(&ui, Some(insider)).await?;
            if r.status != 200 || !leaks(&r.body) {
                failures.push(format!("{} should see source of {state:?} in the UI ({})", insider.username, r.status));
            }
        }
        for o in &outsiders {
            let r = t.api(Method::GET, &api, Some(&o.token), None).await?;
            let expected = if state.is_accepted() { 200 } else { 404 };
            if r.status.as_u16() != expected || leaks(&r.body) {
                failures.push(format!("{:?} on {state:?} via API: {} leak={}", o.role, r.status, leaks(&r.body)));
            }
            let r = t.page(&ui, Some(o)).await?;
            if r.status.as_u16() != expected || leaks(&r.body) {
                failures.push(format!("{:?} on {state:?} in the UI: {} leak={}", o.role, r.status, leaks(&r.body)));
            }
            // The network's view of the history names no account (neither the submitter nor the
            // desk) and carries no desk notes.
            for account in [agent.username.as_str(), desk.username.as_str()] {
                if r.body.contains(account) {
                    failures.push(format!("{:?} on {state:?} in the UI sees the account {account}", o.role));
                }
            }
        }
    }
    // A refused attachment download is audited like every refusal.
    let accepted = ids.iter().find(|(s, _)| *s == SignalState::Accepted).map(|(_, id)| *id).unwrap_or(0);
    let before = t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'toegang-geweigerd' AND detail LIKE 'bijlagen alleen%'").await?;
    let r = t.api(Method::GET, &format!("/api/v1/bestuurlijke-signalen/{accepted}/bijlagen/1"), Some(&outsiders[0].token), None).await?;
    assert_eq!(r.status, 404);
    assert_eq!(t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'toegang-geweigerd' AND detail LIKE 'bijlagen alleen%'").await?, before + 1);
    for o in &outsiders {
        for path in ["/api/v1/bestuurlijke-signalen", "/api/v1/bestuurlijke-signalen/_overzicht"] {
            let r = t.api(Method::GET, path, Some(&o.token), None).await?;
            if leaks(&r.body) {
                failures.push(format!("{:?} sees source or contact in {path}", o.role));
            }
        }
        for path in ["/signalen", "/signalen/overzicht", "/signalen/overzicht.csv"] {
            let r = t.page(path, Some(o)).await?;
            if leaks(&r.body) {
                failures.push(format!("{:?} sees source or contact in {path}", o.role));
            }
        }
        // Only accepted signals are listed for outsiders; their existence does not leak.
        let list = t.api(Method::GET, "/api/v1/bestuurlijke-signalen", Some(&o.token), None).await?.json()?;
        let n = list.as_array().map(Vec::len).unwrap_or(0);
        if n != 3 {
            failures.push(format!("{:?} lists {n} signals instead of the 3 accepted ones", o.role));
        }
    }
    let desk_list = t.api(Method::GET, "/api/v1/bestuurlijke-signalen", Some(&desk.token), None).await?.json()?;
    assert_eq!(desk_list.as_array().map(Vec::len), Some(ids.len()));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'toegang-geweigerd' AND object_type = 'bestuurlijk-signaal'").await? > 0);
    Ok(())
}
db_test!(source_and_contact_stay_with_the_desk_and_the_submitter);

/// The SQL list filter and the decision function agree, for every role, three organisations
/// and every state, on both databases.
async fn list_filter_agrees_with_policy(mut t: TestApp) -> Result<()> {
    let orgs = ["Nationale Politie", "Gemeente Eindhoven", "LIEC"];
    let submitter = police(&mut t).await?;
    let desk = t.actor(Role::SignalDeskOfficer).await?;
    let mut signals = Vec::new();
    for org in orgs {
        for state in SignalState::ALL {
            let id = signal_in_state(&t, &submitter, &desk, SignalState::Draft, signal_body("")).await?;
            let org_id = t.organisation(org).await?;
            t.sql(&format!("UPDATE policy_signals SET state = '{}', organisation_id = {org_id} WHERE id = {id}", state.code())).await?;
            signals.push((id, SignalFacts { organisation_id: org_id, state }));
        }
    }
    for role in Role::ALL {
        for org in orgs {
            let a = t.actor_in(&format!("p.{}.{}", role.code(), org.to_lowercase().replace(' ', "")), org, role).await?;
            let Some(principal) = (match t.app.session(a.cookie.trim_start_matches("kp_sessie=")).await.map_err(|e| anyhow!(e.to_string()))? {
                knooppunt_app::auth::SessionLookup::Valid(info) => Some(info.principal.clone()),
                _ => None,
            }) else {
                return Err(anyhow!("no session"));
            };
            let list = t.api(Method::GET, "/api/v1/bestuurlijke-signalen", Some(&a.token), None).await?.json()?;
            let mut listed: Vec<i64> = list.as_array().into_iter().flatten().filter_map(|s| s["id"].as_i64()).collect();
            listed.sort_unstable();
            let mut expected: Vec<i64> = signals.iter().filter(|(_, f)| decide_signal(&principal, SignalAction::View, Some(f)).allowed).map(|(id, _)| *id).collect();
            expected.sort_unstable();
            assert_eq!(listed, expected, "{role:?} of {org}");
        }
    }
    Ok(())
}
db_test!(list_filter_agrees_with_policy);

async fn the_desk_keeps_the_ministries_current(mut t: TestApp) -> Result<()> {
    let desk = t.actor(Role::SignalDeskOfficer).await?;
    let other = t.actor(Role::LiecCoordinator).await?;
    let r = t.form("/signalen/ministeries", Some(&desk), &[("code", "dig"), ("naam", "Ministerie van Digitale Zaken")], None).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = t.form("/signalen/ministeries", Some(&desk), &[("code", "Geen Code!"), ("naam", "")], None).await?;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("Een code heeft") && r.body.contains("Vul de naam van het ministerie in"));
    let agent = police(&mut t).await?;
    let mut body = signal_body("");
    body["ministeries"] = json!(["dig"]);
    assert_eq!(post(&t, "/api/v1/bestuurlijke-signalen", &agent, body.clone()).await?.status, 200);
    let r = t.form("/signalen/ministeries/dig/opheffen", Some(&desk), &[], None).await?;
    assert_eq!(r.status, 303);
    // Retired: no longer accepted in new signals.
    post(&t, "/api/v1/bestuurlijke-signalen", &agent, body).await?.assert_problem(422)?;
    assert_eq!(t.form("/signalen/ministeries/bestaat-niet/opheffen", Some(&desk), &[], None).await?.status, 404);
    assert_eq!(t.page("/signalen/ministeries", Some(&other)).await?.status, 403);
    assert_eq!(t.form("/signalen/ministeries", Some(&other), &[("code", "x"), ("naam", "X")], None).await?.status, 403);
    Ok(())
}
db_test!(the_desk_keeps_the_ministries_current);

fn multipart(csrf: Option<&str>, file_name: &str, data: &[u8]) -> (String, Vec<u8>) {
    let fields: Vec<(&str, &str)> = csrf.map(|c| ("_csrf", c)).into_iter().collect();
    multipart_form(&fields, Some((file_name, data)))
}

/// A multipart body with text `fields` and, if given, a file in `bestand`.
pub(crate) fn multipart_form(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "knooppuntgrens7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes());
    }
    if let Some((file_name, data)) = file {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"bestand\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub(crate) async fn upload(
    t: &TestApp,
    path: &str,
    token: Option<&str>,
    cookie: Option<&str>,
    csrf: Option<&str>,
    name: &str,
    data: &[u8],
) -> Result<knooppunt_testkit::TestResponse> {
    let (ct, body) = multipart(csrf, name, data);
    let mut b = axum::http::Request::builder().method(Method::POST).uri(path).header("content-type", ct);
    if let Some(t) = token {
        b = b.header("authorization", format!("Bearer {t}"));
    }
    if let Some(c) = cookie {
        b = b.header("cookie", c);
    }
    t.send(b.body(axum::body::Body::from(body))?).await
}

async fn attachments_are_checked_by_content_and_stay_with_the_insiders(mut t: TestApp) -> Result<()> {
    let agent = police(&mut t).await?;
    let desk = t.actor(Role::SignalDeskOfficer).await?;
    let outsider = t.actor(Role::RiecAnalyst).await?;
    let id = signal_in_state(&t, &agent, &desk, SignalState::Draft, signal_body("")).await?;
    let api = format!("/api/v1/bestuurlijke-signalen/{id}/bijlagen");
    let pdf = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF";
    let r = upload(&t, &api, Some(&agent.token), None, None, "analyse.pdf", pdf).await?;
    assert_eq!(r.status, 200, "{}", r.body);
    let s = r.json()?;
    assert_eq!(s["bijlagen"][0]["mediatype"], "application/pdf");
    assert_eq!(s["bijlagen"][0]["sha256"].as_str().map(str::len), Some(64));
    let aid = s["bijlagen"][0]["id"].as_i64().unwrap_or(0);
    // An executable named .pdf, markup posing as text, and a file over the limit are refused.
    let before = t.count("SELECT COUNT(*) FROM policy_signal_attachments").await?;
    for (name, data) in [("analyse.pdf", b"MZ\x90\x00\x03".to_vec()), ("notitie.txt", b"<html><script>x</script>".to_vec()), ("groot.txt", vec![b'a'; 10 * 1024 * 1024 + 1])] {
        let p = upload(&t, &api, Some(&agent.token), None, None, name, &data).await?.assert_problem(422)?;
        assert_eq!(p["invalidParams"][0]["name"], "bestand", "{name}");
    }
    assert_eq!(t.count("SELECT COUNT(*) FROM policy_signal_attachments").await?, before);
    // Not multipart at all.
    t.api(Method::POST, &api, Some(&agent.token), Some(json!({"bestand": "x"}))).await?.assert_problem(415)?;
    // Download: insiders get the bytes; outsiders and other signals learn nothing.
    let dl = format!("/api/v1/bestuurlijke-signalen/{id}/bijlagen/{aid}");
    let r = t.api(Method::GET, &dl, Some(&desk.token), None).await?;
    assert_eq!((r.status.as_u16(), r.content_type()), (200, "application/pdf"));
    assert!(r.headers.get("content-disposition").and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("attachment;")));
    t.api(Method::GET, &dl, Some(&outsider.token), None).await?.assert_problem(404)?;
    let other = signal_in_state(&t, &agent, &desk, SignalState::Draft, signal_body("")).await?;
    t.api(Method::GET, &format!("/api/v1/bestuurlijke-signalen/{other}/bijlagen/{aid}"), Some(&agent.token), None).await?.assert_problem(404)?;
    // The UI form needs its CSRF token; the desk cannot add to a draft of another organisation.
    let ui = format!("/signalen/{id}/bijlagen");
    let r = upload(&t, &ui, None, Some(&agent.cookie), None, "b.pdf", pdf).await?;
    assert_eq!(r.status, 403);
    let r = upload(&t, &ui, None, Some(&agent.cookie), Some(&agent.csrf), "b.pdf", pdf).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = upload(&t, &ui, None, Some(&desk.cookie), Some(&desk.csrf), "c.pdf", pdf).await?;
    assert_eq!(r.status, 403);
    let page = t.page(&format!("/signalen/{id}"), Some(&agent)).await?;
    assert!(page.body.contains("analyse.pdf") && page.body.contains("b.pdf"));
    Ok(())
}
db_test!(attachments_are_checked_by_content_and_stay_with_the_insiders);

async fn the_desk_and_the_submitters_find_their_signal_work_on_mijn_werk(mut t: TestApp) -> Result<()> {
    const WAITING: &str = "Bestuurlijke signalen die wachten tot het loket ze beoordeelt";
    const ASSESSING: &str = "Bestuurlijke signalen in beoordeling";
    const LATE: &str = "Aangeboden signalen waarop de reactie van de bewindspersoon te laat is";
    const RETURNED: &str = "Bestuurlijke signalen van uw organisatie die het loket terugstuurde om aan te vullen";
    let agent = police(&mut t).await?;
    let other = t.actor_in("medewerker.fiod", "Belastingdienst", Role::PartnerEmployee).await?;
    let desk = t.actor(Role::SignalDeskOfficer).await?;
    let auditor = t.actor(Role::Auditor).await?;
    let zero = Some("0 signalen".to_string());
    let one = Some("1 signaal".to_string());
    let mut seen = Vec::new();
    for line in [WAITING, ASSESSING, LATE, RETURNED] {
        seen.push((waiting(&t, &desk, line).await?, waiting(&t, &auditor, line).await?));
    }
    // The desk returns signals, it has none returned; the auditor has no signal work.
    assert_eq!(seen, vec![(zero.clone(), None), (zero.clone(), None), (zero.clone(), None), (None, None)]);

    let submitted = signal_in_state(&t, &agent, &desk, SignalState::Submitted, signal_body("")).await?;
    assert_eq!((waiting(&t, &desk, WAITING).await?, waiting(&t, &desk, ASSESSING).await?), (one.clone(), zero.clone()));
    assert!(t.page("/", Some(&desk)).await?.body.contains("href=\"/signalen?status=ingediend\""));
    let steps = format!("/api/v1/bestuurlijke-signalen/{submitted}/_stappen");
    assert_eq!(post(&t, &steps, &desk, json!({"stap": "beoordelen"})).await?.status, 200);
    assert_eq!((waiting(&t, &desk, WAITING).await?, waiting(&t, &desk, ASSESSING).await?), (zero.clone(), one.clone()));

    // Returned for completion: the submitting organisation's line, nobody else's.
    assert_eq!(post(&t, &steps, &desk, json!({"stap": "terugsturen", "toelichting": "Welke gemeenten?"})).await?.status, 200);
    assert_eq!(waiting(&t, &agent, RETURNED).await?, one);
    assert_eq!(waiting(&t, &other, RETURNED).await?, zero);
    assert_eq!(waiting(&t, &desk, ASSESSING).await?, zero);

    // Offered to a minister two months ago: the response is late until it is recorded.
    let accepted = signal_in_state(&t, &agent, &desk, SignalState::Accepted, signal_body("")).await?;
    let steps = format!("/api/v1/bestuurlijke-signalen/{accepted}/_stappen");
    let r = post(&t, &steps, &desk, json!({"stap": "aanbieden", "ministeries": ["jenv"], "tekst": "brief", "datum": "2026-09-28"})).await?;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(waiting(&t, &desk, LATE).await?, one);
    let r = post(&t, &steps, &desk, json!({"stap": "reactie-vastleggen", "tekst": "De minister neemt het over.", "datum": "2026-11-20"})).await?;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(waiting(&t, &desk, LATE).await?, zero);
    Ok(())
}
db_test!(the_desk_and_the_submitters_find_their_signal_work_on_mijn_werk);
