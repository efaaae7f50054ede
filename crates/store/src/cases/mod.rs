//! Case files: cases, participants, team, subjects and relations, information items with their
//! releases, information requests, advice, interventions and meetings.
//!
//! Every reader of case data takes a value only the policy crate mints: a [`CaseScope`] for
//! lists and searches over many cases, a [`CaseGrant`] (proof that the principal may see that
//! one case) for the contents of one case, an [`ItemGrant`] for one item's releases and
//! attachments. There is no reader by a bare id. The visibility predicates below are the SQL
//! form of `policy::cases::{access, decide_item, may_see_event, may_see_request, ...}`, and a
//! property test proves that they agree.

use crate::db::{col, Conn, StoreError};
use crate::query::{q, time, Arg, Query, Row};
pub use knooppunt_policy::cases::{CaseGrant, CaseScope, EventAbout, ItemGrant};

/// A WHERE clause under construction with its binds, numbered `$1..`.
#[derive(Debug, Default)]
pub(crate) struct Sql {
    text: String,
    args: Vec<Arg>,
}

impl Sql {
    pub(crate) fn new(text: &str) -> Self {
        Self { text: text.to_string(), args: Vec::new() }
    }

    pub(crate) fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    pub(crate) fn int(&mut self, v: i64) -> &mut Self {
        self.args.push(Arg::Int(Some(v)));
        self.text.push_str(&format!("${}", self.args.len()));
        self
    }

    /// A point in time (milliseconds since the epoch) for a time column.
    pub(crate) fn at(&mut self, ms: i64) -> &mut Self {
        self.args.push(Arg::Time(Some(ms)));
        self.text.push_str(&format!("${}", self.args.len()));
        self
    }

    pub(crate) fn str(&mut self, v: &str) -> &mut Self {
        self.args.push(Arg::Text(Some(v.to_string())));
        self.text.push_str(&format!("${}", self.args.len()));
        self
    }

    /// ` = ANY($n)` with the ids bound as one list (see [`crate::query::Query::bind_ids`]); one
    /// id is ` = $n`, so that the planner knows it is one value (an index range in key order,
    /// which an `ORDER BY .. LIMIT` can stop early on, where a list needs a sort).
    pub(crate) fn any_of(&mut self, vs: &[i64]) -> &mut Self {
        if let [one] = vs {
            self.text.push_str(" = ");
            return self.int(*one);
        }
        self.args.push(Arg::Ids(vs.to_vec()));
        self.text.push_str(&format!(" = ANY(${})", self.args.len()));
        self
    }

    /// The case-visibility predicate for alias `c`.
    pub(crate) fn case_visible(&mut self, scope: &CaseScope) -> &mut Self {
        self.case_visible_in(scope, None)
    }

    /// The case-visibility predicate, optionally narrowed to one region (which lets the
    /// participant branch use its index range).
    pub(crate) fn case_visible_in(&mut self, scope: &CaseScope, region: Option<i64>) -> &mut Self {
        let regions = scope.team_regions();
        match (regions.is_empty(), participant_org(scope)) {
            (true, None) => self.push("1 = 0"),
            (false, None) => self.push("c.region_id").any_of(regions),
            (true, Some(org)) => self.push("c.id IN (").participating(scope, org, region).push(")"),
            (false, Some(org)) => self.push("(c.region_id").any_of(regions).push(" OR c.id IN (").participating(scope, org, region).push("))"),
        }
    }

    /// The ids of the cases `org` is admitted to, in regions where the principal works.
    pub(crate) fn participating(&mut self, scope: &CaseScope, org: i64, region: Option<i64>) -> &mut Self {
        self.push("SELECT cp.case_id FROM case_participants cp WHERE ").admitted(scope, org, region)
    }

    /// The admissions (alias `cp`) through which `org` sees cases, in regions where the principal
    /// works.
    fn admitted(&mut self, scope: &CaseScope, org: i64, region: Option<i64>) -> &mut Self {
        self.push("cp.organisation_id = ").int(org).push(" AND cp.removed_at IS NULL");
        if let Some(regions) = scope.participant_regions() {
            self.push(" AND cp.region_id").any_of(regions);
        }
        if let Some(r) = region {
            self.push(" AND cp.region_id = ").int(r);
        }
        self
    }

