//! The LIEC Field Lab Hub: the phases, the labs with their partners, records, experiments and
//! indicators.
//!
//! Readers take what policy mints: a [`FieldLabScope`] for the list and for opening one lab, a
//! [`LabGrant`] for what is in it.

use crate::db::{col, Conn, StoreError};
use crate::query::{q, time, Row};
use knooppunt_policy::fieldlabs::{FieldLabScope, LabGrant};

/// The phases in order: (code, name).
pub async fn phases(c: &mut Conn) -> Result<Vec<(String, String)>, StoreError> {
    let rows = q("SELECT code, name FROM field_lab_phases ORDER BY ordinal, code").fetch_all(&mut *c).await?;
    rows.iter().map(|r| Ok((col(r, "code")?, col(r, "name")?))).collect()
}

/// A phase as the LIEC keeps it, with how many labs are in it and how many records were made
/// in it (a phase in use cannot be removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhaseRow {
    pub code: String,
    pub name: String,
    pub ordinal: i64,
    pub labs: i64,
    pub records: i64,
}

/// Every phase in order, with its use.
pub async fn phase_rows(c: &mut Conn) -> Result<Vec<PhaseRow>, StoreError> {
    let rows = q("SELECT p.code, p.name, p.ordinal, (SELECT COUNT(*) FROM field_labs l WHERE l.phase = p.code) AS labs, \
         (SELECT COUNT(*) FROM field_lab_records r WHERE r.phase = p.code) AS records FROM field_lab_phases p ORDER BY p.ordinal, p.code")
    .fetch_all(&mut *c)
    .await?;
    rows.iter().map(|r| Ok(PhaseRow { code: col(r, "code")?, name: col(r, "name")?, ordinal: col(r, "ordinal")?, labs: col(r, "labs")?, records: col(r, "records")? })).collect()
}

/// A new phase; `false` when the code is taken.
pub async fn insert_phase(c: &mut Conn, code: &str, name: &str, ordinal: i64) -> Result<bool, StoreError> {
    let n = q("INSERT INTO field_lab_phases (code, name, ordinal) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING").bind(code).bind(name).bind(ordinal).execute(&mut *c).await?;
    Ok(n.rows_affected() == 1)
}

/// Renames phase `code` and puts it at `ordinal`; `false` when there is no such phase.
pub async fn update_phase(c: &mut Conn, code: &str, name: &str, ordinal: i64) -> Result<bool, StoreError> {
    let n = q("UPDATE field_lab_phases SET name = $1, ordinal = $2 WHERE code = $3").bind(name).bind(ordinal).bind(code).execute(&mut *c).await?;
    Ok(n.rows_affected() == 1)
}

