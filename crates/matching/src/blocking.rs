//! Blocking: only records that share a blocking key are compared. Every record gets a few
//! keys (identifiers, surname sound with birth year or initial, birth date with initial,
//! company name, address). A key shared by more than [`SPLIT_AT`] records on one side (an
//! identifier's typo variant by more than [`DENSE_SPLIT_AT`]) is split
//! by a second key — birth year, initial, postcode area or place, in turn ([`second_key`]) —
//! until its parts are small enough; a part still above [`MAX_BLOCK`] when the second keys run
//! out says little and is skipped (and reported), so a common name cannot explode the
//! candidate pairs.

use crate::record::{Kind, Record};
use std::cmp::Reverse;

/// The most records one side may have under one key (after splitting) before it is skipped.
pub const MAX_BLOCK: usize = 200;

/// Blocks with more records than this are split by a second key.
pub const SPLIT_AT: usize = 200;

/// Blocks of an identifier's deletion neighbourhood (`dn` keys) with more records than this
/// are split by a second key. Such a block holds a record and its typo variants; more says the
/// identifiers are short for the list (seven digits among a million records put several
/// records on every deletion), and compared in full they would make most candidate pairs.
pub const DENSE_SPLIT_AT: usize = 4;

/// The number of second keys (see [`second_key`]).
const LEVELS: u8 = 3;

/// The second key an oversized block is split by at `level` (1, 2, …): for persons the birth
/// year, the first initial, the postcode area; for companies and others the postcode area and
/// the place. An empty value is a value too (records without it stay together).
pub fn second_key(r: &Record, level: u8) -> String {
    let area = || r.address.as_deref().or((!r.postcode.is_empty()).then_some(r.postcode.as_str())).map(|p| p.chars().take(4).collect()).unwrap_or_default();
    match (r.kind, level) {
        (Kind::Person, 1) => r.birth.map(|(y, _, _)| y.to_string()).unwrap_or_default(),
        (Kind::Person, 2) => r.name.as_ref().and_then(|n| n.initials.chars().next()).map(String::from).unwrap_or_default(),
        (Kind::Person, 3) | (_, 1) => area(),
        (_, 2) => r.place.clone(),
        _ => String::new(),
    }
}

/// The blocking keys of a record. Keys start with the record kind, so a person never meets a
/// company.
pub fn keys(r: &Record) -> Vec<String> {
    let kind = match r.kind {
        Kind::Person => 'p',
        Kind::Company => 'c',
        Kind::Other => 'o',
    };
    let mut out = Vec::new();
    for (k, v) in &r.identifiers {
        out.push(format!("{kind}|id|{k}|{v}"));
        // One typo (a character changed, added, dropped or two swapped) leaves one of the
        // value's one-character deletions equal on both sides, or the value itself equal to a
        // deletion of the other: every deletion is a key (the "deletion neighbourhood"). Unlike
        // halves of the number, whose blocks hold a thousandth of all records for a 7-digit
        // number, these blocks stay small, so candidate pairs grow linearly.
        if v.len() >= 6 && v.is_ascii() {
            out.push(format!("{kind}|dn|{k}|{v}"));
            for i in 0..v.len() {
                out.push(format!("{kind}|dn|{k}|{}{}", &v[..i], &v[i + 1..]));
            }
        }
    }
    if let Some(n) = &r.name {
        let sk = n.surname_key.clone();
        let initial = n.initials.chars().next();
        if let Some((y, m, d)) = r.birth {
            if !sk.is_empty() {
                match initial {
                    Some(i) => out.push(format!("{kind}|sy|{sk}|{y}|{i}")),
                    None => out.push(format!("{kind}|sy|{sk}|{y}")),
                }
            }
            // Day and month in either order: a swap still meets.
            let (lo, hi) = if m <= d { (m, d) } else { (d, m) };
            if let Some(i) = initial {
                out.push(format!("{kind}|bd|{y}{lo:02}{hi:02}|{i}"));
            }
            // Another given name (roepnaam, initial): the surname sound with the birth date.
            if !sk.is_empty() {
                out.push(format!("{kind}|sb|{sk}|{y}{lo:02}{hi:02}"));
            }
            // A typo in the year: the surname sound with day, month and initial.
            if let (false, Some(i)) = (sk.is_empty(), initial) {
                out.push(format!("{kind}|sd|{sk}|{lo:02}{hi:02}|{i}"));
            }
            // Given name and surname swapped, or both misspelt: the birth date with the postcode.
            let postcode = r.address.as_deref().and_then(|a| a.get(..6)).or((!r.postcode.is_empty()).then_some(r.postcode.as_str()));
            if let Some(pc) = postcode {
                out.push(format!("{kind}|bp|{y}{lo:02}{hi:02}|{pc}"));
            }
        }
        // Without a birth date, the surname with the initial (with one, `sy` and `bd` do).
        match initial {
            _ if sk.is_empty() || r.birth.is_some() => {}
            Some(i) => out.push(format!("{kind}|si|{sk}|{i}")),
            None => out.push(format!("{kind}|s|{sk}")),
        }
        // A missing surname: the given name with the birth year, or with the postcode.
        if let Some(g) = n.given.first() {
            if let (Some((y, _, _)), true) = (r.birth, sk.is_empty()) {
                out.push(format!("{kind}|gy|{g}|{y}"));
            }
            if !r.postcode.is_empty() {
                out.push(format!("{kind}|gp|{g}|{}", r.postcode));
            }
        }
    }
    if !r.street.is_empty() {
        out.push(format!("{kind}|st|{}", r.street.replace(' ', "")));
    }
    if let Some(c) = &r.company {
        for name in std::iter::once(&c.core).chain(c.trade_name.iter()) {
            out.push(format!("{kind}|co|{}", name.replace(' ', "")));
            // The first distinguishing word with the place or postcode catches longer variants.
            if let Some(first) = name.split(' ').next() {
                if let Some(a) = &r.address {
                    out.push(format!("{kind}|cp|{first}|{}", a.get(..6).unwrap_or(a)));
                } else if !r.place.is_empty() {
                    out.push(format!("{kind}|cp|{first}|{}", r.place));
                }
            }
        }
    }
    if let Some(a) = &r.address {
        out.push(format!("{kind}|ad|{a}"));
    }
    out.sort();
    out.dedup();
    out
}

