//! `/verzoeken-betrokkenen`: requests of data subjects across the partners.

use super::wire::utc;
use super::{err, Api, ApiJson, ApiResult};
use crate::problem::Problem;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use knooppunt_app::subject_requests::{Answer, PositionInput, RequestInput, RequestView};
use knooppunt_app::subject_requests::{PartnerRow, RequestRow};
use knooppunt_app::AppError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(non_snake_case)]
pub struct Verzoek {
    pub id: i64,
    pub kenmerk: String,
    /// `inzage`, `rectificatie`, `wissing`, `beperking` of `bezwaar`.
    pub soort: String,
    pub ontvangenDoor: String,
    pub ontvangenDoorId: i64,
    /// JJJJ-MM-DD.
    pub ontvangenOp: String,
    /// `bsn` of `kvk`.
    pub nummersoort: String,
    pub nummer: String,
    pub naam: String,
    pub identiteitVastgesteld: bool,
    pub identiteitstoelichting: String,
    pub vraag: String,
    /// De termijn die geldt (JJJJ-MM-DD), verlengd of niet.
    pub termijn: String,
    pub verlengingsreden: String,
    pub afgerondOp: Option<DateTime<Utc>>,
    pub partnersGevraagd: i64,
    pub standpuntenVastgelegd: i64,
}

