//! Cross-region detection: subjects' blocking keys, the match queue, hits (treffers) and the
//! case links that follow when both owners agree to share.
//!
//! Readers for principals take what policy mints: a [`TrefferScope`] for the list and for
//! opening a hit, a [`TrefferGrant`] for what one side may see of it (its own subject, the other
//! side's only after both consented), an [`OverviewGrant`] for the LIEC's national overview.
//! The background matcher's readers (`subjects_for_matching`, `subjects_under_key`,
//! `encodings_by_id`, `pair_of`) take a `MatcherGrant` and return nothing to a principal: they
//! feed the matcher and its processing log.

use crate::cases::{subject_row, CaseGrant, SubjectRow, SUBJECT_COLS};
use crate::db::{col, Conn, StoreError};
use crate::query::{q, time, Row};
use knooppunt_policy::cases::CaseScope;
use knooppunt_policy::treffers::{OverviewGrant, Side, TrefferGrant, TrefferScope};
use knooppunt_policy::MatcherGrant;

/// A subject with the region of its case (what matching needs).
#[derive(Debug, Clone)]
pub struct RegionalSubject {
    pub subject: SubjectRow,
    pub region_id: i64,
}

/// Subjects by id with their region (in chunks of 500 ids). A system reader for the background
/// matcher only.
pub async fn subjects_for_matching(c: &mut Conn, _m: &MatcherGrant, ids: &[i64]) -> Result<Vec<RegionalSubject>, StoreError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let rows = q(format!("SELECT {SUBJECT_COLS}, s.region_id FROM subjects s WHERE s.id = ANY($1) ORDER BY s.id")).bind_ids(chunk).fetch_all(&mut *c).await?;
        for r in &rows {
            out.push(RegionalSubject { subject: subject_row(r)?, region_id: col(r, "region_id")? });
        }
    }
    Ok(out)
}

/// Every subject id, in order, from `after` on, at most `limit` (for batch matching).
pub async fn subject_ids(c: &mut Conn, after: i64, limit: i64) -> Result<Vec<i64>, StoreError> {
    let rows = q("SELECT id FROM subjects WHERE id > $1 ORDER BY id LIMIT $2").bind(after).bind(limit).fetch_all(&mut *c).await?;
    rows.iter().map(|r| col(r, "id")).collect()
}

pub async fn count_subjects(c: &mut Conn) -> Result<i64, StoreError> {
    let r = q("SELECT COUNT(*) AS n FROM subjects").fetch_one(&mut *c).await?;
    col(&r, "n")
}

