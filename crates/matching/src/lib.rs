//! Entity resolution for knooppunt: the normalisation and field comparison that cross-region
//! detection builds on. Pure: no IO, no clock, no SQL.
//!
//! - [`person`]: Dutch person names in every order and spelling ("van der Berg", "Berg, van
//!   der", "V.d. Berg"), ij/y/ĳ, diacritics, initials, roepnamen, double surnames.
//! - [`company`]: company names without legal forms and punctuation, handelsnaam vs statutaire
//!   naam.
//! - [`address`]: postcode + house number in all common spellings, and place-name aliases.
//! - [`compare`]: string similarity (Jaro-Winkler) and the agreement levels used as match
//!   evidence.
//! - [`record`]: the fields any source provides, normalised; unusable values are reported.
//! - [`blocking`]: bounded candidate generation (oversized blocks are skipped and reported).
//! - [`model`]: Fellegi-Sunter match weights with EM-estimated `m`/`u`, explanations, and
//!   deterministic matches on exact identifiers.
//! - [`estimate`]: `u` from random pairs, `m` by EM or from anchors, the prior over all pairs.
//! - [`household`]: pairs at one address with one surname (relatives, twins, namesakes),
//!   scored with a prior and `u` of their own.
//! - [`packed`]: records packed contiguously, for comparing millions of pairs.
//! - [`tally`]: comparison patterns counted in 16 bits each, what estimation reads.
//! - [`dice`]: Dice similarity of encodings, by the fastest popcount the CPU has.
//! - [`link`]: two lists linked end to end, the pairs streamed out.

pub mod address;
pub mod blocking;
pub mod clk;
pub mod company;
pub mod compare;
pub mod dice;
pub mod estimate;
pub mod household;
pub mod identifiers;
pub mod link;
pub mod model;
pub mod packed;
pub mod person;
pub mod record;
pub mod tally;

pub use blocking::{keys as blocking_keys, BlockingReport, MAX_BLOCK};
pub use link::{link, link_prepared, link_streamed, LinkOptions, Linked, Pair, Passes, Prepared, Preparing, Summary};
pub use model::{Evidence, Explanation, Field, Model};
pub use record::{Kind, Record, RecordInput, Skipped};

/// Lowercase, without diacritics, `ĳ`/`ij`/`y` as `y`, and only letters, digits and single
/// spaces.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        fold_ascii(text.as_bytes())
    } else {
        fold_general(text)
    }
}

fn fold_general(text: &str) -> String {
    let folded = knooppunt_search::fold(text).replace("ij", "y");
    let mut out = String::with_capacity(folded.len());
    let mut space = false;
    for c in folded.chars() {
        if c.is_alphanumeric() {
            out.push(c);
            space = false;
        } else if !space && !out.is_empty() {
            out.push(' ');
            space = true;
        }
    }
    out.trim_end().to_string()
}

/// [`fold`] for ASCII text in one pass.
fn fold_ascii(text: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    let mut i = 0;
    while i < text.len() {
        let c = text[i].to_ascii_lowercase();
        if c == b'i' && text.get(i + 1).map(u8::to_ascii_lowercase) == Some(b'j') {
            out.push('y');
            space = false;
            i += 2;
            continue;
        }
        if c.is_ascii_alphanumeric() {
            out.push(char::from(c));
            space = false;
        } else if !space && !out.is_empty() {
            out.push(' ');
            space = true;
        }
        i += 1;
    }
    out.truncate(out.trim_end().len());
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn ascii_folding_is_the_general_folding() {
        for t in ["", " ", "IJssel", "iij", "Iij-J", "i-j", "I.J. van Dijk", "  Van  DIJK-Muller, J.  ", "'s-Gravenhage", "5611 ez", "a\tb\n", "ij ij ", "B.V."] {
            assert_eq!(super::fold(t), super::fold_general(t), "{t:?}");
        }
    }

    #[test]
    fn folding() {
        assert_eq!(super::fold("  Van  Dĳk-Müller, J.  "), "van dyk muller j");
        assert_eq!(super::fold("IJsselmeer"), "ysselmeer");
    }
}
