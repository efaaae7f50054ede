//! The access matrix of the case files: every case endpoint of the API and the UI against every
//! role, plus a RIEC analyst of another region, a partner that was not admitted, a partner whose
//! item was not released to it, the same organisation in another region, and the LIEC.
//! Mutations carry invalid input, so an allowed caller gets 422 in the API, 400 in the UI (or 409), a refused participant
//! 403 and everyone else 404 — the case does not exist for them. Nothing changes.

use crate::cases::{open_case, world};
use anyhow::{anyhow, Result};
use axum::http::Method;
use knooppunt_domain::Role;
use knooppunt_testkit::{db_test, Actor, TestApp};
use serde_json::{json, Value};

/// How an actor relates to the test case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    /// RIEC bureau staff of the region; `manager` approves advice.
    Team { manager: bool },
    /// The police: admitted, supplier of the item.
    Supplier,
    /// The Belastingdienst: admitted, item not released to it, addressee of the request and
    /// responsible for the intervention.
    Admitted,
    /// The municipality that registered the signal: admitted as source.
    Source,
    /// Everybody else.
    Outsider,
}

/// Expected statuses: team, supplier, admitted, source (outsiders always 404).
#[derive(Clone, Copy)]
struct Exp {
    team: u16,
    manager: u16,
    supplier: u16,
    admitted: u16,
    source: u16,
}

const fn same(team: u16, participants: u16) -> Exp {
    Exp { team, manager: team, supplier: participants, admitted: participants, source: participants }
}

impl Exp {
    fn for_who(&self, who: Who) -> u16 {
        match who {
            Who::Team { manager: true } => self.manager,
            Who::Team { manager: false } => self.team,
            Who::Supplier => self.supplier,
            Who::Admitted => self.admitted,
            Who::Source => self.source,
            Who::Outsider => 404,
        }
    }
}

struct Ep {
    method: Method,
    path: String,
    body: Option<Value>,
    exp: Exp,
}

struct Setup {
    actors: Vec<(Actor, Who)>,
    case: i64,
    item: i64,
    request: i64,
    intervention: i64,
    version: i64,
    intervention_version: i64,
}

async fn setup(t: &mut TestApp) -> Result<Setup> {
    let w = world(t).await?;
    let case = open_case(t, &w).await?;
    let base = format!("/api/v1/casussen/{case}");
    let ok = |r: knooppunt_testkit::TestResponse| if r.status == 200 { r.json() } else { Err(anyhow!("{} {}", r.status, r.body)) };
    let item = ok(t
        .api(
            Method::POST,
            &format!("{base}/informatiebijdragen"),
            Some(&w.politie.token),
            Some(json!({"titel": "Rapportage", "inhoud": "x", "grondslag": "wpg-20", "doel": "integrale-aanpak", "betrouwbaarheid": "betrouwbaar", "rubricering": "intern"})),
        )
        .await?)?;
    let tax = t.organisation("Belastingdienst").await?;
    let c = ok(t
        .api(Method::POST, &format!("{base}/uitvragen"), Some(&w.analist.token), Some(json!({"vragen": "Welke aanslagen?", "termijn": "2030-01-01", "partners": [tax]})))
        .await?)?;
    let request = c["uitvragen"][0]["id"].as_i64().ok_or_else(|| anyhow!("no request"))?;
    let c = ok(t.api(Method::POST, &format!("{base}/interventies"), Some(&w.analist.token), Some(json!({"soort": "fiscaal", "partnerId": tax, "bevoegdheid": "AWR"}))).await?)?;
    let intervention = c["interventies"][0]["id"].as_i64().ok_or_else(|| anyhow!("no intervention"))?;
    let intervention_version = c["interventies"][0]["versie"].as_i64().unwrap_or(1);
    let version = c["versie"].as_i64().unwrap_or(1);
    let mut actors = vec![
        (w.politie, Who::Supplier),
        (w.belasting, Who::Admitted),
        (w.douane, Who::Outsider),
        (w.other_region, Who::Outsider),
        (w.liec, Who::Outsider),
        (w.politie_limburg, Who::Outsider),
    ];
    for role in Role::ALL {
        let a = t.actor(role).await?;
        let who = match role {
            Role::RiecAccountManager | Role::RiecAnalyst | Role::RiecLegalAdviser => Who::Team { manager: false },
            Role::RiecManager => Who::Team { manager: true },
            Role::PartnerEmployee => Who::Source,
            _ => Who::Outsider,
        };
        actors.push((a, who));
    }
    Ok(Setup { actors, case, item: item["id"].as_i64().unwrap_or(0), request, intervention, version, intervention_version })
}

