//! The Dutch, server-rendered UI. Works without JavaScript; htmx only enhances (live filters).
//!
//! Handlers are thin: they parse the form, call a use case with the request's `Ctx`, and render
//! the result or the errors. Access is decided by the use cases; the navigation only asks the
//! policy crate which links to show.

mod approaches;
mod auditlog;
mod barriers;
mod cases;
mod charts;
mod events;
mod fieldlab_phases;
mod fieldlabs;
mod figures;
pub(crate) mod labels;
mod logs;
mod magazine;
mod notifications;
mod pages;
mod register;
mod report;
mod subject_request_answer;
pub(crate) use subject_request_answer::answer_document as answer_pdf_document;
pub(crate) use subject_request_answer::archive_note;
mod knowledge;
mod retention;
mod search;
mod sheets;
mod signals;
mod steering;
mod subject_requests;
mod support;
mod tables;
mod taxonomy;
mod templates;
mod treffers;
mod work;

pub(crate) use signals::{file_download, read_upload};

use crate::context::{cookie, RequestCtx, SESSION_COOKIE};
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use knooppunt_app::auth::{SecondFactor, SessionInfo};
use knooppunt_app::AppError;
use knooppunt_domain::FieldError;
use knooppunt_policy::{decide, Action};
use serde::de::DeserializeOwned;
use std::sync::Arc;
use templates::{ErrorPage, NavLink, NavUser, Page};

pub(crate) const PRE_SESSION_CSRF_COOKIE: &str = "kp_csrf";

