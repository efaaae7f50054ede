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
use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet};
use tokio::sync::RwLock;

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
    /// Per slot what the facets count: kind and partner types by number (in `names`), phenomena
    /// by id.
    facts: Vec<Facts>,
    names: Vec<String>,
    phenomena: Vec<i64>,
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
        for t in touched {
            if let Some(list) = self.lists.get_mut(t as usize) {
                list.sort_unstable_by_key(|p| p.slot);
            }
        }
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
            let mut codes: Vec<u32> = f.phenomena.into_iter().map(|p| intern(&mut self.phenomena, p) << 1).collect();
            codes.extend(f.partner_types.into_iter().map(|p| (intern(&mut self.names, p) << 1) | 1));
            if let Some(x) = self.facts.get_mut(s as usize) {
                *x = Facts::new(kind, codes);
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

    /// Per bucket whether it is among `visible`.
    fn open(&self, visible: &[(String, i64)]) -> Vec<bool> {
        self.buckets.iter().map(|b| visible.contains(b)).collect()
    }

    /// Whether slot `i`'s bucket is open.
    fn sees(&self, open: &[bool], i: usize) -> bool {
        self.bucket_of.get(i).and_then(|b| open.get(*b as usize)).copied().unwrap_or(false)
    }
}

/// Codes carried inline per item before they spill into a list of their own.
const INLINE: usize = 6;

/// What the facets count of one item: its kind (a number in `names`) and its codes — per
/// phenomenon `number << 1` (in `phenomena`), per partner type `number << 1 | 1` (in `names`) —
/// the first [`INLINE`] in place, so counting an item reads one entry.
#[derive(Debug, Clone, Default)]
struct Facts {
    kind: u32,
    held: u8,
    inline: [u32; INLINE],
    more: Vec<u32>,
}

impl Facts {
    fn new(kind: u32, codes: Vec<u32>) -> Self {
        let mut f = Facts { kind, held: 0, inline: [0; INLINE], more: Vec::new() };
        for (slot, code) in f.inline.iter_mut().zip(&codes) {
            *slot = *code;
        }
        f.held = codes.len().min(INLINE) as u8;
        f.more = codes.into_iter().skip(INLINE).collect();
        f
    }

    fn codes(&self) -> impl Iterator<Item = u32> + '_ {
        self.inline.iter().take(self.held as usize).chain(&self.more).copied()
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
                list.sort_unstable_by_key(|p| p.slot);
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

    /// What one search reads from the copy: the copy brought up to `c`'s generation and the
    /// reader's buckets read, once (when nothing but the terms narrows the search; otherwise
    /// the view answers from the database).
    pub async fn view<'a>(&'a self, c: &mut Conn, scope: &'a KnowledgeScope, f: &'a ItemFilter) -> Result<View<'a>, StoreError> {
        let buckets = if f.narrows() || f.terms.is_empty() {
            None
        } else {
            self.catch_up(c).await?;
            Some(search::visible_buckets(c, scope).await?)
        };
        Ok(View { replica: self, scope, filter: f, buckets })
    }
}

/// One search's view of the copy (see [`Replica::view`]).
#[derive(Debug)]
pub struct View<'a> {
    replica: &'a Replica,
    scope: &'a KnowledgeScope,
    filter: &'a ItemFilter,
    /// The audience buckets the reader sees; `None`: the database answers.
    buckets: Option<Vec<(String, i64)>>,
}

