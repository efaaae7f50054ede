//! UI of the LIEC Field Lab Hub: every lab with its phase and results, the LIEC's form to open
//! one; a lab with its partners, its decisions and documents per phase, its experiments with
//! indicators, and the forms of the LIEC and the lab's organisations; one experiment with its
//! evaluation. Works without JavaScript.

use super::templates::Page;
use super::{fail, one, options, page, path_id, render_status, see_other, CsrfForm, FormErrors, Pairs, Signed, Submitted};
use crate::context::RequestCtx;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use knooppunt_app::fieldlabs::{ExperimentInput, ExperimentView, Hub, LabInput, LabView, ProductInput, RecordInput};
use knooppunt_app::AppError;
use knooppunt_domain::fieldlab::{EvaluationDesign, RecordKind, ScalingDecision};

fn flash(code: &str) -> Option<&'static str> {
    Some(match code {
        "geopend" => "Het field lab is geopend.",
        "fase" => "Het field lab is in de volgende fase.",
        "partner" => "De partner is toegevoegd.",
        "vastgelegd" => "Vastgelegd.",
        "experiment" => "Het experiment is opgeslagen.",
        "indicator" => "De indicator is opgeslagen.",
        "eindproduct" => "Het eindproduct is als kennisitem aangeboden aan de kennisredactie; een andere redacteur publiceert het.",
        _ => return None,
    })
}

pub fn design_name(code: &str) -> &'static str {
    EvaluationDesign::parse(code).map(|d| d.label()).unwrap_or("Onbekend")
}
pub fn scaling_name(code: &str) -> &'static str {
    ScalingDecision::parse(code).map(|d| d.label()).unwrap_or("Nog niet besloten")
}
pub fn record_name(code: &str) -> &'static str {
    RecordKind::parse(code).map(|d| d.label()).unwrap_or("Vastlegging")
}

#[derive(serde::Deserialize, Default)]
pub struct Notice {
    #[serde(default)]
    melding: String,
}

#[derive(Template)]
#[template(path = "fieldlabs.html")]
pub struct HubPage {
    pub page: Page,
    pub hub: Hub,
    pub regions: Vec<(String, String)>,
    pub organisations: Vec<(String, String)>,
    pub errors: FormErrors,
    pub values: Pairs,
}

impl HubPage {
    pub fn value(&self, key: &str) -> String {
        one(&self.values, key)
    }
}

async fn organisation_options(s: &AppState, rc: &RequestCtx, first: &str) -> Result<Vec<(String, String)>, AppError> {
    let orgs = s.app.list_organisations(&rc.ctx, None, None, None).await?;
    Ok(std::iter::once((String::new(), first.to_string())).chain(orgs.into_iter().map(|o| (o.id.to_string(), o.name))).collect())
}

async fn hub_page(s: &AppState, rc: &RequestCtx, notice: Option<&str>, errors: FormErrors, values: Pairs, status: StatusCode) -> Response {
    let hub = match s.app.field_labs(&rc.ctx).await {
        Ok(h) => h,
        Err(e) => return fail(s, rc, e),
    };
    let (regions, organisations) = if hub.may_manage {
        let regions = match s.app.list_regions(&rc.ctx).await {
            Ok(r) => {
                std::iter::once((String::new(), "Kies de regio".to_string())).chain(r.into_iter().filter(|r| r.kind == "riec" && r.active).map(|r| (r.code, r.name))).collect()
            }
            Err(e) => return fail(s, rc, e),
        };
        match organisation_options(s, rc, "Kies de organisatie").await {
            Ok(o) => (regions, o),
            Err(e) => return fail(s, rc, e),
        }
    } else {
        (Vec::new(), Vec::new())
    };
    render_status(status, &HubPage { page: page(s, rc, "LIEC Field Lab Hub", "/fieldlabs", notice), hub, regions, organisations, errors, values })
}

pub async fn hub(State(s): State<AppState>, Signed { rc, .. }: Signed, q: Result<Query<Notice>, axum::extract::rejection::QueryRejection>) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    hub_page(&s, &rc, flash(&q.melding), FormErrors::default(), Pairs::new(), StatusCode::OK).await
}