pub fn routes() -> Router<AppState> {
    use pages::*;
    Router::new()
        .route("/", get(work::home))
        .route("/escalaties", get(work::escalations))
        .route("/inloggen", get(login_form).post(login))
        .route("/inloggen/tweede-factor", get(second_factor_form).post(second_factor))
        .route("/uitloggen", post(logout))
        .route("/account", get(account))
        .route("/account/wachtwoord", post(change_password))
        .route("/account/tweede-factor", get(enrol_form).post(enrol))
        .route("/netwerk/regios", get(regions).post(create_region))
        .route("/netwerk/regios/{code}", get(region))
        .route("/netwerk/regios/{code}/naam", post(rename_region))
        .route("/netwerk/regios/{code}/samenvoegen", post(merge_region))
        .route("/netwerk/gemeenten", get(municipalities))
        .route("/netwerk/gemeenten/{cbs}", get(municipality))
        .route("/netwerk/gemeenten/{cbs}/regio", post(move_municipality))
        .route("/netwerk/organisaties", get(organisations).post(create_organisation))
        .route("/beheer/gebruikers", get(users).post(create_user))
        .route("/beheer/gebruikers/zoeken", post(search_users))
        .route("/beheer/gebruikers/nieuw", get(new_user_form))
        .route("/beheer/gebruikers/{id}", get(user))
        .route("/beheer/gebruikers/{id}/rollen", post(grant_role))
        .route("/beheer/gebruikers/{id}/rollen/intrekken", post(revoke_role))
        .route("/beheer/gebruikers/{id}/wachtwoord", post(reset_password))
        .route("/beheer/gebruikers/{id}/status", post(set_user_status))
        .route("/beheer/gebruikers/{id}/tweede-factor", post(reset_second_factor))
        .route("/beheer/api-tokens", get(tokens).post(create_token))
        .route("/beheer/api-tokens/{id}/intrekken", post(revoke_token))
        .route("/beheer/api-tokens/{id}/vernieuwen", post(renew_token))
        .route("/audit", get(auditlog::audit))
        .route("/audit.csv", get(auditlog::audit_csv))
        .route("/audit/controleren", post(auditlog::verify_audit))
        .route("/verwerkingen", get(processing).post(processing_of_subject))
        .route("/cijfers", get(figures::figures))
        .route("/cijfers/export/{code}", get(figures::figures_csv))
        .route("/cijfers/definities", get(figures::definitions))
        .route("/cijfers/definities/{code}", get(figures::definition))
        .route("/kennis", get(knowledge::list).post(knowledge::create))
        .route("/kennis/nieuw", get(knowledge::new_form))
        .route("/kennis/groepen", get(knowledge::groups).post(knowledge::create_group))
        .route("/kennis/synoniemen", get(search::list).post(search::create))
        .route("/kennis/synoniemen/{id}", post(search::save))
        .route("/kennis/synoniemen/{id}/verwijderen", post(search::delete))
        .route("/kennis/mijn-themas", get(knowledge::themes).post(knowledge::follow))
        .route("/kennis/{id}", get(knowledge::item).post(knowledge::update))
        .route("/kennis/{id}/wijzigen", get(knowledge::edit_form))
        .route("/kennis/{id}/stap", post(knowledge::step))
        .route("/kennis/{id}/barrieremodel", get(barriers::model).post(barriers::act))
        .route("/kennis/{id}/barrieremodel/afdruk", get(barriers::print))
        .route("/kennis/{id}/barrieremodel/stappen/nieuw", get(barriers::new_step_form))
        .route("/kennis/{id}/barrieremodel/stappen", post(barriers::add_step))
        .route("/kennis/{id}/barrieremodel/stappen/{sid}", get(barriers::step_form).post(barriers::edit_step))
        .route("/kennis/{id}/barrieremodel/stappen/{sid}/onderdelen", get(barriers::part_form).post(barriers::add_part))
        .route("/kennis/{id}/bijlagen", post(knowledge::upload).layer(axum::extract::DefaultBodyLimit::max(knooppunt_domain::attachment::MAX_ATTACHMENT_BYTES + 64 * 1024)))
        .route("/kennis/{id}/bijlagen/{aid}", get(knowledge::download))
        .route("/bijeenkomsten", get(events::list).post(events::create))
        .route("/bijeenkomsten/nieuw", get(events::new_form))
        .route("/bijeenkomsten/{id}", get(events::detail))
        .route("/bijeenkomsten/{id}/wijzigen", get(events::edit_form).post(events::update))
        .route("/bijeenkomsten/{id}/aanmelden", post(events::register))
        .route("/bijeenkomsten/{id}/afmelden", post(events::cancel))
        .route("/bijeenkomsten/{id}/deelnemers", get(events::attendees))
        .route("/bijeenkomsten/{id}/deelnemers.csv", get(events::attendees_csv))
        .route("/fieldlabs", get(fieldlabs::hub).post(fieldlabs::open))
        .route("/fieldlabs/fasen", get(fieldlab_phases::list).post(fieldlab_phases::add))
        .route("/fieldlabs/fasen/{code}", post(fieldlab_phases::change))
        .route("/fieldlabs/{id}", get(fieldlabs::lab).post(fieldlabs::act))
        .route("/fieldlabs/{id}/vastleggingen", post(fieldlabs::record).layer(axum::extract::DefaultBodyLimit::max(knooppunt_domain::attachment::MAX_ATTACHMENT_BYTES + 64 * 1024)))
        .route("/fieldlabs/{id}/bestanden/{fid}", get(fieldlabs::file))
        .route("/fieldlabs/{id}/experimenten/{eid}", get(fieldlabs::experiment).post(fieldlabs::experiment_act))
        .route("/code-geel", get(magazine::list).post(magazine::create))
        .route("/code-geel/{id}", get(magazine::edition))
        .route("/code-geel/{id}/wijzigen", post(magazine::update))
        .route("/code-geel/{id}/afdruk", get(magazine::print))
        .route("/code-geel/{id}/code-geel.pdf", get(magazine::pdf))
        .route("/code-geel/{id}/artikelen", post(magazine::add_article))
        .route("/code-geel/{id}/artikelen/{aid}/wijzigen", get(magazine::article_form).post(magazine::update_article))
        .route("/interventies", get(sheets::catalogue))
        .route("/interventies/{code}", get(sheets::sheet).post(sheets::save))
        .route("/fenomenen", get(taxonomy::overview))
        .route("/fenomenen/nieuw", get(taxonomy::new_term).post(taxonomy::add_term))
        .route("/fenomenen/speerpunten/{regio}", get(taxonomy::focus).post(taxonomy::set_focus))
        .route("/fenomenen/{soort}/{code}", get(taxonomy::edit_term).post(taxonomy::change_term))
        .route("/stuurgroep", get(steering::dashboard))
        .route("/stuurgroep/doelen", post(steering::add_objective))
        .route("/stuurgroep/besluiten", post(steering::record_decision))
        .route("/stuurgroep/knelpunten", post(steering::add_bottleneck))
        .route("/stuurgroep/knelpunten/{id}", get(steering::bottleneck).post(steering::change_bottleneck))
        .route("/stuurgroep/vergaderstuk.pdf", get(steering::meeting_pack_pdf))
        .route("/jaarverslag", get(report::reports))
        .route("/jaarverslag/{jaar}", get(report::report))
        .route("/jaarverslag/{jaar}/concept", get(report::draft))
        .route("/jaarverslag/{jaar}/vaststellen", post(report::adopt))
        .route("/jaarverslag/{jaar}/jaarverslag.pdf", get(report::report_pdf))
        .route("/jaarverslag/{jaar}/export/{code}", get(report::report_csv))
        .route("/verwerkingsregister", get(register::register))
        .route("/logboeken", get(logs::overview))
        .route("/verwerkingsregister.csv", get(register::register_csv))
        .route("/bewaartermijnen", get(retention::rules))
        .route("/bewaartermijnen/te-beoordelen", get(retention::due).post(retention::decide))
        .route("/bewaartermijnen/bewaarplichten/{id}/opheffen", post(retention::lift))
        .route("/bewaartermijnen/{code}", get(retention::rule_form).post(retention::rule_post))
        .route("/verzoeken-betrokkenen", get(subject_requests::list))
        .route("/verzoeken-betrokkenen/nieuw", get(subject_requests::new_form).post(subject_requests::register))
        .route("/verzoeken-betrokkenen/{id}", get(subject_requests::detail))
        .route("/verzoeken-betrokkenen/{id}/standpunt", post(subject_requests::position))
        .route("/verzoeken-betrokkenen/{id}/verlengen", post(subject_requests::extend))
        .route("/verzoeken-betrokkenen/{id}/afronden", post(subject_requests::close))
        .route("/verzoeken-betrokkenen/{id}/antwoord", get(subject_request_answer::answer))
        .route("/verzoeken-betrokkenen/{id}/antwoord.json", get(subject_request_answer::answer_json))
        .route("/verzoeken-betrokkenen/{id}/antwoord.pdf", get(subject_request_answer::answer_pdf))
        .route("/meldingen", get(notifications::list))
        .route("/meldingen/gelezen", post(notifications::read_all))
        .route("/meldingen/instelling", post(notifications::setting))
        .route("/meldingen/{id}", post(notifications::open))
        .route("/casussen", get(cases::list))
        .route("/casussen/nieuw", get(cases::register_form).post(cases::register))
        .route("/casussen/zoeken", get(cases::search_form).post(cases::search))
        .route("/casussen/screenen", get(treffers::screening_form).post(treffers::screening).layer(axum::extract::DefaultBodyLimit::max(6 * 1024 * 1024)))
        .route("/casussen/{id}", get(cases::detail))
        .route("/casussen/{id}/stap/{stap}", get(cases::step_form).post(cases::step_post))
        .route("/casussen/{id}/deelnemers/toelaten", get(cases::admit_form).post(cases::admit_post))
        .route("/casussen/{id}/deelnemers/{org}/verwijderen", get(cases::remove_form).post(cases::remove_post))
        .route("/casussen/{id}/team/toevoegen", get(cases::team_form).post(cases::team_post))
        .route("/casussen/{id}/betrokkenen/nieuw", get(cases::subject_form).post(cases::subject_post))
        .route("/casussen/{id}/betrokkenen.csv", get(cases::subjects_csv))
        .route("/casussen/{id}/relaties/nieuw", get(cases::relation_form).post(cases::relation_post))
        .route("/casussen/{id}/informatie/nieuw", get(cases::item_form).post(cases::item_post))
        .route("/casussen/{id}/informatie/{iid}", get(cases::item))
        .route("/casussen/{id}/informatie/{iid}/bewerken", get(cases::item_edit_form).post(cases::item_edit_post))
        .route("/casussen/{id}/informatie/{iid}/vrijgeven", post(cases::release))
        .route("/casussen/{id}/informatie/{iid}/intrekken", post(cases::withdraw))
        .route("/casussen/{id}/informatie/{iid}/terugtrekken", post(cases::withdraw_item))
        .route(
            "/casussen/{id}/informatie/{iid}/bijlagen",
            post(cases::upload).layer(axum::extract::DefaultBodyLimit::max(knooppunt_domain::attachment::MAX_ATTACHMENT_BYTES + 64 * 1024)),
        )
        .route("/casussen/{id}/informatie/{iid}/bijlagen/{aid}", get(cases::download))
        .route("/casussen/{id}/uitvragen/nieuw", get(cases::request_form).post(cases::request_post))
        .route("/casussen/{id}/uitvragen/{rid}/beantwoorden", get(cases::answer_form).post(cases::answer_post))
        .route("/casussen/{id}/uitvragen/{rid}/weigeren", get(cases::decline_form).post(cases::decline_post))
        .route("/casussen/{id}/advies/nieuw", get(cases::advice_form).post(cases::advice_post))
        .route("/casussen/{id}/advies/{n}/goedkeuren", post(cases::approve_advice))
        .route("/casussen/{id}/interventies/nieuw", get(cases::intervention_form).post(cases::intervention_post))
        .route("/casussen/{id}/interventies/{vid}", get(cases::update_intervention_form).post(cases::update_intervention_post))
        .route("/casussen/{id}/overleggen/nieuw", get(cases::meeting_form).post(cases::meeting_post))
        .route("/casussen/{id}/analyse", get(cases::analysis))
        .route("/casussen/{id}/dossier", get(cases::dossier))
        .route("/treffers", get(treffers::list))
        .route("/treffers/{id}", get(treffers::detail))
        .route("/treffers/{id}/beoordelen", post(treffers::review))
        .route("/treffers/{id}/delen", post(treffers::share))
        .route("/landelijke-aanpakken", get(approaches::list).post(approaches::open))
        .route("/landelijke-aanpakken/{id}", get(approaches::detail))
        .route("/landelijke-aanpakken/{id}/casussen", post(approaches::ask_case))
        .route("/landelijke-aanpakken/{id}/casussen/{casusId}/besluit", post(approaches::decide_case))
        .route("/landelijke-aanpakken/{id}/deelnemers", post(approaches::add_participant))
        .route("/landelijke-aanpakken/{id}/acties", post(approaches::add_action))
        .route("/landelijke-aanpakken/{id}/acties/{actieId}/gereed", post(approaches::finish_action))
        .route("/landelijke-aanpakken/{id}/voortgang", post(approaches::progress))
        .route("/ondersteuning", get(support::list).post(support::ask))
        .route("/ondersteuning/bibob-termijn", get(support::calculator))
        .route("/ondersteuning/doorlooptijden", post(support::set_target))
        .route("/ondersteuning/{id}", get(support::detail))
        .route("/ondersteuning/{id}/stap", post(support::step))
        .route("/ondersteuning/{id}/bijlagen", post(support::upload).layer(axum::extract::DefaultBodyLimit::max(knooppunt_domain::attachment::MAX_ATTACHMENT_BYTES + 64 * 1024)))
        .route("/ondersteuning/{id}/bijlagen/{aid}", get(support::download))
        .route("/ondersteuning/{id}/kennisitem", get(support::faq_form).post(support::faq_offer))
        .route("/fenomeentafels", get(tables::list).post(tables::open))
        .route("/fenomeentafels/{id}", get(tables::detail))
        .route("/fenomeentafels/{id}/status", post(tables::set_status))
        .route("/fenomeentafels/{id}/opdrachten", post(tables::add_mandate))
        .route("/fenomeentafels/{id}/leden", post(tables::add_member))
        .route("/fenomeentafels/{id}/leden/{lidId}/beeindigen", post(tables::end_member))
        .route("/fenomeentafels/{id}/overleggen", post(tables::add_meeting))
        .route("/fenomeentafels/{id}/acties", post(tables::add_action))
        .route("/fenomeentafels/{id}/acties/{actieId}/status", post(tables::action_status))
        .route("/fenomeentafels/{id}/acties/{actieId}/signaal", post(tables::action_signal))
        .route("/signalen", get(signals::list).post(signals::create))
        .route("/signalen/nieuw", get(signals::new_form))
        .route("/signalen/overzicht", get(signals::overview))
        .route("/signalen/overzicht.csv", get(signals::overview_csv))
        .route("/signalen/ministeries", get(signals::ministries).post(signals::save_ministry))
        .route("/signalen/ministeries/{code}/opheffen", post(signals::retire_ministry))
        .route("/signalen/{id}", get(signals::detail))
        .route("/signalen/{id}/bewerken", get(signals::edit_form).post(signals::update))
        .route("/signalen/{id}/stap", post(signals::step))
        .route("/signalen/{id}/berichten", post(signals::message))
        .route("/signalen/{id}/aanbieden", get(signals::offer_form))
        .route("/signalen/{id}/bijlagen", post(signals::upload).layer(axum::extract::DefaultBodyLimit::max(knooppunt_domain::attachment::MAX_ATTACHMENT_BYTES + 64 * 1024)))
        .route("/signalen/{id}/bijlagen/{aid}", get(signals::download))
}

