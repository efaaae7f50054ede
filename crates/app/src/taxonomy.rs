//! The phenomenon taxonomy the LIEC maintains: clusters of phenomena, the phenomena cases and
//! desk signals refer to, and the separate axis of settings (buitengebied, havens en logistiek
//! …); each region's focus list. Every signed-in user reads it (reference data without
//! personal data); the LIEC maintains it (policy `taxonomy::may_maintain`), a region's RIEC
//! manager sets its focus list (`taxonomy::may_set_focus`). Terms are never removed: one that no
//! longer applies gets an end date and what replaces it, and new registrations are refused it
//! with a message naming the replacement.

use crate::cases::today;
use crate::{commit, App, AppError, Ctx, Object, Outcome};
use knooppunt_domain::case::parse_date;
use knooppunt_domain::text::{name_key, slug};
use knooppunt_domain::Invalid;
use knooppunt_policy::taxonomy::{may_maintain, may_set_focus};
use knooppunt_store::network;
use knooppunt_store::policy_signals::Named;
use knooppunt_store::taxonomy::{self as store, TermRow};
use knooppunt_store::Tx;

pub use knooppunt_store::taxonomy::Axis;

/// The most synonyms a term holds, and the longest one.
const MAX_SYNONYMS: usize = 40;
const MAX_SYNONYM: usize = 100;

/// The Dutch noun of an axis (for messages and audit objects).
pub fn noun(axis: Axis) -> &'static str {
    match axis {
        Axis::Cluster => "cluster",
        Axis::Phenomenon => "fenomeen",
        Axis::Setting => "omgeving",
    }
}

/// A term as users read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub synonyms: Vec<String>,
    pub source: String,
    /// `YYYY-MM-DD`.
    pub valid_from: String,
    /// `YYYY-MM-DD`, the first day it no longer applies.
    pub valid_to: Option<String>,
    /// (code, name) of the term that replaces it.
    pub replaced_by: Option<(String, String)>,
    /// A phenomenon's cluster: (code, name).
    pub cluster: Option<(String, String)>,
    /// Does it apply today?
    pub current: bool,
    pub version: i64,
    pub updated_by: String,
    pub updated_at: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct Cluster {
    pub term: Term,
    pub phenomena: Vec<Term>,
}

/// A region's focus list.
#[derive(Debug, Clone)]
pub struct RegionFocus {
    pub code: String,
    pub name: String,
    /// (code, name), by name.
    pub phenomena: Vec<(String, String)>,
    pub may_change: bool,
}

/// The whole taxonomy with the regions' focus lists.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    pub clusters: Vec<Cluster>,
    pub settings: Vec<Term>,
    pub focus: Vec<RegionFocus>,
    pub may_maintain: bool,
}

impl Taxonomy {
    pub fn phenomena(&self) -> impl Iterator<Item = &Term> {
        self.clusters.iter().flat_map(|c| c.phenomena.iter())
    }
    /// The phenomena in use today as (code, name), for a select.
    pub fn current_phenomena(&self) -> Vec<(String, String)> {
        self.phenomena().filter(|p| p.current).map(|p| (p.code.clone(), p.name.clone())).collect()
    }
}

/// What the LIEC fills in for a term. Dates are `dd-mm-jjjj` or `jjjj-mm-dd`; synonyms are
/// separated by `;` or new lines; codes name the replacement and (for a phenomenon) the cluster.
#[derive(Debug, Clone, Default)]
pub struct TermInput {
    pub name: String,
    pub name_en: String,
    pub synonyms: String,
    pub source: String,
    pub valid_from: String,
    pub valid_to: String,
    pub replaced_by: String,
    pub cluster: String,
    /// The version the change is based on (changes only).
    pub version: i64,
}

fn applies(t: &TermRow, today: &str) -> bool {
    t.valid_from.as_str() <= today && t.valid_to.as_deref().is_none_or(|to| today < to)
}

