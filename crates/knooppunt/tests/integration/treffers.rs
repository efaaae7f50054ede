//! Cross-region detection through the API: a company in a Rotterdam case and a variant spelling
//! in a Noord-Nederland case become a hit on both sides without the other side's values; both
//! agree to share; the cases are linked; a third region, partners and the LIEC learn nothing
//! about the subjects. Rejected hits stay rejected when everything is matched again.

use anyhow::{anyhow, Result};
use axum::http::Method;
use knooppunt_domain::Role;
use knooppunt_testkit::{db_test, Actor, TestApp, TestResponse};
use serde_json::{json, Value};

async fn post(t: &TestApp, path: &str, who: &Actor, body: Value) -> Result<TestResponse> {
    t.api(Method::POST, path, Some(&who.token), Some(body)).await
}

async fn get(t: &TestApp, path: &str, who: &Actor) -> Result<TestResponse> {
    t.api(Method::GET, path, Some(&who.token), None).await
}

fn ok(r: TestResponse) -> Result<Value> {
    if r.status != 200 {
        return Err(anyhow!("expected 200, got {}: {}", r.status, r.body));
    }
    r.json()
}

/// Opens a case in the municipality's region by its RIEC analyst; returns (id, reference).
pub(crate) async fn case_in(t: &TestApp, analyst: &Actor, municipality: &str, title: &str) -> Result<(i64, String)> {
    let c = ok(post(
        t,
        "/api/v1/signalen",
        analyst,
        json!({"titel": title, "omschrijving": "Signaal over vastgoedtransacties via een holding.", "gemeente": municipality, "fenomenen": ["vastgoed"]}),
    )
    .await?)?;
    let id = c["id"].as_i64().ok_or_else(|| anyhow!("no id"))?;
    let steps = format!("/api/v1/casussen/{id}/_stappen");
    let c = ok(post(t, &steps, analyst, json!({"stap": "wegen", "versie": c["versie"]})).await?)?;
    let c = ok(post(t, &steps, analyst, json!({"stap": "casus-openen", "toelichting": "Past in het convenant.", "versie": c["versie"]})).await?)?;
    Ok((id, c["kenmerk"].as_str().unwrap_or_default().to_string()))
}

pub(crate) async fn company(t: &TestApp, who: &Actor, case: i64, name: &str, form: &str, postcode: &str, number: &str) -> Result<()> {
    let body = json!({"soort": "rechtspersoon", "handelsnaam": name, "rechtsvorm": form, "postcode": postcode, "huisnummer": number});
    ok(post(t, &format!("/api/v1/casussen/{case}/betrokkenen"), who, body).await?)?;
    Ok(())
}

struct Regions {
    rotterdam: Actor,
    noord: Actor,
    limburg: Actor,
    rotterdam_jurist: Actor,
    rotterdam_politie: Actor,
    liec: Actor,
}

async fn regions(t: &mut TestApp) -> Result<Regions> {
    Ok(Regions {
        rotterdam: t.actor_in_region("analist.rotterdam", "RIEC-bureau Rotterdam", Role::RiecAnalyst, "rotterdam").await?,
        noord: t.actor_in_region("analist.noord", "RIEC-bureau Noord-Nederland", Role::RiecAnalyst, "noord-nederland").await?,
        limburg: t.actor_in_region("analist.limburg", "RIEC-bureau Limburg", Role::RiecAnalyst, "limburg").await?,
        rotterdam_jurist: t.actor_in_region("jurist.rotterdam", "RIEC-bureau Rotterdam", Role::RiecLegalAdviser, "rotterdam").await?,
        rotterdam_politie: t.actor_in_region("agent.rotterdam", "Nationale Politie", Role::PartnerEmployee, "rotterdam").await?,
        liec: t.actor(Role::LiecCoordinator).await?,
    })
}

