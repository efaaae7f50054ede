//! Fictitious case files across all regions and phases, made through the real use cases (so
//! every row has its audit line): signals of municipalities and the police, weighing, admitted
//! partners, subjects with valid identifiers and relations, items from several partners with
//! releases, information requests, advice, interventions with outcomes, meetings. Some subjects
//! are planted in cases of several regions, with spelling variation, for cross-region detection.

use crate::synthetic;
use knooppunt_app::cases::{CaseQuery, InterventionUpdate, ItemInput, MeetingInput, RelationInput, SignalRegistration, SubjectAdded};
use knooppunt_app::views::{MunicipalityRow, OrganisationRow, RegionRow};
use knooppunt_app::{App, AppError, Ctx};
use knooppunt_domain::case::SubjectInput;
use knooppunt_domain::Role;
use knooppunt_policy::{Actor, Principal, RoleGrant};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const TOPICS: &[(&str, &str, &str)] = &[
    ("Nagelstudio met veel contante omzet", "Een nagelstudio heeft nauwelijks klanten maar stort wekelijks grote bedragen contant.", "witwassen"),
    ("Loods in het buitengebied met hoog stroomverbruik", "Netbeheerder meldt een verdubbeld stroomverbruik in een agrarische loods zonder bedrijfsactiviteit.", "hennepteelt"),
    ("Snelle doorverkoop van woningen via dezelfde bv", "Drie woningen zijn binnen een jaar twee keer verkocht, steeds met een hogere hypotheek.", "vastgoed"),
    ("Uitzendbureau met arbeidsmigranten in overbewoonde panden", "Twaalf arbeidsmigranten staan ingeschreven op één adres; het uitzendbureau betaalt contant.", "mensenhandel"),
    ("Clubhuis van een motorclub in een bedrijfspand", "Een motorclub gebruikt een bedrijfspand als clubhuis; de huurder is een stichting zonder activiteiten.", "omg"),
    ("Zorgbureau zonder zichtbare zorgverlening", "Een zorgbureau declareert veel uren pgb-zorg, maar cliënten kennen de zorgverleners niet.", "zorgfraude"),
    ("Drugsafval gedumpt bij een boerderij", "Vaten met chemisch afval aangetroffen bij een boerderij; de eigenaar verhuurt schuren aan derden.", "synthetische-drugs"),
    ("Shisha lounge met wisselende eigenaren", "Een shisha lounge wisselt elk jaar van eigenaar, steeds via dezelfde boekhouder.", "witwassen"),
    ("Autobedrijf met luxe auto's op naam van stromannen", "Een autobedrijf verkoopt dure auto's contant; de auto's staan op naam van jonge mensen zonder inkomen.", "witwassen"),
    ("Subsidie voor verduurzaming zonder uitvoering", "Een bouwbedrijf ontving subsidie voor isolatie van panden die niet zijn aangepakt.", "subsidiefraude"),
];

const PARTNERS: &[&str] = &["Nationale Politie", "Belastingdienst", "Openbaar Ministerie", "Nederlandse Arbeidsinspectie", "Douane", "UWV", "FIOD", "Belastingdienst/Toeslagen"];