/// An index of one side's records by blocking key. Keys are held as 64-bit hashes and the
/// record numbers of all blocks in one array (a block is a run in it): at 1M records this is a
/// few hundred megabytes less than a map from key strings to vectors. Two keys with one hash
/// (about one in 10^12 pairs of keys) only merge two blocks: more candidates, never fewer.
#[derive(Debug, Default)]
pub struct Index {
    blocks: Blocks,
    records: Vec<u32>,
    /// Keys whose block was split by a second key.
    split: u64,
}

/// A block as two numbers, eight bytes as a map value (a million records have millions of
/// blocks): `(start, len)` of a run in [`Index::records`], `(SPLIT + level, len)` for a
/// block split by the second key of `level`, or `(SPLIT, len)` for one split by each second key
/// apart.
type Block = (u32, u32);

const SPLIT: u32 = u32::MAX - 16;

/// The blocks by key hash: `(hash, block)` sorted by hash, with a directory of the hashes' top
/// bits pointing into it (about four entries per slot; the hashes are uniform). Sixteen bytes a
/// block: at a million records (21 million blocks, most keys belong to one record) a third less
/// than a hash map, and built at its final size instead of grown by doubling.
#[derive(Debug, Default)]
struct Blocks {
    entries: Vec<(u64, Block)>,
    /// The entries whose hash starts with the bits `t` are `entries[directory[t]..directory[t + 1]]`.
    directory: Vec<u32>,
    /// How far a hash is shifted right to give its directory slot.
    shift: u32,
}

impl Blocks {
    /// Sorts `entries` (one per hash) and builds the directory.
    fn new(mut entries: Vec<(u64, Block)>) -> Blocks {
        entries.sort_unstable_by_key(|e| e.0);
        let bits = (entries.len().max(1).ilog2()).saturating_sub(2).clamp(1, 31);
        let shift = 64 - bits;
        let mut directory = Vec::with_capacity((1usize << bits) + 1);
        let mut at = 0usize;
        for slot in 0..=(1u64 << bits) {
            while entries.get(at).is_some_and(|e| e.0 >> shift < slot) {
                at += 1;
            }
            directory.push(at as u32);
        }
        Blocks { entries, directory, shift }
    }

