//! Linking two lists of records: blocking, comparison, estimation of the model on the
//! candidate pairs, and the pairs above a declared match probability, handed out one by one.
//!
//! Estimation reads only how often each comparison pattern occurs ([`Tally`]), so the candidate
//! pairs need not be held: within [`LinkOptions::hold_bytes`] they are kept from comparing to
//! scoring, beyond it they are dropped and compared again for scoring, batch by batch. The
//! pairs found are streamed to the caller in the order of the left records.

use crate::blocking::{keys, BlockingReport, Index, IndexBuilder};
use crate::compare::Agreement;
use crate::model::{group, Explanation, Model, Pattern, GROUPS};
use crate::packed::Packed;
use crate::record::Record;
use crate::tally::{code, pattern, Code, Tally};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

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
    /// Bytes the candidate pairs may take while the model is estimated (ten per pair); past
    /// it they are compared a second time for scoring. `None`: no limit.
    pub hold_bytes: Option<u64>,
}

impl Default for LinkOptions {
    fn default() -> Self {
        LinkOptions { threshold: 0.9, estimate: true, em_iterations: 30, u_samples: 200_000, seed: 0x6b6e_6f6f_7070_756e, hold_bytes: None }
    }
}

/// One scored pair: indices into the left and right lists.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub left: usize,
    pub right: usize,
    pub explanation: Explanation,
}

/// What a streamed link did.
#[derive(Debug, Clone)]
pub struct Summary {
    /// The model the pairs were scored with (estimated, when asked).
    pub model: Model,
    pub blocking: BlockingReport,
    /// The candidate pairs did not fit in [`LinkOptions::hold_bytes`] and were compared twice.
    pub compared_twice: bool,
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

/// The model of a linkage, the same for clear, encoded and background linking: `u` from
/// `random`, a sample of the `product` pairs of the two lists (`None` for a pair that is not
/// comparable); `m` from the `anchors` among the `candidates` when there are at least 50,
/// otherwise by EM per blocking round; then the prior over all comparable pairs (see
/// [`Model::fit_prior`]); last the household model on the candidates (see
/// [`Model::with_household`]).
pub fn estimate(start: &Model, product: f64, random: impl IntoIterator<Item = Option<Pattern>>, candidates: &Tally, anchors: &Tally, iterations: usize) -> Model {
    let (with_u, population) = with_u_and_population(start, product, random);
    let (patterns, anchors) = (candidates.distinct(), anchors.distinct());
    let with_m = if anchors.iter().map(|(_, n)| n).sum::<f64>() >= 50.0 { with_u.m_from_anchors(&anchors) } else { with_u.estimate_in_rounds(&patterns, iterations) };
    with_m.fit_prior(&patterns, population, iterations).with_household(&patterns, iterations)
}

/// `u` from the comparable pairs of a random sample, and per [`group`] the number of
/// comparable pairs among the `product` pairs the sample was drawn from, by the sample's share
/// of such pairs.
fn with_u_and_population(start: &Model, product: f64, sample: impl IntoIterator<Item = Option<Pattern>>) -> (Model, [f64; GROUPS]) {
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

/// Links `left` to `right` and collects the pairs. Work is bounded by the blocking: at most
/// `keys × MAX_BLOCK` comparisons per left record.
pub fn link(left: &[Record], right: &[Record], start: &Model, opts: &LinkOptions) -> Linked {
    let prepared = Prepared { index: Index::build(right), packed: Packed::new(right) };
    let mut pairs = Vec::new();
    let summary = link_prepared(left, &prepared, start, opts, &AtomicU64::new(0), &mut |p| {
        pairs.push(p);
        Ok::<(), std::convert::Infallible>(())
    });
    match summary {
        Ok(s) => Linked { pairs, model: s.model, blocking: s.blocking },
        Err(never) => match never {},
    }
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
        let mut preparing = Preparing::default();
        preparing.add(&right);
        drop(right);
        preparing.finish()
    }

    pub fn len(&self) -> usize {
        self.packed.len()
    }

    pub fn is_empty(&self) -> bool {
        self.packed.is_empty()
    }
}

/// A [`Prepared`] side built from its records a chunk at a time, so they are never all held:
/// only their blocking keys and packed copies are kept.
#[derive(Debug, Default)]
pub struct Preparing {
    index: IndexBuilder,
    packed: Packed,
}

impl Preparing {
    /// Adds the next `records` (numbered on from those added before).
    pub fn add(&mut self, records: &[Record]) {
        self.index.add(records);
        self.packed.extend(records);
    }