/// A form sent back with its errors: which form of the page (`form`), what was wrong, and what
/// was typed, so the page shows it again.
#[derive(Default)]
pub(crate) struct Submitted {
    pub errors: FormErrors,
    pub form: String,
    pub values: Pairs,
}

impl Submitted {
    pub fn new(form: &str, errors: FormErrors, values: Pairs) -> Self {
        Self { errors, form: form.into(), values }
    }
}

/// Form errors by field, for the error summary and the fields.
#[derive(Debug, Clone, Default)]
pub struct FormErrors(Vec<FieldError>);

pub struct SummaryItem<'a> {
    field: &'a str,
    pub message: &'a str,
}

impl SummaryItem<'_> {
    /// The id of the input to jump to: `rollen[0]` is the `rol` field in the forms.
    pub fn anchor(&self) -> &str {
        if self.field.starts_with("rollen[") {
            "rol"
        } else {
            self.field
        }
    }
}

impl FormErrors {
    pub fn from_app(e: &AppError) -> Option<Self> {
        match e {
            AppError::Invalid(inv) => Some(Self(inv.0.clone())),
            _ => None,
        }
    }
    pub fn one(field: &str, message: &str) -> Self {
        Self(vec![FieldError::new(field, message)])
    }
    pub fn push(&mut self, field: &str, message: &str) {
        self.0.push(FieldError::new(field, message));
    }
    /// The same errors on the page's own field names (`(app field, page field)`), for a page
    /// with two forms that share a field name.
    pub fn renamed(self, names: &[(&str, &str)]) -> Self {
        Self(self.0.into_iter().map(|e| names.iter().find(|(from, _)| *from == e.field).map_or(e.clone(), |(_, to)| FieldError::new(*to, &e.message))).collect())
    }
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|e| e.field == field || (field == "rol" && e.field.starts_with("rollen["))).map(|e| e.message.as_str())
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn all(&self) -> Vec<SummaryItem<'_>> {
        self.0.iter().map(|e| SummaryItem { field: &e.field, message: &e.message }).collect()
    }
}