    fn get(&self, hash: u64) -> Option<Block> {
        let slot = usize::try_from(hash >> self.shift).ok()?;
        let (from, to) = (*self.directory.get(slot)? as usize, *self.directory.get(slot + 1)? as usize);
        self.entries.get(from..to)?.iter().find(|e| e.0 == hash).map(|e| e.1)
    }
}

/// The most candidates a record takes from its blocks, unless its smallest block alone holds
/// more (that block is always taken whole). Candidates are ranked by how many of the record's
/// blocks they share, then by the size of the smallest such block: a true match shares several
/// keys or a small one. Without it candidate pairs grew faster than the lists — blocks under
/// the split limits, such as a birth date with an initial, grow with them (1.4 / 5.2 / 12.4
/// pairs per record at 10k / 100k / 1M households); with it a record has at most 16 and the
/// total grows at most linearly. Chosen on the development sets of `bench/linkage` as the
/// smallest budget within 0.0005 F1 (at the default threshold) of none on each
/// (docs/benchmarks.md). An earlier version counted a candidate once per block it shared and
/// took whole blocks, smallest first: it cut more pairs, but left out the further duplicates
/// of a record with several (FEBRL3: F1 0.930 instead of 0.995).
pub const BUDGET: usize = 16;

/// Appends the best candidates of `blocks` (a record's blocks) to `out`, at most [`BUDGET`]
/// unless the smallest block holds more; counts the candidates left out in `report.capped`.
pub(crate) fn within_budget(blocks: &[&[u32]], out: &mut Vec<u32>, report: &mut BlockingReport) {
    let smallest = blocks.iter().map(|b| b.len()).min().unwrap_or(0);
    let keep = BUDGET.max(smallest);
    // Most records have fewer candidates than the budget, repeats counted: no ranking needed.
    if blocks.iter().map(|b| b.len()).sum::<usize>() <= keep {
        blocks.iter().for_each(|b| out.extend_from_slice(b));
        return;
    }
    // (candidate, size of a block it is in), sorted: each candidate's run starts at its
    // smallest block.
    let mut seen: Vec<(u32, u32)> = blocks.iter().flat_map(|b| b.iter().map(move |&j| (j, b.len() as u32))).collect();
    seen.sort_unstable();
    // (blocks shared, most first; smallest block; candidate).
    let mut ranked: Vec<(Reverse<u32>, u32, u32)> = seen.chunk_by(|a, b| a.0 == b.0).map(|run| (Reverse(run.len() as u32), run[0].1, run[0].0)).collect();
    if ranked.len() > keep {
        ranked.select_nth_unstable(keep);
        report.capped += (ranked.len() - keep) as u64;
        ranked.truncate(keep);
    }
    out.extend(ranked.into_iter().map(|(_, _, j)| j));
}

/// The most skipped keys a report lists (each lookup searches the list).
pub const REPORTED: usize = 1000;

/// What blocking split and left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BlockingReport {
    /// Keys (with the second keys that split them) skipped because a side had more than
    /// [`MAX_BLOCK`] records under them; the first [`REPORTED`].
    pub oversized: Vec<(String, usize)>,
    /// Keys of the indexed side split by a second key (more than [`SPLIT_AT`] records under
    /// them, or [`DENSE_SPLIT_AT`] for an identifier's typo variants).
    pub split: u64,
    pub candidate_pairs: u64,
    /// Candidates of left records left out because the record had its [`BUDGET`] of better
    /// ones.
    pub capped: u64,
}

impl BlockingReport {
    /// Adds `other`'s counts and keys (each key once).
    pub fn merge(&mut self, other: &BlockingReport) {
        self.candidate_pairs += other.candidate_pairs;
        self.capped += other.capped;
        self.split = self.split.max(other.split);
        for (k, n) in &other.oversized {
            if self.oversized.len() < REPORTED && !self.oversized.iter().any(|(x, _)| x == k) {
                self.oversized.push((k.clone(), *n));
            }
        }
    }
}

/// The parts of a block split by each second key apart (see [`Index::split_each`]) that a
/// record is in: one per second key it has, or the part of records without any.
fn each_keys(r: &Record) -> Vec<String> {
    let keys: Vec<String> = (1..=LEVELS).filter_map(|level| Some(second_key(r, level)).filter(|v| !v.is_empty()).map(|v| format!("{level}|{v}"))).collect();
    if keys.is_empty() {
        vec!["0|".to_string()]
    } else {
        keys
    }
}

