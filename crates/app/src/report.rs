//! The network's annual report (*jaarverslag*): the LIEC reviews a finished year's figures as a
//! draft (the live figures) and adopts them with a foreword; adoption freezes the protected
//! tables as they are at that moment, with the date and who adopted it. An adopted report is a
//! published document: anyone may read it, also without signing in.

use crate::figures::{Column, FigureTable, Figures, Period, Unit};
use crate::{commit, App, AppError, Ctx, Object, Outcome};
use knooppunt_domain::Invalid;
use knooppunt_figures::disclosure::{Published, Shown, Why};
use knooppunt_figures::indicators;
use knooppunt_policy::figures::{may_adopt_report, report_grant};
use knooppunt_store::reports::{self as store, ReportRow};
use serde::{Deserialize, Serialize};

/// Who adopted a report, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adoption {
    pub at: i64,
    pub by: String,
}

/// A year's report: adopted (frozen) or a draft (the live figures).
#[derive(Debug, Clone, PartialEq)]
pub struct AnnualReport {
    pub year: i32,
    pub adopted: Option<Adoption>,
    pub foreword: String,
    pub figures: Figures,
}

/// An adopted report in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportSummary {
    pub year: i32,
    pub adoption: Adoption,
}

/// The comparability caveat every report carries.
pub const CAVEAT: &str = "Sinds 2018 volgen de cijfers de stappen van het werkproces. De regio's registreren niet overal op dezelfde manier; vergelijk regio's daarom met voorzichtigheid. Kleine aantallen zijn afgeschermd (×).";

#[derive(Serialize, Deserialize)]
struct SnapColumn {
    code: String,
    label: String,
    unit: String,
}

#[derive(Serialize, Deserialize)]
struct SnapTable {
    indicator: String,
    row_heading: String,
    rows: Vec<String>,
    columns: Vec<SnapColumn>,
    cells: Vec<Vec<Option<u64>>>,
    row_totals: Vec<Option<u64>>,
    column_totals: Vec<Option<u64>>,
    total: Option<u64>,
}

#[derive(Serialize, Deserialize)]
struct Snapshot {
    k: u64,
    round_to: Option<u64>,
    tables: Vec<SnapTable>,
}

fn shown(v: &Option<u64>) -> Shown {
    v.map_or(Shown::Hidden(Why::Protects), Shown::Value)
}

fn freeze(f: &Figures) -> Result<String, AppError> {
    let snap = Snapshot {
        k: f.k,
        round_to: f.round_to,
        tables: f
            .tables
            .iter()
            .map(|t| SnapTable {
                indicator: t.indicator.code.into(),
                row_heading: t.row_heading.clone(),
                rows: t.rows.clone(),
                columns: t.columns.iter().map(|c| SnapColumn { code: c.code.clone(), label: c.label.clone(), unit: c.unit.code().into() }).collect(),
                cells: t.published.cells.iter().map(|r| r.iter().map(Shown::value).collect()).collect(),
                row_totals: t.published.row_totals.iter().map(Shown::value).collect(),
                column_totals: t.published.column_totals.iter().map(Shown::value).collect(),
                total: t.published.total.value(),
            })
            .collect(),
    };
    serde_json::to_string(&snap).map_err(|e| AppError::Internal(e.to_string()))
}

