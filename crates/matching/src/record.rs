//! A record as entity resolution sees it: the raw fields any source can provide, and their
//! normalised forms.

use crate::address::{place_key, postcode_key};
use crate::company::{parse_company, CompanyKey};
use crate::fold;
use crate::person::{parse_name, NameKey};

/// What kind of thing a record describes. Records of different kinds are never compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Person,
    Company,
    /// Addresses, vehicles, accounts: matched on identifiers and address only.
    Other,
}

/// The raw fields of a record. Empty strings are missing values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordInput {
    /// `persoon`, `rechtspersoon` (or `bedrijf`), anything else is [`Kind::Other`]; empty is
    /// a person when a surname is given, a company when a company name is given.
    pub kind: String,
    /// The whole name when it is not split (`Berg, Jan van der`).
    pub full_name: String,
    pub given_names: String,
    pub prefix: String,
    pub surname: String,
    /// `YYYY-MM-DD`, `DD-MM-YYYY` or `YYYYMMDD`.
    pub birth_date: String,
    pub company_name: String,
    pub street: String,
    pub house_number: String,
    pub postcode: String,
    pub city: String,
    /// Exact identifiers as `(kind, value)`: `bsn`, `kvk`, `rsin`, `iban`, `kenteken`, `bag`, or
    /// any other kind a source declares.
    pub identifiers: Vec<(String, String)>,
}

/// A normalised record, ready for blocking and comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub kind: Kind,
    pub name: Option<NameKey>,
    pub company: Option<CompanyKey>,
    pub birth: Option<(i32, u32, u32)>,
    /// `5611EZ 12A` when postcode and house number could be read.
    pub address: Option<String>,
    /// Folded street and house number, when there is no postcode key.
    pub street: String,
    /// A postcode that is not a Dutch postcode with house number (folded, without spaces).
    pub postcode: String,
    pub place: String,
    /// Normalised identifiers, sorted by kind.
    pub identifiers: Vec<(String, String)>,
}

/// Why (part of) a record could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub field: &'static str,
    pub reason: &'static str,
}

/// Reads a birth date in the common spellings; `None` for absurd or placeholder dates
/// (`1900-01-01`, `0000-00-00`, years before 1900 or after 2100).
pub fn parse_birth(raw: &str) -> Option<(i32, u32, u32)> {
    let digits: Vec<&str> = raw.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).collect();
    let (y, m, d) = match digits.as_slice() {
        [one] if one.len() == 8 => (one[..4].parse().ok()?, one[4..6].parse().ok()?, one[6..].parse().ok()?),
        [a, b, c] if a.len() == 4 => (a.parse().ok()?, b.parse().ok()?, c.parse().ok()?),
        [a, b, c] if c.len() == 4 => (c.parse().ok()?, b.parse().ok()?, a.parse().ok()?),
        _ => return None,
    };
    let valid = (1900..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d);
    let placeholder = (m, d) == (1, 1) && (y == 1900 || y == 1970);
    (valid && !placeholder).then_some((y, m, d))
}

fn normalise_identifier(kind: &str, value: &str) -> Option<(String, String)> {
    let mark = kind.trim_start().chars().next().filter(|c| [crate::model::SHARED_MARK, crate::model::RULING_MARK].contains(c));
    let kind = fold(kind).replace(' ', "");
    let value: String = value.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    // Placeholders such as 000000000 say nothing.
    if kind.is_empty() || value.len() < 4 || value.chars().all(|c| c == '0') {
        return None;
    }
    Some((mark.map(|m| format!("{m}{kind}")).unwrap_or(kind), value))
}

