//! Who may do what with *bestuurlijke signalen*. Submitters work on their own organisation's
//! signals; the desk (loketmedewerker) sees and handles all; the network sees accepted signals,
//! but never their source or contact. The list filter ([`SignalScope`]) applies the same rules
//! as [`decide_signal`], in SQL.

use crate::{in_network, Decision, Principal};
use knooppunt_domain::policy_signal::{SignalState, SignalStep};
use knooppunt_domain::Role;

/// What policy needs to know about one signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignalFacts {
    pub organisation_id: i64,
    pub state: SignalState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignalAction {
    /// Start a new signal (a draft).
    Create,
    /// Read the signal; see [`SignalView`] for how much.
    View,
    /// Change the content of a draft or returned signal.
    Edit,
    /// Take a workflow step.
    Step(SignalStep),
    /// Write in the question-and-answer thread.
    Message,
    /// See the desk's overview with all signals, and export it.
    Overview,
    /// Maintain the list of ministries.
    ManageMinistries,
}

/// How much of a signal a reader sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignalView {
    /// Everything, source and contact included (desk, submitting organisation).
    Full,
    /// The accepted signal without source and contact (the network).
    Public,
}

/// The roles that may submit signals: partner staff, RIEC staff and the LIEC.
pub fn can_submit(p: &Principal) -> bool {
    p.roles.iter().any(|g| {
        matches!(
            g.role,
            Role::PartnerEmployee | Role::RiecAccountManager | Role::RiecAnalyst | Role::RiecLegalAdviser | Role::RiecManager | Role::LiecCoordinator | Role::SignalDeskOfficer
        )
    })
}

pub fn is_desk(p: &Principal) -> bool {
    p.has_role(Role::SignalDeskOfficer)
}

fn own(p: &Principal, f: &SignalFacts) -> bool {
    p.organisation_id == Some(f.organisation_id) && can_submit(p)
}

/// How much of the signal `p` may read, or `None` (then the signal does not exist for `p`).
pub fn view_of(p: &Principal, f: &SignalFacts) -> Option<SignalView> {
    if is_desk(p) || own(p, f) {
        Some(SignalView::Full)
    } else if f.state.is_accepted() && in_network(p) {
        Some(SignalView::Public)
    } else {
        None
    }
}

pub fn decide_signal(p: &Principal, action: SignalAction, f: Option<&SignalFacts>) -> Decision {
    use SignalAction as A;
    match (action, f) {
        (A::Create, _) => {
            if can_submit(p) {
                Decision::allow("rol die signalen mag indienen")
            } else {
                Decision::deny("uw rol kan geen bestuurlijke signalen indienen")
            }
        }
        (A::Overview | A::ManageMinistries, _) => {
            if is_desk(p) {
                Decision::allow("rol loketmedewerker")
            } else {
                Decision::deny("alleen het Loket Bestuurlijke Signalen")
            }
        }
        (_, None) => Decision::deny("onbekend signaal"),
        (A::View, Some(f)) => match view_of(p, f) {
            Some(_) => Decision::allow("loket, indienende organisatie of aanvaard signaal"),
            None => Decision::deny("signaal niet zichtbaar"),
        },
        (A::Edit, Some(f)) => {
            if is_desk(p) && matches!(f.state, SignalState::Submitted | SignalState::InAssessment) {
                Decision::allow("loket redigeert tijdens de beoordeling")
            } else if own(p, f) && f.state.is_editable() {
                Decision::allow("eigen organisatie, signaal nog te bewerken")
            } else if own(p, f) {
                Decision::deny("het signaal is ingediend en kan niet meer worden gewijzigd")
            } else {
                Decision::deny("alleen de indienende organisatie wijzigt het signaal")
            }
        }
        (A::Step(SignalStep::Submit), Some(f)) => {
            if own(p, f) {
                Decision::allow("eigen organisatie")
            } else {
                Decision::deny("alleen de indienende organisatie dient in")
            }
        }
        (A::Step(_), Some(_)) => {
            if is_desk(p) {
                Decision::allow("rol loketmedewerker")
            } else {
                Decision::deny("alleen het Loket Bestuurlijke Signalen behandelt signalen")
            }
        }
        (A::Message, Some(f)) => {
            if is_desk(p) || own(p, f) {
                Decision::allow("loket of indienende organisatie")
            } else {
                Decision::deny("alleen het loket en de indienende organisatie schrijven in dit gesprek")
            }
        }
    }
}

/// The list filter for `p`: the same rules as [`view_of`], for SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignalScope {
    /// The desk: every signal.
    all: bool,
    /// The principal's own organisation's signals, when it may submit.
    organisation_id: Option<i64>,
    /// Accepted signals of everyone.
    accepted: bool,
}

impl SignalScope {
    pub fn all(&self) -> bool {
        self.all
    }
    pub fn organisation_id(&self) -> Option<i64> {
        self.organisation_id
    }
    pub fn accepted(&self) -> bool {
        self.accepted
    }
}

/// Proof that a principal may see one signal, and in which view. Only [`grant`] mints one; the
/// store reads a signal's thread, history and attachments only with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignalGrant {
    id: i64,
    view: SignalView,
}

impl SignalGrant {
    pub fn id(&self) -> i64 {
        self.id
    }
    pub fn view(&self) -> SignalView {
        self.view
    }
    /// Source, contact, thread, attachments, and who took each step (desk and submitter).
    pub fn full(&self) -> bool {
        self.view == SignalView::Full
    }
}

pub fn grant(p: &Principal, id: i64, f: &SignalFacts) -> Option<SignalGrant> {
    view_of(p, f).map(|view| SignalGrant { id, view })
}

pub fn signal_scope(p: &Principal) -> SignalScope {
    SignalScope { all: is_desk(p), organisation_id: if can_submit(p) { p.organisation_id } else { None }, accepted: in_network(p) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Actor, RoleGrant};

    fn p(role: Role, org: i64) -> Principal {
        Principal { actor: Actor::User(1), label: "t".into(), organisation_id: Some(org), roles: vec![RoleGrant { role, region_id: None }] }
    }

    /// The scope and the decision agree for every role, organisation and state.
    #[test]
    fn scope_agrees_with_decide() {
        for role in Role::ALL {
            for org in [1, 2] {
                let principal = p(role, org);
                let scope = signal_scope(&principal);
                for state in SignalState::ALL {
                    let facts = SignalFacts { organisation_id: 1, state };
                    let in_scope = scope.all || scope.organisation_id == Some(1) || (scope.accepted && state.is_accepted());
                    assert_eq!(decide_signal(&principal, SignalAction::View, Some(&facts)).allowed, in_scope, "{role:?} org {org} {state:?}");
                }
            }
        }
    }

    #[test]
    fn network_never_gets_the_full_view() {
        let other = p(Role::PartnerEmployee, 2);
        let f = SignalFacts { organisation_id: 1, state: SignalState::Accepted };
        assert_eq!(view_of(&other, &f), Some(SignalView::Public));
        assert_eq!(view_of(&p(Role::SignalDeskOfficer, 9), &f), Some(SignalView::Full));
        assert_eq!(view_of(&other, &SignalFacts { organisation_id: 1, state: SignalState::Submitted }), None);
        assert!(!decide_signal(&other, SignalAction::Message, Some(&f)).allowed);
    }
}
