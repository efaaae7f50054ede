//! The synthetic RIEC-LIEC network for the demo, tests and benchmarks. Deterministic for a
//! seed: the same seed gives the same accounts, names and organisations. Later features add
//! their demo data here (cases, signals, knowledge), so tests and benchmarks can reuse it.

mod signals;

pub use barriers::populate_barrier_models;
pub use cases::populate_cases;
pub use events::{populate_events, FULL_MASTERCLASS};
pub use fieldlabs::populate_field_labs;
pub use knowledge::{populate_knowledge, NOTARY, PRIVATE_MEMBER};
pub use magazine::{populate_magazine, THEME_ISSUE};
pub use signals::populate_signals;
pub use steering::populate_steering;
pub use support::populate_support;
pub use taxonomy::populate_focus;
mod barriers;
mod cases;
mod events;
mod fieldlabs;
mod knowledge;
mod magazine;
mod steering;
mod support;
pub mod synthetic;
mod taxonomy;

use knooppunt_app::network::NewOrganisationInput;
use knooppunt_app::users::NewUserInput;
use knooppunt_app::{App, AppError, Ctx, ShiftedClock};
use knooppunt_domain::Role;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The password of every demo account. Printed by `knooppunt demo`; never used outside a demo.
pub const DEMO_PASSWORD: &str = "Knooppunt-Demo-2026";
/// The published TOTP secret of the demo administrator (base32), so the second factor can be
/// tried out with any authenticator app.
pub const DEMO_TOTP_SECRET: &str = "KNOOPPUNTDEMO234KNOOPPUNTDEMO234";
/// The regions that get a full set of regional demo accounts.
pub const DEMO_REGIONS: &[&str] = &["oost-brabant", "amsterdam-amstelland", "limburg"];

/// Regions with only an analyst and a manager in the demo (the planted cross-region company).
pub const HIT_REGIONS: &[&str] = &["rotterdam", "noord-nederland"];

#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub seed: u64,
    /// Extra synthetic staff: 20 per step of scale.
    pub scale: u32,
}

impl Default for DemoOptions {
    fn default() -> Self {
        Self { seed: 2026, scale: 1 }
    }
}

/// A demo login as printed for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    pub username: String,
    pub role: Role,
    pub region: Option<String>,
    pub organisation: String,
    pub totp_secret: Option<String>,
}

struct Spec {
    username: String,
    name: String,
    organisation: String,
    role: Role,
    region: Option<String>,
    totp: bool,
}

fn title_case(code: &str) -> String {
    code.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// The seat of each demo region's stuurgroep chair (a municipality in that region).
fn central_municipality(region: &str) -> &'static str {
    match region {
        "oost-brabant" => "Gemeente Eindhoven",
        "amsterdam-amstelland" => "Gemeente Amsterdam",
        "limburg" => "Gemeente Maastricht",
        _ => "Gemeente Utrecht",
    }
}

/// The municipality of a demo region's municipal accounts (None outside the demo regions).
pub(crate) fn central_municipality_of(region: &str) -> Option<&'static str> {
    DEMO_REGIONS.contains(&region).then(|| central_municipality(region))
}

/// The provinces in the demo: (name, the region it is registered in), and the province of each
/// region's rural cases.
const PROVINCES: &[(&str, &str)] = &[
    ("Provincie Noord-Brabant", "oost-brabant"),
    ("Provincie Limburg", "limburg"),
    ("Provincie Noord-Holland", "noord-holland"),
    ("Provincie Utrecht", "midden-nederland"),
    ("Provincie Zuid-Holland", "rotterdam"),
    ("Provincie Gelderland", "oost-nederland"),
    ("Provincie Groningen", "noord-nederland"),
];

pub(crate) fn province_of(region: &str) -> Option<&'static str> {
    Some(match region {
        "oost-brabant" | "zeeland-west-brabant" => "Provincie Noord-Brabant",
        "limburg" => "Provincie Limburg",
        "noord-holland" | "amsterdam-amstelland" => "Provincie Noord-Holland",
        "midden-nederland" => "Provincie Utrecht",
        "rotterdam" | "den-haag" => "Provincie Zuid-Holland",
        "oost-nederland" => "Provincie Gelderland",
        "noord-nederland" => "Provincie Groningen",
        _ => return None,
    })
}