fn synonyms(raw: &str) -> Vec<String> {
    raw.split([';', '\n']).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

fn view(t: &TermRow, all: &[TermRow], clusters: &[TermRow], today: &str) -> Term {
    let named = |rows: &[TermRow], id: Option<i64>| id.and_then(|id| rows.iter().find(|r| r.id == id)).map(|r| (r.code.clone(), r.name.clone()));
    Term {
        code: t.code.clone(),
        name: t.name.clone(),
        name_en: t.name_en.clone(),
        synonyms: synonyms(&t.synonyms),
        source: t.source.clone(),
        valid_from: t.valid_from.clone(),
        valid_to: t.valid_to.clone(),
        replaced_by: named(all, t.replaced_by),
        cluster: named(clusters, t.cluster_id),
        current: applies(t, today),
        version: t.version,
        updated_by: t.updated_by.clone(),
        updated_at: t.updated_at,
    }
}

/// The terms of `axis` that apply today, for the forms of new registrations.
pub(crate) async fn current(tx: &mut Tx, axis: Axis, today: &str) -> Result<Vec<Named>, AppError> {
    Ok(store::terms(tx, axis).await?.into_iter().filter(|t| applies(t, today)).map(|t| Named { id: t.id, code: t.code, name: t.name }).collect())
}

/// The ids of `codes` of `axis` for a new registration; an unknown code or one that no longer
/// applies is an error on `field` (naming what replaces it).
pub(crate) async fn resolve(tx: &mut Tx, axis: Axis, today: &str, codes: &[String], field: &str, invalid: &mut Invalid) -> Result<Vec<i64>, AppError> {
    Ok(resolve_codes(tx, axis, today, codes, field, invalid).await?.into_iter().map(|(id, _)| id).collect())
}

/// As [`resolve`], with each term's code beside its id.
pub(crate) async fn resolve_codes(tx: &mut Tx, axis: Axis, today: &str, codes: &[String], field: &str, invalid: &mut Invalid) -> Result<Vec<(i64, String)>, AppError> {
    let all = store::terms(tx, axis).await?;
    let mut ids: Vec<(i64, String)> = Vec::new();
    for code in codes.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        match all.iter().find(|t| t.code == code) {
            Some(t) if applies(t, today) => {
                if !ids.iter().any(|(id, _)| *id == t.id) {
                    ids.push((t.id, t.code.clone()));
                }
            }
            Some(t) => {
                let instead = t.replaced_by.and_then(|id| all.iter().find(|r| r.id == id)).map(|r| format!("; kies '{}'", r.name)).unwrap_or_default();
                invalid.push(field, format!("'{}' geldt niet meer als {}{instead}.", t.name, noun(axis)));
            }
            None => invalid.push(field, format!("Onbekend {} '{code}'.", noun(axis))),
        }
    }
    Ok(ids)
}

impl App {
    /// The taxonomy and every region's focus list, for every signed-in user.
    pub async fn taxonomy(&self, ctx: &Ctx) -> Result<Taxonomy, AppError> {
        let p = ctx.principal()?.clone();
        let today = today(self.now());
        let mut tx = self.begin_read().await?;
        let clusters = store::terms(&mut tx, Axis::Cluster).await?;
        let phenomena = store::terms(&mut tx, Axis::Phenomenon).await?;
        let settings = store::terms(&mut tx, Axis::Setting).await?;
        let focus = store::region_focus(&mut tx).await?;
        let regions = network::list_regions(&mut tx).await?;
        commit(tx).await?;
        let clusters = clusters
            .iter()
            .map(|c| Cluster {
                term: view(c, &clusters, &clusters, &today),
                phenomena: phenomena.iter().filter(|x| x.cluster_id == Some(c.id)).map(|x| view(x, &phenomena, &clusters, &today)).collect(),
            })
            .collect();
        let focus = regions
            .iter()
            .filter(|r| r.kind == "riec" && r.merged_into_id.is_none())
            .map(|r| RegionFocus {
                code: r.code.clone(),
                name: r.name.clone(),
                phenomena: phenomena.iter().filter(|x| focus.contains(&(r.id, x.id))).map(|x| (x.code.clone(), x.name.clone())).collect(),
                may_change: may_set_focus(&p, r.id).allowed,
            })
            .collect();
        Ok(Taxonomy { clusters, settings: settings.iter().map(|s| view(s, &settings, &[], &today)).collect(), focus, may_maintain: may_maintain(&p).allowed })
    }

    /// One term by its code; `NotFound` for an unknown one.
    pub async fn taxonomy_term(&self, ctx: &Ctx, axis: Axis, code: &str) -> Result<Term, AppError> {
        let t = self.taxonomy(ctx).await?;
        let found = match axis {
            Axis::Cluster => t.clusters.into_iter().map(|c| c.term).find(|x| x.code == code),
            Axis::Phenomenon => t.clusters.into_iter().flat_map(|c| c.phenomena).find(|x| x.code == code),
            Axis::Setting => t.settings.into_iter().find(|x| x.code == code),
        };
        found.ok_or(AppError::NotFound(noun(axis)))
    }

