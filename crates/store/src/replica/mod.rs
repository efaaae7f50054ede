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
//! rebuild or when the log was pruned past the copy's generation, everything) before it
//! ranks; the synonyms and phenomena's names only when a generation noted them. So a search
//! sees at least what its transaction sees, on every node.
//!
//! Who sees what is not decided here: the reader's buckets come from
//! [`crate::search::visible_buckets`] (the rule in SQL, for the policy's scope), every posting
//! outside them is skipped, and the page's items are read through
//! [`crate::knowledge::ranked_rows`] with the same rule again. The filters (kind, state,
//! phenomenon, partner type, year) are checked on facts kept per item, read again whenever
//! the item is indexed.

use crate::db::{Conn, StoreError};
use crate::knowledge::{self, Facet, FacetFacts, ItemFilter, Ranked};
use crate::search;
use knooppunt_policy::knowledge::KnowledgeScope;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::RwLock;

mod facts;
mod rank;
use facts::{Fact, Facts, Narrow};
use rank::{lowest, rank, Gate};

/// Item ids read per statement when the whole index is read.
const RANGE: i64 = 20_000;

/// More changed items than this since the copy's generation: read everything again.
const CATCH_UP_LIMIT: usize = 2_000;

/// One posting in the copy: the item's slot, its audience bucket (by number, so a search checks
/// visibility without another look-up) and the impact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Posting {
    slot: u32,
    bucket: u32,
    impact: i64,
}

/// The copy. Items have dense slots (an array index) and each term its postings, sorted by
/// slot: a search adds up arrays instead of hashing. Slots are given in the order of item ids
/// (rows are added sorted by item), so a list in slot order is in id order too — unless an item
/// arrived with an id below one already held (`unordered`).
#[derive(Debug, Default)]
struct Copy {
    /// `None`: never read.
    generation: Option<i64>,
    buckets: Vec<(String, i64)>,
    /// Each term's number, and per number its postings.
    term_ids: HashMap<String, u32>,
    lists: Vec<Vec<Posting>>,
    unordered: bool,
    /// Per slot: the item's id, its bucket and its terms (by number).
    ids: Vec<i64>,
    bucket_of: Vec<u32>,
    terms_of: Vec<Vec<u32>>,
    slot_of: HashMap<i64, u32>,
    /// Per slot what the filters check and the facets count: kind and state by number (in
    /// `names`), the date of the year filter, and the codes of phenomena (by id) and partner
    /// types (by number). Kind, state and date in arrays of their own, so a filter of them
    /// reads a few hundred kilobytes per search at 100,000 items.
    kinds: Vec<u32>,
    states: Vec<u32>,
    dated: Vec<i64>,
    facts: Vec<Facts>,
    names: Vec<String>,
    phenomena: Vec<i64>,
    /// Per term how many of its postings each bucket holds, and per bucket how many items
    /// have postings: a reader's term statistics (as `knowledge_term_counts`).
    counts: Vec<Vec<u32>>,
    items: Vec<u32>,
    /// The editors' synonym groups (their members, comma-separated), and the code and name of
    /// every phenomenon (for facets and the themes of a page), read with the postings: every
    /// change of either takes a generation of the index too.
    synonyms: Vec<String>,
    labels: BTreeMap<i64, (String, String)>,
}

impl Copy {
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
    fn postings(&self, term: &str) -> &[Posting] {
        self.term_ids.get(term).and_then(|t| self.lists.get(*t as usize)).map(Vec::as_slice).unwrap_or(&[])
    }

