//! The register of processing activities (*verwerkingsregister*, art. 30 AVG), generated from
//! what knooppunt is configured with: the processing activities, the legal bases and purposes of
//! the case forms, the retention rules and the partners in the network. Nothing in it is typed
//! twice: change a rule or add a partner and the register follows.

use crate::retention::case_trigger;
use crate::{commit, App, AppError, Ctx, Object};
use knooppunt_domain::retention::{RetentionAction, RetentionTrigger};
use knooppunt_domain::PartnerType;
use knooppunt_policy::Action;
use knooppunt_store::{cases as case_store, network, processing, retention};

/// One processing activity with every field art. 30 para. 1 asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterEntry {
    pub code: String,
    pub name: String,
    /// The controller(s) and their joint arrangement (art. 30 para. 1 a, art. 26).
    pub controllers: String,
    pub purpose: String,
    pub legal_basis: String,
    /// Categories of data subjects (art. 30 para. 1 c).
    pub data_subjects: String,
    /// Categories of personal data.
    pub data_categories: String,
    /// Categories of recipients (art. 30 para. 1 d).
    pub recipients: String,
    /// Transfers to third countries (art. 30 para. 1 e).
    pub transfers: String,
    /// When the data are erased (art. 30 para. 1 f), from the retention rules where they apply.
    pub retention: String,
    /// General description of the security measures (art. 30 para. 1 g).
    pub security: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Register {
    pub entries: Vec<RegisterEntry>,
    /// The legal bases partners may name for an information item: (name, partner type).
    pub legal_bases: Vec<(String, String)>,
    pub purposes: Vec<String>,
    /// The partners in the network by type: (type, number of organisations).
    pub partners: Vec<(String, i64)>,
    pub generated_at: i64,
}

const JOINT: &str = "De convenantpartners van het RIEC-LIEC-convenant gezamenlijk (gezamenlijke verwerkingsverantwoordelijkheid, art. 26 AVG; Privacyprotocol RIECs-LIEC); \
     elke partner blijft verantwoordelijk voor wat hij aanlevert. Contact: de privacyfunctionaris van het RIEC of LIEC.";
const SECURITY: &str = "Maatregelen volgens de Baseline Informatiebeveiliging Overheid: toegang alleen op need-to-know per casus en per informatiebijdrage, \
     tweefactorauthenticatie voor wie persoonsgegevens ziet, versleutelde verbindingen, een verzegeld auditlog en een verwerkingenlogboek van elke inzage, \
     bewaartermijnen met beoordeelde vernietiging.";

fn case_activity(code: &str) -> bool {
    code.starts_with("casusdossier") || code == "kruisverband-detectie" || code == "treffer-inzien"
}

impl App {
    /// The register, for the privacy officer and the auditor; viewing is audited.
    pub async fn processing_register(&self, ctx: &Ctx) -> Result<Register, AppError> {
        self.authorize(ctx, Action::ViewProcessingLog, &Object::new("verwerkingsregister", "*")).await?;
        let mut tx = self.begin_read().await?;
        let activities = processing::activities(&mut tx).await?;
        let rules = retention::rules(&mut tx).await?;
        let legal_bases = case_store::legal_bases(&mut tx).await?;
        let purposes = case_store::purposes(&mut tx).await?;
        let partners = network::partner_type_counts(&mut tx).await?;
        commit(tx).await?;
        let partner_label = |code: &str| PartnerType::parse(code).map(PartnerType::label).unwrap_or("onbekend partnertype").to_string();
        let case_retention = rules
            .iter()
            .filter(|r| RetentionTrigger::parse(&r.trigger_event).is_ok_and(|t| case_trigger(t).is_some_and(|c| c.phase == r.phase)))
            .map(|r| {
                let when = RetentionTrigger::parse(&r.trigger_event).map(RetentionTrigger::label).unwrap_or("onbekend");
                let then = RetentionAction::parse(&r.action).map(|a| a.label().to_lowercase()).unwrap_or_default();
                let default = if r.is_default { " (standaardtermijn, nog niet bevestigd)" } else { "" };
                format!("{when}: {} maanden, daarna {then}{default}", r.period_months)
            })
            .collect::<Vec<_>>()
            .join("; ");
        let partner_names = partners.iter().map(|(t, _)| partner_label(t)).collect::<Vec<_>>().join(", ");
        let entries = activities
            .into_iter()
            .map(|a| {
                let cases = case_activity(&a.code);
                RegisterEntry {
                    controllers: if cases { JOINT.to_string() } else { "De beheerder van knooppunt namens de convenantpartners (LIEC).".to_string() },
                    data_subjects: if cases {
                        "Natuurlijke personen en rechtspersonen die in een signaal of casus voorkomen (betrokkenen); medewerkers van de partners als gebruiker".to_string()
                    } else {
                        "Medewerkers van de convenantpartners met een account; betrokkenen alleen als pseudoniem".to_string()
                    },
                    recipients: if cases {
                        format!("Alleen de partners die tot een casus zijn toegelaten, per informatiebijdrage na vrijgave door de leverancier; partnertypen in het netwerk: {partner_names}")
                    } else {
                        "Niemand buiten de beheerder, de privacyfunctionaris en de auditor".to_string()
                    },
                    transfers: "Geen doorgifte buiten de Europese Economische Ruimte.".to_string(),
                    retention: if cases && !case_retention.is_empty() { case_retention.clone() } else { a.retention.clone() },
                    security: SECURITY.to_string(),
                    code: a.code,
                    name: a.name,
                    purpose: a.purpose,
                    legal_basis: a.legal_basis,
                    data_categories: a.data_categories,
                }
            })
            .collect();
        let register = Register {
            entries,
            legal_bases: legal_bases.into_iter().map(|b| (b.name, if b.extra.is_empty() { "alle partners".to_string() } else { partner_label(&b.extra) })).collect(),
            purposes: purposes.into_iter().map(|p| p.name).collect(),
            partners: partners.into_iter().map(|(t, n)| (partner_label(&t), n)).collect(),
            generated_at: self.now(),
        };
        self.log_plain_read(ctx, "verwerkingsregister-bekeken", &Object::new("verwerkingsregister", "*"), &format!("{} verwerkingen", register.entries.len())).await?;
        Ok(register)
    }
}
