//! Notifications: who is told about what (the same people the work lists show the work to, and
//! nobody else), the bell and "Meldingen" without JavaScript, the e-mail digest's content and
//! bookkeeping; and the steering group's escalations.

use crate::cases::{open_case, world};
use anyhow::{anyhow, Result};
use axum::http::Method;
use knooppunt_domain::Role;
use knooppunt_testkit::{db_test, Actor, TestApp, TestResponse};
use serde_json::{json, Value};

async fn post(t: &TestApp, path: &str, who: &Actor, body: Value) -> Result<TestResponse> {
    t.api(Method::POST, path, Some(&who.token), Some(body)).await
}

fn ok(r: TestResponse) -> Result<Value> {
    if r.status != 200 {
        return Err(anyhow!("expected 200, got {}: {}", r.status, r.body));
    }
    r.json()
}

/// The unread count the header's bell shows (`None`: no bell).
async fn bell(t: &TestApp, who: &Actor) -> Result<Option<u32>> {
    let body = t.page("/", Some(who)).await?.body;
    let Some(at) = body.find("href=\"/meldingen\"") else {
        return Ok(None);
    };
    let link = &body[at..body[at..].find("</a>").map_or(body.len(), |e| at + e)];
    Ok(Some(link.find("kp-badge\">").and_then(|s| link[s + 10..].split('<').next()).and_then(|n| n.parse().ok()).unwrap_or(0)))
}

/// The notifications page's lines: (id, text, unread).
async fn lines(t: &TestApp, who: &Actor) -> Result<Vec<(i64, String, bool)>> {
    let page = t.page("/meldingen", Some(who)).await?;
    assert_eq!(page.status, 200, "{}", page.body);
    let mut out = Vec::new();
    for row in page.body.split("<tr class=\"utrecht-table__row").skip(2) {
        let unread = row.starts_with(" kp-unread");
        let text = row.split("<td class=\"utrecht-table__cell\">").nth(1).unwrap_or("").replace("<strong>", "").split('<').next().unwrap_or("").to_string();
        let id = row.split("action=\"/meldingen/").nth(1).and_then(|r| r.split('"').next()).and_then(|n| n.parse().ok()).ok_or_else(|| anyhow!("no id in {row}"))?;
        out.push((id, text, unread));
    }
    Ok(out)
}