    fn slot(&mut self, id: i64) -> u32 {
        if let Some(s) = self.slot_of.get(&id) {
            return *s;
        }
        let s = self.ids.len() as u32;
        self.unordered |= self.ids.last().is_some_and(|last| *last > id);
        self.ids.push(id);
        self.bucket_of.push(0);
        self.terms_of.push(Vec::new());
        self.kinds.push(u32::MAX);
        self.states.push(u32::MAX);
        self.dated.push(i64::MIN);
        self.facts.push(Facts::default());
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
                list.retain(|p| !gone.contains(&p.slot));
            }
        }
        self.add(rows, &mut touched);
        self.settle(touched);
    }

    /// Sorts the lists of the terms `touched` by slot and counts them again per bucket, and the
    /// items per bucket.
    fn settle(&mut self, touched: impl IntoIterator<Item = u32>) {
        let buckets = self.buckets.len();
        self.counts.resize(self.lists.len(), Vec::new());
        for t in touched {
            let (Some(list), Some(counts)) = (self.lists.get_mut(t as usize), self.counts.get_mut(t as usize)) else { continue };
            list.sort_unstable_by_key(|p| p.slot);
            *counts = vec![0; buckets];
            for p in list.iter() {
                if let Some(n) = counts.get_mut(p.bucket as usize) {
                    *n += 1;
                }
            }
        }
        self.items = vec![0; buckets];
        for (b, terms) in self.bucket_of.iter().zip(&self.terms_of) {
            if let Some(n) = self.items.get_mut(*b as usize).filter(|_| !terms.is_empty()) {
                *n += 1;
            }
        }
    }

    /// How many items in buckets `open` have postings, and of `terms` how many of those
    /// items hold each (terms none holds left out): [`search::frequencies`] from the copy.
    fn frequencies(&self, open: &[bool], terms: &[&str]) -> (i64, BTreeMap<String, i64>) {
        let sum = |counts: &[u32]| counts.iter().zip(open).filter(|(_, o)| **o).map(|(n, _)| i64::from(*n)).sum::<i64>();
        let df = terms
            .iter()
            .filter_map(|t| {
                let n = self.term_ids.get(*t).and_then(|i| self.counts.get(*i as usize)).map(|c| sum(c)).unwrap_or(0);
                (n > 0).then(|| (t.to_string(), n))
            })
            .collect();
        (sum(&self.items), df)
    }

    /// Appends `rows`; the lists of the terms appended to are named in `touched` (to sort).
    fn add(&mut self, mut rows: Vec<(String, i64, i64, String, i64)>, touched: &mut HashSet<u32>) {
        rows.sort_unstable_by_key(|r| r.1);
        for (term, item, impact, audience, group) in rows {
            let b = intern(&mut self.buckets, (audience, group));
            let s = self.slot(item);
            let t = self.term(term);
            if let Some(x) = self.bucket_of.get_mut(s as usize) {
                *x = b;
            }
            if let Some(x) = self.terms_of.get_mut(s as usize) {
                x.push(t);
            }
            if let Some(list) = self.lists.get_mut(t as usize) {
                list.push(Posting { slot: s, bucket: b, impact });
            }
            touched.insert(t);
        }
    }

    /// Sets the facet facts of the items that have slots.
    fn set_facts(&mut self, facts: BTreeMap<i64, FacetFacts>) {
        for (id, f) in facts {
            let Some(s) = self.slot_of.get(&id).copied() else { continue };
            let kind = intern(&mut self.names, f.kind);
            let state = intern(&mut self.names, f.state);
            let mut facts: Vec<Fact> = f.phenomena.into_iter().map(|p| Fact::Phenomenon(intern(&mut self.phenomena, p))).collect();
            facts.extend(f.partner_types.into_iter().map(|p| Fact::Partner(intern(&mut self.names, p))));
            let s = s as usize;
            if let (Some(k), Some(st), Some(d), Some(x)) = (self.kinds.get_mut(s), self.states.get_mut(s), self.dated.get_mut(s), self.facts.get_mut(s)) {
                (*k, *st, *d, *x) = (kind, state, f.dated, Facts::new(facts));
            }
        }
    }

    /// The slot of item `id`. Ids are looked up in ascending order: in an ordered copy `from`
    /// carries where the previous one was found (slots are in id order there).
    fn find_slot(&self, id: i64, from: &mut usize) -> Option<usize> {
        if self.unordered {
            return self.slot_of.get(&id).map(|s| *s as usize);
        }
        let rest = self.ids.get(*from..)?;
        let at = *from + rest.partition_point(|x| *x < id);
        *from = at;
        (self.ids.get(at) == Some(&id)).then_some(at)
    }

    /// Filter `f` (but its terms) in the copy's numbers; `None` when it does not narrow.
    fn narrow(&self, f: &ItemFilter) -> Option<Narrow> {
        if !f.narrows() {
            return None;
        }
        let mut n = Narrow::default();
        let number = |list: &[String], code: &str, nothing: &mut bool| {
            let at = list.iter().position(|x| x == code);
            *nothing |= at.is_none();
            at.map(|i| i as u32)
        };
        n.kind = f.kind.as_deref().and_then(|k| number(&self.names, k, &mut n.nothing));
        n.state = f.state.as_deref().and_then(|k| number(&self.names, k, &mut n.nothing));
        if let Some(p) = f.partner_type.as_deref() {
            n.facts.extend(number(&self.names, p, &mut n.nothing).map(Fact::Partner));
        }
        if let Some(id) = f.phenomenon_id {
            let at = self.phenomena.iter().position(|x| *x == id);
            n.nothing |= at.is_none();
            n.facts.extend(at.map(|i| Fact::Phenomenon(i as u32)));
        }
        if let (Some(from), Some(to)) = knowledge::year_bounds(f.year) {
            n.dated = Some((from, to));
        }
        Some(n)
    }

    /// The slots that pass filter `n`, one bit each (bit `i % 64` of word `i / 64`): built once
    /// per search, so the ranking checks a posting with one bit of a small array instead of a
    /// look-up into the facts of a random item.
    fn passing(&self, n: &Narrow) -> Vec<u64> {
        if n.nothing {
            return vec![0; self.ids.len().div_ceil(64)];
        }
        let mut bits: Vec<u64> = self.ids.chunks(64).map(|c| u64::MAX >> (64 - c.len())).collect();
        // One column at a time, each only when the filter names it: a tight loop over one array.
        fn and<T>(bits: &mut [u64], column: &[T], pass: impl Fn(&T) -> bool) {
            for (word, chunk) in bits.iter_mut().zip(column.chunks(64)) {
                *word &= chunk.iter().enumerate().fold(0, |w, (i, x)| w | (u64::from(pass(x)) << i));
            }
        }
        if let Some(k) = n.kind {
            and(&mut bits, &self.kinds, |x| *x == k);
        }
        if let Some(s) = n.state {
            and(&mut bits, &self.states, |x| *x == s);
        }
        if let Some((from, to)) = n.dated {
            and(&mut bits, &self.dated, |x| (from..to).contains(x));
        }
        if !n.facts.is_empty() {
            and(&mut bits, &self.facts, |f| f.has_all(&n.facts));
        }
        bits
    }

    /// Per bucket whether it is among `visible`.
    fn open(&self, visible: &[(String, i64)]) -> Vec<bool> {
        self.buckets.iter().map(|b| visible.contains(b)).collect()
    }

    /// Whether slot `i`'s bucket is open.
    fn sees(&self, open: &[bool], i: usize) -> bool {
        self.bucket_of.get(i).and_then(|b| open.get(*b as usize)).copied().unwrap_or(false)
    }
}

