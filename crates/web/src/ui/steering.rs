//! "Stuurgroep": a steering group's dashboard — key figures of the year next to the national
//! ones, objectives with progress, escalations, the decision log — and its meeting pack as PDF.
//! Nothing of a case's contents; every figure protected as on the figures pages.

use super::charts;
use super::figures::{groups_of, GroupView};
use super::templates::{Options, Page};
use super::work::{escalation_lines, EscalationLine};
use super::{fail, labels, page, render, render_status, see_other, CsrfForm, FormErrors, Signed};
use crate::context::RequestCtx;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use knooppunt_app::figures::Figures;
use knooppunt_app::steering::{Dashboard, DecisionInput, ObjectiveInput};
use knooppunt_app::AppError;
use knooppunt_figures::disclosure::Shown;
use knooppunt_pdf::Block;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct BoardQuery {
    #[serde(default)]
    pub bord: String,
    #[serde(default)]
    pub jaar: String,
    #[serde(default)]
    pub melding: String,
}

#[derive(Deserialize, Default)]
pub struct ObjectiveForm {
    #[serde(default)]
    pub bord: String,
    #[serde(default)]
    pub jaar: String,
    #[serde(default)]
    pub maatstaf: String,
    #[serde(default)]
    pub streefwaarde: String,
    #[serde(default)]
    pub omschrijving: String,
}

#[derive(Deserialize, Default)]
pub struct DecisionForm {
    #[serde(default)]
    pub bord: String,
    #[serde(default)]
    pub jaar: String,
    #[serde(default)]
    pub datum: String,
    #[serde(default)]
    pub besluit: String,
    #[serde(default)]
    pub eigenaar: String,
}

pub struct KeyLine {
    pub label: String,
    pub board: String,
    pub national: String,
}

pub struct ObjectiveLine {
    pub description: String,
    pub measure: String,
    pub target: String,
    pub value: String,
    pub progress: String,
}

pub struct DecisionLine {
    pub date: String,
    pub decision: String,
    pub owner: String,
}

#[derive(Template)]
#[template(path = "steering.html")]
pub struct SteeringPage {
    pub page: Page,
    pub errors: FormErrors,
    pub board_code: String,
    pub board_name: String,
    pub national: bool,
    pub boards: Options,
    pub years: Options,
    pub year: String,
    pub keys: Vec<KeyLine>,
    pub objectives: Vec<ObjectiveLine>,
    pub measures: Options,
    pub escalations: Vec<EscalationLine>,
    pub decisions: Vec<DecisionLine>,
    pub groups: Vec<GroupView>,
    pub period: String,
    pub can_decide: bool,
    pub objective: ObjectiveForm,
    pub decision: DecisionForm,
    pub flash: String,
    /// When the figures were counted (they are at most five minutes old).
    pub counted: String,
}

fn shown(s: &Shown, euro: bool) -> String {
    match s {
        Shown::Value(v) if euro => format!("€ {}", charts::grouped(*v)),
        Shown::Value(v) => charts::grouped(*v),
        Shown::Hidden(_) => "× (afgeschermd)".into(),
    }
}

fn this_year(s: &AppState) -> i32 {
    crate::ui::labels::current_year(s.app.now())
}

fn year_of(s: &AppState, raw: &str) -> i32 {
    raw.trim().parse::<i32>().ok().filter(|y| (2000..=2100).contains(y)).unwrap_or_else(|| this_year(s))
}

fn objective_lines(d: &Dashboard) -> Vec<ObjectiveLine> {
    d.objectives
        .iter()
        .map(|o| {
            let progress = match o.value {
                Shown::Value(v) if o.row.target > 0 => format!("{} %", (v as f64 * 100.0 / o.row.target as f64).round()),
                _ => "niet te tonen".into(),
            };
            ObjectiveLine {
                description: o.row.description.clone(),
                measure: o.measure_label.clone(),
                target: charts::grouped(o.row.target.max(0) as u64),
                value: shown(&o.value, false),
                progress,
            }
        })
        .collect()
}

