//! UI handlers, one per page or form.

use super::labels;
use super::templates::*;
use super::{csrf_cookie, fail, page, render, render_status, see_other, session_cookie, when, AnyUser, CsrfForm, FormErrors, Signed};
use crate::context::RequestCtx;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use knooppunt_app::auth::SecondFactor;
use knooppunt_app::network::{NewOrganisationInput, NewRegionInput};
use knooppunt_app::tokens::NewTokenInput;
use knooppunt_app::users::NewUserInput;
use knooppunt_app::views::{RegionRow, UserView};
use knooppunt_app::AppError;
use knooppunt_domain::{PartnerType, RegionKind, Role};
use knooppunt_policy::{decide, Action};
use serde::Deserialize;

fn flash(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "regio-aangemaakt" => "De regio is toegevoegd.",
        "regio-hernoemd" => "De naam van de regio is gewijzigd.",
        "regio-samengevoegd" => "De regio's zijn samengevoegd.",
        "gemeente-verplaatst" => "De gemeente is verplaatst.",
        "organisatie-aangemaakt" => "De organisatie is toegevoegd.",
        "gebruiker-aangemaakt" => "De gebruiker is toegevoegd.",
        "rol-toegekend" => "De rol is toegekend.",
        "rol-ingetrokken" => "De rol is ingetrokken.",
        "wachtwoord-hersteld" => "Het tijdelijke wachtwoord is ingesteld.",
        "status-gewijzigd" => "De status van het account is gewijzigd.",
        "tweede-factor-verwijderd" => "De tweede factor is verwijderd.",
        "token-ingetrokken" => "Het token is ingetrokken.",
        "wachtwoord-gewijzigd" => "Uw wachtwoord is gewijzigd.",
        "tweede-factor-ingesteld" => "Uw tweede factor is ingesteld.",
        "uitgelogd" => "U bent uitgelogd.",
        _ => return None,
    })
}

#[derive(Deserialize, Default)]
pub struct Notice {
    melding: Option<String>,
}

fn can(rc: &RequestCtx, action: Action) -> bool {
    rc.ctx.principal.as_ref().is_some_and(|p| decide(p, action).allowed)
}

fn opt(s: &str) -> Option<&str> {
    Some(s.trim()).filter(|s| !s.is_empty())
}

fn region_options(regions: &[RegionRow], empty: &str, riec_only: bool) -> Options {
    let mut o = vec![(String::new(), empty.to_string())];
    o.extend(regions.iter().filter(|r| r.active && (!riec_only || r.kind == RegionKind::Riec.code())).map(|r| (r.code.clone(), r.name.clone())));
    o
}

fn role_options() -> Options {
    let mut o = vec![(String::new(), "Kies een rol".to_string())];
    o.extend(Role::ALL.iter().map(|r| (r.code().to_string(), r.label().to_string())));
    o
}

fn kind_label(kind: &str) -> String {
    RegionKind::parse(kind).map(|k| k.label().to_string()).unwrap_or_else(|_| kind.to_string())
}

pub(super) fn role_label(role: &str, region: Option<&str>) -> String {
    let label = Role::parse(role).map(|r| r.label().to_string()).unwrap_or_else(|_| role.to_string());
    match region {
        Some(r) => format!("{label} ({r})"),
        None => label,
    }
}

// ---------- sign-in ----------

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    terug: Option<String>,
    verlopen: Option<String>,
    melding: Option<String>,
}

pub async fn login_form(State(s): State<AppState>, AnyUser(rc): AnyUser, headers: HeaderMap, Query(q): Query<LoginQuery>) -> Response {
    let existing = super::cookie(&headers, super::PRE_SESSION_CSRF_COOKIE).filter(|c| c.len() >= 32);
    let token = existing.clone().unwrap_or_else(|| s.app.new_trace().trace_id + &s.app.new_trace().trace_id);
    let mut p = page(&s, &rc, "Inloggen", "", flash(q.melding.as_deref()));
    p.csrf = token.clone();
    p.user = None;
    p.nav.clear();
    let notice = q.verlopen.as_ref().map(|_| "Uw sessie is verlopen. Meld u opnieuw aan.".to_string());
    let t = Login { page: p, errors: FormErrors::default(), username: String::new(), back: super::return_path(q.terug.as_deref()), notice };
    let mut r = render(&t);
    if existing.is_none() {
        r.headers_mut().insert(header::SET_COOKIE, csrf_cookie(&s, &token));
    }
    r
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    gebruikersnaam: String,
    #[serde(default)]
    wachtwoord: String,
    #[serde(default)]
    terug: String,
    #[serde(rename = "_csrf")]
    csrf: String,
}

