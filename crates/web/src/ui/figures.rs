//! "Cijfers": the network's figures for a year or a quarter — every indicator as a chart with
//! its table beside it and a CSV download — and the definition page of each indicator. What is
//! shown comes protected from `app::figures`; this module only lays it out.

use super::charts::{self, Bar, Series};
use super::templates::{Options, Page};
use super::{csv_field, error_response, fail, page, render, render_status, AnyUser, FormErrors, Signed};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use knooppunt_app::figures::{FigureTable, Figures, Period, Unit};
use knooppunt_app::AppError;
use knooppunt_figures::disclosure::Shown;
use knooppunt_figures::indicators::{self, Indicator, INDICATORS};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct PeriodQuery {
    #[serde(default)]
    pub jaar: String,
    #[serde(default)]
    pub kwartaal: String,
}

pub struct CellView {
    pub text: String,
    pub hidden: bool,
}

pub struct RowView {
    pub label: String,
    pub cells: Vec<CellView>,
    pub total: Option<CellView>,
}

pub struct TableView {
    pub code: &'static str,
    pub title: &'static str,
    pub counts: &'static str,
    pub caveat: &'static str,
    pub chart: String,
    pub row_heading: String,
    pub columns: Vec<String>,
    pub rows: Vec<RowView>,
    /// The national row (column totals), absent when the table has one row only.
    pub totals: Option<RowView>,
    pub has_row_totals: bool,
    pub csv: String,
}

pub struct GroupView {
    pub name: &'static str,
    pub anchor: String,
    pub tables: Vec<TableView>,
}

#[derive(Template)]
#[template(path = "figures.html")]
pub struct FiguresPage {
    pub page: Page,
    pub errors: FormErrors,
    pub jaar: String,
    pub kwartaal: String,
    pub years: Options,
    pub quarters: Options,
    pub period: String,
    pub k: u64,
    pub rounded: Option<u64>,
    pub groups: Vec<GroupView>,
}

#[derive(Template)]
#[template(path = "figure_definitions.html")]
pub struct DefinitionsPage {
    pub page: Page,
    pub indicators: &'static [Indicator],
    pub one: Option<&'static Indicator>,
}

fn format(unit: Unit, v: u64) -> String {
    match unit {
        Unit::Count | Unit::Days => charts::grouped(v),
        Unit::Euro => format!("€ {}", charts::grouped(v)),
    }
}

fn cell(unit: Unit, s: &Shown) -> CellView {
    match s {
        Shown::Value(v) => CellView { text: format(unit, *v), hidden: false },
        Shown::Hidden(_) => CellView { text: "×".into(), hidden: true },
    }
}

fn query_of(p: &Period) -> String {
    match p.quarter {
        Some(q) => format!("jaar={}&kwartaal={q}", p.year),
        None => format!("jaar={}", p.year),
    }
}

