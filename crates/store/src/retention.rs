//! Retention: the rules (reference data, see migration 0019), what is due under them, legal
//! holds and extensions. Readers of cases take a `RetentionScope` that only policy mints and
//! return a case's reference, region and dates, never its contents.

use crate::db::{col, Conn, StoreError};
use crate::query::{q, time};
use knooppunt_policy::retention::RetentionScope;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleRow {
    pub code: String,
    pub object_kind: String,
    pub phase: String,
    pub trigger_event: String,
    pub period_months: i64,
    pub action: String,
    pub source: String,
    pub is_default: bool,
    pub changed_at: Option<i64>,
    pub changed_by: String,
    pub version: i64,
}

const RULE_COLUMNS: &str = "code, object_kind, phase, trigger_event, period_months, action, source, is_default, changed_at, changed_by, version";

fn rule(r: &crate::query::Row) -> Result<RuleRow, StoreError> {
    Ok(RuleRow {
        code: col(r, "code")?,
        object_kind: col(r, "object_kind")?,
        phase: col(r, "phase")?,
        trigger_event: col(r, "trigger_event")?,
        period_months: col(r, "period_months")?,
        action: col(r, "action")?,
        source: col(r, "source")?,
        is_default: col(r, "is_default")?,
        changed_at: time(r, "changed_at")?,
        changed_by: col(r, "changed_by")?,
        version: col(r, "version")?,
    })
}

pub async fn rules(c: &mut Conn) -> Result<Vec<RuleRow>, StoreError> {
    let rows = q(format!("SELECT {RULE_COLUMNS} FROM retention_rules ORDER BY id")).fetch_all(&mut *c).await?;
    rows.iter().map(rule).collect()
}

pub async fn find_rule(c: &mut Conn, code: &str) -> Result<Option<RuleRow>, StoreError> {
    let row = q(format!("SELECT {RULE_COLUMNS} FROM retention_rules WHERE code = $1")).bind(code).fetch_optional(&mut *c).await?;
    row.as_ref().map(rule).transpose()
}

/// A rule's new period, action and source, confirmed by `by`; false when `version` is stale.
pub struct RuleChange<'a> {
    pub period_months: i64,
    pub action: &'a str,
    pub source: &'a str,
}

pub async fn update_rule(c: &mut Conn, code: &str, change: &RuleChange<'_>, version: i64, by: &str, at: i64) -> Result<bool, StoreError> {
    let r = q("UPDATE retention_rules SET period_months = $1, action = $2, source = $3, is_default = FALSE, changed_at = $4, changed_by = $5, version = version + 1 \
         WHERE code = $6 AND version = $7")
    .bind(change.period_months)
    .bind(change.action)
    .bind(change.source)
    .bind_at(at)
    .bind(by)
    .bind(code)
    .bind(version)
    .execute(&mut *c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Which cases a trigger applies to: the phase they ended in and, for a closed one, whether it
/// ever became a case (a pre-case that ended without one has its own, shorter rule).
#[derive(Debug, Clone, Copy)]
pub struct CaseTrigger<'a> {
    pub phase: &'a str,
    /// `Some(true)`: only cases that were ever in the phase `casus`; `Some(false)`: only those
    /// that never were; `None`: both.
    pub reached_case: Option<bool>,
}

/// The predicate of a due case, parameters $1..$7: phase, whether to check `reached_case`, its
/// value, the cut-off (trigger at or before), now, all regions, the scope's regions.
const DUE: &str = "k.destroyed_at IS NULL AND k.phase = $1 AND k.closed_at <= $4 \
     AND (NOT $2 OR EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = k.id AND e.to_phase = 'casus') = $3) \
     AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.object_kind = 'casus' AND h.object_id = k.id AND h.lifted_at IS NULL) \
     AND NOT EXISTS (SELECT 1 FROM retention_extensions x WHERE x.object_kind = 'casus' AND x.object_id = k.id AND x.ends_at > $5) \
     AND ($6 OR k.region_id = ANY($7))";

/// A case whose period has passed (or that is held): what the reviewer needs to decide, nothing
/// of its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueCase {
    pub id: i64,
    pub reference: String,
    pub region_id: i64,
    pub region_name: String,
    pub phase: String,
    pub closed_at: Option<i64>,
}

/// The cases in `scope` that `trigger` made due at `cutoff` or earlier, oldest first, at most
/// `limit`, and how many there are.
pub async fn due_cases(c: &mut Conn, scope: &RetentionScope, trigger: CaseTrigger<'_>, cutoff: i64, now: i64, limit: i64) -> Result<(Vec<DueCase>, i64), StoreError> {
    let total = q(format!("SELECT COUNT(*) AS n FROM cases k WHERE {DUE}"))
        .bind(trigger.phase)
        .bind(trigger.reached_case.is_some())
        .bind(trigger.reached_case.unwrap_or(false))
        .bind_at(cutoff)
        .bind_at(now)
        .bind(scope.all_regions())
        .bind_ids(scope.region_ids())
        .fetch_one(&mut *c)
        .await?;
    let rows = q(format!(
        "SELECT k.id, k.reference, k.region_id, r.name AS region_name, k.phase, k.closed_at FROM cases k JOIN regions r ON r.id = k.region_id \
         WHERE {DUE} ORDER BY k.closed_at, k.id LIMIT $8"
    ))
    .bind(trigger.phase)
    .bind(trigger.reached_case.is_some())
    .bind(trigger.reached_case.unwrap_or(false))
    .bind_at(cutoff)
    .bind_at(now)
    .bind(scope.all_regions())
    .bind_ids(scope.region_ids())
    .bind(limit)
    .fetch_all(&mut *c)
    .await?;
    Ok((rows.iter().map(due_case).collect::<Result<_, _>>()?, col(&total, "n")?))
}

