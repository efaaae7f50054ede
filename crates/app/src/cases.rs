//! Case files: a signal is weighed and becomes a pre-case or case; the RIEC admits partners,
//! who contribute information items that stay with their supplier until released; the RIEC
//! sends information requests, analyses, advises; partners carry out interventions.
//!
//! Every use case opens the case through [`App::open_case`], which asks policy and answers
//! `NotFound` (with an audited refusal) when the principal may not know the case exists. Reads
//! of personal data record the audit line and the processing log in the reading transaction.

use crate::{commit, App, AppError, Ctx, DataSubject, Object, Outcome};
use knooppunt_domain::case::{
    fold_key, parse_date, parse_euro, CasePhase, CaseStep, Classification, InterventionStatus, RecipientStatus, RelationKind, Reliability, Subject, SubjectInput, TeamRole,
};
use knooppunt_domain::{Invalid, Role};
use knooppunt_policy::cases::{
    case_scope, decide_case, decide_intervention_update, decide_item, grant, grant_item, may_answer_request, may_be_removed, may_receive_release, participant_org, CaseAccess,
    CaseAction, CaseFacts, CaseGrant, EventAbout, ItemAction, ItemFacts, ItemGrant,
};
use knooppunt_policy::{Action, Principal};
use knooppunt_store::cases::{
    self as store, AdviceRow, CaseEvent, CaseFilter, CaseListRow, CaseRow, InterventionRow, ItemAttachment, ItemRow, MeetingRow, NewCase, NewItem, ParticipantRow, RefRow,
    RelationRow, ReleaseRow, RequestRow, SubjectHit, SubjectRow, TeamRow,
};
use knooppunt_store::network::{self, OrganisationFilter, OrganisationRow};
use knooppunt_store::policy_signals::{self as signal_store, Named};
use knooppunt_store::Tx;

/// Legal bases (*grondslagen*) per partner type, seeded from DOMAIN.md; configurable data.
pub const LEGAL_BASES: &[(&str, &str, &str)] = &[
    ("wpg-20", "Wet politiegegevens art. 20", "politie"),
    ("wjsg-39f", "Wet justitiële en strafvorderlijke gegevens art. 39f", "openbaar-ministerie"),
    ("awr-43c", "AWR / Uitvoeringsregeling art. 43c", "belastingdienst"),
    ("avg-6-1-e-wgs", "AVG art. 6 lid 1 sub e en WGS", "gemeente"),
    ("wgs", "Wet gegevensverwerking door samenwerkingsverbanden", ""),
    ("convenant", "RIEC-LIEC-convenant en Privacyprotocol", ""),
];

/// Purposes (*doelbinding*), seeded; configurable data.
pub const PURPOSES: &[(&str, &str)] = &[
    ("integrale-aanpak", "Integrale aanpak van ondermijnende criminaliteit"),
    ("bestuurlijke-interventie", "Voorbereiden van een bestuurlijke interventie"),
    ("bibob", "Bibob-onderzoek"),
    ("fiscale-interventie", "Fiscale handhaving en invordering"),
    ("strafrechtelijke-interventie", "Strafrechtelijke opsporing en afpakken"),
];

/// The intervention catalogue of DOMAIN.md: code, name, category, carried out by.
pub const INTERVENTION_TYPES: &[(&str, &str, &str, &str)] = &[
    ("bibob", "Vergunning of subsidie weigeren of intrekken (Wet Bibob)", "bestuurlijk", "gemeente / provincie"),
    ("13b-opiumwet", "Pand sluiten op grond van art. 13b Opiumwet (Damocles)", "bestuurlijk", "burgemeester"),
    ("174a-gemeentewet", "Sluiting art. 174a Gemeentewet, last onder dwangsom, bestuursdwang of bestuurlijke boete", "bestuurlijk", "burgemeester / college"),
    ("stopgesprek", "Stopgesprek, niet faciliteren van evenementen (OMG-aanpak)", "bestuurlijk", "burgemeester"),
    ("integrale-controle", "Integrale controle", "bestuurlijk", "gemeente met inspecties"),
    ("civiel-verbod", "Civielrechtelijk verbod en ontbinding van een vereniging", "privaatrechtelijk", "OM"),
    ("strafrecht", "Opsporing, vervolging, beslag en ontneming (afpakken)", "strafrechtelijk", "politie, OM, FIOD, KMar"),
    ("fiscaal", "Boekenonderzoek, navorderingsaanslag, invordering", "fiscaal", "Belastingdienst"),
    ("terugvordering", "Terugvorderen van toeslagen of uitkeringen", "fiscaal / bestuurlijk", "Toeslagen, UWV, gemeente"),
    ("vreemdelingenrecht", "Verblijfsrechtelijke maatregelen", "bestuurlijk", "IND"),
    ("arbeidsinspectie", "Arbeidsrechtelijke inspectie en boetes", "bestuurlijk", "Arbeidsinspectie"),
    ("douane-nvwa", "Douanecontrole; voedsel- en productveiligheidsinspectie", "bestuurlijk", "Douane; NVWA"),
    ("bestuurlijk-signaal", "Bestuurlijk signaal om wet of beleid te veranderen", "signaal", "elke partner via het LIEC-loket"),
];

/// Registering a signal: what a partner or the RIEC fills in.
#[derive(Debug, Clone, Default)]
pub struct SignalRegistration {
    pub title: String,
    pub description: String,
    /// CBS code of the municipality (`GM0599`).
    pub municipality: String,
    pub phenomena: Vec<String>,
    /// Optional: another region than the municipality's (code), with a reason.
    pub region: String,
    pub region_reason: String,
}

#[derive(Debug, Clone, Default)]
pub struct CaseQuery {
    /// Region code; empty for every region the user may see.
    pub region: String,
    pub phase: String,
    pub phenomenon: String,
    /// CBS code.
    pub municipality: String,
    pub overdue: bool,
    /// Only cases on the user's own team.
    pub mine: bool,
    /// Only cases with this kind of work waiting (`CaseWork::code`); empty for all.
    pub work: String,
    pub page: i64,
}

/// Work that waits in a case, as the work list counts it and the case list filters on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseWork {
    /// An advice version waiting for the manager's approval (case team only).
    Advice,
    /// An information request the user's organisation has not answered yet.
    Requests,
    /// An intervention the user's organisation carries out that is not finished.
    Interventions,
}

impl CaseWork {
    pub const ALL: [CaseWork; 3] = [CaseWork::Advice, CaseWork::Requests, CaseWork::Interventions];

    pub fn code(self) -> &'static str {
        match self {
            CaseWork::Advice => "advies",
            CaseWork::Requests => "uitvraag",
            CaseWork::Interventions => "interventie",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CaseWork::Advice => "Advies wacht op goedkeuring",
            CaseWork::Requests => "Uitvraag aan uw organisatie nog open",
            CaseWork::Interventions => "Interventie van uw organisatie loopt",
        }
    }

    pub fn parse(code: &str) -> Result<Self, String> {
        Self::ALL.into_iter().find(|w| w.code() == code).ok_or_else(|| format!("Onbekend soort werk '{code}'."))
    }

    /// The case filter that selects the cases where this work waits for `p`.
    pub(crate) fn filter(self, p: &Principal, f: CaseFilter) -> CaseFilter {
        // An organisation that takes part in no case has no requests or interventions: -1
        // matches nothing.
        let org = || Some(participant_org(p).unwrap_or(-1));
        match self {
            CaseWork::Advice => CaseFilter { advice_waiting: true, ..f },
            CaseWork::Requests => CaseFilter { request_open_for: org(), ..f },
            CaseWork::Interventions => CaseFilter { intervention_open_for: org(), ..f },
        }
    }
}

#[derive(Debug, Clone)]
pub struct CaseList {
    pub rows: Vec<CaseListRow>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

pub const PAGE_SIZE: i64 = 50;

/// The most subjects one search shows (and logs).
pub const SEARCH_LIMIT: i64 = 20;

/// The result of a subject search: the hits shown, and whether there were more.
#[derive(Debug, Clone)]
pub struct SubjectSearch {
    pub hits: Vec<SubjectHit>,
    pub more: bool,
}

/// What the principal may do in this case now (for the UI; every call asks policy again).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CasePermissions {
    /// The principal sees the whole case as its RIEC case team (otherwise as a participant).
    pub team: bool,
    pub manage: bool,
    pub add_subject: bool,
    pub add_item: bool,
    pub request: bool,
    pub draft_advice: bool,
    pub approve_advice: bool,
    pub coordinate: bool,
}

#[derive(Debug, Clone)]
pub struct ItemSummary {
    pub item: ItemRow,
    /// Organisations the item is released to now (visible to the team and the supplier).
    pub released_to: Vec<i64>,
    /// May the principal release or withdraw it?
    pub can_release: bool,
    /// May the principal change it (the supplier, while the case runs)?
    pub can_edit: bool,
}

#[derive(Debug, Clone)]
pub struct CaseDetail {
    pub case: CaseRow,
    pub access: CaseAccess,
    pub phenomena: Vec<(String, String)>,
    pub participants: Vec<ParticipantRow>,
    pub team: Vec<TeamRow>,
    pub subjects: Vec<SubjectRow>,
    pub relations: Vec<RelationRow>,
    pub items: Vec<ItemSummary>,
    pub requests: Vec<RequestRow>,
    pub advice: Vec<AdviceRow>,
    pub interventions: Vec<InterventionRow>,
    pub meetings: Vec<MeetingRow>,
    pub events: Vec<CaseEvent>,
    pub steps: Vec<CaseStep>,
    pub can: CasePermissions,
    /// The principal's organisation (to mark its own requests and interventions).
    pub own_organisation: Option<i64>,
    pub today: String,
    /// Cases of other regions linked after a shared hit (team only).
    pub linked: Vec<knooppunt_store::treffers::LinkedCase>,
    /// Requests the principal's organisation can still answer or decline.
    pub answerable: Vec<i64>,
    /// Interventions whose outcome the principal may record.
    pub updatable: Vec<i64>,
    /// Participants the team may remove (active, not the source of the signal).
    pub removable: Vec<i64>,
}