/// The number of `value` in `list` (a short one: buckets, kinds, partner types), added if new.
fn intern<T: PartialEq>(list: &mut Vec<T>, value: T) -> u32 {
    match list.iter().position(|v| *v == value) {
        Some(i) => i as u32,
        None => {
            list.push(value);
            (list.len() - 1) as u32
        }
    }
}

/// The in-memory copy of the search index of one node (shared by its requests).
#[derive(Debug, Default)]
pub struct Replica {
    copy: RwLock<Copy>,
}

impl Replica {
    /// Brings the copy up to the generation `c`'s transaction sees (at start-up it reads the
    /// whole index).
    pub async fn catch_up(&self, c: &mut Conn) -> Result<(), StoreError> {
        let now = search::generation(c).await?;
        self.catch_up_to(c, now).await
    }

    /// Brings the copy up to generation `now`, read in `c`'s transaction.
    async fn catch_up_to(&self, c: &mut Conn, now: i64) -> Result<(), StoreError> {
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
            None => vec![search::EVERYTHING],
        };
        let whole = changed.contains(&search::EVERYTHING) || changed.len() > CATCH_UP_LIMIT;
        if whole {
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
            fresh.settle(0..fresh.lists.len() as u32);
            *copy = fresh;
        } else {
            let changed: Vec<i64> = changed.iter().copied().filter(|id| *id != search::REFERENCE).collect();
            let mut rows = Vec::new();
            for chunk in changed.chunks(500) {
                rows.extend(search::postings_of(c, chunk).await?);
            }
            copy.replace(&changed, rows);
            for chunk in changed.chunks(500) {
                copy.set_facts(knowledge::facet_facts(c, chunk).await?);
            }
        }
        // The synonyms and the phenomena's names only when they changed (or all was read).
        if whole || changed.contains(&search::REFERENCE) {
            copy.synonyms = search::synonyms(c).await?.into_iter().map(|g| g.words).collect();
            copy.labels = knowledge::all_phenomenon_labels(c).await?;
        }
        copy.generation = Some(now);
        Ok(())
    }

    /// What one search reads: when `from_copy`, the copy brought up to `c`'s generation and
    /// the reader's buckets, read once in one statement; otherwise the view answers from the
    /// database (a search narrowed by more than words, or a list without words).
    pub async fn view<'a>(&'a self, c: &mut Conn, scope: &'a KnowledgeScope, from_copy: bool) -> Result<View<'a>, StoreError> {
        let buckets = if from_copy {
            let (now, buckets) = search::generation_and_buckets(c, scope).await?;
            self.catch_up_to(c, now).await?;
            Some(buckets)
        } else {
            None
        };
        Ok(View { replica: self, scope, buckets, passing: Passing::default() })
    }
}