fn due_case(r: &crate::query::Row) -> Result<DueCase, StoreError> {
    Ok(DueCase {
        id: col(r, "id")?,
        reference: col(r, "reference")?,
        region_id: col(r, "region_id")?,
        region_name: col(r, "region_name")?,
        phase: col(r, "phase")?,
        closed_at: time(r, "closed_at")?,
    })
}

/// The predicate of a due desk signal, parameters $1..$3: the cut-off (closed, not accepted or
/// merged at or before), now, whether the scope is national (the desk's signals are no region's).
const SIGNAL_DUE: &str = "s.destroyed_at IS NULL AND s.state IN ('gesloten', 'niet-aanvaard', 'samengevoegd') AND COALESCE(s.closed_at, s.decided_at) <= $1 \
     AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.object_kind = 'bestuurlijk-signaal' AND h.object_id = s.id AND h.lifted_at IS NULL) \
     AND NOT EXISTS (SELECT 1 FROM retention_extensions x WHERE x.object_kind = 'bestuurlijk-signaal' AND x.object_id = s.id AND x.ends_at > $2) AND $3";

const SIGNAL_ROW: &str =
    "SELECT s.id, s.reference, CAST(0 AS BIGINT) AS region_id, 'Landelijk Loket Bestuurlijke Signalen' AS region_name, s.state AS phase, COALESCE(s.closed_at, s.decided_at) AS closed_at \
     FROM policy_signals s";

/// The desk's finished signals whose period has passed at `cutoff`, oldest first (at most
/// `limit`), and how many there are; nothing for a scope that is not national. A signal shows
/// as a due row with its reference, its state as the phase and the moment it finished.
pub async fn due_signals(c: &mut Conn, scope: &RetentionScope, cutoff: i64, now: i64, limit: i64) -> Result<(Vec<DueCase>, i64), StoreError> {
    let total = q(format!("SELECT COUNT(*) AS n FROM policy_signals s WHERE {SIGNAL_DUE}")).bind_at(cutoff).bind_at(now).bind(scope.covers_national()).fetch_one(&mut *c).await?;
    let rows = q(format!("{SIGNAL_ROW} WHERE {SIGNAL_DUE} ORDER BY COALESCE(s.closed_at, s.decided_at), s.id LIMIT $4"))
        .bind_at(cutoff)
        .bind_at(now)
        .bind(scope.covers_national())
        .bind(limit)
        .fetch_all(&mut *c)
        .await?;
    Ok((rows.iter().map(due_case).collect::<Result<_, _>>()?, col(&total, "n")?))
}

/// Whether desk signal `id` is due (period passed, not held, not extended).
pub async fn is_signal_due(c: &mut Conn, scope: &RetentionScope, cutoff: i64, now: i64, id: i64) -> Result<bool, StoreError> {
    let row = q(format!("SELECT COUNT(*) AS n FROM policy_signals s WHERE {SIGNAL_DUE} AND s.id = $4"))
        .bind_at(cutoff)
        .bind_at(now)
        .bind(scope.covers_national())
        .bind(id)
        .fetch_one(&mut *c)
        .await?;
    Ok(col::<i64>(&row, "n")? > 0)
}

/// One finished, not yet destroyed desk signal, for a retention decision in a national scope.
pub async fn finished_signal(c: &mut Conn, scope: &RetentionScope, id: i64) -> Result<Option<DueCase>, StoreError> {
    let row = q(format!(
        "{SIGNAL_ROW} WHERE s.id = $1 AND s.destroyed_at IS NULL AND s.state IN ('gesloten', 'niet-aanvaard', 'samengevoegd') AND COALESCE(s.closed_at, s.decided_at) IS NOT NULL AND $2"
    ))
    .bind(id)
    .bind(scope.covers_national())
    .fetch_optional(&mut *c)
    .await?;
    row.as_ref().map(due_case).transpose()
}

/// Destroys what a desk signal holds for real: its attachments and messages, every free text
/// (the description of the weakness, the modus operandi, the source, the contact, the
/// recommendations, the letter, the ministry's response, the reasons, the steps' notes) and the
/// reasons of its holds and extensions. What the figures count stays: the reference, state and
/// dates, the ministries and phenomena, the steps without their notes. Counts: messages as
/// `items`, attachments as `attachments`.
pub async fn destroy_signal(c: &mut Conn, id: i64, at: i64) -> Result<Destroyed, StoreError> {
    let row = q(
        "SELECT (SELECT COUNT(*) FROM policy_signal_messages WHERE signal_id = $1) AS items, (SELECT COUNT(*) FROM policy_signal_attachments WHERE signal_id = $1) AS attachments",
    )
    .bind(id)
    .fetch_one(&mut *c)
    .await?;
    let d = Destroyed { subjects: 0, items: col(&row, "items")?, attachments: col(&row, "attachments")? };
    q("DELETE FROM policy_signal_attachments WHERE signal_id = $1").bind(id).execute(&mut *c).await?;
    q("DELETE FROM policy_signal_messages WHERE signal_id = $1").bind(id).execute(&mut *c).await?;
    q("UPDATE policy_signal_events SET note = '' WHERE signal_id = $1").bind(id).execute(&mut *c).await?;
    q("UPDATE legal_holds SET reason = '' WHERE object_kind = 'bestuurlijk-signaal' AND object_id = $1").bind(id).execute(&mut *c).await?;
    q("UPDATE retention_extensions SET reason = '' WHERE object_kind = 'bestuurlijk-signaal' AND object_id = $1").bind(id).execute(&mut *c).await?;
    q("UPDATE policy_signals SET title = 'Vernietigd signaal', legal_process = '', weakness = '', structural = '', modus_operandi = '', source_reference = '', \
         recommendations = '', feasibility = '', contact = '', decision_reason = CASE WHEN decision_reason IS NULL THEN NULL ELSE '' END, \
         letter = CASE WHEN letter IS NULL THEN NULL ELSE '' END, response = CASE WHEN response IS NULL THEN NULL ELSE '' END, \
         destroyed_at = $1, updated_at = $1, version = version + 1 WHERE id = $2")
    .bind_at(at)
    .bind(id)
    .execute(&mut *c)
    .await?;
    Ok(d)
}

