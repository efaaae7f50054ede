//! UI of the Landelijk Loket Bestuurlijke Signalen.

use super::templates::*;
use super::{fail, page, render, render_status, see_other, when, CsrfForm, FormErrors, Signed};
use crate::context::RequestCtx;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use knooppunt_app::signals::{SignalInput, StepInput};
use knooppunt_app::views::{Named, SignalContent, SignalRow};
use knooppunt_app::AppError;
use knooppunt_domain::policy_signal::SignalState;
use knooppunt_policy::signals::{decide_signal, SignalAction};
use serde::Deserialize;

fn day(ms: i64) -> String {
    super::labels::day(ms)
}

fn state_label(code: &str) -> String {
    SignalState::parse(code).map(|s| s.label().to_string()).unwrap_or_else(|_| code.to_string())
}

fn names(list: &[Named]) -> String {
    if list.is_empty() {
        "—".into()
    } else {
        list.iter().map(|n| n.name.as_str()).collect::<Vec<_>>().join(", ")
    }
}

fn options(list: &[Named]) -> Options {
    list.iter().map(|n| (n.code.clone(), n.name.clone())).collect()
}

fn flash(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "opgeslagen" => "Het signaal is opgeslagen.",
        "bericht" => "Uw bericht is geplaatst.",
        "stap" => "De stap is vastgelegd.",
        "bijlage" => "De bijlage is toegevoegd.",
        _ => return None,
    })
}

/// Form fields as pairs, so repeated checkboxes arrive as repeated keys.
use super::{all, one, Pairs};

fn input_from(p: &Pairs) -> SignalInput {
    SignalInput {
        content: SignalContent {
            title: one(p, "titel"),
            legal_process: one(p, "juridischProces"),
            weakness: one(p, "zwakkePlek"),
            structural: one(p, "structureel"),
            modus_operandi: one(p, "modusOperandi"),
            source_reference: one(p, "bron"),
            recommendations: one(p, "aanbevelingen"),
            feasibility: one(p, "haalbaarheid"),
            confidentiality: one(p, "vertrouwelijkheid"),
            contact: one(p, "contact"),
        },
        phenomena: all(p, "fenomenen"),
        ministries: all(p, "ministeries"),
    }
}

