//! "Jaarverslag": the network's annual report. The LIEC reviews a finished year as a draft and
//! adopts it with a foreword; the adopted report is public (page, printable, PDF, CSV per table)
//! and shows the figures as they were at adoption.

use super::figures::{groups_of, table_csv, GroupView};
use super::templates::Page;
use super::{error_response, fail, labels, page, render, render_status, see_other, AnyUser, CsrfForm, FormErrors, Signed};
use crate::context::RequestCtx;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use knooppunt_app::report::{AnnualReport, ReportSummary, CAVEAT};
use knooppunt_app::AppError;
use knooppunt_figures::disclosure::Shown;
use knooppunt_pdf::Block;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "reports.html")]
pub struct ReportsPage {
    pub page: Page,
    pub reports: Vec<(i32, String)>,
    /// Finished years without an adopted report, for the LIEC.
    pub drafts: Vec<i32>,
}

#[derive(Template)]
#[template(path = "report.html")]
pub struct ReportPage {
    pub page: Page,
    pub errors: FormErrors,
    pub year: i32,
    pub adopted: Option<String>,
    pub foreword: String,
    pub caveat: &'static str,
    pub period: String,
    pub k: u64,
    pub groups: Vec<GroupView>,
    /// The draft's form is shown (LIEC, not adopted yet, the year is over).
    pub can_adopt: bool,
}

#[derive(Deserialize)]
pub struct AdoptForm {
    #[serde(default)]
    pub voorwoord: String,
}

fn year_of(raw: &str) -> Option<i32> {
    raw.parse::<i32>().ok().filter(|y| (2000..=2100).contains(y))
}

fn adoption_line(r: &AnnualReport) -> Option<String> {
    r.adopted.as_ref().map(|a| format!("Vastgesteld door het LIEC op {}", labels::day(a.at)))
}

fn report_page(s: &AppState, rc: &RequestCtx, r: AnnualReport, errors: FormErrors, foreword: String, can_adopt: bool) -> ReportPage {
    let year = r.year;
    let adopted = r.adopted.is_some();
    let csv = move |code: &str| if adopted { format!("/jaarverslag/{year}/export/{code}") } else { format!("/cijfers/export/{code}?jaar={year}") };
    let groups = groups_of(&r.figures, &csv);
    let title = if r.adopted.is_some() { format!("Jaarverslag {year}") } else { format!("Concept jaarverslag {year}") };
    ReportPage {
        page: page(s, rc, &title, "/jaarverslag", None),
        errors,
        year,
        adopted: adoption_line(&r),
        foreword: if r.adopted.is_some() { r.foreword.clone() } else { foreword },
        caveat: CAVEAT,
        period: year.to_string(),
        k: r.figures.k,
        groups,
        can_adopt: can_adopt && r.adopted.is_none(),
    }
}

fn this_year(s: &AppState) -> i32 {
    crate::ui::labels::current_year(s.app.now())
}

