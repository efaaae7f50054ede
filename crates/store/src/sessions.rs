//! Sessions stored in the database (so app nodes stay stateless). Only the SHA-256 of the
//! session id is stored: a copy of the table does not give live sessions.

use crate::db::{col, Conn, StoreError};
use crate::query::{q, time};

#[derive(Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub id_hash: String,
    pub user_id: i64,
    pub csrf_token: String,
    /// `done`, `pending` (a code is needed) or `enrol` (the account must set up a second factor).
    pub second_factor: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    pub source: String,
}

impl std::fmt::Debug for SessionRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionRow").field("user_id", &self.user_id).field("second_factor", &self.second_factor).finish_non_exhaustive()
    }
}

pub async fn insert(c: &mut Conn, s: &SessionRow) -> Result<(), StoreError> {
    q("INSERT INTO sessions (id_hash, user_id, csrf_token, second_factor, created_at, last_seen_at, expires_at, source) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(&s.id_hash)
        .bind(s.user_id)
        .bind(&s.csrf_token)
        .bind(&s.second_factor)
        .bind_at(s.created_at)
        .bind_at(s.last_seen_at)
        .bind_at(s.expires_at)
        .bind(&s.source)
        .execute(&mut *c)
        .await?;
    Ok(())
}

pub async fn find(c: &mut Conn, id_hash: &str) -> Result<Option<SessionRow>, StoreError> {
    let row = q("SELECT id_hash, user_id, csrf_token, second_factor, created_at, last_seen_at, expires_at, source FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .fetch_optional(&mut *c)
        .await?;
    row.map(|r| {
        Ok(SessionRow {
            id_hash: col(&r, "id_hash")?,
            user_id: col(&r, "user_id")?,
            csrf_token: col(&r, "csrf_token")?,
            second_factor: col(&r, "second_factor")?,
            created_at: time(&r, "created_at")?,
            last_seen_at: time(&r, "last_seen_at")?,
            expires_at: time(&r, "expires_at")?,
            source: col(&r, "source")?,
        })
    })
    .transpose()
}

pub async fn touch(c: &mut Conn, id_hash: &str, at: i64) -> Result<(), StoreError> {
    q("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2").bind_at(at).bind(id_hash).execute(&mut *c).await?;
    Ok(())
}

pub async fn set_second_factor(c: &mut Conn, id_hash: &str, state: &str) -> Result<(), StoreError> {
    q("UPDATE sessions SET second_factor = $1 WHERE id_hash = $2").bind(state).bind(id_hash).execute(&mut *c).await?;
    Ok(())
}

pub async fn delete(c: &mut Conn, id_hash: &str) -> Result<(), StoreError> {
    q("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash).execute(&mut *c).await?;
    Ok(())
}

/// Ends every session of `user_id` except the one with `keep_hash` (after a password change).
pub async fn delete_others(c: &mut Conn, user_id: i64, keep_hash: &str) -> Result<u64, StoreError> {
    Ok(q("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2").bind(user_id).bind(keep_hash).execute(&mut *c).await?.rows_affected())
}

pub async fn delete_for_user(c: &mut Conn, user_id: i64) -> Result<u64, StoreError> {
    let r = q("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *c).await?;
    Ok(r.rows_affected())
}

pub async fn delete_expired(c: &mut Conn, now: i64, idle_before: i64) -> Result<u64, StoreError> {
    let r = q("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at < $2").bind_at(now).bind_at(idle_before).execute(&mut *c).await?;
    Ok(r.rows_affected())
}
