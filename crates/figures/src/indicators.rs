//! The indicators the network publishes, each with its written counting rule: what counts,
//! when, in which region, and what the reader should keep in mind. The definition pages show
//! these texts as they are (Dutch, for the reader); the counting in the store follows them.

/// One indicator: a table of the figures pages, the annual report and the dashboards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Indicator {
    /// Stable code, used in addresses and CSV names.
    pub code: &'static str,
    /// The chapter it belongs to.
    pub group: &'static str,
    pub title: &'static str,
    /// What is counted (one sentence a reader can repeat).
    pub counts: &'static str,
    /// The counting rule: the moment that decides the period, the region, what counts twice or
    /// not at all.
    pub rule: &'static str,
    /// What the rows and columns are.
    pub breakdown: &'static str,
    /// What to keep in mind when comparing.
    pub caveat: &'static str,
}

pub const TREND: &str = "verloop";
pub const SIGNALS_BY_SOURCE: &str = "signalen-bron";
pub const SIGNALS_BY_PHENOMENON: &str = "signalen-fenomeen";
pub const SIGNALS_BY_SETTING: &str = "signalen-omgeving";
pub const WEIGHING: &str = "weging";
pub const CASE_FLOW: &str = "casussen";
pub const INTERVENTIONS_BY_CATEGORY: &str = "interventies-soort";
pub const INTERVENTIONS_BY_PARTNER: &str = "interventies-partner";
pub const INTERVENTIONS_BY_OUTCOME: &str = "interventies-uitkomst";
pub const INTERVENTIONS_BY_INSTRUMENT: &str = "interventies-middel";
pub const AMOUNTS: &str = "bedragen";
pub const DESK_SIGNALS: &str = "bestuurlijke-signalen";
pub const MINISTRIES: &str = "ministeries";
pub const NATIONAL: &str = "landelijk";

const REGISTRATION: &str = "De regio's registreren niet op precies dezelfde manier; vergelijk regio's daarom met voorzichtigheid.";

