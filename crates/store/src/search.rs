//! The knowledge search index: postings (term, item, BM25 weight ×1000), the vocabulary with
//! each term's deletion variants, the editors' synonym groups and the analyser version the
//! index was built with. The analysis itself is `knooppunt-search`'s; this module stores and
//! reads. Every reader of item text or statistics filters with a [`KnowledgeScope`] minted by
//! the policy crate ([`VISIBLE`]); the postings of an item nobody may see are never returned.

use crate::db::{col, Conn, StoreError};
use crate::knowledge::VISIBLE;
use crate::query::{q, time, Row};
use crate::taxonomy::Axis;
use knooppunt_policy::knowledge::KnowledgeScope;
use std::collections::BTreeMap;

/// Rows per multi-row insert (at most five values each, far below either backend's parameter
/// limit).
const BATCH: usize = 200;

/// [`VISIBLE`] for a row that carries an item's audience bucket (`audience`, `group_id`, as
/// [`bucket_of`] derives them) instead of the item: postings (`p`) and term counts (`c`). The
/// same binds: $1 editor (every bucket, also `redactie`: items not published), $2 network, $3
/// the reader's organisation. `tests::buckets_see_what_items_see` holds the two rules equal.
pub const POSTING_VISIBLE: &str = "($1 OR p.audience = 'openbaar' OR (p.audience = 'netwerk' AND $2) \
     OR (p.audience = 'groep' AND EXISTS (SELECT 1 FROM knowledge_group_members m WHERE m.group_id = p.group_id AND m.organisation_id = $3)))";
const COUNT_VISIBLE: &str = "($1 OR c.audience = 'openbaar' OR (c.audience = 'netwerk' AND $2) \
     OR (c.audience = 'groep' AND EXISTS (SELECT 1 FROM knowledge_group_members m WHERE m.group_id = c.group_id AND m.organisation_id = $3)))";

/// The audience bucket of an item in `state` for `audience` (and `group_id`): who may find it.
pub fn bucket_of(state: &str, audience: &str, group_id: Option<i64>) -> (String, i64) {
    match (state, audience) {
        ("gepubliceerd", "groep") => ("groep".into(), group_id.unwrap_or(0)),
        ("gepubliceerd", a) => (a.to_string(), 0),
        _ => ("redactie".into(), 0),
    }
}

/// What the index is made of for one item: its fields and the texts that belong to it
/// (themes, attachments, a barrier model's steps and parts).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexSource {
    pub id: i64,
    /// The item's audience bucket (see [`bucket_of`]).
    pub bucket: (String, i64),
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

/// The ids of the items `scope` sees whose index text names phenomenon or setting `id` (to index
/// again when it is renamed; a cluster names none).
pub async fn items_naming(c: &mut Conn, scope: &KnowledgeScope, axis: Axis, id: i64) -> Result<Vec<i64>, StoreError> {
    if axis == Axis::Cluster {
        return Ok(Vec::new());
    }
    let rows = q(format!(
        "SELECT k.id FROM knowledge_items k WHERE {VISIBLE} AND k.id IN (SELECT x.item_id FROM knowledge_item_phenomena x WHERE $5 AND x.phenomenon_id = $4 \
         UNION SELECT x.item_id FROM knowledge_item_settings x WHERE NOT $5 AND x.setting_id = $4) ORDER BY k.id"
    ))
    .bind(scope.editor())
    .bind(scope.network())
    .bind(scope.organisation_id().unwrap_or(-1))
    .bind(id)
    .bind(axis == Axis::Phenomenon)
    .fetch_all(&mut *c)
    .await?;
    rows.iter().map(|r| col(r, "id")).collect()
}

