//! The property test of the knowledge platform's audience levels: over random small worlds
//! (knowledge groups with random member organisations; items in every workflow state for every
//! audience — public, network, a group, the editors —, indexed under the audience bucket the
//! indexer gives them) and random readers (not signed in, a private member without roles, any
//! roles in any organisation), every reader of the knowledge store — the list page, its count,
//! the bounded match set behind counts and facets, the ranked search over the postings, and
//! opening one item — returns exactly the items `policy::knowledge::may_read` allows, on both
//! databases. A search finds nothing of a concept or a group item outside its readers, not even
//! as a count.
//!
//! The test can fail: `each_mutated_rule_is_caught` plants a mutation in the reference rule (a
//! group item for every signed-in reader; a concept for the network) and shows that random
//! worlds find the disagreement.

use anyhow::{anyhow, Result};
use knooppunt_domain::knowledge::{Audience, KnowledgeState};
use knooppunt_domain::Role;
use knooppunt_policy::knowledge::{knowledge_scope, may_read, ItemFacts};
use knooppunt_policy::{Actor, Principal, RoleGrant};
use knooppunt_store::knowledge::{self as store, ItemContent, ItemFilter};
use knooppunt_store::search::{bucket_of, replace_postings, ItemPostings};
use knooppunt_testkit::{db_test, TestApp};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};

const ORGS: usize = 4;
const GROUPS: usize = 2;

#[derive(Debug, Clone)]
struct ItemSpec {
    state: usize,
    audience: usize,
    group: usize,
}

#[derive(Debug, Clone)]
struct ReaderSpec {
    /// `None`: not signed in.
    signed_in: Option<(usize, Vec<usize>)>,
}

#[derive(Debug, Clone)]
struct WorldSpec {
    /// Each group's member organisations.
    groups: Vec<Vec<usize>>,
    items: Vec<ItemSpec>,
    readers: Vec<ReaderSpec>,
}

fn world() -> impl Strategy<Value = WorldSpec> {
    let item = (0..KnowledgeState::ALL.len(), 0..Audience::ALL.len(), 0..GROUPS).prop_map(|(state, audience, group)| ItemSpec { state, audience, group });
    let reader = prop::option::weighted(0.85, (0..ORGS, prop::collection::vec(0..Role::ALL.len(), 0..3))).prop_map(|signed_in| ReaderSpec { signed_in });
    (prop::collection::vec(prop::collection::vec(0..ORGS, 0..3), GROUPS), prop::collection::vec(item, 1..9), prop::collection::vec(reader, 1..8))
        .prop_map(|(groups, items, readers)| WorldSpec { groups, items, readers })
}

/// The fixed part of every world: organisations and the knowledge groups (their members change
/// per world).
struct Fixture {
    orgs: Vec<i64>,
    groups: Vec<i64>,
}

async fn fixture(t: &TestApp) -> Result<Fixture> {
    let mut tx = t.app.db().begin().await?;
    let rows = knooppunt_store::query::q("SELECT id FROM organisations ORDER BY id LIMIT 4").fetch_all(&mut tx).await?;
    let orgs = rows.iter().map(|r| knooppunt_store::query::col_at::<i64>(r, 0)).collect::<Result<Vec<i64>, _>>()?;
    let mut groups = Vec::new();
    for g in 0..GROUPS {
        groups.push(store::insert_group(&mut tx, &format!("eigenschap-{g}"), &format!("Eigenschap {g}"), "", t.app.now()).await?);
    }
    tx.commit().await?;
    if orgs.len() < ORGS {
        return Err(anyhow!("fewer than {ORGS} organisations"));
    }
    Ok(Fixture { orgs, groups })
}

/// One stored item and what the reference rule needs of it.
struct Stored {
    id: i64,
    state: KnowledgeState,
    audience: Audience,
    group: usize,
}

static WORLD: AtomicUsize = AtomicUsize::new(0);

