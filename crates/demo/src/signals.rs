//! Fictitious administrative signals in every state of the desk's workflow.

use knooppunt_app::auth::SessionLookup;
use knooppunt_app::signals::{SignalInput, StepInput};
use knooppunt_app::views::SignalContent;
use knooppunt_app::{App, AppError, Ctx};

struct Topic {
    title: &'static str,
    process: &'static str,
    weakness: &'static str,
    structural: &'static str,
    modus: &'static str,
    recommendations: &'static str,
    phenomena: &'static [&'static str],
    ministries: &'static [&'static str],
}

const TOPICS: &[Topic] = &[
    Topic {
        title: "Vakantieparken als dekmantel voor hennepteelt",
        process: "Omgevingsvergunning en bestemmingsplan voor recreatieparken; inschrijving in de BRP op een recreatiewoning.",
        weakness: "Gemeenten controleren permanente bewoning van recreatiewoningen nauwelijks. Verkoop van chalets aan rechtspersonen wordt niet getoetst.",
        structural: "In meerdere regio's worden verouderde parken opgekocht en verhuurd aan personen die er hennepkwekerijen en opslag onderbrengen.",
        modus: "Chalets worden contant gekocht via wisselende bv's; stroom wordt illegaal afgetapt.",
        recommendations: "Maak een Bibob-toets mogelijk bij de verkoop van recreatieparken en geef gemeenten een meldplicht voor overdrachten.",
        phenomena: &["hennepteelt", "buitengebied"],
        ministries: &["bzk", "vro", "jenv"],
    },
    Topic {
        title: "Short-stay verhuur als witwasconstructie",
        process: "Registratieplicht en vergunning voor vakantieverhuur van woningen.",
        weakness: "Platforms hoeven inkomsten niet per woning te melden; contante betalingen aan beheerders zijn niet herleidbaar.",
        structural: "Het verdienmodel is in grote steden overal aanwezig en de registratie geeft geen zicht op de eigenaar achter een bv.",
        modus: "Woningen worden via stromannen gehuurd en doorverhuurd; opbrengsten worden contant afgedragen.",
        recommendations: "Verplicht platforms om per registratienummer transacties te melden aan de Belastingdienst en de gemeente.",
        phenomena: &["witwassen", "vastgoed"],
        ministries: &["fin", "vro"],
    },
    Topic {
        title: "Stromannen als bestuurder in het Handelsregister",
        process: "Inschrijving van bestuurders van rechtspersonen in het Handelsregister van de KvK.",
        weakness: "De KvK toetst niet of een bestuurder feitelijk zeggenschap heeft; één persoon kan tientallen bv's besturen.",
        structural: "Stromanconstructies komen terug in fraude met vastgoed, zorg en subsidies in alle regio's.",
        modus: "Kwetsbare personen worden tegen betaling als bestuurder ingeschreven.",
        recommendations: "Voer een signaal in het Handelsregister in bij meer dan vijf bestuursfuncties en maak identiteitscontrole bij inschrijving verplicht.",
        phenomena: &["witwassen", "zorgfraude"],
        ministries: &["ez", "jenv"],
    },
    Topic {
        title: "Energiesubsidies aan malafide installateurs",
        process: "Subsidieregelingen voor isolatie en warmtepompen.",
        weakness: "Subsidie wordt uitbetaald op basis van facturen zonder controle of de installatie is geplaatst.",
        structural: "Dezelfde installateurs dienen in meerdere provincies aanvragen in voor niet-bestaande installaties.",
        modus: "Aanvragen op adressen van bewoners die van niets weten; facturen van schijnbedrijven.",
        recommendations: "Steekproefsgewijze controle ter plaatse vóór uitbetaling en een register van erkende installateurs.",
        phenomena: &["subsidiefraude"],
        ministries: &["kgg", "vro"],
    },
    Topic {
        title: "Drugsafval in het buitengebied",
        process: "Vergunningverlening en toezicht op agrarische bedrijfsgebouwen.",
        weakness: "Leegstaande agrarische schuren worden verhuurd zonder dat de gemeente het gebruik kent; toezicht is versnipperd.",
        structural: "Dumpingen van drugsafval doen zich voor in alle regio's met veel vrijkomende agrarische bebouwing.",
        modus: "Schuren worden voor korte tijd gehuurd voor productie van synthetische drugs.",
        recommendations: "Een meldplicht bij verhuur van agrarische bedrijfsgebouwen aan derden en een landelijke regeling voor opruimkosten.",
        phenomena: &["synthetische-drugs", "buitengebied"],
        ministries: &["lvvn", "jenv", "ienw"],
    },
    Topic {
        title: "Zorgbudgetten via malafide zorgaanbieders",
        process: "Contractering en declaratie in de Wmo en het persoonsgebonden budget.",
        weakness: "Nieuwe zorgaanbieders kunnen zonder kwaliteitstoets declareren; gemeenten delen geen signalen over aanbieders.",
        structural: "Zorgaanbieders verhuizen na een controle naar een andere gemeente en beginnen opnieuw.",
        modus: "Declaraties voor niet-geleverde zorg via onderaannemers.",
        recommendations: "Een landelijk register van zorgaanbieders met toetsing vooraf en uitwisseling van signalen tussen gemeenten.",
        phenomena: &["zorgfraude"],
        ministries: &["vws", "bzk"],
    },
    Topic {
        title: "Evenementen van OMG's via vergunningsvrije locaties",
        process: "Evenementenvergunning en de Algemene Plaatselijke Verordening.",
        weakness: "Besloten bijeenkomsten op clubhuizen vallen buiten de vergunningplicht, ook als ze openbaar worden aangekondigd.",
        structural: "Dezelfde constructie wordt door verschillende clubs in het hele land gebruikt.",
        modus: "Aankondiging als besloten feest, met entreeheffing via sociale media.",
        recommendations: "Een model-APV-bepaling voor publiek aangekondigde besloten bijeenkomsten.",
        phenomena: &["omg"],
        ministries: &["jenv", "bzk"],
    },
    Topic {
        title: "Uitzendbureaus als dekmantel voor arbeidsuitbuiting",
        process: "Registratie van uitzendbureaus en huisvesting van arbeidsmigranten.",
        weakness: "Registratie is eenvoudig te omzeilen met nieuwe rechtspersonen; huisvesting wordt niet gekoppeld aan het uitzendbureau.",
        structural: "De constructie komt in alle regio's met veel seizoensarbeid voor.",
        modus: "Hoge inhoudingen voor huisvesting en vervoer; paspoorten worden ingehouden.",
        recommendations: "Toelating van uitzendbureaus met toetsing vooraf en koppeling aan erkende huisvesting.",
        phenomena: &["mensenhandel"],
        ministries: &["szw", "aenm"],
    },
];