/// The hash of a block split by a second key: the block's hash and the second key's.
fn refined(hash: u64, second: u64) -> u64 {
    use std::hash::Hasher;
    let mut h = std::hash::DefaultHasher::new();
    h.write_u64(hash);
    h.write_u64(second);
    h.finish()
}

/// A record's second keys, hashed (0 for an empty one): all that splitting a block needs of
/// it, so an index can be built without holding the records.
#[derive(Debug, Clone, Copy, Default)]
struct Seconds([u64; LEVELS as usize]);

impl Seconds {
    fn of(r: &Record) -> Seconds {
        let mut out = [0; LEVELS as usize];
        for (level, h) in (1..=LEVELS).zip(out.iter_mut()) {
            let key = second_key(r, level);
            if !key.is_empty() {
                use std::hash::Hasher;
                let mut hasher = std::hash::DefaultHasher::new();
                hasher.write(key.as_bytes());
                *h = hasher.finish().max(1);
            }
        }
        Seconds(out)
    }

    /// The hash of the second key of `level` (1, 2, …).
    fn at(self, level: u8) -> u64 {
        self.0.get(usize::from(level).wrapping_sub(1)).copied().unwrap_or(0)
    }

    /// The hashes of [`each_keys`], in their order: one per level with a second key, or one
    /// for none.
    fn each(self) -> impl Iterator<Item = u64> {
        let none = self.0.iter().all(|h| *h == 0);
        let each = (1..=LEVELS).zip(self.0).filter(|(_, h)| *h != 0).map(|(level, h)| refined(u64::from(level), h));
        each.chain(none.then_some(0))
    }
}

/// An [`Index`] built from records added a chunk at a time: only their keys' hashes and second
/// keys are kept, not the records (at a million records the records are most of the memory).
#[derive(Debug, Default)]
pub struct IndexBuilder {
    /// (key hash, record) for every key of every record added.
    pairs: Vec<(u64, u32)>,
    seconds: Vec<Seconds>,
}

impl IndexBuilder {
    /// Adds the next `records` (numbered on from those added before), on every core.
    pub fn add(&mut self, records: &[Record]) {
        let base = self.seconds.len();
        let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        let chunk = records.len().div_ceil(threads).max(1);
        let hashed = |c: usize, part: &[Record]| -> Vec<(u64, u32)> {
            part.iter().enumerate().flat_map(|(i, r)| keys(r).into_iter().map(move |k| (key_hash(&k), (base + c * chunk + i) as u32))).collect()
        };
        std::thread::scope(|s| {
            let handles: Vec<_> = records.chunks(chunk).enumerate().map(|(c, part)| (c, part, s.spawn(move || hashed(c, part)))).collect();
            for (c, part, h) in handles {
                self.pairs.extend(h.join().unwrap_or_else(|_| hashed(c, part)));
            }
        });
        self.seconds.extend(records.iter().map(Seconds::of));
    }

    pub fn finish(self) -> Index {
        let IndexBuilder { mut pairs, seconds } = self;
        pairs.sort_unstable();
        // Counted first, so the blocks and their records go into arrays of their final size
        // (grown by doubling they took up to twice that, and the old array too while growing):
        // the records exactly, the blocks at most (a split block has its part per second key
        // of each member, or per level at most one per member).
        let mut index = Index::default();
        let (mut most_blocks, mut records) = (0usize, 0usize);
        for run in pairs.chunk_by(|a, b| a.0 == b.0) {
            let hash = run[0].0;
            if run.len() <= split_at(hash) {
                most_blocks += 1;
                records += run.len();
            } else if hash & 1 == 1 {
                let each: usize = run.iter().filter_map(|p| seconds.get(p.1 as usize)).map(|s| s.each().count()).sum();
                most_blocks += 1 + each;
                records += each;
            } else {
                most_blocks += 1 + usize::from(LEVELS) * run.len();
                records += run.len();
            }
        }
        index.records.reserve_exact(records);
        let mut blocks = Vec::with_capacity(most_blocks);
        for run in pairs.chunk_by(|a, b| a.0 == b.0) {
            let hash = run[0].0;
            if run.len() <= split_at(hash) {
                blocks.push((hash, index.run(run.iter().map(|p| p.1))));
            } else if hash & 1 == 1 {
                index.split += 1;
                index.split_each(hash, &run.iter().map(|p| p.1).collect::<Vec<_>>(), &seconds, &mut blocks);
            } else {
                index.split += 1;
                index.split(hash, 1, split_at(hash), run.iter().map(|p| p.1).collect(), &seconds, &mut blocks);
            }
        }
        drop(pairs);
        index.blocks = Blocks::new(blocks);
        index
    }
}

