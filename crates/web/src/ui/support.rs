//! UI of the specialist support: the list (with the overdue list and the LIEC's turnaround
//! targets) and the RIEC's form to ask, the Bibob advice period calculator, one request with its
//! messages, attachments and workflow steps, and the LIEC's form to offer an answer as a
//! question-and-answer item. Works without JavaScript.

use super::templates::Page;
use super::{fail, one, options, page, render_status, see_other, CsrfForm, FormErrors, Pairs, Signed, Submitted};
use crate::context::RequestCtx;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use knooppunt_app::support::{BibobInput, FaqDraft, FaqInput, SupportInput, SupportList, SupportQuery, SupportView};
use knooppunt_app::AppError;
use knooppunt_domain::support::{BibobPeriod, SupportDomain, SupportStatus, SupportStep};

/// How many suspension rows the forms offer.
pub const SUSPENSION_ROWS: usize = 3;

fn flash(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "gesteld" => "Uw vraag is naar het LIEC gestuurd. U krijgt een melding zodra het LIEC reageert.",
        "stap" => "Vastgelegd.",
        "bijlage" => "De bijlage is toegevoegd.",
        "doorlooptijd" => "De doorlooptijd is vastgesteld; ze geldt voor vragen die vanaf nu binnenkomen.",
        "kennisitem" => "Het antwoord is als vraag en antwoord aangeboden aan de kennisredactie; een andere redacteur publiceert het.",
        _ => return None,
    })
}

/// The Dutch names of a status, domain and step, for templates.
pub fn status_name(code: &str) -> &'static str {
    SupportStatus::parse(code).map(|s| s.label()).unwrap_or("Onbekend")
}
pub fn domain_name(code: &str) -> &'static str {
    SupportDomain::parse(code).map(|d| d.label()).unwrap_or("Onbekend")
}
/// What a message in the history is.
pub fn message_name(step: &str) -> &'static str {
    match SupportStep::parse(step) {
        Ok(SupportStep::Take) => "In behandeling genomen",
        Ok(SupportStep::AskInfo) => "Het LIEC vraagt meer informatie",
        Ok(SupportStep::GiveInfo) => "Informatie aangevuld",
        Ok(SupportStep::Answer) => "Antwoord van het LIEC",
        Ok(SupportStep::FollowUp) => "Vervolgvraag",
        Ok(SupportStep::Close) => "Gesloten",
        Ok(SupportStep::Withdraw) => "Ingetrokken",
        Err(_) => "Bericht",
    }
}

/// The suspension rows a form shows: those submitted, filled up to [`SUSPENSION_ROWS`].
fn suspension_rows(p: &[(String, String)]) -> Vec<(String, String)> {
    let froms: Vec<&str> = p.iter().filter(|(k, _)| k == "opschortingVan").map(|(_, v)| v.as_str()).collect();
    let untils: Vec<&str> = p.iter().filter(|(k, _)| k == "opschortingTot").map(|(_, v)| v.as_str()).collect();
    let n = froms.len().max(untils.len()).max(SUSPENSION_ROWS);
    (0..n).map(|i| (froms.get(i).unwrap_or(&"").to_string(), untils.get(i).unwrap_or(&"").to_string())).collect()
}

fn bibob_input(p: &Pairs) -> BibobInput {
    let froms = super::all(p, "opschortingVan");
    let untils = super::all(p, "opschortingTot");
    BibobInput {
        received: one(p, "ontvangenOp"),
        extension_weeks: one(p, "verlengingWeken"),
        suspensions: (0..froms.len().max(untils.len())).map(|i| (froms.get(i).cloned().unwrap_or_default(), untils.get(i).cloned().unwrap_or_default())).collect(),
    }
}

#[derive(Template)]
#[template(path = "support.html")]
pub struct ListPage {
    pub page: Page,
    pub l: SupportList,
    pub filter: Pairs,
    pub statuses: Vec<(String, String)>,
    pub domains: Vec<(String, String)>,
    pub filter_domains: Vec<(String, String)>,
    pub regions: Vec<(String, String)>,
    pub errors: FormErrors,
    /// `vraag` or `doorlooptijd`: the form the errors belong to.
    pub form: String,
    pub values: Pairs,
}

