//! `/regios`, `/gemeenten`, `/organisaties`.

use super::wire::*;
use super::{err, Api, ApiJson, ApiResult};
use crate::problem::Problem;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::Json;
use knooppunt_app::network::{NewOrganisationInput, NewRegionInput};
use serde::Deserialize;
use utoipa::IntoParams;

/// Lijst van alle regio's.
#[utoipa::path(get, path = "/regios", tag = "netwerk", responses((status = 200, body = [Regio]), (status = 401, body = Problem)))]
pub async fn list_regions(State(s): State<AppState>, Api(rc): Api) -> ApiResult<Vec<Regio>> {
    let rows = s.app.list_regions(&rc.ctx).await.map_err(err)?;
    Ok(Json(rows.iter().map(Regio::from).collect()))
}

/// Een regio toevoegen (beheerder).
#[utoipa::path(post, path = "/regios", tag = "netwerk", request_body = NieuweRegio,
    responses((status = 200, body = Regio), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn create_region(State(s): State<AppState>, Api(rc): Api, ApiJson(b): ApiJson<NieuweRegio>) -> ApiResult<Regio> {
    let input = NewRegionInput { code: b.code.unwrap_or_default(), name: b.naam.unwrap_or_default(), kind: b.soort.unwrap_or_default(), parent_code: b.bovenliggendeRegio };
    let r = s.app.create_region(&rc.ctx, &input).await.map_err(err)?;
    Ok(Json(Regio::from(&r)))
}

/// Eén regio met haar gemeenten en geschiedenis.
#[utoipa::path(get, path = "/regios/{code}", tag = "netwerk", params(("code" = String, Path, description = "Regiocode")),
    responses((status = 200, body = RegioDetail), (status = 404, body = Problem)))]
pub async fn get_region(State(s): State<AppState>, Api(rc): Api, Path(code): Path<String>) -> ApiResult<RegioDetail> {
    let d = s.app.region(&rc.ctx, &code).await.map_err(err)?;
    Ok(Json(RegioDetail::from(d)))
}