pub async fn open(State(s): State<AppState>, Signed { rc, .. }: Signed, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let input = LabInput {
        title: one(&p, "titel"),
        problem: one(&p, "probleem"),
        host_region: one(&p, "regio"),
        host_organisation_id: one(&p, "organisatieId").parse().ok(),
        researchers: one(&p, "onderzoekers"),
    };
    match s.app.open_field_lab(&rc.ctx, &input).await {
        Ok(id) => see_other(&format!("/fieldlabs/{id}?melding=geopend")),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => hub_page(&s, &rc, None, errors, p, StatusCode::BAD_REQUEST).await,
            None => fail(&s, &rc, e),
        },
    }
}

#[derive(Template)]
#[template(path = "fieldlab.html")]
pub struct LabPage {
    pub page: Page,
    pub v: LabView,
    pub organisations: Vec<(String, String)>,
    pub kinds: Vec<(String, String)>,
    pub designs: Vec<(String, String)>,
    pub interventions: Vec<(String, String)>,
    pub product_audiences: Vec<(String, String)>,
    pub errors: FormErrors,
    /// The form the errors belong to.
    pub form: String,
    pub values: Pairs,
}

impl LabPage {
    pub fn value(&self, form: &str, key: &str) -> String {
        if self.form == form {
            one(&self.values, key)
        } else {
            String::new()
        }
    }
    pub fn errors_for(&self, form: &str) -> bool {
        self.form == form
    }
}

async fn intervention_options(s: &AppState, rc: &RequestCtx) -> Result<Vec<(String, String)>, AppError> {
    let (types, _) = s.app.intervention_catalogue(&rc.ctx).await?;
    Ok(std::iter::once((String::new(), "Kies de interventie".to_string())).chain(types.into_iter().map(|t| (t.0, t.1))).collect())
}

async fn lab_page(s: &AppState, rc: &RequestCtx, id: i64, notice: Option<&str>, submitted: Submitted, status: StatusCode) -> Response {
    let Submitted { errors, form, values } = submitted;
    let v = match s.app.field_lab(&rc.ctx, id).await {
        Ok(v) => v,
        Err(e) => return fail(s, rc, e),
    };
    let organisations = if v.may_manage {
        match organisation_options(s, rc, "Kies de organisatie").await {
            Ok(o) => o,
            Err(e) => return fail(s, rc, e),
        }
    } else {
        Vec::new()
    };
    let interventions = if v.may_contribute {
        match intervention_options(s, rc).await {
            Ok(o) => o,
            Err(e) => return fail(s, rc, e),
        }
    } else {
        Vec::new()
    };
    let title = format!("Field lab: {}", v.row.title);
    render_status(
        status,
        &LabPage {
            page: page(s, rc, &title, "/fieldlabs", notice),
            v,
            organisations,
            kinds: options(RecordKind::ALL, RecordKind::code, RecordKind::label, Some("Kies besluit of document")),
            designs: options(EvaluationDesign::ALL, EvaluationDesign::code, EvaluationDesign::label, Some("Kies de opzet")),
            interventions,
            product_audiences: vec![("netwerk".to_string(), "Het netwerk".to_string()), ("openbaar".to_string(), "Iedereen".to_string())],
            errors,
            form,
            values,
        },
    )
}

pub async fn lab(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, q: Result<Query<Notice>, axum::extract::rejection::QueryRejection>) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    match path_id(&raw, "field lab") {
        Ok(id) => lab_page(&s, &rc, id, flash(&q.melding), Submitted::default(), StatusCode::OK).await,
        Err(e) => fail(&s, &rc, e),
    }
}

