//! Fictitious case files across all regions and phases, made through the real use cases (so
//! every row has its audit line): signals of municipalities and the police, weighing, admitted
//! partners, subjects with valid identifiers and relations, items from several partners with
//! releases, information requests, advice, interventions with outcomes, meetings. Some subjects
//! are planted in cases of several regions, with spelling variation, for cross-region detection.
//! Each case is written at the moments it happened, over two years, during office hours
//! ([`Timeline`] sets the app's clock back), so lists, deadlines and histories read as in use.

use crate::synthetic;
use knooppunt_app::cases::{CaseQuery, InterventionUpdate, ItemInput, MeetingInput, RelationInput, SignalRegistration, SubjectAdded};
use knooppunt_app::views::{MunicipalityRow, OrganisationRow, RegionRow};
use knooppunt_app::{App, AppError, Clock, Ctx, ShiftedClock};
use knooppunt_domain::case::SubjectInput;
use knooppunt_domain::Role;
use knooppunt_policy::{Actor, Principal, RoleGrant};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Title, description, phenomenon and setting (empty: none in particular).
const TOPICS: &[(&str, &str, &str, &str)] = &[
    ("Nagelstudio met veel contante omzet", "Een nagelstudio heeft nauwelijks klanten maar stort wekelijks grote bedragen contant.", "witwassen", ""),
    (
        "Loods in het buitengebied met hoog stroomverbruik",
        "Netbeheerder meldt een verdubbeld stroomverbruik in een agrarische loods zonder bedrijfsactiviteit.",
        "hennepteelt",
        "buitengebied",
    ),
    ("Snelle doorverkoop van woningen via dezelfde bv", "Drie woningen zijn binnen een jaar twee keer verkocht, steeds met een hogere hypotheek.", "vastgoed", "vastgoed"),
    (
        "Uitzendbureau met arbeidsmigranten in overbewoonde panden",
        "Twaalf arbeidsmigranten staan ingeschreven op één adres; het uitzendbureau betaalt contant.",
        "mensenhandel",
        "",
    ),
    (
        "Clubhuis van een motorclub in een bedrijfspand",
        "Een motorclub gebruikt een bedrijfspand als clubhuis; de huurder is een stichting zonder activiteiten.",
        "omg",
        "bedrijventerreinen",
    ),
    ("Zorgbureau zonder zichtbare zorgverlening", "Een zorgbureau declareert veel uren pgb-zorg, maar cliënten kennen de zorgverleners niet.", "zorgfraude", "zorg"),
    (
        "Drugsafval gedumpt bij een boerderij",
        "Vaten met chemisch afval aangetroffen bij een boerderij; de eigenaar verhuurt schuren aan derden.",
        "synthetische-drugs",
        "buitengebied",
    ),
    ("Shisha lounge met wisselende eigenaren", "Een shisha lounge wisselt elk jaar van eigenaar, steeds via dezelfde boekhouder.", "witwassen", "horeca"),
    (
        "Autobedrijf met luxe auto's op naam van stromannen",
        "Een autobedrijf verkoopt dure auto's contant; de auto's staan op naam van jonge mensen zonder inkomen.",
        "witwassen",
        "autobranche",
    ),
    ("Subsidie voor verduurzaming zonder uitvoering", "Een bouwbedrijf ontving subsidie voor isolatie van panden die niet zijn aangepakt.", "subsidiefraude", ""),
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
        // With a BSN from the range set aside for tests (999990019): the e2e journey of a data
        // subject's request asks for it.
        ("oost-brabant", "Hennepkwekerij in een recreatiewoning", SubjectInput { bsn: "999990019".into(), ..person("Jan Willem", "van den", "Heuvel", "1968-07-21") }),
        ("zeeland-west-brabant", "Drugsafval in het buitengebied", SubjectInput { bsn: "999990019".into(), ..person("J.W.", "van den", "Heuvel", "1968-07-21") }),
        ("den-haag", "Autobedrijf met auto's op naam van stromannen", SubjectInput { kind: "voertuig".into(), licence_plate: "XK-315-B".into(), ..SubjectInput::default() }),
        ("midden-nederland", "Transportbedrijf met wisselende chauffeurs", SubjectInput { kind: "voertuig".into(), licence_plate: "XK-315-B".into(), ..SubjectInput::default() }),
    ]
}

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

