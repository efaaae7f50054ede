//! Field comparisons: string similarity and agreement levels, the evidence a match weight is
//! built from.

use crate::person::NameKey;

/// How well two values agree. Levels, not scores, so that match weights can be estimated per
/// level (Fellegi-Sunter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Agreement {
    /// At least one value is missing: no evidence either way.
    Missing,
    Disagree,
    /// Similar (Jaro-Winkler ≥ 0.88, or the same phonetic key).
    Similar,
    Exact,
}

/// Jaro-Winkler similarity of two folded strings, 0 to 1: the same value as
/// `strsim::jaro_winkler`, without allocating for ASCII strings of up to 64 bytes (almost all
/// normalised names); other strings go through `strsim`.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if x.len() > 64 || y.len() > 64 || !a.is_ascii() || !b.is_ascii() {
        return strsim::jaro_winkler(a, b);
    }
    let sim = jaro_ascii(x, y);
    if sim > 0.7 {
        let prefix = x.iter().take(4).zip(y).take_while(|(p, q)| p == q).count();
        sim + 0.1 * prefix as f64 * (1.0 - sim)
    } else {
        sim
    }
}

/// Jaro similarity of two byte strings of at most 64 bytes, with the matched positions as bit
/// sets (the arithmetic of `strsim::generic_jaro`, step for step).
fn jaro_ascii(a: &[u8], b: &[u8]) -> f64 {
    let (a_len, b_len) = (a.len(), b.len());
    if a_len == 0 && b_len == 0 {
        return 1.0;
    } else if a_len == 0 || b_len == 0 {
        return 0.0;
    }
    let range = (a_len.max(b_len) / 2).saturating_sub(1);
    let (mut a_flags, mut b_flags) = (0u64, 0u64);
    let mut matches = 0usize;
    for (i, c) in a.iter().enumerate() {
        let lo = i.saturating_sub(range);
        let hi = b_len.min(i + range + 1);
        for (j, d) in b.iter().enumerate().take(hi).skip(lo) {
            if d == c && b_flags & (1 << j) == 0 {
                a_flags |= 1 << i;
                b_flags |= 1 << j;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    // Matched characters of both sides in order; half the mismatches are transpositions.
    let mut transpositions = 0usize;
    let mut rest = b_flags;
    let mut flags = a_flags;
    while flags != 0 {
        let i = flags.trailing_zeros() as usize;
        let j = rest.trailing_zeros() as usize;
        if a[i] != b[j] {
            transpositions += 1;
        }
        flags &= flags - 1;
        rest &= rest - 1;
    }
    transpositions /= 2;
    ((matches as f64 / a_len as f64) + (matches as f64 / b_len as f64) + ((matches - transpositions) as f64 / matches as f64)) / 3.0
}

/// Compares two strings that are already normalised.
pub fn compare_text(a: &str, b: &str) -> Agreement {
    if a.is_empty() || b.is_empty() {
        Agreement::Missing
    } else if a == b {
        Agreement::Exact
    } else if jaro_winkler(a, b) >= 0.88 {
        Agreement::Similar
    } else {
        Agreement::Disagree
    }
}

/// Given name and surname swapped between two sources, each perhaps with a typo: the one's
/// surname read as a given name (`surname_as_given`) is close to the other's given name, both
/// ways. Exact equality missed a swap with one typo ("white harriet" / "harriet whiite").
pub fn swapped(surname_as_given_a: &str, given_a: &str, surname_as_given_b: &str, given_b: &str) -> bool {
    compare_text(surname_as_given_a, given_b) >= Agreement::Similar && compare_text(surname_as_given_b, given_a) >= Agreement::Similar
}

/// Compares surnames: exact, or the same phonetic key, or close by Jaro-Winkler.
pub fn compare_surname(a: &NameKey, b: &NameKey) -> Agreement {
    match compare_text(&a.surname, &b.surname) {
        Agreement::Disagree if a.surname_key == b.surname_key => Agreement::Similar,
        other => other,
    }
}

/// Compares given names, falling back to initials when one side only has those.
pub fn compare_given(a: &NameKey, b: &NameKey) -> Agreement {
    match (a.given.first(), b.given.first()) {
        (Some(x), Some(y)) => compare_text(x, y),
        _ if a.initials.is_empty() || b.initials.is_empty() => Agreement::Missing,
        _ if a.initials.chars().next() == b.initials.chars().next() => Agreement::Similar,
        _ => Agreement::Disagree,
    }
}

/// Dates of birth `(year, month, day)`: a day/month swap, one of the three parts off, or one
/// typo in the eight digits (one digit, or two neighbours swapped: 1961-11-07 / 1961-10-17)
/// counts as similar.
pub fn compare_date(a: Option<(i32, u32, u32)>, b: Option<(i32, u32, u32)>) -> Agreement {
    let (Some(x), Some(y)) = (a, b) else { return Agreement::Missing };
    if x == y {
        return Agreement::Exact;
    }
    let swapped = x.0 == y.0 && x.1 == y.2 && x.2 == y.1;
    let one_off = [x.0 != y.0, x.1 != y.1, x.2 != y.2].iter().filter(|d| **d).count() == 1;
    if swapped || one_off || one_digit_typo(digits(x), digits(y)) {
        Agreement::Similar
    } else {
        Agreement::Disagree
    }
}

/// A date as its eight digits `YYYYMMDD` (a year outside 0–9999 is clamped; it never agrees).
fn digits((y, m, d): (i32, u32, u32)) -> [u8; 8] {
    let n = u64::try_from(y.clamp(0, 9999)).unwrap_or(0) * 10_000 + u64::from(m.min(99)) * 100 + u64::from(d.min(99));
    let mut out = [0u8; 8];
    let mut rest = n;
    for slot in out.iter_mut().rev() {
        *slot = (rest % 10) as u8;
        rest /= 10;
    }
    out
}

/// Do two different digit strings differ by one substitution or one swap of neighbours?
fn one_digit_typo(a: [u8; 8], b: [u8; 8]) -> bool {
    let mut differ = (0..8).filter(|i| a[*i] != b[*i]);
    match (differ.next(), differ.next(), differ.next()) {
        (Some(_), None, _) => true,
        (Some(i), Some(j), None) => j == i + 1 && a[i] == b[j] && a[j] == b[i],
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::person::parse_name;

    #[test]
    fn names_agree_across_spellings() {
        let a = parse_name("Jan van der Berg");
        let b = parse_name("Berg, J. v.d.");
        assert_eq!(compare_surname(&a, &b), Agreement::Exact);
        assert_eq!(compare_given(&a, &b), Agreement::Similar);
        let c = parse_name("Ayşe Özdemir");
        let d = parse_name("Ayse Oezdemir");
        assert_eq!(compare_surname(&c, &d), Agreement::Similar);
        assert_eq!(compare_given(&c, &d), Agreement::Exact);
        assert_eq!(compare_surname(&a, &c), Agreement::Disagree);
        assert_eq!(compare_given(&parse_name("Berg"), &a), Agreement::Missing);
    }

    #[test]
    fn jaro_winkler_is_strsims() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "martha",
            "marhta",
            "dixon",
            "dicksonx",
            "jansen",
            "janssen",
            "jansens",
            "mohammed",
            "mohamed",
            "muhammad",
            "ozdemir",
            "oezdemir",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkm",
            "ozdemïr",
            "aaaa",
            "aaab",
            "baaa",
        ];
        for a in words {
            for b in words {
                assert_eq!(jaro_winkler(a, b).to_bits(), strsim::jaro_winkler(a, b).to_bits(), "{a:?} {b:?}");
            }
        }
        // Pseudo-random short words over a small alphabet: many repeated letters.
        let mut state = 7u64;
        let word = |state: &mut u64| {
            *state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let len = (*state >> 59) as usize % 12;
            (0..len).map(|k| (b'a' + ((*state >> (k * 2 + 3)) & 3) as u8) as char).collect::<String>()
        };
        for _ in 0..20_000 {
            let (a, b) = (word(&mut state), word(&mut state));
            assert_eq!(jaro_winkler(&a, &b).to_bits(), strsim::jaro_winkler(&a, &b).to_bits(), "{a:?} {b:?}");
        }
    }

    #[test]
    fn dates_with_transpositions() {
        assert_eq!(compare_date(Some((1980, 3, 4)), Some((1980, 4, 3))), Agreement::Similar);
        assert_eq!(compare_date(Some((1980, 3, 4)), Some((1981, 3, 4))), Agreement::Similar);
        assert_eq!(compare_date(Some((1980, 3, 4)), Some((1990, 7, 4))), Agreement::Disagree);
        // One typo in the digits, also across month and day: 19611107 / 19611017, 19800304 /
        // 19800314 / 19800403 (a swap of neighbours).
        assert_eq!(compare_date(Some((1961, 11, 7)), Some((1961, 10, 17))), Agreement::Similar);
        assert_eq!(compare_date(Some((1980, 3, 4)), Some((1980, 3, 14))), Agreement::Similar);
        assert_eq!(compare_date(Some((1980, 3, 4)), Some((1980, 4, 30))), Agreement::Disagree);
        assert_eq!(compare_date(Some((1961, 11, 7)), Some((1961, 10, 18))), Agreement::Disagree);
        assert_eq!(compare_date(None, Some((1980, 3, 4))), Agreement::Missing);
        assert!(Agreement::Exact > Agreement::Similar);
    }
}