async fn a_hit_is_seen_by_both_teams_only_and_shared_after_both_agree(mut t: TestApp) -> Result<()> {
    let r = regions(&mut t).await?;
    let (rdam, rdam_ref) = case_in(&t, &r.rotterdam, "GM0599", "Vastgoed via een holding in Rotterdam-Zuid").await?;
    let (nn, nn_ref) = case_in(&t, &r.noord, "GM0014", "Opkoop van panden in de binnenstad").await?;
    let politie = t.organisation("Nationale Politie").await?;
    ok(post(&t, &format!("/api/v1/casussen/{rdam}/deelnemers"), &r.rotterdam, json!({"organisatieId": politie, "reden": "need-to-know"})).await?)?;
    company(&t, &r.rotterdam, rdam, "Van der Berg Vastgoed Holding", "B.V.", "3072 AP", "118").await?;
    company(&t, &r.noord, nn, "V.d. Berg Vastgoed Holding", "BV", "3072ap", "118").await?;
    // An unrelated company in a third region does not match.
    let (lim, _) = case_in(&t, &r.limburg, "GM0935", "Shisha lounge met wisselende eigenaren").await?;
    company(&t, &r.limburg, lim, "Bakkerij De Korenschoof", "V.O.F.", "6211 AB", "3").await?;

    // The background matcher picks the new subjects up; running it twice changes nothing.
    let first = t.app.process_match_queue().await?;
    assert_eq!((first.subjects, first.new_hits), (3, 1), "{first:?}");
    let again = t.app.process_match_queue().await?;
    assert_eq!((again.subjects, again.new_hits), (0, 0));

    // Rotterdam sees its own subject, the other region, the agreeing fields — not the other values.
    let list = ok(get(&t, "/api/v1/treffers", &r.rotterdam).await?)?;
    let hits = list["treffers"].as_array().cloned().unwrap_or_default();
    assert_eq!(hits.len(), 1, "{list}");
    let hit = &hits[0];
    let tid = hit["id"].as_i64().ok_or_else(|| anyhow!("no treffer id"))?;
    assert_eq!(hit["betrokkene"]["naam"], "Van der Berg Vastgoed Holding B.V.");
    assert_eq!(hit["andereRegio"], "RIEC Noord-Nederland");
    assert_eq!(hit["casusKenmerk"], rdam_ref.as_str());
    assert!(hit["sterkte"].as_i64().unwrap_or(0) >= 900);
    let fields: Vec<&str> = hit["velden"].as_array().into_iter().flatten().filter(|f| f["mate"] == "exact").filter_map(|f| f["veld"].as_str()).collect();
    assert_eq!(fields, ["bedrijfsnaam", "postcode en huisnummer"]);
    assert!(hit["gedeeld"].is_null());
    let text = list.to_string();
    for secret in ["V.d. Berg", "3072ap", nn_ref.as_str(), "Opkoop van panden"] {
        assert!(!text.contains(secret), "Rotterdam must not see {secret:?}: {text}");
    }
    // And Noord-Nederland sees the mirror image.
    let nn_view = ok(get(&t, &format!("/api/v1/treffers/{tid}"), &r.noord).await?)?;
    assert_eq!(nn_view["betrokkene"]["naam"], "V.d. Berg Vastgoed Holding BV");
    assert_eq!(nn_view["andereRegio"], "RIEC Rotterdam");
    for secret in ["Van der Berg", rdam_ref.as_str(), "Rotterdam-Zuid"] {
        assert!(!nn_view.to_string().contains(secret), "Noord-Nederland must not see {secret:?}");
    }

    // A third region, an admitted partner and the LIEC learn nothing about the subjects.
    for outsider in [&r.limburg, &r.rotterdam_politie, &r.liec] {
        let l = ok(get(&t, "/api/v1/treffers", outsider).await?)?;
        assert_eq!(l["treffers"].as_array().map(Vec::len), Some(0), "{} sees hits", outsider.username);
        get(&t, &format!("/api/v1/treffers/{tid}"), outsider).await?.assert_problem(404)?;
        post(&t, &format!("/api/v1/treffers/{tid}/_delen"), outsider, json!({"akkoord": true, "versie": 1})).await?.assert_problem(404)?;
    }
    get(&t, "/api/v1/treffers/_overzicht", &r.rotterdam).await?.assert_problem(403)?;
    // The LIEC sees counts and the pair of regions and cases, no subject details.
    let overview = ok(get(&t, "/api/v1/treffers/_overzicht", &r.liec).await?)?;
    assert_eq!(overview["totaal"], 1);
    assert_eq!(overview["regioparen"][0]["treffers"], 1);
    assert!(overview.to_string().contains(&rdam_ref) && overview.to_string().contains(&nn_ref));
    assert!(!overview.to_string().contains("Berg"));

    // Bad input: every problem listed, nothing changes.
    let p = post(&t, &format!("/api/v1/treffers/{tid}/_delen"), &r.rotterdam, json!({"akkoord": false, "versie": 1})).await?.assert_problem(422)?;
    assert!(p.to_string().contains("reden"));
    post(&t, &format!("/api/v1/treffers/{tid}/_delen"), &r.rotterdam, json!({"akkoord": true})).await?.assert_problem(422)?;
    post(&t, &format!("/api/v1/treffers/{tid}/_delen"), &r.rotterdam, json!({"akkoord": true, "versie": 1, "extra": 1})).await?.assert_problem(400)?;
    get(&t, "/api/v1/treffers/abc", &r.rotterdam).await?.assert_problem(404)?;
    // The legal adviser may review, not decide on sharing.
    post(&t, &format!("/api/v1/treffers/{tid}/_delen"), &r.rotterdam_jurist, json!({"akkoord": true, "versie": 1})).await?.assert_problem(403)?;

    // Rotterdam agrees (asking Noord-Nederland); nothing is shared yet.
    let v = ok(post(&t, &format!("/api/v1/treffers/{tid}/_delen"), &r.rotterdam, json!({"akkoord": true, "versie": 1})).await?)?;
    assert_eq!(v["delenEigen"], "akkoord");
    assert!(v["gedeeld"].is_null());
    let nn_view = ok(get(&t, &format!("/api/v1/treffers/{tid}"), &r.noord).await?)?;
    assert_eq!(nn_view["delenAndere"], "akkoord");
    assert!(!nn_view.to_string().contains("Van der Berg"));
    // A stale version is a conflict.
    post(&t, &format!("/api/v1/treffers/{tid}/_delen"), &r.noord, json!({"akkoord": true, "versie": 1})).await?.assert_problem(409)?;
    // Noord-Nederland agrees: the cases are linked and each team sees the other subject.
    let shared = ok(post(&t, &format!("/api/v1/treffers/{tid}/_delen"), &r.noord, json!({"akkoord": true, "versie": nn_view["versie"]})).await?)?;
    assert_eq!(shared["gedeeld"]["betrokkene"]["naam"], "Van der Berg Vastgoed Holding B.V.");
    assert_eq!(shared["gedeeld"]["casusKenmerk"], rdam_ref.as_str());
    let rdam_view = ok(get(&t, &format!("/api/v1/treffers/{tid}"), &r.rotterdam).await?)?;
    assert_eq!(rdam_view["gedeeld"]["betrokkene"]["naam"], "V.d. Berg Vastgoed Holding BV");
    let rdam_case = ok(get(&t, &format!("/api/v1/casussen/{rdam}"), &r.rotterdam).await?)?;
    assert_eq!(rdam_case["gekoppeldeCasussen"][0]["kenmerk"], nn_ref.as_str());
    let nn_case = ok(get(&t, &format!("/api/v1/casussen/{nn}"), &r.noord).await?)?;
    assert_eq!(nn_case["gekoppeldeCasussen"][0]["kenmerk"], rdam_ref.as_str());
    // The admitted partner does not see the link; the other team still cannot open the case.
    let partner_case = ok(get(&t, &format!("/api/v1/casussen/{rdam}"), &r.rotterdam_politie).await?)?;
    assert_eq!(partner_case["gekoppeldeCasussen"].as_array().map(Vec::len), Some(0));
    get(&t, &format!("/api/v1/casussen/{rdam}"), &r.noord).await?.assert_problem(404)?;
    // The third region still sees nothing.
    get(&t, &format!("/api/v1/treffers/{tid}"), &r.limburg).await?.assert_problem(404)?;
    get(&t, &format!("/api/v1/casussen/{nn}"), &r.limburg).await?.assert_problem(404)?;

    // Every view and decision is audited; reads of subjects are in the processing log.
    for action in ["treffer-gevonden", "treffer-bekeken", "treffers-bekeken", "treffer-delen-akkoord", "casussen-gekoppeld", "treffers-overzicht-bekeken"] {
        assert!(t.count(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}'")).await? >= 1, "no audit line {action}");
    }
    assert!(t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'toegang-geweigerd' AND object_type = 'treffer'").await? >= 6);
    assert!(t.count("SELECT COUNT(*) FROM processing_log WHERE activity_code = 'treffer-inzien'").await? >= 4);
    Ok(())
}
db_test!(a_hit_is_seen_by_both_teams_only_and_shared_after_both_agree);

async fn a_rejected_hit_stays_rejected(mut t: TestApp) -> Result<()> {
    let r = regions(&mut t).await?;
    let (rdam, _) = case_in(&t, &r.rotterdam, "GM0599", "Uitzendbureau in Rotterdam").await?;
    let (nn, _) = case_in(&t, &r.noord, "GM0014", "Uitzendbureau in Groningen").await?;
    company(&t, &r.rotterdam, rdam, "Flexwerk Noord", "B.V.", "9711 AB", "1").await?;
    company(&t, &r.noord, nn, "Flexwerk Noord", "BV", "9711 AB", "1").await?;
    assert_eq!(t.app.process_match_queue().await?.new_hits, 1);
    let list = ok(get(&t, "/api/v1/treffers", &r.noord).await?)?;
    let tid = list["treffers"][0]["id"].as_i64().ok_or_else(|| anyhow!("no hit"))?;
    // Both teams find it on "Mijn werk"; a third region does not.
    let waiting = "Treffers met andere regio&#39;s te beoordelen</a>: ";
    for (who, n) in [(&r.noord, "1 treffer"), (&r.rotterdam, "1 treffer"), (&r.limburg, "0 treffers")] {
        let home = t.page("/", Some(who)).await?.body;
        assert!(home.contains(&format!("{waiting}{n}")), "{}: {home}", who.username);
    }
    // Both teams are told under "Meldingen"; the third region and the LIEC are not.
    let told = "Er is een nieuwe treffer tussen een casus van uw regio en een andere regio.";
    for (who, n) in [(&r.noord, 1), (&r.rotterdam, 1), (&r.limburg, 0), (&r.liec, 0)] {
        assert_eq!(t.page("/meldingen", Some(who)).await?.body.matches(&format!("<strong>{told}")).count(), n, "{}", who.username);
    }
    let nationally = "Treffers tussen regio&#39;s die nog niemand beoordeelde</a>: ";
    assert!(t.page("/", Some(&r.liec)).await?.body.contains(&format!("{nationally}1 treffer")));
    // A false match needs a reason.
    let p = post(&t, &format!("/api/v1/treffers/{tid}/_beoordelen"), &r.noord, json!({"oordeel": "onjuist", "versie": 1})).await?.assert_problem(422)?;
    assert!(p.to_string().contains("toelichting"));
    post(&t, &format!("/api/v1/treffers/{tid}/_beoordelen"), &r.noord, json!({"oordeel": "misschien", "toelichting": "x", "versie": 1})).await?.assert_problem(422)?;
    let v =
        ok(post(&t, &format!("/api/v1/treffers/{tid}/_beoordelen"), &r.noord, json!({"oordeel": "onjuist", "toelichting": "Andere vestiging, andere eigenaar.", "versie": 1}))
            .await?)?;
    assert_eq!(v["status"], "onjuist");
    // Assessed: off the list of both teams and of the LIEC.
    for who in [&r.noord, &r.rotterdam] {
        assert!(t.page("/", Some(who)).await?.body.contains(&format!("{waiting}0 treffers")));
    }
    assert!(t.page("/", Some(&r.liec)).await?.body.contains(&format!("{nationally}0 treffers")));
    // Everything matched again (EM included): the pair stays rejected, no new hit.
    let report = t.app.match_all(&t.operator(), |_, _| {}).await?;
    assert_eq!((report.new_hits, report.kept_rejected), (0, 1), "{report:?}");
    let again = ok(get(&t, &format!("/api/v1/treffers/{tid}"), &r.rotterdam).await?)?;
    assert_eq!(again["status"], "onjuist");
    // A rejected hit is not shared.
    post(&t, &format!("/api/v1/treffers/{tid}/_delen"), &r.rotterdam, json!({"akkoord": true, "versie": again["versie"]})).await?.assert_problem(409)?;
    // Matching everything is for operators only.
    let ctx = knooppunt_app::Ctx { principal: None, source: "test".into(), trace: t.app.new_trace() };
    assert!(t.app.match_all(&ctx, |_, _| {}).await.is_err());
    Ok(())
}
db_test!(a_rejected_hit_stays_rejected);

async fn the_ui_shows_hits_without_the_other_side_and_refuses_outsiders(mut t: TestApp) -> Result<()> {
    let r = regions(&mut t).await?;
    let (rdam, _) = case_in(&t, &r.rotterdam, "GM0599", "Vastgoed via een holding").await?;
    let (nn, _) = case_in(&t, &r.noord, "GM0014", "Opkoop van panden").await?;
    company(&t, &r.rotterdam, rdam, "Van der Berg Vastgoed Holding", "B.V.", "3072 AP", "118").await?;
    company(&t, &r.noord, nn, "V.d. Berg Vastgoed Holding", "BV", "3072ap", "118").await?;
    t.app.process_match_queue().await?;
    let list = t.page("/treffers", Some(&r.rotterdam)).await?;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("Van der Berg Vastgoed Holding B.V.") && list.body.contains("RIEC Noord-Nederland"));
    assert!(!list.body.contains("V.d. Berg"));
    assert!(list.body.contains("href=\"/treffers\""), "the navigation offers Treffers to a case team");
    let tid = ok(get(&t, "/api/v1/treffers", &r.rotterdam).await?)?["treffers"][0]["id"].as_i64().ok_or_else(|| anyhow!("no hit"))?;
    let path = format!("/treffers/{tid}");
    let page = t.page(&path, Some(&r.rotterdam)).await?;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("bedrijfsnaam") && page.body.contains("komt exact overeen") && !page.body.contains("V.d. Berg"));
    // Outsiders get the same 404 as for a hit that does not exist.
    for outsider in [&r.limburg, &r.rotterdam_politie, &r.liec] {
        assert_eq!(t.page(&path, Some(outsider)).await?.status, 404, "{}", outsider.username);
    }
    assert_eq!(t.page("/treffers/999999", Some(&r.rotterdam)).await?.status, 404);
    let liec = t.page("/treffers", Some(&r.liec)).await?;
    assert!(liec.body.contains("Landelijk overzicht") && !liec.body.contains("Berg"));
    // Refusing without a reason: a Dutch error, nothing changes.
    let refused = t.form(&format!("{path}/delen"), Some(&r.rotterdam), &[("versie", "1"), ("besluit", "weigeren"), ("reden", "")], Some(&r.rotterdam.csrf)).await?;
    assert_eq!(refused.status, 400);
    assert!(refused.body.contains("Geef de reden waarom u niet deelt."));
    assert_eq!(t.count("SELECT COUNT(*) FROM treffers WHERE share_a <> '' OR share_b <> ''").await?, 0);
    // Both agree through the UI: shared and linked.
    let a = t.form(&format!("{path}/delen"), Some(&r.rotterdam), &[("versie", "1"), ("besluit", "akkoord"), ("reden", "")], Some(&r.rotterdam.csrf)).await?;
    assert_eq!((a.status.as_u16(), a.location()), (303, format!("{path}?melding=akkoord").as_str()));
    let b = t.form(&format!("{path}/delen"), Some(&r.noord), &[("versie", "2"), ("besluit", "akkoord"), ("reden", "")], Some(&r.noord.csrf)).await?;
    assert_eq!((b.status.as_u16(), b.location()), (303, format!("{path}?melding=gedeeld").as_str()));
    let shared = t.page(&path, Some(&r.noord)).await?;
    assert!(shared.body.contains("Van der Berg Vastgoed Holding B.V."));
    let case_page = t.page(&format!("/casussen/{nn}"), Some(&r.noord)).await?;
    assert!(case_page.body.contains("Gekoppelde casussen in andere regio"));
    Ok(())
}
db_test!(the_ui_shows_hits_without_the_other_side_and_refuses_outsiders);

