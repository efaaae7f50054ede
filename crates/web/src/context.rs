//! Request middleware: trace context, principal (session cookie on the UI, bearer token on the
//! API), security headers, `API-Version`, metrics, and error bodies for bare error responses.

use crate::problem::{title_for, Problem};
use crate::AppState;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use knooppunt_app::auth::{SessionInfo, SessionLookup};
use knooppunt_app::{Ctx, Trace};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

pub const SESSION_COOKIE: &str = "kp_sessie";
pub const API_VERSION: &str = "1.0.0";

/// What the middleware learned about the request; handlers take it as an extension.
#[derive(Clone)]
pub struct RequestCtx {
    pub ctx: Ctx,
    pub session: Option<Arc<SessionInfo>>,
    pub session_token: Option<String>,
    /// A session cookie came with the request but the session has ended.
    pub session_expired: bool,
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Parses W3C `traceparent`: `00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>`.
fn parse_traceparent(v: &str) -> Option<(String, String)> {
    let parts: Vec<&str> = v.trim().split('-').collect();
    let hex = |s: &str, n: usize| s.len() == n && s.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase());
    match parts.as_slice() {
        [ver, trace, parent, flags] if hex(ver, 2) && *ver != "ff" && hex(trace, 32) && hex(parent, 16) && hex(flags, 2) => {
            if trace.chars().all(|c| c == '0') || parent.chars().all(|c| c == '0') {
                None
            } else {
                Some((trace.to_string(), parent.to_string()))
            }
        }
        _ => None,
    }
}

fn surface(path: &str) -> &'static str {
    if path.starts_with("/api/") {
        "api"
    } else if path.starts_with("/static/") {
        "static"
    } else if path.starts_with("/health") || path == "/metrics" {
        "health"
    } else {
        "ui"
    }
}

pub(crate) async fn middleware(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let started = Instant::now();
    let path = req.uri().path().to_string();
    let method = crate::metrics::method_label(req.method());
    let surface = surface(&path);
    let is_api = surface == "api";

    let fresh = state.app.new_trace();
    let trace = match req.headers().get("traceparent").and_then(|v| v.to_str().ok()).and_then(parse_traceparent) {
        Some((trace_id, parent)) => Trace { trace_id, span_id: fresh.span_id, parent_span_id: Some(parent) },
        None => fresh,
    };
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let source = peer.map(|ip| client_address(ip, req.headers(), &state.config.trusted_proxies).to_string()).unwrap_or_else(|| "onbekend".into());
    let mut rc = RequestCtx { ctx: Ctx { principal: None, source, trace: trace.clone() }, session: None, session_token: None, session_expired: false };

    if surface == "api" {
        let bearer = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(|t| t.trim().to_string());
        if let Some(token) = bearer {
            match state.app.api_token(&token).await {
                Ok(p) => rc.ctx.principal = p,
                Err(e) => return finish(&state, crate::problem::app_error(e), method, surface, started, &trace, is_api),
            }
        }
    } else if surface == "ui" {
        if let Some(token) = cookie(req.headers(), SESSION_COOKIE) {
            match state.app.session(&token).await {
                Ok(SessionLookup::Valid(info)) => {
                    rc.ctx.principal = Some(info.principal.clone());
                    rc.session = Some(Arc::from(info));
                    rc.session_token = Some(token);
                }
                Ok(SessionLookup::Expired) => rc.session_expired = true,
                Ok(SessionLookup::Missing) => {}
                Err(e) => {
                    tracing::error!(error = %e, "session lookup failed");
                    return finish(&state, crate::ui::fail(&state, &rc, e), method, surface, started, &trace, is_api);
                }
            }
        }
    }
    if let Some(bad) = unsafe_query(req.uri().query().unwrap_or("")) {
        let response = if is_api {
            Problem::invalid(bad).into_response()
        } else {
            let reasons = bad.iter().map(|p| p.reason.as_str()).collect::<Vec<_>>().join(" ");
            crate::ui::error_response(&state, &rc, StatusCode::BAD_REQUEST, Some(&format!("Het adres van deze pagina is ongeldig. {reasons}")))
        };
        return finish(&state, response, method, surface, started, &trace, is_api);
    }
    req.extensions_mut().insert(rc.clone());
    let response = next.run(req).await;
    let response = if response.status().is_client_error() || response.status().is_server_error() {
        // Framework rejections come as bare or plain-text English; callers get our format.
        let ct = response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let ours = if is_api {
            ct == "application/problem+json"
        } else if surface == "health" {
            // Probes read JSON, also when the answer is "not ready".
            ct.starts_with("application/json")
        } else {
            ct.starts_with("text/html") || ct.starts_with("application/problem+json")
        };
        if !ours {
            if is_api {
                let status = response.status();
                Problem::new(status, title_for(status)).into_response()
            } else {
                crate::ui::error_response(&state, &rc, response.status(), None)
            }
        } else {
            response
        }
    } else {
        response
    };
    finish(&state, response, method, surface, started, &trace, is_api)
}

