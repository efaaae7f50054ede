//! UI of national approaches (landelijke aanpak): the list with the LIEC's form to open one,
//! and one approach with its cases (and the owner's decision), participants, actions, progress
//! and figures. Works without JavaScript.

use super::templates::Page;
use super::{fail, page, render_status, see_other, when, CsrfForm, FormErrors, Signed};
use crate::context::RequestCtx;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use knooppunt_app::approaches::{ApproachSummary, ApproachView};
use knooppunt_app::AppError;
use serde::Deserialize;

use super::{one, Pairs};

pub fn case_status(code: &str) -> &'static str {
    match code {
        "akkoord" => "neemt deel",
        "geweigerd" => "geweigerd door de eigenaar",
        _ => "gevraagd, wacht op de eigenaar",
    }
}

#[derive(Deserialize)]
pub struct Notice {
    pub melding: Option<String>,
}

fn flash(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "geopend" => "De landelijke aanpak is geopend.",
        "gevraagd" => "De eigenaar van de casus is gevraagd om akkoord.",
        "besloten" => "Uw besluit over deelname van de casus is vastgelegd.",
        "deelnemer" => "De deelnemer is toegevoegd.",
        "actie" => "De actie is toegevoegd.",
        "gereed" => "De actie is gereed gemeld.",
        "voortgang" => "De voortgang is vastgelegd.",
        _ => return None,
    })
}

#[derive(Template)]
#[template(path = "approaches.html")]
pub struct ListPage {
    pub page: Page,
    pub rows: Vec<ApproachSummary>,
    pub can_open: bool,
    pub errors: FormErrors,
    pub title: String,
    pub description: String,
}

async fn list_page(s: &AppState, rc: &RequestCtx, errors: FormErrors, title: String, description: String, status: StatusCode) -> Response {
    let can_open = rc.ctx.principal().map(|p| knooppunt_policy::approaches::may_manage(p).allowed).unwrap_or(false);
    match s.app.list_approaches(&rc.ctx).await {
        Ok(rows) => render_status(status, &ListPage { page: page(s, rc, "Landelijke aanpak", "/landelijke-aanpakken", None), rows, can_open, errors, title, description }),
        Err(e) => fail(s, rc, e),
    }
}

pub async fn list(State(s): State<AppState>, Signed { rc, .. }: Signed) -> Response {
    list_page(&s, &rc, FormErrors::default(), String::new(), String::new(), StatusCode::OK).await
}

pub async fn open(State(s): State<AppState>, Signed { rc, .. }: Signed, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let (title, description) = (one(&p, "titel"), one(&p, "omschrijving"));
    match s.app.open_approach(&rc.ctx, &title, &description).await {
        Ok(id) => see_other(&format!("/landelijke-aanpakken/{id}?melding=geopend")),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => list_page(&s, &rc, errors, title, description, StatusCode::BAD_REQUEST).await,
            None => fail(&s, &rc, e),
        },
    }
}

#[derive(Template)]
#[template(path = "approach.html")]
pub struct DetailPage {
    pub page: Page,
    pub v: ApproachView,
    pub created: String,
    pub updated: String,
    /// (id, name) of the organisations that can be added.
    pub organisations: Vec<(String, String)>,
    pub errors: FormErrors,
    /// The form the errors belong to: `casus`, `besluit-<id>`, `deelnemer`, `actie`, `voortgang`.
    pub form: String,
    pub values: Pairs,
}

impl DetailPage {
    /// The submitted value of `key` when the errors belong to `form`.
    pub fn value(&self, form: &str, key: &str) -> String {
        if self.form == form {
            one(&self.values, key)
        } else {
            String::new()
        }
    }
}

/// A submitted form shown again: its errors, which form, and what was typed.
#[derive(Default)]
struct Submitted {
    errors: FormErrors,
    form: String,
    values: Pairs,
}

