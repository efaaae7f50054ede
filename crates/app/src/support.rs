//! Specialist support of the LIEC to the RIECs. A RIEC's analyst, legal adviser, account
//! manager or manager asks the LIEC for support in a domain (Bibob, art. 13b Opiumwet …): the
//! question, a case named by its reference only (checked to be a case the asker sees; nothing of
//! it travels and the LIEC gets no access), the desired date and the external legal deadline —
//! typed, or calculated with the Bibob advice period calculator. The LIEC takes the request on,
//! asks for more information, answers; the region adds information, asks a follow-up question,
//! closes or withdraws. Each domain has the LIEC's turnaround target; a request is due on its
//! submission day plus the target plus the days it waited for the region, and the overdue list
//! shows what the LIEC has let pass. A good answer becomes, anonymised, a question-and-answer
//! item offered to the knowledge editors in one step. Every list, view and step is audited;
//! the other side is notified.

use crate::cases::{day_of, iso, optional_day as date, text, today};
use crate::knowledge::KnowledgeInput;
use crate::notifications::NotificationKind;
use crate::{commit, App, AppError, Ctx, Object, Outcome, Tx};
use chrono::{Datelike, Duration};
use knooppunt_domain::knowledge::{Audience, KnowledgeKind};
use knooppunt_domain::support::{anonymise, bibob_period, BibobPeriod, Redactions, Side, SupportDomain, SupportStatus, SupportStep, Suspension};
use knooppunt_domain::Invalid;
use knooppunt_policy::cases::case_scope;
use knooppunt_policy::notifications::About;
use knooppunt_policy::support::{asking_regions, grant, is_liec, may_ask, may_set_targets, scope, SupportGrant};
use knooppunt_policy::Principal;
use knooppunt_store::cases::{self as cases_store, CaseFilter};
use knooppunt_store::network;
use knooppunt_store::support::{self as store, NewRequest, StepChange, SupportFilter};
pub use knooppunt_store::support::{MessageRow, RequestRow, SupportFile};

const OBJECT: &str = "ondersteuningsvraag";

/// The Bibob calculator's input, as typed (dates `dd-mm-jjjj` or `jjjj-mm-dd`).
#[derive(Debug, Clone, Default)]
pub struct BibobInput {
    /// The day the request for advice came in.
    pub received: String,
    /// Weeks of extension, 0 to 4 (empty: 0).
    pub extension_weeks: String,
    /// Suspensions as (from, until).
    pub suspensions: Vec<(String, String)>,
}

impl BibobInput {
    pub fn is_empty(&self) -> bool {
        self.received.trim().is_empty() && self.extension_weeks.trim().is_empty() && self.suspensions.iter().all(|(a, b)| a.trim().is_empty() && b.trim().is_empty())
    }
}

/// A new request.
#[derive(Debug, Clone, Default)]
pub struct SupportInput {
    /// The asking region; may stay empty when the asker works for one region only.
    pub region_id: Option<i64>,
    pub domain: String,
    pub question: String,
    pub case_reference: String,
    pub desired_on: String,
    /// The external legal deadline, typed; or calculated from `bibob`.
    pub deadline_on: String,
    pub bibob: BibobInput,
}

/// What a reader asks of the list; codes as the UI and API use them.
#[derive(Debug, Clone, Default)]
pub struct SupportQuery {
    pub status: Option<String>,
    pub domain: Option<String>,
    /// Only those waiting for the LIEC past their due date.
    pub overdue: bool,
    /// Only those that are not closed.
    pub open: bool,
}

/// A list with what the reader may do.
#[derive(Debug, Clone)]
pub struct SupportList {
    pub rows: Vec<RequestRow>,
    /// The rows whose due date passed while they wait for the LIEC.
    pub overdue: Vec<i64>,
    /// The regions the reader asks for: (id, name); empty when the reader does not ask.
    pub asking: Vec<(i64, String)>,
    /// The turnaround targets: (domain, days).
    pub targets: Vec<(SupportDomain, i64)>,
    pub may_set_targets: bool,
}

