//! The JSON API under `/api/v1`, following the NL API Design Rules (see docs/API-DESIGN.md):
//! Dutch plural kebab-case resources, camelCase JSON, UTC timestamps, problem+json errors that
//! list every invalid field, bearer tokens, no personal data in URLs.

mod approaches;
mod barriers;
mod cases;
mod document;
mod events;
mod fieldlab_phases;
mod fieldlabs;
mod figures;
mod knowledge;
mod logs;
mod magazine;
mod network;
mod retention;
mod screening;
mod search;
mod sheets;
mod signals;
mod steering;
mod subject_requests;
mod support;
mod tables;
mod taxonomy;
pub(crate) use subject_requests::answer_document;
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
use document::{BearerAuth, ProblemResponses, TextRules};
use serde::de::DeserializeOwned;
use utoipa::OpenApi;

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
        .route("/casussen/{id}/informatiebijdragen/{iid}/_intrekken", post(cases::withdraw_item))
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
        .route("/kennisitems", get(knowledge::list).post(knowledge::create))
        .route("/kennisitems/{id}", get(knowledge::get).put(knowledge::update))
        .route("/kennisitems/{id}/_stappen", post(knowledge::step))
        .route("/kennisitems/{id}/bijlagen", post(knowledge::upload).layer(axum::extract::DefaultBodyLimit::max(knooppunt_domain::attachment::MAX_ATTACHMENT_BYTES + 64 * 1024)))
        .route("/kennisitems/{id}/bijlagen/{bijlageId}", get(knowledge::download))
        .route("/kennisgroepen", get(knowledge::groups).post(knowledge::create_group))
        .route("/kennisitems/{id}/barrieremodel", get(barriers::get))
        .route("/kennisitems/{id}/barrieremodel/stappen", post(barriers::add_step))
        .route("/kennisitems/{id}/barrieremodel/stappen/{stapId}", axum::routing::put(barriers::edit_step).delete(barriers::remove_step))
        .route("/kennisitems/{id}/barrieremodel/stappen/{stapId}/_verplaatsen", post(barriers::move_step))
        .route("/kennisitems/{id}/barrieremodel/stappen/{stapId}/onderdelen", post(barriers::add_part))
        .route("/kennisitems/{id}/barrieremodel/onderdelen/{onderdeelId}", axum::routing::delete(barriers::remove_part))
        .route("/barrieres", get(barriers::choices))
        .route("/zoeksynoniemen", get(search::list).post(search::create))
        .route("/zoeksynoniemen/{id}", axum::routing::put(search::update).delete(search::delete))
        .route("/interventietypen/{code}/interventieblad", get(sheets::get).post(sheets::save))
        .route("/interventiebladen", get(sheets::search))
        .route("/grondslagen", get(cases::legal_bases).post(cases::save_legal_basis))
        .route("/doelen", get(cases::purposes).post(cases::save_purpose))
        .route("/fenomeenclusters", get(taxonomy::clusters).post(taxonomy::add_cluster))
        .route("/fenomeenclusters/{code}", axum::routing::patch(taxonomy::change_cluster))
        .route("/fenomenen", get(taxonomy::phenomena).post(taxonomy::add_phenomenon))
        .route("/fenomenen/{code}", axum::routing::patch(taxonomy::change_phenomenon))
        .route("/omgevingen", get(taxonomy::settings).post(taxonomy::add_setting))
        .route("/omgevingen/{code}", axum::routing::patch(taxonomy::change_setting))
        .route("/speerpunten", get(taxonomy::focus))
        .route("/speerpunten/{regio}", axum::routing::put(taxonomy::set_focus))
        .route("/screeningen", post(screening::screen).layer(axum::extract::DefaultBodyLimit::max(6 * 1024 * 1024)))
        .route("/screeningen/gecodeerd", post(screening::screen_encoded).layer(axum::extract::DefaultBodyLimit::max(12 * 1024 * 1024)))
        .route("/treffers", get(treffers::list))
        .route("/treffers/_overzicht", get(treffers::overview))
        .route("/treffers/{id}", get(treffers::get))
        .route("/treffers/{id}/_beoordelen", post(treffers::review))
        .route("/treffers/{id}/_delen", post(treffers::share))
        .route("/ondersteuningsvragen", get(support::list).post(support::create))
        .route("/ondersteuningsvragen/{id}", get(support::get))
        .route("/ondersteuningsvragen/{id}/_stap", post(support::step))
        .route(
            "/ondersteuningsvragen/{id}/bijlagen",
            post(support::upload).layer(axum::extract::DefaultBodyLimit::max(knooppunt_domain::attachment::MAX_ATTACHMENT_BYTES + 64 * 1024)),
        )
        .route("/ondersteuningsvragen/{id}/bijlagen/{bijlageId}", get(support::download))
        .route("/ondersteuningsvragen/{id}/kennisitem-concept", get(support::faq_draft))
        .route("/ondersteuningsvragen/{id}/_kennisitem", post(support::faq_offer))
        .route("/ondersteuningsdoorlooptijden/{domein}", axum::routing::put(support::set_target))
        .route("/bibob-termijn", get(support::bibob))
        .route("/bijeenkomsten", get(events::list).post(events::create))
        .route("/bijeenkomsten/{id}", get(events::get).put(events::update))
        .route("/bijeenkomsten/{id}/deelnemers", get(events::attendees))
        .route("/fieldlabs", get(fieldlabs::list).post(fieldlabs::create))
        .route("/fieldlabs/{id}", get(fieldlabs::get))
        .route("/fieldlabs/{id}/_fase", post(fieldlabs::phase))
        .route("/fieldlabs/{id}/partners", post(fieldlabs::add_partner))
        .route("/fieldlabs/{id}/vastleggingen", post(fieldlabs::add_record))
        .route(
            "/fieldlabs/{id}/vastleggingen/{vastleggingId}/bestanden",
            post(fieldlabs::add_file).layer(axum::extract::DefaultBodyLimit::max(knooppunt_domain::attachment::MAX_ATTACHMENT_BYTES + 64 * 1024)),
        )
        .route("/fieldlabs/{id}/bestanden/{bestandId}", get(fieldlabs::file))
        .route("/fieldlab-fasen", get(fieldlab_phases::list).post(fieldlab_phases::create))
        .route("/fieldlab-fasen/{code}", axum::routing::put(fieldlab_phases::update).delete(fieldlab_phases::delete))
        .route("/fieldlabs/{id}/experimenten", post(fieldlabs::add_experiment))
        .route("/fieldlabs/{id}/experimenten/{experimentId}", axum::routing::put(fieldlabs::update_experiment))
        .route("/fieldlabs/{id}/experimenten/{experimentId}/indicatoren", post(fieldlabs::add_indicator))
        .route("/fieldlabs/{id}/indicatoren/{indicatorId}", axum::routing::put(fieldlabs::set_result))
        .route("/fieldlabs/{id}/_eindproduct", post(fieldlabs::offer_product))
        .route("/code-geel-edities", get(magazine::list).post(magazine::create))
        .route("/code-geel-edities/{id}", get(magazine::get).put(magazine::update))
        .route("/code-geel-edities/{id}/_status", post(magazine::status))
        .route("/code-geel-edities/{id}/artikelen", post(magazine::add_article))
        .route("/code-geel-edities/{id}/artikelen/{artikelId}", axum::routing::put(magazine::update_article))
        .route("/fenomeentafels", get(tables::list).post(tables::create))
        .route("/fenomeentafels/{id}", get(tables::get))
        .route("/fenomeentafels/{id}/_status", post(tables::status))
        .route("/fenomeentafels/{id}/opdrachten", post(tables::add_mandate))
        .route("/fenomeentafels/{id}/leden", post(tables::add_member))
        .route("/fenomeentafels/{id}/leden/{lidId}/_beeindigen", post(tables::end_member))
        .route("/fenomeentafels/{id}/overleggen", post(tables::add_meeting))
        .route("/fenomeentafels/{id}/acties", post(tables::add_action))
        .route("/fenomeentafels/{id}/acties/{actieId}/_status", post(tables::action_status))
        .route("/fenomeentafels/{id}/acties/{actieId}/_signaal", post(tables::action_signal))
        .route("/landelijke-aanpakken", get(approaches::list).post(approaches::create))
        .route("/landelijke-aanpakken/{id}", get(approaches::get))
        .route("/landelijke-aanpakken/{id}/casussen", post(approaches::ask_case))
        .route("/landelijke-aanpakken/{id}/casussen/{casusId}/_besluit", post(approaches::decide_case))
        .route("/landelijke-aanpakken/{id}/deelnemers", post(approaches::add_participant))
        .route("/landelijke-aanpakken/{id}/acties", post(approaches::add_action))
        .route("/landelijke-aanpakken/{id}/acties/{actieId}/_gereed", post(approaches::finish_action))
        .route("/landelijke-aanpakken/{id}/_voortgang", post(approaches::progress))
        .route("/cijfers", get(figures::figures))
        .route("/cijfers/definities", get(figures::definitions))
        .route("/stuurgroep", get(steering::dashboard))
        .route("/stuurgroep/doelen", post(steering::add_objective))
        .route("/stuurgroep/besluiten", post(steering::record_decision))
        .route("/stuurgroep/knelpunten", post(steering::add_bottleneck))
        .route("/stuurgroep/knelpunten/{knelpuntId}", axum::routing::patch(steering::change_bottleneck))
        .route("/jaarverslagen", get(figures::reports))
        .route("/jaarverslagen/{jaar}", get(figures::report))
        .route("/jaarverslagen/{jaar}/_vaststellen", post(figures::adopt))
        .route("/bewaartermijnen", get(retention::rules))
        .route("/bewaartermijnen/_verstreken", get(retention::due))
        .route("/bewaartermijnen/{code}", axum::routing::patch(retention::change_rule))
        .route("/verlengingen", post(retention::extend))
        .route("/bewaarplichten", post(retention::hold))
        .route("/bewaarplichten/{id}/_opheffen", post(retention::lift))
        .route("/vernietigingen", post(retention::destroy))
        .route("/verwerkingsregister", get(retention::register))
        .route("/logboeken", get(logs::overview))
        .route("/verzoeken-betrokkenen", get(subject_requests::list).post(subject_requests::create))
        .route("/verzoeken-betrokkenen/{id}", get(subject_requests::get))
        .route("/verzoeken-betrokkenen/{id}/standpunten", post(subject_requests::position))
        .route("/verzoeken-betrokkenen/{id}/_verlengen", post(subject_requests::extend))
        .route("/verzoeken-betrokkenen/{id}/_afronden", post(subject_requests::close))
        .route("/verzoeken-betrokkenen/{id}/antwoord", get(subject_requests::answer))
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
        cases::add_relation, cases::items, cases::add_item, cases::get_item, cases::update_item, cases::release, cases::withdraw, cases::withdraw_item, cases::upload,
        cases::download, cases::create_request, cases::settle_request, cases::draft_advice, cases::approve_advice, cases::interventions,
        cases::propose, cases::update_intervention, cases::meeting, cases::search, cases::catalogue, cases::save_type, sheets::get, sheets::save, sheets::search,
        cases::legal_bases, cases::save_legal_basis, cases::purposes, cases::save_purpose,
        taxonomy::clusters, taxonomy::add_cluster, taxonomy::change_cluster, taxonomy::phenomena, taxonomy::add_phenomenon, taxonomy::change_phenomenon,
        taxonomy::settings, taxonomy::add_setting, taxonomy::change_setting, taxonomy::focus, taxonomy::set_focus,
        knowledge::list, knowledge::get, knowledge::create, knowledge::update, knowledge::step, knowledge::upload, knowledge::download, knowledge::groups, knowledge::create_group,
        barriers::get, barriers::add_step, barriers::edit_step, barriers::remove_step, barriers::move_step, barriers::add_part, barriers::remove_part, barriers::choices,
        search::list, search::create, search::update, search::delete,
        screening::screen, screening::screen_encoded, treffers::list, treffers::overview, treffers::get, treffers::review, treffers::share,
        approaches::list, approaches::create, approaches::get, approaches::ask_case, approaches::decide_case, approaches::add_participant,
        approaches::add_action, approaches::finish_action, approaches::progress,
        tables::list, tables::create, tables::get, tables::status, tables::add_mandate, tables::add_member, tables::end_member, tables::add_meeting,
        tables::add_action, tables::action_status, tables::action_signal,
        support::list, support::create, support::get, support::step, support::upload, support::download, support::faq_draft, support::faq_offer,
        support::set_target, support::bibob,
        events::list, events::get, events::create, events::update, events::attendees,
        fieldlabs::list, fieldlabs::create, fieldlabs::get, fieldlabs::phase, fieldlabs::add_partner, fieldlabs::add_record, fieldlabs::add_experiment,
        fieldlabs::update_experiment, fieldlabs::add_indicator, fieldlabs::set_result, fieldlabs::offer_product, fieldlabs::add_file, fieldlabs::file,
        fieldlab_phases::list, fieldlab_phases::create, fieldlab_phases::update, fieldlab_phases::delete,
        magazine::list, magazine::get, magazine::create, magazine::update, magazine::status, magazine::add_article, magazine::update_article,
        figures::figures, figures::definitions, figures::reports, figures::report, figures::adopt,
        steering::dashboard, steering::add_objective, steering::record_decision, steering::add_bottleneck, steering::change_bottleneck,
        retention::rules, retention::change_rule, retention::due, retention::extend, retention::hold, retention::lift, retention::destroy, retention::register,
        logs::overview,
        subject_requests::list, subject_requests::create, subject_requests::get, subject_requests::position, subject_requests::extend, subject_requests::close,
        subject_requests::answer,
    ),
    components(schemas(Problem, InvalidParam)),
    modifiers(&BearerAuth, &ProblemResponses, &TextRules),
    security(("bearer" = [])),
    tags((name = "netwerk", description = "Regio's, gemeenten en organisaties"), (name = "gebruikers", description = "Accounts en rollen"), (name = "bestuurlijke-signalen", description = "Landelijk Loket Bestuurlijke Signalen"), (name = "casussen", description = "Signalen, pre-casussen en casussen van de RIEC's met need-to-know per bijdrage"), (name = "taxonomie", description = "De fenomenen die het LIEC beheert (clusters en fenomenen, met synoniemen, bron en geldigheid), de omgevingen waarin iets speelt, en de speerpunten van elke regio"), (name = "kennis", description = "Het Kennisplatform Ondermijning: kennisitems met redactiestappen (concept, ter beoordeling, gepubliceerd, gearchiveerd) en publiek (openbaar, netwerk, een kennisgroep, de redactie); lezen kan zonder token (dan alleen het openbare deel)"), (name = "treffers", description = "Hit/no-hit tussen regio's: treffers, beoordeling en delen na wederzijds akkoord"), (name = "landelijke-aanpakken", description = "Landelijke aanpak van de LIEC: casussen van meerdere regio's met akkoord van hun eigenaar, deelnemers, acties, voortgang en cijfers"), (name = "fenomeentafels", description = "Landelijke Fenomeentafels van het LIEC: status, opdracht, leden (publiek, privaat, wetenschap), overleggen en actielijst; een actie kan een bestuurlijk signaal worden"), (name = "ondersteuning", description = "Specialistische ondersteuning van het LIEC aan de RIEC's: vragen per domein (Bibob, artikel 13b Opiumwet …) met alleen het kenmerk van een dossier, de stappen tot antwoord, doorlooptijden, de Bibob-termijnrekenhulp, en een geanonimiseerd antwoord als vraag en antwoord op het kennisplatform"), (name = "bijeenkomsten", description = "Bijeenkomsten van het LIEC (themabijeenkomsten, masterclasses, de aftrap van fenomeentafels): lezen kan zonder token (dan alleen de openbare); aanmaken, wijzigen en de deelnemerslijst zijn voor de organisatoren; aanmelden doen personen in de webapplicatie"), (name = "field-lab-hub", description = "De LIEC Field Lab Hub: field labs met probleemstelling, ontvangende regio en organisatie, partners en onderzoekers, fasen met besluiten en documenten, experimenten met indicatoren, evaluatie en het besluit over opschalen; geen dossiergegevens; het eindproduct wordt een kennisitem"), (name = "code-geel", description = "Code Geel, het digitale magazine van het LIEC: edities (nummer, jaar, thema, themanummer) met artikelen voor iedereen of voor het netwerk; lezen kan zonder token (dan de openbare artikelen van gepubliceerde edities); schrijven en publiceren doet de kennisredactie"), (name = "cijfers", description = "De cijfers van het netwerk per regio en landelijk, met vaste telregels en afscherming van kleine aantallen; het jaarverslag dat het LIEC vaststelt; de overzichten, doelen en besluiten van de stuurgroepen"), (name = "bewaartermijnen", description = "Bewaartermijnen, verlengingen, bewaarplichten en vernietiging van afgesloten dossiers; het register van verwerkingsactiviteiten; de logboeken per maand en hun archief"), (name = "verzoeken-betrokkenen", description = "Verzoeken van betrokkenen (art. 15-21 AVG): geregistreerd door de partner die het ontving, voorgelegd aan elke partner die gegevens leverde, met termijn en antwoord per partner"))
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
        let mut bytes = bytes;
        if let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(&bytes) {
            let mut bad = Vec::new();
            unsafe_strings(&value, "", &mut bad);
            if !bad.is_empty() {
                return Err(Problem::invalid(bad).into_response());
            }
            // JSON Schema counts `12.0` as an integer; so does this API.
            if whole_floats_as_integers(&mut value) {
                bytes = serde_json::to_vec(&value).map(Into::into).unwrap_or(bytes);
            }
        }
        let req = Request::from_parts(parts, axum::body::Body::from(bytes));
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(json_problem(rejection).into_response()),
        }
    }
}

