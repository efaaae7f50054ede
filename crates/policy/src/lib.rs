//! Need-to-know: who may do what, and why.
//!
//! `decide(principal, action)` is the only place where access is decided; handlers and use cases
//! ask it and never test roles themselves. The crate is pure: no IO, no clock, no SQL strings
//! other than the visibility predicates it owns.

pub mod approaches;
pub mod cases;
pub mod events;
pub mod fieldlabs;
pub mod figures;
pub mod knowledge;
pub mod magazine;
pub mod notifications;
pub mod retention;
pub mod signals;
pub mod subject_requests;
pub mod support;
pub mod tables;
pub mod taxonomy;
pub mod treffers;

use knooppunt_domain::Role;
use serde::Serialize;

/// The network: every principal with a role. The private members of a phenomenon table have
/// accounts without any role: they reach their knowledge groups and the public knowledge, and
/// nothing that is the network's.
pub fn in_network(p: &Principal) -> bool {
    !p.roles.is_empty()
}

/// Who acts: a signed-in user or a system client with an API token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Actor {
    User(i64),
    Token(i64),
    /// An operator at the command line of a server (`knooppunt user ...`): has database access
    /// anyway, acts as administrator and auditor, and is audited as such.
    Operator,
}

/// A role held in a region (regional roles) or nationally (`region_id` is `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RoleGrant {
    pub role: Role,
    pub region_id: Option<i64>,
}

/// The acting party of every use case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Principal {
    pub actor: Actor,
    /// A readable label for the audit log (user name or token name); never a secret.
    pub label: String,
    /// `None` only for the operator.
    pub organisation_id: Option<i64>,
    pub roles: Vec<RoleGrant>,
}

impl Principal {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.iter().any(|g| g.role == role)
    }

    pub fn user_id(&self) -> Option<i64> {
        match self.actor {
            Actor::User(id) => Some(id),
            Actor::Token(_) | Actor::Operator => None,
        }
    }

    /// The operator at the command line.
    pub fn operator(label: impl Into<String>) -> Self {
        Self {
            actor: Actor::Operator,
            label: label.into(),
            organisation_id: None,
            roles: vec![RoleGrant { role: Role::Administrator, region_id: None }, RoleGrant { role: Role::Auditor, region_id: None }],
        }
    }

    /// The regions in which the principal holds any regional role.
    pub fn regions(&self) -> Vec<i64> {
        let mut r: Vec<i64> = self.roles.iter().filter_map(|g| g.region_id).collect();
        r.sort_unstable();
        r.dedup();
        r
    }
}

/// Actions on the network and on accounts. Case actions join this list with the case files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Action {
    /// Read regions, municipalities and organisations (reference data, no personal data).
    ViewNetwork,
    /// Add, rename and merge regions, move municipalities, add organisations.
    ManageNetwork,
    /// List and read user accounts (personal data of staff).
    ViewUsers,
    /// Create, disable and reset accounts; grant and revoke roles.
    ManageUsers,
    /// Create and revoke API tokens.
    ManageApiTokens,
    /// Read the audit log and verify its chain.
    ViewAudit,
    /// Read the processing log (Logboek Dataverwerkingen).
    ViewProcessingLog,
    /// Add or change legal bases and purposes of the case forms (configurable reference data).
    ManageCaseReference,
    /// Add or change intervention types in the catalogue.
    ManageInterventionCatalogue,
    /// Re-match every subject across regions (`knooppunt match --all`).
    RecomputeMatches,
    /// Move finished months of the audit and processing logs out of the hot database into
    /// archive files (`knooppunt logs archive`): the operator on the server only, who holds the
    /// archive location and the audit key.
    ArchiveLogs,
}

/// The answer of `decide`, with the reason in Dutch for the audit line and the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub allowed: bool,
    pub reason: &'static str,
}

impl Decision {
    pub(crate) const fn allow(reason: &'static str) -> Self {
        Self { allowed: true, reason }
    }
    pub(crate) const fn deny(reason: &'static str) -> Self {
        Self { allowed: false, reason }
    }
}

/// Proof that the caller is the background matcher: system work without a principal, which reads
/// subjects of every region to find hits and returns them to nobody (its reads go to the
/// processing log). Only [`background_matcher`] mints one; a repository rule allows that call
/// only in the matcher (`app::treffers`) and its benchmark.
#[derive(Debug)]
pub struct MatcherGrant(());

pub fn background_matcher() -> MatcherGrant {
    MatcherGrant(())
}

/// Proof that the principal may search the processing log by data subject (a privacy officer or
/// auditor answering a data subject or checking the processing): it opens only the ids of the
/// subject records holding one identifier, to pseudonymise them, and their log lines; nothing
/// of a case. Only [`processing_log_grant`] mints one.
#[derive(Debug)]
pub struct ProcessingLogGrant(());

