//! Relatives at one address, twins, a father and son of one name: pairs that agree on surname
//! and address because they share a household, not because they are one person.
//!
//! Such a pair is scored inside its *stratum* — the person pairs whose surname and address agree
//! at least closely and whose identifiers do not agree ([`in_household`]) — with a model of its
//! own ([`Household`]): the share of one person among those pairs, and `u` of the given name
//! and the birth date *among relatives* (how often relatives share a first name, how often they
//! share a birth date: twins). Surname and address then add nothing: they are what put the pair
//! in the stratum. Both are estimated per run from the candidate pairs by EM with `m` fixed
//! ([`Household::estimate`]), so the data decides what a replaced given name at one address
//! means: on lists with households full of relatives it is a twin, on lists without relatives
//! (FEBRL's corruption replaces values) it is a duplicate.

use crate::compare::Agreement;
use crate::model::{level_index, log2_ratio, Explanation, Field, Model, Pattern};

/// The household model: the prior of one person among pairs [`in_household`], and `u` of the
/// given name and birth date among relatives (`Disagree`, `Similar`, `Exact`).
#[derive(Debug, Clone, PartialEq)]
pub struct Household {
    pub prior: f64,
    pub given: [f64; 3],
    pub birth: [f64; 3],
}

impl Default for Household {
    /// Before estimation: half of the pairs at one address with one surname are one person;
    /// relatives share a first name in 2 pairs in 100 (a father and son), a birth date in 2 in
    /// 100 (twins).
    fn default() -> Self {
        Household { prior: 0.5, given: [0.95, 0.03, 0.02], birth: [0.97, 0.01, 0.02] }
    }
}

/// The weight, in pairs, of [`Household::default`]'s `u` in EM: lists without relatives
/// (every pair at one address a duplicate) keep it; lists with many learn their own.
const PRIOR_PAIRS: f64 = 50.0;

/// Is `p` a person pair in the household stratum: surname and address agree at least closely,
/// and no identifier is equal or a typo away (one would speak for one person)?
pub fn in_household(p: &Pattern) -> bool {
    let level = |f: Field| p[f as usize];
    crate::model::group(p) == 0 && level(Field::Identifier) <= Agreement::Disagree && level(Field::Surname) >= Agreement::Similar && level(Field::Address) >= Agreement::Similar
}

/// A pair [`in_household`] that differs in given name or birth date: relatives in one
/// household, twins, a father and son of one name — or one person whose given name or birth
/// date one source has wrong. [`hold_look_alike`] scores it with the [`Household`] model.
pub fn look_alike(p: &Pattern) -> bool {
    let level = |f: Field| p[f as usize];
    in_household(p) && (level(Field::GivenName) == Agreement::Disagree || level(Field::BirthDate) == Agreement::Disagree)
}

fn logit2(p: f64) -> f64 {
    (p / (1.0 - p)).log2()
}

/// Fields a household explains: they put the pair in the stratum and weigh nothing in it.
fn set_aside(f: Field) -> bool {
    matches!(f, Field::Surname | Field::Address | Field::Place | Field::Postcode)
}

/// The accumulated `counts` of one field as shares, agreeing (`Similar`, `Exact`) at least as
/// often as strangers do (`strangers`, the model's `u`): a level few relatives in the stratum
/// show must not weigh more than it does among random pairs.
fn at_least(counts: [f64; 3], strangers: [f64; 3]) -> [f64; 3] {
    let total: f64 = counts.iter().sum();
    let similar = (counts[1] / total).max(strangers[1]);
    let exact = (counts[2] / total).max(strangers[2]);
    [(1.0 - similar - exact).max(0.0), similar, exact]
}

impl Household {
    /// The weight in bits of field `f` at `level` among pairs in the stratum: 0 for the fields
    /// [`set_aside`]; `m` of `model` against `u` among relatives for the given name and birth
    /// date; the model's own weight for the others (0 when missing).
    fn field_weight(&self, model: &Model, f: Field, level: Agreement) -> f64 {
        let relatives = match f {
            _ if set_aside(f) => return 0.0,
            Field::GivenName => &self.given,
            Field::BirthDate => &self.birth,
            _ => return model.field_weight(f, level).unwrap_or(0.0),
        };
        level_index(level).map_or(0.0, |l| log2_ratio(model.m[f as usize][l], relatives[l]))
    }

    /// The match weight of `p` in the stratum: the household prior plus every field's
    /// [`Household::field_weight`].
    fn pattern_weight(&self, model: &Model, p: &Pattern) -> f64 {
        logit2(self.prior) + crate::model::FIELDS.iter().zip(p).map(|(f, level)| self.field_weight(model, *f, *level)).sum::<f64>()
    }

