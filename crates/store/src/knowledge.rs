//! Knowledge items, their themes, versions and workflow steps, and the knowledge groups. Every
//! reader filters with a [`KnowledgeScope`] (lists, counts) or takes a [`KnowledgeGrant`] (one
//! item's details), both minted by the policy crate; the visibility rule is the one SQL fragment
//! [`VISIBLE`].

use crate::db::{col, Conn, StoreError};
use crate::query::{q, time, Row};
use crate::ranking::Ranking;
use crate::search::POSTING_VISIBLE;
use knooppunt_policy::knowledge::{KnowledgeGrant, KnowledgeScope};
use std::collections::BTreeMap;

/// Which items a scope sees: `$1` editor, `$2` network, `$3` organisation (−1: none). An editor
/// sees every item; others the published items of their audience.
pub const VISIBLE: &str = "($1 OR (k.state = 'gepubliceerd' AND (k.audience = 'openbaar' OR (k.audience = 'netwerk' AND $2) \
     OR (k.audience = 'groep' AND EXISTS (SELECT 1 FROM knowledge_group_members m WHERE m.group_id = k.group_id AND m.organisation_id = $3)))))";

/// One item as stored.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ItemRow {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub ecli: Option<String>,
    pub audience: String,
    pub group_id: Option<i64>,
    pub group_code: Option<String>,
    pub group_name: Option<String>,
    pub region_id: Option<i64>,
    pub region_code: Option<String>,
    pub region_name: Option<String>,
    pub state: String,
    pub version: i64,
    pub created_by: String,
    pub created_at: i64,
    pub updated_by: String,
    pub updated_at: i64,
    pub submitted_by: Option<String>,
    pub published_at: Option<i64>,
    /// A phenomenon table's product: what it is (`fenomeenbeeld`, `aanpak`, `rapportage`); empty otherwise.
    pub product_type: String,
    /// Whether the reading scope's organisation is a member of the item's group.
    pub member_of_group: bool,
}

const ITEM: &str = "SELECT k.id, k.kind, k.title, k.summary, k.body, k.ecli, k.audience, k.group_id, g.code AS group_code, g.name AS group_name, k.region_id, r.code AS region_code, r.name AS region_name, \
     k.state, k.version, k.created_by, k.created_at, k.updated_by, k.updated_at, k.submitted_by, k.published_at, k.product_type, \
     CAST(CASE WHEN EXISTS (SELECT 1 FROM knowledge_group_members m WHERE m.group_id = k.group_id AND m.organisation_id = $3) THEN 1 ELSE 0 END AS BIGINT) AS member \
     FROM knowledge_items k LEFT JOIN knowledge_groups g ON g.id = k.group_id LEFT JOIN regions r ON r.id = k.region_id";

fn item_row(r: &Row) -> Result<ItemRow, StoreError> {
    Ok(ItemRow {
        id: col(r, "id")?,
        kind: col(r, "kind")?,
        title: col(r, "title")?,
        summary: col(r, "summary")?,
        body: col(r, "body")?,
        ecli: col(r, "ecli")?,
        audience: col(r, "audience")?,
        group_id: col(r, "group_id")?,
        group_code: col(r, "group_code")?,
        group_name: col(r, "group_name")?,
        region_id: col(r, "region_id")?,
        region_code: col(r, "region_code")?,
        region_name: col(r, "region_name")?,
        state: col(r, "state")?,
        version: col(r, "version")?,
        created_by: col(r, "created_by")?,
        created_at: time(r, "created_at")?,
        updated_by: col(r, "updated_by")?,
        updated_at: time(r, "updated_at")?,
        submitted_by: col(r, "submitted_by")?,
        published_at: time(r, "published_at")?,
        product_type: col(r, "product_type")?,
        member_of_group: col::<i64>(r, "member")? == 1,
    })
}

/// An item by id if `scope` sees it (the facts for `policy::knowledge::grant`).
pub async fn find(c: &mut Conn, scope: &KnowledgeScope, id: i64) -> Result<Option<ItemRow>, StoreError> {
    let r = q(format!("{ITEM} WHERE {VISIBLE} AND k.id = $4"))
        .bind(scope.editor())
        .bind(scope.network())
        .bind(scope.organisation_id().unwrap_or(-1))
        .bind(id)
        .fetch_optional(&mut *c)
        .await?;
    r.as_ref().map(item_row).transpose()
}

/// What a list asks for; `None` is "any".
#[derive(Debug, Clone, Default)]
pub struct ItemFilter {
    pub kind: Option<String>,
    pub state: Option<String>,
    pub phenomenon_id: Option<i64>,
    pub partner_type: Option<String>,
    pub year: Option<i32>,
    /// Search terms: only items holding one of them (none: no search).
    pub terms: Vec<String>,
}

impl ItemFilter {
    /// Whether anything besides the search terms narrows the list (kind, state, phenomenon,
    /// partner type or year).
    pub fn narrows(&self) -> bool {
        self.kind.is_some() || self.state.is_some() || self.phenomenon_id.is_some() || self.partner_type.is_some() || self.year.is_some()
    }
}

