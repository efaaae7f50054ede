//! `/ondersteuningsvragen`: specialist support of the LIEC to the RIECs — ask, the workflow
//! steps, attachments, the answer offered as a question-and-answer item, the turnaround targets;
//! and `/bibob-termijn`, the Bibob advice period calculator. A request the caller may not see
//! answers 404.

#![allow(non_snake_case)] // field names are the JSON names

use super::wire::utc;
use super::{err, Api, ApiJson, ApiResult};
use crate::problem::Problem;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use knooppunt_app::support::{BibobInput, FaqInput, SupportInput, SupportQuery, SupportView};
use knooppunt_app::AppError;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

fn id(raw: &str) -> Result<i64, AppError> {
    raw.parse::<i64>().map_err(|_| AppError::NotFound("ondersteuningsvraag"))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VraagKort {
    pub id: i64,
    pub kenmerk: String,
    /// `bibob`, `13b-opiumwet`, `174a-gemeentewet`, `awb`, `avg-wgs`, `communicatie` of `ict`.
    pub domein: String,
    pub regioId: i64,
    pub regio: String,
    /// `ingediend`, `in-behandeling`, `informatie-gevraagd`, `beantwoord` of `gesloten`.
    pub status: String,
    /// `jjjj-mm-dd`.
    pub ingediendOp: String,
    /// De streefdatum van het LIEC (`jjjj-mm-dd`).
    pub streefdatum: String,
    /// Of de vraag op het LIEC wacht terwijl de streefdatum voorbij is.
    pub teLaat: bool,
    /// De externe wettelijke termijn (`jjjj-mm-dd`), of leeg.
    pub termijnOp: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Doorlooptijd {
    pub domein: String,
    pub dagen: i64,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VragenLijst {
    pub vragen: Vec<VraagKort>,
    pub doorlooptijden: Vec<Doorlooptijd>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Vraagbericht {
    pub id: i64,
    /// De stap (`oppakken`, `informatie-vragen`, `informatie-geven`, `beantwoorden`,
    /// `vervolgvraag`, `sluiten`, `intrekken`).
    pub stap: String,
    /// `riec` of `liec`.
    pub kant: String,
    pub tekst: String,
    pub door: String,
    pub op: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Vraagbijlage {
    pub id: i64,
    pub bestandsnaam: String,
    pub mediatype: String,
    pub grootte: i64,
    pub sha256: String,
    pub kant: String,
    pub door: String,
    pub op: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Ondersteuningsvraag {
    pub id: i64,
    pub kenmerk: String,
    pub domein: String,
    pub regioId: i64,
    pub regio: String,
    pub vraag: String,
    /// Het kenmerk van een dossier van de vragende regio, of leeg; de inhoud gaat niet mee.
    pub casusKenmerk: String,
    pub gewenstOp: String,
    pub termijnOp: String,
    /// Hoe de Bibob-termijn is berekend (een stap per regel), of leeg.
    pub termijnBerekening: String,
    pub status: String,
    pub gesteldDoor: String,
    pub behandelaar: String,
    pub ingediendOp: String,
    pub doorlooptijdDagen: i64,
    pub wachtdagen: i64,
    pub streefdatum: String,
    pub teLaat: bool,
    pub kennisitemId: Option<i64>,
    pub versie: i64,
    pub bijgewerktOp: DateTime<Utc>,
    pub berichten: Vec<Vraagbericht>,
    pub bijlagen: Vec<Vraagbijlage>,
    /// De stappen die u nu kunt zetten.
    pub stappen: Vec<String>,
}

impl From<&SupportView> for Ondersteuningsvraag {
    fn from(v: &SupportView) -> Self {
        let r = &v.row;
        Ondersteuningsvraag {
            id: r.id,
            kenmerk: r.reference.clone(),
            domein: r.domain.clone(),
            regioId: r.region_id,
            regio: r.region_name.clone(),
            vraag: r.question.clone(),
            casusKenmerk: r.case_reference.clone(),
            gewenstOp: r.desired_on.clone(),
            termijnOp: r.deadline_on.clone(),
            termijnBerekening: r.deadline_basis.clone(),
            status: r.status.clone(),
            gesteldDoor: r.asked_by.clone(),
            behandelaar: r.handler.clone(),
            ingediendOp: r.submitted_on.clone(),
            doorlooptijdDagen: r.target_days,
            wachtdagen: r.waiting_days,
            streefdatum: r.due_on.clone(),
            teLaat: v.overdue,
            kennisitemId: r.faq_item_id,
            versie: r.version,
            bijgewerktOp: utc(r.updated_at),
            berichten: v
                .messages
                .iter()
                .map(|m| Vraagbericht { id: m.id, stap: m.step.clone(), kant: m.side.clone(), tekst: m.body.clone(), door: m.author.clone(), op: utc(m.at) })
                .collect(),
            bijlagen: v
                .attachments
                .iter()
                .map(|a| Vraagbijlage {
                    id: a.id,
                    bestandsnaam: a.file_name.clone(),
                    mediatype: a.content_type.clone(),
                    grootte: a.size,
                    sha256: a.sha256.clone(),
                    kant: a.side.clone(),
                    door: a.uploaded_by.clone(),
                    op: utc(a.at),
                })
                .collect(),
            stappen: v.steps.iter().map(|s| s.code().to_string()).collect(),
        }
    }
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Vraagfilter {
    /// De status.
    status: Option<String>,
    /// Het domein.
    domein: Option<String>,
    /// `true`: alleen vragen die op het LIEC wachten terwijl de streefdatum voorbij is.
    teLaat: Option<bool>,
    /// `true`: alleen vragen die niet gesloten zijn.
    open: Option<bool>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Opschorting {
    /// `jjjj-mm-dd` of `dd-mm-jjjj`: de dag waarop de betrokkene werd gevraagd.
    pub van: Option<String>,
    /// De dag waarop het antwoord binnenkwam.
    pub tot: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BibobGegevens {
    /// De dag waarop de adviesaanvraag binnenkwam.
    pub ontvangenOp: Option<String>,
    /// 0 tot en met 4.
    pub verlengingWeken: Option<i64>,
    pub opschortingen: Option<Vec<Opschorting>>,
}

impl BibobGegevens {
    fn input(self) -> BibobInput {
        BibobInput {
            received: self.ontvangenOp.unwrap_or_default(),
            extension_weeks: self.verlengingWeken.map(|w| w.to_string()).unwrap_or_default(),
            suspensions: self.opschortingen.unwrap_or_default().into_iter().map(|o| (o.van.unwrap_or_default(), o.tot.unwrap_or_default())).collect(),
        }
    }
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NieuweVraag {
    /// De regio namens welke u vraagt; leeg als u voor één regio werkt.
    pub regioId: Option<i64>,
    pub domein: Option<String>,
    pub vraag: Option<String>,
    /// Kenmerk van een dossier van uw regio, bijvoorbeeld `CAS-2026-00012`.
    pub casusKenmerk: Option<String>,
    pub gewenstOp: Option<String>,
    /// De externe wettelijke termijn; of laat hem berekenen met `bibob`.
    pub termijnOp: Option<String>,
    /// Alleen bij het domein `bibob`: de gegevens om de adviestermijn te berekenen.
    pub bibob: Option<BibobGegevens>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Vraagstap {
    /// `oppakken`, `informatie-vragen`, `informatie-geven`, `beantwoorden`, `vervolgvraag`,
    /// `sluiten` of `intrekken`.
    pub stap: Option<String>,
    /// De versie die u het laatst las.
    pub versie: Option<i64>,
    /// De vraag om informatie, de informatie, het antwoord of de vervolgvraag.
    pub tekst: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KennisitemConcept {
    pub titel: String,
    pub vraag: String,
    pub antwoord: String,
    /// Hoeveel gegevens de anonimisering verving.
    pub vervangen: usize,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NieuwKennisitem {
    pub titel: Option<String>,
    pub vraag: Option<String>,
    pub antwoord: Option<String>,
    /// `netwerk` (standaard) of `openbaar`.
    pub publiek: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AangebodenKennisitem {
    /// Het kennisitem, ter beoordeling bij de kennisredactie.
    pub kennisitemId: i64,
    pub vraag: Ondersteuningsvraag,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NieuweDoorlooptijd {
    /// 1 tot en met 90.
    pub dagen: Option<i64>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BibobTermijn {
    pub termijnOp: NaiveDate,
    pub opgeschortDagen: i64,
    /// De berekening, een stap per regel.
    pub berekening: Vec<String>,
}

async fn view(s: &AppState, rc: &crate::context::RequestCtx, vid: i64) -> ApiResult<Ondersteuningsvraag> {
    Ok(Json(Ondersteuningsvraag::from(&s.app.support_request(&rc.ctx, vid).await.map_err(err)?)))
}

/// De ondersteuningsvragen die u ziet (het LIEC: alle; een RIEC: die van zijn regio), met de
/// doorlooptijden per domein.
#[utoipa::path(get, path = "/ondersteuningsvragen", tag = "ondersteuning", params(Vraagfilter),
    responses((status = 200, body = VragenLijst), (status = 400, body = Problem)))]
pub async fn list(State(s): State<AppState>, Api(rc): Api, Query(q): Query<Vraagfilter>) -> ApiResult<VragenLijst> {
    let query = SupportQuery { status: q.status, domain: q.domein, overdue: q.teLaat.unwrap_or(false), open: q.open.unwrap_or(false) };
    let l = s.app.support_requests(&rc.ctx, &query).await.map_err(err)?;
    Ok(Json(VragenLijst {
        vragen: l
            .rows
            .iter()
            .map(|r| VraagKort {
                id: r.id,
                kenmerk: r.reference.clone(),
                domein: r.domain.clone(),
                regioId: r.region_id,
                regio: r.region_name.clone(),
                status: r.status.clone(),
                ingediendOp: r.submitted_on.clone(),
                streefdatum: r.due_on.clone(),
                teLaat: l.overdue.contains(&r.id),
                termijnOp: r.deadline_on.clone(),
            })
            .collect(),
        doorlooptijden: l.targets.iter().map(|(d, n)| Doorlooptijd { domein: d.code().into(), dagen: *n }).collect(),
    }))
}

/// Ondersteuning vragen aan het LIEC (RIEC-medewerkers, voor hun regio).
#[utoipa::path(post, path = "/ondersteuningsvragen", tag = "ondersteuning", request_body = NieuweVraag,
    responses((status = 201, body = Ondersteuningsvraag), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn create(State(s): State<AppState>, Api(rc): Api, ApiJson(b): ApiJson<NieuweVraag>) -> Result<(StatusCode, Json<Ondersteuningsvraag>), Response> {
    let input = SupportInput {
        region_id: b.regioId,
        domain: b.domein.unwrap_or_default(),
        question: b.vraag.unwrap_or_default(),
        case_reference: b.casusKenmerk.unwrap_or_default(),
        desired_on: b.gewenstOp.unwrap_or_default(),
        deadline_on: b.termijnOp.unwrap_or_default(),
        bibob: b.bibob.map(BibobGegevens::input).unwrap_or_default(),
    };
    let vid = s.app.ask_support(&rc.ctx, &input).await.map_err(err)?;
    Ok((StatusCode::CREATED, view(&s, &rc, vid).await?))
}

/// Eén ondersteuningsvraag met berichten, bijlagen en de stappen die u kunt zetten.
#[utoipa::path(get, path = "/ondersteuningsvragen/{id}", tag = "ondersteuning", params(("id" = i64, Path, description = "Id van de vraag")),
    responses((status = 200, body = Ondersteuningsvraag), (status = 404, body = Problem)))]
pub async fn get(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>) -> ApiResult<Ondersteuningsvraag> {
    view(&s, &rc, id(&raw).map_err(err)?).await
}

/// Een stap zetten: het LIEC pakt op, vraagt informatie of antwoordt; de regio vult aan, stelt
/// een vervolgvraag, sluit of trekt in. 409 bij een verouderde versie of een stap die nu niet kan.
#[utoipa::path(post, path = "/ondersteuningsvragen/{id}/_stap", tag = "ondersteuning", params(("id" = i64, Path, description = "Id van de vraag")), request_body = Vraagstap,
    responses((status = 200, body = Ondersteuningsvraag), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn step(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<Vraagstap>) -> ApiResult<Ondersteuningsvraag> {
    let vid = id(&raw).map_err(err)?;
    let Some(version) = b.versie else {
        return Err(err(AppError::Invalid(knooppunt_domain::Invalid::one("versie", "Stuur de versie mee die u het laatst las."))));
    };
    s.app.support_step(&rc.ctx, vid, b.stap.as_deref().unwrap_or(""), version, b.tekst.as_deref().unwrap_or("")).await.map_err(err)?;
    view(&s, &rc, vid).await
}

/// Een bijlage toevoegen (multipart/form-data, veld `bestand`); niet aan een gesloten vraag.
#[utoipa::path(post, path = "/ondersteuningsvragen/{id}/bijlagen", tag = "ondersteuning", params(("id" = i64, Path, description = "Id van de vraag")),
    request_body(content = super::signals::BijlageUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = Ondersteuningsvraag), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn upload(
    State(s): State<AppState>,
    Api(rc): Api,
    Path(raw): Path<String>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<(StatusCode, Json<Ondersteuningsvraag>), Response> {
    let vid = id(&raw).map_err(err)?;
    let multipart = multipart.map_err(|_| {
        Problem::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "Mediatype niet ondersteund").detail("Stuur het bestand als multipart/form-data in het veld 'bestand'.").into_response()
    })?;
    let (_, name, data) = crate::ui::read_upload(multipart).await.map_err(|m| err(knooppunt_domain::Invalid::one("bestand", m).into()))?;
    s.app.add_support_attachment(&rc.ctx, vid, &name, &data).await.map_err(err)?;
    Ok((StatusCode::CREATED, view(&s, &rc, vid).await?))
}

/// Een bijlage downloaden.
#[utoipa::path(get, path = "/ondersteuningsvragen/{id}/bijlagen/{bijlageId}", tag = "ondersteuning",
    params(("id" = i64, Path, description = "Id van de vraag"), ("bijlageId" = i64, Path, description = "Id van de bijlage")),
    responses((status = 200, description = "De inhoud van de bijlage"), (status = 404, body = Problem)))]
pub async fn download(State(s): State<AppState>, Api(rc): Api, Path((raw, raw_aid)): Path<(String, String)>) -> Result<Response, Response> {
    let vid = id(&raw).map_err(err)?;
    let aid = raw_aid.parse::<i64>().map_err(|_| err(AppError::NotFound("bijlage")))?;
    let (meta, data) = s.app.support_attachment(&rc.ctx, vid, aid).await.map_err(err)?;
    Ok(crate::ui::file_download(&meta.content_type, &meta.file_name, data))
}

/// De vraag en het laatste antwoord, geanonimiseerd, om te controleren voordat het LIEC ze als
/// vraag en antwoord aanbiedt.
#[utoipa::path(get, path = "/ondersteuningsvragen/{id}/kennisitem-concept", tag = "ondersteuning", params(("id" = i64, Path, description = "Id van de vraag")),
    responses((status = 200, body = KennisitemConcept), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn faq_draft(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>) -> ApiResult<KennisitemConcept> {
    let d = s.app.support_faq_draft(&rc.ctx, id(&raw).map_err(err)?).await.map_err(err)?;
    Ok(Json(KennisitemConcept { titel: d.title, vraag: d.question, antwoord: d.answer, vervangen: d.redactions.total() }))
}

/// Het antwoord als vraag-en-antwoord-kennisitem aanbieden aan de kennisredactie (het LIEC);
/// tekst waarin de anonimisering nog iets vindt, wordt geweigerd.
#[utoipa::path(post, path = "/ondersteuningsvragen/{id}/_kennisitem", tag = "ondersteuning", params(("id" = i64, Path, description = "Id van de vraag")),
    request_body = NieuwKennisitem,
    responses((status = 201, body = AangebodenKennisitem), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn faq_offer(
    State(s): State<AppState>,
    Api(rc): Api,
    Path(raw): Path<String>,
    ApiJson(b): ApiJson<NieuwKennisitem>,
) -> Result<(StatusCode, Json<AangebodenKennisitem>), Response> {
    let vid = id(&raw).map_err(err)?;
    let input =
        FaqInput { title: b.titel.unwrap_or_default(), question: b.vraag.unwrap_or_default(), answer: b.antwoord.unwrap_or_default(), audience: b.publiek.unwrap_or_default() };
    let item = s.app.offer_support_faq(&rc.ctx, vid, &input).await.map_err(err)?;
    let Json(vraag) = view(&s, &rc, vid).await?;
    Ok((StatusCode::CREATED, Json(AangebodenKennisitem { kennisitemId: item, vraag })))
}

/// De doorlooptijd van een domein vaststellen (het LIEC); geldt voor vragen die vanaf nu
/// binnenkomen.
#[utoipa::path(put, path = "/ondersteuningsdoorlooptijden/{domein}", tag = "ondersteuning", params(("domein" = String, Path, description = "Code van het domein")),
    request_body = NieuweDoorlooptijd,
    responses((status = 200, body = Doorlooptijd), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn set_target(State(s): State<AppState>, Api(rc): Api, Path(domain): Path<String>, ApiJson(b): ApiJson<NieuweDoorlooptijd>) -> ApiResult<Doorlooptijd> {
    let days = b.dagen.map(|d| d.to_string()).unwrap_or_default();
    s.app.set_support_target(&rc.ctx, &domain, &days).await.map_err(err)?;
    Ok(Json(Doorlooptijd { domein: domain, dagen: b.dagen.unwrap_or_default() }))
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // documents the query parameters, which are read as pairs (`opschortingen` repeats)
pub struct BibobVraag {
    /// De dag waarop de adviesaanvraag binnenkwam (`jjjj-mm-dd` of `dd-mm-jjjj`).
    ontvangenOp: Option<String>,
    /// 0 tot en met 4.
    verlengingWeken: Option<String>,
    /// Een opschorting als `van/tot`, bijvoorbeeld `2026-01-15/2026-01-25`; mag vaker voorkomen.
    opschortingen: Option<Vec<String>>,
}

/// De Bibob-adviestermijn berekenen: acht weken na ontvangst, plus de verlenging (hoogstens vier
/// weken), plus de dagen dat de termijn stilstond; een laatste dag in het weekend of op een
/// feestdag schuift naar de volgende werkdag. Er wordt niets opgeslagen.
#[utoipa::path(get, path = "/bibob-termijn", tag = "ondersteuning", params(BibobVraag),
    responses((status = 200, body = BibobTermijn), (status = 400, body = Problem)))]
pub async fn bibob(Api(_rc): Api, Query(pairs): Query<Vec<(String, String)>>) -> ApiResult<BibobTermijn> {
    let mut input = BibobInput::default();
    let mut invalid = knooppunt_domain::Invalid::default();
    for (k, v) in pairs {
        match k.as_str() {
            "ontvangenOp" => input.received = v,
            "verlengingWeken" => input.extension_weeks = v,
            "opschortingen" => match v.split_once('/') {
                Some((a, b)) => input.suspensions.push((a.to_string(), b.to_string())),
                None => invalid.push("opschortingen", "Schrijf een opschorting als van/tot, bijvoorbeeld 2026-01-15/2026-01-25."),
            },
            other => invalid.push(other, "Onbekende parameter; gebruik ontvangenOp, verlengingWeken en opschortingen."),
        }
    }
    invalid.into_result().map_err(|i| err(i.into()))?;
    let p = knooppunt_app::support::bibob(&input).map_err(|i| err(i.into()))?;
    Ok(Json(BibobTermijn { termijnOp: p.deadline, opgeschortDagen: p.suspended_days, berekening: p.steps }))
}
