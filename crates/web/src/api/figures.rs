//! `/cijfers`: the network's figures for a year or a quarter, protected by disclosure control
//! (`null` is a hidden value), and the written definition of every indicator; `/jaarverslagen`:
//! the adopted annual reports and their adoption by the LIEC.

use super::wire::utc;
use super::{err, Api, ApiJson, ApiResult};
use crate::problem::{InvalidParam, Problem};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use axum::Json;
use chrono::{DateTime, Utc};
use knooppunt_app::figures::{FigureTable, Figures, Period};
use knooppunt_app::report::{AnnualReport, CAVEAT};
use knooppunt_app::AppError;
use knooppunt_figures::disclosure::Shown;
use knooppunt_figures::indicators::{Indicator, INDICATORS};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Periode {
    /// Het jaar (2000 tot en met 2100); zonder: het lopende jaar.
    #[param(minimum = 2000, maximum = 2100)]
    jaar: Option<i32>,
    /// Het kwartaal (1 tot en met 4); zonder: het hele jaar.
    #[param(minimum = 1, maximum = 4)]
    kwartaal: Option<u32>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(non_snake_case)]
pub struct Cijfers {
    pub jaar: i32,
    pub kwartaal: Option<u32>,
    /// De periode in woorden, bijvoorbeeld `2e kwartaal 2025`.
    pub periode: String,
    /// Aantallen van 1 tot deze drempel zijn afgeschermd, met wat ze zou verraden.
    pub drempel: u64,
    /// Getoonde aantallen zijn afgerond op een veelvoud hiervan (`null`: niet afgerond).
    pub afronding: Option<u64>,
    pub tabellen: Vec<Cijfertabel>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(non_snake_case)]