fn finish(state: &AppState, mut response: Response, method: &'static str, surface: &'static str, started: Instant, trace: &Trace, _is_api: bool) -> Response {
    let h = response.headers_mut();
    let set = |h: &mut HeaderMap, k: &'static str, v: &str| {
        if let Ok(v) = HeaderValue::from_str(v) {
            h.insert(k, v);
        }
    };
    set(h, "content-security-policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'");
    set(h, "x-content-type-options", "nosniff");
    set(h, "referrer-policy", "no-referrer");
    set(h, "x-frame-options", "DENY");
    set(h, "cross-origin-opener-policy", "same-origin");
    set(h, "permissions-policy", "camera=(), microphone=(), geolocation=()");
    set(h, "api-version", API_VERSION);
    set(h, "traceparent", &format!("00-{}-{}-01", trace.trace_id, trace.span_id));
    if state.config.tls {
        set(h, "strict-transport-security", "max-age=31536000; includeSubDomains");
    }
    // Pages and API answers may hold personal data: no cache keeps them (static assets are
    // public and set their own).
    if (surface == "ui" || surface == "api") && !h.contains_key(header::CACHE_CONTROL) {
        set(h, "cache-control", "no-store");
    }
    state.metrics.requests.get_or_create(&crate::metrics::RequestLabels { method, status: response.status().as_u16(), surface }).inc();
    state.metrics.duration.observe(started.elapsed().as_secs_f64());
    response
}

/// Unknown paths: a path with a trailing slash gets a clear answer, the rest a 404.
pub(crate) async fn fallback(req: Request<Body>) -> Response {
    let path = req.uri().path();
    let trimmed = path.trim_end_matches('/');
    if path.len() > 1 && path.ends_with('/') {
        if path.starts_with("/api/") {
            return Problem::new(StatusCode::NOT_FOUND, "Niet gevonden").detail(format!("Paden eindigen niet op een schuine streep; gebruik {trimmed}.")).into_response();
        }
        let target = match req.uri().query() {
            Some(q) => format!("{trimmed}?{q}"),
            None => trimmed.to_string(),
        };
        return Redirect::permanent(if target.is_empty() { "/" } else { &target }).into_response();
    }
    StatusCode::NOT_FOUND.into_response()
}

/// The query parameters whose decoded name or value holds a control or invisible character
/// (every one listed), or `None`: refused for every page and API call before a handler (or the
/// database, where PostgreSQL refuses NUL) reads them.
fn unsafe_query(query: &str) -> Option<Vec<crate::problem::InvalidParam>> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    let bad: Vec<crate::problem::InvalidParam> = pairs
        .iter()
        .filter_map(|(k, v)| {
            let reason = knooppunt_domain::text::unsafe_char_message(v).or_else(|| knooppunt_domain::text::unsafe_char_message(k))?;
            Some(crate::problem::InvalidParam { name: k.clone(), code: "invalid".into(), reason })
        })
        .collect();
    (!bad.is_empty()).then_some(bad)
}

