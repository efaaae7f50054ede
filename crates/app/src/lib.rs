//! Use cases of knooppunt.
//!
//! Every public call takes the acting context (`Ctx`: principal, source address, trace), asks
//! the policy crate and writes its audit line. A use case that writes runs in one transaction
//! with its audit line (and, where it returns personal data, its processing-log lines:
//! [`App::record_personal_read`]). A read-only use case reads in a read-only transaction and
//! returns only after its lines are committed by the group-committed read log (`readlog`). This crate knows nothing about HTTP; the clock and randomness are parameters.

pub mod approaches;
pub mod auditlog;
pub mod auth;
pub mod barriers;
pub mod cases;
pub mod error;
pub mod events;
pub mod fieldlab_phases;
pub mod fieldlabs;
pub mod figures;
pub mod knowledge;
pub mod linkage;
pub mod logarchive;
pub mod magazine;
pub mod network;
pub mod notifications;
mod readlog;
pub mod reference;
pub mod register;
pub mod report;
pub mod retention;
pub mod screening;
pub mod search;
pub mod sheets;
pub mod signals;
pub mod steering;
pub mod subject_requests;
pub mod support;
pub mod tables;
pub mod taxonomy;
pub mod tokens;
pub mod treffers;
pub mod users;
pub mod work;

use hmac::{Hmac, Mac};
use knooppunt_policy::{decide, Action, Principal};
use knooppunt_store::audit::AuditEntry;
use knooppunt_store::processing::ProcessingLine;
use knooppunt_store::{Db, Tx};
use rand::{CryptoRng, RngCore};
use sha2::Sha256;
use std::sync::{Arc, Mutex};

pub use error::AppError;
pub use knooppunt_store::Backend;

/// Milliseconds since the Unix epoch, UTC. The real clock lives at the edge (the binary).
pub trait Clock: Send + Sync {
    fn now_ms(&self) -> i64;
}

/// A clock that can be set back by some time: the demo writes its history through the real use
/// cases, case by case as it happened over two years, then sets it to zero and serves. It only
/// shifts the clock it wraps; it never reads the real time itself.
pub struct ShiftedClock {
    inner: Arc<dyn Clock>,
    back_ms: std::sync::atomic::AtomicI64,
}

impl ShiftedClock {
    pub fn new(inner: Arc<dyn Clock>) -> Self {
        Self { inner, back_ms: std::sync::atomic::AtomicI64::new(0) }
    }

    /// From now on, the time is `ms` milliseconds before the wrapped clock's (0: the same).
    pub fn set_back(&self, ms: i64) {
        self.back_ms.store(ms.max(0), std::sync::atomic::Ordering::SeqCst);
    }

    pub fn back(&self) -> i64 {
        self.back_ms.load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl Clock for ShiftedClock {
    fn now_ms(&self) -> i64 {
        self.inner.now_ms() - self.back()
    }
}

/// A cryptographically secure random source (session ids, tokens, salts, TOTP secrets).
pub trait SecureRandom: RngCore + CryptoRng + Send {}
impl<T: RngCore + CryptoRng + Send> SecureRandom for T {}

/// How expensive password hashing is. `Standard` is OWASP's argon2id recommendation; `Fast`
/// exists for test suites that create hundreds of accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordCost {
    Standard,
    Fast,
}

#[derive(Clone)]
pub struct AppConfig {
    /// A demo instance: every page says so, and demo accounts may skip the second factor.
    pub demo_mode: bool,
    /// Sessions end after this much inactivity.
    pub session_idle_ms: i64,
    /// Sessions end this long after sign-in, whatever the activity.
    pub session_absolute_ms: i64,
    /// Key for pseudonymising data-subject ids in the processing log; never stored in the db.
    pub pseudonym_key: Vec<u8>,
    /// Key that seals every audit row and checkpoint; never stored in the db.
    pub audit_key: knooppunt_store::audit::AuditKey,
    pub password_cost: PasswordCost,
    /// Failed attempts (password or second factor) of one account from one source address that
    /// cost nothing; after them each next attempt from that pair waits twice as long (1 s, 2 s,
    /// 4 s, … up to the window). The owner at another address is not slowed down.
    pub free_failures_per_pair: i64,
    /// The account's ceiling: failed attempts from all addresses together within the window
    /// before every attempt for it waits for the window.
    pub max_failures_per_account: i64,
    /// The same ceiling for second-factor codes, lower: a six-digit code is easier to guess than
    /// a password.
    pub max_second_factor_failures_per_account: i64,
    /// Failed attempts from one source address (over all accounts) within the window before the
    /// address waits for the window.
    pub max_failures_per_source: i64,
    pub throttle_window_ms: i64,
    /// Days a minister has to respond to an offered administrative signal.
    pub signal_response_days: i64,
    /// The secret of the encoded (privacy-preserving) cross-region index; `None` runs it on
    /// clear blocking keys. Read from a file by the binary; never stored or logged.
    pub encoding_secret: Option<knooppunt_matching::clk::Secret>,
    /// Months of the audit and processing logs kept in the database before `knooppunt logs
    /// archive` moves them to archive files.
    pub log_keep_months: u32,
    /// Disclosure control of every published figure: counts from 1 to `figures_k - 1` are
    /// hidden (with whatever would give them away).
    pub figures_k: u64,
    /// Shown counts rounded to a multiple of this (`None`: as they are).
    pub figures_round_to: Option<u64>,
}

impl std::fmt::Debug for AppConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppConfig").field("demo_mode", &self.demo_mode).finish_non_exhaustive()
    }
}

