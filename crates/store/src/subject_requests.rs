//! Requests of data subjects (migration 0020). Readers take a `SubjectRequestScope`; the person
//! search takes a `PersonSearchGrant` and returns organisations and counts, never case data.

use crate::db::{col, Conn, StoreError};
use crate::query::{q, time, Row};
use knooppunt_policy::subject_requests::{PersonSearchGrant, SubjectRequestScope};

pub struct NewRequest<'a> {
    pub kind: &'a str,
    pub received_by: i64,
    pub received_on: &'a str,
    pub registered_by: &'a str,
    pub identifier_kind: &'a str,
    pub identifier: &'a str,
    pub name: &'a str,
    pub identity_checked: bool,
    pub identity_note: &'a str,
    pub question: &'a str,
    pub deadline: &'a str,
}

/// Inserts a request and gives it its reference (`VB-<year>-<id>`).
pub async fn insert(c: &mut Conn, r: &NewRequest<'_>, year: i32, at: i64) -> Result<i64, StoreError> {
    let row = q("INSERT INTO subject_requests (kind, received_by, received_on, registered_by, registered_at, identifier_kind, identifier, name, identity_checked, identity_note, question, deadline) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id")
    .bind(r.kind)
    .bind(r.received_by)
    .bind(r.received_on)
    .bind(r.registered_by)
    .bind_at(at)
    .bind(r.identifier_kind)
    .bind(r.identifier)
    .bind(r.name)
    .bind(r.identity_checked)
    .bind(r.identity_note)
    .bind(r.question)
    .bind(r.deadline)
    .fetch_one(&mut *c)
    .await?;
    let id: i64 = col(&row, "id")?;
    q("UPDATE subject_requests SET reference = $1 WHERE id = $2").bind(format!("VB-{year}-{id:05}")).bind(id).execute(&mut *c).await?;
    Ok(id)
}

/// An organisation that supplied data about the person: how many cases, subject records and
/// information items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Supplier {
    pub organisation_id: i64,
    pub cases: i64,
    pub subjects: i64,
    pub items: i64,
}

/// The organisations that supplied data about the holder of `identifier` (a BSN or KvK number)
/// in any case not destroyed: who registered the case, who added a subject record with the
/// number, who supplied an item in a case where it appears.
pub async fn suppliers(c: &mut Conn, _grant: &PersonSearchGrant, identifier_kind: &str, identifier: &str) -> Result<Vec<Supplier>, StoreError> {
    let rows = q("WITH s AS (SELECT id, case_id, created_by_org FROM subjects WHERE ($1 = 'bsn' AND bsn = $2) OR ($1 = 'kvk' AND kvk = $2)) \
         SELECT o, COUNT(DISTINCT case_id) AS cases, SUM(subjects) AS subjects, SUM(items) AS items FROM ( \
           SELECT created_by_org AS o, case_id, 1 AS subjects, 0 AS items FROM s WHERE created_by_org IS NOT NULL \
           UNION ALL SELECT k.source_organisation_id, k.id, 0, 0 FROM cases k WHERE k.id IN (SELECT case_id FROM s) \
           UNION ALL SELECT i.supplier_organisation_id, i.case_id, 0, 1 FROM items i WHERE i.case_id IN (SELECT case_id FROM s) \
         ) x GROUP BY o ORDER BY o")
    .bind(identifier_kind)
    .bind(identifier)
    .fetch_all(&mut *c)
    .await?;
    rows.iter().map(|r| Ok(Supplier { organisation_id: col(r, "o")?, cases: col(r, "cases")?, subjects: col(r, "subjects")?, items: col(r, "items")? })).collect()
}

