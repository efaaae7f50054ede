//! Blocking: only records that share a blocking key are compared. Every record gets a few
//! keys (identifiers, surname sound with birth year or initial, birth date with initial,
//! company name, address); a key shared by more than [`MAX_BLOCK`] records on one side says
//! little and is skipped (and reported), so a common name cannot explode the candidate pairs.

use crate::record::{Kind, Record};
use rustc_hash::FxHashMap as HashMap;

/// The most records one side may have under one key before the key is skipped.
pub const MAX_BLOCK: usize = 200;

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
    blocks: HashMap<u64, (u32, u32)>,
    records: Vec<u32>,
}

/// What blocking left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BlockingReport {
    /// Keys skipped because a side had more than [`MAX_BLOCK`] records under them.
    pub oversized: Vec<(String, usize)>,
    pub candidate_pairs: u64,
}

/// The hash a key is indexed under (SipHash with fixed keys: the same in every run).
fn key_hash(key: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = std::hash::DefaultHasher::new();
    h.write(key.as_bytes());
    h.finish()
}

impl Index {
    pub fn build(records: &[Record]) -> Index {
        // (key hash, record) for every key of every record, computed on every core.
        let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        let chunk = records.len().div_ceil(threads).max(1);
        let hashed = |c: usize, part: &[Record]| -> Vec<(u64, u32)> {
            part.iter().enumerate().flat_map(|(i, r)| keys(r).into_iter().map(move |k| (key_hash(&k), (c * chunk + i) as u32))).collect()
        };
        let mut pairs: Vec<(u64, u32)> = std::thread::scope(|s| {
            let handles: Vec<_> = records.chunks(chunk).enumerate().map(|(c, part)| (c, part, s.spawn(move || hashed(c, part)))).collect();
            handles.into_iter().flat_map(|(c, part, h)| h.join().unwrap_or_else(|_| hashed(c, part))).collect()
        });
        pairs.sort_unstable();
        let mut index = Index { blocks: HashMap::default(), records: Vec::with_capacity(pairs.len()) };
        index.blocks.reserve(pairs.len() / 2);
        for run in pairs.chunk_by(|a, b| a.0 == b.0) {
            let start = index.records.len() as u32;
            index.records.extend(run.iter().map(|p| p.1));
            index.blocks.insert(run[0].0, (start, run.len() as u32));
        }
        index
    }

    /// Candidate indices for a record with `keys`, without duplicates; oversized keys are
    /// skipped and reported in `report`.
    pub fn candidates(&self, keys: &[String], report: &mut BlockingReport) -> Vec<u32> {
        let mut out = Vec::new();
        for k in keys {
            if let Some(&(start, len)) = self.blocks.get(&key_hash(k)) {
                let len = len as usize;
                if len > MAX_BLOCK {
                    if !report.oversized.iter().any(|(x, _)| x == k) {
                        report.oversized.push((k.clone(), len));
                    }
                    continue;
                }
                let start = start as usize;
                out.extend_from_slice(self.records.get(start..start + len).unwrap_or_default());
            }
        }
        out.sort_unstable();
        out.dedup();
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
    fn a_common_name_does_not_explode() {
        let many: Vec<Record> = (0..10_000).map(|_| person("Jan", "Jansen", "")).collect();
        let index = Index::build(&many);
        let mut report = BlockingReport::default();
        let c = index.candidates(&keys(&person("Jan", "Jansen", "")), &mut report);
        assert!(c.is_empty());
        assert_eq!(report.oversized.len(), 1);
        assert_eq!(report.oversized[0].1, 10_000);
    }
}