impl AppConfig {
    pub fn new(pseudonym_key: Vec<u8>, audit_key: Vec<u8>) -> Self {
        Self {
            audit_key: knooppunt_store::audit::AuditKey::new(audit_key),
            demo_mode: false,
            session_idle_ms: 30 * 60 * 1000,
            session_absolute_ms: 12 * 60 * 60 * 1000,
            pseudonym_key,
            password_cost: PasswordCost::Standard,
            free_failures_per_pair: 5,
            max_failures_per_account: 50,
            max_second_factor_failures_per_account: 20,
            max_failures_per_source: 20,
            throttle_window_ms: 15 * 60 * 1000,
            signal_response_days: crate::signals::DEFAULT_RESPONSE_DAYS,
            encoding_secret: None,
            log_keep_months: 13,
            figures_k: 5,
            figures_round_to: None,
        }
    }
}

/// A W3C trace context: accepted from `traceparent` or started here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trace {
    pub trace_id: String,
    pub span_id: String,
    pub parent_span_id: Option<String>,
}

/// Who acts, from where, in which trace.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub principal: Option<Principal>,
    pub source: String,
    pub trace: Trace,
}

impl Ctx {
    pub fn principal(&self) -> Result<&Principal, AppError> {
        self.principal.as_ref().ok_or(AppError::Unauthenticated)
    }
}

/// The result recorded in an audit line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    Denied,
    Failed,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Denied => "geweigerd",
            Outcome::Failed => "mislukt",
        }
    }
}

/// What an audit line is about.
#[derive(Debug, Clone)]
pub struct Object<'a> {
    pub kind: &'a str,
    pub id: String,
}

impl<'a> Object<'a> {
    pub fn new(kind: &'a str, id: impl ToString) -> Self {
        Self { kind, id: id.to_string() }
    }
}

/// A data subject whose personal data a use case reads.
#[derive(Debug, Clone)]
pub struct DataSubject {
    pub kind: &'static str,
    pub id: String,
}

#[derive(Clone)]
pub struct App {
    db: Db,
    clock: Arc<dyn Clock>,
    rng: Arc<Mutex<Box<dyn SecureRandom>>>,
    config: Arc<AppConfig>,
    read_log: Arc<readlog::ReadLog>,
    /// The dashboards' figures per period, with the moment they were counted (see
    /// `steering::DASHBOARD_FIGURES_MAX_AGE_MS`).
    figures_cache: Arc<Mutex<figures::Cache>>,
    /// This node's copy of the knowledge search index (kept current from the database).
    search_replica: Arc<knooppunt_store::replica::Replica>,
    /// The words this node analysed for snippets (their search terms).
    snippet_words: Arc<knooppunt_search::snippet::Words>,
    /// Per API token when this node last recorded its use (see `App::api_token`).
    token_touches: Arc<Mutex<std::collections::HashMap<i64, i64>>>,
    /// Per session (its id's hash) when this node last recorded it as seen (`App::session`).
    session_touches: Arc<Mutex<std::collections::HashMap<String, i64>>>,
}

