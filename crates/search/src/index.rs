//! The arithmetic of the knowledge search, in integers wherever a database sees a number, so
//! that SQLite and PostgreSQL order the same results the same way: a document's terms with their
//! field-weighted frequencies, each posting's BM25 term weight (`impact`, ×1000), a query term's
//! inverse document frequency (×1000), edit distance and the deletion variants that find a
//! misspelt term's neighbours in the vocabulary.

use crate::terms::{search_terms, Lexicon, DOMAIN_WORDS};
use std::collections::BTreeMap;

/// The analyser's version: stored with the index, which is rebuilt when it differs (a new
/// analysis or another lexicon changes every document's terms).
pub fn analyser_version() -> String {
    // FNV-1a over the lexicon, so a change to the word list alone is noticed too.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for w in DOMAIN_WORDS {
        for b in w.bytes().chain([0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{ANALYSER}-{h:016x}")
}

/// Raised whenever the analysis of text changes.
pub const ANALYSER: &str = "kennis-1";

/// BM25's saturation and length normalisation, and the document length (in weighted terms)
/// taken as average; a constant, so that a posting's weight does not change when other
/// documents come and go.
const K1: f64 = 1.2;
const B: f64 = 0.75;
const AVERAGE_LENGTH: f64 = 300.0;

/// Terms longer than this are not indexed (no word is; a pasted hash or URL is).
pub const MAX_TERM: usize = 60;

/// A document's terms: each with its frequency, weighted by the field it occurs in, and the
/// document's weighted length.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocTerms {
    pub frequencies: BTreeMap<String, u32>,
    pub length: u32,
}

/// The terms of a document made of `fields`, each (text, weight): a title counts more than the
/// body.
pub fn doc_terms(fields: &[(&str, u32)], lexicon: &Lexicon) -> DocTerms {
    let mut d = DocTerms::default();
    for (text, weight) in fields {
        for t in search_terms(text, lexicon) {
            if t.chars().count() > MAX_TERM {
                continue;
            }
            *d.frequencies.entry(t).or_default() += weight;
            d.length = d.length.saturating_add(*weight);
        }
    }
    d
}

/// The BM25 weight of a term occurring `tf` (weighted) times in a document of `length`, ×1000.
pub fn impact(tf: u32, length: u32) -> i64 {
    let tf = f64::from(tf);
    let norm = K1 * (1.0 - B + B * f64::from(length) / AVERAGE_LENGTH);
    (1000.0 * tf * (K1 + 1.0) / (tf + norm)).round() as i64
}

/// A query term's weight: its inverse document frequency among the `n` documents the reader
/// sees, `df` of which hold it, ×1000, times `share` per mille (a synonym or a corrected word
/// counts for less than the word typed).
pub fn query_weight(n: i64, df: i64, share: u32) -> i64 {
    let (n, df) = (n.max(df) as f64, df as f64);
    let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
    (idf * f64::from(share)).round() as i64
}

/// The variants of `term` with one character left out: a term and a misspelling one edit apart
/// share one of them (or one is the other's variant).
pub fn deletes(term: &str) -> Vec<String> {
    let chars: Vec<char> = term.chars().collect();
    let mut out: Vec<String> = (0..chars.len()).map(|i| chars.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, c)| *c).collect()).collect();
    out.sort();
    out.dedup();
    out
}

/// Whether a term is worth correcting: long enough that one edit still leaves it recognisable,
/// and a word (references and ECLI numbers are looked up exactly).
pub fn correctable(term: &str) -> bool {
    term.chars().count() >= 5 && term.chars().all(char::is_alphabetic)
}

/// The optimal-string-alignment distance: insertions, deletions, substitutions and swaps of
/// neighbours.
pub fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_weigh_and_length_counts() {
        let d = doc_terms(&[("Hennepkwekerij gesloten", 3), ("De kwekerij in een woning", 1)], Lexicon::domain());
        assert_eq!(d.frequencies.get("hennep"), Some(&3));
        assert_eq!(d.frequencies.get("kwekerij"), Some(&4), "{d:?}");
        assert!(d.frequencies.contains_key("hennepkwekerij"));
        // Longer documents weigh a term less; more occurrences weigh more, but saturate.
        assert!(impact(2, 100) > impact(2, 1000));
        assert!(impact(4, 300) > impact(2, 300) && impact(40, 300) < 2 * impact(4, 300));
        // Rare terms weigh more; a share lowers the weight.
        assert!(query_weight(1000, 3, 1000) > query_weight(1000, 300, 1000));
        assert!(query_weight(1000, 3, 700) < query_weight(1000, 3, 1000));
        assert!(query_weight(10, 10, 1000) > 0);
    }

    #[test]
    fn misspellings_meet_their_word() {
        assert_eq!(distance("henepkwekerij", "hennepkwekerij"), 1);
        assert_eq!(distance("hennpe", "hennep"), 1, "a swap is one edit");
        assert_eq!(distance("witwas", "witwas"), 0);
        assert!(distance("cannabis", "hennep") > 2);
        // The vocabulary keeps each term and its deletes; a query looks up itself and its deletes.
        let meets = |q: &str, t: &str| {
            let (mut a, mut b) = (deletes(q), deletes(t));
            a.push(q.into());
            b.push(t.into());
            a.iter().any(|v| b.contains(v))
        };
        assert!(meets("henepkwekerij", "hennepkwekerij") && meets("hennepkwekkerij", "hennepkwekerij") && meets("hennepkwekarij", "hennepkwekerij"));
        assert!(!meets("cannabis", "hennep"));
        assert!(correctable("hennep") && !correctable("13b") && !correctable("wiet"));
        assert_ne!(analyser_version(), "");
    }
}
