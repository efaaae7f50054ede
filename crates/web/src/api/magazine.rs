//! `/code-geel-edities`: Code Geel, the LIEC's digital magazine — the editions and their
//! articles as each reader may read them (without a token: the public articles of published
//! editions), and the knowledge editors' writing and publishing. An edition the caller may not
//! read answers 404.

#![allow(non_snake_case)] // field names are the JSON names

use super::knowledge::Anyone;
use super::wire::utc;
use super::{err, Api, ApiJson};
use crate::problem::Problem;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use chrono::{DateTime, Utc};
use knooppunt_app::magazine::{ArticleInput, EditionInput, EditionRow, EditionView};
use knooppunt_app::AppError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

fn id(raw: &str, what: &'static str) -> Result<i64, AppError> {
    raw.parse::<i64>().map_err(|_| AppError::NotFound(what))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EditieKort {
    pub id: i64,
    pub nummer: i64,
    pub jaargang: i64,
    pub thema: String,
    pub themanummer: bool,
    /// `concept` of `gepubliceerd`.
    pub status: String,
    /// `jjjj-mm-dd`, of leeg voor een concept.
    pub gepubliceerdOp: String,
    /// De artikelen die u kunt lezen.
    pub artikelen: i64,
}

impl From<&EditionRow> for EditieKort {
    fn from(e: &EditionRow) -> Self {
        EditieKort {
            id: e.id,
            nummer: e.number,
            jaargang: e.year,
            thema: e.theme.clone(),
            themanummer: e.theme_issue,
            status: e.status.clone(),
            gepubliceerdOp: e.published_on.clone(),
            artikelen: e.articles,
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Editielijst {
    pub edities: Vec<EditieKort>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Artikel {
    pub id: i64,
    pub titel: String,
    pub intro: String,
    /// Alinea's gescheiden door een lege regel.
    pub tekst: String,
    pub credits: String,
    /// Codes van fenomenen uit de taxonomie.
    pub themas: Vec<String>,
    /// `openbaar` of `netwerk`.
    pub publiek: String,
    pub volgorde: i64,
    pub bijgewerktOp: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Editie {
    pub id: i64,
    pub nummer: i64,
    pub jaargang: i64,
    pub thema: String,
    pub themanummer: bool,
    pub inleiding: String,
    pub status: String,
    pub gepubliceerdOp: String,
    pub versie: i64,
    pub bijgewerktOp: DateTime<Utc>,
    /// De artikelen die u kunt lezen, in volgorde.
    pub artikelen: Vec<Artikel>,
}

impl From<&EditionView> for Editie {
    fn from(v: &EditionView) -> Self {
        let e = &v.row;
        Editie {
            id: e.id,
            nummer: e.number,
            jaargang: e.year,
            thema: e.theme.clone(),
            themanummer: e.theme_issue,
            inleiding: e.introduction.clone(),
            status: e.status.clone(),
            gepubliceerdOp: e.published_on.clone(),
            versie: e.version,
            bijgewerktOp: utc(e.updated_at),
            artikelen: v
                .articles
                .iter()
                .map(|a| Artikel {
                    id: a.id,
                    titel: a.title.clone(),
                    intro: a.lead.clone(),
                    tekst: a.body.clone(),
                    credits: a.credits.clone(),
                    themas: a.themes.split_whitespace().map(str::to_string).collect(),
                    publiek: a.audience.clone(),
                    volgorde: a.position,
                    bijgewerktOp: utc(a.updated_at),
                })
                .collect(),
        }
    }
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EditieInvoer {
    /// 1 tot en met 99, uniek binnen het jaar.
    pub nummer: Option<i64>,
    pub jaargang: Option<i64>,
    /// Verplicht bij een themanummer.
    pub thema: Option<String>,
    pub themanummer: Option<bool>,
    pub inleiding: Option<String>,
    /// Bij wijzigen: de versie die u las.
    pub versie: Option<i64>,
}

impl EditieInvoer {
    fn input(&self) -> EditionInput {
        EditionInput {
            number: self.nummer.map(|n| n.to_string()).unwrap_or_default(),
            year: self.jaargang.map(|n| n.to_string()).unwrap_or_default(),
            theme: self.thema.clone().unwrap_or_default(),
            theme_issue: self.themanummer.unwrap_or(false),
            introduction: self.inleiding.clone().unwrap_or_default(),
        }
    }
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ArtikelInvoer {
    pub titel: Option<String>,
    pub intro: Option<String>,
    pub tekst: Option<String>,
    pub credits: Option<String>,
    /// Codes van fenomenen, bijvoorbeeld `witwassen`.
    pub themas: Option<Vec<String>>,
    /// `netwerk` (standaard) of `openbaar`.
    pub publiek: Option<String>,
    /// De plaats in de editie, vanaf 1; leeg: achteraan (bij wijzigen: waar het stond).
    pub volgorde: Option<i64>,
}

impl ArtikelInvoer {
    fn input(self) -> ArticleInput {
        ArticleInput {
            title: self.titel.unwrap_or_default(),
            lead: self.intro.unwrap_or_default(),
            body: self.tekst.unwrap_or_default(),
            credits: self.credits.unwrap_or_default(),
            themes: self.themas.unwrap_or_default(),
            audience: self.publiek.unwrap_or_default(),
            position: self.volgorde.map(|n| n.to_string()).unwrap_or_default(),
        }
    }
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Editiestatus {
    /// `true`: publiceren; `false`: terugtrekken naar concept.
    pub gepubliceerd: Option<bool>,
    pub versie: Option<i64>,
}

async fn view(s: &AppState, rc: &crate::context::RequestCtx, eid: i64) -> Result<Json<Editie>, Response> {
    Ok(Json(Editie::from(&s.app.edition(&rc.ctx, eid).await.map_err(err)?)))
}

/// De edities van Code Geel: gepubliceerde voor iedereen (ook zonder token), concepten voor de kennisredactie.
#[utoipa::path(get, path = "/code-geel-edities", tag = "code-geel", security((), ("bearer" = [])), responses((status = 200, body = Editielijst)))]
pub async fn list(State(s): State<AppState>, Anyone(rc): Anyone) -> Result<Json<Editielijst>, Response> {
    let l = s.app.editions(&rc.ctx).await.map_err(err)?;
    Ok(Json(Editielijst { edities: l.rows.iter().map(EditieKort::from).collect() }))
}

/// Eén editie met de artikelen die u kunt lezen; 404 als u haar niet kunt lezen.
#[utoipa::path(get, path = "/code-geel-edities/{id}", tag = "code-geel", params(("id" = i64, Path, description = "Id van de editie")), security((), ("bearer" = [])),
    responses((status = 200, body = Editie), (status = 404, body = Problem)))]
pub async fn get(State(s): State<AppState>, Anyone(rc): Anyone, Path(raw): Path<String>) -> Result<Json<Editie>, Response> {
    view(&s, &rc, id(&raw, "editie").map_err(err)?).await
}

/// Een nieuwe editie, als concept (kennisredactie).
#[utoipa::path(post, path = "/code-geel-edities", tag = "code-geel", request_body = EditieInvoer,
    responses((status = 201, body = Editie), (status = 400, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(State(s): State<AppState>, Api(rc): Api, ApiJson(b): ApiJson<EditieInvoer>) -> Result<(StatusCode, Json<Editie>), Response> {
    let eid = s.app.create_edition(&rc.ctx, &b.input()).await.map_err(err)?;
    Ok((StatusCode::CREATED, view(&s, &rc, eid).await?))
}

/// De gegevens van een editie wijzigen (kennisredactie); 409 als iemand anders haar intussen wijzigde.
#[utoipa::path(put, path = "/code-geel-edities/{id}", tag = "code-geel", params(("id" = i64, Path, description = "Id van de editie")), request_body = EditieInvoer,
    responses((status = 200, body = Editie), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<EditieInvoer>) -> Result<Json<Editie>, Response> {
    let eid = id(&raw, "editie").map_err(err)?;
    let Some(version) = b.versie else { return Err(super::missing("versie", "Stuur de versie mee die u las.")) };
    s.app.update_edition(&rc.ctx, eid, version, &b.input()).await.map_err(err)?;
    view(&s, &rc, eid).await
}

/// Een editie publiceren of terugtrekken naar concept (kennisredactie).
#[utoipa::path(post, path = "/code-geel-edities/{id}/_status", tag = "code-geel", params(("id" = i64, Path, description = "Id van de editie")), request_body = Editiestatus,
    responses((status = 200, body = Editie), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn status(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<Editiestatus>) -> Result<Json<Editie>, Response> {
    let eid = id(&raw, "editie").map_err(err)?;
    let (Some(publish), Some(version)) = (b.gepubliceerd, b.versie) else {
        return Err(super::missing(if b.gepubliceerd.is_none() { "gepubliceerd" } else { "versie" }, "Stuur 'gepubliceerd' en de versie die u las mee."));
    };
    s.app.publish_edition(&rc.ctx, eid, version, publish).await.map_err(err)?;
    view(&s, &rc, eid).await
}

/// Een artikel toevoegen aan een editie (kennisredactie).
#[utoipa::path(post, path = "/code-geel-edities/{id}/artikelen", tag = "code-geel", params(("id" = i64, Path, description = "Id van de editie")), request_body = ArtikelInvoer,
    responses((status = 201, body = Editie), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_article(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<ArtikelInvoer>) -> Result<(StatusCode, Json<Editie>), Response> {
    let eid = id(&raw, "editie").map_err(err)?;
    s.app.add_article(&rc.ctx, eid, &b.input()).await.map_err(err)?;
    Ok((StatusCode::CREATED, view(&s, &rc, eid).await?))
}

/// Een artikel wijzigen (kennisredactie).
#[utoipa::path(put, path = "/code-geel-edities/{id}/artikelen/{artikelId}", tag = "code-geel",
    params(("id" = i64, Path, description = "Id van de editie"), ("artikelId" = i64, Path, description = "Id van het artikel")), request_body = ArtikelInvoer,
    responses((status = 200, body = Editie), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_article(
    State(s): State<AppState>,
    Api(rc): Api,
    Path((raw, raw_aid)): Path<(String, String)>,
    ApiJson(b): ApiJson<ArtikelInvoer>,
) -> Result<Json<Editie>, Response> {
    let eid = id(&raw, "editie").map_err(err)?;
    let aid = id(&raw_aid, "artikel").map_err(err)?;
    s.app.update_article(&rc.ctx, eid, aid, &b.input()).await.map_err(err)?;
    view(&s, &rc, eid).await
}