impl Record {
    /// Normalises `input`; values that cannot be used are left out and reported.
    pub fn from_input(input: &RecordInput) -> (Record, Vec<Skipped>) {
        let mut skipped = Vec::new();
        let kind_code = fold(&input.kind);
        let has_person_name = !input.surname.trim().is_empty() || !input.full_name.trim().is_empty() || !input.given_names.trim().is_empty();
        let has_person = has_person_name || !input.birth_date.trim().is_empty();
        let kind = match kind_code.as_str() {
            "persoon" | "person" | "natuurlijk persoon" => Kind::Person,
            "rechtspersoon" | "bedrijf" | "onderneming" | "company" => Kind::Company,
            "" if !input.company_name.trim().is_empty() && !has_person => Kind::Company,
            "" if has_person => Kind::Person,
            _ => Kind::Other,
        };
        let name = (kind == Kind::Person && has_person_name)
            .then(|| {
                let text = if input.surname.trim().is_empty() && !input.full_name.trim().is_empty() {
                    input.full_name.clone()
                } else if input.surname.trim().is_empty() {
                    // No surname at all: the given names still count (`, Jan Willem`).
                    format!(", {}", input.given_names.trim())
                } else {
                    // `Berg, Jan van der` keeps every part in its place.
                    format!("{}, {} {}", input.surname.trim(), input.given_names.trim(), input.prefix.trim())
                };
                parse_name(&text)
            })
            .filter(|n| {
                // A missing surname still leaves the given names to compare.
                let usable = n.surname.chars().count() >= 2 || (n.surname.is_empty() && !n.given.is_empty());
                if !usable {
                    skipped.push(Skipped { field: "achternaam", reason: "te kort of geen Latijns schrift" });
                }
                usable
            });
        let company = (kind == Kind::Company && !input.company_name.trim().is_empty()).then(|| parse_company(&input.company_name)).filter(|c| {
            let usable = c.core.chars().count() >= 2;
            if !usable {
                skipped.push(Skipped { field: "bedrijfsnaam", reason: "te kort of geen Latijns schrift" });
            }
            usable
        });
        let birth = if input.birth_date.trim().is_empty() {
            None
        } else {
            let b = parse_birth(&input.birth_date);
            if b.is_none() {
                skipped.push(Skipped { field: "geboortedatum", reason: "onleesbaar, onmogelijk of een plaatshouder" });
            }
            b
        };
        let address = postcode_key(&format!("{} {}", input.postcode, input.house_number));
        // Without a Dutch postcode and house number, the postcode is compared on its own.
        let postcode = if address.is_none() { fold(&input.postcode).replace(' ', "") } else { String::new() };
        let street = if address.is_none() && !input.street.trim().is_empty() { fold(&format!("{} {}", input.street, input.house_number)) } else { String::new() };
        let mut identifiers: Vec<(String, String)> = input.identifiers.iter().filter_map(|(k, v)| normalise_identifier(k, v)).collect();
        identifiers.sort();
        identifiers.dedup();
        (Record { kind, name, company, birth, address, street, postcode, place: place_key(&input.city), identifiers }, skipped)
    }

    /// [`Record::from_input`] for many inputs, on every core, in input order.
    pub fn from_inputs(inputs: &[RecordInput]) -> Vec<(Record, Vec<Skipped>)> {
        let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        if threads == 1 || inputs.len() < 1024 {
            return inputs.iter().map(Record::from_input).collect();
        }
        let chunk = inputs.len().div_ceil(threads);
        std::thread::scope(|s| {
            let handles: Vec<_> = inputs.chunks(chunk).map(|part| (part, s.spawn(move || part.iter().map(Record::from_input).collect::<Vec<_>>()))).collect();
            // A worker that failed (not expected) has its part redone here, so every input
            // keeps its place.
            handles.into_iter().flat_map(|(part, h)| h.join().unwrap_or_else(|_| part.iter().map(Record::from_input).collect())).collect()
        })
    }

    /// Does the record carry anything to match on?
    pub fn is_matchable(&self) -> bool {
        self.name.is_some() || self.company.is_some() || self.address.is_some() || !self.identifiers.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birth_dates_in_common_spellings_and_placeholders() {
        assert_eq!(parse_birth("1979-04-12"), Some((1979, 4, 12)));
        assert_eq!(parse_birth("12-04-1979"), Some((1979, 4, 12)));
        assert_eq!(parse_birth("19790412"), Some((1979, 4, 12)));
        assert_eq!(parse_birth("1900-01-01"), None);
        assert_eq!(parse_birth("3024-13-45"), None);
        assert_eq!(parse_birth("gisteren"), None);
    }

    #[test]
    fn unusable_parts_are_reported() {
        let (r, skipped) = Record::from_input(&RecordInput { surname: "X".into(), birth_date: "31-31-1999".into(), ..RecordInput::default() });
        assert_eq!(r.kind, Kind::Person);
        assert!(r.name.is_none());
        assert!(!r.is_matchable());
        assert_eq!(skipped.iter().map(|s| s.field).collect::<Vec<_>>(), ["achternaam", "geboortedatum"]);
        // Non-Latin script is kept as written (and compared as such), not dropped.
        let (r, skipped) = Record::from_input(&RecordInput { surname: "Иванов".into(), ..RecordInput::default() });
        assert_eq!(r.name.map(|n| n.surname), Some("иванов".to_string()));
        assert!(skipped.is_empty());
    }

    #[test]
    fn a_missing_surname_keeps_the_given_names() {
        let input = RecordInput { given_names: "Jan Willem".into(), birth_date: "1979-04-12".into(), ..RecordInput::default() };
        let (r, skipped) = Record::from_input(&input);
        assert!(skipped.is_empty(), "{skipped:?}");
        let name = r.name.unwrap_or_else(|| parse_name(""));
        assert_eq!((name.surname.as_str(), name.given.len()), ("", 2), "{name:?}");
        assert_eq!(name.initials, "jw", "{name:?}");
    }

    #[test]
    fn identifiers_are_normalised_and_placeholders_dropped() {
        let input = RecordInput {
            kind: "rechtspersoon".into(),
            company_name: "Jansen BV".into(),
            identifiers: vec![("KvK".into(), "5412 8893".into()), ("bsn".into(), "000000000".into())],
            ..RecordInput::default()
        };
        let (r, _) = Record::from_input(&input);
        assert_eq!(r.identifiers, vec![("kvk".to_string(), "54128893".to_string())]);
    }
}