/// Replaces the blocking keys of a subject.
pub async fn set_keys(c: &mut Conn, subject_id: i64, region_id: i64, keys: &[String]) -> Result<(), StoreError> {
    q("DELETE FROM subject_match_keys WHERE subject_id = $1").bind(subject_id).execute(&mut *c).await?;
    for chunk in keys.chunks(32) {
        let values: Vec<String> = (0..chunk.len()).map(|i| format!("($1, $2, ${})", i + 3)).collect();
        let sql = format!("INSERT INTO subject_match_keys (subject_id, region_id, match_key) VALUES {}", values.join(", "));
        let mut q = q(&sql).bind(subject_id).bind(region_id);
        for k in chunk {
            q = q.bind(k);
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}

/// Subjects of other regions than `region_id` under `key`, at most `limit` (callers ask for one
/// more than they accept, to see that a block is oversized).
pub async fn subjects_under_key(c: &mut Conn, _m: &MatcherGrant, key: &str, region_id: i64, limit: i64) -> Result<Vec<i64>, StoreError> {
    let rows = q("SELECT subject_id FROM subject_match_keys WHERE match_key = $1 AND region_id <> $2 LIMIT $3").bind(key).bind(region_id).bind(limit).fetch_all(&mut *c).await?;
    rows.iter().map(|r| col(r, "subject_id")).collect()
}

pub async fn enqueue(c: &mut Conn, subject_id: i64, at: i64) -> Result<(), StoreError> {
    q("INSERT INTO match_queue (subject_id, queued_at) VALUES ($1, $2) ON CONFLICT (subject_id) DO UPDATE SET queued_at = excluded.queued_at")
        .bind(subject_id)
        .bind_at(at)
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// Claims the oldest queued subjects, at most `limit`, for the rest of the transaction. On
/// PostgreSQL the rows are locked and rows another node holds are skipped (`FOR UPDATE SKIP
/// LOCKED`), so nodes that run the matcher at once each take other subjects; SQLite has one
/// writer, so one node.
pub async fn queued(c: &mut Conn, limit: i64) -> Result<Vec<i64>, StoreError> {
    let sql = if c.backend() == crate::Backend::Postgres {
        "SELECT subject_id FROM match_queue ORDER BY queued_at, subject_id LIMIT $1 FOR UPDATE SKIP LOCKED"
    } else {
        "SELECT subject_id FROM match_queue ORDER BY queued_at, subject_id LIMIT $1"
    };
    let rows = q(sql).bind(limit).fetch_all(&mut *c).await?;
    rows.iter().map(|r| col(r, "subject_id")).collect()
}

pub async fn dequeue(c: &mut Conn, subject_id: i64) -> Result<(), StoreError> {
    q("DELETE FROM match_queue WHERE subject_id = $1").bind(subject_id).execute(&mut *c).await?;
    Ok(())
}

pub async fn clear_queue(c: &mut Conn) -> Result<(), StoreError> {
    q("DELETE FROM match_queue").execute(&mut *c).await?;
    Ok(())
}

/// The last estimated model parameters (JSON), if any.
pub async fn latest_model(c: &mut Conn) -> Result<Option<String>, StoreError> {
    let r = q("SELECT parameters FROM match_models ORDER BY id DESC LIMIT 1").fetch_optional(&mut *c).await?;
    r.map(|r| col(&r, "parameters")).transpose()
}

pub async fn save_model(c: &mut Conn, parameters: &str, pairs: i64, at: i64) -> Result<(), StoreError> {
    q("INSERT INTO match_models (parameters, pairs, estimated_at) VALUES ($1, $2, $3)").bind(parameters).bind(pairs).bind_at(at).execute(&mut *c).await?;
    Ok(())
}

/// One hit as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrefferRow {
    pub id: i64,
    pub subject_a: i64,
    pub subject_b: i64,
    pub case_a: i64,
    pub case_b: i64,
    pub region_a: i64,
    pub region_b: i64,
    pub strength: i64,
    pub deterministic: String,
    pub evidence: String,
    pub status: String,
    pub status_by: String,
    pub status_note: String,
    /// `a` or `b`: the side whose team reviewed (their note is theirs until both consent).
    pub status_side: String,
    pub share_a: String,
    pub share_b: String,
    pub reason_a: String,
    pub reason_b: String,
    pub shared_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
}

const COLS: &str = "t.id, t.subject_a, t.subject_b, t.case_a, t.case_b, t.region_a, t.region_b, t.strength, t.deterministic, t.evidence, t.status, t.status_by, \
    t.status_note, t.status_side, t.share_a, t.share_b, t.reason_a, t.reason_b, t.shared_at, t.created_at, t.updated_at, t.version";

fn treffer_row(r: &Row) -> Result<TrefferRow, StoreError> {
    Ok(TrefferRow {
        id: col(r, "id")?,
        subject_a: col(r, "subject_a")?,
        subject_b: col(r, "subject_b")?,
        case_a: col(r, "case_a")?,
        case_b: col(r, "case_b")?,
        region_a: col(r, "region_a")?,
        region_b: col(r, "region_b")?,
        strength: col(r, "strength")?,
        deterministic: col(r, "deterministic")?,
        evidence: col(r, "evidence")?,
        status: col(r, "status")?,
        status_by: col(r, "status_by")?,
        status_note: col(r, "status_note")?,
        status_side: col(r, "status_side")?,
        share_a: col(r, "share_a")?,
        share_b: col(r, "share_b")?,
        reason_a: col(r, "reason_a")?,
        reason_b: col(r, "reason_b")?,
        shared_at: time(r, "shared_at")?,
        created_at: time(r, "created_at")?,
        updated_at: time(r, "updated_at")?,
        version: col(r, "version")?,
    })
}

/// A hit found by matching, to be recorded.
#[derive(Debug, Clone)]
pub struct NewTreffer {
    pub subject_a: i64,
    pub subject_b: i64,
    pub case_a: i64,
    pub case_b: i64,
    pub region_a: i64,
    pub region_b: i64,
    pub strength: i64,
    pub deterministic: String,
    pub evidence: String,
}

/// What recording a hit did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    New(i64),
    Updated(i64),
    Unchanged(i64),
    /// The pair was marked a false match before; it stays rejected.
    Rejected(i64),
}

/// Records a hit idempotently: a new pair is inserted; an open or confirmed pair gets the new
/// strength and evidence; a rejected pair is left alone.
pub async fn record(c: &mut Conn, t: &NewTreffer, at: i64) -> Result<Recorded, StoreError> {
    let existing = q(format!("SELECT {COLS} FROM treffers t WHERE t.subject_a = $1 AND t.subject_b = $2")).bind(t.subject_a).bind(t.subject_b).fetch_optional(&mut *c).await?;
    if let Some(r) = existing {
        let row = treffer_row(&r)?;
        if row.status == "onjuist" {
            return Ok(Recorded::Rejected(row.id));
        }
        if row.strength == t.strength && row.evidence == t.evidence && row.deterministic == t.deterministic {
            return Ok(Recorded::Unchanged(row.id));
        }
        q("UPDATE treffers SET strength = $1, evidence = $2, deterministic = $3, updated_at = $4, version = version + 1 WHERE id = $5")
            .bind(t.strength)
            .bind(&t.evidence)
            .bind(&t.deterministic)
            .bind_at(at)
            .bind(row.id)
            .execute(&mut *c)
            .await?;
        return Ok(Recorded::Updated(row.id));
    }
    let r = q("INSERT INTO treffers (subject_a, subject_b, case_a, case_b, region_a, region_b, strength, deterministic, evidence, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id")
    .bind(t.subject_a)
    .bind(t.subject_b)
    .bind(t.case_a)
    .bind(t.case_b)
    .bind(t.region_a)
    .bind(t.region_b)
    .bind(t.strength)
    .bind(&t.deterministic)
    .bind(&t.evidence)
    .bind_at(at)
    .fetch_one(&mut *c)
    .await?;
    Ok(Recorded::New(col(&r, "id")?))
}

/// The two subjects of a hit the matcher just recorded (system reader: for its processing log).
/// The two subjects of a new hit and their regions (for its processing log and notifications).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pair {
    pub subject_a: i64,
    pub subject_b: i64,
    pub region_a: i64,
    pub region_b: i64,
}

