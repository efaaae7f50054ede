//! Fellegi-Sunter match weights: every field comparison yields an agreement level; each level
//! has a probability `m` among true matches and `u` among non-matches; the match weight is the
//! sum of `log2(m/u)` over the fields plus the prior odds. `m` and `u` are estimated from the
//! candidate pairs themselves with expectation-maximisation ([`Model::estimate`]), so that a
//! threshold on the match probability means the same on new data.

// m, u and their accumulators are matrices indexed by field and level together.
#![allow(clippy::needless_range_loop)]

use crate::compare::{compare_date, compare_given, compare_surname, compare_text, Agreement};
use crate::record::{Kind, Record};

pub use crate::household::{hold_look_alike, in_household, look_alike, Household};
pub use crate::identifiers::{
    compare_identifiers, conflicting_identifiers, corroborated, decide, is_ruling, is_unique, plain_kind, rules_out, RULING, RULING_MARK, SHARED, SHARED_MARK,
};

/// The fields a comparison looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Identifier,
    Surname,
    GivenName,
    BirthDate,
    CompanyName,
    Address,
    Place,
    /// A postcode that is not Dutch (the Dutch one is part of the address key).
    Postcode,
}

/// The number of compared fields.
pub const N: usize = 8;

pub const FIELDS: [Field; N] = [Field::Identifier, Field::Surname, Field::GivenName, Field::BirthDate, Field::CompanyName, Field::Address, Field::Place, Field::Postcode];

impl Field {
    pub fn code(self) -> &'static str {
        match self {
            Field::Identifier => "identificatie",
            Field::Surname => "achternaam",
            Field::GivenName => "voornaam",
            Field::BirthDate => "geboortedatum",
            Field::CompanyName => "bedrijfsnaam",
            Field::Address => "adres",
            Field::Place => "plaats",
            Field::Postcode => "postcode",
        }
    }

    pub fn parse(code: &str) -> Option<Field> {
        FIELDS.iter().copied().find(|f| f.code() == code)
    }

    /// Dutch label for people.
    pub fn label(self) -> &'static str {
        match self {
            Field::Identifier => "identificatienummer",
            Field::Surname => "achternaam",
            Field::GivenName => "voornaam",
            Field::BirthDate => "geboortedatum",
            Field::CompanyName => "bedrijfsnaam",
            Field::Address => "postcode en huisnummer",
            Field::Place => "plaats",
            Field::Postcode => "postcode",
        }
    }
}

pub(crate) fn level_index(a: Agreement) -> Option<usize> {
    match a {
        Agreement::Missing => None,
        Agreement::Disagree => Some(0),
        Agreement::Similar => Some(1),
        Agreement::Exact => Some(2),
    }
}

/// The agreement level of every field for one pair.
pub type Pattern = [Agreement; N];

/// Compares two records field by field. Records of different kinds disagree everywhere.
pub fn compare(a: &Record, b: &Record) -> Pattern {
    let mut p = [Agreement::Missing; N];
    if a.kind != b.kind {
        return [Agreement::Disagree; N];
    }
    p[0] = compare_identifiers(a, b).0;
    if let (Some(x), Some(y)) = (&a.name, &b.name) {
        p[1] = compare_surname(x, y);
        p[2] = compare_given(x, y);
        // Given name and surname swapped between the two sources.
        if p[1] == Agreement::Disagree && p[2] == Agreement::Disagree && swapped(x, y) {
            p[1] = Agreement::Similar;
            p[2] = Agreement::Similar;
        }
    }
    p[3] = compare_date(a.birth, b.birth);
    if let (Some(x), Some(y)) = (&a.company, &b.company) {
        let names = |k: &crate::company::CompanyKey| {
            let mut v = vec![k.core.clone()];
            v.extend(k.trade_name.clone());
            v
        };
        // The statutory and trade names of either side may meet.
        p[4] = names(x).iter().flat_map(|n| names(y).into_iter().map(move |m| compare_text(n, &m))).max().unwrap_or(Agreement::Missing);
    }
    p[5] = match (&a.address, &b.address) {
        (Some(x), Some(y)) if x == y => Agreement::Exact,
        // Same postcode, other number: a neighbour or a typo.
        (Some(x), Some(y)) if x.get(..6) == y.get(..6) => Agreement::Similar,
        (Some(_), Some(_)) => Agreement::Disagree,
        _ => compare_text(&a.street, &b.street),
    };
    p[6] = compare_text(&a.place, &b.place);
    p[7] = compare_code(&a.postcode, &b.postcode);
    p
}

