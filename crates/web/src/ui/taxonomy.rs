//! "Fenomenen": the taxonomy the LIEC maintains (clusters with their phenomena, the settings)
//! and the regions' focus lists; the forms to add and change a term and to set a focus list.

use super::templates::{Options, Page};
use super::{all, fail, labels, one, page, render, render_status, see_other, CsrfForm, FormErrors, Pairs, Signed};
use crate::context::RequestCtx;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use knooppunt_app::taxonomy::{Axis, Taxonomy, Term, TermInput};
use knooppunt_app::AppError;
use serde::Deserialize;

/// A term as a table row.
pub struct TermLine {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub synonyms: String,
    pub source: String,
    pub validity: String,
    pub replaced_by: String,
}

fn validity(t: &Term) -> String {
    match &t.valid_to {
        Some(to) if t.current => format!("vanaf {} tot {}", labels::iso_day(&t.valid_from), labels::iso_day(to)),
        Some(to) => format!("vervallen op {}", labels::iso_day(to)),
        None if t.current => format!("sinds {}", labels::iso_day(&t.valid_from)),
        None => format!("vanaf {}", labels::iso_day(&t.valid_from)),
    }
}

fn line(t: &Term) -> TermLine {
    TermLine {
        code: t.code.clone(),
        name: t.name.clone(),
        name_en: t.name_en.clone(),
        synonyms: t.synonyms.join(", "),
        source: t.source.clone(),
        validity: validity(t),
        replaced_by: t.replaced_by.as_ref().map(|r| r.1.clone()).unwrap_or_default(),
    }
}

pub struct ClusterLines {
    pub term: TermLine,
    pub phenomena: Vec<TermLine>,
}

pub struct FocusLine {
    pub code: String,
    pub name: String,
    pub phenomena: String,
    pub may_change: bool,
}

#[derive(Template)]
#[template(path = "taxonomy.html")]
pub struct TaxonomyPage {
    pub page: Page,
    pub clusters: Vec<ClusterLines>,
    pub settings: Vec<TermLine>,
    pub focus: Vec<FocusLine>,
    pub may_maintain: bool,
}

/// The Dutch word for an axis in addresses and forms.
fn axis_of(raw: &str) -> Option<Axis> {
    match raw {
        "cluster" => Some(Axis::Cluster),
        "fenomeen" => Some(Axis::Phenomenon),
        "omgeving" => Some(Axis::Setting),
        _ => None,
    }
}

fn word(axis: Axis) -> &'static str {
    knooppunt_app::taxonomy::noun(axis)
}

#[derive(Deserialize, Default)]
pub struct Melding {
    #[serde(default)]
    pub melding: String,
}

pub async fn overview(State(s): State<AppState>, Signed { rc, .. }: Signed, q: Result<Query<Melding>, axum::extract::rejection::QueryRejection>) -> Response {
    let flash = match q.map(|Query(q)| q).unwrap_or_default().melding.as_str() {
        "opgeslagen" => Some("De wijziging is opgeslagen."),
        "speerpunten" => Some("De speerpunten zijn vastgesteld."),
        _ => None,
    };
    match s.app.taxonomy(&rc.ctx).await {
        Ok(t) => render(&TaxonomyPage {
            page: page(&s, &rc, "Fenomenen en omgevingen", "/fenomenen", flash),
            clusters: t.clusters.iter().map(|c| ClusterLines { term: line(&c.term), phenomena: c.phenomena.iter().map(line).collect() }).collect(),
            settings: t.settings.iter().map(line).collect(),
            focus: t
                .focus
                .iter()
                .map(|f| FocusLine {
                    code: f.code.clone(),
                    name: f.name.clone(),
                    phenomena: f.phenomena.iter().map(|p| p.1.clone()).collect::<Vec<_>>().join(", "),
                    may_change: f.may_change,
                })
                .collect(),
            may_maintain: t.may_maintain,
        }),
        Err(e) => fail(&s, &rc, e),
    }
}

/// The form's values, as entered (dates as shown).
#[derive(Default, Clone)]
pub struct TermForm {
    pub naam: String,
    pub naam_engels: String,
    pub synoniemen: String,
    pub bron: String,
    pub geldig_vanaf: String,
    pub geldig_tot: String,
    pub vervangen_door: String,
    pub cluster: String,
    pub versie: String,
}