/// An id from the address; anything else is "not found" (`what` names the object).
pub(crate) fn path_id(raw: &str, what: &'static str) -> Result<i64, AppError> {
    raw.parse::<i64>().map_err(|_| AppError::NotFound(what))
}

/// A fully signed-in user (second factor done). Anything less is redirected to the right step.
pub struct Signed {
    pub rc: RequestCtx,
    pub session: Arc<SessionInfo>,
}

impl FromRequestParts<AppState> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self, Self::Rejection> {
        let Some(rc) = parts.extensions.get::<RequestCtx>().cloned() else {
            return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
        };
        let path = parts.uri.path().to_string();
        let Some(session) = rc.session.clone() else {
            let to = if rc.session_expired {
                "/inloggen?verlopen=1".to_string()
            } else if path == "/" || parts.method != axum::http::Method::GET {
                "/inloggen".to_string()
            } else {
                format!("/inloggen?terug={}", return_query(&path))
            };
            return Err(Redirect::to(&to).into_response());
        };
        match session.second_factor {
            SecondFactor::Pending => return Err(Redirect::to("/inloggen/tweede-factor").into_response()),
            SecondFactor::Enrol if path != "/account/tweede-factor" => return Err(Redirect::to("/account/tweede-factor").into_response()),
            _ => {}
        }
        if session.must_change_password && !path.starts_with("/account") {
            return Err(Redirect::to("/account").into_response());
        }
        Ok(Signed { rc, session })
    }
}