pub async fn insert_partner(c: &mut Conn, request_id: i64, organisation_id: i64, supplied: &str) -> Result<(), StoreError> {
    q("INSERT INTO subject_request_partners (request_id, organisation_id, supplied) VALUES ($1, $2, $3)")
        .bind(request_id)
        .bind(organisation_id)
        .bind(supplied)
        .execute(&mut *c)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRow {
    pub id: i64,
    pub reference: String,
    pub kind: String,
    pub received_by: i64,
    pub received_by_name: String,
    pub received_on: String,
    pub registered_by: String,
    pub registered_at: i64,
    pub identifier_kind: String,
    pub identifier: String,
    pub name: String,
    pub identity_checked: bool,
    pub identity_note: String,
    pub question: String,
    pub deadline: String,
    pub extended_to: String,
    pub extension_reason: String,
    pub closed_at: Option<i64>,
    pub version: i64,
    /// Partners asked, and how many of them recorded a position.
    pub partners: i64,
    pub decided: i64,
}

const REQUEST_SELECT: &str =
    "SELECT r.id, r.reference, r.kind, r.received_by, o.name AS received_by_name, r.received_on, r.registered_by, r.registered_at, r.identifier_kind, r.identifier, r.name, \
     r.identity_checked, r.identity_note, r.question, r.deadline, r.extended_to, r.extension_reason, r.closed_at, r.version, \
     (SELECT COUNT(*) FROM subject_request_partners p WHERE p.request_id = r.id) AS partners, \
     (SELECT COUNT(*) FROM subject_request_partners p WHERE p.request_id = r.id AND p.position <> '') AS decided \
     FROM subject_requests r JOIN organisations o ON o.id = r.received_by \
     WHERE ($1 OR r.received_by = $2 OR r.id IN (SELECT p.request_id FROM subject_request_partners p WHERE p.organisation_id = $2))";

fn request(r: &Row) -> Result<RequestRow, StoreError> {
    Ok(RequestRow {
        id: col(r, "id")?,
        reference: col(r, "reference")?,
        kind: col(r, "kind")?,
        received_by: col(r, "received_by")?,
        received_by_name: col(r, "received_by_name")?,
        received_on: col(r, "received_on")?,
        registered_by: col(r, "registered_by")?,
        registered_at: time(r, "registered_at")?,
        identifier_kind: col(r, "identifier_kind")?,
        identifier: col(r, "identifier")?,
        name: col(r, "name")?,
        identity_checked: col(r, "identity_checked")?,
        identity_note: col(r, "identity_note")?,
        question: col(r, "question")?,
        deadline: col(r, "deadline")?,
        extended_to: col(r, "extended_to")?,
        extension_reason: col(r, "extension_reason")?,
        closed_at: time(r, "closed_at")?,
        version: col(r, "version")?,
        partners: col(r, "partners")?,
        decided: col(r, "decided")?,
    })
}

/// The requests of the scope, open ones first by deadline, then the closed ones newest first.
pub async fn list(c: &mut Conn, scope: &SubjectRequestScope, limit: i64) -> Result<Vec<RequestRow>, StoreError> {
    let rows = q(format!("{REQUEST_SELECT} ORDER BY (CASE WHEN r.closed_at IS NULL THEN 0 ELSE 1 END), r.deadline, r.id DESC LIMIT $3"))
        .bind(scope.all())
        .bind(scope.organisation())
        .bind(limit)
        .fetch_all(&mut *c)
        .await?;
    rows.iter().map(request).collect()
}

pub async fn find(c: &mut Conn, scope: &SubjectRequestScope, id: i64) -> Result<Option<RequestRow>, StoreError> {
    let row = q(format!("{REQUEST_SELECT} AND r.id = $3")).bind(scope.all()).bind(scope.organisation()).bind(id).fetch_optional(&mut *c).await?;
    row.as_ref().map(request).transpose()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerRow {
    pub organisation_id: i64,
    pub organisation_name: String,
    pub supplied: String,
    pub position: String,
    pub ground: String,
    pub note: String,
    pub decided_by: String,
    pub decided_at: Option<i64>,
}

/// The partners of a request the caller found through its scope.
pub async fn partners(c: &mut Conn, request: &RequestRow) -> Result<Vec<PartnerRow>, StoreError> {
    let rows = q("SELECT p.organisation_id, o.name AS organisation_name, p.supplied, p.position, p.ground, p.note, p.decided_by, p.decided_at \
         FROM subject_request_partners p JOIN organisations o ON o.id = p.organisation_id WHERE p.request_id = $1 ORDER BY o.name")
    .bind(request.id)
    .fetch_all(&mut *c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(PartnerRow {
                organisation_id: col(r, "organisation_id")?,
                organisation_name: col(r, "organisation_name")?,
                supplied: col(r, "supplied")?,
                position: col(r, "position")?,
                ground: col(r, "ground")?,
                note: col(r, "note")?,
                decided_by: col(r, "decided_by")?,
                decided_at: time(r, "decided_at")?,
            })
        })
        .collect()
}

pub struct NewPosition<'a> {
    pub position: &'a str,
    pub ground: &'a str,
    pub note: &'a str,
    pub by: &'a str,
}

