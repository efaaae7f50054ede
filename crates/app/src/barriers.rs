//! Barrier models (barrièremodellen): a knowledge item of kind `barrieremodel` carries a
//! phenomenon's business process as ordered steps, and per step its facilitators (an actor
//! type, knowing or not), opportunities, signals (with the partner types that can observe them)
//! and barriers (each raised by an intervention type of the catalogue, under a responsible
//! partner type and a legal basis). The model is read with the item (same audience, same grant);
//! its structure is written by the knowledge editors, each change a new version of the item
//! (stale versions refused) and audited. Interventions in cases name the barrier they raise;
//! per barrier the number of interventions is shown, protected against small counts.

use crate::{commit, App, AppError, Ctx, Object, Outcome};
use knooppunt_domain::knowledge::{BarrierPart, KnowledgeKind, KnowledgeState};
use knooppunt_domain::{Invalid, PartnerType};
use knooppunt_figures::disclosure::{self, Shown, Table};
use knooppunt_policy::knowledge as policy;
use knooppunt_store::barriers::{self as store, BarrierChoice, NewPart, PartRow, StepRow};
use knooppunt_store::cases as case_store;
use knooppunt_store::knowledge as items;
use knooppunt_store::Tx;

/// A step with its parts, grouped as the matrix shows them.
#[derive(Debug, Clone)]
pub struct ModelStep {
    pub step: StepRow,
    /// Per part in [`BarrierPart::ALL`] order, the parts of that kind.
    pub parts: Vec<(BarrierPart, Vec<ModelPart>)>,
}

/// A part with, for a barrier, the protected number of interventions that name it.
#[derive(Debug, Clone)]
pub struct ModelPart {
    pub row: PartRow,
    pub interventions: Option<Shown>,
    /// A barrier of a model that has been published is not removed: interventions may name
    /// it (and whether one does is itself a count nobody outside the cases may learn).
    pub removable: bool,
}

/// A barrier model as its reader sees it.
#[derive(Debug, Clone)]
pub struct BarrierModel {
    pub item: crate::knowledge::KnowledgeItem,
    pub steps: Vec<ModelStep>,
}

/// What an editor writes for a step.
#[derive(Debug, Clone, Default)]
pub struct StepInput {
    pub title: String,
    pub description: String,
    /// The item version the change is based on.
    pub version: i64,
}

/// What an editor writes for a part; codes as the UI and API use them.
#[derive(Debug, Clone, Default)]
pub struct PartInput {
    pub part: String,
    pub description: String,
    pub actor: String,
    /// `bewust` or `onbewust` (facilitators).
    pub knowing: String,
    pub observed_by: Vec<String>,
    pub intervention_type: String,
    pub partner_type: String,
    pub legal_basis: String,
    pub version: i64,
}

/// A change to a model's structure.
#[derive(Debug, Clone)]
pub enum ModelChange {
    AddStep(StepInput),
    EditStep(i64, StepInput),
    /// Moves a step one place earlier (`true`) or later.
    MoveStep {
        step: i64,
        earlier: bool,
        version: i64,
    },
    RemoveStep {
        step: i64,
        version: i64,
    },
    AddPart(i64, PartInput),
    RemovePart {
        part: i64,
        version: i64,
    },
}

impl ModelChange {
    fn version(&self) -> i64 {
        match self {
            Self::AddStep(s) | Self::EditStep(_, s) => s.version,
            Self::AddPart(_, p) => p.version,
            Self::MoveStep { version, .. } | Self::RemoveStep { version, .. } | Self::RemovePart { version, .. } => *version,
        }
    }
}

fn knowing(raw: &str) -> Result<bool, String> {
    match raw.trim() {
        "bewust" => Ok(true),
        "onbewust" => Ok(false),
        _ => Err("Kies of de facilitator bewust of onbewust meewerkt.".into()),
    }
}

impl App {
    /// The barrier model of item `id`, for whoever may read the item (`NotFound` otherwise,
    /// and for an item that is not a barrier model).
    pub async fn barrier_model(&self, ctx: &Ctx, id: i64) -> Result<BarrierModel, AppError> {
        let mut tx = self.begin_read().await?;
        let found = self.model_in(&mut tx, ctx, id).await;
        commit(tx).await?;
        let (item, steps, parts, counts) = found?;
        // Each barrier's count is published on its own (no totals over barriers or models are
        // published anywhere), so only a small count itself is hidden.
        let barriers: Vec<i64> = parts.iter().filter(|x| x.part == BarrierPart::Barrier.code()).map(|x| x.id).collect();
        let count = |id: i64| counts.iter().find(|c| c.0 == id).map(|c| u64::try_from(c.1).unwrap_or(0)).unwrap_or(0);
        let policy = self.figures_policy();
        let shown: Vec<Shown> = barriers
            .iter()
            .map(|b| disclosure::protect(&Table { cells: vec![vec![count(*b)]] }, &policy).cells.first().and_then(|r| r.first()).copied().unwrap_or(Shown::Value(0)))
            .collect();
        let editable = item.may_edit;
        let ever_published = item.row.published_at.is_some();
        let steps = steps
            .into_iter()
            .map(|step| {
                let parts = BarrierPart::ALL
                    .iter()
                    .map(|kind| {
                        let of_kind = parts
                            .iter()
                            .filter(|x| x.step_id == step.id && x.part == kind.code())
                            .map(|x| {
                                let at = barriers.iter().position(|b| *b == x.id);
                                ModelPart {
                                    interventions: at.map(|i| shown.get(i).copied().unwrap_or(Shown::Value(0))),
                                    removable: editable && (at.is_none() || !ever_published),
                                    row: x.clone(),
                                }
                            })
                            .collect();
                        (*kind, of_kind)
                    })
                    .collect();
                ModelStep { step, parts }
            })
            .collect();
        Ok(BarrierModel { item, steps })
    }

