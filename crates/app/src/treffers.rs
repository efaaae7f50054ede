//! Cross-region detection and hit/no-hit.
//!
//! A new subject is queued in the transaction that adds it; the background matcher
//! ([`App::process_match_queue`]) compares it with the subjects of other regions that share a
//! blocking key and records a hit (treffer) above [`TREFFER_THRESHOLD`]. `knooppunt match --all`
//! ([`App::match_all`]) recomputes every key, re-estimates the model (EM) and re-matches
//! everything. Both are idempotent and a hit marked as a false match stays rejected.
//!
//! Each case team sees only its own subject, the other region, the strength, which fields
//! agreed and whom to contact; the other side's values only after both agreed to share. The
//! LIEC coordinator sees counts and pairs of regions and cases. Nobody else learns anything.

use crate::notifications::NotificationKind;
use crate::{commit, App, AppError, Ctx, DataSubject, Object, Outcome};
use knooppunt_domain::Invalid;
use knooppunt_matching::blocking::keys as blocking_keys;
use knooppunt_matching::clk::{self, Encoded, Secret};
use knooppunt_matching::compare::Agreement;
use knooppunt_matching::model::Pattern;
use knooppunt_matching::tally::Tally;
pub use knooppunt_matching::MAX_BLOCK;
use knooppunt_matching::{Explanation, Field, Model, Record, RecordInput};
use knooppunt_policy::notifications::About;
use knooppunt_policy::treffers::{decide_treffer, grant as treffer_grant, may_read_note, overview as overview_grant, scope as treffer_scope, Side, TrefferAction, TrefferGrant};
use knooppunt_policy::{background_matcher, Principal};
use knooppunt_store::cases::{self as case_store, CaseEvent, EventAbout, SubjectRow};
use knooppunt_store::network;
use knooppunt_store::treffers::{self as store, EncodingRow, NewTreffer, Recorded, RegionalSubject, TrefferRow};
use knooppunt_store::Tx;
use std::collections::HashMap;

/// A pair is a hit from this match probability on.
pub const TREFFER_THRESHOLD: f64 = 0.9;

/// EM needs enough candidate pairs to estimate anything; below this the priors stay.
const MIN_PAIRS_FOR_EM: usize = 1000;

/// Subjects the background matcher takes per round.
const QUEUE_BATCH: i64 = 50;

/// The most hits one list shows.
const LIST_LIMIT: i64 = 200;

/// The matching view of a subject's fields.
pub fn record_input(s: &SubjectRow) -> RecordInput {
    let f = &s.fields;
    let ids = [("bsn", &f.bsn), ("kvk", &f.kvk), ("rsin", &f.rsin), ("iban", &f.iban), ("kenteken", &f.licence_plate), ("bag", &f.bag_id)];
    RecordInput {
        kind: s.kind.clone(),
        given_names: f.first_names.clone(),
        prefix: f.prefix.clone(),
        surname: f.surname.clone(),
        birth_date: f.birth_date.clone(),
        company_name: f.company_name.clone(),
        street: f.street.clone(),
        house_number: f.house_number.clone(),
        postcode: f.postcode.clone(),
        city: f.city.clone(),
        identifiers: ids.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        ..RecordInput::default()
    }
}

fn record_of(s: &SubjectRow) -> Record {
    Record::from_input(&record_input(s)).0
}

/// What the matcher compares of a subject: its clear record, or in encoded mode only its
/// encoding (keyed Bloom filters and hashes; see [`knooppunt_matching::clk`]).
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)] // short-lived, one per subject in a batch
enum Matchable {
    Clear(Record),
    Encoded(Encoded),
}

impl Matchable {
    fn of(s: &SubjectRow, secret: Option<&Secret>) -> Option<Matchable> {
        let r = record_of(s);
        if !r.is_matchable() {
            return None;
        }
        Some(match secret {
            Some(secret) => Matchable::Encoded(clk::encode(secret, &r)),
            None => Matchable::Clear(r),
        })
    }

    /// The blocking keys as stored: clear keys, or `h:` and the keyed hash in encoded mode.
    fn keys(&self) -> Vec<String> {
        match self {
            Matchable::Clear(r) => blocking_keys(r),
            Matchable::Encoded(e) => e.keys.iter().map(|k| format!("h:{k:016x}")).collect(),
        }
    }

