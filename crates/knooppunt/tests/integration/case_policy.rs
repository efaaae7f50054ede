//! The property test of need-to-know: over random small worlds (regions, organisations, cases,
//! participants admitted and removed, items with releases granted and withdrawn, subjects) and
//! random principals (any roles, in any region or nationally, of any organisation), the SQL
//! visibility filter of the store and the decision functions of the policy crate agree — for
//! cases, for items, for the paged case list and for subject search. On both databases.

use anyhow::{anyhow, Result};
use knooppunt_domain::case::CasePhase;
use knooppunt_domain::Role;
use knooppunt_policy::cases::{access, case_scope, decide_item, CaseFacts, ItemAction, ItemFacts};
use knooppunt_policy::{Actor, Principal, RoleGrant};
use knooppunt_store::cases::{self as store, CaseFilter, NewCase, NewItem, SubjectRow};
use knooppunt_testkit::{db_test, TestApp};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

const REGIONS: usize = 3;
const ORGS: usize = 5;

#[derive(Debug, Clone)]
struct ItemSpec {
    supplier: usize,
    /// (organisation, withdrawn)
    releases: Vec<(usize, bool)>,
}

#[derive(Debug, Clone)]
struct CaseSpec {
    region: usize,
    phase: usize,
    /// (organisation, removed)
    participants: Vec<(usize, bool)>,
    items: Vec<ItemSpec>,
    subject: bool,
}

#[derive(Debug, Clone)]
struct PrincipalSpec {
    org: usize,
    grants: Vec<(usize, Option<usize>)>,
}

#[derive(Debug, Clone)]
struct WorldSpec {
    cases: Vec<CaseSpec>,
    principals: Vec<PrincipalSpec>,
}

fn world() -> impl Strategy<Value = WorldSpec> {
    let item = (0..ORGS, prop::collection::vec((0..ORGS, any::<bool>()), 0..3)).prop_map(|(supplier, releases)| ItemSpec { supplier, releases });
    let case = (0..REGIONS, 0..CasePhase::ALL.len(), prop::collection::vec((0..ORGS, prop::bool::weighted(0.25)), 0..4), prop::collection::vec(item, 0..3), any::<bool>())
        .prop_map(|(region, phase, participants, items, subject)| CaseSpec { region, phase, participants, items, subject });
    let principal = (0..ORGS, prop::collection::vec((0..Role::ALL.len(), prop::option::weighted(0.8, 0..REGIONS)), 1..3)).prop_map(|(org, grants)| PrincipalSpec { org, grants });
    (prop::collection::vec(case, 1..7), prop::collection::vec(principal, 1..8)).prop_map(|(cases, principals)| WorldSpec { cases, principals })
}

struct Ids {
    regions: Vec<i64>,
    orgs: Vec<i64>,
    municipality: i64,
    legal_basis: i64,
    purpose: i64,
}

async fn ids(t: &TestApp) -> Result<Ids> {
    use sqlx::Row;
    let mut tx = t.app.db().begin().await?;
    let col = |rows: Vec<sqlx::any::AnyRow>| rows.iter().map(|r| r.try_get::<i64, _>(0)).collect::<Result<Vec<i64>, _>>();
    let regions = col(sqlx::query("SELECT id FROM regions WHERE kind = 'riec' ORDER BY id LIMIT 3").fetch_all(&mut *tx).await?)?;
    let orgs = col(sqlx::query("SELECT id FROM organisations ORDER BY id LIMIT 5").fetch_all(&mut *tx).await?)?;
    let municipality =
        col(sqlx::query("SELECT id FROM municipalities ORDER BY id LIMIT 1").fetch_all(&mut *tx).await?)?.first().copied().ok_or_else(|| anyhow!("no municipality"))?;
    let legal_basis = store::legal_bases(&mut tx).await?.first().map(|r| r.id).ok_or_else(|| anyhow!("no legal basis"))?;
    let purpose = store::purposes(&mut tx).await?.first().map(|r| r.id).ok_or_else(|| anyhow!("no purpose"))?;
    tx.commit().await?;
    Ok(Ids { regions, orgs, municipality, legal_basis, purpose })
}

/// The world as stored: case id with its facts; item id with its case id and facts.
struct Stored {
    cases: Vec<(i64, CaseFacts, bool)>,
    items: Vec<(i64, i64, ItemFacts)>,
}