async fn a_list_is_screened_against_visible_subjects_only(mut t: TestApp) -> Result<()> {
    let r = regions(&mut t).await?;
    let (rdam, rdam_ref) = case_in(&t, &r.rotterdam, "GM0599", "Belwinkels met ondergronds bankieren").await?;
    let (nn, _) = case_in(&t, &r.noord, "GM0014", "Geldtransporten").await?;
    let person = |first: &str, last: &str, born: &str| json!({"soort": "persoon", "voornamen": first, "geslachtsnaam": last, "geboortedatum": born});
    ok(post(&t, &format!("/api/v1/casussen/{rdam}/betrokkenen"), &r.rotterdam, person("Mohammed", "Özdemir", "1979-04-12")).await?)?;
    ok(post(&t, &format!("/api/v1/casussen/{nn}/betrokkenen"), &r.noord, person("Sjoukje", "Hoekstra", "1985-03-02")).await?)?;
    let csv = "nr;voornamen;achternaam;geboortedatum\n1;Mohamed;Ozdemir;12-04-1979\n2;Sjoukje;Hoekstra;02-03-1985\n3;\"kapot;x\n";
    let mapping = "id=nr,given_names=voornamen,surname=achternaam,birth_date=geboortedatum";
    let out = ok(post(&t, "/api/v1/screeningen", &r.rotterdam, json!({"lijst": csv, "mapping": mapping})).await?)?;
    // Rotterdam finds its own subject, not Noord-Nederland's; the broken row is reported.
    let hits = out["treffers"].as_array().cloned().unwrap_or_default();
    assert_eq!(hits.len(), 1, "{out}");
    assert_eq!((hits[0]["rij"].as_str(), hits[0]["casusKenmerk"].as_str()), (Some("1"), Some(rdam_ref.as_str())));
    assert_eq!(out["rijen"], 2);
    assert_eq!(out["overgeslagen"].as_array().map(Vec::len), Some(1));
    assert!(!out.to_string().contains("Hoekstra"));
    let nn_out = ok(post(&t, "/api/v1/screeningen", &r.noord, json!({"lijst": csv, "mapping": mapping})).await?)?;
    assert_eq!(nn_out["treffers"][0]["rij"], "2");
    // A partner that was not admitted compares with nothing.
    let none = ok(post(&t, "/api/v1/screeningen", &r.rotterdam_politie, json!({"lijst": csv, "mapping": mapping})).await?)?;
    assert_eq!((none["vergelekenMet"].as_u64(), none["treffers"].as_array().map(Vec::len)), (Some(0), Some(0)));
    // Bad input: every problem listed.
    let p = post(&t, "/api/v1/screeningen", &r.rotterdam, json!({"lijst": "", "mapping": "schoenmaat=maat"})).await?.assert_problem(422)?;
    assert!(p.to_string().contains("mapping") && p.to_string().contains("lijst"), "{p}");
    let p = post(&t, "/api/v1/screeningen", &r.rotterdam, json!({"lijst": "a,b\n1,2\n", "mapping": "id=nr"})).await?.assert_problem(422)?;
    assert!(p.to_string().contains("kolom 'nr'"), "{p}");
    // The UI does the same, without JavaScript.
    assert_eq!(t.page("/casussen/screenen", Some(&r.rotterdam)).await?.status, 200);
    let page = t.form("/casussen/screenen", Some(&r.rotterdam), &[("lijst", csv), ("mapping", mapping)], Some(&r.rotterdam.csrf)).await?;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Mohammed Özdemir") && page.body.contains("Regel 4"), "{}", page.body);
    let bad = t.form("/casussen/screenen", Some(&r.rotterdam), &[("lijst", ""), ("mapping", "")], Some(&r.rotterdam.csrf)).await?;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("Plak of kies een lijst"));
    assert!(t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'lijst-gescreend'").await? >= 3);
    // Encoded lists need the encoded index, which this platform does not run.
    let p = post(&t, "/api/v1/screeningen/gecodeerd", &r.rotterdam, json!({"lijst": "id\n1\n"})).await?.assert_problem(409)?;
    assert!(p.to_string().contains("gecodeerde index"), "{p}");
    Ok(())
}
db_test!(a_list_is_screened_against_visible_subjects_only);