pub const INDICATORS: &[Indicator] = &[
    Indicator {
        code: TREND,
        group: "Verloop",
        title: "Verloop door de periode",
        counts: "Landelijk per kwartaal (bij een jaar) of per maand (bij een kwartaal): de geregistreerde signalen, de geopende casussen en de afgeronde of gestopte interventies.",
        rule: "Elke reeks telt zoals haar eigen tabel: een signaal in het kwartaal of de maand van registratie, een casus in die waarin het dossier casus werd, een interventie in die waarin ze werd afgerond of gestopt. Het totaal is de som van de kwartalen of maanden: een dossier dat in twee kwartalen casus werd, telt in beide.",
        breakdown: "Landelijk, per kwartaal of per maand.",
        caveat: REGISTRATION,
    },
    Indicator {
        code: SIGNALS_BY_SOURCE,
        group: "Signalen",
        title: "Signalen naar aanbrenger",
        counts: "Het aantal signalen dat in de periode is geregistreerd.",
        rule: "Elk dossier begint als signaal en telt één keer, in de periode waarin het is geregistreerd en in de regio waar het dossier ligt. Een signaal dat later is afgewezen, telt ook mee.",
        breakdown: "Per regio, naar het soort partner dat het signaal aanbracht.",
        caveat: REGISTRATION,
    },
    Indicator {
        code: SIGNALS_BY_PHENOMENON,
        group: "Signalen",
        title: "Signalen naar fenomeen",
        counts: "Hoe vaak een fenomeen is toegekend aan een signaal dat in de periode is geregistreerd.",
        rule: "Een signaal met twee fenomenen telt bij beide; een signaal zonder fenomeen telt onder 'Geen fenomeen'. Het totaal is daarom het aantal toekenningen, niet het aantal signalen.",
        breakdown: "Per regio, naar fenomeen.",
        caveat: REGISTRATION,
    },
    Indicator {
        code: SIGNALS_BY_SETTING,
        group: "Signalen",
        title: "Signalen naar omgeving",
        counts: "Hoe vaak een omgeving (buitengebied, havens en logistiek, horeca …) is genoemd bij een signaal dat in de periode is geregistreerd.",
        rule: "Een signaal met twee omgevingen telt bij beide; een signaal zonder omgeving telt onder 'Geen omgeving'. Het totaal is daarom het aantal keren dat een omgeving is genoemd, niet het aantal signalen. De omgeving is pas sinds eind 2026 vast te leggen; eerdere signalen staan vooral onder 'Geen omgeving'.",
        breakdown: "Per regio, naar omgeving.",
        caveat: REGISTRATION,
    },
    Indicator {
        code: WEIGHING,
        group: "Signalen",
        title: "Uitkomst van de weging",
        counts: "Het aantal signalen waarover in de periode is besloten na de weging.",
        rule: "Telt het besluit om een signaal af te wijzen, er een pre-casus van te maken of er direct een casus van te maken, in de periode van dat besluit. Een pre-casus die later een casus wordt, telt hier alleen als pre-casus.",
        breakdown: "Per regio, naar besluit.",
        caveat: REGISTRATION,
    },
    Indicator {
        code: CASE_FLOW,
        group: "Casussen",
        title: "Pre-casussen en casussen",
        counts: "Hoeveel pre-casussen en casussen zijn geopend en afgesloten, en hoeveel er aan het eind van de periode liepen.",
        rule: "Geopend en afgesloten tellen in de periode van die stap, elk dossier één keer per kolom. Lopend: geopend vóór het eind van de periode en toen nog niet afgesloten. De kolommen zijn afzonderlijke tellingen en tellen niet op tot een totaal.",
        breakdown: "Per regio; het totaal per kolom is landelijk.",
        caveat: REGISTRATION,
    },
    Indicator {
        code: INTERVENTIONS_BY_CATEGORY,
        group: "Interventies",
        title: "Interventies naar soort",
        counts: "Het aantal interventies dat in de periode is afgerond of gestopt.",
        rule: "Een interventie telt één keer, in de periode waarin haar status afgerond of gestopt werd vastgelegd, in de regio van de casus. De soort komt uit de interventiecatalogus.",
        breakdown: "Per regio, naar soort interventie (bestuurlijk, strafrechtelijk, fiscaal …).",
        caveat: REGISTRATION,
    },
    Indicator {
        code: INTERVENTIONS_BY_PARTNER,
        group: "Interventies",
        title: "Interventies naar uitvoerende partner",
        counts: "Dezelfde interventies als 'Interventies naar soort'.",
        rule: "Zoals bij 'Interventies naar soort'; de partner is het soort organisatie dat de interventie uitvoerde. De totalen zijn dezelfde getallen en worden samen met die tabel afgeschermd.",
        breakdown: "Per regio, naar soort partner.",
        caveat: REGISTRATION,
    },
    Indicator {
        code: INTERVENTIONS_BY_OUTCOME,
        group: "Interventies",
        title: "Interventies naar uitkomst",
        counts: "Dezelfde interventies als 'Interventies naar soort'.",
        rule: "Afgerond: uitgevoerd zoals bedoeld. Gestopt: beëindigd voordat ze was uitgevoerd, met een reden. De totalen zijn dezelfde getallen als bij de andere interventietabellen.",
        breakdown: "Per regio, naar uitkomst.",
        caveat: REGISTRATION,
    },
    Indicator {
        code: INTERVENTIONS_BY_INSTRUMENT,
        group: "Interventies",
        title: "Interventies naar interventiemiddel",
        counts: "Dezelfde interventies als 'Interventies naar soort'.",
        rule: "Zoals bij 'Interventies naar soort'; het middel is de interventie uit de interventiecatalogus (bijvoorbeeld een sluiting op grond van artikel 13b Opiumwet). De totalen zijn dezelfde getallen en worden samen met de andere interventietabellen afgeschermd.",
        breakdown: "Per regio, naar interventiemiddel uit de catalogus.",
        caveat: "Een middel dat weinig wordt ingezet, is per regio vaak afgeschermd; het landelijke totaal staat onderaan.",
    },
    Indicator {
        code: AMOUNTS,
        group: "Interventies",
        title: "Geïnde, verrekende en in beslag genomen bedragen",
        counts: "De bedragen die zijn vastgelegd bij interventies die in de periode zijn afgerond of gestopt, in hele euro's.",
        rule: "Een bedrag telt in de periode waarin de interventie werd afgerond of gestopt. Een bedrag wordt alleen getoond als het van ten minste zoveel interventies komt als de drempel voor kleine aantallen.",
        breakdown: "Per regio, naar soort bedrag.",
        caveat: "Niet elke partner legt bedragen vast; de bedragen zijn een ondergrens.",
    },
    Indicator {
        code: DESK_SIGNALS,
        group: "Landelijk",
        title: "Bestuurlijke signalen naar stand",
        counts: "Het aantal bestuurlijke signalen dat in de periode bij het Landelijk Loket is ingediend.",
        rule: "Telt in de periode van indienen, naar de stand waarin het signaal nu is (in een vastgesteld jaarverslag: de stand op de dag van vaststellen). Concepten die nooit zijn ingediend, tellen niet mee.",
        breakdown: "Landelijk, naar stand.",
        caveat: "Bestuurlijke signalen horen bij geen regio; ze staan alleen landelijk in de cijfers.",
    },
    Indicator {
        code: MINISTRIES,
        group: "Landelijk",
        title: "Bestuurlijke signalen per ministerie",
        counts: "Hoeveel signalen in de periode aan een ministerie zijn aangeboden, hoeveel reacties in de periode binnenkwamen en hoe lang een reactie gemiddeld duurde.",
        rule: "Aangeboden telt in de periode van aanbieden, beantwoord in de periode van de reactie. De reactietijd is het gemiddelde aantal dagen tussen aanbieden en reactie van de reacties in de periode, en wordt alleen getoond bij ten minste zoveel reacties als de drempel voor kleine aantallen. Een signaal dat aan twee ministeries is aangeboden, telt bij beide.",
        breakdown: "Per ministerie.",
        caveat: "",
    },
    Indicator {
        code: NATIONAL,
        group: "Landelijk",
        title: "Kruisverbanden en landelijke aanpakken",
        counts: "Treffers tussen regio's die in de periode zijn gevonden of door beide kanten bevestigd, en landelijke aanpakken die in de periode zijn gestart.",
        rule: "Gevonden telt in de periode waarin de treffer ontstond; bevestigd in de periode van de laatste wijziging van een bevestigde treffer. Een treffer die later is vernietigd (bewaartermijn), telt niet meer mee.",
        breakdown: "Landelijk.",
        caveat: "",
    },
];

/// The indicator with this code.
pub fn indicator(code: &str) -> Option<&'static Indicator> {
    INDICATORS.iter().find(|i| i.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_every_indicator_has_its_texts() {
        for (i, a) in INDICATORS.iter().enumerate() {
            assert!(INDICATORS[i + 1..].iter().all(|b| b.code != a.code), "{}", a.code);
            assert!(!a.title.is_empty() && !a.counts.is_empty() && !a.rule.is_empty() && !a.breakdown.is_empty(), "{}", a.code);
            assert_eq!(indicator(a.code), Some(a));
        }
    }
}