/// One request as its reader sees it.
#[derive(Debug, Clone)]
pub struct SupportView {
    pub row: RequestRow,
    pub messages: Vec<MessageRow>,
    pub attachments: Vec<SupportFile>,
    /// The steps the reader may take now.
    pub steps: Vec<SupportStep>,
    pub may_attach: bool,
    /// The answer may be offered as a question-and-answer item now.
    pub may_publish: bool,
    pub overdue: bool,
}

/// The anonymised question and answer, for the LIEC to check before offering them.
#[derive(Debug, Clone, Default)]
pub struct FaqDraft {
    /// The request's reference.
    pub reference: String,
    pub title: String,
    pub question: String,
    pub answer: String,
    pub redactions: Redactions,
}

/// What the LIEC offers as a question-and-answer item.
#[derive(Debug, Clone, Default)]
pub struct FaqInput {
    pub title: String,
    pub question: String,
    pub answer: String,
    /// `openbaar` or `netwerk` (empty: netwerk).
    pub audience: String,
}

/// Checks the calculator's input and calculates; errors per field.
pub fn bibob(input: &BibobInput) -> Result<BibobPeriod, Invalid> {
    let mut invalid = Invalid::default();
    let received = date(&mut invalid, "ontvangenOp", &input.received);
    if input.received.trim().is_empty() {
        invalid.push("ontvangenOp", "Vul de datum in waarop de adviesaanvraag binnenkwam.");
    }
    let weeks = match input.extension_weeks.trim() {
        "" => 0,
        raw => match raw.parse::<i64>() {
            Ok(w) if (0..=knooppunt_domain::support::BIBOB_MAX_EXTENSION_WEEKS).contains(&w) => w,
            _ => {
                invalid.push("verlengingWeken", "Vul het aantal weken verlenging in als getal van 0 tot en met 4.");
                0
            }
        },
    };
    let mut suspensions = Vec::new();
    for (from, until) in &input.suspensions {
        if from.trim().is_empty() && until.trim().is_empty() {
            continue;
        }
        let (a, b) = (date(&mut invalid, "opschortingen", from), date(&mut invalid, "opschortingen", until));
        match (a, b) {
            (Some(from), Some(until)) => suspensions.push(Suspension { from, until }),
            _ if from.trim().is_empty() || until.trim().is_empty() => invalid.push("opschortingen", "Vul bij een opschorting zowel het begin als het einde in."),
            _ => {}
        }
    }
    invalid.clone().into_result()?;
    let Some(received) = received else { return Err(invalid) };
    bibob_period(received, weeks, &suspensions).map_err(|errors| {
        let mut invalid = Invalid::default();
        for (field, message) in errors {
            invalid.push(field, message);
        }
        invalid
    })
}

impl App {
    /// Opens request `id` for `p`: `NotFound` (audited) when it does not exist for `p`.
    async fn open_support_for(&self, ctx: &Ctx, p: &Principal, id: i64) -> Result<(Tx, RequestRow, SupportGrant), AppError> {
        let mut tx = self.begin().await?;
        if let Some(row) = store::find(&mut tx, &scope(p), id).await? {
            if let Some(g) = grant(p, id, row.region_id) {
                return Ok((tx, row, g));
            }
        }
        Err(self.refuse(Some(tx), ctx, &Object::new(OBJECT, id), "ondersteuningsvraag niet zichtbaar", AppError::NotFound("ondersteuningsvraag")).await)
    }

    async fn targets(&self, tx: &mut Tx) -> Result<Vec<(SupportDomain, i64)>, AppError> {
        let stored = store::targets(tx).await?;
        Ok(SupportDomain::ALL.iter().map(|d| (*d, stored.iter().find(|(c, _)| c == d.code()).map(|(_, n)| *n).unwrap_or(d.default_target_days()))).collect())
    }