    fn comparable(&self, other: &Matchable) -> bool {
        match (self, other) {
            (Matchable::Clear(a), Matchable::Clear(b)) => knooppunt_matching::model::comparable(a, b),
            (Matchable::Encoded(a), Matchable::Encoded(b)) => a.kind == b.kind,
            _ => false,
        }
    }

    fn pattern(&self, other: &Matchable) -> Pattern {
        match (self, other) {
            (Matchable::Clear(a), Matchable::Clear(b)) => knooppunt_matching::model::compare(a, b),
            (Matchable::Encoded(a), Matchable::Encoded(b)) => clk::pattern(a, b),
            _ => [Agreement::Disagree; knooppunt_matching::model::N],
        }
    }

    fn is_anchor(&self, other: &Matchable) -> bool {
        match (self, other) {
            (Matchable::Clear(a), Matchable::Clear(b)) => knooppunt_matching::link::is_anchor(a, b),
            (Matchable::Encoded(a), Matchable::Encoded(b)) => clk::is_anchor(a, b),
            _ => false,
        }
    }

    fn score(&self, model: &Model, other: &Matchable) -> Explanation {
        match (self, other) {
            (Matchable::Clear(a), Matchable::Clear(b)) => model.score(a, b),
            (Matchable::Encoded(a), Matchable::Encoded(b)) => clk::score(model, a, b),
            _ => model.explain(&[Agreement::Disagree; knooppunt_matching::model::N]),
        }
    }
}

/// The stored form of an encoding.
fn encoding_row(s: &RegionalSubject, e: &Encoded, secret: &Secret) -> EncodingRow {
    EncodingRow {
        subject_id: s.subject.id,
        region_id: s.region_id,
        case_id: s.subject.case_id,
        kind: crate::linkage::kind_code(e.kind).to_string(),
        clk: e.clk.to_base64(),
        fields: e.fields_to_base64(),
        identifiers: e.identifiers.join(";"),
        secret_check: secret.check(),
    }
}

/// A stored encoding read back; `None` when made with another secret or unreadable.
fn encoded_of(row: &EncodingRow, check: &str) -> Option<Encoded> {
    (row.secret_check == check).then(|| crate::linkage::parse_encoded(&row.kind, &row.clk, &row.fields, "", &row.identifiers).ok()).flatten()
}

/// One end of a hit: the subject, its case and region (ids only).
struct End {
    subject: i64,
    case: i64,
    region: i64,
}

impl From<&RegionalSubject> for End {
    fn from(s: &RegionalSubject) -> End {
        End { subject: s.subject.id, case: s.subject.case_id, region: s.region_id }
    }
}

fn level_code(a: Agreement) -> &'static str {
    match a {
        Agreement::Exact => "exact",
        Agreement::Similar => "vergelijkbaar",
        Agreement::Disagree => "anders",
        Agreement::Missing => "onbekend",
    }
}

/// Evidence as stored: which fields, how strongly, with their weights — never values.
fn evidence_text(e: &Explanation) -> String {
    e.fields.iter().map(|f| format!("{}:{}:{}", f.field.code(), level_code(f.level), (f.weight * 100.0).round() as i64)).collect::<Vec<_>>().join(";")
}

/// One field's part in a hit, for people.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldAgreement {
    pub field: String,
    /// `exact`, `vergelijkbaar` or `anders`.
    pub level: String,
    /// Match weight in bits.
    pub weight: f64,
}

fn parse_evidence(text: &str) -> Vec<FieldAgreement> {
    text.split(';')
        .filter_map(|part| {
            let mut it = part.split(':');
            let (f, l, w) = (it.next()?, it.next()?, it.next()?);
            let field = Field::parse(f)?;
            Some(FieldAgreement { field: field.label().to_string(), level: l.to_string(), weight: w.parse::<f64>().ok()? / 100.0 })
        })
        .collect()
}

/// Dutch label of an identifier kind.
pub fn identifier_label(kind: &str) -> &'static str {
    match kind {
        "bsn" => "BSN",
        "kvk" => "KvK-nummer",
        "rsin" => "RSIN",
        "iban" => "IBAN",
        "kenteken" => "kenteken",
        "bag" => "BAG-id",
        _ => "identificatienummer",
    }
}