/// The text of the items among `ids` that `scope` sees, to index.
pub async fn sources(c: &mut Conn, scope: &KnowledgeScope, ids: &[i64]) -> Result<Vec<IndexSource>, StoreError> {
    let rows =
        q(format!("SELECT k.id, k.title, k.ecli, k.summary, k.body, k.state, k.audience, k.group_id FROM knowledge_items k WHERE {VISIBLE} AND k.id = ANY($4) ORDER BY k.id"))
            .bind(scope.editor())
            .bind(scope.network())
            .bind(scope.organisation_id().unwrap_or(-1))
            .bind_ids(ids)
            .fetch_all(&mut *c)
            .await?;
    let mut out: BTreeMap<i64, IndexSource> = BTreeMap::new();
    for r in &rows {
        let id: i64 = col(r, "id")?;
        let bucket = bucket_of(&col::<String>(r, "state")?, &col::<String>(r, "audience")?, col(r, "group_id")?);
        out.insert(id, IndexSource { id, bucket, title: col(r, "title")?, ecli: col(r, "ecli")?, summary: col(r, "summary")?, body: col(r, "body")?, extra: Vec::new() });
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

/// The postings of one item to store: its bucket and (term, weight ×1000).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemPostings {
    pub id: i64,
    pub bucket: (String, i64),
    pub postings: Vec<(String, i64)>,
}

/// Replaces the postings of the items in `batch`, and keeps the term counts per bucket with
/// them: one change of all counts, in key order (two writers never wait on each other's rows
/// in opposite orders). The empty term counts the items that have postings.
pub async fn replace_postings(c: &mut Conn, batch: &[ItemPostings]) -> Result<(), StoreError> {
    let ids: Vec<i64> = batch.iter().map(|b| b.id).collect();
    note_change(c, &ids).await?;
    let mut delta: BTreeMap<(String, String, i64), i64> = BTreeMap::new();
    let old = q("SELECT item_id, term, audience, group_id FROM knowledge_postings WHERE item_id = ANY($1)").bind_ids(&ids).fetch_all(&mut *c).await?;
    let mut counted: BTreeMap<i64, (String, i64)> = BTreeMap::new();
    for r in &old {
        let bucket: (String, i64) = (col(r, "audience")?, col(r, "group_id")?);
        *delta.entry((col(r, "term")?, bucket.0.clone(), bucket.1)).or_default() -= 1;
        counted.insert(col(r, "item_id")?, bucket);
    }
    for (a, g) in counted.into_values() {
        *delta.entry((String::new(), a, g)).or_default() -= 1;
    }
    q("DELETE FROM knowledge_postings WHERE item_id = ANY($1)").bind_ids(&ids).execute(&mut *c).await?;
    let mut rows: Vec<(&str, i64, i64, &str, i64)> = Vec::new();
    for b in batch {
        let (a, g) = &b.bucket;
        if !b.postings.is_empty() {
            *delta.entry((String::new(), a.clone(), *g)).or_default() += 1;
        }
        for (term, impact) in &b.postings {
            *delta.entry((term.clone(), a.clone(), *g)).or_default() += 1;
            rows.push((term.as_str(), b.id, *impact, a.as_str(), *g));
        }
    }
    for chunk in rows.chunks(BATCH) {
        let values: Vec<String> = (0..chunk.len()).map(|i| format!("(${}, ${}, ${}, ${}, ${})", 5 * i + 1, 5 * i + 2, 5 * i + 3, 5 * i + 4, 5 * i + 5)).collect();
        let mut insert = q(format!("INSERT INTO knowledge_postings (term, item_id, impact, audience, group_id) VALUES {}", values.join(", ")));
        for (term, id, impact, a, g) in chunk {
            insert = insert.bind(*term).bind(*id).bind(*impact).bind(*a).bind(*g);
        }
        insert.execute(&mut *c).await?;
    }
    let changes: Vec<(&(String, String, i64), &i64)> = delta.iter().filter(|(_, n)| **n != 0).collect();
    for chunk in changes.chunks(BATCH) {
        let values: Vec<String> = (0..chunk.len()).map(|i| format!("(${}, ${}, ${}, ${})", 4 * i + 1, 4 * i + 2, 4 * i + 3, 4 * i + 4)).collect();
        let mut upsert = q(format!(
            "INSERT INTO knowledge_term_counts (term, audience, group_id, n) VALUES {} ON CONFLICT (term, audience, group_id) DO UPDATE SET n = knowledge_term_counts.n + excluded.n",
            values.join(", ")
        ));
        for ((term, a, g), n) in chunk {
            upsert = upsert.bind(term.as_str()).bind(a.as_str()).bind(*g).bind(**n);
        }
        upsert.execute(&mut *c).await?;
    }
    Ok(())
}

/// The log's entry for "everything changed" (a rebuild): a copy reads the whole index again.
pub const EVERYTHING: i64 = 0;

/// The log's entry for a change of the reference data the copies hold (the synonym groups, the
/// phenomena's names), not of items.
pub const REFERENCE: i64 = -1;

/// Every this many generations the log is pruned ([`prune_point`]).
const PRUNE_EVERY: i64 = 256;

/// Generations the log keeps when it is pruned: a copy further behind reads everything again
/// (as it would after that many changed items anyway: `replica`'s catch-up limit is lower).
const KEPT: i64 = 4_096;

/// Through which generation the log is pruned when generation `g` is taken, if it is then.
pub fn prune_point(g: i64) -> Option<i64> {
    (g % PRUNE_EVERY == 0 && g > KEPT).then_some(g - KEPT)
}

/// Takes the next generation of the index and notes `ids` as changed in it ([`EVERYTHING`],
/// [`REFERENCE`] or items), for the nodes' copies in memory ([`crate::replica`]). The row lock
/// on the state orders the writers: a later generation commits after an earlier one, so a
/// reader that sees generation `g` sees every change up to `g`. Every [`PRUNE_EVERY`]
/// generations the log drops what is older than [`KEPT`] generations.
pub(crate) async fn note_change(c: &mut Conn, ids: &[i64]) -> Result<(), StoreError> {
    let r = q("UPDATE search_index_state SET generation = generation + 1 WHERE id = 1 RETURNING generation").fetch_one(&mut *c).await?;
    let generation: i64 = col(&r, "generation")?;
    for chunk in ids.chunks(BATCH) {
        let values: Vec<String> = (0..chunk.len()).map(|i| format!("($1, ${})", i + 2)).collect();
        let mut insert =
            q(format!("INSERT INTO knowledge_index_log (generation, item_id) VALUES {} ON CONFLICT (generation, item_id) DO NOTHING", values.join(", "))).bind(generation);
        for id in chunk {
            insert = insert.bind(*id);
        }
        insert.execute(&mut *c).await?;
    }
    if let Some(through) = prune_point(generation) {
        prune_log(c, through).await?;
    }
    Ok(())
}

/// Removes the log's entries through generation `through` and says so in the state: a copy
/// older than that reads everything again ([`changed_since`]).
pub async fn prune_log(c: &mut Conn, through: i64) -> Result<(), StoreError> {
    q("DELETE FROM knowledge_index_log WHERE generation <= $1").bind(through).execute(&mut *c).await?;
    q("UPDATE search_index_state SET pruned_through = $1 WHERE id = 1 AND pruned_through < $1").bind(through).execute(&mut *c).await?;
    Ok(())
}

/// Notes a change of the reference data the copies hold ([`REFERENCE`]).
pub(crate) async fn note_reference_change(c: &mut Conn) -> Result<(), StoreError> {
    note_change(c, &[REFERENCE]).await
}

/// The generation of the index (see [`note_change`]).
pub async fn generation(c: &mut Conn) -> Result<i64, StoreError> {
    col(&q("SELECT generation FROM search_index_state WHERE id = 1").fetch_one(&mut *c).await?, "generation")
}

/// The log's entries after generation `from` up to `to`, ascending: items, [`REFERENCE`], and
/// [`EVERYTHING`] after a rebuild or when the log no longer reaches back to `from`.
pub async fn changed_since(c: &mut Conn, from: i64, to: i64) -> Result<Vec<i64>, StoreError> {
    let rows = q("SELECT item_id FROM knowledge_index_log WHERE generation > $1 AND generation <= $2 \
         UNION SELECT CAST(0 AS BIGINT) FROM search_index_state WHERE id = 1 AND pruned_through > $1 ORDER BY item_id")
    .bind(from)
    .bind(to)
    .fetch_all(&mut *c)
    .await?;
    rows.iter().map(|r| col(r, "item_id")).collect()
}

/// Empties the index and its counts (before a rebuild); the log of changes starts again with
/// "everything" (item 0).
pub async fn clear_index(c: &mut Conn) -> Result<(), StoreError> {
    q("DELETE FROM knowledge_postings").execute(&mut *c).await?;
    q("DELETE FROM knowledge_term_counts").execute(&mut *c).await?;
    q("DELETE FROM knowledge_index_log").execute(&mut *c).await?;
    note_change(c, &[EVERYTHING]).await
}

/// The postings of items with ids in `[from, to)` (a whole index read in ranges): (term, item,
/// impact, audience, group). Only for [`crate::replica`], which filters every use by the
/// reader's buckets.
pub(crate) async fn postings_between(c: &mut Conn, from: i64, to: i64) -> Result<Vec<(String, i64, i64, String, i64)>, StoreError> {
    let rows = q("SELECT term, item_id, impact, audience, group_id FROM knowledge_postings WHERE item_id >= $1 AND item_id < $2").bind(from).bind(to).fetch_all(&mut *c).await?;
    rows.iter().map(|r| Ok((col(r, "term")?, col(r, "item_id")?, col(r, "impact")?, col(r, "audience")?, col(r, "group_id")?))).collect()
}

/// The postings of items `ids`, as [`postings_between`].
pub(crate) async fn postings_of(c: &mut Conn, ids: &[i64]) -> Result<Vec<(String, i64, i64, String, i64)>, StoreError> {
    let rows = q("SELECT term, item_id, impact, audience, group_id FROM knowledge_postings WHERE item_id = ANY($1)").bind_ids(ids).fetch_all(&mut *c).await?;
    rows.iter().map(|r| Ok((col(r, "term")?, col(r, "item_id")?, col(r, "impact")?, col(r, "audience")?, col(r, "group_id")?))).collect()
}

/// The highest item id that has postings (0: none).
pub(crate) async fn last_posted(c: &mut Conn) -> Result<i64, StoreError> {
    let r = q("SELECT CAST(COALESCE(MAX(item_id), 0) AS BIGINT) AS n FROM knowledge_postings").fetch_one(&mut *c).await?;
    col(&r, "n")
}

/// The audience buckets (audience, group) whose items `scope` sees — decided here, in SQL, by
/// the rule of [`POSTING_VISIBLE`] — among the buckets that hold items.
pub async fn visible_buckets(c: &mut Conn, scope: &KnowledgeScope) -> Result<Vec<(String, i64)>, StoreError> {
    let rows = q(format!("SELECT c.audience, c.group_id FROM knowledge_term_counts c WHERE {COUNT_VISIBLE} AND c.term = '' AND c.n > 0"))
        .bind(scope.editor())
        .bind(scope.network())
        .bind(scope.organisation_id().unwrap_or(-1))
        .fetch_all(&mut *c)
        .await?;
    rows.iter().map(|r| Ok((col(r, "audience")?, col(r, "group_id")?))).collect()
}

/// The generation of the index (see [`note_change`]) and the buckets of [`visible_buckets`], in
/// one statement (a search's first read).
pub async fn generation_and_buckets(c: &mut Conn, scope: &KnowledgeScope) -> Result<(i64, Vec<(String, i64)>), StoreError> {
    let rows = q(format!(
        "SELECT s.generation, c.audience, c.group_id FROM search_index_state s LEFT JOIN knowledge_term_counts c ON c.term = '' AND c.n > 0 AND {COUNT_VISIBLE} WHERE s.id = 1"
    ))
    .bind(scope.editor())
    .bind(scope.network())
    .bind(scope.organisation_id().unwrap_or(-1))
    .fetch_all(&mut *c)
    .await?;
    let generation = match rows.first() {
        Some(r) => col(r, "generation")?,
        None => return Err(StoreError::Corrupt("search_index_state has no row".into())),
    };
    let mut buckets = Vec::new();
    for r in &rows {
        if let Some(audience) = col::<Option<String>>(r, "audience")? {
            buckets.push((audience, col::<Option<i64>>(r, "group_id")?.unwrap_or(0)));
        }
    }
    Ok((generation, buckets))
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
/// ranking says nothing about items the reader does not see. A sum over the few buckets the
/// reader sees, whatever the size of the collection.
pub async fn frequencies(c: &mut Conn, scope: &KnowledgeScope, terms: &[&str]) -> Result<(i64, BTreeMap<String, i64>), StoreError> {
    let mut wanted: Vec<&str> = terms.to_vec();
    wanted.push("");
    let rows =
        q(format!("SELECT c.term, CAST(SUM(c.n) AS BIGINT) AS n FROM knowledge_term_counts c WHERE {COUNT_VISIBLE} AND c.term = ANY($4) GROUP BY c.term HAVING SUM(c.n) > 0"))
            .bind(scope.editor())
            .bind(scope.network())
            .bind(scope.organisation_id().unwrap_or(-1))
            .bind_texts(&wanted)
            .fetch_all(&mut *c)
            .await?;
    let mut df: BTreeMap<String, i64> = rows.iter().map(|r| Ok((col(r, "term")?, col(r, "n")?))).collect::<Result<_, StoreError>>()?;
    let n = df.remove("").unwrap_or(0);
    Ok((n, df))
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

/// Adds a group; like every change of the synonyms it takes a generation of the index, so the
/// nodes' copies read them again ([`crate::replica`]).
pub async fn insert_synonyms(c: &mut Conn, words: &str, by: &str, at: i64) -> Result<i64, StoreError> {
    note_reference_change(c).await?;
    let r =
        q("INSERT INTO search_synonyms (words, version, changed_by, changed_at) VALUES ($1, 1, $2, $3) RETURNING id").bind(words).bind(by).bind_at(at).fetch_one(&mut *c).await?;
    col(&r, "id")
}

/// Changes group `id` if it is still at `version`; whether it was.
pub async fn update_synonyms(c: &mut Conn, id: i64, version: i64, words: &str, by: &str, at: i64) -> Result<bool, StoreError> {
    note_reference_change(c).await?;
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
    note_reference_change(c).await?;
    let done = q("DELETE FROM search_synonyms WHERE id = $1 AND version = $2").bind(id).bind(version).execute(&mut *c).await?;
    Ok(done.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    use super::{prune_point, KEPT, PRUNE_EVERY};

    #[test]
    fn the_log_is_pruned_every_so_many_generations_keeping_a_window() {
        assert_eq!(prune_point(PRUNE_EVERY), None, "nothing older than the window yet");
        assert_eq!(prune_point(KEPT), None);
        assert_eq!(prune_point(KEPT + 1), None);
        assert_eq!(prune_point(KEPT + PRUNE_EVERY), Some(PRUNE_EVERY));
        assert_eq!(prune_point(KEPT + PRUNE_EVERY + 1), None);
        assert_eq!(prune_point(10 * KEPT), Some(9 * KEPT));
        let pruned = (1..=100 * KEPT).filter(|g| prune_point(*g).is_some()).count();
        assert_eq!(pruned as i64, (100 * KEPT - KEPT) / PRUNE_EVERY);
    }
}