    /// The item, its structure and its barriers' counts, read in `tx`.
    async fn model_in(&self, tx: &mut Tx, ctx: &Ctx, id: i64) -> Result<(crate::knowledge::KnowledgeItem, Vec<StepRow>, Vec<PartRow>, Vec<(i64, i64)>), AppError> {
        let (item, g) = self.item_in(tx, ctx, id).await.map_err(|e| match e {
            AppError::NotFound(_) => AppError::NotFound("barrièremodel"),
            e => e,
        })?;
        if item.row.kind != KnowledgeKind::BarrierModel.code() {
            return Err(AppError::NotFound("barrièremodel"));
        }
        let (steps, parts) = store::model(tx, &g).await?;
        let counts = store::barrier_counts(tx, &g).await?;
        Ok((item, steps, parts, counts))
    }

    /// The barriers a case's intervention may name: those of the published barrier models the
    /// user reads.
    pub async fn barrier_choices(&self, ctx: &Ctx) -> Result<Vec<BarrierChoice>, AppError> {
        let scope = policy::knowledge_scope(ctx.principal.as_ref());
        let mut tx = self.begin_read().await?;
        let all = store::choices(&mut tx, &scope).await?;
        commit(tx).await?;
        Ok(all)
    }

    /// Changes the structure of barrier model `id` (knowledge editors; not archived), as a new
    /// version of the item; the new version.
    pub async fn change_barrier_model(&self, ctx: &Ctx, id: i64, change: &ModelChange) -> Result<i64, AppError> {
        let object = Object::new("kennisitem", id);
        let p = ctx.principal()?.clone();
        let d = policy::may_edit(&p);
        if !d.allowed {
            return Err(self.refuse(None, ctx, &object, d.reason, AppError::Forbidden(d.reason)).await);
        }
        let scope = policy::knowledge_scope(Some(&p));
        let mut tx = self.begin().await?;
        let row = items::find(&mut tx, &scope, id).await?.ok_or(AppError::NotFound("kennisitem"))?;
        let g = policy::grant(Some(&p), id, &crate::knowledge::facts(&row)).ok_or(AppError::NotFound("kennisitem"))?;
        if row.kind != KnowledgeKind::BarrierModel.code() {
            return Err(AppError::NotFound("barrièremodel"));
        }
        if row.state == KnowledgeState::Archived.code() {
            return Err(AppError::Conflict("Een gearchiveerd barrièremodel wordt niet meer gewijzigd; neem het eerst weer in bewerking.".into()));
        }
        // The new version first: on PostgreSQL the row lock makes a second editor's change wait
        // and then find the version moved on (409), instead of colliding on a step position.
        let now = self.now();
        if row.version != change.version() || !items::bump(&mut tx, id, row.version, &p.label, now).await? {
            return Err(AppError::Conflict(crate::cases::STALE.into()));
        }
        let (steps, parts) = store::model(&mut tx, &g).await?;
        let step_of = |sid: i64| steps.iter().find(|s| s.id == sid).cloned().ok_or(AppError::NotFound("stap"));
        let note = match change {
            ModelChange::AddStep(s) => {
                let (title, description) = check_step(s)?;
                store::insert_step(&mut tx, id, &title, &description).await?;
                format!("stap {} '{title}' toegevoegd", steps.len() + 1)
            }
            ModelChange::EditStep(sid, s) => {
                let step = step_of(*sid)?;
                let (title, description) = check_step(s)?;
                store::update_step(&mut tx, id, step.id, &title, &description).await?;
                format!("stap {} gewijzigd", step.position)
            }
            ModelChange::MoveStep { step, earlier, .. } => {
                let a = step_of(*step)?;
                let to = if *earlier { a.position - 1 } else { a.position + 1 };
                let Some(b) = steps.iter().find(|s| s.position == to) else {
                    return Err(AppError::Conflict(if *earlier { "Dit is al de eerste stap." } else { "Dit is al de laatste stap." }.into()));
                };
                store::swap_steps(&mut tx, id, &a, b).await?;
                format!("stap '{}' verplaatst naar plaats {to}", a.title)
            }
            ModelChange::RemoveStep { step, .. } => {
                let s = step_of(*step)?;
                if parts.iter().any(|x| x.step_id == s.id) {
                    return Err(AppError::Conflict("Deze stap heeft nog onderdelen; verwijder die eerst.".into()));
                }
                store::delete_step(&mut tx, id, &s).await?;
                format!("stap {} '{}' verwijderd", s.position, s.title)
            }
            ModelChange::AddPart(sid, input) => {
                let s = step_of(*sid)?;
                let new = self.check_part(&mut tx, input).await?;
                let kind = BarrierPart::parse(&new.part).map(|k| k.label()).unwrap_or("onderdeel");
                store::insert_part(&mut tx, s.id, &new, self.now()).await?;
                format!("{} toegevoegd aan stap {}", kind.to_lowercase(), s.position)
            }
            ModelChange::RemovePart { part, .. } => {
                let x = parts.iter().find(|x| x.id == *part).ok_or(AppError::NotFound("onderdeel"))?;
                if x.part == BarrierPart::Barrier.code() && row.published_at.is_some() {
                    return Err(AppError::Conflict(
                        "Dit barrièremodel is gepubliceerd geweest; een barrière blijft staan, omdat interventies in casussen haar kunnen noemen.".into(),
                    ));
                }
                store::delete_part(&mut tx, x.step_id, x.id).await?;
                let kind = BarrierPart::parse(&x.part).map(|k| k.label()).unwrap_or("onderdeel");
                format!("{} verwijderd", kind.to_lowercase())
            }
        };
        let version = row.version + 1;
        items::keep_version(&mut tx, id, version, &note, &p.label, now).await?;
        self.index_items(&mut tx, &[id]).await?;
        // The audit line names what kind of change, never the model's text (the audit log is
        // read by auditors who need not read the model).
        let what = match change {
            ModelChange::AddStep(_) => "stap toegevoegd",
            ModelChange::EditStep(..) => "stap gewijzigd",
            ModelChange::MoveStep { .. } => "stap verplaatst",
            ModelChange::RemoveStep { .. } => "stap verwijderd",
            ModelChange::AddPart(..) => "onderdeel toegevoegd",
            ModelChange::RemovePart { .. } => "onderdeel verwijderd",
        };
        self.audit(&mut tx, ctx, "barrieremodel-gewijzigd", &object, Outcome::Ok, &format!("versie {version}: {what}")).await?;
        commit(tx).await?;
        Ok(version)
    }

