//! The phenomenon taxonomy (reference data, no personal data): clusters and settings in
//! `taxonomy_terms`, phenomena in `phenomena` (the table cases and desk signals refer to), each
//! region's focus list, and the settings of a case. Terms are never deleted: a term that no
//! longer applies gets an end date and what replaces it, so what was recorded keeps its meaning.

use crate::db::{col, Conn, StoreError};
use crate::query::{q, time, Row};
use knooppunt_policy::cases::CaseGrant;

/// The axis of a term: clusters and settings live in `taxonomy_terms`, phenomena in `phenomena`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Axis {
    Cluster,
    Phenomenon,
    Setting,
}

impl Axis {
    /// The value of `taxonomy_terms.axis` (phenomena have their own table).
    fn stored(self) -> &'static str {
        match self {
            Self::Cluster => "cluster",
            Self::Phenomenon => "phenomenon",
            Self::Setting => "setting",
        }
    }
}

/// One term of any axis, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TermRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub name_en: String,
    /// Separated by `;`.
    pub synonyms: String,
    pub source: String,
    /// `YYYY-MM-DD`, the first day it applies.
    pub valid_from: String,
    /// `YYYY-MM-DD`, the first day it no longer applies.
    pub valid_to: Option<String>,
    pub replaced_by: Option<i64>,
    /// A phenomenon's cluster; `None` for clusters and settings.
    pub cluster_id: Option<i64>,
    pub ordinal: i64,
    pub version: i64,
    pub updated_by: String,
    pub updated_at: Option<i64>,
}

const TERM: &str = "SELECT id, code, name, name_en, synonyms, source, valid_from, valid_to, replaced_by, NULL AS cluster_id, ordinal, version, updated_by, updated_at \
     FROM taxonomy_terms WHERE axis = $1";
const PHENOMENON: &str = "SELECT id, code, name, name_en, synonyms, source, valid_from, valid_to, replaced_by, cluster_id, CAST(0 AS BIGINT) AS ordinal, version, \
     updated_by, updated_at FROM phenomena";

fn term_row(r: &Row) -> Result<TermRow, StoreError> {
    Ok(TermRow {
        id: col(r, "id")?,
        code: col(r, "code")?,
        name: col(r, "name")?,
        name_en: col(r, "name_en")?,
        synonyms: col(r, "synonyms")?,
        source: col(r, "source")?,
        valid_from: col(r, "valid_from")?,
        valid_to: col(r, "valid_to")?,
        replaced_by: col(r, "replaced_by")?,
        cluster_id: col(r, "cluster_id")?,
        ordinal: col(r, "ordinal")?,
        version: col(r, "version")?,
        updated_by: col(r, "updated_by")?,
        updated_at: time(r, "updated_at")?,
    })
}

/// Every term of `axis`, also those no longer valid (clusters and settings in their order,
/// phenomena by name).
pub async fn terms(c: &mut Conn, axis: Axis) -> Result<Vec<TermRow>, StoreError> {
    let rows = match axis {
        Axis::Phenomenon => q(format!("{PHENOMENON} ORDER BY name, id")).fetch_all(&mut *c).await?,
        Axis::Cluster | Axis::Setting => q(format!("{TERM} ORDER BY ordinal, name, id")).bind(axis.stored()).fetch_all(&mut *c).await?,
    };
    rows.iter().map(term_row).collect()
}

/// One term of `axis` by its code.
pub async fn term(c: &mut Conn, axis: Axis, code: &str) -> Result<Option<TermRow>, StoreError> {
    let row = match axis {
        Axis::Phenomenon => q(format!("{PHENOMENON} WHERE code = $1")).bind(code).fetch_optional(&mut *c).await?,
        Axis::Cluster | Axis::Setting => q(format!("{TERM} AND code = $2")).bind(axis.stored()).bind(code).fetch_optional(&mut *c).await?,
    };
    row.as_ref().map(term_row).transpose()
}

/// Adds a term; its id. A phenomenon takes a generation of the search index (the nodes'
/// copies hold the phenomena's names: [`crate::replica`]).
pub async fn insert_term(c: &mut Conn, axis: Axis, t: &TermRow, by: &str, at: i64) -> Result<i64, StoreError> {
    let r = match axis {
        Axis::Phenomenon => {
            crate::search::note_reference_change(c).await?;
            q("INSERT INTO phenomena (code, name, name_en, synonyms, source, valid_from, valid_to, replaced_by, cluster_id, version, updated_by, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11) RETURNING id")
            .bind(&t.code)
            .bind(&t.name)
            .bind(&t.name_en)
            .bind(&t.synonyms)
            .bind(&t.source)
            .bind(&t.valid_from)
            .bind(&t.valid_to)
            .bind(t.replaced_by)
            .bind(t.cluster_id)
            .bind(by)
            .bind_at(at)
            .fetch_one(&mut *c)
            .await?
        }
        Axis::Cluster | Axis::Setting => {
            q("INSERT INTO taxonomy_terms (axis, code, name, name_en, synonyms, source, valid_from, valid_to, replaced_by, ordinal, version, updated_by, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, (SELECT COALESCE(MAX(ordinal), 0) + 1 FROM taxonomy_terms WHERE axis = $1), 1, $10, $11) RETURNING id")
            .bind(axis.stored())
            .bind(&t.code)
            .bind(&t.name)
            .bind(&t.name_en)
            .bind(&t.synonyms)
            .bind(&t.source)
            .bind(&t.valid_from)
            .bind(&t.valid_to)
            .bind(t.replaced_by)
            .bind(by)
            .bind_at(at)
            .fetch_one(&mut *c)
            .await?
        }
    };
    col(&r, "id")
}

