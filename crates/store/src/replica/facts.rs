//! What the copy keeps per item for filters and facets besides kind, state and date: its
//! phenomena and partner types as small numbers, and a filter in those numbers.

/// One fact of an item: the number of a phenomenon (in the copy's `phenomena`) or of a
/// partner type (in its `names`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fact {
    Phenomenon(u32),
    Partner(u32),
}

impl Fact {
    /// The fact as one number, told apart by its lowest bit.
    fn code(self) -> u32 {
        match self {
            Fact::Phenomenon(n) => n << 1,
            Fact::Partner(n) => (n << 1) | 1,
        }
    }

    fn of(code: u32) -> Fact {
        if code & 1 == 1 {
            Fact::Partner(code >> 1)
        } else {
            Fact::Phenomenon(code >> 1)
        }
    }
}

/// Codes carried inline per item before they spill into a list of their own.
const INLINE: usize = 6;

/// The facts of one item as codes ([`Fact::code`]), the first [`INLINE`] in place, so
/// counting an item reads one entry.
#[derive(Debug, Clone, Default)]
pub(super) struct Facts {
    held: u8,
    inline: [u32; INLINE],
    more: Vec<u32>,
}

impl Facts {
    pub(super) fn new(facts: impl IntoIterator<Item = Fact>) -> Self {
        let codes: Vec<u32> = facts.into_iter().map(Fact::code).collect();
        let mut f = Facts { held: 0, inline: [0; INLINE], more: Vec::new() };
        for (slot, code) in f.inline.iter_mut().zip(&codes) {
            *slot = *code;
        }
        f.held = codes.len().min(INLINE) as u8;
        f.more = codes.into_iter().skip(INLINE).collect();
        f
    }

    pub(super) fn all(&self) -> impl Iterator<Item = Fact> + '_ {
        self.inline.iter().take(self.held as usize).chain(&self.more).map(|c| Fact::of(*c))
    }

    /// Whether the item has every fact of `wanted`.
    pub(super) fn has_all(&self, wanted: &[Fact]) -> bool {
        wanted.iter().all(|w| self.all().any(|f| f == *w))
    }
}

/// A filter of [`crate::knowledge::ItemFilter`] in the copy's numbers (see `Copy::narrow`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Narrow {
    pub kind: Option<u32>,
    pub state: Option<u32>,
    pub facts: Vec<Fact>,
    pub dated: Option<(i64, i64)>,
    /// A value no item in the copy has: nothing passes.
    pub nothing: bool,
}

#[cfg(test)]
mod tests {
    use super::{Fact, Facts};

    #[test]
    fn facts_beyond_the_inline_ones_are_kept_in_order_and_phenomena_stay_apart_from_partner_types() {
        let many: Vec<Fact> = (0..9).map(|n| if n % 2 == 0 { Fact::Phenomenon(n) } else { Fact::Partner(n) }).collect();
        assert_eq!(Facts::new(many.clone()).all().collect::<Vec<_>>(), many);
        let one = Facts::new([Fact::Phenomenon(5)]);
        assert_eq!(one.all().collect::<Vec<_>>(), vec![Fact::Phenomenon(5)]);
        assert!(one.has_all(&[Fact::Phenomenon(5)]));
        assert!(!one.has_all(&[Fact::Partner(5)]), "partner type 5 is not phenomenon 5");
        assert!(!one.has_all(&[Fact::Phenomenon(5), Fact::Partner(0)]));
        assert!(Facts::default().has_all(&[]));
    }
}
