//! Fellegi-Sunter match weights: every field comparison yields an agreement level; each level
//! has a probability `m` among true matches and `u` among non-matches; the match weight is the
//! sum of `log2(m/u)` over the fields plus the prior odds. `m` and `u` are estimated from the
//! candidate pairs themselves with expectation-maximisation ([`Model::estimate`]), so that a
//! threshold on the match probability means the same on new data.

// m, u and their accumulators are matrices indexed by field and level together.
#![allow(clippy::needless_range_loop)]

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

fn level_index(a: Agreement) -> Option<usize> {
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
    !x.surname.is_empty() && !y.surname.is_empty() && x.surname_as_given == given(y) && y.surname_as_given == given(x)
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

/// A unique identifier kind present on both sides whose values differ beyond a typo.
pub fn conflicting_identifier(a: &Record, b: &Record) -> Option<String> {
    for (k, v) in &a.identifiers {
        if !is_unique(k) {
            continue;
        }
        let same_kind: Vec<&String> = b.identifiers.iter().filter(|(k2, _)| k2 == k).map(|(_, v2)| v2).collect();
        if !same_kind.is_empty() && same_kind.iter().all(|v2| compare_code(v, v2) == Agreement::Disagree) {
            return Some(k.clone());
        }
    }
    None
}

/// Identifiers of the same kind on both sides: `Exact` when one pair is equal (with its kind),
/// `Similar` when one is a typo away, `Disagree` when all differ, `Missing` when no kind is
/// shared. Only `Exact` can make a deterministic match.
pub fn compare_identifiers(a: &Record, b: &Record) -> (Agreement, Option<String>) {
    let mut best = Agreement::Missing;
    for (k, v) in &a.identifiers {
        for (k2, v2) in &b.identifiers {
            if k == k2 {
                let level = compare_code(v, v2);
                if level == Agreement::Exact {
                    return (Agreement::Exact, Some(k.clone()));
                }
                best = best.max(level);
            }
        }
    }
    (best, None)
}

/// Identifier kinds that several entities may share by nature (a household's telephone number
/// or e-mail address, a company's website): an equal value is evidence, not proof, and
/// different values do not rule a pair out. Every other kind identifies one entity.
pub const SHARED: &[&str] = &["telefoon", "email", "website"];

/// The mark a mapping puts before a kind it declares shared (`--shared-id`), for kinds that
/// are not in [`SHARED`].
pub const SHARED_MARK: char = '~';

/// Registry numbers with a check digit or a register behind them: two values that differ
/// beyond a typo are two entities, whatever else agrees.
pub const RULING: &[&str] = &["bsn", "kvk", "rsin", "iban", "kenteken", "bag"];

/// The mark a mapping puts before a kind it declares ruling (`--ruling-id`).
pub const RULING_MARK: char = '!';

/// Does an identifier of this kind identify one entity? Then an equal value is a match by
/// itself, and a different value is strong evidence against (its weight estimated like any
/// field's). Every declared kind is, unless it is in [`SHARED`] or marked shared.
pub fn is_unique(kind: &str) -> bool {
    !kind.starts_with(SHARED_MARK) && !SHARED.contains(&kind)
}

/// Do the names and the birth date (a person), or the name and the address (a company), agree
/// at least closely — none of them different, at least two of them there? Then a different
/// value of a unique identifier that is not [`is_ruling`] is more likely a wrong number in one
/// source than a second entity.
pub fn corroborated(p: &Pattern) -> bool {
    let person = [Field::Surname, Field::GivenName, Field::BirthDate];
    let fields: &[Field] = if person.iter().any(|f| p[*f as usize] != Agreement::Missing) { &person } else { &[Field::CompanyName, Field::Address] };
    let levels = fields.iter().map(|f| p[*f as usize]);
    !levels.clone().any(|l| l == Agreement::Disagree) && levels.filter(|l| *l >= Agreement::Similar).count() >= 2
}

/// Does a conflicting identifier of `kind` rule out the pair compared as `p`? Always for a
/// ruling kind; for another unique kind unless names and date corroborate the match — so
/// relatives at one address, twins and a father and son of one name, each with a number of
/// their own, are kept apart.
pub fn rules_out(kind: &str, p: &Pattern) -> bool {
    is_ruling(kind) || !corroborated(p)
}

/// The highest match probability of a [`look_alike`] pair.
pub const LOOK_ALIKE_CAP: f64 = 0.5;

/// A person pair that agrees on surname and address but differs in given name or birth date
/// (and has no identifier that agrees):
/// relatives in one household, twins, a father and son of one name. Surname and address are
/// correlated among such non-matches, so their weights (estimated on random pairs, where they
/// are independent) would add up to a certain match; names and dates decide instead. A
/// nickname the comparison does not know is lost with this rule, when it is at one address.
pub fn look_alike(p: &Pattern) -> bool {
    let level = |f: Field| p[f as usize];
    // An identifier equal or one typo apart speaks for one person: not a look-alike.
    level(Field::Identifier) <= Agreement::Disagree
        && level(Field::Surname) >= Agreement::Similar
        && level(Field::Address) >= Agreement::Similar
        && (level(Field::GivenName) == Agreement::Disagree || level(Field::BirthDate) == Agreement::Disagree)
}

/// Applies [`look_alike`] to an explanation of `p` that no identifier decided.
pub fn hold_look_alike(e: &mut Explanation, p: &Pattern) {
    if e.deterministic.is_none() && look_alike(p) {
        e.probability = e.probability.min(LOOK_ALIKE_CAP);
        e.look_alike = true;
    }
}

/// The kind as the mapping named it, without the mark of [`SHARED_MARK`] or [`RULING_MARK`].
pub fn plain_kind(kind: &str) -> &str {
    kind.trim_start_matches([SHARED_MARK, RULING_MARK])
}

/// Does a different value of this kind rule a pair out by itself? For [`RULING`] kinds and
/// kinds a mapping marks ruling; other unique kinds (a social security number copied from a
/// form) are evidence only, because sources do carry a wrong number for the right person.
pub fn is_ruling(kind: &str) -> bool {
    kind.starts_with(RULING_MARK) || RULING.contains(&kind)
}

/// Fellegi-Sunter parameters: the prior probability that a candidate pair is a match, and
/// `m`/`u` per field and level (`Disagree`, `Similar`, `Exact`).
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub prior: f64,
    pub m: [[f64; 3]; N],
    pub u: [[f64; 3]; N],
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
    /// the birth date differs ([`look_alike`]); the probability is held below [`LOOK_ALIKE_CAP`].
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
            prior: 0.01,
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
        }
    }
}