impl View<'_> {
    /// The ranked page of [`knowledge::search`] (the same order: most of the query's words,
    /// then score, then newest id).
    pub async fn search(&self, c: &mut Conn, weights: &[(String, i64, i64)], limit: i64, offset: i64) -> Result<Vec<Ranked>, StoreError> {
        let Some(buckets) = &self.buckets else {
            return knowledge::search(c, self.scope, self.filter, weights, limit, offset).await;
        };
        if weights.is_empty() || limit <= 0 {
            return Ok(Vec::new());
        }
        let page = {
            let copy = self.replica.copy.read().await;
            rank(&copy, &copy.open(buckets), weights, usize::try_from(offset.max(0)).unwrap_or(0), usize::try_from(limit).unwrap_or(0))
        };
        knowledge::ranked_rows(c, self.scope, page).await
    }

    /// The ids of at most `cap` items the reader sees that hold one of the filter's terms —
    /// the lowest ids, as [`knowledge::matches`] promises no order.
    pub async fn matches(&self, c: &mut Conn, cap: i64) -> Result<Vec<i64>, StoreError> {
        let Some(buckets) = &self.buckets else {
            return knowledge::matches(c, self.scope, self.filter, cap).await;
        };
        let copy = self.replica.copy.read().await;
        let open = copy.open(buckets);
        let cap = usize::try_from(cap.max(0)).unwrap_or(0);
        Ok(lowest(&copy, &open, &self.filter.terms, cap))
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
                let Some(facts) = copy.facts.get(s) else { continue };
                if let Some(n) = kinds.get_mut(facts.kind as usize) {
                    *n += 1;
                }
                for code in facts.codes() {
                    let counts = if code & 1 == 1 { &mut partners } else { &mut phenomena };
                    if let Some(n) = counts.get_mut((code >> 1) as usize) {
                        *n += 1;
                    }
                }
            }
            let named = |counts: Vec<i64>| {
                counts.into_iter().zip(&copy.names).filter(|(n, _)| *n > 0).map(|(count, code)| Facet { code: code.clone(), label: code.clone(), count }).collect::<Vec<_>>()
            };
            let phenomena: BTreeMap<i64, i64> = phenomena.into_iter().zip(&copy.phenomena).filter(|(n, _)| *n > 0).map(|(n, id)| (*id, n)).collect();
            (named(kinds), phenomena, named(partners))
        };
        let labels = knowledge::phenomenon_labels(c, &phenomena.keys().copied().collect::<Vec<_>>()).await?;
        let ordered = |mut list: Vec<Facet>| {
            list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)).then_with(|| a.code.cmp(&b.code)));
            list
        };
        let phenomena = phenomena.into_iter().filter_map(|(id, count)| labels.get(&id).map(|(code, label)| Facet { code: code.clone(), label: label.clone(), count })).collect();
        Ok([ordered(kinds), ordered(phenomena), ordered(partners)])
    }
}

/// The lowest `cap` ids of the items in buckets `open` that hold one of `terms`, ascending.
fn lowest(copy: &Copy, open: &[bool], terms: &[String], cap: usize) -> Vec<i64> {
    let mut ids = SCRATCH.with_borrow_mut(|scratch| {
        scratch.fit(copy.ids.len());
        let mut ids = Vec::new();
        for term in terms {
            // In id order, a list's first `cap` postings the reader sees hold every id of
            // that term among the lowest `cap`.
            let mut taken = 0;
            for p in copy.postings(term) {
                if taken == cap && !copy.unordered {
                    break;
                }
                let i = p.slot as usize;
                let (Some(m), Some(id)) = (scratch.marked.get_mut(i), copy.ids.get(i)) else { continue };
                if !open.get(p.bucket as usize).copied().unwrap_or(false) {
                    continue;
                }
                taken += 1;
                if !*m {
                    *m = true;
                    scratch.slots.push(p.slot);
                    ids.push(*id);
                }
            }
        }
        scratch.clear();
        ids
    });
    if ids.len() > cap && cap > 0 {
        ids.select_nth_unstable(cap - 1);
    }
    ids.truncate(cap);
    ids.sort_unstable();
    ids
}

/// Per-thread working arrays of the ranking, as long as the copy has slots, reset after each
/// use by the slots touched (so a search neither allocates nor clears arrays of every item).
#[derive(Debug, Default)]
struct Scratch {
    /// Per slot (one cache line holds what a posting updates).
    entries: Vec<Entry>,
    marked: Vec<bool>,
    /// The slots whose entries are not at rest.
    slots: Vec<u32>,
}

/// A slot's running ranking: the best of the current concept (-1: none yet), the score and the
/// number of concepts held so far.
#[derive(Debug, Clone, Copy)]
struct Entry {
    best: i64,
    score: i64,
    held: i64,
}

const AT_REST: Entry = Entry { best: -1, score: 0, held: 0 };

impl Scratch {
    fn fit(&mut self, n: usize) {
        if self.entries.len() < n {
            self.entries.resize(n, AT_REST);
            self.marked.resize(n, false);
        }
    }

