//! The knowledge search index: postings (term, item, BM25 weight ×1000), the vocabulary with
//! each term's deletion variants, the editors' synonym groups and the analyser version the
//! index was built with. The analysis itself is `knooppunt-search`'s; this module stores and
//! reads. Every reader of item text or statistics filters with a [`KnowledgeScope`] minted by
//! the policy crate ([`VISIBLE`]); the postings of an item nobody may see are never returned.

use crate::db::{col, Conn, StoreError};
use crate::knowledge::VISIBLE;
use crate::query::{q, time, Row};
use knooppunt_policy::knowledge::KnowledgeScope;
use std::collections::BTreeMap;

/// Rows per multi-row insert (three values each, far below either backend's parameter limit).
const BATCH: usize = 300;

/// What the index is made of for one item: its fields and the texts that belong to it
/// (themes, attachments, a barrier model's steps and parts).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexSource {
    pub id: i64,
    pub title: String,
    pub ecli: Option<String>,
    pub summary: String,
    pub body: String,
    pub extra: Vec<String>,
}

/// The ids of every item `scope` sees (for a rebuild: the indexer's scope sees all).
pub async fn item_ids(c: &mut Conn, scope: &KnowledgeScope) -> Result<Vec<i64>, StoreError> {
    let rows = q(format!("SELECT k.id FROM knowledge_items k WHERE {VISIBLE} ORDER BY k.id"))
        .bind(scope.editor())
        .bind(scope.network())
        .bind(scope.organisation_id().unwrap_or(-1))
        .fetch_all(&mut *c)
        .await?;
    rows.iter().map(|r| col(r, "id")).collect()
}

/// The text of the items among `ids` that `scope` sees, to index.
pub async fn sources(c: &mut Conn, scope: &KnowledgeScope, ids: &[i64]) -> Result<Vec<IndexSource>, StoreError> {
    let rows = q(format!("SELECT k.id, k.title, k.ecli, k.summary, k.body FROM knowledge_items k WHERE {VISIBLE} AND k.id = ANY($4) ORDER BY k.id"))
        .bind(scope.editor())
        .bind(scope.network())
        .bind(scope.organisation_id().unwrap_or(-1))
        .bind_ids(ids)
        .fetch_all(&mut *c)
        .await?;
    let mut out: BTreeMap<i64, IndexSource> = BTreeMap::new();
    for r in &rows {
        let id: i64 = col(r, "id")?;
        out.insert(id, IndexSource { id, title: col(r, "title")?, ecli: col(r, "ecli")?, summary: col(r, "summary")?, body: col(r, "body")?, extra: Vec::new() });
    }
    let extra = q(format!(
        "SELECT x.item_id AS id, p.name AS text FROM knowledge_items k JOIN knowledge_item_phenomena x ON x.item_id = k.id JOIN phenomena p ON p.id = x.phenomenon_id WHERE {VISIBLE} AND k.id = ANY($4) \
         UNION ALL SELECT x.item_id AS id, t.name AS text FROM knowledge_items k JOIN knowledge_item_settings x ON x.item_id = k.id JOIN taxonomy_terms t ON t.id = x.setting_id WHERE {VISIBLE} AND k.id = ANY($4) \
         UNION ALL SELECT a.item_id AS id, a.text AS text FROM knowledge_items k JOIN knowledge_attachments a ON a.item_id = k.id WHERE {VISIBLE} AND k.id = ANY($4) \
         UNION ALL SELECT s.item_id AS id, s.title || ' ' || s.description AS text FROM knowledge_items k JOIN barrier_steps s ON s.item_id = k.id WHERE {VISIBLE} AND k.id = ANY($4) \
         UNION ALL SELECT s.item_id AS id, p.description || ' ' || p.actor || ' ' || p.legal_basis || ' ' || COALESCE(t.name, '') AS text FROM knowledge_items k JOIN barrier_steps s ON s.item_id = k.id \
             JOIN barrier_parts p ON p.step_id = s.id LEFT JOIN intervention_types t ON t.id = p.intervention_type_id WHERE {VISIBLE} AND k.id = ANY($4)"
    ))
    .bind(scope.editor())
    .bind(scope.network())
    .bind(scope.organisation_id().unwrap_or(-1))
    .bind_ids(ids)
    .fetch_all(&mut *c)
    .await?;
    for r in &extra {
        if let Some(s) = out.get_mut(&col::<i64>(r, "id")?) {
            s.extra.push(col(r, "text")?);
        }
    }
    Ok(out.into_values().collect())
}

