//! Landelijke Fenomeentafels: the table, its mandate versions, members, meetings with
//! attendance, and actions.
//!
//! Readers take what policy mints: a [`TableScope`] for the list and for opening one table, a
//! [`TableGrant`] for its face (mandates, members) and a [`TableWork`] for its meetings and
//! actions.

use crate::db::{col, Conn, StoreError};
use crate::query::{q, time, Row};
use knooppunt_policy::tables::{TableGrant, TableScope, TableWork};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    pub id: i64,
    pub name: String,
    pub phenomenon_code: String,
    pub phenomenon_name: String,
    pub status: String,
    pub started_on: String,
    pub ended_on: String,
    pub coordinator: String,
    pub group_id: i64,
    pub group_code: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
}

/// The coordinator by the name people know them by (the account's display name; the label
/// the table was opened under when no account has it, e.g. a token's name).
const TABLE_COLS: &str = "t.id, t.name, f.code AS phenomenon_code, f.name AS phenomenon_name, t.status, t.started_on, t.ended_on, \
    COALESCE(cu.display_name, t.coordinator) AS coordinator, t.group_id, \
    g.code AS group_code, t.created_at, t.updated_at, t.version";
const TABLE_FROM: &str = "phenomenon_tables t JOIN phenomena f ON f.id = t.phenomenon_id JOIN knowledge_groups g ON g.id = t.group_id \
    LEFT JOIN users cu ON cu.username = t.coordinator";

fn table_row(r: &Row) -> Result<TableRow, StoreError> {
    Ok(TableRow {
        id: col(r, "id")?,
        name: col(r, "name")?,
        phenomenon_code: col(r, "phenomenon_code")?,
        phenomenon_name: col(r, "phenomenon_name")?,
        status: col(r, "status")?,
        started_on: col(r, "started_on")?,
        ended_on: col(r, "ended_on")?,
        coordinator: col(r, "coordinator")?,
        group_id: col(r, "group_id")?,
        group_code: col(r, "group_code")?,
        created_at: time(r, "created_at")?,
        updated_at: time(r, "updated_at")?,
        version: col(r, "version")?,
    })
}

/// A table as listed: the row, how many current members, and the date of its last meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableLine {
    pub table: TableRow,
    pub members: i64,
}

/// The tables `scope` may see, by name. `$1` all, `$2` the organisation.
pub async fn list(c: &mut Conn, scope: &TableScope) -> Result<Vec<TableLine>, StoreError> {
    let rows = q(format!(
        "SELECT {TABLE_COLS}, (SELECT COUNT(*) FROM phenomenon_table_members m WHERE m.table_id = t.id AND m.until_on = '') AS members FROM {TABLE_FROM} \
         WHERE ($1 OR t.id IN (SELECT table_id FROM phenomenon_table_members WHERE organisation_id = $2 AND until_on = '')) ORDER BY t.name, t.id LIMIT 500"
    ))
    .bind(scope.all())
    .bind(scope.organisation_id())
    .fetch_all(&mut *c)
    .await?;
    rows.iter().map(|r| Ok(TableLine { table: table_row(r)?, members: col(r, "members")? })).collect()
}

/// A table by id if `scope` may see it, with its current member organisations: the facts for
/// `policy::tables::grant`.
pub async fn find(c: &mut Conn, scope: &TableScope, id: i64) -> Result<Option<(TableRow, Vec<i64>)>, StoreError> {
    let Some(r) = q(format!(
        "SELECT {TABLE_COLS} FROM {TABLE_FROM} WHERE t.id = $1 AND ($2 OR t.id IN (SELECT table_id FROM phenomenon_table_members WHERE organisation_id = $3 AND until_on = ''))"
    ))
    .bind(id)
    .bind(scope.all())
    .bind(scope.organisation_id())
    .fetch_optional(&mut *c)
    .await?
    else {
        return Ok(None);
    };
    let members = current_members(c, id).await?;
    Ok(Some((table_row(&r)?, members)))
}

