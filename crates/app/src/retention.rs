//! Retention (*bewaartermijnen*): the privacy officer's rules, the cases whose period has passed,
//! extensions with a reason and legal holds that block destruction. Rules are reference data
//! (every change audited); the due list shows a case's reference, region and dates only.

use crate::cases::text;
use crate::{commit, App, AppError, Ctx, Object, Outcome};
use chrono::Months;
use knooppunt_domain::case::{parse_date, CasePhase};
use knooppunt_domain::retention::{HoldGround, RetentionAction, RetentionTrigger, APPROACH, CASE, DESK_SIGNAL, ITEM, MAX_PERIOD_MONTHS, SUPPORT};
use knooppunt_domain::Invalid;
use knooppunt_policy::retention::{may_manage_rules, retention_scope, RetentionScope};
use knooppunt_store::retention::{self as store, CaseTrigger, Destroyed, DestructionRow, DueCase, HoldRow, NewDestruction, NewHold, RuleChange, RuleRow};
use std::collections::BTreeMap;

/// How many destruction records the overview shows.
pub const DESTRUCTIONS_SHOWN: i64 = 20;

/// The most cases a due list shows per rule; the count says how many there are.
pub const DUE_PAGE: i64 = 200;

/// A rule as the UI and API show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub row: RuleRow,
    pub trigger: Option<RetentionTrigger>,
    pub action: Option<RetentionAction>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionRules {
    pub rules: Vec<Rule>,
    /// Whether the user may confirm or change them (the privacy officer).
    pub can_change: bool,
}

/// What is due under one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueGroup {
    pub rule: Rule,
    pub cases: Vec<DueCase>,
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueOverview {
    pub groups: Vec<DueGroup>,
    pub holds: Vec<HoldRow>,
    /// Whether the user may extend, hold or destroy (not only list).
    pub can_decide: bool,
    /// `None`: every region; otherwise the number of regions the list covers.
    pub regions: Option<usize>,
    /// The newest destruction records (no personal data).
    pub destructions: Vec<DestructionRow>,
}

/// A change of one rule as typed in the form or sent to the API.
#[derive(Debug, Clone, Default)]
pub struct RuleInput {
    pub period_months: String,
    pub action: String,
    pub source: String,
    pub version: i64,
}

/// The same decision for one or more cases.
#[derive(Debug, Clone, Default)]
pub struct ExtendInput {
    pub cases: Vec<i64>,
    /// The national desk's administrative signals (privacy officer only).
    pub signals: Vec<i64>,
    /// National approaches (privacy officer only).
    pub approaches: Vec<i64>,
    /// Items their suppliers withdrew.
    pub items: Vec<i64>,
    /// Closed support requests of the LIEC's specialist support.
    pub support: Vec<i64>,
    /// The new end of the period, `dd-mm-jjjj` or `YYYY-MM-DD`.
    pub until: String,
    pub reason: String,
}

/// Destroying one or more cases: cannot be undone, so it must be confirmed.
#[derive(Debug, Clone, Default)]
pub struct DestroyInput {
    pub cases: Vec<i64>,
    pub signals: Vec<i64>,
    pub approaches: Vec<i64>,
    pub items: Vec<i64>,
    pub support: Vec<i64>,
    pub confirmed: bool,
}

#[derive(Debug, Clone, Default)]
pub struct HoldInput {
    pub cases: Vec<i64>,
    pub signals: Vec<i64>,
    pub approaches: Vec<i64>,
    pub items: Vec<i64>,
    pub support: Vec<i64>,
    pub ground: String,
    pub reason: String,
}

fn view(row: RuleRow) -> Rule {
    Rule { trigger: RetentionTrigger::parse(&row.trigger_event).ok(), action: RetentionAction::parse(&row.action).ok(), row }
}