/// The private partners (they take part in phenomenon tables, not in case files).
const PRIVATE_PARTNERS: [(&str, &str); 2] = [("Nederlandse Vereniging van Banken", "midden-nederland"), ("Koninklijke Notariële Beroepsorganisatie", "midden-nederland")];

fn riec_bureau(region: &str) -> String {
    format!("RIEC-bureau {}", title_case(region))
}

fn specs() -> Vec<Spec> {
    let national =
        |user: &str, name: &str, role: Role, totp: bool| Spec { username: format!("demo.{user}"), name: name.into(), organisation: "LIEC".into(), role, region: None, totp };
    let mut v = vec![
        national("beheerder", "Bram van den Beheer", Role::Administrator, true),
        national("auditor", "Anouk de Wit", Role::Auditor, false),
        national("liec", "Lotte van der Linden", Role::LiecCoordinator, false),
        national("loket", "Lars Bakker", Role::SignalDeskOfficer, false),
        national("kennis", "Kim el Idrissi", Role::KnowledgeEditor, false),
        national("privacy", "Pieter de Jong", Role::PrivacyOfficer, false),
    ];
    for region in DEMO_REGIONS {
        let short = region.split('-').next().unwrap_or(region);
        let r = || Some(region.to_string());
        let mut add = |suffix: &str, name: &str, org: String, role: Role| {
            v.push(Spec { username: format!("demo.{short}.{suffix}"), name: name.into(), organisation: org, role, region: r(), totp: false })
        };
        add("accountmanager", "Sanne Verhoeven", riec_bureau(region), Role::RiecAccountManager);
        add("analist", "Daan van Dijk", riec_bureau(region), Role::RiecAnalyst);
        add("jurist", "Fatima Yilmaz", riec_bureau(region), Role::RiecLegalAdviser);
        add("manager", "Ruud ter Horst", riec_bureau(region), Role::RiecManager);
        add("stuurgroep", "Marieke van 't Hof", central_municipality(region).into(), Role::SteeringGroupMember);
        add("gemeente", "Joost de Graaf", central_municipality(region).into(), Role::PartnerEmployee);
        add("politie", "Noor Hendriks", "Nationale Politie".into(), Role::PartnerEmployee);
        add("belastingdienst", "Kees Vermeulen", "Belastingdienst".into(), Role::PartnerEmployee);
        if *region == "oost-brabant" {
            add("provincie", "Eva Maas", "Provincie Noord-Brabant".into(), Role::PartnerEmployee);
        }
    }
    // The two regions of the planted cross-region company get an analyst and a manager, so the
    // hit can be followed from both sides.
    for region in HIT_REGIONS {
        let short = region.split('-').next().unwrap_or(region);
        let (analyst, manager) = if *region == "rotterdam" { ("Ilse Bouwman", "Wouter Kramer") } else { ("Wietske Hoekstra", "Sjoerd Dijkstra") };
        v.push(Spec {
            username: format!("demo.{short}.analist"),
            name: analyst.into(),
            organisation: riec_bureau(region),
            role: Role::RiecAnalyst,
            region: Some(region.to_string()),
            totp: false,
        });
        v.push(Spec {
            username: format!("demo.{short}.manager"),
            name: manager.into(),
            organisation: riec_bureau(region),
            role: Role::RiecManager,
            region: Some(region.to_string()),
            totp: false,
        });
    }
    v
}