    pub fn finish(self) -> Prepared {
        Prepared { index: self.index.finish(), packed: self.packed }
    }
}

/// Candidate pairs held from comparing to scoring, with their pattern codes.
type Held = (Vec<(u32, u32)>, Vec<Code>);

/// One thread's part of the first pass: the tallies, what blocking skipped, and the candidate
/// pairs with their pattern codes while they fit.
#[derive(Default)]
struct Part {
    tally: Tally,
    anchors: Tally,
    blocking: BlockingReport,
    held: Option<Held>,
}

/// Bytes held per candidate pair: its two indices and its pattern code.
const HELD_PAIR_BYTES: u64 = 10;

/// Left records scored per batch when the candidates are compared a second time.
const SCORE_BATCH: usize = 1 << 16;

/// Compares the left record `l` (number `i`) with each comparable candidate blocking gives it,
/// on the packed copies `(left, right)`, and hands `f` the candidate and the pattern.
fn compare_candidates(l: &Record, i: usize, index: &Index, (pl, pr): (&Packed, &Packed), report: &mut BlockingReport, mut f: impl FnMut(u32, Pattern)) {
    if !l.is_matchable() {
        return;
    }
    for j in index.candidates(l, &keys(l), report) {
        if pl.comparable(i, pr, j as usize) {
            f(j, pl.compare(i, pr, j as usize));
        }
    }
}

fn threads() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

/// How many candidate pairs may be held while the first pass runs, and whether all threads
/// together went past it.
struct Holding {
    budget: u64,
    bytes: AtomicU64,
    over: AtomicBool,
}

/// The left records `records`, packed in `packed` from position `first` on and numbered from
/// `base` in the output, split over the cores.
#[derive(Clone, Copy)]
struct Chunk<'a> {
    records: &'a [Record],
    packed: &'a Packed,
    first: usize,
    base: usize,
}

impl<'a> Chunk<'a> {
    /// The parts of the chunk the cores take, with their positions in `packed` and numbers.
    fn parts(self) -> impl Iterator<Item = (&'a [Record], usize, usize)> {
        let size = self.records.len().div_ceil(threads()).max(1);
        self.records.chunks(size).enumerate().map(move |(c, part)| (part, self.first + c * size, self.base + c * size))
    }
}

/// Pass 1 over a chunk, on every core: tallies the patterns of its candidate pairs; with
/// `holding`, holds the pairs (by their numbers) while all threads together stay within it.
fn tally_chunk(chunk: Chunk<'_>, right: &Prepared, holding: Option<&Holding>, compared: &AtomicU64) -> Vec<Part> {
    let (index, pr, pl) = (&right.index, &right.packed, chunk.packed);
    std::thread::scope(|s| {
        let handles: Vec<_> = chunk
            .parts()
            .map(|(part, first, base)| {
                s.spawn(move || {
                    let mut out = Part { held: holding.map(|_| (Vec::new(), Vec::new())), ..Part::default() };
                    let mut accounted = 0u64;
                    for (k, l) in part.iter().enumerate() {
                        compared.fetch_add(1, Ordering::Relaxed);
                        let (i, n) = (first + k, (base + k) as u32);
                        let (tally, anchors, held) = (&mut out.tally, &mut out.anchors, &mut out.held);
                        compare_candidates(l, i, index, (pl, pr), &mut out.blocking, |j, p| {
                            tally.add(&p);
                            if p[0] == Agreement::Exact && pl.is_anchor(i, pr, j as usize) {
                                anchors.add(&p);
                            }
                            if let Some((pairs, codes)) = held {
                                pairs.push((n, j));
                                codes.push(code(&p));
                            }
                        });
                        let (Some(h), Some((pairs, _))) = (holding, &out.held) else { continue };
                        // What this thread holds, by capacity, added to the shared count.
                        let now = pairs.capacity() as u64 * HELD_PAIR_BYTES;
                        if now != accounted {
                            let total = h.bytes.fetch_add(now - accounted, Ordering::Relaxed) + now - accounted;
                            accounted = now;
                            if total > h.budget {
                                h.over.store(true, Ordering::Relaxed);
                            }
                        }
                        if h.over.load(Ordering::Relaxed) {
                            out.held = None;
                        }
                    }
                    out
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_default()).collect()
    })
}

/// Scores pairs with a model: only patterns that can reach the threshold (or share an
/// identifier) get the full score.
struct Scorer<'a> {
    model: &'a Model,
    threshold: f64,
    promising: Vec<bool>,
}

impl Scorer<'_> {
    fn new(model: &Model, threshold: f64) -> Scorer<'_> {
        let promising = (0..1usize << 16)
            .map(|c| {
                let p = pattern(c as Code);
                p[0] == Agreement::Exact || model.probability(&p) >= threshold
            })
            .collect();
        Scorer { model, threshold, promising }
    }

    /// The explanation of record `i` of `pl` and `j` of `pr` with pattern code `c`, when it
    /// reaches the threshold.
    fn score(&self, (pl, i): (&Packed, usize), (pr, j): (&Packed, usize), c: Code) -> Option<Explanation> {
        if !self.promising.get(usize::from(c)).copied().unwrap_or(true) {
            return None;
        }
        Some(pl.score(i, pr, j, self.model)).filter(|e| e.probability >= self.threshold)
    }
}