/// The hash a key is indexed under (SipHash with fixed keys: the same in every run). Its
/// lowest bit says whether the key is of a deletion neighbourhood (see [`split_at`]).
fn key_hash(key: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = std::hash::DefaultHasher::new();
    h.write(key.as_bytes());
    let dense = key.split('|').nth(1) == Some("dn");
    (h.finish() & !1) | u64::from(dense)
}

/// From how many records the block of a key with this [`key_hash`] is split.
fn split_at(hash: u64) -> usize {
    if hash & 1 == 1 {
        DENSE_SPLIT_AT
    } else {
        SPLIT_AT
    }
}

impl Index {
    pub fn build(records: &[Record]) -> Index {
        let mut builder = IndexBuilder::default();
        builder.add(records);
        builder.finish()
    }

    /// Appends `members` to the records: their block.
    fn run(&mut self, members: impl Iterator<Item = u32>) -> Block {
        let start = self.records.len() as u32;
        self.records.extend(members);
        (start, self.records.len() as u32 - start)
    }

    /// Puts into `blocks` the block of `members` under `hash` split by the second key of
    /// `level`, and its parts split further while they are larger than `at` and second keys are
    /// left.
    fn split(&mut self, hash: u64, level: u8, at: usize, members: Vec<u32>, seconds: &[Seconds], blocks: &mut Vec<(u64, Block)>) {
        if members.len() <= at || level > LEVELS {
            blocks.push((hash, self.run(members.into_iter())));
            return;
        }
        blocks.push((hash, (SPLIT + u32::from(level), members.len() as u32)));
        let mut parts: Vec<(u64, u32)> = members.iter().map(|&m| (refined(hash, seconds.get(m as usize).copied().unwrap_or_default().at(level)), m)).collect();
        parts.sort_unstable();
        for part in parts.chunk_by(|a, b| a.0 == b.0) {
            self.split(part[0].0, level + 1, at, part.iter().map(|p| p.1).collect(), seconds, blocks);
        }
    }

    /// Puts into `blocks` the block of `members` under `hash` split by each second key apart:
    /// every member is in one part per second key it has (or in the part of those without any),
    /// and a record meets the members that share any of its second keys. For an identifier's
    /// typo variants, where a hierarchical split would lose the pairs whose birth year is wrong
    /// too.
    fn split_each(&mut self, hash: u64, members: &[u32], seconds: &[Seconds], blocks: &mut Vec<(u64, Block)>) {
        blocks.push((hash, (SPLIT, members.len() as u32)));
        let mut parts: Vec<(u64, u32)> =
            members.iter().filter_map(|&m| seconds.get(m as usize).map(|s| (m, s))).flat_map(|(m, s)| s.each().map(move |k| (refined(hash, k), m))).collect();
        parts.sort_unstable();
        for part in parts.chunk_by(|a, b| a.0 == b.0) {
            blocks.push((part[0].0, self.run(part.iter().map(|p| p.1))));
        }
    }