/// The predicate of a due national approach, parameters $1..$3: the cut-off (ended at or
/// before), now, whether the scope is national (an approach spans regions; the LIEC's).
const APPROACH_DUE: &str = "a.destroyed_at IS NULL AND a.status = 'afgerond' AND a.ended_at <= $1 \
     AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.object_kind = 'landelijke-aanpak' AND h.object_id = a.id AND h.lifted_at IS NULL) \
     AND NOT EXISTS (SELECT 1 FROM retention_extensions x WHERE x.object_kind = 'landelijke-aanpak' AND x.object_id = a.id AND x.ends_at > $2) AND $3";

/// An approach as a due row: `LA-<id>` as its reference, the LIEC as its place, its status.
const APPROACH_ROW: &str =
    "SELECT a.id, 'LA-' || CAST(a.id AS TEXT) AS reference, CAST(0 AS BIGINT) AS region_id, 'LIEC' AS region_name, a.status AS phase, a.ended_at AS closed_at \
     FROM national_approaches a";

/// The ended national approaches whose period has passed at `cutoff`, oldest first (at most
/// `limit`), and how many there are; nothing for a scope that is not national.
pub async fn due_approaches(c: &mut Conn, scope: &RetentionScope, cutoff: i64, now: i64, limit: i64) -> Result<(Vec<DueCase>, i64), StoreError> {
    let national = scope.covers_national();
    let total = q(format!("SELECT COUNT(*) AS n FROM national_approaches a WHERE {APPROACH_DUE}")).bind_at(cutoff).bind_at(now).bind(national).fetch_one(&mut *c).await?;
    let rows =
        q(format!("{APPROACH_ROW} WHERE {APPROACH_DUE} ORDER BY a.ended_at, a.id LIMIT $4")).bind_at(cutoff).bind_at(now).bind(national).bind(limit).fetch_all(&mut *c).await?;
    Ok((rows.iter().map(due_case).collect::<Result<_, _>>()?, col(&total, "n")?))
}

/// Whether national approach `id` is due (period passed, not held, not extended).
pub async fn is_approach_due(c: &mut Conn, scope: &RetentionScope, cutoff: i64, now: i64, id: i64) -> Result<bool, StoreError> {
    let row = q(format!("SELECT COUNT(*) AS n FROM national_approaches a WHERE {APPROACH_DUE} AND a.id = $4"))
        .bind_at(cutoff)
        .bind_at(now)
        .bind(scope.covers_national())
        .bind(id)
        .fetch_one(&mut *c)
        .await?;
    Ok(col::<i64>(&row, "n")? > 0)
}

/// One ended, not yet destroyed national approach, for a retention decision in a national scope.
pub async fn finished_approach(c: &mut Conn, scope: &RetentionScope, id: i64) -> Result<Option<DueCase>, StoreError> {
    let row = q(format!("{APPROACH_ROW} WHERE a.id = $1 AND a.destroyed_at IS NULL AND a.status = 'afgerond' AND a.ended_at IS NOT NULL AND $2"))
        .bind(id)
        .bind(scope.covers_national())
        .fetch_optional(&mut *c)
        .await?;
    row.as_ref().map(due_case).transpose()
}

/// Empties every text of a national approach (title becomes *Vernietigde aanpak*, description,
/// progress, the actions' titles and owners, the reasons of its cases' decisions, the parts of
/// its participants, the reasons of its holds and extensions). What the figures count stays:
/// its status and dates, its cases with their regions and decisions as states, its
/// participating organisations, its actions with their status and dates. Counts: actions as
/// `items`.
pub async fn destroy_approach(c: &mut Conn, id: i64, at: i64) -> Result<Destroyed, StoreError> {
    let row = q("SELECT COUNT(*) AS n FROM national_approach_actions WHERE approach_id = $1").bind(id).fetch_one(&mut *c).await?;
    let d = Destroyed { subjects: 0, items: col(&row, "n")?, attachments: 0 };
    q("UPDATE national_approach_actions SET title = '', owner = '' WHERE approach_id = $1").bind(id).execute(&mut *c).await?;
    q("UPDATE national_approach_cases SET reason = '' WHERE approach_id = $1").bind(id).execute(&mut *c).await?;
    q("UPDATE national_approach_participants SET part = '' WHERE approach_id = $1").bind(id).execute(&mut *c).await?;
    q("UPDATE legal_holds SET reason = '' WHERE object_kind = 'landelijke-aanpak' AND object_id = $1").bind(id).execute(&mut *c).await?;
    q("UPDATE retention_extensions SET reason = '' WHERE object_kind = 'landelijke-aanpak' AND object_id = $1").bind(id).execute(&mut *c).await?;
    q("UPDATE national_approaches SET title = 'Vernietigde aanpak', description = '', progress = '', destroyed_at = $1, updated_at = $1, version = version + 1 WHERE id = $2")
        .bind_at(at)
        .bind(id)
        .execute(&mut *c)
        .await?;
    Ok(d)
}

