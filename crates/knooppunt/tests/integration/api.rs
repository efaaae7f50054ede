//! API conventions: problem+json for every client mistake, headers, OpenAPI.

use anyhow::Result;
use axum::body::Body;
use axum::http::{Method, Request};
use knooppunt_domain::Role;
use knooppunt_testkit::{db_test, TestApp};
use serde_json::json;

async fn client_mistakes_are_problem_json_and_change_nothing(mut t: TestApp) -> Result<()> {
    let admin = t.actor(Role::Administrator).await?;
    let tok = admin.token.clone();
    let users_before = t.count("SELECT COUNT(*) FROM users").await?;

    // Every missing field is listed at once.
    let p = t.api(Method::POST, "/api/v1/gebruikers", Some(&tok), Some(json!({}))).await?.assert_problem(422)?;
    let names: Vec<&str> = p["invalidParams"].as_array().into_iter().flatten().filter_map(|e| e["name"].as_str()).collect();
    for f in ["gebruikersnaam", "naam", "email", "wachtwoord", "organisatie"] {
        assert!(names.contains(&f), "{f} missing in {names:?}");
    }
    // Unknown fields.
    let p = t.api(Method::POST, "/api/v1/regios", Some(&tok), Some(json!({"code": "x1", "naam": "X", "soort": "riec", "kleur": "blauw"}))).await?.assert_problem(400)?;
    assert_eq!(p["invalidParams"][0]["name"], "kleur");
    // Malformed JSON.
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/regios")
        .header("authorization", format!("Bearer {tok}"))
        .header("content-type", "application/json")
        .body(Body::from("{\"code\": "))?;
    t.send(req).await?.assert_problem(400)?;
    // Wrong type.
    t.api(Method::POST, "/api/v1/gebruikers", Some(&tok), Some(json!({"organisatieId": "vijf"}))).await?.assert_problem(400)?;
    // No JSON content type.
    let req = Request::builder().method(Method::POST).uri("/api/v1/regios").header("authorization", format!("Bearer {tok}")).body(Body::from("code=x"))?;
    t.send(req).await?.assert_problem(415)?;
    // Oversized body.
    let big = format!("{{\"naam\": \"{}\"}}", "x".repeat(2 * 1024 * 1024));
    let req = Request::builder()
        .method(Method::PATCH)
        .uri("/api/v1/regios/limburg")
        .header("authorization", format!("Bearer {tok}"))
        .header("content-type", "application/json")
        .body(Body::from(big))?;
    t.send(req).await?.assert_problem(413)?;
    // A municipality code that does not exist, and one that is malformed.
    t.api(Method::GET, "/api/v1/gemeenten/GM9999", Some(&tok), None).await?.assert_problem(404)?;
    let p = t.api(Method::GET, "/api/v1/gemeenten/XX12", Some(&tok), None).await?.assert_problem(422)?;
    assert_eq!(p["invalidParams"][0]["name"], "cbsCode");
    t.api(Method::PATCH, "/api/v1/gemeenten/GM0363", Some(&tok), Some(json!({"regio": "atlantis"}))).await?.assert_problem(422)?;
    // Unknown query parameter, trailing slash, unknown path, wrong method, wrong id.
    t.api(Method::GET, "/api/v1/gemeenten?kleur=blauw", Some(&tok), None).await?.assert_problem(400)?;
    let p = t.api(Method::GET, "/api/v1/regios/", Some(&tok), None).await?.assert_problem(404)?;
    assert!(p["detail"].as_str().is_some_and(|d| d.contains("schuine streep")));
    t.api(Method::GET, "/api/v1/bestaat-niet", Some(&tok), None).await?.assert_problem(404)?;
    t.api(Method::DELETE, "/api/v1/regios", Some(&tok), None).await?.assert_problem(405)?;
    t.api(Method::GET, "/api/v1/gebruikers/abc", Some(&tok), None).await?.assert_problem(404)?;
    // Bad or missing tokens.
    t.api(Method::GET, "/api/v1/regios", Some("kp_onzin"), None).await?.assert_problem(401)?;
    let unauthenticated = t.api(Method::GET, "/api/v1/regios", None, None).await?;
    assert_eq!(unauthenticated.headers.get("www-authenticate").and_then(|v| v.to_str().ok()), Some("Bearer realm=\"knooppunt\""));
    unauthenticated.assert_problem(401)?;
    assert_eq!(t.count("SELECT COUNT(*) FROM users").await?, users_before);
    Ok(())
}
db_test!(client_mistakes_are_problem_json_and_change_nothing);

