//! Barrier models on the knowledge pages: the matrix (steps as columns, the four kinds of part
//! as rows), the same content as one accessible table with a row per part, a print view, and
//! for the knowledge editors the forms that add, change, move and remove steps and parts.

use super::knowledge::reader;
use super::templates::Page;
use super::{all, fail, one, page, path_id, render, render_status, see_other, AnyUser, CsrfForm, FormErrors, Pairs, Signed};
use crate::context::RequestCtx;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use knooppunt_app::barriers::{BarrierModel, ModelChange, ModelPart, PartInput, StepInput};
use knooppunt_app::AppError;
use knooppunt_domain::knowledge::BarrierPart;
use knooppunt_domain::PartnerType;
use knooppunt_figures::disclosure::Shown;
use serde::Deserialize;

/// One part as the pages show it.
pub struct PartView {
    pub id: i64,
    pub description: String,
    /// What else is known of it, in one line ("bewust; vastgoedmakelaar").
    pub details: String,
    pub removable: bool,
}

pub struct StepView {
    pub id: i64,
    pub position: i64,
    pub title: String,
    pub description: String,
    /// (heading, label of one, parts) per kind of part.
    pub parts: Vec<(&'static str, &'static str, Vec<PartView>)>,
    pub first: bool,
    pub last: bool,
}

#[derive(Template)]
#[template(path = "barrier_model.html")]
pub struct ModelPage {
    pub page: Page,
    pub id: i64,
    pub version: i64,
    pub title: String,
    pub summary: String,
    pub steps: Vec<StepView>,
    /// The headings of the matrix's rows.
    pub kinds: Vec<&'static str>,
    pub may_edit: bool,
    pub print: bool,
    pub error: Option<String>,
}

fn interventions(s: Option<Shown>) -> Option<String> {
    match s? {
        Shown::Value(0) => Some("nog door geen interventie opgeworpen".into()),
        Shown::Value(1) => Some("opgeworpen door 1 interventie".into()),
        Shown::Value(n) => Some(format!("opgeworpen door {n} interventies")),
        Shown::Hidden(_) => Some("aantal interventies afgeschermd (te klein om te tonen)".into()),
    }
}

fn part_view(p: &ModelPart) -> PartView {
    let r = &p.row;
    let mut details: Vec<String> = Vec::new();
    match BarrierPart::parse(&r.part) {
        Ok(BarrierPart::Facilitator) => {
            details.push(r.actor.clone());
            details.push(if r.knowing == Some(true) { "bewust".into() } else { "onbewust".into() });
        }
        Ok(BarrierPart::Signal) => {
            let who: Vec<&str> = r.observed_by.iter().filter_map(|c| PartnerType::parse(c).ok()).map(|t| t.label()).collect();
            details.push(format!("te zien voor: {}", who.join(", ")));
        }
        Ok(BarrierPart::Barrier) => {
            if let Some((_, name)) = &r.intervention_type {
                details.push(format!("interventie: {name}"));
            }
            if let Some(t) = r.partner_type.as_deref().and_then(|c| PartnerType::parse(c).ok()) {
                details.push(format!("verantwoordelijk: {}", t.label()));
            }
            if !r.legal_basis.is_empty() {
                details.push(format!("grondslag: {}", r.legal_basis));
            }
            details.extend(interventions(p.interventions));
        }
        _ => {}
    }
    PartView { id: r.id, description: r.description.clone(), details: details.join("; "), removable: p.removable }
}

fn model_page(s: &AppState, rc: &RequestCtx, m: BarrierModel, print: bool, error: Option<String>) -> ModelPage {
    let n = m.steps.len();
    let steps = m
        .steps
        .iter()
        .enumerate()
        .map(|(i, st)| StepView {
            id: st.step.id,
            position: st.step.position,
            title: st.step.title.clone(),
            description: st.step.description.clone(),
            parts: st.parts.iter().map(|(k, ps)| (k.heading(), k.label(), ps.iter().map(part_view).collect())).collect(),
            first: i == 0,
            last: i + 1 == n,
        })
        .collect();
    let title = format!("Barrièremodel: {}", m.item.row.title);
    ModelPage {
        page: page(s, rc, &title, "/kennis", None),
        id: m.item.row.id,
        version: m.item.row.version,
        title: m.item.row.title.clone(),
        summary: m.item.row.summary.clone(),
        steps,
        kinds: BarrierPart::ALL.iter().map(|k| k.heading()).collect(),
        may_edit: m.item.may_edit && !print,
        print,
        error,
    }
}

#[derive(Deserialize, Default)]
pub struct ModelQuery {
    #[serde(default)]
    melding: String,
}

async fn show(s: &AppState, rc: &RequestCtx, raw: &str, print: bool, flash: Option<&str>) -> Response {
    let rc = reader(rc);
    let id = match path_id(raw, "kennisitem") {
        Ok(id) => id,
        Err(e) => return fail(s, &rc, e),
    };
    match s.app.barrier_model(&rc.ctx, id).await {
        Ok(m) => {
            let mut p = model_page(s, &rc, m, print, None);
            p.page.flash = flash.map(str::to_string);
            render(&p)
        }
        Err(e) => fail(s, &rc, e),
    }
}

