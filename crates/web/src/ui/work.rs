//! "Mijn werk" (the start page: the work list per role and the tiles) and the steering group's
//! escalations.

use super::labels;
use super::pages::role_label;
use super::templates::*;
use super::{fail, page, render, Signed};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use knooppunt_policy::{decide, Action};

pub async fn home(State(s): State<AppState>, Signed { rc, session }: Signed) -> Response {
    let p = &session.principal;
    let roles = session.role_names.iter().map(|(role, region)| role_label(role, region.as_deref())).collect();
    let mut tiles = vec![Tile { href: "/netwerk/regios".into(), label: "Het netwerk".into(), text: "De RIEC's, het LIEC, de gemeenten en de convenantpartners.".into() }];
    if knooppunt_policy::signals::is_desk(p) {
        // What waits for the desk is on the work list; the tile opens its figures.
        tiles.insert(
            0,
            Tile {
                href: "/signalen/overzicht".into(),
                label: "Loket Bestuurlijke Signalen".into(),
                text: "Alle signalen met hun status, de ministeries, de reactietermijnen en terugkerende thema's.".into(),
            },
        );
    } else if knooppunt_policy::signals::can_submit(p) {
        tiles.push(Tile {
            href: "/signalen/nieuw".into(),
            label: "Bestuurlijk signaal indienen".into(),
            text: "Wijs een minister op een structurele zwakke plek in wetgeving of uitvoering.".into(),
        });
    }
    if decide(p, Action::ManageUsers).allowed {
        tiles.push(Tile { href: "/beheer/gebruikers".into(), label: "Gebruikers beheren".into(), text: "Accounts aanmaken, rollen toekennen, wachtwoorden herstellen.".into() });
        tiles.push(Tile { href: "/beheer/api-tokens".into(), label: "API-tokens".into(), text: "Koppelingen van systemen van partners.".into() });
    }
    if decide(p, Action::ViewAudit).allowed {
        tiles.push(Tile { href: "/audit".into(), label: "Auditlog".into(), text: "Wie deed wat, wanneer, en is de keten nog heel?".into() });
    }
    if decide(p, Action::ViewProcessingLog).allowed {
        tiles.push(Tile {
            href: "/verwerkingen".into(),
            label: "Verwerkingenlogboek".into(),
            text: "Elke verwerking van persoonsgegevens, per betrokkene gepseudonimiseerd.".into(),
        });
    }
    tiles.insert(
        0,
        Tile {
            href: "/kennis".into(),
            label: "Kennis".into(),
            text: "Handreikingen, interventiebladen, jurisprudentie, goede praktijken en nieuws van het Kennisplatform Ondermijning.".into(),
        },
    );
    tiles.push(Tile { href: "/account".into(), label: "Mijn account".into(), text: "Wachtwoord en tweede factor.".into() });
    let work = s.app.work_list(&rc.ctx).await.unwrap_or_default().into_iter().map(|w| work_line(s.app.now(), w)).collect();
    render(&Home { page: page(&s, &rc, "Mijn werk", "/", None), name: session.display_name.clone(), organisation: session.organisation_name.clone(), roles, work, tiles })
}

