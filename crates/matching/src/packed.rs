//! Records packed for comparing many pairs: the text every comparison reads lies in one
//! contiguous run per record (field lengths in one array, the bytes in one string), instead of
//! a dozen separate heap strings. Linking compares millions of pairs between records in random
//! order; with [`Record`] every field was a cache miss of its own.
//!
//! [`Packed::compare`] gives exactly the pattern [`crate::model::compare`] gives for the same
//! records (a test checks this on generated variants).

use crate::compare::{compare_date, compare_text, Agreement};
use crate::model::{compare_code, decide, hold_look_alike, is_unique, Explanation, Model, Pattern, N};
use crate::record::{Kind, Record};

/// Text fields, in their order in a record's run; identifier kinds and values follow.
const SURNAME: usize = 0;
const SURNAME_KEY: usize = 1;
const SURNAME_AS_GIVEN: usize = 2;
const GIVEN: usize = 3;
const INITIALS: usize = 4;
const CORE: usize = 5;
const TRADE_NAME: usize = 6;
const ADDRESS: usize = 7;
const STREET: usize = 8;
const PLACE: usize = 9;
const POSTCODE: usize = 10;
const FIXED: usize = 11;

const HAS_NAME: u8 = 1;
const HAS_GIVEN: u8 = 2;
const HAS_COMPANY: u8 = 4;
const HAS_TRADE_NAME: u8 = 8;
const HAS_ADDRESS: u8 = 16;

#[derive(Debug, Clone, Copy)]
struct Head {
    /// Start of the record's lengths in `lens` and of its text in `text`.
    lens: u32,
    text: u32,
    birth: Option<(i32, u32, u32)>,
    kind: Kind,
    flags: u8,
    identifiers: u8,
}

/// One side's records, packed.
#[derive(Debug, Default)]
pub struct Packed {
    heads: Vec<Head>,
    lens: Vec<u16>,
    text: String,
}

/// The text fields of one packed record.
struct View<'a> {
    head: Head,
    fields: [&'a str; FIXED],
    /// The identifier kinds and values, alternating.
    ids: &'a [u16],
    rest: &'a str,
}

impl<'a> View<'a> {
    fn has(&self, flag: u8) -> bool {
        self.head.flags & flag != 0
    }

    /// The identifiers as `(kind, value)`.
    fn identifiers(&self) -> impl Iterator<Item = (&'a str, &'a str)> + '_ {
        let mut at = 0usize;
        self.ids.chunks_exact(2).map(move |kv| {
            let (k, v) = (usize::from(kv[0]), usize::from(kv[1]));
            let kind = self.rest.get(at..at + k).unwrap_or_default();
            let value = self.rest.get(at + k..at + k + v).unwrap_or_default();
            at += k + v;
            (kind, value)
        })
    }
}

impl Packed {
    /// Packs `records`. Text longer than 65,535 bytes in one field is cut (no normalised field
    /// comes near).
    pub fn new(records: &[Record]) -> Packed {
        let mut p = Packed { heads: Vec::with_capacity(records.len()), lens: Vec::with_capacity(records.len() * 14), text: String::with_capacity(records.len() * 64) };
        for r in records {
            p.push(r);
        }
        p
    }

