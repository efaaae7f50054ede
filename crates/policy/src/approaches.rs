//! Need-to-know on national approaches (landelijke aanpak).
//!
//! The LIEC coordinator opens and runs an approach. A case joins only with its owner's consent:
//! the analyst or manager of the case's RIEC region decides. The approach (title, progress,
//! actions, the references and regions of its cases, figures) is visible to the LIEC, to the
//! case teams of the regions whose cases were asked, and to the organisations taking part.
//! Nobody learns a case's contents through the approach: the cases stay behind their own
//! need-to-know.

use crate::cases::team_regions;
use crate::{Decision, Principal};
use knooppunt_domain::Role;

/// What the viewer may see of one approach, from its case regions and participants.
pub fn may_view(p: &Principal, case_regions: &[i64], participants: &[i64]) -> bool {
    may_manage(p).allowed || team_regions(p).iter().any(|r| case_regions.contains(r)) || p.organisation_id.is_some_and(|o| participants.contains(&o))
}

/// Open an approach, ask cases, add participants and actions, record progress.
pub fn may_manage(p: &Principal) -> Decision {
    if p.has_role(Role::LiecCoordinator) {
        Decision::allow("de LIEC-coördinator voert de landelijke aanpak")
    } else {
        Decision::deny("alleen de LIEC-coördinator opent en voert een landelijke aanpak")
    }
}

/// Consent for a case of `region` to join: the analyst or manager of that RIEC region.
pub fn may_decide_case(p: &Principal, region: i64) -> Decision {
    let has = |r: Role| p.roles.iter().any(|g| g.role == r && g.region_id == Some(region));
    if has(Role::RiecAnalyst) || has(Role::RiecManager) {
        Decision::allow("de analist of manager van de eigen regio besluit over deelname van de casus")
    } else {
        Decision::deny("alleen de analist of de manager van het RIEC-bureau van de casus besluit over deelname")
    }
}

/// The regions whose cases `p` may let join an approach ([`may_decide_case`]): the work list
/// counts the requests waiting there.
pub fn deciding_regions(p: &Principal) -> Vec<i64> {
    let mut r: Vec<i64> = p.roles.iter().filter(|g| matches!(g.role, Role::RiecAnalyst | Role::RiecManager)).filter_map(|g| g.region_id).collect();
    r.sort_unstable();
    r.dedup();
    r
}

/// Mark an action done: the LIEC, or anyone of a participating organisation.
pub fn may_finish_action(p: &Principal, participants: &[i64]) -> Decision {
    if may_manage(p).allowed || p.organisation_id.is_some_and(|o| participants.contains(&o)) {
        Decision::allow("LIEC of deelnemende organisatie")
    } else {
        Decision::deny("alleen het LIEC en de deelnemende organisaties melden een actie gereed")
    }
}

/// The list filter, the SQL form of [`may_view`]: everything (LIEC), or the approaches that
/// asked cases of the principal's team regions or that its organisation takes part in. Only
/// [`scope`] mints one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApproachScope {
    all: bool,
    regions: Vec<i64>,
    organisation_id: Option<i64>,
}

impl ApproachScope {
    pub fn all(&self) -> bool {
        self.all
    }
    pub fn regions(&self) -> &[i64] {
        &self.regions
    }
    pub fn organisation_id(&self) -> Option<i64> {
        self.organisation_id
    }
}

pub fn scope(p: &Principal) -> ApproachScope {
    ApproachScope { all: may_manage(p).allowed, regions: team_regions(p), organisation_id: p.organisation_id }
}

/// Proof that a principal may see one approach, with what it may see of the case requests.
/// Only [`grant`] mints one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApproachGrant {
    id: i64,
    manager: bool,
    team_regions: Vec<i64>,
}

impl ApproachGrant {
    pub fn id(&self) -> i64 {
        self.id
    }
}

pub fn grant(p: &Principal, id: i64, case_regions: &[i64], participants: &[i64]) -> Option<ApproachGrant> {
    may_view(p, case_regions, participants).then(|| ApproachGrant { id, manager: may_manage(p).allowed, team_regions: team_regions(p) })
}

/// How much of one case request of an approach its viewer sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestView {
    /// Reference, region, status and decision.
    Full,
    /// Only the reference and that it was asked (the LIEC's own pending requests: whether a
    /// reference exists, and where, is the owner's to reveal by deciding).
    Asked,
    Hidden,
}

/// What the holder of `g` sees of a request for a case of `region` with `status`
/// (`gevraagd`, `akkoord`, `geweigerd`): the joined cases everyone; the requests of the viewer's
/// own team regions in full; the LIEC its own pending requests by reference only and decided
/// ones in full; nothing else — and the figures count only what is seen.
pub fn request_view(g: &ApproachGrant, region: i64, status: &str) -> RequestView {
    if status == "akkoord" || g.team_regions.contains(&region) {
        RequestView::Full
    } else if g.manager {
        if status == "gevraagd" {
            RequestView::Asked
        } else {
            RequestView::Full
        }
    } else {
        RequestView::Hidden
    }
}

/// How many case requests one LIEC account may make in the throttle window before further
/// requests wait (guessing references would otherwise enumerate cases).
pub const ASKS_PER_WINDOW: i64 = 30;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Actor, RoleGrant};

    fn p(role: Role, region: Option<i64>, org: i64) -> Principal {
        Principal { actor: Actor::User(1), label: "x".into(), organisation_id: Some(org), roles: vec![RoleGrant { role, region_id: region }] }
    }

    #[test]
    fn deciding_regions_are_where_cases_may_be_let_join() {
        for role in Role::ALL {
            for region in [Some(3), None] {
                let principal = p(role, region, 1);
                for r in [3, 4] {
                    assert_eq!(deciding_regions(&principal).contains(&r), may_decide_case(&principal, r).allowed, "{role:?} {region:?} {r}");
                }
            }
        }
    }

    #[test]
    fn who_sees_and_decides() {
        let liec = p(Role::LiecCoordinator, None, 1);
        let analyst = p(Role::RiecAnalyst, Some(3), 2);
        let other_region = p(Role::RiecAnalyst, Some(4), 5);
        let partner = p(Role::PartnerEmployee, Some(4), 9);
        assert!(may_view(&liec, &[], &[]));
        assert!(may_view(&analyst, &[3, 7], &[]));
        assert!(!may_view(&other_region, &[3, 7], &[]));
        assert!(may_view(&partner, &[3], &[9]));
        assert!(!may_manage(&analyst).allowed);
        assert!(may_decide_case(&analyst, 3).allowed);
        assert!(!may_decide_case(&analyst, 4).allowed);
        assert!(!may_decide_case(&liec, 3).allowed);
        assert!(may_finish_action(&partner, &[9]).allowed);
        assert!(!may_finish_action(&other_region, &[9]).allowed);
    }
}
