//! Information items, their releases and attachments.

use super::{CaseGrant, CaseScope, ItemGrant, Sql};
use crate::db::{col, Conn, StoreError};
use crate::query::{q, time, Row};

// ---------------------------------------------------------------------------------------------
// Information items

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemRow {
    pub id: i64,
    pub case_id: i64,
    pub supplier_organisation_id: i64,
    pub supplier_name: String,
    pub legal_basis: String,
    pub legal_basis_name: String,
    pub purpose: String,
    pub purpose_name: String,
    pub title: String,
    pub body: String,
    pub info_date: String,
    pub reliability: String,
    pub classification: String,
    pub sharing_conditions: String,
    pub request_id: Option<i64>,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
    /// When the supplier withdrew the item (no more releases, changes or use).
    pub withdrawn_at: Option<i64>,
    pub withdrawn_by: String,
    pub withdrawn_reason: String,
    /// When its texts and attachments were destroyed under the retention rule.
    pub destroyed_at: Option<i64>,
}

const ITEM_SELECT: &str = "SELECT i.id, i.case_id, i.supplier_organisation_id, o.name AS supplier_name, lb.code AS legal_basis, lb.name AS legal_basis_name, \
    pu.code AS purpose, pu.name AS purpose_name, i.title, i.body, i.info_date, i.reliability, i.classification, i.sharing_conditions, i.request_id, \
    i.created_by, i.created_at, i.updated_at, i.version, i.withdrawn_at, i.withdrawn_by, i.withdrawn_reason, i.destroyed_at FROM items i JOIN cases c ON c.id = i.case_id JOIN organisations o ON o.id = i.supplier_organisation_id \
    JOIN legal_bases lb ON lb.id = i.legal_basis_id JOIN purposes pu ON pu.id = i.purpose_id";