    /// Packs `records` after those packed before.
    pub fn extend<'a>(&mut self, records: impl IntoIterator<Item = &'a Record>) {
        for r in records {
            self.push(r);
        }
    }

    fn push(&mut self, r: &Record) {
        let head = Head {
            lens: u32::try_from(self.lens.len()).unwrap_or(u32::MAX),
            text: u32::try_from(self.text.len()).unwrap_or(u32::MAX),
            birth: r.birth,
            kind: r.kind,
            flags: (if r.name.is_some() { HAS_NAME } else { 0 })
                | (if r.name.as_ref().is_some_and(|n| !n.given.is_empty()) { HAS_GIVEN } else { 0 })
                | (if r.company.is_some() { HAS_COMPANY } else { 0 })
                | (if r.company.as_ref().is_some_and(|c| c.trade_name.is_some()) { HAS_TRADE_NAME } else { 0 })
                | (if r.address.is_some() { HAS_ADDRESS } else { 0 }),
            identifiers: u8::try_from(r.identifiers.len()).unwrap_or(u8::MAX),
        };
        let name = r.name.as_ref();
        let company = r.company.as_ref();
        let fields: [&str; FIXED] = [
            name.map(|n| n.surname.as_str()).unwrap_or_default(),
            name.map(|n| n.surname_key.as_str()).unwrap_or_default(),
            name.map(|n| n.surname_as_given.as_str()).unwrap_or_default(),
            name.and_then(|n| n.given.first()).map(String::as_str).unwrap_or_default(),
            name.map(|n| n.initials.as_str()).unwrap_or_default(),
            company.map(|c| c.core.as_str()).unwrap_or_default(),
            company.and_then(|c| c.trade_name.as_deref()).unwrap_or_default(),
            r.address.as_deref().unwrap_or_default(),
            &r.street,
            &r.place,
            &r.postcode,
        ];
        for f in fields {
            self.put(f);
        }
        for (k, v) in r.identifiers.iter().take(usize::from(u8::MAX)) {
            self.put(k);
            self.put(v);
        }
        self.heads.push(head);
    }

    fn put(&mut self, field: &str) {
        let mut end = field.len().min(usize::from(u16::MAX));
        while !field.is_char_boundary(end) {
            end -= 1;
        }
        self.text.push_str(&field[..end]);
        self.lens.push(u16::try_from(end).unwrap_or(u16::MAX));
    }

    pub fn len(&self) -> usize {
        self.heads.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heads.is_empty()
    }

    fn view(&self, i: usize) -> Option<View<'_>> {
        let head = *self.heads.get(i)?;
        let start = head.lens as usize;
        let lens = self.lens.get(start..start + FIXED + 2 * usize::from(head.identifiers))?;
        let mut fields = [""; FIXED];
        let mut at = head.text as usize;
        for (f, len) in fields.iter_mut().zip(lens) {
            let end = at + usize::from(*len);
            *f = self.text.get(at..end)?;
            at = end;
        }
        let ids = &lens[FIXED..];
        let id_bytes: usize = ids.iter().map(|l| usize::from(*l)).sum();
        Some(View { head, fields, ids, rest: self.text.get(at..at + id_bytes)? })
    }

    /// [`crate::model::comparable`] for record `i` of `self` and `j` of `other`.
    pub fn comparable(&self, i: usize, other: &Packed, j: usize) -> bool {
        match (self.heads.get(i), other.heads.get(j)) {
            (Some(a), Some(b)) => a.kind == b.kind && (a.kind != Kind::Other || a.identifiers > 0 || a.flags & HAS_ADDRESS != 0),
            _ => false,
        }
    }

    /// [`crate::model::compare`] for record `i` of `self` and `j` of `other`.
    pub fn compare(&self, i: usize, other: &Packed, j: usize) -> Pattern {
        let (Some(a), Some(b)) = (self.view(i), other.view(j)) else { return [Agreement::Missing; N] };
        let mut p = [Agreement::Missing; N];
        if a.head.kind != b.head.kind {
            return [Agreement::Disagree; N];
        }
        p[0] = identifiers(&a, &b);
        if a.has(HAS_NAME) && b.has(HAS_NAME) {
            let (x, y) = (&a.fields, &b.fields);
            p[1] = match compare_text(x[SURNAME], y[SURNAME]) {
                Agreement::Disagree if x[SURNAME_KEY] == y[SURNAME_KEY] => Agreement::Similar,
                other => other,
            };
            p[2] = if a.has(HAS_GIVEN) && b.has(HAS_GIVEN) {
                compare_text(x[GIVEN], y[GIVEN])
            } else if x[INITIALS].is_empty() || y[INITIALS].is_empty() {
                Agreement::Missing
            } else if x[INITIALS].chars().next() == y[INITIALS].chars().next() {
                Agreement::Similar
            } else {
                Agreement::Disagree
            };
            // Given name and surname swapped between the two sources.
            // (Checked last: it is rare, and the hot loop of large links.)
            if p[1] == Agreement::Disagree
                && p[2] == Agreement::Disagree
                && !x[SURNAME].is_empty()
                && !y[SURNAME].is_empty()
                && crate::compare::swapped(x[SURNAME_AS_GIVEN], x[GIVEN], y[SURNAME_AS_GIVEN], y[GIVEN])
            {
                p[1] = Agreement::Similar;
                p[2] = Agreement::Similar;
            }
        }
        p[3] = compare_date(a.head.birth, b.head.birth);
        if a.has(HAS_COMPANY) && b.has(HAS_COMPANY) {
            // The statutory and trade names of either side may meet.
            let xs = [Some(a.fields[CORE]), a.has(HAS_TRADE_NAME).then_some(a.fields[TRADE_NAME])];
            let ys = [Some(b.fields[CORE]), b.has(HAS_TRADE_NAME).then_some(b.fields[TRADE_NAME])];
            p[4] = xs.iter().flatten().flat_map(|n| ys.iter().flatten().map(move |m| compare_text(n, m))).max().unwrap_or(Agreement::Missing);
        }
        let (x, y) = (a.fields[ADDRESS], b.fields[ADDRESS]);
        p[5] = if a.has(HAS_ADDRESS) && b.has(HAS_ADDRESS) {
            if x == y {
                Agreement::Exact
            } else if x.get(..6) == y.get(..6) {
                // Same postcode, other number: a neighbour or a typo.
                Agreement::Similar
            } else {
                Agreement::Disagree
            }
        } else {
            compare_text(a.fields[STREET], b.fields[STREET])
        };
        p[6] = compare_text(a.fields[PLACE], b.fields[PLACE]);
        p[7] = compare_code(a.fields[POSTCODE], b.fields[POSTCODE]);
        p
    }
}

