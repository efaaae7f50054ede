//! API tokens for system clients: stored as SHA-256 hashes, scoped to an organisation and roles.

use crate::accounts::RoleRow;
use crate::db::{col, Conn, StoreError};
use crate::query::{q, time, Row};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub created_by: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
    /// The token that replaced this one when the administrator renewed it.
    pub replaced_by: Option<i64>,
}

const TOKEN_COLUMNS: &str =
    "SELECT t.id, t.name, t.organisation_id, o.name AS organisation_name, t.created_by, t.created_at, t.expires_at, t.revoked_at, t.last_used_at, t.replaced_by";
const TOKEN_FROM: &str = "FROM api_tokens t JOIN organisations o ON o.id = t.organisation_id";

fn token(r: &Row) -> Result<TokenRow, StoreError> {
    Ok(TokenRow {
        id: col(r, "id")?,
        name: col(r, "name")?,
        organisation_id: col(r, "organisation_id")?,
        organisation_name: col(r, "organisation_name")?,
        created_by: col(r, "created_by")?,
        created_at: time(r, "created_at")?,
        expires_at: time(r, "expires_at")?,
        revoked_at: time(r, "revoked_at")?,
        last_used_at: time(r, "last_used_at")?,
        replaced_by: col(r, "replaced_by")?,
    })
}

pub struct NewToken<'a> {
    pub name: &'a str,
    pub token_hash: &'a str,
    pub organisation_id: i64,
    pub created_by: &'a str,
    pub expires_at: Option<i64>,
    pub roles: &'a [(String, Option<i64>)],
}

pub async fn insert(c: &mut Conn, t: NewToken<'_>, at: i64) -> Result<i64, StoreError> {
    let row = q("INSERT INTO api_tokens (name, token_hash, organisation_id, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(t.name)
        .bind(t.token_hash)
        .bind(t.organisation_id)
        .bind(t.created_by)
        .bind_at(at)
        .bind_at(t.expires_at)
        .fetch_one(&mut *c)
        .await?;
    let id: i64 = col(&row, "id")?;
    for (role, region) in t.roles {
        q("INSERT INTO api_token_roles (token_id, role, region_id) VALUES ($1, $2, $3)").bind(id).bind(role).bind(*region).execute(&mut *c).await?;
    }
    Ok(id)
}

/// The token with this hash if it is neither revoked nor expired at `now`, with its roles (one
/// statement: every API request asks it).
pub async fn find_active(c: &mut Conn, token_hash: &str, now: i64) -> Result<Option<(TokenRow, Vec<RoleRow>)>, StoreError> {
    let rows = q(format!(
        "{TOKEN_COLUMNS}, g.id AS role_id, g.role, g.region_id, r.name AS region_name {TOKEN_FROM} \
         LEFT JOIN api_token_roles g ON g.token_id = t.id LEFT JOIN regions r ON r.id = g.region_id \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2) ORDER BY g.role"
    ))
    .bind(token_hash)
    .bind_at(now)
    .fetch_all(&mut *c)
    .await?;
    let Some(first) = rows.first() else { return Ok(None) };
    let mut roles = Vec::new();
    for r in &rows {
        if let Some(id) = col::<Option<i64>>(r, "role_id")? {
            roles.push(RoleRow { id, role: col(r, "role")?, region_id: col(r, "region_id")?, region_name: col(r, "region_name")? });
        }
    }
    Ok(Some((token(first)?, roles)))
}

pub async fn find(c: &mut Conn, id: i64) -> Result<Option<TokenRow>, StoreError> {
    let row = q(format!("{TOKEN_COLUMNS} {TOKEN_FROM} WHERE t.id = $1")).bind(id).fetch_optional(&mut *c).await?;
    row.as_ref().map(token).transpose()
}

pub async fn list(c: &mut Conn) -> Result<Vec<TokenRow>, StoreError> {
    let rows = q(format!("{TOKEN_COLUMNS} {TOKEN_FROM} ORDER BY t.created_at DESC, t.id DESC")).fetch_all(&mut *c).await?;
    rows.iter().map(token).collect()
}

pub async fn roles_of(c: &mut Conn, token_id: i64) -> Result<Vec<RoleRow>, StoreError> {
    let rows = q("SELECT g.id, g.role, g.region_id, r.name AS region_name FROM api_token_roles g LEFT JOIN regions r ON r.id = g.region_id WHERE g.token_id = $1 ORDER BY g.role")
        .bind(token_id)
        .fetch_all(&mut *c)
        .await?;
    rows.iter().map(|r| Ok(RoleRow { id: col(r, "id")?, role: col(r, "role")?, region_id: col(r, "region_id")?, region_name: col(r, "region_name")? })).collect()
}

pub async fn revoke(c: &mut Conn, id: i64, at: i64) -> Result<bool, StoreError> {
    let r = q("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL").bind_at(at).bind(id).execute(&mut *c).await?;
    Ok(r.rows_affected() == 1)
}

/// Records that `by` replaced the token `id`; false when it was revoked or replaced already.
pub async fn mark_replaced(c: &mut Conn, id: i64, by: i64) -> Result<bool, StoreError> {
    let r = q("UPDATE api_tokens SET replaced_by = $1 WHERE id = $2 AND revoked_at IS NULL AND replaced_by IS NULL").bind(by).bind(id).execute(&mut *c).await?;
    Ok(r.rows_affected() == 1)
}

pub async fn touch(c: &mut Conn, id: i64, at: i64) -> Result<(), StoreError> {
    q("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2").bind_at(at).bind(id).execute(&mut *c).await?;
    Ok(())
}

/// How many tokens in use (neither revoked nor renewed) expire between `now` and `until`: the
/// administrator renews them before an integration stops.
pub async fn count_expiring(c: &mut Conn, now: i64, until: i64) -> Result<i64, StoreError> {
    let r = q("SELECT COUNT(*) AS n FROM api_tokens WHERE revoked_at IS NULL AND replaced_by IS NULL AND expires_at > $1 AND expires_at <= $2")
        .bind_at(now)
        .bind_at(until)
        .fetch_one(&mut *c)
        .await?;
    col(&r, "n")
}
