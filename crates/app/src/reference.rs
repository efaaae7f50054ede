//! Reference data compiled into the binary: the regions and municipalities of
//! `reference/*.csv` (see `reference/README.md` for their sources), the national partner
//! organisations, and the register of processing activities. Loading is idempotent.

use crate::{commit, App, AppError, Ctx, Object, Outcome};
use knooppunt_domain::{CbsCode, PartnerType, RegionCode, RegionKind};
use knooppunt_store::network::{self, NewOrganisation, NewRegion};
use knooppunt_store::processing::{self, Activity};

const REGIOS_CSV: &str = include_str!("../../../reference/regios.csv");
const GEMEENTEN_CSV: &str = include_str!("../../../reference/gemeenten.csv");

#[derive(Debug, Clone, serde::Deserialize)]
pub struct RegionRecord {
    pub code: String,
    pub naam: String,
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct MunicipalityRecord {
    pub cbs_code: String,
    pub naam: String,
    pub provincie: String,
    pub riec_regio: String,
}

fn parse<T: serde::de::DeserializeOwned>(csv_text: &str) -> Result<Vec<T>, AppError> {
    csv::Reader::from_reader(csv_text.as_bytes()).deserialize().collect::<Result<Vec<T>, _>>().map_err(|e| AppError::Internal(format!("reference data: {e}")))
}

pub fn regions() -> Result<Vec<RegionRecord>, AppError> {
    parse(REGIOS_CSV)
}

pub fn municipalities() -> Result<Vec<MunicipalityRecord>, AppError> {
    parse(GEMEENTEN_CSV)
}

/// The national covenant partners, one organisation each, active in every region.
pub const NATIONAL_PARTNERS: &[(&str, PartnerType)] = &[
    ("Openbaar Ministerie", PartnerType::OpenbaarMinisterie),
    ("Nationale Politie", PartnerType::Politie),
    ("Belastingdienst", PartnerType::Belastingdienst),
    ("Belastingdienst/Toeslagen", PartnerType::Toeslagen),
    ("Douane", PartnerType::Douane),
    ("FIOD", PartnerType::Fiod),
    ("Nederlandse Arbeidsinspectie", PartnerType::Arbeidsinspectie),
    ("Koninklijke Marechaussee", PartnerType::Marechaussee),
    ("Immigratie- en Naturalisatiedienst", PartnerType::Ind),
    ("UWV", PartnerType::Uwv),
    ("Nederlandse Voedsel- en Warenautoriteit", PartnerType::Nvwa),
    ("LIEC", PartnerType::Liec),
];

/// The register of processing activities (verwerkingsregister) as far as this version uses it.
pub fn processing_activities() -> Vec<Activity> {
    vec![
        Activity {
            code: "accountbeheer".into(),
            name: "Beheer van gebruikersaccounts".into(),
            purpose: "Toegang tot knooppunt verlenen, beperken en verantwoorden".into(),
            legal_basis: "AVG art. 6 lid 1 onder c en e; BIO 9.2".into(),
            data_categories: "naam, gebruikersnaam, e-mailadres, organisatie, rollen".into(),
            retention: "tot één jaar na het opheffen van het account".into(),
        },
        Activity {
            code: "verwerkingen-betrokkene".into(),
            name: "Opzoeken van de verwerkingen van een betrokkene".into(),
            purpose: "Een verzoek van een betrokkene beantwoorden (inzage, art. 15 AVG) en toezien op de verwerkingen".into(),
            legal_basis: "AVG art. 5 lid 2, 15 en 24; AVG art. 6 lid 1 onder c".into(),
            data_categories: "BSN of KvK-nummer (alleen voor het zoeken, niet bewaard), pseudoniemen in het verwerkingenlogboek".into(),
            retention: "de zoekvraag wordt niet bewaard; de logregel volgt de bewaartermijn van het logboek".into(),
        },
        Activity {
            code: "verzoek-betrokkene".into(),
            name: "Behandelen van een verzoek van een betrokkene".into(),
            purpose: "Een verzoek om inzage, rectificatie, wissing, beperking of bezwaar (art. 15-21 AVG) namens alle partners die gegevens over de persoon leverden beantwoorden binnen de wettelijke termijn".into(),
            legal_basis: "AVG art. 6 lid 1 onder c, art. 12 en 15-21; art. 26 AVG (gezamenlijke verwerkingsverantwoordelijkheid)".into(),
            data_categories: "naam en BSN of KvK-nummer van de verzoeker, de vaststelling van de identiteit (zonder documentnummer), het verzoek, de standpunten van de partners en de gegevens die zij verstrekken".into(),
            retention: "het verzoek en het antwoord: volgens de bewaartermijn van het dossier van de partner die het ontving".into(),
        },
        Activity {
            code: crate::events::ACTIVITY.into(),
            name: "Organiseren van bijeenkomsten van het LIEC".into(),
            purpose: "Aanmeldingen voor themabijeenkomsten, masterclasses en de aftrap van fenomeentafels beheren: plaatsen, wachtlijst, deelnemerslijst".into(),
            legal_basis: "AVG art. 6 lid 1 onder e (publieke taak van het LIEC: kennisdeling in het netwerk)".into(),
            data_categories: "naam, e-mailadres en organisatie van de deelnemer, een opmerking voor de organisatie".into(),
            retention: "tot het aantal weken na de bijeenkomst dat de organisator instelt (standaard vier); daarna gewist".into(),
        },
        case_activity("casusdossier-inzien", "Inzien van een casusdossier", "Integrale aanpak van ondermijnende criminaliteit door de convenantpartners"),
        case_activity("casusdossier-exporteren", "Afdrukken of exporteren van een casusdossier", "Verantwoording en overdracht binnen de integrale aanpak"),
        case_activity("casusdossier-zoeken", "Zoeken naar betrokkenen in casussen", "Vaststellen of een betrokkene al in een zichtbare casus voorkomt"),
        case_activity(
            "kruisverband-detectie",
            "Vergelijken van betrokkenen tussen regio's (hit/no-hit)",
            "Vaststellen dat een betrokkene ook in een casus van een andere regio voorkomt, zonder gegevens te delen",
        ),
        case_activity("treffer-inzien", "Inzien van treffers tussen regio's", "Beoordelen van een treffer en besluiten over delen na wederzijds akkoord"),
    ]
}

fn case_activity(code: &str, name: &str, purpose: &str) -> Activity {
    Activity {
        code: code.into(),
        name: name.into(),
        purpose: purpose.into(),
        legal_basis: "WGS; AVG art. 6 lid 1 onder e; Privacyprotocol RIECs-LIEC (gezamenlijke verwerkingsverantwoordelijkheid, art. 26 AVG)".into(),
        data_categories: "identificerende gegevens, adres, voertuigen, bankrekeningen, relaties, strafrechtelijke gegevens in informatiebijdragen".into(),
        retention: "volgens de bewaartermijn per fase (instelbaar); daarna vernietiging met vernietigingsverklaring".into(),
    }
}

/// What `load_reference` added.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LoadReport {
    pub regions: usize,
    pub municipalities: usize,
    pub organisations: usize,
}