    /// Estimates the prior and the relatives' `u` from the candidate `patterns` in the stratum
    /// by EM with `model`'s `m` fixed, starting from (and drawn towards, with the weight of
    /// [`PRIOR_PAIRS`]) [`Household::default`]. Fewer than 50 pairs in the stratum: the default.
    pub fn estimate(model: &Model, patterns: &[(Pattern, f64)], iterations: usize) -> Household {
        let start = Household::default();
        let stratum: Vec<&(Pattern, f64)> = patterns.iter().filter(|(p, _)| in_household(p)).collect();
        let total: f64 = stratum.iter().map(|(_, n)| n).sum();
        if total < 50.0 {
            return start;
        }
        let mut h = start.clone();
        for _ in 0..iterations.max(100) {
            let mut given = start.given.map(|u| u * PRIOR_PAIRS);
            let mut birth = start.birth.map(|u| u * PRIOR_PAIRS);
            let mut one_person = 0.0;
            for (p, n) in &stratum {
                let q = 1.0 / (1.0 + (-h.pattern_weight(model, p)).exp2());
                one_person += q * n;
                if let Some(l) = level_index(p[Field::GivenName as usize]) {
                    given[l] += (1.0 - q) * n;
                }
                if let Some(l) = level_index(p[Field::BirthDate as usize]) {
                    birth[l] += (1.0 - q) * n;
                }
            }
            let next = Household {
                prior: (one_person / total).clamp(1e-6, 0.999),
                given: at_least(given, model.u[Field::GivenName as usize]),
                birth: at_least(birth, model.u[Field::BirthDate as usize]),
            };
            let converged = (next.prior - h.prior).abs() < 1e-7;
            h = next;
            if converged {
                break;
            }
        }
        h
    }
}

/// Scores a [`look_alike`] explanation of `p` that no identifier decided in the household
/// stratum: surname and address (with place and postcode) weigh 0 — a household explains why
/// the two live there and share a name — the given name and birth date weigh against
/// relatives, and the prior is the household's. The fields stay in the explanation, so the
/// reader sees what was set aside. The probability never rises above what it was.
pub fn hold_look_alike(e: &mut Explanation, p: &Pattern, model: &Model) {
    if e.deterministic.is_some() || !look_alike(p) {
        return;
    }
    let h = &model.household;
    let mut weight = logit2(h.prior);
    for f in e.fields.iter_mut() {
        f.weight = h.field_weight(model, f.field, f.level);
        weight += f.weight;
    }
    e.weight = weight;
    e.probability = e.probability.min(1.0 / (1.0 + (-weight).exp2()));
    e.look_alike = true;
}

#[cfg(test)]
mod tests {
    use super::*;
    use Agreement::*;

    /// Surname and address agree, no identifier: the household stratum.
    fn at_one_address(given: Agreement, birth: Agreement) -> Pattern {
        [Missing, Exact, given, birth, Missing, Exact, Missing, Missing]
    }

    fn scored(model: &Model, p: &Pattern) -> Explanation {
        let mut e = model.explain(p);
        hold_look_alike(&mut e, p, model);
        e
    }

    #[test]
    fn the_data_says_what_a_replaced_name_at_one_address_means() {
        let twin = at_one_address(Disagree, Exact);
        // Lists without relatives: every pair at one address is one person; a tenth of them have
        // their given name replaced in one source.
        // `m` says so, as EM on such lists finds.
        let mut start = Model::default();
        start.m[Field::GivenName as usize] = [0.1, 0.1, 0.8];
        let mut duplicates = vec![(at_one_address(Exact, Exact), 900.0), (twin, 100.0)];
        duplicates.push(([Missing, Exact, Exact, Exact, Missing, Disagree, Missing, Missing], 5000.0));
        let model = start.with_household(&duplicates, 50);
        assert!(model.household.prior > 0.95, "{:?}", model.household);
        let e = scored(&model, &twin);
        assert!(e.look_alike && e.probability >= 0.9, "{e:?}");
        // Lists with households: 3,000 relatives with their own name and date, 300 twins, and
        // 500 people listed twice.
        let households = vec![(at_one_address(Disagree, Disagree), 3000.0), (twin, 300.0), (at_one_address(Exact, Exact), 500.0)];
        let model = start.with_household(&households, 50);
        assert!(model.household.prior < 0.3, "{:?}", model.household);
        assert!(model.household.birth[2] > 0.05, "twins are learnt: {:?}", model.household);
        let e = scored(&model, &twin);
        assert!(e.look_alike && e.probability < 0.5, "{e:?}");
        // Relatives with neither name nor date in common stay apart on either list.
        assert!(scored(&model, &at_one_address(Disagree, Disagree)).probability < 0.01);
    }

    #[test]
    fn too_few_pairs_at_one_address_keep_the_default() {
        let model = Model::default().with_household(&[(at_one_address(Disagree, Exact), 49.0)], 50);
        assert_eq!(model.household, Household::default());
        // Outside the stratum nothing changes: an identifier a typo away speaks for one person.
        let p = [Similar, Exact, Disagree, Exact, Missing, Exact, Missing, Missing];
        assert!(!in_household(&p) && !look_alike(&p));
    }
}
