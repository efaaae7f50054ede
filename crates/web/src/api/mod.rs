//! The JSON API under `/api/v1`, following the NL API Design Rules (see docs/API-DESIGN.md):
//! Dutch plural kebab-case resources, camelCase JSON, UTC timestamps, problem+json errors that
//! list every invalid field, bearer tokens, no personal data in URLs.

mod approaches;
mod cases;
mod network;
mod screening;
mod signals;
mod treffers;
mod users;
mod wire;

use crate::context::RequestCtx;
use crate::problem::{InvalidParam, Problem};
use crate::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi_json))
        .route("/regios", get(network::list_regions).post(network::create_region))
        .route("/regios/{code}", get(network::get_region).patch(network::rename_region))
        .route("/regios/{code}/_samenvoegen", post(network::merge_region))
        .route("/gemeenten", get(network::list_municipalities))
        .route("/gemeenten/{cbs_code}", get(network::get_municipality).patch(network::move_municipality))
        .route("/organisaties", get(network::list_organisations).post(network::create_organisation))
        .route("/organisaties/{id}", get(network::get_organisation))
        .route("/gebruikers", get(users::list_users).post(users::create_user))
        .route("/gebruikers/_zoek", post(users::search_users))
        .route("/gebruikers/{id}", get(users::get_user).patch(users::update_user))
        .route("/gebruikers/{id}/rollen", post(users::grant_role))
        .route("/gebruikers/{id}/rollen/_intrekken", post(users::revoke_role))
        .route("/bestuurlijke-signalen", get(signals::list).post(signals::create))
        .route("/bestuurlijke-signalen/_overzicht", get(signals::overview))
        .route("/bestuurlijke-signalen/{id}", get(signals::get).patch(signals::update))
        .route("/bestuurlijke-signalen/{id}/_stappen", post(signals::step))
        .route("/bestuurlijke-signalen/{id}/berichten", post(signals::message))
        .route(
            "/bestuurlijke-signalen/{id}/bijlagen",
            post(signals::upload).layer(axum::extract::DefaultBodyLimit::max(knooppunt_domain::attachment::MAX_ATTACHMENT_BYTES + 64 * 1024)),
        )
        .route("/bestuurlijke-signalen/{id}/bijlagen/{aid}", get(signals::download))
        .route("/signalen", post(cases::register))
        .route("/casussen", get(cases::list))
        .route("/casussen/{id}", get(cases::get))
        .route("/casussen/{id}/_stappen", post(cases::step))
        .route("/casussen/{id}/deelnemers", post(cases::admit))
        .route("/casussen/{id}/deelnemers/_verwijderen", post(cases::remove))
        .route("/casussen/{id}/team", post(cases::team))
        .route("/casussen/{id}/betrokkenen", get(cases::subjects).post(cases::add_subject))
        .route("/casussen/{id}/relaties", post(cases::add_relation))
        .route("/casussen/{id}/informatiebijdragen", get(cases::items).post(cases::add_item))
        .route("/casussen/{id}/informatiebijdragen/{iid}", get(cases::get_item).patch(cases::update_item))
        .route("/casussen/{id}/informatiebijdragen/{iid}/vrijgaven", post(cases::release))
        .route("/casussen/{id}/informatiebijdragen/{iid}/vrijgaven/_intrekken", post(cases::withdraw))
        .route(
            "/casussen/{id}/informatiebijdragen/{iid}/bijlagen",
            post(cases::upload).layer(axum::extract::DefaultBodyLimit::max(knooppunt_domain::attachment::MAX_ATTACHMENT_BYTES + 64 * 1024)),
        )
        .route("/casussen/{id}/informatiebijdragen/{iid}/bijlagen/{aid}", get(cases::download))
        .route("/casussen/{id}/uitvragen", post(cases::create_request))
        .route("/casussen/{id}/uitvragen/{rid}/_afhandelen", post(cases::settle_request))
        .route("/casussen/{id}/adviezen", post(cases::draft_advice))
        .route("/casussen/{id}/adviezen/{n}/_goedkeuren", post(cases::approve_advice))
        .route("/casussen/{id}/interventies", get(cases::interventions).post(cases::propose))
        .route("/casussen/{id}/interventies/{vid}", axum::routing::patch(cases::update_intervention))
        .route("/casussen/{id}/overleggen", post(cases::meeting))
        .route("/betrokkenen/_zoek", post(cases::search))
        .route("/interventietypen", get(cases::catalogue).post(cases::save_type))
        .route("/grondslagen", get(cases::legal_bases).post(cases::save_legal_basis))
        .route("/doelen", get(cases::purposes).post(cases::save_purpose))
        .route("/screeningen", post(screening::screen).layer(axum::extract::DefaultBodyLimit::max(6 * 1024 * 1024)))
        .route("/screeningen/gecodeerd", post(screening::screen_encoded).layer(axum::extract::DefaultBodyLimit::max(12 * 1024 * 1024)))
        .route("/treffers", get(treffers::list))
        .route("/treffers/_overzicht", get(treffers::overview))
        .route("/treffers/{id}", get(treffers::get))
        .route("/treffers/{id}/_beoordelen", post(treffers::review))
        .route("/treffers/{id}/_delen", post(treffers::share))
        .route("/landelijke-aanpakken", get(approaches::list).post(approaches::create))
        .route("/landelijke-aanpakken/{id}", get(approaches::get))
        .route("/landelijke-aanpakken/{id}/casussen", post(approaches::ask_case))
        .route("/landelijke-aanpakken/{id}/casussen/{casusId}/_besluit", post(approaches::decide_case))
        .route("/landelijke-aanpakken/{id}/deelnemers", post(approaches::add_participant))
        .route("/landelijke-aanpakken/{id}/acties", post(approaches::add_action))
        .route("/landelijke-aanpakken/{id}/acties/{actieId}/_gereed", post(approaches::finish_action))
        .route("/landelijke-aanpakken/{id}/_voortgang", post(approaches::progress))
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("kp_...").build()));
    }
}

