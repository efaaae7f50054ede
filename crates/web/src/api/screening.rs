//! `/screeningen`: screen a list (CSV with a header row) against the subjects of the cases the
//! caller may see.

#![allow(non_snake_case)] // field names are the JSON names

use super::cases::Betrokkene;
use super::{err, Api, ApiJson, ApiResult};
use crate::problem::Problem;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScreeningInvoer {
    /// De lijst als CSV (UTF-8, kopregel, `,` of `;`), hoogstens 10.000 rijen.
    pub lijst: Option<String>,
    /// Koppeling van velden aan kolommen: `id=nr,surname=achternaam,birth_date=geboren,id:bsn=bsn`.
    /// Velden: id, kind, full_name, given_names, prefix, surname, birth_date, company_name,
    /// street, house_number, postcode, city, id:<soort>.
    pub mapping: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OvergeslagenRij {
    pub regel: u64,
    pub reden: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScreeningTreffer {
    /// De sleutel van de rij in de lijst.
    pub rij: String,
    pub betrokkene: Betrokkene,
    pub casusId: i64,
    pub casusKenmerk: String,
    /// Matchkans in promille.
    pub sterkte: i64,
    /// Velden die overeenkwamen.
    pub velden: Vec<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScreeningUitkomst {
    pub rijen: usize,
    pub overgeslagen: Vec<OvergeslagenRij>,
    /// Rijen zonder bruikbare naam, adres of identificatie.
    pub nietVergelijkbaar: u64,
    /// Het aantal betrokkenen in uw zichtbare casussen waarmee is vergeleken.
    pub vergelekenMet: usize,
    pub treffers: Vec<ScreeningTreffer>,
}

/// Een lijst (bijvoorbeeld vergunningaanvragers) screenen tegen de betrokkenen in de casussen
/// die u mag zien. Elke treffer wordt vastgelegd in het verwerkingenlogboek.
#[utoipa::path(post, path = "/screeningen", tag = "treffers", request_body = ScreeningInvoer,
    responses((status = 200, body = ScreeningUitkomst), (status = 400, body = Problem)))]
pub async fn screen(State(s): State<AppState>, Api(rc): Api, ApiJson(b): ApiJson<ScreeningInvoer>) -> ApiResult<ScreeningUitkomst> {
    let r = s.app.screen_list(&rc.ctx, b.lijst.as_deref().unwrap_or(""), b.mapping.as_deref().unwrap_or("")).await.map_err(err)?;
    Ok(Json(ScreeningUitkomst {
        rijen: r.rows,
        overgeslagen: r.skipped.into_iter().map(|(regel, reden)| OvergeslagenRij { regel, reden }).collect(),
        nietVergelijkbaar: r.unmatchable,
        vergelekenMet: r.compared_with,
        treffers: r
            .hits
            .iter()
            .map(|h| ScreeningTreffer { rij: h.row.clone(), betrokkene: Betrokkene::from(&h.subject), casusId: h.subject.case_id, casusKenmerk: h.case_reference.clone(), sterkte: h.strength, velden: h.fields.clone() })
            .collect(),
    }))
}
