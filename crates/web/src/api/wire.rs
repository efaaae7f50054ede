//! Wire types of the API: camelCase JSON, Dutch names, UTC timestamps. Separate from the
//! read models of the use cases so that the API changes only on purpose.

#![allow(non_snake_case)] // field names are the JSON names

use chrono::{DateTime, Utc};
use knooppunt_app::views::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn utc(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Regio {
    /// Stabiele code, bijvoorbeeld `oost-brabant`.
    pub code: String,
    pub naam: String,
    /// `riec`, `liec` of `euriec`.
    pub soort: String,
    pub actief: bool,
    pub bijgewerktOp: DateTime<Utc>,
}

impl From<&RegionRow> for Regio {
    fn from(r: &RegionRow) -> Self {
        Self { code: r.code.clone(), naam: r.name.clone(), soort: r.kind.clone(), actief: r.active, bijgewerktOp: utc(r.updated_at) }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Gebeurtenis {
    pub soort: String,
    pub toelichting: String,
    pub door: String,
    pub op: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegioDetail {
    #[serde(flatten)]
    pub regio: Regio,
    pub bovenliggendeRegio: Option<String>,
    pub opgegaanIn: Option<String>,
    pub gemeenten: Vec<GemeenteKort>,
    pub geschiedenis: Vec<Gebeurtenis>,
}

impl From<RegionDetail> for RegioDetail {
    fn from(d: RegionDetail) -> Self {
        Self {
            regio: Regio::from(&d.region),
            bovenliggendeRegio: d.parent.map(|p| p.code),
            opgegaanIn: d.merged_into.map(|p| p.code),
            gemeenten: d.municipalities.iter().map(|m| GemeenteKort { cbsCode: m.cbs_code.clone(), naam: m.name.clone() }).collect(),
            geschiedenis: d.events.into_iter().map(|e| Gebeurtenis { soort: e.event, toelichting: e.detail, door: e.actor, op: utc(e.at) }).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GemeenteKort {
    pub cbsCode: String,
    pub naam: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Gemeente {
    pub cbsCode: String,
    pub naam: String,
    pub provincie: String,
    /// Code van de RIEC-regio.
    pub regio: String,
}

impl From<&MunicipalityRow> for Gemeente {
    fn from(m: &MunicipalityRow) -> Self {
        Self { cbsCode: m.cbs_code.clone(), naam: m.name.clone(), provincie: m.province.clone(), regio: m.region_code.clone() }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegioPeriode {
    pub regio: String,
    pub vanaf: DateTime<Utc>,
    pub tot: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GemeenteDetail {
    #[serde(flatten)]
    pub gemeente: Gemeente,
    pub regioHistorie: Vec<RegioPeriode>,
}

impl From<MunicipalityDetail> for GemeenteDetail {
    fn from(d: MunicipalityDetail) -> Self {
        Self {
            gemeente: Gemeente::from(&d.municipality),
            regioHistorie: d.history.into_iter().map(|h| RegioPeriode { regio: h.region_code, vanaf: utc(h.valid_from), tot: h.valid_to.map(utc) }).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Organisatie {
    pub id: i64,
    pub naam: String,
    pub partnertype: String,
    pub landelijk: bool,
    /// Naam van de regio waarin de organisatie werkt; leeg bij landelijke partners.
    pub regio: Option<String>,
}

impl From<&OrganisationRow> for Organisatie {
    fn from(o: &OrganisationRow) -> Self {
        Self { id: o.id, naam: o.name.clone(), partnertype: o.partner_type.clone(), landelijk: o.national, regio: o.region_name.clone() }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Rol {
    pub rol: String,
    pub regio: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Gebruiker {
    pub id: i64,
    pub gebruikersnaam: String,
    pub naam: String,
    pub email: String,
    pub organisatieId: i64,
    pub organisatie: String,
    pub actief: bool,
    pub tweedeFactor: bool,
    pub rollen: Vec<Rol>,
    pub aangemaaktOp: DateTime<Utc>,
}

impl From<UserView> for Gebruiker {
    fn from(u: UserView) -> Self {
        Self {
            id: u.id,
            gebruikersnaam: u.username,
            naam: u.display_name,
            email: u.email,
            organisatieId: u.organisation_id,
            organisatie: u.organisation_name,
            actief: u.active,
            tweedeFactor: u.has_totp,
            rollen: u.roles.into_iter().map(|r| Rol { rol: r.role, regio: r.region_name }).collect(),
            aangemaaktOp: utc(u.created_at),
        }
    }
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NieuweRegio {
    pub code: Option<String>,
    pub naam: Option<String>,
    pub soort: Option<String>,
    pub bovenliggendeRegio: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RegioWijziging {
    pub naam: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Samenvoeging {
    pub doelRegio: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GemeenteWijziging {
    pub regio: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NieuweOrganisatie {
    pub naam: Option<String>,
    pub partnertype: Option<String>,
    pub regio: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RolInvoer {
    pub rol: Option<String>,
    pub regio: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NieuweGebruiker {
    pub gebruikersnaam: Option<String>,
    pub naam: Option<String>,
    pub email: Option<String>,
    pub organisatieId: Option<i64>,
    pub wachtwoord: Option<String>,
    pub rollen: Option<Vec<RolInvoer>>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GebruikerWijziging {
    pub actief: Option<bool>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Gebruikerzoekvraag {
    /// Deel van de naam of gebruikersnaam.
    pub zoek: Option<String>,
}
