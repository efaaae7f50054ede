//! The network's figures: the indicators of `knooppunt_figures::indicators`, counted in the
//! store for a year or a quarter, per region, and protected by disclosure control before they
//! leave this module. Every table of one period is one publication: tables that break down the
//! same population share their totals and are protected together.

use crate::{commit, App, AppError, Ctx, Object};
use chrono::TimeZone;
use knooppunt_domain::case::{CasePhase, InterventionStatus};
use knooppunt_domain::policy_signal::SignalState;
use knooppunt_domain::{Invalid, PartnerType};
use knooppunt_figures::disclosure::{self, Policy, Published, Shown, Table, Why};
use knooppunt_figures::indicators::{self as ind, Indicator};
use knooppunt_policy::figures::{figures_grant, FiguresGrant};
use knooppunt_store::figures::{self as store, Count};
use knooppunt_store::{network, policy_signals, Conn};
use std::collections::BTreeMap;

/// Figures counted recently, per period: when, and what.
pub(crate) type Cache = std::collections::HashMap<Period, (i64, std::sync::Arc<Figures>)>;

/// A year, or one quarter of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    pub year: i32,
    pub quarter: Option<u32>,
}

impl Period {
    /// From the form's or the query string's text: `jaar` 2000–2100, `kwartaal` empty or 1–4.
    pub fn parse(year: &str, quarter: &str) -> Result<Period, Invalid> {
        let mut invalid = Invalid::default();
        let y = match year.trim().parse::<i32>() {
            Ok(y) if (2000..=2100).contains(&y) => Some(y),
            _ => {
                invalid.push("jaar", "Geef een jaar van vier cijfers, bijvoorbeeld 2025.");
                None
            }
        };
        let q = match quarter.trim() {
            "" => None,
            raw => match raw.parse::<u32>() {
                Ok(q) if (1..=4).contains(&q) => Some(q),
                _ => {
                    invalid.push("kwartaal", "Kies een kwartaal van 1 tot en met 4, of laat het leeg voor het hele jaar.");
                    None
                }
            },
        };
        invalid.into_result()?;
        Ok(Period { year: y.unwrap_or(2000), quarter: q })
    }

    /// `[from, to)` in milliseconds: the period starts and ends at midnight in the Netherlands.
    pub fn bounds(&self) -> (i64, i64) {
        let (first, last) = match self.quarter {
            Some(q) => ((self.year, 3 * (q - 1) + 1), if q == 4 { (self.year + 1, 1) } else { (self.year, 3 * q + 1) }),
            None => ((self.year, 1), (self.year + 1, 1)),
        };
        let at = |(y, m): (i32, u32)| chrono_tz::Europe::Amsterdam.with_ymd_and_hms(y, m, 1, 0, 0, 0).earliest().map(|d| d.timestamp_millis()).unwrap_or_default();
        (at(first), at(last))
    }

    /// The parts the period's course is shown in: the quarters of a year, the months of a
    /// quarter; each with its label and `[from, to)`.
    pub fn parts(&self) -> Vec<(String, i64, i64)> {
        const MONTHS: [&str; 12] = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"];
        match self.quarter {
            None => (1..=4).map(|q| (format!("{q}e kwartaal"), Period { year: self.year, quarter: Some(q) }.bounds())).map(|(l, (a, b))| (l, a, b)).collect(),
            Some(q) => {
                let at = |y: i32, m: u32| chrono_tz::Europe::Amsterdam.with_ymd_and_hms(y, m, 1, 0, 0, 0).earliest().map(|d| d.timestamp_millis()).unwrap_or_default();
                (0..3)
                    .map(|i| {
                        let m = 3 * (q - 1) + 1 + i;
                        let end = if m == 12 { at(self.year + 1, 1) } else { at(self.year, m + 1) };
                        (MONTHS[(m - 1) as usize].to_string(), at(self.year, m), end)
                    })
                    .collect()
            }
        }
    }

