//! Who is told that there is something for them. A notification says only *that* there is work
//! and links to the list where it is done (which filters by need-to-know itself); it is sent to a
//! user exactly when that list would show the work to them. The same rules as the lists, so a
//! notification never reaches someone the work is not for.

use crate::cases::{access, decide_case, decide_intervention_update, may_answer_request, CaseAccess, CaseAction, CaseFacts};
use crate::treffers::side;
use crate::Principal;
use knooppunt_domain::Role;

/// The event a notification is about, with the facts policy needs.
#[derive(Debug, Clone, Copy)]
pub enum About<'a> {
    /// An information request to `organisation` in a case.
    RequestTo { case: &'a CaseFacts, organisation: i64 },
    /// A version of intervention advice waiting for approval.
    AdviceToApprove { case: &'a CaseFacts },
    /// An intervention `organisation` is to carry out.
    InterventionFor { case: &'a CaseFacts, organisation: i64 },
    /// A new hit between the cases of two regions.
    HitBetween { region_a: i64, region_b: i64 },
    /// The LIEC asks a case of `region` to join a national approach.
    ApproachAsk { region: i64 },
    /// An intervention of a case of `region` was escalated to the region's steering group.
    Escalation { region: i64 },
    /// A data subject's request waits for `organisation`'s position (new, or near its deadline).
    SubjectRequest { organisation: i64 },
    /// A region's stuurgroep passed a bottleneck on to the Stuurgroep LIEC.
    BottleneckPassedOn,
    /// A support request waits for the LIEC (new, or the region added information).
    SupportForLiec,
    /// The LIEC asked the region for more information on its support request, or answered it.
    SupportForRegion { region: i64 },
}

/// Is `p` told about `about`? The actor of the event itself is left out by the caller.
pub fn notifies(p: &Principal, about: &About<'_>) -> bool {
    match *about {
        About::RequestTo { case, organisation } => access(p, case) == Some(CaseAccess::Participant) && may_answer_request(p, organisation).allowed,
        About::AdviceToApprove { case } => decide_case(p, CaseAction::ApproveAdvice, Some(case)).allowed,
        About::InterventionFor { case, organisation } => {
            access(p, case) == Some(CaseAccess::Participant)
                && p.organisation_id == Some(organisation)
                && decide_intervention_update(p, CaseAccess::Participant, organisation).allowed
        }
        About::HitBetween { region_a, region_b } => side(p, region_a, region_b).is_some(),
        About::ApproachAsk { region } => crate::approaches::deciding_regions(p).contains(&region),
        About::Escalation { region } => escalation_regions(p).contains(&region),
        About::SubjectRequest { organisation } => crate::subject_requests::may_take_position(p, organisation).allowed,
        About::BottleneckPassedOn => crate::figures::steering_boards(p).contains(&crate::figures::Board::National),
        About::SupportForLiec => crate::support::is_liec(p),
        About::SupportForRegion { region } => crate::support::asking_regions(p).contains(&region),
    }
}

/// The regions whose escalations `p` receives and may list: those where `p` sits on the steering
/// group.
pub fn escalation_regions(p: &Principal) -> Vec<i64> {
    let mut r: Vec<i64> = p.roles.iter().filter(|g| g.role == Role::SteeringGroupMember).filter_map(|g| g.region_id).collect();
    r.sort_unstable();
    r.dedup();
    r
}

/// The escalations `p` may list: those of cases of the regions where `p` sits on the steering
/// group. What they open is the intervention's kind, executing organisation, status and the
/// escalation's reason and date — nothing else of the case. Only [`escalation_scope`] mints one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscalationScope {
    regions: Vec<i64>,
}

impl EscalationScope {
    pub fn regions(&self) -> &[i64] {
        &self.regions
    }
}

/// The escalations of one region, for its steering group's dashboard (minted by
/// `figures::steering_grant` after it checked the board).
pub(crate) fn escalations_of(region: i64) -> EscalationScope {
    EscalationScope { regions: vec![region] }
}

pub fn escalation_scope(p: &Principal) -> Option<EscalationScope> {
    let regions = escalation_regions(p);
    (!regions.is_empty()).then_some(EscalationScope { regions })
}

/// The regions and organisation whose users may be told about `about`: the candidates the app
/// reads before asking [`notifies`] about each.
pub fn audience(about: &About<'_>) -> (Option<i64>, Vec<i64>, bool) {
    match *about {
        About::RequestTo { organisation, .. } | About::InterventionFor { organisation, .. } | About::SubjectRequest { organisation } => (Some(organisation), Vec::new(), false),
        About::AdviceToApprove { case } => (None, vec![case.region_id], false),
        About::HitBetween { region_a, region_b } => (None, vec![region_a, region_b], false),
        About::ApproachAsk { region } | About::Escalation { region } => (None, vec![region], false),
        About::BottleneckPassedOn | About::SupportForLiec => (None, Vec::new(), true),
        About::SupportForRegion { region } => (None, vec![region], false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Actor, RoleGrant};
    use knooppunt_domain::case::CasePhase;

    fn who(org: i64, roles: &[(Role, Option<i64>)]) -> Principal {
        Principal { actor: Actor::User(1), label: "t".into(), organisation_id: Some(org), roles: roles.iter().map(|&(role, region_id)| RoleGrant { role, region_id }).collect() }
    }

    #[test]
    fn a_bottleneck_passed_on_reaches_the_national_board_only() {
        let about = About::BottleneckPassedOn;
        assert_eq!(audience(&about), (None, Vec::new(), true));
        assert!(notifies(&who(1, &[(Role::LiecCoordinator, None)]), &about));
        assert!(notifies(&who(1, &[(Role::SteeringGroupMember, None)]), &about));
        // A region's steering group and the other national roles are not told.
        assert!(!notifies(&who(1, &[(Role::SteeringGroupMember, Some(7))]), &about));
        assert!(!notifies(&who(1, &[(Role::Auditor, None)]), &about));
        assert!(!notifies(&who(1, &[(Role::PrivacyOfficer, None)]), &about));
    }

    #[test]
    fn a_request_reaches_the_recipient_in_the_cases_region_only() {
        let case = CaseFacts { region_id: 7, phase: CasePhase::Case, participants: vec![20, 30] };
        let about = About::RequestTo { case: &case, organisation: 20 };
        assert!(notifies(&who(20, &[(Role::PartnerEmployee, Some(7))]), &about));
        // The same organisation in another region does not see the case.
        assert!(!notifies(&who(20, &[(Role::PartnerEmployee, Some(8))]), &about));
        // Another participant does not answer for the recipient.
        assert!(!notifies(&who(30, &[(Role::PartnerEmployee, Some(7))]), &about));
        // Nor does the case team.
        assert!(!notifies(&who(1, &[(Role::RiecAnalyst, Some(7))]), &about));
    }

    #[test]
    fn advice_hits_asks_and_escalations_reach_their_regions_roles() {
        let case = CaseFacts { region_id: 7, phase: CasePhase::Case, participants: vec![] };
        assert!(notifies(&who(1, &[(Role::RiecManager, Some(7))]), &About::AdviceToApprove { case: &case }));
        assert!(!notifies(&who(1, &[(Role::RiecAnalyst, Some(7))]), &About::AdviceToApprove { case: &case }));
        assert!(!notifies(&who(1, &[(Role::RiecManager, Some(8))]), &About::AdviceToApprove { case: &case }));
        let hit = About::HitBetween { region_a: 7, region_b: 8 };
        assert!(notifies(&who(1, &[(Role::RiecLegalAdviser, Some(8))]), &hit));
        assert!(!notifies(&who(1, &[(Role::RiecAnalyst, Some(9))]), &hit));
        assert!(!notifies(&who(1, &[(Role::LiecCoordinator, None)]), &hit));
        assert!(notifies(&who(1, &[(Role::RiecAnalyst, Some(7))]), &About::ApproachAsk { region: 7 }));
        assert!(!notifies(&who(1, &[(Role::RiecAccountManager, Some(7))]), &About::ApproachAsk { region: 7 }));
        assert!(notifies(&who(5, &[(Role::SteeringGroupMember, Some(7))]), &About::Escalation { region: 7 }));
        assert!(!notifies(&who(5, &[(Role::SteeringGroupMember, Some(8))]), &About::Escalation { region: 7 }));
        assert!(!notifies(&who(1, &[(Role::RiecManager, Some(7))]), &About::Escalation { region: 7 }));
        assert!(notifies(&who(1, &[(Role::PartnerEmployee, Some(7))]), &About::SubjectRequest { organisation: 1 }));
        assert!(!notifies(&who(2, &[(Role::PartnerEmployee, Some(7))]), &About::SubjectRequest { organisation: 1 }));
        assert!(!notifies(&who(1, &[(Role::RiecAnalyst, Some(7))]), &About::SubjectRequest { organisation: 1 }));
    }

    #[test]
    fn an_intervention_reaches_the_partner_that_carries_it_out() {
        let case = CaseFacts { region_id: 7, phase: CasePhase::Case, participants: vec![20] };
        let about = About::InterventionFor { case: &case, organisation: 20 };
        assert!(notifies(&who(20, &[(Role::PartnerEmployee, Some(7))]), &about));
        assert!(!notifies(&who(1, &[(Role::RiecAnalyst, Some(7))]), &about));
        assert!(!notifies(&who(21, &[(Role::PartnerEmployee, Some(7))]), &about));
    }
}
