//! Addresses: postcode and house number in every common spelling, and place-name aliases.

use crate::fold;
use knooppunt_domain::{HouseNumber, Postcode};

/// Official and colloquial names of the same place.
const PLACE_ALIASES: &[(&str, &str)] = &[
    ("s gravenhage", "den haag"),
    ("gravenhage", "den haag"),
    ("the hague", "den haag"),
    ("s hertogenbosch", "den bosch"),
    ("hertogenbosch", "den bosch"),
    ("bergen nh", "bergen"),
];

/// The place name as compared: folded, with aliases resolved.
pub fn place_key(raw: &str) -> String {
    let f = fold(raw);
    PLACE_ALIASES.iter().find(|(a, _)| *a == f).map(|(_, b)| b.to_string()).unwrap_or(f)
}

/// An address key `5611EZ 12A-3` when the postcode and house number can be read, from inputs
/// like `5611 ez 12 a`, `5611EZ, 12-a`, `5611ez12a`.
pub fn postcode_key(raw: &str) -> Option<String> {
    let compact: String = raw.chars().filter(|c| !c.is_whitespace() && *c != ',').collect();
    if compact.len() < 7 || !compact.is_ascii() {
        return None;
    }
    let postcode = Postcode::parse(&compact[..6]).ok()?;
    let rest = compact[6..].trim_start_matches(['-', '.']);
    let house = HouseNumber::parse(rest).ok()?;
    Some(format!("{} {house}", postcode.as_str().replace(' ', "")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_spellings_meet() {
        for s in ["5611 EZ 12a", "5611ez 12 A", "5611EZ, 12-a", "5611ez12a", " 5611 EZ  12A "] {
            assert_eq!(postcode_key(s).as_deref(), Some("5611EZ 12A"), "{s}");
        }
        assert_eq!(postcode_key("5611 EZ 12-3").as_deref(), Some("5611EZ 12-3"));
        assert_eq!(postcode_key("0611 EZ 12"), None);
        assert_eq!(postcode_key("5611 EZ"), None);
        assert_eq!(place_key("'s-Gravenhage"), "den haag");
        assert_eq!(place_key("Den Haag"), "den haag");
        assert_eq!(place_key("'s-Hertogenbosch"), place_key("Den Bosch"));
    }
}