#[derive(Debug, Clone)]
pub struct ItemDetail {
    pub case: CaseRow,
    pub item: ItemRow,
    pub releases: Vec<ReleaseRow>,
    pub attachments: Vec<ItemAttachment>,
    pub can_release: bool,
    pub can_edit: bool,
    /// The principal's organisation supplied it (a release is then its own decision, not a
    /// consent recorded by the RIEC).
    pub is_supplier: bool,
    /// Participants it could be released to (active, not the supplier).
    pub candidates: Vec<ParticipantRow>,
}

#[derive(Debug, Clone, Default)]
pub struct ItemInput {
    pub title: String,
    pub body: String,
    pub legal_basis: String,
    pub purpose: String,
    pub info_date: String,
    pub reliability: String,
    pub classification: String,
    pub sharing_conditions: String,
}

/// The outcome of adding a subject: added, or possibly a duplicate of existing ones.
#[derive(Debug, Clone)]
pub enum SubjectAdded {
    Added(i64),
    PossibleDuplicate(Vec<SubjectRow>),
}

#[derive(Debug, Clone, Default)]
pub struct InterventionUpdate {
    pub status: String,
    pub decision: String,
    pub collected: String,
    pub offset: String,
    pub seized: String,
    pub decision_date: String,
    pub completed_date: String,
    pub stop_reason: String,
    pub escalation_reason: String,
}

/// A relation between two subjects of a case: `from` is `kind` of `to`, optionally dated.
#[derive(Debug, Clone, Default)]
pub struct RelationInput {
    pub from: i64,
    pub to: i64,
    pub kind: String,
    pub valid_from: String,
    pub valid_to: String,
}

#[derive(Debug, Clone, Default)]
pub struct MeetingInput {
    pub held_on: String,
    pub attendees: String,
    pub agenda: String,
    pub decisions: String,
    pub interventions: Vec<i64>,
}

#[derive(Debug, Clone)]
pub struct CaseReference {
    pub phenomena: Vec<Named>,
    pub legal_bases: Vec<RefRow>,
    pub purposes: Vec<RefRow>,
    pub intervention_types: Vec<RefRow>,
    /// Organisations that can be admitted (covenant partners, active).
    pub organisations: Vec<OrganisationRow>,
}

/// An item opened for the principal: the use case's transaction, the case and the item with
/// what policy decided about them.
struct OpenItem {
    tx: Tx,
    p: Principal,
    row: CaseRow,
    facts: CaseFacts,
    g: CaseGrant,
    item: ItemRow,
    f: ItemFacts,
    ig: ItemGrant,
}

fn phase_of(row: &CaseRow) -> Result<CasePhase, AppError> {
    CasePhase::parse(&row.phase).map_err(AppError::Internal)
}

fn year_of(ms: i64) -> i32 {
    use chrono::Datelike;
    chrono::DateTime::from_timestamp_millis(ms).map(|d| d.year()).unwrap_or(1970)
}

/// Today as the case rules count it (`YYYY-MM-DD`), for the work list's overdue requests.
pub(crate) fn today(ms: i64) -> String {
    iso_day(ms)
}

/// `YYYY-MM-DD` of a timestamp (UTC).
fn iso_day(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

fn text(invalid: &mut Invalid, field: &str, value: &str, required: Option<&str>, max: usize) -> String {
    let v = value.trim();
    if v.is_empty() {
        if let Some(message) = required {
            invalid.push(field, message);
        }
    } else if v.chars().count() > max {
        invalid.push(field, format!("Dit veld heeft hoogstens {max} tekens."));
    }
    v.to_string()
}

fn subjects_of(rows: &[SubjectRow]) -> Vec<DataSubject> {
    rows.iter().map(|s| DataSubject { kind: "betrokkene", id: s.id.to_string() }).collect()
}

fn case_obj(id: i64) -> Object<'static> {
    Object::new("casus", id)
}

pub(crate) const STALE: &str = "Iemand anders heeft dit intussen gewijzigd. Laad de pagina opnieuw en breng uw wijziging opnieuw aan.";

impl App {
    /// Seeds legal bases, purposes and the intervention catalogue (idempotent; edits stay).
    pub(crate) async fn load_case_reference(&self, tx: &mut Tx) -> Result<(), AppError> {
        for (code, name, partner_type) in LEGAL_BASES {
            store::seed_legal_basis(tx, code, name, partner_type).await?;
        }
        for (code, name) in PURPOSES {
            store::seed_purpose(tx, code, name).await?;
        }
        for (code, name, category, by) in INTERVENTION_TYPES {
            store::save_intervention_type(tx, code, name, category, by, false).await?;
        }
        Ok(())
    }

    /// Reference lists for the case forms.
    pub async fn case_reference(&self, ctx: &Ctx) -> Result<CaseReference, AppError> {
        ctx.principal()?;
        let mut tx = self.begin().await?;
        let r = CaseReference {
            phenomena: signal_store::phenomena(&mut tx).await?,
            legal_bases: store::legal_bases(&mut tx).await?,
            purposes: store::purposes(&mut tx).await?,
            intervention_types: store::intervention_types(&mut tx).await?,
            organisations: network::list_organisations(&mut tx, &OrganisationFilter::default())
                .await?
                .into_iter()
                .filter(|o| o.active && o.partner_type != "private-partner")
                .collect(),
        };
        commit(tx).await?;
        Ok(r)
    }

    /// Refuses an action in case `id` (audited, `Forbidden`), giving back the open transaction.
    async fn case_refusal(&self, open: Option<Tx>, ctx: &Ctx, id: impl ToString, reason: &'static str) -> AppError {
        self.refuse(open, ctx, &Object::new("casus", id), reason, AppError::Forbidden(reason)).await
    }

    /// Opens the use case's transaction with the case as `p` may see it: the store returns it
    /// only within `p`'s scope, and policy mints the grant every further read needs. When `p`
    /// may not know the case exists: `NotFound`, and the attempt is audited.
    async fn open_case(&self, ctx: &Ctx, p: &Principal, id: i64) -> Result<(Tx, CaseRow, CaseFacts, CaseGrant), AppError> {
        self.open_case_in(self.begin().await?, ctx, p, id).await
    }

    /// [`Self::open_case`] in a read-only transaction, for use cases that only read.
    async fn open_case_to_read(&self, ctx: &Ctx, p: &Principal, id: i64) -> Result<(Tx, CaseRow, CaseFacts, CaseGrant), AppError> {
        self.open_case_in(self.begin_read().await?, ctx, p, id).await
    }

    async fn open_case_in(&self, mut tx: Tx, ctx: &Ctx, p: &Principal, id: i64) -> Result<(Tx, CaseRow, CaseFacts, CaseGrant), AppError> {
        if let Some((row, participants)) = store::find_case(&mut tx, &case_scope(p), id).await? {
            let facts = CaseFacts { region_id: row.region_id, phase: phase_of(&row)?, participants };
            if let Some(g) = grant(p, id, &facts) {
                return Ok((tx, row, facts, g));
            }
        }
        Err(self.refuse(Some(tx), ctx, &case_obj(id), "casus niet zichtbaar", AppError::NotFound("casus")).await)
    }

    /// Opens the case and checks `action`; a refusal is audited and becomes `Forbidden`.
    async fn open_for(&self, ctx: &Ctx, id: i64, action: CaseAction) -> Result<(Tx, Principal, CaseRow, CaseFacts, CaseGrant), AppError> {
        let p = ctx.principal()?.clone();
        let opened = self.open_case(ctx, &p, id).await?;
        self.check_action(opened, ctx, p, id, action).await
    }

    /// [`Self::open_for`] in a read-only transaction, for use cases that only read.
    async fn open_to_read(&self, ctx: &Ctx, id: i64, action: CaseAction) -> Result<(Tx, Principal, CaseRow, CaseFacts, CaseGrant), AppError> {
        let p = ctx.principal()?.clone();
        let opened = self.open_case_to_read(ctx, &p, id).await?;
        self.check_action(opened, ctx, p, id, action).await
    }

    async fn check_action(
        &self,
        (tx, row, facts, g): (Tx, CaseRow, CaseFacts, CaseGrant),
        ctx: &Ctx,
        p: Principal,
        id: i64,
        action: CaseAction,
    ) -> Result<(Tx, Principal, CaseRow, CaseFacts, CaseGrant), AppError> {
        let d = decide_case(&p, action, Some(&facts));
        if !d.allowed {
            return Err(self.case_refusal(Some(tx), ctx, id, d.reason).await);
        }
        Ok((tx, p, row, facts, g))
    }

