//! Role by endpoint: every role (and nobody) against every network and account endpoint, in
//! the UI and the API. Mutations are sent with invalid input, so an allowed role gets 422 in the API, 400 in the UI (the
//! input is checked after the policy) and a refused one 403; nothing changes either way.

use anyhow::{anyhow, Result};
use axum::http::Method;
use knooppunt_domain::Role;
use knooppunt_policy::Action;
use knooppunt_testkit::{db_test, TestApp};
use serde_json::json;

#[derive(Clone, Copy)]
enum Kind {
    Read,
    Mutate,
}

struct Endpoint {
    method: Method,
    path: String,
    action: Action,
    kind: Kind,
}

fn allowed(role: Role, action: Action) -> bool {
    match action {
        Action::ViewNetwork => true,
        Action::ManageNetwork | Action::ManageUsers | Action::ManageApiTokens => role == Role::Administrator,
        Action::ViewUsers => matches!(role, Role::Administrator | Role::Auditor),
        Action::ViewAudit => role == Role::Auditor,
        Action::ViewProcessingLog => matches!(role, Role::Auditor | Role::PrivacyOfficer),
        Action::ManageCaseReference => matches!(role, Role::LiecCoordinator | Role::Administrator),
        Action::ManageInterventionCatalogue => role == Role::LiecCoordinator,
        Action::RecomputeMatches => role == Role::Administrator,
        Action::ArchiveLogs => false,
    }
}

fn api_endpoints(user: i64, org: i64) -> Vec<Endpoint> {
    use Action::*;
    use Kind::*;
    let e = |method: Method, path: String, action, kind| Endpoint { method, path, action, kind };
    vec![
        e(Method::GET, "/api/v1/regios".into(), ViewNetwork, Read),
        e(Method::GET, "/api/v1/regios/limburg".into(), ViewNetwork, Read),
        e(Method::POST, "/api/v1/regios".into(), ManageNetwork, Mutate),
        e(Method::PATCH, "/api/v1/regios/limburg".into(), ManageNetwork, Mutate),
        e(Method::POST, "/api/v1/regios/limburg/_samenvoegen".into(), ManageNetwork, Mutate),
        e(Method::GET, "/api/v1/gemeenten".into(), ViewNetwork, Read),
        e(Method::GET, "/api/v1/gemeenten/GM0935".into(), ViewNetwork, Read),
        e(Method::PATCH, "/api/v1/gemeenten/GM0935".into(), ManageNetwork, Mutate),
        e(Method::GET, "/api/v1/organisaties".into(), ViewNetwork, Read),
        e(Method::GET, format!("/api/v1/organisaties/{org}"), ViewNetwork, Read),
        e(Method::POST, "/api/v1/organisaties".into(), ManageNetwork, Mutate),
        e(Method::GET, "/api/v1/gebruikers".into(), ViewUsers, Read),
        e(Method::POST, "/api/v1/gebruikers/_zoek".into(), ViewUsers, Read),
        e(Method::GET, format!("/api/v1/gebruikers/{user}"), ViewUsers, Read),
        e(Method::POST, "/api/v1/gebruikers".into(), ManageUsers, Mutate),
        e(Method::PATCH, format!("/api/v1/gebruikers/{user}"), ManageUsers, Mutate),
        e(Method::POST, format!("/api/v1/gebruikers/{user}/rollen"), ManageUsers, Mutate),
        e(Method::POST, format!("/api/v1/gebruikers/{user}/rollen/_intrekken"), ManageUsers, Mutate),
        e(Method::GET, "/api/v1/logboeken".into(), ViewProcessingLog, Read),
    ]
}

