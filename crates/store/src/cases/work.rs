//! Information requests, advice, interventions and meetings.

use super::{CaseGrant, Sql};
use crate::db::{col, Conn, StoreError};
use crate::query::{q, time};

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
    let r = q("INSERT INTO information_requests (case_id, questions, deadline, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .bind(case_id)
        .bind(questions)
        .bind(deadline)
        .bind(by)
        .bind_at(at)
        .fetch_one(&mut *c)
        .await?;
    let id: i64 = col(&r, "id")?;
    for org in recipients {
        q("INSERT INTO request_recipients (request_id, organisation_id, status) VALUES ($1, $2, 'open')").bind(id).bind(org).execute(&mut *c).await?;
    }
    Ok(id)
}

/// The requests of the case of `g` as its holder may see them: the team every request with
/// every recipient's line; a participant the requests addressed to it, with only its own line.
pub async fn requests(c: &mut Conn, g: &CaseGrant) -> Result<Vec<RequestRow>, StoreError> {
    let mut sq = Sql::new("SELECT ir.id, ir.questions, ir.deadline, ir.created_by, ir.created_at FROM information_requests ir WHERE ir.case_id = ");
    sq.int(g.case_id());
    if let Some(org) = g.participant() {
        sq.push(" AND EXISTS (SELECT 1 FROM request_recipients x WHERE x.request_id = ir.id AND x.organisation_id = ").int(org).push(")");
    }
    sq.push(" ORDER BY ir.created_at DESC, ir.id DESC");
    let rows = sq.query().fetch_all(&mut *c).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: i64 = col(r, "id")?;
        let mut lines = Sql::new(
            "SELECT rr.organisation_id, o.name AS organisation_name, rr.status, rr.answer_item_id, rr.decline_reason, rr.answered_at \
             FROM request_recipients rr JOIN organisations o ON o.id = rr.organisation_id WHERE rr.request_id = ",
        );
        lines.int(id);
        if let Some(org) = g.participant() {
            lines.push(" AND rr.organisation_id = ").int(org);
        }
        lines.push(" ORDER BY o.name");
        let rec = lines.query().fetch_all(&mut *c).await?;
        let recipients = rec
            .iter()
            .map(|x| {
                Ok(RecipientRow {
                    organisation_id: col(x, "organisation_id")?,
                    organisation_name: col(x, "organisation_name")?,
                    status: col(x, "status")?,
                    answer_item_id: col(x, "answer_item_id")?,
                    decline_reason: col(x, "decline_reason")?,
                    answered_at: time(x, "answered_at")?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        out.push(RequestRow {
            id,
            questions: col(r, "questions")?,
            deadline: col(r, "deadline")?,
            created_by: col(r, "created_by")?,
            created_at: time(r, "created_at")?,
            recipients,
        });
    }
    Ok(out)
}

/// Records an answer or a refusal of an open request for one recipient; false when it was not open.
pub async fn settle_request(c: &mut Conn, request_id: i64, org: i64, status: &str, answer_item_id: Option<i64>, decline_reason: &str, at: i64) -> Result<bool, StoreError> {
    let r = q(
        "UPDATE request_recipients SET status = $1, answer_item_id = $2, decline_reason = $3, answered_at = $4 WHERE request_id = $5 AND organisation_id = $6 AND status = 'open'",
    )
    .bind(status)
    .bind(answer_item_id)
    .bind(decline_reason)
    .bind_at(at)
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
    let r = q("INSERT INTO advice_versions (case_id, number, findings, proposals, status, author, created_at) \
         VALUES ($1, (SELECT COALESCE(MAX(number), 0) + 1 FROM advice_versions WHERE case_id = $1), $2, $3, 'concept', $4, $5) RETURNING number")
    .bind(case_id)
    .bind(findings)
    .bind(proposals)
    .bind(author)
    .bind_at(at)
    .fetch_one(&mut *c)
    .await?;
    col(&r, "number")
}

/// The advice versions of the case of `g`: the team sees every version, a participant only
/// approved advice.
pub async fn advice(c: &mut Conn, g: &CaseGrant) -> Result<Vec<AdviceRow>, StoreError> {
    let mut sq = Sql::new("SELECT id, number, findings, proposals, status, author, created_at, approved_by, approved_at FROM advice_versions WHERE case_id = ");
    sq.int(g.case_id());
    if g.participant().is_some() {
        sq.push(" AND status = ").str(knooppunt_domain::case::AdviceStatus::Approved.code());
    }
    sq.push(" ORDER BY number DESC");
    let rows = sq.query().fetch_all(&mut *c).await?;
    rows.iter()
        .map(|r| {
            Ok(AdviceRow {
                id: col(r, "id")?,
                number: col(r, "number")?,
                findings: col(r, "findings")?,
                proposals: col(r, "proposals")?,
                status: col(r, "status")?,
                author: col(r, "author")?,
                created_at: time(r, "created_at")?,
                approved_by: col(r, "approved_by")?,
                approved_at: time(r, "approved_at")?,
            })
        })
        .collect()
}

/// Approves the draft with `number` if it is the latest version and still a draft.
pub async fn approve_advice(c: &mut Conn, case_id: i64, number: i64, by: &str, at: i64) -> Result<bool, StoreError> {
    let r = q("UPDATE advice_versions SET status = 'goedgekeurd', approved_by = $1, approved_at = $2 WHERE case_id = $3 AND number = $4 AND status = 'concept' \
         AND number = (SELECT MAX(number) FROM advice_versions WHERE case_id = $3)")
    .bind(by)
    .bind_at(at)
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
    /// The barrier of a barrier model the intervention raises (its label is read with the
    /// reader's knowledge scope).
    pub barrier_id: Option<i64>,
}

/// A proposed intervention as the app checked it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIntervention<'a> {
    pub type_id: i64,
    pub organisation_id: i64,
    pub legal_power: &'a str,
    pub note: &'a str,
    pub barrier_id: Option<i64>,
}

pub async fn insert_intervention(c: &mut Conn, case_id: i64, v: &NewIntervention<'_>, at: i64) -> Result<i64, StoreError> {
    let r = q("INSERT INTO interventions (case_id, type_id, organisation_id, legal_power, status, note, barrier_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'voorgesteld', $5, $6, $7, $7) RETURNING id")
    .bind(case_id)
    .bind(v.type_id)
    .bind(v.organisation_id)
    .bind(v.legal_power)
    .bind(v.note)
    .bind(v.barrier_id)
    .bind_at(at)
    .fetch_one(&mut *c)
    .await?;
    col(&r, "id")
}

pub async fn interventions(c: &mut Conn, g: &CaseGrant) -> Result<Vec<InterventionRow>, StoreError> {
    let case_id = g.case_id();
    let rows = q("SELECT v.id, t.code AS type_code, t.name AS type_name, t.category, v.organisation_id, o.name AS organisation_name, v.legal_power, v.status, v.note, \
         v.decision, v.collected_cents, v.offset_cents, v.seized_cents, v.decision_date, v.completed_date, v.stop_reason, v.escalated_at, v.escalation_reason, v.version, v.barrier_id \
         FROM interventions v JOIN intervention_types t ON t.id = v.type_id JOIN organisations o ON o.id = v.organisation_id WHERE v.case_id = $1 ORDER BY v.id")
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
                escalated_at: time(r, "escalated_at")?,
                escalation_reason: col(r, "escalation_reason")?,
                version: col(r, "version")?,
                barrier_id: col(r, "barrier_id")?,
            })
        })
        .collect()
}