    /// The item-visibility predicate for alias `i` within a visible case `c`.
    pub(crate) fn item_visible(&mut self, scope: &CaseScope) -> &mut Self {
        let regions = scope.team_regions();
        self.push("(");
        if regions.is_empty() {
            self.push("1 = 0");
        } else {
            self.push("c.region_id").any_of(regions);
        }
        if let Some(org) = scope.organisation_id() {
            self.push(" OR i.supplier_organisation_id = ").int(org);
            self.push(" OR EXISTS (SELECT 1 FROM item_releases r WHERE r.item_id = i.id AND r.withdrawn_at IS NULL AND r.organisation_id = ").int(org).push(")");
        }
        self.push(")")
    }

    pub(crate) fn query(&self) -> Query {
        Query::with_args(self.text.clone(), self.args.clone())
    }
}

/// The organisation through whose admissions `scope` sees cases, if any region is left to it.
fn participant_org(scope: &CaseScope) -> Option<i64> {
    scope.organisation_id().filter(|_| scope.participant_regions().is_none_or(|r| !r.is_empty()))
}

// ---------------------------------------------------------------------------------------------
// Reference lists

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// Legal bases: the partner type they belong to; intervention types: the category.
    pub extra: String,
    /// Intervention types: who carries them out.
    pub extra2: String,
}

pub async fn legal_bases(c: &mut Conn) -> Result<Vec<RefRow>, StoreError> {
    let rows = q("SELECT id, code, name, partner_type AS extra, '' AS extra2 FROM legal_bases WHERE active = TRUE ORDER BY name").fetch_all(&mut *c).await?;
    rows.iter().map(ref_row).collect()
}

pub async fn purposes(c: &mut Conn) -> Result<Vec<RefRow>, StoreError> {
    let rows = q("SELECT id, code, name, '' AS extra, '' AS extra2 FROM purposes WHERE active = TRUE ORDER BY name").fetch_all(&mut *c).await?;
    rows.iter().map(ref_row).collect()
}

pub async fn intervention_types(c: &mut Conn) -> Result<Vec<RefRow>, StoreError> {
    let rows = q("SELECT id, code, name, category AS extra, carried_by AS extra2 FROM intervention_types WHERE active = TRUE ORDER BY category, name").fetch_all(&mut *c).await?;
    rows.iter().map(ref_row).collect()
}

fn ref_row(r: &Row) -> Result<RefRow, StoreError> {
    Ok(RefRow { id: col(r, "id")?, code: col(r, "code")?, name: col(r, "name")?, extra: col(r, "extra")?, extra2: col(r, "extra2")? })
}

pub async fn seed_legal_basis(c: &mut Conn, code: &str, name: &str, partner_type: &str) -> Result<(), StoreError> {
    q("INSERT INTO legal_bases (code, name, partner_type) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING").bind(code).bind(name).bind(partner_type).execute(&mut *c).await?;
    Ok(())
}

/// Inserts or replaces a legal basis or purpose (`table` is `legal_bases` or `purposes`).
pub async fn save_reference(c: &mut Conn, table: RefTable, code: &str, name: &str, partner_type: &str) -> Result<(), StoreError> {
    let sql = match table {
        RefTable::LegalBases => {
            "INSERT INTO legal_bases (code, name, partner_type, active) VALUES ($1, $2, $3, TRUE) \
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, partner_type = excluded.partner_type, active = TRUE"
        }
        RefTable::Purposes => "INSERT INTO purposes (code, name, active) VALUES ($1, $2, TRUE) ON CONFLICT (code) DO UPDATE SET name = excluded.name, active = TRUE",
    };
    let q = q(sql).bind(code).bind(name);
    let q = if table == RefTable::LegalBases { q.bind(partner_type) } else { q };
    q.execute(&mut *c).await?;
    Ok(())
}

/// The configurable reference lists of the case files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefTable {
    LegalBases,
    Purposes,
}

pub async fn seed_purpose(c: &mut Conn, code: &str, name: &str) -> Result<(), StoreError> {
    q("INSERT INTO purposes (code, name) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING").bind(code).bind(name).execute(&mut *c).await?;
    Ok(())
}

/// Inserts or (when `update`) replaces an intervention type of the catalogue.
pub async fn save_intervention_type(c: &mut Conn, code: &str, name: &str, category: &str, carried_by: &str, update: bool) -> Result<(), StoreError> {
    let sql = if update {
        "INSERT INTO intervention_types (code, name, category, carried_by, active) VALUES ($1, $2, $3, $4, TRUE) \
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, category = excluded.category, carried_by = excluded.carried_by, active = TRUE"
    } else {
        "INSERT INTO intervention_types (code, name, category, carried_by) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING"
    };
    q(sql).bind(code).bind(name).bind(category).bind(carried_by).execute(&mut *c).await?;
    Ok(())
}

