//! Specialist support requests of the RIECs to the LIEC: the request, its messages (the
//! question, information asked and given, the answer), its attachments, and the LIEC's
//! turnaround targets per domain.
//!
//! Readers take what policy mints: a [`SupportScope`] for lists, counts and opening one
//! request, a [`SupportGrant`] for its messages and attachments.

use crate::db::{col, Conn, StoreError};
use crate::query::{q, time, Row};
use knooppunt_policy::support::{SupportGrant, SupportScope};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRow {
    pub id: i64,
    pub reference: String,
    pub region_id: i64,
    pub region_name: String,
    pub domain: String,
    pub question: String,
    pub case_reference: String,
    pub desired_on: String,
    pub deadline_on: String,
    pub deadline_basis: String,
    pub status: String,
    pub asked_by: String,
    pub handler: String,
    pub submitted_on: String,
    pub target_days: i64,
    pub waiting_days: i64,
    pub waiting_since: String,
    pub due_on: String,
    pub answered_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub faq_item_id: Option<i64>,
    /// When its retention period ended in destruction (its texts are gone).
    pub destroyed_at: Option<i64>,
    pub updated_at: i64,
    pub version: i64,
}

const SUPPORT_COLS: &str = "s.id, s.reference, s.region_id, g.name AS region_name, s.domain, s.question, s.case_reference, s.desired_on, s.deadline_on, s.deadline_basis, \
    s.status, s.asked_by, s.handler, s.submitted_on, s.target_days, s.waiting_days, s.waiting_since, s.due_on, s.answered_at, s.closed_at, s.faq_item_id, \
    s.destroyed_at, s.updated_at, s.version";

fn request_row(r: &Row) -> Result<RequestRow, StoreError> {
    Ok(RequestRow {
        id: col(r, "id")?,
        reference: col(r, "reference")?,
        region_id: col(r, "region_id")?,
        region_name: col(r, "region_name")?,
        domain: col(r, "domain")?,
        question: col(r, "question")?,
        case_reference: col(r, "case_reference")?,
        desired_on: col(r, "desired_on")?,
        deadline_on: col(r, "deadline_on")?,
        deadline_basis: col(r, "deadline_basis")?,
        status: col(r, "status")?,
        asked_by: col(r, "asked_by")?,
        handler: col(r, "handler")?,
        submitted_on: col(r, "submitted_on")?,
        target_days: col(r, "target_days")?,
        waiting_days: col(r, "waiting_days")?,
        waiting_since: col(r, "waiting_since")?,
        due_on: col(r, "due_on")?,
        answered_at: time(r, "answered_at")?,
        closed_at: time(r, "closed_at")?,
        faq_item_id: col(r, "faq_item_id")?,
        destroyed_at: time(r, "destroyed_at")?,
        updated_at: time(r, "updated_at")?,
        version: col(r, "version")?,
    })
}

/// What a list asks for.
#[derive(Debug, Clone, Default)]
pub struct SupportFilter {
    pub status: Option<String>,
    pub domain: Option<String>,
    /// Only requests waiting for the LIEC (submitted or in progress) due before this day
    /// (`jjjj-mm-dd`): the overdue list.
    pub overdue_on: Option<String>,
    /// Only requests that are not closed.
    pub open: bool,
}

/// The requests `scope` may see that match `f`: overdue and open first, by due date. `$1` all,
/// `$2` the regions, then the filter's values.
pub async fn list(c: &mut Conn, scope: &SupportScope, f: &SupportFilter) -> Result<Vec<RequestRow>, StoreError> {
    if scope.is_empty() {
        return Ok(Vec::new());
    }
    let rows = q(format!(
        "SELECT {SUPPORT_COLS} FROM support_requests s JOIN regions g ON g.id = s.region_id \
         WHERE ($1 OR s.region_id = ANY($2)) AND ($3 = '' OR s.status = $3) AND ($4 = '' OR s.domain = $4) \
         AND ($5 = '' OR (s.status IN ('ingediend', 'in-behandeling') AND s.due_on < $5)) AND (NOT $6 OR s.status <> 'gesloten') \
         ORDER BY CASE WHEN s.status = 'gesloten' THEN 1 ELSE 0 END, s.due_on, s.id LIMIT 500"
    ))
    .bind(scope.all())
    .bind_ids(scope.regions())
    .bind(f.status.clone().unwrap_or_default())
    .bind(f.domain.clone().unwrap_or_default())
    .bind(f.overdue_on.clone().unwrap_or_default())
    .bind(f.open)
    .fetch_all(&mut *c)
    .await?;
    rows.iter().map(request_row).collect()
}