/// A planted mutation of the reference rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mutant {
    /// Every signed-in reader counts as a member of every group.
    GroupForEveryone,
    /// The network also reads items that are not published.
    ConceptForNetwork,
}

/// The reference rule: policy's, or policy's with `mutant` planted.
fn reference(p: Option<&Principal>, f: &ItemFacts, mutant: Option<Mutant>) -> bool {
    match mutant {
        Some(Mutant::GroupForEveryone) => may_read(p, &ItemFacts { member_of_group: p.is_some(), ..*f }),
        Some(Mutant::ConceptForNetwork) => may_read(p, &ItemFacts { state: KnowledgeState::Published, ..*f }),
        None => may_read(p, f),
    }
}

async fn check(t: &TestApp, fx: &Fixture, w: &WorldSpec, mutant: Option<Mutant>) -> Result<(), String> {
    check_world(t, fx, w, mutant).await.map_err(|e| format!("{e:#}"))
}

async fn check_world(t: &TestApp, fx: &Fixture, w: &WorldSpec, mutant: Option<Mutant>) -> Result<()> {
    // A word of this world only: every item holds it, no item of another world does.
    let word = format!("zqxeigenschap{}", WORLD.fetch_add(1, Ordering::Relaxed));
    let mut tx = t.app.db().begin().await?;
    for (g, members) in w.groups.iter().enumerate() {
        let mut orgs: Vec<i64> = members.iter().map(|m| fx.orgs[*m]).collect();
        orgs.sort_unstable();
        orgs.dedup();
        store::set_members(&mut tx, fx.groups[g], &orgs).await?;
    }
    let mut stored = Vec::new();
    let mut batch = Vec::new();
    for spec in &w.items {
        let (state, audience) = (KnowledgeState::ALL[spec.state], Audience::ALL[spec.audience]);
        let group_id = (audience == Audience::Group).then(|| fx.groups[spec.group]);
        let content = ItemContent { kind: "nieuws".into(), title: format!("Item {word}"), audience: audience.code().into(), group_id, ..ItemContent::default() };
        let id = store::insert(&mut tx, &content, "eigenschap", t.app.now()).await?;
        if state != KnowledgeState::Concept && !store::set_state(&mut tx, id, 1, KnowledgeState::Concept.code(), state.code(), Some("eigenschap"), t.app.now()).await? {
            return Err(anyhow!("item {id} did not reach {state:?}"));
        }
        batch.push(ItemPostings { id, bucket: bucket_of(state.code(), audience.code(), group_id), postings: vec![(word.clone(), 1000)] });
        stored.push(Stored { id, state, audience, group: spec.group });
    }
    replace_postings(&mut tx, &batch).await?;
    tx.commit().await?;

    for r in &w.readers {
        let principal = r.signed_in.as_ref().map(|(org, roles)| Principal {
            actor: Actor::User(-1),
            label: "eigenschap".into(),
            organisation_id: Some(fx.orgs[*org]),
            roles: roles.iter().map(|role| RoleGrant { role: Role::ALL[*role], region_id: None }).collect(),
        });
        let p = principal.as_ref();
        let org = p.and_then(|p| p.organisation_id);
        let expected: BTreeSet<i64> = stored
            .iter()
            .filter(|s| {
                let members = &w.groups[s.group];
                let member_of_group = s.audience == Audience::Group && org.is_some_and(|o| members.iter().any(|m| fx.orgs[*m] == o));
                reference(p, &ItemFacts { state: s.state, audience: s.audience, member_of_group }, mutant)
            })
            .map(|s| s.id)
            .collect();
        let scope = knowledge_scope(p);
        let filter = ItemFilter { terms: vec![word.clone()], ..ItemFilter::default() };
        let mut tx = t.app.db().begin().await?;
        let listed: BTreeSet<i64> = store::page(&mut tx, &scope, &filter, 100, 0).await?.into_iter().map(|i| i.id).collect();
        let counted = store::count(&mut tx, &scope, &filter).await?;
        let matched: BTreeSet<i64> = store::matches(&mut tx, &scope, &filter, 100).await?.into_iter().collect();
        let found: BTreeSet<i64> = store::search(&mut tx, &scope, &ItemFilter::default(), &[(word.clone(), 1000, 0)], 100, 0).await?.into_iter().map(|r| r.row.id).collect();
        // A node's copy of the index in memory, read for this case.
        let replica = knooppunt_store::replica::Replica::default();
        let view = replica.view(&mut tx, &scope, true).await?;
        let copy_matched: BTreeSet<i64> = view.matches(&mut tx, &filter, 100).await?.into_iter().collect();
        let copy_found: BTreeSet<i64> = view.search(&mut tx, &filter, &[(word.clone(), 1000, 0)], 100, 0).await?.into_iter().map(|r| r.row.id).collect();
        // The term statistics the ranking uses count the reader's items only.
        let held = view.frequencies(&mut tx, &[word.as_str()]).await?.1.get(word.as_str()).copied().unwrap_or(0);
        // Facets from the copy over every item stored: only the reader's are counted.
        let all: Vec<i64> = stored.iter().map(|s| s.id).collect();
        let faceted: i64 = view.facets(&mut tx, &all).await?[0].iter().map(|f| f.count).sum();
        let mut opened = BTreeSet::new();
        for s in &stored {
            if store::find(&mut tx, &scope, s.id).await?.is_some() {
                opened.insert(s.id);
            }
        }
        tx.commit().await?;
        let who = format!("{:?}", r.signed_in);
        for (what, got) in
            [("list", &listed), ("matches", &matched), ("search", &found), ("matches in memory", &copy_matched), ("search in memory", &copy_found), ("find", &opened)]
        {
            if *got != expected {
                return Err(anyhow!("{what} for reader {who}: got {got:?}, policy allows {expected:?}"));
            }
        }
        if usize::try_from(held).unwrap_or(usize::MAX) != expected.len() {
            return Err(anyhow!("term statistics in memory for reader {who}: {held}, policy allows {}", expected.len()));
        }
        if usize::try_from(faceted).unwrap_or(usize::MAX) != expected.len() {
            return Err(anyhow!("facets in memory for reader {who}: {faceted}, policy allows {}", expected.len()));
        }
        if usize::try_from(counted).unwrap_or(usize::MAX) != expected.len() {
            return Err(anyhow!("count for reader {who}: {counted}, policy allows {}", expected.len()));
        }
    }
    Ok(())
}

fn run(t: &TestApp, fx: &Fixture, cases: u32, mutant: Option<Mutant>) -> Result<(), String> {
    let handle = tokio::runtime::Handle::current();
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, max_shrink_iters: 64, ..Config::default() });
    tokio::task::block_in_place(|| runner.run(&world(), |w| handle.block_on(check(t, fx, &w, mutant)).map_err(TestCaseError::fail)).map_err(|e| e.to_string()))
}

async fn the_knowledge_store_agrees_with_policy_on_random_worlds(t: TestApp) -> Result<()> {
    let fx = fixture(&t).await?;
    let cases = std::env::var("KNOOPPUNT_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(48);
    run(&t, &fx, cases, None).map_err(|e| anyhow!("{e}"))
}
db_test!(the_knowledge_store_agrees_with_policy_on_random_worlds);

async fn each_mutated_rule_is_caught(t: TestApp) -> Result<()> {
    let fx = fixture(&t).await?;
    for mutant in [Mutant::GroupForEveryone, Mutant::ConceptForNetwork] {
        if run(&t, &fx, 64, Some(mutant)).is_ok() {
            return Err(anyhow!("random worlds did not catch {mutant:?}"));
        }
    }
    Ok(())
}
db_test!(each_mutated_rule_is_caught);
