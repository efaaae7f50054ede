//! The knowledge search: the index kept with every change of an item, rebuilt when the analyser
//! changes, and the plan of one search — the query's words as concepts (compound parts, the
//! editors' synonyms), misspelt words corrected to terms the reader's own items hold, and each
//! term's weight from the statistics of the reader's own collection, so nothing about items the
//! reader does not see shapes what the reader gets. The editors maintain the synonym groups.

use crate::{commit, App, AppError, Ctx, Object, Outcome};
use knooppunt_domain::Invalid;
use knooppunt_policy::knowledge as policy;
use knooppunt_search::index::{analyser_version, correctable, deletes, distance, doc_terms, impact, query_weight};
use knooppunt_search::query::{concepts, Concept, Synonyms, SHARE_CORRECTION, SHARE_SYNONYM, SHARE_WORD};
use knooppunt_search::terms::{search_terms, Lexicon};
use knooppunt_store::replica::View;
use knooppunt_store::search::{self as store, SynonymRow};
use knooppunt_store::Tx;
use std::collections::BTreeSet;

/// Items indexed per statement batch during a rebuild.
const REBUILD_CHUNK: usize = 200;

/// At most this many weighted terms go into one search.
const MAX_TERMS: usize = 32;

/// Corrections considered per misspelt word.
const MAX_CORRECTIONS: usize = 2;

/// The longest query read.
pub const MAX_QUERY: usize = 200;

/// What one search looks for.
#[derive(Debug, Clone, Default)]
pub struct SearchPlan {
    /// (term, weight ×1000, concept) for the ranking.
    pub weights: Vec<(String, i64, i64)>,
    /// (word typed, term searched instead) for words no item of the reader holds.
    pub corrections: Vec<(String, String)>,
}

impl SearchPlan {
    /// The terms to mark in snippets: those searched for.
    pub fn marked(&self) -> BTreeSet<String> {
        self.weights.iter().map(|w| w.0.clone()).collect()
    }

    /// The terms an item must hold one of; a term no item holds when nothing can match.
    pub fn filter_terms(&self) -> Vec<String> {
        if self.weights.is_empty() {
            vec![String::new()]
        } else {
            self.weights.iter().map(|w| w.0.clone()).collect()
        }
    }
}

/// The concepts of query `text` with the editors' synonym `groups` (each group's words as
/// stored), as every search of the knowledge analyser takes them.
pub(crate) fn query_concepts<S: AsRef<str>>(text: &str, groups: &[S]) -> Vec<Concept> {
    let groups: Vec<Vec<String>> = groups.iter().map(|g| members(g.as_ref())).collect();
    concepts(text, Lexicon::domain(), &Synonyms::new(&groups))
}

/// The members of a synonym group as written: separated by commas or new lines.
fn members(words: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for m in words.split([',', '\n', ';']).map(|m| m.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|m| !m.is_empty()) {
        if !out.iter().any(|x| x.to_lowercase() == m.to_lowercase()) {
            out.push(m);
        }
    }
    out
}

impl App {
    /// Indexes items `ids` (in `tx`, with the change that made it necessary).
    pub(crate) async fn index_items(&self, tx: &mut Tx, ids: &[i64]) -> Result<(), AppError> {
        let lexicon = Lexicon::domain();
        let sources = store::sources(tx, &policy::indexer_scope(), ids).await?;
        let mut vocabulary: BTreeSet<String> = BTreeSet::new();
        let mut batch = Vec::with_capacity(sources.len());
        for s in &sources {
            let extra = s.extra.join("\n");
            let d = doc_terms(&[(s.title.as_str(), 3), (s.ecli.as_deref().unwrap_or(""), 3), (s.summary.as_str(), 2), (s.body.as_str(), 1), (extra.as_str(), 1)], lexicon);
            let postings: Vec<(String, i64)> = d.frequencies.iter().map(|(t, tf)| (t.clone(), impact(*tf, d.length))).collect();
            batch.push(store::ItemPostings { id: s.id, bucket: s.bucket.clone(), postings });
            vocabulary.extend(d.frequencies.into_keys());
        }
        store::replace_postings(tx, &batch).await?;
        let all: Vec<&str> = vocabulary.iter().map(String::as_str).collect();
        let mut pairs = Vec::new();
        for chunk in all.chunks(500) {
            for term in store::new_terms(tx, chunk).await? {
                if correctable(&term) {
                    pairs.extend(deletes(&term).into_iter().map(|v| (v, term.clone())));
                }
                pairs.push((term.clone(), term));
            }
        }
        store::add_variants(tx, &pairs).await?;
        Ok(())
    }

