//! Who sees the LIEC's events, who registers, and who organises them.
//!
//! An event is public (everyone sees it, also without signing in) or for the network (every
//! signed-in principal with a role). Registering needs a signed-in user who sees the event — a
//! person, never a system client. The LIEC's coordinators and knowledge editors organise: they
//! create and change events, see every event and the attendee list with the registrants'
//! names and e-mail addresses; nobody else reads another's registration. [`EventScope`] carries
//! the list rule into SQL; [`grant`] decides one event; the two agree (tested below).

use crate::{in_network, Decision, Principal};
use knooppunt_domain::events::EventAudience;
use knooppunt_domain::Role;

/// Whether `p` organises events.
pub fn is_organiser(p: &Principal) -> bool {
    p.has_role(Role::LiecCoordinator) || p.has_role(Role::KnowledgeEditor)
}

/// Create and change events.
pub fn may_manage(p: &Principal) -> Decision {
    if p.has_role(Role::LiecCoordinator) {
        Decision::allow("LIEC-coördinator")
    } else if p.has_role(Role::KnowledgeEditor) {
        Decision::allow("kennisredacteur van het LIEC")
    } else {
        Decision::deny("alleen het LIEC organiseert bijeenkomsten")
    }
}

/// The list filter, the SQL form of [`grant`]: every event (the organisers), public and network
/// events (the network), or public events only. Only [`scope`] mints one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventScope {
    all: bool,
    network: bool,
}

impl EventScope {
    pub fn all(&self) -> bool {
        self.all
    }
    /// Sees the network's events.
    pub fn network(&self) -> bool {
        self.network
    }
}

/// `p` is `None` when nobody signed in.
pub fn scope(p: Option<&Principal>) -> EventScope {
    EventScope { all: p.is_some_and(is_organiser), network: p.is_some_and(in_network) }
}

/// Proof that a principal sees one event, with what it may do there. Only [`grant`] mints one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventGrant {
    id: i64,
    user: Option<i64>,
    organiser: bool,
}

impl EventGrant {
    pub fn id(&self) -> i64 {
        self.id
    }

    /// The signed-in user who may register (and read and cancel their own registration);
    /// `None` for visitors who did not sign in and for system clients.
    pub fn registrant(&self) -> Option<i64> {
        self.user
    }

    /// The attendee list with names and e-mail addresses: the organisers only.
    pub fn attendees(&self) -> Option<AttendeeGrant> {
        self.organiser.then_some(AttendeeGrant { event_id: self.id })
    }

    /// Change the event.
    pub fn may_edit(&self) -> bool {
        self.organiser
    }
}

/// Proof that the holder reads the registrations of one event (personal data). Only
/// [`EventGrant::attendees`] mints one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttendeeGrant {
    event_id: i64,
}

impl AttendeeGrant {
    pub fn event_id(&self) -> i64 {
        self.event_id
    }
}

/// Whether `p` (`None`: not signed in) sees event `id` for `audience`.
pub fn grant(p: Option<&Principal>, id: i64, audience: EventAudience) -> Option<EventGrant> {
    let organiser = p.is_some_and(is_organiser);
    let sees = organiser
        || match audience {
            EventAudience::Public => true,
            EventAudience::Network => p.is_some_and(in_network),
        };
    sees.then(|| EventGrant { id, user: p.and_then(Principal::user_id), organiser })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Actor, RoleGrant};

    fn with(actor: Actor, roles: &[Role]) -> Principal {
        Principal { actor, label: "t".into(), organisation_id: Some(1), roles: roles.iter().map(|&role| RoleGrant { role, region_id: None }).collect() }
    }

    fn everyone() -> Vec<Option<Principal>> {
        let mut v = vec![None, Some(with(Actor::User(7), &[])), Some(with(Actor::Token(2), &[]))];
        for r in Role::ALL {
            v.push(Some(with(Actor::User(7), &[r])));
            v.push(Some(with(Actor::Token(2), &[r])));
        }
        v
    }

    #[test]
    fn the_scope_and_the_grant_agree_for_everyone() {
        for p in everyone() {
            let s = scope(p.as_ref());
            for a in EventAudience::ALL {
                let sql = s.all() || *a == EventAudience::Public || (*a == EventAudience::Network && s.network());
                assert_eq!(grant(p.as_ref(), 1, *a).is_some(), sql, "{p:?} {a:?}");
            }
        }
    }

    #[test]
    fn everyone_sees_a_public_event_only_users_register() {
        assert!(grant(None, 1, EventAudience::Public).is_some_and(|g| g.registrant().is_none() && g.attendees().is_none()));
        let private_member = with(Actor::User(9), &[]);
        assert!(grant(Some(&private_member), 1, EventAudience::Public).is_some_and(|g| g.registrant() == Some(9)));
        assert!(grant(Some(&private_member), 1, EventAudience::Network).is_none());
        let system = with(Actor::Token(3), &[Role::RiecAnalyst]);
        assert!(grant(Some(&system), 1, EventAudience::Network).is_some_and(|g| g.registrant().is_none()));
        assert!(grant(None, 1, EventAudience::Network).is_none());
    }

    #[test]
    fn only_the_organisers_read_the_attendees_and_change_the_event() {
        for p in everyone().into_iter().flatten() {
            let organiser = p.has_role(Role::LiecCoordinator) || p.has_role(Role::KnowledgeEditor);
            assert_eq!(may_manage(&p).allowed, organiser, "{p:?}");
            for a in EventAudience::ALL {
                let g = grant(Some(&p), 1, *a);
                assert_eq!(g.and_then(|g| g.attendees()).is_some(), organiser, "{p:?}");
                assert_eq!(g.is_some_and(|g| g.may_edit()), organiser, "{p:?}");
            }
        }
    }
}
