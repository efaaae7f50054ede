//! The modifiers that make the generated OpenAPI document say what the server really does:
//! the bearer scheme, every error status each operation can answer (as problem+json), unique
//! operation ids, the API-Version header, and the characters free text may hold.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::Modify;

pub(super) struct BearerAuth;

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
/// where asks are throttled; 409 where a change meets an object in a state that forbids it; 500 and 503 everywhere (a fault on our side, the database away).
pub(super) struct ProblemResponses;

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
                    add("400", "Ongeldige invoer: het verzoek past niet bij dit schema; elke fout staat in invalidParams");
                    add("422", "Onverwerkbare invoer: het verzoek past bij het schema, maar een regel of de stand van zaken staat het niet toe; elke fout staat in invalidParams");
                }
                if op.request_body.is_some() {
                    add("413", "De inhoud is te groot");
                    add("415", "De inhoud is geen JSON (of bij bijlagen geen multipart/form-data)");
                }
                // A path or a filter that names an object (`?regio=…`) may name one that does
                // not exist or that the caller cannot see.
                let names_an_object = op.parameters.as_ref().is_some_and(|ps| ps.iter().any(|p| matches!(p.name.as_str(), "regio" | "gemeente" | "organisatie")));
                if path.contains('{') || names_an_object {
                    add("404", "Bestaat niet of is niet voor u zichtbaar");
                }
                // A change to an existing object may meet it in a state that forbids the change
                // (a closed case, a decided hit) or at a newer version than the caller read.
                if method != "get" && path.contains('{') {
                    add("409", "Conflict: de stand van het object staat dit niet (meer) toe, of u las een oudere versie");
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

/// What every free-text string accepts, as the server checks it at the edge
/// ([`knooppunt_domain::text::is_unsafe`]): no control characters but tab and line breaks, no
/// bidirectional overrides or invisible characters. An ECMA-262 pattern, as JSON Schema reads it.
pub(super) const TEXT_PATTERN: &str =
    "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u2069\\uFEFF\\uFFF9-\\uFFFB]*$";

/// Gives every string schema without a format, an enumeration or a pattern of its own the
/// [`TEXT_PATTERN`], in request bodies, parameters and responses alike.
pub(super) struct TextRules;

impl Modify for TextRules {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let Ok(mut doc) = serde_json::to_value(&*openapi) else { return };
        constrain_text(&mut doc);
        if let Ok(constrained) = serde_json::from_value(doc) {
            *openapi = constrained;
        }
    }
}

fn constrain_text(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            let is_string = match map.get("type") {
                Some(Value::String(t)) => t == "string",
                Some(Value::Array(ts)) => ts.iter().any(|t| t == "string"),
                _ => false,
            };
            if is_string && !["format", "enum", "pattern", "const"].iter().any(|k| map.contains_key(*k)) {
                map.insert("pattern".into(), Value::String(TEXT_PATTERN.into()));
            }
            for (_, child) in map.iter_mut() {
                constrain_text(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(constrain_text),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_pattern_says_what_the_edge_refuses() {
        // The pattern's ranges, read back as characters, are exactly the unsafe ones.
        let ranges: Vec<(u32, u32)> =
            TEXT_PATTERN.trim_start_matches("^[^").trim_end_matches("]*$").split("\\u").filter(|s| !s.is_empty()).fold(Vec::new(), |mut acc: Vec<(u32, u32)>, part| {
                let (hex, dash) = part.split_at(4);
                let n = u32::from_str_radix(hex, 16).unwrap_or(u32::MAX);
                match acc.last_mut() {
                    Some(last) if last.1 == u32::MAX => last.1 = n,
                    _ => acc.push((n, if dash == "-" { u32::MAX } else { n })),
                }
                acc
            });
        let in_pattern = |c: char| ranges.iter().any(|(a, b)| (*a..=*b).contains(&(c as u32)));
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(in_pattern(c), knooppunt_domain::text::is_unsafe(c), "U+{:04X}", c as u32);
        }
    }
}