    /// Puts the entries of the slots touched back at rest.
    fn clear(&mut self) {
        for s in self.slots.drain(..) {
            let i = s as usize;
            if let (Some(e), Some(m)) = (self.entries.get_mut(i), self.marked.get_mut(i)) {
                (*e, *m) = (AT_REST, false);
            }
        }
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Every posting of the weighted terms in the buckets `open`, scored as the database does: per
/// item and concept the best `impact × weight`, summed; (concepts, score, id) of the page.
fn rank(copy: &Copy, open: &[bool], weights: &[(String, i64, i64)], offset: usize, limit: usize) -> Vec<(i64, i64, i64)> {
    let mut concepts: Vec<i64> = weights.iter().map(|w| w.2).collect();
    concepts.sort_unstable();
    concepts.dedup();
    if concepts.len() > 1 {
        if let Some(page) = rank_all_held(copy, open, weights, &concepts, offset, limit) {
            return page;
        }
    }
    rank_every(copy, open, weights, &concepts, offset, limit)
}

/// [`rank`] by adding up every posting of the query's terms.
fn rank_every(copy: &Copy, open: &[bool], weights: &[(String, i64, i64)], concepts: &[i64], offset: usize, limit: usize) -> Vec<(i64, i64, i64)> {
    let wanted = offset.saturating_add(limit);
    let mut top: BinaryHeap<Reverse<(i64, i64, i64)>> = BinaryHeap::with_capacity(wanted.saturating_add(1));
    SCRATCH.with_borrow_mut(|x| {
        x.fit(copy.ids.len());
        let mut seen: Vec<u32> = Vec::new();
        for concept in concepts {
            let terms: Vec<&(String, i64, i64)> = weights.iter().filter(|w| w.2 == *concept).collect();
            if let [(term, weight, _)] = terms.as_slice() {
                // One term: its posting is the concept's best.
                for p in copy.postings(term) {
                    if !open.get(p.bucket as usize).copied().unwrap_or(false) {
                        continue;
                    }
                    let Some(e) = x.entries.get_mut(p.slot as usize) else { continue };
                    if e.held == 0 {
                        x.slots.push(p.slot);
                    }
                    e.held += 1;
                    e.score += p.impact.saturating_mul(*weight);
                }
                continue;
            }
            for (term, weight, _) in terms {
                for p in copy.postings(term) {
                    if !open.get(p.bucket as usize).copied().unwrap_or(false) {
                        continue;
                    }
                    let Some(e) = x.entries.get_mut(p.slot as usize) else { continue };
                    if e.best < 0 {
                        seen.push(p.slot);
                    }
                    e.best = e.best.max(p.impact.saturating_mul(*weight));
                }
            }
            for s in seen.drain(..) {
                let Some(e) = x.entries.get_mut(s as usize) else { continue };
                if e.held == 0 {
                    x.slots.push(s);
                }
                e.held += 1;
                e.score += e.best;
                e.best = -1;
            }
        }
        // The best `wanted` in a heap whose root is the worst kept.
        for s in &x.slots {
            let (Some(e), Some(id)) = (x.entries.get(*s as usize), copy.ids.get(*s as usize)) else { continue };
            keep(&mut top, wanted, (e.held, e.score, *id));
        }
        x.clear();
    });
    page_of(top, offset, limit)
}

/// Keeps `key` in `top` if it is among the best `wanted` so far (the heap's root is the worst
/// kept).
fn keep(top: &mut BinaryHeap<Reverse<(i64, i64, i64)>>, wanted: usize, key: (i64, i64, i64)) {
    if top.len() < wanted {
        top.push(Reverse(key));
    } else if top.peek().is_some_and(|w| key > w.0) {
        top.pop();
        top.push(Reverse(key));
    }
}

fn page_of(top: BinaryHeap<Reverse<(i64, i64, i64)>>, offset: usize, limit: usize) -> Vec<(i64, i64, i64)> {
    let mut ranked: Vec<(i64, i64, i64)> = top.into_iter().map(|r| r.0).collect();
    ranked.sort_unstable_by(|a, b| b.cmp(a));
    ranked.into_iter().skip(offset).take(limit).collect()
}

/// The page of [`rank`] when at least `offset + limit` items in the open buckets hold every
/// concept — they rank above all others (most concepts first), so only they need scores —
/// and `None` when fewer do. Driven by the concept with the fewest postings: each of its
/// items is looked up in the other concepts' lists (sorted by slot, so each look-up goes on
/// from where the previous one stopped).
fn rank_all_held(copy: &Copy, open: &[bool], weights: &[(String, i64, i64)], concepts: &[i64], offset: usize, limit: usize) -> Option<Vec<(i64, i64, i64)>> {
    let lists: Vec<Vec<(&[Posting], i64)>> = concepts.iter().map(|c| weights.iter().filter(|w| w.2 == *c).map(|(t, w, _)| (copy.postings(t), *w)).collect()).collect();
    let size = |l: &Vec<(&[Posting], i64)>| l.iter().map(|x| x.0.len()).sum::<usize>();
    let driver = (0..lists.len()).min_by_key(|i| lists.get(*i).map(size).unwrap_or(0))?;
    let wanted = offset.saturating_add(limit);
    let held = concepts.len() as i64;
    let mut top: BinaryHeap<Reverse<(i64, i64, i64)>> = BinaryHeap::with_capacity(wanted.saturating_add(1));
    let mut found = 0usize;
    let mut cursors: Vec<Vec<usize>> = lists.iter().map(|l| vec![0; l.len()]).collect();
    let mut driving = Merge::new(lists.get(driver)?);
    while let Some((slot, bucket, best)) = driving.next() {
        if !open.get(bucket as usize).copied().unwrap_or(false) {
            continue;
        }
        let mut score = best;
        let mut all = true;
        for (i, (l, cursor)) in lists.iter().zip(cursors.iter_mut()).enumerate() {
            if i == driver {
                continue;
            }
            let best = l
                .iter()
                .zip(cursor.iter_mut())
                .filter_map(|((list, weight), at)| seek(list, at, slot).filter(|p| open.get(p.bucket as usize).copied().unwrap_or(false)).map(|p| p.impact.saturating_mul(*weight)))
                .max();
            match best {
                Some(b) => score += b,
                None => {
                    all = false;
                    break;
                }
            }
        }
        if all {
            found += 1;
            keep(&mut top, wanted, (held, score, copy.ids.get(slot as usize).copied().unwrap_or(0)));
        }
    }
    (found >= wanted).then(|| page_of(top, offset, limit))
}

/// The posting of `slot` in `list` (sorted by slot), looked for from `*at` on by doubling
/// steps; `*at` moves to where it is or would be.
fn seek<'a>(list: &'a [Posting], at: &mut usize, slot: u32) -> Option<&'a Posting> {
    let rest = list.get(*at..)?;
    let mut bound = 1;
    while rest.get(bound).is_some_and(|p| p.slot < slot) {
        bound *= 2;
    }
    *at += rest.get(..bound.saturating_add(1).min(rest.len()))?.partition_point(|p| p.slot < slot);
    list.get(*at).filter(|p| p.slot == slot)
}

