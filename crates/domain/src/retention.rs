//! Retention (*bewaartermijnen*): the moments from which a period runs, what happens when it has
//! passed, and the grounds of a legal hold (*bewaarplicht*) that blocks destruction. The periods
//! themselves are data (the privacy officer's rules), never constants.

coded!(
    /// The state transition a retention period starts from.
    RetentionTrigger {
        SignalRejected = "signaal-afgewezen" / "Signaal afgewezen",
        PreCaseEnded = "pre-casus-beeindigd" / "Pre-casus beëindigd zonder casus",
        CaseClosed = "casus-afgesloten" / "Casus afgesloten",
        DeskSignalClosed = "bestuurlijk-signaal-afgesloten" / "Bestuurlijk signaal afgesloten, niet aanvaard of samengevoegd",
        ApproachEnded = "landelijke-aanpak-afgerond" / "Landelijke aanpak afgerond",
        ItemWithdrawn = "informatie-ingetrokken" / "Informatiebijdrage ingetrokken door de leverancier",
        SupportClosed = "ondersteuningsvraag-gesloten" / "Ondersteuningsvraag gesloten",
    }
);

/// The kinds of object a retention rule, a legal hold or an extension is about.
pub const CASE: &str = "casus";
pub const DESK_SIGNAL: &str = "bestuurlijk-signaal";
pub const APPROACH: &str = "landelijke-aanpak";
pub const ITEM: &str = "informatiebijdrage";
pub const SUPPORT: &str = "ondersteuningsvraag";

impl RetentionTrigger {
    /// The kind of object the trigger applies to.
    pub fn object_kind(self) -> &'static str {
        match self {
            RetentionTrigger::DeskSignalClosed => DESK_SIGNAL,
            RetentionTrigger::ApproachEnded => APPROACH,
            RetentionTrigger::ItemWithdrawn => ITEM,
            RetentionTrigger::SupportClosed => SUPPORT,
            RetentionTrigger::SignalRejected | RetentionTrigger::PreCaseEnded | RetentionTrigger::CaseClosed => CASE,
        }
    }

    /// Whether the objects of the trigger belong to no one region (the LIEC's national objects),
    /// so that only a national retention scope holds them.
    pub fn is_national(self) -> bool {
        matches!(self.object_kind(), DESK_SIGNAL | APPROACH)
    }
}

coded!(
    /// What a rule proposes once its period has passed; a person always decides.
    RetentionAction {
        Review = "beoordelen" / "Beoordelen",
        Destroy = "vernietigen" / "Vernietigen",
        Anonymise = "anonimiseren" / "Anonimiseren voor de cijfers",
    }
);

coded!(
    /// Why an object must be kept although its period has passed.
    HoldGround {
        CourtCase = "rechtszaak" / "Rechtszaak of bezwaarprocedure",
        SubjectRequest = "verzoek-betrokkene" / "Verzoek van een betrokkene in behandeling",
        Investigation = "onderzoek" / "Lopend onderzoek",
    }
);

/// The longest period a rule may have: a century is no retention rule.
pub const MAX_PERIOD_MONTHS: i64 = 1200;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_parse_back_and_errors_list_the_choices() {
        for t in RetentionTrigger::ALL {
            assert_eq!(RetentionTrigger::parse(t.code()), Ok(*t));
        }
        let e = HoldGround::parse("zomaar");
        assert!(e.as_ref().is_err_and(|e| e.contains("rechtszaak") && e.contains("onderzoek")), "{e:?}");
    }
}
