//! `/kennisitems` and `/kennisgroepen`: the knowledge items of the Kennisplatform Ondermijning.
//! Reading needs no token (then only public items exist); the knowledge editors write items,
//! take the workflow steps and keep the groups.

#![allow(non_snake_case)] // field names are the JSON names

use super::wire::utc;
use super::{err, Api, ApiJson};
use crate::context::RequestCtx;
use crate::problem::Problem;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use knooppunt_app::knowledge::{FacetLine, GroupInput, KnowledgeInput, KnowledgeItem, KnowledgeQuery};
use knooppunt_app::AppError;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The request context, with or without a token.
pub struct Anyone(pub RequestCtx);

impl axum::extract::FromRequestParts<AppState> for Anyone {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<RequestCtx>().cloned().map(Anyone).ok_or_else(|| StatusCode::INTERNAL_SERVER_ERROR.into_response())
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Facetwaarde {
    pub code: String,
    pub naam: String,
    /// Hoeveel resultaten deze waarde hebben; leeg als er meer dan 1.000 resultaten zijn
    /// (`meerDanTotaal`): dan staan hier de waarden van de eerste 1.000, ongeteld.
    pub aantal: Option<i64>,
}

fn facet(f: Vec<FacetLine>) -> Vec<Facetwaarde> {
    f.into_iter().map(|f| Facetwaarde { code: f.code, naam: f.label, aantal: (f.count >= 0).then_some(f.count) }).collect()
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Facetten {
    pub soort: Vec<Facetwaarde>,
    pub fenomeen: Vec<Facetwaarde>,
    pub partnertype: Vec<Facetwaarde>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KennisitemKort {
    pub id: i64,
    pub soort: String,
    pub titel: String,
    pub samenvatting: String,
    /// Alleen voor de redactie: concept, ter-beoordeling, gepubliceerd of gearchiveerd.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    pub gepubliceerdOp: Option<DateTime<Utc>>,
    pub fenomenen: Vec<String>,
    /// Bij een zoekvraag: het stuk tekst waar de zoekwoorden het dichtst bijeen staan, in
    /// delen; `gemarkeerd` is een gevonden woord.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uitsnede: Option<Vec<Tekstdeel>>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Tekstdeel {
    pub tekst: String,
    pub gemarkeerd: bool,
}

/// Een verkeerd gespeld zoekwoord en het woord waarop in plaats daarvan ook is gezocht.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Verbetering {
    pub getypt: String,
    pub gezocht: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Kennislijst {
    pub items: Vec<KennisitemKort>,
    /// Hoeveel items passen, tot 1.000.
    pub totaal: i64,
    /// Er passen meer dan `totaal` (1.000) items: verfijn met een filter.
    pub meerDanTotaal: bool,
    pub pagina: i64,
    pub facetten: Facetten,
    /// Bij een zoekvraag: de woorden waarop ook is gezocht omdat het getypte woord niet
    /// voorkomt.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ookGezochtOp: Vec<Verbetering>,
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Kennisfilter {
    /// Soort: nieuws, handreiking, interventieblad, barrieremodel, jurisprudentie, …
    soort: Option<String>,
    /// Code van een fenomeen.
    fenomeen: Option<String>,
    /// Code van een partnertype.
    partnertype: Option<String>,
    /// Jaar van publicatie.
    #[param(minimum = 1900, maximum = 2200)]
    jaar: Option<i32>,
    /// Alleen voor de redactie: de status.
    status: Option<String>,
    #[param(minimum = 1)]
    pagina: Option<i64>,
    /// Zoekwoorden: woorden, een ECLI-nummer of een artikel ("art. 13b Opiumwet"). Met
    /// zoekwoorden staat het best passende item eerst.
    #[param(max_length = 200)]
    zoek: Option<String>,
}

/// De kennisitems die u mag lezen, nieuwste eerst of met `zoek` best passend eerst, met
/// facetten; zonder token alleen de openbare.
#[utoipa::path(get, path = "/kennisitems", tag = "kennis", params(Kennisfilter), security((), ("bearer" = [])),
    responses((status = 200, body = Kennislijst), (status = 400, body = Problem), (status = 422, body = Problem)))]
pub async fn list(State(s): State<AppState>, Anyone(rc): Anyone, Query(q): Query<Kennisfilter>) -> Result<Json<Kennislijst>, Response> {
    if q.jaar.is_some_and(|y| !(1900..=2200).contains(&y)) {
        return Err(super::missing("jaar", "Het jaar ligt tussen 1900 en 2200."));
    }
    let query = KnowledgeQuery { kind: q.soort, state: q.status, phenomenon: q.fenomeen, partner_type: q.partnertype, year: q.jaar, text: q.zoek, page: q.pagina.unwrap_or(1) };
    let searching = query.text.as_deref().is_some_and(|t| !t.trim().is_empty());
    let l = s.app.knowledge_list(&rc.ctx, &query).await.map_err(err)?;
    let editor = l.may_edit;
    Ok(Json(Kennislijst {
        items: l
            .items
            .into_iter()
            .map(|i| KennisitemKort {
                id: i.row.id,
                soort: i.row.kind,
                titel: i.row.title,
                samenvatting: i.row.summary,
                status: editor.then_some(i.row.state),
                gepubliceerdOp: i.row.published_at.map(utc),
                fenomenen: i.themes,
                uitsnede: searching.then(|| i.snippet.into_iter().map(|p| Tekstdeel { tekst: p.text, gemarkeerd: p.marked }).collect()),
            })
            .collect(),
        totaal: l.total,
        meerDanTotaal: l.capped,
        pagina: l.page,
        facetten: Facetten { soort: facet(l.kinds), fenomeen: facet(l.phenomena), partnertype: facet(l.partner_types) },
        ookGezochtOp: l.corrections.into_iter().map(|(getypt, gezocht)| Verbetering { getypt, gezocht }).collect(),
    }))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Itemversie {
    pub versie: i64,
    pub gewijzigdOp: DateTime<Utc>,
    pub gewijzigdDoor: String,
    pub toelichting: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Redactiestap {
    pub stap: String,
    pub toelichting: String,
    pub door: String,
    pub op: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Kennisbijlage {
    pub id: i64,
    pub naam: String,
    pub mediatype: String,
    pub grootte: i64,
    /// Of er tekst in gevonden is (dan is de bijlage doorzoekbaar).
    pub tekstGevonden: bool,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Kennisitem {
    pub id: i64,
    pub soort: String,
    pub titel: String,
    pub samenvatting: String,
    pub tekst: String,
    pub ecli: Option<String>,
    /// Bij een product van een fenomeentafel: `fenomeenbeeld`, `aanpak` of `rapportage`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub productsoort: Option<String>,
    pub fenomenen: Vec<String>,
    pub omgevingen: Vec<String>,
    pub partnertypen: Vec<String>,
    pub regio: Option<String>,
    pub bijlagen: Vec<Kennisbijlage>,
    pub versie: i64,
    pub gepubliceerdOp: Option<DateTime<Utc>>,
    pub gewijzigdOp: DateTime<Utc>,
    /// Alleen voor de redactie.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Alleen voor de redactie: openbaar, netwerk, groep of redactie.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publiek: Option<String>,
    /// Alleen voor de redactie: de naam van de kennisgroep.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groep: Option<String>,
    /// Alleen voor de redactie.
    pub versies: Vec<Itemversie>,
    /// Alleen voor de redactie.
    pub stappen: Vec<Redactiestap>,
    /// De stappen die u nu kunt zetten.
    pub mogelijkeStappen: Vec<String>,
}

fn item(i: KnowledgeItem) -> Kennisitem {
    let editor = i.editor;
    let r = i.row;
    Kennisitem {
        id: r.id,
        soort: r.kind,
        titel: r.title,
        samenvatting: r.summary,
        tekst: r.body,
        ecli: r.ecli,
        productsoort: Some(r.product_type).filter(|t| !t.is_empty()),
        fenomenen: i.phenomena.into_iter().map(|p| p.0).collect(),
        omgevingen: i.settings.into_iter().map(|p| p.0).collect(),
        partnertypen: i.partner_types.iter().map(|p| p.code().to_string()).collect(),
        regio: r.region_name,
        bijlagen: i
            .attachments
            .iter()
            .map(|a| Kennisbijlage { id: a.id, naam: a.file_name.clone(), mediatype: a.content_type.clone(), grootte: a.size, tekstGevonden: a.text_chars > 0 })
            .collect(),
        versie: r.version,
        gepubliceerdOp: r.published_at.map(utc),
        gewijzigdOp: utc(r.updated_at),
        status: editor.then_some(r.state),
        publiek: editor.then_some(r.audience),
        groep: if editor { r.group_name } else { None },
        versies: i
            .versions
            .iter()
            .map(|v| Itemversie { versie: v.version, gewijzigdOp: utc(v.changed_at), gewijzigdDoor: v.changed_by.clone(), toelichting: v.change_note.clone() })
            .collect(),
        stappen: i.steps.iter().map(|st| Redactiestap { stap: st.step.clone(), toelichting: st.note.clone(), door: st.taken_by.clone(), op: utc(st.taken_at) }).collect(),
        mogelijkeStappen: i.next_steps.iter().map(|st| st.code().to_string()).collect(),
    }
}

fn item_id(raw: &str) -> Result<i64, AppError> {
    raw.parse::<i64>().map_err(|_| AppError::NotFound("kennisitem"))
}

/// Eén kennisitem; 404 als het niet bestaat of als u het niet mag lezen.
#[utoipa::path(get, path = "/kennisitems/{id}", tag = "kennis", params(("id" = i64, Path, description = "Id van het kennisitem")), security((), ("bearer" = [])),
    responses((status = 200, body = Kennisitem), (status = 404, body = Problem)))]
pub async fn get(State(s): State<AppState>, Anyone(rc): Anyone, Path(raw): Path<String>) -> Result<Json<Kennisitem>, Response> {
    Ok(Json(item(s.app.knowledge_item(&rc.ctx, item_id(&raw).map_err(err)?).await.map_err(err)?)))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KennisitemInvoer {
    pub soort: Option<String>,
    pub titel: Option<String>,
    pub samenvatting: Option<String>,
    pub tekst: Option<String>,
    /// Verplicht bij jurisprudentie.
    pub ecli: Option<String>,
    /// Verplicht bij een product van een fenomeentafel (soort `tafelproduct`): `fenomeenbeeld`,
    /// `aanpak` of `rapportage`; leeg bij elke andere soort.
    pub productsoort: Option<String>,
    /// openbaar, netwerk, groep of redactie.
    pub publiek: Option<String>,
    /// Code van de kennisgroep (bij publiek 'groep').
    pub groep: Option<String>,
    /// Code van de regio.
    pub regio: Option<String>,
    #[serde(default)]
    pub fenomenen: Vec<String>,
    #[serde(default)]
    pub omgevingen: Vec<String>,
    #[serde(default)]
    pub partnertypen: Vec<String>,
    /// Bij een wijziging: wat u verandert.
    pub toelichting: Option<String>,
    /// Bij een wijziging: de versie die u las.
    pub versie: Option<i64>,
}

fn input(b: KennisitemInvoer) -> KnowledgeInput {
    let u = Option::unwrap_or_default;
    KnowledgeInput {
        kind: u(b.soort),
        title: u(b.titel),
        summary: u(b.samenvatting),
        body: u(b.tekst),
        ecli: u(b.ecli),
        audience: u(b.publiek),
        group: u(b.groep),
        region: u(b.regio),
        phenomena: b.fenomenen,
        settings: b.omgevingen,
        partner_types: b.partnertypen,
        product_type: u(b.productsoort),
        change_note: u(b.toelichting),
        version: b.versie.unwrap_or(0),
    }
}

/// Een nieuw kennisitem (concept) schrijven (kennisredactie).
#[utoipa::path(post, path = "/kennisitems", tag = "kennis", request_body = KennisitemInvoer,
    responses((status = 201, body = Kennisitem), (status = 400, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(State(s): State<AppState>, Api(rc): Api, ApiJson(b): ApiJson<KennisitemInvoer>) -> Result<(StatusCode, Json<Kennisitem>), Response> {
    let id = s.app.create_knowledge_item(&rc.ctx, &input(b)).await.map_err(err)?;
    Ok((StatusCode::CREATED, Json(item(s.app.knowledge_item(&rc.ctx, id).await.map_err(err)?))))
}

/// Een nieuwe versie van een kennisitem (kennisredactie); 409 als iemand anders het intussen wijzigde.
#[utoipa::path(put, path = "/kennisitems/{id}", tag = "kennis", params(("id" = i64, Path, description = "Id van het kennisitem")), request_body = KennisitemInvoer,
    responses((status = 200, body = Kennisitem), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<KennisitemInvoer>) -> Result<Json<Kennisitem>, Response> {
    let id = item_id(&raw).map_err(err)?;
    if b.versie.is_none() {
        return Err(super::missing("versie", "Stuur de versie mee die u las."));
    }
    s.app.update_knowledge_item(&rc.ctx, id, &input(b)).await.map_err(err)?;
    Ok(Json(item(s.app.knowledge_item(&rc.ctx, id).await.map_err(err)?)))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StapInvoer {
    /// indienen, terugsturen, publiceren, archiveren of heropenen.
    pub stap: Option<String>,
    /// De versie die u las.
    pub versie: Option<i64>,
    /// Verplicht bij terugsturen.
    pub toelichting: Option<String>,
}

/// Een redactiestap zetten (kennisredactie): wie een item ter beoordeling aanbood, publiceert het niet zelf.
#[utoipa::path(post, path = "/kennisitems/{id}/_stappen", tag = "kennis", params(("id" = i64, Path, description = "Id van het kennisitem")), request_body = StapInvoer,
    responses((status = 200, body = Kennisitem), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn step(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<StapInvoer>) -> Result<Json<Kennisitem>, Response> {
    let id = item_id(&raw).map_err(err)?;
    let Some(version) = b.versie else {
        return Err(super::missing("versie", "Stuur de versie mee die u las."));
    };
    s.app.knowledge_step(&rc.ctx, id, b.stap.as_deref().unwrap_or_default(), version, b.toelichting.as_deref().unwrap_or_default()).await.map_err(err)?;
    Ok(Json(item(s.app.knowledge_item(&rc.ctx, id).await.map_err(err)?)))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Kennisgroep {
    pub code: String,
    pub naam: String,
    pub omschrijving: String,
    /// De ids van de organisaties die lid zijn.
    pub leden: Vec<i64>,
}

/// De kennisgroepen: voor de redactie alle, voor anderen die waarvan hun organisatie lid is.
#[utoipa::path(get, path = "/kennisgroepen", tag = "kennis", responses((status = 200, body = [Kennisgroep])))]
pub async fn groups(State(s): State<AppState>, Api(rc): Api) -> Result<Json<Vec<Kennisgroep>>, Response> {
    let groups = s.app.knowledge_groups(&rc.ctx).await.map_err(err)?;
    Ok(Json(groups.into_iter().map(|g| Kennisgroep { code: g.code, naam: g.name, omschrijving: g.description, leden: g.members.into_iter().map(|m| m.0).collect() }).collect()))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KennisgroepInvoer {
    pub naam: Option<String>,
    pub omschrijving: Option<String>,
    /// De ids van de organisaties die lid worden.
    #[serde(default)]
    pub leden: Vec<i64>,
}

/// Een kennisgroep aanmaken (kennisredactie).
#[utoipa::path(post, path = "/kennisgroepen", tag = "kennis", request_body = KennisgroepInvoer,
    responses((status = 201, body = Kennisgroep), (status = 400, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_group(State(s): State<AppState>, Api(rc): Api, ApiJson(b): ApiJson<KennisgroepInvoer>) -> Result<(StatusCode, Json<Kennisgroep>), Response> {
    let input = GroupInput { name: b.naam.unwrap_or_default(), description: b.omschrijving.unwrap_or_default(), organisations: b.leden };
    let code = s.app.create_knowledge_group(&rc.ctx, &input).await.map_err(err)?;
    let groups = s.app.knowledge_groups(&rc.ctx).await.map_err(err)?;
    let g = groups.into_iter().find(|g| g.code == code).ok_or_else(|| err(AppError::NotFound("kennisgroep")))?;
    Ok((StatusCode::CREATED, Json(Kennisgroep { code: g.code, naam: g.name, omschrijving: g.description, leden: g.members.into_iter().map(|m| m.0).collect() })))
}

/// Een bijlage toevoegen (kennisredactie; PDF, afbeelding, Office, OpenDocument of tekst; hoogstens 10 MB). De tekst van PDF-, Word- en OpenDocument-bestanden wordt gelezen voor het zoeken.
#[utoipa::path(post, path = "/kennisitems/{id}/bijlagen", tag = "kennis", params(("id" = i64, Path, description = "Id van het kennisitem")),
    request_body(content = super::signals::BijlageUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = Kennisitem), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn upload(
    State(s): State<AppState>,
    Api(rc): Api,
    Path(raw): Path<String>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<(StatusCode, Json<Kennisitem>), Response> {
    let id = item_id(&raw).map_err(err)?;
    let multipart = multipart.map_err(|_| {
        Problem::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "Mediatype niet ondersteund").detail("Stuur het bestand als multipart/form-data in het veld 'bestand'.").into_response()
    })?;
    let (_, name, data) = crate::ui::read_upload(multipart).await.map_err(|m| err(knooppunt_domain::Invalid::one("bestand", m).into()))?;
    s.app.add_knowledge_attachment(&rc.ctx, id, &name, &data).await.map_err(err)?;
    Ok((StatusCode::CREATED, Json(item(s.app.knowledge_item(&rc.ctx, id).await.map_err(err)?))))
}

/// Een bijlage downloaden (wie het kennisitem mag lezen; zonder token alleen bij openbare items).
#[utoipa::path(get, path = "/kennisitems/{id}/bijlagen/{bijlageId}", tag = "kennis", security((), ("bearer" = [])),
    params(("id" = i64, Path, description = "Id van het kennisitem"), ("bijlageId" = i64, Path, description = "Id van de bijlage")),
    responses((status = 200, description = "De inhoud van de bijlage"), (status = 404, body = Problem)))]
pub async fn download(State(s): State<AppState>, Anyone(rc): Anyone, Path((raw, raw_aid)): Path<(String, String)>) -> Result<Response, Response> {
    let id = item_id(&raw).map_err(err)?;
    let aid = raw_aid.parse::<i64>().map_err(|_| err(AppError::NotFound("bijlage")))?;
    let (meta, data) = s.app.knowledge_attachment(&rc.ctx, id, aid).await.map_err(err)?;
    Ok(crate::ui::file_download(&meta.content_type, &meta.file_name, data))
}