fn values_from(input: &SignalInput) -> SignalFormValues {
    let c = &input.content;
    SignalFormValues {
        title: c.title.clone(),
        legal_process: c.legal_process.clone(),
        weakness: c.weakness.clone(),
        modus_operandi: c.modus_operandi.clone(),
        structural: c.structural.clone(),
        recommendations: c.recommendations.clone(),
        feasibility: c.feasibility.clone(),
        source: c.source_reference.clone(),
        confidentiality: c.confidentiality.clone(),
        contact: c.contact.clone(),
        ministries: input.ministries.clone(),
        phenomena: input.phenomena.clone(),
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    status: Option<String>,
}

pub async fn list(State(s): State<AppState>, Signed { rc, session }: Signed, Query(q): Query<ListQuery>) -> Response {
    let state = q.status.clone().unwrap_or_default();
    let (errors, filter) = match SignalState::parse(&state) {
        Ok(_) => (FormErrors::default(), Some(state.as_str())),
        Err(_) if state.is_empty() => (FormErrors::default(), None),
        Err(m) => (FormErrors::one("status", &m), None),
    };
    match s.app.list_signals(&rc.ctx, filter).await {
        Ok(rows) => {
            let mut states = vec![(String::new(), "Alle statussen".to_string())];
            states.extend(SignalState::ALL.iter().map(|s| (s.code().to_string(), s.label().to_string())));
            render(&Signals {
                page: page(&s, &rc, "Bestuurlijke signalen", "/signalen", None),
                errors,
                can_create: decide_signal(&session.principal, SignalAction::Create, None).allowed,
                is_desk: knooppunt_policy::signals::is_desk(&session.principal),
                states,
                state,
                rows: rows
                    .into_iter()
                    .map(|r| SignalLine {
                        id: r.id,
                        reference: r.reference,
                        title: r.content.title,
                        state: state_label(&r.state),
                        organisation: r.organisation_name,
                        submitted: r.submitted_at.map(day).unwrap_or_else(|| "—".into()),
                    })
                    .collect(),
            })
        }
        Err(e) => fail(&s, &rc, e),
    }
}

/// Where a signal form posts to: a new signal, or an edit of a version.
struct Target {
    title: String,
    action: String,
    version: i64,
}

impl Target {
    fn new_signal() -> Self {
        Self { title: "Nieuw bestuurlijk signaal".into(), action: "/signalen".into(), version: 0 }
    }
}

async fn form_page(s: &AppState, rc: &RequestCtx, target: Target, form: SignalFormValues, errors: FormErrors, status: StatusCode) -> Response {
    let Target { title, action, version } = target;
    let title = title.as_str();
    let (ministries, phenomena) = match s.app.signal_reference(&rc.ctx).await {
        Ok(x) => x,
        Err(e) => return fail(s, rc, e),
    };
    let confidentiality = vec![("normaal".to_string(), "Normaal".to_string()), ("vertrouwelijk".to_string(), "Vertrouwelijk".to_string())];
    render_status(
        status,
        &SignalForm {
            page: page(s, rc, title, "/signalen", None),
            errors,
            action,
            version,
            form,
            ministries: options(&ministries),
            phenomena: options(&phenomena),
            confidentiality,
        },
    )
}

pub async fn new_form(State(s): State<AppState>, Signed { rc, session }: Signed) -> Response {
    let d = decide_signal(&session.principal, SignalAction::Create, None);
    if !d.allowed {
        return fail(&s, &rc, AppError::Forbidden(d.reason));
    }
    form_page(&s, &rc, Target::new_signal(), SignalFormValues::default(), FormErrors::default(), StatusCode::OK).await
}

pub async fn create(State(s): State<AppState>, Signed { rc, .. }: Signed, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let input = input_from(&p);
    match s.app.create_signal(&rc.ctx, &input).await {
        Ok(id) => see_other(&format!("/signalen/{id}?melding=opgeslagen")),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => form_page(&s, &rc, Target::new_signal(), values_from(&input), errors, StatusCode::BAD_REQUEST).await,
            None => fail(&s, &rc, e),
        },
    }
}