/// The request's context, signed in or not.
pub struct AnyUser(pub RequestCtx);

impl FromRequestParts<AppState> for AnyUser {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<RequestCtx>().cloned().map(AnyUser).ok_or_else(|| StatusCode::INTERNAL_SERVER_ERROR.into_response())
    }
}

/// A form whose `_csrf` field matched the session's token (or, before sign-in, the
/// pre-session cookie). A mismatch is refused, audited, and changes nothing.
pub struct CsrfForm<T>(pub T);

#[derive(serde::Deserialize)]
struct CsrfField {
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let rc = req.extensions().get::<RequestCtx>().cloned();
        let pre = cookie(req.headers(), PRE_SESSION_CSRF_COOKIE);
        let Some(rc) = rc else { return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response()) };
        let bytes = match Bytes::from_request(req, state).await {
            Ok(b) => b,
            Err(e) => {
                let status = e.status();
                let msg = if status == StatusCode::PAYLOAD_TOO_LARGE { "Het formulier is te groot." } else { "Het formulier kon niet worden gelezen." };
                return Err(error_response(state, &rc, status, Some(msg)));
            }
        };
        let sent = serde_urlencoded::from_bytes::<CsrfField>(&bytes).map(|f| f.csrf).unwrap_or_default();
        let expected = match &rc.session {
            Some(s) => Some(s.csrf_token.clone()),
            None => pre,
        };
        if expected.as_deref().is_none_or(|e| e.is_empty() || e != sent) {
            let _ = state.app.record_refusal(&rc.ctx, "csrf-controle", "formulier zonder geldig CSRF-token").await;
            return Err(error_response(
                state,
                &rc,
                StatusCode::FORBIDDEN,
                Some("Dit formulier is verlopen of niet door knooppunt verstuurd. Laad de pagina opnieuw en probeer het nog eens."),
            ));
        }
        // Control and invisible characters are refused in every field, before anything reads them.
        let pairs = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes).unwrap_or_default();
        let bad: Vec<String> = pairs.iter().filter(|(_, v)| knooppunt_domain::text::unsafe_char_message(v).is_some()).map(|(k, _)| format!("'{k}'")).collect();
        if !bad.is_empty() {
            let msg = format!("Het veld {} bevat een besturingsteken of onzichtbaar teken. Haal het weg en verstuur het formulier opnieuw.", bad.join(", "));
            return Err(error_response(state, &rc, StatusCode::BAD_REQUEST, Some(&msg)));
        }
        match serde_urlencoded::from_bytes::<T>(&bytes) {
            Ok(v) => Ok(CsrfForm(v)),
            Err(_) => Err(error_response(state, &rc, StatusCode::BAD_REQUEST, Some("Het formulier is onvolledig of bevat onbekende waarden."))),
        }
    }
}