const FLOOR: f64 = 1e-4;

/// Is field `i` implied by another field of `p`, so that counting it would count one piece of
/// evidence twice? The place and a foreign postcode are, when the address (postcode and house
/// number, or street and number) agrees exactly: one address, not three agreements; and the
/// place is, when the postcode agrees exactly. Without this, relatives at one address got about
/// 15 bits from where they live, and strangers in one suburb 15 bits from suburb and postcode.
fn implied(p: &Pattern, i: usize) -> bool {
    let exact = |f: Field| p[f as usize] == Agreement::Exact;
    (i == Field::Place as usize && (exact(Field::Address) || exact(Field::Postcode))) || (i == Field::Postcode as usize && exact(Field::Address))
}

/// The most often a true match may disagree outright on a surname, a given name or a birth
/// date (`m` of `Disagree`) in EM. Without a bound, EM on candidates full of households (one
/// surname and address, other names and dates) takes the household for the match class: on the
/// household set without identifiers it learnt 0.45 for the given name and 0.38 for the birth
/// date, and every relative became a certain match. Sources worth linking disagree outright on
/// those fields far less often than one pair in ten.
const MAX_M_DISAGREE: f64 = 0.1;

/// Applies [`MAX_M_DISAGREE`] to one field's `m` row, moving the excess to the other levels in
/// proportion.
fn cap_disagreement(m: &mut [f64; 3], field: Field) {
    let rest = m[1] + m[2];
    if matches!(field, Field::Surname | Field::GivenName | Field::BirthDate) && m[0] > MAX_M_DISAGREE && rest > 0.0 {
        let scale = (1.0 - MAX_M_DISAGREE) / rest;
        *m = [MAX_M_DISAGREE, m[1] * scale, m[2] * scale];
    }
}