/// Removes phase `code` if no lab is in it and nothing was recorded in it; whether it did.
pub async fn delete_phase(c: &mut Conn, code: &str) -> Result<bool, StoreError> {
    let n = q("DELETE FROM field_lab_phases WHERE code = $1 AND NOT EXISTS (SELECT 1 FROM field_labs WHERE phase = $1) \
         AND NOT EXISTS (SELECT 1 FROM field_lab_records WHERE phase = $1)")
    .bind(code)
    .execute(&mut *c)
    .await?;
    Ok(n.rows_affected() == 1)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabRow {
    pub id: i64,
    pub title: String,
    pub problem: String,
    pub host_region_id: i64,
    pub host_region: String,
    pub host_organisation_id: i64,
    pub host_organisation: String,
    pub researchers: String,
    pub phase: String,
    pub phase_name: String,
    pub product_item_id: Option<i64>,
    pub created_by: String,
    /// Experiments, and of those with a scaling decision to scale up.
    pub experiments: i64,
    pub scaled_up: i64,
    pub updated_at: i64,
    pub version: i64,
}

const LAB_COLS: &str = "l.id, l.title, l.problem, l.host_region_id, g.name AS host_region, l.host_organisation_id, o.name AS host_organisation, l.researchers, \
    l.phase, p.name AS phase_name, l.product_item_id, l.created_by, l.updated_at, l.version, \
    (SELECT COUNT(*) FROM field_lab_experiments x WHERE x.lab_id = l.id) AS experiments, \
    (SELECT COUNT(*) FROM field_lab_experiments x WHERE x.lab_id = l.id AND x.scaling = 'opschalen') AS scaled_up \
    FROM field_labs l JOIN regions g ON g.id = l.host_region_id JOIN organisations o ON o.id = l.host_organisation_id JOIN field_lab_phases p ON p.code = l.phase";

fn lab_row(r: &Row) -> Result<LabRow, StoreError> {
    Ok(LabRow {
        id: col(r, "id")?,
        title: col(r, "title")?,
        problem: col(r, "problem")?,
        host_region_id: col(r, "host_region_id")?,
        host_region: col(r, "host_region")?,
        host_organisation_id: col(r, "host_organisation_id")?,
        host_organisation: col(r, "host_organisation")?,
        researchers: col(r, "researchers")?,
        phase: col(r, "phase")?,
        phase_name: col(r, "phase_name")?,
        product_item_id: col(r, "product_item_id")?,
        created_by: col(r, "created_by")?,
        experiments: col(r, "experiments")?,
        scaled_up: col(r, "scaled_up")?,
        updated_at: time(r, "updated_at")?,
        version: col(r, "version")?,
    })
}

/// Every lab `scope` sees, by phase and title.
pub async fn list(c: &mut Conn, scope: &FieldLabScope) -> Result<Vec<LabRow>, StoreError> {
    if !scope.network() {
        return Ok(Vec::new());
    }
    let rows = q(format!("SELECT {LAB_COLS} WHERE $1 ORDER BY p.ordinal, l.title, l.id LIMIT 500")).bind(scope.network()).fetch_all(&mut *c).await?;
    rows.iter().map(lab_row).collect()
}

/// A lab by id if `scope` sees it, with its host and partner organisations: the facts for
/// `policy::fieldlabs::grant`.
pub async fn find(c: &mut Conn, scope: &FieldLabScope, id: i64) -> Result<Option<(LabRow, Vec<i64>)>, StoreError> {
    if !scope.network() {
        return Ok(None);
    }
    let Some(r) = q(format!("SELECT {LAB_COLS} WHERE l.id = $1 AND $2")).bind(id).bind(scope.network()).fetch_optional(&mut *c).await? else {
        return Ok(None);
    };
    let lab = lab_row(&r)?;
    let rows = q("SELECT organisation_id FROM field_lab_partners WHERE lab_id = $1").bind(id).fetch_all(&mut *c).await?;
    let mut organisations = vec![lab.host_organisation_id];
    for r in &rows {
        organisations.push(col(r, "organisation_id")?);
    }
    Ok(Some((lab, organisations)))
}

/// A new lab in the first phase; its id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewLab {
    pub title: String,
    pub problem: String,
    pub host_region_id: i64,
    pub host_organisation_id: i64,
    pub researchers: String,
    pub phase: String,
}

pub async fn insert(c: &mut Conn, n: &NewLab, by: &str, at: i64) -> Result<i64, StoreError> {
    let r = q("INSERT INTO field_labs (title, problem, host_region_id, host_organisation_id, researchers, phase, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id")
    .bind(&n.title)
    .bind(&n.problem)
    .bind(n.host_region_id)
    .bind(n.host_organisation_id)
    .bind(&n.researchers)
    .bind(&n.phase)
    .bind(by)
    .bind_at(at)
    .fetch_one(&mut *c)
    .await?;
    col(&r, "id")
}