/// Year boundaries (milliseconds since the epoch, UTC) of `year`: [start, end); without a
/// year, none (no condition — a range over all time would also mislead PostgreSQL's estimate
/// into reading every item).
pub(crate) fn year_bounds(year: Option<i32>) -> (Option<i64>, Option<i64>) {
    let start = |y: i32| chrono::NaiveDate::from_ymd_opt(y, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0)).map(|t| t.and_utc().timestamp_millis()).unwrap_or(0);
    match year {
        Some(y) => (Some(start(y)), Some(start(y + 1))),
        None => (None, None),
    }
}

const FILTER: &str = "(CAST($4 AS TEXT) IS NULL OR k.kind = $4) AND (CAST($5 AS TEXT) IS NULL OR k.state = $5) \
     AND (CAST($6 AS BIGINT) IS NULL OR EXISTS (SELECT 1 FROM knowledge_item_phenomena x WHERE x.item_id = k.id AND x.phenomenon_id = $6)) \
     AND (CAST($7 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM knowledge_item_partner_types t WHERE t.item_id = k.id AND t.partner_type = $7)) \
     AND (CAST($8 AS TIMESTAMPTZ) IS NULL OR (COALESCE(k.published_at, k.updated_at) >= $8 AND COALESCE(k.published_at, k.updated_at) < $9)) \
     AND (NOT $10 OR k.id IN (SELECT p.item_id FROM knowledge_postings p WHERE p.term = ANY($11)))";

/// A page of the items `scope` sees that match `f`, newest first, and how many match in all.
pub async fn list(c: &mut Conn, scope: &KnowledgeScope, f: &ItemFilter, limit: i64, offset: i64) -> Result<(Vec<ItemRow>, i64), StoreError> {
    Ok((page(c, scope, f, limit, offset).await?, count(c, scope, f).await?))
}

/// A page of the items `scope` sees that match `f`, newest first.
pub async fn page(c: &mut Conn, scope: &KnowledgeScope, f: &ItemFilter, limit: i64, offset: i64) -> Result<Vec<ItemRow>, StoreError> {
    let (from, to) = year_bounds(f.year);
    let rows = q(format!("{ITEM} WHERE {VISIBLE} AND {FILTER} ORDER BY COALESCE(k.published_at, k.updated_at) DESC, k.id DESC LIMIT $12 OFFSET $13"))
        .bind(scope.editor())
        .bind(scope.network())
        .bind(scope.organisation_id().unwrap_or(-1))
        .bind(f.kind.clone())
        .bind(f.state.clone())
        .bind(f.phenomenon_id)
        .bind(f.partner_type.clone())
        .bind_at(from)
        .bind_at(to)
        .bind(!f.terms.is_empty())
        .bind_texts(&f.terms.iter().map(String::as_str).collect::<Vec<_>>())
        .bind(limit)
        .bind(offset)
        .fetch_all(&mut *c)
        .await?;
    rows.iter().map(item_row).collect()
}

/// The ids of at most `cap` items `scope` sees that match `f` (in no particular order): what
/// a bounded count and the facets are made of. With search terms the postings are read (each
/// carries its item's audience), so a common word costs `cap` rows, not its whole list.
pub async fn matches(c: &mut Conn, scope: &KnowledgeScope, f: &ItemFilter, cap: i64) -> Result<Vec<i64>, StoreError> {
    let (from, to) = year_bounds(f.year);
    let query = if f.terms.is_empty() {
        q(format!("SELECT k.id AS item_id FROM knowledge_items k WHERE {VISIBLE} AND {FILTER} LIMIT $12"))
    } else {
        q(format!(
            "SELECT DISTINCT p.item_id FROM knowledge_postings p JOIN knowledge_items k ON k.id = p.item_id WHERE p.term = ANY($13) AND {POSTING_VISIBLE} AND {FILTER} LIMIT $12"
        ))
    };
    let mut query = query
        .bind(scope.editor())
        .bind(scope.network())
        .bind(scope.organisation_id().unwrap_or(-1))
        .bind(f.kind.clone())
        .bind(f.state.clone())
        .bind(f.phenomenon_id)
        .bind(f.partner_type.clone())
        .bind_at(from)
        .bind_at(to)
        .bind(false)
        .bind_texts(&[] as &[&str])
        .bind(cap);
    if !f.terms.is_empty() {
        query = query.bind_texts(&f.terms.iter().map(String::as_str).collect::<Vec<_>>());
    }
    let rows = query.fetch_all(&mut *c).await?;
    rows.iter().map(|r| col(r, "item_id")).collect()
}