pub async fn model(State(s): State<AppState>, AnyUser(rc): AnyUser, Path(raw): Path<String>, q: Result<Query<ModelQuery>, axum::extract::rejection::QueryRejection>) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let flash = (q.melding == "opgeslagen").then_some("Het barrièremodel is bijgewerkt.");
    show(&s, &rc, &raw, false, flash).await
}

pub async fn print(State(s): State<AppState>, AnyUser(rc): AnyUser, Path(raw): Path<String>) -> Response {
    show(&s, &rc, &raw, true, None).await
}

fn num(p: &Pairs, key: &str) -> i64 {
    one(p, key).trim().parse().unwrap_or(-1)
}

/// The small actions on the model page: move or remove a step, remove a part.
pub async fn act(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let id = match path_id(&raw, "kennisitem") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    let version = num(&p, "versie");
    let change = match one(&p, "actie").as_str() {
        "stap-eerder" => ModelChange::MoveStep { step: num(&p, "stap"), earlier: true, version },
        "stap-later" => ModelChange::MoveStep { step: num(&p, "stap"), earlier: false, version },
        "stap-verwijderen" => ModelChange::RemoveStep { step: num(&p, "stap"), version },
        "onderdeel-verwijderen" => ModelChange::RemovePart { part: num(&p, "onderdeel"), version },
        _ => return fail(&s, &rc, AppError::Invalid(knooppunt_domain::Invalid::one("actie", "Onbekende actie op het barrièremodel."))),
    };
    match s.app.change_barrier_model(&rc.ctx, id, &change).await {
        Ok(_) => see_other(&format!("/kennis/{id}/barrieremodel?melding=opgeslagen")),
        Err(AppError::Conflict(msg)) => match s.app.barrier_model(&rc.ctx, id).await {
            Ok(m) => render_status(StatusCode::CONFLICT, &model_page(&s, &rc, m, false, Some(msg))),
            Err(e) => fail(&s, &rc, e),
        },
        Err(e) => fail(&s, &rc, e),
    }
}

/// What the step and part forms hold.
#[derive(Default, Clone)]
pub struct PartForm {
    pub titel: String,
    pub omschrijving: String,
    pub onderdeel: String,
    pub actor: String,
    pub bewust: String,
    pub waargenomen: Vec<String>,
    pub interventietype: String,
    pub verantwoordelijke: String,
    pub grondslag: String,
}

#[derive(Template)]
#[template(path = "barrier_form.html")]
pub struct FormPage {
    pub page: Page,
    pub errors: FormErrors,
    pub id: i64,
    pub version: i64,
    pub model_title: String,
    /// The form posts here.
    pub action: String,
    /// A part form (else a step form).
    pub part: bool,
    pub form: PartForm,
    pub parts: Vec<(String, String)>,
    pub knowing: Vec<(String, String)>,
    pub partner_types: Vec<(String, String)>,
    pub responsible: Vec<(String, String)>,
    pub types: Vec<(String, String)>,
}

/// Which form: a new step, a step to change, or a new part of a step.
#[derive(Clone, Copy)]
enum Form {
    NewStep,
    Step(i64),
    Part(i64),
}

async fn form_page(s: &AppState, rc: &RequestCtx, id: i64, which: Form, form: Option<PartForm>, errors: FormErrors) -> Result<FormPage, AppError> {
    let m = s.app.barrier_model(&rc.ctx, id).await?;
    if !m.item.may_edit {
        return Err(AppError::Forbidden("alleen de kennisredactie van het LIEC wijzigt barrièremodellen, en niet als ze gearchiveerd zijn"));
    }
    let step = |sid: i64| m.steps.iter().find(|x| x.step.id == sid).map(|x| &x.step).ok_or(AppError::NotFound("stap"));
    let (title, action, part, initial) = match which {
        Form::NewStep => ("Stap toevoegen".to_string(), format!("/kennis/{id}/barrieremodel/stappen"), false, PartForm::default()),
        Form::Step(sid) => {
            let st = step(sid)?;
            (
                format!("Stap {} wijzigen", st.position),
                format!("/kennis/{id}/barrieremodel/stappen/{sid}"),
                false,
                PartForm { titel: st.title.clone(), omschrijving: st.description.clone(), ..PartForm::default() },
            )
        }
        Form::Part(sid) => {
            let st = step(sid)?;
            (
                format!("Onderdeel toevoegen aan stap {}: {}", st.position, st.title),
                format!("/kennis/{id}/barrieremodel/stappen/{sid}/onderdelen"),
                true,
                PartForm { onderdeel: "barriere".into(), ..PartForm::default() },
            )
        }
    };
    let (catalogue, _) = s.app.intervention_catalogue(&rc.ctx).await?;
    let mut types = vec![(String::new(), "Kies uit de catalogus (alleen bij een barrière)".to_string())];
    types.extend(catalogue.into_iter().map(|(code, name, ..)| (code, name)));
    let mut responsible = vec![(String::new(), "Kies (alleen bij een barrière)".to_string())];
    responsible.extend(PartnerType::ALL.iter().map(|p| (p.code().to_string(), p.label().to_string())));
    Ok(FormPage {
        page: page(s, rc, &title, "/kennis", None),
        errors,
        id,
        version: m.item.row.version,
        model_title: m.item.row.title.clone(),
        action,
        part,
        form: form.unwrap_or(initial),
        parts: BarrierPart::ALL.iter().map(|k| (k.code().to_string(), k.label().to_string())).collect(),
        knowing: vec![
            (String::new(), "Kies (alleen bij een facilitator)".into()),
            ("bewust".into(), "Bewust: weet waar hij aan meewerkt".into()),
            ("onbewust".into(), "Onbewust: wordt misbruikt".into()),
        ],
        partner_types: PartnerType::ALL.iter().map(|p| (p.code().to_string(), p.label().to_string())).collect(),
        responsible,
        types,
    })
}