    /// Registers a signal for a municipality; the owning region follows from the municipality
    /// unless another region is given with a reason. The source organisation is admitted.
    pub async fn register_case_signal(&self, ctx: &Ctx, input: &SignalRegistration) -> Result<i64, AppError> {
        let p = ctx.principal()?.clone();
        let d = decide_case(&p, CaseAction::RegisterSignal, None);
        if !d.allowed {
            return Err(self.case_refusal(None, ctx, "nieuw", d.reason).await);
        }
        let org = p.organisation_id.ok_or(AppError::Forbidden("alleen namens een organisatie"))?;
        let mut invalid = Invalid::default();
        let title = text(&mut invalid, "titel", &input.title, Some("Geef het signaal een titel."), 200);
        let description = text(&mut invalid, "omschrijving", &input.description, Some("Beschrijf het signaal."), 20_000);
        let mut tx = self.begin().await?;
        let municipality = if input.municipality.trim().is_empty() {
            invalid.push("gemeente", "Kies de gemeente waar het signaal over gaat.");
            None
        } else {
            let m = network::find_municipality_by_cbs(&mut tx, &input.municipality.trim().to_uppercase()).await?;
            if m.is_none() {
                invalid.push("gemeente", format!("Onbekende gemeente '{}'.", input.municipality.trim()));
            }
            m
        };
        let region_override = if input.region.trim().is_empty() {
            None
        } else {
            match network::find_region_by_code(&mut tx, input.region.trim()).await? {
                Some(r) if r.kind == "riec" && r.merged_into_id.is_none() => Some(r),
                _ => {
                    invalid.push("regio", format!("'{}' is geen RIEC-regio.", input.region.trim()));
                    None
                }
            }
        };
        let region_reason = input.region_reason.trim().to_string();
        if region_override.is_some() && region_reason.is_empty() {
            invalid.push("regioReden", "Geef een reden waarom een andere regio de casus voert.");
        }
        let known = signal_store::phenomena(&mut tx).await?;
        let mut phenomena = Vec::new();
        for code in input.phenomena.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
            match known.iter().find(|k| k.code == code) {
                Some(k) if !phenomena.contains(&k.id) => phenomena.push(k.id),
                Some(_) => {}
                None => invalid.push("fenomenen", format!("Onbekend fenomeen '{code}'.")),
            }
        }
        invalid.into_result()?;
        let Some(m) = municipality else {
            return Err(AppError::Internal("municipality checked above".into()));
        };
        let region_id = region_override.as_ref().map(|r| r.id).unwrap_or(m.region_id);
        let d = knooppunt_policy::cases::decide_registration_region(&p, region_id);
        if !d.allowed {
            return Err(self.case_refusal(Some(tx), ctx, "nieuw", d.reason).await);
        }
        let now = self.now();
        let id = store::insert_case(
            &mut tx,
            &NewCase {
                title,
                description,
                municipality_id: m.id,
                region_id,
                region_reason: if region_override.is_some() { region_reason.clone() } else { String::new() },
                source_organisation_id: org,
                created_by: p.user_id(),
                phase: CasePhase::Signal.code().into(),
            },
            year_of(now),
            now,
        )
        .await?;
        store::set_case_phenomena(&mut tx, id, &phenomena).await?;
        store::admit(&mut tx, id, org, &p.label, "bron van het signaal", now).await?;
        let note = if region_override.is_some() { format!("regio gekozen: {region_reason}") } else { String::new() };
        store::add_event(&mut tx, id, &CaseEvent::phase(now, &p.label, "geregistreerd", "", CasePhase::Signal.code(), note)).await?;
        self.audit(&mut tx, ctx, "casus-signaal-geregistreerd", &case_obj(id), Outcome::Ok, "").await?;
        commit(tx).await?;
        Ok(id)
    }

    /// Takes a step in the case process (weighing decision, opening, closing with evaluation).
    pub async fn case_step(&self, ctx: &Ctx, id: i64, step: &str, note: &str, version: i64) -> Result<CasePhase, AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, row, facts, _) = self.open_case(ctx, &p, id).await?;
        let step = match CaseStep::parse(step) {
            Ok(s) => s,
            Err(m) => {
                drop(tx);
                return Err(Invalid::one("stap", m).into());
            }
        };
        let d = decide_case(&p, CaseAction::Step(step), Some(&facts));
        let Some(target) = step.target(facts.phase) else {
            drop(tx);
            return Err(AppError::Conflict(format!("'{}' kan niet in de fase {}.", step.label(), facts.phase.label().to_lowercase())));
        };
        if !d.allowed {
            return Err(self.case_refusal(Some(tx), ctx, id, d.reason).await);
        }
        let mut invalid = Invalid::default();
        let field = if step == CaseStep::Close { "evaluatie" } else { "toelichting" };
        let message = match step {
            CaseStep::Close => "Leg de evaluatie vast: resultaten en lessen.",
            CaseStep::Reject => "Geef de reden van de afwijzing.",
            _ => "Geef de reden van het besluit.",
        };
        let note = text(&mut invalid, field, note, step.needs_note().then_some(message), 20_000);
        invalid.into_result()?;
        let now = self.now();
        let closed = matches!(target, CasePhase::Closed | CasePhase::Rejected).then_some(now);
        let evaluation = (step == CaseStep::Close).then_some(note.as_str());
        if !store::set_phase(&mut tx, id, target.code(), evaluation, closed, version, now).await? {
            return Err(AppError::Conflict(STALE.into()));
        }
        store::add_event(&mut tx, id, &CaseEvent::phase(now, &p.label, step.code(), &row.phase, target.code(), note)).await?;
        let from = CasePhase::parse(&row.phase).map(CasePhase::label).unwrap_or("onbekende fase");
        self.audit(&mut tx, ctx, "casus-stap", &case_obj(id), Outcome::Ok, &format!("{}: van {from} naar {}", step.label(), target.label())).await?;
        commit(tx).await?;
        Ok(target)
    }

    /// The cases the principal may see that match `q`, a page at a time.
    pub async fn list_cases(&self, ctx: &Ctx, q: &CaseQuery) -> Result<CaseList, AppError> {
        let p = ctx.principal()?.clone();
        let mut invalid = Invalid::default();
        let phase = if q.phase.trim().is_empty() { None } else { invalid.check("fase", CasePhase::parse(&q.phase)).map(|x| x.code().to_string()) };
        let mut tx = self.begin_read().await?;
        let region_id = if q.region.trim().is_empty() {
            None
        } else {
            match network::find_region_by_code(&mut tx, q.region.trim()).await? {
                Some(r) => Some(r.id),
                None => {
                    invalid.push("regio", format!("Onbekende regio '{}'.", q.region.trim()));
                    None
                }
            }
        };
        let municipality_id = if q.municipality.trim().is_empty() {
            None
        } else {
            match network::find_municipality_by_cbs(&mut tx, &q.municipality.trim().to_uppercase()).await? {
                Some(m) => Some(m.id),
                None => {
                    invalid.push("gemeente", format!("Onbekende gemeente '{}'.", q.municipality.trim()));
                    None
                }
            }
        };
        let phenomenon = q.phenomenon.trim();
        if !phenomenon.is_empty() && !signal_store::phenomena(&mut tx).await?.iter().any(|x| x.code == phenomenon) {
            invalid.push("fenomeen", format!("Onbekend fenomeen '{phenomenon}'."));
        }
        let work = if q.work.trim().is_empty() { None } else { invalid.check("werk", CaseWork::parse(q.work.trim())) };
        if q.page < 0 || q.page > 100_000 {
            invalid.push("pagina", "Kies een pagina vanaf 0.");
        }
        if let Err(e) = invalid.into_result() {
            drop(tx);
            return Err(e.into());
        }
        let filter = CaseFilter {
            region_id,
            phase,
            phenomenon: (!phenomenon.is_empty()).then(|| phenomenon.to_string()),
            municipality_id,
            overdue_on: q.overdue.then(|| iso_day(self.now())),
            team_member: if q.mine { Some(p.user_id().unwrap_or(-1)) } else { None },
            limit: PAGE_SIZE,
            offset: q.page * PAGE_SIZE,
            ..CaseFilter::default()
        };
        let filter = match work {
            Some(w) => w.filter(&p, filter),
            None => filter,
        };
        let (rows, total) = store::list_cases(&mut tx, &case_scope(&p), &filter).await?;
        commit(tx).await?;
        self.log_plain_read(ctx, "casussen-bekeken", &Object::new("casus", "*"), &format!("{} van {} casussen", rows.len(), total)).await?;
        Ok(CaseList { rows, total, page: q.page, page_size: PAGE_SIZE })
    }

    async fn load_detail(&self, tx: &mut Tx, p: &Principal, row: CaseRow, facts: &CaseFacts, g: &CaseGrant) -> Result<CaseDetail, AppError> {
        let acc = g.access();
        let finished = facts.phase.is_finished();
        // Releases of the items the principal supplied (all of them for the team).
        let releases = store::case_releases(tx, g).await?;
        let items = store::visible_items(tx, g)
            .await?
            .into_iter()
            .map(|item| {
                let released_to: Vec<i64> = releases.iter().filter(|(i, _)| *i == item.id).map(|(_, o)| *o).collect();
                let f = ItemFacts { supplier_id: item.supplier_organisation_id, released_to: released_to.clone() };
                let can_release = decide_item(p, acc, ItemAction::Release, &f).allowed && !finished;
                let can_edit = decide_item(p, acc, ItemAction::Edit, &f).allowed && !finished;
                ItemSummary { item, released_to, can_release, can_edit }
            })
            .collect();
        let requests = store::requests(tx, g).await?;
        let answerable = if finished {
            Vec::new()
        } else {
            requests
                .iter()
                .filter(|r| r.recipients.iter().any(|x| x.status == RecipientStatus::Open.code() && may_answer_request(p, x.organisation_id).allowed))
                .map(|r| r.id)
                .collect()
        };
        let interventions = store::interventions(tx, g).await?;
        let updatable = if finished { Vec::new() } else { interventions.iter().filter(|v| decide_intervention_update(p, acc, v.organisation_id).allowed).map(|v| v.id).collect() };
        let allowed = |a: CaseAction| decide_case(p, a, Some(facts)).allowed;
        let can = CasePermissions {
            team: g.is_team(),
            manage: allowed(CaseAction::ManageParticipants) && !finished,
            add_subject: allowed(CaseAction::AddSubject),
            add_item: allowed(CaseAction::AddItem),
            request: allowed(CaseAction::Request),
            draft_advice: allowed(CaseAction::DraftAdvice) && facts.phase == CasePhase::Case,
            approve_advice: allowed(CaseAction::ApproveAdvice) && facts.phase == CasePhase::Case,
            coordinate: allowed(CaseAction::Coordinate) && !finished,
        };
        let steps = CaseStep::from_phase(facts.phase).into_iter().filter(|s| allowed(CaseAction::Step(*s))).collect();
        let participants = store::participants(tx, g).await?;
        Ok(CaseDetail {
            linked: knooppunt_store::treffers::linked_cases(tx, g).await?,
            phenomena: store::case_phenomena(tx, g).await?,
            removable: if can.manage {
                participants.iter().filter(|x| x.removed_at.is_none() && may_be_removed(x.organisation_id, row.source_organisation_id)).map(|x| x.organisation_id).collect()
            } else {
                Vec::new()
            },
            participants,
            team: store::team(tx, g).await?,
            subjects: store::subjects(tx, g).await?,
            relations: store::relations(tx, g).await?,
            items,
            requests,
            advice: store::advice(tx, g).await?,
            interventions,
            meetings: store::meetings(tx, g).await?,
            events: store::events(tx, g).await?,
            steps,
            can,
            own_organisation: p.organisation_id,
            today: iso_day(self.now()),
            case: row,
            access: acc,
            answerable,
            updatable,
        })
    }

    /// One case as the principal may see it; the read is audited with every subject in it.
    pub async fn case(&self, ctx: &Ctx, id: i64) -> Result<CaseDetail, AppError> {
        self.case_read(ctx, id, "casus-bekeken", "casusdossier-inzien").await
    }

    /// The whole case file for printing or export; audited as an export.
    pub async fn case_export(&self, ctx: &Ctx, id: i64) -> Result<CaseDetail, AppError> {
        let (tx, p, row, facts, g) = self.open_to_read(ctx, id, CaseAction::Export).await?;
        self.finish_read(tx, ctx, &p, row, &facts, &g, "casus-geexporteerd", "casusdossier-exporteren").await
    }

    async fn case_read(&self, ctx: &Ctx, id: i64, action: &str, activity: &str) -> Result<CaseDetail, AppError> {
        let p = ctx.principal()?.clone();
        let (tx, row, facts, g) = self.open_case_to_read(ctx, &p, id).await?;
        self.finish_read(tx, ctx, &p, row, &facts, &g, action, activity).await
    }

    #[allow(clippy::too_many_arguments)]
    async fn finish_read(
        &self,
        mut tx: Tx,
        ctx: &Ctx,
        p: &Principal,
        row: CaseRow,
        facts: &CaseFacts,
        g: &CaseGrant,
        action: &str,
        activity: &str,
    ) -> Result<CaseDetail, AppError> {
        let id = row.id;
        let d = self.load_detail(&mut tx, p, row, facts, g).await?;
        commit(tx).await?;
        self.log_personal_read(ctx, activity, action, &case_obj(id), &subjects_of(&d.subjects)).await?;
        Ok(d)
    }

    /// Admits a partner organisation to a pre-case or case, with a reason.
    pub async fn admit_participant(&self, ctx: &Ctx, id: i64, organisation_id: i64, reason: &str) -> Result<(), AppError> {
        let (mut tx, p, _, facts, _) = self.open_for(ctx, id, CaseAction::ManageParticipants).await?;
        let mut invalid = Invalid::default();
        let reason = text(&mut invalid, "reden", reason, Some("Geef de reden van de toelating (need-to-know)."), 2000);
        let org = network::find_organisation(&mut tx, organisation_id).await?;
        match &org {
            None => invalid.push("organisatie", "Onbekende organisatie."),
            Some(o) if !o.active || o.partner_type == "private-partner" => invalid.push("organisatie", "Alleen actieve convenantpartners kunnen deelnemen aan een casus."),
            Some(_) => {}
        }
        invalid.into_result()?;
        if !facts.phase.is_open_for_work() {
            return Err(AppError::Conflict("Partners worden toegelaten tot een pre-casus of casus; neem eerst het wegingsbesluit.".into()));
        }
        let now = self.now();
        if !store::admit(&mut tx, id, organisation_id, &p.label, &reason, now).await? {
            return Err(AppError::Conflict("Deze organisatie neemt al deel aan de casus.".into()));
        }
        let name = org.map(|o| o.name).unwrap_or_default();
        store::add_event(&mut tx, id, &CaseEvent::new(now, &p.label, "toegelaten", EventAbout::Organisation(organisation_id), format!("{name}: {reason}"))).await?;
        store::touch(&mut tx, id, now).await?;
        self.audit(&mut tx, ctx, "casus-deelnemer-toegelaten", &case_obj(id), Outcome::Ok, &format!("organisatie {organisation_id}")).await?;
        commit(tx).await
    }

    /// Removes a participant, with a reason; its access ends at once.
    pub async fn remove_participant(&self, ctx: &Ctx, id: i64, organisation_id: i64, reason: &str) -> Result<(), AppError> {
        let (mut tx, p, _, _, _) = self.open_for(ctx, id, CaseAction::ManageParticipants).await?;
        let mut invalid = Invalid::default();
        let reason = text(&mut invalid, "reden", reason, Some("Geef de reden waarom de partner niet meer deelneemt."), 2000);
        invalid.into_result()?;
        let now = self.now();
        if !store::remove_participant(&mut tx, id, organisation_id, &reason, now).await? {
            return Err(AppError::Conflict("Deze organisatie neemt niet (meer) deel aan de casus.".into()));
        }
        // Releases follow admission: they end with it, and a re-admission starts without them.
        let withdrawal = format!("deelname beëindigd: {reason}");
        let withdrawn = store::withdraw_all_to(&mut tx, id, organisation_id, &p.label, &withdrawal, now).await?;
        for item_id in &withdrawn {
            store::add_event(
                &mut tx,
                id,
                &CaseEvent::new(
                    now,
                    &p.label,
                    "ingetrokken",
                    EventAbout::Item { item_id: *item_id, recipient: organisation_id },
                    "vrijgave ingetrokken omdat de organisatie niet meer deelneemt",
                ),
            )
            .await?;
        }
        store::add_event(&mut tx, id, &CaseEvent::new(now, &p.label, "verwijderd", EventAbout::Organisation(organisation_id), reason)).await?;
        let detail = format!("organisatie {organisation_id}, {} vrijgave(n) ingetrokken", withdrawn.len());
        self.audit(&mut tx, ctx, "casus-deelnemer-verwijderd", &case_obj(id), Outcome::Ok, &detail).await?;
        commit(tx).await
    }

    /// Puts a RIEC staff member of the case's region on its team in a team role.
    pub async fn assign_team_member(&self, ctx: &Ctx, id: i64, username: &str, role: &str) -> Result<(), AppError> {
        let (mut tx, p, row, _, _) = self.open_for(ctx, id, CaseAction::ManageParticipants).await?;
        let mut invalid = Invalid::default();
        let role = invalid.check("teamrol", TeamRole::parse(role));
        let user = knooppunt_store::accounts::find_user_by_username(&mut tx, username.trim()).await?;
        let eligible = match &user {
            Some(u) => {
                let grants: Vec<knooppunt_policy::RoleGrant> = knooppunt_store::accounts::roles_of(&mut tx, u.id)
                    .await?
                    .iter()
                    .filter_map(|g| Role::parse(&g.role).ok().map(|role| knooppunt_policy::RoleGrant { role, region_id: g.region_id }))
                    .collect();
                knooppunt_policy::cases::may_join_team(&grants, row.region_id)
            }
            None => false,
        };
        if !eligible {
            invalid.push("gebruiker", "Kies een medewerker van het RIEC-bureau van deze regio.");
        }
        invalid.into_result()?;
        let (Some(u), Some(role)) = (user, role) else {
            return Err(AppError::Internal("checked above".into()));
        };
        if !store::add_team_member(&mut tx, id, u.id, role.code()).await? {
            return Err(AppError::Conflict("Deze medewerker heeft deze rol al in het casusteam.".into()));
        }
        store::add_event(&mut tx, id, &CaseEvent::new(self.now(), &p.label, "team", EventAbout::Case, format!("{} als {}", u.display_name, role.label().to_lowercase()))).await?;
        self.audit(&mut tx, ctx, "casusteam-gewijzigd", &case_obj(id), Outcome::Ok, &format!("gebruiker {}: {}", u.id, role.label())).await?;
        commit(tx).await
    }

    /// Adds a subject. When the case already holds one with the same identifier or name, the
    /// caller gets the existing ones back unless `even_if_duplicate`.
    pub async fn add_subject(&self, ctx: &Ctx, id: i64, input: &SubjectInput, even_if_duplicate: bool) -> Result<SubjectAdded, AppError> {
        let (mut tx, p, _, _, g) = self.open_for(ctx, id, CaseAction::AddSubject).await?;
        let subject = Subject::parse(input)?;
        let identifier = subject.identifier().unwrap_or_default();
        let key = subject.name_key();
        let existing = store::similar_in_case(&mut tx, &g, &identifier, &key, subject.kind.code()).await?;
        if !existing.is_empty() && !even_if_duplicate {
            self.record_personal_read(&mut tx, ctx, "casusdossier-inzien", "betrokkene-dubbel-getoond", &case_obj(id), &subjects_of(&existing)).await?;
            commit(tx).await?;
            return Ok(SubjectAdded::PossibleDuplicate(existing));
        }
        let row = SubjectRow {
            case_id: id,
            kind: subject.kind.code().into(),
            display_name: subject.display_name.clone(),
            sort_key: subject.sort_key.clone(),
            identifier,
            fields: subject.fields.clone(),
            ..SubjectRow::default()
        };
        let now = self.now();
        let sid = store::insert_subject(&mut tx, &row, &key, &subject.address_key(), p.organisation_id, now).await?;
        // Cross-region detection picks it up within seconds (background matcher).
        knooppunt_store::treffers::enqueue(&mut tx, sid, now).await?;
        store::touch(&mut tx, id, now).await?;
        self.audit(&mut tx, ctx, "betrokkene-toegevoegd", &Object::new("betrokkene", sid), Outcome::Ok, &format!("casus {id}, {}", subject.kind.label())).await?;
        commit(tx).await?;
        Ok(SubjectAdded::Added(sid))
    }

    /// Adds a typed, dated relation between two subjects of the case.
    pub async fn add_relation(&self, ctx: &Ctx, id: i64, r: &RelationInput) -> Result<i64, AppError> {
        let (from, to, kind, valid_from, valid_to) = (r.from, r.to, r.kind.as_str(), r.valid_from.as_str(), r.valid_to.as_str());
        let (mut tx, _, _, _, g) = self.open_for(ctx, id, CaseAction::AddSubject).await?;
        let mut invalid = Invalid::default();
        let kind = invalid.check("soort", RelationKind::parse(kind));
        let subjects = store::subjects(&mut tx, &g).await?;
        for (field, sid) in [("van", from), ("naar", to)] {
            if !subjects.iter().any(|s| s.id == sid) {
                invalid.push(field, "Kies een betrokkene van deze casus.");
            }
        }
        if from == to {
            invalid.push("naar", "Een relatie verbindt twee verschillende betrokkenen.");
        }
        let vf = if valid_from.trim().is_empty() { String::new() } else { invalid.check("vanaf", parse_date(valid_from)).unwrap_or_default() };
        let vt = if valid_to.trim().is_empty() { String::new() } else { invalid.check("tot", parse_date(valid_to)).unwrap_or_default() };
        if !vf.is_empty() && !vt.is_empty() && vt < vf {
            invalid.push("tot", "De einddatum ligt voor de begindatum.");
        }
        invalid.into_result()?;
        let Some(kind) = kind else {
            return Err(AppError::Internal("checked above".into()));
        };
        let now = self.now();
        let rid =
            store::insert_relation(&mut tx, id, &RelationRow { id: 0, from_subject_id: from, to_subject_id: to, kind: kind.code().into(), valid_from: vf, valid_to: vt }, now)
                .await?;
        store::touch(&mut tx, id, now).await?;
        self.audit(&mut tx, ctx, "relatie-toegevoegd", &case_obj(id), Outcome::Ok, &format!("relatie {rid}")).await?;
        commit(tx).await?;
        Ok(rid)
    }

    async fn validate_item(&self, tx: &mut Tx, input: &ItemInput) -> Result<(i64, i64, NewItem), AppError> {
        let mut invalid = Invalid::default();
        let title = text(&mut invalid, "titel", &input.title, Some("Geef de bijdrage een titel."), 200);
        let body = text(&mut invalid, "inhoud", &input.body, Some("Vul de inhoud van de bijdrage in."), 50_000);
        let bases = store::legal_bases(tx).await?;
        let purposes = store::purposes(tx).await?;
        let basis = bases.iter().find(|b| b.code == input.legal_basis.trim()).map(|b| b.id);
        if basis.is_none() {
            invalid.push("grondslag", "Kies de grondslag waarop u deze informatie verstrekt.");
        }
        let purpose = purposes.iter().find(|b| b.code == input.purpose.trim()).map(|b| b.id);
        if purpose.is_none() {
            invalid.push("doel", "Kies het doel waarvoor de informatie wordt gedeeld.");
        }
        let info_date = if input.info_date.trim().is_empty() { iso_day(self.now()) } else { invalid.check("datum", parse_date(&input.info_date)).unwrap_or_default() };
        let reliability = invalid.check("betrouwbaarheid", Reliability::parse(&input.reliability)).map(|r| r.code().to_string()).unwrap_or_default();
        let classification = invalid.check("rubricering", Classification::parse(&input.classification)).map(|r| r.code().to_string()).unwrap_or_default();
        let sharing = text(&mut invalid, "voorwaarden", &input.sharing_conditions, None, 2000);
        invalid.into_result()?;
        let (Some(b), Some(pu)) = (basis, purpose) else {
            return Err(AppError::Internal("checked above".into()));
        };
        Ok((
            b,
            pu,
            NewItem {
                case_id: 0,
                supplier_organisation_id: 0,
                legal_basis_id: b,
                purpose_id: pu,
                title,
                body,
                info_date,
                reliability,
                classification,
                sharing_conditions: sharing,
                request_id: None,
                created_by: String::new(),
            },
        ))
    }

    /// Adds an information item supplied by the principal's organisation. Its audience is the
    /// case team and the supplier until the supplier releases it.
    pub async fn add_item(&self, ctx: &Ctx, id: i64, input: &ItemInput) -> Result<i64, AppError> {
        let (mut tx, p, _, _, _) = self.open_for(ctx, id, CaseAction::AddItem).await?;
        let org = p.organisation_id.ok_or(AppError::Forbidden("alleen namens een organisatie"))?;
        let (_, _, mut item) = self.validate_item(&mut tx, input).await?;
        item.case_id = id;
        item.supplier_organisation_id = org;
        item.created_by = p.label.clone();
        let now = self.now();
        let iid = store::insert_item(&mut tx, &item, now).await?;
        store::touch(&mut tx, id, now).await?;
        self.audit(&mut tx, ctx, "informatiebijdrage-toegevoegd", &Object::new("informatiebijdrage", iid), Outcome::Ok, &format!("casus {id}")).await?;
        commit(tx).await?;
        Ok(iid)
    }

    /// Opens an item the principal may see within a case it may see; `NotFound` otherwise.
    async fn open_item(&self, ctx: &Ctx, case_id: i64, item_id: i64) -> Result<OpenItem, AppError> {
        let p = ctx.principal()?.clone();
        let opened = self.open_case(ctx, &p, case_id).await?;
        self.open_item_in(opened, ctx, p, item_id).await
    }

    /// [`Self::open_item`] in a read-only transaction, for use cases that only read.
    async fn open_item_to_read(&self, ctx: &Ctx, case_id: i64, item_id: i64) -> Result<OpenItem, AppError> {
        let p = ctx.principal()?.clone();
        let opened = self.open_case_to_read(ctx, &p, case_id).await?;
        self.open_item_in(opened, ctx, p, item_id).await
    }

    async fn open_item_in(&self, opened: (Tx, CaseRow, CaseFacts, CaseGrant), ctx: &Ctx, p: Principal, item_id: i64) -> Result<OpenItem, AppError> {
        let (mut tx, row, facts, g) = opened;
        if let Some((item, released_to)) = store::find_item(&mut tx, &g, item_id).await? {
            let f = ItemFacts { supplier_id: item.supplier_organisation_id, released_to };
            if let Some(ig) = grant_item(&p, &g, item_id, &f) {
                return Ok(OpenItem { tx, p, row, facts, g, item, f, ig });
            }
        }
        Err(self.refuse(Some(tx), ctx, &Object::new("informatiebijdrage", item_id), "bijdrage niet vrijgegeven", AppError::NotFound("informatiebijdrage")).await)
    }

    /// One information item with its releases; the read is audited.
    pub async fn item(&self, ctx: &Ctx, case_id: i64, item_id: i64) -> Result<ItemDetail, AppError> {
        let OpenItem { mut tx, p, row, facts, g, item, f, ig } = self.open_item_to_read(ctx, case_id, item_id).await?;
        let finished = facts.phase.is_finished();
        let can_release = decide_item(&p, g.access(), ItemAction::Release, &f).allowed && !finished;
        let is_supplier = decide_item(&p, g.access(), ItemAction::Edit, &f).allowed;
        let can_edit = is_supplier && !finished;
        let releases = store::releases(&mut tx, &ig).await?;
        let candidates = if can_release {
            store::participants(&mut tx, &g).await?.into_iter().filter(|x| x.removed_at.is_none() && may_receive_release(x.organisation_id, &f)).collect()
        } else {
            Vec::new()
        };
        let attachments = store::item_attachments(&mut tx, &ig).await?;
        let subjects = store::subjects(&mut tx, &g).await?;
        commit(tx).await?;
        self.log_personal_read(ctx, "casusdossier-inzien", "informatiebijdrage-bekeken", &Object::new("informatiebijdrage", item_id), &subjects_of(&subjects)).await?;
        Ok(ItemDetail { case: row, item, releases, attachments, can_release, can_edit, is_supplier, candidates })
    }

    /// Opens an item for a change by its supplier while the case runs.
    async fn open_item_for_edit(&self, ctx: &Ctx, case_id: i64, item_id: i64) -> Result<(Tx, Principal, ItemGrant), AppError> {
        let OpenItem { tx, p, facts, g, f, ig, .. } = self.open_item(ctx, case_id, item_id).await?;
        let d = decide_item(&p, g.access(), ItemAction::Edit, &f);
        if !d.allowed {
            return Err(self.case_refusal(Some(tx), ctx, case_id, d.reason).await);
        }
        if facts.phase.is_finished() {
            return Err(AppError::Conflict("De casus is afgesloten; bijdragen liggen vast.".into()));
        }
        Ok((tx, p, ig))
    }

    /// Changes an item (supplier only) if nobody changed it since `version`.
    pub async fn update_item(&self, ctx: &Ctx, case_id: i64, item_id: i64, input: &ItemInput, version: i64) -> Result<(), AppError> {
        let (mut tx, _, _) = self.open_item_for_edit(ctx, case_id, item_id).await?;
        let (_, _, new) = self.validate_item(&mut tx, input).await?;
        if !store::update_item(&mut tx, item_id, &new, version, self.now()).await? {
            return Err(AppError::Conflict(STALE.into()));
        }
        self.audit(&mut tx, ctx, "informatiebijdrage-gewijzigd", &Object::new("informatiebijdrage", item_id), Outcome::Ok, &format!("casus {case_id}")).await?;
        commit(tx).await
    }

    /// Releases an item to an admitted participant (the supplier, or the case team recording
    /// the supplier's consent), or withdraws that release.
    pub async fn set_release(&self, ctx: &Ctx, case_id: i64, item_id: i64, organisation_id: i64, released: bool) -> Result<(), AppError> {
        let OpenItem { mut tx, p, facts, g, item, f, .. } = self.open_item(ctx, case_id, item_id).await?;
        let d = decide_item(&p, g.access(), ItemAction::Release, &f);
        if !d.allowed {
            return Err(self.case_refusal(Some(tx), ctx, case_id, d.reason).await);
        }
        if facts.phase.is_finished() {
            return Err(AppError::Conflict("De casus is afgesloten; vrijgaven liggen vast.".into()));
        }
        let basis = if decide_item(&p, g.access(), ItemAction::Edit, &f).allowed { "leverancier" } else { "toestemming-leverancier" };
        let now = self.now();
        if released {
            if !facts.participants.contains(&organisation_id) || !may_receive_release(organisation_id, &f) {
                return Err(Invalid::one("organisatie", "Geef alleen vrij aan een andere organisatie die aan de casus deelneemt.").into());
            }
            if !store::release(&mut tx, item_id, organisation_id, &p.label, basis, now).await? {
                return Err(AppError::Conflict("De bijdrage is al aan deze organisatie vrijgegeven.".into()));
            }
        } else if !store::withdraw(&mut tx, item_id, organisation_id, &p.label, now).await? {
            return Err(AppError::Conflict("Er is geen vrijgave aan deze organisatie om in te trekken.".into()));
        }
        let recipient = network::find_organisation(&mut tx, organisation_id).await?.map(|o| o.name).unwrap_or_default();
        let by = if basis == "leverancier" { "door de leverancier" } else { "met toestemming van de leverancier" };
        // The line names no content: a recipient keeps seeing it after the release ends.
        let (action, kind, note) = if released {
            ("informatiebijdrage-vrijgegeven", "vrijgegeven", format!("bijdrage van {} vrijgegeven aan {recipient}, {by}", item.supplier_name))
        } else {
            ("informatiebijdrage-ingetrokken", "ingetrokken", format!("vrijgave van een bijdrage van {} aan {recipient} ingetrokken, {by}", item.supplier_name))
        };
        store::add_event(&mut tx, case_id, &CaseEvent::new(now, &p.label, kind, EventAbout::Item { item_id, recipient: organisation_id }, note)).await?;
        self.audit(&mut tx, ctx, action, &Object::new("informatiebijdrage", item_id), Outcome::Ok, &format!("organisatie {organisation_id}, {basis}")).await?;
        commit(tx).await
    }

    /// Adds an attachment to an item (supplier only): type from the content, size limit, SHA-256.
    pub async fn add_item_attachment(&self, ctx: &Ctx, case_id: i64, item_id: i64, file_name: &str, data: &[u8]) -> Result<i64, AppError> {
        let (mut tx, p, _) = self.open_item_for_edit(ctx, case_id, item_id).await?;
        let kind = knooppunt_domain::attachment::check_attachment(file_name, data).map_err(|m| Invalid::one("bestand", m))?;
        use sha2::Digest;
        let meta = ItemAttachment {
            id: 0,
            file_name: file_name.trim().to_string(),
            content_type: kind.content_type().to_string(),
            size: i64::try_from(data.len()).unwrap_or(i64::MAX),
            sha256: hex::encode(sha2::Sha256::digest(data)),
            uploaded_by: p.label.clone(),
            at: self.now(),
        };
        let aid = store::add_item_attachment(&mut tx, item_id, &meta, data).await?;
        self.audit(&mut tx, ctx, "bijlage-toegevoegd", &Object::new("informatiebijdrage", item_id), Outcome::Ok, &format!("bijlage {aid}, sha256 {}", meta.sha256)).await?;
        commit(tx).await?;
        Ok(aid)
    }

    /// An attachment of an item the principal may see; audited as a disclosure.
    pub async fn item_attachment(&self, ctx: &Ctx, case_id: i64, item_id: i64, attachment_id: i64) -> Result<(ItemAttachment, Vec<u8>), AppError> {
        let OpenItem { mut tx, g, ig, .. } = self.open_item_to_read(ctx, case_id, item_id).await?;
        let Some(found) = store::item_attachment_data(&mut tx, &ig, attachment_id).await? else {
            return Err(self.refuse(Some(tx), ctx, &Object::new("informatiebijdrage", item_id), "bijlage bestaat niet bij deze bijdrage", AppError::NotFound("bijlage")).await);
        };
        let subjects = store::subjects(&mut tx, &g).await?;
        commit(tx).await?;
        self.log_personal_read(ctx, "casusdossier-inzien", "bijlage-gedownload", &Object::new("informatiebijdrage", item_id), &subjects_of(&subjects)).await?;
        Ok(found)
    }

    /// Sends an information request to admitted participants.
    pub async fn create_request(&self, ctx: &Ctx, id: i64, questions: &str, deadline: &str, recipients: &[i64]) -> Result<i64, AppError> {
        let (mut tx, p, _, facts, _) = self.open_for(ctx, id, CaseAction::Request).await?;
        let mut invalid = Invalid::default();
        let questions = text(&mut invalid, "vragen", questions, Some("Stel de vragen aan de partners."), 20_000);
        let deadline = if deadline.trim().is_empty() {
            invalid.push("termijn", "Geef de termijn waarbinnen u antwoord verwacht.");
            String::new()
        } else {
            invalid.check("termijn", parse_date(deadline)).unwrap_or_default()
        };
        if !deadline.is_empty() && deadline < iso_day(self.now()) {
            invalid.push("termijn", "De termijn ligt in het verleden.");
        }
        let mut orgs: Vec<i64> = recipients.to_vec();
        orgs.sort_unstable();
        orgs.dedup();
        if orgs.is_empty() {
            invalid.push("partners", "Kies ten minste één deelnemende partner.");
        }
        if orgs.iter().any(|o| !facts.participants.contains(o)) {
            invalid.push("partners", "Een uitvraag gaat alleen naar partners die aan de casus deelnemen.");
        }
        invalid.into_result()?;
        let now = self.now();
        let rid = store::insert_request(&mut tx, id, &questions, &deadline, &p.label, &orgs, now).await?;
        store::add_event(&mut tx, id, &CaseEvent::new(now, &p.label, "uitvraag", EventAbout::Request(rid), format!("uitvraag verstuurd, termijn {deadline}"))).await?;
        store::touch(&mut tx, id, now).await?;
        self.audit(&mut tx, ctx, "uitvraag-verstuurd", &case_obj(id), Outcome::Ok, &format!("uitvraag {rid}")).await?;
        commit(tx).await?;
        Ok(rid)
    }

    /// Answers (the answer becomes an information item of the answering partner) or declines
    /// (with a reason) a request addressed to the principal's organisation.
    pub async fn answer_request(&self, ctx: &Ctx, id: i64, request_id: i64, answer: Option<&ItemInput>, decline_reason: &str) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, _, facts, g) = self.open_case(ctx, &p, id).await?;
        // The recipient line this principal answers for: policy decides whose line it is.
        let request = store::requests(&mut tx, &g).await?.into_iter().find(|r| r.id == request_id);
        let line = request.as_ref().and_then(|r| r.recipients.iter().find(|x| may_answer_request(&p, x.organisation_id).allowed).cloned());
        let Some(line) = line else {
            return Err(self.refuse(Some(tx), ctx, &Object::new("uitvraag", request_id), "uitvraag niet aan uw organisatie gericht", AppError::NotFound("uitvraag")).await);
        };
        let org = line.organisation_id;
        if facts.phase.is_finished() {
            return Err(AppError::Conflict("De casus is afgesloten.".into()));
        }
        if line.status != RecipientStatus::Open.code() {
            return Err(AppError::Conflict("Uw organisatie heeft deze uitvraag al afgehandeld.".into()));
        }
        let now = self.now();
        let (status, item_id, reason) = match answer {
            Some(input) => {
                let (_, _, mut item) = self.validate_item(&mut tx, input).await?;
                item.case_id = id;
                item.supplier_organisation_id = org;
                item.created_by = p.label.clone();
                item.request_id = Some(request_id);
                (RecipientStatus::Answered, Some(store::insert_item(&mut tx, &item, now).await?), String::new())
            }
            None => {
                let mut invalid = Invalid::default();
                let r = text(&mut invalid, "reden", decline_reason, Some("Geef de reden waarom uw organisatie niet antwoordt."), 2000);
                invalid.into_result()?;
                (RecipientStatus::Declined, None, r)
            }
        };
        if !store::settle_request(&mut tx, request_id, org, status.code(), item_id, &reason, now).await? {
            return Err(AppError::Conflict("Uw organisatie heeft deze uitvraag al afgehandeld.".into()));
        }
        store::touch(&mut tx, id, now).await?;
        self.audit(&mut tx, ctx, "uitvraag-afgehandeld", &case_obj(id), Outcome::Ok, &format!("uitvraag {request_id}: {}", status.label())).await?;
        commit(tx).await
    }

    /// Saves a new version of the integrated intervention advice (a draft).
    pub async fn draft_advice(&self, ctx: &Ctx, id: i64, findings: &str, proposals: &str) -> Result<i64, AppError> {
        let (mut tx, p, _, facts, _) = self.open_for(ctx, id, CaseAction::DraftAdvice).await?;
        if facts.phase != CasePhase::Case {
            return Err(AppError::Conflict("Een interventieadvies hoort bij een lopende casus.".into()));
        }
        let mut invalid = Invalid::default();
        let findings = text(&mut invalid, "bevindingen", findings, Some("Vat de bevindingen samen."), 50_000);
        let proposals = text(&mut invalid, "voorstellen", proposals, Some("Stel de interventies per partner voor."), 50_000);
        invalid.into_result()?;
        let now = self.now();
        let n = store::insert_advice(&mut tx, id, &findings, &proposals, &p.label, now).await?;
        store::touch(&mut tx, id, now).await?;
        self.audit(&mut tx, ctx, "advies-opgesteld", &case_obj(id), Outcome::Ok, &format!("versie {n}")).await?;
        commit(tx).await?;
        Ok(n)
    }

    /// Approves the latest draft of the advice (RIEC manager of the region).
    pub async fn approve_advice(&self, ctx: &Ctx, id: i64, number: i64) -> Result<(), AppError> {
        let (mut tx, p, _, _, _) = self.open_for(ctx, id, CaseAction::ApproveAdvice).await?;
        let now = self.now();
        if !store::approve_advice(&mut tx, id, number, &p.label, now).await? {
            return Err(AppError::Conflict("Alleen de nieuwste conceptversie kan worden goedgekeurd.".into()));
        }
        store::add_event(&mut tx, id, &CaseEvent::new(now, &p.label, "advies-goedgekeurd", EventAbout::Case, format!("versie {number}"))).await?;
        self.audit(&mut tx, ctx, "advies-goedgekeurd", &case_obj(id), Outcome::Ok, &format!("versie {number}")).await?;
        commit(tx).await
    }

    /// Proposes an intervention from the catalogue for a participating partner.
    pub async fn propose_intervention(&self, ctx: &Ctx, id: i64, type_code: &str, organisation_id: i64, legal_power: &str, note: &str) -> Result<i64, AppError> {
        let (mut tx, p, _, facts, _) = self.open_for(ctx, id, CaseAction::Coordinate).await?;
        let mut invalid = Invalid::default();
        let types = store::intervention_types(&mut tx).await?;
        let t = types.iter().find(|t| t.code == type_code.trim());
        if t.is_none() {
            invalid.push("soort", "Kies een interventie uit de catalogus.");
        }
        if !facts.participants.contains(&organisation_id) {
            invalid.push("partner", "Kies een partner die aan de casus deelneemt.");
        }
        let legal_power = text(&mut invalid, "bevoegdheid", legal_power, Some("Noem de wettelijke bevoegdheid van de partner."), 500);
        let note = text(&mut invalid, "toelichting", note, None, 5000);
        invalid.into_result()?;
        if facts.phase.is_finished() {
            return Err(AppError::Conflict("De casus is afgesloten.".into()));
        }
        let Some(t) = t else {
            return Err(AppError::Internal("checked above".into()));
        };
        let now = self.now();
        let vid = store::insert_intervention(&mut tx, id, t.id, organisation_id, &legal_power, &note, now).await?;
        store::add_event(&mut tx, id, &CaseEvent::new(now, &p.label, "interventie", EventAbout::Case, format!("{} voorgesteld", t.name))).await?;
        store::touch(&mut tx, id, now).await?;
        self.audit(&mut tx, ctx, "interventie-voorgesteld", &case_obj(id), Outcome::Ok, &format!("interventie {vid}")).await?;
        commit(tx).await?;
        Ok(vid)
    }

    /// Moves an intervention through its lifecycle and records the outcome (the responsible
    /// partner or the case team); an escalation to the stuurgroep needs a reason.
    pub async fn update_intervention(&self, ctx: &Ctx, id: i64, intervention_id: i64, u: &InterventionUpdate, version: i64) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, _, facts, g) = self.open_case(ctx, &p, id).await?;
        let Some(current) = store::interventions(&mut tx, &g).await?.into_iter().find(|v| v.id == intervention_id) else {
            drop(tx);
            return Err(AppError::NotFound("interventie"));
        };
        let d = decide_intervention_update(&p, g.access(), current.organisation_id);
        if !d.allowed {
            return Err(self.case_refusal(Some(tx), ctx, id, d.reason).await);
        }
        if facts.phase.is_finished() {
            return Err(AppError::Conflict("De casus is afgesloten.".into()));
        }
        let mut invalid = Invalid::default();
        let from = InterventionStatus::parse(&current.status).map_err(AppError::Internal)?;
        let to = if u.status.trim().is_empty() { Some(from) } else { invalid.check("status", InterventionStatus::parse(&u.status)) };
        let mut next = current.clone();
        if let Some(to) = to {
            if to != from && !from.can_move_to(to) {
                invalid.push("status", format!("Van '{}' kan niet naar '{}'.", from.label(), to.label()));
            }
            next.status = to.code().into();
            if to == InterventionStatus::Stopped && to != from {
                next.stop_reason = text(&mut invalid, "redenGestopt", &u.stop_reason, Some("Geef de reden waarom de interventie is gestopt."), 2000);
            }
        }
        next.decision = text(&mut invalid, "besluit", &u.decision, None, 2000);
        for (field, raw, slot) in
            [("geind", &u.collected, &mut next.collected_cents), ("verrekend", &u.offset, &mut next.offset_cents), ("beslagen", &u.seized, &mut next.seized_cents)]
        {
            match parse_euro(raw) {
                Ok(v) => *slot = v,
                Err(m) => invalid.push(field, m),
            }
        }
        for (field, raw, slot) in [("besluitdatum", &u.decision_date, &mut next.decision_date), ("einddatum", &u.completed_date, &mut next.completed_date)] {
            *slot = if raw.trim().is_empty() { String::new() } else { invalid.check(field, parse_date(raw)).unwrap_or_default() };
        }
        let escalation = text(&mut invalid, "escalatie", &u.escalation_reason, None, 2000);
        if !escalation.is_empty() && current.escalated_at.is_none() {
            next.escalated_at = Some(self.now());
            next.escalation_reason = escalation;
        }
        invalid.into_result()?;
        let now = self.now();
        if !store::update_intervention(&mut tx, intervention_id, &next, version, now).await? {
            return Err(AppError::Conflict(STALE.into()));
        }
        let mut note = format!("{}: van {} naar {}", current.type_name, current.status, next.status);
        if next.escalated_at != current.escalated_at {
            note.push_str(&format!("; geëscaleerd naar de stuurgroep: {}", next.escalation_reason));
        }
        store::add_event(&mut tx, id, &CaseEvent::new(now, &p.label, "interventie", EventAbout::Case, note)).await?;
        store::touch(&mut tx, id, now).await?;
        self.audit(&mut tx, ctx, "interventie-bijgewerkt", &case_obj(id), Outcome::Ok, &format!("interventie {intervention_id}: {}", next.status)).await?;
        commit(tx).await
    }

    /// Records a case meeting (integraal overleg) with its decisions, linked to interventions.
    pub async fn record_meeting(&self, ctx: &Ctx, id: i64, m: &MeetingInput) -> Result<i64, AppError> {
        let (mut tx, p, _, _, g) = self.open_for(ctx, id, CaseAction::Coordinate).await?;
        let mut invalid = Invalid::default();
        let held_on = if m.held_on.trim().is_empty() { iso_day(self.now()) } else { invalid.check("datum", parse_date(&m.held_on)).unwrap_or_default() };
        let attendees = text(&mut invalid, "aanwezigen", &m.attendees, Some("Noem de aanwezigen."), 5000);
        let agenda = text(&mut invalid, "agenda", &m.agenda, Some("Vul de agenda in."), 10_000);
        let decisions = text(&mut invalid, "besluiten", &m.decisions, Some("Leg de besluiten vast."), 20_000);
        let known: Vec<i64> = store::interventions(&mut tx, &g).await?.iter().map(|v| v.id).collect();
        if m.interventions.iter().any(|v| !known.contains(v)) {
            invalid.push("interventies", "Koppel alleen interventies van deze casus.");
        }
        invalid.into_result()?;
        let now = self.now();
        let mid =
            store::insert_meeting(&mut tx, id, &MeetingRow { id: 0, held_on, attendees, agenda, decisions, intervention_ids: m.interventions.clone() }, &p.label, now).await?;
        store::touch(&mut tx, id, now).await?;
        self.audit(&mut tx, ctx, "overleg-vastgelegd", &case_obj(id), Outcome::Ok, &format!("overleg {mid}")).await?;
        commit(tx).await?;
        Ok(mid)
    }

    /// Subjects in the cases the principal may see, by name (prefix, voorvoegsel ignored) or by
    /// exact identifier (BSN, KvK, RSIN, IBAN, kenteken, BAG id), at most [`SEARCH_LIMIT`]:
    /// data minimisation — a user who needs more refines the query. Every hit's read is logged.
    pub async fn search_subjects(&self, ctx: &Ctx, query: &str) -> Result<SubjectSearch, AppError> {
        let p = ctx.principal()?.clone();
        let q = query.trim();
        if q.chars().count() < 2 {
            return Err(Invalid::one("zoekterm", "Geef ten minste twee tekens.").into());
        }
        if q.chars().count() > 200 {
            return Err(Invalid::one("zoekterm", "Een zoekterm heeft hoogstens 200 tekens.").into());
        }
        // An identifier is never a name: search it exactly. Otherwise a name in natural order
        // ("Jan van der Berg") searches the surname, as the sort key starts with it.
        let identifier = identifier_key(q);
        // The whole name as typed (a company: "Autohandel de Kempen"), and for a person's name
        // in natural order the surname it starts the sort key with ("van der Berg" → "berg").
        // A postcode ("5611 AB") also reads as a licence plate (56-11-AB): search both.
        let spelled = postcode_first(&fold_key(q));
        let folded = if identifier.is_empty() || starts_with_postcode(&spelled) { spelled } else { String::new() };
        let name = strip_prefixes(&folded);
        if identifier.is_empty() && name.chars().count() < 2 {
            return Err(Invalid::one("zoekterm", "Geef ten minste twee letters of cijfers.").into());
        }
        let mut tx = self.begin_read().await?;
        // A street ("Dorpsstraat 12", "Hoofdstraat") is also looked up among addresses.
        let address = if identifier.is_empty() && reads_as_street(&folded) { knooppunt_domain::case::address_key(&folded) } else { String::new() };
        let terms = store::SearchTerms { name_prefixes: &[folded.as_str(), if name == folded { "" } else { name.as_str() }], identifier: &identifier, address_prefix: &address };
        let mut hits = store::search_subjects(&mut tx, &case_scope(&p), &terms, SEARCH_LIMIT + 1).await?;
        let more = hits.len() as i64 > SEARCH_LIMIT;
        hits.truncate(SEARCH_LIMIT as usize);
        let subjects: Vec<DataSubject> = hits.iter().map(|h| DataSubject { kind: "betrokkene", id: h.subject.id.to_string() }).collect();
        commit(tx).await?;
        self.log_personal_read(ctx, "casusdossier-zoeken", "betrokkenen-gezocht", &Object::new("betrokkene", "*"), &subjects).await?;
        Ok(SubjectSearch { hits, more })
    }

    /// Adds or changes a legal basis (with the partner type it belongs to, or none) or a purpose
    /// of the configurable reference lists (LIEC coordinator or administrator).
    pub async fn save_case_reference(&self, ctx: &Ctx, legal_basis: bool, code: &str, name: &str, partner_type: &str) -> Result<(), AppError> {
        self.authorize(ctx, Action::ManageCaseReference, &Object::new("referentielijst", code.trim())).await?;
        let mut invalid = Invalid::default();
        let code = code.trim().to_lowercase();
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') || code.len() > 50 {
            invalid.push("code", "Gebruik kleine letters, cijfers en streepjes (hoogstens 50).");
        }
        let name = text(&mut invalid, "naam", name, Some("Geef de naam."), 300);
        let partner_type = partner_type.trim();
        if legal_basis && !partner_type.is_empty() && knooppunt_domain::PartnerType::parse(partner_type).is_err() {
            invalid.push("partnertype", format!("Onbekend partnertype '{partner_type}'."));
        }
        invalid.into_result()?;
        let table = if legal_basis { store::RefTable::LegalBases } else { store::RefTable::Purposes };
        let mut tx = self.begin().await?;
        store::save_reference(&mut tx, table, &code, &name, partner_type).await?;
        self.audit(&mut tx, ctx, "referentielijst-gewijzigd", &Object::new(if legal_basis { "grondslag" } else { "doel" }, &code), Outcome::Ok, &name).await?;
        commit(tx).await
    }

    /// Adds or changes an intervention type in the catalogue (LIEC).
    pub async fn save_intervention_type(&self, ctx: &Ctx, code: &str, name: &str, category: &str, carried_by: &str) -> Result<(), AppError> {
        self.authorize(ctx, Action::ManageInterventionCatalogue, &Object::new("interventietype", code.trim())).await?;
        let mut invalid = Invalid::default();
        let code = code.trim().to_lowercase();
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') || code.len() > 50 {
            invalid.push("code", "Gebruik kleine letters, cijfers en streepjes (hoogstens 50).");
        }
        let name = text(&mut invalid, "naam", name, Some("Geef de naam van de interventie."), 300);
        let category = text(&mut invalid, "categorie", category, Some("Geef de categorie, bijvoorbeeld bestuurlijk."), 100);
        let by = text(&mut invalid, "uitvoerder", carried_by, Some("Noem wie de interventie uitvoert."), 200);
        invalid.into_result()?;
        let mut tx = self.begin().await?;
        store::save_intervention_type(&mut tx, &code, &name, &category, &by, true).await?;
        self.audit(&mut tx, ctx, "interventiecatalogus-gewijzigd", &Object::new("interventietype", &code), Outcome::Ok, &name).await?;
        commit(tx).await
    }
}

