//! Estimating a [`Model`] from the pairs themselves: `u` from random pairs, `m` by
//! expectation-maximisation per blocking round or from anchor pairs, the prior over all
//! comparable pairs, and the [`crate::household::Household`] model last (see
//! [`crate::link::estimate`], which the clear, encoded and background linkers share).

// m, u and their accumulators are matrices indexed by field and level together.
#![allow(clippy::needless_range_loop)]

use crate::compare::Agreement;
use crate::household::{in_household, Household};
use crate::model::{group, level_index, Field, Model, Pattern, FIELDS, GROUPS, N};

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

/// The smallest prior [`Model::fit_prior`] gives: one match in 10¹⁴ pairs.
const MIN_PRIOR: f64 = 1e-14;

impl Model {
    /// The model with its [`Household`] estimated on the candidate `patterns` (`m` fixed).
    pub fn with_household(&self, patterns: &[(Pattern, f64)], iterations: usize) -> Model {
        Model { household: Household::estimate(self, patterns, iterations), ..self.clone() }
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
        self.estimate_counted(&counts.into_iter().collect::<Vec<_>>(), iterations)
    }

    /// [`Model::estimate`] on patterns with their counts (a pattern may appear more than once).
    pub fn estimate_counted(&self, counts: &[(Pattern, f64)], iterations: usize) -> Model {
        let total: f64 = counts.iter().map(|(_, n)| n).sum();
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
            let (mut matched, mut seen) = ([0.0; GROUPS], [0.0; GROUPS]);
            for (p, n) in counts {
                let g = model.probability(p);
                matched[group(p)] += g * n;
                seen[group(p)] += n;
                for (i, level) in p.iter().enumerate() {
                    if let Some(l) = level_index(*level) {
                        m_acc[i][l] += g * n;
                    }
                }
            }
            let mut next = model.clone();
            for g in (0..GROUPS).filter(|g| seen[*g] > 0.0) {
                next.prior[g] = (matched[g] / seen[g]).clamp(1e-6, 0.999);
            }
            for i in 0..N {
                let possible = |l: usize| self.m[i][l] > 0.0 || self.u[i][l] > 0.0;
                let ms: f64 = (0..3).filter(|l| possible(*l)).map(|l| m_acc[i][l]).sum();
                for l in 0..3 {
                    // Levels a field cannot produce stay impossible.
                    next.m[i][l] = if possible(l) { m_acc[i][l] / ms } else { 0.0 };
                }
                cap_disagreement(&mut next.m[i], FIELDS[i]);
            }
            let converged = next.prior.iter().zip(&model.prior).all(|(a, b)| (a - b).abs() < 1e-7);
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
    /// field's `m` comes from the first round that did not hide it and had at least 50 pairs
    /// (fit the prior afterwards with [`Model::fit_prior`]). Pairs [`in_household`] do not count
    /// for the given name's and birth date's `m`.
    pub fn estimate_in_rounds(&self, patterns: &[(Pattern, f64)], iterations: usize) -> Model {
        let rounds = [Field::Surname, Field::BirthDate, Field::CompanyName, Field::Address, Field::Identifier];
        let mut done = [false; N];
        let mut result = self.clone();
        for hide in rounds {
            let h = hide as usize;
            let subset: Vec<(Pattern, f64)> = patterns
                .iter()
                .filter(|(p, _)| p[h] == Agreement::Exact)
                .map(|(p, n)| {
                    let mut q = *p;
                    q[h] = Agreement::Missing;
                    // Given name and birth date are not learnt from pairs at one address with
                    // one surname: relatives there, who differ in both, pull EM's match class
                    // towards disagreement (households without identifier: m of a different
                    // birth date 0.1 at the cap, estimated 0.036 without them, and namesakes at
                    // 0.86). The household model learns from those pairs instead.
                    if in_household(p) {
                        q[Field::GivenName as usize] = Agreement::Missing;
                        q[Field::BirthDate as usize] = Agreement::Missing;
                    }
                    (q, *n)
                })
                .collect();
            if subset.iter().map(|(_, n)| n).sum::<f64>() < 50.0 {
                continue;
            }
            let est = self.estimate_counted(&subset, iterations);
            for i in 0..N {
                let observed: f64 = subset.iter().filter(|(p, _)| p[i] != Agreement::Missing).map(|(_, n)| n).sum();
                if i != h && !done[i] && observed >= 50.0 {
                    result.m[i] = est.m[i];
                    done[i] = true;
                }
            }
        }
        result
    }

    /// Estimates `m` from *anchor* pairs — pairs that share a unique identifier (BSN, KvK, …)
    /// and so are matches — as the share of each level per field; the identifier field keeps
    /// its prior. Fields with fewer than 50 observations keep theirs too. Robust where EM is
    /// not: look-alikes (namesakes born in one year, twins) cannot pose as a cluster of matches.
    pub fn m_from_anchors(&self, anchors: &[(Pattern, f64)]) -> Model {
        let mut next = self.clone();
        for i in 1..N {
            let mut acc = [0.0f64; 3];
            for (p, n) in anchors {
                if let Some(l) = level_index(p[i]) {
                    acc[l] += n;
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

    /// Fits only the prior on the candidate pairs `patterns`, with `m` and `u` fixed, as the
    /// share of matches among all `population` comparable pairs of the two lists (the pairs
    /// blocking did not propose share no key and are counted as non-matches). `u` comes from
    /// random pairs of that population, so the prior must be over it too: fitted over the
    /// candidates only, the agreement that made a pair a candidate would count twice (once in
    /// the prior, once in its field weight) and every candidate would look likely.
    pub fn fit_prior(&self, patterns: &[(Pattern, f64)], population: [f64; GROUPS], iterations: usize) -> Model {
        let mut model = self.clone();
        let mut counts: [Vec<(Pattern, f64)>; GROUPS] = Default::default();
        for (p, n) in patterns {
            counts[group(p)].push((*p, *n));
        }
        for (g, counts) in counts.iter().enumerate() {
            let candidates: f64 = counts.iter().map(|(_, n)| n).sum();
            if candidates == 0.0 {
                continue;
            }
            let population = population[g].max(candidates);
            // Start from half the candidates being matches; the fixed point is reached from above.
            model.prior[g] = (0.5 * candidates / population).clamp(MIN_PRIOR, 0.999);
            for _ in 0..iterations.max(200) {
                let share = (counts.iter().map(|(p, n)| model.probability(p) * n).sum::<f64>() / population).clamp(MIN_PRIOR, 0.999);
                let converged = (share - model.prior[g]).abs() <= 1e-6 * model.prior[g];
                model.prior[g] = share;
                if converged {
                    break;
                }
            }
        }
        model
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prior_is_over_all_pairs_not_over_the_candidates() {
        use Agreement::*;
        // 1,000 matches and 9,000 candidates that share only a given name and a place (the key
        // that made them candidates), among ten million comparable pairs.
        let mut patterns = vec![[Missing, Exact, Exact, Exact, Missing, Exact, Missing, Missing]; 1000];
        let weak = [Missing, Missing, Exact, Missing, Missing, Missing, Exact, Missing];
        patterns.extend(std::iter::repeat_n(weak, 9000));
        let counted = crate::tally::Tally::from_iter(&patterns).distinct();
        let model = Model::default().fit_prior(&counted, [1e7, 1e4, 1e4], 30);
        assert!((0.95e-4..1.15e-4).contains(&model.prior[0]), "{:?}", model.prior);
        assert!(model.probability(&weak) < 0.1, "{}", model.probability(&weak));
        // Fitted over the candidates alone, the prior makes the weak pairs likely matches.
        let over_candidates = Model::default().fit_prior(&counted, [patterns.len() as f64; GROUPS], 30);
        assert!(over_candidates.probability(&weak) > 0.5, "{}", over_candidates.probability(&weak));
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
    fn relatives_at_one_address_do_not_teach_m_of_given_name_and_birth_date() {
        use Agreement::*;
        // 1,000 matches, one in twenty with another birth date, half of them moved; and 3,000
        // relatives at one address with a given name and birth date of their own.
        let mut patterns = Vec::new();
        for i in 0..1000 {
            let born = if i % 20 == 0 { Disagree } else { Exact };
            let address = if i % 2 == 0 { Exact } else { Disagree };
            patterns.push(([Missing, Exact, Exact, born, Missing, address, Missing, Missing], 1.0));
        }
        patterns.push(([Missing, Exact, Disagree, Disagree, Missing, Exact, Missing, Missing], 3000.0));
        let est = Model::default().estimate_in_rounds(&patterns, 50);
        let m = est.m[Field::BirthDate as usize];
        assert!(m[0] < 0.08, "m of a different birth date {m:?}");
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
        assert!((est.prior[0] - 0.01).abs() < 0.002, "prior {:?}", est.prior);
        assert!(est.m[1][2] > 0.95, "m surname exact {}", est.m[1][2]);
        // The data (10%) pulls m away from the start (30%); the prior of 200 pairs keeps a share.
        assert!(est.m[2][1] > 0.1 && est.m[2][1] < 0.15, "m given similar {}", est.m[2][1]);
    }
}
