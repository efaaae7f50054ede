//! Retention: who keeps the rules, who sees what is due and decides on it.
//!
//! The privacy officer keeps the rules and reviews everything that is due; a RIEC manager reviews
//! what is due in the regions of the RIEC (the owning RIEC). The command-line operator may list
//! what is due (`knooppunt retention --dry-run`) but decides nothing. A due list shows a case's
//! reference, region and dates, never its contents.

use crate::{Actor, Decision, Principal};
use knooppunt_domain::Role;

/// Whether `p` may confirm or change the retention rules.
pub fn may_manage_rules(p: &Principal) -> Decision {
    if p.has_role(Role::PrivacyOfficer) {
        Decision::allow("rol privacyfunctionaris")
    } else {
        Decision::deny("alleen de privacyfunctionaris stelt de bewaartermijnen vast")
    }
}

/// Proof that the principal may read what is due in some regions (or all), and whether it may
/// decide there. Only [`retention_scope`] mints one.
#[derive(Debug, Clone)]
pub struct RetentionScope {
    regions: Option<Vec<i64>>,
    decides: bool,
}

impl RetentionScope {
    /// `None`: every region.
    pub fn regions(&self) -> Option<&[i64]> {
        self.regions.as_deref()
    }

    pub fn all_regions(&self) -> bool {
        self.regions.is_none()
    }

    /// The region ids for a `region_id = ANY(..)` predicate (empty when every region counts).
    pub fn region_ids(&self) -> &[i64] {
        self.regions.as_deref().unwrap_or(&[])
    }

    /// Whether the holder may extend, hold or destroy (not only list).
    pub fn decides(&self) -> bool {
        self.decides
    }

    pub fn covers(&self, region_id: i64) -> bool {
        self.regions.as_ref().is_none_or(|r| r.contains(&region_id))
    }

    /// Whether the LIEC's national objects (the desk's administrative signals, national
    /// approaches) are in the scope: they belong to no one region, so only a national scope (the
    /// privacy officer, the operator's list) holds them. The store's readers of these objects
    /// bind this value.
    pub fn covers_national(&self) -> bool {
        self.regions.is_none()
    }
}

pub fn retention_scope(p: &Principal) -> Option<RetentionScope> {
    if p.has_role(Role::PrivacyOfficer) {
        return Some(RetentionScope { regions: None, decides: true });
    }
    if p.actor == Actor::Operator {
        return Some(RetentionScope { regions: None, decides: false });
    }
    let mut regions: Vec<i64> = p.roles.iter().filter(|g| g.role == Role::RiecManager).filter_map(|g| g.region_id).collect();
    regions.sort_unstable();
    regions.dedup();
    (!regions.is_empty()).then_some(RetentionScope { regions: Some(regions), decides: true })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RoleGrant;

    fn with(role: Role, region_id: Option<i64>) -> Principal {
        Principal { actor: Actor::User(1), label: "t".into(), organisation_id: Some(1), roles: vec![RoleGrant { role, region_id }] }
    }

    #[test]
    fn the_privacy_officer_keeps_the_rules_and_sees_every_region() {
        for role in Role::ALL {
            let p = with(role, Some(3));
            assert_eq!(may_manage_rules(&p).allowed, role == Role::PrivacyOfficer, "{role:?}");
            let scope = retention_scope(&p);
            match role {
                Role::PrivacyOfficer => assert!(scope.is_some_and(|s| s.all_regions() && s.decides())),
                Role::RiecManager => assert!(scope.is_some_and(|s| s.covers(3) && !s.covers(4) && s.decides())),
                _ => assert!(scope.is_none(), "{role:?}"),
            }
        }
    }

    #[test]
    fn the_operator_lists_but_decides_nothing() {
        let s = retention_scope(&Principal::operator("root"));
        assert!(s.is_some_and(|s| s.all_regions() && !s.decides()));
        assert!(!may_manage_rules(&Principal::operator("root")).allowed);
    }
}