fn thaw(year: i32, json: &str) -> Result<Figures, AppError> {
    let snap: Snapshot = serde_json::from_str(json).map_err(|e| AppError::Internal(format!("jaarverslag {year}: {e}")))?;
    let tables = snap
        .tables
        .into_iter()
        .map(|t| {
            Ok(FigureTable {
                indicator: indicators::indicator(&t.indicator).ok_or_else(|| AppError::Internal(format!("indicator {}", t.indicator)))?,
                row_heading: t.row_heading,
                rows: t.rows,
                columns: t.columns.into_iter().map(|c| Column { unit: Unit::from_code(&c.unit), code: c.code, label: c.label }).collect(),
                published: Published {
                    cells: t.cells.iter().map(|r| r.iter().map(shown).collect()).collect(),
                    row_totals: t.row_totals.iter().map(shown).collect(),
                    column_totals: t.column_totals.iter().map(shown).collect(),
                    total: shown(&t.total),
                },
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(Figures { period: Period { year, quarter: None }, k: snap.k, round_to: snap.round_to, tables })
}

fn year_of(row: &ReportRow) -> i32 {
    i32::try_from(row.year).unwrap_or_default()
}

impl App {
    /// Every adopted report, newest first. Public.
    pub async fn adopted_reports(&self) -> Result<Vec<ReportSummary>, AppError> {
        let mut tx = self.begin_read().await?;
        let rows = store::reports(&mut tx).await?;
        commit(tx).await?;
        Ok(rows.iter().map(|r| ReportSummary { year: year_of(r), adoption: Adoption { at: r.adopted_at, by: r.adopted_by.clone() } }).collect())
    }

    /// The adopted report of `year`, as frozen. Public; a year not adopted is not found.
    pub async fn adopted_report(&self, year: i32) -> Result<AnnualReport, AppError> {
        let mut tx = self.begin_read().await?;
        let row = store::report_of(&mut tx, i64::from(year)).await?;
        commit(tx).await?;
        let row = row.ok_or(AppError::NotFound("jaarverslag"))?;
        Ok(AnnualReport { year, adopted: Some(Adoption { at: row.adopted_at, by: row.adopted_by.clone() }), foreword: row.foreword.clone(), figures: thaw(year, &row.snapshot)? })
    }

    /// The LIEC's draft of `year`: the adopted report when there is one, else the live
    /// figures of the year.
    pub async fn draft_report(&self, ctx: &Ctx, year: i32) -> Result<AnnualReport, AppError> {
        let p = ctx.principal()?.clone();
        let Some(grant) = report_grant(&p) else {
            let reason = may_adopt_report(&p).reason;
            return Err(self.refuse(None, ctx, &Object::new("jaarverslag", year), reason, AppError::Forbidden(reason)).await);
        };
        let period = Period::parse(&year.to_string(), "")?;
        let mut tx = self.begin_read().await?;
        if let Some(row) = store::report_of(&mut tx, i64::from(year)).await? {
            commit(tx).await?;
            return Ok(AnnualReport {
                year,
                adopted: Some(Adoption { at: row.adopted_at, by: row.adopted_by.clone() }),
                foreword: row.foreword.clone(),
                figures: thaw(year, &row.snapshot)?,
            });
        }
        let figures = self.count(&mut tx, &grant, period).await?;
        commit(tx).await?;
        self.log_plain_read(ctx, "jaarverslag-concept-bekeken", &Object::new("jaarverslag", year), &format!("jaar {year}")).await?;
        Ok(AnnualReport { year, adopted: None, foreword: String::new(), figures })
    }

    /// Adopts the report of a finished `year` with its foreword: the figures as they are now
    /// are frozen. A year adopted before stays as it was (conflict).
    pub async fn adopt_report(&self, ctx: &Ctx, year: i32, foreword: &str) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let Some(grant) = report_grant(&p) else {
            let reason = may_adopt_report(&p).reason;
            return Err(self.refuse(None, ctx, &Object::new("jaarverslag", year), reason, AppError::Forbidden(reason)).await);
        };
        let mut invalid = Invalid::default();
        let period = match Period::parse(&year.to_string(), "") {
            Ok(period) => Some(period),
            Err(e) => {
                invalid.0.extend(e.0);
                None
            }
        };
        if period.is_some_and(|p| p.bounds().1 > self.now()) {
            invalid.push("jaar", "Een jaar kan pas worden vastgesteld als het voorbij is.");
        }
        // Paragraphs are separated by a blank line, whatever line ends the browser sent.
        let foreword = crate::cases::text(&mut invalid, "voorwoord", &foreword.replace("\r\n", "\n"), Some("Schrijf een voorwoord bij het jaarverslag."), 10_000);
        invalid.into_result()?;
        let Some(period) = period else { return Err(AppError::Internal("periode".into())) };
        let mut tx = self.begin().await?;
        if store::report_of(&mut tx, i64::from(year)).await?.is_some() {
            return Err(AppError::Conflict(format!("Het jaarverslag {year} is al vastgesteld; vastgestelde cijfers veranderen niet meer.")));
        }
        let figures = self.count(&mut tx, &grant, period).await?;
        let row = ReportRow { year: i64::from(year), foreword, snapshot: freeze(&figures)?, adopted_by: p.label.clone(), adopted_at: self.now() };
        if !store::insert_report(&mut tx, &row).await? {
            return Err(AppError::Conflict(format!("Het jaarverslag {year} is al vastgesteld; vastgestelde cijfers veranderen niet meer.")));
        }
        self.audit(&mut tx, ctx, "jaarverslag-vastgesteld", &Object::new("jaarverslag", year), Outcome::Ok, &format!("jaar {year}")).await?;
        commit(tx).await
    }
}