impl TermForm {
    fn of(p: &Pairs) -> Self {
        Self {
            naam: one(p, "naam"),
            naam_engels: one(p, "naamEngels"),
            synoniemen: one(p, "synoniemen"),
            bron: one(p, "bron"),
            geldig_vanaf: one(p, "geldigVanaf"),
            geldig_tot: one(p, "geldigTot"),
            vervangen_door: one(p, "vervangenDoor"),
            cluster: one(p, "cluster"),
            versie: one(p, "versie"),
        }
    }

    fn from_term(t: &Term) -> Self {
        Self {
            naam: t.name.clone(),
            naam_engels: t.name_en.clone(),
            synoniemen: t.synonyms.join("; "),
            bron: t.source.clone(),
            geldig_vanaf: labels::iso_day(&t.valid_from),
            geldig_tot: t.valid_to.as_deref().map(labels::iso_day).unwrap_or_default(),
            vervangen_door: t.replaced_by.as_ref().map(|r| r.0.clone()).unwrap_or_default(),
            cluster: t.cluster.as_ref().map(|c| c.0.clone()).unwrap_or_default(),
            versie: t.version.to_string(),
        }
    }

    fn input(&self) -> TermInput {
        TermInput {
            name: self.naam.clone(),
            name_en: self.naam_engels.clone(),
            synonyms: self.synoniemen.clone(),
            source: self.bron.clone(),
            valid_from: self.geldig_vanaf.clone(),
            valid_to: self.geldig_tot.clone(),
            replaced_by: self.vervangen_door.clone(),
            cluster: self.cluster.clone(),
            version: self.versie.trim().parse().unwrap_or(0),
        }
    }
}

#[derive(Template)]
#[template(path = "taxonomy_term.html")]
pub struct TermPage {
    pub page: Page,
    pub errors: FormErrors,
    /// `cluster`, `fenomeen` or `omgeving`.
    pub kind: String,
    /// Empty for a new term.
    pub code: String,
    pub heading: String,
    pub form: TermForm,
    pub clusters: Options,
    pub replacements: Options,
    pub updated: String,
}

async fn term_page(s: &AppState, rc: &RequestCtx, axis: Axis, code: &str, errors: FormErrors, form: Option<TermForm>) -> Result<TermPage, AppError> {
    let t: Taxonomy = s.app.taxonomy(&rc.ctx).await?;
    if !t.may_maintain {
        return Err(AppError::Forbidden("alleen het LIEC beheert de fenomenen en omgevingen"));
    }
    let terms: Vec<&Term> = match axis {
        Axis::Cluster => t.clusters.iter().map(|c| &c.term).collect(),
        Axis::Phenomenon => t.phenomena().collect(),
        Axis::Setting => t.settings.iter().collect(),
    };
    let current = if code.is_empty() { None } else { Some(*terms.iter().find(|x| x.code == code).ok_or(AppError::NotFound(word(axis)))?) };
    let replacements = std::iter::once((String::new(), "Geen vervanger".to_string()))
        .chain(terms.iter().filter(|x| x.valid_to.is_none() && x.code != code).map(|x| (x.code.clone(), x.name.clone())))
        .collect();
    let clusters = std::iter::once((String::new(), "Kies een cluster".to_string()))
        .chain(t.clusters.iter().filter(|c| c.term.current).map(|c| (c.term.code.clone(), c.term.name.clone())))
        .collect();
    let heading = match current {
        Some(x) => format!("{} wijzigen: {}", capitalised(word(axis)), x.name),
        None => format!("{} toevoegen", capitalised(word(axis))),
    };
    Ok(TermPage {
        page: page(s, rc, &heading, "/fenomenen", None),
        errors,
        kind: word(axis).into(),
        code: code.into(),
        heading,
        form: form.or_else(|| current.map(TermForm::from_term)).unwrap_or_default(),
        clusters,
        replacements,
        updated: current.and_then(|x| x.updated_at.map(|at| format!("Laatst gewijzigd op {} door {}.", labels::when(at), x.updated_by))).unwrap_or_default(),
    })
}