/// The demo's sense of time. A case's history starts some days ago and each step comes some
/// days after the one before, on a weekday between 08:00 and 17:00 Dutch time; nothing lands
/// later than an hour before the demo starts serving.
pub(crate) struct Timeline<'a> {
    clock: &'a ShiftedClock,
    /// The real time when the demo started filling (fixed, so a slow start does not shift it).
    real_now: i64,
    at: i64,
}

impl<'a> Timeline<'a> {
    pub(crate) fn new(clock: &'a ShiftedClock) -> Self {
        let real_now = clock.now_ms() + clock.back();
        Self { clock, real_now, at: real_now - HOUR }
    }

    /// Starts a history `min..=max` days ago.
    pub(crate) fn start(&mut self, rng: &mut ChaCha8Rng, min_days: i64, max_days: i64) {
        self.at = self.real_now - rng.gen_range(min_days..=max_days) * DAY;
        self.settle(rng);
    }

    /// The next step, `min..=max` days after the last; a history that would run past now is
    /// squeezed into the time left (each step part of the way there, never before the last).
    pub(crate) fn after(&mut self, rng: &mut ChaCha8Rng, min_days: i64, max_days: i64) {
        let last = self.at;
        self.at += rng.gen_range(min_days..=max_days) * DAY;
        self.settle(rng);
        let latest = self.real_now - HOUR;
        if self.at < last {
            // The same day, earlier hours: a little later that day instead.
            self.at = last + rng.gen_range(10..120) * 60_000;
        }
        if self.at > latest {
            self.at = last + (latest - last).max(0) * rng.gen_range(5..40) / 100;
        }
        self.clock.set_back(self.real_now - self.at);
    }

    /// On a weekday during office hours (UTC+1), never after an hour before now; then sets the
    /// app's clock there.
    fn settle(&mut self, rng: &mut ChaCha8Rng) {
        let day = self.at.div_euclid(DAY);
        // 1 January 1970 was a Thursday: (day + 3) % 7 is 0 on Mondays.
        let weekday = (day + 3).rem_euclid(7);
        let day = if weekday >= 5 { day + 7 - weekday } else { day };
        self.at = day * DAY + rng.gen_range(7..16) * HOUR + rng.gen_range(0..60) * 60_000;
        let latest = self.real_now - HOUR;
        if self.at > latest {
            self.at = latest - rng.gen_range(0..60) * 60_000;
        }
        self.clock.set_back(self.real_now - self.at);
    }

    /// The current day (`YYYY-MM-DD`), `days` later.
    pub(crate) fn day(&self, days: i64) -> String {
        knooppunt_app::cases::today(self.at + days * DAY)
    }

    /// Back to the real time.
    pub(crate) fn done(&self) {
        self.clock.set_back(0);
    }
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

fn item(rng: &mut ChaCha8Rng, when: &Timeline<'_>, title: &str, basis: &str, purpose: &str) -> ItemInput {
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
        info_date: when.day(-rng.gen_range(0..60)),
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

/// Which phase a case reaches, and how many days ago (at most) its signal came in.
fn target_phase(rng: &mut ChaCha8Rng) -> (&'static str, i64, i64) {
    match rng.gen_range(0..100) {
        0..=9 => ("signaal", 1, 12),
        10..=17 => ("weging", 4, 30),
        18..=22 => ("afgewezen", 20, 700),
        23..=37 => ("pre-casus", 45, 300),
        38..=82 => ("casus", 150, 700),
        _ => ("afgesloten", 400, 730),
    }
}

/// Municipalities of `region` the demo places cases in: those with a known postcode area (so
/// addresses have a postcode of their own municipality), or any of the region's.
fn places<'n>(net: &'n Network, region: &RegionRow) -> Vec<&'n MunicipalityRow> {
    let all: Vec<&MunicipalityRow> = net.municipalities.iter().filter(|m| m.region_id == region.id).collect();
    let known: Vec<&MunicipalityRow> = all.iter().copied().filter(|m| synthetic::POSTCODE_AREAS.iter().any(|(name, _, _)| *name == m.name)).collect();
    if known.is_empty() {
        all
    } else {
        known
    }
}