/// The slots that passed the last filter, with the generation of the copy they were built
/// for: a search and its count take the same filter, and build its bits once.
#[derive(Debug, Default)]
struct Passing(Mutex<Option<Built>>);

/// Passing slots as built: for which generation of the copy and which filter.
#[derive(Debug)]
struct Built {
    generation: Option<i64>,
    narrow: Narrow,
    bits: Arc<Vec<u64>>,
}

impl Passing {
    /// The slots of `copy` that pass filter `f` ([`Copy::passing`]); `None` when `f` filters
    /// nothing.
    fn of(&self, copy: &Copy, f: &ItemFilter) -> Option<Arc<Vec<u64>>> {
        let narrow = copy.narrow(f)?;
        let mut held = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(built) = held.as_ref().filter(|b| b.generation == copy.generation && b.narrow == narrow) {
            return Some(Arc::clone(&built.bits));
        }
        let bits = Arc::new(copy.passing(&narrow));
        *held = Some(Built { generation: copy.generation, narrow, bits: Arc::clone(&bits) });
        Some(bits)
    }
}

/// One search's view of the copy (see [`Replica::view`]).
#[derive(Debug)]
pub struct View<'a> {
    replica: &'a Replica,
    scope: &'a KnowledgeScope,
    /// The audience buckets the reader sees; `None`: the database answers.
    buckets: Option<Vec<(String, i64)>>,
    passing: Passing,
}