pub async fn pair_of(c: &mut Conn, _m: &MatcherGrant, id: i64) -> Result<Option<Pair>, StoreError> {
    let r = q("SELECT subject_a, subject_b, region_a, region_b FROM treffers WHERE id = $1").bind(id).fetch_optional(&mut *c).await?;
    r.map(|r| Ok(Pair { subject_a: col(&r, "subject_a")?, subject_b: col(&r, "subject_b")?, region_a: col(&r, "region_a")?, region_b: col(&r, "region_b")? })).transpose()
}

/// "A side of the hit is in the regions bound at `$n`".
fn in_scope(n: usize) -> String {
    format!("(t.region_a = ANY(${n}) OR t.region_b = ANY(${n}))")
}

/// A hit by id if it has a side in `scope` (the facts for `policy::treffers::grant`).
pub async fn find(c: &mut Conn, scope: &TrefferScope, id: i64) -> Result<Option<TrefferRow>, StoreError> {
    if scope.regions().is_empty() {
        return Ok(None);
    }
    let r = q(format!("SELECT {COLS} FROM treffers t WHERE t.id = $1 AND {}", in_scope(2))).bind(id).bind_ids(scope.regions()).fetch_optional(&mut *c).await?;
    r.map(|r| treffer_row(&r)).transpose()
}

/// Hits with a side in `scope`, newest first, at most `limit`.
pub async fn for_regions(c: &mut Conn, scope: &TrefferScope, limit: i64) -> Result<Vec<TrefferRow>, StoreError> {
    if scope.regions().is_empty() {
        return Ok(Vec::new());
    }
    let rows = q(format!("SELECT {COLS} FROM treffers t WHERE {} ORDER BY t.id DESC LIMIT $2", in_scope(1))).bind_ids(scope.regions()).bind(limit).fetch_all(&mut *c).await?;
    rows.iter().map(treffer_row).collect()
}