async fn notifications_reach_whom_the_work_is_for_and_lead_to_it(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    let stuurgroep = t.actor(Role::SteeringGroupMember).await?;
    let belasting_limburg = t.actor_in_region("inspecteur.limburg", "Belastingdienst", Role::PartnerEmployee, "limburg").await?;
    let id = open_case(&mut t, &w).await?;
    let case = format!("/api/v1/casussen/{id}");
    let belasting_org = t.organisation("Belastingdienst").await?;
    for who in [&w.belasting, &w.manager, &stuurgroep] {
        assert_eq!(bell(&t, who).await?, Some(0), "{}", who.username);
    }

    // A request to the tax office: its user in the case's region is told; not the police (not
    // asked), not the tax office in Limburg (no access to the case), not the analyst who sent it.
    ok(post(&t, &format!("{case}/uitvragen"), &w.analist, json!({"vragen": "Welke aanslagen?", "termijn": "2026-12-12", "partners": [belasting_org]})).await?)?;
    assert_eq!(bell(&t, &w.belasting).await?, Some(1));
    for who in [&w.politie, &belasting_limburg, &w.analist, &w.manager, &w.other_region, &w.liec] {
        assert_eq!(bell(&t, who).await?, Some(0), "{}", who.username);
    }
    let l = lines(&t, &w.belasting).await?;
    assert_eq!(l.len(), 1);
    assert_eq!(l[0].1, "Er is een verzoek om informatie aan uw organisatie.");
    assert!(l[0].2, "unread");
    // The notification says nothing of the case: not its title, reference or region.
    let page = t.page("/meldingen", Some(&w.belasting)).await?.body;
    assert!(!page.contains("Nagelstudio") && !page.contains("CAS-") && !page.contains(&format!("/casussen/{id}")), "{page}");
    // Opening it leads to the list where the request is answered, and marks it read.
    let opened = t.form(&format!("/meldingen/{}", l[0].0), Some(&w.belasting), &[], None).await?;
    assert_eq!(opened.status, 303);
    assert_eq!(opened.headers.get("location").and_then(|v| v.to_str().ok()), Some("/casussen?werk=uitvraag"));
    assert_eq!(bell(&t, &w.belasting).await?, Some(0));
    assert!(!lines(&t, &w.belasting).await?[0].2);
    // Someone else's notification does not exist for the caller; nonsense neither.
    assert_eq!(t.form(&format!("/meldingen/{}", l[0].0), Some(&w.politie), &[], None).await?.status, 404);
    assert_eq!(t.form("/meldingen/abc", Some(&w.politie), &[], None).await?.status, 404);
    // Without the form's token nothing happens.
    assert_eq!(t.form(&format!("/meldingen/{}", l[0].0), Some(&w.belasting), &[], Some("onjuist")).await?.status, 403);

    // Advice waits for the region's manager only.
    ok(post(&t, &format!("{case}/adviezen"), &w.analist, json!({"bevindingen": "Omzet past niet.", "voorstellen": "Bibob."})).await?)?;
    assert_eq!(bell(&t, &w.manager).await?, Some(1));
    assert_eq!(lines(&t, &w.manager).await?[0].1, "Een interventieadvies wacht op uw goedkeuring.");
    for who in [&w.belasting, &w.politie, &stuurgroep] {
        assert_eq!(bell(&t, who).await?, Some(0), "{}", who.username);
    }

    // An intervention for the tax office; escalated, it reaches the region's steering group.
    let c = ok(post(&t, &format!("{case}/interventies"), &w.analist, json!({"soort": "fiscaal", "partnerId": belasting_org, "bevoegdheid": "AWR art. 47"})).await?)?;
    assert_eq!(bell(&t, &w.belasting).await?, Some(1));
    assert_eq!(lines(&t, &w.belasting).await?[0].1, "Uw organisatie is gevraagd een interventie uit te voeren.");
    let v = &c["interventies"][0];
    let vpath = format!("{case}/interventies/{}", v["id"].as_i64().unwrap_or(0));
    let escalated = json!({"escalatie": "De partner wacht al maanden op een besluit van de gemeente.", "versie": v["versie"]});
    ok(t.api(Method::PATCH, &vpath, Some(&w.belasting.token), Some(escalated)).await?)?;
    assert_eq!(bell(&t, &stuurgroep).await?, Some(1));
    assert_eq!(lines(&t, &stuurgroep).await?[0].1, "Een interventie is geëscaleerd naar uw stuurgroep.");
    assert_eq!(bell(&t, &w.manager).await?, Some(1), "the manager was not told again");
    // The manager follows escalations up on the case list: the team sees the case, a partner not.
    let home = t.page("/", Some(&w.manager)).await?.body;
    assert!(home.contains("Casussen met een escalatie naar de stuurgroep in RIEC Oost-Brabant</a>: 1 casus"), "{home}");
    assert_eq!(ok(t.api(Method::GET, "/api/v1/casussen?werk=escalatie", Some(&w.manager.token), None).await?)?["totaal"], 1);
    assert_eq!(ok(t.api(Method::GET, "/api/v1/casussen?werk=escalatie", Some(&w.belasting.token), None).await?)?["totaal"], 0);
    // The steering group's list: what, who, why and since when — nothing else of the case.
    let home = t.page("/", Some(&stuurgroep)).await?.body;
    assert!(home.contains("Escalaties naar uw stuurgroep</a>: 1 interventie"), "{home}");
    let list = t.page("/escalaties", Some(&stuurgroep)).await?;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("De partner wacht al maanden") && list.body.contains("Belastingdienst") && list.body.contains("1 escalatie, waarvan 1 nog open"), "{}", list.body);
    assert!(!list.body.contains("Nagelstudio") && !list.body.contains("CAS-") && !list.body.contains(&format!("/casussen/{id}")), "{}", list.body);
    // Others have no such list.
    for who in [&w.analist, &w.belasting, &w.liec] {
        assert_eq!(t.page("/escalaties", Some(who)).await?.status, 403, "{}", who.username);
    }

    // "Mark all read" and the e-mail setting, without JavaScript.
    assert_eq!(t.form("/meldingen/gelezen", Some(&stuurgroep), &[], None).await?.status, 303);
    assert_eq!(bell(&t, &stuurgroep).await?, Some(0));
    let off = t.form("/meldingen/instelling", Some(&w.manager), &[], None).await?;
    assert_eq!(off.headers.get("location").and_then(|v| v.to_str().ok()), Some("/meldingen?melding=uit"));
    assert!(!t.page("/meldingen", Some(&w.manager)).await?.body.contains(" checked"));

    // The digest: one e-mail per user with unread notifications not mailed yet and the digest
    // on — the tax office (request read, intervention unread) yes; the manager turned it off;
    // the steering-group member read everything.
    let due = t.app.digests_due(0).await?;
    let to: Vec<&str> = due.iter().map(|d| d.username.as_str()).collect();
    assert_eq!(to, vec![w.belasting.username.as_str()], "{due:?}");
    let d = &due[0];
    assert_eq!(d.count, 1);
    assert_eq!(d.subject(), "knooppunt: er staat een nieuwe melding voor u klaar");
    let body = d.body("https://knooppunt.example.nl/");
    assert!(body.contains("https://knooppunt.example.nl/meldingen"), "{body}");
    assert!(!body.contains("Nagelstudio") && !body.contains("CAS-") && !body.contains("interventie"), "{body}");
    // Not yet sent: still due. Sent: not again, until something new arrives.
    assert_eq!(t.app.digests_due(0).await?.len(), 1);
    t.app.digest_sent(d).await?;
    assert!(t.app.digests_due(0).await?.is_empty());
    // Once per interval across nodes: a second claim within the interval gets nothing.
    ok(post(&t, &format!("{case}/uitvragen"), &w.analist, json!({"vragen": "En de btw?", "termijn": "2026-12-20", "partners": [belasting_org]})).await?)?;
    assert!(t.app.digests_due(3_600_000).await?.is_empty(), "the last run was just now");
    t.clock.advance_minutes(61);
    assert_eq!(t.app.digests_due(3_600_000).await?.len(), 1);
    assert!(t.app.digests_due(3_600_000).await?.is_empty(), "another node's run is recent");
    t.clock.advance_minutes(61);
    assert_eq!(t.app.digests_due(3_600_000).await?.len(), 1, "not sent, so still due");
    // Notifications are kept 30 days, read or not: the work lists keep showing the work.
    t.clock.advance_minutes(31 * 24 * 60);
    assert!(t.app.purge().await?.notifications >= 4);
    assert!(t.app.digests_due(0).await?.is_empty());
    // Turning the digest on and off is audited.
    let auditor = t.actor(Role::Auditor).await?;
    let audit = t.page("/audit", Some(&auditor)).await?.body;
    assert!(audit.contains("Overzicht van meldingen per e-mail aan- of uitgezet"), "{audit}");
    Ok(())
}
db_test!(notifications_reach_whom_the_work_is_for_and_lead_to_it);

