//! The phenomenon taxonomy: `/fenomeenclusters`, `/fenomenen`, `/omgevingen` (read by every
//! signed-in user, maintained by the LIEC) and each region's focus list (`/speerpunten`, set by
//! the region's RIEC manager or the LIEC). Reference data without personal data.

#![allow(non_snake_case)] // field names are the JSON names

use super::{err, Api, ApiJson, ApiResult};
use crate::problem::Problem;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use knooppunt_app::taxonomy::{Axis, Term, TermInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Een term van de taxonomie: een cluster, een fenomeen of een omgeving.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Taxonomieterm {
    /// Vaste sleutel, gemaakt van de naam bij het toevoegen; verandert niet.
    pub code: String,
    pub naam: String,
    pub naamEngels: String,
    pub synoniemen: Vec<String>,
    pub bron: String,
    /// Eerste dag waarop de term geldt (jjjj-mm-dd).
    pub geldigVanaf: String,
    /// Eerste dag waarop de term niet meer geldt (jjjj-mm-dd); leeg: onbeperkt.
    pub geldigTot: Option<String>,
    /// Geldt de term vandaag? Alleen zulke termen kunnen bij een nieuwe registratie gekozen worden.
    pub geldtNu: bool,
    /// Code van de term die deze vervangt.
    pub vervangenDoor: Option<String>,
    /// Bij een fenomeen: de code van zijn cluster.
    pub cluster: Option<String>,
    /// Stuur deze mee bij een wijziging.
    pub versie: i64,
}

impl From<Term> for Taxonomieterm {
    fn from(t: Term) -> Self {
        Self {
            code: t.code,
            naam: t.name,
            naamEngels: t.name_en,
            synoniemen: t.synonyms,
            bron: t.source,
            geldigVanaf: t.valid_from,
            geldigTot: t.valid_to,
            geldtNu: t.current,
            vervangenDoor: t.replaced_by.map(|r| r.0),
            cluster: t.cluster.map(|c| c.0),
            versie: t.version,
        }
    }
}

/// Een term toevoegen of wijzigen. Data als dd-mm-jjjj of jjjj-mm-dd.
#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaxonomietermInvoer {
    pub naam: Option<String>,
    pub naamEngels: Option<String>,
    pub synoniemen: Option<Vec<String>>,
    pub bron: Option<String>,
    /// Zonder: vandaag (bij toevoegen) of ongewijzigd (bij wijzigen).
    pub geldigVanaf: Option<String>,
    /// Zonder: onbeperkt geldig.
    pub geldigTot: Option<String>,
    /// Code van de term die deze vervangt; dan is ook `geldigTot` nodig.
    pub vervangenDoor: Option<String>,
    /// Alleen bij een fenomeen: de code van het cluster.
    pub cluster: Option<String>,
    /// Bij wijzigen: de versie die u het laatst las.
    pub versie: Option<i64>,
}

impl TaxonomietermInvoer {
    fn input(self, version: i64) -> TermInput {
        let u = Option::unwrap_or_default;
        TermInput {
            name: u(self.naam),
            name_en: u(self.naamEngels),
            synonyms: self.synoniemen.unwrap_or_default().join("; "),
            source: u(self.bron),
            valid_from: u(self.geldigVanaf),
            valid_to: u(self.geldigTot),
            replaced_by: u(self.vervangenDoor),
            cluster: u(self.cluster),
            version,
        }
    }
}

async fn list(s: &AppState, rc: &crate::context::RequestCtx, axis: Axis) -> ApiResult<Vec<Taxonomieterm>> {
    let t = s.app.taxonomy(&rc.ctx).await.map_err(err)?;
    let terms: Vec<Term> = match axis {
        Axis::Cluster => t.clusters.into_iter().map(|c| c.term).collect(),
        Axis::Phenomenon => t.clusters.into_iter().flat_map(|c| c.phenomena).collect(),
        Axis::Setting => t.settings,
    };
    Ok(Json(terms.into_iter().map(Taxonomieterm::from).collect()))
}

