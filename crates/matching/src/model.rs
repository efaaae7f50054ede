//! Fellegi-Sunter match weights: every field comparison yields an agreement level; each level
//! has a probability `m` among true matches and `u` among non-matches; the match weight is the
//! sum of `log2(m/u)` over the fields plus the prior odds. `m` and `u` are estimated from the
//! candidate pairs themselves with expectation-maximisation ([`Model::estimate`]), so that a
//! threshold on the match probability means the same on new data.

use crate::compare::{compare_date, compare_given, compare_surname, compare_text, Agreement};
use crate::record::{Kind, Record};

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
}

pub const FIELDS: [Field; 7] = [Field::Identifier, Field::Surname, Field::GivenName, Field::BirthDate, Field::CompanyName, Field::Address, Field::Place];

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
        }
    }
}

fn level_index(a: Agreement) -> Option<usize> {
    match a {
        Agreement::Missing => None,
        Agreement::Disagree => Some(0),
        Agreement::Similar => Some(1),
        Agreement::Exact => Some(2),
    }
}

/// The agreement level of every field for one pair.
pub type Pattern = [Agreement; 7];

/// Compares two records field by field. Records of different kinds disagree everywhere.
pub fn compare(a: &Record, b: &Record) -> Pattern {
    let mut p = [Agreement::Missing; 7];
    if a.kind != b.kind {
        return [Agreement::Disagree; 7];
    }
    p[0] = compare_identifiers(a, b).0;
    if let (Some(x), Some(y)) = (&a.name, &b.name) {
        p[1] = compare_surname(x, y);
        p[2] = compare_given(x, y);
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
    if p[6] == Agreement::Similar {
        p[6] = Agreement::Disagree;
    }
    p
}

/// Identifiers of the same kind on both sides: `Exact` when one pair is equal (with its kind),
/// `Disagree` when all differ, `Missing` when no kind is shared.
pub fn compare_identifiers(a: &Record, b: &Record) -> (Agreement, Option<String>) {
    let mut shared = false;
    for (k, v) in &a.identifiers {
        for (k2, v2) in &b.identifiers {
            if k == k2 {
                if v == v2 {
                    return (Agreement::Exact, Some(k.clone()));
                }
                shared = true;
            }
        }
    }
    (if shared { Agreement::Disagree } else { Agreement::Missing }, None)
}

/// Identifier kinds that identify one entity: an equal value is a match by itself.
pub const DETERMINISTIC: &[&str] = &["bsn", "kvk", "rsin", "iban", "kenteken", "bag"];

/// Fellegi-Sunter parameters: the prior probability that a candidate pair is a match, and
/// `m`/`u` per field and level (`Disagree`, `Similar`, `Exact`).
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub prior: f64,
    pub m: [[f64; 3]; 7],
    pub u: [[f64; 3]; 7],
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
            prior: 0.01,
            //       Disagree Similar Exact
            m: [
                [0.02, 0.0, 0.98],   // identifier
                [0.03, 0.12, 0.85],  // surname
                [0.10, 0.25, 0.65],  // given name
                [0.05, 0.10, 0.85],  // birth date
                [0.05, 0.25, 0.70],  // company name
                [0.25, 0.05, 0.70],  // address
                [0.25, 0.0, 0.75],   // place
            ],
            u: [
                [0.999, 0.0, 0.001],
                [0.90, 0.07, 0.03],
                [0.80, 0.15, 0.05],
                [0.985, 0.01, 0.005],
                [0.90, 0.095, 0.005],
                [0.97, 0.02, 0.01],
                [0.85, 0.0, 0.15],
            ],
        }
    }
}

const FLOOR: f64 = 1e-4;

fn log2_ratio(m: f64, u: f64) -> f64 {
    (m.max(FLOOR) / u.max(FLOOR)).log2()
}

impl Model {
    /// The parameters as text (`prior`, then `m` and `u` row by row), for storage.
    pub fn to_text(&self) -> String {
        let mut v = vec![self.prior];
        v.extend(self.m.iter().flatten());
        v.extend(self.u.iter().flatten());
        v.iter().map(|x| format!("{x:e}")).collect::<Vec<_>>().join(" ")
    }

    /// Reads [`Model::to_text`]; `None` when the text is not 43 numbers in range.
    pub fn from_text(text: &str) -> Option<Model> {
        let v: Vec<f64> = text.split_whitespace().map(str::parse).collect::<Result<_, _>>().ok()?;
        if v.len() != 43 || v.iter().any(|x| !x.is_finite() || !(0.0..=1.0).contains(x)) {
            return None;
        }
        let mut m = Model { prior: v[0], ..Model::default() };
        for i in 0..7 {
            for l in 0..3 {
                m.m[i][l] = v[1 + i * 3 + l];
                m.u[i][l] = v[22 + i * 3 + l];
            }
        }
        Some(m)
    }

    /// The match weight and its parts for one comparison pattern.
    pub fn explain(&self, p: &Pattern) -> Explanation {
        let mut weight = (self.prior / (1.0 - self.prior)).log2();
        let mut fields = Vec::new();
        for (i, level) in p.iter().enumerate() {
            if let Some(l) = level_index(*level) {
                let w = log2_ratio(self.m[i][l], self.u[i][l]);
                weight += w;
                fields.push(Evidence { field: FIELDS[i], level: *level, weight: w });
            }
        }
        Explanation { probability: 1.0 / (1.0 + (-weight).exp2()), weight, fields, deterministic: None }
    }

