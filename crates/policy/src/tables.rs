//! Who sees and who runs the Landelijke Fenomeentafels.
//!
//! A table is knowledge-level: it holds no personal data and no case. Its face — name,
//! phenomenon, status, coordinator, mandate, members — is the network's (every principal with
//! a role) and its current members'. Its work — meetings with attendance and decisions, the
//! action list — belongs to the current member organisations and the LIEC. The private members
//! (a notaries' association, a bank, a university) have accounts without a role: they reach
//! the tables their organisation sits at and the public knowledge, nothing of the network. The
//! LIEC coordinator opens and runs tables; a member organisation reports on the actions it
//! owns. [`TableScope`] carries the list rule into SQL; [`grant`] decides one table, and the
//! two agree (tested below).

use crate::{in_network, Decision, Principal};
use knooppunt_domain::Role;

/// Open a table, change its status and mandate, keep its members, meetings and actions.
pub fn may_manage(p: &Principal) -> Decision {
    if p.has_role(Role::LiecCoordinator) {
        Decision::allow("de LIEC-coördinator faciliteert de fenomeentafels")
    } else {
        Decision::deny("alleen de LIEC-coördinator beheert een fenomeentafel")
    }
}

/// Whether `p` sees a table whose current member organisations are `members`.
pub fn may_view(p: &Principal, members: &[i64]) -> bool {
    in_network(p) || is_member(p, members)
}

fn is_member(p: &Principal, members: &[i64]) -> bool {
    p.organisation_id.is_some_and(|o| members.contains(&o))
}

/// Update the status of an action owned by `owner`: the LIEC, or the owning organisation.
pub fn may_report_action(p: &Principal, owner: i64) -> Decision {
    if may_manage(p).allowed {
        Decision::allow("LIEC-coördinator")
    } else if p.organisation_id == Some(owner) {
        Decision::allow("de organisatie die de actie trekt")
    } else {
        Decision::deny("alleen het LIEC en de organisatie die de actie trekt melden de voortgang")
    }
}

/// The list filter, the SQL form of [`may_view`]: every table (the network), or the tables the
/// principal's organisation currently sits at. Only [`scope`] mints one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableScope {
    all: bool,
    organisation_id: Option<i64>,
}

impl TableScope {
    pub fn all(&self) -> bool {
        self.all
    }
    pub fn organisation_id(&self) -> Option<i64> {
        self.organisation_id
    }
}

pub fn scope(p: &Principal) -> TableScope {
    TableScope { all: in_network(p), organisation_id: p.organisation_id }
}

/// Proof that a principal sees one table. Only [`grant`] mints one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableGrant {
    id: i64,
    work: Option<TableWork>,
}

impl TableGrant {
    pub fn id(&self) -> i64 {
        self.id
    }
    /// The table's meetings and actions, for its members and the LIEC.
    pub fn work(&self) -> Option<&TableWork> {
        self.work.as_ref()
    }
}

/// Proof that a principal sees a table's work (meetings and actions): the store reads them only
/// with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableWork {
    id: i64,
}

impl TableWork {
    pub fn id(&self) -> i64 {
        self.id
    }
}

/// Whether `p` sees table `id` with current members `members`, and its work.
pub fn grant(p: &Principal, id: i64, members: &[i64]) -> Option<TableGrant> {
    if !may_view(p, members) {
        return None;
    }
    let work = (may_manage(p).allowed || is_member(p, members)).then_some(TableWork { id });
    Some(TableGrant { id, work })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Actor, RoleGrant};

    fn with(roles: &[Role], organisation: i64) -> Principal {
        Principal {
            actor: Actor::User(7),
            label: "t".into(),
            organisation_id: Some(organisation),
            roles: roles.iter().map(|&role| RoleGrant { role, region_id: Some(1) }).collect(),
        }
    }

    #[test]
    fn the_scope_and_the_grant_agree_for_everyone() {
        let mut principals = vec![with(&[], 3), with(&[], 9)];
        principals.extend(Role::ALL.iter().map(|r| with(&[*r], 3)));
        for p in &principals {
            let s = scope(p);
            for members in [&[][..], &[3], &[4, 5], &[3, 4]] {
                let sql = s.all() || s.organisation_id().is_some_and(|o| members.contains(&o));
                assert_eq!(grant(p, 1, members).is_some(), sql, "{p:?} {members:?}");
            }
        }
    }

    #[test]
    fn a_private_member_sees_its_own_table_and_its_work_and_no_other() {
        let notaries = with(&[], 3);
        assert!(grant(&notaries, 1, &[2, 3]).and_then(|g| g.work().copied()).is_some());
        assert!(grant(&notaries, 1, &[2, 4]).is_none());
        assert!(!may_manage(&notaries).allowed);
    }

    #[test]
    fn the_network_sees_the_face_and_the_members_and_liec_the_work() {
        let analyst = with(&[Role::RiecAnalyst], 8);
        let g = grant(&analyst, 1, &[2, 3]);
        assert!(g.is_some_and(|g| g.work().is_none()));
        let member = with(&[Role::PartnerEmployee], 3);
        assert!(grant(&member, 1, &[2, 3]).is_some_and(|g| g.work().is_some()));
        let liec = with(&[Role::LiecCoordinator], 1);
        assert!(grant(&liec, 1, &[2, 3]).is_some_and(|g| g.work().is_some()));
        for r in Role::ALL {
            assert_eq!(may_manage(&with(&[r], 1)).allowed, r == Role::LiecCoordinator, "{r:?}");
        }
    }

    #[test]
    fn an_action_is_reported_by_its_owner_or_the_liec() {
        assert!(may_report_action(&with(&[], 3), 3).allowed);
        assert!(!may_report_action(&with(&[], 3), 4).allowed);
        assert!(may_report_action(&with(&[Role::LiecCoordinator], 1), 4).allowed);
    }
}