fn ui_endpoints(user: i64) -> Vec<Endpoint> {
    use Action::*;
    use Kind::*;
    let e = |method: Method, path: String, action, kind| Endpoint { method, path, action, kind };
    vec![
        e(Method::GET, "/".into(), ViewNetwork, Read),
        e(Method::GET, "/netwerk/regios".into(), ViewNetwork, Read),
        e(Method::GET, "/netwerk/regios/limburg".into(), ViewNetwork, Read),
        e(Method::POST, "/netwerk/regios".into(), ManageNetwork, Mutate),
        e(Method::POST, "/netwerk/regios/limburg/naam".into(), ManageNetwork, Mutate),
        e(Method::POST, "/netwerk/regios/limburg/samenvoegen".into(), ManageNetwork, Mutate),
        e(Method::GET, "/netwerk/gemeenten".into(), ViewNetwork, Read),
        e(Method::GET, "/netwerk/gemeenten/GM0935".into(), ViewNetwork, Read),
        e(Method::POST, "/netwerk/gemeenten/GM0935/regio".into(), ManageNetwork, Mutate),
        e(Method::GET, "/netwerk/organisaties".into(), ViewNetwork, Read),
        e(Method::POST, "/netwerk/organisaties".into(), ManageNetwork, Mutate),
        e(Method::GET, "/beheer/gebruikers".into(), ViewUsers, Read),
        e(Method::POST, "/beheer/gebruikers/zoeken".into(), ViewUsers, Read),
        e(Method::GET, format!("/beheer/gebruikers/{user}"), ViewUsers, Read),
        e(Method::GET, "/beheer/gebruikers/nieuw".into(), ManageUsers, Read),
        e(Method::POST, "/beheer/gebruikers".into(), ManageUsers, Mutate),
        e(Method::POST, format!("/beheer/gebruikers/{user}/rollen"), ManageUsers, Mutate),
        e(Method::POST, format!("/beheer/gebruikers/{user}/rollen/intrekken"), ManageUsers, Mutate),
        e(Method::POST, format!("/beheer/gebruikers/{user}/wachtwoord"), ManageUsers, Mutate),
        e(Method::GET, "/beheer/api-tokens".into(), ManageApiTokens, Read),
        e(Method::POST, "/beheer/api-tokens".into(), ManageApiTokens, Mutate),
        e(Method::GET, "/audit".into(), ViewAudit, Read),
        e(Method::GET, "/verwerkingen".into(), ViewProcessingLog, Read),
        e(Method::GET, "/logboeken".into(), ViewProcessingLog, Read),
        e(Method::POST, "/verwerkingen".into(), ViewProcessingLog, Mutate),
    ]
}

async fn snapshot(t: &TestApp) -> Result<Vec<i64>> {
    let mut v = Vec::new();
    for table in ["regions", "municipality_regions", "organisations", "users", "user_roles", "api_tokens", "sessions"] {
        v.push(t.count(&format!("SELECT COUNT(*) FROM {table}")).await?);
    }
    Ok(v)
}