async fn get_form(s: &AppState, rc: &RequestCtx, raw: &str, which: impl FnOnce() -> Result<Form, AppError>) -> Response {
    let (id, which) = match path_id(raw, "kennisitem").and_then(|id| which().map(|w| (id, w))) {
        Ok(x) => x,
        Err(e) => return fail(s, rc, e),
    };
    match form_page(s, rc, id, which, None, FormErrors::default()).await {
        Ok(p) => render(&p),
        Err(e) => fail(s, rc, e),
    }
}

async fn post_form(s: &AppState, rc: &RequestCtx, raw: &str, which: impl FnOnce() -> Result<Form, AppError>, p: &Pairs) -> Response {
    let (id, which) = match path_id(raw, "kennisitem").and_then(|id| which().map(|w| (id, w))) {
        Ok(x) => x,
        Err(e) => return fail(s, rc, e),
    };
    let form = PartForm {
        titel: one(p, "titel"),
        omschrijving: one(p, "omschrijving"),
        onderdeel: one(p, "onderdeel"),
        actor: one(p, "actor"),
        bewust: one(p, "bewust"),
        waargenomen: all(p, "waargenomenDoor"),
        interventietype: one(p, "interventietype"),
        verantwoordelijke: one(p, "verantwoordelijke"),
        grondslag: one(p, "grondslag"),
    };
    let version = num(p, "versie");
    let step = StepInput { title: form.titel.clone(), description: form.omschrijving.clone(), version };
    let change = match which {
        Form::NewStep => ModelChange::AddStep(step),
        Form::Step(sid) => ModelChange::EditStep(sid, step),
        Form::Part(sid) => ModelChange::AddPart(
            sid,
            PartInput {
                part: form.onderdeel.clone(),
                description: form.omschrijving.clone(),
                actor: form.actor.clone(),
                knowing: form.bewust.clone(),
                observed_by: form.waargenomen.clone(),
                intervention_type: form.interventietype.clone(),
                partner_type: form.verantwoordelijke.clone(),
                legal_basis: form.grondslag.clone(),
                version,
            },
        ),
    };
    match s.app.change_barrier_model(&rc.ctx, id, &change).await {
        Ok(_) => see_other(&format!("/kennis/{id}/barrieremodel?melding=opgeslagen")),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let (status, errors) = match &e {
                AppError::Conflict(msg) => (StatusCode::CONFLICT, FormErrors::one("omschrijving", msg)),
                _ => (StatusCode::BAD_REQUEST, FormErrors::from_app(&e).unwrap_or_default()),
            };
            match form_page(s, rc, id, which, Some(form), errors).await {
                Ok(p) => render_status(status, &p),
                Err(e) => fail(s, rc, e),
            }
        }
        Err(e) => fail(s, rc, e),
    }
}

pub async fn new_step_form(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>) -> Response {
    get_form(&s, &rc, &raw, || Ok(Form::NewStep)).await
}

pub async fn add_step(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    post_form(&s, &rc, &raw, || Ok(Form::NewStep), &p).await
}

pub async fn step_form(State(s): State<AppState>, Signed { rc, .. }: Signed, Path((raw, sid)): Path<(String, String)>) -> Response {
    get_form(&s, &rc, &raw, || path_id(&sid, "stap").map(Form::Step)).await
}

pub async fn edit_step(State(s): State<AppState>, Signed { rc, .. }: Signed, Path((raw, sid)): Path<(String, String)>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    post_form(&s, &rc, &raw, || path_id(&sid, "stap").map(Form::Step), &p).await
}

pub async fn part_form(State(s): State<AppState>, Signed { rc, .. }: Signed, Path((raw, sid)): Path<(String, String)>) -> Response {
    get_form(&s, &rc, &raw, || path_id(&sid, "stap").map(Form::Part)).await
}

pub async fn add_part(State(s): State<AppState>, Signed { rc, .. }: Signed, Path((raw, sid)): Path<(String, String)>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    post_form(&s, &rc, &raw, || path_id(&sid, "stap").map(Form::Part), &p).await
}
