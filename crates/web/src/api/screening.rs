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
    /// Koppeling van velden aan kolommen: `id=nr,achternaam=achternaam,geboortedatum=geboren,id:bsn=bsn`.
    /// Velden: id, soort, naam, voornamen, voorvoegsel, achternaam, geboortedatum, bedrijfsnaam,
    /// straat, huisnummer, postcode, plaats, id:<soort>; ook de Engelse namen van `knooppunt link`
    /// (kind, full_name, given_names, prefix, surname, birth_date, company_name, street,
    /// house_number, postcode, city).
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
            .map(|h| ScreeningTreffer {
                rij: h.row.clone(),
                betrokkene: Betrokkene::from(&h.subject),
                casusId: h.subject.case_id,
                casusKenmerk: h.case_reference.clone(),
                sterkte: h.strength,
                velden: h.fields.clone(),
            })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GecodeerdeScreeningInvoer {
    /// De gecodeerde lijst: de CSV-uitvoer van `knooppunt encode` (kopregel
    /// `id,soort,clk,velden,sleutels,identificaties,sleutelcontrole`), hoogstens 10.000 rijen.
    /// Gemaakt bij de partner met de sleutel van het netwerk; het platform ziet geen gewone
    /// waarden.
    pub lijst: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GecodeerdAntwoord {
    /// De sleutel van de rij in de lijst.
    pub rij: String,
    /// Treffer of geen treffer.
    pub treffer: bool,
    /// Bij een treffer: de casus waarin de betrokkene staat (een casus die u mag zien).
    pub casusId: Option<i64>,
    pub casusKenmerk: Option<String>,
    /// Matchkans in promille.
    pub sterkte: Option<i64>,
    /// Velden die overeenkwamen (namen, nooit waarden).
    pub velden: Vec<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GecodeerdeScreeningUitkomst {
    pub rijen: usize,
    pub overgeslagen: Vec<OvergeslagenRij>,
    /// Het aantal gecodeerde betrokkenen in uw zichtbare casussen waarmee is vergeleken.
    pub vergelekenMet: usize,
    pub antwoorden: Vec<GecodeerdAntwoord>,
}

/// Een gecodeerde lijst (privacyvriendelijk: `knooppunt encode`) screenen tegen de gecodeerde
/// index van de betrokkenen in de casussen die u mag zien: per rij treffer of geen treffer.
/// Vraag en antwoord bevatten geen gewone waarden. 409 als de gecodeerde index niet aan staat;
/// 400 bij een lijst met een andere sleutel.
#[utoipa::path(post, path = "/screeningen/gecodeerd", tag = "treffers", request_body = GecodeerdeScreeningInvoer,
    responses((status = 200, body = GecodeerdeScreeningUitkomst), (status = 400, body = Problem), (status = 409, body = Problem)))]
pub async fn screen_encoded(State(s): State<AppState>, Api(rc): Api, ApiJson(b): ApiJson<GecodeerdeScreeningInvoer>) -> ApiResult<GecodeerdeScreeningUitkomst> {
    let r = s.app.screen_encoded_list(&rc.ctx, b.lijst.as_deref().unwrap_or("")).await.map_err(err)?;
    Ok(Json(GecodeerdeScreeningUitkomst {
        rijen: r.rows,
        overgeslagen: r.skipped.into_iter().map(|(regel, reden)| OvergeslagenRij { regel, reden }).collect(),
        vergelekenMet: r.compared_with,
        antwoorden: r
            .answers
            .into_iter()
            .map(|a| match a.hit {
                Some(h) => {
                    GecodeerdAntwoord { rij: a.row, treffer: true, casusId: Some(h.case_id), casusKenmerk: Some(h.case_reference), sterkte: Some(h.strength), velden: h.fields }
                }
                None => GecodeerdAntwoord { rij: a.row, treffer: false, casusId: None, casusKenmerk: None, sterkte: None, velden: Vec::new() },
            })
            .collect(),
    }))
}
