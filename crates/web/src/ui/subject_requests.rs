//! "Verzoeken van betrokkenen": the list, registering a request the organisation received, one
//! request with every partner's position (or the viewer's own), the forms to take a position,
//! extend and close, and the answer as a printable page and JSON. Works without JavaScript.

use super::labels;
use super::templates::Page;
use super::{fail, options, page, render, render_status, see_other, CsrfForm, FormErrors, Signed};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use knooppunt_app::subject_requests::{PositionInput, RequestInput, RequestView};
use knooppunt_app::AppError;
use knooppunt_domain::subject_request::{IdentifierKind, Position, RequestKind, RestrictionGround};
use serde::Deserialize;

use super::Pairs;

fn value<'a>(p: &'a Pairs, key: &str) -> &'a str {
    p.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).unwrap_or("")
}

pub(super) fn kind_label(code: &str) -> String {
    RequestKind::parse(code).map(|k| k.label().to_string()).unwrap_or_else(|_| labels::humanise(code))
}

pub(super) fn position_label(code: &str) -> String {
    if code.is_empty() {
        "Nog geen standpunt".to_string()
    } else {
        Position::parse(code).map(|k| k.label().to_string()).unwrap_or_else(|_| labels::humanise(code))
    }
}

pub(super) fn ground_label(code: &str) -> String {
    if code.is_empty() {
        String::new()
    } else {
        RestrictionGround::parse(code).map(|k| k.label().to_string()).unwrap_or_else(|_| labels::humanise(code))
    }
}

#[derive(Deserialize)]
pub struct FlashQuery {
    pub melding: Option<String>,
}

fn flash(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "geregistreerd" => "Het verzoek is geregistreerd en naar elke partner gestuurd die gegevens over de persoon leverde.",
        "standpunt" => "Het standpunt van uw organisatie is vastgelegd.",
        "verlengd" => "De termijn is verlengd. Laat de betrokkene de reden weten.",
        "afgerond" => "Het verzoek is afgerond.",
        _ => return None,
    })
}

pub struct ListLine {
    pub id: i64,
    pub reference: String,
    pub kind: String,
    pub received_by: String,
    pub received_on: String,
    pub deadline: String,
    pub progress: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "subject_requests.html")]
pub struct ListPage {
    pub page: Page,
    pub lines: Vec<ListLine>,
}

pub async fn list(State(s): State<AppState>, Signed { rc, .. }: Signed, Query(q): Query<FlashQuery>) -> Response {
    match s.app.subject_requests(&rc.ctx).await {
        Ok(rows) => {
            let today = knooppunt_app::cases::today(s.app.now());
            let lines = rows
                .into_iter()
                .map(|r| {
                    let deadline = if r.extended_to.is_empty() { r.deadline.clone() } else { r.extended_to.clone() };
                    let status = match r.closed_at {
                        Some(_) => "Afgerond".to_string(),
                        None if today > deadline => "Termijn verstreken".to_string(),
                        None => "Loopt".to_string(),
                    };
                    ListLine {
                        id: r.id,
                        reference: r.reference,
                        kind: kind_label(&r.kind),
                        received_by: r.received_by_name,
                        received_on: labels::iso_day(&r.received_on),
                        deadline: labels::iso_day(&deadline),
                        progress: format!("{} van {}", r.decided, r.partners),
                        status,
                    }
                })
                .collect();
            render(&ListPage { page: page(&s, &rc, "Verzoeken van betrokkenen", "/verzoeken-betrokkenen", flash(q.melding.as_deref())), lines })
        }
        Err(e) => fail(&s, &rc, e),
    }
}

#[derive(Template)]
#[template(path = "subject_request_form.html")]
pub struct FormPage {
    pub page: Page,
    pub errors: FormErrors,
    pub form: Pairs,
    pub kinds: Vec<(String, String)>,
    pub number_kinds: Vec<(String, String)>,
}

impl FormPage {
    pub fn v(&self, key: &str) -> String {
        value(&self.form, key).to_string()
    }
}

fn form_page(s: &AppState, rc: &crate::context::RequestCtx, form: Pairs, errors: FormErrors, status: StatusCode) -> Response {
    render_status(
        status,
        &FormPage {
            page: page(s, rc, "Verzoek van een betrokkene registreren", "/verzoeken-betrokkenen", None),
            errors,
            form,
            kinds: options(RequestKind::ALL, RequestKind::code, RequestKind::label, None),
            number_kinds: options(IdentifierKind::ALL, IdentifierKind::code, IdentifierKind::label, None),
        },
    )
}

pub async fn new_form(State(s): State<AppState>, Signed { rc, .. }: Signed) -> Response {
    let today = labels::iso_day(&knooppunt_app::cases::today(s.app.now()));
    form_page(&s, &rc, vec![("ontvangen".into(), today)], FormErrors::default(), StatusCode::OK)
}

