//! Landelijke Fenomeentafels: the LIEC coordinator opens a table on a phenomenon of the
//! taxonomy, records its mandate (versioned, with the body that endorsed it), keeps its member
//! organisations (public, private and science members, each with a role and a period), records
//! meetings with agenda, attendance and decisions, and keeps the action list; an action can
//! become a bestuurlijk signaal to the desk in one step. Each table owns a knowledge group whose
//! members are always the table's current members, so the table's products are published to
//! exactly them. Every list, view and change is audited; the table holds no personal data and
//! no case.

use crate::cases::text;
use crate::signals::SignalInput;
use crate::taxonomy::{resolve, Axis};
use crate::{commit, App, AppError, Ctx, Object, Outcome};
use knooppunt_domain::case::parse_date;
use knooppunt_domain::text::{name_key, slug};
use knooppunt_domain::Invalid;
use knooppunt_figures::disclosure::{self, Policy, Published, Table};
use knooppunt_policy::signals::{decide_signal, SignalAction};
use knooppunt_policy::tables::{grant, may_manage, may_report_action, scope, TableGrant};
use knooppunt_policy::Principal;
use knooppunt_store::knowledge as groups;
use knooppunt_store::policy_signals::SignalContent;
pub use knooppunt_store::tables::TableLine;
use knooppunt_store::tables::{self as store, ActionRow, MandateRow, MeetingRow, MemberRow, TableRow};
use knooppunt_store::{network, Tx};

const OBJECT: &str = "fenomeentafel";

/// The statuses of a table, in order, with their Dutch names.
pub const STATUSES: [(&str, &str); 3] = [("kwartiermaken", "Kwartiermaken"), ("actief", "Actief"), ("beeindigd", "Beëindigd")];
/// The sectors of a member.
pub const SECTORS: [(&str, &str); 3] = [("publiek", "Publiek"), ("privaat", "Privaat"), ("wetenschap", "Wetenschap")];
/// The kinds of an action.
pub const ACTION_KINDS: [(&str, &str); 4] = [
    ("wet-en-regelgeving", "Knelpunt in wet- en regelgeving"),
    ("informatiedeling", "Informatiedeling"),
    ("gelegenheidsstructuur", "Gelegenheidsstructuur"),
    ("handelingsperspectief", "Handelingsperspectief"),
];
/// The statuses of an action.
pub const ACTION_STATUSES: [(&str, &str); 3] = [("open", "Open"), ("lopend", "Lopend"), ("afgerond", "Afgerond")];

/// The Dutch name of a code of one of the lists above (the code itself when unknown).
pub fn name_of(list: &[(&'static str, &'static str)], code: &str) -> String {
    list.iter().find(|(c, _)| *c == code).map(|(_, n)| n.to_string()).unwrap_or_else(|| code.to_string())
}

/// A new table.
#[derive(Debug, Clone, Default)]
pub struct TableInput {
    pub name: String,
    /// A phenomenon code of the taxonomy.
    pub phenomenon: String,
}

/// A new membership.
#[derive(Debug, Clone, Default)]
pub struct MemberInput {
    pub organisation_id: Option<i64>,
    pub sector: String,
    pub part: String,
    /// dd-mm-jjjj or jjjj-mm-dd; empty: today.
    pub from: String,
}

/// A meeting to record.
#[derive(Debug, Clone, Default)]
pub struct MeetingInput {
    pub held_on: String,
    pub agenda: String,
    pub decisions: String,
    /// Member organisations present.
    pub present: Vec<i64>,
}

/// An action to add.
#[derive(Debug, Clone, Default)]
pub struct ActionInput {
    pub kind: String,
    pub title: String,
    pub owner: Option<i64>,
    pub due: String,
}

/// What a viewer sees of one table.
#[derive(Debug, Clone)]
pub struct TableView {
    pub table: TableRow,
    /// Newest first; the first is the mandate in force.
    pub mandates: Vec<MandateRow>,
    pub members: Vec<MemberRow>,
    /// Meetings and actions: for the members and the LIEC only (`None` for the rest of the
    /// network, which sees the table's face).
    pub work: Option<TableWorkView>,
    pub figures: TableFigures,
    pub can_manage: bool,
}