pub fn processing_log_grant(principal: &Principal) -> Option<ProcessingLogGrant> {
    decide(principal, Action::ViewProcessingLog).allowed.then_some(ProcessingLogGrant(()))
}

/// Does an account with these roles need a second factor to sign in? Every role that can read
/// personal data does (BIO2: multi-factor authentication for such access) — case work, the
/// LIEC, the signal desk, privacy officer, auditor and administrator; only the steering-group
/// member and the knowledge editor, who see figures and knowledge, do not. Demo accounts of a
/// demo instance are exempted by the caller.
pub fn requires_second_factor(roles: &[RoleGrant]) -> bool {
    roles.iter().any(|g| !matches!(g.role, Role::SteeringGroupMember | Role::KnowledgeEditor))
}

/// May `principal` revoke `role` from the account `target`? An administrator cannot revoke its
/// own administrator role (the network would be left without one by accident).
pub fn may_revoke_role(principal: &Principal, target: i64, role: Role) -> Decision {
    if role == Role::Administrator && principal.user_id() == Some(target) {
        Decision::deny("U kunt uw eigen beheerdersrol niet intrekken.")
    } else {
        Decision::allow("beheerder trekt een rol in")
    }
}

/// Decides whether `principal` may perform `action`.
pub fn decide(principal: &Principal, action: Action) -> Decision {
    let admin = principal.has_role(Role::Administrator);
    match action {
        Action::ViewNetwork => Decision::allow("iedere aangemelde gebruiker ziet het netwerk"),
        Action::ManageNetwork | Action::ManageUsers | Action::ManageApiTokens => {
            if admin {
                Decision::allow("rol beheerder")
            } else {
                Decision::deny("alleen een beheerder mag dit")
            }
        }
        Action::ViewUsers => {
            if admin {
                Decision::allow("rol beheerder")
            } else if principal.has_role(Role::Auditor) {
                Decision::allow("rol auditor")
            } else {
                Decision::deny("alleen een beheerder of auditor ziet gebruikers")
            }
        }
        Action::ViewAudit => {
            if principal.has_role(Role::Auditor) {
                Decision::allow("rol auditor")
            } else {
                Decision::deny("alleen een auditor ziet het auditlog")
            }
        }
        Action::ManageCaseReference => {
            if principal.has_role(Role::LiecCoordinator) || admin {
                Decision::allow("LIEC-coördinator of beheerder")
            } else {
                Decision::deny("alleen het LIEC of een beheerder beheert grondslagen en doelen")
            }
        }
        Action::ManageInterventionCatalogue => {
            if principal.has_role(Role::LiecCoordinator) {
                Decision::allow("LIEC-coördinator")
            } else {
                Decision::deny("alleen het LIEC beheert de interventiecatalogus")
            }
        }
        Action::RecomputeMatches => {
            if admin {
                Decision::allow("rol beheerder")
            } else {
                Decision::deny("alleen een beheerder berekent alle treffers opnieuw")
            }
        }
        Action::ArchiveLogs => {
            if principal.actor == Actor::Operator {
                Decision::allow("beheerder op de server")
            } else {
                Decision::deny("logboeken worden op de server gearchiveerd (knooppunt logs archive)")
            }
        }
        Action::ViewProcessingLog => {
            if principal.has_role(Role::Auditor) || principal.has_role(Role::PrivacyOfficer) {
                Decision::allow("rol auditor of privacyfunctionaris")
            } else {
                Decision::deny("alleen een auditor of privacyfunctionaris ziet het verwerkingenlogboek")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(role: Role) -> Principal {
        Principal { actor: Actor::User(1), label: "t".into(), organisation_id: Some(1), roles: vec![RoleGrant { role, region_id: None }] }
    }

    #[test]
    fn every_role_that_reads_personal_data_needs_a_second_factor() {
        for role in Role::ALL {
            let needs = requires_second_factor(&[RoleGrant { role, region_id: None }]);
            assert_eq!(needs, !matches!(role, Role::SteeringGroupMember | Role::KnowledgeEditor), "{role:?}");
        }
        assert!(!requires_second_factor(&[]));
    }

    #[test]
    fn only_admin_manages() {
        for role in Role::ALL {
            let p = with(role);
            assert_eq!(decide(&p, Action::ManageNetwork).allowed, role == Role::Administrator, "{role:?}");
            assert_eq!(decide(&p, Action::ViewAudit).allowed, role == Role::Auditor, "{role:?}");
            assert!(decide(&p, Action::ViewNetwork).allowed);
        }
    }
}
