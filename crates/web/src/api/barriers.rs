//! `/kennisitems/{id}/barrieremodel` and `/barrieres`: the structure of barrier models (steps
//! with their facilitators, opportunities, signals and barriers), read like the item itself and
//! written by the knowledge editors; and the barriers an intervention in a case may name.

#![allow(non_snake_case)] // field names are the JSON names

use super::knowledge::Anyone;
use super::{err, Api, ApiJson};
use crate::problem::Problem;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use knooppunt_app::barriers::{BarrierModel, ModelChange, PartInput, StepInput};
use knooppunt_app::AppError;
use knooppunt_domain::Invalid;
use knooppunt_figures::disclosure::Shown;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Barrieremodel {
    /// Id van het kennisitem.
    pub id: i64,
    pub titel: String,
    /// De versie van het kennisitem; stuur die mee bij een wijziging.
    pub versie: i64,
    pub stappen: Vec<Processtap>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Processtap {
    pub id: i64,
    /// 1 voor de eerste stap.
    pub positie: i64,
    pub titel: String,
    pub omschrijving: String,
    pub onderdelen: Vec<Onderdeel>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Onderdeel {
    pub id: i64,
    /// facilitator, gelegenheid, signaal of barriere.
    pub soort: String,
    pub omschrijving: String,
    /// Facilitator: het soort actor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// Facilitator: werkt bewust mee (true) of wordt misbruikt (false).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bewust: Option<bool>,
    /// Signaal: de partnertypen die het kunnen zien.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub waargenomenDoor: Vec<String>,
    /// Barrière: code van het interventietype dat haar opwerpt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interventietype: Option<String>,
    /// Barrière: de verantwoordelijke partner (partnertype).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verantwoordelijke: Option<String>,
    /// Barrière: de wettelijke grondslag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grondslag: Option<String>,
    /// Barrière: hoeveel interventies in casussen haar opwerpen; `null` als het aantal is afgeschermd (te klein om te tonen).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interventies: Option<Option<u64>>,
}

fn model(m: BarrierModel) -> Barrieremodel {
    Barrieremodel {
        id: m.item.row.id,
        titel: m.item.row.title.clone(),
        versie: m.item.row.version,
        stappen: m
            .steps
            .into_iter()
            .map(|st| Processtap {
                id: st.step.id,
                positie: st.step.position,
                titel: st.step.title,
                omschrijving: st.step.description,
                onderdelen: st
                    .parts
                    .into_iter()
                    .flat_map(|(_, ps)| ps)
                    .map(|p| {
                        let r = p.row;
                        let barrier = r.part == "barriere";
                        Onderdeel {
                            id: r.id,
                            soort: r.part.clone(),
                            omschrijving: r.description,
                            actor: (r.part == "facilitator").then_some(r.actor),
                            bewust: r.knowing,
                            waargenomenDoor: r.observed_by,
                            interventietype: r.intervention_type.map(|t| t.0),
                            verantwoordelijke: r.partner_type,
                            grondslag: barrier.then_some(r.legal_basis),
                            interventies: p.interventions.map(|s| match s {
                                Shown::Value(n) => Some(n),
                                Shown::Hidden(_) => None,
                            }),
                        }
                    })
                    .collect(),
            })
            .collect(),
    }
}

fn ids(raw: &str) -> Result<i64, AppError> {
    raw.parse::<i64>().map_err(|_| AppError::NotFound("kennisitem"))
}

fn sub(raw: &str, what: &'static str) -> Result<i64, AppError> {
    raw.parse::<i64>().map_err(|_| AppError::NotFound(what))
}

/// The item version a change is based on, which every change carries.
fn needed(v: Option<i64>) -> Result<i64, AppError> {
    v.ok_or_else(|| Invalid::one("versie", "Stuur de versie van het kennisitem mee die u las, als geheel getal.").into())
}

async fn changed(s: &AppState, rc: &crate::context::RequestCtx, id: i64, change: ModelChange) -> Result<Json<Barrieremodel>, Response> {
    s.app.change_barrier_model(&rc.ctx, id, &change).await.map_err(err)?;
    Ok(Json(model(s.app.barrier_model(&rc.ctx, id).await.map_err(err)?)))
}

/// Het barrièremodel van een kennisitem: de stappen van het bedrijfsproces met per stap de facilitatoren, gelegenheden, signalen en barrières, en per barrière het (afgeschermde) aantal interventies dat haar opwerpt. 404 als het item geen barrièremodel is of als u het niet mag lezen.
#[utoipa::path(get, path = "/kennisitems/{id}/barrieremodel", tag = "kennis", params(("id" = i64, Path, description = "Id van het kennisitem")), security((), ("bearer" = [])),
    responses((status = 200, body = Barrieremodel), (status = 404, body = Problem)))]