pub async fn reports(State(s): State<AppState>, AnyUser(rc): AnyUser) -> Response {
    match s.app.adopted_reports().await {
        Ok(list) => {
            let adopts = rc.session.as_ref().is_some_and(|x| knooppunt_policy::figures::may_adopt_report(&x.principal).allowed);
            let now = this_year(&s);
            let drafts = if adopts { (now - 3..now).rev().filter(|y| !list.iter().any(|r: &ReportSummary| r.year == *y)).collect() } else { Vec::new() };
            let reports = list.iter().map(|r| (r.year, format!("vastgesteld op {}", labels::day(r.adoption.at)))).collect();
            render(&ReportsPage { page: page(&s, &rc, "Jaarverslagen", "/jaarverslag", None), reports, drafts })
        }
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn report(State(s): State<AppState>, AnyUser(rc): AnyUser, Path(raw): Path<String>) -> Response {
    let Some(year) = year_of(&raw) else { return error_response(&s, &rc, StatusCode::NOT_FOUND, None) };
    match s.app.adopted_report(year).await {
        Ok(r) => render(&report_page(&s, &rc, r, FormErrors::default(), String::new(), false)),
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn draft(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>) -> Response {
    let Some(year) = year_of(&raw) else { return error_response(&s, &rc, StatusCode::NOT_FOUND, None) };
    match s.app.draft_report(&rc.ctx, year).await {
        Ok(r) if r.adopted.is_some() => see_other(&format!("/jaarverslag/{year}")),
        Ok(r) => {
            let over = year < this_year(&s);
            render(&report_page(&s, &rc, r, FormErrors::default(), String::new(), over))
        }
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn adopt(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, CsrfForm(f): CsrfForm<AdoptForm>) -> Response {
    let Some(year) = year_of(&raw) else { return error_response(&s, &rc, StatusCode::NOT_FOUND, None) };
    match s.app.adopt_report(&rc.ctx, year, &f.voorwoord).await {
        Ok(()) => see_other(&format!("/jaarverslag/{year}")),
        Err(AppError::Invalid(inv)) => match s.app.draft_report(&rc.ctx, year).await {
            Ok(r) => render_status(StatusCode::BAD_REQUEST, &report_page(&s, &rc, r, FormErrors::from_app(&AppError::Invalid(inv)).unwrap_or_default(), f.voorwoord, true)),
            Err(e) => fail(&s, &rc, e),
        },
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn report_csv(State(s): State<AppState>, AnyUser(rc): AnyUser, Path((raw, code)): Path<(String, String)>) -> Response {
    let Some(year) = year_of(&raw) else { return error_response(&s, &rc, StatusCode::NOT_FOUND, None) };
    match s.app.adopted_report(year).await {
        Ok(r) => match r.figures.table(&code) {
            Some(t) => {
                let name = format!("attachment; filename=\"jaarverslag-{year}-{code}.csv\"");
                ([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, name)], table_csv(t)).into_response()
            }
            None => error_response(&s, &rc, StatusCode::NOT_FOUND, None),
        },
        Err(e) => fail(&s, &rc, e),
    }
}

/// The report as a PDF document: foreword, adoption, caveat, every table with its counting
/// rule in one line.
pub(crate) fn report_document(r: &AnnualReport) -> knooppunt_pdf::Document {
    let text = |s: &Shown| match s {
        Shown::Value(v) => super::charts::grouped(*v),
        Shown::Hidden(_) => "×".into(),
    };
    let mut blocks = Vec::new();
    if let Some(line) = adoption_line(r) {
        blocks.push(Block::Paragraph(format!("{line}.")));
    }
    blocks.push(Block::Heading("Voorwoord".into()));
    blocks.extend(r.foreword.split("\n\n").map(|p| Block::Paragraph(p.trim().to_string())).filter(|b| !matches!(b, Block::Paragraph(p) if p.is_empty())));
    blocks.push(Block::Heading("Over deze cijfers".into()));
    blocks.push(Block::Paragraph(format!(
        "{CAVEAT} Een aantal van 1 tot en met {} wordt niet getoond, en evenmin een getal waarmee zo'n aantal terug te rekenen is.",
        r.figures.k.saturating_sub(1)
    )));
    let mut group = "";
    for t in &r.figures.tables {
        if t.indicator.group != group {
            group = t.indicator.group;
            blocks.push(Block::Heading(group.to_string()));
        }
        blocks.push(Block::Subheading(t.indicator.title.to_string()));
        blocks.push(Block::Paragraph(format!("{} {}", t.indicator.counts, t.indicator.rule)));
        let mut header = vec![t.row_heading.clone()];
        header.extend(t.columns.iter().map(|c| c.label.clone()));
        if t.has_row_totals() {
            header.push("Totaal".into());
        }
        let p = &t.published;
        let mut rows: Vec<Vec<String>> = t
            .rows
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let mut row = vec![l.clone()];
                row.extend(p.cells.get(i).into_iter().flatten().map(text));
                row.extend(p.row_totals.get(i).map(text));
                row
            })
            .collect();
        if t.rows.len() > 1 {
            let mut row = vec!["Nederland".to_string()];
            row.extend(p.column_totals.iter().map(text));
            if t.has_row_totals() {
                row.push(text(&p.total));
            }
            rows.push(row);
        }
        let mut widths = vec![2.5];
        widths.extend(std::iter::repeat_n(1.0, header.len() - 1));
        blocks.push(Block::Table { caption: format!("{}, {}", t.indicator.title, r.year), header, rows, widths });
    }
    knooppunt_pdf::Document { title: format!("Jaarverslag RIEC-LIEC {}", r.year), language: "nl".into(), blocks, footer: format!("Jaarverslag RIEC-LIEC {}", r.year) }
}

pub async fn report_pdf(State(s): State<AppState>, AnyUser(rc): AnyUser, Path(raw): Path<String>) -> Response {
    let Some(year) = year_of(&raw) else { return error_response(&s, &rc, StatusCode::NOT_FOUND, None) };
    match s.app.adopted_report(year).await {
        Ok(r) => match knooppunt_pdf::render(&report_document(&r)) {
            Ok(bytes) => {
                let name = format!("attachment; filename=\"jaarverslag-{year}.pdf\"");
                ([(header::CONTENT_TYPE, "application/pdf".to_string()), (header::CONTENT_DISPOSITION, name)], bytes).into_response()
            }
            Err(e) => fail(&s, &rc, AppError::Internal(e.to_string())),
        },
        Err(e) => fail(&s, &rc, e),
    }
}
