//! `/stuurgroep`: a steering group's dashboard (key figures, objectives with progress,
//! escalations, bottlenecks, national approaches, decisions), its objectives, bottlenecks and
//! decision log. No personal data, nothing of a
//! case's contents; hidden values are `null`.

use super::figures::Cijfertabel;
use super::wire::utc;
use super::{err, Api, ApiJson, ApiResult};
use crate::problem::Problem;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use chrono::{DateTime, Utc};
use knooppunt_app::steering::{bottleneck_kind, BottleneckChange, BottleneckInput, Dashboard, DecisionInput, ObjectiveInput};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Bord {
    /// De stuurgroep: de code van de regio, of `landelijk` voor de Stuurgroep LIEC; zonder: de eerste waarvan u lid bent.
    bord: Option<String>,
    /// Het jaar; zonder: het lopende jaar.
    #[param(minimum = 2000, maximum = 2100)]
    jaar: Option<i32>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Kerncijfer {
    pub naam: String,
    /// De waarde van de regio (bij de Stuurgroep LIEC gelijk aan landelijk); `null` is afgeschermd.
    pub stuurgroep: Option<u64>,
    pub landelijk: Option<u64>,
    /// `aantal` of `euro`.
    pub eenheid: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(non_snake_case)]
pub struct Doel {
    pub id: i64,
    pub omschrijving: String,
    /// De maatstaf, bijvoorbeeld `casussen:casus`.
    pub maatstaf: String,
    pub maatstafNaam: String,
    pub streefwaarde: i64,
    /// De stand tot nu toe; `null` is afgeschermd.
    pub stand: Option<u64>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(non_snake_case)]
pub struct Escalatie {
    pub interventie: String,
    pub uitvoerder: String,
    pub status: String,
    pub reden: String,
    pub geescaleerdOp: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Stuurgroepbesluit {
    pub id: i64,
    /// De datum van het besluit (JJJJ-MM-DD).
    pub datum: String,
    pub besluit: String,
    pub eigenaar: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(non_snake_case)]
pub struct Knelpunt {
    pub id: i64,
    /// `wetgeving`, `informatiedeling`, `capaciteit`, `samenwerking` of `overig`.
    pub soort: String,
    pub soortNaam: String,
    pub omschrijving: String,
    pub eigenaar: String,
    /// De datum waarop het is gemeld (JJJJ-MM-DD).
    pub gemeldOp: String,
    /// `open` of `opgelost`.
    pub stand: String,
    pub toelichting: String,
    /// De regio waarvan de stuurgroep het meldde; `null` bij de Stuurgroep LIEC zelf.
    pub regio: Option<String>,
    /// Wanneer de regio het doorzette naar de Stuurgroep LIEC.
    pub doorgezetOp: Option<DateTime<Utc>>,
    pub versie: i64,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(non_snake_case)]
pub struct AanpakOverzicht {
    pub id: i64,
    /// `lopend` of `afgerond`.
    pub stand: String,
    pub gestartOp: DateTime<Utc>,
    /// Hoeveel regio's meedoen (met een casus die de eigenaar inbracht).
    pub regios: i64,
    pub organisaties: i64,
    pub actiesOpen: i64,
    pub actiesGereed: i64,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(non_snake_case)]
pub struct Stuurgroepoverzicht {
    pub bord: String,
    pub naam: String,
    pub jaar: i32,
    /// Wanneer de cijfers zijn geteld (hoogstens vijf minuten geleden).
    pub cijfersGeteldOp: DateTime<Utc>,
    pub kerncijfers: Vec<Kerncijfer>,
    pub doelen: Vec<Doel>,
    /// Maatstaven waarop een doel kan worden gesteld: code en naam.
    pub maatstaven: Vec<Maatstaf>,
    pub escalaties: Vec<Escalatie>,
    pub besluiten: Vec<Stuurgroepbesluit>,
    /// De knelpunten, open bovenaan; bij de Stuurgroep LIEC ook die de regio's doorzetten.
    pub knelpunten: Vec<Knelpunt>,
    /// Bij de Stuurgroep LIEC: de landelijke aanpakken, zonder namen en zonder casussen.
    pub landelijkeAanpakken: Vec<AanpakOverzicht>,
    /// Bij de Stuurgroep LIEC: het loket, de ministeries en het landelijke werk.
    pub landelijkeTabellen: Vec<Cijfertabel>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Maatstaf {
    pub code: String,
    pub naam: String,
}

impl From<Dashboard> for Stuurgroepoverzicht {
    fn from(d: Dashboard) -> Self {
        Self {
            bord: d.board.code,
            naam: d.board.name,
            jaar: d.year,
            cijfersGeteldOp: utc(d.figures_at),
            kerncijfers: d
                .key_figures
                .iter()
                .map(|k| Kerncijfer {
                    naam: k.label.clone(),
                    stuurgroep: k.board.value(),
                    landelijk: k.national.value(),
                    eenheid: if k.euro { "euro".into() } else { "aantal".into() },
                })
                .collect(),
            doelen: d
                .objectives
                .iter()
                .map(|o| Doel {
                    id: o.row.id,
                    omschrijving: o.row.description.clone(),
                    maatstaf: o.row.measure.clone(),
                    maatstafNaam: o.measure_label.clone(),
                    streefwaarde: o.row.target,
                    stand: o.value.value(),
                })
                .collect(),
            maatstaven: d.measures.into_iter().map(|(code, naam)| Maatstaf { code, naam }).collect(),
            escalaties: d
                .escalations
                .into_iter()
                .map(|e| Escalatie { interventie: e.type_name, uitvoerder: e.organisation_name, status: e.status, reden: e.reason, geescaleerdOp: utc(e.escalated_at) })
                .collect(),
            besluiten: d.decisions.into_iter().map(|x| Stuurgroepbesluit { id: x.id, datum: x.decided_on, besluit: x.decision, eigenaar: x.owner }).collect(),
            knelpunten: d
                .bottlenecks
                .into_iter()
                .map(|b| Knelpunt {
                    id: b.id,
                    soortNaam: bottleneck_kind(&b.kind).into(),
                    soort: b.kind,
                    omschrijving: b.description,
                    eigenaar: b.owner,
                    gemeldOp: b.raised_on,
                    stand: b.status,
                    toelichting: b.resolution,
                    regio: b.region_id.map(|_| b.region_name),
                    doorgezetOp: b.forwarded_at.map(utc),
                    versie: b.version,
                })
                .collect(),
            landelijkeAanpakken: d
                .approaches
                .into_iter()
                .map(|a| AanpakOverzicht {
                    id: a.id,
                    stand: a.status,
                    gestartOp: utc(a.created_at),
                    regios: a.regions,
                    organisaties: a.organisations,
                    actiesOpen: a.actions_open,
                    actiesGereed: a.actions_done,
                })
                .collect(),
            landelijkeTabellen: d.national_tables.iter().map(Cijfertabel::from).collect(),
        }
    }
}

fn this_year(s: &AppState) -> i32 {
    crate::ui::labels::current_year(s.app.now())
}

/// Het overzicht van een stuurgroep (leden van de stuurgroep, het RIEC dat haar ondersteunt; het LIEC voor de Stuurgroep LIEC).
#[utoipa::path(get, path = "/stuurgroep", tag = "cijfers", params(Bord),
    responses((status = 200, body = Stuurgroepoverzicht), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn dashboard(State(s): State<AppState>, Api(rc): Api, q: Result<Query<Bord>, axum::extract::rejection::QueryRejection>) -> ApiResult<Stuurgroepoverzicht> {
    let Query(q) = q.map_err(super::network::query_problem)?;
    let year = q.jaar.unwrap_or_else(|| this_year(&s));
    Ok(Json(Stuurgroepoverzicht::from(s.app.dashboard(&rc.ctx, q.bord.as_deref().unwrap_or(""), year).await.map_err(err)?)))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NieuwDoel {
    /// De stuurgroep (code van de regio of `landelijk`).
    pub bord: Option<String>,
    pub jaar: Option<i32>,
    /// Een maatstaf uit `maatstaven` van het overzicht.
    pub maatstaf: Option<String>,
    pub streefwaarde: Option<i64>,
    pub omschrijving: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NieuwBesluit {
    pub bord: Option<String>,
    /// De datum van het besluit (JJJJ-MM-DD of dd-mm-jjjj).
    pub datum: Option<String>,
    pub besluit: Option<String>,
    pub eigenaar: Option<String>,
}

/// Een doel van de stuurgroep vastleggen voor een jaar.
#[utoipa::path(post, path = "/stuurgroep/doelen", tag = "cijfers", request_body = NieuwDoel,
    responses((status = 201, body = Stuurgroepoverzicht), (status = 400, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn add_objective(State(s): State<AppState>, Api(rc): Api, ApiJson(b): ApiJson<NieuwDoel>) -> Result<(StatusCode, Json<Stuurgroepoverzicht>), Response> {
    let board = b.bord.unwrap_or_default();
    let year = b.jaar.unwrap_or_else(|| this_year(&s));
    let input = ObjectiveInput {
        measure: b.maatstaf.unwrap_or_default(),
        target: b.streefwaarde.map(|t| t.to_string()).unwrap_or_default(),
        description: b.omschrijving.unwrap_or_default(),
    };
    s.app.add_objective(&rc.ctx, &board, year, &input).await.map_err(err)?;
    Ok((StatusCode::CREATED, Json(Stuurgroepoverzicht::from(s.app.dashboard(&rc.ctx, &board, year).await.map_err(err)?))))
}

/// Een besluit van de stuurgroep vastleggen in de besluitenlijst.
#[utoipa::path(post, path = "/stuurgroep/besluiten", tag = "cijfers", request_body = NieuwBesluit,
    responses((status = 201, body = Stuurgroepoverzicht), (status = 400, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn record_decision(State(s): State<AppState>, Api(rc): Api, ApiJson(b): ApiJson<NieuwBesluit>) -> Result<(StatusCode, Json<Stuurgroepoverzicht>), Response> {
    let board = b.bord.unwrap_or_default();
    let input = DecisionInput { date: b.datum.unwrap_or_default(), decision: b.besluit.unwrap_or_default(), owner: b.eigenaar.unwrap_or_default() };
    s.app.record_decision(&rc.ctx, &board, &input).await.map_err(err)?;
    Ok((StatusCode::CREATED, Json(Stuurgroepoverzicht::from(s.app.dashboard(&rc.ctx, &board, this_year(&s)).await.map_err(err)?))))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NieuwKnelpunt {
    /// De stuurgroep (code van de regio of `landelijk`).
    pub bord: Option<String>,
    /// `wetgeving`, `informatiedeling`, `capaciteit`, `samenwerking` of `overig`.
    pub soort: Option<String>,
    /// Het knelpunt, zonder namen van personen of ondernemingen.
    pub omschrijving: Option<String>,
    pub eigenaar: Option<String>,
    /// De datum waarop het is gemeld (JJJJ-MM-DD of dd-mm-jjjj); zonder: vandaag.
    pub datum: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KnelpuntWijziging {
    pub bord: Option<String>,
    /// `open` of `opgelost`.
    pub stand: Option<String>,
    /// Hoe het is opgelost (nodig bij `opgelost`).
    pub toelichting: Option<String>,
    /// Doorzetten naar de Stuurgroep LIEC (alleen een regionale stuurgroep).
    pub doorzetten: Option<bool>,
    /// De versie die u het laatst las.
    pub versie: Option<i64>,
}

/// Een knelpunt melden bij de stuurgroep.
#[utoipa::path(post, path = "/stuurgroep/knelpunten", tag = "cijfers", request_body = NieuwKnelpunt,
    responses((status = 201, body = Stuurgroepoverzicht), (status = 400, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn add_bottleneck(State(s): State<AppState>, Api(rc): Api, ApiJson(b): ApiJson<NieuwKnelpunt>) -> Result<(StatusCode, Json<Stuurgroepoverzicht>), Response> {
    let board = b.bord.unwrap_or_default();
    let input = BottleneckInput {
        kind: b.soort.unwrap_or_default(),
        description: b.omschrijving.unwrap_or_default(),
        owner: b.eigenaar.unwrap_or_default(),
        raised_on: b.datum.unwrap_or_default(),
    };
    s.app.add_bottleneck(&rc.ctx, &board, &input).await.map_err(err)?;
    Ok((StatusCode::CREATED, Json(Stuurgroepoverzicht::from(s.app.dashboard(&rc.ctx, &board, this_year(&s)).await.map_err(err)?))))
}

/// Een knelpunt bijwerken: opgelost of weer open, en (regionale stuurgroep) doorzetten naar de Stuurgroep LIEC.
#[utoipa::path(patch, path = "/stuurgroep/knelpunten/{knelpuntId}", tag = "cijfers",
    params(("knelpuntId" = i64, Path, description = "Id van het knelpunt")), request_body = KnelpuntWijziging,
    responses((status = 200, body = Stuurgroepoverzicht), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn change_bottleneck(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<KnelpuntWijziging>) -> ApiResult<Stuurgroepoverzicht> {
    let id = raw.parse::<i64>().map_err(|_| err(knooppunt_app::AppError::NotFound("knelpunt")))?;
    let Some(version) = b.versie else {
        return Err(super::missing("versie", "Stuur de versie mee die u het laatst las."));
    };
    let board = b.bord.unwrap_or_default();
    let change = BottleneckChange { status: b.stand.unwrap_or_default(), resolution: b.toelichting.unwrap_or_default(), forward: b.doorzetten.unwrap_or(false), version };
    s.app.change_bottleneck(&rc.ctx, &board, id, &change).await.map_err(err)?;
    Ok(Json(Stuurgroepoverzicht::from(s.app.dashboard(&rc.ctx, &board, this_year(&s)).await.map_err(err)?)))
}
