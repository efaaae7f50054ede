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
//! - [`link`]: two lists linked end to end.

pub mod address;
pub mod blocking;
pub mod clk;
pub mod company;
pub mod compare;
pub mod link;
pub mod model;
pub mod person;
pub mod record;

pub use blocking::{keys as blocking_keys, BlockingReport, MAX_BLOCK};
pub use link::{link, LinkOptions, Linked, Pair};
pub use model::{Evidence, Explanation, Field, Model};
pub use record::{Kind, Record, RecordInput, Skipped};

/// Lowercase, without diacritics, `ĳ`/`ij`/`y` as `y`, and only letters, digits and single
/// spaces.
pub fn fold(text: &str) -> String {
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

#[cfg(test)]
mod tests {
    #[test]
    fn folding() {
        assert_eq!(super::fold("  Van  Dĳk-Müller, J.  "), "van dyk muller j");
        assert_eq!(super::fold("IJsselmeer"), "ysselmeer");
    }
}
