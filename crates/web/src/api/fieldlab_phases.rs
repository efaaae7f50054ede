//! `/fieldlab-fasen`: the phases of the LIEC Field Lab Hub — the network reads them with their
//! use; the LIEC adds one, renames or moves one, and removes one that no lab is in and nothing
//! was recorded in.

#![allow(non_snake_case)] // field names are the JSON names

use super::{err, Api, ApiJson};
use crate::problem::Problem;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use knooppunt_app::fieldlab_phases::{PhaseInput, PhaseList};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FieldLabFaseBeheer {
    pub code: String,
    pub naam: String,
    /// De plaats in de volgorde, 1 is de eerste.
    pub plaats: i64,
    /// Field labs die nu in deze fase staan.
    pub fieldlabs: i64,
    /// Besluiten en documenten die in deze fase zijn vastgelegd.
    pub vastleggingen: i64,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FieldLabFasen {
    pub fasen: Vec<FieldLabFaseBeheer>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FieldLabFaseInvoer {
    pub naam: Option<String>,
    /// De plaats in de volgorde (1 is de eerste); zonder plaats komt een nieuwe fase achteraan en
    /// blijft een bestaande waar ze is.
    pub plaats: Option<i64>,
}

impl FieldLabFaseInvoer {
    fn input(&self) -> PhaseInput {
        PhaseInput { name: self.naam.clone().unwrap_or_default(), position: self.plaats.map(|n| n.to_string()).unwrap_or_default() }
    }
}

fn phases_of(l: PhaseList) -> FieldLabFasen {
    FieldLabFasen {
        fasen: l
            .rows
            .into_iter()
            .enumerate()
            .map(|(i, r)| FieldLabFaseBeheer { code: r.code, naam: r.name, plaats: i64::try_from(i).unwrap_or(i64::MAX - 1) + 1, fieldlabs: r.labs, vastleggingen: r.records })
            .collect(),
    }
}

async fn all(s: &AppState, rc: &crate::context::RequestCtx) -> Result<Json<FieldLabFasen>, Response> {
    Ok(Json(phases_of(s.app.field_lab_phases(&rc.ctx).await.map_err(err)?)))
}

/// De fasen van de hub in volgorde, met hoeveel labs erin staan (het netwerk).
#[utoipa::path(get, path = "/fieldlab-fasen", tag = "field-lab-hub", responses((status = 200, body = FieldLabFasen), (status = 404, body = Problem)))]
pub async fn list(State(s): State<AppState>, Api(rc): Api) -> Result<Json<FieldLabFasen>, Response> {
    all(&s, &rc).await
}

/// Een fase toevoegen (LIEC); de code wordt van de naam gemaakt.
#[utoipa::path(post, path = "/fieldlab-fasen", tag = "field-lab-hub", request_body = FieldLabFaseInvoer,
    responses((status = 201, body = FieldLabFasen), (status = 400, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(State(s): State<AppState>, Api(rc): Api, ApiJson(b): ApiJson<FieldLabFaseInvoer>) -> Result<(StatusCode, Json<FieldLabFasen>), Response> {
    s.app.add_field_lab_phase(&rc.ctx, &b.input()).await.map_err(err)?;
    Ok((StatusCode::CREATED, all(&s, &rc).await?))
}

/// Een fase hernoemen of verplaatsen (LIEC).
#[utoipa::path(put, path = "/fieldlab-fasen/{code}", tag = "field-lab-hub", params(("code" = String, Path, description = "Code van de fase")), request_body = FieldLabFaseInvoer,
    responses((status = 200, body = FieldLabFasen), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update(State(s): State<AppState>, Api(rc): Api, Path(code): Path<String>, ApiJson(b): ApiJson<FieldLabFaseInvoer>) -> Result<Json<FieldLabFasen>, Response> {
    s.app.update_field_lab_phase(&rc.ctx, &code, &b.input()).await.map_err(err)?;
    all(&s, &rc).await
}

/// Een fase verwijderen (LIEC); 409 als er een lab in staat of er iets in is vastgelegd.
#[utoipa::path(delete, path = "/fieldlab-fasen/{code}", tag = "field-lab-hub", params(("code" = String, Path, description = "Code van de fase")),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete(State(s): State<AppState>, Api(rc): Api, Path(code): Path<String>) -> Result<StatusCode, Response> {
    s.app.remove_field_lab_phase(&rc.ctx, &code).await.map_err(err)?;
    Ok(StatusCode::NO_CONTENT)
}
