//! "Stuurgroep": a steering group's dashboard — key figures of the year next to the national
//! ones, objectives with progress, escalations, bottlenecks, the national approaches (for the
//! Stuurgroep LIEC), the decision log — and its meeting pack as PDF.
//! Nothing of a case's contents; every figure protected as on the figures pages.

use super::charts;
use super::figures::{groups_of, GroupView};
use super::templates::{Options, Page};
use super::work::{escalation_lines, EscalationLine};
use super::{fail, labels, page, render, render_status, see_other, CsrfForm, FormErrors, Signed};
use crate::context::RequestCtx;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use knooppunt_app::figures::Figures;
use knooppunt_app::steering::{bottleneck_kind, BottleneckChange, BottleneckInput, Dashboard, DecisionInput, ObjectiveInput, BOTTLENECK_KINDS};
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

/// The form to raise a bottleneck; its fields have names of their own, as the page has other
/// forms with an owner, a date and a description.
#[derive(Deserialize, Default)]
pub struct BottleneckForm {
    #[serde(default)]
    pub bord: String,
    #[serde(default)]
    pub jaar: String,
    #[serde(default, rename = "knelpunt-soort")]
    pub soort: String,
    #[serde(default, rename = "knelpunt-omschrijving")]
    pub omschrijving: String,
    #[serde(default, rename = "knelpunt-eigenaar")]
    pub eigenaar: String,
    #[serde(default, rename = "knelpunt-datum")]
    pub datum: String,
}

const BOTTLENECK_FIELDS: &[(&str, &str)] =
    &[("soort", "knelpunt-soort"), ("omschrijving", "knelpunt-omschrijving"), ("eigenaar", "knelpunt-eigenaar"), ("datum", "knelpunt-datum")];

#[derive(Deserialize, Default)]
pub struct BottleneckChangeForm {
    #[serde(default)]
    pub bord: String,
    #[serde(default)]
    pub stand: String,
    #[serde(default)]
    pub toelichting: String,
    #[serde(default)]
    pub doorzetten: String,
    #[serde(default)]
    pub versie: String,
}

/// The forms of the dashboard, as the user filled them in (after a mistake).
#[derive(Default)]
pub struct Forms {
    pub objective: ObjectiveForm,
    pub decision: DecisionForm,
    pub bottleneck: BottleneckForm,
}

pub struct BottleneckLine {
    pub id: i64,
    pub since: String,
    pub kind: String,
    pub description: String,
    pub owner: String,
    /// "Open", or "Opgelost" with how.
    pub state: String,
    pub resolution: String,
    /// Who raised it: the region's stuurgroep (on the national board) .
    pub raised_by: String,
    /// "Doorgezet naar de Stuurgroep LIEC op …", or empty.
    pub forwarded: String,
}

pub struct ApproachLine {
    pub name: String,
    pub started: String,
    pub state: String,
    pub regions: String,
    pub organisations: String,
    pub actions: String,
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
    pub bottlenecks: Vec<BottleneckLine>,
    pub kinds: Options,
    pub approaches: Vec<ApproachLine>,
    pub groups: Vec<GroupView>,
    pub period: String,
    pub can_decide: bool,
    pub objective: ObjectiveForm,
    pub decision: DecisionForm,
    pub bottleneck: BottleneckForm,
    pub flash: String,
    /// When the figures were counted (they are at most five minutes old).
    pub counted: String,
}

