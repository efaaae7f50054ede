//! The LIEC Field Lab Hub. The LIEC opens a field lab on a local problem (host region and
//! organisation, partners, researchers) and moves it through the hub's phases; the lab's
//! organisations record per phase their decisions and documents and run experiments — a
//! hypothesis, an intervention type from the catalogue, place or target group, period,
//! evaluation design, indicators with baseline and result, a DPIA flag, lessons and the scaling
//! decision. A lab holds no case data; the network sees every lab. Its final product is offered,
//! in one step, as a knowledge item for the editors to publish. Every change is audited.

use crate::cases::{iso, optional_day, text};
use crate::knowledge::KnowledgeInput;
use crate::{commit, App, AppError, Ctx, Object, Outcome, Tx};
use knooppunt_domain::fieldlab::{EvaluationDesign, RecordKind, ScalingDecision};
use knooppunt_domain::knowledge::KnowledgeKind;
use knooppunt_domain::Invalid;
use knooppunt_policy::fieldlabs::{grant, is_partner_candidate, may_manage, scope, LabGrant};
use knooppunt_policy::Principal;
use knooppunt_store::fieldlabs::{self as store, ExperimentFields, NewLab, NewRecord};
pub use knooppunt_store::fieldlabs::{ExperimentRow, IndicatorRow, LabRow, RecordRow};
pub use knooppunt_store::fieldlabs::{LabFile, PhaseRow};
use knooppunt_store::{cases as cases_store, network};

const OBJECT: &str = "field-lab";

/// A new lab as the LIEC types it.
#[derive(Debug, Clone, Default)]
pub struct LabInput {
    pub title: String,
    pub problem: String,
    pub host_region: String,
    pub host_organisation_id: Option<i64>,
    /// One researcher per line, with the institute.
    pub researchers: String,
}

/// A checked file on its way into the store.
struct Upload<'a> {
    name: &'a str,
    data: &'a [u8],
    content_type: &'a str,
}

/// A decision or document as typed.
#[derive(Debug, Clone, Default)]
pub struct RecordInput {
    /// `besluit` or `document`.
    pub kind: String,
    pub title: String,
    pub body: String,
}

/// An experiment as typed (dates `dd-mm-jjjj` or `jjjj-mm-dd`).
#[derive(Debug, Clone, Default)]
pub struct ExperimentInput {
    pub hypothesis: String,
    pub intervention_type: String,
    pub place: String,
    pub starts_on: String,
    pub ends_on: String,
    pub design: String,
    pub dpia: bool,
    pub lessons: String,
    /// Empty while undecided.
    pub scaling: String,
}

/// The hub: every lab, the phases, and whether the reader runs the hub.
#[derive(Debug, Clone)]
pub struct Hub {
    pub rows: Vec<LabRow>,
    pub phases: Vec<(String, String)>,
    pub may_manage: bool,
}

/// One lab as its reader sees it.
#[derive(Debug, Clone)]
pub struct LabView {
    pub row: LabRow,
    pub partners: Vec<(i64, String, String)>,
    pub records: Vec<RecordRow>,
    pub files: Vec<LabFile>,
    pub experiments: Vec<ExperimentRow>,
    pub indicators: Vec<IndicatorRow>,
    pub phases: Vec<(String, String)>,
    pub may_manage: bool,
    pub may_contribute: bool,
}

/// One experiment on its own page.
#[derive(Debug, Clone)]
pub struct ExperimentView {
    pub lab: LabRow,
    pub x: ExperimentRow,
    pub indicators: Vec<IndicatorRow>,
    pub may_contribute: bool,
}

impl LabView {
    pub fn files_of(&self, record_id: &i64) -> Vec<&LabFile> {
        self.files.iter().filter(|f| f.record_id == *record_id).collect()
    }
    pub fn indicators_of(&self, experiment_id: &i64) -> Vec<&IndicatorRow> {
        self.indicators.iter().filter(|i| i.experiment_id == *experiment_id).collect()
    }
    pub fn records_in(&self, phase: &str) -> Vec<&RecordRow> {
        self.records.iter().filter(|r| r.phase == phase).collect()
    }
    /// The phase after the current one, if any.
    pub fn next_phase(&self) -> Option<&(String, String)> {
        let i = self.phases.iter().position(|(c, _)| *c == self.row.phase)?;
        self.phases.get(i + 1)
    }
}