/// The record form (multipart: a decision or document with an optional file).
pub async fn record(State(s): State<AppState>, Signed { rc, session }: Signed, Path(raw): Path<String>, multipart: axum::extract::Multipart) -> Response {
    let id = match path_id(&raw, "field lab") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    let (p, file) = match super::signals::read_multipart_form(multipart).await {
        Ok(x) => x,
        Err(msg) => return lab_page(&s, &rc, id, None, Submitted::new("vastleggen", FormErrors::one("bestand", &msg), Pairs::new()), StatusCode::BAD_REQUEST).await,
    };
    if let Some(refused) = super::signals::upload_csrf_refused(&s, &rc, &session, &one(&p, "_csrf")).await {
        return refused;
    }
    let input = RecordInput { kind: one(&p, "soort"), title: one(&p, "titel"), body: one(&p, "tekst") };
    match s.app.add_field_lab_record(&rc.ctx, id, &input, file.as_ref().map(|(n, d)| (n.as_str(), d.as_slice()))).await {
        Ok(rid) => see_other(&format!("/fieldlabs/{id}?melding=vastgelegd#vastlegging-{rid}")),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => lab_page(&s, &rc, id, None, Submitted::new("vastleggen", errors, p), StatusCode::BAD_REQUEST).await,
            None => fail(&s, &rc, e),
        },
    }
}

/// A file of a decision or document.
pub async fn file(State(s): State<AppState>, Signed { rc, .. }: Signed, Path((raw, raw_fid)): Path<(String, String)>) -> Response {
    let (Ok(id), Ok(fid)) = (path_id(&raw, "field lab"), raw_fid.parse::<i64>()) else {
        return fail(&s, &rc, AppError::NotFound("bestand"));
    };
    match s.app.field_lab_file(&rc.ctx, id, fid).await {
        Ok((meta, data)) => super::file_download(&meta.content_type, &meta.file_name, data),
        Err(e) => fail(&s, &rc, e),
    }
}

fn experiment_input(p: &Pairs) -> ExperimentInput {
    ExperimentInput {
        hypothesis: one(p, "hypothese"),
        intervention_type: one(p, "interventietype"),
        place: one(p, "plaats"),
        starts_on: one(p, "vanaf"),
        ends_on: one(p, "tot"),
        design: one(p, "opzet"),
        dpia: one(p, "dpia") == "ja",
        lessons: one(p, "lessen"),
        scaling: one(p, "opschaling"),
    }
}

/// The forms of a lab's page: `actie` says which.
pub async fn act(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let id = match path_id(&raw, "field lab") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    let action = one(&p, "actie");
    let result = match action.as_str() {
        "fase" => s.app.set_field_lab_phase(&rc.ctx, id, one(&p, "versie").parse().unwrap_or(-1), &one(&p, "fase")).await.map(|()| "fase".to_string()),
        "partner" => match one(&p, "organisatieId").parse::<i64>() {
            Ok(org) => s.app.add_field_lab_partner(&rc.ctx, id, org, &one(&p, "rol")).await.map(|()| "partner".to_string()),
            Err(_) => Err(AppError::Invalid(knooppunt_domain::Invalid::one("organisatieId", "Kies een organisatie."))),
        },
        "experiment" => s.app.add_experiment(&rc.ctx, id, &experiment_input(&p)).await.map(|eid| format!("experiment#experiment-{eid}")),
        "eindproduct" => {
            let input = ProductInput { title: one(&p, "producttitel"), summary: one(&p, "samenvatting"), body: one(&p, "producttekst"), audience: one(&p, "publiek") };
            s.app.offer_field_lab_product(&rc.ctx, id, &input).await.map(|_| "eindproduct".to_string())
        }
        _ => Err(AppError::Invalid(knooppunt_domain::Invalid::one("actie", "Onbekende actie op het field lab."))),
    };
    match result {
        Ok(code) => see_other(&format!("/fieldlabs/{id}?melding={code}")),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => {
                let errors = if action == "eindproduct" { errors.renamed(&[("titel", "producttitel"), ("tekst", "producttekst")]) } else { errors };
                lab_page(&s, &rc, id, None, Submitted::new(&action, errors, p), StatusCode::BAD_REQUEST).await
            }
            None => fail(&s, &rc, e),
        },
    }
}

#[derive(Template)]
#[template(path = "fieldlab_experiment.html")]
pub struct ExperimentPage {
    pub page: Page,
    pub v: ExperimentView,
    pub designs: Vec<(String, String)>,
    pub scalings: Vec<(String, String)>,
    pub interventions: Vec<(String, String)>,
    pub errors: FormErrors,
    pub form: String,
    pub values: Pairs,
}