/// The weight of the start model's `m` in EM, in pairs.
const PRIOR_PAIRS: f64 = 200.0;

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

    /// Reads [`Model::to_text`]; `None` when the text is not `1 + 6N` numbers in range.
    pub fn from_text(text: &str) -> Option<Model> {
        let v: Vec<f64> = text.split_whitespace().map(str::parse).collect::<Result<_, _>>().ok()?;
        if v.len() != 1 + 6 * N || v.iter().any(|x| !x.is_finite() || !(0.0..=1.0).contains(x)) {
            return None;
        }
        let mut m = Model { prior: v[0], ..Model::default() };
        for i in 0..N {
            for l in 0..3 {
                m.m[i][l] = v[1 + i * 3 + l];
                m.u[i][l] = v[1 + 3 * N + i * 3 + l];
            }
        }
        Some(m)
    }

    /// The match weight and its parts for one comparison pattern.
    pub fn explain(&self, p: &Pattern) -> Explanation {
        let mut weight = (self.prior / (1.0 - self.prior)).log2();
        let mut fields = Vec::new();
        for (i, level) in p.iter().enumerate() {
            if implied(p, i) {
                continue;
            }
            if let Some(l) = level_index(*level) {
                let w = log2_ratio(self.m[i][l], self.u[i][l]);
                weight += w;
                fields.push(Evidence { field: FIELDS[i], level: *level, weight: w });
            }
        }
        Explanation { probability: 1.0 / (1.0 + (-weight).exp2()), weight, fields, deterministic: None, conflict: None, look_alike: false }
    }

    /// The match probability of `p` alone, as [`Model::explain`] gives it, without building the
    /// explanation (for the hot loops of estimation and linking).
    pub fn probability(&self, p: &Pattern) -> f64 {
        let mut weight = (self.prior / (1.0 - self.prior)).log2();
        for (i, level) in p.iter().enumerate() {
            if implied(p, i) {
                continue;
            }
            if let Some(l) = level_index(*level) {
                weight += log2_ratio(self.m[i][l], self.u[i][l]);
            }
        }
        1.0 / (1.0 + (-weight).exp2())
    }

    /// Scores a pair of records; an equal deterministic identifier makes the probability 1.
    pub fn score(&self, a: &Record, b: &Record) -> Explanation {
        let p = compare(a, b);
        let mut e = self.explain(&p);
        if let (Agreement::Exact, Some(kind)) = compare_identifiers(a, b) {
            if is_unique(&kind) && a.kind == b.kind {
                e.probability = 1.0;
                e.deterministic = Some(plain_kind(&kind).to_string());
            }
        } else if let Some(kind) = conflicting_identifier(a, b).filter(|k| rules_out(k, &p)) {
            // A unique identifier on both sides that differs by more than a typo: two entities.
            e.probability = e.probability.min(0.01);
            e.conflict = Some(plain_kind(&kind).to_string());
        }
        hold_look_alike(&mut e, &p);
        e
    }

    /// Sets `u` from the comparison patterns of random pairs: almost all random pairs are
    /// non-matches, so the share of each level among them is `u` (as Splink does). Fields with
    /// too few observations keep their prior values.
    pub fn with_u_from(&self, random: impl IntoIterator<Item = Pattern>) -> Model {
        let mut acc = [[0.0f64; 3]; N];
        for p in random {
            for (i, level) in p.iter().enumerate() {
                if let Some(l) = level_index(*level) {
                    acc[i][l] += 1.0;
                }
            }
        }
        let mut next = self.clone();
        for ((row, seen), prior) in next.u.iter_mut().zip(acc.iter()).zip(self.u.iter()) {
            let total: f64 = seen.iter().sum();
            if total < 100.0 {
                continue;
            }
            for ((u, n), p) in row.iter_mut().zip(seen.iter()).zip(prior.iter()) {
                if *p > 0.0 || *n > 0.0 {
                    *u = ((n + 0.01) / (total + 0.03)).max(1e-6);
                }
            }
        }
        next
    }

    /// Estimates `prior` and `m` from unlabelled comparison patterns of the candidate pairs with
    /// expectation-maximisation, keeping `u` fixed (estimate that first with
    /// [`Model::with_u_from`]). Patterns are counted first, so the work per iteration is bounded
    /// by the number of distinct patterns.
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
            // A Dirichlet prior worth PRIOR_PAIRS pairs keeps m near the start model unless the
            // data says otherwise clearly (EM alone mistakes look-alikes, such as twins at one
            // address, for matches).
            let mut m_acc = [[0.01f64; 3]; N];
            for i in 0..N {
                for l in 0..3 {
                    m_acc[i][l] += self.m[i][l] * PRIOR_PAIRS;
                }
            }
            let mut matched = 0.0;
            for (p, n) in &counts {
                let g = model.probability(p);
                matched += g * n;
                for (i, level) in p.iter().enumerate() {
                    if let Some(l) = level_index(*level) {
                        m_acc[i][l] += g * n;
                    }
                }
            }
            let mut next = model.clone();
            next.prior = (matched / total).clamp(1e-6, 0.999);
            for i in 0..N {
                let possible = |l: usize| self.m[i][l] > 0.0 || self.u[i][l] > 0.0;
                let ms: f64 = (0..3).filter(|l| possible(*l)).map(|l| m_acc[i][l]).sum();
                for l in 0..3 {
                    // Levels a field cannot produce stay impossible.
                    next.m[i][l] = if possible(l) { m_acc[i][l] / ms } else { 0.0 };
                }
                cap_disagreement(&mut next.m[i], FIELDS[i]);
            }
            let converged = (next.prior - model.prior).abs() < 1e-7;
            model = next;
            if converged {
                break;
            }
        }
        model
    }

    /// Estimates `m` in rounds, as Splink trains per blocking rule: each round takes the
    /// candidate pairs that agree exactly on one field, hides that field, and runs EM on the
    /// rest. Among pairs that already share a surname, namesakes no longer look like matches
    /// just because their names agree, which breaks the independence assumption less. Each
    /// field's `m` comes from the first round that did not hide it and had at least 50 pairs;
    /// the prior is then fitted on all candidates with `m` and `u` fixed.
    pub fn estimate_in_rounds(&self, patterns: &[Pattern], iterations: usize) -> Model {
        let rounds = [Field::Surname, Field::BirthDate, Field::CompanyName, Field::Address, Field::Identifier];
        let mut done = [false; N];
        let mut result = self.clone();
        for hide in rounds {
            let h = hide as usize;
            let subset: Vec<Pattern> = patterns
                .iter()
                .filter(|p| p[h] == Agreement::Exact)
                .map(|p| {
                    let mut q = *p;
                    q[h] = Agreement::Missing;
                    q
                })
                .collect();
            if subset.len() < 50 {
                continue;
            }
            let est = self.estimate(subset.iter().copied(), iterations);
            for i in 0..N {
                let observed = subset.iter().filter(|p| p[i] != Agreement::Missing).count();
                if i != h && !done[i] && observed >= 50 {
                    result.m[i] = est.m[i];
                    done[i] = true;
                }
            }
        }
        result.fit_prior(patterns, iterations)
    }

    /// Estimates `m` from *anchor* pairs — pairs that share a unique identifier (BSN, KvK, …)
    /// and so are matches — as the share of each level per field; the identifier field keeps
    /// its prior. Fields with fewer than 50 observations keep theirs too. Robust where EM is
    /// not: look-alikes (namesakes born in one year, twins) cannot pose as a cluster of matches.
    pub fn m_from_anchors(&self, anchors: &[Pattern]) -> Model {
        let mut next = self.clone();
        for i in 1..N {
            let mut acc = [0.0f64; 3];
            for p in anchors {
                if let Some(l) = level_index(p[i]) {
                    acc[l] += 1.0;
                }
            }
            let total: f64 = acc.iter().sum();
            if total < 50.0 {
                continue;
            }
            for l in 0..3 {
                if self.m[i][l] > 0.0 || acc[l] > 0.0 {
                    next.m[i][l] = ((acc[l] + 0.5 * self.m[i][l]) / (total + 0.5)).max(1e-4);
                }
            }
        }
        next
    }

    /// Fits only the prior on `patterns`, with `m` and `u` fixed.
    pub fn fit_prior(&self, patterns: &[Pattern], iterations: usize) -> Model {
        let mut model = self.clone();
        if patterns.is_empty() {
            return model;
        }
        // Distinct patterns with their counts: a few thousand instead of millions of pairs.
        let mut counts: std::collections::HashMap<Pattern, f64> = std::collections::HashMap::new();
        for p in patterns {
            *counts.entry(*p).or_insert(0.0) += 1.0;
        }
        for _ in 0..iterations {
            let g: f64 = counts.iter().map(|(p, n)| model.probability(p) * n).sum::<f64>() / patterns.len() as f64;
            let converged = (g - model.prior).abs() < 1e-7;
            model.prior = g.clamp(1e-6, 0.999);
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
        let m = Model::default().with_prior(0.123);
        assert_eq!(Model::from_text(&m.to_text()), Some(m));
        assert_eq!(Model::from_text("1 2 3"), None);
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

    #[test]
    fn em_does_not_take_a_household_for_the_match_class() {
        use Agreement::*;
        // 500 matches among 3,000 relatives at one address (other given name and birth date).
        let mut patterns = vec![[Missing, Exact, Exact, Exact, Missing, Exact, Missing, Missing]; 500];
        patterns.extend(std::iter::repeat_n([Missing, Exact, Disagree, Disagree, Missing, Exact, Missing, Missing], 3000));
        let est = Model::default().estimate(patterns, 50);
        for f in [Field::GivenName, Field::BirthDate] {
            let m = est.m[f as usize];
            assert!(m[0] <= 0.1 + 1e-9, "{f:?} {m:?}");
            assert!((m.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{f:?} {m:?}");
        }
    }

    #[test]
    fn em_recovers_parameters_from_unlabelled_patterns() {
        use Agreement::*;
        let non_match = |i: usize| {
            let pick = |k: usize| if i.is_multiple_of(k) { Exact } else { Disagree };
            [Missing, pick(50), pick(9), Disagree, Missing, Disagree, pick(7), Missing]
        };
        // u from random pairs (all non-matches here).
        let model = Model::default().with_u_from((0..20_000).map(non_match));
        assert!((model.u[1][2] - 0.02).abs() < 0.002, "u surname exact {}", model.u[1][2]);
        // 1,000 matches agreeing on almost everything among 99,000 candidate non-matches.
        let mut patterns = Vec::new();
        for i in 0..1000 {
            let given = if i % 10 == 0 { Similar } else { Exact };
            patterns.push([Missing, Exact, given, if i % 20 == 0 { Similar } else { Exact }, Missing, Exact, Exact, Missing]);
        }
        patterns.extend((0..99_000).map(non_match));
        let est = model.estimate(patterns, 50);
        assert!((est.prior - 0.01).abs() < 0.002, "prior {}", est.prior);
        assert!(est.m[1][2] > 0.95, "m surname exact {}", est.m[1][2]);
        // The data (10%) pulls m away from the start (30%); the prior of 200 pairs keeps a share.
        assert!(est.m[2][1] > 0.1 && est.m[2][1] < 0.15, "m given similar {}", est.m[2][1]);
    }
}