/// Subjects planted in cases of several regions, spelled differently: (region, case title, subject).
fn planted() -> Vec<(&'static str, &'static str, SubjectInput)> {
    let company = |name: &str, form: &str, kvk: &str, postcode: &str, number: &str| SubjectInput {
        kind: "rechtspersoon".into(),
        company_name: name.into(),
        legal_form: form.into(),
        kvk: kvk.into(),
        postcode: postcode.into(),
        house_number: number.into(),
        ..SubjectInput::default()
    };
    let person = |first: &str, prefix: &str, last: &str, born: &str| SubjectInput {
        kind: "persoon".into(),
        first_names: first.into(),
        prefix: prefix.into(),
        surname: last.into(),
        birth_date: born.into(),
        ..SubjectInput::default()
    };
    vec![
        ("rotterdam", "Vastgoedtransacties via een holding in Rotterdam-Zuid", company("Van der Berg Vastgoed Holding", "B.V.", "54128893", "3072 AP", "118")),
        ("noord-nederland", "Opkoop van panden in de Groningse binnenstad", company("V.d. Berg Vastgoed Holding", "BV", "", "3072AP", "118")),
        ("amsterdam-amstelland", "Belwinkels met ondergrondse bankieractiviteiten", person("Mohammed", "", "Özdemir", "1979-04-12")),
        ("limburg", "Geldtransporten over de Belgische grens", person("Mohamed", "", "Ozdemir", "1979-12-04")),
        ("oost-brabant", "Hennepkwekerij in een recreatiewoning", person("Jan Willem", "van den", "Heuvel", "1968-07-21")),
        ("zeeland-west-brabant", "Drugsafval in het buitengebied", person("J.W.", "van den", "Heuvel", "1968-07-21")),
        ("den-haag", "Autobedrijf met auto's op naam van stromannen", SubjectInput { kind: "voertuig".into(), licence_plate: "XK-315-B".into(), ..SubjectInput::default() }),
        ("midden-nederland", "Transportbedrijf met wisselende chauffeurs", SubjectInput { kind: "voertuig".into(), licence_plate: "XK-315-B".into(), ..SubjectInput::default() }),
    ]
}

fn principal(label: String, organisation_id: i64, role: Role, region_id: Option<i64>) -> Principal {
    Principal { actor: Actor::Operator, label, organisation_id: Some(organisation_id), roles: vec![RoleGrant { role, region_id }] }
}

struct Network {
    regions: Vec<RegionRow>,
    municipalities: Vec<MunicipalityRow>,
    organisations: Vec<OrganisationRow>,
}

impl Network {
    fn org(&self, name: &str) -> Result<i64, AppError> {
        self.organisations.iter().find(|o| o.name == name).map(|o| o.id).ok_or_else(|| AppError::Internal(format!("demo: no organisation {name}")))
    }
}

struct Actors<'a> {
    app: &'a App,
    net: &'a Network,
    region: &'a RegionRow,
}

impl Actors<'_> {
    fn ctx(&self, p: Principal) -> Ctx {
        Ctx { principal: Some(p), source: "demo".into(), trace: self.app.new_trace() }
    }
    fn team(&self, role: Role) -> Result<Ctx, AppError> {
        let bureau = format!("RIEC-bureau {}", self.region.name.trim_start_matches("RIEC "));
        Ok(self.ctx(principal(format!("demo ({} {})", role.label(), self.region.name), self.net.org(&bureau)?, role, Some(self.region.id))))
    }
    fn partner(&self, org: &str) -> Result<Ctx, AppError> {
        Ok(self.ctx(principal(format!("demo ({org}, {})", self.region.name), self.net.org(org)?, Role::PartnerEmployee, Some(self.region.id))))
    }
}

fn item(rng: &mut ChaCha8Rng, title: &str, basis: &str, purpose: &str) -> ItemInput {
    let bodies = [
        "Uit eigen registratie blijkt een patroon van contante betalingen en wisselende bestuurders.",
        "Bij een controle zijn meerdere personen aangetroffen die er niet staan ingeschreven.",
        "De onderneming heeft de afgelopen drie jaar geen loonaangifte gedaan, wel hoge omzet.",
        "Op het adres zijn meerdere voertuigen geregistreerd op naam van verschillende personen.",
    ];
    ItemInput {
        title: title.into(),
        body: bodies.choose(rng).copied().unwrap_or(bodies[0]).into(),
        legal_basis: basis.into(),
        purpose: purpose.into(),
        info_date: format!("2026-{:02}-{:02}", rng.gen_range(1..11), rng.gen_range(1..28)),
        reliability: ["bevestigd", "betrouwbaar", "onbevestigd"].choose(rng).copied().unwrap_or("betrouwbaar").into(),
        classification: ["intern", "vertrouwelijk"].choose(rng).copied().unwrap_or("vertrouwelijk").into(),
        sharing_conditions: if rng.gen_bool(0.3) { "Niet gebruiken als bewijs zonder overleg met de leverancier.".into() } else { String::new() },
    }
}