/// A request by id if `scope` may see it: the facts for `policy::support::grant`.
pub async fn find(c: &mut Conn, scope: &SupportScope, id: i64) -> Result<Option<RequestRow>, StoreError> {
    if scope.is_empty() {
        return Ok(None);
    }
    let r = q(format!("SELECT {SUPPORT_COLS} FROM support_requests s JOIN regions g ON g.id = s.region_id WHERE s.id = $1 AND ($2 OR s.region_id = ANY($3))"))
        .bind(id)
        .bind(scope.all())
        .bind_ids(scope.regions())
        .fetch_optional(&mut *c)
        .await?;
    r.as_ref().map(request_row).transpose()
}

/// A new request.
#[derive(Debug, Clone, Default)]
pub struct NewRequest {
    pub region_id: i64,
    pub domain: String,
    pub question: String,
    pub case_reference: String,
    pub desired_on: String,
    pub deadline_on: String,
    pub deadline_basis: String,
    pub asked_by: String,
    pub submitted_on: String,
    pub target_days: i64,
    pub due_on: String,
}

/// Stores a submitted request with its reference `OND-<year>-<id>`: (id, reference).
pub async fn insert(c: &mut Conn, n: &NewRequest, year: i32, at: i64) -> Result<(i64, String), StoreError> {
    let r = q("INSERT INTO support_requests (reference, region_id, domain, question, case_reference, desired_on, deadline_on, deadline_basis, asked_by, submitted_on, \
         target_days, due_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id")
    .bind(format!("tmp-{at}-{}", n.region_id))
    .bind(n.region_id)
    .bind(&n.domain)
    .bind(&n.question)
    .bind(&n.case_reference)
    .bind(&n.desired_on)
    .bind(&n.deadline_on)
    .bind(&n.deadline_basis)
    .bind(&n.asked_by)
    .bind(&n.submitted_on)
    .bind(n.target_days)
    .bind(&n.due_on)
    .bind_at(at)
    .fetch_one(&mut *c)
    .await?;
    let id: i64 = col(&r, "id")?;
    let reference = format!("OND-{year}-{id:05}");
    q("UPDATE support_requests SET reference = $1 WHERE id = $2").bind(&reference).bind(id).execute(&mut *c).await?;
    Ok((id, reference))
}

/// A request's state after a workflow step.
#[derive(Debug, Clone, Default)]
pub struct StepChange {
    pub status: String,
    pub handler: String,
    pub waiting_days: i64,
    pub waiting_since: String,
    pub due_on: String,
    pub answered_at: Option<i64>,
    pub closed_at: Option<i64>,
}