/// Records `organisation`'s position; false when it is not a partner of the request.
pub async fn set_position(c: &mut Conn, request: &RequestRow, organisation: i64, p: &NewPosition<'_>, at: i64) -> Result<bool, StoreError> {
    let r = q("UPDATE subject_request_partners SET position = $1, ground = $2, note = $3, decided_by = $4, decided_at = $5 WHERE request_id = $6 AND organisation_id = $7")
        .bind(p.position)
        .bind(p.ground)
        .bind(p.note)
        .bind(p.by)
        .bind_at(at)
        .bind(request.id)
        .bind(organisation)
        .execute(&mut *c)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Extends the deadline once; false when stale or already extended.
pub async fn extend(c: &mut Conn, request: &RequestRow, to: &str, reason: &str) -> Result<bool, StoreError> {
    let r = q("UPDATE subject_requests SET extended_to = $1, extension_reason = $2, version = version + 1 WHERE id = $3 AND version = $4 AND extended_to = ''")
        .bind(to)
        .bind(reason)
        .bind(request.id)
        .bind(request.version)
        .execute(&mut *c)
        .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn close(c: &mut Conn, request: &RequestRow, at: i64) -> Result<bool, StoreError> {
    let r = q("UPDATE subject_requests SET closed_at = $1, version = version + 1 WHERE id = $2 AND version = $3 AND closed_at IS NULL")
        .bind_at(at)
        .bind(request.id)
        .bind(request.version)
        .execute(&mut *c)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Open requests on which `organisation` has not recorded its position ("Mijn werk").
pub async fn count_waiting(c: &mut Conn, organisation: i64) -> Result<i64, StoreError> {
    let row = q("SELECT COUNT(*) AS n FROM subject_request_partners p JOIN subject_requests r ON r.id = p.request_id WHERE p.organisation_id = $1 AND p.position = '' AND r.closed_at IS NULL")
        .bind(organisation)
        .fetch_one(&mut *c)
        .await?;
    col(&row, "n")
}

/// A subject record a providing partner holds about the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvidedSubject {
    pub id: i64,
    pub case_reference: String,
    pub display_name: String,
    pub birth_date: String,
    pub address: String,
}

/// How the subject records behind some pseudonyms were processed, from the processing log: per
/// processing activity and organisation, how often and between which moments. Never the person
/// who acted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessedBy {
    pub activity_code: String,
    /// `None` (and an empty name and type) for knooppunt's own processing (the matcher).
    pub organisation_id: Option<i64>,
    pub organisation: String,
    pub partner_type: String,
    pub times: i64,
    pub first_at: i64,
    pub last_at: i64,
}

/// The processing of the subject records behind `pseudonyms` (a providing partner's records
/// about the person), for the access answer: at most 200 groups, the most recent first.
pub async fn processing_of(c: &mut Conn, _grant: &knooppunt_policy::subject_requests::AnswerGrant, pseudonyms: &[&str]) -> Result<Vec<ProcessedBy>, StoreError> {
    if pseudonyms.is_empty() {
        return Ok(Vec::new());
    }
    let rows = q("SELECT p.activity_code, p.organisation_id, COALESCE(o.name, '') AS organisation, COALESCE(o.partner_type, '') AS partner_type, COUNT(*) AS n, \
         MIN(p.at) AS first_at, MAX(p.at) AS last_at FROM processing_log p LEFT JOIN organisations o ON o.id = p.organisation_id WHERE p.subject_pseudonym = ANY($1) \
         GROUP BY p.activity_code, p.organisation_id, o.name, o.partner_type ORDER BY MAX(p.at) DESC, p.activity_code LIMIT 200")
    .bind_texts(pseudonyms)
    .fetch_all(&mut *c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ProcessedBy {
                activity_code: col(r, "activity_code")?,
                organisation_id: col(r, "organisation_id")?,
                organisation: col(r, "organisation")?,
                partner_type: col(r, "partner_type")?,
                times: col(r, "n")?,
                first_at: time(r, "first_at")?,
                last_at: time(r, "last_at")?,
            })
        })
        .collect()
}

