//! Case files: a signal is weighed and becomes a pre-case or case; the RIEC admits partners,
//! who contribute information items that stay with their supplier until released; the RIEC
//! sends information requests, analyses, advises; partners carry out interventions.
//!
//! Every use case opens the case through [`App::open_case`], which asks policy and answers
//! `NotFound` (with an audited refusal) when the principal may not know the case exists. Reads
//! of personal data record the audit line and the processing log in the reading transaction.

use crate::taxonomy::Axis;
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

mod catalogue;
mod items;
mod participants;
mod search;
mod subjects;
mod work_steps;

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
    /// Codes of the settings it takes place in (buitengebied, havens en logistiek …).
    pub settings: Vec<String>,
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
    /// An unfinished intervention in a case of the user's team that has not changed for
    /// [`STALLED_DAYS`] days (case team only).
    Stalled,
    /// An unfinished intervention escalated to the steering group (case team only).
    Escalated,
    /// An information item the user's organisation supplied and has released to nobody while
    /// another organisation takes part.
    Release,
}

/// After how many days without a change an unfinished intervention counts as stalled.
pub const STALLED_DAYS: i64 = 30;

impl CaseWork {
    pub const ALL: [CaseWork; 6] = [CaseWork::Advice, CaseWork::Requests, CaseWork::Interventions, CaseWork::Stalled, CaseWork::Escalated, CaseWork::Release];

    pub fn code(self) -> &'static str {
        match self {
            CaseWork::Advice => "advies",
            CaseWork::Requests => "uitvraag",
            CaseWork::Interventions => "interventie",
            CaseWork::Stalled => "stilstand",
            CaseWork::Escalated => "escalatie",
            CaseWork::Release => "vrijgeven",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CaseWork::Advice => "Advies wacht op goedkeuring",
            CaseWork::Requests => "Uitvraag aan uw organisatie nog open",
            CaseWork::Interventions => "Interventie van uw organisatie loopt",
            CaseWork::Stalled => "Interventie staat al 30 dagen stil",
            CaseWork::Escalated => "Interventie geëscaleerd naar de stuurgroep",
            CaseWork::Release => "Bijdrage van uw organisatie nog aan niemand vrijgegeven",
        }
    }

    pub fn parse(code: &str) -> Result<Self, String> {
        Self::ALL.into_iter().find(|w| w.code() == code).ok_or_else(|| format!("Onbekend soort werk '{code}'."))
    }

    /// The case filter that selects the cases where this work waits for `p`.
    pub(crate) fn filter(self, p: &Principal, now: i64, f: CaseFilter) -> CaseFilter {
        // An organisation that takes part in no case has no requests or interventions: -1
        // matches nothing.
        let org = || Some(participant_org(p).unwrap_or(-1));
        match self {
            CaseWork::Advice => CaseFilter { advice_waiting: true, ..f },
            CaseWork::Requests => CaseFilter { request_open_for: org(), ..f },
            CaseWork::Interventions => CaseFilter { intervention_open_for: org(), ..f },
            CaseWork::Stalled => CaseFilter { stalled_since: Some(now - STALLED_DAYS * 86_400_000), ..f },
            CaseWork::Escalated => CaseFilter { escalated: true, ..f },
            CaseWork::Release => CaseFilter { release_pending_for: org(), ..f },
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
    /// (code, name) of the settings.
    pub settings: Vec<(String, String)>,
    pub participants: Vec<ParticipantRow>,
    pub team: Vec<TeamRow>,
    pub subjects: Vec<SubjectRow>,
    pub relations: Vec<RelationRow>,
    pub items: Vec<ItemSummary>,
    pub requests: Vec<RequestRow>,
    pub advice: Vec<AdviceRow>,
    pub interventions: Vec<InterventionRow>,
    /// The barriers of the published barrier models the principal reads: what a proposed
    /// intervention may name, and the labels of the barriers the interventions name.
    pub barriers: Vec<knooppunt_store::barriers::BarrierChoice>,
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
    /// The supplier may withdraw it (not yet withdrawn).
    pub can_withdraw: bool,
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

/// An intervention the case team proposes: a type code from the catalogue, the participating
/// partner that carries it out, its legal power, a note, and optionally the barrier (of a
/// published barrier model) it raises.
#[derive(Debug, Clone, Default)]
pub struct InterventionProposal {
    pub kind: String,
    pub organisation_id: i64,
    pub legal_power: String,
    pub note: String,
    pub barrier: Option<i64>,
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
    /// The phenomena and settings that apply today.
    pub phenomena: Vec<Named>,
    pub settings: Vec<Named>,
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

/// The day of `ms` as the case rules count it (`YYYY-MM-DD`): the work list's overdue requests,
/// the demo's dates.
pub fn today(ms: i64) -> String {
    iso_day(ms)
}

/// `YYYY-MM-DD` of a timestamp (UTC).
fn iso_day(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

/// An optional date field as typed (`dd-mm-jjjj` or `jjjj-mm-dd`): `None` when empty, and an
/// error on `field` when it is not a date.
pub(crate) fn optional_day(invalid: &mut Invalid, field: &str, raw: &str) -> Option<chrono::NaiveDate> {
    if raw.trim().is_empty() {
        return None;
    }
    invalid.check(field, knooppunt_domain::case::parse_date(raw)).and_then(|d| day_of(&d))
}

/// `jjjj-mm-dd` of a day.
pub(crate) fn iso(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The day of a stored `jjjj-mm-dd`.
pub(crate) fn day_of(raw: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()
}

pub(crate) fn text(invalid: &mut Invalid, field: &str, value: &str, required: Option<&str>, max: usize) -> String {
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
        let today = today(self.now());
        let r = CaseReference {
            phenomena: crate::taxonomy::current(&mut tx, Axis::Phenomenon, &today).await?,
            settings: crate::taxonomy::current(&mut tx, Axis::Setting, &today).await?,
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
        let today = today(self.now());
        let phenomena = crate::taxonomy::resolve(&mut tx, Axis::Phenomenon, &today, &input.phenomena, "fenomenen", &mut invalid).await?;
        let settings = crate::taxonomy::resolve(&mut tx, Axis::Setting, &today, &input.settings, "omgevingen", &mut invalid).await?;
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
        knooppunt_store::taxonomy::set_case_settings(&mut tx, id, &settings).await?;
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
            Some(w) => w.filter(&p, self.now(), filter),
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
        // The barriers are read only when the page offers them or an intervention names one.
        let barriers = if can.coordinate || interventions.iter().any(|v| v.barrier_id.is_some()) {
            knooppunt_store::barriers::choices(tx, &knooppunt_policy::knowledge::knowledge_scope(Some(p))).await?
        } else {
            Vec::new()
        };
        let participants = store::participants(tx, g).await?;
        Ok(CaseDetail {
            linked: knooppunt_store::treffers::linked_cases(tx, g).await?,
            phenomena: store::case_phenomena(tx, g).await?,
            settings: knooppunt_store::taxonomy::case_settings(tx, g).await?,
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
            barriers,
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
}
