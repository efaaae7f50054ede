//! Template structs; each names its file in `crates/web/templates`.

use super::FormErrors;
use askama::Template;
use knooppunt_app::users::UserView;
use knooppunt_app::views::*;

/// The frame every page shares.
pub struct Page {
    pub title: String,
    pub demo: bool,
    pub user: Option<NavUser>,
    pub csrf: String,
    pub nav: Vec<NavLink>,
    pub flash: Option<String>,
    pub version: &'static str,
}

pub struct NavUser {
    pub display_name: String,
    pub organisation: String,
    /// Unread notifications, once the user is fully signed in (the header's bell).
    pub unread: Option<i64>,
}

pub struct NavLink {
    pub href: String,
    pub label: String,
    pub current: bool,
}

/// `(value, label)` pairs for a select.
pub type Options = Vec<(String, String)>;

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub page: Page,
    pub message: String,
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct Login {
    pub page: Page,
    pub errors: FormErrors,
    pub username: String,
    pub back: String,
    pub notice: Option<String>,
}

#[derive(Template)]
#[template(path = "second_factor.html")]
pub struct SecondFactorPage {
    pub page: Page,
    pub errors: FormErrors,
    pub back: String,
}

#[derive(Template)]
#[template(path = "enrol.html")]
pub struct Enrol {
    pub page: Page,
    pub errors: FormErrors,
    pub secret: String,
    pub uri: String,
    pub required: bool,
}

pub struct Tile {
    pub href: String,
    pub label: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct Home {
    pub page: Page,
    pub name: String,
    pub organisation: String,
    pub roles: Vec<String>,
    /// What waits for the user: (link, what, how many in words, whether anything waits).
    pub work: Vec<(String, String, String, bool)>,
    pub tiles: Vec<Tile>,
}

pub struct RegionLine {
    pub code: String,
    pub name: String,
    pub kind_label: String,
    pub status: String,
}

#[derive(Default)]
pub struct RegionForm {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent: String,
}

#[derive(Template)]
#[template(path = "regions.html")]
pub struct Regions {
    pub page: Page,
    pub regions: Vec<RegionLine>,
    pub can_manage: bool,
    pub errors: FormErrors,
    pub form: RegionForm,
    pub kinds: Options,
    pub parents: Options,
}

#[derive(Template)]
#[template(path = "region.html")]
pub struct RegionPage {
    pub page: Page,
    pub region: RegionRow,
    pub kind_label: String,
    pub parent: Option<RegionRow>,
    pub merged_into: Option<RegionRow>,
    pub municipalities: Vec<MunicipalityRow>,
    pub organisations: Vec<OrganisationRow>,
    /// (when, event, detail, actor)
    pub events: Vec<(String, String, String, String)>,
    pub can_manage: bool,
    pub errors: FormErrors,
    pub new_name: String,
    pub targets: Options,
}

#[derive(Template)]
#[template(path = "municipalities.html")]
pub struct Municipalities {
    pub page: Page,
    pub errors: FormErrors,
    pub regions: Options,
    pub region: String,
    pub text: String,
    pub rows: Vec<MunicipalityRow>,
}

#[derive(Template)]
#[template(path = "municipality.html")]
pub struct MunicipalityPage {
    pub page: Page,
    pub muni: MunicipalityRow,
    /// (region, from, to)
    pub history: Vec<(String, String, String)>,
    pub can_manage: bool,
    pub errors: FormErrors,
    pub regions: Options,
}

#[derive(Template)]
#[template(path = "organisations.html")]
pub struct Organisations {
    pub page: Page,
    pub errors: FormErrors,
    pub regions: Options,
    pub region: String,
    pub types: Options,
    pub partner_type: String,
    /// (name, type, area)
    pub rows: Vec<(String, String, String)>,
    pub can_manage: bool,
    pub create_errors: FormErrors,
    pub new_types: Options,
    pub form_name: String,
    pub form_type: String,
    pub form_region: String,
}

pub struct UserLine {
    pub id: i64,
    pub display_name: String,
    pub username: String,
    pub organisation: String,
    pub roles: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "users.html")]
pub struct Users {
    pub page: Page,
    pub errors: FormErrors,
    pub text: String,
    pub users: Vec<UserLine>,
    pub can_manage: bool,
}

#[derive(Template)]
#[template(path = "users_rows.html")]
pub struct UserRows {
    pub users: Vec<UserLine>,
}

#[derive(Default)]
pub struct UserForm {
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub organisation: String,
    pub role: String,
    pub region: String,
}

#[derive(Template)]
#[template(path = "user_new.html")]
pub struct NewUser {
    pub page: Page,
    pub errors: FormErrors,
    pub form: UserForm,
    pub organisations: Options,
    pub roles: Options,
    pub regions: Options,
}

pub struct RoleLine {
    pub label: String,
    pub role: String,
    pub region: String,
}

#[derive(Template)]
#[template(path = "user.html")]
pub struct UserPage {
    pub page: Page,
    pub user: UserView,
    pub roles: Vec<RoleLine>,
    pub can_manage: bool,
    pub errors: FormErrors,
    pub role_options: Options,
    pub regions: Options,
}

pub struct TokenLine {
    pub id: i64,
    pub name: String,
    pub organisation: String,
    pub roles: String,
    pub status: String,
    pub active: bool,
    pub renewable: bool,
}

