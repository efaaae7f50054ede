//! `/logboeken`: the audit log and the processing log by month — which months are archived
//! (with their signed manifests) and what the database still holds.

use super::wire::utc;
use super::{err, Api, ApiResult};
use crate::problem::Problem;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(non_snake_case)]
pub struct GearchiveerdDeel {
    /// `audit` of `verwerkingen`.
    pub logboek: String,
    /// De maand, `JJJJ-MM` (UTC).
    pub periode: String,
    /// Auditlog: het eerste en laatste volgnummer van de keten; verwerkingenlogboek: het laagste en hoogste regelnummer.
    pub vanaf: i64,
    pub tot_en_met: i64,
    pub regels: i64,
    /// Het archiefbestand (JSON Lines) in de archiefmap.
    pub bestand: String,
    /// SHA-256 van het bestand, zoals ondertekend in het manifest.
    pub sha256: String,
    /// Auditlog: de hash van de laatste rij, waarop de keten in de database verdergaat.
    pub laatsteHash: String,
    pub gearchiveerdOp: DateTime<Utc>,
    pub gearchiveerdDoor: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MaandInDatabase {
    /// `JJJJ-MM` (UTC).
    pub periode: String,
    pub auditregels: i64,
    pub verwerkingsregels: i64,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(non_snake_case)]
pub struct Logboeken {
    /// Maanden die uit de database naar archiefbestanden zijn verplaatst, nieuwste eerst.
    pub gearchiveerd: Vec<GearchiveerdDeel>,
    /// Maanden die nog in de database staan, nieuwste eerst.
    pub inDatabase: Vec<MaandInDatabase>,
    /// Zoveel maanden blijven in de database; oudere afgelopen maanden worden gearchiveerd.
    pub bewaardInDatabaseMaanden: u32,
}

/// De logboeken per maand: wat gearchiveerd is (met het ondertekende manifest) en wat nog in de database staat (auditor, privacyfunctionaris).
#[utoipa::path(get, path = "/logboeken", tag = "bewaartermijnen",
    responses((status = 200, body = Logboeken), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn overview(State(s): State<AppState>, Api(rc): Api) -> ApiResult<Logboeken> {
    let o = s.app.log_overview(&rc.ctx).await.map_err(err)?;
    Ok(Json(Logboeken {
        gearchiveerd: o
            .archived
            .into_iter()
            .map(|m| GearchiveerdDeel {
                logboek: m.log,
                periode: m.period,
                vanaf: m.first_seq,
                tot_en_met: m.last_seq,
                regels: m.row_count,
                bestand: m.file_name,
                sha256: m.file_sha256,
                laatsteHash: m.last_hash,
                gearchiveerdOp: utc(m.archived_at),
                gearchiveerdDoor: m.archived_by,
            })
            .collect(),
        inDatabase: o.hot.into_iter().map(|(periode, auditregels, verwerkingsregels)| MaandInDatabase { periode, auditregels, verwerkingsregels }).collect(),
        bewaardInDatabaseMaanden: o.keep_months,
    }))
}