pub async fn retire_intervention_type(c: &mut Conn, code: &str) -> Result<bool, StoreError> {
    let r = q("UPDATE intervention_types SET active = FALSE WHERE code = $1 AND active = TRUE").bind(code).execute(&mut *c).await?;
    Ok(r.rows_affected() == 1)
}

// ---------------------------------------------------------------------------------------------
// Cases

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    pub id: i64,
    pub reference: String,
    pub phase: String,
    pub title: String,
    pub description: String,
    pub municipality_id: i64,
    pub municipality_name: String,
    pub region_id: i64,
    pub region_name: String,
    pub region_reason: String,
    pub source_organisation_id: i64,
    pub source_organisation_name: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub closed_at: Option<i64>,
    pub evaluation: String,
    pub version: i64,
}

const CASE_SELECT: &str = "SELECT c.id, c.reference, c.phase, c.title, c.description, c.municipality_id, m.name AS municipality_name, c.region_id, \
    g.name AS region_name, c.region_reason, c.source_organisation_id, o.name AS source_organisation_name, c.created_at, c.updated_at, c.closed_at, \
    c.evaluation, c.version FROM cases c JOIN municipalities m ON m.id = c.municipality_id JOIN regions g ON g.id = c.region_id \
    JOIN organisations o ON o.id = c.source_organisation_id";

