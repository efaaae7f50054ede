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

/// A bottleneck (knelpunt) of a board, or one a region passed on to the Stuurgroep LIEC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BottleneckRow {
    pub id: i64,
    /// The region whose stuurgroep raised it (none: the Stuurgroep LIEC's own).
    pub region_id: Option<i64>,
    pub region_name: String,
    /// `wetgeving`, `informatiedeling`, `capaciteit`, `samenwerking` or `overig`.
    pub kind: String,
    pub description: String,
    pub owner: String,
    /// `YYYY-MM-DD`.
    pub raised_on: String,
    /// `open` or `opgelost`.
    pub status: String,
    /// When the region passed it on to the Stuurgroep LIEC.
    pub forwarded_at: Option<i64>,
    pub resolution: String,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
}

pub async fn insert_bottleneck(c: &mut Conn, g: &SteeringGrant, b: &BottleneckRow) -> Result<i64, StoreError> {
    let r = q("INSERT INTO steering_bottlenecks (region_id, kind, description, owner, raised_on, status, created_by, created_at, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $6, $7) RETURNING id")
    .bind(g.region_id())
    .bind(&b.kind)
    .bind(&b.description)
    .bind(&b.owner)
    .bind(&b.raised_on)
    .bind(&b.created_by)
    .bind_at(b.created_at)
    .fetch_one(&mut *c)
    .await?;
    col(&r, "id")
}

/// The bottlenecks a board sees ($1 is the board: a region's id, 0 for the Stuurgroep LIEC): its
/// own, and for the Stuurgroep LIEC those the regions passed on. Every bottleneck query uses it.
const SEEN_BY_BOARD: &str = "(COALESCE(b.region_id, 0) = $1 OR ($1 = 0 AND b.forwarded_at IS NOT NULL))";

const BOTTLENECK: &str = "SELECT b.id, b.region_id, COALESCE(r.name, '') AS region_name, b.kind, b.description, b.owner, b.raised_on, b.status, b.forwarded_at, \
     b.resolution, b.created_by, b.created_at, b.updated_at, b.version FROM steering_bottlenecks b LEFT JOIN regions r ON r.id = b.region_id \
     WHERE ";

fn bottleneck_row(r: &crate::query::Row) -> Result<BottleneckRow, StoreError> {
    Ok(BottleneckRow {
        id: col(r, "id")?,
        region_id: col(r, "region_id")?,
        region_name: col(r, "region_name")?,
        kind: col(r, "kind")?,
        description: col(r, "description")?,
        owner: col(r, "owner")?,
        raised_on: col(r, "raised_on")?,
        status: col(r, "status")?,
        forwarded_at: time(r, "forwarded_at")?,
        resolution: col(r, "resolution")?,
        created_by: col(r, "created_by")?,
        created_at: time(r, "created_at")?,
        updated_at: time(r, "updated_at")?,
        version: col(r, "version")?,
    })
}

/// The board's bottlenecks — for the Stuurgroep LIEC also those the regions passed on — open
/// ones first, oldest first; then the solved ones, most recently solved first (at most `limit`).
pub async fn bottlenecks(c: &mut Conn, g: &SteeringGrant, limit: i64) -> Result<Vec<BottleneckRow>, StoreError> {
    let rows = q(format!(
        "{BOTTLENECK}{SEEN_BY_BOARD} ORDER BY CASE WHEN b.status = 'open' THEN 0 ELSE 1 END, CASE WHEN b.status = 'open' THEN b.raised_on ELSE '' END, b.updated_at DESC, b.id LIMIT $2"
    ))
    .bind(board(g))
    .bind(limit)
    .fetch_all(&mut *c)
    .await?;
    rows.iter().map(bottleneck_row).collect()
}

/// How many open bottlenecks the board sees (for "Mijn werk").
pub async fn count_open_bottlenecks(c: &mut Conn, g: &SteeringGrant) -> Result<i64, StoreError> {
    let r = q(format!("SELECT COUNT(*) AS n FROM steering_bottlenecks b WHERE b.status = 'open' AND {SEEN_BY_BOARD}")).bind(board(g)).fetch_one(&mut *c).await?;
    col(&r, "n")
}

/// One bottleneck the board sees (its own, or for the Stuurgroep LIEC one passed on to it).
pub async fn bottleneck(c: &mut Conn, g: &SteeringGrant, id: i64) -> Result<Option<BottleneckRow>, StoreError> {
    let row = q(format!("{BOTTLENECK}{SEEN_BY_BOARD} AND b.id = $2")).bind(board(g)).bind(id).fetch_optional(&mut *c).await?;
    row.as_ref().map(bottleneck_row).transpose()
}

/// Sets a bottleneck's state and how it was solved, and passes it on when `forward` (the first
/// time only), if nobody changed it since `version` and the board sees it; false otherwise.
#[allow(clippy::too_many_arguments)]
pub async fn update_bottleneck(
    c: &mut Conn,
    g: &SteeringGrant,
    id: i64,
    status: &str,
    resolution: &str,
    forward: bool,
    by: &str,
    at: i64,
    version: i64,
) -> Result<bool, StoreError> {
    let r = q(format!(
        "UPDATE steering_bottlenecks AS b SET status = $2, resolution = $3, forwarded_at = CASE WHEN $4 THEN COALESCE(forwarded_at, $5) ELSE forwarded_at END, \
         updated_by = $6, updated_at = $5, version = version + 1 WHERE id = $7 AND version = $8 AND {SEEN_BY_BOARD}"
    ))
    .bind(board(g))
    .bind(status)
    .bind(resolution)
    .bind(forward)
    .bind_at(at)
    .bind(by)
    .bind(id)
    .bind(version)
    .execute(&mut *c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// A national approach as the Stuurgroep LIEC oversees it: when it started, its state, how
/// many regions and organisations take part and how far its actions are — no title, no case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApproachOverview {
    pub id: i64,
    pub status: String,
    pub created_at: i64,
    pub regions: i64,
    pub organisations: i64,
    pub actions_open: i64,
    pub actions_done: i64,
}

/// The national approaches (not destroyed), newest first; for the Stuurgroep LIEC only (empty
/// for a region's board).
pub async fn approaches(c: &mut Conn, g: &SteeringGrant, limit: i64) -> Result<Vec<ApproachOverview>, StoreError> {
    if g.region_id().is_some() {
        return Ok(Vec::new());
    }
    let rows = q("SELECT a.id, a.status, a.created_at, \
         (SELECT COUNT(DISTINCT x.region_id) FROM national_approach_cases x WHERE x.approach_id = a.id AND x.status = 'akkoord') AS regions, \
         (SELECT COUNT(*) FROM national_approach_participants p WHERE p.approach_id = a.id) AS organisations, \
         (SELECT COUNT(*) FROM national_approach_actions t WHERE t.approach_id = a.id AND t.status = 'open') AS actions_open, \
         (SELECT COUNT(*) FROM national_approach_actions t WHERE t.approach_id = a.id AND t.status = 'gereed') AS actions_done \
         FROM national_approaches a WHERE a.destroyed_at IS NULL ORDER BY a.id DESC LIMIT $1")
    .bind(limit)
    .fetch_all(&mut *c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ApproachOverview {
                id: col(r, "id")?,
                status: col(r, "status")?,
                created_at: time(r, "created_at")?,
                regions: col(r, "regions")?,
                organisations: col(r, "organisations")?,
                actions_open: col(r, "actions_open")?,
                actions_done: col(r, "actions_done")?,
            })
        })
        .collect()
}
