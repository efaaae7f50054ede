//! The one place for the Dutch names of the codes the platform stores — audit actions, results
//! and object kinds, processing activities, case events — and for local times. A page never
//! shows a code: a code without an entry here still reads as words ("iets-nieuws" is "Iets
//! nieuws"), and the e2e language scan (`e2e/tests/language.test.js`) fails on any that slips
//! through.

use chrono::TimeZone;
use chrono_tz::Europe::Amsterdam;

/// A stored code as words: hyphens become spaces, the first letter a capital.
pub(crate) fn humanise(code: &str) -> String {
    let words = code.replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// An audit action as the audit page names it.
pub(crate) fn audit_action(code: &str) -> String {
    let known = match code {
        "api-token" => "API-token gebruikt",
        "api-token-aangemaakt" => "API-token aangemaakt",
        "api-token-ingetrokken" => "API-token ingetrokken",
        "api-token-vernieuwd" => "API-token vernieuwd",
        "auditketen-controlepunt" => "Controlepunt van de auditketen gemaakt",
        "auditketen-gecontroleerd" => "Auditketen gecontroleerd",
        "auditlog-geexporteerd" => "Auditlog geëxporteerd",
        "casus-geexporteerd" => "Casus afgedrukt of geëxporteerd",
        "casus-stap" => "Stap in een casus",
        "casus-signaal-geregistreerd" => "Signaal geregistreerd",
        "betrokkene-dubbel-getoond" => "Mogelijk dubbele betrokkene getoond",
        "gecodeerde-lijst-gescreend" => "Gecodeerde lijst gescreend",
        "opschonen-sessies-en-pogingen" => "Sessies en inlogpogingen opgeschoond",
        "referentiedata-geladen" => "Referentiegegevens geladen",
        "signaal-bericht" => "Bericht bij een bestuurlijk signaal",
        "signaal-reactie-vastleggen" => "Reactie op een bestuurlijk signaal vastgelegd",
        "signaal-niet-aanvaarden" => "Bestuurlijk signaal niet aanvaard",
        "tweede-factor" => "Tweede factor gegeven",
        "tweede-factor-ingesteld" => "Tweede factor ingesteld",
        "tweede-factor-verwijderd" => "Tweede factor verwijderd",
        "treffer-delen-akkoord" => "Akkoord met delen van een treffer",
        "treffer-delen-geweigerd" => "Delen van een treffer geweigerd",
        "treffers-herberekend" => "Treffers opnieuw berekend",
        "treffers-overzicht-bekeken" => "Overzicht van treffers bekeken",
        "verwerkingenlogboek-bekeken" => "Verwerkingenlogboek bekeken",
        "verwerkingenlogboek-doorzocht" => "Verwerkingenlogboek doorzocht op een betrokkene",
        "landelijke-aanpak-voortgang" => "Voortgang van een landelijke aanpak vastgelegd",
        "landelijke-aanpak-actie-gereed" => "Actie van een landelijke aanpak gereed",
        "landelijke-aanpak-casus-besloten" => "Besluit over een casus in een landelijke aanpak",
        "landelijke-aanpak-casus-gevraagd" => "Casus gevraagd voor een landelijke aanpak",
        "meldingen-instelling" => "Overzicht van meldingen per e-mail aan- of uitgezet",
        "meldingen-gemaild" => "Overzicht van meldingen per e-mail verstuurd",
        "escalaties-bekeken" => "Escalaties van de stuurgroep bekeken",
        "cijfers-bekeken" => "Cijfers van het netwerk bekeken",
        "jaarverslag-concept-bekeken" => "Concept van een jaarverslag bekeken",
        "jaarverslag-vastgesteld" => "Jaarverslag vastgesteld",
        "stuurgroep-overzicht-bekeken" => "Overzicht van een stuurgroep bekeken",
        "stuurgroep-doel-vastgesteld" => "Doel van een stuurgroep vastgelegd",
        "stuurgroep-besluit-vastgelegd" => "Besluit van een stuurgroep vastgelegd",
        "stuurgroep-knelpunt-gemeld" => "Knelpunt bij een stuurgroep gemeld",
        "stuurgroep-knelpunt-gewijzigd" => "Knelpunt van een stuurgroep bijgewerkt",
        "interventieblad-gewijzigd" => "Nieuwe versie van een interventieblad",
        "kennisitem-aangemaakt" => "Kennisitem aangemaakt",
        "kennisitem-gewijzigd" => "Nieuwe versie van een kennisitem",
        "barrieremodel-gewijzigd" => "Barrièremodel gewijzigd",
        "kennisitem-bijlage-toegevoegd" => "Bijlage bij een kennisitem toegevoegd",
        "kennisthemas-gekozen" => "Eigen kennisthema's gekozen",
        "zoeksynoniemen-gewijzigd" => "Synoniemen voor het zoeken gewijzigd",
        "kennisitem-stap" => "Kennisitem aangeboden, teruggestuurd, gepubliceerd of gearchiveerd",
        "kennisgroep-aangemaakt" => "Kennisgroep aangemaakt",
        "taxonomie-gewijzigd" => "Fenomeen, cluster of omgeving toegevoegd of gewijzigd",
        "speerpunten-vastgesteld" => "Speerpunten van een regio vastgesteld",
        "logboek-gearchiveerd" => "Maand van een logboek gearchiveerd",
        "logboek-geexporteerd" => "Maand van de logboeken geëxporteerd",
        "logarchief-gecontroleerd" => "Logarchief gecontroleerd",
        "logboeken-bekeken" => "Overzicht van de logboeken bekeken",
        "fenomeentafels-bekeken" => "Overzicht van de fenomeentafels bekeken",
        "fenomeentafel-bekeken" => "Fenomeentafel bekeken",
        "fenomeentafel-geopend" => "Fenomeentafel geopend",
        "fenomeentafel-status" => "Status van een fenomeentafel gewijzigd",
        "fenomeentafel-opdracht" => "Opdracht van een fenomeentafel vastgelegd",
        "fenomeentafel-lid-toegevoegd" => "Lid aan een fenomeentafel toegevoegd",
        "fenomeentafel-lid-beeindigd" => "Lidmaatschap van een fenomeentafel beëindigd",
        "fenomeentafel-overleg" => "Overleg van een fenomeentafel vastgelegd",
        "fenomeentafel-actie" => "Actie van een fenomeentafel afgesproken",
        "fenomeentafel-actie-status" => "Voortgang van een actie van een fenomeentafel gemeld",
        "fenomeentafel-actie-signaal" => "Bestuurlijk signaal gemaakt van een actie van een fenomeentafel",
        "ondersteuningsvragen-bekeken" => "Ondersteuningsvragen bekeken",
        "ondersteuningsvraag-bekeken" => "Ondersteuningsvraag bekeken",
        "ondersteuningsvraag-gesteld" => "Ondersteuning gevraagd aan het LIEC",
        "ondersteuningsvraag-stap" => "Stap gezet in een ondersteuningsvraag",
        "ondersteuningsvraag-bijlage" => "Bijlage toegevoegd aan een ondersteuningsvraag",
        "ondersteuningsvraag-bijlage-gelezen" => "Bijlage van een ondersteuningsvraag geopend",
        "ondersteuningsvraag-kennisitem" => "Antwoord op een ondersteuningsvraag aangeboden als vraag en antwoord",
        "ondersteuning-doorlooptijd" => "Doorlooptijd van een ondersteuningsdomein vastgesteld",
        "bijeenkomst-aangemaakt" => "Bijeenkomst aangemaakt",
        "bijeenkomst-gewijzigd" => "Bijeenkomst gewijzigd",
        "bijeenkomst-aangemeld" => "Aangemeld voor een bijeenkomst",
        "bijeenkomst-afgemeld" => "Afgemeld voor een bijeenkomst",
        "bijeenkomst-aanmelding-bekeken" => "Eigen aanmelding voor een bijeenkomst bekeken",
        "bijeenkomst-wachtlijst-doorgeschoven" => "Wachtende van een bijeenkomst geplaatst",
        "bijeenkomst-deelnemers-bekeken" => "Deelnemerslijst van een bijeenkomst bekeken",
        "bijeenkomst-deelnemers-gedownload" => "Deelnemerslijst van een bijeenkomst gedownload",
        "bijeenkomst-aanmeldingen-gewist" => "Persoonsgegevens van deelnemers aan bijeenkomsten gewist",
        "field-lab-geopend" => "Field lab geopend",
        "field-lab-fase" => "Field lab naar een andere fase",
        "field-lab-partner" => "Partner toegevoegd aan een field lab",
        "field-lab-vastgelegd" => "Besluit of document vastgelegd in een field lab",
        "field-lab-experiment" => "Experiment van een field lab vastgelegd",
        "field-lab-indicator" => "Indicator van een field lab vastgelegd",
        "field-lab-eindproduct" => "Eindproduct van een field lab aangeboden als kennisitem",
        "field-lab-bestand" => "Bestand toegevoegd aan een field lab",
        "field-lab-bestand-gelezen" => "Bestand van een field lab geopend",
        "field-lab-fasen" => "Fasen van de Field Lab Hub gewijzigd",
        "code-geel-editie-gemaakt" => "Editie van Code Geel aangemaakt",
        "code-geel-editie-gewijzigd" => "Editie van Code Geel gewijzigd",
        "code-geel-editie-gepubliceerd" => "Editie van Code Geel gepubliceerd",
        "code-geel-editie-teruggetrokken" => "Editie van Code Geel teruggetrokken",
        "code-geel-artikel-geschreven" => "Artikel voor Code Geel geschreven",
        "code-geel-artikel-gewijzigd" => "Artikel van Code Geel gewijzigd",
        other => return signal_step(other).unwrap_or_else(|| humanise(other)),
    };
    known.to_string()
}

/// Signal-desk steps are audited as `signaal-<step>`.
fn signal_step(code: &str) -> Option<String> {
    let step = code.strip_prefix("signaal-")?;
    let label = match step {
        "indienen" => "Bestuurlijk signaal ingediend",
        "beoordelen" => "Bestuurlijk signaal beoordeeld",
        "terugsturen" => "Bestuurlijk signaal teruggestuurd",
        "aanbieden" => "Bestuurlijk signaal aangeboden aan een ministerie",
        "aanvaarden" => "Bestuurlijk signaal aanvaard",
        "opvolgen" => "Opvolging van een bestuurlijk signaal",
        "samenvoegen" => "Bestuurlijke signalen samengevoegd",
        "sluiten" => "Bestuurlijk signaal gesloten",
        _ => return None,
    };
    Some(label.to_string())
}

/// The result of an audit line or a processing-log line.
pub(crate) fn result(code: &str) -> String {
    match code {
        "ok" => "gelukt".to_string(),
        "geweigerd" | "mislukt" => code.to_string(),
        other => humanise(other).to_lowercase(),
    }
}

/// What an audit line is about: the kind in words and its number (`*` is "alle").
pub(crate) fn object(kind: &str, id: &str) -> String {
    let kind = match kind {
        "api-token" => "API-token".to_string(),
        "bewaartermijn" => {
            if let Ok(t) = knooppunt_domain::retention::RetentionTrigger::parse(id) {
                return format!("Bewaartermijn: {}", t.label().to_lowercase());
            }
            "Bewaartermijn".to_string()
        }
        // A phase is named by its code, which was made of its name.
        "field-lab-fase" if id != "*" => return format!("Fase van de Field Lab Hub: {}", humanise(id)),
        "field-lab-fase" => "Fasen van de Field Lab Hub".to_string(),
        other => humanise(other),
    };
    match id {
        "*" => format!("{kind} (alle)"),
        "-" | "" => kind,
        id => format!("{kind} {id}"),
    }
}

/// A processing activity by its name in the register; a code not in it as words.
pub(crate) fn activity(code: &str) -> String {
    knooppunt_app::reference::processing_activities().into_iter().find(|a| a.code == code).map(|a| a.name).unwrap_or_else(|| humanise(code))
}

/// What a line of the case history is called on the page: the step's own name for a phase
/// change (`casus-openen` is "Casus openen"), a Dutch name for the other events; never the
/// stored code.
pub(crate) fn case_event(kind: &str) -> String {
    if let Ok(step) = knooppunt_domain::case::CaseStep::parse(kind) {
        return step.label().to_string();
    }
    let known = match kind {
        "geregistreerd" => "Geregistreerd",
        "toegelaten" => "Deelnemer toegelaten",
        "verwijderd" => "Deelnemer verwijderd",
        "gekoppeld" => "Casussen gekoppeld",
        "team" => "Casusteam gewijzigd",
        "uitvraag" => "Uitvraag",
        "advies-goedgekeurd" => "Advies goedgekeurd",
        "interventie" => "Interventie",
        "vrijgegeven" => "Bijdrage vrijgegeven",
        "ingetrokken" => "Vrijgave ingetrokken",
        "bijdrage-ingetrokken" => "Bijdrage ingetrokken door de leverancier",
        other => return humanise(other),
    };
    known.to_string()
}

/// Milliseconds since the epoch as local time in the Netherlands: `28-11-2026 18:06`.
pub(crate) fn when(ms: i64) -> String {
    match Amsterdam.timestamp_millis_opt(ms).single() {
        Some(t) => t.format("%d-%m-%Y %H:%M").to_string(),
        None => String::new(),
    }
}

/// A month as stored (`2026-11`) in words: `november 2026`; anything else as it is.
pub(crate) fn month(period: &str) -> String {
    const NAMES: [&str; 12] = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"];
    match period.split_once('-').and_then(|(y, m)| Some((y, m.parse::<usize>().ok()?))) {
        Some((year, m)) if (1..=12).contains(&m) => format!("{} {year}", NAMES[m - 1]),
        _ => period.to_string(),
    }
}

/// The local day of a moment: `28-11-2026`.
/// The year it is at `ms` in the Netherlands.
pub(crate) fn current_year(ms: i64) -> i32 {
    use chrono::Datelike;
    Amsterdam.timestamp_millis_opt(ms).earliest().map_or(2026, |d| d.year())
}

pub(crate) fn day(ms: i64) -> String {
    match Amsterdam.timestamp_millis_opt(ms).single() {
        Some(t) => t.format("%d-%m-%Y").to_string(),
        None => String::new(),
    }
}

/// The local day of a moment as stored days are written (`2026-11-28`), to sort with them.
pub(crate) fn iso_of(ms: i64) -> String {
    match Amsterdam.timestamp_millis_opt(ms).single() {
        Some(t) => t.format("%Y-%m-%d").to_string(),
        None => String::new(),
    }
}

/// A file's size for people: "12 kB" (rounded up, at least 1 kB).
pub(crate) fn file_size(bytes: &i64) -> String {
    format!("{} kB", (bytes.max(&1) + 1023) / 1024)
}

/// An ISO day (`2026-11-28`, as stored) as people write it (`28-11-2026`); anything else as it is.
pub(crate) fn iso_day(iso: &str) -> String {
    knooppunt_domain::case::dutch_day(iso)
}

/// "1 treffer", "2 treffers": a count with the right form of its noun.
pub fn count(n: impl Count, one: &str, many: &str) -> String {
    match n.count() {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

/// A number of things, however a template holds it.
pub trait Count {
    fn count(&self) -> u64;
}

impl Count for usize {
    fn count(&self) -> u64 {
        *self as u64
    }
}

impl Count for i64 {
    fn count(&self) -> u64 {
        (*self).max(0).unsigned_abs()
    }
}

impl<T: Count + ?Sized> Count for &T {
    fn count(&self) -> u64 {
        (**self).count()
    }
}

/// What a notification says, and the list where the work is done (which filters by
/// need-to-know itself).
pub(crate) fn notification(kind: knooppunt_app::notifications::NotificationKind) -> (&'static str, &'static str) {
    use knooppunt_app::notifications::NotificationKind as K;
    match kind {
        K::Request => ("Er is een verzoek om informatie aan uw organisatie.", "/casussen?werk=uitvraag"),
        K::Advice => ("Een interventieadvies wacht op uw goedkeuring.", "/casussen?werk=advies"),
        K::Intervention => ("Uw organisatie is gevraagd een interventie uit te voeren.", "/casussen?werk=interventie"),
        K::Hit => ("Er is een nieuwe treffer tussen een casus van uw regio en een andere regio.", "/treffers"),
        K::ApproachAsk => ("Het LIEC vraagt een casus van uw regio om mee te doen aan een landelijke aanpak.", "/landelijke-aanpakken"),
        K::Escalation => ("Een interventie is geëscaleerd naar uw stuurgroep.", "/escalaties"),
        K::SubjectRequest => ("Een verzoek van een betrokkene wacht op het standpunt van uw organisatie.", "/verzoeken-betrokkenen"),
        K::BottleneckPassedOn => ("Een regionale stuurgroep heeft een knelpunt doorgezet naar de Stuurgroep LIEC.", "/stuurgroep?bord=landelijk#knelpunten"),
        K::Support => ("Een ondersteuningsvraag wacht op u: een nieuwe vraag, een aanvulling of een antwoord.", "/ondersteuning?open=ja"),
        K::EventPlace => ("Er kwam een plaats vrij bij een bijeenkomst: u bent van de wachtlijst geplaatst.", "/bijeenkomsten"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_audit_object_named_by_a_code_reads_as_words() {
        assert_eq!(object("field-lab-fase", "opschalen-en-delen"), "Fase van de Field Lab Hub: Opschalen en delen");
        assert_eq!(object("field-lab-fase", "*"), "Fasen van de Field Lab Hub (alle)");
        assert_eq!(object("bewaartermijn", "casus-afgesloten"), "Bewaartermijn: casus afgesloten");
        assert_eq!(object("casus", "12"), "Casus 12");
    }

    #[test]
    fn history_lines_name_steps_and_events_in_dutch() {
        assert_eq!(case_event("casus-openen"), "Casus openen");
        assert_eq!(case_event("wegen"), "Weging starten");
        assert_eq!(case_event("advies-goedgekeurd"), "Advies goedgekeurd");
        // An event kind added later without a name still reads as words, not as a code.
        assert_eq!(case_event("iets-nieuws"), "Iets nieuws");
    }

    #[test]
    fn audit_lines_read_as_dutch() {
        assert_eq!(audit_action("casus-bekeken"), "Casus bekeken");
        assert_eq!(audit_action("signaal-aanbieden"), "Bestuurlijk signaal aangeboden aan een ministerie");
        assert_eq!(audit_action("api-token-aangemaakt"), "API-token aangemaakt");
        assert_eq!(result("ok"), "gelukt");
        assert_eq!(object("bestuurlijk-signaal", "3"), "Bestuurlijk signaal 3");
        assert_eq!(object("casus", "*"), "Casus (alle)");
        assert_eq!(activity("casusdossier-inzien"), "Inzien van een casusdossier");
    }

    #[test]
    fn times_are_dutch_local_times() {
        // 2026-01-15 12:00 UTC is 13:00 in winter; 2026-07-15 12:00 UTC is 14:00 in summer.
        assert_eq!(when(1_768_478_400_000), "15-01-2026 13:00");
        assert_eq!(when(1_784_116_800_000), "15-07-2026 14:00");
        // Just before midnight UTC on 31 March is already 1 April in Amsterdam.
        assert_eq!(day(1_774_994_400_000), "01-04-2026");
        assert_eq!(iso_day("2026-03-01"), "01-03-2026");
    }

    #[test]
    fn counts_take_the_right_form() {
        assert_eq!(count(1usize, "treffer", "treffers"), "1 treffer");
        assert_eq!(count(0i64, "treffer", "treffers"), "0 treffers");
        assert_eq!(count(2usize, "bijdrage", "bijdragen"), "2 bijdragen");
    }
}