/// The predicate of a due withdrawn item, parameters $1..$4: the cut-off (withdrawn at or
/// before), now, all regions, the scope's regions (an item is its case's region's).
const ITEM_DUE: &str = "i.destroyed_at IS NULL AND i.withdrawn_at <= $1 \
     AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.object_kind = 'informatiebijdrage' AND h.object_id = i.id AND h.lifted_at IS NULL) \
     AND NOT EXISTS (SELECT 1 FROM retention_extensions x WHERE x.object_kind = 'informatiebijdrage' AND x.object_id = i.id AND x.ends_at > $2) \
     AND ($3 OR k.region_id = ANY($4))";

/// An item as a due row: its case's reference and region, `ingetrokken` as its phase, the
/// moment it was withdrawn.
const ITEM_ROW: &str = "SELECT i.id, k.reference, k.region_id, r.name AS region_name, 'ingetrokken' AS phase, i.withdrawn_at AS closed_at \
     FROM items i JOIN cases k ON k.id = i.case_id JOIN regions r ON r.id = k.region_id";

/// The withdrawn items in `scope` whose period has passed at `cutoff`, oldest first (at most
/// `limit`), and how many there are.
pub async fn due_items(c: &mut Conn, scope: &RetentionScope, cutoff: i64, now: i64, limit: i64) -> Result<(Vec<DueCase>, i64), StoreError> {
    let total = q(format!("SELECT COUNT(*) AS n FROM items i JOIN cases k ON k.id = i.case_id WHERE {ITEM_DUE}"))
        .bind_at(cutoff)
        .bind_at(now)
        .bind(scope.all_regions())
        .bind_ids(scope.region_ids())
        .fetch_one(&mut *c)
        .await?;
    let rows = q(format!("{ITEM_ROW} WHERE {ITEM_DUE} ORDER BY i.withdrawn_at, i.id LIMIT $5"))
        .bind_at(cutoff)
        .bind_at(now)
        .bind(scope.all_regions())
        .bind_ids(scope.region_ids())
        .bind(limit)
        .fetch_all(&mut *c)
        .await?;
    Ok((rows.iter().map(due_case).collect::<Result<_, _>>()?, col(&total, "n")?))
}

/// Whether withdrawn item `id` is due (period passed, not held, not extended).
pub async fn is_item_due(c: &mut Conn, scope: &RetentionScope, cutoff: i64, now: i64, id: i64) -> Result<bool, StoreError> {
    let row = q(format!("SELECT COUNT(*) AS n FROM items i JOIN cases k ON k.id = i.case_id WHERE {ITEM_DUE} AND i.id = $5"))
        .bind_at(cutoff)
        .bind_at(now)
        .bind(scope.all_regions())
        .bind_ids(scope.region_ids())
        .bind(id)
        .fetch_one(&mut *c)
        .await?;
    Ok(col::<i64>(&row, "n")? > 0)
}

/// One withdrawn, not yet destroyed item of the scope, for a retention decision.
pub async fn withdrawn_item(c: &mut Conn, scope: &RetentionScope, id: i64) -> Result<Option<DueCase>, StoreError> {
    let row = q(format!("{ITEM_ROW} WHERE i.id = $1 AND i.withdrawn_at IS NOT NULL AND i.destroyed_at IS NULL AND ($2 OR k.region_id = ANY($3))"))
        .bind(id)
        .bind(scope.all_regions())
        .bind_ids(scope.region_ids())
        .fetch_optional(&mut *c)
        .await?;
    row.as_ref().map(due_case).transpose()
}

/// Destroys what a withdrawn item holds for real: its attachments, its title, text, sharing
/// conditions and the reason of its withdrawal, and the reasons of its holds and extensions.
/// A tombstone stays for the figures and the case's history: the supplier, legal basis, purpose,
/// dates and the releases there were (who, when; no content). Counts: attachments.
pub async fn destroy_item(c: &mut Conn, id: i64, at: i64) -> Result<Destroyed, StoreError> {
    let row = q("SELECT COUNT(*) AS n FROM item_attachments WHERE item_id = $1").bind(id).fetch_one(&mut *c).await?;
    let d = Destroyed { subjects: 0, items: 1, attachments: col(&row, "n")? };
    q("DELETE FROM item_attachments WHERE item_id = $1").bind(id).execute(&mut *c).await?;
    q("UPDATE legal_holds SET reason = '' WHERE object_kind = 'informatiebijdrage' AND object_id = $1").bind(id).execute(&mut *c).await?;
    q("UPDATE retention_extensions SET reason = '' WHERE object_kind = 'informatiebijdrage' AND object_id = $1").bind(id).execute(&mut *c).await?;
    q("UPDATE items SET title = 'Vernietigde bijdrage', body = '', sharing_conditions = '', withdrawn_reason = '', destroyed_at = $1, updated_at = $1, \
         version = version + 1 WHERE id = $2")
    .bind_at(at)
    .bind(id)
    .execute(&mut *c)
    .await?;
    Ok(d)
}

/// The predicate of a due support request, parameters $1..$4: the cut-off (closed at or before),
/// now, all regions, the scope's regions (a request is its asking region's).
const SUPPORT_DUE: &str = "s.destroyed_at IS NULL AND s.status = 'gesloten' AND s.closed_at <= $1 \
     AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.object_kind = 'ondersteuningsvraag' AND h.object_id = s.id AND h.lifted_at IS NULL) \
     AND NOT EXISTS (SELECT 1 FROM retention_extensions x WHERE x.object_kind = 'ondersteuningsvraag' AND x.object_id = s.id AND x.ends_at > $2) \
     AND ($3 OR s.region_id = ANY($4))";

