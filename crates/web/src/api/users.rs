//! `/gebruikers`.

use super::wire::*;
use super::{err, Api, ApiJson, ApiResult};
use crate::problem::Problem;
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use knooppunt_app::users::NewUserInput;
use knooppunt_app::AppError;

fn id(raw: &str) -> Result<i64, AppError> {
    raw.parse::<i64>().map_err(|_| AppError::NotFound("gebruiker"))
}

/// Alle gebruikers (beheerder, auditor).
#[utoipa::path(get, path = "/gebruikers", tag = "gebruikers", responses((status = 200, body = [Gebruiker]), (status = 403, body = Problem)))]
pub async fn list_users(State(s): State<AppState>, Api(rc): Api) -> ApiResult<Vec<Gebruiker>> {
    let list = s.app.list_users(&rc.ctx, None).await.map_err(err)?;
    Ok(Json(list.into_iter().map(Gebruiker::from).collect()))
}

/// Gebruikers zoeken op naam; een POST, zodat namen niet in adressen en logs belanden.
#[utoipa::path(post, path = "/gebruikers/_zoek", tag = "gebruikers", request_body = Gebruikerzoekvraag, responses((status = 200, body = [Gebruiker]), (status = 403, body = Problem)))]
pub async fn search_users(State(s): State<AppState>, Api(rc): Api, ApiJson(b): ApiJson<Gebruikerzoekvraag>) -> ApiResult<Vec<Gebruiker>> {
    let list = s.app.list_users(&rc.ctx, b.zoek.as_deref()).await.map_err(err)?;
    Ok(Json(list.into_iter().map(Gebruiker::from).collect()))
}

/// Een gebruiker aanmaken (beheerder).
#[utoipa::path(post, path = "/gebruikers", tag = "gebruikers", request_body = NieuweGebruiker,
    responses((status = 200, body = Gebruiker), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn create_user(State(s): State<AppState>, Api(rc): Api, ApiJson(b): ApiJson<NieuweGebruiker>) -> ApiResult<Gebruiker> {
    let input = NewUserInput {
        username: b.gebruikersnaam.unwrap_or_default(),
        display_name: b.naam.unwrap_or_default(),
        email: b.email.unwrap_or_default(),
        organisation_id: b.organisatieId,
        password: b.wachtwoord.unwrap_or_default(),
        roles: b.rollen.unwrap_or_default().into_iter().map(|r| (r.rol.unwrap_or_default(), r.regio)).collect(),
        demo: false,
        temporary_password: true,
    };
    let u = s.app.create_user(&rc.ctx, &input).await.map_err(err)?;
    Ok(Json(Gebruiker::from(u)))
}

/// Eén gebruiker (beheerder, auditor).
#[utoipa::path(get, path = "/gebruikers/{id}", tag = "gebruikers", params(("id" = i64, Path, description = "Id van de gebruiker")),
    responses((status = 200, body = Gebruiker), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_user(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>) -> ApiResult<Gebruiker> {
    let u = s.app.user(&rc.ctx, id(&raw).map_err(err)?).await.map_err(err)?;
    Ok(Json(Gebruiker::from(u)))
}

/// Een account in- of uitschakelen (beheerder).
#[utoipa::path(patch, path = "/gebruikers/{id}", tag = "gebruikers", params(("id" = i64, Path, description = "Id van de gebruiker")), request_body = GebruikerWijziging,
    responses((status = 200, body = Gebruiker), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn update_user(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<GebruikerWijziging>) -> ApiResult<Gebruiker> {
    let u = s.app.set_user_active(&rc.ctx, id(&raw).map_err(err)?, b.actief).await.map_err(err)?;
    Ok(Json(Gebruiker::from(u)))
}

/// Een rol toekennen (beheerder).
#[utoipa::path(post, path = "/gebruikers/{id}/rollen", tag = "gebruikers", params(("id" = i64, Path, description = "Id van de gebruiker")), request_body = RolInvoer,
    responses((status = 200, body = Gebruiker), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn grant_role(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<RolInvoer>) -> ApiResult<Gebruiker> {
    let u = s.app.grant_role(&rc.ctx, id(&raw).map_err(err)?, &b.rol.unwrap_or_default(), b.regio.as_deref()).await.map_err(err)?;
    Ok(Json(Gebruiker::from(u)))
}

/// Een rol intrekken (beheerder).
#[utoipa::path(post, path = "/gebruikers/{id}/rollen/_intrekken", tag = "gebruikers", params(("id" = i64, Path, description = "Id van de gebruiker")), request_body = RolInvoer,
    responses((status = 200, body = Gebruiker), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn revoke_role(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<RolInvoer>) -> ApiResult<Gebruiker> {
    let u = s.app.revoke_role(&rc.ctx, id(&raw).map_err(err)?, &b.rol.unwrap_or_default(), b.regio.as_deref()).await.map_err(err)?;
    Ok(Json(Gebruiker::from(u)))
}