/// A line of the work list: where the work is done, what it is, how much waits.
fn work_line(now: i64, w: knooppunt_app::work::WorkItem) -> (String, String, String, bool) {
    use knooppunt_app::work::{WorkKind, ATTENTION_DAYS};
    let n = w.count;
    let (href, what, amount) = match w.kind {
        WorkKind::SignalsToWeigh => {
            let (code, name) = w.region.unwrap_or_default();
            (format!("/casussen?regio={code}&fase=signaal"), format!("Signalen te wegen in {name}"), labels::count(n, "signaal wacht", "signalen wachten"))
        }
        WorkKind::OverdueRequests => ("/casussen?teLaat=ja".to_string(), "Casussen met een uitvraag over de termijn".to_string(), labels::count(n, "casus", "casussen")),
        WorkKind::OwnCases => ("/casussen?mijn=ja".to_string(), "Casussen waarin u een rol heeft".to_string(), labels::count(n, "casus", "casussen")),
        WorkKind::FollowedCases => ("/casussen".to_string(), "Casussen waaraan uw organisatie deelneemt".to_string(), labels::count(n, "casus", "casussen")),
        WorkKind::AdviceToApprove => {
            let (code, name) = w.region.unwrap_or_default();
            (format!("/casussen?regio={code}&werk=advies"), format!("Adviezen goed te keuren in {name}"), labels::count(n, "casus", "casussen"))
        }
        WorkKind::HitsToAssess => ("/treffers".to_string(), "Treffers met andere regio's te beoordelen".to_string(), labels::count(n, "treffer", "treffers")),
        WorkKind::ApproachRequests => {
            ("/landelijke-aanpakken".to_string(), "Verzoeken om deel te nemen aan een landelijke aanpak".to_string(), labels::count(n, "casus", "casussen"))
        }
        WorkKind::HitsNationally => ("/treffers".to_string(), "Treffers tussen regio's die nog niemand beoordeelde".to_string(), labels::count(n, "treffer", "treffers")),
        WorkKind::ApproachActions => ("/landelijke-aanpakken".to_string(), "Open acties in landelijke aanpakken".to_string(), labels::count(n, "actie", "acties")),
        WorkKind::RequestsToAnswer => ("/casussen?werk=uitvraag".to_string(), "Uitvragen aan uw organisatie te beantwoorden".to_string(), labels::count(n, "casus", "casussen")),
        WorkKind::Stalled => ("/casussen?werk=stilstand".to_string(), "Casussen met een interventie die 30 dagen stilstaat".to_string(), labels::count(n, "casus", "casussen")),
        WorkKind::AdviceToReview => {
            let (code, name) = w.region.unwrap_or_default();
            (format!("/casussen?regio={code}&werk=advies"), format!("Conceptadviezen juridisch te toetsen in {name}"), labels::count(n, "casus", "casussen"))
        }
        WorkKind::EscalatedCases => {
            let (code, name) = w.region.unwrap_or_default();
            (format!("/casussen?regio={code}&werk=escalatie"), format!("Casussen met een escalatie naar de stuurgroep in {name}"), labels::count(n, "casus", "casussen"))
        }
        WorkKind::SubjectRequests => {
            ("/verzoeken-betrokkenen".to_string(), "Verzoeken van betrokkenen waarop uw organisatie moet reageren".to_string(), labels::count(n, "verzoek", "verzoeken"))
        }
        WorkKind::RetentionDue => {
            ("/bewaartermijnen/te-beoordelen".to_string(), "Afgesloten dossiers waarvan de bewaartermijn is verstreken".to_string(), labels::count(n, "dossier", "dossiers"))
        }
        WorkKind::KnowledgeToReview => {
            ("/kennis?status=ter-beoordeling".to_string(), "Kennisitems om te beoordelen en te publiceren".to_string(), labels::count(n, "kennisitem", "kennisitems"))
        }
        WorkKind::KnowledgeReturned => {
            ("/kennis?status=concept".to_string(), "Uw kennisitems die terugkwamen om aan te vullen".to_string(), labels::count(n, "kennisitem", "kennisitems"))
        }
        WorkKind::TokensExpiring => ("/beheer/api-tokens".to_string(), "API-tokens die binnen 30 dagen verlopen".to_string(), labels::count(n, "token", "tokens")),
        WorkKind::AccessRefusals => (
            format!("/audit?actie=toegang-geweigerd&van={}", labels::day(now - ATTENTION_DAYS * 86_400_000)),
            "Geweigerde toegang in de afgelopen 7 dagen".to_string(),
            labels::count(n, "weigering", "weigeringen"),
        ),
        WorkKind::CaseExports => (
            format!("/audit?actie=casus-geexporteerd&van={}", labels::day(now - ATTENTION_DAYS * 86_400_000)),
            "Casusdossiers afgedrukt of geëxporteerd in de afgelopen 7 dagen".to_string(),
            labels::count(n, "keer", "keer"),
        ),
        WorkKind::ExportProcessing => (
            "/verwerkingen?exporten=ja".to_string(),
            "Verwerkingen door afdrukken of exporteren van casusdossiers, afgelopen 7 dagen".to_string(),
            labels::count(n, "verwerking", "verwerkingen"),
        ),
        WorkKind::OpenBottlenecks => {
            let (code, name) = w.region.unwrap_or_default();
            (format!("/stuurgroep?bord={code}#knelpunten"), format!("Open knelpunten van de {name}"), labels::count(n, "knelpunt", "knelpunten"))
        }
        WorkKind::Escalations => ("/escalaties".to_string(), "Escalaties naar uw stuurgroep".to_string(), labels::count(n, "interventie", "interventies")),
        WorkKind::InterventionsToReport => {
            ("/casussen?werk=interventie".to_string(), "Interventies van uw organisatie om over te rapporteren".to_string(), labels::count(n, "casus", "casussen"))
        }
        WorkKind::ItemsToRelease => {
            ("/casussen?werk=vrijgeven".to_string(), "Bijdragen van uw organisatie die u nog aan niemand hebt vrijgegeven".to_string(), labels::count(n, "casus", "casussen"))
        }
        WorkKind::SupportToHandle => {
            ("/ondersteuning?open=ja".to_string(), "Ondersteuningsvragen van RIEC's die op het LIEC wachten".to_string(), labels::count(n, "vraag", "vragen"))
        }
        WorkKind::SupportOverdue => ("/ondersteuning?teLaat=ja".to_string(), "Ondersteuningsvragen over de doorlooptijd".to_string(), labels::count(n, "vraag", "vragen")),
        WorkKind::EventWaitingLists => ("/bijeenkomsten".to_string(), "Komende bijeenkomsten met een wachtlijst".to_string(), labels::count(n, "bijeenkomst", "bijeenkomsten")),
        WorkKind::SignalsSubmitted => {
            ("/signalen?status=ingediend".to_string(), "Bestuurlijke signalen die wachten tot het loket ze beoordeelt".to_string(), labels::count(n, "signaal", "signalen"))
        }
        WorkKind::SignalsInAssessment => {
            ("/signalen?status=in-beoordeling".to_string(), "Bestuurlijke signalen in beoordeling".to_string(), labels::count(n, "signaal", "signalen"))
        }
        WorkKind::SignalResponsesLate => (
            "/signalen/overzicht#te-laat".to_string(),
            "Aangeboden signalen waarop de reactie van de bewindspersoon te laat is".to_string(),
            labels::count(n, "signaal", "signalen"),
        ),
        WorkKind::SignalsReturned => (
            "/signalen?status=teruggestuurd".to_string(),
            "Bestuurlijke signalen van uw organisatie die het loket terugstuurde om aan te vullen".to_string(),
            labels::count(n, "signaal", "signalen"),
        ),
        WorkKind::SupportForRegion => {
            ("/ondersteuning?open=ja".to_string(), "Ondersteuningsvragen van uw RIEC met een vraag of antwoord van het LIEC".to_string(), labels::count(n, "vraag", "vragen"))
        }
    };
    (href, what, amount, n > 0)
}