/// Rewrites every number with a zero fraction that fits an `i64` (`12.0`) as an integer;
/// whether anything changed.
fn whole_floats_as_integers(v: &mut serde_json::Value) -> bool {
    use serde_json::Value;
    match v {
        Value::Number(n) if !n.is_i64() && !n.is_u64() => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f >= i64::MIN as f64 && f < i64::MAX as f64 => {
                *v = Value::from(f as i64);
                true
            }
            _ => false,
        },
        Value::Array(items) => items.iter_mut().fold(false, |changed, item| whole_floats_as_integers(item) | changed),
        Value::Object(map) => map.values_mut().fold(false, |changed, item| whole_floats_as_integers(item) | changed),
        _ => false,
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

/// A 400 naming one missing or wrong field.
pub(crate) fn missing(field: &str, message: &str) -> Response {
    err(knooppunt_domain::Invalid::one(field, message).into())
}

pub(crate) fn err(e: knooppunt_app::AppError) -> Response {
    crate::problem::app_error(e)
}

#[cfg(test)]
mod tests {
    use super::whole_floats_as_integers;

    #[test]
    fn whole_numbers_written_as_floats_are_integers() {
        // Found by schemathesis: 4151414067782050.0 is an integer to JSON Schema; read without
        // exact float parsing it became 4151414067782049.5 and was refused.
        let mut v: serde_json::Value = serde_json::from_str(r#"{"van": 188.0, "naar": 4151414067782050.0, "lijst": [2.0, 2.5], "tekst": "1.0"}"#).unwrap_or_default();
        assert!(whole_floats_as_integers(&mut v));
        assert_eq!(v, serde_json::json!({"van": 188, "naar": 4151414067782050_i64, "lijst": [2, 2.5], "tekst": "1.0"}));
        let mut plain = serde_json::json!({"a": 1, "b": "x"});
        assert!(!whole_floats_as_integers(&mut plain));
    }
}