async fn every_response_carries_the_security_and_version_headers(mut t: TestApp) -> Result<()> {
    let a = t.actor(Role::RiecAnalyst).await?;
    for r in [t.page("/", Some(&a)).await?, t.page("/inloggen", None).await?, t.api(Method::GET, "/api/v1/regios", None, None).await?, t.page("/static/knooppunt.css", None).await?]
    {
        let h = |k: &str| r.headers.get(k).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        assert!(h("content-security-policy").contains("frame-ancestors 'none'") && !h("content-security-policy").contains("unsafe-inline"));
        assert_eq!(h("x-content-type-options"), "nosniff");
        assert_eq!(h("referrer-policy"), "no-referrer");
        assert_eq!(h("api-version"), "1.0.0");
        assert!(h("strict-transport-security").is_empty(), "no HSTS without TLS");
    }
    let ui404 = t.page("/bestaat-niet", Some(&a)).await?;
    assert_eq!(ui404.status, 404);
    assert!(ui404.body.contains("Pagina niet gevonden"));
    let slash = t.page("/netwerk/regios/", Some(&a)).await?;
    assert_eq!((slash.status.as_u16(), slash.location()), (308, "/netwerk/regios"));
    let live = t.page("/health/live", None).await?;
    assert_eq!(live.status, 200);
    // The icon, also where browsers look for it without asking the page.
    for icon in ["/static/favicon.svg", "/favicon.ico"] {
        let r = t.page(icon, None).await?;
        assert_eq!((r.status.as_u16(), r.content_type()), (200, "image/svg+xml"), "{icon}");
    }
    let ready = t.page("/health/ready", None).await?;
    assert_eq!(ready.status, 200, "{}", ready.body);
    // /metrics needs its token; the label set stays bounded whatever methods clients send.
    assert_eq!(t.page("/metrics", None).await?.status, 401);
    for n in 0..50 {
        let method = Method::from_bytes(format!("XMETHOD{n}").as_bytes())?;
        t.send(Request::builder().method(method).uri("/").body(Body::empty())?).await?;
    }
    let metrics = t.send(Request::builder().uri("/metrics").header("authorization", format!("Bearer {}", knooppunt_testkit::METRICS_TOKEN)).body(Body::empty())?).await?;
    assert_eq!(metrics.status, 200);
    assert!(metrics.body.contains("knooppunt_http_requests_total"));
    assert!(metrics.body.contains("method=\"OTHER\""), "{}", metrics.body);
    assert!(!metrics.body.contains("XMETHOD"), "an unknown method became a label");
    // API answers are not cached.
    let r = t.api(Method::GET, "/api/v1/regios", Some(&a.token), None).await?;
    assert_eq!(r.headers.get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"));
    Ok(())
}
db_test!(every_response_carries_the_security_and_version_headers);

#[test]
fn openapi_document_is_stable() -> Result<()> {
    let doc = serde_json::to_value(knooppunt_web::api::openapi())?;
    insta::assert_json_snapshot!("openapi", doc);
    Ok(())
}

async fn openapi_is_served_publicly(t: TestApp) -> Result<()> {
    let r = t.api(Method::GET, "/api/v1/openapi.json", None, None).await?;
    assert_eq!(r.status, 200);
    let doc = r.json()?;
    assert_eq!(doc["info"]["title"], "knooppunt API");
    assert!(doc["paths"]["/gemeenten/{cbsCode}"].is_object());
    Ok(())
}
db_test!(openapi_is_served_publicly);

/// Look-alike names and control or invisible characters are refused, with every offending field
/// listed; nothing is stored.
async fn look_alikes_and_control_characters_are_refused(mut t: TestApp) -> Result<()> {
    let admin = t.actor(Role::Administrator).await?;
    let analyst = t.actor(Role::RiecAnalyst).await?;
    let before = t.count("SELECT COUNT(*) FROM organisations").await?;
    for alike in ["nationale politie", "Nationale  Politie", "Nationale \u{03a1}olitie", "\u{ff2e}ationale Politie"] {
        let p = t.api(Method::POST, "/api/v1/organisaties", Some(&admin.token), Some(json!({"naam": alike, "partnertype": "politie"}))).await?.assert_problem(422)?;
        assert!(p.to_string().contains("Er bestaat al een organisatie met deze naam: Nationale Politie"), "{alike:?}: {p}");
    }
    for invisible in ["Nationale \u{200b}Politie", "\u{feff}Nieuwe Partner", "Partner\u{1b}[31m"] {
        let p = t.api(Method::POST, "/api/v1/organisaties", Some(&admin.token), Some(json!({"naam": invisible, "partnertype": "politie"}))).await?.assert_problem(400)?;
        assert!(p["invalidParams"][0]["name"] == "naam", "{invisible:?}: {p}");
    }
    assert_eq!(t.count("SELECT COUNT(*) FROM organisations").await?, before);
    // Regions likewise, on creation and on renaming.
    let regions = t.count("SELECT COUNT(*) FROM regions").await?;
    let p = t.api(Method::POST, "/api/v1/regios", Some(&admin.token), Some(json!({"code": "limburg-2", "naam": "riec  LIMBURG", "soort": "riec"}))).await?.assert_problem(422)?;
    assert!(p.to_string().contains("Er bestaat al een regio met deze naam: RIEC Limburg"), "{p}");
    let p = t.api(Method::PATCH, "/api/v1/regios/zeeland-west-brabant", Some(&admin.token), Some(json!({"naam": "RIEC \u{ff2c}imburg"}))).await?.assert_problem(422)?;
    assert!(p.to_string().contains("Er bestaat al een regio met deze naam: RIEC Limburg"), "{p}");
    // Renaming a region to a spelling of its own name is no clash.
    assert_eq!(t.api(Method::PATCH, "/api/v1/regios/limburg", Some(&admin.token), Some(json!({"naam": "RIEC limburg"}))).await?.status, 200);
    assert_eq!(t.count("SELECT COUNT(*) FROM regions").await?, regions);
    // Any JSON field: every offending one is listed.
    let p = t
        .api(Method::POST, "/api/v1/signalen", Some(&analyst.token), Some(json!({"titel": "Escape\u{1b}[2J", "omschrijving": "Nul\u{0}teken", "gemeente": "GM0772"})))
        .await?
        .assert_problem(400)?;
    let names: Vec<&str> = p["invalidParams"].as_array().into_iter().flatten().filter_map(|e| e["name"].as_str()).collect();
    assert_eq!(names.len(), 2, "{p}");
    assert!(names.contains(&"titel") && names.contains(&"omschrijving"), "{p}");
    // A problem never carries a control character back, not even one it quotes from a field
    // name; a query parameter is checked like a field.
    let r = t.api(Method::POST, "/api/v1/signalen", Some(&analyst.token), Some(json!({"ti\u{1b}tel": "x"}))).await?;
    assert_eq!(r.status, 400);
    assert!(!r.body.chars().any(knooppunt_domain::text::is_unsafe), "{}", r.body);
    let p = t.api(Method::GET, "/api/v1/gemeenten?zoek=%C2%84", Some(&analyst.token), None).await?.assert_problem(400)?;
    assert_eq!(p["invalidParams"][0]["name"], "zoek", "{p}");
    assert!(p["invalidParams"][0]["reason"].as_str().is_some_and(|r| r.contains("U+0084")), "{p}");
    // The same on pages, and a NUL (which PostgreSQL refuses in text) never reaches the
    // database: not through a page's query, nor through the sign-in form.
    let page = t.page("/casussen?zoek=a%00b", Some(&analyst)).await?;
    assert_eq!(page.status, 400);
    assert!(page.body.contains("U+0000"), "{}", page.body);
    let login = t.form("/inloggen", None, &[("gebruikersnaam", "a\u{0}b"), ("wachtwoord", "geheim\u{0}")], None).await?;
    assert!(login.status.is_client_error(), "{}", login.status);
    let login = t.page("/inloggen?terug=%2Fcasussen%00", None).await?;
    assert_eq!(login.status, 400);
    // Tab and newline stay allowed.
    let ok = t
        .api(Method::POST, "/api/v1/signalen", Some(&analyst.token), Some(json!({"titel": "Twee regels", "omschrijving": "Regel een\nRegel\ttwee", "gemeente": "GM0772"})))
        .await?;
    assert_eq!(ok.status, 200, "{}", ok.body);
    // The UI: a Dutch message, nothing stored.
    let cases = t.count("SELECT COUNT(*) FROM cases").await?;
    let r = t.form("/casussen/nieuw", Some(&analyst), &[("titel", "Titel\u{202e}gpj.exe"), ("omschrijving", "x"), ("gemeente", "GM0772")], None).await?;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("besturingsteken of onzichtbaar teken"), "{}", r.body);
    assert_eq!(t.count("SELECT COUNT(*) FROM cases").await?, cases);
    Ok(())
}
db_test!(look_alikes_and_control_characters_are_refused);