fn swapped(x: &crate::person::NameKey, y: &crate::person::NameKey) -> bool {
    fn given(n: &crate::person::NameKey) -> &str {
        n.given.first().map(String::as_str).unwrap_or_default()
    }
    !x.surname.is_empty() && !y.surname.is_empty() && crate::compare::swapped(&x.surname_as_given, given(x), &y.surname_as_given, given(y))
}

/// Codes (identifiers, postcodes): equal, one typo apart (one substitution, insertion,
/// deletion or swap of neighbours), or different.
pub fn compare_code(a: &str, b: &str) -> Agreement {
    if a.is_empty() || b.is_empty() {
        Agreement::Missing
    } else if a == b {
        Agreement::Exact
    } else if within_one_edit(a, b) {
        Agreement::Similar
    } else {
        Agreement::Disagree
    }
}

/// Optimal string alignment distance ≤ 1, in one pass without allocating for ASCII (the
/// identifiers and postcodes it is used on); other text goes through `strsim`.
fn within_one_edit(a: &str, b: &str) -> bool {
    if !a.is_ascii() || !b.is_ascii() {
        return strsim::osa_distance(a, b) <= 1;
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let i = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        if i == short.len() {
            return true;
        }
        // One substitution, or one swap of neighbours.
        short[i + 1..] == long[i + 1..] || (i + 1 < short.len() && short[i] == long[i + 1] && short[i + 1] == long[i] && short[i + 2..] == long[i + 2..])
    } else {
        // One insertion.
        short[i..] == long[i + 1..]
    }
}

/// The groups of pairs with a prior of their own ([`group`]): persons, companies, and pairs
/// with neither names nor a date to compare.
pub const GROUPS: usize = 3;

/// The group a comparison pattern belongs to: 0 when a person's surname, given name or birth
/// date was compared, 1 when a company name was, 2 otherwise. Persons and companies are not
/// equally many, nor equally often duplicated, so one prior for both would misjudge one.
pub fn group(p: &Pattern) -> usize {
    let there = |f: Field| p[f as usize] != Agreement::Missing;
    if there(Field::Surname) || there(Field::GivenName) || there(Field::BirthDate) {
        0
    } else if there(Field::CompanyName) {
        1
    } else {
        2
    }
}

/// Fellegi-Sunter parameters: per [`group`] the prior probability that two records are a
/// match, and `m`/`u` per field and level (`Disagree`, `Similar`, `Exact`); and the model of
/// pairs at one address with one surname ([`Household`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub prior: [f64; GROUPS],
    pub m: [[f64; 3]; N],
    pub u: [[f64; 3]; N],
    pub household: Household,
}

/// How strongly one field spoke for or against the match.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub field: Field,
    pub level: Agreement,
    /// `log2(m/u)`: positive for, negative against.
    pub weight: f64,
}

/// Why a pair scored as it did.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// The match probability, 0 to 1.
    pub probability: f64,
    /// Total match weight in bits (prior included).
    pub weight: f64,
    pub fields: Vec<Evidence>,
    /// The identifier kind that made this a deterministic match.
    pub deterministic: Option<String>,
    /// The identifier kind whose conflicting values rule the match out (two BSNs differ: two
    /// people).
    pub conflict: Option<String>,
    /// Relatives or namesakes at one address: surname and address agree, but the given name or
    /// the birth date differs ([`look_alike`]); address and surname were not counted for it.
    pub look_alike: bool,
}

impl Explanation {
    /// Fields that agreed exactly or closely.
    pub fn agreeing(&self) -> Vec<Field> {
        self.fields.iter().filter(|e| e.level >= Agreement::Similar).map(|e| e.field).collect()
    }
}

impl Default for Model {
    /// Priors for Dutch case subjects, before any estimation.
    fn default() -> Self {
        Model {
            prior: [0.01; GROUPS],
            //       Disagree Similar Exact
            m: [
                [0.02, 0.03, 0.95], // identifier
                [0.03, 0.12, 0.85], // surname
                [0.03, 0.30, 0.67], // given name
                [0.05, 0.10, 0.85], // birth date
                [0.05, 0.25, 0.70], // company name
                [0.25, 0.05, 0.70], // address
                [0.20, 0.05, 0.75], // place
                [0.10, 0.05, 0.85], // foreign postcode
            ],
            u: [
                [0.998, 0.001, 0.001],
                [0.90, 0.07, 0.03],
                [0.80, 0.15, 0.05],
                [0.985, 0.01, 0.005],
                [0.90, 0.095, 0.005],
                [0.97, 0.02, 0.01],
                [0.84, 0.01, 0.15],
                [0.97, 0.02, 0.01],
            ],
            household: Household::default(),
        }
    }
}