/// Moves the lab of `g` at `version` to `phase`; `false` when it changed since.
pub async fn set_phase(c: &mut Conn, g: &LabGrant, version: i64, phase: &str, at: i64) -> Result<bool, StoreError> {
    let n = q("UPDATE field_labs SET phase = $1, updated_at = $2, version = version + 1 WHERE id = $3 AND version = $4")
        .bind(phase)
        .bind_at(at)
        .bind(g.id())
        .bind(version)
        .execute(&mut *c)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// Records the knowledge item the lab's final product became; `false` when it has one.
pub async fn set_product(c: &mut Conn, g: &LabGrant, item_id: i64, at: i64) -> Result<bool, StoreError> {
    let n = q("UPDATE field_labs SET product_item_id = $1, updated_at = $2, version = version + 1 WHERE id = $3 AND product_item_id IS NULL")
        .bind(item_id)
        .bind_at(at)
        .bind(g.id())
        .execute(&mut *c)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// Bumps the lab's version (something was added to it).
pub async fn touch(c: &mut Conn, g: &LabGrant, at: i64) -> Result<(), StoreError> {
    q("UPDATE field_labs SET updated_at = $1, version = version + 1 WHERE id = $2").bind_at(at).bind(g.id()).execute(&mut *c).await?;
    Ok(())
}

/// The partners of the lab of `g`: (organisation id, name, role).
pub async fn partners(c: &mut Conn, g: &LabGrant) -> Result<Vec<(i64, String, String)>, StoreError> {
    let rows = q("SELECT p.organisation_id, o.name, p.role FROM field_lab_partners p JOIN organisations o ON o.id = p.organisation_id WHERE p.lab_id = $1 ORDER BY o.name")
        .bind(g.id())
        .fetch_all(&mut *c)
        .await?;
    rows.iter().map(|r| Ok((col(r, "organisation_id")?, col(r, "name")?, col(r, "role")?))).collect()
}

/// Adds a partner to the lab of `g`; `false` when it is one already.
pub async fn add_partner(c: &mut Conn, g: &LabGrant, organisation_id: i64, role: &str) -> Result<bool, StoreError> {
    let n = q("INSERT INTO field_lab_partners (lab_id, organisation_id, role) VALUES ($1, $2, $3) ON CONFLICT (lab_id, organisation_id) DO NOTHING")
        .bind(g.id())
        .bind(organisation_id)
        .bind(role)
        .execute(&mut *c)
        .await?
        .rows_affected();
    Ok(n == 1)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordRow {
    pub id: i64,
    pub phase: String,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub recorded_by: String,
    pub recorded_at: i64,
}

/// The decisions and documents of the lab of `g`, oldest first.
pub async fn records(c: &mut Conn, g: &LabGrant) -> Result<Vec<RecordRow>, StoreError> {
    let rows = q("SELECT id, phase, kind, title, body, recorded_by, recorded_at FROM field_lab_records WHERE lab_id = $1 ORDER BY id").bind(g.id()).fetch_all(&mut *c).await?;
    rows.iter()
        .map(|r| {
            Ok(RecordRow {
                id: col(r, "id")?,
                phase: col(r, "phase")?,
                kind: col(r, "kind")?,
                title: col(r, "title")?,
                body: col(r, "body")?,
                recorded_by: col(r, "recorded_by")?,
                recorded_at: time(r, "recorded_at")?,
            })
        })
        .collect()
}

/// A decision or document recorded in the lab's current phase.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewRecord {
    pub phase: String,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub by: String,
}

pub async fn add_record(c: &mut Conn, g: &LabGrant, n: &NewRecord, at: i64) -> Result<i64, StoreError> {
    let r = q("INSERT INTO field_lab_records (lab_id, phase, kind, title, body, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
        .bind(g.id())
        .bind(&n.phase)
        .bind(&n.kind)
        .bind(&n.title)
        .bind(&n.body)
        .bind(&n.by)
        .bind_at(at)
        .fetch_one(&mut *c)
        .await?;
    col(&r, "id")
}

/// A file of a decision or document (without its bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabFile {
    pub id: i64,
    pub record_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: String,
    pub uploaded_at: i64,
}

fn lab_file(r: &Row) -> Result<LabFile, StoreError> {
    Ok(LabFile {
        id: col(r, "id")?,
        record_id: col(r, "record_id")?,
        file_name: col(r, "file_name")?,
        content_type: col(r, "content_type")?,
        size: col(r, "size")?,
        sha256: col(r, "sha256")?,
        uploaded_by: col(r, "uploaded_by")?,
        uploaded_at: time(r, "uploaded_at")?,
    })
}

/// The files of the lab of `g`, oldest first.
pub async fn files(c: &mut Conn, g: &LabGrant) -> Result<Vec<LabFile>, StoreError> {
    let rows = q("SELECT id, record_id, file_name, content_type, size, sha256, uploaded_by, uploaded_at FROM field_lab_files WHERE lab_id = $1 ORDER BY id")
        .bind(g.id())
        .fetch_all(&mut *c)
        .await?;
    rows.iter().map(lab_file).collect()
}

/// One file of the lab of `g`, with its bytes.
pub async fn file_data(c: &mut Conn, g: &LabGrant, file_id: i64) -> Result<Option<(LabFile, Vec<u8>)>, StoreError> {
    let r = q("SELECT id, record_id, file_name, content_type, size, sha256, uploaded_by, uploaded_at, data FROM field_lab_files WHERE lab_id = $1 AND id = $2")
        .bind(g.id())
        .bind(file_id)
        .fetch_optional(&mut *c)
        .await?;
    match r {
        Some(r) => Ok(Some((lab_file(&r)?, col(&r, "data")?))),
        None => Ok(None),
    }
}

/// Adds a file to record `f.record_id` of the lab of `g`; its id, or `None` when the record is
/// not the lab's.
pub async fn add_file(c: &mut Conn, g: &LabGrant, f: &LabFile, data: &[u8]) -> Result<Option<i64>, StoreError> {
    let r = q("INSERT INTO field_lab_files (lab_id, record_id, file_name, content_type, size, sha256, data, uploaded_by, uploaded_at) \
         SELECT lab_id, id, $1, $2, $3, $4, $5, $6, $7 FROM field_lab_records WHERE id = $8 AND lab_id = $9 RETURNING id")
    .bind(&f.file_name)
    .bind(&f.content_type)
    .bind(f.size)
    .bind(&f.sha256)
    .bind(data.to_vec())
    .bind(&f.uploaded_by)
    .bind_at(f.uploaded_at)
    .bind(f.record_id)
    .bind(g.id())
    .fetch_optional(&mut *c)
    .await?;
    r.map(|r| col(&r, "id")).transpose()
}

/// What is written of an experiment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExperimentFields {
    pub hypothesis: String,
    pub intervention_type: String,
    pub place: String,
    pub starts_on: String,
    pub ends_on: String,
    pub design: String,
    pub dpia: bool,
    pub lessons: String,
    pub scaling: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExperimentRow {
    pub id: i64,
    pub fields: ExperimentFields,
    pub intervention_name: String,
    pub version: i64,
}

/// The experiments of the lab of `g`, oldest first; with `only`, that one experiment (if it is
/// the lab's).
pub async fn experiments(c: &mut Conn, g: &LabGrant, only: Option<i64>) -> Result<Vec<ExperimentRow>, StoreError> {
    let rows = q("SELECT x.id, x.hypothesis, x.intervention_type, COALESCE(t.name, x.intervention_type) AS intervention_name, x.place, x.starts_on, x.ends_on, x.design, \
         x.dpia, x.lessons, x.scaling, x.version FROM field_lab_experiments x LEFT JOIN intervention_types t ON t.code = x.intervention_type \
         WHERE x.lab_id = $1 AND (CAST($2 AS BIGINT) IS NULL OR x.id = $2) ORDER BY x.id")
    .bind(g.id())
    .bind(only)
    .fetch_all(&mut *c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ExperimentRow {
                id: col(r, "id")?,
                fields: ExperimentFields {
                    hypothesis: col(r, "hypothesis")?,
                    intervention_type: col(r, "intervention_type")?,
                    place: col(r, "place")?,
                    starts_on: col(r, "starts_on")?,
                    ends_on: col(r, "ends_on")?,
                    design: col(r, "design")?,
                    dpia: col(r, "dpia")?,
                    lessons: col(r, "lessons")?,
                    scaling: col(r, "scaling")?,
                },
                intervention_name: col(r, "intervention_name")?,
                version: col(r, "version")?,
            })
        })
        .collect()
}

