//! UI of the LIEC's events: the list (coming and earlier, public ones also without signing in),
//! one event with registering and cancelling, the organiser's form to create and change an
//! event, and the attendee list with its CSV download. Works without JavaScript.

use super::knowledge::reader;
use super::templates::Page;
use super::{csv_field, fail, one, page, render_status, see_other, AnyUser, CsrfForm, FormErrors, Pairs, Signed};
use crate::context::RequestCtx;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use knooppunt_app::events::{Attendees, EventInput, EventList, EventView};
use knooppunt_app::AppError;
use knooppunt_domain::events::{EventAudience, EventKind, RegistrationStatus, Window};

fn flash(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "aangemaakt" => "De bijeenkomst is aangemaakt.",
        "gewijzigd" => "De bijeenkomst is gewijzigd.",
        "bevestigd" => "U bent aangemeld. U vindt uw aanmelding hier terug; afmelden kan tot de dag van de bijeenkomst.",
        "wachtlijst" => "De bijeenkomst is vol: u staat op de wachtlijst. Komt er een plaats vrij, dan krijgt u die vanzelf en een melding.",
        "afgemeld" => "U bent afgemeld.",
        _ => return None,
    })
}

/// The Dutch names of a kind, audience and registration status, for templates.
pub fn kind_name(code: &str) -> &'static str {
    EventKind::parse(code).map(|k| k.label()).unwrap_or("Bijeenkomst")
}
pub fn audience_name(code: &str) -> &'static str {
    match EventAudience::parse(code) {
        Ok(EventAudience::Public) => "Openbaar: iedereen kan de bijeenkomst zien; aanmelden na inloggen",
        _ => "Voor het netwerk: alleen voor aangemelde partners",
    }
}
pub fn registration_name(code: &str) -> &'static str {
    RegistrationStatus::parse(code).map(|s| s.label()).unwrap_or("Onbekend")
}

/// Places left, or that the event is full and how many wait.
pub fn places(e: &knooppunt_app::events::EventRow) -> String {
    let free = (e.capacity - e.confirmed).max(0);
    match (free, e.waiting) {
        (0, 0) => "Vol".into(),
        (0, w) => format!("Vol; {} op de wachtlijst", w),
        (1, _) => format!("1 plaats vrij van de {}", e.capacity),
        (f, _) => format!("{f} plaatsen vrij van de {}", e.capacity),
    }
}

/// When and where, in one line.
pub fn when_where(e: &knooppunt_app::events::EventRow) -> String {
    let day = super::labels::iso_day(&e.held_on);
    let place = match (e.online, e.place.is_empty()) {
        (true, true) => "online".to_string(),
        (true, false) => format!("{} en online", e.place),
        (false, _) => e.place.clone(),
    };
    format!("{day}, {} tot {} uur, {place}", e.starts_at, e.ends_at)
}

#[derive(Template)]
#[template(path = "events.html")]
pub struct ListPage {
    pub page: Page,
    pub l: EventList,
    pub past: bool,
}

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    eerder: String,
    #[serde(default)]
    melding: String,
}

pub async fn list(State(s): State<AppState>, AnyUser(rc): AnyUser, q: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>) -> Response {
    let rc = reader(&rc);
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let past = q.eerder == "ja";
    match s.app.events(&rc.ctx, past).await {
        Ok(l) => {
            let title = if past { "Eerdere bijeenkomsten" } else { "Bijeenkomsten" };
            render_status(StatusCode::OK, &ListPage { page: page(&s, &rc, title, "/bijeenkomsten", flash(Some(q.melding.as_str()))), l, past })
        }
        Err(e) => fail(&s, &rc, e),
    }
}

#[derive(Template)]
#[template(path = "event.html")]
pub struct DetailPage {
    pub page: Page,
    pub v: EventView,
    pub errors: FormErrors,
    pub remark: String,
}

impl DetailPage {
    pub fn window_text(&self) -> String {
        match self.v.window {
            Window::NotYet => format!("Aanmelden kan vanaf {}.", super::labels::iso_day(&self.v.row.opens_on)),
            Window::Open => format!("Aanmelden kan tot en met {}.", super::labels::iso_day(&self.v.row.closes_on)),
            Window::Closed => "Aanmelden is gesloten.".into(),
        }
    }
}