/// The step path that brings a signal to each state, in order.
const PATHS: &[&[&str]] = &[
    &[],
    &["indienen"],
    &["indienen", "beoordelen"],
    &["indienen", "beoordelen", "terugsturen"],
    &["indienen", "beoordelen", "aanvaarden"],
    &["indienen", "beoordelen", "niet-aanvaarden"],
    &["indienen", "beoordelen", "aanvaarden", "aanbieden"],
    &["indienen", "beoordelen", "aanvaarden", "aanbieden-te-laat"],
    &["indienen", "beoordelen", "aanvaarden", "aanbieden", "reactie-vastleggen"],
    &["indienen", "beoordelen", "aanvaarden", "aanbieden", "reactie-vastleggen", "opvolgen"],
    &["indienen", "beoordelen", "aanvaarden", "aanbieden", "reactie-vastleggen", "sluiten"],
    &["indienen", "samenvoegen"],
];

pub(crate) async fn act_as(app: &App, username: &str) -> Result<Ctx, AppError> {
    let anon = Ctx { principal: None, source: "demo".into(), trace: app.new_trace() };
    let login = app.login(&anon, username, crate::DEMO_PASSWORD).await?;
    let SessionLookup::Valid(info) = app.session(&login.session_token).await? else {
        return Err(AppError::Internal(format!("demo session for {username}")));
    };
    let ctx = Ctx { principal: Some(info.principal.clone()), ..anon };
    app.logout(&ctx, &login.session_token).await?;
    Ok(ctx)
}

fn date_days_ago(app: &App, days: i64) -> String {
    let ms = app.now() - days * 86_400_000;
    chrono_like_date(ms)
}

/// `YYYY-MM-DD` for milliseconds since the epoch (civil-from-days, proleptic Gregorian).
fn chrono_like_date(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02}")
}