/// The identifier form a query may have: `bsn:…`, `kvk:…`, `iban:…`, `kenteken:…`, `bag:…`.
fn identifier_key(q: &str) -> String {
    use knooppunt_domain::{BagId, Bsn, Iban, KvkNumber, LicencePlate};
    if let Ok(b) = Bsn::parse(q) {
        return format!("bsn:{}", b.as_str());
    }
    if let Ok(k) = KvkNumber::parse(q) {
        return format!("kvk:{}", k.as_str());
    }
    if let Ok(i) = Iban::parse(q) {
        return format!("iban:{}", i.as_str());
    }
    if let Ok(b) = BagId::parse(q) {
        return format!("bag:{}", b.as_str());
    }
    if let Ok(k) = LicencePlate::parse(q) {
        return format!("kenteken:{}", k.as_str());
    }
    String::new()
}

/// An address is keyed by postcode and house number as `5611 ab 12`; a query that starts with a
/// postcode written without its space (`5611ab 12`) is written the same way.
fn postcode_first(folded: &str) -> String {
    let (first, rest) = folded.split_once(' ').unwrap_or((folded, ""));
    let b = first.as_bytes();
    if b.len() == 6 && b[..4].iter().all(u8::is_ascii_digit) && b[4..].iter().all(u8::is_ascii_lowercase) {
        let spaced = format!("{} {}", &first[..4], &first[4..]);
        return if rest.is_empty() { spaced } else { format!("{spaced} {rest}") };
    }
    folded.to_string()
}