pub struct EscalationLine {
    pub region: String,
    pub intervention: String,
    pub organisation: String,
    pub status: String,
    pub reason: String,
    pub since: String,
    pub days: i64,
    pub open: bool,
}

#[derive(Template)]
#[template(path = "escalations.html")]
pub struct EscalationsPage {
    pub page: Page,
    pub lines: Vec<EscalationLine>,
    pub open: usize,
}

/// The interventions escalated to the user's steering groups: the longest waiting first.
/// The escalations as the steering group reads them: status in words, date, days waiting.
pub(crate) fn escalation_lines(rows: Vec<knooppunt_app::views::EscalationRow>, now: i64) -> Vec<EscalationLine> {
    rows.into_iter()
        .map(|r| {
            let status = knooppunt_domain::case::InterventionStatus::parse(&r.status).ok();
            EscalationLine {
                region: r.region_name,
                intervention: r.type_name,
                organisation: r.organisation_name,
                status: status.map(|s| s.label().to_lowercase()).unwrap_or_default(),
                reason: r.reason,
                since: labels::day(r.escalated_at),
                days: (now - r.escalated_at).max(0) / 86_400_000,
                open: !status.is_some_and(|s| s.is_finished()),
            }
        })
        .collect()
}

pub async fn escalations(State(s): State<AppState>, Signed { rc, .. }: Signed) -> Response {
    let now = s.app.now();
    match s.app.escalations(&rc.ctx).await {
        Ok(rows) => {
            let lines = escalation_lines(rows, now);
            let open = lines.iter().filter(|l| l.open).count();
            render(&EscalationsPage { page: page(&s, &rc, "Escalaties", "/escalaties", None), lines, open })
        }
        Err(e) => fail(&s, &rc, e),
    }
}
