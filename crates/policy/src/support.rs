//! Who asks the LIEC for specialist support, who answers, and who sees a request.
//!
//! A support request is a RIEC's question to the LIEC (Bibob, art. 13b Opiumwet, the Awb …). It
//! names a case by its reference only: no case contents travel, and the LIEC gets no access to
//! the case. The RIEC staff of the asking region (analyst, legal adviser, account manager,
//! manager) ask, see their region's requests, add information and close them; the LIEC
//! coordinators see every request, take them on, ask for more information and answer. Nobody
//! else sees a request, not even that one exists. [`SupportScope`] carries the list rule into
//! SQL; [`grant`] decides one request; the two agree (tested below).

use crate::{Decision, Principal};
use knooppunt_domain::support::{Side, SupportStep};
use knooppunt_domain::Role;

/// The RIEC roles that ask for support on behalf of their region.
const ASKING: [Role; 4] = [Role::RiecAnalyst, Role::RiecLegalAdviser, Role::RiecAccountManager, Role::RiecManager];

/// The regions on whose behalf `p` asks: where `p` holds a RIEC role.
pub fn asking_regions(p: &Principal) -> Vec<i64> {
    let mut r: Vec<i64> = p.roles.iter().filter(|g| ASKING.contains(&g.role)).filter_map(|g| g.region_id).collect();
    r.sort_unstable();
    r.dedup();
    r
}

/// The LIEC's specialists: its coordinators.
pub fn is_liec(p: &Principal) -> bool {
    p.has_role(Role::LiecCoordinator)
}

/// Ask the LIEC for support on behalf of `region`.
pub fn may_ask(p: &Principal, region: i64) -> Decision {
    if asking_regions(p).contains(&region) {
        Decision::allow("RIEC-medewerker van de vragende regio")
    } else {
        Decision::deny("alleen medewerkers van een RIEC vragen ondersteuning, voor hun eigen regio")
    }
}

/// Change the turnaround targets per domain.
pub fn may_set_targets(p: &Principal) -> Decision {
    if is_liec(p) {
        Decision::allow("LIEC-coördinator")
    } else {
        Decision::deny("alleen het LIEC stelt de doorlooptijden vast")
    }
}

/// The list filter, the SQL form of [`grant`]: every request (the LIEC), or those of these
/// regions. Only [`scope`] mints one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportScope {
    all: bool,
    regions: Vec<i64>,
}

impl SupportScope {
    pub fn all(&self) -> bool {
        self.all
    }
    pub fn regions(&self) -> &[i64] {
        &self.regions
    }
    /// Sees nothing at all (the query can be skipped).
    pub fn is_empty(&self) -> bool {
        !self.all && self.regions.is_empty()
    }
}

pub fn scope(p: &Principal) -> SupportScope {
    SupportScope { all: is_liec(p), regions: asking_regions(p) }
}

/// Proof that a principal sees one request, and on which side it acts. Only [`grant`] mints
/// one; the store reads a request's messages and attachments only with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SupportGrant {
    id: i64,
    liec: bool,
    riec: bool,
}

impl SupportGrant {
    pub fn id(&self) -> i64 {
        self.id
    }

    /// Whether the holder may take `step` on this request (the state decides whether it can).
    pub fn may_take(&self, step: SupportStep) -> Decision {
        let allowed = match (step, step.side()) {
            (SupportStep::Close, _) => self.liec || self.riec,
            (_, Side::Liec) => self.liec,
            (_, Side::Riec) => self.riec,
        };
        if allowed {
            Decision::allow(if step.side() == Side::Liec && self.liec { "LIEC-coördinator" } else { "RIEC-medewerker van de vragende regio" })
        } else if step.side() == Side::Liec {
            Decision::deny("alleen het LIEC behandelt een ondersteuningsvraag")
        } else {
            Decision::deny("alleen het vragende RIEC vult een ondersteuningsvraag aan of trekt haar in")
        }
    }

    /// Add an attachment: both sides.
    pub fn may_attach(&self) -> bool {
        self.liec || self.riec
    }

    /// Publish the answer as a question-and-answer item: the LIEC.
    pub fn may_publish(&self) -> bool {
        self.liec
    }
}

/// Whether `p` sees request `id` of `region`, and as which side.
pub fn grant(p: &Principal, id: i64, region: i64) -> Option<SupportGrant> {
    let liec = is_liec(p);
    let riec = asking_regions(p).contains(&region);
    (liec || riec).then_some(SupportGrant { id, liec, riec })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Actor, RoleGrant};

    fn with(roles: &[(Role, Option<i64>)]) -> Principal {
        Principal { actor: Actor::User(7), label: "t".into(), organisation_id: Some(1), roles: roles.iter().map(|&(role, region_id)| RoleGrant { role, region_id }).collect() }
    }

    fn everyone() -> Vec<Principal> {
        let mut v = vec![with(&[])];
        for r in Role::ALL {
            v.push(with(&[(r, Some(3))]));
            v.push(with(&[(r, None)]));
        }
        v
    }

    #[test]
    fn the_scope_and_the_grant_agree_for_everyone() {
        for p in everyone() {
            let s = scope(&p);
            for region in [3, 4] {
                let sql = s.all() || s.regions().contains(&region);
                assert_eq!(grant(&p, 1, region).is_some(), sql, "{p:?} {region}");
            }
            assert_eq!(s.is_empty(), grant(&p, 1, 3).is_none() && grant(&p, 1, 4).is_none());
        }
    }

    #[test]
    fn the_region_asks_and_adds_the_liec_answers_both_close() {
        let adviser = with(&[(Role::RiecLegalAdviser, Some(3))]);
        assert!(may_ask(&adviser, 3).allowed);
        assert!(!may_ask(&adviser, 4).allowed);
        let g = grant(&adviser, 1, 3);
        assert!(g.is_some_and(|g| g.may_take(SupportStep::GiveInfo).allowed && g.may_take(SupportStep::Close).allowed && !g.may_take(SupportStep::Answer).allowed));
        assert!(g.is_some_and(|g| !g.may_publish()));
        assert!(grant(&adviser, 1, 4).is_none());
        let liec = with(&[(Role::LiecCoordinator, None)]);
        assert!(!may_ask(&liec, 3).allowed);
        let g = grant(&liec, 1, 3);
        assert!(g.is_some_and(|g| g.may_take(SupportStep::Answer).allowed && g.may_take(SupportStep::Close).allowed && !g.may_take(SupportStep::Withdraw).allowed));
        assert!(g.is_some_and(|g| g.may_publish()));
    }

    #[test]
    fn nobody_else_sees_a_request() {
        for r in [Role::PartnerEmployee, Role::SteeringGroupMember, Role::SignalDeskOfficer, Role::KnowledgeEditor, Role::PrivacyOfficer, Role::Auditor, Role::Administrator] {
            for region in [Some(3), None] {
                let p = with(&[(r, region)]);
                assert!(grant(&p, 1, 3).is_none(), "{r:?}");
                assert!(!may_ask(&p, 3).allowed, "{r:?}");
                assert!(scope(&p).is_empty(), "{r:?}");
            }
        }
        assert!(!may_set_targets(&with(&[(Role::RiecManager, Some(3))])).allowed);
        assert!(may_set_targets(&with(&[(Role::LiecCoordinator, None)])).allowed);
    }
}
