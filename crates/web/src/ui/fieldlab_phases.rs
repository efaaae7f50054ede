//! UI of the Field Lab Hub's phases: the network reads them with how much each is in use; the
//! LIEC renames one, moves it in the order, adds one, or removes one that is not in use.
//! Works without JavaScript.

use super::templates::Page;
use super::{fail, one, page, render_status, see_other, CsrfForm, FormErrors, Pairs, Signed, Submitted};
use crate::context::RequestCtx;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use knooppunt_app::fieldlab_phases::{PhaseInput, PhaseList};
use knooppunt_app::AppError;

fn flash(code: &str) -> Option<&'static str> {
    Some(match code {
        "toegevoegd" => "De fase is toegevoegd.",
        "opgeslagen" => "De fase is opgeslagen.",
        "verwijderd" => "De fase is verwijderd.",
        _ => return None,
    })
}

#[derive(serde::Deserialize, Default)]
pub struct Notice {
    #[serde(default)]
    melding: String,
}

#[derive(Template)]
#[template(path = "fieldlab_phases.html")]
pub struct PhasesPage {
    pub page: Page,
    pub list: PhaseList,
    pub errors: FormErrors,
    /// The phase whose form has the errors; empty for the form to add one.
    pub form: String,
    pub values: Pairs,
}

impl PhasesPage {
    /// What a field of phase `code`'s form (or, with an empty code, the new phase's) shows.
    pub fn value(&self, code: &str, key: &str, stored: impl ToString) -> String {
        if self.form == code && !self.errors.is_empty() {
            one(&self.values, key)
        } else {
            stored.to_string()
        }
    }
}

async fn phases_page(s: &AppState, rc: &RequestCtx, notice: Option<&str>, submitted: Submitted, status: StatusCode) -> Response {
    let Submitted { errors, form, values } = submitted;
    match s.app.field_lab_phases(&rc.ctx).await {
        Ok(list) => render_status(status, &PhasesPage { page: page(s, rc, "Fasen van de Field Lab Hub", "/fieldlabs", notice), list, errors, form, values }),
        Err(e) => fail(s, rc, e),
    }
}

pub async fn list(State(s): State<AppState>, Signed { rc, .. }: Signed, q: Result<Query<Notice>, axum::extract::rejection::QueryRejection>) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    phases_page(&s, &rc, flash(&q.melding), Submitted::default(), StatusCode::OK).await
}

fn input(p: &Pairs) -> PhaseInput {
    PhaseInput { name: one(p, "naam"), position: one(p, "positie") }
}

pub async fn add(State(s): State<AppState>, Signed { rc, .. }: Signed, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    match s.app.add_field_lab_phase(&rc.ctx, &input(&p)).await {
        Ok(code) => see_other(&format!("/fieldlabs/fasen?melding=toegevoegd#fase-{code}")),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => phases_page(&s, &rc, None, Submitted::new("", errors, p), StatusCode::BAD_REQUEST).await,
            None => fail(&s, &rc, e),
        },
    }
}

/// A phase's forms: `actie` is `opslaan` (its fields are named after the phase, so that every
/// field on the page has its own id) or `verwijderen`.
pub async fn change(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(code): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let name_id = format!("naam-{code}");
    let position_id = format!("positie-{code}");
    let fields = vec![("naam".to_string(), one(&p, &name_id)), ("positie".to_string(), one(&p, &position_id))];
    let (result, done) = match one(&p, "actie").as_str() {
        "opslaan" => (s.app.update_field_lab_phase(&rc.ctx, &code, &input(&fields)).await, "opgeslagen"),
        "verwijderen" => (s.app.remove_field_lab_phase(&rc.ctx, &code).await, "verwijderd"),
        _ => (Err(AppError::Invalid(knooppunt_domain::Invalid::one("actie", "Onbekende actie op de fase."))), ""),
    };
    match result {
        Ok(()) => see_other(&format!("/fieldlabs/fasen?melding={done}")),
        Err(e @ AppError::Conflict(_)) => {
            let msg = e.to_string();
            phases_page(&s, &rc, None, Submitted::new(&code, FormErrors::one(&format!("fase-{code}"), &msg), fields), StatusCode::CONFLICT).await
        }
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => {
                let errors = errors.renamed(&[("naam", name_id.as_str()), ("positie", position_id.as_str())]);
                phases_page(&s, &rc, None, Submitted::new(&code, errors, fields), StatusCode::BAD_REQUEST).await
            }
            None => fail(&s, &rc, e),
        },
    }
}