/// A support request as a due row: its own reference and region, its status, when it closed.
const SUPPORT_ROW: &str = "SELECT s.id, s.reference, s.region_id, r.name AS region_name, s.status AS phase, s.closed_at \
     FROM support_requests s JOIN regions r ON r.id = s.region_id";

/// The closed support requests in `scope` whose period has passed at `cutoff`, oldest first (at
/// most `limit`), and how many there are.
pub async fn due_support(c: &mut Conn, scope: &RetentionScope, cutoff: i64, now: i64, limit: i64) -> Result<(Vec<DueCase>, i64), StoreError> {
    let total = q(format!("SELECT COUNT(*) AS n FROM support_requests s WHERE {SUPPORT_DUE}"))
        .bind_at(cutoff)
        .bind_at(now)
        .bind(scope.all_regions())
        .bind_ids(scope.region_ids())
        .fetch_one(&mut *c)
        .await?;
    let rows = q(format!("{SUPPORT_ROW} WHERE {SUPPORT_DUE} ORDER BY s.closed_at, s.id LIMIT $5"))
        .bind_at(cutoff)
        .bind_at(now)
        .bind(scope.all_regions())
        .bind_ids(scope.region_ids())
        .bind(limit)
        .fetch_all(&mut *c)
        .await?;
    Ok((rows.iter().map(due_case).collect::<Result<_, _>>()?, col(&total, "n")?))
}

/// Whether support request `id` is due (period passed, not held, not extended).
pub async fn is_support_due(c: &mut Conn, scope: &RetentionScope, cutoff: i64, now: i64, id: i64) -> Result<bool, StoreError> {
    let row = q(format!("SELECT COUNT(*) AS n FROM support_requests s WHERE {SUPPORT_DUE} AND s.id = $5"))
        .bind_at(cutoff)
        .bind_at(now)
        .bind(scope.all_regions())
        .bind_ids(scope.region_ids())
        .bind(id)
        .fetch_one(&mut *c)
        .await?;
    Ok(col::<i64>(&row, "n")? > 0)
}

/// One closed, not yet destroyed support request of the scope, for a retention decision.
pub async fn closed_support(c: &mut Conn, scope: &RetentionScope, id: i64) -> Result<Option<DueCase>, StoreError> {
    let row = q(format!("{SUPPORT_ROW} WHERE s.id = $1 AND s.status = 'gesloten' AND s.closed_at IS NOT NULL AND s.destroyed_at IS NULL AND ($2 OR s.region_id = ANY($3))"))
        .bind(id)
        .bind(scope.all_regions())
        .bind_ids(scope.region_ids())
        .fetch_optional(&mut *c)
        .await?;
    row.as_ref().map(due_case).transpose()
}

/// Destroys what a closed support request holds: its attachments, the texts of its question and
/// messages, the case reference it named, the basis of its deadline, and the reasons of its holds
/// and extensions. What the figures count stays: reference, region, domain, status, dates,
/// turnaround and the steps without their texts. Counts: messages as `items`, attachments.
pub async fn destroy_support(c: &mut Conn, id: i64, at: i64) -> Result<Destroyed, StoreError> {
    let messages = q("SELECT COUNT(*) AS n FROM support_messages WHERE request_id = $1").bind(id).fetch_one(&mut *c).await?;
    let files = q("SELECT COUNT(*) AS n FROM support_attachments WHERE request_id = $1").bind(id).fetch_one(&mut *c).await?;
    let d = Destroyed { subjects: 0, items: col(&messages, "n")?, attachments: col(&files, "n")? };
    q("DELETE FROM support_attachments WHERE request_id = $1").bind(id).execute(&mut *c).await?;
    q("UPDATE support_messages SET body = '' WHERE request_id = $1").bind(id).execute(&mut *c).await?;
    q("UPDATE legal_holds SET reason = '' WHERE object_kind = 'ondersteuningsvraag' AND object_id = $1").bind(id).execute(&mut *c).await?;
    q("UPDATE retention_extensions SET reason = '' WHERE object_kind = 'ondersteuningsvraag' AND object_id = $1").bind(id).execute(&mut *c).await?;
    q("UPDATE support_requests SET question = 'Vernietigde ondersteuningsvraag', case_reference = '', deadline_basis = '', destroyed_at = $1, updated_at = $1, \
         version = version + 1 WHERE id = $2")
    .bind_at(at)
    .bind(id)
    .execute(&mut *c)
    .await?;
    Ok(d)
}

/// Whether case `id` is due under the trigger (period passed, not held, not extended).
pub async fn is_due(c: &mut Conn, scope: &RetentionScope, trigger: CaseTrigger<'_>, cutoff: i64, now: i64, id: i64) -> Result<bool, StoreError> {
    let row = q(format!("SELECT COUNT(*) AS n FROM cases k WHERE {DUE} AND k.id = $8"))
        .bind(trigger.phase)
        .bind(trigger.reached_case.is_some())
        .bind(trigger.reached_case.unwrap_or(false))
        .bind_at(cutoff)
        .bind_at(now)
        .bind(scope.all_regions())
        .bind_ids(scope.region_ids())
        .bind(id)
        .fetch_one(&mut *c)
        .await?;
    Ok(col::<i64>(&row, "n")? > 0)
}