pub async fn edit_form(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>) -> Response {
    let d = match super::path_id(&raw, "signaal") {
        Ok(id) => s.app.signal(&rc.ctx, id).await,
        Err(e) => Err(e),
    };
    match d {
        Ok(d) if d.can_edit => {
            let input = SignalInput {
                content: d.signal.content.clone(),
                phenomena: d.phenomena.iter().map(|x| x.code.clone()).collect(),
                ministries: d.proposed.iter().map(|x| x.code.clone()).collect(),
            };
            let target = Target { title: format!("Bewerken: {}", d.signal.reference), action: format!("/signalen/{}/bewerken", d.signal.id), version: d.signal.version };
            form_page(&s, &rc, target, values_from(&input), FormErrors::default(), StatusCode::OK).await
        }
        Ok(_) => fail(&s, &rc, AppError::Forbidden("dit signaal kan niet meer worden gewijzigd")),
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn update(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let id = match super::path_id(&raw, "signaal") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    let input = input_from(&p);
    let version: i64 = one(&p, "versie").parse().unwrap_or(-1);
    match s.app.update_signal(&rc.ctx, id, &input, version).await {
        Ok(()) => see_other(&format!("/signalen/{id}?melding=opgeslagen")),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => {
                let target = Target { title: "Signaal bewerken".into(), action: format!("/signalen/{id}/bewerken"), version };
                form_page(&s, &rc, target, values_from(&input), errors, StatusCode::BAD_REQUEST).await
            }
            None => fail(&s, &rc, e),
        },
    }
}

#[derive(Deserialize, Default)]
pub struct Notice {
    melding: Option<String>,
}

async fn detail_page(s: &AppState, rc: &RequestCtx, id: i64, errors: FormErrors, notice: Option<&str>, status: StatusCode) -> Response {
    let d = match s.app.signal(&rc.ctx, id).await {
        Ok(d) => d,
        Err(e) => return fail(s, rc, e),
    };
    let full = d.view == knooppunt_policy::signals::SignalView::Full;
    let t = SignalPage {
        page: page(s, rc, &d.signal.content.title, "/signalen", notice),
        errors,
        state_label: state_label(&d.signal.state),
        full,
        overdue: d.overdue,
        phenomena: names(&d.phenomena),
        proposed: names(&d.proposed),
        offered: if d.offered.is_empty() { String::new() } else { names(&d.offered) },
        offered_at: d.signal.offered_at.map(day).unwrap_or_default(),
        due: if d.signal.state == SignalState::Offered.code() { d.signal.response_due_at.map(day) } else { None },
        response_at: d.signal.response_at.map(day).unwrap_or_default(),
        findings: d.personal_data.iter().map(|f| format!("{}: {}", f.kind, f.masked)).collect(),
        can_edit: d.can_edit,
        can_message: d.can_message,
        steps: d.steps.iter().map(|st| (st.code().to_string(), st.label().to_string())).collect(),
        similar: d.similar.iter().map(|x| (x.id, x.reference.clone(), x.title.clone(), (x.score * 100.0).round() as i64)).collect(),
        messages: d.messages.iter().map(|m| (m.author.clone(), m.from_desk, when(m.at), m.body.clone())).collect(),
        attachments: d.attachments.iter().map(|a| (a.id, a.file_name.clone(), format!("{} kB", (a.size + 1023) / 1024), a.sha256.chars().take(12).collect())).collect(),
        events: d.events.iter().map(|e| (when(e.at), state_label(&e.to_state), e.actor.clone(), e.note.clone())).collect(),
        s: d.signal,
    };
    render_status(status, &t)
}

pub async fn detail(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, Query(n): Query<Notice>) -> Response {
    match super::path_id(&raw, "signaal") {
        Ok(id) => detail_page(&s, &rc, id, FormErrors::default(), flash(n.melding.as_deref()), StatusCode::OK).await,
        Err(e) => fail(&s, &rc, e),
    }
}

fn step_input(p: &Pairs) -> StepInput {
    let step = one(p, "stap");
    StepInput {
        note: one(p, "toelichting"),
        confirm_personal_data: one(p, "bevestigPersoonsgegevens") == "ja",
        merge_into: one(p, "samenvoegenMet"),
        ministries: all(p, "ministeries"),
        text: if step == "aanbieden" { one(p, "brief") } else { one(p, "reactie") },
        date: one(p, "datum"),
        step,
    }
}

pub async fn step(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let id = match super::path_id(&raw, "signaal") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    let input = step_input(&p);
    match s.app.signal_step(&rc.ctx, id, &input).await {
        Ok(_) => see_other(&format!("/signalen/{id}?melding=stap")),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) if input.step == "aanbieden" => offer_page(&s, &rc, id, errors, &input).await,
            Some(errors) => detail_page(&s, &rc, id, errors, None, StatusCode::BAD_REQUEST).await,
            None => fail(&s, &rc, e),
        },
    }
}

pub async fn message(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let id = match super::path_id(&raw, "signaal") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    match s.app.post_signal_message(&rc.ctx, id, &one(&p, "bericht")).await {
        Ok(()) => see_other(&format!("/signalen/{id}?melding=bericht")),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => detail_page(&s, &rc, id, errors, None, StatusCode::BAD_REQUEST).await,
            None => fail(&s, &rc, e),
        },
    }
}

