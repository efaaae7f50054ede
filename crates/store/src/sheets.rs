//! The intervention sheets (interventiebladen): one versioned sheet per intervention type, and
//! the outcomes so far of every type counted over the finished interventions — counts and sums
//! only, never a case. Reference knowledge without personal data.

use crate::db::{col, Conn, StoreError};
use crate::query::{q, time, Row};

/// One version of a sheet.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SheetRow {
    pub type_id: i64,
    pub version: i64,
    pub what: String,
    pub legal_basis: String,
    pub carried_by: String,
    pub conditions: String,
    pub case_law: String,
    pub change_note: String,
    pub changed_by: String,
    pub changed_at: i64,
}

const SHEET: &str = "SELECT type_id, version, what, legal_basis, carried_by, conditions, case_law, change_note, changed_by, changed_at FROM intervention_sheets";

fn sheet_row(r: &Row) -> Result<SheetRow, StoreError> {
    Ok(SheetRow {
        type_id: col(r, "type_id")?,
        version: col(r, "version")?,
        what: col(r, "what")?,
        legal_basis: col(r, "legal_basis")?,
        carried_by: col(r, "carried_by")?,
        conditions: col(r, "conditions")?,
        case_law: col(r, "case_law")?,
        change_note: col(r, "change_note")?,
        changed_by: col(r, "changed_by")?,
        changed_at: time(r, "changed_at")?,
    })
}

/// Every version of the sheet of intervention type `type_id`, newest first.
pub async fn versions(c: &mut Conn, type_id: i64) -> Result<Vec<SheetRow>, StoreError> {
    let rows = q(format!("{SHEET} WHERE type_id = $1 ORDER BY version DESC")).bind(type_id).fetch_all(&mut *c).await?;
    rows.iter().map(sheet_row).collect()
}

/// The newest version of every sheet, by type id.
pub async fn newest(c: &mut Conn) -> Result<Vec<SheetRow>, StoreError> {
    let rows =
        q(format!("{SHEET} s WHERE s.version = (SELECT MAX(v.version) FROM intervention_sheets v WHERE v.type_id = s.type_id) ORDER BY s.type_id")).fetch_all(&mut *c).await?;
    rows.iter().map(sheet_row).collect()
}

/// The ids of the intervention types that have a sheet.
pub async fn with_sheet(c: &mut Conn) -> Result<Vec<i64>, StoreError> {
    let rows = q("SELECT DISTINCT type_id FROM intervention_sheets ORDER BY type_id").fetch_all(&mut *c).await?;
    rows.iter().map(|r| col(r, "type_id")).collect()
}

/// Adds version `s.version` of a sheet, if the newest version is `s.version − 1` (0: none
/// yet); false when somebody else added a version first.
pub async fn add_version(c: &mut Conn, s: &SheetRow) -> Result<bool, StoreError> {
    let r = q("INSERT INTO intervention_sheets (type_id, version, what, legal_basis, carried_by, conditions, case_law, change_note, changed_by, changed_at) \
         SELECT $1, CAST($2 AS BIGINT), $3, $4, $5, $6, $7, $8, $9, $10 WHERE (SELECT COALESCE(MAX(version), 0) FROM intervention_sheets WHERE type_id = $1) = CAST($2 AS BIGINT) - 1")
    .bind(s.type_id)
    .bind(s.version)
    .bind(&s.what)
    .bind(&s.legal_basis)
    .bind(&s.carried_by)
    .bind(&s.conditions)
    .bind(&s.case_law)
    .bind(&s.change_note)
    .bind(&s.changed_by)
    .bind_at(s.changed_at)
    .execute(&mut *c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// What the finished interventions of one type add up to, over all cases and years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Outcome {
    pub type_id: i64,
    pub completed: i64,
    pub stopped: i64,
    /// Cents, and how many completed interventions recorded an amount of that kind.
    pub collected_cents: i64,
    pub collected_n: i64,
    pub offset_cents: i64,
    pub offset_n: i64,
    pub seized_cents: i64,
    pub seized_n: i64,
}

/// The outcomes of every intervention type (types without finished interventions are absent).
pub async fn outcomes(c: &mut Conn) -> Result<Vec<Outcome>, StoreError> {
    let rows = q("SELECT type_id, \
         CAST(SUM(CASE WHEN status = 'afgerond' THEN 1 ELSE 0 END) AS BIGINT) AS completed, \
         CAST(SUM(CASE WHEN status = 'gestopt' THEN 1 ELSE 0 END) AS BIGINT) AS stopped, \
         CAST(COALESCE(SUM(CASE WHEN status = 'afgerond' THEN collected_cents END), 0) AS BIGINT) AS collected, \
         COUNT(CASE WHEN status = 'afgerond' THEN collected_cents END) AS collected_n, \
         CAST(COALESCE(SUM(CASE WHEN status = 'afgerond' THEN offset_cents END), 0) AS BIGINT) AS offset_sum, \
         COUNT(CASE WHEN status = 'afgerond' THEN offset_cents END) AS offset_n, \
         CAST(COALESCE(SUM(CASE WHEN status = 'afgerond' THEN seized_cents END), 0) AS BIGINT) AS seized, \
         COUNT(CASE WHEN status = 'afgerond' THEN seized_cents END) AS seized_n \
         FROM interventions WHERE status IN ('afgerond', 'gestopt') GROUP BY type_id ORDER BY type_id")
    .fetch_all(&mut *c)
    .await?;
    let n = |r: &Row, name: &str| -> Result<i64, StoreError> { col(r, name) };
    rows.iter()
        .map(|r| {
            Ok(Outcome {
                type_id: col(r, "type_id")?,
                completed: n(r, "completed")?,
                stopped: n(r, "stopped")?,
                collected_cents: n(r, "collected")?,
                collected_n: n(r, "collected_n")?,
                offset_cents: n(r, "offset_sum")?,
                offset_n: n(r, "offset_n")?,
                seized_cents: n(r, "seized")?,
                seized_n: n(r, "seized_n")?,
            })
        })
        .collect()
}