pub async fn get(State(s): State<AppState>, Anyone(rc): Anyone, Path(raw): Path<String>) -> Result<Json<Barrieremodel>, Response> {
    Ok(Json(model(s.app.barrier_model(&rc.ctx, ids(&raw).map_err(err)?).await.map_err(err)?)))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProcesstapInvoer {
    pub titel: Option<String>,
    pub omschrijving: Option<String>,
    /// De versie van het kennisitem die u las.
    pub versie: Option<i64>,
}

fn step_input(b: ProcesstapInvoer) -> Result<StepInput, AppError> {
    Ok(StepInput { title: b.titel.unwrap_or_default(), description: b.omschrijving.unwrap_or_default(), version: needed(b.versie)? })
}

/// Een stap achteraan toevoegen (kennisredactie); 409 als iemand anders het model intussen wijzigde.
#[utoipa::path(post, path = "/kennisitems/{id}/barrieremodel/stappen", tag = "kennis", params(("id" = i64, Path, description = "Id van het kennisitem")), request_body = ProcesstapInvoer,
    responses((status = 201, body = Barrieremodel), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_step(
    State(s): State<AppState>,
    Api(rc): Api,
    Path(raw): Path<String>,
    ApiJson(b): ApiJson<ProcesstapInvoer>,
) -> Result<(StatusCode, Json<Barrieremodel>), Response> {
    let id = ids(&raw).map_err(err)?;
    Ok((StatusCode::CREATED, changed(&s, &rc, id, ModelChange::AddStep(step_input(b).map_err(err)?)).await?))
}

/// Naam en omschrijving van een stap wijzigen (kennisredactie).
#[utoipa::path(put, path = "/kennisitems/{id}/barrieremodel/stappen/{stapId}", tag = "kennis",
    params(("id" = i64, Path, description = "Id van het kennisitem"), ("stapId" = i64, Path, description = "Id van de stap")), request_body = ProcesstapInvoer,
    responses((status = 200, body = Barrieremodel), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn edit_step(
    State(s): State<AppState>,
    Api(rc): Api,
    Path((raw, step)): Path<(String, String)>,
    ApiJson(b): ApiJson<ProcesstapInvoer>,
) -> Result<Json<Barrieremodel>, Response> {
    let (id, step) = (ids(&raw).map_err(err)?, sub(&step, "stap").map_err(err)?);
    changed(&s, &rc, id, ModelChange::EditStep(step, step_input(b).map_err(err)?)).await
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Versie {
    /// De versie van het kennisitem die u las.
    versie: Option<i64>,
}

fn version(q: Result<Query<Versie>, axum::extract::rejection::QueryRejection>) -> Result<i64, AppError> {
    needed(q.ok().and_then(|Query(v)| v.versie))
}

/// Een stap zonder onderdelen verwijderen (kennisredactie); de stappen erna schuiven op.
#[utoipa::path(delete, path = "/kennisitems/{id}/barrieremodel/stappen/{stapId}", tag = "kennis",
    params(("id" = i64, Path, description = "Id van het kennisitem"), ("stapId" = i64, Path, description = "Id van de stap"), Versie),
    responses((status = 200, body = Barrieremodel), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn remove_step(
    State(s): State<AppState>,
    Api(rc): Api,
    Path((raw, step)): Path<(String, String)>,
    q: Result<Query<Versie>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Barrieremodel>, Response> {
    let (id, step) = (ids(&raw).map_err(err)?, sub(&step, "stap").map_err(err)?);
    changed(&s, &rc, id, ModelChange::RemoveStep { step, version: version(q).map_err(err)? }).await
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Verplaatsing {
    /// eerder of later.
    pub richting: Option<String>,
    pub versie: Option<i64>,
}

/// Een stap één plaats eerder of later zetten (kennisredactie).
#[utoipa::path(post, path = "/kennisitems/{id}/barrieremodel/stappen/{stapId}/_verplaatsen", tag = "kennis",
    params(("id" = i64, Path, description = "Id van het kennisitem"), ("stapId" = i64, Path, description = "Id van de stap")), request_body = Verplaatsing,
    responses((status = 200, body = Barrieremodel), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn move_step(
    State(s): State<AppState>,
    Api(rc): Api,
    Path((raw, step)): Path<(String, String)>,
    ApiJson(b): ApiJson<Verplaatsing>,
) -> Result<Json<Barrieremodel>, Response> {
    let (id, step) = (ids(&raw).map_err(err)?, sub(&step, "stap").map_err(err)?);
    let earlier = match b.richting.as_deref() {
        Some("eerder") => true,
        Some("later") => false,
        _ => return Err(err(Invalid::one("richting", "Kies 'eerder' of 'later'.").into())),
    };
    let version = needed(b.versie).map_err(err)?;
    changed(&s, &rc, id, ModelChange::MoveStep { step, earlier, version }).await
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OnderdeelInvoer {
    /// facilitator, gelegenheid, signaal of barriere.
    pub soort: Option<String>,
    pub omschrijving: Option<String>,
    /// Facilitator: het soort actor.
    pub actor: Option<String>,
    /// Facilitator: bewust of onbewust.
    pub bewust: Option<String>,
    /// Signaal: de partnertypen die het kunnen zien.
    #[serde(default)]
    pub waargenomenDoor: Vec<String>,
    /// Barrière: code van het interventietype uit de catalogus.
    pub interventietype: Option<String>,
    /// Barrière: het partnertype dat verantwoordelijk is.
    pub verantwoordelijke: Option<String>,
    /// Barrière: de wettelijke grondslag.
    pub grondslag: Option<String>,
    /// De versie van het kennisitem die u las.
    pub versie: Option<i64>,
}

/// Een onderdeel aan een stap toevoegen (kennisredactie): een facilitator, gelegenheid, signaal of barrière.
#[utoipa::path(post, path = "/kennisitems/{id}/barrieremodel/stappen/{stapId}/onderdelen", tag = "kennis",
    params(("id" = i64, Path, description = "Id van het kennisitem"), ("stapId" = i64, Path, description = "Id van de stap")), request_body = OnderdeelInvoer,
    responses((status = 201, body = Barrieremodel), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_part(
    State(s): State<AppState>,
    Api(rc): Api,
    Path((raw, step)): Path<(String, String)>,
    ApiJson(b): ApiJson<OnderdeelInvoer>,
) -> Result<(StatusCode, Json<Barrieremodel>), Response> {
    let (id, step) = (ids(&raw).map_err(err)?, sub(&step, "stap").map_err(err)?);
    let version = needed(b.versie).map_err(err)?;
    let u = Option::unwrap_or_default;
    let input = PartInput {
        part: u(b.soort),
        description: u(b.omschrijving),
        actor: u(b.actor),
        knowing: u(b.bewust),
        observed_by: b.waargenomenDoor,
        intervention_type: u(b.interventietype),
        partner_type: u(b.verantwoordelijke),
        legal_basis: u(b.grondslag),
        version,
    };
    Ok((StatusCode::CREATED, changed(&s, &rc, id, ModelChange::AddPart(step, input)).await?))
}

/// Een onderdeel verwijderen (kennisredactie). Een barrière van een model dat gepubliceerd is geweest blijft staan (409): interventies kunnen haar noemen.
#[utoipa::path(delete, path = "/kennisitems/{id}/barrieremodel/onderdelen/{onderdeelId}", tag = "kennis",
    params(("id" = i64, Path, description = "Id van het kennisitem"), ("onderdeelId" = i64, Path, description = "Id van het onderdeel"), Versie),
    responses((status = 200, body = Barrieremodel), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn remove_part(
    State(s): State<AppState>,
    Api(rc): Api,
    Path((raw, part)): Path<(String, String)>,
    q: Result<Query<Versie>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Barrieremodel>, Response> {
    let (id, part) = (ids(&raw).map_err(err)?, sub(&part, "onderdeel").map_err(err)?);
    changed(&s, &rc, id, ModelChange::RemovePart { part, version: version(q).map_err(err)? }).await
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Barriere {
    /// Noem dit id als `barriereId` bij een interventievoorstel.
    pub id: i64,
    /// Id en titel van het barrièremodel (kennisitem).
    pub modelId: i64,
    pub model: String,
    pub stap: i64,
    pub stapTitel: String,
    pub omschrijving: String,
    /// Naam van het interventietype dat haar opwerpt.
    pub interventie: String,
}

/// De barrières die een interventie in een casus kan noemen: die uit de gepubliceerde barrièremodellen die u mag lezen.
#[utoipa::path(get, path = "/barrieres", tag = "kennis", responses((status = 200, body = [Barriere])))]
pub async fn choices(State(s): State<AppState>, Api(rc): Api) -> Result<Json<Vec<Barriere>>, Response> {
    let all = s.app.barrier_choices(&rc.ctx).await.map_err(err)?;
    Ok(Json(
        all.into_iter()
            .map(|b| Barriere {
                id: b.id,
                modelId: b.model_id,
                model: b.model_title,
                stap: b.step_position,
                stapTitel: b.step_title,
                omschrijving: b.description,
                interventie: b.intervention_type,
            })
            .collect(),
    ))
}