    /// Rebuilds the search index when it was built with another analyser (or never), then reads
    /// this node's copy of it into memory (so the first search does not wait for that); how many
    /// items it indexed. Safe with several nodes starting at once: the second waits and finds
    /// the index current.
    pub async fn prepare_search(&self) -> Result<usize, AppError> {
        let n = self.rebuild_search_index().await?;
        let mut tx = self.begin_read().await?;
        self.search_replica.catch_up(&mut tx).await?;
        commit(tx).await?;
        Ok(n)
    }

    async fn rebuild_search_index(&self) -> Result<usize, AppError> {
        let version = analyser_version();
        let mut tx = self.begin().await?;
        if store::lock_index_state(&mut tx).await? == version {
            commit(tx).await?;
            return Ok(0);
        }
        let ids = store::item_ids(&mut tx, &policy::indexer_scope()).await?;
        store::clear_index(&mut tx).await?;
        for chunk in ids.chunks(REBUILD_CHUNK) {
            self.index_items(&mut tx, chunk).await?;
        }
        store::set_index_state(&mut tx, &version).await?;
        commit(tx).await?;
        if !ids.is_empty() {
            tracing::info!(items = ids.len(), analyser = %version, "zoekindex opnieuw opgebouwd");
        }
        Ok(ids.len())
    }

