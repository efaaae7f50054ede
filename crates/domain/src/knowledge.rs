//! Knowledge items of the Kennisplatform Ondermijning: their content types, audience levels and
//! editorial states, the steps between those states, the parts of a barrier model's step, and
//! the form of an ECLI number.

coded! {
    /// What kind of publication an item is.
    KnowledgeKind {
        News = "nieuws" / "Nieuws",
        Guide = "handreiking" / "Handreiking",
        InterventionSheet = "interventieblad" / "Interventieblad",
        BarrierModel = "barrieremodel" / "Barrièremodel",
        CaseLaw = "jurisprudentie" / "Jurisprudentie",
        BestPractice = "goede-praktijk" / "Goede praktijk",
        Factsheet = "factsheet" / "Factsheet",
        Report = "rapport" / "Rapport",
        Faq = "vraag-en-antwoord" / "Vraag en antwoord",
        TableProduct = "tafelproduct" / "Product van een fenomeentafel",
        FieldLabProduct = "fieldlabproduct" / "Product van een field lab",
        Event = "bijeenkomst" / "Bijeenkomst",
    }
}

coded! {
    /// What the product of a phenomenon table is.
    ProductType {
        PhenomenonPicture = "fenomeenbeeld" / "Fenomeenbeeld",
        Approach = "aanpak" / "Aanpak",
        Report = "rapportage" / "Rapportage",
    }
}

coded! {
    /// Who may read a published item.
    Audience {
        Public = "openbaar" / "Openbaar (iedereen, ook zonder inloggen)",
        Network = "netwerk" / "Netwerk (iedere ingelogde medewerker van een convenantpartner)",
        Group = "groep" / "Groep (alleen de leden van één kennisgroep)",
        Editors = "redactie" / "Redactie (alleen de kennisredactie)",
    }
}

impl Audience {
    /// The short label used in lists.
    pub fn short(self) -> &'static str {
        match self {
            Self::Public => "Openbaar",
            Self::Network => "Netwerk",
            Self::Group => "Groep",
            Self::Editors => "Redactie",
        }
    }
}

coded! {
    /// Where an item is in the editorial workflow.
    KnowledgeState {
        Concept = "concept" / "Concept",
        Review = "ter-beoordeling" / "Ter beoordeling",
        Published = "gepubliceerd" / "Gepubliceerd",
        Archived = "gearchiveerd" / "Gearchiveerd",
    }
}

coded! {
    /// A step in the editorial workflow.
    KnowledgeStep {
        Submit = "indienen" / "Ter beoordeling aanbieden",
        Return = "terugsturen" / "Terugsturen naar concept",
        Publish = "publiceren" / "Publiceren",
        Archive = "archiveren" / "Archiveren",
        Reopen = "heropenen" / "Weer in bewerking nemen",
    }
}

impl KnowledgeStep {
    /// The state a step starts from and the state it leads to.
    pub fn transition(self) -> (KnowledgeState, KnowledgeState) {
        use KnowledgeState::*;
        match self {
            Self::Submit => (Concept, Review),
            Self::Return => (Review, Concept),
            Self::Publish => (Review, Published),
            Self::Archive => (Published, Archived),
            Self::Reopen => (Archived, Concept),
        }
    }

    /// The steps that can be taken from `state`.
    pub fn from(state: KnowledgeState) -> Vec<KnowledgeStep> {
        Self::ALL.iter().copied().filter(|s| s.transition().0 == state).collect()
    }
}

coded! {
    /// What a part of a barrier model's step is: who facilitates the step, which opportunity
    /// it uses, what signal it gives, and the barrier the government can raise.
    BarrierPart {
        Facilitator = "facilitator" / "Facilitator",
        Opportunity = "gelegenheid" / "Gelegenheid",
        Signal = "signaal" / "Signaal",
        Barrier = "barriere" / "Barrière",
    }
}

impl BarrierPart {
    /// The heading of the part's row in the matrix (plural).
    pub fn heading(self) -> &'static str {
        match self {
            Self::Facilitator => "Facilitatoren",
            Self::Opportunity => "Gelegenheden",
            Self::Signal => "Signalen",
            Self::Barrier => "Barrières",
        }
    }
}

/// Checks and normalises a European Case Law Identifier: `ECLI:` country (two letters), court
/// (one to seven letters or digits), year (four digits) and a number (letters, digits and dots,
/// at most 25), separated by colons. Upper-cased; spaces around it removed.
pub fn parse_ecli(raw: &str) -> Result<String, String> {
    let v = raw.trim().to_uppercase();
    let parts: Vec<&str> = v.split(':').collect();
    let alnum = |s: &str, max: usize| !s.is_empty() && s.len() <= max && s.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    let ok = match parts.as_slice() {
        ["ECLI", country, court, year, number] => {
            country.len() == 2
                && country.chars().all(|c| c.is_ascii_uppercase())
                && alnum(court, 7)
                && year.len() == 4
                && year.chars().all(|c| c.is_ascii_digit())
                && !number.is_empty()
                && number.len() <= 25
                && number.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '.')
        }
        _ => false,
    };
    if ok {
        Ok(v)
    } else {
        Err("Dit is geen geldig ECLI-nummer; het ziet eruit als ECLI:NL:RVS:2022:1389.".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecli_numbers_are_checked_and_normalised() {
        assert_eq!(parse_ecli(" ecli:nl:rvs:2022:1389 ").as_deref(), Ok("ECLI:NL:RVS:2022:1389"));
        assert_eq!(parse_ecli("ECLI:NL:HR:2020:2034").as_deref(), Ok("ECLI:NL:HR:2020:2034"));
        assert_eq!(parse_ecli("ECLI:EU:C:2019:1.2A").as_deref(), Ok("ECLI:EU:C:2019:1.2A"));
        for bad in ["", "ECLI:NL:RVS:22:1", "ECLI:NLD:HR:2020:1", "NL:HR:2020:1", "ECLI:NL:HR:2020:", "ECLI:NL:HR-X:2020:1", "ECLI:NL:HR:2020:1:2"] {
            assert!(parse_ecli(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn no_state_is_a_dead_end() {
        for state in KnowledgeState::ALL {
            assert!(!KnowledgeStep::from(*state).is_empty(), "{state:?}");
        }
        assert_eq!(KnowledgeStep::from(KnowledgeState::Review), vec![KnowledgeStep::Return, KnowledgeStep::Publish]);
    }
}