    /// The requests the reader sees (the LIEC: all; a RIEC: its region's), with what the reader
    /// may do. `overdue`: only those waiting for the LIEC past their due date.
    pub async fn support_requests(&self, ctx: &Ctx, query: &SupportQuery) -> Result<SupportList, AppError> {
        let p = ctx.principal()?.clone();
        let mut invalid = Invalid::default();
        let status = query.status.as_deref().filter(|s| !s.is_empty()).and_then(|s| invalid.check("status", SupportStatus::parse(s)));
        let domain = query.domain.as_deref().filter(|d| !d.is_empty()).and_then(|d| invalid.check("domein", SupportDomain::parse(d)));
        invalid.into_result()?;
        let day = today(self.now());
        let filter = SupportFilter {
            status: status.map(|s| s.code().to_string()),
            domain: domain.map(|d| d.code().to_string()),
            overdue_on: query.overdue.then(|| day.clone()),
            open: query.open,
        };
        let mut tx = self.begin().await?;
        let rows = store::list(&mut tx, &scope(&p), &filter).await?;
        let overdue = rows.iter().filter(|r| is_overdue(r, &day)).map(|r| r.id).collect();
        let regions = network::list_regions(&mut tx).await?;
        let asking = asking_regions(&p).into_iter().filter_map(|id| regions.iter().find(|r| r.id == id && r.active).map(|r| (r.id, r.name.clone()))).collect();
        let targets = self.targets(&mut tx).await?;
        self.audit(&mut tx, ctx, "ondersteuningsvragen-bekeken", &Object::new(OBJECT, "*"), Outcome::Ok, &format!("{} vragen", rows.len())).await?;
        commit(tx).await?;
        Ok(SupportList { rows, overdue, asking, targets, may_set_targets: may_set_targets(&p).allowed })
    }

