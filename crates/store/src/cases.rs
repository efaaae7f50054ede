//! Case files: cases, participants, team, subjects and relations, information items with their
//! releases, information requests, advice, interventions and meetings.
//!
//! Every read that lists case data takes a [`CaseScope`], which only the policy crate builds;
//! the visibility predicates below are the SQL form of `policy::cases::access` and
//! `decide_item`, and a property test proves that they agree.

use crate::db::{col, Conn, StoreError};
use knooppunt_domain::case::SubjectInput;
use knooppunt_policy::cases::CaseScope;
use sqlx::any::AnyRow;

/// A bind value for dynamically built queries.
#[derive(Debug, Clone)]
enum Arg {
    I(i64),
    S(String),
}

/// A WHERE clause under construction with its binds, numbered `$1..`.
#[derive(Debug, Default)]
struct Sql {
    text: String,
    args: Vec<Arg>,
}

impl Sql {
    fn new(text: &str) -> Self {
        Self { text: text.to_string(), args: Vec::new() }
    }

    fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    fn int(&mut self, v: i64) -> &mut Self {
        self.args.push(Arg::I(v));
        self.text.push_str(&format!("${}", self.args.len()));
        self
    }

    fn str(&mut self, v: &str) -> &mut Self {
        self.args.push(Arg::S(v.to_string()));
        self.text.push_str(&format!("${}", self.args.len()));
        self
    }

    fn ints(&mut self, vs: &[i64]) -> &mut Self {
        for (i, v) in vs.iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.int(*v);
        }
        self
    }

    /// The case-visibility predicate for alias `c`.
    fn case_visible(&mut self, scope: &CaseScope) -> &mut Self {
        self.case_visible_in(scope, None)
    }

    /// The case-visibility predicate, optionally narrowed to one region (which lets the
    /// participant branch use its index range).
    fn case_visible_in(&mut self, scope: &CaseScope, region: Option<i64>) -> &mut Self {
        let regions = scope.team_regions();
        let participant = scope.organisation_id().filter(|_| scope.participant_regions().is_none_or(|r| !r.is_empty()));
        match (regions.is_empty(), participant) {
            (true, None) => self.push("1 = 0"),
            (false, None) => self.push("c.region_id IN (").ints(regions).push(")"),
            (true, Some(org)) => self.push("c.id IN (").participating(scope, org, region).push(")"),
            (false, Some(org)) => self.push("(c.region_id IN (").ints(regions).push(") OR c.id IN (").participating(scope, org, region).push("))"),
        }
    }

    /// The ids of the cases `org` is admitted to, in regions where the principal works.
    fn participating(&mut self, scope: &CaseScope, org: i64, region: Option<i64>) -> &mut Self {
        self.push("SELECT cp.case_id FROM case_participants cp WHERE cp.organisation_id = ").int(org).push(" AND cp.removed_at IS NULL");
        if let Some(regions) = scope.participant_regions() {
            self.push(" AND cp.region_id IN (").ints(regions).push(")");
        }
        if let Some(r) = region {
            self.push(" AND cp.region_id = ").int(r);
        }
        self
    }

    /// The item-visibility predicate for alias `i` within a visible case `c`.
    fn item_visible(&mut self, scope: &CaseScope) -> &mut Self {
        let regions = scope.team_regions();
        self.push("(");
        if regions.is_empty() {
            self.push("1 = 0");
        } else {
            self.push("c.region_id IN (").ints(regions).push(")");
        }
        if let Some(org) = scope.organisation_id() {
            self.push(" OR i.supplier_organisation_id = ").int(org);
            self.push(" OR EXISTS (SELECT 1 FROM item_releases r WHERE r.item_id = i.id AND r.withdrawn_at IS NULL AND r.organisation_id = ").int(org).push(")");
        }
        self.push(")")
    }

    fn query(&self) -> sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments<'_>> {
        let mut q = sqlx::query(&self.text);
        for a in &self.args {
            q = match a {
                Arg::I(v) => q.bind(*v),
                Arg::S(v) => q.bind(v.clone()),
            };
        }
        q
    }
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
    let rows = sqlx::query("SELECT id, code, name, partner_type AS extra, '' AS extra2 FROM legal_bases WHERE active = 1 ORDER BY name").fetch_all(&mut *c).await?;
    rows.iter().map(ref_row).collect()
}

pub async fn purposes(c: &mut Conn) -> Result<Vec<RefRow>, StoreError> {
    let rows = sqlx::query("SELECT id, code, name, '' AS extra, '' AS extra2 FROM purposes WHERE active = 1 ORDER BY name").fetch_all(&mut *c).await?;
    rows.iter().map(ref_row).collect()
}

pub async fn intervention_types(c: &mut Conn) -> Result<Vec<RefRow>, StoreError> {
    let rows =
        sqlx::query("SELECT id, code, name, category AS extra, carried_by AS extra2 FROM intervention_types WHERE active = 1 ORDER BY category, name").fetch_all(&mut *c).await?;
    rows.iter().map(ref_row).collect()
}

fn ref_row(r: &AnyRow) -> Result<RefRow, StoreError> {
    Ok(RefRow { id: col(r, "id")?, code: col(r, "code")?, name: col(r, "name")?, extra: col(r, "extra")?, extra2: col(r, "extra2")? })
}

pub async fn seed_legal_basis(c: &mut Conn, code: &str, name: &str, partner_type: &str) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO legal_bases (code, name, partner_type) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING")
        .bind(code)
        .bind(name)
        .bind(partner_type)
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// Inserts or replaces a legal basis or purpose (`table` is `legal_bases` or `purposes`).
pub async fn save_reference(c: &mut Conn, table: RefTable, code: &str, name: &str, partner_type: &str) -> Result<(), StoreError> {
    let sql = match table {
        RefTable::LegalBases => {
            "INSERT INTO legal_bases (code, name, partner_type, active) VALUES ($1, $2, $3, 1) \
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, partner_type = excluded.partner_type, active = 1"
        }
        RefTable::Purposes => "INSERT INTO purposes (code, name, active) VALUES ($1, $2, 1) ON CONFLICT (code) DO UPDATE SET name = excluded.name, active = 1",
    };
    let q = sqlx::query(sql).bind(code).bind(name);
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
    sqlx::query("INSERT INTO purposes (code, name) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING").bind(code).bind(name).execute(&mut *c).await?;
    Ok(())
}