impl ListPage {
    pub fn value(&self, form: &str, key: &str) -> String {
        if self.form == form {
            one(&self.values, key)
        } else {
            String::new()
        }
    }
    /// The suspension rows of the calculator, as submitted.
    pub fn bibob_rows(&self) -> Vec<(String, String)> {
        suspension_rows(if self.form == "vraag" { &self.values } else { &[] })
    }
    pub fn filtered(&self, key: &str) -> String {
        one(&self.filter, key)
    }
}

fn query_of(filter: &Pairs) -> SupportQuery {
    let yes = |k: &str| one(filter, k) == "ja";
    let some = |k: &str| Some(one(filter, k)).filter(|v| !v.is_empty());
    SupportQuery { status: some("status"), domain: some("domein"), overdue: yes("teLaat"), open: yes("open") }
}

async fn list_page(s: &AppState, rc: &RequestCtx, filter: Pairs, notice: Option<&str>, submitted: Submitted, status: StatusCode) -> Response {
    let Submitted { errors, form, values } = submitted;
    let l = match s.app.support_requests(&rc.ctx, &query_of(&filter)).await {
        Ok(l) => l,
        Err(AppError::Invalid(i)) if form.is_empty() => {
            // A filter value that is not valid: the list without filters, with the message.
            let errors = FormErrors::from_app(&AppError::Invalid(i)).unwrap_or_default();
            return Box::pin(list_page(s, rc, Pairs::new(), None, Submitted::new("filter", errors, Pairs::new()), StatusCode::BAD_REQUEST)).await;
        }
        Err(e) => return fail(s, rc, e),
    };
    let regions = if l.asking.len() > 1 {
        std::iter::once((String::new(), "Kies de regio".to_string())).chain(l.asking.iter().map(|(id, n)| (id.to_string(), n.clone()))).collect()
    } else {
        Vec::new()
    };
    render_status(
        status,
        &ListPage {
            page: page(s, rc, "Ondersteuning door het LIEC", "/ondersteuning", notice),
            statuses: options(SupportStatus::ALL, SupportStatus::code, SupportStatus::label, Some("Alle statussen")),
            domains: options(SupportDomain::ALL, SupportDomain::code, SupportDomain::label, Some("Kies een domein")),
            filter_domains: options(SupportDomain::ALL, SupportDomain::code, SupportDomain::label, Some("Alle domeinen")),
            l,
            filter,
            regions,
            errors,
            form,
            values,
        },
    )
}

#[derive(serde::Deserialize)]
pub struct Notice {
    pub melding: Option<String>,
}

pub async fn list(State(s): State<AppState>, Signed { rc, .. }: Signed, Query(filter): Query<Pairs>) -> Response {
    let notice = flash(Some(one(&filter, "melding").as_str()));
    list_page(&s, &rc, filter, notice, Submitted::default(), StatusCode::OK).await
}

pub async fn ask(State(s): State<AppState>, Signed { rc, .. }: Signed, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let input = SupportInput {
        region_id: one(&p, "regioId").parse().ok(),
        domain: one(&p, "vraagDomein"),
        question: one(&p, "vraag"),
        case_reference: one(&p, "casusKenmerk"),
        desired_on: one(&p, "gewenstOp"),
        deadline_on: one(&p, "termijnOp"),
        bibob: bibob_input(&p),
    };
    match s.app.ask_support(&rc.ctx, &input).await {
        Ok(id) => see_other(&format!("/ondersteuning/{id}?melding=gesteld")),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => list_page(&s, &rc, Pairs::new(), None, Submitted::new("vraag", errors.renamed(&[("domein", "vraagDomein")]), p), StatusCode::BAD_REQUEST).await,
            None => fail(&s, &rc, e),
        },
    }
}

pub async fn set_target(State(s): State<AppState>, Signed { rc, .. }: Signed, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    match s.app.set_support_target(&rc.ctx, &one(&p, "doorlooptijdDomein"), &one(&p, "dagen")).await {
        Ok(()) => see_other("/ondersteuning?melding=doorlooptijd#doorlooptijden"),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => {
                list_page(&s, &rc, Pairs::new(), None, Submitted::new("doorlooptijd", errors.renamed(&[("domein", "doorlooptijdDomein")]), p), StatusCode::BAD_REQUEST).await
            }
            None => fail(&s, &rc, e),
        },
    }
}

