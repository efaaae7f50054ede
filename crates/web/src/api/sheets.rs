//! `/interventietypen/{code}/interventieblad`: the sheet of an intervention type with its
//! versions and its outcomes so far (counts and amounts over all finished interventions,
//! protected: hidden values are `null`); the LIEC writes a new version. `/interventiebladen`:
//! the sheets that hold a search's words.

#![allow(non_snake_case)] // field names are the JSON names

use super::wire::utc;
use super::{err, Api, ApiJson};
use crate::problem::Problem;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use chrono::{DateTime, Utc};
use knooppunt_app::sheets::{Sheet, SheetHit, SheetInput};
use knooppunt_figures::disclosure::Shown;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Bladversie {
    pub versie: i64,
    pub gewijzigdOp: DateTime<Utc>,
    pub gewijzigdDoor: String,
    pub toelichting: String,
}

/// Wat de afgeronde en gestopte interventies van deze soort opleverden; `null` is afgeschermd.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Opbrengst {
    pub afgerond: Option<u64>,
    pub gestopt: Option<u64>,
    pub samen: Option<u64>,
    /// Hele euro's.
    pub geindEuro: Option<u64>,
    pub verrekendEuro: Option<u64>,
    pub inBeslagEuro: Option<u64>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Interventieblad {
    pub code: String,
    pub naam: String,
    pub soort: String,
    /// De getoonde versie; `null` als er nog geen blad is.
    pub versie: Option<i64>,
    pub nieuwsteVersie: i64,
    pub wat: String,
    pub grondslag: String,
    pub uitvoerder: String,
    pub voorwaarden: String,
    pub jurisprudentie: String,
    pub versies: Vec<Bladversie>,
    pub opbrengst: Opbrengst,
}

fn euros(s: Shown) -> Option<u64> {
    s.value().map(|c| c / 100)
}

impl From<Sheet> for Interventieblad {
    fn from(s: Sheet) -> Self {
        let row = s.shown.clone().unwrap_or_default();
        let o = s.outcomes;
        Self {
            versie: s.shown.as_ref().map(|r| r.version),
            nieuwsteVersie: s.newest,
            wat: row.what,
            grondslag: row.legal_basis,
            uitvoerder: row.carried_by,
            voorwaarden: row.conditions,
            jurisprudentie: row.case_law,
            versies: s
                .history
                .iter()
                .map(|h| Bladversie { versie: h.version, gewijzigdOp: utc(h.changed_at), gewijzigdDoor: h.changed_by.clone(), toelichting: h.change_note.clone() })
                .collect(),
            opbrengst: Opbrengst {
                afgerond: o.completed.value(),
                gestopt: o.stopped.value(),
                samen: o.finished.value(),
                geindEuro: euros(o.collected),
                verrekendEuro: euros(o.offset),
                inBeslagEuro: euros(o.seized),
            },
            code: s.code,
            naam: s.name,
            soort: s.category,
        }
    }
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Versie {
    /// Een eerdere versie; zonder: de nieuwste.
    #[param(minimum = 1)]
    versie: Option<i64>,
}

/// Het interventieblad van een interventietype, met zijn versies en wat het tot nu toe opleverde.
#[utoipa::path(get, path = "/interventietypen/{code}/interventieblad", tag = "casussen",
    params(("code" = String, Path, description = "Code van het interventietype"), Versie),
    responses((status = 200, body = Interventieblad), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn get(State(s): State<AppState>, Api(rc): Api, Path(code): Path<String>, Query(q): Query<Versie>) -> Result<Json<Interventieblad>, Response> {
    Ok(Json(s.app.intervention_sheet(&rc.ctx, &code, q.versie).await.map_err(err)?.into()))
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Bladzoekvraag {
    /// Zoekwoorden, geanalyseerd zoals in de kennisbank (stammen, delen van samenstellingen,
    /// synoniemen).
    #[param(max_length = 200)]
    zoek: Option<String>,
}

/// Een interventieblad dat bij de zoekwoorden past.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Bladtreffer {
    /// Code van het interventietype (`/interventietypen/{code}/interventieblad`).
    pub code: String,
    pub naam: String,
    pub wat: String,
}

impl From<SheetHit> for Bladtreffer {
    fn from(h: SheetHit) -> Self {
        Self { code: h.code, naam: h.name, wat: h.what }
    }
}

/// De interventiebladen van de catalogus die de zoekwoorden bevatten: ten hoogste drie, die met
/// ten minste de helft van de woorden, de meeste woorden eerst.
#[utoipa::path(get, path = "/interventiebladen", tag = "kennis", params(Bladzoekvraag),
    responses((status = 200, body = [Bladtreffer]), (status = 400, body = Problem), (status = 422, body = Problem)))]
pub async fn search(State(s): State<AppState>, Api(rc): Api, Query(q): Query<Bladzoekvraag>) -> Result<Json<Vec<Bladtreffer>>, Response> {
    let Some(text) = q.zoek.filter(|t| !t.trim().is_empty()) else {
        return Err(super::missing("zoek", "Geef een of meer zoekwoorden."));
    };
    Ok(Json(s.app.matching_sheets(&rc.ctx, &text, &[]).await.map_err(err)?.into_iter().map(Bladtreffer::from).collect()))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InterventiebladInvoer {
    pub wat: Option<String>,
    pub grondslag: Option<String>,
    pub uitvoerder: Option<String>,
    pub voorwaarden: Option<String>,
    pub jurisprudentie: Option<String>,
    /// Wat u verandert (komt in de lijst met versies).
    pub toelichting: Option<String>,
    /// De nieuwste versie die u las (0 als er nog geen blad is).
    pub versie: Option<i64>,
}

/// Een nieuwe versie van het interventieblad schrijven (LIEC).
#[utoipa::path(post, path = "/interventietypen/{code}/interventieblad", tag = "casussen",
    params(("code" = String, Path, description = "Code van het interventietype")), request_body = InterventiebladInvoer,
    responses((status = 201, body = Interventieblad), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn save(
    State(s): State<AppState>,
    Api(rc): Api,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<InterventiebladInvoer>,
) -> Result<(StatusCode, Json<Interventieblad>), Response> {
    let Some(version) = b.versie else {
        return Err(super::missing("versie", "Stuur de nieuwste versie mee die u las (0 als er nog geen blad is)."));
    };
    let u = Option::unwrap_or_default;
    let input = SheetInput {
        what: u(b.wat),
        legal_basis: u(b.grondslag),
        carried_by: u(b.uitvoerder),
        conditions: u(b.voorwaarden),
        case_law: u(b.jurisprudentie),
        change_note: u(b.toelichting),
        version,
    };
    s.app.save_intervention_sheet(&rc.ctx, &code, &input).await.map_err(err)?;
    Ok((StatusCode::CREATED, Json(s.app.intervention_sheet(&rc.ctx, &code, None).await.map_err(err)?.into())))
}