async fn store_world(t: &TestApp, ids: &Ids, w: &WorldSpec) -> Result<Stored> {
    let mut tx = t.app.db().begin().await?;
    for table in [
        "meeting_interventions",
        "meetings",
        "interventions",
        "advice_versions",
        "request_recipients",
        "item_attachments",
        "item_releases",
        "items",
        "information_requests",
        "relations",
        "subjects",
        "case_team",
        "case_participants",
        "case_events",
        "case_phenomena",
        "cases",
    ] {
        sqlx::query(&format!("DELETE FROM {table}")).execute(&mut *tx).await?;
    }
    let mut stored = Stored { cases: Vec::new(), items: Vec::new() };
    for (n, c) in w.cases.iter().enumerate() {
        let phase = CasePhase::ALL[c.phase];
        let region_id = ids.regions[c.region];
        let case_id = store::insert_case(
            &mut tx,
            &NewCase {
                title: format!("casus {n}"),
                description: String::new(),
                municipality_id: ids.municipality,
                region_id,
                region_reason: String::new(),
                source_organisation_id: ids.orgs[0],
                created_by: None,
                phase: phase.code().into(),
            },
            2026,
            1_000 + n as i64,
        )
        .await?;
        let mut active = Vec::new();
        for (org, removed) in &c.participants {
            let org_id = ids.orgs[*org];
            if store::admit(&mut tx, case_id, org_id, "t", "r", 1).await? && *removed {
                store::remove_participant(&mut tx, case_id, org_id, "r", 2).await?;
            }
        }
        for p in store::participants(&mut tx, case_id).await? {
            if p.removed_at.is_none() {
                active.push(p.organisation_id);
            }
        }
        for i in &c.items {
            let supplier = ids.orgs[i.supplier];
            let item_id = store::insert_item(
                &mut tx,
                &NewItem {
                    case_id,
                    supplier_organisation_id: supplier,
                    legal_basis_id: ids.legal_basis,
                    purpose_id: ids.purpose,
                    title: "t".into(),
                    body: "b".into(),
                    info_date: "2026-01-01".into(),
                    reliability: "betrouwbaar".into(),
                    classification: "intern".into(),
                    sharing_conditions: String::new(),
                    request_id: None,
                    created_by: "t".into(),
                },
                1,
            )
            .await?;
            for (org, withdrawn) in &i.releases {
                let org_id = ids.orgs[*org];
                if store::release(&mut tx, item_id, org_id, "t", "leverancier", 1).await? && *withdrawn {
                    store::withdraw(&mut tx, item_id, org_id, "t", 2).await?;
                }
            }
            let released_to = store::releases(&mut tx, item_id).await?.into_iter().filter(|r| r.withdrawn_at.is_none()).map(|r| r.organisation_id).collect();
            stored.items.push((item_id, case_id, ItemFacts { supplier_id: supplier, released_to }));
        }
        if c.subject {
            let s = SubjectRow { case_id, kind: "persoon".into(), display_name: "Piet Jansen".into(), sort_key: "Jansen, Piet".into(), ..SubjectRow::default() };
            store::insert_subject(&mut tx, &s, "jansen piet", None, 1).await?;
        }
        stored.cases.push((case_id, CaseFacts { region_id, phase, participants: active }, c.subject));
    }
    tx.commit().await?;
    Ok(stored)
}

fn principal(ids: &Ids, p: &PrincipalSpec) -> Principal {
    Principal {
        actor: Actor::User(1),
        label: "eigenschap".into(),
        organisation_id: Some(ids.orgs[p.org]),
        roles: p.grants.iter().map(|(role, region)| RoleGrant { role: Role::ALL[*role], region_id: region.map(|r| ids.regions[r]) }).collect(),
    }
}

async fn check(t: &TestApp, ids: &Ids, w: &WorldSpec) -> Result<(), String> {
    let s = store_world(t, ids, w).await.map_err(|e| e.to_string())?;
    let mut tx = t.app.db().begin().await.map_err(|e| e.to_string())?;
    for spec in &w.principals {
        let p = principal(ids, spec);
        let scope = case_scope(&p);
        let mut expected_cases: Vec<i64> = s.cases.iter().filter(|(_, f, _)| access(&p, f).is_some()).map(|(id, _, _)| *id).collect();
        expected_cases.sort_unstable();
        let sql_cases = store::visible_case_ids(&mut tx, &scope).await.map_err(|e| e.to_string())?;
        if sql_cases != expected_cases {
            return Err(format!("cases differ for {p:?}: sql {sql_cases:?}, policy {expected_cases:?}"));
        }
        let mut expected_items: Vec<i64> = s
            .items
            .iter()
            .filter(|(_, case_id, f)| {
                s.cases.iter().find(|(id, _, _)| id == case_id).and_then(|(_, cf, _)| access(&p, cf)).is_some_and(|acc| decide_item(&p, acc, ItemAction::View, f).allowed)
            })
            .map(|(id, _, _)| *id)
            .collect();
        expected_items.sort_unstable();
        let sql_items = store::visible_item_ids(&mut tx, &scope).await.map_err(|e| e.to_string())?;
        if sql_items != expected_items {
            return Err(format!("items differ for {p:?}: sql {sql_items:?}, policy {expected_items:?}"));
        }
        let (_, total) = store::list_cases(&mut tx, &scope, &CaseFilter { limit: 50, ..CaseFilter::default() }).await.map_err(|e| e.to_string())?;
        if total != expected_cases.len() as i64 {
            return Err(format!("list total {total} != {} for {p:?}", expected_cases.len()));
        }
        let mut found: Vec<i64> = store::search_subjects(&mut tx, &scope, "jansen", "", 500).await.map_err(|e| e.to_string())?.iter().map(|h| h.subject.case_id).collect();
        found.sort_unstable();
        let with_subject: Vec<i64> = s.cases.iter().filter(|(id, _, has)| *has && expected_cases.contains(id)).map(|(id, _, _)| *id).collect();
        if found != with_subject {
            return Err(format!("search differs for {p:?}: sql {found:?}, policy {with_subject:?}"));
        }
    }
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(())
}

async fn sql_filter_agrees_with_policy_on_random_worlds(t: TestApp) -> Result<()> {
    let ids = ids(&t).await?;
    let handle = tokio::runtime::Handle::current();
    let cases = std::env::var("KNOOPPUNT_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(48);
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    let result = tokio::task::block_in_place(|| runner.run(&world(), |w| handle.block_on(check(&t, &ids, &w)).map_err(TestCaseError::fail)));
    result.map_err(|e| anyhow!("{e}"))
}
db_test!(sql_filter_agrees_with_policy_on_random_worlds);