impl App {
    pub fn new(db: Db, clock: Arc<dyn Clock>, rng: Box<dyn SecureRandom>, config: AppConfig) -> Self {
        Self {
            db,
            clock,
            rng: Arc::new(Mutex::new(rng)),
            config: Arc::new(config),
            read_log: Arc::default(),
            figures_cache: Arc::default(),
            search_replica: Arc::default(),
            snippet_words: Arc::default(),
            token_touches: Arc::default(),
            session_touches: Arc::default(),
        }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn config(&self) -> &AppConfig {
        &self.config
    }

    pub fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    pub(crate) fn random_bytes<const N: usize>(&self) -> [u8; N] {
        let mut buf = [0u8; N];
        match self.rng.lock() {
            Ok(mut rng) => rng.fill_bytes(&mut buf),
            // A poisoned lock only means another thread panicked mid-call; the generator state
            // is still a generator state.
            Err(poisoned) => poisoned.into_inner().fill_bytes(&mut buf),
        }
        buf
    }

    /// A fresh trace for work that did not arrive with one (CLI, background jobs).
    pub fn new_trace(&self) -> Trace {
        Trace { trace_id: hex::encode(self.random_bytes::<16>()), span_id: hex::encode(self.random_bytes::<8>()), parent_span_id: None }
    }

    /// The operator's context at the command line.
    pub fn operator_ctx(&self, label: &str) -> Ctx {
        Ctx { principal: Some(Principal::operator(label)), source: "cli".into(), trace: self.new_trace() }
    }

    pub(crate) async fn begin(&self) -> Result<Tx, AppError> {
        Ok(self.db.begin().await?)
    }

    /// The audit line of an action by `ctx`, timed now.
    pub(crate) fn audit_entry(&self, ctx: &Ctx, action: &str, object: &Object<'_>, outcome: Outcome, detail: &str) -> AuditEntry {
        let (actor, actor_user_id, organisation_id) = match &ctx.principal {
            Some(p) => (p.label.clone(), p.user_id(), p.organisation_id),
            None => ("anoniem".to_string(), None, None),
        };
        AuditEntry {
            at: self.now(),
            actor,
            actor_user_id,
            organisation_id,
            action: action.to_string(),
            object_type: object.kind.to_string(),
            object_id: object.id.clone(),
            result: outcome.code().to_string(),
            source: ctx.source.clone(),
            trace_id: ctx.trace.trace_id.clone(),
            detail: detail.to_string(),
        }
    }

    /// Writes one audit line inside `tx`.
    pub(crate) async fn audit(&self, tx: &mut Tx, ctx: &Ctx, action: &str, object: &Object<'_>, outcome: Outcome, detail: &str) -> Result<(), AppError> {
        let entry = self.audit_entry(ctx, action, object, outcome, detail);
        knooppunt_store::audit::append(&mut *tx, &self.config.audit_key, &entry).await?;
        Ok(())
    }

    /// Writes a single audit line in a transaction of its own (failed sign-ins, refusals). It
    /// takes the caller's open transaction, if any, and gives it back first: SQLite has one
    /// connection, so auditing while holding it would wait for itself. Taking it by value makes
    /// that deadlock impossible to write.
    pub(crate) async fn audit_alone(&self, open: Option<Tx>, ctx: &Ctx, action: &str, object: &Object<'_>, outcome: Outcome, detail: &str) -> Result<(), AppError> {
        if let Some(tx) = open {
            tx.rollback().await?;
        }
        let mut tx = self.begin().await?;
        self.audit(&mut tx, ctx, action, object, outcome, detail).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Refuses: gives back the open transaction, audits the refusal (`toegang-geweigerd`, with
    /// policy's reason) in a transaction of its own, and returns `answer` — `Forbidden`, or
    /// `NotFound` where the principal may not learn that the object exists.
    pub(crate) async fn refuse(&self, open: Option<Tx>, ctx: &Ctx, object: &Object<'_>, reason: &str, answer: AppError) -> AppError {
        match self.audit_alone(open, ctx, "toegang-geweigerd", object, Outcome::Denied, reason).await {
            Ok(()) => answer,
            Err(e) => e,
        }
    }

    /// Asks policy; a refusal is audited and becomes `Forbidden`.
    pub(crate) async fn authorize(&self, ctx: &Ctx, action: Action, object: &Object<'_>) -> Result<Principal, AppError> {
        let principal = ctx.principal()?.clone();
        let decision = decide(&principal, action);
        if decision.allowed {
            Ok(principal)
        } else {
            Err(self.refuse(None, ctx, object, decision.reason, AppError::Forbidden(decision.reason)).await)
        }
    }

    /// The pseudonym of a data subject in the processing log: HMAC-SHA256 under the configured
    /// key, so the log can be searched for one person without holding their identity.
    pub fn pseudonym(&self, subject: &DataSubject) -> String {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.config.pseudonym_key) else {
            // HMAC accepts keys of any length; this branch cannot be taken.
            return String::new();
        };
        mac.update(subject.kind.as_bytes());
        mac.update(b":");
        mac.update(subject.id.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// Records a read of personal data inside a writing transaction: one audit line for the
    /// read and one processing-log line per data subject. A use case that writes and also
    /// returns personal data calls this before it commits; read-only use cases log through the
    /// group-committed read log instead ([`App::log_personal_read`]). Either way a read that
    /// cannot be recorded fails.
    pub(crate) async fn record_personal_read(&self, tx: &mut Tx, ctx: &Ctx, activity: &str, action: &str, object: &Object<'_>, subjects: &[DataSubject]) -> Result<(), AppError> {
        let lines = self.personal_read_lines(ctx, activity, action, object, subjects);
        knooppunt_store::audit::append(&mut *tx, &self.config.audit_key, &lines.audit).await?;
        knooppunt_store::processing::append_many(&mut *tx, &lines.processing).await?;
        Ok(())
    }

    /// One processing-log line per data subject read by `ctx` in `activity`.
    pub(crate) fn processing_lines_of(&self, ctx: &Ctx, activity: &str, subjects: &[DataSubject]) -> Vec<ProcessingLine> {
        let (actor, organisation_id) = match &ctx.principal {
            Some(p) => (p.label.clone(), p.organisation_id),
            None => ("anoniem".to_string(), None),
        };
        let at = self.now();
        subjects
            .iter()
            .map(|s| ProcessingLine {
                trace_id: ctx.trace.trace_id.clone(),
                span_id: ctx.trace.span_id.clone(),
                parent_span_id: ctx.trace.parent_span_id.clone(),
                activity_code: activity.to_string(),
                subject_type: s.kind.to_string(),
                subject_pseudonym: self.pseudonym(s),
                status: "ok".into(),
                actor: actor.clone(),
                organisation_id,
                at,
            })
            .collect()
    }
}

pub(crate) async fn commit(tx: Tx) -> Result<(), AppError> {
    tx.commit().await?;
    Ok(())
}

impl App {
    /// Ready to serve: the database answers and every migration has been applied.
    pub async fn readiness(&self) -> Result<(), AppError> {
        self.db.ping().await?;
        if knooppunt_store::migrations::is_current(&self.db).await? {
            Ok(())
        } else {
            Err(AppError::Internal("database migrations are pending; run `knooppunt migrate`".into()))
        }
    }
}

impl App {
    /// Records a refused request that never reached a use case (a form without a valid CSRF
    /// token, for example).
    pub async fn record_refusal(&self, ctx: &Ctx, action: &str, detail: &str) -> Result<(), AppError> {
        self.audit_alone(None, ctx, action, &Object::new("verzoek", "-"), Outcome::Denied, detail).await
    }
}

/// Read models the use cases return (plain data; the web layer maps them to pages and JSON).
pub mod views {
    pub use crate::cases::{CaseDetail, CaseList, CasePermissions, CaseReference, ItemDetail, ItemSummary};
    pub use crate::network::{MunicipalityDetail, RegionDetail};
    pub use crate::signals::{Overview, SignalDetail, SimilarSignal};
    pub use crate::tokens::TokenView;
    pub use crate::users::UserView;
    pub use knooppunt_store::accounts::RoleRow;
    pub use knooppunt_store::audit::{AuditEntry, AuditFilter, AuditRow, ChainProblem, VerifyReport};
    pub use knooppunt_store::barriers::BarrierChoice;
    pub use knooppunt_store::cases::{
        AdviceRow, CaseEvent, CaseListRow, CaseRow, EscalationRow, InterventionRow, ItemAttachment, ItemRow, MeetingRow, ParticipantRow, RecipientRow, RefRow, RelationRow,
        ReleaseRow, RequestRow, SubjectHit, SubjectRow, TeamRow,
    };
    pub use knooppunt_store::network::{MunicipalityHistory, MunicipalityRow, OrganisationRow, RegionEvent, RegionRow};
    pub use knooppunt_store::policy_signals::{Event as SignalEvent, Message as SignalMessage, Named, SignalContent, SignalRow};
    pub use knooppunt_store::processing::ProcessingLine;
    pub use knooppunt_store::search::SynonymRow;
    pub use knooppunt_store::steering::{ApproachOverview, BottleneckRow, DecisionRow, ObjectiveRow};
    pub use knooppunt_store::tokens::TokenRow;
}