/// Builds the page frame: title, navigation by role, demo banner, CSRF token.
pub(crate) fn page(state: &AppState, rc: &RequestCtx, title: &str, current: &str, flash: Option<&str>) -> Page {
    let mut nav = Vec::new();
    let mut user = None;
    let mut csrf = String::new();
    if let Some(s) = rc.session.as_ref().filter(|s| s.second_factor == SecondFactor::Done) {
        let p = &s.principal;
        let mut add = |href: &str, label: &str| nav.push(NavLink { href: href.into(), label: label.into(), current: current == href });
        add("/", "Mijn werk");
        if knooppunt_policy::cases::can_register(p) {
            add("/casussen", "Casussen");
        }
        if !knooppunt_policy::cases::team_regions(p).is_empty() || knooppunt_policy::treffers::may_see_overview(p) {
            add("/treffers", "Treffers");
        }
        if !knooppunt_policy::cases::team_regions(p).is_empty()
            || knooppunt_policy::approaches::may_manage(p).allowed
            || (knooppunt_policy::in_network(p) && p.organisation_id.is_some())
        {
            add("/landelijke-aanpakken", "Landelijke aanpak");
        }
        add("/fenomeentafels", "Fenomeentafels");
        if knooppunt_policy::fieldlabs::scope(p).network() {
            add("/fieldlabs", "Field labs");
        }
        if !knooppunt_policy::support::scope(p).is_empty() {
            add("/ondersteuning", "Ondersteuning");
        }
        if !knooppunt_policy::figures::steering_boards(p).is_empty() {
            add("/stuurgroep", "Stuurgroep");
        }
        if knooppunt_policy::notifications::escalation_scope(p).is_some() {
            add("/escalaties", "Escalaties");
        }
        if knooppunt_policy::figures::figures_grant(p).is_some() {
            add("/cijfers", "Cijfers");
        }
        add("/jaarverslag", "Jaarverslag");
        add("/netwerk/regios", "Netwerk");
        add("/kennis", "Kennis");
        add("/fenomenen", "Fenomenen");
        add("/interventies", "Interventies");
        add("/bijeenkomsten", "Bijeenkomsten");
        add("/code-geel", "Code Geel");
        if knooppunt_policy::in_network(p) {
            add("/signalen", "Bestuurlijke signalen");
        }
        if decide(p, Action::ViewUsers).allowed {
            add("/beheer/gebruikers", "Gebruikers");
        }
        if decide(p, Action::ManageApiTokens).allowed {
            add("/beheer/api-tokens", "API-tokens");
        }
        if decide(p, Action::ViewAudit).allowed {
            add("/audit", "Auditlog");
        }
        if decide(p, Action::ViewProcessingLog).allowed {
            add("/verwerkingen", "Verwerkingenlogboek");
        }
        if knooppunt_policy::subject_requests::scope(p).is_some() {
            add("/verzoeken-betrokkenen", "Verzoeken van betrokkenen");
        }
        if knooppunt_policy::retention::retention_scope(p).is_some() {
            add("/bewaartermijnen", "Bewaartermijnen");
        }
        add("/account", "Mijn account");
    }
    if let Some(s) = &rc.session {
        let unread = (s.second_factor == SecondFactor::Done).then_some(s.unread_notifications);
        user = Some(NavUser { display_name: s.display_name.clone(), organisation: s.organisation_name.clone(), unread });
        csrf = s.csrf_token.clone();
    }
    Page { title: title.into(), demo: state.app.config().demo_mode, user, csrf, nav, flash: flash.map(String::from), version: state.config.version }
}

