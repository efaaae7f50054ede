//! The bookkeeping of one ranked search, apart from the database: which postings have been
//! read, what each item met so far is known to score at least and could score at most, which
//! items are worth the price of a full score, and when the page is certain.
//!
//! The order is that of [`crate::knowledge::search`]: most of the query's words (concepts)
//! first, then the score — per concept the best `impact × weight` of its terms, summed —, then
//! the newest id. Each term's postings are read best first, so the last impact read bounds
//! every posting not read yet (the threshold algorithm), and an item is scored in full (a
//! probe of its postings) only when its upper bound can still reach the page (the "combined
//! algorithm" of Fagin, Lotem and Naor); an item seen in every term it could hold needs no
//! probe at all.

use std::collections::BTreeMap;

/// (concepts, score): compared lexicographically.
pub type Key = (i64, i64);

/// One term of the search and how far its postings have been read.
#[derive(Debug, Clone)]
struct Term {
    weight: i64,
    /// The term's concept, numbered densely from 0.
    concept: usize,
    /// The last (impact, item) read; `None`: nothing yet.
    last: Option<(i64, i64)>,
    done: bool,
}

/// An item met in some term's postings.
#[derive(Debug, Clone)]
struct Met {
    /// Per term, the impact read for this item (`None`: not read).
    seen: Vec<Option<i64>>,
    /// The full score, once known.
    exact: Option<Key>,
}

/// The state of one ranked search.
#[derive(Debug, Clone)]
pub struct Ranking {
    terms: Vec<Term>,
    /// How many concepts the terms have.
    concepts: usize,
    items: BTreeMap<i64, Met>,
    /// offset + limit: the items the page needs ranked above the rest.
    wanted: usize,
}

impl Ranking {
    /// A search for `weights` (term, weight, concept), for a page ending at `wanted`.
    pub fn new(weights: &[(String, i64, i64)], wanted: usize) -> Self {
        let mut ids: Vec<i64> = weights.iter().map(|w| w.2).collect();
        ids.sort_unstable();
        ids.dedup();
        let terms = weights.iter().map(|(_, w, c)| Term { weight: *w, concept: ids.binary_search(c).unwrap_or(0), last: None, done: false }).collect();
        Ranking { terms, concepts: ids.len(), items: BTreeMap::new(), wanted }
    }

    /// The terms whose postings are not all read, with where to go on from.
    pub fn open(&self) -> Vec<(usize, Option<(i64, i64)>)> {
        self.terms.iter().enumerate().filter(|(_, t)| !t.done).map(|(i, t)| (i, t.last)).collect()
    }

    /// Records the next postings of term `t` (item, impact), best first; `complete` when
    /// they were the last.
    pub fn read(&mut self, t: usize, rows: &[(i64, i64)], complete: bool) {
        let n = self.terms.len();
        let Some(term) = self.terms.get_mut(t) else { return };
        term.done = complete;
        if let Some((item, impact)) = rows.last() {
            term.last = Some((*impact, *item));
        }
        for (item, impact) in rows {
            let met = self.items.entry(*item).or_insert_with(|| Met { seen: vec![None; n], exact: None });
            if let Some(s) = met.seen.get_mut(t) {
                *s = Some(*impact);
            }
        }
    }

    /// The best still unread of term `t`, weighted (0 when all is read).
    fn unread(&self, t: usize) -> i64 {
        match self.terms.get(t) {
            Some(term) if !term.done => term.last.map(|l| l.0).unwrap_or(i64::MAX / 4_000_000).saturating_mul(term.weight),
            _ => 0,
        }
    }