/// `get` + `/treffers/{id}/_delen` → `getTreffersByIdDelen`.
fn operation_id(method: &str, path: &str) -> String {
    let mut id = method.to_string();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        let (prefix, name) = match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => ("By", param),
            None => ("", segment.trim_start_matches('_')),
        };
        id.push_str(prefix);
        for word in name.split(['-', '.']) {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                id.extend(first.to_uppercase());
                id.push_str(chars.as_str());
            }
        }
    }
    id
}

/// Documents what every operation can answer besides its own statuses, as the server really
/// answers: every error as `application/problem+json`; 401 without a valid token; 400 where
/// there is input; 413 and 415 where there is a body; 404 where a path names an object; 429
/// where asks are throttled; 500 and 503 everywhere (a fault on our side, the database away).
struct ProblemResponses;

impl Modify for ProblemResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
        let problem = |description: &str| -> RefOr<utoipa::openapi::Response> {
            RefOr::T(
                ResponseBuilder::new()
                    .description(description)
                    .content("application/problem+json", ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build())
                    .build(),
            )
        };
        let version_header = || {
            utoipa::openapi::HeaderBuilder::new()
                .schema(utoipa::openapi::ObjectBuilder::new().schema_type(utoipa::openapi::Type::String))
                .description(Some("De volledige versie van de API, bijvoorbeeld 1.0.0"))
                .build()
        };
        for (path, item) in openapi.paths.paths.iter_mut() {
            let methods = [("get", &mut item.get), ("post", &mut item.post), ("put", &mut item.put), ("patch", &mut item.patch), ("delete", &mut item.delete)];
            for (method, op) in methods.into_iter().filter_map(|(m, o)| o.as_mut().map(|o| (m, o))) {
                // Unique by construction: the method and the path (`getTreffersById`).
                op.operation_id = Some(operation_id(method, path));
                for (status, response) in op.responses.responses.iter_mut() {
                    if let (true, RefOr::T(r)) = (status.starts_with('2') || status.starts_with('3'), &mut *response) {
                        r.headers.insert("API-Version".into(), version_header());
                    }
                    if let (true, RefOr::T(r)) = (status.starts_with('4') || status.starts_with('5'), response) {
                        if let Some(c) = r.content.shift_remove("application/json") {
                            r.content.insert("application/problem+json".into(), c);
                        }
                    }
                }
                let responses = &mut op.responses.responses;
                let mut add = |code: &str, description: &str| {
                    responses.entry(code.to_string()).or_insert_with(|| problem(description));
                };
                if path != "/openapi.json" {
                    add("401", "Niet aangemeld: geen of geen geldig API-token");
                }
                let has_input = op.request_body.is_some() || op.parameters.as_ref().is_some_and(|p| !p.is_empty());
                if has_input {
                    add("400", "Ongeldige invoer; elke fout staat in invalidParams");
                }
                if op.request_body.is_some() {
                    add("413", "De inhoud is te groot");
                    add("415", "De inhoud is geen JSON (of bij bijlagen geen multipart/form-data)");
                }
                if path.contains('{') {
                    add("404", "Bestaat niet of is niet voor u zichtbaar");
                }
                if path.ends_with("/casussen") && path.starts_with("/landelijke-aanpakken/") {
                    add("429", "Te veel verzoeken in korte tijd");
                }
                add("500", "Interne fout");
                add("503", "De database is niet bereikbaar");
            }
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "knooppunt API", version = "1.0.0", description = "API van knooppunt, het informatie- en expertiseplatform van het RIEC-LIEC-netwerk. Alle fouten zijn application/problem+json.",
        contact(name = "LIEC, beheer knooppunt", email = "knooppunt@liec.example", url = "https://knooppunt.example/contact")),
    servers((url = "/api/v1")),
    paths(
        network::list_regions, network::create_region, network::get_region, network::rename_region, network::merge_region,
        network::list_municipalities, network::get_municipality, network::move_municipality,
        network::list_organisations, network::create_organisation, network::get_organisation,
        users::list_users, users::create_user, users::search_users, users::get_user, users::update_user, users::grant_role, users::revoke_role,
        signals::list, signals::create, signals::get, signals::update, signals::step, signals::message, signals::overview, signals::upload, signals::download,
        cases::register, cases::list, cases::get, cases::step, cases::admit, cases::remove, cases::team, cases::subjects, cases::add_subject,
        cases::add_relation, cases::items, cases::add_item, cases::get_item, cases::update_item, cases::release, cases::withdraw, cases::upload,
        cases::download, cases::create_request, cases::settle_request, cases::draft_advice, cases::approve_advice, cases::interventions,
        cases::propose, cases::update_intervention, cases::meeting, cases::search, cases::catalogue, cases::save_type,
        cases::legal_bases, cases::save_legal_basis, cases::purposes, cases::save_purpose,
        screening::screen, screening::screen_encoded, treffers::list, treffers::overview, treffers::get, treffers::review, treffers::share,
        approaches::list, approaches::create, approaches::get, approaches::ask_case, approaches::decide_case, approaches::add_participant,
        approaches::add_action, approaches::finish_action, approaches::progress,
    ),
    components(schemas(Problem, InvalidParam)),
    modifiers(&BearerAuth, &ProblemResponses),
    security(("bearer" = [])),
    tags((name = "netwerk", description = "Regio's, gemeenten en organisaties"), (name = "gebruikers", description = "Accounts en rollen"), (name = "bestuurlijke-signalen", description = "Landelijk Loket Bestuurlijke Signalen"), (name = "casussen", description = "Signalen, pre-casussen en casussen van de RIEC's met need-to-know per bijdrage"), (name = "treffers", description = "Hit/no-hit tussen regio's: treffers, beoordeling en delen na wederzijds akkoord"), (name = "landelijke-aanpakken", description = "Landelijke aanpak van de LIEC: casussen van meerdere regio's met akkoord van hun eigenaar, deelnemers, acties, voortgang en cijfers"))
)]
pub struct ApiDoc;