/// Moves request `id` from `from` at `version` to the state of `s`; `false` when it changed
/// since (stale version or another state).
pub async fn set_state(c: &mut Conn, id: i64, version: i64, from: &str, s: &StepChange, at: i64) -> Result<bool, StoreError> {
    let n = q("UPDATE support_requests SET status = $1, handler = $2, waiting_days = $3, waiting_since = $4, due_on = $5, answered_at = $6, closed_at = $7, \
         updated_at = $8, version = version + 1 WHERE id = $9 AND version = $10 AND status = $11")
    .bind(&s.status)
    .bind(&s.handler)
    .bind(s.waiting_days)
    .bind(&s.waiting_since)
    .bind(&s.due_on)
    .bind_at(s.answered_at)
    .bind_at(s.closed_at)
    .bind_at(at)
    .bind(id)
    .bind(version)
    .bind(from)
    .execute(&mut *c)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Bumps the version (an attachment or a published answer).
pub async fn touch(c: &mut Conn, id: i64, at: i64) -> Result<(), StoreError> {
    q("UPDATE support_requests SET updated_at = $1, version = version + 1 WHERE id = $2").bind_at(at).bind(id).execute(&mut *c).await?;
    Ok(())
}

/// Records the question-and-answer item the answer became; `false` when it has one already.
pub async fn set_faq(c: &mut Conn, id: i64, item_id: i64, at: i64) -> Result<bool, StoreError> {
    let n = q("UPDATE support_requests SET faq_item_id = $1, updated_at = $2, version = version + 1 WHERE id = $3 AND faq_item_id IS NULL")
        .bind(item_id)
        .bind_at(at)
        .bind(id)
        .execute(&mut *c)
        .await?
        .rows_affected();
    Ok(n == 1)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRow {
    pub id: i64,
    pub step: String,
    pub side: String,
    pub body: String,
    pub author: String,
    pub at: i64,
}

/// The messages of the request of `g`, oldest first.
pub async fn messages(c: &mut Conn, g: &SupportGrant) -> Result<Vec<MessageRow>, StoreError> {
    let rows = q("SELECT id, step, side, body, author, at FROM support_messages WHERE request_id = $1 ORDER BY id").bind(g.id()).fetch_all(&mut *c).await?;
    rows.iter()
        .map(|r| Ok(MessageRow { id: col(r, "id")?, step: col(r, "step")?, side: col(r, "side")?, body: col(r, "body")?, author: col(r, "author")?, at: time(r, "at")? }))
        .collect()
}

pub async fn add_message(c: &mut Conn, id: i64, step: &str, side: &str, body: &str, author: &str, at: i64) -> Result<(), StoreError> {
    q("INSERT INTO support_messages (request_id, step, side, body, author, at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(id)
        .bind(step)
        .bind(side)
        .bind(body)
        .bind(author)
        .bind_at(at)
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// An attachment of a request, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportFile {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub side: String,
    pub uploaded_by: String,
    pub at: i64,
}

fn file_row(r: &Row) -> Result<SupportFile, StoreError> {
    Ok(SupportFile {
        id: col(r, "id")?,
        file_name: col(r, "file_name")?,
        content_type: col(r, "content_type")?,
        size: col(r, "size")?,
        sha256: col(r, "sha256")?,
        side: col(r, "side")?,
        uploaded_by: col(r, "uploaded_by")?,
        at: time(r, "at")?,
    })
}

/// The attachments of the request of `g`, in upload order.
pub async fn attachments(c: &mut Conn, g: &SupportGrant) -> Result<Vec<SupportFile>, StoreError> {
    let rows = q("SELECT id, file_name, content_type, size, sha256, side, uploaded_by, at FROM support_attachments WHERE request_id = $1 ORDER BY id")
        .bind(g.id())
        .fetch_all(&mut *c)
        .await?;
    rows.iter().map(file_row).collect()
}

/// One attachment of the request of `g`, with its bytes.
pub async fn attachment_data(c: &mut Conn, g: &SupportGrant, attachment_id: i64) -> Result<Option<(SupportFile, Vec<u8>)>, StoreError> {
    let r = q("SELECT id, file_name, content_type, size, sha256, side, uploaded_by, at, data FROM support_attachments WHERE request_id = $1 AND id = $2")
        .bind(g.id())
        .bind(attachment_id)
        .fetch_optional(&mut *c)
        .await?;
    match r {
        Some(r) => Ok(Some((file_row(&r)?, col(&r, "data")?))),
        None => Ok(None),
    }
}

/// Adds a file to the request of `g`; its id.
pub async fn add_attachment(c: &mut Conn, g: &SupportGrant, f: &SupportFile, data: &[u8]) -> Result<i64, StoreError> {
    let r = q("INSERT INTO support_attachments (request_id, file_name, content_type, size, sha256, data, side, uploaded_by, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id")
    .bind(g.id())
    .bind(&f.file_name)
    .bind(&f.content_type)
    .bind(f.size)
    .bind(&f.sha256)
    .bind(data.to_vec())
    .bind(&f.side)
    .bind(&f.uploaded_by)
    .bind_at(f.at)
    .fetch_one(&mut *c)
    .await?;
    col(&r, "id")
}

/// The LIEC's turnaround targets: (domain, days).
pub async fn targets(c: &mut Conn) -> Result<Vec<(String, i64)>, StoreError> {
    let rows = q("SELECT domain, target_days FROM support_targets ORDER BY domain").fetch_all(&mut *c).await?;
    rows.iter().map(|r| Ok((col(r, "domain")?, col(r, "target_days")?))).collect()
}

pub async fn set_target(c: &mut Conn, domain: &str, days: i64) -> Result<(), StoreError> {
    q("UPDATE support_targets SET target_days = $1 WHERE domain = $2").bind(days).bind(domain).execute(&mut *c).await?;
    Ok(())
}

/// How many requests `scope` sees per work: (waiting for the LIEC, of which overdue on
/// `today`, waiting for the region), for the work list.
pub async fn counts(c: &mut Conn, scope: &SupportScope, today: &str) -> Result<(i64, i64, i64), StoreError> {
    if scope.is_empty() {
        return Ok((0, 0, 0));
    }
    let r = q("SELECT COALESCE(SUM(CASE WHEN status IN ('ingediend', 'in-behandeling') THEN 1 ELSE 0 END), 0) AS liec, \
         COALESCE(SUM(CASE WHEN status IN ('ingediend', 'in-behandeling') AND due_on < $3 THEN 1 ELSE 0 END), 0) AS overdue, \
         COALESCE(SUM(CASE WHEN status IN ('informatie-gevraagd', 'beantwoord') THEN 1 ELSE 0 END), 0) AS riec \
         FROM support_requests WHERE ($1 OR region_id = ANY($2))")
    .bind(scope.all())
    .bind_ids(scope.regions())
    .bind(today)
    .fetch_one(&mut *c)
    .await?;
    Ok((col(&r, "liec")?, col(&r, "overdue")?, col(&r, "riec")?))
}