pub(crate) fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "Interne fout bij het opbouwen van de pagina.").into_response()
        }
    }
}

pub(crate) fn render_status<T: Template>(status: StatusCode, t: &T) -> Response {
    let mut r = render(t);
    if r.status() == StatusCode::OK {
        *r.status_mut() = status;
    }
    r
}

/// A Dutch error page for a status, with an optional specific message.
pub(crate) fn error_response(state: &AppState, rc: &RequestCtx, status: StatusCode, message: Option<&str>) -> Response {
    let (title, default) = match status.as_u16() {
        400 => ("Ongeldig verzoek", "Het verzoek kon niet worden verwerkt. Controleer de invoer en probeer het opnieuw."),
        401 => ("Niet aangemeld", "Meld u aan om verder te gaan."),
        403 => ("Geen toegang", "U heeft geen toegang tot deze pagina of actie."),
        404 => ("Pagina niet gevonden", "Deze pagina bestaat niet, of is niet voor u zichtbaar."),
        405 => ("Niet toegestaan", "Deze actie kan niet op deze manier worden uitgevoerd."),
        409 => ("Conflict", "De actie past niet bij de huidige toestand."),
        413 => ("Te groot", "Het verzoek is te groot."),
        415 => ("Onbekend formaat", "Het formaat van het verzoek wordt niet ondersteund."),
        429 => ("Te veel pogingen", "Te veel pogingen. Wacht even en probeer het dan opnieuw."),
        _ if status.is_server_error() => ("Er ging iets mis", "Er ging iets mis aan onze kant. Probeer het later opnieuw."),
        _ => ("Fout", "Het verzoek kon niet worden verwerkt."),
    };
    let t = ErrorPage { page: page(state, rc, title, "", None), message: message.unwrap_or(default).to_string() };
    render_status(status, &t)
}

/// Maps a use-case error that the handler did not handle itself to a page.
pub(crate) fn fail(state: &AppState, rc: &RequestCtx, e: AppError) -> Response {
    match e {
        AppError::Unauthenticated => Redirect::to("/inloggen").into_response(),
        AppError::Forbidden(reason) => error_response(state, rc, StatusCode::FORBIDDEN, Some(&format!("U heeft geen toegang: {reason}."))),
        AppError::NotFound(_) => error_response(state, rc, StatusCode::NOT_FOUND, None),
        AppError::Conflict(msg) => error_response(state, rc, StatusCode::CONFLICT, Some(&msg)),
        AppError::Throttled => error_response(state, rc, StatusCode::TOO_MANY_REQUESTS, None),
        AppError::Invalid(inv) => {
            let msg = inv.0.iter().map(|f| f.message.clone()).collect::<Vec<_>>().join(" ");
            error_response(state, rc, StatusCode::BAD_REQUEST, Some(&msg))
        }
        AppError::LoginFailed | AppError::SecondFactorFailed => error_response(state, rc, StatusCode::UNAUTHORIZED, Some(&e.to_string())),
        AppError::Unavailable => error_response(state, rc, StatusCode::SERVICE_UNAVAILABLE, Some(&e.to_string())),
        AppError::Internal(msg) => {
            tracing::error!(error = %msg, "internal error");
            error_response(state, rc, StatusCode::INTERNAL_SERVER_ERROR, None)
        }
    }
}