pub struct Cijfertabel {
    /// Code van de indicator, bijvoorbeeld `signalen-bron`.
    pub indicator: String,
    pub onderdeel: String,
    pub titel: String,
    /// Wat de rijen zijn: `Regio`, `Ministerie`, `Loket` of `Landelijk`.
    pub rijsoort: String,
    pub kolommen: Vec<Kolom>,
    pub rijen: Vec<Cijferrij>,
    /// De landelijke totalen per kolom (bij een tabel met meer dan één rij).
    pub landelijk: Option<Cijferrij>,
    /// Of de kolommen per rij optellen tot een totaal; zo niet, dan zijn het afzonderlijke tellingen en is `totaal` altijd `null`.
    pub heeftRijtotalen: bool,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Kolom {
    pub code: String,
    pub naam: String,
    /// `aantal`, `euro` (hele euro's) of `dagen` (gemiddeld).
    pub eenheid: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Cijferrij {
    pub naam: String,
    /// Per kolom de waarde; `null` is afgeschermd.
    pub waarden: Vec<Option<u64>>,
    /// Het rijtotaal; `null` is afgeschermd of (zie `heeftRijtotalen`) er is geen rijtotaal.
    pub totaal: Option<u64>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(non_snake_case)]
pub struct Definitie {
    pub code: String,
    pub onderdeel: String,
    pub titel: String,
    pub watTelt: String,
    pub telregel: String,
    pub indeling: String,
    pub letOp: String,
}

impl From<&FigureTable> for Cijfertabel {
    fn from(t: &FigureTable) -> Self {
        let p = &t.published;
        Self {
            indicator: t.indicator.code.into(),
            onderdeel: t.indicator.group.into(),
            titel: t.indicator.title.into(),
            rijsoort: t.row_heading.clone(),
            kolommen: t.columns.iter().map(|c| Kolom { code: c.code.clone(), naam: c.label.clone(), eenheid: c.unit.code().into() }).collect(),
            rijen: t
                .rows
                .iter()
                .enumerate()
                .map(|(i, naam)| Cijferrij {
                    naam: naam.clone(),
                    waarden: p.cells.get(i).into_iter().flatten().map(Shown::value).collect(),
                    totaal: p.row_totals.get(i).and_then(Shown::value),
                })
                .collect(),
            landelijk: (t.rows.len() > 1).then(|| Cijferrij {
                naam: "Nederland".into(),
                waarden: p.column_totals.iter().map(Shown::value).collect(),
                totaal: if t.has_row_totals() { p.total.value() } else { None },
            }),
            heeftRijtotalen: t.has_row_totals(),
        }
    }
}

impl From<Figures> for Cijfers {
    fn from(f: Figures) -> Self {
        Self {
            jaar: f.period.year,
            kwartaal: f.period.quarter,
            periode: f.period.label(),
            drempel: f.k,
            afronding: f.round_to,
            tabellen: f.tables.iter().map(Cijfertabel::from).collect(),
        }
    }
}

impl From<&Indicator> for Definitie {
    fn from(i: &Indicator) -> Self {
        Self {
            code: i.code.into(),
            onderdeel: i.group.into(),
            titel: i.title.into(),
            watTelt: i.counts.into(),
            telregel: i.rule.into(),
            indeling: i.breakdown.into(),
            letOp: i.caveat.into(),
        }
    }
}

/// De cijfers van het netwerk voor een jaar of kwartaal, per regio en landelijk, afgeschermd (medewerkers van het netwerk en stuurgroepleden).
#[utoipa::path(get, path = "/cijfers", tag = "cijfers", params(Periode),
    responses((status = 200, body = Cijfers), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn figures(State(s): State<AppState>, Api(rc): Api, q: Result<Query<Periode>, axum::extract::rejection::QueryRejection>) -> ApiResult<Cijfers> {
    let Query(q) = q.map_err(super::network::query_problem)?;
    let year = q.jaar.unwrap_or_else(|| crate::ui::labels::current_year(s.app.now()));
    let kwartaal = q.kwartaal.map(|k| k.to_string()).unwrap_or_default();
    // A period out of range is a bad query string: 400, every parameter named.
    let period = Period::parse(&year.to_string(), &kwartaal)
        .map_err(|e| Problem::invalid(e.0.into_iter().map(|f| InvalidParam { name: f.field, code: "invalid".into(), reason: f.message }).collect()).into_response())?;
    Ok(Json(Cijfers::from(s.app.figures(&rc.ctx, period).await.map_err(err)?)))
}

/// De definitie van elke indicator: wat telt, de telregel, de indeling en waar u op let.
#[utoipa::path(get, path = "/cijfers/definities", tag = "cijfers", responses((status = 200, body = [Definitie]), (status = 401, body = Problem)))]
pub async fn definitions(Api(_rc): Api) -> ApiResult<Vec<Definitie>> {
    Ok(Json(INDICATORS.iter().map(Definitie::from).collect()))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(non_snake_case)]
pub struct JaarverslagSamenvatting {
    pub jaar: i32,
    pub vastgesteldOp: DateTime<Utc>,
    /// Wie het jaarverslag vaststelde (gebruikersnaam).
    pub vastgesteldDoor: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(non_snake_case)]
pub struct Jaarverslag {
    pub jaar: i32,
    pub vastgesteldOp: DateTime<Utc>,
    pub vastgesteldDoor: String,
    pub voorwoord: String,
    /// De kanttekening over vergelijkbaarheid die bij elk jaarverslag hoort.
    pub kanttekening: String,
    /// De cijfers zoals ze waren bij het vaststellen.
    pub cijfers: Cijfers,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Vaststelling {
    /// Het voorwoord (verplicht, hoogstens 10.000 tekens; een lege regel begint een nieuwe alinea).
    pub voorwoord: Option<String>,
}

fn report_json(r: AnnualReport) -> Result<Jaarverslag, AppError> {
    let a = r.adopted.ok_or(AppError::NotFound("jaarverslag"))?;
    Ok(Jaarverslag { jaar: r.year, vastgesteldOp: utc(a.at), vastgesteldDoor: a.by, voorwoord: r.foreword, kanttekening: CAVEAT.into(), cijfers: Cijfers::from(r.figures) })
}

fn year(raw: &str) -> Result<i32, AppError> {
    raw.parse::<i32>().ok().filter(|y| (2000..=2100).contains(y)).ok_or(AppError::NotFound("jaarverslag"))
}

/// De vastgestelde jaarverslagen, nieuwste eerst.
#[utoipa::path(get, path = "/jaarverslagen", tag = "cijfers", responses((status = 200, body = [JaarverslagSamenvatting]), (status = 401, body = Problem)))]
pub async fn reports(State(s): State<AppState>, Api(_rc): Api) -> ApiResult<Vec<JaarverslagSamenvatting>> {
    let list = s.app.adopted_reports().await.map_err(err)?;
    Ok(Json(list.into_iter().map(|r| JaarverslagSamenvatting { jaar: r.year, vastgesteldOp: utc(r.adoption.at), vastgesteldDoor: r.adoption.by }).collect()))
}

/// Een vastgesteld jaarverslag: de cijfers zoals ze waren bij het vaststellen.
#[utoipa::path(get, path = "/jaarverslagen/{jaar}", tag = "cijfers", params(("jaar" = i32, Path, description = "Het jaar")),
    responses((status = 200, body = Jaarverslag), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn report(State(s): State<AppState>, Api(_rc): Api, Path(raw): Path<String>) -> ApiResult<Jaarverslag> {
    let y = year(&raw).map_err(err)?;
    Ok(Json(report_json(s.app.adopted_report(y).await.map_err(err)?).map_err(err)?))
}

/// Het jaarverslag van een afgelopen jaar vaststellen (LIEC): de cijfers worden vastgelegd zoals ze nu zijn en het jaarverslag wordt openbaar.
#[utoipa::path(post, path = "/jaarverslagen/{jaar}/_vaststellen", tag = "cijfers", params(("jaar" = i32, Path, description = "Het jaar")), request_body = Vaststelling,
    responses((status = 201, body = Jaarverslag), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn adopt(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<Vaststelling>) -> Result<(StatusCode, Json<Jaarverslag>), Response> {
    let y = year(&raw).map_err(err)?;
    s.app.adopt_report(&rc.ctx, y, b.voorwoord.as_deref().unwrap_or("")).await.map_err(err)?;
    Ok((StatusCode::CREATED, Json(report_json(s.app.adopted_report(y).await.map_err(err)?).map_err(err)?)))
}
