//! Who reads and who writes the knowledge items of the Kennisplatform Ondermijning.
//!
//! A published item is read by its audience: openbaar (everyone, also without signing in),
//! netwerk (every signed-in principal with a role in the network), groep (the principals of the
//! group's member organisations, such as the members of a phenomenon table — private members
//! among them, who have no network role), redactie (the editors). Items that are not published
//! (concept, under review, archived) are the editors' alone. The editors are the LIEC's
//! knowledge editors and its coordinators. [`KnowledgeScope`] carries the same rules into SQL;
//! [`may_read`] decides one item, and the two agree (tested below).

use crate::{in_network, Actor, Decision, Principal};
use knooppunt_domain::knowledge::{Audience, KnowledgeState, KnowledgeStep};
use knooppunt_domain::Role;

/// Whether `p` belongs to the knowledge editors.
pub fn is_editor(p: &Principal) -> bool {
    p.has_role(Role::KnowledgeEditor) || p.has_role(Role::LiecCoordinator)
}

/// Whether `p` may write items, take workflow steps and keep the knowledge groups.
pub fn may_edit(p: &Principal) -> Decision {
    if p.has_role(Role::KnowledgeEditor) {
        Decision::allow("kennisredacteur van het LIEC")
    } else if p.has_role(Role::LiecCoordinator) {
        Decision::allow("LIEC-coördinator")
    } else {
        Decision::deny("alleen de kennisredactie van het LIEC schrijft kennisitems")
    }
}

/// Who acts, as recorded on an item offered for review: a user or a system client.
pub fn author_key(p: &Principal) -> String {
    match p.actor {
        Actor::User(id) => format!("gebruiker:{id}"),
        Actor::Token(id) => format!("token:{id}"),
        Actor::Operator => "beheerder".into(),
    }
}

/// Whether editor `p` may take `step` on an item offered for review by `submitted_by` (an
/// [`author_key`]): the editor who offered it does not publish it too (four eyes).
pub fn may_take_step(p: &Principal, step: KnowledgeStep, submitted_by: Option<&str>) -> Decision {
    let d = may_edit(p);
    if !d.allowed {
        return d;
    }
    if step == KnowledgeStep::Publish && submitted_by == Some(author_key(p).as_str()) {
        return Decision::deny("een andere redacteur publiceert wat u ter beoordeling aanbood");
    }
    d
}

/// The facts of one item that decide who reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemFacts {
    pub state: KnowledgeState,
    pub audience: Audience,
    /// Whether the principal's organisation is a member of the item's group.
    pub member_of_group: bool,
}

/// Whether `p` (`None`: not signed in) may read an item with `f`.
pub fn may_read(p: Option<&Principal>, f: &ItemFacts) -> bool {
    if p.is_some_and(is_editor) {
        return true;
    }
    if f.state != KnowledgeState::Published {
        return false;
    }
    match f.audience {
        Audience::Public => true,
        Audience::Network => p.is_some_and(in_network),
        Audience::Group => p.is_some() && f.member_of_group,
        Audience::Editors => false,
    }
}

/// The same rules as [`may_read`], for SQL: every list, count, facet and search over knowledge
/// items filters with it. Only [`knowledge_scope`] makes one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnowledgeScope {
    editor: bool,
    network: bool,
    /// The organisation whose group memberships count (signed-in principals only).
    organisation_id: Option<i64>,
}

impl KnowledgeScope {
    /// Every item in every state.
    pub fn editor(&self) -> bool {
        self.editor
    }
    /// Published items for the network.
    pub fn network(&self) -> bool {
        self.network
    }
    /// Published group items of the groups this organisation is a member of.
    pub fn organisation_id(&self) -> Option<i64> {
        self.organisation_id
    }
}

pub fn knowledge_scope(p: Option<&Principal>) -> KnowledgeScope {
    KnowledgeScope { editor: p.is_some_and(is_editor), network: p.is_some_and(in_network), organisation_id: p.and_then(|p| p.organisation_id) }
}

/// The search indexer's view: every item in every state, read only to write its terms into the
/// index, which every reader then filters with its own [`knowledge_scope`].
pub fn indexer_scope() -> KnowledgeScope {
    KnowledgeScope { editor: true, network: true, organisation_id: None }
}

/// Proof that a principal may read one item. Only [`grant`] mints one; the store reads an
/// item's themes, versions and workflow steps only with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnowledgeGrant {
    id: i64,
    editor: bool,
}

impl KnowledgeGrant {
    pub fn id(&self) -> i64 {
        self.id
    }
    /// The editors also read who changed what, the older versions and the workflow steps.
    pub fn editor(&self) -> bool {
        self.editor
    }
}

