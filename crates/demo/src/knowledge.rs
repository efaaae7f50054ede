//! The demo's knowledge base: a few hundred fictitious items across the phenomena and content
//! types, written by the demo knowledge editor, published by the LIEC coordinator (four eyes)
//! over the past two years; the Landelijke Fenomeentafel Witwassen with its knowledge group and
//! a private member (a bank association) whose account has no role and reads the public and the
//! group's items.
//! Idempotent: nothing changes once any guide exists.

use crate::signals::act_as;
use knooppunt_app::knowledge::{KnowledgeInput, KnowledgeQuery};
use knooppunt_app::tables::{ActionInput, MeetingInput, MemberInput, TableInput};
use knooppunt_app::users::NewUserInput;
use knooppunt_app::{App, AppError, Ctx, ShiftedClock};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The private member's demo account (no role).
pub const PRIVATE_MEMBER: &str = "demo.bank";
/// The notaries' association's account: a private partner at no table yet (the e2e journey
/// seats it at a new one).
pub const NOTARY: &str = "demo.notaris";

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

/// The products of a phenomenon table (kind, title, summary, product type), for its group.
const TABLE_PRODUCTS: &[(&str, &str, &str, &str)] = &[
    ("tafelproduct", "Fenomeenbeeld {t}", "Het fenomeenbeeld van de fenomeentafel: hoe {t} werkt, wie eraan verdienen en waar de barrières liggen.", "fenomeenbeeld"),
    ("tafelproduct", "Aanpak {t}", "De gezamenlijke aanpak die de tafel voorstelt tegen {t}, met de rol van elke partner en {l}.", "aanpak"),
    ("tafelproduct", "Rapportage van de fenomeentafel over {t}", "Wat de tafel dit jaar deed tegen {t}: acties, knelpunten en signalen aan de ministeries.", "rapportage"),
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
            // What the table's group reads are the table's products.
            let (kind, title, summary, product_type) = match audience {
                "groep" => TABLE_PRODUCTS[n % TABLE_PRODUCTS.len()],
                _ => (kind, title, summary, ""),
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
                product_type: product_type.into(),
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

/// The Landelijke Fenomeentafel Witwassen (active, with its mandate, members — the bank
/// association as private member —, two meetings and an action list, one action become a
/// bestuurlijk signaal), and the association's account without a role; the code of the
/// table's knowledge group.
async fn table_group(app: &App, liec: &Ctx) -> Result<String, AppError> {
    let op = app.operator_ctx("demo");
    let orgs = app.list_organisations(&op, None, None, None).await?;
    let member = |name: &str| orgs.iter().find(|o| o.name == name).map(|o| o.id);
    let bank = member(crate::PRIVATE_PARTNERS[0].0).ok_or(AppError::NotFound("organisatie"))?;
    let id = app.open_table(liec, &TableInput { name: "Landelijke Fenomeentafel Witwassen".into(), phenomenon: "witwassen".into() }).await?;
    app.add_table_mandate(
        liec,
        id,
        "Breng in beeld hoe criminele geldstromen via de legale economie lopen en welke knelpunten in wet- en regelgeving de aanpak hinderen; lever een fenomeenbeeld en een aanpak op.",
        "Landelijk Strategisch Overleg",
        "2025-03-12",
    )
    .await?;
    let seats =
        [(member("Openbaar Ministerie"), "publiek", "voorzitter"), (member("FIOD"), "publiek", "lid"), (member("LIEC"), "publiek", "secretariaat"), (Some(bank), "privaat", "lid")];
    for (organisation_id, sector, part) in seats {
        if organisation_id.is_some() {
            app.add_table_member(liec, id, &MemberInput { organisation_id, sector: sector.into(), part: part.into(), from: "2025-04-01".into() }).await?;
        }
    }
    let view = app.table(liec, id).await?;
    app.set_table_status(liec, id, "actief", "2025-04-01", "", view.table.version).await?;
    let present: Vec<i64> = seats.iter().filter_map(|s| s.0).collect();
    for (held_on, agenda, decisions) in [
        ("2025-05-20", "Kennismaking; opdracht van het Landelijk Strategisch Overleg; werkwijze.", "De tafel komt elk kwartaal bijeen. Het LIEC voert het secretariaat."),
        (
            "2025-09-16",
            "Fenomeenbeeld cashintensieve ondernemingen; knelpunten bij het delen van signalen door banken.",
            "Een werkgroep schrijft het fenomeenbeeld. Het knelpunt over delen gaat als bestuurlijk signaal naar het loket.",
        ),
    ] {
        app.add_table_meeting(liec, id, &MeetingInput { held_on: held_on.into(), agenda: agenda.into(), decisions: decisions.into(), present: present.clone() }).await?;
    }
    let mut actions = Vec::new();
    for (kind, title, owner, due) in [
        ("informatiedeling", "Banken mogen ongebruikelijke patronen niet met gemeenten delen: knelpunt uitwerken", bank, "2026-03-01"),
        ("gelegenheidsstructuur", "Fenomeenbeeld cashintensieve ondernemingen opleveren", member("LIEC").unwrap_or(bank), "2026-06-30"),
        ("handelingsperspectief", "Handreiking voor gemeenten over Bibob bij cashintensieve branches", member("Openbaar Ministerie").unwrap_or(bank), "2026-12-15"),
    ] {
        actions.push(app.add_table_action(liec, id, &ActionInput { kind: kind.into(), title: title.into(), owner: Some(owner), due: due.into() }).await?);
    }
    if let Some(first) = actions.first() {
        app.set_table_action_status(liec, id, *first, "lopend").await?;
        app.table_action_to_signal(liec, id, *first).await?;
    }
    let code = app.table(liec, id).await?.table.group_code;
    let notaries = member(crate::PRIVATE_PARTNERS[1].0).ok_or(AppError::NotFound("organisatie"))?;
    for (username, name, organisation) in [(PRIVATE_MEMBER, "Bas de Bankier", bank), (NOTARY, "Nina Notaris", notaries)] {
        if app.user_id_by_username(&op, username).await.is_err() {
            let user = NewUserInput {
                username: username.into(),
                display_name: name.into(),
                email: format!("{username}@demo.knooppunt.example"),
                organisation_id: Some(organisation),
                password: crate::DEMO_PASSWORD.into(),
                roles: Vec::new(),
                demo: true,
                temporary_password: false,
            };
            app.create_user(&op, &user).await?;
        }
    }
    Ok(code)
}
