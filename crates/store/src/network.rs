//! Regions, municipalities and organisations.

use crate::db::{col, Conn, StoreError};
use crate::query::{q, time, Row};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<i64>,
    pub merged_into_id: Option<i64>,
    pub active: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

const REGION_COLS: &str = "id, code, name, kind, parent_id, merged_into_id, active, created_at, updated_at";

fn region(row: &Row) -> Result<RegionRow, StoreError> {
    Ok(RegionRow {
        id: col(row, "id")?,
        code: col(row, "code")?,
        name: col(row, "name")?,
        kind: col(row, "kind")?,
        parent_id: col(row, "parent_id")?,
        merged_into_id: col(row, "merged_into_id")?,
        active: col(row, "active")?,
        created_at: time(row, "created_at")?,
        updated_at: time(row, "updated_at")?,
    })
}

pub struct NewRegion<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub parent_id: Option<i64>,
}

pub async fn insert_region(c: &mut Conn, r: NewRegion<'_>, at: i64) -> Result<i64, StoreError> {
    let row = q("INSERT INTO regions (code, name, kind, parent_id, active, created_at, updated_at) VALUES ($1, $2, $3, $4, TRUE, $5, $5) RETURNING id")
        .bind(r.code)
        .bind(r.name)
        .bind(r.kind)
        .bind(r.parent_id)
        .bind_at(at)
        .fetch_one(&mut *c)
        .await?;
    col(&row, "id")
}

pub async fn list_regions(c: &mut Conn) -> Result<Vec<RegionRow>, StoreError> {
    let rows = q(format!("SELECT {REGION_COLS} FROM regions ORDER BY active DESC, kind DESC, name")).fetch_all(&mut *c).await?;
    rows.iter().map(region).collect()
}

pub async fn find_region_by_code(c: &mut Conn, code: &str) -> Result<Option<RegionRow>, StoreError> {
    let row = q(format!("SELECT {REGION_COLS} FROM regions WHERE code = $1")).bind(code).fetch_optional(&mut *c).await?;
    row.as_ref().map(region).transpose()
}

pub async fn find_region(c: &mut Conn, id: i64) -> Result<Option<RegionRow>, StoreError> {
    let row = q(format!("SELECT {REGION_COLS} FROM regions WHERE id = $1")).bind(id).fetch_optional(&mut *c).await?;
    row.as_ref().map(region).transpose()
}

pub async fn rename_region(c: &mut Conn, id: i64, name: &str, at: i64) -> Result<(), StoreError> {
    q("UPDATE regions SET name = $1, updated_at = $2 WHERE id = $3").bind(name).bind_at(at).bind(id).execute(&mut *c).await?;
    Ok(())
}