fn dashboard_page(s: &AppState, rc: &RequestCtx, d: Dashboard, errors: FormErrors, objective: ObjectiveForm, decision: DecisionForm, flash: &str) -> SteeringPage {
    let now = this_year(s);
    let national = d.board.code == knooppunt_app::steering::NATIONAL;
    let keys = d.key_figures.iter().map(|k| KeyLine { label: k.label.clone(), board: shown(&k.board, k.euro), national: shown(&k.national, k.euro) }).collect();
    let figures =
        Figures { period: knooppunt_app::figures::Period { year: d.year, quarter: None }, k: s.app.config().figures_k, round_to: None, tables: d.national_tables.clone() };
    let year = d.year;
    let groups = groups_of(&figures, &|code| format!("/cijfers/export/{code}?jaar={year}"));
    SteeringPage {
        page: page(s, rc, &format!("{} — {}", d.board.name, d.year), "/stuurgroep", None),
        errors,
        board_code: d.board.code.clone(),
        board_name: d.board.name.clone(),
        national,
        boards: d.boards.iter().map(|b| (b.code.clone(), b.name.clone())).collect(),
        years: (now - 3..=now).rev().map(|y| (y.to_string(), y.to_string())).collect(),
        year: d.year.to_string(),
        keys,
        objectives: objective_lines(&d),
        measures: std::iter::once((String::new(), "Kies wat u meet".to_string())).chain(d.measures.iter().cloned()).collect(),
        escalations: escalation_lines(d.escalations.clone(), s.app.now()),
        decisions: d.decisions.iter().map(|x| DecisionLine { date: labels::iso_day(&x.decided_on), decision: x.decision.clone(), owner: x.owner.clone() }).collect(),
        groups,
        period: d.year.to_string(),
        can_decide: d.can_decide,
        objective,
        decision,
        counted: labels::when(d.figures_at),
        flash: match flash {
            "doel" => "Het doel is vastgelegd.".into(),
            "besluit" => "Het besluit staat in de besluitenlijst.".into(),
            _ => String::new(),
        },
    }
}

pub async fn dashboard(State(s): State<AppState>, Signed { rc, .. }: Signed, q: Result<Query<BoardQuery>, axum::extract::rejection::QueryRejection>) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let year = year_of(&s, &q.jaar);
    match s.app.dashboard(&rc.ctx, &q.bord, year).await {
        Ok(d) => render(&dashboard_page(&s, &rc, d, FormErrors::default(), ObjectiveForm::default(), DecisionForm::default(), &q.melding)),
        Err(e) => fail(&s, &rc, e),
    }
}

fn back(board: &str, year: i32, flash: &str) -> Response {
    see_other(&format!("/stuurgroep?bord={}&jaar={year}&melding={flash}", super::return_query(board)))
}