async fn a_municipality_is_told_nothing_it_may_not_see(mut t: TestApp) -> Result<()> {
    // The municipality that brought the signal takes part in the case, but requests, advice
    // and interventions for others are not its work: no notification, no count.
    let w = world(&mut t).await?;
    let id = open_case(&mut t, &w).await?;
    let politie = t.organisation("Nationale Politie").await?;
    ok(post(&t, &format!("/api/v1/casussen/{id}/uitvragen"), &w.analist, json!({"vragen": "Antecedenten?", "termijn": "2026-12-12", "partners": [politie]})).await?)?;
    ok(post(&t, &format!("/api/v1/casussen/{id}/adviezen"), &w.analist, json!({"bevindingen": "b", "voorstellen": "v"})).await?)?;
    assert_eq!(bell(&t, &w.gemeente).await?, Some(0));
    assert_eq!(bell(&t, &w.politie).await?, Some(1));
    assert_eq!(bell(&t, &w.politie_limburg).await?, Some(0));
    Ok(())
}
db_test!(a_municipality_is_told_nothing_it_may_not_see);

/// The count after a work-list line's link on "Mijn werk" (`None`: no such line).
/// The amount after a line of "Mijn werk" (`None` when `who` has no such line).
pub(crate) async fn waiting(t: &TestApp, who: &Actor, line: &str) -> Result<Option<String>> {
    let home = t.page("/", Some(who)).await?.body;
    Ok(home.split(&format!("{line}</a>: ")).nth(1).and_then(|rest| rest.split('<').next()).map(str::to_string))
}

