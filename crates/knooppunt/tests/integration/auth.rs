//! Sign-in, throttling, the second factor, sessions and CSRF.

use anyhow::{anyhow, Result};
use knooppunt_app::auth::{totp_code, SecondFactor, SessionLookup};
use knooppunt_app::AppError;
use knooppunt_domain::Role;
use knooppunt_testkit::{db_test, TestApp, PASSWORD};

async fn audit_count(t: &TestApp, action: &str, result: &str) -> Result<i64> {
    t.count(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND result = '{result}'")).await
}

async fn login_form_round_trip_and_wrong_password(mut t: TestApp) -> Result<()> {
    let a = t.actor(Role::RiecAnalyst).await?;
    // The login page hands out a pre-session CSRF cookie; the POST must carry it.
    let page = t.page("/inloggen", None).await?;
    assert_eq!(page.status, 200);
    let cookie = page.headers.get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let token = cookie.split(';').next().and_then(|kv| kv.split_once('=')).map(|(_, v)| v.to_string()).ok_or_else(|| anyhow!("no csrf cookie"))?;
    assert!(page.body.contains(&token));
    let anon = knooppunt_testkit::Actor { cookie: format!("kp_csrf={token}"), csrf: token.clone(), ..a.clone() };
    let wrong = t.form("/inloggen", Some(&anon), &[("gebruikersnaam", &a.username), ("wachtwoord", "fout-fout-fout-fout"), ("terug", "/")], None).await?;
    assert_eq!(wrong.status, 401);
    assert!(wrong.body.contains("Gebruikersnaam of wachtwoord is onjuist."));
    assert_eq!(audit_count(&t, "inloggen", "mislukt").await?, 1);
    let unknown = t.form("/inloggen", Some(&anon), &[("gebruikersnaam", "bestaat.niet"), ("wachtwoord", "x"), ("terug", "/")], None).await?;
    assert!(unknown.body.contains("Gebruikersnaam of wachtwoord is onjuist."), "no user enumeration");
    let empty = t.form("/inloggen", Some(&anon), &[("gebruikersnaam", ""), ("wachtwoord", "")], None).await?;
    assert_eq!(empty.status, 400);
    assert!(empty.body.contains("Vul uw gebruikersnaam in.") && empty.body.contains("Vul uw wachtwoord in."));
    let ok = t.form("/inloggen", Some(&anon), &[("gebruikersnaam", &a.username), ("wachtwoord", PASSWORD), ("terug", "/netwerk/regios")], None).await?;
    assert_eq!(ok.status, 303);
    // An analyst reads personal data: the second factor comes first, the return path is kept.
    assert_eq!(ok.location(), "/inloggen/tweede-factor?terug=/netwerk/regios");
    let set = ok.headers.get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or("");
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax"), "{set}");
    // An open redirect is refused: only local paths.
    // Only local paths come back: protocol-relative and backslash paths, and tabs and newlines
    // (browsers drop them: `/<TAB>/evil.example` is `//evil.example`), go to the start page.
    for back in ["//evil.example/", "/\\evil.example", "/\t/evil.example/x", "/\n/evil.example/x"] {
        let evil = t.form("/inloggen", Some(&anon), &[("gebruikersnaam", &a.username), ("wachtwoord", PASSWORD), ("terug", back)], None).await?;
        assert_eq!((evil.status.as_u16(), evil.location()), (303, "/inloggen/tweede-factor?terug=/"), "{back:?}");
        assert!(evil.headers.get("set-cookie").is_some(), "{back:?}");
    }
    // Other control characters do not even reach the sign-in: the form is refused with a Dutch
    // message, no 500, no redirect.
    for back in ["/\u{7f}/evil.example", "/\u{1b}/evil.example"] {
        let evil = t.form("/inloggen", Some(&anon), &[("gebruikersnaam", &a.username), ("wachtwoord", PASSWORD), ("terug", back)], None).await?;
        assert_eq!(evil.status, 400, "{back:?}");
        assert!(evil.body.contains("besturingsteken") && evil.headers.get("location").is_none(), "{back:?}");
    }
    // The login page does not echo such a path either; a return path survives the round trip.
    let form = t.page("/inloggen?terug=%2F%09%2Fevil.example%2Fx", None).await?;
    assert!(!form.body.contains("evil.example"), "{}", form.body);
    // A role that reads no personal data (steering group) signs in with its password alone.
    let sg = t.actor(Role::SteeringGroupMember).await?;
    let ok = t.form("/inloggen", Some(&anon), &[("gebruikersnaam", &sg.username), ("wachtwoord", PASSWORD), ("terug", "/netwerk/regios")], None).await?;
    assert_eq!((ok.status.as_u16(), ok.location()), (303, "/netwerk/regios"));
    let redirect = t.page("/casussen?fase=casus", None).await?;
    assert_eq!(redirect.location(), "/inloggen?terug=/casussen");
    Ok(())
}
db_test!(login_form_round_trip_and_wrong_password);

async fn failed_logins_are_throttled_per_account_and_per_source(mut t: TestApp) -> Result<()> {
    let a = t.actor(Role::PartnerEmployee).await?;
    let ctx = t.anonymous();
    for _ in 0..5 {
        assert!(matches!(t.app.login(&ctx, &a.username, "verkeerd-wachtwoord").await, Err(AppError::LoginFailed)));
    }
    // From the guessing address even the right password waits now (back-off per account and
    // address), and the refusal is audited.
    assert!(matches!(t.app.login(&ctx, &a.username, PASSWORD).await, Err(AppError::Throttled)));
    assert_eq!(audit_count(&t, "inloggen", "geweigerd").await?, 1);
    // The owner elsewhere is not locked out.
    let mut elsewhere = t.anonymous();
    elsewhere.source = "198.51.100.7".into();
    assert!(t.app.login(&elsewhere, &a.username, PASSWORD).await.is_ok(), "the owner at another address signs in");
    // Refused attempts do not extend the wait: after a second the pair may try again.
    for _ in 0..10 {
        assert!(matches!(t.app.login(&ctx, &a.username, PASSWORD).await, Err(AppError::Throttled)));
    }
    t.clock.advance_ms(1_000);
    assert!(matches!(t.app.login(&ctx, &a.username, "nog-steeds-fout").await, Err(AppError::LoginFailed)));
    // Each further failure doubles the wait: 2 s now.
    t.clock.advance_ms(1_000);
    assert!(matches!(t.app.login(&ctx, &a.username, PASSWORD).await, Err(AppError::Throttled)));
    t.clock.advance_ms(1_000);
    assert!(t.app.login(&ctx, &a.username, PASSWORD).await.is_ok());
    // Per source address: 20 failures over many accounts make that address wait.
    let mut guesser = t.anonymous();
    guesser.source = "203.0.113.9".into();
    for i in 0..20 {
        let _ = t.app.login(&guesser, &format!("onbekend{i}"), "x").await;
    }
    assert!(matches!(t.app.login(&guesser, &a.username, PASSWORD).await, Err(AppError::Throttled)));
    assert!(t.app.login(&elsewhere, &a.username, PASSWORD).await.is_ok());
    // The account's ceiling: failures from many addresses together stop every attempt for it.
    let b = t.actor_in("slachtoffer", "Nationale Politie", Role::PartnerEmployee).await?;
    for i in 0..50 {
        let mut c = t.anonymous();
        c.source = format!("192.0.2.{}", i % 10 + 100);
        let _ = t.app.login(&c, &b.username, "fout").await;
    }
    let mut fresh = t.anonymous();
    fresh.source = "192.0.2.250".into();
    assert!(matches!(t.app.login(&fresh, &b.username, PASSWORD).await, Err(AppError::Throttled)));
    t.clock.advance_minutes(16);
    assert!(t.app.login(&fresh, &b.username, PASSWORD).await.is_ok());
    Ok(())
}

/// Second-factor codes are counted on their own, per account and per address: a correct password
/// before each guess resets nothing.
async fn second_factor_guesses_are_limited_whatever_the_password_step_does(mut t: TestApp) -> Result<()> {
    let admin = t.actor(Role::Administrator).await?;
    let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    t.clock.advance_minutes(1);
    let mut refused_after = None;
    for n in 0..80 {
        let mut c = t.anonymous();
        c.source = format!("198.51.100.{}", n % 5 + 1);
        let login = match t.app.login(&c, &admin.username, PASSWORD).await {
            Ok(l) => l,
            Err(AppError::Throttled) => {
                refused_after = Some(n);
                break;
            }
            Err(e) => return Err(anyhow!(e.to_string())),
        };
        match t.app.verify_second_factor(&c, &login.session_token, "000000").await {
            Err(AppError::SecondFactorFailed) => {}
            Err(AppError::Throttled) => {
                refused_after = Some(n);
                break;
            }
            other => return Err(anyhow!("unexpected {other:?}")),
        }
    }
    let n = refused_after.ok_or_else(|| anyhow!("80 wrong codes from 5 addresses were never refused"))?;
    assert!(n <= 25, "refused only after {n} wrong codes");
    // The right code waits too until the back-off has passed, then works.
    let mut c = t.anonymous();
    c.source = "198.51.100.1".into();
    t.clock.advance_minutes(16);
    let login = t.app.login(&c, &admin.username, PASSWORD).await.map_err(|e| anyhow!(e.to_string()))?;
    let code = totp_code(secret, t.app.now()).ok_or_else(|| anyhow!("code"))?;
    t.app.verify_second_factor(&c, &login.session_token, &code).await.map_err(|e| anyhow!(e.to_string()))?;
    Ok(())
}
db_test!(second_factor_guesses_are_limited_whatever_the_password_step_does);

/// A password change ends the user's other sessions; a first password set by someone else must
/// be changed; expired sessions and old attempts are purged.
async fn sessions_follow_the_password(mut t: TestApp) -> Result<()> {
    let a = t.actor(Role::RiecAnalyst).await?;
    let ctx = t.anonymous();
    let one = t.app.login(&ctx, &a.username, PASSWORD).await.map_err(|e| anyhow!(e.to_string()))?;
    let two = t.app.login(&ctx, &a.username, PASSWORD).await.map_err(|e| anyhow!(e.to_string()))?;
    let SessionLookup::Valid(info) = t.app.session(&one.session_token).await.map_err(|e| anyhow!(e.to_string()))? else {
        return Err(anyhow!("no session"));
    };
    let me = knooppunt_app::Ctx { principal: Some(info.principal.clone()), ..t.anonymous() };
    let new = "Een-Heel-Nieuw-Wachtwoord-2026";
    t.app.change_own_password(&me, &one.session_token, PASSWORD, new, new).await.map_err(|e| anyhow!(e.to_string()))?;
    assert!(matches!(t.app.session(&one.session_token).await.map_err(|e| anyhow!(e.to_string()))?, SessionLookup::Valid(_)), "this session stays");
    assert!(matches!(t.app.session(&two.session_token).await.map_err(|e| anyhow!(e.to_string()))?, SessionLookup::Missing), "the other session ended");

    // An account made by an administrator (API) must change its first password.
    let admin = t.actor(Role::Administrator).await?;
    let org = t.organisation("Nationale Politie").await?;
    let body = serde_json::json!({"gebruikersnaam": "nieuw.lid", "naam": "Nieuw Lid", "email": "nieuw@politie.example", "organisatieId": org, "wachtwoord": PASSWORD, "rollen": [{"rol": "partner-medewerker", "regio": "oost-brabant"}]});
    let r = t.api(axum::http::Method::POST, "/api/v1/gebruikers", Some(&admin.token), Some(body)).await?;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let first = t.app.login(&ctx, "nieuw.lid", PASSWORD).await.map_err(|e| anyhow!(e.to_string()))?;
    let SessionLookup::Valid(info) = t.app.session(&first.session_token).await.map_err(|e| anyhow!(e.to_string()))? else {
        return Err(anyhow!("no session"));
    };
    assert!(info.must_change_password);

    // The purge removes expired sessions and attempts older than 30 days.
    t.clock.advance_minutes(31 * 24 * 60);
    let purged = t.app.purge().await.map_err(|e| anyhow!(e.to_string()))?;
    assert!(purged.sessions >= 2 && purged.attempts >= 3, "{purged:?}");
    assert_eq!(t.count("SELECT COUNT(*) FROM sessions").await?, 0);
    assert_eq!(t.count("SELECT COUNT(*) FROM login_attempts").await?, 0);
    Ok(())
}
db_test!(sessions_follow_the_password);
db_test!(failed_logins_are_throttled_per_account_and_per_source);

async fn totp_is_required_and_a_code_cannot_be_replayed(mut t: TestApp) -> Result<()> {
    let admin = t.actor(Role::Administrator).await?;
    let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    let ctx = t.anonymous();
    t.clock.advance_minutes(1);
    let login = t.app.login(&ctx, &admin.username, PASSWORD).await.map_err(|e| anyhow!(e.to_string()))?;
    assert_eq!(login.second_factor, SecondFactor::Pending);
    // A pending session cannot see anything yet.
    let cookie = format!("kp_sessie={}", login.session_token);
    let pending = knooppunt_testkit::Actor { cookie: cookie.clone(), ..admin.clone() };
    let r = t.page("/beheer/gebruikers", Some(&pending)).await?;
    assert_eq!((r.status.as_u16(), r.location()), (303, "/inloggen/tweede-factor"));
    let code = totp_code(secret, t.app.now()).ok_or_else(|| anyhow!("code"))?;
    assert!(matches!(t.app.verify_second_factor(&ctx, &login.session_token, "000000").await, Err(AppError::SecondFactorFailed)));
    t.app.verify_second_factor(&ctx, &login.session_token, &code).await.map_err(|e| anyhow!(e.to_string()))?;
    // The same code again, in a new sign-in, is a replay.
    let again = t.app.login(&ctx, &admin.username, PASSWORD).await.map_err(|e| anyhow!(e.to_string()))?;
    assert!(matches!(t.app.verify_second_factor(&ctx, &again.session_token, &code).await, Err(AppError::SecondFactorFailed)));
    assert!(t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'tweede-factor' AND detail = 'code al gebruikt'").await? == 1);
    Ok(())
}
db_test!(totp_is_required_and_a_code_cannot_be_replayed);

async fn administrators_without_a_second_factor_must_enrol(t: TestApp) -> Result<()> {
    let op = t.operator();
    let org = t.organisation("LIEC").await?;
    let input = knooppunt_app::users::NewUserInput {
        username: "nieuwe.beheerder".into(),
        display_name: "Nieuwe Beheerder".into(),
        email: "nb@liec.example".into(),
        organisation_id: Some(org),
        password: PASSWORD.into(),
        roles: vec![("beheerder".into(), None)],
        demo: false,
        temporary_password: false,
    };
    t.app.create_user(&op, &input).await.map_err(|e| anyhow!(e.to_string()))?;
    let ctx = t.anonymous();
    let login = t.app.login(&ctx, "nieuwe.beheerder", PASSWORD).await.map_err(|e| anyhow!(e.to_string()))?;
    assert_eq!(login.second_factor, SecondFactor::Enrol);
    let SessionLookup::Valid(info) = t.app.session(&login.session_token).await.map_err(|e| anyhow!(e.to_string()))? else {
        return Err(anyhow!("no session"));
    };
    let actor = knooppunt_testkit::Actor {
        user_id: 0,
        username: "nieuwe.beheerder".into(),
        role: Role::Administrator,
        cookie: format!("kp_sessie={}", login.session_token),
        csrf: info.csrf_token.clone(),
        token: String::new(),
    };
    let r = t.page("/beheer/gebruikers", Some(&actor)).await?;
    assert_eq!(r.location(), "/account/tweede-factor");
    let enrol = t.page("/account/tweede-factor", Some(&actor)).await?;
    assert_eq!(enrol.status, 200);
    let secret = enrol.body.split("id=\"totp-sleutel\">").nth(1).and_then(|s| s.split('<').next()).ok_or_else(|| anyhow!("no secret"))?.to_string();
    let bad = t.form("/account/tweede-factor", Some(&actor), &[("sleutel", &secret), ("code", "123")], None).await?;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("De code klopt niet."));
    let code = totp_code(&secret, t.app.now()).ok_or_else(|| anyhow!("code"))?;
    let ok = t.form("/account/tweede-factor", Some(&actor), &[("sleutel", &secret), ("code", &code)], None).await?;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let r = t.page("/beheer/gebruikers", Some(&actor)).await?;
    assert_eq!(r.status, 200);
    Ok(())
}
db_test!(administrators_without_a_second_factor_must_enrol);

async fn sessions_expire_when_idle_and_end_at_logout(mut t: TestApp) -> Result<()> {
    let a = t.actor(Role::RiecManager).await?;
    assert_eq!(t.page("/", Some(&a)).await?.status, 200);
    t.clock.advance_minutes(31);
    let r = t.page("/", Some(&a)).await?;
    assert_eq!(r.location(), "/inloggen?verlopen=1");
    let page = t.page("/inloggen?verlopen=1", None).await?;
    assert!(page.body.contains("Uw sessie is verlopen."));
    // A fresh session, then logout ends it.
    let login = t.app.login(&t.anonymous(), &a.username, PASSWORD).await.map_err(|e| anyhow!(e.to_string()))?;
    let SessionLookup::Valid(info) = t.app.session(&login.session_token).await.map_err(|e| anyhow!(e.to_string()))? else {
        return Err(anyhow!("no session"));
    };
    let b = knooppunt_testkit::Actor { cookie: format!("kp_sessie={}", login.session_token), csrf: info.csrf_token.clone(), ..a.clone() };
    let out = t.form("/uitloggen", Some(&b), &[], None).await?;
    assert_eq!(out.location(), "/inloggen?melding=uitgelogd");
    assert_eq!(t.page("/", Some(&b)).await?.location(), "/inloggen");
    // Absolute expiry: active every 20 minutes, still out after 12 hours.
    let login = t.app.login(&t.anonymous(), &a.username, PASSWORD).await.map_err(|e| anyhow!(e.to_string()))?;
    for step in 1..=37 {
        t.clock.advance_minutes(20);
        let seen = t.app.session(&login.session_token).await;
        // Each request records the session as seen, so 20 idle minutes never end it early.
        if step * 20 < 12 * 60 {
            assert!(matches!(seen, Ok(SessionLookup::Valid(_))), "still valid after {} minutes", step * 20);
        }
    }
    assert!(matches!(t.app.session(&login.session_token).await, Ok(SessionLookup::Expired) | Ok(SessionLookup::Missing)));
    Ok(())
}
db_test!(sessions_expire_when_idle_and_end_at_logout);

async fn forms_without_a_valid_csrf_token_change_nothing(mut t: TestApp) -> Result<()> {
    let admin = t.actor(Role::Administrator).await?;
    let before = t.count("SELECT COUNT(*) FROM regions").await?;
    for token in [Some(""), Some("verkeerd")] {
        let r = t.form("/netwerk/regios", Some(&admin), &[("code", "nieuw"), ("naam", "Nieuw"), ("soort", "riec")], token).await?;
        assert_eq!(r.status, 403);
        assert!(r.body.contains("Dit formulier is verlopen"));
    }
    assert_eq!(t.count("SELECT COUNT(*) FROM regions").await?, before);
    assert_eq!(audit_count(&t, "csrf-controle", "geweigerd").await?, 2);
    // With the token it works.
    let r = t.form("/netwerk/regios", Some(&admin), &[("code", "nieuw"), ("naam", "Nieuw"), ("soort", "riec")], None).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    Ok(())
}
db_test!(forms_without_a_valid_csrf_token_change_nothing);

async fn disabled_accounts_lose_their_sessions(mut t: TestApp) -> Result<()> {
    let admin = t.actor(Role::Administrator).await?;
    let a = t.actor(Role::KnowledgeEditor).await?;
    assert_eq!(t.page("/", Some(&a)).await?.status, 200);
    let r = t.form(&format!("/beheer/gebruikers/{}/status", a.user_id), Some(&admin), &[("actief", "nee")], None).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(t.page("/", Some(&a)).await?.status, 303);
    assert!(matches!(t.app.login(&t.anonymous(), &a.username, PASSWORD).await, Err(AppError::LoginFailed)));
    Ok(())
}
db_test!(disabled_accounts_lose_their_sessions);

async fn behind_a_trusted_proxy_the_client_address_is_audited(t: TestApp) -> Result<()> {
    // Behind the proxy every request comes from 10.0.0.5; the audit trail and the sign-in
    // throttle must see the client, and only a trusted proxy may say who that is.
    let t = t.trusting(&["10.0.0.0/24"])?;
    let attempt = |peer: [u8; 4], forwarded: &str| -> Result<axum::http::Request<axum::body::Body>> {
        let mut req = axum::http::Request::builder()
            .method(axum::http::Method::POST)
            .uri("/inloggen")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-forwarded-for", forwarded)
            .body(axum::body::Body::from("gebruikersnaam=niemand&wachtwoord=fout-fout-fout"))?;
        req.extensions_mut().insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((peer, 40000))));
        Ok(req)
    };
    t.send(attempt([10, 0, 0, 5], "6.6.6.6, 198.51.100.23")?).await?;
    t.send(attempt([203, 0, 113, 50], "198.51.100.99")?).await?;
    // Both were refused (no CSRF token) and audited with their client's address.
    let sources = t.strings("SELECT source FROM audit_log WHERE source LIKE '%.%.%.%' ORDER BY seq").await?;
    assert_eq!(sources, vec!["198.51.100.23".to_string(), "203.0.113.50".to_string()], "{sources:?}");
    Ok(())
}
db_test!(behind_a_trusted_proxy_the_client_address_is_audited);
