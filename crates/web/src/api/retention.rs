//! `/bewaartermijnen`, `/verlengingen`, `/bewaarplichten`, `/vernietigingen`: retention rules
//! and the decisions on finished cases whose period has passed.

use super::wire::utc;
use super::{err, Api, ApiJson, ApiResult};
use crate::problem::Problem;
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use chrono::{DateTime, Utc};
use knooppunt_app::retention::{DestroyInput, ExtendInput, HoldInput, Rule, RuleInput};
use knooppunt_app::AppError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(non_snake_case)]
pub struct Bewaartermijn {
    /// Code van de regel, bijvoorbeeld `casus-afgesloten`.
    pub code: String,
    /// Soort object, nu `casus`.
    pub objectsoort: String,
    /// Fase waarin het object is geëindigd.
    pub fase: String,
    /// Gebeurtenis vanaf wanneer de termijn loopt: `signaal-afgewezen`, `pre-casus-beeindigd` of `casus-afgesloten`.
    pub aanleiding: String,
    pub termijnMaanden: i64,
    /// `beoordelen`, `vernietigen` of `anonimiseren`.
    pub actie: String,
    pub bron: String,
    /// Een standaardtermijn die de privacyfunctionaris nog niet bevestigde.
    pub standaard: bool,
    pub vastgesteldOp: Option<DateTime<Utc>>,
    pub vastgesteldDoor: String,
    pub versie: i64,
}

impl From<&Rule> for Bewaartermijn {
    fn from(r: &Rule) -> Self {
        let r = &r.row;
        Self {
            code: r.code.clone(),
            objectsoort: r.object_kind.clone(),
            fase: r.phase.clone(),
            aanleiding: r.trigger_event.clone(),
            termijnMaanden: r.period_months,
            actie: r.action.clone(),
            bron: r.source.clone(),
            standaard: r.is_default,
            vastgesteldOp: r.changed_at.map(utc),
            vastgesteldDoor: r.changed_by.clone(),
            versie: r.version,
        }
    }
}