    /// Candidate indices for the record `r` with `keys` (its [`keys`]), without duplicates;
    /// oversized blocks are split by `r`'s second keys, and skipped when still too large, as
    /// `report` says.
    pub fn candidates(&self, r: &Record, keys: &[String], report: &mut BlockingReport) -> Vec<u32> {
        let mut out = Vec::new();
        let mut probes = Vec::new();
        // The blocks the record is in.
        let mut blocks: Vec<&[u32]> = Vec::new();
        for k in keys {
            probes.push((key_hash(k), k.clone()));
            while let Some((hash, path)) = probes.pop() {
                let Some((start, len)) = self.blocks.get(hash) else { continue };
                let len = len as usize;
                if start == SPLIT {
                    let each = Seconds::of(r).each().zip(each_keys(r));
                    probes.extend(each.map(|(h, k)| (refined(hash, h), format!("{path} + {k}"))));
                } else if start > SPLIT {
                    let level = (start - SPLIT) as u8;
                    let second = second_key(r, level);
                    let path = if second.is_empty() { path } else { format!("{path} + {second}") };
                    probes.push((refined(hash, Seconds::of(r).at(level)), path));
                } else if len > MAX_BLOCK {
                    if report.oversized.len() < REPORTED && !report.oversized.iter().any(|(x, _)| *x == path) {
                        report.oversized.push((path, len));
                    }
                } else {
                    let start = start as usize;
                    blocks.push(self.records.get(start..start + len).unwrap_or_default());
                }
            }
        }
        within_budget(&blocks, &mut out, report);
        out.sort_unstable();
        out.dedup();
        report.split = self.split;
        report.candidate_pairs += out.len() as u64;
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::RecordInput;

    fn person(given: &str, surname: &str, born: &str) -> Record {
        Record::from_input(&RecordInput { kind: "persoon".into(), given_names: given.into(), surname: surname.into(), birth_date: born.into(), ..RecordInput::default() }).0
    }

    #[test]
    fn variants_share_a_key() {
        let shared = |a: &Record, b: &Record| keys(a).iter().any(|k| keys(b).contains(k));
        assert!(shared(&person("Mohammed", "Özdemir", "1979-04-12"), &person("Mohamed", "Oezdemir", "1979-12-04")));
        // A married name: the birth date and initial still meet.
        assert!(shared(&person("Anna", "Jansen", "1980-02-03"), &person("Anna", "de Vries", "1980-02-03")));
        assert!(!shared(&person("Anna", "Jansen", "1980-02-03"), &person("Piet", "Bakker", "1955-06-07")));
    }

    #[test]
    fn swapped_name_fields_meet_on_birth_date_and_postcode() {
        let with_postcode = |given: &str, surname: &str| {
            Record::from_input(&RecordInput {
                kind: "persoon".into(),
                given_names: given.into(),
                surname: surname.into(),
                birth_date: "1932-02-27".into(),
                postcode: "5023".into(),
                ..RecordInput::default()
            })
            .0
        };
        let shared = |a: &Record, b: &Record| keys(a).iter().any(|k| keys(b).contains(k));
        assert!(shared(&with_postcode("Anthony", "Browne"), &with_postcode("Browne", "Anthony")));
    }

    #[test]
    fn blocks_are_found_by_their_hash_and_only_by_it() {
        for n in [0u64, 1, 2, 5, 1000] {
            // Spread over the whole range, as hashes are, and at its ends.
            let hashes: Vec<u64> = (0..n).map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 2).chain([0, u64::MAX].into_iter().take(n.min(2) as usize)).collect();
            let blocks = Blocks::new(hashes.iter().enumerate().map(|(i, &h)| (h, (i as u32, 1))).collect());
            for (i, &h) in hashes.iter().enumerate() {
                assert_eq!(blocks.get(h), Some((i as u32, 1)), "{n} {h}");
            }
            assert_eq!(blocks.get(1), None);
            assert_eq!(blocks.get(u64::MAX - 1), None);
        }
    }

    #[test]
    fn a_common_name_does_not_explode() {
        let many: Vec<Record> = (0..10_000).map(|_| person("Jan", "Jansen", "")).collect();
        let index = Index::build(&many);
        let mut report = BlockingReport::default();
        let jan = person("Jan", "Jansen", "");
        let c = index.candidates(&jan, &keys(&jan), &mut report);
        assert!(c.is_empty());
        // Split by every second key in turn (all empty or equal), and then skipped.
        assert_eq!(report.split, 1);
        assert_eq!(report.oversized, [("p|si|jansen|j + j".to_string(), 10_000)]);
    }

    #[test]
    fn typo_variants_of_short_identifiers_meet_on_any_second_key() {
        let with_id = |given: &str, surname: &str, born: &str, id: &str| {
            Record::from_input(&RecordInput {
                kind: "persoon".into(),
                given_names: given.into(),
                surname: surname.into(),
                birth_date: born.into(),
                identifiers: vec![("ssn".into(), id.into())],
                ..RecordInput::default()
            })
            .0
        };
        // Nine numbers 1234591..1234599 share the deletion 123459: more than DENSE_SPLIT_AT.
        let names = [
            ("Kees", "Bakker"),
            ("Piet", "Visser"),
            ("Anna", "Smit"),
            ("Els", "Mulder"),
            ("Bram", "Bos"),
            ("Fleur", "Vos"),
            ("Johan", "Peters"),
            ("Mila", "Hendriks"),
            ("Ruud", "Dekker"),
        ];
        let right: Vec<Record> = names.iter().enumerate().map(|(k, (g, s))| with_id(g, s, &format!("19{}-0{}-1{}", 71 + k, 1 + k, k), &format!("123459{}", k + 1))).collect();
        let index = Index::build(&right);
        // Jan Jansen, 1234509 (one typo from each of them), born 1960: he meets Johan Peters on
        // the initial and nobody else; with the birth year of Anna Smit he meets her too.
        let mut report = BlockingReport::default();
        let jan = with_id("Jan", "Jansen", "1960-02-03", "1234509");
        assert_eq!(index.candidates(&jan, &keys(&jan), &mut report), [6]);
        assert_eq!(report.split, 1);
        let jan = with_id("Jan", "Jansen", "1973-12-13", "1234509");
        assert_eq!(index.candidates(&jan, &keys(&jan), &mut report), [2, 6]);
    }