    /// Checks a part; what to store.
    async fn check_part(&self, tx: &mut Tx, input: &PartInput) -> Result<NewPart, AppError> {
        let mut invalid = Invalid::default();
        let part = invalid.check("onderdeel", BarrierPart::parse(&input.part));
        let description = crate::cases::text(&mut invalid, "omschrijving", &input.description, Some("Beschrijf het onderdeel."), 1000);
        let mut new = NewPart { part: part.map(|p| p.code().to_string()).unwrap_or_default(), description, ..NewPart::default() };
        match part {
            Some(BarrierPart::Facilitator) => {
                new.actor = crate::cases::text(&mut invalid, "actor", &input.actor, Some("Noem het soort actor, zoals 'vastgoedmakelaar' of 'uitzendbureau'."), 120);
                new.knowing = invalid.check("bewust", knowing(&input.knowing));
            }
            Some(BarrierPart::Signal) => {
                let given: Vec<&str> = input.observed_by.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
                for raw in given.iter().copied() {
                    if let Some(t) = invalid.check("waargenomenDoor", PartnerType::parse(raw)) {
                        if !new.observed_by.iter().any(|x| x == t.code()) {
                            new.observed_by.push(t.code().into());
                        }
                    }
                }
                if given.is_empty() {
                    invalid.push("waargenomenDoor", "Kies minstens één partnertype dat dit signaal kan zien.");
                }
            }
            Some(BarrierPart::Barrier) => {
                let types = case_store::intervention_types(tx).await?;
                match types.iter().find(|t| t.code == input.intervention_type.trim()) {
                    Some(t) => new.intervention_type_id = Some(t.id),
                    None => invalid.push("interventietype", "Kies het interventietype uit de catalogus dat deze barrière opwerpt."),
                }
                new.partner_type = invalid.check("verantwoordelijke", PartnerType::parse(&input.partner_type)).map(|t| t.code().to_string());
                new.legal_basis = crate::cases::text(&mut invalid, "grondslag", &input.legal_basis, Some("Noem de wettelijke grondslag, zoals 'Opiumwet, art. 13b'."), 500);
            }
            Some(BarrierPart::Opportunity) | None => {}
        }
        invalid.into_result()?;
        Ok(new)
    }
}

fn check_step(s: &StepInput) -> Result<(String, String), AppError> {
    let mut invalid = Invalid::default();
    let title = crate::cases::text(&mut invalid, "titel", &s.title, Some("Geef de stap een naam, zoals 'Werving'."), 120);
    let description = crate::cases::text(&mut invalid, "omschrijving", &s.description, None, 2000);
    invalid.into_result()?;
    Ok((title, description))
}