async fn offer_page(s: &AppState, rc: &RequestCtx, id: i64, errors: FormErrors, input: &StepInput) -> Response {
    let d = match s.app.signal(&rc.ctx, id).await {
        Ok(d) => d,
        Err(e) => return fail(s, rc, e),
    };
    if !d.steps.contains(&knooppunt_domain::policy_signal::SignalStep::Offer) {
        return fail(s, rc, AppError::Forbidden("dit signaal kan nu niet worden aangeboden"));
    }
    let (ministries, _) = match s.app.signal_reference(&rc.ctx).await {
        Ok(x) => x,
        Err(e) => return fail(s, rc, e),
    };
    let selected = if input.ministries.is_empty() { d.proposed.iter().map(|m| m.code.clone()).collect() } else { input.ministries.clone() };
    let letter = if input.text.is_empty() {
        match s.app.signal_letter(&rc.ctx, id, &selected).await {
            Ok(l) => l,
            Err(e) => return fail(s, rc, e),
        }
    } else {
        input.text.clone()
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let date = if input.date.is_empty() { day(s.app.now()) } else { input.date.clone() };
    render_status(
        status,
        &SignalOffer {
            page: page(s, rc, "Signaal aanbieden", "/signalen", None),
            errors,
            id,
            title: d.signal.content.title,
            ministries: options(&ministries),
            selected,
            date,
            letter,
        },
    )
}

pub async fn offer_form(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>) -> Response {
    match super::path_id(&raw, "signaal") {
        Ok(id) => offer_page(&s, &rc, id, FormErrors::default(), &StepInput::default()).await,
        Err(e) => fail(&s, &rc, e),
    }
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    jaar: Option<String>,
}

fn parse_year(q: &YearQuery) -> Result<Option<i32>, FormErrors> {
    match q.jaar.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(y) => y.parse::<i32>().ok().filter(|y| (2000..=2100).contains(y)).map(Some).ok_or_else(|| FormErrors::one("jaar", "Kies een jaar.")),
    }
}

pub async fn overview(State(s): State<AppState>, Signed { rc, .. }: Signed, Query(q): Query<YearQuery>) -> Response {
    let (year, errors) = match parse_year(&q) {
        Ok(y) => (y, FormErrors::default()),
        Err(e) => (None, e),
    };
    let all = match s.app.signals_overview(&rc.ctx, None).await {
        Ok(o) => o,
        Err(e) => return fail(&s, &rc, e),
    };
    let o = if year.is_some() {
        match s.app.signals_overview(&rc.ctx, year).await {
            Ok(o) => o,
            Err(e) => return fail(&s, &rc, e),
        }
    } else {
        all.clone()
    };
    let mut years = vec![(String::new(), "Alle jaren".to_string())];
    years.extend(all.by_year.iter().map(|(y, _)| (y.to_string(), y.to_string())));
    let table = |caption: &str, column: &str, rows: Vec<(String, usize)>| CountTable { caption: caption.into(), column: column.into(), rows };
    let tables = vec![
        table("Per status", "Status", o.by_state.clone()),
        table("Per ministerie (aangeboden)", "Ministerie", o.by_ministry.clone()),
        table("Per fenomeen", "Fenomeen", o.by_phenomenon.clone()),
        table("Per jaar", "Jaar", o.by_year.iter().map(|(y, n)| (y.to_string(), *n)).collect()),
        table("Terugkerende thema's in de zwakke plekken", "Term (gestemd)", o.recurring_terms.clone()),
    ];
    render(&SignalsOverview {
        page: page(&s, &rc, "Overzicht bestuurlijke signalen", "/signalen", None),
        errors,
        full: o.full,
        years,
        year: year.map(|y| y.to_string()).unwrap_or_default(),
        year_query: year.map(|y| format!("?jaar={y}")).unwrap_or_default(),
        total: o.total,
        avg_days: o.average_response_days.map(|d| format!("{d:.0}")),
        answered: o.answered,
        tables,
        overdue: o.overdue.iter().map(|r| (r.id, r.reference.clone(), r.content.title.clone(), r.response_due_at.map(day).unwrap_or_default())).collect(),
        rows: o.rows.iter().map(row_cells).collect(),
    })
}

fn row_cells(r: &SignalRow) -> (String, String, String, String, String, i64) {
    (r.reference.clone(), r.content.title.clone(), state_label(&r.state), r.offered_at.map(day).unwrap_or_default(), r.response_at.map(day).unwrap_or_default(), r.id)
}

use super::csv_field;