pub async fn add_objective(State(s): State<AppState>, Signed { rc, .. }: Signed, CsrfForm(f): CsrfForm<ObjectiveForm>) -> Response {
    let year = year_of(&s, &f.jaar);
    let input = ObjectiveInput { measure: f.maatstaf.clone(), target: f.streefwaarde.clone(), description: f.omschrijving.clone() };
    match s.app.add_objective(&rc.ctx, &f.bord, year, &input).await {
        Ok(_) => back(&f.bord, year, "doel"),
        Err(AppError::Invalid(inv)) => match s.app.dashboard(&rc.ctx, &f.bord, year).await {
            Ok(d) => render_status(
                StatusCode::BAD_REQUEST,
                &dashboard_page(&s, &rc, d, FormErrors::from_app(&AppError::Invalid(inv)).unwrap_or_default(), f, DecisionForm::default(), ""),
            ),
            Err(e) => fail(&s, &rc, e),
        },
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn record_decision(State(s): State<AppState>, Signed { rc, .. }: Signed, CsrfForm(f): CsrfForm<DecisionForm>) -> Response {
    let year = year_of(&s, &f.jaar);
    let input = DecisionInput { date: f.datum.clone(), decision: f.besluit.clone(), owner: f.eigenaar.clone() };
    match s.app.record_decision(&rc.ctx, &f.bord, &input).await {
        Ok(_) => back(&f.bord, year, "besluit"),
        Err(AppError::Invalid(inv)) => match s.app.dashboard(&rc.ctx, &f.bord, year).await {
            Ok(d) => render_status(
                StatusCode::BAD_REQUEST,
                &dashboard_page(&s, &rc, d, FormErrors::from_app(&AppError::Invalid(inv)).unwrap_or_default(), ObjectiveForm::default(), f, ""),
            ),
            Err(e) => fail(&s, &rc, e),
        },
        Err(e) => fail(&s, &rc, e),
    }
}

/// The meeting pack: key figures, objectives, escalations and decisions as one PDF.
pub(crate) fn meeting_pack(d: &Dashboard, now: i64) -> knooppunt_pdf::Document {
    let mut blocks = vec![Block::Paragraph(format!(
        "Vergaderstuk van {} over {}, opgesteld op {}. Zonder persoonsgegevens; kleine aantallen zijn afgeschermd (×).",
        d.board.name,
        d.year,
        labels::day(now)
    ))];
    blocks.push(Block::Heading("Kerncijfers".into()));
    let national = d.board.code == knooppunt_app::steering::NATIONAL;
    let header = if national { vec!["Cijfer".to_string(), "Landelijk".to_string()] } else { vec!["Cijfer".to_string(), "Regio".to_string(), "Landelijk".to_string()] };
    let rows = d
        .key_figures
        .iter()
        .map(|k| if national { vec![k.label.clone(), shown(&k.national, k.euro)] } else { vec![k.label.clone(), shown(&k.board, k.euro), shown(&k.national, k.euro)] })
        .collect();
    blocks.push(Block::Table { caption: format!("Kerncijfers {}", d.year), header, rows, widths: Vec::new() });
    blocks.push(Block::Heading("Doelen".into()));
    if d.objectives.is_empty() {
        blocks.push(Block::Paragraph(format!("Voor {} zijn geen doelen vastgelegd.", d.year)));
    } else {
        let rows = objective_lines(d).into_iter().map(|o| vec![o.description, o.measure, o.target, o.value, o.progress]).collect();
        blocks.push(Block::Table {
            caption: format!("Doelen {}", d.year),
            header: ["Doel", "Maatstaf", "Streefwaarde", "Stand", "Voortgang"].map(String::from).to_vec(),
            rows,
            widths: vec![3.0, 2.0, 1.0, 1.0, 1.0],
        });
    }
    if !national {
        blocks.push(Block::Heading("Escalaties".into()));
        let lines = escalation_lines(d.escalations.clone(), now);
        if lines.is_empty() {
            blocks.push(Block::Paragraph("Er is geen interventie naar de stuurgroep geëscaleerd.".into()));
        } else {
            let rows = lines
                .into_iter()
                .map(|l| vec![l.intervention, l.organisation, l.status, l.reason, l.since, if l.open { labels::count(l.days, "dag", "dagen") } else { "afgehandeld".into() }])
                .collect();
            blocks.push(Block::Table {
                caption: "Escalaties naar de stuurgroep".into(),
                header: ["Interventie", "Uitvoerder", "Stand", "Reden", "Sinds", "Wacht"].map(String::from).to_vec(),
                rows,
                widths: vec![2.0, 1.5, 1.0, 2.5, 1.0, 1.0],
            });
        }
    }
    blocks.push(Block::Heading("Besluitenlijst".into()));
    if d.decisions.is_empty() {
        blocks.push(Block::Paragraph("Nog geen besluiten vastgelegd.".into()));
    } else {
        let rows = d.decisions.iter().map(|x| vec![labels::iso_day(&x.decided_on), x.decision.clone(), x.owner.clone()]).collect();
        blocks.push(Block::Table { caption: "Besluiten".into(), header: ["Datum", "Besluit", "Eigenaar"].map(String::from).to_vec(), rows, widths: vec![1.0, 4.0, 1.5] });
    }
    knooppunt_pdf::Document { title: format!("Vergaderstuk {} {}", d.board.name, d.year), language: "nl".into(), blocks, footer: format!("{} · {}", d.board.name, d.year) }
}

pub async fn meeting_pack_pdf(State(s): State<AppState>, Signed { rc, .. }: Signed, q: Result<Query<BoardQuery>, axum::extract::rejection::QueryRejection>) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let year = year_of(&s, &q.jaar);
    match s.app.dashboard(&rc.ctx, &q.bord, year).await {
        Ok(d) => match knooppunt_pdf::render(&meeting_pack(&d, s.app.now())) {
            Ok(bytes) => {
                let name = format!("attachment; filename=\"vergaderstuk-{}-{year}.pdf\"", d.board.code);
                ([(header::CONTENT_TYPE, "application/pdf".to_string()), (header::CONTENT_DISPOSITION, name)], bytes).into_response()
            }
            Err(e) => fail(&s, &rc, AppError::Internal(e.to_string())),
        },
        Err(e) => fail(&s, &rc, e),
    }
}