/// What a case team sees of a hit.
#[derive(Debug, Clone)]
pub struct TrefferNotice {
    pub id: i64,
    pub side: Side,
    pub own_subject: SubjectRow,
    pub own_case_id: i64,
    pub own_case_reference: String,
    pub own_case_title: String,
    pub other_region: String,
    /// Match probability in permille.
    pub strength: i64,
    /// Label of the identifier that made it a deterministic match.
    pub deterministic: Option<String>,
    /// Agreement per field (never the values).
    pub fields: Vec<FieldAgreement>,
    pub contact: String,
    pub status: String,
    pub status_by: String,
    pub status_note: String,
    /// This side's and the other side's sharing decision (`''`, `akkoord`, `geweigerd`).
    pub own_share: String,
    pub other_share: String,
    pub other_reason: String,
    pub own_reason: String,
    /// Both agreed: the other subject and case, visible to this team.
    pub shared: Option<SharedDetails>,
    pub can_review: bool,
    pub can_share: bool,
    pub created_at: i64,
    pub version: i64,
}

#[derive(Debug, Clone)]
pub struct SharedDetails {
    pub other_subject: SubjectRow,
    pub other_case_reference: String,
    pub shared_at: i64,
}

/// One row of the LIEC overview: regions and cases, no subject details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverviewRow {
    pub id: i64,
    pub region_a: String,
    pub case_a: String,
    pub region_b: String,
    pub case_b: String,
    pub strength: i64,
    pub status: String,
    pub shared: bool,
}

/// Hits per pair of regions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionPairCount {
    pub region_a: String,
    pub region_b: String,
    pub hits: i64,
    pub confirmed: i64,
    pub shared: i64,
}

#[derive(Debug, Clone, Default)]
pub struct TrefferOverview {
    pub total: i64,
    pub pairs: Vec<RegionPairCount>,
    pub rows: Vec<OverviewRow>,
}

/// What a matching run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatchReport {
    pub subjects: u64,
    pub candidate_pairs: u64,
    pub new_hits: u64,
    pub updated_hits: u64,
    /// Pairs above the threshold that were rejected before and stay rejected.
    pub kept_rejected: u64,
    /// Blocking keys skipped because too many subjects share them.
    pub oversized_keys: u64,
    /// Subjects without anything to match on (missing or unusable fields).
    pub unmatchable: u64,
    pub model_estimated: bool,
}

fn side_of(t: &TrefferRow, s: Side) -> (i64, i64, i64, &str, &str) {
    match s {
        Side::A => (t.subject_a, t.case_a, t.region_a, &t.share_a, &t.reason_a),
        Side::B => (t.subject_b, t.case_b, t.region_b, &t.share_b, &t.reason_b),
    }
}

impl App {
    async fn current_model(&self, tx: &mut Tx) -> Result<Model, AppError> {
        Ok(store::latest_model(tx).await?.and_then(|t| Model::from_text(&t)).unwrap_or_default())
    }

    /// Records `e` for the pair (`x`, `y`) of different regions; side a is the lower subject id.
    async fn record_hit(&self, tx: &mut Tx, x: End, y: End, e: &Explanation, report: &mut MatchReport) -> Result<Option<i64>, AppError> {
        let (a, b) = if x.subject < y.subject { (x, y) } else { (y, x) };
        let t = NewTreffer {
            subject_a: a.subject,
            subject_b: b.subject,
            case_a: a.case,
            case_b: b.case,
            region_a: a.region,
            region_b: b.region,
            strength: (e.probability * 1000.0).round() as i64,
            deterministic: e.deterministic.clone().unwrap_or_default(),
            evidence: evidence_text(e),
        };
        Ok(match store::record(tx, &t, self.now()).await? {
            Recorded::New(id) => {
                report.new_hits += 1;
                Some(id)
            }
            Recorded::Updated(_) => {
                report.updated_hits += 1;
                None
            }
            Recorded::Rejected(_) => {
                report.kept_rejected += 1;
                None
            }
            Recorded::Unchanged(_) => None,
        })
    }

    /// The secret of the encoded index, when the platform runs in encoded mode.
    fn encoding_secret(&self) -> Option<&Secret> {
        self.config.encoding_secret.as_ref()
    }

    /// Stores a subject's blocking keys (and, in encoded mode, its encoding) in the index.
    async fn index_subject(&self, tx: &mut Tx, s: &RegionalSubject) -> Result<Option<Matchable>, AppError> {
        let m = Matchable::of(&s.subject, self.encoding_secret());
        let keys = m.as_ref().map(Matchable::keys).unwrap_or_default();
        store::set_keys(tx, s.subject.id, s.region_id, &keys).await?;
        match (&m, self.encoding_secret()) {
            (Some(Matchable::Encoded(e)), Some(secret)) => store::set_encoding(tx, &encoding_row(s, e, secret)).await?,
            _ => store::clear_encoding(tx, s.subject.id).await?,
        }
        Ok(m)
    }