/// Writes status and outcome if nobody changed the intervention since `version`.
pub async fn update_intervention(c: &mut Conn, id: i64, v: &InterventionRow, version: i64, at: i64) -> Result<bool, StoreError> {
    let r = q("UPDATE interventions SET status = $1, decision = $2, collected_cents = $3, offset_cents = $4, seized_cents = $5, decision_date = $6, completed_date = $7, \
         stop_reason = $8, escalated_at = $9, escalation_reason = $10, updated_at = $11, version = version + 1, \
         finished_at = CASE WHEN finished_at IS NULL AND $1 IN ('afgerond', 'gestopt') THEN $11 ELSE finished_at END WHERE id = $12 AND version = $13")
    .bind(&v.status)
    .bind(&v.decision)
    .bind(v.collected_cents)
    .bind(v.offset_cents)
    .bind(v.seized_cents)
    .bind(&v.decision_date)
    .bind(&v.completed_date)
    .bind(&v.stop_reason)
    .bind_at(v.escalated_at)
    .bind(&v.escalation_reason)
    .bind_at(at)
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
    let r = q("INSERT INTO meetings (case_id, held_on, attendees, agenda, decisions, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
        .bind(case_id)
        .bind(&m.held_on)
        .bind(&m.attendees)
        .bind(&m.agenda)
        .bind(&m.decisions)
        .bind(by)
        .bind_at(at)
        .fetch_one(&mut *c)
        .await?;
    let id: i64 = col(&r, "id")?;
    for v in &m.intervention_ids {
        q("INSERT INTO meeting_interventions (meeting_id, intervention_id) VALUES ($1, $2)").bind(id).bind(v).execute(&mut *c).await?;
    }
    Ok(id)
}

pub async fn meetings(c: &mut Conn, g: &CaseGrant) -> Result<Vec<MeetingRow>, StoreError> {
    let case_id = g.case_id();
    let rows = q("SELECT id, held_on, attendees, agenda, decisions FROM meetings WHERE case_id = $1 ORDER BY held_on DESC, id DESC").bind(case_id).fetch_all(&mut *c).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: i64 = col(r, "id")?;
        let links = q("SELECT intervention_id FROM meeting_interventions WHERE meeting_id = $1 ORDER BY intervention_id").bind(id).fetch_all(&mut *c).await?;
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

/// An intervention escalated to a region's steering group, as the steering group sees it: no
/// case reference, subjects or contents, only what it needs to act.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscalationRow {
    pub region_name: String,
    pub type_name: String,
    pub organisation_name: String,
    pub status: String,
    pub reason: String,
    pub escalated_at: i64,
}

/// The escalations of the regions in `scope`, oldest first (the longest waiting on top).
pub async fn escalations(c: &mut Conn, scope: &knooppunt_policy::notifications::EscalationScope) -> Result<Vec<EscalationRow>, StoreError> {
    let rows = q("SELECT r.name AS region_name, t.name AS type_name, o.name AS organisation_name, v.status, v.escalation_reason, v.escalated_at \
         FROM interventions v JOIN cases k ON k.id = v.case_id JOIN regions r ON r.id = k.region_id JOIN intervention_types t ON t.id = v.type_id \
         JOIN organisations o ON o.id = v.organisation_id WHERE v.escalated_at IS NOT NULL AND k.region_id = ANY($1) ORDER BY v.escalated_at, v.id")
    .bind_ids(scope.regions())
    .fetch_all(&mut *c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(EscalationRow {
                region_name: col(r, "region_name")?,
                type_name: col(r, "type_name")?,
                organisation_name: col(r, "organisation_name")?,
                status: col(r, "status")?,
                reason: col(r, "escalation_reason")?,
                escalated_at: time(r, "escalated_at")?,
            })
        })
        .collect()
}