/// How many items `scope` sees that match `f`.
pub async fn count(c: &mut Conn, scope: &KnowledgeScope, f: &ItemFilter) -> Result<i64, StoreError> {
    let (from, to) = year_bounds(f.year);
    let total = q(format!("SELECT COUNT(*) AS n FROM knowledge_items k WHERE {VISIBLE} AND {FILTER}"))
        .bind(scope.editor())
        .bind(scope.network())
        .bind(scope.organisation_id().unwrap_or(-1))
        .bind(f.kind.clone())
        .bind(f.state.clone())
        .bind(f.phenomenon_id)
        .bind(f.partner_type.clone())
        .bind_at(from)
        .bind_at(to)
        .bind(!f.terms.is_empty())
        .bind_texts(&f.terms.iter().map(String::as_str).collect::<Vec<_>>())
        .fetch_one(&mut *c)
        .await?;
    col(&total, "n")
}

/// One search result: the item, its score (the sum of its terms' weights) and how many of the
/// query's words it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranked {
    pub row: ItemRow,
    pub score: i64,
    pub concepts: i64,
}

/// Postings read per term in the first round of a search (each next round reads four times as
/// many).
const FIRST_READ: i64 = 32;

/// A page of the items `scope` sees that match `f` and hold at least one of the weighted terms
/// (term, weight ×1000, concept), ranked: most of the query's words first, then by score (per
/// word its best term: a synonym does not add to the word itself), then newest id. Integer
/// arithmetic only, so both backends give the same order.
///
/// Exact, without reading every posting: each round reads the next postings of every term best
/// first — visibility and the filter checked on the way —, scores in full only the items met
/// that could still reach the page, and stops once the page's last item beats anything an item
/// not met yet could reach ([`Ranking`]).
pub async fn search(c: &mut Conn, scope: &KnowledgeScope, f: &ItemFilter, weights: &[(String, i64, i64)], limit: i64, offset: i64) -> Result<Vec<Ranked>, StoreError> {
    let wanted = usize::try_from(limit.max(0) + offset.max(0)).unwrap_or(0);
    if weights.is_empty() || limit <= 0 {
        return Ok(Vec::new());
    }
    let mut ranking = Ranking::new(weights, wanted);
    let mut read = FIRST_READ;
    loop {
        let open = ranking.open();
        if !open.is_empty() {
            let rows = best_postings(c, scope, f, weights, &open, read).await?;
            for (n, (t, _)) in open.iter().enumerate() {
                let mine: Vec<(i64, i64)> = rows.iter().filter(|r| r.0 == n).map(|r| (r.1, r.2)).collect();
                ranking.read(*t, &mine, (mine.len() as i64) < read);
            }
        }
        ranking.settle();
        for chunk in ranking.to_probe().chunks(500) {
            for (id, key) in score_items(c, scope, weights, chunk).await? {
                ranking.scored(id, key);
            }
        }
        if open.is_empty() || ranking.finished() {
            break;
        }
        read = read.saturating_mul(4);
    }
    let page = ranking.page(usize::try_from(offset.max(0)).unwrap_or(0), usize::try_from(limit).unwrap_or(0));
    ranked_rows(c, scope, page).await
}

/// The items of a ranked page ((concepts, score, id), best first) that `scope` sees.
pub(crate) async fn ranked_rows(c: &mut Conn, scope: &KnowledgeScope, page: Vec<(i64, i64, i64)>) -> Result<Vec<Ranked>, StoreError> {
    let ids: Vec<i64> = page.iter().map(|p| p.2).collect();
    let rows = q(format!("{ITEM} WHERE {VISIBLE} AND k.id = ANY($4)"))
        .bind(scope.editor())
        .bind(scope.network())
        .bind(scope.organisation_id().unwrap_or(-1))
        .bind_ids(&ids)
        .fetch_all(&mut *c)
        .await?;
    let mut found: BTreeMap<i64, ItemRow> = BTreeMap::new();
    for r in &rows {
        let row = item_row(r)?;
        found.insert(row.id, row);
    }
    Ok(page.into_iter().filter_map(|(concepts, score, id)| found.remove(&id).map(|row| Ranked { row, score, concepts })).collect())
}