pub(crate) fn shown(s: &Shown, euro: bool) -> String {
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

fn bottleneck_line(b: &knooppunt_app::views::BottleneckRow, national: bool) -> BottleneckLine {
    BottleneckLine {
        id: b.id,
        since: labels::iso_day(&b.raised_on),
        kind: bottleneck_kind(&b.kind).to_string(),
        description: b.description.clone(),
        owner: b.owner.clone(),
        state: if b.status == "opgelost" { "Opgelost".into() } else { "Open".into() },
        resolution: b.resolution.clone(),
        raised_by: match (national, b.region_id) {
            (true, Some(_)) => format!("Stuurgroep {}", b.region_name),
            (true, None) => "Stuurgroep LIEC".into(),
            _ => String::new(),
        },
        forwarded: match b.forwarded_at {
            Some(at) if !national => format!("Doorgezet naar de Stuurgroep LIEC op {}", labels::day(at)),
            _ => String::new(),
        },
    }
}

fn bottleneck_lines(d: &Dashboard, national: bool) -> Vec<BottleneckLine> {
    d.bottlenecks.iter().map(|b| bottleneck_line(b, national)).collect()
}

fn approach_lines(d: &Dashboard) -> Vec<ApproachLine> {
    d.approaches
        .iter()
        .map(|a| ApproachLine {
            name: format!("Landelijke aanpak {}", a.id),
            started: labels::day(a.created_at),
            state: if a.status == "afgerond" { "Afgerond".into() } else { "Lopend".into() },
            regions: a.regions.to_string(),
            organisations: a.organisations.to_string(),
            actions: if a.actions_open + a.actions_done == 0 { "geen".into() } else { format!("{} van {} gereed", a.actions_done, a.actions_open + a.actions_done) },
        })
        .collect()
}

fn dashboard_page(s: &AppState, rc: &RequestCtx, d: Dashboard, errors: FormErrors, forms: Forms, flash: &str) -> SteeringPage {
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
        bottlenecks: bottleneck_lines(&d, national),
        kinds: std::iter::once((String::new(), "Kies waar het over gaat".to_string())).chain(BOTTLENECK_KINDS.iter().map(|(c, l)| (c.to_string(), l.to_string()))).collect(),
        approaches: approach_lines(&d),
        groups,
        period: d.year.to_string(),
        can_decide: d.can_decide,
        objective: forms.objective,
        decision: forms.decision,
        bottleneck: forms.bottleneck,
        counted: labels::when(d.figures_at),
        flash: match flash {
            "doel" => "Het doel is vastgelegd.".into(),
            "besluit" => "Het besluit staat in de besluitenlijst.".into(),
            "knelpunt" => "Het knelpunt staat in de lijst.".into(),
            "knelpunt-bijgewerkt" => "Het knelpunt is bijgewerkt.".into(),
            _ => String::new(),
        },
    }
}

pub async fn dashboard(State(s): State<AppState>, Signed { rc, .. }: Signed, q: Result<Query<BoardQuery>, axum::extract::rejection::QueryRejection>) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let year = year_of(&s, &q.jaar);
    match s.app.dashboard(&rc.ctx, &q.bord, year).await {
        Ok(d) => render(&dashboard_page(&s, &rc, d, FormErrors::default(), Forms::default(), &q.melding)),
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
                &dashboard_page(&s, &rc, d, FormErrors::from_app(&AppError::Invalid(inv)).unwrap_or_default(), Forms { objective: f, ..Forms::default() }, ""),
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
                &dashboard_page(&s, &rc, d, FormErrors::from_app(&AppError::Invalid(inv)).unwrap_or_default(), Forms { decision: f, ..Forms::default() }, ""),
            ),
            Err(e) => fail(&s, &rc, e),
        },
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn add_bottleneck(State(s): State<AppState>, Signed { rc, .. }: Signed, CsrfForm(f): CsrfForm<BottleneckForm>) -> Response {
    let year = year_of(&s, &f.jaar);
    let input = BottleneckInput { kind: f.soort.clone(), description: f.omschrijving.clone(), owner: f.eigenaar.clone(), raised_on: f.datum.clone() };
    match s.app.add_bottleneck(&rc.ctx, &f.bord, &input).await {
        Ok(_) => back(&f.bord, year, "knelpunt"),
        Err(AppError::Invalid(inv)) => match s.app.dashboard(&rc.ctx, &f.bord, year).await {
            Ok(d) => render_status(
                StatusCode::BAD_REQUEST,
                &dashboard_page(
                    &s,
                    &rc,
                    d,
                    FormErrors::from_app(&AppError::Invalid(inv)).unwrap_or_default().renamed(BOTTLENECK_FIELDS),
                    Forms { bottleneck: f, ..Forms::default() },
                    "",
                ),
            ),
            Err(e) => fail(&s, &rc, e),
        },
        Err(e) => fail(&s, &rc, e),
    }
}

#[derive(Template)]
#[template(path = "bottleneck.html")]
pub struct BottleneckPage {
    pub page: Page,
    pub errors: FormErrors,
    pub board_code: String,
    pub board_name: String,
    pub line: BottleneckLine,
    pub version: i64,
    pub may_change: bool,
    pub may_forward: bool,
    pub states: Options,
    pub form: BottleneckChangeForm,
}

