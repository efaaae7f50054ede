//! A steering group's objectives and decision log. Every reader and writer takes the
//! `SteeringGrant` of the board (a region's stuurgroep or the Stuurgroep LIEC) that only policy
//! mints; a board's rows are those of its region (none for the national board).

use crate::db::{col, Conn, StoreError};
use crate::query::{q, time};
use knooppunt_policy::figures::SteeringGrant;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectiveRow {
    pub id: i64,
    pub year: i64,
    /// `indicator` or `indicator:column`, e.g. `casussen:casus`.
    pub measure: String,
    pub target: i64,
    pub description: String,
    pub created_by: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRow {
    pub id: i64,
    /// `YYYY-MM-DD`.
    pub decided_on: String,
    pub decision: String,
    pub owner: String,
    pub created_by: String,
    pub created_at: i64,
}

/// The board's key in the `COALESCE(region_id, 0)` predicates (0 is the national board).
fn board(g: &SteeringGrant) -> i64 {
    g.region_id().unwrap_or(0)
}

pub async fn insert_objective(c: &mut Conn, g: &SteeringGrant, o: &ObjectiveRow) -> Result<i64, StoreError> {
    let r = q("INSERT INTO steering_objectives (region_id, year, measure, target, description, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
        .bind(g.region_id())
        .bind(o.year)
        .bind(&o.measure)
        .bind(o.target)
        .bind(&o.description)
        .bind(&o.created_by)
        .bind_at(o.created_at)
        .fetch_one(&mut *c)
        .await?;
    col(&r, "id")
}

/// The board's objectives of `year`, in the order they were set.
pub async fn objectives(c: &mut Conn, g: &SteeringGrant, year: i64) -> Result<Vec<ObjectiveRow>, StoreError> {
    let rows = q("SELECT id, year, measure, target, description, created_by, created_at FROM steering_objectives WHERE COALESCE(region_id, 0) = $1 AND year = $2 ORDER BY id")
        .bind(board(g))
        .bind(year)
        .fetch_all(&mut *c)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(ObjectiveRow {
                id: col(r, "id")?,
                year: col(r, "year")?,
                measure: col(r, "measure")?,
                target: col(r, "target")?,
                description: col(r, "description")?,
                created_by: col(r, "created_by")?,
                created_at: time(r, "created_at")?,
            })
        })
        .collect()
}

pub async fn insert_decision(c: &mut Conn, g: &SteeringGrant, d: &DecisionRow) -> Result<i64, StoreError> {
    let r = q("INSERT INTO steering_decisions (region_id, decided_on, decision, owner, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(g.region_id())
        .bind(&d.decided_on)
        .bind(&d.decision)
        .bind(&d.owner)
        .bind(&d.created_by)
        .bind_at(d.created_at)
        .fetch_one(&mut *c)
        .await?;
    col(&r, "id")
}

/// The board's decisions, newest first (at most `limit`).
pub async fn decisions(c: &mut Conn, g: &SteeringGrant, limit: i64) -> Result<Vec<DecisionRow>, StoreError> {
    let rows =
        q("SELECT id, decided_on, decision, owner, created_by, created_at FROM steering_decisions WHERE COALESCE(region_id, 0) = $1 ORDER BY decided_on DESC, id DESC LIMIT $2")
            .bind(board(g))
            .bind(limit)
            .fetch_all(&mut *c)
            .await?;
    rows.iter()
        .map(|r| {
            Ok(DecisionRow {
                id: col(r, "id")?,
                decided_on: col(r, "decided_on")?,
                decision: col(r, "decision")?,
                owner: col(r, "owner")?,
                created_by: col(r, "created_by")?,
                created_at: time(r, "created_at")?,
            })
        })
        .collect()
}
