//! `application/problem+json` (RFC 9457) with the NL API Design Rules' `invalidParams`.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use knooppunt_app::AppError;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvalidParam {
    /// The field, as sent (camelCase); `body` for the request body as a whole.
    pub name: String,
    pub code: String,
    /// What is wrong, in Dutch.
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub invalid_params: Vec<InvalidParam>,
}

impl Problem {
    pub fn new(status: StatusCode, title: &str) -> Self {
        Self { kind: "about:blank".into(), title: title.into(), status: status.as_u16(), detail: None, instance: None, invalid_params: vec![] }
    }

    pub fn detail(mut self, d: impl Into<String>) -> Self {
        self.detail = Some(d.into());
        self
    }

    pub fn invalid(params: Vec<InvalidParam>) -> Self {
        let mut p = Self::new(StatusCode::BAD_REQUEST, "Ongeldige invoer");
        p.detail = Some("Een of meer velden zijn ongeldig; zie invalidParams.".into());
        p.invalid_params = params;
        p
    }

    /// A request that matches the documented schema but whose content cannot be carried out
    /// as it stands (a rule of the domain, or the state of what it refers to): 422, with every
    /// problem in `invalidParams`. A request that breaks the schema itself is a 400.
    pub fn unprocessable(params: Vec<InvalidParam>) -> Self {
        let mut p = Self::new(StatusCode::UNPROCESSABLE_ENTITY, "Onverwerkbare invoer");
        p.detail = Some("De invoer kan zo niet worden verwerkt; zie invalidParams.".into());
        p.invalid_params = params;
        p
    }

    pub fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

/// `text` with every control or invisible character written as `U+XXXX`: a problem may quote
/// what was sent (a field name, a value), and must not carry those characters back to a
/// terminal, a log or a client that shows it.
fn shown(text: String) -> String {
    if !text.chars().any(knooppunt_domain::text::is_unsafe) {
        return text;
    }
    text.chars().map(|c| if knooppunt_domain::text::is_unsafe(c) { format!("U+{:04X}", c as u32) } else { c.to_string() }).collect()
}

impl IntoResponse for Problem {
    fn into_response(mut self) -> Response {
        self.detail = self.detail.map(shown);
        for p in &mut self.invalid_params {
            p.name = shown(std::mem::take(&mut p.name));
            p.reason = shown(std::mem::take(&mut p.reason));
        }
        let status = self.status_code();
        let body = serde_json::to_string(&self).unwrap_or_else(|_| "{}".into());
        let mut r = (status, [(header::CONTENT_TYPE, "application/problem+json")], body).into_response();
        if status == StatusCode::UNAUTHORIZED {
            // RFC 9110: a 401 names the scheme that would work.
            r.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer realm=\"knooppunt\""));
        }
        r
    }
}

/// The Dutch title for a status that has no more specific problem.
pub fn title_for(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "Ongeldig verzoek",
        401 => "Niet aangemeld",
        403 => "Geen toegang",
        404 => "Niet gevonden",
        405 => "Methode niet toegestaan",
        406 => "Niet aanvaardbaar",
        408 => "Time-out van het verzoek",
        409 => "Conflict",
        413 => "Verzoek te groot",
        415 => "Mediatype niet ondersteund",
        422 => "Onverwerkbare invoer",
        429 => "Te veel verzoeken",
        503 => "Dienst niet beschikbaar",
        _ if status.is_server_error() => "Interne fout",
        _ => "Fout",
    }
}

impl From<AppError> for Problem {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Invalid(inv) => Problem::unprocessable(inv.0.into_iter().map(|f| InvalidParam { name: f.field, code: "invalid".into(), reason: f.message }).collect()),
            AppError::Unauthenticated => Problem::new(StatusCode::UNAUTHORIZED, "Niet aangemeld").detail("Stuur een geldig API-token mee als Bearer-token."),
            AppError::LoginFailed | AppError::SecondFactorFailed => {
                let msg = e.to_string();
                Problem::new(StatusCode::UNAUTHORIZED, "Aanmelden mislukt").detail(msg)
            }
            AppError::Throttled => Problem::new(StatusCode::TOO_MANY_REQUESTS, "Te veel pogingen").detail(e.to_string()),
            AppError::Forbidden(reason) => Problem::new(StatusCode::FORBIDDEN, "Geen toegang").detail(format!("U mag dit niet: {reason}.")),
            AppError::NotFound(what) => Problem::new(StatusCode::NOT_FOUND, "Niet gevonden").detail(format!("Deze {what} bestaat niet of is niet voor u zichtbaar.")),
            AppError::Conflict(msg) => Problem::new(StatusCode::CONFLICT, "Conflict").detail(msg),
            AppError::Unavailable => Problem::new(StatusCode::SERVICE_UNAVAILABLE, "Dienst niet beschikbaar").detail(e.to_string()),
            AppError::Internal(msg) => {
                tracing::error!(error = %msg, "internal error");
                Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "Interne fout").detail("Er ging iets mis aan onze kant. Probeer het later opnieuw.")
            }
        }
    }
}

pub fn app_error(e: AppError) -> Response {
    Problem::from(e).into_response()
}
