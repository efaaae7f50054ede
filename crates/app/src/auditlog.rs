//! The auditor's view of the audit log and the chain check.

use crate::{commit, App, AppError, Ctx, DataSubject, Object, Outcome};
use knooppunt_domain::{Bsn, Invalid, KvkNumber};
use knooppunt_policy::{processing_log_grant, Action};
use knooppunt_store::audit::{self, AuditFilter, AuditRow, Checkpoint, CheckpointProblem, VerifyReport};
use knooppunt_store::processing::{self, ProcessingLine};

pub use knooppunt_store::audit::AuditFilter as AuditQuery;

/// The most lines one CSV export of the audit log holds; narrow the filter for more.
pub const AUDIT_EXPORT_LIMIT: i64 = 10_000;

/// A page of the audit log and what its filters offer.
#[derive(Debug, Clone)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    pub actions: Vec<String>,
    pub object_types: Vec<String>,
}

impl App {
    /// A page of audit lines, newest first, with the actions and object kinds to filter on.
    /// Viewing the log is itself audited.
    pub async fn audit_lines(&self, ctx: &Ctx, filter: &AuditFilter) -> Result<AuditPage, AppError> {
        self.authorize(ctx, Action::ViewAudit, &Object::new("auditlog", "*")).await?;
        let mut tx = self.begin_read().await?;
        let mut f = filter.clone();
        f.limit = f.limit.clamp(1, 500);
        let rows = audit::list(&mut tx, &f).await?;
        let actions = audit::actions(&mut tx).await?;
        let object_types = audit::object_types(&mut tx).await?;
        commit(tx).await?;
        self.log_plain_read(ctx, "auditlog-bekeken", &Object::new("auditlog", "*"), "").await?;
        Ok(AuditPage { rows, actions, object_types })
    }

    /// Every audit line the filter selects (at most [`AUDIT_EXPORT_LIMIT`], newest first) for a
    /// CSV export; the export is audited with its filter's size.
    pub async fn export_audit_lines(&self, ctx: &Ctx, filter: &AuditFilter) -> Result<Vec<AuditRow>, AppError> {
        self.authorize(ctx, Action::ViewAudit, &Object::new("auditlog", "*")).await?;
        let mut tx = self.begin_read().await?;
        let f = AuditFilter { limit: AUDIT_EXPORT_LIMIT, ..filter.clone() };
        let rows = audit::list(&mut tx, &f).await?;
        commit(tx).await?;
        self.log_plain_read(ctx, "auditlog-geexporteerd", &Object::new("auditlog", "*"), &format!("{} regels", rows.len())).await?;
        Ok(rows)
    }

    /// Walks the whole chain; the check itself is audited after it ran.
    pub async fn verify_audit_chain(&self, ctx: &Ctx, progress: impl FnMut(i64, i64)) -> Result<VerifyReport, AppError> {
        self.authorize(ctx, Action::ViewAudit, &Object::new("auditlog", "keten")).await?;
        let report = audit::verify(self.db(), &self.config.audit_key, progress).await?;
        let (outcome, detail) = match &report.problem {
            None => (Outcome::Ok, format!("{} rijen in orde", report.rows_checked)),
            Some(p) => (Outcome::Failed, p.to_string()),
        };
        // The check is recorded too. After tampering that took the head's next sequence number
        // the line cannot be written (and every audited action fails, closed); the report is
        // still returned, because it is what the operator needs to see.
        if let Err(e) = self.audit_alone(None, ctx, "auditketen-gecontroleerd", &Object::new("auditlog", "keten"), outcome, &detail).await {
            tracing::error!(error = %e, "could not record the audit chain check");
        }
        Ok(report)
    }
}

impl App {
    /// Seals the audit rows written before the audit key existed (at start and at `migrate`).
    pub async fn seal_audit_rows(&self) -> Result<u64, AppError> {
        Ok(audit::seal_unsealed(self.db(), &self.config.audit_key).await?)
    }

    /// A signed checkpoint of the audit chain's head, to keep outside the database. Audited.
    pub async fn audit_checkpoint(&self, ctx: &Ctx) -> Result<Checkpoint, AppError> {
        self.authorize(ctx, Action::ViewAudit, &Object::new("auditlog", "controlepunt")).await?;
        let cp = audit::checkpoint(self.db(), &self.config.audit_key, self.now()).await?;
        self.audit_alone(None, ctx, "auditketen-controlepunt", &Object::new("auditlog", cp.seq), Outcome::Ok, &cp.hash).await?;
        Ok(cp)
    }

    /// Checks exported checkpoints against the chain; those in archived parts against
    /// `archived` (their hashes as read from the archive files by `verify_log_archives`).
    pub async fn check_audit_checkpoints(
        &self,
        ctx: &Ctx,
        checkpoints: &[Checkpoint],
        archived: &std::collections::HashMap<i64, String>,
    ) -> Result<Option<CheckpointProblem>, AppError> {
        self.authorize(ctx, Action::ViewAudit, &Object::new("auditlog", "controlepunten")).await?;
        Ok(audit::check_checkpoints(self.db(), &self.config.audit_key, checkpoints, archived).await?)
    }
}