/// Which cases a trigger applies to (`None` for a trigger of another kind of object).
pub fn case_trigger(t: RetentionTrigger) -> Option<CaseTrigger<'static>> {
    match t {
        RetentionTrigger::SignalRejected => Some(CaseTrigger { phase: CasePhase::Rejected.code(), reached_case: None }),
        RetentionTrigger::PreCaseEnded => Some(CaseTrigger { phase: CasePhase::Closed.code(), reached_case: Some(false) }),
        RetentionTrigger::CaseClosed => Some(CaseTrigger { phase: CasePhase::Closed.code(), reached_case: Some(true) }),
        RetentionTrigger::DeskSignalClosed | RetentionTrigger::ApproachEnded | RetentionTrigger::ItemWithdrawn | RetentionTrigger::SupportClosed => None,
    }
}

/// What is due under one rule in `scope` at `now`: at most `limit` objects, and how many.
async fn due_under(tx: &mut knooppunt_store::Tx, scope: &RetentionScope, trigger: RetentionTrigger, months: i64, now: i64, limit: i64) -> Result<(Vec<DueCase>, i64), AppError> {
    Ok(match (case_trigger(trigger), trigger) {
        (Some(t), _) => store::due_cases(&mut *tx, scope, t, cutoff(now, months), now, limit).await?,
        (None, RetentionTrigger::ApproachEnded) => store::due_approaches(&mut *tx, scope, cutoff(now, months), now, limit).await?,
        (None, RetentionTrigger::ItemWithdrawn) => store::due_items(&mut *tx, scope, cutoff(now, months), now, limit).await?,
        (None, RetentionTrigger::SupportClosed) => store::due_support(&mut *tx, scope, cutoff(now, months), now, limit).await?,
        (None, _) => store::due_signals(&mut *tx, scope, cutoff(now, months), now, limit).await?,
    })
}

/// The moment before which a trigger must have happened for a period of `months` to have passed
/// at `now` (calendar months, UTC).
pub fn cutoff(now: i64, months: i64) -> i64 {
    let months = u32::try_from(months.clamp(0, MAX_PERIOD_MONTHS)).unwrap_or(0);
    chrono::DateTime::from_timestamp_millis(now).and_then(|d| d.checked_sub_months(Months::new(months))).map(|d| d.timestamp_millis()).unwrap_or(i64::MIN)
}

/// The trigger of a finished case: rejected, a pre-case ended, or a case closed.
/// What a destruction decision can take: how the form's fields, the messages, the audit and
/// the destruction record name each kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Destroyable {
    Case,
    DeskSignal,
    Item,
    Approach,
    Support,
}

impl Destroyable {
    fn of(kind: &str) -> Self {
        match kind {
            CASE => Destroyable::Case,
            DESK_SIGNAL => Destroyable::DeskSignal,
            ITEM => Destroyable::Item,
            SUPPORT => Destroyable::Support,
            _ => Destroyable::Approach,
        }
    }

    /// The form field that lists this kind.
    fn field(self) -> &'static str {
        match self {
            Destroyable::Case => "casussen",
            Destroyable::DeskSignal => "signalen",
            Destroyable::Item => "bijdragen",
            Destroyable::Approach => "aanpakken",
            Destroyable::Support => "ondersteuningsvragen",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Destroyable::Case => "dossier",
            Destroyable::DeskSignal => "signaal",
            Destroyable::Item => "bijdrage",
            Destroyable::Approach => "aanpak",
            Destroyable::Support => "ondersteuningsvraag",
        }
    }

    /// The noun at the start of a sentence.
    fn who(self) -> &'static str {
        match self {
            Destroyable::Case => "Dossier",
            Destroyable::DeskSignal => "Signaal",
            Destroyable::Item => "Bijdrage",
            Destroyable::Approach => "Aanpak",
            Destroyable::Support => "Ondersteuningsvraag",
        }
    }

    /// The rule's trigger: a case's by the phase it ended in, the others' by their kind.
    fn trigger(self, row: &DueCase, reached_case: bool) -> Option<RetentionTrigger> {
        match self {
            Destroyable::Case => trigger_of(row, reached_case),
            Destroyable::DeskSignal => Some(RetentionTrigger::DeskSignalClosed),
            Destroyable::Item => Some(RetentionTrigger::ItemWithdrawn),
            Destroyable::Approach => Some(RetentionTrigger::ApproachEnded),
            Destroyable::Support => Some(RetentionTrigger::SupportClosed),
        }
    }

    /// The audit action of destroying one.
    fn action(self) -> &'static str {
        match self {
            Destroyable::Case => "casus-vernietigd",
            Destroyable::DeskSignal => "bestuurlijk-signaal-vernietigd",
            Destroyable::Item => "informatiebijdrage-vernietigd",
            Destroyable::Approach => "landelijke-aanpak-vernietigd",
            Destroyable::Support => "ondersteuningsvraag-vernietigd",
        }
    }

    /// What a destruction record of `objects` of this kind removed, in words.
    fn record(self, objects: i64, removed: &Destroyed) -> String {
        match self {
            Destroyable::Case => format!("{objects} dossiers, {} betrokkenen, {} bijdragen, {} bijlagen", removed.subjects, removed.items, removed.attachments),
            Destroyable::DeskSignal => format!("{objects} bestuurlijke signalen, {} berichten, {} bijlagen", removed.items, removed.attachments),
            Destroyable::Item => format!("{objects} ingetrokken bijdragen, {} bijlagen", removed.attachments),
            Destroyable::Approach => format!("{objects} landelijke aanpakken, {} acties", removed.items),
            Destroyable::Support => format!("{objects} ondersteuningsvragen, {} berichten, {} bijlagen", removed.items, removed.attachments),
        }
    }
}