/// One finished, not yet destroyed case of the scope, for a retention decision; `None` for a
/// case outside the scope (the caller cannot tell it from one that does not exist).
pub async fn finished_case(c: &mut Conn, scope: &RetentionScope, id: i64) -> Result<Option<DueCase>, StoreError> {
    let row = q("SELECT k.id, k.reference, k.region_id, r.name AS region_name, k.phase, k.closed_at FROM cases k JOIN regions r ON r.id = k.region_id \
         WHERE k.id = $1 AND k.closed_at IS NOT NULL AND k.destroyed_at IS NULL AND ($2 OR k.region_id = ANY($3))")
    .bind(id)
    .bind(scope.all_regions())
    .bind_ids(scope.region_ids())
    .fetch_optional(&mut *c)
    .await?;
    row.as_ref().map(due_case).transpose()
}

/// Whether the case ever became a case (and so falls under the closed-case rule when closed).
pub async fn reached_case(c: &mut Conn, id: i64) -> Result<bool, StoreError> {
    let row = q("SELECT COUNT(*) AS n FROM case_events WHERE case_id = $1 AND to_phase = 'casus'").bind(id).fetch_one(&mut *c).await?;
    Ok(col::<i64>(&row, "n")? > 0)
}

pub struct NewHold<'a> {
    pub object_kind: &'a str,
    pub object_id: i64,
    pub ground: &'a str,
    pub reason: &'a str,
    pub by: &'a str,
}

pub async fn place_hold(c: &mut Conn, h: &NewHold<'_>, at: i64) -> Result<i64, StoreError> {
    let row = q("INSERT INTO legal_holds (object_kind, object_id, ground, reason, placed_by, placed_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(h.object_kind)
        .bind(h.object_id)
        .bind(h.ground)
        .bind(h.reason)
        .bind(h.by)
        .bind_at(at)
        .fetch_one(&mut *c)
        .await?;
    col(&row, "id")
}

/// Whether the object has an active legal hold.
pub async fn is_held(c: &mut Conn, object_kind: &str, object_id: i64) -> Result<bool, StoreError> {
    let row =
        q("SELECT COUNT(*) AS n FROM legal_holds WHERE object_kind = $1 AND object_id = $2 AND lifted_at IS NULL").bind(object_kind).bind(object_id).fetch_one(&mut *c).await?;
    Ok(col::<i64>(&row, "n")? > 0)
}

/// An active legal hold on a case of the scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoldRow {
    pub id: i64,
    /// `casus`, `informatiebijdrage`, `bestuurlijk-signaal` or `landelijke-aanpak`.
    pub object_kind: String,
    /// The object's id (for an item, the item's; the reference is its case's).
    pub case_id: i64,
    pub reference: String,
    pub region_name: String,
    pub ground: String,
    pub reason: String,
    pub placed_by: String,
    pub placed_at: i64,
}

const HOLDS: &str = "SELECT h.id, h.object_kind, k.id AS case_id, k.reference, r.name AS region_name, h.ground, h.reason, h.placed_by, h.placed_at \
     FROM legal_holds h JOIN cases k ON k.id = h.object_id JOIN regions r ON r.id = k.region_id \
     WHERE h.object_kind = 'casus' AND h.lifted_at IS NULL AND ($1 OR k.region_id = ANY($2))";

/// The holds on withdrawn items of the scope's regions; the reference is the item's case's.
const ITEM_HOLDS: &str = "SELECT h.id, h.object_kind, i.id AS case_id, k.reference, r.name AS region_name, h.ground, h.reason, h.placed_by, h.placed_at \
     FROM legal_holds h JOIN items i ON i.id = h.object_id JOIN cases k ON k.id = i.case_id JOIN regions r ON r.id = k.region_id \
     WHERE h.object_kind = 'informatiebijdrage' AND h.lifted_at IS NULL AND ($1 OR k.region_id = ANY($2))";

/// The holds on support requests of the scope's regions.
const SUPPORT_HOLDS: &str = "SELECT h.id, h.object_kind, s.id AS case_id, s.reference, r.name AS region_name, h.ground, h.reason, h.placed_by, h.placed_at \
     FROM legal_holds h JOIN support_requests s ON s.id = h.object_id JOIN regions r ON r.id = s.region_id \
     WHERE h.object_kind = 'ondersteuningsvraag' AND h.lifted_at IS NULL AND ($1 OR s.region_id = ANY($2))";

/// The holds on national approaches, for a national scope only ($1).
const APPROACH_HOLDS: &str = "SELECT h.id, h.object_kind, a.id AS case_id, 'LA-' || CAST(a.id AS TEXT) AS reference, 'LIEC' AS region_name, h.ground, h.reason, \
     h.placed_by, h.placed_at FROM legal_holds h JOIN national_approaches a ON a.id = h.object_id \
     WHERE h.object_kind = 'landelijke-aanpak' AND h.lifted_at IS NULL AND $1";

/// The holds on the desk's signals, for a national scope only ($1).
const SIGNAL_HOLDS: &str = "SELECT h.id, h.object_kind, s.id AS case_id, s.reference, 'Landelijk Loket Bestuurlijke Signalen' AS region_name, h.ground, h.reason, \
     h.placed_by, h.placed_at FROM legal_holds h JOIN policy_signals s ON s.id = h.object_id \
     WHERE h.object_kind = 'bestuurlijk-signaal' AND h.lifted_at IS NULL AND $1";

fn hold(r: &crate::query::Row) -> Result<HoldRow, StoreError> {
    Ok(HoldRow {
        id: col(r, "id")?,
        object_kind: col(r, "object_kind")?,
        case_id: col(r, "case_id")?,
        reference: col(r, "reference")?,
        region_name: col(r, "region_name")?,
        ground: col(r, "ground")?,
        reason: col(r, "reason")?,
        placed_by: col(r, "placed_by")?,
        placed_at: time(r, "placed_at")?,
    })
}