/// The OpenAPI document says what the server does: every error of every operation is
/// `application/problem+json`; every operation documents 401; every operation with input 400;
/// every operation with a body 413 and 415; every path naming an object 404.
#[test]
fn openapi_documents_every_error_as_problem_json() -> Result<()> {
    let doc = serde_json::to_value(knooppunt_web::api::openapi())?;
    let mut checked = 0;
    let mut problems = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            let Some(responses) = op["responses"].as_object() else { continue };
            checked += 1;
            let has = |code: &str| responses.contains_key(code);
            let has_body = op.get("requestBody").is_some();
            let has_params = op["parameters"].as_array().is_some_and(|p| !p.is_empty());
            let mut need = vec!["401", "500", "503"];
            if has_body || has_params {
                need.push("400");
            }
            if has_body {
                need.extend(["413", "415"]);
            }
            if path.contains('{') {
                need.push("404");
            }
            for code in need {
                if !has(code) {
                    problems.push(format!("{method} {path}: no {code}"));
                }
            }
            for (code, r) in responses {
                if code.starts_with('4') || code.starts_with('5') {
                    let types: Vec<&String> = r["content"].as_object().map(|c| c.keys().collect()).unwrap_or_default();
                    if types != ["application/problem+json"] {
                        problems.push(format!("{method} {path} {code}: {types:?}"));
                    }
                }
            }
        }
    }
    assert!(checked > 60, "only {checked} operations");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    Ok(())
}