    /// Matches one subject against the other regions' subjects that share a blocking key. In
    /// encoded mode the other subjects are read from the encoded index only.
    async fn match_one(&self, tx: &mut Tx, model: &Model, subject: &RegionalSubject, report: &mut MatchReport) -> Result<Vec<i64>, AppError> {
        report.subjects += 1;
        let Some(own) = self.index_subject(tx, subject).await? else {
            report.unmatchable += 1;
            return Ok(Vec::new());
        };
        let mut ids = Vec::new();
        for k in &own.keys() {
            let under = store::subjects_under_key(tx, &background_matcher(), k, subject.region_id, MAX_BLOCK as i64 + 1).await?;
            if under.len() > MAX_BLOCK {
                report.oversized_keys += 1;
                continue;
            }
            ids.extend(under);
        }
        ids.sort_unstable();
        ids.dedup();
        report.candidate_pairs += ids.len() as u64;
        let mut others: Vec<(End, Matchable)> = Vec::new();
        match self.encoding_secret() {
            Some(secret) => {
                let check = secret.check();
                for row in store::encodings_by_id(tx, &background_matcher(), &ids).await? {
                    if let Some(e) = encoded_of(&row, &check) {
                        others.push((End { subject: row.subject_id, case: row.case_id, region: row.region_id }, Matchable::Encoded(e)));
                    }
                }
            }
            None => {
                for other in store::subjects_for_matching(tx, &background_matcher(), &ids).await? {
                    others.push((End::from(&other), Matchable::Clear(record_of(&other.subject))));
                }
            }
        }
        let mut new = Vec::new();
        for (end, other) in others {
            if !own.comparable(&other) {
                continue;
            }
            let e = own.score(model, &other);
            if e.probability >= TREFFER_THRESHOLD {
                new.extend(self.record_hit(tx, End::from(subject), end, &e, report).await?);
            }
        }
        Ok(new)
    }

    /// Audits new hits and logs the processing of the subjects involved (system actor).
    async fn announce(&self, tx: &mut Tx, ctx: &Ctx, hits: &[i64]) -> Result<(), AppError> {
        for id in hits {
            if let Some(pair) = store::pair_of(tx, &background_matcher(), *id).await? {
                let subjects = [DataSubject { kind: "betrokkene", id: pair.subject_a.to_string() }, DataSubject { kind: "betrokkene", id: pair.subject_b.to_string() }];
                self.record_personal_read(tx, ctx, "kruisverband-detectie", "treffer-gevonden", &Object::new("treffer", id), &subjects).await?;
                let about = About::HitBetween { region_a: pair.region_a, region_b: pair.region_b };
                self.notify(tx, ctx, &about, NotificationKind::Hit).await?;
            }
        }
        Ok(())
    }

    /// Takes queued subjects and matches them; returns what it did. Run by the background
    /// worker every few seconds; safe to run concurrently with itself (idempotent).
    pub async fn process_match_queue(&self) -> Result<MatchReport, AppError> {
        let ctx = self.operator_ctx("systeem:matcher");
        let mut report = MatchReport::default();
        loop {
            let mut tx = self.begin().await?;
            let ids = store::queued(&mut tx, QUEUE_BATCH).await?;
            if ids.is_empty() {
                commit(tx).await?;
                return Ok(report);
            }
            let model = self.current_model(&mut tx).await?;
            let subjects = store::subjects_for_matching(&mut tx, &background_matcher(), &ids).await?;
            let mut new = Vec::new();
            for s in &subjects {
                new.extend(self.match_one(&mut tx, &model, s, &mut report).await?);
            }
            for id in &ids {
                store::dequeue(&mut tx, *id).await?;
            }
            self.announce(&mut tx, &ctx, &new).await?;
            commit(tx).await?;
        }
    }

