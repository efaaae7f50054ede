//! Need-to-know on case files.
//!
//! A case is visible to the *case team* — the RIEC bureau staff of the owning region — and to
//! the partner organisations the case admitted (while admitted). Everyone else, the LIEC and
//! other regions included, learns nothing: for them the case does not exist. Within a case each
//! information item is visible to the team, to its supplier, and to the participants the supplier
//! released it to (while the release stands and the participant is still admitted).
//!
//! [`decide_case`] and [`decide_item`] answer single questions; [`case_scope`] gives the same
//! rules to the store as data for SQL predicates, and a property test proves that the two agree.

use crate::{Decision, Principal};
use knooppunt_domain::case::{CasePhase, CaseStep};
use knooppunt_domain::Role;

/// What policy needs to know about one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub region_id: i64,
    pub phase: CasePhase,
    /// Organisations currently admitted (the source organisation is admitted at registration).
    pub participants: Vec<i64>,
}

/// What policy needs to know about one information item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemFacts {
    pub supplier_id: i64,
    /// Organisations the item is released to (withdrawn releases are not listed).
    pub released_to: Vec<i64>,
}

/// How a principal relates to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseAccess {
    /// RIEC bureau staff of the owning region: the whole case.
    Team,
    /// An admitted partner: the case, and the items it supplied or that were released to it.
    Participant,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseAction {
    /// Register a new signal (becomes a case record in phase *signaal*).
    RegisterSignal,
    View,
    Step(CaseStep),
    /// Admit or remove participants, assign the case team.
    ManageParticipants,
    AddSubject,
    AddItem,
    /// Send an information request (uitvraag).
    Request,
    /// Draft a version of the intervention advice.
    DraftAdvice,
    ApproveAdvice,
    /// Propose interventions, record meetings, escalate.
    Coordinate,
    /// Print or export the whole case file.
    Export,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemAction {
    View,
    /// Release to a participant or withdraw a release.
    Release,
}

/// The RIEC bureau roles that form a case team in their region.
pub const TEAM_ROLES: [Role; 4] = [Role::RiecAccountManager, Role::RiecAnalyst, Role::RiecLegalAdviser, Role::RiecManager];

/// Roles whose holders may work in a case their organisation was admitted to.
const PARTICIPANT_ROLES: [Role; 6] = [Role::PartnerEmployee, Role::LiecCoordinator, Role::RiecAccountManager, Role::RiecAnalyst, Role::RiecLegalAdviser, Role::RiecManager];

/// The regions in which `p` is case team.
pub fn team_regions(p: &Principal) -> Vec<i64> {
    let mut r: Vec<i64> = p.roles.iter().filter(|g| TEAM_ROLES.contains(&g.role)).filter_map(|g| g.region_id).collect();
    r.sort_unstable();
    r.dedup();
    r
}

fn may_participate(p: &Principal) -> bool {
    p.roles.iter().any(|g| PARTICIPANT_ROLES.contains(&g.role))
}

/// The regions in which `p` works for its organisation in cases: `None` when one of its
/// participant roles is national (then every region). A police officer of Limburg does not see
/// an Oost-Brabant case because the Nationale Politie was admitted there.
pub fn participant_regions(p: &Principal) -> Option<Vec<i64>> {
    let grants: Vec<_> = p.roles.iter().filter(|g| PARTICIPANT_ROLES.contains(&g.role)).collect();
    if grants.iter().any(|g| g.region_id.is_none()) {
        return None;
    }
    let mut r: Vec<i64> = grants.iter().filter_map(|g| g.region_id).collect();
    r.sort_unstable();
    r.dedup();
    Some(r)
}

/// The organisation through which `p` takes part in cases, if its roles allow that.
pub fn participant_org(p: &Principal) -> Option<i64> {
    if may_participate(p) {
        p.organisation_id
    } else {
        None
    }
}

/// How `p` relates to the case, or `None`: then the case does not exist for `p`.
pub fn access(p: &Principal, f: &CaseFacts) -> Option<CaseAccess> {
    if team_regions(p).contains(&f.region_id) {
        Some(CaseAccess::Team)
    } else if participant_org(p).is_some_and(|o| f.participants.contains(&o)) && participant_regions(p).is_none_or(|r| r.contains(&f.region_id)) {
        Some(CaseAccess::Participant)
    } else {
        None
    }
}

/// May `p` register signals at all (for a municipality of any region)?
pub fn can_register(p: &Principal) -> bool {
    may_participate(p)
}

fn team_role_in(p: &Principal, region: i64, role: Role) -> bool {
    p.roles.iter().any(|g| g.role == role && g.region_id == Some(region))
}

pub fn decide_case(p: &Principal, action: CaseAction, f: Option<&CaseFacts>) -> Decision {
    use CaseAction as A;
    let Some(f) = f else {
        return match action {
            A::RegisterSignal if can_register(p) => Decision::allow("partner, RIEC of LIEC registreert signalen"),
            A::RegisterSignal => Decision::deny("uw rol kan geen signalen registreren"),
            _ => Decision::deny("onbekende casus"),
        };
    };
    let Some(acc) = access(p, f) else {
        return Decision::deny("geen casusteam en geen toegelaten deelnemer");
    };
    let team = acc == CaseAccess::Team;
    let open = f.phase.is_open_for_work();
    match action {
        A::RegisterSignal => Decision::deny("een signaal is geen onderdeel van een casus"),
        A::View => Decision::allow(if team { "casusteam van de regio" } else { "toegelaten deelnemer" }),
        A::Step(step) => {
            if !team {
                Decision::deny("alleen het RIEC-casusteam weegt en sluit casussen")
            } else if step.target(f.phase).is_none() {
                Decision::deny("deze stap kan niet vanuit de huidige fase")
            } else {
                Decision::allow("casusteam van de regio")
            }
        }
        A::ManageParticipants | A::Coordinate | A::DraftAdvice | A::Export => {
            if team {
                Decision::allow("casusteam van de regio")
            } else {
                Decision::deny("alleen het RIEC-casusteam")
            }
        }
        A::Request => {
            if !team {
                Decision::deny("alleen het RIEC-casusteam doet een uitvraag")
            } else if !open {
                Decision::deny("een uitvraag kan alleen in een pre-casus of casus")
            } else {
                Decision::allow("casusteam van de regio")
            }
        }
        A::ApproveAdvice => {
            if team_role_in(p, f.region_id, Role::RiecManager) {
                Decision::allow("RIEC-manager van de regio")
            } else {
                Decision::deny("alleen de RIEC-manager van de regio keurt het advies goed")
            }
        }
        A::AddSubject | A::AddItem => {
            if f.phase.is_finished() {
                Decision::deny("de casus is afgesloten")
            } else if team || open {
                Decision::allow(if team { "casusteam van de regio" } else { "toegelaten deelnemer" })
            } else {
                Decision::deny("deelnemers dragen bij zodra de pre-casus of casus loopt")
            }
        }
    }
}

/// Decides on one information item of a case `p` may see (`acc` from [`access`]).
pub fn decide_item(p: &Principal, acc: CaseAccess, action: ItemAction, item: &ItemFacts) -> Decision {
    let own = p.organisation_id == Some(item.supplier_id);
    match action {
        ItemAction::View => {
            if acc == CaseAccess::Team {
                Decision::allow("casusteam van de regio")
            } else if own {
                Decision::allow("leverancier van de bijdrage")
            } else if p.organisation_id.is_some_and(|o| item.released_to.contains(&o)) {
                Decision::allow("door de leverancier vrijgegeven")
            } else {
                Decision::deny("niet aan uw organisatie vrijgegeven")
            }
        }
        ItemAction::Release => {
            if own {
                Decision::allow("leverancier van de bijdrage")
            } else if acc == CaseAccess::Team {
                Decision::allow("casusteam legt toestemming van de leverancier vast")
            } else {
                Decision::deny("alleen de leverancier geeft een bijdrage vrij")
            }
        }
    }
}

/// The visibility rules of [`access`] and [`decide_item`] as data, for SQL predicates. Only
/// [`case_scope`] builds one, so a repository read of case data cannot run without a principal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseScope {
    team_regions: Vec<i64>,
    organisation_id: Option<i64>,
    participant_regions: Option<Vec<i64>>,
}