/// Creates `per_region` cases in every RIEC region over the last two years, the planted
/// cross-region cases, the network case and a national approach. Idempotent: nothing happens
/// when cases exist. Returns the number of cases created. The clock is back at the real time
/// afterwards, also on an error.
pub async fn populate_cases(app: &App, clock: &ShiftedClock, per_region: usize, seed: u64) -> Result<usize, AppError> {
    let mut when = Timeline::new(clock);
    let made = populate_in_time(app, &mut when, per_region, seed).await;
    when.done();
    // Notifications of long ago go, as the purge task does every day.
    app.purge().await?;
    made
}

async fn populate_in_time(app: &App, when: &mut Timeline<'_>, per_region: usize, seed: u64) -> Result<usize, AppError> {
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
    let mut approach_candidates: Vec<(String, i64)> = Vec::new();
    for n in 0..per_region * net.regions.len() {
        let region = &net.regions[n % net.regions.len()];
        let topic = TOPICS[rng.gen_range(0..TOPICS.len())];
        let (mut phase, mut min_days, mut max_days) = target_phase(&mut rng);
        // Every region has signals waiting to be weighed, whatever the draw (the draws shift
        // with the day the demo starts: times are kept on weekdays before now).
        if n < 3 * net.regions.len() {
            (phase, min_days, max_days) = ("signaal", 1, 12);
        }
        when.start(&mut rng, min_days, max_days);
        let built = build_case(app, &net, region, &mut rng, when, (topic.0, topic.1, topic.2, topic.3), phase, None).await?;
        if topic.2 == "omg" && phase == "casus" {
            approach_candidates.push((built.reference, region.id));
        }
        made += 1;
    }
    for (region_code, title, subject) in planted() {
        let Some(region) = net.regions.iter().find(|r| r.code == region_code) else { continue };
        when.start(&mut rng, 90, 400);
        build_case(app, &net, region, &mut rng, when, (title, "Signaal uit een lopend onderzoek; details in de informatiebijdragen.", "witwassen", ""), "casus", Some(subject))
            .await?;
        made += 1;
    }
    if let Some(region) = net.regions.iter().find(|r| r.code == "oost-brabant") {
        when.start(&mut rng, 120, 200);
        build_network_case(app, &net, region, &mut rng, when).await?;
        made += 1;
    }
    when.start(&mut rng, 40, 60);
    national_approach(app, &net, &mut rng, when, &approach_candidates).await?;
    Ok(made)
}