pub async fn login(State(s): State<AppState>, AnyUser(rc): AnyUser, CsrfForm(f): CsrfForm<LoginForm>) -> Response {
    let mut errors = Vec::new();
    if f.gebruikersnaam.trim().is_empty() {
        errors.push(knooppunt_domain::FieldError::new("gebruikersnaam", "Vul uw gebruikersnaam in."));
    }
    if f.wachtwoord.is_empty() {
        errors.push(knooppunt_domain::FieldError::new("wachtwoord", "Vul uw wachtwoord in."));
    }
    let back = super::return_path(Some(&f.terug));
    let again = |errors: FormErrors, status: StatusCode| {
        let mut p = page(&s, &rc, "Inloggen", "", None);
        p.csrf = f.csrf.clone();
        p.user = None;
        p.nav.clear();
        render_status(status, &Login { page: p, errors, username: f.gebruikersnaam.clone(), back: back.clone(), notice: None })
    };
    if !errors.is_empty() {
        return again(FormErrors(errors), StatusCode::BAD_REQUEST);
    }
    match s.app.login(&rc.ctx, &f.gebruikersnaam, &f.wachtwoord).await {
        Ok(ok) => {
            let next = match ok.second_factor {
                SecondFactor::Done => back.clone(),
                SecondFactor::Pending => format!("/inloggen/tweede-factor?terug={}", super::return_query(&back)),
                SecondFactor::Enrol => "/account/tweede-factor".to_string(),
            };
            let max_age = s.app.config().session_absolute_ms / 1000;
            let mut r = Redirect::to(&next).into_response();
            r.headers_mut().insert(header::SET_COOKIE, session_cookie(&s, &ok.session_token, max_age));
            r
        }
        Err(e @ (AppError::LoginFailed | AppError::Throttled)) => {
            let status = if matches!(e, AppError::Throttled) { StatusCode::TOO_MANY_REQUESTS } else { StatusCode::UNAUTHORIZED };
            again(FormErrors::one("gebruikersnaam", &e.to_string()), status)
        }
        Err(e) => fail(&s, &rc, e),
    }
}

#[derive(Deserialize, Default)]
pub struct BackQuery {
    terug: Option<String>,
}

pub async fn second_factor_form(State(s): State<AppState>, AnyUser(rc): AnyUser, Query(q): Query<BackQuery>) -> Response {
    match rc.session.as_ref().map(|s| s.second_factor) {
        Some(SecondFactor::Pending) => {}
        Some(_) => return Redirect::to("/").into_response(),
        None => return Redirect::to("/inloggen").into_response(),
    }
    let t = SecondFactorPage { page: page(&s, &rc, "Tweede stap", "", None), errors: FormErrors::default(), back: super::return_path(q.terug.as_deref()) };
    render(&t)
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    terug: String,
}

pub async fn second_factor(State(s): State<AppState>, AnyUser(rc): AnyUser, CsrfForm(f): CsrfForm<CodeForm>) -> Response {
    let Some(token) = rc.session_token.clone() else { return Redirect::to("/inloggen").into_response() };
    match s.app.verify_second_factor(&rc.ctx, &token, &f.code).await {
        Ok(()) => Redirect::to(&super::return_path(Some(&f.terug))).into_response(),
        Err(e @ (AppError::SecondFactorFailed | AppError::Throttled)) => {
            let status = if matches!(e, AppError::Throttled) { StatusCode::TOO_MANY_REQUESTS } else { StatusCode::UNAUTHORIZED };
            let t = SecondFactorPage { page: page(&s, &rc, "Tweede stap", "", None), errors: FormErrors::one("code", &e.to_string()), back: super::return_path(Some(&f.terug)) };
            render_status(status, &t)
        }
        Err(e) => fail(&s, &rc, e),
    }
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn logout(State(s): State<AppState>, AnyUser(rc): AnyUser, CsrfForm(_): CsrfForm<Empty>) -> Response {
    if let Some(token) = &rc.session_token {
        if let Err(e) = s.app.logout(&rc.ctx, token).await {
            return fail(&s, &rc, e);
        }
    }
    let mut r = Redirect::to("/inloggen?melding=uitgelogd").into_response();
    r.headers_mut().insert(header::SET_COOKIE, session_cookie(&s, "", 0));
    r
}

pub async fn enrol_form(State(s): State<AppState>, Signed { rc, session }: Signed) -> Response {
    match s.app.new_totp_secret(&session.username) {
        Ok((secret, uri)) => render(&Enrol {
            page: page(&s, &rc, "Tweede factor instellen", "/account", None),
            errors: FormErrors::default(),
            secret,
            uri,
            required: session.second_factor == SecondFactor::Enrol,
        }),
        Err(e) => fail(&s, &rc, e),
    }
}

#[derive(Deserialize)]
pub struct EnrolForm {
    #[serde(default)]
    sleutel: String,
    #[serde(default)]
    code: String,
}

pub async fn enrol(State(s): State<AppState>, Signed { rc, session }: Signed, CsrfForm(f): CsrfForm<EnrolForm>) -> Response {
    let Some(token) = rc.session_token.clone() else { return Redirect::to("/inloggen").into_response() };
    match s.app.enrol_second_factor(&rc.ctx, &token, &f.sleutel, &f.code).await {
        Ok(()) => see_other("/account?melding=tweede-factor-ingesteld"),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => {
                let uri = format!("otpauth://totp/knooppunt:{}?secret={}&issuer=knooppunt&algorithm=SHA1&digits=6&period=30", session.username, f.sleutel);
                render_status(
                    StatusCode::BAD_REQUEST,
                    &Enrol {
                        page: page(&s, &rc, "Tweede factor instellen", "/account", None),
                        errors,
                        secret: f.sleutel,
                        uri,
                        required: session.second_factor == SecondFactor::Enrol,
                    },
                )
            }
            None => fail(&s, &rc, e),
        },
    }
}