/// Changes what a term says (not its code) if nobody changed it since `t.version`; false
/// otherwise. A phenomenon takes a generation of the search index, as in [`insert_term`].
pub async fn update_term(c: &mut Conn, axis: Axis, t: &TermRow, by: &str, at: i64) -> Result<bool, StoreError> {
    let r = match axis {
        Axis::Phenomenon => {
            crate::search::note_reference_change(c).await?;
            q("UPDATE phenomena SET name = $1, name_en = $2, synonyms = $3, source = $4, valid_from = $5, valid_to = $6, replaced_by = $7, cluster_id = $8, \
                 version = version + 1, updated_by = $9, updated_at = $10 WHERE id = $11 AND version = $12")
            .bind(&t.name)
            .bind(&t.name_en)
            .bind(&t.synonyms)
            .bind(&t.source)
            .bind(&t.valid_from)
            .bind(&t.valid_to)
            .bind(t.replaced_by)
            .bind(t.cluster_id)
            .bind(by)
            .bind_at(at)
            .bind(t.id)
            .bind(t.version)
            .execute(&mut *c)
            .await?
        }
        Axis::Cluster | Axis::Setting => {
            q("UPDATE taxonomy_terms SET name = $1, name_en = $2, synonyms = $3, source = $4, valid_from = $5, valid_to = $6, replaced_by = $7, \
                 version = version + 1, updated_by = $8, updated_at = $9 WHERE id = $10 AND version = $11 AND axis = $12")
            .bind(&t.name)
            .bind(&t.name_en)
            .bind(&t.synonyms)
            .bind(&t.source)
            .bind(&t.valid_from)
            .bind(&t.valid_to)
            .bind(t.replaced_by)
            .bind(by)
            .bind_at(at)
            .bind(t.id)
            .bind(t.version)
            .bind(axis.stored())
            .execute(&mut *c)
            .await?
        }
    };
    Ok(r.rows_affected() == 1)
}

/// The focus list of every region: (region id, phenomenon id).
pub async fn region_focus(c: &mut Conn) -> Result<Vec<(i64, i64)>, StoreError> {
    let rows = q("SELECT region_id, phenomenon_id FROM region_phenomena ORDER BY region_id, phenomenon_id").fetch_all(&mut *c).await?;
    rows.iter().map(|r| Ok((col(r, "region_id")?, col(r, "phenomenon_id")?))).collect()
}

/// Replaces the focus list of a region.
pub async fn set_region_focus(c: &mut Conn, region_id: i64, phenomena: &[i64]) -> Result<(), StoreError> {
    q("DELETE FROM region_phenomena WHERE region_id = $1").bind(region_id).execute(&mut *c).await?;
    for p in phenomena {
        q("INSERT INTO region_phenomena (region_id, phenomenon_id) VALUES ($1, $2)").bind(region_id).bind(p).execute(&mut *c).await?;
    }
    Ok(())
}

/// Replaces the settings of a case (called by the use case that registered or opened it).
pub async fn set_case_settings(c: &mut Conn, case_id: i64, settings: &[i64]) -> Result<(), StoreError> {
    q("DELETE FROM case_settings WHERE case_id = $1").bind(case_id).execute(&mut *c).await?;
    for s in settings {
        q("INSERT INTO case_settings (case_id, setting_id) VALUES ($1, $2)").bind(case_id).bind(s).execute(&mut *c).await?;
    }
    Ok(())
}

/// The settings of the case of `g`: (code, name).
pub async fn case_settings(c: &mut Conn, g: &CaseGrant) -> Result<Vec<(String, String)>, StoreError> {
    let rows = q("SELECT t.code, t.name FROM case_settings cs JOIN taxonomy_terms t ON t.id = cs.setting_id WHERE cs.case_id = $1 ORDER BY t.ordinal, t.name")
        .bind(g.case_id())
        .fetch_all(&mut *c)
        .await?;
    rows.iter().map(|r| Ok((col(r, "code")?, col(r, "name")?))).collect()
}