fn api_endpoints(s: &Setup) -> Vec<Ep> {
    let c = format!("/api/v1/casussen/{}", s.case);
    let i = format!("{c}/informatiebijdragen/{}", s.item);
    let e = |method: Method, path: String, body: Option<Value>, exp: Exp| Ep { method, path, body, exp };
    let item_view = Exp { team: 200, manager: 200, supplier: 200, admitted: 404, source: 404 };
    vec![
        e(Method::GET, c.clone(), None, same(200, 200)),
        e(Method::GET, format!("{c}/betrokkenen"), None, same(200, 200)),
        e(Method::GET, format!("{c}/informatiebijdragen"), None, same(200, 200)),
        e(Method::GET, format!("{c}/interventies"), None, same(200, 200)),
        e(Method::GET, i.clone(), None, item_view),
        e(Method::POST, format!("{c}/_stappen"), Some(json!({"stap": "afsluiten", "versie": s.version})), same(422, 403)),
        e(Method::POST, format!("{c}/deelnemers"), Some(json!({"organisatieId": -1})), same(422, 403)),
        e(Method::POST, format!("{c}/deelnemers/_verwijderen"), Some(json!({"organisatieId": -1})), same(422, 403)),
        e(Method::POST, format!("{c}/team"), Some(json!({})), same(422, 403)),
        e(Method::POST, format!("{c}/betrokkenen"), Some(json!({"soort": "onbekend"})), same(422, 422)),
        e(Method::POST, format!("{c}/relaties"), Some(json!({})), same(422, 422)),
        e(Method::POST, format!("{c}/informatiebijdragen"), Some(json!({})), same(422, 422)),
        e(Method::PATCH, i.clone(), Some(json!({"versie": 1})), Exp { team: 403, manager: 403, supplier: 422, admitted: 404, source: 404 }),
        e(Method::POST, format!("{i}/vrijgaven"), Some(json!({"organisatieId": -1})), Exp { team: 422, manager: 422, supplier: 422, admitted: 404, source: 404 }),
        e(Method::POST, format!("{i}/vrijgaven/_intrekken"), Some(json!({"organisatieId": -1})), Exp { team: 409, manager: 409, supplier: 409, admitted: 404, source: 404 }),
        e(Method::POST, format!("{c}/uitvragen"), Some(json!({})), same(422, 403)),
        e(Method::POST, format!("{c}/uitvragen/{}/_afhandelen", s.request), Some(json!({})), Exp { team: 404, manager: 404, supplier: 404, admitted: 422, source: 404 }),
        e(Method::POST, format!("{c}/adviezen"), Some(json!({})), same(422, 403)),
        e(Method::POST, format!("{c}/adviezen/1/_goedkeuren"), Some(json!({})), Exp { team: 403, manager: 409, supplier: 403, admitted: 403, source: 403 }),
        e(Method::POST, format!("{c}/interventies"), Some(json!({})), same(422, 403)),
        e(
            Method::PATCH,
            format!("{c}/interventies/{}", s.intervention),
            Some(json!({"status": "onbekend", "versie": s.intervention_version})),
            Exp { team: 422, manager: 422, supplier: 403, admitted: 422, source: 403 },
        ),
        e(Method::POST, format!("{c}/overleggen"), Some(json!({})), same(422, 403)),
    ]
}