/// The next `read` postings of each open term (index into `weights`, the last read), best
/// first, of items `scope` sees that match `f`: (index into `open`, item, impact).
async fn best_postings(
    c: &mut Conn,
    scope: &KnowledgeScope,
    f: &ItemFilter,
    weights: &[(String, i64, i64)],
    open: &[(usize, Option<(i64, i64)>)],
    read: i64,
) -> Result<Vec<(usize, i64, i64)>, StoreError> {
    let (from, to) = year_bounds(f.year);
    // Without a filter the posting alone says whether the reader sees it: no item is read.
    let unfiltered = !f.narrows();
    let first = if unfiltered { 4 } else { 12 };
    let parts: Vec<String> = (0..open.len())
        .map(|i| {
            let b = first + 4 * i;
            let (join, filter) = if unfiltered { ("", "TRUE") } else { ("JOIN knowledge_items k ON k.id = p.item_id", FILTER) };
            format!(
                "SELECT * FROM (SELECT CAST({i} AS BIGINT) AS slot, p.item_id, p.impact FROM knowledge_postings p {join} \
                 WHERE p.term = ${} AND (p.impact < ${} OR (p.impact = ${} AND p.item_id < ${})) AND {POSTING_VISIBLE} AND {filter} \
                 ORDER BY p.impact DESC, p.item_id DESC LIMIT ${}) AS r{i}",
                b,
                b + 1,
                b + 1,
                b + 2,
                b + 3
            )
        })
        .collect();
    let mut query = q(parts.join(" UNION ALL ")).bind(scope.editor()).bind(scope.network()).bind(scope.organisation_id().unwrap_or(-1));
    if !unfiltered {
        query =
            query.bind(f.kind.clone()).bind(f.state.clone()).bind(f.phenomenon_id).bind(f.partner_type.clone()).bind_at(from).bind_at(to).bind(false).bind_texts(&[] as &[&str]);
    }
    for (t, last) in open {
        let (impact, id) = last.unwrap_or((i64::MAX, i64::MAX));
        let term = weights.get(*t).map(|w| w.0.as_str()).unwrap_or("");
        query = query.bind(term).bind(impact).bind(id).bind(read);
    }
    let rows = query.fetch_all(&mut *c).await?;
    let mut out: Vec<(usize, i64, i64)> = Vec::with_capacity(rows.len());
    for r in &rows {
        out.push((usize::try_from(col::<i64>(r, "slot")?).unwrap_or(usize::MAX), col(r, "item_id")?, col(r, "impact")?));
    }
    // Best first within each term, whatever order the union came back in.
    out.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.2.cmp(&a.2)).then(b.1.cmp(&a.1)));
    Ok(out)
}

/// The full score of items `ids` (which `scope` sees): item → (words held, score).
async fn score_items(c: &mut Conn, scope: &KnowledgeScope, weights: &[(String, i64, i64)], ids: &[i64]) -> Result<BTreeMap<i64, (i64, i64)>, StoreError> {
    let w: Vec<String> = (0..weights.len())
        .map(|i| format!("SELECT CAST(${} AS TEXT) AS term, CAST(${} AS BIGINT) AS weight, CAST(${} AS BIGINT) AS concept", 5 + 3 * i, 6 + 3 * i, 7 + 3 * i))
        .collect();
    let mut query = q(format!(
        "WITH w AS ({}), b AS (SELECT p.item_id, w.concept, MAX(p.impact * w.weight) AS best FROM knowledge_postings p JOIN w ON w.term = p.term \
         WHERE p.item_id = ANY($4) AND {POSTING_VISIBLE} GROUP BY p.item_id, w.concept) \
         SELECT b.item_id, CAST(SUM(b.best) AS BIGINT) AS score, COUNT(*) AS concepts FROM b GROUP BY b.item_id",
        w.join(" UNION ALL ")
    ))
    .bind(scope.editor())
    .bind(scope.network())
    .bind(scope.organisation_id().unwrap_or(-1))
    .bind_ids(ids);
    for (term, weight, concept) in weights {
        query = query.bind(term.as_str()).bind(*weight).bind(*concept);
    }
    let rows = query.fetch_all(&mut *c).await?;
    rows.iter().map(|r| Ok((col(r, "item_id")?, (col(r, "concepts")?, col(r, "score")?)))).collect()
}

/// How many items `scope` sees under review that somebody else than `author` offered (what
/// an editor may publish).
pub async fn count_to_review(c: &mut Conn, scope: &KnowledgeScope, author: &str) -> Result<i64, StoreError> {
    let r = q(format!("SELECT COUNT(*) AS n FROM knowledge_items k WHERE {VISIBLE} AND k.state = 'ter-beoordeling' AND COALESCE(k.submitted_by, '') <> $4"))
        .bind(scope.editor())
        .bind(scope.network())
        .bind(scope.organisation_id().unwrap_or(-1))
        .bind(author)
        .fetch_one(&mut *c)
        .await?;
    col(&r, "n")
}

/// How many concepts `author` once offered for review came back to them (returned by another
/// editor, to be completed).
pub async fn count_returned(c: &mut Conn, scope: &KnowledgeScope, author: &str) -> Result<i64, StoreError> {
    let r = q(format!("SELECT COUNT(*) AS n FROM knowledge_items k WHERE {VISIBLE} AND k.state = 'concept' AND k.submitted_by = $4"))
        .bind(scope.editor())
        .bind(scope.network())
        .bind(scope.organisation_id().unwrap_or(-1))
        .bind(author)
        .fetch_one(&mut *c)
        .await?;
    col(&r, "n")
}

/// A facet value: code, label and how many of the matching items `scope` sees carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facet {
    pub code: String,
    pub label: String,
    pub count: i64,
}

/// What the facets count and the filters check of one item: its kind, state, date (published,
/// else last changed: the year filter's), phenomena and partner types.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct FacetFacts {
    pub kind: String,
    pub state: String,
    pub dated: i64,
    pub phenomena: Vec<i64>,
    pub partner_types: Vec<String>,
}