async fn detail_page(s: &AppState, rc: &RequestCtx, id: i64, notice: Option<&str>, submitted: Submitted, status: StatusCode) -> Response {
    let Submitted { errors, form, values } = submitted;
    let v = match s.app.approach(&rc.ctx, id).await {
        Ok(v) => v,
        Err(e) => return fail(s, rc, e),
    };
    let organisations = if v.can_manage {
        match s.app.list_organisations(&rc.ctx, None, None, None).await {
            Ok(o) => o.into_iter().filter(|o| !v.participants.iter().any(|x| x.organisation_id == o.id)).map(|o| (o.id.to_string(), o.name)).collect(),
            Err(e) => return fail(s, rc, e),
        }
    } else {
        Vec::new()
    };
    let title = format!("Landelijke aanpak: {}", v.approach.title);
    render_status(
        status,
        &DetailPage {
            page: page(s, rc, &title, "/landelijke-aanpakken", notice),
            created: when(v.approach.created_at),
            updated: when(v.approach.updated_at),
            v,
            organisations,
            errors,
            form,
            values,
        },
    )
}

pub async fn detail(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, Query(q): Query<Notice>) -> Response {
    match super::path_id(&raw, "landelijke aanpak") {
        Ok(id) => detail_page(&s, &rc, id, flash(q.melding.as_deref()), Submitted::default(), StatusCode::OK).await,
        Err(e) => fail(&s, &rc, e),
    }
}

/// After a form: to the approach with a notice, or the page again with the errors (400).
async fn after(s: &AppState, rc: &RequestCtx, id: i64, result: Result<(), AppError>, done: &str, form: &str, values: Pairs) -> Response {
    match result {
        Ok(()) => see_other(&format!("/landelijke-aanpakken/{id}?melding={done}")),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => detail_page(s, rc, id, None, Submitted { errors, form: form.into(), values }, StatusCode::BAD_REQUEST).await,
            None => fail(s, rc, e),
        },
    }
}

pub async fn ask_case(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let id = match super::path_id(&raw, "landelijke aanpak") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    let r = s.app.ask_case(&rc.ctx, id, &one(&p, "casusKenmerk")).await;
    after(&s, &rc, id, r, "gevraagd", "casus", p).await
}

pub async fn decide_case(State(s): State<AppState>, Signed { rc, .. }: Signed, Path((raw, case)): Path<(String, String)>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let (Ok(id), Ok(case_id)) = (super::path_id(&raw, "landelijke aanpak"), case.parse::<i64>()) else {
        return fail(&s, &rc, AppError::NotFound("landelijke aanpak"));
    };
    let agree = one(&p, "besluit") == "akkoord";
    let r = s.app.decide_approach_case(&rc.ctx, id, case_id, agree, &one(&p, "reden")).await;
    after(&s, &rc, id, r, "besloten", &format!("besluit-{case_id}"), p).await
}

pub async fn add_participant(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let id = match super::path_id(&raw, "landelijke aanpak") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    let r = s.app.add_approach_participant(&rc.ctx, id, one(&p, "organisatieId").parse().ok(), &one(&p, "rol")).await;
    after(&s, &rc, id, r, "deelnemer", "deelnemer", p).await
}

pub async fn add_action(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let id = match super::path_id(&raw, "landelijke aanpak") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    let r = s.app.add_approach_action(&rc.ctx, id, &one(&p, "titel"), &one(&p, "eigenaar"), &one(&p, "deadline")).await.map(|_| ());
    after(&s, &rc, id, r, "actie", "actie", p).await
}

pub async fn finish_action(State(s): State<AppState>, Signed { rc, .. }: Signed, Path((raw, action)): Path<(String, String)>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let (Ok(id), Ok(action_id)) = (super::path_id(&raw, "landelijke aanpak"), action.parse::<i64>()) else {
        return fail(&s, &rc, AppError::NotFound("landelijke aanpak"));
    };
    let r = s.app.finish_approach_action(&rc.ctx, id, action_id).await;
    after(&s, &rc, id, r, "gereed", "acties", p).await
}

pub async fn progress(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let id = match super::path_id(&raw, "landelijke aanpak") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    let version = one(&p, "versie").parse().unwrap_or(-1);
    let r = s.app.record_approach_progress(&rc.ctx, id, &one(&p, "voortgang"), &one(&p, "status"), version).await;
    after(&s, &rc, id, r, "voortgang", "voortgang", p).await
}

/// [`when`] for templates, which pass references.
pub fn when_ref(ms: &i64) -> String {
    when(*ms)
}

/// [`case_status`] for templates.
pub fn case_status_ref(code: &str) -> &'static str {
    case_status(code)
}
