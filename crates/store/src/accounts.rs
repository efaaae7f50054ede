//! User accounts, their role grants, and login attempts for throttling.

use crate::db::{col, Conn, StoreError};
use crate::query::{q, time, Row};

#[derive(Clone, PartialEq, Eq)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub password_hash: String,
    pub totp_secret: Option<String>,
    pub totp_last_step: Option<i64>,
    pub active: bool,
    pub must_change_password: bool,
    pub demo: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl std::fmt::Debug for UserRow {
    // Secrets stay out of debug output and logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRow").field("id", &self.id).field("username", &self.username).finish_non_exhaustive()
    }
}

const USER_SELECT: &str = "SELECT u.id, u.username, u.display_name, u.email, u.organisation_id, o.name AS organisation_name, \
    u.password_hash, u.totp_secret, u.totp_last_step, u.active, u.must_change_password, u.demo, u.created_at, u.updated_at \
    FROM users u JOIN organisations o ON o.id = u.organisation_id";

fn user(row: &Row) -> Result<UserRow, StoreError> {
    Ok(UserRow {
        id: col(row, "id")?,
        username: col(row, "username")?,
        display_name: col(row, "display_name")?,
        email: col(row, "email")?,
        organisation_id: col(row, "organisation_id")?,
        organisation_name: col(row, "organisation_name")?,
        password_hash: col(row, "password_hash")?,
        totp_secret: col(row, "totp_secret")?,
        totp_last_step: col(row, "totp_last_step")?,
        active: col(row, "active")?,
        must_change_password: col(row, "must_change_password")?,
        demo: col(row, "demo")?,
        created_at: time(row, "created_at")?,
        updated_at: time(row, "updated_at")?,
    })
}

pub struct NewUser<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub email: &'a str,
    pub organisation_id: i64,
    pub password_hash: &'a str,
    pub must_change_password: bool,
    pub demo: bool,
}

pub async fn insert_user(c: &mut Conn, u: NewUser<'_>, at: i64) -> Result<i64, StoreError> {
    let row = q("INSERT INTO users (username, display_name, email, organisation_id, password_hash, active, must_change_password, demo, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, TRUE, $6, $7, $8, $8) RETURNING id")
    .bind(u.username)
    .bind(u.display_name)
    .bind(u.email)
    .bind(u.organisation_id)
    .bind(u.password_hash)
    .bind(u.must_change_password)
    .bind(u.demo)
    .bind_at(at)
    .fetch_one(&mut *c)
    .await?;
    col(&row, "id")
}

pub async fn find_user(c: &mut Conn, id: i64) -> Result<Option<UserRow>, StoreError> {
    let row = q(format!("{USER_SELECT} WHERE u.id = $1")).bind(id).fetch_optional(&mut *c).await?;
    row.as_ref().map(user).transpose()
}

pub async fn find_user_by_username(c: &mut Conn, username: &str) -> Result<Option<UserRow>, StoreError> {
    let row = q(format!("{USER_SELECT} WHERE u.username = $1")).bind(username).fetch_optional(&mut *c).await?;
    row.as_ref().map(user).transpose()
}

#[derive(Debug, Default, Clone)]
pub struct UserFilter {
    pub text: Option<String>,
    pub organisation_id: Option<i64>,
}

pub async fn list_users(c: &mut Conn, f: &UserFilter) -> Result<Vec<UserRow>, StoreError> {
    let text = f.text.as_ref().map(|t| format!("%{}%", t.to_lowercase()));
    let rows =
        q(format!("{USER_SELECT} WHERE (CAST($1 AS TEXT) IS NULL OR lower(u.username) LIKE $1 OR lower(u.display_name) LIKE $1) AND (CAST($2 AS BIGINT) IS NULL OR u.organisation_id = $2) ORDER BY u.username"))
            .bind(text)
            .bind(f.organisation_id)
            .fetch_all(&mut *c)
            .await?;
    rows.iter().map(user).collect()
}

pub async fn set_active(c: &mut Conn, id: i64, active: bool, at: i64) -> Result<(), StoreError> {
    q("UPDATE users SET active = $1, updated_at = $2 WHERE id = $3").bind(active).bind_at(at).bind(id).execute(&mut *c).await?;
    Ok(())
}

pub async fn set_password(c: &mut Conn, id: i64, hash: &str, must_change: bool, at: i64) -> Result<(), StoreError> {
    q("UPDATE users SET password_hash = $1, must_change_password = $2, updated_at = $3 WHERE id = $4").bind(hash).bind(must_change).bind_at(at).bind(id).execute(&mut *c).await?;
    Ok(())
}

pub async fn set_totp(c: &mut Conn, id: i64, secret: Option<&str>, last_step: Option<i64>, at: i64) -> Result<(), StoreError> {
    q("UPDATE users SET totp_secret = $1, totp_last_step = $2, updated_at = $3 WHERE id = $4").bind(secret).bind(last_step).bind_at(at).bind(id).execute(&mut *c).await?;
    Ok(())
}