/// The active legal holds on cases of the scope (and, nationally, on the desk's signals),
/// oldest first.
pub async fn holds(c: &mut Conn, scope: &RetentionScope) -> Result<Vec<HoldRow>, StoreError> {
    let rows = q(format!("{HOLDS} ORDER BY h.placed_at, h.id")).bind(scope.all_regions()).bind_ids(scope.region_ids()).fetch_all(&mut *c).await?;
    let mut out: Vec<HoldRow> = rows.iter().map(hold).collect::<Result<_, _>>()?;
    let rows = q(format!("{ITEM_HOLDS} ORDER BY h.placed_at, h.id")).bind(scope.all_regions()).bind_ids(scope.region_ids()).fetch_all(&mut *c).await?;
    out.extend(rows.iter().map(hold).collect::<Result<Vec<_>, _>>()?);
    let rows = q(format!("{SUPPORT_HOLDS} ORDER BY h.placed_at, h.id")).bind(scope.all_regions()).bind_ids(scope.region_ids()).fetch_all(&mut *c).await?;
    out.extend(rows.iter().map(hold).collect::<Result<Vec<_>, _>>()?);
    let rows = q(format!("{SIGNAL_HOLDS} ORDER BY h.placed_at, h.id")).bind(scope.covers_national()).fetch_all(&mut *c).await?;
    out.extend(rows.iter().map(hold).collect::<Result<Vec<_>, _>>()?);
    let rows = q(format!("{APPROACH_HOLDS} ORDER BY h.placed_at, h.id")).bind(scope.covers_national()).fetch_all(&mut *c).await?;
    out.extend(rows.iter().map(hold).collect::<Result<Vec<_>, _>>()?);
    out.sort_by_key(|h| (h.placed_at, h.id));
    Ok(out)
}

/// One active hold on a case (or, nationally, a desk signal) of the scope.
pub async fn find_hold(c: &mut Conn, scope: &RetentionScope, id: i64) -> Result<Option<HoldRow>, StoreError> {
    let row = q(format!("{HOLDS} AND h.id = $3")).bind(scope.all_regions()).bind_ids(scope.region_ids()).bind(id).fetch_optional(&mut *c).await?;
    if let Some(r) = row {
        return hold(&r).map(Some);
    }
    let row = q(format!("{ITEM_HOLDS} AND h.id = $3")).bind(scope.all_regions()).bind_ids(scope.region_ids()).bind(id).fetch_optional(&mut *c).await?;
    if let Some(r) = row {
        return hold(&r).map(Some);
    }
    let row = q(format!("{SUPPORT_HOLDS} AND h.id = $3")).bind(scope.all_regions()).bind_ids(scope.region_ids()).bind(id).fetch_optional(&mut *c).await?;
    if let Some(r) = row {
        return hold(&r).map(Some);
    }
    let row = q(format!("{SIGNAL_HOLDS} AND h.id = $2")).bind(scope.covers_national()).bind(id).fetch_optional(&mut *c).await?;
    if let Some(r) = row {
        return hold(&r).map(Some);
    }
    let row = q(format!("{APPROACH_HOLDS} AND h.id = $2")).bind(scope.covers_national()).bind(id).fetch_optional(&mut *c).await?;
    row.as_ref().map(hold).transpose()
}