async fn every_role_against_every_api_endpoint(mut t: TestApp) -> Result<()> {
    let mut actors = Vec::new();
    for role in Role::ALL {
        actors.push(t.actor(role).await?);
    }
    let target = actors.iter().find(|a| a.role == Role::PartnerEmployee).map(|a| a.user_id).ok_or_else(|| anyhow!("no target"))?;
    let org = t.organisation("Gemeente Maastricht").await?;
    let before = snapshot(&t).await?;
    let mut failures = Vec::new();
    for ep in api_endpoints(target, org) {
        let body = match ep.kind {
            // Invalid on purpose: empty strings and an unknown role; allowed callers get 422.
            Kind::Mutate => Some(json!({})),
            Kind::Read if ep.method == Method::POST => Some(json!({"zoek": "t."})),
            Kind::Read => None,
        };
        let anon = t.api(ep.method.clone(), &ep.path, None, body.clone()).await?;
        if anon.assert_problem(401).is_err() {
            failures.push(format!("anonymous {} {}: {}", ep.method, ep.path, anon.status));
        }
        for a in &actors {
            let r = t.api(ep.method.clone(), &ep.path, Some(&a.token), body.clone()).await?;
            let expected: u16 = match (allowed(a.role, ep.action), ep.kind) {
                (true, Kind::Read) => 200,
                (true, Kind::Mutate) => 422,
                (false, _) => 403,
            };
            let ok = r.status.as_u16() == expected && (expected == 200 || r.content_type() == "application/problem+json");
            if !ok {
                failures.push(format!("{:?} {} {}: expected {expected}, got {} {}", a.role, ep.method, ep.path, r.status, r.body.chars().take(200).collect::<String>()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(snapshot(&t).await?, before, "refused or invalid calls changed nothing");
    assert!(t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'toegang-geweigerd'").await? > 0);
    Ok(())
}
db_test!(every_role_against_every_api_endpoint);

async fn every_role_against_every_ui_page(mut t: TestApp) -> Result<()> {
    let mut actors = Vec::new();
    for role in Role::ALL {
        actors.push(t.actor(role).await?);
    }
    let target = actors.iter().find(|a| a.role == Role::PartnerEmployee).map(|a| a.user_id).ok_or_else(|| anyhow!("no target"))?;
    let before = snapshot(&t).await?;
    let mut failures = Vec::new();
    for ep in ui_endpoints(target) {
        let anon = match ep.method {
            Method::GET => t.page(&ep.path, None).await?,
            _ => t.form(&ep.path, None, &[], Some("x")).await?,
        };
        // Nobody signed in: pages and forms alike send to the sign-in page.
        let anon_ok = anon.status == 303 && anon.location().starts_with("/inloggen");
        if !anon_ok {
            failures.push(format!("anonymous {} {}: {} {}", ep.method, ep.path, anon.status, anon.location()));
        }
        for a in &actors {
            let r = match ep.method {
                Method::GET => t.page(&ep.path, Some(a)).await?,
                _ => t.form(&ep.path, Some(a), &[("rol", "koning"), ("regio", "nergens"), ("naam", ""), ("zoek", "t.")], None).await?,
            };
            let expected: u16 = match (allowed(a.role, ep.action), ep.kind) {
                (true, Kind::Read) => 200,
                (true, Kind::Mutate) => 400,
                (false, _) => 403,
            };
            if r.status.as_u16() != expected || !r.content_type().starts_with("text/html") {
                failures.push(format!("{:?} {} {}: expected {expected}, got {} ({})", a.role, ep.method, ep.path, r.status, r.content_type()));
            }
            if expected == 403 && !r.body.contains("Geen toegang") {
                failures.push(format!("{:?} {}: 403 page without Dutch explanation", a.role, ep.path));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(snapshot(&t).await?, before);
    Ok(())
}
db_test!(every_role_against_every_ui_page);

async fn navigation_shows_only_what_a_role_may_use(mut t: TestApp) -> Result<()> {
    for role in Role::ALL {
        let a = t.actor(role).await?;
        let home = t.page("/", Some(&a)).await?;
        assert_eq!(home.status, 200);
        assert_eq!(home.body.contains("href=\"/beheer/gebruikers\""), allowed(role, Action::ViewUsers), "{role:?}");
        assert_eq!(home.body.contains("href=\"/audit\""), allowed(role, Action::ViewAudit), "{role:?}");
        assert_eq!(home.body.contains("href=\"/beheer/api-tokens\""), allowed(role, Action::ManageApiTokens), "{role:?}");
        assert_eq!(home.body.contains("href=\"/verwerkingen\""), allowed(role, Action::ViewProcessingLog), "{role:?}");
    }
    Ok(())
}
db_test!(navigation_shows_only_what_a_role_may_use);

async fn administrators_change_accounts_and_tokens_end_to_end(mut t: TestApp) -> Result<()> {
    let admin = t.actor(Role::Administrator).await?;
    let org = t.organisation("Gemeente Tilburg").await?.to_string();
    let r = t
        .form(
            "/beheer/gebruikers",
            Some(&admin),
            &[
                ("gebruikersnaam", "j.devries"),
                ("naam", "Jan de Vries"),
                ("email", "j.devries@tilburg.example"),
                ("organisatie", &org),
                ("wachtwoord", "Lang-Genoeg-Wachtwoord-1"),
                ("rol", "partner-medewerker"),
                ("regio", "zeeland-west-brabant"),
            ],
            None,
        )
        .await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let id = r.location().trim_start_matches("/beheer/gebruikers/").split('?').next().unwrap_or("").to_string();
    let page = t.page(&format!("/beheer/gebruikers/{id}"), Some(&admin)).await?;
    assert!(page.body.contains("Jan de Vries") && page.body.contains("Medewerker convenantpartner (RIEC Zeeland-West-Brabant)"));
    // The same user name again: a Dutch message on the field, nothing created.
    let dup = t
        .form(
            "/beheer/gebruikers",
            Some(&admin),
            &[("gebruikersnaam", "j.devries"), ("naam", "X"), ("email", "x@y.nl"), ("organisatie", &org), ("wachtwoord", "Lang-Genoeg-Wachtwoord-1")],
            None,
        )
        .await?;
    assert_eq!(dup.status, 400);
    assert!(dup.body.contains("Deze gebruikersnaam is al in gebruik."));
    // Grant and revoke a role.
    let r = t.form(&format!("/beheer/gebruikers/{id}/rollen"), Some(&admin), &[("rol", "stuurgroeplid"), ("regio", "zeeland-west-brabant")], None).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = t.form(&format!("/beheer/gebruikers/{id}/rollen/intrekken"), Some(&admin), &[("rol", "stuurgroeplid"), ("regio", "zeeland-west-brabant")], None).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    // A token shown once, then usable, then revoked.
    let r = t
        .form(
            "/beheer/api-tokens",
            Some(&admin),
            &[("naam", "Koppeling Tilburg"), ("organisatie", &org), ("rol", "partner-medewerker"), ("regio", "zeeland-west-brabant"), ("geldigDagen", "30")],
            None,
        )
        .await?;
    let secret = r.body.split("id=\"nieuw-token\">").nth(1).and_then(|s| s.split('<').next()).ok_or_else(|| anyhow!("token not shown"))?.to_string();
    assert_eq!(t.api(Method::GET, "/api/v1/regios", Some(&secret), None).await?.status, 200);
    let stored = t.count(&format!("SELECT COUNT(*) FROM api_tokens WHERE token_hash = '{secret}'")).await?;
    assert_eq!(stored, 0, "only the hash is stored");
    let tid = t.count("SELECT MAX(id) FROM api_tokens").await?;
    let r = t.form(&format!("/beheer/api-tokens/{tid}/intrekken"), Some(&admin), &[], None).await?;
    assert_eq!(r.status, 303);
    t.api(Method::GET, "/api/v1/regios", Some(&secret), None).await?.assert_problem(401)?;
    Ok(())
}
db_test!(administrators_change_accounts_and_tokens_end_to_end);