/// The facet facts of items `ids`, for the search copy in memory only ([`crate::replica`],
/// which counts them for a reader's visible items alone).
pub(crate) async fn facet_facts(c: &mut Conn, ids: &[i64]) -> Result<BTreeMap<i64, FacetFacts>, StoreError> {
    let mut out: BTreeMap<i64, FacetFacts> = BTreeMap::new();
    for r in &q("SELECT id, kind, state, COALESCE(published_at, updated_at) AS dated FROM knowledge_items WHERE id = ANY($1)").bind_ids(ids).fetch_all(&mut *c).await? {
        out.insert(col(r, "id")?, FacetFacts { kind: col(r, "kind")?, state: col(r, "state")?, dated: time(r, "dated")?, ..FacetFacts::default() });
    }
    for r in &q("SELECT item_id, phenomenon_id FROM knowledge_item_phenomena WHERE item_id = ANY($1)").bind_ids(ids).fetch_all(&mut *c).await? {
        if let Some(f) = out.get_mut(&col(r, "item_id")?) {
            f.phenomena.push(col(r, "phenomenon_id")?);
        }
    }
    for r in &q("SELECT item_id, partner_type FROM knowledge_item_partner_types WHERE item_id = ANY($1)").bind_ids(ids).fetch_all(&mut *c).await? {
        if let Some(f) = out.get_mut(&col(r, "item_id")?) {
            f.partner_types.push(col(r, "partner_type")?);
        }
    }
    Ok(out)
}

/// The code and name of every phenomenon (a few dozen: the copy of the search index holds them).
pub(crate) async fn all_phenomenon_labels(c: &mut Conn) -> Result<BTreeMap<i64, (String, String)>, StoreError> {
    let rows = q("SELECT id, code, name FROM phenomena ORDER BY id").fetch_all(&mut *c).await?;
    rows.iter().map(|r| Ok((col(r, "id")?, (col(r, "code")?, col(r, "name")?)))).collect()
}

fn facet(r: &Row) -> Result<Facet, StoreError> {
    Ok(Facet { code: col(r, "code")?, label: col(r, "label")?, count: col(r, "n")? })
}

/// Counts per content type, phenomenon and partner type over the items among `ids` that `scope`
/// sees (as lists; the labels of kinds and partner types are the codes, named by the caller).
pub async fn facets(c: &mut Conn, scope: &KnowledgeScope, ids: &[i64]) -> Result<[Vec<Facet>; 3], StoreError> {
    let rows = q(format!(
        "WITH m AS (SELECT k.id, k.kind FROM knowledge_items k WHERE {VISIBLE} AND k.id = ANY($4)) \
         SELECT 'soort' AS facet, m.kind AS code, m.kind AS label, COUNT(*) AS n FROM m GROUP BY m.kind \
         UNION ALL SELECT 'fenomeen' AS facet, p.code AS code, p.name AS label, COUNT(*) AS n FROM m \
             JOIN knowledge_item_phenomena x ON x.item_id = m.id JOIN phenomena p ON p.id = x.phenomenon_id GROUP BY p.code, p.name \
         UNION ALL SELECT 'partnertype' AS facet, t.partner_type AS code, t.partner_type AS label, COUNT(*) AS n FROM m \
             JOIN knowledge_item_partner_types t ON t.item_id = m.id GROUP BY t.partner_type \
         ORDER BY facet, n DESC, label, code"
    ))
    .bind(scope.editor())
    .bind(scope.network())
    .bind(scope.organisation_id().unwrap_or(-1))
    .bind_ids(ids)
    .fetch_all(&mut *c)
    .await?;
    let mut out: [Vec<Facet>; 3] = Default::default();
    for r in &rows {
        let slot = match col::<String>(r, "facet")?.as_str() {
            "soort" => 0,
            "fenomeen" => 1,
            _ => 2,
        };
        out[slot].push(facet(r)?);
    }
    Ok(out)
}

/// The themes of listed items (item id, phenomenon name), for the items `scope` sees among `ids`.
pub async fn themes_of(c: &mut Conn, scope: &KnowledgeScope, ids: &[i64]) -> Result<Vec<(i64, String)>, StoreError> {
    let rows = q(format!(
        "SELECT x.item_id, p.name FROM knowledge_items k JOIN knowledge_item_phenomena x ON x.item_id = k.id JOIN phenomena p ON p.id = x.phenomenon_id WHERE {VISIBLE} AND k.id = ANY($4)"
    ))
    .bind(scope.editor()).bind(scope.network()).bind(scope.organisation_id().unwrap_or(-1))
    .bind_ids(ids)
    .fetch_all(&mut *c)
    .await?;
    let mut themes = rows.iter().map(|r| Ok((col(r, "item_id")?, col(r, "name")?))).collect::<Result<Vec<(i64, String)>, StoreError>>()?;
    // Ordered here, in code point order on every backend (the copy's order too:
    // [`crate::replica`]), not by the database's collation.
    themes.sort_unstable();
    Ok(themes)
}

/// What an item refers to: phenomena, settings (ids) and partner types (codes).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ItemTerms {
    pub phenomena: Vec<i64>,
    pub settings: Vec<i64>,
    pub partner_types: Vec<String>,
}