    /// (lower, upper) bound of an item from what was read: the lower bound counts the postings
    /// read, the upper adds per concept the best it could still hold unread.
    fn bounds(&self, met: &Met) -> (Key, Key) {
        // Per concept the best read (-1: none) and the best possible (0: none).
        let mut low = vec![-1i64; self.concepts];
        let mut high = vec![-1i64; self.concepts];
        for (t, term) in self.terms.iter().enumerate() {
            let here = match met.seen.get(t).copied().flatten() {
                Some(impact) => {
                    let v = impact.saturating_mul(term.weight);
                    if let Some(e) = low.get_mut(term.concept) {
                        *e = (*e).max(v);
                    }
                    Some(v)
                }
                // Not read: it may still come unless the term is read to the end.
                None => (!term.done).then(|| self.unread(t)),
            };
            if let (Some(h), Some(e)) = (here, high.get_mut(term.concept)) {
                *e = (*e).max(h);
            }
        }
        let key = |v: &[i64]| -> Key { (v.iter().filter(|x| **x >= 0).count() as i64, v.iter().filter(|x| **x >= 0).sum()) };
        (key(&low), key(&high))
    }

    /// Marks as exact the items seen in every term they could still hold (nothing unread can
    /// change their score).
    pub fn settle(&mut self) {
        let open: Vec<bool> = self.terms.iter().map(|t| !t.done).collect();
        let ids: Vec<i64> = self.items.iter().filter(|(_, m)| m.exact.is_none() && m.seen.iter().zip(&open).all(|(s, o)| s.is_some() || !o)).map(|(id, _)| *id).collect();
        for id in ids {
            if let Some(met) = self.items.get(&id) {
                let (low, _) = self.bounds(met);
                if let Some(m) = self.items.get_mut(&id) {
                    m.exact = Some(low);
                }
            }
        }
    }

    /// The key the page's last item is known to reach at least (`None`: fewer items met).
    fn threshold(&self) -> Option<Key> {
        if self.wanted == 0 {
            return None;
        }
        let mut lows: Vec<Key> = self.items.values().map(|m| m.exact.unwrap_or_else(|| self.bounds(m).0)).collect();
        if lows.len() < self.wanted {
            return None;
        }
        lows.sort_unstable_by(|a, b| b.cmp(a));
        lows.get(self.wanted - 1).copied()
    }

    /// The items worth a full score: not exact, and able to reach the page (none while fewer
    /// items than the page holds have been met: reading on is needed anyway).
    pub fn to_probe(&self) -> Vec<i64> {
        let Some(tau) = self.threshold() else { return Vec::new() };
        self.items.iter().filter(|(_, m)| m.exact.is_none() && self.bounds(m).1 >= tau).map(|(id, _)| *id).collect()
    }

    /// The full score of item `id`.
    pub fn scored(&mut self, id: i64, key: Key) {
        if let Some(m) = self.items.get_mut(&id) {
            m.exact = Some(key);
        }
    }

    /// Whether the page is certain: no item not met could reach it, and every item met that
    /// could is scored in full.
    pub fn finished(&self) -> bool {
        if self.terms.iter().all(|t| t.done) {
            return self.items.values().all(|m| m.exact.is_some());
        }
        let Some(tau) = self.threshold() else { return false };
        let mut reach = vec![0i64; self.concepts];
        for (t, term) in self.terms.iter().enumerate().filter(|(_, t)| !t.done) {
            if let Some(e) = reach.get_mut(term.concept) {
                *e = (*e).max(self.unread(t));
            }
        }
        let unseen: Key = (reach.iter().filter(|x| **x > 0).count() as i64, reach.iter().sum());
        unseen < tau && self.items.values().all(|m| m.exact.is_some() || self.bounds(m).1 < tau)
    }