impl View<'_> {
    /// The reader's buckets when the copy answers for filter `f` (a search: it has terms).
    fn copied(&self, f: &ItemFilter) -> Option<&[(String, i64)]> {
        self.buckets.as_deref().filter(|_| !f.terms.is_empty())
    }

    /// The editors' synonym groups ([`search::synonyms`]' words).
    pub async fn synonyms(&self, c: &mut Conn) -> Result<Vec<String>, StoreError> {
        if self.buckets.is_some() {
            return Ok(self.replica.copy.read().await.synonyms.clone());
        }
        Ok(search::synonyms(c).await?.into_iter().map(|g| g.words).collect())
    }

    /// The reader's term statistics ([`search::frequencies`]).
    pub async fn frequencies(&self, c: &mut Conn, terms: &[&str]) -> Result<(i64, BTreeMap<String, i64>), StoreError> {
        match &self.buckets {
            Some(buckets) => {
                let copy = self.replica.copy.read().await;
                Ok(copy.frequencies(&copy.open(buckets), terms))
            }
            None => search::frequencies(c, self.scope, terms).await,
        }
    }

    /// The ranked page of [`knowledge::search`] for filter `f` (the same order: most of the
    /// query's words, then score, then newest id).
    pub async fn search(&self, c: &mut Conn, f: &ItemFilter, weights: &[(String, i64, i64)], limit: i64, offset: i64) -> Result<Vec<Ranked>, StoreError> {
        let Some(buckets) = self.copied(f) else {
            return knowledge::search(c, self.scope, f, weights, limit, offset).await;
        };
        if weights.is_empty() || limit <= 0 {
            return Ok(Vec::new());
        }
        let page = {
            let copy = self.replica.copy.read().await;
            let (open, passing) = (copy.open(buckets), self.passing.of(&copy, f));
            rank(
                &copy,
                &Gate { open: &open, passing: passing.as_deref().map(Vec::as_slice) },
                weights,
                usize::try_from(offset.max(0)).unwrap_or(0),
                usize::try_from(limit).unwrap_or(0),
            )
        };
        knowledge::ranked_rows(c, self.scope, page).await
    }

    /// The ids of at most `cap` items the reader sees that pass filter `f` — from the copy
    /// the lowest ids, as [`knowledge::matches`] promises no order.
    pub async fn matches(&self, c: &mut Conn, f: &ItemFilter, cap: i64) -> Result<Vec<i64>, StoreError> {
        let Some(buckets) = self.copied(f) else {
            return knowledge::matches(c, self.scope, f, cap).await;
        };
        let copy = self.replica.copy.read().await;
        let open = copy.open(buckets);
        let cap = usize::try_from(cap.max(0)).unwrap_or(0);
        let passing = self.passing.of(&copy, f);
        Ok(lowest(&copy, &Gate { open: &open, passing: passing.as_deref().map(Vec::as_slice) }, &f.terms, cap))
    }

    /// The themes of the items `ids` the reader sees ([`knowledge::themes_of`]: per item the
    /// names of its phenomena, by item and name).
    pub async fn themes(&self, c: &mut Conn, ids: &[i64]) -> Result<Vec<(i64, String)>, StoreError> {
        let Some(buckets) = &self.buckets else {
            return knowledge::themes_of(c, self.scope, ids).await;
        };
        let copy = self.replica.copy.read().await;
        let open = copy.open(buckets);
        let mut themes = Vec::new();
        for id in ids {
            let Some(s) = copy.slot_of.get(id).map(|s| *s as usize).filter(|s| copy.sees(&open, *s)) else { continue };
            let Some(facts) = copy.facts.get(s) else { continue };
            let phenomena = facts.all().filter_map(|f| match f {
                Fact::Phenomenon(n) => copy.phenomena.get(n as usize),
                Fact::Partner(_) => None,
            });
            themes.extend(phenomena.filter_map(|p| copy.labels.get(p)).map(|(_, name)| (*id, name.clone())));
        }
        themes.sort_unstable();
        themes.dedup();
        Ok(themes)
    }

    /// The facets of [`knowledge::facets`] (per kind, phenomenon and partner type how many of
    /// the items among `ids` that the reader sees carry it, most first, then label and code).
    pub async fn facets(&self, c: &mut Conn, ids: &[i64]) -> Result<[Vec<Facet>; 3], StoreError> {
        let Some(buckets) = &self.buckets else {
            return knowledge::facets(c, self.scope, ids).await;
        };
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let (kinds, phenomena, partners) = {
            let copy = self.replica.copy.read().await;
            let open = copy.open(buckets);
            let (mut kinds, mut partners, mut phenomena) = (vec![0i64; copy.names.len()], vec![0i64; copy.names.len()], vec![0i64; copy.phenomena.len()]);
            let mut from = 0;
            for id in ids {
                let Some(s) = copy.find_slot(id, &mut from).filter(|s| copy.sees(&open, *s)) else { continue };
                let (Some(kind), Some(facts)) = (copy.kinds.get(s), copy.facts.get(s)) else { continue };
                if let Some(n) = kinds.get_mut(*kind as usize) {
                    *n += 1;
                }
                for fact in facts.all() {
                    let (counts, number) = match fact {
                        Fact::Phenomenon(n) => (&mut phenomena, n),
                        Fact::Partner(n) => (&mut partners, n),
                    };
                    if let Some(n) = counts.get_mut(number as usize) {
                        *n += 1;
                    }
                }
            }
            let named = |counts: Vec<i64>| {
                counts.into_iter().zip(&copy.names).filter(|(n, _)| *n > 0).map(|(count, code)| Facet { code: code.clone(), label: code.clone(), count }).collect::<Vec<_>>()
            };
            let phenomena = phenomena.into_iter().zip(&copy.phenomena).filter(|(n, _)| *n > 0);
            let phenomena = phenomena.filter_map(|(count, id)| copy.labels.get(id).map(|(code, label)| Facet { code: code.clone(), label: label.clone(), count })).collect();
            (named(kinds), phenomena, named(partners))
        };
        let ordered = |mut list: Vec<Facet>| {
            list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)).then_with(|| a.code.cmp(&b.code)));
            list
        };
        Ok([ordered(kinds), ordered(phenomena), ordered(partners)])
    }
}