/// Pass 2 over a chunk, on every core: compares again and scores; the pairs found, in order.
fn score_chunk(chunk: Chunk<'_>, right: &Prepared, scorer: &Scorer<'_>, compared: &AtomicU64) -> Vec<Pair> {
    let (index, pr, pl) = (&right.index, &right.packed, chunk.packed);
    let found: Vec<Vec<Pair>> = std::thread::scope(|s| {
        let handles: Vec<_> = chunk
            .parts()
            .map(|(part, first, base)| {
                s.spawn(move || {
                    let mut found = Vec::new();
                    let mut skipped = BlockingReport::default();
                    for (k, l) in part.iter().enumerate() {
                        compared.fetch_add(1, Ordering::Relaxed);
                        let i = first + k;
                        compare_candidates(l, i, index, (pl, pr), &mut skipped, |j, p| {
                            if let Some(explanation) = scorer.score((pl, i), (pr, j as usize), code(&p)) {
                                found.push(Pair { left: base + k, right: j as usize, explanation });
                            }
                        });
                    }
                    found
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_default()).collect()
    });
    found.into_iter().flatten().collect()
}

/// Merges the tallies and blocking reports of pass 1's parts into `into`.
fn merge(into: &mut (Tally, Tally, BlockingReport), parts: &[Part]) {
    for part in parts {
        into.0.merge(&part.tally);
        into.1.merge(&part.anchors);
        into.2.merge(&part.blocking);
    }
}

/// The model the pairs are scored with: estimated from the `tallies` (all candidates, anchors)
/// and the `random` pairs drawn from the `product` pairs when asked and there are candidates
/// (the random pairs are compared only then), otherwise `start`.
fn fitted(start: &Model, opts: &LinkOptions, product: f64, random: impl IntoIterator<Item = Option<Pattern>>, (tally, anchors): (&Tally, &Tally)) -> Model {
    if opts.estimate && tally.total() > 0 {
        estimate(start, product, random, tally, anchors, opts.em_iterations)
    } else {
        start.clone()
    }
}

/// Links `left` against a prepared right side and hands every pair at or above the threshold
/// to `emit`, in the order of the left records (an error from `emit` stops the work and is
/// returned). Adds to `compared` each left record whose candidates have been compared (another
/// thread can read it for a progress bar; it starts again from 0 when the pairs are compared a
/// second time).
pub fn link_prepared<E>(
    left: &[Record],
    right: &Prepared,
    start: &Model,
    opts: &LinkOptions,
    compared: &AtomicU64,
    emit: &mut dyn FnMut(Pair) -> Result<(), E>,
) -> Result<Summary, E> {
    let packed_right = &right.packed;
    let packed_left = Packed::new(left);
    let whole = Chunk { records: left, packed: &packed_left, first: 0, base: 0 };
    let holding = Holding { budget: opts.hold_bytes.unwrap_or(u64::MAX), bytes: AtomicU64::new(0), over: AtomicBool::new(false) };
    // Pass 1: tally the patterns; hold the pairs while all threads together stay within the budget.
    let parts = tally_chunk(whole, right, Some(&holding), compared);
    let compared_twice = holding.over.load(Ordering::Relaxed) || parts.iter().any(|p| p.held.is_none());
    let mut sums = Default::default();
    merge(&mut sums, &parts);
    let (tally, anchors, blocking) = sums;
    let random = random_pairs(left.len(), packed_right.len(), opts.u_samples, opts.seed)
        .map(|(i, j)| packed_left.comparable(i, packed_right, j).then(|| packed_left.compare(i, packed_right, j)));
    let model = fitted(start, opts, left.len() as f64 * packed_right.len() as f64, random, (&tally, &anchors));
    let scorer = Scorer::new(&model, opts.threshold);
    if !compared_twice {
        for part in parts {
            let Some((pairs, codes)) = part.held else { continue };
            for (&(i, j), c) in pairs.iter().zip(codes) {
                if let Some(explanation) = scorer.score((&packed_left, i as usize), (packed_right, j as usize), c) {
                    emit(Pair { left: i as usize, right: j as usize, explanation })?;
                }
            }
        }
        return Ok(Summary { model, blocking, compared_twice });
    }
    drop(parts);
    // Pass 2: compared again, a batch of left records at a time on every core; each batch's
    // pairs are handed out in order before the next is compared.
    compared.store(0, Ordering::Relaxed);
    for (b, batch) in left.chunks(SCORE_BATCH).enumerate() {
        let at = b * SCORE_BATCH;
        for pair in score_chunk(Chunk { records: batch, packed: &packed_left, first: at, base: at }, right, &scorer, compared) {
            emit(pair)?;
        }
    }
    Ok(Summary { model, blocking, compared_twice })
}

/// The left side of a streamed link, read once for each pass (see [`link_streamed`]).
pub trait Passes<E> {
    /// The number of records, known before the first pass.
    fn len(&self) -> usize;

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Reads the side from its start and hands `f` its records a chunk at a time, in order:
    /// the same records on every pass (an implementation reports a changed source as an error).
    fn pass(&mut self, f: &mut dyn FnMut(&[Record]) -> Result<(), E>) -> Result<(), E>;
}

/// [`link_prepared`] for a left side too large to hold: it is read twice, a chunk at a time —
/// once to tally the patterns and keep the records the `u` sample draws (packed), once to
/// score. The pairs, the model and the order are those of [`link_prepared`] on the same records.
pub fn link_streamed<E>(
    left: &mut dyn Passes<E>,
    right: &Prepared,
    start: &Model,
    opts: &LinkOptions,
    compared: &AtomicU64,
    emit: &mut dyn FnMut(Pair) -> Result<(), E>,
) -> Result<Summary, E> {
    let (n, packed_right) = (left.len(), &right.packed);
    // The random pairs of the u sample are those link_prepared draws; their left records are
    // kept as they pass, in `sample`, at their place in `wanted`.
    let random: Vec<(usize, usize)> = if opts.estimate { random_pairs(n, packed_right.len(), opts.u_samples, opts.seed).collect() } else { Vec::new() };
    let mut wanted: Vec<usize> = random.iter().map(|p| p.0).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut sample = Packed::default();
    let mut sums = Default::default();
    let mut base = 0;
    left.pass(&mut |records| {
        let packed = Packed::new(records);
        merge(&mut sums, &tally_chunk(Chunk { records, packed: &packed, first: 0, base }, right, None, compared));
        let end = base + records.len();
        let from = wanted.partition_point(|&i| i < base);
        let to = wanted.partition_point(|&i| i < end);
        sample.extend(wanted.get(from..to).unwrap_or_default().iter().filter_map(|&i| records.get(i - base)));
        base = end;
        Ok(())
    })?;
    let (tally, anchors, blocking) = sums;
    let random = random.iter().map(|&(i, j)| {
        let k = wanted.binary_search(&i).ok().filter(|&k| k < sample.len())?;
        sample.comparable(k, packed_right, j).then(|| sample.compare(k, packed_right, j))
    });
    let model = fitted(start, opts, n as f64 * packed_right.len() as f64, random, (&tally, &anchors));
    drop(sample);
    let scorer = Scorer::new(&model, opts.threshold);
    compared.store(0, Ordering::Relaxed);
    let mut base = 0;
    left.pass(&mut |records| {
        let packed = Packed::new(records);
        for pair in score_chunk(Chunk { records, packed: &packed, first: 0, base }, right, &scorer, compared) {
            emit(pair)?;
        }
        base += records.len();
        Ok(())
    })?;
    Ok(Summary { model, blocking, compared_twice: true })
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

    /// Two hundred people and their variants, a few per household.
    fn households() -> (Vec<Record>, Vec<Record>) {
        let given = ["Jan", "Piet", "Anna", "Fatima", "Mohammed", "Els", "Kees", "Sanne"];
        let surname = ["Jansen", "de Vries", "Bakker", "Yilmaz", "van Dijk", "El Amrani", "Visser", "Smit", "Mulder", "de Boer"];
        let mut left = Vec::new();
        let mut right = Vec::new();
        for n in 0..200u32 {
            let (g, s) = (given[n as usize % 8], surname[(n as usize / 8) % 10]);
            let born = format!("19{:02}-{:02}-{:02}", 40 + n % 50, 1 + n % 12, 1 + n % 28);
            let postcode = format!("{}AB", 1000 + n / 3);
            left.push(person(n, g, s, &born, &postcode));
            let variant = if n % 5 == 0 { format!("{g}e") } else { g.to_string() };
            right.push(person(n, &variant, s, &born, &postcode));
        }
        (left, right)
    }

    #[test]
    fn pairs_compared_twice_are_the_pairs_held() {
        // With estimation.
        let (left, right) = households();
        let opts = LinkOptions { u_samples: 20_000, ..LinkOptions::default() };
        let prepared = Prepared::new(right);
        let run = |hold_bytes| {
            let mut pairs = Vec::new();
            let summary = link_prepared(&left, &prepared, &Model::default(), &LinkOptions { hold_bytes, ..opts.clone() }, &AtomicU64::new(0), &mut |p| {
                pairs.push(p);
                Ok::<(), ()>(())
            });
            (pairs, summary.map(|s| (s.compared_twice, s.model.prior)))
        };
        let (held, held_summary) = run(None);
        let (again, again_summary) = run(Some(0));
        assert!(held.len() >= 150, "{}", held.len());
        assert_eq!(held, again);
        assert_eq!(held_summary.map(|s| s.1), again_summary.map(|s| s.1));
        assert_eq!(run(None).1.map(|s| s.0), Ok(false));
        assert_eq!(run(Some(0)).1.map(|s| s.0), Ok(true));
        // An error from the sink stops the work and comes back.
        let mut n = 0;
        let stopped = link_prepared(&left, &prepared, &Model::default(), &LinkOptions { hold_bytes: Some(0), ..opts }, &AtomicU64::new(0), &mut |_| {
            n += 1;
            if n == 3 {
                Err("vol")
            } else {
                Ok(())
            }
        });
        assert_eq!(stopped.err(), Some("vol"));
        assert_eq!(n, 3);
    }

    /// A left side read from a slice, `size` records a chunk, counting its passes.
    struct Slice<'a> {
        records: &'a [Record],
        size: usize,
        passes: usize,
    }

    impl Passes<()> for Slice<'_> {
        fn len(&self) -> usize {
            self.records.len()
        }

        fn pass(&mut self, f: &mut dyn FnMut(&[Record]) -> Result<(), ()>) -> Result<(), ()> {
            self.passes += 1;
            self.records.chunks(self.size).try_for_each(f)
        }
    }

    #[test]
    fn a_streamed_left_side_gives_the_pairs_and_model_of_one_held_whole() {
        let (left, right) = households();
        // Built from chunks, the right side is the one built whole.
        let mut preparing = Preparing::default();
        right.chunks(7).for_each(|c| preparing.add(c));
        let (chunked, whole) = (preparing.finish(), Prepared::new(right));
        for estimate in [true, false] {
            let opts = LinkOptions { u_samples: 20_000, estimate, ..LinkOptions::default() };
            let mut held = Vec::new();
            let held_summary = link_prepared(&left, &whole, &Model::default(), &opts, &AtomicU64::new(0), &mut |p| {
                held.push(p);
                Ok::<(), ()>(())
            });
            // Chunks of 7 and 64 do not divide the threads' parts or the 200 records evenly.
            for size in [7, 64, 1000] {
                let mut streamed = Vec::new();
                let mut source = Slice { records: &left, size, passes: 0 };
                let summary = link_streamed(&mut source, &chunked, &Model::default(), &opts, &AtomicU64::new(0), &mut |p| {
                    streamed.push(p);
                    Ok(())
                });
                assert!(held.len() >= 150, "{}", held.len());
                assert_eq!(streamed, held, "chunks of {size}");
                let (a, b) = (summary.as_ref().map(|s| (s.model.prior, s.blocking.candidate_pairs)), held_summary.as_ref().map(|s| (s.model.prior, s.blocking.candidate_pairs)));
                assert_eq!(a, b);
                assert_eq!(source.passes, 2);
            }
        }
    }
}