// ---------- account ----------

async fn own(s: &AppState, rc: &RequestCtx) -> Result<UserView, AppError> {
    s.app.own_account(&rc.ctx).await
}

pub async fn account(State(s): State<AppState>, Signed { rc, session }: Signed, Query(n): Query<Notice>) -> Response {
    match own(&s, &rc).await {
        Ok(user) => render(&Account {
            page: page(&s, &rc, "Mijn account", "/account", flash(n.melding.as_deref())),
            errors: FormErrors::default(),
            user,
            must_change: session.must_change_password,
        }),
        Err(e) => fail(&s, &rc, e),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PasswordForm {
    #[serde(default)]
    huidig_wachtwoord: String,
    #[serde(default)]
    nieuw_wachtwoord: String,
    #[serde(default)]
    herhaal_wachtwoord: String,
}

pub async fn change_password(State(s): State<AppState>, Signed { rc, session }: Signed, CsrfForm(f): CsrfForm<PasswordForm>) -> Response {
    match s.app.change_own_password(&rc.ctx, rc.session_token.as_deref().unwrap_or(""), &f.huidig_wachtwoord, &f.nieuw_wachtwoord, &f.herhaal_wachtwoord).await {
        Ok(()) => see_other("/account?melding=wachtwoord-gewijzigd"),
        Err(e) => match (FormErrors::from_app(&e), own(&s, &rc).await) {
            (Some(errors), Ok(user)) => {
                render_status(StatusCode::BAD_REQUEST, &Account { page: page(&s, &rc, "Mijn account", "/account", None), errors, user, must_change: session.must_change_password })
            }
            _ => fail(&s, &rc, e),
        },
    }
}

// ---------- network ----------

pub async fn regions(State(s): State<AppState>, Signed { rc, .. }: Signed, Query(n): Query<Notice>) -> Response {
    regions_page(&s, &rc, FormErrors::default(), RegionForm::default(), flash(n.melding.as_deref()), StatusCode::OK).await
}

async fn regions_page(s: &AppState, rc: &RequestCtx, errors: FormErrors, form: RegionForm, notice: Option<&str>, status: StatusCode) -> Response {
    let rows = match s.app.list_regions(&rc.ctx).await {
        Ok(r) => r,
        Err(e) => return fail(s, rc, e),
    };
    let regions = rows
        .iter()
        .map(|r| RegionLine { code: r.code.clone(), name: r.name.clone(), kind_label: kind_label(&r.kind), status: if r.active { "actief".into() } else { "opgeheven".into() } })
        .collect();
    let kinds = RegionKind::ALL.iter().map(|k| (k.code().to_string(), k.label().to_string())).collect();
    let parents = region_options(&rows, "Geen", false);
    let t = Regions { page: page(s, rc, "Regio's", "/netwerk/regios", notice), regions, can_manage: can(rc, Action::ManageNetwork), errors, form, kinds, parents };
    render_status(status, &t)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegionCreateForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    naam: String,
    #[serde(default)]
    soort: String,
    #[serde(default)]
    bovenliggende_regio: String,
}

pub async fn create_region(State(s): State<AppState>, Signed { rc, .. }: Signed, CsrfForm(f): CsrfForm<RegionCreateForm>) -> Response {
    let input = NewRegionInput { code: f.code.clone(), name: f.naam.clone(), kind: f.soort.clone(), parent_code: opt(&f.bovenliggende_regio).map(String::from) };
    match s.app.create_region(&rc.ctx, &input).await {
        Ok(r) => see_other(&format!("/netwerk/regios/{}?melding=regio-aangemaakt", r.code)),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => {
                let form = RegionForm { code: f.code, name: f.naam, kind: f.soort, parent: f.bovenliggende_regio };
                regions_page(&s, &rc, errors, form, None, StatusCode::BAD_REQUEST).await
            }
            None => fail(&s, &rc, e),
        },
    }
}

pub async fn region(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(code): Path<String>, Query(n): Query<Notice>) -> Response {
    region_page(&s, &rc, &code, FormErrors::default(), String::new(), flash(n.melding.as_deref()), StatusCode::OK).await
}

async fn region_page(s: &AppState, rc: &RequestCtx, code: &str, errors: FormErrors, new_name: String, notice: Option<&str>, status: StatusCode) -> Response {
    let d = match s.app.region(&rc.ctx, code).await {
        Ok(d) => d,
        Err(e) => return fail(s, rc, e),
    };
    let all = s.app.list_regions(&rc.ctx).await.unwrap_or_default();
    let mut targets = vec![(String::new(), "Kies de doelregio".to_string())];
    targets.extend(all.iter().filter(|r| r.active && r.id != d.region.id && r.kind == d.region.kind).map(|r| (r.code.clone(), r.name.clone())));
    let t = RegionPage {
        page: page(s, rc, &d.region.name, "/netwerk/regios", notice),
        kind_label: kind_label(&d.region.kind),
        events: d.events.iter().map(|e| (when(e.at), e.event.clone(), e.detail.clone(), e.actor.clone())).collect(),
        region: d.region,
        parent: d.parent,
        merged_into: d.merged_into,
        municipalities: d.municipalities,
        organisations: d.organisations,
        can_manage: can(rc, Action::ManageNetwork),
        errors,
        new_name,
        targets,
    };
    render_status(status, &t)
}

#[derive(Deserialize)]
pub struct NameForm {
    #[serde(default)]
    naam: String,
}

pub async fn rename_region(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(code): Path<String>, CsrfForm(f): CsrfForm<NameForm>) -> Response {
    match s.app.rename_region(&rc.ctx, &code, &f.naam).await {
        Ok(_) => see_other(&format!("/netwerk/regios/{code}?melding=regio-hernoemd")),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => region_page(&s, &rc, &code, errors, f.naam, None, StatusCode::BAD_REQUEST).await,
            None => fail(&s, &rc, e),
        },
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MergeForm {
    #[serde(default)]
    doel_regio: String,
}

pub async fn merge_region(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(code): Path<String>, CsrfForm(f): CsrfForm<MergeForm>) -> Response {
    match s.app.merge_region(&rc.ctx, &code, &f.doel_regio).await {
        Ok(target) => see_other(&format!("/netwerk/regios/{}?melding=regio-samengevoegd", target.code)),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => region_page(&s, &rc, &code, errors, String::new(), None, StatusCode::BAD_REQUEST).await,
            None => fail(&s, &rc, e),
        },
    }
}

#[derive(Deserialize, Default)]
pub struct MunicipalityQuery {
    regio: Option<String>,
    zoek: Option<String>,
}

pub async fn municipalities(State(s): State<AppState>, Signed { rc, .. }: Signed, Query(q): Query<MunicipalityQuery>) -> Response {
    let all = match s.app.list_regions(&rc.ctx).await {
        Ok(r) => r,
        Err(e) => return fail(&s, &rc, e),
    };
    let region = q.regio.clone().unwrap_or_default();
    let mut errors = FormErrors::default();
    let region_filter = if region.is_empty() || all.iter().any(|r| r.code == region) {
        opt(&region)
    } else {
        errors = FormErrors::one("regio", "Deze regio bestaat niet.");
        None
    };
    match s.app.list_municipalities(&rc.ctx, region_filter, q.zoek.as_deref()).await {
        Ok(rows) => render(&Municipalities {
            page: page(&s, &rc, "Gemeenten", "/netwerk/regios", None),
            errors,
            regions: region_options(&all, "Alle regio's", true),
            region,
            text: q.zoek.unwrap_or_default(),
            rows,
        }),
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn municipality(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(cbs): Path<String>, Query(n): Query<Notice>) -> Response {
    municipality_page(&s, &rc, &cbs, FormErrors::default(), flash(n.melding.as_deref()), StatusCode::OK).await
}

async fn municipality_page(s: &AppState, rc: &RequestCtx, cbs: &str, errors: FormErrors, notice: Option<&str>, status: StatusCode) -> Response {
    let d = match s.app.municipality(&rc.ctx, cbs).await {
        Ok(d) => d,
        // A malformed code in the address is simply a page that does not exist.
        Err(AppError::Invalid(_)) => return fail(s, rc, AppError::NotFound("gemeente")),
        Err(e) => return fail(s, rc, e),
    };
    let all = s.app.list_regions(&rc.ctx).await.unwrap_or_default();
    let t = MunicipalityPage {
        page: page(s, rc, &format!("Gemeente {}", d.municipality.name), "/netwerk/regios", notice),
        history: d.history.iter().map(|h| (h.region_name.clone(), when(h.valid_from), h.valid_to.map(when).unwrap_or_else(|| "heden".into()))).collect(),
        muni: d.municipality,
        can_manage: can(rc, Action::ManageNetwork),
        errors,
        regions: region_options(&all, "Kies een regio", true),
    };
    render_status(status, &t)
}

#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    regio: String,
}

pub async fn move_municipality(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(cbs): Path<String>, CsrfForm(f): CsrfForm<MoveForm>) -> Response {
    match s.app.move_municipality(&rc.ctx, &cbs, &f.regio).await {
        Ok(d) => see_other(&format!("/netwerk/gemeenten/{}?melding=gemeente-verplaatst", d.municipality.cbs_code)),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => municipality_page(&s, &rc, &cbs, errors, None, StatusCode::BAD_REQUEST).await,
            None => fail(&s, &rc, e),
        },
    }
}

#[derive(Deserialize, Default)]
pub struct OrganisationQuery {
    regio: Option<String>,
    partnertype: Option<String>,
    melding: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct OrganisationForm {
    #[serde(default)]
    naam: String,
    #[serde(default)]
    partnertype: String,
    #[serde(default)]
    regio: String,
}

pub async fn organisations(State(s): State<AppState>, Signed { rc, .. }: Signed, Query(q): Query<OrganisationQuery>) -> Response {
    organisations_page(&s, &rc, &q, FormErrors::default(), OrganisationForm::default(), StatusCode::OK).await
}

async fn organisations_page(s: &AppState, rc: &RequestCtx, q: &OrganisationQuery, create_errors: FormErrors, form: OrganisationForm, status: StatusCode) -> Response {
    let all = match s.app.list_regions(&rc.ctx).await {
        Ok(r) => r,
        Err(e) => return fail(s, rc, e),
    };
    let region = q.regio.clone().unwrap_or_default();
    let partner_type = q.partnertype.clone().unwrap_or_default();
    let mut errors = FormErrors::default();
    let region_filter = if region.is_empty() || all.iter().any(|r| r.code == region) {
        opt(&region)
    } else {
        errors = FormErrors::one("regio", "Deze regio bestaat niet.");
        None
    };
    let type_filter = if partner_type.is_empty() || PartnerType::parse(&partner_type).is_ok() {
        opt(&partner_type)
    } else {
        errors = FormErrors::one("partnertype", "Dit partnertype bestaat niet.");
        None
    };
    let rows = match s.app.list_organisations(&rc.ctx, region_filter, type_filter, None).await {
        Ok(r) => r,
        Err(e) => return fail(s, rc, e),
    };
    let mut types = vec![(String::new(), "Alle partnertypen".to_string())];
    types.extend(PartnerType::ALL.iter().map(|p| (p.code().to_string(), p.label().to_string())));
    let mut new_types = vec![(String::new(), "Kies een partnertype".to_string())];
    new_types.extend(PartnerType::ALL.iter().filter(|p| **p != PartnerType::Gemeente).map(|p| (p.code().to_string(), p.label().to_string())));
    let t = Organisations {
        page: page(s, rc, "Organisaties", "/netwerk/regios", flash(q.melding.as_deref())),
        errors,
        regions: region_options(&all, "Alle regio's", false),
        region,
        types,
        partner_type,
        rows: rows
            .into_iter()
            .map(|o| {
                let kind = PartnerType::parse(&o.partner_type).map(|p| p.label().to_string()).unwrap_or(o.partner_type);
                let area = if o.national { "landelijk".to_string() } else { o.region_name.unwrap_or_default() };
                (o.name, kind, area)
            })
            .collect(),
        can_manage: can(rc, Action::ManageNetwork),
        create_errors,
        new_types,
        form_name: form.naam,
        form_type: form.partnertype,
        form_region: form.regio,
    };
    render_status(status, &t)
}

pub async fn create_organisation(State(s): State<AppState>, Signed { rc, .. }: Signed, CsrfForm(f): CsrfForm<OrganisationForm>) -> Response {
    let input = NewOrganisationInput { name: f.naam.clone(), partner_type: f.partnertype.clone(), region_code: opt(&f.regio).map(String::from) };
    match s.app.create_organisation(&rc.ctx, &input).await {
        Ok(_) => see_other("/netwerk/organisaties?melding=organisatie-aangemaakt"),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => organisations_page(&s, &rc, &OrganisationQuery::default(), errors, f, StatusCode::BAD_REQUEST).await,
            None => fail(&s, &rc, e),
        },
    }
}

// ---------- users ----------

fn user_lines(users: Vec<UserView>) -> Vec<UserLine> {
    users
        .into_iter()
        .map(|u| UserLine {
            id: u.id,
            roles: u.roles.iter().map(|r| role_label(&r.role, r.region_name.as_deref())).collect::<Vec<_>>().join(", "),
            status: if u.active { "actief".into() } else { "uitgeschakeld".into() },
            display_name: u.display_name,
            username: u.username,
            organisation: u.organisation_name,
        })
        .collect()
}

pub async fn users(State(s): State<AppState>, Signed { rc, .. }: Signed) -> Response {
    match s.app.list_users(&rc.ctx, None).await {
        Ok(list) => render(&Users {
            page: page(&s, &rc, "Gebruikers", "/beheer/gebruikers", None),
            errors: FormErrors::default(),
            text: String::new(),
            users: user_lines(list),
            can_manage: can(&rc, Action::ManageUsers),
        }),
        Err(e) => fail(&s, &rc, e),
    }
}

#[derive(Deserialize)]
pub struct SearchForm {
    #[serde(default)]
    zoek: String,
}

/// Searching people by name is a POST, so names stay out of addresses and logs.
pub async fn search_users(State(s): State<AppState>, Signed { rc, .. }: Signed, headers: HeaderMap, CsrfForm(f): CsrfForm<SearchForm>) -> Response {
    match s.app.list_users(&rc.ctx, opt(&f.zoek)).await {
        Ok(list) if headers.contains_key("hx-request") => render(&UserRows { users: user_lines(list) }),
        Ok(list) => render(&Users {
            page: page(&s, &rc, "Gebruikers", "/beheer/gebruikers", None),
            errors: FormErrors::default(),
            text: f.zoek,
            users: user_lines(list),
            can_manage: can(&rc, Action::ManageUsers),
        }),
        Err(e) => fail(&s, &rc, e),
    }
}

async fn organisation_options(s: &AppState, rc: &RequestCtx) -> Result<Options, AppError> {
    let orgs = s.app.list_organisations(&rc.ctx, None, None, None).await?;
    let mut o = vec![(String::new(), "Kies een organisatie".to_string())];
    o.extend(orgs.into_iter().map(|o| (o.id.to_string(), o.name)));
    Ok(o)
}

async fn new_user_page(s: &AppState, rc: &RequestCtx, errors: FormErrors, form: UserForm, status: StatusCode) -> Response {
    if !can(rc, Action::ManageUsers) {
        return fail(s, rc, AppError::Forbidden("alleen een beheerder mag dit"));
    }
    let (orgs, regions) = match (organisation_options(s, rc).await, s.app.list_regions(&rc.ctx).await) {
        (Ok(o), Ok(r)) => (o, r),
        (Err(e), _) | (_, Err(e)) => return fail(s, rc, e),
    };
    let t = NewUser {
        page: page(s, rc, "Gebruiker toevoegen", "/beheer/gebruikers", None),
        errors,
        form,
        organisations: orgs,
        roles: role_options(),
        regions: region_options(&regions, "Geen (landelijke rol)", false),
    };
    render_status(status, &t)
}

pub async fn new_user_form(State(s): State<AppState>, Signed { rc, .. }: Signed) -> Response {
    new_user_page(&s, &rc, FormErrors::default(), UserForm::default(), StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct UserCreateForm {
    #[serde(default)]
    gebruikersnaam: String,
    #[serde(default)]
    naam: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    organisatie: String,
    #[serde(default)]
    wachtwoord: String,
    #[serde(default)]
    rol: String,
    #[serde(default)]
    regio: String,
}

pub async fn create_user(State(s): State<AppState>, Signed { rc, .. }: Signed, CsrfForm(f): CsrfForm<UserCreateForm>) -> Response {
    let input = NewUserInput {
        username: f.gebruikersnaam.clone(),
        display_name: f.naam.clone(),
        email: f.email.clone(),
        organisation_id: f.organisatie.trim().parse().ok(),
        password: f.wachtwoord.clone(),
        roles: opt(&f.rol).map(|r| vec![(r.to_string(), opt(&f.regio).map(String::from))]).unwrap_or_default(),
        demo: false,
        temporary_password: true,
    };
    match s.app.create_user(&rc.ctx, &input).await {
        Ok(u) => see_other(&format!("/beheer/gebruikers/{}?melding=gebruiker-aangemaakt", u.id)),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => {
                let form = UserForm { username: f.gebruikersnaam, display_name: f.naam, email: f.email, organisation: f.organisatie, role: f.rol, region: f.regio };
                new_user_page(&s, &rc, errors, form, StatusCode::BAD_REQUEST).await
            }
            None => fail(&s, &rc, e),
        },
    }
}

async fn user_page(s: &AppState, rc: &RequestCtx, id: &str, errors: FormErrors, notice: Option<&str>, status: StatusCode) -> Response {
    let user = match super::path_id(id, "gebruiker") {
        Ok(id) => s.app.user(&rc.ctx, id).await,
        Err(e) => Err(e),
    };
    let user = match user {
        Ok(u) => u,
        Err(e) => return fail(s, rc, e),
    };
    let regions = s.app.list_regions(&rc.ctx).await.unwrap_or_default();
    let roles = user
        .roles
        .iter()
        .map(|r| {
            let code = r.region_id.and_then(|id| regions.iter().find(|g| g.id == id)).map(|g| g.code.clone()).unwrap_or_default();
            RoleLine { label: role_label(&r.role, r.region_name.as_deref()), role: r.role.clone(), region: code }
        })
        .collect();
    let t = UserPage {
        page: page(s, rc, &user.display_name, "/beheer/gebruikers", notice),
        user,
        roles,
        can_manage: can(rc, Action::ManageUsers),
        errors,
        role_options: role_options(),
        regions: region_options(&regions, "Geen (landelijke rol)", false),
    };
    render_status(status, &t)
}

pub async fn user(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(id): Path<String>, Query(n): Query<Notice>) -> Response {
    user_page(&s, &rc, &id, FormErrors::default(), flash(n.melding.as_deref()), StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    rol: String,
    #[serde(default)]
    regio: String,
}

async fn after_user_change(s: &AppState, rc: &RequestCtx, id: &str, result: Result<(), AppError>, done: &str) -> Response {
    match result {
        Ok(()) => see_other(&format!("/beheer/gebruikers/{id}?melding={done}")),
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => user_page(s, rc, id, errors, None, StatusCode::BAD_REQUEST).await,
            None => fail(s, rc, e),
        },
    }
}

pub async fn grant_role(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(id): Path<String>, CsrfForm(f): CsrfForm<RoleForm>) -> Response {
    let r = match super::path_id(&id, "gebruiker") {
        Ok(uid) => s.app.grant_role(&rc.ctx, uid, &f.rol, opt(&f.regio)).await.map(|_| ()),
        Err(e) => Err(e),
    };
    after_user_change(&s, &rc, &id, r, "rol-toegekend").await
}

pub async fn revoke_role(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(id): Path<String>, CsrfForm(f): CsrfForm<RoleForm>) -> Response {
    let r = match super::path_id(&id, "gebruiker") {
        Ok(uid) => s.app.revoke_role(&rc.ctx, uid, &f.rol, opt(&f.regio)).await.map(|_| ()),
        Err(e) => Err(e),
    };
    after_user_change(&s, &rc, &id, r, "rol-ingetrokken").await
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    wachtwoord: String,
}

pub async fn reset_password(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(id): Path<String>, CsrfForm(f): CsrfForm<ResetForm>) -> Response {
    let r = match super::path_id(&id, "gebruiker") {
        Ok(uid) => s.app.reset_password(&rc.ctx, uid, &f.wachtwoord).await,
        Err(e) => Err(e),
    };
    after_user_change(&s, &rc, &id, r, "wachtwoord-hersteld").await
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    actief: String,
}

pub async fn set_user_status(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(id): Path<String>, CsrfForm(f): CsrfForm<StatusForm>) -> Response {
    let active = match f.actief.as_str() {
        "ja" => Some(true),
        "nee" => Some(false),
        _ => None,
    };
    let r = match super::path_id(&id, "gebruiker") {
        Ok(uid) => s.app.set_user_active(&rc.ctx, uid, active).await.map(|_| ()),
        Err(e) => Err(e),
    };
    after_user_change(&s, &rc, &id, r, "status-gewijzigd").await
}

pub async fn reset_second_factor(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(id): Path<String>, CsrfForm(_): CsrfForm<Empty>) -> Response {
    let r = match super::path_id(&id, "gebruiker") {
        Ok(uid) => s.app.reset_second_factor(&rc.ctx, uid).await,
        Err(e) => Err(e),
    };
    after_user_change(&s, &rc, &id, r, "tweede-factor-verwijderd").await
}

// ---------- API tokens ----------

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct TokenForm {
    #[serde(default)]
    naam: String,
    #[serde(default)]
    organisatie: String,
    #[serde(default)]
    rol: String,
    #[serde(default)]
    regio: String,
    #[serde(default)]
    geldig_dagen: String,
}

async fn tokens_page(s: &AppState, rc: &RequestCtx, new_secret: Option<String>, errors: FormErrors, form: TokenForm, notice: Option<&str>, status: StatusCode) -> Response {
    let list = match s.app.list_tokens(&rc.ctx).await {
        Ok(l) => l,
        Err(e) => return fail(s, rc, e),
    };
    let (orgs, regions) = match (organisation_options(s, rc).await, s.app.list_regions(&rc.ctx).await) {
        (Ok(o), Ok(r)) => (o, r),
        (Err(e), _) | (_, Err(e)) => return fail(s, rc, e),
    };
    let now = s.app.now();
    let tokens = list
        .into_iter()
        .map(|t| TokenLine {
            id: t.token.id,
            name: t.token.name,
            organisation: t.token.organisation_name,
            roles: t.roles.iter().map(|r| role_label(&r.role, r.region_name.as_deref())).collect::<Vec<_>>().join(", "),
            status: match (t.token.revoked_at, t.token.expires_at, t.token.replaced_by) {
                (Some(at), _, _) => format!("ingetrokken op {}", when(at)),
                (None, Some(exp), Some(_)) => format!("vernieuwd; werkt nog tot {}", when(exp)),
                (None, None, Some(_)) => "vernieuwd; werkt tot het wordt ingetrokken".into(),
                (None, Some(exp), None) if exp <= now => format!("verlopen op {}", when(exp)),
                (None, Some(exp), None) if exp <= now + 30 * 86_400_000 => format!("verloopt op {}: vernieuw het", when(exp)),
                (None, Some(exp), None) => format!("geldig tot {}", when(exp)),
                (None, None, None) => "geldig".into(),
            },
            active: t.token.revoked_at.is_none() && t.token.expires_at.is_none_or(|exp| exp > now),
            renewable: t.token.revoked_at.is_none() && t.token.replaced_by.is_none(),
        })
        .collect();
    let t = Tokens {
        page: page(s, rc, "API-tokens", "/beheer/api-tokens", notice),
        tokens,
        new_secret,
        errors,
        organisations: orgs,
        roles: role_options(),
        regions: region_options(&regions, "Geen (landelijke rol)", false),
        form_name: form.naam,
        form_org: form.organisatie,
        form_role: form.rol,
        form_region: form.regio,
        form_days: form.geldig_dagen,
    };
    render_status(status, &t)
}

pub async fn tokens(State(s): State<AppState>, Signed { rc, .. }: Signed, Query(n): Query<Notice>) -> Response {
    tokens_page(&s, &rc, None, FormErrors::default(), TokenForm::default(), flash(n.melding.as_deref()), StatusCode::OK).await
}

pub async fn create_token(State(s): State<AppState>, Signed { rc, .. }: Signed, CsrfForm(f): CsrfForm<TokenForm>) -> Response {
    let days = opt(&f.geldig_dagen).map(|d| d.parse::<i64>());
    if let Some(Err(_)) = days {
        return tokens_page(&s, &rc, None, FormErrors::one("geldigDagen", "Vul een aantal dagen in, bijvoorbeeld 365."), f, None, StatusCode::BAD_REQUEST).await;
    }
    let input = NewTokenInput {
        name: f.naam.clone(),
        organisation_id: f.organisatie.trim().parse().ok(),
        roles: opt(&f.rol).map(|r| vec![(r.to_string(), opt(&f.regio).map(String::from))]).unwrap_or_default(),
        valid_days: days.and_then(Result::ok),
    };
    match s.app.create_token(&rc.ctx, &input).await {
        Ok((_, secret)) => tokens_page(&s, &rc, Some(secret), FormErrors::default(), TokenForm::default(), None, StatusCode::OK).await,
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => tokens_page(&s, &rc, None, errors, f, None, StatusCode::BAD_REQUEST).await,
            None => fail(&s, &rc, e),
        },
    }
}

pub async fn renew_token(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(id): Path<String>, CsrfForm(_): CsrfForm<Empty>) -> Response {
    let Ok(id) = id.parse::<i64>() else { return fail(&s, &rc, AppError::NotFound("API-token")) };
    match s.app.renew_token(&rc.ctx, id).await {
        Ok((_, secret)) => {
            tokens_page(
                &s,
                &rc,
                Some(secret),
                FormErrors::default(),
                TokenForm::default(),
                Some("Het token is vernieuwd. Het oude token werkt tot zijn einddatum; geef de partner het nieuwe."),
                StatusCode::OK,
            )
            .await
        }
        Err(e) => fail(&s, &rc, e),
    }
}

pub async fn revoke_token(State(s): State<AppState>, Signed { rc, .. }: Signed, Path(id): Path<String>, CsrfForm(_): CsrfForm<Empty>) -> Response {
    let Ok(id) = id.parse::<i64>() else { return fail(&s, &rc, AppError::NotFound("API-token")) };
    match s.app.revoke_token(&rc.ctx, id).await {
        Ok(()) => see_other("/beheer/api-tokens?melding=token-ingetrokken"),
        Err(e) => fail(&s, &rc, e),
    }
}

// ---------- audit ----------

#[derive(Deserialize, Default)]
pub struct ProcessingQuery {
    /// `ja`: only the exported or printed case files of the last days.
    #[serde(default)]
    exporten: String,
}

pub async fn processing(State(s): State<AppState>, Signed { rc, .. }: Signed, Query(q): Query<ProcessingQuery>) -> Response {
    let shown = |rows, heading: &str, caption: String| {
        render(&Processing {
            page: page(&s, &rc, "Verwerkingenlogboek", "/verwerkingen", None),
            errors: FormErrors::default(),
            kind: "bsn".into(),
            number: String::new(),
            rows,
            heading: heading.into(),
            caption,
            found: None,
        })
    };
    if q.exporten == "ja" {
        let days = knooppunt_app::work::ATTENTION_DAYS;
        return match s.app.processing_exports(&rc.ctx, s.app.now() - days * 86_400_000).await {
            Ok((lines, total)) => {
                let caption = format!(
                    "{} in de afgelopen {days} dagen{}",
                    labels::count(total, "verwerking", "verwerkingen"),
                    if total > lines.len() as i64 { format!(", de nieuwste {} getoond", lines.len()) } else { String::new() }
                );
                shown(processing_rows(lines), "Afgedrukte of geëxporteerde casusdossiers", caption)
            }
            Err(e) => fail(&s, &rc, e),
        };
    }
    match s.app.processing_lines(&rc.ctx, None, 200).await {
        Ok(lines) => {
            let caption = format!("Nieuwste {}", labels::count(lines.len(), "verwerking", "verwerkingen"));
            shown(processing_rows(lines), "Nieuwste verwerkingen", caption)
        }
        Err(e) => fail(&s, &rc, e),
    }
}

/// The processing of one data subject: a form post, so the identifier stays out of addresses,
/// history and access logs; pages are posts of the same form.
#[derive(serde::Deserialize)]
pub struct SubjectSearchForm {
    #[serde(default)]
    soort: String,
    #[serde(default)]
    nummer: String,
    #[serde(default)]
    pagina: String,
}

pub async fn processing_of_subject(State(s): State<AppState>, Signed { rc, .. }: Signed, CsrfForm(f): CsrfForm<SubjectSearchForm>) -> Response {
    let page_no = if f.pagina.trim().is_empty() { 0 } else { f.pagina.trim().parse::<i64>().unwrap_or(-1) };
    let q = knooppunt_app::auditlog::SubjectQuery { kind: f.soort.clone(), number: f.nummer.clone(), page: page_no };
    let shown = |errors: FormErrors, found: Option<SubjectFound>, status: StatusCode| {
        render_status(
            status,
            &Processing {
                page: page(&s, &rc, "Verwerkingenlogboek", "/verwerkingen", None),
                errors,
                kind: f.soort.clone(),
                number: f.nummer.clone(),
                rows: Vec::new(),
                heading: String::new(),
                caption: String::new(),
                found,
            },
        )
    };
    match s.app.processing_of_subject(&rc.ctx, &q).await {
        Ok(r) => {
            let pages = (r.total + r.page_size - 1) / r.page_size;
            let found = SubjectFound { records: r.records, total: r.total, page: r.page, pages, rows: processing_rows(r.lines) };
            shown(FormErrors::default(), Some(found), StatusCode::OK)
        }
        Err(e) => match FormErrors::from_app(&e) {
            Some(errors) => shown(errors, None, StatusCode::BAD_REQUEST),
            None => fail(&s, &rc, e),
        },
    }
}

fn processing_rows(lines: Vec<knooppunt_app::views::ProcessingLine>) -> Vec<ProcessingRow> {
    lines
        .into_iter()
        .map(|l| {
            (
                when(l.at),
                labels::activity(&l.activity_code),
                labels::humanise(&l.subject_type),
                l.subject_pseudonym.chars().take(16).collect(),
                l.actor,
                l.trace_id,
                labels::result(&l.status),
            )
        })
        .collect()
}