/// The smallest `m` a weight is computed with: a field that disagrees among matches at most
/// once in 10,000 weighs at most 13.3 bits against.
const FLOOR: f64 = 1e-4;

/// The smallest `u`: an agreement that a sample of 200,000 random pairs did not show at all
/// (one address, one birth date in a large population) weighs at most about 20 bits for. The
/// prior is over all pairs, one match in 10⁵ to 10¹² of them, so that evidence is needed.
const FLOOR_U: f64 = 1e-6;

/// Is field `i` implied by another field of `p`, so that counting it would count one piece of
/// evidence twice? The place and a foreign postcode are, when the address (postcode and house
/// number, or street and number) agrees exactly: one address, not three agreements; and the
/// place is, when the postcode agrees exactly. Without this, relatives at one address got about
/// 15 bits from where they live, and strangers in one suburb 15 bits from suburb and postcode.
fn implied(p: &Pattern, i: usize) -> bool {
    let exact = |f: Field| p[f as usize] == Agreement::Exact;
    (i == Field::Place as usize && (exact(Field::Address) || exact(Field::Postcode))) || (i == Field::Postcode as usize && exact(Field::Address))
}

pub(crate) fn log2_ratio(m: f64, u: f64) -> f64 {
    (m.max(FLOOR) / u.max(FLOOR_U)).log2()
}

impl Model {
    /// The parameters as text (`prior`, then `m` and `u` row by row, then the household's prior
    /// and `u` of given name and birth date), for storage.
    pub fn to_text(&self) -> String {
        let mut v = self.prior.to_vec();
        v.extend(self.m.iter().flatten());
        v.extend(self.u.iter().flatten());
        v.push(self.household.prior);
        v.extend(self.household.given);
        v.extend(self.household.birth);
        v.iter().map(|x| format!("{x:e}")).collect::<Vec<_>>().join(" ")
    }

    /// Reads [`Model::to_text`]; `None` when the text is not `GROUPS + 6N + 7` numbers in range
    /// (or a length stored before: one prior for all groups, or no household).
    pub fn from_text(text: &str) -> Option<Model> {
        let mut v: Vec<f64> = text.split_whitespace().map(str::parse).collect::<Result<_, _>>().ok()?;
        let household = if v.len() == GROUPS + 6 * N + 7 {
            let h = v.split_off(GROUPS + 6 * N);
            Household { prior: h[0], given: [h[1], h[2], h[3]], birth: [h[4], h[5], h[6]] }
        } else {
            Household::default()
        };
        // Models stored before priors per group had one prior for all.
        let priors = v.len().checked_sub(6 * N).filter(|k| [1, GROUPS].contains(k))?;
        if v.iter().any(|x| !x.is_finite() || !(0.0..=1.0).contains(x)) {
            return None;
        }
        let shares = household.given.iter().chain(&household.birth);
        if !(household.prior > 0.0 && household.prior < 1.0) || shares.clone().any(|x| !x.is_finite() || !(0.0..=1.0).contains(x)) {
            return None;
        }
        let mut m = Model { household, ..Model::default() };
        for g in 0..GROUPS {
            m.prior[g] = v[g.min(priors - 1)];
        }
        for i in 0..N {
            for l in 0..3 {
                m.m[i][l] = v[priors + i * 3 + l];
                m.u[i][l] = v[priors + 3 * N + i * 3 + l];
            }
        }
        Some(m)
    }

    /// The match weight and its parts for one comparison pattern.
    pub fn explain(&self, p: &Pattern) -> Explanation {
        let mut weight = self.prior_weight(p);
        let mut fields = Vec::new();
        for (i, w) in self.contributions(p) {
            weight += w;
            fields.push(Evidence { field: FIELDS[i], level: p[i], weight: w });
        }
        Explanation { probability: 1.0 / (1.0 + (-weight).exp2()), weight, fields, deterministic: None, conflict: None, look_alike: false }
    }