pub async fn lift_hold(c: &mut Conn, id: i64, by: &str, reason: &str, at: i64) -> Result<bool, StoreError> {
    let r = q("UPDATE legal_holds SET lifted_at = $1, lifted_by = $2, lift_reason = $3 WHERE id = $4 AND lifted_at IS NULL")
        .bind_at(at)
        .bind(by)
        .bind(reason)
        .bind(id)
        .execute(&mut *c)
        .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn extend(c: &mut Conn, object_kind: &str, object_id: i64, until: i64, reason: &str, by: &str, at: i64) -> Result<(), StoreError> {
    q("INSERT INTO retention_extensions (object_kind, object_id, ends_at, reason, decided_by, decided_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(object_kind)
        .bind(object_id)
        .bind_at(until)
        .bind(reason)
        .bind(by)
        .bind_at(at)
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// What destroying one case removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Destroyed {
    pub subjects: i64,
    pub items: i64,
    pub attachments: i64,
}

/// Destroys the personal data of one case for real: its subjects with their relations, blocking
/// keys, encodings and hits (on both sides: the other region's hit was about this subject too),
/// its information items with their releases and attachments, and every free text (title,
/// description, evaluation, requests, advice, meetings, interventions' notes, history notes).
/// What the figures count stays: the case's reference, region, phase and dates, its phenomena
/// and participants, the interventions' type, status and amounts, the requests' recipients and
/// answers as states, and the history's steps without their notes.
pub async fn destroy_case(c: &mut Conn, id: i64, label: &str, at: i64) -> Result<Destroyed, StoreError> {
    let row = q("SELECT (SELECT COUNT(*) FROM subjects WHERE case_id = $1) AS subjects, (SELECT COUNT(*) FROM items WHERE case_id = $1) AS items, \
         (SELECT COUNT(*) FROM item_attachments WHERE item_id IN (SELECT id FROM items WHERE case_id = $1)) AS attachments")
    .bind(id)
    .fetch_one(&mut *c)
    .await?;
    let d = Destroyed { subjects: col(&row, "subjects")?, items: col(&row, "items")?, attachments: col(&row, "attachments")? };
    q("DELETE FROM case_links WHERE case_a = $1 OR case_b = $1 OR treffer_id IN (SELECT id FROM treffers WHERE case_a = $1 OR case_b = $1)").bind(id).execute(&mut *c).await?;
    q("DELETE FROM treffers WHERE case_a = $1 OR case_b = $1").bind(id).execute(&mut *c).await?;
    q("DELETE FROM subject_match_keys WHERE subject_id IN (SELECT id FROM subjects WHERE case_id = $1)").bind(id).execute(&mut *c).await?;
    q("DELETE FROM match_queue WHERE subject_id IN (SELECT id FROM subjects WHERE case_id = $1)").bind(id).execute(&mut *c).await?;
    q("DELETE FROM subject_encodings WHERE case_id = $1 OR subject_id IN (SELECT id FROM subjects WHERE case_id = $1)").bind(id).execute(&mut *c).await?;
    q("DELETE FROM relations WHERE case_id = $1").bind(id).execute(&mut *c).await?;
    q("DELETE FROM subjects WHERE case_id = $1").bind(id).execute(&mut *c).await?;
    q("UPDATE request_recipients SET answer_item_id = NULL, decline_reason = '' WHERE request_id IN (SELECT id FROM information_requests WHERE case_id = $1)")
        .bind(id)
        .execute(&mut *c)
        .await?;
    q("UPDATE information_requests SET questions = '' WHERE case_id = $1").bind(id).execute(&mut *c).await?;
    q("DELETE FROM item_releases WHERE item_id IN (SELECT id FROM items WHERE case_id = $1)").bind(id).execute(&mut *c).await?;
    q("DELETE FROM item_attachments WHERE item_id IN (SELECT id FROM items WHERE case_id = $1)").bind(id).execute(&mut *c).await?;
    q("DELETE FROM items WHERE case_id = $1").bind(id).execute(&mut *c).await?;
    q("UPDATE advice_versions SET findings = '', proposals = '' WHERE case_id = $1").bind(id).execute(&mut *c).await?;
    q("UPDATE interventions SET note = '', decision = '', stop_reason = '', escalation_reason = '' WHERE case_id = $1").bind(id).execute(&mut *c).await?;
    q("UPDATE meetings SET attendees = '', agenda = '', decisions = '' WHERE case_id = $1").bind(id).execute(&mut *c).await?;
    q("UPDATE case_events SET note = '' WHERE case_id = $1").bind(id).execute(&mut *c).await?;
    q("UPDATE case_participants SET reason = '', removed_reason = CASE WHEN removed_reason IS NULL THEN NULL ELSE '' END WHERE case_id = $1").bind(id).execute(&mut *c).await?;
    q("UPDATE national_approach_cases SET reason = '' WHERE case_id = $1").bind(id).execute(&mut *c).await?;
    q("UPDATE legal_holds SET reason = '' WHERE object_kind = 'casus' AND object_id = $1").bind(id).execute(&mut *c).await?;
    q("UPDATE retention_extensions SET reason = '' WHERE object_kind = 'casus' AND object_id = $1").bind(id).execute(&mut *c).await?;
    q("UPDATE cases SET title = 'Vernietigd dossier', description = '', evaluation = '', region_reason = '', destroyed_at = $1, updated_at = $1, version = version + 1 WHERE id = $2")
        .bind_at(at)
        .bind(id)
        .execute(&mut *c)
        .await?;
    q("INSERT INTO case_events (case_id, at, actor, kind, about) VALUES ($1, $2, $3, 'vernietigd', 'casus')").bind(id).bind_at(at).bind(label).execute(&mut *c).await?;
    Ok(d)
}

/// A destruction record: what kind, how many, under which rule, who decided, when. No personal
/// data, no references.
pub struct NewDestruction<'a> {
    pub decided_by: &'a str,
    pub organisation_id: Option<i64>,
    pub rule_code: &'a str,
    pub object_kind: &'a str,
    pub objects: i64,
    pub removed: Destroyed,
}

pub async fn record_destruction(c: &mut Conn, r: &NewDestruction<'_>, at: i64) -> Result<i64, StoreError> {
    let row = q("INSERT INTO destruction_records (at, decided_by, organisation_id, rule_code, object_kind, objects, subjects, items, attachments) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id")
    .bind_at(at)
    .bind(r.decided_by)
    .bind(r.organisation_id)
    .bind(r.rule_code)
    .bind(r.object_kind)
    .bind(r.objects)
    .bind(r.removed.subjects)
    .bind(r.removed.items)
    .bind(r.removed.attachments)
    .fetch_one(&mut *c)
    .await?;
    col(&row, "id")
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DestructionRow {
    pub id: i64,
    pub at: i64,
    pub decided_by: String,
    pub rule_code: String,
    pub object_kind: String,
    pub objects: i64,
    pub subjects: i64,
    pub items: i64,
    pub attachments: i64,
}

/// The newest destruction records (they hold no personal data; the privacy officer's account).
pub async fn destructions(c: &mut Conn, limit: i64) -> Result<Vec<DestructionRow>, StoreError> {
    let rows = q("SELECT id, at, decided_by, rule_code, object_kind, objects, subjects, items, attachments FROM destruction_records ORDER BY at DESC, id DESC LIMIT $1")
        .bind(limit)
        .fetch_all(&mut *c)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(DestructionRow {
                id: col(r, "id")?,
                at: time(r, "at")?,
                decided_by: col(r, "decided_by")?,
                rule_code: col(r, "rule_code")?,
                object_kind: col(r, "object_kind")?,
                objects: col(r, "objects")?,
                subjects: col(r, "subjects")?,
                items: col(r, "items")?,
                attachments: col(r, "attachments")?,
            })
        })
        .collect()
}
