//! Disclosure control for tables of counts with their row totals, column totals and grand total,
//! as the annual report and the steering-group dashboards publish them.
//!
//! 1. **Primary suppression**: a count from 1 to `k − 1` (default `k` = 5) is not shown — in a
//!    cell and in a total alike. Zero is shown: "none" reveals nobody.
//! 2. **Secondary suppression**: a hidden count must not be recomputable from what is shown.
//!    The published table is a set of linear equations (each row's cells add up to its total,
//!    each column's to its total, the totals to the grand total); a hidden entry is *derivable*
//!    when it is fixed by those equations and the shown values, i.e. when its unit vector lies
//!    in the row space of the equations restricted to the hidden entries. While some hidden
//!    entry is derivable, the smallest shown entry of its row or column that makes it not
//!    derivable is hidden too (or, when no single one does, the smallest one, and again). This
//!    catches what the usual "at least two hidden per line" rule misses, such as a hidden cell
//!    that bridges two groups of hidden cells.
//! 3. **Rounding** (optional): shown counts are rounded to the nearest multiple of a base.
//!
//! Every publication is one [`System`] of entries and equations, so the same check covers a
//! table whose columns are separate measures ([`protect_columns`]: no row totals), amounts
//! that are sensitive when few units contribute ([`protect_amounts`]) and several breakdowns of
//! one population that share their row totals ([`protect_breakdowns`]: nothing hidden in one
//! table can be derived with the help of another).

/// A table of counts: `cells[row][column]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub cells: Vec<Vec<u64>>,
}

/// How strictly to protect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Counts from 1 to `k − 1` are hidden.
    pub k: u64,
    /// Shown counts are rounded to the nearest multiple of this (none: shown as they are).
    pub round_to: Option<u64>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy { k: 5, round_to: None }
    }
}

/// One published entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Value(u64),
    /// Hidden for a small count (primary) or to protect another hidden count (secondary).
    Hidden(Why),
}

