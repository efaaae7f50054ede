//! Screening a list (for example permit applicants) against the subjects the user may see: the
//! list is read with a column mapping, linked with the Fellegi-Sunter model, and the hits are
//! returned with their case. Only subjects in cases the user may see are compared (the same
//! scope as the case list), and the read of every hit is audited and logged.

use crate::linkage::{read_encoded, read_records, Mapping};
use crate::{commit, App, AppError, Ctx, DataSubject, Object};
use knooppunt_domain::Invalid;
use knooppunt_matching::clk::{self, Encoded};
use knooppunt_matching::{link, LinkOptions, Model, Record};
use knooppunt_policy::cases::case_scope;
use knooppunt_store::cases::{self as store, SubjectRow};

/// The longest list one screening takes (rows), and the most subjects it compares with.
pub const MAX_ROWS: usize = 10_000;
const MAX_SUBJECTS: i64 = 500_000;

/// A list row that matched a visible subject.
#[derive(Debug, Clone)]
pub struct ScreeningHit {
    /// The list row's key (its `id` column).
    pub row: String,
    pub subject: SubjectRow,
    pub case_reference: String,
    /// Match probability in permille.
    pub strength: i64,
    /// Agreeing fields (labels).
    pub fields: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ScreeningResult {
    pub rows: usize,
    /// (line, reason) of rows that could not be read.
    pub skipped: Vec<(u64, String)>,
    /// Rows without anything to compare.
    pub unmatchable: u64,
    pub compared_with: usize,
    pub hits: Vec<ScreeningHit>,
}

impl App {
    /// Screens `csv` (header row required) mapped by `mapping` (`id=kolom,surname=…`) against
    /// the subjects of the cases the principal may see.
    pub async fn screen_list(&self, ctx: &Ctx, csv: &str, mapping: &str) -> Result<ScreeningResult, AppError> {
        let p = ctx.principal()?.clone();
        let mut invalid = Invalid::default();
        let map = match Mapping::parse(mapping) {
            Ok(m) => Some(m),
            Err(problems) => {
                invalid.push("mapping", problems.join("; "));
                None
            }
        };
        if csv.trim().is_empty() {
            invalid.push("lijst", "Plak of kies een lijst met een kopregel.");
        }
        invalid.into_result()?;
        let Some(map) = map else { return Err(AppError::Internal("checked above".into())) };
        let list = read_records(csv.as_bytes(), &map).map_err(|problems| Invalid::one("lijst", problems.join("; ")))?;
        if list.records.len() > MAX_ROWS {
            return Err(Invalid::one("lijst", format!("De lijst heeft {} rijen; screen hoogstens {MAX_ROWS} rijen per keer.", list.records.len())).into());
        }
        let scope = case_scope(&p);
        let mut tx = self.begin_read().await?;
        let visible = store::visible_subjects(&mut tx, &scope, MAX_SUBJECTS).await?;
        commit(tx).await?;
        let records: Vec<Record> = visible.iter().map(|(s, _)| Record::from_input(&crate::treffers::record_input(s)).0).collect();
        let opts = LinkOptions { threshold: crate::treffers::TREFFER_THRESHOLD, estimate: false, ..LinkOptions::default() };
        let linked = link(&list.records, &records, &Model::default(), &opts);
        let hits: Vec<ScreeningHit> = linked
            .pairs
            .iter()
            .map(|pair| {
                let (subject, reference) = &visible[pair.right];
                ScreeningHit {
                    row: list.ids[pair.left].clone(),
                    subject: subject.clone(),
                    case_reference: reference.clone(),
                    strength: (pair.explanation.probability * 1000.0).round() as i64,
                    fields: pair.explanation.agreeing().iter().map(|f| f.label().to_string()).collect(),
                }
            })
            .collect();
        let subjects: Vec<DataSubject> = hits.iter().map(|h| DataSubject { kind: "betrokkene", id: h.subject.id.to_string() }).collect();
        self.log_personal_read(ctx, "casusdossier-zoeken", "lijst-gescreend", &Object::new("betrokkene", "*"), &subjects).await?;
        Ok(ScreeningResult { rows: list.records.len(), skipped: list.skipped_rows, unmatchable: list.unmatchable, compared_with: records.len(), hits })
    }
}

/// One row of an encoded list and its answer: hit or no hit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedAnswer {
    /// The list row's key.
    pub row: String,
    /// The best visible subject it matched, with its case: `None` is "no hit".
    pub hit: Option<EncodedHit>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedHit {
    pub subject_id: i64,
    pub case_id: i64,
    pub case_reference: String,
    /// Match probability in permille.
    pub strength: i64,
    /// Labels of the agreeing fields (never values).
    pub fields: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct EncodedScreeningResult {
    pub rows: usize,
    pub skipped: Vec<(u64, String)>,
    pub compared_with: usize,
    pub answers: Vec<EncodedAnswer>,
}

impl App {
    /// Screens an encoded list (`knooppunt encode` output, made by the partner with the
    /// network's secret) against the encoded index of the subjects the principal may see, and
    /// answers hit/no-hit per row. The platform never sees the list's clear values, and the
    /// answer holds none: row keys, case references, strengths and field names only.
    pub async fn screen_encoded_list(&self, ctx: &Ctx, csv: &str) -> Result<EncodedScreeningResult, AppError> {
        let p = ctx.principal()?.clone();
        let Some(secret) = self.config.encoding_secret.as_ref() else {
            return Err(AppError::Conflict("De gecodeerde index staat op dit platform niet aan; screen de lijst zonder codering of vraag beheer de index te coderen.".into()));
        };
        if csv.trim().is_empty() {
            return Err(Invalid::one("lijst", "Plak of kies een gecodeerde lijst (de uitvoer van knooppunt encode).").into());
        }
        let list = read_encoded(csv.as_bytes()).map_err(|problems| Invalid::one("lijst", problems.join("; ")))?;
        if list.encoded.len() > MAX_ROWS {
            return Err(Invalid::one("lijst", format!("De lijst heeft {} rijen; screen hoogstens {MAX_ROWS} rijen per keer.", list.encoded.len())).into());
        }
        let check = secret.check();
        if list.check.as_deref().is_some_and(|c| c != check) {
            return Err(
                Invalid::one("lijst", "De lijst is met een andere sleutel gecodeerd dan de index van het platform; codeer hem opnieuw met de sleutel van het netwerk.").into()
            );
        }
        let scope = case_scope(&p);
        let mut tx = self.begin_read().await?;
        let visible = store::visible_encodings(&mut tx, &scope, MAX_SUBJECTS).await?;
        let ids: Vec<i64> = visible.iter().map(|(row, _)| row.subject_id).collect();
        let keys = knooppunt_store::treffers::keys_by_subject(&mut tx, &scope, &ids).await?;
        commit(tx).await?;
        let (rows, encoded): (Vec<_>, Vec<Encoded>) = visible
            .iter()
            .filter(|(row, _)| row.secret_check == check)
            .filter_map(|(row, reference)| {
                let mut e = crate::linkage::parse_encoded(&row.kind, &row.clk, &row.fields, "", &row.identifiers).ok()?;
                e.keys = keys.get(&row.subject_id).into_iter().flatten().filter_map(|k| k.strip_prefix("h:")).filter_map(|k| u64::from_str_radix(k, 16).ok()).collect();
                Some(((row, reference), e))
            })
            .unzip();
        let opts = LinkOptions { threshold: crate::treffers::TREFFER_THRESHOLD, estimate: false, ..LinkOptions::default() };
        let (pairs, _, _) = clk::link_encoded_model(&list.encoded, &encoded, &Model::default(), &opts);
        let mut best: Vec<Option<&clk::ScoredPair>> = vec![None; list.encoded.len()];
        for pair in &pairs {
            if best[pair.left].is_none_or(|b| pair.explanation.probability > b.explanation.probability) {
                best[pair.left] = Some(pair);
            }
        }
        let answers: Vec<EncodedAnswer> = list
            .ids
            .iter()
            .zip(&best)
            .map(|(id, pair)| EncodedAnswer {
                row: id.clone(),
                hit: pair.map(|pair| {
                    let (row, reference) = rows[pair.right];
                    EncodedHit {
                        subject_id: row.subject_id,
                        case_id: row.case_id,
                        case_reference: reference.clone(),
                        strength: (pair.explanation.probability * 1000.0).round() as i64,
                        fields: pair.explanation.agreeing().iter().map(|f| f.label().to_string()).collect(),
                    }
                }),
            })
            .collect();
        let subjects: Vec<DataSubject> = answers.iter().filter_map(|a| a.hit.as_ref()).map(|h| DataSubject { kind: "betrokkene", id: h.subject_id.to_string() }).collect();
        self.log_personal_read(ctx, "casusdossier-zoeken", "gecodeerde-lijst-gescreend", &Object::new("betrokkene", "*"), &subjects).await?;
        Ok(EncodedScreeningResult { rows: list.encoded.len(), skipped: list.skipped_rows, compared_with: encoded.len(), answers })
    }
}