    /// The boundaries of [`Self::parts`] as the store's course query takes them: four parts
    /// `[b0, b1) … [b3, b4)`, the unused ones empty at the period's end.
    pub fn part_bounds(&self) -> [i64; 5] {
        let mut bounds = [self.bounds().1; 5];
        for (i, (_, from, to)) in self.parts().iter().enumerate().take(4) {
            bounds[i] = *from;
            bounds[i + 1] = *to;
        }
        bounds
    }

    /// "2025" or "2e kwartaal 2025".
    pub fn label(&self) -> String {
        match self.quarter {
            Some(q) => format!("{q}e kwartaal {}", self.year),
            None => self.year.to_string(),
        }
    }
}

/// What a column's values are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Count,
    /// Whole euros.
    Euro,
    /// Average days.
    Days,
}

impl Unit {
    /// The unit's code in the API and the frozen reports: `aantal`, `euro`, `dagen`.
    pub fn code(self) -> &'static str {
        match self {
            Unit::Count => "aantal",
            Unit::Euro => "euro",
            Unit::Days => "dagen",
        }
    }

    /// The unit of a code (anything unknown is a count).
    pub fn from_code(code: &str) -> Unit {
        [Unit::Euro, Unit::Days].into_iter().find(|u| u.code() == code).unwrap_or(Unit::Count)
    }
}

/// A column of a table: a stable code (CSV, API), its label and unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub code: String,
    pub label: String,
    pub unit: Unit,
}

/// One protected table: row and column labels and what may be shown.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureTable {
    pub indicator: &'static Indicator,
    /// What the rows are ("Regio", "Ministerie", "Landelijk").
    pub row_heading: String,
    pub rows: Vec<String>,
    pub columns: Vec<Column>,
    pub published: Published,
}

impl FigureTable {
    /// Whether the rows add up to a total per row (false: the columns are separate measures).
    pub fn has_row_totals(&self) -> bool {
        !self.published.row_totals.is_empty()
    }
}

/// Every figure of one period, protected.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub period: Period,
    pub k: u64,
    pub round_to: Option<u64>,
    pub tables: Vec<FigureTable>,
}

impl Figures {
    pub fn table(&self, code: &str) -> Option<&FigureTable> {
        self.tables.iter().find(|t| t.indicator.code == code)
    }
}

/// Rows (in order, with labels) and columns (in order, with labels) of counts keyed by id and
/// category code.
struct Grid {
    rows: Vec<(i64, String)>,
    columns: Vec<(String, String)>,
}

impl Grid {
    fn cells(&self, counts: &[Count]) -> Table {
        let mut by: BTreeMap<(i64, &str), u64> = BTreeMap::new();
        for c in counts {
            *by.entry((c.key, c.category.as_str())).or_default() += u64::try_from(c.n).unwrap_or(0);
        }
        Table { cells: self.rows.iter().map(|(id, _)| self.columns.iter().map(|(code, _)| by.get(&(*id, code.as_str())).copied().unwrap_or(0)).collect()).collect() }
    }

    fn table(&self, code: &str, row_heading: &'static str, unit: Unit, published: Published) -> Result<FigureTable, AppError> {
        Ok(FigureTable {
            indicator: ind::indicator(code).ok_or_else(|| AppError::Internal(format!("indicator {code}")))?,
            row_heading: row_heading.to_string(),
            rows: self.rows.iter().map(|(_, l)| l.clone()).collect(),
            columns: self.columns.iter().map(|(code, label)| Column { code: code.clone(), label: label.clone(), unit }).collect(),
            published,
        })
    }
}

