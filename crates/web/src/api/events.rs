//! `/bijeenkomsten`: the LIEC's events — list and read (without a token: the public ones),
//! create and change (the organisers), and the attendee list for the organisers. Registering
//! is for persons and happens in the UI; an event the caller may not see answers 404.

#![allow(non_snake_case)] // field names are the JSON names

use super::knowledge::Anyone;
use super::wire::utc;
use super::{err, Api, ApiJson};
use crate::problem::Problem;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use chrono::{DateTime, Utc};
use knooppunt_app::events::{EventInput, EventRow};
use knooppunt_app::AppError;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

fn id(raw: &str) -> Result<i64, AppError> {
    raw.parse::<i64>().map_err(|_| AppError::NotFound("bijeenkomst"))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Bijeenkomst {
    pub id: i64,
    /// `themabijeenkomst`, `masterclass` of `aftrap-fenomeentafel`.
    pub soort: String,
    pub titel: String,
    pub thema: String,
    pub beschrijving: String,
    /// `jjjj-mm-dd`.
    pub datum: String,
    /// `uu:mm`, Nederlandse tijd.
    pub begintijd: String,
    pub eindtijd: String,
    pub plaats: String,
    pub online: bool,
    pub capaciteit: i64,
    /// Aanmeldingen met een plaats.
    pub aangemeld: i64,
    pub wachtlijst: i64,
    /// `openbaar` of `netwerk`.
    pub publiek: String,
    /// Aanmelden kan van (`jjjj-mm-dd`) tot en met.
    pub aanmeldenVanaf: String,
    pub aanmeldenTot: String,
    /// Zoveel weken na de bijeenkomst worden de persoonsgegevens van de deelnemers gewist.
    pub bewaartermijnWeken: i64,
    pub wissenOp: String,
    pub versie: i64,
    pub bijgewerktOp: DateTime<Utc>,
}

impl From<&EventRow> for Bijeenkomst {
    fn from(e: &EventRow) -> Self {
        Bijeenkomst {
            id: e.id,
            soort: e.kind.clone(),
            titel: e.title.clone(),
            thema: e.theme.clone(),
            beschrijving: e.description.clone(),
            datum: e.held_on.clone(),
            begintijd: e.starts_at.clone(),
            eindtijd: e.ends_at.clone(),
            plaats: e.place.clone(),
            online: e.online,
            capaciteit: e.capacity,
            aangemeld: e.confirmed,
            wachtlijst: e.waiting,
            publiek: e.audience.clone(),
            aanmeldenVanaf: e.opens_on.clone(),
            aanmeldenTot: e.closes_on.clone(),
            bewaartermijnWeken: e.erase_after_weeks,
            wissenOp: e.erase_on.clone(),
            versie: e.version,
            bijgewerktOp: utc(e.updated_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Bijeenkomstenlijst {
    pub bijeenkomsten: Vec<Bijeenkomst>,
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Bijeenkomstfilter {
    /// `true`: de bijeenkomsten vóór vandaag, laatste eerst; anders de komende, eerste eerst.
    eerder: Option<bool>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BijeenkomstInvoer {
    pub soort: Option<String>,
    pub titel: Option<String>,
    pub thema: Option<String>,
    pub beschrijving: Option<String>,
    /// `jjjj-mm-dd` of `dd-mm-jjjj`.
    pub datum: Option<String>,
    /// `uu:mm`.
    pub begintijd: Option<String>,
    pub eindtijd: Option<String>,
    /// Leeg alleen als `online`.
    pub plaats: Option<String>,
    pub online: Option<bool>,
    /// 1 tot en met 5000.
    pub capaciteit: Option<i64>,
    /// `netwerk` (standaard) of `openbaar`.
    pub publiek: Option<String>,
    /// Leeg: vanaf vandaag (bij een nieuwe bijeenkomst).
    pub aanmeldenVanaf: Option<String>,
    /// Leeg: tot de dag vóór de bijeenkomst.
    pub aanmeldenTot: Option<String>,
    /// 1 tot en met 52; standaard 4.
    pub bewaartermijnWeken: Option<i64>,
    /// Bij wijzigen: de versie die u las.
    pub versie: Option<i64>,
}

impl BijeenkomstInvoer {
    fn input(self) -> EventInput {
        EventInput {
            kind: self.soort.unwrap_or_default(),
            title: self.titel.unwrap_or_default(),
            theme: self.thema.unwrap_or_default(),
            description: self.beschrijving.unwrap_or_default(),
            held_on: self.datum.unwrap_or_default(),
            starts_at: self.begintijd.unwrap_or_default(),
            ends_at: self.eindtijd.unwrap_or_default(),
            place: self.plaats.unwrap_or_default(),
            online: self.online.unwrap_or(false),
            capacity: self.capaciteit.map(|n| n.to_string()).unwrap_or_default(),
            audience: self.publiek.unwrap_or_default(),
            opens_on: self.aanmeldenVanaf.unwrap_or_default(),
            closes_on: self.aanmeldenTot.unwrap_or_default(),
            erase_after_weeks: self.bewaartermijnWeken.map(|n| n.to_string()).unwrap_or_default(),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Bijeenkomstdeelnemer {
    pub id: i64,
    /// Leeg nadat de persoonsgegevens zijn gewist.
    pub naam: String,
    pub eMailadres: String,
    pub organisatie: String,
    pub opmerking: String,
    /// `bevestigd`, `wachtlijst` of `geannuleerd`.
    pub status: String,
    /// De plaats op de wachtlijst (1 is de volgende), anders 0.
    pub wachtlijstplaats: i64,
    pub aangemeldOp: DateTime<Utc>,
    pub geplaatstOp: Option<DateTime<Utc>>,
    pub afgemeldOp: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Deelnemerslijst {
    pub bijeenkomst: Bijeenkomst,
    pub deelnemers: Vec<Bijeenkomstdeelnemer>,
}

/// De bijeenkomsten die u ziet: zonder token de openbare, met token ook die voor het netwerk.
#[utoipa::path(get, path = "/bijeenkomsten", tag = "bijeenkomsten", params(Bijeenkomstfilter), security((), ("bearer" = [])),
    responses((status = 200, body = Bijeenkomstenlijst), (status = 400, body = Problem)))]
pub async fn list(State(s): State<AppState>, Anyone(rc): Anyone, Query(q): Query<Bijeenkomstfilter>) -> Result<Json<Bijeenkomstenlijst>, Response> {
    let l = s.app.events(&rc.ctx, q.eerder.unwrap_or(false)).await.map_err(err)?;
    Ok(Json(Bijeenkomstenlijst { bijeenkomsten: l.rows.iter().map(Bijeenkomst::from).collect() }))
}

/// Eén bijeenkomst; 404 als ze niet bestaat of niet voor u is.
#[utoipa::path(get, path = "/bijeenkomsten/{id}", tag = "bijeenkomsten", params(("id" = i64, Path, description = "Id van de bijeenkomst")), security((), ("bearer" = [])),
    responses((status = 200, body = Bijeenkomst), (status = 404, body = Problem)))]
pub async fn get(State(s): State<AppState>, Anyone(rc): Anyone, Path(raw): Path<String>) -> Result<Json<Bijeenkomst>, Response> {
    let v = s.app.event(&rc.ctx, id(&raw).map_err(err)?).await.map_err(err)?;
    Ok(Json(Bijeenkomst::from(&v.row)))
}

/// Een nieuwe bijeenkomst (LIEC-coördinatoren en kennisredacteuren).
#[utoipa::path(post, path = "/bijeenkomsten", tag = "bijeenkomsten", request_body = BijeenkomstInvoer,
    responses((status = 201, body = Bijeenkomst), (status = 400, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(State(s): State<AppState>, Api(rc): Api, ApiJson(b): ApiJson<BijeenkomstInvoer>) -> Result<(StatusCode, Json<Bijeenkomst>), Response> {
    let eid = s.app.create_event(&rc.ctx, &b.input()).await.map_err(err)?;
    let v = s.app.event(&rc.ctx, eid).await.map_err(err)?;
    Ok((StatusCode::CREATED, Json(Bijeenkomst::from(&v.row))))
}

/// Een bijeenkomst wijzigen (de organisatoren); meer plaatsen geven wachtenden meteen een plaats.
/// 409 als iemand anders haar intussen wijzigde.
#[utoipa::path(put, path = "/bijeenkomsten/{id}", tag = "bijeenkomsten", params(("id" = i64, Path, description = "Id van de bijeenkomst")), request_body = BijeenkomstInvoer,
    responses((status = 200, body = Bijeenkomst), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<BijeenkomstInvoer>) -> Result<Json<Bijeenkomst>, Response> {
    let eid = id(&raw).map_err(err)?;
    let Some(version) = b.versie else {
        return Err(super::missing("versie", "Stuur de versie mee die u las."));
    };
    s.app.update_event(&rc.ctx, eid, version, &b.input()).await.map_err(err)?;
    let v = s.app.event(&rc.ctx, eid).await.map_err(err)?;
    Ok(Json(Bijeenkomst::from(&v.row)))
}

/// De deelnemerslijst met namen en e-mailadressen (de organisatoren; het lezen wordt gelogd).
#[utoipa::path(get, path = "/bijeenkomsten/{id}/deelnemers", tag = "bijeenkomsten", params(("id" = i64, Path, description = "Id van de bijeenkomst")),
    responses((status = 200, body = Deelnemerslijst), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn attendees(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>) -> Result<Json<Deelnemerslijst>, Response> {
    let a = s.app.event_attendees(&rc.ctx, id(&raw).map_err(err)?, false).await.map_err(err)?;
    Ok(Json(Deelnemerslijst {
        bijeenkomst: Bijeenkomst::from(&a.event),
        deelnemers: a
            .rows
            .iter()
            .map(|r| Bijeenkomstdeelnemer {
                id: r.id,
                naam: r.name.clone(),
                eMailadres: r.email.clone(),
                organisatie: r.organisation.clone(),
                opmerking: r.remark.clone(),
                status: r.status.clone(),
                wachtlijstplaats: r.position,
                aangemeldOp: utc(r.registered_at),
                geplaatstOp: r.moved_up_at.map(utc),
                afgemeldOp: r.cancelled_at.map(utc),
            })
            .collect(),
    }))
}