pub async fn overview_csv(State(s): State<AppState>, Signed { rc, .. }: Signed, Query(q): Query<YearQuery>) -> Response {
    let year = match parse_year(&q) {
        Ok(y) => y,
        Err(_) => return fail(&s, &rc, knooppunt_domain::Invalid::one("jaar", "Kies een jaar.").into()),
    };
    match s.app.signals_overview(&rc.ctx, year).await {
        Ok(o) => {
            let mut out = String::from("kenmerk;titel;status;organisatie;ingediend;aangeboden;reactie;reactietermijn_dagen\r\n");
            for r in &o.rows {
                let days = match (r.offered_at, r.response_at) {
                    (Some(a), Some(b)) => ((b - a) / 86_400_000).to_string(),
                    _ => String::new(),
                };
                let cells = [
                    csv_field(&r.reference),
                    csv_field(&r.content.title),
                    csv_field(&state_label(&r.state)),
                    csv_field(&r.organisation_name),
                    csv_field(&r.submitted_at.map(day).unwrap_or_default()),
                    csv_field(&r.offered_at.map(day).unwrap_or_default()),
                    csv_field(&r.response_at.map(day).unwrap_or_default()),
                    days,
                ];
                out.push_str(&cells.join(";"));
                out.push_str("\r\n");
            }
            ([(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CONTENT_DISPOSITION, "attachment; filename=\"bestuurlijke-signalen.csv\"")], format!("\u{feff}{out}"))
                .into_response()
        }
        Err(e) => fail(&s, &rc, e),
    }
}

async fn ministries_page(s: &AppState, rc: &RequestCtx, errors: FormErrors, code: String, name: String, notice: Option<&str>) -> Response {
    if !rc.ctx.principal.as_ref().is_some_and(|p| decide_signal(p, SignalAction::ManageMinistries, None).allowed) {
        return fail(s, rc, AppError::Forbidden("alleen het Loket Bestuurlijke Signalen"));
    }
    let (ministries, _) = match s.app.signal_reference(&rc.ctx).await {
        Ok(x) => x,
        Err(e) => return fail(s, rc, e),
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    render_status(
        status,
        &Ministries { page: page(s, rc, "Ministeries", "/signalen", notice), errors, rows: ministries.into_iter().map(|m| (m.code, m.name)).collect(), code, name },
    )
}

pub async fn ministries(State(s): State<AppState>, Signed { rc, .. }: Signed, Query(n): Query<Notice>) -> Response {
    let notice = match n.melding.as_deref() {
        Some("opgeslagen") => Some("Het ministerie is opgeslagen."),
        Some("opgeheven") => Some("Het ministerie is opgeheven."),
        _ => None,
    };
    ministries_page(&s, &rc, FormErrors::default(), String::new(), String::new(), notice).await
}

pub async fn save_ministry(State(s): State<AppState>, Signed { rc, .. }: Signed, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let (code, name) = (one(&p, "code"), one(&p, "naam"));
    match s.app.save_ministry(&rc.ctx, &code, &name).await {
        Ok(()) => see_other("/signalen/ministeries?melding=opgeslagen"),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => ministries_page(&s, &rc, errors, code, name, None).await,
            None => fail(&s, &rc, e),
        },
    }
}

pub async fn retire_ministry(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(code): Path<String>, CsrfForm(_): CsrfForm<Pairs>) -> Response {
    match s.app.retire_ministry(&rc.ctx, &code).await {
        Ok(()) => see_other("/signalen/ministeries?melding=opgeheven"),
        Err(e) => fail(&s, &rc, e),
    }
}

/// Reads a multipart upload: the CSRF field and the file `bestand`. Too large a body, a
/// missing file or a wrong token become Dutch messages.
pub(crate) async fn read_upload(multipart: axum::extract::Multipart) -> Result<(String, String, Vec<u8>), String> {
    let (pairs, file) = read_multipart_form(multipart).await?;
    match file {
        Some((name, data)) => Ok((super::one(&pairs, "_csrf"), name, data)),
        None => Err("Kies een bestand.".into()),
    }
}