impl App {
    /// Loads the reference network; what exists already is left as it is (an administrator may
    /// have renamed, merged or moved it since).
    pub async fn load_reference(&self, ctx: &Ctx) -> Result<LoadReport, AppError> {
        let now = self.now();
        let mut report = LoadReport::default();
        let mut tx = self.begin().await?;
        for a in processing_activities() {
            processing::upsert_activity(&mut tx, &a).await?;
        }
        let regions = regions()?;
        for r in &regions {
            let code = RegionCode::parse(&r.code).map_err(AppError::Internal)?;
            let kind = RegionKind::parse(&r.kind).map_err(AppError::Internal)?;
            if network::find_region_by_code(&mut tx, code.as_str()).await?.is_some() {
                continue;
            }
            // EURIEC is part of RIEC Limburg.
            let parent_id = match kind {
                RegionKind::Euriec => network::find_region_by_code(&mut tx, "limburg").await?.map(|p| p.id),
                _ => None,
            };
            let id = network::insert_region(&mut tx, NewRegion { code: code.as_str(), name: &r.naam, kind: kind.code(), parent_id }, now).await?;
            if kind == RegionKind::Riec {
                let name = format!("RIEC-bureau {}", r.naam.trim_start_matches("RIEC "));
                network::insert_organisation(
                    &mut tx,
                    NewOrganisation { name: &name, partner_type: PartnerType::RiecBureau.code(), municipality_id: None, home_region_id: Some(id), national: false },
                    now,
                )
                .await?;
                report.organisations += 1;
            }
            report.regions += 1;
        }
        for m in municipalities()? {
            let cbs = CbsCode::parse(&m.cbs_code).map_err(AppError::Internal)?;
            if network::find_municipality_by_cbs(&mut tx, cbs.as_str()).await?.is_some() {
                continue;
            }
            let region =
                network::find_region_by_code(&mut tx, &m.riec_regio).await?.ok_or_else(|| AppError::Internal(format!("reference data: unknown region {}", m.riec_regio)))?;
            // A region merged since keeps its code; its municipalities belong to the successor.
            let region_id = region.merged_into_id.unwrap_or(region.id);
            let mid = network::insert_municipality(&mut tx, cbs.as_str(), &m.naam, &m.provincie, region_id, now).await?;
            let name = format!("Gemeente {}", m.naam);
            network::insert_organisation(
                &mut tx,
                NewOrganisation { name: &name, partner_type: PartnerType::Gemeente.code(), municipality_id: Some(mid), home_region_id: None, national: false },
                now,
            )
            .await?;
            report.municipalities += 1;
            report.organisations += 1;
        }
        for (name, kind) in NATIONAL_PARTNERS {
            if network::find_organisation_by_name(&mut tx, name).await?.is_some() {
                continue;
            }
            network::insert_organisation(&mut tx, NewOrganisation { name, partner_type: kind.code(), municipality_id: None, home_region_id: None, national: true }, now).await?;
            report.organisations += 1;
        }
        self.load_signal_reference(&mut tx).await?;
        self.load_case_reference(&mut tx).await?;
        self.load_sheets(&mut tx).await?;
        let detail = format!("{} regio's, {} gemeenten, {} organisaties toegevoegd", report.regions, report.municipalities, report.organisations);
        self.audit(&mut tx, ctx, "referentiedata-geladen", &Object::new("netwerk", "referentie"), Outcome::Ok, &detail).await?;
        commit(tx).await?;
        self.prepare_search().await?;
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_files_are_complete_and_consistent() -> Result<(), AppError> {
        let regions = regions()?;
        assert_eq!(regions.len(), 12);
        assert_eq!(regions.iter().filter(|r| r.kind == "riec").count(), 10);
        let munis = municipalities()?;
        assert_eq!(munis.len(), 342);
        for m in &munis {
            assert!(CbsCode::parse(&m.cbs_code).is_ok(), "{}", m.cbs_code);
            assert!(regions.iter().any(|r| r.code == m.riec_regio && r.kind == "riec"), "{}", m.riec_regio);
        }
        Ok(())
    }
}
