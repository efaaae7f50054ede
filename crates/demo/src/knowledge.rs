//! The demo's knowledge base: a few hundred fictitious items across the phenomena and content
//! types, written by the demo knowledge editor, published by the LIEC coordinator (four eyes)
//! over the past two years; a knowledge group "Fenomeentafel Witwassen" with a private partner
//! (a bank association) whose account has no role and reads the public and the group's items.
//! Idempotent: nothing changes once any guide exists.

use crate::signals::act_as;
use knooppunt_app::knowledge::{GroupInput, KnowledgeInput, KnowledgeQuery};
use knooppunt_app::users::NewUserInput;
use knooppunt_app::{App, AppError, Ctx, ShiftedClock};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The private member's demo account (no role).
pub const PRIVATE_MEMBER: &str = "demo.bank";

/// Phenomenon code, its words for titles, and the law or instrument that comes with it.
const THEMES: &[(&str, &str, &str)] = &[
    ("hennepteelt", "hennepkwekerijen", "art. 13b Opiumwet"),
    ("synthetische-drugs", "drugslabs en dumpingen", "art. 13b Opiumwet"),
    ("drugshandel", "drugshandel via de haven", "de Opiumwet"),
    ("witwassen", "witwassen via contant geld", "de Wwft"),
    ("vastgoed", "criminele investeringen in vastgoed", "de Wet Bibob"),
    ("zorgfraude", "fraude met zorggeld", "de Wmo en het pgb"),
    ("mensenhandel", "seksuele uitbuiting", "art. 273f Sr"),
    ("arbeidsuitbuiting", "uitbuiting van arbeidsmigranten", "de Wet arbeid vreemdelingen"),
    ("omg", "outlaw motorcycle gangs", "art. 2:20 BW"),
    ("buitengebied", "vrijkomende agrarische bebouwing", "art. 174a Gemeentewet"),
];

/// Content type, title pattern ({t}: the theme words, {l}: the law), summary pattern.
const KINDS: &[(&str, &str, &str)] = &[
    ("handreiking", "Handreiking: aanpak van {t}", "Stappen, bevoegdheden en valkuilen bij de bestuurlijke aanpak van {t}, met {l} als kern."),
    ("goede-praktijk", "Goede praktijk: integrale controle bij {t}", "Hoe gemeente, politie en inspecties samen optraden tegen {t}, en wat het opleverde."),
    ("factsheet", "Factsheet {t}", "Kerncijfers, signalen en de belangrijkste instrumenten rond {t} op één pagina."),
    ("rapport", "Rapport: ondermijningsbeeld {t}", "Een analyse van de werkwijze achter {t} en de kwetsbaarheden die criminelen benutten."),
    ("vraag-en-antwoord", "Vraag en antwoord: mag de gemeente optreden bij {t}?", "Veelgestelde vragen over bevoegdheden en informatiedeling bij {t}, onder {l}."),
    ("nieuws", "Nieuws: nieuwe aanpak {t} gepresenteerd", "Het netwerk presenteerde een gezamenlijke aanpak van {t}."),
    ("bijeenkomst", "Kennissessie {t}", "Een middag over de aanpak van {t} voor gemeenten en partners, met praktijkvoorbeelden."),
    ("jurisprudentie", "Uitspraak over {l} bij {t}", "De rechter toetste de evenredigheid van het besluit; de uitspraak is richtinggevend voor {t}."),
];

/// Regions (code, name) the regional items come from.
const REGIONS: &[(&str, &str)] = &[
    ("oost-brabant", "Oost-Brabant"),
    ("limburg", "Limburg"),
    ("zeeland-west-brabant", "Zeeland-West-Brabant"),
    ("noord-nederland", "Noord-Nederland"),
    ("rotterdam", "Rotterdam"),
    ("amsterdam-amstelland", "Amsterdam-Amstelland"),
    ("oost-nederland", "Oost-Nederland"),
    ("midden-nederland", "Midden-Nederland"),
    ("den-haag", "Den Haag"),
    ("noord-holland", "Noord-Holland"),
];

const SIGNALS: &[&str] = &[
    "Let op contante betalingen, wisselende huurders en afgeplakte ramen.",
    "Signalen komen vaak van woningcorporaties, netbeheerders en wijkagenten.",
    "Een Bibob-onderzoek geeft zicht op de herkomst van het geld en de zeggenschap.",
    "Deel informatie binnen het RIEC-convenant en leg de grondslag per bijdrage vast.",
    "Een bestuurlijke rapportage van de politie is de basis voor een sluiting.",
    "Evenredigheid weegt zwaar bij woningen; kijk naar kinderen in het huishouden.",
];