/// The phases the table's figures count dossiers in: (phase codes, column label).
pub const FIGURE_PHASES: [(&[&str], &str); 4] = [(&["signaal", "weging"], "Signaal"), (&["pre-casus"], "Pre-casus"), (&["casus"], "Casus"), (&["afgesloten"], "Afgesloten")];

/// The national figures about a table's phenomenon, drawn from the case files and protected
/// (counts of 1 to 4 hidden, and whatever would let them be worked back from the totals): no
/// case, no person, no text.
#[derive(Debug, Clone, PartialEq)]
pub struct TableFigures {
    /// The smallest count shown.
    pub k: u64,
    /// Dossiers per region (every region a row, whether it has any) and phase.
    pub regions: Vec<String>,
    pub phases: Vec<String>,
    pub cases: Published,
    /// Finished interventions per type of the catalogue (one column).
    pub types: Vec<String>,
    pub interventions: Published,
    /// The amounts of those interventions nationally, in whole euros: one row, the columns
    /// [`AMOUNT_KINDS`]; an amount fewer than `k` interventions contribute to is hidden.
    pub amounts: Published,
}

/// The kinds of amount of the table's figures.
pub const AMOUNT_KINDS: [&str; 3] = ["Geïnd", "Verrekend", "In beslag genomen"];

#[derive(Debug, Clone)]
pub struct TableWorkView {
    pub meetings: Vec<MeetingRow>,
    pub actions: Vec<ActionRow>,
    /// Actions whose status this viewer reports.
    pub reportable: Vec<i64>,
}

/// A date field: `None` and an error when it is not a date; empty stays empty.
fn date(invalid: &mut Invalid, field: &str, raw: &str) -> String {
    if raw.trim().is_empty() {
        return String::new();
    }
    invalid.check(field, parse_date(raw)).unwrap_or_default()
}

fn code_in(invalid: &mut Invalid, field: &str, raw: &str, list: &[(&str, &str)], what: &str) -> String {
    let raw = raw.trim();
    if list.iter().any(|(c, _)| *c == raw) {
        return raw.to_string();
    }
    let names: Vec<String> = list.iter().map(|(_, n)| format!("'{}'", n.to_lowercase())).collect();
    invalid.push(field, format!("Kies {what}: {}.", names.join(", ")));
    String::new()
}

impl App {
    /// Opens table `id` for `p` with its current member organisations: `NotFound` (audited)
    /// when it does not exist for `p`.
    async fn open_table_for(&self, ctx: &Ctx, p: &Principal, id: i64) -> Result<(Tx, TableRow, TableGrant, Vec<i64>), AppError> {
        let mut tx = self.begin().await?;
        if let Some((t, members)) = store::find(&mut tx, &scope(p), id).await? {
            if let Some(g) = grant(p, id, &members) {
                return Ok((tx, t, g, members));
            }
        }
        Err(self.refuse(Some(tx), ctx, &Object::new(OBJECT, id), "fenomeentafel niet zichtbaar", AppError::NotFound("fenomeentafel")).await)
    }

    /// Refuses (audited) unless the LIEC coordinator acts; `Forbidden` only after the table was
    /// found visible.
    async fn manage_table(&self, ctx: &Ctx, p: &Principal, id: i64) -> Result<(Tx, TableRow, TableGrant, Vec<i64>), AppError> {
        let (tx, t, g, members) = self.open_table_for(ctx, p, id).await?;
        let d = may_manage(p);
        if !d.allowed {
            return Err(self.refuse(Some(tx), ctx, &Object::new(OBJECT, id), d.reason, AppError::Forbidden(d.reason)).await);
        }
        Ok((tx, t, g, members))
    }

    /// The tables the principal sees: every table for the network, the own tables for a private
    /// member.
    pub async fn list_tables(&self, ctx: &Ctx) -> Result<Vec<TableLine>, AppError> {
        let p = ctx.principal()?.clone();
        let mut tx = self.begin().await?;
        let rows = store::list(&mut tx, &scope(&p)).await?;
        self.audit(&mut tx, ctx, "fenomeentafels-bekeken", &Object::new(OBJECT, "*"), Outcome::Ok, &format!("{} tafels", rows.len())).await?;
        commit(tx).await?;
        Ok(rows)
    }