/// The organisations currently sitting at table `id` (also the members of its knowledge group).
pub async fn current_members(c: &mut Conn, id: i64) -> Result<Vec<i64>, StoreError> {
    let rows =
        q("SELECT DISTINCT organisation_id FROM phenomenon_table_members WHERE table_id = $1 AND until_on = '' ORDER BY organisation_id").bind(id).fetch_all(&mut *c).await?;
    rows.iter().map(|r| col(r, "organisation_id")).collect()
}

/// Whether a table on `phenomenon_id` that has not ended exists (one table per phenomenon).
pub async fn running_on(c: &mut Conn, phenomenon_id: i64) -> Result<bool, StoreError> {
    let r = q("SELECT COUNT(*) AS n FROM phenomenon_tables WHERE phenomenon_id = $1 AND status <> 'beeindigd'").bind(phenomenon_id).fetch_one(&mut *c).await?;
    Ok(col::<i64>(&r, "n")? > 0)
}

/// A new table; its id.
pub async fn create(c: &mut Conn, name: &str, phenomenon_id: i64, coordinator: &str, group_id: i64, by: &str, at: i64) -> Result<i64, StoreError> {
    let r = q("INSERT INTO phenomenon_tables (name, phenomenon_id, coordinator, group_id, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id")
        .bind(name)
        .bind(phenomenon_id)
        .bind(coordinator)
        .bind(group_id)
        .bind(by)
        .bind_at(at)
        .fetch_one(&mut *c)
        .await?;
    col(&r, "id")
}

/// Sets status and dates when `version` is current; `false` on a stale version.
pub async fn set_status(c: &mut Conn, id: i64, status: &str, started_on: &str, ended_on: &str, version: i64, at: i64) -> Result<bool, StoreError> {
    let n = q("UPDATE phenomenon_tables SET status = $1, started_on = $2, ended_on = $3, updated_at = $4, version = version + 1 WHERE id = $5 AND version = $6")
        .bind(status)
        .bind(started_on)
        .bind(ended_on)
        .bind_at(at)
        .bind(id)
        .bind(version)
        .execute(&mut *c)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// Bumps the version (every change to a table's parts).
pub async fn touch(c: &mut Conn, id: i64, at: i64) -> Result<(), StoreError> {
    q("UPDATE phenomenon_tables SET updated_at = $1, version = version + 1 WHERE id = $2").bind_at(at).bind(id).execute(&mut *c).await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MandateRow {
    pub version: i64,
    pub body: String,
    pub endorsed_by: String,
    pub endorsed_on: String,
    pub recorded_by: String,
    pub recorded_at: i64,
}

/// The mandate versions of the table of `g`, newest first.
pub async fn mandates(c: &mut Conn, g: &TableGrant) -> Result<Vec<MandateRow>, StoreError> {
    let rows = q("SELECT version, body, endorsed_by, endorsed_on, recorded_by, recorded_at FROM phenomenon_table_mandates WHERE table_id = $1 ORDER BY version DESC")
        .bind(g.id())
        .fetch_all(&mut *c)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(MandateRow {
                version: col(r, "version")?,
                body: col(r, "body")?,
                endorsed_by: col(r, "endorsed_by")?,
                endorsed_on: col(r, "endorsed_on")?,
                recorded_by: col(r, "recorded_by")?,
                recorded_at: time(r, "recorded_at")?,
            })
        })
        .collect()
}