/// The columns that occur in `counts`, in the order of `known` (code, label), then the unknown
/// ones by code (labelled with their code's first letter in capitals: a category typed into the
/// catalogue).
fn columns_of(counts: &[Count], known: &[(String, String)]) -> Vec<(String, String)> {
    let present = |code: &str| counts.iter().any(|c| c.category == code);
    let mut out: Vec<(String, String)> = known.iter().filter(|(c, _)| present(c)).cloned().collect();
    let mut rest: Vec<&str> = counts.iter().map(|c| c.category.as_str()).filter(|c| !known.iter().any(|(k, _)| k == c)).collect();
    rest.sort_unstable();
    rest.dedup();
    out.extend(rest.into_iter().map(|c| (c.to_string(), capitalised(c))));
    out
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|f| f.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn labelled<T: Copy>(all: &[T], code: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Vec<(String, String)> {
    all.iter().map(|v| (code(*v).to_string(), label(*v).to_string())).collect()
}

impl App {
    /// Every indicator for `period`, per region and nationally, protected. Audited as a read of
    /// figures (no personal data).
    pub async fn figures(&self, ctx: &Ctx, period: Period) -> Result<Figures, AppError> {
        let p = ctx.principal()?.clone();
        let Some(grant) = figures_grant(&p) else {
            let reason = "alleen medewerkers van het netwerk en stuurgroepleden zien de actuele cijfers";
            return Err(self.refuse(None, ctx, &Object::new("cijfers", "*"), reason, AppError::Forbidden(reason)).await);
        };
        let mut tx = self.begin_read().await?;
        let figures = self.count(&mut tx, &grant, period).await?;
        commit(tx).await?;
        self.log_plain_read(ctx, "cijfers-bekeken", &Object::new("cijfers", period.label()), &format!("periode {}", period.label())).await?;
        Ok(figures)
    }

    pub(crate) fn figures_policy(&self) -> Policy {
        Policy { k: self.config.figures_k, round_to: self.config.figures_round_to }
    }

    /// The figures of `period` counted at most `max_age_ms` ago (counted now when there are
    /// none that recent), with the moment they were counted. For the dashboards, which are
    /// opened often and show when their figures were counted; the figures pages, the draft
    /// and the adoption count afresh.
    pub(crate) async fn recent_count(&self, c: &mut Conn, g: &FiguresGrant, period: Period, max_age_ms: i64) -> Result<(i64, std::sync::Arc<Figures>), AppError> {
        let now = self.now();
        let cached = self.figures_cache.lock().ok().and_then(|m| m.get(&period).cloned());
        if let Some((at, f)) = cached.filter(|(at, _)| now - *at <= max_age_ms && *at <= now) {
            return Ok((at, f));
        }
        let f = std::sync::Arc::new(self.count(c, g, period).await?);
        if let Ok(mut m) = self.figures_cache.lock() {
            m.insert(period, (now, f.clone()));
        }
        Ok((now, f))
    }

    /// Counts and protects every indicator of `period`.
    pub(crate) async fn count(&self, c: &mut Conn, g: &FiguresGrant, period: Period) -> Result<Figures, AppError> {
        let policy = self.figures_policy();
        let (from, to) = period.bounds();
        let source = store::signals_by_source(c, g, from, to).await?;
        let phenomena = store::signals_by_phenomenon(c, g, from, to).await?;
        let settings = store::signals_by_setting(c, g, from, to).await?;
        let weighing = store::weighing_outcomes(c, g, from, to).await?;
        let mut flow = store::case_flow(c, g, from, to).await?;
        flow.extend(store::running_cases(c, g, to).await?);
        let finished = store::finished_interventions(c, g, from, to).await?;
        let desk = store::desk_signals_by_state(c, g, from, to).await?;
        let offers = store::desk_offers(c, g, from, to).await?;
        let national = store::national_work(c, g, from, to).await?;
        let parts = period.parts();
        let trend = store::trend(c, g, period.part_bounds()).await?;

        // Rows: the regions that work (not the LIEC), and any other region that has figures.
        let regions = network::list_regions(c).await?;
        let counted: Vec<i64> = source.iter().chain(&phenomena).chain(&weighing).chain(&flow).map(|x| x.key).chain(finished.iter().map(|f| f.region_id)).collect();
        let mut rows: Vec<(i64, String, String)> =
            regions.iter().filter(|r| (r.active && r.kind != "liec") || counted.contains(&r.id)).map(|r| (r.id, r.code.clone(), r.name.clone())).collect();
        rows.sort_by(|a, b| a.1.cmp(&b.1));
        let rows: Vec<(i64, String)> = rows.into_iter().map(|(id, _, name)| (id, name)).collect();
        let grid = |columns: Vec<(String, String)>| Grid { rows: rows.clone(), columns };

        let mut tables = Vec::new();
        // Signals.
        let partner_types = labelled(&PartnerType::ALL, PartnerType::code, PartnerType::label);
        let g1 = grid(columns_of(&source, &partner_types));
        tables.push(g1.table(ind::SIGNALS_BY_SOURCE, "Regio", Unit::Count, disclosure::protect(&g1.cells(&source), &policy))?);
        let mut phenomenon_names: Vec<(String, String)> = policy_signals::phenomena(c).await?.into_iter().map(|p| (p.code, p.name)).collect();
        phenomenon_names.push((String::new(), "Geen fenomeen".into()));
        let g2 = grid(columns_of(&phenomena, &phenomenon_names));
        tables.push(g2.table(ind::SIGNALS_BY_PHENOMENON, "Regio", Unit::Count, disclosure::protect(&g2.cells(&phenomena), &policy))?);
        let mut setting_names: Vec<(String, String)> =
            knooppunt_store::taxonomy::terms(c, knooppunt_store::taxonomy::Axis::Setting).await?.into_iter().map(|t| (t.code, t.name)).collect();
        setting_names.push((String::new(), "Geen omgeving".into()));
        let g_settings = grid(columns_of(&settings, &setting_names));
        tables.push(g_settings.table(ind::SIGNALS_BY_SETTING, "Regio", Unit::Count, disclosure::protect(&g_settings.cells(&settings), &policy))?);
        let outcomes = vec![
            (CasePhase::Rejected.code().to_string(), "Afgewezen".to_string()),
            (CasePhase::PreCase.code().to_string(), "Pre-casus".to_string()),
            (CasePhase::Case.code().to_string(), "Casus".to_string()),
        ];
        let g3 = grid(outcomes);
        tables.push(g3.table(ind::WEIGHING, "Regio", Unit::Count, disclosure::protect(&g3.cells(&weighing), &policy))?);
        // Cases.
        let g4 = grid(vec![
            ("pre-casus".into(), "Pre-casussen geopend".into()),
            ("casus".into(), "Casussen geopend".into()),
            ("afgesloten".into(), "Afgesloten".into()),
            ("lopend".into(), "Lopend aan het eind".into()),
        ]);
        tables.push(g4.table(ind::CASE_FLOW, "Regio", Unit::Count, disclosure::protect_columns(&g4.cells(&flow), &policy))?);
        // Interventions: three breakdowns of one population, protected together.
        let as_counts =
            |f: fn(&store::FinishedInterventions) -> &str| -> Vec<Count> { finished.iter().map(|x| Count { key: x.region_id, category: f(x).to_string(), n: x.n }).collect() };
        let by_category = as_counts(|x| &x.category);
        let by_partner = as_counts(|x| &x.partner_type);
        let by_outcome = as_counts(|x| &x.status);
        let by_instrument = as_counts(|x| &x.instrument);
        let mut instruments: Vec<(String, String)> = finished.iter().map(|x| (x.instrument.clone(), x.instrument_name.clone())).collect();
        instruments.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
        instruments.dedup();
        let g5 = grid(columns_of(&by_category, &[]));
        let g6 = grid(columns_of(&by_partner, &partner_types));
        let g7 = grid(vec![(InterventionStatus::Completed.code().into(), "Afgerond".into()), (InterventionStatus::Stopped.code().into(), "Gestopt".into())]);
        let g7b = grid(instruments);
        let linked = disclosure::protect_breakdowns(&[g5.cells(&by_category), g6.cells(&by_partner), g7.cells(&by_outcome), g7b.cells(&by_instrument)], &policy)
            .map_err(|_| AppError::Internal("de interventietabellen tellen niet dezelfde interventies".into()))?;
        let breakdowns =
            [(&g5, ind::INTERVENTIONS_BY_CATEGORY), (&g6, ind::INTERVENTIONS_BY_PARTNER), (&g7, ind::INTERVENTIONS_BY_OUTCOME), (&g7b, ind::INTERVENTIONS_BY_INSTRUMENT)];
        for ((g, code), published) in breakdowns.into_iter().zip(linked) {
            tables.push(g.table(code, "Regio", Unit::Count, published)?);
        }
        let g8 = grid(vec![("geind".into(), "Geïnd".into()), ("verrekend".into(), "Verrekend".into()), ("beslag".into(), "In beslag genomen".into())]);
        let mut amounts = vec![vec![0u64; 3]; rows.len()];
        let mut contributors = vec![vec![0u64; 3]; rows.len()];
        for f in &finished {
            if let Some(i) = rows.iter().position(|(id, _)| *id == f.region_id) {
                for (j, (cents, n)) in [(f.collected_cents, f.collected_n), (f.offset_cents, f.offset_n), (f.seized_cents, f.seized_n)].into_iter().enumerate() {
                    amounts[i][j] += u64::try_from(cents).unwrap_or(0);
                    contributors[i][j] += u64::try_from(n).unwrap_or(0);
                }
            }
        }
        let euros = amounts.into_iter().map(|r| r.into_iter().map(|cents| (cents + 50) / 100).collect()).collect();
        tables.push(g8.table(ind::AMOUNTS, "Regio", Unit::Euro, disclosure::protect_amounts(&Table { cells: euros }, &Table { cells: contributors }, &policy))?);
        // National: the signal desk, the ministries, cross-region work.
        let states: Vec<(String, String)> = labelled(&SignalState::ALL, SignalState::code, SignalState::label);
        let desk_grid = Grid { rows: vec![(0, "Landelijk Loket Bestuurlijke Signalen".into())], columns: columns_of(&desk, &states) };
        tables.push(desk_grid.table(ind::DESK_SIGNALS, "Loket", Unit::Count, disclosure::protect_columns(&desk_grid.cells(&desk), &policy))?);
        tables.push(self.ministries_table(c, &offers, from, to, &policy).await?);
        // The course through the period: national, per quarter or month. Its totals are the
        // period's national totals of signals, cases opened and interventions finished, which
        // other tables publish too: one they hide stays hidden here.
        let gt = Grid {
            rows: parts.iter().enumerate().map(|(i, (l, _, _))| (i as i64 + 1, capitalised(l))).collect(),
            columns: vec![
                ("signalen".into(), "Signalen geregistreerd".into()),
                ("casussen".into(), "Casussen geopend".into()),
                ("interventies".into(), "Interventies afgerond of gestopt".into()),
            ],
        };
        let hidden = |code: &str, column: Option<&str>| -> bool {
            tables.iter().find(|t: &&FigureTable| t.indicator.code == code).is_some_and(|t| {
                let total = match column {
                    None => Some(t.published.total),
                    Some(c) => t.columns.iter().position(|x| x.code == c).and_then(|j| t.published.column_totals.get(j).copied()),
                };
                matches!(total, Some(Shown::Hidden(_)))
            })
        };
        let hidden_elsewhere = [hidden(ind::SIGNALS_BY_SOURCE, None), hidden(ind::CASE_FLOW, Some("casus")), hidden(ind::INTERVENTIONS_BY_CATEGORY, None)];
        let part_heading = if period.quarter.is_some() { "Maand" } else { "Kwartaal" };
        tables.insert(0, gt.table(ind::TREND, part_heading, Unit::Count, disclosure::protect_columns_hiding(&gt.cells(&trend), &policy, &hidden_elsewhere))?);
        let g11 = Grid {
            rows: vec![(0, "Nederland".into())],
            columns: vec![
                ("gevonden".into(), "Treffers gevonden".into()),
                ("bevestigd".into(), "Treffers bevestigd".into()),
                ("aanpak".into(), "Landelijke aanpakken gestart".into()),
            ],
        };
        tables.push(g11.table(ind::NATIONAL, "Landelijk", Unit::Count, disclosure::protect_columns(&g11.cells(&national), &policy))?);
        Ok(Figures { period, k: policy.k, round_to: policy.round_to, tables })
    }

    /// Offered and answered per ministry (protected counts), and the average response time of
    /// the answers in the period, shown only when at least `k` answers make it.
    async fn ministries_table(&self, c: &mut Conn, offers: &[store::Offer], from: i64, to: i64, policy: &Policy) -> Result<FigureTable, AppError> {
        let ministries = policy_signals::ministries(c).await?;
        let mut rows: Vec<(i64, String)> = ministries.iter().map(|m| (m.id, m.name.clone())).collect();
        for o in offers {
            if !rows.iter().any(|(id, _)| *id == o.ministry_id) {
                rows.push((o.ministry_id, format!("Ministerie {}", o.ministry_id)));
            }
        }
        let mut counts = vec![vec![0u64; 2]; rows.len()];
        let mut days: Vec<Vec<f64>> = vec![Vec::new(); rows.len()];
        for o in offers {
            let Some(i) = rows.iter().position(|(id, _)| *id == o.ministry_id) else { continue };
            if (from..to).contains(&o.offered_at) {
                counts[i][0] += 1;
            }
            if let Some(r) = o.response_at.filter(|r| (from..to).contains(r)) {
                counts[i][1] += 1;
                days[i].push((r - o.offered_at) as f64 / 86_400_000.0);
            }
        }
        let protected = disclosure::protect_columns(&Table { cells: counts }, policy);
        let average = |d: &[f64]| -> Shown {
            if d.is_empty() || (d.len() as u64) < policy.k {
                Shown::Hidden(Why::SmallCount)
            } else {
                Shown::Value((d.iter().sum::<f64>() / d.len() as f64).round() as u64)
            }
        };
        let all: Vec<f64> = days.iter().flatten().copied().collect();
        let published = Published {
            cells: protected.cells.iter().zip(&days).map(|(r, d)| r.iter().copied().chain([average(d)]).collect()).collect(),
            row_totals: Vec::new(),
            column_totals: protected.column_totals.iter().copied().chain([average(&all)]).collect(),
            total: Shown::Value(0),
        };
        let grid = Grid {
            rows,
            columns: vec![("aangeboden".into(), "Aangeboden".into()), ("beantwoord".into(), "Beantwoord".into()), ("reactietijd".into(), "Gemiddelde reactietijd (dagen)".into())],
        };
        let mut table = grid.table(ind::MINISTRIES, "Ministerie", Unit::Count, published)?;
        if let Some(last) = table.columns.last_mut() {
            last.unit = Unit::Days;
        }
        Ok(table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_runs_in_quarters_and_a_quarter_in_months_in_dutch_time() {
        let year = Period { year: 2025, quarter: None };
        let parts = year.parts();
        let labels: Vec<&str> = parts.iter().map(|(l, _, _)| l.as_str()).collect();
        assert_eq!(labels, vec!["1e kwartaal", "2e kwartaal", "3e kwartaal", "4e kwartaal"]);
        // The parts cover the year without a gap: 1 January 00:00 (UTC+1) to the next.
        assert_eq!(parts.first().map(|p| p.1), Some(year.bounds().0));
        assert_eq!(parts.last().map(|p| p.2), Some(year.bounds().1));
        assert!(parts.windows(2).all(|w| w[0].2 == w[1].1));
        assert_eq!(year.part_bounds(), [parts[0].1, parts[1].1, parts[2].1, parts[3].1, parts[3].2]);
        // The fourth quarter: October (summer time until the 26th), November, December; the
        // fourth part is empty at the end of the year.
        let q4 = Period { year: 2025, quarter: Some(4) };
        let months = q4.parts();
        let labels: Vec<&str> = months.iter().map(|(l, _, _)| l.as_str()).collect();
        assert_eq!(labels, vec!["oktober", "november", "december"]);
        assert_eq!(months[0].1, 1_759_269_600_000, "1 October 2025 00:00 CEST");
        assert_eq!(months[2].2, q4.bounds().1, "December ends at New Year in Dutch time");
        let b = q4.part_bounds();
        assert_eq!((b[3], b[4]), (q4.bounds().1, q4.bounds().1));
    }
}