/// Endings of Dutch street names ("Stationsweg", "Oude Gracht"): a query with a word that ends
/// so, or a word followed by a house number, may be an address.
const STREET_ENDINGS: [&str; 22] = [
    "straat",
    "weg",
    "laan",
    "plein",
    "kade",
    "dijk",
    "singel",
    "gracht",
    "dreef",
    "steeg",
    "pad",
    "hof",
    "markt",
    "wal",
    "baan",
    "park",
    "plantsoen",
    "boulevard",
    "erf",
    "haven",
    "veld",
    "ring",
];

/// Does a folded query read as an address: a street with a house number ("dorpsstraat 12",
/// "dorpsstraat 12a") or a word with a street name's ending?
fn reads_as_street(folded: &str) -> bool {
    let words: Vec<&str> = folded.split(' ').collect();
    let numbered = words.len() >= 2
        && words.last().is_some_and(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()) && w.chars().filter(|c| c.is_alphabetic()).count() <= 2)
        && words[..words.len() - 1].iter().any(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 3);
    numbered || words.iter().any(|w| STREET_ENDINGS.iter().any(|e| w.ends_with(e) && w.len() > e.len() + 1))
}

fn starts_with_postcode(spelled: &str) -> bool {
    let b = spelled.as_bytes();
    b.len() >= 7 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b' ' && b[5..7].iter().all(u8::is_ascii_lowercase) && (b.len() == 7 || b[7] == b' ')
}

