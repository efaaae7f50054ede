//! A node's copy of the knowledge search index in memory: the postings of every item, with the
//! item's audience bucket, numbered by the index's generation.
//!
//! Why: a ranked search over a database index reads its terms' postings through the database
//! (at 100,000 items a common word holds a fifth of them), and even the early stop of
//! [`crate::knowledge::search`] leaves tens of milliseconds per search. In memory the same
//! ranking — every posting of the query's terms, scored exactly as the database statement
//! would — takes well under a millisecond.
//!
//! What keeps it true: every change of the postings takes the next generation and notes its
//! items ([`crate::search::replace_postings`]); a search first reads the generation in its own
//! transaction and, when the copy is behind, reads the items noted since (or, after a
//! rebuild, everything) before it ranks. So a search sees at least what its transaction
//! sees, on every node.
//!
//! Who sees what is not decided here: the reader's buckets come from
//! [`crate::search::visible_buckets`] (the rule in SQL, for the policy's scope), every posting
//! outside them is skipped, and the page's items are read through
//! [`crate::knowledge::ranked_rows`] with the same rule again. A search narrowed by kind,
//! state, phenomenon, partner type or year goes to the database's ranking.

use crate::db::{Conn, StoreError};
use crate::knowledge::{self, Facet, FacetFacts, ItemFilter, Ranked};
use crate::search;
use knooppunt_policy::knowledge::KnowledgeScope;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use tokio::sync::RwLock;

/// Item ids read per statement when the whole index is read.
const RANGE: i64 = 20_000;

/// More changed items than this since the copy's generation: read everything again.
const CATCH_UP_LIMIT: usize = 2_000;

/// The copy. Items have dense slots (an array index) and each term its postings (slot, impact),
/// sorted by slot: a search adds up arrays instead of hashing.
#[derive(Debug, Default)]
struct Copy {
    /// `None`: never read.
    generation: Option<i64>,
    buckets: Vec<(String, i64)>,
    /// Each term's number, and per number its postings.
    term_ids: HashMap<String, u32>,
    lists: Vec<Vec<(u32, i64)>>,
    /// Per slot: the item's id, its bucket and its terms (by number).
    ids: Vec<i64>,
    bucket_of: Vec<u32>,
    terms_of: Vec<Vec<u32>>,
    slot_of: HashMap<i64, u32>,
    /// Per slot what the facets count: kind and partner types by number (in `names`), phenomena
    /// by id.
    facts: Vec<(u32, Vec<i64>, Vec<u32>)>,
    names: Vec<String>,
}

impl Copy {
    fn bucket(&mut self, audience: String, group: i64) -> u32 {
        match self.buckets.iter().position(|b| b.0 == audience && b.1 == group) {
            Some(i) => i as u32,
            None => {
                self.buckets.push((audience, group));
                (self.buckets.len() - 1) as u32
            }
        }
    }

    fn term(&mut self, term: String) -> u32 {
        if let Some(t) = self.term_ids.get(&term) {
            return *t;
        }
        let t = self.lists.len() as u32;
        self.lists.push(Vec::new());
        self.term_ids.insert(term, t);
        t
    }

    /// The postings of `term` (none when no item holds it).
    fn postings(&self, term: &str) -> &[(u32, i64)] {
        self.term_ids.get(term).and_then(|t| self.lists.get(*t as usize)).map(Vec::as_slice).unwrap_or(&[])
    }

    fn slot(&mut self, id: i64) -> u32 {
        if let Some(s) = self.slot_of.get(&id) {
            return *s;
        }
        let s = self.ids.len() as u32;
        self.ids.push(id);
        self.bucket_of.push(0);
        self.terms_of.push(Vec::new());
        self.facts.push((0, Vec::new(), Vec::new()));
        self.slot_of.insert(id, s);
        s
    }

    /// Replaces the postings of `ids` by `rows` (term, item, impact, audience, group): every
    /// term touched is rebuilt once.
    fn replace(&mut self, ids: &[i64], rows: Vec<(String, i64, i64, String, i64)>) {
        let mut touched: HashSet<u32> = HashSet::new();
        let mut gone: HashSet<u32> = HashSet::new();
        for id in ids {
            if let Some(s) = self.slot_of.get(id).copied() {
                gone.insert(s);
                if let Some(list) = self.terms_of.get_mut(s as usize) {
                    touched.extend(list.drain(..));
                }
            }
        }
        for t in &touched {
            if let Some(list) = self.lists.get_mut(*t as usize) {
                list.retain(|(s, _)| !gone.contains(s));
            }
        }
        self.add(rows, &mut touched);
        for t in touched {
            if let Some(list) = self.lists.get_mut(t as usize) {
                list.sort_unstable();
            }
        }
    }

