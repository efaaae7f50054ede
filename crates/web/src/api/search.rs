//! `/zoeksynoniemen`: the groups of words the knowledge search treats as one, kept by the
//! knowledge editors. A change takes effect with the next search (no rebuild of the index).

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
use knooppunt_app::AppError;
use knooppunt_domain::Invalid;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Synoniemengroep {
    pub id: i64,
    /// De woorden die hetzelfde betekenen.
    pub woorden: Vec<String>,
    /// Stuur die mee bij een wijziging.
    pub versie: i64,
    pub gewijzigdDoor: String,
    pub gewijzigdOp: DateTime<Utc>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SynoniemenInvoer {
    /// Ten minste twee, ten hoogste twintig woorden of korte woordgroepen.
    pub woorden: Option<Vec<String>>,
    /// Bij een wijziging: de versie die u las.
    pub versie: Option<i64>,
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Groepversie {
    /// De versie van de groep die u las.
    versie: Option<i64>,
}

fn group_id(raw: &str) -> Result<i64, AppError> {
    raw.parse::<i64>().map_err(|_| AppError::NotFound("synoniemengroep"))
}

fn needed(v: Option<i64>) -> Result<i64, AppError> {
    v.ok_or_else(|| Invalid::one("versie", "Stuur de versie van de groep mee die u las, als geheel getal.").into())
}

fn words(b: &SynoniemenInvoer) -> String {
    b.woorden.as_deref().unwrap_or_default().iter().map(|w| w.replace([',', ';', '\n'], " ")).collect::<Vec<_>>().join(", ")
}

async fn one_group(s: &AppState, rc: &crate::context::RequestCtx, id: i64) -> Result<Synoniemengroep, Response> {
    let rows = s.app.synonym_groups(&rc.ctx).await.map_err(err)?;
    rows.into_iter().find(|r| r.id == id).map(group).ok_or_else(|| err(AppError::NotFound("synoniemengroep")))
}

fn group(r: knooppunt_app::views::SynonymRow) -> Synoniemengroep {
    Synoniemengroep { id: r.id, woorden: r.words.split(", ").map(str::to_string).collect(), versie: r.version, gewijzigdDoor: r.changed_by, gewijzigdOp: utc(r.changed_at) }
}

/// De synoniemengroepen van de zoekfunctie (kennisredactie).
#[utoipa::path(get, path = "/zoeksynoniemen", tag = "kennis", responses((status = 200, body = [Synoniemengroep]), (status = 403, body = Problem)))]
pub async fn list(State(s): State<AppState>, Api(rc): Api) -> Result<Json<Vec<Synoniemengroep>>, Response> {
    Ok(Json(s.app.synonym_groups(&rc.ctx).await.map_err(err)?.into_iter().map(group).collect()))
}

/// Een synoniemengroep toevoegen (kennisredactie); geldt meteen bij het zoeken.
#[utoipa::path(post, path = "/zoeksynoniemen", tag = "kennis", request_body = SynoniemenInvoer,
    responses((status = 201, body = Synoniemengroep), (status = 400, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(State(s): State<AppState>, Api(rc): Api, ApiJson(b): ApiJson<SynoniemenInvoer>) -> Result<(StatusCode, Json<Synoniemengroep>), Response> {
    let id = s.app.save_synonyms(&rc.ctx, None, 0, &words(&b)).await.map_err(err)?;
    Ok((StatusCode::CREATED, Json(one_group(&s, &rc, id).await?)))
}

/// De woorden van een groep vervangen (kennisredactie); 409 als iemand anders de groep intussen wijzigde.
#[utoipa::path(put, path = "/zoeksynoniemen/{id}", tag = "kennis", params(("id" = i64, Path, description = "Id van de groep")), request_body = SynoniemenInvoer,
    responses((status = 200, body = Synoniemengroep), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<SynoniemenInvoer>) -> Result<Json<Synoniemengroep>, Response> {
    let id = group_id(&raw).map_err(err)?;
    let version = needed(b.versie).map_err(err)?;
    s.app.save_synonyms(&rc.ctx, Some(id), version, &words(&b)).await.map_err(err)?;
    Ok(Json(one_group(&s, &rc, id).await?))
}

/// Een groep verwijderen (kennisredactie).
#[utoipa::path(delete, path = "/zoeksynoniemen/{id}", tag = "kennis", params(("id" = i64, Path, description = "Id van de groep"), Groepversie),
    responses((status = 204), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn delete(
    State(s): State<AppState>,
    Api(rc): Api,
    Path(raw): Path<String>,
    q: Result<Query<Groepversie>, axum::extract::rejection::QueryRejection>,
) -> Result<StatusCode, Response> {
    let id = group_id(&raw).map_err(err)?;
    let version = needed(q.ok().and_then(|Query(v)| v.versie)).map_err(err)?;
    s.app.delete_synonyms(&rc.ctx, id, version).await.map_err(err)?;
    Ok(StatusCode::NO_CONTENT)
}
