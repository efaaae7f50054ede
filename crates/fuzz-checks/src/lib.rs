//! The properties the fuzz targets check. Each function takes arbitrary bytes and panics when a
//! property does not hold; that panic is what the fuzzer and the corpus replay report.
//!
//! - [`identifiers`]: every identifier parser either refuses or returns a normal form that
//!   parses to itself.
//! - [`personal_data`]: the personal-data scan never repeats more than four characters of what
//!   it found and gives the same answer twice.
//! - [`csv_import`]: a mapping line plus a CSV file is read or refused, never more ids than
//!   records, and every row is either read or reported.
//! - [`normaliser`]: the matching normaliser is idempotent and yields only letters, digits and
//!   single inner spaces; a record from any fields can be built and compared with itself.
//!
//! - [`documents`]: an upload the attachment check accepts gives text, no text or a reason — never
//!   a crash — and the text is bounded and free of control characters.
//!
//! The workspace denies `panic!` in library code; this crate is a test harness whose whole job is
//! to panic on a broken property.
#![allow(clippy::panic)]

use knooppunt_domain::identifiers::{BagId, Bsn, HouseNumber, Iban, KvkNumber, LicencePlate, Postcode, Rsin};
use knooppunt_domain::policy_signal::scan_personal_data;
use knooppunt_matching::{fold, Record, RecordInput};

/// The targets by name, as cargo-fuzz names them in `fuzz/fuzz_targets/` and their corpora in
/// `fuzz/corpus/`.
pub type Check = fn(&[u8]);

/// Every target with its check.
pub const TARGETS: &[(&str, Check)] =
    &[("identifiers", identifiers), ("personal_data", personal_data), ("csv_import", csv_import), ("normaliser", normaliser), ("documents", documents)];

/// An upload that passes the attachment check is read for its text without a crash; the text
/// is at most `MAX_TEXT_CHARS` characters without control characters other than newline and tab.
pub fn documents(data: &[u8]) {
    let Ok(kind) = knooppunt_domain::attachment::check_attachment("bestand", data) else { return };
    if let knooppunt_extract::Extracted::Text(text) = knooppunt_extract::text_of(kind, data) {
        assert!(text.chars().count() <= knooppunt_extract::MAX_TEXT_CHARS, "text of {} characters", text.chars().count());
        if let Some(c) = text.chars().find(|c| c.is_control() && *c != '\n' && *c != '\t') {
            panic!("control character {c:?} in the extracted text");
        }
    }
}

fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// Checks that `parse` of the normal form `show` gives the same value.
fn fixed_point<T: PartialEq + std::fmt::Debug>(what: &str, raw: &str, parse: impl Fn(&str) -> Result<T, String>, show: impl Fn(&T) -> String) {
    if let Ok(v) = parse(raw) {
        let normal = show(&v);
        match parse(&normal) {
            Ok(again) if again == v => {}
            other => panic!("{what}: {raw:?} parsed to {v:?}, whose normal form {normal:?} parses to {other:?}"),
        }
    }
}

/// Identifier parsing: refuse, or give a normal form that parses to itself.
pub fn identifiers(data: &[u8]) {
    let raw = text(data);
    let raw = raw.as_ref();
    fixed_point("BSN", raw, Bsn::parse, |v| v.as_str().to_string());
    fixed_point("RSIN", raw, Rsin::parse, |v| v.as_str().to_string());
    fixed_point("KvK", raw, KvkNumber::parse, |v| v.as_str().to_string());
    fixed_point("postcode", raw, Postcode::parse, |v| v.as_str().to_string());
    fixed_point("huisnummer", raw, HouseNumber::parse, |v| v.to_string());
    fixed_point("BAG", raw, BagId::parse, |v| v.as_str().to_string());
    fixed_point("IBAN", raw, Iban::parse, |v| v.as_str().to_string());
    fixed_point("kenteken", raw, LicencePlate::parse, |v| v.as_str().to_string());
    if let Ok(b) = Bsn::parse(raw) {
        assert!(b.as_str().len() == 9 && b.as_str().bytes().all(|c| c.is_ascii_digit()), "BSN {raw:?} gave {b:?}");
    }
}

/// The personal-data scan: a finding shows at most four of its letters and digits, and the scan
/// is deterministic.
pub fn personal_data(data: &[u8]) {
    let raw = text(data);
    let found = scan_personal_data(&raw);
    for f in &found {
        let shown = f.masked.chars().filter(|c| c.is_alphanumeric()).count();
        assert!(shown <= 4, "finding {f:?} in {raw:?} shows {shown} characters");
    }
    assert_eq!(found, scan_personal_data(&raw), "scan of {raw:?} is not deterministic");
}

/// CSV import: the first line is a column mapping, the rest a CSV file. Either is refused with
/// reasons, or every id has its record.
pub fn csv_import(data: &[u8]) {
    let (spec, csv) = match data.iter().position(|b| *b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let mapping = match knooppunt_app::linkage::Mapping::parse(&text(spec)) {
        Ok(m) => m,
        Err(problems) => {
            assert!(!problems.is_empty(), "a refused mapping must say why");
            return;
        }
    };
    match knooppunt_app::linkage::read_records(csv, &mapping) {
        Ok(read) => {
            assert_eq!(read.ids.len(), read.records.len(), "ids and records differ in number");
            assert!(read.ids.iter().all(|id| !id.is_empty()), "a row without a key was read");
            assert!(read.unmatchable as usize <= read.records.len());
        }
        Err(problems) => assert!(!problems.is_empty(), "a refused file must say why"),
    }
}

/// The matching normaliser: `fold` is idempotent and well formed; records built from any
/// fields compare with themselves without a panic, and a name or birth date that could be read
/// agrees with itself.
pub fn normaliser(data: &[u8]) {
    let raw = text(data);
    let folded = fold(&raw);
    assert_eq!(fold(&folded), folded, "fold is not idempotent on {raw:?}");
    assert!(!folded.starts_with(' ') && !folded.ends_with(' ') && !folded.contains("  "), "fold of {raw:?} is {folded:?}");
    assert!(folded.chars().all(|c| c == ' ' || c.is_alphanumeric()), "fold of {raw:?} is {folded:?}");
    assert_eq!(folded.to_lowercase(), folded, "fold of {raw:?} keeps upper case");
    // The input split on a separator that cannot be in a field fills every field.
    let mut parts = raw.split('|').map(str::to_string);
    let mut next = || parts.next().unwrap_or_default();
    let input = RecordInput {
        kind: next(),
        full_name: next(),
        given_names: next(),
        prefix: next(),
        surname: next(),
        birth_date: next(),
        company_name: next(),
        street: next(),
        house_number: next(),
        postcode: next(),
        city: next(),
        identifiers: vec![(next(), next())],
    };
    let (record, _skipped) = Record::from_input(&input);
    let again = Record::from_input(&input).0;
    assert_eq!(record, again, "normalising {input:?} twice differs");
    let linked = knooppunt_matching::link(
        std::slice::from_ref(&record),
        std::slice::from_ref(&again),
        &knooppunt_matching::Model::default(),
        &knooppunt_matching::LinkOptions { estimate: false, ..knooppunt_matching::LinkOptions::default() },
    );
    for pair in &linked.pairs {
        assert!(pair.explanation.probability.is_finite(), "probability of {input:?} with itself is {}", pair.explanation.probability);
    }
}
