//! Who reads and who writes Code Geel, the LIEC's digital magazine.
//!
//! The knowledge editors (the LIEC's knowledge editors and coordinators) write editions and
//! articles and publish an edition; until then it is theirs alone. A published edition is read
//! by everyone, also without signing in; of its articles, everyone reads the public ones and
//! the network (signed-in principals with a role) also those for the network. [`MagazineScope`]
//! carries the rule into SQL; [`grant`] decides one edition and [`may_read_article`] one
//! article; they agree (tested below).

use crate::{in_network, Decision, Principal};
use knooppunt_domain::magazine::{ArticleAudience, EditionStatus};

/// Write editions and articles, and publish.
pub fn may_edit(p: &Principal) -> Decision {
    crate::knowledge::may_edit(p)
}

/// The list and article filter. Only [`scope`] mints one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MagazineScope {
    editor: bool,
    network: bool,
}

impl MagazineScope {
    /// Sees concepts too, and every article.
    pub fn editor(&self) -> bool {
        self.editor
    }
    /// Reads the network's articles.
    pub fn network(&self) -> bool {
        self.network
    }
}

/// `p` is `None` when nobody signed in.
pub fn scope(p: Option<&Principal>) -> MagazineScope {
    MagazineScope { editor: p.is_some_and(|p| may_edit(p).allowed), network: p.is_some_and(in_network) }
}

/// Proof that the holder reads one edition; the store reads its articles with it, filtered by
/// the same scope. Only [`grant`] mints one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EditionGrant {
    id: i64,
    scope: MagazineScope,
}

impl EditionGrant {
    pub fn id(&self) -> i64 {
        self.id
    }
    pub fn scope(&self) -> MagazineScope {
        self.scope
    }
    /// Write and publish this edition.
    pub fn may_edit(&self) -> bool {
        self.scope.editor
    }
}

/// Whether `p` reads edition `id` in `status`.
pub fn grant(p: Option<&Principal>, id: i64, status: EditionStatus) -> Option<EditionGrant> {
    let s = scope(p);
    (s.editor || status == EditionStatus::Published).then_some(EditionGrant { id, scope: s })
}

/// Whether the holder of `g` reads an article for `audience`.
pub fn may_read_article(g: &EditionGrant, audience: ArticleAudience) -> bool {
    g.scope.editor
        || match audience {
            ArticleAudience::Public => true,
            ArticleAudience::Network => g.scope.network,
        }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Actor, RoleGrant};
    use knooppunt_domain::Role;

    fn everyone() -> Vec<Option<Principal>> {
        let mut v = vec![None, Some(Principal { actor: Actor::User(9), label: "lid".into(), organisation_id: Some(1), roles: Vec::new() })];
        for r in Role::ALL {
            v.push(Some(Principal { actor: Actor::User(7), label: "t".into(), organisation_id: Some(1), roles: vec![RoleGrant { role: r, region_id: None }] }));
        }
        v
    }

    #[test]
    fn the_scope_and_the_grants_agree_for_everyone() {
        for p in everyone() {
            let s = scope(p.as_ref());
            for status in EditionStatus::ALL {
                let g = grant(p.as_ref(), 1, *status);
                assert_eq!(g.is_some(), s.editor() || *status == EditionStatus::Published, "{p:?}");
                for a in ArticleAudience::ALL {
                    let sql = s.editor() || *a == ArticleAudience::Public || (s.network() && *a == ArticleAudience::Network);
                    assert_eq!(g.is_some_and(|g| may_read_article(&g, *a)), g.is_some() && sql, "{p:?} {a:?}");
                }
            }
        }
    }

    #[test]
    fn visitors_read_the_public_articles_of_a_published_edition_only() {
        let g = grant(None, 1, EditionStatus::Published);
        assert!(g.is_some_and(|g| may_read_article(&g, ArticleAudience::Public) && !may_read_article(&g, ArticleAudience::Network) && !g.may_edit()));
        assert!(grant(None, 1, EditionStatus::Concept).is_none());
        let member = Principal { actor: Actor::User(9), label: "lid".into(), organisation_id: Some(1), roles: Vec::new() };
        assert!(grant(Some(&member), 1, EditionStatus::Published).is_some_and(|g| !may_read_article(&g, ArticleAudience::Network)));
    }

    #[test]
    fn only_the_editors_write_and_see_concepts() {
        for p in everyone().into_iter().flatten() {
            let editor = p.has_role(Role::KnowledgeEditor) || p.has_role(Role::LiecCoordinator);
            assert_eq!(may_edit(&p).allowed, editor, "{p:?}");
            assert_eq!(grant(Some(&p), 1, EditionStatus::Concept).is_some(), editor, "{p:?}");
        }
    }
}