async fn bottleneck_page(s: &AppState, rc: &RequestCtx, board: &str, id: i64, errors: FormErrors, form: Option<BottleneckChangeForm>) -> Result<BottleneckPage, AppError> {
    let (board, row, may_change) = s.app.board_bottleneck(&rc.ctx, board, id).await?;
    let national = board.code == knooppunt_app::steering::NATIONAL;
    let line = bottleneck_line(&row, national);
    let form = form.unwrap_or(BottleneckChangeForm {
        bord: board.code.clone(),
        stand: row.status.clone(),
        toelichting: row.resolution.clone(),
        doorzetten: String::new(),
        versie: row.version.to_string(),
    });
    Ok(BottleneckPage {
        page: page(s, rc, "Knelpunt bijwerken", "/stuurgroep", None),
        errors,
        board_code: board.code.clone(),
        board_name: board.name.clone(),
        version: row.version,
        may_change,
        may_forward: !national && row.forwarded_at.is_none() && may_change,
        states: vec![("open".into(), "Open".into()), ("opgelost".into(), "Opgelost".into())],
        line,
        form,
    })
}

pub async fn bottleneck(
    State(s): State<AppState>,
    Signed { rc, .. }: Signed,
    Path(raw): Path<String>,
    q: Result<Query<BoardQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let id = match super::path_id(&raw, "knelpunt") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    match bottleneck_page(&s, &rc, &q.bord, id, FormErrors::default(), None).await {
        Ok(p) => render(&p),
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn change_bottleneck(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, CsrfForm(f): CsrfForm<BottleneckChangeForm>) -> Response {
    let id = match super::path_id(&raw, "knelpunt") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    let change = BottleneckChange { status: f.stand.clone(), resolution: f.toelichting.clone(), forward: f.doorzetten == "ja", version: f.versie.trim().parse().unwrap_or(0) };
    match s.app.change_bottleneck(&rc.ctx, &f.bord, id, &change).await {
        Ok(()) => see_other(&format!("/stuurgroep?bord={}&jaar={}&melding=knelpunt-bijgewerkt#knelpunten", super::return_query(&f.bord), this_year(&s))),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let status = if matches!(e, AppError::Conflict(_)) { StatusCode::CONFLICT } else { StatusCode::BAD_REQUEST };
            let errors = match &e {
                AppError::Conflict(msg) => FormErrors::one("stand", msg),
                _ => FormErrors::from_app(&e).unwrap_or_default(),
            };
            let board = f.bord.clone();
            let form = if status == StatusCode::CONFLICT { None } else { Some(f) };
            match bottleneck_page(&s, &rc, &board, id, errors, form).await {
                Ok(p) => render_status(status, &p),
                Err(e) => fail(&s, &rc, e),
            }
        }
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
    blocks.push(Block::Heading("Knelpunten".into()));
    let lines = bottleneck_lines(d, national);
    if lines.is_empty() {
        blocks.push(Block::Paragraph("Er zijn geen knelpunten gemeld.".into()));
    } else {
        let rows = lines
            .into_iter()
            .map(|b| {
                let state = if b.resolution.is_empty() { b.state } else { format!("{}: {}", b.state, b.resolution) };
                let who = if national { b.raised_by } else { b.forwarded };
                vec![b.since, b.kind, b.description, b.owner, state, who]
            })
            .collect();
        let last = if national { "Gemeld door" } else { "Doorgezet" };
        blocks.push(Block::Table {
            caption: "Knelpunten, open bovenaan".into(),
            header: ["Sinds", "Soort", "Knelpunt", "Eigenaar", "Stand", last].map(String::from).to_vec(),
            rows,
            widths: vec![1.0, 1.3, 3.0, 1.2, 2.0, 1.5],
        });
    }
    if national {
        blocks.push(Block::Heading("Landelijke aanpakken".into()));
        let lines = approach_lines(d);
        if lines.is_empty() {
            blocks.push(Block::Paragraph("Er zijn geen landelijke aanpakken.".into()));
        } else {
            let rows = lines.into_iter().map(|a| vec![a.name, a.started, a.state, a.regions, a.organisations, a.actions]).collect();
            blocks.push(Block::Table {
                caption: "Landelijke aanpakken, nieuwste bovenaan".into(),
                header: ["Aanpak", "Gestart", "Stand", "Regio's", "Organisaties", "Acties"].map(String::from).to_vec(),
                rows,
                widths: vec![2.0, 1.2, 1.0, 1.0, 1.2, 1.5],
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