/// Replaces the postings of item `id` with `postings` (term, weight ×1000).
pub async fn replace_postings(c: &mut Conn, id: i64, postings: &[(String, i64)]) -> Result<(), StoreError> {
    q("DELETE FROM knowledge_postings WHERE item_id = $1").bind(id).execute(&mut *c).await?;
    for chunk in postings.chunks(BATCH) {
        let values: Vec<String> = (0..chunk.len()).map(|i| format!("(${}, ${}, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3)).collect();
        let mut insert = q(format!("INSERT INTO knowledge_postings (term, item_id, impact) VALUES {}", values.join(", ")));
        for (term, impact) in chunk {
            insert = insert.bind(term.as_str()).bind(id).bind(*impact);
        }
        insert.execute(&mut *c).await?;
    }
    Ok(())
}

/// Of `terms`, those the vocabulary does not hold yet.
pub async fn new_terms(c: &mut Conn, terms: &[&str]) -> Result<Vec<String>, StoreError> {
    let known = q("SELECT term FROM knowledge_term_variants WHERE variant = ANY($1) AND term = variant").bind_texts(terms).fetch_all(&mut *c).await?;
    let known: Vec<String> = known.iter().map(|r| col(r, "term")).collect::<Result<_, _>>()?;
    Ok(terms.iter().filter(|t| !known.iter().any(|k| k == *t)).map(|t| t.to_string()).collect())
}

/// Adds (variant, term) pairs to the vocabulary (each term is its own variant too).
pub async fn add_variants(c: &mut Conn, pairs: &[(String, String)]) -> Result<(), StoreError> {
    for chunk in pairs.chunks(BATCH) {
        let values: Vec<String> = (0..chunk.len()).map(|i| format!("(${}, ${})", 2 * i + 1, 2 * i + 2)).collect();
        let mut insert = q(format!("INSERT INTO knowledge_term_variants (variant, term) VALUES {} ON CONFLICT (variant, term) DO NOTHING", values.join(", ")));
        for (variant, term) in chunk {
            insert = insert.bind(variant.as_str()).bind(term.as_str());
        }
        insert.execute(&mut *c).await?;
    }
    Ok(())
}

/// The vocabulary's terms that have one of `variants` (candidates for a misspelt word; the
/// caller checks the distance and whether the reader's items hold them).
pub async fn terms_with_variants(c: &mut Conn, variants: &[&str]) -> Result<Vec<String>, StoreError> {
    let rows = q("SELECT DISTINCT term FROM knowledge_term_variants WHERE variant = ANY($1) ORDER BY term").bind_texts(variants).fetch_all(&mut *c).await?;
    rows.iter().map(|r| col(r, "term")).collect()
}

/// How many items `scope` sees, and of `terms` how many of those items hold each (terms no
/// visible item holds are left out): the statistics of the reader's own collection, so the
/// ranking says nothing about items the reader does not see.
pub async fn frequencies(c: &mut Conn, scope: &KnowledgeScope, terms: &[&str]) -> Result<(i64, BTreeMap<String, i64>), StoreError> {
    let n = q(format!("SELECT COUNT(*) AS n FROM knowledge_items k WHERE {VISIBLE}"))
        .bind(scope.editor())
        .bind(scope.network())
        .bind(scope.organisation_id().unwrap_or(-1))
        .fetch_one(&mut *c)
        .await?;
    let rows = q(format!("SELECT p.term, COUNT(*) AS n FROM knowledge_postings p JOIN knowledge_items k ON k.id = p.item_id WHERE {VISIBLE} AND p.term = ANY($4) GROUP BY p.term"))
        .bind(scope.editor())
        .bind(scope.network())
        .bind(scope.organisation_id().unwrap_or(-1))
        .bind_texts(terms)
        .fetch_all(&mut *c)
        .await?;
    let df = rows.iter().map(|r| Ok((col(r, "term")?, col(r, "n")?))).collect::<Result<_, StoreError>>()?;
    Ok((col(&n, "n")?, df))
}

/// The analyser version the index was built with, after waiting for any other rebuild (the
/// row stays locked until the transaction ends).
pub async fn lock_index_state(c: &mut Conn) -> Result<String, StoreError> {
    q("UPDATE search_index_state SET analyser = analyser WHERE id = 1").execute(&mut *c).await?;
    let r = q("SELECT analyser FROM search_index_state WHERE id = 1").fetch_one(&mut *c).await?;
    col(&r, "analyser")
}

pub async fn set_index_state(c: &mut Conn, analyser: &str) -> Result<(), StoreError> {
    q("UPDATE search_index_state SET analyser = $1 WHERE id = 1").bind(analyser).execute(&mut *c).await?;
    Ok(())
}

/// One synonym group.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SynonymRow {
    pub id: i64,
    /// The members, comma-separated.
    pub words: String,
    pub version: i64,
    pub changed_by: String,
    pub changed_at: i64,
}

fn synonym_row(r: &Row) -> Result<SynonymRow, StoreError> {
    Ok(SynonymRow { id: col(r, "id")?, words: col(r, "words")?, version: col(r, "version")?, changed_by: col(r, "changed_by")?, changed_at: time(r, "changed_at")? })
}

/// Every synonym group (reference data: no audience).
pub async fn synonyms(c: &mut Conn) -> Result<Vec<SynonymRow>, StoreError> {
    let rows = q("SELECT id, words, version, changed_by, changed_at FROM search_synonyms ORDER BY words, id").fetch_all(&mut *c).await?;
    rows.iter().map(synonym_row).collect()
}

pub async fn insert_synonyms(c: &mut Conn, words: &str, by: &str, at: i64) -> Result<i64, StoreError> {
    let r =
        q("INSERT INTO search_synonyms (words, version, changed_by, changed_at) VALUES ($1, 1, $2, $3) RETURNING id").bind(words).bind(by).bind_at(at).fetch_one(&mut *c).await?;
    col(&r, "id")
}

/// Changes group `id` if it is still at `version`; whether it was.
pub async fn update_synonyms(c: &mut Conn, id: i64, version: i64, words: &str, by: &str, at: i64) -> Result<bool, StoreError> {
    let done = q("UPDATE search_synonyms SET words = $1, version = version + 1, changed_by = $2, changed_at = $3 WHERE id = $4 AND version = $5")
        .bind(words)
        .bind(by)
        .bind_at(at)
        .bind(id)
        .bind(version)
        .execute(&mut *c)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes group `id` if it is still at `version`; whether it was.
pub async fn delete_synonyms(c: &mut Conn, id: i64, version: i64) -> Result<bool, StoreError> {
    let done = q("DELETE FROM search_synonyms WHERE id = $1 AND version = $2").bind(id).bind(version).execute(&mut *c).await?;
    Ok(done.rows_affected() == 1)
}