fn capitalised(w: &str) -> String {
    let mut c = w.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

#[derive(Deserialize, Default)]
pub struct Soort {
    #[serde(default)]
    pub soort: String,
}

fn axis_or_404(raw: &str) -> Result<Axis, AppError> {
    axis_of(raw).ok_or(AppError::NotFound("soort term"))
}

pub async fn new_term(State(s): State<AppState>, Signed { rc, .. }: Signed, q: Result<Query<Soort>, axum::extract::rejection::QueryRejection>) -> Response {
    let raw = q.map(|Query(q)| q.soort).unwrap_or_default();
    let result = match axis_or_404(if raw.is_empty() { "fenomeen" } else { &raw }) {
        Ok(axis) => term_page(&s, &rc, axis, "", FormErrors::default(), None).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(p) => render(&p),
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn edit_term(State(s): State<AppState>, Signed { rc, .. }: Signed, Path((kind, code)): Path<(String, String)>) -> Response {
    let result = match axis_or_404(&kind) {
        Ok(axis) => term_page(&s, &rc, axis, &code, FormErrors::default(), None).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(p) => render(&p),
        Err(e) => fail(&s, &rc, e),
    }
}

/// Adds (`code` empty) or changes a term; on bad input the form again with every error.
async fn save(s: AppState, rc: RequestCtx, kind: &str, code: &str, p: Pairs) -> Response {
    let axis = match axis_or_404(kind) {
        Ok(a) => a,
        Err(e) => return fail(&s, &rc, e),
    };
    let form = TermForm::of(&p);
    let result = if code.is_empty() { s.app.add_term(&rc.ctx, axis, &form.input()).await.map(|_| ()) } else { s.app.change_term(&rc.ctx, axis, code, &form.input()).await };
    match result {
        Ok(()) => see_other("/fenomenen?melding=opgeslagen"),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let conflict = matches!(e, AppError::Conflict(_));
            let errors = match &e {
                AppError::Conflict(msg) => FormErrors::one("naam", msg),
                _ => FormErrors::from_app(&e).unwrap_or_default(),
            };
            match term_page(&s, &rc, axis, code, errors, (!conflict).then_some(form)).await {
                Ok(page) => render_status(if conflict { StatusCode::CONFLICT } else { StatusCode::BAD_REQUEST }, &page),
                Err(e) => fail(&s, &rc, e),
            }
        }
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn add_term(State(s): State<AppState>, Signed { rc, .. }: Signed, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let kind = one(&p, "soort");
    save(s, rc, &kind, "", p).await
}

pub async fn change_term(State(s): State<AppState>, Signed { rc, .. }: Signed, Path((kind, code)): Path<(String, String)>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    save(s, rc, &kind, &code, p).await
}

#[derive(Template)]
#[template(path = "taxonomy_focus.html")]
pub struct FocusPage {
    pub page: Page,
    pub errors: FormErrors,
    pub region: String,
    pub heading: String,
    pub options: Options,
    pub selected: Vec<String>,
}

async fn focus_page(s: &AppState, rc: &RequestCtx, region: &str, errors: FormErrors, selected: Option<Vec<String>>) -> Result<FocusPage, AppError> {
    let t = s.app.taxonomy(&rc.ctx).await?;
    let f = t.focus.iter().find(|f| f.code == region).ok_or(AppError::NotFound("regio"))?;
    if !f.may_change {
        return Err(AppError::Forbidden("alleen de RIEC-manager van de regio of het LIEC stelt de speerpunten vast"));
    }
    let heading = format!("Speerpunten van {}", f.name);
    Ok(FocusPage {
        page: page(s, rc, &heading, "/fenomenen", None),
        errors,
        region: f.code.clone(),
        heading,
        options: t.current_phenomena(),
        selected: selected.unwrap_or_else(|| f.phenomena.iter().map(|p| p.0.clone()).collect()),
    })
}

pub async fn focus(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(region): Path<String>) -> Response {
    match focus_page(&s, &rc, &region, FormErrors::default(), None).await {
        Ok(p) => render(&p),
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn set_focus(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(region): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let codes = all(&p, "fenomenen");
    match s.app.set_region_focus(&rc.ctx, &region, &codes).await {
        Ok(()) => see_other("/fenomenen?melding=speerpunten#speerpunten"),
        Err(e @ AppError::Invalid(_)) => match focus_page(&s, &rc, &region, FormErrors::from_app(&e).unwrap_or_default(), Some(codes)).await {
            Ok(page) => render_status(StatusCode::BAD_REQUEST, &page),
            Err(e) => fail(&s, &rc, e),
        },
        Err(e) => fail(&s, &rc, e),
    }
}