impl Shown {
    /// The value, `None` when hidden.
    pub fn value(&self) -> Option<u64> {
        match self {
            Shown::Value(v) => Some(*v),
            Shown::Hidden(_) => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    SmallCount,
    Protects,
}

/// The protected table: the cells, each row's total, each column's total and the grand total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    pub cells: Vec<Vec<Shown>>,
    pub row_totals: Vec<Shown>,
    pub column_totals: Vec<Shown>,
    pub total: Shown,
}

impl Published {
    /// Every entry of the table with its totals, as the augmented grid (the totals in the
    /// last column and the last row).
    pub fn grid(&self) -> Vec<Vec<Shown>> {
        let mut g: Vec<Vec<Shown>> = self.cells.iter().zip(&self.row_totals).map(|(row, t)| row.iter().copied().chain([*t]).collect()).collect();
        g.push(self.column_totals.iter().copied().chain([self.total]).collect());
        g
    }
}

/// The table with its totals as one grid: `rows + 1` by `columns + 1`.
pub fn augmented(t: &Table) -> Vec<Vec<u64>> {
    let columns = t.cells.iter().map(Vec::len).max().unwrap_or(0);
    let mut g: Vec<Vec<u64>> = t
        .cells
        .iter()
        .map(|row| {
            let mut r: Vec<u64> = (0..columns).map(|j| row.get(j).copied().unwrap_or(0)).collect();
            r.push(r.iter().sum());
            r
        })
        .collect();
    let totals: Vec<u64> = (0..=columns).map(|j| g.iter().map(|r| r[j]).sum()).collect();
    g.push(totals);
    g
}

/// The equations of an augmented grid of `rows × columns` (totals included): for every row,
/// its cells minus its total is zero; the same for every column. Each equation lists the
/// (row, column) entries with their coefficient.
pub fn equations(rows: usize, columns: usize) -> Vec<Vec<((usize, usize), f64)>> {
    let (last_r, last_c) = (rows.saturating_sub(1), columns.saturating_sub(1));
    let mut eqs = Vec::new();
    for i in 0..rows {
        let mut e: Vec<((usize, usize), f64)> = (0..last_c).map(|j| ((i, j), 1.0)).collect();
        e.push(((i, last_c), -1.0));
        eqs.push(e);
    }
    for j in 0..columns {
        let mut e: Vec<((usize, usize), f64)> = (0..last_r).map(|i| ((i, j), 1.0)).collect();
        e.push(((last_r, j), -1.0));
        eqs.push(e);
    }
    eqs
}

/// Which of the `hidden` entries are derivable from the equations and the shown entries.
pub fn derivable(rows: usize, columns: usize, hidden: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let index = |cell: &(usize, usize)| cell.0 * columns + cell.1;
    let eqs: Vec<Equation> = equations(rows, columns).into_iter().map(|e| e.iter().map(|(cell, c)| (index(cell), *c)).collect()).collect();
    let ids: Vec<usize> = hidden.iter().map(index).collect();
    fixed(&eqs, &ids).into_iter().map(|v| (v / columns, v % columns)).collect()
}

/// One linear equation over the published entries: (entry, coefficient), summing to zero.
pub type Equation = Vec<(usize, f64)>;

/// Which of the `hidden` entries are fixed by `equations` once every other entry is known: in
/// the reduced row echelon form of the equations restricted to the hidden entries, a pivot
/// whose row has no other hidden entry.
pub fn fixed(equations: &[Equation], hidden: &[usize]) -> Vec<usize> {
    if hidden.is_empty() {
        return Vec::new();
    }
    let mut m: Vec<Vec<f64>> = equations
        .iter()
        .map(|eq| {
            let mut row = vec![0.0; hidden.len()];
            for (entry, coefficient) in eq {
                if let Some(k) = hidden.iter().position(|h| h == entry) {
                    row[k] += coefficient;
                }
            }
            row
        })
        .filter(|r| r.iter().any(|v| v.abs() > 1e-9))
        .collect();
    let mut pivots = Vec::new();
    let mut r = 0;
    for c in 0..hidden.len() {
        if r == m.len() {
            break;
        }
        let Some(p) = (r..m.len()).max_by(|a, b| m[*a][c].abs().total_cmp(&m[*b][c].abs())) else { break };
        if m[p][c].abs() < 1e-9 {
            continue;
        }
        m.swap(r, p);
        let lead = m[r][c];
        for v in m[r].iter_mut() {
            *v /= lead;
        }
        for other in 0..m.len() {
            if other != r && m[other][c].abs() > 1e-12 {
                let f = m[other][c];
                let pivot_row = m[r].clone();
                for (v, pv) in m[other].iter_mut().zip(pivot_row) {
                    *v -= f * pv;
                }
            }
        }
        pivots.push((r, c));
        r += 1;
    }
    pivots.into_iter().filter(|(row, c)| m[*row].iter().enumerate().all(|(k, v)| k == *c || v.abs() < 1e-9)).map(|(_, c)| hidden[c]).collect()
}

/// Everything one publication shows as one system: the true values of its entries, which are
/// sensitive (must be hidden), and the equations that tie them together.
#[derive(Debug, Clone, Default)]
pub struct System {
    pub values: Vec<u64>,
    pub sensitive: Vec<bool>,
    pub equations: Vec<Equation>,
}

impl System {
    fn add(&mut self, value: u64, sensitive: bool) -> usize {
        self.values.push(value);
        self.sensitive.push(sensitive);
        self.values.len() - 1
    }

