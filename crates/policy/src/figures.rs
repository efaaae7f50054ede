//! The network's figures: who reads the live figures, who adopts the annual report, whose
//! steering-group dashboard each may open.
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

/// A steering group: a region's stuurgroep, or the Stuurgroep LIEC (national).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Board {
    Region(i64),
    National,
}

/// Proof that the principal may open one steering group's dashboard: the figures, the
/// escalations of its region, its objectives and decisions — nothing of a case's contents.
/// Only [`steering_grant`] mints one.
#[derive(Debug, Clone)]
pub struct SteeringGrant {
    board: Board,
    decides: bool,
    figures: FiguresGrant,
    escalations: Option<crate::notifications::EscalationScope>,
}

impl SteeringGrant {
    pub fn board(&self) -> Board {
        self.board
    }

    /// The region's id, `None` for the Stuurgroep LIEC.
    pub fn region_id(&self) -> Option<i64> {
        match self.board {
            Board::Region(r) => Some(r),
            Board::National => None,
        }
    }

    /// Whether the holder sets objectives and records decisions (not only reads).
    pub fn decides(&self) -> bool {
        self.decides
    }

    pub fn figures(&self) -> &FiguresGrant {
        &self.figures
    }

    /// The escalations of the region (none on the national board).
    pub fn escalations(&self) -> Option<&crate::notifications::EscalationScope> {
        self.escalations.as_ref()
    }
}

/// The steering groups whose dashboard `p` may open: the regions where `p` sits on the
/// stuurgroep or manages the RIEC (who prepares its meetings); the Stuurgroep LIEC for a
/// national steering-group member and the LIEC.
pub fn steering_boards(p: &Principal) -> Vec<Board> {
    let mut regions: Vec<i64> = p.roles.iter().filter(|g| matches!(g.role, Role::SteeringGroupMember | Role::RiecManager)).filter_map(|g| g.region_id).collect();
    regions.sort_unstable();
    regions.dedup();
    let mut boards: Vec<Board> = regions.into_iter().map(Board::Region).collect();
    if p.roles.iter().any(|g| (g.role == Role::SteeringGroupMember && g.region_id.is_none()) || g.role == Role::LiecCoordinator) {
        boards.push(Board::National);
    }
    boards
}

pub fn steering_grant(p: &Principal, board: Board) -> Option<SteeringGrant> {
    if !steering_boards(p).contains(&board) {
        return None;
    }
    let escalations = match board {
        Board::Region(r) => Some(crate::notifications::escalations_of(r)),
        Board::National => None,
    };
    Some(SteeringGrant { board, decides: true, figures: FiguresGrant(()), escalations })
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
    fn a_steering_group_member_opens_the_board_of_their_region_only() {
        let member = with(Role::SteeringGroupMember);
        assert_eq!(steering_boards(&member), vec![Board::Region(1)]);
        assert!(steering_grant(&member, Board::Region(1)).is_some_and(|g| g.region_id() == Some(1) && g.escalations().is_some()));
        assert!(steering_grant(&member, Board::Region(2)).is_none());
        assert!(steering_grant(&member, Board::National).is_none());
        assert_eq!(steering_boards(&with(Role::RiecManager)), vec![Board::Region(1)]);
        let national = Principal { roles: vec![RoleGrant { role: Role::SteeringGroupMember, region_id: None }], ..with(Role::SteeringGroupMember) };
        assert_eq!(steering_boards(&national), vec![Board::National]);
        assert!(steering_grant(&national, Board::National).is_some_and(|g| g.escalations().is_none()));
        assert_eq!(steering_boards(&with(Role::LiecCoordinator)), vec![Board::National]);
        for r in [Role::RiecAnalyst, Role::PartnerEmployee, Role::Administrator, Role::KnowledgeEditor] {
            assert!(steering_boards(&with(r)).is_empty(), "{r:?}");
        }
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
