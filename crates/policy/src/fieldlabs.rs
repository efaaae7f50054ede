//! Who sees and who works in the LIEC Field Lab Hub.
//!
//! A field lab holds no case data: the network (every signed-in principal with a role) sees
//! every lab, its phase, experiments and results. The LIEC's coordinators run the hub: they
//! open labs, move them to the next phase, add partners, keep the phases and offer a lab's
//! final product as a knowledge item. The host and partner organisations of a lab work in it:
//! their people in the network record decisions and documents and run its experiments.
//! [`FieldLabScope`] carries the list rule into SQL; [`grant`] decides one lab.

use crate::{in_network, Decision, Principal};
use knooppunt_domain::Role;

/// Open labs, change phases and partners, keep the phases, offer the final product.
pub fn may_manage(p: &Principal) -> Decision {
    if p.has_role(Role::LiecCoordinator) {
        Decision::allow("LIEC-coördinator")
    } else {
        Decision::deny("alleen het LIEC beheert de Field Lab Hub")
    }
}

/// The list filter: the network sees every lab, nobody else any. Only [`scope`] mints one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldLabScope {
    network: bool,
}

impl FieldLabScope {
    pub fn network(&self) -> bool {
        self.network
    }
}

pub fn scope(p: &Principal) -> FieldLabScope {
    FieldLabScope { network: in_network(p) }
}

/// Proof that the holder sees one lab, with what it may do there. Only [`grant`] mints one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LabGrant {
    id: i64,
    manage: bool,
    contribute: bool,
}

impl LabGrant {
    pub fn id(&self) -> i64 {
        self.id
    }
    /// The LIEC: phase, partners, final product.
    pub fn may_manage(&self) -> bool {
        self.manage
    }
    /// Record decisions and documents, run experiments: the LIEC and the lab's organisations.
    pub fn may_contribute(&self) -> bool {
        self.manage || self.contribute
    }
}

/// Whether `p` sees lab `id` whose host and partner organisations are `organisations`.
pub fn grant(p: &Principal, id: i64, organisations: &[i64]) -> Option<LabGrant> {
    if !in_network(p) {
        return None;
    }
    let contribute = p.organisation_id.is_some_and(|o| organisations.contains(&o));
    Some(LabGrant { id, manage: may_manage(p).allowed, contribute })
}

/// Whether `organisation` can join a lab hosted by `host` as a partner: the host is not also
/// its own partner. Kept here so that every comparison of organisations is policy's.
pub fn is_partner_candidate(host: i64, organisation: i64) -> bool {
    host != organisation
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Actor, RoleGrant};

    fn with(org: i64, roles: &[Role]) -> Principal {
        Principal { actor: Actor::User(1), label: "t".into(), organisation_id: Some(org), roles: roles.iter().map(|&role| RoleGrant { role, region_id: Some(3) }).collect() }
    }

    #[test]
    fn the_network_sees_every_lab_and_its_organisations_work_in_it() {
        for r in Role::ALL {
            let p = with(7, &[r]);
            assert!(scope(&p).network());
            let g = grant(&p, 1, &[7, 8]);
            assert!(g.is_some_and(|g| g.may_contribute()), "{r:?}");
            assert_eq!(g.is_some_and(|g| g.may_manage()), r == Role::LiecCoordinator, "{r:?}");
            let other = grant(&with(9, &[r]), 1, &[7, 8]);
            assert_eq!(other.is_some_and(|g| g.may_contribute()), r == Role::LiecCoordinator, "{r:?}");
        }
    }

    #[test]
    fn the_host_is_not_its_own_partner() {
        assert!(!is_partner_candidate(7, 7));
        assert!(is_partner_candidate(7, 8));
    }

    #[test]
    fn a_private_member_sees_no_lab() {
        let member = with(7, &[]);
        assert!(!scope(&member).network());
        assert!(grant(&member, 1, &[7]).is_none());
    }
}