impl From<&RequestRow> for Verzoek {
    fn from(r: &RequestRow) -> Self {
        Self {
            id: r.id,
            kenmerk: r.reference.clone(),
            soort: r.kind.clone(),
            ontvangenDoor: r.received_by_name.clone(),
            ontvangenDoorId: r.received_by,
            ontvangenOp: r.received_on.clone(),
            nummersoort: r.identifier_kind.clone(),
            nummer: r.identifier.clone(),
            naam: r.name.clone(),
            identiteitVastgesteld: r.identity_checked,
            identiteitstoelichting: r.identity_note.clone(),
            vraag: r.question.clone(),
            termijn: if r.extended_to.is_empty() { r.deadline.clone() } else { r.extended_to.clone() },
            verlengingsreden: r.extension_reason.clone(),
            afgerondOp: r.closed_at.map(utc),
            partnersGevraagd: r.partners,
            standpuntenVastgelegd: r.decided,
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(non_snake_case)]
pub struct PartnerStandpunt {
    pub organisatieId: i64,
    pub organisatie: String,
    /// Waarom de partner gevraagd is (aantallen, geen inhoud).
    pub geleverd: String,
    /// Leeg (nog niet), `verstrekken`, `beperken` of `geen-gegevens`.
    pub standpunt: String,
    pub grond: String,
    pub toelichting: String,
    pub vastgelegdDoor: String,
    pub vastgelegdOp: Option<DateTime<Utc>>,
}

impl From<&PartnerRow> for PartnerStandpunt {
    fn from(p: &PartnerRow) -> Self {
        Self {
            organisatieId: p.organisation_id,
            organisatie: p.organisation_name.clone(),
            geleverd: p.supplied.clone(),
            standpunt: p.position.clone(),
            grond: p.ground.clone(),
            toelichting: p.note.clone(),
            vastgelegdDoor: p.decided_by.clone(),
            vastgelegdOp: p.decided_at.map(utc),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(non_snake_case)]
pub struct VerzoekDetail {
    #[serde(flatten)]
    pub verzoek: Verzoek,
    /// Alle partners voor wie het verzoek behandelt; anders alleen de eigen regel.
    pub partners: Vec<PartnerStandpunt>,
    pub magBehandelen: bool,
    pub magStandpuntVastleggen: bool,
    pub termijnVerstreken: bool,
    pub magVerlengen: bool,
}

impl From<&RequestView> for VerzoekDetail {
    fn from(v: &RequestView) -> Self {
        Self {
            verzoek: Verzoek::from(&v.request),
            partners: v.partners.iter().map(PartnerStandpunt::from).collect(),
            magBehandelen: v.can_manage,
            magStandpuntVastleggen: v.answers_for.is_some(),
            termijnVerstreken: v.overdue,
            magVerlengen: v.extendable,
        }
    }
}

/// Verzoeken van betrokkenen die u mag zien.
#[utoipa::path(get, path = "/verzoeken-betrokkenen", tag = "verzoeken-betrokkenen", responses((status = 200, body = [Verzoek]), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list(State(s): State<AppState>, Api(rc): Api) -> ApiResult<Vec<Verzoek>> {
    let rows = s.app.subject_requests(&rc.ctx).await.map_err(err)?;
    Ok(Json(rows.iter().map(Verzoek::from).collect()))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(non_snake_case)]
pub struct NieuwVerzoek {
    pub soort: Option<String>,
    /// JJJJ-MM-DD of dd-mm-jjjj.
    pub ontvangenOp: Option<String>,
    pub nummersoort: Option<String>,
    pub nummer: Option<String>,
    pub naam: Option<String>,
    pub identiteitVastgesteld: Option<bool>,
    pub identiteitstoelichting: Option<String>,
    pub vraag: Option<String>,
}

/// Een verzoek registreren dat uw organisatie ontving; het gaat naar elke partner die gegevens over de persoon leverde.
#[utoipa::path(post, path = "/verzoeken-betrokkenen", tag = "verzoeken-betrokkenen", request_body = NieuwVerzoek,
    responses((status = 200, body = VerzoekDetail), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn create(State(s): State<AppState>, Api(rc): Api, ApiJson(b): ApiJson<NieuwVerzoek>) -> ApiResult<VerzoekDetail> {
    let input = RequestInput {
        kind: b.soort.unwrap_or_default(),
        received_on: b.ontvangenOp.unwrap_or_default(),
        identifier_kind: b.nummersoort.unwrap_or_default(),
        identifier: b.nummer.unwrap_or_default(),
        name: b.naam.unwrap_or_default(),
        identity_checked: b.identiteitVastgesteld.unwrap_or(false),
        identity_note: b.identiteitstoelichting.unwrap_or_default(),
        question: b.vraag.unwrap_or_default(),
    };
    let id = s.app.register_subject_request(&rc.ctx, &input).await.map_err(err)?;
    let v = s.app.subject_request(&rc.ctx, id).await.map_err(err)?;
    Ok(Json(VerzoekDetail::from(&v)))
}

fn id_of(raw: &str) -> Result<i64, AppError> {
    raw.parse::<i64>().map_err(|_| AppError::NotFound("verzoek"))
}

/// Eén verzoek.
#[utoipa::path(get, path = "/verzoeken-betrokkenen/{id}", tag = "verzoeken-betrokkenen", params(("id" = i64, Path, description = "Id van het verzoek")),
    responses((status = 200, body = VerzoekDetail), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get(State(s): State<AppState>, Api(rc): Api, Path(id): Path<String>) -> ApiResult<VerzoekDetail> {
    let v = s.app.subject_request(&rc.ctx, id_of(&id).map_err(err)?).await.map_err(err)?;
    Ok(Json(VerzoekDetail::from(&v)))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NieuwStandpunt {
    /// `verstrekken`, `beperken` of `geen-gegevens`.
    pub standpunt: Option<String>,
    /// Bij beperken: `art-23-avg`, `wpg`, `wjsg` of `lopend-onderzoek`.
    pub grond: Option<String>,
    pub toelichting: Option<String>,
}

/// Het standpunt van uw organisatie vastleggen.
#[utoipa::path(post, path = "/verzoeken-betrokkenen/{id}/standpunten", tag = "verzoeken-betrokkenen", params(("id" = i64, Path, description = "Id van het verzoek")), request_body = NieuwStandpunt,
    responses((status = 200, body = VerzoekDetail), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn position(State(s): State<AppState>, Api(rc): Api, Path(id): Path<String>, ApiJson(b): ApiJson<NieuwStandpunt>) -> ApiResult<VerzoekDetail> {
    let id = id_of(&id).map_err(err)?;
    let input = PositionInput { position: b.standpunt.unwrap_or_default(), ground: b.grond.unwrap_or_default(), note: b.toelichting.unwrap_or_default() };
    s.app.record_position(&rc.ctx, id, &input).await.map_err(err)?;
    let v = s.app.subject_request(&rc.ctx, id).await.map_err(err)?;
    Ok(Json(VerzoekDetail::from(&v)))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TermijnVerlenging {
    /// 1 of 2.
    pub maanden: Option<i64>,
    pub reden: Option<String>,
}

/// De termijn één keer verlengen met 1 of 2 maanden, binnen de eerste maand, met een reden.
#[utoipa::path(post, path = "/verzoeken-betrokkenen/{id}/_verlengen", tag = "verzoeken-betrokkenen", params(("id" = i64, Path, description = "Id van het verzoek")), request_body = TermijnVerlenging,
    responses((status = 200, body = VerzoekDetail), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn extend(State(s): State<AppState>, Api(rc): Api, Path(id): Path<String>, ApiJson(b): ApiJson<TermijnVerlenging>) -> ApiResult<VerzoekDetail> {
    let id = id_of(&id).map_err(err)?;
    let months = b.maanden.map(|m| m.to_string()).unwrap_or_default();
    s.app.extend_subject_request(&rc.ctx, id, &months, &b.reden.unwrap_or_default()).await.map_err(err)?;
    let v = s.app.subject_request(&rc.ctx, id).await.map_err(err)?;
    Ok(Json(VerzoekDetail::from(&v)))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct Leeg {}

/// Het verzoek afronden (als elke partner zijn standpunt vastlegde).
#[utoipa::path(post, path = "/verzoeken-betrokkenen/{id}/_afronden", tag = "verzoeken-betrokkenen", params(("id" = i64, Path, description = "Id van het verzoek")), request_body = Leeg,
    responses((status = 200, body = VerzoekDetail), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn close(State(s): State<AppState>, Api(rc): Api, Path(id): Path<String>, ApiJson(_): ApiJson<Leeg>) -> ApiResult<VerzoekDetail> {
    let id = id_of(&id).map_err(err)?;
    s.app.close_subject_request(&rc.ctx, id).await.map_err(err)?;
    let v = s.app.subject_request(&rc.ctx, id).await.map_err(err)?;
    Ok(Json(VerzoekDetail::from(&v)))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(non_snake_case)]
pub struct GeleverdeRegistratie {
    pub dossier: String,
    pub naam: String,
    pub geboortedatum: String,
    pub adres: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(non_snake_case)]
pub struct GeleverdeBijdrage {
    pub dossier: String,
    pub titel: String,
    pub datum: String,
    pub grondslag: String,
    pub inhoud: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(non_snake_case)]
pub struct AntwoordPartner {
    pub organisatie: String,
    pub standpunt: String,
    pub grond: String,
    pub toelichting: String,
    pub registraties: Vec<GeleverdeRegistratie>,
    pub informatiebijdragen: Vec<GeleverdeBijdrage>,
    /// Wie de gegevens die deze partner leverde heeft verwerkt (uit het verwerkingenlogboek), alleen bij verstrekken.
    pub verwerkingen: Vec<VerwerkingDoor>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(non_snake_case)]
pub struct VerwerkingDoor {
    /// De organisatie die verwerkte; leeg voor de automatische vergelijking tussen regio's door knooppunt zelf.
    pub organisatie: String,
    /// De verwerkingsactiviteit (code in het register van verwerkingsactiviteiten).
    pub verwerking: String,
    pub aantal: i64,
    pub eersteKeer: DateTime<Utc>,
    pub laatsteKeer: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(non_snake_case)]
pub struct Antwoord {
    pub kenmerk: String,
    pub soort: String,
    pub aan: String,
    pub ontvangenDoor: String,
    pub ontvangenOp: String,
    pub termijn: String,
    /// Per partner, in zijn eigen naam.
    pub partners: Vec<AntwoordPartner>,
    /// Als oudere regels van het verwerkingenlogboek zijn gearchiveerd: het moment vanaf wanneer de overzichten van wie de gegevens verwerkte, volledig zijn.
    pub verwerkingenVanaf: Option<DateTime<Utc>>,
    /// Dezelfde mededeling in woorden, zoals in het antwoord aan de betrokkene.
    pub mededelingLogarchief: Option<String>,
}

fn antwoord(a: &Answer) -> Antwoord {
    Antwoord {
        kenmerk: a.request.reference.clone(),
        soort: a.request.kind.clone(),
        aan: a.request.name.clone(),
        ontvangenDoor: a.request.received_by_name.clone(),
        ontvangenOp: a.request.received_on.clone(),
        termijn: a.deadline.clone(),
        partners: a
            .parts
            .iter()
            .map(|p| AntwoordPartner {
                organisatie: p.partner.organisation_name.clone(),
                standpunt: p.partner.position.clone(),
                grond: p.partner.ground.clone(),
                toelichting: p.partner.note.clone(),
                registraties: p
                    .subjects
                    .iter()
                    .map(|x| GeleverdeRegistratie {
                        dossier: x.case_reference.clone(),
                        naam: x.display_name.clone(),
                        geboortedatum: x.birth_date.clone(),
                        adres: x.address.clone(),
                    })
                    .collect(),
                informatiebijdragen: p
                    .items
                    .iter()
                    .map(|x| GeleverdeBijdrage {
                        dossier: x.case_reference.clone(),
                        titel: x.title.clone(),
                        datum: x.info_date.clone(),
                        grondslag: x.legal_basis.clone(),
                        inhoud: x.body.clone(),
                    })
                    .collect(),
                verwerkingen: p
                    .processing
                    .iter()
                    .map(|x| VerwerkingDoor {
                        organisatie: x.organisation.clone(),
                        verwerking: x.activity_code.clone(),
                        aantal: x.times,
                        eersteKeer: utc(x.first_at),
                        laatsteKeer: utc(x.last_at),
                    })
                    .collect(),
            })
            .collect(),
        verwerkingenVanaf: a.log_archived_until.map(utc),
        mededelingLogarchief: crate::ui::archive_note(a),
    }
}

/// The machine-readable answer, as the API and the UI's download give it.
pub(crate) fn answer_document(a: &Answer) -> serde_json::Value {
    serde_json::to_value(antwoord(a)).unwrap_or_default()
}

/// Het antwoord per partner: standpunt, grond en — bij verstrekken — wat de partner over de persoon heeft en wie die gegevens verwerkte (de ontvangende partner en de privacyfunctionaris). Met `Accept: application/pdf` als PDF-document om te versturen.
#[utoipa::path(get, path = "/verzoeken-betrokkenen/{id}/antwoord", tag = "verzoeken-betrokkenen", params(("id" = i64, Path, description = "Id van het verzoek")),
    responses((status = 200, description = "Het antwoord", content((Antwoord = "application/json"), (Vec<u8> = "application/pdf"))), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn answer(State(s): State<AppState>, Api(rc): Api, Path(id): Path<String>, headers: HeaderMap) -> Result<Response, Response> {
    let a = s.app.subject_request_answer(&rc.ctx, id_of(&id).map_err(err)?).await.map_err(err)?;
    let wants_pdf = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("application/pdf") && !v.contains("application/json"));
    if wants_pdf {
        let bytes = knooppunt_pdf::render(&crate::ui::answer_pdf_document(&a)).map_err(|e| err(AppError::Internal(e.to_string())))?;
        let name = format!("attachment; filename=\"antwoord-{}.pdf\"", a.request.reference);
        return Ok(([(header::CONTENT_TYPE, "application/pdf".to_string()), (header::CONTENT_DISPOSITION, name)], bytes).into_response());
    }
    Ok(Json(antwoord(&a)).into_response())
}