/// How many hits with a side in `scope` nobody has assessed yet (for the work list).
pub async fn count_open(c: &mut Conn, scope: &TrefferScope) -> Result<i64, StoreError> {
    if scope.regions().is_empty() {
        return Ok(0);
    }
    let r = q(format!("SELECT COUNT(*) AS n FROM treffers t WHERE {} AND t.status = 'open'", in_scope(1))).bind_ids(scope.regions()).fetch_one(&mut *c).await?;
    col(&r, "n")
}

/// How many hits of every region nobody has assessed yet (the LIEC's work list).
pub async fn count_open_all(c: &mut Conn, _g: &OverviewGrant) -> Result<i64, StoreError> {
    let r = q("SELECT COUNT(*) AS n FROM treffers WHERE status = 'open'").fetch_one(&mut *c).await?;
    col(&r, "n")
}

/// Hits of every region, for the LIEC overview (no subject details are read).
pub async fn all(c: &mut Conn, _g: &OverviewGrant, limit: i64) -> Result<Vec<TrefferRow>, StoreError> {
    let rows = q(format!("SELECT {COLS} FROM treffers t ORDER BY t.id DESC LIMIT $1")).bind(limit).fetch_all(&mut *c).await?;
    rows.iter().map(treffer_row).collect()
}

/// Case references of the LIEC overview, by id.
pub async fn overview_labels(c: &mut Conn, _g: &OverviewGrant, ids: &[i64]) -> Result<Vec<(i64, String)>, StoreError> {
    Ok(case_labels(c, ids).await?.into_iter().map(|(id, reference, _)| (id, reference)).collect())
}

/// What one side of a hit sees of it: its own subject and case, whom to contact, and — only
/// after both consented — the other subject and the other case's reference.
#[derive(Debug, Clone)]
pub struct SideView {
    pub own_subject: SubjectRow,
    pub own_case_reference: String,
    pub own_case_title: String,
    /// The casusregisseur of the other case (or another team member), if any.
    pub other_contact: Option<String>,
    pub other_subject: Option<SubjectRow>,
    pub other_case_reference: Option<String>,
}

/// The view of the hit of `g` for its holder's side.
pub async fn side_view(c: &mut Conn, g: &TrefferGrant) -> Result<Option<SideView>, StoreError> {
    let Some(r) = q("SELECT subject_a, subject_b, case_a, case_b FROM treffers WHERE id = $1").bind(g.id()).fetch_optional(&mut *c).await? else {
        return Ok(None);
    };
    let (sa, sb, ca, cb): (i64, i64, i64, i64) = (col(&r, "subject_a")?, col(&r, "subject_b")?, col(&r, "case_a")?, col(&r, "case_b")?);
    let ((own_s, own_c), (other_s, other_c)) = match g.side() {
        Side::A => ((sa, ca), (sb, cb)),
        Side::B => ((sb, cb), (sa, ca)),
    };
    let subject = |id: i64| q(format!("SELECT {SUBJECT_COLS} FROM subjects s WHERE s.id = $1")).bind(id);
    let Some(own) = subject(own_s).fetch_optional(&mut *c).await? else {
        return Ok(None);
    };
    let labels = case_labels(c, &[own_c, other_c]).await?;
    let label = |id: i64| labels.iter().find(|l| l.0 == id).map(|l| (l.1.clone(), l.2.clone())).unwrap_or_default();
    let contact = q("SELECT u.display_name FROM case_team t JOIN users u ON u.id = t.user_id WHERE t.case_id = $1 \
         ORDER BY CASE WHEN t.team_role = 'casusregisseur' THEN 0 ELSE 1 END, t.team_role, u.display_name LIMIT 1")
    .bind(other_c)
    .fetch_optional(&mut *c)
    .await?;
    let (other_subject, other_case_reference) = if g.other_side_visible() {
        let o = subject(other_s).fetch_optional(&mut *c).await?;
        (o.as_ref().map(subject_row).transpose()?, Some(label(other_c).0))
    } else {
        (None, None)
    };
    let (own_ref, own_title) = label(own_c);
    Ok(Some(SideView {
        own_subject: subject_row(&own)?,
        own_case_reference: own_ref,
        own_case_title: own_title,
        other_contact: contact.map(|r| col(&r, "display_name")).transpose()?,
        other_subject,
        other_case_reference,
    }))
}