    pub async fn table(&self, ctx: &Ctx, id: i64) -> Result<TableView, AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, table, g, _) = self.open_table_for(ctx, &p, id).await?;
        let mandates = store::mandates(&mut tx, &g).await?;
        let members = store::members(&mut tx, &g).await?;
        let work = match g.work() {
            Some(w) => {
                let actions = store::actions(&mut tx, w).await?;
                let reportable = actions.iter().filter(|a| may_report_action(&p, a.owner_id).allowed).map(|a| a.id).collect();
                Some(TableWorkView { meetings: store::meetings(&mut tx, w).await?, actions, reportable })
            }
            None => None,
        };
        let figures = self.table_figures(&mut tx, &g).await?;
        self.audit(&mut tx, ctx, "fenomeentafel-bekeken", &Object::new(OBJECT, id), Outcome::Ok, "").await?;
        commit(tx).await?;
        Ok(TableView { table, mandates, members, work, figures, can_manage: may_manage(&p).allowed })
    }

    /// Counts the table's figures and protects them before they leave this function.
    async fn table_figures(&self, tx: &mut Tx, g: &TableGrant) -> Result<TableFigures, AppError> {
        let policy = Policy::default();
        let all = network::list_regions(tx).await?;
        let regions: Vec<&knooppunt_store::network::RegionRow> = all.iter().filter(|r| r.kind == "riec" && r.merged_into_id.is_none()).collect();
        // A dossier of a merged region counts in the region it merged into.
        let row_of = |mut id: i64| -> Option<usize> {
            for _ in 0..all.len() {
                if let Some(i) = regions.iter().position(|r| r.id == id) {
                    return Some(i);
                }
                id = all.iter().find(|r| r.id == id)?.merged_into_id?;
            }
            None
        };
        let mut cells = vec![vec![0u64; FIGURE_PHASES.len()]; regions.len()];
        for (region, phase, n) in store::case_counts(tx, g).await? {
            let column = FIGURE_PHASES.iter().position(|(codes, _)| codes.contains(&phase.as_str()));
            if let (Some(r), Some(c)) = (row_of(region), column) {
                cells[r][c] += u64::try_from(n).unwrap_or(0);
            }
        }
        let types = store::intervention_types(tx).await?;
        let counts = store::intervention_counts(tx, g).await?;
        let interventions = Table { cells: types.iter().map(|(id, _)| vec![counts.iter().filter(|c| c.0 == *id).map(|c| u64::try_from(c.1).unwrap_or(0)).sum()]).collect() };
        let sums = store::intervention_amounts(tx, g).await?;
        let euros = Table { cells: vec![sums.iter().map(|(cents, _)| (u64::try_from(*cents).unwrap_or(0) + 50) / 100).collect()] };
        let contributors = Table { cells: vec![sums.iter().map(|(_, n)| u64::try_from(*n).unwrap_or(0)).collect()] };
        Ok(TableFigures {
            amounts: disclosure::protect_amounts(&euros, &contributors, &policy),
            k: policy.k,
            regions: regions.iter().map(|r| r.name.clone()).collect(),
            phases: FIGURE_PHASES.iter().map(|(_, l)| l.to_string()).collect(),
            cases: disclosure::protect(&Table { cells }, &policy),
            types: types.into_iter().map(|(_, n)| n).collect(),
            interventions: disclosure::protect(&interventions, &policy),
        })
    }

    /// The LIEC coordinator opens a table (status kwartiermaken) with its knowledge group; its id.
    pub async fn open_table(&self, ctx: &Ctx, input: &TableInput) -> Result<i64, AppError> {
        let p = ctx.principal()?.clone();
        let d = may_manage(&p);
        if !d.allowed {
            return Err(self.refuse(None, ctx, &Object::new(OBJECT, "nieuw"), d.reason, AppError::Forbidden(d.reason)).await);
        }
        let mut invalid = Invalid::default();
        let name = text(&mut invalid, "naam", &input.name, Some("Geef de tafel een naam, bijvoorbeeld 'Landelijke Fenomeentafel Vastgoed'."), 200);
        let mut tx = self.begin().await?;
        let today = crate::cases::today(self.now());
        let phenomenon = if input.phenomenon.trim().is_empty() {
            invalid.push("fenomeen", "Kies het fenomeen van de tafel.");
            None
        } else {
            resolve(&mut tx, Axis::Phenomenon, &today, std::slice::from_ref(&input.phenomenon), "fenomeen", &mut invalid).await?.first().copied()
        };
        if let Some(f) = phenomenon {
            if store::running_on(&mut tx, f).await? {
                invalid.push("fenomeen", "Voor dit fenomeen is al een tafel die niet is beëindigd.");
            }
        }
        if !name.is_empty() {
            let existing = groups::groups(&mut tx).await?;
            if existing.iter().any(|g| name_key(&g.name) == name_key(&name) || g.code == slug(&name)) {
                invalid.push("naam", "Deze naam is al in gebruik voor een tafel of kennisgroep; kies een andere.");
            }
        }
        invalid.into_result()?;
        let Some(phenomenon) = phenomenon else {
            return Err(AppError::Internal("checked above".into()));
        };
        let now = self.now();
        let group = groups::insert_group(&mut tx, &slug(&name), &name, "De leden van de landelijke fenomeentafel.", now).await?;
        let id = store::create(&mut tx, &name, phenomenon, &p.label, group, &p.label, now).await?;
        self.audit(&mut tx, ctx, "fenomeentafel-geopend", &Object::new(OBJECT, id), Outcome::Ok, &name).await?;
        commit(tx).await?;
        Ok(id)
    }

    /// Sets the status (the start date is today when a table becomes active without one, the
    /// end date today when it ends without one).
    pub async fn set_table_status(&self, ctx: &Ctx, id: i64, status: &str, started_on: &str, ended_on: &str, version: i64) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, _, _, _) = self.manage_table(ctx, &p, id).await?;
        let mut invalid = Invalid::default();
        let status = code_in(&mut invalid, "status", status, &STATUSES, "de status");
        let mut started = date(&mut invalid, "gestartOp", started_on);
        let mut ended = date(&mut invalid, "beeindigdOp", ended_on);
        if !started.is_empty() && !ended.is_empty() && ended < started {
            invalid.push("beeindigdOp", "De einddatum ligt voor de startdatum.");
        }
        invalid.into_result()?;
        let today = crate::cases::today(self.now());
        if status != "kwartiermaken" && started.is_empty() {
            started = today.clone();
        }
        if status == "beeindigd" && ended.is_empty() {
            ended = today;
        } else if status != "beeindigd" {
            ended.clear();
        }
        if !store::set_status(&mut tx, id, &status, &started, &ended, version, self.now()).await? {
            return Err(AppError::Conflict(crate::cases::STALE.into()));
        }
        self.audit(&mut tx, ctx, "fenomeentafel-status", &Object::new(OBJECT, id), Outcome::Ok, &status).await?;
        commit(tx).await
    }

    /// Records a new version of the mandate with the body that endorsed it.
    pub async fn add_table_mandate(&self, ctx: &Ctx, id: i64, body: &str, endorsed_by: &str, endorsed_on: &str) -> Result<i64, AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, _, _, _) = self.manage_table(ctx, &p, id).await?;
        let mut invalid = Invalid::default();
        let body = text(&mut invalid, "tekst", body, Some("Beschrijf de opdracht van de tafel."), 10_000);
        let by = text(&mut invalid, "vastgesteldDoor", endorsed_by, Some("Noem wie de opdracht vaststelde, bijvoorbeeld het Landelijk Strategisch Overleg."), 200);
        let on = date(&mut invalid, "vastgesteldOp", endorsed_on);
        if endorsed_on.trim().is_empty() {
            invalid.push("vastgesteldOp", "Vul de datum van vaststelling in.");
        }
        invalid.into_result()?;
        let version = store::add_mandate(&mut tx, id, &body, &by, &on, &p.label, self.now()).await?;
        store::touch(&mut tx, id, self.now()).await?;
        self.audit(&mut tx, ctx, "fenomeentafel-opdracht", &Object::new(OBJECT, id), Outcome::Ok, &format!("versie {version}")).await?;
        commit(tx).await?;
        Ok(version)
    }

    /// Keeps the table's knowledge group equal to its current members.
    async fn sync_group(&self, tx: &mut Tx, table: &TableRow) -> Result<(), AppError> {
        let members = store::current_members(tx, table.id).await?;
        groups::set_members(tx, table.group_id, &members).await?;
        Ok(())
    }

    pub async fn add_table_member(&self, ctx: &Ctx, id: i64, input: &MemberInput) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, table, _, members) = self.manage_table(ctx, &p, id).await?;
        let mut invalid = Invalid::default();
        let org = match input.organisation_id {
            Some(o) => network::find_organisation(&mut tx, o).await?,
            None => None,
        };
        if org.is_none() {
            invalid.push("organisatieId", "Kies een organisatie uit de lijst.");
        }
        let sector = code_in(&mut invalid, "sector", &input.sector, &SECTORS, "de sector");
        let part = text(&mut invalid, "rol", &input.part, Some("Beschrijf de rol aan tafel, bijvoorbeeld 'lid' of 'voorzitter'."), 200);
        let from = date(&mut invalid, "vanaf", &input.from);
        invalid.into_result()?;
        let Some(org) = org else {
            return Err(AppError::Internal("checked above".into()));
        };
        if members.contains(&org.id) {
            return Err(AppError::Conflict(format!("{} zit al aan deze tafel.", org.name)));
        }
        let from = if from.is_empty() { crate::cases::today(self.now()) } else { from };
        store::add_member(&mut tx, id, org.id, &sector, &part, &from, &p.label, self.now()).await?;
        self.sync_group(&mut tx, &table).await?;
        store::touch(&mut tx, id, self.now()).await?;
        self.audit(&mut tx, ctx, "fenomeentafel-lid-toegevoegd", &Object::new(OBJECT, id), Outcome::Ok, &org.name).await?;
        commit(tx).await
    }

    /// Ends a membership today: the organisation leaves the table and its knowledge group.
    pub async fn end_table_member(&self, ctx: &Ctx, id: i64, member_id: i64) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, table, _, _) = self.manage_table(ctx, &p, id).await?;
        let today = crate::cases::today(self.now());
        let Some(org) = store::end_member(&mut tx, id, member_id, &today).await? else {
            return Err(AppError::Conflict("Dit lidmaatschap is al beëindigd of hoort niet bij deze tafel.".into()));
        };
        self.sync_group(&mut tx, &table).await?;
        store::touch(&mut tx, id, self.now()).await?;
        self.audit(&mut tx, ctx, "fenomeentafel-lid-beeindigd", &Object::new(OBJECT, id), Outcome::Ok, &format!("organisatie {org}")).await?;
        commit(tx).await
    }

    pub async fn add_table_meeting(&self, ctx: &Ctx, id: i64, input: &MeetingInput) -> Result<i64, AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, _, _, members) = self.manage_table(ctx, &p, id).await?;
        let mut invalid = Invalid::default();
        let held = date(&mut invalid, "datum", &input.held_on);
        if input.held_on.trim().is_empty() {
            invalid.push("datum", "Vul de datum van het overleg in.");
        }
        let agenda = text(&mut invalid, "agenda", &input.agenda, Some("Vul de agenda in."), 10_000);
        let decisions = text(&mut invalid, "besluiten", &input.decisions, None, 10_000);
        let mut present = input.present.clone();
        present.sort_unstable();
        present.dedup();
        if present.iter().any(|o| !members.contains(o)) {
            invalid.push("aanwezig", "Kies bij de aanwezigen alleen organisaties die aan de tafel zitten.");
        }
        invalid.into_result()?;
        let meeting = store::add_meeting(&mut tx, id, &held, &agenda, &decisions, &present, &p.label, self.now()).await?;
        store::touch(&mut tx, id, self.now()).await?;
        self.audit(&mut tx, ctx, "fenomeentafel-overleg", &Object::new(OBJECT, id), Outcome::Ok, &format!("overleg {meeting}, {} aanwezig", present.len())).await?;
        commit(tx).await?;
        Ok(meeting)
    }

    pub async fn add_table_action(&self, ctx: &Ctx, id: i64, input: &ActionInput) -> Result<i64, AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, _, _, members) = self.manage_table(ctx, &p, id).await?;
        let mut invalid = Invalid::default();
        let kind = code_in(&mut invalid, "soort", &input.kind, &ACTION_KINDS, "de soort actie");
        let title = text(&mut invalid, "titel", &input.title, Some("Beschrijf de actie."), 500);
        let due = date(&mut invalid, "deadline", &input.due);
        let owner = input.owner.filter(|o| members.contains(o));
        if owner.is_none() {
            invalid.push("trekkerId", "Kies als trekker een organisatie die aan de tafel zit.");
        }
        invalid.into_result()?;
        let Some(owner) = owner else {
            return Err(AppError::Internal("checked above".into()));
        };
        let action = store::add_action(&mut tx, id, &kind, &title, owner, &due, &p.label, self.now()).await?;
        store::touch(&mut tx, id, self.now()).await?;
        self.audit(&mut tx, ctx, "fenomeentafel-actie", &Object::new(OBJECT, id), Outcome::Ok, &format!("actie {action}")).await?;
        commit(tx).await?;
        Ok(action)
    }

    /// The LIEC or the owning organisation reports an action's status.
    pub async fn set_table_action_status(&self, ctx: &Ctx, id: i64, action_id: i64, status: &str) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, _, g, _) = self.open_table_for(ctx, &p, id).await?;
        let found = match g.work() {
            Some(w) => store::action_owner(&mut tx, w, action_id).await?,
            None => None,
        };
        let Some((owner, _, _)) = found else {
            return Err(self.refuse(Some(tx), ctx, &Object::new(OBJECT, id), "actie niet zichtbaar", AppError::NotFound("actie")).await);
        };
        let d = may_report_action(&p, owner);
        if !d.allowed {
            return Err(self.refuse(Some(tx), ctx, &Object::new(OBJECT, id), d.reason, AppError::Forbidden(d.reason)).await);
        }
        let mut invalid = Invalid::default();
        let status = code_in(&mut invalid, "status", status, &ACTION_STATUSES, "de status");
        invalid.into_result()?;
        store::set_action_status(&mut tx, id, action_id, &status, &p.label, self.now()).await?;
        store::touch(&mut tx, id, self.now()).await?;
        self.audit(&mut tx, ctx, "fenomeentafel-actie-status", &Object::new(OBJECT, id), Outcome::Ok, &format!("actie {action_id}: {status}")).await?;
        commit(tx).await
    }

    /// The LIEC turns an action into a draft bestuurlijk signaal of its own organisation (the
    /// table's phenomenon, the action as the weak spot) and links it; the signal's id. The draft
    /// is then completed and offered to the desk as any signal.
    pub async fn table_action_to_signal(&self, ctx: &Ctx, id: i64, action_id: i64) -> Result<i64, AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, table, g, _) = self.manage_table(ctx, &p, id).await?;
        let found = match g.work() {
            Some(w) => store::action_owner(&mut tx, w, action_id).await?,
            None => None,
        };
        let Some((_, title, kind)) = found else {
            return Err(self.refuse(Some(tx), ctx, &Object::new(OBJECT, id), "actie niet zichtbaar", AppError::NotFound("actie")).await);
        };
        let d = decide_signal(&p, SignalAction::Create, None);
        if !d.allowed {
            return Err(self.refuse(Some(tx), ctx, &Object::new(OBJECT, id), d.reason, AppError::Forbidden(d.reason)).await);
        }
        let input = SignalInput {
            content: SignalContent {
                title: title.chars().take(200).collect(),
                weakness: format!("{}: {title}", name_of(&ACTION_KINDS, &kind)),
                source_reference: format!("{}, actie {action_id}", table.name),
                ..SignalContent::default()
            },
            phenomena: vec![table.phenomenon_code.clone()],
            ministries: Vec::new(),
        };
        let (signal, reference) = self.draft_signal(&mut tx, ctx, &p, &input).await?;
        if !store::link_signal(&mut tx, id, action_id, signal, &reference, &p.label, self.now()).await? {
            return Err(AppError::Conflict("Van deze actie is al een bestuurlijk signaal gemaakt.".into()));
        }
        store::touch(&mut tx, id, self.now()).await?;
        self.audit(&mut tx, ctx, "fenomeentafel-actie-signaal", &Object::new(OBJECT, id), Outcome::Ok, &format!("actie {action_id}: {reference}")).await?;
        commit(tx).await?;
        Ok(signal)
    }
}