/// Records a new mandate version; its number.
pub async fn add_mandate(c: &mut Conn, id: i64, body: &str, endorsed_by: &str, endorsed_on: &str, by: &str, at: i64) -> Result<i64, StoreError> {
    let r = q("SELECT COALESCE(MAX(version), 0) + 1 AS v FROM phenomenon_table_mandates WHERE table_id = $1").bind(id).fetch_one(&mut *c).await?;
    let version: i64 = col(&r, "v")?;
    q("INSERT INTO phenomenon_table_mandates (table_id, version, body, endorsed_by, endorsed_on, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(id)
        .bind(version)
        .bind(body)
        .bind(endorsed_by)
        .bind(endorsed_on)
        .bind(by)
        .bind_at(at)
        .execute(&mut *c)
        .await?;
    Ok(version)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRow {
    pub id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub sector: String,
    pub part: String,
    pub from_on: String,
    pub until_on: String,
}

/// Every membership of the table of `g` (current first, then ended), by organisation.
pub async fn members(c: &mut Conn, g: &TableGrant) -> Result<Vec<MemberRow>, StoreError> {
    let rows = q("SELECT m.id, m.organisation_id, o.name AS organisation_name, m.sector, m.part, m.from_on, m.until_on \
         FROM phenomenon_table_members m JOIN organisations o ON o.id = m.organisation_id WHERE m.table_id = $1 \
         ORDER BY CASE WHEN m.until_on = '' THEN 0 ELSE 1 END, o.name, m.id")
    .bind(g.id())
    .fetch_all(&mut *c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(MemberRow {
                id: col(r, "id")?,
                organisation_id: col(r, "organisation_id")?,
                organisation_name: col(r, "organisation_name")?,
                sector: col(r, "sector")?,
                part: col(r, "part")?,
                from_on: col(r, "from_on")?,
                until_on: col(r, "until_on")?,
            })
        })
        .collect()
}

/// Adds a membership; its id.
#[allow(clippy::too_many_arguments)]
pub async fn add_member(c: &mut Conn, id: i64, organisation_id: i64, sector: &str, part: &str, from_on: &str, by: &str, at: i64) -> Result<i64, StoreError> {
    let r = q("INSERT INTO phenomenon_table_members (table_id, organisation_id, sector, part, from_on, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
        .bind(id)
        .bind(organisation_id)
        .bind(sector)
        .bind(part)
        .bind(from_on)
        .bind(by)
        .bind_at(at)
        .fetch_one(&mut *c)
        .await?;
    col(&r, "id")
}

/// Ends a current membership on `until_on`; the organisation, or `None` when it is not a current
/// membership of this table.
pub async fn end_member(c: &mut Conn, id: i64, member_id: i64, until_on: &str) -> Result<Option<i64>, StoreError> {
    let r = q("UPDATE phenomenon_table_members SET until_on = $1 WHERE id = $2 AND table_id = $3 AND until_on = '' RETURNING organisation_id")
        .bind(until_on)
        .bind(member_id)
        .bind(id)
        .fetch_optional(&mut *c)
        .await?;
    r.map(|r| col(&r, "organisation_id")).transpose()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRow {
    pub id: i64,
    pub held_on: String,
    pub agenda: String,
    pub decisions: String,
    pub recorded_by: String,
    /// (organisation id, name) of those present.
    pub present: Vec<(i64, String)>,
}

/// The meetings of the table of `w`, newest first, with who was present.
pub async fn meetings(c: &mut Conn, w: &TableWork) -> Result<Vec<MeetingRow>, StoreError> {
    let rows = q("SELECT id, held_on, agenda, decisions, recorded_by FROM phenomenon_table_meetings WHERE table_id = $1 ORDER BY held_on DESC, id DESC")
        .bind(w.id())
        .fetch_all(&mut *c)
        .await?;
    let present = q("SELECT a.meeting_id, o.id, o.name FROM phenomenon_table_attendance a JOIN phenomenon_table_meetings m ON m.id = a.meeting_id \
         JOIN organisations o ON o.id = a.organisation_id WHERE m.table_id = $1 ORDER BY o.name")
    .bind(w.id())
    .fetch_all(&mut *c)
    .await?;
    let present: Vec<(i64, i64, String)> = present.iter().map(|r| Ok((col(r, "meeting_id")?, col(r, "id")?, col(r, "name")?))).collect::<Result<_, StoreError>>()?;
    rows.iter()
        .map(|r| {
            let id: i64 = col(r, "id")?;
            Ok(MeetingRow {
                id,
                held_on: col(r, "held_on")?,
                agenda: col(r, "agenda")?,
                decisions: col(r, "decisions")?,
                recorded_by: col(r, "recorded_by")?,
                present: present.iter().filter(|p| p.0 == id).map(|p| (p.1, p.2.clone())).collect(),
            })
        })
        .collect()
}

/// Records a meeting with the organisations present; its id.
#[allow(clippy::too_many_arguments)]
pub async fn add_meeting(c: &mut Conn, id: i64, held_on: &str, agenda: &str, decisions: &str, present: &[i64], by: &str, at: i64) -> Result<i64, StoreError> {
    let r = q("INSERT INTO phenomenon_table_meetings (table_id, held_on, agenda, decisions, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(id)
        .bind(held_on)
        .bind(agenda)
        .bind(decisions)
        .bind(by)
        .bind_at(at)
        .fetch_one(&mut *c)
        .await?;
    let meeting: i64 = col(&r, "id")?;
    for o in present {
        q("INSERT INTO phenomenon_table_attendance (meeting_id, organisation_id) VALUES ($1, $2)").bind(meeting).bind(*o).execute(&mut *c).await?;
    }
    Ok(meeting)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRow {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub owner_id: i64,
    pub owner_name: String,
    pub status: String,
    pub due_on: String,
    pub signal_reference: String,
    pub signal_id: Option<i64>,
    pub updated_by: String,
    pub updated_at: i64,
}

/// The actions of the table of `w`: open and running first, by due date.
pub async fn actions(c: &mut Conn, w: &TableWork) -> Result<Vec<ActionRow>, StoreError> {
    let rows = q("SELECT x.id, x.kind, x.title, x.owner_organisation_id, o.name AS owner_name, x.status, x.due_on, x.signal_reference, x.signal_id, x.updated_by, x.updated_at \
         FROM phenomenon_table_actions x JOIN organisations o ON o.id = x.owner_organisation_id WHERE x.table_id = $1 \
         ORDER BY CASE WHEN x.status = 'afgerond' THEN 1 ELSE 0 END, CASE WHEN x.due_on = '' THEN 1 ELSE 0 END, x.due_on, x.id")
    .bind(w.id())
    .fetch_all(&mut *c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ActionRow {
                id: col(r, "id")?,
                kind: col(r, "kind")?,
                title: col(r, "title")?,
                owner_id: col(r, "owner_organisation_id")?,
                owner_name: col(r, "owner_name")?,
                status: col(r, "status")?,
                due_on: col(r, "due_on")?,
                signal_reference: col(r, "signal_reference")?,
                signal_id: col(r, "signal_id")?,
                updated_by: col(r, "updated_by")?,
                updated_at: time(r, "updated_at")?,
            })
        })
        .collect()
}

/// Adds an action; its id.
#[allow(clippy::too_many_arguments)]
pub async fn add_action(c: &mut Conn, id: i64, kind: &str, title: &str, owner: i64, due_on: &str, by: &str, at: i64) -> Result<i64, StoreError> {
    let r = q("INSERT INTO phenomenon_table_actions (table_id, kind, title, owner_organisation_id, due_on, created_by, created_at, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $6, $7) RETURNING id")
    .bind(id)
    .bind(kind)
    .bind(title)
    .bind(owner)
    .bind(due_on)
    .bind(by)
    .bind_at(at)
    .fetch_one(&mut *c)
    .await?;
    col(&r, "id")
}

/// Sets an action's status; `false` when it is not an action of this table.
pub async fn set_action_status(c: &mut Conn, id: i64, action_id: i64, status: &str, by: &str, at: i64) -> Result<bool, StoreError> {
    let n = q("UPDATE phenomenon_table_actions SET status = $1, updated_by = $2, updated_at = $3 WHERE id = $4 AND table_id = $5")
        .bind(status)
        .bind(by)
        .bind_at(at)
        .bind(action_id)
        .bind(id)
        .execute(&mut *c)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// Links the bestuurlijk signaal an action became; `false` when it is not an action of this
/// table or it has its signal already.
pub async fn link_signal(c: &mut Conn, id: i64, action_id: i64, signal_id: i64, reference: &str, by: &str, at: i64) -> Result<bool, StoreError> {
    let n = q("UPDATE phenomenon_table_actions SET signal_id = $1, signal_reference = $2, updated_by = $3, updated_at = $4 WHERE id = $5 AND table_id = $6 AND signal_id IS NULL")
        .bind(signal_id)
        .bind(reference)
        .bind(by)
        .bind_at(at)
        .bind(action_id)
        .bind(id)
        .execute(&mut *c)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// One action of table `id` (the facts for `policy::tables::may_report_action`), read for its
/// owner only.
pub async fn action_owner(c: &mut Conn, w: &TableWork, action_id: i64) -> Result<Option<(i64, String, String)>, StoreError> {
    let r =
        q("SELECT owner_organisation_id, title, kind FROM phenomenon_table_actions WHERE id = $1 AND table_id = $2").bind(action_id).bind(w.id()).fetch_optional(&mut *c).await?;
    r.map(|r| Ok((col(&r, "owner_organisation_id")?, col(&r, "title")?, col(&r, "kind")?))).transpose()
}

/// The dossiers about the phenomenon of the table of `g`, counted per region and phase:
/// (region, phase, count). Counts only, for the table's protected national figures.
pub async fn case_counts(c: &mut Conn, g: &TableGrant) -> Result<Vec<(i64, String, i64)>, StoreError> {
    let rows = q("SELECT k.region_id, k.phase, COUNT(*) AS n FROM cases k JOIN case_phenomena p ON p.case_id = k.id \
         JOIN phenomenon_tables t ON t.phenomenon_id = p.phenomenon_id WHERE t.id = $1 GROUP BY k.region_id, k.phase")
    .bind(g.id())
    .fetch_all(&mut *c)
    .await?;
    rows.iter().map(|r| Ok((col(r, "region_id")?, col(r, "phase")?, col(r, "n")?))).collect()
}

/// The finished (completed or stopped) interventions in dossiers about the phenomenon of the
/// table of `g`, counted per intervention type: (type, count).
pub async fn intervention_counts(c: &mut Conn, g: &TableGrant) -> Result<Vec<(i64, i64)>, StoreError> {
    let rows = q("SELECT v.type_id, COUNT(*) AS n FROM interventions v JOIN case_phenomena p ON p.case_id = v.case_id \
         JOIN phenomenon_tables t ON t.phenomenon_id = p.phenomenon_id WHERE t.id = $1 AND v.status IN ('afgerond', 'gestopt') GROUP BY v.type_id")
    .bind(g.id())
    .fetch_all(&mut *c)
    .await?;
    rows.iter().map(|r| Ok((col(r, "type_id")?, col(r, "n")?))).collect()
}

/// Every intervention type of the catalogue, active or not, by name: (id, name).
pub async fn intervention_types(c: &mut Conn) -> Result<Vec<(i64, String)>, StoreError> {
    let rows = q("SELECT id, name FROM intervention_types ORDER BY name, id").fetch_all(&mut *c).await?;
    rows.iter().map(|r| Ok((col(r, "id")?, col(r, "name")?))).collect()
}

/// The amounts of the finished interventions in dossiers about the phenomenon of the table of
/// `g`, nationally: per kind (collected, offset, seized) the sum in cents and how many
/// interventions have one.
pub async fn intervention_amounts(c: &mut Conn, g: &TableGrant) -> Result<[(i64, i64); 3], StoreError> {
    let r = q("SELECT CAST(COALESCE(SUM(v.collected_cents), 0) AS BIGINT) AS collected_cents, COUNT(v.collected_cents) AS collected_n, \
         CAST(COALESCE(SUM(v.offset_cents), 0) AS BIGINT) AS offset_cents, COUNT(v.offset_cents) AS offset_n, \
         CAST(COALESCE(SUM(v.seized_cents), 0) AS BIGINT) AS seized_cents, COUNT(v.seized_cents) AS seized_n \
         FROM interventions v JOIN case_phenomena p ON p.case_id = v.case_id JOIN phenomenon_tables t ON t.phenomenon_id = p.phenomenon_id \
         WHERE t.id = $1 AND v.status IN ('afgerond', 'gestopt')")
    .bind(g.id())
    .fetch_one(&mut *c)
    .await?;
    Ok([(col(&r, "collected_cents")?, col(&r, "collected_n")?), (col(&r, "offset_cents")?, col(&r, "offset_n")?), (col(&r, "seized_cents")?, col(&r, "seized_n")?)])
}