    /// Recomputes every subject's keys, re-estimates the model on the cross-region candidate
    /// pairs (EM) and re-matches everything. `progress(done, total)` is called as it goes.
    pub async fn match_all(&self, ctx: &Ctx, mut progress: impl FnMut(u64, u64)) -> Result<MatchReport, AppError> {
        self.authorize(ctx, knooppunt_policy::Action::RecomputeMatches, &Object::new("treffer", "*")).await?;
        let mut report = MatchReport::default();
        // Pass 1: keys for every subject, in batches, and the estimation sample.
        let mut tx = self.begin().await?;
        let total = store::count_subjects(&mut tx).await?.max(0) as u64;
        let start = self.current_model(&mut tx).await?;
        commit(tx).await?;
        let mut all: Vec<(RegionalSubject, Option<Matchable>)> = Vec::new();
        let mut after = 0;
        loop {
            let mut tx = self.begin().await?;
            let ids = store::subject_ids(&mut tx, after, 500).await?;
            let Some(last) = ids.last().copied() else {
                commit(tx).await?;
                break;
            };
            for s in store::subjects_for_matching(&mut tx, &background_matcher(), &ids).await? {
                let m = self.index_subject(&mut tx, &s).await?;
                all.push((s, m));
            }
            commit(tx).await?;
            after = last;
            progress(all.len() as u64 / 2, total);
        }
        // Candidates: pairs of different regions that share a key (oversized blocks skipped).
        let mut blocks: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, (_, m)) in all.iter().enumerate() {
            for k in m.as_ref().map(Matchable::keys).unwrap_or_default() {
                blocks.entry(k).or_default().push(i);
            }
        }
        let mut candidates: Vec<(usize, usize)> = Vec::new();
        for block in blocks.values() {
            if block.len() > MAX_BLOCK {
                report.oversized_keys += 1;
                continue;
            }
            for (x, &i) in block.iter().enumerate() {
                for &j in &block[x + 1..] {
                    if all[i].0.region_id != all[j].0.region_id {
                        candidates.push((i.min(j), i.max(j)));
                    }
                }
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let matchable = |i: usize| all[i].1.as_ref();
        candidates.retain(|(i, j)| matches!((matchable(*i), matchable(*j)), (Some(a), Some(b)) if a.comparable(b)));
        report.unmatchable = all.iter().filter(|(_, m)| m.is_none()).count() as u64;
        report.subjects = all.len() as u64;
        report.candidate_pairs = candidates.len() as u64;
        let pattern = |i: usize, j: usize| match (matchable(i), matchable(j)) {
            (Some(a), Some(b)) => a.pattern(b),
            _ => [Agreement::Missing; knooppunt_matching::model::N],
        };
        let model = if candidates.len() >= MIN_PAIRS_FOR_EM {
            report.model_estimated = true;
            // u from random pairs of different regions (seeded: reproducible), then m per round.
            let random = knooppunt_matching::link::random_pairs(all.len(), all.len(), 200_000, 0x6b6e_6f6f_7070_756e)
                .map(|(i, j)| (all[i].0.region_id != all[j].0.region_id && matches!((matchable(i), matchable(j)), (Some(a), Some(b)) if a.comparable(b))).then(|| pattern(i, j)));
            // Candidates are unordered pairs; the sample draws ordered ones.
            let tally: Tally = candidates.iter().map(|(i, j)| pattern(*i, *j)).collect();
            let anchors: Tally =
                candidates.iter().filter(|(i, j)| matches!((matchable(*i), matchable(*j)), (Some(a), Some(b)) if a.is_anchor(b))).map(|(i, j)| pattern(*i, *j)).collect();
            knooppunt_matching::link::estimate(&start, all.len() as f64 * all.len() as f64 / 2.0, random, &tally, &anchors, 30)
        } else {
            start
        };
        // Pass 2: record the hits, in batches.
        let mut done = 0u64;
        for chunk in candidates.chunks(500) {
            let mut tx = self.begin().await?;
            let mut new = Vec::new();
            for (i, j) in chunk {
                let (Some(a), Some(b)) = (matchable(*i), matchable(*j)) else {
                    continue;
                };
                let e = a.score(&model, b);
                if e.probability >= TREFFER_THRESHOLD {
                    new.extend(self.record_hit(&mut tx, End::from(&all[*i].0), End::from(&all[*j].0), &e, &mut report).await?);
                }
            }
            self.announce(&mut tx, ctx, &new).await?;
            commit(tx).await?;
            done += chunk.len() as u64;
            progress(total / 2 + done * total / 2 / (candidates.len() as u64).max(1), total);
        }
        let mut tx = self.begin().await?;
        if report.model_estimated {
            store::save_model(&mut tx, &model.to_text(), candidates.len() as i64, self.now()).await?;
        }
        store::clear_queue(&mut tx).await?;
        let detail = format!(
            "{} betrokkenen, {} kandidaatparen, {} nieuwe treffers, {} bijgewerkt, {} afgewezen gebleven",
            report.subjects, report.candidate_pairs, report.new_hits, report.updated_hits, report.kept_rejected
        );
        self.audit(&mut tx, ctx, "treffers-herberekend", &Object::new("treffer", "*"), Outcome::Ok, &detail).await?;
        commit(tx).await?;
        progress(total, total);
        Ok(report)
    }

    /// Opens a hit for `p`: `NotFound` (audited) unless `p` is case team on one of its sides.
    async fn open_treffer(&self, ctx: &Ctx, p: &Principal, id: i64) -> Result<(Tx, TrefferRow, TrefferGrant), AppError> {
        let mut tx = self.begin().await?;
        if let Some(t) = store::find(&mut tx, &treffer_scope(p), id).await? {
            if let Some(g) = treffer_grant(p, t.id, t.region_a, t.region_b, t.shared_at.is_some()) {
                return Ok((tx, t, g));
            }
        }
        Err(self.refuse(Some(tx), ctx, &Object::new("treffer", id), "treffer niet zichtbaar", AppError::NotFound("treffer")).await)
    }

    async fn notice(&self, tx: &mut Tx, p: &Principal, t: &TrefferRow, g: &TrefferGrant) -> Result<TrefferNotice, AppError> {
        let s = g.side();
        let (_, own_case, own_region, own_share, own_reason) = side_of(t, s);
        let (_, _, other_region, other_share, other_reason) = side_of(t, s.other());
        let v = store::side_view(tx, g).await?.ok_or(AppError::NotFound("treffer"))?;
        let other_region_name = network::find_region(tx, other_region).await?.map(|r| r.name).unwrap_or_default();
        let contact = match v.other_contact {
            Some(name) => format!("{name} (casusteam, {other_region_name})"),
            None => format!("RIEC-bureau {other_region_name}"),
        };
        let shared = match (t.shared_at, v.other_subject, v.other_case_reference) {
            (Some(at), Some(o), Some(reference)) => Some(SharedDetails { other_subject: o, other_case_reference: reference, shared_at: at }),
            _ => None,
        };
        // Free text between the teams (review notes, refusal reasons) crosses over only after both
        // consented; the verdict itself is shared state.
        let note_visible = may_read_note(g, Side::parse(&t.status_side));
        let other_reason = if may_read_note(g, Some(s.other())) { other_reason.to_string() } else { String::new() };
        Ok(TrefferNotice {
            id: t.id,
            side: s,
            own_subject: v.own_subject,
            own_case_id: own_case,
            own_case_reference: v.own_case_reference,
            own_case_title: v.own_case_title,
            other_region: other_region_name,
            strength: t.strength,
            deterministic: (!t.deterministic.is_empty()).then(|| identifier_label(&t.deterministic).to_string()),
            fields: parse_evidence(&t.evidence),
            contact,
            status: t.status.clone(),
            status_by: if note_visible { t.status_by.clone() } else { String::new() },
            status_note: if note_visible { t.status_note.clone() } else { String::new() },
            own_share: own_share.to_string(),
            other_share: other_share.to_string(),
            other_reason,
            own_reason: own_reason.to_string(),
            shared,
            can_review: decide_treffer(p, Some(s), own_region, TrefferAction::Review).allowed,
            can_share: decide_treffer(p, Some(s), own_region, TrefferAction::Share).allowed,
            created_at: t.created_at,
            version: t.version,
        })
    }

    fn notice_subjects(n: &TrefferNotice) -> Vec<DataSubject> {
        let mut v = vec![DataSubject { kind: "betrokkene", id: n.own_subject.id.to_string() }];
        if let Some(s) = &n.shared {
            v.push(DataSubject { kind: "betrokkene", id: s.other_subject.id.to_string() });
        }
        v
    }

    /// The hits of the principal's case teams, newest first; audited with every subject shown.
    pub async fn list_treffers(&self, ctx: &Ctx) -> Result<Vec<TrefferNotice>, AppError> {
        let p = ctx.principal()?.clone();
        let mut tx = self.begin_read().await?;
        let rows = store::for_regions(&mut tx, &treffer_scope(&p), LIST_LIMIT).await?;
        let mut out = Vec::with_capacity(rows.len());
        for t in &rows {
            if let Some(g) = treffer_grant(&p, t.id, t.region_a, t.region_b, t.shared_at.is_some()) {
                out.push(self.notice(&mut tx, &p, t, &g).await?);
            }
        }
        let subjects: Vec<DataSubject> = out.iter().flat_map(Self::notice_subjects).collect();
        commit(tx).await?;
        self.log_personal_read(ctx, "treffer-inzien", "treffers-bekeken", &Object::new("treffer", "*"), &subjects).await?;
        Ok(out)
    }

    /// One hit as the principal's team sees it; 404 for everyone else.
    pub async fn treffer(&self, ctx: &Ctx, id: i64) -> Result<TrefferNotice, AppError> {
        let p = ctx.principal()?.clone();
        let (mut tx, t, g) = self.open_treffer(ctx, &p, id).await?;
        let n = self.notice(&mut tx, &p, &t, &g).await?;
        self.record_personal_read(&mut tx, ctx, "treffer-inzien", "treffer-bekeken", &Object::new("treffer", id), &Self::notice_subjects(&n)).await?;
        commit(tx).await?;
        Ok(n)
    }

    /// Confirms a hit (`bevestigd`) or marks it a false match (`onjuist`, stays rejected).
    pub async fn review_treffer(&self, ctx: &Ctx, id: i64, verdict: &str, note: &str, version: i64) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let (tx, t, g) = self.open_treffer(ctx, &p, id).await?;
        let s = g.side();
        let d = decide_treffer(&p, Some(s), side_of(&t, s).2, TrefferAction::Review);
        if !d.allowed {
            return Err(self.refuse(Some(tx), ctx, &Object::new("treffer", id), d.reason, AppError::Forbidden(d.reason)).await);
        }
        let mut tx = tx;
        let mut invalid = Invalid::default();
        if !["bevestigd", "onjuist"].contains(&verdict) {
            invalid.push("oordeel", "Kies 'bevestigd' of 'onjuist'.");
        }
        let note = note.trim();
        if verdict == "onjuist" && note.is_empty() {
            invalid.push("toelichting", "Licht toe waarom dit geen treffer is.");
        }
        if note.chars().count() > 2000 {
            invalid.push("toelichting", "Houd de toelichting onder 2000 tekens.");
        }
        invalid.into_result()?;
        if t.status == "onjuist" {
            return Err(AppError::Conflict("Deze treffer is al als onjuist beoordeeld en blijft afgewezen.".into()));
        }
        if !store::set_status(&mut tx, id, store::Review { status: verdict, by: &p.label, side: s, note }, version, self.now()).await? {
            return Err(AppError::Conflict(crate::cases::STALE.into()));
        }
        self.audit(&mut tx, ctx, "treffer-beoordeeld", &Object::new("treffer", id), Outcome::Ok, verdict).await?;
        commit(tx).await
    }