/// Inserts or (when `update`) replaces an intervention type of the catalogue.
pub async fn save_intervention_type(c: &mut Conn, code: &str, name: &str, category: &str, carried_by: &str, update: bool) -> Result<(), StoreError> {
    let sql = if update {
        "INSERT INTO intervention_types (code, name, category, carried_by, active) VALUES ($1, $2, $3, $4, 1) \
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, category = excluded.category, carried_by = excluded.carried_by, active = 1"
    } else {
        "INSERT INTO intervention_types (code, name, category, carried_by) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING"
    };
    sqlx::query(sql).bind(code).bind(name).bind(category).bind(carried_by).execute(&mut *c).await?;
    Ok(())
}

pub async fn retire_intervention_type(c: &mut Conn, code: &str) -> Result<bool, StoreError> {
    let r = sqlx::query("UPDATE intervention_types SET active = 0 WHERE code = $1 AND active = 1").bind(code).execute(&mut *c).await?;
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

fn case_row(r: &AnyRow) -> Result<CaseRow, StoreError> {
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
        created_at: col(r, "created_at")?,
        updated_at: col(r, "updated_at")?,
        closed_at: col(r, "closed_at")?,
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
    let r = sqlx::query(
        "INSERT INTO cases (reference, phase, title, description, municipality_id, region_id, region_reason, source_organisation_id, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(format!("tmp-{at}-{}", n.source_organisation_id))
    .bind(&n.phase)
    .bind(&n.title)
    .bind(&n.description)
    .bind(n.municipality_id)
    .bind(n.region_id)
    .bind(&n.region_reason)
    .bind(n.source_organisation_id)
    .bind(n.created_by)
    .bind(at)
    .fetch_one(&mut *c)
    .await?;
    let id: i64 = col(&r, "id")?;
    sqlx::query("UPDATE cases SET reference = $1 WHERE id = $2").bind(format!("CAS-{year}-{id:05}")).bind(id).execute(&mut *c).await?;
    Ok(id)
}

/// A case by id, without any scope: only for the use case that then asks policy about it.
pub async fn find_case(c: &mut Conn, id: i64) -> Result<Option<CaseRow>, StoreError> {
    let r = sqlx::query(&format!("{CASE_SELECT} WHERE c.id = $1")).bind(id).fetch_optional(&mut *c).await?;
    r.as_ref().map(case_row).transpose()
}

/// Moves the case to `phase` if nobody changed it since `version`.
pub async fn set_phase(c: &mut Conn, id: i64, phase: &str, evaluation: Option<&str>, closed_at: Option<i64>, version: i64, at: i64) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "UPDATE cases SET phase = $1, evaluation = COALESCE($2, evaluation), closed_at = COALESCE($3, closed_at), updated_at = $4, version = version + 1 \
         WHERE id = $5 AND version = $6",
    )
    .bind(phase)
    .bind(evaluation)
    .bind(closed_at)
    .bind(at)
    .bind(id)
    .bind(version)
    .execute(&mut *c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Marks the case as changed (lists sort on it).
pub async fn touch(c: &mut Conn, id: i64, at: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE cases SET updated_at = $1 WHERE id = $2").bind(at).bind(id).execute(&mut *c).await?;
    Ok(())
}

pub async fn set_case_phenomena(c: &mut Conn, case_id: i64, ids: &[i64]) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM case_phenomena WHERE case_id = $1").bind(case_id).execute(&mut *c).await?;
    for p in ids {
        sqlx::query("INSERT INTO case_phenomena (case_id, phenomenon_id) VALUES ($1, $2)").bind(case_id).bind(p).execute(&mut *c).await?;
    }
    Ok(())
}

pub async fn case_phenomena(c: &mut Conn, case_id: i64) -> Result<Vec<(String, String)>, StoreError> {
    let rows = sqlx::query("SELECT p.code, p.name FROM case_phenomena cp JOIN phenomena p ON p.id = cp.phenomenon_id WHERE cp.case_id = $1 ORDER BY p.name")
        .bind(case_id)
        .fetch_all(&mut *c)
        .await?;
    rows.iter().map(|r| Ok((col(r, "code")?, col(r, "name")?))).collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseEvent {
    pub at: i64,
    pub actor: String,
    pub kind: String,
    pub from_phase: String,
    pub to_phase: String,
    pub note: String,
}

pub async fn add_event(c: &mut Conn, case_id: i64, e: &CaseEvent) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO case_events (case_id, at, actor, kind, from_phase, to_phase, note) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(case_id)
        .bind(e.at)
        .bind(&e.actor)
        .bind(&e.kind)
        .bind(&e.from_phase)
        .bind(&e.to_phase)
        .bind(&e.note)
        .execute(&mut *c)
        .await?;
    Ok(())
}

pub async fn events(c: &mut Conn, case_id: i64) -> Result<Vec<CaseEvent>, StoreError> {
    let rows = sqlx::query("SELECT at, actor, kind, from_phase, to_phase, note FROM case_events WHERE case_id = $1 ORDER BY at, id").bind(case_id).fetch_all(&mut *c).await?;
    rows.iter()
        .map(|r| {
            Ok(CaseEvent {
                at: col(r, "at")?,
                actor: col(r, "actor")?,
                kind: col(r, "kind")?,
                from_phase: col(r, "from_phase")?,
                to_phase: col(r, "to_phase")?,
                note: col(r, "note")?,
            })
        })
        .collect()
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFilter {
    pub region_id: Option<i64>,
    pub phase: Option<String>,
    pub phenomenon: Option<String>,
    pub municipality_id: Option<i64>,
    /// Only cases with an information request past its deadline (`today` as `YYYY-MM-DD`).
    pub overdue_on: Option<String>,
    /// Only cases on this user's team.
    pub team_member: Option<i64>,
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

fn filtered(scope: &CaseScope, f: &CaseFilter, select: &str) -> Sql {
    let mut q = Sql::new(select);
    q.push(" WHERE ").case_visible_in(scope, f.region_id);
    if let Some(r) = f.region_id {
        q.push(" AND c.region_id = ").int(r);
    }
    if let Some(p) = &f.phase {
        q.push(" AND c.phase = ").str(p);
    }
    if let Some(m) = f.municipality_id {
        q.push(" AND c.municipality_id = ").int(m);
    }
    if let Some(p) = &f.phenomenon {
        q.push(" AND c.id IN (SELECT cf.case_id FROM case_phenomena cf JOIN phenomena ph ON ph.id = cf.phenomenon_id WHERE ph.code = ").str(p).push(")");
    }
    if let Some(u) = f.team_member {
        q.push(" AND c.id IN (SELECT t.case_id FROM case_team t WHERE t.user_id = ").int(u).push(")");
    }
    if let Some(today) = &f.overdue_on {
        q.push(" AND c.id IN (SELECT ir.case_id FROM information_requests ir JOIN request_recipients rr ON rr.request_id = ir.id WHERE rr.status = 'open' AND ir.deadline < ")
            .str(today)
            .push(")");
    }
    q
}

/// The cases `scope` may see that match `f`, most recently changed first, with the total.
pub async fn list_cases(c: &mut Conn, scope: &CaseScope, f: &CaseFilter) -> Result<(Vec<CaseListRow>, i64), StoreError> {
    if scope.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let mut q = filtered(
        scope,
        f,
        "SELECT c.id, c.reference, c.phase, c.title, m.name AS municipality_name, c.region_id, g.name AS region_name, c.updated_at \
         FROM cases c JOIN municipalities m ON m.id = c.municipality_id JOIN regions g ON g.id = c.region_id",
    );
    q.push(" ORDER BY c.updated_at DESC, c.id DESC LIMIT ").int(f.limit.clamp(1, 500)).push(" OFFSET ").int(f.offset.max(0));
    let rows = q.query().fetch_all(&mut *c).await?;
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
                updated_at: col(r, "updated_at")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let total_q = filtered(scope, f, "SELECT COUNT(*) AS n FROM cases c");
    let total: i64 = col(&total_q.query().fetch_one(&mut *c).await?, "n")?;
    Ok((list, total))
}

/// Ids of every case `scope` may see (for the property test and exports; unbounded).
pub async fn visible_case_ids(c: &mut Conn, scope: &CaseScope) -> Result<Vec<i64>, StoreError> {
    let mut q = Sql::new("SELECT c.id FROM cases c WHERE ");
    q.case_visible(scope).push(" ORDER BY c.id");
    let rows = q.query().fetch_all(&mut *c).await?;
    rows.iter().map(|r| col(r, "id")).collect()
}

/// Subjects of the cases `scope` may see, with their case's reference, at most `limit` (for
/// screening a list against them).
pub async fn visible_subjects(c: &mut Conn, scope: &CaseScope, limit: i64) -> Result<Vec<(SubjectRow, String)>, StoreError> {
    if scope.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Sql::new(&format!("SELECT {SUBJECT_COLS}, c.reference AS case_reference FROM subjects s JOIN cases c ON c.id = s.case_id WHERE "));
    q.case_visible(scope).push(" ORDER BY s.id LIMIT ").int(limit);
    let rows = q.query().fetch_all(&mut *c).await?;
    rows.iter().map(|r| Ok((subject_row(r)?, col(r, "case_reference")?))).collect()
}

/// The encodings (encoded index) of the subjects of the cases `scope` may see, with their case
/// reference, at most `limit`.
pub async fn visible_encodings(c: &mut Conn, scope: &CaseScope, limit: i64) -> Result<Vec<(crate::treffers::EncodingRow, String)>, StoreError> {
    if scope.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Sql::new("SELECT e.subject_id, e.region_id, e.case_id, e.kind, e.clk, e.fields, e.identifiers, e.secret_check, c.reference AS case_reference FROM subject_encodings e JOIN cases c ON c.id = e.case_id WHERE ");
    q.case_visible(scope).push(" ORDER BY e.subject_id LIMIT ").int(limit);
    let rows = q.query().fetch_all(&mut *c).await?;
    rows.iter().map(|r| Ok((crate::treffers::encoding_row(r)?, col(r, "case_reference")?))).collect()
}

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

pub async fn participants(c: &mut Conn, case_id: i64) -> Result<Vec<ParticipantRow>, StoreError> {
    let rows = sqlx::query(
        "SELECT p.organisation_id, o.name AS organisation_name, o.partner_type, p.admitted_at, p.admitted_by, p.reason, p.removed_at, p.removed_reason \
         FROM case_participants p JOIN organisations o ON o.id = p.organisation_id WHERE p.case_id = $1 ORDER BY p.removed_at IS NOT NULL, o.name",
    )
    .bind(case_id)
    .fetch_all(&mut *c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ParticipantRow {
                organisation_id: col(r, "organisation_id")?,
                organisation_name: col(r, "organisation_name")?,
                partner_type: col(r, "partner_type")?,
                admitted_at: col(r, "admitted_at")?,
                admitted_by: col(r, "admitted_by")?,
                reason: col(r, "reason")?,
                removed_at: col(r, "removed_at")?,
                removed_reason: col(r, "removed_reason")?,
            })
        })
        .collect()
}

/// Admits (or re-admits) an organisation; false when it is already admitted.
pub async fn admit(c: &mut Conn, case_id: i64, org: i64, by: &str, reason: &str, at: i64) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "INSERT INTO case_participants (case_id, organisation_id, region_id, admitted_at, admitted_by, reason) VALUES ($1, $2, (SELECT region_id FROM cases WHERE id = $1), $3, $4, $5) \
         ON CONFLICT (case_id, organisation_id) DO UPDATE SET admitted_at = excluded.admitted_at, admitted_by = excluded.admitted_by, reason = excluded.reason, \
         removed_at = NULL, removed_reason = NULL WHERE case_participants.removed_at IS NOT NULL",
    )
    .bind(case_id)
    .bind(org)
    .bind(at)
    .bind(by)
    .bind(reason)
    .execute(&mut *c)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn remove_participant(c: &mut Conn, case_id: i64, org: i64, reason: &str, at: i64) -> Result<bool, StoreError> {
    let r = sqlx::query("UPDATE case_participants SET removed_at = $1, removed_reason = $2 WHERE case_id = $3 AND organisation_id = $4 AND removed_at IS NULL")
        .bind(at)
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

pub async fn team(c: &mut Conn, case_id: i64) -> Result<Vec<TeamRow>, StoreError> {
    let rows = sqlx::query(
        "SELECT t.user_id, u.username, u.display_name, t.team_role FROM case_team t JOIN users u ON u.id = t.user_id WHERE t.case_id = $1 ORDER BY t.team_role, u.display_name",
    )
    .bind(case_id)
    .fetch_all(&mut *c)
    .await?;
    rows.iter()
        .map(|r| Ok(TeamRow { user_id: col(r, "user_id")?, username: col(r, "username")?, display_name: col(r, "display_name")?, team_role: col(r, "team_role")? }))
        .collect()
}

pub async fn add_team_member(c: &mut Conn, case_id: i64, user_id: i64, role: &str) -> Result<bool, StoreError> {
    let r = sqlx::query("INSERT INTO case_team (case_id, user_id, team_role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(case_id)
        .bind(user_id)
        .bind(role)
        .execute(&mut *c)
        .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn remove_team_member(c: &mut Conn, case_id: i64, user_id: i64, role: &str) -> Result<bool, StoreError> {
    let r = sqlx::query("DELETE FROM case_team WHERE case_id = $1 AND user_id = $2 AND team_role = $3").bind(case_id).bind(user_id).bind(role).execute(&mut *c).await?;
    Ok(r.rows_affected() == 1)
}

// ---------------------------------------------------------------------------------------------
// Subjects and relations

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubjectRow {
    pub id: i64,
    pub case_id: i64,
    pub kind: String,
    pub display_name: String,
    pub sort_key: String,
    pub identifier: String,
    /// The validated fields as entered (normalised identifiers).
    pub fields: SubjectInput,
    pub created_at: i64,
    pub version: i64,
}

pub(crate) const SUBJECT_COLS: &str = "s.id, s.case_id, s.kind, s.display_name, s.sort_key, s.identifier, s.first_names, s.prefix, s.surname, s.birth_date, s.bsn, \
    s.company_name, s.legal_form, s.kvk, s.rsin, s.street, s.postcode, s.house_number, s.city, s.bag_id, s.licence_plate, s.iban, s.note, s.created_at, s.version";

pub(crate) fn subject_row(r: &AnyRow) -> Result<SubjectRow, StoreError> {
    let kind: String = col(r, "kind")?;
    Ok(SubjectRow {
        id: col(r, "id")?,
        case_id: col(r, "case_id")?,
        display_name: col(r, "display_name")?,
        sort_key: col(r, "sort_key")?,
        identifier: col(r, "identifier")?,
        fields: SubjectInput {
            kind: kind.clone(),
            first_names: col(r, "first_names")?,
            prefix: col(r, "prefix")?,
            surname: col(r, "surname")?,
            birth_date: col(r, "birth_date")?,
            bsn: col(r, "bsn")?,
            company_name: col(r, "company_name")?,
            legal_form: col(r, "legal_form")?,
            kvk: col(r, "kvk")?,
            rsin: col(r, "rsin")?,
            street: col(r, "street")?,
            postcode: col(r, "postcode")?,
            house_number: col(r, "house_number")?,
            city: col(r, "city")?,
            bag_id: col(r, "bag_id")?,
            licence_plate: col(r, "licence_plate")?,
            iban: col(r, "iban")?,
            note: col(r, "note")?,
        },
        kind,
        created_at: col(r, "created_at")?,
        version: col(r, "version")?,
    })
}

/// Inserts a validated subject; `s.id`, `created_at` and `version` are ignored.
pub async fn insert_subject(c: &mut Conn, s: &SubjectRow, search_key: &str, created_by_org: Option<i64>, at: i64) -> Result<i64, StoreError> {
    let r = sqlx::query(
        "INSERT INTO subjects (case_id, region_id, kind, display_name, sort_key, search_key, identifier, first_names, prefix, surname, birth_date, bsn, company_name, \
         legal_form, kvk, rsin, street, postcode, house_number, city, bag_id, licence_plate, iban, note, created_by_org, created_at, updated_at) \
         VALUES ($1, (SELECT region_id FROM cases WHERE id = $1), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $25) RETURNING id",
    )
    .bind(s.case_id)
    .bind(&s.kind)
    .bind(&s.display_name)
    .bind(&s.sort_key)
    .bind(search_key)
    .bind(&s.identifier)
    .bind(&s.fields.first_names)
    .bind(&s.fields.prefix)
    .bind(&s.fields.surname)
    .bind(&s.fields.birth_date)
    .bind(&s.fields.bsn)
    .bind(&s.fields.company_name)
    .bind(&s.fields.legal_form)
    .bind(&s.fields.kvk)
    .bind(&s.fields.rsin)
    .bind(&s.fields.street)
    .bind(&s.fields.postcode)
    .bind(&s.fields.house_number)
    .bind(&s.fields.city)
    .bind(&s.fields.bag_id)
    .bind(&s.fields.licence_plate)
    .bind(&s.fields.iban)
    .bind(&s.fields.note)
    .bind(created_by_org)
    .bind(at)
    .fetch_one(&mut *c)
    .await?;
    col(&r, "id")
}

pub async fn subjects(c: &mut Conn, case_id: i64) -> Result<Vec<SubjectRow>, StoreError> {
    let rows = sqlx::query(&format!("SELECT {SUBJECT_COLS} FROM subjects s WHERE s.case_id = $1 ORDER BY s.kind, s.sort_key")).bind(case_id).fetch_all(&mut *c).await?;
    rows.iter().map(subject_row).collect()
}

/// Subjects of the case with the same identifier or the same name key (duplicate warning).
pub async fn similar_in_case(c: &mut Conn, case_id: i64, identifier: &str, search_key: &str, kind: &str) -> Result<Vec<SubjectRow>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {SUBJECT_COLS} FROM subjects s WHERE s.case_id = $1 AND ((s.identifier = $2 AND $2 <> '') OR (s.search_key = $3 AND s.kind = $4)) ORDER BY s.id"
    ))
    .bind(case_id)
    .bind(identifier)
    .bind(search_key)
    .bind(kind)
    .fetch_all(&mut *c)
    .await?;
    rows.iter().map(subject_row).collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectHit {
    pub subject: SubjectRow,
    pub case_reference: String,
    pub case_title: String,
    pub region_name: String,
}

/// Subjects in cases `scope` may see whose name starts with `name_prefix` (folded) or whose
/// identifier equals `identifier`, in name order, at most `limit`.
///
/// Written as one branch per way of seeing a case, each bounded by `limit` in index order: the
/// case team's branch walks the name index and stops early; a participant's branch starts from
/// the few cases its organisation was admitted to. So a restricted user does not pay for
/// subjects it cannot see, and a common name does not make either branch unbounded.
pub async fn search_subjects(c: &mut Conn, scope: &CaseScope, name_prefix: &str, identifier: &str, limit: i64) -> Result<Vec<SubjectHit>, StoreError> {
    if scope.is_empty() || (name_prefix.is_empty() && identifier.is_empty()) {
        return Ok(Vec::new());
    }
    let limit = limit.clamp(1, 500);
    let mut q = Sql::new(&format!("SELECT {SUBJECT_COLS}, c.reference AS case_reference, c.title AS case_title, g.name AS region_name FROM ("));
    let matching = |q: &mut Sql| {
        q.push("(");
        let mut any = false;
        if !name_prefix.is_empty() {
            // A range on the index instead of LIKE: the same on both databases, and index-backed.
            q.push("(s.search_key >= ").str(name_prefix).push(" AND s.search_key < ").str(&format!("{name_prefix}\u{10FFFF}")).push(")");
            any = true;
        }
        if !identifier.is_empty() {
            if any {
                q.push(" OR ");
            }
            q.push("s.identifier = ").str(identifier);
        }
        q.push(")");
    };
    let mut branches = 0;
    let regions = scope.team_regions();
    if !regions.is_empty() {
        q.push("SELECT b.id, b.search_key FROM (SELECT s.id, s.search_key FROM subjects s WHERE s.region_id IN (").ints(regions).push(") AND ");
        matching(&mut q);
        q.push(" ORDER BY s.search_key, s.id LIMIT ").int(limit).push(") b");
        branches += 1;
    }
    let participant = scope.organisation_id().filter(|_| scope.participant_regions().is_none_or(|r| !r.is_empty()));
    if let Some(org) = participant {
        if branches > 0 {
            q.push(" UNION ");
        }
        q.push("SELECT p.id, p.search_key FROM (SELECT s.id, s.search_key FROM subjects s WHERE s.case_id IN (").participating(scope, org, None).push(")");
        q.push(" AND ");
        matching(&mut q);
        q.push(" ORDER BY s.search_key, s.id LIMIT ").int(limit).push(") p");
    }
    q.push(") v JOIN subjects s ON s.id = v.id JOIN cases c ON c.id = s.case_id JOIN regions g ON g.id = c.region_id ORDER BY v.search_key, v.id LIMIT ").int(limit);
    let rows = q.query().fetch_all(&mut *c).await?;
    rows.iter()
        .map(|r| Ok(SubjectHit { subject: subject_row(r)?, case_reference: col(r, "case_reference")?, case_title: col(r, "case_title")?, region_name: col(r, "region_name")? }))
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationRow {
    pub id: i64,
    pub from_subject_id: i64,
    pub to_subject_id: i64,
    pub kind: String,
    pub valid_from: String,
    pub valid_to: String,
}

pub async fn insert_relation(c: &mut Conn, case_id: i64, r: &RelationRow, at: i64) -> Result<i64, StoreError> {
    let row =
        sqlx::query("INSERT INTO relations (case_id, from_subject_id, to_subject_id, kind, valid_from, valid_to, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
            .bind(case_id)
            .bind(r.from_subject_id)
            .bind(r.to_subject_id)
            .bind(&r.kind)
            .bind(&r.valid_from)
            .bind(&r.valid_to)
            .bind(at)
            .fetch_one(&mut *c)
            .await?;
    col(&row, "id")
}

pub async fn relations(c: &mut Conn, case_id: i64) -> Result<Vec<RelationRow>, StoreError> {
    let rows =
        sqlx::query("SELECT id, from_subject_id, to_subject_id, kind, valid_from, valid_to FROM relations WHERE case_id = $1 ORDER BY id").bind(case_id).fetch_all(&mut *c).await?;
    rows.iter()
        .map(|r| {
            Ok(RelationRow {
                id: col(r, "id")?,
                from_subject_id: col(r, "from_subject_id")?,
                to_subject_id: col(r, "to_subject_id")?,
                kind: col(r, "kind")?,
                valid_from: col(r, "valid_from")?,
                valid_to: col(r, "valid_to")?,
            })
        })
        .collect()
}

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
}

const ITEM_SELECT: &str = "SELECT i.id, i.case_id, i.supplier_organisation_id, o.name AS supplier_name, lb.code AS legal_basis, lb.name AS legal_basis_name, \
    pu.code AS purpose, pu.name AS purpose_name, i.title, i.body, i.info_date, i.reliability, i.classification, i.sharing_conditions, i.request_id, \
    i.created_by, i.created_at, i.updated_at, i.version FROM items i JOIN cases c ON c.id = i.case_id JOIN organisations o ON o.id = i.supplier_organisation_id \
    JOIN legal_bases lb ON lb.id = i.legal_basis_id JOIN purposes pu ON pu.id = i.purpose_id";

fn item_row(r: &AnyRow) -> Result<ItemRow, StoreError> {
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
        created_at: col(r, "created_at")?,
        updated_at: col(r, "updated_at")?,
        version: col(r, "version")?,
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
    let r = sqlx::query(
        "INSERT INTO items (case_id, supplier_organisation_id, legal_basis_id, purpose_id, title, body, info_date, reliability, classification, \
         sharing_conditions, request_id, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
    )
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
    .bind(at)
    .fetch_one(&mut *c)
    .await?;
    col(&r, "id")
}

/// Changes the content of an item if nobody changed it since `version`.
pub async fn update_item(c: &mut Conn, id: i64, n: &NewItem, version: i64, at: i64) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "UPDATE items SET legal_basis_id = $1, purpose_id = $2, title = $3, body = $4, info_date = $5, reliability = $6, classification = $7, \
         sharing_conditions = $8, updated_at = $9, version = version + 1 WHERE id = $10 AND version = $11",
    )
    .bind(n.legal_basis_id)
    .bind(n.purpose_id)
    .bind(&n.title)
    .bind(&n.body)
    .bind(&n.info_date)
    .bind(&n.reliability)
    .bind(&n.classification)
    .bind(&n.sharing_conditions)
    .bind(at)
    .bind(id)
    .bind(version)
    .execute(&mut *c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// An item by id within its case, without scope: the use case asks policy next.
pub async fn find_item(c: &mut Conn, case_id: i64, id: i64) -> Result<Option<ItemRow>, StoreError> {
    let r = sqlx::query(&format!("{ITEM_SELECT} WHERE i.case_id = $1 AND i.id = $2")).bind(case_id).bind(id).fetch_optional(&mut *c).await?;
    r.as_ref().map(item_row).transpose()
}

/// The items of a case that `scope` may see.
pub async fn visible_items(c: &mut Conn, scope: &CaseScope, case_id: i64) -> Result<Vec<ItemRow>, StoreError> {
    let mut q = Sql::new(ITEM_SELECT);
    q.push(" WHERE i.case_id = ").int(case_id).push(" AND ").case_visible(scope).push(" AND ").item_visible(scope).push(" ORDER BY i.info_date DESC, i.id DESC");
    let rows = q.query().fetch_all(&mut *c).await?;
    rows.iter().map(item_row).collect()
}

/// Ids of every item `scope` may see, over all cases (property test).
pub async fn visible_item_ids(c: &mut Conn, scope: &CaseScope) -> Result<Vec<i64>, StoreError> {
    let mut q = Sql::new("SELECT i.id FROM items i JOIN cases c ON c.id = i.case_id WHERE ");
    q.case_visible(scope).push(" AND ").item_visible(scope).push(" ORDER BY i.id");
    let rows = q.query().fetch_all(&mut *c).await?;
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
}

pub async fn releases(c: &mut Conn, item_id: i64) -> Result<Vec<ReleaseRow>, StoreError> {
    let rows = sqlx::query(
        "SELECT r.organisation_id, o.name AS organisation_name, r.released_at, r.released_by, r.basis, r.withdrawn_at, r.withdrawn_by \
         FROM item_releases r JOIN organisations o ON o.id = r.organisation_id WHERE r.item_id = $1 ORDER BY o.name",
    )
    .bind(item_id)
    .fetch_all(&mut *c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ReleaseRow {
                organisation_id: col(r, "organisation_id")?,
                organisation_name: col(r, "organisation_name")?,
                released_at: col(r, "released_at")?,
                released_by: col(r, "released_by")?,
                basis: col(r, "basis")?,
                withdrawn_at: col(r, "withdrawn_at")?,
                withdrawn_by: col(r, "withdrawn_by")?,
            })
        })
        .collect()
}