/// What the LIEC offers as the lab's final product.
#[derive(Debug, Clone, Default)]
pub struct ProductInput {
    pub title: String,
    pub summary: String,
    pub body: String,
    /// `openbaar` or `netwerk` (empty: netwerk).
    pub audience: String,
}

impl App {
    /// Opens lab `id` for `p` in `tx`: `NotFound` (audited) when `p` does not see it.
    async fn open_lab(&self, tx: Tx, ctx: &Ctx, p: &Principal, id: i64) -> Result<(Tx, LabRow, LabGrant), AppError> {
        let mut tx = tx;
        if let Some((row, organisations)) = store::find(&mut tx, &scope(p), id).await? {
            if let Some(g) = grant(p, id, &organisations) {
                return Ok((tx, row, g));
            }
        }
        Err(self.refuse(Some(tx), ctx, &Object::new(OBJECT, id), "field lab niet zichtbaar", AppError::NotFound("field lab")).await)
    }

    /// Opens lab `id` to change it: `Forbidden` (audited) when `p` may not `manage` (the LIEC)
    /// or contribute (the lab's organisations).
    async fn lab_to_change(&self, ctx: &Ctx, p: &Principal, id: i64, manage: bool) -> Result<(Tx, LabRow, LabGrant), AppError> {
        let (tx, row, g) = self.open_lab(self.begin().await?, ctx, p, id).await?;
        if (manage && !g.may_manage()) || !g.may_contribute() {
            let reason = if manage { "alleen het LIEC beheert de Field Lab Hub" } else { "alleen het LIEC en de organisaties van het field lab werken erin" };
            return Err(self.refuse(Some(tx), ctx, &Object::new(OBJECT, id), reason, AppError::Forbidden(reason)).await);
        }
        Ok((tx, row, g))
    }

    /// Every lab, for the network.
    pub async fn field_labs(&self, ctx: &Ctx) -> Result<Hub, AppError> {
        let p = ctx.principal()?.clone();
        let mut tx = self.begin_read().await?;
        let rows = store::list(&mut tx, &scope(&p)).await?;
        let phases = store::phases(&mut tx).await?;
        commit(tx).await?;
        Ok(Hub { rows, phases, may_manage: may_manage(&p).allowed })
    }