    /// Refuses (audited) whoever may not maintain the taxonomy.
    async fn maintainer(&self, ctx: &Ctx, axis: Axis, code: &str) -> Result<String, AppError> {
        let p = ctx.principal()?;
        let d = may_maintain(p);
        if d.allowed {
            Ok(p.label.clone())
        } else {
            Err(self.refuse(None, ctx, &Object::new(noun(axis), code), d.reason, AppError::Forbidden(d.reason)).await)
        }
    }

    /// Checks `input` against the terms already there (`current`: the term being changed) and
    /// makes the row to store.
    async fn term_row(&self, tx: &mut Tx, axis: Axis, input: &TermInput, current: Option<&TermRow>) -> Result<TermRow, AppError> {
        let mut invalid = Invalid::default();
        let name = crate::cases::text(&mut invalid, "naam", &input.name, Some("Geef de Nederlandse naam."), 200);
        let name_en = crate::cases::text(&mut invalid, "naamEngels", &input.name_en, None, 200);
        let source = crate::cases::text(&mut invalid, "bron", &input.source, None, 300);
        let words = synonyms(&crate::cases::text(&mut invalid, "synoniemen", &input.synonyms, None, MAX_SYNONYMS * (MAX_SYNONYM + 2)));
        let mut kept: Vec<String> = Vec::new();
        for w in words {
            if w.chars().count() > MAX_SYNONYM {
                invalid.push("synoniemen", format!("Een synoniem is hoogstens {MAX_SYNONYM} tekens: '{}…'.", w.chars().take(20).collect::<String>()));
            } else if !kept.iter().any(|k| name_key(k) == name_key(&w)) {
                kept.push(w);
            }
        }
        if kept.len() > MAX_SYNONYMS {
            invalid.push("synoniemen", format!("Geef hoogstens {MAX_SYNONYMS} synoniemen."));
        }
        let valid_from = match (input.valid_from.trim(), current) {
            ("", Some(c)) => Some(c.valid_from.clone()),
            ("", None) => Some(today(self.now())),
            (raw, _) => invalid.check("geldigVanaf", parse_date(raw)),
        };
        let valid_to = match input.valid_to.trim() {
            "" => None,
            raw => invalid.check("geldigTot", parse_date(raw)),
        };
        if let (Some(from), Some(to)) = (&valid_from, &valid_to) {
            if to <= from {
                invalid.push("geldigTot", "De einddatum ligt na de begindatum.");
            }
        }
        let all = store::terms(tx, axis).await?;
        let this_id = current.map(|c| c.id);
        if !name.is_empty() {
            if let Some(same) = all.iter().find(|t| Some(t.id) != this_id && name_key(&t.name) == name_key(&name)) {
                invalid.push("naam", format!("Er is al een {} met deze naam: '{}'.", noun(axis), same.name));
            }
        }
        let replaced_by = match input.replaced_by.trim() {
            "" => None,
            code => match all.iter().find(|t| t.code == code) {
                Some(t) if Some(t.id) == this_id => {
                    invalid.push("vervangenDoor", "Een term kan zichzelf niet vervangen.");
                    None
                }
                Some(t) if t.valid_to.is_some() => {
                    invalid.push("vervangenDoor", format!("'{}' geldt zelf niet onbeperkt; kies een term die blijft gelden.", t.name));
                    None
                }
                Some(t) => Some(t.id),
                None => {
                    invalid.push("vervangenDoor", format!("Onbekend {} '{code}'.", noun(axis)));
                    None
                }
            },
        };
        if replaced_by.is_some() && input.valid_to.trim().is_empty() {
            invalid.push("geldigTot", "Geef ook de datum vanaf wanneer de vervanger geldt.");
        }
        let cluster_id = if axis == Axis::Phenomenon {
            let clusters = store::terms(tx, Axis::Cluster).await?;
            match clusters.iter().find(|c| c.code == input.cluster.trim()) {
                Some(c) => Some(c.id),
                None if input.cluster.trim().is_empty() => {
                    invalid.push("cluster", "Kies het cluster waar het fenomeen onder valt.");
                    None
                }
                None => {
                    invalid.push("cluster", format!("Onbekend cluster '{}'.", input.cluster.trim()));
                    None
                }
            }
        } else {
            None
        };
        let code = match current {
            Some(c) => c.code.clone(),
            None => {
                let base = slug(&name);
                if base.is_empty() && !name.is_empty() {
                    invalid.push("naam", "Gebruik in de naam ten minste één letter of cijfer.");
                }
                let mut code = base.clone();
                let mut n = 2;
                while all.iter().any(|t| t.code == code) {
                    code = format!("{base}-{n}");
                    n += 1;
                }
                code
            }
        };
        invalid.into_result()?;
        Ok(TermRow {
            id: this_id.unwrap_or(0),
            code,
            name,
            name_en,
            synonyms: kept.join("; "),
            source,
            valid_from: valid_from.unwrap_or_default(),
            valid_to,
            replaced_by,
            cluster_id,
            ordinal: 0,
            version: input.version,
            updated_by: String::new(),
            updated_at: None,
        })
    }