/// The chart that shows a table best: a line through the parts of the period for the course;
/// stacked bars per region for a breakdown of up to six categories; small multiples per region
/// for separate measures of one unit; otherwise bars of the row totals (a breakdown of many
/// categories), of the columns (one row) or of the first column.
fn chart_of(t: &FigureTable, period: &str) -> String {
    let p = &t.published;
    let id = format!("grafiek-{}", t.indicator.code);
    let title = format!("{} ({period})", t.indicator.title);
    let per = t.row_heading.to_lowercase();
    let first_unit = t.columns.first().map_or(Unit::Count, |c| c.unit);
    let one_unit = t.columns.iter().all(|c| c.unit == first_unit);
    let series = || -> Vec<Series> {
        t.columns.iter().enumerate().map(|(j, c)| Series { label: c.label.clone(), values: p.cells.iter().map(|r| r.get(j).and_then(Shown::value)).collect() }).collect()
    };
    let names = |s: &[Series]| s.iter().map(|x| x.label.to_lowercase()).collect::<Vec<_>>().join(", ");
    if t.indicator.code == indicators::TREND {
        let s = series();
        let description = format!("Lijndiagram van {} per {per}, {period}. De tabel hieronder geeft dezelfde getallen.", names(&s));
        return charts::lines(&id, &title, &description, &t.rows, &s, &|v| format(first_unit, v));
    }
    if t.rows.len() > 1 && t.has_row_totals() && (2..=6).contains(&t.columns.len()) {
        let s = series();
        let totals: Vec<Option<u64>> = p.row_totals.iter().map(Shown::value).collect();
        let description =
            format!("Gestapeld staafdiagram per {per}: {}, met het totaal aan het eind van elke staaf, {period}. De tabel hieronder geeft dezelfde getallen.", names(&s));
        return charts::stacked(&id, &title, &description, &t.rows, &s, &totals, &|v| format(Unit::Count, v));
    }
    if t.rows.len() > 1 && !t.has_row_totals() && t.columns.len() >= 2 && one_unit {
        let s = series();
        let description = format!("Kleine grafieken per {per}, alle op dezelfde schaal: {}, {period}. De tabel hieronder geeft dezelfde getallen.", names(&s));
        return charts::multiples(&id, &title, &description, &t.rows, &s, &|v| format(first_unit, v));
    }
    let (bars, series, unit): (Vec<Bar>, String, Unit) = if t.has_row_totals() {
        (t.rows.iter().zip(&p.row_totals).map(|(l, s)| Bar { label: l.clone(), value: s.value() }).collect(), "het totaal".into(), Unit::Count)
    } else if t.rows.len() == 1 {
        let row = p.cells.first().cloned().unwrap_or_default();
        (t.columns.iter().zip(&row).map(|(c, s)| Bar { label: c.label.clone(), value: s.value() }).collect(), "elke kolom".into(), first_unit)
    } else {
        let label = t.columns.first().map(|c| c.label.to_lowercase()).unwrap_or_default();
        (t.rows.iter().zip(&p.cells).map(|(l, r)| Bar { label: l.clone(), value: r.first().and_then(Shown::value) }).collect(), format!("'{label}'"), first_unit)
    };
    let description = format!("Staafdiagram van {series} per {per}, {period}. De tabel hieronder geeft dezelfde getallen.");
    charts::bars(&id, &title, &description, &bars, &|v| format(unit, v))
}

/// The figures as groups of tables; `csv` makes a table's CSV address from its code.
pub(crate) fn groups_of(f: &Figures, csv: &dyn Fn(&str) -> String) -> Vec<GroupView> {
    let mut groups: Vec<GroupView> = Vec::new();
    for t in &f.tables {
        let name = t.indicator.group;
        if groups.last().is_none_or(|g| g.name != name) {
            groups.push(GroupView { name, anchor: name.to_lowercase(), tables: Vec::new() });
        }
        if let Some(g) = groups.last_mut() {
            g.tables.push(view(t, f, csv(t.indicator.code)));
        }
    }
    groups
}

fn view(t: &FigureTable, f: &Figures, csv: String) -> TableView {
    let p = &t.published;
    let units: Vec<Unit> = t.columns.iter().map(|c| c.unit).collect();
    let row = |label: &str, cells: &[Shown], total: Option<&Shown>| RowView {
        label: label.to_string(),
        cells: cells.iter().zip(&units).map(|(s, u)| cell(*u, s)).collect(),
        total: total.map(|s| cell(Unit::Count, s)),
    };
    let has_row_totals = t.has_row_totals();
    let rows: Vec<RowView> = t.rows.iter().enumerate().map(|(i, l)| row(l, p.cells.get(i).map(Vec::as_slice).unwrap_or(&[]), p.row_totals.get(i))).collect();
    let totals = (t.rows.len() > 1).then(|| row(if t.row_heading == "Regio" { "Nederland" } else { "Totaal" }, &p.column_totals, has_row_totals.then_some(&p.total)));
    let period = f.period.label();
    TableView {
        code: t.indicator.code,
        title: t.indicator.title,
        counts: t.indicator.counts,
        caveat: t.indicator.caveat,
        chart: chart_of(t, &period),
        row_heading: t.row_heading.clone(),
        columns: t.columns.iter().map(|c| c.label.clone()).collect(),
        rows,
        totals,
        has_row_totals,
        csv,
    }
}

fn this_year(s: &AppState) -> i32 {
    crate::ui::labels::current_year(s.app.now())
}

fn period_options(s: &AppState) -> (Options, Options) {
    let now = this_year(s);
    let years = (now - 5..=now).rev().map(|y| (y.to_string(), y.to_string())).collect();
    let mut quarters: Options = vec![(String::new(), "Heel het jaar".into())];
    quarters.extend((1..=4).map(|q| (q.to_string(), format!("{q}e kwartaal"))));
    (years, quarters)
}

fn period_of(s: &AppState, q: &PeriodQuery) -> Result<Period, AppError> {
    let year = if q.jaar.trim().is_empty() { this_year(s).to_string() } else { q.jaar.clone() };
    Ok(Period::parse(&year, &q.kwartaal)?)
}