#[derive(Template)]
#[template(path = "tokens.html")]
pub struct Tokens {
    pub page: Page,
    pub tokens: Vec<TokenLine>,
    pub new_secret: Option<String>,
    pub errors: FormErrors,
    pub organisations: Options,
    pub roles: Options,
    pub regions: Options,
    pub form_name: String,
    pub form_org: String,
    pub form_role: String,
    pub form_region: String,
    pub form_days: String,
}

pub struct AuditLine {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub result: String,
    pub source: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
pub struct Audit {
    pub page: Page,
    pub errors: FormErrors,
    pub verify: Option<(bool, String)>,
    pub actions: Options,
    pub results: Options,
    pub organisations: Options,
    pub objects: Options,
    /// The filter as entered (without the page).
    pub q: super::auditlog::AuditQuery,
    pub rows: Vec<AuditLine>,
    /// The query string of the next (older) page, if there is one.
    pub next: Option<String>,
    /// The query string of the CSV export of this filter.
    pub csv: String,
}

#[derive(Template)]
#[template(path = "account.html")]
pub struct Account {
    pub page: Page,
    pub errors: FormErrors,
    pub user: UserView,
    pub must_change: bool,
}

#[derive(Template)]
#[template(path = "processing.html")]
pub struct Processing {
    pub page: Page,
    pub errors: FormErrors,
    /// The search by data subject: `bsn` or `kvk`, and the number as entered.
    pub kind: String,
    pub number: String,
    /// The newest lines (when not searching), or the exports of the last days.
    pub rows: Vec<ProcessingRow>,
    /// The heading and caption of `rows`.
    pub heading: String,
    pub caption: String,
    pub found: Option<SubjectFound>,
}

/// (when, activity, subject type, pseudonym, actor, trace id, status)
pub type ProcessingRow = (String, String, String, String, String, String, String);

/// One data subject's processing, a page at a time.
pub struct SubjectFound {
    /// Subject records (in any case or region) holding the number.
    pub records: usize,
    pub total: i64,
    /// Zero-based page and the number of pages.
    pub page: i64,
    pub pages: i64,
    pub rows: Vec<ProcessingRow>,
}

pub struct SignalLine {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub state: String,
    pub organisation: String,
    pub submitted: String,
}

#[derive(Template)]
#[template(path = "signals.html")]
pub struct Signals {
    pub page: Page,
    pub errors: FormErrors,
    pub can_create: bool,
    pub is_desk: bool,
    pub states: Options,
    pub state: String,
    pub rows: Vec<SignalLine>,
}

#[derive(Default)]
pub struct SignalFormValues {
    pub title: String,
    pub legal_process: String,
    pub weakness: String,
    pub modus_operandi: String,
    pub structural: String,
    pub recommendations: String,
    pub feasibility: String,
    pub source: String,
    pub confidentiality: String,
    pub contact: String,
    pub ministries: Vec<String>,
    pub phenomena: Vec<String>,
}

#[derive(Template)]
#[template(path = "signal_form.html")]
pub struct SignalForm {
    pub page: Page,
    pub errors: FormErrors,
    pub action: String,
    pub version: i64,
    pub form: SignalFormValues,
    pub ministries: Options,
    pub phenomena: Options,
    pub confidentiality: Options,
}

#[derive(Template)]
#[template(path = "signal.html")]
pub struct SignalPage {
    pub page: Page,
    pub errors: FormErrors,
    pub s: knooppunt_app::views::SignalRow,
    pub state_label: String,
    pub full: bool,
    pub overdue: bool,
    pub phenomena: String,
    pub proposed: String,
    pub offered: String,
    pub offered_at: String,
    pub due: Option<String>,
    pub response_at: String,
    pub findings: Vec<String>,
    pub can_edit: bool,
    pub can_message: bool,
    /// (code, label)
    pub steps: Vec<(String, String)>,
    /// (id, reference, title, score percent)
    pub similar: Vec<(i64, String, String, i64)>,
    /// (author, from desk, when, body)
    pub messages: Vec<(String, bool, String, String)>,
    /// (id, file name, size, start of the SHA-256)
    pub attachments: Vec<(i64, String, String, String)>,
    /// (when, step, actor, note)
    pub events: Vec<(String, String, String, String)>,
}

#[derive(Template)]
#[template(path = "signal_offer.html")]
pub struct SignalOffer {
    pub page: Page,
    pub errors: FormErrors,
    pub id: i64,
    pub title: String,
    pub ministries: Options,
    pub selected: Vec<String>,
    pub date: String,
    pub letter: String,
}

/// A table of counts in the overview.
pub struct CountTable {
    pub caption: String,
    pub column: String,
    pub rows: Vec<(String, usize)>,
}

#[derive(Template)]
#[template(path = "signals_overview.html")]
pub struct SignalsOverview {
    pub page: Page,
    pub errors: FormErrors,
    pub full: bool,
    pub years: Options,
    pub year: String,
    pub year_query: String,
    pub total: usize,
    pub avg_days: Option<String>,
    pub answered: usize,
    pub tables: Vec<CountTable>,
    /// (id, reference, title, due)
    pub overdue: Vec<(i64, String, String, String)>,
    /// (reference, title, state, offered, response, id)
    pub rows: Vec<(String, String, String, String, String, i64)>,
}

#[derive(Template)]
#[template(path = "ministries.html")]
pub struct Ministries {
    pub page: Page,
    pub errors: FormErrors,
    /// (code, name)
    pub rows: Vec<(String, String)>,
    pub code: String,
    pub name: String,
}