/// Records the time step of an accepted TOTP code, but only when it is newer than the last one:
/// returns false for a replayed code (same or older step), atomically.
pub async fn advance_totp_step(c: &mut Conn, id: i64, step: i64) -> Result<bool, StoreError> {
    let r = q("UPDATE users SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)").bind(step).bind(id).execute(&mut *c).await?;
    Ok(r.rows_affected() == 1)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleRow {
    pub id: i64,
    pub role: String,
    pub region_id: Option<i64>,
    pub region_name: Option<String>,
}

pub async fn roles_of(c: &mut Conn, user_id: i64) -> Result<Vec<RoleRow>, StoreError> {
    let rows =
        q("SELECT g.id, g.role, g.region_id, r.name AS region_name FROM user_roles g LEFT JOIN regions r ON r.id = g.region_id WHERE g.user_id = $1 ORDER BY g.role, r.name")
            .bind(user_id)
            .fetch_all(&mut *c)
            .await?;
    rows.iter().map(|r| Ok(RoleRow { id: col(r, "id")?, role: col(r, "role")?, region_id: col(r, "region_id")?, region_name: col(r, "region_name")? })).collect()
}

pub async fn grant_role(c: &mut Conn, user_id: i64, role: &str, region_id: Option<i64>, at: i64) -> Result<(), StoreError> {
    q("INSERT INTO user_roles (user_id, role, region_id, granted_at) VALUES ($1, $2, $3, $4)").bind(user_id).bind(role).bind(region_id).bind_at(at).execute(&mut *c).await?;
    Ok(())
}

/// Removes a grant; returns false when there was none.
pub async fn revoke_role(c: &mut Conn, user_id: i64, role: &str, region_id: Option<i64>) -> Result<bool, StoreError> {
    let r =
        q("DELETE FROM user_roles WHERE user_id = $1 AND role = $2 AND COALESCE(region_id, 0) = COALESCE($3, 0)").bind(user_id).bind(role).bind(region_id).execute(&mut *c).await?;
    Ok(r.rows_affected() > 0)
}

/// What a sign-in attempt was: a password step, a second-factor step, or an attempt the throttle
/// refused (which counts for nothing, so refusals cannot extend a back-off).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptKind {
    Password,
    SecondFactor,
    Refused,
}

impl AttemptKind {
    pub fn code(self) -> &'static str {
        match self {
            AttemptKind::Password => "wachtwoord",
            AttemptKind::SecondFactor => "tweede-factor",
            AttemptKind::Refused => "geweigerd",
        }
    }
}

pub async fn record_login_attempt(c: &mut Conn, username: &str, source: &str, kind: AttemptKind, success: bool, at: i64) -> Result<(), StoreError> {
    q("INSERT INTO login_attempts (username, source, success, at, kind) VALUES ($1, $2, $3, $4, $5)")
        .bind(username)
        .bind(source)
        .bind(success)
        .bind_at(at)
        .bind(kind.code())
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// Failures of `kind` for this account from this source address since `since`, after that
/// pair's last success, with the time of the newest one.
pub async fn failures_for_pair(c: &mut Conn, username: &str, source: &str, kind: AttemptKind, since: i64) -> Result<(i64, Option<i64>), StoreError> {
    let row = q("SELECT COUNT(*) AS n, MAX(at) AS last FROM login_attempts WHERE username = $1 AND source = $2 AND kind = $3 AND success = FALSE AND at >= $4 \
         AND id > COALESCE((SELECT MAX(id) FROM login_attempts WHERE username = $1 AND source = $2 AND kind = $3 AND success = TRUE), 0)")
    .bind(username)
    .bind(source)
    .bind(kind.code())
    .bind_at(since)
    .fetch_one(&mut *c)
    .await?;
    Ok((col(&row, "n")?, time(&row, "last")?))
}

/// Failures of `kind` for this account from every address since `since` (the account's ceiling;
/// a success does not reset it, so spreading over addresses gains nothing).
pub async fn failures_for_username(c: &mut Conn, username: &str, kind: AttemptKind, since: i64) -> Result<i64, StoreError> {
    let row = q("SELECT COUNT(*) AS n FROM login_attempts WHERE username = $1 AND kind = $2 AND success = FALSE AND at >= $3")
        .bind(username)
        .bind(kind.code())
        .bind_at(since)
        .fetch_one(&mut *c)
        .await?;
    col(&row, "n")
}

/// Failures of `kind` from this source address since `since`, over every account.
pub async fn failures_for_source(c: &mut Conn, source: &str, kind: AttemptKind, since: i64) -> Result<i64, StoreError> {
    let row = q("SELECT COUNT(*) AS n FROM login_attempts WHERE source = $1 AND kind = $2 AND success = FALSE AND at >= $3")
        .bind(source)
        .bind(kind.code())
        .bind_at(since)
        .fetch_one(&mut *c)
        .await?;
    col(&row, "n")
}

/// Removes sign-in attempts older than `before` (the purge job).
pub async fn purge_login_attempts(c: &mut Conn, before: i64) -> Result<u64, StoreError> {
    Ok(q("DELETE FROM login_attempts WHERE at < $1").bind_at(before).execute(&mut *c).await?.rows_affected())
}

/// Does the database hold demo accounts (with the published demo password)?
pub async fn has_demo_accounts(c: &mut Conn) -> Result<bool, StoreError> {
    Ok(q("SELECT TRUE AS x FROM users WHERE demo = TRUE LIMIT 1").fetch_optional(&mut *c).await?.is_some())
}