#[cfg(test)]
mod tests {
    use super::rank::{concepts, lowest, rank, rank_all_held, rank_every, Gate};
    use super::Copy;
    use crate::knowledge::{FacetFacts, ItemFilter};
    use std::collections::BTreeMap;

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
    fn a_filter_leaves_out_the_items_it_does_not_name() {
        let mut c = copy();
        let facts = |kind: &str, state: &str, dated: i64, phenomena: Vec<i64>, partner_types: Vec<String>| FacetFacts {
            kind: kind.into(),
            state: state.into(),
            dated,
            phenomena,
            partner_types,
        };
        let (june_2024, june_2025) = (1_717_200_000_000, 1_748_736_000_000);
        c.set_facts(BTreeMap::from([
            (1, facts("nieuws", "gepubliceerd", june_2024, vec![10], vec!["politie".into()])),
            (2, facts("handreiking", "gepubliceerd", june_2025, vec![10, 11], vec![])),
            (3, facts("nieuws", "concept", june_2025, vec![], vec![])),
        ]));
        let all = c.open(&[("netwerk".into(), 0), ("redactie".into(), 0)]);
        let w = vec![("hennep".to_string(), 1000, 0)];
        let found = |f: ItemFilter| {
            let passing = c.narrow(&f).map(|n| c.passing(&n));
            let gate = Gate { open: &all, passing: passing.as_deref() };
            let ranked: Vec<i64> = rank(&c, &gate, &w, 0, 10).into_iter().map(|r| r.2).collect();
            (ranked, lowest(&c, &gate, &["hennep".to_string()], 10))
        };
        let text = |s: &str| Some(s.to_string());
        assert_eq!(found(ItemFilter::default()), (vec![3, 1, 2], vec![1, 2, 3]));
        assert_eq!(found(ItemFilter { kind: text("nieuws"), ..ItemFilter::default() }), (vec![3, 1], vec![1, 3]));
        assert_eq!(found(ItemFilter { state: text("concept"), ..ItemFilter::default() }), (vec![3], vec![3]));
        assert_eq!(found(ItemFilter { phenomenon_id: Some(11), ..ItemFilter::default() }), (vec![2], vec![2]));
        assert_eq!(found(ItemFilter { phenomenon_id: Some(10), partner_type: text("politie"), ..ItemFilter::default() }), (vec![1], vec![1]));
        assert_eq!(found(ItemFilter { year: Some(2025), ..ItemFilter::default() }), (vec![3, 2], vec![2, 3]));
        // A value no item has (an unknown code, a kind nobody wrote) finds nothing.
        assert_eq!(found(ItemFilter { phenomenon_id: Some(99), ..ItemFilter::default() }), (vec![], vec![]));
        assert_eq!(found(ItemFilter { kind: text("faq"), ..ItemFilter::default() }), (vec![], vec![]));
    }

    #[test]
    fn the_best_term_per_concept_counts_and_invisible_buckets_are_skipped() {
        let c = copy();
        let network = c.open(&[("netwerk".into(), 0)]);
        // hennep and wiet one concept: item 2 counts wiet's 800 × 1000, not the sum.
        let w = vec![("hennep".to_string(), 1000, 0), ("wiet".to_string(), 1000, 0), ("sluiting".to_string(), 1000, 1)];
        assert_eq!(rank(&c, &Gate { open: &network, passing: None }, &w, 0, 10), vec![(2, 1_100_000, 2), (1, 900_000, 1)]);
        let all = c.open(&[("netwerk".into(), 0), ("redactie".into(), 0)]);
        assert_eq!(rank(&c, &Gate { open: &all, passing: None }, &w, 0, 10), vec![(2, 1_100_000, 2), (1, 950_000, 3), (1, 900_000, 1)]);
        assert_eq!(rank(&c, &Gate { open: &all, passing: None }, &w, 1, 1), vec![(1, 950_000, 3)]);
    }