impl Packed {
    /// [`Model::score`] for record `i` of `self` and `j` of `other`.
    pub fn score(&self, i: usize, other: &Packed, j: usize, model: &Model) -> Explanation {
        let p = self.compare(i, other, j);
        let mut e = model.explain(&p);
        match (self.view(i), other.view(j)) {
            (Some(a), Some(b)) => decide(&mut e, &p, model, identifiers_with_kind(&a, &b).1, a.head.kind == b.head.kind, || conflicting(&a, &b)),
            _ => hold_look_alike(&mut e, &p, model),
        }
        e
    }

    /// [`crate::link::is_anchor`] for record `i` of `self` and `j` of `other`.
    pub fn is_anchor(&self, i: usize, other: &Packed, j: usize) -> bool {
        let (Some(a), Some(b)) = (self.view(i), other.view(j)) else { return false };
        matches!(identifiers_with_kind(&a, &b), (Agreement::Exact, Some(k)) if is_unique(k))
    }
}

/// [`crate::model::compare_identifiers`]'s level.
fn identifiers(a: &View<'_>, b: &View<'_>) -> Agreement {
    identifiers_with_kind(a, b).0
}

/// [`crate::model::compare_identifiers`].
fn identifiers_with_kind<'a>(a: &View<'a>, b: &View<'_>) -> (Agreement, Option<&'a str>) {
    let mut best = Agreement::Missing;
    for (k, v) in a.identifiers() {
        for (k2, v2) in b.identifiers() {
            if k == k2 {
                let level = compare_code(v, v2);
                if level == Agreement::Exact {
                    return (Agreement::Exact, Some(k));
                }
                best = best.max(level);
            }
        }
    }
    (best, None)
}