impl App {
    /// The newest lines of the processing log (Logboek Dataverwerkingen), for the privacy
    /// officer and the auditor. Subjects appear only as pseudonyms. Viewing is audited.
    pub async fn processing_lines(&self, ctx: &Ctx, trace_id: Option<&str>, limit: i64) -> Result<Vec<ProcessingLine>, AppError> {
        self.authorize(ctx, Action::ViewProcessingLog, &Object::new("verwerkingenlogboek", "*")).await?;
        let mut tx = self.begin().await?;
        let lines = processing::lines(&mut tx, trace_id, None, limit.clamp(1, 500)).await?;
        self.audit(&mut tx, ctx, "verwerkingenlogboek-bekeken", &Object::new("verwerkingenlogboek", "*"), Outcome::Ok, "").await?;
        commit(tx).await?;
        Ok(lines)
    }

    /// The processing lines of case files printed or exported from `from` on (newest 200), and
    /// how many there are: what the privacy officer looks at first. Viewing is audited.
    pub async fn processing_exports(&self, ctx: &Ctx, from: i64) -> Result<(Vec<ProcessingLine>, i64), AppError> {
        self.authorize(ctx, Action::ViewProcessingLog, &Object::new("verwerkingenlogboek", "exporten")).await?;
        let mut tx = self.begin().await?;
        let found = processing::exports_since(&mut tx, from, 200).await?;
        self.audit(&mut tx, ctx, "verwerkingenlogboek-bekeken", &Object::new("verwerkingenlogboek", "exporten"), Outcome::Ok, "").await?;
        commit(tx).await?;
        Ok(found)
    }

    /// The processing of one data subject, found by the identifier a privacy officer or auditor
    /// enters (a data subject's access request, a check of the processing): the identifier is
    /// parsed, the subject records holding it are pseudonymised with the log's own key, and
    /// their lines come back a page at a time. The identifier is kept nowhere: the search is
    /// audited, with one processing line per subject record found, in the same transaction.
    pub async fn processing_of_subject(&self, ctx: &Ctx, q: &SubjectQuery) -> Result<SubjectProcessing, AppError> {
        let object = Object::new("verwerkingenlogboek", "betrokkene");
        let p = self.authorize(ctx, Action::ViewProcessingLog, &object).await?;
        let grant = processing_log_grant(&p).ok_or(AppError::Forbidden("alleen een auditor of privacyfunctionaris ziet het verwerkingenlogboek"))?;
        let mut invalid = Invalid::default();
        let identifier = match q.kind.as_str() {
            "bsn" => invalid.check("nummer", Bsn::parse(&q.number)).map(|b| format!("bsn:{}", b.as_str())),
            "kvk" => invalid.check("nummer", KvkNumber::parse(&q.number)).map(|k| format!("kvk:{}", k.as_str())),
            _ => {
                invalid.push("soort", "Kies BSN of KvK-nummer.");
                None
            }
        };
        if q.page < 0 || q.page > 100_000 {
            invalid.push("pagina", "Kies een pagina vanaf 0.");
        }
        invalid.into_result()?;
        let identifier = identifier.unwrap_or_default();
        let mut tx = self.begin().await?;
        let records = processing::subject_records(&mut tx, &grant, &identifier).await?;
        let subjects: Vec<DataSubject> = records.iter().map(|id| DataSubject { kind: "betrokkene", id: id.to_string() }).collect();
        let pseudonyms: Vec<String> = subjects.iter().map(|s| self.pseudonym(s)).collect();
        let refs: Vec<&str> = pseudonyms.iter().map(String::as_str).collect();
        let (lines, total) = processing::lines_about(&mut tx, &grant, &refs, SUBJECT_PAGE, q.page * SUBJECT_PAGE).await?;
        if subjects.is_empty() {
            self.audit(&mut tx, ctx, "verwerkingenlogboek-doorzocht", &object, Outcome::Ok, "geen betrokkene gevonden").await?;
        } else {
            self.record_personal_read(&mut tx, ctx, "verwerkingen-betrokkene", "verwerkingenlogboek-doorzocht", &object, &subjects).await?;
        }
        commit(tx).await?;
        Ok(SubjectProcessing { records: records.len(), lines, total, page: q.page, page_size: SUBJECT_PAGE })
    }
}

/// Lines per page of a data subject's processing.
pub const SUBJECT_PAGE: i64 = 50;

/// A search of the processing log by data subject: `kind` is `bsn` or `kvk`.
#[derive(Debug, Clone, Default)]
pub struct SubjectQuery {
    pub kind: String,
    pub number: String,
    pub page: i64,
}

/// What the processing log holds about one data subject.
#[derive(Debug, Clone)]
pub struct SubjectProcessing {
    /// How many subject records (in any case or region) hold the identifier.
    pub records: usize,
    pub lines: Vec<ProcessingLine>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}