    /// The plan of a search for `text` by a reader with `scope`, read in `tx`.
    pub(crate) async fn search_plan(&self, tx: &mut Tx, view: &View<'_>, text: &str) -> Result<SearchPlan, AppError> {
        let lexicon = Lexicon::domain();
        let mut wanted = query_concepts(text, &view.synonyms(tx).await?);
        let terms: BTreeSet<String> = wanted.iter().flat_map(|c| c.terms.iter().map(|t| t.0.clone())).collect();
        let all: Vec<&str> = terms.iter().map(String::as_str).collect();
        let (n, mut df) = view.frequencies(tx, &all).await?;
        // Candidates for every word the reader's items do not hold that may be misspelt, with
        // their parts (and how many of the reader's items hold those).
        let mut variants: BTreeSet<String> = BTreeSet::new();
        for c in wanted.iter().filter(|c| correctable(&c.term) && !df.contains_key(&c.term)) {
            variants.insert(c.term.clone());
            variants.extend(deletes(&c.term));
        }
        let list: Vec<&str> = variants.iter().map(String::as_str).collect();
        let candidates = if list.is_empty() { Vec::new() } else { store::terms_with_variants(tx, &list).await? };
        let more: BTreeSet<String> = candidates.iter().flat_map(|c| search_terms(c, lexicon)).filter(|t| !terms.contains(t)).collect();
        if !more.is_empty() {
            df.extend(view.frequencies(tx, &more.iter().map(String::as_str).collect::<Vec<_>>()).await?.1);
        }
        let held = |t: &str| df.get(t).copied().unwrap_or(0);
        let mut plan = SearchPlan::default();
        for c in wanted.iter_mut() {
            if held(&c.term) > 0 || !correctable(&c.term) {
                continue;
            }
            let len = c.term.chars().count();
            let mut near: Vec<(usize, i64, &String)> = candidates
                .iter()
                .filter(|t| **t != c.term && held(t) > 0)
                .map(|t| (distance(&c.term, t), held(t), t))
                .filter(|(d, _, _)| *d == 1 || (*d == 2 && len >= 8))
                .collect();
            near.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(b.2)));
            for (_, _, t) in near.into_iter().take(MAX_CORRECTIONS) {
                c.add_correction(t, lexicon);
                plan.corrections.push((c.word.clone(), t.clone()));
            }
        }
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for (i, c) in wanted.iter().enumerate() {
            // A synonym stands for the word: it weighs no more than the word (or the word's
            // correction) would, however rare it is.
            let word_df = c.terms.iter().filter(|(_, sh)| *sh == SHARE_WORD || *sh == SHARE_CORRECTION).map(|(t, _)| held(t)).max().unwrap_or(0);
            for (t, share) in &c.terms {
                let f = held(t);
                if f == 0 || seen.contains(t) || plan.weights.len() == MAX_TERMS {
                    continue;
                }
                seen.insert(t.clone());
                let stat = if *share == SHARE_SYNONYM { f.max(word_df) } else { f };
                plan.weights.push((t.clone(), query_weight(n, stat, *share), i as i64));
            }
        }
        Ok(plan)
    }

    /// The synonym groups (the editors).
    pub async fn synonym_groups(&self, ctx: &Ctx) -> Result<Vec<SynonymRow>, AppError> {
        self.synonym_editor(ctx).await?;
        let mut tx = self.begin_read().await?;
        let rows = store::synonyms(&mut tx).await?;
        commit(tx).await?;
        Ok(rows)
    }

    async fn synonym_editor(&self, ctx: &Ctx) -> Result<String, AppError> {
        let p = ctx.principal()?;
        let d = policy::may_edit(p);
        if d.allowed {
            Ok(p.label.clone())
        } else {
            Err(self.refuse(None, ctx, &Object::new("zoeksynoniemen", "lijst"), d.reason, AppError::Forbidden(d.reason)).await)
        }
    }

    /// Adds a synonym group (`id` None) or changes group `id` at `version`; the group's id.
    pub async fn save_synonyms(&self, ctx: &Ctx, id: Option<i64>, version: i64, words: &str) -> Result<i64, AppError> {
        let by = self.synonym_editor(ctx).await?;
        let list = members(words);
        let mut invalid = Invalid::default();
        if list.len() < 2 {
            invalid.push("woorden", "Geef ten minste twee woorden die hetzelfde betekenen, gescheiden door komma's.");
        }
        if list.len() > 20 {
            invalid.push("woorden", "Een groep heeft ten hoogste twintig woorden.");
        }
        for m in &list {
            if m.chars().count() > 60 {
                invalid.push("woorden", format!("'{}…' is te lang (ten hoogste 60 tekens per woord).", m.chars().take(20).collect::<String>()));
            } else if search_terms(m, &Lexicon::default()).is_empty() {
                invalid.push("woorden", format!("Op '{m}' wordt niet gezocht (een te kort of te algemeen woord)."));
            } else if let Some(e) = knooppunt_domain::text::unsafe_char_message(m) {
                invalid.push("woorden", e);
            }
        }
        invalid.into_result()?;
        let words = list.join(", ");
        let mut tx = self.begin().await?;
        let now = self.now();
        let id = match id {
            None => store::insert_synonyms(&mut tx, &words, &by, now).await?,
            Some(id) => {
                if !store::update_synonyms(&mut tx, id, version, &words, &by, now).await? {
                    return Err(AppError::Conflict("Deze synoniemengroep is intussen gewijzigd of verwijderd; laad de pagina opnieuw.".into()));
                }
                id
            }
        };
        self.audit(&mut tx, ctx, "zoeksynoniemen-gewijzigd", &Object::new("zoeksynoniemen", id), Outcome::Ok, "opgeslagen").await?;
        commit(tx).await?;
        Ok(id)
    }

    /// Removes synonym group `id` at `version`.
    pub async fn delete_synonyms(&self, ctx: &Ctx, id: i64, version: i64) -> Result<(), AppError> {
        self.synonym_editor(ctx).await?;
        let mut tx = self.begin().await?;
        if !store::delete_synonyms(&mut tx, id, version).await? {
            return Err(AppError::Conflict("Deze synoniemengroep is intussen gewijzigd of verwijderd; laad de pagina opnieuw.".into()));
        }
        self.audit(&mut tx, ctx, "zoeksynoniemen-gewijzigd", &Object::new("zoeksynoniemen", id), Outcome::Ok, "verwijderd").await?;
        commit(tx).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::members;

    #[test]
    fn members_are_split_and_kept_once() {
        assert_eq!(members("hennep, Cannabis;wiet\n  cannabis ,, "), vec!["hennep", "Cannabis", "wiet"]);
        assert!(members(" , ").is_empty());
    }
}