    /// Hides the sensitive entries, then, while some hidden entry is fixed by the equations,
    /// hides the smallest non-zero shown entry sharing an equation with it that unfixes it (or
    /// the smallest one sharing an equation, or the smallest non-zero shown entry anywhere).
    /// Returns why each entry is hidden, `None` for shown.
    pub fn suppress(&self) -> Vec<Option<Why>> {
        let mut why: Vec<Option<Why>> = self.sensitive.iter().map(|s| s.then_some(Why::SmallCount)).collect();
        loop {
            let hidden: Vec<usize> = (0..why.len()).filter(|v| why[*v].is_some()).collect();
            let Some(&x) = fixed(&self.equations, &hidden).first() else { break };
            // A zero is never hidden: hiding it protects nothing (a reader who sees a total of
            // zero knows every part is zero) and reads as if something were there.
            let mut candidates: Vec<usize> = self
                .equations
                .iter()
                .filter(|e| e.iter().any(|(v, _)| *v == x))
                .flat_map(|e| e.iter().map(|(v, _)| *v))
                .filter(|v| why[*v].is_none() && self.values[*v] > 0)
                .collect();
            candidates.sort_by_key(|v| (self.values[*v], *v));
            candidates.dedup();
            let chosen = candidates
                .iter()
                .copied()
                .find(|cand| {
                    let mut h = hidden.clone();
                    h.push(*cand);
                    !fixed(&self.equations, &h).contains(&x)
                })
                .or_else(|| candidates.first().copied())
                .or_else(|| (0..why.len()).filter(|v| why[*v].is_none() && self.values[*v] > 0).min_by_key(|v| (self.values[*v], *v)));
            match chosen {
                Some(v) => why[v] = Some(Why::Protects),
                None => break,
            }
        }
        why
    }
}

/// Where one table's entries sit in a [`System`].
struct Placed {
    cells: Vec<Vec<usize>>,
    row_totals: Vec<usize>,
    column_totals: Vec<usize>,
    total: Option<usize>,
}

impl Placed {
    fn publish(&self, sys: &System, why: &[Option<Why>], policy: &Policy) -> Published {
        let entry = |v: usize| match why[v] {
            Some(w) => Shown::Hidden(w),
            None => Shown::Value(match policy.round_to {
                Some(base) if base > 1 => (sys.values[v] + base / 2) / base * base,
                _ => sys.values[v],
            }),
        };
        Published {
            cells: self.cells.iter().map(|r| r.iter().map(|v| entry(*v)).collect()).collect(),
            row_totals: self.row_totals.iter().map(|v| entry(*v)).collect(),
            column_totals: self.column_totals.iter().map(|v| entry(*v)).collect(),
            total: self.total.map(entry).unwrap_or(Shown::Value(0)),
        }
    }
}

fn small(v: u64, policy: &Policy) -> bool {
    v > 0 && v < policy.k
}

/// Places a table's cells and column totals (and, when `rows` is given, reuses those row
/// totals and grand total; when `None` and `additive`, makes its own).
fn place(sys: &mut System, cells: &[Vec<u64>], sensitive: &dyn Fn(usize, usize, u64) -> bool, additive: bool, shared: Option<(&[usize], usize)>) -> Placed {
    let columns = cells.iter().map(Vec::len).max().unwrap_or(0);
    let value = |i: usize, j: usize| cells[i].get(j).copied().unwrap_or(0);
    let ids: Vec<Vec<usize>> = (0..cells.len()).map(|i| (0..columns).map(|j| sys.add(value(i, j), sensitive(i, j, value(i, j)))).collect()).collect();
    let column_totals: Vec<usize> = (0..columns)
        .map(|j| {
            let sum: u64 = (0..cells.len()).map(|i| value(i, j)).sum();
            let id = sys.add(sum, sensitive(cells.len(), j, sum));
            let mut e: Equation = ids.iter().map(|r| (r[j], 1.0)).collect();
            e.push((id, -1.0));
            sys.equations.push(e);
            id
        })
        .collect();
    if !additive {
        return Placed { cells: ids, row_totals: Vec::new(), column_totals, total: None };
    }
    let (row_totals, total) = match shared {
        Some((rows, total)) => (rows.to_vec(), total),
        None => {
            let rows: Vec<usize> = (0..cells.len())
                .map(|i| {
                    let sum: u64 = (0..columns).map(|j| value(i, j)).sum();
                    sys.add(sum, sensitive(i, columns, sum))
                })
                .collect();
            let sum: u64 = cells.iter().flatten().sum();
            let total = sys.add(sum, sensitive(cells.len(), columns, sum));
            (rows, total)
        }
    };
    for (i, r) in ids.iter().enumerate() {
        let mut e: Equation = r.iter().map(|v| (*v, 1.0)).collect();
        e.push((row_totals[i], -1.0));
        sys.equations.push(e);
    }
    let mut e: Equation = column_totals.iter().map(|v| (*v, 1.0)).collect();
    e.push((total, -1.0));
    sys.equations.push(e);
    let mut e: Equation = row_totals.iter().map(|v| (*v, 1.0)).collect();
    e.push((total, -1.0));
    sys.equations.push(e);
    Placed { cells: ids, row_totals, column_totals, total: Some(total) }
}

/// Protects a table: primary suppression, secondary suppression until no hidden entry is
/// derivable, then rounding.
pub fn protect(t: &Table, policy: &Policy) -> Published {
    let mut sys = System::default();
    let placed = place(&mut sys, &t.cells, &|_, _, v| small(v, policy), true, None);
    let why = sys.suppress();
    placed.publish(&sys, &why, policy)
}

/// Protects a table whose columns are separate measures (opened, closed, running …): each
/// column adds up to its national total, the rows have no total. `row_totals` is empty and
/// `total` is zero in the result.
pub fn protect_columns(t: &Table, policy: &Policy) -> Published {
    protect_columns_hiding(t, policy, &[])
}

/// Protects a table of separate measures (as [`protect_columns`]) whose column totals are also
/// published in another table of the same report: a total that table hides
/// (`hidden_elsewhere[j]`) is hidden here too, and enough parts with it that it cannot be
/// recomputed from them (the course through a year: its totals are the year's totals).
pub fn protect_columns_hiding(t: &Table, policy: &Policy, hidden_elsewhere: &[bool]) -> Published {
    let rows = t.cells.len();
    let mut sys = System::default();
    let placed = place(&mut sys, &t.cells, &|i, j, v| small(v, policy) || (i == rows && v > 0 && hidden_elsewhere.get(j) == Some(&true)), false, None);
    let why = sys.suppress();
    placed.publish(&sys, &why, policy)
}

/// Protects amounts (columns without row totals, like [`protect_columns`]) where an amount is
/// sensitive when fewer than `k` units contribute to it: `contributors` has the same shape as
/// `amounts`. Rounding is not applied (amounts are rounded where they are shown).
pub fn protect_amounts(amounts: &Table, contributors: &Table, policy: &Policy) -> Published {
    let n = |i: usize, j: usize| -> u64 {
        if i < contributors.cells.len() {
            contributors.cells[i].get(j).copied().unwrap_or(0)
        } else {
            contributors.cells.iter().map(|r| r.get(j).copied().unwrap_or(0)).sum()
        }
    };
    let mut sys = System::default();
    let placed = place(&mut sys, &amounts.cells, &|i, j, _| small(n(i, j), policy), false, None);
    let why = sys.suppress();
    placed.publish(&sys, &why, &Policy { round_to: None, ..*policy })
}

/// The row totals of two breakdowns of one population differ (a counting error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch;

/// Protects several breakdowns of the same population together (interventions by category, by
/// partner and by outcome, each row a region): their row totals and grand total are the same
/// numbers, published once consistently, and nothing hidden in one table can be derived with
/// the help of another.
pub fn protect_breakdowns(tables: &[Table], policy: &Policy) -> Result<Vec<Published>, Mismatch> {
    let Some(first) = tables.first() else { return Ok(Vec::new()) };
    let totals = |t: &Table| -> Vec<u64> { t.cells.iter().map(|r| r.iter().sum()).collect() };
    let rows = totals(first);
    if tables.iter().any(|t| totals(t) != rows) {
        return Err(Mismatch);
    }
    let mut sys = System::default();
    let row_ids: Vec<usize> = rows.iter().map(|v| sys.add(*v, small(*v, policy))).collect();
    let grand: u64 = rows.iter().sum();
    let total = sys.add(grand, small(grand, policy));
    let placed: Vec<Placed> = tables.iter().map(|t| place(&mut sys, &t.cells, &|_, _, v| small(v, policy), true, Some((&row_ids, total)))).collect();
    let why = sys.suppress();
    Ok(placed.iter().map(|p| p.publish(&sys, &why, policy)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn hidden(p: &Published) -> Vec<(usize, usize)> {
        let g = p.grid();
        (0..g.len()).flat_map(|i| (0..g[i].len()).map(move |j| (i, j))).filter(|(i, j)| matches!(g[*i][*j], Shown::Hidden(_))).collect()
    }

    /// An independent check of derivability: entry `x` is fixed by the equations over the
    /// hidden entries exactly when adding its unit vector to them does not raise their rank.
    fn rank(mut m: Vec<Vec<f64>>) -> usize {
        let mut rank = 0;
        let columns = m.first().map(Vec::len).unwrap_or(0);
        for c in 0..columns {
            let Some(p) = (rank..m.len()).find(|r| m[*r][c].abs() > 1e-9) else { continue };
            m.swap(rank, p);
            for r in 0..m.len() {
                if r != rank {
                    let f = m[r][c] / m[rank][c];
                    let pivot = m[rank].clone();
                    for (v, pv) in m[r].iter_mut().zip(pivot) {
                        *v -= f * pv;
                    }
                }
            }
            rank += 1;
        }
        rank
    }

    fn fixed_by_rank(rows: usize, columns: usize, hidden: &[(usize, usize)], x: (usize, usize)) -> bool {
        let index = |c: &(usize, usize)| c.0 * columns + c.1;
        let sys = System {
            values: vec![0; rows * columns],
            sensitive: Vec::new(),
            equations: equations(rows, columns).into_iter().map(|e| e.iter().map(|(c, k)| (index(c), *k)).collect()).collect(),
        };
        fixed_in(&sys, &hidden.iter().map(index).collect::<Vec<_>>(), index(&x))
    }

    #[test]
    fn a_single_small_cell_is_not_left_recomputable_from_the_totals() {
        // 3 is small; with only primary suppression it is the row total minus 10.
        let t = Table { cells: vec![vec![3, 10], vec![20, 30]] };
        let p = protect(&t, &Policy::default());
        assert_eq!(p.cells[0][0], Shown::Hidden(Why::SmallCount));
        let h = hidden(&p);
        assert!(h.len() >= 4, "a 2×2 table needs a whole rectangle hidden: {h:?}");
        for x in &h {
            assert!(!fixed_by_rank(3, 3, &h, *x), "{x:?} is recomputable from {p:?}");
        }
        // The naive rule (primary only) is caught by the same check.
        assert!(fixed_by_rank(3, 3, &[(0, 0)], (0, 0)));
    }

    #[test]
    fn a_hidden_cell_bridging_two_groups_is_caught() {
        // Two 2×2 rectangles of hidden cells joined by one hidden cell: every line has two hidden
        // entries, yet the joining cell is fixed by the equations.
        let hidden_cells = [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (1, 2)];
        assert!(derivable(5, 5, &hidden_cells).contains(&(1, 2)));
        assert!(fixed_by_rank(5, 5, &hidden_cells, (1, 2)));
    }

    #[test]
    fn zeros_and_large_counts_are_shown_and_rounding_applies() {
        let t = Table { cells: vec![vec![0, 12], vec![7, 31]] };
        let p = protect(&t, &Policy { k: 5, round_to: Some(5) });
        assert_eq!(p.cells, vec![vec![Shown::Value(0), Shown::Value(10)], vec![Shown::Value(5), Shown::Value(30)]]);
        assert_eq!(p.total, Shown::Value(50));
    }

    /// The independent rank check over a whole system.
    fn fixed_in(sys: &System, hidden: &[usize], x: usize) -> bool {
        let matrix: Vec<Vec<f64>> = sys
            .equations
            .iter()
            .map(|eq| {
                let mut row = vec![0.0; hidden.len()];
                for (v, coefficient) in eq {
                    if let Some(k) = hidden.iter().position(|h| h == v) {
                        row[k] += coefficient;
                    }
                }
                row
            })
            .collect();
        let mut with_unit = matrix.clone();
        with_unit.push(hidden.iter().map(|h| if *h == x { 1.0 } else { 0.0 }).collect());
        rank(with_unit) == rank(matrix)
    }

    #[test]
    fn a_column_of_measures_has_no_row_totals_and_protects_its_national_total() {
        // One small region in a column: the national total would give it away, so a second
        // region is hidden; the other column is untouched.
        let t = Table { cells: vec![vec![3, 10], vec![20, 11], vec![30, 12]] };
        let p = protect_columns(&t, &Policy::default());
        assert!(p.row_totals.is_empty());
        assert_eq!(p.cells[0][0], Shown::Hidden(Why::SmallCount));
        assert_eq!(p.cells[1][0], Shown::Hidden(Why::Protects));
        assert_eq!(p.column_totals, vec![Shown::Value(53), Shown::Value(33)]);
        assert!(p.cells.iter().all(|r| matches!(r[1], Shown::Value(_))));
    }

    #[test]
    fn an_amount_from_few_interventions_is_hidden_whatever_its_size() {
        let amounts = Table { cells: vec![vec![1_000_000], vec![40_000], vec![55_000]] };
        let contributors = Table { cells: vec![vec![2], vec![9], vec![6]] };
        let p = protect_amounts(&amounts, &contributors, &Policy::default());
        assert_eq!(p.cells[0][0], Shown::Hidden(Why::SmallCount));
        assert_eq!(p.cells[1][0], Shown::Hidden(Why::Protects), "the smaller shown amount protects it");
        assert_eq!(p.cells[2][0], Shown::Value(55_000));
        assert_eq!(p.column_totals, vec![Shown::Value(1_095_000)]);
    }

    #[test]
    fn breakdowns_of_one_population_must_share_their_row_totals() {
        let a = Table { cells: vec![vec![3, 10]] };
        let b = Table { cells: vec![vec![11, 2]] };
        assert_eq!(protect_breakdowns(&[a.clone(), Table { cells: vec![vec![1, 1]] }], &Policy::default()), Err(Mismatch));
        let p = protect_breakdowns(&[a, b], &Policy::default());
        assert!(matches!(&p, Ok(p) if p[0].row_totals == p[1].row_totals), "{p:?}");
    }

    fn system_of_breakdowns(tables: &[Table], k: u64) -> (System, Vec<Vec<usize>>) {
        let mut sys = System::default();
        let rows: Vec<u64> = tables[0].cells.iter().map(|r| r.iter().sum()).collect();
        let policy = Policy { k, round_to: None };
        let row_ids: Vec<usize> = rows.iter().map(|v| sys.add(*v, small(*v, &policy))).collect();
        let grand = rows.iter().sum();
        let total = sys.add(grand, small(grand, &policy));
        let cells = tables.iter().map(|t| place(&mut sys, &t.cells, &|_, _, v| small(v, &policy), true, Some((&row_ids, total))).cells.concat()).collect();
        (sys, cells)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Two breakdowns of the same rows (the second splits each row's total differently):
        /// no hidden entry of either table is fixed by the equations of both together.
        #[test]
        fn nothing_hidden_in_linked_breakdowns_can_be_recomputed(
            first in (1usize..5, 1usize..5).prop_flat_map(|(r, c)| proptest::collection::vec(proptest::collection::vec(0u64..20, c), r)),
            split in proptest::collection::vec(0u64..100, 5),
            k in 2u64..7,
        ) {
            let second: Vec<Vec<u64>> = first.iter().enumerate().map(|(i, r)| {
                let total: u64 = r.iter().sum();
                let a = total * split[i % split.len()] / 100;
                vec![a, total - a]
            }).collect();
            let tables = [Table { cells: first.clone() }, Table { cells: second }];
            let published = protect_breakdowns(&tables, &Policy { k, round_to: None }).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            let (sys, _) = system_of_breakdowns(&tables, k);
            let why = sys.suppress();
            let hidden: Vec<usize> = (0..why.len()).filter(|v| why[*v].is_some()).collect();
            for v in &hidden {
                prop_assert!(!fixed_in(&sys, &hidden, *v), "entry {} is recomputable", v);
            }
            for (v, value) in sys.values.iter().enumerate() {
                if why[v].is_none() {
                    prop_assert!(*value == 0 || *value >= k, "a small value is shown");
                }
            }
            // What is published is what the system decided, in both tables.
            prop_assert_eq!(published[0].row_totals.clone(), published[1].row_totals.clone());
        }

        #[test]
        fn nothing_hidden_in_a_column_table_can_be_recomputed(
            cells in (1usize..8, 1usize..4).prop_flat_map(|(r, c)| proptest::collection::vec(proptest::collection::vec(0u64..15, c), r)),
            k in 2u64..7,
        ) {
            let mut sys = System::default();
            let policy = Policy { k, round_to: None };
            place(&mut sys, &cells, &|_, _, v| small(v, &policy), false, None);
            let why = sys.suppress();
            let hidden: Vec<usize> = (0..why.len()).filter(|v| why[*v].is_some()).collect();
            for v in &hidden {
                prop_assert!(!fixed_in(&sys, &hidden, *v), "entry {} is recomputable", v);
            }
            let p = protect_columns(&Table { cells }, &policy);
            prop_assert_eq!(p.cells.iter().flatten().filter(|s| matches!(s, Shown::Hidden(_))).count() + p.column_totals.iter().filter(|s| matches!(s, Shown::Hidden(_))).count(), hidden.len());
        }

        #[test]
        fn a_total_hidden_elsewhere_stays_hidden_and_underivable(
            cells in (1usize..6, 1usize..4).prop_flat_map(|(r, c)| proptest::collection::vec(proptest::collection::vec(0u64..15, c), r)),
            mask in proptest::collection::vec(any::<bool>(), 3),
            k in 2u64..7,
        ) {
            let policy = Policy { k, round_to: None };
            let rows = cells.len();
            let mut sys = System::default();
            place(&mut sys, &cells, &|i, j, v| small(v, &policy) || (i == rows && v > 0 && mask.get(j) == Some(&true)), false, None);
            let why = sys.suppress();
            let hidden: Vec<usize> = (0..why.len()).filter(|v| why[*v].is_some()).collect();
            for v in &hidden {
                prop_assert!(!fixed_in(&sys, &hidden, *v), "entry {} is recomputable", v);
            }
            let p = protect_columns_hiding(&Table { cells: cells.clone() }, &policy, &mask);
            for (j, total) in p.column_totals.iter().enumerate() {
                let sum: u64 = cells.iter().map(|r| r[j]).sum();
                if mask[j] && sum > 0 {
                    prop_assert!(matches!(total, Shown::Hidden(_)), "total {} is shown although hidden elsewhere", j);
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn nothing_hidden_can_be_recomputed_and_every_small_count_is_hidden(
            cells in (1usize..6, 1usize..6).prop_flat_map(|(r, c)| proptest::collection::vec(proptest::collection::vec(0u64..25, c), r)),
            k in 2u64..8,
        ) {
            let t = Table { cells };
            let p = protect(&t, &Policy { k, round_to: None });
            let truth = augmented(&t);
            let g = p.grid();
            let (rows, columns) = (g.len(), g[0].len());
            let h = hidden(&p);
            for i in 0..rows {
                for j in 0..columns {
                    match g[i][j] {
                        Shown::Value(v) => {
                            prop_assert_eq!(v, truth[i][j], "a shown value is the true value");
                            prop_assert!(v == 0 || v >= k, "a small count is shown at {:?}", (i, j));
                        }
                        Shown::Hidden(_) => prop_assert!(!fixed_by_rank(rows, columns, &h, (i, j)), "{:?} is recomputable", (i, j)),
                    }
                }
            }
        }
    }
}
