//! `/fieldlabs`: the LIEC Field Lab Hub — every lab for the network; the LIEC opens labs, moves
//! them through the phases, adds partners and offers the final product as a knowledge item; the
//! lab's organisations record decisions and documents and run experiments with indicators.

#![allow(non_snake_case)] // field names are the JSON names

use super::wire::utc;
use super::{err, Api, ApiJson};
use crate::problem::Problem;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use knooppunt_app::fieldlabs::{ExperimentInput, LabInput, LabRow, LabView, ProductInput, RecordInput};
use knooppunt_app::AppError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

fn id(raw: &str, what: &'static str) -> Result<i64, AppError> {
    raw.parse::<i64>().map_err(|_| AppError::NotFound(what))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FieldLabKort {
    pub id: i64,
    pub titel: String,
    pub regio: String,
    pub organisatie: String,
    /// De code van de fase, bijvoorbeeld `experiment`.
    pub fase: String,
    pub experimenten: i64,
    /// Experimenten met het besluit om op te schalen.
    pub opgeschaald: i64,
    pub eindproductId: Option<i64>,
}

impl From<&LabRow> for FieldLabKort {
    fn from(l: &LabRow) -> Self {
        FieldLabKort {
            id: l.id,
            titel: l.title.clone(),
            regio: l.host_region.clone(),
            organisatie: l.host_organisation.clone(),
            fase: l.phase.clone(),
            experimenten: l.experiments,
            opgeschaald: l.scaled_up,
            eindproductId: l.product_item_id,
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FieldLabFaseNaam {
    pub code: String,
    pub naam: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FieldLabLijst {
    pub fieldlabs: Vec<FieldLabKort>,
    /// De fasen van de hub, in volgorde.
    pub fasen: Vec<FieldLabFaseNaam>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FieldLabPartner {
    pub organisatieId: i64,
    pub organisatie: String,
    pub rol: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FieldLabVastlegging {
    pub id: i64,
    pub fase: String,
    /// `besluit` of `document`.
    pub soort: String,
    pub titel: String,
    pub tekst: String,
    pub door: String,
    pub op: DateTime<Utc>,
    pub bestanden: Vec<FieldLabBestand>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FieldLabBestand {
    pub id: i64,
    pub naam: String,
    pub mediatype: String,
    /// In bytes.
    pub grootte: i64,
    pub sha256: String,
    pub door: String,
    pub op: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FieldLabIndicator {
    pub id: i64,
    pub naam: String,
    pub nulmeting: String,
    pub resultaat: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FieldLabExperiment {
    pub id: i64,
    pub hypothese: String,
    /// De code uit de interventiecatalogus.
    pub interventietype: String,
    pub plaats: String,
    pub vanaf: String,
    pub tot: String,
    /// `voor-en-nameting`, `vergelijkingsgebied` of `beide`.
    pub opzet: String,
    pub dpia: bool,
    pub lessen: String,
    /// `opschalen`, `aanpassen`, `stoppen`, of leeg.
    pub opschaling: String,
    pub versie: i64,
    pub indicatoren: Vec<FieldLabIndicator>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FieldLab {
    pub id: i64,
    pub titel: String,
    pub probleem: String,
    pub regio: String,
    pub organisatieId: i64,
    pub organisatie: String,
    pub onderzoekers: String,
    pub fase: String,
    pub eindproductId: Option<i64>,
    pub versie: i64,
    pub bijgewerktOp: DateTime<Utc>,
    pub partners: Vec<FieldLabPartner>,
    pub vastleggingen: Vec<FieldLabVastlegging>,
    pub experimenten: Vec<FieldLabExperiment>,
}

impl From<&LabView> for FieldLab {
    fn from(v: &LabView) -> Self {
        let l = &v.row;
        FieldLab {
            id: l.id,
            titel: l.title.clone(),
            probleem: l.problem.clone(),
            regio: l.host_region.clone(),
            organisatieId: l.host_organisation_id,
            organisatie: l.host_organisation.clone(),
            onderzoekers: l.researchers.clone(),
            fase: l.phase.clone(),
            eindproductId: l.product_item_id,
            versie: l.version,
            bijgewerktOp: utc(l.updated_at),
            partners: v.partners.iter().map(|(o, n, r)| FieldLabPartner { organisatieId: *o, organisatie: n.clone(), rol: r.clone() }).collect(),
            vastleggingen: v
                .records
                .iter()
                .map(|r| FieldLabVastlegging {
                    id: r.id,
                    fase: r.phase.clone(),
                    soort: r.kind.clone(),
                    titel: r.title.clone(),
                    tekst: r.body.clone(),
                    door: r.recorded_by.clone(),
                    op: utc(r.recorded_at),
                    bestanden: v
                        .files_of(&r.id)
                        .into_iter()
                        .map(|f| FieldLabBestand {
                            id: f.id,
                            naam: f.file_name.clone(),
                            mediatype: f.content_type.clone(),
                            grootte: f.size,
                            sha256: f.sha256.clone(),
                            door: f.uploaded_by.clone(),
                            op: utc(f.uploaded_at),
                        })
                        .collect(),
                })
                .collect(),
            experimenten: v
                .experiments
                .iter()
                .map(|x| FieldLabExperiment {
                    id: x.id,
                    hypothese: x.fields.hypothesis.clone(),
                    interventietype: x.fields.intervention_type.clone(),
                    plaats: x.fields.place.clone(),
                    vanaf: x.fields.starts_on.clone(),
                    tot: x.fields.ends_on.clone(),
                    opzet: x.fields.design.clone(),
                    dpia: x.fields.dpia,
                    lessen: x.fields.lessons.clone(),
                    opschaling: x.fields.scaling.clone(),
                    versie: x.version,
                    indicatoren: v
                        .indicators_of(&x.id)
                        .into_iter()
                        .map(|i| FieldLabIndicator { id: i.id, naam: i.name.clone(), nulmeting: i.baseline.clone(), resultaat: i.result.clone() })
                        .collect(),
                })
                .collect(),
        }
    }
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NieuwFieldLab {
    pub titel: Option<String>,
    pub probleem: Option<String>,
    /// De code van de regio, bijvoorbeeld `oost-brabant`.
    pub regio: Option<String>,
    pub organisatieId: Option<i64>,
    pub onderzoekers: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FieldLabFase {
    pub fase: Option<String>,
    pub versie: Option<i64>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NieuweFieldLabPartner {
    pub organisatieId: Option<i64>,
    pub rol: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NieuweVastlegging {
    /// `besluit` of `document`.
    pub soort: Option<String>,
    pub titel: Option<String>,
    pub tekst: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExperimentInvoer {
    pub hypothese: Option<String>,
    pub interventietype: Option<String>,
    pub plaats: Option<String>,
    /// `jjjj-mm-dd` of `dd-mm-jjjj`.
    pub vanaf: Option<String>,
    pub tot: Option<String>,
    pub opzet: Option<String>,
    pub dpia: Option<bool>,
    pub lessen: Option<String>,
    pub opschaling: Option<String>,
    /// Bij wijzigen: de versie die u las.
    pub versie: Option<i64>,
}

impl ExperimentInvoer {
    fn input(&self) -> ExperimentInput {
        ExperimentInput {
            hypothesis: self.hypothese.clone().unwrap_or_default(),
            intervention_type: self.interventietype.clone().unwrap_or_default(),
            place: self.plaats.clone().unwrap_or_default(),
            starts_on: self.vanaf.clone().unwrap_or_default(),
            ends_on: self.tot.clone().unwrap_or_default(),
            design: self.opzet.clone().unwrap_or_default(),
            dpia: self.dpia.unwrap_or(false),
            lessons: self.lessen.clone().unwrap_or_default(),
            scaling: self.opschaling.clone().unwrap_or_default(),
        }
    }
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NieuweIndicator {
    pub naam: Option<String>,
    pub nulmeting: Option<String>,
    pub resultaat: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IndicatorResultaat {
    pub resultaat: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EindproductInvoer {
    pub titel: Option<String>,
    pub samenvatting: Option<String>,
    pub tekst: Option<String>,
    /// `netwerk` (standaard) of `openbaar`.
    pub publiek: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AangebodenEindproduct {
    /// Het kennisitem, ter beoordeling bij de kennisredactie.
    pub kennisitemId: i64,
    pub fieldlab: FieldLab,
}

async fn view(s: &AppState, rc: &crate::context::RequestCtx, lid: i64) -> Result<Json<FieldLab>, Response> {
    Ok(Json(FieldLab::from(&s.app.field_lab(&rc.ctx, lid).await.map_err(err)?)))
}

/// Alle field labs met hun fase en resultaten (het netwerk).
#[utoipa::path(get, path = "/fieldlabs", tag = "field-lab-hub", responses((status = 200, body = FieldLabLijst)))]
pub async fn list(State(s): State<AppState>, Api(rc): Api) -> Result<Json<FieldLabLijst>, Response> {
    let h = s.app.field_labs(&rc.ctx).await.map_err(err)?;
    Ok(Json(FieldLabLijst {
        fieldlabs: h.rows.iter().map(FieldLabKort::from).collect(),
        fasen: h.phases.into_iter().map(|(code, naam)| FieldLabFaseNaam { code, naam }).collect(),
    }))
}

/// Een field lab openen (LIEC).
#[utoipa::path(post, path = "/fieldlabs", tag = "field-lab-hub", request_body = NieuwFieldLab,
    responses((status = 201, body = FieldLab), (status = 400, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(State(s): State<AppState>, Api(rc): Api, ApiJson(b): ApiJson<NieuwFieldLab>) -> Result<(StatusCode, Json<FieldLab>), Response> {
    let input = LabInput {
        title: b.titel.unwrap_or_default(),
        problem: b.probleem.unwrap_or_default(),
        host_region: b.regio.unwrap_or_default(),
        host_organisation_id: b.organisatieId,
        researchers: b.onderzoekers.unwrap_or_default(),
    };
    let lid = s.app.open_field_lab(&rc.ctx, &input).await.map_err(err)?;
    Ok((StatusCode::CREATED, view(&s, &rc, lid).await?))
}

/// Eén field lab met partners, vastleggingen en experimenten.
#[utoipa::path(get, path = "/fieldlabs/{id}", tag = "field-lab-hub", params(("id" = i64, Path, description = "Id van het field lab")),
    responses((status = 200, body = FieldLab), (status = 404, body = Problem)))]
pub async fn get(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>) -> Result<Json<FieldLab>, Response> {
    view(&s, &rc, id(&raw, "field lab").map_err(err)?).await
}

/// Het field lab naar een andere fase brengen (LIEC); 409 als iemand het intussen wijzigde.
#[utoipa::path(post, path = "/fieldlabs/{id}/_fase", tag = "field-lab-hub", params(("id" = i64, Path, description = "Id van het field lab")), request_body = FieldLabFase,
    responses((status = 200, body = FieldLab), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn phase(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<FieldLabFase>) -> Result<Json<FieldLab>, Response> {
    let lid = id(&raw, "field lab").map_err(err)?;
    let Some(version) = b.versie else { return Err(super::missing("versie", "Stuur de versie mee die u las.")) };
    s.app.set_field_lab_phase(&rc.ctx, lid, version, b.fase.as_deref().unwrap_or_default()).await.map_err(err)?;
    view(&s, &rc, lid).await
}

/// Een partnerorganisatie toevoegen (LIEC).
#[utoipa::path(post, path = "/fieldlabs/{id}/partners", tag = "field-lab-hub", params(("id" = i64, Path, description = "Id van het field lab")), request_body = NieuweFieldLabPartner,
    responses((status = 201, body = FieldLab), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_partner(
    State(s): State<AppState>,
    Api(rc): Api,
    Path(raw): Path<String>,
    ApiJson(b): ApiJson<NieuweFieldLabPartner>,
) -> Result<(StatusCode, Json<FieldLab>), Response> {
    let lid = id(&raw, "field lab").map_err(err)?;
    let Some(org) = b.organisatieId else { return Err(super::missing("organisatieId", "Kies een organisatie.")) };
    s.app.add_field_lab_partner(&rc.ctx, lid, org, b.rol.as_deref().unwrap_or_default()).await.map_err(err)?;
    Ok((StatusCode::CREATED, view(&s, &rc, lid).await?))
}

/// Een besluit of document vastleggen in de huidige fase (het LIEC en de organisaties van het lab).
#[utoipa::path(post, path = "/fieldlabs/{id}/vastleggingen", tag = "field-lab-hub", params(("id" = i64, Path, description = "Id van het field lab")), request_body = NieuweVastlegging,
    responses((status = 201, body = FieldLab), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_record(
    State(s): State<AppState>,
    Api(rc): Api,
    Path(raw): Path<String>,
    ApiJson(b): ApiJson<NieuweVastlegging>,
) -> Result<(StatusCode, Json<FieldLab>), Response> {
    let lid = id(&raw, "field lab").map_err(err)?;
    let input = RecordInput { kind: b.soort.unwrap_or_default(), title: b.titel.unwrap_or_default(), body: b.tekst.unwrap_or_default() };
    s.app.add_field_lab_record(&rc.ctx, lid, &input, None).await.map_err(err)?;
    Ok((StatusCode::CREATED, view(&s, &rc, lid).await?))
}

/// Een bestand toevoegen aan een besluit of document (multipart/form-data, veld `bestand`; het
/// LIEC en de organisaties van het lab).
#[utoipa::path(post, path = "/fieldlabs/{id}/vastleggingen/{vastleggingId}/bestanden", tag = "field-lab-hub",
    params(("id" = i64, Path, description = "Id van het field lab"), ("vastleggingId" = i64, Path, description = "Id van het besluit of document")),
    request_body(content = super::signals::BijlageUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = FieldLab), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn add_file(
    State(s): State<AppState>,
    Api(rc): Api,
    Path((raw, raw_r)): Path<(String, String)>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<(StatusCode, Json<FieldLab>), Response> {
    let lid = id(&raw, "field lab").map_err(err)?;
    let rid = id(&raw_r, "vastlegging").map_err(err)?;
    let multipart = multipart.map_err(|_| {
        Problem::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "Mediatype niet ondersteund").detail("Stuur het bestand als multipart/form-data in het veld 'bestand'.").into_response()
    })?;
    let (_, name, data) = crate::ui::read_upload(multipart).await.map_err(|m| err(knooppunt_domain::Invalid::one("bestand", m).into()))?;
    s.app.add_field_lab_file(&rc.ctx, lid, rid, &name, &data).await.map_err(err)?;
    Ok((StatusCode::CREATED, view(&s, &rc, lid).await?))
}

/// Een bestand van een besluit of document downloaden (het netwerk).
#[utoipa::path(get, path = "/fieldlabs/{id}/bestanden/{bestandId}", tag = "field-lab-hub",
    params(("id" = i64, Path, description = "Id van het field lab"), ("bestandId" = i64, Path, description = "Id van het bestand")),
    responses((status = 200, description = "De inhoud van het bestand"), (status = 404, body = Problem)))]
pub async fn file(State(s): State<AppState>, Api(rc): Api, Path((raw, raw_f)): Path<(String, String)>) -> Result<Response, Response> {
    let lid = id(&raw, "field lab").map_err(err)?;
    let fid = id(&raw_f, "bestand").map_err(err)?;
    let (meta, data) = s.app.field_lab_file(&rc.ctx, lid, fid).await.map_err(err)?;
    Ok(crate::ui::file_download(&meta.content_type, &meta.file_name, data))
}

/// Een experiment starten (het LIEC en de organisaties van het lab).
#[utoipa::path(post, path = "/fieldlabs/{id}/experimenten", tag = "field-lab-hub", params(("id" = i64, Path, description = "Id van het field lab")), request_body = ExperimentInvoer,
    responses((status = 201, body = FieldLab), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_experiment(
    State(s): State<AppState>,
    Api(rc): Api,
    Path(raw): Path<String>,
    ApiJson(b): ApiJson<ExperimentInvoer>,
) -> Result<(StatusCode, Json<FieldLab>), Response> {
    let lid = id(&raw, "field lab").map_err(err)?;
    s.app.add_experiment(&rc.ctx, lid, &b.input()).await.map_err(err)?;
    Ok((StatusCode::CREATED, view(&s, &rc, lid).await?))
}

/// Een experiment bijwerken: lessen en het besluit over opschalen na de evaluatie.
#[utoipa::path(put, path = "/fieldlabs/{id}/experimenten/{experimentId}", tag = "field-lab-hub",
    params(("id" = i64, Path, description = "Id van het field lab"), ("experimentId" = i64, Path, description = "Id van het experiment")), request_body = ExperimentInvoer,
    responses((status = 200, body = FieldLab), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_experiment(
    State(s): State<AppState>,
    Api(rc): Api,
    Path((raw, raw_x)): Path<(String, String)>,
    ApiJson(b): ApiJson<ExperimentInvoer>,
) -> Result<Json<FieldLab>, Response> {
    let lid = id(&raw, "field lab").map_err(err)?;
    let xid = id(&raw_x, "experiment").map_err(err)?;
    let Some(version) = b.versie else { return Err(super::missing("versie", "Stuur de versie mee die u las.")) };
    s.app.update_experiment(&rc.ctx, lid, xid, version, &b.input()).await.map_err(err)?;
    view(&s, &rc, lid).await
}

/// Een indicator met nulmeting toevoegen aan een experiment.
#[utoipa::path(post, path = "/fieldlabs/{id}/experimenten/{experimentId}/indicatoren", tag = "field-lab-hub",
    params(("id" = i64, Path, description = "Id van het field lab"), ("experimentId" = i64, Path, description = "Id van het experiment")), request_body = NieuweIndicator,
    responses((status = 201, body = FieldLab), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_indicator(
    State(s): State<AppState>,
    Api(rc): Api,
    Path((raw, raw_x)): Path<(String, String)>,
    ApiJson(b): ApiJson<NieuweIndicator>,
) -> Result<(StatusCode, Json<FieldLab>), Response> {
    let lid = id(&raw, "field lab").map_err(err)?;
    let xid = id(&raw_x, "experiment").map_err(err)?;
    s.app
        .add_indicator(&rc.ctx, lid, xid, b.naam.as_deref().unwrap_or_default(), b.nulmeting.as_deref().unwrap_or_default(), b.resultaat.as_deref().unwrap_or_default())
        .await
        .map_err(err)?;
    Ok((StatusCode::CREATED, view(&s, &rc, lid).await?))
}

/// Het resultaat van een indicator vastleggen.
#[utoipa::path(put, path = "/fieldlabs/{id}/indicatoren/{indicatorId}", tag = "field-lab-hub",
    params(("id" = i64, Path, description = "Id van het field lab"), ("indicatorId" = i64, Path, description = "Id van de indicator")), request_body = IndicatorResultaat,
    responses((status = 200, body = FieldLab), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn set_result(
    State(s): State<AppState>,
    Api(rc): Api,
    Path((raw, raw_i)): Path<(String, String)>,
    ApiJson(b): ApiJson<IndicatorResultaat>,
) -> Result<Json<FieldLab>, Response> {
    let lid = id(&raw, "field lab").map_err(err)?;
    let iid = id(&raw_i, "indicator").map_err(err)?;
    s.app.set_indicator_result(&rc.ctx, lid, iid, b.resultaat.as_deref().unwrap_or_default()).await.map_err(err)?;
    view(&s, &rc, lid).await
}

/// Het eindproduct aanbieden als kennisitem (LIEC); een andere redacteur publiceert het.
#[utoipa::path(post, path = "/fieldlabs/{id}/_eindproduct", tag = "field-lab-hub", params(("id" = i64, Path, description = "Id van het field lab")), request_body = EindproductInvoer,
    responses((status = 201, body = AangebodenEindproduct), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn offer_product(
    State(s): State<AppState>,
    Api(rc): Api,
    Path(raw): Path<String>,
    ApiJson(b): ApiJson<EindproductInvoer>,
) -> Result<(StatusCode, Json<AangebodenEindproduct>), Response> {
    let lid = id(&raw, "field lab").map_err(err)?;
    let input = ProductInput {
        title: b.titel.unwrap_or_default(),
        summary: b.samenvatting.unwrap_or_default(),
        body: b.tekst.unwrap_or_default(),
        audience: b.publiek.unwrap_or_default(),
    };
    let item = s.app.offer_field_lab_product(&rc.ctx, lid, &input).await.map_err(err)?;
    let Json(fieldlab) = view(&s, &rc, lid).await?;
    Ok((StatusCode::CREATED, Json(AangebodenEindproduct { kennisitemId: item, fieldlab })))
}
