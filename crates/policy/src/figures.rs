//! The network's figures: who reads the live figures, who adopts the annual report.
//!
//! Figures are counts about the work, never about persons, and every published table goes
//! through disclosure control (`knooppunt_figures::disclosure`) before anyone sees it. The live
//! figures (any year or quarter, per region) are for the people who steer and account for the
//! work: the RIEC staff, the steering groups, the LIEC and its signal desk, the privacy officer.
//! Covenant partners' employees (private partners among them) and technical roles read only the
//! annual report once the LIEC has adopted it, which is public.

use crate::{Actor, Decision, Principal};
use knooppunt_domain::Role;

/// Proof that the principal may read the live figures of every region. The counting readers of
/// the store take it; only [`figures_grant`] mints one.
#[derive(Debug, Clone)]
pub struct FiguresGrant(());

const READERS: [Role; 9] = [
    Role::RiecManager,
    Role::RiecAnalyst,
    Role::RiecAccountManager,
    Role::RiecLegalAdviser,
    Role::SteeringGroupMember,
    Role::LiecCoordinator,
    Role::SignalDeskOfficer,
    Role::KnowledgeEditor,
    Role::PrivacyOfficer,
];

pub fn figures_grant(p: &Principal) -> Option<FiguresGrant> {
    (p.actor == Actor::Operator || READERS.iter().any(|r| p.has_role(*r))).then_some(FiguresGrant(()))
}

/// The counting behind a report the LIEC adopts: the same counting, for the draft and the
/// snapshot taken at adoption. Minted only inside [`may_adopt_report`]'s caller path.
pub fn report_grant(p: &Principal) -> Option<FiguresGrant> {
    may_adopt_report(p).allowed.then_some(FiguresGrant(()))
}

/// Whether `p` may draft, adopt and withdraw the network's annual report: the LIEC.
pub fn may_adopt_report(p: &Principal) -> Decision {
    if p.has_role(Role::LiecCoordinator) {
        Decision::allow("rol LIEC-coördinator")
    } else {
        Decision::deny("alleen het LIEC stelt het jaarverslag vast")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RoleGrant;

    fn with(role: Role) -> Principal {
        Principal { actor: Actor::User(1), label: "t".into(), organisation_id: Some(1), roles: vec![RoleGrant { role, region_id: Some(1) }] }
    }

    #[test]
    fn staff_and_steering_groups_read_figures_partners_and_technical_roles_do_not() {
        for r in READERS {
            assert!(figures_grant(&with(r)).is_some(), "{r:?}");
        }
        for r in [Role::PartnerEmployee, Role::Auditor, Role::Administrator] {
            assert!(figures_grant(&with(r)).is_none(), "{r:?}");
        }
        assert!(figures_grant(&Principal::operator("cli")).is_some());
    }

    #[test]
    fn only_the_liec_adopts_the_report() {
        assert!(may_adopt_report(&with(Role::LiecCoordinator)).allowed);
        assert!(report_grant(&with(Role::LiecCoordinator)).is_some());
        for r in [Role::RiecManager, Role::SteeringGroupMember, Role::Administrator] {
            assert!(!may_adopt_report(&with(r)).allowed);
            assert!(report_grant(&with(r)).is_none());
        }
    }
}
