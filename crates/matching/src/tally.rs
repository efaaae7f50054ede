//! Comparison patterns counted, which is all estimation reads: with eight fields of four levels
//! a pattern fits in 16 bits, so a tally is one counter per possible pattern, and millions of
//! candidate pairs need neither their patterns held nor a hash per pair.

use crate::compare::Agreement;
use crate::model::{Pattern, N};

/// A pattern in 16 bits, two per field.
pub type Code = u16;

const LEVELS: [Agreement; 4] = [Agreement::Missing, Agreement::Disagree, Agreement::Similar, Agreement::Exact];

/// The 16-bit code of `p`.
pub fn code(p: &Pattern) -> Code {
    p.iter().enumerate().fold(0, |c, (i, a)| {
        let level = match a {
            Agreement::Missing => 0,
            Agreement::Disagree => 1,
            Agreement::Similar => 2,
            Agreement::Exact => 3,
        };
        c | (level << (2 * i))
    })
}

/// The pattern of a [`code`].
pub fn pattern(code: Code) -> Pattern {
    let mut p = [Agreement::Missing; N];
    for (i, a) in p.iter_mut().enumerate() {
        *a = LEVELS[usize::from((code >> (2 * i)) & 3)];
    }
    p
}

/// How often each pattern was seen.
#[derive(Clone, Debug)]
pub struct Tally {
    counts: Vec<u64>,
}

impl Default for Tally {
    fn default() -> Self {
        Tally { counts: vec![0; 1 << (2 * N)] }
    }
}

impl Tally {
    pub fn add(&mut self, p: &Pattern) {
        self.add_code(code(p));
    }

    pub fn add_code(&mut self, c: Code) {
        self.counts[usize::from(c)] += 1;
    }

    pub fn merge(&mut self, other: &Tally) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
    }

    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// The patterns seen, each once with its count, in code order.
    pub fn distinct(&self) -> Vec<(Pattern, f64)> {
        self.counts.iter().enumerate().filter(|(_, n)| **n > 0).map(|(c, n)| (pattern(c as Code), *n as f64)).collect()
    }
}

impl<'a> FromIterator<&'a Pattern> for Tally {
    fn from_iter<I: IntoIterator<Item = &'a Pattern>>(iter: I) -> Self {
        let mut t = Tally::default();
        for p in iter {
            t.add(p);
        }
        t
    }
}

impl FromIterator<Pattern> for Tally {
    fn from_iter<I: IntoIterator<Item = Pattern>>(iter: I) -> Self {
        let mut t = Tally::default();
        for p in iter {
            t.add(&p);
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_its_pattern() {
        for c in 0..=Code::MAX {
            assert_eq!(code(&pattern(c)), c);
        }
        let p = [Agreement::Exact, Agreement::Missing, Agreement::Similar, Agreement::Disagree, Agreement::Missing, Agreement::Exact, Agreement::Missing, Agreement::Similar];
        assert_eq!(pattern(code(&p)), p);
        let t: Tally = [p, p, pattern(7)].iter().collect();
        assert_eq!(t.total(), 3);
        assert_eq!(t.distinct(), vec![(pattern(7), 1.0), (p, 2.0)]);
    }
}