    #[test]
    fn a_record_takes_its_best_candidates_within_the_budget() {
        // Jan Jansen and 30 Jansens with initial J born in 1960 on other days: the key of
        // surname, year and initial holds all 31; the keys with the whole birth date hold him.
        let mut right = vec![person("Jan", "Jansen", "1960-02-03")];
        right.extend((0..30).map(|i| person("Joop", "Jansen", &format!("1960-{:02}-{:02}", 3 + i % 9, 10 + i % 18))));
        let index = Index::build(&right);
        let mut report = BlockingReport::default();
        let jan = person("Jan", "Jansen", "1960-02-03");
        let found = index.candidates(&jan, &keys(&jan), &mut report);
        assert_eq!(found.len(), BUDGET);
        assert!(found.contains(&0), "{found:?}");
        assert_eq!(report.capped, 30 - BUDGET as u64 + 1);
        // Most blocks shared first, then the smallest block: 7 and 8 share two, 5 is alone
        // in a block of one, the rest come from a block of forty.
        let (a, b, c): ([u32; 1], Vec<u32>, [u32; 2]) = ([5], (7..47).collect(), [7, 8]);
        let d = [8u32];
        let mut out = Vec::new();
        let mut report = BlockingReport::default();
        within_budget(&[&a[..], &b[..], &c[..], &d[..]], &mut out, &mut report);
        out.sort_unstable();
        let mut expected: Vec<u32> = vec![5, 7, 8];
        expected.extend(9..9 + BUDGET as u32 - 3);
        assert_eq!((out, report.capped), (expected, 40 - (BUDGET as u64 - 1)));
        // A smallest block above the budget is taken whole.
        let big: Vec<u32> = (0..50).collect();
        let mut out = Vec::new();
        within_budget(&[&big[..], &big[..20]], &mut out, &mut report);
        assert_eq!(out.len(), 20);
        let mut out = Vec::new();
        within_budget(&[&big[..]], &mut out, &mut report);
        assert_eq!(out.len(), 50);
    }

    #[test]
    fn a_large_block_is_split_by_birth_year() {
        // 1,000 Jansens with initial J, born over 50 years: the surname-and-initial key is
        // too large, its parts per birth year are not.
        let many: Vec<Record> = (0..1000).map(|i| person("Jan", "Jansen", &format!("{}-02-03", 1950 + i % 50))).collect();
        let index = Index::build(&many);
        let mut report = BlockingReport::default();
        let jan = person("Jan", "Jansen", "1960-02-03");
        let c = index.candidates(&jan, &keys(&jan), &mut report);
        // Those born in 1960, nobody else: the key of surname, day, month and initial, shared
        // by all, is split.
        assert_eq!(report.split, 1);
        assert_eq!(c.len(), 20);
        assert!(c.iter().all(|&i| many[i as usize].birth.map(|b| b.0) == Some(1960)));
        assert!(report.oversized.is_empty(), "{:?}", report.oversized);
        // Built from chunks of records (not held together), the index is the same.
        let mut builder = IndexBuilder::default();
        many.chunks(333).for_each(|c| builder.add(c));
        let chunked = builder.finish();
        for r in &many {
            let (mut a, mut b) = (BlockingReport::default(), BlockingReport::default());
            assert_eq!(chunked.candidates(r, &keys(r), &mut a), index.candidates(r, &keys(r), &mut b));
            assert_eq!((a.split, a.candidate_pairs), (b.split, b.candidate_pairs));
        }
    }
}
