//! Who maintains the phenomenon taxonomy and a region's focus list. The taxonomy is reference
//! data without personal data: every signed-in user reads it.

use crate::{Decision, Principal};
use knooppunt_domain::Role;

/// Clusters, phenomena and settings are maintained by the LIEC: its coordinators and its
/// knowledge editors (the Kennisplatform Ondermijning is theirs).
pub fn may_maintain(p: &Principal) -> Decision {
    if p.has_role(Role::LiecCoordinator) {
        Decision::allow("LIEC-coördinator")
    } else if p.has_role(Role::KnowledgeEditor) {
        Decision::allow("kennisredacteur van het LIEC")
    } else {
        Decision::deny("alleen het LIEC beheert de fenomenen en omgevingen")
    }
}

/// A region's focus list (its phenomena of priority) is set by the RIEC manager of that region,
/// or by the LIEC.
pub fn may_set_focus(p: &Principal, region_id: i64) -> Decision {
    if p.roles.iter().any(|g| g.role == Role::RiecManager && g.region_id == Some(region_id)) {
        Decision::allow("RIEC-manager van de regio")
    } else if p.has_role(Role::LiecCoordinator) {
        Decision::allow("LIEC-coördinator")
    } else {
        Decision::deny("alleen de RIEC-manager van de regio of het LIEC stelt de speerpunten vast")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Actor, RoleGrant};

    fn with(role: Role, region_id: Option<i64>) -> Principal {
        Principal { actor: Actor::User(1), label: "t".into(), organisation_id: Some(1), roles: vec![RoleGrant { role, region_id }] }
    }

    #[test]
    fn the_liec_maintains_the_taxonomy_nobody_else() {
        assert!(may_maintain(&with(Role::LiecCoordinator, None)).allowed);
        assert!(may_maintain(&with(Role::KnowledgeEditor, None)).allowed);
        for r in Role::ALL.into_iter().filter(|r| !matches!(r, Role::LiecCoordinator | Role::KnowledgeEditor)) {
            assert!(!may_maintain(&with(r, Some(1))).allowed, "{r:?}");
            assert!(!may_maintain(&with(r, None)).allowed, "{r:?}");
        }
    }

    #[test]
    fn a_regions_focus_is_set_by_its_own_manager_or_the_liec() {
        assert!(may_set_focus(&with(Role::RiecManager, Some(1)), 1).allowed);
        assert!(!may_set_focus(&with(Role::RiecManager, Some(2)), 1).allowed);
        assert!(may_set_focus(&with(Role::LiecCoordinator, None), 1).allowed);
        for r in [Role::RiecAnalyst, Role::SteeringGroupMember, Role::PartnerEmployee, Role::KnowledgeEditor, Role::Administrator] {
            assert!(!may_set_focus(&with(r, Some(1)), 1).allowed, "{r:?}");
        }
    }
}