/// The LIEC's national approach of a motorcycle club's chapters: cases of several regions
/// asked, one region agreed, the others still to decide; participants and actions.
async fn national_approach(app: &App, net: &Network, rng: &mut ChaCha8Rng, when: &mut Timeline<'_>, candidates: &[(String, i64)]) -> Result<(), AppError> {
    let Some(liec) = net.regions.first().map(|r| Actors { app, net, region: r }) else { return Ok(()) };
    let coordinator = liec.ctx(principal("demo (LIEC-coördinator)".into(), net.org("LIEC")?, Role::LiecCoordinator, None));
    let id = app
        .open_approach(
            &coordinator,
            "Chapters van een motorclub in Zuid-Nederland",
            "Clubhuizen, vastgoed en horeca rond drie chapters; de regio's stemmen hun bestuurlijke en fiscale aanpak af.",
        )
        .await?;
    // One case of each region at most; the demo regions first, so their teams have a request.
    let mut asked: Vec<&(String, i64)> = Vec::new();
    for region in crate::DEMO_REGIONS.iter().chain(["rotterdam", "zeeland-west-brabant"].iter()) {
        let Some(r) = net.regions.iter().find(|r| r.code == *region) else { continue };
        if let Some(c) = candidates.iter().find(|(_, rid)| *rid == r.id) {
            asked.push(c);
        }
    }
    for (reference, _) in &asked {
        when.after(rng, 0, 2);
        app.ask_case(&coordinator, id, reference).await?;
    }
    // Limburg agrees; the others have yet to decide.
    if let Some((reference, region_id)) = asked.iter().find(|(_, rid)| net.regions.iter().any(|r| r.id == *rid && r.code == "limburg")) {
        let region = net.regions.iter().find(|r| r.id == *region_id).ok_or_else(|| AppError::Internal("demo: region".into()))?;
        let team = Actors { app, net, region }.team(Role::RiecAnalyst)?;
        let view = app.approach(&team, id).await?;
        if let Some(c) = view.cases.iter().find(|c| &c.reference == reference) {
            when.after(rng, 2, 6);
            app.decide_approach_case(&team, id, c.case_id, true, "").await?;
        }
    }
    for (org, part) in
        [("Nationale Politie", "Informatiebeeld per chapter"), ("Openbaar Ministerie", "Strafrechtelijke prioritering"), ("Belastingdienst", "Fiscale aanpak van de clubhuizen")]
    {
        when.after(rng, 0, 3);
        app.add_approach_participant(&coordinator, id, Some(net.org(org)?), part).await?;
    }
    let mut actions = Vec::new();
    for (title, owner, due_in) in [
        ("Gezamenlijk informatiebeeld van de drie chapters", "Nationale Politie", 20),
        ("Bibob-toetsen van de horecavergunningen afstemmen", "LIEC", 45),
        ("Fiscale controle van de clubhuizen plannen", "Belastingdienst", 60),
    ] {
        when.after(rng, 1, 5);
        actions.push(app.add_approach_action(&coordinator, id, title, owner, &when.day(due_in)).await?);
    }
    if let Some(first) = actions.first() {
        when.after(rng, 10, 20);
        app.finish_approach_action(&coordinator, id, *first).await?;
    }
    Ok(())
}