fn item_row(r: &Row) -> Result<ItemRow, StoreError> {
    Ok(ItemRow {
        id: col(r, "id")?,
        case_id: col(r, "case_id")?,
        supplier_organisation_id: col(r, "supplier_organisation_id")?,
        supplier_name: col(r, "supplier_name")?,
        legal_basis: col(r, "legal_basis")?,
        legal_basis_name: col(r, "legal_basis_name")?,
        purpose: col(r, "purpose")?,
        purpose_name: col(r, "purpose_name")?,
        title: col(r, "title")?,
        body: col(r, "body")?,
        info_date: col(r, "info_date")?,
        reliability: col(r, "reliability")?,
        classification: col(r, "classification")?,
        sharing_conditions: col(r, "sharing_conditions")?,
        request_id: col(r, "request_id")?,
        created_by: col(r, "created_by")?,
        created_at: time(r, "created_at")?,
        updated_at: time(r, "updated_at")?,
        version: col(r, "version")?,
        withdrawn_at: time(r, "withdrawn_at")?,
        withdrawn_by: col(r, "withdrawn_by")?,
        withdrawn_reason: col(r, "withdrawn_reason")?,
        destroyed_at: time(r, "destroyed_at")?,
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewItem {
    pub case_id: i64,
    pub supplier_organisation_id: i64,
    pub legal_basis_id: i64,
    pub purpose_id: i64,
    pub title: String,
    pub body: String,
    pub info_date: String,
    pub reliability: String,
    pub classification: String,
    pub sharing_conditions: String,
    pub request_id: Option<i64>,
    pub created_by: String,
}

pub async fn insert_item(c: &mut Conn, n: &NewItem, at: i64) -> Result<i64, StoreError> {
    let r = q("INSERT INTO items (case_id, supplier_organisation_id, legal_basis_id, purpose_id, title, body, info_date, reliability, classification, \
         sharing_conditions, request_id, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id")
    .bind(n.case_id)
    .bind(n.supplier_organisation_id)
    .bind(n.legal_basis_id)
    .bind(n.purpose_id)
    .bind(&n.title)
    .bind(&n.body)
    .bind(&n.info_date)
    .bind(&n.reliability)
    .bind(&n.classification)
    .bind(&n.sharing_conditions)
    .bind(n.request_id)
    .bind(&n.created_by)
    .bind_at(at)
    .fetch_one(&mut *c)
    .await?;
    col(&r, "id")
}

/// Changes the content of an item if nobody changed it since `version`.
pub async fn update_item(c: &mut Conn, id: i64, n: &NewItem, version: i64, at: i64) -> Result<bool, StoreError> {
    let r = q("UPDATE items SET legal_basis_id = $1, purpose_id = $2, title = $3, body = $4, info_date = $5, reliability = $6, classification = $7, \
         sharing_conditions = $8, updated_at = $9, version = version + 1 WHERE id = $10 AND version = $11")
    .bind(n.legal_basis_id)
    .bind(n.purpose_id)
    .bind(&n.title)
    .bind(&n.body)
    .bind(&n.info_date)
    .bind(&n.reliability)
    .bind(&n.classification)
    .bind(&n.sharing_conditions)
    .bind_at(at)
    .bind(id)
    .bind(version)
    .execute(&mut *c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Withdraws an item for its supplier: marks it withdrawn and ends every release still in force
/// (their reason says the supplier withdrew the item). `false` when it was withdrawn already.
pub async fn withdraw_item(c: &mut Conn, item_id: i64, by: &str, reason: &str, at: i64) -> Result<bool, StoreError> {
    let r = q("UPDATE items SET withdrawn_at = $1, withdrawn_by = $2, withdrawn_reason = $3, updated_at = $1, version = version + 1 WHERE id = $4 AND withdrawn_at IS NULL")
        .bind_at(at)
        .bind(by)
        .bind(reason)
        .bind(item_id)
        .execute(&mut *c)
        .await?;
    if r.rows_affected() != 1 {
        return Ok(false);
    }
    q("UPDATE item_releases SET withdrawn_at = $1, withdrawn_by = $2, withdrawn_reason = 'de leverancier heeft de bijdrage ingetrokken' WHERE item_id = $3 AND withdrawn_at IS NULL")
        .bind_at(at)
        .bind(by)
        .bind(item_id)
        .execute(&mut *c)
        .await?;
    Ok(true)
}

/// Narrows items `i` to those the holder of `g` may see (the SQL form of `decide_item(View)`).
fn item_visible_to(sq: &mut Sql, g: &CaseGrant) {
    if let Some(org) = g.participant() {
        sq.push(" AND (i.supplier_organisation_id = ").int(org);
        sq.push(" OR EXISTS (SELECT 1 FROM item_releases r WHERE r.item_id = i.id AND r.withdrawn_at IS NULL AND r.organisation_id = ").int(org).push("))");
    }
}

/// An item of the case of `g` if its holder may see it, with the organisations it is released
/// to now: the facts the use case hands to `policy::cases::grant_item`.
pub async fn find_item(c: &mut Conn, g: &CaseGrant, id: i64) -> Result<Option<(ItemRow, Vec<i64>)>, StoreError> {
    let mut sq = Sql::new(ITEM_SELECT);
    sq.push(" WHERE i.case_id = ").int(g.case_id()).push(" AND i.id = ").int(id);
    item_visible_to(&mut sq, g);
    let Some(r) = sq.query().fetch_optional(&mut *c).await? else {
        return Ok(None);
    };
    let item = item_row(&r)?;
    let rows = q("SELECT organisation_id FROM item_releases WHERE item_id = $1 AND withdrawn_at IS NULL ORDER BY organisation_id").bind(id).fetch_all(&mut *c).await?;
    let released_to = rows.iter().map(|r| col(r, "organisation_id")).collect::<Result<Vec<i64>, _>>()?;
    Ok(Some((item, released_to)))
}

/// The items of the case of `g` that its holder may see.
pub async fn visible_items(c: &mut Conn, g: &CaseGrant) -> Result<Vec<ItemRow>, StoreError> {
    let mut sq = Sql::new(ITEM_SELECT);
    sq.push(" WHERE i.case_id = ").int(g.case_id());
    item_visible_to(&mut sq, g);
    sq.push(" ORDER BY i.info_date DESC, i.id DESC");
    let rows = sq.query().fetch_all(&mut *c).await?;
    rows.iter().map(item_row).collect()
}

/// Ids of every item `scope` may see, over all cases (property test).
pub async fn visible_item_ids(c: &mut Conn, scope: &CaseScope) -> Result<Vec<i64>, StoreError> {
    let mut sq = Sql::new("SELECT i.id FROM items i JOIN cases c ON c.id = i.case_id WHERE ");
    sq.case_visible(scope).push(" AND ").item_visible(scope).push(" ORDER BY i.id");
    let rows = sq.query().fetch_all(&mut *c).await?;
    rows.iter().map(|r| col(r, "id")).collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseRow {
    pub organisation_id: i64,
    pub organisation_name: String,
    pub released_at: i64,
    pub released_by: String,
    pub basis: String,
    pub withdrawn_at: Option<i64>,
    pub withdrawn_by: Option<String>,
    /// Why it was withdrawn when not by the supplier's decision (the recipient was removed).
    pub withdrawn_reason: String,
}

/// The release list of the item of `g` (empty unless the holder may see it: supplier and team).
pub async fn releases(c: &mut Conn, g: &ItemGrant) -> Result<Vec<ReleaseRow>, StoreError> {
    if !g.releases_visible() {
        return Ok(Vec::new());
    }
    let item_id = g.item_id();
    let rows = q("SELECT r.organisation_id, o.name AS organisation_name, r.released_at, r.released_by, r.basis, r.withdrawn_at, r.withdrawn_by, r.withdrawn_reason \
         FROM item_releases r JOIN organisations o ON o.id = r.organisation_id WHERE r.item_id = $1 ORDER BY o.name")
    .bind(item_id)
    .fetch_all(&mut *c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ReleaseRow {
                organisation_id: col(r, "organisation_id")?,
                organisation_name: col(r, "organisation_name")?,
                released_at: time(r, "released_at")?,
                released_by: col(r, "released_by")?,
                basis: col(r, "basis")?,
                withdrawn_at: time(r, "withdrawn_at")?,
                withdrawn_by: col(r, "withdrawn_by")?,
                withdrawn_reason: col(r, "withdrawn_reason")?,
            })
        })
        .collect()
}

/// Active releases of the items of the case of `g` that its holder may see
/// (`policy::cases::may_see_release`: the team all, a participant those of items it supplied):
/// `(item_id, organisation_id)`.
pub async fn case_releases(c: &mut Conn, g: &CaseGrant) -> Result<Vec<(i64, i64)>, StoreError> {
    let mut sq = Sql::new("SELECT r.item_id, r.organisation_id FROM item_releases r JOIN items i ON i.id = r.item_id WHERE i.case_id = ");
    sq.int(g.case_id()).push(" AND r.withdrawn_at IS NULL");
    if let Some(org) = g.participant() {
        sq.push(" AND i.supplier_organisation_id = ").int(org);
    }
    let rows = sq.query().fetch_all(&mut *c).await?;
    rows.iter().map(|r| Ok((col(r, "item_id")?, col(r, "organisation_id")?))).collect()
}

/// Releases an item to an organisation; false when it already is.
pub async fn release(c: &mut Conn, item_id: i64, org: i64, by: &str, basis: &str, at: i64) -> Result<bool, StoreError> {
    let r = q("INSERT INTO item_releases (item_id, organisation_id, released_at, released_by, basis) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (item_id, organisation_id) DO UPDATE SET released_at = excluded.released_at, released_by = excluded.released_by, basis = excluded.basis, \
         withdrawn_at = NULL, withdrawn_by = NULL, withdrawn_reason = '' WHERE item_releases.withdrawn_at IS NOT NULL")
    .bind(item_id)
    .bind(org)
    .bind_at(at)
    .bind(by)
    .bind(basis)
    .execute(&mut *c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Withdraws every active release of the case's items to `org` (the organisation was removed
/// from the case), with the removal as reason; returns the items concerned.
pub async fn withdraw_all_to(c: &mut Conn, case_id: i64, org: i64, by: &str, reason: &str, at: i64) -> Result<Vec<i64>, StoreError> {
    let rows = q("UPDATE item_releases SET withdrawn_at = $1, withdrawn_by = $2, withdrawn_reason = $3 \
         WHERE organisation_id = $4 AND withdrawn_at IS NULL AND item_id IN (SELECT id FROM items WHERE case_id = $5) RETURNING item_id")
    .bind_at(at)
    .bind(by)
    .bind(reason)
    .bind(org)
    .bind(case_id)
    .fetch_all(&mut *c)
    .await?;
    let mut ids = rows.iter().map(|r| col(r, "item_id")).collect::<Result<Vec<i64>, _>>()?;
    ids.sort_unstable();
    Ok(ids)
}

pub async fn withdraw(c: &mut Conn, item_id: i64, org: i64, by: &str, at: i64) -> Result<bool, StoreError> {
    let r = q("UPDATE item_releases SET withdrawn_at = $1, withdrawn_by = $2 WHERE item_id = $3 AND organisation_id = $4 AND withdrawn_at IS NULL")
        .bind_at(at)
        .bind(by)
        .bind(item_id)
        .bind(org)
        .execute(&mut *c)
        .await?;
    Ok(r.rows_affected() == 1)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemAttachment {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: String,
    pub at: i64,
}

pub async fn add_item_attachment(c: &mut Conn, item_id: i64, a: &ItemAttachment, data: &[u8]) -> Result<i64, StoreError> {
    let r = q("INSERT INTO item_attachments (item_id, file_name, content_type, size, sha256, data, uploaded_by, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
        .bind(item_id)
        .bind(&a.file_name)
        .bind(&a.content_type)
        .bind(a.size)
        .bind(&a.sha256)
        .bind(data.to_vec())
        .bind(&a.uploaded_by)
        .bind_at(a.at)
        .fetch_one(&mut *c)
        .await?;
    col(&r, "id")
}

fn attachment_row(r: &Row) -> Result<ItemAttachment, StoreError> {
    Ok(ItemAttachment {
        id: col(r, "id")?,
        file_name: col(r, "file_name")?,
        content_type: col(r, "content_type")?,
        size: col(r, "size")?,
        sha256: col(r, "sha256")?,
        uploaded_by: col(r, "uploaded_by")?,
        at: time(r, "at")?,
    })
}

pub async fn item_attachments(c: &mut Conn, g: &ItemGrant) -> Result<Vec<ItemAttachment>, StoreError> {
    let rows =
        q("SELECT id, file_name, content_type, size, sha256, uploaded_by, at FROM item_attachments WHERE item_id = $1 ORDER BY id").bind(g.item_id()).fetch_all(&mut *c).await?;
    rows.iter().map(attachment_row).collect()
}

pub async fn item_attachment_data(c: &mut Conn, g: &ItemGrant, id: i64) -> Result<Option<(ItemAttachment, Vec<u8>)>, StoreError> {
    let item_id = g.item_id();
    let r = q("SELECT id, file_name, content_type, size, sha256, uploaded_by, at, data FROM item_attachments WHERE item_id = $1 AND id = $2")
        .bind(item_id)
        .bind(id)
        .fetch_optional(&mut *c)
        .await?;
    match r {
        Some(r) => Ok(Some((attachment_row(&r)?, col(&r, "data")?))),
        None => Ok(None),
    }
}