/// The OpenAPI document as served (paths relative to the `/api/v1` server).
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

async fn openapi_json() -> Response {
    match openapi().to_pretty_json() {
        Ok(body) => ([(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// JSON body extractor whose every rejection is a Dutch problem+json.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequest<AppState> for ApiJson<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        // Control and invisible characters are refused in every string of the body, with every
        // offending field listed, before the body is read as `T`.
        let (parts, body) = req.into_parts();
        let bytes = match axum::body::to_bytes(body, crate::MAX_BODY_BYTES).await {
            Ok(b) => b,
            Err(_) => {
                return Err(Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "Verzoek te groot")
                    .detail(format!("De inhoud is groter dan {} bytes.", crate::MAX_BODY_BYTES))
                    .into_response())
            }
        };
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&bytes) {
            let mut bad = Vec::new();
            unsafe_strings(&value, "", &mut bad);
            if !bad.is_empty() {
                return Err(Problem::invalid(bad).into_response());
            }
        }
        let req = Request::from_parts(parts, axum::body::Body::from(bytes));
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(json_problem(rejection).into_response()),
        }
    }
}

/// The strings in `v` (at `path`) that hold a control or invisible character.
fn unsafe_strings(v: &serde_json::Value, path: &str, out: &mut Vec<InvalidParam>) {
    match v {
        serde_json::Value::String(s) => {
            if let Some(reason) = knooppunt_domain::text::unsafe_char_message(s) {
                out.push(InvalidParam { name: if path.is_empty() { "body".into() } else { path.to_string() }, code: "invalid".into(), reason });
            }
        }
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                unsafe_strings(item, &format!("{path}[{i}]"), out);
            }
        }
        serde_json::Value::Object(map) => {
            for (k, item) in map {
                let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                if knooppunt_domain::text::unsafe_char_message(k).is_some() {
                    out.push(InvalidParam { name: "body".into(), code: "invalid".into(), reason: "Een veldnaam bevat een besturingsteken of onzichtbaar teken.".into() });
                }
                unsafe_strings(item, &p, out);
            }
        }
        _ => {}
    }
}