impl CaseScope {
    /// Every case of these regions (case team).
    pub fn team_regions(&self) -> &[i64] {
        &self.team_regions
    }

    /// Cases this organisation is admitted to; items it supplied or that were released to it.
    pub fn organisation_id(&self) -> Option<i64> {
        self.organisation_id
    }

    /// Participation counts only in these regions (`None`: every region).
    pub fn participant_regions(&self) -> Option<&[i64]> {
        self.participant_regions.as_deref()
    }

    /// True when the scope can see nothing at all (the query can be skipped).
    pub fn is_empty(&self) -> bool {
        self.team_regions.is_empty() && self.organisation_id.is_none()
    }
}

pub fn case_scope(p: &Principal) -> CaseScope {
    CaseScope { team_regions: team_regions(p), organisation_id: participant_org(p), participant_regions: participant_regions(p) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Actor, RoleGrant};

    fn p(role: Role, region: Option<i64>, org: i64) -> Principal {
        Principal { actor: Actor::User(1), label: "t".into(), organisation_id: Some(org), roles: vec![RoleGrant { role, region_id: region }] }
    }

    #[test]
    fn other_regions_and_outsiders_see_nothing() {
        let f = CaseFacts { region_id: 1, phase: CasePhase::Case, participants: vec![10] };
        assert_eq!(access(&p(Role::RiecAnalyst, Some(1), 99), &f), Some(CaseAccess::Team));
        assert_eq!(access(&p(Role::RiecAnalyst, Some(2), 99), &f), None);
        assert_eq!(access(&p(Role::PartnerEmployee, None, 10), &f), Some(CaseAccess::Participant));
        assert_eq!(access(&p(Role::PartnerEmployee, None, 11), &f), None);
        assert_eq!(access(&p(Role::PartnerEmployee, Some(1), 10), &f), Some(CaseAccess::Participant));
        assert_eq!(access(&p(Role::PartnerEmployee, Some(2), 10), &f), None, "same organisation, other region");
        assert_eq!(access(&p(Role::LiecCoordinator, None, 12), &f), None);
        assert_eq!(access(&p(Role::Auditor, None, 10), &f), None);
        assert_eq!(access(&p(Role::Administrator, None, 10), &f), None);
    }

    #[test]
    fn items_follow_releases() {
        let item = ItemFacts { supplier_id: 10, released_to: vec![11] };
        let police = p(Role::PartnerEmployee, None, 10);
        let tax = p(Role::PartnerEmployee, None, 11);
        let customs = p(Role::PartnerEmployee, None, 12);
        assert!(decide_item(&police, CaseAccess::Participant, ItemAction::View, &item).allowed);
        assert!(decide_item(&tax, CaseAccess::Participant, ItemAction::View, &item).allowed);
        assert!(!decide_item(&customs, CaseAccess::Participant, ItemAction::View, &item).allowed);
        assert!(!decide_item(&tax, CaseAccess::Participant, ItemAction::Release, &item).allowed);
        assert!(decide_item(&police, CaseAccess::Participant, ItemAction::Release, &item).allowed);
    }

    #[test]
    fn only_the_manager_approves_and_steps_follow_phases() {
        let f = CaseFacts { region_id: 1, phase: CasePhase::Signal, participants: vec![] };
        assert!(!decide_case(&p(Role::RiecAnalyst, Some(1), 1), CaseAction::ApproveAdvice, Some(&f)).allowed);
        assert!(decide_case(&p(Role::RiecManager, Some(1), 1), CaseAction::ApproveAdvice, Some(&f)).allowed);
        assert!(decide_case(&p(Role::RiecAnalyst, Some(1), 1), CaseAction::Step(CaseStep::StartWeighing), Some(&f)).allowed);
        assert!(!decide_case(&p(Role::RiecAnalyst, Some(1), 1), CaseAction::Step(CaseStep::Close), Some(&f)).allowed);
    }
}