#[derive(Template)]
#[template(path = "bibob.html")]
pub struct CalculatorPage {
    pub page: Page,
    pub result: Option<BibobPeriod>,
    pub errors: FormErrors,
    pub values: Pairs,
}

impl CalculatorPage {
    pub fn value(&self, key: &str) -> String {
        one(&self.values, key)
    }
    pub fn bibob_rows(&self) -> Vec<(String, String)> {
        suspension_rows(&self.values)
    }
}

/// The Bibob advice period calculator: a GET form; nothing is stored.
pub async fn calculator(State(s): State<AppState>, Signed { rc, .. }: Signed, Query(values): Query<Pairs>) -> Response {
    let input = bibob_input(&values);
    let (result, errors, status) = if input.is_empty() {
        (None, FormErrors::default(), StatusCode::OK)
    } else {
        match knooppunt_app::support::bibob(&input) {
            Ok(r) => (Some(r), FormErrors::default(), StatusCode::OK),
            Err(i) => (None, FormErrors::from_app(&AppError::Invalid(i)).unwrap_or_default(), StatusCode::BAD_REQUEST),
        }
    };
    render_status(status, &CalculatorPage { page: page(&s, &rc, "Bibob-termijn berekenen", "/ondersteuning", None), result, errors, values })
}

#[derive(Template)]
#[template(path = "support_request.html")]
pub struct DetailPage {
    pub page: Page,
    pub v: SupportView,
    pub errors: FormErrors,
    /// The step whose form has the errors, or `bijlage`.
    pub form: String,
    pub values: Pairs,
}

impl DetailPage {
    pub fn value(&self, form: &str, key: &str) -> String {
        if self.form == form {
            one(&self.values, key)
        } else {
            String::new()
        }
    }
    pub fn step_label(&self, step: &SupportStep) -> &'static str {
        step.label()
    }
    /// The error of the text of `step`'s form, when that form was sent back.
    pub fn error_of(&self, step: &SupportStep) -> Option<String> {
        (self.form == step.code()).then(|| self.errors.get("tekst").map(str::to_string)).flatten()
    }
    /// The label of a step's text.
    pub fn text_label(&self, step: &SupportStep) -> &'static str {
        match step {
            SupportStep::AskInfo => "Welke informatie het LIEC nog nodig heeft",
            SupportStep::GiveInfo => "De gevraagde informatie",
            SupportStep::Answer => "Uw antwoord",
            SupportStep::FollowUp => "Uw vervolgvraag",
            _ => "Toelichting",
        }
    }
}

async fn detail_page(s: &AppState, rc: &RequestCtx, id: i64, notice: Option<&str>, submitted: Submitted, status: StatusCode) -> Response {
    let Submitted { errors, form, values } = submitted;
    match s.app.support_request(&rc.ctx, id).await {
        Ok(v) => {
            let title = format!("Ondersteuningsvraag {}", v.row.reference);
            render_status(status, &DetailPage { page: page(s, rc, &title, "/ondersteuning", notice), v, errors, form, values })
        }
        Err(e) => fail(s, rc, e),
    }
}