pub async fn figures(State(s): State<AppState>, Signed { rc, .. }: Signed, q: Result<Query<PeriodQuery>, axum::extract::rejection::QueryRejection>) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let (years, quarters) = period_options(&s);
    let mut view_page = FiguresPage {
        page: page(&s, &rc, "Cijfers", "/cijfers", None),
        errors: FormErrors::default(),
        jaar: q.jaar.clone(),
        kwartaal: q.kwartaal.clone(),
        years,
        quarters,
        period: String::new(),
        k: s.app.config().figures_k,
        rounded: s.app.config().figures_round_to,
        groups: Vec::new(),
    };
    let period = match period_of(&s, &q) {
        Ok(p) => p,
        Err(e) => {
            view_page.errors = FormErrors::from_app(&e).unwrap_or_default();
            return render_status(StatusCode::BAD_REQUEST, &view_page);
        }
    };
    match s.app.figures(&rc.ctx, period).await {
        Ok(f) => {
            view_page.jaar = period.year.to_string();
            view_page.kwartaal = period.quarter.map(|q| q.to_string()).unwrap_or_default();
            view_page.period = period.label();
            view_page.page.title = format!("Cijfers {}", period.label());
            view_page.groups = groups_of(&f, &|code| format!("/cijfers/export/{code}?{}", query_of(&period)));
            render(&view_page)
        }
        Err(e) => fail(&s, &rc, e),
    }
}

/// One table as CSV (semicolon-separated, UTF-8): a hidden value is an empty cell.
pub async fn figures_csv(
    State(s): State<AppState>,
    Signed { rc, .. }: Signed,
    Path(code): Path<String>,
    q: Result<Query<PeriodQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    if indicators::indicator(&code).is_none() {
        return error_response(&s, &rc, StatusCode::NOT_FOUND, None);
    }
    let period = match period_of(&s, &q) {
        Ok(p) => p,
        Err(e) => return fail(&s, &rc, e),
    };
    match s.app.figures(&rc.ctx, period).await {
        Ok(f) => {
            let Some(t) = f.table(&code) else { return error_response(&s, &rc, StatusCode::NOT_FOUND, None) };
            let out = table_csv(t);
            let name = format!("attachment; filename=\"cijfers-{code}-{}.csv\"", query_of(&period).replace("jaar=", "").replace("&kwartaal=", "-k"));
            ([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, name)], out).into_response()
        }
        Err(e) => fail(&s, &rc, e),
    }
}

/// One protected table as CSV (semicolon-separated): a hidden value is an empty cell.
pub(crate) fn table_csv(t: &FigureTable) -> String {
    let plain = |sh: &Shown| sh.value().map(|v| v.to_string()).unwrap_or_default();
    let mut header_cells = vec![t.row_heading.to_lowercase()];
    header_cells.extend(t.columns.iter().map(|c| c.label.clone()));
    if t.has_row_totals() {
        header_cells.push("Totaal".into());
    }
    let mut out = header_cells.iter().map(|c| csv_field(c)).collect::<Vec<_>>().join(";") + "\r\n";
    let p = &t.published;
    for (i, label) in t.rows.iter().enumerate() {
        let mut cells = vec![csv_field(label)];
        cells.extend(p.cells.get(i).into_iter().flatten().map(plain));
        if let Some(total) = p.row_totals.get(i) {
            cells.push(plain(total));
        }
        out.push_str(&(cells.join(";") + "\r\n"));
    }
    if t.rows.len() > 1 {
        let mut cells = vec![csv_field("Nederland")];
        cells.extend(p.column_totals.iter().map(plain));
        if t.has_row_totals() {
            cells.push(plain(&p.total));
        }
        out.push_str(&(cells.join(";") + "\r\n"));
    }
    out
}

/// Every indicator's definition: public, also without signing in (the annual report refers to
/// them).
pub async fn definitions(State(s): State<AppState>, AnyUser(rc): AnyUser) -> Response {
    render(&DefinitionsPage { page: page(&s, &rc, "Definities van de cijfers", "/cijfers", None), indicators: INDICATORS, one: None })
}

pub async fn definition(State(s): State<AppState>, AnyUser(rc): AnyUser, Path(code): Path<String>) -> Response {
    match indicators::indicator(&code) {
        Some(i) => render(&DefinitionsPage { page: page(&s, &rc, &format!("Definitie: {}", i.title), "/cijfers", None), indicators: INDICATORS, one: Some(i) }),
        None => error_response(&s, &rc, StatusCode::NOT_FOUND, None),
    }
}