/// The terms of the item of `g`.
pub async fn terms(c: &mut Conn, g: &KnowledgeGrant) -> Result<ItemTerms, StoreError> {
    let ids = |rows: Vec<Row>, name: &str| rows.iter().map(|r| col(r, name)).collect::<Result<Vec<i64>, _>>();
    let p = q("SELECT phenomenon_id FROM knowledge_item_phenomena WHERE item_id = $1 ORDER BY phenomenon_id").bind(g.id()).fetch_all(&mut *c).await?;
    let s = q("SELECT setting_id FROM knowledge_item_settings WHERE item_id = $1 ORDER BY setting_id").bind(g.id()).fetch_all(&mut *c).await?;
    let t = q("SELECT partner_type FROM knowledge_item_partner_types WHERE item_id = $1 ORDER BY partner_type").bind(g.id()).fetch_all(&mut *c).await?;
    Ok(ItemTerms { phenomena: ids(p, "phenomenon_id")?, settings: ids(s, "setting_id")?, partner_types: t.iter().map(|r| col(r, "partner_type")).collect::<Result<_, _>>()? })
}

/// Replaces the terms of item `id`.
pub async fn set_terms(c: &mut Conn, id: i64, t: &ItemTerms) -> Result<(), StoreError> {
    q("DELETE FROM knowledge_item_phenomena WHERE item_id = $1").bind(id).execute(&mut *c).await?;
    q("DELETE FROM knowledge_item_settings WHERE item_id = $1").bind(id).execute(&mut *c).await?;
    q("DELETE FROM knowledge_item_partner_types WHERE item_id = $1").bind(id).execute(&mut *c).await?;
    for p in &t.phenomena {
        q("INSERT INTO knowledge_item_phenomena (item_id, phenomenon_id) VALUES ($1, $2)").bind(id).bind(*p).execute(&mut *c).await?;
    }
    for s in &t.settings {
        q("INSERT INTO knowledge_item_settings (item_id, setting_id) VALUES ($1, $2)").bind(id).bind(*s).execute(&mut *c).await?;
    }
    for p in &t.partner_types {
        q("INSERT INTO knowledge_item_partner_types (item_id, partner_type) VALUES ($1, $2)").bind(id).bind(p).execute(&mut *c).await?;
    }
    Ok(())
}

/// The content an editor writes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ItemContent {
    pub kind: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub ecli: Option<String>,
    pub audience: String,
    pub group_id: Option<i64>,
    pub region_id: Option<i64>,
    /// A phenomenon table's product: `fenomeenbeeld`, `aanpak` or `rapportage`; empty otherwise.
    pub product_type: String,
}

/// Adds an item in state `concept`, version 1; its id.
pub async fn insert(c: &mut Conn, content: &ItemContent, by: &str, at: i64) -> Result<i64, StoreError> {
    let r = q("INSERT INTO knowledge_items (kind, title, summary, body, ecli, audience, group_id, region_id, state, version, created_by, created_at, updated_by, updated_at, \
         product_type) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'concept', 1, $9, $10, $9, $10, $11) RETURNING id")
    .bind(&content.kind)
    .bind(&content.title)
    .bind(&content.summary)
    .bind(&content.body)
    .bind(content.ecli.clone())
    .bind(&content.audience)
    .bind(content.group_id)
    .bind(content.region_id)
    .bind(by)
    .bind_at(at)
    .bind(&content.product_type)
    .fetch_one(&mut *c)
    .await?;
    col(&r, "id")
}

