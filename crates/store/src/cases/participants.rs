//! Participants (admitted organisations) and the case team.

use super::CaseGrant;
use crate::db::{col, Conn, StoreError};
use crate::query::{q, time};

// ---------------------------------------------------------------------------------------------
// Participants and team

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantRow {
    pub organisation_id: i64,
    pub organisation_name: String,
    pub partner_type: String,
    pub admitted_at: i64,
    pub admitted_by: String,
    pub reason: String,
    pub removed_at: Option<i64>,
    pub removed_reason: Option<String>,
}

/// The organisations admitted to the case of `g`, now and before.
pub async fn participants(c: &mut Conn, g: &CaseGrant) -> Result<Vec<ParticipantRow>, StoreError> {
    let case_id = g.case_id();
    let rows = q("SELECT p.organisation_id, o.name AS organisation_name, o.partner_type, p.admitted_at, p.admitted_by, p.reason, p.removed_at, p.removed_reason \
         FROM case_participants p JOIN organisations o ON o.id = p.organisation_id WHERE p.case_id = $1 ORDER BY p.removed_at IS NOT NULL, o.name")
    .bind(case_id)
    .fetch_all(&mut *c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ParticipantRow {
                organisation_id: col(r, "organisation_id")?,
                organisation_name: col(r, "organisation_name")?,
                partner_type: col(r, "partner_type")?,
                admitted_at: time(r, "admitted_at")?,
                admitted_by: col(r, "admitted_by")?,
                reason: col(r, "reason")?,
                removed_at: time(r, "removed_at")?,
                removed_reason: col(r, "removed_reason")?,
            })
        })
        .collect()
}

/// Admits (or re-admits) an organisation; false when it is already admitted.
pub async fn admit(c: &mut Conn, case_id: i64, org: i64, by: &str, reason: &str, at: i64) -> Result<bool, StoreError> {
    let r = q("INSERT INTO case_participants (case_id, organisation_id, region_id, case_updated_at, admitted_at, admitted_by, reason) \
         VALUES ($1, $2, (SELECT region_id FROM cases WHERE id = $1), (SELECT updated_at FROM cases WHERE id = $1), $3, $4, $5) \
         ON CONFLICT (case_id, organisation_id) DO UPDATE SET admitted_at = excluded.admitted_at, admitted_by = excluded.admitted_by, reason = excluded.reason, \
         removed_at = NULL, removed_reason = NULL WHERE case_participants.removed_at IS NOT NULL")
    .bind(case_id)
    .bind(org)
    .bind_at(at)
    .bind(by)
    .bind(reason)
    .execute(&mut *c)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn remove_participant(c: &mut Conn, case_id: i64, org: i64, reason: &str, at: i64) -> Result<bool, StoreError> {
    let r = q("UPDATE case_participants SET removed_at = $1, removed_reason = $2 WHERE case_id = $3 AND organisation_id = $4 AND removed_at IS NULL")
        .bind_at(at)
        .bind(reason)
        .bind(case_id)
        .bind(org)
        .execute(&mut *c)
        .await?;
    Ok(r.rows_affected() == 1)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamRow {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub team_role: String,
}

pub async fn team(c: &mut Conn, g: &CaseGrant) -> Result<Vec<TeamRow>, StoreError> {
    let case_id = g.case_id();
    let rows =
        q("SELECT t.user_id, u.username, u.display_name, t.team_role FROM case_team t JOIN users u ON u.id = t.user_id WHERE t.case_id = $1 ORDER BY t.team_role, u.display_name")
            .bind(case_id)
            .fetch_all(&mut *c)
            .await?;
    rows.iter()
        .map(|r| Ok(TeamRow { user_id: col(r, "user_id")?, username: col(r, "username")?, display_name: col(r, "display_name")?, team_role: col(r, "team_role")? }))
        .collect()
}

pub async fn add_team_member(c: &mut Conn, case_id: i64, user_id: i64, role: &str) -> Result<bool, StoreError> {
    let r = q("INSERT INTO case_team (case_id, user_id, team_role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING").bind(case_id).bind(user_id).bind(role).execute(&mut *c).await?;
    Ok(r.rows_affected() == 1)
}

pub async fn remove_team_member(c: &mut Conn, case_id: i64, user_id: i64, role: &str) -> Result<bool, StoreError> {
    let r = q("DELETE FROM case_team WHERE case_id = $1 AND user_id = $2 AND team_role = $3").bind(case_id).bind(user_id).bind(role).execute(&mut *c).await?;
    Ok(r.rows_affected() == 1)
}