/// A multipart form's text fields (the CSRF field among them) and its file in `bestand`, if
/// one was chosen.
pub(crate) async fn read_multipart_form(mut multipart: axum::extract::Multipart) -> Result<(super::Pairs, Option<(String, Vec<u8>)>), String> {
    let too_large = || format!("Het bestand is groter dan {} MB.", knooppunt_domain::attachment::MAX_ATTACHMENT_BYTES / (1024 * 1024));
    let mut pairs = super::Pairs::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            Err(_) => return Err("Het formulier kon niet worden gelezen.".into()),
        };
        let Some(key) = field.name().map(str::to_string) else { continue };
        if key == "bestand" {
            let name = field.file_name().unwrap_or_default().to_string();
            match field.bytes().await {
                Ok(b) if !name.is_empty() => file = Some((name, b.to_vec())),
                Ok(_) => {}
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
                Err(_) => return Err("Het bestand kon niet worden gelezen.".into()),
            }
        } else {
            match field.text().await {
                Ok(v) => pairs.push((key, v)),
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
                Err(_) => return Err("Het formulier kon niet worden gelezen.".into()),
            }
        }
    }
    Ok((pairs, file))
}

/// The answer to an upload whose CSRF field does not match the session's token (audited), or
/// `None` when it matches.
pub(crate) async fn upload_csrf_refused(s: &AppState, rc: &RequestCtx, session: &knooppunt_app::auth::SessionInfo, csrf: &str) -> Option<Response> {
    if !csrf.is_empty() && csrf == session.csrf_token {
        return None;
    }
    let _ = s.app.record_refusal(&rc.ctx, "csrf-controle", "upload zonder geldig CSRF-token").await;
    Some(super::error_response(s, rc, StatusCode::FORBIDDEN, Some("Dit formulier is verlopen of niet door knooppunt verstuurd. Laad de pagina opnieuw en probeer het nog eens.")))
}

pub async fn upload(State(s): State<AppState>, Signed { rc, session }: Signed, Path(raw): Path<String>, multipart: axum::extract::Multipart) -> Response {
    let id = match super::path_id(&raw, "signaal") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    let (csrf, name, data) = match read_upload(multipart).await {
        Ok(x) => x,
        Err(msg) => return detail_page(&s, &rc, id, FormErrors::one("bestand", &msg), None, StatusCode::BAD_REQUEST).await,
    };
    if let Some(refused) = upload_csrf_refused(&s, &rc, &session, &csrf).await {
        return refused;
    }
    match s.app.add_signal_attachment(&rc.ctx, id, &name, &data).await {
        Ok(_) => see_other(&format!("/signalen/{id}?melding=bijlage")),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => detail_page(&s, &rc, id, errors, None, StatusCode::BAD_REQUEST).await,
            None => fail(&s, &rc, e),
        },
    }
}

/// `attachment; filename="..."; filename*=UTF-8''...` with the name made safe for a header.
fn content_disposition(name: &str) -> String {
    let ascii: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_ ".contains(c) { c } else { '_' }).collect();
    let encoded: String = name.bytes().map(|b| if b.is_ascii_alphanumeric() || b".-_".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// A stored file as a download: its media type, a safe attachment disposition, and no copy in
/// any cache (an attachment may hold personal data).
pub(crate) fn file_download(content_type: &str, file_name: &str, data: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, content_type.to_string()), (header::CONTENT_DISPOSITION, content_disposition(file_name)), (header::CACHE_CONTROL, "no-store".to_string())], data)
        .into_response()
}

pub async fn download(State(s): State<AppState>, Signed { rc, .. }: Signed, Path((raw, raw_aid)): Path<(String, String)>) -> Response {
    let (Ok(id), Ok(aid)) = (super::path_id(&raw, "signaal"), raw_aid.parse::<i64>()) else {
        return fail(&s, &rc, AppError::NotFound("bijlage"));
    };
    match s.app.signal_attachment(&rc.ctx, id, aid).await {
        Ok((meta, data)) => file_download(&meta.content_type, &meta.file_name, data),
        Err(e) => fail(&s, &rc, e),
    }
}