pub async fn add_experiment(c: &mut Conn, g: &LabGrant, f: &ExperimentFields, at: i64) -> Result<i64, StoreError> {
    let r = q("INSERT INTO field_lab_experiments (lab_id, hypothesis, intervention_type, place, starts_on, ends_on, design, dpia, lessons, scaling, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id")
    .bind(g.id())
    .bind(&f.hypothesis)
    .bind(&f.intervention_type)
    .bind(&f.place)
    .bind(&f.starts_on)
    .bind(&f.ends_on)
    .bind(&f.design)
    .bind(f.dpia)
    .bind(&f.lessons)
    .bind(&f.scaling)
    .bind_at(at)
    .fetch_one(&mut *c)
    .await?;
    col(&r, "id")
}

/// Changes experiment `experiment_id` of the lab of `g` at `version`; `false` when it is not
/// there or changed since.
pub async fn update_experiment(c: &mut Conn, g: &LabGrant, experiment_id: i64, version: i64, f: &ExperimentFields, at: i64) -> Result<bool, StoreError> {
    let n = q("UPDATE field_lab_experiments SET hypothesis = $1, intervention_type = $2, place = $3, starts_on = $4, ends_on = $5, design = $6, dpia = $7, \
         lessons = $8, scaling = $9, updated_at = $10, version = version + 1 WHERE id = $11 AND lab_id = $12 AND version = $13")
    .bind(&f.hypothesis)
    .bind(&f.intervention_type)
    .bind(&f.place)
    .bind(&f.starts_on)
    .bind(&f.ends_on)
    .bind(&f.design)
    .bind(f.dpia)
    .bind(&f.lessons)
    .bind(&f.scaling)
    .bind_at(at)
    .bind(experiment_id)
    .bind(g.id())
    .bind(version)
    .execute(&mut *c)
    .await?
    .rows_affected();
    Ok(n == 1)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorRow {
    pub id: i64,
    pub experiment_id: i64,
    pub name: String,
    pub baseline: String,
    pub result: String,
}

/// The indicators of every experiment of the lab of `g` (with `only`, of that experiment).
pub async fn indicators(c: &mut Conn, g: &LabGrant, only: Option<i64>) -> Result<Vec<IndicatorRow>, StoreError> {
    let rows = q("SELECT i.id, i.experiment_id, i.name, i.baseline, i.result FROM field_lab_indicators i JOIN field_lab_experiments x ON x.id = i.experiment_id \
         WHERE x.lab_id = $1 AND (CAST($2 AS BIGINT) IS NULL OR x.id = $2) ORDER BY i.experiment_id, i.id")
    .bind(g.id())
    .bind(only)
    .fetch_all(&mut *c)
    .await?;
    rows.iter()
        .map(|r| Ok(IndicatorRow { id: col(r, "id")?, experiment_id: col(r, "experiment_id")?, name: col(r, "name")?, baseline: col(r, "baseline")?, result: col(r, "result")? }))
        .collect()
}

/// Adds an indicator to experiment `experiment_id` of the lab of `g`; `None` when the experiment
/// is not the lab's.
pub async fn add_indicator(c: &mut Conn, g: &LabGrant, experiment_id: i64, name: &str, baseline: &str, result: &str) -> Result<Option<i64>, StoreError> {
    let r =
        q("INSERT INTO field_lab_indicators (experiment_id, name, baseline, result) SELECT id, $1, $2, $3 FROM field_lab_experiments WHERE id = $4 AND lab_id = $5 RETURNING id")
            .bind(name)
            .bind(baseline)
            .bind(result)
            .bind(experiment_id)
            .bind(g.id())
            .fetch_optional(&mut *c)
            .await?;
    r.as_ref().map(|r| col(r, "id")).transpose()
}

/// Sets the result of indicator `indicator_id` of the lab of `g`; `false` when it is not there.
pub async fn set_indicator_result(c: &mut Conn, g: &LabGrant, indicator_id: i64, result: &str) -> Result<bool, StoreError> {
    let n = q("UPDATE field_lab_indicators SET result = $1 WHERE id = $2 AND experiment_id IN (SELECT id FROM field_lab_experiments WHERE lab_id = $3)")
        .bind(result)
        .bind(indicator_id)
        .bind(g.id())
        .execute(&mut *c)
        .await?
        .rows_affected();
    Ok(n == 1)
}