pub async fn register(State(s): State<AppState>, Signed { rc, .. }: Signed, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let input = RequestInput {
        kind: value(&p, "soort").into(),
        received_on: value(&p, "ontvangen").into(),
        identifier_kind: value(&p, "nummersoort").into(),
        identifier: value(&p, "nummer").into(),
        name: value(&p, "naam").into(),
        identity_checked: value(&p, "identiteit") == "ja",
        identity_note: value(&p, "identiteitstoelichting").into(),
        question: value(&p, "vraag").into(),
    };
    match s.app.register_subject_request(&rc.ctx, &input).await {
        Ok(id) => see_other(&format!("/verzoeken-betrokkenen/{id}?melding=geregistreerd")),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => form_page(&s, &rc, p, errors, StatusCode::BAD_REQUEST),
            None => fail(&s, &rc, e),
        },
    }
}

pub struct PartnerLine {
    pub name: String,
    pub supplied: String,
    pub position: String,
    pub ground: String,
    pub note: String,
    pub decided: String,
}

#[derive(Template)]
#[template(path = "subject_request.html")]
pub struct DetailPage {
    pub page: Page,
    pub v: RequestView,
    pub kind: String,
    pub received_on: String,
    pub deadline: String,
    pub original_deadline: String,
    pub partners: Vec<PartnerLine>,
    pub errors: FormErrors,
    /// Which form the errors belong to: `standpunt` or `verlengen`.
    pub failed: String,
    pub form: Pairs,
    pub positions: Vec<(String, String)>,
    pub grounds: Vec<(String, String)>,
    pub number_label: String,
}

impl DetailPage {
    pub fn f(&self, key: &str) -> String {
        value(&self.form, key).to_string()
    }
    pub fn errors_for(&self, form: &str) -> FormErrors {
        if self.failed == form {
            self.errors.clone()
        } else {
            FormErrors::default()
        }
    }
    pub fn all_decided(&self) -> bool {
        self.v.partners.iter().all(|p| !p.position.is_empty())
    }
}

async fn detail_page(s: &AppState, rc: &crate::context::RequestCtx, id: &str, failed: Option<(&str, Pairs, FormErrors)>, flash_code: Option<&str>) -> Response {
    let Ok(id) = id.parse::<i64>() else { return fail(s, rc, AppError::NotFound("verzoek")) };
    let v = match s.app.subject_request(&rc.ctx, id).await {
        Ok(v) => v,
        Err(e) => return fail(s, rc, e),
    };
    let partners = v
        .partners
        .iter()
        .map(|p| PartnerLine {
            name: p.organisation_name.clone(),
            supplied: p.supplied.clone(),
            position: position_label(&p.position),
            ground: ground_label(&p.ground),
            note: p.note.clone(),
            decided: p.decided_at.map(|at| format!("{} door {}", labels::day(at), p.decided_by)).unwrap_or_default(),
        })
        .collect();
    let (status, failed, form, errors) = match failed {
        Some((which, form, errors)) => (StatusCode::BAD_REQUEST, which.to_string(), form, errors),
        None => (StatusCode::OK, String::new(), Vec::new(), FormErrors::default()),
    };
    render_status(
        status,
        &DetailPage {
            page: page(s, rc, &format!("Verzoek {}", v.request.reference), "/verzoeken-betrokkenen", flash(flash_code)),
            kind: kind_label(&v.request.kind),
            received_on: labels::iso_day(&v.request.received_on),
            deadline: labels::iso_day(&v.deadline),
            original_deadline: labels::iso_day(&v.request.deadline),
            number_label: IdentifierKind::parse(&v.request.identifier_kind).map(|k| k.label().to_string()).unwrap_or_default(),
            partners,
            errors,
            failed,
            form,
            positions: options(Position::ALL, Position::code, Position::label, None),
            grounds: options(RestrictionGround::ALL, RestrictionGround::code, RestrictionGround::label, None),
            v,
        },
    )
}

pub async fn detail(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(id): Path<String>, Query(q): Query<FlashQuery>) -> Response {
    detail_page(&s, &rc, &id, None, q.melding.as_deref()).await
}

async fn after(s: &AppState, rc: &crate::context::RequestCtx, id: &str, which: &str, form: Pairs, result: Result<(), AppError>, done: &str) -> Response {
    match result {
        Ok(()) => see_other(&format!("/verzoeken-betrokkenen/{id}?melding={done}")),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => detail_page(s, rc, id, Some((which, form, errors)), None).await,
            None => fail(s, rc, e),
        },
    }
}

pub async fn position(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(id): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let Ok(n) = id.parse::<i64>() else { return fail(&s, &rc, AppError::NotFound("verzoek")) };
    let input = PositionInput { position: value(&p, "standpunt").into(), ground: value(&p, "grond").into(), note: value(&p, "toelichting").into() };
    let r = s.app.record_position(&rc.ctx, n, &input).await;
    after(&s, &rc, &id, "standpunt", p, r, "standpunt").await
}

pub async fn extend(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(id): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let Ok(n) = id.parse::<i64>() else { return fail(&s, &rc, AppError::NotFound("verzoek")) };
    let r = s.app.extend_subject_request(&rc.ctx, n, value(&p, "maanden"), value(&p, "reden")).await;
    after(&s, &rc, &id, "verlengen", p, r, "verlengd").await
}

pub async fn close(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(id): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let Ok(n) = id.parse::<i64>() else { return fail(&s, &rc, AppError::NotFound("verzoek")) };
    let r = s.app.close_subject_request(&rc.ctx, n).await;
    after(&s, &rc, &id, "afronden", p, r, "afgerond").await
}