fn basis_of(org: &str) -> &'static str {
    match org {
        "Nationale Politie" => "wpg-20",
        "Openbaar Ministerie" => "wjsg-39f",
        "Belastingdienst" | "Belastingdienst/Toeslagen" | "FIOD" => "awr-43c",
        _ => "wgs",
    }
}

/// Which phase the n-th case reaches.
fn target_phase(rng: &mut ChaCha8Rng) -> &'static str {
    match rng.gen_range(0..100) {
        0..=9 => "signaal",
        10..=17 => "weging",
        18..=22 => "afgewezen",
        23..=37 => "pre-casus",
        38..=82 => "casus",
        _ => "afgesloten",
    }
}

/// Creates `count` cases spread over the RIEC regions, plus the planted cross-region cases.
/// Idempotent: nothing happens when cases exist. Returns the number of cases created.
pub async fn populate_cases(app: &App, count: usize, seed: u64) -> Result<usize, AppError> {
    let op = app.operator_ctx("demo");
    let net = Network {
        regions: app.list_regions(&op).await?.into_iter().filter(|r| r.kind == "riec" && r.merged_into_id.is_none()).collect(),
        municipalities: app.list_municipalities(&op, None, None).await?,
        organisations: app.list_organisations(&op, None, None, None).await?,
    };
    // Existing cases? A principal on every region's team sees them all.
    let everyone = Principal {
        actor: Actor::Operator,
        label: "demo".into(),
        organisation_id: None,
        roles: net.regions.iter().map(|r| RoleGrant { role: Role::RiecManager, region_id: Some(r.id) }).collect(),
    };
    let probe = Ctx { principal: Some(everyone), source: "demo".into(), trace: app.new_trace() };
    if app.list_cases(&probe, &CaseQuery::default()).await?.total > 0 {
        return Ok(0);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut made = 0;
    for n in 0..count {
        let region = &net.regions[n % net.regions.len()];
        let topic = TOPICS[rng.gen_range(0..TOPICS.len())];
        let phase = target_phase(&mut rng);
        build_case(app, &net, region, &mut rng, (topic.0, topic.1, topic.2), phase, None).await?;
        made += 1;
    }
    for (region_code, title, subject) in planted() {
        let Some(region) = net.regions.iter().find(|r| r.code == region_code) else { continue };
        build_case(app, &net, region, &mut rng, (title, "Signaal uit een lopend onderzoek; details in de informatiebijdragen.", "witwassen"), "casus", Some(subject)).await?;
        made += 1;
    }
    if let Some(region) = net.regions.iter().find(|r| r.code == "oost-brabant") {
        build_network_case(app, &net, region, &mut rng).await?;
        made += 1;
    }
    Ok(made)
}

/// One case with a network as analysts meet it: fifty subjects (people, their companies and
/// holdings, addresses, vehicles, accounts) and about seventy relations over ten years, some
/// ended. The network picture is made for cases like this.
async fn build_network_case(app: &App, net: &Network, region: &RegionRow, rng: &mut ChaCha8Rng) -> Result<(), AppError> {
    let who = Actors { app, net, region };
    let Some(m) = net.municipalities.iter().find(|m| m.region_id == region.id) else { return Ok(()) };
    let source = who.partner("Nationale Politie")?;
    let id = app
        .register_case_signal(
            &source,
            &SignalRegistration {
                title: "Vastgoednetwerk rond een familieholding".into(),
                description: "Panden wisselen vaak van eigenaar binnen een kring van bv's; huurders zijn nagelstudio's, belwinkels en shishalounges zonder zichtbare omzet.".into(),
                municipality: m.cbs_code.clone(),
                phenomena: vec!["witwassen".into()],
                region: String::new(),
                region_reason: String::new(),
            },
        )
        .await?;
    let analyst = who.team(Role::RiecAnalyst)?;
    let d = app.case(&analyst, id).await?;
    app.case_step(&analyst, id, "wegen", "", d.case.version).await?;
    let d = app.case(&analyst, id).await?;
    app.case_step(&analyst, id, "casus-openen", "Past in het convenant: witwassen via vastgoed.", d.case.version).await?;
    let city = m.name.clone();
    let mut ids: Vec<(i64, &'static str)> = Vec::new();
    let plan: [(&'static str, usize); 5] = [("persoon", 15), ("rechtspersoon", 15), ("adres", 10), ("voertuig", 5), ("rekening", 5)];
    for (kind, count) in plan {
        for _ in 0..count {
            let input = match kind {
                "persoon" => synthetic::person(rng),
                "rechtspersoon" => synthetic::company(rng, &city),
                "adres" => synthetic::address(rng, &city, &m.cbs_code),
                "voertuig" => synthetic::vehicle(rng),
                _ => synthetic::account(rng),
            };
            if let SubjectAdded::Added(sid) = app.add_subject(&analyst, id, &input, true).await? {
                ids.push((sid, kind));
            }
        }
    }
    let of = |kind: &str| ids.iter().filter(|(_, k)| *k == kind).map(|(i, _)| *i).collect::<Vec<i64>>();
    let (people, companies, addresses, vehicles, accounts) = (of("persoon"), of("rechtspersoon"), of("adres"), of("voertuig"), of("rekening"));
    let mut relations: Vec<(i64, i64, &str)> = Vec::new();
    for (n, c) in companies.iter().enumerate() {
        // One or two directors, a registered address, sometimes an account, and a holding above.
        if let Some(p) = people.get(n % people.len().max(1)) {
            relations.push((*p, *c, "bestuurder-van"));
        }
        if n % 3 == 0 {
            if let Some(p) = people.get((n + 5) % people.len().max(1)) {
                relations.push((*p, *c, "bestuurder-van"));
            }
        }
        if let Some(a) = addresses.get(n % addresses.len().max(1)) {
            relations.push((*c, *a, "ingeschreven-op"));
        }
        if let Some(acc) = accounts.get(n / 3) {
            relations.push((*c, *acc, "eigenaar-van"));
        }
        if n > 0 && n % 4 != 0 {
            relations.push((companies[(n - 1) / 4 * 4], *c, "eigenaar-van"));
        }
    }
    for (n, p) in people.iter().enumerate() {
        if let Some(a) = addresses.get(n % addresses.len().max(1)) {
            relations.push((*p, *a, "woont-op"));
        }
        if let Some(v) = vehicles.get(n / 3) {
            relations.push((*p, *v, "gebruikt"));
        }
    }
    for (n, (from, to, kind)) in relations.into_iter().enumerate() {
        let start = rng.gen_range(2015..2025);
        let ended = n % 7 == 3;
        let input = RelationInput {
            from,
            to,
            kind: kind.to_string(),
            valid_from: format!("{start}-{:02}-01", rng.gen_range(1..13)),
            valid_to: if ended { format!("{}-12-31", (start + rng.gen_range(1..4)).min(2025)) } else { String::new() },
        };
        app.add_relation(&analyst, id, &input).await?;
    }
    // Work that waits, so "Mijn werk" has something for the manager and the partners: a draft
    // advice, a request the tax office has not answered, an intervention it carries out.
    let tax = net.org("Belastingdienst")?;
    let police = net.org("Nationale Politie")?;
    app.admit_participant(&analyst, id, tax, "Fiscale informatie en interventiemogelijkheden (need-to-know).").await?;
    app.create_request(&analyst, id, "Welke fiscale registraties zijn er over de bv's in dit netwerk?", "2027-02-15", &[tax, police]).await?;
    app.draft_advice(
        &analyst,
        id,
        "Panden rouleren binnen de holding; huurders zonder omzet.",
        "Belastingdienst: boekenonderzoek. Gemeente: Bibob-toets bij de exploitatievergunningen.",
    )
    .await?;
    app.propose_intervention(&analyst, id, "fiscaal", tax, "AWR art. 47", "").await?;
    Ok(())
}

async fn build_case(
    app: &App,
    net: &Network,
    region: &RegionRow,
    rng: &mut ChaCha8Rng,
    topic: (&str, &str, &str),
    phase: &str,
    planted: Option<SubjectInput>,
) -> Result<(), AppError> {
    let who = Actors { app, net, region };
    let munis: Vec<&MunicipalityRow> = net.municipalities.iter().filter(|m| m.region_id == region.id).collect();
    let Some(m) = munis.choose(rng).copied() else { return Ok(()) };
    let source = if rng.gen_bool(0.7) {
        who.ctx(principal(format!("demo (Gemeente {})", m.name), net.org(&format!("Gemeente {}", m.name))?, Role::PartnerEmployee, Some(region.id)))
    } else {
        who.partner("Nationale Politie")?
    };
    let id = app
        .register_case_signal(
            &source,
            &SignalRegistration {
                title: topic.0.into(),
                description: topic.1.into(),
                municipality: m.cbs_code.clone(),
                phenomena: vec![topic.2.into()],
                region: String::new(),
                region_reason: String::new(),
            },
        )
        .await?;
    if phase == "signaal" {
        return Ok(());
    }
    let analyst = who.team(Role::RiecAnalyst)?;
    let version = |d: &knooppunt_app::views::CaseDetail| d.case.version;
    let d = app.case(&analyst, id).await?;
    app.case_step(&analyst, id, "wegen", "", version(&d)).await?;
    if phase == "weging" {
        return Ok(());
    }
    let d = app.case(&analyst, id).await?;
    if phase == "afgewezen" {
        app.case_step(&analyst, id, "afwijzen", "Valt buiten de regionale prioriteiten; teruggelegd bij de gemeente.", version(&d)).await?;
        return Ok(());
    }
    let step = if phase == "pre-casus" { "pre-casus-openen" } else { "casus-openen" };
    app.case_step(&analyst, id, step, "Past in het convenant en vraagt om een integrale aanpak.", version(&d)).await?;
    // Partners: always the police and the tax office, sometimes more.
    let mut partners: Vec<&str> = vec!["Nationale Politie", "Belastingdienst"];
    for p in PARTNERS.iter().skip(2) {
        if rng.gen_bool(0.2) {
            partners.push(p);
        }
    }
    let already = app.case(&analyst, id).await?.participants.iter().map(|p| p.organisation_id).collect::<Vec<_>>();
    for p in &partners {
        let org = net.org(p)?;
        if !already.contains(&org) {
            app.admit_participant(&analyst, id, org, "Eigen informatie en interventiemogelijkheden (need-to-know).").await?;
        }
    }
    // Subjects with relations.
    let mut subjects = Vec::new();
    let city = m.name.clone();
    let mut inputs = vec![synthetic::person(rng), synthetic::company(rng, &city), synthetic::address(rng, &city, &m.cbs_code)];
    if rng.gen_bool(0.5) {
        inputs.push(synthetic::vehicle(rng));
    }
    if rng.gen_bool(0.5) {
        inputs.push(synthetic::account(rng));
    }
    if rng.gen_bool(0.4) {
        inputs.push(synthetic::person(rng));
    }
    if let Some(p) = planted {
        inputs.push(p);
    }
    for s in &inputs {
        if let SubjectAdded::Added(sid) = app.add_subject(&analyst, id, s, true).await? {
            subjects.push((sid, s.kind.clone()));
        }
    }
    let find = |kind: &str| subjects.iter().find(|(_, k)| k == kind).map(|(i, _)| *i);
    let rel = |from: Option<i64>, to: Option<i64>, kind: &str| (from, to, kind.to_string());
    for (from, to, kind) in [
        rel(find("persoon"), find("rechtspersoon"), "bestuurder-van"),
        rel(find("rechtspersoon"), find("adres"), "ingeschreven-op"),
        rel(find("persoon"), find("voertuig"), "gebruikt"),
        rel(find("rechtspersoon"), find("rekening"), "eigenaar-van"),
    ] {
        if let (Some(from), Some(to)) = (from, to) {
            app.add_relation(&analyst, id, &RelationInput { from, to, kind, valid_from: format!("20{:02}-01-01", rng.gen_range(15..25)), valid_to: String::new() }).await?;
        }
    }
    // Items from the partners; some released to others.
    let mut items = Vec::new();
    for p in partners.iter().take(3) {
        let ctx = who.partner(p)?;
        let iid = app.add_item(&ctx, id, &item(rng, &format!("Informatie van {p}"), basis_of(p), "integrale-aanpak")).await?;
        items.push((ctx, iid, *p));
    }
    for (ctx, iid, p) in &items {
        if rng.gen_bool(0.5) {
            if let Some(other) = partners.iter().find(|x| *x != p) {
                app.set_release(ctx, id, *iid, net.org(other)?, true).await?;
            }
        }
    }
    // An information request.
    let tax = net.org("Belastingdienst")?;
    let police = net.org("Nationale Politie")?;
    app.create_request(&analyst, id, "Welke registraties heeft uw organisatie over de betrokkenen?", &format!("2027-{:02}-15", rng.gen_range(1..4)), &[tax, police]).await?;
    let requests = app.case(&analyst, id).await?.requests;
    if let Some(r) = requests.first() {
        let tax_ctx = who.partner("Belastingdienst")?;
        app.answer_request(&tax_ctx, id, r.id, Some(&item(rng, "Antwoord op de uitvraag: fiscale gegevens", "awr-43c", "fiscale-interventie")), "").await?;
        if rng.gen_bool(0.3) {
            app.answer_request(&who.partner("Nationale Politie")?, id, r.id, None, "Lopend strafrechtelijk onderzoek; informatie volgt later.").await?;
        }
    }
    if phase == "pre-casus" {
        return Ok(());
    }
    // Advice, approved by the manager; interventions with outcomes; a meeting.
    app.draft_advice(
        &analyst,
        id,
        "De informatie wijst op witwassen via de onderneming.",
        "Belastingdienst: boekenonderzoek. Gemeente: Bibob-toets. Politie: bestuurlijke rapportage voor 13b.",
    )
    .await?;
    app.approve_advice(&who.team(Role::RiecManager)?, id, 1).await?;
    let mut done = Vec::new();
    for (type_code, org, power) in [("fiscaal", "Belastingdienst", "AWR art. 47"), ("13b-opiumwet", "Nationale Politie", "art. 13b Opiumwet (rapportage)")] {
        let vid_case = app.propose_intervention(&analyst, id, type_code, net.org(org)?, power, "").await?;
        let _ = vid_case;
        let v = app.case(&analyst, id).await?.interventions.into_iter().last();
        if let Some(v) = v {
            let ctx = who.partner(org)?;
            let progress = rng.gen_range(0..4);
            if progress >= 1 {
                app.update_intervention(&ctx, id, v.id, &InterventionUpdate { status: "toegezegd".into(), ..InterventionUpdate::default() }, v.version).await?;
            }
            if progress >= 2 {
                let (status, stop) = if rng.gen_bool(0.85) { ("afgerond", String::new()) } else { ("gestopt", "Onvoldoende grond na nader onderzoek.".to_string()) };
                let amount = if type_code == "fiscaal" && status == "afgerond" { format!("{}", rng.gen_range(5..400) * 1000) } else { String::new() };
                app.update_intervention(
                    &ctx,
                    id,
                    v.id,
                    &InterventionUpdate {
                        status: status.into(),
                        decision: if status == "afgerond" { "Besluit genomen".into() } else { String::new() },
                        collected: amount,
                        completed_date: "2026-10-01".into(),
                        stop_reason: stop,
                        ..InterventionUpdate::default()
                    },
                    v.version + 1,
                )
                .await?;
            }
            done.push(v.id);
        }
    }
    app.record_meeting(
        &analyst,
        id,
        &MeetingInput {
            held_on: "2026-09-15".into(),
            attendees: "RIEC, gemeente, politie, Belastingdienst".into(),
            agenda: "Interventiestrategie".into(),
            decisions: "Fiscale en bestuurlijke aanpak gelijktijdig.".into(),
            interventions: done,
        },
    )
    .await?;
    if phase == "afgesloten" {
        let d = app.case(&analyst, id).await?;
        app.case_step(&analyst, id, "afsluiten", "Interventies uitgevoerd; lessen gedeeld met de gemeente.", d.case.version).await?;
    }
    Ok(())
}