impl ExperimentPage {
    pub fn value(&self, form: &str, key: &str) -> String {
        if self.form == form {
            return one(&self.values, key);
        }
        if form != "experiment" {
            return String::new();
        }
        let f = &self.v.x.fields;
        match key {
            "hypothese" => f.hypothesis.clone(),
            "interventietype" => f.intervention_type.clone(),
            "plaats" => f.place.clone(),
            "vanaf" => f.starts_on.clone(),
            "tot" => f.ends_on.clone(),
            "opzet" => f.design.clone(),
            "dpia" if f.dpia => "ja".into(),
            "lessen" => f.lessons.clone(),
            "opschaling" => f.scaling.clone(),
            _ => String::new(),
        }
    }
    pub fn errors_for(&self, form: &str) -> bool {
        self.form == form
    }
}

async fn experiment_page(s: &AppState, rc: &RequestCtx, id: i64, eid: i64, submitted: Submitted, status: StatusCode) -> Response {
    let Submitted { errors, form, values } = submitted;
    let v = match s.app.field_lab_experiment(&rc.ctx, id, eid).await {
        Ok(v) => v,
        Err(e) => return fail(s, rc, e),
    };
    let interventions = match intervention_options(s, rc).await {
        Ok(o) => o,
        Err(e) => return fail(s, rc, e),
    };
    let title = format!("Experiment in field lab {}", v.lab.title);
    render_status(
        status,
        &ExperimentPage {
            page: page(s, rc, &title, "/fieldlabs", None),
            v,
            designs: options(EvaluationDesign::ALL, EvaluationDesign::code, EvaluationDesign::label, Some("Kies de opzet")),
            scalings: options(ScalingDecision::ALL, ScalingDecision::code, ScalingDecision::label, Some("Nog niet besloten")),
            interventions,
            errors,
            form,
            values,
        },
    )
}

fn ids(raw: &str, raw_eid: &str) -> Result<(i64, i64), AppError> {
    Ok((path_id(raw, "field lab")?, path_id(raw_eid, "experiment")?))
}

pub async fn experiment(State(s): State<AppState>, Signed { rc, .. }: Signed, Path((raw, raw_eid)): Path<(String, String)>) -> Response {
    match ids(&raw, &raw_eid) {
        Ok((id, eid)) => experiment_page(&s, &rc, id, eid, Submitted::default(), StatusCode::OK).await,
        Err(e) => fail(&s, &rc, e),
    }
}

/// The forms of an experiment's page: `actie` is `bijwerken`, `indicator` or `resultaat`.
pub async fn experiment_act(State(s): State<AppState>, Signed { rc, .. }: Signed, Path((raw, raw_eid)): Path<(String, String)>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let (id, eid) = match ids(&raw, &raw_eid) {
        Ok(ids) => ids,
        Err(e) => return fail(&s, &rc, e),
    };
    let action = one(&p, "actie");
    let result = match action.as_str() {
        "bijwerken" => s.app.update_experiment(&rc.ctx, id, eid, one(&p, "versie").parse().unwrap_or(-1), &experiment_input(&p)).await,
        "indicator" => s.app.add_indicator(&rc.ctx, id, eid, &one(&p, "indicator"), &one(&p, "nulmeting"), &one(&p, "resultaat")).await,
        "resultaat" => match one(&p, "indicatorId").parse::<i64>() {
            Ok(iid) => s.app.set_indicator_result(&rc.ctx, id, iid, &one(&p, "resultaat")).await,
            Err(_) => Err(AppError::NotFound("indicator")),
        },
        _ => Err(AppError::Invalid(knooppunt_domain::Invalid::one("actie", "Onbekende actie op het experiment."))),
    };
    match result {
        Ok(()) => see_other(&format!("/fieldlabs/{id}/experimenten/{eid}?melding=experiment")),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => {
                let (form, errors) = match action.as_str() {
                    "bijwerken" => ("experiment".to_string(), errors),
                    "resultaat" => {
                        let field = format!("resultaat-{}", one(&p, "indicatorId"));
                        (field.clone(), errors.renamed(&[("resultaat", field.as_str())]))
                    }
                    other => (other.to_string(), errors),
                };
                experiment_page(&s, &rc, id, eid, Submitted::new(&form, errors, p), StatusCode::BAD_REQUEST).await
            }
            None => fail(&s, &rc, e),
        },
    }
}