    /// Adds a cluster, phenomenon or setting (the LIEC); its code, made of its name.
    pub async fn add_term(&self, ctx: &Ctx, axis: Axis, input: &TermInput) -> Result<String, AppError> {
        let by = self.maintainer(ctx, axis, "nieuw").await?;
        let mut tx = self.begin().await?;
        let row = self.term_row(&mut tx, axis, input, None).await?;
        let id = store::insert_term(&mut tx, axis, &row, &by, self.now()).await?;
        self.audit(&mut tx, ctx, "taxonomie-gewijzigd", &Object::new(noun(axis), id), Outcome::Ok, &format!("toegevoegd: {}", row.name)).await?;
        commit(tx).await?;
        Ok(row.code)
    }

    /// Changes what a term says (its code stays), if nobody changed it since `input.version`.
    pub async fn change_term(&self, ctx: &Ctx, axis: Axis, code: &str, input: &TermInput) -> Result<(), AppError> {
        let by = self.maintainer(ctx, axis, code).await?;
        let mut tx = self.begin().await?;
        let current = store::term(&mut tx, axis, code).await?.ok_or(AppError::NotFound(noun(axis)))?;
        let row = self.term_row(&mut tx, axis, input, Some(&current)).await?;
        if !store::update_term(&mut tx, axis, &row, &by, self.now()).await? {
            return Err(AppError::Conflict(format!("Iemand anders heeft dit {} intussen gewijzigd. Laad de pagina opnieuw en breng uw wijziging opnieuw aan.", noun(axis))));
        }
        let what = match (&current.valid_to, &row.valid_to) {
            (None, Some(to)) => format!("gewijzigd: {}, geldt tot {to}", row.name),
            _ => format!("gewijzigd: {}", row.name),
        };
        self.audit(&mut tx, ctx, "taxonomie-gewijzigd", &Object::new(noun(axis), current.id), Outcome::Ok, &what).await?;
        if row.name != current.name {
            // The items' index text holds the name: they are found by the new one at once.
            let ids = knooppunt_store::search::items_naming(&mut tx, &knooppunt_policy::knowledge::indexer_scope(), axis, current.id).await?;
            for chunk in ids.chunks(500) {
                self.index_items(&mut tx, chunk).await?;
            }
        }
        commit(tx).await
    }

    /// Sets the focus list of region `region` (its RIEC manager or the LIEC): phenomena that
    /// apply today.
    pub async fn set_region_focus(&self, ctx: &Ctx, region: &str, codes: &[String]) -> Result<(), AppError> {
        let p = ctx.principal()?.clone();
        let mut tx = self.begin().await?;
        let r = match network::find_region_by_code(&mut tx, region.trim()).await? {
            Some(r) if r.kind == "riec" && r.merged_into_id.is_none() => r,
            _ => {
                commit(tx).await?;
                return Err(AppError::NotFound("regio"));
            }
        };
        let d = may_set_focus(&p, r.id);
        if !d.allowed {
            return Err(self.refuse(Some(tx), ctx, &Object::new("regio", r.id), d.reason, AppError::Forbidden(d.reason)).await);
        }
        let mut invalid = Invalid::default();
        let ids = resolve(&mut tx, Axis::Phenomenon, &today(self.now()), codes, "fenomenen", &mut invalid).await?;
        invalid.into_result()?;
        store::set_region_focus(&mut tx, r.id, &ids).await?;
        self.audit(&mut tx, ctx, "speerpunten-vastgesteld", &Object::new("regio", r.id), Outcome::Ok, &format!("{} fenomenen", ids.len())).await?;
        commit(tx).await
    }
}
