//! Linking two lists of records: blocking, comparison, EM estimation of the model on the
//! candidate pairs, and the pairs above a declared match probability.

use crate::blocking::{keys, BlockingReport, Index};
use crate::model::{group, Explanation, Model, Pattern, GROUPS};
use crate::packed::Packed;
use crate::record::Record;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug, Clone, PartialEq)]
pub struct LinkOptions {
    /// Pairs with a match probability at or above this are reported.
    pub threshold: f64,
    /// Estimate `m`/`u` and the prior from the candidate pairs (EM) before scoring.
    pub estimate: bool,
    pub em_iterations: usize,
    /// Random pairs sampled to estimate `u`, and the seed of that sample.
    pub u_samples: usize,
    pub seed: u64,
}

impl Default for LinkOptions {
    fn default() -> Self {
        LinkOptions { threshold: 0.9, estimate: true, em_iterations: 30, u_samples: 200_000, seed: 0x6b6e_6f6f_7070_756e }
    }
}

/// One scored pair: indices into the left and right lists.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub left: usize,
    pub right: usize,
    pub explanation: Explanation,
}

#[derive(Debug, Clone)]
pub struct Linked {
    pub pairs: Vec<Pair>,
    /// The model the pairs were scored with (estimated, when asked).
    pub model: Model,
    pub blocking: BlockingReport,
}

/// A pair that shares a unique identifier (BSN, KvK, …): a match, usable as an anchor.
pub fn is_anchor(a: &Record, b: &Record) -> bool {
    matches!(crate::model::compare_identifiers(a, b), (crate::compare::Agreement::Exact, Some(k)) if crate::model::is_unique(&k))
}

/// The model for `patterns` (all candidate pairs) with `u` already set: `m` from the anchor
/// pairs when there are at least 50, otherwise by EM per blocking round; then the prior over
/// the `population` of comparable pairs (see [`Model::fit_prior`]).
pub fn estimate(with_u: Model, patterns: &[Pattern], anchors: Vec<Pattern>, population: [f64; GROUPS], iterations: usize) -> Model {
    let with_m = if anchors.len() >= 50 { with_u.m_from_anchors(&anchors) } else { with_u.estimate_in_rounds(patterns, iterations) };
    with_m.fit_prior(patterns, population, iterations)
}

/// `u` from the comparable pairs of a random sample (`None` for a pair that is not
/// comparable), and per [`group`] the number of comparable pairs among the `product` pairs the
/// sample was drawn from, by the sample's share of such pairs.
pub fn with_u_and_population(start: &Model, product: f64, sample: impl IntoIterator<Item = Option<Pattern>>) -> (Model, [f64; GROUPS]) {
    let mut drawn = 0usize;
    let mut per_group = [0usize; GROUPS];
    let mut comparable = Vec::new();
    for p in sample {
        drawn += 1;
        if let Some(p) = p {
            per_group[group(&p)] += 1;
            comparable.push(p);
        }
    }
    let population = per_group.map(|n| if drawn == 0 { product } else { product * n as f64 / drawn as f64 });
    (start.with_u_from(comparable), population)
}

/// `n` pseudo-random index pairs from a seeded SplitMix64 (reproducible).
pub fn random_pairs(left: usize, right: usize, n: usize, seed: u64) -> impl Iterator<Item = (usize, usize)> {
    let mut state = seed;
    let mut next = move || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let n = if left == 0 || right == 0 { 0 } else { n };
    (0..n).map(move |_| ((next() % left as u64) as usize, (next() % right as u64) as usize))
}

/// One thread's candidates: the pairs, their patterns, and what blocking skipped.
type Part = (Vec<(u32, u32)>, Vec<Pattern>, BlockingReport);

/// Links `left` to `right`. Work is bounded by the blocking: at most
/// `keys × MAX_BLOCK` comparisons per left record.
pub fn link(left: &[Record], right: &[Record], start: &Model, opts: &LinkOptions) -> Linked {
    let index = Index::build(right);
    let packed_right = Packed::new(right);
    link_indexed(left, &index, &packed_right, start, opts, &AtomicU64::new(0))
}

/// One side prepared to be linked against: its blocking index and packed records. The
/// records themselves are no longer needed (see [`link_prepared`]).
#[derive(Debug)]
pub struct Prepared {
    index: Index,
    packed: Packed,
}

impl Prepared {
    /// Indexes and packs `right`, then drops it: at a million records a side, holding the
    /// records of both sides at once would be about a third of the memory.
    pub fn new(right: Vec<Record>) -> Prepared {
        let index = Index::build(&right);
        let packed = Packed::new(&right);
        Prepared { index, packed }
    }

    pub fn len(&self) -> usize {
        self.packed.len()
    }

    pub fn is_empty(&self) -> bool {
        self.packed.is_empty()
    }
}

/// [`link`] against a prepared right-hand side.
pub fn link_prepared(left: Vec<Record>, right: &Prepared, start: &Model, opts: &LinkOptions) -> Linked {
    link_indexed(&left, &right.index, &right.packed, start, opts, &AtomicU64::new(0))
}