/// Active releases of the items of one case: `(item_id, organisation_id)`.
pub async fn case_releases(c: &mut Conn, case_id: i64) -> Result<Vec<(i64, i64)>, StoreError> {
    let rows = sqlx::query("SELECT r.item_id, r.organisation_id FROM item_releases r JOIN items i ON i.id = r.item_id WHERE i.case_id = $1 AND r.withdrawn_at IS NULL")
        .bind(case_id)
        .fetch_all(&mut *c)
        .await?;
    rows.iter().map(|r| Ok((col(r, "item_id")?, col(r, "organisation_id")?))).collect()
}

/// Releases an item to an organisation; false when it already is.
pub async fn release(c: &mut Conn, item_id: i64, org: i64, by: &str, basis: &str, at: i64) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "INSERT INTO item_releases (item_id, organisation_id, released_at, released_by, basis) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (item_id, organisation_id) DO UPDATE SET released_at = excluded.released_at, released_by = excluded.released_by, basis = excluded.basis, \
         withdrawn_at = NULL, withdrawn_by = NULL WHERE item_releases.withdrawn_at IS NOT NULL",
    )
    .bind(item_id)
    .bind(org)
    .bind(at)
    .bind(by)
    .bind(basis)
    .execute(&mut *c)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn withdraw(c: &mut Conn, item_id: i64, org: i64, by: &str, at: i64) -> Result<bool, StoreError> {
    let r = sqlx::query("UPDATE item_releases SET withdrawn_at = $1, withdrawn_by = $2 WHERE item_id = $3 AND organisation_id = $4 AND withdrawn_at IS NULL")
        .bind(at)
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
    let r =
        sqlx::query("INSERT INTO item_attachments (item_id, file_name, content_type, size, sha256, data, uploaded_by, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
            .bind(item_id)
            .bind(&a.file_name)
            .bind(&a.content_type)
            .bind(a.size)
            .bind(&a.sha256)
            .bind(data.to_vec())
            .bind(&a.uploaded_by)
            .bind(a.at)
            .fetch_one(&mut *c)
            .await?;
    col(&r, "id")
}

fn attachment_row(r: &AnyRow) -> Result<ItemAttachment, StoreError> {
    Ok(ItemAttachment {
        id: col(r, "id")?,
        file_name: col(r, "file_name")?,
        content_type: col(r, "content_type")?,
        size: col(r, "size")?,
        sha256: col(r, "sha256")?,
        uploaded_by: col(r, "uploaded_by")?,
        at: col(r, "at")?,
    })
}

pub async fn item_attachments(c: &mut Conn, item_id: i64) -> Result<Vec<ItemAttachment>, StoreError> {
    let rows = sqlx::query("SELECT id, file_name, content_type, size, sha256, uploaded_by, at FROM item_attachments WHERE item_id = $1 ORDER BY id")
        .bind(item_id)
        .fetch_all(&mut *c)
        .await?;
    rows.iter().map(attachment_row).collect()
}

pub async fn item_attachment_data(c: &mut Conn, item_id: i64, id: i64) -> Result<Option<(ItemAttachment, Vec<u8>)>, StoreError> {
    let r = sqlx::query("SELECT id, file_name, content_type, size, sha256, uploaded_by, at, data FROM item_attachments WHERE item_id = $1 AND id = $2")
        .bind(item_id)
        .bind(id)
        .fetch_optional(&mut *c)
        .await?;
    match r {
        Some(r) => Ok(Some((attachment_row(&r)?, col(&r, "data")?))),
        None => Ok(None),
    }
}

// ---------------------------------------------------------------------------------------------
// Information requests

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientRow {
    pub organisation_id: i64,
    pub organisation_name: String,
    pub status: String,
    pub answer_item_id: Option<i64>,
    pub decline_reason: String,
    pub answered_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRow {
    pub id: i64,
    pub questions: String,
    pub deadline: String,
    pub created_by: String,
    pub created_at: i64,
    pub recipients: Vec<RecipientRow>,
}

pub async fn insert_request(c: &mut Conn, case_id: i64, questions: &str, deadline: &str, by: &str, recipients: &[i64], at: i64) -> Result<i64, StoreError> {
    let r = sqlx::query("INSERT INTO information_requests (case_id, questions, deadline, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .bind(case_id)
        .bind(questions)
        .bind(deadline)
        .bind(by)
        .bind(at)
        .fetch_one(&mut *c)
        .await?;
    let id: i64 = col(&r, "id")?;
    for org in recipients {
        sqlx::query("INSERT INTO request_recipients (request_id, organisation_id, status) VALUES ($1, $2, 'open')").bind(id).bind(org).execute(&mut *c).await?;
    }
    Ok(id)
}

pub async fn requests(c: &mut Conn, case_id: i64) -> Result<Vec<RequestRow>, StoreError> {
    let rows = sqlx::query("SELECT id, questions, deadline, created_by, created_at FROM information_requests WHERE case_id = $1 ORDER BY created_at DESC, id DESC")
        .bind(case_id)
        .fetch_all(&mut *c)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: i64 = col(r, "id")?;
        let rec = sqlx::query(
            "SELECT rr.organisation_id, o.name AS organisation_name, rr.status, rr.answer_item_id, rr.decline_reason, rr.answered_at \
             FROM request_recipients rr JOIN organisations o ON o.id = rr.organisation_id WHERE rr.request_id = $1 ORDER BY o.name",
        )
        .bind(id)
        .fetch_all(&mut *c)
        .await?;
        let recipients = rec
            .iter()
            .map(|x| {
                Ok(RecipientRow {
                    organisation_id: col(x, "organisation_id")?,
                    organisation_name: col(x, "organisation_name")?,
                    status: col(x, "status")?,
                    answer_item_id: col(x, "answer_item_id")?,
                    decline_reason: col(x, "decline_reason")?,
                    answered_at: col(x, "answered_at")?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        out.push(RequestRow {
            id,
            questions: col(r, "questions")?,
            deadline: col(r, "deadline")?,
            created_by: col(r, "created_by")?,
            created_at: col(r, "created_at")?,
            recipients,
        });
    }
    Ok(out)
}

/// Records an answer or a refusal of an open request for one recipient; false when it was not open.
pub async fn settle_request(c: &mut Conn, request_id: i64, org: i64, status: &str, answer_item_id: Option<i64>, decline_reason: &str, at: i64) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "UPDATE request_recipients SET status = $1, answer_item_id = $2, decline_reason = $3, answered_at = $4 WHERE request_id = $5 AND organisation_id = $6 AND status = 'open'",
    )
    .bind(status)
    .bind(answer_item_id)
    .bind(decline_reason)
    .bind(at)
    .bind(request_id)
    .bind(org)
    .execute(&mut *c)
    .await?;
    Ok(r.rows_affected() == 1)
}

// ---------------------------------------------------------------------------------------------
// Advice

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdviceRow {
    pub id: i64,
    pub number: i64,
    pub findings: String,
    pub proposals: String,
    pub status: String,
    pub author: String,
    pub created_at: i64,
    pub approved_by: Option<String>,
    pub approved_at: Option<i64>,
}

pub async fn insert_advice(c: &mut Conn, case_id: i64, findings: &str, proposals: &str, author: &str, at: i64) -> Result<i64, StoreError> {
    let r = sqlx::query(
        "INSERT INTO advice_versions (case_id, number, findings, proposals, status, author, created_at) \
         VALUES ($1, (SELECT COALESCE(MAX(number), 0) + 1 FROM advice_versions WHERE case_id = $1), $2, $3, 'concept', $4, $5) RETURNING number",
    )
    .bind(case_id)
    .bind(findings)
    .bind(proposals)
    .bind(author)
    .bind(at)
    .fetch_one(&mut *c)
    .await?;
    col(&r, "number")
}

pub async fn advice(c: &mut Conn, case_id: i64) -> Result<Vec<AdviceRow>, StoreError> {
    let rows =
        sqlx::query("SELECT id, number, findings, proposals, status, author, created_at, approved_by, approved_at FROM advice_versions WHERE case_id = $1 ORDER BY number DESC")
            .bind(case_id)
            .fetch_all(&mut *c)
            .await?;
    rows.iter()
        .map(|r| {
            Ok(AdviceRow {
                id: col(r, "id")?,
                number: col(r, "number")?,
                findings: col(r, "findings")?,
                proposals: col(r, "proposals")?,
                status: col(r, "status")?,
                author: col(r, "author")?,
                created_at: col(r, "created_at")?,
                approved_by: col(r, "approved_by")?,
                approved_at: col(r, "approved_at")?,
            })
        })
        .collect()
}

/// Approves the draft with `number` if it is the latest version and still a draft.
pub async fn approve_advice(c: &mut Conn, case_id: i64, number: i64, by: &str, at: i64) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "UPDATE advice_versions SET status = 'goedgekeurd', approved_by = $1, approved_at = $2 WHERE case_id = $3 AND number = $4 AND status = 'concept' \
         AND number = (SELECT MAX(number) FROM advice_versions WHERE case_id = $3)",
    )
    .bind(by)
    .bind(at)
    .bind(case_id)
    .bind(number)
    .execute(&mut *c)
    .await?;
    Ok(r.rows_affected() == 1)
}

// ---------------------------------------------------------------------------------------------
// Interventions and meetings

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InterventionRow {
    pub id: i64,
    pub type_code: String,
    pub type_name: String,
    pub category: String,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub legal_power: String,
    pub status: String,
    pub note: String,
    pub decision: String,
    pub collected_cents: Option<i64>,
    pub offset_cents: Option<i64>,
    pub seized_cents: Option<i64>,
    pub decision_date: String,
    pub completed_date: String,
    pub stop_reason: String,
    pub escalated_at: Option<i64>,
    pub escalation_reason: String,
    pub version: i64,
}

pub async fn insert_intervention(c: &mut Conn, case_id: i64, type_id: i64, org: i64, legal_power: &str, note: &str, at: i64) -> Result<i64, StoreError> {
    let r = sqlx::query(
        "INSERT INTO interventions (case_id, type_id, organisation_id, legal_power, status, note, created_at, updated_at) VALUES ($1, $2, $3, $4, 'voorgesteld', $5, $6, $6) RETURNING id",
    )
    .bind(case_id)
    .bind(type_id)
    .bind(org)
    .bind(legal_power)
    .bind(note)
    .bind(at)
    .fetch_one(&mut *c)
    .await?;
    col(&r, "id")
}

pub async fn interventions(c: &mut Conn, case_id: i64) -> Result<Vec<InterventionRow>, StoreError> {
    let rows = sqlx::query(
        "SELECT v.id, t.code AS type_code, t.name AS type_name, t.category, v.organisation_id, o.name AS organisation_name, v.legal_power, v.status, v.note, \
         v.decision, v.collected_cents, v.offset_cents, v.seized_cents, v.decision_date, v.completed_date, v.stop_reason, v.escalated_at, v.escalation_reason, v.version \
         FROM interventions v JOIN intervention_types t ON t.id = v.type_id JOIN organisations o ON o.id = v.organisation_id WHERE v.case_id = $1 ORDER BY v.id",
    )
    .bind(case_id)
    .fetch_all(&mut *c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(InterventionRow {
                id: col(r, "id")?,
                type_code: col(r, "type_code")?,
                type_name: col(r, "type_name")?,
                category: col(r, "category")?,
                organisation_id: col(r, "organisation_id")?,
                organisation_name: col(r, "organisation_name")?,
                legal_power: col(r, "legal_power")?,
                status: col(r, "status")?,
                note: col(r, "note")?,
                decision: col(r, "decision")?,
                collected_cents: col(r, "collected_cents")?,
                offset_cents: col(r, "offset_cents")?,
                seized_cents: col(r, "seized_cents")?,
                decision_date: col(r, "decision_date")?,
                completed_date: col(r, "completed_date")?,
                stop_reason: col(r, "stop_reason")?,
                escalated_at: col(r, "escalated_at")?,
                escalation_reason: col(r, "escalation_reason")?,
                version: col(r, "version")?,
            })
        })
        .collect()
}

/// Writes status and outcome if nobody changed the intervention since `version`.
pub async fn update_intervention(c: &mut Conn, id: i64, v: &InterventionRow, version: i64, at: i64) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "UPDATE interventions SET status = $1, decision = $2, collected_cents = $3, offset_cents = $4, seized_cents = $5, decision_date = $6, completed_date = $7, \
         stop_reason = $8, escalated_at = $9, escalation_reason = $10, updated_at = $11, version = version + 1 WHERE id = $12 AND version = $13",
    )
    .bind(&v.status)
    .bind(&v.decision)
    .bind(v.collected_cents)
    .bind(v.offset_cents)
    .bind(v.seized_cents)
    .bind(&v.decision_date)
    .bind(&v.completed_date)
    .bind(&v.stop_reason)
    .bind(v.escalated_at)
    .bind(&v.escalation_reason)
    .bind(at)
    .bind(id)
    .bind(version)
    .execute(&mut *c)
    .await?;
    Ok(r.rows_affected() == 1)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRow {
    pub id: i64,
    pub held_on: String,
    pub attendees: String,
    pub agenda: String,
    pub decisions: String,
    pub intervention_ids: Vec<i64>,
}