const NETWORK_SECRET: &[u8] = b"netwerksleutel-voor-de-test-2026";

/// A partner encodes a list on its own side, with the network's secret (`knooppunt encode`).
fn encoded_list(csv: &str, mapping: &str, secret: &[u8]) -> Result<String> {
    use knooppunt_app::linkage::{read_records, write_encoded, Mapping};
    let mapping = Mapping::parse(mapping).map_err(|p| anyhow!(p.join("; ")))?;
    let records = read_records(csv.as_bytes(), &mapping).map_err(|p| anyhow!(p.join("; ")))?;
    let secret = knooppunt_matching::clk::Secret::new(secret).map_err(|e| anyhow!(e.to_string()))?;
    let mut out = Vec::new();
    write_encoded(&mut out, &records, &secret)?;
    Ok(String::from_utf8(out)?)
}

/// Every clear value of the subjects below, in the spellings a leak could take.
const CLEAR: &[&str] = &[
    "Van der Berg",
    "v.d. berg",
    "berg vastgoed",
    "vastgoed",
    "holding",
    "3072",
    "3072AP",
    "3072 ap",
    "Mohammed",
    "Mohamed",
    "mohamed",
    "Özdemir",
    "ozdemir",
    "Oezdemir",
    "1979-04-12",
    "12-04-1979",
    "19790412",
    "123456782",
    "3011",
    "Sjoukje",
    "hoekstra",
    "1985",
];

