//! Notifications: per user, a kind and a time, nothing of the case (see migration 0018). Every
//! reader takes the user whose notifications they are; the app passes only the signed-in user's
//! own id. The candidates' reader gives the app the users that policy then chooses from.

use crate::accounts::RoleRow;
use crate::db::{col, Conn, StoreError};
use crate::query::{q, time};

/// An active user who may be told about an event, with the roles policy needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub user_id: i64,
    pub username: String,
    pub organisation_id: i64,
    pub roles: Vec<RoleRow>,
}

/// Active users of `organisation`, or with a role in one of `regions` (or, when `national`, a
/// role without a region), with all their roles.
pub async fn candidates(c: &mut Conn, organisation: Option<i64>, regions: &[i64], national: bool) -> Result<Vec<Candidate>, StoreError> {
    let rows = q("SELECT u.id, u.username, u.organisation_id, g.id AS role_id, g.role, g.region_id FROM users u JOIN user_roles g ON g.user_id = u.id \
         WHERE u.active AND (u.organisation_id = $1 OR u.id IN (SELECT r.user_id FROM user_roles r WHERE r.region_id = ANY($2) OR ($3 AND r.region_id IS NULL))) \
         ORDER BY u.id, g.id")
    .bind(organisation)
    .bind_ids(regions)
    .bind(national)
    .fetch_all(&mut *c)
    .await?;
    let mut out: Vec<Candidate> = Vec::new();
    for r in &rows {
        let user_id: i64 = col(r, "id")?;
        let role = RoleRow { id: col(r, "role_id")?, role: col(r, "role")?, region_id: col(r, "region_id")?, region_name: None };
        match out.last_mut() {
            Some(last) if last.user_id == user_id => last.roles.push(role),
            _ => out.push(Candidate { user_id, username: col(r, "username")?, organisation_id: col(r, "organisation_id")?, roles: vec![role] }),
        }
    }
    Ok(out)
}

pub async fn insert(c: &mut Conn, user_id: i64, kind: &str, at: i64) -> Result<(), StoreError> {
    q("INSERT INTO notifications (user_id, kind, created_at) VALUES ($1, $2, $3)").bind(user_id).bind(kind).bind_at(at).execute(&mut *c).await?;
    Ok(())
}

pub async fn count_unread(c: &mut Conn, user_id: i64) -> Result<i64, StoreError> {
    let row = q("SELECT COUNT(*) AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL").bind(user_id).fetch_one(&mut *c).await?;
    col(&row, "n")
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationRow {
    pub id: i64,
    pub kind: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

/// One page of the user's notifications, newest first, and how many there are.
pub async fn list(c: &mut Conn, user_id: i64, limit: i64, offset: i64) -> Result<(Vec<NotificationRow>, i64), StoreError> {
    let rows = q("SELECT id, kind, created_at, read_at FROM notifications WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3")
        .bind(user_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(&mut *c)
        .await?;
    let list = rows
        .iter()
        .map(|r| Ok(NotificationRow { id: col(r, "id")?, kind: col(r, "kind")?, created_at: time(r, "created_at")?, read_at: time(r, "read_at")? }))
        .collect::<Result<Vec<_>, StoreError>>()?;
    let total = q("SELECT COUNT(*) AS n FROM notifications WHERE user_id = $1").bind(user_id).fetch_one(&mut *c).await?;
    Ok((list, col(&total, "n")?))
}

/// Marks one of the user's notifications read; its kind, or `None` when it is not the user's.
pub async fn mark_read(c: &mut Conn, user_id: i64, id: i64, at: i64) -> Result<Option<String>, StoreError> {
    let Some(row) = q("SELECT kind FROM notifications WHERE id = $1 AND user_id = $2").bind(id).bind(user_id).fetch_optional(&mut *c).await? else {
        return Ok(None);
    };
    q("UPDATE notifications SET read_at = $1 WHERE id = $2 AND read_at IS NULL").bind_at(at).bind(id).execute(&mut *c).await?;
    Ok(Some(col(&row, "kind")?))
}

pub async fn mark_all_read(c: &mut Conn, user_id: i64, at: i64) -> Result<u64, StoreError> {
    Ok(q("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL").bind_at(at).bind(user_id).execute(&mut *c).await?.rows_affected())
}

/// A user to send a digest to: unread notifications not counted in an earlier digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub user_id: i64,
    pub username: String,
    pub email: String,
    pub count: i64,
    /// The newest notification counted: [`mark_mailed`] marks up to it.
    pub upto: i64,
}

/// Users who want digests and have unread notifications not mailed yet.
pub async fn due_digests(c: &mut Conn) -> Result<Vec<Due>, StoreError> {
    let rows = q("SELECT u.id, u.username, u.email, COUNT(*) AS waiting, MAX(n.id) AS upto FROM notifications n JOIN users u ON u.id = n.user_id \
         WHERE n.read_at IS NULL AND n.mailed_at IS NULL AND u.active AND u.email_digest GROUP BY u.id, u.username, u.email ORDER BY u.id")
    .fetch_all(&mut *c)
    .await?;
    rows.iter().map(|r| Ok(Due { user_id: col(r, "id")?, username: col(r, "username")?, email: col(r, "email")?, count: col(r, "waiting")?, upto: col(r, "upto")? })).collect()
}

pub async fn mark_mailed(c: &mut Conn, user_id: i64, upto: i64, at: i64) -> Result<u64, StoreError> {
    Ok(q("UPDATE notifications SET mailed_at = $1 WHERE user_id = $2 AND id <= $3 AND mailed_at IS NULL")
        .bind_at(at)
        .bind(user_id)
        .bind(upto)
        .execute(&mut *c)
        .await?
        .rows_affected())
}

pub async fn set_email_digest(c: &mut Conn, user_id: i64, on: bool) -> Result<(), StoreError> {
    q("UPDATE users SET email_digest = $1 WHERE id = $2").bind(on).bind(user_id).execute(&mut *c).await?;
    Ok(())
}

pub async fn email_digest(c: &mut Conn, user_id: i64) -> Result<bool, StoreError> {
    let row = q("SELECT email_digest FROM users WHERE id = $1").bind(user_id).fetch_one(&mut *c).await?;
    col(&row, "email_digest")
}

/// Removes notifications from before `before`; how many.
pub async fn purge_before(c: &mut Conn, before: i64) -> Result<u64, StoreError> {
    Ok(q("DELETE FROM notifications WHERE created_at < $1").bind_at(before).execute(&mut *c).await?.rows_affected())
}