pub async fn detail(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, Query(q): Query<Notice>) -> Response {
    match super::path_id(&raw, "ondersteuningsvraag") {
        Ok(id) => detail_page(&s, &rc, id, flash(q.melding.as_deref()), Submitted::new("", FormErrors::default(), Pairs::new()), StatusCode::OK).await,
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn step(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let id = match super::path_id(&raw, "ondersteuningsvraag") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    let step = one(&p, "stap");
    let version = one(&p, "versie").parse().unwrap_or(-1);
    match s.app.support_step(&rc.ctx, id, &step, version, &one(&p, "tekst")).await {
        Ok(()) => see_other(&format!("/ondersteuning/{id}?melding=stap")),
        Err(e @ AppError::Conflict(_)) => {
            let msg = e.to_string();
            detail_page(&s, &rc, id, None, Submitted::new(&step, FormErrors::one("verloop", &msg), p), StatusCode::CONFLICT).await
        }
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => detail_page(&s, &rc, id, None, Submitted::new(&step, errors, p), StatusCode::BAD_REQUEST).await,
            None => fail(&s, &rc, e),
        },
    }
}

pub async fn upload(State(s): State<AppState>, Signed { rc, session }: Signed, Path(raw): Path<String>, multipart: axum::extract::Multipart) -> Response {
    let id = match super::path_id(&raw, "ondersteuningsvraag") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    let (csrf, name, data) = match super::signals::read_upload(multipart).await {
        Ok(x) => x,
        Err(msg) => return detail_page(&s, &rc, id, None, Submitted::new("bijlage", FormErrors::one("bestand", &msg), Pairs::new()), StatusCode::BAD_REQUEST).await,
    };
    if let Some(refused) = super::signals::upload_csrf_refused(&s, &rc, &session, &csrf).await {
        return refused;
    }
    match s.app.add_support_attachment(&rc.ctx, id, &name, &data).await {
        Ok(_) => see_other(&format!("/ondersteuning/{id}?melding=bijlage#bijlagen")),
        Err(e @ AppError::Conflict(_)) => {
            let msg = e.to_string();
            detail_page(&s, &rc, id, None, Submitted::new("bijlage", FormErrors::one("bestand", &msg), Pairs::new()), StatusCode::CONFLICT).await
        }
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => detail_page(&s, &rc, id, None, Submitted::new("bijlage", errors, Pairs::new()), StatusCode::BAD_REQUEST).await,
            None => fail(&s, &rc, e),
        },
    }
}

pub async fn download(State(s): State<AppState>, Signed { rc, .. }: Signed, Path((raw, raw_aid)): Path<(String, String)>) -> Response {
    let (Ok(id), Ok(aid)) = (super::path_id(&raw, "ondersteuningsvraag"), raw_aid.parse::<i64>()) else {
        return fail(&s, &rc, AppError::NotFound("bijlage"));
    };
    match s.app.support_attachment(&rc.ctx, id, aid).await {
        Ok((meta, data)) => super::file_download(&meta.content_type, &meta.file_name, data),
        Err(e) => fail(&s, &rc, e),
    }
}

#[derive(Template)]
#[template(path = "support_faq.html")]
pub struct FaqPage {
    pub page: Page,
    pub id: i64,
    pub reference: String,
    pub draft: FaqDraft,
    pub audiences: Vec<(String, String)>,
    pub audience: String,
    pub errors: FormErrors,
}

async fn faq_page(s: &AppState, rc: &RequestCtx, id: i64, submitted: Option<(FaqInput, FormErrors)>) -> Response {
    let draft = match s.app.support_faq_draft(&rc.ctx, id).await {
        Ok(d) => d,
        Err(e) => return fail(s, rc, e),
    };
    let reference = draft.reference.clone();
    let audiences =
        vec![("netwerk".to_string(), "Netwerk (iedere ingelogde medewerker van een convenantpartner)".to_string()), ("openbaar".to_string(), "Openbaar (iedereen)".to_string())];
    let status = if submitted.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let (draft, audience, errors) = match submitted {
        Some((input, errors)) => (FaqDraft { title: input.title, question: input.question, answer: input.answer, ..draft }, input.audience, errors),
        None => (draft, "netwerk".to_string(), FormErrors::default()),
    };
    let title = format!("Antwoord op {reference} aanbieden als vraag en antwoord");
    render_status(status, &FaqPage { page: page(s, rc, &title, "/ondersteuning", None), id, reference, draft, audiences, audience, errors })
}

pub async fn faq_form(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>) -> Response {
    match super::path_id(&raw, "ondersteuningsvraag") {
        Ok(id) => faq_page(&s, &rc, id, None).await,
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn faq_offer(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let id = match super::path_id(&raw, "ondersteuningsvraag") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    let input = FaqInput { title: one(&p, "titel"), question: one(&p, "vraag"), answer: one(&p, "antwoord"), audience: one(&p, "publiek") };
    match s.app.offer_support_faq(&rc.ctx, id, &input).await {
        Ok(_) => see_other(&format!("/ondersteuning/{id}?melding=kennisitem")),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => faq_page(&s, &rc, id, Some((input, errors))).await,
            None => fail(&s, &rc, e),
        },
    }
}
