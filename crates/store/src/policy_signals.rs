//! Administrative signals, their thread and history, and the reference lists of ministries and
//! phenomena. Lists filter with a [`SignalScope`] from the policy crate.

use crate::db::{col, Conn, StoreError};
use crate::query::{q, time, Row};
use knooppunt_domain::policy_signal::SignalState;
use knooppunt_policy::signals::{SignalGrant, SignalScope};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SignalContent {
    pub title: String,
    pub legal_process: String,
    pub weakness: String,
    pub structural: String,
    pub modus_operandi: String,
    pub source_reference: String,
    pub recommendations: String,
    pub feasibility: String,
    pub confidentiality: String,
    pub contact: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignalRow {
    pub id: i64,
    pub reference: String,
    pub state: String,
    pub content: SignalContent,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub submitted_at: Option<i64>,
    pub decided_at: Option<i64>,
    pub decision_reason: Option<String>,
    pub merged_into_id: Option<i64>,
    pub personal_data_confirmed: bool,
    pub offered_at: Option<i64>,
    pub letter: Option<String>,
    pub response_due_at: Option<i64>,
    pub response_at: Option<i64>,
    pub response: Option<String>,
    pub closed_at: Option<i64>,
    pub version: i64,
}

const SELECT: &str = "SELECT s.id, s.reference, s.state, s.title, s.legal_process, s.weakness, s.structural, s.modus_operandi, s.source_reference, \
    s.recommendations, s.feasibility, s.confidentiality, s.contact, s.organisation_id, o.name AS organisation_name, s.created_at, s.updated_at, \
    s.submitted_at, s.decided_at, s.decision_reason, s.merged_into_id, s.personal_data_confirmed, s.offered_at, s.letter, s.response_due_at, \
    s.response_at, s.response, s.closed_at, s.version FROM policy_signals s JOIN organisations o ON o.id = s.organisation_id";

fn row(r: &Row) -> Result<SignalRow, StoreError> {
    Ok(SignalRow {
        id: col(r, "id")?,
        reference: col(r, "reference")?,
        state: col(r, "state")?,
        content: SignalContent {
            title: col(r, "title")?,
            legal_process: col(r, "legal_process")?,
            weakness: col(r, "weakness")?,
            structural: col(r, "structural")?,
            modus_operandi: col(r, "modus_operandi")?,
            source_reference: col(r, "source_reference")?,
            recommendations: col(r, "recommendations")?,
            feasibility: col(r, "feasibility")?,
            confidentiality: col(r, "confidentiality")?,
            contact: col(r, "contact")?,
        },
        organisation_id: col(r, "organisation_id")?,
        organisation_name: col(r, "organisation_name")?,
        created_at: time(r, "created_at")?,
        updated_at: time(r, "updated_at")?,
        submitted_at: time(r, "submitted_at")?,
        decided_at: time(r, "decided_at")?,
        decision_reason: col(r, "decision_reason")?,
        merged_into_id: col(r, "merged_into_id")?,
        personal_data_confirmed: col(r, "personal_data_confirmed")?,
        offered_at: time(r, "offered_at")?,
        letter: col(r, "letter")?,
        response_due_at: time(r, "response_due_at")?,
        response_at: time(r, "response_at")?,
        response: col(r, "response")?,
        closed_at: time(r, "closed_at")?,
        version: col(r, "version")?,
    })
}

/// Inserts a draft; its id and reference (`{reference_prefix}-{id:04}`).
pub async fn insert(c: &mut Conn, content: &SignalContent, organisation_id: i64, created_by: Option<i64>, reference_prefix: &str, at: i64) -> Result<(i64, String), StoreError> {
    let r = q("INSERT INTO policy_signals (reference, state, title, legal_process, weakness, structural, modus_operandi, source_reference, recommendations, \
         feasibility, confidentiality, contact, organisation_id, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id")
    .bind(format!("{reference_prefix}-tmp-{at}"))
    .bind(SignalState::Draft.code())
    .bind(&content.title)
    .bind(&content.legal_process)
    .bind(&content.weakness)
    .bind(&content.structural)
    .bind(&content.modus_operandi)
    .bind(&content.source_reference)
    .bind(&content.recommendations)
    .bind(&content.feasibility)
    .bind(&content.confidentiality)
    .bind(&content.contact)
    .bind(organisation_id)
    .bind(created_by)
    .bind_at(at)
    .fetch_one(&mut *c)
    .await?;
    let id: i64 = col(&r, "id")?;
    let reference = format!("{reference_prefix}-{id:04}");
    q("UPDATE policy_signals SET reference = $1 WHERE id = $2").bind(&reference).bind(id).execute(&mut *c).await?;
    Ok((id, reference))
}

/// Replaces the content if nobody changed it since `version` (optimistic concurrency); false
/// when someone else saved first.
pub async fn update_content(c: &mut Conn, id: i64, content: &SignalContent, version: i64, at: i64) -> Result<bool, StoreError> {
    let r = q("UPDATE policy_signals SET title = $1, legal_process = $2, weakness = $3, structural = $4, modus_operandi = $5, source_reference = $6, \
         recommendations = $7, feasibility = $8, confidentiality = $9, contact = $10, updated_at = $11, version = version + 1, personal_data_confirmed = FALSE \
         WHERE id = $12 AND version = $13")
    .bind(&content.title)
    .bind(&content.legal_process)
    .bind(&content.weakness)
    .bind(&content.structural)
    .bind(&content.modus_operandi)
    .bind(&content.source_reference)
    .bind(&content.recommendations)
    .bind(&content.feasibility)
    .bind(&content.confidentiality)
    .bind(&content.contact)
    .bind_at(at)
    .bind(id)
    .bind(version)
    .execute(&mut *c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// The fields a workflow step sets besides the state.
#[derive(Debug, Clone, Default)]
pub struct StepFields {
    pub submitted_at: Option<i64>,
    pub decided_at: Option<i64>,
    pub decision_reason: Option<String>,
    pub merged_into_id: Option<i64>,
    pub personal_data_confirmed: Option<bool>,
    pub offered_at: Option<i64>,
    pub letter: Option<String>,
    pub response_due_at: Option<i64>,
    pub response_at: Option<i64>,
    pub response: Option<String>,
    pub closed_at: Option<i64>,
}

/// Moves the signal from `from` to `to` if it is still in `from` (false otherwise), setting
/// the given fields and leaving the others as they are.
pub async fn change_state(c: &mut Conn, id: i64, from: SignalState, to: SignalState, f: &StepFields, at: i64) -> Result<bool, StoreError> {
    let r = q("UPDATE policy_signals SET state = $1, updated_at = $2, version = version + 1, \
         submitted_at = COALESCE($3, submitted_at), decided_at = COALESCE($4, decided_at), decision_reason = COALESCE($5, decision_reason), \
         merged_into_id = COALESCE($6, merged_into_id), personal_data_confirmed = COALESCE($7, personal_data_confirmed), \
         offered_at = COALESCE($8, offered_at), letter = COALESCE($9, letter), response_due_at = COALESCE($10, response_due_at), \
         response_at = COALESCE($11, response_at), response = COALESCE($12, response), closed_at = COALESCE($13, closed_at) \
         WHERE id = $14 AND state = $15")
    .bind(to.code())
    .bind_at(at)
    .bind_at(f.submitted_at)
    .bind_at(f.decided_at)
    .bind(f.decision_reason.clone())
    .bind(f.merged_into_id)
    .bind(f.personal_data_confirmed)
    .bind_at(f.offered_at)
    .bind(f.letter.clone())
    .bind_at(f.response_due_at)
    .bind_at(f.response_at)
    .bind(f.response.clone())
    .bind_at(f.closed_at)
    .bind(id)
    .bind(from.code())
    .execute(&mut *c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// A signal by id if `scope` may see it (the facts for `policy::signals::grant`).
pub async fn find(c: &mut Conn, scope: &SignalScope, id: i64) -> Result<Option<SignalRow>, StoreError> {
    let accepted: Vec<&str> = SignalState::ALL.iter().filter(|s| s.is_accepted()).map(|s| s.code()).collect();
    let r = q(format!("{SELECT} WHERE s.id = $1 AND ($2 OR s.organisation_id = $3 OR ($4 AND s.state = ANY($5)))"))
        .bind(id)
        .bind(scope.all())
        .bind(scope.organisation_id().unwrap_or(-1))
        .bind(scope.accepted())
        .bind_texts(&accepted)
        .fetch_optional(&mut *c)
        .await?;
    r.as_ref().map(row).transpose()
}

#[derive(Debug, Clone, Default)]
pub struct SignalFilter {
    pub state: Option<String>,
}

/// The signals `scope` may see, newest first.
pub async fn list(c: &mut Conn, scope: &SignalScope, f: &SignalFilter) -> Result<Vec<SignalRow>, StoreError> {
    let accepted: Vec<&str> = SignalState::ALL.iter().filter(|s| s.is_accepted()).map(|s| s.code()).collect();
    let sql = format!(
        "{SELECT} WHERE ($1 OR s.organisation_id = $2 OR ($3 AND s.state = ANY($5))) AND (CAST($4 AS TEXT) IS NULL OR s.state = $4) \
         ORDER BY COALESCE(s.submitted_at, s.created_at) DESC, s.id DESC"
    );
    let rows = q(sql).bind(scope.all()).bind(scope.organisation_id().unwrap_or(-1)).bind(scope.accepted()).bind(f.state.clone()).bind_texts(&accepted).fetch_all(&mut *c).await?;
    rows.iter().map(row).collect()
}

/// How many signals `scope` may see in `state`; with `due_before`, only those whose minister's
/// response was expected before that moment (the desk's reminders on "Mijn werk").
pub async fn count(c: &mut Conn, scope: &SignalScope, state: &str, due_before: Option<i64>) -> Result<i64, StoreError> {
    let accepted: Vec<&str> = SignalState::ALL.iter().filter(|s| s.is_accepted()).map(|s| s.code()).collect();
    let r = q("SELECT COUNT(*) AS n FROM policy_signals s WHERE ($1 OR s.organisation_id = $2 OR ($3 AND s.state = ANY($5))) AND s.state = $4 \
               AND (NOT $6 OR s.response_due_at < $7)")
    .bind(scope.all())
    .bind(scope.organisation_id().unwrap_or(-1))
    .bind(scope.accepted())
    .bind(state)
    .bind_texts(&accepted)
    .bind(due_before.is_some())
    .bind_at(due_before.unwrap_or(0))
    .fetch_one(&mut *c)
    .await?;
    col(&r, "n")
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub id: i64,
    pub code: String,
    pub name: String,
}

fn named(r: &Row) -> Result<Named, StoreError> {
    Ok(Named { id: col(r, "id")?, code: col(r, "code")?, name: col(r, "name")? })
}

pub async fn ministries(c: &mut Conn) -> Result<Vec<Named>, StoreError> {
    let rows = q("SELECT id, code, name FROM ministries WHERE active = TRUE ORDER BY name").fetch_all(&mut *c).await?;
    rows.iter().map(named).collect()
}

pub async fn phenomena(c: &mut Conn) -> Result<Vec<Named>, StoreError> {
    let rows = q("SELECT id, code, name FROM phenomena ORDER BY name").fetch_all(&mut *c).await?;
    rows.iter().map(named).collect()
}

pub async fn upsert_ministry(c: &mut Conn, code: &str, name: &str) -> Result<(), StoreError> {
    q("INSERT INTO ministries (code, name, active) VALUES ($1, $2, TRUE) ON CONFLICT (code) DO UPDATE SET name = excluded.name, active = TRUE")
        .bind(code)
        .bind(name)
        .execute(&mut *c)
        .await?;
    Ok(())
}

pub async fn deactivate_ministry(c: &mut Conn, code: &str) -> Result<bool, StoreError> {
    let r = q("UPDATE ministries SET active = FALSE WHERE code = $1").bind(code).execute(&mut *c).await?;
    Ok(r.rows_affected() == 1)
}

/// The ministries of the signal of `g` (`voorgesteld` or `aangeboden`).
pub async fn signal_ministries(c: &mut Conn, g: &SignalGrant, kind: &str) -> Result<Vec<Named>, StoreError> {
    let rows = q("SELECT m.id, m.code, m.name FROM policy_signal_ministries x JOIN ministries m ON m.id = x.ministry_id WHERE x.signal_id = $1 AND x.kind = $2 ORDER BY m.name")
        .bind(g.id())
        .bind(kind)
        .fetch_all(&mut *c)
        .await?;
    rows.iter().map(named).collect()
}

pub async fn set_signal_ministries(c: &mut Conn, id: i64, kind: &str, ministry_ids: &[i64]) -> Result<(), StoreError> {
    q("DELETE FROM policy_signal_ministries WHERE signal_id = $1 AND kind = $2").bind(id).bind(kind).execute(&mut *c).await?;
    for m in ministry_ids {
        q("INSERT INTO policy_signal_ministries (signal_id, ministry_id, kind) VALUES ($1, $2, $3)").bind(id).bind(*m).bind(kind).execute(&mut *c).await?;
    }
    Ok(())
}

pub async fn signal_phenomena(c: &mut Conn, g: &SignalGrant) -> Result<Vec<Named>, StoreError> {
    let rows = q("SELECT p.id, p.code, p.name FROM policy_signal_phenomena x JOIN phenomena p ON p.id = x.phenomenon_id WHERE x.signal_id = $1 ORDER BY p.name")
        .bind(g.id())
        .fetch_all(&mut *c)
        .await?;
    rows.iter().map(named).collect()
}

pub async fn set_signal_phenomena(c: &mut Conn, id: i64, phenomenon_ids: &[i64]) -> Result<(), StoreError> {
    q("DELETE FROM policy_signal_phenomena WHERE signal_id = $1").bind(id).execute(&mut *c).await?;
    for p in phenomenon_ids {
        q("INSERT INTO policy_signal_phenomena (signal_id, phenomenon_id) VALUES ($1, $2)").bind(id).bind(*p).execute(&mut *c).await?;
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub author: String,
    pub from_desk: bool,
    pub body: String,
    pub at: i64,
}

pub async fn add_message(c: &mut Conn, id: i64, m: &Message) -> Result<(), StoreError> {
    q("INSERT INTO policy_signal_messages (signal_id, author, from_desk, body, at) VALUES ($1, $2, $3, $4, $5)")
        .bind(id)
        .bind(&m.author)
        .bind(m.from_desk)
        .bind(&m.body)
        .bind_at(m.at)
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// The thread of the signal of `g` (empty in the network's public view).
pub async fn messages(c: &mut Conn, g: &SignalGrant) -> Result<Vec<Message>, StoreError> {
    if !g.full() {
        return Ok(Vec::new());
    }
    let id = g.id();
    let rows = q("SELECT author, from_desk, body, at FROM policy_signal_messages WHERE signal_id = $1 ORDER BY at, id").bind(id).fetch_all(&mut *c).await?;
    rows.iter().map(|r| Ok(Message { author: col(r, "author")?, from_desk: col(r, "from_desk")?, body: col(r, "body")?, at: time(r, "at")? })).collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub step: String,
    pub from_state: String,
    pub to_state: String,
    pub actor: String,
    pub note: String,
    pub at: i64,
}

pub async fn add_event(c: &mut Conn, id: i64, e: &Event) -> Result<(), StoreError> {
    q("INSERT INTO policy_signal_events (signal_id, step, from_state, to_state, actor, note, at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(id)
        .bind(&e.step)
        .bind(&e.from_state)
        .bind(&e.to_state)
        .bind(&e.actor)
        .bind(&e.note)
        .bind_at(e.at)
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// The history of the signal of `g`; in the network's public view the steps only, without who
/// took them or the desk's notes.
pub async fn events(c: &mut Conn, g: &SignalGrant) -> Result<Vec<Event>, StoreError> {
    let cols = if g.full() { "step, from_state, to_state, actor, note, at" } else { "step, from_state, to_state, '' AS actor, '' AS note, at" };
    let rows = q(format!("SELECT {cols} FROM policy_signal_events WHERE signal_id = $1 ORDER BY at, id")).bind(g.id()).fetch_all(&mut *c).await?;
    rows.iter()
        .map(|r| {
            Ok(Event {
                step: col(r, "step")?,
                from_state: col(r, "from_state")?,
                to_state: col(r, "to_state")?,
                actor: col(r, "actor")?,
                note: col(r, "note")?,
                at: time(r, "at")?,
            })
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentMeta {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: String,
    pub at: i64,
}

fn attachment(r: &Row) -> Result<AttachmentMeta, StoreError> {
    Ok(AttachmentMeta {
        id: col(r, "id")?,
        file_name: col(r, "file_name")?,
        content_type: col(r, "content_type")?,
        size: col(r, "size")?,
        sha256: col(r, "sha256")?,
        uploaded_by: col(r, "uploaded_by")?,
        at: time(r, "at")?,
    })
}

pub async fn add_attachment(c: &mut Conn, signal_id: i64, meta: &AttachmentMeta, data: &[u8]) -> Result<i64, StoreError> {
    let r =
        q("INSERT INTO policy_signal_attachments (signal_id, file_name, content_type, size, sha256, data, uploaded_by, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
            .bind(signal_id)
            .bind(&meta.file_name)
            .bind(&meta.content_type)
            .bind(meta.size)
            .bind(&meta.sha256)
            .bind(data.to_vec())
            .bind(&meta.uploaded_by)
            .bind_at(meta.at)
            .fetch_one(&mut *c)
            .await?;
    col(&r, "id")
}

/// The attachments of the signal of `g` (none in the public view).
pub async fn attachments(c: &mut Conn, g: &SignalGrant) -> Result<Vec<AttachmentMeta>, StoreError> {
    if !g.full() {
        return Ok(Vec::new());
    }
    let signal_id = g.id();
    let rows = q("SELECT id, file_name, content_type, size, sha256, uploaded_by, at FROM policy_signal_attachments WHERE signal_id = $1 ORDER BY id")
        .bind(signal_id)
        .fetch_all(&mut *c)
        .await?;
    rows.iter().map(attachment).collect()
}

/// One attachment of one signal, with its bytes.
pub async fn attachment_data(c: &mut Conn, g: &SignalGrant, id: i64) -> Result<Option<(AttachmentMeta, Vec<u8>)>, StoreError> {
    if !g.full() {
        return Ok(None);
    }
    let signal_id = g.id();
    let r = q("SELECT id, file_name, content_type, size, sha256, uploaded_by, at, data FROM policy_signal_attachments WHERE signal_id = $1 AND id = $2")
        .bind(signal_id)
        .bind(id)
        .fetch_optional(&mut *c)
        .await?;
    match r {
        Some(r) => Ok(Some((attachment(&r)?, col(&r, "data")?))),
        None => Ok(None),
    }
}