fn trigger_of(case: &DueCase, reached_case: bool) -> Option<RetentionTrigger> {
    match CasePhase::parse(&case.phase).ok()? {
        CasePhase::Rejected => Some(RetentionTrigger::SignalRejected),
        CasePhase::Closed if reached_case => Some(RetentionTrigger::CaseClosed),
        CasePhase::Closed => Some(RetentionTrigger::PreCaseEnded),
        _ => None,
    }
}

/// What a decision is about (cases, desk signals, approaches, withdrawn items, support
/// requests), each list without doubles; at least one in all, at most a page of each.
fn targets(invalid: &mut Invalid, lists: Lists<'_>) -> Chosen {
    let Lists { cases, signals, approaches, items, support } = lists;
    let clean = |list: &[i64]| {
        let mut ids = list.to_vec();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let chosen = Chosen { cases: clean(cases), signals: clean(signals), approaches: clean(approaches), items: clean(items), support: clean(support) };
    if chosen.cases.is_empty() && chosen.signals.is_empty() && chosen.approaches.is_empty() && chosen.items.is_empty() && chosen.support.is_empty() {
        invalid.push("casussen", "Kies ten minste één dossier.");
    }
    for (field, list, noun) in [
        ("casussen", &chosen.cases, "dossiers"),
        ("signalen", &chosen.signals, "signalen"),
        ("aanpakken", &chosen.approaches, "aanpakken"),
        ("bijdragen", &chosen.items, "bijdragen"),
        ("ondersteuningsvragen", &chosen.support, "ondersteuningsvragen"),
    ] {
        if list.len() > DUE_PAGE as usize {
            invalid.push(field, format!("Kies hoogstens {DUE_PAGE} {noun} tegelijk."));
        }
    }
    chosen
}

/// The ids of a decision, per kind of object.
struct Chosen {
    cases: Vec<i64>,
    signals: Vec<i64>,
    approaches: Vec<i64>,
    items: Vec<i64>,
    support: Vec<i64>,
}

/// The ids a decision names, per kind of object, as typed.
#[derive(Clone, Copy)]
struct Lists<'a> {
    cases: &'a [i64],
    signals: &'a [i64],
    approaches: &'a [i64],
    items: &'a [i64],
    support: &'a [i64],
}

/// One object of a retention decision: its kind, what the due list shows of it, and for a case
/// whether it ever became a case.
struct Target {
    kind: &'static str,
    row: DueCase,
    reached_case: bool,
}