    /// Appends `rows`; the lists of the terms appended to are named in `touched` (to sort).
    fn add(&mut self, rows: Vec<(String, i64, i64, String, i64)>, touched: &mut HashSet<u32>) {
        for (term, item, impact, audience, group) in rows {
            let b = self.bucket(audience, group);
            let s = self.slot(item);
            let t = self.term(term);
            if let Some(x) = self.bucket_of.get_mut(s as usize) {
                *x = b;
            }
            if let Some(x) = self.terms_of.get_mut(s as usize) {
                x.push(t);
            }
            if let Some(list) = self.lists.get_mut(t as usize) {
                list.push((s, impact));
            }
            touched.insert(t);
        }
    }

    fn name(&mut self, name: String) -> u32 {
        match self.names.iter().position(|n| *n == name) {
            Some(i) => i as u32,
            None => {
                self.names.push(name);
                (self.names.len() - 1) as u32
            }
        }
    }

    /// Sets the facet facts of the items that have slots.
    fn set_facts(&mut self, facts: BTreeMap<i64, FacetFacts>) {
        for (id, f) in facts {
            let Some(s) = self.slot_of.get(&id).copied() else { continue };
            let kind = self.name(f.kind);
            let partners = f.partner_types.into_iter().map(|p| self.name(p)).collect();
            if let Some(x) = self.facts.get_mut(s as usize) {
                *x = (kind, f.phenomena, partners);
            }
        }
    }

    /// Per slot whether the reader sees it (its bucket among `visible`).
    fn visible(&self, visible: &[(String, i64)]) -> Vec<bool> {
        let by_bucket: Vec<bool> = self.buckets.iter().map(|b| visible.contains(b)).collect();
        self.bucket_of.iter().map(|b| by_bucket.get(*b as usize).copied().unwrap_or(false)).collect()
    }
}

/// The in-memory copy of the search index of one node (shared by its requests).
#[derive(Debug, Default)]
pub struct Replica {
    copy: RwLock<Copy>,
}

impl Replica {
    /// Brings the copy up to the generation `c`'s transaction sees (every search does this
    /// first; at start-up it reads the whole index).
    pub async fn catch_up(&self, c: &mut Conn) -> Result<(), StoreError> {
        let now = search::generation(c).await?;
        if self.copy.read().await.generation.is_some_and(|g| g >= now) {
            return Ok(());
        }
        let mut copy = self.copy.write().await;
        let held = match copy.generation {
            Some(g) if g >= now => return Ok(()),
            Some(g) => Some(g),
            None => None,
        };
        let changed = match held {
            Some(g) => search::changed_since(c, g, now).await?,
            None => vec![0],
        };
        if changed.contains(&0) || changed.len() > CATCH_UP_LIMIT {
            let mut fresh = Copy::default();
            let last = search::last_posted(c).await?;
            let mut from = 0;
            let mut touched = HashSet::new();
            while from <= last {
                let rows = search::postings_between(c, from, from + RANGE).await?;
                let ids: BTreeSet<i64> = rows.iter().map(|r| r.1).collect();
                fresh.add(rows, &mut touched);
                fresh.set_facts(knowledge::facet_facts(c, &ids.into_iter().collect::<Vec<_>>()).await?);
                from += RANGE;
            }
            for list in fresh.lists.iter_mut() {
                list.sort_unstable();
            }
            fresh.generation = Some(now);
            *copy = fresh;
        } else {
            let mut rows = Vec::new();
            for chunk in changed.chunks(500) {
                rows.extend(search::postings_of(c, chunk).await?);
            }
            copy.replace(&changed, rows);
            for chunk in changed.chunks(500) {
                copy.set_facts(knowledge::facet_facts(c, chunk).await?);
            }
            copy.generation = Some(now);
        }
        Ok(())
    }