pub async fn count(c: &mut Conn) -> Result<i64, StoreError> {
    let r = q("SELECT COUNT(*) AS n FROM treffers").fetch_one(&mut *c).await?;
    col(&r, "n")
}

/// A review of a hit: the verdict, who gave it, from which side, and the note.
#[derive(Debug, Clone, Copy)]
pub struct Review<'a> {
    pub status: &'a str,
    pub by: &'a str,
    pub side: Side,
    pub note: &'a str,
}

/// Sets the review status, with the side that reviewed; false when the version is stale.
pub async fn set_status(c: &mut Conn, id: i64, r: Review<'_>, version: i64, at: i64) -> Result<bool, StoreError> {
    let res = q("UPDATE treffers SET status = $1, status_by = $2, status_note = $3, status_side = $7, updated_at = $4, version = version + 1 WHERE id = $5 AND version = $6")
        .bind(r.status)
        .bind(r.by)
        .bind(r.note)
        .bind_at(at)
        .bind(id)
        .bind(version)
        .bind(r.side.code())
        .execute(&mut *c)
        .await?;
    Ok(res.rows_affected() == 1)
}

/// Records one side's consent (`akkoord`) or refusal (`geweigerd`, with a reason).
pub async fn set_share(c: &mut Conn, id: i64, side_a: bool, decision: &str, reason: &str, version: i64, at: i64) -> Result<bool, StoreError> {
    let (s, r) = if side_a { ("share_a", "reason_a") } else { ("share_b", "reason_b") };
    let res = q(format!("UPDATE treffers SET {s} = $1, {r} = $2, updated_at = $3, version = version + 1 WHERE id = $4 AND version = $5"))
        .bind(decision)
        .bind(reason)
        .bind_at(at)
        .bind(id)
        .bind(version)
        .execute(&mut *c)
        .await?;
    Ok(res.rows_affected() == 1)
}

/// Marks the hit shared and links its two cases (idempotent).
pub async fn link_cases(c: &mut Conn, t: &TrefferRow, at: i64) -> Result<(), StoreError> {
    q("UPDATE treffers SET shared_at = $1 WHERE id = $2 AND shared_at IS NULL").bind_at(at).bind(t.id).execute(&mut *c).await?;
    let (a, b) = if t.case_a < t.case_b { (t.case_a, t.case_b) } else { (t.case_b, t.case_a) };
    q("INSERT INTO case_links (case_a, case_b, treffer_id, linked_at) VALUES ($1, $2, $3, $4) ON CONFLICT (case_a, case_b) DO NOTHING")
        .bind(a)
        .bind(b)
        .bind(t.id)
        .bind_at(at)
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// A case linked to another after a shared hit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedCase {
    pub case_id: i64,
    pub reference: String,
    pub region_name: String,
    pub linked_at: i64,
}

/// The cases linked to the case of `g` (the case team only: links exist between two teams).
pub async fn linked_cases(c: &mut Conn, g: &CaseGrant) -> Result<Vec<LinkedCase>, StoreError> {
    if g.participant().is_some() {
        return Ok(Vec::new());
    }
    let case_id = g.case_id();
    let rows = q("SELECT k.id AS case_id, k.reference, r.name AS region_name, l.linked_at FROM case_links l \
         JOIN cases k ON k.id = CASE WHEN l.case_a = $1 THEN l.case_b ELSE l.case_a END \
         JOIN regions r ON r.id = k.region_id WHERE l.case_a = $1 OR l.case_b = $1 ORDER BY l.linked_at")
    .bind(case_id)
    .fetch_all(&mut *c)
    .await?;
    rows.iter()
        .map(|r| Ok(LinkedCase { case_id: col(r, "case_id")?, reference: col(r, "reference")?, region_name: col(r, "region_name")?, linked_at: time(r, "linked_at")? }))
        .collect()
}

