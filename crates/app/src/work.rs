//! "Mijn werk": what waits for the signed-in user, counted within the cases it may see (the same
//! scope as the case list), each with the list where the work is done.

use crate::cases::CaseWork;
use crate::{commit, App, AppError, Ctx, Object};
use knooppunt_domain::case::CasePhase;
use knooppunt_domain::case::InterventionStatus;
use knooppunt_domain::policy_signal::SignalState;
use knooppunt_policy::approaches::{deciding_regions, may_manage, scope as approach_scope};
use knooppunt_policy::cases::{approval_regions, case_scope, legal_review_regions, team_regions};
use knooppunt_policy::notifications::escalation_scope;
use knooppunt_policy::retention::{retention_scope, RetentionScope};
use knooppunt_policy::treffers::{overview, scope as treffer_scope};
use knooppunt_policy::{decide, Action};
use knooppunt_store::cases::{self as store, CaseFilter};
use knooppunt_store::network;

/// One line of the work list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkItem {
    pub kind: WorkKind,
    pub count: i64,
    /// The region it is about (signals to weigh are per region of the user's team roles).
    pub region: Option<(String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkKind {
    /// Signals of a region whose team the user is on, waiting to be weighed.
    SignalsToWeigh,
    /// Cases with an information request past its deadline.
    OverdueRequests,
    /// Cases on whose team the user has a role.
    OwnCases,
    /// Cases the user's organisation takes part in (a partner's view).
    FollowedCases,
    /// Cases of a region where the user approves advice, with advice waiting for approval.
    AdviceToApprove,
    /// Cases with an information request to the user's organisation, not answered yet.
    RequestsToAnswer,
    /// Cases where the user's organisation carries out an intervention not yet finished.
    InterventionsToReport,
    /// Cases in which the organisation supplied an item it has released to nobody yet.
    ItemsToRelease,
    /// Hits with a side in the user's team regions that nobody has assessed yet.
    HitsToAssess,
    /// Cases of the user's regions that a national approach asked to join, not decided yet.
    ApproachRequests,
    /// Hits between regions that no case team has assessed yet, nationally (the LIEC).
    HitsNationally,
    /// Open actions of the national approaches the LIEC runs.
    ApproachActions,
    /// Unfinished interventions escalated to the user's steering group.
    Escalations,
    /// Cases of the user's team with an unfinished intervention that has not changed for 30 days.
    Stalled,
    /// Draft advice in a region where the user is the RIEC's legal adviser.
    AdviceToReview,
    /// Knowledge items offered for review by somebody else (the knowledge editors).
    KnowledgeToReview,
    /// The editor's own concepts, returned by another editor to be completed.
    KnowledgeReturned,
    /// Refused access in the last seven days (the auditor).
    AccessRefusals,
    /// Case files printed or exported in the last seven days, from the audit log (the auditor).
    CaseExports,
    /// Case files printed or exported in the last seven days, from the processing log (the
    /// privacy officer).
    ExportProcessing,
    /// Cases of a region the user approves advice in, with an unfinished intervention escalated
    /// to the steering group (the RIEC manager follows escalations up).
    EscalatedCases,
    /// API tokens in use that expire within 30 days (the administrator renews them).
    TokensExpiring,
    /// Open requests of data subjects on which the user's organisation has not yet taken a
    /// position.
    SubjectRequests,
    /// Finished cases whose retention period has passed, not held or extended (the privacy
    /// officer nationally, a RIEC manager in the RIEC's regions).
    RetentionDue,
    /// Open bottlenecks of a steering group the user may open (`region`: the board's code and
    /// name; for the Stuurgroep LIEC also those the regions passed on).
    OpenBottlenecks,
    /// Support requests waiting for the LIEC (the LIEC), of which `SupportOverdue` past their
    /// due date.
    SupportToHandle,
    SupportOverdue,
    /// Support requests of the user's RIEC on which the LIEC asked for information or answered
    /// (to add to, or to close).
    SupportForRegion,
    /// Coming events with people on the waiting list (the organisers: more places, or a
    /// second session).
    EventWaitingLists,
    /// Administrative signals submitted to the desk, not yet taken into assessment (the desk).
    SignalsSubmitted,
    /// Administrative signals the desk is assessing (accept, return or merge).
    SignalsInAssessment,
    /// Signals offered to a minister whose response is past its expected date (the desk).
    SignalResponsesLate,
    /// The organisation's signals the desk returned for completion (the submitters).
    SignalsReturned,
}

/// The days the auditor's and privacy officer's lines look back.
pub const ATTENTION_DAYS: i64 = 7;

impl App {
    /// The work list of "Mijn werk". Case metadata only (no personal data); the read is audited.
    pub async fn work_list(&self, ctx: &Ctx) -> Result<Vec<WorkItem>, AppError> {
        let p = ctx.principal()?.clone();
        let scope = case_scope(&p);
        let now = self.now();
        let count = |f: CaseFilter| CaseFilter { limit: 1, ..f };
        let mut tx = self.begin_read().await?;
        let mut out = Vec::new();
        // The LIEC's national view: hits nobody assessed yet, open actions of its approaches.
        if let Some(g) = overview(&p) {
            let n = knooppunt_store::treffers::count_open_all(&mut tx, &g).await?;
            out.push(WorkItem { kind: WorkKind::HitsNationally, count: n, region: None });
        }
        if may_manage(&p).allowed {
            let n = knooppunt_store::approaches::count_open_actions(&mut tx, &approach_scope(&p)).await?;
            out.push(WorkItem { kind: WorkKind::ApproachActions, count: n, region: None });
        }
        let since = now - ATTENTION_DAYS * 86_400_000;
        if decide(&p, Action::ViewAudit).allowed {
            for (action, kind) in [("toegang-geweigerd", WorkKind::AccessRefusals), ("casus-geexporteerd", WorkKind::CaseExports)] {
                let n = knooppunt_store::audit::count_since(&mut tx, action, since).await?;
                out.push(WorkItem { kind, count: n, region: None });
            }
        } else if decide(&p, Action::ViewProcessingLog).allowed {
            let (_, n) = knooppunt_store::processing::exports_since(&mut tx, since, 0).await?;
            out.push(WorkItem { kind: WorkKind::ExportProcessing, count: n, region: None });
        }
        if knooppunt_policy::knowledge::may_edit(&p).allowed {
            let scope = knooppunt_policy::knowledge::knowledge_scope(Some(&p));
            let n = knooppunt_store::knowledge::count_to_review(&mut tx, &scope, &knooppunt_policy::knowledge::author_key(&p)).await?;
            out.push(WorkItem { kind: WorkKind::KnowledgeToReview, count: n, region: None });
            let n = knooppunt_store::knowledge::count_returned(&mut tx, &scope, &knooppunt_policy::knowledge::author_key(&p)).await?;
            out.push(WorkItem { kind: WorkKind::KnowledgeReturned, count: n, region: None });
        }
        if decide(&p, Action::ManageApiTokens).allowed {
            let n = knooppunt_store::tokens::count_expiring(&mut tx, now, now + 30 * 86_400_000).await?;
            out.push(WorkItem { kind: WorkKind::TokensExpiring, count: n, region: None });
        }
        if let Some(n) = self.count_requests_waiting(&mut tx, &p).await? {
            out.push(WorkItem { kind: WorkKind::SubjectRequests, count: n, region: None });
        }
        if let Some(r) = retention_scope(&p).filter(RetentionScope::decides) {
            let n = self.count_due(&mut tx, &r).await?;
            out.push(WorkItem { kind: WorkKind::RetentionDue, count: n, region: None });
        }
        for board in knooppunt_policy::figures::steering_boards(&p) {
            let Some(grant) = knooppunt_policy::figures::steering_grant(&p, board) else { continue };
            let n = knooppunt_store::steering::count_open_bottlenecks(&mut tx, &grant).await?;
            let named = match grant.region_id() {
                Some(r) => network::find_region(&mut tx, r).await?.map(|r| (r.code, format!("Stuurgroep {}", r.name))),
                None => Some((crate::steering::NATIONAL.to_string(), "Stuurgroep LIEC".to_string())),
            };
            out.push(WorkItem { kind: WorkKind::OpenBottlenecks, count: n, region: named });
        }
        let support = knooppunt_policy::support::scope(&p);
        if !support.is_empty() {
            let (liec, overdue, riec) = knooppunt_store::support::counts(&mut tx, &support, &crate::cases::today(now)).await?;
            if support.all() {
                out.push(WorkItem { kind: WorkKind::SupportToHandle, count: liec, region: None });
                out.push(WorkItem { kind: WorkKind::SupportOverdue, count: overdue, region: None });
            } else {
                out.push(WorkItem { kind: WorkKind::SupportForRegion, count: riec, region: None });
            }
        }
        if knooppunt_policy::events::may_manage(&p).allowed {
            let scope = knooppunt_policy::events::scope(Some(&p));
            let n = knooppunt_store::events::count_with_waiting_list(&mut tx, &scope, &crate::cases::today(now)).await?;
            out.push(WorkItem { kind: WorkKind::EventWaitingLists, count: n, region: None });
        }
        let signals = knooppunt_policy::signals::signal_scope(&p);
        if knooppunt_policy::signals::is_desk(&p) {
            for (state, due, kind) in [
                (SignalState::Submitted, None, WorkKind::SignalsSubmitted),
                (SignalState::InAssessment, None, WorkKind::SignalsInAssessment),
                (SignalState::Offered, Some(now), WorkKind::SignalResponsesLate),
            ] {
                let n = knooppunt_store::policy_signals::count(&mut tx, &signals, state.code(), due).await?;
                out.push(WorkItem { kind, count: n, region: None });
            }
        } else if knooppunt_policy::signals::can_submit(&p) {
            let n = knooppunt_store::policy_signals::count(&mut tx, &signals, SignalState::Returned.code(), None).await?;
            out.push(WorkItem { kind: WorkKind::SignalsReturned, count: n, region: None });
        }
        if let Some(e) = escalation_scope(&p) {
            let open = store::escalations(&mut tx, &e).await?.iter().filter(|r| !finished(&r.status)).count();
            out.push(WorkItem { kind: WorkKind::Escalations, count: i64::try_from(open).unwrap_or(i64::MAX), region: None });
        }
        if scope.is_empty() {
            commit(tx).await?;
            return Ok(out);
        }
        let team = team_regions(&p);
        let approving = approval_regions(&p);
        let reviewing = legal_review_regions(&p);
        // Code and name of each region a line is about, read once.
        let mut names = std::collections::HashMap::new();
        for region in team.iter().chain(&approving).chain(&reviewing) {
            if !names.contains_key(region) {
                let named = network::find_region(&mut tx, *region).await?.map(|r| (r.code, r.name));
                names.insert(*region, named);
            }
        }
        for region in &team {
            let filter = count(CaseFilter { region_id: Some(*region), phase: Some(CasePhase::Signal.code().to_string()), ..CaseFilter::default() });
            let (_, n) = store::list_cases(&mut tx, &scope, &filter).await?;
            out.push(WorkItem { kind: WorkKind::SignalsToWeigh, count: n, region: names.get(region).cloned().flatten() });
        }
        for region in &approving {
            let filter = CaseWork::Advice.filter(&p, now, count(CaseFilter { region_id: Some(*region), ..CaseFilter::default() }));
            let (_, n) = store::list_cases(&mut tx, &scope, &filter).await?;
            out.push(WorkItem { kind: WorkKind::AdviceToApprove, count: n, region: names.get(region).cloned().flatten() });
        }
        for region in &approving {
            let filter = CaseWork::Escalated.filter(&p, now, count(CaseFilter { region_id: Some(*region), ..CaseFilter::default() }));
            let (_, n) = store::list_cases(&mut tx, &scope, &filter).await?;
            out.push(WorkItem { kind: WorkKind::EscalatedCases, count: n, region: names.get(region).cloned().flatten() });
        }
        for region in &reviewing {
            let filter = CaseWork::Advice.filter(&p, now, count(CaseFilter { region_id: Some(*region), ..CaseFilter::default() }));
            let (_, n) = store::list_cases(&mut tx, &scope, &filter).await?;
            out.push(WorkItem { kind: WorkKind::AdviceToReview, count: n, region: names.get(region).cloned().flatten() });
        }
        if !team.is_empty() {
            let (_, n) = store::list_cases(&mut tx, &scope, &CaseWork::Stalled.filter(&p, now, count(CaseFilter::default()))).await?;
            out.push(WorkItem { kind: WorkKind::Stalled, count: n, region: None });
            let n = knooppunt_store::treffers::count_open(&mut tx, &treffer_scope(&p)).await?;
            out.push(WorkItem { kind: WorkKind::HitsToAssess, count: n, region: None });
        }
        let deciding = deciding_regions(&p);
        if !deciding.is_empty() {
            let n = knooppunt_store::approaches::count_asked(&mut tx, &approach_scope(&p), &deciding).await?;
            out.push(WorkItem { kind: WorkKind::ApproachRequests, count: n, region: None });
        }
        let (_, overdue) = store::list_cases(&mut tx, &scope, &count(CaseFilter { overdue_on: Some(crate::cases::today(self.now())), ..CaseFilter::default() })).await?;
        out.push(WorkItem { kind: WorkKind::OverdueRequests, count: overdue, region: None });
        if team.is_empty() {
            let (_, followed) = store::list_cases(&mut tx, &scope, &count(CaseFilter::default())).await?;
            out.push(WorkItem { kind: WorkKind::FollowedCases, count: followed, region: None });
            // A partner's own work: requests to answer, interventions to report on.
            for (work, kind) in
                [(CaseWork::Requests, WorkKind::RequestsToAnswer), (CaseWork::Interventions, WorkKind::InterventionsToReport), (CaseWork::Release, WorkKind::ItemsToRelease)]
            {
                let (_, n) = store::list_cases(&mut tx, &scope, &work.filter(&p, now, count(CaseFilter::default()))).await?;
                out.push(WorkItem { kind, count: n, region: None });
            }
        } else if let Some(user) = p.user_id() {
            let (_, own) = store::list_cases(&mut tx, &scope, &count(CaseFilter { team_member: Some(user), ..CaseFilter::default() })).await?;
            out.push(WorkItem { kind: WorkKind::OwnCases, count: own, region: None });
        }
        commit(tx).await?;
        let total: i64 = out.iter().map(|w| w.count).sum();
        self.log_plain_read(ctx, "werklijst-bekeken", &Object::new("casus", "*"), &format!("{total} werkitems")).await?;
        Ok(out)
    }
}

fn finished(status: &str) -> bool {
    InterventionStatus::parse(status).is_ok_and(InterventionStatus::is_finished)
}

impl App {
    /// The interventions escalated to the user's steering groups, oldest first: kind, executing
    /// organisation, status, reason and date, nothing else of the case. Audited as a read.
    pub async fn escalations(&self, ctx: &Ctx) -> Result<Vec<store::EscalationRow>, AppError> {
        let p = ctx.principal()?.clone();
        let Some(scope) = escalation_scope(&p) else {
            let reason = "alleen leden van een stuurgroep zien de escalaties";
            return Err(self.refuse(None, ctx, &Object::new("escalatie", "*"), reason, AppError::Forbidden(reason)).await);
        };
        let mut tx = self.begin_read().await?;
        let rows = store::escalations(&mut tx, &scope).await?;
        commit(tx).await?;
        let open = rows.iter().filter(|r| !finished(&r.status)).count();
        self.log_plain_read(ctx, "escalaties-bekeken", &Object::new("escalatie", "*"), &format!("{} escalaties, {open} open", rows.len())).await?;
        Ok(rows)
    }
}
