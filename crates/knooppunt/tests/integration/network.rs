//! The network as data: reference load, regions added, renamed and merged, municipalities moved.

use anyhow::Result;
use axum::http::Method;
use knooppunt_domain::Role;
use knooppunt_testkit::{db_test, TestApp};
use serde_json::json;

async fn reference_network_is_loaded(mut t: TestApp) -> Result<()> {
    let a = t.actor(Role::PartnerEmployee).await?;
    let regions = t.api(Method::GET, "/api/v1/regios", Some(&a.token), None).await?.json()?;
    assert_eq!(regions.as_array().map(Vec::len), Some(12));
    let all = t.api(Method::GET, "/api/v1/gemeenten", Some(&a.token), None).await?.json()?;
    assert_eq!(all.as_array().map(Vec::len), Some(342));
    let ams = t.api(Method::GET, "/api/v1/gemeenten?regio=amsterdam-amstelland", Some(&a.token), None).await?.json()?;
    let mut names: Vec<&str> = ams.as_array().into_iter().flatten().filter_map(|g| g["naam"].as_str()).collect();
    names.sort();
    assert_eq!(names, ["Aalsmeer", "Amstelveen", "Amsterdam", "Diemen", "Ouder-Amstel", "Uithoorn"]);
    let euriec = t.api(Method::GET, "/api/v1/regios/euriec", Some(&a.token), None).await?.json()?;
    assert_eq!(euriec["bovenliggendeRegio"], "limburg");
    let police = t.api(Method::GET, "/api/v1/organisaties?partnertype=politie", Some(&a.token), None).await?.json()?;
    assert_eq!(police[0]["naam"], "Nationale Politie");
    assert_eq!(police[0]["landelijk"], true);
    // Loading again adds nothing.
    let again = t.app.load_reference(&t.operator()).await.map_err(|e| anyhow::anyhow!(e.to_string()))?;
    assert_eq!((again.regions, again.municipalities, again.organisations), (0, 0, 0));
    Ok(())
}
db_test!(reference_network_is_loaded);

async fn regions_are_added_renamed_and_merged_with_history(mut t: TestApp) -> Result<()> {
    let admin = t.actor(Role::Administrator).await?;
    let tok = Some(admin.token.as_str());
    let r = t.api(Method::POST, "/api/v1/regios", tok, Some(json!({"code": "brabant", "naam": "RIEC Brabant", "soort": "riec"}))).await?;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = t.api(Method::PATCH, "/api/v1/regios/brabant", tok, Some(json!({"naam": "RIEC Brabant (nieuw)"}))).await?;
    assert_eq!(r.json()?["naam"], "RIEC Brabant (nieuw)");
    for from in ["oost-brabant", "zeeland-west-brabant"] {
        let r = t.api(Method::POST, &format!("/api/v1/regios/{from}/_samenvoegen"), tok, Some(json!({"doelRegio": "brabant"}))).await?;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let brabant = t.api(Method::GET, "/api/v1/regios/brabant", tok, None).await?.json()?;
    assert_eq!(brabant["gemeenten"].as_array().map(Vec::len), Some(32 + 37));
    let old = t.api(Method::GET, "/api/v1/regios/oost-brabant", tok, None).await?.json()?;
    assert_eq!(old["actief"], false);
    assert_eq!(old["opgegaanIn"], "brabant");
    assert!(old["geschiedenis"].as_array().is_some_and(|h| h.iter().any(|e| e["soort"] == "samengevoegd")));
    // Eindhoven's history shows both regions.
    let ehv = t.api(Method::GET, "/api/v1/gemeenten/GM0772", tok, None).await?.json()?;
    assert_eq!(ehv["regio"], "brabant");
    let hist: Vec<&str> = ehv["regioHistorie"].as_array().into_iter().flatten().filter_map(|h| h["regio"].as_str()).collect();
    assert_eq!(hist, ["oost-brabant", "brabant"]);
    // The regional role of the RIEC-bureau's staff moved with the region.
    let analyst = t.actor(Role::RiecAnalyst).await;
    assert!(analyst.is_err(), "oost-brabant no longer takes new grants");
    // Merging an already merged region is a conflict; merging into an inactive one is invalid.
    let r = t.api(Method::POST, "/api/v1/regios/oost-brabant/_samenvoegen", tok, Some(json!({"doelRegio": "brabant"}))).await?;
    r.assert_problem(409)?;
    let r = t.api(Method::POST, "/api/v1/regios/limburg/_samenvoegen", tok, Some(json!({"doelRegio": "oost-brabant"}))).await?;
    r.assert_problem(422)?;
    Ok(())
}
db_test!(regions_are_added_renamed_and_merged_with_history);

async fn municipality_moves_in_the_ui(mut t: TestApp) -> Result<()> {
    let admin = t.actor(Role::Administrator).await?;
    let r = t.form("/netwerk/gemeenten/GM0772/regio", Some(&admin), &[("regio", "limburg")], None).await?;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = t.page("/netwerk/gemeenten/GM0772", Some(&admin)).await?;
    assert!(page.body.contains("RIEC Limburg"));
    assert!(page.body.contains("RIEC Oost-Brabant"), "history keeps the old region");
    // The same region again is a clear Dutch error and changes nothing.
    let r = t.form("/netwerk/gemeenten/GM0772/regio", Some(&admin), &[("regio", "limburg")], None).await?;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("De gemeente hoort al bij deze regio."));
    // An unknown municipality code is a 404 page, not a 500.
    let r = t.form("/netwerk/gemeenten/GM9999/regio", Some(&admin), &[("regio", "limburg")], None).await?;
    assert_eq!(r.status, 404);
    Ok(())
}
db_test!(municipality_moves_in_the_ui);

async fn new_region_form_lists_every_error(mut t: TestApp) -> Result<()> {
    let admin = t.actor(Role::Administrator).await?;
    let before = t.count("SELECT COUNT(*) FROM regions").await?;
    let r = t.form("/netwerk/regios", Some(&admin), &[("code", "X"), ("naam", ""), ("soort", "gemeente"), ("bovenliggendeRegio", "nergens")], None).await?;
    assert_eq!(r.status, 400);
    for msg in ["Een regiocode heeft", "Vul een naam in.", "Kies als soort", "Deze bovenliggende regio bestaat niet"] {
        assert!(r.body.contains(msg), "missing {msg:?}");
    }
    assert_eq!(t.count("SELECT COUNT(*) FROM regions").await?, before);
    Ok(())
}
db_test!(new_region_form_lists_every_error);