/// Replaces the content of item `id` if it is still at `version`; false when somebody else
/// changed it first.
pub async fn update(c: &mut Conn, id: i64, version: i64, content: &ItemContent, by: &str, at: i64) -> Result<bool, StoreError> {
    let r = q("UPDATE knowledge_items SET kind = $1, title = $2, summary = $3, body = $4, ecli = $5, audience = $6, group_id = $7, region_id = $8, \
         version = version + 1, updated_by = $9, updated_at = $10, product_type = $13 WHERE id = $11 AND version = $12")
    .bind(&content.kind)
    .bind(&content.title)
    .bind(&content.summary)
    .bind(&content.body)
    .bind(content.ecli.clone())
    .bind(&content.audience)
    .bind(content.group_id)
    .bind(content.region_id)
    .bind(by)
    .bind_at(at)
    .bind(id)
    .bind(version)
    .bind(&content.product_type)
    .execute(&mut *c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Counts a change of item `id` that is not in its content (such as a barrier model's
/// structure) as a new version, if the item is still at `version`.
pub async fn bump(c: &mut Conn, id: i64, version: i64, by: &str, at: i64) -> Result<bool, StoreError> {
    let r = q("UPDATE knowledge_items SET version = version + 1, updated_by = $1, updated_at = $2 WHERE id = $3 AND version = $4")
        .bind(by)
        .bind_at(at)
        .bind(id)
        .bind(version)
        .execute(&mut *c)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Keeps version `version` of item `id` as it now is.
pub async fn keep_version(c: &mut Conn, id: i64, version: i64, note: &str, by: &str, at: i64) -> Result<(), StoreError> {
    q("INSERT INTO knowledge_item_versions (item_id, version, kind, title, summary, body, ecli, audience, change_note, changed_by, changed_at) \
         SELECT id, CAST($2 AS BIGINT), kind, title, summary, body, ecli, audience, $3, $4, $5 FROM knowledge_items WHERE id = $1")
    .bind(id)
    .bind(version)
    .bind(note)
    .bind(by)
    .bind_at(at)
    .execute(&mut *c)
    .await?;
    Ok(())
}

/// Moves item `id` from state `from` to `to` at `version` (the version stays); false when the
/// item was changed or moved by somebody else first.
pub async fn set_state(c: &mut Conn, id: i64, version: i64, from: &str, to: &str, submitted_by: Option<&str>, at: i64) -> Result<bool, StoreError> {
    let r = q("UPDATE knowledge_items SET state = $1, submitted_by = $2, \
         published_at = CASE WHEN $1 = 'gepubliceerd' THEN $3 ELSE published_at END WHERE id = $4 AND version = $5 AND state = $6")
    .bind(to)
    .bind(submitted_by)
    .bind_at(at)
    .bind(id)
    .bind(version)
    .bind(from)
    .execute(&mut *c)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn add_step(c: &mut Conn, id: i64, step: &str, note: &str, by: &str, at: i64) -> Result<(), StoreError> {
    q("INSERT INTO knowledge_item_steps (item_id, step, note, taken_by, taken_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(id)
        .bind(step)
        .bind(note)
        .bind(by)
        .bind_at(at)
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// One kept version (content and who changed it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionRow {
    pub version: i64,
    pub kind: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub ecli: Option<String>,
    pub audience: String,
    pub change_note: String,
    pub changed_by: String,
    pub changed_at: i64,
}

/// The versions of the item of `g`, newest first.
pub async fn versions(c: &mut Conn, g: &KnowledgeGrant) -> Result<Vec<VersionRow>, StoreError> {
    let rows =
        q("SELECT version, kind, title, summary, body, ecli, audience, change_note, changed_by, changed_at FROM knowledge_item_versions WHERE item_id = $1 ORDER BY version DESC")
            .bind(g.id())
            .fetch_all(&mut *c)
            .await?;
    rows.iter()
        .map(|r| {
            Ok(VersionRow {
                version: col(r, "version")?,
                kind: col(r, "kind")?,
                title: col(r, "title")?,
                summary: col(r, "summary")?,
                body: col(r, "body")?,
                ecli: col(r, "ecli")?,
                audience: col(r, "audience")?,
                change_note: col(r, "change_note")?,
                changed_by: col(r, "changed_by")?,
                changed_at: time(r, "changed_at")?,
            })
        })
        .collect()
}

/// One workflow step taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRow {
    pub step: String,
    pub note: String,
    pub taken_by: String,
    pub taken_at: i64,
}

/// The workflow steps of the item of `g`, oldest first.
pub async fn steps(c: &mut Conn, g: &KnowledgeGrant) -> Result<Vec<StepRow>, StoreError> {
    let rows = q("SELECT step, note, taken_by, taken_at FROM knowledge_item_steps WHERE item_id = $1 ORDER BY id").bind(g.id()).fetch_all(&mut *c).await?;
    rows.iter().map(|r| Ok(StepRow { step: col(r, "step")?, note: col(r, "note")?, taken_by: col(r, "taken_by")?, taken_at: time(r, "taken_at")? })).collect()
}

/// Whether another item than `except` already has `ecli`.
pub async fn ecli_taken(c: &mut Conn, ecli: &str, except: i64) -> Result<bool, StoreError> {
    let r = q("SELECT COUNT(*) AS n FROM knowledge_items WHERE ecli = $1 AND id <> $2").bind(ecli).bind(except).fetch_one(&mut *c).await?;
    Ok(col::<i64>(&r, "n")? > 0)
}

/// A knowledge group with its member organisations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub description: String,
    /// (organisation id, name)
    pub members: Vec<(i64, String)>,
}

/// Every knowledge group with its members, by name.
pub async fn groups(c: &mut Conn) -> Result<Vec<GroupRow>, StoreError> {
    let rows = q("SELECT id, code, name, description FROM knowledge_groups ORDER BY name").fetch_all(&mut *c).await?;
    let members = q("SELECT m.group_id, o.id, o.name FROM knowledge_group_members m JOIN organisations o ON o.id = m.organisation_id ORDER BY o.name").fetch_all(&mut *c).await?;
    let members: Vec<(i64, i64, String)> = members.iter().map(|r| Ok((col(r, "group_id")?, col(r, "id")?, col(r, "name")?))).collect::<Result<_, StoreError>>()?;
    rows.iter()
        .map(|r| {
            let id: i64 = col(r, "id")?;
            Ok(GroupRow {
                id,
                code: col(r, "code")?,
                name: col(r, "name")?,
                description: col(r, "description")?,
                members: members.iter().filter(|m| m.0 == id).map(|m| (m.1, m.2.clone())).collect(),
            })
        })
        .collect()
}

/// Adds a group; its id.
pub async fn insert_group(c: &mut Conn, code: &str, name: &str, description: &str, at: i64) -> Result<i64, StoreError> {
    let r = q("INSERT INTO knowledge_groups (code, name, description, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(code)
        .bind(name)
        .bind(description)
        .bind_at(at)
        .fetch_one(&mut *c)
        .await?;
    col(&r, "id")
}

/// Replaces the member organisations of group `id`.
pub async fn set_members(c: &mut Conn, id: i64, organisations: &[i64]) -> Result<(), StoreError> {
    q("DELETE FROM knowledge_group_members WHERE group_id = $1").bind(id).execute(&mut *c).await?;
    for o in organisations {
        q("INSERT INTO knowledge_group_members (group_id, organisation_id) VALUES ($1, $2)").bind(id).bind(*o).execute(&mut *c).await?;
    }
    Ok(())
}

/// An attachment of a knowledge item, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AttachmentRow {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    /// How many characters of text were found (0: none).
    pub text_chars: i64,
    /// Why no text was found, when it could not be read.
    pub text_note: String,
    pub uploaded_by: String,
    pub at: i64,
}

const ATTACHMENT: &str = "SELECT id, file_name, content_type, size, sha256, CAST(LENGTH(text) AS BIGINT) AS text_chars, text_note, uploaded_by, at FROM knowledge_attachments";

fn attachment_row(r: &Row) -> Result<AttachmentRow, StoreError> {
    Ok(AttachmentRow {
        id: col(r, "id")?,
        file_name: col(r, "file_name")?,
        content_type: col(r, "content_type")?,
        size: col(r, "size")?,
        sha256: col(r, "sha256")?,
        text_chars: col(r, "text_chars")?,
        text_note: col(r, "text_note")?,
        uploaded_by: col(r, "uploaded_by")?,
        at: time(r, "at")?,
    })
}

/// Adds an attachment with its bytes and extracted text to item `item_id`; its id.
pub async fn add_attachment(c: &mut Conn, item_id: i64, a: &AttachmentRow, data: &[u8], text: &str) -> Result<i64, StoreError> {
    let r = q("INSERT INTO knowledge_attachments (item_id, file_name, content_type, size, sha256, data, text, text_note, uploaded_by, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id")
    .bind(item_id)
    .bind(&a.file_name)
    .bind(&a.content_type)
    .bind(a.size)
    .bind(&a.sha256)
    .bind(data.to_vec())
    .bind(text)
    .bind(&a.text_note)
    .bind(&a.uploaded_by)
    .bind_at(a.at)
    .fetch_one(&mut *c)
    .await?;
    col(&r, "id")
}

/// The attachments of the item of `g`, in upload order.
pub async fn attachments(c: &mut Conn, g: &KnowledgeGrant) -> Result<Vec<AttachmentRow>, StoreError> {
    let rows = q(format!("{ATTACHMENT} WHERE item_id = $1 ORDER BY id")).bind(g.id()).fetch_all(&mut *c).await?;
    rows.iter().map(attachment_row).collect()
}

/// One attachment of the item of `g`, with its bytes.
pub async fn attachment_data(c: &mut Conn, g: &KnowledgeGrant, id: i64) -> Result<Option<(AttachmentRow, Vec<u8>)>, StoreError> {
    let r = q("SELECT id, file_name, content_type, size, sha256, CAST(LENGTH(text) AS BIGINT) AS text_chars, text_note, uploaded_by, at, data FROM knowledge_attachments WHERE item_id = $1 AND id = $2")
        .bind(g.id())
        .bind(id)
        .fetch_optional(&mut *c)
        .await?;
    match r {
        Some(r) => Ok(Some((attachment_row(&r)?, col(&r, "data")?))),
        None => Ok(None),
    }
}

/// The phenomena user `user_id` follows on the knowledge start page (the user's own
/// preference).
pub async fn followed_themes(c: &mut Conn, user_id: i64) -> Result<Vec<i64>, StoreError> {
    let rows = q("SELECT phenomenon_id FROM user_knowledge_themes WHERE user_id = $1 ORDER BY phenomenon_id").bind(user_id).fetch_all(&mut *c).await?;
    rows.iter().map(|r| col(r, "phenomenon_id")).collect()
}

/// Replaces the phenomena user `user_id` follows.
pub async fn set_followed_themes(c: &mut Conn, user_id: i64, phenomena: &[i64]) -> Result<(), StoreError> {
    q("DELETE FROM user_knowledge_themes WHERE user_id = $1").bind(user_id).execute(&mut *c).await?;
    for p in phenomena {
        q("INSERT INTO user_knowledge_themes (user_id, phenomenon_id) VALUES ($1, $2)").bind(user_id).bind(*p).execute(&mut *c).await?;
    }
    Ok(())
}