    /// One lab with everything in it.
    pub async fn field_lab(&self, ctx: &Ctx, id: i64) -> Result<LabView, AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, row, g) = self.open_lab(self.begin_read().await?, ctx, &p, id).await?;
        let partners = store::partners(&mut tx, &g).await?;
        let records = store::records(&mut tx, &g).await?;
        let files = store::files(&mut tx, &g).await?;
        let experiments = store::experiments(&mut tx, &g, None).await?;
        let indicators = store::indicators(&mut tx, &g, None).await?;
        let phases = store::phases(&mut tx).await?;
        commit(tx).await?;
        Ok(LabView { row, partners, records, files, experiments, indicators, phases, may_manage: g.may_manage(), may_contribute: g.may_contribute() })
    }

    /// One experiment of lab `id` with its indicators.
    pub async fn field_lab_experiment(&self, ctx: &Ctx, id: i64, experiment_id: i64) -> Result<ExperimentView, AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, lab, g) = self.open_lab(self.begin_read().await?, ctx, &p, id).await?;
        let experiment = store::experiments(&mut tx, &g, Some(experiment_id)).await?.into_iter().next();
        let indicators = store::indicators(&mut tx, &g, Some(experiment_id)).await?;
        commit(tx).await?;
        let x = experiment.ok_or(AppError::NotFound("experiment"))?;
        Ok(ExperimentView { lab, x, indicators, may_contribute: g.may_contribute() })
    }

    /// The LIEC opens a lab in the first phase; its id.
    pub async fn open_field_lab(&self, ctx: &Ctx, input: &LabInput) -> Result<i64, AppError> {
        let p = ctx.principal()?.clone();
        let d = may_manage(&p);
        if !d.allowed {
            return Err(self.refuse(None, ctx, &Object::new(OBJECT, "nieuw"), d.reason, AppError::Forbidden(d.reason)).await);
        }
        let mut invalid = Invalid::default();
        let title = text(&mut invalid, "titel", &input.title, Some("Geef het field lab een titel."), 200);
        let problem = text(&mut invalid, "probleem", &input.problem, Some("Beschrijf het probleem dat het field lab aanpakt."), 10_000);
        let researchers = text(&mut invalid, "onderzoekers", &input.researchers, None, 2_000);
        let mut tx = self.begin().await?;
        let region = network::find_region_by_code(&mut tx, input.host_region.trim()).await?.filter(|r| r.active);
        if region.is_none() {
            invalid.push("regio", "Kies de regio waar het field lab plaatsvindt.");
        }
        let organisation = match input.host_organisation_id {
            Some(o) => network::find_organisation(&mut tx, o).await?,
            None => None,
        };
        if organisation.is_none() {
            invalid.push("organisatieId", "Kies de organisatie die het field lab ontvangt.");
        }
        invalid.into_result()?;
        let (Some(region), Some(organisation)) = (region, organisation) else { return Err(AppError::Internal("checked above".into())) };
        let first = store::phases(&mut tx).await?.into_iter().next().map(|(c, _)| c).ok_or_else(|| AppError::Internal("no field lab phases".into()))?;
        let n = NewLab { title, problem, host_region_id: region.id, host_organisation_id: organisation.id, researchers, phase: first };
        let id = store::insert(&mut tx, &n, &p.label, self.now()).await?;
        self.audit(&mut tx, ctx, "field-lab-geopend", &Object::new(OBJECT, id), Outcome::Ok, &n.title).await?;
        commit(tx).await?;
        Ok(id)
    }

    /// The LIEC moves lab `id` at `version` to `phase`.
    pub async fn set_field_lab_phase(&self, ctx: &Ctx, id: i64, version: i64, phase: &str) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, row, g) = self.lab_to_change(ctx, &p, id, true).await?;
        let phases = store::phases(&mut tx).await?;
        let name = |code: &str| phases.iter().find(|(c, _)| c == code).map(|(_, n)| n.clone());
        let Some(to) = name(phase) else {
            return Err(Invalid::one("fase", "Kies een fase van de Field Lab Hub.").into());
        };
        if row.phase == phase {
            return Err(AppError::Conflict("Het field lab is al in deze fase.".into()));
        }
        if !store::set_phase(&mut tx, &g, version, phase, self.now()).await? {
            return Err(AppError::Conflict(crate::cases::STALE.into()));
        }
        // In words: the auditor reads this line.
        self.audit(&mut tx, ctx, "field-lab-fase", &Object::new(OBJECT, id), Outcome::Ok, &format!("{} naar {to}", row.phase_name)).await?;
        commit(tx).await
    }

    /// The LIEC adds a partner organisation to lab `id`.
    pub async fn add_field_lab_partner(&self, ctx: &Ctx, id: i64, organisation_id: i64, role: &str) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, row, g) = self.lab_to_change(ctx, &p, id, true).await?;
        let mut invalid = Invalid::default();
        let role = text(&mut invalid, "rol", role, Some("Zeg welke rol de partner in het field lab heeft."), 200);
        invalid.into_result()?;
        if network::find_organisation(&mut tx, organisation_id).await?.is_none() || !is_partner_candidate(row.host_organisation_id, organisation_id) {
            return Err(Invalid::one("organisatieId", "Kies een andere organisatie dan de ontvangende.").into());
        }
        if !store::add_partner(&mut tx, &g, organisation_id, &role).await? {
            return Err(AppError::Conflict("Deze organisatie is al partner van het field lab.".into()));
        }
        store::touch(&mut tx, &g, self.now()).await?;
        self.audit(&mut tx, ctx, "field-lab-partner", &Object::new(OBJECT, id), Outcome::Ok, &format!("organisatie {organisation_id}")).await?;
        commit(tx).await
    }

    /// The lab's organisations record a decision or a document in its current phase, with a
    /// file if one is given (checked like every attachment); the record's id.
    pub async fn add_field_lab_record(&self, ctx: &Ctx, id: i64, input: &RecordInput, file: Option<(&str, &[u8])>) -> Result<i64, AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, row, g) = self.lab_to_change(ctx, &p, id, false).await?;
        let mut invalid = Invalid::default();
        let kind = invalid.check("soort", RecordKind::parse(&input.kind));
        let title = text(&mut invalid, "titel", &input.title, Some("Geef het besluit of document een titel."), 200);
        let body = text(&mut invalid, "tekst", &input.body, None, 20_000);
        let checked = match file {
            Some((name, data)) => match knooppunt_domain::attachment::check_attachment(name, data) {
                Ok(kind) => Some((name, data, kind)),
                Err(m) => {
                    invalid.push("bestand", m);
                    None
                }
            },
            None => None,
        };
        invalid.into_result()?;
        let Some(kind) = kind else { return Err(AppError::Internal("checked above".into())) };
        let n = NewRecord { phase: row.phase.clone(), kind: kind.code().into(), title, body, by: p.label.clone() };
        let rid = store::add_record(&mut tx, &g, &n, self.now()).await?;
        if let Some((name, data, file_kind)) = checked {
            self.store_file(&mut tx, ctx, &g, rid, Upload { name, data, content_type: file_kind.content_type() }).await?;
        }
        store::touch(&mut tx, &g, self.now()).await?;
        self.audit(&mut tx, ctx, "field-lab-vastgelegd", &Object::new(OBJECT, id), Outcome::Ok, &format!("{} {rid}", kind.code())).await?;
        commit(tx).await?;
        Ok(rid)
    }

    /// Adds a file to decision or document `record_id` of lab `id`; the file's id.
    pub async fn add_field_lab_file(&self, ctx: &Ctx, id: i64, record_id: i64, file_name: &str, data: &[u8]) -> Result<i64, AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, _, g) = self.lab_to_change(ctx, &p, id, false).await?;
        let kind = knooppunt_domain::attachment::check_attachment(file_name, data).map_err(|m| Invalid::one("bestand", m))?;
        let fid = self.store_file(&mut tx, ctx, &g, record_id, Upload { name: file_name, data, content_type: kind.content_type() }).await?;
        store::touch(&mut tx, &g, self.now()).await?;
        commit(tx).await?;
        Ok(fid)
    }

    async fn store_file(&self, tx: &mut Tx, ctx: &Ctx, g: &LabGrant, record_id: i64, file: Upload<'_>) -> Result<i64, AppError> {
        use sha2::Digest;
        let f = LabFile {
            id: 0,
            record_id,
            file_name: file.name.trim().to_string(),
            content_type: file.content_type.to_string(),
            size: i64::try_from(file.data.len()).unwrap_or(i64::MAX),
            sha256: hex::encode(sha2::Sha256::digest(file.data)),
            uploaded_by: ctx.principal()?.label.clone(),
            uploaded_at: self.now(),
        };
        let fid = store::add_file(tx, g, &f, file.data).await?.ok_or(AppError::NotFound("vastlegging"))?;
        self.audit(tx, ctx, "field-lab-bestand", &Object::new(OBJECT, g.id()), Outcome::Ok, &format!("bestand {fid} bij {record_id}, sha256 {}", f.sha256)).await?;
        Ok(fid)
    }

    /// A file of lab `id` with its bytes, for whoever sees the lab; reading it is audited.
    pub async fn field_lab_file(&self, ctx: &Ctx, id: i64, file_id: i64) -> Result<(LabFile, Vec<u8>), AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, _, g) = self.open_lab(self.begin_read().await?, ctx, &p, id).await?;
        let found = store::file_data(&mut tx, &g, file_id).await?;
        commit(tx).await?;
        let found = found.ok_or(AppError::NotFound("bestand"))?;
        self.log_plain_read(ctx, "field-lab-bestand-gelezen", &Object::new(OBJECT, id), &format!("bestand {file_id}")).await?;
        Ok(found)
    }

    async fn experiment_fields(&self, tx: &mut Tx, input: &ExperimentInput) -> Result<ExperimentFields, AppError> {
        let mut invalid = Invalid::default();
        let hypothesis = text(&mut invalid, "hypothese", &input.hypothesis, Some("Formuleer de hypothese die het experiment toetst."), 5_000);
        let place = text(&mut invalid, "plaats", &input.place, Some("Zeg waar of bij welke doelgroep het experiment loopt."), 500);
        let lessons = text(&mut invalid, "lessen", &input.lessons, None, 10_000);
        let types = cases_store::intervention_types(tx).await?;
        let intervention = input.intervention_type.trim();
        if !types.iter().any(|t| t.code == intervention) {
            invalid.push("interventietype", "Kies de interventie uit de catalogus.");
        }
        let starts = optional_day(&mut invalid, "vanaf", &input.starts_on);
        let ends = optional_day(&mut invalid, "tot", &input.ends_on);
        if input.starts_on.trim().is_empty() {
            invalid.push("vanaf", "Vul in wanneer het experiment begint.");
        }
        if input.ends_on.trim().is_empty() {
            invalid.push("tot", "Vul in wanneer het experiment eindigt.");
        }
        if let (Some(a), Some(b)) = (starts, ends) {
            if b < a {
                invalid.push("tot", "Het experiment eindigt na het begin.");
            }
        }
        let design = match input.design.trim() {
            "" => {
                invalid.push("opzet", "Kies de opzet van de evaluatie.");
                None
            }
            raw => invalid.check("opzet", EvaluationDesign::parse(raw)),
        };
        let scaling = match input.scaling.trim() {
            "" => Some(String::new()),
            raw => invalid.check("opschaling", ScalingDecision::parse(raw)).map(|s| s.code().to_string()),
        };
        invalid.into_result()?;
        let (Some(starts), Some(ends), Some(design), Some(scaling)) = (starts, ends, design, scaling) else { return Err(AppError::Internal("checked above".into())) };
        Ok(ExperimentFields {
            hypothesis,
            intervention_type: intervention.to_string(),
            place,
            starts_on: iso(starts),
            ends_on: iso(ends),
            design: design.code().into(),
            dpia: input.dpia,
            lessons,
            scaling,
        })
    }

    /// The lab's organisations start an experiment; its id.
    pub async fn add_experiment(&self, ctx: &Ctx, id: i64, input: &ExperimentInput) -> Result<i64, AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, _, g) = self.lab_to_change(ctx, &p, id, false).await?;
        let f = self.experiment_fields(&mut tx, input).await?;
        let eid = store::add_experiment(&mut tx, &g, &f, self.now()).await?;
        store::touch(&mut tx, &g, self.now()).await?;
        self.audit(&mut tx, ctx, "field-lab-experiment", &Object::new(OBJECT, id), Outcome::Ok, &format!("experiment {eid}")).await?;
        commit(tx).await?;
        Ok(eid)
    }

    /// The lab's organisations change experiment `experiment_id` at `version` (its lessons and
    /// scaling decision, after the evaluation).
    pub async fn update_experiment(&self, ctx: &Ctx, id: i64, experiment_id: i64, version: i64, input: &ExperimentInput) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, _, g) = self.lab_to_change(ctx, &p, id, false).await?;
        let f = self.experiment_fields(&mut tx, input).await?;
        if !store::update_experiment(&mut tx, &g, experiment_id, version, &f, self.now()).await? {
            // No row changed: a stale version, or no such experiment in this lab.
            let exists = !store::experiments(&mut tx, &g, Some(experiment_id)).await?.is_empty();
            return Err(if exists { AppError::Conflict(crate::cases::STALE.into()) } else { AppError::NotFound("experiment") });
        }
        store::touch(&mut tx, &g, self.now()).await?;
        self.audit(&mut tx, ctx, "field-lab-experiment", &Object::new(OBJECT, id), Outcome::Ok, &format!("experiment {experiment_id} gewijzigd")).await?;
        commit(tx).await
    }

    /// An indicator of an experiment, with its baseline and (later) its result.
    pub async fn add_indicator(&self, ctx: &Ctx, id: i64, experiment_id: i64, name: &str, baseline: &str, result: &str) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, _, g) = self.lab_to_change(ctx, &p, id, false).await?;
        let mut invalid = Invalid::default();
        let name = text(&mut invalid, "indicator", name, Some("Noem de indicator, bijvoorbeeld het aantal meldingen per maand."), 200);
        let baseline = text(&mut invalid, "nulmeting", baseline, Some("Vul de nulmeting in."), 200);
        let result = text(&mut invalid, "resultaat", result, None, 200);
        invalid.into_result()?;
        if store::add_indicator(&mut tx, &g, experiment_id, &name, &baseline, &result).await?.is_none() {
            return Err(AppError::NotFound("experiment"));
        }
        store::touch(&mut tx, &g, self.now()).await?;
        self.audit(&mut tx, ctx, "field-lab-indicator", &Object::new(OBJECT, id), Outcome::Ok, &format!("experiment {experiment_id}")).await?;
        commit(tx).await
    }

    /// The result of indicator `indicator_id`.
    pub async fn set_indicator_result(&self, ctx: &Ctx, id: i64, indicator_id: i64, result: &str) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, _, g) = self.lab_to_change(ctx, &p, id, false).await?;
        let mut invalid = Invalid::default();
        let result = text(&mut invalid, "resultaat", result, Some("Vul het resultaat in."), 200);
        invalid.into_result()?;
        if !store::set_indicator_result(&mut tx, &g, indicator_id, &result).await? {
            return Err(AppError::NotFound("indicator"));
        }
        store::touch(&mut tx, &g, self.now()).await?;
        self.audit(&mut tx, ctx, "field-lab-indicator", &Object::new(OBJECT, id), Outcome::Ok, &format!("indicator {indicator_id}: resultaat")).await?;
        commit(tx).await
    }

    /// The LIEC offers the lab's final product as a knowledge item (another editor publishes
    /// it); the item's id.
    pub async fn offer_field_lab_product(&self, ctx: &Ctx, id: i64, input: &ProductInput) -> Result<i64, AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, row, g) = self.lab_to_change(ctx, &p, id, true).await?;
        if let Some(item) = row.product_item_id {
            return Err(AppError::Conflict(format!("Het eindproduct van dit field lab is al aangeboden als kennisitem {item}.")));
        }
        let item = KnowledgeInput {
            kind: KnowledgeKind::FieldLabProduct.code().into(),
            title: input.title.clone(),
            summary: input.summary.clone(),
            body: input.body.clone(),
            audience: if input.audience.trim().is_empty() { "netwerk".into() } else { input.audience.trim().into() },
            ..KnowledgeInput::default()
        };
        let item_id = self.offer_knowledge_item(&mut tx, ctx, &p, &item, &format!("eindproduct van field lab {id}")).await?;
        if !store::set_product(&mut tx, &g, item_id, self.now()).await? {
            return Err(AppError::Conflict("Het eindproduct van dit field lab is al aangeboden.".into()));
        }
        self.audit(&mut tx, ctx, "field-lab-eindproduct", &Object::new(OBJECT, id), Outcome::Ok, &format!("kennisitem {item_id}")).await?;
        commit(tx).await?;
        Ok(item_id)
    }
}