    #[test]
    fn an_item_changed_is_replaced_whole() {
        let mut c = copy();
        c.replace(&[2], vec![("sluiting".to_string(), 2, 700, "openbaar".to_string(), 0)]);
        assert!(c.postings("wiet").is_empty(), "wiet was item 2's alone");
        let open = c.open(&[("openbaar".into(), 0)]);
        assert_eq!(rank(&c, &Gate { open: &open, passing: None }, &[("sluiting".to_string(), 1000, 0)], 0, 10), vec![(1, 700_000, 2)]);
    }

    #[test]
    fn the_lowest_ids_are_found_also_when_an_item_arrives_out_of_order() {
        let mut c = Copy::default();
        let row = |t: &str, item: i64, a: &str| (t.to_string(), item, 100, a.to_string(), 0);
        c.replace(&[], vec![row("woning", 9, "netwerk"), row("woning", 5, "netwerk"), row("woning", 7, "redactie"), row("woning", 12, "netwerk"), row("pand", 6, "netwerk")]);
        let open = c.open(&[("netwerk".into(), 0)]);
        let terms = ["woning".to_string(), "pand".to_string()];
        assert!(!c.unordered, "rows are added in id order");
        assert_eq!(lowest(&c, &Gate { open: &open, passing: None }, &terms, 2), vec![5, 6]);
        assert_eq!(lowest(&c, &Gate { open: &open, passing: None }, &terms, 10), vec![5, 6, 9, 12], "7 is not the reader's");
        // An item with a lower id than the copy holds gets the last slot: no early stop then.
        c.replace(&[], vec![row("woning", 2, "netwerk")]);
        assert!(c.unordered);
        assert_eq!(lowest(&c, &Gate { open: &open, passing: None }, &terms, 2), vec![2, 5]);
        assert_eq!(lowest(&c, &Gate { open: &open, passing: None }, &terms, 0), Vec::<i64>::new());
    }

    #[test]
    fn slots_are_found_by_id_in_and_out_of_order() {
        let mut c = copy();
        let mut from = 0;
        assert_eq!([1, 2, 3, 4].map(|id| c.find_slot(id, &mut from)), [Some(0), Some(1), Some(2), None]);
        c.replace(&[], vec![("pand".to_string(), 0, 10, "netwerk".to_string(), 0)]);
        assert!(c.unordered);
        let mut from = 0;
        assert_eq!([0, 1, 3, 7].map(|id| c.find_slot(id, &mut from)), [Some(3), Some(0), Some(2), None]);
    }

    #[test]
    fn the_passing_slots_are_one_bit_each_across_words_and_items_without_facts_pass_no_filter() {
        let mut c = Copy::default();
        let ids: Vec<i64> = (1..=200).collect();
        c.replace(&[], ids.iter().map(|id| ("pand".to_string(), *id, 10, "netwerk".to_string(), 0)).collect());
        // Every seventh item a guide; item 200 has no facts read (yet).
        let kind = |id: i64| if id % 7 == 0 { "handreiking" } else { "nieuws" };
        let facts = ids
            .iter()
            .filter(|id| **id < 200)
            .map(|id| (*id, FacetFacts { kind: kind(*id).into(), state: "gepubliceerd".into(), dated: 0, phenomena: vec![], partner_types: vec![] }));
        c.set_facts(facts.collect());
        let open = c.open(&[("netwerk".into(), 0)]);
        let guides = ItemFilter { kind: Some("handreiking".into()), ..ItemFilter::default() };
        let passing = c.narrow(&guides).map(|n| c.passing(&n));
        assert_eq!(passing.as_ref().map(Vec::len), Some(4), "200 slots in 4 words");
        let found = lowest(&c, &Gate { open: &open, passing: passing.as_deref() }, &["pand".to_string()], 100);
        assert_eq!(found, (1..200).filter(|id| id % 7 == 0).collect::<Vec<_>>());
        let news = ItemFilter { kind: Some("nieuws".into()), ..ItemFilter::default() };
        let passing = c.narrow(&news).map(|n| c.passing(&n));
        let found = lowest(&c, &Gate { open: &open, passing: passing.as_deref() }, &["pand".to_string()], 300);
        assert_eq!(found, (1..200).filter(|id| id % 7 != 0).collect::<Vec<_>>(), "item 200 has no kind yet");
    }