/// One case with a network as analysts meet it: fifty subjects (people, their companies and
/// holdings, addresses, vehicles, accounts) and about seventy relations over ten years, some
/// ended. The network picture is made for cases like this.
async fn build_network_case(app: &App, net: &Network, region: &RegionRow, rng: &mut ChaCha8Rng, when: &mut Timeline<'_>) -> Result<(), AppError> {
    let who = Actors { app, net, region };
    let Some(m) = places(net, region).first().copied() else { return Ok(()) };
    let source = who.partner("Nationale Politie")?;
    let id = app
        .register_case_signal(
            &source,
            &SignalRegistration {
                title: "Vastgoednetwerk rond een familieholding".into(),
                description: "Panden wisselen vaak van eigenaar binnen een kring van bv's; huurders zijn nagelstudio's, belwinkels en shishalounges zonder zichtbare omzet.".into(),
                municipality: m.cbs_code.clone(),
                phenomena: vec!["witwassen".into()],
                settings: vec!["vastgoed".into()],
                region: String::new(),
                region_reason: String::new(),
            },
        )
        .await?;
    let analyst = who.team(Role::RiecAnalyst)?;
    when.after(rng, 1, 4);
    let d = app.case(&analyst, id).await?;
    app.case_step(&analyst, id, "wegen", "", d.case.version).await?;
    when.after(rng, 5, 12);
    let d = app.case(&analyst, id).await?;
    app.case_step(&analyst, id, "casus-openen", "Past in het convenant: witwassen via vastgoed.", d.case.version).await?;
    let city = m.name.clone();
    let mut ids: Vec<(i64, &'static str)> = Vec::new();
    let plan: [(&'static str, usize); 5] = [("persoon", 15), ("rechtspersoon", 15), ("adres", 10), ("voertuig", 5), ("rekening", 5)];
    for (kind, count) in plan {
        when.after(rng, 1, 6);
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
    when.after(rng, 2, 10);
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
    // Work that waits, so "Mijn werk" has something for the manager, the legal adviser, the
    // partners and the steering group: a request the tax office has not answered, a draft
    // advice, an intervention it carries out that got stuck and went to the stuurgroep.
    let tax = net.org("Belastingdienst")?;
    let police = net.org("Nationale Politie")?;
    when.after(rng, 3, 10);
    app.admit_participant(&analyst, id, tax, "Fiscale informatie en interventiemogelijkheden (need-to-know).").await?;
    when.after(rng, 1, 5);
    app.create_request(&analyst, id, "Welke fiscale registraties zijn er over de bv's in dit netwerk?", &knooppunt_app::cases::today(app.now() + 200 * DAY), &[tax, police])
        .await?;
    when.after(rng, 20, 40);
    let v = app.propose_intervention(&analyst, id, &proposal("fiscaal", tax, "AWR art. 47", None)).await?;
    when.after(rng, 30, 50);
    let version = app.case(&analyst, id).await?.interventions.iter().find(|x| x.id == v).map_or(1, |x| x.version);
    let stuck = InterventionUpdate {
        escalation_reason: "Het boekenonderzoek kan niet starten: de gemeente en de Belastingdienst zijn het niet eens over het delen van de huurcontracten.".into(),
        ..InterventionUpdate::default()
    };
    app.update_intervention(&analyst, id, v, &stuck, version).await?;
    when.after(rng, 5, 15);
    app.draft_advice(
        &analyst,
        id,
        "Panden rouleren binnen de holding; huurders zonder omzet.",
        "Belastingdienst: boekenonderzoek. Gemeente: Bibob-toets bij de exploitatievergunningen.",
    )
    .await?;
    Ok(())
}

/// A case as it was built: its reference.
struct Built {
    reference: String,
}

#[allow(clippy::too_many_arguments)]
async fn build_case(
    app: &App,
    net: &Network,
    region: &RegionRow,
    rng: &mut ChaCha8Rng,
    when: &mut Timeline<'_>,
    topic: (&str, &str, &str, &str),
    phase: &str,
    planted: Option<SubjectInput>,
) -> Result<Built, AppError> {
    let who = Actors { app, net, region };
    let munis = places(net, region);
    let Some(mut m) = munis.choose(rng).copied() else { return Err(AppError::Internal(format!("demo: no municipality in {}", region.code))) };
    // The municipality of the region's demo accounts brings a good share of the signals, so a
    // municipality follows cases of its own in the demo.
    if let Some(central) = crate::central_municipality_of(&region.code) {
        if rng.gen_bool(0.35) {
            if let Some(c) = net.municipalities.iter().find(|x| format!("Gemeente {}", x.name) == central) {
                m = c;
            }
        }
    }
    let municipality = format!("Gemeente {}", m.name);
    let source = if rng.gen_bool(0.7) {
        who.ctx(principal(format!("demo ({municipality})"), net.org(&municipality)?, Role::PartnerEmployee, Some(region.id)))
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
                settings: if topic.3.is_empty() { Vec::new() } else { vec![topic.3.into()] },
                region: String::new(),
                region_reason: String::new(),
            },
        )
        .await?;
    let analyst = who.team(Role::RiecAnalyst)?;
    let built = |app_case: &knooppunt_app::views::CaseDetail| Built { reference: app_case.case.reference.clone() };
    let version = |d: &knooppunt_app::views::CaseDetail| d.case.version;
    let d = app.case(&analyst, id).await?;
    if phase == "signaal" {
        return Ok(built(&d));
    }
    when.after(rng, 1, 7);
    app.case_step(&analyst, id, "wegen", "", version(&d)).await?;
    if phase == "weging" {
        return Ok(built(&d));
    }
    when.after(rng, 3, 20);
    let d = app.case(&analyst, id).await?;
    if phase == "afgewezen" {
        app.case_step(&analyst, id, "afwijzen", "Valt buiten de regionale prioriteiten; teruggelegd bij de gemeente.", version(&d)).await?;
        return Ok(built(&d));
    }
    let step = if phase == "pre-casus" { "pre-casus-openen" } else { "casus-openen" };
    app.case_step(&analyst, id, step, "Past in het convenant en vraagt om een integrale aanpak.", version(&d)).await?;
    // In the demo regions the demo analyst directs some of the cases.
    if crate::DEMO_REGIONS.contains(&region.code.as_str()) && rng.gen_bool(0.3) {
        let short = region.code.split('-').next().unwrap_or_default();
        app.assign_team_member(&analyst, id, &format!("demo.{short}.analist"), "casusregisseur").await?;
    }
    // Partners: always the police and the tax office, sometimes more; the province where the
    // rural area or drug waste is the subject.
    let mut partners: Vec<String> = vec!["Nationale Politie".into(), "Belastingdienst".into()];
    for p in PARTNERS.iter().skip(2) {
        if rng.gen_bool(0.2) {
            partners.push(p.to_string());
        }
    }
    if matches!(topic.2, "hennepteelt" | "synthetische-drugs") {
        if let Some(province) = crate::province_of(&region.code) {
            if net.org(province).is_ok() {
                partners.push(province.to_string());
            }
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
    when.after(rng, 0, 5);
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
        when.after(rng, 2, 20);
        let ctx = who.partner(p)?;
        let iid = app.add_item(&ctx, id, &item(rng, when, &format!("Informatie van {p}"), basis_of(p), "integrale-aanpak")).await?;
        items.push((ctx, iid, p.clone()));
    }
    for (ctx, iid, p) in &items {
        if rng.gen_bool(0.5) {
            if let Some(other) = partners.iter().find(|x| *x != p) {
                when.after(rng, 0, 5);
                app.set_release(ctx, id, *iid, net.org(other)?, true).await?;
            }
        }
    }
    // An information request with four weeks to answer; the tax office answers, the police
    // sometimes declines and sometimes lets the deadline pass.
    let tax = net.org("Belastingdienst")?;
    let police = net.org("Nationale Politie")?;
    when.after(rng, 5, 25);
    app.create_request(&analyst, id, "Welke registraties heeft uw organisatie over de betrokkenen?", &when.day(28), &[tax, police]).await?;
    let requests = app.case(&analyst, id).await?.requests;
    if let Some(r) = requests.first() {
        let tax_ctx = who.partner("Belastingdienst")?;
        when.after(rng, 3, 25);
        app.answer_request(&tax_ctx, id, r.id, Some(&item(rng, when, "Antwoord op de uitvraag: fiscale gegevens", "awr-43c", "fiscale-interventie")), "").await?;
        let police_ctx = who.partner("Nationale Politie")?;
        match rng.gen_range(0..10) {
            0..=4 => {
                when.after(rng, 2, 25);
                app.answer_request(&police_ctx, id, r.id, Some(&item(rng, when, "Antwoord op de uitvraag: politiegegevens", "wpg-20", "integrale-aanpak")), "").await?;
            }
            5..=6 => {
                when.after(rng, 1, 10);
                app.answer_request(&police_ctx, id, r.id, None, "Lopend strafrechtelijk onderzoek; informatie volgt later.").await?;
            }
            _ => {}
        }
    }
    if phase == "pre-casus" {
        return Ok(built(&app.case(&analyst, id).await?));
    }
    // Advice, approved by the manager; interventions with outcomes; a meeting.
    when.after(rng, 15, 60);
    app.draft_advice(
        &analyst,
        id,
        "De informatie wijst op witwassen via de onderneming.",
        "Belastingdienst: boekenonderzoek. Gemeente: Bibob-toets. Politie: bestuurlijke rapportage voor 13b.",
    )
    .await?;
    when.after(rng, 2, 14);
    app.approve_advice(&who.team(Role::RiecManager)?, id, 1).await?;
    let mut done = Vec::new();
    for (type_code, org, power) in [("fiscaal", "Belastingdienst", "AWR art. 47"), ("13b-opiumwet", "Nationale Politie", "art. 13b Opiumwet (rapportage)")] {
        when.after(rng, 3, 20);
        // Two in three name the barrier of the demo's cannabis model they raise.
        let barrier = if id % 3 != 0 { barrier_for(app, &analyst, type_code).await? } else { None };
        let vid = app.propose_intervention(&analyst, id, &proposal(type_code, net.org(org)?, power, barrier)).await?;
        let ctx = who.partner(org)?;
        let progress = match rng.gen_range(0..100) {
            0..=7 => 0,
            8..=24 => 1,
            _ => 2,
        };
        if progress >= 1 {
            when.after(rng, 5, 40);
            app.update_intervention(&ctx, id, vid, &InterventionUpdate { status: "toegezegd".into(), ..InterventionUpdate::default() }, 1).await?;
        }
        if progress >= 2 {
            when.after(rng, 20, 90);
            let (status, stop) = if rng.gen_bool(0.85) { ("afgerond", String::new()) } else { ("gestopt", "Onvoldoende grond na nader onderzoek.".to_string()) };
            let amount = if type_code == "fiscaal" && status == "afgerond" { format!("{}", rng.gen_range(5..400) * 1000) } else { String::new() };
            app.update_intervention(
                &ctx,
                id,
                vid,
                &InterventionUpdate {
                    status: status.into(),
                    decision: if status == "afgerond" { "Besluit genomen".into() } else { String::new() },
                    collected: amount,
                    completed_date: when.day(0),
                    stop_reason: stop,
                    ..InterventionUpdate::default()
                },
                2,
            )
            .await?;
        }
        done.push(vid);
    }
    when.after(rng, 7, 30);
    app.record_meeting(
        &analyst,
        id,
        &MeetingInput {
            held_on: when.day(0),
            attendees: "RIEC, gemeente, politie, Belastingdienst".into(),
            agenda: "Interventiestrategie".into(),
            decisions: "Fiscale en bestuurlijke aanpak gelijktijdig.".into(),
            interventions: done,
        },
    )
    .await?;
    if phase == "afgesloten" {
        when.after(rng, 30, 120);
        let d = app.case(&analyst, id).await?;
        app.case_step(&analyst, id, "afsluiten", "Interventies uitgevoerd; lessen gedeeld met de gemeente.", d.case.version).await?;
    }
    // Now and then the team prints the case file for a meeting (the privacy officer and the
    // auditor see the exports).
    if rng.gen_bool(0.05) {
        app.case_export(&analyst, id).await?;
    }
    Ok(built(&app.case(&analyst, id).await?))
}

/// An intervention proposal without a note.
fn proposal(kind: &str, organisation_id: i64, legal_power: &str, barrier: Option<i64>) -> knooppunt_app::cases::InterventionProposal {
    knooppunt_app::cases::InterventionProposal { kind: kind.into(), organisation_id, legal_power: legal_power.into(), note: String::new(), barrier }
}

/// The barrier of the demo's cannabis model that an intervention of `type_code` raises.
async fn barrier_for(app: &App, ctx: &Ctx, type_code: &str) -> Result<Option<i64>, AppError> {
    let step = match type_code {
        "fiscaal" => "Financiering",
        "13b-opiumwet" => "Huisvesting",
        _ => return Ok(None),
    };
    Ok(app.barrier_choices(ctx).await?.into_iter().find(|b| b.model_title.contains("hennepteelt") && b.step_title == step).map(|b| b.id))
}
