//! `/signalen`, `/casussen` and everything under a case: the RIEC case files. A case the caller
//! may not see answers 404 on every path under it.

#![allow(non_snake_case)] // field names are the JSON names

use super::wire::utc;
use super::{err, missing, Api, ApiJson, ApiResult};
use crate::problem::Problem;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use knooppunt_app::cases::{CaseDetail, CaseQuery, InterventionProposal, InterventionUpdate, ItemDetail, ItemInput, MeetingInput, RelationInput, SignalRegistration, SubjectAdded};
use knooppunt_app::views::{CaseListRow, InterventionRow, ItemRow, SubjectHit, SubjectRow};
use knooppunt_app::AppError;
use knooppunt_domain::case::SubjectInput;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

fn id(raw: &str, what: &'static str) -> Result<i64, AppError> {
    raw.parse::<i64>().map_err(|_| AppError::NotFound(what))
}

fn u(s: Option<String>) -> String {
    s.unwrap_or_default()
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CasusSamenvatting {
    pub id: i64,
    pub kenmerk: String,
    /// `signaal`, `weging`, `pre-casus`, `casus`, `afgesloten` of `afgewezen`.
    pub fase: String,
    pub titel: String,
    pub gemeente: String,
    pub regio: String,
    pub gewijzigdOp: DateTime<Utc>,
}

impl From<&CaseListRow> for CasusSamenvatting {
    fn from(r: &CaseListRow) -> Self {
        Self {
            id: r.id,
            kenmerk: r.reference.clone(),
            fase: r.phase.clone(),
            titel: r.title.clone(),
            gemeente: r.municipality_name.clone(),
            regio: r.region_name.clone(),
            gewijzigdOp: utc(r.updated_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CasusLijst {
    pub totaal: i64,
    pub pagina: i64,
    pub paginagrootte: i64,
    pub casussen: Vec<CasusSamenvatting>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Deelnemer {
    pub organisatieId: i64,
    pub organisatie: String,
    pub toegelatenOp: DateTime<Utc>,
    pub reden: String,
    pub verwijderdOp: Option<DateTime<Utc>>,
    pub redenVerwijderd: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Teamlid {
    pub gebruikersnaam: String,
    pub naam: String,
    /// `casusregisseur`, `analist` of `jurist`.
    pub rol: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Betrokkene {
    pub id: i64,
    /// `persoon`, `rechtspersoon`, `adres`, `voertuig` of `rekening`.
    pub soort: String,
    pub naam: String,
    pub voornamen: String,
    pub voorvoegsel: String,
    pub geslachtsnaam: String,
    pub geboortedatum: String,
    pub bsn: String,
    pub handelsnaam: String,
    pub rechtsvorm: String,
    pub kvk: String,
    pub rsin: String,
    pub straat: String,
    pub postcode: String,
    pub huisnummer: String,
    pub plaats: String,
    pub bagId: String,
    pub kenteken: String,
    pub iban: String,
    pub toelichting: String,
    pub versie: i64,
}

impl From<&SubjectRow> for Betrokkene {
    fn from(s: &SubjectRow) -> Self {
        Self {
            id: s.id,
            soort: s.kind.clone(),
            naam: s.display_name.clone(),
            voornamen: s.fields.first_names.clone(),
            voorvoegsel: s.fields.prefix.clone(),
            geslachtsnaam: s.fields.surname.clone(),
            geboortedatum: s.fields.birth_date.clone(),
            bsn: s.fields.bsn.clone(),
            handelsnaam: s.fields.company_name.clone(),
            rechtsvorm: s.fields.legal_form.clone(),
            kvk: s.fields.kvk.clone(),
            rsin: s.fields.rsin.clone(),
            straat: s.fields.street.clone(),
            postcode: s.fields.postcode.clone(),
            huisnummer: s.fields.house_number.clone(),
            plaats: s.fields.city.clone(),
            bagId: s.fields.bag_id.clone(),
            kenteken: s.fields.licence_plate.clone(),
            iban: s.fields.iban.clone(),
            toelichting: s.fields.note.clone(),
            versie: s.version,
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Relatie {
    pub id: i64,
    pub van: i64,
    pub naar: i64,
    /// `bestuurder-van`, `eigenaar-van`, `ingeschreven-op`, `woont-op`, `gebruikt` of `betaalt-aan`.
    pub soort: String,
    pub vanaf: String,
    pub tot: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Bijdrage {
    pub id: i64,
    pub titel: String,
    pub inhoud: String,
    pub leverancier: String,
    pub leverancierId: i64,
    /// Code van de grondslag, bijvoorbeeld `wpg-20`.
    pub grondslag: String,
    pub doel: String,
    pub datum: String,
    pub betrouwbaarheid: String,
    pub rubricering: String,
    pub voorwaarden: String,
    pub uitvraagId: Option<i64>,
    /// Organisaties waaraan de bijdrage is vrijgegeven (alleen voor casusteam en leverancier).
    pub vrijgegevenAan: Vec<i64>,
    pub versie: i64,
    /// Wanneer de leverancier de bijdrage introk: geen vrijgaven, wijzigingen of gebruik meer.
    pub ingetrokkenOp: Option<DateTime<Utc>>,
    /// Waarom de leverancier de bijdrage introk (leeg als zij niet is ingetrokken of al vernietigd).
    pub redenIntrekking: String,
    /// Wanneer titel, inhoud en bijlagen van de ingetrokken bijdrage zijn vernietigd.
    pub vernietigdOp: Option<DateTime<Utc>>,
}

fn bijdrage(i: &ItemRow, released: Vec<i64>) -> Bijdrage {
    Bijdrage {
        id: i.id,
        titel: i.title.clone(),
        inhoud: i.body.clone(),
        leverancier: i.supplier_name.clone(),
        leverancierId: i.supplier_organisation_id,
        grondslag: i.legal_basis.clone(),
        doel: i.purpose.clone(),
        datum: i.info_date.clone(),
        betrouwbaarheid: i.reliability.clone(),
        rubricering: i.classification.clone(),
        voorwaarden: i.sharing_conditions.clone(),
        uitvraagId: i.request_id,
        vrijgegevenAan: released,
        versie: i.version,
        ingetrokkenOp: i.withdrawn_at.map(utc),
        redenIntrekking: i.withdrawn_reason.clone(),
        vernietigdOp: i.destroyed_at.map(utc),
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Vrijgave {
    pub organisatieId: i64,
    pub organisatie: String,
    pub op: DateTime<Utc>,
    pub door: String,
    /// `leverancier` of `toestemming-leverancier`.
    pub basis: String,
    pub ingetrokkenOp: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BijdrageDetail {
    #[serde(flatten)]
    pub bijdrage: Bijdrage,
    pub vrijgaven: Vec<Vrijgave>,
    pub bijlagen: Vec<super::signals::Bijlage>,
}

impl From<ItemDetail> for BijdrageDetail {
    fn from(d: ItemDetail) -> Self {
        let active = d.releases.iter().filter(|r| r.withdrawn_at.is_none()).map(|r| r.organisation_id).collect();
        Self {
            bijdrage: bijdrage(&d.item, active),
            vrijgaven: d
                .releases
                .iter()
                .map(|r| Vrijgave {
                    organisatieId: r.organisation_id,
                    organisatie: r.organisation_name.clone(),
                    op: utc(r.released_at),
                    door: r.released_by.clone(),
                    basis: r.basis.clone(),
                    ingetrokkenOp: r.withdrawn_at.map(utc),
                })
                .collect(),
            bijlagen: d
                .attachments
                .iter()
                .map(|a| super::signals::Bijlage {
                    id: a.id,
                    naam: a.file_name.clone(),
                    mediatype: a.content_type.clone(),
                    grootte: a.size,
                    sha256: a.sha256.clone(),
                    op: utc(a.at),
                })
                .collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UitvraagPartner {
    pub organisatieId: i64,
    pub organisatie: String,
    /// `open`, `beantwoord`, `geweigerd` of `te-laat` (open na de termijn).
    pub status: String,
    pub antwoordId: Option<i64>,
    pub reden: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Uitvraag {
    pub id: i64,
    pub vragen: String,
    pub termijn: String,
    pub door: String,
    pub partners: Vec<UitvraagPartner>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Advies {
    pub versie: i64,
    pub bevindingen: String,
    pub voorstellen: String,
    /// `concept` of `goedgekeurd`.
    pub status: String,
    pub auteur: String,
    pub goedgekeurdDoor: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Interventie {
    pub id: i64,
    pub soort: String,
    pub naam: String,
    pub categorie: String,
    pub partnerId: i64,
    pub partner: String,
    pub bevoegdheid: String,
    /// `voorgesteld`, `toegezegd`, `in-uitvoering`, `afgerond` of `gestopt`.
    pub status: String,
    pub besluit: String,
    /// Bedragen in eurocent.
    pub geindCent: Option<i64>,
    pub verrekendCent: Option<i64>,
    pub beslagenCent: Option<i64>,
    pub besluitdatum: String,
    pub einddatum: String,
    pub redenGestopt: String,
    pub geescaleerdOp: Option<DateTime<Utc>>,
    pub escalatie: String,
    pub versie: i64,
    /// De barrière uit een barrièremodel die de interventie opwerpt (alleen als u dat model mag lezen).
    pub barriereId: Option<i64>,
}

/// The interventions of a case as its reader sees them: a named barrier only when the reader
/// reads its model (it is among the reader's barrier choices).
fn interventions_of(interventions: &[InterventionRow], barriers: &[knooppunt_app::views::BarrierChoice]) -> Vec<Interventie> {
    interventions
        .iter()
        .map(|v| {
            let mut x = Interventie::from(v);
            x.barriereId = x.barriereId.filter(|b| barriers.iter().any(|c| c.id == *b));
            x
        })
        .collect()
}

impl From<&InterventionRow> for Interventie {
    fn from(v: &InterventionRow) -> Self {
        Self {
            id: v.id,
            soort: v.type_code.clone(),
            naam: v.type_name.clone(),
            categorie: v.category.clone(),
            partnerId: v.organisation_id,
            partner: v.organisation_name.clone(),
            bevoegdheid: v.legal_power.clone(),
            status: v.status.clone(),
            besluit: v.decision.clone(),
            geindCent: v.collected_cents,
            verrekendCent: v.offset_cents,
            beslagenCent: v.seized_cents,
            besluitdatum: v.decision_date.clone(),
            einddatum: v.completed_date.clone(),
            redenGestopt: v.stop_reason.clone(),
            geescaleerdOp: v.escalated_at.map(utc),
            escalatie: v.escalation_reason.clone(),
            versie: v.version,
            barriereId: v.barrier_id,
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Overleg {
    pub id: i64,
    pub datum: String,
    pub aanwezigen: String,
    pub agenda: String,
    pub besluiten: String,
    pub interventies: Vec<i64>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Casus {
    pub id: i64,
    pub kenmerk: String,
    pub fase: String,
    pub titel: String,
    pub omschrijving: String,
    pub gemeente: String,
    pub regio: String,
    pub regioReden: String,
    pub bron: String,
    /// Fenomeencodes uit de taxonomie (`/fenomenen`).
    pub fenomenen: Vec<String>,
    /// Codes van de omgevingen (`/omgevingen`), bijvoorbeeld `buitengebied`.
    pub omgevingen: Vec<String>,
    /// `casusteam` of `deelnemer`: hoe u bij deze casus betrokken bent.
    pub toegang: String,
    pub deelnemers: Vec<Deelnemer>,
    pub team: Vec<Teamlid>,
    pub betrokkenen: Vec<Betrokkene>,
    pub relaties: Vec<Relatie>,
    /// Alleen de bijdragen die u mag zien.
    pub informatiebijdragen: Vec<Bijdrage>,
    pub uitvragen: Vec<Uitvraag>,
    pub adviezen: Vec<Advies>,
    pub interventies: Vec<Interventie>,
    pub overleggen: Vec<Overleg>,
    pub geschiedenis: Vec<super::wire::Gebeurtenis>,
    pub mogelijkeStappen: Vec<String>,
    pub evaluatie: String,
    /// Casussen van andere regio's, gekoppeld nadat beide casusteams na een treffer akkoord gaven
    /// (alleen voor het casusteam).
    pub gekoppeldeCasussen: Vec<GekoppeldeCasus>,
    pub versie: i64,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GekoppeldeCasus {
    pub kenmerk: String,
    pub regio: String,
    pub gekoppeldOp: DateTime<Utc>,
}

impl From<CaseDetail> for Casus {
    fn from(d: CaseDetail) -> Self {
        let today = d.today.clone();
        let c = d.case;
        Self {
            id: c.id,
            kenmerk: c.reference,
            fase: c.phase,
            titel: c.title,
            omschrijving: c.description,
            gemeente: c.municipality_name,
            regio: c.region_name,
            regioReden: c.region_reason,
            bron: c.source_organisation_name,
            fenomenen: d.phenomena.into_iter().map(|(code, _)| code).collect(),
            omgevingen: d.settings.into_iter().map(|(code, _)| code).collect(),
            toegang: if d.can.team { "casusteam".into() } else { "deelnemer".into() },
            deelnemers: d
                .participants
                .iter()
                .map(|p| Deelnemer {
                    organisatieId: p.organisation_id,
                    organisatie: p.organisation_name.clone(),
                    toegelatenOp: utc(p.admitted_at),
                    reden: p.reason.clone(),
                    verwijderdOp: p.removed_at.map(utc),
                    redenVerwijderd: p.removed_reason.clone(),
                })
                .collect(),
            team: d.team.iter().map(|t| Teamlid { gebruikersnaam: t.username.clone(), naam: t.display_name.clone(), rol: t.team_role.clone() }).collect(),
            betrokkenen: d.subjects.iter().map(Betrokkene::from).collect(),
            relaties: d
                .relations
                .iter()
                .map(|r| Relatie { id: r.id, van: r.from_subject_id, naar: r.to_subject_id, soort: r.kind.clone(), vanaf: r.valid_from.clone(), tot: r.valid_to.clone() })
                .collect(),
            informatiebijdragen: d.items.iter().map(|i| bijdrage(&i.item, i.released_to.clone())).collect(),
            uitvragen: d
                .requests
                .iter()
                .map(|r| Uitvraag {
                    id: r.id,
                    vragen: r.questions.clone(),
                    termijn: r.deadline.clone(),
                    door: r.created_by.clone(),
                    partners: r
                        .recipients
                        .iter()
                        .map(|x| UitvraagPartner {
                            organisatieId: x.organisation_id,
                            organisatie: x.organisation_name.clone(),
                            status: if x.status == "open" && r.deadline < today { "te-laat".into() } else { x.status.clone() },
                            antwoordId: x.answer_item_id,
                            reden: x.decline_reason.clone(),
                        })
                        .collect(),
                })
                .collect(),
            adviezen: d
                .advice
                .iter()
                .map(|a| Advies {
                    versie: a.number,
                    bevindingen: a.findings.clone(),
                    voorstellen: a.proposals.clone(),
                    status: a.status.clone(),
                    auteur: a.author.clone(),
                    goedgekeurdDoor: a.approved_by.clone(),
                })
                .collect(),
            interventies: interventions_of(&d.interventions, &d.barriers),
            overleggen: d
                .meetings
                .iter()
                .map(|m| Overleg {
                    id: m.id,
                    datum: m.held_on.clone(),
                    aanwezigen: m.attendees.clone(),
                    agenda: m.agenda.clone(),
                    besluiten: m.decisions.clone(),
                    interventies: m.intervention_ids.clone(),
                })
                .collect(),
            geschiedenis: d.events.into_iter().map(|e| super::wire::Gebeurtenis { soort: e.kind, toelichting: e.note, door: e.actor, op: utc(e.at) }).collect(),
            mogelijkeStappen: d.steps.iter().map(|s| s.code().to_string()).collect(),
            gekoppeldeCasussen: d.linked.iter().map(|l| GekoppeldeCasus { kenmerk: l.reference.clone(), regio: l.region_name.clone(), gekoppeldOp: utc(l.linked_at) }).collect(),
            evaluatie: c.evaluation,
            versie: c.version,
        }
    }
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignaalRegistratie {
    pub titel: Option<String>,
    pub omschrijving: Option<String>,
    /// CBS-code van de gemeente, bijvoorbeeld `GM0772`.
    pub gemeente: Option<String>,
    /// Fenomeencodes die vandaag gelden (`/fenomenen`).
    pub fenomenen: Option<Vec<String>>,
    /// Codes van omgevingen (`/omgevingen`), bijvoorbeeld `havens-logistiek`.
    pub omgevingen: Option<Vec<String>>,
    /// Alleen als een andere regio dan die van de gemeente de casus voert (regiocode).
    pub regio: Option<String>,
    pub regioReden: Option<String>,
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CasusFilter {
    /// Regiocode.
    regio: Option<String>,
    fase: Option<String>,
    fenomeen: Option<String>,
    /// CBS-code.
    gemeente: Option<String>,
    /// Alleen casussen met een uitvraag over de termijn.
    teLaat: Option<bool>,
    /// Alleen casussen waarin u in het casusteam zit.
    mijn: Option<bool>,
    /// Alleen casussen waarin werk wacht (leeg: alle): `advies` (advies wacht op goedkeuring; alleen voor het
    /// casusteam), `uitvraag` (uitvraag aan uw organisatie nog open), `interventie`
    /// (interventie van uw organisatie loopt nog), `stilstand` (een lopende interventie is 30
    /// dagen niet bijgewerkt), `escalatie` (een lopende interventie is geëscaleerd naar de
    /// stuurgroep; deze twee alleen voor het casusteam) of `vrijgeven` (een bijdrage van uw
    /// organisatie is nog aan niemand vrijgegeven terwijl een andere organisatie deelneemt).
    #[param(pattern = "^(advies|uitvraag|interventie|stilstand|escalatie|vrijgeven)?$")]
    werk: Option<String>,
    /// Vanaf 0; 50 per pagina.
    pagina: Option<i64>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CasusStap {
    /// `wegen`, `afwijzen`, `pre-casus-openen`, `casus-openen` of `afsluiten`.
    pub stap: Option<String>,
    /// Reden van het besluit; bij afsluiten de evaluatie.
    pub toelichting: Option<String>,
    /// De versie die u het laatst las.
    pub versie: Option<i64>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeelnemerInvoer {
    pub organisatieId: Option<i64>,
    pub reden: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TeamInvoer {
    pub gebruikersnaam: Option<String>,
    /// `casusregisseur`, `analist` of `jurist`.
    pub rol: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BetrokkeneInvoer {
    pub soort: Option<String>,
    pub voornamen: Option<String>,
    pub voorvoegsel: Option<String>,
    pub geslachtsnaam: Option<String>,
    /// JJJJ-MM-DD.
    pub geboortedatum: Option<String>,
    pub bsn: Option<String>,
    pub handelsnaam: Option<String>,
    pub rechtsvorm: Option<String>,
    pub kvk: Option<String>,
    pub rsin: Option<String>,
    pub straat: Option<String>,
    pub postcode: Option<String>,
    pub huisnummer: Option<String>,
    pub plaats: Option<String>,
    pub bagId: Option<String>,
    pub kenteken: Option<String>,
    pub iban: Option<String>,
    pub toelichting: Option<String>,
    /// Toch toevoegen als de casus al een gelijke betrokkene heeft.
    pub ookAlsDubbel: Option<bool>,
}

impl BetrokkeneInvoer {
    fn input(self) -> (SubjectInput, bool) {
        (
            SubjectInput {
                kind: u(self.soort),
                first_names: u(self.voornamen),
                prefix: u(self.voorvoegsel),
                surname: u(self.geslachtsnaam),
                birth_date: u(self.geboortedatum),
                bsn: u(self.bsn),
                company_name: u(self.handelsnaam),
                legal_form: u(self.rechtsvorm),
                kvk: u(self.kvk),
                rsin: u(self.rsin),
                street: u(self.straat),
                postcode: u(self.postcode),
                house_number: u(self.huisnummer),
                city: u(self.plaats),
                bag_id: u(self.bagId),
                licence_plate: u(self.kenteken),
                iban: u(self.iban),
                note: u(self.toelichting),
            },
            self.ookAlsDubbel.unwrap_or(false),
        )
    }
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RelatieInvoer {
    pub van: Option<i64>,
    pub naar: Option<i64>,
    pub soort: Option<String>,
    pub vanaf: Option<String>,
    pub tot: Option<String>,
}

#[derive(Deserialize, ToSchema, Default, Clone)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BijdrageInvoer {
    pub titel: Option<String>,
    pub inhoud: Option<String>,
    /// Code uit de lijst grondslagen, bijvoorbeeld `wpg-20`.
    pub grondslag: Option<String>,
    /// Code uit de lijst doelen, bijvoorbeeld `integrale-aanpak`.
    pub doel: Option<String>,
    /// JJJJ-MM-DD; standaard vandaag.
    pub datum: Option<String>,
    /// `bevestigd`, `betrouwbaar`, `onbevestigd` of `twijfelachtig`.
    pub betrouwbaarheid: Option<String>,
    /// `intern`, `vertrouwelijk` of `geheim`.
    pub rubricering: Option<String>,
    pub voorwaarden: Option<String>,
    /// Alleen bij wijzigen: de versie die u het laatst las.
    pub versie: Option<i64>,
}

impl BijdrageInvoer {
    fn input(&self) -> ItemInput {
        let c = self.clone();
        ItemInput {
            title: u(c.titel),
            body: u(c.inhoud),
            legal_basis: u(c.grondslag),
            purpose: u(c.doel),
            info_date: u(c.datum),
            reliability: u(c.betrouwbaarheid),
            classification: u(c.rubricering),
            sharing_conditions: u(c.voorwaarden),
        }
    }
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VrijgaveInvoer {
    pub organisatieId: Option<i64>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UitvraagInvoer {
    pub vragen: Option<String>,
    /// JJJJ-MM-DD.
    pub termijn: Option<String>,
    /// Organisatie-id's van deelnemende partners.
    pub partners: Option<Vec<i64>>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UitvraagAfhandeling {
    /// Het antwoord, dat een informatiebijdrage van uw organisatie wordt.
    pub antwoord: Option<BijdrageInvoer>,
    /// Of: de reden waarom uw organisatie niet antwoordt.
    pub reden: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AdviesInvoer {
    pub bevindingen: Option<String>,
    pub voorstellen: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InterventieVoorstel {
    /// Code uit de interventiecatalogus, bijvoorbeeld `bibob`.
    pub soort: Option<String>,
    pub partnerId: Option<i64>,
    pub bevoegdheid: Option<String>,
    pub toelichting: Option<String>,
    /// Id van de barrière (uit een gepubliceerd barrièremodel, zie `/kennisitems/{id}/barrieremodel`) die de interventie opwerpt; weglaten als er geen is.
    pub barriereId: Option<i64>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InterventieWijziging {
    pub status: Option<String>,
    pub besluit: Option<String>,
    /// Bedragen in euro, bijvoorbeeld `12500` of `12.500,00`.
    pub geind: Option<String>,
    pub verrekend: Option<String>,
    pub beslagen: Option<String>,
    pub besluitdatum: Option<String>,
    pub einddatum: Option<String>,
    pub redenGestopt: Option<String>,
    /// Escaleren naar de stuurgroep met deze reden.
    pub escalatie: Option<String>,
    pub versie: Option<i64>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OverlegInvoer {
    pub datum: Option<String>,
    pub aanwezigen: Option<String>,
    pub agenda: Option<String>,
    pub besluiten: Option<String>,
    pub interventies: Option<Vec<i64>>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Zoekvraag {
    /// Naam (achternaam eerst of voluit) of een identificatie (BSN, KvK, IBAN, kenteken, BAG-id).
    pub zoekterm: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Zoekresultaat {
    pub casusId: i64,
    pub casus: String,
    pub casusTitel: String,
    pub regio: String,
    pub betrokkene: Betrokkene,
}

impl From<&SubjectHit> for Zoekresultaat {
    fn from(h: &SubjectHit) -> Self {
        Self {
            casusId: h.subject.case_id,
            casus: h.case_reference.clone(),
            casusTitel: h.case_title.clone(),
            regio: h.region_name.clone(),
            betrokkene: Betrokkene::from(&h.subject),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Interventietype {
    pub code: String,
    pub naam: String,
    pub categorie: String,
    pub uitvoerder: String,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InterventietypeInvoer {
    pub code: Option<String>,
    pub naam: Option<String>,
    pub categorie: Option<String>,
    pub uitvoerder: Option<String>,
}

async fn detail(s: &AppState, rc: &crate::context::RequestCtx, cid: i64) -> ApiResult<Casus> {
    Ok(Json(Casus::from(s.app.case(&rc.ctx, cid).await.map_err(err)?)))
}

/// Een signaal registreren bij het RIEC; de regio volgt uit de gemeente.
#[utoipa::path(post, path = "/signalen", tag = "casussen", request_body = SignaalRegistratie,
    responses((status = 200, body = Casus), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn register(State(s): State<AppState>, Api(rc): Api, ApiJson(b): ApiJson<SignaalRegistratie>) -> ApiResult<Casus> {
    let input = SignalRegistration {
        title: u(b.titel),
        description: u(b.omschrijving),
        municipality: u(b.gemeente),
        phenomena: b.fenomenen.unwrap_or_default(),
        settings: b.omgevingen.unwrap_or_default(),
        region: u(b.regio),
        region_reason: u(b.regioReden),
    };
    let cid = s.app.register_case_signal(&rc.ctx, &input).await.map_err(err)?;
    detail(&s, &rc, cid).await
}

/// De casussen die u mag zien (casusteam van uw regio, of als toegelaten partner).
#[utoipa::path(get, path = "/casussen", tag = "casussen", params(CasusFilter), responses((status = 200, body = CasusLijst), (status = 400, body = Problem)))]
pub async fn list(State(s): State<AppState>, Api(rc): Api, q: Result<Query<CasusFilter>, axum::extract::rejection::QueryRejection>) -> ApiResult<CasusLijst> {
    let Query(q) = q.map_err(super::network::query_problem)?;
    let query = CaseQuery {
        region: u(q.regio),
        phase: u(q.fase),
        phenomenon: u(q.fenomeen),
        municipality: u(q.gemeente),
        overdue: q.teLaat.unwrap_or(false),
        mine: q.mijn.unwrap_or(false),
        work: u(q.werk),
        page: q.pagina.unwrap_or(0),
    };
    let l = s.app.list_cases(&rc.ctx, &query).await.map_err(err)?;
    Ok(Json(CasusLijst { totaal: l.total, pagina: l.page, paginagrootte: l.page_size, casussen: l.rows.iter().map(CasusSamenvatting::from).collect() }))
}

/// Eén casus zoals u die mag zien; 404 als u er geen toegang toe heeft.
#[utoipa::path(get, path = "/casussen/{id}", tag = "casussen", params(("id" = i64, Path, description = "Id van de casus")),
    responses((status = 200, body = Casus), (status = 404, body = Problem)))]
pub async fn get(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>) -> ApiResult<Casus> {
    detail(&s, &rc, id(&raw, "casus").map_err(err)?).await
}

/// Een stap in het casusproces: weging, pre-casus, casus, afwijzen, afsluiten met evaluatie.
#[utoipa::path(post, path = "/casussen/{id}/_stappen", tag = "casussen", params(("id" = i64, Path, description = "Id van de casus")), request_body = CasusStap,
    responses((status = 200, body = Casus), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn step(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<CasusStap>) -> ApiResult<Casus> {
    let cid = id(&raw, "casus").map_err(err)?;
    let Some(version) = b.versie else {
        return Err(missing("versie", "Stuur de versie mee die u het laatst las."));
    };
    s.app.case_step(&rc.ctx, cid, &u(b.stap), &u(b.toelichting), version).await.map_err(err)?;
    detail(&s, &rc, cid).await
}

/// Een partnerorganisatie toelaten tot de (pre-)casus, met reden.
#[utoipa::path(post, path = "/casussen/{id}/deelnemers", tag = "casussen", params(("id" = i64, Path, description = "Id van de casus")), request_body = DeelnemerInvoer,
    responses((status = 200, body = Casus), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn admit(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<DeelnemerInvoer>) -> ApiResult<Casus> {
    let cid = id(&raw, "casus").map_err(err)?;
    s.app.admit_participant(&rc.ctx, cid, b.organisatieId.unwrap_or(-1), &u(b.reden)).await.map_err(err)?;
    detail(&s, &rc, cid).await
}

/// Een deelnemer verwijderen, met reden; de toegang eindigt direct.
#[utoipa::path(post, path = "/casussen/{id}/deelnemers/_verwijderen", tag = "casussen", params(("id" = i64, Path, description = "Id van de casus")), request_body = DeelnemerInvoer,
    responses((status = 200, body = Casus), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn remove(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<DeelnemerInvoer>) -> ApiResult<Casus> {
    let cid = id(&raw, "casus").map_err(err)?;
    s.app.remove_participant(&rc.ctx, cid, b.organisatieId.unwrap_or(-1), &u(b.reden)).await.map_err(err)?;
    detail(&s, &rc, cid).await
}

/// Een RIEC-medewerker van de regio een rol in het casusteam geven.
#[utoipa::path(post, path = "/casussen/{id}/team", tag = "casussen", params(("id" = i64, Path, description = "Id van de casus")), request_body = TeamInvoer,
    responses((status = 200, body = Casus), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn team(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<TeamInvoer>) -> ApiResult<Casus> {
    let cid = id(&raw, "casus").map_err(err)?;
    s.app.assign_team_member(&rc.ctx, cid, &u(b.gebruikersnaam), &u(b.rol)).await.map_err(err)?;
    detail(&s, &rc, cid).await
}

/// De betrokkenen en objecten van de casus.
#[utoipa::path(get, path = "/casussen/{id}/betrokkenen", tag = "casussen", params(("id" = i64, Path, description = "Id van de casus")),
    responses((status = 200, body = [Betrokkene]), (status = 404, body = Problem)))]
pub async fn subjects(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>) -> ApiResult<Vec<Betrokkene>> {
    let d = s.app.case(&rc.ctx, id(&raw, "casus").map_err(err)?).await.map_err(err)?;
    Ok(Json(d.subjects.iter().map(Betrokkene::from).collect()))
}

/// Een betrokkene toevoegen. Heeft de casus al een gelijke (zelfde identificatie of naam),
/// dan volgt 409 met de bestaande, tenzij `ookAlsDubbel`.
#[utoipa::path(post, path = "/casussen/{id}/betrokkenen", tag = "casussen", params(("id" = i64, Path, description = "Id van de casus")), request_body = BetrokkeneInvoer,
    responses((status = 200, body = Betrokkene), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn add_subject(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<BetrokkeneInvoer>) -> ApiResult<Betrokkene> {
    let cid = id(&raw, "casus").map_err(err)?;
    let (input, force) = b.input();
    match s.app.add_subject(&rc.ctx, cid, &input, force).await.map_err(err)? {
        SubjectAdded::Added(sid) => {
            let d = s.app.case(&rc.ctx, cid).await.map_err(err)?;
            d.subjects.iter().find(|x| x.id == sid).map(|x| Json(Betrokkene::from(x))).ok_or_else(|| err(AppError::NotFound("betrokkene")))
        }
        SubjectAdded::PossibleDuplicate(existing) => {
            let list = existing.iter().map(|x| format!("{} (id {})", x.display_name, x.id)).collect::<Vec<_>>().join(", ");
            Err(Problem::new(axum::http::StatusCode::CONFLICT, "Mogelijk dubbel")
                .detail(format!("Deze casus heeft al: {list}. Gebruik de bestaande betrokkene, of stuur ookAlsDubbel: true."))
                .into_response())
        }
    }
}

/// Een getypeerde, gedateerde relatie tussen twee betrokkenen.
#[utoipa::path(post, path = "/casussen/{id}/relaties", tag = "casussen", params(("id" = i64, Path, description = "Id van de casus")), request_body = RelatieInvoer,
    responses((status = 200, body = Casus), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn add_relation(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<RelatieInvoer>) -> ApiResult<Casus> {
    let cid = id(&raw, "casus").map_err(err)?;
    let r = RelationInput { from: b.van.unwrap_or(-1), to: b.naar.unwrap_or(-1), kind: u(b.soort), valid_from: u(b.vanaf), valid_to: u(b.tot) };
    s.app.add_relation(&rc.ctx, cid, &r).await.map_err(err)?;
    detail(&s, &rc, cid).await
}

/// De informatiebijdragen die u mag zien.
#[utoipa::path(get, path = "/casussen/{id}/informatiebijdragen", tag = "casussen", params(("id" = i64, Path, description = "Id van de casus")),
    responses((status = 200, body = [Bijdrage]), (status = 404, body = Problem)))]
pub async fn items(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>) -> ApiResult<Vec<Bijdrage>> {
    let d = s.app.case(&rc.ctx, id(&raw, "casus").map_err(err)?).await.map_err(err)?;
    Ok(Json(d.items.iter().map(|i| bijdrage(&i.item, i.released_to.clone())).collect()))
}

/// Informatie bijdragen namens uw organisatie; zichtbaar voor het casusteam en uw organisatie tot u vrijgeeft.
#[utoipa::path(post, path = "/casussen/{id}/informatiebijdragen", tag = "casussen", params(("id" = i64, Path, description = "Id van de casus")), request_body = BijdrageInvoer,
    responses((status = 200, body = BijdrageDetail), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn add_item(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<BijdrageInvoer>) -> ApiResult<BijdrageDetail> {
    let cid = id(&raw, "casus").map_err(err)?;
    let iid = s.app.add_item(&rc.ctx, cid, &b.input()).await.map_err(err)?;
    Ok(Json(BijdrageDetail::from(s.app.item(&rc.ctx, cid, iid).await.map_err(err)?)))
}

fn ids(raw: &(String, String), second: &'static str) -> Result<(i64, i64), AppError> {
    Ok((id(&raw.0, "casus")?, id(&raw.1, second)?))
}

/// Eén informatiebijdrage; 404 als ze niet aan uw organisatie is vrijgegeven.
#[utoipa::path(get, path = "/casussen/{id}/informatiebijdragen/{bijdrageId}", tag = "casussen",
    params(("id" = i64, Path, description = "Id van de casus"), ("bijdrageId" = i64, Path, description = "Id van de bijdrage")),
    responses((status = 200, body = BijdrageDetail), (status = 404, body = Problem)))]
pub async fn get_item(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<(String, String)>) -> ApiResult<BijdrageDetail> {
    let (cid, iid) = ids(&raw, "informatiebijdrage").map_err(err)?;
    Ok(Json(BijdrageDetail::from(s.app.item(&rc.ctx, cid, iid).await.map_err(err)?)))
}

/// Een eigen bijdrage wijzigen; stuur de gelezen `versie` mee.
#[utoipa::path(patch, path = "/casussen/{id}/informatiebijdragen/{bijdrageId}", tag = "casussen",
    params(("id" = i64, Path, description = "Id van de casus"), ("bijdrageId" = i64, Path, description = "Id van de bijdrage")), request_body = BijdrageInvoer,
    responses((status = 200, body = BijdrageDetail), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn update_item(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<(String, String)>, ApiJson(b): ApiJson<BijdrageInvoer>) -> ApiResult<BijdrageDetail> {
    let (cid, iid) = ids(&raw, "informatiebijdrage").map_err(err)?;
    let Some(version) = b.versie else {
        return Err(missing("versie", "Stuur de versie mee die u het laatst las."));
    };
    s.app.update_item(&rc.ctx, cid, iid, &b.input(), version).await.map_err(err)?;
    Ok(Json(BijdrageDetail::from(s.app.item(&rc.ctx, cid, iid).await.map_err(err)?)))
}

/// De bijdrage vrijgeven aan een deelnemende organisatie (leverancier, of casusteam met toestemming).
#[utoipa::path(post, path = "/casussen/{id}/informatiebijdragen/{bijdrageId}/vrijgaven", tag = "casussen",
    params(("id" = i64, Path, description = "Id van de casus"), ("bijdrageId" = i64, Path, description = "Id van de bijdrage")), request_body = VrijgaveInvoer,
    responses((status = 200, body = BijdrageDetail), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn release(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<(String, String)>, ApiJson(b): ApiJson<VrijgaveInvoer>) -> ApiResult<BijdrageDetail> {
    let (cid, iid) = ids(&raw, "informatiebijdrage").map_err(err)?;
    s.app.set_release(&rc.ctx, cid, iid, b.organisatieId.unwrap_or(-1), true).await.map_err(err)?;
    Ok(Json(BijdrageDetail::from(s.app.item(&rc.ctx, cid, iid).await.map_err(err)?)))
}

/// Een vrijgave intrekken.
#[utoipa::path(post, path = "/casussen/{id}/informatiebijdragen/{bijdrageId}/vrijgaven/_intrekken", tag = "casussen",
    params(("id" = i64, Path, description = "Id van de casus"), ("bijdrageId" = i64, Path, description = "Id van de bijdrage")), request_body = VrijgaveInvoer,
    responses((status = 200, body = BijdrageDetail), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn withdraw(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<(String, String)>, ApiJson(b): ApiJson<VrijgaveInvoer>) -> ApiResult<BijdrageDetail> {
    let (cid, iid) = ids(&raw, "informatiebijdrage").map_err(err)?;
    s.app.set_release(&rc.ctx, cid, iid, b.organisatieId.unwrap_or(-1), false).await.map_err(err)?;
    Ok(Json(BijdrageDetail::from(s.app.item(&rc.ctx, cid, iid).await.map_err(err)?)))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Intrekking {
    /// Waarom uw organisatie de bijdrage intrekt (verplicht, hoogstens 2000 tekens).
    pub reden: Option<String>,
}

/// Een eigen bijdrage als geheel intrekken (alleen de leverancier): alle vrijgaven eindigen, niemand wijzigt of geeft haar nog vrij, en na de bewaartermijn worden inhoud en bijlagen vernietigd.
#[utoipa::path(post, path = "/casussen/{id}/informatiebijdragen/{bijdrageId}/_intrekken", tag = "casussen",
    params(("id" = i64, Path, description = "Id van de casus"), ("bijdrageId" = i64, Path, description = "Id van de bijdrage")), request_body = Intrekking,
    responses((status = 200, body = BijdrageDetail), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn withdraw_item(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<(String, String)>, ApiJson(b): ApiJson<Intrekking>) -> ApiResult<BijdrageDetail> {
    let (cid, iid) = ids(&raw, "informatiebijdrage").map_err(err)?;
    s.app.withdraw_item(&rc.ctx, cid, iid, &b.reden.unwrap_or_default()).await.map_err(err)?;
    Ok(Json(BijdrageDetail::from(s.app.item(&rc.ctx, cid, iid).await.map_err(err)?)))
}

/// Een bijlage bij een eigen bijdrage (multipart, veld `bestand`; hoogstens 10 MB).
#[utoipa::path(post, path = "/casussen/{id}/informatiebijdragen/{bijdrageId}/bijlagen", tag = "casussen",
    params(("id" = i64, Path, description = "Id van de casus"), ("bijdrageId" = i64, Path, description = "Id van de bijdrage")),
    request_body(content = super::signals::BijlageUpload, content_type = "multipart/form-data"),
    responses((status = 200, body = BijdrageDetail), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 413, body = Problem)))]
pub async fn upload(
    State(s): State<AppState>,
    Api(rc): Api,
    Path(raw): Path<(String, String)>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<BijdrageDetail> {
    let (cid, iid) = ids(&raw, "informatiebijdrage").map_err(err)?;
    let multipart = multipart.map_err(|_| {
        Problem::new(axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE, "Mediatype niet ondersteund")
            .detail("Stuur het bestand als multipart/form-data in het veld 'bestand'.")
            .into_response()
    })?;
    let (_, name, data) = crate::ui::read_upload(multipart).await.map_err(|m| err(knooppunt_domain::Invalid::one("bestand", m).into()))?;
    s.app.add_item_attachment(&rc.ctx, cid, iid, &name, &data).await.map_err(err)?;
    Ok(Json(BijdrageDetail::from(s.app.item(&rc.ctx, cid, iid).await.map_err(err)?)))
}

/// Een bijlage downloaden.
#[utoipa::path(get, path = "/casussen/{id}/informatiebijdragen/{bijdrageId}/bijlagen/{bijlageId}", tag = "casussen",
    params(("id" = i64, Path, description = "Id van de casus"), ("bijdrageId" = i64, Path, description = "Id van de bijdrage"), ("bijlageId" = i64, Path, description = "Id van de bijlage")),
    responses((status = 200, description = "De inhoud van de bijlage"), (status = 404, body = Problem)))]
pub async fn download(State(s): State<AppState>, Api(rc): Api, Path((c, i, a)): Path<(String, String, String)>) -> Result<Response, Response> {
    let (cid, iid) = ids(&(c, i), "informatiebijdrage").map_err(err)?;
    let aid = id(&a, "bijlage").map_err(err)?;
    let (meta, data) = s.app.item_attachment(&rc.ctx, cid, iid, aid).await.map_err(err)?;
    Ok(crate::ui::file_download(&meta.content_type, &meta.file_name, data))
}

/// Een uitvraag aan deelnemende partners.
#[utoipa::path(post, path = "/casussen/{id}/uitvragen", tag = "casussen", params(("id" = i64, Path, description = "Id van de casus")), request_body = UitvraagInvoer,
    responses((status = 200, body = Casus), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn create_request(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<UitvraagInvoer>) -> ApiResult<Casus> {
    let cid = id(&raw, "casus").map_err(err)?;
    s.app.create_request(&rc.ctx, cid, &u(b.vragen), &u(b.termijn), &b.partners.unwrap_or_default()).await.map_err(err)?;
    detail(&s, &rc, cid).await
}

/// Een uitvraag aan uw organisatie beantwoorden (het antwoord wordt uw bijdrage) of weigeren met reden.
#[utoipa::path(post, path = "/casussen/{id}/uitvragen/{uitvraagId}/_afhandelen", tag = "casussen",
    params(("id" = i64, Path, description = "Id van de casus"), ("uitvraagId" = i64, Path, description = "Id van de uitvraag")), request_body = UitvraagAfhandeling,
    responses((status = 200, body = Casus), (status = 400, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn settle_request(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<(String, String)>, ApiJson(b): ApiJson<UitvraagAfhandeling>) -> ApiResult<Casus> {
    let (cid, rid) = ids(&raw, "uitvraag").map_err(err)?;
    let answer = b.antwoord.as_ref().map(BijdrageInvoer::input);
    s.app.answer_request(&rc.ctx, cid, rid, answer.as_ref(), &u(b.reden)).await.map_err(err)?;
    detail(&s, &rc, cid).await
}

/// Een nieuwe (concept)versie van het integraal interventieadvies.
#[utoipa::path(post, path = "/casussen/{id}/adviezen", tag = "casussen", params(("id" = i64, Path, description = "Id van de casus")), request_body = AdviesInvoer,
    responses((status = 200, body = Casus), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn draft_advice(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<AdviesInvoer>) -> ApiResult<Casus> {
    let cid = id(&raw, "casus").map_err(err)?;
    s.app.draft_advice(&rc.ctx, cid, &u(b.bevindingen), &u(b.voorstellen)).await.map_err(err)?;
    detail(&s, &rc, cid).await
}

/// De nieuwste conceptversie goedkeuren (RIEC-manager).
#[utoipa::path(post, path = "/casussen/{id}/adviezen/{versie}/_goedkeuren", tag = "casussen",
    params(("id" = i64, Path, description = "Id van de casus"), ("versie" = i64, Path, description = "Versienummer")),
    responses((status = 200, body = Casus), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn approve_advice(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<(String, String)>) -> ApiResult<Casus> {
    let (cid, n) = ids(&raw, "advies").map_err(err)?;
    s.app.approve_advice(&rc.ctx, cid, n).await.map_err(err)?;
    detail(&s, &rc, cid).await
}

/// De interventies van de casus.
#[utoipa::path(get, path = "/casussen/{id}/interventies", tag = "casussen", params(("id" = i64, Path, description = "Id van de casus")),
    responses((status = 200, body = [Interventie]), (status = 404, body = Problem)))]
pub async fn interventions(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>) -> ApiResult<Vec<Interventie>> {
    let d = s.app.case(&rc.ctx, id(&raw, "casus").map_err(err)?).await.map_err(err)?;
    Ok(Json(interventions_of(&d.interventions, &d.barriers)))
}

/// Een interventie uit de catalogus voorstellen voor een deelnemende partner.
#[utoipa::path(post, path = "/casussen/{id}/interventies", tag = "casussen", params(("id" = i64, Path, description = "Id van de casus")), request_body = InterventieVoorstel,
    responses((status = 200, body = Casus), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn propose(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<InterventieVoorstel>) -> ApiResult<Casus> {
    let cid = id(&raw, "casus").map_err(err)?;
    let v = InterventionProposal { kind: u(b.soort), organisation_id: b.partnerId.unwrap_or(-1), legal_power: u(b.bevoegdheid), note: u(b.toelichting), barrier: b.barriereId };
    s.app.propose_intervention(&rc.ctx, cid, &v).await.map_err(err)?;
    detail(&s, &rc, cid).await
}

/// Status en resultaat van een interventie bijwerken (uitvoerende partner of casusteam).
#[utoipa::path(patch, path = "/casussen/{id}/interventies/{interventieId}", tag = "casussen",
    params(("id" = i64, Path, description = "Id van de casus"), ("interventieId" = i64, Path, description = "Id van de interventie")), request_body = InterventieWijziging,
    responses((status = 200, body = Casus), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn update_intervention(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<(String, String)>, ApiJson(b): ApiJson<InterventieWijziging>) -> ApiResult<Casus> {
    let (cid, vid) = ids(&raw, "interventie").map_err(err)?;
    let Some(version) = b.versie else {
        return Err(missing("versie", "Stuur de versie mee die u het laatst las."));
    };
    let upd = InterventionUpdate {
        status: u(b.status),
        decision: u(b.besluit),
        collected: u(b.geind),
        offset: u(b.verrekend),
        seized: u(b.beslagen),
        decision_date: u(b.besluitdatum),
        completed_date: u(b.einddatum),
        stop_reason: u(b.redenGestopt),
        escalation_reason: u(b.escalatie),
    };
    s.app.update_intervention(&rc.ctx, cid, vid, &upd, version).await.map_err(err)?;
    detail(&s, &rc, cid).await
}

/// Een integraal overleg vastleggen met besluiten, gekoppeld aan interventies.
#[utoipa::path(post, path = "/casussen/{id}/overleggen", tag = "casussen", params(("id" = i64, Path, description = "Id van de casus")), request_body = OverlegInvoer,
    responses((status = 200, body = Casus), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn meeting(State(s): State<AppState>, Api(rc): Api, Path(raw): Path<String>, ApiJson(b): ApiJson<OverlegInvoer>) -> ApiResult<Casus> {
    let cid = id(&raw, "casus").map_err(err)?;
    let m = MeetingInput { held_on: u(b.datum), attendees: u(b.aanwezigen), agenda: u(b.agenda), decisions: u(b.besluiten), interventions: b.interventies.unwrap_or_default() };
    s.app.record_meeting(&rc.ctx, cid, &m).await.map_err(err)?;
    detail(&s, &rc, cid).await
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Zoekresultaten {
    /// Hoogstens 20; verfijn de zoekterm als `meer` waar is.
    pub resultaten: Vec<Zoekresultaat>,
    pub meer: bool,
}

/// Betrokkenen zoeken in de casussen die u mag zien (geen persoonsgegevens in de URL).
///
/// Op naam, op de naam van een onderneming, op adres (straat met of zonder huisnummer, of
/// postcode met huisnummer) of op een identificatie.
#[utoipa::path(post, path = "/betrokkenen/_zoek", tag = "casussen", request_body = Zoekvraag, responses((status = 200, body = Zoekresultaten), (status = 400, body = Problem)))]
pub async fn search(State(s): State<AppState>, Api(rc): Api, ApiJson(b): ApiJson<Zoekvraag>) -> ApiResult<Zoekresultaten> {
    let r = s.app.search_subjects(&rc.ctx, &u(b.zoekterm)).await.map_err(err)?;
    Ok(Json(Zoekresultaten { resultaten: r.hits.iter().map(Zoekresultaat::from).collect(), meer: r.more }))
}

/// De interventiecatalogus.
#[utoipa::path(get, path = "/interventietypen", tag = "casussen", responses((status = 200, body = [Interventietype])))]
pub async fn catalogue(State(s): State<AppState>, Api(rc): Api) -> ApiResult<Vec<Interventietype>> {
    let r = s.app.case_reference(&rc.ctx).await.map_err(err)?;
    Ok(Json(r.intervention_types.into_iter().map(|t| Interventietype { code: t.code, naam: t.name, categorie: t.extra, uitvoerder: t.extra2 }).collect()))
}

/// Een interventietype toevoegen of wijzigen (LIEC).
#[utoipa::path(post, path = "/interventietypen", tag = "casussen", request_body = InterventietypeInvoer,
    responses((status = 200, body = [Interventietype]), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn save_type(State(s): State<AppState>, Api(rc): Api, ApiJson(b): ApiJson<InterventietypeInvoer>) -> ApiResult<Vec<Interventietype>> {
    s.app.save_intervention_type(&rc.ctx, &u(b.code), &u(b.naam), &u(b.categorie), &u(b.uitvoerder)).await.map_err(err)?;
    catalogue(State(s), Api(rc)).await
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Referentie {
    pub code: String,
    pub naam: String,
    /// Bij grondslagen: het partnertype waar ze bij hoort (leeg: alle).
    pub partnertype: String,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReferentieInvoer {
    pub code: Option<String>,
    pub naam: Option<String>,
    /// Alleen bij grondslagen, bijvoorbeeld `politie`.
    pub partnertype: Option<String>,
}

async fn references(s: &AppState, rc: &crate::context::RequestCtx, legal: bool) -> ApiResult<Vec<Referentie>> {
    let r = s.app.case_reference(&rc.ctx).await.map_err(err)?;
    let list = if legal { r.legal_bases } else { r.purposes };
    Ok(Json(list.into_iter().map(|x| Referentie { code: x.code, naam: x.name, partnertype: x.extra }).collect()))
}

/// De grondslagen waarop partners informatie verstrekken (instelbare referentielijst).
#[utoipa::path(get, path = "/grondslagen", tag = "casussen", responses((status = 200, body = [Referentie])))]
pub async fn legal_bases(State(s): State<AppState>, Api(rc): Api) -> ApiResult<Vec<Referentie>> {
    references(&s, &rc, true).await
}

/// Een grondslag toevoegen of wijzigen (LIEC of beheerder).
#[utoipa::path(post, path = "/grondslagen", tag = "casussen", request_body = ReferentieInvoer,
    responses((status = 200, body = [Referentie]), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn save_legal_basis(State(s): State<AppState>, Api(rc): Api, ApiJson(b): ApiJson<ReferentieInvoer>) -> ApiResult<Vec<Referentie>> {
    s.app.save_case_reference(&rc.ctx, true, &u(b.code), &u(b.naam), &u(b.partnertype)).await.map_err(err)?;
    references(&s, &rc, true).await
}

/// De doelen (doelbinding) waarvoor informatie wordt gedeeld (instelbare referentielijst).
#[utoipa::path(get, path = "/doelen", tag = "casussen", responses((status = 200, body = [Referentie])))]
pub async fn purposes(State(s): State<AppState>, Api(rc): Api) -> ApiResult<Vec<Referentie>> {
    references(&s, &rc, false).await
}

/// Een doel toevoegen of wijzigen (LIEC of beheerder).
#[utoipa::path(post, path = "/doelen", tag = "casussen", request_body = ReferentieInvoer,
    responses((status = 200, body = [Referentie]), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn save_purpose(State(s): State<AppState>, Api(rc): Api, ApiJson(b): ApiJson<ReferentieInvoer>) -> ApiResult<Vec<Referentie>> {
    s.app.save_case_reference(&rc.ctx, false, &u(b.code), &u(b.naam), "").await.map_err(err)?;
    references(&s, &rc, false).await
}