    /// The ranked page of [`knowledge::search`] (the same order: most of the query's words,
    /// then score, then newest id), from the copy when nothing but the terms narrows the search.
    pub async fn search(&self, c: &mut Conn, scope: &KnowledgeScope, f: &ItemFilter, weights: &[(String, i64, i64)], limit: i64, offset: i64) -> Result<Vec<Ranked>, StoreError> {
        if f.narrows() {
            return knowledge::search(c, scope, f, weights, limit, offset).await;
        }
        if weights.is_empty() || limit <= 0 {
            return Ok(Vec::new());
        }
        self.catch_up(c).await?;
        let buckets = search::visible_buckets(c, scope).await?;
        let page = {
            let copy = self.copy.read().await;
            rank(&copy, &copy.visible(&buckets), weights, usize::try_from(offset.max(0)).unwrap_or(0), usize::try_from(limit).unwrap_or(0))
        };
        knowledge::ranked_rows(c, scope, page).await
    }

    /// The ids of at most `cap` items `scope` sees that hold one of `f.terms` — the lowest ids,
    /// as [`knowledge::matches`] promises no order — from the copy when nothing but the terms
    /// narrows the search.
    pub async fn matches(&self, c: &mut Conn, scope: &KnowledgeScope, f: &ItemFilter, cap: i64) -> Result<Vec<i64>, StoreError> {
        if f.narrows() || f.terms.is_empty() {
            return knowledge::matches(c, scope, f, cap).await;
        }
        self.catch_up(c).await?;
        let buckets = search::visible_buckets(c, scope).await?;
        let copy = self.copy.read().await;
        let visible = copy.visible(&buckets);
        let mut held = vec![false; copy.ids.len()];
        for term in &f.terms {
            for (s, _) in copy.postings(term) {
                if let Some(h) = held.get_mut(*s as usize) {
                    *h = visible.get(*s as usize).copied().unwrap_or(false);
                }
            }
        }
        let mut ids: Vec<i64> = held.iter().zip(&copy.ids).filter(|(h, _)| **h).map(|(_, id)| *id).collect();
        let cap = usize::try_from(cap.max(0)).unwrap_or(0);
        if ids.len() > cap && cap > 0 {
            ids.select_nth_unstable(cap - 1);
        }
        ids.truncate(cap);
        ids.sort_unstable();
        Ok(ids)
    }
}

impl Replica {
    /// The facets of [`knowledge::facets`] (per kind, phenomenon and partner type how many of
    /// the items among `ids` that `scope` sees carry it, most first, then label and code), from
    /// the copy when `ids` are a search's matches that nothing but the terms narrows.
    pub async fn facets(&self, c: &mut Conn, scope: &KnowledgeScope, f: &ItemFilter, ids: &[i64]) -> Result<[Vec<Facet>; 3], StoreError> {
        if f.narrows() || f.terms.is_empty() {
            return knowledge::facets(c, scope, ids).await;
        }
        self.catch_up(c).await?;
        let buckets = search::visible_buckets(c, scope).await?;
        let (mut kinds, mut phenomena, mut partners): (BTreeMap<String, i64>, BTreeMap<i64, i64>, BTreeMap<String, i64>) = Default::default();
        {
            let copy = self.copy.read().await;
            let visible = copy.visible(&buckets);
            let name = |n: &u32| copy.names.get(*n as usize).cloned().unwrap_or_default();
            let ids: BTreeSet<i64> = ids.iter().copied().collect();
            for id in ids {
                let Some(s) = copy.slot_of.get(&id).map(|s| *s as usize) else { continue };
                let Some((kind, phen, partner)) = copy.facts.get(s).filter(|_| visible.get(s).copied().unwrap_or(false)) else { continue };
                *kinds.entry(name(kind)).or_default() += 1;
                for p in phen {
                    *phenomena.entry(*p).or_default() += 1;
                }
                for p in partner {
                    *partners.entry(name(p)).or_default() += 1;
                }
            }
        }
        let labels = knowledge::phenomenon_labels(c, &phenomena.keys().copied().collect::<Vec<_>>()).await?;
        let ordered = |list: Vec<Facet>| {
            let mut list = list;
            list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)).then_with(|| a.code.cmp(&b.code)));
            list
        };
        let by_code = |m: BTreeMap<String, i64>| m.into_iter().map(|(code, count)| Facet { label: code.clone(), code, count }).collect::<Vec<_>>();
        let phenomena = phenomena.into_iter().filter_map(|(id, count)| labels.get(&id).map(|(code, label)| Facet { code: code.clone(), label: label.clone(), count })).collect();
        Ok([ordered(by_code(kinds)), ordered(phenomena), ordered(by_code(partners))])
    }
}