/// The client's address: the socket's peer, unless that peer is a trusted proxy; then the
/// nearest address in `Forwarded` (RFC 7239) or `X-Forwarded-For` that is not itself a trusted
/// proxy, read from the right (the left part is whatever the client chose to send).
pub(crate) fn client_address(peer: std::net::IpAddr, headers: &HeaderMap, trusted: &[ipnet::IpNet]) -> std::net::IpAddr {
    let is_trusted = |ip: &std::net::IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let mut hops: Vec<std::net::IpAddr> = Vec::new();
    for value in headers.get_all("forwarded").iter().filter_map(|v| v.to_str().ok()) {
        for element in value.split(',') {
            for pair in element.split(';') {
                if let Some((k, v)) = pair.trim().split_once('=') {
                    if k.trim().eq_ignore_ascii_case("for") {
                        if let Some(ip) = forwarded_ip(v.trim()) {
                            hops.push(ip);
                        }
                    }
                }
            }
        }
    }
    if hops.is_empty() {
        for value in headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()) {
            hops.extend(value.split(',').filter_map(|h| forwarded_ip(h.trim())));
        }
    }
    hops.into_iter().rev().find(|ip| !is_trusted(ip)).unwrap_or(peer)
}

/// An address as a forwarding header writes it: `192.0.2.1`, `"[2001:db8::1]:4711"`,
/// `192.0.2.1:80`; `unknown` and obfuscated names are no address.
fn forwarded_ip(raw: &str) -> Option<std::net::IpAddr> {
    let s = raw.trim_matches('"');
    if let Ok(ip) = s.parse() {
        return Some(ip);
    }
    if let Some(rest) = s.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    s.rsplit_once(':').and_then(|(host, _port)| host.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            if let Ok(v) = HeaderValue::from_str(v) {
                h.append(*k, v);
            }
        }
        h
    }

    #[test]
    fn forwarding_headers_are_believed_only_from_trusted_proxies() {
        let proxy: std::net::IpAddr = [10, 0, 0, 5].into();
        let trusted: Vec<ipnet::IpNet> = ["10.0.0.0/24", "fd00::/8"].iter().filter_map(|n| n.parse().ok()).collect();
        let client: std::net::IpAddr = [198, 51, 100, 7].into();
        // From a stranger the header is a lie it may tell: ignored.
        let stranger: std::net::IpAddr = [203, 0, 113, 9].into();
        assert_eq!(client_address(stranger, &headers(&[("x-forwarded-for", "198.51.100.7")]), &trusted), stranger);
        // Through the proxy: the nearest untrusted hop from the right, not the spoofable left.
        assert_eq!(client_address(proxy, &headers(&[("x-forwarded-for", "1.2.3.4, 198.51.100.7")]), &trusted), client);
        assert_eq!(client_address(proxy, &headers(&[("x-forwarded-for", "1.2.3.4, 198.51.100.7, 10.0.0.4")]), &trusted), client);
        assert_eq!(client_address(proxy, &headers(&[("forwarded", "for=1.2.3.4, for=\"198.51.100.7:4711\";proto=https")]), &trusted), client);
        let v6: std::net::IpAddr = "2001:db8::1".parse().unwrap_or(proxy);
        assert_eq!(client_address(proxy, &headers(&[("forwarded", "for=\"[2001:db8::1]:80\"")]), &trusted), v6);
        // Nothing usable: the proxy itself.
        assert_eq!(client_address(proxy, &headers(&[("x-forwarded-for", "unknown")]), &trusted), proxy);
        assert_eq!(client_address(proxy, &HeaderMap::new(), &trusted), proxy);
        // No trusted proxies configured: the socket, always.
        assert_eq!(client_address(proxy, &headers(&[("x-forwarded-for", "198.51.100.7")]), &[]), proxy);
    }
}