    /// The match probability of `p` alone, as [`Model::explain`] gives it, without building the
    /// explanation (for the hot loops of estimation and linking).
    pub fn probability(&self, p: &Pattern) -> f64 {
        let weight = self.prior_weight(p) + self.contributions(p).map(|(_, w)| w).sum::<f64>();
        1.0 / (1.0 + (-weight).exp2())
    }

    /// The prior of `p`'s group as a weight in bits.
    fn prior_weight(&self, p: &Pattern) -> f64 {
        let prior = self.prior[group(p)];
        (prior / (1.0 - prior)).log2()
    }

    /// Each field's weight in bits for `p`: the fields that are observed and not implied by
    /// another field's agreement.
    fn contributions<'a>(&'a self, p: &'a Pattern) -> impl Iterator<Item = (usize, f64)> + 'a {
        p.iter().enumerate().filter(move |(i, _)| !implied(p, *i)).filter_map(move |(i, level)| level_index(*level).map(|l| (i, log2_ratio(self.m[i][l], self.u[i][l]))))
    }

    /// The weight in bits of field `f` at `level` (`None` when missing).
    pub fn field_weight(&self, f: Field, level: Agreement) -> Option<f64> {
        level_index(level).map(|l| log2_ratio(self.m[f as usize][l], self.u[f as usize][l]))
    }

    /// Scores a pair of records; an equal deterministic identifier makes the probability 1.
    pub fn score(&self, a: &Record, b: &Record) -> Explanation {
        let p = compare(a, b);
        let mut e = self.explain(&p);
        let equal = compare_identifiers(a, b).1;
        decide(&mut e, &p, self, equal.as_deref(), a.kind == b.kind, || conflicting_identifiers(a, b));
        e
    }
}

