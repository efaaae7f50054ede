//! Screening a list (for example permit applicants) against the subjects the user may see: the
//! list is read with a column mapping, linked with the Fellegi-Sunter model, and the hits are
//! returned with their case. Only subjects in cases the user may see are compared (the same
//! scope as the case list), and the read of every hit is audited and logged.

use crate::linkage::{read_records, Mapping};
use crate::{commit, App, AppError, Ctx, DataSubject, Object};
use knooppunt_domain::Invalid;
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
        let mut tx = self.begin().await?;
        let visible = store::visible_subjects(&mut tx, &scope, MAX_SUBJECTS).await?;
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
        self.record_personal_read(&mut tx, ctx, "casusdossier-zoeken", "lijst-gescreend", &Object::new("betrokkene", "*"), &subjects).await?;
        commit(tx).await?;
        Ok(ScreeningResult { rows: list.records.len(), skipped: list.skipped_rows, unmatchable: list.unmatchable, compared_with: records.len(), hits })
    }
}
