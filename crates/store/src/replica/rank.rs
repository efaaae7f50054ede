//! The search of the copy: ranking, the lowest matching ids — every posting outside the
//! reader's open buckets, or of an item the filter leaves out, skipped.

use super::{Copy, Posting};
use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// What lets a posting through: the reader's open buckets and the slots that pass the filter
/// (if any; [`Copy::passing`]).
pub(super) struct Gate<'a> {
    pub open: &'a [bool],
    pub passing: Option<&'a [u64]>,
}

impl Gate<'_> {
    fn lets(&self, slot: u32, bucket: u32) -> bool {
        let slot = slot as usize;
        self.open.get(bucket as usize).copied().unwrap_or(false) && self.passing.is_none_or(|bits| bits.get(slot / 64).is_some_and(|w| w >> (slot % 64) & 1 == 1))
    }
}

/// The lowest `cap` ids of the items `gate` lets through that hold one of `terms`, ascending.
pub(super) fn lowest(copy: &Copy, gate: &Gate<'_>, terms: &[String], cap: usize) -> Vec<i64> {
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
                if !gate.lets(p.slot, p.bucket) {
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

/// Every posting of the weighted terms that `gate` lets through, scored as the database does: per
/// item and concept the best `impact × weight`, summed; (concepts, score, id) of the page.
pub(super) fn rank(copy: &Copy, gate: &Gate<'_>, weights: &[(String, i64, i64)], offset: usize, limit: usize) -> Vec<(i64, i64, i64)> {
    let concepts = concepts(copy, weights);
    if concepts.len() > 1 {
        if let Some(page) = rank_all_held(copy, gate, &concepts, offset, limit) {
            return page;
        }
    }
    rank_every(copy, gate, &concepts, offset, limit)
}

/// Per concept of the query (in the order of their numbers) the postings of its terms, each
/// list with the term's weight.
pub(super) type Concepts<'a> = Vec<Vec<(&'a [Posting], i64)>>;

pub(super) fn concepts<'a>(copy: &'a Copy, weights: &[(String, i64, i64)]) -> Concepts<'a> {
    let mut numbers: Vec<i64> = weights.iter().map(|w| w.2).collect();
    numbers.sort_unstable();
    numbers.dedup();
    numbers.iter().map(|c| weights.iter().filter(|w| w.2 == *c).map(|(t, w, _)| (copy.postings(t), *w)).collect()).collect()
}

/// [`rank`] by adding up every posting of the query's terms.
pub(super) fn rank_every(copy: &Copy, gate: &Gate<'_>, concepts: &Concepts<'_>, offset: usize, limit: usize) -> Vec<(i64, i64, i64)> {
    let wanted = offset.saturating_add(limit);
    let mut top: BinaryHeap<Reverse<(i64, i64, i64)>> = BinaryHeap::with_capacity(wanted.saturating_add(1));
    SCRATCH.with_borrow_mut(|x| {
        x.fit(copy.ids.len());
        let mut seen: Vec<u32> = Vec::new();
        for lists in concepts {
            if let [(list, weight)] = lists.as_slice() {
                // One term: its posting is the concept's best.
                for p in *list {
                    if !gate.lets(p.slot, p.bucket) {
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
            for (list, weight) in lists {
                for p in *list {
                    if !gate.lets(p.slot, p.bucket) {
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
pub(super) fn rank_all_held(copy: &Copy, gate: &Gate<'_>, lists: &Concepts<'_>, offset: usize, limit: usize) -> Option<Vec<(i64, i64, i64)>> {
    let size = |l: &Vec<(&[Posting], i64)>| l.iter().map(|x| x.0.len()).sum::<usize>();
    let driver = (0..lists.len()).min_by_key(|i| lists.get(*i).map(size).unwrap_or(0))?;
    let wanted = offset.saturating_add(limit);
    let held = lists.len() as i64;
    let mut top: BinaryHeap<Reverse<(i64, i64, i64)>> = BinaryHeap::with_capacity(wanted.saturating_add(1));
    let mut found = 0usize;
    let mut cursors: Vec<Vec<usize>> = lists.iter().map(|l| vec![0; l.len()]).collect();
    let mut driving = Merge::new(lists.get(driver)?);
    while let Some((slot, bucket, best)) = driving.next() {
        if !gate.lets(slot, bucket) {
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
                .filter_map(|((list, weight), at)| {
                    seek(list, at, slot).filter(|p| gate.open.get(p.bucket as usize).copied().unwrap_or(false)).map(|p| p.impact.saturating_mul(*weight))
                })
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