/// Kind-specific: is the pair worth scoring at all (same kind, something to compare)?
pub fn comparable(a: &Record, b: &Record) -> bool {
    a.kind == b.kind && (a.kind != Kind::Other || !a.identifiers.is_empty() || a.address.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::RecordInput;

    #[test]
    fn one_edit_agrees_with_osa() {
        let words =
            ["123456782", "123456728", "12345678", "1234567823", "023456782", "213456782", "123465782", "", "1", "12", "21", "3011AB", "3011BA", "3011AC", "301AB", "éé", "ée"];
        for a in words {
            for b in words {
                assert_eq!(within_one_edit(a, b), strsim::osa_distance(a, b) <= 1, "{a:?} {b:?}");
            }
        }
    }

    fn rec(i: RecordInput) -> Record {
        Record::from_input(&i).0
    }

    fn person(given: &str, prefix: &str, surname: &str, born: &str) -> Record {
        rec(RecordInput { kind: "persoon".into(), given_names: given.into(), prefix: prefix.into(), surname: surname.into(), birth_date: born.into(), ..RecordInput::default() })
    }

    #[test]
    fn variants_score_high_and_namesakes_low() {
        let m = Model::default();
        let a = person("Mohammed", "", "Özdemir", "1979-04-12");
        let b = person("Mohamed", "", "Ozdemir", "1979-12-04");
        let namesake = person("Mohamed", "", "Ozdemir", "1991-06-30");
        let e = m.score(&a, &b);
        assert!(e.probability > 0.9, "{e:?}");
        assert!(m.score(&a, &namesake).probability < 0.5);
        let fields: Vec<Field> = e.agreeing();
        assert_eq!(fields, [Field::Surname, Field::GivenName, Field::BirthDate]);
        assert!(e.fields.iter().all(|f| f.weight > 0.0));
    }

    #[test]
    fn parameters_survive_storage() {
        let m = Model { prior: [0.123, 0.0456, 0.789], ..Model::default() };
        assert_eq!(Model::from_text(&m.to_text()), Some(m.clone()));
        assert_eq!(Model::from_text("1 2 3"), None);
        // A model stored before the household model reads with the default one.
        let text = m.to_text();
        let before: Vec<&str> = text.split(' ').collect();
        let before = before[..before.len() - 7].join(" ");
        assert_eq!(Model::from_text(&before), Some(Model { household: Household::default(), ..m.clone() }));
        // So does one stored with one prior for all groups (which was before that).
        let one_prior = before.splitn(3, ' ').nth(2).unwrap_or_default();
        assert_eq!(Model::from_text(one_prior).map(|o| o.prior), Some([0.789; GROUPS]));
        let h = Model { household: Household { prior: 0.25, given: [0.9, 0.05, 0.05], birth: [0.8, 0.05, 0.15] }, ..m };
        assert_eq!(Model::from_text(&h.to_text()), Some(h.clone()));
        // A household share out of range is refused like any other.
        let bad = Model { household: Household { birth: [0.8, 0.05, 1.5], ..h.household.clone() }, ..h };
        assert_eq!(Model::from_text(&bad.to_text()), None);
    }

    #[test]
    fn twins_with_two_bsns_are_two_people_and_swapped_names_still_meet() {
        let m = Model::default();
        let twin = |given: &str, bsn: &str| {
            rec(RecordInput {
                kind: "persoon".into(),
                given_names: given.into(),
                surname: "Jansen".into(),
                birth_date: "1990-05-06".into(),
                postcode: "5611 EZ".into(),
                house_number: "12".into(),
                identifiers: vec![("bsn".into(), bsn.into())],
                ..RecordInput::default()
            })
        };
        let e = m.score(&twin("Anna", "111222333"), &twin("Sophie", "123456782"));
        assert!(e.probability <= 0.01, "{e:?}");
        assert_eq!(e.conflict.as_deref(), Some("bsn"));
        // One typo in a BSN is not a conflict.
        assert_eq!(m.score(&twin("Anna", "111222333"), &twin("Anna", "111222338")).conflict, None);
        let a = person("Lucy", "", "Fitzpatrick", "1921-02-22");
        let b = person("Fitzpatrick", "", "Lucy", "1921-02-22");
        let p = compare(&a, &b);
        assert_eq!((p[1], p[2]), (Agreement::Similar, Agreement::Similar));
    }

    /// A Jansen at 5611 EZ 12 in Eindhoven: relatives of one household.
    fn jansen(given: &str, born: &str) -> RecordInput {
        RecordInput {
            kind: "persoon".into(),
            given_names: given.into(),
            surname: "Jansen".into(),
            birth_date: born.into(),
            postcode: "5611 EZ".into(),
            house_number: "12".into(),
            city: "Eindhoven".into(),
            ..RecordInput::default()
        }
    }

    #[test]
    fn declared_identifiers_weigh_rule_out_or_only_hint_by_kind() {
        let m = Model::default();
        let relative = |given: &str, born: &str, kind: &str, id: &str| rec(RecordInput { identifiers: vec![(kind.into(), id.into())], ..jansen(given, born) });
        // Twins at one address, each with a social security number of their own: two people.
        let e = m.score(&relative("Anna", "1990-05-06", "ssn", "4402117"), &relative("Sophie", "1990-05-06", "ssn", "8810334"));
        assert_eq!(e.conflict.as_deref(), Some("ssn"), "{e:?}");
        assert!(e.probability <= 0.01);
        // A father and son of one name: the birth date differs, so the numbers decide too.
        let e = m.score(&relative("Anna", "1990-05-06", "ssn", "4402117"), &relative("Anna", "1962-03-01", "ssn", "8810334"));
        assert_eq!(e.conflict.as_deref(), Some("ssn"), "{e:?}");
        // Names and birth date agree: a wrong number in one source weighs against, but does not
        // decide; declared ruling (as a BSN always is), it does.
        let e = m.score(&relative("Anna", "1990-05-06", "ssn", "4402117"), &relative("Anna", "1990-05-06", "ssn", "8810334"));
        assert_eq!(e.conflict, None, "{e:?}");
        assert!(e.fields.iter().any(|f| f.field == Field::Identifier && f.weight < -5.0), "{e:?}");
        let e = m.score(&relative("Anna", "1990-05-06", "!ssn", "4402117"), &relative("Anna", "1990-05-06", "!ssn", "8810334"));
        assert_eq!(e.conflict.as_deref(), Some("ssn"), "{e:?}");
        // The same person with one typo in the number, and an equal number: a match.
        assert_eq!(m.score(&relative("Anna", "1990-05-06", "!ssn", "4402117"), &relative("Anna", "1990-05-06", "!ssn", "4402171")).conflict, None);
        assert_eq!(m.score(&relative("Anna", "1990-05-06", "ssn", "4402117"), &relative("A.", "", "ssn", "4402117")).deterministic.as_deref(), Some("ssn"));
        // A household's telephone number, or a kind a mapping marks shared, decides nothing.
        for kind in ["telefoon", "~huisnummerregister"] {
            let e = m.score(&relative("Anna", "1990-05-06", kind, "0612345678"), &relative("Anna", "1990-05-06", kind, "0687654321"));
            assert_eq!((e.conflict.as_deref(), e.deterministic.as_deref()), (None, None), "{kind}");
            let e = m.score(&relative("Anna", "1990-05-06", kind, "0612345678"), &relative("Piet", "1960-01-01", kind, "0612345678"));
            assert_eq!(e.deterministic, None, "{kind}");
        }
        // The marks survive normalisation.
        assert_eq!(relative("A", "", "~Telefoon Thuis", "0612345678").identifiers[0].0, "~telefoonthuis");
        assert_eq!(relative("A", "", "!SSN", "4402117").identifiers[0].0, "!ssn");
    }

    #[test]
    fn a_look_alike_is_scored_without_its_address() {
        let at = |given: &str, born: &str| rec(jansen(given, born));
        let model = Model::default();
        for (a, b) in [(at("Anna", "1990-05-06"), at("Piet", "1961-11-23")), (at("Anna", "1990-05-06"), at("Petra", "1990-05-06"))] {
            let e = model.score(&a, &b);
            assert!(e.look_alike, "{e:?}");
            let address = e.fields.iter().find(|f| f.field == Field::Address);
            assert!(address.is_some_and(|f| f.weight == 0.0), "the address is shown, weighing nothing: {e:?}");
            assert!(e.fields.iter().any(|f| f.field == Field::Surname && f.weight == 0.0), "so is the surname: {e:?}");
            // The household's prior, not the lists'.
            let prior = model.household.prior / (1.0 - model.household.prior);
            let sum: f64 = prior.log2() + e.fields.iter().map(|f| f.weight).sum::<f64>();
            assert!((e.weight - sum).abs() < 1e-9, "{e:?}");
            assert!((e.probability - 1.0 / (1.0 + (-e.weight).exp2())).abs() < 1e-12, "{e:?}");
        }
        // Relatives: given name and date say no; the shared address and name do not lift them.
        assert!(model.score(&at("Anna", "1990-05-06"), &at("Piet", "1961-11-23")).probability < 0.01);
    }

    #[test]
    fn one_address_counts_once() {
        // Relatives at one address: postcode, house number and place agree, but the place adds
        // nothing the address did not say.
        let at = |given: &str, born: &str| rec(jansen(given, born));
        let e = Model::default().score(&at("Anna", "1990-05-06"), &at("Piet", "1961-11-23"));
        assert!(!e.fields.iter().any(|f| f.field == Field::Place), "{e:?}");
        assert!(e.probability < 0.1, "{e:?}");
        let moved = RecordInput { postcode: "3011 AA".into(), house_number: "1".into(), city: "Eindhoven".into(), ..RecordInput::default() };
        let e = Model::default().score(
            &at("Anna", "1990-05-06"),
            &rec(RecordInput { kind: "persoon".into(), given_names: "Anna".into(), surname: "Jansen".into(), birth_date: "1990-05-06".into(), ..moved }),
        );
        assert!(e.fields.iter().any(|f| f.field == Field::Place && f.weight > 0.0), "{e:?}");
        // A foreign postcode that agrees says where the place is: the place is not counted again.
        let abroad = |street: &str| {
            rec(RecordInput { kind: "persoon".into(), surname: "Smith".into(), street: street.into(), postcode: "2000".into(), city: "Sydney".into(), ..RecordInput::default() })
        };
        let e = Model::default().score(&abroad("George Street 1"), &abroad("Pitt Street 9"));
        let counted: Vec<Field> = e.fields.iter().map(|f| f.field).collect();
        assert!(counted.contains(&Field::Postcode) && !counted.contains(&Field::Place), "{e:?}");
    }

    #[test]
    fn an_equal_kvk_is_deterministic() {
        let m = Model::default();
        let c = |name: &str, kvk: &str| {
            rec(RecordInput { kind: "rechtspersoon".into(), company_name: name.into(), identifiers: vec![("kvk".into(), kvk.into())], ..RecordInput::default() })
        };
        let e = m.score(&c("Jansen BV", "54128893"), &c("Totaal Anders BV", "54128893"));
        assert_eq!((e.probability, e.deterministic.as_deref()), (1.0, Some("kvk")));
        let e = m.score(&c("Jansen BV", "54128893"), &c("Jansen BV", "12345678"));
        assert!(e.fields.iter().any(|f| f.field == Field::Identifier && f.weight < -5.0));
    }
}