/// Case reference and title, by id (inside this module: notices and the LIEC overview).
async fn case_labels(c: &mut Conn, ids: &[i64]) -> Result<Vec<(i64, String, String)>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = q("SELECT id, reference, title FROM cases WHERE id = ANY($1)").bind_ids(ids).fetch_all(&mut *c).await?;
    rows.iter().map(|r| Ok((col(r, "id")?, col(r, "reference")?, col(r, "title")?))).collect()
}

// ---------------------------------------------------------------------------------------------
// The encoded index (privacy-preserving mode)

/// A subject's encoding as the encoded index holds it: no clear values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodingRow {
    pub subject_id: i64,
    pub region_id: i64,
    pub case_id: i64,
    pub kind: String,
    pub clk: String,
    pub fields: String,
    pub identifiers: String,
    pub secret_check: String,
}

const ENCODING_COLS: &str = "e.subject_id, e.region_id, e.case_id, e.kind, e.clk, e.fields, e.identifiers, e.secret_check";

pub(crate) fn encoding_row(r: &Row) -> Result<EncodingRow, StoreError> {
    Ok(EncodingRow {
        subject_id: col(r, "subject_id")?,
        region_id: col(r, "region_id")?,
        case_id: col(r, "case_id")?,
        kind: col(r, "kind")?,
        clk: col(r, "clk")?,
        fields: col(r, "fields")?,
        identifiers: col(r, "identifiers")?,
        secret_check: col(r, "secret_check")?,
    })
}

/// Replaces a subject's encoding.
pub async fn set_encoding(c: &mut Conn, e: &EncodingRow) -> Result<(), StoreError> {
    q("DELETE FROM subject_encodings WHERE subject_id = $1").bind(e.subject_id).execute(&mut *c).await?;
    q("INSERT INTO subject_encodings (subject_id, region_id, case_id, kind, clk, fields, identifiers, secret_check) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(e.subject_id)
        .bind(e.region_id)
        .bind(e.case_id)
        .bind(&e.kind)
        .bind(&e.clk)
        .bind(&e.fields)
        .bind(&e.identifiers)
        .bind(&e.secret_check)
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// Removes a subject's encoding (clear mode, or nothing left to encode).
pub async fn clear_encoding(c: &mut Conn, subject_id: i64) -> Result<(), StoreError> {
    q("DELETE FROM subject_encodings WHERE subject_id = $1").bind(subject_id).execute(&mut *c).await?;
    Ok(())
}

/// The encodings of `ids` (those that have one), in id order.
pub async fn encodings_by_id(c: &mut Conn, _m: &MatcherGrant, ids: &[i64]) -> Result<Vec<EncodingRow>, StoreError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let rows = q(format!("SELECT {ENCODING_COLS} FROM subject_encodings e WHERE e.subject_id = ANY($1) ORDER BY e.subject_id")).bind_ids(chunk).fetch_all(&mut *c).await?;
        for r in &rows {
            out.push(encoding_row(r)?);
        }
    }
    Ok(out)
}

/// The blocking keys of `ids`, per subject.
/// The blocking keys of those of `ids` whose cases `scope` may see.
pub async fn keys_by_subject(c: &mut Conn, scope: &CaseScope, ids: &[i64]) -> Result<std::collections::HashMap<i64, Vec<String>>, StoreError> {
    let mut out: std::collections::HashMap<i64, Vec<String>> = std::collections::HashMap::new();
    if scope.is_empty() {
        return Ok(out);
    }
    for chunk in ids.chunks(500) {
        let mut sq = crate::cases::Sql::new(
            "SELECT k.subject_id, k.match_key FROM subject_match_keys k JOIN subjects s ON s.id = k.subject_id JOIN cases c ON c.id = s.case_id WHERE k.subject_id",
        );
        sq.any_of(chunk).push(" AND ").case_visible(scope);
        let rows = sq.query().fetch_all(&mut *c).await?;
        for r in &rows {
            out.entry(col(r, "subject_id")?).or_default().push(col(r, "match_key")?);
        }
    }
    Ok(out)
}