    /// One request with its messages and attachments.
    pub async fn support_request(&self, ctx: &Ctx, id: i64) -> Result<SupportView, AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, row, g) = self.open_support_for(ctx, &p, id).await?;
        let messages = store::messages(&mut tx, &g).await?;
        let attachments = store::attachments(&mut tx, &g).await?;
        self.audit(&mut tx, ctx, "ondersteuningsvraag-bekeken", &Object::new(OBJECT, id), Outcome::Ok, "").await?;
        commit(tx).await?;
        let status = SupportStatus::parse(&row.status).unwrap_or(SupportStatus::Closed);
        let steps = SupportStep::from(status).into_iter().filter(|s| g.may_take(*s).allowed).collect();
        let may_publish = g.may_publish() && matches!(status, SupportStatus::Answered | SupportStatus::Closed) && row.faq_item_id.is_none() && row.destroyed_at.is_none();
        let overdue = is_overdue(&row, &today(self.now()));
        Ok(SupportView { may_attach: g.may_attach() && status != SupportStatus::Closed, row, messages, attachments, steps, may_publish, overdue })
    }

    /// A RIEC asks the LIEC for support; the request's id.
    pub async fn ask_support(&self, ctx: &Ctx, input: &SupportInput) -> Result<i64, AppError> {
        let p = ctx.principal()?.clone();
        let regions = asking_regions(&p);
        let region = match (input.region_id, regions.as_slice()) {
            (Some(r), _) => r,
            (None, [only]) => *only,
            (None, []) => -1,
            (None, _) => {
                return Err(Invalid::one("regioId", "Kies de regio namens welke u de vraag stelt.").into());
            }
        };
        let d = may_ask(&p, region);
        if !d.allowed {
            return Err(self.refuse(None, ctx, &Object::new(OBJECT, "nieuw"), d.reason, AppError::Forbidden(d.reason)).await);
        }
        let mut invalid = Invalid::default();
        let domain = if input.domain.trim().is_empty() {
            invalid.push("domein", "Kies het domein van uw vraag.");
            None
        } else {
            invalid.check("domein", SupportDomain::parse(&input.domain))
        };
        let question = text(&mut invalid, "vraag", &input.question, Some("Stel uw vraag."), 10_000);
        let reference = input.case_reference.trim().to_uppercase();
        if reference.chars().count() > 40 || !reference.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            invalid.push("casusKenmerk", "Een kenmerk bestaat uit letters, cijfers en streepjes, bijvoorbeeld CAS-2026-00012.");
        }
        let now = self.now();
        let day = today(now);
        let desired = date(&mut invalid, "gewenstOp", &input.desired_on);
        if desired.is_some_and(|d| iso(d) < day) {
            invalid.push("gewenstOp", "De gewenste datum ligt in het verleden.");
        }
        let typed = date(&mut invalid, "termijnOp", &input.deadline_on);
        let calculated = if input.bibob.is_empty() {
            None
        } else if domain != Some(SupportDomain::Bibob) {
            invalid.push("ontvangenOp", "De Bibob-termijn hoort bij een vraag in het domein Bibob; vul anders de termijn zelf in.");
            None
        } else {
            match bibob(&input.bibob) {
                Ok(period) => Some(period),
                Err(e) => {
                    invalid.0.extend(e.0);
                    None
                }
            }
        };
        if typed.is_some() && calculated.is_some() {
            invalid.push("termijnOp", "Vul de termijn zelf in of laat de Bibob-termijn berekenen, niet allebei.");
        }
        let mut tx = self.begin().await?;
        if !reference.is_empty() && invalid.0.iter().all(|e| e.field != "casusKenmerk") {
            let filter = CaseFilter { reference: Some(reference.clone()), region_id: Some(region), limit: 1, ..CaseFilter::default() };
            let (_, n) = cases_store::list_cases(&mut tx, &case_scope(&p), &filter).await?;
            if n == 0 {
                invalid.push("casusKenmerk", format!("U ziet in deze regio geen dossier met kenmerk {reference}. Noem alleen het kenmerk van een dossier van uw regio."));
            }
        }
        invalid.into_result()?;
        let Some(domain) = domain else { return Err(AppError::Internal("checked above".into())) };
        let target = self.targets(&mut tx).await?.iter().find(|(d, _)| *d == domain).map(|(_, n)| *n).unwrap_or(domain.default_target_days());
        let submitted = day_of(&day).ok_or_else(|| AppError::Internal("today is a date".into()))?;
        let (deadline_on, deadline_basis) = match (&calculated, typed) {
            (Some(period), _) => (iso(period.deadline), period.steps.join("\n")),
            (None, Some(t)) => (iso(t), String::new()),
            (None, None) => (String::new(), String::new()),
        };
        let n = NewRequest {
            region_id: region,
            domain: domain.code().into(),
            question,
            case_reference: reference,
            desired_on: desired.map(iso).unwrap_or_default(),
            deadline_on,
            deadline_basis,
            asked_by: p.label.clone(),
            submitted_on: day.clone(),
            target_days: target,
            due_on: iso(submitted + Duration::days(target)),
        };
        let (id, reference) = store::insert(&mut tx, &n, submitted.year(), now).await?;
        self.notify(&mut tx, ctx, &About::SupportForLiec, NotificationKind::Support).await?;
        self.audit(&mut tx, ctx, "ondersteuningsvraag-gesteld", &Object::new(OBJECT, id), Outcome::Ok, &format!("{reference}, {}", domain.label())).await?;
        commit(tx).await?;
        Ok(id)
    }

    /// Takes workflow step `step` on request `id` at `version`, with its text (the question for
    /// information, the information, the answer, the follow-up question).
    pub async fn support_step(&self, ctx: &Ctx, id: i64, step: &str, version: i64, body: &str) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let step = SupportStep::parse(step).map_err(|e| Invalid::one("stap", e))?;
        let (mut tx, row, g) = self.open_support_for(ctx, &p, id).await?;
        let d = g.may_take(step);
        if !d.allowed {
            return Err(self.refuse(Some(tx), ctx, &Object::new(OBJECT, id), d.reason, AppError::Forbidden(d.reason)).await);
        }
        let mut invalid = Invalid::default();
        let required = match step {
            SupportStep::AskInfo => Some("Zeg welke informatie het LIEC nog nodig heeft."),
            SupportStep::GiveInfo => Some("Vul de gevraagde informatie in."),
            SupportStep::Answer => Some("Schrijf het antwoord."),
            SupportStep::FollowUp => Some("Stel uw vervolgvraag."),
            _ => None,
        };
        let body = text(&mut invalid, "tekst", body, required, 20_000);
        invalid.into_result()?;
        let from = SupportStatus::parse(&row.status).unwrap_or(SupportStatus::Closed);
        if row.version != version {
            return Err(AppError::Conflict(crate::cases::STALE.into()));
        }
        let Some(to) = step.next(from) else {
            return Err(AppError::Conflict(format!("'{}' kan niet: de vraag is {}.", step.label(), from.label().to_lowercase())));
        };
        let now = self.now();
        let day = today(now);
        let today_date = day_of(&day).ok_or_else(|| AppError::Internal("today is a date".into()))?;
        let mut change = StepChange {
            status: to.code().into(),
            handler: row.handler.clone(),
            waiting_days: row.waiting_days,
            waiting_since: row.waiting_since.clone(),
            due_on: row.due_on.clone(),
            answered_at: row.answered_at,
            closed_at: row.closed_at,
        };
        match step {
            SupportStep::Take => change.handler = p.label.clone(),
            SupportStep::AskInfo => change.waiting_since = day.clone(),
            SupportStep::GiveInfo => {
                let waited = day_of(&row.waiting_since).map(|since| (today_date - since).num_days().max(0)).unwrap_or(0);
                change.waiting_days += waited;
                change.waiting_since.clear();
                if let Some(submitted) = day_of(&row.submitted_on) {
                    change.due_on = iso(submitted + Duration::days(row.target_days + change.waiting_days));
                }
            }
            SupportStep::Answer => change.answered_at = Some(now),
            SupportStep::FollowUp => {
                change.answered_at = None;
                change.due_on = iso(today_date + Duration::days(row.target_days));
            }
            SupportStep::Close | SupportStep::Withdraw => {
                change.closed_at = Some(now);
                change.waiting_since.clear();
            }
        }
        if !store::set_state(&mut tx, id, version, from.code(), &change, now).await? {
            return Err(AppError::Conflict(crate::cases::STALE.into()));
        }
        let side = match step {
            SupportStep::Close if is_liec(&p) => "liec",
            SupportStep::Close => "riec",
            _ if step.side() == Side::Liec => "liec",
            _ => "riec",
        };
        store::add_message(&mut tx, id, step.code(), side, &body, &p.label, now).await?;
        match step {
            SupportStep::AskInfo | SupportStep::Answer => {
                self.notify(&mut tx, ctx, &About::SupportForRegion { region: row.region_id }, NotificationKind::Support).await?;
            }
            SupportStep::GiveInfo | SupportStep::FollowUp => {
                self.notify(&mut tx, ctx, &About::SupportForLiec, NotificationKind::Support).await?;
            }
            _ => {}
        }
        self.audit(&mut tx, ctx, "ondersteuningsvraag-stap", &Object::new(OBJECT, id), Outcome::Ok, step.label()).await?;
        commit(tx).await
    }

    /// Adds a file to request `id` (both sides, not to a closed request); its id.
    pub async fn add_support_attachment(&self, ctx: &Ctx, id: i64, file_name: &str, data: &[u8]) -> Result<i64, AppError> {
        let p = ctx.principal()?.clone();
        let kind = knooppunt_domain::attachment::check_attachment(file_name, data).map_err(|m| Invalid::one("bestand", m))?;
        let (mut tx, row, g) = self.open_support_for(ctx, &p, id).await?;
        if row.status == SupportStatus::Closed.code() || !g.may_attach() {
            return Err(AppError::Conflict("Een gesloten ondersteuningsvraag krijgt geen bijlagen meer.".into()));
        }
        use sha2::Digest;
        let f = SupportFile {
            id: 0,
            file_name: file_name.trim().to_string(),
            content_type: kind.content_type().to_string(),
            size: i64::try_from(data.len()).unwrap_or(i64::MAX),
            sha256: hex::encode(sha2::Sha256::digest(data)),
            side: if is_liec(&p) { "liec" } else { "riec" }.into(),
            uploaded_by: p.label.clone(),
            at: self.now(),
        };
        let aid = store::add_attachment(&mut tx, &g, &f, data).await?;
        store::touch(&mut tx, id, self.now()).await?;
        self.audit(&mut tx, ctx, "ondersteuningsvraag-bijlage", &Object::new(OBJECT, id), Outcome::Ok, &format!("bijlage {aid}, sha256 {}", f.sha256)).await?;
        commit(tx).await?;
        Ok(aid)
    }

    /// An attachment with its bytes, for whoever sees the request; otherwise `NotFound`.
    pub async fn support_attachment(&self, ctx: &Ctx, id: i64, attachment_id: i64) -> Result<(SupportFile, Vec<u8>), AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, _, g) = self.open_support_for(ctx, &p, id).await?;
        let Some(found) = store::attachment_data(&mut tx, &g, attachment_id).await? else {
            return Err(self.refuse(Some(tx), ctx, &Object::new(OBJECT, id), "bijlage niet gevonden", AppError::NotFound("bijlage")).await);
        };
        self.audit(&mut tx, ctx, "ondersteuningsvraag-bijlage-gelezen", &Object::new(OBJECT, id), Outcome::Ok, &format!("bijlage {attachment_id}")).await?;
        commit(tx).await?;
        Ok(found)
    }

    /// Opens request `id` for offering its answer as a question-and-answer item: the LIEC, an
    /// answered or closed request whose answer was not offered before.
    async fn open_for_faq(&self, ctx: &Ctx, p: &Principal, id: i64) -> Result<(Tx, RequestRow, SupportGrant), AppError> {
        let (tx, row, g) = self.open_support_for(ctx, p, id).await?;
        if !g.may_publish() {
            let reason = "alleen het LIEC biedt een antwoord aan als vraag en antwoord";
            return Err(self.refuse(Some(tx), ctx, &Object::new(OBJECT, id), reason, AppError::Forbidden(reason)).await);
        }
        if let Some(item) = row.faq_item_id {
            return Err(AppError::Conflict(format!("Dit antwoord is al aangeboden als kennisitem {item}.")));
        }
        if row.destroyed_at.is_some() || !matches!(SupportStatus::parse(&row.status), Ok(SupportStatus::Answered | SupportStatus::Closed)) {
            return Err(AppError::Conflict("Alleen een beantwoorde vraag wordt een vraag en antwoord.".into()));
        }
        Ok((tx, row, g))
    }

    /// The question and the last answer, anonymised, for the LIEC to check.
    pub async fn support_faq_draft(&self, ctx: &Ctx, id: i64) -> Result<FaqDraft, AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, row, g) = self.open_for_faq(ctx, &p, id).await?;
        let messages = store::messages(&mut tx, &g).await?;
        self.audit(&mut tx, ctx, "ondersteuningsvraag-bekeken", &Object::new(OBJECT, id), Outcome::Ok, "vraag en antwoord voorbereid").await?;
        commit(tx).await?;
        let answer = messages.iter().rev().find(|m| m.step == SupportStep::Answer.code()).map(|m| m.body.clone()).unwrap_or_default();
        let (question, mut r) = anonymise(&row.question);
        let (answer, ra) = anonymise(&answer);
        r += ra;
        let domain = SupportDomain::parse(&row.domain).map(|d| d.label()).unwrap_or("Ondersteuning");
        Ok(FaqDraft { reference: row.reference.clone(), title: format!("{domain}: {}", first_sentence(&question)), question, answer, redactions: r })
    }

    /// Offers the checked question and answer as a question-and-answer item to the knowledge
    /// editors (another editor publishes it), and records it on the request; the item's id.
    /// Text in which the anonymisation still finds something to replace is refused.
    pub async fn offer_support_faq(&self, ctx: &Ctx, id: i64, input: &FaqInput) -> Result<i64, AppError> {
        let p = ctx.principal()?.clone();
        let mut invalid = Invalid::default();
        let question = text(&mut invalid, "vraag", &input.question, Some("Vul de vraag in."), 10_000);
        let answer = text(&mut invalid, "antwoord", &input.answer, Some("Vul het antwoord in."), 40_000);
        for (field, t) in [("titel", input.title.as_str()), ("vraag", question.as_str()), ("antwoord", answer.as_str())] {
            let (_, r) = anonymise(t);
            if r.total() > 0 {
                invalid.push(field, "Hier staat nog iets dat een persoon of dossier aanwijst (een naam na een aanspreekvorm, een kenmerk, adres, e-mailadres, telefoonnummer, postcode, nummer of datum); haal het weg.");
            }
        }
        let audience = match input.audience.trim() {
            "" => Audience::Network,
            raw => match Audience::parse(raw) {
                Ok(a @ (Audience::Network | Audience::Public)) => a,
                _ => {
                    invalid.push("publiek", "Kies 'netwerk' of 'openbaar'.");
                    Audience::Network
                }
            },
        };
        invalid.into_result()?;
        let (mut tx, row, _) = self.open_for_faq(ctx, &p, id).await?;
        let item = KnowledgeInput {
            kind: KnowledgeKind::Faq.code().into(),
            title: input.title.clone(),
            summary: question.chars().take(1000).collect(),
            body: format!("Vraag\n\n{question}\n\nAntwoord\n\n{answer}"),
            audience: audience.code().into(),
            ..KnowledgeInput::default()
        };
        let item_id = self.offer_knowledge_item(&mut tx, ctx, &p, &item, "antwoord op een ondersteuningsvraag, geanonimiseerd").await?;
        if !store::set_faq(&mut tx, id, item_id, self.now()).await? {
            return Err(AppError::Conflict("Dit antwoord is al aangeboden als kennisitem.".into()));
        }
        self.audit(&mut tx, ctx, "ondersteuningsvraag-kennisitem", &Object::new(OBJECT, id), Outcome::Ok, &format!("{}: kennisitem {item_id}", row.reference)).await?;
        commit(tx).await?;
        Ok(item_id)
    }

    /// The LIEC sets the turnaround target of a domain (1 to 90 days); it counts for requests
    /// submitted from now on.
    pub async fn set_support_target(&self, ctx: &Ctx, domain: &str, days: &str) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let d = may_set_targets(&p);
        if !d.allowed {
            return Err(self.refuse(None, ctx, &Object::new(OBJECT, "doorlooptijden"), d.reason, AppError::Forbidden(d.reason)).await);
        }
        let mut invalid = Invalid::default();
        let domain = invalid.check("domein", SupportDomain::parse(domain));
        let days = match days.trim().parse::<i64>() {
            Ok(n) if (1..=90).contains(&n) => n,
            _ => {
                invalid.push("dagen", "Vul een doorlooptijd in van 1 tot en met 90 dagen.");
                0
            }
        };
        invalid.into_result()?;
        let Some(domain) = domain else { return Err(AppError::Internal("checked above".into())) };
        let mut tx = self.begin().await?;
        store::set_target(&mut tx, domain.code(), days).await?;
        self.audit(&mut tx, ctx, "ondersteuning-doorlooptijd", &Object::new(OBJECT, "doorlooptijden"), Outcome::Ok, &format!("{}: {days} dagen", domain.label())).await?;
        commit(tx).await
    }
}

/// Waiting for the LIEC past its due day.
fn is_overdue(r: &RequestRow, today: &str) -> bool {
    matches!(r.status.as_str(), "ingediend" | "in-behandeling") && r.due_on.as_str() < today
}

/// The first sentence of `text`, at most 150 characters, for a title.
fn first_sentence(text: &str) -> String {
    let end = text.find(['?', '.', '\n']).map(|i| i + 1).unwrap_or(text.len());
    let s = text.get(..end).unwrap_or(text).trim();
    if s.chars().count() > 150 {
        let cut: String = s.chars().take(147).collect();
        format!("{}…", cut.trim_end())
    } else {
        s.to_string()
    }
}