/// [`link_prepared`], adding to `compared` each left record whose candidates have been
/// compared, as it goes (another thread can read it for a progress bar).
pub fn link_prepared_counting(left: Vec<Record>, right: &Prepared, start: &Model, opts: &LinkOptions, compared: &AtomicU64) -> Linked {
    link_indexed(&left, &right.index, &right.packed, start, opts, compared)
}

fn link_indexed(left: &[Record], index: &Index, packed_right: &Packed, start: &Model, opts: &LinkOptions, compared: &AtomicU64) -> Linked {
    let packed_left = Packed::new(left);
    // Candidates and their comparison patterns, on every core (the work is split by left record).
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let chunk = left.len().div_ceil(threads).max(1);
    // Per part: the candidate pairs, their comparison patterns (apart, so that estimation reads
    // them as one slice without a copy of the pairs), and what blocking skipped.
    let parts: Vec<Part> = std::thread::scope(|s| {
        let handles: Vec<_> = left
            .chunks(chunk)
            .enumerate()
            .map(|(c, part)| {
                let (pl, pr) = (&packed_left, packed_right);
                s.spawn(move || {
                    let mut blocking = BlockingReport::default();
                    let (mut found, mut patterns) = (Vec::new(), Vec::new());
                    for (k, l) in part.iter().enumerate() {
                        compared.fetch_add(1, Ordering::Relaxed);
                        if !l.is_matchable() {
                            continue;
                        }
                        let i = (c * chunk + k) as u32;
                        for j in index.candidates(&keys(l), &mut blocking) {
                            if pl.comparable(i as usize, pr, j as usize) {
                                found.push((i, j));
                                patterns.push(pl.compare(i as usize, pr, j as usize));
                            }
                        }
                    }
                    (found, patterns, blocking)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_default()).collect()
    });
    let mut blocking = BlockingReport::default();
    let mut pair_parts: Vec<Vec<(u32, u32)>> = Vec::with_capacity(parts.len());
    let mut patterns: Vec<Pattern> = Vec::with_capacity(parts.iter().map(|p| p.1.len()).sum());
    for (found, part_patterns, report) in parts {
        pair_parts.push(found);
        // Each part's patterns are freed once copied: the peak is one part, not all twice.
        patterns.extend_from_slice(&part_patterns);
        drop(part_patterns);
        blocking.candidate_pairs += report.candidate_pairs;
        for (k, n) in report.oversized {
            if !blocking.oversized.iter().any(|(x, _)| *x == k) {
                blocking.oversized.push((k, n));
            }
        }
    }
    let candidates = || pair_parts.iter().flatten().zip(&patterns).map(|(&(i, j), p)| (i, j, p));
    let model = if opts.estimate && !patterns.is_empty() {
        let random = random_pairs(left.len(), packed_right.len(), opts.u_samples, opts.seed)
            .map(|(i, j)| packed_left.comparable(i, packed_right, j).then(|| packed_left.compare(i, packed_right, j)));
        let (with_u, population) = with_u_and_population(start, left.len() as f64 * packed_right.len() as f64, random);
        let anchors = candidates()
            .filter(|(i, j, p)| p[0] == crate::compare::Agreement::Exact && packed_left.is_anchor(*i as usize, packed_right, *j as usize))
            .map(|(_, _, p)| *p)
            .collect();
        estimate(with_u, &patterns, anchors, population, opts.em_iterations)
    } else {
        start.clone()
    };
    let mut pairs = Vec::new();
    for (i, j, p) in candidates() {
        // Only pairs that can reach the threshold (or share an identifier) get the full score.
        if model.probability(p) >= opts.threshold || p[0] == crate::compare::Agreement::Exact {
            let explanation = packed_left.score(i as usize, packed_right, j as usize, &model);
            if explanation.probability >= opts.threshold {
                pairs.push(Pair { left: i as usize, right: j as usize, explanation });
            }
        }
    }
    Linked { pairs, model, blocking }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::RecordInput;

    fn person(_id: u32, given: &str, surname: &str, born: &str, postcode: &str) -> Record {
        Record::from_input(&RecordInput {
            kind: "persoon".into(),
            given_names: given.into(),
            surname: surname.into(),
            birth_date: born.into(),
            postcode: postcode.into(),
            house_number: "1".into(),
            ..RecordInput::default()
        })
        .0
    }

    #[test]
    fn links_variants_and_not_namesakes() {
        let left =
            vec![person(1, "Mohammed", "Özdemir", "1979-04-12", "1011AB"), person(2, "Jan", "Jansen", "1950-01-02", "9711AA"), person(3, "Anna", "Bakker", "1985-05-06", "")];
        let right = vec![
            person(1, "Mohamed", "Ozdemir", "1979-12-04", "1011AB"),
            person(2, "Jan", "Jansen", "1972-08-09", "5611EZ"),
            person(3, "Anna", "Bakker", "1985-05-06", "3011AA"),
            person(4, "Piet", "de Boer", "1960-01-01", ""),
        ];
        let linked = link(&left, &right, &Model::default(), &LinkOptions { estimate: false, ..LinkOptions::default() });
        let found: Vec<(usize, usize)> = linked.pairs.iter().map(|p| (p.left, p.right)).collect();
        assert_eq!(found, [(0, 0), (2, 2)]);
    }
}