/// An information item a providing partner supplied in a case where the person appears.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvidedItem {
    pub case_reference: String,
    pub title: String,
    pub info_date: String,
    pub body: String,
    pub legal_basis: String,
}

const PERSON: &str = "(($2 = 'bsn' AND s.bsn = $3) OR ($2 = 'kvk' AND s.kvk = $3))";

/// What `organisation` supplied about the request's person: its subject records with the number
/// and its items in the cases where the person appears.
pub async fn provided(
    c: &mut Conn,
    _grant: &knooppunt_policy::subject_requests::AnswerGrant,
    request: &RequestRow,
    organisation: i64,
) -> Result<(Vec<ProvidedSubject>, Vec<ProvidedItem>), StoreError> {
    let rows = q(format!(
        "SELECT s.id, k.reference, s.display_name, s.birth_date, TRIM(s.street || ' ' || s.house_number || ' ' || s.postcode || ' ' || s.city) AS address \
         FROM subjects s JOIN cases k ON k.id = s.case_id WHERE s.created_by_org = $1 AND {PERSON} ORDER BY k.reference, s.id"
    ))
    .bind(organisation)
    .bind(&request.identifier_kind)
    .bind(&request.identifier)
    .fetch_all(&mut *c)
    .await?;
    let subjects = rows
        .iter()
        .map(|r| {
            Ok(ProvidedSubject {
                id: col(r, "id")?,
                case_reference: col(r, "reference")?,
                display_name: col(r, "display_name")?,
                birth_date: col(r, "birth_date")?,
                address: col(r, "address")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let rows = q(format!(
        "SELECT k.reference, i.title, i.info_date, i.body, b.name AS legal_basis FROM items i JOIN cases k ON k.id = i.case_id JOIN legal_bases b ON b.id = i.legal_basis_id \
         WHERE i.supplier_organisation_id = $1 AND i.destroyed_at IS NULL AND i.case_id IN (SELECT s.case_id FROM subjects s WHERE {PERSON}) ORDER BY k.reference, i.id"
    ))
    .bind(organisation)
    .bind(&request.identifier_kind)
    .bind(&request.identifier)
    .fetch_all(&mut *c)
    .await?;
    let items = rows
        .iter()
        .map(|r| {
            Ok(ProvidedItem {
                case_reference: col(r, "reference")?,
                title: col(r, "title")?,
                info_date: col(r, "info_date")?,
                body: col(r, "body")?,
                legal_basis: col(r, "legal_basis")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok((subjects, items))
}

/// Open requests whose deadline in force is on or before `day` (`YYYY-MM-DD`) and the
/// organisations that have not yet taken a position on them: (request, organisation).
pub async fn pending_by(c: &mut Conn, day: &str) -> Result<Vec<(i64, i64)>, StoreError> {
    let rows = q("SELECT p.request_id, p.organisation_id FROM subject_request_partners p JOIN subject_requests r ON r.id = p.request_id \
         WHERE r.closed_at IS NULL AND p.position = '' AND (CASE WHEN r.extended_to = '' THEN r.deadline ELSE r.extended_to END) <= $1 ORDER BY p.request_id, p.organisation_id")
    .bind(day)
    .fetch_all(&mut *c)
    .await?;
    rows.iter().map(|r| Ok((col(r, "request_id")?, col(r, "organisation_id")?))).collect()
}