async fn add(s: &AppState, rc: &crate::context::RequestCtx, axis: Axis, b: TaxonomietermInvoer) -> Result<(StatusCode, Json<Taxonomieterm>), Response> {
    let code = s.app.add_term(&rc.ctx, axis, &b.input(0)).await.map_err(err)?;
    Ok((StatusCode::CREATED, Json(s.app.taxonomy_term(&rc.ctx, axis, &code).await.map_err(err)?.into())))
}

async fn change(s: &AppState, rc: &crate::context::RequestCtx, axis: Axis, code: &str, b: TaxonomietermInvoer) -> ApiResult<Taxonomieterm> {
    let Some(version) = b.versie else {
        return Err(super::missing("versie", "Stuur de versie mee die u het laatst las."));
    };
    s.app.change_term(&rc.ctx, axis, code, &b.input(version)).await.map_err(err)?;
    Ok(Json(s.app.taxonomy_term(&rc.ctx, axis, code).await.map_err(err)?.into()))
}

/// De clusters van fenomenen (bovenste niveau van de taxonomie), ook die niet meer gelden.
#[utoipa::path(get, path = "/fenomeenclusters", tag = "taxonomie", responses((status = 200, body = [Taxonomieterm])))]
pub async fn clusters(State(s): State<AppState>, Api(rc): Api) -> ApiResult<Vec<Taxonomieterm>> {
    list(&s, &rc, Axis::Cluster).await
}