/// Drops leading given names and voorvoegsels when the query looks like "Jan van der Berg":
/// subjects are keyed by surname first.
fn strip_prefixes(folded: &str) -> String {
    let words: Vec<&str> = folded.split(' ').collect();
    if words.len() < 2 {
        return folded.to_string();
    }
    // "berg jan" (surname first) stays; "jan van der berg" becomes "berg".
    let prefixes = knooppunt_domain::identifiers::VOORVOEGSELS;
    if let Some(pos) = words.iter().position(|w| prefixes.contains(w)) {
        let rest: Vec<&str> = words[pos..].iter().copied().skip_while(|w| prefixes.contains(w)).collect();
        if !rest.is_empty() {
            return rest.join(" ");
        }
    }
    folded.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_are_written_as_addresses_are_keyed() {
        assert_eq!(postcode_first("5611ab 12"), "5611 ab 12");
        assert_eq!(postcode_first("5611ab"), "5611 ab");
        assert_eq!(postcode_first("5611 ab 12"), "5611 ab 12");
        assert_eq!(postcode_first("jan van der berg"), "jan van der berg");
    }

    #[test]
    fn name_queries_find_the_surname() {
        assert_eq!(strip_prefixes("jan van der berg"), "berg");
        assert_eq!(strip_prefixes("berg"), "berg");
        assert_eq!(strip_prefixes("berg jan"), "berg jan");
        assert_eq!(identifier_key("111222333"), "bsn:111222333");
        assert_eq!(identifier_key("Berg"), "");
    }
}
