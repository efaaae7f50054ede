//! `/treffers`: hits between subjects of different regions (hit/no-hit). A case team sees its
//! own subject, the other region, the strength, which fields agreed and a contact — never the
//! other side's values until both sides agreed to share. A hit the caller may not know of
//! answers 404.

#![allow(non_snake_case)] // field names are the JSON names

use super::cases::Betrokkene;
use super::wire::utc;
use super::{err, Api, ApiJson, ApiResult};
use crate::problem::Problem;
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use chrono::{DateTime, Utc};
use knooppunt_app::treffers::{TrefferNotice, TrefferOverview};
use knooppunt_app::AppError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

fn id(raw: &str) -> Result<i64, AppError> {
    raw.parse::<i64>().map_err(|_| AppError::NotFound("treffer"))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VeldOvereenkomst {
    /// Het veld, bijvoorbeeld `bedrijfsnaam` of `postcode en huisnummer` (nooit de waarde).
    pub veld: String,
    /// `exact`, `vergelijkbaar` of `anders`.
    pub mate: String,
    /// Matchgewicht in bits: positief pleit voor, negatief tegen.
    pub gewicht: f64,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GedeeldeGegevens {
    /// De betrokkene van de andere regio; alleen na wederzijds akkoord.
    pub betrokkene: Betrokkene,
    pub casusKenmerk: String,
    pub gedeeldOp: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Treffer {
    pub id: i64,
    /// Uw eigen betrokkene.
    pub betrokkene: Betrokkene,
    pub casusId: i64,
    pub casusKenmerk: String,
    pub andereRegio: String,
    /// Matchkans in promille (900 = 90%).
    pub sterkte: i64,
    /// Het identificatienummer dat exact overeenkomt, als de treffer daarop berust.
    pub identificatie: Option<String>,
    pub velden: Vec<VeldOvereenkomst>,
    pub contact: String,
    /// `open`, `bevestigd` of `onjuist`.
    pub status: String,
    pub toelichting: String,
    /// Uw besluit over delen: leeg, `akkoord` of `geweigerd`.
    pub delenEigen: String,
    /// Het besluit van de andere regio: leeg, `akkoord` of `geweigerd`.
    pub delenAndere: String,
    pub redenAndere: String,
    pub gedeeld: Option<GedeeldeGegevens>,
    pub gevondenOp: DateTime<Utc>,
    pub versie: i64,
}

impl From<&TrefferNotice> for Treffer {
    fn from(n: &TrefferNotice) -> Self {
        Treffer {
            id: n.id,
            betrokkene: Betrokkene::from(&n.own_subject),
            casusId: n.own_case_id,
            casusKenmerk: n.own_case_reference.clone(),
            andereRegio: n.other_region.clone(),
            sterkte: n.strength,
            identificatie: n.deterministic.clone(),
            velden: n.fields.iter().map(|f| VeldOvereenkomst { veld: f.field.clone(), mate: f.level.clone(), gewicht: f.weight }).collect(),
            contact: n.contact.clone(),
            status: n.status.clone(),
            toelichting: n.status_note.clone(),
            delenEigen: n.own_share.clone(),
            delenAndere: n.other_share.clone(),
            redenAndere: n.other_reason.clone(),
            gedeeld: n.shared.as_ref().map(|s| GedeeldeGegevens {
                betrokkene: Betrokkene::from(&s.other_subject),
                casusKenmerk: s.other_case_reference.clone(),
                gedeeldOp: utc(s.shared_at),
            }),
            gevondenOp: utc(n.created_at),
            versie: n.version,
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TrefferLijst {
    pub treffers: Vec<Treffer>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Beoordeling {
    /// `bevestigd` of `onjuist`.
    pub oordeel: Option<String>,
    /// Verplicht bij `onjuist`.
    pub toelichting: Option<String>,
    pub versie: Option<i64>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeelBesluit {
    /// `true`: akkoord met delen (of verzoek aan de andere regio); `false`: weigeren, met reden.
    pub akkoord: Option<bool>,
    pub reden: Option<String>,
    pub versie: Option<i64>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegioPaar {
    pub regioA: String,
    pub regioB: String,
    pub treffers: i64,
    pub bevestigd: i64,
    pub gedeeld: i64,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OverzichtRegel {
    pub id: i64,
    pub regioA: String,
    pub casusA: String,
    pub regioB: String,
    pub casusB: String,
    pub sterkte: i64,
    pub status: String,
    pub gedeeld: bool,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TrefferOverzicht {
    pub totaal: i64,
    pub regioparen: Vec<RegioPaar>,
    pub treffers: Vec<OverzichtRegel>,
}

impl From<TrefferOverview> for TrefferOverzicht {
    fn from(o: TrefferOverview) -> Self {
        TrefferOverzicht {
            totaal: o.total,
            regioparen: o.pairs.into_iter().map(|p| RegioPaar { regioA: p.region_a, regioB: p.region_b, treffers: p.hits, bevestigd: p.confirmed, gedeeld: p.shared }).collect(),
            treffers: o
                .rows
                .into_iter()
                .map(|r| OverzichtRegel {
                    id: r.id,
                    regioA: r.region_a,
                    casusA: r.case_a,
                    regioB: r.region_b,
                    casusB: r.case_b,
                    sterkte: r.strength,
                    status: r.status,
                    gedeeld: r.shared,
                })
                .collect(),
        }
    }
}

fn missing_version() -> axum::response::Response {
    super::missing("versie", "Stuur de versie mee die u het laatst las.")
}

/// De treffers van uw casusteams: uw eigen betrokkene, de andere regio, de sterkte en welke
/// velden overeenkwamen — nooit de waarden van de andere kant.
#[utoipa::path(get, path = "/treffers", tag = "treffers", responses((status = 200, body = TrefferLijst)))]
pub async fn list(State(s): State<AppState>, Api(rc): Api) -> ApiResult<TrefferLijst> {
    let l = s.app.list_treffers(&rc.ctx).await.map_err(err)?;
    Ok(Json(TrefferLijst { treffers: l.iter().map(Treffer::from).collect() }))
}

/// Landelijk overzicht voor de LIEC-coördinator: aantallen per regiopaar en paren van casussen,
/// zonder gegevens over betrokkenen.
#[utoipa::path(get, path = "/treffers/_overzicht", tag = "treffers", responses((status = 200, body = TrefferOverzicht), (status = 403, body = Problem)))]
pub async fn overview(State(s): State<AppState>, Api(rc): Api) -> ApiResult<TrefferOverzicht> {
    Ok(Json(s.app.treffer_overview(&rc.ctx).await.map_err(err)?.into()))
}

/// Eén treffer, zoals uw casusteam die ziet.
#[utoipa::path(get, path = "/treffers/{id}", tag = "treffers", params(("id" = i64, Path, description = "Id van de treffer")),
    responses((status = 200, body = Treffer), (status = 404, body = Problem)))]
pub async fn get(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>) -> ApiResult<Treffer> {
    let n = s.app.treffer(&rc.ctx, id(&raw).map_err(err)?).await.map_err(err)?;
    Ok(Json(Treffer::from(&n)))
}

/// Een treffer bevestigen of als onjuist markeren (blijft dan afgewezen).
#[utoipa::path(post, path = "/treffers/{id}/_beoordelen", tag = "treffers", params(("id" = i64, Path, description = "Id van de treffer")), request_body = Beoordeling,
    responses((status = 200, body = Treffer), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn review(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<Beoordeling>) -> ApiResult<Treffer> {
    let tid = id(&raw).map_err(err)?;
    let Some(version) = b.versie else { return Err(missing_version()) };
    s.app.review_treffer(&rc.ctx, tid, b.oordeel.as_deref().unwrap_or(""), b.toelichting.as_deref().unwrap_or(""), version).await.map_err(err)?;
    Ok(Json(Treffer::from(&s.app.treffer(&rc.ctx, tid).await.map_err(err)?)))
}

/// Besluiten over delen: akkoord (dat is ook het verzoek aan de andere regio) of weigeren met
/// reden. Als beide regio's akkoord zijn, worden de casussen gekoppeld en ziet elk casusteam de
/// betrokkene van de ander.
#[utoipa::path(post, path = "/treffers/{id}/_delen", tag = "treffers", params(("id" = i64, Path, description = "Id van de treffer")), request_body = DeelBesluit,
    responses((status = 200, body = Treffer), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn share(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<DeelBesluit>) -> ApiResult<Treffer> {
    let tid = id(&raw).map_err(err)?;
    let Some(version) = b.versie else { return Err(missing_version()) };
    let Some(agree) = b.akkoord else {
        return Err(err(AppError::Invalid(knooppunt_domain::Invalid::one("akkoord", "Kies akkoord (true) of weigeren (false)."))));
    };
    s.app.decide_sharing(&rc.ctx, tid, agree, b.reden.as_deref().unwrap_or(""), version).await.map_err(err)?;
    Ok(Json(Treffer::from(&s.app.treffer(&rc.ctx, tid).await.map_err(err)?)))
}