fn ui_endpoints(s: &Setup) -> Vec<Ep> {
    let c = format!("/casussen/{}", s.case);
    let i = format!("{c}/informatie/{}", s.item);
    let get = |path: String, exp: Exp| Ep { method: Method::GET, path, body: None, exp };
    let post = |path: String, exp: Exp| Ep { method: Method::POST, path, body: None, exp };
    let item_view = Exp { team: 200, manager: 200, supplier: 200, admitted: 404, source: 404 };
    let answer = Exp { team: 403, manager: 403, supplier: 403, admitted: 200, source: 403 };
    let update = Exp { team: 200, manager: 200, supplier: 403, admitted: 200, source: 403 };
    vec![
        get(c.clone(), same(200, 200)),
        get(format!("{c}/analyse"), same(200, 200)),
        get(format!("{c}/dossier"), same(200, 403)),
        get(format!("{c}/betrokkenen.csv"), same(200, 403)),
        get(i.clone(), item_view),
        get(format!("{i}/bewerken"), Exp { team: 403, manager: 403, supplier: 200, admitted: 404, source: 404 }),
        get(format!("{c}/stap/afsluiten"), same(200, 403)),
        get(format!("{c}/deelnemers/toelaten"), same(200, 403)),
        get(format!("{c}/team/toevoegen"), same(200, 403)),
        get(format!("{c}/betrokkenen/nieuw"), same(200, 200)),
        get(format!("{c}/informatie/nieuw"), same(200, 200)),
        get(format!("{c}/uitvragen/nieuw"), same(200, 403)),
        get(format!("{c}/uitvragen/{}/beantwoorden", s.request), answer),
        get(format!("{c}/advies/nieuw"), same(200, 403)),
        get(format!("{c}/interventies/nieuw"), same(200, 403)),
        get(format!("{c}/interventies/{}", s.intervention), update),
        get(format!("{c}/overleggen/nieuw"), same(200, 403)),
        post(format!("{c}/stap/afsluiten"), same(400, 403)),
        post(format!("{c}/deelnemers/toelaten"), same(400, 403)),
        post(format!("{c}/betrokkenen/nieuw"), same(400, 400)),
        post(format!("{c}/informatie/nieuw"), same(400, 400)),
        post(format!("{c}/uitvragen/nieuw"), same(400, 403)),
        post(format!("{c}/uitvragen/{}/weigeren", s.request), Exp { team: 404, manager: 404, supplier: 404, admitted: 400, source: 404 }),
        post(format!("{c}/advies/nieuw"), same(400, 403)),
        post(format!("{c}/interventies/nieuw"), same(400, 403)),
        post(format!("{c}/overleggen/nieuw"), same(400, 403)),
        post(format!("{i}/vrijgeven"), Exp { team: 400, manager: 400, supplier: 400, admitted: 404, source: 404 }),
        post(format!("{i}/bewerken"), Exp { team: 403, manager: 403, supplier: 400, admitted: 404, source: 404 }),
    ]
}

async fn snapshot(t: &TestApp) -> Result<Vec<i64>> {
    let mut v = Vec::new();
    for table in [
        "cases",
        "case_events",
        "case_participants",
        "case_team",
        "subjects",
        "relations",
        "items",
        "item_releases",
        "information_requests",
        "request_recipients",
        "advice_versions",
        "interventions",
        "meetings",
    ] {
        v.push(t.count(&format!("SELECT COUNT(*) FROM {table}")).await?);
    }
    v.push(t.count("SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM cases").await?);
    v.push(t.count("SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM interventions").await?);
    Ok(v)
}

async fn every_actor_against_every_case_endpoint(mut t: TestApp) -> Result<()> {
    let s = setup(&mut t).await?;
    let before = snapshot(&t).await?;
    let mut failures = Vec::new();
    for ep in api_endpoints(&s) {
        let anon = t.api(ep.method.clone(), &ep.path, None, ep.body.clone()).await?;
        if anon.status != 401 {
            failures.push(format!("anonymous {} {}: {}", ep.method, ep.path, anon.status));
        }
        for (a, who) in &s.actors {
            let r = t.api(ep.method.clone(), &ep.path, Some(&a.token), ep.body.clone()).await?;
            let expected = ep.exp.for_who(*who);
            let ok = r.status.as_u16() == expected && (expected == 200 || r.content_type() == "application/problem+json");
            if !ok {
                failures.push(format!(
                    "API {} ({:?}) {} {}: expected {expected}, got {} {}",
                    a.username,
                    who,
                    ep.method,
                    ep.path,
                    r.status,
                    r.body.chars().take(160).collect::<String>()
                ));
            }
        }
    }
    for ep in ui_endpoints(&s) {
        for (a, who) in &s.actors {
            let r = match ep.method {
                Method::GET => t.page(&ep.path, Some(a)).await?,
                _ => t.form(&ep.path, Some(a), &[("versie", "0")], None).await?,
            };
            let expected = ep.exp.for_who(*who);
            if r.status.as_u16() != expected {
                failures.push(format!("UI {} ({:?}) {} {}: expected {expected}, got {}", a.username, who, ep.method, ep.path, r.status));
            }
            if expected == 404 && !r.body.contains("niet voor u zichtbaar") {
                failures.push(format!("UI {} {}: 404 without the Dutch explanation", a.username, ep.path));
            }
        }
        let anon = match ep.method {
            Method::GET => t.page(&ep.path, None).await?,
            _ => t.form(&ep.path, None, &[], Some("x")).await?,
        };
        if !(anon.status == 303 && anon.location().starts_with("/inloggen")) {
            failures.push(format!("anonymous UI {} {}: {}", ep.method, ep.path, anon.status));
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(snapshot(&t).await?, before, "refused and invalid calls changed nothing");
    Ok(())
}
db_test!(every_actor_against_every_case_endpoint);
