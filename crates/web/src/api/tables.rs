//! `/fenomeentafels`: the Landelijke Fenomeentafels of the LIEC — status, mandate, members,
//! meetings and the action list. A table the caller may not see answers 404; meetings and
//! actions are the members' and the LIEC's (`werk` is absent for the rest of the network).

#![allow(non_snake_case)] // field names are the JSON names

use super::wire::utc;
use super::{err, Api, ApiJson, ApiResult};
use crate::problem::Problem;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use knooppunt_app::tables::TableLine;
use knooppunt_app::tables::{ActionInput, MeetingInput, MemberInput, TableInput, TableView};
use knooppunt_app::AppError;
use knooppunt_figures::disclosure::{Published, Shown};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

fn id(raw: &str) -> Result<i64, AppError> {
    raw.parse::<i64>().map_err(|_| AppError::NotFound("fenomeentafel"))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TafelSamenvatting {
    pub id: i64,
    pub naam: String,
    /// Code van het fenomeen in de taxonomie.
    pub fenomeen: String,
    /// `kwartiermaken`, `actief` of `beeindigd`.
    pub status: String,
    pub leden: i64,
    pub coordinator: String,
}

impl From<&TableLine> for TafelSamenvatting {
    fn from(l: &TableLine) -> Self {
        TafelSamenvatting {
            id: l.table.id,
            naam: l.table.name.clone(),
            fenomeen: l.table.phenomenon_code.clone(),
            status: l.table.status.clone(),
            leden: l.members,
            coordinator: l.table.coordinator.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TafelLijst {
    pub tafels: Vec<TafelSamenvatting>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Opdracht {
    pub versie: i64,
    pub tekst: String,
    pub vastgesteldDoor: String,
    /// `jjjj-mm-dd`.
    pub vastgesteldOp: String,
    pub vastgelegdOp: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TafelLid {
    pub id: i64,
    pub organisatieId: i64,
    pub organisatie: String,
    /// `publiek`, `privaat` of `wetenschap`.
    pub sector: String,
    pub rol: String,
    /// `jjjj-mm-dd`.
    pub vanaf: String,
    /// `jjjj-mm-dd`; leeg zolang het lidmaatschap loopt.
    pub tot: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Aanwezige {
    pub organisatieId: i64,
    pub organisatie: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TafelOverleg {
    pub id: i64,
    /// `jjjj-mm-dd`.
    pub datum: String,
    pub agenda: String,
    pub besluiten: String,
    pub aanwezig: Vec<Aanwezige>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TafelActie {
    pub id: i64,
    /// `wet-en-regelgeving`, `informatiedeling`, `gelegenheidsstructuur` of `handelingsperspectief`.
    pub soort: String,
    pub titel: String,
    pub trekkerId: i64,
    pub trekker: String,
    /// `open`, `lopend` of `afgerond`.
    pub status: String,
    /// `jjjj-mm-dd`, of leeg.
    pub deadline: String,
    /// Kenmerk van het bestuurlijk signaal dat van de actie is gemaakt, of leeg.
    pub signaalKenmerk: String,
    pub signaalId: Option<i64>,
    /// Of u de status van deze actie meldt.
    pub uMeldt: bool,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TafelWerk {
    pub overleggen: Vec<TafelOverleg>,
    pub acties: Vec<TafelActie>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CijferRij {
    pub naam: String,
    /// Per kolom het aantal; `null` is afgeschermd.
    pub aantallen: Vec<Option<u64>>,
    pub totaal: Option<u64>,
}

/// Landelijke cijfers over het fenomeen uit de dossiers van alle RIEC's, afgeschermd: een
/// aantal van 1 tot en met `k - 1`, en elk getal waarmee zo'n aantal uit de totalen terug te
/// rekenen is, is `null`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TafelCijfers {
    pub k: u64,
    /// De kolommen van `dossiers`: de fasen.
    pub fasen: Vec<String>,
    /// Dossiers per regio (elke regio een rij) en fase.
    pub dossiers: Vec<CijferRij>,
    pub dossiersLandelijk: CijferRij,
    /// Afgeronde en gestopte interventies per soort (`aantallen` heeft één kolom).
    pub interventies: Vec<CijferRij>,
    pub interventiesTotaal: Option<u64>,
    /// Bedragen bij die interventies, landelijk, in hele euro's: `geind`, `verrekend`,
    /// `beslag`; `null` als minder dan `k` interventies bijdragen (of om zo'n bedrag te
    /// beschermen).
    pub bedragen: Bedragen,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Bedragen {
    pub geind: Option<u64>,
    pub verrekend: Option<u64>,
    pub beslag: Option<u64>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Tafel {
    pub id: i64,
    pub naam: String,
    pub fenomeen: String,
    pub fenomeenNaam: String,
    pub status: String,
    /// `jjjj-mm-dd`, of leeg.
    pub gestartOp: String,
    pub beeindigdOp: String,
    pub coordinator: String,
    /// De kennisgroep van de tafel: publiceer voor haar leden met deze code.
    pub kennisgroep: String,
    pub versie: i64,
    pub bijgewerktOp: DateTime<Utc>,
    /// Nieuwste eerst; de eerste geldt.
    pub opdrachten: Vec<Opdracht>,
    pub leden: Vec<TafelLid>,
    /// Alleen voor de leden van de tafel en het LIEC.
    pub werk: Option<TafelWerk>,
    pub cijfers: TafelCijfers,
}

fn rows(names: &[String], p: &Published) -> Vec<CijferRij> {
    names
        .iter()
        .enumerate()
        .map(|(i, naam)| CijferRij {
            naam: naam.clone(),
            aantallen: p.cells.get(i).map(|r| r.iter().map(Shown::value).collect()).unwrap_or_default(),
            totaal: p.row_totals.get(i).and_then(Shown::value),
        })
        .collect()
}

impl From<&TableView> for Tafel {
    fn from(v: &TableView) -> Self {
        let t = &v.table;
        Tafel {
            id: t.id,
            naam: t.name.clone(),
            fenomeen: t.phenomenon_code.clone(),
            fenomeenNaam: t.phenomenon_name.clone(),
            status: t.status.clone(),
            gestartOp: t.started_on.clone(),
            beeindigdOp: t.ended_on.clone(),
            coordinator: t.coordinator.clone(),
            kennisgroep: t.group_code.clone(),
            versie: t.version,
            bijgewerktOp: utc(t.updated_at),
            opdrachten: v
                .mandates
                .iter()
                .map(|m| Opdracht {
                    versie: m.version,
                    tekst: m.body.clone(),
                    vastgesteldDoor: m.endorsed_by.clone(),
                    vastgesteldOp: m.endorsed_on.clone(),
                    vastgelegdOp: utc(m.recorded_at),
                })
                .collect(),
            leden: v
                .members
                .iter()
                .map(|m| TafelLid {
                    id: m.id,
                    organisatieId: m.organisation_id,
                    organisatie: m.organisation_name.clone(),
                    sector: m.sector.clone(),
                    rol: m.part.clone(),
                    vanaf: m.from_on.clone(),
                    tot: m.until_on.clone(),
                })
                .collect(),
            werk: v.work.as_ref().map(|w| TafelWerk {
                overleggen: w
                    .meetings
                    .iter()
                    .map(|m| TafelOverleg {
                        id: m.id,
                        datum: m.held_on.clone(),
                        agenda: m.agenda.clone(),
                        besluiten: m.decisions.clone(),
                        aanwezig: m.present.iter().map(|(id, name)| Aanwezige { organisatieId: *id, organisatie: name.clone() }).collect(),
                    })
                    .collect(),
                acties: w
                    .actions
                    .iter()
                    .map(|a| TafelActie {
                        id: a.id,
                        soort: a.kind.clone(),
                        titel: a.title.clone(),
                        trekkerId: a.owner_id,
                        trekker: a.owner_name.clone(),
                        status: a.status.clone(),
                        deadline: a.due_on.clone(),
                        signaalKenmerk: a.signal_reference.clone(),
                        signaalId: a.signal_id,
                        uMeldt: w.reportable.contains(&a.id),
                    })
                    .collect(),
            }),
            cijfers: TafelCijfers {
                k: v.figures.k,
                fasen: v.figures.phases.clone(),
                dossiers: rows(&v.figures.regions, &v.figures.cases),
                dossiersLandelijk: CijferRij {
                    naam: "Landelijk".into(),
                    aantallen: v.figures.cases.column_totals.iter().map(Shown::value).collect(),
                    totaal: v.figures.cases.total.value(),
                },
                interventies: rows(&v.figures.types, &v.figures.interventions),
                interventiesTotaal: v.figures.interventions.total.value(),
                bedragen: {
                    let at = |j: usize| v.figures.amounts.cells.first().and_then(|r| r.get(j)).and_then(Shown::value);
                    Bedragen { geind: at(0), verrekend: at(1), beslag: at(2) }
                },
            },
        }
    }
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NieuweTafel {
    pub naam: Option<String>,
    /// Code van een geldend fenomeen, bijvoorbeeld `fraude-vastgoed`.
    pub fenomeen: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TafelStatus {
    /// `kwartiermaken`, `actief` of `beeindigd`.
    pub status: Option<String>,
    /// `jjjj-mm-dd` of `dd-mm-jjjj`; leeg bij actief: vandaag.
    pub gestartOp: Option<String>,
    /// Leeg bij beëindigd: vandaag.
    pub beeindigdOp: Option<String>,
    pub versie: Option<i64>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NieuweOpdracht {
    pub tekst: Option<String>,
    /// Bijvoorbeeld "Landelijk Strategisch Overleg".
    pub vastgesteldDoor: Option<String>,
    pub vastgesteldOp: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NieuwLid {
    pub organisatieId: Option<i64>,
    /// `publiek`, `privaat` of `wetenschap`.
    pub sector: Option<String>,
    pub rol: Option<String>,
    /// Leeg: vandaag.
    pub vanaf: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NieuwOverleg {
    pub datum: Option<String>,
    pub agenda: Option<String>,
    pub besluiten: Option<String>,
    /// Organisaties (leden van de tafel) die aanwezig waren.
    pub aanwezig: Option<Vec<i64>>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NieuweTafelActie {
    pub soort: Option<String>,
    pub titel: Option<String>,
    /// Een organisatie die aan de tafel zit.
    pub trekkerId: Option<i64>,
    pub deadline: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ActieStatus {
    /// `open`, `lopend` of `afgerond`.
    pub status: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GemaaktSignaal {
    /// Het concept-signaal; vul het aan en dien het in bij het loket.
    pub signaalId: i64,
    pub tafel: Tafel,
}

async fn view(s: &AppState, rc: &crate::context::RequestCtx, tid: i64) -> ApiResult<Tafel> {
    Ok(Json(Tafel::from(&s.app.table(&rc.ctx, tid).await.map_err(err)?)))
}

fn sub_id(raw: &str, what: &'static str) -> Result<i64, AppError> {
    raw.parse::<i64>().map_err(|_| AppError::NotFound(what))
}

/// De fenomeentafels die u mag zien: alle (het netwerk), of die waar uw organisatie aan zit.
#[utoipa::path(get, path = "/fenomeentafels", tag = "fenomeentafels", responses((status = 200, body = TafelLijst)))]
pub async fn list(State(s): State<AppState>, Api(rc): Api) -> ApiResult<TafelLijst> {
    let l = s.app.list_tables(&rc.ctx).await.map_err(err)?;
    Ok(Json(TafelLijst { tafels: l.iter().map(TafelSamenvatting::from).collect() }))
}

/// Een fenomeentafel openen (LIEC-coördinator); de tafel krijgt een eigen kennisgroep.
#[utoipa::path(post, path = "/fenomeentafels", tag = "fenomeentafels", request_body = NieuweTafel,
    responses((status = 201, body = Tafel), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn create(State(s): State<AppState>, Api(rc): Api, ApiJson(b): ApiJson<NieuweTafel>) -> Result<(StatusCode, Json<Tafel>), axum::response::Response> {
    let input = TableInput { name: b.naam.unwrap_or_default(), phenomenon: b.fenomeen.unwrap_or_default() };
    let tid = s.app.open_table(&rc.ctx, &input).await.map_err(err)?;
    Ok((StatusCode::CREATED, view(&s, &rc, tid).await?))
}

/// Eén fenomeentafel met opdracht en leden, en voor leden en LIEC de overleggen en acties.
#[utoipa::path(get, path = "/fenomeentafels/{id}", tag = "fenomeentafels", params(("id" = i64, Path, description = "Id van de tafel")),
    responses((status = 200, body = Tafel), (status = 404, body = Problem)))]
pub async fn get(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>) -> ApiResult<Tafel> {
    view(&s, &rc, id(&raw).map_err(err)?).await
}

/// De status vastleggen (LIEC-coördinator); 409 bij een verouderde versie.
#[utoipa::path(post, path = "/fenomeentafels/{id}/_status", tag = "fenomeentafels", params(("id" = i64, Path, description = "Id van de tafel")), request_body = TafelStatus,
    responses((status = 200, body = Tafel), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn status(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<TafelStatus>) -> ApiResult<Tafel> {
    let tid = id(&raw).map_err(err)?;
    let Some(version) = b.versie else {
        return Err(err(AppError::Invalid(knooppunt_domain::Invalid::one("versie", "Stuur de versie mee die u het laatst las."))));
    };
    let (st, from, to) = (b.status.unwrap_or_default(), b.gestartOp.unwrap_or_default(), b.beeindigdOp.unwrap_or_default());
    s.app.set_table_status(&rc.ctx, tid, &st, &from, &to, version).await.map_err(err)?;
    view(&s, &rc, tid).await
}

/// Een nieuwe versie van de opdracht vastleggen (LIEC-coördinator).
#[utoipa::path(post, path = "/fenomeentafels/{id}/opdrachten", tag = "fenomeentafels", params(("id" = i64, Path, description = "Id van de tafel")), request_body = NieuweOpdracht,
    responses((status = 200, body = Tafel), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn add_mandate(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<NieuweOpdracht>) -> ApiResult<Tafel> {
    let tid = id(&raw).map_err(err)?;
    let (text, by, on) = (b.tekst.unwrap_or_default(), b.vastgesteldDoor.unwrap_or_default(), b.vastgesteldOp.unwrap_or_default());
    s.app.add_table_mandate(&rc.ctx, tid, &text, &by, &on).await.map_err(err)?;
    view(&s, &rc, tid).await
}

/// Een lid toevoegen (LIEC-coördinator); de organisatie wordt ook lid van de kennisgroep.
#[utoipa::path(post, path = "/fenomeentafels/{id}/leden", tag = "fenomeentafels", params(("id" = i64, Path, description = "Id van de tafel")), request_body = NieuwLid,
    responses((status = 200, body = Tafel), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn add_member(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<NieuwLid>) -> ApiResult<Tafel> {
    let tid = id(&raw).map_err(err)?;
    let input = MemberInput { organisation_id: b.organisatieId, sector: b.sector.unwrap_or_default(), part: b.rol.unwrap_or_default(), from: b.vanaf.unwrap_or_default() };
    s.app.add_table_member(&rc.ctx, tid, &input).await.map_err(err)?;
    view(&s, &rc, tid).await
}

/// Een lidmaatschap vandaag beëindigen (LIEC-coördinator).
#[utoipa::path(post, path = "/fenomeentafels/{id}/leden/{lidId}/_beeindigen", tag = "fenomeentafels",
    params(("id" = i64, Path, description = "Id van de tafel"), ("lidId" = i64, Path, description = "Id van het lidmaatschap")),
    responses((status = 200, body = Tafel), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn end_member(State(s): State<AppState>, Api(rc): Api, Path((raw, member)): Path<(String, String)>) -> ApiResult<Tafel> {
    let tid = id(&raw).map_err(err)?;
    let member_id = sub_id(&member, "lidmaatschap").map_err(err)?;
    s.app.end_table_member(&rc.ctx, tid, member_id).await.map_err(err)?;
    view(&s, &rc, tid).await
}

/// Een overleg vastleggen met agenda, aanwezigen en besluiten (LIEC-coördinator).
#[utoipa::path(post, path = "/fenomeentafels/{id}/overleggen", tag = "fenomeentafels", params(("id" = i64, Path, description = "Id van de tafel")), request_body = NieuwOverleg,
    responses((status = 200, body = Tafel), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn add_meeting(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<NieuwOverleg>) -> ApiResult<Tafel> {
    let tid = id(&raw).map_err(err)?;
    let input = MeetingInput {
        held_on: b.datum.unwrap_or_default(),
        agenda: b.agenda.unwrap_or_default(),
        decisions: b.besluiten.unwrap_or_default(),
        present: b.aanwezig.unwrap_or_default(),
    };
    s.app.add_table_meeting(&rc.ctx, tid, &input).await.map_err(err)?;
    view(&s, &rc, tid).await
}

/// Een actie afspreken (LIEC-coördinator).
#[utoipa::path(post, path = "/fenomeentafels/{id}/acties", tag = "fenomeentafels", params(("id" = i64, Path, description = "Id van de tafel")), request_body = NieuweTafelActie,
    responses((status = 200, body = Tafel), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn add_action(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<NieuweTafelActie>) -> ApiResult<Tafel> {
    let tid = id(&raw).map_err(err)?;
    let input = ActionInput { kind: b.soort.unwrap_or_default(), title: b.titel.unwrap_or_default(), owner: b.trekkerId, due: b.deadline.unwrap_or_default() };
    s.app.add_table_action(&rc.ctx, tid, &input).await.map_err(err)?;
    view(&s, &rc, tid).await
}

/// De status van een actie melden (LIEC of de organisatie die de actie trekt).
#[utoipa::path(post, path = "/fenomeentafels/{id}/acties/{actieId}/_status", tag = "fenomeentafels",
    params(("id" = i64, Path, description = "Id van de tafel"), ("actieId" = i64, Path, description = "Id van de actie")), request_body = ActieStatus,
    responses((status = 200, body = Tafel), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn action_status(State(s): State<AppState>, Api(rc): Api, Path((raw, action)): Path<(String, String)>, ApiJson(b): ApiJson<ActieStatus>) -> ApiResult<Tafel> {
    let tid = id(&raw).map_err(err)?;
    let action_id = sub_id(&action, "actie").map_err(err)?;
    s.app.set_table_action_status(&rc.ctx, tid, action_id, b.status.as_deref().unwrap_or("")).await.map_err(err)?;
    view(&s, &rc, tid).await
}

/// Van een actie een concept-bestuurlijk signaal maken (LIEC-coördinator); vul het daarna aan
/// en dien het in bij het loket.
#[utoipa::path(post, path = "/fenomeentafels/{id}/acties/{actieId}/_signaal", tag = "fenomeentafels",
    params(("id" = i64, Path, description = "Id van de tafel"), ("actieId" = i64, Path, description = "Id van de actie")),
    responses((status = 201, body = GemaaktSignaal), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn action_signal(
    State(s): State<AppState>,
    Api(rc): Api,
    Path((raw, action)): Path<(String, String)>,
) -> Result<(StatusCode, Json<GemaaktSignaal>), axum::response::Response> {
    let tid = id(&raw).map_err(err)?;
    let action_id = sub_id(&action, "actie").map_err(err)?;
    let signal = s.app.table_action_to_signal(&rc.ctx, tid, action_id).await.map_err(err)?;
    let Json(tafel) = view(&s, &rc, tid).await?;
    Ok((StatusCode::CREATED, Json(GemaaktSignaal { signaalId: signal, tafel })))
}