/// Een regio hernoemen (beheerder).
#[utoipa::path(patch, path = "/regios/{code}", tag = "netwerk", params(("code" = String, Path, description = "Regiocode")), request_body = RegioWijziging,
    responses((status = 200, body = Regio), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn rename_region(State(s): State<AppState>, Api(rc): Api, Path(code): Path<String>, ApiJson(b): ApiJson<RegioWijziging>) -> ApiResult<Regio> {
    let r = s.app.rename_region(&rc.ctx, &code, &b.naam.unwrap_or_default()).await.map_err(err)?;
    Ok(Json(Regio::from(&r)))
}

/// Een regio laten opgaan in een andere regio (beheerder). Geeft de doelregio terug.
#[utoipa::path(post, path = "/regios/{code}/_samenvoegen", tag = "netwerk", params(("code" = String, Path, description = "Code van de regio die opgaat")), request_body = Samenvoeging,
    responses((status = 200, body = Regio), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn merge_region(State(s): State<AppState>, Api(rc): Api, Path(code): Path<String>, ApiJson(b): ApiJson<Samenvoeging>) -> ApiResult<Regio> {
    let r = s.app.merge_region(&rc.ctx, &code, &b.doelRegio.unwrap_or_default()).await.map_err(err)?;
    Ok(Json(Regio::from(&r)))
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct GemeenteFilter {
    /// Alleen gemeenten van deze regio (code).
    regio: Option<String>,
    /// Deel van de naam of de CBS-code.
    zoek: Option<String>,
}

/// Gemeenten, optioneel per regio.
#[utoipa::path(get, path = "/gemeenten", tag = "netwerk", params(GemeenteFilter), responses((status = 200, body = [Gemeente]), (status = 404, body = Problem)))]
pub async fn list_municipalities(State(s): State<AppState>, Api(rc): Api, q: Result<Query<GemeenteFilter>, axum::extract::rejection::QueryRejection>) -> ApiResult<Vec<Gemeente>> {
    let Query(q) = q.map_err(query_problem)?;
    let rows = s.app.list_municipalities(&rc.ctx, q.regio.as_deref(), q.zoek.as_deref()).await.map_err(err)?;
    Ok(Json(rows.iter().map(Gemeente::from).collect()))
}

pub(super) fn query_problem(e: axum::extract::rejection::QueryRejection) -> axum::response::Response {
    use axum::response::IntoResponse;
    let text = e.body_text();
    let name = text.split('`').nth(1).unwrap_or("query").to_string();
    Problem::invalid(vec![crate::problem::InvalidParam { name: name.clone(), code: "invalid".into(), reason: format!("Onbekende of ongeldige zoekparameter '{name}'.") }])
        .into_response()
}

/// Eén gemeente met de regio's waartoe ze door de tijd behoorde.
#[utoipa::path(get, path = "/gemeenten/{cbsCode}", tag = "netwerk", params(("cbsCode" = String, Path, description = "CBS-code, bijvoorbeeld GM0363")),
    responses((status = 200, body = GemeenteDetail), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn get_municipality(State(s): State<AppState>, Api(rc): Api, Path(cbs): Path<String>) -> ApiResult<GemeenteDetail> {
    let d = s.app.municipality(&rc.ctx, &cbs).await.map_err(err)?;
    Ok(Json(GemeenteDetail::from(d)))
}

/// Een gemeente naar een andere RIEC-regio verplaatsen (beheerder).
#[utoipa::path(patch, path = "/gemeenten/{cbsCode}", tag = "netwerk", params(("cbsCode" = String, Path, description = "CBS-code")), request_body = GemeenteWijziging,
    responses((status = 200, body = GemeenteDetail), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn move_municipality(State(s): State<AppState>, Api(rc): Api, Path(cbs): Path<String>, ApiJson(b): ApiJson<GemeenteWijziging>) -> ApiResult<GemeenteDetail> {
    let d = s.app.move_municipality(&rc.ctx, &cbs, &b.regio.unwrap_or_default()).await.map_err(err)?;
    Ok(Json(GemeenteDetail::from(d)))
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OrganisatieFilter {
    /// Organisaties die in deze regio werken (landelijke partners inbegrepen).
    regio: Option<String>,
    /// Partnertype, bijvoorbeeld `politie`.
    partnertype: Option<String>,
}

/// Organisaties in het netwerk.
#[utoipa::path(get, path = "/organisaties", tag = "netwerk", params(OrganisatieFilter), responses((status = 200, body = [Organisatie]), (status = 400, body = Problem)))]
pub async fn list_organisations(
    State(s): State<AppState>,
    Api(rc): Api,
    q: Result<Query<OrganisatieFilter>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Vec<Organisatie>> {
    let Query(q) = q.map_err(query_problem)?;
    let rows = s.app.list_organisations(&rc.ctx, q.regio.as_deref(), q.partnertype.as_deref(), None).await.map_err(err)?;
    Ok(Json(rows.iter().map(Organisatie::from).collect()))
}

/// Een organisatie toevoegen (beheerder).
#[utoipa::path(post, path = "/organisaties", tag = "netwerk", request_body = NieuweOrganisatie,
    responses((status = 200, body = Organisatie), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn create_organisation(State(s): State<AppState>, Api(rc): Api, ApiJson(b): ApiJson<NieuweOrganisatie>) -> ApiResult<Organisatie> {
    let input = NewOrganisationInput { name: b.naam.unwrap_or_default(), partner_type: b.partnertype.unwrap_or_default(), region_code: b.regio };
    let o = s.app.create_organisation(&rc.ctx, &input).await.map_err(err)?;
    Ok(Json(Organisatie::from(&o)))
}

/// Eén organisatie.
#[utoipa::path(get, path = "/organisaties/{id}", tag = "netwerk", params(("id" = i64, Path, description = "Id van de organisatie")),
    responses((status = 200, body = Organisatie), (status = 404, body = Problem)))]
pub async fn get_organisation(State(s): State<AppState>, Api(rc): Api, Path(id): Path<String>) -> ApiResult<Organisatie> {
    let id = id.parse::<i64>().map_err(|_| err(knooppunt_app::AppError::NotFound("organisatie")))?;
    let o = s.app.organisation(&rc.ctx, id).await.map_err(err)?;
    Ok(Json(Organisatie::from(&o)))
}
