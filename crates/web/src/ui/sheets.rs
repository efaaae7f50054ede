//! "Interventies": the catalogue as knowledge — every intervention type with its sheet
//! (interventieblad), its history, the outcomes so far (protected as on the figures pages), and
//! for the LIEC the form to write a new version.

use super::steering::shown;
use super::templates::Page;
use super::{fail, labels, one, page, render, render_status, see_other, CsrfForm, FormErrors, Pairs, Signed};
use crate::context::RequestCtx;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use knooppunt_app::sheets::{Sheet, SheetInput};
use knooppunt_app::AppError;
use knooppunt_figures::disclosure::Shown;
use serde::Deserialize;

pub struct CatalogueRow {
    pub code: String,
    pub name: String,
    pub category: String,
    pub carried_by: String,
    pub has_sheet: bool,
}

#[derive(Template)]
#[template(path = "interventions.html")]
pub struct CataloguePage {
    pub page: Page,
    pub rows: Vec<CatalogueRow>,
}

pub async fn catalogue(State(s): State<AppState>, Signed { rc, .. }: Signed) -> Response {
    match s.app.intervention_catalogue(&rc.ctx).await {
        Ok((lines, _)) => render(&CataloguePage {
            page: page(&s, &rc, "Interventies", "/interventies", None),
            rows: lines.into_iter().map(|(code, name, category, carried_by, has_sheet)| CatalogueRow { code, name, category, carried_by, has_sheet }).collect(),
        }),
        Err(e) => fail(&s, &rc, e),
    }
}

/// A version in the history list.
pub struct VersionLine {
    pub version: i64,
    pub when: String,
    pub by: String,
    pub note: String,
    pub shown: bool,
}

#[derive(Default, Clone)]
pub struct SheetForm {
    pub wat: String,
    pub grondslag: String,
    pub uitvoerder: String,
    pub voorwaarden: String,
    pub jurisprudentie: String,
    pub toelichting: String,
}

#[derive(Template)]
#[template(path = "intervention_sheet.html")]
pub struct SheetPage {
    pub page: Page,
    pub errors: FormErrors,
    pub code: String,
    pub name: String,
    pub category: String,
    pub what: String,
    pub legal_basis: String,
    pub carried_by: String,
    pub conditions: String,
    pub case_law: String,
    /// "Versie 3 van 12-11-2026" — and whether it is an older one.
    pub version_label: String,
    pub older: bool,
    pub history: Vec<VersionLine>,
    pub outcomes: Vec<(String, String)>,
    pub may_edit: bool,
    pub newest: i64,
    pub form: SheetForm,
}

fn cents(s: Shown) -> Shown {
    match s {
        Shown::Value(v) => Shown::Value(v / 100),
        hidden => hidden,
    }
}

fn sheet_page(s: &AppState, rc: &RequestCtx, sheet: Sheet, errors: FormErrors, form: Option<SheetForm>, flash: Option<&str>) -> SheetPage {
    let shown_row = sheet.shown.clone().unwrap_or_default();
    let o = sheet.outcomes;
    let outcomes = vec![
        ("Afgerond".to_string(), shown(&o.completed, false)),
        ("Gestopt".to_string(), shown(&o.stopped, false)),
        ("Samen".to_string(), shown(&o.finished, false)),
        ("Geïnd".to_string(), shown(&cents(o.collected), true)),
        ("Verrekend".to_string(), shown(&cents(o.offset), true)),
        ("In beslag genomen".to_string(), shown(&cents(o.seized), true)),
    ];
    let form = form.unwrap_or_else(|| SheetForm {
        wat: shown_row.what.clone(),
        grondslag: shown_row.legal_basis.clone(),
        uitvoerder: shown_row.carried_by.clone(),
        voorwaarden: shown_row.conditions.clone(),
        jurisprudentie: shown_row.case_law.clone(),
        toelichting: String::new(),
    });
    SheetPage {
        page: page(s, rc, &format!("Interventieblad: {}", sheet.name), "/interventies", flash),
        errors,
        version_label: if sheet.shown.is_some() { format!("Versie {} van {}", shown_row.version, labels::day(shown_row.changed_at)) } else { String::new() },
        older: shown_row.version < sheet.newest,
        history: sheet
            .history
            .iter()
            .map(|h| VersionLine {
                version: h.version,
                when: labels::when(h.changed_at),
                by: h.changed_by.clone(),
                note: h.change_note.clone(),
                shown: h.version == shown_row.version,
            })
            .collect(),
        outcomes,
        may_edit: sheet.may_edit,
        newest: sheet.newest,
        code: sheet.code,
        name: sheet.name,
        category: sheet.category,
        what: shown_row.what,
        legal_basis: shown_row.legal_basis,
        carried_by: shown_row.carried_by,
        conditions: shown_row.conditions,
        case_law: shown_row.case_law,
        form,
    }
}

#[derive(Deserialize, Default)]
pub struct SheetQuery {
    #[serde(default)]
    pub versie: String,
    #[serde(default)]
    pub melding: String,
}

pub async fn sheet(
    State(s): State<AppState>,
    Signed { rc, .. }: Signed,
    Path(code): Path<String>,
    q: Result<Query<SheetQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let version = match q.versie.trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(v) => Some(v),
            Err(_) => return fail(&s, &rc, AppError::NotFound("versie van het interventieblad")),
        },
    };
    let flash = (q.melding == "opgeslagen").then_some("De nieuwe versie van het interventieblad is opgeslagen.");
    match s.app.intervention_sheet(&rc.ctx, &code, version).await {
        Ok(sheet) => render(&sheet_page(&s, &rc, sheet, FormErrors::default(), None, flash)),
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn save(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(code): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let form = SheetForm {
        wat: one(&p, "wat"),
        grondslag: one(&p, "grondslag"),
        uitvoerder: one(&p, "uitvoerder"),
        voorwaarden: one(&p, "voorwaarden"),
        jurisprudentie: one(&p, "jurisprudentie"),
        toelichting: one(&p, "toelichting"),
    };
    let input = SheetInput {
        what: form.wat.clone(),
        legal_basis: form.grondslag.clone(),
        carried_by: form.uitvoerder.clone(),
        conditions: form.voorwaarden.clone(),
        case_law: form.jurisprudentie.clone(),
        change_note: form.toelichting.clone(),
        version: one(&p, "versie").trim().parse().unwrap_or(0),
    };
    match s.app.save_intervention_sheet(&rc.ctx, &code, &input).await {
        Ok(_) => see_other(&format!("/interventies/{code}?melding=opgeslagen")),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let conflict = matches!(e, AppError::Conflict(_));
            let errors = match &e {
                AppError::Conflict(msg) => FormErrors::one("wat", msg),
                _ => FormErrors::from_app(&e).unwrap_or_default(),
            };
            match s.app.intervention_sheet(&rc.ctx, &code, None).await {
                Ok(sheet) => {
                    render_status(if conflict { StatusCode::CONFLICT } else { StatusCode::BAD_REQUEST }, &sheet_page(&s, &rc, sheet, errors, (!conflict).then_some(form), None))
                }
                Err(e) => fail(&s, &rc, e),
            }
        }
        Err(e) => fail(&s, &rc, e),
    }
}