pub async fn insert_meeting(c: &mut Conn, case_id: i64, m: &MeetingRow, by: &str, at: i64) -> Result<i64, StoreError> {
    let r = sqlx::query("INSERT INTO meetings (case_id, held_on, attendees, agenda, decisions, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
        .bind(case_id)
        .bind(&m.held_on)
        .bind(&m.attendees)
        .bind(&m.agenda)
        .bind(&m.decisions)
        .bind(by)
        .bind(at)
        .fetch_one(&mut *c)
        .await?;
    let id: i64 = col(&r, "id")?;
    for v in &m.intervention_ids {
        sqlx::query("INSERT INTO meeting_interventions (meeting_id, intervention_id) VALUES ($1, $2)").bind(id).bind(v).execute(&mut *c).await?;
    }
    Ok(id)
}

pub async fn meetings(c: &mut Conn, case_id: i64) -> Result<Vec<MeetingRow>, StoreError> {
    let rows =
        sqlx::query("SELECT id, held_on, attendees, agenda, decisions FROM meetings WHERE case_id = $1 ORDER BY held_on DESC, id DESC").bind(case_id).fetch_all(&mut *c).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: i64 = col(r, "id")?;
        let links = sqlx::query("SELECT intervention_id FROM meeting_interventions WHERE meeting_id = $1 ORDER BY intervention_id").bind(id).fetch_all(&mut *c).await?;
        out.push(MeetingRow {
            id,
            held_on: col(r, "held_on")?,
            attendees: col(r, "attendees")?,
            agenda: col(r, "agenda")?,
            decisions: col(r, "decisions")?,
            intervention_ids: links.iter().map(|l| col(l, "intervention_id")).collect::<Result<Vec<i64>, StoreError>>()?,
        });
    }
    Ok(out)
}