    /// The ranked (concepts, score, id) of the page: `limit` after `offset`.
    pub fn page(&self, offset: usize, limit: usize) -> Vec<(i64, i64, i64)> {
        let mut ranked: Vec<(i64, i64, i64)> = self.items.iter().filter_map(|(id, m)| m.exact.map(|(k, s)| (k, s, *id))).collect();
        ranked.sort_unstable_by(|a, b| b.cmp(a));
        ranked.into_iter().skip(offset).take(limit).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::{Key, Ranking};
    use std::collections::BTreeMap;

    /// The exact key of an item from all its postings.
    fn full(postings: &BTreeMap<(usize, i64), i64>, weights: &[(String, i64, i64)], item: i64) -> Option<Key> {
        let mut best: BTreeMap<i64, i64> = BTreeMap::new();
        for (t, (_, w, c)) in weights.iter().enumerate() {
            if let Some(i) = postings.get(&(t, item)) {
                let e = best.entry(*c).or_default();
                *e = (*e).max(i * w);
            }
        }
        (!best.is_empty()).then(|| (best.len() as i64, best.values().sum()))
    }

    /// Runs a ranking over in-memory postings the way the store does; the page and how many
    /// probes it needed.
    fn run(postings: &BTreeMap<(usize, i64), i64>, weights: &[(String, i64, i64)], offset: usize, limit: usize) -> (Vec<(i64, i64, i64)>, usize) {
        let mut r = Ranking::new(weights, offset + limit);
        let mut read = 2usize;
        let mut probes = 0;
        loop {
            for (t, last) in r.open() {
                let mut list: Vec<(i64, i64)> = postings.iter().filter(|((tt, _), _)| *tt == t).map(|((_, item), impact)| (*item, *impact)).collect();
                list.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
                let rest: Vec<(i64, i64)> =
                    list.into_iter().filter(|(item, impact)| last.is_none_or(|(li, lid)| *impact < li || (*impact == li && *item < lid))).take(read).collect();
                let complete = rest.len() < read;
                r.read(t, &rest, complete);
            }
            r.settle();
            for id in r.to_probe() {
                probes += 1;
                if let Some(k) = full(postings, weights, id) {
                    r.scored(id, k);
                }
            }
            if r.finished() {
                break;
            }
            read *= 4;
        }
        (r.page(offset, limit), probes)
    }

    fn every(postings: &BTreeMap<(usize, i64), i64>, weights: &[(String, i64, i64)], offset: usize, limit: usize) -> Vec<(i64, i64, i64)> {
        let items: std::collections::BTreeSet<i64> = postings.keys().map(|k| k.1).collect();
        let mut all: Vec<(i64, i64, i64)> = items.into_iter().filter_map(|id| full(postings, weights, id).map(|(k, s)| (k, s, id))).collect();
        all.sort_unstable_by(|a, b| b.cmp(a));
        all.into_iter().skip(offset).take(limit).collect()
    }

    #[test]
    fn the_page_equals_ranking_everything_with_fewer_probes() {
        let mut seed = 11u64;
        let mut next = |m: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % m
        };
        // Items not probed, of all items holding a term: most of them, or the bound is useless.
        let (mut saved, mut total) = (0, 0);
        for case in 0..300 {
            let terms = 1 + next(5) as usize;
            let weights: Vec<(String, i64, i64)> = (0..terms).map(|t| (format!("t{t}"), 500 + next(1500) as i64, next(terms as u64) as i64)).collect();
            let mut postings = BTreeMap::new();
            let items = 20 + next(400) as i64;
            for t in 0..terms {
                let share = 1 + next(9);
                for item in 0..items {
                    if next(10) < share {
                        // Few distinct impacts: plateaus, as BM25 over a constant length makes.
                        postings.insert((t, item), 100 + 50 * next(6) as i64);
                    }
                }
            }
            for (offset, limit) in [(0, 10), (10, 10), (0, 1), (5, 40)] {
                let (got, probes) = run(&postings, &weights, offset, limit);
                assert_eq!(got, every(&postings, &weights, offset, limit), "case {case}, weights {weights:?}, page ({offset}, {limit})");
                let items = postings.keys().map(|k| k.1).collect::<std::collections::BTreeSet<_>>().len();
                saved += items.saturating_sub(probes);
                total += items;
            }
        }
        assert!(saved * 2 > total, "{saved} of {total} items not probed");
    }
}