/// Every posting of the weighted terms in the visible buckets, scored as the database does: per
/// item and concept the best `impact × weight`, summed; (concepts, score, id) of the page.
fn rank(copy: &Copy, visible: &[bool], weights: &[(String, i64, i64)], offset: usize, limit: usize) -> Vec<(i64, i64, i64)> {
    let n = copy.ids.len();
    let mut concepts: Vec<i64> = weights.iter().map(|w| w.2).collect();
    concepts.sort_unstable();
    concepts.dedup();
    let (mut score, mut held, mut best) = (vec![0i64; n], vec![0i64; n], vec![-1i64; n]);
    let (mut touched, mut seen): (Vec<u32>, Vec<u32>) = (Vec::new(), Vec::new());
    for concept in &concepts {
        for (term, weight, _) in weights.iter().filter(|w| w.2 == *concept) {
            for (s, impact) in copy.postings(term) {
                let i = *s as usize;
                if !visible.get(i).copied().unwrap_or(false) {
                    continue;
                }
                if let Some(b) = best.get_mut(i) {
                    if *b < 0 {
                        seen.push(*s);
                    }
                    *b = (*b).max(impact.saturating_mul(*weight));
                }
            }
        }
        for s in seen.drain(..) {
            let i = s as usize;
            let (Some(b), Some(h), Some(sc)) = (best.get_mut(i), held.get_mut(i), score.get_mut(i)) else { continue };
            if *h == 0 {
                touched.push(s);
            }
            *h += 1;
            *sc += *b;
            *b = -1;
        }
    }
    let mut ranked: Vec<(i64, i64, i64)> = touched
        .into_iter()
        .map(|s| {
            let i = s as usize;
            (held.get(i).copied().unwrap_or(0), score.get(i).copied().unwrap_or(0), copy.ids.get(i).copied().unwrap_or(0))
        })
        .collect();
    let wanted = offset.saturating_add(limit);
    if ranked.len() > wanted && wanted > 0 {
        ranked.select_nth_unstable_by(wanted - 1, |a, b| b.cmp(a));
        ranked.truncate(wanted);
    }
    ranked.sort_unstable_by(|a, b| b.cmp(a));
    ranked.into_iter().skip(offset).take(limit).collect()
}

#[cfg(test)]
mod tests {
    use super::{rank, Copy};

    fn copy() -> Copy {
        let mut c = Copy::default();
        let row = |t: &str, item: i64, impact: i64, a: &str| (t.to_string(), item, impact, a.to_string(), 0);
        c.replace(
            &[],
            vec![
                row("hennep", 1, 900, "netwerk"),
                row("hennep", 2, 500, "netwerk"),
                row("wiet", 2, 800, "netwerk"),
                row("hennep", 3, 950, "redactie"),
                row("sluiting", 2, 300, "netwerk"),
            ],
        );
        c
    }

    #[test]
    fn the_best_term_per_concept_counts_and_invisible_buckets_are_skipped() {
        let c = copy();
        let network = c.visible(&[("netwerk".into(), 0)]);
        // hennep and wiet one concept: item 2 counts wiet's 800 × 1000, not the sum.
        let w = vec![("hennep".to_string(), 1000, 0), ("wiet".to_string(), 1000, 0), ("sluiting".to_string(), 1000, 1)];
        assert_eq!(rank(&c, &network, &w, 0, 10), vec![(2, 1_100_000, 2), (1, 900_000, 1)]);
        let all = c.visible(&[("netwerk".into(), 0), ("redactie".into(), 0)]);
        assert_eq!(rank(&c, &all, &w, 0, 10), vec![(2, 1_100_000, 2), (1, 950_000, 3), (1, 900_000, 1)]);
        assert_eq!(rank(&c, &all, &w, 1, 1), vec![(1, 950_000, 3)]);
    }

    #[test]
    fn an_item_changed_is_replaced_whole() {
        let mut c = copy();
        c.replace(&[2], vec![("sluiting".to_string(), 2, 700, "openbaar".to_string(), 0)]);
        assert!(c.postings("wiet").is_empty(), "wiet was item 2's alone");
        let open = c.visible(&[("openbaar".into(), 0)]);
        assert_eq!(rank(&c, &open, &[("sluiting".to_string(), 1000, 0)], 0, 10), vec![(1, 700_000, 2)]);
    }
}