/// De bewaartermijnen.
#[utoipa::path(get, path = "/bewaartermijnen", tag = "bewaartermijnen",
    responses((status = 200, body = [Bewaartermijn]), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn rules(State(s): State<AppState>, Api(rc): Api) -> ApiResult<Vec<Bewaartermijn>> {
    let r = s.app.retention_rules(&rc.ctx).await.map_err(err)?;
    Ok(Json(r.rules.iter().map(Bewaartermijn::from).collect()))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BewaartermijnWijziging {
    /// Termijn in maanden (1 tot en met 1200).
    pub termijn: Option<i64>,
    pub actie: Option<String>,
    pub bron: Option<String>,
    /// De versie die u wijzigt (optimistische vergrendeling).
    pub versie: Option<i64>,
}

/// Een bewaartermijn vaststellen of wijzigen (privacyfunctionaris); ook ongewijzigd opslaan bevestigt hem.
#[utoipa::path(patch, path = "/bewaartermijnen/{code}", tag = "bewaartermijnen", params(("code" = String, Path, description = "Code van de regel")),
    request_body = BewaartermijnWijziging,
    responses((status = 200, body = Bewaartermijn), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn change_rule(State(s): State<AppState>, Api(rc): Api, Path(code): Path<String>, ApiJson(b): ApiJson<BewaartermijnWijziging>) -> ApiResult<Bewaartermijn> {
    let input = RuleInput {
        period_months: b.termijn.map(|n| n.to_string()).unwrap_or_default(),
        action: b.actie.unwrap_or_default(),
        source: b.bron.unwrap_or_default(),
        version: b.versie.unwrap_or(0),
    };
    let r = s.app.change_retention_rule(&rc.ctx, &code, &input).await.map_err(err)?;
    Ok(Json(Bewaartermijn::from(&r)))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(non_snake_case)]
pub struct VerstrekenDossier {
    pub id: i64,
    pub kenmerk: String,
    /// De regio van het dossier; bij een bestuurlijk signaal het landelijk loket.
    pub regio: String,
    /// De fase waarin het dossier eindigde; bij een bestuurlijk signaal de status.
    pub fase: String,
    pub afgeslotenOp: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VerstrekenPerRegel {
    pub regel: Bewaartermijn,
    /// Hoeveel objecten van de objectsoort van de regel (dossiers, ingetrokken informatiebijdragen, bestuurlijke signalen, landelijke aanpakken, ondersteuningsvragen) te beoordelen zijn.
    pub totaal: i64,
    /// De oudste (hoogstens 200), van de objectsoort van de regel; bij een ingetrokken informatiebijdrage is `id` die van de bijdrage en het kenmerk dat van haar casus.
    pub dossiers: Vec<VerstrekenDossier>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(non_snake_case)]
pub struct Bewaarplicht {
    pub id: i64,
    /// `casus`, `informatiebijdrage`, `bestuurlijk-signaal` of `landelijke-aanpak`.
    pub objectsoort: String,
    /// Het id van de casus, de informatiebijdrage, het bestuurlijk signaal of de landelijke aanpak (bij een informatiebijdrage is het kenmerk dat van haar casus).
    pub casusId: i64,
    pub kenmerk: String,
    pub regio: String,
    /// `rechtszaak`, `verzoek-betrokkene` of `onderzoek`.
    pub grond: String,
    pub reden: String,
    pub opgelegdDoor: String,
    pub opgelegdOp: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(non_snake_case)]
pub struct Vernietiging {
    pub id: i64,
    pub op: DateTime<Utc>,
    pub besloten: String,
    pub regel: String,
    pub objectsoort: String,
    pub dossiers: i64,
    pub betrokkenen: i64,
    pub informatiebijdragen: i64,
    pub bijlagen: i64,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(non_snake_case)]
pub struct Verstreken {
    pub perRegel: Vec<VerstrekenPerRegel>,
    pub bewaarplichten: Vec<Bewaarplicht>,
    /// De nieuwste vernietigingsverklaringen (zonder persoonsgegevens).
    pub vernietigingen: Vec<Vernietiging>,
    /// Of u mag besluiten (vernietigen, verlengen, bewaarplicht), niet alleen inzien.
    pub magBesluiten: bool,
}

/// Afgesloten dossiers waarvan de bewaartermijn verstreken is, per regel; bewaarplichten en vernietigingsverklaringen.
#[utoipa::path(get, path = "/bewaartermijnen/_verstreken", tag = "bewaartermijnen",
    responses((status = 200, body = Verstreken), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn due(State(s): State<AppState>, Api(rc): Api) -> ApiResult<Verstreken> {
    let o = s.app.retention_due(&rc.ctx).await.map_err(err)?;
    Ok(Json(Verstreken {
        perRegel: o
            .groups
            .iter()
            .map(|g| VerstrekenPerRegel {
                regel: Bewaartermijn::from(&g.rule),
                totaal: g.total,
                dossiers: g
                    .cases
                    .iter()
                    .map(|c| VerstrekenDossier { id: c.id, kenmerk: c.reference.clone(), regio: c.region_name.clone(), fase: c.phase.clone(), afgeslotenOp: c.closed_at.map(utc) })
                    .collect(),
            })
            .collect(),
        bewaarplichten: o
            .holds
            .iter()
            .map(|h| Bewaarplicht {
                id: h.id,
                objectsoort: h.object_kind.clone(),
                casusId: h.case_id,
                kenmerk: h.reference.clone(),
                regio: h.region_name.clone(),
                grond: h.ground.clone(),
                reden: h.reason.clone(),
                opgelegdDoor: h.placed_by.clone(),
                opgelegdOp: utc(h.placed_at),
            })
            .collect(),
        vernietigingen: o
            .destructions
            .iter()
            .map(|d| Vernietiging {
                id: d.id,
                op: utc(d.at),
                besloten: d.decided_by.clone(),
                regel: d.rule_code.clone(),
                objectsoort: d.object_kind.clone(),
                dossiers: d.objects,
                betrokkenen: d.subjects,
                informatiebijdragen: d.items,
                bijlagen: d.attachments,
            })
            .collect(),
        magBesluiten: o.can_decide,
    }))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Besluit {
    /// Op hoeveel dossiers het besluit betrekking had.
    pub aantal: i64,
}

fn besluit(n: usize) -> Json<Besluit> {
    Json(Besluit { aantal: i64::try_from(n).unwrap_or(i64::MAX) })
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Verlenging {
    /// Ids van afgesloten dossiers (hoogstens 200).
    pub casussen: Option<Vec<i64>>,
    /// Ids van afgesloten bestuurlijke signalen van het landelijk loket (hoogstens 200; alleen de privacyfunctionaris).
    pub signalen: Option<Vec<i64>>,
    /// Ids van afgeronde landelijke aanpakken (hoogstens 200; alleen de privacyfunctionaris).
    pub aanpakken: Option<Vec<i64>>,
    /// Ids van informatiebijdragen die de leverancier heeft ingetrokken (hoogstens 200).
    pub bijdragen: Option<Vec<i64>>,
    /// Ids van gesloten ondersteuningsvragen aan het LIEC (hoogstens 200).
    pub ondersteuningsvragen: Option<Vec<i64>>,
    /// Nieuwe einddatum, `JJJJ-MM-DD` of `dd-mm-jjjj`.
    pub tot: Option<String>,
    pub reden: Option<String>,
}

/// De bewaartermijn van afgesloten dossiers verlengen tot een datum, met een reden.
#[utoipa::path(post, path = "/verlengingen", tag = "bewaartermijnen", request_body = Verlenging,
    responses((status = 200, body = Besluit), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn extend(State(s): State<AppState>, Api(rc): Api, ApiJson(b): ApiJson<Verlenging>) -> ApiResult<Besluit> {
    let input = ExtendInput {
        cases: b.casussen.unwrap_or_default(),
        signals: b.signalen.unwrap_or_default(),
        approaches: b.aanpakken.unwrap_or_default(),
        items: b.bijdragen.unwrap_or_default(),
        support: b.ondersteuningsvragen.unwrap_or_default(),
        until: b.tot.unwrap_or_default(),
        reason: b.reden.unwrap_or_default(),
    };
    s.app.extend_retention(&rc.ctx, &input).await.map(besluit).map_err(err)
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NieuweBewaarplicht {
    /// Ids van afgesloten dossiers (hoogstens 200).
    pub casussen: Option<Vec<i64>>,
    /// Ids van afgesloten bestuurlijke signalen van het landelijk loket (hoogstens 200; alleen de privacyfunctionaris).
    pub signalen: Option<Vec<i64>>,
    /// Ids van afgeronde landelijke aanpakken (hoogstens 200; alleen de privacyfunctionaris).
    pub aanpakken: Option<Vec<i64>>,
    /// Ids van informatiebijdragen die de leverancier heeft ingetrokken (hoogstens 200).
    pub bijdragen: Option<Vec<i64>>,
    /// Ids van gesloten ondersteuningsvragen aan het LIEC (hoogstens 200).
    pub ondersteuningsvragen: Option<Vec<i64>>,
    /// `rechtszaak`, `verzoek-betrokkene` of `onderzoek`.
    pub grond: Option<String>,
    pub reden: Option<String>,
}

/// Een bewaarplicht opleggen: de dossiers worden niet vernietigd zolang die geldt.
#[utoipa::path(post, path = "/bewaarplichten", tag = "bewaartermijnen", request_body = NieuweBewaarplicht,
    responses((status = 200, body = Besluit), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn hold(State(s): State<AppState>, Api(rc): Api, ApiJson(b): ApiJson<NieuweBewaarplicht>) -> ApiResult<Besluit> {
    let input = HoldInput {
        cases: b.casussen.unwrap_or_default(),
        signals: b.signalen.unwrap_or_default(),
        approaches: b.aanpakken.unwrap_or_default(),
        items: b.bijdragen.unwrap_or_default(),
        support: b.ondersteuningsvragen.unwrap_or_default(),
        ground: b.grond.unwrap_or_default(),
        reason: b.reden.unwrap_or_default(),
    };
    s.app.place_legal_hold(&rc.ctx, &input).await.map(besluit).map_err(err)
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Opheffing {
    pub reden: Option<String>,
}

/// Een bewaarplicht opheffen, met een reden.
#[utoipa::path(post, path = "/bewaarplichten/{id}/_opheffen", tag = "bewaartermijnen", params(("id" = i64, Path, description = "Id van de bewaarplicht")), request_body = Opheffing,
    responses((status = 200, body = Besluit), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn lift(State(s): State<AppState>, Api(rc): Api, Path(id): Path<String>, ApiJson(b): ApiJson<Opheffing>) -> ApiResult<Besluit> {
    let id = id.parse::<i64>().map_err(|_| err(AppError::NotFound("bewaarplicht")))?;
    s.app.lift_legal_hold(&rc.ctx, id, &b.reden.unwrap_or_default()).await.map(|()| besluit(1)).map_err(err)
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NieuweVernietiging {
    /// Ids van afgesloten dossiers waarvan de termijn verstreken is (hoogstens 200).
    pub casussen: Option<Vec<i64>>,
    /// Ids van afgesloten bestuurlijke signalen waarvan de termijn verstreken is (hoogstens 200; alleen de privacyfunctionaris).
    pub signalen: Option<Vec<i64>>,
    /// Ids van afgeronde landelijke aanpakken (hoogstens 200; alleen de privacyfunctionaris).
    pub aanpakken: Option<Vec<i64>>,
    /// Ids van informatiebijdragen die de leverancier heeft ingetrokken (hoogstens 200).
    pub bijdragen: Option<Vec<i64>>,
    /// Ids van gesloten ondersteuningsvragen aan het LIEC (hoogstens 200).
    pub ondersteuningsvragen: Option<Vec<i64>>,
    /// Moet `true` zijn: vernietigen kan niet ongedaan worden.
    pub bevestigd: Option<bool>,
}

/// Afgesloten dossiers vernietigen waarvan de termijn verstreken is (zonder bewaarplicht of lopende verlenging); schrijft een vernietigingsverklaring.
#[utoipa::path(post, path = "/vernietigingen", tag = "bewaartermijnen", request_body = NieuweVernietiging,
    responses((status = 200, body = Besluit), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn destroy(State(s): State<AppState>, Api(rc): Api, ApiJson(b): ApiJson<NieuweVernietiging>) -> ApiResult<Besluit> {
    let input = DestroyInput {
        cases: b.casussen.unwrap_or_default(),
        signals: b.signalen.unwrap_or_default(),
        approaches: b.aanpakken.unwrap_or_default(),
        items: b.bijdragen.unwrap_or_default(),
        support: b.ondersteuningsvragen.unwrap_or_default(),
        confirmed: b.bevestigd.unwrap_or(false),
    };
    s.app.destroy_cases(&rc.ctx, &input).await.map(besluit).map_err(err)
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Verwerkingsactiviteit {
    pub code: String,
    pub naam: String,
    pub verwerkingsverantwoordelijken: String,
    pub doel: String,
    pub grondslag: String,
    pub betrokkenen: String,
    pub persoonsgegevens: String,
    pub ontvangers: String,
    pub doorgifte: String,
    pub bewaartermijn: String,
    pub beveiliging: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Grondslag {
    pub naam: String,
    /// Het partnertype waarvoor de grondslag geldt, of "alle partners".
    pub partner: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PartnersPerType {
    pub partnertype: String,
    pub organisaties: i64,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(non_snake_case)]
pub struct Verwerkingsregister {
    pub verwerkingen: Vec<Verwerkingsactiviteit>,
    pub grondslagen: Vec<Grondslag>,
    pub doelen: Vec<String>,
    pub partners: Vec<PartnersPerType>,
    pub opgesteldOp: DateTime<Utc>,
}

/// Het register van verwerkingsactiviteiten (art. 30 AVG), opgebouwd uit de verwerkingen, grondslagen, doelen, bewaartermijnen en partners (privacyfunctionaris, auditor).
#[utoipa::path(get, path = "/verwerkingsregister", tag = "bewaartermijnen",
    responses((status = 200, body = Verwerkingsregister), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn register(State(s): State<AppState>, Api(rc): Api) -> ApiResult<Verwerkingsregister> {
    let r = s.app.processing_register(&rc.ctx).await.map_err(err)?;
    Ok(Json(Verwerkingsregister {
        verwerkingen: r
            .entries
            .into_iter()
            .map(|e| Verwerkingsactiviteit {
                code: e.code,
                naam: e.name,
                verwerkingsverantwoordelijken: e.controllers,
                doel: e.purpose,
                grondslag: e.legal_basis,
                betrokkenen: e.data_subjects,
                persoonsgegevens: e.data_categories,
                ontvangers: e.recipients,
                doorgifte: e.transfers,
                bewaartermijn: e.retention,
                beveiliging: e.security,
            })
            .collect(),
        grondslagen: r.legal_bases.into_iter().map(|(naam, partner)| Grondslag { naam, partner }).collect(),
        doelen: r.purposes,
        partners: r.partners.into_iter().map(|(partnertype, organisaties)| PartnersPerType { partnertype, organisaties }).collect(),
        opgesteldOp: utc(r.generated_at),
    }))
}
