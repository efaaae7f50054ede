//! The structure of barrier models: a knowledge item's ordered steps and, per step, its parts
//! (facilitators, opportunities, signals and barriers). A model is read with the item's
//! [`KnowledgeGrant`]; the barriers a case's intervention may name are read with the reader's
//! [`KnowledgeScope`] through the knowledge items' [`VISIBLE`] rule. Parts are added and removed,
//! never rewritten, so a barrier an intervention names keeps its id.

use crate::db::{col, Conn, StoreError};
use crate::knowledge::VISIBLE;
use crate::query::{q, Row};
use knooppunt_policy::knowledge::{KnowledgeGrant, KnowledgeScope};

/// One step of a model's business process.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StepRow {
    pub id: i64,
    /// 1 for the first step.
    pub position: i64,
    pub title: String,
    pub description: String,
}

/// One part of a step.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PartRow {
    pub id: i64,
    pub step_id: i64,
    /// `facilitator`, `gelegenheid`, `signaal` or `barriere`.
    pub part: String,
    pub description: String,
    /// Facilitator: the actor type and whether it knows.
    pub actor: String,
    pub knowing: Option<bool>,
    /// Signal: the partner types (codes) that can observe it.
    pub observed_by: Vec<String>,
    /// Barrier: the intervention type (code and name), the responsible partner type (code)
    /// and the legal basis.
    pub intervention_type: Option<(String, String)>,
    pub partner_type: Option<String>,
    pub legal_basis: String,
}

/// A new part as the app checked it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewPart {
    pub part: String,
    pub description: String,
    pub actor: String,
    pub knowing: Option<bool>,
    pub observed_by: Vec<String>,
    pub intervention_type_id: Option<i64>,
    pub partner_type: Option<String>,
    pub legal_basis: String,
}

/// A barrier an intervention may name: in a published barrier model the reader sees.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BarrierChoice {
    pub id: i64,
    pub model_id: i64,
    pub model_title: String,
    pub step_position: i64,
    pub step_title: String,
    pub description: String,
    pub intervention_type: String,
}

fn part_row(r: &Row) -> Result<PartRow, StoreError> {
    let observed: String = col(r, "observed_by")?;
    let type_code: Option<String> = col(r, "type_code")?;
    let type_name: Option<String> = col(r, "type_name")?;
    Ok(PartRow {
        id: col(r, "id")?,
        step_id: col(r, "step_id")?,
        part: col(r, "part")?,
        description: col(r, "description")?,
        actor: col(r, "actor")?,
        knowing: col::<Option<i64>>(r, "knowing")?.map(|k| k == 1),
        observed_by: observed.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
        intervention_type: type_code.zip(type_name),
        partner_type: col(r, "partner_type")?,
        legal_basis: col(r, "legal_basis")?,
    })
}

/// The steps of the model of `g` in order, and their parts in the order they were added.
pub async fn model(c: &mut Conn, g: &KnowledgeGrant) -> Result<(Vec<StepRow>, Vec<PartRow>), StoreError> {
    let steps = q("SELECT id, position, title, description FROM barrier_steps WHERE item_id = $1 ORDER BY position").bind(g.id()).fetch_all(&mut *c).await?;
    let steps = steps
        .iter()
        .map(|r| Ok(StepRow { id: col(r, "id")?, position: col(r, "position")?, title: col(r, "title")?, description: col(r, "description")? }))
        .collect::<Result<Vec<_>, StoreError>>()?;
    let parts = q("SELECT p.id, p.step_id, p.part, p.description, p.actor, p.knowing, p.observed_by, t.code AS type_code, t.name AS type_name, p.partner_type, p.legal_basis \
         FROM barrier_parts p JOIN barrier_steps s ON s.id = p.step_id LEFT JOIN intervention_types t ON t.id = p.intervention_type_id \
         WHERE s.item_id = $1 ORDER BY p.id")
    .bind(g.id())
    .fetch_all(&mut *c)
    .await?;
    let parts = parts.iter().map(part_row).collect::<Result<Vec<_>, StoreError>>()?;
    Ok((steps, parts))
}

/// How many interventions (in any case) name each barrier of the model of `g`: (barrier id,
/// count), only barriers named at least once. Counts only; the caller protects them.
pub async fn barrier_counts(c: &mut Conn, g: &KnowledgeGrant) -> Result<Vec<(i64, i64)>, StoreError> {
    let rows = q("SELECT p.id, COUNT(v.id) AS n FROM barrier_parts p JOIN barrier_steps s ON s.id = p.step_id JOIN interventions v ON v.barrier_id = p.id \
         WHERE s.item_id = $1 GROUP BY p.id ORDER BY p.id")
    .bind(g.id())
    .fetch_all(&mut *c)
    .await?;
    rows.iter().map(|r| Ok((col(r, "id")?, col(r, "n")?))).collect()
}