/// Redirect after a successful POST, with a message code for the next page.
pub(crate) fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

pub(crate) fn session_cookie(state: &AppState, value: &str, max_age_s: i64) -> HeaderValue {
    let secure = if state.config.tls { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_s}{secure}"))
        .unwrap_or_else(|_| HeaderValue::from_static("kp_sessie=; Path=/; Max-Age=0"))
}

pub(crate) fn csrf_cookie(state: &AppState, value: &str) -> HeaderValue {
    let secure = if state.config.tls { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{PRE_SESSION_CSRF_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict{secure}"))
        .unwrap_or_else(|_| HeaderValue::from_static("kp_csrf=; Path=/; Max-Age=0"))
}

pub(crate) use labels::when;

/// The one parser of return paths (`terug` after signing in): a local absolute path and nothing
/// else. It starts with one `/`, is not protocol-relative (`//`, `/\\`), and holds only visible
/// ASCII without a backslash — browsers drop tabs and newlines, so `/<TAB>/evil.example` would
/// be read as `//evil.example`, and a newline cannot go into a `Location` header. Anything else
/// returns to the start page.
pub(crate) fn return_path(raw: Option<&str>) -> String {
    match raw {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && p.bytes().all(|b| b.is_ascii_graphic() && b != b'\\') => p.to_string(),
        _ => "/".to_string(),
    }
}

/// One CSV cell: always quoted, quotes doubled, and never the start of a spreadsheet formula
/// (`knooppunt_domain::text::csv_safe`, full-width forms included).
/// A submitted form as its (name, value) pairs, in order (fields may repeat: checkboxes).
pub(crate) type Pairs = Vec<(String, String)>;

/// The first value of form field `key`; empty when absent.
/// A select's options from a coded list (code, label), after an empty `first` choice if given.
pub(crate) fn options<T: Copy>(all: &[T], code: impl Fn(T) -> &'static str, label: impl Fn(T) -> &'static str, first: Option<&str>) -> Vec<(String, String)> {
    first.map(|f| (String::new(), f.to_string())).into_iter().chain(all.iter().map(|x| (code(*x).to_string(), label(*x).to_string()))).collect()
}

pub(crate) fn one(p: &Pairs, key: &str) -> String {
    p.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default()
}

/// Every value of form field `key` (checkboxes).
pub(crate) fn all(p: &Pairs, key: &str) -> Vec<String> {
    p.iter().filter(|(k, _)| k == key).map(|(_, v)| v.clone()).collect()
}

pub(crate) fn csv_field(v: &str) -> String {
    format!("\"{}\"", knooppunt_domain::text::csv_safe(v).replace('"', "\"\""))
}

/// `path` as the value of the `terug` query parameter (percent-encoded).
pub(crate) fn return_query(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod return_path_tests {
    use super::{return_path, return_query};

    #[test]
    fn only_local_absolute_paths_come_back() {
        for ok in ["/", "/casussen/12", "/casussen?fase=casus&pagina=2", "/signalen/3#thread"] {
            assert_eq!(return_path(Some(ok)), ok);
        }
        for bad in [
            "//evil.example/x",
            "/\\evil.example",
            "/\t/evil.example/x",
            "/\n/evil.example",
            "/\r\nSet-Cookie: x=1",
            "/\u{7f}/evil.example",
            "/ /evil.example",
            "https://evil.example",
            "evil.example",
            "/caf\u{e9}",
            "",
        ] {
            assert_eq!(return_path(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(return_path(None), "/");
    }

    #[test]
    fn return_paths_survive_the_query_string() {
        assert_eq!(return_query("/casussen/12"), "/casussen/12");
        assert_eq!(return_query("/a b&c=%"), "/a%20b%26c%3D%25");
    }
}