async fn the_legal_adviser_auditor_and_privacy_officer_find_their_work(mut t: TestApp) -> Result<()> {
    let w = world(&mut t).await?;
    let jurist = t.actor(Role::RiecLegalAdviser).await?;
    let auditor = t.actor(Role::Auditor).await?;
    let privacy = t.actor(Role::PrivacyOfficer).await?;
    let id = open_case(&mut t, &w).await?;
    let case = format!("/api/v1/casussen/{id}");
    let belasting_org = t.organisation("Belastingdienst").await?;

    // The legal adviser reviews draft advice of its region.
    let review = "Conceptadviezen juridisch te toetsen in RIEC Oost-Brabant";
    assert_eq!(waiting(&t, &jurist, review).await?.as_deref(), Some("0 casussen"));
    ok(post(&t, &format!("{case}/adviezen"), &w.analist, json!({"bevindingen": "Omzet past niet.", "voorstellen": "Bibob."})).await?)?;
    assert_eq!(waiting(&t, &jurist, review).await?.as_deref(), Some("1 casus"));
    assert_eq!(waiting(&t, &w.analist, review).await?, None, "an analyst does not review");

    // The auditor: refused access and exported case files of the last week, each a link to the
    // audit log filtered so.
    let refusals = "Geweigerde toegang in de afgelopen 7 dagen";
    let exports = "Casusdossiers afgedrukt of geëxporteerd in de afgelopen 7 dagen";
    let before = waiting(&t, &auditor, refusals).await?.unwrap_or_default();
    assert_eq!(t.page("/escalaties", Some(&w.analist)).await?.status, 403);
    let after = waiting(&t, &auditor, refusals).await?.unwrap_or_default();
    let n = |s: &str| s.split(' ').next().and_then(|n| n.parse::<i64>().ok()).unwrap_or(-1);
    assert_eq!(n(&after), n(&before) + 1, "{before} -> {after}");
    assert_eq!(waiting(&t, &auditor, exports).await?.as_deref(), Some("0 keer"));
    ok(post(&t, &format!("{case}/betrokkenen"), &w.analist, json!({"soort": "persoon", "voornamen": "Jan", "geslachtsnaam": "Berg"})).await?)?;
    assert_eq!(t.page(&format!("/casussen/{id}/dossier"), Some(&w.analist)).await?.status, 200);
    assert_eq!(waiting(&t, &auditor, exports).await?.as_deref(), Some("1 keer"));
    let home = t.page("/", Some(&auditor)).await?.body;
    assert!(home.contains("href=\"/audit?actie=casus-geexporteerd&#38;van="), "{home}");
    // The privacy officer: the same exports in the processing log, one line per data subject.
    let processing = "Verwerkingen door afdrukken of exporteren van casusdossiers, afgelopen 7 dagen";
    assert_eq!(waiting(&t, &privacy, processing).await?.as_deref(), Some("1 verwerking"));
    assert_eq!(waiting(&t, &auditor, processing).await?, None, "the auditor has the audit log's line");
    let page = t.page("/verwerkingen?exporten=ja", Some(&privacy)).await?;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("1 verwerking in de afgelopen 7 dagen"), "{}", page.body);
    assert_eq!(t.page("/verwerkingen?exporten=ja", Some(&w.analist)).await?.status, 403);

    // The administrator renews tokens before an integration stops.
    let beheerder = t.actor(Role::Administrator).await?;
    let expiring = "API-tokens die binnen 30 dagen verlopen";
    assert_eq!(waiting(&t, &beheerder, expiring).await?.as_deref(), Some("0 tokens"));
    let politie = t.organisation("Nationale Politie").await?;
    let input = |days| police_token(politie, days);
    t.app.create_token(&t.operator(), &input(10)).await?;
    t.app.create_token(&t.operator(), &input(90)).await?;
    assert_eq!(waiting(&t, &beheerder, expiring).await?.as_deref(), Some("1 token"));
    assert_eq!(waiting(&t, &w.analist, expiring).await?, None);

    // An intervention that has not moved for 30 days is the team's to follow up, not the partner's.
    let stalled = "Casussen met een interventie die 30 dagen stilstaat";
    let c = ok(post(&t, &format!("{case}/interventies"), &w.analist, json!({"soort": "fiscaal", "partnerId": belasting_org, "bevoegdheid": "AWR art. 47"})).await?)?;
    assert_eq!(waiting(&t, &w.analist, stalled).await?.as_deref(), Some("0 casussen"));
    t.clock.advance_minutes(31 * 24 * 60);
    // (Sessions have ended by now: a colleague signs in.)
    let analist = t.actor_in("analist.twee", "RIEC-bureau Oost-Brabant", Role::RiecAnalyst).await?;
    let belasting = t.actor_in("inspecteur.twee", "Belastingdienst", Role::PartnerEmployee).await?;
    assert_eq!(waiting(&t, &analist, stalled).await?.as_deref(), Some("1 casus"));
    assert_eq!(ok(t.api(Method::GET, "/api/v1/casussen?werk=stilstand", Some(&w.analist.token), None).await?)?["totaal"], 1);
    assert_eq!(ok(t.api(Method::GET, "/api/v1/casussen?werk=stilstand", Some(&w.belasting.token), None).await?)?["totaal"], 0);
    assert_eq!(waiting(&t, &belasting, stalled).await?, None);
    let v = &c["interventies"][0];
    let vpath = format!("{case}/interventies/{}", v["id"].as_i64().unwrap_or(0));
    ok(t.api(Method::PATCH, &vpath, Some(&w.belasting.token), Some(json!({"status": "toegezegd", "versie": v["versie"]}))).await?)?;
    assert_eq!(waiting(&t, &analist, stalled).await?.as_deref(), Some("0 casussen"));
    Ok(())
}
db_test!(the_legal_adviser_auditor_and_privacy_officer_find_their_work);