/// Creates fictitious signals in every state (once). Returns how many were made.
pub async fn populate_signals(app: &App, count: usize) -> Result<usize, AppError> {
    let desk = act_as(app, "demo.loket").await?;
    if !app.list_signals(&desk, None).await?.is_empty() {
        return Ok(0);
    }
    let submitters = ["demo.oost.politie", "demo.amsterdam.gemeente", "demo.limburg.analist", "demo.oost.accountmanager", "demo.liec"];
    let mut ctxs = Vec::new();
    for s in submitters {
        ctxs.push(act_as(app, s).await?);
    }
    let mut made = 0;
    let mut first_submitted: Option<String> = None;
    for i in 0..count {
        let topic = &TOPICS[i % TOPICS.len()];
        let path = PATHS[i % PATHS.len()];
        let submitter = &ctxs[i % ctxs.len()];
        let variant = i / TOPICS.len();
        let title = if variant == 0 { topic.title.to_string() } else { format!("{} (signaal {})", topic.title, variant + 1) };
        let input = SignalInput {
            content: SignalContent {
                title,
                legal_process: topic.process.into(),
                weakness: topic.weakness.into(),
                structural: topic.structural.into(),
                modus_operandi: topic.modus.into(),
                source_reference: format!("Casus {}-{:03} (intern)", ["OB", "AA", "LB"][i % 3], 100 + i),
                recommendations: topic.recommendations.into(),
                feasibility: "De aanbeveling past binnen bestaande wetgeving en vraagt beperkte uitvoeringscapaciteit.".into(),
                confidentiality: if i % 4 == 0 { "vertrouwelijk".into() } else { "normaal".into() },
                contact: "Beleidsadviseur ondermijning, via het RIEC-bureau".into(),
            },
            phenomena: topic.phenomena.iter().map(|s| s.to_string()).collect(),
            ministries: topic.ministries.iter().map(|s| s.to_string()).collect(),
        };
        let id = app.create_signal(submitter, &input).await?;
        for step in path.iter() {
            let (ctx, mut si) = match *step {
                "indienen" => (submitter, StepInput { step: "indienen".into(), ..Default::default() }),
                "terugsturen" => {
                    (&desk, StepInput { step: (*step).into(), note: "Graag onderbouwen waarom dit structureel is: in hoeveel gemeenten speelt het?".into(), ..Default::default() })
                }
                "niet-aanvaarden" => {
                    (&desk, StepInput { step: (*step).into(), note: "Het betreft een lokaal handhavingsprobleem; geen landelijke kwetsbaarheid.".into(), ..Default::default() })
                }
                "aanbieden" | "aanbieden-te-laat" => {
                    let ago = if *step == "aanbieden" { 20 } else { 90 };
                    let text = app.signal_letter(&desk, id, &[]).await?;
                    (
                        &desk,
                        StepInput {
                            step: "aanbieden".into(),
                            ministries: topic.ministries.iter().take(1).map(|s| s.to_string()).collect(),
                            text,
                            date: date_days_ago(app, ago),
                            ..Default::default()
                        },
                    )
                }
                "reactie-vastleggen" => (
                    &desk,
                    StepInput {
                        step: (*step).into(),
                        text: "De minister neemt de aanbeveling over en betrekt die bij de herziening van de regeling.".into(),
                        date: date_days_ago(app, 3),
                        ..Default::default()
                    },
                ),
                "opvolgen" => (&desk, StepInput { step: (*step).into(), note: "Ambtelijk overleg met het ministerie gepland.".into(), ..Default::default() }),
                "samenvoegen" => match &first_submitted {
                    Some(r) => {
                        (&desk, StepInput { step: (*step).into(), merge_into: r.clone(), note: "Zelfde kwetsbaarheid als het eerdere signaal.".into(), ..Default::default() })
                    }
                    None => continue,
                },
                other => (&desk, StepInput { step: other.into(), ..Default::default() }),
            };
            si.confirm_personal_data = false;
            app.signal_step(ctx, id, &si).await?;
            if *step == "indienen" && first_submitted.is_none() {
                first_submitted = Some(app.signal(&desk, id).await?.signal.reference);
            }
            if *step == "beoordelen" && i % 2 == 0 {
                app.post_signal_message(&desk, id, "Kunt u aangeven in welke gemeenten u dit heeft gezien?").await?;
                app.post_signal_message(submitter, id, "In ten minste vier gemeenten in onze regio, en collega's elders herkennen het.").await?;
            }
        }
        made += 1;
    }
    Ok(made)
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates() {
        assert_eq!(super::chrono_like_date(0), "1970-01-01");
        assert_eq!(super::chrono_like_date(1_795_856_400_000), "2026-11-28");
        assert_eq!(super::chrono_like_date(951_782_400_000), "2000-02-29");
    }
}
