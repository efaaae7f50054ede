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

/// Jaro-Winkler similarity of two folded strings, 0 to 1.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    strsim::jaro_winkler(a, b)
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

/// Dates of birth `(year, month, day)`: a day/month swap or one digit off counts as similar.
pub fn compare_date(a: Option<(i32, u32, u32)>, b: Option<(i32, u32, u32)>) -> Agreement {
    let (Some(x), Some(y)) = (a, b) else { return Agreement::Missing };
    if x == y {
        return Agreement::Exact;
    }
    let swapped = x.0 == y.0 && x.1 == y.2 && x.2 == y.1;
    let one_off = [x.0 != y.0, x.1 != y.1, x.2 != y.2].iter().filter(|d| **d).count() == 1;
    if swapped || one_off {
        Agreement::Similar
    } else {
        Agreement::Disagree
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
    fn dates_with_transpositions() {
        assert_eq!(compare_date(Some((1980, 3, 4)), Some((1980, 4, 3))), Agreement::Similar);
        assert_eq!(compare_date(Some((1980, 3, 4)), Some((1981, 3, 4))), Agreement::Similar);
        assert_eq!(compare_date(Some((1980, 3, 4)), Some((1990, 7, 4))), Agreement::Disagree);
        assert_eq!(compare_date(None, Some((1980, 3, 4))), Agreement::Missing);
        assert!(Agreement::Exact > Agreement::Similar);
    }
}
