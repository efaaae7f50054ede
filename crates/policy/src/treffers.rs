//! Need-to-know on hits between regions (hit/no-hit).
//!
//! A hit links a subject in a case of region A to one in region B. Only the case teams of A
//! and B know of it, and each sees only its own subject, the other region, the strength, which
//! fields agreed and whom to contact. The other side's values become visible only when both
//! sides agreed to share. The LIEC coordinator sees counts and pairs of regions and cases,
//! never subject details. Everyone else learns nothing (a hit does not exist for them).

use crate::cases::team_regions;
use crate::{Decision, Principal};
use knooppunt_domain::Role;

/// Which side of a hit a principal is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    A,
    B,
}

impl Side {
    pub fn code(self) -> &'static str {
        match self {
            Side::A => "a",
            Side::B => "b",
        }
    }

    pub fn parse(code: &str) -> Option<Side> {
        match code {
            "a" => Some(Side::A),
            "b" => Some(Side::B),
            _ => None,
        }
    }

    pub fn other(self) -> Side {
        match self {
            Side::A => Side::B,
            Side::B => Side::A,
        }
    }
}

/// The side `p` is case team on, or `None`: then the hit does not exist for `p`. Someone who is
/// team in both regions acts for side A.
pub fn side(p: &Principal, region_a: i64, region_b: i64) -> Option<Side> {
    let regions = team_regions(p);
    if regions.contains(&region_a) {
        Some(Side::A)
    } else if regions.contains(&region_b) {
        Some(Side::B)
    } else {
        None
    }
}

/// The hits `p` may list or open: those with a side in a region where `p` is case team (the
/// SQL filter of the hit list). Only [`scope`] mints one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrefferScope {
    regions: Vec<i64>,
}

impl TrefferScope {
    pub fn regions(&self) -> &[i64] {
        &self.regions
    }
}

pub fn scope(p: &Principal) -> TrefferScope {
    TrefferScope { regions: team_regions(p) }
}

/// Proof that `p` is case team on one side of one hit, with what that side may see. Only
/// [`grant`] mints one; the store reads a hit's subjects, labels and contact only with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrefferGrant {
    id: i64,
    side: Side,
    shared: bool,
}

impl TrefferGrant {
    pub fn id(&self) -> i64 {
        self.id
    }

    pub fn side(&self) -> Side {
        self.side
    }

    /// Both sides agreed: the other side's subject and case reference are visible.
    pub fn other_side_visible(&self) -> bool {
        self.shared
    }
}

/// The grant for `p` on hit `id` between `region_a` and `region_b`, or `None`: then the hit
/// does not exist for `p`.
pub fn grant(p: &Principal, id: i64, region_a: i64, region_b: i64, shared: bool) -> Option<TrefferGrant> {
    side(p, region_a, region_b).map(|side| TrefferGrant { id, side, shared })
}

/// The grants of both sides once both consented to share (`akkoord` on both sides), so that each
/// case's history can name the other case; `None` before that.
pub fn both_consented(g: &TrefferGrant, share_a: &str, share_b: &str) -> Option<[TrefferGrant; 2]> {
    (share_a == "akkoord" && share_b == "akkoord").then(|| [TrefferGrant { id: g.id, side: g.side, shared: true }, TrefferGrant { id: g.id, side: g.side.other(), shared: true }])
}

/// A review note or a refusal reason written by `written_by` (the side that wrote it; `None`
/// when unknown) is free text between the teams: the other team reads it only after both
/// consented to share.
pub fn may_read_note(g: &TrefferGrant, written_by: Option<Side>) -> bool {
    written_by == Some(g.side) || g.shared
}

/// Proof that `p` may see the national overview of hits (counts and pairs of regions and
/// cases, no subject details). Only [`overview`] mints one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverviewGrant(());

pub fn overview(p: &Principal) -> Option<OverviewGrant> {
    may_see_overview(p).then_some(OverviewGrant(()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrefferAction {
    /// Confirm a hit or mark it a false match.
    Review,
    /// Agree to share (or ask the other side to), or refuse.
    Share,
}

/// May `p`, on `side` (from [`side`]), do `action`? Every team role may review; agreeing to
/// share personal data with another region is for the analyst and the manager.
pub fn decide_treffer(p: &Principal, side: Option<Side>, region: i64, action: TrefferAction) -> Decision {
    if side.is_none() {
        return Decision::deny("treffer niet zichtbaar");
    }
    let has = |r: Role| p.roles.iter().any(|g| g.role == r && g.region_id == Some(region));
    match action {
        TrefferAction::Review => Decision::allow("casusteam van een van beide regio's beoordeelt de treffer"),
        TrefferAction::Share if has(Role::RiecAnalyst) || has(Role::RiecManager) => Decision::allow("analist of manager van het RIEC besluit over delen"),
        TrefferAction::Share => Decision::deny("alleen de analist of de manager van het RIEC-bureau besluit over het delen van gegevens"),
    }
}

/// May `p` see the national overview of hits (counts and pairs, no subject details)?
pub fn may_see_overview(p: &Principal) -> bool {
    p.has_role(Role::LiecCoordinator)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Actor, RoleGrant};

    fn p(role: Role, region: Option<i64>) -> Principal {
        Principal { actor: Actor::User(1), label: "x".into(), organisation_id: Some(1), roles: vec![RoleGrant { role, region_id: region }] }
    }

    #[test]
    fn only_the_two_teams_know_a_hit() {
        assert_eq!(side(&p(Role::RiecAnalyst, Some(1)), 1, 2), Some(Side::A));
        assert_eq!(side(&p(Role::RiecAnalyst, Some(2)), 1, 2), Some(Side::B));
        assert_eq!(side(&p(Role::RiecAnalyst, Some(3)), 1, 2), None);
        assert_eq!(side(&p(Role::PartnerEmployee, Some(1)), 1, 2), None);
        assert_eq!(side(&p(Role::LiecCoordinator, None), 1, 2), None);
        assert!(may_see_overview(&p(Role::LiecCoordinator, None)));
        assert!(!may_see_overview(&p(Role::RiecManager, Some(1))));
    }

    #[test]
    fn sharing_is_for_analyst_and_manager() {
        let legal = p(Role::RiecLegalAdviser, Some(1));
        assert!(decide_treffer(&legal, side(&legal, 1, 2), 1, TrefferAction::Review).allowed);
        assert!(!decide_treffer(&legal, side(&legal, 1, 2), 1, TrefferAction::Share).allowed);
        let analyst = p(Role::RiecAnalyst, Some(2));
        assert!(decide_treffer(&analyst, side(&analyst, 1, 2), 2, TrefferAction::Share).allowed);
        let outsider = p(Role::RiecAnalyst, Some(3));
        assert!(!decide_treffer(&outsider, side(&outsider, 1, 2), 3, TrefferAction::Review).allowed);
    }
}
