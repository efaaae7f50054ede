//! `/landelijke-aanpakken`: national approaches of the LIEC that link cases of several regions
//! (each with its owner's consent), with participants, actions, progress and figures. An
//! approach the caller may not see answers 404; the cases in it stay behind their own
//! need-to-know (references and regions only).

#![allow(non_snake_case)] // field names are the JSON names

use super::wire::utc;
use super::{err, Api, ApiJson, ApiResult};
use crate::problem::Problem;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use knooppunt_app::approaches::{ApproachSummary, ApproachView};
use knooppunt_app::AppError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

fn id(raw: &str) -> Result<i64, AppError> {
    raw.parse::<i64>().map_err(|_| AppError::NotFound("landelijke aanpak"))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AanpakSamenvatting {
    pub id: i64,
    pub titel: String,
    /// `lopend` of `afgerond`.
    pub status: String,
    /// Casussen die deelnemen (akkoord van de eigenaar) en uit hoeveel regio's.
    pub casussen: usize,
    pub regios: usize,
    pub openActies: usize,
    pub geopendOp: DateTime<Utc>,
}

impl From<&ApproachSummary> for AanpakSamenvatting {
    fn from(s: &ApproachSummary) -> Self {
        AanpakSamenvatting {
            id: s.approach.id,
            titel: s.approach.title.clone(),
            status: s.approach.status.clone(),
            casussen: s.joined,
            regios: s.regions,
            openActies: s.actions_open,
            geopendOp: utc(s.approach.created_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AanpakLijst {
    pub aanpakken: Vec<AanpakSamenvatting>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AanpakCasus {
    pub casusId: i64,
    pub casusKenmerk: String,
    pub regio: String,
    /// `gevraagd`, `akkoord` of `geweigerd` (door de eigenaar van de casus).
    pub status: String,
    pub gevraagdDoor: String,
    pub besloten: Option<String>,
    pub reden: String,
    /// Of u over deelname van deze casus besluit.
    pub uBesluit: bool,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GevraagdKenmerk {
    pub casusKenmerk: String,
    pub gevraagdDoor: String,
    pub gevraagdOp: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AanpakDeelnemer {
    pub organisatieId: i64,
    pub organisatie: String,
    pub rol: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AanpakActie {
    pub id: i64,
    pub titel: String,
    pub eigenaar: String,
    /// `jjjj-mm-dd`, of leeg.
    pub deadline: String,
    /// `open` of `gereed`.
    pub status: String,
    pub gereedDoor: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AanpakCijfers {
    pub deelnemendeCasussen: usize,
    pub regios: usize,
    pub openVerzoeken: usize,
    pub geweigerd: usize,
    pub deelnemers: usize,
    pub openActies: usize,
    pub gereedActies: usize,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Aanpak {
    pub id: i64,
    pub titel: String,
    pub omschrijving: String,
    pub status: String,
    pub voortgang: String,
    pub geopendDoor: String,
    pub geopendOp: DateTime<Utc>,
    pub bijgewerktOp: DateTime<Utc>,
    pub versie: i64,
    /// De deelnemende casussen, de verzoeken aan de eigen regio('s) en voor het LIEC de verzoeken
    /// waarover de eigenaar besloot.
    pub casussen: Vec<AanpakCasus>,
    /// Alleen voor het LIEC: gevraagde kenmerken waarover nog niet is besloten. Of er een casus
    /// met dat kenmerk bestaat, en in welke regio, blijkt pas uit het besluit van de eigenaar.
    pub gevraagdeKenmerken: Vec<GevraagdKenmerk>,
    pub deelnemers: Vec<AanpakDeelnemer>,
    pub acties: Vec<AanpakActie>,
    pub cijfers: AanpakCijfers,
}

impl From<&ApproachView> for Aanpak {
    fn from(v: &ApproachView) -> Self {
        let a = &v.approach;
        let f = &v.figures;
        Aanpak {
            id: a.id,
            titel: a.title.clone(),
            omschrijving: a.description.clone(),
            status: a.status.clone(),
            voortgang: a.progress.clone(),
            geopendDoor: a.created_by.clone(),
            geopendOp: utc(a.created_at),
            bijgewerktOp: utc(a.updated_at),
            versie: a.version,
            casussen: v
                .cases
                .iter()
                .map(|c| AanpakCasus {
                    casusId: c.case_id,
                    casusKenmerk: c.reference.clone(),
                    regio: c.region_name.clone(),
                    status: c.status.clone(),
                    gevraagdDoor: c.requested_by.clone(),
                    besloten: (!c.decided_by.is_empty()).then(|| c.decided_by.clone()),
                    reden: c.reason.clone(),
                    uBesluit: v.decidable.contains(&c.case_id),
                })
                .collect(),
            gevraagdeKenmerken: v
                .asked
                .iter()
                .map(|a| GevraagdKenmerk { casusKenmerk: a.reference.clone(), gevraagdDoor: a.asked_by.clone(), gevraagdOp: utc(a.asked_at) })
                .collect(),
            deelnemers: v
                .participants
                .iter()
                .map(|p| AanpakDeelnemer { organisatieId: p.organisation_id, organisatie: p.organisation_name.clone(), rol: p.part.clone() })
                .collect(),
            acties: v
                .actions
                .iter()
                .map(|x| AanpakActie {
                    id: x.id,
                    titel: x.title.clone(),
                    eigenaar: x.owner.clone(),
                    deadline: x.due.clone(),
                    status: x.status.clone(),
                    gereedDoor: x.done_by.clone(),
                })
                .collect(),
            cijfers: AanpakCijfers {
                deelnemendeCasussen: f.joined,
                regios: f.regions,
                openVerzoeken: f.asked,
                geweigerd: f.refused,
                deelnemers: f.participants,
                openActies: f.actions_open,
                gereedActies: f.actions_done,
            },
        }
    }
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NieuweAanpak {
    pub titel: Option<String>,
    pub omschrijving: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CasusVerzoek {
    /// Het kenmerk van de casus, bijvoorbeeld uit het landelijke overzicht van treffers.
    pub casusKenmerk: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CasusBesluit {
    pub akkoord: Option<bool>,
    /// Verplicht bij weigeren.
    pub reden: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NieuweDeelnemer {
    pub organisatieId: Option<i64>,
    /// De rol in de aanpak, bijvoorbeeld "strafrechtelijk onderzoek" of "bestuurlijke handhaving".
    pub rol: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NieuweActie {
    pub titel: Option<String>,
    pub eigenaar: Option<String>,
    /// `jjjj-mm-dd`.
    pub deadline: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Voortgang {
    pub voortgang: Option<String>,
    /// `lopend` of `afgerond`.
    pub status: Option<String>,
    pub versie: Option<i64>,
}

async fn view(s: &AppState, rc: &crate::context::RequestCtx, aid: i64) -> ApiResult<Aanpak> {
    Ok(Json(Aanpak::from(&s.app.approach(&rc.ctx, aid).await.map_err(err)?)))
}

/// De landelijke aanpakken die u mag zien: alle (LIEC), of die met een casus van uw regio of
/// met uw organisatie als deelnemer.
#[utoipa::path(get, path = "/landelijke-aanpakken", tag = "landelijke-aanpakken", responses((status = 200, body = AanpakLijst)))]
pub async fn list(State(s): State<AppState>, Api(rc): Api) -> ApiResult<AanpakLijst> {
    let l = s.app.list_approaches(&rc.ctx).await.map_err(err)?;
    Ok(Json(AanpakLijst { aanpakken: l.iter().map(AanpakSamenvatting::from).collect() }))
}

/// Een landelijke aanpak openen (LIEC-coördinator).
#[utoipa::path(post, path = "/landelijke-aanpakken", tag = "landelijke-aanpakken", request_body = NieuweAanpak,
    responses((status = 201, body = Aanpak), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn create(State(s): State<AppState>, Api(rc): Api, ApiJson(b): ApiJson<NieuweAanpak>) -> Result<(StatusCode, Json<Aanpak>), axum::response::Response> {
    let aid = s.app.open_approach(&rc.ctx, b.titel.as_deref().unwrap_or(""), b.omschrijving.as_deref().unwrap_or("")).await.map_err(err)?;
    Ok((StatusCode::CREATED, view(&s, &rc, aid).await?))
}

/// Eén landelijke aanpak met casussen, deelnemers, acties, voortgang en cijfers.
#[utoipa::path(get, path = "/landelijke-aanpakken/{id}", tag = "landelijke-aanpakken", params(("id" = i64, Path, description = "Id van de aanpak")),
    responses((status = 200, body = Aanpak), (status = 404, body = Problem)))]
pub async fn get(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>) -> ApiResult<Aanpak> {
    view(&s, &rc, id(&raw).map_err(err)?).await
}

/// Een casus vragen deel te nemen (LIEC-coördinator); de eigenaar van de casus besluit.
#[utoipa::path(post, path = "/landelijke-aanpakken/{id}/casussen", tag = "landelijke-aanpakken", params(("id" = i64, Path, description = "Id van de aanpak")), request_body = CasusVerzoek,
    responses((status = 200, body = Aanpak), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn ask_case(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<CasusVerzoek>) -> ApiResult<Aanpak> {
    let aid = id(&raw).map_err(err)?;
    s.app.ask_case(&rc.ctx, aid, b.casusKenmerk.as_deref().unwrap_or("")).await.map_err(err)?;
    view(&s, &rc, aid).await
}

/// Besluiten over deelname van uw casus: akkoord, of weigeren met een reden (analist of
/// manager van het RIEC van de casus).
#[utoipa::path(post, path = "/landelijke-aanpakken/{id}/casussen/{casusId}/_besluit", tag = "landelijke-aanpakken",
    params(("id" = i64, Path, description = "Id van de aanpak"), ("casusId" = i64, Path, description = "Id van de casus")), request_body = CasusBesluit,
    responses((status = 200, body = Aanpak), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn decide_case(State(s): State<AppState>, Api(rc): Api, Path((raw, case)): Path<(String, String)>, ApiJson(b): ApiJson<CasusBesluit>) -> ApiResult<Aanpak> {
    let aid = id(&raw).map_err(err)?;
    let case_id = case.parse::<i64>().map_err(|_| err(AppError::NotFound("casus in deze aanpak")))?;
    let Some(agree) = b.akkoord else {
        return Err(err(AppError::Invalid(knooppunt_domain::Invalid::one("akkoord", "Kies akkoord (true) of weigeren (false)."))));
    };
    s.app.decide_approach_case(&rc.ctx, aid, case_id, agree, b.reden.as_deref().unwrap_or("")).await.map_err(err)?;
    view(&s, &rc, aid).await
}

/// Een deelnemende organisatie toevoegen (LIEC-coördinator).
#[utoipa::path(post, path = "/landelijke-aanpakken/{id}/deelnemers", tag = "landelijke-aanpakken", params(("id" = i64, Path, description = "Id van de aanpak")), request_body = NieuweDeelnemer,
    responses((status = 200, body = Aanpak), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn add_participant(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<NieuweDeelnemer>) -> ApiResult<Aanpak> {
    let aid = id(&raw).map_err(err)?;
    s.app.add_approach_participant(&rc.ctx, aid, b.organisatieId, b.rol.as_deref().unwrap_or("")).await.map_err(err)?;
    view(&s, &rc, aid).await
}

/// Een actie afspreken (LIEC-coördinator).
#[utoipa::path(post, path = "/landelijke-aanpakken/{id}/acties", tag = "landelijke-aanpakken", params(("id" = i64, Path, description = "Id van de aanpak")), request_body = NieuweActie,
    responses((status = 200, body = Aanpak), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn add_action(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<NieuweActie>) -> ApiResult<Aanpak> {
    let aid = id(&raw).map_err(err)?;
    s.app.add_approach_action(&rc.ctx, aid, b.titel.as_deref().unwrap_or(""), b.eigenaar.as_deref().unwrap_or(""), b.deadline.as_deref().unwrap_or("")).await.map_err(err)?;
    view(&s, &rc, aid).await
}

/// Een actie gereed melden (LIEC of een deelnemende organisatie).
#[utoipa::path(post, path = "/landelijke-aanpakken/{id}/acties/{actieId}/_gereed", tag = "landelijke-aanpakken",
    params(("id" = i64, Path, description = "Id van de aanpak"), ("actieId" = i64, Path, description = "Id van de actie")),
    responses((status = 200, body = Aanpak), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn finish_action(State(s): State<AppState>, Api(rc): Api, Path((raw, action)): Path<(String, String)>) -> ApiResult<Aanpak> {
    let aid = id(&raw).map_err(err)?;
    let action_id = action.parse::<i64>().map_err(|_| err(AppError::NotFound("actie")))?;
    s.app.finish_approach_action(&rc.ctx, aid, action_id).await.map_err(err)?;
    view(&s, &rc, aid).await
}

/// De voortgang en status vastleggen (LIEC-coördinator); 409 bij een verouderde versie.
#[utoipa::path(post, path = "/landelijke-aanpakken/{id}/_voortgang", tag = "landelijke-aanpakken", params(("id" = i64, Path, description = "Id van de aanpak")), request_body = Voortgang,
    responses((status = 200, body = Aanpak), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn progress(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<Voortgang>) -> ApiResult<Aanpak> {
    let aid = id(&raw).map_err(err)?;
    let Some(version) = b.versie else {
        return Err(err(AppError::Invalid(knooppunt_domain::Invalid::one("versie", "Stuur de versie mee die u het laatst las."))));
    };
    s.app.record_approach_progress(&rc.ctx, aid, b.voortgang.as_deref().unwrap_or(""), b.status.as_deref().unwrap_or("lopend"), version).await.map_err(err)?;
    view(&s, &rc, aid).await
}