/// Een cluster toevoegen (LIEC).
#[utoipa::path(post, path = "/fenomeenclusters", tag = "taxonomie", request_body = TaxonomietermInvoer,
    responses((status = 201, body = Taxonomieterm), (status = 400, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn add_cluster(State(s): State<AppState>, Api(rc): Api, ApiJson(b): ApiJson<TaxonomietermInvoer>) -> Result<(StatusCode, Json<Taxonomieterm>), Response> {
    add(&s, &rc, Axis::Cluster, b).await
}

/// Een cluster wijzigen (LIEC); de code blijft.
#[utoipa::path(patch, path = "/fenomeenclusters/{code}", tag = "taxonomie", params(("code" = String, Path, description = "Code van het cluster")),
    request_body = TaxonomietermInvoer,
    responses((status = 200, body = Taxonomieterm), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn change_cluster(State(s): State<AppState>, Api(rc): Api, Path(code): Path<String>, ApiJson(b): ApiJson<TaxonomietermInvoer>) -> ApiResult<Taxonomieterm> {
    change(&s, &rc, Axis::Cluster, &code, b).await
}

/// De fenomenen (tweede niveau), elk met zijn cluster, ook die niet meer gelden.
#[utoipa::path(get, path = "/fenomenen", tag = "taxonomie", responses((status = 200, body = [Taxonomieterm])))]
pub async fn phenomena(State(s): State<AppState>, Api(rc): Api) -> ApiResult<Vec<Taxonomieterm>> {
    list(&s, &rc, Axis::Phenomenon).await
}

/// Een fenomeen toevoegen onder een cluster (LIEC).
#[utoipa::path(post, path = "/fenomenen", tag = "taxonomie", request_body = TaxonomietermInvoer,
    responses((status = 201, body = Taxonomieterm), (status = 400, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn add_phenomenon(State(s): State<AppState>, Api(rc): Api, ApiJson(b): ApiJson<TaxonomietermInvoer>) -> Result<(StatusCode, Json<Taxonomieterm>), Response> {
    add(&s, &rc, Axis::Phenomenon, b).await
}

/// Een fenomeen wijzigen (LIEC): namen, synoniemen, bron, cluster, geldigheid en vervanger.
#[utoipa::path(patch, path = "/fenomenen/{code}", tag = "taxonomie", params(("code" = String, Path, description = "Code van het fenomeen")),
    request_body = TaxonomietermInvoer,
    responses((status = 200, body = Taxonomieterm), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn change_phenomenon(State(s): State<AppState>, Api(rc): Api, Path(code): Path<String>, ApiJson(b): ApiJson<TaxonomietermInvoer>) -> ApiResult<Taxonomieterm> {
    change(&s, &rc, Axis::Phenomenon, &code, b).await
}

/// De omgevingen (buitengebied, havens en logistiek …): waar iets speelt, los van het soort criminaliteit.
#[utoipa::path(get, path = "/omgevingen", tag = "taxonomie", responses((status = 200, body = [Taxonomieterm])))]
pub async fn settings(State(s): State<AppState>, Api(rc): Api) -> ApiResult<Vec<Taxonomieterm>> {
    list(&s, &rc, Axis::Setting).await
}

/// Een omgeving toevoegen (LIEC).
#[utoipa::path(post, path = "/omgevingen", tag = "taxonomie", request_body = TaxonomietermInvoer,
    responses((status = 201, body = Taxonomieterm), (status = 400, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn add_setting(State(s): State<AppState>, Api(rc): Api, ApiJson(b): ApiJson<TaxonomietermInvoer>) -> Result<(StatusCode, Json<Taxonomieterm>), Response> {
    add(&s, &rc, Axis::Setting, b).await
}

/// Een omgeving wijzigen (LIEC).
#[utoipa::path(patch, path = "/omgevingen/{code}", tag = "taxonomie", params(("code" = String, Path, description = "Code van de omgeving")),
    request_body = TaxonomietermInvoer,
    responses((status = 200, body = Taxonomieterm), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn change_setting(State(s): State<AppState>, Api(rc): Api, Path(code): Path<String>, ApiJson(b): ApiJson<TaxonomietermInvoer>) -> ApiResult<Taxonomieterm> {
    change(&s, &rc, Axis::Setting, &code, b).await
}

/// De speerpunten van een regio: de fenomenen waar zij voorrang aan geeft.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Speerpunten {
    /// Code van de regio.
    pub regio: String,
    pub naam: String,
    /// Fenomeencodes.
    pub fenomenen: Vec<String>,
    /// Mag u ze wijzigen?
    pub wijzigbaar: bool,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SpeerpuntenInvoer {
    /// Fenomeencodes die vandaag gelden; een lege lijst maakt de speerpunten leeg.
    pub fenomenen: Option<Vec<String>>,
}

/// De speerpunten van alle RIEC-regio's.
#[utoipa::path(get, path = "/speerpunten", tag = "taxonomie", responses((status = 200, body = [Speerpunten])))]
pub async fn focus(State(s): State<AppState>, Api(rc): Api) -> ApiResult<Vec<Speerpunten>> {
    let t = s.app.taxonomy(&rc.ctx).await.map_err(err)?;
    Ok(Json(
        t.focus.into_iter().map(|f| Speerpunten { regio: f.code, naam: f.name, fenomenen: f.phenomena.into_iter().map(|p| p.0).collect(), wijzigbaar: f.may_change }).collect(),
    ))
}

/// De speerpunten van een regio vaststellen (de RIEC-manager van de regio of het LIEC).
#[utoipa::path(put, path = "/speerpunten/{regio}", tag = "taxonomie", params(("regio" = String, Path, description = "Code van de regio")),
    request_body = SpeerpuntenInvoer,
    responses((status = 200, body = [Speerpunten]), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn set_focus(State(s): State<AppState>, Api(rc): Api, Path(region): Path<String>, ApiJson(b): ApiJson<SpeerpuntenInvoer>) -> ApiResult<Vec<Speerpunten>> {
    let Some(codes) = b.fenomenen else {
        return Err(super::missing("fenomenen", "Geef de lijst van fenomenen (leeg mag)."));
    };
    s.app.set_region_focus(&rc.ctx, &region, &codes).await.map_err(err)?;
    focus(State(s), Api(rc)).await
}