impl App {
    fn retention_refusal(&self, ctx: &Ctx, reason: &'static str) -> impl std::future::Future<Output = AppError> + '_ {
        let ctx = ctx.clone();
        async move { self.refuse(None, &ctx, &Object::new("bewaartermijn", "*"), reason, AppError::Forbidden(reason)).await }
    }

    async fn scope_for_retention(&self, ctx: &Ctx) -> Result<RetentionScope, AppError> {
        let p = ctx.principal()?;
        match retention_scope(p) {
            Some(s) => Ok(s),
            None => Err(self.retention_refusal(ctx, "alleen de privacyfunctionaris of een RIEC-manager beoordeelt bewaartermijnen").await),
        }
    }

    /// The retention rules, for everyone who keeps or applies them.
    pub async fn retention_rules(&self, ctx: &Ctx) -> Result<RetentionRules, AppError> {
        let p = ctx.principal()?.clone();
        let can_change = may_manage_rules(&p).allowed;
        if !can_change {
            self.scope_for_retention(ctx).await?;
        }
        let mut tx = self.begin_read().await?;
        let rules = store::rules(&mut tx).await?;
        commit(tx).await?;
        Ok(RetentionRules { rules: rules.into_iter().map(view).collect(), can_change })
    }

    /// Confirms or changes one rule (the privacy officer); audited with the old and new values.
    pub async fn change_retention_rule(&self, ctx: &Ctx, code: &str, input: &RuleInput) -> Result<Rule, AppError> {
        let p = ctx.principal()?.clone();
        let d = may_manage_rules(&p);
        if !d.allowed {
            return Err(self.retention_refusal(ctx, d.reason).await);
        }
        let mut invalid = Invalid::default();
        let raw = input.period_months.trim();
        let period = match raw.parse::<i64>() {
            Ok(n) if (1..=MAX_PERIOD_MONTHS).contains(&n) => n,
            _ if raw.is_empty() => {
                invalid.push("termijn", "Vul de termijn in maanden in.");
                0
            }
            _ => {
                invalid.push("termijn", format!("Vul een heel aantal maanden in, van 1 tot en met {MAX_PERIOD_MONTHS}."));
                0
            }
        };
        let action = invalid.check("actie", RetentionAction::parse(&input.action));
        let source = text(&mut invalid, "bron", &input.source, Some("Noem de bron: het artikel van het convenant, het privacyprotocol of de selectielijst."), 500);
        let mut tx = self.begin().await?;
        let Some(old) = store::find_rule(&mut tx, code).await? else {
            return Err(AppError::NotFound("bewaartermijn"));
        };
        invalid.into_result()?;
        let action = action.ok_or_else(|| AppError::Internal("action checked above".into()))?;
        let change = RuleChange { period_months: period, action: action.code(), source: &source };
        if !store::update_rule(&mut tx, code, &change, input.version, &p.label, self.now()).await? {
            return Err(AppError::Conflict(crate::cases::STALE.into()));
        }
        let name = RetentionTrigger::parse(&old.trigger_event).map(RetentionTrigger::label).unwrap_or("regel");
        let was = RetentionAction::parse(&old.action).map(RetentionAction::label).unwrap_or("onbekend");
        let detail = format!("{name}: {period} maanden, {} (was {} maanden, {})", action.label().to_lowercase(), old.period_months, was.to_lowercase());
        self.audit(&mut tx, ctx, "bewaartermijn-vastgesteld", &Object::new("bewaartermijn", code), Outcome::Ok, &detail).await?;
        let row = store::find_rule(&mut tx, code).await?.ok_or(AppError::NotFound("bewaartermijn"))?;
        commit(tx).await?;
        Ok(view(row))
    }

    /// What is due under every rule in the user's scope, and the active legal holds.
    pub async fn retention_due(&self, ctx: &Ctx) -> Result<DueOverview, AppError> {
        let scope = self.scope_for_retention(ctx).await?;
        let now = self.now();
        let mut tx = self.begin_read().await?;
        let mut groups = Vec::new();
        for row in store::rules(&mut tx).await? {
            let rule = view(row);
            let Some(trigger) = rule.trigger else { continue };
            if trigger.is_national() && !scope.covers_national() {
                continue;
            }
            let (cases, total) = due_under(&mut tx, &scope, trigger, rule.row.period_months, now, DUE_PAGE).await?;
            groups.push(DueGroup { rule, cases, total });
        }
        let holds = store::holds(&mut tx, &scope).await?;
        let destructions = store::destructions(&mut tx, DESTRUCTIONS_SHOWN).await?;
        commit(tx).await?;
        let total: i64 = groups.iter().map(|g| g.total).sum();
        self.log_plain_read(ctx, "bewaartermijnen-bekeken", &Object::new("bewaartermijn", "*"), &format!("{total} dossiers te beoordelen, {} met bewaarplicht", holds.len()))
            .await?;
        Ok(DueOverview { groups, holds, can_decide: scope.decides(), regions: scope.regions().map(<[i64]>::len), destructions })
    }

    /// How many cases in the user's scope are due under any rule ("Mijn werk"); `None` without
    /// a retention scope.
    pub(crate) async fn count_due(&self, tx: &mut knooppunt_store::Tx, scope: &RetentionScope) -> Result<i64, AppError> {
        let now = self.now();
        let mut n = 0;
        for row in store::rules(&mut *tx).await? {
            let Ok(trigger) = RetentionTrigger::parse(&row.trigger_event) else { continue };
            let (_, total) = due_under(&mut *tx, scope, trigger, row.period_months, now, 0).await?;
            n += total;
        }
        Ok(n)
    }

    /// The cases and desk signals a decision is about, each finished, not destroyed and in the
    /// scope; the first one that is not is named in the error (as not found: the user learns
    /// nothing more).
    async fn decision_targets(&self, tx: &mut knooppunt_store::Tx, scope: &RetentionScope, chosen: &Chosen) -> Result<Vec<Target>, AppError> {
        let mut out = Vec::new();
        for id in &chosen.cases {
            let Some(row) = store::finished_case(&mut *tx, scope, *id).await? else {
                return Err(Invalid::one("casussen", format!("Dossier {id} is er niet, is nog niet afgesloten of valt niet onder uw bewaartermijnen.")).into());
            };
            let reached_case = store::reached_case(&mut *tx, *id).await?;
            out.push(Target { kind: CASE, row, reached_case });
        }
        for id in &chosen.signals {
            let Some(row) = store::finished_signal(&mut *tx, scope, *id).await? else {
                return Err(Invalid::one("signalen", format!("Signaal {id} is er niet, is nog niet afgesloten of valt niet onder uw bewaartermijnen.")).into());
            };
            out.push(Target { kind: DESK_SIGNAL, row, reached_case: false });
        }
        for id in &chosen.approaches {
            let Some(row) = store::finished_approach(&mut *tx, scope, *id).await? else {
                return Err(Invalid::one("aanpakken", format!("Aanpak {id} is er niet, is nog niet afgerond of valt niet onder uw bewaartermijnen.")).into());
            };
            out.push(Target { kind: APPROACH, row, reached_case: false });
        }
        for id in &chosen.items {
            let Some(row) = store::withdrawn_item(&mut *tx, scope, *id).await? else {
                return Err(Invalid::one("bijdragen", format!("Bijdrage {id} is er niet, is niet ingetrokken of valt niet onder uw bewaartermijnen.")).into());
            };
            out.push(Target { kind: ITEM, row, reached_case: false });
        }
        for id in &chosen.support {
            let Some(row) = store::closed_support(&mut *tx, scope, *id).await? else {
                return Err(
                    Invalid::one("ondersteuningsvragen", format!("Ondersteuningsvraag {id} is er niet, is nog niet gesloten of valt niet onder uw bewaartermijnen.")).into()
                );
            };
            out.push(Target { kind: SUPPORT, row, reached_case: false });
        }
        Ok(out)
    }

    /// Extends the period of one or more finished cases until a day, with a reason.
    pub async fn extend_retention(&self, ctx: &Ctx, input: &ExtendInput) -> Result<usize, AppError> {
        let scope = self.scope_for_retention(ctx).await?;
        if !scope.decides() {
            return Err(self.retention_refusal(ctx, "alleen de privacyfunctionaris of een RIEC-manager verlengt een bewaartermijn").await);
        }
        let p = ctx.principal()?.clone();
        let now = self.now();
        let mut invalid = Invalid::default();
        let chosen = targets(&mut invalid, Lists { cases: &input.cases, signals: &input.signals, approaches: &input.approaches, items: &input.items, support: &input.support });
        let until = match parse_date(&input.until) {
            Ok(day) => match chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)).map(|d| d.and_utc().timestamp_millis()) {
                Some(ms) if ms > now => Some(ms),
                _ => {
                    invalid.push("tot", "Kies een dag in de toekomst.");
                    None
                }
            },
            Err(m) => {
                invalid.push("tot", m);
                None
            }
        };
        let reason = text(&mut invalid, "reden", &input.reason, Some("Geef de reden van de verlenging; die komt in de verantwoording."), 2_000);
        invalid.into_result()?;
        let until = until.ok_or_else(|| AppError::Internal("until checked above".into()))?;
        let mut tx = self.begin().await?;
        let chosen = self.decision_targets(&mut tx, &scope, &chosen).await?;
        for t in &chosen {
            store::extend(&mut tx, t.kind, t.row.id, until, &reason, &p.label, now).await?;
            let day = chrono::DateTime::from_timestamp_millis(until).map(|d| d.format("%d-%m-%Y").to_string()).unwrap_or_default();
            self.audit(&mut tx, ctx, "bewaartermijn-verlengd", &Object::new(t.kind, t.row.id), Outcome::Ok, &format!("tot {day}")).await?;
        }
        commit(tx).await?;
        Ok(chosen.len())
    }

    /// Places a legal hold on one or more finished cases: they are not destroyed until it is
    /// lifted.
    pub async fn place_legal_hold(&self, ctx: &Ctx, input: &HoldInput) -> Result<usize, AppError> {
        let scope = self.scope_for_retention(ctx).await?;
        if !scope.decides() {
            return Err(self.retention_refusal(ctx, "alleen de privacyfunctionaris of een RIEC-manager legt een bewaarplicht op").await);
        }
        let p = ctx.principal()?.clone();
        let mut invalid = Invalid::default();
        let chosen = targets(&mut invalid, Lists { cases: &input.cases, signals: &input.signals, approaches: &input.approaches, items: &input.items, support: &input.support });
        let ground = invalid.check("grond", HoldGround::parse(&input.ground));
        let reason = text(&mut invalid, "reden", &input.reason, Some("Beschrijf de bewaarplicht, bijvoorbeeld het zaaknummer van de rechtbank."), 2_000);
        invalid.into_result()?;
        let ground = ground.ok_or_else(|| AppError::Internal("ground checked above".into()))?;
        let mut tx = self.begin().await?;
        let chosen = self.decision_targets(&mut tx, &scope, &chosen).await?;
        for t in &chosen {
            if store::is_held(&mut tx, t.kind, t.row.id).await? {
                continue;
            }
            let hold = NewHold { object_kind: t.kind, object_id: t.row.id, ground: ground.code(), reason: &reason, by: &p.label };
            let id = store::place_hold(&mut tx, &hold, self.now()).await?;
            self.audit(&mut tx, ctx, "bewaarplicht-opgelegd", &Object::new(t.kind, t.row.id), Outcome::Ok, &format!("bewaarplicht {id}: {}", ground.label().to_lowercase()))
                .await?;
        }
        commit(tx).await?;
        Ok(chosen.len())
    }

    /// Destroys the personal data of finished cases whose period has passed (not held, not
    /// extended): see `store::retention::destroy_case` for what goes and what the figures keep.
    /// One destruction record per rule, one audit line per case, all in one transaction.
    pub async fn destroy_cases(&self, ctx: &Ctx, input: &DestroyInput) -> Result<usize, AppError> {
        let scope = self.scope_for_retention(ctx).await?;
        if !scope.decides() {
            return Err(self.retention_refusal(ctx, "alleen de privacyfunctionaris of een RIEC-manager vernietigt dossiers").await);
        }
        let p = ctx.principal()?.clone();
        let now = self.now();
        let mut invalid = Invalid::default();
        let chosen = targets(&mut invalid, Lists { cases: &input.cases, signals: &input.signals, approaches: &input.approaches, items: &input.items, support: &input.support });
        if !input.confirmed {
            invalid.push("bevestigd", "Bevestig dat u begrijpt dat vernietigen niet ongedaan kan worden.");
        }
        invalid.into_result()?;
        let mut tx = self.begin().await?;
        let rules: BTreeMap<String, RuleRow> = store::rules(&mut tx).await?.into_iter().map(|r| (r.trigger_event.clone(), r)).collect();
        let chosen = self.decision_targets(&mut tx, &scope, &chosen).await?;
        let mut invalid = Invalid::default();
        let mut plan = Vec::new();
        for t in &chosen {
            let kind = Destroyable::of(t.kind);
            let (field, noun, who) = (kind.field(), kind.noun(), kind.who());
            let trigger = kind.trigger(&t.row, t.reached_case);
            // An item is named by its number and its case's reference.
            let name = if kind == Destroyable::Item { format!("{} in dossier {}", t.row.id, t.row.reference) } else { t.row.reference.clone() };
            let rule = trigger.and_then(|t| rules.get(t.code()).map(|r| (t, r)));
            let Some((trigger, rule)) = rule else {
                invalid.push(field, format!("Voor {noun} {name} geldt geen bewaartermijn."));
                continue;
            };
            let before = cutoff(now, rule.period_months);
            let due = match (case_trigger(trigger), kind) {
                (Some(ct), _) => store::is_due(&mut tx, &scope, ct, before, now, t.row.id).await?,
                (None, Destroyable::DeskSignal) => store::is_signal_due(&mut tx, &scope, before, now, t.row.id).await?,
                (None, Destroyable::Item) => store::is_item_due(&mut tx, &scope, before, now, t.row.id).await?,
                (None, Destroyable::Support) => store::is_support_due(&mut tx, &scope, before, now, t.row.id).await?,
                (None, _) => store::is_approach_due(&mut tx, &scope, before, now, t.row.id).await?,
            };
            if store::is_held(&mut tx, t.kind, t.row.id).await? {
                invalid.push(field, format!("{who} {name} heeft een bewaarplicht; hef die eerst op."));
            } else if !due {
                invalid.push(field, format!("De bewaartermijn van {noun} {name} is nog niet verstreken of is verlengd."));
            } else {
                plan.push((t.kind, t.row.id, rule.code.clone(), trigger));
            }
        }
        invalid.into_result()?;
        let mut per_rule: BTreeMap<(String, &'static str), (i64, Destroyed)> = BTreeMap::new();
        for (kind, id, code, trigger) in &plan {
            let d = match Destroyable::of(kind) {
                Destroyable::Case => store::destroy_case(&mut tx, *id, &p.label, now).await?,
                Destroyable::DeskSignal => store::destroy_signal(&mut tx, *id, now).await?,
                Destroyable::Item => store::destroy_item(&mut tx, *id, now).await?,
                Destroyable::Approach => store::destroy_approach(&mut tx, *id, now).await?,
                Destroyable::Support => store::destroy_support(&mut tx, *id, now).await?,
            };
            let entry = per_rule.entry((code.clone(), kind)).or_default();
            entry.0 += 1;
            entry.1 = Destroyed { subjects: entry.1.subjects + d.subjects, items: entry.1.items + d.items, attachments: entry.1.attachments + d.attachments };
            self.audit(&mut tx, ctx, Destroyable::of(kind).action(), &Object::new(kind, *id), Outcome::Ok, &format!("bewaartermijn {}", trigger.label().to_lowercase())).await?;
        }
        for ((code, kind), (objects, removed)) in &per_rule {
            let record = NewDestruction { decided_by: &p.label, organisation_id: p.organisation_id, rule_code: code, object_kind: kind, objects: *objects, removed: *removed };
            let id = store::record_destruction(&mut tx, &record, now).await?;
            let detail = Destroyable::of(kind).record(*objects, removed);
            self.audit(&mut tx, ctx, "vernietigingsverklaring", &Object::new("vernietiging", id), Outcome::Ok, &detail).await?;
        }
        commit(tx).await?;
        if let Err(e) = self.db.reclaim_after_destruction().await {
            // The destruction itself is committed; reclaiming is done again after the next one.
            tracing::warn!(error = %e, "reclaiming space after a destruction failed");
        }
        Ok(plan.len())
    }

    /// Lifts a legal hold, with a reason; the case's period applies again.
    pub async fn lift_legal_hold(&self, ctx: &Ctx, id: i64, reason: &str) -> Result<(), AppError> {
        let scope = self.scope_for_retention(ctx).await?;
        if !scope.decides() {
            return Err(self.retention_refusal(ctx, "alleen de privacyfunctionaris of een RIEC-manager heft een bewaarplicht op").await);
        }
        let p = ctx.principal()?.clone();
        let mut invalid = Invalid::default();
        let reason = text(&mut invalid, "reden", reason, Some("Geef de reden waarom de bewaarplicht vervalt."), 2_000);
        invalid.into_result()?;
        let mut tx = self.begin().await?;
        let Some(hold) = store::find_hold(&mut tx, &scope, id).await? else {
            return Err(AppError::NotFound("bewaarplicht"));
        };
        if !store::lift_hold(&mut tx, id, &p.label, &reason, self.now()).await? {
            return Err(AppError::Conflict(crate::cases::STALE.into()));
        }
        self.audit(&mut tx, ctx, "bewaarplicht-opgeheven", &Object::new(&hold.object_kind, hold.case_id), Outcome::Ok, &format!("bewaarplicht {id}")).await?;
        commit(tx).await?;
        Ok(())
    }

    /// The daily check, once across the nodes: counts what is due under each rule nationally and
    /// records it in the audit log (`None` when another node or an earlier run did it today).
    pub async fn retention_check_if_due(&self) -> Result<Option<Vec<(String, i64)>>, AppError> {
        let now = self.now();
        let mut tx = self.begin().await?;
        if !knooppunt_store::jobs::claim(&mut tx, "bewaartermijnen", now, 86_400_000).await? {
            commit(tx).await?;
            return Ok(None);
        }
        let counts = self.due_counts(&mut tx, now).await?;
        // In words: the auditor reads this line (the codes stay in the API's answer).
        let detail = counts
            .iter()
            .map(|(code, n)| format!("{}: {n}", RetentionTrigger::parse(code).map(RetentionTrigger::label).unwrap_or("onbekende regel")))
            .collect::<Vec<_>>()
            .join("; ");
        let ctx = self.operator_ctx("systeem:bewaartermijnen");
        self.audit(&mut tx, &ctx, "bewaartermijnen-gecontroleerd", &Object::new("bewaartermijn", "*"), Outcome::Ok, &detail).await?;
        commit(tx).await?;
        Ok(Some(counts))
    }

    /// Every rule's count of due cases nationally, for the daily check and the dry run.
    async fn due_counts(&self, tx: &mut knooppunt_store::Tx, now: i64) -> Result<Vec<(String, i64)>, AppError> {
        let national = retention_scope(&knooppunt_policy::Principal::operator("systeem:bewaartermijnen")).ok_or_else(|| AppError::Internal("operator scope".into()))?;
        let mut out = Vec::new();
        for row in store::rules(&mut *tx).await? {
            let Ok(trigger) = RetentionTrigger::parse(&row.trigger_event) else { continue };
            let (_, n) = due_under(&mut *tx, &national, trigger, row.period_months, now, 0).await?;
            out.push((row.code, n));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_counts_calendar_months_back() {
        // 2026-03-31 minus one month is 2026-02-28 (chrono clamps to the month's last day).
        let now = chrono::NaiveDate::from_ymd_opt(2026, 3, 31).and_then(|d| d.and_hms_opt(12, 0, 0)).map(|d| d.and_utc().timestamp_millis()).unwrap_or(0);
        let feb = chrono::NaiveDate::from_ymd_opt(2026, 2, 28).and_then(|d| d.and_hms_opt(12, 0, 0)).map(|d| d.and_utc().timestamp_millis()).unwrap_or(0);
        assert_eq!(cutoff(now, 1), feb);
        assert_eq!(cutoff(now, 0), now);
        assert!(cutoff(now, 60) < cutoff(now, 12));
    }

    #[test]
    fn every_trigger_has_its_cases() {
        for t in RetentionTrigger::ALL {
            match case_trigger(*t) {
                Some(c) => assert!(CasePhase::parse(c.phase).is_ok_and(CasePhase::is_finished), "{t:?}"),
                None => assert_ne!(t.object_kind(), CASE),
            }
        }
    }
}