    /// Scores a pair of records; an equal deterministic identifier makes the probability 1.
    pub fn score(&self, a: &Record, b: &Record) -> Explanation {
        let p = compare(a, b);
        let mut e = self.explain(&p);
        if let (Agreement::Exact, Some(kind)) = compare_identifiers(a, b) {
            if DETERMINISTIC.contains(&kind.as_str()) && a.kind == b.kind {
                e.probability = 1.0;
                e.deterministic = Some(kind);
            }
        }
        e
    }

    /// Estimates `prior`, `m` and `u` from unlabelled comparison patterns with
    /// expectation-maximisation, starting from `self`. Patterns are counted first, so the work
    /// per iteration is bounded by the number of distinct patterns (at most 4^7).
    pub fn estimate(&self, patterns: impl IntoIterator<Item = Pattern>, iterations: usize) -> Model {
        let mut counts: std::collections::HashMap<Pattern, f64> = std::collections::HashMap::new();
        for p in patterns {
            *counts.entry(p).or_insert(0.0) += 1.0;
        }
        let total: f64 = counts.values().sum();
        if total < 1.0 {
            return self.clone();
        }
        let mut model = self.clone();
        for _ in 0..iterations {
            let mut m_acc = [[0.5f64; 3]; 7];
            let mut u_acc = [[0.5f64; 3]; 7];
            let mut matched = 0.0;
            for (p, n) in &counts {
                let g = model.explain(p).probability;
                matched += g * n;
                for (i, level) in p.iter().enumerate() {
                    if let Some(l) = level_index(*level) {
                        m_acc[i][l] += g * n;
                        u_acc[i][l] += (1.0 - g) * n;
                    }
                }
            }
            let mut next = model.clone();
            next.prior = (matched / total).clamp(1e-6, 0.5);
            for i in 0..7 {
                let (ms, us): (f64, f64) = (m_acc[i].iter().sum(), u_acc[i].iter().sum());
                for l in 0..3 {
                    next.m[i][l] = m_acc[i][l] / ms;
                    next.u[i][l] = u_acc[i][l] / us;
                }
                // Levels a field cannot produce stay impossible.
                for l in 0..3 {
                    if self.m[i][l] == 0.0 && self.u[i][l] == 0.0 {
                        next.m[i][l] = 0.0;
                        next.u[i][l] = 0.0;
                    }
                }
            }
            let converged = (next.prior - model.prior).abs() < 1e-7;
            model = next;
            if converged {
                break;
            }
        }
        model
    }

    /// The prior odds of `self` applied to a population with `candidates` candidate pairs of
    /// which about `expected_matches` are matches: keeps the probability scale comparable when
    /// the model is used on data of another size.
    pub fn with_prior(&self, prior: f64) -> Model {
        Model { prior: prior.clamp(1e-9, 0.5), ..self.clone() }
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
        let m = Model::default().with_prior(0.123);
        assert_eq!(Model::from_text(&m.to_text()), Some(m));
        assert_eq!(Model::from_text("1 2 3"), None);
    }

    #[test]
    fn an_equal_kvk_is_deterministic() {
        let m = Model::default();
        let c = |name: &str, kvk: &str| rec(RecordInput { kind: "rechtspersoon".into(), company_name: name.into(), identifiers: vec![("kvk".into(), kvk.into())], ..RecordInput::default() });
        let e = m.score(&c("Jansen BV", "54128893"), &c("Totaal Anders BV", "54128893"));
        assert_eq!((e.probability, e.deterministic.as_deref()), (1.0, Some("kvk")));
        let e = m.score(&c("Jansen BV", "54128893"), &c("Jansen BV", "12345678"));
        assert!(e.fields.iter().any(|f| f.field == Field::Identifier && f.weight < -5.0));
    }

    #[test]
    fn em_recovers_parameters_from_unlabelled_patterns() {
        use Agreement::*;
        // 100 matches agreeing on almost everything, 9,900 non-matches agreeing by chance.
        let mut patterns = Vec::new();
        for i in 0..100 {
            let given = if i % 10 == 0 { Similar } else { Exact };
            patterns.push([Missing, Exact, given, if i % 20 == 0 { Similar } else { Exact }, Missing, Exact, Exact]);
        }
        for i in 0..9900 {
            let sur = if i % 50 == 0 { Exact } else { Disagree };
            let place = if i % 7 == 0 { Exact } else { Disagree };
            patterns.push([Missing, sur, if i % 9 == 0 { Exact } else { Disagree }, Disagree, Missing, Disagree, place]);
        }
        let est = Model::default().estimate(patterns, 50);
        assert!((est.prior - 0.01).abs() < 0.002, "prior {}", est.prior);
        assert!(est.m[1][2] > 0.95, "m surname exact {}", est.m[1][2]);
        assert!(est.u[1][2] < 0.03, "u surname exact {}", est.u[1][2]);
    }
}