/// The items of several lists sorted by slot, in slot order, each once with its best
/// `impact × weight` (the lists of one concept).
struct Merge<'a> {
    lists: &'a [(&'a [Posting], i64)],
    at: Vec<usize>,
}

impl<'a> Merge<'a> {
    fn new(lists: &'a [(&'a [Posting], i64)]) -> Self {
        Merge { lists, at: vec![0; lists.len()] }
    }

    /// The next item: (slot, bucket, best).
    fn next(&mut self) -> Option<(u32, u32, i64)> {
        let slot = self.lists.iter().zip(&self.at).filter_map(|((list, _), at)| list.get(*at).map(|p| p.slot)).min()?;
        let mut out: Option<(u32, u32, i64)> = None;
        for ((list, weight), at) in self.lists.iter().zip(self.at.iter_mut()) {
            if let Some(p) = list.get(*at).filter(|p| p.slot == slot) {
                *at += 1;
                let v = p.impact.saturating_mul(*weight);
                out = Some(match out {
                    Some((s, b, best)) => (s, b, best.max(v)),
                    None => (slot, p.bucket, v),
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::{lowest, rank, rank_every, Copy};

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
        let network = c.open(&[("netwerk".into(), 0)]);
        // hennep and wiet one concept: item 2 counts wiet's 800 × 1000, not the sum.
        let w = vec![("hennep".to_string(), 1000, 0), ("wiet".to_string(), 1000, 0), ("sluiting".to_string(), 1000, 1)];
        assert_eq!(rank(&c, &network, &w, 0, 10), vec![(2, 1_100_000, 2), (1, 900_000, 1)]);
        let all = c.open(&[("netwerk".into(), 0), ("redactie".into(), 0)]);
        assert_eq!(rank(&c, &all, &w, 0, 10), vec![(2, 1_100_000, 2), (1, 950_000, 3), (1, 900_000, 1)]);
        assert_eq!(rank(&c, &all, &w, 1, 1), vec![(1, 950_000, 3)]);
    }

    #[test]
    fn an_item_changed_is_replaced_whole() {
        let mut c = copy();
        c.replace(&[2], vec![("sluiting".to_string(), 2, 700, "openbaar".to_string(), 0)]);
        assert!(c.postings("wiet").is_empty(), "wiet was item 2's alone");
        let open = c.open(&[("openbaar".into(), 0)]);
        assert_eq!(rank(&c, &open, &[("sluiting".to_string(), 1000, 0)], 0, 10), vec![(1, 700_000, 2)]);
    }

    #[test]
    fn the_lowest_ids_are_found_also_when_an_item_arrives_out_of_order() {
        let mut c = Copy::default();
        let row = |t: &str, item: i64, a: &str| (t.to_string(), item, 100, a.to_string(), 0);
        c.replace(&[], vec![row("woning", 9, "netwerk"), row("woning", 5, "netwerk"), row("woning", 7, "redactie"), row("woning", 12, "netwerk"), row("pand", 6, "netwerk")]);
        let open = c.open(&[("netwerk".into(), 0)]);
        let terms = ["woning".to_string(), "pand".to_string()];
        assert!(!c.unordered, "rows are added in id order");
        assert_eq!(lowest(&c, &open, &terms, 2), vec![5, 6]);
        assert_eq!(lowest(&c, &open, &terms, 10), vec![5, 6, 9, 12], "7 is not the reader's");
        // An item with a lower id than the copy holds gets the last slot: no early stop then.
        c.replace(&[], vec![row("woning", 2, "netwerk")]);
        assert!(c.unordered);
        assert_eq!(lowest(&c, &open, &terms, 2), vec![2, 5]);
        assert_eq!(lowest(&c, &open, &terms, 0), Vec::<i64>::new());
    }

    #[test]
    fn slots_are_found_by_id_in_and_out_of_order_and_facts_keep_every_code() {
        let mut c = copy();
        let mut from = 0;
        assert_eq!([1, 2, 3, 4].map(|id| c.find_slot(id, &mut from)), [Some(0), Some(1), Some(2), None]);
        c.replace(&[], vec![("pand".to_string(), 0, 10, "netwerk".to_string(), 0)]);
        assert!(c.unordered);
        let mut from = 0;
        assert_eq!([0, 1, 3, 7].map(|id| c.find_slot(id, &mut from)), [Some(3), Some(0), Some(2), None]);
        let f = super::Facts::new(4, (0..9).collect());
        assert_eq!((f.kind, f.codes().collect::<Vec<_>>()), (4, (0..9).collect::<Vec<_>>()));
        assert_eq!(super::Facts::new(1, vec![5]).codes().collect::<Vec<_>>(), vec![5]);
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
            let mut concepts: Vec<i64> = weights.iter().map(|w| w.2).collect();
            concepts.sort_unstable();
            concepts.dedup();
            let (offset, limit) = (next(3) as usize * 10, 1 + next(20) as usize);
            let every = rank_every(&c, &open, &weights, &concepts, offset, limit);
            assert_eq!(rank(&c, &open, &weights, offset, limit), every, "{weights:?} page ({offset}, {limit})");
            let all_held = super::rank_all_held(&c, &open, &weights, &concepts, offset, limit);
            compared.0 += usize::from(all_held.is_some() && concepts.len() > 1);
            compared.1 += usize::from(all_held.is_none());
        }
        assert!(compared.0 > 30 && compared.1 > 30, "both ways compared: {compared:?}");
    }
}
