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
//! Linking tables of one report that share totals is the caller's part: publish the shared
//! totals from one protected table.

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

/// Which of the `hidden` entries are derivable from the equations and the shown entries: an
/// entry is when, in the reduced row echelon form of the equations over the hidden entries, it
/// is a pivot whose row has no other hidden entry.
pub fn derivable(rows: usize, columns: usize, hidden: &[(usize, usize)]) -> Vec<(usize, usize)> {
    if hidden.is_empty() {
        return Vec::new();
    }
    let index = |cell: (usize, usize)| hidden.iter().position(|h| *h == cell);
    let mut m: Vec<Vec<f64>> = equations(rows, columns)
        .into_iter()
        .map(|eq| {
            let mut row = vec![0.0; hidden.len()];
            for (cell, coefficient) in eq {
                if let Some(k) = index(cell) {
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
        if r == m.len() {
            break;
        }
    }
    pivots.into_iter().filter(|(row, c)| m[*row].iter().enumerate().all(|(k, v)| k == *c || v.abs() < 1e-9)).map(|(_, c)| hidden[c]).collect()
}

/// Protects a table: primary suppression, secondary suppression until no hidden entry is
/// derivable, then rounding.
pub fn protect(t: &Table, policy: &Policy) -> Published {
    let grid = augmented(t);
    let (rows, columns) = (grid.len(), grid.first().map(Vec::len).unwrap_or(0));
    let mut why: Vec<Vec<Option<Why>>> = grid.iter().map(|r| r.iter().map(|v| (*v > 0 && *v < policy.k).then_some(Why::SmallCount)).collect()).collect();
    let hidden_of =
        |why: &Vec<Vec<Option<Why>>>| -> Vec<(usize, usize)> { (0..rows).flat_map(|i| (0..columns).map(move |j| (i, j))).filter(|(i, j)| why[*i][*j].is_some()).collect() };
    loop {
        let hidden = hidden_of(&why);
        let Some(&(r, c)) = derivable(rows, columns, &hidden).first() else { break };
        // Candidates: the shown entries of its row and column, smallest first.
        let mut candidates: Vec<(usize, usize)> = (0..columns).map(|j| (r, j)).chain((0..rows).map(|i| (i, c))).filter(|(i, j)| why[*i][*j].is_none()).collect();
        candidates.sort_by_key(|(i, j)| (grid[*i][*j], *i, *j));
        candidates.dedup();
        let Some(first) = candidates.first().copied() else {
            // Nothing left in its lines to hide: hide the smallest shown entry anywhere.
            let rest: Vec<(usize, usize)> = (0..rows).flat_map(|i| (0..columns).map(move |j| (i, j))).filter(|(i, j)| why[*i][*j].is_none()).collect();
            match rest.into_iter().min_by_key(|(i, j)| (grid[*i][*j], *i, *j)) {
                Some((i, j)) => why[i][j] = Some(Why::Protects),
                None => break,
            }
            continue;
        };
        let fixes = candidates.iter().copied().find(|cand| {
            let mut h = hidden.clone();
            h.push(*cand);
            !derivable(rows, columns, &h).contains(&(r, c))
        });
        let (i, j) = fixes.unwrap_or(first);
        why[i][j] = Some(Why::Protects);
    }
    let show = |v: u64| match policy.round_to {
        Some(base) if base > 1 => Shown::Value((v + base / 2) / base * base),
        _ => Shown::Value(v),
    };
    let entry = |i: usize, j: usize| match why[i][j] {
        Some(w) => Shown::Hidden(w),
        None => show(grid[i][j]),
    };
    let (last_r, last_c) = (rows - 1, columns - 1);
    Published {
        cells: (0..last_r).map(|i| (0..last_c).map(|j| entry(i, j)).collect()).collect(),
        row_totals: (0..last_r).map(|i| entry(i, last_c)).collect(),
        column_totals: (0..last_c).map(|j| entry(last_r, j)).collect(),
        total: entry(last_r, last_c),
    }
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
        let matrix: Vec<Vec<f64>> = equations(rows, columns)
            .into_iter()
            .map(|eq| {
                let mut row = vec![0.0; hidden.len()];
                for (cell, coefficient) in eq {
                    if let Some(k) = hidden.iter().position(|h| *h == cell) {
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
