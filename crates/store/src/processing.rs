//! The processing log for personal data, following Logboek Dataverwerkingen: one line per data
//! subject per processing, with trace and span ids, the processing activity from the register,
//! a pseudonymised subject id and a status.

use crate::db::{col, Conn, StoreError};
use crate::query::{q, time, Row};
use knooppunt_policy::ProcessingLogGrant;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    pub code: String,
    pub name: String,
    pub purpose: String,
    pub legal_basis: String,
    pub data_categories: String,
    pub retention: String,
}

/// Inserts or updates an activity of the register of processing activities.
pub async fn upsert_activity(c: &mut Conn, a: &Activity) -> Result<(), StoreError> {
    q("INSERT INTO processing_activities (code, name, purpose, legal_basis, data_categories, retention) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, purpose = excluded.purpose, legal_basis = excluded.legal_basis, \
         data_categories = excluded.data_categories, retention = excluded.retention")
    .bind(&a.code)
    .bind(&a.name)
    .bind(&a.purpose)
    .bind(&a.legal_basis)
    .bind(&a.data_categories)
    .bind(&a.retention)
    .execute(&mut *c)
    .await?;
    Ok(())
}

pub async fn activities(c: &mut Conn) -> Result<Vec<Activity>, StoreError> {
    let rows = q("SELECT code, name, purpose, legal_basis, data_categories, retention FROM processing_activities ORDER BY code").fetch_all(&mut *c).await?;
    rows.iter()
        .map(|r| {
            Ok(Activity {
                code: col(r, "code")?,
                name: col(r, "name")?,
                purpose: col(r, "purpose")?,
                legal_basis: col(r, "legal_basis")?,
                data_categories: col(r, "data_categories")?,
                retention: col(r, "retention")?,
            })
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessingLine {
    pub trace_id: String,
    pub span_id: String,
    pub parent_span_id: Option<String>,
    pub activity_code: String,
    pub subject_type: String,
    pub subject_pseudonym: String,
    pub status: String,
    pub actor: String,
    pub organisation_id: Option<i64>,
    pub at: i64,
}

pub async fn append(c: &mut Conn, l: &ProcessingLine) -> Result<(), StoreError> {
    append_many(c, std::slice::from_ref(l)).await
}

/// Appends many lines with few statements (multi-row INSERTs of up to 32 lines): a search that
/// returns a hundred subjects logs a hundred lines without a hundred round trips.
pub async fn append_many(c: &mut Conn, lines: &[ProcessingLine]) -> Result<(), StoreError> {
    // Few distinct statement shapes (32, 16, 8, 4, 2 or 1 rows) so the prepared-statement cache
    // keeps them, and small ones: binding cost in sqlx grows faster than linearly.
    let mut rest = lines;
    while !rest.is_empty() {
        let n = [32usize, 16, 8, 4, 2, 1].into_iter().find(|n| *n <= rest.len()).unwrap_or(1);
        let (chunk, tail) = rest.split_at(n);
        rest = tail;
        let mut sql = String::from(
            "INSERT INTO processing_log (trace_id, span_id, parent_span_id, activity_code, subject_type, subject_pseudonym, status, actor, organisation_id, at) VALUES ",
        );
        for i in 0..chunk.len() {
            let b = i * 10;
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})", b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7, b + 8, b + 9, b + 10));
        }
        let mut q = q(&sql);
        for l in chunk {
            q = q
                .bind(&l.trace_id)
                .bind(&l.span_id)
                .bind(l.parent_span_id.clone())
                .bind(&l.activity_code)
                .bind(&l.subject_type)
                .bind(&l.subject_pseudonym)
                .bind(&l.status)
                .bind(&l.actor)
                .bind(l.organisation_id)
                .bind_at(l.at);
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}

pub(crate) const LINE: &str = "trace_id, span_id, parent_span_id, activity_code, subject_type, subject_pseudonym, status, actor, organisation_id, at";

/// Lines for one trace or one pseudonymised subject, newest first.
pub async fn lines(c: &mut Conn, trace_id: Option<&str>, subject_pseudonym: Option<&str>, limit: i64) -> Result<Vec<ProcessingLine>, StoreError> {
    let rows = q(format!(
        "SELECT {LINE} FROM processing_log WHERE (CAST($1 AS TEXT) IS NULL OR trace_id = $1) AND (CAST($2 AS TEXT) IS NULL OR subject_pseudonym = $2) ORDER BY id DESC LIMIT $3"
    ))
    .bind(trace_id)
    .bind(subject_pseudonym)
    .bind(limit)
    .fetch_all(&mut *c)
    .await?;
    rows.iter().map(line).collect()
}

/// The newest lines of exported or printed case files (activity `casusdossier-exporteren`,
/// partial index `processing_log_exports`) from `from` on, and how many there are.
pub async fn exports_since(c: &mut Conn, from: i64, limit: i64) -> Result<(Vec<ProcessingLine>, i64), StoreError> {
    let n = q("SELECT COUNT(*) AS n FROM processing_log WHERE activity_code = 'casusdossier-exporteren' AND at >= $1").bind_at(from).fetch_one(&mut *c).await?;
    let rows = q(format!("SELECT {LINE} FROM processing_log WHERE activity_code = 'casusdossier-exporteren' AND at >= $1 ORDER BY at DESC, id DESC LIMIT $2"))
        .bind_at(from)
        .bind(limit)
        .fetch_all(&mut *c)
        .await?;
    Ok((rows.iter().map(line).collect::<Result<Vec<_>, _>>()?, col(&n, "n")?))
}

/// The ids of the subject records, in every region and case, whose identifier is exactly
/// `identifier` (`kind:value`, as `Subject::identifier` writes it): only to pseudonymise them.
pub async fn subject_records(c: &mut Conn, _g: &ProcessingLogGrant, identifier: &str) -> Result<Vec<i64>, StoreError> {
    let rows = q("SELECT id FROM subjects WHERE identifier = $1 ORDER BY id").bind(identifier).fetch_all(&mut *c).await?;
    rows.iter().map(|r| col(r, "id")).collect()
}

/// A page of the lines about these pseudonymised subjects, newest first, with their number.
pub async fn lines_about(c: &mut Conn, _g: &ProcessingLogGrant, pseudonyms: &[&str], limit: i64, offset: i64) -> Result<(Vec<ProcessingLine>, i64), StoreError> {
    if pseudonyms.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let rows = q(format!("SELECT {LINE} FROM processing_log WHERE subject_pseudonym = ANY($1) ORDER BY at DESC, id DESC LIMIT $2 OFFSET $3"))
        .bind_texts(pseudonyms)
        .bind(limit)
        .bind(offset)
        .fetch_all(&mut *c)
        .await?;
    let total = q("SELECT COUNT(*) AS n FROM processing_log WHERE subject_pseudonym = ANY($1)").bind_texts(pseudonyms).fetch_one(&mut *c).await?;
    Ok((rows.iter().map(line).collect::<Result<_, _>>()?, col(&total, "n")?))
}

pub(crate) fn line(r: &Row) -> Result<ProcessingLine, StoreError> {
    Ok(ProcessingLine {
        trace_id: col(r, "trace_id")?,
        span_id: col(r, "span_id")?,
        parent_span_id: col(r, "parent_span_id")?,
        activity_code: col(r, "activity_code")?,
        subject_type: col(r, "subject_type")?,
        subject_pseudonym: col(r, "subject_pseudonym")?,
        status: col(r, "status")?,
        actor: col(r, "actor")?,
        organisation_id: col(r, "organisation_id")?,
        at: time(r, "at")?,
    })
}

/// Does the processing log hold any line (then a new pseudonymisation key would make it
/// unsearchable)?
pub async fn has_lines(c: &mut Conn) -> Result<bool, StoreError> {
    Ok(q("SELECT TRUE AS x FROM processing_log LIMIT 1").fetch_optional(&mut *c).await?.is_some())
}