async fn racing_duplicates_are_conflicts_not_server_errors(mut t: TestApp) -> Result<()> {
    // Twenty identical creates at once: one wins, the others learn why (409 from the unique
    // constraint when they passed the check together, 422 when they came after); never a 500.
    let admin = t.actor(Role::Administrator).await?;
    let body = json!({"naam": "Stichting Gelijktijdig", "partnertype": "politie"});
    let requests = (0..20).map(|_| t.api(Method::POST, "/api/v1/organisaties", Some(&admin.token), Some(body.clone())));
    let answers = futures_join_all(requests).await;
    let mut created = 0;
    for r in answers {
        let r = r?;
        match r.status.as_u16() {
            200 => created += 1,
            409 | 422 => {
                let p = r.assert_problem(r.status.as_u16())?;
                assert!(p["detail"].as_str().is_some_and(|d| !d.contains("UNIQUE") && !d.contains("organisations")) || p["invalidParams"].is_array(), "{p}");
            }
            other => anyhow::bail!("answer {other}: {}", r.body),
        }
    }
    assert_eq!(created, 1);
    assert_eq!(t.count("SELECT COUNT(*) FROM organisations WHERE name = 'Stichting Gelijktijdig'").await?, 1);
    Ok(())
}
db_test!(racing_duplicates_are_conflicts_not_server_errors);

/// Runs the futures concurrently (the test crates have no `futures` dependency).
async fn futures_join_all<F: std::future::Future>(fs: impl Iterator<Item = F>) -> Vec<F::Output> {
    let mut pinned: Vec<std::pin::Pin<Box<F>>> = fs.map(Box::pin).collect();
    let mut out: Vec<Option<F::Output>> = pinned.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (f, slot) in pinned.iter_mut().zip(out.iter_mut()) {
            if slot.is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => *slot = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    out.into_iter().flatten().collect()
}

async fn a_database_that_is_away_is_a_503_not_a_500(mut t: TestApp) -> Result<()> {
    let analyst = t.actor(Role::RiecAnalyst).await?;
    t.app.db().close().await;
    let started = std::time::Instant::now();
    let get = |path: &str, auth: Option<(&str, String)>| {
        let mut b = Request::builder().method(Method::GET).uri(path);
        if let Some((k, v)) = auth {
            b = b.header(k, v);
        }
        b.body(Body::empty())
    };
    let r = t.send_unchecked(get("/api/v1/casussen", Some(("authorization", format!("Bearer {}", analyst.token))))?).await?;
    let p = r.assert_problem(503)?;
    assert!(p["detail"].as_str().is_some_and(|d| d.contains("niet bereikbaar")), "{p}");
    let page = t.send_unchecked(get("/casussen", Some(("cookie", analyst.cookie.clone())))?).await?;
    assert_eq!(page.status, 503);
    assert!(page.body.contains("De database is even niet bereikbaar"), "{}", page.body);
    let ready = t.send_unchecked(get("/health/ready", None)?).await?;
    assert_eq!(ready.status, 503);
    assert!(ready.headers.get("content-type").and_then(|v| v.to_str().ok()).is_some_and(|c| c.starts_with("application/json")));
    // Not a timing assertion on a shared machine, only a bound far above any honest answer.
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    Ok(())
}
db_test!(a_database_that_is_away_is_a_503_not_a_500);