fn json_problem(rejection: JsonRejection) -> Problem {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => {
            Problem::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "Mediatype niet ondersteund").detail("Stuur de inhoud als JSON met Content-Type: application/json.")
        }
        JsonRejection::JsonSyntaxError(e) => Problem::new(StatusCode::BAD_REQUEST, "Ongeldige JSON").detail(format!("De inhoud is geen geldige JSON: {}", e.body_text())),
        JsonRejection::JsonDataError(e) => {
            let text = e.body_text();
            let (name, reason) = explain_serde(&text);
            Problem::invalid(vec![InvalidParam { name, code: "invalid".into(), reason }])
        }
        JsonRejection::BytesRejection(e) => {
            let status = e.status();
            if status == StatusCode::PAYLOAD_TOO_LARGE {
                Problem::new(status, "Verzoek te groot").detail(format!("De inhoud is groter dan {} bytes.", crate::MAX_BODY_BYTES))
            } else {
                Problem::new(StatusCode::BAD_REQUEST, "Ongeldig verzoek").detail("De inhoud kon niet worden gelezen.")
            }
        }
        other => Problem::new(other.status(), crate::problem::title_for(other.status())).detail("De inhoud kon niet worden verwerkt."),
    }
}

/// Turns serde's English message into a field name and a Dutch reason.
fn explain_serde(text: &str) -> (String, String) {
    let quoted = |s: &str| s.split('`').nth(1).map(String::from);
    if let Some(rest) = text.split("unknown field").nth(1) {
        let field = quoted(rest).unwrap_or_else(|| "body".into());
        return (field.clone(), format!("Onbekend veld '{field}'."));
    }
    if let Some(rest) = text.split("invalid type").nth(1) {
        let field = text.split(": ").next().filter(|f| !f.is_empty() && !f.contains(' ')).unwrap_or("body").to_string();
        return (field, format!("Verkeerd type:{}.", rest.split(" at line").next().unwrap_or(rest).replace("expected", "verwacht")));
    }
    ("body".into(), "De JSON past niet bij dit verzoek.".into())
}

/// The request context; every API handler takes it.
pub struct Api(pub RequestCtx);

impl axum::extract::FromRequestParts<AppState> for Api {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        let rc = parts.extensions.get::<RequestCtx>().cloned().ok_or_else(|| StatusCode::INTERNAL_SERVER_ERROR.into_response())?;
        if rc.ctx.principal.is_none() {
            return Err(crate::problem::app_error(knooppunt_app::AppError::Unauthenticated));
        }
        Ok(Api(rc))
    }
}

pub(crate) type ApiResult<T> = Result<Json<T>, Response>;

pub(crate) fn err(e: knooppunt_app::AppError) -> Response {
    crate::problem::app_error(e)
}