    /// This side agrees to share (which asks the other side) or refuses with a reason. When
    /// both agreed, the cases are linked and each team sees the other subject.
    pub async fn decide_sharing(&self, ctx: &Ctx, id: i64, agree: bool, reason: &str, version: i64) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let (tx, t, g) = self.open_treffer(ctx, &p, id).await?;
        let s = g.side();
        let (_, own_case, own_region, own_share, _) = side_of(&t, s);
        let d = decide_treffer(&p, Some(s), own_region, TrefferAction::Share);
        if !d.allowed {
            return Err(self.refuse(Some(tx), ctx, &Object::new("treffer", id), d.reason, AppError::Forbidden(d.reason)).await);
        }
        let mut tx = tx;
        let mut invalid = Invalid::default();
        let reason = reason.trim();
        if !agree && reason.is_empty() {
            invalid.push("reden", "Geef de reden waarom u niet deelt.");
        }
        if reason.chars().count() > 2000 {
            invalid.push("reden", "Houd de reden onder 2000 tekens.");
        }
        invalid.into_result()?;
        if t.status == "onjuist" {
            return Err(AppError::Conflict("Een treffer die als onjuist is beoordeeld, wordt niet gedeeld.".into()));
        }
        if t.shared_at.is_some() {
            return Err(AppError::Conflict("De gegevens zijn al gedeeld; de casussen zijn gekoppeld.".into()));
        }
        let decision = if agree { "akkoord" } else { "geweigerd" };
        if own_share == decision {
            return Err(AppError::Conflict("Dit besluit is al vastgelegd.".into()));
        }
        let now = self.now();
        if !store::set_share(&mut tx, id, s == Side::A, decision, reason, version, now).await? {
            return Err(AppError::Conflict(crate::cases::STALE.into()));
        }
        self.audit(&mut tx, ctx, if agree { "treffer-delen-akkoord" } else { "treffer-delen-geweigerd" }, &Object::new("treffer", id), Outcome::Ok, reason).await?;
        let other_share = side_of(&t, s.other()).3;
        if agree && other_share == "akkoord" {
            store::link_cases(&mut tx, &t, now).await?;
            let other_case = side_of(&t, s.other()).1;
            // Both consented: each side's grant now shows the other case's reference.
            let (share_a, share_b) = if s == Side::A { (decision, other_share) } else { (other_share, decision) };
            let mut references = Vec::new();
            for g in knooppunt_policy::treffers::both_consented(&g, share_a, share_b).into_iter().flatten() {
                references.push(store::side_view(&mut tx, &g).await?.and_then(|v| v.other_case_reference).unwrap_or_default());
            }
            for ((case, _), reference) in [(own_case, other_case), (other_case, own_case)].into_iter().zip(references) {
                // Team-only: a partner of either case learns nothing of the hit or the link.
                let e = CaseEvent::new(now, &p.label, "gekoppeld", EventAbout::Team, format!("gekoppeld aan casus {reference} na een gedeelde treffer"));
                case_store::add_event(&mut tx, case, &e).await?;
            }
            self.audit(&mut tx, ctx, "casussen-gekoppeld", &Object::new("treffer", id), Outcome::Ok, &format!("casus {} en {}", t.case_a, t.case_b)).await?;
        }
        commit(tx).await
    }

    /// The national overview for the LIEC coordinator: counts per pair of regions and the pairs
    /// of cases, without subject details.
    pub async fn treffer_overview(&self, ctx: &Ctx) -> Result<TrefferOverview, AppError> {
        let p = ctx.principal()?.clone();
        let Some(og) = overview_grant(&p) else {
            let reason = "alleen de LIEC-coördinator ziet het landelijke overzicht van treffers";
            return Err(self.refuse(None, ctx, &Object::new("treffer", "overzicht"), reason, AppError::Forbidden(reason)).await);
        };
        let mut tx = self.begin().await?;
        let rows = store::all(&mut tx, &og, 100_000).await?;
        let regions: HashMap<i64, String> = network::list_regions(&mut tx).await?.into_iter().map(|r| (r.id, r.name)).collect();
        let mut case_ids: Vec<i64> = rows.iter().flat_map(|t| [t.case_a, t.case_b]).collect();
        case_ids.sort_unstable();
        case_ids.dedup();
        let mut labels = HashMap::new();
        for chunk in case_ids.chunks(500) {
            for (id, reference) in store::overview_labels(&mut tx, &og, chunk).await? {
                labels.insert(id, reference);
            }
        }
        let name = |id: i64| regions.get(&id).cloned().unwrap_or_default();
        let mut pairs: HashMap<(String, String), RegionPairCount> = HashMap::new();
        for t in &rows {
            let (a, b) = if name(t.region_a) <= name(t.region_b) { (name(t.region_a), name(t.region_b)) } else { (name(t.region_b), name(t.region_a)) };
            let e = pairs.entry((a.clone(), b.clone())).or_insert(RegionPairCount { region_a: a, region_b: b, hits: 0, confirmed: 0, shared: 0 });
            e.hits += 1;
            e.confirmed += i64::from(t.status == "bevestigd");
            e.shared += i64::from(t.shared_at.is_some());
        }
        let mut pairs: Vec<RegionPairCount> = pairs.into_values().collect();
        pairs.sort_by(|x, y| y.hits.cmp(&x.hits).then(x.region_a.cmp(&y.region_a)).then(x.region_b.cmp(&y.region_b)));
        let overview = TrefferOverview {
            total: rows.len() as i64,
            pairs,
            rows: rows
                .iter()
                .take(LIST_LIMIT as usize)
                .map(|t| OverviewRow {
                    id: t.id,
                    region_a: name(t.region_a),
                    case_a: labels.get(&t.case_a).cloned().unwrap_or_default(),
                    region_b: name(t.region_b),
                    case_b: labels.get(&t.case_b).cloned().unwrap_or_default(),
                    strength: t.strength,
                    status: t.status.clone(),
                    shared: t.shared_at.is_some(),
                })
                .collect(),
        };
        self.audit(
            &mut tx,
            ctx,
            "treffers-overzicht-bekeken",
            &Object::new("treffer", "overzicht"),
            Outcome::Ok,
            &if overview.total == 1 { "1 treffer".to_string() } else { format!("{} treffers", overview.total) },
        )
        .await?;
        commit(tx).await?;
        Ok(overview)
    }
}