    #[test]
    fn a_filters_passing_slots_are_built_once_and_again_when_the_filter_or_the_copy_changes() {
        let mut c = Copy::default();
        c.replace(&[], (1..=3).map(|id| ("pand".to_string(), id, 10, "netwerk".to_string(), 0)).collect());
        let facts = |kinds: [&str; 3]| {
            (1..=3).zip(kinds).map(|(id, k)| (id, FacetFacts { kind: k.into(), state: "gepubliceerd".into(), dated: 0, phenomena: vec![], partner_types: vec![] })).collect()
        };
        c.set_facts(facts(["handreiking", "nieuws", "handreiking"]));
        c.generation = Some(1);
        let held = super::Passing::default();
        let guides = ItemFilter { kind: Some("handreiking".into()), ..ItemFilter::default() };
        let news = ItemFilter { kind: Some("nieuws".into()), ..ItemFilter::default() };
        assert!(held.of(&c, &ItemFilter::default()).is_none(), "no filter, no bits");
        let first = held.of(&c, &guides).unwrap_or_default();
        assert_eq!(*first, vec![0b101]);
        assert!(held.of(&c, &guides).is_some_and(|again| std::sync::Arc::ptr_eq(&first, &again)), "the count reuses the search's bits");
        assert_eq!(held.of(&c, &news).as_deref(), Some(&vec![0b010]), "another filter, other bits");
        // The copy caught up in between (another request's search): the bits follow it.
        c.set_facts(facts(["nieuws", "nieuws", "handreiking"]));
        c.generation = Some(2);
        assert_eq!(held.of(&c, &guides).as_deref(), Some(&vec![0b100]));
    }

    #[test]
    fn items_holding_every_concept_rank_as_adding_up_every_posting() {
        // A small generator (the test needs no randomness source, only varied data).
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let terms = ["a", "b", "c", "d", "e", "f"];
        let density = [90, 60, 30, 12, 5, 2];
        let buckets = ["netwerk", "redactie", "groep"];
        let mut c = Copy::default();
        let mut rows = Vec::new();
        for item in 1..=400i64 {
            let bucket = buckets[next(3) as usize];
            for (t, d) in terms.iter().zip(density) {
                if next(100) < d {
                    rows.push((t.to_string(), item, 1 + next(900) as i64, bucket.to_string(), 0));
                }
            }
        }
        c.replace(&[], rows);
        let mut compared = (0, 0);
        for round in 0..300 {
            let open = c.open(&[("netwerk".into(), 0), ("groep".into(), 0)][..1 + round % 2]);
            let n = 2 + next(5) as usize;
            let weights: Vec<(String, i64, i64)> = (0..n).map(|i| (terms[(i + round) % 6].to_string(), 1 + next(3000) as i64, next(3) as i64)).collect();
            let concepts = concepts(&c, &weights);
            let (offset, limit) = (next(3) as usize * 10, 1 + next(20) as usize);
            let every = rank_every(&c, &Gate { open: &open, passing: None }, &concepts, offset, limit);
            assert_eq!(rank(&c, &Gate { open: &open, passing: None }, &weights, offset, limit), every, "{weights:?} page ({offset}, {limit})");
            let all_held = rank_all_held(&c, &Gate { open: &open, passing: None }, &concepts, offset, limit);
            compared.0 += usize::from(all_held.is_some() && concepts.len() > 1);
            compared.1 += usize::from(all_held.is_none());
        }
        assert!(compared.0 > 30 && compared.1 > 30, "both ways compared: {compared:?}");
    }
}