fn case_row(r: &Row) -> Result<CaseRow, StoreError> {
    Ok(CaseRow {
        id: col(r, "id")?,
        reference: col(r, "reference")?,
        phase: col(r, "phase")?,
        title: col(r, "title")?,
        description: col(r, "description")?,
        municipality_id: col(r, "municipality_id")?,
        municipality_name: col(r, "municipality_name")?,
        region_id: col(r, "region_id")?,
        region_name: col(r, "region_name")?,
        region_reason: col(r, "region_reason")?,
        source_organisation_id: col(r, "source_organisation_id")?,
        source_organisation_name: col(r, "source_organisation_name")?,
        created_at: time(r, "created_at")?,
        updated_at: time(r, "updated_at")?,
        closed_at: time(r, "closed_at")?,
        evaluation: col(r, "evaluation")?,
        version: col(r, "version")?,
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    pub title: String,
    pub description: String,
    pub municipality_id: i64,
    pub region_id: i64,
    pub region_reason: String,
    pub source_organisation_id: i64,
    pub created_by: Option<i64>,
    pub phase: String,
}

pub async fn insert_case(c: &mut Conn, n: &NewCase, year: i32, at: i64) -> Result<i64, StoreError> {
    let r = q("INSERT INTO cases (reference, phase, title, description, municipality_id, region_id, region_reason, source_organisation_id, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id")
    .bind(format!("tmp-{at}-{}", n.source_organisation_id))
    .bind(&n.phase)
    .bind(&n.title)
    .bind(&n.description)
    .bind(n.municipality_id)
    .bind(n.region_id)
    .bind(&n.region_reason)
    .bind(n.source_organisation_id)
    .bind(n.created_by)
    .bind_at(at)
    .fetch_one(&mut *c)
    .await?;
    let id: i64 = col(&r, "id")?;
    q("UPDATE cases SET reference = $1 WHERE id = $2").bind(format!("CAS-{year}-{id:05}")).bind(id).execute(&mut *c).await?;
    Ok(id)
}

/// A case by id if `scope` may see it, with the organisations admitted now: the facts the use
/// case hands to `policy::cases::grant`.
pub async fn find_case(c: &mut Conn, scope: &CaseScope, id: i64) -> Result<Option<(CaseRow, Vec<i64>)>, StoreError> {
    if scope.is_empty() {
        return Ok(None);
    }
    let mut sq = Sql::new(CASE_SELECT);
    sq.push(" WHERE c.id = ").int(id).push(" AND ").case_visible(scope);
    let Some(r) = sq.query().fetch_optional(&mut *c).await? else {
        return Ok(None);
    };
    let row = case_row(&r)?;
    let rows = q("SELECT organisation_id FROM case_participants WHERE case_id = $1 AND removed_at IS NULL ORDER BY organisation_id").bind(id).fetch_all(&mut *c).await?;
    let participants = rows.iter().map(|r| col(r, "organisation_id")).collect::<Result<Vec<i64>, _>>()?;
    Ok(Some((row, participants)))
}

/// Moves the case to `phase` if nobody changed it since `version`.
pub async fn set_phase(c: &mut Conn, id: i64, phase: &str, evaluation: Option<&str>, closed_at: Option<i64>, version: i64, at: i64) -> Result<bool, StoreError> {
    let r = q("UPDATE cases SET phase = $1, evaluation = COALESCE($2, evaluation), closed_at = COALESCE($3, closed_at), updated_at = $4, version = version + 1 \
         WHERE id = $5 AND version = $6")
    .bind(phase)
    .bind(evaluation)
    .bind_at(closed_at)
    .bind_at(at)
    .bind(id)
    .bind(version)
    .execute(&mut *c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Marks the case as changed (lists sort on it).
pub async fn touch(c: &mut Conn, id: i64, at: i64) -> Result<(), StoreError> {
    q("UPDATE cases SET updated_at = $1 WHERE id = $2").bind_at(at).bind(id).execute(&mut *c).await?;
    Ok(())
}

pub async fn set_case_phenomena(c: &mut Conn, case_id: i64, ids: &[i64]) -> Result<(), StoreError> {
    q("DELETE FROM case_phenomena WHERE case_id = $1").bind(case_id).execute(&mut *c).await?;
    for p in ids {
        q("INSERT INTO case_phenomena (case_id, phenomenon_id) VALUES ($1, $2)").bind(case_id).bind(p).execute(&mut *c).await?;
    }
    Ok(())
}

pub async fn case_phenomena(c: &mut Conn, g: &CaseGrant) -> Result<Vec<(String, String)>, StoreError> {
    let rows = q("SELECT p.code, p.name FROM case_phenomena cp JOIN phenomena p ON p.id = cp.phenomenon_id WHERE cp.case_id = $1 ORDER BY p.name")
        .bind(g.case_id())
        .fetch_all(&mut *c)
        .await?;
    rows.iter().map(|r| Ok((col(r, "code")?, col(r, "name")?))).collect()
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFilter {
    pub region_id: Option<i64>,
    /// Exactly this case reference.
    pub reference: Option<String>,
    pub phase: Option<String>,
    pub phenomenon: Option<String>,
    pub municipality_id: Option<i64>,
    /// Only cases with an information request past its deadline (`today` as `YYYY-MM-DD`).
    pub overdue_on: Option<String>,
    /// Only cases on this user's team.
    pub team_member: Option<i64>,
    /// Only cases with an advice version waiting for approval, among the cases of the scope's
    /// team regions (participants see approved advice only: a draft is not theirs to know of).
    pub advice_waiting: bool,
    /// Only cases with an information request this organisation has not answered yet.
    pub request_open_for: Option<i64>,
    /// Only cases in which this organisation carries out an intervention not yet finished.
    pub intervention_open_for: Option<i64>,
    /// Only cases in which this organisation supplied an information item it has released to
    /// nobody while another organisation takes part (the supplier sees whom it may release to).
    pub release_pending_for: Option<i64>,
    /// Only cases with an unfinished intervention escalated to the steering group, among the
    /// cases of the scope's team regions (the team follows escalations up).
    pub escalated: bool,
    /// Only cases with an unfinished intervention not changed since this moment, among the
    /// cases of the scope's team regions (the team follows interventions up).
    pub stalled_since: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseListRow {
    pub id: i64,
    pub reference: String,
    pub phase: String,
    pub title: String,
    pub municipality_name: String,
    pub region_id: i64,
    pub region_name: String,
    pub updated_at: i64,
}

/// Where a list of cases starts. A participant outside every case team starts at its
/// admissions, which carry their case's region and last change (kept equal by a foreign key):
/// a page is then one index range in the list's order and reads only the cases it shows, and
/// the count reads only admissions. Everyone else starts at the cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListSource {
    Cases,
    Admissions(i64),
}

impl ListSource {
    fn of(scope: &CaseScope) -> Self {
        match participant_org(scope) {
            Some(org) if scope.team_regions().is_empty() => Self::Admissions(org),
            _ => Self::Cases,
        }
    }

    fn order(self) -> &'static str {
        match self {
            Self::Cases => " ORDER BY c.updated_at DESC, c.id DESC",
            Self::Admissions(_) => " ORDER BY cp.case_updated_at DESC, cp.case_id DESC",
        }
    }
}

/// `SELECT what FROM` the list's source (with `joins` on the case `c`) `WHERE` visible and
/// matching `f`. On admissions, a count without `joins` reads a case only for a filter on it.
fn filtered(scope: &CaseScope, f: &CaseFilter, source: ListSource, what: &str, joins: &str) -> Sql {
    let mut sq = Sql::new("SELECT ");
    sq.push(what);
    let id = match source {
        ListSource::Cases => {
            sq.push(" FROM cases c").push(joins).push(" WHERE ").case_visible_in(scope, f.region_id);
            if let Some(r) = f.region_id {
                sq.push(" AND c.region_id = ").int(r);
            }
            "c.id"
        }
        ListSource::Admissions(org) => {
            sq.push(" FROM case_participants cp");
            if !joins.is_empty() || f.phase.is_some() || f.municipality_id.is_some() || f.reference.is_some() {
                sq.push(" JOIN cases c ON c.id = cp.case_id").push(joins);
            }
            sq.push(" WHERE ").admitted(scope, org, f.region_id);
            "cp.case_id"
        }
    };
    if let Some(p) = &f.phase {
        sq.push(" AND c.phase = ").str(p);
    }
    if let Some(m) = f.municipality_id {
        sq.push(" AND c.municipality_id = ").int(m);
    }
    if let Some(r) = &f.reference {
        sq.push(" AND c.reference = ").str(r);
    }
    if let Some(p) = &f.phenomenon {
        sq.push(" AND ").push(id).push(" IN (SELECT cf.case_id FROM case_phenomena cf JOIN phenomena ph ON ph.id = cf.phenomenon_id WHERE ph.code = ").str(p).push(")");
    }
    if let Some(u) = f.team_member {
        sq.push(" AND ").push(id).push(" IN (SELECT t.case_id FROM case_team t WHERE t.user_id = ").int(u).push(")");
    }
    if f.advice_waiting {
        team_work(&mut sq, scope, |sq| {
            sq.push("SELECT a.case_id FROM advice_versions a WHERE a.status = 'concept'");
        });
    }
    if f.escalated {
        team_work(&mut sq, scope, |sq| {
            sq.push(UNFINISHED_INTERVENTIONS).push(" AND v.escalated_at IS NOT NULL");
        });
    }
    if let Some(since) = f.stalled_since {
        team_work(&mut sq, scope, |sq| {
            sq.push(UNFINISHED_INTERVENTIONS).push(" AND v.updated_at < ").at(since);
        });
    }
    if let Some(org) = f.request_open_for {
        sq.push(" AND ")
            .push(id)
            .push(" IN (SELECT ir.case_id FROM information_requests ir JOIN request_recipients rr ON rr.request_id = ir.id WHERE rr.status = 'open' AND rr.organisation_id = ")
            .int(org)
            .push(")");
    }
    if let Some(org) = f.intervention_open_for {
        sq.push(" AND ").push(id).push(" IN (").push(UNFINISHED_INTERVENTIONS).push(" AND v.organisation_id = ").int(org).push(")");
    }
    if let Some(org) = f.release_pending_for {
        sq.push(" AND ")
            .push(id)
            .push(" IN (SELECT i.case_id FROM items i WHERE i.supplier_organisation_id = ")
            .int(org)
            .push(" AND NOT EXISTS (SELECT 1 FROM item_releases r WHERE r.item_id = i.id AND r.withdrawn_at IS NULL)")
            .push(" AND EXISTS (SELECT 1 FROM case_participants o WHERE o.case_id = i.case_id AND o.removed_at IS NULL AND o.organisation_id <> ")
            .int(org)
            .push("))");
    }
    if let Some(today) = &f.overdue_on {
        sq.push(" AND ")
            .push(id)
            .push(" IN (SELECT ir.case_id FROM information_requests ir JOIN request_recipients rr ON rr.request_id = ir.id WHERE rr.status = 'open' AND ir.deadline < ")
            .str(today)
            .push(")");
    }
    sq
}

/// The cases with an unfinished intervention (`v`), to narrow with further conditions.
const UNFINISHED_INTERVENTIONS: &str = "SELECT v.case_id FROM interventions v WHERE v.status IN ('voorgesteld', 'toegezegd', 'in-uitvoering')";

/// Work only the case team knows of (draft advice, stalled or escalated interventions):
/// ` AND` the case is of one of the scope's team regions and among the case ids `cases` selects;
/// for a scope without team regions no case.
fn team_work(sq: &mut Sql, scope: &CaseScope, cases: impl FnOnce(&mut Sql)) {
    let team = scope.team_regions();
    if team.is_empty() {
        sq.push(" AND 1 = 0");
        return;
    }
    sq.push(" AND c.region_id").any_of(team).push(" AND c.id IN (");
    cases(sq);
    sq.push(")");
}

/// The cases `scope` may see that match `f`, most recently changed first, with the total.
pub async fn list_cases(c: &mut Conn, scope: &CaseScope, f: &CaseFilter) -> Result<(Vec<CaseListRow>, i64), StoreError> {
    if scope.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let source = ListSource::of(scope);
    let mut sq = filtered(
        scope,
        f,
        source,
        "c.id, c.reference, c.phase, c.title, m.name AS municipality_name, c.region_id, g.name AS region_name, c.updated_at",
        " JOIN municipalities m ON m.id = c.municipality_id JOIN regions g ON g.id = c.region_id",
    );
    sq.push(source.order()).push(" LIMIT ").int(f.limit.clamp(1, 500)).push(" OFFSET ").int(f.offset.max(0));
    let rows = sq.query().fetch_all(&mut *c).await?;
    let list = rows
        .iter()
        .map(|r| {
            Ok(CaseListRow {
                id: col(r, "id")?,
                reference: col(r, "reference")?,
                phase: col(r, "phase")?,
                title: col(r, "title")?,
                municipality_name: col(r, "municipality_name")?,
                region_id: col(r, "region_id")?,
                region_name: col(r, "region_name")?,
                updated_at: time(r, "updated_at")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let total_q = filtered(scope, f, source, "COUNT(*) AS n", "");
    let total: i64 = col(&total_q.query().fetch_one(&mut *c).await?, "n")?;
    Ok((list, total))
}

/// Ids of every case `scope` may see (for the property test and exports; unbounded).
pub async fn visible_case_ids(c: &mut Conn, scope: &CaseScope) -> Result<Vec<i64>, StoreError> {
    let mut sq = Sql::new("SELECT c.id FROM cases c WHERE ");
    sq.case_visible(scope).push(" ORDER BY c.id");
    let rows = sq.query().fetch_all(&mut *c).await?;
    rows.iter().map(|r| col(r, "id")).collect()
}

/// Subjects of the cases `scope` may see, with their case's reference, at most `limit` (for
/// screening a list against them).
pub async fn visible_subjects(c: &mut Conn, scope: &CaseScope, limit: i64) -> Result<Vec<(SubjectRow, String)>, StoreError> {
    if scope.is_empty() {
        return Ok(Vec::new());
    }
    let mut sq = Sql::new(&format!("SELECT {SUBJECT_COLS}, c.reference AS case_reference FROM subjects s JOIN cases c ON c.id = s.case_id WHERE "));
    sq.case_visible(scope).push(" ORDER BY s.id LIMIT ").int(limit);
    let rows = sq.query().fetch_all(&mut *c).await?;
    rows.iter().map(|r| Ok((subject_row(r)?, col(r, "case_reference")?))).collect()
}

/// The encodings (encoded index) of the subjects of the cases `scope` may see, with their case
/// reference, at most `limit`.
pub async fn visible_encodings(c: &mut Conn, scope: &CaseScope, limit: i64) -> Result<Vec<(crate::treffers::EncodingRow, String)>, StoreError> {
    if scope.is_empty() {
        return Ok(Vec::new());
    }
    let mut sq = Sql::new("SELECT e.subject_id, e.region_id, e.case_id, e.kind, e.clk, e.fields, e.identifiers, e.secret_check, c.reference AS case_reference FROM subject_encodings e JOIN cases c ON c.id = e.case_id WHERE ");
    sq.case_visible(scope).push(" ORDER BY e.subject_id LIMIT ").int(limit);
    let rows = sq.query().fetch_all(&mut *c).await?;
    rows.iter().map(|r| Ok((crate::treffers::encoding_row(r)?, col(r, "case_reference")?))).collect()
}

mod history;
mod items;
mod participants;
mod subjects;
mod work;

pub use history::*;
pub use items::*;
pub use participants::*;
pub use subjects::*;
pub use work::*;