pub fn grant(p: Option<&Principal>, id: i64, f: &ItemFacts) -> Option<KnowledgeGrant> {
    may_read(p, f).then(|| KnowledgeGrant { id, editor: p.is_some_and(is_editor) })
}

/// Whether `p` may see a knowledge group with member organisations `members`: the editors see
/// every group; anyone else the groups of their own organisation.
pub fn may_see_group(p: &Principal, members: &[i64]) -> bool {
    is_editor(p) || p.organisation_id.is_some_and(|o| members.contains(&o))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RoleGrant;

    fn with(roles: &[Role]) -> Principal {
        Principal { actor: Actor::User(7), label: "t".into(), organisation_id: Some(3), roles: roles.iter().map(|&role| RoleGrant { role, region_id: None }).collect() }
    }

    /// What the scope lets through in SQL, written out over its fields.
    fn scope_admits(s: &KnowledgeScope, f: &ItemFacts) -> bool {
        s.editor()
            || (f.state == KnowledgeState::Published
                && (f.audience == Audience::Public
                    || (f.audience == Audience::Network && s.network())
                    || (f.audience == Audience::Group && s.organisation_id().is_some() && f.member_of_group)))
    }

    #[test]
    fn the_scope_and_the_decision_agree_for_everyone_and_every_item() {
        let mut principals: Vec<Option<Principal>> = vec![None, Some(with(&[]))];
        principals.extend(Role::ALL.iter().map(|r| Some(with(&[*r]))));
        for p in &principals {
            let s = knowledge_scope(p.as_ref());
            for state in KnowledgeState::ALL {
                for audience in Audience::ALL {
                    for member_of_group in [false, true] {
                        let f = ItemFacts { state: *state, audience: *audience, member_of_group };
                        assert_eq!(may_read(p.as_ref(), &f), scope_admits(&s, &f), "{p:?} {f:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn outside_the_editors_only_published_items_of_ones_audience_are_read() {
        let published = |audience, member_of_group| ItemFacts { state: KnowledgeState::Published, audience, member_of_group };
        // Not signed in: public only.
        assert!(may_read(None, &published(Audience::Public, false)));
        assert!(!may_read(None, &published(Audience::Network, false)));
        assert!(!may_read(None, &published(Audience::Group, true)));
        // A private table member (no network role): public and own group.
        let private = with(&[]);
        assert!(!may_read(Some(&private), &published(Audience::Network, false)));
        assert!(may_read(Some(&private), &published(Audience::Group, true)));
        assert!(!may_read(Some(&private), &published(Audience::Group, false)));
        // A partner: the network, not another group, never the editors' own.
        let partner = with(&[Role::PartnerEmployee]);
        assert!(may_read(Some(&partner), &published(Audience::Network, false)));
        assert!(!may_read(Some(&partner), &published(Audience::Group, false)));
        assert!(!may_read(Some(&partner), &published(Audience::Editors, false)));
        for state in [KnowledgeState::Concept, KnowledgeState::Review, KnowledgeState::Archived] {
            assert!(!may_read(Some(&partner), &ItemFacts { state, audience: Audience::Public, member_of_group: true }));
            assert!(may_read(Some(&with(&[Role::KnowledgeEditor])), &ItemFacts { state, audience: Audience::Group, member_of_group: false }));
        }
    }

    #[test]
    fn the_editors_write_and_somebody_else_publishes() {
        for r in Role::ALL {
            assert_eq!(may_edit(&with(&[r])).allowed, matches!(r, Role::KnowledgeEditor | Role::LiecCoordinator), "{r:?}");
        }
        let editor = with(&[Role::KnowledgeEditor]);
        assert!(!may_take_step(&editor, KnowledgeStep::Publish, Some("gebruiker:7")).allowed);
        assert!(may_take_step(&editor, KnowledgeStep::Publish, Some("gebruiker:8")).allowed);
        assert!(may_take_step(&editor, KnowledgeStep::Publish, Some("token:7")).allowed);
        assert!(may_take_step(&editor, KnowledgeStep::Return, Some("gebruiker:7")).allowed);
        assert!(!may_take_step(&with(&[Role::PartnerEmployee]), KnowledgeStep::Submit, None).allowed);
    }

    #[test]
    fn a_group_is_seen_by_its_members_and_the_editors() {
        assert!(may_see_group(&with(&[]), &[1, 3]));
        assert!(!may_see_group(&with(&[Role::PartnerEmployee]), &[1, 2]));
        assert!(may_see_group(&with(&[Role::KnowledgeEditor]), &[]));
    }
}