async fn detail_page(s: &AppState, rc: &RequestCtx, id: i64, notice: Option<&str>, errors: FormErrors, remark: String, status: StatusCode) -> Response {
    match s.app.event(&rc.ctx, id).await {
        Ok(v) => {
            let title = v.row.title.clone();
            render_status(status, &DetailPage { page: page(s, rc, &title, "/bijeenkomsten", notice), v, errors, remark })
        }
        Err(e) => fail(s, rc, e),
    }
}

#[derive(serde::Deserialize, Default)]
pub struct Notice {
    #[serde(default)]
    melding: String,
}

pub async fn detail(State(s): State<AppState>, AnyUser(rc): AnyUser, Path(raw): Path<String>, q: Result<Query<Notice>, axum::extract::rejection::QueryRejection>) -> Response {
    let rc = reader(&rc);
    let q = q.map(|Query(q)| q).unwrap_or_default();
    match super::path_id(&raw, "bijeenkomst") {
        Ok(id) => detail_page(&s, &rc, id, flash(Some(q.melding.as_str())), FormErrors::default(), String::new(), StatusCode::OK).await,
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn register(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let id = match super::path_id(&raw, "bijeenkomst") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    match s.app.register_for_event(&rc.ctx, id, &one(&p, "opmerking")).await {
        Ok(status) => see_other(&format!("/bijeenkomsten/{id}?melding={}#aanmelding", status.code())),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => detail_page(&s, &rc, id, None, errors, one(&p, "opmerking"), StatusCode::BAD_REQUEST).await,
            None => fail(&s, &rc, e),
        },
    }
}

pub async fn cancel(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, CsrfForm(_): CsrfForm<Pairs>) -> Response {
    let id = match super::path_id(&raw, "bijeenkomst") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    match s.app.cancel_event_registration(&rc.ctx, id).await {
        Ok(()) => see_other(&format!("/bijeenkomsten/{id}?melding=afgemeld")),
        Err(e) => fail(&s, &rc, e),
    }
}

#[derive(Template)]
#[template(path = "event_form.html")]
pub struct FormPage {
    pub page: Page,
    /// `None`: a new event; otherwise (id, version).
    pub existing: Option<(i64, i64)>,
    pub errors: FormErrors,
    pub values: Pairs,
    pub kinds: Vec<(String, String)>,
    pub audiences: Vec<(String, String)>,
}

impl FormPage {
    pub fn value(&self, key: &str) -> String {
        one(&self.values, key)
    }
}

fn form_page(s: &AppState, rc: &RequestCtx, existing: Option<(i64, i64)>, errors: FormErrors, values: Pairs, status: StatusCode) -> Response {
    let title = if existing.is_some() { "Bijeenkomst wijzigen" } else { "Nieuwe bijeenkomst" };
    let kinds = std::iter::once((String::new(), "Kies de soort".to_string())).chain(EventKind::ALL.iter().map(|k| (k.code().to_string(), k.label().to_string()))).collect();
    let audiences =
        vec![("netwerk".to_string(), "Netwerk: alleen partners die zijn ingelogd".to_string()), ("openbaar".to_string(), "Openbaar: iedereen ziet de bijeenkomst".to_string())];
    render_status(status, &FormPage { page: page(s, rc, title, "/bijeenkomsten", None), existing, errors, values, kinds, audiences })
}

fn input_of(p: &Pairs) -> EventInput {
    EventInput {
        kind: one(p, "soort"),
        title: one(p, "titel"),
        theme: one(p, "thema"),
        description: one(p, "beschrijving"),
        held_on: one(p, "datum"),
        starts_at: one(p, "begintijd"),
        ends_at: one(p, "eindtijd"),
        place: one(p, "plaats"),
        online: one(p, "online") == "ja",
        capacity: one(p, "capaciteit"),
        audience: one(p, "publiek"),
        opens_on: one(p, "aanmeldenVanaf"),
        closes_on: one(p, "aanmeldenTot"),
        erase_after_weeks: one(p, "bewaartermijnWeken"),
    }
}

fn pairs_of(i: &EventInput) -> Pairs {
    let mut p: Pairs = [
        ("soort", &i.kind),
        ("titel", &i.title),
        ("thema", &i.theme),
        ("beschrijving", &i.description),
        ("datum", &i.held_on),
        ("begintijd", &i.starts_at),
        ("eindtijd", &i.ends_at),
        ("plaats", &i.place),
        ("capaciteit", &i.capacity),
        ("publiek", &i.audience),
        ("aanmeldenVanaf", &i.opens_on),
        ("aanmeldenTot", &i.closes_on),
        ("bewaartermijnWeken", &i.erase_after_weeks),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    if i.online {
        p.push(("online".into(), "ja".into()));
    }
    p
}

pub async fn new_form(State(s): State<AppState>, Signed { rc, .. }: Signed) -> Response {
    let defaults = vec![("bewaartermijnWeken".to_string(), knooppunt_domain::events::DEFAULT_ERASE_WEEKS.to_string()), ("publiek".to_string(), "netwerk".to_string())];
    match s.app.events(&rc.ctx, false).await {
        Ok(l) if l.may_manage => form_page(&s, &rc, None, FormErrors::default(), defaults, StatusCode::OK),
        Ok(_) => fail(&s, &rc, AppError::Forbidden("alleen het LIEC organiseert bijeenkomsten")),
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn create(State(s): State<AppState>, Signed { rc, .. }: Signed, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    match s.app.create_event(&rc.ctx, &input_of(&p)).await {
        Ok(id) => see_other(&format!("/bijeenkomsten/{id}?melding=aangemaakt")),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => form_page(&s, &rc, None, errors, p, StatusCode::BAD_REQUEST),
            None => fail(&s, &rc, e),
        },
    }
}

pub async fn edit_form(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>) -> Response {
    let id = match super::path_id(&raw, "bijeenkomst") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    match s.app.event(&rc.ctx, id).await {
        Ok(v) if v.may_edit => form_page(&s, &rc, Some((id, v.row.version)), FormErrors::default(), pairs_of(&EventInput::of(&v.row)), StatusCode::OK),
        Ok(_) => fail(&s, &rc, AppError::Forbidden("alleen het LIEC organiseert bijeenkomsten")),
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn update(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>, CsrfForm(p): CsrfForm<Pairs>) -> Response {
    let id = match super::path_id(&raw, "bijeenkomst") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    let version = one(&p, "versie").parse().unwrap_or(-1);
    match s.app.update_event(&rc.ctx, id, version, &input_of(&p)).await {
        Ok(()) => see_other(&format!("/bijeenkomsten/{id}?melding=gewijzigd")),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => form_page(&s, &rc, Some((id, version)), errors, p, StatusCode::BAD_REQUEST),
            None => fail(&s, &rc, e),
        },
    }
}

#[derive(Template)]
#[template(path = "event_attendees.html")]
pub struct AttendeesPage {
    pub page: Page,
    pub a: Attendees,
}

pub async fn attendees(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>) -> Response {
    let id = match super::path_id(&raw, "bijeenkomst") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    match s.app.event_attendees(&rc.ctx, id, false).await {
        Ok(a) => {
            let title = format!("Deelnemers: {}", a.event.title);
            render_status(StatusCode::OK, &AttendeesPage { page: page(&s, &rc, &title, "/bijeenkomsten", None), a })
        }
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn attendees_csv(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(raw): Path<String>) -> Response {
    let id = match super::path_id(&raw, "bijeenkomst") {
        Ok(id) => id,
        Err(e) => return fail(&s, &rc, e),
    };
    match s.app.event_attendees(&rc.ctx, id, true).await {
        Ok(a) => {
            let mut out = String::from("naam;organisatie;e-mailadres;status;plaats op wachtlijst;opmerking\r\n");
            for r in &a.rows {
                let position = if r.position > 0 { r.position.to_string() } else { String::new() };
                let cells = [r.name.as_str(), r.organisation.as_str(), r.email.as_str(), registration_name(&r.status), position.as_str(), r.remark.as_str()];
                out.push_str(&cells.iter().map(|v| csv_field(v)).collect::<Vec<_>>().join(";"));
                out.push_str("\r\n");
            }
            let disposition = format!("attachment; filename=\"deelnemers-bijeenkomst-{id}.csv\"");
            ([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)], out).into_response()
        }
        Err(e) => fail(&s, &rc, e),
    }
}
