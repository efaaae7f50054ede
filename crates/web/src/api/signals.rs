//! `/bestuurlijke-signalen`: the national desk for administrative signals.

#![allow(non_snake_case)] // field names are the JSON names

use super::wire::utc;
use super::{err, Api, ApiJson, ApiResult};
use crate::problem::Problem;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::Json;
use chrono::{DateTime, Utc};
use knooppunt_app::signals::{SignalInput, StepInput};
use knooppunt_app::views::{Overview, SignalContent, SignalDetail, SignalRow};
use knooppunt_app::AppError;
use knooppunt_policy::signals::SignalView;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignaalSamenvatting {
    pub id: i64,
    pub kenmerk: String,
    pub titel: String,
    /// Status, bijvoorbeeld `ingediend` of `aangeboden`.
    pub status: String,
    pub organisatie: String,
    pub ingediendOp: Option<DateTime<Utc>>,
}

impl From<&SignalRow> for SignaalSamenvatting {
    fn from(r: &SignalRow) -> Self {
        Self {
            id: r.id,
            kenmerk: r.reference.clone(),
            titel: r.content.title.clone(),
            status: r.state.clone(),
            organisatie: r.organisation_name.clone(),
            ingediendOp: r.submitted_at.map(utc),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Bevinding {
    pub soort: String,
    pub gemaskeerd: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Bericht {
    pub auteur: String,
    pub vanLoket: bool,
    pub tekst: String,
    pub op: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Bijlage {
    pub id: i64,
    pub naam: String,
    /// Vastgesteld uit de inhoud, niet uit de naam.
    pub mediatype: String,
    pub grootte: i64,
    pub sha256: String,
    pub op: DateTime<Utc>,
}

/// Een bijlage uploaden (multipart/form-data, veld `bestand`).
#[derive(ToSchema)]
#[allow(dead_code)] // describes the multipart body for the OpenAPI document
pub struct BijlageUpload {
    #[schema(value_type = String, format = Binary)]
    pub bestand: Vec<u8>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Vergelijkbaar {
    pub id: i64,
    pub kenmerk: String,
    pub titel: String,
    /// Cosinus-overeenkomst van de geanalyseerde tekst, 0 tot 1.
    pub score: f64,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Signaal {
    pub id: i64,
    pub kenmerk: String,
    pub status: String,
    pub titel: String,
    pub juridischProces: String,
    pub zwakkePlek: String,
    pub structureel: String,
    pub modusOperandi: String,
    /// Alleen voor het loket en de indienende organisatie.
    pub bron: Option<String>,
    pub aanbevelingen: String,
    pub haalbaarheid: String,
    pub vertrouwelijkheid: String,
    /// Alleen voor het loket en de indienende organisatie.
    pub contact: Option<String>,
    pub organisatie: String,
    pub fenomenen: Vec<String>,
    pub voorgesteldeMinisteries: Vec<String>,
    pub aangebodenAan: Vec<String>,
    pub ingediendOp: Option<DateTime<Utc>>,
    pub aangebodenOp: Option<DateTime<Utc>>,
    pub reactieVerwachtVoor: Option<DateTime<Utc>>,
    pub reactieOp: Option<DateTime<Utc>>,
    pub reactie: Option<String>,
    pub teLaat: bool,
    /// Voor optimistische gelijktijdigheid bij wijzigen.
    pub versie: i64,
    pub persoonsgegevens: Vec<Bevinding>,
    pub berichten: Vec<Bericht>,
    /// Alleen voor het loket en de indienende organisatie.
    pub bijlagen: Vec<Bijlage>,
    pub vergelijkbaar: Vec<Vergelijkbaar>,
    pub mogelijkeStappen: Vec<String>,
}

impl From<SignalDetail> for Signaal {
    fn from(d: SignalDetail) -> Self {
        let full = d.view == SignalView::Full;
        let s = d.signal;
        Self {
            id: s.id,
            kenmerk: s.reference,
            status: s.state,
            titel: s.content.title,
            juridischProces: s.content.legal_process,
            zwakkePlek: s.content.weakness,
            structureel: s.content.structural,
            modusOperandi: s.content.modus_operandi,
            bron: full.then_some(s.content.source_reference),
            aanbevelingen: s.content.recommendations,
            haalbaarheid: s.content.feasibility,
            vertrouwelijkheid: s.content.confidentiality,
            contact: full.then_some(s.content.contact),
            organisatie: s.organisation_name,
            fenomenen: d.phenomena.into_iter().map(|x| x.code).collect(),
            voorgesteldeMinisteries: d.proposed.into_iter().map(|x| x.code).collect(),
            aangebodenAan: d.offered.into_iter().map(|x| x.code).collect(),
            ingediendOp: s.submitted_at.map(utc),
            aangebodenOp: s.offered_at.map(utc),
            reactieVerwachtVoor: s.response_due_at.map(utc),
            reactieOp: s.response_at.map(utc),
            reactie: s.response,
            teLaat: d.overdue,
            versie: s.version,
            persoonsgegevens: d.personal_data.into_iter().map(|f| Bevinding { soort: f.kind.into(), gemaskeerd: f.masked }).collect(),
            berichten: d.messages.into_iter().map(|m| Bericht { auteur: m.author, vanLoket: m.from_desk, tekst: m.body, op: utc(m.at) }).collect(),
            bijlagen: d
                .attachments
                .into_iter()
                .map(|a| Bijlage { id: a.id, naam: a.file_name, mediatype: a.content_type, grootte: a.size, sha256: a.sha256, op: utc(a.at) })
                .collect(),
            vergelijkbaar: d.similar.into_iter().map(|x| Vergelijkbaar { id: x.id, kenmerk: x.reference, titel: x.title, score: (x.score * 1000.0).round() / 1000.0 }).collect(),
            mogelijkeStappen: d.steps.into_iter().map(|x| x.code().to_string()).collect(),
        }
    }
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignaalInvoer {
    pub titel: Option<String>,
    pub juridischProces: Option<String>,
    pub zwakkePlek: Option<String>,
    pub structureel: Option<String>,
    pub modusOperandi: Option<String>,
    pub bron: Option<String>,
    pub aanbevelingen: Option<String>,
    pub haalbaarheid: Option<String>,
    /// `normaal` of `vertrouwelijk`.
    pub vertrouwelijkheid: Option<String>,
    pub contact: Option<String>,
    /// Fenomeencodes, bijvoorbeeld `hennepteelt`.
    pub fenomenen: Option<Vec<String>>,
    /// Ministeriecodes, bijvoorbeeld `jenv`.
    pub ministeries: Option<Vec<String>>,
    /// Alleen bij wijzigen: de versie die u het laatst las.
    pub versie: Option<i64>,
}

impl SignaalInvoer {
    fn input(self) -> (SignalInput, Option<i64>) {
        let u = |s: Option<String>| s.unwrap_or_default();
        (
            SignalInput {
                content: SignalContent {
                    title: u(self.titel),
                    legal_process: u(self.juridischProces),
                    weakness: u(self.zwakkePlek),
                    structural: u(self.structureel),
                    modus_operandi: u(self.modusOperandi),
                    source_reference: u(self.bron),
                    recommendations: u(self.aanbevelingen),
                    feasibility: u(self.haalbaarheid),
                    confidentiality: u(self.vertrouwelijkheid),
                    contact: u(self.contact),
                },
                phenomena: self.fenomenen.unwrap_or_default(),
                ministries: self.ministeries.unwrap_or_default(),
            },
            self.versie,
        )
    }
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Stap {
    /// `indienen`, `beoordelen`, `terugsturen`, `samenvoegen`, `aanvaarden`, `niet-aanvaarden`,
    /// `aanbieden`, `reactie-vastleggen`, `opvolgen` of `sluiten`.
    pub stap: Option<String>,
    pub toelichting: Option<String>,
    pub bevestigPersoonsgegevens: Option<bool>,
    /// Bij samenvoegen: het kenmerk van het andere signaal.
    pub samenvoegenMet: Option<String>,
    /// Bij aanbieden: ministeriecodes.
    pub ministeries: Option<Vec<String>>,
    /// Bij aanbieden de brief, bij reactie-vastleggen de reactie.
    pub tekst: Option<String>,
    /// JJJJ-MM-DD; standaard vandaag.
    pub datum: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NieuwBericht {
    pub bericht: Option<String>,
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SignaalFilter {
    /// Alleen signalen met deze status.
    status: Option<String>,
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct JaarFilter {
    /// Alleen signalen ingediend in dit jaar.
    jaar: Option<i32>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Telling {
    pub naam: String,
    pub aantal: usize,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Overzicht {
    pub totaal: usize,
    pub perStatus: Vec<Telling>,
    pub perMinisterie: Vec<Telling>,
    pub perFenomeen: Vec<Telling>,
    pub perJaar: Vec<Telling>,
    pub gemiddeldeReactietermijnDagen: Option<f64>,
    pub terugkerendeThemas: Vec<Telling>,
    /// Alleen voor het loket.
    pub teLaat: Vec<SignaalSamenvatting>,
}

fn tellingen(v: Vec<(String, usize)>) -> Vec<Telling> {
    v.into_iter().map(|(naam, aantal)| Telling { naam, aantal }).collect()
}

impl From<Overview> for Overzicht {
    fn from(o: Overview) -> Self {
        Self {
            totaal: o.total,
            perStatus: tellingen(o.by_state),
            perMinisterie: tellingen(o.by_ministry),
            perFenomeen: tellingen(o.by_phenomenon),
            perJaar: o.by_year.into_iter().map(|(y, n)| Telling { naam: y.to_string(), aantal: n }).collect(),
            gemiddeldeReactietermijnDagen: o.average_response_days.map(|d| (d * 10.0).round() / 10.0),
            terugkerendeThemas: tellingen(o.recurring_terms),
            teLaat: o.overdue.iter().map(SignaalSamenvatting::from).collect(),
        }
    }
}

fn id(raw: &str) -> Result<i64, AppError> {
    raw.parse::<i64>().map_err(|_| AppError::NotFound("signaal"))
}

/// De signalen die u mag zien (eigen organisatie, aanvaarde signalen; het loket alles).
#[utoipa::path(get, path = "/bestuurlijke-signalen", tag = "bestuurlijke-signalen", params(SignaalFilter), responses((status = 200, body = [SignaalSamenvatting]), (status = 400, body = Problem)))]
pub async fn list(State(s): State<AppState>, Api(rc): Api, q: Result<Query<SignaalFilter>, axum::extract::rejection::QueryRejection>) -> ApiResult<Vec<SignaalSamenvatting>> {
    let Query(q) = q.map_err(super::network::query_problem)?;
    let rows = s.app.list_signals(&rc.ctx, q.status.as_deref()).await.map_err(err)?;
    Ok(Json(rows.iter().map(SignaalSamenvatting::from).collect()))
}

/// Een signaal opstellen (concept) namens uw organisatie.
#[utoipa::path(post, path = "/bestuurlijke-signalen", tag = "bestuurlijke-signalen", request_body = SignaalInvoer,
    responses((status = 200, body = Signaal), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn create(State(s): State<AppState>, Api(rc): Api, ApiJson(b): ApiJson<SignaalInvoer>) -> ApiResult<Signaal> {
    let (input, _) = b.input();
    let new = s.app.create_signal(&rc.ctx, &input).await.map_err(err)?;
    Ok(Json(Signaal::from(s.app.signal(&rc.ctx, new).await.map_err(err)?)))
}

/// Eén signaal; bron en contact alleen voor het loket en de indienende organisatie.
#[utoipa::path(get, path = "/bestuurlijke-signalen/{id}", tag = "bestuurlijke-signalen", params(("id" = i64, Path, description = "Id van het signaal")),
    responses((status = 200, body = Signaal), (status = 404, body = Problem)))]
pub async fn get(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>) -> ApiResult<Signaal> {
    Ok(Json(Signaal::from(s.app.signal(&rc.ctx, id(&raw).map_err(err)?).await.map_err(err)?)))
}

/// Een concept of teruggestuurd signaal wijzigen; stuur de gelezen `versie` mee.
#[utoipa::path(patch, path = "/bestuurlijke-signalen/{id}", tag = "bestuurlijke-signalen", params(("id" = i64, Path, description = "Id van het signaal")), request_body = SignaalInvoer,
    responses((status = 200, body = Signaal), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn update(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<SignaalInvoer>) -> ApiResult<Signaal> {
    let sid = id(&raw).map_err(err)?;
    let (input, version) = b.input();
    let Some(version) = version else {
        return Err(err(knooppunt_domain::Invalid::one("versie", "Stuur de versie mee die u het laatst las.").into()));
    };
    s.app.update_signal(&rc.ctx, sid, &input, version).await.map_err(err)?;
    Ok(Json(Signaal::from(s.app.signal(&rc.ctx, sid).await.map_err(err)?)))
}

/// Een stap in de behandeling zetten.
#[utoipa::path(post, path = "/bestuurlijke-signalen/{id}/_stappen", tag = "bestuurlijke-signalen", params(("id" = i64, Path, description = "Id van het signaal")), request_body = Stap,
    responses((status = 200, body = Signaal), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn step(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<Stap>) -> ApiResult<Signaal> {
    let sid = id(&raw).map_err(err)?;
    let input = StepInput {
        step: b.stap.unwrap_or_default(),
        note: b.toelichting.unwrap_or_default(),
        confirm_personal_data: b.bevestigPersoonsgegevens.unwrap_or(false),
        merge_into: b.samenvoegenMet.unwrap_or_default(),
        ministries: b.ministeries.unwrap_or_default(),
        text: b.tekst.unwrap_or_default(),
        date: b.datum.unwrap_or_default(),
    };
    s.app.signal_step(&rc.ctx, sid, &input).await.map_err(err)?;
    Ok(Json(Signaal::from(s.app.signal(&rc.ctx, sid).await.map_err(err)?)))
}

/// Een bericht plaatsen in het gesprek tussen loket en indiener.
#[utoipa::path(post, path = "/bestuurlijke-signalen/{id}/berichten", tag = "bestuurlijke-signalen", params(("id" = i64, Path, description = "Id van het signaal")), request_body = NieuwBericht,
    responses((status = 200, body = Signaal), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn message(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<NieuwBericht>) -> ApiResult<Signaal> {
    let sid = id(&raw).map_err(err)?;
    s.app.post_signal_message(&rc.ctx, sid, &b.bericht.unwrap_or_default()).await.map_err(err)?;
    Ok(Json(Signaal::from(s.app.signal(&rc.ctx, sid).await.map_err(err)?)))
}

/// Cijfers: per status, ministerie, fenomeen en jaar; reactietermijnen; terugkerende thema's.
#[utoipa::path(get, path = "/bestuurlijke-signalen/_overzicht", tag = "bestuurlijke-signalen", params(JaarFilter), responses((status = 200, body = Overzicht), (status = 400, body = Problem)))]
pub async fn overview(State(s): State<AppState>, Api(rc): Api, q: Result<Query<JaarFilter>, axum::extract::rejection::QueryRejection>) -> ApiResult<Overzicht> {
    let Query(q) = q.map_err(super::network::query_problem)?;
    Ok(Json(Overzicht::from(s.app.signals_overview(&rc.ctx, q.jaar).await.map_err(err)?)))
}

/// Een bijlage toevoegen (PDF, afbeelding, Office, OpenDocument of tekst; hoogstens 10 MB).
#[utoipa::path(post, path = "/bestuurlijke-signalen/{id}/bijlagen", tag = "bestuurlijke-signalen", params(("id" = i64, Path, description = "Id van het signaal")),
    request_body(content = BijlageUpload, content_type = "multipart/form-data"),
    responses((status = 200, body = Signaal), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 413, body = Problem)))]
pub async fn upload(
    State(s): State<AppState>,
    Api(rc): Api,
    Path(raw): Path<String>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Signaal> {
    let sid = id(&raw).map_err(err)?;
    let multipart = multipart.map_err(|_| {
        use axum::response::IntoResponse;
        Problem::new(axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE, "Mediatype niet ondersteund")
            .detail("Stuur het bestand als multipart/form-data in het veld 'bestand'.")
            .into_response()
    })?;
    let (_, name, data) = crate::ui::read_upload(multipart).await.map_err(|m| err(knooppunt_domain::Invalid::one("bestand", m).into()))?;
    s.app.add_signal_attachment(&rc.ctx, sid, &name, &data).await.map_err(err)?;
    Ok(Json(Signaal::from(s.app.signal(&rc.ctx, sid).await.map_err(err)?)))
}

/// Een bijlage downloaden (alleen loket en indienende organisatie).
#[utoipa::path(get, path = "/bestuurlijke-signalen/{id}/bijlagen/{bijlageId}", tag = "bestuurlijke-signalen",
    params(("id" = i64, Path, description = "Id van het signaal"), ("bijlageId" = i64, Path, description = "Id van de bijlage")),
    responses((status = 200, description = "De inhoud van de bijlage"), (status = 404, body = Problem)))]
pub async fn download(State(s): State<AppState>, Api(rc): Api, Path((raw, raw_aid)): Path<(String, String)>) -> Result<axum::response::Response, axum::response::Response> {
    let sid = id(&raw).map_err(err)?;
    let aid = raw_aid.parse::<i64>().map_err(|_| err(AppError::NotFound("bijlage")))?;
    let (meta, data) = s.app.signal_attachment(&rc.ctx, sid, aid).await.map_err(err)?;
    Ok(crate::ui::file_download(&meta.content_type, &meta.file_name, data))
}