/// Fills the knowledge base (once); how many items it published.
pub async fn populate_knowledge(app: &App, clock: &ShiftedClock, per_theme: usize, seed: u64) -> Result<usize, AppError> {
    let editor = act_as(app, "demo.kennis").await?;
    if app.knowledge_list(&editor, &KnowledgeQuery { kind: Some("handreiking".into()), page: 1, ..Default::default() }).await?.total > 0 {
        return Ok(0);
    }
    let liec = act_as(app, "demo.liec").await?;
    let group = table_group(app, &liec).await?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x6b65_6e6e_6973);
    let partner_types = ["gemeente", "politie", "belastingdienst", "openbaar-ministerie", "arbeidsinspectie", "provincie"];
    let mut published = 0;
    for (ti, (phenomenon, words, law)) in THEMES.iter().enumerate() {
        for n in 0..per_theme {
            let (kind, title, summary) = KINDS[(ti + n) % KINDS.len()];
            let fill = |s: &str| s.replace("{t}", words).replace("{l}", law);
            let mut body: Vec<&str> = SIGNALS.choose_multiple(&mut rng, 3).copied().collect();
            body.shuffle(&mut rng);
            let audience = match rng.gen_range(0..10) {
                0 | 1 => "openbaar",
                2 if *phenomenon == "witwassen" => "groep",
                _ => "netwerk",
            };
            // The first round national; later rounds from a region, with the region named.
            let region = (n >= KINDS.len()).then(|| REGIONS[(ti * 7 + n) % REGIONS.len()]);
            let title = match region {
                Some((_, name)) => format!("{} in {name}", fill(title)),
                None => fill(title),
            };
            let ecli = if kind == "jurisprudentie" { format!("ECLI:NL:RVS:{}:{}", 2019 + (n % 6), 1000 + ti * 100 + n) } else { String::new() };
            let mut chosen: Vec<String> = partner_types.choose_multiple(&mut rng, 2).map(|s| s.to_string()).collect();
            chosen.sort();
            let input = KnowledgeInput {
                kind: kind.into(),
                title,
                summary: fill(summary),
                body: body.join("\n\n"),
                ecli,
                audience: audience.into(),
                group: if audience == "groep" { group.clone() } else { String::new() },
                region: region.map(|r| r.0.to_string()).unwrap_or_default(),
                phenomena: vec![phenomenon.to_string()],
                partner_types: chosen,
                ..Default::default()
            };
            // Written over the past two years, newest last.
            let days_ago = rng.gen_range(1..730);
            clock.set_back(days_ago * 86_400_000 + rng.gen_range(0..36_000_000));
            let id = app.create_knowledge_item(&editor, &input).await?;
            // Guides and reports come with their document as a PDF, its text searchable.
            if matches!(kind, "handreiking" | "rapport") {
                let doc = knooppunt_pdf::Document {
                    title: input.title.clone(),
                    language: "nl".into(),
                    blocks: std::iter::once(knooppunt_pdf::Block::Heading(input.title.clone()))
                        .chain(input.body.split("\n\n").map(|p| knooppunt_pdf::Block::Paragraph(p.to_string())))
                        .collect(),
                    footer: "Kennisplatform Ondermijning (demo)".into(),
                };
                let pdf = knooppunt_pdf::render(&doc).map_err(|e| AppError::Internal(e.to_string()))?;
                app.add_knowledge_attachment(&editor, id, &format!("{}.pdf", knooppunt_domain::text::slug(&input.title)), &pdf).await?;
            }
            app.knowledge_step(&editor, id, "indienen", 1, "").await?;
            // A few stay in the editors' hands: one under review, one concept, per theme.
            match n {
                0 => {}
                1 => {
                    app.knowledge_step(&liec, id, "terugsturen", 1, "Graag nog een voorbeeld uit de praktijk toevoegen.").await?;
                }
                _ => {
                    app.knowledge_step(&liec, id, "publiceren", 1, "").await?;
                    published += 1;
                }
            }
        }
    }
    clock.set_back(0);
    Ok(published)
}

/// The group of the money-laundering table with the bank association as member, and the
/// association's account without a role; the group's code.
async fn table_group(app: &App, liec: &Ctx) -> Result<String, AppError> {
    let op = app.operator_ctx("demo");
    let orgs = app.list_organisations(&op, None, None, None).await?;
    let member = |name: &str| orgs.iter().find(|o| o.name == name).map(|o| o.id);
    let bank = member(crate::PRIVATE_PARTNER.0).ok_or(AppError::NotFound("organisatie"))?;
    let members: Vec<i64> = [Some(bank), member("LIEC"), member("Openbaar Ministerie"), member("FIOD")].into_iter().flatten().collect();
    let input = GroupInput {
        name: "Fenomeentafel Witwassen".into(),
        description: "De leden van de landelijke fenomeentafel witwassen, met de banken en het notariaat.".into(),
        organisations: members,
    };
    let code = app.create_knowledge_group(liec, &input).await?;
    if app.user_id_by_username(&op, PRIVATE_MEMBER).await.is_err() {
        let user = NewUserInput {
            username: PRIVATE_MEMBER.into(),
            display_name: "Bas de Bankier".into(),
            email: format!("{PRIVATE_MEMBER}@demo.knooppunt.example"),
            organisation_id: Some(bank),
            password: crate::DEMO_PASSWORD.into(),
            roles: Vec::new(),
            demo: true,
            temporary_password: false,
        };
        app.create_user(&op, &user).await?;
    }
    Ok(code)
}