/// A token of the police's system, valid for `days`.
fn police_token(politie: i64, days: i64) -> knooppunt_app::tokens::NewTokenInput {
    knooppunt_app::tokens::NewTokenInput {
        name: format!("koppeling-{days}"),
        organisation_id: Some(politie),
        roles: vec![("partner-medewerker".into(), Some("oost-brabant".into()))],
        valid_days: Some(days),
    }
}

async fn the_administrator_renews_a_token_before_it_stops(mut t: TestApp) -> Result<()> {
    let expiring = "API-tokens die binnen 30 dagen verlopen";
    let politie = t.organisation("Nationale Politie").await?;
    let input = |days| police_token(politie, days);
    let (short, old_secret) = t.app.create_token(&t.operator(), &input(40)).await?;
    t.app.create_token(&t.operator(), &input(90)).await?;
    // Fifteen days on, the first has 25 days left.
    t.clock.advance_minutes(15 * 24 * 60);
    let beheerder = t.actor(Role::Administrator).await?;
    let analist = t.actor(Role::RiecAnalyst).await?;
    assert_eq!(waiting(&t, &beheerder, expiring).await?.as_deref(), Some("1 token"));
    let list = t.page("/beheer/api-tokens", Some(&beheerder)).await?.body;
    assert!(list.contains(": vernieuw het") && list.contains("Vernieuwen<span class=\"kp-visually-hidden\">: koppeling-40"), "{list}");
    // Renewing it makes a successor with the same period and roles; the old secret keeps working
    // until its own end, and the line is done.
    let renew = format!("/beheer/api-tokens/{}/vernieuwen", short.token.id);
    assert_eq!(t.form(&renew, Some(&analist), &[], None).await?.status, 403);
    let page = t.form(&renew, Some(&beheerder), &[], None).await?;
    assert_eq!(page.status, 200, "{}", page.body);
    let secret = page.body.split("id=\"nieuw-token\">").nth(1).and_then(|r| r.split('<').next()).unwrap_or_default().to_string();
    assert!(secret.starts_with("kp_") && secret != old_secret, "{}", page.body);
    assert!(page.body.contains("vernieuwd; werkt nog tot ") && !page.body.contains(": vernieuw het"), "{}", page.body);
    assert_eq!(waiting(&t, &beheerder, expiring).await?.as_deref(), Some("0 tokens"));
    for token in [&old_secret, &secret] {
        assert_eq!(t.api(Method::GET, "/api/v1/casussen", Some(token), None).await?.status, 200);
    }
    let successor = t.app.list_tokens(&t.operator()).await?.into_iter().find(|v| v.token.id != short.token.id && v.token.name == short.token.name);
    let successor = successor.ok_or_else(|| anyhow::anyhow!("no successor"))?;
    assert_eq!(successor.token.expires_at.map(|e| e - successor.token.created_at), Some(40 * 86_400_000));
    assert_eq!(successor.roles.iter().map(|r| r.role.as_str()).collect::<Vec<_>>(), ["partner-medewerker"]);
    // Once renewed, not again; a revoked or unknown token is not renewed either. Nothing changed.
    let tokens = t.count("SELECT COUNT(*) FROM api_tokens").await?;
    assert_eq!(t.form(&renew, Some(&beheerder), &[], None).await?.status, 409);
    t.app.revoke_token(&t.operator(), successor.token.id).await?;
    assert_eq!(t.form(&format!("/beheer/api-tokens/{}/vernieuwen", successor.token.id), Some(&beheerder), &[], None).await?.status, 409);
    assert_eq!(t.form("/beheer/api-tokens/999999/vernieuwen", Some(&beheerder), &[], None).await?.status, 404);
    assert_eq!(t.count("SELECT COUNT(*) FROM api_tokens").await?, tokens);
    assert_eq!(t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'api-token-vernieuwd'").await?, 1);
    Ok(())
}
db_test!(the_administrator_renews_a_token_before_it_stops);