fn assert_no_clear(what: &str, text: &str) {
    let lower = text.to_lowercase();
    for clear in CLEAR {
        assert!(!lower.contains(&clear.to_lowercase()), "{what} holds the clear value {clear:?}: {text}");
    }
    assert!(!text.contains(std::str::from_utf8(NETWORK_SECRET).unwrap_or("?")), "{what} holds the secret");
}

async fn the_encoded_index_and_encoded_screening_hold_no_clear_values(t: TestApp) -> Result<()> {
    let mut t = t.encoded(NETWORK_SECRET)?;
    let r = regions(&mut t).await?;
    let (rdam, rdam_ref) = case_in(&t, &r.rotterdam, "GM0599", "Vastgoed via een holding in Rotterdam-Zuid").await?;
    let (nn, _) = case_in(&t, &r.noord, "GM0014", "Opkoop van panden in de binnenstad").await?;
    company(&t, &r.rotterdam, rdam, "Van der Berg Vastgoed Holding", "B.V.", "3072 AP", "118").await?;
    company(&t, &r.noord, nn, "V.d. Berg Vastgoed Holding", "BV", "3072ap", "118").await?;
    let person = |first: &str, last: &str, born: &str, bsn: &str| json!({"soort": "persoon", "voornamen": first, "geslachtsnaam": last, "geboortedatum": born, "bsn": bsn, "postcode": "3011 AB", "huisnummer": "12"});
    ok(post(&t, &format!("/api/v1/casussen/{rdam}/betrokkenen"), &r.rotterdam, person("Mohammed", "Özdemir", "1979-04-12", "123456782")).await?)?;
    ok(post(&t, &format!("/api/v1/casussen/{nn}/betrokkenen"), &r.noord, person("Sjoukje", "Hoekstra", "1985-03-02", "")).await?)?;

    // The matcher works on the encoded index alone and still finds the company.
    let report = t.app.process_match_queue().await?;
    assert_eq!((report.subjects, report.new_hits), (4, 1), "{report:?}");
    let hits = ok(get(&t, "/api/v1/treffers", &r.rotterdam).await?)?;
    assert_eq!(hits["treffers"].as_array().map(Vec::len), Some(1), "{hits}");
    assert!(!hits.to_string().contains("V.d. Berg"));

    // The index holds keyed hashes and filters only: in shape, and without any clear value.
    let keys = t.strings("SELECT match_key FROM subject_match_keys ORDER BY match_key").await?;
    assert!(keys.len() >= 8, "{keys:?}");
    for k in &keys {
        assert!(k.len() == 18 && k.starts_with("h:") && k[2..].chars().all(|c| c.is_ascii_hexdigit()), "a clear blocking key: {k}");
    }
    let encodings = t.strings("SELECT kind || '|' || clk || '|' || fields || '|' || identifiers || '|' || secret_check FROM subject_encodings").await?;
    assert_eq!(encodings.len(), 4);
    for e in &encodings {
        let parts: Vec<&str> = e.split('|').collect();
        assert!(["persoon", "rechtspersoon"].contains(&parts[0]), "{e}");
        assert!(knooppunt_matching::clk::Clk::from_base64(parts[1]).is_some(), "{e}");
        assert!(knooppunt_matching::clk::Encoded::fields_from_base64(parts[2]).is_some(), "{e}");
        for id in parts[3].split(';').filter(|s| !s.is_empty()) {
            let (kind, hash) = id.split_once(':').unwrap_or_default();
            assert!(kind == "bsn" && hash.len() == 32 && hash.chars().all(|c| c.is_ascii_hexdigit()), "{id}");
        }
        assert_eq!(parts[4].len(), 16);
    }
    assert_no_clear("the encoded index", &format!("{keys:?}{encodings:?}"));

    // A partner screens an encoded list: hit/no-hit per row, no clear values either way.
    let csv = "nr;voornamen;achternaam;geboortedatum;bsn\n1;Mohamed;Ozdemir;12-04-1979;\n2;Sjoukje;Hoekstra;02-03-1985;\n3;Piet;Pietersen;1960-01-01;\n";
    let mapping = "id=nr,given_names=voornamen,surname=achternaam,birth_date=geboortedatum,id:bsn=bsn";
    let list = encoded_list(csv, mapping, NETWORK_SECRET)?;
    assert_no_clear("the encoded list", &list);
    let out = ok(post(&t, "/api/v1/screeningen/gecodeerd", &r.rotterdam, json!({"lijst": list})).await?)?;
    assert_no_clear("the encoded screening answer", &out.to_string());
    let answers = out["antwoorden"].as_array().cloned().unwrap_or_default();
    let hit_rows: Vec<&str> = answers.iter().filter(|a| a["treffer"] == true).filter_map(|a| a["rij"].as_str()).collect();
    assert_eq!(hit_rows, ["1"], "{out}");
    assert_eq!(answers[0]["casusKenmerk"], rdam_ref.as_str());
    assert_eq!((out["rijen"].as_u64(), out["vergelekenMet"].as_u64()), (Some(3), Some(2)));
    // Noord-Nederland finds its own subject; a region without cases compares with nothing.
    let nn_out = ok(post(&t, "/api/v1/screeningen/gecodeerd", &r.noord, json!({"lijst": list})).await?)?;
    assert_no_clear("the encoded screening answer", &nn_out.to_string());
    assert_eq!(nn_out["antwoorden"][1]["treffer"], true, "{nn_out}");
    assert_eq!(nn_out["antwoorden"][0]["treffer"], false);
    let none = ok(post(&t, "/api/v1/screeningen/gecodeerd", &r.limburg, json!({"lijst": list})).await?)?;
    assert_eq!(none["vergelekenMet"], 0);
    assert!(none["antwoorden"].as_array().into_iter().flatten().all(|a| a["treffer"] == false));

    // Bad input: another secret, no list, a clear list, broken rows — clear problems, no clear values.
    let other = encoded_list(csv, mapping, b"een heel andere sleutel van het netwerk")?;
    let p = post(&t, "/api/v1/screeningen/gecodeerd", &r.rotterdam, json!({"lijst": other})).await?.assert_problem(422)?;
    assert!(p.to_string().contains("andere sleutel"), "{p}");
    assert_no_clear("a problem", &p.to_string());
    let p = post(&t, "/api/v1/screeningen/gecodeerd", &r.rotterdam, json!({"lijst": ""})).await?.assert_problem(422)?;
    assert!(p.to_string().contains("lijst"), "{p}");
    let p = post(&t, "/api/v1/screeningen/gecodeerd", &r.rotterdam, json!({"lijst": csv})).await?.assert_problem(422)?;
    assert!(p.to_string().contains("knooppunt encode"), "{p}");
    assert_no_clear("a problem", &p.to_string());
    let broken = format!("{list}9,persoon,bm9n,AA==,,,{}\n", list.lines().nth(1).and_then(|l| l.rsplit(',').next()).unwrap_or_default());
    let out = ok(post(&t, "/api/v1/screeningen/gecodeerd", &r.rotterdam, json!({"lijst": broken})).await?)?;
    assert_eq!(out["overgeslagen"].as_array().map(Vec::len), Some(1), "{out}");
    assert!(t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'gecodeerde-lijst-gescreend'").await? >= 3);
    Ok(())
}
db_test!(the_encoded_index_and_encoded_screening_hold_no_clear_values);

async fn matchers_on_several_nodes_score_each_subject_once(mut t: TestApp) -> Result<()> {
    // Every node runs the background matcher; two at once must split the queue, not both take
    // it (and then trip over each other's hits).
    let r = regions(&mut t).await?;
    let (rdam, _) = case_in(&t, &r.rotterdam, "GM0599", "Vastgoed via holdings in Rotterdam-Zuid").await?;
    let (nn, _) = case_in(&t, &r.noord, "GM0014", "Opkoop van panden in de binnenstad").await?;
    let names = ["Van der Berg Vastgoed Holding", "Bakkerij De Korenschoof", "Autohandel de Kempen", "Shisha Lounge Noord", "Transportbedrijf Veenstra", "Nagelstudio Glamour"];
    for (i, name) in names.iter().enumerate() {
        let number = (10 + i).to_string();
        company(&t, &r.rotterdam, rdam, name, "B.V.", "3072 AP", &number).await?;
        company(&t, &r.noord, nn, name, "BV", "3072ap", &number).await?;
    }
    let (a, b) = tokio::join!(t.app.process_match_queue(), t.app.process_match_queue());
    let (a, b) = (a?, b?);
    assert_eq!(a.subjects + b.subjects, 12, "{a:?} {b:?}");
    assert_eq!(a.new_hits + b.new_hits, 6, "{a:?} {b:?}");
    assert_eq!(t.count("SELECT COUNT(*) FROM treffers").await?, 6);
    assert_eq!(t.count("SELECT COUNT(*) FROM match_queue").await?, 0);
    Ok(())
}
db_test!(matchers_on_several_nodes_score_each_subject_once);