/// Marks `from` as merged into `into` and moves what belonged to it: municipalities (with a
/// history row each), organisations' home region, child regions and regional role grants.
pub async fn merge_region(c: &mut Conn, from: i64, into: i64, at: i64) -> Result<Vec<i64>, StoreError> {
    let moved = q("SELECT id FROM municipalities WHERE region_id = $1 ORDER BY id").bind(from).fetch_all(&mut *c).await?;
    let ids: Vec<i64> = moved.iter().map(|r| col(r, "id")).collect::<Result<_, _>>()?;
    for m in &ids {
        move_municipality(c, *m, into, at).await?;
    }
    q("UPDATE organisations SET home_region_id = $1 WHERE home_region_id = $2").bind(into).bind(from).execute(&mut *c).await?;
    q("UPDATE regions SET parent_id = $1 WHERE parent_id = $2").bind(into).bind(from).execute(&mut *c).await?;
    // Grants that would duplicate an existing grant in the target are dropped, the rest move.
    q("DELETE FROM user_roles WHERE region_id = $1 AND EXISTS (SELECT 1 FROM user_roles o WHERE o.user_id = user_roles.user_id AND o.role = user_roles.role AND o.region_id = $2)")
        .bind(from)
        .bind(into)
        .execute(&mut *c)
        .await?;
    for table in ["cases", "subjects", "case_participants", "subject_match_keys", "subject_encodings", "national_approach_cases"] {
        q(format!("UPDATE {table} SET region_id = $1 WHERE region_id = $2")).bind(into).bind(from).execute(&mut *c).await?;
    }
    for column in ["region_a", "region_b"] {
        q(format!("UPDATE treffers SET {column} = $1 WHERE {column} = $2")).bind(into).bind(from).execute(&mut *c).await?;
    }
    q("UPDATE user_roles SET region_id = $1 WHERE region_id = $2").bind(into).bind(from).execute(&mut *c).await?;
    q("UPDATE api_token_roles SET region_id = $1 WHERE region_id = $2").bind(into).bind(from).execute(&mut *c).await?;
    q("UPDATE regions SET active = FALSE, merged_into_id = $1, updated_at = $2 WHERE id = $3").bind(into).bind_at(at).bind(from).execute(&mut *c).await?;
    Ok(ids)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionEvent {
    pub event: String,
    pub detail: String,
    pub actor: String,
    pub at: i64,
}

pub async fn add_region_event(c: &mut Conn, region_id: i64, e: &RegionEvent) -> Result<(), StoreError> {
    q("INSERT INTO region_events (region_id, event, detail, actor, at) VALUES ($1, $2, $3, $4, $5)")
        .bind(region_id)
        .bind(&e.event)
        .bind(&e.detail)
        .bind(&e.actor)
        .bind_at(e.at)
        .execute(&mut *c)
        .await?;
    Ok(())
}

pub async fn region_events(c: &mut Conn, region_id: i64) -> Result<Vec<RegionEvent>, StoreError> {
    let rows = q("SELECT event, detail, actor, at FROM region_events WHERE region_id = $1 ORDER BY at DESC, id DESC").bind(region_id).fetch_all(&mut *c).await?;
    rows.iter().map(|r| Ok(RegionEvent { event: col(r, "event")?, detail: col(r, "detail")?, actor: col(r, "actor")?, at: time(r, "at")? })).collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MunicipalityRow {
    pub id: i64,
    pub cbs_code: String,
    pub name: String,
    pub province: String,
    pub region_id: i64,
    pub region_code: String,
    pub region_name: String,
}

fn municipality(row: &Row) -> Result<MunicipalityRow, StoreError> {
    Ok(MunicipalityRow {
        id: col(row, "id")?,
        cbs_code: col(row, "cbs_code")?,
        name: col(row, "name")?,
        province: col(row, "province")?,
        region_id: col(row, "region_id")?,
        region_code: col(row, "region_code")?,
        region_name: col(row, "region_name")?,
    })
}

const MUNI_SELECT: &str =
    "SELECT m.id, m.cbs_code, m.name, m.province, m.region_id, r.code AS region_code, r.name AS region_name FROM municipalities m JOIN regions r ON r.id = m.region_id";

pub async fn insert_municipality(c: &mut Conn, cbs_code: &str, name: &str, province: &str, region_id: i64, at: i64) -> Result<i64, StoreError> {
    let row = q("INSERT INTO municipalities (cbs_code, name, province, region_id) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(cbs_code)
        .bind(name)
        .bind(province)
        .bind(region_id)
        .fetch_one(&mut *c)
        .await?;
    let id: i64 = col(&row, "id")?;
    q("INSERT INTO municipality_regions (municipality_id, region_id, valid_from) VALUES ($1, $2, $3)").bind(id).bind(region_id).bind(at).execute(&mut *c).await?;
    Ok(id)
}

/// Filters for the municipality list; `None` means no filter.
#[derive(Debug, Default, Clone)]
pub struct MunicipalityFilter {
    pub region_id: Option<i64>,
    /// Case-insensitive part of the name or CBS code.
    pub text: Option<String>,
}

pub async fn list_municipalities(c: &mut Conn, f: &MunicipalityFilter) -> Result<Vec<MunicipalityRow>, StoreError> {
    let text = f.text.as_ref().map(|t| format!("%{}%", t.to_lowercase()));
    let rows = q(format!(
        "{MUNI_SELECT} WHERE (CAST($1 AS BIGINT) IS NULL OR m.region_id = $1) AND (CAST($2 AS TEXT) IS NULL OR lower(m.name) LIKE $2 OR lower(m.cbs_code) LIKE $2) ORDER BY m.name"
    ))
    .bind(f.region_id)
    .bind(text)
    .fetch_all(&mut *c)
    .await?;
    rows.iter().map(municipality).collect()
}

pub async fn find_municipality_by_cbs(c: &mut Conn, cbs: &str) -> Result<Option<MunicipalityRow>, StoreError> {
    let row = q(format!("{MUNI_SELECT} WHERE m.cbs_code = $1")).bind(cbs).fetch_optional(&mut *c).await?;
    row.as_ref().map(municipality).transpose()
}

/// Moves a municipality to another region, closing its current history row.
pub async fn move_municipality(c: &mut Conn, municipality_id: i64, region_id: i64, at: i64) -> Result<(), StoreError> {
    q("UPDATE municipality_regions SET valid_to = $1 WHERE municipality_id = $2 AND valid_to IS NULL").bind(at).bind(municipality_id).execute(&mut *c).await?;
    q("INSERT INTO municipality_regions (municipality_id, region_id, valid_from) VALUES ($1, $2, $3)").bind(municipality_id).bind(region_id).bind(at).execute(&mut *c).await?;
    q("UPDATE municipalities SET region_id = $1 WHERE id = $2").bind(region_id).bind(municipality_id).execute(&mut *c).await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MunicipalityHistory {
    pub region_code: String,
    pub region_name: String,
    pub valid_from: i64,
    pub valid_to: Option<i64>,
}

pub async fn municipality_history(c: &mut Conn, municipality_id: i64) -> Result<Vec<MunicipalityHistory>, StoreError> {
    let rows = q(
        "SELECT r.code, r.name, h.valid_from, h.valid_to FROM municipality_regions h JOIN regions r ON r.id = h.region_id WHERE h.municipality_id = $1 ORDER BY h.valid_from, h.id",
    )
    .bind(municipality_id)
    .fetch_all(&mut *c)
    .await?;
    rows.iter()
        .map(|r| Ok(MunicipalityHistory { region_code: col(r, "code")?, region_name: col(r, "name")?, valid_from: col(r, "valid_from")?, valid_to: col(r, "valid_to")? }))
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationRow {
    pub id: i64,
    pub name: String,
    pub partner_type: String,
    pub municipality_id: Option<i64>,
    pub national: bool,
    pub active: bool,
    /// The region the organisation works in: its municipality's region, or its home region;
    /// `None` for national organisations.
    pub region_id: Option<i64>,
    pub region_name: Option<String>,
}

const ORG_SELECT: &str = "SELECT o.id, o.name, o.partner_type, o.municipality_id, o.national, o.active, r.id AS region_id, r.name AS region_name \
    FROM organisations o LEFT JOIN municipalities m ON m.id = o.municipality_id \
    LEFT JOIN regions r ON r.id = COALESCE(m.region_id, o.home_region_id)";

fn organisation(row: &Row) -> Result<OrganisationRow, StoreError> {
    Ok(OrganisationRow {
        id: col(row, "id")?,
        name: col(row, "name")?,
        partner_type: col(row, "partner_type")?,
        municipality_id: col(row, "municipality_id")?,
        national: col(row, "national")?,
        active: col(row, "active")?,
        region_id: col(row, "region_id")?,
        region_name: col(row, "region_name")?,
    })
}

pub struct NewOrganisation<'a> {
    pub name: &'a str,
    pub partner_type: &'a str,
    pub municipality_id: Option<i64>,
    pub home_region_id: Option<i64>,
    pub national: bool,
}

pub async fn insert_organisation(c: &mut Conn, o: NewOrganisation<'_>, at: i64) -> Result<i64, StoreError> {
    let row = q("INSERT INTO organisations (name, partner_type, municipality_id, home_region_id, national, active, created_at) VALUES ($1, $2, $3, $4, $5, TRUE, $6) RETURNING id")
        .bind(o.name)
        .bind(o.partner_type)
        .bind(o.municipality_id)
        .bind(o.home_region_id)
        .bind(o.national)
        .bind_at(at)
        .fetch_one(&mut *c)
        .await?;
    col(&row, "id")
}

#[derive(Debug, Default, Clone)]
pub struct OrganisationFilter {
    /// Organisations working in this region (national ones included).
    pub region_id: Option<i64>,
    pub partner_type: Option<String>,
    pub text: Option<String>,
}

pub async fn list_organisations(c: &mut Conn, f: &OrganisationFilter) -> Result<Vec<OrganisationRow>, StoreError> {
    let text = f.text.as_ref().map(|t| format!("%{}%", t.to_lowercase()));
    let rows = q(format!(
        "{ORG_SELECT} WHERE (CAST($1 AS BIGINT) IS NULL OR r.id = $1 OR o.national = TRUE) AND (CAST($2 AS TEXT) IS NULL OR o.partner_type = $2) AND (CAST($3 AS TEXT) IS NULL OR lower(o.name) LIKE $3) ORDER BY o.name"
    ))
    .bind(f.region_id)
    .bind(f.partner_type.clone())
    .bind(text)
    .fetch_all(&mut *c)
    .await?;
    rows.iter().map(organisation).collect()
}

pub async fn find_organisation(c: &mut Conn, id: i64) -> Result<Option<OrganisationRow>, StoreError> {
    let row = q(format!("{ORG_SELECT} WHERE o.id = $1")).bind(id).fetch_optional(&mut *c).await?;
    row.as_ref().map(organisation).transpose()
}

pub async fn find_organisation_by_name(c: &mut Conn, name: &str) -> Result<Option<OrganisationRow>, StoreError> {
    let row = q(format!("{ORG_SELECT} WHERE o.name = $1")).bind(name).fetch_optional(&mut *c).await?;
    row.as_ref().map(organisation).transpose()
}

pub async fn count(c: &mut Conn, table: Table) -> Result<i64, StoreError> {
    let row = q(format!("SELECT COUNT(*) AS n FROM {}", table.name())).fetch_one(&mut *c).await?;
    col(&row, "n")
}

/// Tables whose size the readiness check and the demo report.
#[derive(Debug, Clone, Copy)]
pub enum Table {
    Regions,
    Municipalities,
    Organisations,
    Users,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Table::Regions => "regions",
            Table::Municipalities => "municipalities",
            Table::Organisations => "organisations",
            Table::Users => "users",
        }
    }
}

/// How many organisations of each partner type the network has (the register of processing
/// activities names the recipients by type).
pub async fn partner_type_counts(c: &mut Conn) -> Result<Vec<(String, i64)>, StoreError> {
    let rows = q("SELECT partner_type, COUNT(*) AS n FROM organisations GROUP BY partner_type ORDER BY partner_type").fetch_all(&mut *c).await?;
    rows.iter().map(|r| Ok((col(r, "partner_type")?, col(r, "n")?))).collect()
}