const FIRST_NAMES: &[&str] = &["Jan", "Sophie", "Mohamed", "Emma", "Thijs", "Ayşe", "Lucas", "Julia", "Sem", "Fleur", "Youssef", "Anna", "Bram", "Lieke", "Mehmet", "Iris"];
const PREFIXES: &[&str] = &["", "", "", "van", "de", "van der", "van den", "ter", "in 't"];
const SURNAMES: &[&str] = &["Jansen", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Berg", "Dijk", "Vos", "Kok", "Peters", "Brink", "Yıldız", "Bakker", "Hoek", "Wal"];
const EXTRA_ORGS: &[&str] = &["Nationale Politie", "Belastingdienst", "Openbaar Ministerie", "Nederlandse Arbeidsinspectie", "FIOD", "Douane"];

/// Creates the demo accounts (once; a second run finds them and changes nothing) and returns
/// the logins to print.
pub async fn populate(app: &App, ctx: &Ctx, opts: &DemoOptions) -> Result<Vec<DemoAccount>, AppError> {
    let specs = specs();
    let accounts: Vec<DemoAccount> = specs
        .iter()
        .map(|s| DemoAccount {
            username: s.username.clone(),
            role: s.role,
            region: s.region.clone(),
            organisation: s.organisation.clone(),
            totp_secret: s.totp.then(|| DEMO_TOTP_SECRET.to_string()),
        })
        .collect();
    if app.user_id_by_username(ctx, "demo.beheerder").await.is_ok() {
        return Ok(accounts);
    }
    let mut orgs = app.list_organisations(ctx, None, None, None).await?;
    for (name, region, kind) in PROVINCES.iter().map(|(n, r)| (*n, *r, "provincie")).chain(PRIVATE_PARTNERS.iter().map(|(n, r)| (*n, *r, "private-partner"))) {
        if !orgs.iter().any(|o| o.name == name) {
            let input = NewOrganisationInput { name: name.into(), partner_type: kind.into(), region_code: Some(region.into()) };
            orgs.push(app.create_organisation(ctx, &input).await?);
        }
    }
    let org_id = |name: &str| orgs.iter().find(|o| o.name == name).map(|o| o.id);
    for s in &specs {
        let input = NewUserInput {
            username: s.username.clone(),
            display_name: s.name.clone(),
            email: format!("{}@demo.knooppunt.example", s.username),
            organisation_id: org_id(&s.organisation),
            password: DEMO_PASSWORD.into(),
            roles: vec![(s.role.code().to_string(), s.region.clone())],
            demo: true,
            temporary_password: false,
        };
        let u = app.create_user(ctx, &input).await?;
        if s.totp {
            app.set_second_factor_secret(ctx, u.id, DEMO_TOTP_SECRET).await?;
        }
    }
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let regions = DEMO_REGIONS;
    for i in 0..(opts.scale as usize * 20) {
        let first = FIRST_NAMES.choose(&mut rng).copied().unwrap_or("Jan");
        let prefix = PREFIXES.choose(&mut rng).copied().unwrap_or("");
        let last = SURNAMES.choose(&mut rng).copied().unwrap_or("Jansen");
        let name = if prefix.is_empty() { format!("{first} {last}") } else { format!("{first} {prefix} {last}") };
        let region = regions[rng.gen_range(0..regions.len())];
        let org = EXTRA_ORGS.choose(&mut rng).copied().unwrap_or("Nationale Politie");
        let username = format!("medewerker{:04}", i + 1);
        let input = NewUserInput {
            username: username.clone(),
            display_name: name,
            email: format!("{username}@demo.knooppunt.example"),
            organisation_id: org_id(org),
            password: DEMO_PASSWORD.into(),
            roles: vec![(Role::PartnerEmployee.code().to_string(), Some(region.to_string()))],
            demo: true,
            temporary_password: false,
        };
        app.create_user(ctx, &input).await?;
    }
    Ok(accounts)
}

/// A system client whose year-long token was made 344 days ago: it expires within the month, so
/// the administrator's work list has something to renew (and the renewal another year).
pub async fn populate_expiring_token(app: &App, ctx: &Ctx, clock: &ShiftedClock) -> Result<(), AppError> {
    const DAY: i64 = 24 * 60 * 60 * 1000;
    const NAME: &str = "Koppeling politiesysteem (demo)";
    if app.list_tokens(ctx).await?.iter().any(|t| t.token.name == NAME) {
        return Ok(());
    }
    let token = knooppunt_app::tokens::NewTokenInput {
        name: NAME.into(),
        organisation_id: app.list_organisations(ctx, None, None, None).await?.into_iter().find(|o| o.name == "Nationale Politie").map(|o| o.id),
        roles: vec![(Role::PartnerEmployee.code().to_string(), Some("oost-brabant".to_string()))],
        valid_days: Some(365),
    };
    clock.set_back(344 * DAY);
    let made = app.create_token(ctx, &token).await;
    clock.set_back(0);
    made.map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_has_a_demo_account() {
        let s = specs();
        for role in Role::ALL {
            assert!(s.iter().any(|x| x.role == role), "{role:?}");
        }
        let mut names: Vec<_> = s.iter().map(|x| x.username.clone()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), s.len());
    }
}