/// [`crate::model::conflicting_identifiers`].
fn conflicting<'v>(a: &'v View<'_>, b: &'v View<'_>) -> impl Iterator<Item = &'v str> + 'v {
    a.identifiers().filter(|(k, _)| is_unique(k)).filter_map(move |(k, v)| {
        let mut same_kind = b.identifiers().filter(|(k2, _)| *k2 == k).peekable();
        (same_kind.peek().is_some() && same_kind.all(|(_, v2)| compare_code(v, v2) == Agreement::Disagree)).then_some(k)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{comparable, compare};
    use crate::record::RecordInput;

    fn records() -> Vec<Record> {
        let persons = [
            ("Jan", "van der", "Berg", "1979-04-12", "1011AB", "1", "Amsterdam", "123456782"),
            ("J.", "", "Berg, van der", "1979-12-04", "1011 ab", "1a", "amsterdam", ""),
            ("Berg", "", "Jan", "1979-04-12", "1011AB", "1", "", "123456782"),
            ("Mohammed", "", "Özdemir", "", "", "", "Den Haag", "987654321"),
            ("Muhammad", "", "Oezdemir", "1980-01-02", "", "", "'s-Gravenhage", "987654312"),
            ("", "", "Jansen", "1950-01-02", "", "", "", ""),
            ("Анна", "", "Иванова", "1970-05-05", "", "", "", ""),
        ];
        let mut out: Vec<Record> = persons
            .iter()
            .map(|(g, pre, s, b, pc, nr, city, bsn)| {
                Record::from_input(&RecordInput {
                    kind: "persoon".into(),
                    given_names: (*g).into(),
                    prefix: (*pre).into(),
                    surname: (*s).into(),
                    birth_date: (*b).into(),
                    postcode: (*pc).into(),
                    house_number: (*nr).into(),
                    city: (*city).into(),
                    identifiers: vec![("bsn".into(), (*bsn).into())],
                    ..RecordInput::default()
                })
                .0
            })
            .collect();
        for (name, pc, kvk, street) in [
            ("Jansen Holding B.V. h.o.d.n. Bakkerij Jansen", "5611EZ", "54128893", ""),
            ("Bakkerij Jansen", "5611 EZ", "54128894", ""),
            ("Jansen BV", "", "", "Kerkstraat 1"),
            ("Jansen B.V.", "", "", "kerkstraat 1"),
        ] {
            out.push(
                Record::from_input(&RecordInput {
                    company_name: name.into(),
                    postcode: pc.into(),
                    house_number: "12".into(),
                    street: street.into(),
                    identifiers: vec![("kvk".into(), kvk.into())],
                    ..RecordInput::default()
                })
                .0,
            );
        }
        out.push(Record::from_input(&RecordInput { kind: "voertuig".into(), identifiers: vec![("kenteken".into(), "AB-123-C".into())], ..RecordInput::default() }).0);
        out.push(Record::from_input(&RecordInput { kind: "voertuig".into(), postcode: "B-1000".into(), ..RecordInput::default() }).0);
        // Two BSNs on one side, a typo and a conflict; a non-deterministic identifier.
        out.push(
            Record::from_input(&RecordInput {
                kind: "persoon".into(),
                surname: "Berg".into(),
                identifiers: vec![("bsn".into(), "123456782".into()), ("bsn".into(), "111222333".into()), ("klantnr".into(), "A-7788".into())],
                ..RecordInput::default()
            })
            .0,
        );
        out.push(
            Record::from_input(&RecordInput {
                kind: "persoon".into(),
                surname: "Berg".into(),
                identifiers: vec![("bsn".into(), "123456728".into()), ("klantnr".into(), "A-7788".into())],
                ..RecordInput::default()
            })
            .0,
        );
        out
    }

    #[test]
    fn packed_comparison_is_the_record_comparison() {
        let records = records();
        let packed = Packed::new(&records);
        assert_eq!(packed.len(), records.len());
        let tuned = Model { prior: [0.3; crate::model::GROUPS], ..Model::default() };
        for (i, a) in records.iter().enumerate() {
            for (j, b) in records.iter().enumerate() {
                assert_eq!(packed.compare(i, &packed, j), compare(a, b), "{i} {j}");
                assert_eq!(packed.comparable(i, &packed, j), comparable(a, b), "{i} {j}");
                assert_eq!(packed.is_anchor(i, &packed, j), crate::link::is_anchor(a, b), "{i} {j}");
                for model in [&Model::default(), &tuned] {
                    assert_eq!(packed.score(i, &packed, j, model), model.score(a, b), "{i} {j}");
                }
            }
        }
        assert_eq!(packed.compare(0, &packed, records.len()), [Agreement::Missing; N]);
    }
}
