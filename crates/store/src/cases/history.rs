//! Case history: one line per event, each recording what it is about, so that the history a
//! reader gets is a view (`policy::cases::may_see_event` in SQL), never a dump.

use super::{CaseGrant, EventAbout, Sql};
use crate::db::{col, Conn, StoreError};
use crate::query::{q, time};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseEvent {
    pub id: i64,
    pub at: i64,
    pub actor: String,
    pub kind: String,
    pub from_phase: String,
    pub to_phase: String,
    pub note: String,
    pub about: EventAbout,
}

impl CaseEvent {
    /// A new event (its id is given by the database).
    pub fn new(at: i64, actor: &str, kind: &str, about: EventAbout, note: impl Into<String>) -> Self {
        Self { id: 0, at, actor: actor.to_string(), kind: kind.to_string(), from_phase: String::new(), to_phase: String::new(), note: note.into(), about }
    }

    /// A phase change (case-level).
    pub fn phase(at: i64, actor: &str, kind: &str, from: &str, to: &str, note: impl Into<String>) -> Self {
        Self { from_phase: from.to_string(), to_phase: to.to_string(), ..Self::new(at, actor, kind, EventAbout::Case, note) }
    }
}

pub async fn add_event(c: &mut Conn, case_id: i64, e: &CaseEvent) -> Result<(), StoreError> {
    let (about, about_id, org) = e.about.parts();
    q("INSERT INTO case_events (case_id, at, actor, kind, from_phase, to_phase, note, about, about_id, organisation_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
        .bind(case_id)
        .bind_at(e.at)
        .bind(&e.actor)
        .bind(&e.kind)
        .bind(&e.from_phase)
        .bind(&e.to_phase)
        .bind(&e.note)
        .bind(about)
        .bind(about_id)
        .bind(org)
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// The history of the case of `g` as its holder may see it, oldest first.
pub async fn events(c: &mut Conn, g: &CaseGrant) -> Result<Vec<CaseEvent>, StoreError> {
    let mut sq = Sql::new("SELECT e.id, e.at, e.actor, e.kind, e.from_phase, e.to_phase, e.note, e.about, e.about_id, e.organisation_id FROM case_events e WHERE e.case_id = ");
    sq.int(g.case_id());
    if let Some(org) = g.participant() {
        sq.push(" AND (e.about = 'casus' OR (e.about = 'organisatie' AND e.organisation_id = ").int(org);
        sq.push(") OR (e.about = 'bijdrage' AND (e.organisation_id = ").int(org);
        sq.push(" OR EXISTS (SELECT 1 FROM items i WHERE i.id = e.about_id AND i.supplier_organisation_id = ").int(org);
        sq.push("))) OR (e.about = 'uitvraag' AND EXISTS (SELECT 1 FROM request_recipients rr WHERE rr.request_id = e.about_id AND rr.organisation_id = ").int(org);
        sq.push(")))");
    }
    sq.push(" ORDER BY e.at, e.id");
    let rows = sq.query().fetch_all(&mut *c).await?;
    rows.iter()
        .map(|r| {
            let about: String = col(r, "about")?;
            Ok(CaseEvent {
                id: col(r, "id")?,
                at: time(r, "at")?,
                actor: col(r, "actor")?,
                kind: col(r, "kind")?,
                from_phase: col(r, "from_phase")?,
                to_phase: col(r, "to_phase")?,
                note: col(r, "note")?,
                about: EventAbout::from_parts(&about, col(r, "about_id")?, col(r, "organisation_id")?),
            })
        })
        .collect()
}