/// The barriers of the published barrier models `scope` sees, by model, step and order.
pub async fn choices(c: &mut Conn, scope: &KnowledgeScope) -> Result<Vec<BarrierChoice>, StoreError> {
    let rows = q(format!(
        "SELECT p.id, k.id AS model_id, k.title AS model_title, s.position, s.title AS step_title, p.description, t.name AS type_name \
         FROM barrier_parts p JOIN barrier_steps s ON s.id = p.step_id JOIN knowledge_items k ON k.id = s.item_id JOIN intervention_types t ON t.id = p.intervention_type_id \
         WHERE p.part = 'barriere' AND k.kind = 'barrieremodel' AND k.state = 'gepubliceerd' AND {VISIBLE} ORDER BY k.title, k.id, s.position, p.id"
    ))
    .bind(scope.editor())
    .bind(scope.network())
    .bind(scope.organisation_id().unwrap_or(-1))
    .fetch_all(&mut *c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(BarrierChoice {
                id: col(r, "id")?,
                model_id: col(r, "model_id")?,
                model_title: col(r, "model_title")?,
                step_position: col(r, "position")?,
                step_title: col(r, "step_title")?,
                description: col(r, "description")?,
                intervention_type: col(r, "type_name")?,
            })
        })
        .collect()
}

/// Appends a step to model `item_id`; its id.
pub async fn insert_step(c: &mut Conn, item_id: i64, title: &str, description: &str) -> Result<i64, StoreError> {
    let r = q("INSERT INTO barrier_steps (item_id, position, title, description) \
         SELECT $1, COALESCE(MAX(position), 0) + 1, $2, $3 FROM barrier_steps WHERE item_id = $1 RETURNING id")
    .bind(item_id)
    .bind(title)
    .bind(description)
    .fetch_one(&mut *c)
    .await?;
    col(&r, "id")
}

/// Changes the title and description of step `step_id` of model `item_id`.
pub async fn update_step(c: &mut Conn, item_id: i64, step_id: i64, title: &str, description: &str) -> Result<bool, StoreError> {
    let r = q("UPDATE barrier_steps SET title = $1, description = $2 WHERE id = $3 AND item_id = $4")
        .bind(title)
        .bind(description)
        .bind(step_id)
        .bind(item_id)
        .execute(&mut *c)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Swaps the positions of two steps of model `item_id` (through a free position, as each
/// position is unique).
pub async fn swap_steps(c: &mut Conn, item_id: i64, a: &StepRow, b: &StepRow) -> Result<(), StoreError> {
    for (id, position) in [(a.id, -1), (b.id, a.position), (a.id, b.position)] {
        q("UPDATE barrier_steps SET position = $1 WHERE id = $2 AND item_id = $3").bind(position).bind(id).bind(item_id).execute(&mut *c).await?;
    }
    Ok(())
}

/// Removes step `step_id` (which has no parts left) of model `item_id`, and closes the gap
/// in the positions after it.
pub async fn delete_step(c: &mut Conn, item_id: i64, step: &StepRow) -> Result<(), StoreError> {
    q("DELETE FROM barrier_steps WHERE id = $1 AND item_id = $2").bind(step.id).bind(item_id).execute(&mut *c).await?;
    let later = q("SELECT id, position FROM barrier_steps WHERE item_id = $1 AND position > $2 ORDER BY position").bind(item_id).bind(step.position).fetch_all(&mut *c).await?;
    for r in &later {
        let (id, position): (i64, i64) = (col(r, "id")?, col(r, "position")?);
        q("UPDATE barrier_steps SET position = $1 WHERE id = $2").bind(position - 1).bind(id).execute(&mut *c).await?;
    }
    Ok(())
}

/// Adds a part to step `step_id`; its id.
pub async fn insert_part(c: &mut Conn, step_id: i64, p: &NewPart, at: i64) -> Result<i64, StoreError> {
    let r = q("INSERT INTO barrier_parts (step_id, part, description, actor, knowing, observed_by, intervention_type_id, partner_type, legal_basis, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id")
    .bind(step_id)
    .bind(&p.part)
    .bind(&p.description)
    .bind(&p.actor)
    .bind(p.knowing.map(i64::from))
    .bind(p.observed_by.join(","))
    .bind(p.intervention_type_id)
    .bind(p.partner_type.clone())
    .bind(&p.legal_basis)
    .bind_at(at)
    .fetch_one(&mut *c)
    .await?;
    col(&r, "id")
}

/// Removes part `part_id` of step `step_id`.
pub async fn delete_part(c: &mut Conn, step_id: i64, part_id: i64) -> Result<(), StoreError> {
    q("DELETE FROM barrier_parts WHERE id = $1 AND step_id = $2").bind(part_id).bind(step_id).execute(&mut *c).await?;
    Ok(())
}
