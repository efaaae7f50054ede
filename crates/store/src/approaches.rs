//! Landelijke aanpak (national approaches): the approach, the cases asked to join and their
//! owners' decisions, participants, actions and progress.

//!
//! Readers take what policy mints: an [`ApproachScope`] for the list and for opening one
//! approach, an [`ApproachGrant`] for its cases, asks, participants and actions.

use crate::db::{col, Conn, StoreError};
use crate::query::{q, time, Query, Row};
use knooppunt_policy::approaches::{ApproachGrant, ApproachScope};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApproachRow {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub status: String,
    pub progress: String,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
}

const COLS: &str = "a.id, a.title, a.description, a.status, a.progress, a.created_by, a.created_at, a.updated_at, a.version";

fn approach_row(r: &Row) -> Result<ApproachRow, StoreError> {
    Ok(ApproachRow {
        id: col(r, "id")?,
        title: col(r, "title")?,
        description: col(r, "description")?,
        status: col(r, "status")?,
        progress: col(r, "progress")?,
        created_by: col(r, "created_by")?,
        created_at: time(r, "created_at")?,
        updated_at: time(r, "updated_at")?,
        version: col(r, "version")?,
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApproachCaseRow {
    pub case_id: i64,
    pub reference: String,
    pub region_id: i64,
    pub region_name: String,
    pub status: String,
    pub requested_by: String,
    pub requested_at: i64,
    pub decided_by: String,
    pub decided_at: Option<i64>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantRow {
    pub organisation_id: i64,
    pub organisation_name: String,
    pub part: String,
    pub added_by: String,
    pub added_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRow {
    pub id: i64,
    pub title: String,
    pub owner: String,
    pub due: String,
    pub status: String,
    pub created_by: String,
    pub created_at: i64,
    pub done_by: String,
    pub done_at: Option<i64>,
}

pub async fn create(c: &mut Conn, title: &str, description: &str, by: &str, at: i64) -> Result<i64, StoreError> {
    let r = q("INSERT INTO national_approaches (title, description, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id")
        .bind(title)
        .bind(description)
        .bind(by)
        .bind_at(at)
        .fetch_one(&mut *c)
        .await?;
    col(&r, "id")
}

/// The approaches visible with these rights: all of them, or those with a case of `regions`
/// (asked or joined) or with `organisation` as participant; its three values are `$first..`,
/// bound by [`bind_visible`].
fn visible(first: usize) -> String {
    let (all, regions, org) = (first, first + 1, first + 2);
    format!(
        "(${all} OR a.id IN (SELECT approach_id FROM national_approach_cases WHERE region_id = ANY(${regions})) \
         OR a.id IN (SELECT approach_id FROM national_approach_participants WHERE organisation_id = ${org}))"
    )
}

fn bind_visible(query: Query, scope: &ApproachScope) -> Query {
    query.bind(scope.all()).bind_ids(scope.regions()).bind(scope.organisation_id())
}

/// The approaches `scope` may see, newest first.
pub async fn list(c: &mut Conn, scope: &ApproachScope) -> Result<Vec<ApproachRow>, StoreError> {
    let rows = bind_visible(q(format!("SELECT {COLS} FROM national_approaches a WHERE {} ORDER BY a.id DESC LIMIT 500", visible(1))), scope).fetch_all(&mut *c).await?;
    rows.iter().map(approach_row).collect()
}

/// How many cases of `regions` approaches asked to join without a decision of their owner
/// yet, within the team regions of `scope` (for the work list).
pub async fn count_asked(c: &mut Conn, scope: &ApproachScope, regions: &[i64]) -> Result<i64, StoreError> {
    if scope.regions().is_empty() || regions.is_empty() {
        return Ok(0);
    }
    let r = q("SELECT COUNT(*) AS n FROM national_approach_cases WHERE status = 'gevraagd' AND region_id = ANY($1) AND region_id = ANY($2)")
        .bind_ids(scope.regions())
        .bind_ids(regions)
        .fetch_one(&mut *c)
        .await?;
    col(&r, "n")
}

/// How many actions of the approaches `scope` may see are still open (for the work list).
pub async fn count_open_actions(c: &mut Conn, scope: &ApproachScope) -> Result<i64, StoreError> {
    let r = bind_visible(
        q(format!("SELECT COUNT(*) AS n FROM national_approach_actions x JOIN national_approaches a ON a.id = x.approach_id WHERE x.status = 'open' AND {}", visible(1))),
        scope,
    )
    .fetch_one(&mut *c)
    .await?;
    col(&r, "n")
}

/// An approach by id if `scope` may see it, with the regions of its cases and its participating
/// organisations: the facts for `policy::approaches::grant`.
pub async fn find(c: &mut Conn, scope: &ApproachScope, id: i64) -> Result<Option<(ApproachRow, Vec<i64>, Vec<i64>)>, StoreError> {
    let Some(r) = bind_visible(q(format!("SELECT {COLS} FROM national_approaches a WHERE a.id = $1 AND {}", visible(2))).bind(id), scope).fetch_optional(&mut *c).await? else {
        return Ok(None);
    };
    let regions = q("SELECT DISTINCT region_id FROM national_approach_cases WHERE approach_id = $1").bind(id).fetch_all(&mut *c).await?;
    let orgs = q("SELECT organisation_id FROM national_approach_participants WHERE approach_id = $1").bind(id).fetch_all(&mut *c).await?;
    Ok(Some((approach_row(&r)?, regions.iter().map(|r| col(r, "region_id")).collect::<Result<_, _>>()?, orgs.iter().map(|r| col(r, "organisation_id")).collect::<Result<_, _>>()?)))
}

/// A reference the LIEC asked for, matched to a case or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AskRow {
    pub reference: String,
    pub asked_by: String,
    pub asked_at: i64,
}

/// Records that `reference` was asked for the approach; `false` when it was asked before.
pub async fn record_ask(c: &mut Conn, id: i64, reference: &str, by: &str, at: i64) -> Result<bool, StoreError> {
    let n = q("INSERT INTO national_approach_asks (approach_id, reference, asked_by, asked_at) VALUES ($1, $2, $3, $4) ON CONFLICT (approach_id, reference) DO NOTHING")
        .bind(id)
        .bind(reference)
        .bind(by)
        .bind_at(at)
        .execute(&mut *c)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// How many references `by` asked since `since` (over every approach; for throttling).
pub async fn asks_since(c: &mut Conn, by: &str, since: i64) -> Result<i64, StoreError> {
    let r = q("SELECT COUNT(*) AS n FROM national_approach_asks WHERE asked_by = $1 AND asked_at >= $2").bind(by).bind_at(since).fetch_one(&mut *c).await?;
    col(&r, "n")
}

/// The references asked for the approach of `g`, in the order asked.
pub async fn asks(c: &mut Conn, g: &ApproachGrant) -> Result<Vec<AskRow>, StoreError> {
    let rows = q("SELECT reference, asked_by, asked_at FROM national_approach_asks WHERE approach_id = $1 ORDER BY asked_at, id").bind(g.id()).fetch_all(&mut *c).await?;
    rows.iter().map(|r| Ok(AskRow { reference: col(r, "reference")?, asked_by: col(r, "asked_by")?, asked_at: time(r, "asked_at")? })).collect()
}

/// Every case request of the approach of `g` (the use case narrows them with
/// `policy::approaches::request_view`).
pub async fn cases(c: &mut Conn, g: &ApproachGrant) -> Result<Vec<ApproachCaseRow>, StoreError> {
    let id = g.id();
    let rows = q("SELECT n.case_id, c.reference, n.region_id, g.name AS region_name, n.status, n.requested_by, n.requested_at, n.decided_by, n.decided_at, n.reason \
         FROM national_approach_cases n JOIN cases c ON c.id = n.case_id JOIN regions g ON g.id = n.region_id WHERE n.approach_id = $1 ORDER BY g.name, c.reference")
    .bind(id)
    .fetch_all(&mut *c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ApproachCaseRow {
                case_id: col(r, "case_id")?,
                reference: col(r, "reference")?,
                region_id: col(r, "region_id")?,
                region_name: col(r, "region_name")?,
                status: col(r, "status")?,
                requested_by: col(r, "requested_by")?,
                requested_at: time(r, "requested_at")?,
                decided_by: col(r, "decided_by")?,
                decided_at: time::<Option<i64>>(r, "decided_at")?,
                reason: col(r, "reason")?,
            })
        })
        .collect()
}

pub async fn participants(c: &mut Conn, g: &ApproachGrant) -> Result<Vec<ParticipantRow>, StoreError> {
    let id = g.id();
    let rows = q(
        "SELECT p.organisation_id, o.name AS organisation_name, p.part, p.added_by, p.added_at FROM national_approach_participants p JOIN organisations o ON o.id = p.organisation_id \
         WHERE p.approach_id = $1 ORDER BY o.name",
    )
    .bind(id)
    .fetch_all(&mut *c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ParticipantRow {
                organisation_id: col(r, "organisation_id")?,
                organisation_name: col(r, "organisation_name")?,
                part: col(r, "part")?,
                added_by: col(r, "added_by")?,
                added_at: time(r, "added_at")?,
            })
        })
        .collect()
}

pub async fn actions(c: &mut Conn, g: &ApproachGrant) -> Result<Vec<ActionRow>, StoreError> {
    let id = g.id();
    let rows =
        q("SELECT id, title, owner, due, status, created_by, created_at, done_by, done_at FROM national_approach_actions WHERE approach_id = $1 ORDER BY status DESC, due, id")
            .bind(id)
            .fetch_all(&mut *c)
            .await?;
    rows.iter()
        .map(|r| {
            Ok(ActionRow {
                id: col(r, "id")?,
                title: col(r, "title")?,
                owner: col(r, "owner")?,
                due: col(r, "due")?,
                status: col(r, "status")?,
                created_by: col(r, "created_by")?,
                created_at: time(r, "created_at")?,
                done_by: col(r, "done_by")?,
                done_at: time::<Option<i64>>(r, "done_at")?,
            })
        })
        .collect()
}

/// The id and region of the case with `reference`, to record a request; the answer never
/// leaves the use case (it answers the same for an unknown reference).
pub async fn case_by_reference(c: &mut Conn, reference: &str) -> Result<Option<(i64, i64)>, StoreError> {
    let r = q("SELECT id, region_id FROM cases WHERE reference = $1").bind(reference).fetch_optional(&mut *c).await?;
    r.map(|r| Ok((col(&r, "id")?, col(&r, "region_id")?))).transpose()
}

/// Asks a case to join; `false` when it was asked before.
pub async fn add_case(c: &mut Conn, id: i64, case_id: i64, region_id: i64, by: &str, at: i64) -> Result<bool, StoreError> {
    let n = q(
        "INSERT INTO national_approach_cases (approach_id, case_id, region_id, requested_by, requested_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (approach_id, case_id) DO NOTHING",
    )
    .bind(id)
    .bind(case_id)
    .bind(region_id)
    .bind(by)
    .bind_at(at)
    .execute(&mut *c)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Records the owner's decision on a case; `false` when the case was not asked.
pub async fn decide_case(c: &mut Conn, id: i64, case_id: i64, status: &str, by: &str, reason: &str, at: i64) -> Result<bool, StoreError> {
    let n = q("UPDATE national_approach_cases SET status = $1, decided_by = $2, reason = $3, decided_at = $4 WHERE approach_id = $5 AND case_id = $6")
        .bind(status)
        .bind(by)
        .bind(reason)
        .bind_at(at)
        .bind(id)
        .bind(case_id)
        .execute(&mut *c)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// Adds a participant; `false` when the organisation already takes part.
pub async fn add_participant(c: &mut Conn, id: i64, organisation_id: i64, part: &str, by: &str, at: i64) -> Result<bool, StoreError> {
    let n = q(
        "INSERT INTO national_approach_participants (approach_id, organisation_id, part, added_by, added_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (approach_id, organisation_id) DO NOTHING",
    )
    .bind(id)
    .bind(organisation_id)
    .bind(part)
    .bind(by)
    .bind_at(at)
    .execute(&mut *c)
    .await?
    .rows_affected();
    Ok(n == 1)
}

pub async fn add_action(c: &mut Conn, id: i64, title: &str, owner: &str, due: &str, by: &str, at: i64) -> Result<i64, StoreError> {
    let r = q("INSERT INTO national_approach_actions (approach_id, title, owner, due, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(id)
        .bind(title)
        .bind(owner)
        .bind(due)
        .bind(by)
        .bind_at(at)
        .fetch_one(&mut *c)
        .await?;
    col(&r, "id")
}

/// Marks an open action done; `false` when it is not an open action of this approach.
pub async fn finish_action(c: &mut Conn, id: i64, action_id: i64, by: &str, at: i64) -> Result<bool, StoreError> {
    let n = q("UPDATE national_approach_actions SET status = 'gereed', done_by = $1, done_at = $2 WHERE id = $3 AND approach_id = $4 AND status = 'open'")
        .bind(by)
        .bind_at(at)
        .bind(action_id)
        .bind(id)
        .execute(&mut *c)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// Sets progress and status when `version` is current; `false` on a stale version.
pub async fn set_progress(c: &mut Conn, id: i64, progress: &str, status: &str, version: i64, at: i64) -> Result<bool, StoreError> {
    // `ended_at` is when it was last finished: the moment its retention period runs from.
    let n = q("UPDATE national_approaches SET progress = $1, status = $2, updated_at = $3, \
         ended_at = CASE WHEN $2 = 'afgerond' THEN COALESCE(ended_at, $3) ELSE NULL END, version = version + 1 WHERE id = $4 AND version = $5")
    .bind(progress)
    .bind(status)
    .bind_at(at)
    .bind(id)
    .bind(version)
    .execute(&mut *c)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Bumps the version (every change to an approach's parts).
pub async fn touch(c: &mut Conn, id: i64, at: i64) -> Result<(), StoreError> {
    q("UPDATE national_approaches SET updated_at = $1, version = version + 1 WHERE id = $2").bind_at(at).bind(id).execute(&mut *c).await?;
    Ok(())
}
